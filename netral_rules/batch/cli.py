"""The ``netral-rules`` command line.

    netral-rules check FILE|-      decide facts (one JSON object, or JSON Lines); --json for JSON Lines out
    netral-rules validate [PATH]   lint rule packs and election calendars; every problem as file:line:col: message
    netral-rules test [PATH]       run the packs' scenario tests
    netral-rules explain FILE|-    one fact, full reasoning in Indonesian (--lang id) or English
    netral-rules schema KIND       JSON Schema of facts, pack files, decisions or election calendars
    netral-rules docs              render the rule catalogue (Markdown) into docs/rules/
    netral-rules serve             the HTTP decision service (FastAPI and uvicorn: the 'service' extra)

Exit codes (every command): 0 success; 1 problems found (invalid records, lint problems, failing
scenarios; with ``check --fail-on-violation`` also any violation); 2 unusable input (unreadable file,
no pack, packs with errors, bad arguments).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .. import __version__
from ..decide.decision import decision_json_schema
from ..decide.engine import Engine, load_packs
from ..errors import FactError, NetralError, Problem
from ..fact.model import fact_json_schema
from ..law.calendars import calendar_dirs, calendar_json_schema, load_calendars
from ..law.load import LoadedPack, discover
from ..law.schema import pack_json_schema
from ..messages import text as msg
from ..output.report import explain_text, table_header, table_summary
from ..service.options import add_arguments as add_serve_arguments
from .config import config_lang, rule_paths, rules_source
from .parallel import STATUSES, Answer, answer_file, answer_parallel, answer_record, parse_line
from .reports import is_yaml, pick, yaml_records

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


class _Usage(Exception):
    pass


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _setting(text: str) -> tuple[str, bool]:
    name, sep, value = text.partition("=")
    if not sep or value.lower() not in ("true", "false"):
        raise argparse.ArgumentTypeError(f"expected NAME=true or NAME=false, got {text!r}")
    return name.strip(), value.lower() == "true"


def _rule_paths(args: argparse.Namespace) -> list[Path]:
    # --rules, else NETRAL_RULES_PATH, else netral-rules.toml, else the bundled packs (see config.py)
    return rule_paths(getattr(args, "rules", None))


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or _default_lang()


def _default_lang() -> str:
    """NETRAL_RULES_LANG, else the configuration file's lang, else the locale (English for en_*), else id."""
    chosen = os.environ.get("NETRAL_RULES_LANG", "").strip().lower()
    if chosen in ("id", "en"):
        return chosen
    try:
        configured = config_lang()
    except NetralError:
        configured = None  # a broken configuration file is reported where its packs are read
    if configured:
        return configured
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "id"
    return "id"


def _engine(args: argparse.Namespace) -> Engine:
    settings = dict(getattr(args, "setting", None) or [])
    return Engine.from_paths(_rule_paths(args), backend=getattr(args, "backend", "native"), settings=settings)


# --- input ----------------------------------------------------------------------------------------


def _open_input(name: str) -> IO[bytes]:
    # bytes, decoded line by line: a line that is not UTF-8 becomes that line's error, not the end of the run
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except OSError as exc:
        raise _Usage(f"cannot read {name}: {exc.strerror}") from None


def read_records(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, parsed JSON or an exception)`` for JSON Lines, or one pretty-printed JSON object.

    A line that is not JSON yields a :class:`FactError` in its place, so every input record gets an answer.
    """
    for n, record, raw in _records(stream):
        yield n, parse_line(record) if raw else record


def _records(stream: IO[bytes]) -> Iterator[tuple[int, Any, bool]]:
    """``(line number, record, raw)``: JSON Lines after the first record come as their bytes (``raw``), to be
    parsed where they are decided (in the worker processes with ``--jobs``); anything else comes parsed."""
    n = 0
    first = b""
    for first in stream:
        n += 1
        if first.strip():
            break
    else:
        return
    record = parse_line(first)
    if not isinstance(record, FactError) or record.problems[0].code != "json_document":
        yield n, record, False
    else:
        # Not one record per line: the whole input may be a single (pretty-printed) JSON object or array.
        whole = parse_line(first + stream.read(), document=True)
        if isinstance(whole, FactError):
            yield n, whole, False
            return
        items = whole if isinstance(whole, list) else [whole]
        for k, item in enumerate(items, 1):
            yield k, item, False
        return
    for number, line in enumerate(stream, n + 1):
        if line.strip():
            yield number, line, True


class _Progress:
    """Count and rate on stderr, at most every half second, for long batches."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = self.last = time.monotonic()
        self.count = 0

    def add(self, records: int) -> None:
        self.count += records
        if not self.enabled or (records == 1 and self.count % 256):
            return
        now = time.monotonic()
        if now - self.last >= 0.5:
            self.last = now
            rate = self.count / max(now - self.start, 1e-9)
            sys.stderr.write(f"\r{self.count} records, {rate:,.0f}/s")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.count >= 256:
            sys.stderr.write(f"\r{self.count} records done.{' ' * 20}\n")


# --- commands -------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    engine = _engine(args)
    lang = _lang(args)
    inputs: list[str] = list(args.input) or ["-"]
    several = len(inputs) > 1
    write, flush, fd = _byte_writer(sys.stdout, large=inputs != ["-"])
    progress = _Progress(args.progress or (not args.quiet and sys.stderr.isatty()))
    errors = 0
    counts = dict.fromkeys(STATUSES, 0)
    if not args.json:
        write((table_header(lang) + "\n").encode())
    try:
        for name in inputs:
            if several and not args.json:
                write(f"== {name}\n".encode())
            label = json.dumps(name, ensure_ascii=False).encode() if several else None
            e, c = _check_one(engine, name, args, lang, write, flush, fd, progress, label)
            errors += e
            for k, v in c.items():
                counts[k] += v
    finally:
        progress.done()
        engine.close()
        flush()
    if not args.json:
        print(table_summary(counts, errors, lang))
    if errors:
        return EXIT_PROBLEMS
    if args.fail_on_violation and counts["violation"]:
        return EXIT_PROBLEMS
    return EXIT_OK


def _check_one(engine: Engine, name: str, args: argparse.Namespace, lang: str, write: Callable[[bytes], object],
               flush: Callable[[], object], fd: int | None, progress: _Progress,
               label: bytes | None) -> tuple[int, dict[str, int]]:
    """Decide the records of one input; with several inputs (``label``), each JSON record names its file."""
    errors = 0
    counts = dict.fromkeys(STATUSES, 0)
    if is_yaml(name):
        records: Iterator[tuple[int, Any, bool]] = ((n, r, False) for n, r in yaml_records(Path(name)))
        stream = None
    else:
        stream = _open_input(name)
        records = _records(stream)
    try:
        if (stream is not None and label is None and args.jobs > 1 and fd is not None
                and _json_lines_file(stream)):
            flush()
            totals = answer_file(stream, fd, jobs=args.jobs, engine=engine, as_of=args.as_of,
                                 json_out=args.json, progress=progress.add, lang=lang)
            errors = totals.errors
            counts = {"violation": totals.violations, "no_violation": totals.no_violation,
                      "undetermined": totals.undetermined, "not_covered": totals.not_covered}
        else:
            for error, status, data in _answers(engine, records, args, lang):
                progress.add(1)
                errors += error
                if status:
                    counts[status] += 1
                if label is not None and args.json:
                    data = b'{"file":' + label + b"," + data[1:]
                write(data)
    finally:
        if stream is not None and stream is not sys.stdin.buffer:
            stream.close()
    return errors, counts


def _json_lines_file(stream: IO[bytes]) -> bool:
    """Is ``stream`` a regular file whose first record is a line of its own (JSON Lines, not one
    pretty-printed document)? Leaves it where it was (stdin redirected from a file may not be at 0)."""
    try:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return False
        start = stream.tell()
    except (AttributeError, OSError, ValueError):
        return False
    try:
        for line in stream:
            if line.strip():
                record = parse_line(line)
                return not (isinstance(record, FactError) and record.problems[0].code == "json_document")
        return False  # nothing to decide
    finally:
        stream.seek(start)


def _byte_writer(out: IO[str], *, large: bool) -> tuple[Callable[[bytes], object], Callable[[], object], int | None]:
    """``(write, flush, fd)`` for UTF-8 output lines: straight to the binary side when the text stream is
    UTF-8 anyway (no decode and encode of every record), else through the text stream with its own
    encoding; ``fd`` is the descriptor underneath, if there is one. With ``large`` and output that is not a
    terminal, writes go through a 1 MB buffer: a decision is ~8 kB, and writing each one by itself cost
    about half as much again as the writing."""
    buffer = getattr(out, "buffer", None)
    if buffer is None or (getattr(out, "encoding", None) or "").lower().replace("-", "") != "utf8":
        return (lambda data: out.write(data.decode())), out.flush, None
    out.flush()
    try:
        fd = buffer.fileno()
    except (AttributeError, OSError, ValueError):
        return buffer.write, buffer.flush, None
    if large and not os.isatty(fd):
        sink = open(fd, "wb", buffering=1 << 20, closefd=False)  # the fd stays open: it is stdout's
        return sink.write, sink.flush, fd
    return buffer.write, buffer.flush, fd


def _answers(engine: Engine, records: Iterator[tuple[int, Any, bool]], args: argparse.Namespace,
             lang: str = "id") -> Iterator[Answer]:
    if args.jobs > 1:
        yield from answer_parallel(records, jobs=args.jobs, engine=engine, as_of=args.as_of, json_out=args.json,
                                   lang=lang)
        return
    for line, record, raw in records:
        yield answer_record(engine, line, record, raw, args.as_of, args.json, lang)


def cmd_validate(args: argparse.Namespace) -> int:
    paths, source = rules_source(args.paths)
    if source is not None and not args.json:
        print(msg("cli.packs_from", source=source, paths=os.pathsep.join(str(p) for p in paths)), file=sys.stderr)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise _Usage(f"no such file or folder: {', '.join(str(p) for p in missing)}")
    calendars, calendar_problems = load_calendars(paths)
    packs: list[LoadedPack] = []
    problems: list[Problem] = []
    if discover(paths) or not calendar_dirs(paths):  # else a calendars folder by itself
        packs, problems = load_packs(paths)
    problems += calendar_problems
    if not packs and not calendar_dirs(paths) and any(p.code == "not_a_pack" for p in problems):
        for p in problems:
            print(p, file=sys.stderr)
        return EXIT_UNUSABLE
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        print(
            json.dumps(
                {"packs": [p.id for p in packs], "calendars": list(calendars.ids),
                 "problems": [p.as_dict() for p in problems]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for p in sorted(problems, key=_problem_key):
            print(p)
        rules = sum(len(p.rules) for p in packs)
        articles = sum(len(p.articles) for p in packs)
        scenarios = sum(len(p.scenarios) for p in packs)
        warn = len(problems) - len(errors)
        n = {"packs": len(packs), "rules": rules, "articles": articles, "scenarios": scenarios,
             "calendars": len(calendars)}
        if errors:
            verdict = msg("cli.validate_errors", None, errors=len(errors), **n)
        else:
            verdict = msg("cli.validate_ok", None, **n)
        print(verdict + (msg("cli.warnings", count=warn) if warn else ""), file=sys.stderr)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _problem_key(p: Problem) -> tuple[str, int, int]:
    w = p.where
    if hasattr(w, "file"):
        return (w.file, w.line, w.column)  # type: ignore[union-attr]
    return (str(w or ""), 0, 0)


def cmd_test(args: argparse.Namespace) -> int:
    from .scenarios import results_json, results_junit, run_scenarios

    paths = rule_paths(args.paths)
    engine = Engine.from_paths(paths, backend=args.backend)
    try:
        results = run_scenarios(engine, args.select)
    finally:
        engine.close()
    if args.junit:
        try:
            Path(args.junit).write_text(results_junit(results), encoding="utf-8")
        except OSError as exc:
            raise _Usage(f"cannot write {args.junit}: {exc.strerror}") from None
    failed = sum(not r.passed for r in results)
    if args.json:
        print(results_json(results))
        if not results:
            print(msg("cli.no_scenario"), file=sys.stderr)
        return EXIT_PROBLEMS if failed or not results else EXIT_OK
    expected, actual = msg("cli.test_expected"), msg("cli.test_actual")
    width = max(len(expected), len(actual)) + 1
    for r in results:
        if r.passed:
            if args.verbose:
                print(f"{msg('cli.test_pass')}  {r.label}")
            continue
        print(f"{msg('cli.test_fail')}  {r.label}  ({r.position})")
        if r.error:
            print(f"      {msg('cli.test_error')}: {r.error}")
        for d in r.differences:
            print(f"      {d.words}:")
            print(f"        {expected + ':':<{width}} {_fmt(d.expected)}")
            print(f"        {actual + ':':<{width}} {_fmt(d.actual)}")
    print(msg("cli.test_summary", passed=len(results) - failed, failed=failed))
    if not results:
        print(msg("cli.no_scenario"), file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_PROBLEMS if failed else EXIT_OK


def _fmt(value: Any) -> str:
    if isinstance(value, (set, frozenset, list, tuple)):
        return "[" + ", ".join(sorted(str(v) for v in value)) + "]"
    return str(value)


def cmd_explain(args: argparse.Namespace) -> int:
    engine = _engine(args)
    try:
        if is_yaml(args.input):
            records = yaml_records(Path(args.input))
        else:
            stream = _open_input(args.input)
            try:
                records = list(read_records(stream))
            finally:
                if stream is not sys.stdin.buffer:
                    stream.close()
        try:
            _, record = pick(records, line=args.line, fact_id=args.id)
            if isinstance(record, NetralError):
                raise record
            decision = engine.evaluate(record, as_of=args.as_of)
        except NetralError as exc:
            print(exc, file=sys.stderr)
            return EXIT_PROBLEMS
    finally:
        engine.close()
    print(explain_text(decision, _lang(args)))
    return EXIT_OK


def cmd_interview(args: argparse.Namespace) -> int:
    from .interview import run

    engine = _engine(args)
    try:
        return run(engine, args.input, args.lang or _default_lang(), Path(args.save) if args.save else None,
                   input, print, sys.stdin.readline)
    finally:
        engine.close()


def cmd_schema(args: argparse.Namespace) -> int:
    if args.write:
        from ..output.schemas import write_schemas

        try:
            for path in write_schemas(Path(args.write)):
                print(path)
        except OSError as exc:
            raise _Usage(f"cannot write {args.write}: {exc.strerror}") from None
        return EXIT_OK
    if args.kind is None:
        raise _Usage("name a schema (fact, pack, decision or calendar) or give --write FOLDER")
    if args.kind == "fact":
        schema = fact_json_schema()
    elif args.kind == "decision":
        schema = decision_json_schema()
    elif args.kind == "calendar":
        schema = calendar_json_schema()
    else:
        schema = pack_json_schema(args.file)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from ..service.run import serve
    except ImportError as exc:  # FastAPI or uvicorn missing: the service is an optional extra
        raise _Usage(
            f"layanan memerlukan paket tambahan 'service' / the service needs the 'service' extra "
            f"(pip install 'netral-rules[service]'): {exc}"
        ) from None
    return serve(args, _rule_paths(args))


def cmd_lock(args: argparse.Namespace) -> int:
    """Record each pack's version and content hash in its pack.lock (after raising the version)."""
    from ..law.lock import write_lock

    paths = rule_paths(args.paths)
    packs, problems = load_packs(paths)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for p in sorted(errors, key=_problem_key):
            print(p)
        print(msg("cli.lock_errors", count=len(errors)), file=sys.stderr)
        return EXIT_PROBLEMS
    if not packs:
        raise _Usage("no rule pack found (a pack is a folder with pack.yaml)")
    for pack in packs:
        try:
            path = write_lock(pack)
        except OSError as exc:
            raise _Usage(f"cannot write {pack.root}/pack.lock: {exc.strerror}") from None
        print(f"{path}: {pack.id} {pack.version} {pack.digest[:12]}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """A working folder for legal staff: a copy of the bundled packs, the settings that name it, the schemas."""
    import shutil

    from ..decide.engine import bundled_rules_dir
    from ..output.schemas import vscode_settings, write_schemas
    from .config import CONFIG_NAME

    folder = Path(args.folder)
    rules = folder / "rules"
    if rules.exists():
        raise _Usage(f"{rules} exists already; choose another folder, or remove it first")
    try:
        shutil.copytree(bundled_rules_dir(), rules, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / CONFIG_NAME).write_text(
            '# netral-rules reads its packs from here when no --rules is given (see the legal-staff guide)\n'
            'rules = ["rules"]\n', encoding="utf-8")
        write_schemas(folder / "schemas")
        (folder / ".vscode").mkdir(exist_ok=True)
        settings = folder / ".vscode" / "settings.json"
        if not settings.exists():
            settings.write_text(json.dumps(vscode_settings("schemas", "rules"), indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise _Usage(f"cannot write {exc.filename or folder}: {exc.strerror}") from None
    print(f"{rules}: a copy of the bundled rule packs (edit these)")
    print(f"{folder / CONFIG_NAME}: commands run in {folder} use them without --rules")
    print(f"{folder / 'schemas'}, {folder / '.vscode' / 'settings.json'}: VS Code completes and checks the pack files")
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from ..output.catalogue import render_catalogue

    engine = _engine(args)
    written = render_catalogue(engine, Path(args.out))
    for path in written:
        print(path)
    return EXIT_OK


# --- parser ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netral-rules",
        description="Indonesian ASN political-neutrality law as code: decide facts against YAML rule packs.",
        epilog="Exit codes: 0 success; 1 problems found; 2 unusable input.",
    )
    parser.add_argument("--version", action="version", version=f"netral-rules {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def lang_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", choices=["id", "en"], default=None,
                       help="language of messages and texts (default: NETRAL_RULES_LANG, netral-rules.toml, the "
                            "locale: en for en_*, else id)")

    def pack_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--rules",
            action="append",
            metavar="PATH",
            help="rule pack folder, or a folder of packs (repeatable; default: NETRAL_RULES_PATH, netral-rules.toml, "
            "else the bundled packs)",
        )
        p.add_argument("--backend", choices=["native", "durable"], default="native")
        p.add_argument(
            "--setting",
            action="append",
            type=_setting,
            metavar="NAME=true|false",
            help="engine setting, e.g. salary_regulation_in_force=true",
        )

    def engine_options(p: argparse.ArgumentParser) -> None:
        pack_options(p)
        p.add_argument(
            "--as-of",
            type=_date,
            metavar="YYYY-MM-DD",
            help="apply the law in force on this date instead of the fact's occurred_on",
        )

    p = sub.add_parser("check", help="decide reports (JSON, JSON Lines or YAML, from files or stdin)")
    p.add_argument("input", nargs="*", help="files with one JSON report, JSON Lines, or YAML (*.yaml: one report "
                   "or a list); - or nothing for stdin; with several files, the JSON records name their file")
    lang_option(p)
    p.add_argument("--json", action="store_true", help="JSON Lines out: {line, decision} or {line, error}")
    p.add_argument("--jobs", type=_positive, default=1, metavar="N", help="evaluate in N processes (output order kept)")
    p.add_argument("--progress", action="store_true", help="show progress on stderr even when it is not a terminal")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument("--fail-on-violation", action="store_true", help="exit 1 if any fact is a violation")
    engine_options(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("validate", help="lint rule packs and election calendars; every problem as file:line:col")
    lang_option(p)
    p.add_argument("paths", nargs="*", help="pack folders, folders of packs, or a calendars folder (default: "
                   "NETRAL_RULES_PATH, netral-rules.toml, else the bundled packs and calendars)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("test", help="run the packs' scenario tests")
    lang_option(p)
    p.add_argument("paths", nargs="*", help="pack folders or folders of packs (default: NETRAL_RULES_PATH, "
                   "netral-rules.toml, else the bundled packs)")
    p.add_argument("-k", "--select", help="only scenarios whose 'pack: name' contains this text")
    p.add_argument("-v", "--verbose", action="store_true", help="also list passing scenarios")
    p.add_argument("--backend", choices=["native", "durable"], default="native")
    p.add_argument("--json", action="store_true", help="the results as one JSON document on stdout")
    p.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML to FILE (for CI systems)")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("interview", help="build a report by answering one question at a time")
    p.add_argument("input", nargs="?", default=None, help="a partial report (JSON) to start from; - for stdin")
    p.add_argument("--lang", choices=["id", "en"], default=None,
                   help="language of the questions (default: NETRAL_RULES_LANG, netral-rules.toml, the locale, id)")
    p.add_argument("--save", metavar="FILE", help="write the completed report (JSON) to FILE")
    engine_options(p)
    p.set_defaults(func=cmd_interview)

    p = sub.add_parser("explain", help="one report, full reasoning")
    p.add_argument("input", nargs="?", default="-", help="a JSON, JSON Lines or YAML file; - for stdin")
    p.add_argument("--id", help="the report with this id, in a file of several")
    p.add_argument("--line", type=_positive, metavar="N", help="the report on (or starting at) line N")
    lang_option(p)
    engine_options(p)
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("schema", help="print a JSON Schema, or write them all as files (--write)")
    p.add_argument("kind", nargs="?", choices=["fact", "pack", "decision", "calendar"])
    p.add_argument("--write", metavar="FOLDER", help="write every schema as FOLDER/<name>.schema.json (for editors)")
    p.add_argument(
        "--file",
        choices=["pack", "articles", "rules", "tests"],
        help="for 'pack': the schema of one file kind (default: all of them)",
    )
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("lock", help="record each pack's version and content hash in its pack.lock")
    lang_option(p)
    p.add_argument("paths", nargs="*", help="pack folders or folders of packs (default: as validate)")
    p.set_defaults(func=cmd_lock)

    p = sub.add_parser("init", help="set up a working folder: a copy of the packs, netral-rules.toml, schemas")
    p.add_argument("folder", nargs="?", default=".", help="the folder to set up (default: the current one)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("docs", help="render the rule catalogue (Markdown) into docs/rules/")
    p.add_argument("--out", default="docs/rules")
    engine_options(p)
    p.set_defaults(func=cmd_docs)

    # no abbreviations: `--token SECRET` must not be taken for --token-file (tokens never go on the command line)
    p = sub.add_parser("serve", help="run the HTTP decision service (needs the 'service' extra)", allow_abbrev=False)
    pack_options(p)
    add_serve_arguments(p)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    chosen = getattr(args, "lang", None) or _default_lang()
    before = os.environ.get("NETRAL_RULES_LANG")
    os.environ["NETRAL_RULES_LANG"] = chosen  # every message of this command in that language
    try:
        return int(args.func(args))
    except _Usage as exc:
        print(f"netral-rules: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except NetralError as exc:
        print(f"netral-rules: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # e.g. `| head`: the reader left; nothing more to say
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    finally:
        if before is None:
            os.environ.pop("NETRAL_RULES_LANG", None)
        else:
            os.environ["NETRAL_RULES_LANG"] = before


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
