"""Avstämning: the tie-out of the ledger against the lines, exact in kr,
the unbudgeted rows itemised, the rows left out, and every finding."""

from __future__ import annotations

from ..contract import TIEOUT_SHEET
from ..engine.report import UNBUDGETED_LABEL, Report
from ..findings import SLUGS, count_text
from .formats import KR, kr, page_setup
from .text import title


def write_tieout(sheet, report: Report, fmt) -> None:
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
    facts = [
        ("Källa", f"{tie.source}{layout}", None),
        ("Rader lästa", tie.rows_read, count),
        ("Rader i perioden", tie.rows_in_period, count),
        ("Rader utanför perioden", sum(i.rows for i in tie.left_out), count),
    ]
    for label, value, style in facts:
        sheet.write_string(row, 0, label)
        if isinstance(value, str):
            sheet.write_string(row, 1, value)
        else:
            sheet.write_number(row, 1, value, style)
        row += 1
    sums = row
    for label, value in (("Σ huvudbok i perioden", tie.sum_in_period), ("Σ över budgetraderna", tie.sum_lines),
                         (f"Σ {UNBUDGETED_LABEL}", tie.sum_unbudgeted)):
        sheet.write_string(row, 0, label)
        sheet.write_number(row, 1, kr(value), money)
        row += 1
    sheet.write_string(row, 0, "Differens (ska vara 0,00)", bold)
    sheet.write_formula(row, 1, f"=ROUND(B{sums + 1}-B{sums + 2}-B{sums + 3},2)", fmt.get(num=KR, bold=True),
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

    write_findings(sheet, row, report.findings, fmt)

    sheet.set_column(0, 0, 42)
    sheet.set_column(1, max(2, len(dims) + 2), 16)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}", 3)


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
