"""Messages in Indonesian and English, from ``messages.yaml`` beside this module (data anyone can edit).

Only the messages of reading files and input and of the command line's failures live here; the texts of
packs and decisions live in the packs. ``text(key, **values)`` gives one message in the language in force:
``NETRAL_RULES_LANG`` (``id`` or ``en``; the command line sets it from ``--lang`` for the length of a command),
else the ``lang`` of a ``netral-rules.toml`` (see :mod:`netral_rules.batch.config`), else the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: English when it starts with ``en``), else Indonesian.
"""

from __future__ import annotations

import errno
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .vocabulary import Bilingual

LANGS = ("id", "en")
_FILE = Path(__file__).with_name("messages.yaml")


@cache
def _table() -> dict[str, dict[str, str]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(_FILE.read_text(encoding="utf-8"), Loader=loader)  # our own file, with the safe loader
    return {str(k): {lang: str(v[lang]) for lang in LANGS} for k, v in data.items()}


def default_lang() -> str:
    """The language of messages when the caller names none (see the module's doc): the one order of the
    command line's ``--lang`` default, of the library's messages and of the workers of ``--jobs``."""
    chosen = os.environ.get("NETRAL_RULES_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    from .batch.config import config_lang  # late: the messages sit below everything else (errors.py uses them)
    from .errors import NetralError

    try:
        configured = config_lang()
    except (NetralError, OSError, RuntimeError):  # a broken file, a removed current folder, no home folder
        configured = None  # a broken configuration file is reported where its packs are read
    if configured in LANGS:
        return configured
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "id"
    return "id"


def text(key: str, lang: str | None = None, /, **values: Any) -> str:
    """The message ``key`` in ``lang`` (default: :func:`default_lang`), its ``{name}`` placeholders filled."""
    template = _table()[key][lang if lang in LANGS else default_lang()]
    return template.format(**values) if values else template


def both(key: str, /, **values: Any) -> Bilingual:
    """The message ``key`` in both languages."""
    return Bilingual(id=text(key, "id", **values), en=text(key, "en", **values))


_REASONS = {
    errno.EACCES: "reason.permission",
    errno.EPERM: "reason.permission",
    errno.ELOOP: "reason.loop",
    errno.ENOENT: "reason.missing",
    errno.ENOTDIR: "reason.not_a_folder",
    errno.EISDIR: "reason.is_a_folder",
    errno.ENOSPC: "reason.disk_full",
    errno.EDQUOT: "reason.disk_full",
    errno.EROFS: "reason.read_only",
    errno.EIO: "reason.device",
    errno.EPIPE: "reason.broken_pipe",
}


def reason(exc: OSError, lang: str | None = None) -> str:
    """Why an operating-system call failed, in words (the error's code name where there is no message)."""
    key = _REASONS.get(exc.errno or 0)
    if key is not None:
        return text(key, lang)
    code = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return text("reason.other", lang, code=code)


def number_too_long(lang: str | None = None) -> str:
    """In words, why a number was not read: Python converts integers of at most
    ``sys.get_int_max_str_digits()`` digits (its own message tells a programmer to raise that limit)."""
    return text("number.too_long", lang, limit=f"{sys.get_int_max_str_digits():,}")
