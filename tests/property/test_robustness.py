"""Property 7: arbitrary YAML and JSON yield a result or the library's own typed error with a position.

Never another exception, a hang or a crash: YAML text to the reader, YAML files to the pack loader and the
linter, and JSON values (and JSON text) to ``Engine.evaluate`` on both backends.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral_rules import Engine, NetralError, PackError, Position
from netral_rules.batch.parallel import answer, answer_line, parse_line
from netral_rules.errors import FactError
from netral_rules.law.load import load_pack
from netral_rules.law.yamlread import read_yaml_file, read_yaml_text
from netral_rules.testing import dump_yaml, facts, json_values, rule_pack_files

YAML_BITS = ["a: 1\n", "- x\n", "  b: [1, 2\n", "&a x\n", "*a\n", "<<: *a\n", "? k\n", ": v\n", "---\n", "...\n",
             "!!binary aGk=\n", "!!python/object:os.system x\n", "\t", "{", "}", "'", "\"", "#", "%YAML 1.1\n",
             "2024-01-01 10:00\n", "when: {act.kind: voting}\n", "\x00", "\ufeff", "\udcff"]

yaml_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(YAML_BITS), max_size=12).map("".join),
    json_values().map(lambda v: dump_yaml(v)),
)



def _positions_ok(exc: NetralError) -> None:
    assert exc.problems, exc
    for p in exc.problems:
        assert isinstance(p.where, Position), p
        assert p.where.file


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=yaml_texts)
def test_yaml_reader_gives_data_or_positioned_error(text: str) -> None:
    try:
        read_yaml_text(text, "x.yaml")
    except PackError as exc:
        _positions_ok(exc)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=200))
def test_yaml_file_reader_gives_data_or_positioned_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_bytes(raw)
        try:
            read_yaml_file(path)
        except PackError as exc:
            _positions_ok(exc)


def _mutate(data: Any, path: list[int], replacement: Any) -> Any:
    """Replace the node reached by following ``path`` (indexes into keys/items, modulo their count)."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return replacement
    i = path[0] % len(data)
    if isinstance(data, dict):
        key = list(data)[i]
        data[key] = _mutate(data[key], path[1:], replacement)
    else:
        data[i] = _mutate(data[i], path[1:], replacement)
    return data


@st.composite
def _broken_packs(draw: st.DrawFn) -> dict[str, str]:
    files = draw(rule_pack_files(max_rules=3, max_leaves=4))
    name = draw(st.sampled_from(sorted(files)))
    if draw(st.booleans()):
        files[name] = draw(yaml_texts)
    else:
        data = yaml.safe_load(files[name])
        path = draw(st.lists(st.integers(0, 50), max_size=6))
        files[name] = dump_yaml(_mutate(copy.deepcopy(data), path, draw(json_values())))
    return files


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=_broken_packs())
def test_loader_and_linter_give_pack_or_positioned_errors(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        _pack, problems = load_pack(root)
        for p in problems:
            assert isinstance(p.where, Position), p
        try:
            engine = Engine.from_paths([root])
        except PackError as exc:
            _positions_ok(exc)
            return
        engine.evaluate({"occurred_on": "2024-01-01", "actor": {"status": "pns"}, "act": {"kind": "voting"}})


@st.composite
def _odd_facts(draw: st.DrawFn) -> Any:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(json_values())
    if choice == 1:
        return draw(st.text(max_size=100))  # JSON text, mostly not JSON
    fact = draw(facts())
    path = draw(st.lists(st.integers(0, 50), min_size=1, max_size=4))
    mutated = _mutate(copy.deepcopy(fact), path, draw(json_values()))
    return json.dumps(mutated) if choice == 3 else mutated


def _check(engine: Engine, value: Any) -> None:
    try:
        decision = engine.evaluate(value)
    except FactError as exc:
        assert exc.problems
        for p in exc.problems:
            assert isinstance(p.where, str) and p.where.startswith("$"), p
    except NetralError as exc:  # pragma: no cover - only facts are wrong here
        pytest.fail(f"unexpected {type(exc).__name__}: {exc}")
    else:
        assert decision.status in ("violation", "no_violation", "undetermined", "not_covered")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(value=_odd_facts())
def test_evaluate_gives_decision_or_positioned_fact_error(engine: Engine, value: Any) -> None:
    _check(engine, value)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(value=_odd_facts() | facts(), pad=st.sampled_from(["", " ", "\n", "\r\n", "\ufeff"]))
def test_batch_lines_are_answered_as_parsed_records_are(native: Engine, value: Any, pad: str) -> None:
    # check reads a valid fact straight from its JSON text, and anything else through json.loads: the
    # output line must be the one the parsed record gives, for valid and invalid lines alike
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=bool(len(pad) % 2))
    data = (pad + text + pad if pad != "\ufeff" else pad + text).encode("utf-8", "surrogatepass")
    assert answer_line(native, 7, data, None, True) == answer(native, 7, parse_line(data), None, True)
