"""Arrow columns (a CSV export parsed by pyarrow, a Parquet file's columns) as
the ``worksheet.Column``s the ledger's rules read (``read.table``).

A text field means what the row-by-row CSV reader makes of it: stripped, ''
is no content, an error value as Excel saves it (``#N/A``, ``#SAKNAS!``) a
``CellError``.  Each *distinct* text is turned into its value once.  In an
amount column the common Swedish forms (``-1 234,50``, ``1 234,50-``,
``1234.5``, a space or non-breaking space between thousands) become öre in
bulk, exactly (pyarrow's decimal cast); every other text keeps its value for
``ledger.amount_ore`` to read or refuse, one by one.  Typed Parquet columns:
integers and floats in bulk as ``amount_ore`` reads a number cell, decimals
exactly, anything else (dates, booleans) one value at a time as Python gives
it; null is no content.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .csvfile import clean
from .table import BULK
from .worksheet import Column

#: the common forms of a Swedish amount, once the spaces between its digits are gone (12 digits: < MAX_ORE)
_AMOUNT = r"^(-?[0-9]{1,12}([.,][0-9]{0,2})?|[0-9]{1,12}([.,][0-9]{0,2})?-)$"
_DIGIT_SPACES = "[ \u00a0\u202f\u2009]"
_CENTS = pa.decimal128(38, 2)

# pyarrow imports pandas (a second or so) the first time it converts to or from Python and numpy
# objects (``pa.array``, ``to_numpy``, a Python scalar); these helpers go through the buffers instead.


def _array(values) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _bits(buffer, offset: int, n: int) -> np.ndarray:
    raw = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(raw, count=offset + n, bitorder="little")[offset:].astype(bool)


def _valid(values: pa.Array) -> np.ndarray:
    """Which entries are not null."""
    validity = values.buffers()[0]
    return np.ones(len(values), dtype=bool) if validity is None else _bits(validity, values.offset, len(values))


def _bool(values) -> np.ndarray:
    """A boolean array as numpy, null as False."""
    values = _array(values)
    return _bits(values.buffers()[1], values.offset, len(values)) & _valid(values)


def _numbers(values, dtype) -> np.ndarray:
    """A fixed-width numeric array (cast to ``dtype``'s arrow type) as numpy; nulls hold anything."""
    values = _array(values)
    kind = {np.int64: pa.int64(), np.int32: pa.int32(), np.float64: pa.float64()}[dtype]
    if values.type != kind:
        values = pc.cast(values, kind)
    return np.frombuffer(values.buffers()[1], dtype=dtype)[values.offset:values.offset + len(values)].copy()


def _indices(where: np.ndarray) -> pa.Array:
    where = np.ascontiguousarray(where, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(where), [None, pa.py_buffer(where)])


def _cents(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A decimal array with 2 decimals → (öre as int64, which fit in 64 bits)."""
    values = _array(values)
    words = np.frombuffer(values.buffers()[1], dtype=np.int64).reshape(-1, 2)[values.offset:values.offset + len(values)]
    low, high = words[:, 0], words[:, 1]
    return low.copy(), high == (low >> 63)


def _tokens(rows: np.ndarray, token: np.ndarray, values: list, ore: np.ndarray | None = None) -> tuple[Column, np.ndarray]:
    content = token != _NONE
    return Column(rows[content], token[content], values, None if ore is None else ore[content]), content


_NONE = -2  # no content


def _by_value(values: pa.Array, rows: np.ndarray, convert) -> tuple[Column, np.ndarray]:
    """Each distinct value converted once (``convert``: value → cell, or None for no content)."""
    encoded = _array(pc.dictionary_encode(values))
    indices = np.where(_valid(encoded.indices), _numbers(encoded.indices, np.int64), -1)
    cells: list = []
    index: dict = {}
    remap = np.full(len(encoded.dictionary) + 1, _NONE, dtype=np.int64)
    for k, raw in enumerate(encoded.dictionary.to_pylist()):
        value = convert(raw)
        if value is None:
            continue
        key = (type(value), value)
        if key not in index:
            index[key] = len(cells)
            cells.append(value)
        remap[k] = index[key]
    return _tokens(rows, remap[indices], cells)


def _text(raw: str | None):
    if raw is None:
        return None
    value = clean([raw])[0]
    return None if value == "" else value


def text_column(values: pa.Array | pa.ChunkedArray, rows: np.ndarray, bulk: bool) -> tuple[Column, np.ndarray]:
    """A column of text fields (one per row of ``rows``) → (Column, which rows have content)."""
    values = _array(values)
    if not bulk:
        return _by_value(values, rows, _text)
    token = np.full(len(values), _NONE, dtype=np.int64)
    if pa.types.is_string(values.type):
        ore, common = _swedish_ore(values)
        token[common] = BULK
        where = np.zeros(0, dtype=np.int64)
    else:  # large strings: the same forms through pyarrow's kernels
        text = pc.replace_substring_regex(values, _DIGIT_SPACES, "")
        text = pc.replace_substring(pc.replace_substring(text, "\u2212", "-"), "\u2013", "-")
        common = _bool(pc.match_substring_regex(text, _AMOUNT))
        ore = np.zeros(len(values), dtype=np.int64)
        where = np.flatnonzero(common)
    if len(where):
        chosen = text.take(_indices(where)) if len(where) < len(values) else text
        negative = _bool(pc.or_(pc.starts_with(chosen, "-"), pc.ends_with(chosen, "-")))
        plain = pc.replace_substring(pc.replace_substring(chosen, "-", ""), ",", ".")
        amount, _fits = _cents(pc.cast(plain, pa.decimal128(16, 2)))
        ore[where] = np.where(negative, -amount, amount)
        token[where] = BULK
    cells: list = []
    index: dict[object, int] = {}
    rest = np.flatnonzero(~common)
    if len(rest):
        for i, raw in zip(rest.tolist(), values.take(_indices(rest)).to_pylist()):
            value = _text(raw)
            if value is None:
                continue
            key = (type(value), value)
            if key not in index:
                index[key] = len(cells)
                cells.append(value)
            token[i] = index[key]
    return _tokens(rows, token, cells, ore)


_WIDTH = 24  # an amount text longer than this is read one by one
_CHUNK = 1 << 16


def _swedish_ore(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(öre, read) for a string array: the common Swedish forms of an amount —
    digits with a space or non-breaking space anywhere between them, one ``,``
    or ``.`` before at most two decimals, a minus first or last — read from the
    array's bytes with numpy, exactly as ``money.parse_decimal`` reads them; any
    other text is left (read False) for the one-by-one rules."""
    n = len(values)
    ore = np.zeros(n, dtype=np.int64)
    read = np.zeros(n, dtype=bool)
    buffers = values.buffers()
    if n == 0 or buffers[2] is None:
        return ore, read
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[values.offset:values.offset + n + 1].astype(np.int64)
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    if len(data) == 0:  # every field empty: nothing to read in bulk
        return ore, read
    valid = _valid(values)
    pos = np.arange(_WIDTH)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        first = offsets[start:stop]
        length = offsets[start + 1:stop + 1] - first
        inside = pos < length[:, None]
        ch = np.where(inside, data[np.minimum(first[:, None] + pos, len(data) - 1)], 0)
        nbsp = (ch[:, :-1] == 0xC2) & (ch[:, 1:] == 0xA0)
        ch[:, :-1][nbsp] = 32
        ch[:, 1:][nbsp] = 32
        digit = (ch >= 48) & (ch <= 57)
        minus = ch == 45
        sep = (ch == 44) | (ch == 46)
        text = inside & (ch != 32)
        other = text & ~(digit | minus | sep)
        signs = minus.sum(1)
        sep_at = np.where(sep.any(1), sep.argmax(1), _WIDTH)
        whole = digit & (pos < sep_at[:, None])
        part = digit & (pos > sep_at[:, None])
        lead = text.argmax(1)
        tail = _WIDTH - 1 - text[:, ::-1].argmax(1)
        at = minus.argmax(1)
        good = (valid[start:stop] & (length > 0) & (length <= _WIDTH) & ~other.any(1) & (sep.sum(1) <= 1)
                & ((signs == 0) | (signs == 1) & ((at == lead) | (at == tail)))
                & (whole.sum(1) >= 1) & (whole.sum(1) <= 12) & (part.sum(1) <= 2))
        kr = np.zeros(stop - start, dtype=np.int64)
        cents = np.zeros(stop - start, dtype=np.int64)
        for j in range(int(length.max(initial=0)) if len(length) else 0):  # digit by digit, left to right
            value = ch[:, j].astype(np.int64) - 48
            kr = np.where(whole[:, j], kr * 10 + value, kr)
            cents = np.where(part[:, j], cents * 10 + value, cents)
        amount = kr * 100 + np.where(part.sum(1) == 1, cents * 10, cents)
        ore[start:stop] = np.where(good, np.where(signs > 0, -amount, amount), 0)
        read[start:stop] = good
    return ore, read


def _python(raw):
    if raw is None:
        return None
    if isinstance(raw, str):
        return _text(raw)
    return raw


def typed_column(values: pa.Array | pa.ChunkedArray, rows: np.ndarray, bulk: bool) -> tuple[Column, np.ndarray]:
    """A typed column (Parquet): text as a CSV field, numbers as a workbook's
    number cells (an integer or a whole float is its code: 6540), decimals
    exactly; null is no content."""
    values = _array(values)
    kind = values.type
    if pa.types.is_dictionary(kind):
        values = values.cast(kind.value_type)
        kind = values.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return text_column(values, rows, bulk)
    if pa.types.is_null(kind):
        return _tokens(rows, np.full(len(values), _NONE, dtype=np.int64), [])
    if bulk and (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)):
        return _number_column(values, rows)
    if pa.types.is_decimal(kind):  # a code or period as decimal: the number it is
        return _by_value(values, rows, lambda v: None if v is None else (int(v) if v == v.to_integral_value()
                                                                            else float(v)))
    return _by_value(values, rows, _python)


def _number_column(values: pa.Array, rows: np.ndarray) -> tuple[Column, np.ndarray]:
    """An amount column of numbers: öre in bulk where exact, else the value for ``amount_ore``."""
    kind = values.type
    present = _valid(values)
    token = np.full(len(values), _NONE, dtype=np.int64)
    ore = np.zeros(len(values), dtype=np.int64)
    exact = np.zeros(len(values), dtype=bool)
    try:
        if pa.types.is_integer(kind):
            number = _numbers(values, np.float64)
            exact = present & (np.abs(number) < 1e12)
            ore[exact] = np.where(exact, number, 0).astype(np.int64)[exact] * 100
        elif pa.types.is_floating(kind):
            number = _numbers(values, np.float64)
            with np.errstate(invalid="ignore"):
                cents = number * 100
                nearest = np.round(cents)
                exact = present & np.isfinite(number) & (np.abs(number) < 1e13) & (np.abs(cents - nearest) < 1e-6)
            ore[exact] = nearest[exact].astype(np.int64)
        else:  # a decimal of at most two decimals: its unscaled digits are öre
            cents, fits = _cents(pc.cast(values, _CENTS))
            exact = present & fits & (np.abs(cents) < 10**14)
            ore[exact] = cents[exact]
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a fraction of an öre, an uint64 past int64
        exact = np.zeros(len(values), dtype=bool)
    token[exact] = BULK
    cells: list = []
    index: dict[object, int] = {}
    rest = np.flatnonzero(present & ~exact)
    if len(rest):
        for i, value in zip(rest.tolist(), values.take(_indices(rest)).to_pylist()):
            key = (type(value), value)
            if key not in index:
                index[key] = len(cells)
                cells.append(value)
            token[i] = index[key]
    return _tokens(rows, token, cells, ore)
