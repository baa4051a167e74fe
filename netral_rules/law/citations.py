"""Citations as lawyers write them, parsed into a structured form and resolved to article texts.

Grammar (whitespace-insensitive, case-insensitive keywords)::

    citation   := instrument NUMBER "/" YEAR [ "Penjelasan" ] [ "Lampiran" ROMAN ] unit*
    instrument := "UU" | "PP" | "Perpres" | "Permen" | "Peraturan BKN" | "SKB" | "Perppu"
    unit       := "Pasal" N | "ayat" "(" N ")" | "huruf" LETTER | "angka" N [")"]

Examples: ``PP 94/2021 Pasal 14 huruf i angka 1``, ``UU 20/2023 Pasal 52 ayat (3) huruf j``,
``PP 94/2021 Penjelasan Pasal 5 huruf n angka 2``, ``SKB 2/2022 Lampiran II huruf B angka 6``.

The long forms lawyers also write are accepted and normalised to the short one: ``PP Nomor 94 Tahun 2021``,
``PP No. 94 Tahun 2021``, ``Peraturan Pemerintah Nomor 94 Tahun 2021``, ``Undang-Undang Nomor 20 Tahun 2023``
all read as ``PP 94/2021`` or ``UU 20/2023`` (:func:`normalise_instrument`).
A citation that cannot be parsed raises :class:`CitationError` with the column of the first bad word, counted
in the text as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import CitationError, Problem
from ..messages import text as msg

INSTRUMENTS = {
    "uu": "UU",
    "perppu": "Perppu",
    "pp": "PP",
    "perpres": "Perpres",
    "permen": "Permen",
    "peraturan bkn": "Peraturan BKN",
    "skb": "SKB",
}

# instrument names written out, longest first (so "Peraturan Pemerintah Pengganti Undang-Undang" is not read as
# "Peraturan Pemerintah")
_LONG_NAMES = {
    "peraturan pemerintah pengganti undang-undang": "Perppu",
    "peraturan pemerintah": "PP",
    "undang-undang": "UU",
    "undang undang": "UU",
    "peraturan presiden": "Perpres",
    "peraturan menteri": "Permen",
    "peraturan badan kepegawaian negara": "Peraturan BKN",
    "surat keputusan bersama": "SKB",
    "keputusan bersama": "SKB",
}
_LONG = re.compile(
    r"^\s*(?P<name>" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in _LONG_NAMES) + r"|"
    + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(INSTRUMENTS, key=len, reverse=True))
    + r")\s+(?:(?:nomor|no\.?|nr\.?)\s*)?(?P<number>[0-9][0-9A-Za-z.\-]*?)\s+tahun\s+(?P<year>[0-9]{4})(?=\s|$)",
    re.IGNORECASE,
)
_SHORT_WITH_NOMOR = re.compile(
    r"^\s*(?P<name>" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(INSTRUMENTS, key=len, reverse=True))
    + r")\s+(?:nomor|no\.?|nr\.?)\s*(?=[0-9])",
    re.IGNORECASE,
)


def normalise_instrument(text: str) -> tuple[str, int, int]:
    """``PP Nomor 94 Tahun 2021 Pasal 5`` -> ``PP 94/2021 Pasal 5``: the instrument in its short form.

    Returns the text, the length of the rewritten prefix in it and in the original, so that a column found
    in the text can be told in the original. Text already in the short form comes back unchanged.
    """
    m = _LONG.match(text)
    if m:
        name = m.group("name").lower().replace("\n", " ")
        name = re.sub(r"\s+", " ", name)
        short = _LONG_NAMES.get(name) or INSTRUMENTS[name]
        new = f"{short} {m.group('number').rstrip('.')}/{m.group('year')}"
        return new + text[m.end():], len(new), m.end()
    m = _SHORT_WITH_NOMOR.match(text)  # PP No. 94/2021
    if m:
        name = re.sub(r"\s+", " ", m.group("name").lower())
        new = f"{INSTRUMENTS.get(name) or _LONG_NAMES[name]} "
        return new + text[m.end():], len(new), m.end()
    return text, 0, 0


_TOKEN = re.compile(r"\(\s*[0-9a-z]+\s*\)|[0-9]+[a-z]?\)|[^\s()]+", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Citation:
    """A structured citation. ``str(citation)`` gives the canonical human form."""

    instrument: str
    number: str
    year: int
    penjelasan: bool = False
    lampiran: str | None = None
    pasal: str | None = None
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None

    def __str__(self) -> str:
        parts = [f"{self.instrument} {self.number}/{self.year}"]
        if self.penjelasan:
            parts.append("Penjelasan")
        if self.lampiran:
            parts.append(f"Lampiran {self.lampiran}")
        if self.pasal:
            parts.append(f"Pasal {self.pasal}")
        if self.ayat:
            parts.append(f"ayat ({self.ayat})")
        if self.huruf:
            parts.append(f"huruf {self.huruf}")
        if self.angka:
            parts.append(f"angka {self.angka}")
        return " ".join(parts)

    @property
    def instrument_key(self) -> str:
        """``PP 94/2021``: the regulation, without the unit."""
        return f"{self.instrument} {self.number}/{self.year}"

    @property
    def machine_id(self) -> str:
        """A compact id, e.g. ``pp94_2021.p5.n.1`` (p = pasal, a = ayat, then huruf, then angka)."""
        base = f"{self.instrument.lower().replace(' ', '')}{self.number}_{self.year}"
        parts = [base]
        if self.penjelasan:
            parts.append("penj")
        if self.lampiran:
            parts.append(f"lamp{self.lampiran.lower()}")
        if self.pasal:
            parts.append(f"p{self.pasal.lower()}")
        if self.ayat:
            parts.append(f"a{self.ayat}")
        if self.huruf:
            parts.append(self.huruf)
        if self.angka:
            parts.append(self.angka)
        return ".".join(parts)

    def parent(self) -> Citation | None:
        """The enclosing unit (``… huruf n angka 1`` → ``… huruf n``), or None at the instrument level."""
        for name in ("angka", "huruf", "ayat", "pasal", "lampiran"):
            if getattr(self, name) is not None:
                fields = {k: getattr(self, k) for k in self.__dataclass_fields__}
                fields[name] = None
                return Citation(**fields)
        return None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _error(text: str, column: int, message: str) -> CitationError:
    return CitationError(
        msg("cite.cannot_parse", text=repr(text)),
        [Problem(msg("cite.at_column", message=message, column=column + 1, text=repr(text)), None,
                 code="citation_syntax")],
    )


def parse_citation(text: str) -> Citation:
    """Parse ``text`` into a :class:`Citation`; raise :class:`CitationError` saying where it breaks."""
    if not isinstance(text, str) or not text.strip():
        raise _error(str(text), 0, msg("cite.empty"))
    short, new_len, old_len = normalise_instrument(text)
    return _parse(short, text, new_len, old_len)


def _parse(text: str, written: str | None = None, new_len: int = 0, old_len: int = 0) -> Citation:
    """Parse the short form ``text``; errors name the column in ``written``, the text as the author wrote it,
    whose first ``old_len`` characters became the first ``new_len`` of ``text``."""
    shown = written if written is not None else text

    def _fail(_: str, column: int, message: str) -> CitationError:
        if new_len:  # past the rewritten instrument, shift by the difference
            column = column + old_len - new_len if column >= new_len else 0
        return _error(shown, column, message)

    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(text)]
    i = 0

    def peek() -> tuple[str, int] | None:
        return tokens[i] if i < len(tokens) else None

    # instrument (one or two words)
    first = peek()
    assert first is not None
    instrument = None
    if i + 1 < len(tokens) and f"{tokens[i][0]} {tokens[i + 1][0]}".lower() in INSTRUMENTS:
        instrument = INSTRUMENTS[f"{tokens[i][0]} {tokens[i + 1][0]}".lower()]
        i += 2
    elif first[0].lower() in INSTRUMENTS:
        instrument = INSTRUMENTS[first[0].lower()]
        i += 1
    else:
        known = ", ".join(sorted(set(INSTRUMENTS.values())))
        raise _fail(text, first[1], msg("cite.unknown_instrument", word=repr(first[0]), known=known))
    tok = peek()
    if tok is None:
        raise _fail(text, len(text), msg("cite.number_year_missing"))
    m = re.fullmatch(r"([0-9][0-9A-Za-z.\-]*)/([0-9]{4})", tok[0])
    if not m:
        raise _fail(text, tok[1], msg("cite.number_year", word=repr(tok[0])))
    number, year = m.group(1), int(m.group(2))
    i += 1
    fields: dict[str, str | None] = {"lampiran": None, "pasal": None, "ayat": None, "huruf": None, "angka": None}
    penjelasan = False
    order = ["lampiran", "pasal", "ayat", "huruf", "angka"]
    last = -1
    while (tok := peek()) is not None:
        word = tok[0].lower()
        if word == "penjelasan":
            if penjelasan or last >= 0:
                raise _fail(text, tok[1], msg("cite.penjelasan"))
            penjelasan = True
            i += 1
            continue
        if word not in order:
            raise _fail(text, tok[1], msg("cite.unexpected", word=repr(tok[0])))
        pos = order.index(word)
        if pos <= last:
            raise _fail(
                text, tok[1], msg("cite.order", word=repr(tok[0]))
            )
        i += 1
        value_tok = peek()
        if value_tok is None:
            raise _fail(text, len(text), msg("cite.value_missing", word=repr(tok[0])))
        raw = value_tok[0]
        if word == "ayat":
            vm = re.fullmatch(r"\(\s*([0-9]+)\s*\)", raw)
            if not vm:
                raise _fail(text, value_tok[1], msg("cite.ayat", word=repr(raw)))
            value = vm.group(1)
        elif word == "huruf":
            if not re.fullmatch(r"[A-Za-z]", raw):
                raise _fail(text, value_tok[1], msg("cite.huruf", word=repr(raw)))
            value = raw.lower() if fields["lampiran"] is None else raw
        elif word == "angka":
            vm = re.fullmatch(r"([0-9]+)\)?", raw)
            if not vm:
                raise _fail(text, value_tok[1], msg("cite.angka", word=repr(raw)))
            value = vm.group(1)
        elif word == "pasal":
            if not re.fullmatch(r"[0-9]+[A-Za-z]?", raw):
                raise _fail(text, value_tok[1], msg("cite.pasal", word=repr(raw)))
            value = raw.upper()
        else:  # lampiran
            if not re.fullmatch(r"[IVXLC]+|[0-9]+", raw, re.IGNORECASE):
                raise _fail(text, value_tok[1], msg("cite.lampiran", word=repr(raw)))
            value = raw.upper()
        fields[word] = value
        last = pos
        i += 1
    return Citation(instrument, number, year, penjelasan, **fields)


def try_parse(text: str) -> tuple[Citation | None, str | None]:
    """Parse, returning ``(citation, None)`` or ``(None, message)`` instead of raising."""
    try:
        return parse_citation(text), None
    except CitationError as exc:
        return None, exc.problems[0].message if exc.problems else exc.message
