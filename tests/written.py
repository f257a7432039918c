"""What a run writes, as the tests expect it on the summary line: the number of
sheets follows the contract's list of written sheets."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from toolkit.contract import CONSOLIDATION_SHEETS, UNIT_SHEETS

#: a unit's sheets, in the order written, and the summary line's count of them
SHEETS = UNIT_SHEETS
WRITTEN = f"{len(UNIT_SHEETS)} blad skrivna"
#: a consolidation's
CONSOLIDATION_WRITTEN = f"{len(CONSOLIDATION_SHEETS)} blad skrivna"


def sheet_rows(path: Path, name: str) -> list[tuple]:
    """The values of a written sheet, row by row (as last saved: cached formula results)."""
    book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        return [tuple(row) for row in book[name].iter_rows(values_only=True)]
    finally:
        book.close()
