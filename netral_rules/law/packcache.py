"""The compiled-pack cache: rule packs and election calendars read, validated and linted once, kept in a
file, read back at the next start instead of reading, linting and checking the quotes of every pack again
(most of the time of a ``netral-rules check`` on one report).

Where: ``--cache DIR`` on the command line, else ``NETRAL_RULES_CACHE``, else the user's cache folder
(``$XDG_CACHE_HOME/netral-rules``, ``~/.cache/netral-rules``; ``~/Library/Caches/netral-rules`` on macOS,
``%LOCALAPPDATA%\\netral-rules`` on Windows). ``off`` (or an empty value) turns it off.

Never a stale answer: an entry is used only when its key equals the key computed at this start, and the key
is a hash of everything the loaded packs are made from:

* the name and content (SHA-256) of every file under every rule path given (pack files, tests, source
  texts, lock files, anything beside them) and under the calendar folders that go with them (the
  ``calendars/`` folder among the packs, or beside a single pack), and the absolute paths themselves
  (loaded packs remember their files' names for their messages);
* the name and content of every file of the library itself (its code and its data: messages, labels,
  constraints), so that an edited checkout or another release never reads what an older one wrote, and the
  library's version;
* the Python implementation and version (the entry is a pickle of the library's objects), and the language
  of messages (warnings found while linting are kept in it).

An entry is ``MAGIC``, the key, the SHA-256 of the payload and the payload; a file that is cut short,
altered, of another key or that does not unpickle is ignored and written again. Entries are written under
a temporary name in the cache folder and renamed into place (``os.replace``): a reader sees a whole old
entry or a whole new one, so processes starting at once are safe (each may build; the last rename wins,
and all of them wrote the same thing). An entry is a pickle, which runs code when read: only files owned
by the current user and not writable by others are read (on systems with owners), and the folder is
created readable by its owner only.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the loading modules are imported only when the packs must be read
    from ..errors import Problem
    from .calendars import Calendars
    from .load import LoadedPack

Law = tuple[list["LoadedPack"], "Calendars", list["Problem"]]

ENV = "NETRAL_RULES_CACHE"
MAGIC = b"netral-rules pack cache 1\n"
_OFF = ("", "off", "0", "no", "none", "false")
_PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir(chosen: str | os.PathLike[str] | None = None) -> Path | None:
    """The cache folder: ``chosen`` (the ``--cache`` option), else ``NETRAL_RULES_CACHE``, else the user's
    cache folder; None when turned off (``off``, an empty value)."""
    value = os.fspath(chosen) if chosen is not None else os.environ.get(ENV)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "netral-rules"


def _files(root: Path) -> Iterator[Path]:
    """Every regular file under ``root`` (``root`` itself if it is one), in a stable order; bytecode folders
    left out (they follow the code, which is hashed)."""
    if root.is_file():
        yield root
        return
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file():
                yield path


def _hash_tree(h: Any, root: Path) -> None:
    h.update(b"root\0" + os.fsencode(root) + b"\n")
    for path in _files(root):
        h.update(os.fsencode(path.relative_to(root) if path != root else path.name) + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


def cache_key(paths: Iterable[Path]) -> str:
    """The key of the packs and calendars under ``paths`` as this library, on this Python, would load them
    now."""
    from .. import __version__
    from ..messages import default_lang
    from .calendars import calendar_dirs

    h = hashlib.sha256(MAGIC)
    impl = sys.implementation
    h.update(f"{__version__}\0{impl.name}\0{impl.cache_tag}\0{sys.version}\0{default_lang()}\n".encode())
    _hash_tree(h, _PACKAGE)
    chosen = list(paths)
    for path in chosen:
        h.update(b"rules\n")
        _hash_tree(h, Path(path).resolve())
    for folder in calendar_dirs(chosen):  # a calendar folder beside a single pack is outside its path
        h.update(b"calendars\n")
        _hash_tree(h, folder.resolve())
    return h.hexdigest()


def _entry(directory: Path, paths: list[Path]) -> Path:
    # one entry per set of rule paths: an entry of another key for the same paths is replaced, not kept
    where = hashlib.sha256("\0".join(str(Path(p).resolve()) for p in paths).encode()).hexdigest()[:24]
    return directory / f"packs-{where}.bin"


def _trusted(fd: int) -> bool:
    if not hasattr(os, "getuid"):  # no file owners here (Windows): the user's own folder
        return True
    st = os.fstat(fd)
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def read_entry(path: Path, key: str) -> Law | None:
    """The packs, calendars and problems kept under ``key`` in ``path``, or None if there is no such whole
    entry."""
    try:
        with open(path, "rb") as f:
            if not _trusted(f.fileno()):
                return None
            data = f.read()
    except OSError:
        return None
    head = len(MAGIC)
    if data[:head] != MAGIC or data[head : head + 64] != key.encode():
        return None
    digest, payload = data[head + 64 : head + 96], data[head + 96 :]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        packs, calendars, problems = pickle.loads(payload)
    except Exception:  # an entry this code cannot read back is no entry: it is built again
        return None
    return list(packs), calendars, list(problems)


def write_entry(path: Path, key: str, law: Law) -> bool:
    """Keep ``law`` (packs, calendars, problems) under ``key`` in ``path``, atomically; False if it could not
    be written (a read-only or full disk: the command goes on without a cache)."""
    payload = pickle.dumps(law, protocol=pickle.HIGHEST_PROTOCOL)
    data = MAGIC + key.encode() + hashlib.sha256(payload).digest() + payload
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, part = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(part, path)
    except OSError:
        Path(part).unlink(missing_ok=True)
        return False
    return True


def load_law_cached(paths: Iterable[Path | str], directory: Path | None) -> Law:
    """:func:`.packs.load_law` (packs, calendars, problems) through the cache in ``directory`` (None: no
    cache). Packs or calendars with errors are never kept: their problems are found again, with their
    positions, each time."""
    from .packs import load_law

    chosen = [Path(p) for p in paths]
    if directory is None:
        return load_law(chosen)
    try:
        key = cache_key(chosen)
    except OSError:  # a file that cannot be read: no key, no cache; reading the packs says what is wrong
        return load_law(chosen)
    entry = _entry(directory, chosen)
    found = read_entry(entry, key)
    if found is not None:
        return found
    law = load_law(chosen)
    packs, _, problems = law
    if packs and not any(p.severity == "error" for p in problems):
        write_entry(entry, key, law)
    return law
