"""Month names: as the sheets abbreviate them, in running text, and every
spelling a month header may have (Periodisering's Jan … Dec, a monthly
matrix's month columns)."""

from __future__ import annotations

from collections.abc import Iterable

from .names import and_list

#: months as the sheets and the summary line abbreviate them ("jan–aug")
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
#: months in running text ("januari–augusti")
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
               "november", "december")
#: months as an English export names them
MONTH_NAMES_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                  "november", "december")
#: month headers as the template writes them: Jan … Dec
MONTH_HEADERS = tuple(m.capitalize() for m in MONTHS)
#: English abbreviations that differ from the Swedish ones, and Sept
OTHER_SPELLINGS = (("may", 5), ("oct", 10), ("sept", 9))

#: every spelling of a month header (normalised, without a trailing dot) → month 1–12
MONTH_SPELLINGS: dict[str, int] = {
    **{m: i for i, m in enumerate(MONTHS, 1)},
    **{m: i for i, m in enumerate(MONTH_NAMES, 1)},
    **{m: i for i, m in enumerate(MONTH_NAMES_EN, 1)},
    **dict(OTHER_SPELLINGS),
}


def months_text(periods: Iterable[int]) -> str:
    """yyyymm periods as Swedish text: 'mars och april 2025', 'december 2024 och januari 2025'."""
    by_year: dict[int, list[int]] = {}
    for p in sorted(set(periods)):
        by_year.setdefault(p // 100, []).append(p % 100)
    return and_list([f"{and_list([MONTH_NAMES[m - 1] for m in months])} {year}" for year, months in by_year.items()])
