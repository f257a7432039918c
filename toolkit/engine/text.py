"""The report's text, in Swedish: the sentences a follow-up report states for
the unit as a whole and for each area (Uppdrag), generated from the figures.

    Lokal nämnd Halmstad har totalt sett en ekonomi i balans. Lokal nämnd
    Halmstads utfall för perioden januari–augusti är 712 tkr med en positiv
    budgetavvikelse om 38 tkr. Prognosen för helåret är utfall enligt budget.

    Uppdraget Politik visar en positiv budgetavvikelse om 57 tkr för perioden
    januari–augusti. Prognosen för helåret är utfall enligt budget.

The subject is the unit's name (its Enhet; a consolidation's --name), not
"Nämnden": a unit may be a nämnd or a part of a kommunalförbund. Amounts are
the shown ones — rounded half away from zero in the display unit, as the
sheets show them — and the words follow their sign (so a variance shown as 0
is "i nivå med", never "en positiv budgetavvikelse om 0 tkr"). Numbers are
written without the machine's locale: a no-break space between thousands
(``1 240``), a space before the unit.

Pure: a ``Report`` in, ``Area`` records out; no files, no Excel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..contract import MONTH_NAMES, PATH_SEPARATOR, normalise_header
from ..layout import UNBUDGETED_LABEL
from ..money import round_half_up
from .figures import Figures
from .model import RowKey
from .results import Line, Report

NBSP = "\u00a0"  # between the thousands of a number: "1 240" never breaks across lines
#: the unit is "i balans" when its full-year variance is within this share of its annual budget
BALANCE_SHARE = Fraction(1, 100)
TOTAL_KEY: RowKey = ("Totalt",)  # the unit as a whole (a consolidation: the whole)
UNIT_TOTAL = "Totalt"  # a consolidation's unit as a whole: (unit name, "Totalt")
#: the forecast method as the forecast sentence names it (budget: the sentence says "utfall enligt budget")
METHOD_WORDS = {"rest": "utfallet hittills och budgeten för resten av året",
                "trend": "utfallet hittills uppräknat till helår"}


@dataclass(frozen=True)
class Area:
    """One paragraph of the report's text: the unit as a whole, a unit of a
    consolidation, or an Uppdrag; ``key`` finds the economist's explanation
    again on the next refresh."""

    key: RowKey  # ("Totalt",) · ("Politik",) · (unit name, "Totalt") in a consolidation
    sentences: tuple[str, ...]
    #: where in the workbook to look further ("Se bladet Avstämning."): written on the sheets only, never in
    #: the report's text, whose readers have no workbook
    pointer: str = ""

    @property
    def label(self) -> str:
        """As Analys shows it in Område: 'Politik', 'Lokal nämnd Halmstad › Totalt'."""
        return PATH_SEPARATOR.join(self.key)

    @property
    def text(self) -> str:
        """The paragraph as the report (Word, plain text) states it."""
        return " ".join(self.sentences)

    @property
    def sheet_text(self) -> str:
        """The paragraph as Analys shows it: the report's text, then the pointer into the workbook."""
        return " ".join([*self.sentences, *([self.pointer] if self.pointer else [])])


# -- numbers and words ----------------------------------------------------------------------

def number(n: int) -> str:
    """1240 → '1 240' (a no-break space), -38 → '-38'; whatever the machine's locale."""
    return f"{n:,}".replace(",", NBSP)


def shown(value: Fraction | int, unit: str) -> int:
    """An amount in öre as the sheets show it in ``unit`` (tkr or kr): rounded half away from zero."""
    return round_half_up(Fraction(value) / (100_000 if unit == "tkr" else 100))


def amount(value: Fraction | int, unit: str) -> str:
    """The shown magnitude with its unit: '1 240 tkr' (the sentence says the sign in words)."""
    return f"{number(abs(shown(value, unit)))} {unit}"


def percent(share: Fraction) -> str:
    """0.57 → '57 %' (whole percent, a no-break space before the sign)."""
    return f"{number(round_half_up(share * 100))}{NBSP}%"


def months(period: int) -> str:
    """The months 1..``period`` in running text: 'januari–augusti'; 'januari' for period 1."""
    if period <= 1:
        return MONTH_NAMES[0]
    return f"{MONTH_NAMES[0]}–{MONTH_NAMES[period - 1]}"


def genitive(name: str) -> str:
    """Swedish genitive of a name: 'Lokal nämnd Halmstad' → 'Lokal nämnd Halmstads';
    'Borås' stays 'Borås' (s, x and z take no s); 'SML' → 'SML:s' and
    'Enhet 3' → 'Enhet 3:s' (an abbreviation, a digit or a sign takes a colon)."""
    name = name.strip()
    if not name:
        return "enhetens"
    last = name.split()[-1]
    if not last[-1].isalpha() or last.isupper():
        return f"{name}:s"
    return name if last[-1].lower() in "sxz" else f"{name}s"


# -- the sentences ------------------------------------------------------------------------

def balanced(figures: Figures, period: int, unit: str) -> bool:
    """In balance: the year's variance (the forecast's; at period 12 the year's
    own) is shown as 0, or is within ``BALANCE_SHARE`` of the annual budget."""
    variance = figures.variance if period >= 12 else figures.forecast_variance
    return shown(variance, unit) == 0 or abs(variance) <= BALANCE_SHARE * abs(figures.budget)


def balance_sentence(subject: str, figures: Figures, period: int, unit: str) -> str:
    """'Lokal nämnd Halmstad har totalt sett en ekonomi i balans.' — about the
    year: the forecast against the annual budget (the closed year at period 12)."""
    if balanced(figures, period, unit):
        return f"{subject} har totalt sett en ekonomi i balans."
    variance = figures.variance if period >= 12 else figures.forecast_variance
    word = "ett överskott" if variance > 0 else "ett underskott"
    if period >= 12:
        return f"{subject} redovisar totalt sett {word} mot budget för året."
    return f"{subject} prognostiserar totalt sett {word} mot budget för helåret."


def headline_sentence(subject: str, figures: Figures, year: int, period: int, unit: str) -> str:
    """'Lokal nämnd Halmstads utfall för perioden januari–augusti är 712 tkr med
    en positiv budgetavvikelse om 38 tkr.' (``figures``: net cost, costs −
    income)."""
    if period == 0:
        return f"Inget utfall är bokfört för {year} ännu."
    actual = shown(figures.actual, unit)
    outcome = amount(figures.actual, unit) if actual >= 0 else f"en nettointäkt om {amount(figures.actual, unit)}"
    first = f"{genitive(subject)} utfall för perioden {months(period)} är {outcome}"
    variance = shown(figures.variance, unit)
    if variance == 0:
        return f"{first}, vilket är i nivå med den periodiserade budgeten."
    return f"{first} med en {'positiv' if variance > 0 else 'negativ'} budgetavvikelse om {amount(figures.variance, unit)}."


def area_sentence(label: str, figures: Figures, period: int, unit: str) -> str:
    """'Uppdraget Politik visar en positiv budgetavvikelse om 57 tkr för perioden januari–augusti.'"""
    if period == 0:
        return f"Uppdraget {label} har inget bokfört utfall ännu."
    variance = shown(figures.variance, unit)
    if variance == 0:
        return f"Uppdraget {label} visar ett utfall i nivå med budget för perioden {months(period)}."
    sign = "positiv" if variance > 0 else "negativ"
    return (f"Uppdraget {label} visar en {sign} budgetavvikelse om {amount(figures.variance, unit)} för perioden "
            f"{months(period)}.")


def forecast_sentence(figures: Figures, method: str | None, period: int, unit: str) -> str | None:
    """'Prognosen för helåret är utfall enligt budget.' when the forecast is the
    budget; else its variance in words, with how it was made when every line
    of the area is forecast by the method ``rest`` or ``trend``:
    'Prognosen för helåret (utfallet hittills uppräknat till helår) är ett
    underskott om 30 tkr.'  None at period 12: the year is closed."""
    if period >= 12:
        return None
    if figures.forecast == figures.budget:
        return "Prognosen för helåret är utfall enligt budget."
    how = f" ({METHOD_WORDS[method]})" if method in METHOD_WORDS else ""
    variance = shown(figures.forecast_variance, unit)
    if variance == 0:
        return f"Prognosen för helåret{how} är i nivå med budget."
    word = "ett överskott" if variance > 0 else "ett underskott"
    return f"Prognosen för helåret{how} är {word} om {amount(figures.forecast_variance, unit)}."


#: after the Ej budgeterat sentence on the sheets (Analys): the rows are listed on Avstämning
UNBUDGETED_POINTER = "Se bladet Avstämning."


def unbudgeted_sentence(figures: Figures, period: int, unit: str) -> str:
    """The ledger rows no budget line claims (``figures``: cost sign), in the
    report's words; the sheets add ``UNBUDGETED_POINTER``."""
    when = f"för perioden {months(period)}"
    actual = shown(figures.actual, unit)
    if actual == 0:
        return f"Bokfört utfall {when} som inte hör till någon budgetrad summerar till 0 {unit}."
    what, effect = ("Kostnader", "negativ") if actual > 0 else ("Intäkter", "positiv")
    return (f"{what} om {amount(figures.actual, unit)} {when} hör inte till någon budgetrad; de ger en {effect} "
            "budgetavvikelse och ingår i prognosen för helåret.")


def whole(subject: str, figures: Figures, year: int, period: int, unit: str, method: str | None) -> tuple[str, ...]:
    """The paragraph on a unit as a whole: balance, headline, forecast."""
    sentences = [balance_sentence(subject, figures, period, unit),
                 headline_sentence(subject, figures, year, period, unit)]
    forecast = forecast_sentence(figures, method, period, unit)
    return (*sentences, *([forecast] if forecast else []))


def opening(report: Report) -> tuple[str, ...]:
    """The unit (a consolidation: the whole) in the report's words — balance,
    headline, forecast — in the same words wherever it stands: the opening
    sentence under Sammanställning, the first row of Analys, and the first
    paragraph of the report's text."""
    return whole(report.unit, report.total, report.year, report.period, report.show_in, method_of(report))


# -- the areas of a report ----------------------------------------------------------------------

def _area_leaves(report: Report) -> dict[str, list[Line]]:
    """A unit's leaves by their Uppdrag (normalised), as the Resultaträkning groups them."""
    found: dict[str, list[Line]] = {}
    for root in report.roots:
        for leaf in root.leaves():
            found.setdefault(normalise_header(leaf.assignment or root.label), []).append(leaf)
    return found


def _own_forecast(line: Line) -> bool:
    return line.node is not None and line.node.line is not None and line.node.line.forecast is not None


def _method(report: Report, leaves: Iterable[Line]) -> str | None:
    """The method every one of ``leaves`` of a unit's report is forecast by; None when any has its own Prognos."""
    return None if any(_own_forecast(leaf) for leaf in leaves) else report.method


def method_of(report: Report, area: str | None = None) -> str | None:
    """The forecast method of the whole report (``area`` None) or of one Uppdrag,
    when every line in it is forecast by that one method; else None. A
    consolidation asks its units."""
    if report.is_consolidation:
        found = {method_of(part.report, area) for part in report.units
                 if area is None or normalise_header(area) in _area_leaves(part.report)}
        return found.pop() if len(found) == 1 else None
    leaves = report.leaves() if area is None else _area_leaves(report).get(normalise_header(area), [])
    return _method(report, leaves)


def areas(report: Report) -> tuple[Area, ...]:
    """The report's paragraphs, in the order Analys shows them: the unit as a
    whole; in a consolidation each unit as a whole; then each Uppdrag (and Ej
    budgeterat) as on Resultaträkning."""
    unit, period, year = report.show_in, report.period, report.year
    found = [Area(TOTAL_KEY, opening(report))]
    for part in report.units:
        found.append(Area((part.name, UNIT_TOTAL),
                          whole(part.name, part.total, year, period, unit, method_of(part.report))))
    for label, figures in report.assignments:
        if label == UNBUDGETED_LABEL:
            found.append(Area((label,), (unbudgeted_sentence(figures.as_sign(False), period, unit),),
                              UNBUDGETED_POINTER))
            continue
        sentences = [area_sentence(label, figures, period, unit)]
        forecast = forecast_sentence(figures, method_of(report, label), period, unit)
        found.append(Area((label,), (*sentences, *([forecast] if forecast else []))))
    return tuple(found)
