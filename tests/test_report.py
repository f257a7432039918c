"""DOMAIN.md's worked example and the report's figures, end to end from inline tables."""

from __future__ import annotations

from fractions import Fraction

import pytest
from builders import KEY_HEADER, key_row, node, run, slugs, tkr

from toolkit.money import format_amount

BUDGET = ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Projekt", "Periodisering", "Uppdrag", "Prognos",
          "Intecknat"]
LEDGER = ["Period", "Konto", "Projekt", "Belopp"]
KEYS = [KEY_HEADER, key_row("Utveckling", 1, 1, 1, 1, 1, 1, 1, 1, 6, 6, 6, 6)]  # 25 % in jan–aug


def line(label, budget, konto=None, *, parent=None, typ=None, projekt=None, key=None, uppdrag=None,
         prognos=None, intecknat=None):
    return [label, parent, typ, budget, konto, projekt, key, uppdrag, prognos, intecknat]


EXAMPLE = [
    BUDGET,
    line("Kurs och konferens", 60, "7050", typ="Kostnad", uppdrag="Politik"),
    line("Utvecklingsmedel", 240, "4*", typ="Kostnad", key="Utveckling", uppdrag="Utvecklingsmedel"),
    line("Avgifter", 120, "3*", typ="Intäkt", uppdrag="Politik"),
]
EXAMPLE_LEDGER = [
    LEDGER,
    [202502, "7050", "", 20_000], [202506, "7050", "", 11_200],  # 31.2 tkr
    [202503, "4010", "", 85_500],
    [202504, "3010", "", -70_000],  # income is credit: negative
    [202509, "7050", "", 99_999],  # after the closing period
    [202408, "7050", "", 5],  # another year
]


def example(method="budget", budget=EXAMPLE):
    return run(budget, EXAMPLE_LEDGER, KEYS, period=8, method=method, amounts_in="tkr")


def test_worked_example_cost_line():
    f = node(example(), "Kurs och konferens").figures
    assert tkr(f.budget) == 60 and tkr(f.phased) == 40
    assert tkr(f.actual) == Fraction(312, 10)
    assert f.actual_share == Fraction(52, 100)
    assert tkr(f.variance) == Fraction(88, 10)
    assert format_amount(f.variance, "tkr", signed=True) == "+9 tkr"


def test_worked_example_development_line():
    f = node(example(), "Utvecklingsmedel").figures
    assert tkr(f.budget) == 240 and tkr(f.phased) == 60
    assert tkr(f.actual) == Fraction(855, 10)
    assert tkr(f.variance) == Fraction(-255, 10)
    assert format_amount(f.variance, "tkr", signed=True) == "-26 tkr"


def test_worked_example_income_line():
    f = node(example(), "Avgifter").figures
    assert f.income
    assert tkr(f.budget) == 120 and tkr(f.phased) == 80
    assert tkr(f.actual) == 70  # shown positive
    assert tkr(f.variance) == -10


def test_worked_example_total_is_net_cost():
    r = example()
    t = r.total
    assert not t.income
    assert tkr(t.budget) == 60 + 240 - 120
    assert tkr(t.phased) == 40 + 60 - 80
    assert tkr(t.actual) == Fraction(312 + 855 - 700, 10)
    assert tkr(t.variance) == Fraction(88 - 255 - 100, 10)
    assert r.tieout.difference == 0 and r.tieout.sum_in_period == 3_120_000 + 8_550_000 - 7_000_000


def test_rows_outside_the_period_are_left_out_and_counted():
    r = example()
    left = {(x.period, x.reason): (x.rows, x.amount) for x in r.tieout.left_out}
    assert left == {(202509, "efter bokslutsperioden"): (1, 9_999_900), (202408, "från ett annat år"): (1, 500)}
    assert r.tieout.rows_read == 6 and r.tieout.rows_in_period == 4
    assert slugs(r).count("utanfor-perioden") == 2


def test_forecast_budget():
    r = example("budget")
    for label in ("Kurs och konferens", "Utvecklingsmedel", "Avgifter"):
        f = node(r, label).figures
        assert f.forecast == f.budget and f.forecast_variance == 0


def test_forecast_rest_keeps_the_variance():
    r = example("rest")
    cost, dev, inc = (node(r, x).figures for x in ("Kurs och konferens", "Utvecklingsmedel", "Avgifter"))
    assert tkr(cost.forecast) == Fraction(512, 10) and tkr(cost.forecast_variance) == Fraction(88, 10)
    assert tkr(dev.forecast) == Fraction(2655, 10) and tkr(dev.forecast_variance) == Fraction(-255, 10)
    assert tkr(inc.forecast) == 110 and tkr(inc.forecast_variance) == -10
    assert r.total.forecast_variance == r.total.variance


def test_forecast_trend():
    r = example("trend")
    cost, dev, inc = (node(r, x).figures for x in ("Kurs och konferens", "Utvecklingsmedel", "Avgifter"))
    assert tkr(cost.forecast) == Fraction(468, 10)  # 31.2 ÷ 8/12
    assert tkr(dev.forecast) == 342  # 85.5 ÷ 25 %
    assert tkr(inc.forecast) == 105  # 70 ÷ 8/12
    assert tkr(inc.forecast_variance) == -15
    assert tkr(r.total.forecast) == Fraction(468 + 3420 - 1050, 10)


def test_trend_with_no_share_yet_is_the_budget_and_a_finding():
    keys = [KEY_HEADER, key_row("Höst", 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1)]
    budget = [BUDGET, line("Höstkurs", 40, "7*", key="Höst")]
    r = run(budget, [LEDGER, [202503, "7010", "", 5_000]], keys, period=8, method="trend", amounts_in="tkr")
    f = node(r, "Höstkurs").figures
    assert f.phased == 0 and tkr(f.forecast) == 40
    assert [x.where for x in r.findings if x.slug == "trend-utan-andel"] == ["Budget!A2"]


@pytest.mark.parametrize("method", ["budget", "rest", "trend"])
def test_a_manual_forecast_wins(method):
    budget = [BUDGET, line("Kurs", 60, "7050", prognos=55), line("Avgifter", 120, "3*", typ="Intäkt", prognos=130)]
    r = run(budget, EXAMPLE_LEDGER, period=8, method=method, amounts_in="tkr")
    assert tkr(node(r, "Kurs").figures.forecast) == 55
    assert tkr(node(r, "Kurs").figures.forecast_variance) == 5
    assert tkr(node(r, "Avgifter").figures.forecast) == 130
    assert tkr(node(r, "Avgifter").figures.forecast_variance) == 10


def test_commitments_and_kvar():
    budget = [BUDGET, line("Kurs", 60, "7050", intecknat=10), line("Avgifter", 120, "3*", typ="Intäkt")]
    r = run(budget, EXAMPLE_LEDGER, period=8, amounts_in="tkr")
    f = node(r, "Kurs").figures
    assert tkr(f.committed) == 10
    assert tkr(f.available) == Fraction(600 - 312 - 100, 10)
    assert tkr(r.total.committed) == 10


def test_budget_in_kr_with_ore():
    budget = [BUDGET, line("Kurs", "60 000,50", "7050")]
    r = run(budget, [LEDGER, [202501, "7050", "", "0,25"]], period=1)
    f = node(r, "Kurs").figures
    assert f.budget == 6_000_050 and f.phased == Fraction(6_000_050, 12) and f.actual == 25


def test_unallocated_remainder():
    budget = [BUDGET,
              line("Utvecklingsmedel", 450, "4000-7999", key="Utveckling", uppdrag="Utveckling"),
              line("Folkhälsa", 150, projekt="P1", parent="Utvecklingsmedel"),
              line("Seniorer", 200, projekt="P2", parent="Utvecklingsmedel")]
    ledger = [LEDGER, [202501, "4010", "P1", 1_000], [202501, "4010", "P2", 2_000], [202502, "5010", "", 4_000],
              [202502, "8010", "", 8_000]]
    r = run(budget, ledger, KEYS, period=8, amounts_in="tkr")
    parent, rest = node(r, "Utvecklingsmedel"), node(r, "Utvecklingsmedel › Ofördelat")
    assert [c.label for c in parent.children] == ["Folkhälsa", "Seniorer", "Ofördelat"]
    assert rest.generated and rest.key.name == "Utveckling" and rest.assignment == "Utveckling"
    assert tkr(rest.figures.budget) == 100 and tkr(rest.figures.phased) == 25
    assert rest.figures.actual == 400_000
    assert tkr(parent.figures.budget) == 450
    assert parent.figures.actual == 700_000
    assert r.unbudgeted.actual == 800_000
    assert "overfordelat" not in slugs(r)


def test_over_allocation_is_a_finding_and_the_children_count():
    budget = [BUDGET, line("Utveckling", 300, "4*"), line("A", 150, projekt="P1", parent="Utveckling"),
              line("B", 200, projekt="P2", parent="Utveckling")]
    r = run(budget, [LEDGER, [202501, "4010", "P1", 1]], period=8, amounts_in="tkr")
    assert tkr(node(r, "Utveckling").figures.budget) == 350
    assert [c.label for c in node(r, "Utveckling").children] == ["A", "B"]
    found = [f for f in r.findings if f.slug == "overfordelat"]
    assert len(found) == 1 and found[0].where == "Budget!D2"
    assert "Utveckling" in found[0].message


def test_parent_without_budget_sums_its_children():
    budget = [BUDGET, line("Nämnd", None), line("A", 100, "4*", parent="Nämnd"), line("B", 50, "5*", parent="Nämnd")]
    r = run(budget, [LEDGER, [202501, "4010", "", 1]], period=8, amounts_in="tkr")
    assert tkr(node(r, "Nämnd").figures.budget) == 150
    assert not any(c.generated for c in node(r, "Nämnd").children)
    assert "overfordelat" not in slugs(r)


def test_mixed_parent_nets_income_against_cost():
    budget = [BUDGET, line("Navet", None, typ="Kostnad"),
              line("Entréavgifter", 120, "3*", parent="Navet", typ="Intäkt"),
              line("Personal", 300, "5*", parent="Navet")]
    ledger = [LEDGER, [202501, "3010", "", -70_000], [202501, "5010", "", 150_000]]
    r = run(budget, ledger, period=8, amounts_in="tkr")
    navet = node(r, "Navet").figures
    assert not navet.income
    assert tkr(navet.budget) == 180 and tkr(navet.phased) == 120 and tkr(navet.actual) == 80
    assert navet.variance == node(r, "Entréavgifter").figures.variance + node(r, "Personal").figures.variance
    assert tkr(navet.variance) == 40
    assert r.total.actual == navet.actual


def test_mixed_parent_with_budget_nets_before_the_remainder():
    budget = [BUDGET, line("Navet", 200, typ="Kostnad"),
              line("Entréavgifter", 120, "3*", parent="Navet", typ="Intäkt"),
              line("Personal", 300, "5*", parent="Navet")]
    r = run(budget, [LEDGER, [202501, "5010", "", 1]], period=8, amounts_in="tkr")
    assert tkr(node(r, "Navet › Ofördelat").figures.budget) == 20  # 200 − (300 − 120)
    assert tkr(node(r, "Navet").figures.budget) == 200


def test_types_without_typ_follow_the_konto_class():
    budget = [BUDGET, line("Verksamhet", None), line("Avgifter", 120, "3*", parent="Verksamhet"),
              line("Bidrag", 30, "35*", parent="Avgifter"), line("Personal", 300, "5*", parent="Verksamhet"),
              line("Intäkter", 50, "3900-3999"), line("Övrigt", 10, "*")]
    ledger = [LEDGER, [202501, "3010", "", -70_000], [202501, "5010", "", 150_000]]
    r = run(budget, ledger, period=8, amounts_in="tkr")
    kinds = {n.label: n.income for n in r.nodes()}
    assert kinds == {"Verksamhet": False, "Avgifter": True, "Bidrag": True, "Ofördelat": True, "Personal": False,
                     "Intäkter": True, "Övrigt": False}
    assert tkr(node(r, "Verksamhet").figures.budget) == 300 - 120
    assert tkr(node(r, "Verksamhet").figures.actual) == 80


def test_result_statement_groups_by_uppdrag_in_result_sign():
    r = example()
    groups = dict(r.assignments)
    assert list(groups) == ["Politik", "Utvecklingsmedel"]
    politik = groups["Politik"]
    assert tkr(politik.actual) == Fraction(700 - 312, 10)  # income + , cost −
    assert tkr(politik.budget) == 120 - 60
    assert tkr(politik.phased) == 80 - 40
    assert tkr(groups["Utvecklingsmedel"].actual) == Fraction(-855, 10)
    assert politik.forecast_variance == 0


def test_lines_without_uppdrag_are_grouped_under_their_top_level_line():
    budget = [BUDGET, line("Nämnd", None, uppdrag=None), line("Arvoden", 100, "5*", parent="Nämnd"),
              line("Resor", 20, "7*", parent="Nämnd", uppdrag="Resor"),
              line("Avgifter", 50, "3*", typ="Intäkt")]
    ledger = [LEDGER, [202501, "5010", "", 10_000], [202501, "7010", "", 2_000], [202501, "3010", "", -500]]
    r = run(budget, ledger, period=8, amounts_in="tkr")
    groups = dict(r.assignments)
    assert list(groups) == ["Nämnd", "Resor", "Avgifter"]
    assert tkr(groups["Nämnd"].actual) == -10 and tkr(groups["Resor"].actual) == -2
    assert tkr(groups["Avgifter"].actual) == Fraction(5, 10)
    assert "Ej budgeterat" not in groups


def test_the_period_defaults_to_the_latest_booked_month_of_the_year():
    ledger = [LEDGER, [202503, "7050", "", 1], [202605, "7050", "", 2], [202411, "7050", "", 4]]
    r = run([BUDGET, line("Kurs", 60, "7050")], ledger, period=None, amounts_in="tkr")
    assert (r.year, r.period, r.period_label) == (2025, 3, "jan–mar")
    assert node(r, "Kurs").figures.actual == 100
    r = run([BUDGET, line("Kurs", 60, "7050")], ledger, year=None, period=None, amounts_in="tkr")
    assert (r.year, r.period) == (2026, 5)


def test_period_zero_gives_a_report_with_zeros():
    budget = [BUDGET, line("Kurs", 60, "7050"), line("Avgifter", 120, "3*", typ="Intäkt")]
    for ledger in ([LEDGER], [LEDGER, [202412, "7050", "", 500]]):
        r = run(budget, ledger, period=None, method="trend", amounts_in="tkr")
        assert r.period == 0 and r.period_label == "2025, 0 mån"
        f = node(r, "Kurs").figures
        assert f.phased == 0 and f.actual == 0 and f.variance == 0
        assert tkr(f.forecast) == 60  # trend with no share: the budget, no finding before anything is booked
        assert "trend-utan-andel" not in slugs(r)
        assert r.unbudgeted is None
        assert r.tieout.sum_in_period == 0 and r.tieout.difference == 0
        assert tkr(r.total.budget) == -60


def test_an_explicit_closing_period_excludes_later_rows():
    ledger = [LEDGER, [202503, "7050", "", 1], [202504, "7050", "", 2]]
    r = run([BUDGET, line("Kurs", 60, "7050")], ledger, period=3, amounts_in="tkr")
    assert node(r, "Kurs").figures.actual == 100
    assert [(x.period, x.rows) for x in r.tieout.left_out] == [(202504, 1)]


def test_an_income_budget_typed_in_ledger_sign_is_read_as_income():
    negative = [BUDGET,
                line("Kurs och konferens", 60, "7050", typ="Kostnad", uppdrag="Politik"),
                line("Utvecklingsmedel", 240, "4*", typ="Kostnad", key="Utveckling", uppdrag="Utvecklingsmedel"),
                line("Avgifter", -120, "3*", typ="Intäkt", uppdrag="Politik", prognos=-130)]
    report = example(budget=negative)
    f = node(report, "Avgifter").figures
    assert tkr(f.budget) == 120 and tkr(f.phased) == 80 and tkr(f.variance) == -10
    assert tkr(f.forecast) == 130
    assert "negativ-intaktsbudget" in slugs(report)
    assert report.total.budget == example().total.budget
