"""Väsentlighet (materiality): which lines of Sammanställning have a variance
that must be explained, and whether it is.

A unit states its rule on Inställningar — ``Väsentlighet belopp`` (tkr) and
``Väsentlighet procent`` — as in "avvikelser som överstiger 50 tkr eller 10 %
ska förklaras". A line is **material** when, on its exact figures (not the
rounded ones shown):

- |avvikelse (periodiserad)| ≥ belopp, or |avvikelse budget–prognos| ≥ belopp;
- or |avvikelse| ≥ procent of |periodiserad budget|, or |avvikelse
  budget–prognos| ≥ procent of |budget| (each only where that budget is not 0:
  with a zero budget only the amount rule applies).

"Reaches" is ≥: a variance of exactly 50 tkr against a rule of 50 tkr is
material.  The lines looked at are the rows of Sammanställning that report a
part of the unit: every line (budget lines and Ofördelat), every heading (its
Summa) and Ej budgeterat — not the closing rows (Totalt, Summa intäkter,
Summa kostnader, Resultat), which the report's opening sentence covers.

A material line is **explained** when the Kommentar Sammanställning shows for
it is not empty — typed there on the line's row (or a heading's Summa row), or
the Budget sheet's Kommentar of the line — or its area on Analys (its
Uppdrag, or Ej budgeterat) has a Förklaring; a heading also when every material
line under it is explained.  An unexplained one gets the warning
``forklaring-saknas``, one per line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from ..contract.written import ANALYSIS_SHEET, SUMMARY_COMMENT_HEADING, SUMMARY_SHEET
from ..findings import Finding, accept
from ..layout import BREAKDOWN, PATH_SEPARATOR, UNBUDGETED_KEY, UNBUDGETED_LABEL, sum_key
from .figures import Figures
from .model import NoteRow, RowKey, Settings

SLUG = "forklaring-saknas"
UNIT_AMOUNT = 100_000  # öre per tkr: the amount rule is stated in tkr


@dataclass(frozen=True)
class Rule:
    """The unit's rule: ``amount`` in öre, ``percent`` in percent (10 = 10 %); None: not set."""

    amount: int | None = None
    percent: Decimal | None = None

    @property
    def text(self) -> str:
        """'50 tkr eller 10 %'."""
        parts = []
        if self.amount is not None:
            parts.append(f"{number_text(Fraction(self.amount, UNIT_AMOUNT))} tkr")
        if self.percent is not None:
            parts.append(f"{number_text(Fraction(self.percent))} %")
        return " eller ".join(parts)

    def reasons(self, figures: Figures) -> tuple[str, ...]:
        """The thresholds ``figures`` reach, each as the Swedish text Avstämning shows."""
        found = []
        variance, forecast_variance = abs(figures.variance), abs(figures.forecast_variance)
        limit = f"{number_text(Fraction(self.amount, UNIT_AMOUNT))} tkr" if self.amount is not None else ""
        share = f"{number_text(Fraction(self.percent))} %" if self.percent is not None else ""
        if self.amount is not None and variance >= self.amount:
            found.append(f"avvikelse ≥ {limit}")
        if self.percent is not None and figures.phased and variance * 100 >= abs(figures.phased) * Fraction(self.percent):
            found.append(f"avvikelse ≥ {share} av periodiserad budget")
        if self.amount is not None and forecast_variance >= self.amount:
            found.append(f"prognosavvikelse ≥ {limit}")
        if self.percent is not None and figures.budget \
                and forecast_variance * 100 >= abs(figures.budget) * Fraction(self.percent):
            found.append(f"prognosavvikelse ≥ {share} av budget")
        return tuple(found)


@dataclass(frozen=True)
class Flag:
    """A material line: its row key on Sammanställning, what it reached, its
    figures (in the row's own sign) and where its explanation is ('' for none)."""

    key: RowKey  # the line's label path (Ej budgeterat: ("Ej budgeterat",))
    kind: str  # "rad" | "rubrik" | "ej budgeterat"
    reasons: tuple[str, ...]
    figures: Figures
    explained: str  # "Kommentar" | "Förklaring (Politik)" | "Kommentar på raderna under" | ""
    area: str = ""  # its area on Analys (its Uppdrag, Ej budgeterat); '' when its lines have several

    @property
    def path(self) -> str:
        return PATH_SEPARATOR.join(self.key)


@dataclass(frozen=True)
class Materiality:
    rule: Rule
    flags: tuple[Flag, ...]

    def flagged(self, key: RowKey) -> bool:
        return any(flag.key == key for flag in self.flags)


def rule_of(settings: Settings) -> Rule | None:
    """The unit's rule, or None when neither setting is given."""
    if settings.materiality_amount is None and settings.materiality_percent is None:
        return None
    return Rule(settings.materiality_amount, settings.materiality_percent)


def flag(report, settings: Settings):
    """``report`` (a ``results.Report``, with the economist's Kommentar and
    Förklaring carried) with its material lines and a ``forklaring-saknas``
    warning per unexplained one; unchanged when the unit has no rule.  The
    warnings are accepted like the others (Godkända varningar)."""
    rule = rule_of(settings)
    if rule is None:
        return report
    flags = material(report, rule)
    findings = [missing(f, rule) for f in flags if not f.explained]
    if settings.accepted:
        from ..contract import SETTINGS_SHEET

        findings = accept(findings, settings.accepted, settings.where.get("accepted", SETTINGS_SHEET.name))
    return replace(report, materiality=Materiality(rule, tuple(flags)), findings=(*report.findings, *findings))


def material(report, rule: Rule) -> list[Flag]:
    """The material rows of ``report``, in the order Sammanställning shows the lines."""
    flags: list[Flag] = []
    by_key: dict[RowKey, Flag] = {}

    def visit(line) -> None:
        for child in line.children:  # first: a heading is explained when every material line under it is
            visit(child)
        reasons = rule.reasons(line.figures)
        if not reasons:
            return
        area = _area_of(line)
        explained = _explained(report, line, area)
        if not explained and line.children:
            under = list(_flags_under(line, by_key))
            if under and all(f.explained for f in under):
                explained = "Kommentar på raderna under"
        by_key[line.label_path] = Flag(line.label_path, "rubrik" if line.children else "rad", reasons,
                                       line.figures, explained, area)

    for root in report.roots:
        visit(root)
    flags = [by_key[line.label_path] for line in report.nodes() if line.label_path in by_key]
    if report.unbudgeted is not None and (reasons := rule.reasons(report.unbudgeted)):
        explained = SUMMARY_COMMENT_HEADING if _typed(report.notes.get(UNBUDGETED_KEY)) else _area(report, UNBUDGETED_LABEL)
        flags.append(Flag(UNBUDGETED_KEY, "ej budgeterat", reasons, report.unbudgeted, explained,
                          UNBUDGETED_LABEL))
    return flags


def _flags_under(line, by_key: dict[RowKey, Flag]) -> Iterator[Flag]:
    for child in line.children:
        if child.label_path in by_key:
            yield by_key[child.label_path]
        yield from _flags_under(child, by_key)


def _area_of(line) -> str:
    """The line's area on Analys: the Uppdrag of its lines (a consolidated line's:
    its top-level line), '' when they have several."""
    areas = {leaf.assignment or leaf.label_path[0] for leaf in line.leaves()}
    return areas.pop() if len(areas) == 1 else ""


def _explained(report, line, area: str) -> str:
    """Where ``line``'s explanation is: its Kommentar on Sammanställning (typed on
    its rows, or the Budget sheet's), or its area's Förklaring on Analys; '' for none."""
    keys = [line.label_path]
    if line.children:
        keys.append(sum_key(line))
        if len(line.label_path) == 1:
            keys.append((line.label + BREAKDOWN,))
    if any(_typed(report.notes.get(key)) for key in keys) or (line.comment or "").strip():
        return SUMMARY_COMMENT_HEADING
    return _area(report, area) if area else ""


def _area(report, name: str) -> str:
    return f"Förklaring ({name})" if _typed(report.explanations.rows.get((name,))) else ""


def _typed(row: NoteRow | None) -> bool:
    """Has the economist typed something in the row's first column (Kommentar, Förklaring)?"""
    if row is None:
        return False
    return any(cell.offset == 0 and (cell.formula or str(cell.value if cell.value is not None else "").strip())
               for cell in row.cells)


def missing(flag: Flag, rule: Rule) -> Finding:
    """The warning for a material line without an explanation."""
    what = "rubriken" if flag.kind == "rubrik" else "raden"
    where = f"en {SUMMARY_COMMENT_HEADING} på {SUMMARY_SHEET}"
    if flag.area:
        where += f" eller en Förklaring för {flag.area} på {ANALYSIS_SHEET}"
    return Finding(SLUG, f"{SUMMARY_SHEET}: {flag.path}",
                   f'{what} "{flag.path}" har en väsentlig avvikelse ({"; ".join(flag.reasons)}; '
                   f"Väsentlighet {rule.text}) men ingen förklaring: skriv {where}", "varning")


def number_text(value: Fraction) -> str:
    """50 → '50', 12.5 → '12,5', 1500 → '1 500'."""
    whole, rest = divmod(abs(value), 1)
    sign = "-" if value < 0 else ""
    text = f"{int(whole):,}".replace(",", "\u00a0")
    if rest:
        decimals = format(Decimal(rest.numerator) / Decimal(rest.denominator), "f")[2:8].rstrip("0")
        text += "," + decimals
    return sign + text
