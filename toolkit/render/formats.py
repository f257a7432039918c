"""The shared cell formats and the small helpers every sheet uses."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

AMOUNT = "#,##0"
VARIANCE = "#,##0;[Red]-#,##0"  # unfavourable (negative) variances stand out in red
PERCENT = "0 %"  # an unquoted % multiplies by 100: 0.57 shows "57 %"
KR = "#,##0.00"

FONT = "Calibri"


class Formats:
    """XlsxWriter formats by name, created once per workbook."""

    def __init__(self, book):
        self.book = book
        self._cache: dict[tuple, object] = {}

    def get(self, *, num: str | None = None, bold: bool = False, indent: int = 0, top: int = 0, bottom: int = 0,
            size: int | None = None, wrap: bool = False, italic: bool = False, color: str | None = None,
            align: str | None = None, valign: str | None = None):
        key = (num, bold, indent, top, bottom, size, wrap, italic, color, align, valign)
        if key not in self._cache:
            spec: dict[str, object] = {"font_name": FONT, "font_size": size or 11}
            if num:
                spec["num_format"] = num
            if bold:
                spec["bold"] = True
            if italic:
                spec["italic"] = True
            if indent:
                spec["indent"] = indent
            if top:
                spec["top"] = top
            if bottom:
                spec["bottom"] = bottom
            if wrap:
                spec["text_wrap"] = True
            if color:
                spec["font_color"] = color
            if align:
                spec["align"] = align
            if valign:
                spec["valign"] = valign
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
    sheet.set_header(f"&L{_escape(unit)}&R{_escape(period_text)}")
    sheet.set_footer("&L&A&RSida &P av &N")


def _escape(text: str) -> str:
    return text.replace("&", "&&")
