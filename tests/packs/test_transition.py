"""PP 94/2021 Pasal 40 ayat (3) over every kind of act: a violation committed before 2021-08-31 and not yet examined
falls under PP 94/2021. The bundled packs answer such a report with rule pp53.peralihan.belum-diperiksa, whose
decision tells the reader to decide the same report again with as_of 2021-08-31. Checked over a grid of reports
(every act kind, election, stage, status, and the facts the rules read):

* the transition holds exactly where the law then in force finds a disciplinary violation (the same report,
  examined before 2021-08-31, is decided a violation by a finding under PP 53/2010), so no act kind is left out
  and no lawful act is sent to PP 94/2021;
* following the decision's own advice never gives "no violation": the decision with as_of 2021-08-31 is a
  violation in every reading, and applies neither the 2022 joint decree nor UU 20/2023.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netral_rules.decide.decision import Decision
from netral_rules.decide.engine import Engine

RULES = Path(__file__).resolve().parents[2] / "rules"
TRANSITION = "pp53.peralihan.belum-diperiksa"
ADVICE = dt.date(2021, 8, 31)

YES_NO = (True, False)
ACTS: list[dict[str, Any]] = [
    *({"kind": "social_media", "action": a, "supports_candidate": s, "partisan_symbol": p}
      for a in ("post", "like", "photo") for s in YES_NO for p in YES_NO),
    *({"kind": "campaign_attendance", "role": r, "party_attributes": pa, "civil_service_attributes": False,
       "state_facilities": sf, "mobilised_civil_servants": False, "registered_campaign_team": False,
       "spouse_is_candidate": False, "active_support": False}
      for r in ("listener", "participant", "organiser") for pa in YES_NO for sf in YES_NO),
    *({"kind": "declaration_attendance", "active_support": a, "spouse_is_candidate": sp} for a in YES_NO for sp in YES_NO),
    {"kind": "campaign_props", "prop": "banner"},
    *({"kind": "official_decision", "effect": e} for e in ("favours", "harms")),
    {"kind": "partisan_activity", "activity": "meeting", "audience": "public"},
    *({"kind": "support_letter", "with_id_copy": w, "collected_id_copies": c} for w in YES_NO for c in YES_NO),
    *({"kind": "party_membership", "role": r} for r in ("member", "board")),
    *({"kind": "candidacy", "office": o, "determined_as_candidate": True, "resigned_in_writing": False}
      for o in ("governor", "dprd")),
    *({"kind": "campaign_role", "role": r} for r in ("winning_team", "expert")),
    *({"kind": "nomination_approach", "target": t} for t in ("party", "public")),
    *({"kind": "absence", "cumulative_days": d, "consecutive_days": 1} for d in (0, 1, 4, 5, 12)),
    {"kind": "absence", "hours_absent": 3},
    {"kind": "supervisor_inaction", "subordinate_violation_level": "sedang"},
    {"kind": "voting"},
    *({"kind": "civic_event", "partisan": p} for p in YES_NO),
]
CONTEXTS = [
    {"type": t, "candidate_stage": s, "in_campaign_period": c}
    for t in ("pilpres", "pileg_dpr", "pileg_dpd", "pilkada") for s in ("calon", "bakal_calon") for c in YES_NO
]
ACTORS = [{"status": "pns", "on_unpaid_leave": False}, {"status": "cpns", "on_unpaid_leave": False}]
DAYS = ["2020-11-01", "2013-06-01"]  # under UU 5/2014, and before it (PP 53/2010 alone)


def reports(examined: bool) -> Iterator[dict[str, Any]]:
    for day, actor, act, election in itertools.product(DAYS, ACTORS, ACTS, CONTEXTS):
        yield {"occurred_on": day, "actor": actor, "act": act,
               "context": {"election": election, "examined_before_pp94": examined}}


def disciplinary(d: Decision) -> bool:
    """A disciplinary finding under the discipline law of the time (PP 53/2010, alone or with the statutory duty);
    a finding on the statute alone (the DPRD candidacy gap) is the same under either regulation."""
    return any(f.category == "disiplin" and any(b.pack == "pp_53_2010" for b in f.basis) for f in d.findings)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with Engine.from_paths([RULES]) as e:
        yield e


def test_the_transition_holds_exactly_for_the_violations_of_the_law_then_in_force(engine: Engine) -> None:
    wrong = []
    for examined, not_examined in zip(reports(True), reports(False), strict=True):
        then = engine.evaluate(examined)
        now = engine.evaluate(not_examined)
        transition = TRANSITION in now.rule_ids
        if transition != disciplinary(then):
            wrong.append((not_examined["occurred_on"], not_examined["actor"]["status"], not_examined["act"],
                          not_examined["context"]["election"], then.rule_ids, now.rule_ids))
    assert wrong == [], f"{len(wrong)} reports, e.g. {wrong[:3]}"


def test_following_the_decisions_advice_never_gives_no_violation(engine: Engine) -> None:
    wrong = []
    advised = 0
    for report in reports(False):
        d = engine.evaluate(report)
        if TRANSITION not in d.rule_ids:
            continue
        assert any("as_of 2021-08-31" in n.en for n in d.notes)
        advised += 1
        again = engine.evaluate(report, as_of=ADVICE)
        every = again.readings.violation == "every" if again.readings is not None else again.status == "violation"
        later = [b.cite for f in again.findings for b in f.basis if b.pack in ("skb_2022", "uu_20_2023")]
        if not every or later or again.applied_on != ADVICE:
            wrong.append((report["act"], report["context"]["election"], again.status, again.rule_ids, later))
    assert advised > 100
    assert wrong == [], f"{len(wrong)} reports, e.g. {wrong[:3]}"
