"""Periodisation keys: 12 monthly weights; the share of the year up to the
closing period is Σ weights of months 1..P ÷ Σ all 12."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ..contract import BUILT_IN, CALENDAR_DAYS, LAST_YEAR_PROFILE, LINEAR, WORKING_DAYS
from .model import Key

__all__ = ["BUILT_IN", "LINEAR", "builtin_key", "share", "ytd"]



def linear(year: int) -> tuple[Decimal, ...]:
    return (Decimal(1),) * 12


def calendar_days(year: int) -> tuple[Decimal, ...]:
    return tuple(Decimal(calendar.monthrange(year, m)[1]) for m in range(1, 13))


@lru_cache(maxsize=8)
def working_days(year: int) -> tuple[Decimal, ...]:
    """Swedish working days: weekdays that are not public holidays (including
    midsommarafton, julafton and nyårsafton, which the `holidays` package
    lists as Swedish non-working days)."""
    import holidays

    off = holidays.country_holidays("SE", years=year, include_sundays=False, categories=("public", "de_facto"))
    counts = [0] * 12
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 and day not in off:
            counts[day.month - 1] += 1
        day += dt.timedelta(days=1)
    return tuple(Decimal(n) for n in counts)


def builtin_key(name: str, year: int) -> Key:
    """A built-in key's weights for ``year``. Fjolårsprofil's are each line's own
    (``last_year.profile_key``, once last year's rows are mapped): linear until then."""
    maker = {LINEAR: linear, CALENDAR_DAYS: calendar_days, WORKING_DAYS: working_days, LAST_YEAR_PROFILE: linear}[name]
    return Key(name, maker(year), "inbyggd")


def ytd(weights: tuple[Decimal, ...], period: int) -> tuple[Decimal, Decimal]:
    """(Σ weights of months 1..period, Σ all weights)."""
    return sum(weights[:period], Decimal(0)), sum(weights, Decimal(0))


def share(weights: tuple[Decimal, ...], period: int) -> Fraction:
    part, whole = ytd(weights, period)
    return Fraction(part) / Fraction(whole)
