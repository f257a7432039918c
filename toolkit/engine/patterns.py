"""Mapping patterns: which codes a Budget cell such as ``6540``,
``4010, 4020``, ``4000-4999`` or ``40*`` covers, and how narrow it is.

Narrowness orders the kinds single value < list < range < prefix/wildcard,
then by size within a kind (fewer codes first, ``P100-P150`` before ``P100-P199``;
a longer prefix is narrower, then fewer prefixes).
Ranges of digit codes compare numerically on the codes' leading digits, so
``4000-4999`` also covers five-digit sub-accounts such as ``40101``.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

SINGLE, LIST, RANGE, WILDCARD, ANY = 0, 1, 2, 3, 4
_BIG = 10**18
_RANGE = re.compile(r"^\s*([^-\s][^-]*?)\s*-\s*([^-\s].*?)\s*$")
_CODED = re.compile(r"^(\D*)(\d+)$")


class PatternError(ValueError):
    """A pattern that cannot be read; the message is Swedish."""


@dataclass(frozen=True)
class Item:
    kind: int
    low: str
    high: str = ""

    def matches(self, code: str) -> bool:
        if self.kind == SINGLE:
            return code == self.low
        if self.kind == ANY:
            return code != ""
        if self.kind == WILDCARD:
            return code != "" and fnmatch.fnmatchcase(code, self.low)
        lo, hi = self.low, self.high
        if lo.isdigit() and hi.isdigit() and code.isdigit():
            if len(lo) == len(hi) and len(code) > len(lo):
                code = code[: len(lo)]
            return int(lo) <= int(code) <= int(hi)
        return lo <= code <= hi

    @property
    def width(self) -> int:
        if self.kind == SINGLE:
            return 1
        if self.kind == RANGE:
            if self.low.isdigit() and self.high.isdigit():
                return int(self.high) - int(self.low) + 1
            lo, hi = _CODED.match(self.low), _CODED.match(self.high)
            if lo and hi and lo.group(1) == hi.group(1):  # P100-P199: same letters, then digits
                return int(hi.group(2)) - int(lo.group(2)) + 1
            return _BIG
        if self.kind == WILDCARD:
            literal = sum(1 for ch in self.low if ch not in "*?[]")
            return -literal  # more literal characters = narrower
        return _BIG


@dataclass(frozen=True)
class Pattern:
    text: str
    items: tuple[Item, ...]

    def matches(self, code: str) -> bool:
        return any(item.matches(code) for item in self.items)

    @property
    def narrowness(self) -> tuple[int, int, int]:
        """(kind, size, number of items): smaller is narrower."""
        kinds = {item.kind for item in self.items}
        kind = max(kinds)
        n = len(self.items)
        if kind == SINGLE and n > 1:
            return (LIST, n, n)
        if kind == WILDCARD:  # the shortest prefix decides; then fewer prefixes
            return (WILDCARD, max(item.width for item in self.items if item.kind == WILDCARD), n)
        return (kind, sum(item.width for item in self.items), n)

    def within_prefix(self, digit: str) -> bool:
        """Every code this pattern covers starts with ``digit`` (e.g. class 3)."""
        for item in self.items:
            if item.kind == ANY:
                return False
            if item.kind == RANGE:
                if not (item.low.startswith(digit) and item.high.startswith(digit)
                        and len(item.low) == len(item.high)):
                    return False
            elif not item.low.startswith(digit):
                return False
        return True


def parse_pattern(text: str) -> Pattern:
    items = []
    text = text.replace("\u2013", "-").replace("\u2212", "-")  # en dash / minus typed by AutoCorrect
    for raw in re.split(r"[;,]", text):
        part = raw.strip()
        if not part:
            continue
        if part == "*":
            items.append(Item(ANY, "*"))
        elif any(ch in part for ch in "*?["):
            items.append(Item(WILDCARD, part))
        elif (m := _RANGE.match(part)) and not part.startswith("-"):
            low, high = m.group(1), m.group(2)
            if low.isdigit() and high.isdigit():
                if int(low) > int(high):
                    raise PatternError(f"intervallet {part} går baklänges")
            elif low > high:
                raise PatternError(f"intervallet {part} går baklänges")
            items.append(Item(RANGE, low, high))
        else:
            items.append(Item(SINGLE, part))
    if not items:
        raise PatternError(f"\"{text}\" är inget mönster")
    return Pattern(text, tuple(items))
