"""The economist's own text on Sammanställning, carried from one refresh to the next.

Between refreshes the economist types a Kommentar — and sometimes whole columns
of their own to the right of it — on Sammanställning.  A refresh rewrites the
sheet, so these cells are read back first (``read.notes``) and matched to the
new rows by their line label path: ``("Verksamhet", "Personal", "Löner")`` for
a line, ``("Verksamhet", "Summa Personal")`` for a sum row.  A line that moved
to another group keeps its notes when its label is unique on both sides.
Notes whose line has gone, and text that stood outside the table, are never
dropped in silence: they are written under the table, below a heading of their
own (``ORPHAN_HEADING``), and listed on Avstämning — every refresh, until the
economist moves or deletes them, or their line comes back (then they return to
it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..contract import SUMMARY_SHEET
from ..findings import Finding

SUMMA = "Summa "
SHEET = SUMMARY_SHEET
UNBUDGETED_KEY = ("Ej budgeterat",)
UNBUDGETED_COMMENT = "Se bladet Avstämning"  # the toolkit's own Kommentar on the Ej budgeterat row
ORPHAN_HEADING = "Text vars rad inte finns längre (flytta eller ta bort den)"
PATH_SEPARATOR = " › "
OUTSIDE = "Utanför tabellen ({})"
TOTAL_KEY = ("Totalt",)
RESULT_KEY = ("Resultat",)  # below Totalt on a consolidation's Sammanställning

Key = tuple[str, ...]


@dataclass(frozen=True)
class NoteCell:
    offset: int  # 0: the Kommentar column, 1, 2 …: the economist's own columns after it
    value: str | float | bool | None
    formula: str | None  # without "="; references as they were at ``origin``
    origin: str  # the cell it stood in, e.g. "H12"
    num_format: str | None = None

    def preview(self) -> str:
        shown = f"={self.formula}" if self.formula else str(self.value)
        return shown if len(shown) <= 80 else shown[:77] + "…"


@dataclass
class NoteRow:
    key: Key
    cells: list[NoteCell]

    @property
    def label(self) -> str:
        return self.key[-1]


@dataclass
class Notes:
    """What the previous Sammanställning held that is not ours to recompute."""

    headers: dict[int, str] = field(default_factory=dict)  # offset ≥ 1 -> the column's heading
    widths: dict[int, float] = field(default_factory=dict)  # offset ≥ 0 -> width set by hand
    rows: list[NoteRow] = field(default_factory=list)  # incl. those kept under the table last time

    def __bool__(self) -> bool:
        return bool(self.headers or self.widths or self.rows)


def keys_from_labels(labels: list[str]) -> list[Key]:
    """Label paths for the rows of a Sammanställning, from column A's texts alone.

    A label opens a group when its ``Summa <label>`` row follows before the
    enclosing group closes; ``Summa X`` closes group X."""
    keys: list[Key] = []
    stack: list[str] = []
    for i, label in enumerate(labels):
        if stack and label == SUMMA + stack[-1]:
            keys.append((*stack[:-1], label))
            stack.pop()
            continue
        keys.append((*stack, label))
        closing = SUMMA + stack[-1] if stack else None
        for later in labels[i + 1:]:
            if later == closing:
                break
            if later == SUMMA + label:
                stack.append(label)
                break
    return keys


def attach(notes: Notes | None, keys: list[Key],
           comments: dict[Key, str]) -> tuple[dict[Key, NoteRow], list[NoteRow], list[Finding]]:
    """Match the previous notes to this refresh's rows (``keys``, in sheet order).

    Returns the notes per row key, the notes without a row (kept under the
    table) and the findings. ``comments`` are this run's Kommentar texts from
    the Budget sheet; a note in the Kommentar column wins over them (it was
    typed later, by hand), and a difference is reported so the Budget text is
    not lost from sight either."""
    if not notes:
        return {}, [], []
    wanted = set(keys)
    new_labels = Counter(k[-1] for k in keys)
    old_labels = Counter(r.label for r in notes.rows)
    by_label = {k[-1]: k for k in keys}
    matched: dict[Key, NoteRow] = {}
    orphans: list[NoteRow] = []
    findings: list[Finding] = []
    for row in notes.rows:
        key = row.key if row.key in wanted else None
        if key is None and new_labels[row.label] == 1 and old_labels[row.label] == 1:
            key = by_label[row.label]
        if key is None or key in matched:
            orphans.append(row)
            what = ("stod utanför tabellen" if is_outside(row.key)
                    else f'hör till raden "{PATH_SEPARATOR.join(row.key)}", som inte finns längre')
            for cell in row.cells:
                findings.append(Finding(
                    "kommentar-utan-rad", f"{SHEET}, under tabellen",
                    f'"{cell.preview()}" {what}; texten står kvar under tabellen — flytta eller ta bort den',
                    severity="info"))
            continue
        matched[key] = row
        budget_text = comments.get(key, "")
        typed = next((c for c in row.cells if c.offset == 0 and c.formula is None), None)
        if typed is not None and budget_text and str(typed.value).strip() != budget_text.strip():
            findings.append(Finding(
                "kommentar-behallen", f"{SHEET}: {PATH_SEPARATOR.join(key)}",
                f'kommentaren på Sammanställning behölls; Budget har "{budget_text}"', severity="info"))
    return matched, orphans, findings


def is_outside(key: Key) -> bool:
    return len(key) == 1 and key[0].startswith(OUTSIDE.split("{")[0]) and key[0].endswith(")")


def node_key(node) -> Key:
    """The label path of a tree node (``engine.tree.Node``)."""
    labels = []
    while node is not None:
        labels.append(node.label)
        node = node.parent
    return tuple(reversed(labels))


def sum_key(node) -> Key:
    return (*node_key(node)[:-1], SUMMA + node.label)


def summary_keys(roots, has_unbudgeted: bool, has_result: bool = False) -> list[Key]:
    """The keys of Sammanställning's rows, in the order the sheet shows them."""
    keys: list[Key] = []

    def walk(node) -> None:
        keys.append(node_key(node))
        if node.children:
            for child in node.children:
                walk(child)
            keys.append(sum_key(node))

    for root in roots:
        walk(root)
    if has_unbudgeted:
        keys.append(UNBUDGETED_KEY)
    keys.append(TOTAL_KEY)
    if has_result:
        keys.append(RESULT_KEY)
    return keys
