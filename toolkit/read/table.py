"""The columnar table the ledger rules read (``read.ledger.read_ledger_columns``).

Every source of a ledger — a worksheet streamed from its XML
(``worksheet.WorksheetPart``), a CSV export parsed by pyarrow
(``csvtable.CsvTable``), a Parquet file (``parquet.ParquetTable``), and any
``Grid`` (a sheet read by calamine, a CSV file read row by row, an SIE
export: ``GridTable``) — hands the rules the same thing:

- ``sheet``, ``file``: the sheet (or the file's name) and the file as the user
  named it; ``is_csv``: positions are lines (``rad 17 (Belopp)``), not cells;
- ``head(n)``: the first ``n`` rows, every cell as calamine gives it ('' when
  blank, a ``CellError`` for an error value): the header row is found in them;
- ``read(columns, bulk, first, progress)``: for each of ``columns`` (0-based)
  a ``worksheet.Column`` of its cells with content from row ``first`` on —
  ``rows`` (0-based row indexes: a line number − 1 in a CSV file), and for
  each cell a ``token`` into ``values`` (the column's distinct Python values)
  or, in a ``bulk`` column, ``BULK`` (-1) with its öre in ``ore`` (a reader
  of a file with a field in every row may give every row, ``BLANK`` (-2) for
  no content: then the column's ``rows`` are the very array returned); and the
  rows from ``first`` on that are not blank (an error value outside
  ``columns`` is no content), in order;
- ``merges``: the merged ranges, once ``read`` ran;
- optionally ``is_csv`` (default False) and ``notes`` (findings of reading the
  file, such as an SIE export's remarks; default none).

``read`` (or ``head``) raising ``worksheet.NotCanonical`` hands the source to
the row-by-row way: ``read_ledger(source.grid(name))``.  A table that cannot
find a ledger in its head gets ``read((), (), 0)`` before the header's error
is raised: a CSV table raises ``NotCanonical`` there, so that the row-by-row
reader words the file's first problem.

A row index is the position the messages name: ``Grid.where(row, col)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from ..progress import Report
from .grid import CellError, Grid, Merge
from .worksheet import Column

BULK = -1  # a cell whose öre the reader computed in bulk
BLANK = -2  # no content (a column that gives every row)


class Table(Protocol):
    sheet: str
    file: str
    merges: list[Merge]

    def head(self, nrows: int) -> list[list]: ...

    def read(self, columns: Iterable[int], bulk: Iterable[int], first: int,
             progress: Report | None = None) -> tuple[dict[int, Column], np.ndarray]: ...


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value == "")


class GridTable:
    """A ``Grid`` as a columnar table: the cells of each wanted column turned
    into tokens of their distinct values, row by row (the rows are already
    Python values: a sheet read by calamine, a CSV file read by the csv
    module, an SIE export)."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.sheet = grid.name
        self.file = grid.file
        self.is_csv = grid.is_csv
        self.merges = grid.merges

    def head(self, nrows: int) -> list[list]:
        return [list(row) for row in self.grid.rows[:nrows]]

    def read(self, columns: Iterable[int], bulk: Iterable[int] = (), first: int = 0,
             progress: Report | None = None) -> tuple[dict[int, Column], np.ndarray]:
        wanted = sorted(set(columns))
        read = set(wanted)
        kept_rows: list[int] = []
        cells: dict[int, tuple[list[int], list[int], dict, list]] = {c: ([], [], {}, []) for c in wanted}
        grid_rows: Sequence[Sequence] = self.grid.rows
        for r in range(first, len(grid_rows)):
            row = grid_rows[r]
            if all(_blank(v) or isinstance(v, CellError) and c not in read for c, v in enumerate(row)):
                continue
            kept_rows.append(r)
            width = len(row)
            for c in wanted:
                if c >= width:
                    continue
                value = row[c]
                if _blank(value):
                    continue
                rows, tokens, index, values = cells[c]
                key = (type(value), value)
                token = index.get(key)
                if token is None:
                    token = index[key] = len(values)
                    values.append(value)
                rows.append(r)
                tokens.append(token)
        result = {c: Column(np.asarray(rows, dtype=np.int64), np.asarray(tokens, dtype=np.int64), values)
                  for c, (rows, tokens, _index, values) in cells.items()}
        return result, np.asarray(kept_rows, dtype=np.int64)
