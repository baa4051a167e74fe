"""The benchmarks' facts: a seeded, realistic mix drawn with the library's own hypothesis strategies.

:func:`netral_rules.testing.engine_facts` gives half random valid facts (every act kind, unknowns left
out) and half witnesses of a bundled rule (facts that fire it, dated in force, for an actor it binds), so
the mix has violations, clean facts and undetermined ones. ``strategy.example()`` cannot be seeded;
hypothesis's own ``@seed`` on a ``@given`` function, restricted to the generate phase with no example
database, gives the same facts for the same seed and size on every run.

Hypothesis also draws on the constants it finds in the source of the project's modules that happen to be
imported (``hypothesis.internal.conjecture.providers._get_local_constants``), so the same seed gave another
pool to ``benchmarks.run`` than to ``benchmarks.stages`` once their imports differed. The pools are drawn
without those constants (:func:`draw`), so they depend on the seed, the size and the engine only.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.testing import engine_facts


def draw(strategy: st.SearchStrategy[Any], n: int, seed_value: int) -> list[Any]:
    """``n`` values of ``strategy``, the same for the same seed and ``n`` whatever else is imported."""
    out: list[Any] = []

    @seed(seed_value)
    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value: Any) -> None:
        out.append(value)

    with ExitStack() as stack:
        try:
            from hypothesis.internal.conjecture import providers
        except ImportError:  # another version of hypothesis: nothing to keep out
            providers = None  # type: ignore[assignment]
        if providers is not None and hasattr(providers, "_get_local_constants"):
            empty = providers.Constants()
            stack.enter_context(mock.patch.object(providers, "_get_local_constants", lambda: empty))
        collect()
    # as a caller has them, parsed from JSON: the strategies build dicts by adding and removing keys, whose
    # tables pydantic reads about a third slower than those of the same facts read from a file
    return list(json.loads(json.dumps(out[:n])))


def fact_pool(engine: Engine, n: int, seed_value: int = 20240214) -> list[dict[str, Any]]:
    """``n`` fact dicts (JSON-compatible), the same for the same engine, ``n`` and seed."""
    return draw(engine_facts(engine), n, seed_value)


def split(engine: Engine, facts: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(complete, incomplete)``: the facts whose decision has no readings (complete for the rules in force)
    and those that get readings. Before decisions had readings every fact is complete."""
    complete, incomplete = [], []
    for f in facts:
        (incomplete if getattr(engine.evaluate(f), "readings", None) is not None else complete).append(f)
    return complete, incomplete


def save_pool(path: Path, complete: list[dict[str, Any]], incomplete: list[dict[str, Any]],
              seed_value: int) -> None:
    """Keep a pool (and its split) in a file, so that another checkout is measured on the very same facts."""
    path.write_text(json.dumps({"seed": seed_value, "complete": complete, "incomplete": incomplete}))


def load_pool(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    data = json.loads(path.read_text())
    return data["complete"], data["incomplete"], int(data["seed"])
