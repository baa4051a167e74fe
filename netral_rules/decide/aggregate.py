"""Combining findings into one outcome per category (PP 94/2021 Pasal 35 for discipline).

For a category whose pack declares an ``aggregation`` (the disciplinary ladder of PP 94/2021 Pasal 8):

* several violations get one sanction, the heaviest (Pasal 35 ayat (1)); a violation is never punished
  twice (ayat (3)): the aggregate lists one set of options, not one per finding;
* a violation of the same nature as an earlier sanction (imposed before the act) gets a type heavier than
  that sanction (ayat (2)): the options are the ladder entries strictly above it, and never below the level
  of the findings; when the earlier type is not given, the lightest type of its level is assumed and the
  decision says so;
* findings whose level the law leaves unassigned do not set the level while an assigned one exists.

Other categories (ethics, dismissal, election crime) are separate procedures; they are reported as their
own outcomes. The legal wording of each explanation comes from the pack, not from this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._fast import build
from ..fact.labels import labels
from ..fact.model import Fact
from ..output.render import render_both
from ..vocabulary import LEVEL_RANK, Bilingual, Level, headline_rank
from .compile import LadderPlan
from .decision import (
    Aggregate,
    CitedArticle,
    Finding,
    Outcome,
    PriorRef,
    SanctionChoice,
)


@dataclass(frozen=True)
class AggregationResult:
    """Immutable: the engine shares one result between decisions with the same matched rules."""

    aggregate: Aggregate
    notes: tuple[Bilingual, ...]
    assumption_keys: tuple[str, ...]


def _options_at(group: list[Finding], level: str) -> list[SanctionChoice]:
    seen: set[str] = set()
    options: list[SanctionChoice] = []
    for f in group:
        if f.level != level:
            continue
        for menu in f.sanctions:
            for opt in menu.options:
                if opt.code not in seen:
                    seen.add(opt.code)
                    options.append(opt)
    return options


def _outcome(
    category: str, level: Level, rule_ids: tuple[str, ...], options: list[SanctionChoice], explanation: Bilingual
) -> Outcome:
    return build(
        Outcome, category=category, level=level, rule_ids=rule_ids, sanctions=tuple(options), explanation=explanation
    )


def aggregate(findings: list[Finding], fact: Fact, ladders: dict[str, LadderPlan]) -> AggregationResult:
    by_cat: dict[str, list[Finding]] = {}
    for f in findings:
        by_cat.setdefault(f.category, []).append(f)
    outcomes: list[Outcome] = []
    notes: list[Bilingual] = []
    basis: list[CitedArticle] = []
    keys: tuple[str, ...] = ()
    repeat = False
    prior_ref: PriorRef | None = None

    for category, group in by_cat.items():
        ranked = [f for f in group if f.level in LEVEL_RANK]
        rule_ids = tuple(f.rule_id for f in group)
        level: Level
        if ranked:
            level = max(ranked, key=lambda f: LEVEL_RANK[f.level]).level
        else:
            level = "unassigned" if any(f.level == "unassigned" for f in group) else group[0].level
        options = _options_at(group, level)
        plan = ladders.get(category)
        values: dict[str, object] = {"count": len(group), "level": level, "rules": ", ".join(rule_ids)}
        if plan is None:
            term = labels().term  # in words, as every text of a decision
            explanation = Bilingual(
                id=f"{len(group)} temuan ({term('category', category, 'id')}), tingkat {term('level', level, 'id')}.",
                en=f"{len(group)} finding(s) ({term('category', category, 'en')}), level {term('level', level, 'en')}.",
            )
            outcomes.append(_outcome(category, level, rule_ids, options, explanation))
            continue
        texts = plan.texts
        natures = {f.nature for f in group if f.nature}
        ladder_levels = plan.levels
        priors = [
            p
            for p in fact.actor.prior_sanctions
            if p.imposed_on < fact.occurred_on and p.nature in natures and p.level in ladder_levels
        ]
        is_repeat = False
        if level == "unassigned":
            explanation = texts.unassigned
        elif priors:
            prior = max(priors, key=lambda p: p.imposed_on)
            repeat = is_repeat = True
            prior_ref = PriorRef(
                imposed_on=prior.imposed_on, level=prior.level, nature=prior.nature, sanction=prior.sanction
            )
            prior_code = plan.aliases.get(prior.sanction, prior.sanction) if prior.sanction else None
            if prior_code in plan.codes:
                idx = plan.codes.index(prior_code)
            else:
                idx = next(i for i, (lvl, _) in enumerate(plan.ladder) if lvl == prior.level)
                notes.append(
                    render_both(
                        texts.prior_type_unknown, {}, {"prior_level": prior.level, "prior_date": prior.imposed_on}
                    )
                )
            values.update(prior_level=prior.level, prior_date=prior.imposed_on)
            position = {code: i for i, code in enumerate(plan.codes)}
            # the findings' own types heavier than the last sanction satisfy Pasal 35 ayat (2) as they are:
            # a threshold that fixes its type (the absence rules) escalates by its own count
            own = [opt for opt in options if position.get(opt.code, -1) > idx]
            floor = LEVEL_RANK.get(level, 0)
            above = [
                (lvl, opt) for i, (lvl, opt) in enumerate(plan.ladder) if i > idx and LEVEL_RANK.get(lvl, 0) >= floor
            ]
            if own:
                options = own
                explanation = texts.repeat
            elif above:
                # none of them is heavier: the types of the next level up that are heavier than the last one
                level = above[0][0]
                options = [opt for lvl, opt in above if lvl == level]
                explanation = texts.repeat
            else:
                level, last = plan.ladder[-1]
                options = [last]
                explanation = texts.ceiling
            values["level"] = level
        else:
            explanation = texts.several if len(group) > 1 else texts.single
        cited = (plan.basis_several if len(group) > 1 else ()) + (plan.basis_repeat if is_repeat else ())
        basis.extend(c for c in cited if c not in basis)
        if options and options != _options_at(group, level):
            keys = plan.assumption_keys  # the options came from the ladder, which may pass a substituted menu
        outcomes.append(_outcome(category, level, rule_ids, options, render_both(explanation, {}, values)))

    if outcomes:
        top = max(outcomes, key=lambda o: headline_rank(o.level, o.category))
        agg_level, agg_cat = top.level, top.category
    else:
        agg_level, agg_cat = None, None
    agg = build(
        Aggregate,
        level=agg_level,
        category=agg_cat,
        outcomes=tuple(outcomes),
        repeat=repeat,
        prior=prior_ref,
        basis=tuple(basis),
    )
    return AggregationResult(agg, tuple(notes), keys)
