"""The workbook contract: every name the economist's workbook is read and
written by. Open this package to see what the workbook looks like:

- ``settings``  Inställningar (or Settings): the settings, their names and value words
- ``budget``    Budget: one row per line of the report, its columns and the Typ words
- ``ledger``    Utfall (or Ledger): the ledger export's columns, the mapping dimensions
- ``keys``      Periodisering: the key columns, the built-in keys (and the template's Listor)
- ``months``    month names in every spelling a header may have
- ``written``   the sheets reconcile writes
- ``names``     how names are compared, and the records the contract is written in

The readers (read/), the template (template.py), the engine's names
(engine/model.py) and the report's words (render/text.py) are derived from
it, and tests/test_contract.py checks it against the README's tables. Nothing
here knows files or figures."""

from __future__ import annotations

from .budget import BUDGET_SHEET, COST, INCOME, INVESTMENT, LINE_TYPES
from .changes import CHANGE_TYPES, CHANGES_SHEET, REALLOCATION
from .keys import (
    BUILT_IN,
    BUILT_IN_KEYS,
    CALENDAR_DAYS,
    KEYS_SHEET,
    LAST_YEAR_PROFILE,
    LINEAR,
    LISTS_SHEET,
    WORKING_DAYS,
)
from .ledger import DATE_NAMES, DIMENSION_NAMES, DIMENSIONS, LEDGER_SHEET, MATRIX_MONTHS
from .months import MONTH_HEADERS, MONTH_NAMES, MONTH_NAMES_EN, MONTH_SPELLINGS, MONTHS, months_text
from .names import PATH_SEPARATOR, Column, Method, Setting, Sheet, Word, and_list, lookup, normalise_header, or_list
from .settings import LAYOUTS, METHODS, SETTINGS, SETTINGS_SHEET, UNITS, YES_NO
from .written import (
    CONSOLIDATION_SHEETS,
    MONTHLY_SHEET,
    PER_UNIT_SHEET,
    RESULT_SHEET,
    SUMMARY_COMMENT_HEADING,
    SUMMARY_FIRST_HEADING,
    SUMMARY_SHEET,
    TIEOUT_SHEET,
    UNIT_SHEETS,
)

#: the sheets the economist fills in, in the template's order
INPUT_SHEETS = (SETTINGS_SHEET, BUDGET_SHEET, LEDGER_SHEET, KEYS_SHEET)


def named_columns() -> dict[str, Column]:
    """Every column the readers find by name (not the months, not what is only
    written), by key; a key on two sheets (Konto on Budget and Utfall) has one
    set of names."""
    found: dict[str, Column] = {}
    for sheet in (BUDGET_SHEET, LEDGER_SHEET, KEYS_SHEET, SETTINGS_SHEET):
        for column in sheet.columns:
            if column.read and not column.month:
                found.setdefault(column.key, column)
    return found


__all__ = [
    "BUDGET_SHEET", "BUILT_IN", "CHANGES_SHEET", "CHANGE_TYPES", "REALLOCATION",
    "BUILT_IN_KEYS", "CALENDAR_DAYS", "CONSOLIDATION_SHEETS", "COST", "Column",
    "DATE_NAMES", "DIMENSIONS", "DIMENSION_NAMES", "INCOME", "INPUT_SHEETS", "INVESTMENT", "KEYS_SHEET",
    "LAST_YEAR_PROFILE", "LAYOUTS", "LEDGER_SHEET", "LINEAR",
    "LINE_TYPES", "LISTS_SHEET", "MATRIX_MONTHS", "METHODS", "MONTHLY_SHEET", "MONTHS", "MONTH_HEADERS", "MONTH_NAMES",
    "MONTH_NAMES_EN", "MONTH_SPELLINGS", "Method", "PATH_SEPARATOR", "PER_UNIT_SHEET", "RESULT_SHEET", "SETTINGS",
    "SETTINGS_SHEET",
    "SUMMARY_COMMENT_HEADING", "SUMMARY_FIRST_HEADING",
    "SUMMARY_SHEET", "Setting", "Sheet", "TIEOUT_SHEET", "UNITS", "UNIT_SHEETS", "WORKING_DAYS", "Word", "YES_NO",
    "and_list", "lookup", "months_text", "named_columns", "normalise_header", "or_list",
]
