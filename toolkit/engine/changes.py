"""Budgetändringar: the changes decided during the year, resolved to the
budget lines they change, and how they enter the figures.

The Budget sheet's amount is the line's original budget (ursprunglig
budget).  The revised budget is the original plus the line's changes dated
up to the closing period: a change dated after it is listed (on Avstämning's
budget bridge) but not yet counted.  A change dated in an earlier year counts
from January.

**Periodisation.**  A change takes effect from its month m: its periodised
part is spread over months m..12 by the line's own key, the key's weights of
those months renormalised to the whole change (Σ w[m..P] ÷ Σ w[m..12] of it
falls in months 1..P; where the key has no weight left from m on, evenly over
m..12).  A change marked ``Från januari`` (or dated in an earlier year) is
spread over the whole year like the original budget.  So a June change moves
the periodised budget only from June on, and the months add up to the
revised budget exactly (``Fraction`` of öre).

A change's ``Rad`` names a line by its label, or by its label path
(``Utvecklingsmedel › Ofördelat``) where a label is not unique.  A heading (a
line with lines under it) cannot be changed: its budget is its lines' sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from ..contract import CHANGES_SHEET, MONTH_NAMES, PATH_SEPARATOR, REALLOCATION, and_list, normalise_header
from ..contract.changes import path_parts
from ..errors import InputError
from ..findings import Finding
from ..money import format_kr
from .model import BudgetChange

MONTHS_IN_YEAR = 12
ZERO = Fraction(0)


@dataclass(frozen=True)
class Change:
    """A change resolved to its line: the ``path`` of the line it changes,
    the ``amount`` in öre in the line's own sign (+ raises its budget),
    whether it is ``counted`` (dated up to the closing period) and the month it
    takes effect from (``start``, 1 = the whole year)."""

    source: BudgetChange
    path: tuple[str, ...]
    amount: int
    counted: bool
    start: int
    unit: str = ""  # a consolidation: the unit whose change it is

    @property
    def date(self) -> dt.date:
        return self.source.date

    @property
    def type(self) -> str:
        return self.source.type

    @property
    def decision(self) -> str:
        return self.source.decision

    @property
    def comment(self) -> str:
        return self.source.comment

    @property
    def where(self) -> str:
        return self.source.where

    @property
    def timed(self) -> bool:
        """Counted and taking effect after January: the line's periodised budget
        is then no longer its budget × its key's share of the year."""
        return self.counted and self.start > 1


def counted(date: dt.date, year: int, period: int) -> bool:
    """Is a change of ``date`` in the budget of ``year`` up to closing month ``period``?"""
    return (date.year, date.month) <= (year, period)


def start_month(change: BudgetChange, year: int) -> int:
    """The month the change takes effect from: 1 for Från januari or an earlier year's date."""
    if change.from_january or change.date.year < year:
        return 1
    return min(change.date.month, MONTHS_IN_YEAR) if change.date.year == year else MONTHS_IN_YEAR


def _remaining(weights: Sequence[Decimal], start: int) -> list[Fraction]:
    """The key's weights of months ``start``..12, evenly when they are all 0."""
    rest = [Fraction(w) for w in weights[start - 1:]]
    if not sum(rest, ZERO):
        rest = [Fraction(1)] * len(rest)
    return rest


def spread(weights: Sequence[Decimal], start: int) -> tuple[Fraction, ...]:
    """Each month's share (Jan..Dec) of a change taking effect from month
    ``start``: 0 before it, the key's weights of months start..12 renormalised
    from it on; the twelve add up to 1 exactly."""
    rest = _remaining(weights, start)
    whole = sum(rest, ZERO)
    return (ZERO,) * (start - 1) + tuple(w / whole for w in rest)


def phased_share(weights: Sequence[Decimal], start: int, period: int) -> Fraction:
    """The share of a change from month ``start`` that falls in months 1..``period``."""
    if period < start:
        return ZERO
    rest = _remaining(weights, start)
    return sum(rest[:period - start + 1], ZERO) / sum(rest, ZERO)


@dataclass(frozen=True)
class Resolved:
    """The changes of a unit: all of them in sheet order, and by leaf (``id`` of its tree node)."""

    changes: tuple[Change, ...] = ()
    by_leaf: dict[int, tuple[Change, ...]] | None = None
    findings: tuple[Finding, ...] = ()

    def of(self, node) -> tuple[Change, ...]:
        return (self.by_leaf or {}).get(id(node), ())


def resolve(changes: Sequence[BudgetChange], roots: Sequence, year: int, period: int, file: str) -> Resolved:
    """The changes resolved against the budget tree (``tree.Node`` roots); a
    Rad that names no line, or a heading, stops the run naming its cell."""
    if not changes:
        return Resolved()
    nodes = [n for root in roots for n in root.walk()]
    by_path = {tuple(normalise_header(p) for p in n.key_path): n for n in nodes}
    by_label: dict[str, list] = {}
    for n in nodes:
        by_label.setdefault(normalise_header(n.label), []).append(n)

    out: list[Change] = []
    by_leaf: dict[int, list[Change]] = {}
    findings: list[Finding] = []
    for change in changes:
        node = _line(change, by_path, by_label, file)
        amount = -change.amount if node.ledger_sign else change.amount
        resolved = Change(change, node.key_path, amount, counted(change.date, year, period), start_month(change, year))
        out.append(resolved)
        by_leaf.setdefault(id(node), []).append(resolved)
        if not resolved.counted:
            findings.append(Finding(
                "andring-efter-perioden", change.where,
                f"ändringen av \"{node.path}\" ({_signed(change.amount)} kr, {change.date.isoformat()}) är daterad "
                f"efter bokslutsperioden ({_period_name(year, period)}) och ingår inte i budgeten än", "info"))
    moved = sum(c.amount for c in changes if c.type == REALLOCATION)
    if moved:
        rows = [c for c in changes if c.type == REALLOCATION]
        findings.append(Finding(
            "omfordelning-obalans", CHANGES_SHEET.name,
            f"omfördelningarna på {CHANGES_SHEET.name} ({len(rows)} rader) summerar till {_signed(moved)} kr, inte "
            "0; en omfördelning flyttar budget mellan rader, så det som läggs på en rad ska dras från en annan — "
            "saknas en rad, eller är det ett tilläggsanslag?", "varning"))
    return Resolved(tuple(out), {k: tuple(v) for k, v in by_leaf.items()}, tuple(findings))


def _line(change: BudgetChange, by_path: dict, by_label: dict, file: str):
    """The tree node ``change.line`` names, a leaf; else the one line saying why not."""
    text = change.line
    where = change.cells.get("rad", change.where)
    source = change.file or file
    parts = path_parts(text)
    if normalise_header(text) in by_label:
        parts = [text]
    if len(parts) > 1:
        node = by_path.get(tuple(normalise_header(p) for p in parts))
    else:
        found = by_label.get(normalise_header(text), [])
        if len(found) > 1:
            paths = [f"\"{n.path}\"" for n in found]
            raise InputError(f"det finns flera rader som heter \"{text}\" ({and_list(paths)}); skriv raden med "
                             f"sökväg, t.ex. {paths[0]}", file=source, where=where, slug="andring-rad-tvetydig")
        node = found[0] if found else None
    if node is None:
        raise InputError(f"budgetraden \"{text}\" finns inte på bladet Budget; skriv radens namn som i kolumnen Rad "
                         f"(eller dess sökväg, t.ex. \"Rubrik{PATH_SEPARATOR}Rad\")", file=source, where=where,
                         slug="andring-rad-okand")
    if node.children:
        lines = and_list([f"\"{child.label}\"" for child in node.children])
        raise InputError(f"\"{node.path}\" är en rubrikrad; dess budget är summan av raderna under den ({lines}) — "
                         "ange ändringen på en av dem", file=source, where=where, slug="andring-pa-rubrik")
    return node


def _signed(ore: int) -> str:
    return ("+" if ore > 0 else "") + format_kr(ore)


def _period_name(year: int, period: int) -> str:
    return f"{MONTH_NAMES[period - 1]} {year}" if period else f"före januari {year}"


def with_unit(changes: Sequence[Change], unit: str, path_of) -> tuple[Change, ...]:
    """A unit's changes in a consolidation: named by the unit, on the consolidated line ``path_of(path)``."""
    return tuple(replace(c, unit=unit, path=path_of(c.path)) for c in changes)
