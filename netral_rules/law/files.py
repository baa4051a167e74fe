"""Reading the files of a rule pack safely: regular files only, inside the pack's folder, bounded in size.

A pack folder is edited by hand and may hold anything a file system can: a link that loops or leaves the
folder, a folder without read permission, a named pipe (which blocks a reader for ever), a link to a device
(``/dev/zero`` never ends). Every read here either returns the bytes of a regular file inside the pack, of
at most the size limit, or raises :class:`PackError` saying which path and why, in words; a folder that
cannot be listed is an error too, never an empty folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import PackError, Position, Problem
from ..messages import reason, text

_KINDS = (
    (stat.S_ISFIFO, "kind.fifo"),
    (stat.S_ISCHR, "kind.device"),
    (stat.S_ISBLK, "kind.device"),
    (stat.S_ISSOCK, "kind.socket"),
    (stat.S_ISDIR, "kind.folder"),
)


def _kind(mode: int) -> str:
    for test, key in _KINDS:
        if test(mode):
            return text(key)
    return text("kind.other")


def _error(shown: str, message: str, code: str, where: Position | None = None) -> PackError:
    return PackError(f"{shown}: {message}", [Problem(message, where or Position(shown), code=code)])


def _confined(path: Path, root: Path | None, shown: str) -> str:
    """Where ``path`` leads once links are followed; with ``root``, it must be inside that folder."""
    real = os.path.realpath(path)
    if root is not None:
        top = os.path.realpath(root)
        if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
            raise _error(shown, text("file.outside", target=real), "outside_pack")
    return real


def read_regular(path: Path, max_bytes: int, *, shown: str | None = None, root: Path | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them, or :class:`PackError`.

    With ``root``, the file (after following links) must lie inside that folder. The file is checked before
    it is opened and again once open (it cannot be swapped for a pipe in between), opened without blocking
    (a named pipe would wait for a writer), and read only up to the limit (a file may grow while read)."""
    name = shown or str(path)
    real = _confined(path, root, name)
    try:
        mode = os.stat(real).st_mode
        if not stat.S_ISREG(mode):
            raise _error(name, text("file.not_regular", kind=_kind(mode)), "not_regular")
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _error(name, text("file.cannot_read", reason=reason(exc)), "io") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _error(name, text("file.not_regular", kind=_kind(info.st_mode)), "not_regular")
        if info.st_size > max_bytes:
            raise _error(name, text("file.too_large", size=info.st_size, limit=max_bytes), "size", Position(name, 1, 1))
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # it grew after the check
            raise _error(name, text("file.too_large", size=f"> {max_bytes}", limit=max_bytes), "size",
                         Position(name, 1, 1))
        return b"".join(chunks)
    except OSError as exc:
        raise _error(name, text("file.cannot_read", reason=reason(exc)), "io") from None
    finally:
        os.close(fd)


def list_folder(folder: Path, suffix: str, *, shown: str, root: Path | None = None) -> list[str]:
    """The names in ``folder`` that end in ``suffix``, sorted; ``[]`` if the folder does not exist.

    Anything else that keeps the folder from being listed (a loop, no permission, not a folder, a link out
    of ``root``) is a :class:`PackError`. The entries are not checked here: reading each one does that."""
    try:
        os.lstat(folder)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise _error(shown, text("folder.cannot_read", reason=reason(exc)), "io") from None
    real = _confined(folder, root, shown)
    try:
        mode = os.stat(real).st_mode
        if not stat.S_ISDIR(mode):
            kind = text("kind.file") if stat.S_ISREG(mode) else _kind(mode)
            raise _error(shown, text("folder.not_a_folder", name=folder.name, kind=kind), "not_a_folder")
        with os.scandir(real) as entries:
            return sorted(e.name for e in entries if e.name.endswith(suffix))
    except OSError as exc:
        raise _error(shown, text("folder.cannot_read", reason=reason(exc)), "io") from None


def exists(path: Path) -> bool:
    """Whether anything is at ``path`` (a broken or looping link too: reading it then says what is wrong)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True  # e.g. no permission to look: reading it reports why
    return True
