"""Compact decisions: the decision with what every decision repeats referred to by id, and the catalogue
that holds those texts once.

A full decision is about 10 kB of JSON, most of it the same in every decision that cites the same law: the
articles' texts and glosses, the sanction menus, the packs' notes, the audit's pack list, the rules' titles.
A compact decision writes such an object as ``{"$ref": "<id>"}``, and the engine's catalogue maps every id to
the object. An entry of the catalogue that varies in part (a rule's finding: everything but its explanation
and matched conditions; the audit: everything but the date, the hash and whether ``as_of`` was given) has
``null`` where the decision's own values go, and the compact decision gives them beside the ``$ref``::

    {"$ref": "finding:pp94.dukungan.atribut", "explanation": {...}, "matched": [...]}

Expanding is one rule, wherever it appears (in a decision or in the catalogue itself): an object with a
``$ref`` is the catalogue's entry, expanded, with the object's other keys put in place of the entry's (the
entry's key order is kept). The result is exactly the full decision, byte for byte once serialised as the
engine serialises it (the property suite checks it). A compact decision names its catalogue (``"catalogue":
"<id>"``, the first key, not part of the full form); the id is a hash of the catalogue's content, so a
decision can never be expanded with the texts of other packs, settings or engine version. Any object may also
appear in full in a compact decision: a reference is only ever a shorter way of writing the same bytes.

Built once per engine (:func:`writer`); deciding is unchanged, only the writing differs.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from operator import is_
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel
from pydantic_core import to_json

from ..errors import NetralError, Problem
from ..fact.fields import fact_fields
from ..fact.labels import labels
from ..vocabulary import Bilingual, Category, DecisionStatus, Level, Status

if TYPE_CHECKING:
    from ..decide.engine import Engine

REF = "$ref"
_SHARED_MAX = 1 << 16  # shared objects found by content and then known by identity (a bound on memory)
_KEYS: dict[type, tuple[tuple[str, bytes], ...]] = {}


def _keys(cls: type[BaseModel]) -> tuple[tuple[str, bytes], ...]:
    found = _KEYS.get(cls)
    if found is None:
        found = _KEYS[cls] = tuple((name, to_json(name) + b":") for name in cls.model_fields)
    return found


def _word(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _ref(name: str) -> bytes:
    return b'{"$ref":' + to_json(name) + b"}"


class Catalogue:
    """The objects compact decisions refer to, by id (see the module's docstring)."""

    __slots__ = ("_record", "id", "objects")

    def __init__(self, objects: dict[str, bytes]) -> None:
        #: each entry as JSON text, in id order (entries refer to each other with ``$ref`` too)
        self.objects = objects
        body = b"{" + b",".join(to_json(k) + b":" + v for k, v in objects.items()) + b"}"
        self.id = hashlib.sha256(body).hexdigest()[:16]
        self._record = b'{"catalogue":{"id":"' + self.id.encode() + b'","objects":' + body + b"}}"

    def json(self) -> bytes:
        """The catalogue record, ``{"catalogue": {"id": ..., "objects": {...}}}``: the first line of a compact
        batch, the answer of the service's catalogue endpoint, the file ``check --catalogue FILE`` writes."""
        return self._record

    def as_dict(self) -> dict[str, Any]:
        """``{"id": ..., "objects": {...}}``, as :func:`expand` takes it."""
        return dict(json.loads(self._record)["catalogue"])


class CompactJSON:
    """Writes decisions of one engine in the compact form, and holds the catalogue they refer to."""

    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[int, tuple[object, bytes]] = {}  # shared objects (held, so ids are not reused)
        self._texts: dict[tuple[str, str], bytes] = {}  # Bilingual texts by content
        self._content: dict[bytes, bytes] = {}  # other catalogued objects by their full JSON
        self._content_classes: set[type] = set()  # the classes of those (others are never looked up so)
        self._objects: dict[str, bytes] = {}
        self._findings: dict[str, tuple[tuple[tuple[str, ...], tuple[object, ...], bytes], ...]] = {}
        self._undetermined: dict[str, tuple[object, bytes]] = {}
        self._readings: dict[str, tuple[object, str, str, bytes]] = {}
        self._answers: dict[tuple[str, str], tuple[tuple[str, str], bytes]] = {}
        from ..decide.decision import Question, ReadingRule

        self._special: dict[type, Callable[[Any], bytes | None]] = {
            ReadingRule: self._reading_rule, Question: self._question}
        self._fill(engine)
        self.catalogue = Catalogue(dict(sorted(self._objects.items())))
        self._head = b'{"catalogue":' + to_json(self.catalogue.id)
        from ..decide.decision import Decision

        # __call__ writes the decision's fields in this order: the model's (a new field fails here, not silently)
        written = ("fact_id", "status", "applied_on", "findings", "set_aside", "aggregate", "undetermined",
                   "readings", "assumptions", "notes", "not_covered", "audit")
        if tuple(Decision.model_fields) != written:
            raise AssertionError(f"the compact writer does not know the fields {tuple(Decision.model_fields)}")
        self._status = {s: to_json(s) for s in get_args(DecisionStatus)}

    # --- the catalogue --------------------------------------------------------------------------

    def _add(self, name: str, obj: BaseModel) -> None:
        """Catalogue ``obj`` under ``name``; an object with the same content as one catalogued already is
        referred to by that one's id, and another object under a name already taken gets ``name~2``..."""
        text = (obj.id, obj.en) if isinstance(obj, Bilingual) else None
        full = to_json(obj)
        found = self._texts.get(text) if text is not None else self._content.get(full)
        if found is not None:
            self._by_id.setdefault(id(obj), (obj, found))
            return
        unique, k = name, 1
        while unique in self._objects:
            k += 1
            unique = f"{name}~{k}"
        ref = _ref(unique)
        self._objects[unique] = self._compact(obj)
        self._by_id[id(obj)] = (obj, ref)
        if text is not None:
            self._texts[text] = ref
        else:
            self._content[full] = ref
            self._content_classes.add(type(obj))

    def _template(self, name: str, cls: type[BaseModel], values: dict[str, Any]) -> None:
        """An entry for objects of ``cls`` that share ``values``; the other fields are ``null`` in it."""
        body = b"{" + b",".join(key + (self._compact(values[n]) if n in values else b"null")
                                for n, key in _keys(cls)) + b"}"
        self._objects[name] = body

    def _fill(self, engine: Engine) -> None:
        from ..decide.decision import Audit, Finding, ReadingRule, Undetermined

        law, stages = engine.law, engine.stages
        # leaves first, so that the entries built of them refer to them
        articles = [a for plan in law.rules for a in plan.static["basis"]]
        articles += [a for plans in law.exceptions.by_excluder.values() for p in plans for a in p.record.basis]
        ladders = [*law.ladders.values(), *(lp for plans in law.dated_ladders.values() for lp in plans)]
        articles += [a for lp in ladders for a in (*lp.basis_several, *lp.basis_repeat)]
        for a in articles:
            self._add(f"article:{a.id}", a)
        # a rule whose menus depend on the date (a substitution while its replacement is in force) has them in its
        # variants
        menus = [m for plan in law.rules for m in plan.static["sanctions"]]
        menus += [m for plan in law.rules for *_, v in plan.variants for m in v.base["sanctions"] if m not in menus]
        choices = [o for m in menus for o in m.options] + [o for lp in ladders for _, o in lp.ladder]
        for c in choices:
            self._add(f"sanction:{c.code}", c)
        for m in menus:
            self._add(f"menu:{m.cite}", m)
        for plan in law.rules:
            self._add(f"title:{plan.rule.id}", plan.static["title"])
            for k, note in enumerate(plan.static["notes"]):
                self._add(f"note:{plan.rule.id}#{k}", note)
        for pack_id, notes in stages.pack_notes.items():
            for k, note in enumerate(notes):
                self._add(f"note:{pack_id}#{k}", note)
        for (pack_id, status), note in law.unbound_notes.items():
            self._add(f"note:{pack_id}#unbound-{status}", note)
        from ..decide.stages import _TRUNCATED

        self._add("note:readings#truncated", _TRUNCATED)
        for ref in law.pack_refs:
            self._add(f"pack:{ref.id}", ref)
        for key, assumption in law.assumptions.items():
            self._add(f"assumption:{key}", assumption)
        for plans in law.exceptions.by_excluder.values():
            for p in plans:
                self._add(f"set_aside:{p.record.rule_id}<{p.record.by}", p.record)
        self._words(stages.words)
        self._matched(law)
        self._aggregates(law)
        # the entries with the decision's own values left null
        for plan in law.rules:
            rid = plan.rule.id
            names = tuple(plan.static)
            # a rule whose basis depends on the date (while_in_force) has one template per variant of it
            protos = [(f"finding:{rid}", plan.finding)]
            protos += [(f"finding:{rid}@{k}", v[3]) for k, v in enumerate(plan.variants, 1)]
            layouts = []
            for key, proto in protos:
                self._template(key, Finding, {n: proto.base[n] for n in names})
                layouts.append((names, tuple(proto.base[n] for n in names),
                                b'{"$ref":' + to_json(key) + b',"explanation":'))
            self._findings[rid] = tuple(layouts)
            title = plan.static["title"]
            self._template(f"undetermined:{rid}", Undetermined, {"rule_id": rid, "title": title})
            self._undetermined[rid] = (title, b'{"$ref":' + to_json(f"undetermined:{rid}") + b',"missing":')
            then = plan.rule.rule.then
            self._template(f"reading:{rid}", ReadingRule, {"rule_id": rid, "title": title, "category": then.category,
                                                           "level": then.level})
            self._readings[rid] = (title, then.category, then.level, b'{"$ref":' + to_json(f"reading:{rid}"))
        shared = {n: stages.audit.base[n] for n in ("engine_version", "backend", "packs")}
        self._audit_values = (shared["engine_version"], shared["backend"], shared["packs"], dict(engine.settings))
        self._template("audit", Audit, {**shared, "settings": dict(engine.settings)})
        # aggregates the engine keeps and shares between decisions: their compact JSON once each
        for result in list(stages._aggregates.values()):
            self.remember(result.aggregate)
        stages.on_kept.append(lambda agg, *notes: self.remember(agg))

    def _words(self, words: Any) -> None:
        """The texts of the readings of incomplete reports: outcomes, questions and answers."""
        from ..decide.decision import Answer

        outcomes: list[tuple[bool, str | None, str | None]] = [(False, None, None)]
        outcomes += [(True, c, lvl) for c in get_args(Category) for lvl in get_args(Level)]
        for o in outcomes:
            self._add(f"outcome:{o[1] or 'none'}/{o[2] or 'none'}", words.bound(o))
        lab = labels()
        for which in ("yes", "no", "unknown"):
            self._add(f"answer:{which}", Bilingual(id=lab.answer(which, "id"), en=lab.answer(which, "en")))  # type: ignore[arg-type, unused-ignore]
        for path in fact_fields().paths():
            self._add(f"question:{path}", Bilingual(id=words.question(path, "id"), en=words.question(path, "en")))
            spec = fact_fields().fields[path]
            values = spec.enum if spec.type == "enum" else (True, False) if spec.type == "bool" else ()
            for value in values:
                label = Bilingual(id=words.value_label(path, value, "id"), en=words.value_label(path, value, "en"))
                self._add(f"value:{path}={_word(value)}", label)
                name = f"answer:{path}={_word(value)}"
                self._template(name, Answer, {"value": value, "low": None, "high": None, "label": label})
                self._answers[(path, _word(value))] = ((label.id, label.en), b'{"$ref":' + to_json(name))

    def _matched(self, law: Any) -> None:
        """The matched conditions a finding can report on a field with few values (a list of values, a flag),
        for each of its values, and the single-value terms of the readings' conditions on such fields."""
        from ..conditions import leaves
        from ..decide.compile import MatchedReport
        from ..decide.decision import Term
        from ..decide.readings import _json as term_value

        fields = fact_fields()
        for plan in law.rules:
            for c in leaves(plan.rule.nnf):
                spec = fields.get(c.path)
                if spec is None or spec.type not in ("enum", "bool") or isinstance(c.value, tuple):
                    continue
                report = MatchedReport(c)
                for actual in (spec.enum if spec.type == "enum" else (True, False)):
                    name = f"matched:{c.path} {c.op} {_word(c.value)}"
                    self._add(name if actual == c.value else f"{name} ({_word(actual)})", report._build(actual))
        for path, spec in fields.fields.items():
            if spec.type in ("enum", "bool"):
                for v in (spec.enum if spec.type == "enum" else (True, False)):
                    self._add(f"term:{path}={_word(v)}", Term(field=path, values=(term_value(v),)))

    def _aggregates(self, law: Any) -> None:
        """The aggregate of each rule's finding alone, with each set of aggregations in force that the rule
        meets (no earlier sanction: the most common aggregate of all)."""
        import datetime as dt
        from types import SimpleNamespace

        from ..decide.aggregate import aggregate
        from ..decide.stages import _NO_TEXT

        no_priors: Any = SimpleNamespace(actor=SimpleNamespace(prior_sanctions=()), occurred_on=None)
        days = [law.bounds[0] - dt.timedelta(days=1), *law.bounds] if law.bounds else []
        seen: set[tuple[int, tuple[int, ...], int]] = set()
        for day in days:
            for status in get_args(Status):
                ladders = law.ladders_on(day, status)
                for plan in law.rules:
                    proto = plan.finding_on(day, status)  # its menus may change with the date
                    key = (plan.index, tuple(id(lp) for lp in ladders.values()), id(proto))
                    if key in seen or not plan.applies(day, status):
                        continue
                    seen.add(key)
                    finding = proto.build(explanation=_NO_TEXT, matched=())
                    self._add(f"aggregate:{plan.rule.id}", aggregate([finding], no_priors, ladders).aggregate)

    def remember(self, obj: BaseModel) -> None:
        """Keep the compact JSON of a shared, immutable object (an aggregate the engine keeps)."""
        with self._lock:
            if id(obj) not in self._by_id:
                self._by_id[id(obj)] = (obj, self._compact(obj))

    # --- writing --------------------------------------------------------------------------------

    def _compact(self, value: Any) -> bytes:
        hit = self._by_id.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        if isinstance(value, BaseModel):
            if type(value) is Bilingual:
                return self._texts.get((value.id, value.en)) or to_json(value)
            cls = type(value)
            if cls in self._content_classes:
                found = self._content.get(to_json(value))
                if found is not None:
                    return found
            special = self._special.get(cls)
            if special is not None:
                written: bytes | None = special(value)
                if written is not None:
                    return written
            d = value.__dict__
            return b"{" + b",".join([key + self._compact(d[n]) for n, key in _keys(type(value))]) + b"}"
        if isinstance(value, (tuple, list)):
            return b"[" + b",".join([self._compact(v) for v in value]) + b"]"
        return to_json(value)

    def _list(self, values: Iterable[Any]) -> bytes:
        return b"[" + b",".join([self._compact(v) for v in values]) + b"]"

    def _finding_list(self, findings: Iterable[Any]) -> bytes:
        out = []
        for f in findings:
            d = f.__dict__
            layout = next((lay for lay in self._findings.get(d["rule_id"], ())
                           if all(map(is_, [d[n] for n in lay[0]], lay[1]))), None)
            if layout is not None:
                out.append(layout[2] + to_json(d["explanation"]) + b',"matched":' + self._shared_list(d["matched"])
                           + b"}")
            else:
                out.append(self._compact(f))
        return b"[" + b",".join(out) + b"]"

    def _shared_list(self, items: Iterable[Any]) -> bytes:
        """A list of objects the engine often shares between decisions (matched conditions on a field with few
        values): by identity once one was found in the catalogue by its content."""
        out = []
        by_id = self._by_id
        for m in items:
            hit = by_id.get(id(m))
            if hit is not None and hit[0] is m:
                out.append(hit[1])
                continue
            full = to_json(m)
            ref = self._content.get(full)
            if ref is None:
                out.append(full)
                continue
            if len(by_id) < _SHARED_MAX:
                by_id[id(m)] = (m, ref)  # held here: its id cannot be reused while it is
            out.append(ref)
        return b"[" + b",".join(out) + b"]"

    def _reading_rule(self, r: Any) -> bytes | None:
        d = r.__dict__
        layout = self._readings.get(d["rule_id"])
        if layout is None or d["title"] is not layout[0] or d["category"] != layout[1] or d["level"] != layout[2]:
            return None
        return (layout[3] + b',"when":' + self._compact(d["when"]) + b',"set_aside_by":' + to_json(d["set_aside_by"])
                + b',"text":' + self._compact(d["text"]) + b"}")

    def _question(self, q: Any) -> bytes | None:
        d = q.__dict__
        path = d["field"]
        answers = []
        for a in d["answers"]:
            ad = a.__dict__
            layout = None
            if ad["low"] is None and ad["high"] is None and isinstance(ad["value"], (str, bool)):
                layout = self._answers.get((path, _word(ad["value"])))
            label = ad["label"]
            if layout is not None and layout[0] == (label.id, label.en):
                answers.append(layout[1] + b',"lightest":' + self._compact(ad["lightest"]) + b',"heaviest":'
                               + self._compact(ad["heaviest"]) + b',"outcomes":' + to_json(ad["outcomes"]) + b"}")
            else:
                answers.append(self._compact(a))
        return (b'{"field":' + to_json(path) + b',"text":' + self._compact(d["text"]) + b',"kind":' + to_json(d["kind"])
                + b',"answers":[' + b",".join(answers) + b'],"worst_case":' + to_json(d["worst_case"])
                + b',"required":' + to_json(d["required"]) + b"}")

    def _undetermined_list(self, items: Iterable[Any]) -> bytes:
        out = []
        for u in items:
            d = u.__dict__
            layout = self._undetermined.get(d["rule_id"])
            if layout is not None and d["title"] is layout[0]:
                out.append(layout[1] + to_json(d["missing"]) + b"}")
            else:
                out.append(self._compact(u))
        return b"[" + b",".join(out) + b"]"

    def _audit(self, audit: Any) -> bytes:
        d = audit.__dict__
        version, backend, packs, settings = self._audit_values
        if d["packs"] is packs and d["engine_version"] == version and d["backend"] == backend and (
            d["settings"] == settings
        ):
            return (b'{"$ref":"audit","applied_on":' + to_json(d["applied_on"]) + b',"as_of_given":'
                    + (b"true" if d["as_of_given"] else b"false") + b',"input_sha256":'
                    + to_json(d["input_sha256"]) + b"}")
        return self._compact(audit)

    def __call__(self, decision: Any) -> bytes:
        """The compact JSON of a decision of this engine (any decision: what is not catalogued is written out)."""
        d = decision.__dict__
        lst = self._list
        readings = d["readings"]
        return b"".join((
            self._head,
            b',"fact_id":', to_json(d["fact_id"]),
            b',"status":', self._status.get(d["status"]) or to_json(d["status"]),
            b',"applied_on":', to_json(d["applied_on"]),
            b',"findings":', self._finding_list(d["findings"]) if d["findings"] else b"[]",
            b',"set_aside":', lst(d["set_aside"]) if d["set_aside"] else b"[]",
            b',"aggregate":', self._compact(d["aggregate"]),
            b',"undetermined":', self._undetermined_list(d["undetermined"]) if d["undetermined"] else b"[]",
            b',"readings":', b"null" if readings is None else self._compact(readings),
            b',"assumptions":', lst(d["assumptions"]) if d["assumptions"] else b"[]",
            b',"notes":', lst(d["notes"]) if d["notes"] else b"[]",
            b',"not_covered":', to_json(d["not_covered"]),
            b',"audit":', self._audit(d["audit"]),
            b"}",
        ))


_WRITERS_LOCK = threading.Lock()


def writer(engine: Engine) -> CompactJSON:
    """The compact writer of an engine, built on first use (most engines never write compact decisions)."""
    box: list[CompactJSON] = engine._compact  # shared with the engine's with_detail views
    if not box:
        with _WRITERS_LOCK:
            if not box:
                box.append(CompactJSON(engine))
    return box[0]


# --- expanding --------------------------------------------------------------------------------------


def _catalogue_of(catalogue: dict[str, Any] | Catalogue) -> dict[str, Any]:
    if isinstance(catalogue, Catalogue):
        return catalogue.as_dict()
    if "catalogue" in catalogue and isinstance(catalogue["catalogue"], dict):
        return dict(catalogue["catalogue"])  # the record as a batch's first line holds it
    return catalogue


def expand(value: Any, catalogue: dict[str, Any] | Catalogue) -> Any:
    """A compact decision (the parsed JSON) as the full one, with the catalogue it names (its record, the record's
    ``catalogue`` object, or a :class:`Catalogue`). Raises :class:`NetralError` if the decision names another
    catalogue or refers to an id the catalogue does not hold."""
    cat = _catalogue_of(catalogue)
    objects: dict[str, Any] = cat["objects"]
    if isinstance(value, dict) and "catalogue" in value:
        if value["catalogue"] != cat.get("id"):
            raise NetralError(
                "keputusan ini ditulis dengan katalog lain / this decision was written with another catalogue",
                [Problem(f"the decision names catalogue {value['catalogue']!r}; this one is {cat.get('id')!r}",
                         "catalogue", code="catalogue")],
            )
        value = {k: v for k, v in value.items() if k != "catalogue"}
    done: dict[str, Any] = {}

    def entry(ref: str) -> Any:
        if ref not in done:
            if ref not in objects:
                raise NetralError(
                    "katalog tidak memuat rujukan ini / the catalogue does not hold this reference",
                    [Problem(f"no entry {ref!r} in catalogue {cat.get('id')!r}", "$ref", code="catalogue")],
                )
            done[ref] = walk(objects[ref])
        return done[ref]

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            ref = v.get(REF)
            if ref is None:
                return {k: walk(x) for k, x in v.items()}
            out = _copy(entry(ref))
            for k, x in v.items():
                if k != REF:
                    out[k] = walk(x)
            return out
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(value)


def _copy(v: Any) -> Any:
    # a fresh structure for every place an entry is used: the caller may change one without changing the others
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


def expand_json(data: bytes | str, catalogue: dict[str, Any] | Catalogue) -> bytes:
    """The full decision's JSON bytes from a compact decision's JSON: the bytes ``Engine.decision_json`` writes."""
    return to_json(expand(json.loads(data), catalogue))


__all__ = ["Catalogue", "CompactJSON", "expand", "expand_json", "writer"]
