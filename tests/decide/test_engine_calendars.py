"""The engine with the election calendars: decisions switch exactly at penetapan and at the first and last
campaign day, through both backends; a fact naming its election is decided as the same fact with the dates
typed in; the calendars travel with the engine (scenario variants, pickling, parallel batches)."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import write_pack

from netral_rules import Engine
from netral_rules.backends.durable import unavailable_reason
from netral_rules.decide.engine import load_packs

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
DURABLE = unavailable_reason()


@pytest.fixture(scope="module", params=[
    "native",
    pytest.param("durable", marks=pytest.mark.skipif(DURABLE is not None, reason=f"durable backend: {DURABLE}")),
])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    e = Engine.from_paths([RULES], backend=request.param)
    yield e
    e.close()


def fact(day: str, election: dict[str, Any], act: dict[str, Any]) -> dict[str, Any]:
    return {"occurred_on": day, "actor": {"status": "pns"}, "context": {"election": election}, "act": act}


POST = {"kind": "social_media", "action": "post", "platform": "facebook", "supports_candidate": True}
RALLY = {"kind": "campaign_attendance", "role": "participant", "party_attributes": True,
         "civil_service_attributes": False, "mobilised_civil_servants": False, "state_facilities": False,
         "registered_campaign_team": False, "spouse_is_candidate": False}
# support for a prospective candidate: from 2023-10-31 a disciplinary breach of the statutory duty of neutrality
# (UU 20/2023 Pasal 24, the engine's default reading; the 2022 decree's ethics item under the other setting)
ETHICS, DISCIPLINE = ["uu20.netralitas.bakal-calon"], ["skb.disiplin.media-sosial"]
OUTSIDE, INSIDE = ["pp94.dukungan.ikut-kampanye"], ["pp94.dukungan.atribut"]

BOUNDARIES = [
    # penetapan: the day before and the day of
    ("2023-11-12", {"id": "pemilu-2024", "type": "pilpres"}, POST, ETHICS),
    ("2023-11-13", {"id": "pemilu-2024", "type": "pilpres"}, POST, DISCIPLINE),
    ("2023-11-02", {"id": "pemilu-2024", "type": "pileg_dpd"}, POST, ETHICS),
    ("2023-11-03", {"id": "pemilu-2024", "type": "pileg_dpd"}, POST, DISCIPLINE),
    ("2024-09-21", {"id": "pilkada-2024", "office": "governor"}, POST, ETHICS),
    ("2024-09-22", {"id": "pilkada-2024", "office": "governor"}, POST, DISCIPLINE),
    # the campaign period: the day before, the first day, the last day, the day after
    ("2023-11-27", {"id": "pemilu-2024", "type": "pilpres"}, RALLY, OUTSIDE),
    ("2023-11-28", {"id": "pemilu-2024", "type": "pilpres"}, RALLY, INSIDE),
    ("2024-02-10", {"id": "pemilu-2024", "type": "pileg_dprd"}, RALLY, INSIDE),
    ("2024-02-11", {"id": "pemilu-2024", "type": "pileg_dprd"}, RALLY, OUTSIDE),
    ("2024-09-24", {"id": "pilkada-2024"}, RALLY, OUTSIDE),
    ("2024-09-25", {"id": "pilkada-2024"}, RALLY, INSIDE),
    ("2024-11-23", {"id": "pilkada-2024", "office": "regent_mayor"}, RALLY, INSIDE),
    ("2024-11-24", {"id": "pilkada-2024", "office": "regent_mayor"}, RALLY, OUTSIDE),
]


@pytest.mark.parametrize(("day", "election", "act", "rules"), BOUNDARIES,
                         ids=[f"{e['id']}-{d}-{'post' if a is POST else 'rally'}" for d, e, a, _ in BOUNDARIES])
def test_decisions_switch_exactly_at_the_calendar_dates(engine: Engine, day: str, election: dict[str, Any],
                                                        act: dict[str, Any], rules: list[str]) -> None:
    decision = engine.evaluate(fact(day, election, act))
    assert decision.status == "violation"
    assert list(decision.rule_ids) == rules
    assert any("kalender Pemilu 2024 (pemilu-2024)" in n.id or "kalender Pilkada Serentak 2024 (pilkada-2024)"
               in n.id for n in decision.notes)


EXPLICIT = {
    "pemilu-2024/pilpres": {"type": "pilpres", "candidate_determined_on": "2023-11-13",
                            "campaign_start": "2023-11-28", "campaign_end": "2024-02-10"},
    "pilkada-2024/governor": {"type": "pilkada", "candidate_determined_on": "2024-09-22",
                              "campaign_start": "2024-09-25", "campaign_end": "2024-11-23"},
}


@pytest.mark.parametrize("day", ["2023-11-12", "2023-11-13", "2023-11-28", "2024-02-10", "2024-02-11",
                                 "2024-09-21", "2024-09-22", "2024-09-25", "2024-11-23", "2024-11-24"])
@pytest.mark.parametrize("act", [POST, RALLY], ids=["post", "rally"])
def test_naming_the_election_decides_as_typing_its_dates(engine: Engine, day: str, act: dict[str, Any]) -> None:
    pilkada = day >= "2024-09-01"
    by_id = {"id": "pilkada-2024", "office": "governor"} if pilkada else {"id": "pemilu-2024", "type": "pilpres"}
    explicit = EXPLICIT["pilkada-2024/governor" if pilkada else "pemilu-2024/pilpres"]
    a, b = engine.evaluate(fact(day, by_id, act)), engine.evaluate(fact(day, explicit, act))
    assert (a.status, a.rule_ids, a.aggregate) == (b.status, b.rule_ids, b.aggregate)


def test_an_engine_built_from_packs_alone_has_no_calendars() -> None:
    packs, _ = load_packs([RULES])
    engine = Engine(packs)
    assert len(engine.calendars) == 0
    decision = engine.evaluate(fact("2023-11-12", {"id": "pemilu-2024", "type": "pilpres"}, POST))
    assert decision.readings is not None and decision.readings.violation == "every"  # the stage stays open
    assert "skb.kode-etik.media-sosial" not in decision.rule_ids
    assert any("Kalender yang dimuat: tidak ada" in n.id for n in decision.notes)


def test_default_and_from_paths_find_the_calendars(tmp_path: Path) -> None:
    assert Engine.default().calendars.ids == Engine.from_paths([RULES]).calendars.ids
    assert "pemilu-2024" in Engine.default().calendars.ids
    # a folder of packs without calendars has none
    write_pack(tmp_path / "packs" / "p")
    assert len(Engine.from_paths([tmp_path / "packs"]).calendars) == 0
    # one pack folder: the calendars beside it come along (its scenarios may name elections)
    (tmp_path / "packs" / "calendars").mkdir()
    shutil.copy(RULES / "calendars" / "pilkada-2024.yaml", tmp_path / "packs" / "calendars")
    assert Engine.from_paths([tmp_path / "packs" / "p"]).calendars.ids == ("pilkada-2024",)


def test_a_broken_calendar_stops_the_engine_like_a_broken_pack(tmp_path: Path) -> None:
    from netral_rules.errors import PackError

    write_pack(tmp_path / "packs" / "p")
    (tmp_path / "packs" / "calendars").mkdir()
    (tmp_path / "packs" / "calendars" / "pemilu-2099.yaml").write_text("id: pemilu-2099\nkind: pemilu\n")
    with pytest.raises(PackError) as info:
        Engine.from_paths([tmp_path / "packs"])
    assert all(str(p).startswith(f"{(tmp_path / 'packs' / 'calendars').as_posix()}/pemilu-2099.yaml:")
               for p in info.value.problems)


def test_match_uses_the_calendars() -> None:
    engine = Engine.default()
    # match ignores dates in force, not derivations: the stage comes from the calendar
    before = engine.match(fact("2023-11-12", {"id": "pemilu-2024", "type": "pilpres"}, POST))
    on = engine.match(fact("2023-11-13", {"id": "pemilu-2024", "type": "pilpres"}, POST))
    assert ETHICS[0] in before and DISCIPLINE[0] not in before
    assert DISCIPLINE[0] in on and ETHICS[0] not in on


def test_the_calendars_survive_pickling() -> None:
    engine = Engine.default()
    again = pickle.loads(pickle.dumps(engine))
    f = fact("2024-09-22", {"id": "pilkada-2024"}, POST)
    assert again.decision_json(again.evaluate(f)) == engine.decision_json(engine.evaluate(f))


def test_parallel_batch_gives_the_same_answers(tmp_path: Path) -> None:
    days = [dt.date(2023, 11, 1) + dt.timedelta(days=i) for i in range(0, 120)]
    lines = [json.dumps({**fact(d.isoformat(), {"id": "pemilu-2024", "type": "pilpres"}, POST), "id": str(i)})
             for i, d in enumerate(days)] * 20
    path = tmp_path / "facts.jsonl"
    path.write_text("\n".join(lines) + "\n")
    outs = []
    for jobs in ("1", "2"):
        r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", "--jobs", jobs,
                            str(path)], capture_output=True, cwd=ROOT, timeout=300)
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout)
    assert outs[0] == outs[1]
    first = [json.loads(line)["decision"] for line in outs[0].splitlines()[:120]]
    assert first[11]["findings"][0]["rule_id"] == "uu20.netralitas.bakal-calon"  # 2023-11-12
    assert first[12]["findings"][0]["rule_id"] == "skb.disiplin.media-sosial"  # 2023-11-13


def test_the_calendar_guide_example_is_true() -> None:
    text = (ROOT / "docs" / "calendars.md").read_text(encoding="utf-8")
    example = json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])
    engine = Engine.default()
    before = engine.evaluate(example)
    on = engine.evaluate({**example, "occurred_on": "2024-09-22"})
    assert (before.aggregate.category, before.aggregate.level) == ("disiplin", "unassigned")
    assert before.rule_ids == ["uu20.netralitas.bakal-calon"]
    assert (on.aggregate.category, on.aggregate.level) == ("disiplin", "berat")
    ethics = Engine.default(settings={"uu20_neutrality_breach_is_discipline": False})
    assert (ethics.evaluate(example).aggregate.category, ethics.evaluate(example).aggregate.level) == (
        "kode_etik", "moral")
    assert any("penetapan calon 2024-09-22 (PKPU 2/2024" in n.id for n in before.notes)


# --- a report that names no election: "which election?" among the calendars covering its day --------------

LISTENER = {"kind": "campaign_attendance", "role": "listener"}
LIKE = {"kind": "social_media", "action": "like"}


def _question(decision: Any, path: str) -> Any:
    assert decision.readings is not None
    return next((q for q in decision.readings.questions if q.field == path), None)


def test_which_election_offers_the_elections_covering_the_day(engine: Engine) -> None:
    report = {"occurred_on": "2024-08-10", "actor": {"status": "pns"}, "act": LIKE}
    d = engine.evaluate(report)
    q = _question(d, "context.election.id")
    assert q is not None and q.kind == "choice"
    assert [a.value for a in q.answers] == ["pemilu-2024", "pilkada-2024"]
    assert q.text.id.startswith("Pemilihan yang mana")
    by_id = {a.value: a for a in q.answers}
    # before the 2024 regional candidates were determined (2024-09-22) a supported person was a bakal calon:
    # a like is then at most the statute's breach of neutrality, no level assigned (UU 20/2023 Pasal 24); for the
    # general election's determined candidates, a heavy disciplinary violation
    assert (by_id["pilkada-2024"].heaviest.category, by_id["pilkada-2024"].heaviest.level) == ("disiplin",
                                                                                                "unassigned")
    assert (by_id["pemilu-2024"].heaviest.category, by_id["pemilu-2024"].heaviest.level) == ("disiplin", "berat")
    assert any("Pembacaan mempertimbangkan pemilihan yang tahapannya mencakup 2024-08-10" in n.id for n in d.notes)
    # every answer promises what naming the election gives
    for a in q.answers:
        named = engine.evaluate({**report, "context": {"election": {"id": a.value}}})
        assert named.readings is not None
        assert (a.lightest, a.heaviest) == (named.readings.lightest, named.readings.heaviest)


def test_an_election_not_in_the_calendars_keeps_the_stage_open(engine: Engine, tmp_path: Path) -> None:
    # the answer "another election" is not offered (it is "don't know"), but its readings are kept: the range
    # of the report stays that of a report without calendars
    report = {"occurred_on": "2024-08-10", "actor": {"status": "pns"}, "act": LIKE}
    for pack in RULES.iterdir():
        if pack.is_dir() and pack.name != "calendars":
            shutil.copytree(pack, tmp_path / pack.name)
    bare = Engine.from_paths([tmp_path], backend=engine.backend_name)
    try:
        without = bare.evaluate(report)
    finally:
        bare.close()
    with_calendars = engine.evaluate(report)
    assert _question(without, "context.election.id") is None
    assert with_calendars.readings is not None and without.readings is not None
    assert (with_calendars.readings.lightest, with_calendars.readings.heaviest) == (
        without.readings.lightest, without.readings.heaviest)
    assert with_calendars.readings.violation == without.readings.violation


def test_no_election_question_on_a_day_no_cycle_of_that_contest_covers(engine: Engine) -> None:
    # the 2024 regional elections' cycle begins on 2024-01-26 (PKPU 2/2024): the day before, a report about a
    # regional election is offered no calendar; on that day, the 2024 one
    before = engine.evaluate({"occurred_on": "2024-01-25", "actor": {"status": "pns"},
                              "context": {"election": {"type": "pilkada"}}, "act": LIKE})
    assert _question(before, "context.election.id") is None
    first = engine.evaluate({"occurred_on": "2024-01-26", "actor": {"status": "pns"},
                             "context": {"election": {"type": "pilkada"}}, "act": LIKE})
    q = _question(first, "context.election.id")
    assert q is not None and [a.value for a in q.answers] == ["pilkada-2024"]


def test_a_listener_on_2024_01_20_under_the_general_election(engine: Engine) -> None:
    d = engine.evaluate({"occurred_on": "2024-01-20", "actor": {"status": "pns"}, "act": LISTENER})
    assert d.readings is not None and d.readings.violation == "every"
    q = _question(d, "context.election.id")
    assert q is not None and [a.value for a in q.answers] == ["pemilu-2024"]
    # the general election's candidates were determined and the campaign ran (2023-11-28 to 2024-02-10): a
    # disciplinary violation for the listener, whatever else is unknown
    assert q.answers[0].lightest.category == "disiplin"


def test_a_named_general_election_never_reads_as_a_regional_one(engine: Engine) -> None:
    # naming pemilu-2024 leaves the contest open among the general election's; a rule of regional elections
    # only (the regional-head campaign team) must not be reported as possible, nor as undetermined
    d = engine.evaluate({"occurred_on": "2024-02-01", "actor": {"status": "pns"},
                         "context": {"election": {"id": "pemilu-2024"}},
                         "act": {"kind": "campaign_attendance", "role": "participant",
                                 "civil_service_attributes": True, "state_facilities": True}})
    assert d.status == "violation" and d.aggregate.level == "berat"
    assert d.readings is not None
    possible = {r.rule_id for r in d.readings.rules} | {u.rule_id for u in d.undetermined}
    assert "skb.disiplin.tim-pemenangan-calon-pilkada" not in possible
    assert all(r.when for r in d.readings.rules)  # each with the condition under which it holds
