"""The JSON Schemas editors use: shipped as files, up to date, and accepting every bundled pack file."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from netral_rules.output.schemas import SCHEMA_FILES, schema_text, schemas, shipped_schemas_dir, vscode_settings

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
PACK_FILES = sorted(p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").glob("*/**/*.yaml"))


def as_editor_reads(value: Any) -> Any:
    """YAML as an editor's language server checks it (YAML 1.2: a date is a string)."""
    if isinstance(value, dict):
        return {str(k): as_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_reads(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def schema_for(name: str) -> str:
    for file, glob in SCHEMA_FILES.items():
        if glob is not None and fnmatch.fnmatch(name, glob):
            return file
    raise AssertionError(f"no schema for {name}")


def validator(file: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / file).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_are_up_to_date() -> None:
    generated = schemas()
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(generated)
    for name, schema in generated.items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == schema_text(schema), (
            f"schemas/{name} is stale: run `netral-rules schema --write schemas`")
    assert shipped_schemas_dir() is not None


@pytest.mark.parametrize("name", PACK_FILES)
def test_every_bundled_pack_file_is_valid_against_its_schema(name: str) -> None:
    data = as_editor_reads(yaml.safe_load((ROOT / "rules" / name).read_text(encoding="utf-8")))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(schema_for(name)).iter_errors(data)]
    assert errors == []


def test_the_schema_catches_what_validate_catches() -> None:
    rules = yaml.safe_load((ROOT / "rules" / "pp_94_2021" / "rules" / "dukungan.yaml").read_text(encoding="utf-8"))
    then = rules["rules"][0]["then"]
    then["categroy"] = then.pop("category")
    rules["rules"][1]["then"]["level"] = "heavy"
    rules["rules"][2]["when"] = {"act.mobilised_civil_servant": True}
    found = sorted({".".join(map(str, e.absolute_path)) for e in validator("rules.schema.json").iter_errors(
        as_editor_reads(rules))})
    assert found == ["rules.0.then", "rules.1.then.level", "rules.2.when"]


def test_vscode_settings_map_every_pack_file() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == vscode_settings("schemas", "rules")
    for name in PACK_FILES:
        globs = settings["yaml.schemas"][f"schemas/{schema_for(name)}"]
        assert any(fnmatch.fnmatch(f"rules/{name}", g) for g in globs), name
