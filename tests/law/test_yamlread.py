from pathlib import Path

import pytest

from netral_rules.errors import PackError, Position
from netral_rules.law.yamlread import read_yaml_file, read_yaml_text


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
    assert out == ["f.yaml:1:7: YAML aliases (*name) are not allowed in rule packs; write the value out"]
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


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    with pytest.raises(PackError) as info:
        read_yaml_file(path, display="big.yaml", max_bytes=100)
    assert info.value.problems[0].code == "size"
    assert "limit is 100 bytes" in str(info.value.problems[0])


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
