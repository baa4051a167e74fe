"""netral-rules: Indonesian civil-servant (ASN) political-neutrality law as code.

Public API::

    from netral_rules import Engine
    engine = Engine.default()                 # the bundled rule packs
    decision = engine.evaluate({...})         # a fact as a JSON-compatible dict
    decision.findings[0].category, .level, .sanctions, .basis
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

# The names below are imported when first used (PEP 562), not with the package: a command that needs only
# some of the library (``netral-rules validate``, ``schema``, ``--version``) does not pay for building the
# engine's and the decisions' models (docs/performance.md, "Start-up").
_WHERE = {
    "Decision": ".decide.decision", "Finding": ".decide.decision",
    "Engine": ".decide.engine", "bundled_rules_dir": ".law.packs", "load_packs": ".law.packs",
    "BackendLimitError": ".errors", "BackendUnavailable": ".errors", "CitationError": ".errors",
    "FactError": ".errors", "NetralError": ".errors", "PackError": ".errors", "Position": ".errors",
    "Problem": ".errors",
    "Fact": ".fact.model", "parse_fact": ".fact.model",
    "Citation": ".law.citations", "parse_citation": ".law.citations",
}

if TYPE_CHECKING:
    from .decide.decision import Decision, Finding
    from .decide.engine import Engine, bundled_rules_dir, load_packs
    from .errors import (
        BackendLimitError,
        BackendUnavailable,
        CitationError,
        FactError,
        NetralError,
        PackError,
        Position,
        Problem,
    )
    from .fact.model import Fact, parse_fact
    from .law.citations import Citation, parse_citation


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value  # the next lookup is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__all__ = [
    "BackendLimitError",
    "BackendUnavailable",
    "Citation",
    "CitationError",
    "Decision",
    "Engine",
    "Fact",
    "FactError",
    "Finding",
    "NetralError",
    "PackError",
    "Position",
    "Problem",
    "__version__",
    "bundled_rules_dir",
    "load_packs",
    "parse_citation",
    "parse_fact",
]
