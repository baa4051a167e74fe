"""The basis of a set-aside relation across categories (independent review, finding 9).

PP 94/2021 Pasal 35 ayat (3) ("PNS tidak dapat dijatuhi Hukuman Disiplin 2 (dua) kali atau lebih untuk 1 (satu)
Pelanggaran Disiplin") speaks only of two disciplinary penalties. Where a disciplinary rule of pp_94_2021 or skb_2022
sets aside an ethics rule, or the reverse, the relation rests on the binding provision itself (the PP prohibition or
duty; for the ethics class, PP 42/2004) and its reason says it is the engine's reading. Between two disciplinary
rules Pasal 35 ayat (3) stays. The scenario key ``set_aside`` checks only which rules were set aside, so the basis a
decision reports is checked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netral_rules.decide.engine import Engine

RULES = Path(__file__).resolve().parents[2] / "rules"
PACKS = ("pp_94_2021", "skb_2022")
PASAL_35_3 = "PP 94/2021 Pasal 35 ayat (3)"


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with Engine.from_paths([RULES]) as e:
        yield e


def _relations(engine: Engine) -> list[tuple[str, Any, Any, Any]]:
    rules = {lr.rule.id: (lr.pack_id, lr.rule) for lr in engine.rules}
    out = []
    for pack_id, rule in rules.values():
        for aside in rule.sets_aside or ():
            target = rules.get(aside.rule)
            if target is not None:
                out.append((pack_id, rule, target[1], aside))
    return out


def _cites(aside: Any) -> list[str]:
    return list(aside.basis)


def test_cross_category_relations_cite_the_binding_provision_not_pasal_35_ayat_3(engine: Engine) -> None:
    crossing = [(p, r, t, a) for p, r, t, a in _relations(engine)
                if p in PACKS and r.then.category != t.then.category]
    assert len(crossing) >= 13  # six PP 94/2021 rules over A7, B9 over A6, six ethics items over the residual duty
    for _, rule, target, aside in crossing:
        cites = _cites(aside)
        assert PASAL_35_3 not in cites, (rule.id, target.id)
        assert any(c.startswith(("PP 94/2021 Pasal", "PP 42/2004 Pasal")) for c in cites), (rule.id, cites)
        assert "bacaan mesin ini" in aside.reason.id and "this engine's reading" in aside.reason.en, rule.id


def test_disciplinary_relations_keep_pasal_35_ayat_3(engine: Engine) -> None:
    both = [(r, t, a) for p, r, t, a in _relations(engine)
            if p in PACKS and r.then.category == t.then.category == "disiplin"]
    assert both
    assert all(PASAL_35_3 in _cites(a) for _, _, a in both), [r.id for r, _, a in both if PASAL_35_3 not in _cites(a)]


def test_a_spouse_campaign_sets_a7_aside_on_the_pp_prohibition(engine: Engine) -> None:
    """The decision reports the basis: the scenario 'Mengikuti kampanye suami calon tanpa CLTN pada 2022-09-22'."""
    decision = engine.evaluate({
        "occurred_on": "2022-09-22",
        "actor": {"status": "pns", "on_unpaid_leave": False},
        "context": {"election": {"type": "pilkada", "candidate_stage": "calon"}},
        "act": {"kind": "campaign_attendance", "role": "participant", "party_attributes": False,
                "civil_service_attributes": False, "state_facilities": False, "mobilised_civil_servants": False,
                "registered_campaign_team": False, "spouse_is_candidate": True, "active_support": False},
    })
    (aside,) = [a for a in decision.set_aside if a.rule_id == "skb.kode-etik.pasangan-calon-tanpa-cltn"]
    assert aside.by == "pp94.dukungan.ikut-kampanye"
    assert [b.cite for b in aside.basis] == ["PP 94/2021 Pasal 5 huruf n angka 1"]
    assert "bacaan mesin ini" in aside.reason.id


def test_no_pack_sets_aside_across_categories_on_a_double_penalty_rule(engine: Engine) -> None:
    """In every bundled pack (PP 42/2004 before the 2022 decree too, review finding 2): neither PP 94/2021 Pasal 35
    ayat (3) nor PP 53/2010 Pasal 30 ayat (3), both about disciplinary penalties only, founds such a relation."""
    double_penalty = {PASAL_35_3, "PP 53/2010 Pasal 30 ayat (3)"}
    crossing = [(r.id, t.id, sorted(set(_cites(a)) & double_penalty)) for _, r, t, a in _relations(engine)
                if r.then.category != t.then.category]
    assert any(rule.startswith("pp42.") for rule, _, _ in crossing)
    assert [c for c in crossing if c[2]] == []
