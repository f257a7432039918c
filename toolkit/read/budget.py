"""The Budget sheet: one row per line of the report tree."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..contract import BUDGET_SHEET, DIMENSIONS, INVESTMENT, LEDGER_SHEET, LINE_TYPES, lookup, normalise_header, or_list
from ..engine.model import BudgetLine
from ..errors import InputError
from ..findings import Finding
from ..money import AmountTooLarge, parse_ore, too_large
from .csvfile import check_fields
from .grid import CellError, Grid, cell_text
from .headers import ALIASES, BUDGET_FIELDS, canonical, check_unique, find_header
from .merged import read_merged
from .spelling import near_miss, shown

_TYPES = lookup(LINE_TYPES)
_TYPE_NAMES = or_list([t.name for t in LINE_TYPES])  # "Intäkt eller Kostnad"
#: the ledger's columns that are no code a Budget column could be a pattern for (Period, År, Text, Belopp)
_LEDGER_OWN = {column.key for column in LEDGER_SHEET.columns if column.key not in DIMENSIONS}
_TOTAL_LABEL = re.compile(r"^(summa|totalt|total)\b", re.IGNORECASE)
# text a line may share with the lines below it: a merged range down these columns gives each row its value
_SHARED = ("överordnad", "typ", "periodisering", "nyckel", "uppdrag", "kommentar")


def read_budget(grid: Grid, ledger_columns: set[str], scale: int,
                ledger_headers: Iterable[str] = ()) -> tuple[list[BudgetLine], list[Finding]]:
    """Budget lines in sheet order. ``scale`` is 1 for kr, 1000 for tkr.
    ``ledger_columns`` are the ledger's code columns (a Budget column of
    that name is a pattern), ``ledger_headers`` every column it names (one a
    letter or two from a Budget column's name was meant by it)."""
    header = find_header(grid, BUDGET_SHEET.required, what="budgeten")
    cols = header.columns
    findings: list[Finding] = []
    mapping: dict[str, int] = {}
    # the names a misspelled column may have meant (Nyckel's aliases Namn/Name are for Periodisering's sheet)
    known = [alias for name in (*BUDGET_FIELDS, *DIMENSIONS) if name != "nyckel" for alias in ALIASES[name]]
    known += sorted((set(ledger_columns) | set(ledger_headers)) - _LEDGER_OWN)
    for c, label in sorted(header.labels.items()):
        name = canonical(label)
        if name in BUDGET_FIELDS:
            continue
        if name in DIMENSIONS or name in ledger_columns:
            mapping.setdefault(name, c)
        elif (meant := near_miss(label, known)) is not None:
            raise InputError(f"okänd kolumn \"{label}\" — menade du \"{shown(meant)}\"?", file=grid.file,
                             where=grid.where(header.row, c), slug="kolumn-felstavad")
        else:
            findings.append(Finding("okand-kolumn", grid.where(header.row, c),
                                    f"kolumnen \"{label}\" finns inte i huvudboken och används inte", "info"))
    # every column read, once: the fields (Periodisering or Nyckel for the key) and the patterns
    check_unique(grid, header, [("periodisering", "nyckel"),
                                *((name,) for name in BUDGET_FIELDS if name not in ("periodisering", "nyckel")),
                                *((name,) for name in mapping)])
    if grid.is_csv:
        check_fields(grid, header, {cols["rad"]: BUDGET_SHEET.column("rad").name})
    key_col = cols.get("periodisering", cols.get("nyckel"))
    used = {c: header.labels[c] for c in [cols[name] for name in BUDGET_FIELDS if name in cols and
                                          (name != "nyckel" or key_col == cols[name])] + list(mapping.values())}
    grid.check_row(header.row, range(len(grid.rows[header.row])))
    grid = read_merged(grid, header.row, used, {cols[name] for name in _SHARED if cols.get(name) in used})

    def text(r: int, name: str) -> str:
        c = key_col if name == "periodisering" else cols.get(name)
        return cell_text(grid.value(r, c)) if c is not None else ""

    def money(r: int, name: str) -> int | None:
        c = cols.get(name)
        if c is None:
            return None
        value = grid.value(r, c)
        try:
            return parse_ore(value, scale)
        except AmountTooLarge:
            raise InputError(too_large(value, cell_text(value)), file=grid.file, where=grid.where(r, c),
                             slug="belopp-for-stort") from None
        except ValueError:
            raise InputError(f"\"{cell_text(value)}\" är inte ett belopp", file=grid.file,
                             where=grid.where(r, c), slug="belopp-ogiltigt") from None

    lines: list[BudgetLine] = []
    seen: dict[str, BudgetLine] = {}
    rc = cols["rad"]
    for r in range(header.row + 1, len(grid.rows)):
        row = grid.rows[r]
        grid.check_row(r, used)
        if all(cell_text(v) == "" or isinstance(v, CellError) for v in row):  # errors only in columns not read
            continue
        label = text(r, "rad")
        if not label:
            raise InputError("raden saknar namn i kolumnen Rad (varje budgetrad behöver ett unikt namn)",
                             file=grid.file, where=grid.where(r, rc), slug="rad-namn-saknas")
        if _TOTAL_LABEL.match(label):
            raise InputError(f"\"{label}\" ser ut som en summarad; summor räknas ut av reconcile, ta bort raden",
                             file=grid.file, where=grid.where(r, rc), slug="summarad-i-budget")
        norm = normalise_header(label)
        if norm in seen:
            raise InputError(f"raden \"{label}\" finns redan på {seen[norm].where}; varje rad behöver ett unikt namn",
                             file=grid.file, where=grid.where(r, rc), slug="rad-dubbel")
        type_text = text(r, "typ")
        line_type = None
        if type_text:
            line_type = _TYPES.get(normalise_header(type_text))
            if line_type is None:
                raise InputError(f"\"{type_text}\" är inte en typ ({_TYPE_NAMES})", file=grid.file,
                                 where=grid.where(r, cols["typ"]), slug="typ-ogiltig")
        cells = {"rad": grid.where(r, rc)}
        for name in ("budget", "prognos", "intecknat", "överordnad", "typ", "uppdrag", "total budget",
                     "tidigare utfall"):
            if name in cols:
                cells[name] = grid.where(r, cols[name])
        if key_col is not None:
            cells["periodisering"] = grid.where(r, key_col)
        patterns = {}
        for name, c in mapping.items():
            pattern = cell_text(grid.value(r, c))
            if pattern:
                patterns[name] = pattern
                cells[name] = grid.where(r, c)
        line = BudgetLine(
            label=label,
            where=grid.where(r, rc),
            parent=text(r, "överordnad") or None,
            type=line_type,
            budget=money(r, "budget"),
            patterns=patterns,
            key=text(r, "periodisering") or None,
            assignment=text(r, "uppdrag") or None,
            forecast=money(r, "prognos"),
            committed=money(r, "intecknat"),
            comment=text(r, "kommentar") or None,
            cells=cells,
            total_budget=money(r, "total budget"),
            prior_actual=money(r, "tidigare utfall"),
        )
        seen[norm] = line
        lines.append(line)
    if not lines:
        raise InputError("budgeten har inga rader", file=grid.file, where=grid.name, slug="budget-tom")
    return lines, findings


def has_investments(grid: Grid) -> bool:
    """Has the Budget sheet a line of Typ Investering (its ledger may then need balance accounts)?"""
    header = find_header(grid, BUDGET_SHEET.required, what="budgeten")
    c = header.columns.get("typ")
    if c is None:
        return False
    return any(_TYPES.get(normalise_header(cell_text(grid.value(r, c)))) == INVESTMENT
               for r in range(header.row + 1, len(grid.rows)) if c < len(grid.rows[r]))


def mapping_columns(grid: Grid) -> set[str]:
    """The canonical names of the Budget sheet's columns (to read only those of the ledger)."""
    header = find_header(grid, BUDGET_SHEET.required, what="budgeten")
    return {canonical(label) for label in header.labels.values()}
