"""A consolidation's sheets: Sammanställning (a unit's layout, with Resultat
below Totalt), Resultaträkning per uppdrag, Per enhet (one column group per
unit, and their total) and Avstämning (each unit's total tied to the
consolidated one, to the öre)."""

from __future__ import annotations

import io

from ..cells import column_letter
from ..contract import CONSOLIDATION_SHEETS, PER_UNIT_SHEET, TIEOUT_SHEET
from ..engine.consolidation import Consolidation
from ..engine.figures import Figures, combine
from ..engine.notes import RESULT_KEY
from ..engine.report import UNBUDGETED_LABEL
from ..engine.tree import Node
from .formats import AMOUNT, KR, VARIANCE, display, fit_width, kr, page_setup
from .text import title, write_unit_note
from .tieout import write_findings, write_warnings

SHEETS = CONSOLIDATION_SHEETS
HEADER_ROW = 4  # Per enhet: unit names on row 4, the columns' headings on row 5
GROUP = 3  # columns per unit: budget, utfall, avvikelse


def render_consolidation(consolidation: Consolidation) -> bytes:
    from .formats import Formats, new_book
    from .result_statement import write_result_statement
    from .summary import write_summary

    report = consolidation.report
    buffer = io.BytesIO()
    book = new_book(buffer)
    formats = Formats(book)
    write_summary(book.add_worksheet(SHEETS[0]), report, formats, result_row=True)
    write_result_statement(book.add_worksheet(SHEETS[1]), report, formats)
    write_per_unit(book.add_worksheet(SHEETS[2]), consolidation, formats)
    write_tieout(book.add_worksheet(SHEETS[3]), consolidation, formats)
    book.close()
    return buffer.getvalue()


def write_per_unit(sheet, c: Consolidation, fmt) -> None:
    """Rows as on Sammanställning; per unit Budget, Utfall, Avvikelse (periodised,
    positive = favourable), and the total of the units as formulas."""
    report = c.report
    unit = report.show_in
    n_units = len(c.units)
    names = [u.name for u in c.units] + ["Totalt"]
    sheet.write_string(0, 0, title(report, PER_UNIT_SHEET), fmt.get(bold=True, size=14))
    write_unit_note(sheet, report, fmt, f"Belopp i {unit}; avvikelse mot periodiserad budget, positiv = gynnsam; "
                                        "Totalt = kostnader − intäkter, Resultat = intäkter − kostnader")
    group_head = fmt.get(bold=True, align="center", bottom=1, wrap=True, valign="bottom")
    head = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom", align="right")
    sheet.write(HEADER_ROW + 1, 0, "Rad", fmt.get(bold=True, bottom=1, valign="bottom"))
    sub = [f"Budget {report.year}", f"Utfall {report.period_label}", "Avvikelse"]
    for g, name in enumerate(names):
        first = 1 + g * GROUP
        sheet.merge_range(HEADER_ROW, first, HEADER_ROW, first + GROUP - 1, "", group_head)
        sheet.write_string(HEADER_ROW, first, name, group_head)  # a unit's name: text, whatever it looks like
        for k, heading in enumerate(sub):
            sheet.write(HEADER_ROW + 1, first + k, heading, head)
    sheet.set_row(HEADER_ROW + 1, 30)
    row = HEADER_ROW + 2
    labels: list[str] = []

    def put(r: int, label: str, label_style, figures: list[Figures | None], total: Figures, *, bold=False,
            top=0) -> None:
        sheet.write_string(r, 0, label, label_style)
        labels.append(label)
        amt, var = fmt.get(num=AMOUNT, bold=bold, top=top), fmt.get(num=VARIANCE, bold=bold, top=top)
        for u, f in enumerate(figures):
            first = 1 + u * GROUP
            if f is None:
                for k in range(GROUP):
                    sheet.write_blank(r, first + k, None, amt)
                continue
            sheet.write_number(r, first, display(f.budget, unit), amt)
            sheet.write_number(r, first + 1, display(f.actual, unit), amt)
            sheet.write_number(r, first + 2, display(f.variance, unit), var)
        first = 1 + n_units * GROUP
        for k, (value, style) in enumerate(((total.budget, amt), (total.actual, amt), (total.variance, var))):
            refs = "+".join(f"{column_letter(1 + u * GROUP + k)}{r + 1}" for u in range(n_units))
            shown = display(value, unit) if k < 2 else display(total.variance, unit)
            sheet.write_formula(r, first + k, f"={refs}", style, shown)

    def write_node(node: Node) -> None:
        nonlocal row
        indent = node.depth
        if node.is_leaf:
            put(row, node.label, fmt.get(indent=indent), c.unit_figures(node), node.figures)
            row += 1
            return
        sheet.write_string(row, 0, node.label, fmt.get(bold=True, indent=indent))
        labels.append(node.label)
        row += 1
        for child in node.children:
            write_node(child)
        put(row, f"Summa {node.label}", fmt.get(bold=True, indent=indent, top=1), c.unit_figures(node),
            node.figures, bold=True, top=1)
        row += 1

    for root in report.roots:
        write_node(root)
    if report.unbudgeted is not None:
        put(row, UNBUDGETED_LABEL, fmt.get(italic=True), c.unbudgeted, report.unbudgeted)
        row += 1
    put(row, "Totalt", fmt.get(bold=True, top=6), c.totals, report.total, bold=True, top=6)
    row += 1
    put(row, RESULT_KEY[0], fmt.get(bold=True), [t.as_sign(True) for t in c.totals], report.total.as_sign(True),
        bold=True)
    sheet.set_column(0, 0, fit_width(labels + ["Rad"], minimum=24, maximum=50))
    sheet.set_column(1, (n_units + 1) * GROUP, 12)
    sheet.freeze_panes(HEADER_ROW + 2, 1)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}", HEADER_ROW + 1)
    sheet.print_area(0, 0, row, (n_units + 1) * GROUP)


def write_tieout(sheet, c: Consolidation, fmt) -> None:
    """Each unit's own Totalt against its column as the consolidation adds it
    up, the units' sum against the consolidated Totalt, each unit's ledger
    tie-out, and every finding."""
    report = c.report
    bold = fmt.get(bold=True)
    head = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom")
    money = fmt.get(num=KR)
    money_bold = fmt.get(num=KR, bold=True)
    sheet.write_string(0, 0, title(report, TIEOUT_SHEET), fmt.get(bold=True, size=14))
    sheet.write(1, 0, "Belopp i kr med öre; Totalt = kostnader − intäkter (nettokostnad)", fmt.get(italic=True))

    row = write_warnings(sheet, 3, report.findings, fmt)
    sheet.write(row, 0, "Enheternas Totalt mot sammanställningen", bold)
    row += 1
    measures = [("Budget", "budget"), ("Utfall", "actual"), ("Prognos", "forecast")]
    headings = ["Enhet", "Fil"] + [m for m, _ in measures] + [f"Differens {m.lower()} mot Per enhet"
                                                                for m, _ in measures]
    sheet.write_row(row, 0, headings, head)
    sheet.set_row(row, 30)
    row += 1
    first = row
    for unit, total in zip(c.units, c.totals):
        own = unit.report.total  # the unit's own Totalt, against its column as the consolidation adds it up
        sheet.write_string(row, 0, unit.name)
        sheet.write_string(row, 1, unit.file)
        for k, (_, attr) in enumerate(measures):
            sheet.write_number(row, 2 + k, kr(getattr(own, attr)), money)
            sheet.write_number(row, 5 + k, kr(getattr(own, attr) - getattr(total, attr)), money)
        row += 1
    last = row - 1
    sheet.write_string(row, 0, "Σ enheter", bold)
    for k, (_, attr) in enumerate(measures):
        col = column_letter(2 + k)
        sheet.write_formula(row, 2 + k, f"=SUM({col}{first + 1}:{col}{last + 1})", money_bold,
                            kr(getattr(_sum(c), attr)))
    row += 1
    sheet.write_string(row, 0, "Sammanställningen, Totalt", bold)
    for k, (_, attr) in enumerate(measures):
        sheet.write_number(row, 2 + k, kr(getattr(report.total, attr)), money_bold)
    row += 1
    sheet.write_string(row, 0, "Differens (ska vara 0,00)", bold)
    for k, (_, attr) in enumerate(measures):
        col = column_letter(2 + k)
        sheet.write_formula(row, 2 + k, f"=ROUND({col}{row - 1}-{col}{row},2)", money_bold,
                            kr(getattr(_sum(c), attr) - getattr(report.total, attr)))
    row += 2

    sheet.write(row, 0, "Enheternas avstämning av huvudboken", bold)
    row += 1
    sheet.write_row(row, 0, ["Enhet", "Källa", "Σ huvudbok i perioden", "Σ över budgetraderna",
                             f"Σ {UNBUDGETED_LABEL}", "Differens (ska vara 0,00)"], head)
    sheet.set_row(row, 30)
    row += 1
    for unit in c.units:
        tie = unit.report.tieout
        sheet.write_string(row, 0, unit.name)
        sheet.write_string(row, 1, tie.source)
        for k, value in enumerate((tie.sum_in_period, tie.sum_lines, tie.sum_unbudgeted)):
            sheet.write_number(row, 2 + k, kr(value), money)
        sheet.write_formula(row, 5, f"=ROUND(C{row + 1}-D{row + 1}-E{row + 1},2)", money, kr(tie.difference))
        row += 1
    row += 1

    write_findings(sheet, row, report.findings, fmt)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 7, 16)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}", 4)


def _sum(c: Consolidation) -> Figures:
    """Σ of the units' own Totalt (cost sign)."""
    return combine([u.report.total for u in c.units], income=False)
