"""The figures of the report's result section, in the unit shown (tkr or kr):

    4.2    Ackumulerad budgetavvikelse: ack resultat, ack budget, ack avvikelse
           — result sign (income +, costs −); avvikelse = resultat − budget
    4.2.1  Resultaträkning per uppdrag: resultat, budget for the period,
           budget and prognos for the year, prognosavvikelse — net cost
           (costs − income) shown positive; a Summa row ("Summa Lokal nämnd
           Halmstads verksamhet") that is the unit's Totalt
    4.3    Prognos budgetavvikelse: årsprognos, årsbudget, avvikelse — result sign

Every variance is positive when favourable.  One function for every place
these tables appear — the sheet Resultaträkning (``render.result_statement``,
which adds its formulas) and the Word report with its plain text — so they
show the same figures.  Each is exact (a ``Fraction`` of the unit shown),
displayed rounded half away from zero.

Pure: a ``Report`` in, records out.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .figures import Figures
from .results import Report
from .shown import scale_of
from .text import genitive

ACCUMULATED = "Ackumulerad budgetavvikelse"
FORECAST = "Prognos budgetavvikelse"


@dataclass(frozen=True)
class Indicator:
    """A row of 4.2 or 4.3, in result sign."""

    label: str
    result: Fraction  # ack resultat · årsprognos
    budget: Fraction  # ack budget · årsbudget
    variance: Fraction  # result − budget: favourable positive


@dataclass(frozen=True)
class Assignment:
    """A row of 4.2.1: an Uppdrag (or the Summa row), as net cost."""

    label: str
    actual: Fraction  # resultat for the period
    phased: Fraction  # budget for the period
    budget: Fraction  # budget for the year
    forecast: Fraction  # prognos for the year
    forecast_variance: Fraction  # budget − prognos: favourable positive


@dataclass(frozen=True)
class Statement:
    accumulated: Indicator  # 4.2
    assignments: tuple[Assignment, ...]  # 4.2.1, one row per Uppdrag (and Ej budgeterat)
    total: Assignment  # 4.2.1's Summa row: the unit's Totalt
    forecast: Indicator  # 4.3


def total_label(report: Report) -> str:
    """'Summa Lokal nämnd Halmstads verksamhet'."""
    return f"Summa {genitive(report.unit)} verksamhet"


def statement(report: Report) -> Statement:
    scale = scale_of(report.show_in)

    def shown(value) -> Fraction:
        return Fraction(value) / scale

    def row(label: str, cost: Figures) -> Assignment:
        return Assignment(label, shown(cost.actual), shown(cost.phased), shown(cost.budget), shown(cost.forecast),
                          shown(cost.forecast_variance))

    total = report.total  # net cost: costs − income
    return Statement(
        accumulated=Indicator(ACCUMULATED, shown(-total.actual), shown(-total.phased), shown(total.variance)),
        assignments=tuple(row(name, f.as_sign(False)) for name, f in report.assignments),
        total=row(total_label(report), total),
        forecast=Indicator(FORECAST, shown(-total.forecast), shown(-total.budget), shown(total.forecast_variance)),
    )
