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

from fractions import Fraction


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
