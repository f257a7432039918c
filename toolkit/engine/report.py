"""From typed inputs to the Report that the sheets show.

``reconcile()`` is the engine's one entry point for a unit: it is pure (no
files).  The budget tree is built once (``tree``); the ledger rows are
mapped to its lines (``mapping``); each line's figures are computed
(``periodisation``, ``forecast``) and rolled up into immutable records
(``results``); the tie-out (``tieout``) and the plausibility checks
(``plausibility``) come last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import numpy as np

from ..contract import SETTINGS_SHEET
from ..errors import InputError
from ..findings import Finding, accept
from ..layout import UNBUDGETED_LABEL
from ..money import format_kr
from . import investments as invest
from . import monthly, plausibility
from .changes import resolve as resolve_changes
from .figures import Figures, combine
from .forecast import line_figures
from .mapping import UNBUDGETED, assign
from .model import BudgetChange, BudgetLine, Key, Ledger, Notes, Settings
from .notes import carry
from .periodisation import ytd
from .results import LeftOut, Line, Presentation, Report, TieOut, UnbudgetedItem, UnitPart
from .tieout import exact_sums, tie_out
from .tree import Node, build_tree

__all__ = ["UNBUDGETED_LABEL", "LeftOut", "Line", "Report", "TieOut", "UnbudgetedItem", "UnitPart", "reconcile",
           "resolve_period"]


def resolve_period(settings: Settings, ledger: Ledger, file: str) -> tuple[int, int]:
    periods = ledger.period
    year = settings.year
    if year is None:
        if len(periods) == 0:
            raise InputError("huvudboken är tom och året är okänt; ange År på bladet Inställningar", file=file,
                             slug="ar-okant")
        year = int(periods.max() // 100)
    if settings.period is not None:
        return year, settings.period
    in_year = periods[periods // 100 == year]
    return year, int(in_year.max() % 100) if len(in_year) else 0


def reconcile(lines: list[BudgetLine], keys: list[Key], ledger: Ledger, settings: Settings, *,
              budget_file: str, findings: list[Finding] | None = None, notes: Notes | None = None,
              changes: Sequence[BudgetChange] = ()) -> Report:
    findings = list(findings or []) + list(ledger.notes)
    year, period = resolve_period(settings, ledger, budget_file)
    lines, investment_lines = invest.split(lines, budget_file)
    roots, tree_findings = build_tree(lines, keys, year, budget_file)
    findings += tree_findings
    projects: list = []
    if investment_lines:
        projects, _ = build_tree(investment_lines, keys, year, budget_file)
    ledger = invest.without_other_balance_rows(ledger, projects, budget_file)
    resolved = resolve_changes(changes, [*roots, *projects], year, period, budget_file)
    findings += resolved.findings
    periods = ledger.period
    in_year = periods // 100 == year
    in_period = in_year & (periods % 100 <= period)
    current = ledger.take(in_period)
    investment_rows = np.zeros(len(current), dtype=bool)
    project_sums: list[int] = []
    project_counts: list[int] = []
    prior_sums: list[int] = []  # each project's rows of earlier years in the ledger
    if projects:  # the investments claim their rows first: they never reach an operating line
        claimed = assign(current, projects, budget_file)
        investment_rows = claimed != UNBUDGETED
        project_sums = exact_sums(claimed[investment_rows], current.amount[investment_rows], len(projects))
        project_counts = np.bincount(claimed[investment_rows], minlength=len(projects)).tolist()
        earlier = ledger.take(periods // 100 < year)  # earlier years' rows: Tidigare utfall where it is blank
        prior_sums = [0] * len(projects)
        if len(earlier):
            before = assign(earlier, projects, budget_file)
            prior_sums = exact_sums(before[before != UNBUDGETED], earlier.amount[before != UNBUDGETED], len(projects))
        current = current.take(~investment_rows)
    leaves = [n for r in roots for n in r.leaves()]
    owner = assign(current, leaves, budget_file)

    counts = np.bincount(owner + 1, weights=None, minlength=len(leaves) + 1)
    # Σ per leaf (Ej budgeterat first) and month, exactly; the year's sums add the months
    months = monthly.MONTHS_IN_YEAR
    by_month = exact_sums((owner + 1) * months + np.clip(current.period % 100, 1, months) - 1, current.amount,
                          (len(leaves) + 1) * months)
    totals = [sum(by_month[i * months:(i + 1) * months]) for i in range(len(leaves) + 1)]
    for leaf in leaves:
        if leaf.line is not None and not leaf.patterns:
            findings.append(Finding("rad-utan-monster", leaf.where,
                                    f"raden \"{leaf.label}\" har inga mönster och får därför inga huvudboksrader",
                                    "info"))

    leaf_lines: list[Line] = []  # in the order of ``leaves``: the tree's walk order
    fell_back: list[Node] = []
    for i, leaf in enumerate(leaves):
        figures, fb = line_figures(leaf, totals[i + 1], period, settings.method, resolved.of(leaf))
        if fb:
            fell_back.append(leaf)
        leaf_lines.append(Line(leaf.label, leaf.key_path, leaf.income, figures, node=leaf,
                               share=ytd(leaf.key.weights, period), ledger_rows=int(counts[i + 1]),
                               ledger_sum=totals[i + 1], generated=leaf.generated, changes=resolved.of(leaf)))
    if fell_back and period > 0:
        for leaf in fell_back:
            findings.append(Finding("trend-utan-andel", leaf.where,
                                    f"nyckeln {leaf.key.name} har ingen andel i perioden; prognosen för "
                                    f"\"{leaf.label}\" är budgeten", "info"))

    next_leaf = iter(leaf_lines).__next__

    def record(node: Node) -> Line:
        """The node's line; leaves come from ``leaf_lines``, met in the same walk order."""
        if node.is_leaf:
            return next_leaf()
        children = tuple(record(child) for child in node.children)
        return Line(node.label, node.key_path, node.income, combine([c.figures for c in children], node.income),
                    children, node=node)

    top = tuple(record(root) for root in roots)
    unbudgeted = None
    if (owner == UNBUDGETED).any():
        actual = Fraction(totals[0])
        unbudgeted = Figures(False, actual=actual, forecast=actual)
    total = combine([r.figures for r in top] + ([unbudgeted] if unbudgeted else []), income=False)
    series = [monthly.line_series(line.figures, leaf.key.weights, by_month[(i + 1) * months:(i + 2) * months], period,
                                  line.changes)
              for i, (leaf, line) in enumerate(zip(leaves, leaf_lines))]
    areas = monthly.unit_areas(top, series, monthly.flat_series(unbudgeted, by_month[:months], period)
                               if unbudgeted else None, period)

    assignments: dict[str, list[Figures]] = {}
    for root, line in zip(roots, top):
        for leaf, leaf_line in zip(root.leaves(), line.leaves()):
            assignments.setdefault(leaf.assignment or root.label, []).append(leaf_line.figures)
    groups = [(name, combine(parts, income=True)) for name, parts in assignments.items()]
    if unbudgeted:
        groups.append((UNBUDGETED_LABEL, unbudgeted.as_sign(True)))

    tie = tie_out(ledger, current, owner, in_period, year, totals)
    if projects:
        tie = replace(tie, rows_in_period=tie.rows_in_period + int(investment_rows.sum()),
                      sum_in_period=tie.sum_in_period + sum(project_sums), sum_investments=sum(project_sums),
                      investment_rows=int(investment_rows.sum()))
    if (note := plausibility.unbudgeted(tie, leaf_lines)) is not None:
        findings.append(note)
    for item in tie.left_out:
        findings.append(Finding("utanfor-perioden", ledger.source,
                                f"{item.rows} rader i period {item.period // 100}-{item.period % 100:02d} "
                                f"({format_kr(item.amount)} kr) är {item.reason} och ingår inte", "info"))
    report = Report(settings.unit, year, period, settings.show_in, settings.method, top, unbudgeted, total,
                    tuple(groups), tie, tuple(findings),
                    presentation=Presentation(settings.layout, settings.first_heading, settings.even_sums),
                    monthly=areas, changes=resolved.changes,
                    investments=tuple(invest.project(node, project_sums[i], project_counts[i], resolved.of(node),
                                                     prior_sums[i])
                                      for i, node in enumerate(projects)))
    report = replace(report, findings=(*report.findings, *plausibility.check(report, ledger, settings)))
    report = carry(report, notes)
    if settings.accepted:
        report = replace(report, findings=tuple(accept(report.findings, settings.accepted,
                                                       settings.where.get("accepted", SETTINGS_SHEET.name))))
    return report
