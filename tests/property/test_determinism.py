"""Property 3: the same decision whatever the order of pack files, of rules and of fact keys."""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netral_rules import Decision, Engine
from netral_rules.backends import make_matcher
from netral_rules.backends.durable import unavailable_reason
from netral_rules.conditions import Condition
from netral_rules.law.yamlread import read_yaml_file
from netral_rules.testing import conditions, dump_yaml, engine_facts, flat_facts

from .conftest import rules_dir

BACKENDS = ["native"] + (["durable"] if unavailable_reason() is None else [])


def _without_pack_hashes(d: Decision) -> Decision:
    # reordering rules inside a file changes the file, so the audited content hash changes by design
    packs = tuple(p.model_copy(update={"sha256": "-"}) for p in d.audit.packs)
    return d.model_copy(update={"audit": d.audit.model_copy(update={"packs": packs})})


@pytest.fixture(scope="module")
def shuffled_copies() -> Iterator[list[list[Path]]]:
    """Copies of the packs with the rules of every rules file in another order, listed in other orders."""
    pack_dirs = sorted(p.parent for p in rules_dir().glob("*/pack.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        variants: list[list[Path]] = []
        for seed in range(3):
            rnd = random.Random(seed)
            copies = []
            for src in pack_dirs:
                dst = Path(tmp) / f"v{seed}" / f"{seed}-{src.name}"
                shutil.copytree(src, dst)
                for f in sorted((dst / "rules").glob("*.yaml")):
                    data = read_yaml_file(f).data
                    rnd.shuffle(data["rules"])
                    f.write_text(dump_yaml(data), encoding="utf-8")
                copies.append(dst)
            # the election calendars beside the packs, as in rules/ (facts may name their election)
            shutil.copytree(rules_dir() / "calendars", Path(tmp) / f"v{seed}" / "calendars")
            rnd.shuffle(copies)
            variants.append(copies)
        yield variants


@pytest.fixture(scope="module", params=BACKENDS)
def engines(request: pytest.FixtureRequest, shuffled_copies: list[list[Path]]) -> Iterator[list[Engine]]:
    out = [Engine.from_paths([rules_dir()], backend=request.param)]
    out += [Engine.from_paths(v, backend=request.param) for v in shuffled_copies]
    yield out
    for e in out:
        e.close()


def _shuffle_keys(value: Any, rnd: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        return {k: _shuffle_keys(v, rnd) for k, v in items}
    if isinstance(value, list):
        return [_shuffle_keys(v, rnd) for v in value]
    return value


@given(data=st.data(), seed=st.integers(0, 2**16))
def test_pack_and_rule_order_do_not_matter(engines: list[Engine], data: st.DataObject, seed: int) -> None:
    fact = data.draw(engine_facts(engines[0]))
    first = _without_pack_hashes(engines[0].evaluate(fact))
    for e in engines[1:]:
        assert _without_pack_hashes(e.evaluate(fact)) == first


@given(data=st.data(), seed=st.integers(0, 2**16))
def test_fact_key_order_does_not_matter(engines: list[Engine], data: st.DataObject, seed: int) -> None:
    engine = engines[0]
    fact = data.draw(engine_facts(engine))
    assert engine.evaluate(_shuffle_keys(fact, random.Random(seed))) == engine.evaluate(fact)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=settings().max_examples * 2)
@given(conds=st.lists(conditions(), min_size=2, max_size=8), flats=st.lists(flat_facts(small=True), max_size=6),
       perm=st.randoms(use_true_random=False))
def test_matcher_rule_order_does_not_matter(backend: str, conds: list[Condition], flats: list[dict[str, Any]],
                                            perm: random.Random) -> None:
    order = list(range(len(conds)))
    perm.shuffle(order)
    a = make_matcher(backend, conds)
    b = make_matcher(backend, [conds[i] for i in order])
    try:
        for flat in flats:
            assert a.match(flat) == sorted(order[i] for i in b.match(flat))
            assert a.match(flat) == a.match(flat)  # and the same answer twice
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("backend", BACKENDS)
@given(conds=st.lists(conditions(), min_size=1, max_size=8), flats=st.lists(flat_facts(small=True), max_size=6),
       data=st.data())
def test_matching_among_some_rules_leaves_the_others_out(backend: str, conds: list[Condition],
                                                         flats: list[dict[str, Any]], data: st.DataObject) -> None:
    # the engine asks only for an epoch's rules; the native backend indexes each such set of its own
    m = make_matcher(backend, conds)
    try:
        for flat in flats:
            among = frozenset(data.draw(st.sets(st.integers(0, len(conds) - 1))))
            assert m.match(flat, among) == [i for i in m.match(flat) if i in among]
    finally:
        m.close()
