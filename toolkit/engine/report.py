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

from ..contract import LAST_YEAR_PROFILE, SETTINGS_SHEET
from ..errors import InputError
from ..findings import Finding, accept
from ..layout import UNBUDGETED_LABEL
from ..money import format_kr
from . import investments as invest
from . import last_year as fjolar
from . import monthly, plausibility
from .changes import resolve as resolve_changes
from .figures import Figures, combine, in_row_sign
from .forecast import line_figures
from .mapping import UNBUDGETED, assign
from .model import BudgetChange, BudgetLine, Key, Ledger, Notes, Settings
from .notes import carry
from .periodisation import ytd
from .results import LeftOut, Line, Presentation, Report, TieOut, UnbudgetedItem, UnitPart
from .tieout import exact_sums, tie_out
from .transactions import LIMIT, too_many, too_many_note, transactions
from .tree import Node, build_tree

__all__ = ["UNBUDGETED_LABEL", "LeftOut", "Line", "Report", "TieOut", "UnbudgetedItem", "UnitPart", "reconcile",
           "resolve_period"]


def resolve_period(settings: Settings, ledger: Ledger, file: str) -> tuple[int, int]:
    periods = ledger.period
    year = settings.year
    if year is None:
        if len(periods) == 0:
            if ledger.outside is not None and ledger.outside.rows:  # Urval on Inställningar kept none of its rows
                raise InputError(f"urvalet {ledger.outside.text} ({ledger.outside.where}) matchar ingen av "
                                 "huvudbokens rader och året är okänt; ange År på bladet Inställningar eller "
                                 "rätta urvalet", file=file, slug="ar-okant")
            raise InputError("huvudboken är tom och året är okänt; ange År på bladet Inställningar", file=file,
                             slug="ar-okant")
        year = int(periods.max() // 100)
    if settings.period is not None:
        return year, settings.period
    in_year = periods[periods // 100 == year]
    return year, int(in_year.max() % 100) if len(in_year) else 0


def reconcile(lines: list[BudgetLine], keys: list[Key], ledger: Ledger, settings: Settings, *,
              budget_file: str, findings: list[Finding] | None = None, notes: Notes | None = None,
              changes: Sequence[BudgetChange] = (), last_year: Ledger | None = None) -> Report:
    """``last_year``: last year's ledger of its own (--fjolar, Fjolårsfil); without it the
    ledger's rows of År − 1 are last year when they cover the months needed (engine/last_year)."""
    findings = list(findings or []) + list(ledger.notes) + (list(last_year.notes) if last_year is not None else [])
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
    operating = ledger  # the ledger without the investment projects' rows (of any year)
    investment_rows = np.zeros(len(ledger), dtype=bool)  # the projects' rows in the period
    project_sums: list[int] = []
    project_counts: list[int] = []
    prior_sums: list[int] = []  # each project's rows of earlier years in the ledger
    if projects:  # the investments claim their rows first: they never reach an operating line
        claimed = assign(ledger, projects, budget_file)
        theirs = claimed != UNBUDGETED
        investment_rows = in_period & theirs
        project_sums = exact_sums(claimed[investment_rows], ledger.amount[investment_rows], len(projects))
        project_counts = ledger.tally(claimed[investment_rows], len(projects), investment_rows).tolist()
        earlier = theirs & (periods // 100 < year)  # earlier years' rows: Tidigare utfall where it is blank
        prior_sums = exact_sums(claimed[earlier], ledger.amount[earlier], len(projects))
        operating = ledger.take(~theirs)
    current = ledger.take(in_period & ~investment_rows)
    leaves = [n for r in roots for n in r.leaves()]
    owner = assign(current, leaves, budget_file)

    counts = current.tally(owner + 1, len(leaves) + 1)
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

    # last year: the Fjolår column, and the keys of the lines with Fjolårsprofil
    profiled = any(leaf.key.name == LAST_YEAR_PROFILE for leaf in leaves)
    prior = fjolar.select(operating, last_year, year, period, needs_year=profiled)
    findings += prior.findings
    prior_months, prior_rows = fjolar.month_sums(prior.ledger, leaves, budget_file) if prior.ledger is not None \
        else (None, None)
    if profiled:
        no_year = (f"huvudboken har inga rader för {year - 1}; ange fjolårets huvudbok med --fjolar eller "
                   "Fjolårsfil") if not prior.missing else "se fjolar-ofullstandigt"
        for i, leaf in enumerate(leaves):
            if leaf.key.name == LAST_YEAR_PROFILE:
                rows = sum(prior_rows[(i + 1) * 12:(i + 2) * 12]) if prior_rows is not None else 0
                leaf.key, note = fjolar.profile_key(leaf, prior_months[i + 1] if prior_months else None, rows,
                                                    year - 1, no_year)
                if note is not None:
                    findings.append(note)

    leaf_lines: list[Line] = []  # in the order of ``leaves``: the tree's walk order
    fell_back: list[Node] = []
    for i, leaf in enumerate(leaves):
        figures, fb = line_figures(leaf, totals[i + 1], period, settings.method, resolved.of(leaf))
        if prior_months is not None:
            figures = replace(figures, last_year=in_row_sign(sum(prior_months[i + 1][:period]), leaf.income))
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
    current_unbudgeted = bool((owner == UNBUDGETED).any())
    prior_unbudgeted = prior_rows is not None and sum(prior_rows[:period]) > 0
    if current_unbudgeted or prior_unbudgeted:  # last year's alone: a row of 0 with its Fjolår
        actual = Fraction(totals[0])
        unbudgeted = Figures(False, actual=actual, forecast=actual,
                             last_year=Fraction(sum(prior_months[0][:period])) if prior_months else Fraction(0))
    total = combine([r.figures for r in top] + ([unbudgeted] if unbudgeted else []), income=False)
    series = [monthly.line_series(line.figures, leaf.key.weights, by_month[(i + 1) * months:(i + 2) * months], period,
                                  line.changes)
              for i, (leaf, line) in enumerate(zip(leaves, leaf_lines))]
    areas = monthly.unit_areas(top, series, monthly.flat_series(unbudgeted, by_month[:months], period)
                               if current_unbudgeted else None, period)

    assignments: dict[str, list[Figures]] = {}
    for root, line in zip(roots, top):
        for leaf, leaf_line in zip(root.leaves(), line.leaves()):
            assignments.setdefault(leaf.assignment or root.label, []).append(leaf_line.figures)
    groups = [(name, combine(parts, income=True)) for name, parts in assignments.items()]
    if current_unbudgeted:
        groups.append((UNBUDGETED_LABEL, unbudgeted.as_sign(True)))

    tie = tie_out(ledger, current, owner, in_period, year, totals,
                  last_year=fjolar.LAST_YEAR_REASON if prior.in_ledger else None)
    if projects:
        invested = int(ledger.weights()[investment_rows].sum())  # source rows (an aggregated export's groups)
        tie = replace(tie, rows_in_period=tie.rows_in_period + invested,
                      sum_in_period=tie.sum_in_period + sum(project_sums), sum_investments=sum(project_sums),
                      investment_rows=invested)
    if (note := plausibility.unbudgeted(tie, leaf_lines)) is not None:
        findings.append(note)
    if prior.in_ledger:
        findings.append(fjolar.in_ledger_note(prior.ledger, year - 1, ledger.source))
    for item in tie.left_out:
        if item.reason == fjolar.LAST_YEAR_REASON:
            continue
        findings.append(Finding("utanfor-perioden", ledger.source,
                                f"{item.rows} rader i period {item.period // 100}-{item.period % 100:02d} "
                                f"({format_kr(item.amount)} kr) är {item.reason} och ingår inte", "info"))
    listed = None
    unlisted = None
    if settings.transactions:  # Transaktioner: the period's rows with their lines, unless there are too many
        if current.rows() > LIMIT or current.count is not None:  # an aggregated export has no single rows
            findings.append(too_many(current.rows(), ledger.source, LIMIT))
            unlisted = too_many_note(current.rows(), LIMIT)
        else:
            listed = transactions(current, owner, [line.path for line in leaf_lines])
    report = Report(settings.unit, year, period, settings.show_in, settings.method, top, unbudgeted, total,
                    tuple(groups), tie, tuple(findings),
                    presentation=Presentation(settings.layout, settings.first_heading, settings.even_sums),
                    monthly=areas, changes=resolved.changes, transactions=listed,
                    transactions_note=unlisted,
                    last_year=fjolar.record(prior, prior_months, prior_rows, leaf_lines, year, period),
                    investments=tuple(invest.project(node, project_sums[i], project_counts[i], resolved.of(node),
                                                     prior_sums[i])
                                      for i, node in enumerate(projects)))
    report = replace(report, findings=(*report.findings, *plausibility.check(report, ledger, settings)))
    report = carry(report, notes)
    if settings.accepted:
        report = replace(report, findings=tuple(accept(report.findings, settings.accepted,
                                                       settings.where.get("accepted", SETTINGS_SHEET.name))))
    return report
