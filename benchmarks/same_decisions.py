"""Are the decisions the same as before a change? ``python -m benchmarks.same_decisions write|check FILE``.

``write`` records, for the example facts and 2,000 seeded facts of :mod:`benchmarks.facts`, each fact and
its decision JSON from both backends (where durable_rules imports) into ``FILE`` (JSON Lines). ``check``
decides the recorded facts again with the current code and reports every decision whose bytes differ.
The facts are stored, not regenerated, so a change to the strategies or the packs cannot change what is
compared. Used around refactoring steps, which must leave every decision byte-identical.

A field added to the decision model since the recording shows up in every decision; ``--new FIELD`` (repeat it)
names such fields, and a decision whose only difference is that field at its empty default is counted apart
("only new empty fields"), never as the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from netral_rules import Engine, NetralError

from .facts import fact_pool

ROOT = Path(__file__).resolve().parent.parent


def _facts(n: int) -> list[Any]:
    text = (ROOT / "examples" / "facts.jsonl").read_text()
    examples = [json.loads(line) for line in text.splitlines() if line.strip()]
    with Engine.default() as engine:
        return examples + fact_pool(engine, n)


def _backends() -> list[str]:
    from netral_rules.backends.durable import unavailable_reason

    return ["native"] if unavailable_reason() else ["native", "durable"]


def _decide(engine: Engine, fact: Any) -> str:
    try:
        return engine.decision_json(engine.evaluate(fact)).decode()
    except NetralError as exc:
        return json.dumps({"error": exc.as_dict()}, ensure_ascii=False)


def write(path: Path, n: int) -> int:
    facts = _facts(n)
    engines = {b: Engine.default(backend=b) for b in _backends()}
    with path.open("w", encoding="utf-8") as out:
        for fact in facts:
            row = {"fact": fact, "decisions": {b: _decide(e, fact) for b, e in engines.items()}}
            out.write(json.dumps(row) + "\n")  # ASCII: a line break inside a text cannot split a row
    print(f"{len(facts)} facts, backends {', '.join(engines)}: {path}")
    return 0


def _summary(text: str) -> str:
    data = json.loads(text)
    if "error" in data:
        return "error"
    rules = [f["rule_id"] for f in data.get("findings", [])]
    aside = [f"{a['rule_id']}<-{a['by']}" for a in data.get("set_aside", [])]
    missing = sorted({m for u in data.get("undetermined", []) for m in u["missing"]})
    return f"{data['status']} {data['aggregate'].get('level')} rules={rules} set_aside={aside} missing={missing}"


def _without(text: str, new: list[str], packs_changed: bool = False) -> str:
    data = json.loads(text)
    if isinstance(data, dict):
        for name in new:
            if data.get(name) in ([], None, {}):
                data.pop(name, None)
        if packs_changed and "audit" in data:
            # a pack's content hash and version change with any edit of its files
            for ref in data["audit"].get("packs", []):
                ref.pop("sha256", None)
                ref.pop("version", None)
            for f in data.get("findings", []):
                f.pop("pack_version", None)
    return json.dumps(data, ensure_ascii=False)


def _compact_expands(engine: Engine, fact: Any) -> bool:
    """Does the compact form of the decision expand to the full form's bytes (where the checkout has it)?"""
    if not hasattr(engine, "catalogue"):
        return True
    from netral_rules.output.compact import expand_json

    try:
        decision = engine.evaluate(fact)
    except NetralError:
        return True
    return expand_json(engine.decision_json(decision, detail="compact"), engine.catalogue()) == \
        engine.decision_json(decision)


def check(path: Path, new: list[str], packs_changed: bool = False) -> int:
    engines: dict[str, Engine] = {}
    differ = total = only_new = compact_bad = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n")[:-1], 1):
        row = json.loads(line)
        for backend, before in row["decisions"].items():
            if backend not in engines:
                engines[backend] = Engine.default(backend=backend)
            total += 1
            now = _decide(engines[backend], row["fact"])
            compact_bad += not _compact_expands(engines[backend], row["fact"])
            if now != before and (new or packs_changed) and (
                _without(now, new, packs_changed) == _without(before, new, packs_changed)
            ):
                only_new += 1
            elif now != before:
                differ += 1
                if differ <= 10:
                    print(f"line {n} ({backend}) differs:\n  fact   {json.dumps(row['fact'])}\n"
                          f"  before {_summary(before)}\n  now    {_summary(now)}")
    same = total - differ - only_new
    print(f"{total} decisions compared: {same} byte-identical, {only_new} differ only by the new empty fields "
          f"{', '.join(new) or '-'}{' and pack versions and hashes' if packs_changed else ''}, {differ} differ; "
          f"compact form: {total - compact_bad} expand to the full bytes, {compact_bad} do not")
    return 1 if differ or compact_bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.same_decisions", description=__doc__)
    parser.add_argument("mode", choices=["write", "check"])
    parser.add_argument("file", type=Path)
    parser.add_argument("-n", type=int, default=2000, help="seeded facts besides the examples (write)")
    parser.add_argument("--new", action="append", default=[], metavar="FIELD",
                        help="a decision field added since the recording (check)")
    parser.add_argument("--packs-changed", action="store_true",
                        help="the packs were edited: ignore pack versions and content hashes (check)")
    args = parser.parse_args(argv)
    return write(args.file, args.n) if args.mode == "write" else check(args.file, args.new, args.packs_changed)


if __name__ == "__main__":
    sys.exit(main())
