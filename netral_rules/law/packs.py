"""Where rule packs come from and how they are read: the bundled packs' folder, and every pack (and election
calendar) under some paths read, validated and linted, with every problem found.

Apart from the engine (:mod:`netral_rules.decide.engine` re-exports both), so that the commands that only
read packs (``validate``, ``lock``) and the linter do not import the engine, and the engine built from the
pack cache (:mod:`.packcache`) does not import the linter.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PackError, Problem
from .load import LoadedPack, discover_packs, load_pack

if TYPE_CHECKING:
    from .calendars import Calendars


def bundled_rules_dir() -> Path:
    """The rule packs shipped with the library (inside the wheel, or ``rules/`` in a source checkout)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "bundled", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise PackError(
        "the bundled rule packs are missing from this installation",
        [Problem("expected netral_rules/bundled/ (wheel) or rules/ (source checkout)", str(here))],
    )


def load_packs(paths: Iterable[Path | str]) -> tuple[list[LoadedPack], list[Problem]]:
    """Load and lint every pack under ``paths``; returns the usable packs and every problem."""
    from .lint import lint_packs  # here: an engine built from the pack cache never lints

    roots_given = [Path(p) for p in paths]
    roots, problems = discover_packs(roots_given)  # folders that cannot be listed are problems, never empty
    packs: list[LoadedPack] = []
    for root in roots:
        pack, found = load_pack(root)
        problems.extend(found)
        if pack is not None:
            packs.append(pack)
    if not roots and not problems:
        shown = ", ".join(str(p) for p in roots_given)
        problems.append(Problem("no rule pack found (a pack is a folder with pack.yaml)", shown, code="not_a_pack"))
    problems.extend(lint_packs(packs))
    return packs, problems


def load_law(paths: Iterable[Path | str]) -> tuple[list[LoadedPack], Calendars, list[Problem]]:
    """Every pack under ``paths`` (:func:`load_packs`) and the election calendars that go with them (the
    ``calendars/`` folder beside the packs), with the problems of both."""
    from .calendars import load_calendars

    chosen = list(paths)
    packs, problems = load_packs(chosen)
    calendars, calendar_problems = load_calendars(chosen)
    return packs, calendars, problems + calendar_problems
