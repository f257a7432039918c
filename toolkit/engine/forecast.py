"""Prognos (full-year forecast) of a line: the economist's own figure wins;
otherwise the method:

- ``budget`` — utfall enligt budget: the forecast is the annual budget;
- ``rest`` — rest enligt budget: utfall + the periodised budget of the
  remaining months (keeps the year-to-date variance to year end);
- ``trend`` — utfall ÷ the key's share of the year so far (the same pace,
  seasonally adjusted). With no share yet (period 0, or a key with nothing in
  months 1..P) it falls back to the budget, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from .changes import Change, phased_share
from .figures import Figures, in_row_sign
from .periodisation import share as key_share

if TYPE_CHECKING:
    from .tree import Node


def forecast(method: str, *, budget: Fraction, phased: Fraction, actual: Fraction, share: Fraction,
             manual: Fraction | None = None) -> tuple[Fraction, bool]:
    """(prognos, fell_back) in the line's own sign."""
    if manual is not None:
        return manual, False
    if method == "budget":
        return budget, False
    if method == "rest":
        return actual + (budget - phased), False
    if method == "trend":
        if share == 0:
            return budget, True
        return actual / share, False
    raise ValueError(f"unknown forecast method {method!r}")


def line_figures(leaf: Node, ledger_sum: int, period: int, method: str,
                 changes: Sequence[Change] = ()) -> tuple[Figures, bool]:
    """A leaf's figures for months 1..``period``: its budget periodised by its
    key, its utfall (``ledger_sum``, öre debit positive) and its forecast, all
    in the line's own sign; and whether the forecast fell back to the budget.

    Prognos and Intecknat are typed like the line's Budget: an income line
    whose budget was typed negative (the ledger's sign) has them negative too,
    and they are turned the same way.

    ``changes`` (Budgetändringar of the line): those counted are added to the
    budget, each periodised from the month it takes effect (``engine.changes``)."""
    s = key_share(leaf.key.weights, period)
    original = Fraction(leaf.budget)  # öre
    counted = [c for c in changes if c.counted]
    changed = sum((Fraction(c.amount) for c in counted), Fraction(0))
    budget = original + changed
    phased = original * s + sum((c.amount * phased_share(leaf.key.weights, c.start, period) for c in counted),
                                Fraction(0))
    actual = in_row_sign(ledger_sum, leaf.income)
    line = leaf.line
    manual = line.forecast if line is not None else None
    committed = (line.committed or 0) if line is not None else 0
    if leaf.ledger_sign:
        manual = -manual if manual is not None else None
        committed = -committed
    value, fell_back = forecast(method, budget=budget, phased=phased, actual=actual, share=s,
                                manual=Fraction(manual) if manual is not None else None)
    return Figures(leaf.income, budget, phased, actual, value, Fraction(committed), changed), fell_back
