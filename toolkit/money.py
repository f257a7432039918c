"""Exact money: amounts are integers in öre; parsing and display live here.

Ledger amounts arrive as numbers or as Swedish text (``1 234,50``,
``-1 234,50``, ``1.234,50``, ``1234.50``, ``1 234,50-``). They are turned into
öre once, on reading, and summed as integers. Derived figures (a periodised
budget, a trend forecast) are ``Fraction`` of öre; rounding happens only when a
figure is shown.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_DOTTED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_decimal(value: object) -> Decimal | None:
    """A number from a cell: ``None`` for blank, ``ValueError`` for anything
    that is not a number. Text is read the Swedish way (decimal comma,
    space/dot thousands separators, trailing or Unicode minus)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = _SPACES.sub("", str(value)).replace("\u2212", "-").replace("\u2013", "-")
    if text.lower().endswith("kr"):
        text = text[:-2]
    if not text:
        return None
    if text.endswith("-") and not text.startswith(("-", "+")):
        text = "-" + text[:-1]
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    if _DOTTED_THOUSANDS.match(text):
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        raise ValueError(value)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise ValueError(value) from exc


def to_ore(amount: Decimal, scale: int = 1) -> int:
    """kr (× scale, e.g. 1000 for tkr) → öre, rounded half away from zero."""
    return int((amount * scale * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_ore(value: object, scale: int = 1) -> int | None:
    """A cell → öre, or ``None`` when blank. ``ValueError`` when not a number."""
    amount = parse_decimal(value)
    return None if amount is None else to_ore(amount, scale)


def round_half_up(value: Fraction | int) -> int:
    """Round to an integer the way Excel displays it (half away from zero)."""
    value = Fraction(value)
    sign = -1 if value < 0 else 1
    return sign * int((abs(value) + Fraction(1, 2)) // 1)


def group_thousands(n: int) -> str:
    """1240 → '1 240', -38 → '-38' (space as thousands separator)."""
    return f"{n:,}".replace(",", " ")


def format_kr(ore: int) -> str:
    """Exact kr with öre, Swedish style: 123456 → '1 234,56'."""
    sign = "-" if ore < 0 else ""
    kr, rest = divmod(abs(ore), 100)
    return f"{sign}{group_thousands(kr)},{rest:02d}"


def format_amount(ore: Fraction | int, unit: str, *, signed: bool = False) -> str:
    """A figure in the display unit, rounded: '1 240 tkr', '+38 tkr'."""
    scale = 100_000 if unit == "tkr" else 100
    n = round_half_up(Fraction(ore) / scale)
    text = group_thousands(n)
    if signed and n > 0:
        text = "+" + text
    return f"{text} {unit}"
