"""pack.lock: validate warns when a pack's files changed but its version did not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import write_pack

from netral_rules.decide.engine import load_packs

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def warnings(root: Path) -> list[str]:
    _, problems = load_packs([root])
    return [str(p).replace(str(root), "P") for p in problems if p.severity == "warning"]


def test_changed_files_without_a_new_version_are_warned(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p")
    assert warnings(root) == []  # no lock: nothing to compare
    r = cli("lock", "p", cwd=tmp_path)
    assert r.returncode == 0 and "test_pack 1.0.0" in r.stdout
    assert (root / "pack.lock").read_text(encoding="utf-8").splitlines()[2] == 'version: "1.0.0"'
    assert warnings(root) == []
    rules = root / "rules" / "r.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("level: berat", "level: sedang"), encoding="utf-8")
    assert warnings(root) == [
        "P/pack.yaml:2:10: warning: the pack's files changed since it was locked at version 1.0.0, but its version "
        "did not: decisions made before and after would carry the same version for different law "
        "(raise `version` in pack.yaml, then run `netral-rules lock`)"
    ]
    r = cli("validate", "p", cwd=tmp_path)
    assert r.returncode == 0 and "1 warning(s)" in r.stderr  # a warning, not an error
    manifest = root / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.0.1"),
                        encoding="utf-8")
    assert warnings(root) == ["P/pack.yaml:2:10: warning: version raised from 1.0.0 to 1.0.1; pack.lock still "
                              "records 1.0.0 (run `netral-rules lock` to record the new version)"]
    assert cli("lock", "p", cwd=tmp_path).returncode == 0
    assert warnings(root) == []


def test_a_broken_lock_is_named(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p")
    (root / "pack.lock").write_text("version: 1\n", encoding="utf-8")
    [problem] = [p for p in load_packs([root])[1]]
    assert "pack.lock must hold a version and a sha256" in problem.message
    assert str(problem.where).endswith("p/pack.lock:1:1")


def test_bundled_packs_are_locked_at_their_version() -> None:
    packs, problems = load_packs([ROOT / "rules"])
    assert all((p.root / "pack.lock").is_file() for p in packs)
    assert [str(p) for p in problems if p.code.startswith("lock")] == [], (
        "a bundled pack changed: raise its version in pack.yaml, then run `netral-rules lock rules/`")
