"""Per enhet — a consolidation's rows as on Sammanställning, with one column
group per unit (Budget, Utfall, Avvikelse against the periodised budget,
positive = favourable) and a Totalt group whose cells are formulas adding the
units: "units as columns", ready to paste."""

from __future__ import annotations

from ..cells import column_letter
from ..contract import PER_UNIT_SHEET
from ..engine.figures import Figures
from ..engine.results import Line, Report
from ..layout import FIRST_HEADING, RESULT_KEY, TOTAL_KEY, UNBUDGETED_LABEL, sum_label
from .formats import AMOUNT, VARIANCE, display, fit_width, page_setup
from .text import title, write_unit_note

HEADER_ROW = 4  # the unit names on row 4, the columns' headings on row 5
GROUP = 3  # columns per unit: budget, utfall, avvikelse
#: in A4, the row above the names: each unit's workbook as ``consolidation.recorded_path`` gives it, read back
#: by ``reconcile report`` (``consolidation.recorded_units``)
SOURCE_LABEL = "Arbetsbok"


def write_per_unit(sheet, report: Report, fmt) -> None:
    """Rows as on Sammanställning; per unit Budget, Utfall, Avvikelse (periodised,
    positive = favourable), and the total of the units as formulas."""
    unit = report.show_in
    n_units = len(report.units)
    names = [u.name for u in report.units] + [TOTAL_KEY[0]]
    sheet.write_string(0, 0, title(report, PER_UNIT_SHEET), fmt.get(bold=True, size=14))
    write_unit_note(sheet, report, fmt, f"Belopp i {unit}; avvikelse mot periodiserad budget, positiv = gynnsam; "
                                        "Totalt = kostnader − intäkter, Resultat = intäkter − kostnader")
    group_head = fmt.get(bold=True, align="center", bottom=1, wrap=True, valign="bottom")
    head = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom", align="right")
    sheet.write(HEADER_ROW + 1, 0, FIRST_HEADING, fmt.get(bold=True, bottom=1, valign="bottom"))
    sub = [f"Budget {report.year}", f"Utfall {report.period_label}", "Avvikelse"]
    for g, name in enumerate(names):
        first = 1 + g * GROUP
        sheet.merge_range(HEADER_ROW, first, HEADER_ROW, first + GROUP - 1, "", group_head)
        sheet.write_string(HEADER_ROW, first, name, group_head)  # a unit's name: text, whatever it looks like
        for k, heading in enumerate(sub):
            sheet.write(HEADER_ROW + 1, first + k, heading, head)
    sheet.set_row(HEADER_ROW + 1, 30)
    if any(u.source for u in report.units):
        small = fmt.get(italic=True, size=8, align="center", valign="bottom")
        sheet.write_string(HEADER_ROW - 1, 0, SOURCE_LABEL, fmt.get(italic=True, size=8, valign="bottom"))
        for g, part in enumerate(report.units):
            first = 1 + g * GROUP
            sheet.merge_range(HEADER_ROW - 1, first, HEADER_ROW - 1, first + GROUP - 1, "", small)
            sheet.write_string(HEADER_ROW - 1, first, part.source, small)  # a path: text, whatever it looks like
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

    def write_node(node: Line) -> None:
        nonlocal row
        indent = node.depth
        if node.is_leaf:
            put(row, node.label, fmt.get(indent=indent), node.units, node.figures)
            row += 1
            return
        sheet.write_string(row, 0, node.label, fmt.get(bold=True, indent=indent))
        labels.append(node.label)
        row += 1
        for child in node.children:
            write_node(child)
        put(row, sum_label(node.label), fmt.get(bold=True, indent=indent, top=1), node.units,
            node.figures, bold=True, top=1)
        row += 1

    for root in report.roots:
        write_node(root)
    if report.unbudgeted is not None:
        put(row, UNBUDGETED_LABEL, fmt.get(italic=True), [u.unbudgeted for u in report.units], report.unbudgeted)
        row += 1
    totals = [u.total for u in report.units]
    put(row, TOTAL_KEY[0], fmt.get(bold=True, top=6), totals, report.total, bold=True, top=6)
    row += 1
    put(row, RESULT_KEY[0], fmt.get(bold=True), [t.as_sign(True) for t in totals], report.total.as_sign(True),
        bold=True)
    sheet.set_column(0, 0, fit_width(labels + [FIRST_HEADING], minimum=24, maximum=50))
    sheet.set_column(1, (n_units + 1) * GROUP, 12)
    sheet.freeze_panes(HEADER_ROW + 2, 1)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}", HEADER_ROW + 1)
    sheet.print_area(0, 0, row, (n_units + 1) * GROUP)
