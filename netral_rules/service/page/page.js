// The inspectors' page: build a report by answering the interview (POST /v1/questions), show the decision.
//
// No framework and no build step. Every text from the service is put into the page as text (textContent,
// document.createTextNode through el()); nothing here parses HTML. The page's own words come from
// /page/words.json (page/words.yaml), the fact model's from /v1/labels; the service puts field paths and code
// values of each step in words (step.words), so the page shows none.
"use strict";

(function () {
  const LANG_KEY = "netral-rules.lang";
  const TOKEN_KEY = "netral-rules.token";

  const state = {
    lang: localStorage.getItem(LANG_KEY) === "en" ? "en" : "id",
    words: null, // the page's words: key -> {id, en}
    labels: null, // GET /v1/labels
    report: {}, // the report as it stands
    skip: [], // fields answered "don't know"
    step: null, // the last step the service answered
    history: [], // earlier {report, skip, step}, for "back"
    error: null, // {text: {id, en}} of the last refused answer, or a page word key
    busy: false,
    token: sessionStorage.getItem(TOKEN_KEY) || "",
    needToken: false,
    retry: null, // what to do once a token is given
  };

  // --- building the page ------------------------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    add(node, children);
    return node;
  }

  function add(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  const w = (key) => (state.words && state.words[key] ? state.words[key][state.lang] : key);
  const t = (text) => (text ? text[state.lang] : "");
  function term(kind, value) {
    const found = state.labels && state.labels.vocabulary[kind] && state.labels.vocabulary[kind][value];
    return found ? found[state.lang] : value === null || value === undefined ? "-" : String(value);
  }
  function yesNo(value) {
    const answers = state.labels.answers;
    return t(value === true ? answers.yes : value === false ? answers.no : answers.unknown);
  }
  const fieldWord = (step, path) => (step.words.fields[path] ? t(step.words.fields[path]) : w("report"));

  function rangeText(low, high) {
    if (!low || !high) return "";
    const a = t(low.text), b = t(high.text);
    return a === b ? a : `${a} ${w("to")} ${b}`;
  }

  function section(id, title, ...children) {
    return el("section", { id, class: "block" }, el("h3", {}, title), children);
  }

  // --- talking to the service ---------------------------------------------------------------------------

  async function call(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (state.token) headers.Authorization = "Bearer " + state.token;
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    return { status: response.status, data };
  }

  // a call that may need a token: on 401 the token form is shown and the call is made again once one is given
  async function authorised(method, path, body) {
    const answer = await call(method, path, body);
    if (answer.status === 401) {
      state.needToken = true;
      state.error = state.token ? { word: "token_wrong" } : null; // a token was sent and refused
      return null;
    }
    state.needToken = false;
    return answer;
  }

  async function ask(report, skip, answer) {
    state.busy = true;
    render();
    const body = { report, skip };
    if (answer !== undefined) body.answer = answer;
    let result = null;
    try {
      result = await authorised("POST", "/v1/questions", body);
    } catch (e) {
      state.error = { word: "failed" };
    }
    state.busy = false;
    if (result === null) {
      state.retry = () => ask(report, skip, answer);
      render();
      return;
    }
    if (result.status === 200) {
      if (state.step) state.history.push({ report: state.report, skip: state.skip, step: state.step });
      state.report = result.data.fact;
      state.skip = skip;
      state.step = result.data;
      state.error = null;
    } else {
      // refused (422): the report stays as it was, and the service's words say why
      state.error = result.data && result.data.text ? { text: result.data.text } : { word: "failed" };
    }
    render();
  }

  function answerWith(question, value) {
    ask(state.report, state.skip, { field: question.field, value });
  }

  function dontKnow(question) {
    ask(state.report, [...state.skip, question.field]);
  }

  function back() {
    const last = state.history.pop();
    if (!last) return;
    Object.assign(state, { report: last.report, skip: last.skip, step: last.step, error: null });
    render();
  }

  function restart() {
    Object.assign(state, { report: {}, skip: [], step: null, history: [], error: null });
    ask({}, []);
  }

  function load(file) {
    const reader = new FileReader();
    reader.onload = () => {
      let report = null;
      try {
        report = JSON.parse(String(reader.result));
      } catch (e) {
        report = null;
      }
      if (report === null || typeof report !== "object" || Array.isArray(report)) {
        state.error = { word: "load_not_json" };
        render();
        return;
      }
      ask(report, []);
    };
    reader.readAsText(file);
  }

  function download() {
    const text = JSON.stringify(state.step.fact, null, 2) + "\n";
    const link = el("a", {
      href: URL.createObjectURL(new Blob([text], { type: "application/json" })),
      download: `laporan-${state.step.fact.occurred_on || "netral"}.json`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function setLang(lang) {
    state.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
    render();
  }

  // --- the interview ----------------------------------------------------------------------------------

  function rangeBox(step) {
    const known = step.lightest && step.heaviest;
    return el("div", { id: "range", class: "range", role: "status" },
      el("span", { class: "range-title" }, w("range"), ": "),
      known
        ? el("span", { class: "range-value" },
          el("span", { class: "low" }, w("range_lightest"), " ", el("strong", {}, t(step.lightest.text))),
          el("span", { class: "sep" }, " — "),
          el("span", { class: "high" }, w("range_heaviest"), " ", el("strong", {}, t(step.heaviest.text))))
        : el("span", { class: "range-value pending" }, w("range_pending")));
  }

  const TYPED = { date: ["date", "type_date"], number: ["number", "type_number"], text: ["text", "type_text"] };
  const READINGS = { every: "readings_every", some: "readings_some", none: "readings_none" };

  function typedAnswer(question) {
    const [type, word] = TYPED[question.kind] || TYPED.text;
    const input = el("input", { id: "typed", type, step: type === "number" ? "any" : null });
    const submit = () => {
      if (input.value === "") {
        state.error = { word: "empty_answer" };
        render();
        return;
      }
      answerWith(question, type === "number" ? Number(input.value) : input.value);
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") submit();
    });
    const form = el("div", { class: "typed" },
      el("label", { for: "typed" }, w(word)),
      input, el("button", { type: "button", id: "next", onclick: submit }, w("next")));
    const ranges = question.answers.length
      ? el("div", { class: "ranges" }, el("p", {}, w("ranges_that_decide"), ":"),
        el("ul", {}, question.answers.map((a) => el("li", {}, t(a.label), " → ", rangeText(a.lightest, a.heaviest)))))
      : null;
    return [form, ranges];
  }

  function questionBox(step) {
    const q = step.questions[0];
    const choices = q.kind === "choice"
      ? el("ol", { class: "answers" }, q.answers.map((a, i) => el("li", {},
        el("button", { type: "button", class: "answer", "data-number": i + 1, onclick: () => answerWith(q, a.value) },
          el("span", { class: "number" }, String(i + 1)),
          el("span", { class: "label" }, t(a.label)),
          a.lightest ? el("span", { class: "after" }, w("after_answer"), ": ", rangeText(a.lightest, a.heaviest)) : null))))
      : typedAnswer(q);
    return el("section", { id: "question", class: "block question", "data-field": q.field, "data-kind": q.kind },
      el("h2", {}, t(q.text)),
      q.required ? el("p", { class: "note required" }, w("required")) : el("p", { class: "note" }, w("answer_hint")),
      choices,
      q.required ? null : el("button", { type: "button", id: "dont-know", class: "dont-know", onclick: () => dontKnow(q) },
        el("span", { class: "number" }, "0"), el("span", { class: "label" }, w("dont_know"))),
      step.questions.length > 1
        ? el("details", { class: "more" }, el("summary", {}, w("more_questions"), ` (${step.questions.length - 1})`),
          el("ul", {}, step.questions.slice(1).map((other) => el("li", {}, t(other.text)))))
        : null);
  }

  function answersList(step) {
    const lines = step.words.report.map((line) => el("li", { "data-field": line.field },
      el("span", { class: "field" }, t(line.label)), ": ", el("span", { class: "value" }, t(line.value))));
    const skipped = state.skip.map((path) => el("li", { class: "skipped", "data-field": path },
      el("span", { class: "field" }, fieldWord(step, path)), ": ", el("span", { class: "value" }, w("unknown_answer"))));
    return el("ul", { class: "report" }, lines.length || skipped.length ? [lines, skipped] : el("li", {}, w("no_answers")));
  }

  function interviewView(step) {
    return [
      rangeBox(step),
      questionBox(step),
      section("answers", w("answers_so_far"), answersList(step),
        el("div", { class: "actions" },
          state.history.length ? el("button", { type: "button", id: "back", onclick: back }, w("back")) : null,
          el("button", { type: "button", id: "restart", onclick: restart }, w("restart")),
          loadButton())),
    ];
  }

  function loadButton() {
    const input = el("input", { type: "file", id: "load-file", accept: ".json,application/json", class: "hidden" });
    input.addEventListener("change", () => input.files.length && load(input.files[0]));
    return el("label", { class: "button", for: "load-file" }, w("load"), input);
  }

  // --- the decision -------------------------------------------------------------------------------------

  function article(a) {
    return el("details", { class: "article" },
      el("summary", {}, el("span", { class: "cite" }, a.cite), " ",
        el("span", { class: "verification " + a.provenance.status }, "[", term("verification_status", a.provenance.status), "]")),
      a.context.map((c) => el("p", { class: "context" }, w("within"), " ", c.cite, ":", el("q", {}, c.text))),
      el("blockquote", { class: "verbatim", lang: "id" }, a.text),
      state.lang === "en" ? el("p", { class: "gloss" }, w("gloss"), ": ", a.gloss) : null);
  }

  function sanctionMenu(menu) {
    const worded = menu.options.filter((o) => o.text);
    return el("div", { class: "menu" },
      el("h5", {}, w("sanctions"), " — ", menu.cite, menu.replaces ? ` (${w("replaces")} ${menu.replaces})` : "",
        menu.level ? `, ${w("level").toLowerCase()} ${term("level", menu.level)}` : ""),
      el("ol", {}, menu.options.map((o) => el("li", {}, sanction(o)))),
      worded.length
        ? el("details", { class: "article option-text" }, el("summary", {}, w("sanction_text"), " (", menu.cite, ")"),
          el("blockquote", { class: "verbatim", lang: "id" }, worded.map((o) => el("div", {}, o.text))))
        : null);
  }

  function sanction(o) {
    return [el("span", { class: "option" }, t(o.label)), " ", el("span", { class: "cite" }, `(${o.cite})`)];
  }

  function finding(f, i, step) {
    return el("article", { class: "finding", "data-rule": f.rule_id },
      el("h4", {}, `${w("finding")} ${i + 1}: `, t(f.title)),
      el("dl", {},
        el("dt", {}, w("category")), el("dd", { class: "category" }, term("category", f.category)),
        el("dt", {}, w("level")), el("dd", { class: "level" }, term("level", f.level)),
        f.verification !== "verified_primary"
          ? [el("dt", {}, w("verification")), el("dd", { class: "verification warn" }, term("verification_status", f.verification))]
          : null),
      el("h5", {}, w("matched")),
      el("ul", { class: "matched" }, (step.words.matched[i] || []).map((m) => el("li", {}, t(m)))),
      el("h5", {}, w("explanation")), el("p", { class: "explanation" }, t(f.explanation)),
      f.notes.length ? [el("h5", {}, w("notes")), el("ul", {}, f.notes.map((n) => el("li", {}, t(n))))] : null,
      el("h5", {}, w("basis")), el("div", { class: "basis" }, f.basis.map(article)),
      f.sanctions.map(sanctionMenu));
  }

  function aggregateBlock(d) {
    const agg = d.aggregate;
    if (!agg.outcomes.length) return null;
    return section("aggregate", w("aggregate"),
      agg.outcomes.map((o) => el("div", { class: "outcome" },
        el("p", {}, el("strong", {}, term("category", o.category), `, ${w("level").toLowerCase()} `, term("level", o.level))),
        el("p", { class: "explanation" }, t(o.explanation)),
        o.sanctions.length ? el("ol", {}, o.sanctions.map((s) => el("li", {}, sanction(s)))) : null)),
      agg.repeat ? el("p", { class: "repeat" }, w("repeat")) : null,
      agg.prior ? el("p", {}, w("prior"), ": ", agg.prior.imposed_on, ", ", term("level", agg.prior.level)) : null,
      agg.basis.length ? el("div", { class: "basis" }, agg.basis.map(article)) : null);
  }

  function readingsBlock(d, step) {
    const r = d.readings;
    if (!r) return null;
    return section("readings", w("readings"),
      el("p", { class: "range-line" }, w("range_lightest"), ": ", el("strong", {}, t(r.lightest.text)), " — ",
        w("range_heaviest"), ": ", el("strong", {}, t(r.heaviest.text))),
      el("p", {}, w(READINGS[r.violation]), ` (${r.readings} ${w("readings_count")})`),
      r.rules.length
        ? [el("h4", {}, w("reading_rules")), el("ul", { class: "reading-rules" }, r.rules.map((rule) => el("li", {},
          el("strong", {}, t(rule.title)), ` — ${term("category", rule.category)}, ${w("level").toLowerCase()} ${term("level", rule.level)}; `,
          w("when"), ": ", t(rule.text),
          setAsideBy(rule, d))))]
        : null,
      r.irrelevant.length
        ? el("p", { class: "irrelevant" }, w("irrelevant"), ": ", r.irrelevant.map((p) => fieldWord(step, p)).join("; "))
        : null);
  }

  // the more specific rules that may set this one aside, by their titles (those the decision names)
  function setAsideBy(rule, d) {
    const titles = new Map([...d.readings.rules, ...d.findings].map((r) => [r.rule_id, r.title]));
    const named = rule.set_aside_by.filter((id) => titles.has(id)).map((id) => t(titles.get(id)));
    return named.length ? `; ${w("set_aside_by")}: ${named.join("; ")}` : "";
  }

  function openQuestions(d) {
    const qs = d.readings ? d.readings.questions : [];
    if (!qs.length) return null;
    return section("open-questions", w("open_questions"), el("p", { class: "note" }, w("open_questions_text")),
      el("ul", {}, qs.map((q) => el("li", {}, el("strong", {}, t(q.text)),
        el("ul", {}, q.answers.map((a) => el("li", {}, t(a.label), " → ", rangeText(a.lightest, a.heaviest))))))));
  }

  function undeterminedBlock(d, step) {
    if (!d.undetermined.length) return null;
    return section("undetermined", w("undetermined"), el("ul", {}, d.undetermined.map((u) => el("li", {},
      el("strong", {}, t(u.title)), ` — ${w("missing")}: `, u.missing.map((p) => fieldWord(step, p)).join("; ")))));
  }

  function setAsideBlock(d) {
    if (!d.set_aside.length) return null;
    return section("set-aside", w("set_aside"), el("p", { class: "note" }, w("set_aside_text")),
      d.set_aside.map((a) => el("article", { class: "aside", "data-rule": a.rule_id },
        el("h4", {}, t(a.title)), el("p", {}, w("by"), " ", el("strong", {}, t(a.by_title)), ": ", t(a.reason)),
        el("div", { class: "basis" }, a.basis.map(article)))));
  }

  function assumptionsBlock(d) {
    if (!d.assumptions.length) return null;
    return section("assumptions", w("assumptions"), el("ul", {}, d.assumptions.map((a) => el("li", {},
      t(a.description), el("br"), el("em", {}, w("value_used"), ": ", yesNo(a.value)), ". ", t(a.effect)))));
  }

  function notesBlock(d) {
    const own = new Set(d.findings.flatMap((f) => f.notes.map((n) => n.id)));
    const notes = d.notes.filter((n) => !own.has(n.id));
    return notes.length ? section("notes", w("notes"), el("ul", {}, notes.map((n) => el("li", {}, t(n))))) : null;
  }

  function auditLine(d) {
    const a = d.audit;
    const packs = a.packs.map((p) => `${p.id} ${p.version} (${p.sha256.slice(0, 12)})`).join(", ");
    return el("p", { id: "audit", class: "audit" },
      `${w("audit")}: netral-rules ${a.engine_version}, backend ${a.backend}; ${packs}; ${w("input")} ${a.input_sha256.slice(0, 16)}`);
  }

  function decisionView(step) {
    const d = step.decision;
    const decidedWord = step.lightest && step.heaviest && t(step.lightest.text) !== t(step.heaviest.text) ? "nothing_left" : "decided";
    return el("section", { id: "decision", class: "decision", "data-status": d.status },
      el("p", { class: "print-only printed" }, `${w("printed")} ${new Date().toISOString().slice(0, 10)} ${w("printed_from")}`),
      el("h2", {}, w("decision_title")),
      el("p", { class: "headline", id: "headline" }, t(step.words.headline)),
      el("p", { class: "decided" }, w(decidedWord)),
      el("p", { class: "applied" }, `${w("applied_on")}: `, d.applied_on, " ", w(d.audit.as_of_given ? "applied_as_of" : "applied_occurred")),
      d.not_covered ? el("p", { class: "not-covered" }, t(d.not_covered)) : null,
      el("div", { class: "actions" },
        el("button", { type: "button", id: "print", onclick: () => window.print() }, w("print")),
        el("button", { type: "button", id: "download", onclick: download }, w("download")),
        state.history.length ? el("button", { type: "button", id: "back", onclick: back }, w("change")) : null,
        el("button", { type: "button", id: "restart", onclick: restart }, w("restart"))),
      section("report", w("report"), answersList(step)),
      section("findings", w("findings"),
        d.findings.length ? d.findings.map((f, i) => finding(f, i, step))
          : el("p", { class: "no-findings" }, w(d.readings ? "no_findings_readings" : "no_findings"))),
      aggregateBlock(d),
      readingsBlock(d, step),
      openQuestions(d),
      undeterminedBlock(d, step),
      setAsideBlock(d),
      assumptionsBlock(d),
      notesBlock(d),
      auditLine(d));
  }

  // --- the whole page ---------------------------------------------------------------------------------

  function tokenForm() {
    const input = el("input", { type: "password", id: "token", autocomplete: "off", "aria-label": w("token_title") });
    const submit = () => {
      state.token = input.value.trim();
      sessionStorage.setItem(TOKEN_KEY, state.token);
      const retry = state.retry;
      state.retry = null;
      if (retry) retry();
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") submit();
    });
    return el("section", { id: "token-form", class: "block" }, el("h2", {}, w("token_title")), el("p", {}, w("token_text")),
      input, el("button", { type: "button", id: "token-submit", onclick: submit }, w("token_button")));
  }

  function render() {
    document.documentElement.lang = state.lang;
    document.title = w("title");
    const header = document.getElementById("top");
    header.replaceChildren(
      el("div", {}, el("h1", {}, w("title")), el("p", { class: "subtitle" }, w("subtitle"))),
      el("button", {
        type: "button", id: "lang", class: "lang", title: w("switch_lang_hint"), lang: state.lang === "id" ? "en" : "id",
        onclick: () => setLang(state.lang === "id" ? "en" : "id"),
      }, w("switch_lang")));
    const parts = [];
    if (state.error) {
      parts.push(el("p", { id: "error", class: "error", role: "alert" }, state.error.text ? t(state.error.text) : w(state.error.word)));
    }
    // waiting: for the service's answer, or, at the start, for the first question (a key pressed before it is lost)
    const waiting = state.busy || !(state.step || state.error || state.needToken);
    if (waiting) parts.push(el("p", { id: "busy", class: "busy" }, w("busy")));
    if (state.needToken) parts.push(tokenForm());
    else if (state.step) {
      const step = state.step;
      const done = step.decision && (step.decided || !step.questions.length);
      parts.push(...(done ? [decisionView(step)] : interviewView(step)));
    }
    document.getElementById("app").replaceChildren(...parts);
    document.body.dataset.ready = waiting ? "no" : "yes";
  }

  // numbered answers by the keyboard: 1-9 choose an answer, 0 is "don't know"
  document.addEventListener("keydown", (e) => {
    if (state.busy || e.target.tagName === "INPUT" || e.ctrlKey || e.metaKey || e.altKey) return;
    const box = document.getElementById("question");
    if (!box) return;
    const target = e.key === "0" ? box.querySelector("#dont-know") : box.querySelector(`button.answer[data-number="${e.key}"]`);
    if (target) target.click();
  });

  // a printed decision shows every article's text (browsers without ::details-content print closed details closed)
  let closed = [];
  window.addEventListener("beforeprint", () => {
    closed = [...document.querySelectorAll("details:not([open])")];
    closed.forEach((d) => (d.open = true));
  });
  window.addEventListener("afterprint", () => {
    closed.forEach((d) => (d.open = false));
    closed = [];
  });

  async function start() {
    try {
      const words = await call("GET", "/page/words.json");
      state.words = words.data;
      render();
      await loadLabels();
    } catch (e) {
      state.error = { word: "failed" };
      render();
    }
  }

  async function loadLabels() {
    const labels = await authorised("GET", "/v1/labels");
    if (labels === null) {
      state.retry = loadLabels;
      render();
      return;
    }
    state.labels = labels.data;
    await ask({}, []);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
