"""How the workbook's names are compared, and the records the contract is
written in: a sheet, a column, a setting, a value word."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


def normalise_header(text: object) -> str:
    """A name as names are compared (headers, labels, keys, settings):
    case-folded, trimmed, inner spaces single, Unicode composed."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).strip().casefold()
    return " ".join(s.split())


def and_list(words: list[str]) -> str:
    """["a", "b", "c"] → "a, b och c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def or_list(words: list[str]) -> str:
    """["a", "b", "c"] → "a, b eller c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1]


@dataclass(frozen=True)
class Column:
    """A column of one of the economist's sheets.

    ``name`` is the header as the template writes it; normalised it is the
    ``key`` the readers know the column by ("Rad" → "rad"). ``aliases`` are
    the other headers read as this column (normalised; Swedish and English).
    ``kind`` is the template's cell format: text, code (left-aligned), budget
    (#,##0), amount (#,##0.00) or weight. ``required``: a header row holds it
    (for Utfall: in the transaction layout). ``help`` is the input message the
    template shows on the header cell, ``width`` the template's width.
    ``template``: the template writes it (Utfall's År is read, not written);
    ``read``: the toolkit reads it (Inställningar's Förklaring is only written).
    ``also``: keys of other columns whose headers name this one too (Budget's
    Periodisering may be headed Nyckel). ``month``: 1–12 for a month column,
    found by any spelling of its month (``months.MONTH_SPELLINGS``), not by name.
    """

    name: str
    aliases: tuple[str, ...]
    kind: str
    width: float
    help: str
    required: bool = False
    template: bool = True
    read: bool = True
    also: tuple[str, ...] = ()
    month: int = 0

    @property
    def key(self) -> str:
        return normalise_header(self.name)

    @property
    def names(self) -> tuple[str, ...]:
        """Every header read as this column, normalised, the key first."""
        return (self.key, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook: its ``name``, the other names it is found by
    (``aliases``, as written; sheet names are compared normalised) and its
    ``columns`` in the template's order."""

    name: str
    aliases: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """The keys of the columns found by name that its header row must hold."""
        return tuple(c.key for c in self.columns if c.required and not c.month)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Word:
    """A value word of a cell with a fixed vocabulary: ``name`` as the
    template's drop-down and the README write it, ``aliases`` the other
    spellings read as it (normalised), ``value`` what it means when that is
    not the name itself (ja → True)."""

    name: str
    aliases: tuple[str, ...] = ()
    value: object = None

    @property
    def spellings(self) -> tuple[str, ...]:
        return (normalise_header(self.name), *self.aliases)

    @property
    def means(self) -> object:
        return self.name if self.value is None else self.value


@dataclass(frozen=True)
class Method(Word):
    """A forecast method; ``text`` is how the report's text calls it."""

    text: str = ""


def lookup(words: Iterable[Word]) -> dict[str, object]:
    """Every spelling (normalised) of ``words`` → what it means."""
    return {spelling: word.means for word in words for spelling in word.spellings}


@dataclass(frozen=True)
class Setting:
    """A row of Inställningar. ``key`` is the field of ``engine.model.Settings``
    it sets; ``name`` as the template writes it, ``aliases`` the other names
    read as it (normalised). ``choices``: the words it accepts (none: any
    value of its kind); ``default``: its value when blank, as written (None:
    see ``help``); ``whole``: the whole numbers the template's cell accepts.
    ``help`` is the template's explanation (the Förklaring column);
    ``template``: the template has a row for it."""

    key: str
    name: str
    aliases: tuple[str, ...]
    help: str
    default: object = None
    choices: tuple[Word, ...] = ()
    whole: tuple[int, int] | None = None
    template: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        """Every name read as this setting, normalised, its own first."""
        return (normalise_header(self.name), *self.aliases)


#: how a line's label path is shown and typed (Avstämning, the notes kept under the table): "Verksamhet › Personal"
PATH_SEPARATOR = " › "
