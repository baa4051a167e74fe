"""Every way a pack's files can fail to be read, as ``validate`` and ``check`` report it (issue 16, 2 and 7).

Each case is a real file system object in a real pack folder, read by the real command. A failure is always
an error naming the path and the reason, in Indonesian and in English; none is taken for an empty folder,
none blocks, none reads without bound. The commands run with an address-space limit, so a read that does
not stop (``/dev/zero``, a huge sparse file) fails the test instead of filling the machine's memory.

Permission cases: root reads everything, so as root the command runs without the capabilities that let it
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), dropped from its bounding set before it starts.
"""

from __future__ import annotations

import ctypes
import os
import resource
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import RULE, fact, write_pack

from netral_rules.errors import PackError
from netral_rules.law.load import load_pack

ROOT = Path(__file__).resolve().parents[2]
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
MEMORY = 2 << 30  # bytes of address space for the command: far more than it needs, far less than the machine


def _limited(drop_dac: bool) -> Callable[[], None]:
    def prepare() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        if drop_dac and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
                libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)

    return prepare


def cli(*args: str, lang: str, drop_dac: bool = False, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETRAL_RULES_LANG": lang}
    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=env, preexec_fn=_limited(drop_dac))


@pytest.fixture(scope="module")
def permissions_hold(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip where permissions cannot be made to hold for the command (root that cannot drop capabilities)."""
    secret = tmp_path_factory.mktemp("perm") / "secret"
    secret.write_text("x")
    secret.chmod(0)
    probe = subprocess.run([sys.executable, "-c", f"open({str(secret)!r}).read()"], capture_output=True,
                           preexec_fn=_limited(True), timeout=60)
    if probe.returncode == 0:
        pytest.skip("this user reads files without read permission, and cannot drop the capability to")


def problems_of(r: subprocess.CompletedProcess[str], root: Path) -> list[str]:
    return [line.replace(str(root), "P") for line in r.stdout.splitlines()]


MOBILISING = '{"occurred_on": "2024-01-10", "actor": {"status": "pns"}, "act": {"kind": "campaign_attendance", ' \
             '"role": "participant", "mobilised_civil_servants": true}}'

# (id, en) of each reason, as the user reads it
PERMISSION = ("tidak ada izin", "permission denied")
LOOP = ("tautan simbolik yang berputar (menunjuk ke dirinya sendiri)", "a symbolic link loop (it points back to itself)")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "id" else pair[1]


def _folder(reason: tuple[str, str], lang: str) -> str:
    return {"id": f"folder tidak dapat dibaca: {reason[0]}", "en": f"the folder cannot be read: {reason[1]}"}[lang]


def _not_regular(kind: tuple[str, str], lang: str) -> str:
    return {"id": f"bukan berkas biasa, melainkan {kind[0]}; paket hanya membaca berkas biasa",
            "en": f"not a regular file but {kind[1]}; a pack reads only regular files"}[lang]


def test_a_rules_folder_without_read_permission(tmp_path: Path, lang: str, permissions_hold: None) -> None:
    # validate said OK with 0 rules and exit 0; check answered not_covered for a dismissal-level act
    root = write_pack(tmp_path / "p")
    (root / "rules").chmod(0)
    try:
        r = cli("validate", str(root), lang=lang, drop_dac=True)
        assert r.returncode == 1, r.stdout + r.stderr
        assert problems_of(r, root) == [f"P/rules: {_folder(PERMISSION, lang)}"]
        r = cli("check", "--fail-on-violation", "--rules", str(root), "-", lang=lang, drop_dac=True, stdin=MOBILISING)
        assert r.returncode == 2 and r.stdout == ""
        assert _folder(PERMISSION, lang) in r.stderr and "Traceback" not in r.stderr
    finally:
        (root / "rules").chmod(0o755)


def test_a_pack_file_without_read_permission(tmp_path: Path, lang: str, permissions_hold: None) -> None:
    root = write_pack(tmp_path / "p")
    (root / "rules" / "r.yaml").chmod(0)
    reason = {"id": "tidak dapat dibaca: tidak ada izin", "en": "cannot be read: permission denied"}[lang]
    r = cli("validate", str(root), lang=lang, drop_dac=True)
    assert r.returncode == 1 and problems_of(r, root) == [f"P/rules/r.yaml: {reason}"]
    # check exited 1 with a traceback, the code of "some records were invalid"
    r = cli("check", "--rules", str(root), "-", lang=lang, drop_dac=True, stdin=MOBILISING)
    assert r.returncode == 2 and reason in r.stderr and "Traceback" not in r.stderr


def test_a_folder_of_packs_without_read_permission(tmp_path: Path, lang: str, permissions_hold: None) -> None:
    write_pack(tmp_path / "packs" / "p")
    (tmp_path / "packs").chmod(0o300)  # may enter, may not list
    try:
        r = cli("validate", str(tmp_path / "packs"), lang=lang, drop_dac=True)
        assert r.returncode == 2  # nothing could be read: unusable input
        assert r.stderr.replace(str(tmp_path / "packs"), "P") == f"P: {_folder(PERMISSION, lang)}\n"
    finally:
        (tmp_path / "packs").chmod(0o755)


def test_a_rules_folder_that_links_to_itself(tmp_path: Path, lang: str) -> None:
    root = write_pack(tmp_path / "p", rules={})
    (root / "rules").rmdir()
    (root / "rules").symlink_to("rules")
    r = cli("validate", str(root), lang=lang)
    assert r.returncode == 1 and problems_of(r, root) == [f"P/rules: {_folder(LOOP, lang)}"]
    r = cli("check", "--fail-on-violation", "--rules", str(root), "-", lang=lang, stdin=MOBILISING)
    assert r.returncode == 2 and _folder(LOOP, lang) in r.stderr


def test_a_pack_file_that_links_to_itself(tmp_path: Path, lang: str) -> None:
    root = write_pack(tmp_path / "p")
    (root / "rules" / "loop.yaml").symlink_to("loop.yaml")
    reason = {"id": f"tidak dapat dibaca: {LOOP[0]}", "en": f"cannot be read: {LOOP[1]}"}[lang]
    r = cli("validate", str(root), lang=lang)
    assert problems_of(r, root) == [f"P/rules/loop.yaml: {reason}"]


def _outside(target: str, lang: str) -> str:
    return {"id": f"menunjuk ke luar folder paket ({target}); paket hanya boleh membaca berkas di dalam foldernya "
                  "sendiri",
            "en": f"points outside the pack's folder ({target}); a pack may read only files inside its own folder"}[lang]


def test_a_link_to_the_zero_device(tmp_path: Path, lang: str) -> None:
    # it was read until memory ran out
    root = write_pack(tmp_path / "p")
    (root / "rules" / "zero.yaml").symlink_to("/dev/zero")
    r = cli("validate", str(root), lang=lang)
    assert r.returncode == 1, r.stderr
    assert problems_of(r, root) == [f"P/rules/zero.yaml: {_outside('/dev/zero', lang)}"]


def test_a_device_inside_the_pack(tmp_path: Path, lang: str) -> None:
    from netral_rules.law.files import read_regular

    device = ("perangkat", "a device")
    with pytest.raises(PackError) as info:  # the device itself, not through a pack
        read_regular(Path("/dev/zero"), 1000, shown="zero.yaml")
    assert [str(p) for p in info.value.problems] == [f"zero.yaml: {_not_regular(device, lang)}"]
    root = write_pack(tmp_path / "p")
    try:
        os.mknod(root / "rules" / "zero.yaml", 0o644 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("cannot make a device node here")
    r = cli("validate", str(root), lang=lang)
    assert r.returncode == 1 and problems_of(r, root) == [f"P/rules/zero.yaml: {_not_regular(device, lang)}"]


def test_a_named_pipe(tmp_path: Path, lang: str) -> None:
    # it blocked for ever (the timeout of cli() fails the test if it still does)
    root = write_pack(tmp_path / "p")
    os.mkfifo(root / "rules" / "pipe.yaml")
    r = cli("validate", str(root), lang=lang)
    fifo = ("pipa bernama (FIFO)", "a named pipe (FIFO)")
    assert r.returncode == 1 and problems_of(r, root) == [f"P/rules/pipe.yaml: {_not_regular(fifo, lang)}"]


def test_a_folder_named_like_a_file(tmp_path: Path, lang: str) -> None:
    root = write_pack(tmp_path / "p")
    (root / "rules" / "sub.yaml").mkdir()
    r = cli("validate", str(root), lang=lang)
    assert problems_of(r, root) == [f"P/rules/sub.yaml: {_not_regular(('folder', 'a folder'), lang)}"]


def test_a_rules_file_that_links_out_of_the_pack(tmp_path: Path, lang: str) -> None:
    root = write_pack(tmp_path / "p")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((root / "rules" / "r.yaml").read_text().replace("t.mobilise", "t.other"))
    (root / "rules" / "out.yaml").symlink_to(outside)
    r = cli("validate", str(root), lang=lang)
    assert r.returncode == 1
    assert problems_of(r, root) == [f"P/rules/out.yaml: {_outside(os.path.realpath(outside), lang)}"]


@pytest.mark.parametrize("named", ["../outside.md", "{abs}", "sub/../../outside.md"])
def test_a_source_file_outside_the_pack(tmp_path: Path, lang: str, named: str) -> None:
    # a path climbing out with ../ was read, hashed and quote-checked
    (tmp_path / "outside.md").write_text("secret\n")
    file = named.replace("{abs}", str(tmp_path / "outside.md"))
    root = write_pack(tmp_path / "p", pack=_with_source(file))
    r = cli("validate", str(root), lang=lang)
    expected = {"id": f"source.file '{file}' berada di luar folder paket; tulis nama berkas di dalam folder paket",
                "en": f"source.file '{file}' is outside the pack's folder; name a file inside the pack's folder"}[lang]
    assert r.returncode == 1 and problems_of(r, root) == [f"P/pack.yaml:7:9: {expected}"]
    pack, _ = load_pack(root)
    assert pack is not None and pack.source_text is None and "outside.md" not in str(pack.file_hashes)


def test_a_source_file_that_links_out_of_the_pack(tmp_path: Path, lang: str) -> None:
    (tmp_path / "outside.md").write_text("secret\n")
    root = write_pack(tmp_path / "p", pack=_with_source("source.md"))
    (root / "source.md").symlink_to(tmp_path / "outside.md")
    r = cli("validate", str(root), lang=lang)
    assert r.returncode == 1
    [line] = problems_of(r, root)
    assert line.startswith("P/source.md: ") and os.path.realpath(tmp_path / "outside.md") in line


def test_an_oversize_source_and_a_huge_sparse_file_are_never_read(tmp_path: Path, lang: str) -> None:
    # a refused over-size file was still read in full to hash it; source.md had no size limit
    root = write_pack(tmp_path / "p", pack=_with_source("source.md"))
    with (root / "source.md").open("wb") as f:
        f.truncate(1 << 40)  # 1 TB, sparse: reading it would take the address-space limit at once
    with (root / "rules" / "huge.yaml").open("wb") as f:
        f.truncate(1 << 40)
    r = cli("validate", str(root), lang=lang)
    assert r.returncode == 1, r.stderr
    size = {"id": f"berkas berukuran {1 << 40} bita; batasnya", "en": f"the file is {1 << 40} bytes; the limit is"}[lang]
    lines = problems_of(r, root)
    assert len(lines) == 2
    assert lines[0].startswith(f"P/rules/huge.yaml:1:1: {size} {2 * 1024 * 1024}")
    assert lines[1].startswith(f"P/source.md:1:1: {size} {16 * 1024 * 1024}")


def test_read_regular_stops_at_the_limit_even_if_the_file_grows(tmp_path: Path) -> None:
    from netral_rules.law.files import read_regular

    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 100) == b"x" * 100
    with pytest.raises(Exception, match="100"):
        read_regular(path, 99)


def test_a_good_pack_still_reads_with_links_inside_it(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", rules={})
    (root / "rules").rmdir()
    (root / "real_rules").mkdir()
    write_pack(tmp_path / "q")
    (root / "real_rules" / "r.yaml").write_text((tmp_path / "q" / "rules" / "r.yaml").read_text())
    (root / "rules").symlink_to("real_rules")
    r = cli("check", "--json", "--rules", str(root), "-", lang="en", stdin=MOBILISING)
    assert r.returncode == 0, r.stderr
    assert '"status":"violation"' in r.stdout
    assert fact()  # the helper's fact is the one MOBILISING spells out, with the flag set


def _with_source(file: str) -> str:
    from helpers import PACK

    return PACK + f"source:\n  file: {file!r}\n  origin: test\n"


@pytest.mark.parametrize("depth", [300, 600, 999, 5000])
def test_deep_nesting_in_a_rule_is_a_positioned_error_in_every_command(tmp_path: Path, depth: int, english: None) -> None:
    # 470 to 1,000 levels raised RecursionError out of validate, check, test and Engine.from_paths (1.2 kB)
    from netral_rules import Engine

    when = "{all: [" * depth + "{act.kind: voting}" + "]}" * depth
    rule = RULE.replace("    when:\n      all:\n        - act.kind: campaign_attendance\n"
                        "        - act.mobilised_civil_servants: true\n", f"    when: {when}\n")
    root = write_pack(tmp_path / "p", rules={"r.yaml": rule})
    message = "nested deeper than 64 levels; simplify the structure"
    r = cli("validate", str(root), lang="en")
    assert r.returncode == 1 and [line.split(": ", 1)[1] for line in problems_of(r, root)] == [message]
    for args in (["check", "--rules", str(root), "-"], ["test", str(root)], ["explain", "--rules", str(root), "-"]):
        r = cli(*args, lang="en", stdin=MOBILISING)
        assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, args
    with pytest.raises(PackError) as info:
        Engine.from_paths([root])
    assert [p.message for p in info.value.problems] == [message]
