"""The typed inputs of the engine. Amounts are öre (int); positions are the
strings shown to the user (``Budget!D7``, ``rad 17 (Belopp)``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

INCOME = "Intäkt"
COST = "Kostnad"
METHODS = ("budget", "rest", "trend")


@dataclass(frozen=True)
class Settings:
    unit: str
    year: int | None = None
    period: int | None = None  # closing month 0..12; None = latest booked month
    amounts_in: str = "kr"  # unit of the Budget sheet's amounts
    show_in: str = "tkr"
    method: str = "budget"
    where: dict[str, str] = field(default_factory=dict)  # setting → position


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


@dataclass(frozen=True)
class Key:
    name: str
    weights: tuple[Decimal, ...]  # 12 non-negative weights
    where: str


@dataclass
class Ledger:
    """The ledger as a DataFrame: ``period`` (yyyymm int), one text column per
    dimension (``konto``, ``ansvar`` …, codes as text), ``text``, ``amount``
    (öre, debit positive), ``row``/``col`` (source position)."""

    frame: object  # pandas.DataFrame
    dimensions: list[str]  # canonical dimension columns present, in source order
    labels: dict[str, str]  # canonical column → header as written
    source: str  # e.g. "Utfall" or "export.csv"
    file: str
    locate: Callable[[int, int], str]  # (row, col) → position text
    rows_read: int = 0
    layout: str = "rader"  # "rader" | "månadsmatris"
