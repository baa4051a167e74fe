"""The few library names the benchmarks use, found in this checkout's layout or in the start-of-round one
(flat modules: ``netral_rules.facts``, ``netral_rules.cli``...), so that one harness measures both side by
side: ``PYTHONPATH=<other checkout> python -m benchmarks.run`` from a folder holding only ``benchmarks/``
(see docs/performance.md, "Before and after")."""

from __future__ import annotations

import importlib
from typing import Any

from netral_rules import Engine


def _first(*names: str) -> Any:
    for dotted in names:
        module, _, attr = dotted.rpartition(".")
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue
    raise ImportError(f"none of {', '.join(names)}")


Fact: Any = _first("netral_rules.fact.model.Fact", "netral_rules.facts.Fact")
flatten: Any = _first("netral_rules.fact.fields.flatten", "netral_rules.fieldmap.flatten")
derive: Any = _first("netral_rules.fact.derive.derive", "netral_rules.enrich.derive")
fact_fields: Any = _first("netral_rules.fact.fields.fact_fields", "netral_rules.fieldmap.fact_fields")
FieldSpec: Any = _first("netral_rules.fact.fields.FieldSpec", "netral_rules.fieldmap.FieldSpec")
ACT_MODELS: Any = _first("netral_rules.fact.model.ACT_MODELS", "netral_rules.facts.ACT_MODELS")
decide_line: Any = None
try:
    decide_line = _first("netral_rules.batch.parallel.decide_line")
except ImportError:
    pass
CLI_MODULE = "netral_rules.batch.cli"
try:
    importlib.import_module(CLI_MODULE)
except ImportError:
    CLI_MODULE = "netral_rules.cli"


def compact_available(engine: Engine) -> bool:
    """Does this checkout write compact decisions (``check --detail compact``)?"""
    return hasattr(engine, "catalogue")


def readings_of(decision: Any) -> Any:
    """A decision's readings (None for a complete report, and always before decisions had them)."""
    return getattr(decision, "readings", None)
