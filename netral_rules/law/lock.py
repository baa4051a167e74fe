"""``pack.lock``: the version and content hash a pack had when it was last locked, beside its ``pack.yaml``.

Every decision records the version and the sha256 of each pack it used, so that it can be reproduced. That
record means something only if a pack's version changes whenever its files do. ``netral-rules lock`` writes
the lock; ``validate`` warns when the files no longer match it but the version is still the locked one (the
author changed the law and forgot to raise the version), and when the version was raised but the lock not
written again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PackError, Position, Problem
from ..messages import text
from .files import exists
from .load import LoadedPack
from .yamlread import read_yaml_file

LOCK_FILE = "pack.lock"
_MAX_LOCK_BYTES = 64 * 1024
_HEADER = (
    "# Written by `netral-rules lock`: the version and the sha256 of this pack's files when it was locked.\n"
    "# `netral-rules validate` warns when the files change but the version in pack.yaml does not.\n"
)


@dataclass(frozen=True)
class Lock:
    version: str
    sha256: str


def lock_text(pack: LoadedPack) -> str:
    return f"{_HEADER}version: \"{pack.version}\"\nsha256: {pack.digest}\n"


def write_lock(pack: LoadedPack) -> Path:
    path = pack.root / LOCK_FILE
    path.write_text(lock_text(pack), encoding="utf-8")
    return path


def read_lock(pack: LoadedPack) -> tuple[Lock | None, list[Problem]]:
    """The pack's lock (None if it has none) and the problems of reading it."""
    path = pack.root / LOCK_FILE
    if not exists(path):
        return None, []
    shown = f"{pack.manifest_located.file.rsplit('/', 1)[0]}/{LOCK_FILE}"
    try:  # as every file of a pack: regular, inside the pack, bounded (a lock is two lines)
        located = read_yaml_file(path, display=shown, max_bytes=_MAX_LOCK_BYTES, root=pack.root)
    except PackError as exc:
        return None, exc.problems
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("version"), str) or not isinstance(
            data.get("sha256"), str):
        return None, [Problem(text("lock.broken"), Position(shown, 1, 1), code="lock")]
    return Lock(data["version"], data["sha256"]), []


def check_lock(pack: LoadedPack) -> list[Problem]:
    """Warnings when the pack's files and version disagree with its lock."""
    lock, problems = read_lock(pack)
    if lock is None:
        return problems
    if lock.sha256 == pack.digest:
        if lock.version != pack.version:
            return [_warn(pack, text("lock.version_only", old=lock.version, new=pack.version), "lock_version")]
        return []
    if lock.version == pack.version:
        return [_warn(pack, text("lock.changed", version=lock.version), "lock_changed", hint=text("lock.changed_hint"))]
    return [_warn(pack, text("lock.stale", old=lock.version, new=pack.version), "lock_stale",
                  hint=text("lock.stale_hint"))]


def _warn(pack: LoadedPack, message: str, code: str, hint: str | None = None) -> Problem:
    where = pack.manifest_located.pos(("version",))
    return Problem(message, where, severity="warning", code=code, hint=hint)


__all__ = ["LOCK_FILE", "Lock", "check_lock", "lock_text", "read_lock", "write_lock"]
