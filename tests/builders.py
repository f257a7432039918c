"""Tiny inline inputs for the engine tests: tables as lists of rows (the first
row is the header), read by the real readers and assembled and reconciled as
``Job`` does (``read.inputs.assemble``, ``job.reconcile_inputs``)."""

from __future__ import annotations

from fractions import Fraction

from toolkit.engine.model import Settings
from toolkit.engine.report import Report
from toolkit.job import reconcile_inputs
from toolkit.read.grid import Grid
from toolkit.read.inputs import Sheets, assemble

FILE = "test.xlsx"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]


def grid(name: str, rows: list[list], *, file: str = FILE, is_csv: bool = False) -> Grid:
    return Grid(name, file, [list(r) for r in rows], is_csv=is_csv)


def run(budget: list[list], ledger: list[list], keys: list[list] | None = None, *, year: int | None = 2025,
        period: int | None = 8, method: str = "budget", amounts_in: str = "kr",
        changes: list[list] | None = None) -> Report:
    """Reconcile inline Budget / Utfall / Periodisering (/ Budgetändringar) tables."""
    tables = [grid("Budget", budget), grid("Utfall", ledger)] + ([grid("Periodisering", keys)] if keys else [])
    tables += [grid("Budgetändringar", changes)] if changes else []
    book = Sheets(tables, FILE)
    settings = Settings("Test", year, period, amounts_in, "tkr", method)
    return reconcile_inputs(assemble(settings, book, [book]))


def node(report: Report, label: str):
    """The node called ``label`` (or ending a path such as 'Parent › Ofördelat')."""
    found = [n for n in report.nodes() if n.label == label or n.path.endswith(label)]
    assert len(found) == 1, f"{label}: {[n.path for n in report.nodes()]}"
    return found[0]


def kr(value) -> Fraction:
    """Öre (int or Fraction) → kr as a Fraction."""
    return Fraction(value) / 100


def tkr(value) -> Fraction:
    return Fraction(value) / 100_000


def slugs(report: Report) -> list[str]:
    return [f.slug for f in report.findings]


def key_row(name: str, *weights) -> list:
    assert len(weights) == 12
    return [name, *weights]


KEY_HEADER = ["Nyckel", *MONTHS]
