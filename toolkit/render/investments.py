"""Investeringar: the investment projects (Budget lines of Typ Investering),
apart from the operating result — one row per project and a Summa row.

    Projekt | Total budget | Utfall tidigare år | Utfall i år | Ack utfall | Budget i år |
            Prognos i år | Prognos total | Avvikelse total | Kommentar

Ack utfall, Prognos total and Avvikelse total are formulas on the row (with
their values cached), as ``engine.investments.Project`` defines them:
Ack utfall = tidigare + i år; Prognos total = tidigare + prognos i år +
MAX(total − tidigare − budget i år, 0); Avvikelse total = total − prognos total
(blank without a Total budget).  Prognos i år is the line's Prognos on the
Budget sheet, else Budget i år; Kommentar is the line's Kommentar there.
"""

from __future__ import annotations

from ..contract.written import INVESTMENTS_SHEET
from ..engine.results import Report
from ..layout import TOTAL_KEY, sum_label
from .formats import AMOUNT, VARIANCE, display, fit_width, page_setup
from .text import title, write_unit_note

HEADINGS = ("Projekt", "Total budget", "Utfall tidigare år", "Utfall i år", "Ack utfall", "Budget i år",
            "Prognos i år", "Prognos total", "Avvikelse total", "Kommentar")
FIRST_ROW = 3  # the headings


def write_investments(sheet, report: Report, fmt) -> None:
    unit = report.show_in
    sheet.write_string(0, 0, title(report, INVESTMENTS_SHEET), fmt.get(bold=True, size=14))
    if not report.investments:  # no projects now: say why, where the projects stood
        sheet.write_string(1, 0, report.investments_note or "", fmt.get(italic=True, color="#C00000"))
        sheet.set_column(0, 0, 12)
        return
    write_unit_note(sheet, report, fmt, f"Belopp i {unit} · investeringarna ingår inte i driftens resultat · "
                                        "avvikelse +: prognosen är lägre än total budget")
    head = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom")
    head_right = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom", align="right")
    amt, var = fmt.get(num=AMOUNT), fmt.get(num=VARIANCE)
    bold_amt, bold_var = fmt.get(num=AMOUNT, bold=True, top=1), fmt.get(num=VARIANCE, bold=True, top=1)
    bold = fmt.get(bold=True, top=1)
    comment = fmt.get(indent=1)  # set off from the right-aligned amounts beside it
    for c, name in enumerate(HEADINGS):
        style = head if c == 0 else fmt.get(bold=True, bottom=1, wrap=True, valign="bottom", indent=1) \
            if c == len(HEADINGS) - 1 else head_right
        sheet.write_string(FIRST_ROW, c, name, style)
    sheet.set_row(FIRST_ROW, 30)

    def shown(value: int) -> float:
        return display(value, unit)

    def project_row(row: int, project, label_style=None) -> None:
        r = row + 1  # the row as formulas name it
        sheet.write_string(row, 0, project.label, label_style)
        if project.total_budget is not None:
            sheet.write_number(row, 1, shown(project.total_budget), amt)
        sheet.write_number(row, 2, shown(project.prior), amt)
        sheet.write_number(row, 3, shown(project.actual), amt)
        sheet.write_formula(row, 4, f"=C{r}+D{r}", amt, shown(project.accumulated))
        sheet.write_number(row, 5, shown(project.budget), amt)
        sheet.write_number(row, 6, shown(project.forecast), amt)
        later = f"+MAX(B{r}-C{r}-F{r},0)" if project.total_budget is not None else ""
        sheet.write_formula(row, 7, f"=C{r}+G{r}{later}", amt, shown(project.forecast_total))
        if project.deviation_total is not None:
            sheet.write_formula(row, 8, f"=B{r}-H{r}", var, shown(project.deviation_total))
        if project.comment:
            sheet.write_string(row, 9, project.comment, comment)

    def sum_row(row: int, label: str, projects, first: int) -> None:
        """``label`` and the projects' sums as formulas over the rows from ``first`` (0-based) to ``row``."""
        sheet.write_string(row, 0, label, bold)
        for k, value in enumerate(_sums(projects)):
            col = "BCDEFGHI"[k]
            sheet.write_formula(row, 1 + k, f"=SUM({col}{first + 1}:{col}{row})", bold_var if k == 7 else bold_amt,
                                shown(value))
        sheet.write_blank(row, 9, None, bold)

    row = FIRST_ROW + 1
    projects = report.investments
    labels = [HEADINGS[0], *(p.label for p in projects)]
    if not report.is_consolidation:
        first = row
        for project in projects:
            project_row(row, project)
            row += 1
        sum_row(row, "Summa", projects, first)
    else:  # per unit: its name, its projects indented, its Summa; Totalt the Summa rows added
        indented, heading = fmt.get(indent=1), fmt.get(bold=True)
        sums = []
        for part in report.units:
            if not part.report.investments:
                continue
            sheet.write_string(row, 0, part.name, heading)  # a unit's name: text, whatever it looks like
            row += 1
            first = row
            for project in part.report.investments:
                project_row(row, project, indented)
                row += 1
            sum_row(row, sum_label(part.name), part.report.investments, first)
            labels += [part.name, sum_label(part.name)]
            sums.append(row + 1)
            row += 1
        total_amt, total_var = fmt.get(num=AMOUNT, bold=True, top=6), fmt.get(num=VARIANCE, bold=True, top=6)
        total = fmt.get(bold=True, top=6)
        sheet.write_string(row, 0, TOTAL_KEY[0], total)
        for k, value in enumerate(_sums(projects)):
            col = "BCDEFGHI"[k]
            sheet.write_formula(row, 1 + k, "=" + "+".join(f"{col}{r}" for r in sums),
                                total_var if k == 7 else total_amt, shown(value))
        sheet.write_blank(row, 9, None, total)
    sheet.set_column(0, 0, fit_width(labels, minimum=24))
    sheet.set_column(1, 8, 14)  # "Avvikelse total" clear of Kommentar
    sheet.set_column(9, 9, fit_width([p.comment for p in projects], minimum=30))
    sheet.freeze_panes(FIRST_ROW + 1, 1)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}" if report.period else str(report.year),
               FIRST_ROW)


def _sums(projects) -> tuple[int, ...]:
    """Σ of the projects' Total budget, Tidigare utfall, Utfall i år, Ack utfall, Budget i år, Prognos i år,
    Prognos total and Avvikelse total (öre)."""
    return (sum(p.total_budget or 0 for p in projects), sum(p.prior for p in projects),
            sum(p.actual for p in projects), sum(p.accumulated for p in projects), sum(p.budget for p in projects),
            sum(p.forecast for p in projects), sum(p.forecast_total for p in projects),
            sum(p.deviation_total or 0 for p in projects))
