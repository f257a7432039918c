"""The typed inputs of the engine. Amounts are öre (int); positions are the
strings shown to the user (``Budget!D7``, ``rad 17 (Belopp)``)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np

from .. import contract
from ..errors import InputError
from .patterns import CodeTable, Pattern, parse_pattern

INCOME = contract.INCOME  # a line's Typ
COST = contract.COST
INVESTMENT = contract.INVESTMENT
METHODS = tuple(method.name for method in contract.METHODS)  # Prognosmetod


@dataclass(frozen=True)
class Settings:
    unit: str
    year: int | None = None
    period: int | None = None  # closing month 0..12; None = latest booked month
    amounts_in: str = contract.settings.AMOUNTS_IN.default  # unit of the Budget sheet's amounts: kr
    show_in: str = contract.settings.SHOW_IN.default  # tkr
    method: str = contract.settings.METHOD.default  # budget
    where: dict[str, str] = field(default_factory=dict)  # setting → position
    ledger_files: tuple[str, ...] = ()  # Utfallsfil: exports (patterns) relative to the workbook, when not --utfall
    strict: bool = False  # Strikt: a warning stops the run (as --strict does)
    accepted: tuple[str, ...] = ()  # Godkända varningar: slugs of warnings this unit has accepted (shown as info)
    layout: str = contract.settings.LAYOUT.default  # Layout: träd (the budget's tree) or rapport (overview first)
    first_heading: str = contract.settings.FIRST_HEADING.default  # Rubrik första kolumnen: Rad
    even_sums: bool = False  # Jämna summor: displayed amounts rounded so that every Summa adds up
    materiality_amount: int | None = None  # Väsentlighet belopp, öre (typed in tkr); None: no amount rule
    materiality_percent: Decimal | None = None  # Väsentlighet procent, in percent (10 = 10 %); None: no percent rule
    transactions: bool = False  # Transaktioner: write the sheet of the period's ledger rows
    last_year_files: tuple[str, ...] = ()  # Fjolårsfil: last year's ledger (patterns) relative to the workbook
    urval: Urval | None = None  # Urval <kolumn>: which rows of the ledger are the unit's; None: every row


@dataclass
class BudgetLine:
    label: str
    where: str  # position of the label cell
    parent: str | None = None
    type: str | None = None  # INCOME / COST / None = inherit
    budget: int | None = None  # öre
    patterns: dict[str, str] = field(default_factory=dict)  # ledger column → pattern text
    key: str | None = None
    assignment: str | None = None
    forecast: int | None = None
    committed: int | None = None
    comment: str | None = None
    cells: dict[str, str] = field(default_factory=dict)  # field/column → position
    total_budget: int | None = None  # öre: an investment's approved total over all its years (Total budget)
    prior_actual: int | None = None  # öre: an investment's utfall of earlier years (Tidigare utfall)


@dataclass(frozen=True)
class BudgetChange:
    """A row of Budgetändringar: a decided change of one budget line's budget.
    ``amount`` is öre in the Budget sheet's sign (+ raises the line's budget);
    ``line`` the Rad as typed (a label, or a label path); ``cells`` the
    positions of its fields (datum, rad, belopp, typ …)."""

    date: datetime.date
    line: str
    amount: int  # öre
    type: str  # contract.CHANGE_TYPES' name: Tilläggsanslag, Omfördelning, Ombudgetering, Annan
    where: str  # the row's position (its Rad cell)
    decision: str = ""  # Beslut, e.g. a diarienummer
    from_january: bool = False  # periodised over the whole year, not from the decision's month
    comment: str = ""
    cells: dict[str, str] = field(default_factory=dict)
    file: str = ""  # the file the sheet was read from (positions name it)


@dataclass(frozen=True)
class Key:
    name: str
    weights: tuple[Decimal, ...]  # 12 non-negative weights
    where: str


def factorize(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of non-negative ``codes`` (sorted) and each code's
    index among them: through a table when the codes are small, as tokens
    are, else by sorting."""
    if not len(codes):
        return codes, codes
    top = int(codes.max())
    if top > 4 * len(codes) + 1024:
        distinct, index = np.unique(codes, return_inverse=True)
        return distinct, index.ravel()
    present = np.zeros(top + 1, dtype=bool)
    present[codes] = True
    distinct = np.flatnonzero(present)
    rank = np.cumsum(present) - 1
    return distinct, rank[codes]


@dataclass
class Codes:
    """A text column of the ledger as integer codes: ``texts[index[i]]`` is
    row i's code ('' where blank).  The rules run once per distinct text."""

    index: np.ndarray  # int64, one per row
    texts: list[str]

    def take(self, rows: np.ndarray | slice) -> Codes:
        return Codes(self.index[rows], self.texts)

    def values(self) -> list[str]:
        return [self.texts[i] for i in self.index.tolist()]

    @classmethod
    def of(cls, values: list[str]) -> Codes:
        """From one text per row (the straightforward readers)."""
        seen: dict[str, int] = {}
        index = np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64, count=len(values))
        return cls(index, list(seen))


@dataclass
class Ledger:
    """The ledger as columns: ``period`` (yyyymm), ``amount`` (öre, debit
    positive), ``row``/``col`` (source position), and one ``Codes`` per
    dimension column (``konto``, ``ansvar`` …, codes as text)."""

    period: np.ndarray  # int64
    amount: np.ndarray  # int64
    row: np.ndarray  # int64
    col: np.ndarray  # int64
    codes: dict[str, Codes]
    dimensions: list[str]  # canonical dimension columns present, in source order
    labels: dict[str, str]  # canonical column → header as written
    source: str  # e.g. "Utfall" or "export.csv"
    file: str
    locate: Callable[[int, int], str]  # (row, col) → position text
    rows_read: int = 0
    layout: str = "rader"  # "rader" | "månadsmatris"
    notes: list = field(default_factory=list)  # Findings of reading it (a total row left out, duplicates …)
    headers: frozenset = frozenset()  # the canonical names of every column its file(s) name, read or not
    count: np.ndarray | None = None  # rows of the source each row stands for (an aggregated export); None: 1 each
    outside: Outside | None = None  # the rows left out as outside the unit's Urval (None: no Urval)

    def weights(self) -> np.ndarray:
        """The source rows each ledger row stands for (1 each unless aggregated)."""
        return np.ones(len(self.period), dtype=np.int64) if self.count is None else self.count

    def tally(self, index: np.ndarray, minlength: int, where: np.ndarray | None = None) -> np.ndarray:
        """The source rows per value of ``index`` (one per ledger row, or per
        row of ``where``): a plain count unless the ledger is aggregated."""
        if self.count is None:
            return np.bincount(index, minlength=minlength).astype(np.int64)
        weights = self.count if where is None else self.count[where]
        return np.bincount(index, weights=weights, minlength=minlength).astype(np.int64)

    def rows(self) -> int:
        """The source rows this ledger stands for."""
        return len(self.period) if self.count is None else int(self.count.sum())

    def __len__(self) -> int:
        return len(self.period)

    def take(self, rows: np.ndarray) -> Ledger:
        """The ledger rows selected by ``rows`` (a mask or indexes)."""
        if rows.dtype == bool and len(rows) == len(self.period) and rows.all():
            return dataclasses.replace(self)  # every row (as a month's run mostly keeps): the same arrays, never written to
        return dataclasses.replace(self, period=self.period[rows], amount=self.amount[rows], row=self.row[rows],
                                   col=self.col[rows], codes={k: c.take(rows) for k, c in self.codes.items()},
                                   count=None if self.count is None else self.count[rows])

    def where(self, i: int) -> str:
        """The source position of row i (of this ledger)."""
        return self.locate(int(self.row[i]), int(self.col[i]))


PART_SHIFT = 32  # in a ledger of several files, row = file index << PART_SHIFT | row in that file


def concat(ledgers: list[Ledger], source: str, file: str) -> Ledger:
    """Several ledgers (monthly export files) as one: the union of their
    dimension columns ('' where a file has none), each row still named by
    its own file and position."""
    if len(ledgers) == 1:
        return ledgers[0]
    dims = list(dict.fromkeys(d for ledger in ledgers for d in ledger.dimensions))
    labels: dict[str, str] = {}
    for ledger in ledgers:
        labels = {**ledger.labels, **labels}
    codes: dict[str, Codes] = {}
    for d in dims:
        texts: dict[str, int] = {}
        parts = []
        for ledger in ledgers:
            column = ledger.codes.get(d)
            if column is None:
                parts.append(np.full(len(ledger), texts.setdefault("", len(texts)), dtype=np.int64))
                continue
            remap = np.fromiter((texts.setdefault(t, len(texts)) for t in column.texts), dtype=np.int64,
                                count=len(column.texts))
            parts.append(remap[column.index] if len(column.texts) else column.index)
        codes[d] = Codes(np.concatenate(parts).astype(np.int64), list(texts))

    def locate(row: int, col: int) -> str:
        part = ledgers[row >> PART_SHIFT]
        return f"{part.file}: {part.locate(row & ((1 << PART_SHIFT) - 1), col)}"

    layouts = {ledger.layout for ledger in ledgers}
    return Ledger(
        period=np.concatenate([ledger.period for ledger in ledgers]),
        amount=np.concatenate([ledger.amount for ledger in ledgers]),
        row=np.concatenate([ledger.row + (k << PART_SHIFT) for k, ledger in enumerate(ledgers)]),
        col=np.concatenate([ledger.col for ledger in ledgers]),
        codes=codes, dimensions=dims, labels=labels, source=source, file=file, locate=locate,
        rows_read=sum(ledger.rows_read for ledger in ledgers),
        layout=layouts.pop() if len(layouts) == 1 else "rader",
        notes=[note for ledger in ledgers for note in ledger.notes],
        headers=frozenset().union(*(ledger.headers for ledger in ledgers)),
        count=None if all(ledger.count is None for ledger in ledgers)
        else np.concatenate([ledger.weights() for ledger in ledgers]),
        outside=Outside.joined([ledger.outside for ledger in ledgers]))


def part_of(ledger: Ledger) -> np.ndarray:
    """Each row's file index in a ledger made by ``concat`` (0 for one file)."""
    return ledger.row >> PART_SHIFT


# -- Urval <kolumn> on Inställningar: the rows of a shared (regional) export that are the unit's -------------

#: the distinct codes of the rows outside an Urval kept per column and year (a message names the first few)
SHOWN_CODES = 6


@dataclass(frozen=True)
class Condition:
    """One ``Urval <kolumn>`` setting: the ledger column (canonical name), as
    the setting names it, its pattern (the Budget sheet's syntax) and the
    value's cell (``Inställningar!B9``)."""

    column: str
    label: str
    pattern: Pattern
    where: str

    @property
    def text(self) -> str:
        return f"{self.label} {self.pattern.text.strip()}"


def condition(column: str, label: str, text: str, where: str) -> Condition:
    """A condition of ``text``; ``patterns.PatternError`` (a ValueError) when it is no pattern."""
    return Condition(column, label, parse_pattern(text), where)


@dataclass(frozen=True)
class Urval:
    """The unit's rows of a ledger: those that match every condition."""

    conditions: tuple[Condition, ...]
    file: str  # the workbook whose Inställningar sets it (positions name it)

    @property
    def text(self) -> str:
        """'Ansvar 42*', 'Ansvar 42*, Verksamhet 1*'."""
        return ", ".join(c.text for c in self.conditions)

    @property
    def where(self) -> str:
        return self.conditions[0].where

    @property
    def columns(self) -> set[str]:
        return {c.column for c in self.conditions}


@dataclass(frozen=True)
class Outside:
    """The rows of a ledger outside the unit's Urval (source rows, öre), as
    they were left out: how many, their Σ, per year, and per condition
    column and year the first distinct codes (and whether there are more)."""

    text: str
    where: str
    rows: int
    amount: int
    years: dict[int, int] = field(default_factory=dict)
    codes: dict[tuple[str, int], tuple[tuple[str, ...], bool]] = field(default_factory=dict)

    @staticmethod
    def joined(parts: list[Outside | None]) -> Outside | None:
        """Several files' rows outside as one (None when no file had an Urval)."""
        found = [p for p in parts if p is not None]
        if not found:
            return None
        years: dict[int, int] = {}
        codes: dict[tuple[str, int], tuple[tuple[str, ...], bool]] = {}
        for part in found:
            for y, n in part.years.items():
                years[y] = years.get(y, 0) + n
            for k, (texts, more) in part.codes.items():
                had, had_more = codes.get(k, ((), False))
                union = sorted(set(had) | set(texts))
                codes[k] = (tuple(union[:SHOWN_CODES]), had_more or more or len(union) > SHOWN_CODES)
        return Outside(found[0].text, found[0].where, sum(p.rows for p in found), sum(p.amount for p in found),
                       dict(sorted(years.items())), codes)


def select(ledger: Ledger, urval: Urval) -> Ledger:
    """The unit's rows of ``ledger`` (every condition of ``urval`` matches),
    with the rows left out counted on ``outside``; ``rows_read`` is then the
    unit's rows.  A condition's column that the ledger lacks stops the run
    naming the setting's cell."""
    keep = np.ones(len(ledger), dtype=bool)
    for cond in urval.conditions:
        codes = ledger.codes.get(cond.column)
        if codes is None:
            named = list(dict.fromkeys([*ledger.labels.values(),
                                        *(h.capitalize() for h in sorted(ledger.headers) if h not in ledger.labels)]))
            raise InputError(f"huvudboken ({ledger.source}) har ingen kolumn {cond.label} (Urval {cond.label}); "
                             f"kolumnerna är {', '.join(named)}", file=urval.file, where=cond.where,
                             slug="urval-kolumn-saknas")
        if len(codes.texts):
            keep &= cond.pattern.mask(CodeTable(codes.texts))[codes.index]
    out = ~keep
    weights = ledger.weights()[out]
    years_of = ledger.period[out] // 100
    index_of = {cond.column: ledger.codes[cond.column].index[out] for cond in urval.conditions}
    years: dict[int, int] = {}
    codes_by: dict[tuple[str, int], tuple[tuple[str, ...], bool]] = {}
    for y in np.unique(years_of).tolist():
        in_year = years_of == y
        years[int(y)] = int(weights[in_year].sum())
        for column, index in index_of.items():
            texts = sorted({ledger.codes[column].texts[i] for i in np.unique(index[in_year]).tolist()})
            codes_by[(column, int(y))] = (tuple(texts[:SHOWN_CODES]), len(texts) > SHOWN_CODES)
    outside = Outside(urval.text, urval.where, int(weights.sum()), int(ledger.amount[out].sum()), years, codes_by)
    kept = ledger.take(keep)
    return dataclasses.replace(kept, rows_read=ledger.rows_read - outside.rows, outside=outside)


# -- the economist's own text on the previous Sammanställning (read back before a refresh) --------

RowKey = tuple[str, ...]  # a row's label path: ("Verksamhet", "Personal")


@dataclass(frozen=True)
class NoteCell:
    offset: int  # 0: the Kommentar column, 1, 2 …: the economist's own columns after it
    value: str | float | bool | None
    formula: str | None  # without "="; references as they were at ``origin``
    origin: str  # the cell it stood in, e.g. "H12"
    num_format: str | None = None

    def preview(self) -> str:
        shown = f"={self.formula}" if self.formula else str(self.value)
        return shown if len(shown) <= 80 else shown[:77] + "…"


@dataclass
class NoteRow:
    key: RowKey
    cells: list[NoteCell]

    @property
    def label(self) -> str:
        return self.key[-1]


@dataclass
class Notes:
    """What the previous Sammanställning held that is not ours to recompute."""

    headers: dict[int, str] = field(default_factory=dict)  # offset ≥ 1 -> the column's heading
    widths: dict[int, float] = field(default_factory=dict)  # offset ≥ 0 -> width set by hand
    rows: list[NoteRow] = field(default_factory=list)  # incl. those kept under the table last time

    def __bool__(self) -> bool:
        return bool(self.headers or self.widths or self.rows)


# -- Prognoshistorik: the forecasts recorded by earlier runs (read back before a refresh) ------------------


@dataclass(frozen=True)
class ForecastRecord:
    """One row of Prognoshistorik: a closing month's figures of a line (``level``
    rad), a Summa row (summa), an Uppdrag (uppdrag, net cost) or the Totalt
    (totalt, net cost), as the run that recorded them showed them — öre, in
    the row's own sign.  ``path`` is the label path as Sammanställning knows
    the row (("Verksamhet", "Summa Personal") for a heading's Summa row)."""

    period: int  # yyyymm
    level: str  # contract.written.HISTORY_LEVELS
    path: RowKey
    budget: int  # öre
    actual: int  # öre: utfall for months 1..period
    forecast: int  # öre: the full-year forecast
    method: str  # what gave the forecast (egen, budget, rest, trend, utfall, blandad)
    run: date | None = None  # the date of the run that recorded it; None: this run's own, not yet dated
    where: str = field(default="", compare=False)  # its row's first cell when read back ("Prognoshistorik!A12")

    @property
    def year(self) -> int:
        return self.period // 100

    @property
    def month(self) -> int:
        return self.period % 100

    def figures(self) -> tuple:
        """What a refresh of the same month compares: everything but the date."""
        return (self.level, self.path, self.budget, self.actual, self.forecast, self.method)
