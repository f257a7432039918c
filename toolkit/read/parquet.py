"""A Parquet ledger export (``--utfall huvudbok.parquet``) as the columnar table
the ledger's rules read (``read.table``).

The file's column names are the header row (line 1, as in a CSV export) and
its rows the ledger's rows: row k of the file is ``rad k + 1`` in messages.
Columns are named as on Utfall (Period, Konto, Ansvar …, Belopp).  Text is read
as a CSV field is (stripped; an Excel error value as text is one), integers and
floats as a workbook's number cells (an account 6540 is the code ``6540``),
decimals exactly, dates as dates; null is a blank cell.  Only the columns the
ledger reads are loaded (the others only for rows where those are all blank).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..progress import Report
from . import kernels
from .grid import Grid, Merge
from .worksheet import Column


def _open(path: Path, display: str):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", file=display, slug="fil-saknas") from exc
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"filen är inte en Parquet-fil som går att läsa ({exc})", file=display,
                         slug="parquet-olasbar") from exc


class ParquetTable:
    """A Parquet file: ``head`` from its schema and first rows, ``read`` column by column."""

    is_csv = True  # positions are rows of the file: rad N

    def __init__(self, path: Path, display: str, handle):
        self.sheet = path.name
        self.file = display
        self.merges: list[Merge] = []
        self._path = path
        self._handle = handle
        self.names = [str(name) for name in handle.schema_arrow.names]
        self._batch = None  # a batch of the file (``batch``): its rows, from row index ``_start`` on
        self._start = 0

    def batch(self, table, start: int) -> ParquetTable:
        """The file's rows ``start`` … as a table whose ``read`` reads only
        ``table`` (a batch of every column): a batch of a file read in batches
        (``read.stream``)."""
        part = object.__new__(ParquetTable)
        part.__dict__.update(self.__dict__)
        part._batch, part._start = table, start
        return part

    @classmethod
    def open(cls, path: Path, display: str) -> ParquetTable:
        return cls(path, display, _open(path, display))

    def _load(self, columns: list[int], codes: Iterable[int] = ()):
        """The columns' data; the text columns among ``codes`` dictionary encoded
        (as Parquet stores them: each distinct text read once)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._batch is not None:
            return self._batch.select(columns)
        names = [self.names[c] for c in columns]
        schema = self._handle.schema_arrow
        texts = [self.names[c] for c in codes if c in columns and pa.types.is_string(schema.field(c).type)]
        try:
            if texts:
                return pq.ParquetFile(self._path, read_dictionary=texts).read(columns=names, use_threads=True)
            return self._handle.read(columns=names, use_threads=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
            raise InputError(f"filen är inte en Parquet-fil som går att läsa ({exc})", file=self.file,
                             slug="parquet-olasbar") from exc

    def head(self, nrows: int) -> list[list]:
        from .arrowcols import _python

        rows: list[list] = [list(self.names)]
        if nrows > 1 and self._handle.metadata.num_rows and self._handle.metadata.num_row_groups:
            first = next(self._handle.iter_batches(batch_size=nrows - 1))
            for record in first.to_pylist():
                rows.append(["" if (cell := _python(value)) is None else cell for value in record.values()])
        return rows

    def read(self, columns: Iterable[int], bulk: Iterable[int] = (), first: int = 0,
             progress: Report | None = None) -> tuple[dict[int, Column], np.ndarray]:
        from .arrowcols import _indices, _python, restrict, typed_column

        wanted = sorted(c for c in set(columns) if c < len(self.names))
        bulk = set(bulk)
        count = self._handle.metadata.num_rows if self._batch is None else self._batch.num_rows
        rows = np.arange(self._start + 1, self._start + count + 1, dtype=np.int64)  # row 0: the header (names)
        result: dict[int, Column] = {}
        content = np.zeros(count, dtype=bool)
        table = self._load(wanted, [c for c in wanted if c not in bulk]) if wanted else None
        for k, c in enumerate(wanted):
            column, has = typed_column(table.column(k), rows, c in bulk)
            result[c] = column
            content |= has
        others = [c for c in range(len(self.names)) if c not in set(wanted)]
        empty = np.flatnonzero(~content)
        if len(empty) and others:
            rest = self._load(others)
            picked = _indices(empty)
            fields = [kernels.take(rest.column(k), picked).to_pylist() for k in range(len(others))]
            for k, i in enumerate(empty.tolist()):
                content[i] = any(_python(field[k]) not in (None, "") and not _is_error(_python(field[k]))
                                 for field in fields)
        return restrict(result, rows, content & (rows >= first))


def _is_error(value: object) -> bool:
    from .grid import CellError

    return isinstance(value, CellError)


def read_parquet_grid(path: Path, display: str) -> Grid:
    """The whole file as a ``Grid`` (header row, then every row), for a
    Parquet file read as something other than the ledger."""
    from .arrowcols import _python

    table = ParquetTable.open(path, display)
    rows: list[list] = [list(table.names)]
    for record in table._load(list(range(len(table.names)))).to_pylist():
        rows.append(["" if (cell := _python(value)) is None else cell for value in record.values()])
    return Grid(path.name, display, rows, is_csv=True)
