"""The Utfall sheet (or an export file): the ledger actuals.

Two layouts are accepted:
- *rader*: one row per transaction or per account and month, with ``Period``
  and ``Belopp`` columns;
- *månadsmatris*: one row per account/dimensions and one column per month
  (``Jan``…``Dec``, ``202501``…, ``2025-01``…).
Codes are kept as text (``0123`` keeps its zero, ``6540.0`` reads ``6540``).
The columns read are Period, Belopp, År and the dimension columns (the month
columns of a matrix), not Text: an Excel error value in one of them stops the
run before any rule reads its row, as does a merged range over one of them
(its amount or code would count once, or once per row).  Elsewhere an error
value is no content: a row of only such cells is blank.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ..contract import DATE_NAMES, DIMENSIONS, LEDGER_SHEET, normalise_header
from ..contract.ledger import ACCOUNT, AMOUNT, PERIOD
from ..engine.model import Codes, Ledger, factorize
from ..errors import InputError
from ..findings import Finding
from ..money import AmountTooLarge, format_kr, parse_decimal, to_ore, too_large
from ..progress import Report
from .csvfile import check_fields
from .grid import CellError, Grid, cell_text
from .headers import (
    BUDGET_FIELDS,
    HEADER_SEARCH_ROWS,
    HeaderRow,
    canonical,
    duplicates,
    find_header,
    stop_at_duplicate,
)
from .keys import month_of_header
from .merged import read_merged
from .table import BLANK, BULK, GridTable, Table
from .workbook import Source
from .worksheet import Column, NotCanonical

#: the ledger's own columns: Period, År, Text and Belopp (every other column it reads is a code)
_RESERVED = {column.key for column in LEDGER_SHEET.columns if column.key not in DIMENSIONS}


def parse_period(value: object, year: int | None) -> int:
    """A period cell → yyyymm. Raises ValueError (unknown form) or LookupError
    (a bare month and no year known)."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.year * 100 + value.month
    text = cell_text(value)
    if not text:
        raise ValueError(value)
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d", text):  # a date and time as text: '2022-08-15 00:00:00'
        text = text[:10]
    text = text.replace("/", "-").replace(".", "-").replace(" ", "-")
    parts = text.split("-")
    if len(parts) >= 2 and all(p.isdigit() for p in parts):
        if len(parts[0]) == 4 and 1 <= int(parts[1]) <= 12 and len(parts) <= 3:
            return int(parts[0]) * 100 + int(parts[1])
        raise ValueError(value)
    if text.isdigit():
        n = int(text)
        if len(text) == 6 and 1 <= n % 100 <= 12:
            return n
        if len(text) == 8 and 1 <= (n // 100) % 100 <= 12:  # 20220815
            return n // 100
        if len(text) == 4 and 1 <= n % 100 <= 12:
            return (2000 + n // 100) * 100 + n % 100
        if len(text) <= 2 and 1 <= n <= 12:
            if year is None:
                raise LookupError(value)
            return year * 100 + n
    raise ValueError(value)


#: a month header given as text: 202501, 2025-01, 2025/1, 2025-01-01 (Jan … Dec are read by name)
_MONTH_TEXT = re.compile(r"^(\d{4})(?:(\d{2})|[-/](\d{1,2})|-(\d{2})-\d{2})$")
#: the names of a period column (read before a date column when a ledger has both)
_PERIOD_WORDS = set(PERIOD.names) - set(DATE_NAMES)


#: the columns as the message for a missing header row names them
_NAMES = f"{PERIOD.name} och {AMOUNT.name}, eller {ACCOUNT.name} och en kolumn per månad"


def _month_header(value: object, year: int | None) -> int | None | str:
    """A monthly-matrix column header → yyyymm, 'needs-year' (Jan … Dec), or
    None. A header is a month name, a text 202501/2025-01/2025-01-01, a whole
    number 202501 or a date; a number that is not a month of the years
    1900–2200 (an amount) is none."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.year * 100 + value.month
    if isinstance(value, str):
        month = month_of_header(value)
        if month is not None:
            return year * 100 + month if year is not None else "needs-year"
        found = _MONTH_TEXT.match(value.strip())
        if found is None:
            return None
        y, m = int(found[1]), int(found[2] or found[3] or found[4])
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        y, m = divmod(int(value), 100)
    else:
        return None
    return y * 100 + m if 1900 <= y <= 2200 and 1 <= m <= 12 else None


def _is_rows(header: HeaderRow) -> bool:
    return "belopp" in header.columns and "period" in header.columns


def _is_matrix(header: HeaderRow, wanted: set[str] | None) -> bool:
    """A monthly matrix's header: no Belopp, two or more month headers and a
    code column (Konto or another dimension) — so a row of data, whose cells
    may look like months, is never taken for one."""
    codes = set(DIMENSIONS) | (set(wanted or ()) - set(BUDGET_FIELDS) - _RESERVED)
    return "belopp" not in header.columns and any(name in codes for name in header.columns) \
        and sum(1 for v in header.values.values() if _month_header(v, 2000) is not None) >= 2


def amount_ore(value: object) -> int:
    """A ledger amount → öre; fast for float cells. ValueError if not a number
    (AmountTooLarge if not a plausible one)."""
    if isinstance(value, float) and value == value and abs(value) < 1e13:
        cents = value * 100
        nearest = round(cents)
        if abs(cents - nearest) < 1e-6:
            return int(nearest)
    amount = parse_decimal(value)
    return 0 if amount is None else to_ore(amount)


@dataclass
class _Layout:
    """Which columns of the ledger are read, and how."""

    header: HeaderRow
    dims: list[str]
    labels: dict[str, str]
    matrix: bool
    month_cols: list[tuple[int, int]]  # (column, yyyymm) in the monthly matrix

    @property
    def columns(self) -> dict[str, int]:
        return self.header.columns

    @property
    def kept(self) -> list[int]:
        """The columns read (not Text), in sheet order."""
        cols = self.columns
        kept = {cols[d] for d in self.dims}
        if self.matrix:
            kept |= {c for c, _ in self.month_cols}
        else:
            kept |= {cols[name] for name in ("period", "belopp", "år") if name in cols}
        return sorted(kept)

    def check_merges(self, grid: Grid) -> None:
        """A merged range in a column that is read stops the run: its amount or
        code would count once, or once per row."""
        read_merged(grid, self.header.row, {c: self.header.labels[c] for c in self.kept})


def _layout(grid: Grid, year: int | None, wanted: set[str] | None) -> _Layout:
    """The ledger's header row (a real one: Period and Belopp, or a code column
    and month headers) and its columns; a column read twice, a month twice,
    or (in a CSV file) a line with other fields than the header stops."""
    header = find_header(grid, LEDGER_SHEET.required, what="huvudboken", names=_NAMES,
                         accept=lambda h: _is_rows(h) or _is_matrix(h, wanted), suggest=DIMENSIONS)
    matrix = not _is_rows(header)
    cols = header.columns
    dims: list[str] = []
    labels: dict[str, str] = {}
    for c, label in sorted(header.labels.items()):
        name = canonical(label)
        if not isinstance(header.values[c], str) or name in _RESERVED or name in dims \
                or matrix and _month_header(header.values[c], 2000) is not None:
            continue
        if name in DIMENSIONS or (wanted is not None and name in wanted):
            dims.append(name)
            labels[name] = label
    found = duplicates(header, [(name,) for name in ("belopp", "år", *dims)])
    month_cols: list[tuple[int, int]] = []
    if matrix:
        first: dict[int, int] = {}
        for c, value in sorted(header.values.items()):
            p = _month_header(value, year)
            if p == "needs-year":
                raise InputError(f"månadskolumnen \"{header.labels[c]}\" saknar år; ange År på bladet Inställningar",
                                 file=grid.file, where=grid.where(header.row, c), slug="period-utan-ar")
            if p is not None:
                if p in first:
                    found.append((c, first[p], "månad"))
                first.setdefault(p, c)
                month_cols.append((c, p))
    else:
        # a period column before a date column (Period and Bokföringsdatum: the period is the month booked)
        every = header.every["period"]
        periods = [c for c in every if normalise_header(header.labels[c]) in _PERIOD_WORDS] or every
        if len(periods) > 1:
            found.append((periods[1], periods[0], "kolumn"))
        cols["period"] = periods[0]
    stop_at_duplicate(grid, header, found)
    for name in ("period", "belopp", "text", "år"):
        if name in cols:
            labels[name] = header.labels[cols[name]]
    if grid.is_csv:
        check_fields(grid, header, {} if matrix else {cols["period"]: PERIOD.name, cols["belopp"]: AMOUNT.name})
    return _Layout(header, dims, labels, matrix, month_cols)


def _ledger(grid: Grid, layout: _Layout, period, amount, row, col, codes: dict[str, Codes]) -> Ledger:
    def array(values) -> np.ndarray:
        return np.asarray(values, dtype=np.int64)

    amount = array(amount)
    if len(amount) and int(np.abs(amount).max()) * len(amount) >= 2**63:  # only with absurd amounts
        raise InputError("huvudbokens belopp är för stora för att summeras exakt", file=grid.file, where=grid.name,
                         slug="belopp-summa-for-stor")
    return Ledger(period=array(period), amount=amount, row=array(row), col=array(col), codes=codes,
                  dimensions=layout.dims, labels=layout.labels, source=grid.name, file=grid.file, locate=grid.where,
                  rows_read=len(period), layout="månadsmatris" if layout.matrix else "rader",
                  headers=frozenset(canonical(label) for c, label in layout.header.labels.items()
                                    if isinstance(layout.header.values[c], str)
                                    and _month_header(layout.header.values[c], 2000) is None))


def _fail(grid: Grid, r: int, c: int, message: str, *, slug: str) -> InputError:
    return InputError(message, file=grid.file, where=grid.where(r, c), slug=slug)


def _period_error(grid: Grid, r: int, c: int, value: object, exc: Exception) -> InputError:
    if isinstance(exc, LookupError):
        return _fail(grid, r, c, f"perioden \"{cell_text(value)}\" saknar år; ange År på bladet Inställningar",
                     slug="period-utan-ar")
    return _fail(grid, r, c, f"\"{cell_text(value)}\" är inte en period (t.ex. 202508 eller 2025-08)",
                 slug="period-ogiltig")


def _missing_period(grid: Grid, r: int, c: int, amount: object) -> InputError:
    return _fail(grid, r, c, "raden saknar period" + (" (är det en summarad? ta bort den)" if cell_text(amount) else ""),
                 slug="period-saknas")


def _not_total(grid: Grid, r: int, c: int, total: int, above: int) -> InputError:
    return _fail(grid, r, c, f"raden saknar period; som summarad stämmer den inte med raderna ovan "
                             f"({format_kr(total)} kr mot {format_kr(above)} kr)", slug="summarad-stammer-inte")


def _total_note(grid: Grid, r: int, c: int, total: int) -> Finding:
    return Finding("summarad", f"{grid.file}: {grid.where(r, c)}",
                   f"sista raden saknar period och är summan av raderna ovan ({format_kr(total)} kr); den lästes "
                   "som en summarad, inte som en huvudboksrad", "info")


_TOTAL_WORDS = ("summa", "total", "sum")


def _no_period(value: object) -> bool:
    """A Period cell that holds no period: blank, or a total row's label (Summa, Totalt)."""
    text = cell_text(value)
    return text == "" or isinstance(value, str) and text.casefold().startswith(_TOTAL_WORDS)


def _matrix_total(grid: Grid, ledger: Ledger) -> Ledger:
    """A monthly matrix's last row, when its codes are blank (or say Summa/Totalt)
    and each month's amount is the sum of the month's column above it, is a
    total row: it is left out, with a note."""
    if not len(ledger):
        return ledger
    last = int(ledger.row.max())
    on_last = ledger.row == last
    if on_last.all():
        return ledger
    for name in ledger.dimensions:
        codes = ledger.codes[name]
        texts = {codes.texts[i].casefold() for i in np.unique(codes.index[on_last]).tolist()}
        if any(t and not t.startswith(_TOTAL_WORDS) for t in texts):
            return ledger
    cols = np.unique(ledger.col)
    above = np.zeros(len(cols), dtype=np.int64)
    below = np.zeros(len(cols), dtype=np.int64)
    slot = np.searchsorted(cols, ledger.col)
    np.add.at(above, slot[~on_last], ledger.amount[~on_last])
    np.add.at(below, slot[on_last], ledger.amount[on_last])
    if not (above == below).all():
        return ledger
    kept = ledger.take(~on_last)
    kept.rows_read = len(kept)
    kept.notes = ledger.notes + [Finding(
        "summarad", f"{grid.file}: {grid.where(last)}",
        f"sista raden är summan av raderna ovan i varje månadskolumn ({format_kr(int(below.sum()))} kr); den "
        "lästes som en summarad, inte som huvudboksrader", "info")]
    return kept


def _not_amount(grid: Grid, r: int, c: int, value: object) -> InputError:
    try:
        amount_ore(value)
    except AmountTooLarge:
        return _fail(grid, r, c, too_large(value, cell_text(value)), slug="belopp-for-stort")
    except ValueError:
        pass
    return _fail(grid, r, c, f"\"{cell_text(value)}\" är inte ett belopp", slug="belopp-ogiltigt")


def _not_year(grid: Grid, r: int, c: int, value: object) -> InputError:
    return _fail(grid, r, c, f"\"{cell_text(value)}\" är inte ett år", slug="ar-ogiltigt")


def _year(value: object) -> int:
    """An År cell: a year 1–9999 (ValueError otherwise)."""
    number = Decimal(cell_text(value))  # InvalidOperation (an ArithmeticError) when no number
    if not number.is_finite() or number.adjusted() > 4:  # not int() of 1E+999999999
        raise ValueError(value)
    year = int(number)
    if not 1 <= year <= 9999:
        raise ValueError(value)
    return year


def read_ledger(grid: Grid, year: int | None, wanted: set[str] | None = None) -> Ledger:
    """The ledger of ``grid`` (a sheet read by calamine, a CSV file read row by
    row, an SIE export): its cells handed to the same rules as every other
    source (``read_ledger_columns``).  ``year`` (from settings) dates bare
    month numbers; ``wanted`` adds dimension columns to the known ones."""
    return read_ledger_columns(GridTable(grid), year, wanted)


def read_ledger_sheet(source: Source, name: str, year: int | None, wanted: set[str] | None = None,
                      progress: Report | None = None) -> Ledger:
    """The ledger on sheet ``name`` of ``source`` (or its export file): a
    worksheet streamed column by column when it is written the common way, a
    CSV file parsed by pyarrow, a Parquet file; else (a sheet written
    otherwise, a CSV file the columnar parser does not take, an SIE export)
    the rows of ``source.grid``.  Every way gives the same ledger."""
    if source.is_csv:  # an export too large to hold row by row: read in batches, aggregated
        from .stream import large, read_large

        if large(source.path):
            try:
                return read_large(source.path, source.display, year, wanted, progress)
            except NotCanonical:
                pass  # read whole: by pyarrow where it takes the file, else row by row
    try:
        table = source.table(name)
        if table is not None:
            return read_ledger_columns(table, year, wanted, progress)
    except NotCanonical:
        pass
    return read_ledger(source.grid(name), year, wanted)


def read_ledger_columns(part: Table, year: int | None, wanted: set[str] | None = None,
                        progress: Report | None = None, *, above: int = 0, last: bool = True) -> Ledger:
    """The ledger of a columnar table (``read.table``: a worksheet, a CSV or
    Parquet export, an SIE export's #TRANS, a ``GridTable``): the header from
    the first rows, then only the ledger's columns, every rule applied once per
    distinct value; the first bad cell (in sheet or line order) is the one reported.

    A batch of a file read in batches (``read.stream``): ``above`` is Σ öre of
    the file's rows before it, and ``last`` whether it ends the file (only the
    file's last row can be a total row)."""
    head_grid = getattr(part, "head_grid", None)  # a part with its own positions (an SIE file's lines)
    if isinstance(part, GridTable):
        grid = part.grid  # the whole grid: a CSV file's lines are all checked for their fields
    elif head_grid:
        grid = head_grid(HEADER_SEARCH_ROWS)
    else:
        grid = Grid(part.sheet, part.file, part.head(HEADER_SEARCH_ROWS), is_csv=getattr(part, "is_csv", False),
                    notes=list(getattr(part, "notes", ())))  # a table's findings of reading its file
    try:
        layout = _layout(grid, year, wanted)
    except InputError:
        part.read((), (), 0)  # the first rows may come later in the XML: then NotCanonical, and calamine reads it
        raise
    cols = layout.columns
    first = layout.header.row + 1
    amount_cols = [c for c, _ in layout.month_cols] if layout.matrix else [cols["belopp"]]
    read = set(layout.kept)
    columns, rows = part.read(read, amount_cols, first, progress)
    grid.merges = part.merges
    layout.check_merges(grid)
    at = {c: _Cells(columns.get(c), rows) for c in read}
    errors: list[tuple[int, int, int, Callable[[], InputError]]] = []  # (row, check, column, error)
    notes: list[Finding] = []

    def first_bad(bad: np.ndarray, check: int, c: int, error: Callable[[int, object], InputError],
                  cells: _Cells) -> None:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            r = int(rows[i])
            errors.append((r, check, c, lambda: error(r, cells.value(i))))

    for c in sorted(read):  # an error value in a cell that is read: before any rule reads the row
        cells = at[c]
        flagged = np.array([isinstance(v, CellError) for v in cells.values] + [False] * _SPARE, dtype=bool)
        if flagged.any():
            first_bad(flagged[cells.token], -1, c, lambda r, v, c=c: grid.error_stop(r, c, v), cells)

    def codes_of(c: int) -> Codes:
        cells = at[c]
        index_of: dict[str, int] = {}
        texts = [cell_text(v) for v in cells.values] + [""] * _SPARE
        remap = np.fromiter((index_of.setdefault(t, len(index_of)) for t in texts), dtype=np.int64, count=len(texts))
        if len(index_of) == len(cells.values) + 1 and (not len(cells.token) or cells.token.min() >= 0):
            return Codes(cells.token, list(index_of))  # a distinct text in every row: its token is its code
        return Codes(remap[cells.token], list(index_of))

    def amounts(c: int, used: np.ndarray | bool = True) -> np.ndarray:
        """öre of column c's cells in every row (0 where blank); the ``used`` ones must be amounts."""
        cells = at[c]
        ore, bad = _per_value(cells.values, amount_ore)
        out = np.where(cells.token == BULK, cells.ore, ore[cells.token])
        first_bad(bad[cells.token] & used, 3, c, lambda r, v: _not_amount(grid, r, c, v), cells)
        return out

    dims = {name: codes_of(cols[name]) for name in layout.dims}
    if layout.matrix:
        parts = []
        for c, p in layout.month_cols:
            cells = at[c]
            blank = _per_value(cells.values, lambda v: cell_text(v) == "", dtype=bool)[0]
            filled = (cells.token == BULK) | ((cells.token >= 0) & ~blank[cells.token])
            amount = amounts(c, filled)
            where = np.flatnonzero(filled)
            parts.append((where, np.full(len(where), c), np.full(len(where), p), amount[where]))
        where, col, period, amount = (np.concatenate([q[k] for q in parts]) if parts else np.empty(0, dtype=np.int64)
                                      for k in range(4))
        order = np.lexsort((col, where))
        where, col, period, amount = where[order], col[order], period[order], amount[order]
    else:
        pc, bc = cols["period"], cols["belopp"]
        where = slice(0, len(rows))  # every row (a view, not a copy), or all but a total row
        cells = at[pc]
        blank = _per_value(cells.values, _no_period, dtype=bool)[0]
        missing = (cells.token < 0) | blank[cells.token]
        total_row = None
        if last and missing.any() and int(np.flatnonzero(missing)[0]) == len(rows) - 1 \
                and cell_text(at[bc].value(len(rows) - 1)):
            total_row = len(rows) - 1  # the last row, without a period: a total row if it is the sum
        else:
            first_bad(missing, 0, pc,
                      lambda r, v: _missing_period(grid, r, pc, at[bc].value(int(np.searchsorted(rows, r)))), cells)
        # the rows with a period (None: every row, as in a month's export), each one's period read once per
        # distinct (value, row year): the row's own År, or (-1) the settings' year
        ok = np.flatnonzero(~missing) if missing.any() else None

        def with_period(values: np.ndarray) -> np.ndarray:
            return values if ok is None else values[ok]

        if "år" in cols:
            yc = cols["år"]
            years, bad = _per_value(at[yc].values, lambda v: _year(v) if cell_text(v) else -1)
            row_year = np.where(at[yc].token >= 0, years[at[yc].token], -1)
            checked = np.ones(len(rows), dtype=bool)
            if total_row is not None:
                checked[total_row] = False  # a total row's År is never read (as read_ledger stops at it)
            first_bad(bad[at[yc].token] & checked, 1, yc, lambda r, v: _not_year(grid, r, yc, v), at[yc])
            distinct_years, year_index = np.unique(with_period(row_year), return_inverse=True)
            key = with_period(cells.token) * len(distinct_years) + year_index.ravel()
        else:
            distinct_years, key = np.array([-1]), with_period(cells.token)
        pairs, index = factorize(key)
        values = np.zeros(len(pairs), dtype=np.int64)
        failed = np.zeros(len(pairs), dtype=bool)
        problems: dict[int, Exception] = {}
        for k, pair in enumerate(pairs.tolist()):
            token, y = divmod(pair, len(distinct_years))
            ry = int(distinct_years[y])
            try:
                values[k] = parse_period(cells.values[token], year if ry < 0 else ry)
            except (LookupError, ValueError) as exc:
                failed[k] = True
                problems[k] = exc
        if ok is None:
            period = values[index]
        else:
            period = np.zeros(len(rows), dtype=np.int64)
            period[ok] = values[index]
        if failed.any():
            dated = np.arange(len(rows)) if ok is None else ok
            i = int(dated[np.flatnonzero(failed[index])[0]])
            r, exc = int(rows[i]), problems[int(index[np.searchsorted(dated, i)])]
            errors.append((r, 2, pc, lambda: _period_error(grid, r, pc, cells.value(i), exc)))
        amount = amounts(bc)
        col = np.full(len(rows), bc, dtype=np.int64)
        if total_row is not None and not errors:
            r, total, above = int(rows[total_row]), int(amount[total_row]), int(amount[:total_row].sum()) + above
            if total != above:
                errors.append((r, 0, pc, lambda: _not_total(grid, r, pc, total, above)))
            notes.append(_total_note(grid, r, bc, total))
            where, period, amount, col = slice(0, total_row), period[:-1], amount[:-1], col[:-1]
    if errors:
        raise min(errors, key=lambda e: e[:3])[3]()
    ledger = _ledger(grid, layout, period, amount, rows[where], col, {n: c.take(where) for n, c in dims.items()})
    ledger.notes += list(grid.notes) + notes
    return _matrix_total(grid, ledger) if layout.matrix else ledger


_BLANK = BLANK  # no cell


class _Cells:
    """One column's cells in the ledger's rows: ``token[i]`` for rows[i] is
    an index into ``values``, BULK (öre in ``ore[i]``) or _BLANK."""

    def __init__(self, column: Column | None, rows: np.ndarray):
        self.values = column.values if column is not None else []
        self.ore = np.zeros(len(rows), dtype=np.int64)  # (calloc: pages only where written)
        if column is not None and (column.rows is rows or len(column.rows) == len(rows) > 0
                                   and (column.rows == rows).all()):  # a token in every row
            self.token = column.token
            if column.ore is not None:
                self.ore = column.ore
            return
        self.token = np.full(len(rows), _BLANK, dtype=np.int64)
        if column is None or not len(column.rows):
            return
        if (column.rows[1:] <= column.rows[:-1]).any():
            raise NotCanonical("cells out of order, or a cell written twice")
        base = int(min(rows.min(), column.rows.min()) if len(rows) else column.rows.min())  # a batch: its rows
        at = np.full(int(max(rows.max(initial=0), column.rows.max())) - base + 1, -1, dtype=np.int64)  # row -> cell
        at[column.rows - base] = np.arange(len(column.rows))
        pos = at[rows - base]
        found = pos >= 0
        self.token[found] = column.token[pos[found]]
        if column.ore is not None:
            self.ore[found] = column.ore[pos[found]]

    def value(self, i: int) -> object:
        """The value in rows[i] as calamine gives it ('' when blank)."""
        t = int(self.token[i])
        if t == BULK:
            return int(self.ore[i]) / 100  # a plain number (only ever shown as text, or tested for blank)
        return self.values[t] if t >= 0 else ""


#: a per-value table (``_per_value``) has two more slots at its end: a row's token indexes it, BULK (-1) and
#: BLANK (-2) from the end
_SPARE = 2


def _per_value(values: list, rule: Callable[[object], object], dtype=np.int64) -> tuple[np.ndarray, np.ndarray]:
    """``rule`` applied once per distinct value: the results, and which raised."""
    out = np.zeros(len(values) + _SPARE, dtype=dtype)
    bad = np.zeros(len(values) + _SPARE, dtype=bool)
    for k, value in enumerate(values):
        try:
            out[k] = rule(value)
        except (ValueError, ArithmeticError, TypeError):
            bad[k] = True
    return out, bad
