"""A consolidation's Avstämning: the blocks for what the units have beside
their operating lines, exact in kr with öre.

- The units' investment projects: each project's rows in the period (its
  Utfall i år), Σ the projects against Σ Investeringar of the units' own
  ledger tie-outs (the block above it), the difference always 0,00.
- The units' last year (Fjolår, when every unit has it): each unit's rows of
  last year in months 1..P against its lines and Ej budgeterat, and Σ over
  the units' lines and Ej budgeterat against the consolidated Totalt of
  Fjolår (net cost, as Sammanställning shows it).

Each writer returns the row after its block (``row`` when there is none)."""

from __future__ import annotations

from ..cells import column_letter
from ..contract.written import INVESTMENTS_SHEET
from ..engine.results import Report
from ..layout import UNBUDGETED_LABEL
from .formats import KR, kr


def write_units_investments(sheet, row: int, report: Report, fmt) -> int:
    """Enhet | Projekt | Σ huvudbok | Antal rader per project, Σ the projects, and the check against Σ
    Investeringar of the units' ledger tie-outs."""
    if not report.investments:
        return row
    bold, money, money_bold = fmt.get(bold=True), fmt.get(num=KR), fmt.get(num=KR, bold=True)
    count, count_bold = fmt.get(num="#,##0"), fmt.get(num="#,##0", bold=True)
    sheet.write(row, 0, f"Enheternas {INVESTMENTS_SHEET.lower()} (projekten står på bladet {INVESTMENTS_SHEET})",
                bold)
    row += 1
    sheet.write_row(row, 0, ["Enhet", "Projekt", "Utfall i år (Σ huvudbok)", "Antal rader"],
                    fmt.get(bold=True, bottom=1, wrap=True, valign="bottom"))
    sheet.set_row(row, 30)
    row += 1
    first = row
    for unit in report.units:
        for project in unit.report.investments:
            sheet.write_string(row, 0, unit.name)
            sheet.write_string(row, 1, project.label)
            sheet.write_number(row, 2, kr(project.actual), money)
            sheet.write_number(row, 3, project.rows, count)
            row += 1
    projects = sum(project.actual for project in report.investments)
    sheet.write_string(row, 0, "Σ projekten", bold)
    sheet.write_formula(row, 2, f"=SUM(C{first + 1}:C{row})", money_bold, kr(projects))
    sheet.write_formula(row, 3, f"=SUM(D{first + 1}:D{row})", count_bold,
                        sum(project.rows for project in report.investments))
    ledger = sum(unit.report.tieout.sum_investments for unit in report.units)
    sheet.write_string(row + 1, 0, f"Σ {INVESTMENTS_SHEET} i enheternas avstämning av huvudboken")
    sheet.write_number(row + 1, 2, kr(ledger), money)
    sheet.write_string(row + 2, 0, "Differens (ska vara 0,00)", bold)
    sheet.write_formula(row + 2, 2, f"=ROUND(C{row + 1}-C{row + 2},2)", money_bold, kr(projects - ledger))
    return row + 4


def write_units_last_year(sheet, row: int, report: Report, fmt) -> int:
    """Each unit's last year in months 1..P against its lines and Ej budgeterat, Σ the units, and Σ over
    their lines and Ej budgeterat against the consolidated Totalt of Fjolår."""
    prior = report.last_year
    if prior is None:
        return row
    bold, money, money_bold = fmt.get(bold=True), fmt.get(num=KR), fmt.get(num=KR, bold=True)
    months = f"{report.period_label} {prior.year}" if report.period else f"{prior.year}, 0 mån"
    sheet.write(row, 0, f"Enheternas fjolår {prior.year}", bold)
    row += 1
    sheet.write_row(row, 0, ["Enhet", "Källa", f"Σ huvudbok {months}", "Σ över budgetraderna",
                             f"Σ {UNBUDGETED_LABEL}", "Differens (ska vara 0,00)"],
                    fmt.get(bold=True, bottom=1, wrap=True, valign="bottom"))
    sheet.set_row(row, 30)
    row += 1
    first = row
    for unit in report.units:
        own = unit.report.last_year
        sheet.write_string(row, 0, unit.name)
        sheet.write_string(row, 1, own.source)  # as the ledger's Källa above: the ledger, or the file
        for k, value in enumerate((own.sum_in_period, own.sum_lines, own.sum_unbudgeted)):
            sheet.write_number(row, 2 + k, kr(value), money)
        sheet.write_formula(row, 5, f"=ROUND(C{row + 1}-D{row + 1}-E{row + 1},2)", money, kr(own.difference))
        row += 1
    sheet.write_string(row, 0, "Σ enheter", bold)
    for k, value in enumerate((prior.sum_in_period, prior.sum_lines, prior.sum_unbudgeted, prior.difference)):
        col = column_letter(2 + k)
        sheet.write_formula(row, 2 + k, f"=SUM({col}{first + 1}:{col}{row})", money_bold, kr(value))
    units = prior.sum_lines + prior.sum_unbudgeted  # debit positive: net cost, as Totalt
    total = report.total.last_year
    sheet.write_string(row + 1, 0, f"Σ över budgetraderna och {UNBUDGETED_LABEL}, enheterna")
    sheet.write_formula(row + 1, 2, f"=D{row + 1}+E{row + 1}", money, kr(units))
    sheet.write_string(row + 2, 0, "Sammanställningen, Totalt fjolår", bold)
    sheet.write_number(row + 2, 2, kr(total), money_bold)
    sheet.write_string(row + 3, 0, "Differens (ska vara 0,00)", bold)
    sheet.write_formula(row + 3, 2, f"=ROUND(C{row + 2}-C{row + 3},2)", money_bold, kr(units - total))
    return row + 5
