"""The condition language of the rule packs, in one package.

* :mod:`.tree`      the tree (``Compare``, ``All``, ``AnyOf``, ``Not``) and its negation normal form;
* :mod:`.parse`     parsing YAML data into a tree, type-checked against the fact model, with positions;
* :mod:`.logic`     two- and three-valued truth on flat facts, and which missing values decide;
* :mod:`.satisfy`   satisfiability and value candidates (which facts can make a condition true);
* :mod:`.compiled`  conditions compiled once into predicates (certain, possible, deciding, witness);
* :mod:`.index`     the rule index by act kind and anchor value;
* :mod:`.words`     conditions in plain words.

The linter, the compile stage, both backends and the testing strategies all use it; nothing here knows a
backend.
"""

from .logic import compare_holds, deciding_missing, evaluate3, satisfied_leaves
from .parse import ConditionParser, condition_json_schema
from .tree import OPERATORS, ORDERED_OPS, All, AnyOf, Compare, Condition, Not, leaves, negate_compare, paths, to_nnf
from .words import describe

__all__ = [
    "OPERATORS",
    "ORDERED_OPS",
    "All",
    "AnyOf",
    "Compare",
    "Condition",
    "ConditionParser",
    "Not",
    "compare_holds",
    "condition_json_schema",
    "deciding_missing",
    "describe",
    "evaluate3",
    "leaves",
    "negate_compare",
    "paths",
    "satisfied_leaves",
    "to_nnf",
]
