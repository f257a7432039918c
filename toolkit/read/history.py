"""Reading Prognoshistorik back: the forecasts earlier runs recorded.

The sheet is ours, but its rows are data the economist cannot recreate (a
month's forecast as it stood then), so every run reads them back and the
next writes them again.  Above the table stands what is recomputed on every
run (the title, the note, the accuracy table); the table starts at the row
whose first cell is ``Period``, with the headings of ``HISTORY_HEADINGS``,
and every row below it with anything in it is a record.

Nothing is dropped in silence: a record that cannot be read — a heading
typed over, a period, level, amount or date that is not one, the same row
twice, text typed beside the table (the next write would lose it) — stops the
run with one line naming the cell, and nothing is written until it is put
right.  Rows emptied entirely are passed over (the economist deleted them).
"""

from __future__ import annotations

import datetime as dt
import os
import re

from ..cells import column_letter
from ..contract import PATH_SEPARATOR, normalise_header
from ..contract.written import HISTORY_HEADINGS, HISTORY_LEVELS, HISTORY_SHEET
from ..engine.model import ForecastRecord
from ..errors import InputError
from ..money import parse_ore
from ..ooxml.snapshot import Snapshot

PERIOD, LABEL, LEVEL, BUDGET, ACTUAL, FORECAST, METHOD, RUN = range(len(HISTORY_HEADINGS))
EXCEL_EPOCH = dt.date(1899, 12, 30)
_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")
_DATE_FORMAT = re.compile(r"[dmy]", re.IGNORECASE)
FIX = "rätta cellen och kör igen (historiken är tidigare körningars prognoser och skrivs inte om förrän den kan läsas)"


def read_history(source: str | os.PathLike | Snapshot, display: str | None = None) \
        -> tuple[ForecastRecord, ...] | None:
    """The records on the workbook's Prognoshistorik, in the sheet's order; None
    when there is no such sheet of ours (a first run).  ``InputError`` naming the
    cell when a row cannot be read."""
    from .previous import previous_sheet

    sheet = previous_sheet(source, HISTORY_SHEET, display)
    if sheet is None:
        return None
    file = display or (source.path.name if isinstance(source, Snapshot) and source.path else str(source))
    return records_from_cells(sheet, file)


def _where(row: int, col: int) -> str:
    return f"{HISTORY_SHEET}!{column_letter(col)}{row + 1}"


def _stop(message: str, row: int, col: int, file: str, *, slug: str) -> InputError:
    return InputError(message, file=file, where=_where(row, col), slug=slug)


def records_from_cells(sheet, file: str) -> tuple[ForecastRecord, ...]:
    """``sheet``: a ``read.previous.PreviousSheet`` of Prognoshistorik."""
    if not sheet.cells:
        return ()
    heading = _heading_row(sheet, file)
    records: list[ForecastRecord] = []
    seen: dict[tuple, int] = {}
    last = max(row for row, _ in sheet.cells)
    for r in range(heading + 1, last + 1):
        beside = sorted(col for (row, col) in sheet.cells if row == r and col >= len(HISTORY_HEADINGS))
        if beside:
            text = _shown(sheet.cells[(r, beside[0])])
            raise _stop(f"reconcile skriver om bladet {HISTORY_SHEET} vid varje körning, så \"{text}\" här skulle "
                        "försvinna; flytta det till ett eget blad och kör igen", r, beside[0], file,
                    slug="prognoshistorik-text-utanfor")
        if all((r, c) not in sheet.cells for c in range(len(HISTORY_HEADINGS))):
            continue
        record = _record(sheet, r, file)
        key = (record.period, record.level, record.path)
        if key in seen:
            raise _stop(f"raden \"{sheet.text(r, LABEL)}\" ({record.level}) för {_period_text(record.period)} finns "
                        f"redan på rad {seen[key] + 1}; ta bort den ena och kör igen", r, LABEL, file,
                    slug="prognoshistorik-dubbel")
        seen[key] = r
        records.append(record)
    return tuple(records)


def _heading_row(sheet, file: str) -> int:
    """The table's heading row: the row whose cells are the headings; a row that
    starts with Period but has another heading is named."""
    rows = sorted({row for row, _ in sheet.cells})
    wanted = [normalise_header(name) for name in HISTORY_HEADINGS]
    candidates = [r for r in rows if normalise_header(sheet.text(r, 0)) == wanted[0]]
    for r in candidates:
        if [normalise_header(sheet.text(r, c)) for c in range(len(wanted))] == wanted:
            return r
    for r in candidates:
        c = next(c for c in range(len(wanted)) if normalise_header(sheet.text(r, c)) != wanted[c])
        found = sheet.text(r, c)
        said = f"är \"{found}\"" if found else "är tom"
        raise _stop(f"rubriken {said} men ska vara \"{HISTORY_HEADINGS[c]}\"; återställ den och kör igen (raderna "
                    "under den är tidigare månaders prognoser)", r, c, file,
                    slug="prognoshistorik-rubrik")
    raise InputError(f"hittar inte rubrikraden för prognoshistoriken ({', '.join(HISTORY_HEADINGS)}); återställ "
                     "den och kör igen (raderna under den är tidigare månaders prognoser, som inte kan räknas fram "
                     "igen), eller ta bort bladet för att börja om", file=file, where=HISTORY_SHEET,
                     slug="prognoshistorik-rubrik")


def _record(sheet, r: int, file: str) -> ForecastRecord:
    cells = sheet.cells

    def cell(c: int):
        return cells.get((r, c))

    period = _period(cell(PERIOD))
    if period is None:
        raise _stop(f"{_said(cell(PERIOD), 'perioden saknas', 'är ingen period')} (skriv den som 2025-08); {FIX}",
                    r, PERIOD, file,
                    slug="prognoshistorik-cell")
    typed = cell(LABEL)
    label = "" if typed is None or typed.value is None else str(typed.value)  # as written: spaces are the label's
    if not label.strip():
        raise _stop(f"raden saknar Rad (radens namn, som Sammanställning visar det); {FIX}", r, LABEL, file,
                    slug="prognoshistorik-cell")
    level = normalise_header(sheet.text(r, LEVEL))
    if level not in HISTORY_LEVELS:
        raise _stop(f"{_said(cell(LEVEL), 'nivån saknas', 'är ingen nivå')} ({', '.join(HISTORY_LEVELS[:-1])} eller "
                    f"{HISTORY_LEVELS[-1]}); {FIX}", r, LEVEL, file,
                    slug="prognoshistorik-cell")
    amounts = []
    for c in (BUDGET, ACTUAL, FORECAST):
        found = cell(c)
        try:
            value = parse_ore(found.value if found is not None and not isinstance(found.value, bool) else
                              ("" if found is None else str(found.value)))
        except ValueError:
            value = None
        if value is None:
            raise _stop(f"{_said(found, 'beloppet saknas', 'är inte ett belopp')}; {FIX}", r, c, file,
                    slug="prognoshistorik-cell")
        amounts.append(value)
    run = _date(cell(RUN))
    if run is None:
        raise _stop(f"{_said(cell(RUN), 'datumet saknas', 'är inget datum')} (skriv det som 2025-09-05); {FIX}",
                    r, RUN, file,
                    slug="prognoshistorik-cell")
    path = tuple(label.split(PATH_SEPARATOR))
    method = cell(METHOD)
    return ForecastRecord(period, level, path, *amounts, method="" if method is None else str(method.value), run=run,
                          where=_where(r, PERIOD))


def _period(cell) -> int | None:
    """yyyymm from "2025-08" (as written), or from a date (Excel makes one of a period retyped)."""
    if cell is None:
        return None
    if isinstance(cell.value, str):
        found = _PERIOD.match(cell.value.strip())
        if found and 1 <= int(found[2]) <= 12:
            return int(found[1]) * 100 + int(found[2])
        return None
    if isinstance(cell.value, float) and cell.num_format and _DATE_FORMAT.search(cell.num_format):
        day = _serial(cell.value)
        return day.year * 100 + day.month if day is not None else None
    return None


def _date(cell) -> dt.date | None:
    """A run's date: a date cell (as written), or text 2025-09-05."""
    if cell is None:
        return None
    if isinstance(cell.value, str):
        try:
            return dt.date.fromisoformat(cell.value.strip())
        except ValueError:
            return None
    if isinstance(cell.value, float):
        return _serial(cell.value)
    return None


def _serial(value: float) -> dt.date | None:
    if not 1 <= value < 2958466:  # Excel's dates: 1900-01-01 … 9999-12-31
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(value))


def _period_text(period: int) -> str:
    return f"{period // 100}-{period % 100:02d}"


def _shown(cell) -> str:
    text = f"={cell.formula}" if cell.formula else str(cell.value)
    return text if len(text) <= 40 else text[:39] + "…"


def _said(cell, missing: str, wrong: str) -> str:
    """'perioden saknas' for an empty cell, else '"abc" är ingen period'."""
    return missing if cell is None or cell.empty else f"\"{_shown(cell)}\" {wrong}"
