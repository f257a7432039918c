"""A CSV export parsed by pyarrow's multithreaded CSV reader into the columnar
table the ledger's rules read (``read.table``).

The file is read as ``csvfile.read_csv_grid`` reads it — the same encodings,
the separator sniffed from the same first lines, the header on any of the
first 10 lines, a field stripped and an Excel error value recognised, a
position the line it stands on — but its fields are parsed in C, column by
column, and each distinct text is read once (``arrowcols``).

The fast path takes the files that are regular: every record with the same
number of fields, no field over 128 kB, no NUL, no line ending in a lone CR,
and quotes only where a value starts or ends (or doubled inside one) — or,
in a file of few quotes, inside a value that does not start with one (an
inch sign: ``skärm 24"``), which both readers read as text.  A
quoted value may hold line breaks (a text typed with Alt+Enter) below the
first lines: its record is on the line it starts on, as the row-by-row reader
places it.  Any other file — a quote never closed, a quoted value over whole
lines of the table, and any file whose header rows do not give a ledger —
raises ``NotCanonical``, and the row-by-row reader (``read_csv_grid``, the
same rules through ``GridTable``) reads it and words what is wrong with it:
a line with other fields than the header row, a quote that is never closed.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow  # noqa: F401  (without it, ``Source.table`` hands CSV files to the row-by-row reader)

from ..progress import Report
from . import kernels
from .csvfile import clean, decode, mixed_encoding, sniff_separator
from .grid import Merge
from .headers import HEADER_SEARCH_ROWS
from .worksheet import Column, NotCanonical

_HEAD_LINES = 32  # lines parsed by the csv module: the separator is sniffed from 20, the header found in 10
_FIELD_LIMIT = 128 * 1024  # the csv module's field size limit: the row-by-row reader words a longer value


class CsvTable:
    """A CSV file's lines: ``head`` through the csv module, ``read`` through pyarrow."""

    is_csv = True

    def __init__(self, path: Path, display: str, body: bytes, lines: list[str], sep: str, start: int = 0,
                 notes: list | None = None, encoding: str = "utf-8"):
        self.sheet = path.name
        self.file = display
        self.merges: list[Merge] = []
        self.notes = list(notes or [])  # findings of reading the file (two encodings in one)
        self._body = body  # the text from byte ``start`` on (after a BOM), in ``encoding``
        self._encoding = encoding  # UTF-8, or Windows-1252: the columns read are turned into UTF-8 once parsed
        self._sep = sep
        # the first lines' records, each on the line it starts on (a value over several lines leaves the lines
        # after it blank), as the row-by-row reader places them
        self._head: list[list] = []
        self._widths: list[int] = []  # each line's fields (0: blank, or a line a value goes on to)
        self._spanning: list[int] = []  # the lines a record over several lines starts on
        reader = csv.reader(lines, delimiter=sep)
        for row in reader:
            line = len(self._head)
            self._head.append(clean(row))
            self._widths.append(len(row))
            if reader.line_num > line + 1:
                self._spanning.append(line)
                self._head += [[] for _ in range(reader.line_num - line - 1)]
                self._widths += [0] * (reader.line_num - line - 1)
        # the row-by-row reader's width (sniffed from the first 20 lines): a value over several lines holding as
        # many separators as that is a quote that swallowed lines of the table, which it stops at
        self._sniffed_width = max([len(row) for row in csv.reader(lines[:20], delimiter=sep)
                                   if any(f.strip() for f in row)], default=1)
        self._offsets = np.cumsum([start] + [len(line.encode(encoding)) for line in lines])
        self._lines = len(lines)
        self._base: int | None = None  # a batch of the file (``batch``): the line index of its first byte

    def batch(self, body: bytes, line: int, encoding: str = "utf-8") -> CsvTable:
        """The same file's lines from line index ``line`` on (``body``: whole
        lines in ``encoding``), as a table whose ``read`` parses only them: a
        batch of a file read in batches (``read.stream``)."""
        part = object.__new__(CsvTable)
        part.__dict__.update(self.__dict__)
        part._body, part._base, part._encoding = body, line, encoding
        return part

    @classmethod
    def open(cls, path: Path, display: str) -> CsvTable:
        """The file, or ``NotCanonical`` when its first lines are not regular."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise NotCanonical("unreadable") from exc
        body, start = data, 0
        if data.startswith(b"\xef\xbb\xbf"):
            start = 3  # the BOM is skipped, not cut off (a copy of the whole file)
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
            body = decode(data, display).encode("utf-8")  # UTF-16
        if body.find(b"\x00", start) >= 0:
            raise NotCanonical("NUL")
        notes, encoding = [], "utf-8"
        if body is data and not _utf8(body, start):  # the whole file: pyarrow checks only the columns it converts
            if start:
                raise NotCanonical("not UTF-8 after a BOM")
            if any(data.find(byte) >= 0 for byte in _NOT_CP1252):
                body = decode(data, display).encode("utf-8")  # neither: stops as the row-by-row reader stops
            else:  # Windows-1252, as the whole file is read: its lines' structure is ASCII, so it is parsed as it
                encoding = "cp1252"  # is, and only the columns read are turned into UTF-8 (not a copy of the file)
            notes = [note] if (note := mixed_encoding(data, display)) else []
        lines = _head_lines(body, start, encoding)
        return cls(path, display, body, lines, head_separator(lines), start, notes, encoding)

    def head(self, nrows: int) -> list[list]:
        return [list(row) for row in self._head[:nrows]]

    def read(self, columns: Iterable[int], bulk: Iterable[int] = (), first: int = 0,
             progress: Report | None = None) -> tuple[dict[int, Column], np.ndarray]:
        wanted, bulk = sorted(set(columns)), set(bulk)
        if not wanted:  # the header rows gave no ledger: the row-by-row reader words why (or finds worse first)
            raise NotCanonical("no ledger in the first lines")
        if first > min(self._lines, HEADER_SEARCH_ROWS):
            raise NotCanonical("a header below the lines read")
        if any(line < first for line in self._spanning):  # a value over several lines above the first row
            raise NotCanonical("a value over several lines in the title or header rows")
        table, rows = self._parse(first, wanted, [c for c in wanted if c not in bulk])
        from .arrowcols import text_column

        result: dict[int, Column] = {}
        content = np.zeros(len(rows), dtype=bool)
        width = self._record_width(first)
        present = [c for c in wanted if c < width]
        with ThreadPoolExecutor(max_workers=1) as pool:  # the amounts' kernels run while the codes are read
            amounts = {c: pool.submit(text_column, _field(table, c), rows, True) for c in present if c in bulk}
            read = {c: text_column(_field(table, c), rows, False) for c in present if c not in bulk}
            read.update({c: future.result() for c, future in amounts.items()})
        for c in wanted:
            if c not in read:
                result[c] = Column(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), [])
                continue
            column, has = read[c]
            result[c] = column
            content |= has
        others = [c for c in range(width) if c not in set(wanted)]
        empty = np.flatnonzero(~content)
        if len(empty) and others:  # rows without a cell that is read: content elsewhere (not an error value)?
            from .arrowcols import _indices

            if any(_field(table, c) is None for c in others):  # columns the parse left out: parsed now
                table, _ = self._parse(first, others)
            picked = _indices(empty)
            fields = [kernels.take(_field(table, c), picked).to_pylist() for c in others]
            for k, i in enumerate(empty.tolist()):
                content[i] = any(not isinstance(cell, str) or cell for cell in
                                 clean([field[k] for field in fields]) if not _is_error(cell))
        from .arrowcols import restrict

        return restrict(result, rows, content)

    def _record_width(self, first: int) -> int:
        """The fields of a record below the header on line ``first`` (its own, or the first line's below)."""
        header_width = self._widths[first - 1] if first else 0
        following = [w for w in self._widths[first:] if w]
        width = max([header_width, *following[:1]])
        if width < 2 or following and following[0] < header_width:
            raise NotCanonical("a first line with fewer fields than the header")
        return width

    def _parse(self, first: int, columns: Iterable[int], codes: Iterable[int] = ()):
        """The records from line ``first`` + 1 on, and each one's row (its line − 1).
        Only the fields of ``columns`` (and any past the header's last name,
        which must be empty) are converted: the table's column ``f{c}``. The
        columns ``codes`` come dictionary encoded (each distinct text once, in
        pyarrow's threads); every other column as text."""
        import pyarrow as pa
        import pyarrow.csv as pacsv

        width = self._record_width(first)
        offset = int(self._offsets[first]) if self._base is None else 0
        body = memoryview(self._body)[offset:]
        breaks, lone_cr = _line_breaks(self._body, offset)
        if lone_cr:
            raise NotCanonical("a line ending in a lone CR")
        quotes = self._quotes(offset) if self._body.find(b'"', offset) >= 0 else None
        inside = continued = np.zeros(0, dtype=np.int64)
        # many quotes (every text quoted): whether a value holds a line break is looked for only when the
        # parse gives fewer records than lines (else no record can span lines)
        unknown = quotes is not None and len(quotes[0]) > _FEW
        if quotes is not None and not unknown:
            inside, continued = self._spans(offset, width, *quotes)
        invalid: list[object] = []

        def handler(row) -> str:
            invalid.append(row)
            return "skip"

        names = [f"f{i}" for i in range(width)]
        tail = self._body[self._body.rfind(b"\n") + 1:] if breaks else self._body[offset:]
        counted = breaks + (tail not in (b"", b"\r"))  # the lines, if none is empty
        labels = [c for c, cell in enumerate(self._head[first - 1] if first else []) if cell != ""]
        past = range(max(labels, default=-1) + 1, width)  # fields past the header's last name: none may have text
        short = _short_lines(self._body, offset)  # no field can be over the limit: only the columns read are converted
        kept = sorted({c for c in columns if c < width} | set(past)) if short else range(width)
        if not counted:  # no record below the header
            empty = pa.Table.from_arrays([pa.nulls(0, pa.string()) for _ in kept], names=[names[c] for c in kept])
            return empty, np.zeros(0, dtype=np.int64)
        text = pa.string() if self._encoding == "utf-8" else pa.binary()  # Windows-1252: bytes, then text
        types = {names[c]: text for c in kept}
        types.update({names[c]: pa.dictionary(pa.int32(), text) for c in codes if names[c] in types})
        try:
            table = pacsv.read_csv(
                pa.py_buffer(body),
                read_options=pacsv.ReadOptions(column_names=names, block_size=16 << 20),
                parse_options=pacsv.ParseOptions(delimiter=self._sep, quote_char='"', double_quote=True,
                                                 escape_char=False, newlines_in_values=unknown or len(inside) > 0,
                                                 ignore_empty_lines=True,
                                                 # (a row's text is given to the handler as UTF-8: none for
                                                 # Windows-1252, where pyarrow's own error refuses the file)
                                                 invalid_row_handler=handler if self._encoding == "utf-8" else None),
                convert_options=pacsv.ConvertOptions(column_types=types, include_columns=list(types),
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                     null_values=[], check_utf8=True))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise NotCanonical(str(exc)) from exc
        if self._encoding != "utf-8":
            table = pa.table({name: _as_utf8(table.column(name), self._encoding) for name in table.column_names})
        if unknown and table.num_rows != counted:  # a record over several lines, or empty lines
            inside, continued = self._spans(offset, width, *quotes)
        if table.num_rows == counted - len(inside):  # no empty line: every line, less those a value goes on to
            lines = np.delete(np.arange(counted), continued) if len(inside) else np.arange(counted)
        else:
            lines = _nonempty_lines(body, inside)
        if invalid or table.num_rows != len(lines):
            raise NotCanonical("a record with other fields than the first, or a value over several lines")
        if not short and max(_longest(column) for column in table.columns) > _FIELD_LIMIT:
            raise NotCanonical("a value over 128 kB")
        table = table.unify_dictionaries()
        for c in past:
            if kernels.longest_text(table.column(names[c])):
                raise NotCanonical("text past the header's last column")
        return table, lines.astype(np.int64) + (first if self._base is None else self._base)

    def _quotes(self, offset: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(opening quotes, closing quotes, whether each pair continues the
        value before it: a doubled quote) of the lines below the header —
        positions from byte ``offset`` — checking that the csv module and
        pyarrow read them alike: each value that opens with a quote opens it
        where the value starts (after a separator or a line break) and closes it
        where the value ends (before a separator or the line's end), a quote
        inside it doubled; else, or when a quote is never closed, ``NotCanonical``."""
        raw = np.frombuffer(self._body, dtype=np.uint8)[offset:]
        at = _found(self._body, b'"', offset, len(self._body))
        if len(at) <= _FEW:  # few: a quote inside a value not in quotes (skärm 24") is text, to both readers
            at = np.array(quoting(self._body, at.tolist(), offset, ord(self._sep)), dtype=np.int64)
        if len(at) % 2:
            raise NotCanonical("a quote never closed")
        sep, n = ord(self._sep), len(raw)
        opens, closes = at[0::2], at[1::2]  # in file order every other quote opens: a doubled one is two
        again = np.zeros(len(opens), dtype=bool)
        again[1:] = opens[1:] == closes[:-1] + 1  # this one and the quote before it are one doubled quote
        before = np.where(opens > 0, raw[np.maximum(opens - 1, 0)], 10)
        after = np.where(closes + 1 < n, raw[np.minimum(closes + 1, n - 1)], 10)
        doubled = np.zeros(len(closes), dtype=bool)
        doubled[:-1] = again[1:]
        if not ((np.isin(before, (sep, 10)) | again).all() and (np.isin(after, (sep, 10, 13)) | doubled).all()):
            raise NotCanonical("a quote inside a value (text after a closing quote, or many quotes)")
        return opens, closes, again

    def _spans(self, offset: int, width: int, opens: np.ndarray, closes: np.ndarray,
               again: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the LFs — positions from ``offset`` — that stand inside the quoted
        values of ``_quotes``, the lines those values go on to: the line after
        each such LF, counted from ``offset``'s).  A value over several lines
        that holds as many separators as a line of the table (a quote that
        swallowed lines), or over the field limit, is left to the row-by-row
        reader, which words it (``NotCanonical``)."""
        none = np.zeros(0, dtype=np.int64)
        if len(opens) <= _FEW:  # few quotes: the line breaks inside them found one by one
            spans = [(o, c) for o, c in zip(opens.tolist(), closes.tolist())
                     if self._body.find(b"\n", offset + o, offset + c) >= 0]
            if not spans:
                return none, none
            inside = np.concatenate([_found(self._body, b"\n", offset + o, offset + c) + o for o, c in spans])
            continued, seen, previous = [], 0, offset
            for lf in (inside + offset).tolist():  # each LF's line: the LFs before it, counted between them
                seen += self._body.count(b"\n", previous, lf)
                continued.append(seen + 1)
                seen, previous = seen + 1, lf + 1
            lines = np.array(continued, dtype=np.int64)
        else:
            breaks = np.flatnonzero(np.frombuffer(self._body, dtype=np.uint8)[offset:] == 10)
            low, high = np.searchsorted(breaks, opens), np.searchsorted(breaks, closes)
            if not (high > low).any():
                return none, none
            mark = np.zeros(len(breaks) + 1, dtype=np.int64)
            np.add.at(mark, low[high > low], 1)
            np.add.at(mark, high[high > low], -1)
            lines = np.flatnonzero(np.cumsum(mark)[:-1] > 0)  # the line of each LF inside a value
            inside, lines = breaks[lines], lines + 1
        last = np.ones(len(opens), dtype=bool)
        last[:-1] = ~again[1:]  # the value's last pair: the next pair starts a value of its own
        starts, ends = opens[~again] + offset, closes[last] + offset
        spanning = np.searchsorted(inside, ends - offset) > np.searchsorted(inside, starts - offset)
        limit = max(min(self._sniffed_width, width) - 1, 1)
        separator = self._sep.encode()
        if any(end - start > _FIELD_LIMIT or self._body.count(separator, start, end) >= limit
               for start, end in zip(starts[spanning].tolist(), ends[spanning].tolist())):
            raise NotCanonical("a value over several lines that holds a line of the table, or over 128 kB")
        return inside, lines


_FEW = 4096  # quotes found one by one with bytes.find; more: with a numpy mask


def quoting(body: bytes, at: list[int], start: int, sep: int) -> list[int]:
    """The quotes among ``at`` (positions from ``start``, a line's first byte,
    in order) that open or close a quoted value, or are one of a doubled
    quote inside one — as the csv module and pyarrow read them alike: a quote
    opens a value only where the value starts (after a separator or a line
    break); inside a value that does not start with one it is text."""
    kept: list[int] = []
    inside = doubled = False
    for q in at:
        p = start + q
        if doubled:  # the second of a doubled quote
            doubled = False
        elif not inside:
            if q and body[p - 1] not in (sep, 10):
                continue  # text
            inside = True
        elif body[p + 1:p + 2] == b'"':
            doubled = True
        else:
            inside = False
        kept.append(q)
    return kept


def _found(body: bytes, byte: bytes, start: int, end: int, many: bool = True) -> np.ndarray | None:
    """The positions (from ``start``) of ``byte`` in ``body[start:end]``:
    found one by one while they are few (each search as fast as memchr), else
    from a mask of the whole range — or None, when not ``many`` are wanted."""
    found, at = [], body.find(byte, start, end)
    while at >= 0 and len(found) < _FEW:
        found.append(at - start)
        at = body.find(byte, at + 1, end)
    if at < 0:
        return np.array(found, dtype=np.int64)
    return np.flatnonzero(np.frombuffer(body, dtype=np.uint8)[start:end] == byte[0]) if many else None


_NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")  # the bytes Windows-1252 has no character for


def _as_utf8(column, encoding: str):
    """A column of bytes in ``encoding`` (dictionary encoded or not) as text."""
    import pyarrow as pa

    chunks = []
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            chunks.append(pa.DictionaryArray.from_arrays(chunk.indices, _text_of(chunk.dictionary, encoding)))
        else:
            chunks.append(_text_of(chunk, encoding))
    kind = pa.dictionary(pa.int32(), pa.string()) if pa.types.is_dictionary(column.type) else pa.string()
    return pa.chunked_array(chunks, type=kind)


@functools.cache
def _utf8_extra(encoding: str) -> np.ndarray:
    """For each byte, the UTF-8 bytes beyond one that its character in ``encoding`` takes."""
    return np.array([len(bytes([b]).decode(encoding, errors="replace").encode("utf-8")) - 1 for b in range(256)],
                    dtype=np.int64)


def _text_of(values, encoding: str):
    """A binary array of text in ``encoding`` (no nulls, as the parse gives it) as a UTF-8 string array: its
    data decoded and encoded at once, each value's offsets moved by the bytes its characters gained."""
    import pyarrow as pa

    if values.null_count:  # (not from the parse: every field is a value)
        return pa.array([None if v is None else v.decode(encoding) for v in values.to_pylist()], pa.string())
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset:values.offset + len(values) + 1]
    buffer = values.buffers()[2]
    data = np.zeros(0, dtype=np.uint8) if buffer is None else np.frombuffer(buffer, dtype=np.uint8)
    data = data[offsets[0]:offsets[-1]]
    offsets = offsets - offsets[0]
    high = np.flatnonzero(data >= 0x80)
    if len(high):
        gained = np.concatenate(([0], np.cumsum(_utf8_extra(encoding)[data[high]])))
        offsets = offsets + gained[np.searchsorted(high, offsets)]
        data = np.frombuffer(data.tobytes().decode(encoding).encode("utf-8"), dtype=np.uint8)
    if offsets[-1] >= 2**31:
        return pa.array([v.decode(encoding) for v in values.to_pylist()], pa.large_string())
    return pa.Array.from_buffers(pa.string(), len(values), [None, pa.py_buffer(offsets.astype(np.int32)),
                                                            pa.py_buffer(np.ascontiguousarray(data))])


def _field(table, c: int):
    """Column ``c`` of a parsed table (None when the parse left it out)."""
    name = f"f{c}"
    return table.column(name) if name in table.column_names else None


def _utf8(body: bytes, start: int) -> bool:
    """Whether ``body`` from byte ``start`` on is UTF-8 (Arrow's validation, a
    few times faster than decoding it)."""
    import pyarrow as pa

    size = len(body) - start
    offsets = pa.py_buffer(np.array([0, size], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(memoryview(body)[start:])])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


_SCAN = 1 << 18  # bytes of a file scanned at a time: the masks stay in the cache, no file-sized temporaries


def _line_breaks(body: bytes, start: int) -> tuple[int, bool]:
    """(the LFs in ``body`` from ``start`` on, whether a CR stands without an
    LF after it), in one pass over slices of the file (masks of the whole
    file would be three new arrays its size: slower than the scan itself)."""
    raw = np.frombuffer(body, dtype=np.uint8)[start:]
    size = len(raw)
    lf, cr, follows = (np.empty(min(_SCAN, size), dtype=bool) for _ in range(3))
    breaks, lone = 0, False
    for at in range(0, size, _SCAN):
        n = min(_SCAN, size - at)
        part = raw[at:at + n]
        breaks += int(np.count_nonzero(np.equal(part, 10, out=lf[:n])))
        if lone or not np.equal(part, 13, out=cr[:n]).any():
            continue
        after = raw[at + 1:at + n + 1]  # the byte after each (one short at the end of the file)
        m = len(after)
        lone = m < n and bool(cr[n - 1]) or bool(
            np.logical_and(cr[:m], np.not_equal(after, 10, out=follows[:m]), out=follows[:m]).any())
    return breaks, lone


def _short_lines(body: bytes, start: int) -> bool:
    """Whether every line of ``body`` from ``start`` on is shorter than the
    field limit, from a few bytes of it: a line of 2·w bytes or more holds a
    whole w-byte window of the file, so when every window (w = half the limit)
    has a line break, no line, and no field, is over the limit."""
    window = _FIELD_LIMIT // 2
    return all(body.find(b"\n", at, at + window) >= 0 for at in range(start, len(body) - window + 1, window))


def _longest(column) -> int:
    """The longest value of a column of text (UTF-8 bytes), dictionary encoded or not."""
    import pyarrow as pa

    if pa.types.is_dictionary(column.type):
        return max((_longest(chunk.dictionary) for chunk in column.chunks), default=0)
    return kernels.longest(column)


def _nonempty_lines(body: memoryview, inside: np.ndarray | None = None) -> np.ndarray:
    """The index of the line each record of ``body`` that is not empty starts
    on (pyarrow skips empty lines, a lone CR before the LF included); a
    record ends at an LF that is not ``inside`` a quoted value."""
    raw = np.frombuffer(body, dtype=np.uint8)
    breaks = np.flatnonzero(raw == 10)
    line = np.arange(len(breaks) + 1)  # the line each record starts on
    if inside is not None and len(inside):
        ending = ~np.isin(breaks, inside, assume_unique=True)
        line = np.concatenate(([0], np.flatnonzero(ending) + 1))
        breaks = breaks[ending]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(raw)]))
    cr = np.zeros(len(ends), dtype=bool)
    filled = ends > starts
    cr[filled] = raw[ends[filled] - 1] == 13
    return line[ends - cr > starts]


def head_separator(lines: list[str]) -> str:
    """The separator of a file's first lines (sniffed as ``read_csv_grid``
    sniffs it), or ``NotCanonical`` when the csv module refuses them."""
    sep, _width = sniff_separator(lines[:20])
    try:
        for _row in csv.reader(lines, delimiter=sep):
            pass
    except csv.Error as exc:
        raise NotCanonical(str(exc)) from exc
    return sep


def _head_lines(body: bytes, start: int = 0, encoding: str = "utf-8") -> list[str]:
    """The first lines of ``body`` from byte ``start`` on, split as the csv module splits them."""
    cut = start
    for _ in range(_HEAD_LINES):
        at = body.find(b"\n", cut)
        if at < 0:
            cut = len(body)
            break
        cut = at + 1
    return io.StringIO(body[start:cut].decode(encoding), newline="").readlines()


def _is_error(cell: object) -> bool:
    from .grid import CellError

    return isinstance(cell, CellError)
