"""Reading the economist's explanations back from the previous Analys sheet.

The sheet is ours (it carries the toolkit's marker), so its layout is known: a
heading row ``Område | Genererad text | Förklaring``, then one row per area
with the area's label path in Område (``Politik``, ``Lokal nämnd Halmstad ›
Totalt``).  What the economist may have typed is the Förklaring column and any
column to the right of it (headed on the heading row); the area and the
generated text are ours and written anew.  The explanations that lost their
area last time stand under the table below ``ANALYSIS_KEPT_HEADING``, one row
per area with its label path in column A; they are read back as rows of that
path.  Text anywhere else on the sheet (below the table, beside the title)
becomes a row ``Utanför tabellen (A40)``, so that it is kept rather than lost —
as on Sammanställning (``read.notes``).
"""

from __future__ import annotations

import os
from typing import NamedTuple

from ..contract.written import (
    ANALYSIS_EXPLANATION_HEADING,
    ANALYSIS_FIRST_HEADING,
    ANALYSIS_KEPT_HEADING,
    ANALYSIS_SHEET,
)
from ..engine.model import NoteCell, NoteRow, Notes, RowKey
from ..layout import HEADING_SEARCH_ROWS, PATH_SEPARATOR, outside_key
from ..ooxml.snapshot import Snapshot

TITLE_ROW, NOTE_ROW = 0, 1  # ours: the title and the line under it


class PreviousAnalysis(NamedTuple):
    """What the previous Analys held: the typed cells (``notes``: per area, kept,
    or outside the table; the own columns' headings and widths) and the areas
    its table showed, in order — typed in or not (``engine.explanations`` needs
    them to tell a renamed area from a new one)."""

    notes: Notes
    areas: tuple[RowKey, ...]


def read_explanations(source: str | os.PathLike | Snapshot, display: str | None = None) -> PreviousAnalysis | None:
    """The explanations on the workbook's Analys written by an earlier run, or None
    when there is no such sheet (first run, or the file is not a package).
    ``source``: the workbook's snapshot (as the run read it), or its path."""
    from .previous import previous_sheet

    sheet = previous_sheet(source, ANALYSIS_SHEET, display)
    return None if sheet is None else explanations_from_cells(sheet)


def explanations_from_cells(sheet) -> PreviousAnalysis:
    """``sheet``: a ``read.previous.PreviousSheet`` of Analys."""
    notes = Notes()
    heading, first_own = _heading(sheet)
    if heading is None:  # not our layout any more (the heading row removed): nothing to carry
        return PreviousAnalysis(notes, ())
    area_rows: dict[int, RowKey] = {}
    r = heading + 1
    while sheet.text(r, 0):
        area_rows[r] = _key(sheet.text(r, 0))
        r += 1
    last = r - 1
    ours = {(TITLE_ROW, 0), (NOTE_ROW, 0)} | {(heading, c) for c in range(first_own + 1)}
    ours |= {(row, c) for row in area_rows for c in range(first_own)}
    kept = _kept_block(sheet, last)
    if kept:
        ours |= {(row, 0) for row in kept} | {(min(kept) - 1, 0)}
    rows = {**area_rows, **kept}
    for col, width in sheet.widths.items():
        if col >= first_own:
            notes.widths[col - first_own] = width
    cells_by_row: dict[int, list[NoteCell]] = {row: [] for row in area_rows}
    stray: list[NoteRow] = []
    for (row, col), cell in sorted(sheet.cells.items()):
        if (row, col) in ours:
            continue
        if row == heading and col > first_own:
            notes.headers[col - first_own] = str(cell.value if cell.value is not None else "")
            continue
        if row in rows and col >= first_own:
            cells_by_row.setdefault(row, []).append(_note(cell, col - first_own))
        else:
            stray.append(NoteRow(outside_key(cell.ref), [_note(cell, 0)]))
    notes.rows = [NoteRow(rows[row], cells) for row, cells in sorted(cells_by_row.items()) if cells] + stray
    return PreviousAnalysis(notes, tuple(area_rows.values()))


def _key(label: str) -> RowKey:
    return tuple(part.strip() for part in label.split(PATH_SEPARATOR))


def _kept_block(sheet, last: int) -> dict[int, RowKey]:
    """Rows under ``ANALYSIS_KEPT_HEADING`` (below the table): row → the area they belong to."""
    top = max((r for r, _ in sheet.cells), default=0)
    for row in range(last + 1, top + 1):
        if sheet.text(row, 0) == ANALYSIS_KEPT_HEADING:
            block = {}
            r = row + 1
            while sheet.text(r, 0):
                block[r] = _key(sheet.text(r, 0))
                r += 1
            return block
    return {}


def _heading(sheet) -> tuple[int | None, int]:
    """The heading row and the Förklaring column (the first the economist types in)."""
    for row in range(HEADING_SEARCH_ROWS):
        if sheet.text(row, 0) != ANALYSIS_FIRST_HEADING:
            continue
        for col in range(1, 64):
            if sheet.text(row, col) == ANALYSIS_EXPLANATION_HEADING:
                return row, col
    return None, 0


def _note(cell, offset: int) -> NoteCell:
    return NoteCell(offset, cell.value, cell.formula, cell.ref, cell.num_format)
