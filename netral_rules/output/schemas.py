"""The JSON Schemas as files: ``schemas/*.json`` in the repository, ``netral_rules/schemas/`` in the wheel.

Editors (VS Code with the YAML extension, through ``.vscode/settings.json`` or a ``yaml-language-server``
modeline) and other systems read them to complete and check pack files, election calendars and
facts. ``netral-rules schema --write
DIR`` writes them; a test keeps the committed copies equal to what the code generates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..decide.decision import decision_json_schema
from ..fact.model import fact_json_schema
from ..law.calendars import calendar_json_schema
from ..law.schema import pack_json_schema

# file name -> which files of a pack it describes (for editors' glob patterns), or None for facts and decisions
SCHEMA_FILES: dict[str, str | None] = {
    "pack.schema.json": "*/pack.yaml",
    "articles.schema.json": "*/articles.yaml",
    "rules.schema.json": "*/rules/*.yaml",
    "tests.schema.json": "*/tests/*.yaml",
    "calendar.schema.json": "calendars/*.yaml",
    "fact.schema.json": None,
    "decision.schema.json": None,
}


def schemas() -> dict[str, dict[str, Any]]:
    """Every schema by its file name."""
    out: dict[str, dict[str, Any]] = {}
    for name in SCHEMA_FILES:
        kind = name.split(".", 1)[0]
        if kind == "fact":
            out[name] = fact_json_schema()
        elif kind == "decision":
            out[name] = decision_json_schema()
        elif kind == "calendar":
            out[name] = calendar_json_schema()
        else:
            out[name] = pack_json_schema(kind)
    return out


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written


def shipped_schemas_dir() -> Path | None:
    """Where the schema files of this installation are (the wheel's copy, or ``schemas/`` in a checkout)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "schemas", here.parent / "schemas"):
        if (candidate / "rules.schema.json").is_file():
            return candidate
    return None


def vscode_settings(schema_dir: str, rules_dir: str) -> dict[str, Any]:
    """The ``.vscode/settings.json`` that maps pack files under ``rules_dir`` to the schemas in ``schema_dir``
    (both relative to the folder opened in VS Code)."""
    mapping = {
        f"{schema_dir.rstrip('/')}/{name}": [f"{rules_dir.rstrip('/')}/{glob}"]
        for name, glob in SCHEMA_FILES.items()
        if glob is not None
    }
    return {"yaml.schemas": mapping}


__all__ = ["SCHEMA_FILES", "schemas", "shipped_schemas_dir", "vscode_settings", "write_schemas"]
