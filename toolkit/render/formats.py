"""The shared cell formats and the small helpers every sheet uses."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

AMOUNT = "#,##0"
VARIANCE = "#,##0;[Red]-#,##0"  # unfavourable (negative) variances stand out in red
PERCENT = "0 %"  # an unquoted % multiplies by 100: 0.57 shows "57 %"
KR = "#,##0.00"

FONT = "Calibri"

#: XlsxWriter's ``write()`` turns a string that starts with "=" into a formula and
#: one that looks like a URL into a hyperlink. Text from the inputs (an Enhet, a
#: line's label, a code, a comment) is text: it is written with ``write_string``,
#: and these options make a plain ``write()`` of a string do the same.
TEXT_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def new_book(buffer):
    """An in-memory XlsxWriter workbook for rendered sheets (deterministic: a
    fixed creation time), writing every string as text."""
    import datetime as dt

    import xlsxwriter

    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_AS_TEXT})
    book.set_properties({"created": dt.datetime(2000, 1, 1)})
    return book


class Formats:
    """XlsxWriter formats by name, created once per workbook."""

    def __init__(self, book):
        self.book = book
        self._cache: dict[tuple, object] = {}

    #: keyword of ``get`` → XlsxWriter format property
    _PROPERTIES = {"num": "num_format", "bold": "bold", "italic": "italic", "indent": "indent", "top": "top",
                   "bottom": "bottom", "wrap": "text_wrap", "color": "font_color", "align": "align",
                   "valign": "valign"}

    def get(self, *, size: int | None = None, **options):
        """A format with the given options (see ``_PROPERTIES``), created once."""
        unknown = set(options) - set(self._PROPERTIES)
        if unknown:
            raise TypeError(f"unknown format options {sorted(unknown)}")
        key = (size, tuple(sorted((k, v) for k, v in options.items() if v)))
        if key not in self._cache:
            spec: dict[str, object] = {"font_name": FONT, "font_size": size or 11}
            spec.update({self._PROPERTIES[k]: v for k, v in key[1]})
            self._cache[key] = self.book.add_format(spec)
        return self._cache[key]


def display(value: Fraction | int, unit: str) -> float:
    """öre → the display unit, at full precision (a float for the cell)."""
    return float(Fraction(value) / (100_000 if unit == "tkr" else 100))


def kr(value: int) -> float:
    return float(Fraction(value, 100))


def decimal_text(value: Decimal) -> str:
    """A weight sum as it appears in a formula: 8, 2.5, 167."""
    text = format(value.normalize(), "f")
    return text


def fit_width(texts, minimum: float = 8, maximum: float = 60) -> float:
    longest = max((len(str(t)) for t in texts if t is not None), default=0)
    return max(minimum, min(maximum, longest * 1.1 + 2))


def page_setup(sheet, unit: str, period_text: str, header_row: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    sheet.set_header(_header(unit, period_text))
    sheet.set_footer("&L&A&RSida &P av &N")


def _escape(text: str) -> str:
    return text.replace("&", "&&")


HEADER_LIMIT = 255  # Excel's limit for a page header's text (XlsxWriter drops a longer one with a warning)


def _header(unit: str, period_text: str) -> str:
    """``&L<unit>&R<period>``, the unit's name shortened with … when Excel's limit needs it."""
    right = f"&R{_escape(period_text)}"
    left = _escape(unit)
    room = HEADER_LIMIT - len(right) - 2
    if len(left) > room:
        left = left[: room - 1].rstrip("&") + "…"
    return f"&L{left}{right}"


def write_facts(sheet, row: int, facts) -> int:
    """Label | value rows from ``row`` on (a text, or a number in its format);
    the row after them."""
    for label, value, style in facts:
        sheet.write_string(row, 0, label)
        if isinstance(value, str):
            sheet.write_string(row, 1, value)
        else:
            sheet.write_number(row, 1, value, style)
        row += 1
    return row
