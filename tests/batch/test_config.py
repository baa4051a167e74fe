"""Where the packs are without --rules: NETRAL_RULES_PATH, else netral-rules.toml, else the bundled packs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import write_pack

FACT = {"occurred_on": "2024-01-10", "actor": {"status": "pns"},
        "context": {"election": {"candidate_stage": "calon"}},
        "act": {"kind": "campaign_attendance", "role": "participant", "mobilised_civil_servants": True}}


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None,
        keep_lang: bool = True) -> subprocess.CompletedProcess[str]:
    drop = ("NETRAL_RULES_PATH",) if keep_lang else ("NETRAL_RULES_PATH", "NETRAL_RULES_LANG")
    base = {k: v for k, v in os.environ.items() if k not in drop}
    base["XDG_CONFIG_HOME"] = str(cwd / "no-user-config")
    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**base, **(env or {})}, input=stdin)


def test_environment_variable_names_the_packs(tmp_path: Path) -> None:
    write_pack(tmp_path / "mine" / "p")
    env = {"NETRAL_RULES_PATH": str(tmp_path / "mine")}
    r = run("validate", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert f"packs from NETRAL_RULES_PATH: {tmp_path / 'mine'}" in r.stderr
    assert "OK: 1 pack(s), 1 rule(s)" in r.stderr
    r = run("check", "--json", "-", cwd=tmp_path, env=env, stdin=json.dumps(FACT))
    assert json.loads(r.stdout)["decision"]["findings"][0]["rule_id"] == "t.mobilise"
    # --rules still wins
    r = run("check", "--json", "--rules", str(Path(__file__).resolve().parents[2] / "rules"), "-", cwd=tmp_path,
            env=env, stdin=json.dumps(FACT))
    findings = json.loads(r.stdout)["decision"]["findings"]
    assert findings and all(f["pack"] != "test_pack" for f in findings)


def test_a_missing_folder_is_an_error_not_the_bundled_packs(tmp_path: Path) -> None:
    r = run("validate", cwd=tmp_path, env={"NETRAL_RULES_PATH": str(tmp_path / "nowhere")})
    assert r.returncode == 2
    assert "NETRAL_RULES_PATH names a folder that does not exist" in r.stderr
    assert str(tmp_path / "nowhere") in r.stderr


def test_config_file_in_this_or_a_parent_folder(tmp_path: Path) -> None:
    write_pack(tmp_path / "kantor" / "aturan" / "p")
    (tmp_path / "kantor" / "netral-rules.toml").write_text('rules = ["aturan"]\nlang = "en"\n', encoding="utf-8")
    below = tmp_path / "kantor" / "laporan"
    below.mkdir()
    r = run("test", cwd=below)
    assert r.returncode == 1 and "no scenario found" in r.stderr  # its packs were used: the test pack has none
    r = run("validate", cwd=below)
    assert r.returncode == 0 and f"packs from {tmp_path / 'kantor' / 'netral-rules.toml'}" in r.stderr
    (below / "r.json").write_text(json.dumps(FACT), encoding="utf-8")
    r = run("explain", "r.json", cwd=below, keep_lang=False, env={"LANG": "C.UTF-8"})
    assert r.stdout.startswith("Decision: VIOLATION"), r.stdout + r.stderr  # lang = "en" from the file
    r = run("explain", "r.json", cwd=below, env={"NETRAL_RULES_LANG": "id"})
    assert r.stdout.startswith("Keputusan: PELANGGARAN")  # the environment wins over the file


def test_config_file_mistakes_are_named(tmp_path: Path) -> None:
    (tmp_path / "netral-rules.toml").write_text('rule = ["aturan"]\nlang = "jv"\n', encoding="utf-8")
    r = run("validate", cwd=tmp_path)
    assert r.returncode == 2
    assert "unknown setting 'rule' (did you mean 'rules'?)" in r.stderr
    assert "'lang' is \"id\" or \"en\", not 'jv'" in r.stderr


def test_init_sets_up_a_working_folder(tmp_path: Path) -> None:
    r = run("init", "kerja", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    work = tmp_path / "kerja"
    assert (work / "rules" / "pp_94_2021" / "pack.yaml").is_file()
    assert (work / "netral-rules.toml").read_text(encoding="utf-8").endswith('rules = ["rules"]\n')
    assert json.loads((work / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"][
        "schemas/rules.schema.json"] == ["rules/*/rules/*.yaml"]
    assert (work / "schemas" / "rules.schema.json").is_file()
    # an edit of the copy is what the commands see, without --rules
    rules = work / "rules" / "pp_94_2021" / "rules" / "kehadiran.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("act.cumulative_days: {between: [4, 6]}",
                                                               "act.cumulative_day: {between: [4, 6]}", 1))
    r = run("validate", cwd=work)
    assert r.returncode == 1 and "act.cumulative_day" in r.stdout
    assert run("init", "kerja", cwd=tmp_path).returncode == 2  # never over an existing copy
