"""The Inställningar sheet: ``Inställning`` / ``Värde`` pairs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..contract import METHODS, SETTINGS, SETTINGS_SHEET, UNITS, YES_NO, lookup, normalise_header, or_list
from ..contract.settings import (
    AMOUNTS_IN,
    EVEN_SUMS,
    FIRST_HEADING,
    LAYOUT,
    LAYOUTS,
    METHOD,
    SHOW_IN,
    STRICT,
    TRANSACTIONS,
    URVAL,
)
from ..engine.model import Condition, Settings, Urval, condition
from ..errors import InputError
from ..findings import Finding
from .grid import Grid, cell_text
from .headers import canonical, check_unique, find_header
from .merged import read_merged
from .spelling import near_miss, shown

#: every name of a setting (normalised) → its key
_NAMES = {name: setting.key for setting in SETTINGS for name in setting.names}
_YES = lookup(YES_NO)
_METHODS = lookup(METHODS)
_UNITS = lookup(UNITS)
_LAYOUTS = lookup(LAYOUTS)
_URVAL = normalise_header(URVAL)
#: the ledger's columns that are no code (an Urval is a pattern for a code column)
_NOT_CODES = {"period", "belopp", "år", "text"}


def parse_year(value: object) -> int:
    text = cell_text(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    if text.isdigit() and 1900 <= int(text) <= 2200:
        return int(text)
    raise ValueError(value)


def parse_closing_period(value: object) -> tuple[int | None, int]:
    """'8', '2022-08', '202208', 2208 → (year or None, month)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year, value.month
    text = cell_text(value).replace("/", "-")
    digits = text.replace("-", "")
    if text.isdigit() and 0 <= int(text) <= 12:
        return None, int(text)
    if "-" in text and len(parts := text.split("-")) == 2 and all(p.isdigit() for p in parts) \
            and len(parts[0]) == 4 and len(parts[1]) <= 2:  # 2022-08, 2022-8
        year, month = int(parts[0]), int(parts[1])
        if 0 <= month <= 12:
            return year, month
        raise ValueError(value)
    if digits.isdigit():
        if len(digits) == 6:
            year, month = int(digits[:4]), int(digits[4:])
        elif len(digits) == 4 and "-" not in text:
            year, month = 2000 + int(digits[:2]), int(digits[2:])
        else:
            raise ValueError(value)
        if 0 <= month <= 12:
            return year, month
    raise ValueError(value)


def unit_choice(value: object) -> str:
    choice = _UNITS.get(normalise_header(value).replace(".", ""))
    if choice is None:
        raise ValueError(value)
    return choice


def looks_like_settings(grid: Grid) -> bool:
    """Has the sheet the settings table's header row (Inställning, Värde)?"""
    try:
        find_header(grid, SETTINGS_SHEET.required, what="inställningar")
    except InputError:
        return False
    return True


def read_settings(grid: Grid | None, default_unit: str) -> tuple[Settings, list[Finding]]:
    values: dict[str, object] = {}
    where: dict[str, str] = {}
    findings: list[Finding] = []
    conditions: list[Condition] = []
    if grid is not None:
        header = find_header(grid, SETTINGS_SHEET.required, what="inställningar")
        check_unique(grid, header, [(name,) for name in SETTINGS_SHEET.required])
        kc, vc = header.columns["inställning"], header.columns["värde"]
        grid.check_row(header.row, range(len(grid.rows[header.row])))
        grid = read_merged(grid, header.row, {kc: header.labels[kc], vc: header.labels[vc]})
        named: dict[str, tuple[str, str]] = {}  # setting → (its name as written, the cell)
        for r in range(header.row + 1, len(grid.rows)):
            label = cell_text(grid.checked(r, kc))
            name = normalise_header(label)
            if not name:
                continue
            if name == _URVAL or name.startswith(_URVAL + " "):
                if (found := _urval_row(grid, r, kc, vc, label, named)) is not None:
                    conditions.append(found)
                continue
            key = _NAMES.get(name)
            if key is None:
                # a near miss of a known setting (Perod) would leave the setting meant unapplied: stop;
                # any other name is a row of the economist's own, noted
                if (meant := near_miss(label, _NAMES)) is not None:
                    raise InputError(f"okänd inställning \"{label}\" — menade du \"{shown(meant)}\"?",
                                     file=grid.file, where=grid.where(r, kc), slug="installning-felstavad")
                findings.append(Finding("okand-installning", grid.where(r, kc),
                                        f"inställningen \"{label}\" är okänd och används inte", "info"))
                continue
            if key in named:
                first, at = named[key]
                said = "finns redan" if normalise_header(first) == name else f"är samma inställning som \"{first}\""
                raise InputError(f"inställningen \"{label}\" {said} på {at}; ta bort den ena raden",
                                 file=grid.file, where=grid.where(r, kc), slug="installning-dubbel")
            named[key] = (label, grid.where(r, kc))
            values[key] = grid.checked(r, vc)
            where[key] = grid.where(r, vc)

    def bad(key: str, expected: str) -> InputError:
        return InputError(f"\"{cell_text(values[key])}\" är inte {expected}", file=grid.file if grid else None,
                          where=where.get(key), slug="installning-ogiltig")

    unit = cell_text(values.get("unit")) or default_unit
    year = period = None
    if cell_text(values.get("year")):
        try:
            year = parse_year(values["year"])
        except ValueError:
            raise bad("year", "ett år (t.ex. 2025)") from None
    if cell_text(values.get("period")):
        try:
            p_year, period = parse_closing_period(values["period"])
        except ValueError:
            raise bad("period", "en period (1–12 eller 2025-08)") from None
        if p_year is not None:
            if year is not None and year != p_year:
                raise InputError(f"perioden {cell_text(values['period'])} hör inte till året {year}",
                                 file=grid.file if grid else None, where=where["period"], slug="period-fel-ar")
            year = p_year
    amounts_in, show_in, method = AMOUNTS_IN.default, SHOW_IN.default, METHOD.default
    for key, default in (("amounts_in", amounts_in), ("show_in", show_in)):
        if cell_text(values.get(key)):
            try:
                choice = unit_choice(values[key])
            except ValueError:
                raise bad(key, or_list([unit.name for unit in UNITS])) from None
        else:
            choice = default
        if key == "amounts_in":
            amounts_in = choice
        else:
            show_in = choice
    if cell_text(values.get("method")):
        method = _METHODS.get(normalise_header(values["method"]), "")
        if not method:
            raise bad("method", f"en prognosmetod ({or_list([m.name for m in METHODS])})")
    ledger_files = tuple(part.strip() for part in cell_text(values.get("ledger_files")).replace("\n", ";").split(";")
                         if part.strip())
    strict = _YES[STRICT.default]
    if cell_text(values.get("strict")):
        strict = _YES.get(normalise_header(values["strict"]))
        if strict is None:
            raise bad("strict", or_list([word.name for word in YES_NO]))
    accepted = tuple(_accepted(values.get("accepted"), grid.file if grid else None, where.get("accepted")))
    layout = LAYOUT.default
    if cell_text(values.get("layout")):
        layout = _LAYOUTS.get(normalise_header(values["layout"]))
        if layout is None:
            raise bad("layout", or_list([word.name for word in LAYOUTS]))
    first_heading = cell_text(values.get("first_heading")) or FIRST_HEADING.default
    even_sums = _YES[EVEN_SUMS.default]
    if cell_text(values.get("even_sums")):
        even_sums = _YES.get(normalise_header(values["even_sums"]))
        if even_sums is None:
            raise bad("even_sums", or_list([word.name for word in YES_NO]))
    materiality_amount, materiality_percent = _materiality(values, bad)
    transactions = _YES[TRANSACTIONS.default]
    if cell_text(values.get("transactions")):
        transactions = _YES.get(normalise_header(values["transactions"]))
        if transactions is None:
            raise bad("transactions", or_list([word.name for word in YES_NO]))
    last_year_files = tuple(part.strip() for part in
                            cell_text(values.get("last_year_files")).replace("\n", ";").split(";") if part.strip())
    return Settings(unit, year, period, amounts_in, show_in, method, where, ledger_files, strict,
                    accepted, layout, first_heading, even_sums, materiality_amount, materiality_percent,
                    transactions, last_year_files=last_year_files,
                    urval=Urval(tuple(conditions), grid.file) if conditions and grid else None), findings


def _urval_row(grid: Grid, r: int, kc: int, vc: int, label: str,
               named: dict[str, tuple[str, str]]) -> Condition | None:
    """An ``Urval <kolumn>`` row: the condition its value sets (None when the
    value is blank). No column named, a column that holds no codes (Period,
    Belopp …), the same column twice, or a value that is no pattern stops."""
    column_label = " ".join(label.split()[1:])
    column = canonical(column_label)
    if not column or column in _NOT_CODES:
        said = f"{column_label} är ingen kodkolumn" if column else "kolumnen saknas"
        raise InputError(f"\"{label}\": {said}; skriv Urval och huvudbokens kolumn, t.ex. Urval Ansvar",
                         file=grid.file, where=grid.where(r, kc), slug="installning-ogiltig")
    key = f"{_URVAL} {column}"
    if key in named:
        first, at = named[key]
        said = "finns redan" if normalise_header(first) == normalise_header(label) \
            else f"är samma inställning som \"{first}\""
        raise InputError(f"inställningen \"{label}\" {said} på {at}; ta bort den ena raden",
                         file=grid.file, where=grid.where(r, kc), slug="installning-dubbel")
    named[key] = (label, grid.where(r, kc))
    text = cell_text(grid.checked(r, vc))
    if not text:
        return None
    try:
        return condition(column, column_label, text, grid.where(r, vc))
    except ValueError as exc:  # patterns.PatternError: the message names what is wrong with it
        raise InputError(str(exc), file=grid.file, where=grid.where(r, vc), slug="monster-ogiltigt") from None


def _materiality(values: dict[str, object], bad) -> tuple[int | None, Decimal | None]:
    """Väsentlighet belopp (tkr → öre) and Väsentlighet procent (10, "10 %" or
    a share below 1 such as 0,1 — a cell formatted as percent holds 0.1): each
    a number above 0, else the run stops naming the cell."""
    from ..money import parse_decimal, to_ore

    amount = percent = None
    if cell_text(values.get("materiality_amount")):
        text = values["materiality_amount"]
        if isinstance(text, str) and normalise_header(text).endswith("tkr"):
            text = normalise_header(text)[:-3]
        try:
            number = parse_decimal(text)
            amount = to_ore(number, 1000) if number is not None and number > 0 else None
        except ValueError:
            amount = None
        if amount is None or amount <= 0:
            raise bad("materiality_amount", "ett belopp i tkr större än 0 (t.ex. 50)")
    if cell_text(values.get("materiality_percent")):
        text = values["materiality_percent"]
        sign = isinstance(text, str) and text.strip().endswith("%")
        try:
            number = parse_decimal(text.strip()[:-1] if sign else text)
        except ValueError:
            number = None
        if number is None or number <= 0 or number > 1000:
            raise bad("materiality_percent", "en procentsats större än 0 (t.ex. 10 eller 10 %)")
        percent = number if sign or number >= 1 else number * 100
    return amount, percent


def _accepted(value: object, file: str | None, where: str | None) -> list[str]:
    """The slugs of ``Godkända varningar`` (separated by , ; or line breaks);
    a name that is no warning's slug stops the run (a typo would leave the
    warning standing while the economist thinks it silenced)."""
    from ..findings import SLUGS

    slugs = []
    for part in cell_text(value).replace("\n", ",").replace(";", ",").split(","):
        slug = part.strip().casefold()
        if not slug:
            continue
        if slug not in SLUGS:
            raise InputError(f"\"{part.strip()}\" är ingen varning som kan godkännas (ange varningens typ som den "
                             "står på Avstämning, t.ex. negativ-kostnadsbudget)", file=file, where=where,
                             slug="godkand-varning-okand")
        slugs.append(slug)
    return slugs
