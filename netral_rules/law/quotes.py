"""Mechanical check that every quoted article occurs in the pack's official text.

The official texts are OCR of the gazetted copies. They carry page furniture (page numbers ``-14-``,
running heads such as ``PRESIDEN REPUBLIK INDONESIA`` often misread, footers ``SK No 202813 A``, and the
first word of the next page repeated) and OCR slips (``2Ol4`` for 2014). A quote is compared with the
source after both are normalised the same way: the pack's own OCR corrections applied to the source,
whitespace collapsed, words split by a line-break hyphen re-joined. A quote passes if its words occur in
the source in order, where the only source words allowed between two quoted words are furniture: page
numbers (``-14-``) and footer numbers, words in capitals (running heads), stray single letters, and tokens
with symbols no sentence uses. Skipping a lowercase word or a number is not allowed, so a dropped, added
or changed word in a quote is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import Position, Problem
from ..messages import text as msg
from .load import LoadedPack

MAX_GAP = 12
_WORD_CHARS = re.compile(r"^[\w.,;:()/\"'%\-–“”‘’]+$")


def normalise(text: str) -> str:
    text = re.sub(r"(\w)-\s+(\w)", r"\1-\2", text)
    return re.sub(r"\s+", " ", text).strip()


_FOOTER_WORDS = {"No", "No."}  # "SK No 202813 A": the body of a regulation writes "Nomor" in full
_PAGE_NUMBER = re.compile(r"^-\d+-?$|^\d{5,}$")  # "-14-", and the 6-digit SK numbers of the footers


def _furniture(token: str) -> bool:
    """Whether a source token may be page furniture. Numbers and lowercase words never are: a quote that
    drops "3" or "di" must not pass."""
    if _PAGE_NUMBER.match(token) or token in _FOOTER_WORDS:
        return True
    if token.isdigit() or (any(ch.islower() for ch in token) and token.isalpha() and len(token) >= 2):
        return False
    if len(token) == 1 and token.isalpha():
        return True  # stray OCR letters ("A" of the footers, "l", "f")
    if not any(ch.islower() for ch in token) and any(ch.isalpha() for ch in token):
        return True  # running heads in capitals, often misread: PRESIDEN, REPUEUK, SK
    return not _WORD_CHARS.match(token)


@dataclass(frozen=True)
class _Source:
    text: str
    tokens: tuple[str, ...]
    index: dict[str, tuple[int, ...]]


@lru_cache(maxsize=32)
def _prepare(source: str, corrections: tuple[tuple[str, str], ...]) -> _Source:
    for wrong, right in corrections:
        source = source.replace(wrong, right)
    text = normalise(source)
    tokens = tuple(text.split(" "))
    index: dict[str, list[int]] = {}
    for i, tok in enumerate(tokens):
        index.setdefault(tok, []).append(i)
    return _Source(text, tokens, {k: tuple(v) for k, v in index.items()})


def occurs(quote: str, source: _Source) -> bool:
    q = normalise(quote)
    if not q:
        return False
    if q in source.text:
        return True
    words = q.split(" ")
    for start in source.index.get(words[0], ()):
        pos = start
        ok = True
        for word in words[1:]:
            nxt = pos + 1
            limit = min(len(source.tokens), nxt + MAX_GAP + 1)
            while nxt < limit and source.tokens[nxt] != word:
                if not _furniture(source.tokens[nxt]) and source.tokens[nxt] != word:
                    nxt = limit
                    break
                nxt += 1
            if nxt >= limit:
                ok = False
                break
            pos = nxt
        if ok:
            return True
    return False


def check_quotes(pack: LoadedPack) -> list[Problem]:
    """Problems for every article of the pack's own instrument quoted from its source text (verified against the
    official text, or secondary but read in the pack's source file, as PP 11/2017's third-party OCR) that is not
    found in it."""
    m = pack.manifest
    if m.source is None or pack.source_text is None:
        return []
    corrections = tuple((c.from_, c.to) for c in m.source.ocr_corrections)
    source = _prepare(pack.source_text, corrections)
    own = f"{m.instrument.kind} {m.instrument.number}/{m.instrument.year}"
    problems = []
    for art in pack.articles.values():
        prov = art.article.provenance
        from_source = prov.status == "verified_primary" or (
            prov.status == "verified_secondary" and (prov.source or "").split(" ")[0] == m.source.file
        )
        if art.citation.instrument_key != own or not from_source:
            continue
        if not occurs(art.article.text, source):
            problems.append(
                Problem(
                    msg("lint.quote_mismatch", cite=art.citation, file=m.source.file),
                    Position(art.pos.file, art.pos.line, art.pos.column),
                    code="quote_mismatch",
                )
            )
    return problems
