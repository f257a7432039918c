"""Rendering: a Report → its sheets, written with XlsxWriter into a small
in-memory workbook that the package layer grafts into the user's file.

The sheets are a registry: each is one module with a ``write_…(sheet,
report, formats)`` function, listed here in the order they stand in the
workbook, with the reports it is written for (a unit's sheets; Per enhet only
for a consolidation).  Adding a sheet is adding a module and a line here.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from ..contract import MONTHLY_SHEET, PER_UNIT_SHEET, RESULT_SHEET, SUMMARY_SHEET, TIEOUT_SHEET
from ..contract.written import ANALYSIS_SHEET, HISTORY_SHEET, INVESTMENTS_SHEET, TRANSACTIONS_SHEET
from ..engine.results import Report
from . import analysis, history, investments, monthly, per_unit, result_statement, summary, tieout, transactions


@dataclass(frozen=True)
class Sheet:
    name: str
    write: Callable  # (worksheet, Report, Formats) -> None
    wanted: Callable[[Report], bool] = lambda report: True


REGISTRY: tuple[Sheet, ...] = (
    Sheet(SUMMARY_SHEET, summary.write_summary),
    Sheet(ANALYSIS_SHEET, analysis.write_analysis),
    Sheet(RESULT_SHEET, result_statement.write_result_statement),
    Sheet(PER_UNIT_SHEET, per_unit.write_per_unit, lambda report: report.is_consolidation),
    Sheet(TIEOUT_SHEET, tieout.write_tieout),
    Sheet(MONTHLY_SHEET, monthly.write_monthly, lambda report: bool(report.monthly)),
    Sheet(HISTORY_SHEET, history.write_history),
    Sheet(INVESTMENTS_SHEET, investments.write_investments,
          lambda report: bool(report.investments) or report.investments_note is not None),
    Sheet(TRANSACTIONS_SHEET, transactions.write_transactions,
          lambda report: report.transactions is not None or report.transactions_note is not None),
)

#: every sheet the toolkit may write (a folder run and the package recognise them by name)
ALL_SHEETS = tuple(sheet.name for sheet in REGISTRY)


def sheets_for(report: Report) -> list[Sheet]:
    return [sheet for sheet in REGISTRY if sheet.wanted(report)]


def render(report: Report) -> bytes:
    """The report's sheets as the bytes of an .xlsx (deterministic)."""
    from .formats import Formats, new_book

    buffer = io.BytesIO()
    book = new_book(buffer)
    formats = Formats(book)
    wanted = sheets_for(report)
    for sheet in wanted:
        sheet.write(book.add_worksheet(sheet.name), report, formats)
    book.close()
    if report.transactions is None:
        return buffer.getvalue()
    part = f"xl/worksheets/sheet{[s.name for s in wanted].index(TRANSACTIONS_SHEET) + 1}.xml"
    return _rewritten(buffer.getvalue(), part, lambda xml: transactions.fill(xml, report))


def _rewritten(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """The rendered package ``data`` with ``part`` changed (members, order and dates as they were)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == part else content,
                            compress_type=info.compress_type)
    return out.getvalue()
