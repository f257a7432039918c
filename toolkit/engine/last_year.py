"""Last year (fjolår): the previous year's utfall beside this year's, and its
monthly profile as a periodisation key.

Last year's rows arrive as a ledger like this year's: the rows of År − 1 in
the ledger itself (many exports include them), or a ledger of their own
(``--fjolar``, the setting Fjolårsfil). They are mapped to the lines by the
same patterns and give

- **Fjolår**: each line's utfall of last year for the same months 1..P, in
  the line's own sign (``Figures.last_year``), added up like Utfall;
- **Fjolårsprofil**: a built-in key whose weights are the line's own utfall
  of each month of last year (in the line's sign) — its own seasonal shape.

Which rows are last year:

- a ledger of its own wins: its rows of År − 1 are last year (its rows of
  other years are left out, and counted). When the ledger also has rows of
  År − 1 they stay out of this year's figures as before, and a note says the
  file was used (``fjolar-dubbelt``);
- without one, the ledger's rows of År − 1 are last year when they reach the
  months needed: from January to the closing month P, or to December when a
  line uses Fjolårsprofil. A rolling export that starts in September, or a
  few late rows of December, are no year to compare with: they stay "från
  ett annat år" (noted, when a line wanted its profile);
- a ledger of its own that lacks months at either end is used, with a
  warning (``fjolar-ofullstandigt``): its Fjolår (or profile) misses them.

Fjolårsprofil needs a positive year total and no negative month in the
line's sign (a key has no negative weights, DOMAIN.md). A line without rows
last year, with a total of 0 or less, or with a month of the other sign, is
periodised linearly (Linjär) instead, and named in one info finding
(``fjolarsprofil-linjar``).

Pure: ledgers in, records and findings out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ..contract import LINEAR, months_text
from ..errors import InputError
from ..findings import Finding
from ..layout import UNBUDGETED_LABEL
from ..money import format_kr
from .mapping import assign
from .model import Key, Ledger, Outside
from .periodisation import builtin_key
from .tieout import exact_sums
from .tree import Node

MONTHS = 12
#: Avstämning's reason for the ledger's rows of År − 1 used as last year
LAST_YEAR_REASON = "fjolår, jämförelse"


@dataclass(frozen=True)
class Selection:
    """Which rows are last year: ``ledger`` (rows of År − 1 only) or None, and why."""

    ledger: Ledger | None
    source: str = ""  # where they came from: the file(s), or the ledger's source
    from_file: bool = False  # a ledger of its own (--fjolar, Fjolårsfil)
    in_ledger: bool = False  # the ledger's own rows of År − 1 are last year
    other_rows: int = 0  # a file's rows of other years, left out
    other_amount: int = 0
    missing: tuple[int, ...] = ()  # months (1..12) without rows at either end
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class LastYearLine:
    """Avstämning's row for a line (or Ej budgeterat): its rows of last year."""

    path: str
    rows: int  # in months 1..P
    sum_in_period: int  # öre, debit positive
    sum_year: int  # öre, debit positive, the whole year


@dataclass(frozen=True)
class LastYear:
    """Last year as the run used it (Avstämning's block Fjolår): every row of
    År − 1 in months 1..P is on a line or in Ej budgeterat."""

    year: int  # År − 1
    source: str  # the ledger's source, or the file(s)
    from_file: bool
    rows_read: int  # rows of the source (a file: all its rows; the ledger: its rows of År − 1)
    rows: int  # rows of År − 1
    amount: int  # their Σ, öre, debit positive
    rows_in_period: int  # of months 1..P
    sum_in_period: int
    sum_lines: int
    sum_unbudgeted: int
    lines: tuple[LastYearLine, ...] = ()
    other_rows: int = 0  # a file's rows of other years, left out
    other_amount: int = 0
    missing: tuple[int, ...] = ()
    outside: Outside | None = None  # a file's rows outside the unit's Urval (None: no Urval, or the ledger's rows)

    @property
    def difference(self) -> int:
        return self.sum_in_period - self.sum_lines - self.sum_unbudgeted


def select(ledger: Ledger, given: Ledger | None, year: int, period: int, needs_year: bool) -> Selection:
    """Last year's rows (``year`` is År): of ``given`` (a ledger of its own)
    when there is one, else of ``ledger`` when they reach the months needed
    (to P, or to December when ``needs_year``: a line uses Fjolårsprofil)."""
    prior_year = year - 1
    own = ledger.period // 100 == prior_year
    end = MONTHS if needs_year else period
    if given is not None:
        mask = given.period // 100 == prior_year
        if not mask.any():
            others = sorted({int(p) // 100 for p in given.period.tolist()})
            has = f" (den har rader för {', '.join(map(str, others))})" if others else " (den har inga rader)"
            raise InputError(f"fjolårets huvudbok har inga rader för {prior_year}{has}; ange huvudboken för "
                             f"{prior_year}", file=given.file, slug="fjolar-saknar-aret")
        prior = given.take(mask)
        missing = _missing(prior, end)
        findings = []
        if missing:
            findings.append(Finding(
                "fjolar-ofullstandigt", given.file,
                f"fjolårets huvudbok ({given.file}) har inga rader för {months_text(_periods(prior_year, missing))}"
                f"; Fjolår{' och Fjolårsprofil' if needs_year else ''} saknar de månaderna — är det hela "
                f"fjolårets huvudbok?", "varning"))
        if own.any():
            findings.append(Finding(
                "fjolar-dubbelt", ledger.source,
                f"huvudboken har också {_rows(int(ledger.weights()[own].sum()))} för {prior_year} "
                f"({format_kr(int(ledger.amount[own].sum()))} kr); fjolåret togs från {given.file}, och "
                "huvudbokens rader för året ingår inte", "info"))
        rest = ~mask
        return Selection(prior, given.file, from_file=True, other_rows=int(given.weights()[rest].sum()),
                         other_amount=int(given.amount[rest].sum()), missing=tuple(missing),
                         findings=tuple(findings))
    if not own.any():
        return Selection(None)
    prior = ledger.take(own)
    missing = _missing(prior, end)
    if missing:
        found = sorted({int(p) for p in prior.period.tolist()})
        note = () if not needs_year else (Finding(
            "fjolar-ofullstandigt", ledger.source,
            f"huvudbokens {_rows(prior.rows())} för {prior_year} gäller bara {months_text(found)}, inte hela "
            f"året, och används inte som fjolår; ange fjolårets huvudbok med --fjolar eller Fjolårsfil",
            "info"),)
        return Selection(None, missing=tuple(missing), findings=note)
    return Selection(prior, ledger.source, in_ledger=True)


def _missing(prior: Ledger, end: int) -> list[int]:
    """The months 1..``end`` before the first or after the last month with rows."""
    months = prior.period % 100
    first, last = int(months.min()), int(months.max())
    return [m for m in range(1, end + 1) if m < first or m > last]


def _periods(year: int, months: Sequence[int]) -> list[int]:
    return [year * 100 + m for m in months]


def _rows(n: int) -> str:
    return f"{n} rad" if n == 1 else f"{n} rader"


def month_sums(prior: Ledger, leaves: list[Node], budget_file: str) -> tuple[list[list[int]], list[int]]:
    """Last year's Σ per month (öre, debit positive) of each leaf, Ej
    budgeterat first; and the number of rows of each in months 1..12 by
    month, flattened the same way (rows[(i + 1) * 12 + m - 1])."""
    owner = assign(prior, leaves, budget_file)
    slot = (owner + 1) * MONTHS + np.clip(prior.period % 100, 1, MONTHS) - 1
    size = (len(leaves) + 1) * MONTHS
    sums = exact_sums(slot, prior.amount, size)
    counts = prior.tally(slot, size).tolist()
    return [sums[i * MONTHS:(i + 1) * MONTHS] for i in range(len(leaves) + 1)], counts


def in_line_sign(amount: int, income: bool) -> int:
    """Öre debit positive as the line shows it (income positive on an income line)."""
    return -amount if income else amount


def profile(months: Sequence[int], income: bool) -> tuple[Decimal, ...] | str:
    """Fjolårsprofil's weights for a line whose last year was ``months`` (12
    sums in öre, debit positive): each month's utfall in kr, in the line's
    sign. Or why there are none: "tom" (no utfall), "noll" (a total of 0),
    "negativ" (a negative total), "negativa-månader" (a month below 0)."""
    signed = [in_line_sign(m, income) for m in months]
    total = sum(signed)
    if not any(months):
        return "tom"
    if total == 0:
        return "noll"
    if total < 0:
        return "negativ"
    if any(m < 0 for m in signed):
        return "negativa-månader"
    return tuple(Decimal(m).scaleb(-2) for m in signed)


def profile_key(leaf: Node, months: Sequence[int] | None, rows: int, prior_year: int, no_year: str) -> \
        tuple[Key, Finding | None]:
    """The leaf's Fjolårsprofil: its own key from ``months`` (None: there is
    no last year, ``no_year`` says why), else Linjär and the finding naming
    the line. ``rows``: its rows of last year."""
    name = leaf.path if leaf.generated else leaf.label
    linear = builtin_key(LINEAR, prior_year + 1)
    if months is None:
        why = f"det finns inget fjolår att ta profilen från ({no_year})"
    else:
        result = profile(months, leaf.income) if rows else "tom"
        if not isinstance(result, str):
            return Key(leaf.key.name, result, "fjolår"), None
        signed = [in_line_sign(m, leaf.income) for m in months]
        if result == "tom":
            why = f"raden har inga huvudboksrader {prior_year}"
        elif result == "noll":
            why = f"radens utfall {prior_year} är 0,00 kr"
        elif result == "negativ":
            why = (f"radens utfall {prior_year} är negativt i radens tecken ({format_kr(sum(signed))} kr, "
                   f"{'mer kostnader än intäkter' if leaf.income else 'mer intäkter än kostnader'})")
        else:  # a month below 0
            below = [m + 1 for m, v in enumerate(signed) if v < 0]
            why = (f"radens utfall är negativt i radens tecken i {months_text(_periods(prior_year, below))} "
                   f"({format_kr(sum(v for v in signed if v < 0))} kr), och en nyckel kan inte ha negativa vikter")
    where = leaf.line.cells.get("periodisering", leaf.where) if leaf.line is not None and leaf.line.key \
        else leaf.where
    return linear, Finding("fjolarsprofil-linjar", where,
                           f"\"{name}\" periodiseras med {LINEAR} i stället för {leaf.key.name}: {why}", "info")


def in_ledger_note(prior: Ledger, prior_year: int, source: str) -> Finding:
    """The ledger's rows of År − 1 are last year's utfall: out of this year's figures, shown as Fjolår."""
    return Finding("fjolar", source,
                   f"huvudbokens {_rows(prior.rows())} för {prior_year} ({format_kr(int(prior.amount.sum()))} kr) är "
                   "fjolårets utfall: de ingår inte i årets siffror utan visas som Fjolår (se Fjolår nedan)", "info")


def record(selection: Selection, months: list[list[int]] | None, rows: list[int] | None, leaves: Sequence,
           year: int, period: int) -> LastYear | None:
    """Avstämning's Fjolår: last year's rows against the lines, months 1..P
    (``leaves``: the report's leaf lines in the order of ``months[1:]``)."""
    prior = selection.ledger
    if prior is None or months is None or rows is None:
        return None
    in_period = (prior.period % 100) <= period

    def line(path: str, i: int) -> LastYearLine:
        return LastYearLine(path, sum(rows[i * MONTHS:i * MONTHS + period]), sum(months[i][:period]),
                            sum(months[i]))

    lines = [line(leaf.path, i + 1) for i, leaf in enumerate(leaves)]
    unbudgeted = line("", 0)
    if unbudgeted.rows or any(months[0]):
        lines.append(LastYearLine(UNBUDGETED_LABEL, unbudgeted.rows, unbudgeted.sum_in_period, unbudgeted.sum_year))
    return LastYear(year - 1, selection.source, selection.from_file,
                    prior.rows_read if selection.from_file else prior.rows(), prior.rows(), int(prior.amount.sum()),
                    int(in_period.sum()), int(prior.amount[in_period].sum()),
                    sum(sum(m[:period]) for m in months[1:]), sum(months[0][:period]), tuple(lines),
                    selection.other_rows, selection.other_amount, selection.missing,
                    prior.outside if selection.from_file else None)
