"""From typed inputs to the Report that the sheets show.

``reconcile()`` is the engine's one entry point: it is pure (no files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..contract import MONTHS, SETTINGS_SHEET
from ..errors import InputError
from ..findings import Finding, accept, warnings
from ..money import format_kr
from . import plausibility
from .figures import Figures, combine
from .forecast import forecast
from .mapping import UNBUDGETED, assign, combinations
from .model import BudgetLine, Key, Ledger, Settings
from .notes import NoteRow, Notes, attach, node_key, summary_keys
from .periodisation import share, ytd
from .tree import Node, build_tree

UNBUDGETED_LABEL = "Ej budgeterat"


@dataclass
class LeftOut:
    reason: str  # "annat år" | "efter perioden"
    period: int  # yyyymm
    rows: int
    amount: int  # öre


@dataclass
class UnbudgetedItem:
    codes: dict[str, str]
    rows: int
    amount: int  # öre, debit positive
    example: str  # position of one row


@dataclass
class TieOut:
    source: str
    layout: str
    rows_read: int
    rows_in_period: int
    sum_in_period: int  # öre, debit positive
    sum_lines: int
    sum_unbudgeted: int
    unbudgeted: list[UnbudgetedItem] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def difference(self) -> int:
        return self.sum_in_period - self.sum_lines - self.sum_unbudgeted


@dataclass
class Report:
    unit: str
    year: int
    period: int  # closing month, 0 = nothing booked yet
    show_in: str
    method: str
    roots: list[Node]
    unbudgeted: Figures | None
    total: Figures
    assignments: list[tuple[str, Figures]]  # result sign (income +, cost −)
    tieout: TieOut
    findings: list[Finding]
    shares: dict[int, tuple] = field(default_factory=dict)
    notes: dict[tuple[str, ...], NoteRow] = field(default_factory=dict)  # the economist's cells per row key
    note_orphans: list[NoteRow] = field(default_factory=list)  # kept under the table
    note_headers: dict[int, str] = field(default_factory=dict)
    note_widths: dict[int, float] = field(default_factory=dict)

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

    def nodes(self):
        for root in self.roots:
            yield from root.walk()

    def leaves(self):
        return [n for n in self.nodes() if n.is_leaf]


def resolve_period(settings: Settings, ledger: Ledger, file: str) -> tuple[int, int]:
    periods = ledger.period
    year = settings.year
    if year is None:
        if len(periods) == 0:
            raise InputError("huvudboken är tom och året är okänt; ange År på bladet Inställningar", file=file)
        year = int(periods.max() // 100)
    if settings.period is not None:
        return year, settings.period
    in_year = periods[periods // 100 == year]
    return year, int(in_year.max() % 100) if len(in_year) else 0


def reconcile(lines: list[BudgetLine], keys: list[Key], ledger: Ledger, settings: Settings, *,
              budget_file: str, findings: list[Finding] | None = None, notes: Notes | None = None) -> Report:
    findings = list(findings or []) + list(ledger.notes)
    year, period = resolve_period(settings, ledger, budget_file)
    roots, tree_findings = build_tree(lines, keys, year, budget_file)
    findings += tree_findings
    periods = ledger.period
    in_year = periods // 100 == year
    in_period = in_year & (periods % 100 <= period)
    current = ledger.take(in_period)
    leaves = [n for r in roots for n in r.leaves()]
    owner = assign(current, leaves, budget_file)

    amounts = current.amount
    sums = np.bincount(owner + 1, weights=None, minlength=len(leaves) + 1)
    totals = _exact_sums(owner + 1, amounts, len(leaves) + 1)
    for i, leaf in enumerate(leaves):
        leaf.ledger_rows = int(sums[i + 1])
        leaf.ledger_sum = totals[i + 1]
        if leaf.line is not None and not leaf.patterns:
            findings.append(Finding("rad-utan-monster", leaf.where,
                                    f"raden \"{leaf.label}\" har inga mönster och får därför inga huvudboksrader",
                                    "info"))

    fell_back: list[Node] = []
    shares: dict[int, tuple] = {}
    for leaf in leaves:
        part, whole = ytd(leaf.key.weights, period)
        s = share(leaf.key.weights, period)
        shares[id(leaf)] = (part, whole)
        budget = Fraction(leaf.budget)  # öre
        phased = budget * s
        actual = Fraction(-leaf.ledger_sum if leaf.income else leaf.ledger_sum)
        manual = leaf.line.forecast if leaf.line is not None else None
        if manual is not None and leaf.ledger_sign:
            manual = -manual
        value, fb = forecast(settings.method, budget=budget, phased=phased, actual=actual, share=s,
                             manual=Fraction(manual) if manual is not None else None)
        if fb:
            fell_back.append(leaf)
        committed = Fraction(leaf.line.committed or 0) if leaf.line is not None else Fraction(0)
        if leaf.ledger_sign:
            committed = -committed
        leaf.figures = Figures(leaf.income, budget, phased, actual, value, committed)
    if fell_back and period > 0:
        for leaf in fell_back:
            findings.append(Finding("trend-utan-andel", leaf.where,
                                    f"nyckeln {leaf.key.name} har ingen andel i perioden; prognosen för "
                                    f"\"{leaf.label}\" är budgeten", "info"))

    def roll_up(node: Node) -> Figures:
        if node.is_leaf:
            return node.figures
        node.figures = combine([roll_up(c) for c in node.children], node.income)
        return node.figures

    for root in roots:
        roll_up(root)

    unbudgeted_sum = int(totals[0])
    unbudgeted = None
    if (owner == UNBUDGETED).any():
        actual = Fraction(unbudgeted_sum)
        unbudgeted = Figures(False, actual=actual, forecast=actual)
    total = combine([r.figures for r in roots] + ([unbudgeted] if unbudgeted else []), income=False)

    assignments: dict[str, list[Figures]] = {}
    for root in roots:
        for leaf in root.leaves():
            assignments.setdefault(leaf.assignment or root.label, []).append(leaf.figures)
    groups = [(name, combine(parts, income=True)) for name, parts in assignments.items()]
    if unbudgeted:
        groups.append((UNBUDGETED_LABEL, unbudgeted.as_sign(True)))

    tie = _tieout(ledger, current, owner, in_year, in_period, year, period, totals, unbudgeted_sum)
    if (note := plausibility.unbudgeted(tie, leaves)) is not None:
        findings.append(note)
    for item in tie.left_out:
        findings.append(Finding("utanfor-perioden", ledger.source,
                                f"{item.rows} rader i period {item.period // 100}-{item.period % 100:02d} "
                                f"({format_kr(item.amount)} kr) är {item.reason} och ingår inte", "info"))
    report = Report(settings.unit, year, period, settings.show_in, settings.method, roots, unbudgeted, total,
                    groups, tie, findings, shares)
    report.findings += plausibility.check(report, ledger, settings)
    if notes:
        comments = {node_key(n): n.comment for r in roots for n in r.walk() if n.comment}
        report.notes, report.note_orphans, carried = attach(notes, summary_keys(roots, unbudgeted is not None),
                                                            comments)
        report.findings += carried
        report.note_headers, report.note_widths = dict(notes.headers), dict(notes.widths)
    if settings.accepted:
        report.findings = accept(report.findings, settings.accepted, settings.where.get("accepted", SETTINGS_SHEET.name))
    return report


def _exact_sums(groups: np.ndarray, amounts: np.ndarray, size: int) -> list[int]:
    """Σ amounts per group, exactly (int64 arithmetic, no floats)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, groups, amounts.astype(np.int64))
    return [int(x) for x in out]


def _tieout(ledger: Ledger, current: Ledger, owner, in_year, in_period, year, period, totals,
            unbudgeted_sum) -> TieOut:
    sum_in_period = int(current.amount.sum())
    tie = TieOut(ledger.source, ledger.layout, ledger.rows_read, len(current), sum_in_period,
                 sum(totals[1:]), unbudgeted_sum, dimensions=list(ledger.dimensions), labels=dict(ledger.labels))
    if (owner == UNBUDGETED).any():
        rows = current.take(owner == UNBUDGETED)
        dims = list(ledger.dimensions)
        columns = [rows.codes[d] for d in dims]
        group, combos = combinations([c.index for c in columns], [len(c.texts) for c in columns])
        counts = np.bincount(group, minlength=len(combos))
        sums = _exact_sums(group, rows.amount, len(combos))
        first = np.full(len(combos), len(group), dtype=np.int64)
        np.minimum.at(first, group, np.arange(len(group)))
        items = []
        for g in range(len(combos)):
            codes = {d: columns[k].texts[int(combos[g, k])] for k, d in enumerate(dims)}
            items.append(UnbudgetedItem(codes, int(counts[g]), sums[g], rows.where(int(first[g]))))
        tie.unbudgeted = sorted(items, key=lambda item: tuple(item.codes[d] for d in dims))
    outside = ~in_period
    if outside.any():
        periods, index = np.unique(ledger.period[outside], return_inverse=True)
        counts = np.bincount(index.ravel(), minlength=len(periods))
        sums = _exact_sums(index.ravel(), ledger.amount[outside], len(periods))
        left = [LeftOut("efter bokslutsperioden" if p // 100 == year else "från ett annat år", int(p), int(c), s)
                for p, c, s in zip(periods.tolist(), counts.tolist(), sums)]
        tie.left_out = sorted(left, key=lambda item: (item.reason, item.period))
    return tie
