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

from . import kernels
from .csvfile import clean
from .table import BLANK, BULK
from .worksheet import Column

#: the common forms of a Swedish amount, once the spaces between its digits are gone (12 digits: < MAX_ORE)
_AMOUNT = r"^(-?[0-9]{1,12}([.,][0-9]{0,2})?|[0-9]{1,12}([.,][0-9]{0,2})?-)$"
_DIGIT_SPACES = "[ \u00a0\u202f\u2009]"
_CENTS = pa.decimal128(38, 2)

# pyarrow imports pandas (a second or so) the first time it converts to or from Python and numpy
# objects (``pa.array``, ``to_numpy``, a Python scalar); these helpers go through the buffers instead.


def _array(values) -> pa.Array:
    if not isinstance(values, pa.ChunkedArray):
        return values
    if pa.types.is_dictionary(values.type) and values.num_chunks > 1:
        values = values.unify_dictionaries()  # the chunks' dictionaries as one
    return values.combine_chunks()


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
        values = kernels.cast(values, kind)
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
    """A column with a token for every row of ``rows`` (BLANK: no content), and which rows have content."""
    return Column(rows, token, values, ore), token != _NONE


_NONE = BLANK  # no content


def restrict(columns: dict[int, Column], rows: np.ndarray, keep: np.ndarray) -> tuple[dict[int, Column], np.ndarray]:
    """Columns of ``_tokens`` (every row of ``rows``) and ``rows``, only where
    ``keep``: every column's rows are the array returned (``ledger`` then takes
    each column's tokens as they are)."""
    if keep.all():
        kept = rows
        return {c: Column(kept, col.token, col.values, col.ore) if len(col.rows) else col
                for c, col in columns.items()}, kept
    kept = rows[keep]
    return {c: Column(kept, col.token[keep], col.values, None if col.ore is None else col.ore[keep])
            if len(col.rows) else col for c, col in columns.items()}, kept


def _by_value(values: pa.Array, rows: np.ndarray, convert) -> tuple[Column, np.ndarray]:
    """Each distinct value converted once (``convert``: value → cell, or None for no content)."""
    encoded = values if pa.types.is_dictionary(values.type) else _array(kernels.dictionary_encode(values))
    indices, size = encoded.indices, len(encoded.dictionary)
    if pa.types.is_int32(indices.type):  # as pyarrow encodes: read in place
        index = np.frombuffer(indices.buffers()[1], dtype=np.int32)[indices.offset:indices.offset + len(indices)]
    else:
        index = _numbers(indices, np.int64)
    if indices.null_count:
        index = np.where(_valid(indices), index, size)  # a null: the slot after the dictionary's, no content
    remap = np.full(size + 1, _NONE, dtype=np.int64)
    cells = _distinct(encoded.dictionary.to_pylist(), np.arange(size), remap, convert)
    return _tokens(rows, remap[index], cells)


def _distinct(raws: list, at: np.ndarray, token: np.ndarray, convert=None) -> list:
    """Each of ``raws`` converted (``convert``: raw → cell, None for no
    content) and stored once: ``token[at[k]]`` becomes the index of raws[k]'s
    cell in the list returned (left as it is for no content)."""
    cells: list = []
    index: dict[tuple[type, object], int] = {}
    for i, raw in zip(at.tolist(), raws):
        value = raw if convert is None else convert(raw)
        if value is None:
            continue
        key = (type(value), value)
        if key not in index:
            index[key] = len(cells)
            cells.append(value)
        token[i] = index[key]
    return cells


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
    ore, common = _swedish_ore(values)
    token[common] = BULK
    rest = np.flatnonzero(~common)
    cells = _distinct(kernels.take(values, _indices(rest)).to_pylist(), rest, token, _text) if len(rest) else []
    return _tokens(rows, token, cells, ore)


def _ascii(values: pa.Array) -> bool:
    """Whether a string array's characters are all ASCII (read from its data buffer)."""
    data = values.buffers()[2]
    return data is None or len(data) == 0 or int(np.frombuffer(data, dtype=np.uint8).max()) < 0x80


_SPLIT = 1 << 18  # an amount column this long is read in two halves at once


def _swedish_ore(values: pa.Array, forms: list[tuple[str, str]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(öre, read) for a string array: the common Swedish forms of an amount —
    digits with a space or non-breaking space anywhere between them, one ``,``
    or ``.`` before at most two decimals, a minus first or last (or U+2212,
    U+2013) — read in bulk by pyarrow's kernels, exactly (a decimal cast), as
    ``money.parse_decimal`` reads them; any other text is left (read False)
    for the one-by-one rules.  ``forms``: the Unicode spaces and minuses the
    column holds (``_unicode_forms``; looked for once, not in each half)."""
    n = len(values)
    if forms is None:
        forms = _unicode_forms(values)
    if n >= max(_SPLIT, 2):  # pyarrow's kernels let go of the GIL: the halves at once, where there are two cores
        from concurrent.futures import ThreadPoolExecutor

        half = n // 2
        with ThreadPoolExecutor(max_workers=2) as pool:
            parts = list(pool.map(lambda part: _swedish_ore(part, forms), (values.slice(0, half), values.slice(half))))
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    ore = np.zeros(n, dtype=np.int64)
    if n == 0:
        return ore, np.zeros(0, dtype=bool)
    if _ascii(values):
        return _ascii_ore(values, ore)
    plain = values
    for char, replacement in forms:  # a non-breaking space between thousands (Excel), a Unicode minus
        plain = kernels.replace(plain, char, replacement)
    if forms and _ascii(plain):
        return _ascii_ore(plain, ore)
    text = kernels.replace_regex(values, _DIGIT_SPACES, "")
    text = kernels.replace(kernels.replace(text, "\u2212", "-"), "\u2013", "-")
    common = _bool(kernels.matches(text, _AMOUNT))
    where = np.flatnonzero(common)
    if len(where):
        chosen = kernels.take(text, _indices(where)) if len(where) < n else text
        negative = _bool(kernels.either(kernels.starts_with(chosen, "-"), kernels.ends_with(chosen, "-")))
        plain = kernels.replace(kernels.replace(chosen, "-", ""), ",", ".")
        amount, _fits = _cents(kernels.cast(plain, pa.decimal128(16, 2)))
        ore[where] = np.where(negative, -amount, amount)
    return ore, common


_SPACES = ("\u00a0", "\u202f", "\u2009")  # the spaces between thousands besides " " (_DIGIT_SPACES)
_MINUSES = ("\u2212", "\u2013")


def _unicode_forms(values: pa.Array) -> list[tuple[str, str]]:
    """(character, replacement) for each space between digits besides " " and
    each Unicode minus that the column's text holds: taken out, or made a
    ``-``, as ``_swedish_ore`` reads them (by plain text search, when that
    leaves a column of ASCII)."""
    data = values.buffers()[2]
    if data is None or _ascii(values):
        return []
    present = data.to_pybytes()
    return [(char, plain) for char, plain in [(space, "") for space in _SPACES] + [(minus, "-") for minus in _MINUSES]
            if char.encode() in present]


def _string_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a string or large_string array: value i is bytes[offsets[i]:offsets[i + 1]]."""
    width = np.int64 if pa.types.is_large_string(values.type) else np.int32
    offsets = np.frombuffer(values.buffers()[1], dtype=width)[values.offset:values.offset + len(values) + 1]
    data = values.buffers()[2]
    return offsets, (np.zeros(0, dtype=np.uint8) if data is None else np.frombuffer(data, dtype=np.uint8))


def _strings(offsets: np.ndarray, data: np.ndarray) -> pa.Array:
    """A string array (no nulls) of ``offsets`` (int32, or int64: a large_string array) into ``data``."""
    kind = pa.large_string() if offsets.dtype == np.int64 else pa.string()
    offsets = np.ascontiguousarray(offsets)
    return pa.Array.from_buffers(kind, len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _ascii_ore(values: pa.Array, ore: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_swedish_ore`` of an ASCII column: the spaces taken out and the form
    matched by pyarrow's kernels, then the sign read and the minus and decimal
    comma turned into a digit and a point on the bytes themselves, and one
    exact decimal cast.  A minus becomes a ``0``:
    first (``-12,5`` → ``012.5``) it changes nothing; last, it adds a digit
    (``12,5-`` → ``12.50``: the same value, ``12-`` → ``120``: ten times it)."""
    n = len(values)
    text = kernels.replace(values, " ", "")
    common = _bool(kernels.matches(text, _AMOUNT))
    where = np.flatnonzero(common)
    if not len(where):
        return ore, common
    chosen = kernels.take(text, _indices(where)) if len(where) < n else text
    offsets, data = _string_buffers(chosen)  # every value matched: at least one digit, so not empty
    first, last = data[offsets[:-1]], data[offsets[1:] - 1]
    trailing = last == 45
    negative = (first == 45) | trailing
    plain = data.copy()
    plain[plain == 45] = 48
    plain[plain == 44] = 46
    amount, _fits = _cents(kernels.cast(_strings(offsets, plain), pa.decimal128(16, 2)))
    if trailing.any():  # without a decimal point, the trailing minus made it ten times the amount
        point = np.zeros(len(offsets) - 1, dtype=bool)
        for back in (2, 3, 4):  # a point is at most 2 decimals and the minus from the end
            at = np.maximum(offsets[1:] - back, offsets[:-1])
            point |= (offsets[1:] - back >= offsets[:-1]) & (plain[at] == 46)
        tenfold = trailing & ~point
        amount[tenfold] //= 10
    ore[where] = np.where(negative, -amount, amount)
    return ore, common


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
        if not bulk and (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
            return _by_value(values, rows, _text)  # each distinct text once, as the file holds them
        values = kernels.cast(values, kind.value_type)
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
            cents, fits = _cents(kernels.cast(values, _CENTS))
            exact = present & fits & (np.abs(cents) < 10**14)
            ore[exact] = cents[exact]
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a fraction of an öre, an uint64 past int64
        exact = np.zeros(len(values), dtype=bool)
    token[exact] = BULK
    rest = np.flatnonzero(present & ~exact)
    cells = _distinct(kernels.take(values, _indices(rest)).to_pylist(), rest, token) if len(rest) else []
    return _tokens(rows, token, cells, ore)
