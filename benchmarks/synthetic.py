"""Synthetic rule packs of any size, shaped like the bundled ones, to show how cost grows with the law.

Every bundled rule tests the act kind and, in most, one value of an enumeration or a flag (a role, an
activity, "used state facilities") plus a few further comparisons. The generated rules have the same shape:
``act.kind`` equal to one kind, one equality on an enumeration or boolean field that the kind carries, and
one to three further comparisons (equalities, exclusions, thresholds) on other fields of the kind, the
actor or the election context. Conditions are drawn with a seeded :class:`random.Random`, so a size and a
seed always give the same pack.

Two shapes of growth, each a family of packs of 10 to 10,000 rules:

* ``dense``: every rule in force at once, from 2000 on, for every status. A law of 10,000 such rules over
  15 act kinds and a few dozen fields is mostly repetition: a fact matches about one rule in 500 of them,
  so the findings (and undetermined rules) a decision must report grow with the pack;
* ``versioned``: the law as it grows in fact, by amendment: versions of ``VERSION_RULES`` rules, each in
  force from the day the one before it ends (2004 to 2031, the dates of the benchmark facts), so a fact
  is governed by one version; the rules of the other versions are history.
"""

from __future__ import annotations

import datetime as dt
import random
import typing
from pathlib import Path
from typing import Any

from netral_rules.testing import dump_yaml

from .compat import ACT_MODELS, FieldSpec, fact_fields

ARTICLE = "PP 99/2099 Pasal 1"
SHAPES = ("dense", "versioned")
VERSION_RULES = 100
_HISTORY = (dt.date(2004, 1, 1), dt.date(2031, 1, 1))
_PER_FILE = 1000
_SHARED = ("actor.", "context.")


def _kind_of(model: Any) -> str:
    return str(typing.get_args(model.model_fields["kind"].annotation)[0])


def _own_values(kind: str, spec: FieldSpec) -> tuple[Any, ...]:
    """The values a field can take on one act kind (the field map merges enumerations across kinds)."""
    if spec.type == "bool":
        return (True, False)
    if not spec.path.startswith("act."):
        return spec.enum
    model = next(m for m in ACT_MODELS if _kind_of(m) == kind)
    info = model.model_fields.get(spec.path.removeprefix("act."))
    if info is None:
        return ()
    for arg in (info.annotation, *typing.get_args(info.annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return tuple(typing.get_args(arg))
    return spec.enum


def _fields_by_kind() -> dict[str, list[FieldSpec]]:
    fields = fact_fields().fields
    kinds = fields["act.kind"].enum
    out: dict[str, list[FieldSpec]] = {}
    for kind in kinds:
        out[kind] = [
            s for p, s in fields.items()
            if p != "act.kind" and s.type in ("enum", "bool", "int")
            and (kind in s.act_kinds or (p.startswith(_SHARED) and p != "actor.status"))
        ]
    return out


def _comparison(rng: random.Random, kind: str, spec: FieldSpec) -> dict[str, Any] | None:
    if spec.type == "int":
        lo = max(int(spec.minimum) if spec.minimum is not None else 0, 0)
        op = rng.choice(("gte", "lt"))
        return {spec.path: {op: rng.randint(lo + (op == "lt"), lo + 30)}}  # 'lt' the minimum: never true
    values = _own_values(kind, spec)
    if not values:
        return None
    op = rng.choice(("eq", "eq", "ne", "in"))
    if op == "in" and len(values) > 2:
        return {spec.path: {"in": rng.sample(list(values), 2)}}
    return {spec.path: {"ne" if op == "ne" else "eq": rng.choice(values)}}


def _periods(n: int) -> list[dict[str, Any]]:
    """The in-force period of each of ``n`` rules of the versioned shape: consecutive versions."""
    versions = max(1, -(-n // VERSION_RULES))
    start, end = _HISTORY
    step = (end - start) / versions
    bounds = [start + step * v for v in range(versions)]
    out = []
    for i in range(n):
        v = i // VERSION_RULES
        period: dict[str, Any] = {"from": dt.date(2000, 1, 1) if v == 0 else bounds[v]}
        if v + 1 < versions:
            period["until"] = bounds[v + 1] - dt.timedelta(days=1)
        out.append(period)
    return out


def rules(n: int, seed: int = 0, shape: str = "dense") -> list[dict[str, Any]]:
    """``n`` rules as YAML data."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}")
    periods = _periods(n) if shape == "versioned" else None
    rng = random.Random(seed)
    by_kind = _fields_by_kind()
    kinds = sorted(by_kind)
    out = []
    for i in range(n):
        kind = rng.choice(kinds)
        anchors = [s for s in by_kind[kind] if s.type in ("enum", "bool") and _own_values(kind, s)]
        anchor = rng.choice(anchors)
        parts: list[dict[str, Any]] = [{"act.kind": kind}, {anchor.path: rng.choice(_own_values(kind, anchor))}]
        others = [s for s in by_kind[kind] if s.path != anchor.path]
        for spec in rng.sample(others, min(len(others), rng.randint(1, 3))):
            part = _comparison(rng, kind, spec)
            if part is not None:
                parts.append(part)
        rule: dict[str, Any] = {
            "id": f"syn.r{i:05d}",
            "title": {"id": f"Aturan sintetis {i}", "en": f"Synthetic rule {i}"},
            "when": {"all": parts},
            "then": {"category": "disiplin", "level": rng.choice(("ringan", "sedang", "berat")), "basis": [ARTICLE]},
            "explain": {"id": f"{{actor}} melanggar aturan {i}.", "en": f"{{actor}} breached rule {i}."},
        }
        if periods is not None:
            rule["in_force"] = periods[i]
        out.append(rule)
    return out


def write_pack(folder: Path, n: int, seed: int = 0, shape: str = "dense") -> Path:
    """Write a loadable pack of ``n`` synthetic rules of a ``shape`` into ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "id": f"syn_{n}", "version": "1.0.0",
        "instrument": {"kind": "PP", "number": "99", "year": 2099, "title": "Peraturan sintetis"},
        "in_force": {"from": dt.date(2000, 1, 1)},
        "binds": {"statuses": ["pns", "cpns", "pppk"]},
    }
    articles = {"articles": [{"cite": ARTICLE, "text": "Pasal uji.", "gloss": "Test article.",
                              "provenance": {"status": "unverified"}}]}
    (folder / "pack.yaml").write_text(dump_yaml(manifest), encoding="utf-8")
    (folder / "articles.yaml").write_text(dump_yaml(articles), encoding="utf-8")
    (folder / "rules").mkdir(exist_ok=True)
    generated = rules(n, seed, shape)
    for start in range(0, n, _PER_FILE):  # the loader refuses YAML files over 2 MB
        part = generated[start : start + _PER_FILE]
        (folder / "rules" / f"generated-{start // _PER_FILE:03d}.yaml").write_text(
            dump_yaml({"rules": part}), encoding="utf-8"
        )
    return folder
