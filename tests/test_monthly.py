"""Månadsuppföljning's figures (engine/monthly.py): the year month by month for
the total, each Uppdrag and each top-level line — utfall, periodised budget,
their running sums, the cumulative variance and the forecast path — exact to
the öre and adding up to the year's figures on Sammanställning."""

from __future__ import annotations

from fractions import Fraction

import pytest
from builders import KEY_HEADER, key_row, node, run
from hypothesis import given
from test_invariants import SETTINGS, budgets, ledger_rows, methods, periods, reconcile_or_none

from toolkit.engine import monthly
from toolkit.engine.consolidation import Unit, consolidate
from toolkit.engine.figures import Figures, combine

BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Uppdrag", "Periodisering", "Prognos"],
    ["Verksamhet", None, "Kostnad", None, None, "Kärnan", None, None],
    ["Löner", "Verksamhet", None, 120000, "5*", None, None, None],
    ["Hyra", "Verksamhet", None, 65000, "6*", None, "Höst", None],
    ["Utveckling", None, "Kostnad", 40000, "7*", "Utveckling", "Höst", 30000],
    ["Avgifter", None, "Intäkt", 24000, "3*", "Kärnan", None, None],
]
KEYS = [KEY_HEADER, key_row("Höst", 1, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 1)]
LEDGER = [
    ["Period", "Konto", "Belopp"],
    [202501, 5010, "9 000,25"], [202502, 5010, 11000], [202503, 5010, 10500], [202503, 6010, 7000],
    [202502, 3010, -2500], [202504, 3010, "-1 999,99"], [202504, 7010, 4000], [202505, 7010, 4000],
    [202505, 8010, "12,34"], [202509, 5010, 99999], [202412, 5010, 5555],
]


def areas(report, kind):
    return {a.name: a for a in report.monthly if a.kind == kind}


def check_adds_up(report) -> None:
    """Every area against the year figures it stands for; the monthly invariants."""
    p = report.period
    by_kind = {kind: areas(report, kind) for kind in (monthly.TOTAL, monthly.ASSIGNMENT, monthly.LINE)}
    year = {(monthly.TOTAL, "Totalt"): report.total}
    year.update({(monthly.ASSIGNMENT, name): f for name, f in report.assignments if name != "Ej budgeterat"})
    year.update({(monthly.LINE, root.label): root.figures for root in report.roots})
    if report.unbudgeted is not None:
        year[(monthly.LINE, "Ej budgeterat")] = report.unbudgeted
    assert {(a.kind, a.name) for a in report.monthly} == set(year)
    assert report.monthly[0].kind == monthly.TOTAL
    for a in report.monthly:
        s = a.series
        f: Figures = year[(a.kind, a.name)].as_sign(s.income)
        assert len(s.actual) == len(s.phased) == len(s.path) == 12
        assert s.actual_to_date == f.actual  # Σ months 1..P = Sammanställning's utfall, to the öre
        assert s.budget == f.budget  # Σ of the twelve periodised months = the annual budget
        assert s.forecast == f.forecast  # the path ends at the forecast
        cum_actual, cum_phased, variance = s.cumulative_actual(), s.cumulative_phased(), s.cumulative_variance()
        assert cum_phased[-1] == f.budget
        if p:
            assert cum_actual[p - 1] == f.actual and cum_phased[p - 1] == f.phased
            assert variance[p - 1] == f.variance
            if p < 12:
                assert s.forecast_path()[p - 1] == f.actual  # the path starts where the utfall ends
        assert all(v is None for v in cum_actual[p:]) and all(v is not None for v in cum_actual[:p])
        assert all(v is None for v in s.monthly_actual()[p:])
        assert all(v is None for v in variance[p:])
        path = s.forecast_path()
        assert all(v is None for v in path[:max(p - 1, 0)]) and all(v is not None for v in path[max(p - 1, 0):])
        assert all(isinstance(v, Fraction) for v in (*s.actual, *s.phased, *s.path))
    total = by_kind[monthly.TOTAL]["Totalt"].series
    for field in ("actual", "phased", "path"):
        # Σ of the top-level lines and Ej budgeterat, in the total's sign, is the total, month by month
        lines = monthly.combine([a.series for a in by_kind[monthly.LINE].values()], False, p)
        assert getattr(lines, field) == getattr(total, field)
        groups = monthly.combine([a.series for a in by_kind[monthly.ASSIGNMENT].values()]
                                 + ([by_kind[monthly.LINE]["Ej budgeterat"].series] if report.unbudgeted else []),
                                 False, p)
        assert getattr(groups, field) == getattr(total, field)


def test_example_month_by_month():
    report = run(BUDGET, LEDGER, KEYS, period=5, method="budget")
    check_adds_up(report)
    total = areas(report, monthly.TOTAL)["Totalt"].series
    ore = 100
    # January: 9 000,25 of wages; February: 11 000 of wages, 2 500 of income (net cost); …; May with Ej budgeterat
    assert total.monthly_actual()[:5] == (900025, 1100000 - 250000, 1050000 + 700000, 400000 - 199999,
                                          400000 + 1234)
    assert total.monthly_actual()[5:] == (None,) * 7  # September's 99 999 is after the closing period
    assert total.cumulative_actual()[4] == report.total.actual
    loner = areas(report, monthly.LINE)["Verksamhet"]
    assert not loner.net and not loner.series.income
    avgifter = areas(report, monthly.LINE)["Avgifter"].series
    assert avgifter.income and avgifter.monthly_actual()[:5] == (0, 250000, 0, 199999, 0)  # income shown positive
    assert avgifter.phased == (Fraction(24000 * ore, 12),) * 12
    # the autumn key: Hyra 65 000 over weights summing to 13
    hyra = monthly.line_series(node(report, "Hyra").figures, node(report, "Hyra").key.weights,
                               [0, 0, 700000, 0, 0, 0, 0, 0, 0, 0, 0, 0], 5)
    assert hyra.phased[:3] == (Fraction(65000 * ore, 13),) * 3 and hyra.phased[6] == 0 \
        and hyra.phased[8] == Fraction(2 * 65000 * ore, 13)


def test_uppdrag_and_the_total_are_net_cost_and_income_areas_income():
    report = run(BUDGET, LEDGER, KEYS, period=5)
    kärnan = areas(report, monthly.ASSIGNMENT)["Kärnan"]
    assert kärnan.net and not kärnan.series.income  # Verksamhet (costs) and Avgifter (income): net cost
    expected = combine([node(report, "Verksamhet").figures, node(report, "Avgifter").figures], income=False)
    assert kärnan.series.actual_to_date == expected.actual and kärnan.series.forecast == expected.forecast
    total = areas(report, monthly.TOTAL)["Totalt"]
    assert total.net and not total.series.income


FLAT = [["Rad", "Typ", "Budget", "Konto", "Periodisering"],
        ["Löner", "Kostnad", 120000, "5*", None], ["Hyra", "Kostnad", 65000, "6*", "Höst"]]


@pytest.mark.parametrize("method", ["budget", "rest", "trend"])
def test_forecast_path_follows_the_method_and_ends_at_the_forecast(method):
    report = run(FLAT, LEDGER, KEYS, period=5, method=method)
    check_adds_up(report)
    for label in ("Löner", "Hyra"):
        line = node(report, label)
        weights = [Fraction(w) for w in line.key.weights]
        whole, so_far = sum(weights), sum(weights[:5])
        path = areas(report, monthly.LINE)[label].series.forecast_path()
        actual, budget = line.figures.actual, line.figures.budget
        assert path[4] == actual and path[-1] == line.figures.forecast
        for m in range(5, 12):
            done = sum(weights[5:m + 1])
            if method == "rest":  # utfall + the periodised budget of the months since P
                assert path[m] == actual + budget * done / whole
            elif method == "trend":  # the same pace: utfall ÷ the share so far × the share up to month m
                assert path[m] == actual / (so_far / whole) * (so_far + done) / whole
            else:  # budget: the gap to the budget closed in the key's rhythm
                assert path[m] == actual + (budget - actual) * done / (whole - so_far)


def test_own_prognos_ends_the_path():
    report = run(BUDGET, LEDGER, KEYS, period=5, method="rest")
    utveckling = areas(report, monthly.ASSIGNMENT)["Utveckling"].series
    assert utveckling.forecast == 30000 * 100 == node(report, "Utveckling").figures.forecast
    assert utveckling.forecast_path()[4] == 800000  # utfall jan–maj
    # the rest (22 000) spread by the autumn key over Jun–Dec: weights 1, 0, 0, 2, 2, 2, 1 (sum 8)
    assert utveckling.forecast_path()[5:] == tuple(800000 + Fraction(2200000 * w, 8) for w in (1, 1, 1, 3, 5, 7, 8))


def test_nothing_booked_yet_the_path_runs_from_january():
    report = run(BUDGET, LEDGER, KEYS, period=0, method="budget")
    check_adds_up(report)
    total = areas(report, monthly.TOTAL)["Totalt"].series
    assert total.cumulative_actual() == (None,) * 12 and total.first_forecast_month == 0
    assert total.forecast_path()[0] is not None and total.forecast_path()[-1] == report.total.forecast


def test_december_closed_the_path_is_the_forecast():
    report = run(BUDGET, LEDGER, KEYS, period=12, method="budget")
    check_adds_up(report)
    total = areas(report, monthly.TOTAL)["Totalt"].series
    assert total.forecast_path()[:11] == (None,) * 11
    assert total.forecast_path()[11] == report.total.forecast
    assert total.cumulative_actual()[11] == report.total.actual


def test_a_key_with_nothing_left_spreads_the_rest_evenly():
    keys = [KEY_HEADER, key_row("Vår", 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0)]
    budget = [["Rad", "Typ", "Budget", "Konto", "Periodisering"], ["Kurs", "Kostnad", 60000, "5*", "Vår"]]
    ledger = [["Period", "Konto", "Belopp"], [202507, 5010, 10000]]
    report = run(budget, ledger, keys, period=7, method="budget")
    check_adds_up(report)
    path = areas(report, monthly.LINE)["Kurs"].series.forecast_path()
    assert path[6:] == tuple(1000000 + Fraction(5000000 * k, 5) for k in range(6))


def test_uppdrag_equal_to_a_line_or_the_unit_is_shown_once():
    report = run(BUDGET, LEDGER[:-3], KEYS, period=5)  # no Ej budgeterat
    shown = [(a.kind, a.name) for a in monthly.distinct(report.monthly)]
    assert shown == [("total", "Totalt"), ("uppdrag", "Kärnan"), ("uppdrag", "Utveckling"), ("rad", "Verksamhet"),
                     ("rad", "Avgifter")]  # the line Utveckling is its Uppdrag
    single = [row[:5] + ["Allt"] + row[6:] if i else row for i, row in enumerate(BUDGET)]
    report = run(single, LEDGER[:8], KEYS, period=5)
    assert [(a.kind, a.name) for a in monthly.distinct(report.monthly)][:2] == [("total", "Totalt"), ("rad", "Verksamhet")]


def test_consolidation_adds_the_units_month_by_month():
    a = run(BUDGET, LEDGER, KEYS, period=5, method="rest")
    other = [row[:5] + ["Annat"] + row[6:] if i == 4 else row for i, row in enumerate(BUDGET)]
    b = run(other, LEDGER[:6], KEYS, period=5, method="trend")
    report = consolidate([Unit("A", "a.xlsx", a), Unit("B", "b.xlsx", b)], "Förbund")
    check_adds_up(report)
    total = areas(report, monthly.TOTAL)["Totalt"].series
    parts = [areas(r, monthly.TOTAL)["Totalt"].series for r in (a, b)]
    assert total.path == tuple(x + y for x, y in zip(parts[0].path, parts[1].path))
    assert set(areas(report, monthly.ASSIGNMENT)) == {"Kärnan", "Utveckling", "Annat"}
    kärnan = areas(report, monthly.ASSIGNMENT)["Kärnan"].series
    assert kärnan.actual == tuple(x + y for x, y in zip(areas(a, monthly.ASSIGNMENT)["Kärnan"].series.actual,
                                                       areas(b, monthly.ASSIGNMENT)["Kärnan"].series.actual))
    assert [a.name for a in report.monthly if a.kind == monthly.LINE][-1] == "Ej budgeterat"


@SETTINGS
@given(budgets(), ledger_rows, periods, methods)
def test_monthly_series_add_up_for_any_budget_and_ledger(budget, rows, period, method):
    report = reconcile_or_none(budget, rows, period, method)
    if report is None:
        return
    check_adds_up(report)
    # each month's utfall of the total is that month's ledger, to the öre
    p = report.period
    total = areas(report, monthly.TOTAL)["Totalt"].series
    for m in range(p):
        assert total.actual[m] == sum(ore for per, *_, ore in rows if per == 202500 + m + 1)
