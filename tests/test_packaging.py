"""The wheel carries the bundled packs: install it into a fresh virtual environment and use it elsewhere."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(os.environ.get("NETRAL_SKIP_PACKAGING") == "1", reason="NETRAL_SKIP_PACKAGING=1")
def test_wheel_installs_and_finds_bundled_packs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = list(dist.glob("netral_rules-*.whl"))
    env_dir = tmp_path / "env"
    # dependencies (pydantic, pyyaml, durable-rules) come from the test environment; the library itself
    # must come from the wheel
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], capture_output=True, text=True, timeout=600
    )
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import netral_rules, sys; from netral_rules import Engine; e = Engine.default(); "
        "print(netral_rules.__file__); print(sorted(p.id for p in e.packs)); "
        "d = e.evaluate({'occurred_on': '2024-03-01', 'actor': {'status': 'pns'}, "
        "'act': {'kind': 'party_membership', 'role': 'member'}}); print(d.aggregate.level)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=elsewhere, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    file_line, packs_line, level = r.stdout.splitlines()
    assert str(env_dir) in file_line  # the installed copy, not the source tree
    assert "pp_94_2021" in packs_line and "uu_20_2023" in packs_line
    assert level == "ptdh"
    cli = subprocess.run(
        [str(env_dir / "bin" / "netral-rules"), "validate"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=120,
        env=env,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
