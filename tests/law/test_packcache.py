"""The compiled-pack cache (law/packcache.py): a changed pack gives the new answer, a damaged entry is built
again, processes starting at once are safe; the command line's lazy imports. Real files, real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import RULE, fact, write_pack

from netral_rules.law import packcache
from netral_rules.law.packcache import cache_dir, cache_key, load_law_cached, read_entry
from netral_rules.law.packs import bundled_rules_dir

MOBILISING = fact(mobilised_civil_servants=True)


def check(tmp_path: Path, rules: Path, cache: str, *extra: str, env: dict[str, str] | None = None,
          ) -> subprocess.CompletedProcess[str]:
    report = tmp_path / "report.json"
    report.write_text(json.dumps(MOBILISING), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", "--rules", str(rules),
                           "--cache", cache, *extra, str(report)], capture_output=True, text=True, timeout=120,
                          env=env)


def decision(r: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert r.returncode == 0, r.stderr
    return dict(json.loads(r.stdout.splitlines()[-1])["decision"])


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("packs-*.bin"))


def test_a_changed_pack_gives_the_new_answer_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    rules = write_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    first = decision(check(tmp_path, rules, str(cache)))
    assert first["findings"][0]["level"] == "berat"  # type: ignore[index]
    [entry] = entries(cache)
    again = decision(check(tmp_path, rules, str(cache)))
    assert again == first
    assert entries(cache) == [entry]
    # the same number of bytes and the old modification time: only the content says it changed
    path = rules / "rules" / "r.yaml"
    before = path.stat()
    path.write_text(RULE.replace("level: berat", "level: ringan").replace("Mobilising", "Mobilisin"), encoding="utf-8")
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    changed = decision(check(tmp_path, rules, str(cache)))
    assert changed["findings"][0]["level"] == "ringan"  # type: ignore[index]
    assert changed == decision(check(tmp_path, rules, "off"))  # what reading the packs afresh gives
    assert len(entries(cache)) == 1  # the entry of the old content was replaced, not kept beside it


def test_a_file_added_beside_the_packs_changes_the_key(tmp_path: Path) -> None:
    rules = write_pack(tmp_path / "p")
    key = cache_key([rules])
    assert cache_key([rules]) == key
    (rules / "calendars").mkdir()
    (rules / "calendars" / "2029.yaml").write_text("election: 2029-02-14\n", encoding="utf-8")
    assert cache_key([rules]) != key


def test_a_calendar_beside_a_single_pack_is_in_the_key_and_the_entry(tmp_path: Path) -> None:
    # `--rules rules/p` reads rules/calendars too (law/calendars.py): outside the path given, inside the key
    from netral_rules.law.calendars import calendar_dirs

    rules = write_pack(tmp_path / "rules" / "p")
    calendars = tmp_path / "rules" / "calendars"
    calendars.mkdir()
    assert calendar_dirs([rules]) == [calendars]
    key = cache_key([rules])
    shutil.copy(bundled_rules_dir() / "calendars" / "pemilu-2024.yaml", calendars)
    assert cache_key([rules]) != key
    packs, found, problems = load_law_cached([rules], tmp_path / "cache")
    assert packs and list(found.ids) and not [p for p in problems if p.severity == "error"]
    [entry] = entries(tmp_path / "cache")
    kept = read_entry(entry, cache_key([rules]))
    assert kept is not None and list(kept[1].ids) == list(found.ids)


def test_the_key_covers_the_language_of_messages_and_the_paths(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    a = write_pack(tmp_path / "a")
    b = write_pack(tmp_path / "b")
    monkeypatch.setenv("NETRAL_RULES_LANG", "en")
    key = cache_key([a])
    assert cache_key([b]) != key  # same content elsewhere: loaded packs name their files
    monkeypatch.setenv("NETRAL_RULES_LANG", "id")
    assert cache_key([a]) != key  # lint warnings are kept in the entry, in this language


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "other key", "empty"])
def test_a_damaged_entry_is_built_again(tmp_path: Path, damage: str) -> None:
    rules = write_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    expected = decision(check(tmp_path, rules, str(cache)))
    [entry] = entries(cache)
    data = entry.read_bytes()
    head = len(packcache.MAGIC)
    if damage == "truncated":
        broken = data[: len(data) // 2]
    elif damage == "flipped":  # a byte of the payload changed: it would still unpickle, or not
        k = len(data) - 100
        broken = data[:k] + bytes([data[k] ^ 0xFF]) + data[k + 1 :]
    elif damage == "garbage":
        broken = b"not a cache entry"
    elif damage == "other key":
        broken = data[:head] + b"0" * 64 + data[head + 64 :]
    else:
        broken = b""
    entry.write_bytes(broken)
    assert read_entry(entry, cache_key([rules])) is None
    assert decision(check(tmp_path, rules, str(cache))) == expected
    assert read_entry(entry, cache_key([rules])) is not None  # written again, whole


def test_an_entry_that_unpickles_to_nonsense_is_not_used(tmp_path: Path) -> None:
    # the right key and a valid digest, but a payload this code cannot use: built again
    import hashlib
    import pickle

    rules = write_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    expected = decision(check(tmp_path, rules, str(cache)))
    [entry] = entries(cache)
    payload = pickle.dumps("not packs")
    key = cache_key([rules])
    entry.write_bytes(packcache.MAGIC + key.encode() + hashlib.sha256(payload).digest() + payload)
    assert read_entry(entry, key) is None
    assert decision(check(tmp_path, rules, str(cache))) == expected


def test_processes_starting_at_once_agree_and_leave_one_whole_entry(tmp_path: Path) -> None:
    rules = write_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    report = tmp_path / "report.json"
    report.write_text(json.dumps(MOBILISING), encoding="utf-8")
    command = [sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", "--rules", str(rules), "--cache",
               str(cache), str(report)]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    outputs = []
    for p in running:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        outputs.append(out)
    fresh = check(tmp_path, rules, "off").stdout
    assert outputs == [fresh] * 6
    [entry] = entries(cache)
    assert read_entry(entry, cache_key([rules])) is not None
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]  # no half-written file left behind


def test_a_warm_start_reads_no_pack_and_lints_nothing(tmp_path: Path) -> None:
    rules = write_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    decision(check(tmp_path, rules, str(cache)))
    report = tmp_path / "report.json"
    probe = ("import sys; from netral_rules.batch.cli import main; code = main(sys.argv[1:]); "
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith('netral_rules.law')))); sys.exit(code)")
    r = subprocess.run([sys.executable, "-c", "import json; " + probe, "check", "--json", "--rules", str(rules),
                        "--cache", str(cache), str(report)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    loaded = json.loads(r.stdout.splitlines()[-1])
    assert "netral_rules.law.lint" not in loaded and "netral_rules.law.quotes" not in loaded
    assert "netral_rules.law.packcache" in loaded


def test_packs_with_errors_are_not_kept(tmp_path: Path) -> None:
    rules = write_pack(tmp_path / "p", rules={"r.yaml": RULE.replace("level: berat", "level: enormous")})
    cache = tmp_path / "cache"
    r = check(tmp_path, rules, str(cache))
    assert r.returncode == 2 and "r.yaml" in r.stderr
    assert entries(cache) == []
    assert check(tmp_path, rules, str(cache)).stderr == r.stderr  # found again, with the same positions


def test_off_writes_nothing_and_the_folder_is_the_owners(tmp_path: Path) -> None:
    rules = write_pack(tmp_path / "p")
    env = {**os.environ, "NETRAL_RULES_CACHE": str(tmp_path / "from-env")}
    decision(check(tmp_path, rules, "off", env=env))
    assert not (tmp_path / "from-env").exists()
    packs, _, problems = load_law_cached([rules], tmp_path / "mine")
    assert [p.id for p in packs] == ["test_pack"] and not [p for p in problems if p.severity == "error"]
    assert ((tmp_path / "mine").stat().st_mode & 0o777) == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners on this system")
def test_an_entry_others_could_have_written_is_not_read(tmp_path: Path) -> None:
    rules = write_pack(tmp_path / "p")
    cache = tmp_path / "cache"
    load_law_cached([rules], cache)
    [entry] = entries(cache)
    assert read_entry(entry, cache_key([rules])) is not None
    entry.chmod(0o666)
    assert read_entry(entry, cache_key([rules])) is None


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NETRAL_RULES_CACHE", str(tmp_path / "env"))
    assert cache_dir() == tmp_path / "env"
    assert cache_dir(str(tmp_path / "flag")) == tmp_path / "flag"  # the --cache option wins
    assert cache_dir("off") is None and cache_dir("") is None
    monkeypatch.setenv("NETRAL_RULES_CACHE", "OFF")
    assert cache_dir() is None
    monkeypatch.delenv("NETRAL_RULES_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform not in ("win32", "darwin"):
        assert cache_dir() == tmp_path / "xdg" / "netral-rules"
