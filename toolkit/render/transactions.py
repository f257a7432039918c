"""Transaktioner: the period's ledger rows, each with the line it was mapped
to (``engine.transactions``), under a filter — so the economist can filter
down to what makes up a figure.

Up to 200 000 rows: XlsxWriter writes the sheet's frame (title, headings, the
filter, the first row of data with its formats) and ``fill`` writes every row
of data into the rendered sheet as XML directly, in the first row's formats
(XlsxWriter takes seconds per 10 000 rows; this a fraction of one).
"""

from __future__ import annotations

import re
from html import escape

import numpy as np

from ..cells import column_letter
from ..contract.written import TRANSACTIONS_SHEET
from ..engine.results import Report
from ..money import format_kr, group_thousands
from .formats import KR, kr
from .text import title

HEADER_ROW = 3
FIRST = HEADER_ROW + 1  # the first row of data (0-based)


def headings(report: Report) -> list[str]:
    listed = report.transactions
    return ["Period", *listed.headings, "Belopp", "Rad", "Källa"]


def write_transactions(sheet, report: Report, fmt) -> None:
    listed = report.transactions
    sheet.write_string(0, 0, title(report, TRANSACTIONS_SHEET), fmt.get(bold=True, size=14))
    if listed is None:  # no rows: say why, where the rows stood (never last month's rows left standing)
        sheet.write_string(1, 0, report.transactions_note or "", fmt.get(italic=True, color="#C00000"))
        sheet.set_column(0, 0, 12)
        return
    heads = headings(report)
    sheet.write_string(1, 0, f"Belopp i kr med öre, debet + (kostnader +, intäkter −) · {group_thousands(len(listed))} "
                             f"rader i perioden, Σ {format_kr(listed.total)} kr = Σ huvudbok i perioden på Avstämning",
                       fmt.get(italic=True))
    for c, heading in enumerate(heads):
        sheet.write_string(HEADER_ROW, c, heading, fmt.get(bold=True, bottom=1, indent=int(c == len(heads) - 2),
                                                           align="right" if heading == "Belopp" else
                                                           "left" if c == len(heads) - 2 else None))
    text = fmt.get(valign="top")
    line = fmt.get(valign="top", indent=1, align="left")  # Rad stands apart from Belopp
    if len(listed):  # the first row: its cells' formats are every row's (``fill``)
        for c, value in enumerate(_row(listed, 0)):
            if c == len(heads) - 3:  # Belopp
                sheet.write_number(FIRST, c, kr(int(listed.amount[0])), fmt.get(num=KR, valign="top"))
            else:  # an empty one is a blank cell with the format
                sheet.write_string(FIRST, c, value, line if c == len(heads) - 2 else text)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(1, len(listed)), len(heads) - 1)
    sheet.freeze_panes(FIRST, 0)
    widths = [9, *(max(10, len(h) + 4) for h in listed.headings), 14, 48, 24]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.repeat_rows(HEADER_ROW)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _row(listed, i: int) -> list[str]:
    period = int(listed.period[i])
    return [f"{period // 100}-{period % 100:02d}", *(c.texts[int(c.index[i])] for c in listed.codes),
            format_kr(int(listed.amount[i])), listed.paths[int(listed.line[i])], listed.where[i]]


_ROW = re.compile(rb'<row r="%d"[^>]*>.*?</row>' % (FIRST + 1), re.S)
_CELL = re.compile(rb'<c r="([A-Z]+)\d+"( s="\d+")?')
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def fill(xml: bytes, report: Report) -> bytes:
    """The rendered sheet's XML with every row of data, written in the formats
    of the first (which XlsxWriter wrote)."""
    listed = report.transactions
    found = _ROW.search(xml)
    if found is None or len(listed) < 2:
        return xml
    columns = len(headings(report))
    amount_col = columns - 3
    letters = [column_letter(c).encode() for c in range(columns)]
    by_letter = {m.group(1): m.group(2) or b"" for m in _CELL.finditer(found.group(0))}
    styles = [by_letter.get(letter, b"") for letter in letters]
    strings = [[_text(t) if t else None for t in codes.texts] for codes in listed.codes]
    paths = [_text(p) for p in listed.paths]
    periods = {p: _text(f"{p // 100}-{p % 100:02d}") for p in np.unique(listed.period).tolist()}
    rows = [b"%d" % (FIRST + 1 + i) for i in range(len(listed))]

    def column(c: int, values) -> list[bytes]:
        """Column ``c``'s cells, one per row (b"" for a blank); ``values``: each row's ``_text`` or None."""
        start, middle = b'<c r="' + letters[c], b'"' + _head(styles[c])
        return [start + r + middle + v + b"</t></is></c>" if v is not None else b"" for r, v in zip(rows, values)]

    columns_out = [column(0, [periods[p] for p in listed.period.tolist()])]
    for k, codes in enumerate(listed.codes):
        columns_out.append(column(1 + k, [strings[k][j] for j in codes.index.tolist()]))
    start, middle = b'<c r="' + letters[amount_col], b'"' + styles[amount_col] + b"><v>"
    columns_out.append([start + r + middle + _number(a) + b"</v></c>" for r, a in zip(rows, listed.amount.tolist())])
    columns_out.append(column(amount_col + 1, [paths[j] for j in listed.line.tolist()]))
    columns_out.append(column(amount_col + 2, [_text(w) for w in listed.where]))
    parts = [b'<row r="' + r + b'">' + b"".join(cells) + b"</row>" for r, cells in zip(rows, zip(*columns_out))]
    xml = xml[:found.start()] + b"".join(parts) + xml[found.end():]
    last = f"{column_letter(columns - 1)}{FIRST + len(listed)}".encode()
    return _DIMENSION.sub(b'<dimension ref="A1:' + last + b'"/>', xml, count=1)


def _head(style: bytes) -> bytes:
    """The rest of an inline-string cell's start tag and its text's opening."""
    return style + b' t="inlineStr"><is><t'


def _text(value: str) -> bytes:
    """``>text`` for an inline string (``xml:space`` kept where spaces lead or trail)."""
    body = escape(value).encode("utf-8")
    return (b' xml:space="preserve">' if value != value.strip() else b">") + body


def _number(ore: int) -> bytes:
    """Öre as the cell's exact number of kr: 123456 → 1234.56."""
    sign = "-" if ore < 0 else ""
    whole, rest = divmod(abs(ore), 100)
    return (f"{sign}{whole}.{rest:02d}" if rest else f"{sign}{whole}").encode()
