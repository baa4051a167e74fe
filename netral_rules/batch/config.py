"""Where the rule packs are when the command line does not say: ``--rules``, else ``NETRAL_RULES_PATH``, else a
``netral-rules.toml`` file, else the bundled packs.

Legal staff work on their own copy of ``rules/``; typing ``--rules`` for every command is error-prone, and a
forgotten one silently uses the bundled packs. So the copy can be named once:

* ``NETRAL_RULES_PATH``: folders of packs (or pack folders), separated by ``:`` (``;`` on Windows), as ``PATH``;
* ``netral-rules.toml`` in the current folder or any folder above it, or ``~/.config/netral-rules/config.toml``::

      rules = ["aturan-saya"]      # folders, relative to this file
      lang = "id"                  # the language of messages and explanations: id or en

The first of these that is set wins; a folder it names that does not exist is an error, never a silent fall
back to the bundled packs. :func:`rules_source` says which one was used, and ``validate`` prints it.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import NetralError, Problem

ENV_RULES = "NETRAL_RULES_PATH"
CONFIG_NAME = "netral-rules.toml"
_KEYS = ("rules", "lang")


@dataclass(frozen=True)
class Config:
    path: Path
    rules: tuple[Path, ...] = ()
    lang: str | None = None


def _user_config() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "netral-rules" / "config.toml"


def find_config(start: Path | None = None) -> Path | None:
    """``netral-rules.toml`` in ``start`` (the current folder) or a folder above it, else the user's config."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    user = _user_config()
    return user if user.is_file() else None


def load_config(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problem = Problem(exc.strerror or str(exc), str(path), code="config")
        raise NetralError(f"cannot read {path}", [problem]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise NetralError(f"{path} is not a valid TOML file",
                          [Problem(str(exc), str(path), code="config")]) from None
    problems = []
    for key in data:
        if key not in _KEYS:
            near = difflib.get_close_matches(key, _KEYS, n=1)
            problems.append(Problem(f"unknown setting '{key}'", str(path), code="config",
                                    hint=f"did you mean '{near[0]}'?" if near else f"settings: {', '.join(_KEYS)}"))
    rules = data.get("rules", [])
    if isinstance(rules, str):
        rules = [rules]
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        problems.append(Problem("'rules' is a folder or a list of folders, e.g. rules = [\"aturan-saya\"]", str(path),
                                code="config"))
        rules = []
    lang = data.get("lang")
    if lang is not None and lang not in ("id", "en"):
        problems.append(Problem(f"'lang' is \"id\" or \"en\", not {lang!r}", str(path), code="config"))
        lang = None
    if problems:
        raise NetralError(f"{path}: {len(problems)} problem(s)", problems)
    return Config(path, tuple((path.parent / r) for r in rules), lang)


def _existing(paths: list[Path], source: str) -> list[Path]:
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise NetralError(
            f"{source} names a folder that does not exist",
            [Problem(f"no such folder: {p}", source, code="config") for p in missing],
        )
    return paths


def rules_source(explicit: list[str] | None = None) -> tuple[list[Path], str | None]:
    """The pack folders to use and where that choice came from (None for the bundled packs)."""
    if explicit:
        return [Path(p) for p in explicit], None
    env = os.environ.get(ENV_RULES, "").strip()
    if env:
        return _existing([Path(p) for p in env.split(os.pathsep) if p.strip()], ENV_RULES), ENV_RULES
    found = find_config()
    if found is not None:
        config = load_config(found)
        if config.rules:
            return _existing(list(config.rules), str(found)), str(found)
    from ..law.packs import bundled_rules_dir

    return [bundled_rules_dir()], None


def rule_paths(explicit: list[str] | None = None) -> list[Path]:
    return rules_source(explicit)[0]


def config_lang() -> str | None:
    """The ``lang`` of the configuration file, if one is found and sets it."""
    found = find_config()
    return load_config(found).lang if found is not None else None


__all__ = ["CONFIG_NAME", "ENV_RULES", "Config", "config_lang", "find_config", "load_config", "rule_paths",
           "rules_source"]
