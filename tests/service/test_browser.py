"""The inspectors' page in a real browser: headless Chromium from the distribution's packages (/usr/bin/chromium,
never a downloaded build), driven by Playwright, against a real ``netral-rules serve`` process on 127.0.0.1.

Each walk starts from nothing and answers the page's questions as a person would (clicking the numbered answers,
typing a date, pressing a number key, "tidak tahu"); at every step what the page shows is compared with the
library's own step for the same report (``Engine.questions``): the question, its numbered answers with the range
after each, the range so far, the answers so far. The decision page is compared with the decision: headline,
findings with category, level, conditions, sanction options and the cited articles' verbatim text (expanded),
the range, the open questions, the undetermined rules, the assumptions, the audit line; then the print view and
the download of the report. Screenshots go to a temporary folder, or to NETRAL_RULES_SCREENSHOTS when it is set
(``NETRAL_RULES_SCREENSHOTS=docs/images pytest tests/service/test_browser.py`` renews the ones in the docs).

Without Chromium the tests are skipped with the reason (CI installs it: .ci/run; there a missing browser fails).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netral_rules import Engine
from netral_rules.decide.questions import Step, _get, put
from netral_rules.fact.labels import labels
from netral_rules.service.page import page_words
from netral_rules.service.stepwords import headline

from .conftest import READER, Server, start_server, stop_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# dated before UU 20/2023 (2023-10-31): towards a prospective candidate the 2022 joint decree's ethics class applies
LISTENER = {"occurred_on": "2023-06-20", "actor": {"status": "pns"},
            "act": {"kind": "campaign_attendance", "role": "listener"}}
LIKE = {"occurred_on": "2023-03-01", "actor": {"status": "pns"},
        "act": {"kind": "social_media", "action": "like", "supports_candidate": True}}
# the listener at a determined candidate's campaign, with the details answered: a finding with sanctions
FINDING = {"occurred_on": "2024-01-20", "actor": {"status": "pns"},
           # (whether the listener is in the campaign team is not asked: SKB huruf B angka 10 would give the same
           # unassigned disciplinary outcome)
           "act": {"kind": "campaign_attendance", "role": "listener", "mobilised_civil_servants": False,
                   "state_facilities": False, "civil_service_attributes": False, "party_attributes": False,
                   "active_support": False},
           "context": {"election": {"candidate_stage": "calon"}}}


def _no_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium chromium-driver; .ci/run does)"
    return None


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    reason = _no_browser()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(f"browser tests not run: {reason}")
    from playwright.sync_api import sync_playwright  # the test extra installs it

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    server = start_server([])
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with Engine.default() as engine:
        yield engine


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("NETRAL_RULES_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Browser:
    """One Chromium with a fresh profile, on the page of ``url``; every request it makes is recorded."""

    def __init__(self, playwright: Any, profile: Path, url: str, *, hold: str | None = None) -> None:
        self.context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1100, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.refused: list[str] = []  # answers the service refused (4xx): the page says why, the browser logs it
        self.page.on("console", self._console)
        # hold: a path whose requests wait in self.held until the test lets them go (a slow service, on demand)
        self.held: list[Any] = []
        if hold is not None:
            self.page.route(f"**{hold}", lambda route: self.held.append(route))
        self.page.goto(url)
        if hold is None:
            self.ready()

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        refused = "the server responded with a status of 4" in message.text
        (self.refused if refused else self.problems).append(message.text)

    def ready(self) -> None:
        # the page sets data-ready="yes" when it has drawn the service's answer
        self.page.wait_for_selector("body[data-ready=yes]")

    def text(self, selector: str) -> str:
        return str(self.page.inner_text(selector)).strip()

    def texts(self, selector: str) -> list[str]:
        return [str(t).strip() for t in self.page.locator(selector).all_inner_texts()]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def browser(playwright: Any, server: Server, tmp_path: Path) -> Iterator[Browser]:
    b = Browser(playwright, tmp_path / "profile", server.url + "/")
    yield b
    b.close()
    assert b.problems == [], b.problems  # no script error, nothing refused by the page's policy
    assert all(u.startswith((server.url, "blob:", "data:")) for u in b.requests), b.requests


def W(key: str, lang: str) -> str:  # a page word, in one language
    return getattr(page_words()[key], lang)  # type: ignore[no-any-return]


def _range(step: Step, lang: str) -> str:
    assert step.lightest is not None and step.heaviest is not None
    return (f"{W('range', lang)}: {W('range_lightest', lang)} {getattr(step.lightest.text, lang)} — "
            f"{W('range_heaviest', lang)} {getattr(step.heaviest.text, lang)}")


def _range_text(answer: Any, lang: str) -> str:
    low, high = getattr(answer.lightest.text, lang), getattr(answer.heaviest.text, lang)
    return low if low == high else f"{low} {W('to', lang)} {high}"


def _after(answer: Any, lang: str) -> str:
    return f"{W('after_answer', lang)}: {_range_text(answer, lang)}"


def set_language(b: Browser, lang: str) -> None:
    if b.page.get_attribute("html", "lang") != lang:
        b.page.click("#lang")
        b.ready()
    assert b.page.get_attribute("html", "lang") == lang
    assert b.text("h1") == W("title", lang)


def walk(b: Browser, engine: Engine, target: dict[str, Any], lang: str, *, shot: Path | None = None,
         shot_field: str | None = None) -> tuple[Step, list[str]]:
    """Answer the page's questions as ``target`` says ("tidak tahu" where it says nothing) until the decision;
    at each step compare the page with the library's step. Returns the last step and the fields skipped."""
    lab = labels()
    report: dict[str, Any] = {}
    skip: list[str] = []
    use_keys = True
    for _ in range(40):
        b.ready()
        step = engine.questions(report, skip)
        if step.decision is not None and (step.decided or not step.questions):
            assert b.page.locator("#decision").count() == 1
            return step, skip
        q = step.questions[0]
        # the question the library asks next, in words, with its numbered answers and their ranges
        assert b.page.get_attribute("#question", "data-field") == q.field
        assert b.text("#question h2") == getattr(q.text, lang) == lab.question(q.field, lang)
        assert b.text("#question .note") == W("required" if q.required else "answer_hint", lang)
        if step.lightest is None:
            assert b.text("#range") == f"{W('range', lang)}: {W('range_pending', lang)}"
        else:
            assert b.text("#range") == _range(step, lang)
        if q.kind == "choice":
            assert b.texts("#question button.answer .number") == [str(i) for i in range(1, len(q.answers) + 1)]
            assert b.texts("#question button.answer .label") == [getattr(a.label, lang) for a in q.answers]
            if step.complete:
                assert b.texts("#question button.answer .after") == [_after(a, lang) for a in q.answers]
        assert b.page.locator("#dont-know").count() == (0 if q.required else 1)
        # the answers so far, in words
        shown = b.texts("ul.report li")
        given = [f"{lab.field(p, lang)}: {lab.value(p, v, lang)}" for p, v in _leaves(report)]
        assert shown[:len(given)] == given
        assert shown[len(given):] == [f"{lab.field(p, lang)}: {W('unknown_answer', lang)}" for p in skip] or \
            (not given and not skip and shown == [W("no_answers", lang)])
        if shot is not None and q.field == shot_field:
            b.page.screenshot(path=str(shot))
        value = _get(target, q.field)
        if value is None:
            b.page.click("#dont-know")
            skip = [*skip, q.field]
            continue
        if q.kind == "choice":
            k = next(i for i, a in enumerate(q.answers, 1) if a.value == value)
            if use_keys:  # the number key chooses the numbered answer, the first time; a click otherwise
                b.page.keyboard.press(str(k))
            else:
                b.page.click(f"#question button.answer[data-number='{k}']")
            use_keys = not use_keys
        else:
            b.page.fill("#typed", str(value))
            b.page.click("#next")
        report = put(report, q.field, value)
    raise AssertionError("the page's interview did not end")


def _leaves(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{prefix}.{k}" if prefix else k)
    elif node is not None:
        yield prefix, node


def check_decision(b: Browser, step: Step, skip: list[str], lang: str) -> None:
    """The decision page says what the decision says."""
    d = step.decision
    assert d is not None
    lab = labels()
    assert b.page.get_attribute("#decision", "data-status") == d.status
    assert b.text("#headline") == getattr(headline(d), lang)
    narrowed = step.lightest is not None and step.heaviest is not None and step.lightest != step.heaviest
    assert b.text("#decision .decided") == W("nothing_left" if narrowed else "decided", lang)
    findings = b.page.locator("#findings article.finding")
    assert findings.count() == len(d.findings)
    if not d.findings:
        assert b.text("#findings .no-findings") == W("no_findings_readings" if d.readings else "no_findings", lang)
    for i, f in enumerate(d.findings):
        card = findings.nth(i)
        assert card.locator("h4").inner_text().strip() == f"{W('finding', lang)} {i + 1}: {getattr(f.title, lang)}"
        assert card.locator("dd.category").inner_text() == lab.term("category", f.category, lang)
        assert card.locator("dd.level").inner_text() == lab.term("level", f.level, lang)
        assert card.locator("p.explanation").inner_text() == getattr(f.explanation, lang)
        assert card.locator("ul.matched li").count() == len(f.matched) > 0
        # the cited articles, closed until opened, with their verbatim text
        articles = card.locator(".basis details.article")
        assert [c.strip() for c in articles.locator(".cite").all_inner_texts()] == [a.cite for a in f.basis]
        first = articles.first
        assert not first.locator("blockquote").is_visible()
        first.locator("summary").click()
        assert first.locator("blockquote").inner_text() == f.basis[0].text
        # the sanction options of every menu, in words, each with its citation
        menus = card.locator(".menu")
        assert menus.count() == len(f.sanctions)
        for m, menu in enumerate(f.sanctions):
            assert menus.nth(m).locator("li .option").all_inner_texts() == [getattr(o.label, lang) for o in menu.options]
    readings = d.readings
    if readings is not None:
        assert getattr(readings.lightest.text, lang) in b.text("#readings .range-line")
        assert getattr(readings.heaviest.text, lang) in b.text("#readings .range-line")
        asked = [getattr(q.text, lang) for q in readings.questions]
        assert b.texts("#open-questions > ul > li > strong") == asked
        assert {q.field for q in readings.questions} <= set(skip)
    else:
        assert b.page.locator("#readings").count() == 0
    assert b.page.locator("#undetermined > ul > li").count() == len(d.undetermined)
    assert b.page.locator("#set-aside article").count() == len(d.set_aside)
    assert b.page.locator("#assumptions li").count() == len(d.assumptions)
    audit = b.text("#audit")
    assert audit.startswith(f"{W('audit', lang)}: netral-rules {d.audit.engine_version}, backend {d.audit.backend}")
    assert d.audit.input_sha256[:16] in audit
    assert all(f"{p.id} {p.version} ({p.sha256[:12]})" in audit for p in d.audit.packs)


def download(b: Browser, tmp_path: Path) -> Any:
    with b.page.expect_download() as info:
        b.page.click("#download")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    return json.loads(saved.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_listener_from_nothing_to_a_decision(browser: Browser, engine: Engine, lang: str, shots: Path,
                                                 tmp_path: Path) -> None:
    set_language(browser, lang)
    step, skip = walk(browser, engine, LISTENER, lang, shot=shots / f"pertanyaan-{lang}.png",
                      shot_field="context.election.candidate_stage")
    # the election first (the calendars covering 2023-06-20: the 2024 general election, whose calendar decides the
    # stage), then the stage, then every detail some rule still reads: active support (SKB huruf B angka 4), a
    # registered campaign team (B9/B10), a spouse without unpaid leave (A7), the attributes, facilities and
    # mobilising, the campaign period and the election type
    assert skip[:2] == ["context.election.id", "context.election.candidate_stage"] and len(skip) == 12
    check_decision(browser, step, skip, lang)
    assert step.decision is not None and step.decision.status == "violation" and not step.decision.findings
    if lang == "id":
        browser.page.screenshot(path=str(shots / "keputusan-pendengar.png"), full_page=True)
    # the completed report, downloaded, is the listener's report: check decides it the same way
    saved = download(browser, tmp_path)
    assert saved == LISTENER
    assert engine.evaluate(saved) == step.decision
    # the other language, on the same decision
    other = "en" if lang == "id" else "id"
    set_language(browser, other)
    assert browser.text("#headline") == getattr(headline(step.decision), other)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_like_of_unknown_stage_to_a_decision(browser: Browser, engine: Engine, lang: str, shots: Path,
                                               tmp_path: Path) -> None:
    set_language(browser, lang)
    step, skip = walk(browser, engine, LIKE, lang)
    assert skip == ["context.election.candidate_stage", "context.election.id"]
    check_decision(browser, step, skip, lang)
    d = step.decision
    assert d is not None and d.status == "violation" and d.readings is not None
    assert (d.readings.lightest.category, d.readings.heaviest.category) == ("kode_etik", "disiplin")
    # what the open questions would decide: a prospective candidate (ethics) or a determined one (discipline);
    # the general election (its candidates determined) or the regional one (before its determination)
    assert [q.field for q in d.readings.questions] == skip
    assert browser.texts("#open-questions > ul > li > ul > li") == [
        f"{getattr(a.label, lang)} → {_range_text(a, lang)}" for q in d.readings.questions for a in q.answers]
    if lang == "id":
        browser.page.screenshot(path=str(shots / "keputusan-rentang.png"))
    assert download(browser, tmp_path) == LIKE


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_finding_with_sanctions_and_articles_and_its_print_view(browser: Browser, engine: Engine, lang: str,
                                                                  shots: Path, tmp_path: Path) -> None:
    set_language(browser, lang)
    step, skip = walk(browser, engine, FINDING, lang)
    assert skip == []
    check_decision(browser, step, skip, lang)
    d = step.decision
    # the listener's own rule (the default reading of pp94_listener_breaches_5n1)
    assert d is not None and [f.rule_id for f in d.findings] == ["pp94.dukungan.ikut-kampanye-pendengar"]
    assert browser.page.locator("#aggregate .outcome").count() == len(d.aggregate.outcomes) == 1
    assert d.assumptions and browser.text("#assumptions li").startswith(getattr(d.assumptions[0].description, lang))
    browser.page.locator("h1").scroll_into_view_if_needed()  # the shot from the top (opening an article scrolled)
    browser.page.screenshot(path=str(shots / f"keputusan-{lang}.png" if lang == "id" else shots / "decision-en.png"),
                            full_page=lang == "id")
    # the print view: no buttons or questions, every article's text shown, the date it was printed
    browser.page.emulate_media(media="print")
    try:
        assert not browser.page.is_visible("#decision .actions")
        assert not browser.page.is_visible("#lang")
        assert browser.page.is_visible("#decision .printed")
        texts = browser.page.locator("blockquote.verbatim")
        assert texts.count() > 0 and all(texts.nth(i).is_visible() for i in range(texts.count()))
        if lang == "id":
            browser.page.screenshot(path=str(shots / "cetak.png"), full_page=True)
        pdf = browser.page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        browser.page.emulate_media(media="screen")
    saved = download(browser, tmp_path)
    assert saved == FINDING


def test_the_page_is_not_ready_before_its_first_question(playwright: Any, server: Server, tmp_path: Path) -> None:
    # the page must not say "ready" while its first question is still coming: a key pressed then is lost
    # (CI once pressed "1" for PNS into a page that had drawn its words but not yet its question)
    b = Browser(playwright, tmp_path / "profile", server.url + "/", hold="/v1/labels")
    try:
        while not b.held:  # the words are drawn, the labels asked for
            b.page.wait_for_timeout(20)
        assert b.page.get_attribute("body", "data-ready") == "no"
        assert b.text("#busy") == W("busy", "id")
        b.page.keyboard.press("1")  # ignored while busy, not kept for a question not yet shown
        b.held.pop().continue_()
        b.ready()
        assert b.page.get_attribute("#question", "data-field") == "actor.status"
        assert b.texts("ul.report li") == [W("no_answers", "id")]
    finally:
        b.close()
    assert b.problems == [], b.problems


def test_back_and_a_new_report(browser: Browser, engine: Engine) -> None:
    browser.page.keyboard.press("1")  # PNS
    browser.ready()
    assert browser.page.get_attribute("#question", "data-field") == "occurred_on"
    browser.page.click("#back")
    browser.ready()
    assert browser.page.get_attribute("#question", "data-field") == "actor.status"
    assert browser.texts("ul.report li") == [W("no_answers", "id")]
    browser.page.keyboard.press("1")
    browser.ready()
    browser.page.click("#next")  # nothing typed: said, nothing sent
    assert browser.text("#error") == W("empty_answer", "id")
    browser.page.click("#restart")
    browser.ready()
    assert browser.page.get_attribute("#question", "data-field") == "actor.status"


def test_a_loaded_report_is_shown_as_text_and_a_bad_one_refused(browser: Browser, tmp_path: Path) -> None:
    hostile = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
    report = {**LIKE, "actor": {"status": "pns", "name": hostile}, "description": hostile}
    path = tmp_path / "laporan.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    browser.page.set_input_files("#load-file", str(path))
    browser.page.wait_for_selector("#question[data-field='context.election.candidate_stage']")
    browser.ready()
    lines = browser.texts("ul.report li")
    assert f"{labels().field('actor.name', 'id')}: {hostile}" in lines  # the text itself, not markup
    assert f"{labels().field('description', 'id')}: {hostile}" in lines
    assert browser.page.locator("main img, main script").count() == 0
    assert browser.page.title() == W("title", "id")
    # a file that is not a report, then a report the fact model refuses: said, and the report stays
    path.write_text("[1, 2]", encoding="utf-8")
    browser.page.set_input_files("#load-file", str(path))
    browser.page.wait_for_selector("#error")
    assert browser.text("#error") == W("load_not_json", "id")
    path.write_text(json.dumps({**LIKE, "actor": {"status": "asn"}}), encoding="utf-8")
    browser.page.set_input_files("#load-file", str(path))
    browser.ready()
    browser.page.wait_for_selector("#error")
    assert browser.text("#error") == "Laporan ini tidak dapat dipakai apa adanya (isian: status kepegawaian)."
    assert browser.page.get_attribute("#question", "data-field") == "context.election.candidate_stage"
    assert len(browser.refused) == 1 and "status of 422" in browser.refused[0]


def test_a_service_with_tokens_asks_for_one(playwright: Any, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(READER + "\n")
    server = start_server(["--token-file", str(tokens)])
    b = Browser(playwright, tmp_path / "profile", server.url + "/")
    try:
        b.page.wait_for_selector("#token-form")
        assert b.text("#token-form h2") == W("token_title", "id")
        b.page.fill("#token", "not-the-token-0123456789")
        b.page.click("#token-submit")
        b.ready()
        b.page.wait_for_selector("#error")
        assert b.text("#error") == W("token_wrong", "id")
        b.page.fill("#token", READER)
        b.page.click("#token-submit")
        b.page.wait_for_selector("#question")
        b.ready()
        assert b.page.get_attribute("#question", "data-field") == "actor.status"
        b.page.keyboard.press("1")
        b.ready()
        assert b.page.get_attribute("#question", "data-field") == "occurred_on"
    finally:
        b.close()
        stop_server(server)
    assert b.problems == [] and b.refused and all("status of 401" in r for r in b.refused)
