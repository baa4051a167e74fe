"""The ``netral-rules`` command line.

    netral-rules check FILE...|-   decide reports (JSON, JSON Lines or YAML); --json for JSON Lines out
    netral-rules validate [PATH]   lint rule packs and election calendars; every problem as file:line:col: message
    netral-rules test [PATH]       run the packs' scenario tests
    netral-rules explain FILE|-    one report, full reasoning in Indonesian (--lang id) or English
    netral-rules interview         build a report by answering one question at a time
    netral-rules schema KIND       JSON Schema of facts, pack files, decisions or election calendars
    netral-rules lock [PATH]       record each pack's version and content hash in its pack.lock
    netral-rules init [FOLDER]     a working folder for legal staff: a copy of the packs, netral-rules.toml
    netral-rules docs              render the rule catalogue (Markdown) into docs/rules/
    netral-rules serve             the HTTP decision service (FastAPI and uvicorn: the 'service' extra)

Messages are in the language of ``--lang``, else ``NETRAL_RULES_LANG``, else the ``lang`` of a
``netral-rules.toml``, else the locale, else Indonesian (:func:`netral_rules.messages.default_lang`).

Exit codes (every command): 0 success; 1 problems found (invalid records, lint problems, failing
scenarios; with ``check --fail-on-violation`` also any violation); 2 unusable input (unreadable or closed
input, no pack, packs with errors, bad arguments); 3 a failure while working (the output cannot be written,
a worker process died, reading failed midway, an internal error): one line on stderr says what, and for a
batch how many records the output holds; ``--debug`` adds the traceback; 128 + N stopped by signal N
(SIGTERM 143, SIGINT 130, SIGHUP 129), the output ending after a whole record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import re
import stat
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import IO, Any, NoReturn

from .. import __version__
from ..decide.decision import decision_json_schema
from ..decide.engine import Engine
from ..errors import NetralError, Problem
from ..fact.model import fact_json_schema
from ..law.calendars import calendar_dirs, calendar_json_schema, load_calendars
from ..law.load import LoadedPack, discover
from ..law.packs import load_packs
from ..law.schema import pack_json_schema
from ..messages import default_lang, reason
from ..messages import text as msg
from ..output.report import explain_text, table_header, table_summary, terminal_error, terminal_safe
from ..service.options import add_arguments as add_serve_arguments
from .config import rule_paths, rules_source
from .framing import Record, bounded_lines, may_open_document, records
from .parallel import (
    STATUSES,
    BatchError,
    BlockResult,
    WriteFailed,
    answer_file,
    answer_record,
    answer_stream,
    labelled,
    parse_line,
    trim,
)
from .reports import is_yaml, pick, yaml_records
from .stops import Stopped, held, stoppable

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_FAILED = 0, 1, 2, 3


class _Usage(Exception):
    pass

def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(msg("args.not_a_date", _parsing_lang(), value=repr(text))) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(msg("args.not_positive", _parsing_lang(), value=repr(text)))
    return value


def _setting(text: str) -> tuple[str, bool]:
    name, sep, value = text.partition("=")
    if not sep or value.lower() not in ("true", "false"):
        raise argparse.ArgumentTypeError(msg("args.not_setting", _parsing_lang(), value=repr(text)))
    return name.strip(), value.lower() == "true"


def _rule_paths(args: argparse.Namespace) -> list[Path]:
    # --rules, else NETRAL_RULES_PATH, else netral-rules.toml, else the bundled packs (see config.py)
    return rule_paths(getattr(args, "rules", None))


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or default_lang()


def _engine(args: argparse.Namespace) -> Engine:
    from ..law.packcache import cache_dir

    settings = dict(getattr(args, "setting", None) or [])
    return Engine.from_paths(_rule_paths(args), backend=getattr(args, "backend", "native"), settings=settings,
                             cache=cache_dir(getattr(args, "cache", None)))


# --- input ----------------------------------------------------------------------------------------


def _open_input(name: str) -> IO[bytes]:
    # bytes, decoded line by line: a line that is not UTF-8 becomes that line's error, not the end of the run
    if name == "-":
        if sys.stdin is None:  # started with stdin closed (<&-)
            raise _Usage(msg("cli.stdin_closed"))
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except OSError as exc:
        raise _Usage(msg("cli.cannot_read", name=name, reason=reason(exc))) from None


def read_records(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, parsed JSON or an exception)`` for each record of the input, as :mod:`.framing`
    cuts it (JSON Lines, or one JSON document). A record that is not JSON yields a :class:`FactError` in its
    place, so every input record gets an answer."""
    for n, record, raw in records(stream):
        yield n, parse_line(record) if raw else record


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
            sys.stderr.write("\r" + msg("cli.progress", count=self.count, rate=f"{rate:,.0f}"))
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.count >= 256:
            sys.stderr.write("\r" + msg("cli.progress_done", count=self.count) + " " * 20 + "\n")


# --- commands -------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if args.detail == "compact":  # compact decisions are JSON: the table has no detail to leave out
        args.json = True
        engine = engine.with_detail("compact")
    elif args.catalogue:
        raise _Usage("--catalogue FILE goes with --detail compact")
    lang = _lang(args)
    inputs: list[str] = list(args.input) or ["-"]
    several = len(inputs) > 1
    # a large output buffer for files' batches; a stream from stdin (say, tail -f) is answered as it comes
    out = _output(buffered=inputs != ["-"])
    progress = _Progress(args.progress or (not args.quiet and sys.stderr.isatty()))
    errors = 0
    counts = dict.fromkeys(STATUSES, 0)
    source = None
    if args.detail == "compact":  # the catalogue first: the first line, or its own file
        _catalogue_out(engine, args.catalogue, lambda data: out.write(data, 0))
    try:
        if not args.json:
            out.write((table_header(lang) + "\n").encode(), 0)
        for name in inputs:
            source = name if several else None
            out.last_line = 0  # input lines are counted per file
            if several and not args.json:
                out.write(f"== {terminal_safe(name)}\n".encode(), 0)
            label = json.dumps(name, ensure_ascii=False).encode() if several else None
            e, c = _check_one(engine, name, args, lang, out, progress, label)
            errors += e
            for k, v in c.items():
                counts[k] += v
        if not args.json:
            out.write((table_summary(counts, errors, lang) + "\n").encode(), 0)
        with held():
            out.flush()
    except BatchError as exc:  # the workers wrote the records, and counted them
        raise BatchError(exc.cause, out.answered + exc.answered, exc.last_line or out.last_line,
                         source) from exc.cause
    except BaseException as exc:
        if not isinstance(exc, WriteFailed):
            try:  # the records answered before the failure are whole: they go out
                with held():
                    out.flush()
            except OSError:
                pass
        raise BatchError(exc, out.answered, out.last_line, source) from exc
    finally:
        progress.done()
        engine.close()
    if errors:
        return EXIT_PROBLEMS
    if args.fail_on_violation and counts["violation"]:
        return EXIT_PROBLEMS
    return EXIT_OK


def _check_one(engine: Engine, name: str, args: argparse.Namespace, lang: str, out: _Output, progress: _Progress,
               label: bytes | None) -> tuple[int, dict[str, int]]:
    """Decide the records of one input; with several inputs (``label``), each JSON record names its file."""
    if is_yaml(name):
        found: Iterator[Record] = ((n, r, False) for n, r in yaml_records(Path(name)))
        stream = None
    else:
        stream = _open_input(name)
        found = records(stream)
    try:
        if args.jobs > 1 and out.fd is not None:
            # the workers write the output themselves, in order: what the parent buffered goes first
            with held():
                out.flush()
            common: dict[str, Any] = {"jobs": args.jobs, "engine": engine, "as_of": args.as_of,
                                      "json_out": args.json, "progress": progress.add, "lang": lang,
                                      "label": label}
            if stream is not None and _json_lines_file(stream):
                totals = answer_file(stream, out.fd, **common)
            else:
                totals = answer_stream(found, out.fd, **common)
            out.answered += totals.records
            return totals.errors, _counts(totals)
        errors = 0
        counts = dict.fromkeys(STATUSES, 0)
        for line, record, raw in found:
            error, status, data = answer_record(engine, line, record, raw, args.as_of, args.json, lang)
            progress.add(1)
            errors += error
            if status:
                counts[status] += 1
            with held():
                out.write(labelled(data, label) if args.json else data, line)
        return errors, counts
    finally:
        if stream is not None and stream is not sys.stdin.buffer:
            stream.close()


def _counts(totals: BlockResult) -> dict[str, int]:
    return {"violation": totals.violations, "no_violation": totals.no_violation,
            "undetermined": totals.undetermined, "not_covered": totals.not_covered}


def _catalogue_out(engine: Engine, target: str | None, write: Callable[[bytes], object]) -> None:
    """The catalogue compact decisions refer to: the first line of the output, or the file ``target`` (written
    whole under a temporary name and then renamed: a reader never sees half of it)."""
    record = engine.catalogue().json() + b"\n"
    if target is None:
        write(record)
        return
    path = Path(target)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        part.write_bytes(record)
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise _Usage(f"cannot write {target}: {exc.strerror}") from None


def _json_lines_file(stream: IO[bytes]) -> bool:
    """Is ``stream`` a regular file whose first record is a line of its own (JSON Lines, not one document
    spread over lines, see :mod:`.framing`)? Leaves it where it was (stdin redirected from a file may not
    be at 0)."""
    try:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return False
        start = stream.tell()
    except (AttributeError, OSError, ValueError):
        return False
    try:
        for line in bounded_lines(stream):
            if line.strip():
                return not may_open_document(line)
        return False  # nothing to decide
    finally:
        stream.seek(start)


class _Output:
    """Output lines to a file descriptor, each written whole (``writev``), through a 1 MB buffer when asked
    (a batch from a file to what is not a terminal: a decision is ~8 kB, and writing each one by itself cost
    about half as much again as the writing) or else as they come. Knows how many records reached the
    output and the input line of the last one; a record cut short by a failed write is taken back from a
    regular file, so the output always ends after a whole record."""

    def __init__(self, fd: int, buffered: bool) -> None:
        self.fd: int | None = fd
        self.limit = 1 << 20 if buffered and not os.isatty(fd) else 0
        self.pending: list[bytes] = []
        self.pending_lines: list[int] = []  # 0 for what is not a record (the table's header)
        self.size = 0
        self.answered = 0
        self.last_line = 0

    def write(self, data: bytes, line: int) -> None:
        self.pending.append(data)
        self.pending_lines.append(line)
        self.size += len(data)
        if self.size >= self.limit:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        data, lines = self.pending, self.pending_lines
        self.pending, self.pending_lines, self.size = [], [], 0
        assert self.fd is not None
        try:
            _write_all(self.fd, data)
        except WriteFailed as exc:
            self._count(lines[: exc.complete])
            trim(self.fd, exc.partial)
            raise
        self._count(lines)

    def _count(self, lines: list[int]) -> None:
        done = [n for n in lines if n]
        self.answered += len(done)
        if done:
            self.last_line = done[-1]


class _TextOutput(_Output):
    """Output through a text stream whose encoding is not UTF-8 (each line decoded, written, counted)."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__(-1, False)
        self.fd = None
        self.stream = stream

    def write(self, data: bytes, line: int) -> None:
        self.stream.write(data.decode())
        self._count([line])

    def flush(self) -> None:
        self.stream.flush()


def _write_all(fd: int, data: list[bytes]) -> None:
    from .parallel import _write_lines  # the one writer of whole lines, the workers' too

    _write_lines(fd, data)


def _output(*, buffered: bool) -> _Output:
    """Where ``check`` writes: straight to stdout's descriptor when its text stream is UTF-8 anyway (no decode
    and encode of every record), else through the text stream with its own encoding."""
    out = sys.stdout
    if out is None:  # started with stdout closed (>&-)
        raise OSError(errno.EBADF, msg("cli.stdout_closed"))
    buffer = getattr(out, "buffer", None)
    if buffer is None or (getattr(out, "encoding", None) or "").lower().replace("-", "") != "utf8":
        return _TextOutput(out)
    out.flush()
    try:
        buffer.flush()
        fd = buffer.fileno()
    except (AttributeError, OSError, ValueError):
        return _TextOutput(out)
    return _Output(fd, buffered)


def cmd_validate(args: argparse.Namespace) -> int:
    paths, source = rules_source(args.paths)
    if source is not None and not args.json:
        print(terminal_safe(msg("cli.packs_from", source=source, paths=os.pathsep.join(str(p) for p in paths))),
              file=sys.stderr)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise _Usage(msg("cli.no_such_path", paths=", ".join(str(p) for p in missing)))
    calendars, calendar_problems = load_calendars(paths)
    packs: list[LoadedPack] = []
    problems: list[Problem] = []
    if discover(paths) or not calendar_dirs(paths):  # else a calendars folder by itself
        packs, problems = load_packs(paths)
    problems += calendar_problems
    if not packs and not calendar_dirs(paths) and any(p.code in _READING for p in problems):
        # nothing could be read: nothing to validate
        for p in problems:
            print(terminal_safe(str(p)), file=sys.stderr)
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
            print(terminal_safe(str(p)))
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


# problems of finding and reading pack files (law/load.py, law/files.py, law/yamlread.py)
_READING = frozenset({"not_a_pack", "io", "not_regular", "outside_pack", "not_a_folder", "size", "encoding"})


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
            raise _Usage(msg("cli.cannot_write", name=args.junit, reason=reason(exc))) from None
    failed = sum(not r.passed for r in results)
    if args.json:
        print(results_json(results))
        if not results:
            print(msg("cli.no_scenario"), file=sys.stderr)
        return EXIT_PROBLEMS if failed or not results else EXIT_OK
    expected, actual = msg("cli.test_expected"), msg("cli.test_actual")
    width = max(len(expected), len(actual)) + 1
    out: list[str] = []
    for r in results:
        if r.passed:
            if args.verbose:
                out.append(f"{msg('cli.test_pass')}  {r.label}")
            continue
        out.append(f"{msg('cli.test_fail')}  {r.label}  ({r.position})")
        if r.error:
            out.append(f"      {msg('cli.test_error')}: {r.error}")
        for d in r.differences:
            out.append(f"      {d.words}:")
            out.append(f"        {expected + ':':<{width}} {_fmt(d.expected)}")
            out.append(f"        {actual + ':':<{width}} {_fmt(d.actual)}")
    for line in out:  # each is one line: a control character in it came from a pack's data
        print(terminal_safe(line))
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
            found = yaml_records(Path(args.input))
        else:
            stream = _open_input(args.input)
            try:
                found = list(read_records(stream))
            finally:
                if stream is not sys.stdin.buffer:
                    stream.close()
        try:
            _, record = pick(found, line=args.line, fact_id=args.id)
            if isinstance(record, NetralError):
                raise record
            decision = engine.evaluate(record, as_of=args.as_of)
        except NetralError as exc:
            print(terminal_error(exc), file=sys.stderr)
            return EXIT_PROBLEMS
    finally:
        engine.close()
    print(explain_text(decision, _lang(args)))
    return EXIT_OK


def cmd_interview(args: argparse.Namespace) -> int:
    from .interview import run

    engine = _engine(args)
    try:
        return run(engine, args.input, _lang(args), Path(args.save) if args.save else None,
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
            raise _Usage(msg("cli.cannot_write", name=exc.filename or args.write, reason=reason(exc))) from None
        return EXIT_OK
    if args.kind is None:
        raise _Usage(msg("cli.name_a_schema"))
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
        raise _Usage(msg("cli.service_extra", module=exc.name or "fastapi")) from None
    return serve(args, _rule_paths(args))


def cmd_lock(args: argparse.Namespace) -> int:
    """Record each pack's version and content hash in its pack.lock (after raising the version)."""
    from ..law.lock import write_lock

    paths = rule_paths(args.paths)
    packs, problems = load_packs(paths)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for p in sorted(errors, key=_problem_key):
            print(terminal_safe(str(p)))
        print(msg("cli.lock_errors", count=len(errors)), file=sys.stderr)
        return EXIT_PROBLEMS
    if not packs:
        raise _Usage(msg("pack.no_pack_found"))
    for pack in packs:
        try:
            path = write_lock(pack)
        except OSError as exc:
            raise _Usage(msg("cli.cannot_write", name=f"{pack.root}/pack.lock", reason=reason(exc))) from None
        print(terminal_safe(f"{path}: {pack.id} {pack.version} {pack.digest[:12]}"))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """A working folder for legal staff: a copy of the bundled packs, the settings that name it, the schemas."""
    import shutil

    from ..law.packs import bundled_rules_dir
    from ..output.schemas import vscode_settings, write_schemas
    from .config import CONFIG_NAME

    folder = Path(args.folder)
    rules = folder / "rules"
    if rules.exists():
        raise _Usage(msg("cli.init_exists", folder=rules))
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
        raise _Usage(msg("cli.cannot_write", name=exc.filename or folder, reason=reason(exc))) from None
    print(msg("cli.init_rules", folder=rules))
    print(msg("cli.init_config", file=folder / CONFIG_NAME, folder=folder))
    print(msg("cli.init_schemas", schemas=folder / "schemas", settings=folder / ".vscode" / "settings.json"))
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from ..output.catalogue import render_catalogue

    engine = _engine(args)
    written = render_catalogue(engine, Path(args.out))
    for path in written:
        print(path)
    return EXIT_OK


# --- parser ---------------------------------------------------------------------------------------


# argparse's English sentences (Python's own wording) and the message that says each again in words
_ARGPARSE = (
    (re.compile(r"unrecognized arguments: (?P<args>.*)", re.S), "args.unrecognized"),
    (re.compile(r"argument (?P<arg>\S+): invalid choice: '(?P<value>.*)' \(choose from (?P<choices>.*)\)", re.S),
     "args.invalid_choice"),
    (re.compile(r"the following arguments are required: (?P<args>.*)", re.S), "args.required"),
    (re.compile(r"argument (?P<arg>\S+): expected one argument", re.S), "args.expected_one"),
    (re.compile(r"argument (?P<arg>\S+): not allowed with argument (?P<other>.*)", re.S), "args.not_allowed"),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", re.S), "args.ambiguous"),
    (re.compile(r"argument (?P<arg>\S+): invalid (?P<kind>int|float) value: '(?P<value>.*)'", re.S),
     "args.invalid_value"),
    (re.compile(r"argument (?P<arg>\S+): (?P<detail>.*)", re.S), "args.value"),
)


def _usage_words(message: str, lang: str) -> str:
    """An argparse error in the language of messages; its own wording only inside the last resort's brackets."""
    for pattern, key in _ARGPARSE:
        found = pattern.fullmatch(message)
        if found:
            values = {k: v.replace("'", "") if k in ("choices", "matches") else v for k, v in found.groupdict().items()}
            if "kind" in values:
                values["kind"] = msg(f"args.kind_{values['kind']}", lang)
            return msg(key, lang, **values)
    return msg("args.other", lang, detail=message)


def _argv_lang(argv: list[str]) -> str | None:
    """The --lang the command line gives, read before argparse has (its errors come first)."""
    for i, word in enumerate(argv):
        if word == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("id", "en"):
            return argv[i + 1]
        if word.startswith("--lang=") and word[7:] in ("id", "en"):
            return word[7:]
    return None


_PARSING: list[str] = []  # the language of the command line being parsed (its --lang, else the default)


def _parsing_lang() -> str:
    return _PARSING[0] if _PARSING else default_lang()


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors said in the language of messages (Indonesian unless told otherwise)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        lang = _parsing_lang()
        self.exit(EXIT_UNUSABLE, f"{self.prog}: {msg('args.error', lang, detail=_usage_words(message, lang))}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="netral-rules",
        description="Indonesian ASN political-neutrality law as code: decide facts against YAML rule packs.",
        epilog="Exit codes: 0 success; 1 problems found; 2 unusable input; 3 a failure while working (--debug "
        "shows it); 128+N stopped by signal N.",
    )
    parser.add_argument("--version", action="version", version=f"netral-rules {__version__}")
    parser.add_argument("--debug", action="store_true", help="on a failure, show the traceback")
    sub = parser.add_subparsers(dest="command", required=True)
    common = _Parser(add_help=False)
    # after the command too (netral-rules check --debug ...); default=SUPPRESS keeps the one given before it
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

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
        p.add_argument("--cache", metavar="DIR", help="folder of the compiled-pack cache, or 'off' (default: "
                       "NETRAL_RULES_CACHE, else the user's cache folder, e.g. ~/.cache/netral-rules)")

    p = sub.add_parser("check", parents=[common], help="decide reports (JSON, JSON Lines or YAML, from files or stdin)")
    p.add_argument("input", nargs="*", help="files with one JSON report, JSON Lines, or YAML (*.yaml: one report "
                   "or a list); - or nothing for stdin; with several files, the JSON records name their file")
    lang_option(p)
    p.add_argument("--json", action="store_true", help="JSON Lines out: {line, decision} or {line, error}")
    p.add_argument("--jobs", type=_positive, default=1, metavar="N", help="evaluate in N processes (output order kept)")
    p.add_argument("--progress", action="store_true", help="show progress on stderr even when it is not a terminal")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument("--fail-on-violation", action="store_true", help="exit 1 if any fact is a violation")
    p.add_argument("--detail", choices=["full", "compact"], default="full",
                   help="compact: JSON Lines whose decisions refer to articles, sanction menus, notes and packs by "
                   "id, after a first line with the catalogue of their texts (implies --json; see the developer "
                   "guide)")
    p.add_argument("--catalogue", metavar="FILE", help="with --detail compact: write the catalogue to FILE instead "
                   "of as the first line")
    engine_options(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("validate", parents=[common],
                       help="lint rule packs and election calendars; every problem as file:line:col")
    lang_option(p)
    p.add_argument("paths", nargs="*", help="pack folders, folders of packs, or a calendars folder (default: "
                   "NETRAL_RULES_PATH, netral-rules.toml, else the bundled packs and calendars)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("test", parents=[common], help="run the packs' scenario tests")
    lang_option(p)
    p.add_argument("paths", nargs="*", help="pack folders or folders of packs (default: NETRAL_RULES_PATH, "
                   "netral-rules.toml, else the bundled packs)")
    p.add_argument("-k", "--select", help="only scenarios whose 'pack: name' contains this text")
    p.add_argument("-v", "--verbose", action="store_true", help="also list passing scenarios")
    p.add_argument("--backend", choices=["native", "durable"], default="native")
    p.add_argument("--json", action="store_true", help="the results as one JSON document on stdout")
    p.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML to FILE (for CI systems)")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("interview", parents=[common], help="build a report by answering one question at a time")
    p.add_argument("input", nargs="?", default=None, help="a partial report (JSON) to start from; - for stdin")
    p.add_argument("--lang", choices=["id", "en"], default=None,
                   help="language of the questions (default: NETRAL_RULES_LANG, netral-rules.toml, the locale, id)")
    p.add_argument("--save", metavar="FILE", help="write the completed report (JSON) to FILE")
    engine_options(p)
    p.set_defaults(func=cmd_interview)

    p = sub.add_parser("explain", parents=[common], help="one report, full reasoning")
    p.add_argument("input", nargs="?", default="-", help="a JSON, JSON Lines or YAML file; - for stdin")
    p.add_argument("--id", help="the report with this id, in a file of several")
    p.add_argument("--line", type=_positive, metavar="N", help="the report on (or starting at) line N")
    lang_option(p)
    engine_options(p)
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("schema", parents=[common], help="print a JSON Schema, or write them all as files (--write)")
    p.add_argument("kind", nargs="?", choices=["fact", "pack", "decision", "calendar"])
    p.add_argument("--write", metavar="FOLDER", help="write every schema as FOLDER/<name>.schema.json (for editors)")
    p.add_argument(
        "--file",
        choices=["pack", "articles", "rules", "tests"],
        help="for 'pack': the schema of one file kind (default: all of them)",
    )
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("lock", parents=[common], help="record each pack's version and content hash in its pack.lock")
    lang_option(p)
    p.add_argument("paths", nargs="*", help="pack folders or folders of packs (default: as validate)")
    p.set_defaults(func=cmd_lock)

    p = sub.add_parser("init", parents=[common],
                       help="set up a working folder: a copy of the packs, netral-rules.toml, schemas")
    p.add_argument("folder", nargs="?", default=".", help="the folder to set up (default: the current one)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("docs", parents=[common], help="render the rule catalogue (Markdown) into docs/rules/")
    p.add_argument("--out", default="docs/rules")
    engine_options(p)
    p.set_defaults(func=cmd_docs)

    # no abbreviations: `--token SECRET` must not be taken for --token-file (tokens never go on the command line)
    p = sub.add_parser("serve", parents=[common], help="run the HTTP decision service (needs the 'service' extra)",
                       allow_abbrev=False)
    pack_options(p)
    add_serve_arguments(p)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    _PARSING[:] = [_argv_lang(words) or default_lang()]  # the language of the parser's errors
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    debug = bool(getattr(args, "debug", False))
    before = os.environ.get("NETRAL_RULES_LANG")
    os.environ["NETRAL_RULES_LANG"] = _lang(args)  # every message of this command in that language
    try:
        if args.func is cmd_check:
            with stoppable():  # SIGTERM, SIGINT, SIGHUP end the batch after a whole record
                return int(args.func(args))
        return int(args.func(args))
    except _Usage as exc:
        _say(str(exc))
        return EXIT_UNUSABLE
    except NetralError as exc:
        _say_error(exc)
        return EXIT_UNUSABLE
    except BatchError as exc:
        return _batch_failed(exc, debug)
    except Stopped as exc:
        _say(msg("cli.stopped", signal=exc.name, count=0))
        return 128 + exc.signum
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `netral-rules validate | head`: the reader left; nothing more to say
        return EXIT_OK
    except BaseException as exc:  # every failure ends in one line (and the traceback with --debug)
        return _failed(exc, debug, None)
    finally:
        if before is None:
            os.environ.pop("NETRAL_RULES_LANG", None)
        else:
            os.environ["NETRAL_RULES_LANG"] = before


def _say(message: str) -> None:
    if sys.stderr is not None:
        print(terminal_safe(f"netral-rules: {message}"), file=sys.stderr)


def _say_error(exc: NetralError) -> None:
    if sys.stderr is not None:
        print(terminal_error(exc, "netral-rules: "), file=sys.stderr)


def _batch_failed(exc: BatchError, debug: bool) -> int:
    cause = exc.cause
    if isinstance(cause, BatchError):
        return _batch_failed(cause, debug)
    if isinstance(cause, Stopped):
        _say(msg("cli.stopped", signal=cause.name, count=exc.answered))
        return 128 + cause.signum
    if isinstance(cause, BrokenPipeError) or (isinstance(cause, OSError) and cause.errno == errno.EPIPE):
        return EXIT_OK  # e.g. `| head`: the reader left; nothing more to say
    if isinstance(cause, KeyboardInterrupt):
        _say(msg("cli.stopped", signal="SIGINT", count=exc.answered))
        return 130
    if isinstance(cause, NetralError):
        _say_error(cause)
        return EXIT_UNUSABLE
    if isinstance(cause, _Usage):
        _say(str(cause))
        return EXIT_UNUSABLE
    if exc.last_line and exc.source is not None:
        answered = msg("cli.answered_through_file", count=exc.answered, line=exc.last_line, file=exc.source)
    elif exc.last_line:
        answered = msg("cli.answered_through", count=exc.answered, line=exc.last_line)
    else:
        answered = msg("cli.answered", count=exc.answered)
    return _failed(cause, debug, answered)


def _failed(exc: BaseException, debug: bool, answered: str | None) -> int:
    """A failure while working: one line saying what (and how far a batch got), the traceback with --debug."""
    if isinstance(exc, SystemExit):
        return int(exc.code or 0)
    if isinstance(exc, BrokenProcessPool):
        what = msg("cli.worker_died")
    elif isinstance(exc, WriteFailed):
        what = msg("cli.cannot_write", name=msg("cli.stdout"), reason=reason(exc))
    elif isinstance(exc, OSError) and exc.errno == errno.EBADF and not exc.filename:
        what = str(exc.strerror)  # the text of _output's error: stdout is closed
    elif isinstance(exc, OSError) and exc.filename is None:
        # no file named: in a batch, reading its input failed (writing fails as WriteFailed); else printing
        if answered is not None:
            what = msg("cli.cannot_read", name=msg("cli.stdin"), reason=reason(exc))
        else:
            what = msg("cli.cannot_write", name=msg("cli.stdout"), reason=reason(exc))
    elif isinstance(exc, OSError):
        what = msg("cli.cannot_write", name=exc.filename, reason=reason(exc))
    else:
        what = msg("cli.internal")
    if debug and sys.stderr is not None:
        traceback.print_exception(exc, file=sys.stderr)
    elif not isinstance(exc, (OSError, BrokenProcessPool)):
        what += f" ({msg('cli.debug_hint')})"
    _say(f"{what}; {answered}" if answered else what)
    return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
