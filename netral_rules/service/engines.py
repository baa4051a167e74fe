"""The engine a service answers with, and its replacement while the service runs.

A :class:`Snapshot` is one loaded, linted and compiled set of packs. Every request takes the snapshot that
is current when it starts and answers with it to the end (a batch's every line with the same law), so a
reload never changes the law under a request. A reload builds the new set completely (load, lint,
compile: :meth:`Engine.from_paths`) before it replaces the current one; a set with errors is refused and
the old one keeps serving. The old engine is closed once its last request has finished.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..decide.engine import Engine
from ..errors import NetralError, PackError

log = logging.getLogger("netral_rules.service")


def revision(engine: Engine) -> str:
    """sha256 over the packs' ids, versions and content hashes and the election calendars' ids and content
    hashes: names the set of law and dates a decision used (a calendar derives a candidate's stage)."""
    h = hashlib.sha256()
    for ref in engine.law.pack_refs:
        h.update(f"{ref.id}\0{ref.version}\0{ref.sha256}\n".encode())
    for calendar in sorted(engine.calendars, key=lambda c: c.id):
        h.update(f"calendar\0{calendar.id}\0{calendar.digest}\n".encode())
    return h.hexdigest()


@dataclass(eq=False)
class Snapshot:
    engine: Engine
    generation: int
    loaded_at: dt.datetime
    revision: str
    users: int = 0  # requests answering with it now (guarded by the EngineSet's lock)
    retired: bool = False
    cache: dict[str, Any] = field(default_factory=dict)  # what routes derive from this set of packs, once


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: ``snapshot`` is the one serving afterwards; ``error`` says why a set was refused."""

    snapshot: Snapshot
    reloaded: bool
    seconds: float
    trigger: str
    error: NetralError | None = None


class EngineSet:
    """The current snapshot, and reloads of it. ``build`` makes a new engine (and raises on bad packs)."""

    def __init__(self, build: Callable[[], Engine]) -> None:
        self._build = build
        self._reload_lock = threading.Lock()
        # guards the current snapshot and every snapshot's users: taking the current one and counting the
        # request are one step, so a reload cannot close an engine a request has just taken
        self._lock = threading.Lock()
        self._current = self._snapshot(build(), 1)
        self.last_reload: ReloadResult | None = None

    @staticmethod
    def _snapshot(engine: Engine, generation: int) -> Snapshot:
        return Snapshot(engine, generation, dt.datetime.now(dt.UTC), revision(engine))

    @property
    def current(self) -> Snapshot:
        return self._current

    @contextmanager
    def use(self) -> Iterator[Snapshot]:
        """The current snapshot, kept open (its engine not closed) until the block ends."""
        with self._lock:
            snap = self._current
            snap.users += 1
        try:
            yield snap
        finally:
            with self._lock:
                snap.users -= 1
                close = snap.retired and snap.users == 0
            if close:
                snap.engine.close()

    def reload(self, trigger: str) -> ReloadResult:
        """Build the packs again and, if they load, lint and compile without errors, serve them from now on.
        Reloads are serialised; requests go on being answered by the current set meanwhile."""
        with self._reload_lock:
            start = time.perf_counter()
            old = self._current
            try:
                engine = self._build()
            except NetralError as exc:
                result = ReloadResult(old, False, time.perf_counter() - start, trigger, exc)
                self.last_reload = result
                _report(result, old)
                return result
            except Exception as exc:  # a bug or an I/O failure while building: refused the same way
                error = PackError(f"{type(exc).__name__}: {exc}")
                result = ReloadResult(old, False, time.perf_counter() - start, trigger, error)
                self.last_reload = result
                log.exception("reload failed")
                _report(result, old)
                return result
            new = self._snapshot(engine, old.generation + 1)
            self._retire(old, new)
            result = ReloadResult(new, True, time.perf_counter() - start, trigger)
            self.last_reload = result
            _report(result, old)
            return result

    def _retire(self, old: Snapshot, new: Snapshot | None) -> None:
        with self._lock:
            if new is not None:
                self._current = new  # a request starting from now on takes the new set
            old.retired = True
            close = old.users == 0
        if close:  # otherwise the last request to finish with it closes it
            old.engine.close()

    def close(self) -> None:
        self._retire(self._current, None)


def _report(result: ReloadResult, old: Snapshot) -> None:
    if result.reloaded:
        snap = result.snapshot
        packs = ", ".join(f"{r.id} {r.version} ({r.sha256[:12]})" for r in snap.engine.law.pack_refs)
        log.info(
            "paket aturan dimuat ulang / rule packs reloaded (%s): generation %d -> %d, revision %s, %.2f s: %s",
            result.trigger, old.generation, snap.generation, snap.revision[:12], result.seconds, packs,
        )
        return
    error = result.error
    problems = error.problems if error is not None else []
    log.error(
        "pemuatan ulang ditolak, paket lama tetap dipakai / reload refused, the old packs keep serving (%s): "
        "generation %d, revision %s; %s",
        result.trigger, old.generation, old.revision[:12], error.message if error is not None else "",
    )
    for p in problems[:50]:
        log.error("  %s", p)
    if len(problems) > 50:
        log.error("  ... %d more", len(problems) - 50)
