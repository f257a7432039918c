"""The Budgetändringar sheet (optional): one row per decided change of a
budget line — ``Datum``, ``Rad``, ``Belopp`` (+/−, in the Budget sheet's
unit), ``Typ``, ``Beslut``, ``Från januari``, ``Kommentar``.

The sheet's columns are its own (``Datum`` is the decision's date, not the
ledger's period), so its header row is found by its own names. A bad cell
stops the run naming it, with the word meant where one is a letter or two
away. Which line a ``Rad`` names, and whether it may be changed, is the
engine's to decide (``engine.changes``): it knows the tree.
"""

from __future__ import annotations

import datetime as dt
import re

from ..contract import CHANGE_TYPES, CHANGES_SHEET, YES_NO, lookup, normalise_header, or_list
from ..contract.changes import path_parts
from ..engine.model import BudgetChange, BudgetLine
from ..errors import InputError
from ..money import AmountTooLarge, parse_ore, too_large
from .grid import Grid, cell_text
from .headers import HeaderRow, find_header, stop_at_duplicate
from .merged import read_merged
from .spelling import near_miss

#: every header of the sheet (normalised) → its column's key
_NAMES = {name: column.key for column in CHANGES_SHEET.columns for name in column.names}
_REQUIRED = CHANGES_SHEET.required
_TYPES = lookup(CHANGE_TYPES)
_TYPE_NAMES = [word.name for word in CHANGE_TYPES]
_YES_NO = lookup(YES_NO)
# a decision typed once for several rows: a merged range down these columns gives each row its value
_SHARED = ("datum", "typ", "beslut", "från januari", "kommentar")
_ISO = re.compile(r"^(\d{4})-?(\d{2})(?:-?(\d{2}))?$")
DATE_EXAMPLE = "2025-06-15"


def _columns(header: HeaderRow) -> dict[str, list[int]]:
    """The sheet's columns in ``header`` by key (every column of each, in order)."""
    found: dict[str, list[int]] = {}
    for c, label in sorted(header.labels.items()):
        key = _NAMES.get(normalise_header(label))
        if key is not None and isinstance(header.values[c], str):
            found.setdefault(key, []).append(c)
    return found


def parse_date(value: object) -> dt.date:
    """A date cell, or text ``2025-06-15``, ``20250615``, ``2025-06`` (the 1st);
    ``ValueError`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    m = _ISO.match(value.strip())
    if m is None:
        raise ValueError(value)
    return dt.date(int(m[1]), int(m[2]), int(m[3] or 1))


def read_changes(grid: Grid, scale: int) -> list[BudgetChange]:
    """The changes in sheet order. ``scale``: 1 for kr, 1000 for tkr (as Budget)."""
    names = ", ".join(CHANGES_SHEET.column(key).name for key in _REQUIRED)
    header = find_header(grid, _REQUIRED, what="budgetändringarna", names=names,
                         accept=lambda h: all(key in _columns(h) for key in _REQUIRED))
    every = _columns(header)
    stop_at_duplicate(grid, header, [(cols[1], cols[0], "kolumn") for cols in every.values() if len(cols) > 1])
    cols = {key: found[0] for key, found in every.items()}
    used = {c: header.labels[c] for c in cols.values()}
    grid.check_row(header.row, range(len(grid.rows[header.row])))
    grid = read_merged(grid, header.row, used, {cols[key] for key in _SHARED if key in cols})

    def heading(key: str) -> str:
        return header.labels[cols[key]]

    def stop(r: int, key: str, message: str, *, slug: str) -> InputError:
        return InputError(message, file=grid.file, where=grid.where(r, cols[key]), slug=slug)

    changes: list[BudgetChange] = []
    for r in range(header.row + 1, len(grid.rows)):
        grid.check_row(r, used)
        if all(cell_text(grid.value(r, c)) == "" for c in used):
            continue
        cells = {key: grid.where(r, c) for key, c in cols.items()}

        raw = grid.value(r, cols["datum"])
        if cell_text(raw) == "":
            raise stop(r, "datum", f"ändringen saknar datum i kolumnen {heading('datum')} (beslutets datum, "
                                   f"t.ex. {DATE_EXAMPLE})", slug="andring-datum-saknas")
        try:
            date = parse_date(raw)
        except ValueError:
            raise stop(r, "datum", f"\"{cell_text(raw)}\" är inget datum; skriv beslutets datum som {DATE_EXAMPLE}",
                       slug="andring-datum-ogiltigt") from None

        line = cell_text(grid.value(r, cols["rad"]))
        if not line:
            raise stop(r, "rad", f"ändringen saknar budgetrad i kolumnen {heading('rad')}", slug="andring-rad-saknas")

        raw = grid.value(r, cols["belopp"])
        try:
            amount = parse_ore(raw, scale)
        except AmountTooLarge:
            raise stop(r, "belopp", too_large(raw, cell_text(raw)), slug="belopp-for-stort") from None
        except ValueError:
            raise stop(r, "belopp", f"\"{cell_text(raw)}\" är inte ett belopp", slug="belopp-ogiltigt") from None
        if amount is None:
            raise stop(r, "belopp", f"ändringen saknar belopp i kolumnen {heading('belopp')}",
                       slug="andring-belopp-saknas")

        typed = cell_text(grid.value(r, cols["typ"]))
        kind = _TYPES.get(normalise_header(typed))
        if kind is None:
            if not typed:
                message = f"ändringen saknar typ ({or_list(_TYPE_NAMES)})"
            elif (meant := near_miss(typed, _TYPE_NAMES)) is not None:
                message = f"\"{typed}\" är ingen ändringstyp — menade du \"{meant}\"?"
            else:
                message = f"\"{typed}\" är ingen ändringstyp ({or_list(_TYPE_NAMES)})"
            raise stop(r, "typ", message, slug="andring-typ-ogiltig")

        from_january = False
        if "från januari" in cols and (said := cell_text(grid.value(r, cols["från januari"]))):
            from_january = _YES_NO.get(normalise_header(said))
            if from_january is None:
                words = [word.name for word in YES_NO]
                raise stop(r, "från januari", f"\"{said}\" är varken {or_list(words)} ({heading('från januari')})",
                           slug="andring-fran-januari-ogiltig")

        decision, comment = (cell_text(grid.value(r, cols[key])) if key in cols else "" for key in ("beslut", "kommentar"))
        changes.append(BudgetChange(date, line, amount, str(kind), cells["rad"], decision=decision,
                                    from_january=bool(from_january), comment=comment, cells=cells,
                                    file=grid.file))
    return changes


def check_lines(changes: list[BudgetChange], lines: list[BudgetLine]) -> None:
    """A Rad one or two letters from a line of the Budget sheet stops naming the
    line meant (whether a Rad names a line at all, and one that may be changed,
    the engine decides: it knows the tree and its Ofördelat lines)."""
    labels = [line.label for line in lines]
    known = {normalise_header(label) for label in labels}
    for change in changes:
        parts = [change.line] if normalise_header(change.line) in known else path_parts(change.line)
        for part in parts:
            if normalise_header(part) not in known and (meant := near_miss(part, labels)) is not None:
                raise InputError(f"budgetraden \"{part.strip()}\" finns inte på bladet Budget — menade du "
                                 f"\"{meant}\"?", file=change.file, where=change.cells.get("rad", change.where),
                                 slug="andring-rad-okand")
