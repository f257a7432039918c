"""The figures of one row, how rows add up, forecasts and exact money."""

from __future__ import annotations

from fractions import Fraction

import pytest

from toolkit.engine.figures import Figures, combine
from toolkit.engine.forecast import forecast
from toolkit.money import format_amount, format_kr, parse_ore, round_half_up

F = Fraction


def cost(**kw) -> Figures:
    return Figures(False, **{k: F(v) for k, v in kw.items()})


def income(**kw) -> Figures:
    return Figures(True, **{k: F(v) for k, v in kw.items()})


def test_cost_line_signs():
    f = cost(budget=60_000, phased=40_000, actual=31_200, forecast=70_000, committed=10_000)
    assert f.variance == 8_800  # periodiserad budget − utfall
    assert f.forecast_variance == -10_000  # budget − prognos
    assert f.available == 18_800  # budget − utfall − intecknat
    assert f.actual_share == F(52, 100)


def test_income_line_signs():
    f = income(budget=120_000, phased=80_000, actual=70_000, forecast=110_000)
    assert f.variance == -10_000  # utfall − periodiserad budget
    assert f.forecast_variance == -10_000  # prognos − budget
    assert f.available == 50_000


def test_utfall_share_is_blank_without_budget():
    assert cost(actual=5).actual_share is None


def test_combine_nets_income_against_cost():
    a = cost(budget=300, phased=100, actual=150, forecast=320, committed=5)
    b = income(budget=120, phased=80, actual=70, forecast=110)
    net = combine([a, b], income=False)
    assert (net.budget, net.phased, net.actual, net.forecast, net.committed) == (180, 20, 80, 210, 5)
    # favourable-positive variances add up plainly, whatever the types
    assert net.variance == a.variance + b.variance
    assert net.forecast_variance == a.forecast_variance + b.forecast_variance
    result = combine([a, b], income=True)  # result sign: income +, cost −
    assert (result.budget, result.actual) == (-180, -80)
    assert result.variance == net.variance


@pytest.mark.parametrize("method, expected", [
    ("budget", F(60_000)),
    ("rest", F(31_200 + 60_000 - 40_000)),
    ("trend", F(31_200 * 3, 2)),
])
def test_forecast_methods(method, expected):
    value, fell_back = forecast(method, budget=F(60_000), phased=F(40_000), actual=F(31_200), share=F(2, 3))
    assert value == expected and not fell_back


@pytest.mark.parametrize("method", ["budget", "rest", "trend"])
def test_manual_forecast_wins(method):
    assert forecast(method, budget=F(1), phased=F(1), actual=F(1), share=F(1, 2), manual=F(0)) == (0, False)


def test_trend_without_share_falls_back_to_budget():
    assert forecast("trend", budget=F(500), phased=F(0), actual=F(7), share=F(0)) == (500, True)


def test_unknown_method():
    with pytest.raises(ValueError):
        forecast("gissning", budget=F(1), phased=F(1), actual=F(1), share=F(1))


@pytest.mark.parametrize("value, ore", [
    (1234.5, 123450), ("1 234,50", 123450), ("-1 234,50", -123450), ("1\u00a0234,50", 123450),
    ("1.234,50", 123450), ("1234.50", 123450), ("1 234,50-", -123450), ("\u2212500", -50000),
    ("(500)", -50000), ("12 kr", 1200), (0.1, 10), (-0.005, -1), ("", None), (None, None),
])
def test_parse_ore(value, ore):
    assert parse_ore(value) == ore


@pytest.mark.parametrize("value", ["12,3,4", "abc", "1 2,3.4", True, float("nan")])
def test_not_amounts(value):
    with pytest.raises(ValueError):
        parse_ore(value)


def test_rounding_and_display():
    assert round_half_up(F(5, 2)) == 3 and round_half_up(F(-5, 2)) == -3
    assert format_amount(F(880_000), "tkr", signed=True) == "+9 tkr"  # 8.8 tkr
    assert format_amount(F(-2_550_000), "tkr", signed=True) == "-26 tkr"  # −25.5 tkr
    assert format_amount(F(124_000_000), "tkr") == "1 240 tkr"
    assert format_kr(123456) == "1 234,56" and format_kr(-5) == "-0,05"
