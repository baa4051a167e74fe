import pytest

from netral_rules.errors import CitationError
from netral_rules.law.citations import Citation, parse_citation


@pytest.mark.parametrize(
    ("text", "canonical", "machine"),
    [
        ("PP 94/2021 Pasal 14 huruf i angka 1", "PP 94/2021 Pasal 14 huruf i angka 1", "pp94_2021.p14.i.1"),
        ("UU 20/2023 Pasal 52 ayat (3) huruf j", "UU 20/2023 Pasal 52 ayat (3) huruf j", "uu20_2023.p52.a3.j"),
        ("uu 20/2023   pasal 52 AYAT ( 4 )", "UU 20/2023 Pasal 52 ayat (4)", "uu20_2023.p52.a4"),
        (
            "PP 94/2021 Pasal 10 ayat (2) huruf f angka 1)",
            "PP 94/2021 Pasal 10 ayat (2) huruf f angka 1",
            "pp94_2021.p10.a2.f.1",
        ),
        (
            "PP 94/2021 Penjelasan Pasal 5 huruf n angka 2",
            "PP 94/2021 Penjelasan Pasal 5 huruf n angka 2",
            "pp94_2021.penj.p5.n.2",
        ),
        ("SKB 2/2022 Lampiran II huruf B angka 6", "SKB 2/2022 Lampiran II huruf B angka 6", "skb2_2022.lampii.B.6"),
        ("Peraturan BKN 6/2022 Pasal 3", "Peraturan BKN 6/2022 Pasal 3", "peraturanbkn6_2022.p3"),
    ],
)
def test_parse_and_format(text: str, canonical: str, machine: str) -> None:
    c = parse_citation(text)
    assert str(c) == canonical
    assert c.machine_id == machine
    assert parse_citation(str(c)) == c


def test_structured_parts() -> None:
    c = parse_citation("UU 20/2023 Pasal 52 ayat (3) huruf j")
    assert (c.instrument, c.number, c.year, c.pasal, c.ayat, c.huruf, c.angka) == (
        "UU",
        "20",
        2023,
        "52",
        "3",
        "j",
        None,
    )
    assert c.parent() == Citation("UU", "20", 2023, pasal="52", ayat="3")
    assert c.instrument_key == "UU 20/2023"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Perda 1/2020 Pasal 1", "unknown instrument 'Perda'"),
        ("PP 94 Pasal 5", "expected NUMBER/YEAR"),
        ("PP 94/2021 Pasal 5 ayat 3", "ayat is written with parentheses"),
        ("PP 94/2021 huruf n Pasal 5", "out of order"),
        ("PP 94/2021 Pasal 5 huruf nn", "huruf takes one letter"),
        ("PP 94/2021 Pasal", "expected a value after 'Pasal'"),
        ("PP 94/2021 Bab 5", "unexpected 'Bab'"),
        ("", "non-empty"),
    ],
)
def test_errors_say_where(text: str, fragment: str) -> None:
    with pytest.raises(CitationError) as info:
        parse_citation(text)
    assert fragment in str(info.value)
    if text:
        assert "column" in str(info.value)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("PP Nomor 94 Tahun 2021 Pasal 5 huruf n angka 1", "PP 94/2021 Pasal 5 huruf n angka 1"),
        ("PP No. 94 Tahun 2021 Pasal 5 huruf n angka 1", "PP 94/2021 Pasal 5 huruf n angka 1"),
        ("PP No 94 Tahun 2021 Pasal 14 huruf i", "PP 94/2021 Pasal 14 huruf i"),
        ("PP No. 94/2021 Pasal 5", "PP 94/2021 Pasal 5"),
        ("Peraturan Pemerintah Nomor 94 Tahun 2021 Pasal 8 ayat (4)", "PP 94/2021 Pasal 8 ayat (4)"),
        ("peraturan  pemerintah nomor 53 tahun 2010 Pasal 4 angka 12", "PP 53/2010 Pasal 4 angka 12"),
        ("Undang-Undang Nomor 20 Tahun 2023 Pasal 9 ayat (2)", "UU 20/2023 Pasal 9 ayat (2)"),
        ("UU Nomor 5 Tahun 2014 Pasal 2 huruf f", "UU 5/2014 Pasal 2 huruf f"),
        ("Peraturan Pemerintah Pengganti Undang-Undang Nomor 1 Tahun 2022 Pasal 3", "Perppu 1/2022 Pasal 3"),
        ("Peraturan BKN Nomor 6 Tahun 2022 Pasal 3", "Peraturan BKN 6/2022 Pasal 3"),
        ("SKB Nomor 2 Tahun 2022 Lampiran II huruf B angka 6", "SKB 2/2022 Lampiran II huruf B angka 6"),
    ],
)
def test_long_forms_are_normalised(text: str, canonical: str) -> None:
    assert str(parse_citation(text)) == canonical
    assert parse_citation(text) == parse_citation(canonical)


def test_long_form_errors_count_columns_as_written() -> None:
    text = "PP Nomor 94 Tahun 2021 Pasal 5 ayat 3"
    with pytest.raises(CitationError) as info:
        parse_citation(text)
    assert f"at column {text.index(' 3') + 2} of {text!r}" in str(info.value)
    with pytest.raises(CitationError) as info:
        parse_citation("PP Nomor 94 Pasal 5")  # no Tahun: not a long form; the short grammar says what is wrong
    assert "expected NUMBER/YEAR" in str(info.value)
