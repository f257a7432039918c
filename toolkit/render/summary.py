"""Sammanställning: the tree of lines with budget, utfall, periodised
variance, forecast and (when any) commitments.

Summa/Totalt rows, Utfall % and the variance columns are formulas with their
computed values stored, so every reader sees numbers and Excel recomputes the
same. A leaf's periodised variance shows its key in the formula:
``=B7*8/12-C7`` (cost) or ``=C7-B7*8/12`` (income).
"""

from __future__ import annotations

from ..cells import column_letter
from ..engine.figures import Figures
from ..engine.results import Line, Report
from ..layout import (
    COMMENT_HEADING,
    FIRST_HEADING,
    HEADER_ROW,
    HEADLINE_GAP,
    KEPT_GAP,
    KEPT_HEADING,
    PATH_SEPARATOR,
    RESULT_KEY,
    TITLE_ROW,
    TOTAL_KEY,
    UNBUDGETED_COMMENT,
    UNBUDGETED_KEY,
    UNBUDGETED_LABEL,
    sum_key,
    sum_label,
)
from .formats import AMOUNT, PERCENT, VARIANCE, decimal_text, display, fit_width, page_setup
from .text import headline, title, write_unit_note

COMMENT_WIDTH = 50
COMMENT_CHARS_PER_LINE = 48


def columns(report: Report) -> list[str]:
    cols = [FIRST_HEADING, f"Budget {report.year}", f"Utfall {report.period_label}", "Utfall %",
            "Avvikelse (periodiserad)", "Prognos", "Avvikelse budget–prognos"]
    if any(n.figures.committed for n in report.leaves()):
        cols += ["Intecknat", "Kvar att disponera"]
    return cols + [COMMENT_HEADING]


def write_summary(sheet, report: Report, fmt) -> None:
    """The tree of lines; a consolidation also has a Resultat row (income − costs) below Totalt."""
    result_row = report.is_consolidation
    cols = columns(report)
    has_committed = "Intecknat" in cols
    unit = report.show_in
    L = {name: chr(ord("A") + i) for i, name in enumerate(["rad", "budget", "utfall", "pct", "avv", "prognos",
                                                             "avvbp"] + (["int", "kvar"] if has_committed else [])
                                                            + ["kommentar"])}
    sheet.write_string(TITLE_ROW, 0, title(report, "Ekonomiskt resultat"), fmt.get(bold=True, size=14))
    write_unit_note(sheet, report, fmt)
    for c, name in enumerate(cols):
        text_column = c == 0 or name == COMMENT_HEADING
        sheet.write(HEADER_ROW, c, name, fmt.get(bold=True, bottom=1, wrap=True, valign="bottom",
                                                 align=None if text_column else "right"))
    sheet.set_row(HEADER_ROW, 45)

    row = HEADER_ROW + 1
    labels = []

    def amount_formats(bold: bool, top: int):
        return (fmt.get(num=AMOUNT, bold=bold, top=top), fmt.get(num=VARIANCE, bold=bold, top=top),
                fmt.get(num=PERCENT, bold=bold, top=top))

    def write_figures(r: int, f: Figures, *, bold: bool, top: int, formulas: dict[str, str]) -> None:
        amt, var, pct = amount_formats(bold, top)
        n = r + 1

        def put(key: str, value, style):
            col = ord(L[key]) - ord("A")
            if key in formulas:
                sheet.write_formula(r, col, formulas[key], style, value)
            else:
                sheet.write_number(r, col, value, style)

        put("budget", display(f.budget, unit), amt)
        put("utfall", display(f.actual, unit), amt)
        share = f.actual_share
        col = ord(L["pct"]) - ord("A")
        if share is None:
            sheet.write_blank(r, col, None, pct)
        else:
            sheet.write_formula(r, col, f"={L['utfall']}{n}/{L['budget']}{n}", pct, float(share))
        put("avv", display(f.variance, unit), var)
        put("prognos", display(f.forecast, unit), amt)
        bp = f"={L['budget']}{n}-{L['prognos']}{n}" if not f.income else f"={L['prognos']}{n}-{L['budget']}{n}"
        sheet.write_formula(r, ord(L["avvbp"]) - ord("A"), bp, var, display(f.forecast_variance, unit))
        if has_committed:
            put("int", display(f.committed, unit), amt)
            sheet.write_formula(r, ord(L["kvar"]) - ord("A"),
                                f"={L['budget']}{n}-{L['utfall']}{n}-{L['int']}{n}", amt,
                                display(f.available, unit))

    def sum_formula(col: str, refs: list[tuple[int, int]]) -> str:
        """refs: (row index, sign) → '=B5+B9-B12'."""
        parts = []
        for i, (r, sign) in enumerate(refs):
            op = "-" if sign < 0 else ("+" if i else "")
            parts.append(f"{op}{col}{r + 1}")
        return "=" + "".join(parts) if parts else "=0"

    def totals_formulas(refs_signed: list[tuple[int, int]]) -> dict[str, str]:
        plain = [(r, 1) for r, _ in refs_signed]
        out = {key: sum_formula(L[key], refs_signed) for key in ("budget", "utfall", "prognos")}
        out["avv"] = sum_formula(L["avv"], plain)
        if has_committed:
            out["int"] = sum_formula(L["int"], refs_signed)
        return out

    comment_col = cols.index(COMMENT_HEADING)
    plain_text = fmt.get(wrap=True, valign="top")
    own_columns = max([*report.note_headers, 0,
                       *(c.offset for n in [*report.notes.values(), *report.note_orphans] for c in n.cells)])
    for offset, heading in report.note_headers.items():
        sheet.write_string(HEADER_ROW, comment_col + offset, heading,
                           fmt.get(bold=True, bottom=1, wrap=True, valign="bottom"))

    def write_notes(r: int, key: tuple[str, ...], text: str, blank=None) -> None:
        """The Kommentar (the economist's own, carried from the last refresh, else
        the Budget sheet's) and the economist's own columns. A comment wraps within
        its column; the row is made tall enough (Excel and LibreOffice do not grow
        rows for wrapped text on their own)."""
        carried = report.notes.get(key)
        cells = {c.offset: c for c in carried.cells} if carried else {}
        typed = cells.get(0)
        if typed is not None and typed.formula is None and typed.value not in (None, ""):
            text = str(typed.value)
            cells.pop(0)
        if text:
            sheet.write_string(r, comment_col, text, plain_text)
            lines = -(-len(text) // COMMENT_CHARS_PER_LINE)
            if lines > 1:
                sheet.set_row(r, 15 * lines)
        elif blank is not None and 0 not in cells:
            sheet.write_blank(r, comment_col, None, blank)
        for offset, cell in sorted(cells.items()):
            write_carried(sheet, r, comment_col + offset, cell, fmt, plain_text)

    def write_node(node: Line) -> int:
        """Writes the node's rows; returns the row holding its figures."""
        nonlocal row
        indent = node.depth
        if node.is_leaf:
            r = row
            sheet.write_string(r, 0, node.label, fmt.get(indent=indent))
            labels.append("  " * indent + node.label)
            formulas = {}
            if node.share is not None:  # one key: the periodised variance shows it (a consolidated line has none)
                part, whole = node.share
                n = r + 1
                phased = f"{L['budget']}{n}*{decimal_text(part)}/{decimal_text(whole)}"
                formulas["avv"] = f"={L['utfall']}{n}-{phased}" if node.income else f"={phased}-{L['utfall']}{n}"
            write_figures(r, node.figures, bold=False, top=0, formulas=formulas)
            write_notes(r, node.label_path, node.comment)
            row += 1
            return r
        sheet.write_string(row, 0, node.label, fmt.get(bold=True, indent=indent))
        labels.append("  " * indent + node.label)
        write_notes(row, node.label_path, node.comment)
        row += 1
        refs = [(write_node(child), 1 if child.income == node.income else -1) for child in node.children]
        r = row
        label = sum_label(node.label)
        sheet.write_string(r, 0, label, fmt.get(bold=True, indent=indent, top=1))
        labels.append("  " * indent + label)
        write_figures(r, node.figures, bold=True, top=1, formulas=totals_formulas(refs))
        write_notes(r, sum_key(node), "", blank=fmt.get(top=1))
        row += 1
        return r

    top_refs = []
    for root in report.roots:
        top_refs.append((write_node(root), -1 if root.income else 1))
    if report.unbudgeted is not None:
        r = row
        sheet.write_string(r, 0, UNBUDGETED_LABEL, fmt.get(italic=True))
        labels.append(UNBUDGETED_LABEL)
        write_figures(r, report.unbudgeted, bold=False, top=0,
                      formulas={"avv": f"=-{L['utfall']}{r + 1}"})
        write_notes(r, UNBUDGETED_KEY, UNBUDGETED_COMMENT)
        top_refs.append((r, 1))
        row += 1
    r = row
    sheet.write_string(r, 0, TOTAL_KEY[0], fmt.get(bold=True, top=6))
    labels.append(TOTAL_KEY[0])
    write_figures(r, report.total, bold=True, top=6, formulas=totals_formulas(top_refs))
    write_notes(r, TOTAL_KEY, "", blank=fmt.get(top=6))
    last = r
    if result_row:  # below Totalt (net cost): Resultat = income − costs
        last = r = r + 1
        sheet.write_string(r, 0, RESULT_KEY[0], fmt.get(bold=True))
        labels.append(RESULT_KEY[0])
        n = r
        write_figures(r, report.total.as_sign(True), bold=True, top=0,
                      formulas={key: f"=-{L[key]}{n}" for key in ("budget", "utfall", "prognos")
                                + (("int",) if has_committed else ())} | {"avv": f"={L['avv']}{n}"})
        write_notes(r, RESULT_KEY, "")
    sheet.write_string(last + HEADLINE_GAP, 0, headline(report), fmt.get(italic=True))
    if report.note_orphans:
        r = last + KEPT_GAP
        sheet.write_string(r, 0, KEPT_HEADING, fmt.get(bold=True, italic=True))
        for orphan in report.note_orphans:
            r += 1
            sheet.write_string(r, 0, PATH_SEPARATOR.join(orphan.key), fmt.get(italic=True))
            for cell in orphan.cells:
                write_carried(sheet, r, comment_col + cell.offset, cell, fmt, plain_text)

    sheet.set_column(0, 0, fit_width(labels + [cols[0]], minimum=24, maximum=50))
    sheet.set_column(1, comment_col - 1, 14)
    widths = {offset: as_set(width) for offset, width in report.note_widths.items()}
    sheet.set_column(comment_col, comment_col, widths.get(0, COMMENT_WIDTH))
    for offset in range(1, own_columns + 1):
        sheet.set_column(comment_col + offset, comment_col + offset, widths.get(offset, COMMENT_WIDTH / 2))
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    page_setup(sheet, report.unit, _period_text(report), HEADER_ROW)
    sheet.print_area(0, 0, last, comment_col + own_columns)


def as_set(stored: float) -> float:
    """The width to give XlsxWriter so that it stores ``stored`` again (it adds
    5 pixels of padding to a width in characters of 7 pixels)."""
    pixels = round(stored * 7) - 5
    return pixels / 7 if pixels >= 7 else stored


def write_carried(sheet, r: int, c: int, cell, fmt, text_style) -> None:
    """One of the economist's cells, written where its row is now. A formula is
    moved with its row (relative references follow, as when Excel moves a row)."""
    style = fmt.get(num=cell.num_format, valign="top") if cell.num_format else text_style
    if cell.formula is not None:
        from openpyxl.formula.translate import Translator

        formula = Translator("=" + cell.formula, origin=cell.origin).translate_formula(f"{column_letter(c)}{r + 1}")
        value = cell.value if isinstance(cell.value, (int, float, str, bool)) else 0
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # stored as "0", as read back: a refresh that changes nothing stays byte-identical
        sheet.write_formula(r, c, formula, style, value)
    elif isinstance(cell.value, bool):
        sheet.write_boolean(r, c, cell.value, style)
    elif isinstance(cell.value, (int, float)):
        sheet.write_number(r, c, cell.value, style)
    elif cell.value not in (None, ""):
        sheet.write_string(r, c, str(cell.value), style)


def _period_text(report: Report) -> str:
    return f"{report.period_label} {report.year}" if report.period else f"Budget {report.year}"
