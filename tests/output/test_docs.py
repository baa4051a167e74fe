"""The guides' examples are true: their scenario passes, their error output is what validate prints, and
every rule id they name exists in the bundled packs."""

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from netral_rules import Engine
from netral_rules.batch.scenarios import compare
from netral_rules.law.schema import ScenariosFile

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [ROOT / "docs" / "legal-staff-guide.id.md", ROOT / "docs" / "legal-staff-guide.en.md"]
DEV_GUIDE = ROOT / "docs" / "developer-guide.md"


def blocks(path: Path, lang: str) -> list[str]:
    """Fenced code blocks of one language ('' for fences without one)."""
    out: list[str] = []
    current: list[str] | None = None
    keep = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if current is None:
                current, keep = [], line[3:].strip() == lang
            else:
                if keep:
                    out.append("\n".join(current) + "\n")
                current = None
        elif current is not None:
            current.append(line)
    return out


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_scenario_examples_pass(guide: Path, engine: Engine) -> None:
    found = [b for b in blocks(guide, "yaml") if b.startswith("scenarios:")]
    assert found, "the guide shows a scenario"
    for block in found:
        for sc in ScenariosFile.model_validate(yaml.safe_load(block)).scenarios:
            decision = engine.evaluate(sc.fact, as_of=sc.as_of)
            assert compare(sc.expect, decision) == [], sc.name


@pytest.mark.parametrize("guide", [*GUIDES, DEV_GUIDE], ids=lambda p: p.name)
def test_named_rules_exist(guide: Path, engine: Engine) -> None:
    ids = {r.id for r in engine.rules}
    named = set(re.findall(r"\b((?:pp94|pp42|pp49|uu20|uu5|skb)\.[a-z0-9.\-]+[a-z0-9])\b", guide.read_text()))
    named = {n for n in named if not re.fullmatch(r"pp94\.8\.\d\.[a-c]", n)}  # sanction option codes
    assert named <= ids, sorted(named - ids)


@pytest.mark.parametrize(("guide", "lang"), [(GUIDES[0], "id"), (GUIDES[1], "en")], ids=["id", "en"])
def test_validate_error_example_is_real(guide: Path, lang: str, tmp_path: Path) -> None:
    """Each guide shows what validate prints in its language for the same three mistakes."""
    marker = {"id": "jalur fakta 'act.cumulative_day' tidak dikenal", "en": "unknown fact path"}[lang]
    [expected] = [b for b in blocks(guide, "") if marker in b]
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "pp_94_2021" / "rules" / "kehadiran.yaml"
    text = path.read_text()
    text = text.replace("act.cumulative_days: {between: [4, 6]}", "act.cumulative_day: {between: [4, 6]}", 1)
    text = text.replace("        - PP 94/2021 Pasal 9 ayat (2) huruf b angka 2\n",
                        "        - PP 94/2021 Pasal 9 ayat (2) huruf b angka 9\n", 1)
    text = text.replace("sanctions: PP 94/2021 Pasal 8 ayat (2) huruf b", "sanctions: PP 94/2021 Pasal 8 ayat 2 huruf b", 1)
    path.write_text(text)
    env = {**__import__("os").environ, "NETRAL_RULES_LANG": lang}
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "validate", "rules"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 1
    got = (r.stdout + r.stderr).strip().splitlines()
    want = expected.strip().splitlines()
    # the pack.lock warning sorts with the other problems; the counts of the last line grow with the packs,
    # and the version the warning names moves with the pack
    def versionless(lines: list[str]) -> list[str]:
        return sorted(re.sub(r"(versi|version) \d+\.\d+\.\d+", r"\1 X", line) for line in lines)

    assert versionless(got[:-1]) == versionless(want[:-1])
    first = {"id": "3 kesalahan", "en": "3 error(s)"}[lang]
    assert got[-1].split(":")[0] == want[-1].split(":")[0] == first


def test_rule_catalogue_is_up_to_date(tmp_path: Path, engine: Engine) -> None:
    from netral_rules.output.catalogue import render_catalogue

    written = render_catalogue(engine, tmp_path)
    names = {path.relative_to(tmp_path).as_posix() for path in written}
    committed_names = {p.relative_to(ROOT / "docs" / "rules").as_posix() for p in (ROOT / "docs" / "rules").rglob("*.md")}
    assert committed_names == names, f"docs/rules/ has other pages: {sorted(committed_names ^ names)}"
    for name in sorted(names):
        committed = ROOT / "docs" / "rules" / name
        assert committed.read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8"), (
            f"docs/rules/{name} is stale: run `netral-rules docs`"
        )


def test_relative_links_resolve() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_setup_examples_are_real(tmp_path: Path) -> None:
    """The guides' set-up: `init` makes the working folder, and validating one pack of it alone gives the
    message the guides show, naming the packs it needs."""
    env = {k: v for k, v in __import__("os").environ.items() if k != "NETRAL_RULES_PATH"}
    cli = [sys.executable, "-m", "netral_rules.batch.cli"]
    assert subprocess.run([*cli, "init", "aturan-kantor"], cwd=tmp_path, env=env, capture_output=True,
                          timeout=120).returncode == 0
    work = tmp_path / "aturan-kantor"
    for guide, lang in ((GUIDES[0], "id"), (GUIDES[1], "en")):
        r = subprocess.run([*cli, "validate", "rules/skb_2022"], cwd=work, env={**env, "NETRAL_RULES_LANG": lang},
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 1
        marker = {"id": "merujuk ke paket yang tidak dimuat", "en": "refers to packs that are not loaded"}[lang]
        [line] = [x for x in r.stdout.splitlines() if marker in x]
        [shown] = [b for b in blocks(guide, "") if marker in b]
        def counts(text: str) -> str:  # the numbers grow with the packs
            return re.sub(r"\d+ (citation|expected rule|kutipan|aturan yang)", r"N \1", text)

        assert counts(shown.strip()) == counts(line), guide.name
        settings = [b for b in blocks(guide, "json") if "yaml.schemas" in b]
        assert settings and json.loads(settings[0]) == json.loads((work / ".vscode" / "settings.json").read_text())
        toml = [b for b in blocks(guide, "toml") if "rules = " in b]
        assert toml and tomllib.loads(toml[0]) == {"rules": ["rules"], "lang": "id"}
