"""Rendering: Report → sheets, written with XlsxWriter into a small
in-memory workbook that the package layer grafts into the user's file."""

from __future__ import annotations

import io

from ..contract import UNIT_SHEETS
from ..engine.report import Report

SHEETS = UNIT_SHEETS


def render(report: Report) -> bytes:
    """The three sheets as the bytes of an .xlsx (deterministic)."""
    from .formats import Formats, new_book
    from .result_statement import write_result_statement
    from .summary import write_summary
    from .tieout import write_tieout

    buffer = io.BytesIO()
    book = new_book(buffer)
    formats = Formats(book)
    write_summary(book.add_worksheet(SHEETS[0]), report, formats)
    write_result_statement(book.add_worksheet(SHEETS[1]), report, formats)
    write_tieout(book.add_worksheet(SHEETS[2]), report, formats)
    book.close()
    return buffer.getvalue()
