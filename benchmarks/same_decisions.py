"""Are the decisions the same as before a change? ``python -m benchmarks.same_decisions write|check FILE``.

``write`` records, for the example facts and 2,000 seeded facts of :mod:`benchmarks.facts`, each fact and
its decision JSON from both backends (where durable_rules imports) into ``FILE`` (JSON Lines). ``check``
decides the recorded facts again with the current code and reports every decision whose bytes differ.
The facts are stored, not regenerated, so a change to the strategies or the packs cannot change what is
compared. Used around refactoring steps, which must leave every decision byte-identical.
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


def check(path: Path) -> int:
    engines: dict[str, Engine] = {}
    differ = total = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n")[:-1], 1):
        row = json.loads(line)
        for backend, before in row["decisions"].items():
            if backend not in engines:
                engines[backend] = Engine.default(backend=backend)
            total += 1
            now = _decide(engines[backend], row["fact"])
            if now != before:
                differ += 1
                if differ <= 10:
                    print(f"line {n} ({backend}) differs:\n  before {before[:300]}\n  now    {now[:300]}")
    print(f"{total} decisions compared, {differ} differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.same_decisions", description=__doc__)
    parser.add_argument("mode", choices=["write", "check"])
    parser.add_argument("file", type=Path)
    parser.add_argument("-n", type=int, default=2000, help="seeded facts besides the examples (write)")
    args = parser.parse_args(argv)
    return write(args.file, args.n) if args.mode == "write" else check(args.file)


if __name__ == "__main__":
    sys.exit(main())
