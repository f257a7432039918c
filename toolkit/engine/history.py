"""Prognoshistorik: every closing month's forecast, kept from run to run, and
what it tells — the forecast's movement since the month before, and the
forecasts' accuracy (prognossäkerhet).

A run records its closing month (``records_of``): every line of the tree
(``rad``), every Summa row (``summa``: a heading's, and Summa intäkter /
Summa kostnader), every Uppdrag (``uppdrag``) and the Totalt (``totalt``),
each with its budget, utfall for months 1..P, full-year forecast and the
method that gave it — öre, in the row's own sign as Sammanställning shows it
(an Uppdrag and the Totalt as net cost: costs − income).

``merge`` puts them into the history read back from the workbook: the records
of the run's own month are replaced, every other month's are kept as they
were — a budget edited or a line renamed since never changes them (a renamed
line's earlier months keep the name they were recorded under).  When the
month's records are the same as those already kept (same rows, same
figures), the kept ones stay with their date: a refresh that changes nothing
writes nothing.

Rows are matched by their level and label path, the labels compared as
headings are (case and spaces aside): ``previous_forecast`` finds a
Sammanställning row's forecast of the latest earlier month, ``accuracy`` each
month's forecast of the Totalt and each Uppdrag against the outcome.

Pure: records in, records out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from ..contract import normalise_header
from ..contract.written import HISTORY_ASSIGNMENT, HISTORY_LINE, HISTORY_SUM, HISTORY_TOTAL
from ..layout import COSTS_KEY, INCOMES_KEY, TOTAL_KEY, UNBUDGETED_KEY, Row, sum_key
from ..money import round_half_up
from .figures import Figures
from .model import ForecastRecord, RowKey
from .results import Line, Report

OWN = "egen"  # the line's own Prognos on Budget
ACTUAL = "utfall"  # Ej budgeterat: its forecast is its utfall
MIXED = "blandad"  # a sum of lines whose forecasts come from different methods

Key = tuple[str, tuple[str, ...]]  # (level, the label path compared as headings are)


def key_of(level: str, path: Iterable[str]) -> Key:
    return level, tuple(normalise_header(part) for part in path)


def record_key(record: ForecastRecord) -> Key:
    """The key rows are matched by across months (labels compared as headings are)."""
    return key_of(record.level, record.path)


def exact_key(record: ForecastRecord) -> tuple[int, str, RowKey]:
    """A record's identity within the history: its month, level and label path as written."""
    return record.period, record.level, record.path


# -- recording a month ------------------------------------------------------------------------------------


def leaf_method(line: Line, report: Report) -> str:
    """What gave a line's Prognos (``engine.forecast``): its own figure, else the
    method (``budget`` when trend has no share of the year to go on); a
    consolidated line: the consolidation's method (``blandad`` when the units' differ)."""
    node = line.node
    if node is None:
        return report.method
    if node.line is not None and node.line.forecast is not None:
        return OWN
    if report.method == "trend" and line.share is not None and line.share[0] == 0:
        return "budget"
    return report.method


def _combined(methods: Iterable[str]) -> str:
    """One method for a sum: its lines' when they share one, else ``blandad``;
    Ej budgeterat (whose forecast is its utfall) counts only when it is alone."""
    found = list(dict.fromkeys(methods))
    if len(found) > 1 and ACTUAL in found:
        found.remove(ACTUAL)
    return found[0] if len(found) == 1 else MIXED


def _record(period: int, level: str, path: RowKey, figures: Figures, method: str) -> ForecastRecord:
    return ForecastRecord(period, level, tuple(path), round_half_up(figures.budget), round_half_up(figures.actual),
                          round_half_up(figures.forecast), method)


def records_of(report: Report) -> list[ForecastRecord]:
    """The closing month's records, in Sammanställning's order (the tree, a Summa
    row after its lines; Ej budgeterat, Summa intäkter and Summa kostnader,
    Totalt), then the Uppdrag; none for period 0 (nothing booked yet)."""
    if report.period == 0:
        return []
    period = report.year * 100 + report.period
    out: list[ForecastRecord] = []
    methods: dict[int, str] = {}  # id(leaf Line) → its method

    def walk(line: Line) -> list[str]:
        if line.is_leaf:
            method = methods[id(line)] = leaf_method(line, report)
            out.append(_record(period, HISTORY_LINE, line.label_path, line.figures, method))
            return [method]
        found = [m for child in line.children for m in walk(child)]
        out.append(_record(period, HISTORY_SUM, sum_key(line), line.figures, _combined(found)))
        return found

    by_root = [walk(root) for root in report.roots]
    unbudgeted = [ACTUAL] if report.unbudgeted is not None else []
    if report.unbudgeted is not None:
        out.append(_record(period, HISTORY_LINE, UNBUDGETED_KEY, report.unbudgeted, ACTUAL))
    if report.has_income:
        incomes = [m for root, found in zip(report.roots, by_root) if root.income for m in found]
        costs = [m for root, found in zip(report.roots, by_root) if not root.income for m in found]
        out.append(_record(period, HISTORY_SUM, INCOMES_KEY, report.incomes, _combined(incomes)))
        out.append(_record(period, HISTORY_SUM, COSTS_KEY, report.costs, _combined(costs + unbudgeted)))
    every = [m for found in by_root for m in found] + unbudgeted
    out.append(_record(period, HISTORY_TOTAL, TOTAL_KEY, report.total, _combined(every)))

    per_assignment: dict[str, list[str]] = {}
    for root in report.roots:
        for leaf in root.leaves():
            name = (leaf.assignment or root.label) if leaf.node is not None else None
            if name is not None:
                per_assignment.setdefault(name, []).append(methods[id(leaf)])
    for name, figures in report.assignments:
        method = ACTUAL if (name,) == UNBUDGETED_KEY and report.unbudgeted is not None \
            else _combined(per_assignment.get(name, [report.method]))
        out.append(_record(period, HISTORY_ASSIGNMENT, (name,), figures.as_sign(False), method))
    return out


def merge(previous: Sequence[ForecastRecord], current: Sequence[ForecastRecord],
          today: date) -> tuple[ForecastRecord, ...]:
    """The history after a run that recorded ``current`` (its closing month's
    records): every month of ``previous`` but that one as it was; that month's
    records replaced by ``current`` — dated ``today``, unless they hold exactly
    what ``previous`` held for the month (the same rows and figures, in any
    order), when the records kept keep their dates.  Ordered by month, a
    month's records in the order they were recorded."""
    months = {record.period for record in current}
    out = [record for record in previous if record.period not in months]
    for month in sorted(months):
        old = [record for record in previous if record.period == month]
        new = [record for record in current if record.period == month]
        dates = {exact_key(record): (record.figures(), record.run) for record in old}
        same = len(old) == len(new) and all(dates.get(exact_key(r), (None,))[0] == r.figures() for r in new)
        out += [replace(record, run=dates[exact_key(record)][1] if same else today) for record in new]
    return tuple(sorted(out, key=lambda record: record.period))


def recorded(report: Report, previous: Sequence[ForecastRecord] | None, today: date) -> Report:
    """``report`` with its history: ``previous`` (as read back; None: none yet) with
    the report's closing month recorded (``merge``)."""
    return replace(report, history=merge(previous or (), records_of(report), today))


# -- the forecast's movement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """The forecasts of the latest month on record before the closing period
    (of the same year), by row; ``month`` None when there is none."""

    month: int | None
    forecasts: dict[Key, int]

    def of(self, row: Row) -> int | None:
        """The forecast recorded for a row of Sammanställning (``layout.Row``),
        öre in the row's own sign; None when that month has no record of it."""
        found = row_key(row)
        if found is None:
            return None
        key, sign = found
        value = self.forecasts.get(key)
        return None if value is None else sign * value


def movement(records: Sequence[ForecastRecord], year: int, period: int) -> Movement:
    earlier = [r.month for r in records if r.year == year and r.month < period]
    if not earlier:
        return Movement(None, {})
    month = max(earlier)
    found: dict[Key, int] = {}
    for r in records:
        if r.period == year * 100 + month:
            found.setdefault(record_key(r), r.forecast)
    return Movement(month, found)


def row_key(row: Row) -> tuple[Key, int] | None:
    """The record a Sammanställning row's figures are kept under, and the sign
    to show it in (Resultat is the Totalt seen from the income side)."""
    kind, line = row.kind, row.line
    if kind == "line" or (kind == "class" and line.is_leaf):
        return key_of(HISTORY_LINE, line.label_path), 1
    if kind in ("sum", "class"):
        return key_of(HISTORY_SUM, sum_key(line)), 1
    if kind == "unbudgeted":
        return key_of(HISTORY_LINE, UNBUDGETED_KEY), 1
    if kind in ("incomes", "costs"):
        return key_of(HISTORY_SUM, INCOMES_KEY if kind == "incomes" else COSTS_KEY), 1
    if kind in ("total", "overview"):
        return key_of(HISTORY_TOTAL, TOTAL_KEY), 1
    if kind == "result":
        return key_of(HISTORY_TOTAL, TOTAL_KEY), -1
    return None


# -- prognossäkerhet ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccuracyRow:
    month: int
    forecast: int  # öre, net cost: that month's full-year forecast
    deviation: int  # forecast − outcome
    share: Fraction | None  # deviation ÷ |outcome|; None when the outcome is 0


@dataclass(frozen=True)
class AccuracyArea:
    name: str  # "Totalt" or the Uppdrag
    outcome: int  # öre, net cost
    rows: tuple[AccuracyRow, ...]


@dataclass(frozen=True)
class Accuracy:
    """Each month's forecast against the outcome: the year's utfall once
    December is closed (``closed``), else the forecast of the latest month on
    record (``reference``) — the best estimate of the outcome so far."""

    year: int
    reference: int  # the month whose record is the outcome (12 when closed)
    closed: bool
    areas: tuple[AccuracyArea, ...]  # Totalt, then each Uppdrag of the reference month

    @property
    def months(self) -> int:
        return len(self.areas[0].rows) if self.areas else 0


def accuracy(records: Sequence[ForecastRecord], year: int, period: int) -> Accuracy | None:
    """The accuracy of the forecasts of ``year`` recorded for months 1..``period``
    (a run of an earlier month sees the year as it stood then); None without a
    Totalt on record.  Prognosavvikelse = prognos − utfall (net cost), positive
    when the forecast was higher than the outcome; in % of |utfall|."""
    mine = [r for r in records if r.year == year and r.month <= period and r.level in (HISTORY_TOTAL,
                                                                                        HISTORY_ASSIGNMENT)]
    totals = [r for r in mine if r.level == HISTORY_TOTAL]
    if not totals:
        return None
    reference = max(r.month for r in totals)
    closed = reference == 12
    areas, seen = [], set()
    for level in (HISTORY_TOTAL, HISTORY_ASSIGNMENT):
        for ref in (r for r in mine if r.level == level and r.month == reference):
            if record_key(ref) in seen:
                continue
            seen.add(record_key(ref))
            outcome = ref.actual if closed else ref.forecast
            rows = []
            by_month = {r.month: r for r in reversed(mine) if record_key(r) == record_key(ref)}
            for record in (by_month[month] for month in sorted(by_month)):
                deviation = record.forecast - outcome
                rows.append(AccuracyRow(record.month, record.forecast, deviation,
                                        Fraction(deviation, abs(outcome)) if outcome else None))
            areas.append(AccuracyArea(ref.path[-1], outcome, tuple(rows)))
    return Accuracy(year, reference, closed, tuple(areas))


def months_on_record(records: Sequence[ForecastRecord], year: int, period: int) -> int:
    """How many months of ``year`` up to ``period`` the history holds."""
    return len({r.month for r in records if r.year == year and r.month <= period})
