"""The wheel carries the bundled packs and the JSON Schemas: install it into a fresh virtual environment and use
it elsewhere.

The new environment sees no site-packages of the machine: its dependencies (pydantic, PyYAML, durable-rules
where it installs) are linked in from the environment running the tests, so the test passes on any fresh
machine where the README's set-up worked, whatever the base interpreter has installed, and needs no network.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _closure(name: str) -> set[str]:
    """The distributions ``name`` needs at run time, transitively, on this interpreter (markers evaluated)."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        dist = metadata.distribution(todo.pop())
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            key = re.sub(r"[-_.]+", "-", req.name).lower()
            if key not in seen:
                seen.add(key)
                todo.append(req.name)
    return seen


def _link_dependencies(target: Path) -> None:
    """Symlink the top-level modules and metadata of netral-rules' dependencies into ``target``."""
    target.mkdir()
    for name in sorted(_closure("netral-rules")):
        dist = metadata.distribution(name)
        tops = {Path(str(f)).parts[0] for f in dist.files or [] if not str(f).startswith("..")}
        for top in sorted(tops):
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (target / top).exists():
                (target / top).symlink_to(source)


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
    venv.EnvBuilder(system_site_packages=False, with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    deps = tmp_path / "deps"
    _link_dependencies(deps)
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "netral_test_deps.pth").write_text(str(deps) + "\n", encoding="utf-8")
    install = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], capture_output=True,
        text=True, timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import netral_rules, sys; from netral_rules import Engine; e = Engine.default(); "
        "from netral_rules.output.schemas import shipped_schemas_dir; "
        "print(netral_rules.__file__); print(sorted(p.id for p in e.packs)); print(shipped_schemas_dir()); "
        "d = e.evaluate({'occurred_on': '2024-03-01', 'actor': {'status': 'pns'}, "
        "'act': {'kind': 'party_membership', 'role': 'member'}}); print(d.aggregate.level); "
        # the election calendars and their texts ship too
        "d = e.evaluate({'occurred_on': '2024-09-21', 'actor': {'status': 'pns'}, "
        "'context': {'election': {'id': 'pilkada-2024'}}, "
        "'act': {'kind': 'social_media', 'action': 'post', 'supports_candidate': True}}); "
        "print(len(e.calendars), d.aggregate.level)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NETRAL_RULES_PATH")}
    r = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=elsewhere, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    file_line, packs_line, schemas_line, level, calendars_line = r.stdout.splitlines()
    # a bakal calon by the calendar (penetapan 2024-09-22): the statute's breach of neutrality, no level assigned
    assert calendars_line == "8 unassigned"
    assert str(env_dir) in file_line  # the installed copy, not the source tree
    assert "pp_94_2021" in packs_line and "uu_20_2023" in packs_line
    assert schemas_line.startswith(str(env_dir)) and (Path(schemas_line) / "rules.schema.json").is_file()
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
