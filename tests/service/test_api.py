"""The service through its ASGI app: every endpoint, the error contract, and byte-identity with the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from benchmarks.facts import fact_pool
from netral_rules import Decision, Engine
from netral_rules.decide.decision import decision_json_schema
from netral_rules.fact.model import fact_json_schema
from netral_rules.law.calendars import calendar_json_schema
from netral_rules.law.schema import pack_json_schema
from netral_rules.service import ServiceConfig, create_app
from netral_rules.service.openapi import text as openapi_text

from .conftest import ROOT

EXAMPLES = ROOT / "examples" / "facts.jsonl"
ATTENDANCE = {"occurred_on": "2024-01-10", "actor": {"status": "pns", "name": "Andi"},
              "act": {"kind": "campaign_attendance", "role": "participant", "mobilised_civil_servants": True},
              "description": "hadir di kampanye"}


def cli_check(path: Path, *args: str) -> bytes:
    done = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", *args, str(path)],
                          capture_output=True, cwd=ROOT, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def batch_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, 200 facts of the benchmark pool, and lines that are not valid facts, with blank lines."""
    pool = fact_pool(Engine.default(), 200)
    path = tmp_path_factory.mktemp("batch") / "batch.jsonl"
    lines = EXAMPLES.read_bytes().splitlines() + [json.dumps(f).encode() for f in pool]
    lines[3:3] = [b"", b"not json", b'{"occurred_on": "2024-13-01", "actor": {"status": "asn"}, "act": {}}',
                  b"\xff\xfe", b"   ", b"[1, 2]"]
    path.write_bytes(b"\n".join(lines) + b"\n" + b'{"occurred_on": "2024-01-10"}')  # the last without newline
    return path


# --- deciding ----------------------------------------------------------------------------------------


def test_a_decision_is_byte_for_byte_the_clis(client: TestClient, batch_file: Path) -> None:
    expected = cli_check(batch_file).splitlines()
    lines = batch_file.read_bytes().split(b"\n")
    checked = 0
    for out in expected:
        record = json.loads(out)
        if "decision" not in record:
            continue
        response = client.post("/v1/decide", content=lines[record["line"] - 1])
        assert response.status_code == 200
        # {"line":n,"decision":<these bytes>}
        assert out == b'{"line":%d,"decision":%b}' % (record["line"], response.content)
        checked += 1
    assert checked > 150


def test_a_batch_is_byte_for_byte_check_json(client: TestClient, batch_file: Path) -> None:
    response = client.post("/v1/decide/batch", content=batch_file.read_bytes(),
                           headers={"content-type": "application/x-ndjson"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.content == cli_check(batch_file)
    records = [json.loads(line) for line in response.content.splitlines()]
    assert sum("error" in r for r in records) == 5  # every bad line answered in its place
    assert len(records) == sum(1 for line in batch_file.read_bytes().split(b"\n") if line.strip())


def test_a_batch_sent_in_small_pieces_is_answered_the_same(client: TestClient, batch_file: Path) -> None:
    data = batch_file.read_bytes()

    def pieces() -> Any:
        for i in range(0, len(data), 997):  # cuts inside lines and inside UTF-8 sequences
            yield data[i : i + 997]

    response = client.post("/v1/decide/batch", content=pieces())
    assert response.content == cli_check(batch_file)


def test_as_of_applies_the_law_of_that_date(client: TestClient, tmp_path: Path) -> None:
    fact = dict(ATTENDANCE, occurred_on="2019-06-01")
    (tmp_path / "f.json").write_text(json.dumps(fact))
    response = client.post("/v1/decide", params={"as_of": "2024-01-10"}, json=fact)
    decision = Decision.model_validate_json(response.content)
    assert decision.applied_on.isoformat() == "2024-01-10" and decision.audit.as_of_given
    assert b'"decision":' + response.content in cli_check(tmp_path / "f.json", "--as-of", "2024-01-10")


def test_an_invalid_fact_gets_every_problem_with_its_json_path(client: TestClient) -> None:
    response = client.post("/v1/decide", json={"occurred_on": "2024-13-01", "actor": {"status": "asn"},
                                               "act": {"kind": "social_media", "action": "like", "extra": 1}})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_fact"
    assert {p["where"] for p in body["problems"]} == {"$.occurred_on", "$.actor.status", "$.act.extra"}
    assert body["text"]["id"].startswith("Laporan tidak sesuai") and body["text"]["en"].startswith("The report")
    assert list(body["text"]) == ["id", "en"]


@pytest.mark.parametrize("data", [b"", b"not json", b"\xff\xfe\x00", b"[1, 2]", b"1" * 5000, b"[" * 100000,
                                  b'{"occurred_on": "2024-01-10", "actor": {"status": "pns"}}'])
def test_bad_input_is_a_422_in_the_error_contract(client: TestClient, data: bytes) -> None:
    response = client.post("/v1/decide", content=data)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_fact" and body["problems"] and body["problems"][0]["where"].startswith("$")


def test_a_bad_parameter_is_a_422_in_the_error_contract(client: TestClient) -> None:
    response = client.post("/v1/decide", params={"as_of": "tomorrow"}, json=ATTENDANCE)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request" and body["problems"][0]["where"] == "as_of"
    assert "Parameter" in body["text"]["id"]


# --- limits ----------------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413(make_client: Any) -> None:
    small = make_client(max_body=2000, max_batch_body=5000)
    big = json.dumps(dict(ATTENDANCE, description="x" * 3000)).encode()
    response = small.post("/v1/decide", content=big)
    assert response.status_code == 413 and response.json()["error"] == "body_too_large"
    assert "2000" in response.json()["text"]["id"]

    def chunked() -> Any:  # no Content-Length: the limit holds on the bytes received
        yield big[:1500]
        yield big[1500:]

    response = small.post("/v1/decide", content=chunked())
    assert response.status_code == 413
    response = small.post("/v1/decide/batch", content=b"\n".join([json.dumps(ATTENDANCE).encode()] * 60))
    assert response.status_code == 413
    assert small.post("/v1/decide", json=ATTENDANCE).status_code == 200  # the service goes on


def test_a_batch_over_the_limit_without_length_ends_with_an_error_line(make_client: Any) -> None:
    small = make_client(max_batch_body=5000)
    line = json.dumps(ATTENDANCE).encode() + b"\n"

    def chunked() -> Any:
        for _ in range(60):
            yield line

    # the test client hands the app the body in one part, so the cut comes at line 1 here; the real server
    # test (test_server.py) sees the lines before the cut answered
    response = small.post("/v1/decide/batch", content=chunked())
    records = [json.loads(x) for x in response.content.splitlines()]
    assert all("decision" in r for r in records[:-1])
    assert records[-1]["error"]["error"] == "body_too_large"
    assert [r["line"] for r in records] == list(range(1, len(records) + 1))


# --- the law -------------------------------------------------------------------------------------------


def test_article_text_for_a_citation(client: TestClient) -> None:
    response = client.get("/v1/articles", params={"cite": "pp 94/2021 pasal 5 huruf n angka 1"})
    assert response.status_code == 200
    article = response.json()
    assert article["cite"] == "PP 94/2021 Pasal 5 huruf n angka 1" and article["text"] == "ikut kampanye;"
    assert article["context"] and article["pack"] == "pp_94_2021"
    missing = client.get("/v1/articles", params={"cite": "PP 94/2021 Pasal 99"})
    assert missing.status_code == 404 and missing.json()["error"] == "article_not_found"
    assert "PP 94/2021 Pasal 99" in missing.json()["text"]["id"]
    bad = client.get("/v1/articles", params={"cite": "Pasal lima"})
    assert bad.status_code == 422 and bad.json()["error"] == "citation_error"


def test_rules_listed_one_and_filtered(client: TestClient) -> None:
    engine = Engine.default()
    everything = client.get("/v1/rules").json()
    assert everything["count"] == len(engine.rules) == len(everything["rules"])
    assert [r["id"] for r in everything["rules"]] == [r.id for r in engine.rules]
    one = client.get("/v1/rules/pp94.dukungan.atribut").json()
    assert one["pack"] == "pp_94_2021" and one["category"] == "disiplin" and one["when"]
    assert one in everything["rules"]
    assert client.get("/v1/rules/no.such.rule").status_code == 404

    by_article = client.get("/v1/rules", params={"article": "PP 94/2021 Pasal 5 huruf n"}).json()["rules"]
    assert by_article and all(any(c.startswith("PP 94/2021 Pasal 5 huruf n") for c in r["basis"] + r["sanctions"])
                              for r in by_article)
    outside = [r for r in everything["rules"] if r not in by_article]
    assert all(not any(c.startswith("PP 94/2021 Pasal 5 huruf n") for c in r["basis"]) for r in outside)

    absence = client.get("/v1/rules", params={"act_kind": "absence"}).json()["rules"]
    assert absence and all(r["act_kinds"] is None or "absence" in r["act_kinds"] for r in absence)
    assert len(absence) < len(everything["rules"])

    pack = client.get("/v1/rules", params={"pack": "skb_2022", "act_kind": "social_media"}).json()["rules"]
    assert pack and {r["pack"] for r in pack} == {"skb_2022"}
    assert client.get("/v1/rules", params={"act_kind": "dancing"}).status_code == 422
    assert client.get("/v1/rules", params={"article": "nonsense"}).status_code == 422


def test_packs_with_versions_and_hashes_as_in_the_audit(client: TestClient) -> None:
    listed = client.get("/v1/packs").json()
    decision = Decision.model_validate_json(client.post("/v1/decide", json=ATTENDANCE).content)
    assert [(p["id"], p["version"], p["sha256"]) for p in listed["packs"]] == [
        (p.id, p.version, p.sha256) for p in decision.audit.packs]
    assert listed["generation"] == 1 and len(listed["revision"]) == 64
    one = client.get("/v1/packs/pp_94_2021").json()
    assert one == next(p for p in listed["packs"] if p["id"] == "pp_94_2021") and one["rules"] > 0
    assert client.get("/v1/packs/nope").status_code == 404


def test_schemas_are_the_clis(client: TestClient) -> None:
    assert client.get("/v1/schemas/fact").json() == fact_json_schema()
    assert client.get("/v1/schemas/decision").json() == decision_json_schema()
    assert client.get("/v1/schemas/pack").json() == pack_json_schema()
    assert client.get("/v1/schemas/pack", params={"file": "rules"}).json() == pack_json_schema("rules")
    assert client.get("/v1/schemas/calendar").json() == calendar_json_schema()
    assert client.get("/v1/schemas/ballot").status_code == 422


def test_calendars_listed_covering_a_day_and_one_whole(client: TestClient) -> None:
    listed = client.get("/v1/calendars").json()
    engine = Engine.default()
    assert [c["id"] for c in listed["calendars"]] == list(engine.calendars.ids) and listed["count"] == 8
    pemilu = next(c for c in listed["calendars"] if c["id"] == "pemilu-2024")
    assert pemilu["kind"] == "pemilu" and pemilu["contests"] == ["presidential", "dpr", "dpd", "dprd"]
    assert len(pemilu["sha256"]) == 64 and pemilu["covers_from"] <= "2024-01-20" <= pemilu["covers_until"]
    # the answers to "which election?": the cycles covering the day, and of those the ones holding the contest
    def ids(**params: str) -> list[str]:
        return [c["id"] for c in client.get("/v1/calendars", params=params).json()["calendars"]]

    assert ids(on="2024-08-10") == ["pemilu-2024", "pilkada-2024"]
    assert ids(on="2024-08-10", type="pilkada") == ["pilkada-2024"]
    assert ids(on="2024-01-25", type="pilkada") == []  # the 2024 regional cycle begins on 2024-01-26
    assert ids(on="2024-01-26", type="pilkada") == ["pilkada-2024"]
    decision = client.post("/v1/decide", json={"occurred_on": "2024-08-10", "actor": {"status": "pns"},
                                               "act": {"kind": "social_media", "action": "like"}}).json()
    [question] = [q for q in decision["readings"]["questions"] if q["field"] == "context.election.id"]
    assert [a["value"] for a in question["answers"]] == ids(on="2024-08-10")
    whole = client.get("/v1/calendars/pilkada-2024").json()
    assert whole["id"] == "pilkada-2024" and whole["contests"]["governor"]["determination"]["date"] == "2024-09-22"
    assert whole["cycle"]["from"]["source"] in whole["sources"]
    missing = client.get("/v1/calendars/pilkada-2042")
    assert missing.status_code == 404 and missing.json()["error"] == "calendar_not_found"
    assert "pilkada-2042" in missing.json()["text"]["id"]
    bad = client.get("/v1/calendars", params={"on": "10 Agustus 2024"})
    assert bad.status_code == 422 and bad.json()["problems"][0]["where"] == "on"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/v1/health").json() == {"status": "ok"}
    ready = client.get("/v1/ready").json()
    assert ready["status"] == "ready" and ready["rules"] == len(Engine.default().rules) and ready["generation"] == 1


def test_unknown_address_and_method_in_the_error_contract(client: TestClient) -> None:
    response = client.get("/v2/decide")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert response.json()["text"]["id"]
    response = client.get("/v1/decide")
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"


def test_openapi_document_is_served_and_shipped_up_to_date(client: TestClient) -> None:
    served = client.get("/v1/openapi.json").json()
    shipped = ROOT / "docs" / "openapi.json"
    assert shipped.read_text(encoding="utf-8") == openapi_text(create_app(ServiceConfig())), (
        "docs/openapi.json is out of date: python -m netral_rules.service.openapi docs/openapi.json")
    assert served == json.loads(shipped.read_text(encoding="utf-8"))
    paths = set(served["paths"])
    assert {"/v1/decide", "/v1/decide/batch", "/v1/articles", "/v1/rules", "/v1/rules/{rule_id}", "/v1/packs",
            "/v1/packs/{pack_id}", "/v1/calendars", "/v1/calendars/{election_id}", "/v1/schemas/{kind}",
            "/v1/health", "/v1/ready", "/v1/admin/reload"} <= paths
    assert {"Fact", "Decision", "ErrorBody"} <= set(served["components"]["schemas"])


# --- compact decisions -------------------------------------------------------------------------------


def test_compact_decisions_expand_to_the_full_ones(client: TestClient, batch_file: Path) -> None:
    from netral_rules.output.compact import expand_json

    got = client.get("/v1/catalogue")
    assert got.status_code == 200
    catalogue = got.json()
    cid = catalogue["catalogue"]["id"]
    assert got.headers["etag"] == f'"{cid}"'
    assert client.get("/v1/catalogue", headers={"If-None-Match": f'"{cid}"'}).status_code == 304
    one = client.post("/v1/decide", params={"detail": "compact"}, json=ATTENDANCE)
    assert one.status_code == 200 and one.headers["x-netral-catalogue"] == cid
    assert expand_json(one.content, catalogue) == client.post("/v1/decide", json=ATTENDANCE).content
    full = client.post("/v1/decide/batch", content=batch_file.read_bytes()).content.splitlines()
    compact = client.post("/v1/decide/batch", params={"detail": "compact"}, content=batch_file.read_bytes())
    assert compact.headers["x-netral-catalogue"] == cid
    lines = compact.content.splitlines()
    assert len(lines) == len(full)
    for mine, theirs in zip(lines, full, strict=True):
        record = json.loads(mine)
        if "decision" in record:
            mine = b'{"line":%d,"decision":%b}' % (record["line"], expand_json(json.dumps(record["decision"]),
                                                                               catalogue))
        assert mine == theirs
    # what check --detail compact writes after its catalogue line
    assert compact.content == cli_check(batch_file, "--detail", "compact").split(b"\n", 1)[1]
    assert client.post("/v1/decide", params={"detail": "short"}, json=ATTENDANCE).status_code == 422


def test_the_revision_names_the_calendars_too(tmp_path: Path) -> None:
    """A calendar derives the stage of the person supported: changing one of its dates changes the revision,
    the name of the set of law and dates a decision used (X-Netral-Revision, the decision log)."""
    import shutil

    from netral_rules.law.packs import bundled_rules_dir
    from netral_rules.service.engines import revision

    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    with Engine.from_paths([root]) as engine:
        before = revision(engine)
    calendar = root / "calendars" / "pilkada-2024.yaml"
    text = calendar.read_text(encoding="utf-8")
    assert "date: 2024-09-22" in text
    calendar.write_text(text.replace("date: 2024-09-22", "date: 2024-09-23", 1), encoding="utf-8")
    with Engine.from_paths([root]) as engine:
        assert revision(engine) != before
    with Engine.from_paths([bundled_rules_dir()]) as engine:
        assert revision(engine) == before  # the same packs and calendars: the same revision
