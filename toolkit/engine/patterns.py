"""Mapping patterns: which codes a Budget cell such as ``6540``,
``4010, 4020``, ``4000-4999`` or ``40*`` covers, and how narrow it is.

The forms: a code, a list (items separated by ``,`` or ``;``; an empty item,
as in ``4010,,4020`` or a trailing comma, is passed over), a range ``low-high``
(one dash, spaces around it allowed), a prefix ``40*`` (one ``*``, last) or
``*`` alone (any non-empty code); ``?`` stands for any one character anywhere
(``40??``). Anything else that uses these characters is an error
(``40-``, ``-40``, ``**``, ``4*0``, ``40*-49*``, ``[``…``]`` classes). An item
that reads as a list typed with other separators (``6110 6990``,
``6110/6990``) is kept as a code, but marked ``suspect`` with the list it
probably meant, so the caller can warn when it matches nothing.

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

import numpy as np

SINGLE, LIST, RANGE, WILDCARD, ANY = 0, 1, 2, 3, 4
_BIG = 10**18
_RANGE = re.compile(r"^\s*([^-\s][^-]*?)\s*-\s*([^-\s][^-]*?)\s*$")
_OTHER_SEPARATORS = re.compile(r"\s*[/|&+]\s*|\s+")
_CODE_LIKE = re.compile(r"^[A-Za-z]{0,3}[0-9]+[0-9?]*\*?$")
_CODED = re.compile(r"^(\D*)(\d+)$")


def _numeric(text: str) -> bool:
    """Digits 0-9 only (str.isdigit also takes '²' and other scripts' digits)."""
    return text.isascii() and text.isdigit()


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
        if _numeric(lo) and _numeric(hi) and _numeric(code):
            if len(lo) == len(hi) and len(code) > len(lo):
                code = code[: len(lo)]
            return int(lo) <= int(code) <= int(hi)
        return lo <= code <= hi

    def mask(self, table: CodeTable) -> np.ndarray:
        """``matches`` for every distinct code of a column at once."""
        if self.kind == SINGLE:
            out = np.zeros(len(table), dtype=bool)
            if self.low in table.position:
                out[table.position[self.low]] = True
            return out
        if self.kind == ANY:
            return table.length > 0
        if self.kind == WILDCARD:
            match = re.compile(fnmatch.translate(self.low)).match
            return np.fromiter((bool(t) and match(t) is not None for t in table.texts), dtype=bool,
                               count=len(table))
        lo, hi = self.low, self.high
        if not (_numeric(lo) and _numeric(hi)):
            return (table.array >= lo) & (table.array <= hi)
        # digit bounds: digit codes compare as numbers, on their first len(lo) digits when longer
        out = (table.array >= lo) & (table.array <= hi) & ~table.digit
        width = len(lo)
        cut = table.digit & (table.length > width) if len(lo) == len(hi) else np.zeros(len(table), dtype=bool)
        exact = table.digit & (table.length <= 18)
        value = np.where(cut, table.number // 10 ** np.clip(table.length - width, 0, 18), table.number)
        out |= exact & (int(lo) <= value) & (value <= int(hi))
        for i in np.flatnonzero(table.digit & ~exact):  # more than 18 digits: one by one
            out[i] = self.matches(table.texts[i])
        return out

    @property
    def width(self) -> int:
        if self.kind == SINGLE:
            return 1
        if self.kind == RANGE:
            if _numeric(self.low) and _numeric(self.high):
                return int(self.high) - int(self.low) + 1
            lo, hi = _CODED.match(self.low), _CODED.match(self.high)
            if lo and hi and lo.group(1) == hi.group(1):  # P100-P199: same letters, then digits
                return int(hi.group(2)) - int(lo.group(2)) + 1
            return _BIG
        if self.kind == WILDCARD:
            literal = sum(1 for ch in self.low if ch not in "*?")
            return -(2 * literal + self.low.count("?"))  # more literal characters = narrower; a ? counts half
        return _BIG


@dataclass(frozen=True)
class Pattern:
    text: str
    items: tuple[Item, ...]
    suspect: tuple[tuple[Item, str], ...] = ()  # (item, the list it probably meant): '6110 6990' → '6110, 6990'

    def matches(self, code: str) -> bool:
        return any(item.matches(code) for item in self.items)

    def mask(self, table: CodeTable) -> np.ndarray:
        """``matches`` for every distinct code of a column at once."""
        out = np.zeros(len(table), dtype=bool)
        for item in self.items:
            out |= item.mask(table)
        return out

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

    def classes(self) -> set[str] | None:
        """The first digits (account classes) of the codes this pattern can
        cover, or None when that is not known (``*``, ``?4*``, text codes)."""
        out: set[str] = set()
        for item in self.items:
            if item.kind == ANY or not item.low[:1].isdigit():
                return None
            if item.kind == RANGE:
                if not (_numeric(item.low) and _numeric(item.high) and len(item.low) == len(item.high)):
                    return None
                out |= {str(d) for d in range(int(item.low[0]), int(item.high[0]) + 1)}
            else:
                out.add(item.low[0])
        return out

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


class CodeTable:
    """The distinct codes of a ledger column, ready for ``Pattern.mask``: as
    a numpy string array (for ranges of text), and digit codes as numbers."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.position = {t: i for i, t in enumerate(texts)}
        self.array = np.array(texts if texts else [""], dtype=str)[: len(texts)]
        self.length = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        self.digit = np.fromiter((_numeric(t) for t in texts), dtype=bool, count=len(texts))
        self.number = np.fromiter((int(t) if d and len(t) <= 18 else 0 for t, d in zip(texts, self.digit)),
                                  dtype=np.int64, count=len(texts))

    def __len__(self) -> int:
        return len(self.texts)


def parse_pattern(text: str) -> Pattern:
    items = []
    suspect = []
    text = text.replace("\u2013", "-").replace("\u2212", "-")  # en dash / minus typed by AutoCorrect
    for raw in re.split(r"[;,]", text):
        part = raw.strip()
        if not part:
            continue
        meant = _meant_list(part)
        try:
            item = _parse_item(part)
        except PatternError as exc:
            if meant:
                raise PatternError(f"{exc}; menade du \"{meant}\"?") from None
            raise
        if meant and item.kind == SINGLE:
            suspect.append((item, meant))
        items.append(item)
    if not items:
        raise PatternError(f"\"{text}\" är inget mönster")
    return Pattern(text, tuple(items), tuple(suspect))


def _parse_item(part: str) -> Item:
    """One item of a list: a code, a range, a prefix or ``*``."""
    if "[" in part or "]" in part:
        raise PatternError(f"\"{part}\" är inget mönster: [ ] används inte; skriv ett intervall (4000-4999), "
                           "en lista (4010, 4020) eller ett prefix (40*)")
    if part == "*":
        return Item(ANY, "*")
    if "*" in part:
        m = _RANGE.match(part)
        if m and not part.startswith("-") and all(any(ch.isdigit() for ch in g) for g in m.groups()):
            raise PatternError(f"\"{part}\" är inget mönster: ett intervall har inga *; skriv t.ex. 4000-4999")
        stem = part.rstrip("*")
        if "*" in stem or part.count("*") > 1:
            hint = f"; menade du \"{stem}*\"?" if "*" not in stem else ""
            raise PatternError(f"\"{part}\" är inget mönster: * står bara sist i ett prefix (40*) eller "
                               f"ensam (*){hint}")
        return Item(WILDCARD, part)
    if "-" in part:
        m = _RANGE.match(part)
        if not m or part.startswith("-"):
            raise PatternError(f"\"{part}\" är inget intervall: skriv början och slut med ett bindestreck "
                               "emellan, t.ex. 4000-4999")
        low, high = m.group(1), m.group(2)
        if _numeric(low) and _numeric(high):
            if int(low) > int(high):
                raise PatternError(f"intervallet {part} går baklänges")
        elif low > high:
            raise PatternError(f"intervallet {part} går baklänges")
        return Item(RANGE, low, high)
    if "?" in part:
        return Item(WILDCARD, part)
    return Item(SINGLE, part)


def _meant_list(part: str) -> str:
    """'6110, 6990' when ``part`` reads as a list typed with spaces, '/', '|',
    '&' or '+' between codes ('6110 6990', '6110/6990', '40* 50*'); else ''."""
    tokens = [t for t in _OTHER_SEPARATORS.split(part) if t]
    if len(tokens) < 2:
        return ""
    for token in tokens:
        if _CODE_LIKE.match(token):
            continue
        m = _RANGE.match(token)
        if not (m and _numeric(m.group(1)) and _numeric(m.group(2))):
            return ""
    return ", ".join(tokens)
