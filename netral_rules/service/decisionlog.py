"""Decision logs in the manner of Open Policy Agent's: one JSON object a line for every decision answered.

Opt-in (``--decision-log PATH``). Each entry names the decision (``decision_id``, also sent to the caller
in the ``X-Decision-Id`` header of a single decision), when it was made, the request, the input's hash
(the audit's ``input_sha256``, so an entry can be matched to the decision it logs), the packs with their
versions and content hashes (OPA's ``bundles``), the outcome (status and headline), and how long the
service took (``metrics.timer_server_handler_ns``, as OPA names it). The input is logged with the
personal data left out (``actor.name`` and ``description``) unless ``--log-personal-data`` is given; the
entry lists what was left out in ``erased``, as OPA does. An input that is not a valid fact is never
logged when personal data is left out: its personal data cannot be told apart from the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
import uuid
from typing import IO, Any

from .. import __version__
from ..decide.decision import Decision
from ..errors import NetralError

# JSON pointers (into the entry, as OPA writes them) of what the personal-data switch leaves out
PERSONAL = (("actor", "name"), ("description",))


def new_id() -> str:
    return str(uuid.uuid4())


def _timestamp() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _erase(fact: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    out = dict(fact)
    erased: list[str] = []
    for path in PERSONAL:
        parent: Any = out
        for key in path[:-1]:
            child = parent.get(key) if isinstance(parent, dict) else None
            if not isinstance(child, dict):
                parent = None
                break
            parent[key] = child = dict(child)
            parent = child
        if isinstance(parent, dict) and path[-1] in parent:
            del parent[path[-1]]
            erased.append("/input/" + "/".join(path))
    return out, erased


class DecisionLog:
    """Appends entries to a file (or standard output) from any thread; each entry is one write."""

    def __init__(self, target: str, *, personal_data: bool = False) -> None:
        self.personal_data = personal_data
        self._lock = threading.Lock()
        self._owned = target != "-"
        self._out: IO[str] = open(target, "a", encoding="utf-8") if self._owned else sys.stdout
        self.labels = {"app": "netral-rules", "version": __version__, "id": new_id()}

    def close(self) -> None:
        if self._owned:
            self._out.close()

    def record(
        self,
        *,
        decision_id: str,
        path: str,
        requested_by: str | None,
        result: Decision | NetralError,
        fact: Any,
        revision: str,
        duration_ns: int,
        batch: dict[str, Any] | None = None,
    ) -> None:
        """``fact``: the input as parsed JSON (a dict for a fact), or None if it was not JSON."""
        entry: dict[str, Any] = {
            "decision_id": decision_id,
            "timestamp": _timestamp(),
            "labels": self.labels,
            "path": path,
            "requested_by": requested_by,
        }
        if batch is not None:
            entry["batch"] = batch
        if isinstance(result, Decision):
            audit = result.audit
            entry["input_sha256"] = audit.input_sha256
            entry["bundles"] = {p.id: {"version": p.version, "sha256": p.sha256} for p in audit.packs}
            entry["revision"] = revision
            entry["result"] = {
                "status": result.status,
                "headline": {"level": result.aggregate.level, "category": result.aggregate.category},
                "rule_ids": result.rule_ids,
                "applied_on": result.applied_on.isoformat(),
            }
        else:
            entry["revision"] = revision
            entry["error"] = {"code": result.code, "problems": len(result.problems)}
        if self.personal_data:
            if fact is not None:
                entry["input"] = fact
        elif isinstance(result, Decision) and isinstance(fact, dict):
            entry["input"], entry["erased"] = _erase(fact)
        else:
            entry["erased"] = ["/input"]
        entry["metrics"] = {"timer_server_handler_ns": duration_ns}
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        with self._lock:
            self._out.write(line)
            self._out.flush()
