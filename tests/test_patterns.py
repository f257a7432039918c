"""Mapping patterns: what a Budget cell covers and how narrow it is."""

from __future__ import annotations

import pytest

from toolkit.engine.patterns import ANY, LIST, RANGE, SINGLE, WILDCARD, PatternError, parse_pattern


def covers(text: str, code: str) -> bool:
    return parse_pattern(text).matches(code)


@pytest.mark.parametrize("text, code, expected", [
    ("6540", "6540", True),
    ("6540", "65400", False),
    ("6540", "654", False),
    ("0123", "0123", True),  # codes are text: the leading zero counts
    ("0123", "123", False),
    ("123", "0123", False),
    ("4010, 4020", "4010", True),
    ("4010, 4020", "4020", True),
    ("4010, 4020", "4030", False),
    ("4010;4020", "4020", True),
    ("4000-4999", "4000", True),
    ("4000-4999", "4999", True),
    ("4000-4999", "4500", True),
    ("4000-4999", "3999", False),
    ("4000-4999", "5000", False),
    ("4000-4999", "40101", True),  # leading digits: a five-digit sub-account
    ("4000-4999", "49999", True),
    ("4000-4999", "50101", False),
    ("4000 - 4999", "4321", True),
    ("4000\u20134999", "4321", True),  # an en dash, as Excel's AutoCorrect may type it
    ("A100-A199", "A150", True),
    ("A100-A199", "A200", False),
    ("40*", "40", True),
    ("40*", "4010", True),
    ("40*", "401234", True),
    ("40*", "4110", False),
    ("40*", "1400", False),
    ("6*, 7*", "7050", True),
    ("6*, 7*", "5010", False),
    ("4?10", "4510", True),
    ("*", "1", True),
    ("*", "", False),
    ("6540", "", False),
])
def test_what_a_pattern_covers(text, code, expected):
    assert covers(text, code) is expected


def test_kinds():
    assert parse_pattern("6540").narrowness[0] == SINGLE
    assert parse_pattern("4010, 4020").narrowness[0] == LIST
    assert parse_pattern("4000-4999").narrowness[0] == RANGE
    assert parse_pattern("40*").narrowness[0] == WILDCARD
    assert parse_pattern("*").narrowness[0] == ANY


@pytest.mark.parametrize("narrower, wider", [
    ("6540", "6540, 6541"),  # single < list
    ("6540, 6541", "6500-6599"),  # list < range
    ("6540, 6541, 6542, 6543, 6544", "6540-6541"),  # a long list is still narrower than a small range
    ("6500-6599", "65*"),  # range < prefix
    ("6000-9999", "65*"),
    ("65*", "*"),  # prefix < anything
    ("6540, 6541", "6540, 6541, 6542"),  # shorter list first
    ("6500-6509", "6500-6599"),  # narrower range first
    ("P100-P150", "P100-P199"),  # lettered codes: the digits after the same letters decide
    ("P100-P199", "P*"),
    ("654*", "65*"),  # longer prefix first
    ("65*", "6*"),
    ("65*", "65*, 66*"),  # one prefix is narrower than two of the same length
])
def test_narrowness_order(narrower, wider):
    assert parse_pattern(narrower).narrowness < parse_pattern(wider).narrowness


def test_equal_patterns_are_equally_narrow():
    assert parse_pattern("4010").narrowness == parse_pattern("5010").narrowness
    assert parse_pattern("40*").narrowness == parse_pattern("50*").narrowness
    assert parse_pattern("4000-4999").narrowness == parse_pattern("5000-5999").narrowness


@pytest.mark.parametrize("text", ["4999-4000", "", " , ", "B-A", "40-", "-40", "4000 -", "**", "40**", "4*0", "*40",
                                  "40*-49*", "4000-49*", "4000-4500-4999", "4[01]*", "[4]", "6110, 40-"])
def test_bad_patterns(text):
    with pytest.raises(PatternError):
        parse_pattern(text)


@pytest.mark.parametrize("text, codes", [
    ("4010,,4020", ["4010", "4020"]),  # an empty item (a code deleted from the list) is passed over
    ("4010, 4020,", ["4010", "4020"]),
    ("40??", ["4010", "4099"]),  # ? is any one character
    ("P-2025-*", ["P-2025-01"]),  # a prefix may hold dashes
    ("AB-*", ["AB-1"]),
])
def test_accepted_forms(text, codes):
    assert all(covers(text, code) for code in codes)
    assert not covers("40??", "40100") and not covers("40??", "401")


def test_a_question_mark_is_narrower_than_a_star():
    assert parse_pattern("40??").narrowness < parse_pattern("40*").narrowness
    assert parse_pattern("401*").narrowness < parse_pattern("40*").narrowness


@pytest.mark.parametrize("text, meant", [
    ("6110 6990", "6110, 6990"),
    ("6110/6990", "6110, 6990"),
    ("6110|6990", "6110, 6990"),
    ("6110 & 6990", "6110, 6990"),
    ("4010, 6110 6990", "6110, 6990"),
    ("P100 P200", "P100, P200"),
])
def test_a_list_typed_with_other_separators_is_a_code_marked_suspect(text, meant):
    pattern = parse_pattern(text)
    assert [(item.kind, m) for item, m in pattern.suspect] == [(SINGLE, meant)]
    assert pattern.matches(text.split(", ")[-1])  # read literally: what the cell says


@pytest.mark.parametrize("text", ["6110 - 6990", "6110", "Mötesplats äldre", "Kök renovering", "4010, 4020"])
def test_codes_and_ranges_with_spaces_are_not_suspect(text):
    assert parse_pattern(text).suspect == ()


def test_errors_suggest_the_list_that_was_meant():
    with pytest.raises(PatternError, match=r'menade du "40\*, 50\*"\?$'):
        parse_pattern("40* 50*")
    with pytest.raises(PatternError, match=r'menade du "4000-4999, 6000-6999"\?$'):
        parse_pattern("4000-4999 6000-6999")


@pytest.mark.parametrize("text, expected", [
    ("3010", True),
    ("3010, 3020", True),
    ("3000-3999", True),
    ("3*", True),
    ("30*, 31*", True),
    ("3010, 4010", False),
    ("3000-4999", False),
    ("4*", False),
    ("*", False),
])
def test_class_three(text, expected):
    assert parse_pattern(text).within_prefix("3") is expected
