"""``netral-rules interview``: build a report by answering one question at a time, in the terminal.

Starting from a partial report (or from nothing), the interview asks the next question of
:func:`netral_rules.decide.questions.next_step` with numbered answers and a "tidak tahu / don't know" choice,
shows the range of outcomes after each answer, stops when the outcome is decided or nothing is left to ask,
then prints the explanation and the completed report as JSON (written to a file with ``--save``), so that
``netral-rules check`` reproduces the decision.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..decide.decision import Bound, Question
from ..decide.engine import Engine
from ..decide.questions import answer_value, next_step, put
from ..errors import FactError
from ..output.report import explain_text

_TEXT = {
    "id": {
        "start": "Wawancara laporan. Ketik nomor jawaban lalu Enter; 0 = tidak tahu.",
        "range": "Hasil sejauh ini",
        "to": "s.d.",
        "unknown": "tidak tahu",
        "type_number": "Ketik angkanya",
        "type_date": "Ketik tanggalnya (tulis YYYY-MM-DD)",
        "ranges": "Yang menentukan",
        "required": "Pertanyaan ini wajib dijawab: laporan tidak dapat diputus tanpanya.",
        "invalid": "Jawaban tidak dikenali; coba lagi.",
        "rejected": "Jawaban itu tidak dapat dipakai",
        "decided": "Hasil sudah pasti.",
        "nothing": "Tidak ada lagi pertanyaan yang dapat mengubah hasil.",
        "fact": "Laporan lengkap (JSON):",
        "saved": "Disimpan ke",
        "end": "Masukan berakhir sebelum wawancara selesai.",
    },
    "en": {
        "start": "Report interview. Type the number of an answer and press Enter; 0 = don't know.",
        "range": "Outcome so far",
        "to": "to",
        "unknown": "don't know",
        "type_number": "Type the number",
        "type_date": "Type the date (write YYYY-MM-DD)",
        "ranges": "What decides",
        "required": "This question must be answered: the report cannot be decided without it.",
        "invalid": "Answer not recognised; try again.",
        "rejected": "That answer cannot be used",
        "decided": "The outcome is decided.",
        "nothing": "No question left can change the outcome.",
        "fact": "Completed report (JSON):",
        "saved": "Saved to",
        "end": "The input ended before the interview was finished.",
    },
}


def _range(lightest: Bound | None, heaviest: Bound | None, lang: str) -> str:
    if lightest is None or heaviest is None:
        return ""
    low, high = getattr(lightest.text, lang), getattr(heaviest.text, lang)
    return low if low == high else f"{low} {_TEXT[lang]['to']} {high}"


def _ask(q: Question, lang: str, read: Callable[[str], str], say: Callable[[str], None]) -> tuple[bool, Any]:
    """(answered, value); (False, None) for "don't know" on a question that may be skipped."""
    t = _TEXT[lang]
    say("")
    say(getattr(q.text, lang))
    if q.kind == "choice":
        for k, a in enumerate(q.answers, 1):
            extra = _range(a.lightest, a.heaviest, lang)
            say(f"  {k}. {getattr(a.label, lang)}" + (f"  ->  {extra}" if extra else ""))
    elif q.answers:
        say(f"  {t['ranges']}:")
        for a in q.answers:
            say(f"    - {getattr(a.label, lang)}  ->  {_range(a.lightest, a.heaviest, lang)}")
    say(f"  0. {t['unknown']}")
    prompt = {"choice": "> ", "number": f"{t['type_number']}> ", "date": f"{t['type_date']}> "}.get(q.kind, "> ")
    while True:
        text = read(prompt).strip()
        if text in ("0", ""):
            if q.required:
                say(t["required"])
                continue
            return False, None
        try:
            return True, answer_value(q, text)
        except (ValueError, IndexError):
            say(t["invalid"])


def interview(
    engine: Engine,
    fact: dict[str, Any],
    lang: str,
    read: Callable[[str], str],
    say: Callable[[str], None],
) -> dict[str, Any]:
    """Ask until the outcome is decided or nothing is left to ask; return the completed report."""
    t = _TEXT[lang]
    say(t["start"])
    skipped: set[str] = set()
    step = next_step(engine, fact, skipped)
    while True:
        if step.lightest is not None:
            say(f"{t['range']}: {_range(step.lightest, step.heaviest, lang)}")
        if step.decided or not step.questions:
            if step.complete:
                say(t["decided"] if step.lightest == step.heaviest else t["nothing"])
            break
        q = step.questions[0]
        answered, value = _ask(q, lang, read, say)
        if not answered:
            skipped.add(q.field)
            step = next_step(engine, fact, skipped)
            continue
        candidate = put(fact, q.field, value)
        try:
            step = next_step(engine, candidate, skipped)
        except FactError as exc:
            say(f"{t['rejected']}: {'; '.join(p.message for p in exc.problems) or exc.message}")
            continue
        fact = candidate
    if step.decision is not None:
        say("")
        say(explain_text(step.decision, lang))
    return fact


def run(engine: Engine, source: str | None, lang: str, save: Path | None,
        read: Callable[[str], str], say: Callable[[str], None], stdin_line: Callable[[], str]) -> int:
    fact: dict[str, Any] = {}
    if source == "-":
        fact = json.loads(stdin_line() or "{}")
    elif source:
        fact = json.loads(Path(source).read_text(encoding="utf-8"))
    try:
        done = interview(engine, fact, lang, read, say)
    except EOFError:
        say(_TEXT[lang]["end"])
        return 2
    text = json.dumps(done, ensure_ascii=False, indent=2)
    say("")
    say(_TEXT[lang]["fact"])
    say(text)
    if save is not None:
        save.write_text(text + "\n", encoding="utf-8")
        say(f"{_TEXT[lang]['saved']} {save}")
    return 0
