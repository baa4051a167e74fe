"""Load a rule-pack folder into typed objects that remember where everything was written.

Loading reads every file of a pack, validates it against :mod:`.schema`, parses conditions (type-checked
against the fact model) and citations, and collects every problem with its file:line:column. It never
stops at the first problem: a pack with ten mistakes gets ten messages. Checks that need several packs at
once (citations resolving across packs, duplicate rule ids) are in :mod:`.lint`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..conditions import Condition, ConditionParser, to_nnf
from ..errors import PackError, Position, Problem
from ..fact.fields import fact_fields
from ..messages import text as msg
from .citations import Citation, try_parse
from .files import exists, list_folder, read_regular
from .schema import Article, ArticlesFile, PackManifest, Period, Rule, RulesFile, Scenario, ScenariosFile
from .yamlread import MAX_FILE_BYTES, Located, read_yaml_bytes

M = TypeVar("M", bound=BaseModel)

PACK_FILE = "pack.yaml"
_RULE_ID = re.compile(r"^\s*-\s+id:\s*['\"]?([a-z0-9][a-z0-9_.\-]*)['\"]?\s*(?:#.*)?$", re.MULTILINE)
MAX_SOURCE_BYTES = 16 * 1024 * 1024  # an official text; the largest bundled one is about 100 kB
ARTICLES_FILE = "articles.yaml"


@dataclass
class CiteRef:
    """A citation as written in a pack, parsed (or None if it did not parse), with its position."""

    text: str
    citation: Citation | None
    pos: Position


@dataclass
class LoadedArticle:
    article: Article
    citation: Citation
    pos: Position
    pack_id: str
    option_cites: list[CiteRef] = field(default_factory=list)


@dataclass
class LoadedRule:
    rule: Rule
    condition: Condition
    nnf: Condition
    pack_id: str
    file: str
    pos: Position
    in_force: Period
    binds: tuple[str, ...]
    basis: list[CiteRef]
    sanctions: list[CiteRef]
    located: Located
    index: int
    sets_aside_basis: list[list[CiteRef]] = field(default_factory=list)  # per sets_aside entry
    # per basis entry: cited only on the dates its instrument's pack is in force ({cite, while_in_force: true})
    basis_while_in_force: tuple[bool, ...] = ()

    @property
    def id(self) -> str:
        return self.rule.id

    def position(self, *path: str | int) -> Position:
        return self.located.pos(("rules", self.index) + tuple(path))


@dataclass
class LoadedScenario:
    scenario: Scenario
    pack_id: str
    file: str
    pos: Position
    located: Located
    index: int


@dataclass
class LoadedPack:
    root: Path
    manifest: PackManifest
    manifest_located: Located
    articles: dict[Citation, LoadedArticle]
    rules: list[LoadedRule]
    scenarios: list[LoadedScenario]
    file_hashes: dict[str, str]
    source_text: str | None
    cites: list[CiteRef]  # every citation written in manifest and rules, for the linter
    broken_rule_ids: list[str] = field(default_factory=list)  # rules dropped for errors already reported

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def digest(self) -> str:
        """sha256 over the pack's files (names and contents), stable across machines."""
        h = hashlib.sha256()
        for name in sorted(self.file_hashes):
            h.update(name.encode() + b"\0" + self.file_hashes[name].encode() + b"\n")
        return h.hexdigest()


def _model_problems(exc: ValidationError, located: Located, model: type[BaseModel],
                    prefix: tuple[Any, ...] = ()) -> list[Problem]:
    from .schema_problems import schema_problems  # one message per mistake, in words

    return schema_problems(exc, located, model, prefix)


def _validate(model: type[M], located: Located, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(located.data if located.data is not None else {})
    except ValidationError as exc:
        problems.extend(_model_problems(exc, located, model))
        return None


def _read(path: Path, root: Path, problems: list[Problem], hashes: dict[str, str], display_root: str) -> Located | None:
    """A pack file, read once (regular, inside the pack, bounded: :mod:`.files`); its hash is of the bytes read.
    A file that cannot be read or parsed adds its problems and gives None."""
    name = path.relative_to(root).as_posix()
    try:
        located, raw = read_yaml_bytes(path, display=f"{display_root}/{name}", root=root)
    except PackError as exc:
        problems.extend(exc.problems)
        return None
    hashes[name] = hashlib.sha256(raw).hexdigest()
    return located


def _read_folder(
    root: Path, folder: str, model: type[M], problems: list[Problem], hashes: dict[str, str], shown: str,
    invalid: list[Located] | None = None, unreadable: list[Path] | None = None,
) -> Iterator[tuple[Located, M]]:
    """Every ``folder/*.yaml`` of a pack that reads and validates, in name order; problems are collected, the
    files that read but do not validate are added to ``invalid``, those that do not read to ``unreadable``. A
    folder that cannot be listed is an error, never an empty folder."""
    try:
        names = list_folder(root / folder, ".yaml", shown=f"{shown}/{folder}", root=root)
    except PackError as exc:
        problems.extend(exc.problems)
        return
    for name in names:
        path = root / folder / name
        loc = _read(path, root, problems, hashes, shown)
        if loc is None:
            if unreadable is not None:
                unreadable.append(path)
            continue
        parsed = _validate(model, loc, problems)
        if parsed is not None:
            yield loc, parsed
        elif invalid is not None:
            invalid.append(loc)


def _cite(text: Any, pos: Position, problems: list[Problem]) -> CiteRef:
    if not isinstance(text, str):
        problems.append(
            Problem(msg("cite.not_text"), pos, code="citation_syntax")
        )
        return CiteRef(str(text), None, pos)
    citation, message = try_parse(text)
    if citation is None:
        problems.append(Problem(msg("cite.syntax", message=message), pos, code="citation_syntax"))
    return CiteRef(text, citation, pos)


def _relative_pos(located: Located, base: tuple[Any, ...], path: tuple[Any, ...], key: bool) -> Position:
    return located.pos(base + path, key=key)


def load_pack(root: Path, *, display_root: str | None = None) -> tuple[LoadedPack | None, list[Problem]]:
    """Load one pack folder. Returns the pack (None if it is unusable) and every problem found."""
    root = Path(root)
    shown = display_root or root.as_posix()
    problems: list[Problem] = []
    hashes: dict[str, str] = {}
    if not exists(root / PACK_FILE):
        problems.append(Problem(msg("pack.not_a_pack", file=PACK_FILE), Position(shown), code="not_a_pack"))
        return None, problems

    manifest_loc = _read(root / PACK_FILE, root, problems, hashes, shown)
    manifest = _validate(PackManifest, manifest_loc, problems) if manifest_loc else None
    if manifest is None or manifest_loc is None:
        return None, problems
    pack_id = manifest.id
    cites: list[CiteRef] = []

    def mcite(text: Any, *path: Any) -> CiteRef:
        ref = _cite(text, manifest_loc.pos(path), problems)
        cites.append(ref)
        return ref

    for i, text in enumerate(manifest.binds.basis):
        mcite(text, "binds", "basis", i)
    for si, setting in enumerate(manifest.settings):
        for i, text in enumerate(setting.basis):
            mcite(text, "settings", si, "basis", i)
    for si, sub in enumerate(manifest.substitutions):
        mcite(sub.replace, "substitutions", si, "replace")
        mcite(sub.with_, "substitutions", si, "with")
        for i, text in enumerate(sub.basis):
            mcite(text, "substitutions", si, "basis", i)
    if manifest.aggregation:
        for i, text in enumerate(manifest.aggregation.ladder):
            mcite(text, "aggregation", "ladder", i)
        for key in ("several", "repeat"):
            for i, text in enumerate(getattr(manifest.aggregation.basis, key)):
                mcite(text, "aggregation", "basis", key, i)

    # articles
    articles: dict[Citation, LoadedArticle] = {}
    if exists(root / ARTICLES_FILE):
        art_loc = _read(root / ARTICLES_FILE, root, problems, hashes, shown)
        art_file = _validate(ArticlesFile, art_loc, problems) if art_loc else None
        if art_file is not None and art_loc is not None:
            for i, art in enumerate(art_file.articles):
                ref = _cite(art.cite, art_loc.pos(("articles", i, "cite")), problems)
                if ref.citation is None:
                    continue
                if ref.citation in articles:
                    first = articles[ref.citation].pos
                    problems.append(
                        Problem(
                            msg("pack.article_twice", cite=ref.citation, line=first.line),
                            ref.pos,
                            code="duplicate_article",
                        )
                    )
                    continue
                loaded = LoadedArticle(art, ref.citation, art_loc.pos(("articles", i)), pack_id)
                for oi, opt in enumerate(art.options):
                    oref = _cite(opt.cite, art_loc.pos(("articles", i, "options", oi, "cite")), problems)
                    loaded.option_cites.append(oref)
                    cites.append(oref)
                articles[ref.citation] = loaded

    # rules
    rules: list[LoadedRule] = []
    broken: list[str] = []
    fields = fact_fields()
    invalid: list[Located] = []
    unreadable: list[Path] = []
    for loc, rules_file in _read_folder(root, "rules", RulesFile, problems, hashes, shown, invalid, unreadable):
        for i, rule in enumerate(rules_file.rules):
            base = ("rules", i)
            parser = ConditionParser(fields, partial(_relative_pos, loc, base + ("when",)))
            condition = parser.parse(rule.when)
            problems.extend(parser.problems)
            # an entry is a citation, or {cite, while_in_force} (cited only while its instrument is in force)
            basis = [
                _cite(t, loc.pos(base + ("then", "basis", j)), problems)
                if isinstance(t, str)
                else _cite(t.cite, loc.pos(base + ("then", "basis", j, "cite")), problems)
                for j, t in enumerate(rule.then.basis)
            ]
            dated = tuple(not isinstance(t, str) and t.while_in_force for t in rule.then.basis)
            sanctions = [
                _cite(t, loc.pos(base + ("then", "sanctions", j)), problems) for j, t in enumerate(rule.then.sanctions)
            ]
            aside = [
                [_cite(t, loc.pos(base + ("sets_aside", k, "basis", j)), problems) for j, t in enumerate(e.basis)]
                for k, e in enumerate(rule.sets_aside)
            ]
            cites.extend(basis + sanctions + [ref for refs in aside for ref in refs])
            if condition is None:
                broken.append(rule.id)
                continue
            rules.append(
                LoadedRule(
                    rule=rule,
                    condition=condition,
                    nnf=to_nnf(condition),
                    pack_id=pack_id,
                    file=loc.file,
                    pos=loc.pos(base),
                    in_force=rule.in_force or manifest.in_force,
                    binds=tuple(rule.binds or manifest.binds.statuses),
                    basis=basis,
                    sanctions=sanctions,
                    located=loc,
                    index=i,
                    sets_aside_basis=aside,
                    basis_while_in_force=dated,
                )
            )

    # the rules of a file with an error are still known ids: a scenario naming one is no second mistake
    for loc in invalid:
        raw = loc.data.get("rules") if isinstance(loc.data, dict) else None
        if isinstance(raw, list):  # anything else is the file's own error already
            broken.extend(r["id"] for r in raw if isinstance(r, dict) and isinstance(r.get("id"), str))
    for path in unreadable:  # YAML that does not read: its rule ids as written, line by line
        try:
            raw_text = read_regular(path, MAX_FILE_BYTES, root=root)  # bounded, as every read of a pack
        except PackError:
            continue  # its own problem says why
        broken.extend(_RULE_ID.findall(raw_text.decode("utf-8", errors="replace")))

    # scenario tests
    scenarios: list[LoadedScenario] = []
    for loc, sfile in _read_folder(root, "tests", ScenariosFile, problems, hashes, shown):
        for i, sc in enumerate(sfile.scenarios):
            scenarios.append(LoadedScenario(sc, pack_id, loc.file, loc.pos(("scenarios", i)), loc, i))

    # the official text
    source_text = None
    if manifest.source is not None:
        source_text = _source(root, manifest.source.file, manifest_loc, hashes, problems, shown)

    pack = LoadedPack(root, manifest, manifest_loc, articles, rules, scenarios, hashes, source_text, cites, broken)
    return pack, problems


def _source(root: Path, file: str, manifest_loc: Located, hashes: dict[str, str], problems: list[Problem],
            shown: str) -> str | None:
    """The pack's official text: a regular file inside the pack (never ``../`` or an absolute path out of it),
    at most :data:`MAX_SOURCE_BYTES`."""
    where = manifest_loc.pos(("source", "file"))
    path = root / file
    if not _inside_pack(root, path):
        problems.append(Problem(msg("source.outside", file=file), where, code="outside_pack"))
        return None
    if not exists(path):
        problems.append(Problem(msg("source.missing", file=file), where, code="missing_source"))
        return None
    try:
        raw = read_regular(path, MAX_SOURCE_BYTES, shown=f"{shown}/{file}", root=root)
    except PackError as exc:
        problems.extend(exc.problems)
        return None
    hashes[file] = hashlib.sha256(raw).hexdigest()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(msg("source.not_utf8"), Position(f"{shown}/{file}"), code="encoding"))
        return None


def _inside_pack(root: Path, path: Path) -> bool:
    # as written, before links are followed (read_regular checks where links lead): no absolute path, no ..
    rel = os.path.normpath(os.path.relpath(os.path.abspath(path), os.path.abspath(root)))
    return not (os.path.isabs(rel) or rel == ".." or rel.startswith(".." + os.sep))


def discover(paths: list[Path]) -> list[Path]:
    """Pack folders under the given paths: a folder with pack.yaml, or the folders one level below it."""
    return discover_packs(paths)[0]


def discover_packs(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """:func:`discover`, with a problem for each folder that cannot be listed (no permission, a link loop):
    such a folder is never taken for an empty one. A folder below whose ``pack.yaml`` cannot even be looked
    at is taken as a pack, so that loading it says why it cannot be read."""
    found: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        p = Path(p)
        if exists(p / PACK_FILE):
            found.append(p)
            continue
        try:
            names = list_folder(p, "", shown=str(p))
        except PackError as exc:
            if exc.problems[0].code != "not_a_folder":  # a file given as the path: "no rule pack found" says so
                problems.extend(exc.problems)
            continue
        found.extend(p / name for name in names if exists(p / name / PACK_FILE))
    return found, problems
