"""The workbook contract: what the economist's workbook is read by — names
compared as the sheets' headers are, the mapping dimensions, month names,
the built-in periodisation keys.  Every layer reads it from here; nothing
here knows files or figures."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def normalise_header(text: object) -> str:
    """A name as names are compared (headers, labels, keys, settings):
    case-folded, trimmed, inner spaces single, Unicode composed."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).strip().casefold()
    return " ".join(s.split())


#: the mapping dimensions known by name, in the order used for specificity
DIMENSIONS = ("konto", "ansvar", "verksamhet", "aktivitet", "projekt", "objekt", "motpart")

#: months as the sheets abbreviate them, and their names in running text
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
               "november", "december")

#: the built-in periodisation keys (used without a row on Periodisering)
LINEAR = "Linjär"
CALENDAR_DAYS = "Kalenderdagar"
WORKING_DAYS = "Arbetsdagar"
BUILT_IN = (LINEAR, CALENDAR_DAYS, WORKING_DAYS)


def and_list(words: list[str]) -> str:
    """["a", "b", "c"] → "a, b och c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def months_text(periods: Iterable[int]) -> str:
    """yyyymm periods as Swedish text: 'mars och april 2025', 'december 2024 och januari 2025'."""
    by_year: dict[int, list[int]] = {}
    for p in sorted(set(periods)):
        by_year.setdefault(p // 100, []).append(p % 100)
    return and_list([f"{and_list([MONTH_NAMES[m - 1] for m in months])} {year}" for year, months in by_year.items()])


#: how a line's label path is shown and typed (Avstämning, the notes kept under the table): "Verksamhet › Personal"
PATH_SEPARATOR = " › "
