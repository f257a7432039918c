"""Consolidation: several units' reconciled figures as one table.

The units' line trees are merged by label path (``Intäkter › Avgifter``,
labels compared as headers are: case and spacing aside), in the order they
are first met; a line that only some units have is simply there for them.
Units may map the ledger differently — only their line labels must line up.

A path that is a line in one unit but has lines under it in another keeps
the first unit's figures on a generated ``Ofördelat`` line beneath it, so
every consolidated sum is still the sum of the rows under it.  Every
unit's figures end in exactly one consolidated leaf (or Ej budgeterat), so
each unit's column on Per enhet adds up to that unit's own Totalt and the
consolidated Totalt is the sum of the units' — exactly, in öre.

The result is a ``Report`` like a unit's, with its ``units`` and each unit's
figures on every line.  The units' budget changes add up by line path like
every figure; the consolidation's ``changes`` are all of them, each named by
its unit and placed on the consolidated line (for the budget bridge).

The units' investment projects (Typ Investering) are all of them, in the
units' order (Investeringar groups them by unit).  Last year (Fjolår) is
added up like every figure; the consolidation has it — the Fjolår column —
only when every unit has it (``last_year``), else an info finding names
the units without.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..contract import and_list, normalise_header
from ..findings import Finding
from ..layout import UNBUDGETED_LABEL
from . import monthly
from .figures import Figures, combine
from .last_year import LastYear
from .results import Line, Presentation, Report, UnitPart
from .tree import UNALLOCATED

MIXED = "blandad"  # method or unit of display when the units differ


@dataclass(frozen=True)
class Unit:
    """A unit to consolidate: its name as shown in headings (its Enhet, made unique), file and report."""

    name: str
    file: str
    report: Report
    #: the workbook as the consolidation records it (on Per enhet), relative to the consolidation's folder
    #: when it can be; "" when not recorded
    source: str = ""


@dataclass(eq=False)
class _Row:
    """A consolidated row while the units are merged into it (local to ``consolidate``)."""

    label: str
    key: tuple[str, ...]
    income: bool
    parent: _Row | None
    children: list[_Row] = field(default_factory=list)
    own: list[tuple[int, Figures]] = field(default_factory=list)  # (unit, figures) where the row is a leaf
    types: dict[bool, list[str]] = field(default_factory=dict)  # income? -> the units that have it so
    generated: bool = False

    @property
    def path(self) -> str:
        return " › ".join(self.key)


def consolidate(units: list[Unit], name: str) -> Report:
    """The units (sharing År and closing period: the caller checks) as one report."""
    first = units[0].report
    findings: list[Finding] = []
    tops: list[_Row] = []
    index: dict[tuple[str, ...], _Row] = {}

    def place(line: Line, parent: _Row | None, path: tuple[str, ...], u: int) -> None:
        path = (*path, normalise_header(line.label))
        row = index.get(path)
        if row is None:
            row = _Row(line.label, (*parent.key, line.label) if parent else (line.label,), line.income, parent)
            index[path] = row
            (parent.children if parent is not None else tops).append(row)
        row.types.setdefault(line.income, []).append(units[u].name)
        if line.is_leaf:
            row.own.append((u, line.figures))
        for child in line.children:
            place(child, row, path, u)

    for u, unit in enumerate(units):
        for root in unit.report.roots:
            place(root, None, (), u)

    # a line in one unit, lines under it in another: its own figures go to Ofördelat under it
    for path, row in list(index.items()):
        if row.children and row.own:
            key = (*path, normalise_header(UNALLOCATED))
            extra = index.get(key)
            if extra is None:
                extra = _Row(UNALLOCATED, (*row.key, UNALLOCATED), row.income, row, generated=True)
                index[key] = extra
                row.children.append(extra)
            moved, row.own = row.own, []
            extra.own.extend(moved)
            findings.append(Finding(
                "konsolidering-ofordelat", row.path,
                f"raden \"{row.path}\" har inga rader under sig hos {_names(units, moved)} men har det hos "
                f"andra enheter; deras belopp redovisas som {UNALLOCATED} under den", "info"))

    n = len(units)

    def record(row: _Row) -> Line:
        if not row.children:
            parts = row.own
            per_unit = tuple(combine([f for v, f in parts if v == u], row.income) if any(v == u for v, _ in parts)
                             else None for u in range(n))
            return Line(row.label, row.key, row.income, combine([f for _, f in parts], row.income),
                        units=per_unit, generated=row.generated)
        children = tuple(record(child) for child in row.children)
        per_unit = tuple(
            combine([f for child in children if (f := child.units[u]) is not None], row.income)
            if any(child.units[u] is not None for child in children) else None
            for u in range(n))
        return Line(row.label, row.key, row.income, combine([c.figures for c in children], row.income), children,
                    units=per_unit, generated=row.generated)

    roots = tuple(record(row) for row in tops)
    lines = {line.label_path: line for root in roots for line in root.walk()}

    def merged_path(path: tuple[str, ...]) -> tuple[str, ...]:
        """A unit's line path as the consolidation shows the line (its Ofördelat when it has lines under it)."""
        row = index.get(tuple(normalise_header(label) for label in path))
        if row is None:
            return path
        return (*row.key, UNALLOCATED) if row.children else row.key

    # the units' Budgetändringar, each on its line as consolidated (their amounts are in the lines' figures)
    changes = tuple(replace(change, unit=unit.name, path=merged_path(change.path))
                    for unit in units for change in unit.report.changes)

    for row in index.values():
        if len(row.types) > 1:
            findings.append(Finding(
                "konsolidering-typ", row.path,
                f"raden \"{row.path}\" är intäkt hos {', '.join(row.types[True])} men kostnad hos "
                f"{', '.join(row.types[False])}; den visas som {'intäkt' if row.income else 'kostnad'} och de "
                "andras belopp med omvänt tecken", "varning"))
    for row in index.values():
        if row.generated:
            continue
        present = [units[u].name for u, f in enumerate(lines[row.key].units) if f is not None]
        above = n if row.parent is None else sum(f is not None for f in lines[row.parent.key].units)
        if 0 < len(present) < above:  # fewer units than the line above it (or than all, at the top)
            findings.append(Finding(
                "konsolidering-del", row.path,
                f"raden \"{row.path}\" finns bara hos {', '.join(present)}", "info"))

    unbudgeted = [unit.report.unbudgeted for unit in units]
    unbudgeted_total = combine([f for f in unbudgeted if f is not None], income=False) \
        if any(f is not None for f in unbudgeted) else None
    total = combine([r.figures for r in roots] + ([unbudgeted_total] if unbudgeted_total else []), income=False)
    totals = [combine([f for r in roots if (f := r.units[u]) is not None]
                      + ([unbudgeted[u]] if unbudgeted[u] is not None else []), income=False) for u in range(n)]

    shows = {unit.report.show_in for unit in units}
    methods = {unit.report.method for unit in units}
    unit_findings = [Finding(f.slug, f"{unit.name}: {f.where}", f.message, f.severity)
                     for unit in units for f in unit.report.findings]
    assignments: dict[str, tuple[str, list[Figures]]] = {}
    for unit in units:
        for label, figures in unit.report.assignments:
            assignments.setdefault(normalise_header(label), (label, []))[1].append(figures)
    groups = [(label, combine(parts, income=True)) for label, parts in assignments.values()]
    groups.sort(key=lambda group: group[0] == UNBUDGETED_LABEL)  # Ej budgeterat last, as in a unit
    parts = tuple(UnitPart(unit.name, unit.file, unit.report, totals[u], unbudgeted[u], unit.source)
                  for u, unit in enumerate(units))
    prior, missing = last_year(units)
    if missing is not None:
        findings.append(missing)
    looks = {unit.report.presentation for unit in units}  # the units' Layout etc. when they agree, else the default
    return Report(name, first.year, first.period, shows.pop() if len(shows) == 1 else "tkr",
                  methods.pop() if len(methods) == 1 else MIXED, roots, unbudgeted_total, total, tuple(groups), None,
                  (*findings, *unit_findings), parts,
                  presentation=looks.pop() if len(looks) == 1 else Presentation(),
                  monthly=_monthly(units, first.period), changes=changes,
                  last_year=prior,
                  investments=tuple(project for unit in units for project in unit.report.investments))


def _monthly(units: list[Unit], period: int) -> tuple[monthly.Area, ...]:
    """The units' Månadsuppföljning areas added up: Totalt, the Uppdrag by name
    and the top-level lines by label (as Resultaträkning and Sammanställning
    merge them), Ej budgeterat last."""
    by_kind: dict[str, dict[str, tuple[str, list]]] = {monthly.TOTAL: {}, monthly.ASSIGNMENT: {}, monthly.LINE: {}}
    for u, unit in enumerate(units):
        for area in unit.report.monthly:
            named = by_kind[area.kind].setdefault(normalise_header(area.name), (area.name, []))
            named[1].append((u, area))
    out: list[monthly.Area] = []
    for kind, named in by_kind.items():
        groups = sorted(named.values(), key=lambda group: group[0] == UNBUDGETED_LABEL)
        out += monthly.merge(kind, groups, period)
    return tuple(out)


def last_year(units: list[Unit]) -> tuple[LastYear | None, Finding | None]:
    """The units' last year added up (Avstämning's facts as sums; its lines are each unit's own) when every
    unit has it; else None, and when some have it the info finding naming those without."""
    priors = [unit.report.last_year for unit in units]
    if all(prior is None for prior in priors):
        return None, None
    if any(prior is None for prior in priors):
        without = [unit.name for unit, prior in zip(units, priors) if prior is None]
        has = len(units) - len(without)
        year = units[0].report.year - 1
        return None, Finding(
            "konsolidering-fjolar", ", ".join(without),
            f"{_listed(without)} saknar fjolårets utfall ({year}), så sammanställningen visar ingen kolumn "
            f"Fjolår: den visas när alla enheter har fjolåret ({has} av {len(units)} har det; ange Fjolårsfil på "
            "enhetens blad Inställningar, eller ta med fjolårets rader i huvudboken)", "info")
    return LastYear(
        priors[0].year, ", ".join(prior.source for prior in priors), all(prior.from_file for prior in priors),
        sum(prior.rows_read for prior in priors), sum(prior.rows for prior in priors),
        sum(prior.amount for prior in priors), sum(prior.rows_in_period for prior in priors),
        sum(prior.sum_in_period for prior in priors), sum(prior.sum_lines for prior in priors),
        sum(prior.sum_unbudgeted for prior in priors), (),
        sum(prior.other_rows for prior in priors), sum(prior.other_amount for prior in priors)), None


def _listed(names: list[str]) -> str:
    """'enheten A' / 'enheterna A och B' / 'enheterna A, B och C'."""
    return f"{'enheten' if len(names) == 1 else 'enheterna'} {and_list(names)}"


def _names(units: list[Unit], parts: list[tuple[int, Figures]]) -> str:
    return ", ".join(dict.fromkeys(units[u].name for u, _ in parts))
