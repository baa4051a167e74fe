"""Shared fixtures of the property suite: one engine per backend over the bundled packs.

``NETRAL_PROPERTY_RULES`` (a folder of packs) runs the suite against other packs than the bundled ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from netral_rules import Decision, Engine, bundled_rules_dir
from netral_rules.backends.durable import unavailable_reason
from netral_rules.law.load import LoadedRule

DURABLE_REASON = unavailable_reason()
requires_durable = pytest.mark.skipif(DURABLE_REASON is not None, reason=f"durable backend: {DURABLE_REASON}")


def rules_dir() -> Path:
    return Path(os.environ.get("NETRAL_PROPERTY_RULES") or bundled_rules_dir())


@pytest.fixture(scope="session")
def native() -> Engine:
    return Engine.from_paths([rules_dir()], backend="native")


@pytest.fixture(scope="session")
def durable() -> Iterator[Engine]:
    if DURABLE_REASON is not None:
        pytest.skip(f"durable backend: {DURABLE_REASON}")
    engine = Engine.from_paths([rules_dir()], backend="durable")
    yield engine
    engine.close()


@pytest.fixture(scope="module", params=[
    "native",
    pytest.param("durable", marks=pytest.mark.skipif(DURABLE_REASON is not None,
                                                     reason=f"durable backend: {DURABLE_REASON}")),
])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine over the packs, once per backend."""
    e = Engine.from_paths([rules_dir()], backend=request.param)
    yield e
    e.close()


def same_decision(a: Decision, b: Decision) -> bool:
    """Equal in every field except the audit's backend name, which says which backend answered."""
    return a.model_copy(update={"audit": a.audit.model_copy(update={"backend": "-"})}) == b.model_copy(
        update={"audit": b.audit.model_copy(update={"backend": "-"})})


_READINGS: dict[tuple[int, tuple[tuple[str, bool], ...]], Engine] = {}


def under_reading(engine: Engine, rule: LoadedRule) -> Engine:
    """The engine itself, or one with the settings a rule's ``when_setting`` names (a rule of the other reading of
    an open question never holds under the defaults): built once per engine and reading."""
    wanted = rule.rule.when_setting or {}
    if all(engine.settings.get(k) == v for k, v in wanted.items()):
        return engine
    settings = {**engine.settings, **wanted}
    key = (id(engine), tuple(sorted(settings.items())))
    if key not in _READINGS:
        _READINGS[key] = Engine(engine.packs, backend=engine.backend_name, settings=settings)
    return _READINGS[key]
