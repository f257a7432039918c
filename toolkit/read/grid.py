"""A table of cell values with the positions to name them in messages.

A ``Grid`` is what every reader works on, whether the values come from a
workbook sheet (positions ``Utfall!G17``) or a CSV file (positions
``rad 17 (Belopp)``). Row and column indexes are 0-based here; positions are
shown the way the user sees them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


def column_letter(col: int) -> str:
    """0 → 'A', 26 → 'AA'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def normalise_header(text: object) -> str:
    """Header text for matching: case-folded, trimmed, inner spaces single."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).strip().casefold()
    return " ".join(s.split())


@dataclass
class Grid:
    """Cell values of one sheet or CSV file."""

    name: str  # sheet name, or the CSV file's name
    file: str  # the file, as the user named it
    rows: Sequence[Sequence[Any]]
    is_csv: bool = False
    headers: dict[int, str] = field(default_factory=dict)  # col → header text, once found
    notes: list = field(default_factory=list)  # Findings of reading the file itself (an SIE export's remarks)

    def where(self, row: int, col: int | None = None) -> str:
        if self.is_csv:
            text = f"rad {row + 1}"
            if col is not None and col in self.headers:
                text += f" ({self.headers[col]})"
            return text
        sheet = self.name
        if re.search(r"[^\w]", sheet):
            sheet = "'" + sheet.replace("'", "''") + "'"
        if col is None:
            return f"{sheet}!{row + 1}:{row + 1}"
        return f"{sheet}!{column_letter(col)}{row + 1}"

    def value(self, row: int, col: int) -> Any:
        r = self.rows[row]
        return r[col] if col < len(r) else ""


def cell_text(value: Any) -> str:
    """A cell as code text: 6540.0 → '6540', '0123' stays '0123', blank → '',
    a date → '2025-01-01'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()  # a date cell: '2025-01-01', as a month header reads it
    return unicodedata.normalize("NFC", str(value)).strip()
