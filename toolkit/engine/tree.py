"""The budget lines as a tree: parents, inherited settings, Typ, and the
generated ``Ofördelat`` remainder.

A child inherits from its parent what it leaves blank: Typ, Periodisering,
Uppdrag, and — when it has a pattern of its own — the patterns of the other
ledger columns (so an initiative can name only its Projekt under a parent that
names the Ansvar). A leaf with no pattern of its own (a reserve) receives no
ledger rows. The generated Ofördelat child of a parent with patterns matches
the parent's patterns: rows of the parent that no sibling claims. A top-level line
without Typ is Intäkt when all Konto patterns of it and its descendants are in
class 3, else Kostnad; so is a line without Typ under lines without Typ (when it
or its descendants have Konto patterns; else it takes its parent's type).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..contract import BUILT_IN_KEYS, PATH_SEPARATOR, lookup, normalise_header
from ..errors import InputError
from ..findings import Finding
from ..money import format_kr
from .model import INCOME, BudgetLine, Key
from .patterns import Pattern, PatternError, parse_pattern
from .periodisation import BUILT_IN, LINEAR, builtin_key

UNALLOCATED = "Ofördelat"
#: the built-in keys by every name a Budget line may give them (Linjär also as Linjar)
_BUILT_IN = lookup(BUILT_IN_KEYS)


@dataclass(eq=False)
class Node:
    label: str
    line: BudgetLine | None  # None for a generated Ofördelat
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    income: bool = False
    key: Key | None = None
    assignment: str = ""
    patterns: dict[str, Pattern] = field(default_factory=dict)  # what the line matches
    scope: dict[str, Pattern] = field(default_factory=dict)  # what its children inherit
    budget: int = 0  # öre, leaves: own; parents: Σ children
    ledger_sign: bool = False  # an income line whose amounts were typed negative (as in the ledger)

    @property
    def generated(self) -> bool:
        return self.line is None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def key_path(self) -> tuple[str, ...]:
        """The label path: ("Utvecklingsmedel", "Mötesplats seniorer")."""
        return (self.label,) if self.parent is None else (*self.parent.key_path, self.label)

    @property
    def path(self) -> str:
        return PATH_SEPARATOR.join(self.key_path)

    @property
    def where(self) -> str:
        return self.line.where if self.line else (self.parent.where if self.parent else "")

    @property
    def comment(self) -> str:
        return (self.line.comment or "") if self.line else ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self):
        return [n for n in self.walk() if n.is_leaf]


def _lookup_key(name: str | None, keys: dict[str, Key], year: int, line: BudgetLine, file: str) -> Key | None:
    if not name:
        return None
    norm = normalise_header(name)
    if norm in keys:
        return keys[norm]
    if norm in _BUILT_IN:
        return builtin_key(_BUILT_IN[norm], year)
    known = ", ".join([*BUILT_IN, *(k.name for k in keys.values())])
    raise InputError(f"nyckeln \"{name}\" finns inte (kända nycklar: {known})", file=file,
                     where=line.cells.get("periodisering", line.where), slug="nyckel-saknas")


def build_tree(lines: list[BudgetLine], keys: list[Key], year: int, file: str) -> tuple[list[Node], list[Finding]]:
    """The top-level nodes in sheet order, with inherited settings resolved."""
    findings: list[Finding] = []
    key_map = {normalise_header(k.name): k for k in keys}
    nodes = {normalise_header(line.label): Node(line.label, line) for line in lines}
    roots: list[Node] = []
    for line in lines:
        node = nodes[normalise_header(line.label)]
        if line.parent:
            parent = nodes.get(normalise_header(line.parent))
            if parent is None:
                raise InputError(f"den överordnade raden \"{line.parent}\" finns inte i budgeten", file=file,
                                 where=line.cells.get("överordnad", line.where), slug="overordnad-saknas")
            node.parent = parent
            parent.children.append(node)
        else:
            roots.append(node)
    for node in nodes.values():  # a cycle has no root above it
        seen, up = set(), node
        while up is not None:
            if id(up) in seen:
                raise InputError(f"raden \"{node.label}\" ligger under sig själv (cirkel av överordnade rader)",
                                 file=file, where=node.line.cells.get("överordnad", node.where),
                                 slug="overordnad-cirkel")
            seen.add(id(up))
            up = up.parent

    def compile_patterns(node: Node) -> dict[str, Pattern]:
        own = {}
        for column, text in node.line.patterns.items():
            try:
                own[column] = parse_pattern(text)
            except PatternError as exc:
                raise InputError(str(exc), file=file, where=node.line.cells.get(column, node.where),
                                 slug="monster-ogiltigt") from None
        return own

    def resolve(node: Node, parent: Node | None) -> None:
        line = node.line
        own = compile_patterns(node)
        node.scope = {**(parent.scope if parent else {}), **own}
        node.patterns = node.scope if own else {}  # a line without patterns of its own matches nothing
        node.key = _lookup_key(line.key, key_map, year, line, file) or (parent.key if parent else None) \
            or builtin_key(LINEAR, year)
        node.assignment = line.assignment or (parent.assignment if parent else "")
        for child in node.children:
            resolve(child, node)

    for root in roots:
        resolve(root, None)

    def all_konto_in_class_3(node: Node) -> tuple[bool, bool]:
        """(every Konto pattern is class 3, at least one Konto pattern)"""
        ok, any_ = True, False
        for n in node.walk():
            if n.line and "konto" in n.line.patterns:
                any_ = True
                ok = ok and n.patterns["konto"].within_prefix("3")
        return ok, any_

    def set_type(node: Node, inherited: bool | None, typed: bool) -> None:
        """``typed``: some line above has a Typ of its own, which a blank Typ inherits.
        Under no Typ at all, the line's Konto patterns decide (as for a top-level
        line), so class-3 lines under an untyped mixed parent are still Intäkt."""
        line = node.line
        if line and line.type:
            node.income = line.type == INCOME
            typed = True
        elif typed:
            node.income = bool(inherited)
        else:
            ok, any_ = all_konto_in_class_3(node)
            node.income = ok if any_ else bool(inherited)
        for child in node.children:
            set_type(child, node.income, typed)

    for root in roots:
        set_type(root, None, False)

    def own_budget(node: Node) -> int | None:
        """The line's Budget in its own sign. An income line typed negative — the
        ledger's sign, as budget exports from the ERP often are — is read as income."""
        line = node.line
        if line is None or line.budget is None:
            return None
        if node.income and line.budget < 0:
            node.ledger_sign = True
            findings.append(Finding(
                "negativ-intaktsbudget", line.cells.get("budget", line.where),
                f"intäktsraden \"{node.label}\" har en negativ budget; den läses som en intäkt på "
                f"{format_kr(-line.budget)} kr (intäkter anges annars som positiva belopp)", "info"))
            return -line.budget
        return line.budget

    def allocate(node: Node) -> int:
        line = node.line
        if node.is_leaf:
            node.budget = (own_budget(node) or 0) if line else node.budget
            return node.budget
        children_sum = sum(allocate(child) * (1 if child.income == node.income else -1)
                           for child in list(node.children))
        for name, value in (("prognos", line.forecast), ("intecknat", line.committed)):
            if value is not None:
                findings.append(Finding("prognos-pa-overordnad", line.cells.get(name, line.where),
                                        f"{name.capitalize()} på den överordnade raden \"{node.label}\" används inte; "
                                        f"ange den på raderna under den", "varning"))
        own = own_budget(node)
        if own is not None and own > children_sum:
            extra = Node(UNALLOCATED, None, parent=node, income=node.income, key=node.key,
                         assignment=node.assignment, patterns=dict(node.patterns), scope=dict(node.patterns),
                         budget=own - children_sum)
            node.children.append(extra)
            children_sum = own
        elif own is not None and own < children_sum:
            findings.append(Finding(
                "overfordelat", line.cells.get("budget", line.where),
                f"raderna under \"{node.label}\" har {format_kr(children_sum)} kr i budget, mer än radens egen "
                f"budget {format_kr(own)} kr; summan av raderna under används", "varning"))
        node.budget = children_sum
        return children_sum

    for root in roots:
        allocate(root)
    return roots, findings
