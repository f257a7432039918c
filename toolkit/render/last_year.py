"""Avstämning's block Fjolår: last year's rows against the lines, exact in kr
with öre — where they came from, how many, Σ the year and Σ months 1..P, Σ
over the lines and Ej budgeterat, the difference (always 0,00), and each
line's rows (``engine.last_year.LastYear``)."""

from __future__ import annotations

from ..engine.results import Report
from ..layout import UNBUDGETED_LABEL
from .formats import KR, kr, write_facts


def write_last_year(sheet, row: int, report: Report, fmt) -> int:
    """The block, from ``row``; returns the row after it (``row`` when the run has no last year)."""
    prior = report.last_year
    if prior is None:
        return row
    head = fmt.get(bold=True, bottom=1)
    money = fmt.get(num=KR)
    count = fmt.get(num="#,##0")
    months = f"{report.period_label} {prior.year}" if report.period else f"{prior.year}, 0 mån"
    sheet.write(row, 0, f"Fjolår {prior.year}", head)
    sheet.write(row, 1, "", head)
    row += 1
    origin = f"{prior.source} (fjolårets huvudbok)" if prior.from_file else \
        f"{prior.source} (huvudbokens rader för {prior.year})"
    facts: list[tuple[str, object, object]] = [("Källa", origin, None)]
    if prior.from_file:
        outside = prior.outside.rows if prior.outside is not None else 0
        facts.append(("Rader lästa", prior.rows_read + outside, count))
        if prior.outside is not None:  # Urval on Inställningar: the other units' rows
            facts.append((f"Rader utanför urvalet ({prior.outside.text})", outside, count))
        if prior.other_rows:
            facts.append(("Rader av andra år (ingår inte)", prior.other_rows, count))
    facts += [(f"Rader för {prior.year}", prior.rows, count), (f"Σ huvudbok {prior.year}", kr(prior.amount), money),
              (f"Rader {months}", prior.rows_in_period, count)]
    row = write_facts(sheet, row, facts)
    sums = row
    for label, value in ((f"Σ huvudbok {months}", prior.sum_in_period), ("Σ över budgetraderna", prior.sum_lines),
                         (f"Σ {UNBUDGETED_LABEL}", prior.sum_unbudgeted)):
        sheet.write_string(row, 0, label)
        sheet.write_number(row, 1, kr(value), money)
        row += 1
    sheet.write_string(row, 0, "Differens (ska vara 0,00)", fmt.get(bold=True))
    sheet.write_formula(row, 1, f"=ROUND(B{sums + 1}-B{sums + 2}-B{sums + 3},2)", fmt.get(num=KR, bold=True),
                        kr(prior.difference))
    row += 2
    sheet.write_row(row, 0, ["Budgetrad", f"Σ {months}", "Antal rader", f"Σ helår {prior.year}"], head)
    row += 1
    for line in prior.lines:
        sheet.write_string(row, 0, line.path)
        sheet.write_number(row, 1, kr(line.sum_in_period), money)
        sheet.write_number(row, 2, line.rows, count)
        sheet.write_number(row, 3, kr(line.sum_year), money)
        row += 1
    return row + 1
