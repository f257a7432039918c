"""Merged cells in a table, read as Excel shows them.

Excel keeps the value of a merged range in its top-left cell and shows it
across the whole range; the other cells are empty in the file.  A reader that
took the file's cells as they are would see the value on the first row only:
a parent typed once in a merged Överordnad would be the parent of the first
child alone, the others silently top-level lines.

``read_merged`` applies a table's rule to the ranges that reach below its
header row and cover a column that is read:

- a range over one read column whose rows all belong to the one line
  (a single row, the value in the read column itself) is just the cell;
- in a *fill* column (text a line shares with its neighbours: Överordnad,
  Typ, Periodisering, Uppdrag, Kommentar) every row of the range that has
  content of its own gets the top-left cell's value, as Excel shows it;
- anywhere else the value would be counted once or once per row (an amount,
  a pattern, a line's name, a ledger column), or it spans several read
  columns, or it starts in the header row: the run stops, naming the range.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from ..errors import InputError
from .grid import CellError, Grid, blank


def read_merged(grid: Grid, header_row: int, columns: dict[int, str], fill: Collection[int] = ()) -> Grid:
    """``grid`` with the merged ranges of its table read as Excel shows them.
    ``columns``: the read columns (column → its header text); ``fill``: those
    of them in which a range down several rows gives each row its value.
    Raises InputError for a range the rules do not allow."""
    rows: list[list] | None = None
    for merge in sorted(grid.merges, key=lambda m: (m.top, m.left)):
        if merge.bottom <= header_row:
            continue  # a title above the table, or a heading
        used = [c for c in sorted(columns) if merge.left <= c <= merge.right]
        if not used:
            continue
        if len(used) > 1:
            names = [f'"{columns[c]}"' for c in used]
            raise InputError(f"sammanfogade celler över kolumnerna {', '.join(names[:-1])} och {names[-1]}; "
                             "dela upp dem och skriv värdet i varje cell", file=grid.file,
                             where=grid.where_range(merge), slug="sammanfogade-celler")
        c = used[0]
        if merge.top == merge.bottom and c == merge.left:
            continue
        if c not in fill or merge.top <= header_row:
            raise InputError(f"sammanfogade celler i kolumnen {columns[c]}; dela upp dem och skriv värdet på "
                             "varje rad", file=grid.file, where=grid.where_range(merge), slug="sammanfogade-celler")
        value = grid.value(merge.top, merge.left) if merge.top < len(grid.rows) else ""
        if rows is None:
            rows = [list(r) for r in grid.rows]
        for r in range(merge.top, min(merge.bottom + 1, len(rows))):
            row = rows[r]
            if r != merge.top and all(blank(v) or isinstance(v, CellError) or merge.left <= i <= merge.right
                                      for i, v in enumerate(grid.rows[r])):
                continue  # a row without content of its own stays blank
            row.extend([""] * (c + 1 - len(row)))
            row[c] = value
    return grid if rows is None else dataclasses.replace(grid, rows=rows)
