"""Periodisation keys: built-in and custom, and the phased budget they give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from builders import KEY_HEADER, grid, key_row, node, run

from toolkit.engine.periodisation import builtin_key, calendar_days, linear, share, working_days, ytd
from toolkit.errors import InputError
from toolkit.read.keys import read_keys

BUDGET = ["Rad", "Budget", "Konto", "Periodisering"]
LEDGER = ["Period", "Konto", "Belopp"]


def ints(weights) -> list[int]:
    return [int(w) for w in weights]


def test_linear():
    assert ints(linear(2025)) == [1] * 12
    assert share(linear(2025), 8) == Fraction(2, 3)
    assert share(linear(2025), 0) == 0
    assert share(linear(2025), 12) == 1


def test_calendar_days_common_and_leap_year():
    assert ints(calendar_days(2025)) == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert ints(calendar_days(2024)) == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert share(calendar_days(2024), 2) == Fraction(60, 366)
    assert share(calendar_days(2025), 2) == Fraction(59, 365)
    assert ytd(calendar_days(2024), 12) == (366, 366)


def test_swedish_working_days_2025():
    # weekdays minus: 1/1, 6/1, långfredag 18/4, annandag påsk 21/4, 1/5, Kristi himmelsfärd 29/5,
    # nationaldagen 6/6, midsommarafton 20/6, julafton, juldagen, annandag jul, nyårsafton
    # (Alla helgons dag 1/11 is a Saturday)
    assert ints(working_days(2025)) == [21, 20, 21, 20, 20, 19, 23, 21, 22, 23, 20, 19]
    assert sum(working_days(2025)) == 249


def test_swedish_working_days_2024():
    # the holidays of 2024 that fall on a weekday, by hand (trettondedag jul, alla helgons dag and
    # midsommardagen fall on Saturdays)
    off = {dt.date(2024, m, d) for m, d in [(1, 1), (3, 29), (4, 1), (5, 1), (5, 9), (6, 6), (6, 21),
                                            (12, 24), (12, 25), (12, 26), (12, 31)]}
    expected = [0] * 12
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        if day.weekday() < 5 and day not in off:
            expected[day.month - 1] += 1
        day += dt.timedelta(days=1)
    assert ints(working_days(2024)) == expected == [22, 21, 20, 21, 21, 18, 23, 22, 21, 23, 21, 18]
    assert sum(expected) == 251


def test_builtin_key_names():
    assert builtin_key("Arbetsdagar", 2025).weights == working_days(2025)
    assert builtin_key("Kalenderdagar", 2024).weights[1] == 29


def test_a_line_with_calendar_days_in_a_leap_year():
    budget = [BUDGET, ["A", 366_000, "4*", "Kalenderdagar"], ["B", 365_000, "5*", "kalenderdagar"],
              ["C", 12_000, "6*", "Arbetsdagar"], ["D", 12_000, "7*", "linjar"]]
    report = run(budget, [LEDGER, [202401, "4010", 1]], year=2024, period=2)
    assert node(report, "A").figures.phased == 60 * 100_000 / Fraction(1)
    assert node(report, "B").figures.phased == Fraction(365_000_00 * 60, 366)
    assert node(report, "C").figures.phased == Fraction(12_000_00 * 43, 251)  # 22 + 21 of 251
    assert node(report, "D").figures.phased == 2_000_00


def test_the_default_key_is_linear():
    report = run([BUDGET, ["A", 1200, "4*", None]], [LEDGER, [202501, "4010", 1]], period=3)
    assert node(report, "A").key.name == "Linjär"
    assert node(report, "A").figures.phased == 300_00


def keys_grid(*rows):
    return grid("Periodisering", [KEY_HEADER, *rows])


def test_custom_key():
    keys = read_keys(keys_grid(key_row("Höst", 1, 1, 1, 1, 1, 1, 0, 1, 6, 6, 6, 6),
                               key_row("Halvår", "0,5", "0,5", 0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0, 0, None)))
    assert [k.name for k in keys] == ["Höst", "Halvår"]
    assert keys[0].weights[8] == 6 and keys[0].where == "Periodisering!A2"
    assert keys[1].weights == (Decimal("0.5"),) * 6 + (Decimal(0),) * 6
    assert share(keys[0].weights, 8) == Fraction(7, 31)
    assert share(keys[1].weights, 6) == 1


def test_custom_key_used_by_a_line_case_insensitively():
    key = [KEY_HEADER, key_row("Höst", 1, 1, 1, 1, 1, 1, 1, 1, 6, 6, 6, 6)]
    report = run([BUDGET, ["A", 320, "4*", "HÖST"]], [LEDGER, [202501, "4010", 1]], key, period=8)
    assert node(report, "A").figures.phased == 80_00
    assert node(report, "A").key.name == "Höst"


def test_key_header_may_use_full_or_english_month_names_under_a_title():
    rows = [["Periodiseringsnycklar 2025"], [],
            ["Name", "January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"],
            key_row("Jämn", *([1] * 12))]
    keys = read_keys(grid("Periodisering", rows))
    assert keys[0].weights == (Decimal(1),) * 12 and keys[0].where == "Periodisering!A4"


def test_negative_weight_is_an_error_at_the_cell():
    with pytest.raises(InputError) as info:
        read_keys(keys_grid(key_row("Fel", 1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1)))
    assert info.value.where == "Periodisering!D2"
    assert "negativ" in info.value.message


def test_zero_sum_is_an_error_at_the_key():
    with pytest.raises(InputError) as info:
        read_keys(keys_grid(key_row("Ok", *([1] * 12)), key_row("Tom", *([0] * 12))))
    assert info.value.where == "Periodisering!A3"
    assert "Tom" in info.value.message


def test_a_weight_that_is_not_a_number_is_an_error_at_the_cell():
    with pytest.raises(InputError) as info:
        read_keys(keys_grid(key_row("Fel", 1, 1, 1, 1, 1, "x", 1, 1, 1, 1, 1, 1)))
    assert info.value.where == "Periodisering!G2"
    assert info.value.message == '"x" är inte en vikt'


def test_an_unknown_key_is_an_error_at_the_budget_cell():
    with pytest.raises(InputError) as info:
        run([BUDGET, ["A", 100, "4*", "Vår"]], [LEDGER, [202501, "4010", 1]])
    assert info.value.where == "Budget!D2"
    assert '"Vår"' in info.value.message and "Linjär" in info.value.message
