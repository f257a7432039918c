"""The Sammanställning's layout: where its title, headings, lines and the
economist's own columns stand.  The sheet is written by ``render.summary``
and read back before every refresh by ``read.notes`` (to carry what the
economist typed), so both take the layout from here — renaming a heading or
moving a row is one change, and the read-back follows it.

    row 0   the title                       (ours)
    row 1   "Belopp i tkr" (and warnings)   (ours)
    row 3   Rad | Budget … | (an empty narrow column) | Kommentar | the economist's own columns, headed
    row 4…  the table's rows (``plan``), in one of two layouts (Inställningar: Layout):
            träd     a heading, its lines, "Summa <heading>"; then "Ej budgeterat",
                     (with income lines at the top: "Summa intäkter", "Summa kostnader"),
                     "Totalt" (net cost) and, with income or in a consolidation, "Resultat"
            rapport  the report's table: an overview of the top-level lines (the account
                     classes), "Ej budgeterat", "Summa" (or "Summa intäkter", "Summa kostnader"
                     and "Resultat"); then, after an empty row each, one block per top-level
                     heading — "<heading>, fördelning:", its lines (a sub-heading carrying its
                     amount in its label: "Insatser för jämlik hälsa 150 tkr", its lines
                     indented under it), "Summa <heading>"; after an empty row, "Totalt"
    +2      the report's opening sentence   (ours)
    +4      "Text vars rad inte finns längre …", then one row per kept note
            with its label path in column A

Every row of the table has a key, its label path: ("Verksamhet", "Summa Personal").
Read back, a tree's keys follow from the labels alone (``keys_from_labels``); a
report's from the labels and their indents (``keys_from_report``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .contract import BUDGET_SHEET, PATH_SEPARATOR, SUMMARY_COMMENT_HEADING, SUMMARY_FIRST_HEADING, SUMMARY_SHEET
from .contract.settings import LAYOUTS

RowKey = tuple[str, ...]  # a row's label path: ("Verksamhet", "Summa Personal")

SHEET = SUMMARY_SHEET
TITLE_ROW = 0
NOTE_ROW = 1  # "Belopp i tkr", and a word when the run has warnings
HEADER_ROW = 3  # the headings: FIRST_HEADING … COMMENT_HEADING, then the economist's own
FIRST_HEADING = SUMMARY_FIRST_HEADING  # the default; Inställningar's "Rubrik första kolumnen" names it
COMMENT_HEADING = SUMMARY_COMMENT_HEADING
#: the second heading starts so ("Budget 2025 …"): with Kommentar it finds the heading row, whatever the first says
BUDGET_HEADING = BUDGET_SHEET.column("budget").name
#: with Budgetändringar, the first figure column is the original budget (then Ändringar, then Budget)
ORIGINAL_HEADING = "Ursprunglig budget"
HEADLINE_GAP = 2  # the opening sentence stands this many rows below the table's last row
KEPT_GAP = 4  # the notes whose line is gone stand this many rows below it, under KEPT_HEADING
HEADING_SEARCH_ROWS = 30  # the heading row is looked for in the first rows when reading back (rows inserted above)

SUMMA = "Summa "
UNBUDGETED_LABEL = "Ej budgeterat"
UNBUDGETED_KEY: RowKey = (UNBUDGETED_LABEL,)
UNBUDGETED_COMMENT = "Se bladet Avstämning"  # the toolkit's own Kommentar on the Ej budgeterat row
TOTAL_KEY: RowKey = ("Totalt",)
RESULT_KEY: RowKey = ("Resultat",)  # income − costs: with income lines, and in a consolidation
INCOMES_KEY: RowKey = ("Summa intäkter",)  # Σ the income lines at the top (with income lines)
COSTS_KEY: RowKey = ("Summa kostnader",)  # Σ the cost lines at the top and Ej budgeterat (with income lines)
OVERVIEW_KEY: RowKey = ("Summa",)  # the report layout's overview: Σ of the classes (net cost), without income
BREAKDOWN = ", fördelning:"  # the report layout: "Personalkostnader, fördelning:" opens the class's block
TREE, REPORT = (layout.name for layout in LAYOUTS)  # Inställningar's Layout: "träd", "rapport"
KEPT_HEADING = "Text vars rad inte finns längre (flytta eller ta bort den)"
OUTSIDE = "Utanför tabellen ({})"  # the key of text that stood outside the table: "Utanför tabellen (A40)"

__all__ = ["PATH_SEPARATOR"]


def sum_label(label: str) -> str:
    return SUMMA + label


def sum_key(line) -> RowKey:
    """The key of a heading's Summa row (``line``: an ``engine.results.Line``):
    ("Verksamhet", "Summa Personal")."""
    return (*line.label_path[:-1], sum_label(line.label))


def breakdown_label(label: str) -> str:
    return label + BREAKDOWN


@dataclass(frozen=True)
class Row:
    """A row of the table. ``kind``:

    - ``heading``: a heading of the tree (its label only; its figures stand on its ``sum`` row)
    - ``line``: a line without lines under it
    - ``sum``: "Summa <heading>" — in a tree under every heading, in a report closing a class's block
    - ``class``: a top-level line in a report's overview
    - ``breakdown``: "<class>, fördelning:" (label only)
    - ``group``: a sub-heading in a report's block, its amount in its label (no figures)
    - ``unbudgeted``, ``incomes``, ``costs``, ``overview``, ``total``, ``result``: the closing rows
    - ``gap``: an empty row between a report's parts (no key)

    ``line`` is the ``engine.results.Line`` whose figures (or label) the row shows."""

    kind: str
    key: RowKey | None
    label: str
    depth: int = 0
    line: object = None


def plan(roots, layout: str = TREE, *, unbudgeted: bool = False, income: bool = False,
         result: bool = False) -> list[Row]:
    """The table's rows, in order (``roots``: ``engine.results.Line``s). ``income``:
    the unit has income lines at the top (Summa intäkter, Summa kostnader and
    Resultat); ``result``: a Resultat row even without (a consolidation's)."""
    rows: list[Row] = []
    closing = [Row("unbudgeted", UNBUDGETED_KEY, UNBUDGETED_LABEL)] if unbudgeted else []
    if income:
        closing += [Row("incomes", INCOMES_KEY, INCOMES_KEY[0]), Row("costs", COSTS_KEY, COSTS_KEY[0])]
    total = Row("total", TOTAL_KEY, TOTAL_KEY[0])
    result_row = [Row("result", RESULT_KEY, RESULT_KEY[0])] if income or result else []

    if layout != REPORT:
        def walk(line) -> None:
            if not line.children:
                rows.append(Row("line", line.label_path, line.label, line.depth, line))
                return
            rows.append(Row("heading", line.label_path, line.label, line.depth, line))
            for child in line.children:
                walk(child)
            rows.append(Row("sum", sum_key(line), sum_label(line.label), line.depth, line))

        for root in roots:
            walk(root)
        return rows + closing + [total] + result_row

    rows += [Row("class", root.label_path, root.label, 0, root) for root in roots]
    rows += closing
    if not income:
        rows.append(Row("overview", OVERVIEW_KEY, OVERVIEW_KEY[0]))
    rows += result_row

    def block(line) -> None:
        if not line.children:
            rows.append(Row("line", line.label_path, line.label, line.depth, line))
            return
        rows.append(Row("group", line.label_path, line.label, line.depth, line))
        for child in line.children:
            block(child)

    for root in roots:
        if root.children:
            rows.append(Row("gap", None, ""))
            rows.append(Row("breakdown", (breakdown_label(root.label),), breakdown_label(root.label), 0, root))
            for child in root.children:
                block(child)
            rows.append(Row("sum", sum_key(root), sum_label(root.label), 0, root))
    return rows + [Row("gap", None, ""), total]


def summary_keys(roots, has_unbudgeted: bool, has_result: bool = False, *, layout: str = TREE,
                 has_income: bool = False) -> list[RowKey]:
    """The keys of the sheet's rows (``roots``: ``engine.results.Line``s), in the order it shows them."""
    return [row.key for row in plan(roots, layout, unbudgeted=has_unbudgeted, income=has_income, result=has_result)
            if row.key is not None]


#: a report's sub-heading carries its amount: "Insatser för jämlik hälsa 150 tkr" (thousands by a (no-break) space)
_AMOUNT = re.compile(r"^(.*\S) -?\d{1,3}(?:[ \u00a0]\d{3})*[ \u00a0]t?kr$")


def group_label(label: str, amount: str) -> str:
    """A report's sub-heading: its label and its amount ("150 tkr")."""
    return f"{label} {amount}"


def is_report(labels: list[str]) -> bool:
    """Was the table written in the report layout (a row opens a class's block)?"""
    return any(label.endswith(BREAKDOWN) for label in labels)


def keys_from_report(labels: list[str], indents: list[int]) -> list[RowKey | None]:
    """Label paths for the rows of a table in the report layout, from column A's
    texts and their indents ("" for an empty row: None). Outside a block a row's
    key is its label; in the block of class X, a row indented d stands under the
    sub-headings above it indented less, and a row followed by one indented more
    is a sub-heading, its amount taken off its label."""
    keys: list[RowKey | None] = []
    block: str | None = None
    stack: list[str] = []
    for i, label in enumerate(labels):
        if not label:
            keys.append(None)
            continue
        if label.endswith(BREAKDOWN):
            block, stack = label[: -len(BREAKDOWN)], [label[: -len(BREAKDOWN)]]
            keys.append((label,))
            continue
        if block is None or label == sum_label(block):
            block = None
            keys.append((label,))
            continue
        depth = max(1, indents[i])
        stack = stack[:depth]
        following = indents[i + 1] if i + 1 < len(labels) and labels[i + 1] else 0
        if following > depth:  # a sub-heading
            name = match[1] if (match := _AMOUNT.match(label)) else label
            keys.append((*stack, name))
            stack.append(name)
        else:
            keys.append((*stack, label))
    return keys


def keys_from_labels(labels: list[str]) -> list[RowKey]:
    """Label paths for the rows of a Sammanställning, from column A's texts alone.

    A label opens a group when its ``Summa <label>`` row follows before the
    enclosing group closes; ``Summa X`` closes group X."""
    keys: list[RowKey] = []
    stack: list[str] = []
    for i, label in enumerate(labels):
        if stack and label == sum_label(stack[-1]):
            keys.append((*stack[:-1], label))
            stack.pop()
            continue
        keys.append((*stack, label))
        closing = sum_label(stack[-1]) if stack else None
        for later in labels[i + 1:]:
            if later == closing:
                break
            if later == sum_label(label):
                stack.append(label)
                break
    return keys


def outside_key(ref: str) -> RowKey:
    return (OUTSIDE.format(ref),)


def is_outside(key: RowKey) -> bool:
    return len(key) == 1 and key[0].startswith(OUTSIDE.split("{")[0]) and key[0].endswith(")")
