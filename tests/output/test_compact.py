"""Compact decisions (output/compact.py): references into the engine's catalogue that expand to exactly the
full decision; a catalogue that names what it holds; and the ways a compact decision cannot be misread."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from netral_rules import Decision, Engine, NetralError
from netral_rules.backends.durable import unavailable_reason
from netral_rules.output.compact import expand, expand_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [json.loads(line) for line in (ROOT / "examples" / "facts.jsonl").read_text().splitlines() if line.strip()]
BACKENDS = ["native"] + ([] if unavailable_reason() else ["durable"])


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_example_expands_to_its_full_decision_byte_for_byte(backend: str) -> None:
    with Engine.default(backend=backend) as engine:
        catalogue = engine.catalogue()
        full = compact = 0
        for fact in EXAMPLES:
            decision = engine.evaluate(fact)
            want = engine.decision_json(decision)
            got = engine.decision_json(decision, detail="compact")
            assert expand_json(got, catalogue) == want
            full, compact = full + len(want), compact + len(got)
        assert compact * 4 < full  # what the form is for (the benchmark measures the real ratio)


def test_the_catalogue_record_is_json_with_an_id_that_names_its_content(engine: Engine) -> None:
    record = json.loads(engine.catalogue().json())
    body = record["catalogue"]
    assert set(body) == {"id", "objects"} and len(body["id"]) == 16
    assert body["id"] == Engine.default().catalogue().id  # the same packs and settings: the same catalogue
    assert Engine.default(settings={"salary_regulation_in_force": True}).catalogue().id != body["id"]
    kinds = {name.split(":")[0] for name in body["objects"]}
    assert {"article", "menu", "sanction", "note", "pack", "finding", "audit", "title"} <= kinds
    decision = engine.evaluate(EXAMPLES[0])
    compact = json.loads(engine.decision_json(decision, detail="compact"))
    assert next(iter(compact)) == "catalogue" and compact["catalogue"] == body["id"]
    # an article's text is in the catalogue once, not in the decision
    article = decision.findings[0].basis[0]
    assert body["objects"][f"article:{article.id}"] == json.loads(article.model_dump_json())
    assert article.text not in engine.decision_json(decision, detail="compact").decode()


def test_a_decision_is_never_expanded_with_another_catalogue(engine: Engine) -> None:
    other = Engine.default(settings={"salary_regulation_in_force": True})
    compact = json.loads(engine.decision_json(engine.evaluate(EXAMPLES[0]), detail="compact"))
    with pytest.raises(NetralError, match="another catalogue"):
        expand(compact, other.catalogue().as_dict())
    broken = engine.catalogue().as_dict()
    ref = compact["findings"][0]["$ref"]
    del broken["objects"][ref]
    with pytest.raises(NetralError, match="does not hold") as caught:
        expand(compact, broken)
    assert ref in str(caught.value.problems[0])


def test_a_decision_not_built_by_the_engine_is_written_out_where_it_differs(engine: Engine) -> None:
    decision = engine.evaluate(EXAMPLES[0])
    # read back from JSON: equal values, none of them the engine's shared objects
    read = Decision.model_validate_json(engine.decision_json(decision))
    assert expand_json(engine.decision_json(read, detail="compact"), engine.catalogue()) == engine.decision_json(read)
    # a finding changed after the fact is not taken for its rule's template
    f = decision.findings[0]
    changed = decision.model_copy(update={"findings": (f.model_copy(update={"level": "berat"}),)})
    data = engine.decision_json(changed, detail="compact")
    assert json.loads(expand_json(data, engine.catalogue()))["findings"][0]["level"] == "berat"
    assert expand_json(data, engine.catalogue()) == changed.model_dump_json().encode()


def test_an_expanded_decision_can_be_changed_without_changing_another(engine: Engine) -> None:
    catalogue = engine.catalogue().as_dict()
    data = engine.decision_json(engine.evaluate(EXAMPLES[0]), detail="compact")
    a, b = expand(json.loads(data), catalogue), expand(json.loads(data), catalogue)
    a["findings"][0]["basis"][0]["text"] = "changed"
    assert b["findings"][0]["basis"][0]["text"] != "changed"


def test_with_detail_shares_the_engine_and_only_changes_the_default(engine: Engine) -> None:
    compact = engine.with_detail("compact")
    decision = compact.evaluate(EXAMPLES[1])
    assert compact.decision_json(decision) == engine.decision_json(decision, detail="compact")
    assert compact.decision_json(decision, detail="full") == engine.decision_json(decision)
    assert engine.decision_json(decision) == decision.model_dump_json().encode()  # the original is unchanged
    assert compact.law is engine.law
    with pytest.raises(ValueError):
        engine.with_detail("short")  # type: ignore[arg-type]


def test_a_pickled_engine_writes_compact_decisions_with_the_same_catalogue(engine: Engine) -> None:
    engine.catalogue()  # built: not pickled, built again where it is unpickled
    copy = pickle.loads(pickle.dumps(engine.with_detail("compact")))
    decision = copy.evaluate(EXAMPLES[2])
    assert copy.catalogue().id == engine.catalogue().id
    assert copy.decision_json(decision) == engine.decision_json(engine.evaluate(EXAMPLES[2]), detail="compact")


def test_with_detail_is_the_same_engine_not_a_compiled_copy() -> None:
    engine = Engine.default()
    view = engine.with_detail("compact")  # before the writer is built: it is built once, for both
    assert view.stages is engine.stages and view._matcher is engine._matcher
    assert view.catalogue() is engine.catalogue()
