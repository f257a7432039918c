"""The economist's own text on Sammanställning, carried from one refresh to the next.

Between refreshes the economist types a Kommentar — and sometimes whole columns
of their own to the right of it — on Sammanställning.  A refresh rewrites the
sheet, so these cells are read back first (``read.notes``) and matched to the
new rows by their line label path: ``("Verksamhet", "Personal", "Löner")`` for
a line, ``("Verksamhet", "Summa Personal")`` for a sum row.  A line that moved
to another group keeps its notes when its label is unique on both sides.
Notes whose line has gone, and text that stood outside the table, are never
dropped in silence: they are written under the table, below a heading of their
own (``layout.KEPT_HEADING``), and listed on Avstämning — every refresh, until the
economist moves or deletes them, or their line comes back (then they return to
it).
"""

from __future__ import annotations

from collections import Counter

from ..findings import Finding
from ..layout import PATH_SEPARATOR, SHEET, is_outside, summary_keys
from .model import NoteCell, NoteRow, Notes
from .model import RowKey as Key

__all__ = ["NoteCell", "NoteRow", "Notes", "attach", "carry"]

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
            findings += kept_below(row, "kommentar-utan-rad", SHEET, "raden")
            continue
        matched[key] = row
        budget_text = comments.get(key, "")
        typed = next((c for c in row.cells if c.offset == 0 and c.formula is None), None)
        if typed is not None and budget_text and str(typed.value).strip() != budget_text.strip():
            findings.append(Finding(
                "kommentar-behallen", f"{SHEET}: {PATH_SEPARATOR.join(key)}",
                f'kommentaren på Sammanställning behölls; Budget har "{budget_text}"', severity="info"))
    return matched, orphans, findings


def carry(report, notes: Notes | None):
    """``report`` (a ``results.Report``) with the economist's notes of the
    previous Sammanställning matched to its rows; a typed Kommentar wins over
    the Budget sheet's (``attach``)."""
    if not notes:
        return report
    from dataclasses import replace

    comments = {line.label_path: line.comment for line in report.nodes() if line.comment}
    keys = summary_keys(report.roots, report.unbudgeted is not None, has_result=report.is_consolidation,
                        layout=report.presentation.layout, has_income=report.has_income)
    matched, orphans, carried = attach(notes, keys, comments)
    return replace(report, notes=matched, note_orphans=tuple(orphans), findings=(*report.findings, *carried),
                   note_headers=dict(notes.headers), note_widths=dict(notes.widths))


def kept_below(row: NoteRow, slug: str, sheet: str, what: str) -> list[Finding]:
    """The info findings for text the economist typed whose row (``what``: "raden",
    "området") is gone, or that stood outside the table: it is kept under the
    table, one finding per cell."""
    where = ("stod utanför tabellen" if is_outside(row.key)
             else f'hör till {what} "{PATH_SEPARATOR.join(row.key)}", som inte finns längre')
    return [Finding(slug, f"{sheet}, under tabellen",
                    f'"{cell.preview()}" {where}; texten står kvar under tabellen — flytta eller ta bort den',
                    severity="info") for cell in row.cells]
