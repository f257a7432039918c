"""Analys: the report's text, one row per area — the unit as a whole, in a
consolidation each unit, then each Uppdrag — with the sentences generated from
the figures (``engine.text``) and beside them the economist's own explanation.

    row 0   the title                                   (ours)
    row 1   "Belopp i tkr · …" (and warnings)           (ours)
    row 3   Område | Genererad text | Förklaring | the economist's own columns, headed
    row 4…  one row per area: its label path, the generated text (ours), the
            explanation and own columns (the economist's, carried by
            ``engine.explanations``)
    +3      "Text vars område inte finns längre …", then one row per kept text
            with its area's label path in column A

The generated text is written anew on every refresh; the economist's cells are
never changed.  Every cell of a row is top-aligned and wraps, and the row is
made tall enough for the longer of the two texts (Excel and LibreOffice do not
grow a row for wrapped text on their own).
"""

from __future__ import annotations

from ..contract.written import (
    ANALYSIS_EXPLANATION_HEADING,
    ANALYSIS_FIRST_HEADING,
    ANALYSIS_KEPT_HEADING,
    ANALYSIS_SHEET,
    ANALYSIS_TEXT_HEADING,
)
from ..engine.results import Report
from ..engine.text import TOTAL_KEY, UNIT_TOTAL, areas
from ..layout import PATH_SEPARATOR
from .formats import fit_width, page_setup
from .summary import as_set, write_carried
from .text import title, write_unit_note

HEADER_ROW = 3
KEPT_GAP = 3  # the kept texts stand this many rows below the table's last row
TEXT_WIDTH = 60  # Genererad text
EXPLANATION_WIDTH = 60  # Förklaring, unless the economist set its width
OWN_WIDTH = 35  # the economist's own columns, unless set
LINE_HEIGHT = 15  # points per line of wrapped text


def lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a
    generous estimate: a row too tall reads better than a text cut off)."""
    per_line = max(1, int(width * 1.1))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def write_analysis(sheet, report: Report, fmt) -> None:
    carried = report.explanations
    first_own = 2  # the Förklaring column: the economist types from here on
    own_columns = max([*carried.headers, 0,
                       *(c.offset for row in [*carried.rows.values(), *carried.orphans] for c in row.cells)])
    widths = {offset: as_set(width) for offset, width in carried.widths.items()}
    explanation_width = widths.get(0, EXPLANATION_WIDTH)

    sheet.write_string(0, 0, title(report, ANALYSIS_SHEET), fmt.get(bold=True, size=14))
    write_unit_note(sheet, report, fmt, f"Belopp i {report.show_in} · {ANALYSIS_TEXT_HEADING} skrivs om vid varje "
                                        f"körning; skriv den egna texten i {ANALYSIS_EXPLANATION_HEADING} — den "
                                        "behålls")
    head = fmt.get(bold=True, bottom=1, valign="bottom", wrap=True)
    for c, name in enumerate([ANALYSIS_FIRST_HEADING, ANALYSIS_TEXT_HEADING, ANALYSIS_EXPLANATION_HEADING]):
        sheet.write_string(HEADER_ROW, c, name, head)
    for offset, heading in carried.headers.items():
        sheet.write_string(HEADER_ROW, first_own + offset, heading, head)

    text = fmt.get(wrap=True, valign="top")
    label_styles = {True: fmt.get(bold=True, wrap=True, valign="top"), False: text}

    def write_cells(r: int, row, height: int) -> int:
        """The economist's cells of a row (a blank, wrapping Förklaring where nothing was typed);
        returns the lines the row needs."""
        cells = {c.offset: c for c in row.cells} if row is not None else {}
        if 0 not in cells:
            sheet.write_blank(r, first_own, None, text)
        for offset, cell in sorted(cells.items()):
            write_carried(sheet, r, first_own + offset, cell, fmt, text)
            if cell.formula is None and isinstance(cell.value, str):
                width = explanation_width if offset == 0 else widths.get(offset, OWN_WIDTH)
                height = max(height, lines(cell.value, width))
        return height

    found = areas(report)
    row = HEADER_ROW + 1
    labels = []
    for area in found:
        whole = area.key == TOTAL_KEY or area.key[-1] == UNIT_TOTAL
        sheet.write_string(row, 0, area.label, label_styles[whole])
        labels.append(area.label)
        sheet.write_string(row, 1, area.sheet_text, text)
        height = write_cells(row, carried.rows.get(area.key), lines(area.sheet_text, TEXT_WIDTH))
        sheet.set_row(row, LINE_HEIGHT * height)
        row += 1
    last = row - 1

    if carried.orphans:
        r = last + KEPT_GAP
        sheet.write_string(r, 0, ANALYSIS_KEPT_HEADING, fmt.get(bold=True, italic=True))
        for orphan in carried.orphans:
            r += 1
            sheet.write_string(r, 0, PATH_SEPARATOR.join(orphan.key), fmt.get(italic=True, valign="top"))
            sheet.set_row(r, LINE_HEIGHT * write_cells(r, orphan, 1))

    sheet.set_column(0, 0, fit_width(labels + [ANALYSIS_FIRST_HEADING], minimum=18, maximum=40))
    sheet.set_column(1, 1, TEXT_WIDTH)
    sheet.set_column(first_own, first_own, explanation_width)
    for offset in range(1, own_columns + 1):
        sheet.set_column(first_own + offset, first_own + offset, widths.get(offset, OWN_WIDTH))
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    period = f"{report.period_label} {report.year}" if report.period else f"Budget {report.year}"
    page_setup(sheet, report.unit, period, HEADER_ROW)
    sheet.print_area(0, 0, last, first_own + own_columns)
