"""An SIE 4 export's ``#TRANS`` lines read with numpy, as columns for the
ledger rules (``ledger.read_ledger_columns``).

``sie.read_sie_grid`` reads a file line by line in Python (tokens, a tuple
and a Decimal per transaction, then a grid row): some 15 s for a million
``#TRANS``.  This reader looks at the file's bytes in 8 MB pieces of whole
lines.  Each line is sorted by its first bytes: ``#TRANS``, ``#VER``, ``{``,
``}`` — the million lines — are taken apart with numpy (where each field
starts and ends, found among the piece's spaces, quotes and braces; the
amounts turned into öre from their digits; the object lists hashed and
decoded once per distinct list); every other ``#`` line (``#DIM``,
``#KTYP``, ``#RES``, ``#RAR``, ``#PSALDO`` …) and any ``#TRANS`` written
otherwise (a quoted account, a backslash, a long account) goes through
``sie``'s own line reader.  The verifications' braces are checked as one
sequence.  Then ``sie._Reader``'s rules run on the columns: which accounts
are income and cost, 8999, the #KTYP findings, the comparison with #RES or
#PSALDO, the dimensions' names.

It takes a file that reads without a problem.  Anything else — an error
anywhere (a brace out of place, a bad amount or date in a row that is read,
a cut-off verification), a file of #PSALDO only, line ends other than LF and
CR LF, an amount with more than two decimals — raises ``NotCanonical``, and
the caller reads the file through ``sie.read_sie_grid``, which gives the
one-line message (or the rows) as always.  Both give the same ledger.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..contract.ledger import ACCOUNT, AMOUNT, PERIOD
from ..errors import InputError
from .grid import Grid
from .sie import CLOSING_ACCOUNT, _LineGrid, _objects, _parse, _Reader, _Sie, _tokens
from .worksheet import Column, NotCanonical, _words

CHUNK = 8 << 20
_PAD = 64
_SPACE, _TAB, _QUOTE, _OPEN, _CLOSE, _BACKSLASH, _HASH = 32, 9, 34, 123, 125, 92, 35
_LOWER6 = np.uint64(int.from_bytes(b"\0" + b"\x20" * 5 + b"\0\0", "little"))  # letters 1–5 to lower case
_TRANS = np.uint64(int.from_bytes(b"#trans", "little"))
_VER = np.uint64(int.from_bytes(b"#ver", "little"))
_MASK6 = np.uint64((1 << 48) - 1)
_MASK4 = np.uint64((1 << 32) - 1)
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_FAR = np.iinfo(np.int64).max // 4
_ACCOUNT_BYTE = np.zeros(256, dtype=bool)  # an account written plainly: printable ASCII, no quote or brace
_ACCOUNT_BYTE[33:127] = True
_ACCOUNT_BYTE[[_QUOTE, _OPEN, _CLOSE, _BACKSLASH]] = False
# line ends str.splitlines knows besides LF and CR LF, and characters str.strip takes for white space
_ODD_ASCII = (b"\x00", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
_ODD_UTF8 = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")

# line kinds
_BLANK, _OTHER, _TRANS_LINE, _VER_LINE, _OPEN_LINE, _CLOSE_LINE, _REST = range(7)


@dataclass
class _Trans:
    """The #TRANS lines read with numpy (one piece)."""

    line: np.ndarray  # line number
    account: np.ndarray  # uint64 key: the account's bytes (at most 8)
    account_len: np.ndarray
    objects: np.ndarray  # offset (in the file) of the object list's { and its length up to }
    objects_len: np.ndarray
    ore: np.ndarray
    amount_ok: np.ndarray  # a plain amount of at most two decimals and 13 digits
    date: np.ndarray  # yyyymmdd; -1: none (the verification's date); -2: a date that is not 8 digits


def _positions(a: np.ndarray, n: int, byte: int) -> np.ndarray:
    return np.flatnonzero(a[:n] == byte)


def _count(pos: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """How many of the sorted offsets ``pos`` lie in [lo, hi)."""
    return np.searchsorted(pos, hi) - np.searchsorted(pos, lo)


def _next(pos: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The first of the sorted offsets ``pos`` at or after each of ``at`` (_FAR when none)."""
    return np.append(pos, _FAR)[np.searchsorted(pos, at)]


def _skip_blank(a: np.ndarray, at: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Each of ``at`` moved past spaces and tabs (not beyond ``stop``)."""
    at = at.copy()
    todo = np.flatnonzero((at < stop) & ((a[at] == _SPACE) | (a[at] == _TAB)))
    while len(todo):
        at[todo] += 1
        ch = a[at[todo]]
        todo = todo[(at[todo] < stop[todo]) & ((ch == _SPACE) | (ch == _TAB))]
    return at


def _back_blank(a: np.ndarray, at: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Each of ``at`` (an end) moved back over spaces, tabs and CR (not before ``stop``)."""
    at = at.copy()
    todo = np.flatnonzero(at > stop)
    while len(todo):
        ch = a[at[todo] - 1]
        todo = todo[(ch == _SPACE) | (ch == _TAB) | (ch == 13)]
        at[todo] -= 1
        todo = todo[at[todo] > stop[todo]]
    return at


def _window(a: np.ndarray, start: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` bytes from each of ``start``: one row each (``a`` is padded beyond its end)."""
    rows = as_strided(a, shape=(len(a) - width + 1, width), strides=(1, 1), writeable=False)
    return rows[np.minimum(start, len(a) - width)]


def _u64(byte: int) -> np.uint64:
    return np.uint64(int.from_bytes(bytes([byte]) * 8, "little"))


_ZEROS, _SIXES, _HIGH_NIBBLES, _LOW_NIBBLES = _u64(0x30), _u64(0x06), _u64(0xF0), _u64(0x0F)


def _non_digits(w: np.ndarray) -> np.ndarray:
    """Per byte of each word: zero where it is an ASCII digit (the lowest nonzero byte is the first that is not)."""
    return ((w & _HIGH_NIBBLES) ^ _ZEROS) | (((w + _SIXES) & _HIGH_NIBBLES) ^ _ZEROS)


def _first_nonzero_byte(x: np.ndarray) -> np.ndarray:
    """The index (0–7) of each word's lowest nonzero byte; 8 when it is zero."""
    lowest = x & (~x + np.uint64(1))
    return np.where(x > 0, np.log2(np.maximum(lowest, np.uint64(1)).astype(np.float64)).astype(np.int64) >> 3, 8)


def _eight_digits(w: np.ndarray) -> np.ndarray:
    """The number eight ASCII digits write (the first character in the lowest byte)."""
    x = w & _LOW_NIBBLES
    x = ((x * np.uint64(10)) + (x >> np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    x = ((x * np.uint64(100)) + (x >> np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    x = (x * np.uint64(10000)) + (x >> np.uint64(32))
    return (x & np.uint64(0xFFFFFFFF)).astype(np.int64)


def _amounts(a: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``-?\\d+(\\.\\d+)?`` with at most two decimals and 13 integer digits, as öre; ok False for any
    other text.  The integer digits are read right-aligned, sixteen at a time, the decimals one by one."""
    if not len(start):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    words = _words(a)
    negative = (a[start] == ord("-")).astype(np.int64)
    digits_from = start + negative
    two = (end - start >= 3) & (a[np.maximum(end - 3, 0)] == ord("."))
    one = ~two & (end - start >= 2) & (a[np.maximum(end - 2, 0)] == ord("."))
    decimals = np.where(two, 2, np.where(one, 1, 0))
    int_end = end - np.where(decimals > 0, decimals + 1, 0)
    count = int_end - digits_from
    ok = (count >= 1) & (count <= 13) & (int_end >= 16)
    at = np.maximum(int_end, 16)
    lo, hi = words[at - 8], words[at - 16]
    pad_lo = np.clip(8 - count, 0, 8)  # low bytes (before the digits) written as '0'
    pad_hi = np.clip(16 - count, 0, 8)
    lo = (lo & ~_MASKS[pad_lo]) | (_ZEROS & _MASKS[pad_lo])
    hi = (hi & ~_MASKS[pad_hi]) | (_ZEROS & _MASKS[pad_hi])
    ok &= (_non_digits(lo) == 0) & (_non_digits(hi) == 0)
    value = _eight_digits(hi) * 100_000_000 + _eight_digits(lo)
    d1, d2 = a[np.maximum(end - 2, 0)].astype(np.int64) - 48, a[np.maximum(end - 1, 0)].astype(np.int64) - 48
    ok &= np.where(two, (d1 >= 0) & (d1 <= 9) & (d2 >= 0) & (d2 <= 9), np.where(one, (d2 >= 0) & (d2 <= 9), True))
    value = value * 100 + np.where(two, d1 * 10 + d2, np.where(one, d2 * 10, 0))
    value = np.where(negative > 0, -value, value)
    return np.where(ok, value, 0), ok


def _digits(a: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The digits from each of ``start`` on: (8 of them: the date they write, another count: -2,
    none: -1), where they stop (the first byte that is no digit), and whether they do within 8."""
    w = _words(a)[start]
    count = _first_nonzero_byte(_non_digits(w))
    stop = start + count
    fits = (count < 8) | ~((a[stop] >= 48) & (a[stop] <= 57))
    return np.where(count == 0, -1, np.where(count == 8, _eight_digits(w), -2)), stop, fits


class _Piece:
    """One piece of whole lines: its lines sorted by kind, its #TRANS taken apart."""

    def __init__(self, data: bytes, offset: int, first_line: int):
        n = len(data)
        a = np.frombuffer(data + b"\0" * _PAD, dtype=np.uint8)
        words = _words(a)
        nl = _positions(a, n, 10)
        if b"\r" in data and data.count(b"\r") != int(np.count_nonzero(a[np.maximum(nl - 1, 0)] == 13)):
            raise NotCanonical("a CR that ends no line before LF")  # str.splitlines ends a line there
        starts = np.concatenate(([0], nl + 1))
        ends = np.concatenate((nl, [n]))
        if n and data[-1] == 10:
            starts, ends = starts[:-1], ends[:-1]
        self.count = len(starts)
        number = first_line + np.arange(self.count, dtype=np.int64)
        s = _skip_blank(a, starts, ends)
        t = _back_blank(a, ends, s)
        first = a[s]
        word = words[s]
        kind = np.full(self.count, _OTHER, dtype=np.int8)
        kind[s >= t] = _BLANK
        filled = s < t
        after6, after4 = a[s + 6], a[s + 4]
        trans = filled & (((word & _MASK6) | _LOWER6) == _TRANS) & ((after6 == _SPACE) | (after6 == _TAB)) & (s + 6 < t)
        ver = filled & (((word & _MASK4) | (_LOWER6 & _MASK4)) == _VER) & ((after4 == _SPACE) | (after4 == _TAB))
        kind[filled & ((first == _HASH) | (first >= 0x80))] = _REST
        kind[trans] = _TRANS_LINE
        kind[ver] = _VER_LINE
        braces = filled & ((first == _OPEN) | (first == _CLOSE))
        if (braces & (t - s != 1)).any():
            raise NotCanonical("a line that starts with a brace")
        kind[braces & (first == _OPEN)] = _OPEN_LINE
        kind[braces & (first == _CLOSE)] = _CLOSE_LINE
        self.kind = kind
        self.number = number
        self.span_start, self.span_end = s + offset, t + offset  # the stripped lines, in the file
        which = np.flatnonzero(kind == _TRANS_LINE)
        fast, self.trans = self._trans(a, n, which, s[which] + 7, t[which], number[which], offset)
        slow = which[~fast]
        self.kind[slow] = _REST

    def _trans(self, a: np.ndarray, n: int, which: np.ndarray, p: np.ndarray, t: np.ndarray, number: np.ndarray,
               offset: int) -> tuple[np.ndarray, _Trans]:
        """The #TRANS lines written the common way: ``#TRANS account {objects} amount [date …]``
        (the account plain ASCII without quotes or braces, at most 8 bytes; no backslash in the
        object list; the date plain digits or quoted).  Returns which lines were, and their fields."""
        head = a[:n]
        special = np.flatnonzero((head == _QUOTE) | (head == _OPEN) | (head == _CLOSE) | (head == _BACKSLASH))
        kinds = a[special]
        quotes, opens, closes = special[kinds == _QUOTE], special[kinds == _OPEN], special[kinds == _CLOSE]
        slashes = special[kinds == _BACKSLASH]
        p = _skip_blank(a, p, t)
        brace = _next(opens, p)
        ok = brace < t
        brace = np.minimum(brace, t)
        account_end = _back_blank(a, brace, p)
        length = account_end - p
        ok &= (account_end < brace) & (length > 0) & (length <= 8)
        for j in range(8):
            ok &= (j >= length) | _ACCOUNT_BYTE[a[p + j]]
        close = _next(closes, brace)
        ok &= close < t
        close = np.minimum(close, t)
        ok &= (_count(quotes, brace, close) % 2 == 0)
        if len(slashes):
            ok &= _count(slashes, brace, close) == 0
        amount = _skip_blank(a, close + 1, t)
        ok &= (amount < t) & (a[amount] != _QUOTE) & (a[amount] != _OPEN)
        amount_end = _token_end(a, amount, t, 24)  # a longer one is no amount (and the row is not read, or stops)
        # the date: the next field when it is all digits, also quoted ("20250101"); else the verification's
        date = np.full(len(p), -1, dtype=np.int64)
        d0 = _skip_blank(a, amount_end, t)
        has = d0 < t
        quoted = has & (a[d0] == _QUOTE)
        plain = has & ~quoted & (a[d0] != _OPEN)
        w = np.flatnonzero(quoted)
        value, stop, fits = _digits(a, d0[w] + 1)
        date[w] = np.where(a[stop] == _QUOTE, value, -1)  # "…": digits up to the closing quote
        ok[w] &= fits  # more digits than a date has: the line reader
        w = np.flatnonzero(plain)
        value, stop, fits = _digits(a, d0[w])
        ended = (stop >= t[w]) | (a[stop] == _SPACE) | (a[stop] == _TAB)
        date[w] = np.where(ended, value, -1)
        ok[w] &= (ended | (a[stop] < 0x80)) & fits  # a character beyond ASCII may be white space
        ore, amount_ok = _amounts(a, amount, amount_end)
        words = _words(a)
        key = words[p] & _MASKS[np.clip(length, 0, 8)]
        keep = np.flatnonzero(ok)
        return ok, _Trans(number[keep], key[keep], length[keep], brace[keep] + offset, (close - brace + 1)[keep],
                          ore[keep], amount_ok[keep], date[keep])


def _token_end(a: np.ndarray, at: np.ndarray, stop: np.ndarray, most: int) -> np.ndarray:
    """Where the field at each of ``at`` ends: the next space or tab, or ``stop``; at most ``most`` bytes on."""
    if not len(at):
        return at.copy()
    m = _window(a, at, most)
    ends = (m == _SPACE) | (m == _TAB) | (np.arange(most) >= (stop - at)[:, None])
    return at + np.where(ends.any(axis=1), ends.argmax(axis=1), most)


def _lists(data: bytes, start: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, list[bytes]]:
    """The distinct byte strings data[start:start+length] (object lists): an index per row and the strings.
    Hashed with numpy eight bytes at a time, and every row compared with its hash's first row."""
    if not len(start):
        return np.zeros(0, dtype=np.int64), []
    longest = int(length.max())
    # 8 bytes read at start + j for every j < longest: past the end only near it (then a padded copy)
    a = np.frombuffer(data, dtype=np.uint8) if int(start.max()) + longest + 8 <= len(data) else \
        np.frombuffer(data + b"\0" * (longest + 8), dtype=np.uint8)
    words = _words(a)
    h = length.astype(np.uint64)
    parts = []  # each row's bytes j..j+7 (masked to its length): hashed, then compared with its hash's first row
    for j in range(0, longest, 8):
        w = words[start + j] & _MASKS[np.clip(length - j, 0, 8)]
        parts.append(w)
        h = h * np.uint64(1099511628211) + (w ^ (w >> np.uint64(29)))
    order = np.argsort(h, kind="stable")
    sorted_h = h[order]
    new = np.concatenate(([True], sorted_h[1:] != sorted_h[:-1]))
    index = np.empty(len(h), dtype=np.int64)
    index[order] = np.cumsum(new) - 1
    first = order[new]  # the first row of each hash
    rep = first[index]
    same = length == length[rep]
    for w in parts:
        same &= w == w[rep]
    if not same.all():
        raise NotCanonical("two object lists with one hash")
    return index, [data[int(start[i]) : int(start[i] + length[i])] for i in first]


def _encoding(data: bytes) -> tuple[str, int]:
    """``sie.decode_sie``'s choice: the encoding and where the text starts (after a BOM)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    head = data[:4096].upper()
    if re.search(rb"#FORMAT\s+\"?UTF-?8", head):
        return "utf-8", 0
    if not data.isascii():
        return "utf-8?", 0
    return "cp437", 0


class SieColumns:
    """An SIE 4 file's ledger as columns, read on first use (``head``, ``read``, as ``WorksheetPart``)."""

    def __init__(self, path: Path, display: str):
        self.path = Path(path)
        self.file = display
        self.sheet = self.path.name
        self.merges: list = []
        self._table: _Table | None = None

    @property
    def table(self) -> _Table:
        if self._table is None:
            try:
                data = self.path.read_bytes()
            except OSError as exc:
                raise NotCanonical("the file cannot be read here") from exc
            try:
                self._table = _read(data, self.sheet, self.file)
            except InputError as exc:
                raise NotCanonical(f"a problem the line reader words: {exc}") from exc
        return self._table

    def head_grid(self, nrows: int) -> Grid:
        table = self.table
        rows: list[list] = [list(table.header)]
        for r in range(1, nrows):
            i = int(np.searchsorted(table.lines, r))
            rows.append(table.row(i) if i < len(table.lines) and table.lines[i] == r else [])
        return _LineGrid(self.sheet, self.file, rows, is_csv=True, notes=list(table.notes))

    def head(self, nrows: int) -> list[list]:
        return list(self.head_grid(nrows).rows)

    def read(self, columns, bulk, first: int, progress=None) -> tuple[dict[int, Column], np.ndarray]:
        table = self.table
        keep = table.lines >= first
        rows = table.lines[keep]
        out: dict[int, Column] = {}
        bulk = set(bulk)
        for c in columns:
            if c >= len(table.header):
                continue
            if c == len(table.header) - 1:  # Belopp
                if c not in bulk:
                    raise NotCanonical("the amounts asked for as values")
                out[c] = Column(rows, np.full(len(rows), -1, dtype=np.int64), [], table.ore[keep])
            else:
                out[c] = Column(rows, table.tokens[c][keep], list(table.values[c]))
        return out, rows


@dataclass
class _Table:
    header: list[str]
    lines: np.ndarray
    tokens: list[np.ndarray]  # per column before Belopp
    values: list[list[str]]
    ore: np.ndarray
    notes: list

    def row(self, i: int) -> list:
        cells = [self.values[c][int(self.tokens[c][i])] for c in range(len(self.tokens))]
        return [*cells, Decimal(int(self.ore[i])) / 100]


def _scanned(spans: list[tuple[bytes, int, int]]) -> list[_Piece]:
    """Each piece scanned (numpy lets go of the GIL in its loops: two pieces at once where there are cores)."""
    if len(spans) < 2 or (os.cpu_count() or 1) < 2:
        return [_Piece(*span) for span in spans]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda span: _Piece(*span), spans))


def _read(data: bytes, name: str, display: str) -> _Table:
    encoding, begin = _encoding(data)
    if any(odd in data for odd in _ODD_ASCII):
        raise NotCanonical("line ends or white space the line reader reads otherwise")
    head = data[begin : begin + 8192]
    spans: list[tuple[bytes, int, int]] = []  # (whole lines, their offset, the first one's number)
    at, line = begin, 1
    valid_utf8 = True
    while at < len(data):
        end = data.rfind(b"\n", at, at + CHUNK) + 1 if at + CHUNK < len(data) else len(data)
        if end <= at:
            end = data.find(b"\n", at + CHUNK)
            end = len(data) if end < 0 else end + 1
        chunk = data[at:end]
        if encoding != "cp437" and valid_utf8 and not chunk.isascii():
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                valid_utf8 = False
        spans.append((chunk, at, 0))  # numbered from 0: its first line's number is added once it is scanned
        at = end
    pieces = _scanned(spans)
    for piece in pieces:  # the pieces' own line counts number them (a count of the file's LFs costs 70 ms)
        piece.number += line
        piece.trans.line += line
        line += piece.count
    if encoding == "utf-8" and not valid_utf8:
        raise NotCanonical("#FORMAT UTF8 and bytes that are no UTF-8")
    encoding = "utf-8" if encoding == "utf-8?" and valid_utf8 else "cp437" if encoding == "utf-8?" else encoding
    if encoding == "utf-8" and any(odd in data for odd in _ODD_UTF8):
        raise NotCanonical("Unicode line ends")
    first_lines = head.decode(encoding, errors="replace").splitlines()[:20]
    if not any(text.lstrip().startswith("#") for text in first_lines):
        raise NotCanonical("no # line at the start")

    def text(start: int, end: int) -> str:
        return data[start:end].decode(encoding)

    kind = np.concatenate([p.kind for p in pieces]) if pieces else np.zeros(0, dtype=np.int8)
    number = np.concatenate([p.number for p in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    span_start = np.concatenate([p.span_start for p in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    span_end = np.concatenate([p.span_end for p in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    # the verifications: #VER, then { (or not), then }; nothing else in between but transactions and other lines
    events = np.flatnonzero((kind == _VER_LINE) | (kind == _OPEN_LINE) | (kind == _CLOSE_LINE))
    ev = kind[events]
    prev = np.concatenate(([_CLOSE_LINE], ev[:-1]))
    fine = np.where(ev == _VER_LINE, prev == _CLOSE_LINE,
                    np.where(ev == _OPEN_LINE, prev == _VER_LINE, (prev == _VER_LINE) | (prev == _OPEN_LINE)))
    if not fine.all() or (len(ev) and ev[-1] != _CLOSE_LINE):
        raise NotCanonical("the verifications' braces")
    # every other line through the line reader
    rest = np.flatnonzero(kind == _REST)
    sie: _Sie = _parse([], display, [(int(number[i]), text(int(span_start[i]), int(span_end[i]))) for i in rest])
    ver_lines = number[kind == _VER_LINE]
    ver_spans = np.flatnonzero(kind == _VER_LINE)
    ver_dates: dict[int, int] = {}

    def ver_date(k: int) -> int:
        """The date of the k-th #VER (-1: none before the line; -2: not 8 digits)."""
        if k < 0:
            return -2
        if k not in ver_dates:
            i = ver_spans[k]
            fields = _tokens(text(int(span_start[i]), int(span_end[i])))
            date = fields[3] if len(fields) > 3 else ""
            ver_dates[k] = int(date) if len(date) == 8 and date.isascii() and date.isdigit() else -2
        return ver_dates[k]

    # the transactions: numpy's and the line reader's, in line order
    fast = [p.trans for p in pieces]
    line = np.concatenate([f.line for f in fast])
    key = np.concatenate([f.account for f in fast])
    key_len = np.concatenate([f.account_len for f in fast])
    obj_start = np.concatenate([f.objects for f in fast])
    obj_len = np.concatenate([f.objects_len for f in fast])
    ore = np.concatenate([f.ore for f in fast])
    amount_ok = np.concatenate([f.amount_ok for f in fast])
    date = np.concatenate([f.date for f in fast])
    accounts, account_index = np.unique(key, return_inverse=True)
    account_texts = [int(k).to_bytes(8, "little").rstrip(b"\0").decode("ascii") for k in accounts.tolist()]
    account_index = account_index.ravel()
    if (key_len != np.array([len(t) for t in account_texts], dtype=np.int64)[account_index]).any():
        raise NotCanonical("an account with a NUL byte")
    object_index, object_bytes = _lists(data, obj_start, obj_len)
    cache: dict = {}
    object_lists = [_objects(b.decode(encoding), 0, display, cache, b.decode(encoding)) for b in object_bytes]
    if sie.trans:  # written otherwise: read by the line reader
        account_ids: dict[str, int] = {}
        object_ids: dict = {}
        for i, a in enumerate(account_texts):
            account_ids.setdefault(a, i)
        for i, o in enumerate(object_lists):
            object_ids.setdefault(o, i)
        rows = []
        for n, account, objects, amount, when in sie.trans:
            if account not in account_ids:
                account_ids[account] = len(account_texts)
                account_texts.append(account)
            if objects not in object_ids:
                object_ids[objects] = len(object_lists)
                object_lists.append(objects)
            a_i, o_i = account_ids[account], object_ids[objects]
            raw = amount.encode("utf-8", "replace")
            o, good = _amounts(np.frombuffer(b"\0" * 16 + raw + b"\0" * 16, dtype=np.uint8), np.array([16]),
                               np.array([16 + len(raw)]))
            good &= amount.isascii()
            d = int(when) if len(when) == 8 and when.isascii() and when.isdigit() else -1 if when == "" else -2
            rows.append((n, a_i, o_i, int(o[0]), bool(good[0]), d))
        got = np.array(rows, dtype=np.int64).reshape(-1, 6)
        line = np.concatenate((line, got[:, 0]))
        account_index = np.concatenate((account_index.ravel(), got[:, 1]))
        object_index = np.concatenate((object_index, got[:, 2]))
        ore = np.concatenate((ore, got[:, 3]))
        amount_ok = np.concatenate((amount_ok, got[:, 4].astype(bool)))
        date = np.concatenate((date, got[:, 5]))
        order = np.argsort(line, kind="stable")
        line, account_index, object_index, ore, amount_ok, date = (
            x[order] for x in (line, account_index, object_index, ore, amount_ok, date))
    account_index = account_index.ravel()
    reader = _Reader(sie, name, display)
    result = np.array([reader.is_result(a) for a in account_texts] + [False], dtype=bool)
    is_result = result[account_index]
    if not is_result.any():
        raise NotCanonical("no #TRANS of an income or cost account (#PSALDO only?)")
    closing = np.array([a == CLOSING_ACCOUNT for a in account_texts] + [False], dtype=bool)[account_index]
    used = is_result & ~closing
    # the dates of transactions without their own: their verification's
    own = date != -1
    if not own.all():
        k = np.searchsorted(ver_lines, line[~own]) - 1
        date[~own] = np.array([ver_date(int(x)) for x in k.tolist()], dtype=np.int64) if len(k) else []
    if ((date < 0) | ~amount_ok)[used].any():
        raise NotCanonical("a transaction that is read has a bad date or amount")
    # the findings about accounts read otherwise than their type says (sie._Reader.note_accounts)
    types = sie.types
    named = {a for a, (kind_, _n) in types.items() if kind_ not in ("T", "S", "K", "I")} | \
        {a for a, (kind_, _n) in types.items() if kind_ in ("T", "S") and a[:1] in "345678"} | {CLOSING_ACCOUNT}
    named_ids = np.array([a in named for a in account_texts] + [False], dtype=bool)[account_index]
    picked = np.flatnonzero(named_ids)
    if (~amount_ok[picked]).any():
        raise NotCanonical("an amount that is not read")
    items = [(int(line[i]), account_texts[int(account_index[i])], _kr_text(int(ore[i]))) for i in picked]
    read_total = Decimal(int(np.abs(ore[used]).sum())) / 100
    reader.note_accounts(items, read_total)
    # the year's transactions against #RES or the year's #PSALDO (sie._Reader.check_trans)
    first, last = reader.sie.year0 or ("", "99999999")
    lo = int(first) if first else -1
    year = used & (date >= lo) & (date <= int(last))
    found = reader.trans_reference()
    if found is not None:
        reference, against = found
        ids = account_index[year]
        sums = np.zeros(len(account_texts), dtype=np.int64)
        np.add.at(sums, ids, ore[year])
        present, first_at = np.unique(ids, return_index=True)
        read = {account_texts[int(i)]: Decimal(int(sums[i])) / 100 for i in present.tolist()}
        lines = {account_texts[int(i)]: int(line[year][j]) for i, j in zip(present.tolist(), first_at.tolist())}
        reader.compare_sums("#TRANS", read, lines, reference, against)
    # the columns: Period, Konto, a column per dimension, Belopp
    keep = np.flatnonzero(used)
    parents = reader.parents()
    present_objects = np.unique(object_index[keep])
    rolled: dict[int, dict[int, str]] = {}
    for o in present_objects.tolist():
        out = dict(object_lists[o])
        for d, obj in object_lists[o]:
            for parent in parents.get(d, ()):
                out.setdefault(parent, obj)
        rolled[o] = out
    dims = sorted({d for codes in rolled.values() for d in codes})
    columns = reader.columns(dims)
    header = [PERIOD.name, ACCOUNT.name, *(title for title, _d in columns), AMOUNT.name]
    month = date[keep] // 100
    low = int(month.min(initial=0))
    seen = np.flatnonzero(np.bincount(month - low)) if len(month) else np.zeros(0, dtype=np.int64)
    place = np.zeros(int(seen.max(initial=0)) + 1, dtype=np.int64)
    place[seen] = np.arange(len(seen))
    months, month_index = seen + low, place[month - low]
    tokens = [month_index, account_index[keep]]
    values = [[f"{m:06d}" for m in months.tolist()], account_texts]
    for _title, d in columns:
        codes = sorted({codes.get(d, "") for codes in rolled.values()})
        at = {c: i for i, c in enumerate(codes)}
        table = np.zeros(len(object_lists) + 1, dtype=np.int64)
        for o, codes_of in rolled.items():
            table[o] = at[codes_of.get(d, "")]
        tokens.append(table[object_index[keep]])
        values.append(codes)
    return _Table(header, line[keep], tokens, values, ore[keep], reader.notes)


def _kr_text(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100}.{abs(ore) % 100:02d}"
