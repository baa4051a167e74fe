"""Derived facts: what follows from the reported dates without any legal judgement.

Only two values are derived, each only when the caller left it out and the dates to derive it are given:

* ``context.election.candidate_stage``: ``calon`` from the day of the election commission's determination
  (penetapan) on, ``bakal_calon`` before it. This is the switch of the 2022 joint decree (SKB) between an
  ethics and a discipline violation.
* ``context.election.in_campaign_period``: whether ``occurred_on`` lies within the campaign dates.

Each derivation is reported in the decision, so a reader sees which values the engine filled in. The
engine derives straight into the flat ``{path: value}`` view that rules read (:func:`derive`); rebuilding
the frozen fact for it cost more than the rest of an evaluation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .._fast import build
from ..vocabulary import Bilingual
from .model import Election, Fact


def _derivations(election: Election, day: dt.date) -> tuple[dict[str, Any], list[Bilingual]]:
    update: dict[str, Any] = {}
    notes: list[Bilingual] = []
    if election.candidate_stage is None and election.candidate_determined_on is not None:
        determined = election.candidate_determined_on
        stage = "calon" if day >= determined else "bakal_calon"
        update["candidate_stage"] = stage
        notes.append(build(
            Bilingual,
            id=f"Status yang didukung diturunkan dari tanggal penetapan calon ({determined}): {stage}.",
            en=f"The supported person's status was derived from the candidate determination date "
            f"({determined}): {stage}.",
        ))
    if election.in_campaign_period is None and election.campaign_start and election.campaign_end:
        start, end = election.campaign_start, election.campaign_end
        inside = start <= day <= end
        update["in_campaign_period"] = inside
        notes.append(build(
            Bilingual,
            id=f"Masa kampanye {start} s.d. {end}: tindakan {'di dalam' if inside else 'di luar'} masa kampanye.",
            en=f"Campaign period {start} to {end}: the act was {'inside' if inside else 'outside'} it.",
        ))
    return update, notes


def derive(fact: Fact, flat: dict[str, Any]) -> list[Bilingual]:
    """Add the derived values to ``flat`` (the fact's path view); return the notes that report them."""
    election = fact.context.election
    if election is None:
        return []
    update, notes = _derivations(election, fact.occurred_on)
    for name, value in update.items():
        flat[f"context.election.{name}"] = value
    return notes

