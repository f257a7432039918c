"""Väsentlighet on the sheets: the mark beside each material line on
Sammanställning (in the narrow column before Kommentar, which then carries the
mark as its heading, so it is not pasted with the figures and stands right
beside where the explanation is typed), and the block on Avstämning listing
them with their figures and whether they are explained (``engine.materiality``)."""

from __future__ import annotations

from types import SimpleNamespace

from ..engine.results import Report
from ..engine.rounding import UNBUDGETED, line_key
from ..layout import UNBUDGETED_KEY
from .formats import KR, kr

MARK = "!"
MISSING = "saknas"


def legend(report: Report) -> str | None:
    """The note under Sammanställning's title when the unit has a rule."""
    if report.materiality is None:
        return None
    return (f"Belopp i {report.show_in} · {MARK} = väsentlig avvikelse (Väsentlighet {report.materiality.rule.text}), "
            "se Avstämning")


def write_marks(sheet, report: Report, figure_row: dict[tuple, int], rows_by_key: dict[tuple, int], column: int,
                fmt) -> None:
    """The mark on the row showing each material line's figures (a report
    layout's sub-heading, which shows none: on its own row)."""
    if report.materiality is None:
        return
    style = fmt.get(bold=True, color="#C00000", align="center", valign="top")
    for flag in report.materiality.flags:
        key = UNBUDGETED if flag.key == UNBUDGETED_KEY else line_key(SimpleNamespace(label_path=flag.key))
        r = figure_row.get(key, rows_by_key.get(flag.key))
        if r is not None:
            sheet.write_string(r, column, MARK, style)


HEADINGS = ["Rad", "Avvikelse\n(periodiserad)", "Periodiserad\nbudget", "Avvikelse\nbudget–prognos", "Budget",
            "Förklaring", "Gräns som nåddes"]


def write_material(sheet, row: int, report: Report, fmt) -> int:
    """Avstämning's block of material lines; returns the row after it (``row``
    when the unit has no rule)."""
    found = report.materiality
    if found is None:
        return row
    sheet.write_string(row, 0, f"Väsentliga avvikelser (Väsentlighet {found.rule.text})", fmt.get(bold=True))
    row += 1
    sheet.write_string(row, 0, f"Rader vars avvikelse når gränsen (markerade med {MARK} på Sammanställning); de ska "
                               "förklaras i Kommentar på Sammanställning eller i Förklaring på Analys. Belopp i kr, "
                               "avvikelser positiva när de är gynnsamma", fmt.get(italic=True))
    row += 1
    if not found.flags:
        sheet.write_string(row, 0, "Ingen rad når gränsen")
        return row + 2
    for c, heading in enumerate(HEADINGS):
        sheet.write_string(row, c, heading, fmt.get(bold=True, bottom=1, wrap=True, valign="bottom",
                                                    align="right" if 1 <= c <= 4 else None))
    sheet.set_row(row, 30)
    row += 1
    money = fmt.get(num=KR)
    missing = fmt.get(bold=True, color="#C00000")
    for flag in found.flags:
        f = flag.figures
        sheet.write_string(row, 0, flag.path)
        for c, value in enumerate((f.variance, f.phased, f.forecast_variance, f.budget), start=1):
            sheet.write_number(row, c, kr(value), money)
        if flag.explained:
            sheet.write_string(row, 5, flag.explained)
        else:
            sheet.write_string(row, 5, MISSING, missing)
        sheet.write_string(row, 6, "; ".join(flag.reasons))
        row += 1
    return row + 1
