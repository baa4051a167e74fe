"""Election calendars as files: the bundled ones validate, broken ones give positioned problems (in the language of validate), the
schema is exported, and the questions asked of a calendar (coverage, stage, campaign, covering elections)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from netral_rules.law.calendars import (
    Calendars,
    calendar_dirs,
    calendar_json_schema,
    calendar_texts,
    load_calendar,
    load_calendars,
)

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "rules" / "calendars"
FILES = sorted(BUNDLED.glob("*.yaml"))

# A made-up election in 2099: test data for the file format, not a real calendar.
GOOD = """\
id: pemilu-2099
kind: pemilu
name: {id: Pemilu 2099, en: 2099 general election}
title: {id: Pemilihan Umum Tahun 2099, en: 2099 General Election}
sources:
  pkpu-1-2098: {cite: PKPU 1/2098, title: Tahapan Pemilu 2099, read: secondary, where: news}
cycle:
  from: {date: 2097-06-01, source: pkpu-1-2098, provenance: verified_secondary, via: news}
  until: {date: 2099-10-20, source: pkpu-1-2098, provenance: verified_secondary, via: news}
contests:
  presidential:
    determination: {date: 2098-11-13, source: pkpu-1-2098, provenance: verified_secondary, via: news}
    campaign: {from: 2098-11-28, until: 2099-02-10, source: pkpu-1-2098, provenance: verified_secondary, via: news}
    quiet: {from: 2099-02-11, until: 2099-02-13, source: pkpu-1-2098, provenance: verified_secondary, via: news}
    voting: {date: 2099-02-14, source: pkpu-1-2098, provenance: verified_secondary, via: news}
"""


def write(folder: Path, text: str, name: str = "pemilu-2099.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, name: str = "pemilu-2099.yaml") -> list[str]:
    path = write(tmp_path / "calendars", text, name)
    calendar, found = load_calendar(path, display=f"calendars/{name}")
    assert calendar is None, "a calendar with errors is not used"
    return [str(p) for p in found]


# --- the bundled calendars --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_bundled_calendar_validates(path: Path) -> None:
    calendar, found = load_calendar(path)
    assert [str(p) for p in found] == []
    assert calendar is not None and calendar.id == path.stem


def test_the_elections_since_2014_are_there() -> None:
    calendars, found = load_calendars([ROOT / "rules"])
    assert found == []
    assert calendars.ids == ("pemilu-2014", "pemilu-2019", "pemilu-2024", "pilkada-2015", "pilkada-2017",
                             "pilkada-2018", "pilkada-2020", "pilkada-2024")
    for c in calendars:
        expected = {"presidential", "dpr", "dpd", "dprd"} if c.kind == "pemilu" else {"governor", "regent_mayor"}
        assert set(c.model.contests) == expected, c.id


def test_every_dated_entry_names_a_source_and_a_provenance() -> None:
    calendars, _ = load_calendars([ROOT / "rules"])
    seen = 0
    for c in calendars:
        for contest in (None, *c.model.contests):
            for d in c.dated(contest):
                seen += 1
                assert d.entry.source in c.model.sources
                assert d.entry.provenance in ("verified_primary", "verified_secondary", "unverified")
                if d.entry.provenance == "verified_secondary":
                    assert d.entry.via
    assert seen > 100


def test_the_one_primary_date_quotes_its_text() -> None:
    calendars, _ = load_calendars([ROOT / "rules"])
    primary = [(c.id, d.item) for c in calendars for contest in (None, *c.model.contests)
               for d in c.dated(contest) if d.entry.provenance == "verified_primary"]
    assert primary == [("pilkada-2024", "cycle.until")]


def test_validate_cli_checks_calendars_alone_and_with_the_packs() -> None:
    for args in (["validate", str(BUNDLED)], ["validate"]):
        r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", *args], capture_output=True, text=True,
                           cwd=ROOT, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "8 calendar(s)" in r.stderr


# --- broken files: every problem with its file:line:column -------------------------------------------------


def test_a_good_file_has_no_problem(tmp_path: Path) -> None:
    calendar, found = load_calendar(write(tmp_path, GOOD))
    assert found == [] and calendar is not None


def test_unknown_source_key_with_did_you_mean(tmp_path: Path) -> None:
    text = GOOD.replace("determination: {date: 2098-11-13, source: pkpu-1-2098",
                        "determination: {date: 2098-11-13, source: pkpu-1-2089")
    assert problems(tmp_path, text) == [
        "calendars/pemilu-2099.yaml:12:47: unknown source 'pkpu-1-2089': not a key of sources (did you mean "
        "'pkpu-1-2098'?)"]


def test_unknown_key(tmp_path: Path) -> None:
    text = GOOD.replace("    voting: {date: 2099-02-14,", "    votting: {date: 2099-02-14,")
    found = problems(tmp_path, text)
    assert found == ["calendars/pemilu-2099.yaml:15:5: unknown key 'votting' (did you mean 'voting'?)"]


def test_campaign_dates_out_of_order(tmp_path: Path) -> None:
    text = GOOD.replace("campaign: {from: 2098-11-28, until: 2099-02-10", "campaign: {from: 2099-02-10, until: 2098-11-28")
    found = problems(tmp_path, text)
    assert found == [
        "calendars/pemilu-2099.yaml:13:41: dates out of order: campaign.until (2098-11-28) must be on or "
        "after campaign.from (2099-02-10)"]


def test_quiet_period_overlapping_the_campaign(tmp_path: Path) -> None:
    text = GOOD.replace("quiet: {from: 2099-02-11", "quiet: {from: 2099-02-10")
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith("calendars/pemilu-2099.yaml:14:19: dates out of order: ")
    assert "quiet.from (2099-02-10) must be after campaign.until (2099-02-10)" in found[0]


def test_campaign_outside_the_cycle(tmp_path: Path) -> None:
    text = GOOD.replace("from: {date: 2097-06-01", "from: {date: 2098-12-01")
    found = problems(tmp_path, text)
    assert found == [
        "calendars/pemilu-2099.yaml:12:27: presidential determination (2098-11-13) is outside the election's cycle "
        "(2098-12-01 to 2099-10-20)",
        "calendars/pemilu-2099.yaml:13:22: presidential campaign.from (2098-11-28) is outside the election's cycle "
        "(2098-12-01 to 2099-10-20)",
    ]


def test_a_contest_named_twice(tmp_path: Path) -> None:
    text = GOOD + "  presidential:\n    voting: {date: 2099-02-14, source: pkpu-1-2098, provenance: verified_secondary, via: x}\n"
    found = problems(tmp_path, text)
    assert found == ["calendars/pemilu-2099.yaml:16:3: duplicate key 'presidential' (first defined at line 11)"]


def test_an_election_defined_in_two_files(tmp_path: Path) -> None:
    write(tmp_path / "a" / "calendars", GOOD)
    write(tmp_path / "b" / "calendars", GOOD)
    calendars, found = load_calendars([tmp_path / "a", tmp_path / "b"])
    assert calendars.ids == ("pemilu-2099",)
    assert [p.code for p in found] == ["calendar.duplicate_election"]
    assert str(found[0]).startswith(f"{(tmp_path / 'b' / 'calendars' / 'pemilu-2099.yaml').as_posix()}:1:5: ")


def test_a_contest_of_the_other_kind_of_election(tmp_path: Path) -> None:
    text = GOOD.replace("  presidential:\n", "  governor:\n")
    assert problems(tmp_path, text) == [
        "calendars/pemilu-2099.yaml:11:3: governor is not a contest of a pemilu; allowed: presidential, dpr, dpd, dprd"]


def test_provenance_must_name_its_ground(tmp_path: Path) -> None:
    text = GOOD.replace("voting: {date: 2099-02-14, source: pkpu-1-2098, provenance: verified_secondary, via: news}",
                        "voting: {date: 2099-02-14, source: pkpu-1-2098, provenance: verified_secondary}")
    text = text.replace("until: {date: 2099-10-20, source: pkpu-1-2098, provenance: verified_secondary, via: news}",
                        "until: {date: 2099-10-20, source: pkpu-1-2098, provenance: verified_primary}")
    found = problems(tmp_path, text)
    assert [f.split(": ")[0] for f in found] == ["calendars/pemilu-2099.yaml:9:62"] * 2 + [
        "calendars/pemilu-2099.yaml:15:65"]
    assert "source 'pkpu-1-2098' was not read in its own text" in found[0]
    assert "must quote the instrument's text" in found[1]
    assert "must name the secondary sources" in found[2]


def test_a_date_left_out_must_be_listed_with_why(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    determination: {date: 2098-11-13, source: pkpu-1-2098, provenance: verified_secondary, via: news}\n", "")
    found = problems(tmp_path, text)
    assert found == ["calendars/pemilu-2099.yaml:12:5: determination of presidential "
                     "is left out without saying why: list it under missing"]
    listed = text + "missing:\n  - {contest: presidential, item: determination, why: not found in any source}\n"
    calendar, found2 = load_calendar(write(tmp_path / "ok", listed))
    assert found2 == [] and calendar is not None
    assert calendar.stage_on("presidential", dt.date(2099, 1, 1)) is None


def test_a_date_listed_as_missing_but_given(tmp_path: Path) -> None:
    text = GOOD + "missing:\n  - {contest: all, item: voting, why: not found}\n"
    found = problems(tmp_path, text)
    assert found == ["calendars/pemilu-2099.yaml:17:26: voting of all is listed under missing but the calendar gives it"]


def test_file_name_must_be_the_election_id(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD, name="pemilu-99.yaml")
    assert found == ["calendars/pemilu-99.yaml:1:5: the file name must be the election id: pemilu-2099.yaml"]


def test_yaml_errors_are_positioned(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("kind: pemilu", "kind: [pemilu"))
    assert found and found[0].startswith("calendars/pemilu-2099.yaml:")


def test_validate_cli_reports_every_problem_positioned(tmp_path: Path) -> None:
    text = GOOD.replace("source: pkpu-1-2098, provenance: verified_secondary, via: news}\n    campaign",
                        "source: pkpu-9-2098, provenance: verified_secondary, via: news}\n    campaign")
    write(tmp_path / "calendars", text)
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "validate", str(tmp_path / "calendars")],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 1
    assert r.stdout.startswith(f"{(tmp_path / 'calendars' / 'pemilu-2099.yaml').as_posix()}:12:47: unknown source ")
    assert "1 error(s)" in r.stderr
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "validate", "--lang", "id",
                        str(tmp_path / "calendars")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.stdout.startswith(f"{(tmp_path / 'calendars' / 'pemilu-2099.yaml').as_posix()}:12:47: sumber ")
    assert "1 kesalahan" in r.stderr


def test_schema_command_prints_the_calendar_schema() -> None:
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "schema", "calendar"], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert schema == calendar_json_schema()
    assert schema["title"] == "netral-rules election calendar"
    assert {"id", "kind", "sources", "cycle", "contests", "missing"} <= set(schema["properties"])
    assert "from" in schema["$defs"]["PeriodEntry"]["properties"]


# --- questions asked of a calendar ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Calendars:
    calendars, _ = load_calendars([ROOT / "rules"])
    return calendars


def test_covering_elections_of_a_date(bundled: Calendars) -> None:
    ids = lambda found: [c.id for c in found]  # noqa: E731
    assert ids(bundled.covering(dt.date(2024, 3, 1))) == ["pemilu-2024", "pilkada-2024"]
    assert ids(bundled.covering(dt.date(2024, 3, 1), election_type="pilpres")) == ["pemilu-2024"]
    assert ids(bundled.covering(dt.date(2024, 3, 1), election_type="pilkada", office="governor")) == ["pilkada-2024"]
    assert ids(bundled.covering(dt.date(2024, 12, 1))) == ["pilkada-2024"]
    assert ids(bundled.covering(dt.date(2021, 6, 1))) == []
    assert ids(bundled.covering(dt.date(2017, 6, 20))) == ["pilkada-2018"]


def test_a_missing_cycle_bound_falls_back_to_the_calendars_own_dates(bundled: Calendars) -> None:
    pilkada_2017 = bundled.get("pilkada-2017")
    pilkada_2018 = bundled.get("pilkada-2018")
    assert pilkada_2017 is not None and pilkada_2018 is not None
    # no cycle.from found for 2017: the first known date is the determination day
    assert pilkada_2017.span[0] == dt.date(2016, 10, 24)
    # no cycle.until found for 2018: the last known date is voting day
    assert pilkada_2018.span[1] == dt.date(2018, 6, 27)


def test_stage_and_campaign_at_the_boundaries(bundled: Calendars) -> None:
    c = bundled.get("pilkada-2024")
    assert c is not None
    assert c.stage_on("governor", dt.date(2024, 9, 21)) == "bakal_calon"
    assert c.stage_on("governor", dt.date(2024, 9, 22)) == "calon"
    assert c.campaign_on("regent_mayor", dt.date(2024, 9, 24)) == (False, "campaign")
    assert c.campaign_on("regent_mayor", dt.date(2024, 9, 25)) == (True, "campaign")
    assert c.campaign_on("regent_mayor", dt.date(2024, 11, 23)) == (True, "campaign")
    assert c.campaign_on("regent_mayor", dt.date(2024, 11, 24)) == (False, "campaign")
    # the DKI second round of 2024 was not held: its scheduled campaign never counts
    assert c.campaign_on("governor", dt.date(2025, 2, 5)) == (False, "campaign")


def test_a_held_regional_runoff_leaves_the_campaign_unknown(bundled: Calendars) -> None:
    c = bundled.get("pilkada-2017")
    assert c is not None
    assert c.campaign_on("governor", dt.date(2017, 3, 10)) == (None, "regional_runoff")
    assert c.campaign_on("regent_mayor", dt.date(2017, 3, 10)) == (False, "campaign")


def test_a_campaign_without_its_start(bundled: Calendars) -> None:
    c = bundled.get("pemilu-2014")
    assert c is not None
    assert c.campaign_on("dpd", dt.date(2014, 1, 10)) == (None, "partial_campaign")
    assert c.campaign_on("dpd", dt.date(2014, 4, 6)) == (False, "campaign")
    assert c.stage_on("dprd", dt.date(2014, 1, 10)) is None  # no DCT DPRD date was found


def test_calendar_dirs_beside_a_pack_and_by_name(tmp_path: Path) -> None:
    assert calendar_dirs([ROOT / "rules"]) == [BUNDLED]
    assert calendar_dirs([BUNDLED]) == [BUNDLED]
    assert calendar_dirs([ROOT / "rules" / "skb_2022"]) == [BUNDLED]
    assert calendar_dirs([ROOT / "rules", BUNDLED]) == [BUNDLED]
    assert calendar_dirs([tmp_path]) == []


def test_texts_name_every_contest_item_stage_and_status() -> None:
    texts = calendar_texts()
    for contest in ("presidential", "dpr", "dpd", "dprd", "governor", "regent_mayor"):
        assert texts.contest_name(contest).id  # through the fact labels of the election type and office
    for status in ("verified_primary", "verified_secondary", "unverified"):
        assert texts.provenance(status).en
    assert texts.stage("bakal_calon").id == "bakal calon"
    assert {"determination", "campaign", "quiet", "voting", "runoff", "cycle.from", "cycle.until"} <= set(texts.items)


def test_a_problem_in_indonesian_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAL_RULES_LANG", "id")
    text = GOOD.replace("campaign: {from: 2098-11-28, until: 2099-02-10", "campaign: {from: 2099-02-10, until: 2098-11-28")
    assert problems(tmp_path, text) == [
        "calendars/pemilu-2099.yaml:13:41: tanggal tidak berurutan: campaign.until (2098-11-28) harus sama dengan "
        "atau sesudah campaign.from (2099-02-10)"]
