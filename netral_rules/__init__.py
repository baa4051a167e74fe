"""netral-rules: Indonesian civil-servant (ASN) political-neutrality law as code.

Public API::

    from netral_rules import Engine
    engine = Engine.default()                 # the bundled rule packs
    decision = engine.evaluate({...})         # a fact as a JSON-compatible dict
    decision.findings[0].category, .level, .sanctions, .basis
"""

__version__ = "0.1.0"

from .decision import Decision, Finding  # noqa: E402
from .engine import Engine, bundled_rules_dir, load_packs  # noqa: E402
from .errors import (  # noqa: E402
    BackendLimitError,
    BackendUnavailable,
    CitationError,
    FactError,
    NetralError,
    PackError,
    Position,
    Problem,
)
from .facts import Fact, parse_fact  # noqa: E402
from .law import Citation, parse_citation  # noqa: E402

__all__ = [
    "__version__",
    "Engine",
    "Decision",
    "Finding",
    "Fact",
    "parse_fact",
    "Citation",
    "parse_citation",
    "bundled_rules_dir",
    "load_packs",
    "NetralError",
    "PackError",
    "FactError",
    "CitationError",
    "BackendUnavailable",
    "BackendLimitError",
    "Position",
    "Problem",
]
