"""Plausibility: input that is well-formed but probably wrong.

Each check compares two things the inputs say about each other (the budget
against the ledger, the closing period against the months with rows …) and
gives a Finding of severity "varning" only when the figures are probably
wrong; the thresholds are set so that a normal month of a well-kept workbook
(the examples, a July without bookings, last year's rows in the export, a
few kronor of Ej budgeterat) gets none. Pure functions over the engine's
typed inputs and results: the Settings, the budget tree, the Ledger and the
Report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..contract import BUDGET_SHEET, COST, INCOME, MONTH_NAMES, months_text
from ..contract import and_list as _and
from ..findings import INFO, WARNING, Finding
from ..money import format_kr, group_thousands, round_half_up
from .model import Ledger, Settings
from .tree import Node

if TYPE_CHECKING:  # the results are made with this module's findings
    from .results import Line, Report, TieOut


#: magnitude: the weighted median of |utfall| ÷ periodiserad budget in [LOW, HIGH] or [1/HIGH, 1/LOW]
MAGNITUDE_LOW, MAGNITUDE_HIGH = Fraction(100), Fraction(10_000)
MAGNITUDE_MIN_LINES = 3
#: reversed signs: the lines whose utfall is in the other type's sign carry this share of the money
REVERSED_SHARE = Fraction(3, 4)
#: empty months: "many rows" in the other months (median per month with rows)
MANY_ROWS, VERY_MANY_ROWS = 10, 100
#: Ej budgeterat is a warning from this share of all utfall (gross) and this amount (öre)
UNBUDGETED_SHARE, UNBUDGETED_FLOOR = Fraction(5, 100), 100_000


def check(report: Report, ledger: Ledger, settings: Settings) -> list[Finding]:
    """Every plausibility check of one unit's run, in the order they are shown."""
    leaves = report.leaves()
    empty = urval_matches_none(ledger, report.year)
    found = [
        empty,
        year_without_rows(ledger, report.year, settings),
        *(missing_months(ledger, report.year, report.period, settings) if empty is None else ()),
        magnitude(leaves, settings),
        reversed_signs(leaves, ledger.source),
        *negative_cost_budgets(report.nodes()),
        *type_against_accounts(leaves),
        *suspect_patterns(report.nodes(), ledger),
    ]
    return [f for f in found if f is not None]


def _rows(n: int) -> str:
    return f"{n} rad" if n == 1 else f"{n} rader"


def _percent(part: Fraction) -> str:
    return f"{math.floor(part * 100 + Fraction(1, 2))} %"


def urval_matches_none(ledger: Ledger, year: int) -> Finding | None:
    """Urval on Inställningar keeps none of the ledger's rows of the year while
    the ledger has some: a pattern that names no unit of the export (a typo, or
    another code scheme), so every utfall is 0."""
    outside = ledger.outside
    if outside is None or not outside.years.get(year) or (ledger.period // 100 == year).any():
        return None
    columns = list(dict.fromkeys(column for column, y in outside.codes if y == year))
    has = "; ".join(f"{ledger.labels.get(column, column.capitalize())} i huvudboken: "
                    f"{', '.join(t or '(tom)' for t in texts)}{', …' if more else ''}"
                    for column in columns for texts, more in [outside.codes[(column, year)]])
    return Finding("urval-tomt", outside.where,
                   f"urvalet {outside.text} matchar ingen av huvudbokens {group_thousands(outside.years[year])} "
                   f"{'rad' if outside.years[year] == 1 else 'rader'} för {year} ({has}); stämmer urvalet?",
                   WARNING)


# -- the year and the months --------------------------------------------------------------------------------------


def year_without_rows(ledger: Ledger, year: int, settings: Settings) -> Finding | None:
    """The ledger has rows, none of them in the report's year (År 2021 with a
    2022 ledger, or --period 2024-08 with a 2025 ledger): every utfall is 0.
    Not at the start of a year, when the closing period is not given and the
    export holds only last year's rows."""
    if not len(ledger):
        return None
    years = ledger.period // 100
    if (years == year).any():
        return None
    others = sorted({int(y) for y in np.unique(years).tolist()})
    if settings.period is None and others == [year - 1]:
        return None
    where = settings.where.get("year") or settings.where.get("period")
    hint = ("stämmer året i --period?" if where == "--period" else
            "stämmer År på bladet Inställningar?" if "year" in settings.where else
            "stämmer året i Period på bladet Inställningar?" if where else "stämmer året?")
    shown = _and([str(y) for y in others])
    return Finding("inga-rader-for-aret", where or ledger.source,
                   f"huvudboken har inga rader för {year} men {_rows(ledger.rows())} för {shown}, så allt utfall "
                   f"är 0; {hint}", WARNING)


def missing_months(ledger: Ledger, year: int, period: int, settings: Settings) -> list[Finding]:
    """Months 1..P of the year without a single ledger row, when the other
    months show that rows are expected.

    * ``period-efter-utfall``: a closing period given (Inställningar or
      --period) after the last month with rows — the latest export is not in:
      warned for one such month when the months with rows have a median of
      at least 10 rows, else for two or more when that is longer than any
      stretch of empty months before the last month with rows (a sparse
      unit's July and August may well be empty).
    * ``tomma-manader``: empty months before the last month with rows — an
      export file left out: warned for two or more when the months with rows
      have a median of at least 10 rows, or one from a median of 100.
    A closing period given for a ledger without a single row is
    ``period-efter-utfall`` too (an empty export); nothing when the year has
    no rows but other years have (the year check), or when no period is given
    (period 0: a budget with no rows yet)."""
    if period <= 0:
        return []
    if not len(ledger):
        if settings.period is None:
            return []
        return [Finding("period-efter-utfall", settings.where.get("period", ledger.source),
                        f"bokslutsperioden är {period} ({MONTH_NAMES[period - 1]}) men huvudboken ({ledger.source}) "
                        "har inga rader alls; är exporten tom, eller är det fel fil?", WARNING)]
    chosen = ledger.period // 100 == year
    in_year = ledger.period[chosen]
    if not len(in_year):
        return []
    counts = ledger.tally((in_year % 100).astype(np.int64), 13, chosen)[1:13]
    booked = np.flatnonzero(counts) + 1
    last = int(booked.max())
    typical = float(np.median(counts[booked - 1]))
    out = []
    trailing = list(range(last + 1, period + 1)) if settings.period is not None else []
    if (trailing and typical >= MANY_ROWS) or len(trailing) >= max(2, _longest_empty_run(counts[:last]) + 1):
        where = settings.where.get("period", ledger.source)
        out.append(Finding(
            "period-efter-utfall", where,
            f"bokslutsperioden är {period} ({MONTH_NAMES[period - 1]}) men huvudboken har inga rader för "
            f"{months_text(year * 100 + m for m in trailing)}; saknas den senaste exporten, eller ska perioden "
            f"vara {last}?", WARNING))
    gaps = [m for m in range(1, min(period, last) + 1) if counts[m - 1] == 0]
    if (len(gaps) >= 2 and typical >= MANY_ROWS) or (gaps and typical >= VERY_MANY_ROWS):
        out.append(Finding(
            "tomma-manader", ledger.source,
            f"huvudboken har inga rader för {months_text(year * 100 + m for m in gaps)} men i median "
            f"{_rows(int(typical))} de andra månaderna; saknas en exportfil?", WARNING))
    return out


def _longest_empty_run(counts) -> int:
    """The most months in a row without rows."""
    longest = run = 0
    for count in counts:
        run = 0 if count else run + 1
        longest = max(longest, run)
    return longest


# -- the budget against the ledger ------------------------------------------------------------------------------


def magnitude(leaves: list[Line], settings: Settings) -> Finding | None:
    """Budget and ledger about 1 000 times apart (the Budget sheet in tkr while
    "Belopp i" says kr, or the reverse): over the lines with both a
    periodised budget and utfall, the median of |utfall| ÷ periodiserad
    budget weighted by |utfall| lies between 100 and 10 000 (or between
    1/10 000 and 1/100). Needs at least 3 such lines carrying at least half
    of all the lines' utfall."""
    pairs = [(abs(n.figures.actual), n.figures.phased) for n in leaves
             if n.figures.phased > 0 and n.figures.actual != 0]
    everything = sum((abs(n.figures.actual) for n in leaves), Fraction(0))
    compared = sum((a for a, _ in pairs), Fraction(0))
    if len(pairs) < MAGNITUDE_MIN_LINES or compared * 2 < everything:
        return None
    median = _weighted_median([(a / b, a) for a, b in pairs])
    bigger = MAGNITUDE_LOW <= median <= MAGNITUDE_HIGH
    smaller = 1 / MAGNITUDE_HIGH <= median <= 1 / MAGNITUDE_LOW
    if not (bigger or smaller):
        return None
    factor = 10 ** round(abs(math.log10(median)))
    times = f"ungefär {factor:,} gånger".replace(",", " ")
    basis = f"viktad median över {len(pairs)} budgetrader"
    tkr = settings.amounts_in == "tkr"
    if bigger:
        text = (f"utfallet är {times} större än den periodiserade budgeten ({basis}); "
                + ("beloppen på Budget läses i tkr (\"Belopp i\"): är huvudbokens belopp i kr?" if tkr else
                   "står beloppen på Budget i tkr medan \"Belopp i\" säger kr? Ange i så fall \"Belopp i\" = tkr "
                   "på bladet Inställningar"))
    else:
        text = (f"budgeten är {times} större än utfallet ({basis}); "
                + ("står beloppen på Budget i kr medan \"Belopp i\" säger tkr?" if tkr else
                   "är huvudboken exporterad i tkr? Huvudbokens belopp ska vara i kr"))
    return Finding("storleksordning", settings.where.get("amounts_in", BUDGET_SHEET.name), text, WARNING)


def _weighted_median(values: list[tuple[Fraction, Fraction]]) -> Fraction:
    """The value at which the (value, weight) pairs, sorted, reach half the total weight."""
    values = sorted(values)
    half, running = sum((w for _, w in values), Fraction(0)) / 2, Fraction(0)
    for value, weight in values:
        running += weight
        if running >= half:
            return value
    return values[-1][0]


def reversed_signs(leaves: list[Line], source: str) -> Finding | None:
    """Every sign of the ledger flipped: the lines whose utfall is negative —
    cost lines that are net income, income lines that are net cost — carry at
    least three quarters of the lines' |utfall|, over at least two lines with
    utfall."""
    lines = [n for n in leaves if n.figures.actual != 0]
    if len(lines) < 2:
        return None
    total = sum((abs(n.figures.actual) for n in lines), Fraction(0))
    flipped = [n for n in lines if n.figures.actual < 0]
    share = sum((abs(n.figures.actual) for n in flipped), Fraction(0)) / total
    if share < REVERSED_SHARE:
        return None
    return Finding(
        "omvant-tecken", source,
        f"tecknen i huvudboken ser omvända ut: på {len(flipped)} av {len(lines)} budgetrader med utfall "
        f"({_percent(share)} av beloppet) är kostnaderna netto negativa eller intäkterna netto positiva; "
        "huvudboken ska ha kostnader positiva och intäkter negativa (debet +) — är exporten teckenvänd, "
        "eller är Typ fel på Budget?", WARNING)


def negative_cost_budgets(lines: Iterable[Line]) -> list[Finding]:
    """A cost line with a negative Budget whose ledger rows are costs (utfall
    > 0): the sign of the budget is probably wrong. A cost line typed negative
    that books credits (utfall < 0, e.g. grants received on cost accounts) is
    consistent and passes, as does one without rows or patterns (a savings
    target); an income line typed negative is read as income (info
    ``negativ-intaktsbudget``)."""
    out = []
    for row in lines:
        line = row.node.line if row.node is not None else None
        if (line is None or row.income or line.budget is None or line.budget >= 0 or not row.is_leaf
                or row.figures.actual <= 0):
            continue
        actual = row.figures.actual
        out.append(Finding(
            "negativ-kostnadsbudget", line.cells.get("budget", line.where),
            f"kostnadsraden \"{row.label}\" har budgeten {format_kr(line.budget)} kr men utfallet är kostnader "
            f"({format_kr(round_half_up(actual))} kr); kostnader anges som positiva belopp — ska budgeten vara "
            f"{format_kr(-line.budget)} kr, eller är raden en intäkt (Typ Intäkt)?", WARNING))
    return out


def type_against_accounts(leaves: list[Line]) -> list[Finding]:
    """A Typ that contradicts the accounts: lines of Typ Kostnad whose Konto
    patterns are all income accounts (class 3) — or of Typ Intäkt whose
    accounts are all cost accounts (classes 4–8) — and whose utfall is in the
    accounts' sign (shown negative on the line). One warning per Typ cell the
    lines' type comes from (a heading typed wrong names its own cell); a type
    read from the accounts themselves cannot contradict them."""
    by_source: dict[Node, list[Line]] = {}
    for row in leaves:
        node = row.node
        konto = node.patterns.get("konto") if node is not None else None
        if row.figures.actual >= 0 or konto is None:
            continue
        classes = konto.classes()
        if not classes:
            continue
        income_accounts, cost_accounts = classes == {"3"}, classes <= set("45678")
        if not (node.income and cost_accounts or not node.income and income_accounts):
            continue
        source = node
        while source is not None and not (source.line is not None and source.line.type):
            source = source.parent
        if source is not None:
            by_source.setdefault(source, []).append(row)
    out = []
    for source, lines in by_source.items():
        typed, meant = (INCOME, COST) if source.income else (COST, INCOME)
        accounts = "kostnadskonton (klass 4–8)" if source.income else "intäktskonton (klass 3)"
        booked = "kostnader" if source.income else "intäkter"
        amount = format_kr(round_half_up(sum((-n.figures.actual for n in lines), Fraction(0))))
        if len(lines) == 1 and lines[0].node is source:
            whose = f"raden \"{source.label}\" har Typ {typed} men"
        else:
            names = _and([f"\"{n.label}\"" for n in lines])
            whose = f"\"{source.label}\" har Typ {typed}, men raderna under den ({names}) har"
        out.append(Finding(
            "typ-mot-konto", source.line.cells.get("typ", source.where),
            f"{whose} bara {accounts} och ett utfall som är {booked} ({amount} kr), som därför räknas med fel "
            f"tecken; ska Typ vara {meant}?", WARNING))
    return out


def suspect_patterns(lines: Iterable[Line], ledger: Ledger) -> list[Finding]:
    """A Budget pattern item that reads as a list typed with spaces or other
    separators (``6110 6990``, ``6110/6990``) and matches no code of its
    column anywhere in the ledger."""
    out = []
    for row in lines:
        node = row.node
        line = node.line if node is not None else None
        if line is None:
            continue
        for column in line.patterns:
            pattern, codes = node.scope.get(column), ledger.codes.get(column)
            if pattern is None or codes is None:
                continue
            for item, meant in pattern.suspect:
                if any(item.matches(code) for code in codes.texts):
                    continue
                name = ledger.labels.get(column, column.capitalize())
                out.append(Finding(
                    "monster-avgransare", line.cells.get(column, line.where),
                    f"mönstret \"{item.low}\" ({name}) på raden \"{node.label}\" matchar ingen kod i huvudboken; en "
                    f"lista skrivs med komma och ett intervall med bindestreck — menade du \"{meant}\"?", WARNING))
    return out


def unbudgeted(tie: TieOut, leaves: list[Line]) -> Finding | None:
    """The Ej budgeterat rows: info, as the tie-out shows them; a warning when
    their money (Σ |amount| per account and dimensions) is at least 5 % of
    all utfall (that plus Σ |utfall| of the lines) and at least 1 000 kr —
    more than stray bookings: a Konto list typed wrong moves a line's whole
    utfall there."""
    if not tie.unbudgeted:
        return None
    n = sum(item.rows for item in tie.unbudgeted)
    text = (f"{n} huvudboksrader ({format_kr(tie.sum_unbudgeted)} kr) matchar ingen budgetrad och redovisas som "
            "Ej budgeterat")
    gross = sum(abs(item.amount) for item in tie.unbudgeted)
    everything = gross + sum((abs(n.figures.actual) for n in leaves), Fraction(0))
    if gross < UNBUDGETED_FLOOR or gross < UNBUDGETED_SHARE * everything:
        return Finding("ej-budgeterat", tie.source, text, INFO)
    largest = max(tie.unbudgeted, key=lambda item: abs(item.amount))
    codes = ", ".join(f"{tie.labels.get(d, d.capitalize())} {code}" for d, code in largest.codes.items() if code)
    most = f"mest {codes or 'rader utan koder'} ({format_kr(largest.amount)} kr)"
    return Finding("ej-budgeterat", tie.source,
                   f"{text} — {_percent(Fraction(gross) / everything)} av allt utfall, {most}; saknas en budgetrad, "
                   "eller stämmer inte mönstren på Budget?", WARNING)
