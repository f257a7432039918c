"""Tiny workbooks written in the test: {sheet: rows} → .xlsx via XlsxWriter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter


class Err(str):
    """An Excel error value in a cell (written as a formula's cached error, as Excel saves it)."""


def write_workbook(path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> Path:
    """``sheets`` as an .xlsx written with XlsxWriter: text as text, dates as date cells, an ``Err`` as a
    formula's cached error value; ``merges`` {sheet: ["B3:B4"]} merged with the top-left value kept."""
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2000, 1, 1)})
    date = book.add_format({"num_format": "yyyy-mm-dd"})  # a date cell shows as a date, as Excel writes one
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, Err):
                    sheet.write_formula(r, c, "=Blad9!A1", None, str(value))
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, (dt.date, dt.datetime)):
                    sheet.write_datetime(r, c, value, date)
                else:
                    sheet.write(r, c, value)
        for ref in (merges or {}).get(name, []):
            r, c = xlsxwriter.utility.xl_cell_to_rowcol(ref.split(":")[0])
            value = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
            sheet.merge_range(ref, value)
    book.close()
    return path


SETTINGS = [["Inställning", "Värde"], ["Enhet", "Testnämnd"], ["År", 2025], ["Period", 8]]
BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Periodisering", "Intecknat"],
    ["Arvoden", None, None, 60000, "5011", None, None],
    ["Utveckling", None, None, 240000, "4*", "Höst", 10000],
    ["Avgifter", None, "Intäkt", 120000, "3010", None, None],
]
KEYS = [["Nyckel", "Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"],
        ["Höst", 1, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 1]]
LEDGER = [
    ["Period", "Konto", "Text", "Belopp"],
    [202503, 5011, "Arvode", 31200],
    [202506, 4010, "Workshop", 85500],
    [202508, 3010, "Avgift", -70000],
    [202508, 6110, "Okänt konto", 1000.5],
]


def small_workbook(path: Path, **replace: list[list[object]]) -> Path:
    """The DOMAIN.md worked example as a workbook; sheets can be replaced by name."""
    sheets = {"Inställningar": SETTINGS, "Budget": BUDGET, "Periodisering": KEYS, "Utfall": LEDGER}
    sheets.update({k.replace("_", " "): v for k, v in replace.items()})
    return write_workbook(path, sheets)
