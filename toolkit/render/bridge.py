"""The budget bridge on Avstämning: per budget line with changes, from the
original budget (Budget sheet) through each change counted (date, type,
decision) to the budget every figure uses; then the changes dated after the
closing period (listed, not yet counted) and Σ of the Omfördelning rows,
which must be 0.  In kr with öre, in the line's own sign (+ raises its
budget).  A consolidation's bridge names the unit of each change."""

from __future__ import annotations

from fractions import Fraction

from ..cells import column_letter
from ..contract import CHANGES_SHEET, MONTH_NAMES, REALLOCATION, YES_NO
from ..engine.results import Report
from ..layout import PATH_SEPARATOR
from .formats import KR, kr

BRIDGE_HEADING = "Budgetändringar — från ursprunglig budget till budget"
ORIGINAL = "Ursprunglig budget"
REVISED = "Budget"
LATER_HEADING = "Ändringar daterade efter bokslutsperioden (ingår inte i budgeten än)"
REALLOCATED = "Σ omfördelningar (ska vara 0,00)"
YES = YES_NO[0].name  # Från januari: ja
AMOUNT_COL = 3
L = column_letter(AMOUNT_COL)


def write_bridge(sheet, row: int, report: Report, fmt) -> int:
    """The bridge from ``row`` on; returns the row after it (``row`` when the unit has no changes)."""
    if not report.changes:
        return row
    bold, money = fmt.get(bold=True), fmt.get(num=KR)
    money_bold = fmt.get(num=KR, bold=True, top=1)
    head = fmt.get(bold=True, bottom=1)
    text = fmt.get(indent=1, align="left")  # a decision beside the amount to its left
    units = report.is_consolidation
    sheet.write_string(row, 0, BRIDGE_HEADING, bold)
    row += 1
    sheet.write_string(row, 0, f"Belopp i kr med öre, + höjer radens budget; från {CHANGES_SHEET.name}"
                       + (" i varje enhet" if units else ""), fmt.get(italic=True))
    row += 1
    headings = ["Budgetrad", "Datum", "Typ", "Belopp", "Beslut", "Från januari", "Kommentar"] + (["Enhet"] if units else [])
    sheet.write_row(row, 0, headings, head)
    row += 1
    lines = {line.label_path: line for line in report.nodes()}
    by_path: dict[tuple[str, ...], list] = {}
    for change in report.changes:
        if change.counted:
            by_path.setdefault(change.path, []).append(change)
    order = [line.label_path for line in report.leaves() if line.label_path in by_path]
    for path in order:
        line = lines[path]
        sheet.write_string(row, 0, PATH_SEPARATOR.join(path), bold)
        sheet.write_string(row, 2, ORIGINAL)
        sheet.write_number(row, AMOUNT_COL, kr(line.figures.original), money)
        first = row
        row += 1
        for change in by_path[path]:
            _change_row(sheet, row, change, units, money, text)
            row += 1
        sheet.write_string(row, 2, REVISED, bold)
        sheet.write_formula(row, AMOUNT_COL, f"={L}{first + 1}+SUM({L}{first + 2}:{L}{row})", money_bold,
                            kr(line.figures.budget))
        row += 1
    later = [change for change in report.changes if not change.counted]
    if later:
        row += 1
        period = f"{MONTH_NAMES[report.period - 1]} {report.year}" if report.period else f"före {report.year}"
        sheet.write_string(row, 0, f"{LATER_HEADING}, bokslutsperiod {period}", bold)
        row += 1
        for change in later:
            sheet.write_string(row, 0, PATH_SEPARATOR.join(change.path))
            _change_row(sheet, row, change, units, money, text)
            row += 1
    moved = [change for change in report.changes if change.type == REALLOCATION]
    if moved:
        row += 1
        sheet.write_string(row, 0, REALLOCATED, bold)
        total = sum((Fraction(change.source.amount) for change in moved), Fraction(0))
        sheet.write_number(row, AMOUNT_COL, kr(total), fmt.get(num=KR, bold=True))
        row += 1
    return row + 1


def _change_row(sheet, row: int, change, units: bool, money, text) -> None:
    sheet.write_string(row, 1, change.date.isoformat())
    sheet.write_string(row, 2, change.type)
    sheet.write_number(row, AMOUNT_COL, kr(change.amount), money)
    if change.decision:
        sheet.write_string(row, 4, change.decision, text)
    if change.source.from_january:
        sheet.write_string(row, 5, YES)
    if change.comment:
        sheet.write_string(row, 6, change.comment)
    if units:
        sheet.write_string(row, 7, change.unit)
