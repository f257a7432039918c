"""Finding a table's header row and its columns by name (with aliases).

Headers may sit on any of the first 10 rows (exports put title rows above
them); names match case-insensitively, Swedish or English. Only a text cell
names a column (a number or a date in a header row is a value, or a month
header the ledger reads itself). A column the table reads may be there only
once: a second one — the same name, an alias, or for the ledger the same
month — stops the run naming both cells. When no row is a header row, the
message names a cell one or two letters from a header it meant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..cells import column_letter
from ..contract import BUDGET_SHEET, DIMENSIONS, named_columns, normalise_header
from ..errors import InputError
from .grid import Grid, cell_text
from .spelling import near_miss, shown

HEADER_SEARCH_ROWS = 10

#: canonical column → accepted header names (normalised), from the contract
ALIASES: dict[str, tuple[str, ...]] = {key: column.names for key, column in named_columns().items()}

#: the Budget sheet's own columns (every other column is a pattern for a ledger column, or unused)
BUDGET_FIELDS = tuple(name for column in BUDGET_SHEET.columns if column.key not in DIMENSIONS
                      for name in (column.key, *column.also))

_LOOKUP = {alias: canon for canon, names in ALIASES.items() for alias in names}
_KNOWN = set(ALIASES)


def canonical(header: object) -> str:
    """'Account' → 'konto'; an unknown header → its normalised text."""
    norm = normalise_header(header)
    return _LOOKUP.get(norm, norm)


@dataclass
class HeaderRow:
    """A table's header row: its column names (text cells only), and every
    non-blank cell of the row as written (month headers may be numbers or dates)."""

    row: int
    columns: dict[str, int]  # canonical name → (first) column index
    labels: dict[int, str]  # column index → header text as written
    values: dict[int, object] = field(default_factory=dict)  # column index → the cell's value
    every: dict[str, list[int]] = field(default_factory=dict)  # canonical name → all its columns

    def get(self, name: str) -> int | None:
        return self.columns.get(name)


def header_row(grid: Grid, r: int) -> HeaderRow:
    """Row ``r`` read as a header row. Only text names a column: a number or a
    date is a value (or a month header, which the ledger reads from ``values``)."""
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    values: dict[int, object] = {}
    every: dict[str, list[int]] = {}
    for c, value in enumerate(grid.rows[r]):
        text = cell_text(value)  # 202501.0 → '202501', a date → '2025-01-01'
        if text == "":
            continue
        labels[c] = text
        values[c] = value
        if isinstance(value, str):
            name = canonical(text)
            columns.setdefault(name, c)
            every.setdefault(name, []).append(c)
    return HeaderRow(r, columns, labels, values, every)


def find_header(grid: Grid, required: tuple[str, ...], *, what: str,
                accept: Callable[[HeaderRow], bool] | None = None, names: str | None = None,
                suggest: tuple[str, ...] = ()) -> HeaderRow:
    """The first of the first 10 rows holding every ``required`` column
    (or for which ``accept(header)`` is true). When there is none, the
    message names the nearest miss: a cell one or two letters from a name
    of ``required`` or ``suggest`` that would have made a row the header."""
    ok = accept or (lambda header: all(name in header.columns for name in required))
    limit = min(HEADER_SEARCH_ROWS, len(grid.rows))
    for r in range(limit):
        header = header_row(grid, r)
        if ok(header):
            grid.headers = header.labels
            return header
    names = names or ", ".join(ALIASES[n][0].capitalize() for n in required)
    message = f"hittar ingen rubrikrad för {what} (kolumnerna {names}) på de första {HEADER_SEARCH_ROWS} raderna"
    miss = _nearest_miss(grid, limit, ok, (*required, *suggest))
    if miss is not None:
        r, c, name = miss
        raise InputError(f"{message}: \"{cell_text(grid.rows[r][c])}\" — menade du \"{shown(name)}\"?",
                         file=grid.file, where=grid.where(r) if grid.is_csv else grid.where(r, c),
                         slug="rubrikrad-saknas")
    raise InputError(
        f"{message}; skriv rubrikerna ovanför tabellen och kör igen",
        file=grid.file,
        where=None if grid.is_csv else grid.name,  # a CSV file is its own table
        slug="rubrikrad-saknas",
    )


def _nearest_miss(grid: Grid, limit: int, ok: Callable[[HeaderRow], bool],
                  names: tuple[str, ...]) -> tuple[int, int, str] | None:
    """(row, column, alias) of the first misspelled header cell in the first
    row that is a header once its misspelled cells read as what they meant."""
    aliases = [alias for name in dict.fromkeys(names) for alias in ALIASES.get(name, (name,))]
    exact = {normalise_header(alias) for alias in aliases}  # a name as meant is no miss of another ("Mars", "Mar")
    for r in range(limit):
        header = header_row(grid, r)
        fixes: list[tuple[int, str]] = []
        for c, label in sorted(header.labels.items()):
            if isinstance(header.values[c], str) and canonical(label) not in _KNOWN \
                    and normalise_header(label) not in exact:
                alias = near_miss(label, aliases)
                if alias is not None:
                    fixes.append((c, alias))
        if not fixes:
            continue
        for c, alias in fixes:
            name = canonical(alias)
            header.columns.setdefault(name, c)
            header.every.setdefault(name, []).append(c)
            header.labels[c] = alias
            header.values[c] = alias
        if ok(header):
            c, alias = fixes[0]
            return r, c, alias
    return None


def cell_name(grid: Grid, row: int, col: int) -> str:
    """A cell named within its table: 'B1' on a sheet, 'kolumn 2' in a CSV file."""
    return f"kolumn {col + 1}" if grid.is_csv else f"{column_letter(col)}{row + 1}"


def duplicate_column(grid: Grid, header: HeaderRow, first: int, second: int, same: str = "kolumn") -> InputError:
    """The error for column ``second`` meaning what column ``first`` already means
    (``same``: 'kolumn', or 'månad' for two headers of one month)."""
    label, earlier = header.labels[second], header.labels[first]
    at = cell_name(grid, header.row, first)
    this = f"kolumnen \"{label}\"" + (f" ({cell_name(grid, header.row, second)})" if grid.is_csv else "")
    if normalise_header(label) == normalise_header(earlier):
        said = f"{this} finns redan i {at}"
    else:
        said = f"{this} är samma {same} som \"{earlier}\" i {at}"
    return InputError(f"{said}; ta bort den ena eller byt namn på den", file=grid.file,
                      where=grid.where(header.row) if grid.is_csv else grid.where(header.row, second),
                      slug="kolumn-dubbel")


def duplicates(header: HeaderRow, groups: Iterable[Iterable[str]]) -> list[tuple[int, int, str]]:
    """(second column, first column, 'kolumn') for each group of canonical
    names (names that mean one column, e.g. Periodisering and Nyckel on
    Budget) found in more than one column."""
    found = []
    for group in groups:
        cols = sorted(c for name in set(group) for c in header.every.get(name, ()))
        if len(cols) > 1:
            found.append((cols[1], cols[0], "kolumn"))
    return found


def stop_at_duplicate(grid: Grid, header: HeaderRow, found: list[tuple[int, int, str]]) -> None:
    """Stop at the leftmost column that repeats an earlier one, naming both."""
    if found:
        second, first, same = min(found)
        raise duplicate_column(grid, header, first, second, same)


def check_unique(grid: Grid, header: HeaderRow, groups: Iterable[Iterable[str]]) -> None:
    """Stop when a column the table reads is there twice (see ``duplicates``)."""
    stop_at_duplicate(grid, header, duplicates(header, groups))
