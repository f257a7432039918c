"""The public Python API: the monthly follow-up from a notebook or a script.

    import toolkit

    follow_up = toolkit.load("Halmstad.xlsx", period="2025-08")   # read and reconcile; nothing is written
    follow_up.total.variance                                    # a Decimal: kr, to the öre
    follow_up.to_frame()                                        # one row per line of Sammanställning
    toolkit.refresh("Halmstad.xlsx")                            # what `reconcile Halmstad.xlsx --json` prints
    toolkit.consolidate(["Halmstad.xlsx", "Navet.xlsx"], output="Förbund.xlsx")

``load`` gives a ``FollowUp``: the rows of the Sammanställning sheet as the
sheet shows them (``Line``: the budget lines, their headings with a Summa
row each, Ej budgeterat and Totalt), the findings and the tie-out; money is
kr as ``Decimal``.  ``refresh`` and ``consolidate`` do what the commands do
and return the record ``--json`` prints.  A problem is raised as the
exception the command line turns into its one line (``toolkit.errors``:
``InputError``, ``WorkbookError``, ``LockedError`` …, each with its ``slug``
and position); a wrong argument is a ``UsageError`` (also a ``ValueError``).

Importing ``toolkit`` loads none of this module's work (numpy, the readers,
XlsxWriter, pandas): each function imports what it needs when called.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import Finding
from .findings import warnings as _warnings

if TYPE_CHECKING:
    import pandas

    from .engine.figures import Figures
    from .engine.results import Line as ReportLine
    from .engine.results import Report
    from .engine.results import TieOut as ReportTieOut
    from .package.backup import Backup

__all__ = ["FollowUp", "KINDS", "LeftOut", "Line", "TieOut", "UnbudgetedItem", "consolidate", "load", "refresh"]

#: the kinds of row on Sammanställning, as ``Line.kind`` names them
LINE = "rad"  # a budget line (a leaf of the tree)
HEADING = "rubrik"  # a line with lines under it: its label (its figures are on its Summa row)
SUM = "summa"  # "Summa <heading>": the heading's figures, the sum of its lines
UNALLOCATED = "ofördelat"  # the remainder of a heading's own Budget over its lines' (reconcile adds it)
UNBUDGETED = "ej budgeterat"  # ledger rows no line covers
INCOMES = "summa intäkter"  # a unit with income: the income lines at the top
COSTS = "summa kostnader"  # a unit with income: the cost lines at the top and Ej budgeterat
TOTAL = "totalt"  # net cost (costs − income), Ej budgeterat included
RESULT = "resultat"  # income − costs, below Totalt (a unit with income, a consolidation)
CLASS = "kontoklass"  # layout rapport: a top-level line in the overview, with its figures
BREAKDOWN = "fördelning"  # layout rapport: "<class>, fördelning:" opening a class's block (no figures)
KINDS = (LINE, HEADING, SUM, UNALLOCATED, UNBUDGETED, INCOMES, COSTS, TOTAL, RESULT, CLASS, BREAKDOWN)

#: ``Line.method``: the line's own Prognos from Budget; and Ej budgeterat, whose forecast is its utfall
OWN_FORECAST = "egen"
ACTUAL_FORECAST = "utfall"

#: the columns of ``FollowUp.to_frame()``, in order (the Decimal ones hold ``Decimal`` or None, dtype object)
COLUMNS = ("kind", "label", "path", "depth", "income", "where", "budget", "periodised_budget", "actual",
           "last_year", "actual_share", "variance", "forecast", "forecast_variance", "committed", "available", "method",
           "comment")
AMOUNTS = ("budget", "periodised_budget", "actual", "last_year", "variance", "forecast", "forecast_variance", "committed",
           "available")


@dataclass(frozen=True)
class Line:
    """One row of Sammanställning.

    Money is kr as ``Decimal`` with two decimals, in the row's own sign (a
    cost row shows costs positive, an income row income; Totalt is net cost).
    A figure with a fraction of an öre — a periodised budget, a trend
    forecast, and the variances and Kvar att disponera computed from them — is
    rounded to the öre half away from zero, each from its exact value (as the
    sheets display them), so ``variance`` may differ by an öre from
    ``periodised_budget − actual`` of the rounded figures.  A heading's row
    (``kind == "rubrik"``) has no figures (None): they are on its Summa row.

    - ``budget``: Budget (helår); ``periodised_budget``: the budget of months
      1..period by the line's key; ``actual``: Utfall
    - ``last_year``: Fjolår — last year's utfall for the same months 1..period,
      in the row's sign, mapped by the same patterns; None when the run has
      no last year (no rows of last year in the ledger, no ``fjolar``)
    - ``actual_share``: Utfall % as a share (Decimal('0.5712') = 57,12 %),
      rounded to four decimals half away from zero; None when the budget is 0
    - ``variance``: Avvikelse (periodiserad), positive = favourable (cost:
      periodised budget − utfall; income: utfall − periodised budget)
    - ``forecast``: Prognos (helår); ``forecast_variance``: Avvikelse
      budget–prognos, positive = favourable (cost: budget − prognos; income:
      prognos − budget)
    - ``committed``: Intecknat; ``available``: Kvar att disponera (budget −
      utfall − intecknat)
    - ``method``: what gave the Prognos: "egen" (the line's own Prognos on
      Budget), "budget", "rest" or "trend" (Prognosmetod; "budget" also when
      trend has no share of the year to go on), "utfall" (Ej budgeterat);
      None for a row that adds up others, and on a consolidation's rows
    - ``comment``: the Kommentar as the sheet shows it: the economist's own
      text typed on Sammanställning, else the Budget sheet's
    - ``original_budget``, ``budget_changes``: Ursprunglig budget and the
      Budgetändringar counted in ``budget`` (dated up to the period); every
      other figure uses ``budget``, the revised
    - ``path``: the labels from the top (the key the sheet knows the row
      by: ("Verksamhet", "Summa Personal") for a Summa row); ``depth`` its
      indent; ``where``: the cell of its Budget row ('' when it has none)
    """

    kind: str
    label: str
    path: tuple[str, ...]
    depth: int
    income: bool
    where: str = ""
    budget: Decimal | None = None
    periodised_budget: Decimal | None = None
    actual: Decimal | None = None
    actual_share: Decimal | None = None
    variance: Decimal | None = None
    forecast: Decimal | None = None
    forecast_variance: Decimal | None = None
    committed: Decimal | None = None
    available: Decimal | None = None
    method: str | None = None
    comment: str = ""
    original_budget: Decimal | None = None  # Ursprunglig budget: Budget before the year's Budgetändringar
    budget_changes: Decimal | None = None  # Ändringar: the changes counted in ``budget`` (0 without)
    last_year: Decimal | None = None


@dataclass(frozen=True)
class UnbudgetedItem:
    """Ledger rows no line covers, of one combination of codes (``codes``: column → code)."""

    codes: dict[str, str]
    rows: int
    amount: Decimal  # kr, debit positive (costs +, income −)
    example: str  # the position of one of them


@dataclass(frozen=True)
class LeftOut:
    """Ledger rows left out: of another year, or after the closing period."""

    reason: str  # "från ett annat år" | "efter bokslutsperioden"
    period: int  # yyyymm
    rows: int
    amount: Decimal  # kr, debit positive


@dataclass(frozen=True)
class TieOut:
    """The ledger against the lines (Avstämning), in kr, exact: every ledger
    row in the period is on a line or in Ej budgeterat, so ``difference`` is 0."""

    source: str  # the ledger: its sheet, or its file
    layout: str  # "rader" | "månadsmatris"
    rows_read: int
    rows_in_period: int
    ledger_in_period: Decimal  # Σ the ledger rows in the period, debit positive
    lines: Decimal  # Σ the rows mapped to lines
    unbudgeted: Decimal  # Σ the rows in Ej budgeterat
    difference: Decimal  # ledger_in_period − lines − unbudgeted − investments
    unbudgeted_items: tuple[UnbudgetedItem, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    investments: Decimal = Decimal(0)  # Σ the rows of the investment projects (Typ Investering), apart from the lines


@dataclass(frozen=True)
class FollowUp:
    """A unit's follow-up for one closing period, as the written sheets show
    it (``load``): its lines, findings and tie-out."""

    path: str  # the workbook
    unit: str  # its Enhet
    year: int
    period: int  # the closing month, 0 when nothing is booked yet
    period_label: str  # "jan–aug"
    method: str  # Prognosmetod
    show_in: str  # the sheets' display unit: "tkr" or "kr" (the figures here are kr whatever it is)
    lines: tuple[Line, ...]
    findings: tuple[Finding, ...] = ()
    tieout: TieOut | None = None  # None for a consolidation (each unit has its own)
    units: tuple[str, ...] = ()  # a consolidation's units, by name

    @property
    def warnings(self) -> list[Finding]:
        """The findings that say a figure is probably wrong (severity "varning")."""
        return _warnings(self.findings)

    @property
    def total(self) -> Line:
        """The Totalt row: net cost, Ej budgeterat included."""
        return next(line for line in self.lines if line.kind == TOTAL)

    def line(self, *path: str) -> Line:
        """The row of a label (``line("Löner")``, when it is unique) or of a
        path (``line("Verksamhet", "Löner")``); KeyError when there is none."""
        found = [row for row in self.lines if row.kind != HEADING
                 and (row.path == path or len(path) == 1 and row.label == path[0])]
        exact = [row for row in found if row.path == path]
        if exact:
            return exact[0]
        if len(found) == 1:
            return found[0]
        raise KeyError(path if len(found) == 0 else f"{path[0]!r} finns på flera rader; ange hela sökvägen")

    def __iter__(self) -> Iterator[Line]:
        return iter(self.lines)

    def to_frame(self) -> pandas.DataFrame:
        """The lines as a pandas DataFrame, one row per row of Sammanställning
        and the columns of ``COLUMNS``; the money columns and ``actual_share``
        hold the ``Decimal``s (dtype object; None where a heading has none —
        ``df[col].astype(float)`` makes floats of them), ``path`` the tuple of
        labels.  Needs pandas (``pip install pandas``)."""
        try:
            import pandas
        except ImportError as exc:  # pragma: no cover - pandas is a test dependency
            raise ImportError("FollowUp.to_frame() behöver pandas: pip install pandas") from exc
        data = {name: [getattr(line, name) for line in self.lines] for name in COLUMNS}
        frame = pandas.DataFrame({name: pandas.Series(values, dtype=object) for name, values in data.items()})
        frame["depth"] = frame["depth"].astype("int64")
        frame["income"] = frame["income"].astype(bool)
        return frame

    @classmethod
    def of(cls, report: Report, path: str | os.PathLike) -> FollowUp:
        """The follow-up of an engine ``Report`` (a unit's or a consolidation's)."""
        return cls(str(path), report.unit, report.year, report.period, report.period_label, report.method,
                   report.show_in, tuple(_rows(report)), tuple(report.findings),
                   _tieout(report.tieout) if report.tieout is not None else None,
                   tuple(unit.name for unit in report.units))


def load(path: str | os.PathLike, *, period: str | int | None = None, budget: str | os.PathLike | None = None,
         utfall: str | os.PathLike | Iterable[str | os.PathLike] | None = None,
         fjolar: str | os.PathLike | Iterable[str | os.PathLike] | None = None) -> FollowUp:
    """Read and reconcile a unit's workbook as ``reconcile PATH --check`` does,
    and return its follow-up; nothing is written, and a warning never stops it
    (see ``FollowUp.warnings``).

    ``period``: the closing period ("2025-08", "202508", 8; default: the
    setting Period, else the latest month with ledger rows); ``budget``: read
    the Budget sheet from another workbook or a CSV file; ``utfall``: the
    ledger from another workbook, CSV or SIE file, or several (a list, or a
    pattern "exporter/2025-*.csv"); ``fjolar``: last year's ledger, likewise
    (--fjolar; default: Fjolårsfil, else the ledger's rows of last year)."""
    from . import options

    job = options.unit_job(options.check_target(path), period=period, budget=budget, utfall=utfall, fjolar=fjolar)
    return FollowUp.of(job.reconcile(), path)


def refresh(path: str | os.PathLike, *, period: str | int | None = None, budget: str | os.PathLike | None = None,
            utfall: str | os.PathLike | Iterable[str | os.PathLike] | None = None,
            output: str | os.PathLike | None = None, strict: bool = False, wait: float = 0,
            backup: bool | str | os.PathLike | Backup = True, keep_backups: int = 10, dry_run: bool = False,
            jobs: int | None = None, fjolar: str | os.PathLike | Iterable[str | os.PathLike] | None = None) -> dict:
    """``reconcile PATH``: reconcile the workbook and write its sheets, and
    return the record ``reconcile PATH --json`` prints (amounts in kr as
    floats, ``status`` "written", "unchanged" or "checked", ``seconds``).

    The options are the command's: ``output`` (--output), ``strict``
    (--strict: a warning stops the run, raised as an ``InputError``),
    ``wait`` (--wait seconds), ``backup`` (True: the previous version as
    NAME.bak; False: none, --no-backup; a folder: --backup MAPP, keeping
    ``keep_backups``), ``dry_run`` (--check: write nothing).  ``path`` may be
    a folder: every workbook in it is refreshed (``jobs`` at once) and the
    folder's record is returned, each workbook's outcome in it, as
    ``reconcile MAPP --json`` prints it."""
    from . import options

    start = time.perf_counter()
    target = options.check_target(path)
    options.check_run(target, output, budget, utfall, fjolar)
    if target.is_dir():
        return _refresh_folder(target, period=period, write=not dry_run, backup=options.backup_policy(
            backup, keep_backups), wait=wait, strict=strict, jobs=jobs, start=start,
            utfall=options.ledgers(utfall), fjolar=options.ledgers(fjolar))
    job = options.unit_job(target, period=period, output=output, budget=budget, utfall=utfall, backup=backup,
                           keep_backups=keep_backups, wait=wait, strict=strict, fjolar=fjolar)
    return options.record(job.run(write=not dry_run), start)


def consolidate(paths: str | os.PathLike | Iterable[str | os.PathLike], *, output: str | os.PathLike,
                name: str | None = None, period: str | int | None = None, strict: bool = False, wait: float = 0,
                backup: bool | str | os.PathLike | Backup = True, keep_backups: int = 10,
                dry_run: bool = False) -> dict:
    """``reconcile consolidate PATHS --output OUTPUT``: reconcile the units'
    workbooks (or the workbooks in a folder) without writing to them, merge
    them and write the consolidation into ``output`` (a workbook, or a folder
    for its Sammanställning.xlsx); return the record ``--json`` prints.
    ``name`` is the name in the headings (default: the output's file name);
    the other options are ``refresh``'s."""
    from . import options

    start = time.perf_counter()
    out = options.check_consolidation(output)
    run = options.consolidation(paths, out, name=name, period=period, backup=backup, keep_backups=keep_backups,
                                wait=wait, strict=strict)
    return options.record(run.run(write=not dry_run), start)


def _refresh_folder(folder: Path, *, period, write: bool, backup, wait: float, strict: bool, jobs: int | None,
                    start: float, utfall: list = (), fjolar: list = ()) -> dict:
    from . import folder as batch
    from . import options

    settings = batch.Options(period=None if period is None else str(period).strip(), write=write, backup=backup,
                             wait=float(wait), strict=strict, ledger_files=tuple(str(f) for f in utfall),
                             last_year_files=tuple(str(f) for f in fjolar))
    outcomes = list(batch.refresh_all(batch.workbooks_in(folder), settings, jobs))
    return options.folder_record(folder, outcomes, start)


# -- from the engine's records ---------------------------------------------------------------------------


def _kr(value: Fraction | int) -> Decimal:
    from .money import ore_to_kr

    return ore_to_kr(value)


def _share(figures: Figures) -> Decimal | None:
    from .money import round_half_up

    share = figures.actual_share
    return None if share is None else Decimal(round_half_up(share * 10_000)).scaleb(-4)


def _with_figures(kind: str, label: str, path: tuple[str, ...], depth: int, figures: Figures, *, where: str = "",
                  method: str | None = None, comment: str = "", last_year: bool = False) -> Line:
    f = figures
    return Line(kind, label, path, depth, f.income, where, _kr(f.budget), _kr(f.phased), _kr(f.actual), _share(f),
                _kr(f.variance), _kr(f.forecast), _kr(f.forecast_variance), _kr(f.committed), _kr(f.available),
                method, comment, _kr(f.original), _kr(f.changes), _kr(f.last_year) if last_year else None)


def _rows(report: Report) -> list[Line]:
    """The rows of Sammanställning in its order and layout (``layout.plan``,
    which the sheet is written by): headings, lines and Summa rows, the
    closing rows (Ej budgeterat, Summa intäkter and Summa kostnader, Totalt,
    Resultat) — in layout ``rapport`` the overview by account class first,
    then each class's "fördelning". Exact figures (``Jämna summor`` changes
    only what the sheet displays)."""
    from .layout import UNBUDGETED_COMMENT, plan

    closing = {"unbudgeted": (UNBUDGETED, report.unbudgeted), "incomes": (INCOMES, report.incomes),
               "costs": (COSTS, report.costs), "total": (TOTAL, report.total), "overview": (SUM, report.total),
               "result": (RESULT, report.total.as_sign(True))}
    rows: list[Line] = []
    prior = report.last_year is not None
    for row in plan(report.roots, report.presentation.layout, unbudgeted=report.unbudgeted is not None,
                    income=report.has_income, result=report.is_consolidation):
        line, key = row.line, row.key
        if row.kind == "gap":
            continue
        if row.kind in ("heading", "group", "breakdown"):
            kind = BREAKDOWN if row.kind == "breakdown" else HEADING
            rows.append(Line(kind, row.label, key, row.depth, line.income, line.where if kind == HEADING else "",
                             comment=_comment(report, key, line.comment if kind == HEADING else "")))
        elif row.kind in ("line", "class"):
            kind = CLASS if row.kind == "class" and not line.is_leaf else UNALLOCATED if line.generated else LINE
            rows.append(_with_figures(kind, row.label, key, row.depth, line.figures, where=line.where,
                                      method=_method(line, report) if line.is_leaf else None,
                                      comment=_comment(report, key, line.comment), last_year=prior))
        elif row.kind == "sum":
            rows.append(_with_figures(SUM, row.label, key, row.depth, line.figures, comment=_comment(report, key, ""),
                                      last_year=prior))
        else:
            kind, figures = closing[row.kind]
            rows.append(_with_figures(kind, row.label, key, 0, figures,
                                      method=ACTUAL_FORECAST if kind == UNBUDGETED else None,
                                      comment=_comment(report, key, UNBUDGETED_COMMENT if kind == UNBUDGETED else ""),
                                      last_year=prior))
    return rows


def _method(line: ReportLine, report: Report) -> str | None:
    """The forecast method that gave a leaf's Prognos (``engine.forecast``)."""
    node = line.node
    if node is None:
        return None  # a consolidated row: each unit's own
    if node.line is not None and node.line.forecast is not None:
        return OWN_FORECAST
    if report.method == "trend" and line.share is not None and line.share[0] == 0:
        return "budget"  # no share of the year to go on: the budget
    return report.method


def _comment(report: Report, key: tuple[str, ...], text: str) -> str:
    """The Kommentar shown on the row: the economist's own text typed on
    Sammanställning at the last refresh (carried to this one), else ``text``."""
    carried = report.notes.get(key)
    typed = next((c for c in carried.cells if c.offset == 0), None) if carried else None
    if typed is None:
        return text
    if typed.formula is not None:
        return "" if typed.value is None else str(typed.value)
    return text if typed.value in (None, "") else str(typed.value)


def _tieout(tie: ReportTieOut) -> TieOut:
    return TieOut(tie.source, tie.layout, tie.rows_read, tie.rows_in_period, _kr(tie.sum_in_period),
                  _kr(tie.sum_lines), _kr(tie.sum_unbudgeted), _kr(tie.difference),
                  tuple(UnbudgetedItem(dict(item.codes), item.rows, _kr(item.amount), item.example)
                        for item in tie.unbudgeted),
                  tuple(LeftOut(item.reason, item.period, item.rows, _kr(item.amount)) for item in tie.left_out),
                  _kr(tie.sum_investments))
