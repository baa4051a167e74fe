"""Property 4: findings cite only articles of the loaded packs, each with its text; no finding of a pack
(or rule) that is not in force on the applied date, or does not bind the actor."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.testing import engine_facts


@given(data=st.data())
def test_findings_cite_registered_articles_in_force(native: Engine, data: st.DataObject) -> None:
    fact = data.draw(engine_facts(native))
    decision = native.evaluate(fact)
    registry = {str(c): a for p in native.packs for c, a in p.articles.items()}
    packs = {p.id: p for p in native.packs}
    rules = {r.id: r for r in native.rules}
    day = decision.applied_on
    for f in decision.findings:
        assert f.basis, f.rule_id
        for art in list(f.basis) + list(decision.aggregate.basis):
            assert art.cite in registry, art.cite
            assert art.text and art.text == registry[art.cite].article.text
            assert art.pack == registry[art.cite].pack_id
        for menu in f.sanctions:
            assert menu.cite in registry, menu.cite
            for opt in menu.options:
                assert opt.cite in registry, opt.cite
        pack = packs[f.pack]
        assert pack.manifest.in_force.contains(day), (f.rule_id, day)
        assert rules[f.rule_id].in_force.contains(day), (f.rule_id, day)
        assert decision.audit.packs and f.pack in {p.id for p in decision.audit.packs}
        status = fact["actor"]["status"]
        assert status in rules[f.rule_id].binds and status in pack.manifest.binds.statuses
    if decision.status == "not_covered":
        assert not decision.findings
        assert not any(p.rules and p.manifest.in_force.contains(day) for p in native.packs)
