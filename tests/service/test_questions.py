"""``POST /v1/questions``, ``GET /v1/labels`` and the page's files, through the ASGI app and against a real
``netral-rules serve`` process: the interview of ``netral-rules interview`` over HTTP, step for step the library's
``Engine.questions``, answers that are refused leaving the report as it was, and the error contract."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from netral_rules import Engine
from netral_rules.decide.questions import _get, put
from netral_rules.fact.labels import LABELS_FILE, labels
from netral_rules.service.page import PAGE_DIR, WORDS_FILE

from .conftest import READER, Server

# dated before UU 20/2023 (2023-10-31): towards a prospective candidate the 2022 joint decree's ethics class applies
LISTENER = {"occurred_on": "2023-06-20", "actor": {"status": "pns"},
            "act": {"kind": "campaign_attendance", "role": "listener"}}
LIKE = {"occurred_on": "2023-03-01", "actor": {"status": "pns"},
        "act": {"kind": "social_media", "action": "like", "supports_candidate": True}}
DOTTED = re.compile(r"\b(actor|act|context)\.[a-z_]+")  # a field path such as act.role


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def walk(post: Callable[[dict[str, Any]], Any], target: dict[str, Any]) -> list[dict[str, Any]]:
    """Answer the interview from nothing as ``target`` says, "don't know" where it says nothing; every step."""
    report: dict[str, Any] = {}
    skip: list[str] = []
    answer: dict[str, Any] | None = None
    steps = []
    for _ in range(40):
        body: dict[str, Any] = {"report": report, "skip": skip}
        if answer is not None:
            body["answer"] = answer
        response = post(body)
        assert response.status_code == 200, response.text
        step = response.json()
        steps.append(step)
        report = step["fact"]
        if step["decided"] or not step["questions"]:
            return steps
        field = step["questions"][0]["field"]
        value = _get(target, field)
        if value is None:
            skip, answer = [*skip, field], None
        else:
            answer = {"field": field, "value": value}
    raise AssertionError("the interview did not end")


def test_the_listener_from_nothing_asks_the_basics_then_narrows_to_a_decision(client: TestClient,
                                                                              engine: Engine) -> None:
    steps = walk(lambda body: client.post("/v1/questions", json=body), LISTENER)
    asked = [s["questions"][0]["field"] for s in steps if s["questions"] and not s["decided"]]
    # the basics first, in the interview's order, then the readings' most decisive question
    # (the calendars covering 2023-06-20 hold the 2024 general election only: its calendar decides the stage)
    assert asked[:5] == ["actor.status", "occurred_on", "act.kind", "act.role", "context.election.id"]
    assert all(not s["complete"] and s["lightest"] is None for s in steps[:4])
    assert steps[0]["questions"][0]["required"] and steps[0]["questions"][0]["kind"] == "choice"
    assert steps[1]["questions"][0]["kind"] == "date"
    first_range = steps[4]
    assert first_range["complete"] and first_range["lightest"]["level"] == "moral"
    assert first_range["heaviest"]["level"] == "berat"
    election = first_range["questions"][0]
    assert [a["value"] for a in election["answers"]] == ["pemilu-2024"]
    stage = next(q for q in first_range["questions"] if q["field"] == "context.election.candidate_stage")
    assert [a["value"] for a in stage["answers"]] == ["bakal_calon", "calon"]
    for towards_prospect in (election["answers"][0], stage["answers"][0]):  # the range after that answer
        assert towards_prospect["lightest"]["category"] == "kode_etik"
        # still open: whether the listener is registered in the prospect's campaign team (SKB huruf B angka 9,
        # a disciplinary item whose level the guideline alone gives, so unassigned)
        assert (towards_prospect["heaviest"]["category"], towards_prospect["heaviest"]["level"]) == (
            "disiplin", "unassigned")
    last = steps[-1]
    assert last["decided"] and last["fact"] == LISTENER
    assert last["decision"]["status"] == "violation" and last["decision"]["findings"] == []
    # the same as the library's own step for the same report and "don't know" fields
    skipped = asked[4:]
    expected = engine.questions(LISTENER, skipped).model_dump(mode="json")
    assert {k: v for k, v in last.items() if k != "words"} == expected
    words = last["words"]
    assert words["headline"]["id"] == ("Pelanggaran: pelanggaran kode etik, tingkat sanksi moral s.d. "
                                       "pelanggaran disiplin, tingkat berat")
    assert words["headline"]["en"].startswith("Violation: code-of-ethics violation")
    assert [line["field"] for line in words["report"]] == ["actor.status", "occurred_on", "act.kind", "act.role"]
    assert words["report"][3]["value"] == {"id": "pendengar", "en": "listener"}
    assert set(skipped) <= set(words["fields"])
    for text in _texts(words):
        assert not DOTTED.search(text), text  # no field path is shown to a person


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [t for k, v in node.items() if k != "field" for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return [node] if isinstance(node, str) else []


def test_a_like_of_unknown_stage_is_a_violation_either_way(client: TestClient) -> None:
    steps = walk(lambda body: client.post("/v1/questions", json=body), LIKE)
    asked = [s["questions"][0]["field"] for s in steps if s["questions"] and not s["decided"]]
    # the stage, then the election (the calendars of Pemilu 2024 and Pilkada 2024 both cover the day)
    assert asked == ["actor.status", "occurred_on", "act.kind", "act.action", "act.supports_candidate",
                     "context.election.candidate_stage", "context.election.id"]
    assert steps[4]["lightest"]["violation"] is False  # before "supports a candidate": maybe nothing
    assert steps[5]["lightest"]["level"] == "moral"  # the range narrowed
    last = steps[-1]
    assert last["decided"] and last["fact"] == LIKE
    d = last["decision"]
    assert d["status"] == "violation" and d["findings"] == [] and d["aggregate"]["level"] is None
    assert [q["field"] for q in d["readings"]["questions"]] == ["context.election.candidate_stage",
                                                                "context.election.id"]


def test_a_finding_has_its_conditions_in_words(client: TestClient) -> None:
    report = put(LISTENER, "context.election.candidate_stage", "calon")
    step = client.post("/v1/questions", json={"report": report}).json()
    findings = step["decision"]["findings"]
    assert [f["rule_id"] for f in findings] == ["pp94.dukungan.ikut-kampanye-pendengar"]
    assert step["words"]["matched"] == [[
        {"id": "jenis tindakan: menghadiri kampanye", "en": "kind of act: attending a campaign"},
        {"id": "peran: pendengar", "en": "role: listener"},  # the listener's own rule (the setting's reading)
        {"id": "status orang yang didukung: calon yang sudah ditetapkan",
         "en": "status of the person supported: determined candidate (calon)"},
    ]]


def test_a_refused_answer_leaves_the_report_as_it_was(client: TestClient) -> None:
    before = {"actor": {"status": "pns"}}
    for field, value in (("occurred_on", "2024-13-01"), ("occurred_on", "20 Januari"), ("actor.status", "asn"),
                         ("act.kind", "tweet"), ("act.supports_candidate", "ya")):
        response = client.post("/v1/questions", json={"report": before, "answer": {"field": field, "value": value}})
        assert response.status_code == 422, (field, value)
        body = response.json()
        assert body["error"] == "invalid_fact" and body["problems"][0]["where"] == f"$.{field}"
        label = labels().field(field, "id")
        assert body["text"]["id"] == f"Jawaban itu tidak dapat dipakai (isian: {label}); laporan tetap seperti " \
                                     "sebelum jawaban itu."
        assert labels().field(field, "en") in body["text"]["en"]
    # the report the page keeps still gets its question
    again = client.post("/v1/questions", json={"report": before}).json()
    assert again["questions"][0]["field"] == "occurred_on"


def test_an_answer_the_model_refuses_once_complete_is_named_in_words(client: TestClient) -> None:
    report = {"occurred_on": "2024-01-20", "actor": {"status": "pns"}, "act": {"kind": "campaign_attendance"}}
    response = client.post("/v1/questions", json={"report": report, "answer": {"field": "act.role",
                                                                                "value": "winning_team"}})
    assert response.status_code == 422  # a role of campaign teams, not of attending a campaign
    assert "peran" in response.json()["text"]["id"]
    bad = {"occurred_on": "2024-01-20", "actor": {"status": "pns", "shoe_size": 42},
           "act": {"kind": "campaign_attendance", "role": "listener"}}
    body = client.post("/v1/questions", json={"report": bad}).json()
    assert body["error"] == "invalid_fact" and body["text"]["id"].startswith("Laporan ini tidak dapat dipakai")
    assert "pegawai" in body["text"]["id"]  # the part of the report, in words


@pytest.mark.parametrize(("body", "where"), [
    ({"report": {}, "answer": {"field": "actor.shoe_size", "value": 1}}, "answer.field"),
    ({"report": {"actor": "x"}, "answer": {"field": "actor.status", "value": "pns"}}, "answer.field"),
    ({"report": {}, "answer": {"field": "Act.Kind", "value": "x"}}, "answer.field"),
    ({"report": [], "skip": []}, "report"),
    ({"report": {}, "skip": "act.role"}, "skip"),
    ({"report": {}, "extra": 1}, "extra"),
    ({"report": json.loads("{\"a\":" * 40 + "1" + "}" * 40)}, "report"),
])
def test_a_bad_request_is_a_422_in_the_error_contract(client: TestClient, body: dict[str, Any], where: str) -> None:
    response = client.post("/v1/questions", json=body)
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "invalid_request" and error["problems"][0]["where"] == where
    assert set(error["text"]) == {"id", "en"}


def test_not_json_is_a_422(client: TestClient) -> None:
    response = client.post("/v1/questions", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"


def test_labels_are_the_labels_file(client: TestClient) -> None:
    served = client.get("/v1/labels").json()
    written = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    assert served["fields"]["act.role"]["values"]["listener"] == written["fields"]["act.role"]["values"]["listener"]
    assert served["vocabulary"] == written["vocabulary"] and served["answers"] == written["answers"]
    assert set(served["fields"]) == set(written["fields"])


# --- the page's files --------------------------------------------------------------------------------


def test_the_page_is_served_at_the_root_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe" not in policy
    assert '<script src="/page/page.js"' in page.text
    for name, kind in (("page.js", "text/javascript"), ("page.css", "text/css")):
        served = client.get(f"/page/{name}")
        assert served.status_code == 200 and served.headers["content-type"].startswith(kind)
        assert served.content == (PAGE_DIR / name).read_bytes()
    missing = client.get("/page/../app.py")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert client.get("/page/index.html.bak").status_code == 404


def test_the_page_loads_nothing_from_elsewhere_and_parses_no_html() -> None:
    for path in PAGE_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        # no address of another host (http://..., //host.tld/...), no imported style sheet or font
        assert not re.search(r"https?:|//[a-z0-9-]+\.[a-z]|@import|url\(|@font-face", text), path.name
    script = (PAGE_DIR / "page.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "DOMParser", "createContextualFragment"):
        assert sink not in script, sink


def test_every_word_the_page_uses_is_in_both_languages_and_every_word_is_used(client: TestClient) -> None:
    served = client.get("/page/words.json").json()
    written = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    assert served == written
    assert all(set(v) == {"id", "en"} and v["id"].strip() and v["en"].strip() for v in served.values())
    script = (PAGE_DIR / "page.js").read_text(encoding="utf-8")
    used = set(re.findall(r'\bw\("([a-z_]+)"\)', script)) | set(re.findall(r'word: "([a-z_]+)"', script))
    assert used - set(served) == set(), "words the page uses that words.yaml lacks"
    quoted = set(re.findall(r'"([a-z_]+)"', script))
    assert set(served) - quoted == set(), "words in words.yaml the page never uses"


# --- a real server -----------------------------------------------------------------------------------


def test_a_real_server_answers_the_interview_and_serves_the_page(serve: Callable[..., Server]) -> None:
    server = serve()
    with server.client() as c:
        steps = walk(lambda body: c.post("/v1/questions", json=body), LIKE)
        assert steps[-1]["decided"] and steps[-1]["decision"]["status"] == "violation"
        assert c.get("/").text.startswith("<!doctype html>")
        assert c.get("/v1/labels").status_code == 200


def test_with_tokens_the_page_is_open_and_the_questions_need_one(serve: Callable[..., Server],
                                                                 tmp_path: Any) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(READER + "\n")
    server = serve("--token-file", str(tokens))
    with server.client() as c:
        assert c.get("/").status_code == 200 and c.get("/page/page.js").status_code == 200
        assert c.get("/page/words.json").status_code == 200
        refused = c.post("/v1/questions", json={})
        assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
        assert c.get("/v1/labels").status_code == 401
        ok = c.post("/v1/questions", json={}, headers={"Authorization": f"Bearer {READER}"})
        assert ok.status_code == 200 and ok.json()["questions"][0]["field"] == "actor.status"
