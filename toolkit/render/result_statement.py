"""Resultaträkning per uppdrag, in result sign (income +, costs −), with the
two closing rows the reports quote: Ackumulerad budgetavvikelse and Prognos
budgetavvikelse."""

from __future__ import annotations

from ..engine.results import Report
from .formats import AMOUNT, VARIANCE, display, fit_width, page_setup
from .text import title, write_unit_note

HEADER_ROW = 3


def write_result_statement(sheet, report: Report, fmt) -> None:
    unit = report.show_in
    plabel = report.period_label
    headers = ["Uppdrag", f"Resultat {plabel}", f"Budget {plabel}", f"Budget {report.year}",
               f"Prognos {report.year}", "Prognosavvikelse"]
    sheet.write_string(0, 0, title(report, "Resultaträkning per uppdrag"), fmt.get(bold=True, size=14))
    write_unit_note(sheet, report, fmt, f"Belopp i {unit}; intäkter +, kostnader −")
    head = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom")
    head_right = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom", align="right")
    for c, name in enumerate(headers):
        sheet.write(HEADER_ROW, c, name, head if c == 0 else head_right)
    sheet.set_row(HEADER_ROW, 45)
    amt, var = fmt.get(num=AMOUNT), fmt.get(num=VARIANCE)
    row = HEADER_ROW + 1
    first = row
    for name, f in report.assignments:
        n = row + 1
        sheet.write_string(row, 0, name)
        sheet.write_number(row, 1, display(f.actual, unit), amt)
        sheet.write_number(row, 2, display(f.phased, unit), amt)
        sheet.write_number(row, 3, display(f.budget, unit), amt)
        sheet.write_number(row, 4, display(f.forecast, unit), amt)
        sheet.write_formula(row, 5, f"=E{n}-D{n}", var, display(f.forecast - f.budget, unit))
        row += 1
    last = row - 1
    total = report.total.as_sign(True)
    bold_amt, bold_var = fmt.get(num=AMOUNT, bold=True, top=1), fmt.get(num=VARIANCE, bold=True, top=1)
    summa = row
    sheet.write_string(summa, 0, "Summa", fmt.get(bold=True, top=1))
    values = [total.actual, total.phased, total.budget, total.forecast]
    for c, value in enumerate(values, start=1):
        col = "ABCDEF"[c]
        formula = f"=SUM({col}{first + 1}:{col}{last + 1})" if last >= first else "=0"
        sheet.write_formula(summa, c, formula, bold_amt, display(value, unit))
    sheet.write_formula(summa, 5, f"=E{summa + 1}-D{summa + 1}", bold_var,
                        display(total.forecast - total.budget, unit))

    s = summa + 1
    head_row = summa + 2
    for c, name in enumerate(["", "Resultat", "Budget", "Avvikelse"]):
        sheet.write(head_row, c, name, head if c == 0 else head_right)
    ack, prog = head_row + 1, head_row + 2
    sheet.write_string(ack, 0, "Ackumulerad budgetavvikelse", fmt.get(bold=True))
    sheet.write_formula(ack, 1, f"=B{s}", amt, display(total.actual, unit))
    sheet.write_formula(ack, 2, f"=C{s}", amt, display(total.phased, unit))
    sheet.write_formula(ack, 3, f"=B{ack + 1}-C{ack + 1}", var, display(total.actual - total.phased, unit))
    sheet.write_string(prog, 0, "Prognos budgetavvikelse", fmt.get(bold=True))
    sheet.write_formula(prog, 1, f"=E{s}", amt, display(total.forecast, unit))
    sheet.write_formula(prog, 2, f"=D{s}", amt, display(total.budget, unit))
    sheet.write_formula(prog, 3, f"=B{prog + 1}-C{prog + 1}", var, display(total.forecast - total.budget, unit))

    sheet.set_column(0, 0, fit_width([n for n, _ in report.assignments] + ["Ackumulerad budgetavvikelse"],
                                     minimum=20))
    sheet.set_column(1, 5, 17)
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    page_setup(sheet, report.unit, f"{plabel} {report.year}", HEADER_ROW)
