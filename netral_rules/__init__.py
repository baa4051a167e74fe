"""netral-rules: Indonesian civil-servant (ASN) political-neutrality law as code.

Public API::

    from netral_rules import Engine
    engine = Engine.default()                 # the bundled rule packs
    decision = engine.evaluate({...})         # a fact as a JSON-compatible dict
    decision.findings[0].category, .level, .sanctions, .basis
"""

__version__ = "0.2.0"

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
