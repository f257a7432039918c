"""The Utfall sheet (or an export file): the ledger actuals.

Two layouts are accepted:
- *rader*: one row per transaction or per account and month, with ``Period``
  and ``Belopp`` columns;
- *månadsmatris*: one row per account/dimensions and one column per month
  (``Jan``…``Dec``, ``202501``…, ``2025-01``…).
Codes are kept as text (``0123`` keeps its zero, ``6540.0`` reads ``6540``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..engine.model import Ledger
from ..errors import InputError
from ..money import parse_decimal, to_ore
from .grid import Grid, cell_text
from .headers import DIMENSIONS, canonical, find_header
from .keys import month_of_header

_RESERVED = {"period", "år", "belopp", "text"}


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


def _matrix_period(label: str, year: int | None) -> int | None | str:
    """A monthly-matrix column header → yyyymm, 'needs-year', or None."""
    month = month_of_header(label)
    if month is not None:
        return year * 100 + month if year is not None else "needs-year"
    text = cell_text(label)
    if not any(ch.isdigit() for ch in text) or len(text) < 6:
        return None
    try:
        return parse_period(text, None)
    except (ValueError, LookupError):
        return None


def _is_rows(cols: dict[str, int]) -> bool:
    return "belopp" in cols and "period" in cols


def _is_matrix(cols: dict[str, int]) -> bool:
    return "belopp" not in cols and sum(1 for name in cols if _matrix_period(name, 2000) is not None) >= 2


def amount_ore(value: object) -> int:
    """A ledger amount → öre; fast for float cells. ValueError if not a number."""
    if isinstance(value, float) and value == value and abs(value) < 1e13:
        cents = value * 100
        nearest = round(cents)
        if abs(cents - nearest) < 1e-6:
            return int(nearest)
    amount = parse_decimal(value)
    return 0 if amount is None else to_ore(amount)


def read_ledger(grid: Grid, year: int | None, wanted: set[str] | None = None) -> Ledger:
    """The ledger of ``grid``. ``year`` (from settings) dates bare month numbers;
    ``wanted`` limits the dimension columns read (all known ones when None)."""
    import pandas as pd

    header = find_header(grid, ("period", "belopp"), what="huvudboken",
                         accept=lambda cols: _is_rows(cols) or _is_matrix(cols))
    cols = header.columns
    dims: list[str] = []
    labels: dict[str, str] = {}
    for _c, label in sorted(header.labels.items()):
        name = canonical(label)
        if name in _RESERVED or name in dims or _matrix_period(label, 2000) is not None and not _is_rows(cols):
            continue
        if name in DIMENSIONS or (wanted is not None and name in wanted):
            dims.append(name)
            labels[name] = label
    for name in ("period", "belopp", "text", "år"):
        if name in cols:
            labels[name] = header.labels[cols[name]]

    data: dict[str, list] = {name: [] for name in (*dims, "text")}
    periods: list[int] = []
    amounts: list[int] = []
    rows: list[int] = []
    amount_cols: list[int] = []
    cache: dict[object, int] = {}
    dim_cols = [(name, cols[name]) for name in dims]
    text_col = cols.get("text")
    year_col = cols.get("år")

    def fail(r: int, c: int, message: str) -> InputError:
        return InputError(message, file=grid.file, where=grid.where(r, c))

    def period_of(value: object, r: int, c: int, row_year: int | None) -> int:
        key = (value, row_year) if not isinstance(value, (dt.date, dt.datetime)) else value
        if key in cache:
            return cache[key]
        try:
            p = parse_period(value, row_year)
        except LookupError:
            raise fail(r, c, f"perioden \"{cell_text(value)}\" saknar år; ange År på bladet Inställningar") from None
        except ValueError:
            raise fail(r, c, f"\"{cell_text(value)}\" är inte en period (t.ex. 202508 eller 2025-08)") from None
        cache[key] = p
        return p

    def amount_of(value: object, r: int, c: int) -> int:
        try:
            return amount_ore(value)
        except ValueError:
            raise fail(r, c, f"\"{cell_text(value)}\" är inte ett belopp") from None

    def append(period: int, amount: int, r: int, c: int, codes: list[str], text: str) -> None:
        periods.append(period)
        amounts.append(amount)
        rows.append(r)
        amount_cols.append(c)
        for (name, _), code in zip(dim_cols, codes):
            data[name].append(code)
        data["text"].append(text)

    matrix = not _is_rows(cols)
    month_cols: list[tuple[int, int]] = []
    if matrix:
        for c, label in sorted(header.labels.items()):
            p = _matrix_period(label, year)
            if p == "needs-year":
                raise fail(header.row, c, f"månadskolumnen \"{label}\" saknar år; ange År på bladet Inställningar")
            if p is not None:
                month_cols.append((c, p))
    first = header.row + 1
    for r in range(first, len(grid.rows)):
        row = grid.rows[r]
        if all(v == "" or v is None for v in row):
            continue
        codes = [cell_text(row[c]) if c < len(row) else "" for _, c in dim_cols]
        text = cell_text(row[text_col]) if text_col is not None and text_col < len(row) else ""
        if matrix:
            for c, p in month_cols:
                value = row[c] if c < len(row) else ""
                if cell_text(value) == "":
                    continue
                append(p, amount_of(value, r, c), r, c, codes, text)
            continue
        pc, bc = cols["period"], cols["belopp"]
        pvalue = row[pc] if pc < len(row) else ""
        bvalue = row[bc] if bc < len(row) else ""
        if cell_text(pvalue) == "":
            raise fail(r, pc, "raden saknar period" + (" (är det en summarad? ta bort den)"
                                                      if cell_text(bvalue) else ""))
        row_year = year
        if year_col is not None and cell_text(grid.value(r, year_col)):
            try:
                row_year = int(Decimal(cell_text(grid.value(r, year_col))))
            except Exception:
                raise fail(r, year_col, f"\"{cell_text(grid.value(r, year_col))}\" är inte ett år") from None
        append(period_of(pvalue, r, pc, row_year), amount_of(bvalue, r, bc), r, bc, codes, text)

    frame = pd.DataFrame({
        "period": pd.array(periods, dtype="int64"),
        **{name: pd.array(values, dtype="object") for name, values in data.items()},
        "amount": pd.array(amounts, dtype="int64"),
        "row": pd.array(rows, dtype="int64"),
        "col": pd.array(amount_cols, dtype="int64"),
    })
    return Ledger(frame=frame, dimensions=dims, labels=labels, source=grid.name, file=grid.file,
                  locate=grid.where, rows_read=len(frame), layout="månadsmatris" if matrix else "rader")
