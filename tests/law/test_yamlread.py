from pathlib import Path

import pytest

from netral_rules.errors import PackError, Position
from netral_rules.law.yamlread import read_yaml_file, read_yaml_text

MAX_DEPTH = 64  # netral_rules.law.yamlread.MAX_DEPTH, written out so that these tests run on older code too


def problems(text: str) -> list[str]:
    with pytest.raises(PackError) as info:
        read_yaml_text(text, "f.yaml")
    return [str(p) for p in info.value.problems]


def test_positions_are_kept_for_every_node() -> None:
    doc = read_yaml_text("a:\n  b: [1, 2]\n  c:\n    - x: true\n", "f.yaml")
    assert doc.data == {"a": {"b": [1, 2], "c": [{"x": True}]}}
    assert doc.pos(("a", "b", 1)) == Position("f.yaml", 2, 10)
    assert doc.pos(("a", "c", 0, "x")) == Position("f.yaml", 4, 10)
    assert doc.pos(("a", "c", 0, "x"), key=True) == Position("f.yaml", 4, 7)
    # a path that does not exist falls back to the nearest enclosing node
    assert doc.pos(("a", "c", 0, "missing")) == Position("f.yaml", 4, 7)


def test_duplicate_key_is_an_error_with_both_lines() -> None:
    assert problems("a: 1\nb: 2\na: 3\n") == ["f.yaml:3:1: duplicate key 'a' (first defined at line 1)"]


def test_aliases_and_merge_keys_are_refused() -> None:
    out = problems("base: &b {x: 1}\nother: *b\n")
    assert out == ["f.yaml:2:8: YAML aliases (*name) are not allowed in rule packs; write the value out"]
    out = problems("base: {x: 1}\nother:\n  <<: {y: 2}\n")
    assert out == ["f.yaml:3:3: YAML merge keys (<<) are not allowed in rule packs"]


def test_billion_laughs_is_refused_quickly() -> None:
    text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(PackError) as info:
        read_yaml_text(text, "f.yaml")
    assert all(p.code == "alias" for p in info.value.problems)


def test_tab_indentation_reports_position() -> None:
    out = problems("a:\n\tb: 1\n")
    assert len(out) == 1 and out[0].startswith("f.yaml:2:1: ")
    assert "tabs" in out[0]


def test_syntax_error_reports_position() -> None:
    out = problems("a: [1, 2\nb: 3\n")
    assert out[0].startswith("f.yaml:2:")


def test_several_documents_are_refused() -> None:
    out = problems("a: 1\n---\nb: 2\n")
    assert "one YAML document" in out[0]


def test_datetime_values_are_refused() -> None:
    out = problems("when: 2024-02-14 10:00:00\n")
    assert out == ["f.yaml:1:7: a date-time is not allowed here; write a date (YYYY-MM-DD)"]


def test_non_utf8_reports_byte_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(PackError) as info:
        read_yaml_file(path, display="bad.yaml")
    assert str(info.value.problems[0]) == "bad.yaml:2:7: byte 0xe9 is not valid UTF-8; save the file as UTF-8"


def test_size_limit(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    with pytest.raises(PackError) as info:
        read_yaml_file(path, display="big.yaml", max_bytes=100)
    assert info.value.problems[0].code == "size"
    assert str(info.value.problems[0]) == {
        "id": "big.yaml:1:1: berkas berukuran 204 bita; batasnya 100 bita",
        "en": "big.yaml:1:1: the file is 204 bytes; the limit is 100 bytes",
    }[lang]


def test_keys_stay_text() -> None:
    doc = read_yaml_text("2024: x\ntrue: y\n", "f.yaml")
    assert doc.data == {"2024": "x", "true": "y"}


def test_empty_file_is_none() -> None:
    assert read_yaml_text("", "f.yaml").data is None


def test_tags_other_than_plain_yaml_are_refused() -> None:
    assert problems("a: !!python/object:os.system x\n") == [
        "f.yaml:1:4: YAML tag tag:yaml.org,2002:python/object:os.system is not allowed in a pack"
    ]
    assert problems("a: !custom 1\n") == ["f.yaml:1:4: YAML tag !custom is not allowed in a pack"]
    assert problems("? !!binary aGVsbG8=\n: 1\n") == [
        "f.yaml:1:3: YAML tag tag:yaml.org,2002:binary is not allowed in a pack"
    ]


def test_values_that_cannot_be_built_are_positioned() -> None:
    assert problems("a:\n  b: 2024-02-30\n") == [
        "f.yaml:2:6: there is no date '2024-02-30' in the calendar; write a real date, YYYY-MM-DD"]
    # a key is a name: a date-looking key stays text
    assert read_yaml_text("2024-02-30: x\n", "f.yaml").data == {"2024-02-30": "x"}


def test_lone_surrogates_are_refused() -> None:
    assert problems("a: 1\nb: \udcff\n") == ["f.yaml:2:4: a lone surrogate character is not valid Unicode"]


def test_a_plain_equals_sign_is_text() -> None:
    assert read_yaml_text("a: =\n", "f.yaml").data == {"a": "="}


# --- issue 16: hostile files ---------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [63, 64, 470, 600, 999, 1000, 100_000])
def test_deep_nesting_is_a_positioned_error_at_any_depth(depth: int, lang: str) -> None:
    # 470 to 1,000 levels raised RecursionError; the C parser stops at 1,000 with its own wording
    text = "rules: " + "[" * depth + "]" * depth + "\n"
    if depth < MAX_DEPTH:
        assert read_yaml_text(text, "f.yaml").pos(("rules",) + (0,) * (depth - 1)) == Position("f.yaml", 1, 7 + depth)
        return
    message = {"id": "bersarang lebih dari 64 tingkat; sederhanakan strukturnya",
               "en": "nested deeper than 64 levels; simplify the structure"}[lang]
    assert problems(text) == [f"f.yaml:1:{7 + MAX_DEPTH}: {message}"]


def test_deep_block_mappings_too() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    [out] = problems(text)  # the mapping that is the value of k63 is the 65th, at line 65
    assert out.startswith(f"f.yaml:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: ") and "64" in out


def test_each_alias_is_reported_where_it_is_written() -> None:
    # all of them pointed at the anchor (72 errors at 1:4)
    text = "a: &x [1]\n" + "".join(f"k{i}: *x\n" for i in range(72))
    out = problems(text)
    assert out == [f"f.yaml:{i + 2}:{len(f'k{i}: ') + 1}: YAML aliases (*name) are not allowed in rule packs; write the "
                   "value out" for i in range(72)]
    [undefined] = problems("a: [1, *nope]\n")
    assert undefined.startswith("f.yaml:1:8: ")


def test_an_alias_as_a_key_is_refused_and_its_value_skipped() -> None:
    assert problems("a: &k x\n*k : 1\nb: 2\n") == [
        "f.yaml:2:1: YAML aliases (*name) are not allowed in rule packs; write the value out"]
    assert problems("? [1, 2]\n: {deep: [1]}\nb: 2\n") == ["f.yaml:1:3: a mapping key must be a plain value"]


@pytest.mark.parametrize(("char", "name"), [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"),
                                            ("\x7f", "U+007F"), ("\ufffe", "U+FFFE")])
def test_control_characters_have_a_line_and_column(char: str, name: str, lang: str) -> None:
    # a NUL byte gave no line and column (PyYAML's reader error carries only an offset)
    message = {"id": f"karakter kontrol {name} tidak diizinkan dalam berkas YAML",
               "en": f"the control character {name} is not allowed in a YAML file"}[lang]
    assert problems(f"a: 1\nb: café{char}x\n") == [f"f.yaml:2:8: {message}"]


def test_control_characters_in_a_file(tmp_path: Path, english: None) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"rules:\n  - id: x\x00\n")
    with pytest.raises(PackError) as info:
        read_yaml_file(path, display="nul.yaml")
    assert [str(p) for p in info.value.problems] == [
        "nul.yaml:2:10: the control character U+0000 is not allowed in a YAML file"]


def test_a_number_too_long_for_python_says_so_in_words(lang: str) -> None:
    # the message told the user to call sys.set_int_max_str_digits()
    [out] = problems("a: " + "1" * 5000 + "\n")
    assert "set_int_max_str_digits" not in out and "sys." not in out
    assert out.endswith({"id": "angka dengan lebih dari 4,300 digit tidak dapat dibaca",
                         "en": "a number of more than 4,300 digits cannot be read"}[lang])
    assert out.startswith("f.yaml:1:4: ")


def test_the_depth_limit_is_the_readers() -> None:
    from netral_rules.law import yamlread

    assert yamlread.MAX_DEPTH == MAX_DEPTH
