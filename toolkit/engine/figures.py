"""The figures of one row of the report, and how rows add up.

Every ``Figures`` is kept in its row's own sign: a cost line shows costs as
positive amounts, an income line shows income as positive amounts. Adding a
child into a parent of the other type subtracts it, so a cost total is net
cost (costs − income). Variances are favourable-positive whatever the type,
which is why a parent's variance is always the plain sum of its children's.
Amounts are ``Fraction`` of öre: exact, rounded only for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

ZERO = Fraction(0)


@dataclass(frozen=True)
class Figures:
    income: bool
    budget: Fraction = ZERO  # annual budget (helår): the revised budget, original + counted changes
    phased: Fraction = ZERO  # periodiserad budget for months 1..P
    actual: Fraction = ZERO  # utfall for months 1..P
    forecast: Fraction = ZERO  # prognos helår
    committed: Fraction = ZERO  # intecknat
    changes: Fraction = ZERO  # Budgetändringar counted in ``budget`` (dated up to the closing period)
    last_year: Fraction = ZERO  # fjolår: last year's utfall for months 1..P (0 when there is no last year)

    @property
    def original(self) -> Fraction:
        """Ursprunglig budget: the budget before the year's changes."""
        return self.budget - self.changes

    @property
    def variance(self) -> Fraction:
        """Avvikelse (periodiserad): positive = favourable."""
        return self.actual - self.phased if self.income else self.phased - self.actual

    @property
    def forecast_variance(self) -> Fraction:
        """Avvikelse budget–prognos: positive = favourable."""
        return self.forecast - self.budget if self.income else self.budget - self.forecast

    @property
    def available(self) -> Fraction:
        """Kvar att disponera = budget − utfall − intecknat."""
        return self.budget - self.actual - self.committed

    @property
    def actual_share(self) -> Fraction | None:
        """Utfall % as a fraction; None when the budget is 0."""
        return None if self.budget == 0 else self.actual / self.budget

    def as_sign(self, income: bool) -> Figures:
        """The same figures seen from a row of type ``income``."""
        if income == self.income:
            return self
        return Figures(income, -self.budget, -self.phased, -self.actual, -self.forecast, -self.committed,
                       changes=-self.changes, last_year=-self.last_year)


def combine(parts: Iterable[Figures], income: bool) -> Figures:
    """Σ of ``parts`` in the sign of a row of type ``income``."""
    budget = phased = actual = forecast = committed = changes = last_year = ZERO
    for part in parts:
        p = part.as_sign(income)
        budget += p.budget
        phased += p.phased
        actual += p.actual
        forecast += p.forecast
        committed += p.committed
        changes += p.changes
        last_year += p.last_year
    return Figures(income, budget, phased, actual, forecast, committed, changes=changes, last_year=last_year)


def in_row_sign(ledger_sum: int, income: bool) -> Fraction:
    """A ledger sum (öre, debit positive) as a row of type ``income`` shows it:
    costs positive on a cost row, income positive on an income row."""
    return Fraction(-ledger_sum if income else ledger_sum)
