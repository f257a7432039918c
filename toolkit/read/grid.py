"""A table of cell values with the positions to name them in messages.

A ``Grid`` is what every reader works on, whether the values come from a
workbook sheet (positions ``Utfall!G17``) or a CSV file (positions
``rad 17 (Belopp)``). Row and column indexes are 0-based here; positions are
shown the way the user sees them.

A cell that Excel shows as an error (``#REF!``, ``#N/A`` …) holds a
``CellError``: the readers stop on one in any cell they read
(``Grid.checked``), and ``cell_text`` of it is its code, never ''.  A
merged range is in ``Grid.merges``; ``read.merged`` decides what it means
in a table's columns.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..cells import column_letter
from ..errors import InputError

# Excel's error values: the code a workbook stores (and an English Excel shows),
# the name a Swedish Excel shows, and what it means
ERRORS: dict[str, tuple[str, str]] = {
    "#REF!": ("#REFERENS!", "formeln pekar på celler eller ett blad som inte finns längre"),
    "#N/A": ("#SAKNAS!", "ett värde som inte hittades, t.ex. av LETARAD eller XLETAUPP"),
    "#DIV/0!": ("#DIVISION/0!", "formeln delar med noll eller en tom cell"),
    "#VALUE!": ("#VÄRDEFEL!", "formeln räknar med ett värde av fel sort, t.ex. text"),
    "#NAME?": ("#NAMN?", "formeln använder en funktion eller ett namn som inte finns"),
    "#NUM!": ("#OGILTIGT!", "formeln ger ett tal som inte går att räkna ut"),
    "#NULL!": ("#SKÄRNING!", "formeln tar skärningen av två områden som inte möts"),
    "#SPILL!": ("#SPILL!", "formelns resultat får inte plats i cellerna intill"),
    "#CALC!": ("#CALC!", "formeln kan inte räknas ut, t.ex. en tom matris"),
    "#GETTING_DATA": ("#GETTING_DATA", "data hämtades fortfarande när arbetsboken sparades"),
}
# the text an Excel error value is saved as in a CSV file (English or Swedish Excel), upper-cased
_ERROR_TEXTS = {text.upper(): code for code, (swedish, _) in ERRORS.items() for text in (code, swedish)} | {
    text: text for text in ("#BLOCKED!", "#CONNECT!", "#FIELD!", "#UNKNOWN!", "#BUSY!", "#PYTHON!", "#EXTERNAL!")}


@dataclass(frozen=True)
class CellError:
    """A cell that holds an Excel error value (``t="e"``), by its code: '#REF!'."""

    code: str

    def __str__(self) -> str:
        return self.code

    def describe(self) -> str:
        """'#REF! (i svensk Excel #REFERENS!): formeln pekar på …'."""
        swedish, meaning = ERRORS.get(self.code, ("", "en formel som inte kan räknas ut"))
        shown = f" (i svensk Excel {swedish})" if swedish and swedish != self.code else ""
        return f"{self.code}{shown}: {meaning}"


def error_text(text: str) -> CellError | None:
    """The error value a CSV field holds when its whole text is one that Excel
    writes for an error cell (``#N/A``, ``#SAKNAS!`` …), else None."""
    if not text.startswith("#") or len(text) > 16:
        return None
    code = _ERROR_TEXTS.get(text.strip().upper())
    return CellError(code) if code else None


def blank(value: Any) -> bool:
    """An empty cell: '' or None."""
    return value is None or value == ""


@dataclass(frozen=True, order=True)
class Merge:
    """A merged range, 0-based and inclusive: Excel shows the value of its
    top-left cell in every cell of it."""

    top: int
    left: int
    bottom: int
    right: int

    def __contains__(self, cell: tuple[int, int]) -> bool:
        r, c = cell
        return self.top <= r <= self.bottom and self.left <= c <= self.right


@dataclass
class Grid:
    """Cell values of one sheet or CSV file."""

    name: str  # sheet name, or the CSV file's name
    file: str  # the file, as the user named it
    rows: Sequence[Sequence[Any]]
    is_csv: bool = False
    headers: dict[int, str] = field(default_factory=dict)  # col → header text, once found
    notes: list = field(default_factory=list)  # Findings of reading the file itself (an SIE export's remarks)
    merges: list[Merge] = field(default_factory=list)  # the sheet's merged ranges, in sheet order

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

    def where_range(self, merge: Merge) -> str:
        """'Budget!D4:D6'."""
        first = self.where(merge.top, merge.left)
        return f"{first}:{column_letter(merge.right)}{merge.bottom + 1}"

    def value(self, row: int, col: int) -> Any:
        r = self.rows[row]
        return r[col] if col < len(r) else ""

    def checked(self, row: int, col: int) -> Any:
        """The cell's value, for a cell that is read: an error value stops the run."""
        value = self.value(row, col)
        if isinstance(value, CellError):
            raise self.error_stop(row, col, value)
        return value

    def check_row(self, row: int, cols) -> None:
        """Stop on the first error value (by column) among the cells ``cols`` of ``row``."""
        for c in sorted(cols):
            self.checked(row, c)

    def error_stop(self, row: int, col: int, error: CellError) -> InputError:
        """The one line for an error value in a cell that is read."""
        if self.is_csv:
            text = f"fältet innehåller Excels felvärde {error.describe()}; rätta det i Excel och spara filen igen"
        else:
            text = f"cellen innehåller felvärdet {error.describe()}; rätta cellen och kör igen"
        return InputError(text, file=self.file, where=self.where(row, col), slug="cell-felvarde")


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
    if isinstance(value, CellError):
        return value.code  # never '': an error is not a blank cell
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()  # a date cell: '2025-01-01', as a month header reads it
    return unicodedata.normalize("NFC", str(value)).strip()
