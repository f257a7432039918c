"""Resultaträkning: the three tables of a follow-up report's result section,
each under its own heading, in the report's order and signs.

    Ackumulerad budgetavvikelse jan–aug 2025                          (4.2)
    Indikator | Ack resultat / jan–aug 2025 | Ack budget / … | Ack avvikelse / …
    Ackumulerad budgetavvikelse | -712 | -750 | 38     result sign: income +, costs −

    Resultaträkning per uppdrag jan–aug 2025                          (4.2.1)
    Uppdrag | Resultat / jan–aug 2025 | Budget / jan–aug 2025 | Budget / 2025 |
            Prognos / 2025 | Prog. avvikelse / mot budget 2025
    Politik | 512 | …                                   net cost (costs − income), shown positive
    Summa Lokal nämnd Halmstads verksamhet | …

    Prognos för helåret 2025                                          (4.3)
    Indikator | Årsprognos / 2025 | Årsbudget / 2025 | Avvikelse / 2025
    Prognos budgetavvikelse | -1 240 | -1 240 | 0       result sign

(" / " is a line break in the heading cell.)  Every variance is positive when
favourable: Ack avvikelse = resultat − budget and Avvikelse = årsprognos −
årsbudget in result sign; Prog. avvikelse = budget − prognos in net cost.  The
per-uppdrag table's Summa row adds its rows; the two indicator rows are
formulas on that Summa row (its sign turned), so the three tables agree in
Excel as they do here.
"""

from __future__ import annotations

from ..cells import column_letter
from ..engine.results import Report
from ..engine.statement import ACCUMULATED, FORECAST, statement
from .formats import AMOUNT, VARIANCE, fit_width, page_setup
from .text import title, write_unit_note

FIRST_ROW = 3  # the first table's heading
INDICATOR = "Indikator"
ASSIGNMENT = "Uppdrag"


def ytd_text(report: Report) -> str:
    """'jan–aug 2025'; before anything is booked '0 mån 2025'."""
    return f"{report.period_label} {report.year}" if report.period else f"0 mån {report.year}"


def titles(report: Report) -> tuple[str, str, str]:
    """The three tables' headings (4.2, 4.2.1, 4.3), with their period."""
    ytd = ytd_text(report)
    return f"{ACCUMULATED} {ytd}", f"Resultaträkning per uppdrag {ytd}", f"Prognos för helåret {report.year}"


def headers(report: Report) -> tuple[list[str], list[str], list[str]]:
    """The three tables' column headings: the figure, a line break ("\n"), its period."""
    ytd, year = ytd_text(report), report.year
    return ([INDICATOR, f"Ack resultat\n{ytd}", f"Ack budget\n{ytd}", f"Ack avvikelse\n{ytd}"],
            [ASSIGNMENT, f"Resultat\n{ytd}", f"Budget\n{ytd}", f"Budget\n{year}", f"Prognos\n{year}",
             f"Prog. avvikelse\nmot budget {year}"],
            [INDICATOR, f"Årsprognos\n{year}", f"Årsbudget\n{year}", f"Avvikelse\n{year}"])


def write_result_statement(sheet, report: Report, fmt) -> None:
    unit = report.show_in
    ytd, year = ytd_text(report), report.year
    sheet.write_string(0, 0, title(report, "Resultaträkning"), fmt.get(bold=True, size=14))
    write_unit_note(sheet, report, fmt, f"Belopp i {unit} · resultat: intäkter +, kostnader − · per uppdrag: "
                                        "nettokostnad · avvikelse +: bättre än budget")
    heading = fmt.get(bold=True, size=12)
    head = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom")
    head_right = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom", align="right")
    amt, var = fmt.get(num=AMOUNT), fmt.get(num=VARIANCE)
    bold_amt, bold_var = fmt.get(num=AMOUNT, bold=True, top=1), fmt.get(num=VARIANCE, bold=True, top=1)

    def write_headers(row: int, names: list[str]) -> None:
        """A table's headings: the figure on the first line, its period on the second (a break of
        our own: left to wrapping, "jan–aug 2025" breaks after its dash and two headings run together)."""
        for c, name in enumerate(names):
            sheet.write_string(row, c, name, head if c == 0 else head_right)
        sheet.set_row(row, 30)

    # the tables' rows: 4.2 (heading, headers, one row), a gap, 4.2.1, a gap, 4.3
    ack_head = FIRST_ROW
    ack = ack_head + 2
    statement_head = ack + 2
    first = statement_head + 2
    summa = first + len(report.assignments)
    prog_head = summa + 2
    prog = prog_head + 2
    s = summa + 1  # the Summa row as a formula refers to it

    figures = statement(report)
    titled, headed = titles(report), headers(report)
    accumulated, total, forecast = figures.accumulated, figures.total, figures.forecast
    sheet.write_string(ack_head, 0, titled[0], heading)
    write_headers(ack_head + 1, headed[0])
    sheet.write_string(ack, 0, accumulated.label)
    sheet.write_formula(ack, 1, f"=-B{s}", amt, float(accumulated.result))
    sheet.write_formula(ack, 2, f"=-C{s}", amt, float(accumulated.budget))
    sheet.write_formula(ack, 3, f"=B{ack + 1}-C{ack + 1}", var, float(accumulated.variance))

    sheet.write_string(statement_head, 0, titled[1], heading)
    write_headers(statement_head + 1, headed[1])
    row = first
    for line in figures.assignments:  # net cost of the group, shown positive
        n = row + 1
        sheet.write_string(row, 0, line.label)
        sheet.write_number(row, 1, float(line.actual), amt)
        sheet.write_number(row, 2, float(line.phased), amt)
        sheet.write_number(row, 3, float(line.budget), amt)
        sheet.write_number(row, 4, float(line.forecast), amt)
        sheet.write_formula(row, 5, f"=D{n}-E{n}", var, float(line.forecast_variance))
        row += 1
    sheet.write_string(summa, 0, total.label, fmt.get(bold=True, top=1))
    for c, value in enumerate([total.actual, total.phased, total.budget, total.forecast], start=1):
        col = column_letter(c)
        formula = f"=SUM({col}{first + 1}:{col}{summa})" if summa > first else "=0"
        sheet.write_formula(summa, c, formula, bold_amt, float(value))
    sheet.write_formula(summa, 5, f"=D{s}-E{s}", bold_var, float(total.forecast_variance))

    sheet.write_string(prog_head, 0, titled[2], heading)
    write_headers(prog_head + 1, headed[2])
    sheet.write_string(prog, 0, forecast.label)
    sheet.write_formula(prog, 1, f"=-E{s}", amt, float(forecast.result))
    sheet.write_formula(prog, 2, f"=-D{s}", amt, float(forecast.budget))
    sheet.write_formula(prog, 3, f"=B{prog + 1}-C{prog + 1}", var, float(forecast.variance))

    labels = [line.label for line in figures.assignments] + [total.label, ACCUMULATED, FORECAST]
    sheet.set_column(0, 0, fit_width(labels, minimum=28, maximum=50))
    sheet.set_column(1, 5, 16)
    page_setup(sheet, report.unit, ytd if report.period else f"Budget {year}", statement_head + 1)
    sheet.print_area(0, 0, prog, 5)
