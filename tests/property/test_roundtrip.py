"""Property 6: pack -> YAML -> pack, fact -> JSON -> fact and decision -> JSON -> decision are lossless."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral_rules import Decision, Engine, Fact, parse_fact
from netral_rules.law.load import LoadedPack, load_pack
from netral_rules.testing import dump_yaml, engine_facts, fact_models, facts, rule_pack_files

from .conftest import rules_dir


def _write_back(pack: LoadedPack, dst: Path) -> None:
    """Write a loaded pack out again from its typed models (not by copying its files)."""
    dst.mkdir(parents=True)
    (dst / "pack.yaml").write_text(dump_yaml(pack.manifest.model_dump(by_alias=True, exclude_none=True)), "utf-8")
    if pack.articles:
        arts = [a.article.model_dump(by_alias=True, exclude_none=True) for a in pack.articles.values()]
        (dst / "articles.yaml").write_text(dump_yaml({"articles": arts}), "utf-8")
    by_file: dict[str, list[dict[str, Any]]] = {}
    for r in pack.rules:
        by_file.setdefault(Path(r.file).name, []).append(r.rule.model_dump(by_alias=True, exclude_none=True))
    (dst / "rules").mkdir()
    for name, rules in by_file.items():
        (dst / "rules" / name).write_text(dump_yaml({"rules": rules}), "utf-8")
    by_test: dict[str, list[dict[str, Any]]] = {}
    for s in pack.scenarios:
        by_test.setdefault(Path(s.file).name, []).append(s.scenario.model_dump(by_alias=True, exclude_none=True))
    if by_test:
        (dst / "tests").mkdir()
        for name, scs in by_test.items():
            (dst / "tests" / name).write_text(dump_yaml({"scenarios": scs}), "utf-8")
    if pack.manifest.source is not None and (pack.root / pack.manifest.source.file).is_file():
        shutil.copy(pack.root / pack.manifest.source.file, dst / pack.manifest.source.file)


def _same_pack(a: LoadedPack, b: LoadedPack) -> None:
    assert a.manifest == b.manifest
    assert {str(k): v.article for k, v in a.articles.items()} == {str(k): v.article for k, v in b.articles.items()}
    assert [r.rule for r in a.rules] == [r.rule for r in b.rules]
    assert [(r.condition, r.nnf, r.in_force, r.binds) for r in a.rules] == \
        [(r.condition, r.nnf, r.in_force, r.binds) for r in b.rules]
    assert [s.scenario for s in a.scenarios] == [s.scenario for s in b.scenarios]


@pytest.mark.parametrize("pack_dir", sorted(p.parent.name for p in rules_dir().glob("*/pack.yaml")))
def test_bundled_pack_yaml_round_trip(pack_dir: str) -> None:
    pack, problems = load_pack(rules_dir() / pack_dir)
    assert pack is not None
    with tempfile.TemporaryDirectory() as tmp:
        _write_back(pack, Path(tmp) / pack_dir)
        again, problems2 = load_pack(Path(tmp) / pack_dir)
        assert again is not None, problems2
        _same_pack(pack, again)
        assert sorted(map(str, problems)) == sorted(str(p).replace(f"{tmp}/", f"{rules_dir()}/") for p in problems2) \
            or len(problems) == len(problems2)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=rule_pack_files())
def test_random_pack_yaml_round_trip(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "a"
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        pack, _ = load_pack(root)
        assert pack is not None
        _write_back(pack, Path(tmp) / "b")
        again, _ = load_pack(Path(tmp) / "b")
        assert again is not None
        _same_pack(pack, again)


@given(fact=fact_models())
def test_fact_json_round_trip(fact: Fact) -> None:
    assert Fact.model_validate_json(fact.model_dump_json()) == fact
    assert parse_fact(json.loads(fact.model_dump_json())) == fact


@given(fact=facts())
def test_fact_dict_json_round_trip(fact: dict[str, Any]) -> None:
    assert parse_fact(json.dumps(fact, ensure_ascii=False)) == parse_fact(fact)


@given(data=st.data())
def test_decision_json_round_trip(native: Engine, data: st.DataObject) -> None:
    decision = native.evaluate(data.draw(engine_facts(native)))
    assert Decision.from_json(decision.to_json()) == decision
    assert Decision.model_validate(json.loads(decision.to_json())) == decision


@given(data=st.data(), as_of=st.none() | st.dates())
def test_engine_decision_json_is_pydantics_json(native: Engine, data: st.DataObject, as_of: Any) -> None:
    # the batch writer reuses the JSON of what decisions share: the bytes must be pydantic's, for the
    # engine's own decisions and for decisions that share nothing with it (read back, or changed copies)
    decision = native.evaluate(data.draw(engine_facts(native)), as_of=as_of)
    assert native.decision_json(decision) == decision.model_dump_json().encode()
    again = Decision.from_json(decision.to_json())
    assert native.decision_json(again) == decision.model_dump_json().encode()
    if decision.findings:
        first = decision.findings[0]
        changed = first.model_copy(update={"basis": first.basis[1:], "title": first.title})
        other = decision.model_copy(update={"findings": (changed, *decision.findings[1:])})
        assert native.decision_json(other) == other.model_dump_json().encode()
