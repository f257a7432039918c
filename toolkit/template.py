"""``reconcile init``: a new, empty budget workbook the toolkit can read.

The sheets follow the workbook contract (Inställningar, Budget, Utfall,
Periodisering) with bold frozen headers, an input message on every header cell
and drop-down lists where a column has a fixed vocabulary.

The Periodisering column of Budget offers the built-in keys *and* the custom
keys the economist types on the Periodisering sheet.  The built-ins must not be
rows there (their weights depend on the year), so a hidden sheet ``Listor``
lists them, followed by formulas mirroring ``Periodisering!A2:A100``; the
validation list is ``OFFSET(Listor!$A$1, …, 3 + COUNTA(Periodisering!A2:A100))``
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
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .errors import InputError, os_reason

#: fixed creation date: the same input gives a byte-identical file
CREATED = datetime(2025, 1, 1)

SETTINGS_SHEET = "Inställningar"
BUDGET_SHEET = "Budget"
LEDGER_SHEET = "Utfall"
KEYS_SHEET = "Periodisering"
LISTS_SHEET = "Listor"

BUILTIN_KEYS = ("Linjär", "Kalenderdagar", "Arbetsdagar")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec")
MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
MAPPING_COLUMNS = ("Konto", "Ansvar", "Verksamhet", "Aktivitet", "Projekt", "Objekt", "Motpart")
LINE_TYPES = ("Intäkt", "Kostnad")
AMOUNT_UNITS = ("kr", "tkr")
DISPLAY_UNITS = ("tkr", "kr")
FORECAST_METHODS = ("budget", "rest", "trend")

#: data validations cover the rows 2..MAX_ROW of Budget and Periodisering
MAX_BUDGET_ROW = 1000
MAX_KEY_ROW = 100


@dataclass(frozen=True)
class Column:
    """A sheet column: header, width, number format kind and the input message."""

    name: str
    width: float
    kind: str  # "text" | "budget" (#,##0) | "amount" (#,##0.00) | "weight" | "code"
    help: str


def _mapping_help(name: str) -> str:
    return (
        f"Vilka {name.lower()}-värden i Utfall som hör till raden: 6540, en lista 4010, 4020, "
        "ett intervall 4000-4999 eller ett prefix 40*. Tomt = samma som överordnad rad "
        "(på översta nivån: alla)."
    )


BUDGET_COLUMNS: tuple[Column, ...] = (
    Column("Rad", 30, "text", "Radens namn, unikt på bladet. Visas i rapporterna."),
    Column("Överordnad", 26, "text", "Namnet på raden som den här raden ingår i. Tomt = översta nivån."),
    Column("Typ", 10, "text", "Intäkt eller Kostnad. Tomt = samma som överordnad rad."),
    Column(
        "Budget",
        13,
        "budget",
        "Årsbudget, positiv för både intäkter och kostnader (kr eller tkr enligt Inställningar). "
        "Är budgeten större än underradernas summa läggs resten på en rad Ofördelat.",
    ),
    *(Column(name, 13, "code", _mapping_help(name)) for name in MAPPING_COLUMNS),
    Column(
        "Periodisering",
        15,
        "text",
        "Periodiseringsnyckel: Linjär, Kalenderdagar, Arbetsdagar eller en egen nyckel från bladet "
        "Periodisering. Tomt = överordnad rads nyckel (annars Linjär).",
    ),
    Column("Uppdrag", 18, "text", "Uppdrag i resultaträkningen, t.ex. Politik. Tomt = överordnad rads uppdrag."),
    Column("Prognos", 13, "budget", "Egen helårsprognos för raden (valfritt). Går före prognosmetoden i Inställningar."),
    Column("Intecknat", 13, "budget", "Belopp som är utlovat men ännu inte bokat (valfritt)."),
    Column("Kommentar", 50, "text", "Fri text som följer med till rapporten (valfritt)."),
)

LEDGER_COLUMNS: tuple[Column, ...] = (
    Column(
        "Period",
        10,
        "code",
        "Klistra in exporten från ekonomisystemet från rad 2. Period: 202508, 2025-08 eller ett datum.",
    ),
    Column("Konto", 9, "code", "Konto (Kommun-Bas: 3 intäkter, 4 köp, 5 personal, 6–7 övriga kostnader)."),
    *(Column(name, 11, "code", f"Kod för {name.lower()} från ekonomisystemet (valfritt).") for name in MAPPING_COLUMNS[1:]),
    Column("Text", 44, "text", "Verifikationstext (valfritt)."),
    Column(
        "Belopp",
        14,
        "amount",
        "Belopp i kr, debet positivt: kostnader positiva, intäkter negativa (som i exporten).",
    ),
)

#: the monthly-matrix ledger layout: one row per account/dimensions, Jan … Dec amounts
MATRIX_MONTH_HELP = (
    "Belopp i kr för {month}, kostnader positiva och intäkter negativa. "
    "Lämna tomt för månader som inte är bokade än."
)

KEY_COLUMNS: tuple[Column, ...] = (
    Column(
        "Nyckel",
        18,
        "text",
        "Namn på en egen periodiseringsnyckel. Linjär, Kalenderdagar och Arbetsdagar finns redan "
        "och ska inte skrivas här.",
    ),
    *(
        Column(m, 7, "weight", f"Vikt för {name}: ett tal ≥ 0. Vikterna räknas om till andelar av året.")
        for m, name in zip(MONTHS, MONTH_NAMES)
    ),
)


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    validation: dict | None


SETTINGS: tuple[Setting, ...] = (
    Setting("Enhet", None, "Enhetens namn, visas i rubrikerna (t.ex. Lokal nämnd Halmstad).", None),
    Setting(
        "År",
        None,
        "Budgetåret.",
        {"validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100},
    ),
    Setting(
        "Period",
        None,
        "Sista månaden som ingår (1–12). Tomt = senaste månaden med bokningar i Utfall.",
        {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 12},
    ),
    Setting(
        "Belopp i",
        "kr",
        "Enhet för beloppen på bladet Budget (Budget, Prognos, Intecknat): kr eller tkr.",
        {"validate": "list", "source": list(AMOUNT_UNITS)},
    ),
    Setting("Visa i", "tkr", "Enhet i rapporterna: tkr eller kr.", {"validate": "list", "source": list(DISPLAY_UNITS)}),
    Setting(
        "Prognosmetod",
        "budget",
        "budget = prognosen är lika med budgeten; rest = utfall hittills + resterande månaders budget; "
        "trend = utfall hittills uppräknat efter nyckeln. En egen Prognos på bladet Budget går alltid före.",
        {"validate": "list", "source": list(FORECAST_METHODS)},
    ),
    Setting(
        "Utfallsfil",
        None,
        "Tomt = bladet Utfall. Annars huvudboksexporten (CSV, SIE eller arbetsbok) relativt den här filens mapp, "
        "t.ex. exporter/2025-*.csv; flera åtskilda med ;.",
        None,
    ),
)


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


def add_settings_sheet(workbook: Workbook, formats: Formats, values: Mapping[str, object]) -> Worksheet:
    """Inställningar: one row per setting with its value and a Swedish explanation."""
    unknown = set(values) - {s.name for s in SETTINGS}
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}")
    sheet = workbook.add_worksheet(SETTINGS_SHEET)
    columns = (
        Column("Inställning", 16, "text", "Inställningens namn. Ändra inte texten i den här kolumnen."),
        Column("Värde", 24, "code", "Inställningens värde; tomt = standardvärdet som står i Förklaring."),
        Column("Förklaring", 100, "text", "Hjälptext; toolkit läser inte den här kolumnen."),
    )
    _header_row(sheet, formats, columns)
    for r, setting in enumerate(SETTINGS, start=1):
        sheet.write_string(r, 0, setting.name)
        value = values.get(setting.name, setting.default)
        if value is not None and value != "":
            sheet.write(r, 1, value, formats.code)
        sheet.write_string(r, 2, setting.help)
        if setting.validation:
            sheet.data_validation(r, 1, r, 1, {**setting.validation, "error_title": setting.name})
    return sheet


def add_budget_sheet(
    workbook: Workbook,
    formats: Formats,
    rows: Iterable[Mapping[str, object]] = (),
    columns: Sequence[str] | None = None,
) -> Worksheet:
    """Budget with drop-downs for Typ, Överordnad and Periodisering (needs the Listor sheet)."""
    cols = _select(BUDGET_COLUMNS, columns)
    sheet = workbook.add_worksheet(BUDGET_SHEET)
    _header_row(sheet, formats, cols)
    sheet.freeze_panes(1, 1)
    _write_rows(sheet, cols, rows, formats)
    index = {c.name: i for i, c in enumerate(cols)}
    last = MAX_BUDGET_ROW - 1
    if "Typ" in index:
        c = index["Typ"]
        sheet.data_validation(
            1, c, last, c,
            {
                "validate": "list",
                "source": list(LINE_TYPES),
                "error_title": "Typ",
                "error_message": "Typ ska vara Intäkt eller Kostnad (eller tom).",
            },
        )
    if "Överordnad" in index:
        c = index["Överordnad"]
        sheet.data_validation(
            1, c, last, c,
            {
                "validate": "list",
                "source": f"=$A$2:$A${MAX_BUDGET_ROW}",
                "error_type": "warning",
                "error_title": "Överordnad",
                "error_message": "Överordnad ska vara namnet på en annan rad i kolumnen Rad.",
            },
        )
    if "Periodisering" in index:
        c = index["Periodisering"]
        sheet.data_validation(
            1, c, last, c,
            {
                "validate": "list",
                "source": key_list_formula(),
                "error_type": "warning",
                "error_title": "Periodisering",
                "error_message": "Okänd nyckel. Inbyggda: " + ", ".join(BUILTIN_KEYS)
                + ". Egna nycklar skrivs på bladet Periodisering.",
            },
        )
    for name in ("Budget", "Prognos", "Intecknat"):
        if name in index:
            c = index[name]
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
    n = len(BUILTIN_KEYS)
    return f"=OFFSET({LISTS_SHEET}!$A$1,0,0,{n}+COUNTA({KEYS_SHEET}!$A$2:$A${MAX_KEY_ROW}),1)"


def add_ledger_sheet(
    workbook: Workbook,
    formats: Formats,
    rows: Iterable[Mapping[str, object]] = (),
    columns: Sequence[str] | None = None,
) -> Worksheet:
    """Utfall in the transaction layout (or the monthly matrix when ``columns`` name months)."""
    known = (*LEDGER_COLUMNS, *(Column(m, 13, "amount", MATRIX_MONTH_HELP.format(month=n)) for m, n in zip(MONTHS, MONTH_NAMES)))
    cols = list(LEDGER_COLUMNS) if columns is None else _select(known, columns)
    sheet = workbook.add_worksheet(LEDGER_SHEET)
    _header_row(sheet, formats, cols)
    _write_rows(sheet, cols, rows, formats)
    return sheet


def add_keys_sheet(workbook: Workbook, formats: Formats, keys: Mapping[str, Sequence[float]] = ()) -> Worksheet:
    """Periodisering: custom keys, one row each (never the built-ins)."""
    sheet = workbook.add_worksheet(KEYS_SHEET)
    _header_row(sheet, formats, KEY_COLUMNS)
    for r, (name, weights) in enumerate(dict(keys).items(), start=1):
        if name in BUILTIN_KEYS or len(weights) != 12:
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


def add_lists_sheet(workbook: Workbook, keys: Iterable[str] = ()) -> Worksheet:
    """The hidden helper sheet behind the Periodisering drop-down.

    ``keys`` are the custom keys already on the Periodisering sheet; they only
    seed the cached formula values (so readers that do not recalculate see them).
    """
    sheet = workbook.add_worksheet(LISTS_SHEET)
    for r, name in enumerate(BUILTIN_KEYS):
        sheet.write_string(r, 0, name)
    cached = list(keys)
    for i in range(MAX_KEY_ROW - 1):
        source = f"{KEYS_SHEET}!A{i + 2}"
        value = cached[i] if i < len(cached) else ""
        sheet.write_formula(len(BUILTIN_KEYS) + i, 0, f'=IF({source}="","",{source})', None, value)
    sheet.set_column(0, 0, 18)
    sheet.hide()
    return sheet


def write_template(path, year: int) -> None:
    """Write a new, empty budget workbook for ``year``; never overwrites a file."""
    path = Path(path)
    if path.exists():
        raise InputError("filen finns redan; välj ett annat namn", file=str(path))
    if path.suffix.lower() != ".xlsx":
        raise InputError("filnamnet ska sluta på .xlsx", file=str(path))
    buffer = io.BytesIO()
    workbook, formats = new_workbook(
        buffer, title=f"Budgetuppföljning {year}", comments="Skapad med reconcile init"
    )
    add_settings_sheet(workbook, formats, {"År": year})
    add_budget_sheet(workbook, formats)
    add_ledger_sheet(workbook, formats)
    add_keys_sheet(workbook, formats)
    add_lists_sheet(workbook)
    workbook.close()
    try:
        with open(path, "xb") as handle:
            handle.write(buffer.getvalue())
    except FileExistsError:
        raise InputError("filen finns redan; välj ett annat namn", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"kan inte skriva filen ({os_reason(exc)})", file=str(path)) from exc
