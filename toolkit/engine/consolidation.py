"""Consolidation: several units' reconciled figures as one table.

The units' budget trees are merged by label path (``Intäkter › Avgifter``,
labels compared as headers are: case and spacing aside), in the order they
are first met; a line that only some units have is simply there for them.
Units may map the ledger differently — only their line labels must line up.

A path that is a line in one unit but has lines under it in another keeps
the first unit's figures on a generated ``Ofördelat`` line beneath it, so
every consolidated sum is still the sum of the rows under it.  Every
unit's figures end in exactly one consolidated leaf (or Ej budgeterat), so
each unit's column on Per enhet adds up to that unit's own Totalt and the
consolidated Totalt is the sum of the units' — exactly, in öre.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..contract import normalise_header
from ..findings import Finding
from .figures import Figures, combine
from .report import UNBUDGETED_LABEL, Report
from .tree import UNALLOCATED, Node

MIXED = "blandad"  # method or unit of display when the units differ


@dataclass
class Unit:
    name: str  # as shown in headings (the unit's Enhet, made unique)
    file: str
    report: Report


@dataclass
class Consolidation:
    units: list[Unit]
    report: Report  # the consolidated table, as a unit's Report (shares empty: no key formulas)
    per_unit: dict[int, list[Figures | None]]  # id(node) → each unit's figures on that row (None: not there)
    unbudgeted: list[Figures | None]  # each unit's Ej budgeterat
    totals: list[Figures]  # each unit's Totalt as the merged tree adds it up
    findings: list[Finding] = field(default_factory=list)

    def unit_figures(self, node: Node) -> list[Figures | None]:
        return self.per_unit[id(node)]


def consolidate(units: list[Unit], name: str) -> Consolidation:
    """The units (sharing År and closing period: the caller checks) as one."""
    first = units[0].report
    findings: list[Finding] = []
    roots: list[Node] = []
    index: dict[tuple[str, ...], Node] = {}
    own: dict[int, list[tuple[int, Figures]]] = {}  # id(node) → (unit, figures) of units where it is a leaf
    types: dict[int, dict[bool, list[str]]] = {}

    def place(node: Node, parent: Node | None, path: tuple[str, ...], u: int) -> None:
        path = (*path, normalise_header(node.label))
        merged = index.get(path)
        if merged is None:
            merged = Node(node.label, None, parent=parent, income=node.income)
            index[path] = merged
            (parent.children if parent is not None else roots).append(merged)
        types.setdefault(id(merged), {}).setdefault(node.income, []).append(units[u].name)
        if node.is_leaf:
            own.setdefault(id(merged), []).append((u, node.figures))
        for child in node.children:
            place(child, merged, path, u)

    for u, unit in enumerate(units):
        for root in unit.report.roots:
            place(root, None, (), u)

    # a line in one unit, lines under it in another: its own figures go to Ofördelat under it
    extras: set[int] = set()
    for path, merged in list(index.items()):
        if merged.children and id(merged) in own:
            key = (*path, normalise_header(UNALLOCATED))
            extra = index.get(key)
            if extra is None:
                extra = Node(UNALLOCATED, None, parent=merged, income=merged.income)
                extras.add(id(extra))
                index[key] = extra
                merged.children.append(extra)
            moved = own.pop(id(merged))
            own.setdefault(id(extra), []).extend(moved)
            findings.append(Finding(
                "konsolidering-ofordelat", merged.path,
                f"raden \"{merged.path}\" har inga rader under sig hos {_names(units, moved)} men har det hos "
                f"andra enheter; deras belopp redovisas som {UNALLOCATED} under den", "info"))

    n = len(units)
    per_unit: dict[int, list[Figures | None]] = {}

    def roll_up(node: Node) -> Figures:
        if node.is_leaf:
            parts = own.get(id(node), [])
            node.figures = combine([f for _, f in parts], node.income)
            per_unit[id(node)] = [
                combine([f for v, f in parts if v == u], node.income) if any(v == u for v, _ in parts) else None
                for u in range(n)]
            return node.figures
        node.figures = combine([roll_up(child) for child in node.children], node.income)
        per_unit[id(node)] = [
            combine([f for child in node.children if (f := per_unit[id(child)][u]) is not None], node.income)
            if any(per_unit[id(child)][u] is not None for child in node.children) else None
            for u in range(n)]
        return node.figures

    for root in roots:
        roll_up(root)

    for node_id, by_type in types.items():
        if len(by_type) > 1:
            node = next(m for m in index.values() if id(m) == node_id)
            findings.append(Finding(
                "konsolidering-typ", node.path,
                f"raden \"{node.path}\" är intäkt hos {', '.join(by_type[True])} men kostnad hos "
                f"{', '.join(by_type[False])}; den visas som {'intäkt' if node.income else 'kostnad'} och de "
                "andras belopp med omvänt tecken", "varning"))
    for node in index.values():
        if id(node) in extras:
            continue
        present = [units[u].name for u, f in enumerate(per_unit[id(node)]) if f is not None]
        above = n if node.parent is None else len(_present(per_unit, node.parent))
        if 0 < len(present) < above:  # fewer units than the line above it (or than all, at the top)
            findings.append(Finding(
                "konsolidering-del", node.path,
                f"raden \"{node.path}\" finns bara hos {', '.join(present)}", "info"))

    unbudgeted = [unit.report.unbudgeted for unit in units]
    unbudgeted_total = combine([f for f in unbudgeted if f is not None], income=False) \
        if any(f is not None for f in unbudgeted) else None
    total = combine([r.figures for r in roots] + ([unbudgeted_total] if unbudgeted_total else []), income=False)
    totals = [combine([f for r in roots if (f := per_unit[id(r)][u]) is not None]
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
    report = Report(name, first.year, first.period, shows.pop() if len(shows) == 1 else "tkr",
                    methods.pop() if len(methods) == 1 else MIXED, roots, unbudgeted_total, total, groups, None,
                    findings + unit_findings)
    return Consolidation(units, report, per_unit, unbudgeted, totals, findings)


def _present(per_unit, node: Node) -> list[int]:
    return [u for u, f in enumerate(per_unit[id(node)]) if f is not None]


def _names(units: list[Unit], parts: list[tuple[int, Figures]]) -> str:
    return ", ".join(dict.fromkeys(units[u].name for u, _ in parts))
