"""Exact money: amounts are integers in öre; parsing and display live here.

Ledger amounts arrive as numbers or as Swedish text (``1 234,50``,
``-1 234,50``, ``1.234,50``, ``1234.50``, ``1 234,50-``). They are turned into
öre once, on reading, and summed as integers. Derived figures (a periodised
budget, a trend forecast) are ``Fraction`` of öre; rounding happens only when a
figure is shown.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from fractions import Fraction

MAX_ORE = 10**15  # 10 000 miljarder kr: larger is no amount of a unit (and a full sheet of them still sums exactly)
_MAX_DIGITS = 30  # a number of 10**30 or more (or below 10**-30) is no amount, weight or öre (exponents end here)

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_DOTTED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


class AmountTooLarge(ValueError):
    """A number too large to be an amount: MAX_ORE öre or more, or 10**30 or more."""


def parse_decimal(value: object) -> Decimal | None:
    """A number from a cell: ``None`` for blank, ``ValueError`` for anything
    that is not a number (``AmountTooLarge``, a ValueError, for one of 10**30
    or more). Text is read the Swedish way (decimal comma, space/dot
    thousands separators, trailing or Unicode minus); never raises anything
    but ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return _bounded(Decimal(value), value)
    if isinstance(value, float):
        if value != value:
            raise ValueError(value)
        if value in (float("inf"), float("-inf")):
            raise AmountTooLarge(value)
        return _bounded(Decimal(repr(value)), value)
    if isinstance(value, Decimal):
        if value.is_nan():
            raise ValueError(value)
        return _bounded(value, value)
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
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise ValueError(value) from exc
    return _bounded(amount, value)


def _bounded(amount: Decimal, value: object) -> Decimal:
    """``amount``, unless it is infinite or 10**30 or more (AmountTooLarge);
    a number so close to 0 that it has no digit in the first 30 decimals is 0."""
    if amount.is_infinite() or amount and amount.adjusted() >= _MAX_DIGITS:
        raise AmountTooLarge(value)
    if amount and amount.adjusted() < -_MAX_DIGITS:
        return Decimal(0)
    return amount


def too_large(value: object, text: str) -> str:
    """The message for an amount of MAX_ORE or more; ``text`` is the cell as
    text, a huge number shown as Excel shows it (1E+30)."""
    if isinstance(value, float) and abs(value) >= 1e15:
        text = f"{value:.15G}"
    return f"\"{text}\" är ett orimligt stort belopp (10 000 miljarder kr eller mer)"


def to_ore(amount: Decimal, scale: int = 1) -> int:
    """kr (× scale, e.g. 1000 for tkr) → öre, rounded half away from zero.
    ``AmountTooLarge`` for MAX_ORE öre or more, ValueError for NaN."""
    if not amount.is_finite():
        raise AmountTooLarge(amount) if amount.is_infinite() else ValueError(amount)
    if amount and amount.adjusted() >= 15:  # 10**15 kr or more: no arithmetic on it (10**26 öre would not quantize)
        raise AmountTooLarge(amount)
    with localcontext() as context:  # exact: a text may have more digits than the default 28
        context.prec = max(28, len(amount.as_tuple().digits) + 12)
        ore = int((amount * scale * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if abs(ore) >= MAX_ORE:
        raise AmountTooLarge(amount)
    return ore


def parse_ore(value: object, scale: int = 1) -> int | None:
    """A cell → öre, or ``None`` when blank. ``ValueError`` when not a number,
    ``AmountTooLarge`` (a ValueError) when MAX_ORE öre or more."""
    amount = parse_decimal(value)
    return None if amount is None else to_ore(amount, scale)


def round_half_up(value: Fraction | int) -> int:
    """Round to an integer the way Excel displays it (half away from zero)."""
    value = Fraction(value)
    sign = -1 if value < 0 else 1
    return sign * int((abs(value) + Fraction(1, 2)) // 1)


def ore_to_kr(value: Fraction | int) -> Decimal:
    """öre → kr as a ``Decimal`` with two decimals, exact for whole öre; a
    figure with a fraction of an öre (a periodised budget, a trend forecast)
    is rounded to the öre half away from zero, as ``round_half_up`` (and
    Excel's display) rounds it: 123456 → Decimal('1234.56')."""
    return Decimal(round_half_up(value)).scaleb(-2)


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
