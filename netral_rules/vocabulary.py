"""The shared vocabulary at the bottom of the package: levels, categories, statuses, bilingual text.

Pack files, facts and decisions all speak these words; keeping them here means the decision model does not
import the pack file format, and the pack format does not import decisions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["disiplin", "kode_etik", "pemberhentian", "pidana_pemilu"]
Level = Literal["ringan", "sedang", "berat", "moral", "ptdh", "unassigned", "n/a"]
Status = Literal["pns", "cpns", "pppk"]
VerificationStatus = Literal["verified_primary", "verified_secondary", "unverified"]
DecisionStatus = Literal["violation", "no_violation", "undetermined", "not_covered"]


class Bilingual(BaseModel):
    """A human-facing text in Indonesian (``id``) and English (``en``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    en: str = Field(min_length=1)


# Severity order used to pick "the heaviest" across findings. Moral (ethics) sanctions and dismissal are
# different procedures from disciplinary punishment; the order only ranks outcomes for reporting.
LEVEL_RANK: dict[str, int] = {"moral": 1, "ringan": 2, "sedang": 3, "berat": 4, "ptdh": 5}

# Where an outcome whose level the law leaves unassigned stands in the headline: a disciplinary sanction,
# whatever its level, is at least the lightest disciplinary type, so it is not hidden behind a moral
# (ethics) sanction; a dismissal is at least as heavy as the heaviest discipline.
_UNASSIGNED_RANK = {"disiplin": 1.5, "pemberhentian": 4.5}


def headline_rank(level: str | None, category: str | None) -> float:
    """The order of outcomes for the decision's headline (``aggregate.level`` and ``category``)."""
    if level in LEVEL_RANK:
        return LEVEL_RANK[level]
    if level == "unassigned":
        return _UNASSIGNED_RANK.get(category or "", 0.5)
    return 0.0
