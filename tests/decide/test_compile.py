"""The compile stage: what a rule's finding holds before any fact is seen, epochs of the law in force,
and the exception relation resolved to rule indexes."""

from __future__ import annotations

import datetime as dt

import pytest

from netral_rules import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def test_rule_plan_is_fixed_at_compile_time(engine: Engine) -> None:
    plan = next(p for p in engine.law.rules if p.rule.id == "pp94.dukungan.mengerahkan-pns")
    assert plan.static["level"] == "berat" and plan.static["category"] == "disiplin"
    assert next(b.cite for b in plan.static["basis"]) == "PP 94/2021 Pasal 5 huruf n angka 3"
    assert plan.static["verification"] == "verified_primary"
    assert "act.mobilised_civil_servants" in plan.needs


def test_epochs_are_shared_between_days_of_one_period(engine: Engine) -> None:
    law = engine.law
    a = law.epoch(dt.date(2024, 3, 1), "pns")
    b = law.epoch(dt.date(2024, 3, 2), "pns")
    assert a is b
    before = law.epoch(dt.date(2021, 8, 30), "pns")
    after = law.epoch(dt.date(2021, 8, 31), "pns")
    assert before.applicable != after.applicable  # PP 94/2021 takes over on 2021-08-31


def test_exceptions_are_resolved_both_ways(engine: Engine) -> None:
    rules = engine.law.rules
    index = {p.rule.id: p.index for p in rules}
    general = index["pp94.dukungan.ikut-kampanye"]
    by = {rules[plan.excluder].rule.id for plan in engine.law.exceptions.by_excluded[general]}
    assert by == {"pp94.dukungan.atribut", "pp94.dukungan.mengerahkan-pns", "pp94.dukungan.fasilitas-negara",
                  "skb.disiplin.tim-pemenangan-calon", "skb.disiplin.tim-pemenangan-calon-pilkada",
                  "skb.disiplin.deklarasi", "pp94.dukungan.deklarasi"}
    assert engine.law.exceptions.excluded_by([index["pp94.dukungan.atribut"]]) == {
        general, index["pp94.dukungan.ikut-kampanye-pendengar"], index["skb.kode-etik.pasangan-calon-tanpa-cltn"],
        index["uu20.netralitas.bakal-calon"]}
