"""``reconcile init``: a new, empty budget workbook the toolkit can read.

The sheets follow the workbook contract (Inställningar, Budget, Utfall,
Periodisering, Budgetändringar) with bold frozen headers, an input message on every header cell
and drop-down lists where a column has a fixed vocabulary.

The Periodisering column of Budget offers the built-in keys *and* the custom
keys the economist types on the Periodisering sheet.  The built-ins must not be
rows there (their weights depend on the year), so a hidden sheet ``Listor``
lists them, followed by formulas mirroring ``Periodisering!A2:A100``; the
validation list is ``OFFSET(Listor!$A$1, …, 4 + COUNTA(Periodisering!A2:A100))``
so the drop-down shows exactly the built-ins plus the typed keys, in Excel and
LibreOffice alike.  Its error style is a *warning*, not a stop: a key name the
list does not know can still be typed after confirming.

The writers below are also used by ``workbooks/build.py`` so the example
workbooks carry the same headers, formats and validations as a fresh template.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date as date_type
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .contract import (
    BUDGET_SHEET,
    BUILT_IN,
    CHANGE_TYPES,
    CHANGES_SHEET,
    KEYS_SHEET,
    LEDGER_SHEET,
    LINE_TYPES,
    LISTS_SHEET,
    MATRIX_MONTHS,
    SETTINGS,
    SETTINGS_SHEET,
    YES_NO,
    Column,
    Setting,
    or_list,
)
from .contract.settings import YEAR as YEAR_SETTING
from .errors import InputError, os_reason

#: fixed creation date: the same input gives a byte-identical file
CREATED = datetime(2025, 1, 1)

#: data validations cover the rows 2..MAX_ROW of Budget and Periodisering
MAX_BUDGET_ROW = 1000
MAX_KEY_ROW = 100

#: the columns and settings the template writes (``toolkit.contract`` has what each means and how it is read)
BUDGET_COLUMNS: tuple[Column, ...] = tuple(c for c in BUDGET_SHEET.columns if c.template)
LEDGER_COLUMNS: tuple[Column, ...] = tuple(c for c in LEDGER_SHEET.columns if c.template)
KEY_COLUMNS: tuple[Column, ...] = KEYS_SHEET.columns
TEMPLATE_SETTINGS: tuple[Setting, ...] = tuple(s for s in SETTINGS if s.template)


def setting_validation(setting: Setting) -> dict | None:
    """The Värde cell's validation: a drop-down of the setting's words (its
    default first), or a range of whole numbers."""
    if setting.choices:
        names = [word.name for word in setting.choices]
        return {"validate": "list", "source": [setting.default, *(n for n in names if n != setting.default)]}
    if setting.whole:
        low, high = setting.whole
        return {"validate": "integer", "criteria": "between", "minimum": low, "maximum": high}
    return None


@dataclass
class Formats:
    header: object
    budget: object
    amount: object
    code: object

    def for_kind(self, kind: str):
        return {"budget": self.budget, "amount": self.amount, "code": self.code}.get(kind)


def new_workbook(target, *, title: str, comments: str = "") -> tuple[Workbook, Formats]:
    """An XlsxWriter workbook with fixed properties and the shared formats. Every
    string is written as text: a value "=1+1" or "http://…" stays what was typed
    (XlsxWriter's ``write()`` would make a formula or a hyperlink of it)."""
    workbook = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": title, "comments": comments, "created": CREATED})
    formats = Formats(
        header=workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#E7ECF3", "valign": "top"}),
        budget=workbook.add_format({"num_format": "#,##0"}),
        amount=workbook.add_format({"num_format": "#,##0.00"}),
        code=workbook.add_format({"align": "left"}),
    )
    return workbook, formats


def _header_row(sheet: Worksheet, formats: Formats, columns: Sequence[Column]) -> None:
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column.name, formats.header)
        sheet.set_column(c, c, column.width, formats.for_kind(column.kind))
        sheet.data_validation(
            0,
            c,
            0,
            c,
            {"validate": "any", "input_title": column.name[:32], "input_message": column.help},
        )
    sheet.freeze_panes(1, 0)


def _write_rows(sheet: Worksheet, columns: Sequence[Column], rows: Iterable[Mapping[str, object]], formats: Formats) -> int:
    """Rows (column name → value; missing or None = blank) from row 2 on; returns the count."""
    count = 0
    for r, row in enumerate(rows, start=1):
        unknown = set(row) - {c.name for c in columns}
        if unknown:
            raise ValueError(f"unknown columns {sorted(unknown)}")
        for c, column in enumerate(columns):
            value = row.get(column.name)
            if value is None or value == "":
                continue
            sheet.write(r, c, value, formats.for_kind(column.kind))
        count += 1
    return count


def _select(all_columns: Sequence[Column], names: Sequence[str] | None) -> list[Column]:
    if names is None:
        return list(all_columns)
    by_name = {c.name: c for c in all_columns}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise ValueError(f"unknown columns {missing}")
    return [by_name[n] for n in names]


def add_settings_sheet(workbook: Workbook, formats: Formats, values: Mapping[str, object],
                       more: Sequence[tuple[str, str, str]] = ()) -> Worksheet:
    """Inställningar: one row per setting with its value and a Swedish explanation;
    ``more``: rows (name, value, explanation) after them (``Urval Ansvar`` …)."""
    unknown = set(values) - {s.name for s in TEMPLATE_SETTINGS}
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}")
    sheet = workbook.add_worksheet(SETTINGS_SHEET.name)
    _header_row(sheet, formats, SETTINGS_SHEET.columns)
    for r, setting in enumerate(TEMPLATE_SETTINGS, start=1):
        sheet.write_string(r, 0, setting.name)
        value = values.get(setting.name, setting.default)
        if value is not None and value != "":
            sheet.write(r, 1, value, formats.code)
        sheet.write_string(r, 2, setting.help)
        validation = setting_validation(setting)
        if validation:
            sheet.data_validation(r, 1, r, 1, {**validation, "error_title": setting.name})
    for r, (name, value, help_text) in enumerate(more, start=len(TEMPLATE_SETTINGS) + 1):
        sheet.write_string(r, 0, name)
        sheet.write_string(r, 1, value, formats.code)
        sheet.write_string(r, 2, help_text)
    return sheet


def add_budget_sheet(
    workbook: Workbook,
    formats: Formats,
    rows: Iterable[Mapping[str, object]] = (),
    columns: Sequence[str] | None = None,
) -> Worksheet:
    """Budget with drop-downs for Typ, Överordnad and Periodisering (needs the Listor sheet)."""
    cols = _select(BUDGET_COLUMNS, columns)
    sheet = workbook.add_worksheet(BUDGET_SHEET.name)
    _header_row(sheet, formats, cols)
    sheet.freeze_panes(1, 1)
    _write_rows(sheet, cols, rows, formats)
    index = {c.key: i for i, c in enumerate(cols)}
    header = {c.key: c.name for c in BUDGET_SHEET.columns}
    types = [word.name for word in LINE_TYPES]
    last = MAX_BUDGET_ROW - 1
    if "typ" in index:
        c = index["typ"]
        sheet.data_validation(
            1, c, last, c,
            {
                "validate": "list",
                "source": types,
                "error_title": header["typ"],
                "error_message": f"{header['typ']} ska vara {or_list(types)} (eller tom).",
            },
        )
    if "överordnad" in index:
        c = index["överordnad"]
        sheet.data_validation(
            1, c, last, c,
            {
                "validate": "list",
                "source": f"=$A$2:$A${MAX_BUDGET_ROW}",
                "error_type": "warning",
                "error_title": header["överordnad"],
                "error_message": f"{header['överordnad']} ska vara namnet på en annan rad i kolumnen {header['rad']}.",
            },
        )
    if "periodisering" in index:
        c = index["periodisering"]
        sheet.data_validation(
            1, c, last, c,
            {
                "validate": "list",
                "source": key_list_formula(),
                "error_type": "warning",
                "error_title": header["periodisering"],
                "error_message": "Okänd nyckel. Inbyggda: " + ", ".join(BUILT_IN)
                + f". Egna nycklar skrivs på bladet {KEYS_SHEET.name}.",
            },
        )
    for column in BUDGET_COLUMNS:  # the amounts: Budget, Prognos, Intecknat
        if column.kind == "budget" and column.key in index:
            name, c = column.name, index[column.key]
            sheet.data_validation(
                1, c, last, c,
                {
                    "validate": "decimal",
                    "criteria": ">=",
                    "value": 0,
                    "error_type": "warning",
                    "error_title": name,
                    "error_message": "Beloppen skrivs positiva, både för intäkter och kostnader.",
                },
            )
    return sheet


def key_list_formula() -> str:
    """The Periodisering drop-down: the built-ins plus the keys on the Periodisering sheet."""
    n = len(BUILT_IN)
    return f"=OFFSET({LISTS_SHEET.name}!$A$1,0,0,{n}+COUNTA({KEYS_SHEET.name}!$A$2:$A${MAX_KEY_ROW}),1)"


def add_ledger_sheet(
    workbook: Workbook,
    formats: Formats,
    rows: Iterable[Mapping[str, object]] = (),
    columns: Sequence[str] | None = None,
) -> Worksheet:
    """Utfall in the transaction layout (or the monthly matrix when ``columns`` name months)."""
    cols = list(LEDGER_COLUMNS) if columns is None else _select((*LEDGER_COLUMNS, *MATRIX_MONTHS), columns)
    sheet = workbook.add_worksheet(LEDGER_SHEET.name)
    _header_row(sheet, formats, cols)
    _write_rows(sheet, cols, rows, formats)
    return sheet


def add_keys_sheet(workbook: Workbook, formats: Formats, keys: Mapping[str, Sequence[float]] = ()) -> Worksheet:
    """Periodisering: custom keys, one row each (never the built-ins)."""
    sheet = workbook.add_worksheet(KEYS_SHEET.name)
    _header_row(sheet, formats, KEY_COLUMNS)
    for r, (name, weights) in enumerate(dict(keys).items(), start=1):
        if name in BUILT_IN or len(weights) != 12:
            raise ValueError(f"bad custom key {name!r}")
        sheet.write_string(r, 0, name)
        for c, weight in enumerate(weights, start=1):
            sheet.write_number(r, c, weight)
    sheet.data_validation(
        1, 1, MAX_KEY_ROW - 1, 12,
        {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            "error_title": "Vikt",
            "error_message": "En vikt är ett tal som är 0 eller större.",
        },
    )
    return sheet


def add_changes_sheet(workbook: Workbook, formats: Formats, rows: Iterable[Mapping[str, object]] = ()) -> Worksheet:
    """Budgetändringar: the changes decided during the year, with drop-downs for
    Rad (the Budget sheet's lines), Typ and Från januari, and dates as dates."""
    columns = CHANGES_SHEET.columns
    sheet = workbook.add_worksheet(CHANGES_SHEET.name)
    _header_row(sheet, formats, columns)
    index = {c.key: i for i, c in enumerate(columns)}
    date = workbook.add_format({"num_format": "yyyy-mm-dd", "align": "left"})
    sheet.set_column(index["datum"], index["datum"], CHANGES_SHEET.column("datum").width, date)
    for r, row in enumerate(rows, start=1):
        unknown = set(row) - {c.name for c in columns}
        if unknown:
            raise ValueError(f"unknown columns {sorted(unknown)}")
        for column in columns:
            value = row.get(column.name)
            if value is None or value == "":
                continue
            c = index[column.key]
            if isinstance(value, (datetime, date_type)):
                sheet.write_datetime(r, c, value, date)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value, formats.for_kind(column.kind))
    last = MAX_BUDGET_ROW - 1
    header = {c.key: c.name for c in columns}
    types = [word.name for word in CHANGE_TYPES]
    lists = {
        "typ": {"validate": "list", "source": types,
                "error_message": f"{header['typ']} ska vara {or_list(types)}."},
        "från januari": {"validate": "list", "source": [word.name for word in YES_NO],
                         "error_message": f"{header['från januari']} ska vara ja, nej eller tom."},
        "rad": {"validate": "list", "source": f"={BUDGET_SHEET.name}!$A$2:$A${MAX_BUDGET_ROW}", "error_type": "warning",
                "error_message": f"{header['rad']} ska vara en rad på bladet {BUDGET_SHEET.name} (inte en rubrikrad)."},
        "datum": {"validate": "date", "criteria": ">=", "value": datetime(2000, 1, 1), "error_type": "warning",
                  "error_message": "Skriv beslutets datum, t.ex. 2025-06-15."},
    }
    for key, validation in lists.items():
        c = index[key]
        sheet.data_validation(1, c, last, c, {**validation, "error_title": header[key]})
    sheet.freeze_panes(1, 0)
    return sheet


def add_lists_sheet(workbook: Workbook, keys: Iterable[str] = ()) -> Worksheet:
    """The hidden helper sheet behind the Periodisering drop-down.

    ``keys`` are the custom keys already on the Periodisering sheet; they only
    seed the cached formula values (so readers that do not recalculate see them).
    """
    sheet = workbook.add_worksheet(LISTS_SHEET.name)
    for r, name in enumerate(BUILT_IN):
        sheet.write_string(r, 0, name)
    cached = list(keys)
    for i in range(MAX_KEY_ROW - 1):
        source = f"{KEYS_SHEET.name}!A{i + 2}"
        value = cached[i] if i < len(cached) else ""
        sheet.write_formula(len(BUILT_IN) + i, 0, f'=IF({source}="","",{source})', None, value)
    sheet.set_column(0, 0, 18)
    sheet.hide()
    return sheet


def write_template(path, year: int) -> None:
    """Write a new, empty budget workbook for ``year``; never overwrites a file."""
    path = Path(path)
    if path.exists():
        raise InputError("filen finns redan; välj ett annat namn", file=str(path), slug="fil-finns-redan")
    if path.suffix.lower() != ".xlsx":
        raise InputError("filnamnet ska sluta på .xlsx", file=str(path), slug="filnamn-ogiltigt")
    buffer = io.BytesIO()
    workbook, formats = new_workbook(
        buffer, title=f"Budgetuppföljning {year}", comments="Skapad med reconcile init"
    )
    add_settings_sheet(workbook, formats, {YEAR_SETTING.name: year})
    add_budget_sheet(workbook, formats)
    add_ledger_sheet(workbook, formats)
    add_keys_sheet(workbook, formats)
    add_changes_sheet(workbook, formats)
    add_lists_sheet(workbook)
    workbook.close()
    write_new(path, buffer.getvalue())


def write_new(path, data: bytes) -> None:
    """A new workbook's bytes to ``path``, never over an existing file."""
    try:
        with open(path, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise InputError("filen finns redan; välj ett annat namn", file=str(path), slug="fil-finns-redan") from None
    except OSError as exc:
        raise InputError(f"kan inte skriva filen ({os_reason(exc)})", file=str(path), slug="fil-oskrivbar") from exc
