"""The fast paths against the straightforward ones.

- ``read_ledger_columns`` (the worksheet XML streamed and parsed with numpy,
  rules applied once per distinct value) must give exactly the ledger, or
  exactly the error, that ``read_ledger`` gives on calamine's grid (with the
  error values and merged ranges calamine does not give found by the
  fallback's scan of the XML, and checked against calamine's own): on
  workbooks written by XlsxWriter and openpyxl (random, through hypothesis),
  on hand-written XML, with the sheet cut into many small batches parsed on
  several threads, and — for ``WorksheetPart.head`` — on the real-world
  workbooks of ../shared/corpus.
- ``Pattern.mask`` and ``mapping.combinations`` (numpy, once per distinct
  code) against ``Pattern.matches`` and a dict, row by row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
import zipfile
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.styles.numbers import BUILTIN_FORMATS

from toolkit.engine.mapping import combinations
from toolkit.engine.patterns import CodeTable, PatternError, parse_pattern
from toolkit.errors import InputError, WorkbookError
from toolkit.read import worksheet
from toolkit.read.grid import CellError, Merge, column_letter
from toolkit.read.ledger import read_ledger, read_ledger_columns, read_ledger_sheet
from toolkit.read.workbook import Source
from toolkit.read.worksheet import NotCanonical

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "xlsx"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_names = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fast_paths")


def new_path(folder: Path, stem: str = "book") -> Path:
    """A fresh file name per workbook: calamine may still hold an earlier one open."""
    return folder / f"{stem}{next(_names)}.xlsx"


# ------------------------------------------------------------------------------------------------
# both readers, and what they gave


def calamine_rows(source: Source, name: str = "Utfall") -> list[list]:
    return source._book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def calamine_merges(source: Source, name: str = "Utfall") -> list[Merge]:
    """calamine's own merged ranges, to compare with what the readers found in the XML."""
    ranges = source._book.get_sheet_by_name(name).merged_cell_ranges or []
    return sorted(Merge(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges)


def slow_ledger(path: Path, year, wanted=None):
    """read_ledger on the grid calamine reads, with the error cells and merged
    ranges calamine does not give found in the XML (the fallback of Source.grid,
    which itself tries the XML reader first)."""
    return read_ledger(Source(path)._calamine_grid("Utfall"), year, wanted)


def without_errors(rows: list[list]) -> list[list]:
    """The rows as calamine gives them: '' for an error value."""
    return [["" if isinstance(v, CellError) else v for v in row] for row in rows]


def assert_grids_agree(source: Source, name: str = "Utfall") -> None:
    """Source.grid (the XML reader when it takes the sheet) == the fallback
    (calamine + the XML scan) == calamine where calamine can tell; the same
    merged ranges as calamine's."""
    grid, fallback = source.grid(name), source._calamine_grid(name)
    assert differences(grid.rows, fallback.rows) == []
    assert differences(without_errors(grid.rows), calamine_rows(source, name)) == []
    assert sorted(grid.merges) == sorted(fallback.merges) == calamine_merges(source, name)


def fast_ledger(path: Path, year, wanted=None):
    part = Source(path).worksheet("Utfall")
    assert part is not None, "the worksheet part of Utfall was not found"
    return read_ledger_columns(part, year, wanted)


def outcome(read, *args):
    """The ledger, or the InputError raised (returned, to compare)."""
    try:
        return read(*args)
    except InputError as exc:
        return exc


def facts(result) -> dict:
    """Everything the callers of a ledger reader see, as plain values."""
    if isinstance(result, InputError):
        return {"error": type(result).__name__, "str": str(result), "message": result.message,
                "where": result.where, "file": result.file}
    for name in ("period", "amount", "row", "col"):
        assert getattr(result, name).dtype == np.int64, name
    assert set(result.codes) == set(result.dimensions)
    return {
        "period": result.period.tolist(), "amount": result.amount.tolist(),
        "row": result.row.tolist(), "col": result.col.tolist(),
        "dimensions": result.dimensions, "labels": result.labels, "layout": result.layout,
        "rows_read": result.rows_read, "source": result.source, "file": result.file,
        "codes": {d: result.codes[d].values() for d in result.dimensions},
        "where": [result.where(i) for i in range(min(len(result), 40))],
        "notes": [note.as_dict() for note in result.notes],
    }


def fast_facts(path: Path, year, wanted=None) -> dict:
    try:
        return facts(outcome(fast_ledger, path, year, wanted))
    except NotCanonical as exc:
        pytest.fail(f"the fast path refused a sheet written the common way: NotCanonical({exc})")


@contextmanager
def small_batches(batch: int = 1024, piece: int = 61):
    """SheetReader with tiny batches, fed in small pieces, parsed on three threads.

    ``BATCH`` is bound as the default of ``SheetReader.__init__`` when the module
    loads, so patching the module attribute does not change the batch size: the
    default itself is replaced.  The module attribute is patched too (to half
    the batch), as blocks under ``BATCH`` are parsed without a thread (and a row
    may be four times the larger of the two).  And a batch is only cut once a
    piece has been fed, while the inflater hands out pieces of up to 1 MiB (a
    small sheet is one piece), so the pieces are cut small as well.

    Yields (stage, block size, thread) of each block parsed; the stage is
    "read" while WorksheetPart.read runs (the ledger's columns), else "peek"."""
    parsed: list[tuple[str, int, str]] = []
    stage = ["peek"]
    parse, feed, read = worksheet.SheetReader._parse, worksheet.SheetReader.feed, worksheet.WorksheetPart.read

    def counting_parse(self, block):
        parsed.append((stage[0], len(block), threading.current_thread().name))
        return parse(self, block)

    def feed_in_pieces(self, data):
        for at in range(0, len(data), piece):
            feed(self, data[at : at + piece])

    pieces = worksheet.WorksheetPart._pieces

    def small_pieces(self, *args, **kwargs):  # the peeks: the head, the shared strings
        for data in pieces(self, *args, **kwargs):
            for at in range(0, len(data), piece):
                yield data[at : at + piece]

    def reading(self, *args, **kwargs):
        stage[0] = "read"
        try:
            return read(self, *args, **kwargs)
        finally:
            stage[0] = "peek"

    init = worksheet.SheetReader.__init__
    defaults = init.__defaults__
    names = init.__code__.co_varnames[: init.__code__.co_argcount]
    at = names[-len(defaults):].index("batch")
    assert defaults[at] == worksheet.BATCH
    # not patch.object: leaving it would delattr __defaults__ (not in the function's __dict__), which sets None
    init.__defaults__ = defaults[:at] + (batch,) + defaults[at + 1 :]
    try:
        with patch.object(worksheet.SheetReader, "_parse", counting_parse), \
                patch.object(worksheet.SheetReader, "feed", feed_in_pieces), \
                patch.object(worksheet.WorksheetPart, "_pieces", small_pieces), \
                patch.object(worksheet.WorksheetPart, "read", reading), \
                patch.object(worksheet, "BATCH", batch // 2), patch.object(worksheet, "WORKERS", 3):
            yield parsed
    finally:
        init.__defaults__ = defaults


def sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def assert_same(path: Path, year, wanted=None) -> dict:
    """Fast == straightforward, read in one batch and in many; Source.grid ==
    calamine's rows; returns the facts."""
    slow = facts(outcome(slow_ledger, path, year, wanted))
    assert fast_facts(path, year, wanted) == slow
    assert_grids_agree(Source(path))
    xml = sheet_xml(path)
    rows = xml[xml.find(b"<sheetData") : xml.find(b"</sheetData>")]
    longest = max((len(r) for r in re.findall(rb"<row[ >].*?</row>", rows, re.S)), default=0)
    batch, piece = max(128, longest // 3 + 1), 61  # a row may be up to 4 batches long
    with small_batches(batch, piece) as parsed:
        assert fast_facts(path, year, wanted) == slow
    reads = [p for p in parsed if p[0] == "read"]
    if reads:  # the patches took: a block is cut at the last row end once batch bytes are held
        assert len(reads) >= len(rows) // (batch + piece + longest), (len(rows), batch, longest, parsed)
        if len(reads) >= 3:
            assert any(thread != threading.main_thread().name for *_, thread in reads), parsed
    return slow


# ------------------------------------------------------------------------------------------------
# random ledgers: a sheet is a list of rows of cells (kind, value, number format) or None


def cell(kind: str, value, fmt=None) -> tuple:
    return (kind, value, fmt)


NUMBER_FORMATS = [None, None, "0", "0.00", "#,##0.00", '#,##0 "kr"', "[Red]0.00", "@"]  # none shows a date
DATE_FORMATS = ["yyyy-mm-dd", "yyyymm", "yyyy-mm-dd hh:mm", 14, "mmm yyyy", "d/m/yyyy"]
# \r is left out: a raw CR is a known difference (test_line_ends_in_strings_are_normalised)
_ALPHABET = "abcxyzåäöÅÄÖé &<>\"'0123456789-_.,;:/ \t\n€😀\u0301"
TEXT = st.one_of(st.text(alphabet=_ALPHABET, max_size=10), st.text(alphabet=_ALPHABET, min_size=40, max_size=70))
# the error values both writers write as such (t="e")
ERROR_CODES = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]
ERROR_CELLS = st.sampled_from(ERROR_CODES).map(lambda code: cell("error", code))
CODE_TEXTS = ["0100", "K12", "P-7", "4010", "40101", "Ö12", "A & B", "<x>", " 4010 ", "6540.0", "1e3", "SANT",
              "_x0041_", "   ", "", "Hyra <&> el"]


def write_with_xlsxwriter(path: Path, rows: list[list], merges: list[tuple] = (), streaming: bool = False) -> Path:
    """``streaming``: in constant_memory mode, as streaming writers (and POI's SXSSF, many ERP exports) write a
    sheet: every text an inline string (``t="inlineStr"``), no shared strings."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True} if streaming else {})
    sheet = book.add_worksheet("Utfall")
    formats: dict = {}

    def style(code):
        if code is None:
            return None
        if code not in formats:
            formats[code] = book.add_format({"num_format": code})
        return formats[code]

    for r, row in enumerate(rows):
        for c, item in enumerate(row):
            if item is None:
                continue
            kind, value, code = item
            if kind == "num":
                sheet.write_number(r, c, value, style(code))
            elif kind == "str":
                sheet.write_string(r, c, value, style(code))
            elif kind == "date":
                sheet.write_datetime(r, c, value, style(code))
            elif kind == "bool":
                sheet.write_boolean(r, c, value)
            elif kind == "formula":
                sheet.write_formula(r, c, "=1+1", style(code), value)
            elif kind == "error":  # XlsxWriter writes an error value only as a formula's cached value
                sheet.write_formula(r, c, "=NA()", style(code), value)
            else:  # pragma: no cover
                raise AssertionError(kind)
    for top, left, bottom, right in merges:
        sheet.merge_range(top, left, bottom, right, None)  # the top-left cell keeps what was written
    book.close()
    return path


def write_streaming(path: Path, rows: list[list], merges: list[tuple] = ()) -> Path:
    path = write_with_xlsxwriter(path, rows, merges, streaming=True)
    if any(item is not None and item[0] == "str" and item[1] for row in rows for item in row):
        assert b't="inlineStr"' in sheet_xml(path) and b't="s"' not in sheet_xml(path)
    return path


def write_with_openpyxl(path: Path, rows: list[list], merges: list[tuple] = ()) -> Path:
    """openpyxl writes inline strings, t="n", booleans, formulas without a cached
    value, and error values as such (t="e")."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Utfall"
    for r, row in enumerate(rows, start=1):
        for c, item in enumerate(row, start=1):
            if item is None:
                continue
            kind, value, code = item
            target = sheet.cell(r, c)
            target.value = "=1+1" if kind == "formula" else value
            if code is not None:
                target.number_format = BUILTIN_FORMATS[code] if isinstance(code, int) else code
    for top, left, bottom, right in merges:
        sheet.merge_cells(start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1)
    book.save(path)
    return path


@st.composite
def moments(draw, year: int, month: int):
    day = draw(st.integers(1, 28))
    if draw(st.booleans()):
        return dt.datetime(year, month, day)
    return dt.datetime(year, month, day, draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 59])))


@st.composite
def period_cells(draw, messy: bool, formulas: bool = True):
    y, m = draw(st.sampled_from([2024, 2025])), draw(st.integers(1, 12))
    choices = [
        st.just(cell("num", y * 100 + m)),
        st.sampled_from(NUMBER_FORMATS).map(lambda f: cell("num", float(y * 100 + m), f)),
        st.sampled_from([f"{y}-{m:02d}", f"{y}{m:02d}", f"{y % 100:02d}{m:02d}", f"{y}-{m}", f" {y}-{m:02d} ",
                         f"{y}-{m:02d}-15 00:00:00", f"{y}{m:02d}15", f"{y}/{m:02d}"]).map(lambda t: cell("str", t)),
        st.tuples(moments(y, m), st.sampled_from(DATE_FORMATS)).map(lambda t: cell("date", *t)),
        st.sampled_from([cell("num", m), cell("num", float(m)), cell("str", f"{m:02d}"), cell("str", str(m))]),
    ]
    if formulas:  # not for openpyxl, which writes no cached value: the period would be blank
        choices.append(st.sampled_from([cell("formula", y * 100 + m), cell("formula", f"{y}-{m:02d}")]))
    if messy:
        choices.append(st.sampled_from([None, cell("str", "augusti"), cell("num", y * 100 + 13), cell("bool", True),
                                        cell("str", "   "), cell("str", ""), cell("num", 0), cell("str", "2025-13"),
                                        cell("formula", "#N/A"), cell("num", 12.5)]))
        choices.append(ERROR_CELLS)
    return draw(st.one_of(choices))


def code_cells(errors: bool = False):
    """Codes; with ``errors`` also error values (a formula's cached one, or as such)."""
    choices = [
        st.none(),
        st.sampled_from([5011, 4010, 100, 0, 7, 40101, 6540.0, 12.5, -3, 1e20, 0.1 + 0.2]).map(lambda v: cell("num", v)),
        st.sampled_from(CODE_TEXTS).map(lambda t: cell("str", t)),
        TEXT.map(lambda t: cell("str", t)),
        st.sampled_from([4010, "K12", "", True]).map(lambda v: cell("formula", v)),
        st.booleans().map(lambda b: cell("bool", b)),
        st.just(cell("date", dt.datetime(2025, 1, 31), "yyyy-mm-dd")),
    ]
    if errors:
        choices.append(st.one_of(ERROR_CELLS, st.just(cell("formula", "#N/A"))))
    return st.one_of(choices)


def amount_cells(messy: bool):
    choices = [
        st.none(),
        st.tuples(st.integers(-10**11, 10**11), st.sampled_from(NUMBER_FORMATS)).map(
            lambda t: cell("num", t[0] / 100, t[1])),
        st.integers(-10**6, 10**6).map(lambda n: cell("num", n)),
        st.sampled_from([0.1 + 0.2, 1e11, -1e11, 0.0, -0.0, 1e12, 123.456, 1e-7, -0.005, 2.675, 99999999999.99,
                         9999999999999.99, -1234567890123.45]).map(lambda v: cell("num", v)),
        st.sampled_from(["1 234,50", "-1 234,50", "1234.5", "1 234,50-", " 12 ", "", "   ", "0", "1.234,50", "(100)",
                         "1\u00a0234,50", "−5", "12 kr"]).map(lambda t: cell("str", t)),
        st.sampled_from([1.5, -7, 1e11, 0.1 + 0.2, ""]).map(lambda v: cell("formula", v)),
    ]
    if messy:
        choices.append(st.sampled_from([cell("str", "12,3,4"), cell("str", "tre"), cell("bool", False),
                                        cell("formula", "#DIV/0!"), cell("formula", "x"), cell("num", 1e13),
                                        cell("num", 12345678901234.5), cell("num", -1e15), cell("num", 1e20),
                                        cell("str", "10 000 000 000 000"), cell("formula", 1e17)]))
        choices.append(ERROR_CELLS)
    return st.one_of(choices)


def year_cells(messy: bool):
    choices = [st.none(), st.sampled_from([cell("num", 2024), cell("num", 2025.0), cell("str", "2025"),
                                           cell("formula", 2025), cell("str", " ")])]
    if messy:
        choices.append(st.sampled_from([cell("str", "i år"), cell("bool", True), cell("str", "2025,5"),
                                        cell("error", "#REF!"), cell("formula", "#VALUE!")]))
    return st.one_of(choices)


def text_cells():
    return st.one_of(st.none(), TEXT.map(lambda t: cell("str", t)),
                     st.sampled_from([cell("str", "Hyra & el <mars>"), cell("str", "Årsavgift"), cell("str", "   "),
                                      cell("str", ""), cell("num", 17), cell("bool", False),
                                      cell("formula", "x & y"), cell("formula", "#N/A")]),
                     ERROR_CELLS)  # not read: an error value in Text is no error


HEADERS = {
    "period": ["Period", "Månad", "Datum"],
    "konto": ["Konto", "Account"],
    "ansvar": ["Ansvar", "Ansvarsenhet"],
    "projekt": ["Projekt"],
    "text": ["Text", "Beskrivning"],
    "belopp": ["Belopp", "Belopp (kr)", "Amount"],
    "år": ["År"],
    "kst": ["Kst"],
}
TITLES = [[cell("str", "Huvudbok 2025")], [], [None, cell("num", 2025)],
          [cell("str", "Utdrag ur Raindance"), None, cell("str", "Sida 1")], [cell("str", "   ")]]


@st.composite
def row_ledgers(draw, messy: bool, formulas: bool = True):
    """(rows, year, wanted) of a ledger in rows: Period … Belopp.  Only a
    ``messy`` one has bad cells, error values in the columns read and rows
    without a period (errors); any one has error values in the columns not
    read (Text, and Kst unless it is ``wanted``)."""
    names = ["period", "konto", "ansvar", "text", "belopp"]
    names += [n for n in ("projekt", "år", "kst") if draw(st.booleans())]
    order = draw(st.permutations(names))
    year = draw(st.sampled_from([2025, 2025, 2024, None]))
    wanted = draw(st.sampled_from([None, {"kst"}, {"projekt"}]))
    rows = draw(st.lists(st.sampled_from(TITLES), max_size=3))
    rows.append([cell("str", draw(st.sampled_from(HEADERS[n]))) for n in order])
    makers = {"period": lambda: period_cells(messy, formulas), "belopp": lambda: amount_cells(messy),
              "år": lambda: year_cells(messy), "text": text_cells,
              "kst": lambda: code_cells(messy or wanted != {"kst"})}
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 7)) == 0:
            rows.append([])  # a blank row
            continue
        rows.append([draw(makers.get(n, lambda: code_cells(messy))()) for n in order])
    return rows, year, wanted


MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]


@st.composite
def matrix_ledgers(draw, messy: bool):
    """(rows, year, None) of a monthly matrix: Konto, Ansvar, (Text), then month columns."""
    style = draw(st.sampled_from(["names", "iso", "numbers", "dates"]))
    months = draw(st.lists(st.integers(1, 12), min_size=2, max_size=12, unique=True))
    label = {"names": lambda m: cell("str", MONTH_NAMES[m - 1]), "iso": lambda m: cell("str", f"2025-{m:02d}"),
             "numbers": lambda m: cell("num", 202500 + m), "dates": lambda m: cell("date", dt.datetime(2025, m, 1), "mmm yyyy")}
    text = draw(st.booleans())
    rows = draw(st.lists(st.sampled_from(TITLES), max_size=3))
    rows.append([cell("str", "Konto"), cell("str", "Ansvar")] + ([cell("str", "Text")] if text else [])
                + [label[style](m) for m in months])
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 7)) == 0:
            rows.append([])
            continue
        row = [draw(code_cells(messy)), draw(code_cells(messy))] + ([draw(text_cells())] if text else [])
        row += [draw(st.one_of(st.none(), st.none(), amount_cells(messy))) for _ in months]
        rows.append(row)
    return rows, draw(st.sampled_from([2025, 2025, None])), None


def ledgers(messy: bool, formulas: bool = True):
    return st.one_of(row_ledgers(messy, formulas), row_ledgers(messy, formulas), matrix_ledgers(messy))


@SETTINGS
@given(ledgers(messy=False))
def test_fast_ledger_equals_straightforward_on_xlsxwriter_files(folder, case):
    rows, year, wanted = case
    path = write_with_xlsxwriter(new_path(folder), rows)
    assert_same(path, year, wanted)


@SETTINGS
@given(ledgers(messy=False))
def test_fast_ledger_equals_straightforward_on_inline_string_files(folder, case):
    rows, year, wanted = case
    path = write_streaming(new_path(folder, "streaming"), rows)
    assert_same(path, year, wanted)


@settings(SETTINGS, max_examples=30)
@given(ledgers(messy=False, formulas=False))
def test_fast_ledger_equals_straightforward_on_openpyxl_files(folder, case):
    rows, year, wanted = case
    path = write_with_openpyxl(new_path(folder, "openpyxl"), rows)
    assert_same(path, year, wanted)


@SETTINGS
@given(ledgers(messy=True), st.sampled_from([write_with_xlsxwriter, write_with_xlsxwriter, write_streaming,
                                              write_with_openpyxl]))
def test_fast_errors_equal_straightforward_on_messy_ledgers(folder, case, write):
    """Bad cells and rows without a period: the same first error, word for word."""
    rows, year, wanted = case
    path = write(new_path(folder), rows)
    assert_same(path, year, wanted)


def header_row(rows: list[list]) -> int:
    return next(r for r, row in enumerate(rows) if any(v and v[1] in ("Konto", "Account") for v in row))


@st.composite
def merged_ledgers(draw, messy: bool):
    """(rows, year, wanted, merges): a ledger with merged ranges below its
    header row (in the columns read or not), none overlapping; the cells a
    range covers are empty but its top-left one, as Excel leaves them."""
    rows, year, wanted = draw(ledgers(messy))
    header = header_row(rows)
    height, width = len(rows) + 1, max(len(r) for r in rows) + 1
    merges: list[tuple[int, int, int, int]] = []
    for _ in range(draw(st.integers(1, 3))):
        top, left = draw(st.integers(header + 1, max(header + 1, height - 1))), draw(st.integers(0, width - 1))
        bottom, right = top + draw(st.integers(0, 3)), left + draw(st.integers(0, 1))
        if (bottom, right) == (top, left) or any(
                top <= b and t <= bottom and left <= r and lo <= right for t, lo, b, r in merges):
            continue
        merges.append((top, left, bottom, right))
    rows = [list(row) for row in rows]
    for top, left, bottom, right in merges:
        for r in range(top, min(bottom + 1, len(rows))):
            for c in range(left, min(right + 1, len(rows[r]))):
                if (r, c) != (top, left):
                    rows[r][c] = None
    return rows, year, wanted, merges


def first_stop(rows: list[list], wanted, merges) -> str | None:
    """The range that must stop the run ('B4:B6'), judged from the sheet as
    written: the first (in sheet order) that covers a column read other than
    as the value of a one-row range in that column."""
    header = header_row(rows)
    names = {c: v[1] for c, v in enumerate(rows[header]) if v}
    read = {c for c, n in names.items() if n not in ("Text", "Beskrivning", "Kst") or n == "Kst" and wanted == {"kst"}}
    for top, left, bottom, right in sorted(merges):
        covered = {c for c in read if left <= c <= right}
        if covered and not (top == bottom and covered == {left}):
            return f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
    return None


@SETTINGS
@given(merged_ledgers(messy=False), st.sampled_from([write_with_xlsxwriter, write_with_openpyxl]))
def test_merged_cells_in_ledgers(folder, case, write):
    """A merged range in a column that is read stops both readers, naming the
    range, before any rule reads a row; elsewhere (Text, a column not read, a
    one-row range whose value stands in the column read) it changes nothing."""
    rows, year, wanted, merges = case
    if write is write_with_openpyxl:
        rows = [[c if c is None or c[0] != "formula" else None for c in row] for row in rows]  # no cached values
    got = assert_same(write(new_path(folder), rows, merges), year, wanted)
    stop = first_stop(rows, wanted, merges)
    if stop is None:
        assert "sammanfogade" not in got.get("message", ""), (got, merges)
    elif got.get("where") != f"Utfall!{stop}":  # only the header row's own problems come first
        assert re.fullmatch(rf"Utfall!\D+{header_row(rows) + 1}", got["where"]), (got, merges)
    else:
        assert got["message"].startswith("sammanfogade celler "), (got, merges)


def test_a_thousand_rows_in_many_batches(folder):
    rng = np.random.default_rng(7)
    rows = [[cell("str", "Huvudbok")], [cell("str", h) for h in ("Period", "Konto", "Ansvar", "Text", "Belopp")]]
    for i in range(1000):
        rows.append([cell("num", 202501 + int(rng.integers(12))), cell("str", f"{4000 + int(rng.integers(50))}"),
                     cell("num", int(rng.integers(100, 110))), cell("str", f"rad {i} å&<") if i % 3 else None,
                     cell("num", round(float(rng.normal(0, 1e5)), 2))])
        if i % 97 == 0:
            rows.append([])
    path = write_with_xlsxwriter(new_path(folder), rows)
    got = assert_same(path, 2025)
    assert got["rows_read"] == 1000 and len(set(got["codes"]["konto"])) == 50
    with small_batches(batch=4096, piece=4096) as parsed:
        assert fast_facts(path, 2025) == got
    assert len(parsed) > 10


def test_many_shared_strings(folder):
    """Codes far into a large shared strings table (the part read only as far as needed)."""
    rows = [[cell("str", h) for h in ("Period", "Konto", "Text", "Belopp")]]
    for i in range(3000):
        rows.append([cell("num", 202501 + i % 12), cell("str", f"K{i % 7}"), cell("str", f"text {i} {'å' * (i % 9)}"),
                     cell("num", i)])
    rows += [[cell("num", 202512), cell("str", f"Sista koden <{i}>"), None, cell("num", 1)] for i in range(3)]
    path = write_with_xlsxwriter(new_path(folder), rows)
    got = assert_same(path, 2025)
    assert got["codes"]["konto"][-3:] == ["Sista koden <0>", "Sista koden <1>", "Sista koden <2>"]
    with small_batches(batch=2048, piece=1000):
        assert fast_facts(path, 2025) == got


def test_date1904_workbook(folder):
    path = new_path(folder)
    book = xlsxwriter.Workbook(str(path), {"date_1904": True})
    sheet = book.add_worksheet("Utfall")
    sheet.write_row(0, 0, ["Period", "Konto", "Belopp"])
    for r, when in enumerate([dt.datetime(2025, 3, 1), dt.datetime(1904, 1, 2), dt.datetime(2024, 2, 29, 12, 30)], 1):
        sheet.write_datetime(r, 0, when, book.add_format({"num_format": "yyyy-mm-dd"}))
        sheet.write_string(r, 1, "4010")
        sheet.write_number(r, 2, r)
    book.close()
    assert assert_same(path, 2025)["period"] == [202503, 190401, 202402]  # serial 1 is 1904-01-02


def test_openpyxl_fixed_examples(folder):
    rows = [[cell("str", "Period"), cell("str", "Konto"), cell("str", "Text"), cell("str", "Belopp")],
            [cell("num", 202501), cell("str", "0100"), cell("str", ""), cell("num", 0.1 + 0.2)],
            [cell("date", dt.datetime(2025, 2, 3), "yyyy-mm-dd"), cell("num", 4010), None, cell("str", "1 234,50")],
            [cell("str", "2025-03"), cell("bool", True), cell("str", "å & <"), cell("formula", 5)],
            [None, None, cell("str", ""), None],
            [cell("num", 4), cell("str", "K12"), None, cell("num", 10**12)]]
    got = assert_same(write_with_openpyxl(new_path(folder, "openpyxl"), rows), 2025)
    assert got["period"] == [202501, 202502, 202503, 202504]
    assert got["amount"] == [30, 123450, 0, 10**14]  # the formula has no cached value
    assert got["codes"]["konto"] == ["0100", "4010", "SANT", "K12"]


# ------------------------------------------------------------------------------------------------
# hand-written worksheet XML


SHARED = ["Period", "Konto", "Text", "Belopp", "", "4010", "Hyra & el"]


def shared_strings(items: list[str]) -> str:
    """A sharedStrings part; an item starting with '<' is written as it is (rich text)."""
    sis = "".join(f"<si>{t}</si>" if t.startswith("<") else f"<si><t xml:space=\"preserve\">{escape(t)}</t></si>"
                  for t in items)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}">{sis}</sst>'


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


HEADER_ROW = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
              '<c r="D1" t="s"><v>3</v></c></row>')


def hand_made(folder: Path, rows: str, *, header: str = HEADER_ROW, shared: list[str] = SHARED,
              worksheet_xml: str | None = None, styles: bytes | None = None) -> Path:
    """A workbook whose Utfall sheet holds ``header`` + ``rows`` (sheetData content,
    written as given): XlsxWriter's package with the worksheet and shared strings
    parts replaced.  Cell style 1 shows dates (yyyy-mm-dd)."""
    path = new_path(folder, "hand")
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Utfall")
    sheet.write_string(0, 0, "x")
    sheet.write_number(1, 0, 1, book.add_format({"num_format": "yyyy-mm-dd"}))
    book.close()
    xml = worksheet_xml or ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                            f'<worksheet xmlns="{MAIN}"><sheetData>{header}{rows}</sheetData></worksheet>')
    replace_parts(path, {"xl/worksheets/sheet1.xml": xml.encode(), "xl/sharedStrings.xml": shared_strings(shared).encode(),
                         **({"xl/styles.xml": styles} if styles is not None else {})})
    return path


def replace_parts(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as z:
        members = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            out.writestr(info.filename, parts.get(info.filename, data))


def row(r: int, cells: str) -> str:
    return f'<row r="{r}">{cells}</row>'


P2 = '<c r="A2"><v>202503</v></c>'  # a period for row 2
P3 = '<c r="A3"><v>202504</v></c>'

# (id, rows, expected: {fact: value} the straightforward reader gives and the fast one must give)
HAND_CASES = [
    ("cm-between-s-and-t", row(2, P2 + '<c r="B2" s="1" cm="1" t="s"><v>5</v></c><c r="D2"><v>5</v></c>'),
     {"codes": {"konto": ["4010"]}, "amount": [500]}),
    ("other-attribute-on-a-date", row(2, '<c r="A2" s="1" cm="1"><v>45717</v></c><c r="D2"><v>5</v></c>'),
     {"period": [202503]}),
    ("t-before-s", row(2, '<c r="A2" t="n" s="1"><v>45717</v></c><c r="D2" t="n"><v>5</v></c>'), {"period": [202503]}),
    ("str-formula", row(2, P2 + '<c r="B2" t="str"><f>A1&amp;"x"</f><v>4010</v></c><c r="D2"><v>1</v></c>'),
     {"codes": {"konto": ["4010"]}}),
    ("inline-string", row(3, P3 + '<c r="B3" t="inlineStr"><is><t>4020</t></is></c>'
                          '<c r="D3" t="inlineStr"><is><t>1 234,50</t></is></c>'),
     {"codes": {"konto": ["4020"]}, "amount": [123450], "row": [2]}),
    ("rich-inline-string", row(2, P2 + '<c r="B2" t="inlineStr"><is><r><t>40</t></r><r><rPr><b/></rPr>'
                               '<t xml:space="preserve">30 </t></r></is></c><c r="D2"><v>1</v></c>'),
     {"codes": {"konto": ["4030"]}}),
    ("rich-shared-string", row(2, P2 + '<c r="B2" t="s"><v>7</v></c><c r="D2"><v>1</v></c>'),
     {"codes": {"konto": ["4050"]}}),
    ("phonetic-run", row(2, P2 + '<c r="B2" t="inlineStr"><is><t>40</t><rPh sb="0" eb="1"><t>X</t></rPh>'
                         '<phoneticPr fontId="1"/></is></c><c r="D2"><v>1</v></c>'),
     {"codes": {"konto": ["40"]}}),
    ("pretty-printed", "\n  " + row(2, '\n    <c r="A2">\n      <v>202503</v>\n    </c>\n    <c r="B2" t="s">\n'
                                    '      <v>5</v>\n    </c>\n    <c r="D2">\n      <f>1+1</f>\n      <v>7.5</v>\n'
                                    '    </c>\n  ') + "\n",
     {"codes": {"konto": ["4010"]}, "amount": [750]}),
    ("error-cells", row(2, P2 + '<c r="D2" t="e"><v>#N/A</v></c>') + row(3, P3 + '<c r="D3" t="e"><f>1/0</f>'
                                                                      '<v>#DIV/0!</v></c>'),
     {"where": "Utfall!D2", "message": "cellen innehåller felvärdet #N/A (i svensk Excel #SAKNAS!): ett värde som "
                                       "inte hittades, t.ex. av LETARAD eller XLETAUPP; rätta cellen och kör igen"}),
    ("error-only-row", row(2, '<c r="C2" t="e"><v>#N/A</v></c>'), {"rows_read": 0}),  # Text is not read
    ("error-in-text", row(2, P2 + '<c r="C2" t="e"><f>X</f><v>#NAME?</v></c><c r="D2"><v>5</v></c>'),
     {"rows_read": 1, "amount": [500]}),
    ("error-in-a-row-without-other-cells", row(2, P2 + '<c r="D2"><v>5</v></c>') + row(3, '<c r="D3" t="e"><v>#REF!</v></c>'),
     {"where": "Utfall!D3"}),
    ("error-in-the-period", row(2, '<c r="A2" t="e"><f>Z1</f><v>#REF!</v></c><c r="D2" t="e"><v>#N/A</v></c>'),
     {"where": "Utfall!A2", "message": "cellen innehåller felvärdet #REF! (i svensk Excel #REFERENS!): formeln pekar "
                                       "på celler eller ett blad som inte finns längre; rätta cellen och kör igen"}),
    ("error-after-a-bad-period-in-the-same-row", row(2, '<c r="A2"><v>202513</v></c><c r="D2" t="e"><v>#N/A</v></c>'),
     {"where": "Utfall!D2"}),  # the error value first: no rule reads a row with one
    ("error-below-a-total-row", row(2, P2 + '<c r="D2"><v>5</v></c>') + row(3, '<c r="B3" t="s"><v>6</v></c>'
                                                                           '<c r="D3"><v>5</v></c>')
     + row(4, '<c r="D4" t="e"><v>#N/A</v></c>'),
     {"where": "Utfall!A3", "message": "raden saknar period (är det en summarad? ta bort den)"}),
    ("boolean-code", row(2, P2 + '<c r="B2" t="b"><v>1</v></c><c r="D2"><v>5</v></c>'),
     {"codes": {"konto": ["SANT"]}}),
    ("boolean-amount", row(2, P2 + '<c r="D2" t="b"><v>0</v></c>'),
     {"where": "Utfall!D2", "message": '"FALSKT" är inte ett belopp'}),
    ("empty-shared-string-row", row(2, '<c r="C2" t="s"><v>4</v></c>') + row(3, P3 + '<c r="D3"><v>1</v></c>'),
     {"row": [2]}),
    ("empty-inline-strings", row(2, '<c r="C2" t="inlineStr"><is/></c>')
     + row(3, P3 + '<c r="B3" t="inlineStr"><is></is></c><c r="C3" t="inlineStr"><is><t/></is></c><c r="D3"><v>1</v></c>')
     + row(4, '<c r="C4" t="inlineStr" />'),
     {"row": [2], "codes": {"konto": [""]}}),
    ("spaces-only-string-row", row(2, '<c r="C2" t="inlineStr"><is><t xml:space="preserve">   </t></is></c>'),
     {"where": "Utfall!A2", "message": "raden saknar period"}),
    ("iso-date-cells", row(2, '<c r="A2" t="d"><v>2025-03-01T00:00:00</v></c><c r="D2"><v>1</v></c>')
     + row(3, '<c r="A3" t="d"><v>2025-04-01</v></c><c r="B3" t="d"><v>2025-04-01T10:30:00</v></c><c r="D3"><v>1</v></c>'),
     {"period": [202503, 202504]}),
    ("formula-without-value", row(2, P2 + '<c r="B2" t="str"><f>""</f></c><c r="C2"><f>1+1</f></c><c r="D2"><v>1</v></c>')
     + row(3, '<c r="C3"><f>1+1</f></c>'), {"rows_read": 1, "codes": {"konto": [""]}}),
    ("self-closed-cells", row(2, '<c r="A2" s="1"/><c r="C2" t="s"/><c r="D2" t="inlineStr" />'), {"rows_read": 0}),
    ("entities-and-escapes", row(2, P2 + '<c r="B2" t="inlineStr"><is><t>&#52;&#x30;10 &amp; &lt;å&gt;_x0041_'
                                 '_x005F_x0042_</t></is></c><c r="D2"><v>1</v></c>'),
     {"codes": {"konto": ["4010 & <å>A_x0042_"]}}),
    ("numbers-written-oddly", row(2, '<c r="A2"><v>2.02503E5</v></c><c r="B2"><v>-.5</v></c><c r="D2"><v>1.5E2</v></c>')
     + row(3, '<c r="A3"><v>202504.</v></c><c r="B3"><v>0100</v></c><c r="D3"><v>+.5</v></c>'),
     {"period": [202503, 202504], "amount": [15000, 50], "codes": {"konto": ["-0.5", "100"]}}),
    ("long-amounts", row(2, P2 + '<c r="D2"><v>1234567890123</v></c>') + row(3, P3 + '<c r="D3"><v>-9999999999999.99</v></c>'),
     {"amount": [123456789012300, -999999999999999]}),
    ("too-long-amount", row(2, P2 + '<c r="D2"><v>12345678901234</v></c>'), {"where": "Utfall!D2"}),
    ("shared-and-array-formulas", row(2, P2 + '<c r="B2"><f t="shared" ref="B2:B3" si="0">A1*2</f><v>4010</v></c>'
                                      '<c r="D2"><f t="array" ref="D2">SUM(A1:A2)</f><v>10</v></c>')
     + row(3, P3 + '<c r="B3"><f t="shared" si="0"/><v>4020</v></c><c r="D3"><v>20</v></c>'),
     {"codes": {"konto": ["4010", "4020"]}, "amount": [1000, 2000]}),
    ("error-with-value-metadata", row(2, P2 + '<c r="B2" t="e" vm="1"><v>#VALUE!</v></c><c r="D2"><v>10</v></c>'),
     {"where": "Utfall!B2"}),
    ("entities-in-a-formula-text", row(2, P2 + '<c r="B2" t="str"><f>X</f><v>A &amp; B &lt;c&gt;</v></c><c r="D2"><v>1</v></c>'),
     {"codes": {"konto": ["A & B <c>"]}}),
    ("wide", '<row r="2" spans="1:4" x14ac:dyDescent="0.25">' + P2 + '<c r="D2"><v>10</v></c><c r="AA2" t="s"><v>5</v></c>'
     '<c r="XFD2"><v>1</v></c></row>', {"row": [1]}),
    ("far", row(2, P2 + '<c r="D2"><v>10</v></c>') + row(70000, '<c r="A70000"><v>202504</v></c><c r="D70000"><v>3</v></c>'),
     {"row": [1, 69999], "period": [202503, 202504]}),
    ("a-header-cell-written-twice", row(1, '<c r="A1" t="s"><v>2</v></c><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                                        '<c r="D1" t="s"><v>3</v></c>') + row(2, P2 + '<c r="D2"><v>1</v></c>'),
     {"period": [202503], "labels": {"konto": "Konto", "period": "Period", "belopp": "Belopp"}}),
    ("row-without-r", '<row><c r="A2"><v>202503</v></c><c r="D2"><v>1</v></c></row>', {"row": [1]}),
    ("big-style-index", row(2, '<c r="A2" s="77"><v>202503</v></c><c r="D2"><v>1</v></c>'), {"period": [202503]}),
    # inline strings as streaming writers write them: found right after the tag, a text not read only looked at
    # in a row where nothing else decides whether it is blank
    ("streamed-inline-strings", row(2, '<c r="A2" t="inlineStr"><is><t>2025-03</t></is></c><c r="B2" t="inlineStr">'
                                    '<is><t xml:space="preserve"> 4010 </t></is></c><c r="C2" t="inlineStr"><is><t>'
                                    + "lång text " * 8 + '</t></is></c><c r="D2" s="0"><v>12.5</v></c>')
     + row(3, P3 + '<c r="B3" t="inlineStr"><is><t>' + "K" * 60 + '</t></is></c><c r="C3" t="inlineStr"><is><t>x</t>'
                   '</is></c><c r="D3" t="inlineStr"><is><t>-7</t></is></c>')
     + row(4, '<c r="C4" t="inlineStr"><is><t></t></is></c>') + row(5, '<c r="C5" t="inlineStr"><is><t> </t></is></c>')
     + row(6, P2.replace("A2", "A6") + '<c r="B6" t="inlineStr"><is><t>4020</t></is></c><c r="D6"><v>1</v></c>'),
     {"period": [202503, 202504, 202503], "codes": {"konto": ["4010", "K" * 60, "4020"]}, "amount": [1250, -700, 100],
      "row": [1, 2, 5]}),
    ("streamed-text-alone-in-a-row", row(2, P2 + '<c r="D2"><v>5</v></c>')
     + row(3, '<c r="C3" t="inlineStr"><is><t xml:space="preserve">obs </t></is></c>'),
     {"where": "Utfall!A3", "message": "raden saknar period"}),
    # Excel writes xml:space on <v> for a formula text with leading or trailing spaces
    ("v-with-xml-space", row(2, '<c r="A2" t="str"><f>B9&amp;" "</f><v xml:space="preserve">2025-03 </v></c>'
                             '<c r="B2" t="str"><f>" "&amp;B9</f><v xml:space="preserve"> 4010</v></c><c r="D2"><v>1</v></c>'),
     {"period": [202503], "codes": {"konto": ["4010"]}}),
]
SHARED_FOR_CASES = SHARED + ["<r><t>40</t></r><r><rPr><i/></rPr><t>50</t></r>"]  # index 7: rich text


@pytest.mark.parametrize("rows, expected", [pytest.param(r, e, id=i) for i, r, e in HAND_CASES])
def test_hand_written_xml(folder, rows, expected):
    header = "" if rows.startswith('<row r="1">') else HEADER_ROW  # a case may write its own header row
    path = hand_made(folder, rows, header=header, shared=SHARED_FOR_CASES)
    got = assert_same(path, 2025)
    for key, value in expected.items():
        if key == "codes":
            assert {d: got["codes"][d] for d in value} == value
        else:
            assert got[key] == value, key


@pytest.mark.parametrize("cells, where, message", [
    ('<c r="B2" t="e" cm="1"><f t="array" ref="B2">SORT(X)</f><v>#SPILL!</v></c><c r="D2"><v>1</v></c>', "Utfall!B2",
     "cellen innehåller felvärdet #SPILL!: formelns resultat får inte plats i cellerna intill; rätta cellen och kör igen"),
    ('<c r="D2" t="e"><v>#GETTING_DATA</v></c>', "Utfall!D2",  # longer than a short key
     "cellen innehåller felvärdet #GETTING_DATA: data hämtades fortfarande när arbetsboken sparades; rätta cellen och "
     "kör igen"),
    ('<c r="D2" t="e"><v>#CALC!</v></c>', "Utfall!D2",
     "cellen innehåller felvärdet #CALC!: formeln kan inte räknas ut, t.ex. en tom matris; rätta cellen och kör igen"),
])
def test_error_values_calamine_does_not_read(folder, cells, where, message):
    """The error values of newer Excel (dynamic arrays, data types): calamine
    refuses the whole sheet ("Unsupported cell error value"), the XML reader
    reads them, and the run stops naming the cell."""
    path = hand_made(folder, row(2, P2 + cells))
    got = fast_facts(path, 2025)
    assert (got["where"], got["message"]) == (where, message)
    assert facts(outcome(read_ledger_sheet, Source(path), "Utfall", 2025, None)) == got
    with pytest.raises(WorkbookError) as refused:  # calamine's refusal, named by the cell
        slow_ledger(path, 2025)
    assert (refused.value.where, refused.value.message) == (
        where, message.replace("; rätta cellen", ", och bladet är skrivet så att reconcile då inte kan läsa det; rätta cellen"))


# sheets the fast path does not take: it says so, and read_ledger_sheet reads them through calamine
REFUSED = [
    ("attributes-in-another-order", HEADER_ROW, row(2, '<c s="1" r="A2"><v>45717</v></c><c r="D2"><v>5</v></c>')),
    ("lower-case-reference", HEADER_ROW, row(2, '<c r="a2"><v>202503</v></c><c r="D2"><v>1</v></c>')),
    ("a-cell-written-twice", HEADER_ROW, row(2, P2 + '<c r="D2"><v>1</v></c><c r="D2"><v>2</v></c>')),
    ("rows-out-of-order", HEADER_ROW, row(3, P3 + '<c r="D3"><v>1</v></c>') + row(2, P2 + '<c r="D2"><v>2</v></c>')),
    ("text-in-a-number-cell", HEADER_ROW, row(2, P2 + '<c r="D2"><v>abc</v></c>')),
]


@pytest.mark.parametrize("header, rows", [pytest.param(h, r, id=i) for i, h, r in REFUSED])
def test_sheets_the_fast_path_refuses_fall_back_to_calamine(folder, header, rows):
    path = hand_made(folder, rows, header=header)
    with pytest.raises(NotCanonical):
        fast_ledger(path, 2025)
    with small_batches(batch=64, piece=7), pytest.raises(NotCanonical):  # raised in a thread, too
        fast_ledger(path, 2025)
    slow = facts(outcome(slow_ledger, path, 2025))
    assert facts(outcome(read_ledger_sheet, Source(path), "Utfall", 2025, None)) == slow
    assert "error" in slow or slow["rows_read"] >= 1
    source = Source(path)
    assert differences(source.grid("Utfall").rows, calamine_rows(source)) == []


def sheet_part(rows: str, tail: str = "", prefix: str = "") -> str:
    """A worksheet part holding ``rows`` (sheetData content) and ``tail`` after
    sheetData, every tag with ``prefix`` (``x:``) when given."""
    p = prefix
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet xmlns{":" + p[:-1] if p else ""}='
            f'"{MAIN}"><{p}sheetData>{rows}</{p}sheetData>{tail}</{p}worksheet>')


NA = "cellen innehåller felvärdet #N/A (i svensk Excel #SAKNAS!): ett värde som inte hittades, t.ex. av LETARAD eller " \
     "XLETAUPP; rätta cellen och kör igen"
X_HEADER = HEADER_ROW.replace("<", "<x:").replace("<x:/", "</x:")

# sheets calamine reads (the XML reader refuses them): the error values and merged ranges found in the XML,
# placed where calamine places the cells — (id, worksheet XML, where, message or None: read without error)
FALLBACK_CASES = [
    ("attributes-in-another-order", sheet_part(HEADER_ROW + row(2, '<c s="1" r="A2"><v>45717</v></c><c t="e" r="D2">'
                                                               '<v>#N/A</v></c>')), "Utfall!D2", NA),
    ("quoted-with-apostrophes", sheet_part(HEADER_ROW + row(2, P2 + "<c r='D2' t = 'e' ><f>1/0</f><v>#N/A</v></c>")
                                          + row(3, '<c s="1" r="A3"><v>1</v></c>')), "Utfall!D2", NA),
    ("cells-without-references", sheet_part(HEADER_ROW + '<row r="2"><c><v>202503</v></c><c t="s"><v>5</v></c><c/>'
                                           '<c t="e"><v>#N/A</v></c></row>'), "Utfall!D2", NA),
    ("rows-and-cells-without-references", sheet_part(HEADER_ROW + '<row><c><v>202503</v></c><c><v>1</v></c></row>'
                                                    '<row><c><v>202504</v></c><c t="e"><v>#N/A</v></c></row>'),
     "Utfall!B3", NA),
    ("a-later-reference-wins", sheet_part(HEADER_ROW + row(2, P2 + '<c r="B2" t="s" r="C2"><v>6</v></c><c t="e"><v>#N/A</v>'
                                                                   '</c>') + row(3, '<c s="1" r="A3"><v>1</v></c>')),
     "Utfall!D2", NA),
    ("prefixed", sheet_part(X_HEADER + '<x:row r="2"><x:c r="A2"><x:v>202503</x:v></x:c><x:c r="D2" t="e"><x:f>1/0</x:f>'
                           '<x:v>#N/A</x:v></x:c></x:row>', prefix="x:"), "Utfall!D2", NA),
    ("prefixed-merged", sheet_part(X_HEADER + '<x:row r="2"><x:c r="A2"><x:v>202503</x:v></x:c><x:c r="B2" t="s">'
                                  '<x:v>5</x:v></x:c><x:c r="D2"><x:v>1</x:v></x:c></x:row><x:row r="3"><x:c r="A3">'
                                  '<x:v>202504</x:v></x:c><x:c r="D3"><x:v>2</x:v></x:c></x:row>',
                                  '<x:mergeCells count="1"><x:mergeCell ref="B2:B3"/></x:mergeCells>', "x:"),
     "Utfall!B2:B3", "sammanfogade celler i kolumnen Konto; dela upp dem och skriv värdet på varje rad"),
    ("error-and-merge-in-text", sheet_part(HEADER_ROW + row(2, '<c s="1" r="A2"><v>45717</v></c><c r="C2" t="e"><v>#N/A</v>'
                                                          '</c><c r="D2"><v>1</v></c>') + row(3, P3 + '<c r="D3"><v>2</v></c>'),
                                          "<mergeCells count='1'><mergeCell ref = 'C2:C3' /></mergeCells>"), None, None),
]


@pytest.mark.parametrize("xml, where, message", [pytest.param(x, w, m, id=i) for i, x, w, m in FALLBACK_CASES])
def test_error_values_and_merges_in_sheets_calamine_reads(folder, xml, where, message):
    path = hand_made(folder, "", worksheet_xml=xml)
    with pytest.raises(NotCanonical):
        fast_ledger(path, 2025)
    got = facts(outcome(read_ledger_sheet, Source(path), "Utfall", 2025, None))
    if message is None:
        assert got["rows_read"] == 2 and got["amount"] == [100, 200]
    else:
        assert (got["where"], got["message"]) == (where, message)
    source = Source(path)
    assert differences(without_errors(source.grid("Utfall").rows), calamine_rows(source)) == []
    assert source.grid("Utfall").merges == calamine_merges(source)


def prefixed_sheet() -> str:
    """The worksheet as ClosedXML and NPOI write it: every tag with the x: prefix."""
    cells = ('<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>'
             '<x:c r="D1" t="s"><x:v>3</x:v></x:c></x:row>'
             '<x:row r="2"><x:c r="A2"><x:v>202503</x:v></x:c><x:c r="B2" t="s"><x:v>5</x:v></x:c>'
             '<x:c r="D2"><x:v>5</x:v></x:c></x:row>')
    return (f'<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>{cells}</x:sheetData>'
            '</x:worksheet>')


def test_a_prefixed_sheet_is_refused_and_read_through_calamine(folder):
    """Every tag prefixed (<x:sheetData>, as ClosedXML writes): the fast path must
    refuse it, not read an empty head ("hittar ingen rubrikrad", no fallback)."""
    path = hand_made(folder, "", worksheet_xml=prefixed_sheet())
    slow = facts(outcome(slow_ledger, path, 2025))
    assert slow["period"] == [202503] and slow["codes"]["konto"] == ["4010"]
    assert facts(outcome(read_ledger_sheet, Source(path), "Utfall", 2025, None)) == slow
    with pytest.raises(NotCanonical):
        fast_ledger(path, 2025)


def test_a_sum_row_without_period_gets_the_hint(folder):
    """A row with an amount but no period gets the hint "är det en summarad?",
    also when the amount is a plain number (öre computed in bulk by the fast path);
    as the last row, it is told that it is not the sum of the rows above."""
    rows = [[cell("str", "Period"), cell("str", "Konto"), cell("str", "Belopp")],
            [cell("num", 202501), cell("str", "4010"), cell("num", 100)],
            [None, cell("str", "Summa"), cell("num", 100)],
            [cell("num", 202501), cell("str", "4010"), cell("num", 100)]]
    path = write_with_xlsxwriter(new_path(folder), rows)
    slow = facts(outcome(slow_ledger, path, 2025))
    assert slow["where"] == "Utfall!A3"
    assert slow["message"] == "raden saknar period (är det en summarad? ta bort den)"
    assert fast_facts(path, 2025) == slow
    path = write_with_xlsxwriter(new_path(folder), rows[:2] + [[None, cell("str", "Summa"), cell("num", 150)]])
    slow = facts(outcome(slow_ledger, path, 2025))
    assert slow["where"] == "Utfall!A3"
    assert slow["message"] == ("raden saknar period; som summarad stämmer den inte med raderna ovan "
                               "(150,00 kr mot 100,00 kr)")
    assert fast_facts(path, 2025) == slow


@pytest.mark.parametrize("total", ["num", "str"])
def test_a_total_row_at_the_bottom_is_left_out_with_a_note(folder, total):
    """The last row, without a period, holding the sum of the rows above, is
    an export's total row: left out, and named in a note, by both readers."""
    rows = [[cell("str", "Period"), cell("str", "Konto"), cell("str", "Belopp")],
            [cell("num", 202501), cell("str", "4010"), cell("num", 100.25)],
            [cell("num", 202502), cell("str", "3010"), cell("num", -40)],
            [None, None, None],
            [None, cell("str", "Totalt"), cell(total, 60.25 if total == "num" else "60,25")]]
    path = write_with_xlsxwriter(new_path(folder), rows)
    slow = facts(outcome(slow_ledger, path, 2025))
    assert slow["amount"] == [10025, -4000] and slow["rows_read"] == 2
    assert [(n["slug"], n["where"]) for n in slow["notes"]] == [("summarad", f"{path}: Utfall!C5")]
    assert "60,25 kr" in slow["notes"][0]["message"]
    assert fast_facts(path, 2025) == slow


def test_a_total_row_of_a_monthly_matrix_is_left_out(folder):
    rows = [[cell("str", "Konto"), cell("str", "Jan"), cell("str", "Feb")],
            [cell("str", "4010"), cell("num", 10), cell("num", 5)],
            [cell("str", "3010"), cell("num", -4), None],
            [cell("str", "Summa"), cell("num", 6), cell("num", 5)]]
    path = write_with_xlsxwriter(new_path(folder), rows)
    slow = facts(outcome(slow_ledger, path, 2025))
    assert slow["amount"] == [1000, 500, -400] and slow["rows_read"] == 3
    assert [n["slug"] for n in slow["notes"]] == ["summarad"]
    assert fast_facts(path, 2025) == slow
    # a last row that is not the sum is a ledger row like the others
    rows[-1] = [cell("str", "Summa"), cell("num", 6), cell("num", 6)]
    path = write_with_xlsxwriter(new_path(folder), rows)
    slow = facts(outcome(slow_ledger, path, 2025))
    assert slow["rows_read"] == 5 and slow["notes"] == []
    assert fast_facts(path, 2025) == slow


def test_a_long_text_earlier_in_a_batch_than_a_value_near_its_end(folder):
    """A value of 8 bytes or more near the end of a batch, and earlier in the
    same batch a value of the same column longer than that value's distance
    to the batch's end plus the padding (here a 400-character text in Text,
    a column the ledger does not read, then 'Hyresavi 12' in the last row):
    every value is read as it is, as calamine reads it (the values of 8 bytes
    or more were copied side by side as wide as the longest, reaching past
    the block: IndexError 'index 837 is out of bounds for axis 0 with size
    837', seen once from openpyxl's writer with lxml installed)."""
    text = "Fakturan avser " + "hyra och el " * 32
    rows = (row(2, P2 + f'<c r="B2" t="inlineStr"><is><t>4010</t></is></c><c r="C2" t="inlineStr"><is><t>{text}</t></is></c>'
                '<c r="D2"><v>100</v></c>')
            + row(3, P3 + '<c r="B3" t="inlineStr"><is><t>4010</t></is></c>'
                  '<c r="C3" t="inlineStr"><is><t>Hyresavi 12</t></is></c><c r="D3"><v>25.5</v></c>'))
    path = hand_made(folder, rows)
    assert squared(calamine_rows(Source(path)))[1:] == [[202503.0, "4010", text.strip(), 100.0],
                                                      [202504.0, "4010", "Hyresavi 12", 25.5]]
    assert assert_same(path, 2025)["amount"] == [10000, 2550]
    # the reader itself, on the text column it is asked for: the same premise, a batch of two rows
    styles = worksheet.Styles(np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
    for long in (9, worksheet._PAD, worksheet._PAD + 1, 400, 5000):
        reader = worksheet.SheetReader([2], (), 0, styles)
        reader.feed(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + row(1, f'<c r="C1" t="str"><v>{"x" * long}</v></c>')
                    .encode() + row(2, '<c r="C2" t="str"><v>Hyresavi 12</v></c>').encode() + b"</sheetData></worksheet>")
        reader.close()
        column = reader.result(lambda wanted: {})[2]
        assert [column.values[t] for t in column.token] == ["x" * long, "Hyresavi 12"]


def test_text_without_xml_space_preserve_is_trimmed(folder):
    """calamine trims the white space around the text of a <t> without
    xml:space="preserve" (spaces only become '').  openpyxl writes a text of
    spaces only that way: a row holding only such a cell is blank."""
    # as openpyxl writes it with its own XML writer (with lxml installed it adds xml:space="preserve")
    path = hand_made(folder, row(2, P2 + '<c r="B2" t="s"><v>5</v></c><c r="C2" t="inlineStr"><is><t>x</t></is></c>'
                                 '<c r="D2"><v>1</v></c>')
                     + row(3, '<c r="C3" t="inlineStr"><is><t>   </t></is></c>'))
    assert squared(calamine_rows(Source(path)))[2:] == []
    assert assert_same(path, 2025)["rows_read"] == 1
    # the same in shared strings and inline strings, as any writer may write them
    path = hand_made(folder, row(2, P2 + '<c r="B2" t="s"><v>7</v></c><c r="C2" t="inlineStr"><is><t> y </t></is></c>'
                                 '<c r="D2"><v>1</v></c>'), shared=SHARED + ["<t> 4010 </t>"])
    source = Source(path)
    assert calamine_rows(source)[1][1:3] == ["4010", "y"]
    assert squared(source.worksheet("Utfall").head(10)) == squared(calamine_rows(source))
    assert assert_same(path, 2025)["codes"]["konto"] == ["4010"]


def test_a_boolean_period_after_month_1(folder):
    """TRUE in Period is no period, also after a bare month 1 (read_ledger's
    period cache is keyed by the cell value, and True == 1)."""
    header = [cell("str", "Period"), cell("str", "Konto"), cell("str", "Belopp")]
    for rows in ([header, [cell("num", 1), cell("str", "4010"), cell("num", 1)], [cell("bool", True), None, cell("num", 1)]],
                 [header, [cell("bool", True), None, cell("num", 1)], [cell("num", 1), cell("str", "4010"), cell("num", 1)]]):
        path = write_with_xlsxwriter(new_path(folder), rows)
        got = assert_same(path, 2025)
        assert got["message"] == '"SANT" är inte en period (t.ex. 202508 eller 2025-08)', got


@pytest.mark.parametrize("period, year", [(3, -1), (202503, 1e20), (3, 1e20)])
def test_odd_years(folder, period, year):
    """Odd År values give the same in both readers:
    - read_ledger_columns marks "no År in this row" with -1, so an År of -1 must
      not date a bare month with the settings' year (read_ledger gives -97);
    - an År beyond int64 is "inte ett år" to read_ledger_columns, while
      read_ledger ignores it for a full period and, for a bare month, crashes
      with OverflowError (np.asarray of the periods)."""
    rows = [[cell("str", h) for h in ("Period", "År", "Konto", "Belopp")],
            [cell("num", period), cell("num", year), cell("str", "4010"), cell("num", 1)]]
    assert_same(write_with_xlsxwriter(new_path(folder), rows), 2025)


def test_rows_out_of_order_beyond_the_first_peek(folder):
    """WorksheetPart.head stops reading once it has rows past the first ten; a
    header row written after them (rows out of order, which calamine places by
    their references) must not make the ledger fail with "hittar ingen
    rubrikrad": it must be read, or refused (NotCanonical, and calamine reads it)."""
    body = "".join(row(r, f'<c r="A{r}"><v>202503</v></c><c r="B{r}" t="s"><v>5</v></c><c r="D{r}"><v>{r}</v></c>')
                   for r in range(2, 800))
    path = hand_made(folder, body + HEADER_ROW, header="")
    slow = facts(outcome(slow_ledger, path, 2025))
    assert slow["rows_read"] == 798
    assert facts(outcome(read_ledger_sheet, Source(path), "Utfall", 2025, None)) == slow
    try:
        assert facts(outcome(fast_ledger, path, 2025)) == slow
    except NotCanonical:
        pass


def test_line_ends_in_strings_are_normalised(folder):
    """An XML parser reads a raw CR LF (or a lone CR) in text as LF, as calamine
    does; openpyxl writes multi-line text that way."""
    # raw line ends in inline strings, as openpyxl writes them with its own XML writer
    path = hand_made(folder, row(2, P2 + '<c r="B2" t="inlineStr"><is><t>Ansvar\r\n100</t></is></c><c r="D2"><v>1</v></c>')
                     + row(3, P3 + '<c r="B3" t="inlineStr"><is><t>A\rB</t></is></c><c r="D3"><v>2</v></c>'))
    got = assert_same(path, 2025)
    assert got["codes"]["konto"] == ["Ansvar\n100", "A\nB"]


def test_line_ends_in_shared_strings_are_normalised(folder):
    """As above, in the shared strings Excel writes; a character reference (&#13;) stays a CR."""
    path = hand_made(folder, row(2, P2 + '<c r="B2" t="s"><v>7</v></c><c r="D2"><v>1</v></c>'),
                     shared=SHARED + ["40\r\n10", "<t>x&#13;&#10;y</t>"])
    got = assert_same(path, 2025)
    assert got["codes"]["konto"] == ["40\n10"]


def test_number_formats_of_conditional_formats_do_not_restyle_cells(folder):
    """Only <numFmts> defines the number formats: a <numFmt> inside <dxfs> (the
    formats of conditional formatting) must not turn id 14 (a date) into
    '0.00%', and the period 45717 into a number, which is not a period."""
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
              '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
              '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
              '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
              '<cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs>'
              '<dxfs count="1"><dxf><numFmt numFmtId="14" formatCode="0.00%"/></dxf></dxfs></styleSheet>').encode()
    path = hand_made(folder, row(2, '<c r="A2" s="1"><v>45717</v></c><c r="D2"><v>1</v></c>'), styles=styles)
    got = assert_same(path, 2025)
    assert got["period"] == [202503]


def test_a_date_styled_number_beyond_year_9999(folder):
    """calamine gives a date-styled number past 9999-12-31 as the number (no
    OverflowError may escape): e.g. 20250315 typed into a column formatted as dates."""
    rows = [[cell("str", "Period"), cell("str", "Konto"), cell("str", "Belopp")],
            [cell("num", 20250315, "yyyy-mm-dd"), cell("str", "4010"), cell("num", 3_000_000, "yyyy-mm-dd")]]
    path = write_with_xlsxwriter(new_path(folder), rows)
    assert facts(outcome(slow_ledger, path, 2025))["period"] == [202503]
    assert_same(path, 2025)


def test_an_amount_beyond_int64(folder):
    """1e17 kr is 1e19 öre, more than int64 holds: read_ledger crashed with
    OverflowError (in np.asarray) where read_ledger_columns reported the cell."""
    rows = [[cell("str", "Period"), cell("str", "Belopp")], [cell("num", 202501), cell("num", 1e17)],
            [cell("num", 202502), cell("str", "1e20")]]
    path = write_with_xlsxwriter(new_path(folder), rows)
    got = assert_same(path, 2025)
    assert got["where"] == "Utfall!B2"


# (number, number format): cells whose date, time or duration the fast path must give as calamine does
DATE_CELLS = [
    (45717, "yyyy-mm-dd"), (45717.25, "yyyy-mm-dd hh:mm"), (1, "yyyy-mm-dd"), (59, "yyyy-mm-dd"), (61, "yyyy-mm-dd"),
    (0.5, "hh:mm"), (-1, "yyyy-mm-dd"), (2958465, "yyyy-mm-dd"), (3, "[h]:mm:ss"), (-5, "[h]:mm"), (45717, 14),
    (45717, 22), (0.25, 45), (1.5, 46), (45717, "yyyymm"), (45717, "[$-41D]mmmm yyyy"), (45717, '0 "dagar"'),
    (45717, "[Red]0.00"), (45717, "#,##0;[Red]-#,##0"), (45717, "@"), (45717, "General"),
    (60, "yyyy-mm-dd"),  # Excel's 1900-02-29: calamine says 1900-02-28
    (60.5, "yyyy-mm-dd hh:mm"),
    (0.4999999, "hh:mm:ss"),  # a time: calamine keeps the milliseconds
    (45717.0000001, "yyyy-mm-dd hh:mm:ss"),
    (-0.25, "hh:mm"),  # calamine: 18:00
    (12.3456789, "[h]:mm:ss"),  # a duration: calamine rounds to milliseconds
    (2958466, "yyyy-mm-dd"),  # past 9999-12-31: calamine gives the number
]


def test_date_cells_as_calamine_gives_them(folder):
    path = new_path(folder, "dates")
    book = xlsxwriter.Workbook(str(path))
    for i, (number, fmt) in enumerate(DATE_CELLS):  # a sheet each: one bad cell spoils a head
        book.add_worksheet(f"S{i}").write_number(0, 0, number, book.add_format({"num_format": fmt}))
    book.close()
    source = Source(path)
    wrong = []
    for i, (number, fmt) in enumerate(DATE_CELLS):
        calamine = source._book.get_sheet_by_name(f"S{i}").to_python(skip_empty_area=False)[0][0]
        try:
            fast = source.worksheet(f"S{i}").head(1)[0][0]
        except OverflowError as exc:
            fast = exc
        if type(fast) is not type(calamine) or fast != calamine:
            wrong.append(f"{number} {fmt!r}: fast {fast!r}, calamine {calamine!r}")
    assert not wrong, "\n".join(wrong)


def test_builtin_number_formats_as_calamine_reads_them(folder):
    """Every built-in number format id as calamine takes it: also 27-36 and
    50-58 (the East Asian dates) are dates."""
    path = new_path(folder, "formats")
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Utfall")
    for i in range(164):  # the built-in number format ids (custom ones start at 164)
        style = book.add_format({"num_format": i})
        sheet.write_number(i, 0, 45717.5, style)
        sheet.write_number(i, 1, 0.25, style)
    book.close()
    source = Source(path)
    calamine = calamine_rows(source)
    fast = source.worksheet("Utfall").head(200)
    wrong = [f"numFmtId {i}: fast {fast[i]!r}, calamine {calamine[i]!r}" for i in range(164)
             if [type(v) for v in fast[i]] != [type(v) for v in calamine[i]] or fast[i] != calamine[i]]
    assert not wrong, "\n".join(wrong)


def test_xml_cut_into_tiny_pieces(folder):
    """Any split of the XML into pieces: '</sheetData>' may be spread over three
    (the inflater hands out a short piece at the end of every 1 MiB of
    compressed input); missing it costs a needless fallback to calamine."""
    rows = [[cell("str", h) for h in ("Period", "Konto", "Belopp")]] + \
        [[cell("num", 202501 + i % 12), cell("str", f"K{i}"), cell("num", i / 4)] for i in range(30)]
    path = write_with_xlsxwriter(new_path(folder), rows)
    slow = facts(outcome(slow_ledger, path, 2025))
    for piece in (1, 2, 5, 11):
        with small_batches(batch=512, piece=piece):
            assert fast_facts(path, 2025) == slow, piece


# ------------------------------------------------------------------------------------------------
# the corpus: WorksheetPart.head against calamine on real-world workbooks


def squared(rows: list[list]) -> list[list]:
    """Rows padded with '' to one width, trailing blank rows and columns dropped."""
    width = max((len(r) for r in rows), default=0)
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    while rows and all(v == "" for v in rows[-1]):
        rows.pop()
    while rows and rows[0] and all(r[-1] == "" for r in rows):
        rows = [r[:-1] for r in rows]
    return rows


def differences(fast: list[list], calamine: list[list]) -> list[tuple]:
    """(row, col, fast value, calamine value) of the cells that differ (in type or value)."""
    a, b = squared(fast), squared(calamine)
    height, width = max(len(a), len(b)), max(len(a[0]) if a else 0, len(b[0]) if b else 0)
    out = []
    for r in range(height):
        for c in range(width):
            x = a[r][c] if r < len(a) else ""
            y = b[r][c] if r < len(b) else ""
            if type(x) is not type(y) or x != y:
                out.append((r, c, x, y))
    return out


def corpus_sheets():
    """(file name, Source, sheet name, WorksheetPart, calamine's rows) of every sheet calamine reads."""
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    for path in sorted(CORPUS.iterdir()):
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        try:
            source = Source(path)
        except (WorkbookError, InputError):
            continue
        for name in source.sheet_names:
            part = source.worksheet(name)
            if part is None or part.guard.entry(part.part).file_size > 20_000_000:
                continue
            try:
                rows = calamine_rows(source, name)
            except Exception:  # calamine cannot read it: nothing to compare with
                continue
            yield path.name, source, name, part, rows


def kind_of(x, y) -> str:
    """What sort of difference: to show a few of each sort."""
    if isinstance(x, str) and isinstance(y, str):
        if x.replace("\r\n", "\n").replace("\r", "\n") == y:
            return "line ends"
        if x.strip() == y:
            return "white space"
    return f"{type(x).__name__} / {type(y).__name__}"


def report(mismatches: list[tuple]) -> str:
    """Up to 20 differing cells: three of each sort of difference, at most one a sheet."""
    shown, kinds, sheets = [], {}, set()
    for f, s, r, c, x, y in mismatches:
        kind = kind_of(x, y)
        kinds[kind] = kinds.get(kind, 0) + 1
        if kinds[kind] <= 3 and (f, s, kind) not in sheets and len(shown) < 20:
            sheets.add((f, s, kind))
            shown.append(f"{f} [{s}] row {r} col {c}: fast {x!r:.70} calamine {y!r:.70}")
    counts = ", ".join(f"{k}: {n}" for k, n in kinds.items())
    return f"{len(mismatches)} cells differ in {len({m[:2] for m in mismatches})} sheets ({counts}):\n" + "\n".join(shown)


@pytest.mark.corpus
def test_head_equals_calamine_on_the_corpus():
    mismatches: list[tuple] = []
    canonical = refused = 0
    for file, _source, name, part, rows in corpus_sheets():
        try:
            fast = part.head(30)
        except NotCanonical:
            refused += 1
            continue
        except Exception as exc:  # a crash is a mismatch too
            mismatches.append((file, name, "-", "-", repr(exc), "(calamine reads it)"))
            continue
        canonical += 1
        mismatches += [(file, name, *d) for d in differences(without_errors(fast), rows[:30])]
    assert not mismatches, report(mismatches)
    assert canonical >= 0.8 * (canonical + refused), (canonical, refused)


@pytest.mark.corpus
def test_source_grid_equals_calamine_on_the_corpus():
    """Source.grid reads a sheet through the XML reader when it takes it, else
    through calamine: the values calamine gives; the error values (calamine
    gives '') where the fallback's XML scan finds them; calamine's merged ranges."""
    mismatches: list[tuple] = []
    found = {"errors": 0, "merges": 0}
    for file, source, name, _part, rows in corpus_sheets():
        try:
            grid = source.grid(name)
            scanned, merges = source._package.scan_sheet(name)
        except Exception as exc:  # a crash is a mismatch too
            mismatches.append((file, name, "-", "-", repr(exc), "(calamine reads it)"))
            continue
        mismatches += [(file, name, *d) for d in differences(without_errors(grid.rows), rows)]
        errors = sorted((r, c, v) for r, row in enumerate(grid.rows) for c, v in enumerate(row) if isinstance(v, CellError))
        if errors != sorted(scanned):
            mismatches.append((file, name, "-", "-", f"errors {errors[:3]}", f"XML scan {sorted(scanned)[:3]}"))
        if sorted(grid.merges) != sorted(merges) or sorted(merges) != calamine_merges(source, name):
            mismatches.append((file, name, "-", "-", f"merges {sorted(grid.merges)[:3]}",
                               f"calamine {calamine_merges(source, name)[:3]}"))
        found["errors"] += len(errors)
        found["merges"] += len(grid.merges)
    assert not mismatches, report(mismatches)
    assert found["errors"] and found["merges"], found  # the corpus has both: the comparison is not empty


# ------------------------------------------------------------------------------------------------
# the engine: once per distinct code


CODES = ["4010", "40101", "0400", "K12", "P100", "P125", "P150", "P1500", "", "4000", "4999", "5", "B", "Ö", "²",
         "12345678901234567890", "4010 ", "a"]
codes = st.one_of(st.sampled_from(CODES), st.text(alphabet="0123456789", max_size=22),
                  st.text(alphabet="0123456789KPAB-", max_size=6))


def pattern_items():
    code = st.one_of(st.sampled_from(["4010", "40", "0100", "K12", "P100", "P150", "A", "C", "5", "99999"]),
                     st.text(alphabet="0123456789", min_size=1, max_size=20), st.text(alphabet="0123456789KPA", min_size=1,
                                                                                      max_size=5))
    return st.one_of(
        code,
        st.tuples(code, code).map(lambda t: f"{t[0]}-{t[1]}"),
        st.tuples(code, code).map(lambda t: f"{t[0]} – {t[1]}"),
        code.map(lambda t: t + "*"),
        code.map(lambda t: t[:-1] + "?" if len(t) > 1 else "?"),
        st.just("[0-4]*"), st.just("*"), st.just("P1[0-2]?"),
    )


patterns = st.lists(pattern_items(), min_size=1, max_size=4).flatmap(
    lambda items: st.sampled_from([", ", ";", ",", " ; "]).map(lambda sep: sep.join(items)))


@settings(max_examples=300, deadline=None)
@given(patterns, st.lists(codes, max_size=25, unique=True))
def test_pattern_mask_equals_matches(text, texts):
    try:
        pattern = parse_pattern(text)
    except PatternError:
        assume(False)
    table = CodeTable(texts)
    assert pattern.mask(table).tolist() == [pattern.matches(t) for t in texts]


@pytest.mark.parametrize("text", ["4000-4999", "40*", "4010, 4020", "P100-P150", "A-C", "0100-0199", "5-40",
                                  "1-99999999999999999999", "*", "4010"])
def test_pattern_mask_on_the_examples(text):
    pattern = parse_pattern(text)
    table = CodeTable(CODES)
    assert pattern.mask(table).tolist() == [pattern.matches(t) for t in CODES]


def reference_combinations(columns: list[np.ndarray]) -> tuple[list[int], list[tuple]]:
    seen: dict[tuple, int] = {}
    groups = [seen.setdefault(key, len(seen)) for key in zip(*(c.tolist() for c in columns))]
    return groups, list(seen)


@st.composite
def code_columns(draw):
    n = draw(st.integers(0, 40))
    sizes = draw(st.lists(st.one_of(st.integers(1, 4), st.integers(1, 300), st.sampled_from([2**31, 2**40, 2**62])),
                          min_size=1, max_size=4))
    columns = [np.array(draw(st.lists(st.integers(0, min(size, 1000) - 1), min_size=n, max_size=n)), dtype=np.int64)
               for size in sizes]
    return columns, sizes


@settings(max_examples=200, deadline=None)
@given(code_columns())
def test_combinations_equal_a_dict(case):
    columns, sizes = case
    group, combos = combinations(columns, sizes)
    expected_groups, expected_combos = reference_combinations(columns)
    assert group.tolist() == expected_groups
    assert combos.shape == (len(expected_combos), len(columns))
    assert [tuple(r) for r in combos.tolist()] == expected_combos


def test_a_total_rows_year_is_not_read(tmp_path):
    """A last row without a period that is the sum of the rows above is a total
    row: its År cell is never read, by either path (found by hypothesis: a
    formula Period without a cached value, År "i år", Belopp 0)."""
    rows = [[cell("str", "År"), cell("str", "Belopp"), cell("str", "Konto"), cell("str", "Period")],
            [cell("str", "i år"), cell("num", 0.0), None, cell("formula", 202401)]]
    # openpyxl writes the formula without a cached value: the Period is blank, the row a total row
    facts = assert_same(write_with_openpyxl(new_path(tmp_path, "openpyxl"), rows), 2025)
    assert facts["period"] == [] and [n["slug"] for n in facts["notes"]] == ["summarad"]
    # XlsxWriter caches 202401: a ledger row, whose År is read, and is no year
    facts = assert_same(write_with_xlsxwriter(new_path(tmp_path, "xlsxwriter"), rows), 2025)
    assert (facts["where"], facts["message"]) == ("Utfall!A2", '"i år" är inte ett år')
