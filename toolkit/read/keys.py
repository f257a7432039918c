"""The Periodisering sheet: ``Nyckel`` then ``Jan``…``Dec`` weights."""

from __future__ import annotations

from decimal import Decimal

from ..contract import BUILT_IN_KEYS, KEYS_SHEET, MONTH_HEADERS, MONTH_SPELLINGS, lookup, normalise_header
from ..engine.model import Key
from ..errors import InputError
from ..money import parse_decimal
from .grid import Grid, cell_text
from .headers import duplicates, find_header, stop_at_duplicate
from .merged import read_merged

#: the columns as the message for a missing header row names them
_NAMES = f"{KEYS_SHEET.columns[0].name}, {MONTH_HEADERS[0]} … {MONTH_HEADERS[-1]}"
#: the built-in keys by every name Budget may give them (Linjär also as Linjar)
_BUILT_IN = lookup(BUILT_IN_KEYS)


def month_of_header(header: object) -> int | None:
    """'Jan', 'januari', 'January' → 1; anything else → None."""
    return MONTH_SPELLINGS.get(normalise_header(header).rstrip("."))


def month_columns(labels: dict[int, str]) -> dict[int, int]:
    """column → month (1..12) for headers that name a month."""
    found = {c: month_of_header(text) for c, text in labels.items()}
    return {c: m for c, m in found.items() if m is not None}


def read_keys(grid: Grid) -> list[Key]:
    header = find_header(grid, KEYS_SHEET.required, what="periodiseringsnycklar", names=_NAMES,
                         accept=lambda h: "nyckel" in h.columns and len(month_columns_of(h.columns)) == 12,
                         suggest=tuple(MONTH_SPELLINGS))  # a month header typed one letter wrong ("Aprl") is named
    months = month_columns(header.labels)
    found = duplicates(header, [("nyckel",)])
    by_month: dict[int, int] = {}
    for c, m in sorted(months.items()):
        if m in by_month:
            found.append((c, by_month[m], "månad"))
        by_month.setdefault(m, c)
    stop_at_duplicate(grid, header, found)
    nc = header.columns["nyckel"]
    used = {c: header.labels[c] for c in [nc, *by_month.values()]}
    grid.check_row(header.row, range(len(grid.rows[header.row])))
    grid = read_merged(grid, header.row, used)
    keys: list[Key] = []
    seen: dict[str, str] = {}
    for r in range(header.row + 1, len(grid.rows)):
        grid.check_row(r, used)
        name = cell_text(grid.value(r, nc))
        if not name:
            if any(cell_text(grid.value(r, c)) for c in by_month.values()):
                raise InputError("nyckeln saknar namn", file=grid.file, where=grid.where(r, nc),
                                 slug="nyckel-namn-saknas")
            continue
        norm = normalise_header(name)  # as the Budget's Periodisering column is matched
        if norm in _BUILT_IN:
            raise InputError(f"nyckeln \"{name}\" har samma namn som den inbyggda nyckeln {_BUILT_IN[norm]}; ta bort "
                             "raden, eller ge din nyckel ett eget namn", file=grid.file, where=grid.where(r, nc),
                             slug="nyckel-inbyggt-namn")
        if norm in seen:
            raise InputError(f"nyckeln \"{name}\" finns redan på {seen[norm]}; varje nyckel behöver ett unikt namn",
                             file=grid.file, where=grid.where(r, nc), slug="nyckel-dubbel")
        seen[norm] = grid.where(r, nc)
        weights = []
        for m in range(1, 13):
            c = by_month[m]
            value = grid.value(r, c)
            try:
                w = parse_decimal(value)
            except ValueError:
                raise InputError(f"\"{cell_text(value)}\" är inte en vikt", file=grid.file,
                                 where=grid.where(r, c), slug="vikt-ogiltig") from None
            w = Decimal(0) if w is None else w
            if w < 0:
                shown = format(w.normalize(), "f").replace(".", ",")  # -0,5 as a Swedish Excel shows it
                raise InputError(f"nyckeln {name} har en negativ vikt ({shown})", file=grid.file,
                                 where=grid.where(r, c), slug="vikt-negativ")
            weights.append(w)
        if sum(weights) == 0:
            raise InputError(f"nyckeln {name} har bara nollor; vikterna måste summera till mer än 0",
                             file=grid.file, where=grid.where(r, nc), slug="nyckel-nollor")
        keys.append(Key(name, tuple(weights), grid.where(r, nc)))
    return keys


def month_columns_of(columns: dict[str, int]) -> set[int]:
    return {m for name in columns if (m := month_of_header(name)) is not None}
