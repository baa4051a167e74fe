"""Derived facts: what follows from the reported dates without any legal judgement.

Only two values are derived, each only when the caller left it out and the dates to derive it are given:

* ``context.election.candidate_stage``: ``calon`` from the day of the election commission's determination
  (penetapan) on, ``bakal_calon`` before it. This is the switch of the 2022 joint decree (SKB) between an
  ethics and a discipline violation.
* ``context.election.in_campaign_period``: whether ``occurred_on`` lies within the campaign dates.

Each derivation is reported in the decision, so a reader sees which values the engine filled in.
"""

from __future__ import annotations

from .facts import Fact
from .packs.schema import Bilingual


def enrich(fact: Fact) -> tuple[Fact, list[Bilingual]]:
    election = fact.context.election
    if election is None:
        return fact, []
    update: dict[str, object] = {}
    notes: list[Bilingual] = []
    day = fact.occurred_on
    if election.candidate_stage is None and election.candidate_determined_on is not None:
        stage = "calon" if day >= election.candidate_determined_on else "bakal_calon"
        update["candidate_stage"] = stage
        notes.append(
            Bilingual(
                id="Status yang didukung diturunkan dari tanggal penetapan calon "
                f"({election.candidate_determined_on}): {stage}.",
                en=f"The supported person's status was derived from the candidate determination date "
                f"({election.candidate_determined_on}): {stage}.",
            )
        )
    if election.in_campaign_period is None and election.campaign_start and election.campaign_end:
        inside = election.campaign_start <= day <= election.campaign_end
        update["in_campaign_period"] = inside
        notes.append(
            Bilingual(
                id=f"Masa kampanye {election.campaign_start} s.d. {election.campaign_end}: tindakan "
                f"{'di dalam' if inside else 'di luar'} masa kampanye.",
                en=f"Campaign period {election.campaign_start} to {election.campaign_end}: the act was "
                f"{'inside' if inside else 'outside'} it.",
            )
        )
    if not update:
        return fact, []
    new_election = election.model_copy(update=update)
    new_context = fact.context.model_copy(update={"election": new_election})
    return fact.model_copy(update={"context": new_context}), notes
