"""A worksheet read straight from its XML, a few columns at a time.

python-calamine turns every cell of a sheet into a Python object: a ledger
at Excel's limit is eight million of them (some 14 s and 1 GiB).  The ledger
needs only a few of its columns, and most of their cells hold one of a few
hundred distinct codes.  This reader streams the worksheet part once through
the verifying inflater of ``ooxml.limits`` and, with numpy over each piece
of XML, locates every cell's reference, type, style and value; it keeps the
cells of the wanted columns and turns each *distinct* (type, date style,
text) into the Python value calamine gives for it — a float, a date, a
shared or inline string, a boolean — or, for an error value, a
``CellError`` (where calamine gives ''), so that the rules reading those
values run once per distinct value, not once per cell.  Amounts, which are
nearly all distinct, are turned into öre in bulk.  The merged ranges after
``sheetData`` are read too (``cellscan.MergeScan``).

It reads the XML that Excel, LibreOffice, openpyxl and XlsxWriter write:
every cell tag written ``<c r="B7" …>`` (reference first), no namespace
prefix inside ``sheetData``, attribute values without ``>``.  On any other
sheet it raises ``NotCanonical`` and the caller reads the sheet through
calamine, which reads anything (and is guarded by ``limits.Extent``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..ooxml import limits
from ..progress import Report
from .cellscan import MergeScan
from .grid import CellError, Merge

BATCH = 8 << 20  # bytes of XML parsed per numpy step
WORKERS = max(1, min(4, os.cpu_count() or 1))  # threads parsing batches (numpy lets go of the GIL)
MAX_TAG = 96  # a cell tag longer than this is not one of the common writers'
MAX_VALUE = 48  # a value longer than this is taken one by one (codes and amounts are short)

# value kinds (the cell's t attribute), and a number whose style shows a date
NUMBER, SHARED, STR, INLINE, BOOL, ERROR, ISO, DATE, DURATION = b"nsSibedDT"
_NEVER_BLANK = np.zeros(256, dtype=bool)  # by kind: a cell that is never '' when it has content
_NEVER_BLANK[[NUMBER, STR, BOOL, ISO, DATE, DURATION]] = True
OTHER = -1  # the column key of cells kept only to tell whether their row is blank
_KIND_OF_T = {b's"': SHARED, b"st": STR, b"in": INLINE, b"b\"": BOOL, b"e\"": ERROR, b"d\"": ISO, b"n\"": NUMBER}

_LT, _GT, _SLASH, _QUOTE, _SPACE = 60, 62, 47, 34, 32


class NotCanonical(Exception):
    """The sheet is written in a way this reader does not take; read it another way."""


@dataclass
class Column:
    """The cells with content of one column, in sheet order.

    ``rows`` are 0-based.  Each cell has a ``token``, an index into
    ``values`` (its distinct Python values), or -1 for a plain number in a
    bulk column, whose öre are in ``ore`` (``exact`` False where the number
    is not a whole number of öre: such a cell is given a token too)."""

    rows: np.ndarray
    token: np.ndarray
    values: list = field(default_factory=list)
    ore: np.ndarray | None = None


@dataclass
class Styles:
    dates: np.ndarray  # bool per cellXfs index: the number format shows a date or time
    durations: np.ndarray  # bool per cellXfs index: [h]:mm-style elapsed time
    date1904: bool = False


# ------------------------------------------------------------------------------------------------
# values as calamine gives them


def excel_date(serial: float, date1904: bool = False, duration: bool = False) -> object:
    """A date-styled number as python-calamine returns it, to the millisecond:
    a date (whole days), a datetime, a time (under one day, negative ones
    wrapping round the clock), a timedelta ([h]:mm); the number itself when
    the date lies beyond year 9999."""
    ms = round(serial * 86_400_000)
    try:
        if duration:
            return dt.timedelta(milliseconds=ms)
        if serial < 1:
            return (dt.datetime.min + dt.timedelta(milliseconds=ms % 86_400_000)).time()
        if date1904:
            base = dt.datetime(1904, 1, 1)
        elif serial < 60:
            base = dt.datetime(1899, 12, 31)
        elif serial < 61:  # Excel's 1900-02-29, which did not exist: calamine says 1900-02-28
            base, ms = dt.datetime(1899, 12, 31), ms - 86_400_000
        else:
            base = dt.datetime(1899, 12, 30)
        when = base + dt.timedelta(milliseconds=ms)
    except OverflowError:
        return float(serial)
    return when.date() if when.time() == dt.time() else when


_XESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_T_TEXT = re.compile(r"<(?:\w+:)?t(\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_PRESERVE = re.compile(r"""xml:space\s*=\s*["']preserve["']""")
_XML_SPACE = " \t\r\n"


def xml_text(raw: str) -> str:
    """Element text as an XML parser gives it (line ends as LF, entities
    resolved), with Excel's _xHHHH_ escapes undone."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        raw = unescape(raw)
    if "_x" in raw:
        raw = _XESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw)
    return raw


def rich_text(inner: str) -> str:
    """The text of a string item (``<si>`` or ``<is>`` content): its ``<t>``
    runs joined, phonetic runs left out; as calamine reads them, a run not
    marked ``xml:space="preserve"`` loses the white space around it."""
    inner = _PHONETIC.sub("", inner)
    out = []
    for m in _T_TEXT.finditer(inner):
        text = xml_text(m.group(2) or "")
        out.append(text if _PRESERVE.search(m.group(1) or "") else text.strip(_XML_SPACE))
    return "".join(out)


def _rows_of(columns: dict[int, Column], nrows: int, ncols: int) -> list[list]:
    """Columns of cells as rows of values ('' where blank)."""
    rows = [[""] * ncols for _ in range(nrows)]
    for c, column in columns.items():
        values = column.values
        for r, t in zip(column.rows.tolist(), column.token.tolist()):
            if r < nrows:
                rows[r][c] = values[t]
    return rows


def _iso(text: str) -> object:
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return when.date() if len(text) <= 10 else when


# ------------------------------------------------------------------------------------------------
# styles and shared strings


def detect_date_format(code: str) -> str | None:
    """'date', 'duration' or None for a custom number format, as calamine
    decides it: the first section only, quoted text and escapes skipped,
    a date or time letter outside brackets, [h] [m] [s] an elapsed time."""
    escaped = quoted = ampm = False
    brackets = 0
    prev = " "
    hms = False
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return None
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return "duration"
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not ampm and brackets == 0:
            ampm = True
        elif ch in "pm/PM" and ampm and brackets == 0:
            return "date"
        elif ch in "dmhysDMHYS" and not ampm and brackets == 0:
            return "date"
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return None


_BUILTIN_DATES = {*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)}  # 27-36, 50-58: East Asian dates
_BUILTIN_DURATIONS = {46}
_NUMFMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_NUMFMTS_BLOCK = re.compile(rb"<(?:\w+:)?numFmts\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?numFmts>)", re.S)
_XF_BLOCK = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?cellXfs>)", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def _attrs(text: bytes) -> dict[str, str]:
    return {m.group(1).decode(): xml_text((m.group(2) if m.group(2) is not None else m.group(3)).decode("utf-8"))
            for m in _ATTR.finditer(text)}


def read_styles(styles: bytes | None, workbook: bytes | None) -> Styles:
    """Which cell styles make a number a date (``styles.xml``), and the date system (``workbook.xml``)."""
    custom: dict[int, str] = {}
    dates: list[bool] = []
    durations: list[bool] = []
    if styles:
        block = _NUMFMTS_BLOCK.search(styles)  # not the number formats of conditional formats (dxfs)
        for m in _NUMFMT.finditer(block.group(1) or b"") if block else ():
            a = _attrs(m.group(1))
            if a.get("numFmtId", "").isdigit():
                custom[int(a["numFmtId"])] = a.get("formatCode", "")
        block = _XF_BLOCK.search(styles)
        for m in _XF.finditer(block.group(1) or b"") if block else ():
            fid = _attrs(m.group(1)).get("numFmtId", "0")
            fid_n = int(fid) if fid.isdigit() else 0
            kind = detect_date_format(custom[fid_n]) if fid_n in custom else \
                "date" if fid_n in _BUILTIN_DATES else "duration" if fid_n in _BUILTIN_DURATIONS else None
            dates.append(kind is not None)
            durations.append(kind == "duration")
    date1904 = False
    if workbook:
        pr = re.search(rb"<(?:\w+:)?workbookPr\b([^>]*)>", workbook)
        date1904 = bool(pr) and _attrs(pr.group(1)).get("date1904", "").lower() in ("1", "true")
    return Styles(np.array(dates, dtype=bool), np.array(durations, dtype=bool), date1904)


def shared_strings(chunks: Callable[[Callable[[bytes], None]], None], wanted: Iterable[int]) -> dict[int, str]:
    """The shared strings at the ``wanted`` indexes, from the sharedStrings
    part streamed into the sink ``chunks`` is called with.  Only those are
    decoded: a ledger's table can hold a million texts."""
    want = np.array(sorted(set(wanted)), dtype=np.int64)
    out: dict[int, str] = {}
    if not len(want):
        return out
    state = {"rest": b"", "seen": 0}

    def feed(piece: bytes, final: bool = False) -> None:
        data = state["rest"] + piece
        cut = len(data) if final else data.rfind(b"</si>") + 5
        if cut < 5 and not final:
            state["rest"] = data
            return
        block, state["rest"] = data[:cut], data[cut:]
        starts = _tag_starts(block, b"si")
        first = state["seen"]
        state["seen"] += len(starts)
        lo, hi = np.searchsorted(want, [first, first + len(starts)])
        for index in want[lo:hi]:
            at = int(starts[index - first])
            open_end = block.index(b">", at)
            if block[open_end - 1] == _SLASH:  # <si/>
                out[int(index)] = ""
                continue
            end = block.find(b"</si>", open_end)
            out[int(index)] = rich_text(block[open_end + 1 : end if end >= 0 else len(block)].decode("utf-8"))

    chunks(feed)
    feed(b"", final=True)
    missing = [int(i) for i in want if int(i) not in out]
    if missing:
        raise NotCanonical(f"shared string {missing[0]} not found")
    return out


def _tag_starts(block: bytes, name: bytes) -> np.ndarray:
    """Offsets of the start tags ``<name>``, ``<name …>``, ``<name/>`` in ``block``."""
    a = np.frombuffer(block + b"\0" * (len(name) + 2), dtype=np.uint8)
    lt = np.flatnonzero(a[: len(block)] == _LT)
    hit = np.ones(len(lt), dtype=bool)
    for i, ch in enumerate(name, start=1):
        hit &= a[lt + i] == ch
    after = a[lt + len(name) + 1]
    hit &= (after == _GT) | (after == _SPACE) | (after == _SLASH) | (after == 9) | (after == 10) | (after == 13)
    return lt[hit]


# ------------------------------------------------------------------------------------------------
# the worksheet


@dataclass
class _Raw:
    """The cells kept so far of one wanted column."""

    count: int = 0  # cells so far
    rows: list[np.ndarray] = field(default_factory=list)
    at: list[np.ndarray] = field(default_factory=list)  # index (in the column) of each key
    keys: list[np.ndarray] = field(default_factory=list)  # kind byte + value bytes: uint64 (short) or S (long)
    ore: list[np.ndarray] = field(default_factory=list)


@dataclass
class _Part:
    """One column's cells in one batch (``at`` counts from the batch's first cell of the column)."""

    rows: np.ndarray
    keys: list[np.ndarray] = field(default_factory=list)
    at: list[np.ndarray] = field(default_factory=list)
    ore: np.ndarray | None = None


@dataclass
class _Batch:
    first_row: int = -1  # of its first and last cell
    last_row: int = -1
    max_row: int = 0
    max_col: int = 0
    certain: np.ndarray | None = None
    parts: dict[int, _Part] = field(default_factory=dict)


class SheetReader:
    """One pass over a worksheet's sheetData, keeping the cells of ``columns``
    (0-based) from row ``first`` (0-based) on; ``bulk`` columns hold amounts.

    Each batch of whole rows (8 MB) is one numpy array of bytes, parsed on a
    worker thread while the next is inflated.  The cells are where ``<c``
    stands; a cell's reference, ``s`` and ``t`` attributes are read right
    after it, in the order all the common writers use (r, s, t), eight bytes
    at a time (cells written otherwise are read attribute by attribute).  Its
    value is mostly a ``<v>`` right after the tag that ends just before the
    next cell (``…</v></c><c``); any other cell (a formula first, an inline
    string, white space between tags) is looked at one by one."""

    def __init__(self, columns: Iterable[int], bulk: Iterable[int], first: int, styles: Styles, batch: int = BATCH,
                 last: int = limits.MAX_ROWS):
        self.batch = batch
        self.last = last  # rows from here on are not kept (a peek at the first rows)
        self.wanted = np.zeros(limits.MAX_COLS + 1, dtype=bool)
        self.wanted[[c for c in columns if 0 <= c < limits.MAX_COLS]] = True
        self.bulk = set(bulk)
        self.first = first
        self.styles = styles
        self.raw: dict[int, _Raw] = {OTHER: _Raw()}  # by column; OTHER: cells kept only to tell blank rows
        self.certain: list[np.ndarray] = []  # rows with a cell that cannot be blank
        self.rows = np.empty(0, dtype=np.int64)
        self.max_row = 0
        self.max_col = 0
        self.size = 0
        self._held: list[bytes] = []
        self._held_size = 0
        self._state = "prolog"  # prolog -> data -> done
        self._prefixed: list[bytes] = []
        self._recent = b""  # the last bytes fed, to find </sheetData> across pieces
        self._last_row = -1  # of the last cell parsed: rows must come in order
        self._pool = None
        self._pending: deque = deque()
        self._merges = MergeScan()  # fed what follows sheetData

    # -- streaming ----------------------------------------------------------------------------

    def feed(self, piece: bytes) -> None:
        self.size += len(piece)
        if self._state == "done":
            self._merges.feed(piece)
            return
        if not piece:
            return
        if self._state == "prolog":
            data = b"".join(self._held) + piece
            self._held, self._held_size = [], 0
            at = data.find(b"<sheetData")
            end = data.find(b">", at) if at >= 0 else -1
            if end < 0:
                if len(data) > limits.MAX_PROLOG * 16:
                    raise NotCanonical("no sheetData")
                self._held, self._held_size = [data], len(data)
                return
            if data[at + 10 : at + 11] not in (b">", b" ", b"/") or b"<" in data[at + 1 : end]:
                raise NotCanonical("an odd sheetData tag")
            if data[end - 1] == _SLASH:  # <sheetData/>
                self._state = "done"
                self._merges.feed(data[end + 1 :])
                return
            # tags in sheetData may carry none of the prefixes bound to the spreadsheet namespace
            self._prefixed = [tag + p + b":" for p in _MAIN_PREFIX.findall(data[:end]) for tag in (b"<", b"</")]
            self._state = "data"
            piece = data[end + 1 :]
        window = self._recent + piece  # </sheetData> may be cut across pieces, however small
        stop = window.find(b"</sheetData>")
        if stop >= 0:
            keep = stop - len(self._recent)  # bytes of this piece before </sheetData> (< 0: it began earlier)
            self._held.append(piece[: max(keep, 0)])
            block = b"".join(self._held)
            if keep < 0:
                block = block[:keep]
            self._held, self._held_size = [], 0
            self._submit(block)
            self._state = "done"
            self._merges.feed(window[stop + 12 :])
            return
        self._recent = window[-11:]
        self._held.append(piece)
        self._held_size += len(piece)
        if self._held_size >= self.batch:
            self._cut()

    def _cut(self) -> None:
        data = b"".join(self._held)
        cut = data.rfind(b"</row>")
        if cut < 0:
            if len(data) > 4 * max(self.batch, BATCH):
                raise NotCanonical("a row longer than the batch")
            self._held, self._held_size = [data], len(data)
            return
        rest = data[cut + 6 :]
        self._held, self._held_size = [rest], len(rest)
        self._submit(data[: cut + 6])

    def _submit(self, block: bytes) -> None:
        """Parse a block on the second core while the next one is inflated
        (numpy and zlib let go of the GIL); merged back in order."""
        if not block:
            return
        if len(block) < BATCH:  # a small sheet, or the end of one: no thread needed
            while self._pending:
                self._merge(self._pending.popleft().result())
            self._merge(self._parse(block))
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=WORKERS)
        self._pending.append(self._pool.submit(self._parse, block))
        while len(self._pending) > WORKERS:
            self._merge(self._pending.popleft().result())

    def _drain(self) -> None:
        try:
            while self._pending:
                self._merge(self._pending.popleft().result())
        finally:
            for future in self._pending:
                future.cancel()
            self._pending.clear()
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def _merge(self, batch: _Batch) -> None:
        if batch.first_row >= 0:
            if batch.first_row < self._last_row:
                raise NotCanonical("rows out of order")
            self._last_row = batch.last_row
        self.max_row = max(self.max_row, batch.max_row)
        self.max_col = max(self.max_col, batch.max_col)
        if batch.certain is not None:
            self.certain.append(batch.certain)
        for c, part in batch.parts.items():
            raw = self.raw.setdefault(c, _Raw())
            raw.rows.append(part.rows)
            raw.keys += part.keys
            raw.at += [at + raw.count for at in part.at]
            if part.ore is not None:
                raw.ore.append(part.ore)
            raw.count += len(part.rows)

    @property
    def merges(self) -> list[Merge]:
        """The merged ranges (once the whole part was fed)."""
        return self._merges.close()

    @property
    def done(self) -> bool:
        return self._state == "done"

    @property
    def in_prolog(self) -> bool:
        return self._state == "prolog"

    def flush(self) -> None:
        """Parse the whole rows held back so far (when reading stops early)."""
        if self._state == "data" and self._held:
            self._cut()
        self._drain()

    def close(self) -> None:
        self._drain()
        if self._state != "done":
            raise NotCanonical("sheetData not closed")

    # -- one batch of whole rows -------------------------------------------------------------

    def _parse(self, block: bytes) -> _Batch:
        out = _Batch()
        n = len(block)
        if b"xmlns" in block or any(p in block for p in self._prefixed):
            raise NotCanonical("a prefixed tag in sheetData")
        a = np.frombuffer(block + b"\0" * _PAD, dtype=np.uint8)
        words = _words(a)
        head = a[: n + 1]
        cells = np.flatnonzero((head[:-1] == _LT) & (head[1:] == ord("c")))
        ncells = len(cells)
        if not ncells:
            return out
        if not ((a[cells + 2] == _SPACE) & (a[cells + 3] == ord("r")) & (a[cells + 4] == ord("="))
                & (a[cells + 5] == _QUOTE)).all():
            raise NotCanonical("a cell tag not starting with r=\"")
        row, col, ref_end = _references(a, words, cells)
        if (row[1:] < row[:-1]).any():
            raise NotCanonical("rows out of order")
        out.first_row, out.last_row = int(row[0]), int(row[-1])
        attrs = _Attributes(a, words, cells, ref_end)
        tag_end, closed = attrs.tag_end, attrs.closed
        # the value: mostly a <v> right after the tag, ending at the next '<'
        start = np.full(ncells, -1, dtype=np.int64)
        stop = np.full(ncells, -1, dtype=np.int64)
        after = tag_end + 1
        direct = ~closed & (a[after] == _LT) & (a[after + 1] == ord("v")) & (a[after + 2] == _GT)
        empty = ~closed & (a[after] == _LT) & (a[after + 1] == _SLASH) & (a[after + 2] == ord("c"))
        which = np.flatnonzero(direct)
        start[which] = after[which] + 3
        # mostly the cell ends right before the next one: <v>…</v></c><c
        end = np.append(cells[1:], n)[which] - 8
        whole = (words[end] & _MASK7) == _CLOSE_V_C
        stop[which[whole]] = end[whole]
        rest = which[~whole]
        stop[rest] = _next_lt(a, start[rest], MAX_VALUE)
        lost = which[stop[which] < 0]
        general = ~closed & ~empty & ~direct
        general[lost] = True
        provisional = None
        if general.any():  # a formula before the value, an inline string, white space between tags
            which = np.flatnonzero(general)
            # an inline string in a column that is not kept: only whether it has content matters (and, in a
            # row with nothing certain, its value: found below); <is><t… has
            unwanted = ~self.wanted[np.minimum(col[which], limits.MAX_COLS)] & \
                ((words[after[which]] & _MASKS[6]) == _IS_T)
            if unwanted.any():
                provisional = which[unwanted]
                start[provisional], stop[provisional] = after[provisional] + 4, after[provisional] + 5
                which = which[~unwanted]
            bound = np.append(cells[1:], n)[which]
            start[which], stop[which] = _value_spans(block, a, words, n, after[which], bound)
        content = stop > start
        if not content.any():
            return out
        out.max_row = int(row[content].max()) + 1
        out.max_col = int(col[content].max()) + 1
        body = content & (row >= self.first) & (row < self.last)
        keep = body & self.wanted[np.minimum(col, limits.MAX_COLS)]
        idx = np.flatnonzero(keep)
        kinds = attrs.kinds(idx, self.styles)
        kept_col = col[idx]
        for c in np.flatnonzero(self.wanted[: out.max_col]):
            part = np.flatnonzero(kept_col == c)
            if len(part):
                sel = idx[part]
                out.parts[int(c)] = self._keep(int(c), block, a, words, row[sel], kinds[part], start[sel], stop[sel])
        # a row is blank when all its cells are '' (an empty shared or inline string) or, outside the
        # kept columns, an error:
        # rows with a number, date, boolean or formula text are not; the rest are decided by value
        certain = out.certain = _distinct(row[idx][_NEVER_BLANK[kinds]])
        others = np.flatnonzero(body & ~keep)
        if len(others) and len(certain):
            lo = int(row[others].min())
            mark = np.zeros(int(row[others].max()) - lo + 1, dtype=bool)
            inside = certain[(certain >= lo) & (certain < lo + len(mark))]
            mark[inside - lo] = True
            others = others[~mark[row[others] - lo]]
        if len(others) and provisional is not None:
            late = others[np.isin(others, provisional)]
            if len(late):
                bound = np.append(cells[1:], n)[late]
                start[late], stop[late] = _value_spans(block, a, words, n, after[late], bound)
        if len(others):
            out.parts[OTHER] = self._keep(OTHER, block, a, words, row[others], attrs.kinds(others, self.styles),
                                          start[others], stop[others])
        return out

    def _keep(self, c: int, block: bytes, a: np.ndarray, words: np.ndarray, rows: np.ndarray, kind: np.ndarray,
              start: np.ndarray, stop: np.ndarray) -> _Part:
        part = _Part(rows)
        length = stop - start
        index = np.arange(len(rows))
        if c in self.bulk:
            ore, exact = _ore(a, start, length, kind == NUMBER)
            part.ore = np.where(exact, ore, 0)
            index = index[~exact]
        short = length[index] < 8
        if short.any():  # kind + up to 7 bytes as one little-endian uint64: fast to sort
            i = index[short]
            value = words[start[i]] & _MASKS[length[i]]
            part.keys.append((value << np.uint64(8)) | kind[i].astype(np.uint64))
            part.at.append(i)
        # longer values as byte strings: those up to _PAD bytes copied side by side in one matrix as wide
        # as the longest of them — every cell's row of it stays inside the block and its padding, however
        # near the end of the block the cell is — and the rare longer ones (a long text) one by one, so a
        # long value elsewhere in the batch never widens the matrix past the block's end
        long = index[~short]
        if len(long):
            wide = length[long] > _PAD
            if wide.any():
                i = long[wide]
                part.keys.append(np.array([bytes((k,)) + block[s:e] for k, s, e in
                                           zip(kind[i].tolist(), start[i].tolist(), stop[i].tolist())]))
                part.at.append(i)
            long = long[~wide]
        if len(long):
            i = long
            width = int(length[i].max()) + 1
            offsets = np.arange(width - 1, dtype=np.int64)
            chars = a[start[i][:, None] + offsets[None, :]]
            chars[offsets[None, :] >= length[i][:, None]] = 0
            keys = np.empty((len(i), width), dtype=np.uint8)
            keys[:, 0] = kind[i]
            keys[:, 1:] = chars
            part.keys.append(keys.view(f"S{width}").ravel())
            part.at.append(i)
        return part

    # -- the columns ---------------------------------------------------------------------------

    def result(self, strings: Callable[[Iterable[int]], dict[int, str]]) -> dict[int, Column]:
        """The kept columns that have cells; ``strings`` looks up shared strings by index.
        Also sets ``rows``: the rows from ``first`` on that are not blank."""
        out: dict[int, Column] = {}
        pending: list[tuple[Column, list[bytes]]] = []
        wanted_strings: set[int] = set()
        for c, raw in self.raw.items():
            rows = np.concatenate(raw.rows) if raw.rows else np.empty(0, dtype=np.int64)
            token = np.full(len(rows), -1, dtype=np.int64)
            distinct: list[bytes] = []
            if raw.keys:
                short = [k for k in raw.keys if k.dtype == np.uint64]
                if len(short) == len(raw.keys):
                    keys = np.concatenate(short)
                    unique = _distinct(keys)
                    distinct = [k.to_bytes(8, "little").rstrip(b"\0") for k in unique.tolist()]
                else:
                    keys = np.concatenate([k.view("S8") if k.dtype == np.uint64 else k for k in raw.keys])
                    unique = _distinct(keys)
                    distinct = [bytes(k) for k in unique]
                token[np.concatenate(raw.at)] = np.searchsorted(unique, keys)
            column = Column(rows, token)
            if c in self.bulk:
                column.ore = np.concatenate(raw.ore) if raw.ore else np.empty(0, dtype=np.int64)
            for key in distinct:
                if key[0] == SHARED:
                    text = key[1:].decode("ascii", "replace").strip()
                    if not text.isdigit():
                        raise NotCanonical("a shared-string index that is not a number")
                    wanted_strings.add(int(text))
            pending.append((column, distinct))
            out[c] = column
        table = strings(wanted_strings) if wanted_strings else {}
        for column, distinct in pending:
            column.values = [self._value(key, table) for key in distinct]
        filled = np.zeros(self.max_row + 1, dtype=bool)
        for certain in self.certain:
            filled[certain] = True
        for c, column in out.items():  # an error value is content in a kept column only
            blank = np.array([v == "" or c == OTHER and isinstance(v, CellError) for v in column.values] + [False],
                             dtype=bool)  # token -1: an amount
            filled[column.rows[~blank[column.token]]] = True
        self.rows = np.flatnonzero(filled)
        del out[OTHER]
        return out

    def _value(self, key: bytes, table: dict[int, str]) -> object:
        kind, raw = key[0], key[1:]
        if kind == SHARED:
            return table[int(raw)]
        text = raw.decode("utf-8")
        if kind in (NUMBER, DATE, DURATION):
            try:
                number = float(text)
            except ValueError:
                raise NotCanonical(f"a number cell holding {text!r}") from None
            if kind == NUMBER:
                return number
            return excel_date(number, self.styles.date1904, kind == DURATION)
        if kind == INLINE:
            return rich_text(text)
        if kind == BOOL:
            return text.strip() in ("1", "true")
        if kind == ERROR:
            return CellError(xml_text(text).strip())
        if kind == ISO:
            return _iso(xml_text(text))
        return xml_text(text)  # STR


_PAD = MAX_TAG + 64
_MAIN_PREFIX = re.compile(rb'xmlns:([\w.-]+)\s*=\s*["\'](?:http://schemas\.openxmlformats\.org/spreadsheetml/2006/main'
                          rb'|http://purl\.oclc\.org/ooxml/spreadsheetml/main)["\']')


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (cheap when they come sorted, as rows do).
    Not np.unique: without return_inverse it takes a hash path that imports numpy.ma."""
    if len(values) < 2:
        return values
    if not (values[1:] >= values[:-1]).all():
        values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _digits(words: np.ndarray, at: np.ndarray, most: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """The decimal number written at each offset in ``at`` and ended by a
    quote (``12345"``), and its digit count (0 where it is not up to ``most``
    <= 7 digits and a quote).  Read eight bytes at a time (SWAR): the quote
    found with the zero-byte trick, the digits checked and combined with
    three multiplications."""
    word = words[at]
    v = word ^ _BYTES[0x22]
    found = (v - _BYTES[0x01]) & ~v & _BYTES[0x80]  # the lowest set bit marks the first quote
    lowest = found & (~found + np.uint64(1))
    count = np.where(found > 0, np.log2(np.maximum(lowest, 1).astype(np.float64)).astype(np.int64) >> 3, 8)
    kept = np.clip(count, 1, 7).astype(np.uint64) * np.uint64(8)  # bits of the digits
    digits = word << (np.uint64(64) - kept)  # the digits in the high bytes, zeros below
    padded = digits | (_BYTES[0x30] >> kept)  # '0' below: all eight bytes must be digits
    ok = (count >= 1) & (count <= most) & ((padded & _BYTES[0xF0]) == _BYTES[0x30]) & \
        (((padded + _BYTES[0x06]) & _BYTES[0xF0]) == _BYTES[0x30])
    x = digits & _BYTES[0x0F]
    x = ((x * np.uint64(10)) + (x >> np.uint64(8))) & _BYTES2[0x00FF]
    x = ((x * np.uint64(100)) + (x >> np.uint64(16))) & _BYTES4[0x0000FFFF]
    x = (x * np.uint64(10000)) + (x >> np.uint64(32))
    value = (x & np.uint64(0xFFFFFFFF)).astype(np.int64)
    return np.where(ok, value, 0), np.where(ok, count, 0)


_BYTES = {b: np.uint64(int.from_bytes(bytes([b]) * 8, "little")) for b in (0x01, 0x06, 0x0F, 0x22, 0x30, 0x80, 0xF0)}
_BYTES2 = {0x00FF: np.uint64(0x00FF00FF00FF00FF)}
_BYTES4 = {0x0000FFFF: np.uint64(0x0000FFFF0000FFFF)}


def _references(a: np.ndarray, words: np.ndarray, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0-based (row, column) of the cells, from ``r="AB12"`` at each tag + 6,
    and the offset of the quote that closes the reference."""
    word = words[cells + 6]
    l1, l2, l3, l4 = (((word >> np.uint64(8 * i)) & np.uint64(0xFF)).astype(np.int64) for i in range(4))

    def upper(x):
        return (x >= 65) & (x <= 90)

    if not upper(l1).all():
        raise NotCanonical("a cell reference without column letters")
    two = upper(l2)
    three = two & upper(l3)
    if (three & upper(l4)).any():
        raise NotCanonical("a column beyond XFD")
    col = np.where(three, ((l1 - 64) * 26 + (l2 - 64)) * 26 + (l3 - 64),
                   np.where(two, (l1 - 64) * 26 + (l2 - 64), l1 - 64)) - 1
    digits_at = cells + 7 + two + three
    row, count = _digits(words, digits_at, 7)
    end = digits_at + count
    if (count == 0).any() or (row == 0).any():
        raise NotCanonical("an odd cell reference")
    return row - 1, col, end


class _Attributes:
    """The s and t attributes of cell tags and where the tags end: read right
    after the reference (`` s="3" t="s"``, the order all the common writers
    use), or one by one for a tag written in another order or with other
    attributes (cm, vm, ph)."""

    def __init__(self, a: np.ndarray, words: np.ndarray, cells: np.ndarray, ref_end: np.ndarray):
        at = ref_end + 1
        self.has_s = _attribute_at(words, at, b"s")
        self.style, count = _digits(words, at + 4, 6)
        odd = self.has_s & (a[at + 4 + count] != _QUOTE)
        at = np.where(self.has_s, at + 5 + count, at)
        self.has_t = _attribute_at(words, at, b"t")
        self.t1, self.t2 = a[at + 4], a[at + 5]
        t_len = np.where(self.t2 == _QUOTE, 1, np.where((self.t1 == ord("s")) & (self.t2 == ord("t")), 3,
                                                         np.where(self.t1 == ord("i"), 9, 0)))
        odd |= self.has_t & ((t_len == 0) | (a[at + 4 + t_len] != _QUOTE))
        at = np.where(self.has_t, at + 5 + t_len, at)
        self.closed = (a[at] == _SLASH) & (a[at + 1] == _GT)
        self.tag_end = at + self.closed
        odd |= ~self.closed & (a[at] != _GT)
        for i in np.flatnonzero(odd):  # other attributes, or another order
            end = int(np.flatnonzero(a[cells[i] : cells[i] + MAX_TAG] == _GT)[0]) + int(cells[i]) \
                if (a[cells[i] : cells[i] + MAX_TAG] == _GT).any() else -1
            if end < 0:
                raise NotCanonical("a long cell tag")
            tag = bytes(a[cells[i] : end + 1])
            if b"<" in tag[1:] or tag.count(b'"') % 2:
                raise NotCanonical("a cell tag with odd attributes")
            found = _attrs(tag)
            self.has_t[i] = "t" in found
            self.has_s[i] = "s" in found and found["s"].isdigit()
            t = found.get("t", "n").encode() + b'"'
            self.t1[i], self.t2[i] = t[0], t[1]
            self.style[i] = int(found["s"]) if self.has_s[i] else 0
            self.closed[i] = tag.endswith(b"/>")
            self.tag_end[i] = end

    def kinds(self, which: np.ndarray, styles: Styles) -> np.ndarray:
        """The value kind of the cells ``which``."""
        kinds = np.full(len(which), NUMBER, dtype=np.uint8)
        has_t = self.has_t[which]
        if has_t.any():
            typed = np.flatnonzero(has_t)
            t1, t2 = self.t1[which][typed], self.t2[which][typed]
            known = np.zeros(len(typed), dtype=bool)
            for key, kind in _KIND_OF_T.items():
                hit = (t1 == key[0]) & (t2 == key[1])
                kinds[typed[hit]] = kind
                known |= hit
            if not known.all():
                raise NotCanonical("an unknown cell type")
        style = self.style[which]
        dated = self.has_s[which] & (kinds == NUMBER) & (style < len(styles.dates))
        if dated.any():
            hit = np.flatnonzero(dated)
            date = styles.dates[style[hit]]
            kinds[hit[date]] = DATE
            kinds[hit[date & styles.durations[style[hit]]]] = DURATION
        return kinds


def _words(a: np.ndarray) -> np.ndarray:
    """The 8 bytes from each offset of ``a`` as one little-endian uint64 (a view, no copy)."""
    return as_strided(a[:8].view("<u8"), shape=(len(a) - 7,), strides=(1,), writeable=False)


_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)  # the low k bytes
_MASK7 = _MASKS[7]
_CLOSE_V_C = np.uint64(int.from_bytes(b"</v></c", "little"))


def _next_lt(a: np.ndarray, start: np.ndarray, most: int) -> np.ndarray:
    """The offset of the first '<' at or after each of ``start`` within ``most`` bytes, or -1."""
    stop = np.full(len(start), -1, dtype=np.int64)
    todo = np.arange(len(start))
    for j in range(most + 1):
        if not len(todo):
            break
        hit = a[start[todo] + j] == _LT
        stop[todo[hit]] = start[todo[hit]] + j
        todo = todo[~hit]
    return stop


def _start_tag(block: bytes, tag: bytes, begin: int, end: int) -> int:
    """The offset of the first start tag ``tag`` (``<v`` …) in [begin, end), or -1."""
    at = block.find(tag, begin, end)
    while at >= 0 and block[at + len(tag) : at + len(tag) + 1] not in (b">", b"/", b" ", b"\t", b"\r", b"\n"):
        at = block.find(tag, at + 1, end)
    return at


def _tags_after_lt(a: np.ndarray, lt: np.ndarray, name: bytes, closing: bool = False) -> np.ndarray:
    """The offsets in ``lt`` (each a '<') where the tag ``name`` starts (``<name>``,
    ``<name …``, ``<name/>``), or with ``closing`` where ``</name>`` is written."""
    hit = np.ones(len(lt), dtype=bool)
    lead = b"/" + name if closing else name
    for i, ch in enumerate(lead, start=1):
        hit &= a[lt + i] == ch
    after = a[lt + len(lead) + 1]
    if closing:
        hit &= after == _GT
    else:
        hit &= (after == _GT) | (after == _SLASH) | (after == _SPACE) | (after == 9) | (after == 10) | (after == 13)
    return lt[hit]


def _first_at(tags: np.ndarray, begin: np.ndarray) -> np.ndarray:
    """The first of the sorted offsets ``tags`` at or after each of ``begin`` (a huge number when none)."""
    k = np.searchsorted(tags, begin)
    return np.append(tags, np.iinfo(np.int64).max // 2)[k]


_IS_T = np.uint64(int.from_bytes(b"<is><t", "little"))
_IS_T_PLAIN = np.uint64(int.from_bytes(b"<is><t>", "little"))
_PRESERVE_T = [np.uint64(int.from_bytes(b'<t xml:space="preserve">'[i : i + 8], "little")) for i in (0, 8, 16)]
_T_IS_END = np.uint64(int.from_bytes(b"</t></is", "little"))


def _value_spans(block: bytes, a: np.ndarray, words: np.ndarray, n: int, begin: np.ndarray,
                 end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_values_between`` for many cells at once.  An inline string written
    as the streaming writers write it (``<is><t>…</t></is>``, ``<t
    xml:space="preserve">``, a short text) is found right after the tag; a
    ``<v>`` after a formula (``<f>…</f><v>…</v>``) or any other ``<is>…</is>``
    with numpy over the tags of the block; any other form (``<v/>``, ``<is/>``,
    a tag with attributes, no end) is looked at one by one."""
    start = np.full(len(begin), -1, dtype=np.int64)
    stop = np.full(len(begin), -1, dtype=np.int64)
    head = words[begin]
    plain = (head & _MASK7) == _IS_T_PLAIN
    preserve = ((head & _MASKS[4]) == (_IS_T_PLAIN & _MASKS[4])) & (words[begin + 4] == _PRESERVE_T[0]) & \
        (words[begin + 12] == _PRESERVE_T[1]) & (words[begin + 20] == _PRESERVE_T[2])
    simple = np.flatnonzero(plain | preserve)
    if len(simple):
        text = begin[simple] + np.where(plain[simple], 7, 28)
        close = _next_lt(a, text, MAX_VALUE)
        fine = (close >= 0) & (words[np.maximum(close, 0)] == _T_IS_END) & (a[np.maximum(close, 0) + 8] == _GT) \
            & (close + 4 <= end[simple])
        done = simple[fine]
        start[done], stop[done] = begin[done] + 4, close[fine] + 4
        if len(done) == len(begin):
            return start, stop
        rest = np.ones(len(begin), dtype=bool)
        rest[done] = False
        which = np.flatnonzero(rest)
        start[which], stop[which] = _value_spans_by_tags(block, a, n, begin[which], end[which])
        return start, stop
    return _value_spans_by_tags(block, a, n, begin, end)


def _value_spans_by_tags(block: bytes, a: np.ndarray, n: int, begin: np.ndarray,
                         end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_values_between`` with numpy over the '<' of the block (see ``_value_spans``)."""
    lt = np.flatnonzero(a[:n] == _LT)
    start = np.full(len(begin), -1, dtype=np.int64)
    stop = np.full(len(begin), -1, dtype=np.int64)
    v_at = _first_at(_tags_after_lt(a, lt, b"v"), begin)
    has_v = v_at + 2 <= end
    is_at = _first_at(_tags_after_lt(a, lt, b"is"), begin)
    has_is = ~has_v & (is_at + 3 <= end)
    odd = np.zeros(len(begin), dtype=bool)
    which = np.flatnonzero(has_v)
    if len(which):
        at = v_at[which]
        plain = a[at + 2] == _GT
        close = _first_at(lt, at + 3)
        fine = plain & (close <= end[which])
        start[which[fine]], stop[which[fine]] = at[fine] + 3, close[fine]
        odd[which[~fine]] = True
    which = np.flatnonzero(has_is)
    if len(which):
        at = is_at[which]
        plain = a[at + 3] == _GT
        close = _first_at(_tags_after_lt(a, lt, b"is", closing=True), at + 4)
        fine = plain & (close <= end[which])
        start[which[fine]], stop[which[fine]] = at[fine] + 4, close[fine]
        odd[which[~fine]] = True
    which = np.flatnonzero(odd)
    if len(which):
        start[which], stop[which] = _values_between(block, begin[which], end[which])
    return start, stop


def _values_between(block: bytes, begin: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The value span of cells whose content runs from ``begin`` to ``end``:
    the text of the first ``<v>``, else of the first ``<is>`` (its runs, to
    be joined later); (-1, -1) when there is neither."""
    start = np.full(len(begin), -1, dtype=np.int64)
    stop = np.full(len(begin), -1, dtype=np.int64)
    for i, (b, e) in enumerate(zip(begin.tolist(), end.tolist())):
        for tag, closing in ((b"<v", b"<"), (b"<is", b"</is>")):
            at = _start_tag(block, tag, b, e)  # also <v xml:space="preserve">, as Excel writes a text with spaces
            if at < 0:
                continue
            gt = block.find(b">", at, e)
            if gt < 0:
                raise NotCanonical(f"an unclosed {tag.decode()} tag")
            if block[gt - 1 : gt] != b"/":  # <v/>, <is/>: empty
                close = block.find(closing, gt + 1, e + len(closing))
                if close < 0:
                    raise NotCanonical(f"a {tag.decode()} without its end")
                start[i], stop[i] = gt + 1, close
            break
    return start, stop


def _attribute_at(words: np.ndarray, at: np.ndarray, name: bytes) -> np.ndarray:
    """Whether `` x="`` (one-letter name) is written at each offset."""
    return (words[at] & _MASKS[4]) == np.uint64(int.from_bytes(b" " + name + b'="', "little"))


def _ore(a: np.ndarray, start: np.ndarray, length: np.ndarray, plain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plain decimal numbers (``-1234.5``, at most two decimals and 13 integer
    digits) as exact öre, straight from their digits; ``exact`` is False for
    every other cell (exponents, more decimals, not a number), which is then
    read one value at a time."""
    width = 18
    negative = a[start] == ord("-")
    value = np.zeros(len(start), dtype=np.int64)
    digits = np.zeros(len(start), dtype=np.int64)
    decimals = np.zeros(len(start), dtype=np.int64)
    dots = np.zeros(len(start), dtype=np.int64)
    ok = plain & (length <= width) & (length > 0)
    for j in range(int(min(length.max(initial=0), width))):
        inside = j < length
        ch = a[start + j]
        digit = inside & (ch >= 48) & (ch <= 57)
        dot = inside & (ch == ord("."))
        ok &= ~inside | digit | dot | ((j == 0) & negative)
        value = np.where(digit, value * 10 + (ch.astype(np.int64) - 48), value)
        decimals += digit & (dots > 0)
        digits += digit
        dots += dot
    ok &= (dots <= 1) & (decimals <= 2) & (digits - decimals >= 1) & (digits - decimals <= 13)
    ok &= ~(dots.astype(bool) & (a[start + negative] == ord(".")))  # '.5': leave it to float()
    value *= np.where(decimals == 0, 100, np.where(decimals == 1, 10, 1))
    value = np.where(negative, -value, value)
    return np.where(ok, value, 0), ok


# ------------------------------------------------------------------------------------------------
# a worksheet part in a guarded package


class WorksheetPart:
    """The worksheet of one sheet in a package that ``limits.Guarded`` checked
    (a ``Snapshot``), with the parts its values need: the shared strings, the
    styles and the workbook part (for the date system), which the sheets of a
    workbook share (read once per snapshot)."""

    def __init__(self, guard: limits.Guarded, part: str, sheet: str, file: str, shared: str | None,
                 styles: str | None, workbook: str | None):
        self.guard = guard
        self.part = part
        self.sheet = sheet
        self.file = file
        self.label = f'bladet "{sheet}" ({part})'
        self.shared = shared
        self._styles = styles
        self._workbook = workbook
        self._style_info: Styles | None = None
        self.merges: list[Merge] = []  # the merged ranges, once the part was read

    @property
    def styles(self) -> Styles:
        if self._style_info is None:
            self._style_info = self.guard.memo(("date styles", self._styles, self._workbook), lambda: read_styles(
                self.guard.read(self._styles) if self._styles else None,
                self.guard.read(self._workbook) if self._workbook else None))
        return self._style_info

    def _pieces(self, part: str, chunk: int = 1 << 20) -> Iterable[bytes]:
        """The part's XML in pieces, inflated (capped) but not yet checked: for
        peeking only.  The worksheet in pieces of ``chunk`` bytes; another part
        (the shared strings) as the package inflates it once for all sheets."""
        if part == self.part:
            return self.guard.stream(part, chunk=chunk)
        return self.guard.inflated(part)

    def _strings(self, wanted: Iterable[int]) -> dict[int, str]:
        """The shared strings at ``wanted``: the part is read (DTD check, capped
        inflate) only as far as the last one; a ledger's table can hold a
        million texts, of which the codes use a few near the start."""
        want = set(wanted)
        if not want:
            return {}
        if self.shared is None or self.guard.entry(self.shared) is None:
            raise NotCanonical("shared strings without a sharedStrings part")
        part = self.shared

        def stream(sink: Callable[[bytes], None]) -> None:
            prolog = limits.Prolog(part)
            found = 0
            for piece in self._pieces(part):  # inflated once for every sheet that asks
                prolog.feed(piece)
                sink(piece)
                found += piece.count(b"<si")
                if found > max(want) + 1:
                    return
            prolog.close()

        return shared_strings(stream, want)

    def head(self, nrows: int) -> list[list]:
        """The first ``nrows`` rows, every cell as calamine gives it ('' when blank;
        a ``CellError`` for an error value): to find the header row in."""
        reader = SheetReader(range(limits.MAX_COLS), (), 0, self.styles, batch=1 << 14, last=nrows)
        prolog = limits.Prolog(self.label)
        with self._errors():
            for piece in self._pieces(self.part, chunk=1 << 14):  # small pieces: parsed here, no threads
                prolog.feed(piece)  # before the reader sees it
                reader.feed(piece)
                if reader.max_row > nrows or reader.done:
                    break
            else:
                prolog.close()
            reader.flush()
            if reader.in_prolog:
                raise NotCanonical("no sheetData (a prefixed one?)")
            columns = reader.result(self._strings)
        return _rows_of(columns, min(nrows, reader.max_row), reader.max_col)

    def read(self, columns: Iterable[int], bulk: Iterable[int], first: int,
             progress: Report | None = None) -> tuple[dict[int, Column], np.ndarray]:
        """The cells of ``columns`` from row ``first`` on, and the rows from
        ``first`` on that are not blank (an error value outside ``columns``
        is no content); the part is verified on the way (size, CRC, no DTD)
        and its extent judged as ``limits`` judges a sheet.  Sets ``merges``."""
        reader = SheetReader(columns, bulk, first, self.styles)
        sink = reader.feed
        if progress is not None:
            total, stage = self.guard.entry(self.part).file_size, f"läser bladet {self.sheet}"

            def sink(piece: bytes) -> None:
                reader.feed(piece)
                progress(stage, reader.size, total)

        with self._errors():
            try:
                self.guard.verify(self.part, label=self.label, sink=sink)
            finally:
                reader.close()
            extent = limits.Extent()
            extent.rows, extent.cols, extent.size = reader.max_row, reader.max_col, reader.size
            extent.check(self.label)
            self._last_row, self._last_col = reader.max_row, reader.max_col
            self.merges = reader.merges
            return reader.result(self._strings), reader.rows

    def grid(self) -> list[list]:
        """Every row of the sheet, every cell as calamine gives it ('' when
        blank), an error value as a ``CellError``; the part verified, and its
        extent judged, before the rows are built.  Sets ``merges``."""
        columns, _rows = self.read(range(limits.MAX_COLS), (), 0)
        return _rows_of(columns, self._last_row, self._last_col)

    @contextmanager
    def _errors(self):
        """Package problems worded as ``read.workbook`` words them."""
        from ..errors import WorkbookError, os_reason

        try:
            yield
        except OSError as exc:
            raise WorkbookError(f"filen kan inte läsas ({os_reason(exc)})", file=self.file, slug="fil-olasbar") from exc
        except ValueError as exc:  # ZipError (Refusal, CorruptMember), XmlError
            raise limits.workbook_error(exc, self.file) from exc
