"""The sentences the report text is built from (Swedish)."""

from __future__ import annotations

from ..contract import METHODS, MONTH_NAMES
from ..engine.results import Report
from ..money import round_half_up

#: each forecast method as the report's text calls it
METHOD_TEXT = {method.name: method.text for method in METHODS}


def title(report: Report, what: str) -> str:
    if report.period == 0:
        return f"{report.unit} — {what} {report.year} (inget utfall ännu)"
    return f"{report.unit} — {what} {report.period_label} {report.year}"


def unit_note(report: Report, text: str | None = None) -> str:
    """'Belopp i tkr' (or ``text``) — and, when the run has warnings, a word
    that the figures may be wrong: the sheet may be read without the console
    line (after a nightly refresh)."""
    note = text or f"Belopp i {report.show_in}"
    if report.warnings:
        n = len(report.warnings)
        note += f" · OBS: {n} {'varning' if n == 1 else 'varningar'} — kontrollera Avstämning innan tabellen används"
    return note


def write_unit_note(sheet, report: Report, fmt, text: str | None = None) -> None:
    """The note under a sheet's title, red when the run has warnings."""
    style = fmt.get(italic=True, bold=True, color="#C00000") if report.warnings else fmt.get(italic=True)
    sheet.write_string(1, 0, unit_note(report, text), style)


def rounded(value, unit: str) -> int:
    return round_half_up(value / (100_000 if unit == "tkr" else 100))


def headline(report: Report) -> str:
    """'Nämndens utfall för perioden januari–augusti är 712 tkr med en positiv
    budgetavvikelse om 38 tkr. Prognosen är ett utfall enligt budget.'"""
    unit = report.show_in
    total = report.total
    actual = rounded(total.actual, unit)
    variance = rounded(total.variance, unit)
    if report.period == 0:
        first = f"Inget utfall är bokfört för {report.year} ännu."
    else:
        months = MONTH_NAMES[0] if report.period == 1 else f"{MONTH_NAMES[0]}–{MONTH_NAMES[report.period - 1]}"
        first = f"Utfallet för perioden {months} är {_n(actual)} {unit}"
        if variance == 0:
            first += " vilket är i nivå med den periodiserade budgeten."
        else:
            sign = "positiv" if variance > 0 else "negativ"
            first += f" med en {sign} budgetavvikelse om {_n(abs(variance))} {unit}."
    f_var = rounded(total.forecast_variance, unit)
    if f_var == 0 and total.forecast == total.budget:
        second = "Prognosen är ett utfall enligt budget vid verksamhetsårets slut."
    else:
        sign = "positiv" if f_var > 0 else "negativ"
        level = "i nivå med budgeten." if f_var == 0 else f"en {sign} avvikelse mot budget om {_n(abs(f_var))} {unit}."
        second = f"Prognosen för helåret är {_n(rounded(total.forecast, unit))} {unit}, {level}"
    return f"{first} {second}"


def _n(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")
