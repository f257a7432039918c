"""Reading the economist's notes from the previous Sammanställning.

The sheet is ours (it carries the toolkit's marker), so its layout is known:
a heading row with ``Rad`` … ``Kommentar``, then one row per line down to
``Totalt``.  What the economist may have typed is the Kommentar column and any
column to the right of it; everything else on the sheet is recomputed.  The
notes that lost their line last time stand under the table below
``layout.KEPT_HEADING``, one row per note with its label path in column A; they are
read back as rows of that path.  Text found anywhere else on the sheet (below
the table, beside the title) becomes a row ``Utanför tabellen (A40)`` so that
it is kept and reported rather than lost.
"""

from __future__ import annotations

import os

from ..engine.model import NoteCell, NoteRow, Notes
from ..layout import (
    BREAKDOWN,
    BUDGET_HEADING,
    COMMENT_HEADING,
    HEADING_SEARCH_ROWS,
    HEADLINE_GAP,
    KEPT_HEADING,
    NOTE_ROW,
    ORIGINAL_HEADING,
    PATH_SEPARATOR,
    RESULT_KEY,
    SHEET,
    TITLE_ROW,
    TOTAL_KEY,
    UNBUDGETED_COMMENT,
    UNBUDGETED_KEY,
    is_report,
    keys_from_labels,
    keys_from_report,
    outside_key,
)
from ..ooxml.snapshot import Snapshot


def read_notes(source: str | os.PathLike | Snapshot, display: str | None = None) -> Notes | None:
    """The notes on the workbook's Sammanställning written by an earlier run, or
    None when there is no such sheet (first run, or the file is not a package).
    ``source``: the workbook's snapshot (as the run read it), or its path."""
    from .previous import previous_sheet

    sheet = previous_sheet(source, SHEET, display)
    return None if sheet is None else notes_from_cells(sheet)


def notes_from_cells(sheet) -> Notes:
    """``sheet``: a ``read.previous.PreviousSheet``."""
    notes = Notes()
    heading, comment_col = _heading(sheet)
    if heading is None:  # not our layout any more (heading row removed): nothing to carry
        return notes
    labels, rows = [], []
    r = heading + 1
    while True:
        text = sheet.text(r, 0)
        if not text:
            # an empty row inside a table in the report layout: before a class's block, or before Totalt
            following = sheet.text(r + 1, 0)
            if labels and (following.endswith(BREAKDOWN) or following == TOTAL_KEY[0] and is_report(labels)):
                r += 1
                continue
            break
        labels.append(text)
        rows.append(r)
        if text == TOTAL_KEY[0]:
            if sheet.text(r + 1, 0) == RESULT_KEY[0]:  # a Resultat row below Totalt
                labels.append(RESULT_KEY[0])
                rows.append(r + 1)
            break
        r += 1
    if is_report(labels):
        indents = [sheet.cells[(row, 0)].indent for row in rows]
        keys = keys_from_report(labels, indents)
    else:
        keys = keys_from_labels(labels)
    line_rows = dict(zip(rows, keys))
    last = rows[-1] if rows else heading
    # the empty narrow column before Kommentar is not ours: what is typed there is kept
    gap = comment_col - 1 if not sheet.text(heading, comment_col - 1) else None
    ours = {(TITLE_ROW, 0), (NOTE_ROW, 0), (last + HEADLINE_GAP, 0)} | {(heading, c) for c in range(comment_col + 1)}
    ours |= {(row, c) for row in rows for c in range(comment_col) if c != gap}
    kept = _kept_block(sheet, last)
    line_rows.update(kept)
    if kept:
        ours |= {(row, 0) for row in kept} | {(min(kept) - 1, 0)}
    for col, width in sheet.widths.items():
        if col >= comment_col:
            notes.widths[col - comment_col] = width
    cells_by_row: dict[int, list[NoteCell]] = {}
    stray: list[NoteRow] = []
    for (row, col), cell in sorted(sheet.cells.items()):
        if (row, col) in ours:
            continue
        if row == heading and col > comment_col:
            notes.headers[col - comment_col] = str(cell.value if cell.value is not None else "")
            continue
        note = _note(cell, col - comment_col)
        if row in line_rows and col >= comment_col:
            if line_rows[row] == UNBUDGETED_KEY and note.offset == 0 and note.value == UNBUDGETED_COMMENT:
                continue  # the toolkit's own pointer, written again when the row is there
            cells_by_row.setdefault(row, []).append(note)
        else:
            stray.append(NoteRow(outside_key(cell.ref), [_note(cell, 0)]))
    notes.rows = [NoteRow(line_rows[row], cells) for row, cells in sorted(cells_by_row.items())] + stray
    return notes


def _kept_block(sheet, last: int) -> dict[int, tuple[str, ...]]:
    """Rows under ``KEPT_HEADING`` (below the table): row -> the label path they belong to."""
    top = max((r for r, _ in sheet.cells), default=0)
    for row in range(last + 1, top + 1):
        if sheet.text(row, 0) == KEPT_HEADING:
            block = {}
            r = row + 1
            while sheet.text(r, 0):
                block[r] = tuple(sheet.text(r, 0).split(PATH_SEPARATOR))
                r += 1
            return block
    return {}


def _heading(sheet) -> tuple[int | None, int]:
    """The heading row (its first heading is Inställningar's Rubrik första
    kolumnen, so it is found by the next heading, Budget …) and Kommentar's column."""
    for row in range(HEADING_SEARCH_ROWS):
        if not sheet.text(row, 0) or not " ".join(sheet.text(row, 1).split()).startswith((BUDGET_HEADING,
                                                                                           ORIGINAL_HEADING)):
            continue
        for col in range(2, 64):
            if sheet.text(row, col) == COMMENT_HEADING:
                return row, col
    return None, 0


def _note(cell, offset: int) -> NoteCell:
    return NoteCell(offset, cell.value, cell.formula, cell.ref, cell.num_format)
