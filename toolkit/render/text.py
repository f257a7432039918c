"""The sentences the report text is built from (Swedish)."""

from __future__ import annotations

from ..contract import METHODS
from ..engine.results import Report

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
