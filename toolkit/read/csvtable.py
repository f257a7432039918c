"""A CSV export parsed by pyarrow's multithreaded CSV reader into the columnar
table the ledger's rules read (``read.table``).

The file is read as ``csvfile.read_csv_grid`` reads it — the same encodings,
the separator sniffed from the same first lines, the header on any of the
first 10 lines, a field stripped and an Excel error value recognised, a
position the line it stands on — but its fields are parsed in C, column by
column, and each distinct text is read once (``arrowcols``).

The fast path takes the files that are regular: every record on one line
with the same number of fields, no field over 128 kB, no NUL, no line ending
in a lone CR, and quotes only where a value starts or ends.  Any other file —
and any file whose header rows do not give a ledger — raises
``NotCanonical``, and the row-by-row reader (``read_csv_grid``, the same
rules through ``GridTable``) reads it and words what is wrong with it: a
line with other fields than the header row, a quote that is never closed.
"""

from __future__ import annotations

import csv
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
                 notes: list | None = None):
        self.sheet = path.name
        self.file = display
        self.merges: list[Merge] = []
        self.notes = list(notes or [])  # findings of reading the file (two encodings in one)
        self._body = body  # UTF-8, the text from byte ``start`` on (after a BOM)
        self._sep = sep
        self._head = [clean(row) for row in csv.reader(lines, delimiter=sep)]
        self._widths = [len(row) for row in csv.reader(lines, delimiter=sep)]
        self._offsets = np.cumsum([start] + [len(line.encode("utf-8")) for line in lines])
        self._lines = len(lines)
        self._base: int | None = None  # a batch of the file (``batch``): the line index of its first byte

    def batch(self, body: bytes, line: int) -> CsvTable:
        """The same file's lines from line index ``line`` on (``body``: whole
        lines, UTF-8), as a table whose ``read`` parses only them: a batch of
        a file read in batches (``read.stream``)."""
        part = object.__new__(CsvTable)
        part.__dict__.update(self.__dict__)
        part._body, part._base = body, line
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
        notes = []
        if body is data and not _utf8(body, start):  # the whole file: pyarrow checks only the columns it converts
            if start:
                raise NotCanonical("not UTF-8 after a BOM")
            body = decode(data, display).encode("utf-8")  # Windows-1252 (as the whole file): UTF-8 from here on
            notes = [note] if (note := mixed_encoding(data, display)) else []
        lines = _head_lines(body, start)
        return cls(path, display, body, lines, head_separator(lines), start, notes)

    def head(self, nrows: int) -> list[list]:
        return [list(row) for row in self._head[:nrows]]

    def read(self, columns: Iterable[int], bulk: Iterable[int] = (), first: int = 0,
             progress: Report | None = None) -> tuple[dict[int, Column], np.ndarray]:
        wanted, bulk = sorted(set(columns)), set(bulk)
        if not wanted:  # the header rows gave no ledger: the row-by-row reader words why (or finds worse first)
            raise NotCanonical("no ledger in the first lines")
        if first > min(self._lines, HEADER_SEARCH_ROWS):
            raise NotCanonical("a header below the lines read")
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
        quoted = self._body.find(b'"', offset) >= 0
        if quoted:
            self._check_quotes(np.frombuffer(self._body, dtype=np.uint8)[offset:])
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
        types = {names[c]: pa.string() for c in kept}
        types.update({names[c]: pa.dictionary(pa.int32(), pa.string()) for c in codes if names[c] in types})
        try:
            table = pacsv.read_csv(
                pa.py_buffer(body),
                read_options=pacsv.ReadOptions(column_names=names, block_size=16 << 20),
                parse_options=pacsv.ParseOptions(delimiter=self._sep, quote_char='"', double_quote=True,
                                                 escape_char=False, newlines_in_values=quoted,
                                                 ignore_empty_lines=True, invalid_row_handler=handler),
                convert_options=pacsv.ConvertOptions(column_types=types, include_columns=list(types),
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                     null_values=[], check_utf8=True))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise NotCanonical(str(exc)) from exc
        lines = np.arange(counted) if table.num_rows == counted else _nonempty_lines(body)
        if invalid or table.num_rows != len(lines):
            raise NotCanonical("a record with other fields than the first, or a value over several lines")
        if not short and max(_longest(column) for column in table.columns) > _FIELD_LIMIT:
            raise NotCanonical("a value over 128 kB")
        table = table.unify_dictionaries()
        for c in past:
            if kernels.longest_text(table.column(names[c])):
                raise NotCanonical("text past the header's last column")
        return table, lines.astype(np.int64) + (first if self._base is None else self._base)

    def _check_quotes(self, raw: np.ndarray) -> None:
        """Quotes only where a value starts or ends (or doubled inside one): as
        the csv module and pyarrow read them alike."""
        at = np.flatnonzero(raw == 34)
        sep = ord(self._sep)
        before = np.where(at > 0, raw[np.maximum(at - 1, 0)], 10)
        after = np.where(at + 1 < len(raw), raw[np.minimum(at + 1, len(raw) - 1)], 10)
        edge = np.isin(before, (sep, 10, 34)) | np.isin(after, (sep, 10, 13, 34))
        if not edge.all():
            raise NotCanonical("a quote inside a value")
        line = np.searchsorted(np.flatnonzero(raw == 10), at)
        if (np.bincount(line) % 2).any():
            raise NotCanonical("a line with an odd number of quotes")


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


def _nonempty_lines(body: memoryview) -> np.ndarray:
    """The index of each line of ``body`` that is not empty (pyarrow skips
    empty lines, a lone CR before the LF included)."""
    raw = np.frombuffer(body, dtype=np.uint8)
    breaks = np.flatnonzero(raw == 10)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(raw)]))
    cr = np.zeros(len(ends), dtype=bool)
    inside = ends > starts
    cr[inside] = raw[ends[inside] - 1] == 13
    return np.flatnonzero(ends - cr > starts)


def head_separator(lines: list[str]) -> str:
    """The separator of a file's first lines (sniffed as ``read_csv_grid``
    sniffs it), or ``NotCanonical`` when a value in them spans lines or the
    csv module refuses them."""
    sep, _width = sniff_separator(lines[:20])
    reader = csv.reader(lines, delimiter=sep)
    try:
        for number, _row in enumerate(reader, start=1):
            if reader.line_num != number:
                raise NotCanonical("a value over several lines")
    except csv.Error as exc:
        raise NotCanonical(str(exc)) from exc
    return sep


def _head_lines(body: bytes, start: int = 0) -> list[str]:
    """The first lines of ``body`` from byte ``start`` on, split as the csv module splits them."""
    cut = start
    for _ in range(_HEAD_LINES):
        at = body.find(b"\n", cut)
        if at < 0:
            cut = len(body)
            break
        cut = at + 1
    return io.StringIO(body[start:cut].decode("utf-8"), newline="").readlines()


def _is_error(cell: object) -> bool:
    from .grid import CellError

    return isinstance(cell, CellError)
