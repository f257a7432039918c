"""Displayed amounts that add up: largest-remainder rounding over a tree of sums.

Amounts are summed exactly and rounded only for display, so a rounded Summa
can differ by 1 from the sum of its rounded rows (316 + 112 + 41 + 6 = 475,
Summa 476).  The reports accept that, but a table pasted into a report reads
better when it adds up.  ``round_tree`` gives every node of a sum tree a whole
number such that

- the root is its exact value rounded half up, as it would be shown anyway;
- every sum equals the (signed) sum of its parts' shown values;
- every shown value is its exact value rounded down or up, so it lies within 1
  of the exact value, and within 1 of its own ordinary rounding;
- the same tree gives the same numbers (ties go to the part met first).

Top down, each sum's shown value is shared among its parts: each part gets its
exact value rounded down, and the units still missing go to the parts with the
largest remainders (the largest-remainder or Hamilton method).  A part that is
subtracted (an income line under a cost heading) takes part with its sign.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..money import round_half_up


@dataclass(frozen=True)
class Sum:
    """A node of a sum tree: its ``key``, its ``exact`` value and its ``parts``
    as (sign, node); a node without parts is a row of its own. A node with parts
    must be exactly the signed sum of their values."""

    key: Hashable
    exact: Fraction
    parts: tuple[tuple[int, Sum], ...] = ()


@dataclass(frozen=True)
class Adjustment:
    """A shown value that is not its exact value's ordinary rounding."""

    key: Hashable
    exact: Fraction
    rounded: int  # the exact value rounded half up
    shown: int


def share(total: int, exact: Sequence[Fraction]) -> list[int]:
    """Whole numbers, each ``exact[i]`` rounded down or up, that sum to ``total``.

    ``total`` must lie strictly within 1 of ``sum(exact)`` (it does when it is
    that sum rounded, or a value this function gave)."""
    floors = [math.floor(x) for x in exact]
    missing = total - sum(floors)
    if not 0 <= missing <= len(exact):
        raise ValueError(f"{total} cannot be shared among {list(exact)}")
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


def round_tree(root: Sum) -> dict[Hashable, int]:
    """Every node's shown value, by key (keys must be unique)."""
    shown: dict[Hashable, int] = {}

    def give(node: Sum, value: int) -> None:
        if node.key in shown:
            raise ValueError(f"the key {node.key!r} is in the tree twice")
        shown[node.key] = value
        if not node.parts:
            return
        signed = share(value, [sign * part.exact for sign, part in node.parts])
        for (sign, part), n in zip(node.parts, signed):
            give(part, sign * n)

    give(root, round_half_up(root.exact))
    return shown


def adjustments(root: Sum, shown: dict[Hashable, int]) -> list[Adjustment]:
    """The nodes whose shown value differs from their ordinary rounding, in tree order."""
    out: list[Adjustment] = []

    def walk(node: Sum) -> None:
        plain = round_half_up(node.exact)
        if shown[node.key] != plain:
            out.append(Adjustment(node.key, node.exact, plain, shown[node.key]))
        for _, part in node.parts:
            walk(part)

    walk(root)
    return out


# --- the report's amounts -----------------------------------------------------------------------------------------

#: the figures (``Figures`` attributes) Sammanställning shows that add up; Avvikelse budget–prognos, Kvar att
#: disponera and Utfall % are formulas of these on each row
MEASURES = ("budget", "actual", "variance", "forecast", "committed", "last_year")
#: with Budgetändringar also Ursprunglig budget and Ändringar
CHANGE_MEASURES = ("original", "changes")
TOTAL, INCOMES, COSTS, UNBUDGETED = ("total",), ("incomes",), ("costs",), ("unbudgeted",)


@dataclass(frozen=True)
class EvenSums:
    """Jämna summor: each row's shown whole amounts (in the unit shown), by
    (row, measure) — a row is ``("line", label_path)`` for a line or heading, or
    TOTAL, INCOMES, COSTS, UNBUDGETED — and the adjustments: the shown amounts
    that differ from their exact amount's ordinary rounding."""

    shown: dict[tuple[Hashable, str], int]
    adjustments: tuple[tuple[str, Adjustment], ...]  # (measure, adjustment), in the table's order per measure

    def get(self, row: Hashable, measure: str) -> int:
        return self.shown[(row, measure)]


def line_key(line) -> tuple:
    return ("line", line.label_path)


def sum_tree(report, measure: str, scale: int) -> Sum:
    """The report's ``measure`` as Sammanställning adds it up (``scale``: öre per
    unit shown, 100 000 for tkr). Totalt (net cost) is Summa kostnader less Summa
    intäkter when the unit has income lines at the top, else the lines at the top
    (an income line less) and Ej budgeterat; a heading is the sum of its lines
    (one of the other type less). A variance is favourable positive on every
    row, so there every part is added."""
    plain = measure == "variance"

    def value(figures) -> Fraction:
        return Fraction(getattr(figures, measure)) / scale

    def sign(part_income: bool, whole_income: bool) -> int:
        return 1 if plain or part_income == whole_income else -1

    def node(line) -> Sum:
        return Sum(line_key(line), value(line.figures),
                   tuple((sign(child.income, line.income), node(child)) for child in line.children))

    roots = [(root, node(root)) for root in report.roots]
    extra = ((1, Sum(UNBUDGETED, value(report.unbudgeted))),) if report.unbudgeted is not None else ()
    if report.has_income:
        incomes = Sum(INCOMES, value(report.incomes), tuple((1, n) for r, n in roots if r.income))
        costs = Sum(COSTS, value(report.costs), tuple((1, n) for r, n in roots if not r.income) + extra)
        return Sum(TOTAL, value(report.total), ((1, costs), (sign(True, False), incomes)))
    return Sum(TOTAL, value(report.total), tuple((sign(r.income, False), n) for r, n in roots) + extra)


def even_sums(report, scale: int) -> EvenSums:
    """The report's displayed amounts made to add up, every measure on its own
    (``scale``: öre per unit shown)."""
    shown: dict[tuple[Hashable, str], int] = {}
    adjusted: list[tuple[str, Adjustment]] = []
    for measure in MEASURES + (CHANGE_MEASURES if report.has_changes else ()):
        tree = sum_tree(report, measure, scale)
        values = round_tree(tree)
        shown.update({(key, measure): n for key, n in values.items()})
        adjusted += [(measure, a) for a in adjustments(tree, values)]
    return EvenSums(shown, tuple(adjusted))
