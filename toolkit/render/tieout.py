"""Avstämning: the tie-out, exact in kr with öre, and every finding — the
warnings first, in a block of their own.

A unit's: its ledger against its lines (rows read and in the period, Σ
ledger, Σ over the lines, Σ Ej budgeterat, the difference), Σ and rows per
line, the unbudgeted rows by account and dimensions, the rows left out, and the
budget bridge when the budget has changes (``render.bridge``).
A consolidation's: each unit's own Totalt against its column as the
consolidation adds it up, Σ units against the consolidated Totalt, and each
unit's ledger tie-out."""

from __future__ import annotations

from ..cells import column_letter
from ..contract import TIEOUT_SHEET
from ..contract.written import INVESTMENTS_SHEET
from ..engine.figures import Figures, combine
from ..engine.results import Report
from ..engine.rounding import COSTS, INCOMES, TOTAL, UNBUDGETED, even_sums
from ..findings import SLUGS, count_text
from ..layout import COSTS_KEY, INCOMES_KEY, PATH_SEPARATOR, TOTAL_KEY, UNBUDGETED_LABEL
from .bridge import write_bridge
from .consolidated_tieout import write_units_investments, write_units_last_year
from .formats import KR, kr, page_setup, write_facts
from .last_year import write_last_year
from .materiality import write_material
from .text import title

#: Jämna summor: the figures whose shown amounts may be adjusted, as Sammanställning heads them
MEASURE_HEADINGS = {"budget": "Budget", "actual": "Utfall", "variance": "Avvikelse (periodiserad)",
                    "forecast": "Prognos", "committed": "Intecknat", "original": "Ursprunglig budget",
                    "changes": "Ändringar", "last_year": "Fjolår"}
ROW_LABELS = {TOTAL: TOTAL_KEY[0], INCOMES: INCOMES_KEY[0], COSTS: COSTS_KEY[0], UNBUDGETED: UNBUDGETED_LABEL}


def write_tieout(sheet, report: Report, fmt) -> None:
    if report.is_consolidation:
        _write_units_tieout(sheet, report, fmt)
    else:
        _write_ledger_tieout(sheet, report, fmt)


def _write_ledger_tieout(sheet, report: Report, fmt) -> None:
    """A unit's ledger against its lines, the unbudgeted rows itemised, the rows left out, every finding."""
    tie = report.tieout
    bold = fmt.get(bold=True)
    head = fmt.get(bold=True, bottom=1)
    money = fmt.get(num=KR)
    count = fmt.get(num="#,##0")
    sheet.write_string(0, 0, title(report, TIEOUT_SHEET), fmt.get(bold=True, size=14))
    sheet.write(1, 0, "Belopp i kr med öre, debet + (kostnader +, intäkter −)", fmt.get(italic=True))

    row = write_warnings(sheet, 3, report.findings, fmt)
    sheet.write(row, 0, "Huvudbok", head)
    sheet.write(row, 1, "", head)
    row += 1
    layout = " (månadsmatris)" if tie.layout == "månadsmatris" else ""
    outside = tie.outside
    facts = [
        ("Källa", f"{tie.source}{layout}", None),
        ("Rader lästa", tie.rows_read + (outside.rows if outside else 0), count),
        *([(f"Rader utanför urvalet ({outside.text})", outside.rows, count)] if outside else []),
        ("Rader i perioden", tie.rows_in_period, count),
        ("Rader utanför perioden", sum(i.rows for i in tie.left_out), count),
    ]
    row = write_facts(sheet, row, facts)
    if outside is not None:
        row = _write_urval(sheet, row + 1, tie, fmt) + 1
    sums = row
    parts = [("Σ huvudbok i perioden", tie.sum_in_period), ("Σ över budgetraderna", tie.sum_lines),
             (f"Σ {UNBUDGETED_LABEL}", tie.sum_unbudgeted)]
    if report.investments:  # the investment projects' rows: apart from the lines, but part of the ledger
        parts.append((f"Σ {INVESTMENTS_SHEET}", tie.sum_investments))
    for label, value in parts:
        sheet.write_string(row, 0, label)
        sheet.write_number(row, 1, kr(value), money)
        row += 1
    sheet.write_string(row, 0, "Differens (ska vara 0,00)", bold)
    less = "".join(f"-B{sums + 1 + k}" for k in range(1, len(parts)))
    sheet.write_formula(row, 1, f"=ROUND(B{sums + 1}{less},2)", fmt.get(num=KR, bold=True),
                        kr(tie.difference))
    row += 2

    # per line
    sheet.write_row(row, 0, ["Budgetrad", "Σ huvudbok", "Antal rader"], head)
    row += 1
    for node in report.leaves():
        sheet.write_string(row, 0, node.path)
        sheet.write_number(row, 1, kr(node.ledger_sum), money)
        sheet.write_number(row, 2, node.ledger_rows, count)
        row += 1
    if tie.unbudgeted:
        sheet.write_string(row, 0, UNBUDGETED_LABEL)
        sheet.write_number(row, 1, kr(tie.sum_unbudgeted), money)
        sheet.write_number(row, 2, sum(i.rows for i in tie.unbudgeted), count)
        row += 1
    for project in report.investments:
        sheet.write_string(row, 0, f"{INVESTMENTS_SHEET} › {project.label}")
        sheet.write_number(row, 1, kr(project.actual), money)
        sheet.write_number(row, 2, project.rows, count)
        row += 1
    row += 1

    dims = tie.dimensions
    if tie.unbudgeted:
        sheet.write(row, 0, f"{UNBUDGETED_LABEL} — rader som ingen budgetrad täcker", bold)
        row += 1
        for c, heading in enumerate([tie.labels.get(d, d.capitalize()) for d in dims]
                                    + ["Σ huvudbok", "Antal rader", "Exempel"]):
            sheet.write_string(row, c, heading, head)  # the ledger's own headers: text
        row += 1
        for item in tie.unbudgeted:
            for c, d in enumerate(dims):
                sheet.write_string(row, c, item.codes.get(d, ""))
            sheet.write_number(row, len(dims), kr(item.amount), money)
            sheet.write_number(row, len(dims) + 1, item.rows, count)
            sheet.write_string(row, len(dims) + 2, item.example)
            row += 1
        row += 1

    if tie.left_out:
        sheet.write(row, 0, "Rader som inte ingår", bold)
        row += 1
        sheet.write_row(row, 0, ["Orsak", "Period", "Σ huvudbok", "Antal rader"], head)
        row += 1
        for item in tie.left_out:
            sheet.write_string(row, 0, item.reason)
            sheet.write_string(row, 1, f"{item.period // 100}-{item.period % 100:02d}")
            sheet.write_number(row, 2, kr(item.amount), money)
            sheet.write_number(row, 3, item.rows, count)
            row += 1
        row += 1

    row = write_last_year(sheet, row, report, fmt)
    row = write_bridge(sheet, row, report, fmt)
    row = write_material(sheet, row, report, fmt)
    row = write_even_sums(sheet, row, report, fmt)
    write_findings(sheet, row, report.findings, fmt)

    sheet.set_column(0, 0, 42)
    sheet.set_column(1, max(2, len(dims) + 2), 16)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}", 3)



def _write_urval(sheet, row: int, tie, fmt) -> int:
    """Urval on Inställningar: the ledger as read, its rows outside the urval,
    the unit's rows (a formula), those after or before the period and those in
    it (a formula: Σ huvudbok i perioden below); returns the row after them."""
    outside = tie.outside
    head = fmt.get(bold=True, bottom=1)
    money, count = fmt.get(num=KR), fmt.get(num="#,##0")
    money_bold, count_bold = fmt.get(num=KR, bold=True), fmt.get(num="#,##0", bold=True)
    unit_rows = tie.rows_read
    left_rows, left_sum = sum(i.rows for i in tie.left_out), sum(i.amount for i in tie.left_out)
    sheet.write_row(row, 0, [f"Urval ({outside.where})", "Σ huvudbok", "Antal rader"], head)
    first = row + 2  # the 1-based row of "Huvudboken som den lästes"
    sheet.write_string(row + 1, 0, "Huvudboken som den lästes")
    sheet.write_number(row + 1, 1, kr(tie.sum_unit + outside.amount), money)
    sheet.write_number(row + 1, 2, unit_rows + outside.rows, count)
    sheet.write_string(row + 2, 0, f"Utanför urvalet ({outside.text})")
    sheet.write_number(row + 2, 1, kr(outside.amount), money)
    sheet.write_number(row + 2, 2, outside.rows, count)
    sheet.write_string(row + 3, 0, "Enhetens rader", fmt.get(bold=True))
    sheet.write_formula(row + 3, 1, f"=ROUND(B{first}-B{first + 1},2)", money_bold, kr(tie.sum_unit))
    sheet.write_formula(row + 3, 2, f"=C{first}-C{first + 1}", count_bold, unit_rows)
    sheet.write_string(row + 4, 0, "varav utanför perioden")
    sheet.write_number(row + 4, 1, kr(left_sum), money)
    sheet.write_number(row + 4, 2, left_rows, count)
    sheet.write_string(row + 5, 0, "varav i perioden")
    sheet.write_formula(row + 5, 1, f"=ROUND(B{first + 2}-B{first + 3},2)", money, kr(tie.sum_in_period))
    sheet.write_formula(row + 5, 2, f"=C{first + 2}-C{first + 3}", count, unit_rows - left_rows)
    return row + 6


def _write_units_tieout(sheet, report: Report, fmt) -> None:
    """Each unit's own Totalt against its column as the consolidation adds it
    up, the units' sum against the consolidated Totalt, each unit's ledger
    tie-out, and every finding."""
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
    for unit in report.units:
        own = unit.report.total  # the unit's own Totalt, against its column as the consolidation adds it up
        sheet.write_string(row, 0, unit.name)
        sheet.write_string(row, 1, unit.file)
        for k, (_, attr) in enumerate(measures):
            sheet.write_number(row, 2 + k, kr(getattr(own, attr)), money)
            sheet.write_number(row, 5 + k, kr(getattr(own, attr) - getattr(unit.total, attr)), money)
        row += 1
    last = row - 1
    sheet.write_string(row, 0, "Σ enheter", bold)
    for k, (_, attr) in enumerate(measures):
        col = column_letter(2 + k)
        sheet.write_formula(row, 2 + k, f"=SUM({col}{first + 1}:{col}{last + 1})", money_bold,
                            kr(getattr(_sum(report), attr)))
    row += 1
    sheet.write_string(row, 0, "Sammanställningen, Totalt", bold)
    for k, (_, attr) in enumerate(measures):
        sheet.write_number(row, 2 + k, kr(getattr(report.total, attr)), money_bold)
    row += 1
    sheet.write_string(row, 0, "Differens (ska vara 0,00)", bold)
    for k, (_, attr) in enumerate(measures):
        col = column_letter(2 + k)
        sheet.write_formula(row, 2 + k, f"=ROUND({col}{row - 1}-{col}{row},2)", money_bold,
                            kr(getattr(_sum(report), attr) - getattr(report.total, attr)))
    row += 2

    sheet.write(row, 0, "Enheternas avstämning av huvudboken", bold)
    row += 1
    # a unit's investment projects
    invested = bool(report.investments) or any(unit.report.tieout.sum_investments for unit in report.units)
    sheet.write_row(row, 0, ["Enhet", "Källa", "Σ huvudbok i perioden", "Σ över budgetraderna",
                             f"Σ {UNBUDGETED_LABEL}", *([f"Σ {INVESTMENTS_SHEET}"] if invested else []),
                             "Differens (ska vara 0,00)"], head)
    sheet.set_row(row, 30)
    row += 1
    for unit in report.units:
        tie = unit.report.tieout
        sheet.write_string(row, 0, unit.name)
        sheet.write_string(row, 1, tie.source)
        parts = (tie.sum_in_period, tie.sum_lines, tie.sum_unbudgeted, *([tie.sum_investments] if invested else []))
        for k, value in enumerate(parts):
            sheet.write_number(row, 2 + k, kr(value), money)
        less = "".join(f"-{column_letter(2 + k)}{row + 1}" for k in range(1, len(parts)))
        sheet.write_formula(row, 2 + len(parts), f"=ROUND(C{row + 1}{less},2)", money, kr(tie.difference))
        row += 1
    row += 1

    row = write_units_investments(sheet, row, report, fmt)
    row = write_units_last_year(sheet, row, report, fmt)
    row = write_bridge(sheet, row, report, fmt)
    row = write_material(sheet, row, report, fmt)
    row = write_even_sums(sheet, row, report, fmt)
    write_findings(sheet, row, report.findings, fmt)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 7, 16)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}", 4)


def write_even_sums(sheet, row: int, report: Report, fmt) -> int:
    """Jämna summor (Inställningar): the amounts Sammanställning shows rounded
    so that every Summa adds up, each one that differs from its exact amount's
    ordinary rounding with the exact amount in kr; returns the row after them
    (``row`` when the setting is off)."""
    if not report.presentation.even_sums:
        return row
    unit = report.show_in
    sheet.write_string(row, 0, "Jämna summor på Sammanställning", fmt.get(bold=True))
    row += 1
    sheet.write_string(row, 0, f"Beloppen i {unit} är avrundade så att varje Summa är summan av raderna ovanför; "
                               "de här visas avrundade åt andra hållet:", fmt.get(italic=True))
    row += 1
    adjusted = even_sums(report, 100_000 if unit == "tkr" else 100).adjustments
    if not adjusted:
        sheet.write_string(row, 0, "Inga belopp behövde justeras")
        return row + 2
    sheet.write_row(row, 0, ["Rad", "Kolumn", "Exakt belopp (kr)", f"Avrundat ({unit})", f"Visat ({unit})"],
                    fmt.get(bold=True, bottom=1))
    row += 1
    money, whole = fmt.get(num=KR), fmt.get(num="#,##0")
    scale = 1000 if unit == "tkr" else 1
    for measure, adjustment in adjusted:
        key = adjustment.key
        sheet.write_string(row, 0, ROW_LABELS.get(key) or PATH_SEPARATOR.join(key[1]))
        sheet.write_string(row, 1, MEASURE_HEADINGS[measure])
        sheet.write_number(row, 2, float(adjustment.exact * scale), money)
        sheet.write_number(row, 3, adjustment.rounded, whole)
        sheet.write_number(row, 4, adjustment.shown, whole)
        row += 1
    return row + 1


def write_warnings(sheet, row: int, findings, fmt) -> int:
    """The warnings, first on the sheet and apart from the rest: figures that
    are probably wrong. Returns the row where the sheet goes on (``row`` when
    there are none)."""
    found = [f for f in findings if f.is_warning]
    if not found:
        return row
    sheet.write_string(row, 0, f"{count_text(len(found)).capitalize()} — siffror som troligen är fel; kontrollera "
                               "dem innan rapporten används", fmt.get(bold=True, color="#C00000"))
    return _finding_rows(sheet, row + 1, found, fmt) + 1


def _finding_rows(sheet, row: int, findings, fmt) -> int:
    """``Typ | Var | Meddelande`` and a row per finding; returns the row after them."""
    sheet.write_row(row, 0, ["Typ", "Var", "Meddelande"], fmt.get(bold=True, bottom=1))
    row += 1
    for finding in findings:
        sheet.write_string(row, 0, finding.slug)
        sheet.write_string(row, 1, finding.where)
        sheet.write_string(row, 2, finding.message)
        row += 1
    return row


def write_findings(sheet, row: int, findings, fmt) -> int:
    """Iakttagelser — every finding that is not a warning (those are listed
    first on the sheet) as ``slug | where | message`` — and a legend of the
    slugs used; returns the row after them."""
    bold = fmt.get(bold=True)
    sheet.write(row, 0, "Iakttagelser", bold)
    used = sorted({f.slug for f in findings})
    warned = any(f.is_warning for f in findings)
    findings = [f for f in findings if not f.is_warning]
    row = _finding_rows(sheet, row + 1, findings, fmt)
    if not findings:
        sheet.write_string(row, 0, "Inga andra iakttagelser (varningarna står överst)" if warned
                           else "Inga iakttagelser")
        row += 1
    row += 1
    if used:
        sheet.write(row, 0, "Förklaring", bold)
        row += 1
        for slug in used:
            sheet.write_string(row, 0, slug)
            sheet.write_string(row, 2, SLUGS.get(slug, ""))
            row += 1
    return row


def _sum(report: Report) -> Figures:
    """Σ of the units' own Totalt (cost sign)."""
    return combine([u.report.total for u in report.units], income=False)
