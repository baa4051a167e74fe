"""The non-Python client of the developer guide, compiled and run against a real service: the Java example
(docs/examples/Decide.java, quoted in the guide) must work as the guide shows it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ROOT, Server

EXAMPLE = ROOT / "docs" / "examples" / "Decide.java"
GUIDE = ROOT / "docs" / "developer-guide.md"


def test_the_guide_quotes_the_java_example_as_it_is() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    assert "```java\n" + EXAMPLE.read_text(encoding="utf-8") + "```" in guide


@pytest.mark.skipif(shutil.which("javac") is None or shutil.which("java") is None,
                    reason="no JDK on this machine (javac and java are needed to run the Java example)")
def test_the_java_example_decides_a_fact(serve: Callable[..., Server], tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "Decide.java")
    subprocess.run(["javac", "Decide.java"], cwd=tmp_path, check=True, capture_output=True, timeout=120)
    server = serve(env={"NETRAL_RULES_TOKENS": "java-client-token-0123456789"})
    env = {**os.environ, "NETRAL_URL": server.url, "NETRAL_TOKEN": "java-client-token-0123456789"}
    done = subprocess.run(["java", "-cp", str(tmp_path), "Decide"], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["HTTP 200", "status: violation", "level:  sedang"]
    env.pop("NETRAL_TOKEN")
    refused = subprocess.run(["java", "-cp", str(tmp_path), "Decide"], env=env, capture_output=True, text=True,
                             timeout=120, check=False)
    assert refused.stdout.startswith("HTTP 401") and '"unauthorized"' in refused.stdout
