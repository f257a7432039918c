"""The engine's results as records: what the sheets, the JSON and the Python
API show.  Immutable: the budget tree (``tree.Node``) is built once from the
inputs and never changed afterwards; every figure the engine computes lives
on a ``Line`` of the ``Report``, not on the tree.

A unit's run and a consolidation give the same ``Report``; a consolidation
also has its ``units`` and, on every line, each unit's figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..contract import MONTHS, PATH_SEPARATOR
from ..contract.settings import FIRST_HEADING, LAYOUT
from ..findings import Finding, warnings
from .changes import Change
from .figures import Figures, combine
from .materiality import Materiality
from .model import ForecastRecord, NoteRow, Outside, RowKey
from .monthly import Area
from .transactions import Transactions
from .tree import Node

if TYPE_CHECKING:
    from .last_year import LastYear


@dataclass(frozen=True)
class Line:
    """One row of the report: a budget line, a heading (its figures the sum of
    its ``children``), or an ``Ofördelat`` line reconcile made."""

    label: str
    label_path: RowKey  # ("Utvecklingsmedel", "Mötesplats seniorer"): how the carried notes find the row
    income: bool
    figures: Figures
    children: tuple[Line, ...] = ()
    node: Node | None = None  # the budget line it reports (None for a consolidated row)
    share: tuple[Decimal, Decimal] | None = None  # a leaf's key: (Σ weights 1..P, Σ all weights); None: no one key
    ledger_rows: int = 0  # ledger rows mapped to it (leaves)
    ledger_sum: int = 0  # their sum, öre, debit positive
    units: tuple[Figures | None, ...] = ()  # a consolidation: each unit's figures on this row (None: not there)
    generated: bool = False  # an Ofördelat line reconcile made (in a unit or a consolidation)
    changes: tuple[Change, ...] = ()  # a leaf's Budgetändringar (counted or not), in sheet order

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def depth(self) -> int:
        return len(self.label_path) - 1

    @property
    def where(self) -> str:
        return self.node.where if self.node is not None else ""

    @property
    def comment(self) -> str:
        return self.node.comment if self.node is not None else ""

    @property
    def key(self):
        """The line's periodisation key (``model.Key``); None for a consolidated row."""
        return self.node.key if self.node is not None else None

    @property
    def assignment(self) -> str:
        """Its Uppdrag ('' for a consolidated row)."""
        return self.node.assignment if self.node is not None else ""

    @property
    def path(self) -> str:
        """'Utvecklingsmedel › Mötesplats seniorer'."""
        return PATH_SEPARATOR.join(self.label_path)

    @property
    def phased_by_key(self) -> bool:
        """Is the periodised budget the budget × the key's share of the year (no
        counted change of the line takes effect after January)?"""
        return self.share is not None and not any(change.timed for change in self.changes)

    def walk(self) -> Iterator[Line]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> list[Line]:
        return [line for line in self.walk() if line.is_leaf]


@dataclass(frozen=True)
class LeftOut:
    reason: str  # "från ett annat år" | "efter bokslutsperioden" | "fjolår, jämförelse" (last_year.LAST_YEAR_REASON)
    period: int  # yyyymm
    rows: int
    amount: int  # öre


@dataclass(frozen=True)
class UnbudgetedItem:
    codes: dict[str, str]
    rows: int
    amount: int  # öre, debit positive
    example: str  # position of one row


@dataclass(frozen=True)
class TieOut:
    """The ledger against the lines, exact in öre."""

    source: str
    layout: str
    rows_read: int
    rows_in_period: int
    sum_in_period: int  # öre, debit positive
    sum_lines: int
    sum_unbudgeted: int
    unbudgeted: tuple[UnbudgetedItem, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    dimensions: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    sum_investments: int = 0  # öre: the rows of the investment projects (Typ Investering), apart from the lines
    investment_rows: int = 0
    outside: Outside | None = None  # the ledger's rows outside the unit's Urval (None: no Urval)

    @property
    def sum_unit(self) -> int:
        """Σ the unit's rows, every period (öre): those in the period and those left out."""
        return self.sum_in_period + sum(item.amount for item in self.left_out)

    @property
    def difference(self) -> int:
        return self.sum_in_period - self.sum_lines - self.sum_unbudgeted - self.sum_investments


@dataclass(frozen=True)
class UnitPart:
    """One unit of a consolidation: its own report, and its column as the
    consolidation adds it up (``total``, ``unbudgeted``)."""

    name: str  # as shown in headings (the unit's Enhet, made unique)
    file: str
    report: Report
    total: Figures
    unbudgeted: Figures | None
    source: str = ""  # the workbook as the consolidation records it (``consolidation.Unit.source``)


@dataclass(frozen=True)
class Presentation:
    """How Sammanställning is laid out: Inställningar's Layout (träd or rapport),
    Rubrik första kolumnen and Jämna summor (displayed amounts that add up)."""

    layout: str = LAYOUT.default
    first_heading: str = FIRST_HEADING.default
    even_sums: bool = False


@dataclass(frozen=True)
class Explanations:
    """The economist's own text on Analys, carried from the previous refresh
    (``engine.explanations``): per area key the cells typed from Förklaring on,
    those whose area is gone, and the own columns' headings and widths."""

    rows: dict[RowKey, NoteRow] = field(default_factory=dict)
    orphans: tuple[NoteRow, ...] = ()  # kept under the table
    headers: dict[int, str] = field(default_factory=dict)  # offset ≥ 1 → heading
    widths: dict[int, float] = field(default_factory=dict)  # offset ≥ 0 → width set by hand


@dataclass(frozen=True)
class Report:
    unit: str  # the unit's name (a consolidation's --name)
    year: int
    period: int  # closing month, 0 = nothing booked yet
    show_in: str
    method: str
    roots: tuple[Line, ...]
    unbudgeted: Figures | None
    total: Figures
    assignments: tuple[tuple[str, Figures], ...]  # result sign (income +, cost −)
    tieout: TieOut | None  # None for a consolidation (each unit has its own)
    findings: tuple[Finding, ...]
    units: tuple[UnitPart, ...] = ()  # a consolidation's units, in the order given
    notes: dict[RowKey, NoteRow] = field(default_factory=dict)  # the economist's cells per row key
    note_orphans: tuple[NoteRow, ...] = ()  # kept under the table
    note_headers: dict[int, str] = field(default_factory=dict)
    note_widths: dict[int, float] = field(default_factory=dict)
    presentation: Presentation = Presentation()
    explanations: Explanations = field(default_factory=Explanations)  # the economist's text on Analys
    monthly: tuple[Area, ...] = ()  # Månadsuppföljning: Totalt, each Uppdrag, each top-level line (engine/monthly)
    changes: tuple[Change, ...] = ()  # Budgetändringar resolved to their lines (a consolidation's: every unit's)
    materiality: Materiality | None = None  # Väsentlighet: the material lines (None: the unit has no rule)
    transactions: Transactions | None = None  # Transaktioner: the period's ledger rows (None: no such sheet)
    #: Transaktioner without rows: why (too many rows; switched off after an earlier run wrote it)
    transactions_note: str | None = None
    last_year: LastYear | None = None  # last year's utfall (engine/last_year): the Fjolår column; None: none
    history: tuple[ForecastRecord, ...] = ()  # Prognoshistorik: every month recorded, this run's too (engine/history)
    investments: tuple = ()  # engine.investments.Project: Typ Investering, apart from the operating result
    investments_note: str | None = None  # Investeringar without projects (an earlier run wrote it): why

    @property
    def has_changes(self) -> bool:
        """Does the budget include changes (Sammanställning then shows Ursprunglig budget and Ändringar)?"""
        projects = {(project.label,) for project in self.investments}  # their changes show on Investeringar
        return any(change.counted and change.path not in projects for change in self.changes)

    @property
    def is_consolidation(self) -> bool:
        return bool(self.units)

    @property
    def has_income(self) -> bool:
        """Has the unit income lines of its own at the top (then Sammanställning
        shows Summa intäkter, Summa kostnader and Resultat)?"""
        return any(root.income for root in self.roots)

    @property
    def incomes(self) -> Figures:
        """Σ of the income lines at the top, in income sign (Summa intäkter)."""
        return combine([root.figures for root in self.roots if root.income], income=True)

    @property
    def costs(self) -> Figures:
        """Σ of the cost lines at the top and Ej budgeterat, in cost sign (Summa
        kostnader); ``total`` is ``costs`` − ``incomes`` (net cost)."""
        return combine([root.figures for root in self.roots if not root.income]
                       + ([self.unbudgeted] if self.unbudgeted is not None else []), income=False)

    @property
    def period_label(self) -> str:
        """'jan–aug'; for period 0 the plan's year: '2025, 0 mån'."""
        if self.period == 0:
            return f"{self.year}, 0 mån"
        if self.period == 1:
            return MONTHS[0]
        return f"{MONTHS[0]}–{MONTHS[self.period - 1]}"

    @property
    def warnings(self) -> list[Finding]:
        """The findings that say a figure is probably wrong."""
        return warnings(self.findings)

    def nodes(self) -> Iterator[Line]:
        """Every line, in the order the sheets show them."""
        for root in self.roots:
            yield from root.walk()

    def leaves(self) -> list[Line]:
        return [line for line in self.nodes() if line.is_leaf]
