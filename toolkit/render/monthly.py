"""Månadsuppföljning: the year month by month — a table per area (Totalt first,
then each Uppdrag, then each top-level line), and a native Excel line chart
of the cumulative utfall, the cumulative periodised budget and the forecast
path beside the total's table and, smaller, beside each Uppdrag's.

The figures are the engine's (``engine/monthly``); the running sums and the
variance are formulas with those values stored, and the charts' series point
at the table's own cells (their caches hold the same values)."""

from __future__ import annotations

from xlsxwriter.chart_line import ChartLine

from ..cells import column_letter
from ..contract import MONTH_HEADERS, MONTHLY_SHEET, MONTHS
from ..engine import monthly
from ..engine.monthly import Area
from ..engine.results import Report
from .formats import AMOUNT, VARIANCE, display, page_setup
from .text import title, write_unit_note

FIRST_BLOCK = 3  # the first area's heading row
HEADINGS = ["Månad", "Utfall", "Periodiserad budget", "Utfall ack.", "Periodiserad budget ack.", "Avvikelse ack.",
            "Prognos ack."]
MONTH, ACTUAL, PHASED, CUM_ACTUAL, CUM_PHASED, VARIANCE_COL, PATH = range(len(HEADINGS))
TABLE_ROWS = 2 + 12  # heading, column headings, twelve months
GAP = 2  # empty rows between two areas
CHART_COLUMN = len(HEADINGS) + 1  # a column's room between the table and its chart
ROW_PIXELS = 20
#: (width, height in rows) of the total's chart and of an Uppdrag's
TOTAL_CHART = (720, 22)
SMALL_CHART = (520, TABLE_ROWS)
#: the three lines: name, colour, dashed
SERIES = ((CUM_ACTUAL, "Utfall ack.", "#1F4E79", False),
          (CUM_PHASED, "Periodiserad budget ack.", "#7F7F7F", False),
          (PATH, "Prognos", "#C55A11", True))


class _Line(ChartLine):
    """XlsxWriter's line chart, writing out what it leaves to the reader's
    defaults: empty cells are gaps, lines are straight.  A reader that takes
    the standard's defaults (LibreOffice, for a workbook last saved by anything
    but Excel 2007) would otherwise draw the months after the closing period
    as zero and smooth the lines."""

    def _write_disp_blanks_as(self) -> None:
        self._xml_empty_tag("c:dispBlanksAs", [("val", self.show_blanks)])

    def _write_c_smooth(self, smooth) -> None:
        self._xml_empty_tag("c:smooth", [("val", "1" if smooth else "0")])


def heading(area: Area) -> str:
    """'Totalt', 'Uppdrag: Politik', a line's label; '(kostnader − intäkter)'
    after an area that nets income against costs, '(intäkter)' after an income area."""
    name = {monthly.TOTAL: area.name, monthly.ASSIGNMENT: f"Uppdrag: {area.name}"}.get(area.kind, area.name)
    if area.net:
        return f"{name} (kostnader − intäkter)"
    return f"{name} (intäkter)" if area.series.income else name


def write_monthly(sheet, report: Report, fmt) -> None:
    unit = report.show_in
    sheet.write_string(0, 0, title(report, MONTHLY_SHEET), fmt.get(bold=True, size=14))
    until = f"t.o.m. {MONTHS[report.period - 1]}" if report.period else "från januari"
    write_unit_note(sheet, report, fmt, f"Belopp i {unit}; ack. = ackumulerat från januari; avvikelse positiv = "
                                        f"gynnsam; prognos ack. = utfallet {until} och därefter prognosen, "
                                        "fördelad efter radernas periodiseringsnycklar")
    row = FIRST_BLOCK
    for area in monthly.distinct(report.monthly):
        chart = TOTAL_CHART if area.kind == monthly.TOTAL else SMALL_CHART if area.kind == monthly.ASSIGNMENT \
            else None
        _write_table(sheet, row, area, unit, fmt)
        if chart is not None:
            _insert_chart(sheet, row, area, chart, unit, fmt)
        row += max(TABLE_ROWS, chart[1] if chart else 0) + GAP
    sheet.set_column(MONTH, MONTH, 10)
    sheet.set_column(ACTUAL, PATH, 14)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}", 0)  # each table has its headings


def _write_table(sheet, top: int, area: Area, unit: str, fmt) -> None:
    s = area.series
    sheet.write_string(top, 0, heading(area), fmt.get(bold=True, size=12))
    for c, name in enumerate(HEADINGS):
        sheet.write_string(top + 1, c, name, fmt.get(bold=True, bottom=1, wrap=True, valign="bottom",
                                                     align=None if c == MONTH else "right"))
    sheet.set_row(top + 1, 30)
    amt, var = fmt.get(num=AMOUNT), fmt.get(num=VARIANCE)
    actual, cum_actual = s.monthly_actual(), s.cumulative_actual()
    cum_phased, variance, path = s.cumulative_phased(), s.cumulative_variance(), s.forecast_path()
    first = top + 2
    col = {c: column_letter(c) for c in range(len(HEADINGS))}
    for m in range(12):
        r = first + m
        n = r + 1  # the row's number in a formula
        sheet.write_string(r, MONTH, MONTH_HEADERS[m])
        sheet.write_number(r, PHASED, display(s.phased[m], unit), amt)
        before = f"{col[CUM_PHASED]}{n - 1}+" if m else ""
        sheet.write_formula(r, CUM_PHASED, f"={before}{col[PHASED]}{n}", amt, display(cum_phased[m], unit))
        if actual[m] is not None:
            sheet.write_number(r, ACTUAL, display(actual[m], unit), amt)
            before = f"{col[CUM_ACTUAL]}{n - 1}+" if m else ""
            sheet.write_formula(r, CUM_ACTUAL, f"={before}{col[ACTUAL]}{n}", amt, display(cum_actual[m], unit))
            a, p = f"{col[CUM_ACTUAL]}{n}", f"{col[CUM_PHASED]}{n}"
            sheet.write_formula(r, VARIANCE_COL, f"={a}-{p}" if s.income else f"={p}-{a}", var,
                                display(variance[m], unit))
        if path[m] is not None:
            sheet.write_number(r, PATH, display(path[m], unit), amt)


def _insert_chart(sheet, top: int, area: Area, size: tuple[int, int], unit: str, fmt) -> None:
    width, rows = size
    chart = fmt.book.add_chart({"type": "line"})
    chart.__class__ = _Line
    first, last = top + 2, top + 13
    for column, name, colour, dashed in SERIES:
        line = {"color": colour, "width": 2.25 if column != CUM_PHASED else 1.75}
        if dashed:
            line["dash_type"] = "dash"
        chart.add_series({"name": name, "categories": [sheet.name, first, MONTH, last, MONTH],
                          "values": [sheet.name, first, column, last, column], "line": line,
                          "marker": {"type": "none"}})
    small = area.kind != monthly.TOTAL
    chart.set_title({"name": f"{heading(area)}, ackumulerat ({unit})",
                     "name_font": {"size": 10 if small else 12, "bold": True}})
    ticks = {"major_tick_mark": "outside", "minor_tick_mark": "none"}  # said, not left to the reader's defaults
    chart.set_x_axis(ticks)
    chart.set_y_axis({"num_format": AMOUNT, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                      **ticks})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": width, "height": rows * ROW_PIXELS})
    sheet.insert_chart(top, CHART_COLUMN, chart)
