"""Prognoshistorik: the forecast every closing month had, kept from run to run,
and above it how good those forecasts were (prognossäkerhet).

    row 0   the title                                      (ours, recomputed)
    row 1   the note                                       (ours, recomputed)
    row 3   Prognossäkerhet <year>, its note, its table     (ours, recomputed; once two months are on record)
    …       Prognoshistorik, then the table Period | Rad | Nivå | Budget | Utfall (ack.) | Prognos | Metod | Körd
            one row per record, month by month             (data: read back by ``read.history``)

The accuracy table is in the unit shown (tkr), its Avvikelse and Avvikelse %
formulas with their values stored; the history is in kr with öre, exactly as
each run recorded it (``engine.history``)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from ..contract import MONTH_NAMES, MONTHS, PATH_SEPARATOR
from ..contract.written import HISTORY_HEADINGS, HISTORY_SHEET
from ..engine import history
from ..engine.results import Report
from .formats import AMOUNT, KR, PERCENT, display, fit_width, page_setup
from .summary import LINE_HEIGHT, wrapped_lines
from .text import title, write_unit_note

ACCURACY_TOP = 3  # the accuracy table's heading row
GAP = 2  # empty rows between the accuracy table and the history's title
DATE = "yyyy-mm-dd"
SIGNED = "+#,##0;-#,##0;0"  # a deviation: above (+) or below (−) the outcome, not favourable/unfavourable
ACCURACY_HEADINGS = ("Månad", "Område", "Prognos", None, "Avvikelse", "Avvikelse %")  # None: the outcome's
PERIOD, AREA, FORECAST, OUTCOME, DEVIATION, SHARE = range(len(ACCURACY_HEADINGS))
MIN_MONTHS = 2  # the accuracy table needs a month to compare with another
NOTE_WIDTH = 100  # the accuracy note's width (characters) across the table's columns, for its row height


def period_text(period: int) -> str:
    """yyyymm → '2025-08', as the history's Period column holds it."""
    return f"{period // 100}-{period % 100:02d}"


def outcome_heading(found: history.Accuracy) -> str:
    """'Utfall 2025' once December is closed, else 'Prognos aug' (the latest month's)."""
    return f"Utfall {found.year}" if found.closed else f"Prognos {MONTHS[found.reference - 1]}"


def accuracy_note(found: history.Accuracy, unit: str) -> str:
    """What the accuracy table compares with, and how its deviation reads."""
    if found.closed:
        against, outcome = f"Varje månads helårsprognos jämförs med utfallet för {found.year}", "utfallet"
    else:
        against = (f"Året är inte stängt: varje månads helårsprognos jämförs med den senaste prognosen "
                   f"({MONTH_NAMES[found.reference - 1]}) tills december är stängd")
        outcome = "den senaste prognosen"
    return (f"{against}. Nettokostnad i {unit}; avvikelse = prognos − {outcome}, positiv när prognosen var högre; "
            f"avvikelse % i procent av {outcome}.")


def write_history(sheet, report: Report, fmt) -> None:
    unit = report.show_in
    sheet.write_string(0, 0, title(report, HISTORY_SHEET), fmt.get(bold=True, size=14))
    write_unit_note(sheet, report, fmt, "Varje körning som skriver arbetsboken sparar bokslutsmånadens prognos här; "
                                        "andra månader ändras inte. Historiken i kr med öre")
    row = _write_accuracy(sheet, report, fmt, unit)
    heading = row + GAP + 2  # the title, then the table's headings
    sheet.write_string(heading - 1, 0, HISTORY_SHEET, fmt.get(bold=True, size=12))
    sheet.set_h_pagebreaks([heading - 1])  # printed, the history starts a page of its own
    head = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom")
    right = fmt.get(bold=True, bottom=1, wrap=True, valign="bottom", align="right")
    method = fmt.get(indent=1, align="left")  # apart from the right-aligned Prognos before it
    for c, name in enumerate(HISTORY_HEADINGS):
        style = right if 3 <= c <= 5 else fmt.get(bold=True, bottom=1, wrap=True, valign="bottom", indent=1,
                                                  align="left") if c == 6 else head
        sheet.write_string(heading, c, name, style)
    kr, day = fmt.get(num=KR), fmt.get(num=DATE, align="left")
    labels = []
    r = heading
    for record in report.history:
        r += 1
        label = PATH_SEPARATOR.join(record.path)
        labels.append(label)
        sheet.write_string(r, 0, period_text(record.period))
        sheet.write_string(r, 1, label)
        sheet.write_string(r, 2, record.level)
        for c, amount in ((3, record.budget), (4, record.actual), (5, record.forecast)):
            sheet.write_number(r, c, display(amount, "kr"), kr)
        sheet.write_string(r, 6, record.method, method)
        if record.run is not None:
            sheet.write_datetime(r, 7, dt.datetime.combine(record.run, dt.time()), day)
    areas = [area.name for area in found.areas] if (found := _accuracy(report)) is not None else []
    sheet.set_column(0, 0, fit_width(areas + ["Period"], minimum=10, maximum=30))
    sheet.set_column(1, 1, fit_width(labels, minimum=30, maximum=60))
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 5, 16)
    sheet.set_column(6, 6, 11)
    sheet.set_column(7, 7, 12)
    page_setup(sheet, report.unit, f"{report.period_label} {report.year}" if report.period else str(report.year),
               heading)


def _accuracy(report: Report) -> history.Accuracy | None:
    found = history.accuracy(report.history, report.year, report.period)
    return found if found is not None and found.months >= MIN_MONTHS else None


def _write_accuracy(sheet, report: Report, fmt, unit: str) -> int:
    """The accuracy table from ACCURACY_TOP; returns the last row used."""
    top = ACCURACY_TOP
    sheet.write_string(top, 0, f"Prognossäkerhet {report.year}", fmt.get(bold=True, size=12))
    found = _accuracy(report)
    note = fmt.get(italic=True)
    if found is None:
        sheet.write_string(top + 1, 0, f"Visas när historiken har prognoser för minst {MIN_MONTHS} månader av "
                                       f"{report.year}.", note)
        return top + 1
    text = accuracy_note(found, unit)
    sheet.merge_range(top + 1, 0, top + 1, SHARE, "", fmt.get(italic=True, wrap=True, valign="top"))
    sheet.write_string(top + 1, 0, text, fmt.get(italic=True, wrap=True, valign="top"))
    sheet.set_row(top + 1, LINE_HEIGHT * wrapped_lines(text, NOTE_WIDTH))
    heads = [outcome_heading(found) if name is None else name for name in ACCURACY_HEADINGS]
    r = top + 2
    for c, name in enumerate(heads):
        sheet.write_string(r, c, name, fmt.get(bold=True, bottom=1, wrap=True, valign="bottom",
                                               align="right" if c >= FORECAST else None))
    for i, area in enumerate(found.areas):
        rule = 1 if i else 0
        amount, signed = fmt.get(num=AMOUNT, top=rule), fmt.get(num=SIGNED, top=rule)
        percent, text = fmt.get(num=PERCENT, top=rule), fmt.get(top=rule)
        for row in area.rows:
            r += 1
            n = r + 1
            outcome = Fraction(area.outcome)
            sheet.write_string(r, PERIOD, period_text(found.year * 100 + row.month), text)
            sheet.write_string(r, AREA, area.name, text)
            sheet.write_number(r, FORECAST, display(row.forecast, unit), amount)
            sheet.write_number(r, OUTCOME, display(outcome, unit), amount)
            sheet.write_formula(r, DEVIATION, f"=C{n}-D{n}", signed, display(row.deviation, unit))
            if row.share is None:
                sheet.write_blank(r, SHARE, None, percent)
            else:
                sheet.write_formula(r, SHARE, f"=E{n}/ABS(D{n})", percent, float(row.share))
            amount, signed, percent, text = fmt.get(num=AMOUNT), fmt.get(num=SIGNED), fmt.get(num=PERCENT), None
    return r
