"""The report's sentences (engine.text): Swedish numbers and period words whatever
the locale, the balance judgement and its threshold, the headline, the area and
forecast statements, and the areas of a unit's and a consolidation's report."""

from __future__ import annotations

import locale
from fractions import Fraction

import pytest
from builders import run
from hypothesis import given
from hypothesis import strategies as st

from toolkit.engine.consolidation import Unit, consolidate
from toolkit.engine.figures import Figures
from toolkit.engine.text import (
    NBSP,
    amount,
    area_sentence,
    areas,
    balance_sentence,
    forecast_sentence,
    genitive,
    headline_sentence,
    months,
    number,
    opening,
    percent,
    unbudgeted_sentence,
)

TKR = 100_000  # öre


def cost(budget, phased, actual, forecast=None) -> Figures:
    """Net-cost figures from tkr."""
    return Figures(False, Fraction(budget * TKR), Fraction(phased * TKR), Fraction(actual * TKR),
                   Fraction((budget if forecast is None else forecast) * TKR))


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


# -- numbers and words ----------------------------------------------------------------------


def test_numbers_have_a_no_break_space_between_thousands_whatever_the_locale():
    for name in ("C", "en_US.UTF-8", "sv_SE.UTF-8", "de_DE.UTF-8"):
        try:
            locale.setlocale(locale.LC_ALL, name)
        except locale.Error:
            continue
        assert number(1240) == f"1{NBSP}240"
        assert number(-1234567) == f"-1{NBSP}234{NBSP}567"
        assert number(38) == "38"
    locale.setlocale(locale.LC_ALL, "C")
    assert amount(Fraction(-123_989_000), "tkr") == f"1{NBSP}240 tkr"  # the magnitude, rounded half away from zero
    assert amount(Fraction(1_999), "kr") == "20 kr"
    assert percent(Fraction(57, 100)) == f"57{NBSP}%"
    assert percent(Fraction(5715, 10000)) == f"57{NBSP}%" and percent(Fraction(575, 1000)) == f"58{NBSP}%"


@pytest.mark.parametrize("period, words", [(1, "januari"), (2, "januari–februari"), (8, "januari–augusti"),
                                           (12, "januari–december")])
def test_period_words(period, words):
    assert months(period) == words


@pytest.mark.parametrize("name, expected", [
    ("Lokal nämnd Halmstad", "Lokal nämnd Halmstads"), ("Navet", "Navets"), ("Borås", "Borås"),
    ("Boråsregionen", "Boråsregionens"), ("Styrelsen Marx", "Styrelsen Marx"), ("SML", "SML:s"),
    ("Enhet 3", "Enhet 3:s"), ("Halmstad och Navet", "Halmstad och Navets"), ("  Hylte ", "Hyltes")])
def test_genitive(name, expected):
    assert genitive(name) == expected


# -- the sentences ------------------------------------------------------------------------


def test_the_published_example():
    """'Nämnden har totalt sett en ekonomi i balans. Nämndens utfall för perioden januari–augusti är 712 tkr
    med en positiv budgetavvikelse om 38 tkr. Prognosen är ett utfall enligt budget.' — with the unit's name."""
    f = cost(1240, 750, 712)
    assert balance_sentence("Lokal nämnd Halmstad", f, 8, "tkr") == \
        "Lokal nämnd Halmstad har totalt sett en ekonomi i balans."
    assert headline_sentence("Lokal nämnd Halmstad", f, 2022, 8, "tkr") == (
        "Lokal nämnd Halmstads utfall för perioden januari–augusti är 712 tkr med en positiv budgetavvikelse "
        "om 38 tkr.")
    assert forecast_sentence(f, "budget", 8, "tkr") == "Prognosen för helåret är utfall enligt budget."


@pytest.mark.parametrize("forecast, expected", [
    (1240, "i balans"), (1227.6, "i balans"),  # 12.4 tkr = 1 % of 1 240: still in balance
    (1227.5, "överskott"), (1252.5, "underskott"), (1252.4, "i balans")])
def test_balance_is_the_years_variance_within_one_percent_of_the_budget(forecast, expected):
    text = balance_sentence("Navet", cost(1240, 750, 900, Fraction(str(forecast))), 8, "tkr")
    if expected == "i balans":
        assert text == "Navet har totalt sett en ekonomi i balans."
    else:
        assert text == f"Navet prognostiserar totalt sett ett {expected} mot budget för helåret."


def test_balance_after_the_year_is_the_years_own_outcome():
    """At period 12 the year is closed: its utfall against the budget, not a forecast."""
    f = cost(1240, 1240, 1300)  # the forecast (method budget) is still the budget
    assert balance_sentence("Navet", f, 12, "tkr") == "Navet redovisar totalt sett ett underskott mot budget för året."
    assert forecast_sentence(f, "budget", 12, "tkr") is None
    assert balance_sentence("Navet", cost(1240, 1240, 1235), 12, "tkr") == "Navet har totalt sett en ekonomi i balans."


def test_a_variance_shown_as_zero_is_in_balance_even_without_budget():
    assert "i balans" in balance_sentence("X", cost(0, 0, 0.4, 0.4), 8, "tkr")
    assert "underskott" in balance_sentence("X", cost(0, 0, 0.6, 0.6), 8, "tkr")


def test_headline_words_follow_the_shown_sign():
    assert plain(headline_sentence("Navet", cost(2000, 1000, 1040), 2025, 6, "tkr")) == (
        "Navets utfall för perioden januari–juni är 1 040 tkr med en negativ budgetavvikelse om 40 tkr.")
    assert headline_sentence("Navet", cost(2000, 1000, 1000.4), 2025, 6, "tkr") == (
        "Navets utfall för perioden januari–juni är 1 000 tkr, vilket är i nivå med den periodiserade budgeten."
        .replace("1 000", f"1{NBSP}000"))
    assert headline_sentence("Navet", cost(-100, -50, -60), 2025, 1, "tkr") == (
        "Navets utfall för perioden januari är en nettointäkt om 60 tkr med en positiv budgetavvikelse om 10 tkr.")
    assert headline_sentence("Navet", cost(100, 0, 0), 2025, 0, "tkr") == "Inget utfall är bokfört för 2025 ännu."


def test_area_sentence():
    income = Figures(True, Fraction(120 * TKR), Fraction(80 * TKR), Fraction(70 * TKR), Fraction(120 * TKR))
    assert area_sentence("Avgifter", income, 8, "tkr") == (
        "Uppdraget Avgifter visar en negativ budgetavvikelse om 10 tkr för perioden januari–augusti.")
    assert area_sentence("Politik", cost(892, 595, 538), 8, "tkr") == (
        "Uppdraget Politik visar en positiv budgetavvikelse om 57 tkr för perioden januari–augusti.")
    assert area_sentence("Politik", cost(892, 595, 595.3), 1, "tkr") == (
        "Uppdraget Politik visar ett utfall i nivå med budget för perioden januari.")
    assert area_sentence("Politik", cost(892, 0, 0), 0, "tkr") == "Uppdraget Politik har inget bokfört utfall ännu."


@pytest.mark.parametrize("method, forecast, expected", [
    ("budget", 892, "Prognosen för helåret är utfall enligt budget."),
    ("rest", 892, "Prognosen för helåret är utfall enligt budget."),
    ("budget", 772, "Prognosen för helåret är ett överskott om 120 tkr."),
    (None, 1000, "Prognosen för helåret är ett underskott om 108 tkr."),
    ("rest", 910, "Prognosen för helåret (utfallet hittills och budgeten för resten av året) är ett underskott "
                  "om 18 tkr."),
    ("trend", 850, "Prognosen för helåret (utfallet hittills uppräknat till helår) är ett överskott om 42 tkr."),
    ("trend", 892.3, "Prognosen för helåret (utfallet hittills uppräknat till helår) är i nivå med budget."),
])
def test_forecast_statement_matches_the_method(method, forecast, expected):
    assert forecast_sentence(cost(892, 595, 600, Fraction(str(forecast))), method, 8, "tkr") == expected


def test_unbudgeted_sentence_in_the_reports_words():
    """No pointer to a sheet: the report is read by people without the workbook."""
    assert unbudgeted_sentence(cost(0, 0, 1.1, 1.1), 8, "tkr") == (
        "Kostnader om 1 tkr för perioden januari–augusti hör inte till någon budgetrad; de ger en negativ "
        "budgetavvikelse och ingår i prognosen för helåret.")
    assert unbudgeted_sentence(cost(0, 0, -2, -2), 3, "tkr") == (
        "Intäkter om 2 tkr för perioden januari–mars hör inte till någon budgetrad; de ger en positiv "
        "budgetavvikelse och ingår i prognosen för helåret.")
    assert unbudgeted_sentence(cost(0, 0, 0.2, 0.2), 3, "tkr") == (
        "Bokfört utfall för perioden januari–mars som inte hör till någon budgetrad summerar till 0 tkr.")


def test_the_pointer_to_avstamning_is_for_the_sheets_only():
    unbudgeted = areas(run(BUDGET, LEDGER))[-1]
    assert unbudgeted.key == ("Ej budgeterat",)
    assert "blad" not in unbudgeted.text and "Avstämning" not in unbudgeted.text
    assert unbudgeted.sheet_text == f"{unbudgeted.text} Se bladet Avstämning."
    assert all(a.sheet_text == a.text for a in areas(run(BUDGET, LEDGER))[:-1])


def test_the_opening_is_the_same_words_as_the_reports_first_paragraph():
    report = run(BUDGET, LEDGER)
    assert opening(report) == areas(report)[0].sentences == (
        "Test prognostiserar totalt sett ett överskott mot budget för helåret.",
        "Tests utfall för perioden januari–augusti är 139 tkr med en positiv budgetavvikelse om 70 tkr.",
        "Prognosen för helåret är ett överskott om 38 tkr.")  # Projekt +40, Ej budgeterat −2.5


@given(st.integers(-10**12, 10**12), st.integers(-10**12, 10**12), st.integers(0, 12))
def test_the_words_never_say_zero_and_always_agree_with_the_shown_sign(phased, actual, period):
    f = Figures(False, Fraction(phased), Fraction(phased), Fraction(actual), Fraction(actual))
    for text in (headline_sentence("X", f, 2025, period, "tkr"), area_sentence("A", f, period, "tkr"),
                 forecast_sentence(f, None, period, "tkr") or ""):
        assert " om 0 tkr" not in text
        shown = round(Fraction(phased - actual, TKR))
        if period and shown and "budgetavvikelse" in text:
            assert ("positiv" in text) == (phased > actual)


# -- the areas of a report --------------------------------------------------------------------

BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Uppdrag", "Prognos"],
    ["Arvoden", None, "Kostnad", 120000, "50*", "Politik", None],
    ["Resor", None, "Kostnad", 12000, "58*", "Politik", None],
    ["Projekt", None, "Kostnad", 240000, "4*", None, 200000],
    ["Avgifter", None, "Intäkt", 60000, "3*", "Politik", None],
]
LEDGER = [["Period", "Konto", "Belopp"], [202503, "5011", 70000], [202504, "5811", 6000], [202505, "4010", 90000],
          [202506, "3010", -30000], [202507, "7010", 2500]]


def test_a_units_areas_are_the_whole_then_each_uppdrag_as_on_resultatrakning():
    report = run(BUDGET, LEDGER)
    found = areas(report)
    assert [a.key for a in found] == [("Totalt",), ("Politik",), ("Projekt",), ("Ej budgeterat",)]
    assert [a.label for a in found] == ["Totalt", "Politik", "Projekt", "Ej budgeterat"]
    # Politik: costs 132 − income 60 = 72 tkr a year; jan–aug 48 phased, 76 − 30 = 46 booked
    assert found[1].text == ("Uppdraget Politik visar en positiv budgetavvikelse om 2 tkr för perioden "
                             "januari–augusti. Prognosen för helåret är utfall enligt budget.")
    assert found[2].text == ("Uppdraget Projekt visar en positiv budgetavvikelse om 70 tkr för perioden "
                             "januari–augusti. Prognosen för helåret är ett överskott om 40 tkr.")
    assert found[0].sentences[0] == "Test prognostiserar totalt sett ett överskott mot budget för helåret."
    assert found[0].sentences[1] == ("Tests utfall för perioden januari–augusti är 139 tkr med en positiv "
                                     "budgetavvikelse om 70 tkr.")


def test_the_forecast_method_is_named_only_where_every_line_follows_it():
    report = run(BUDGET, LEDGER, method="rest")
    text = {a.key: a.text for a in areas(report)}
    assert "(utfallet hittills och budgeten för resten av året)" in text[("Politik",)]
    assert "(" not in text[("Projekt",)]  # its own Prognos: the economist's figure, no method to name
    assert "(" not in text[("Totalt",)].split(". ")[-1]


def test_a_consolidation_has_the_whole_each_unit_and_the_uppdrag():
    a = Unit("Halmstad", "a.xlsx", run(BUDGET, LEDGER))
    b = Unit("Navet", "b.xlsx", run(BUDGET[:3], LEDGER[:3], method="trend"))
    found = areas(consolidate([a, b], "Förbund"))
    assert [x.key for x in found] == [("Totalt",), ("Halmstad", "Totalt"), ("Navet", "Totalt"), ("Politik",),
                                      ("Projekt",), ("Ej budgeterat",)]
    assert found[1].label == "Halmstad › Totalt"
    assert found[1].sentences[1].startswith("Halmstads utfall för perioden januari–augusti är 139 tkr")
    assert found[2].sentences[1].startswith("Navets utfall för perioden januari–augusti är 76 tkr")
    assert found[0].sentences[1].startswith("Förbunds utfall för perioden januari–augusti är 215 tkr")
    # Politik is forecast by budget in one unit and by trend in the other: no one method to name
    assert "(" not in found[3].text
