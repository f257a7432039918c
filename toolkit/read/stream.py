"""A ledger export too large to hold row by row (a region's year: tens of
millions of rows, as CSV or Parquet), read in batches and aggregated while it
streams.

Each batch — about ``CHUNK_BYTES`` of whole lines of a CSV file, ``BATCH_ROWS``
rows of a Parquet file — goes through the one rule set
(``ledger.read_ledger_columns``) with its own positions, so the first bad row
in file order stops the run with its ``rad N`` exactly as when the file is
read whole (batches are read in file order and a batch's error is its first
one).  Only the file's last row can be a total row, checked against Σ of every
row above it.  A batch is then reduced to its groups — one per distinct
(period, codes …) — with Σ öre (exact int64), the row count and the first
row's position, merged into the groups of the batches before it.

The ledger returned has one row per group: its position the group's first
row, its amount the group's exact sum, ``Ledger.count`` the rows it stands
for (every row count — Avstämning's rows read and rows in the period, the
rows per line, Ej budgeterat per combination, left out per period — counts
them, so they equal the row-by-row figures).  What needs single rows does
not get them: Transaktioner is not written (an export this size is far above
its limit anyway), and two aggregated exports are compared for months
exported twice group by group (a month exported twice has the same groups).

An export is read in batches when it is large (a CSV file over
``AGGREGATE_BYTES``, a Parquet file of more than ``AGGREGATE_ROWS`` rows), and
aggregated once it has more than ``AGGREGATE_ROWS`` rows — far above
Transaktioner's limit, so every export that sheet can list keeps its rows; a
large CSV file of fewer rows (long lines) gives its rows as when read whole.
A batch of a CSV file ends at a line break outside quotes, so a quoted value
over several lines is whole in one batch.  A CSV file that is not written the
regular way in every batch (``csvtable``: a lone CR, text after a value's
closing quote, a quote never closed), a monthly matrix or a file whose header rows give no ledger
is read the ordinary way, which words its problem.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from ..engine.model import Codes, Ledger
from ..errors import InputError
from ..progress import Report
from .worksheet import NotCanonical

CHUNK_BYTES = 16 << 20  # a CSV batch: about 200 000 lines of a typical export (the read alone peaks near 400 MiB)
BATCH_ROWS = 1 << 18  # a Parquet batch (1 << 20: a third faster, twice the peak)
AGGREGATE_BYTES = 256 << 20  # a CSV export larger than this is read in batches (about 3 million lines)
AGGREGATE_ROWS = 3_000_000  # an export with more rows than this is aggregated (a Parquet one: read in batches)
_HEAD_BYTES = 1 << 20


def large(path: Path) -> bool:
    """Whether the export at ``path`` is read in batches and aggregated."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows > AGGREGATE_ROWS
        if suffix in (".csv", ".txt", ".tsv"):
            return path.stat().st_size > AGGREGATE_BYTES
    except Exception:  # unreadable: the ordinary reader says why
        return False
    return False


def read_large(path: Path, display: str, year: int | None, wanted: set[str] | None = None,
               progress: Report | None = None) -> Ledger:
    """The export at ``path``, aggregated (``NotCanonical``: read it the ordinary way)."""
    if path.suffix.lower() == ".parquet":
        return _aggregate(_parquet_batches(path, display), year, wanted, progress)
    return _aggregate(_csv_batches(path, display), year, wanted, progress)


# -- batches ------------------------------------------------------------------------------------------------


def _first_data_line(head, year, wanted) -> int:
    """The line index of the first row below the header (NotCanonical when the
    head gives no ledger of rows: the ordinary reader words it or reads it)."""
    from .grid import Grid
    from .headers import HEADER_SEARCH_ROWS
    from .ledger import _layout

    grid = Grid(head.sheet, head.file, head.head(HEADER_SEARCH_ROWS), is_csv=True)
    try:
        layout = _layout(grid, year, wanted)
    except InputError as exc:
        raise NotCanonical("no ledger in the first lines") from exc
    if layout.matrix:
        raise NotCanonical("a monthly matrix")
    return layout.header.row + 1


def _csv_batches(path: Path, display: str):
    """(table, last) per batch of whole lines, UTF-8 (or Windows-1252 as the
    whole file is read), in file order; the first item is the head table."""
    from .csvtable import _FIELD_LIMIT, _NOT_CP1252, CsvTable, _head_lines, head_separator

    with open(path, "rb") as fh:
        start = fh.read(_HEAD_BYTES)
        bom = start.startswith(b"\xef\xbb\xbf")
        if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start:
            raise NotCanonical("UTF-16 or NUL")
        body = start[3:] if bom else start
        cut = body.rfind(b"\n") + 1
        if not cut:
            raise NotCanonical("no whole line in the head")
        body = body[:cut]
        mixed = _Mixed(display)  # Windows-1252 lines and UTF-8 letters: said once both are seen
        try:
            text, encoding = body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            if bom:
                raise NotCanonical("not UTF-8 after a BOM") from None
            try:
                text, encoding = body.decode("cp1252", errors="strict"), "cp1252"
            except UnicodeDecodeError:
                raise NotCanonical("neither UTF-8 nor Windows-1252") from None
            mixed.cp1252(body, exc.start, 0)
            mixed.utf8(body, 0)
        utf8 = text.encode("utf-8")
        lines = _head_lines(utf8)
        if len(lines) < 2 or b"\r" in utf8.replace(b"\r\n", b""):
            raise NotCanonical("a short head, or a lone CR")
        head = CsvTable(path, display, utf8, lines, head_separator(lines))
        first = yield head
        # the byte where line ``first`` starts
        position = (3 if bom else 0) + sum(len(line.encode("utf-8") if encoding == "utf-8" else line.encode("cp1252"))
                                          for line in lines[:first])
        fh.seek(position)
        ascii_so_far = text.isascii()
        line = first
        rest = b""
        pending = None
        while True:
            data = fh.read(CHUNK_BYTES)
            block = rest + data
            if data:
                cut = _record_end(block, ord(head._sep))
                if not cut:
                    if len(block) > CHUNK_BYTES + _FIELD_LIMIT:  # no line ends in it: a value over the limit
                        raise NotCanonical("a line over the batch size")
                    rest = block
                    continue
                block, rest = block[:cut], block[cut:]
            else:
                rest = b""
            if block and not block.replace(b"\r\n", b"\n").strip(b"\n"):  # empty lines only: no batch of
                line += block.count(b"\n")  # their own, so that the batch above them stays the last (a total row)
            elif block:
                if b"\x00" in block:
                    raise NotCanonical("NUL")
                if encoding == "utf-8":
                    try:
                        block.decode(encoding)
                    except UnicodeDecodeError as exc:
                        if bom or not ascii_so_far:
                            raise NotCanonical("an encoding the head does not tell") from None
                        encoding = "cp1252"  # the lines before were ASCII: the same text in Windows-1252
                        mixed.cp1252(block, exc.start, line)
                if encoding == "cp1252":
                    if any(block.find(byte) >= 0 for byte in _NOT_CP1252):
                        raise NotCanonical("neither UTF-8 nor Windows-1252")
                    mixed.utf8(block, line)
                ascii_so_far = ascii_so_far and block.isascii()
                part = head.batch(block, line, encoding)  # (Windows-1252: parsed as it is, like a whole file)
                if (note := mixed.note()) is not None:
                    part.notes = [note]  # (its own list: a batch shares the head's)
                line += block.count(b"\n")
                if pending is not None:
                    yield pending, False
                pending = part
            if not data:
                break
        if pending is not None:
            yield pending, True


def _record_end(block: bytes, sep: int = ord(";")) -> int:
    """The byte after the last line break of ``block`` (whole records from its
    first byte on) that is not inside a quoted value, or 0 when there is none:
    a batch ends there.  A block of few quotes has them read as the readers
    read them (``csvtable.quoting``: a quote inside a value that does not start
    with one is text); else a line break is outside when an even number of
    quotes stands before it, and ``NotCanonical`` when the line breaks inside
    quotes go back further than a value may be long (a quote never closed, or
    one of those quotes in the text, makes every line break after it look
    quoted): the file is left to the whole read."""
    from .csvtable import _FIELD_LIMIT, _found, quoting

    cut = block.rfind(b"\n")
    if cut < 0 or b'"' not in block:
        return cut + 1
    at = _found(block, b'"', 0, len(block), many=False)
    if at is not None:  # few quotes
        marks = quoting(block, at.tolist(), 0, sep)
        if len(marks) % 2:  # a value still open at the end of the block: the next batch ends it
            if len(block) - marks[-1] > _FIELD_LIMIT:
                raise NotCanonical("a quoted value over the field limit, or a quote never closed")
            marks.append(len(block))
        for open_, close in reversed(list(zip(marks[0::2], marks[1::2]))):
            if close < cut:
                break
            if open_ < cut:  # the last line break is inside this value: the last one before it
                cut = block.rfind(b"\n", 0, open_)
        return cut + 1
    quotes = block.count(b'"', 0, cut)
    while cut >= 0 and quotes % 2:
        if len(block) - cut > _FIELD_LIMIT:
            raise NotCanonical("a quoted value over the field limit, or a quote never closed")
        before = block.rfind(b"\n", 0, cut)
        quotes -= block.count(b'"', before + 1, cut)
        cut = before
    return cut + 1


class _Mixed:
    """The first line of Windows-1252 and the first UTF-8 letter of a file
    read in batches, and the warning of the two (once, when both are seen)."""

    def __init__(self, display: str):
        self.display = display
        self.line_cp1252: int | None = None
        self.line_utf8: int | None = None
        self.letter = b""
        self.said = False

    def cp1252(self, data: bytes, at: int, line: int) -> None:
        """The first byte that is not UTF-8, ``at`` in ``data`` (whose first line has index ``line``)."""
        if self.line_cp1252 is None:
            self.line_cp1252 = line + data.count(b"\n", 0, at) + 1

    def utf8(self, data: bytes, line: int) -> None:
        from .csvfile import utf8_letter

        if self.line_utf8 is None and (at := utf8_letter(data)) >= 0:
            self.line_utf8, self.letter = line + data.count(b"\n", 0, at) + 1, data[at:at + 2]

    def note(self):
        from .csvfile import two_encodings

        if self.said or self.line_cp1252 is None or self.line_utf8 is None:
            return None
        self.said = True
        return two_encodings(self.display, self.line_cp1252, self.line_utf8, self.letter)


def _parquet_batches(path: Path, display: str):
    from .parquet import ParquetTable

    head = ParquetTable.open(path, display)
    first = yield head
    if first != 1:
        raise NotCanonical("a Parquet file's header is its column names")
    import pyarrow as pa

    start = 0
    pending = None
    for batch in head._handle.iter_batches(batch_size=BATCH_ROWS, use_threads=True):
        part = head.batch(pa.Table.from_batches([batch]), start)
        start += batch.num_rows
        if pending is not None:
            yield pending, False
        pending = part
    if pending is not None:
        yield pending, True


# -- the groups ---------------------------------------------------------------------------------------------


class _Groups:
    """The groups of the batches read so far: key (period, a code per
    dimension), Σ öre, rows, first row."""

    def __init__(self, dims: list[str]):
        self.dims = dims
        self.texts: dict[str, dict[str, int]] = {d: {} for d in dims}
        self.key = np.zeros((0, 1 + len(dims)), dtype=np.int64)
        self.amount = np.zeros(0, dtype=np.int64)
        self.count = np.zeros(0, dtype=np.int64)
        self.row = np.zeros(0, dtype=np.int64)

    def add(self, ledger: Ledger) -> None:
        columns = [ledger.period]
        for d in self.dims:
            codes = ledger.codes[d]
            seen = self.texts[d]
            remap = np.fromiter((seen.setdefault(t, len(seen)) for t in codes.texts), dtype=np.int64,
                                count=len(codes.texts))
            columns.append(remap[codes.index] if len(codes.texts) else codes.index)
        key = np.concatenate([self.key, np.column_stack(columns)])
        amount = np.concatenate([self.amount, ledger.amount])
        count = np.concatenate([self.count, ledger.weights()])
        row = np.concatenate([self.row, ledger.row])
        group, size = _group(key)
        self.key = np.zeros((size, key.shape[1]), dtype=np.int64)
        self.key[group] = key
        self.amount = np.zeros(size, dtype=np.int64)
        np.add.at(self.amount, group, amount)
        self.count = np.bincount(group, weights=count, minlength=size).astype(np.int64)
        self.row = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(self.row, group, row)

    def ledger(self, like: Ledger, rows: int) -> Ledger:
        order = np.argsort(self.row, kind="stable")  # in file order: each group at its first row
        codes = {d: Codes(self.key[order, 1 + k].copy(), list(self.texts[d])) for k, d in enumerate(self.dims)}
        return dataclasses.replace(like, period=self.key[order, 0].copy(), amount=self.amount[order],
                                   row=self.row[order], col=np.full(len(order), like.col[0] if len(like) else 0,
                                                                    dtype=np.int64),
                                   codes=codes, rows_read=rows, count=self.count[order])


def _group(key: np.ndarray) -> tuple[np.ndarray, int]:
    """Each row's group among the distinct rows of ``key`` (non-negative int64 columns)."""
    if not len(key):
        return np.zeros(0, dtype=np.int64), 0
    spans = [int(key[:, k].max()) - int(key[:, k].min()) + 1 for k in range(key.shape[1])]
    if float(np.prod([float(s) for s in spans])) < 2**62:  # one int64 per row: a plain sort
        flat = np.zeros(len(key), dtype=np.int64)
        for k, span in enumerate(spans):
            flat = flat * span + (key[:, k] - key[:, k].min())
        _, group = np.unique(flat, return_inverse=True)
    else:
        _, group = np.unique(key, axis=0, return_inverse=True)
    group = group.ravel()
    return group, int(group.max()) + 1


def _aggregate(batches, year: int | None, wanted: set[str] | None, progress: Report | None) -> Ledger:
    from .ledger import read_ledger_columns

    head = next(batches)
    first = _first_data_line(head, year, wanted)
    try:
        items = batches.send(first)
    except StopIteration:
        raise NotCanonical("no rows") from None
    groups: _Groups | None = None
    held: list[Ledger] = []  # the batches' rows while they are few enough to hold (AGGREGATE_ROWS)
    like: Ledger | None = None
    above = 0  # Σ öre of the rows read so far
    bound = 0  # Σ of the batches' largest |amount| × rows: the sums stay exact below 2**63
    rows = 0
    notes: list = []
    while items is not None:
        table, last = items
        part = read_ledger_columns(table, year, wanted, progress, above=above, last=last)
        if groups is None:
            groups = _Groups(part.dimensions)
        if len(part):
            bound += int(np.abs(part.amount).max()) * len(part)
            if bound >= 2**63:
                raise InputError("huvudbokens belopp är för stora för att summeras exakt", file=part.file,
                                 where=part.source, slug="belopp-summa-for-stor")
        above += int(part.amount.sum())
        rows += len(part)
        notes += [note for note in part.notes if note not in notes]
        held.append(dataclasses.replace(part, notes=[]))
        if rows > AGGREGATE_ROWS:  # too many to hold: from here on, groups
            for one in held:
                groups.add(one)
            held.clear()
        if like is None or len(part) and not len(like):
            like = part
        items = next(batches, None)
    if groups is None or like is None:  # no batch: a file of only its header
        raise NotCanonical("no rows")
    if rows > AGGREGATE_ROWS:
        ledger = groups.ledger(like, rows)
    else:  # few enough rows after all (long lines): every row, as the file read whole gives them
        ledger = _rows(held, like, groups.dims)
    ledger.notes = notes
    return ledger


def _rows(parts: list[Ledger], like: Ledger, dims: list[str]) -> Ledger:
    """The batches' rows as one ledger (each code column on one list of texts)."""
    codes = {}
    for d in dims:
        seen: dict[str, int] = {}
        index = []
        for part in parts:
            column = part.codes[d]
            remap = np.fromiter((seen.setdefault(t, len(seen)) for t in column.texts), dtype=np.int64,
                                count=len(column.texts))
            index.append(remap[column.index] if len(column.texts) else column.index)
        codes[d] = Codes(np.concatenate(index).astype(np.int64) if index else np.zeros(0, dtype=np.int64), list(seen))

    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(part, name) for part in parts]).astype(np.int64)

    count = sum(len(part) for part in parts)
    return dataclasses.replace(like, period=joined("period"), amount=joined("amount"), row=joined("row"),
                               col=joined("col"), codes=codes, rows_read=count, count=None)
