"""Månadsuppföljning: the year month by month, for the unit's total, each
Uppdrag and each top-level line (an *area*).

For every month Jan–Dec an area has its utfall (months up to the closing
period P; none after), its periodised budget (the annual budget spread by
each line's key: Σ of the twelve = the budget, Σ of months 1..P = the
periodiserad budget), and the running sums of both; the cumulative variance
is favourable-positive as on Sammanställning.

The **forecast path** is the cumulative year as the forecast sees it: up to P
it is the cumulative utfall; from P to December each line's remaining forecast
(Prognos − utfall) is spread over the remaining months by the line's own key,
so the path ends at the line's Prognos.  This is the forecast method month by
month: ``rest`` follows the remaining periodised budget, ``trend`` the same
pace as so far, ``budget`` and an own Prognos close the gap to their figure in
the key's rhythm.  Where the key has no weight left after P the remainder is
spread evenly; at P = 12 the path is the forecast at December.  An area's
path is the sum of its lines' paths.

Everything is exact (``Fraction`` of öre), in the area's own sign (as
``Figures``): a cost area shows costs positive (net of its income lines), an
income area income positive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from ..layout import TOTAL_KEY, UNBUDGETED_KEY, UNBUDGETED_LABEL
from .changes import Change, spread
from .figures import Figures, in_row_sign

if TYPE_CHECKING:
    from .results import Line

MONTHS_IN_YEAR = 12
ZERO = Fraction(0)

TOTAL = "total"  # the unit's Totalt (net cost, Ej budgeterat included)
ASSIGNMENT = "uppdrag"  # an Uppdrag, as on Resultaträkning
LINE = "rad"  # a top-level line of Sammanställning (or Ej budgeterat)


@dataclass(frozen=True)
class Series:
    """One area's year, month by month (index 0 = January), in its own sign."""

    income: bool
    period: int  # the closing month P, 0..12
    actual: tuple[Fraction, ...]  # utfall per month; 0 after P
    phased: tuple[Fraction, ...]  # periodiserad budget per month
    path: tuple[Fraction, ...]  # the forecast path: cumulative, at each month's end

    @property
    def budget(self) -> Fraction:
        return sum(self.phased, ZERO)

    @property
    def actual_to_date(self) -> Fraction:
        return sum(self.actual, ZERO)

    @property
    def forecast(self) -> Fraction:
        return self.path[-1]

    @property
    def first_forecast_month(self) -> int:
        """The month index the forecast path is shown from: the closing month
        (where it meets the cumulative utfall), January when nothing is booked."""
        return max(self.period - 1, 0)

    def monthly_actual(self) -> tuple[Fraction | None, ...]:
        """Utfall per month; None after the closing period."""
        return tuple(a if m < self.period else None for m, a in enumerate(self.actual))

    def cumulative_actual(self) -> tuple[Fraction | None, ...]:
        return _running(self.actual, self.period)

    def cumulative_phased(self) -> tuple[Fraction, ...]:
        return _running(self.phased, MONTHS_IN_YEAR)

    def cumulative_variance(self) -> tuple[Fraction | None, ...]:
        """Ackumulerad avvikelse, positive = favourable; None after the closing period."""
        return tuple(None if a is None else (a - p if self.income else p - a)
                     for a, p in zip(self.cumulative_actual(), self.cumulative_phased()))

    def forecast_path(self) -> tuple[Fraction | None, ...]:
        """The forecast path from the closing month to December; None before."""
        first = self.first_forecast_month
        return tuple(v if m >= first else None for m, v in enumerate(self.path))

    def as_sign(self, income: bool) -> Series:
        if income == self.income:
            return self
        return Series(income, self.period, _neg(self.actual), _neg(self.phased), _neg(self.path))


def _running(values: Sequence[Fraction], upto: int) -> tuple:
    out, total = [], ZERO
    for m, value in enumerate(values):
        total += value
        out.append(total if m < upto else None)
    return tuple(out)


def _neg(values: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    return tuple(-v for v in values)


def combine(parts: Iterable[Series], income: bool, period: int) -> Series:
    """Σ of ``parts`` in the sign of an area of type ``income`` (as ``figures.combine``)."""
    actual = [ZERO] * MONTHS_IN_YEAR
    phased = [ZERO] * MONTHS_IN_YEAR
    path = [ZERO] * MONTHS_IN_YEAR
    for part in parts:
        p = part.as_sign(income)
        for m in range(MONTHS_IN_YEAR):
            actual[m] += p.actual[m]
            phased[m] += p.phased[m]
            path[m] += p.path[m]
    return Series(income, period, tuple(actual), tuple(phased), tuple(path))


def line_series(figures: Figures, weights: Sequence[Decimal], month_sums: Sequence[int], period: int,
                changes: Sequence[Change] = ()) -> Series:
    """A leaf line's year: ``figures`` (its year figures, as ``forecast.line_figures``
    gives them), its key's ``weights`` and its ledger sums per month
    (``month_sums``: öre, debit positive, months 1..12; months after P are not
    utfall). ``changes``: the line's Budgetändringar; the original budget is
    spread by the key over the year, each counted change from its own month
    (``changes.spread``)."""
    income = figures.income
    actual = tuple(in_row_sign(month_sums[m], income) if m < period else ZERO for m in range(MONTHS_IN_YEAR))
    whole = sum((Fraction(w) for w in weights), ZERO)
    phased = tuple(figures.original * Fraction(w) / whole for w in weights) if whole else (ZERO,) * MONTHS_IN_YEAR
    for change in changes:
        if change.counted:
            phased = tuple(p + change.amount * part for p, part in zip(phased, spread(weights, change.start)))
    return Series(income, period, actual, phased, _path(actual, figures.forecast, weights, period))


def _path(actual: Sequence[Fraction], forecast: Fraction, weights: Sequence[Decimal], period: int) -> tuple:
    """Cumulative utfall up to P, then the rest of ``forecast`` spread by the
    key's remaining weights (evenly when they are all 0); ends at ``forecast``."""
    path, total = [], ZERO
    for m in range(period):
        total += actual[m]
        path.append(total)
    if period >= MONTHS_IN_YEAR:
        path[-1] = forecast
        return tuple(path)
    rest = [Fraction(w) for w in weights[period:]]
    if not sum(rest, ZERO):
        rest = [Fraction(1)] * len(rest)
    left, spread, done = forecast - total, sum(rest, ZERO), ZERO
    for w in rest:
        done += w
        path.append(total + left * done / spread)
    path[-1] = forecast  # exactly (done == spread)
    return tuple(path)


def flat_series(figures: Figures, month_sums: Sequence[int], period: int) -> Series:
    """Ej budgeterat: utfall per month, no budget, its forecast its utfall."""
    return line_series(figures, (Decimal(1),) * MONTHS_IN_YEAR, month_sums, period)


@dataclass(frozen=True)
class Area:
    """A table (and chart) of Månadsuppföljning."""

    kind: str  # TOTAL | ASSIGNMENT | LINE
    name: str  # 'Totalt', the Uppdrag's name, the line's label
    series: Series
    net: bool  # it adds lines of both types (a cost area: costs − income)
    cover: frozenset  # what it adds up (leaves' label paths; a consolidation's per unit): equal covers, equal areas


def area(kind: str, name: str, parts: list[tuple[tuple, Series]], period: int, *, income: bool | None = None) -> Area:
    """An area adding ``parts`` ((its cover key, series)); an income area when
    every part is income (unless ``income`` says), else a cost area."""
    types = {series.income for _, series in parts}
    if income is None:
        income = types == {True}
    return Area(kind, name, combine([s for _, s in parts], income, period), len(types) > 1,
                frozenset(key for key, _ in parts))


def distinct(areas: Iterable[Area]) -> list[Area]:
    """The areas to show: an area adding up exactly what an earlier one does
    (an Uppdrag that is one top-level line, a single Uppdrag that is the whole
    unit) is shown once, first."""
    seen: set[frozenset] = set()
    out = []
    for a in areas:
        if a.cover in seen:
            continue
        seen.add(a.cover)
        out.append(a)
    return out


def merge(kind: str, named: list[tuple[str, list[tuple[int, Area]]]], period: int) -> list[Area]:
    """Areas of several units merged by name (compared as the caller wants):
    ``named`` holds, per name, (the unit's index, its area); the merged cover
    keys each unit's by its index."""
    out = []
    for name, parts in named:
        areas = [a for _, a in parts]
        income = all(a.series.income and not a.net for a in areas)
        net = any(a.net for a in areas) or len({a.series.income for a in areas}) > 1
        cover = frozenset((u, key) for u, a in parts for key in a.cover)
        out.append(Area(kind, name, combine([a.series for a in areas], income, period), net, cover))
    return out


def unit_areas(top: Sequence[Line], series: Sequence[Series], unbudgeted: Series | None,
               period: int) -> tuple[Area, ...]:
    """A unit's areas, all of them (``distinct`` picks those to show): Totalt
    (net cost, Ej budgeterat included), each Uppdrag (as Resultaträkning groups
    the lines), each top-level line and Ej budgeterat.  ``series``: the leaves'
    series in the order of ``top``'s leaves."""
    following = iter(series)
    roots = [(root, [(leaf.label_path, leaf.assignment or root.label, next(following)) for leaf in root.leaves()])
             for root in top]
    extra = [(UNBUDGETED_KEY, unbudgeted)] if unbudgeted is not None else []
    everything = [(path, s) for _, leaves in roots for path, _, s in leaves] + extra
    out = [area(TOTAL, TOTAL_KEY[0], everything, period, income=False)]
    groups: dict[str, list[tuple[tuple, Series]]] = {}
    for _, leaves in roots:
        for path, assignment, s in leaves:
            groups.setdefault(assignment, []).append((path, s))
    out += [area(ASSIGNMENT, name, parts, period) for name, parts in groups.items()]
    out += [area(LINE, root.label, [(path, s) for path, _, s in leaves], period, income=root.income)
            for root, leaves in roots]
    if extra:
        out.append(area(LINE, UNBUDGETED_LABEL, extra, period))
    return tuple(out)
