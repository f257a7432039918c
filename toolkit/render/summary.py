"""Sammanställning: the lines with budget, utfall, periodised variance,
forecast and (when any) commitments — the table pasted into the report.

The rows follow ``layout.plan``: the budget's tree with a Summa row under
each heading (Layout ``träd``), or the report's table (``rapport``): an
overview by account class, then one "…, fördelning:" block per class.

Summa/Totalt rows, Utfall % and the variance columns are formulas with their
computed values stored, so every reader sees numbers and Excel recomputes the
same. A line's periodised variance shows its key in the formula:
``=B7*8/12-C7`` (cost) or ``=C7-B7*8/12`` (income). With Jämna summor the
lines hold the whole amounts of ``engine.rounding.even_sums`` instead, so
every Summa is the sum of the rows shown above it.

Made to be pasted: every cell of a row is aligned to the top (a wrapped
Kommentar starts on the line of its label and figures), an empty narrow
column stands before Kommentar, Intecknat and Kvar att disponera are blank
where there is no commitment and on income rows, and the headings break
where we break them, in columns wide enough that two headings never run
together.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..cells import column_letter
from ..contract import SUMMARY_SHEET
from ..engine.results import Report
from ..engine.rounding import COSTS, INCOMES, TOTAL, UNBUDGETED, EvenSums, line_key
from ..engine.shown import Shown, has_committed, summary_table
from ..layout import (
    BUDGET_HEADING,
    COMMENT_HEADING,
    HEADER_ROW,
    HEADLINE_GAP,
    KEPT_GAP,
    KEPT_HEADING,
    ORIGINAL_HEADING,
    PATH_SEPARATOR,
    REPORT,
    TITLE_ROW,
    UNBUDGETED_COMMENT,
    Row,
)
from .formats import AMOUNT, PERCENT, VARIANCE, decimal_text, fit_width, page_setup
from .materiality import MARK, legend, write_marks
from .text import headline, title, write_unit_note

COMMENT_WIDTH = 50
LINE_HEIGHT = 15  # points per line of text at 11 pt
GAP_WIDTH = 2  # the empty column before Kommentar
FIGURE_WIDTH = 12  # the narrowest figure column
HEADING_MARGIN = 3  # room beside a heading's longest line, so two right-aligned headings never touch

COMMITTED = ("int", "kvar")  # the columns of Intecknat and Kvar att disponera, by key
CHANGED = ("orig", "chg")  # with Budgetändringar: Ursprunglig budget and Ändringar, before Budget
CHANGES_HEADING = "Ändringar"
CHANGE = "+#,##0;-#,##0;0"  # a change shows its sign
LAST_YEAR = "fjolar"  # the column of Fjolår, by key
GAP = "gap"


def headings(report: Report) -> dict[str, str]:
    """The columns' headings by key, in order; a line break where the heading wraps.
    Budget and Prognos say the year, Budget the unit, Utfall the months."""
    unit, year = report.show_in, report.year
    out = {"rad": report.presentation.first_heading, "budget": f"{BUDGET_HEADING} {year}\ni {unit}",
           "utfall": f"Utfall\n{report.period_label}", **last_year_heading(report),
           "pct": "Utfall %", "avv": "Avvikelse\n(periodiserad)",
           "prognos": f"Prognos\n{year}", "avvbp": "Avvikelse\nbudget–prognos"}
    if report.has_changes:  # Ursprunglig budget | Ändringar | Budget (the revised, which every figure uses)
        first, rest = ORIGINAL_HEADING.split(" ", 1)
        out = {"rad": out["rad"], "orig": f"{first}\n{rest} {year}", "chg": CHANGES_HEADING, **out}
    if has_committed(report):
        out |= {"int": "Intecknat", "kvar": "Kvar att\ndisponera"}
    return out | {GAP: MARK if report.materiality is not None else "", "kommentar": COMMENT_HEADING}


def last_year_heading(report: Report) -> dict[str, str]:
    """Fjolår beside Utfall when the run has last year's utfall: the same months, last year."""
    if report.last_year is None:
        return {}
    months = f"{report.period_label} " if report.period else ""
    return {LAST_YEAR: f"Fjolår\n{months}{report.year - 1}"}


def heading_width(text: str) -> float:
    """A figure column wide enough for its heading's longest line and a margin."""
    return max(FIGURE_WIDTH, max(len(line) for line in text.split("\n")) + HEADING_MARGIN)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped at word boundaries in a column ``width``
    wide. A width counts digits; text averages narrower letters, and Calibri fits some
    1.25 of them per digit — 1.1 keeps a row too tall rather than hide a line."""
    per_line = max(8, int(width * 1.1))
    lines = 0
    for paragraph in text.split("\n"):
        length = 0
        lines += 1
        for word in paragraph.split():
            if length and length + 1 + len(word) > per_line:
                lines += 1
                length = len(word)
            else:
                length += (1 if length else 0) + len(word)
            while length > per_line:  # a word longer than the line is broken
                lines += 1
                length -= per_line
    return lines


class _Sheet:
    """Writes one Sammanställning; ``rows`` is ``layout.plan`` for the report."""

    def __init__(self, sheet, report: Report, fmt):
        self.sheet, self.report, self.fmt = sheet, report, fmt
        self.unit = report.show_in
        self.heads = headings(report)
        self.col = {key: c for c, key in enumerate(self.heads)}
        self.committed = "int" in self.col
        self.changed = "orig" in self.col
        self.last_year = [LAST_YEAR] if LAST_YEAR in self.col else []  # Fjolår's column: added up like Utfall
        self.comment_col = self.col["kommentar"]
        table = summary_table(report)
        self.even: EvenSums | None = table.even
        self.rows: list[Row] = [shown.row for shown in table.rows]
        self.shown = {id(shown.row): shown for shown in table.rows}
        self.at = {id(row): HEADER_ROW + 1 + i for i, row in enumerate(self.rows)}
        self.figure_row: dict[tuple, int] = {}  # a line's (or closing row's) key → the row showing its figures
        for row in self.rows:
            if row.kind in ("line", "sum", "class"):
                self.figure_row.setdefault(line_key(row.line), self.at[id(row)])
            elif row.kind in ("unbudgeted", "incomes", "costs", "total", "overview", "result"):
                self.figure_row[(row.kind,)] = self.at[id(row)]
        self.comment_width = report.note_widths.get(0, COMMENT_WIDTH)
        self.labels: list[str] = []

    # --- cells ----------------------------------------------------------------------------------------------------

    def letter(self, key: str) -> str:
        return column_letter(self.col[key])

    def style(self, *, num: str | None = None, bold: bool = False, top: int = 0, italic: bool = False,
              indent: int = 0):
        """A format of the table: every cell aligned to the top; an indented label
        aligned left (Excel and LibreOffice indent only a cell aligned so)."""
        return self.fmt.get(num=num, bold=bold, top=top, italic=italic, indent=indent, valign="top",
                            align="left" if indent else None)

    def value(self, amount: Fraction) -> float | int:
        """A figure as the cell holds it: at full precision, or the whole number of Jämna summor."""
        return int(amount) if self.even is not None else float(amount)

    def write_figures(self, r: int, f: Shown, *, bold: bool, top: int, formulas: dict[str, str]) -> None:
        """A row's figures (``engine.shown``: the values it shows), as formulas where ``formulas`` has one."""
        amt = self.style(num=AMOUNT, bold=bold, top=top)
        var = self.style(num=VARIANCE, bold=bold, top=top)
        pct = self.style(num=PERCENT, bold=bold, top=top)
        n = r + 1
        L = self.letter

        def put(key: str, value: Fraction, style) -> None:
            if key in formulas:
                self.sheet.write_formula(r, self.col[key], formulas[key], style, self.value(value))
            else:
                self.sheet.write_number(r, self.col[key], self.value(value), style)

        if self.changed:
            put("orig", f.original, amt)
            put("chg", f.changes, self.style(num=CHANGE, bold=bold, top=top))
        put("budget", f.budget, amt)
        put("utfall", f.actual, amt)
        if self.last_year:
            put(LAST_YEAR, f.last_year, amt)
        if f.share is None:
            self.sheet.write_blank(r, self.col["pct"], None, pct)
        else:
            self.sheet.write_formula(r, self.col["pct"], f"={L('utfall')}{n}/{L('budget')}{n}", pct, float(f.share))
        put("avv", f.variance, var)
        put("prognos", f.forecast, amt)
        bp = f"={L('prognos')}{n}-{L('budget')}{n}" if f.income else f"={L('budget')}{n}-{L('prognos')}{n}"
        self.sheet.write_formula(r, self.col["avvbp"], bp, var, self.value(f.forecast_variance))
        if not self.committed:
            return
        if f.committed is None:  # no commitment, or an income row: blank
            for key in COMMITTED:
                self.sheet.write_blank(r, self.col[key], None, amt)
            return
        put("int", f.committed, amt)
        self.sheet.write_formula(r, self.col["kvar"], f"={L('budget')}{n}-{L('utfall')}{n}-{L('int')}{n}", amt,
                                 self.value(f.available))

    def label(self, r: int, text: str, style, shown: str | None = None) -> None:
        self.sheet.write_string(r, 0, text, style)
        self.labels.append(shown if shown is not None else text)

    # --- formulas -------------------------------------------------------------------------------------------------

    def sum_formulas(self, refs: list[tuple[int, int]]) -> dict[str, str]:
        """The amounts of a sum of rows (``refs``: (row, sign)); the variance adds every row (favourable +)."""
        def formula(key: str, signed: bool) -> str:
            parts = []
            for i, (r, sign) in enumerate(refs):
                op = "-" if signed and sign < 0 else ("+" if i else "")
                parts.append(f"{op}{self.letter(key)}{r + 1}")
            return "=" + "".join(parts) if parts else "=0"

        out = {key: formula(key, True) for key in (*self.changed_keys, "budget", "utfall", *self.last_year, "prognos")}
        out["avv"] = formula("avv", False)
        if self.committed:
            out["int"] = formula("int", True)
        return out

    def same_as(self, r: int) -> dict[str, str]:
        """Every amount taken from row ``r`` (a class in the overview from its block's Summa)."""
        keys = [*self.changed_keys, "budget", "utfall", *self.last_year, "avv", "prognos"] + (["int"] if self.committed else [])
        return {key: f"={self.letter(key)}{r + 1}" for key in keys}

    def difference(self, plus: int, minus: int) -> dict[str, str]:
        """Row ``plus`` less row ``minus``; the variances (favourable +) added."""
        keys = [*self.changed_keys, "budget", "utfall", *self.last_year, "prognos"] + (["int"] if self.committed else [])
        out = {key: f"={self.letter(key)}{plus + 1}-{self.letter(key)}{minus + 1}" for key in keys}
        out["avv"] = f"={self.letter('avv')}{plus + 1}+{self.letter('avv')}{minus + 1}"
        return out

    @property
    def changed_keys(self) -> tuple[str, ...]:
        """Ursprunglig budget and Ändringar, when the table has them."""
        return CHANGED if self.changed else ()

    def top_refs(self) -> list[tuple[int, int]]:
        """The rows of the lines at the top (an income line less) and Ej budgeterat: net cost."""
        refs = [(self.figure_row[line_key(root)], -1 if root.income else 1) for root in self.report.roots]
        if self.report.unbudgeted is not None:
            refs.append((self.figure_row[UNBUDGETED], 1))
        return refs

    # --- rows -----------------------------------------------------------------------------------------------------

    def write(self) -> int:
        """Writes the rows; returns the table's last row."""
        report = self.report
        last = HEADER_ROW
        for row in self.rows:
            r = last = self.at[id(row)]
            kind, line, shown = row.kind, row.line, self.shown[id(row)]
            if kind == "gap":
                continue
            if kind == "heading":
                self.label(r, row.label, self.style(bold=True, indent=row.depth))
                self.notes(r, row.key, line.comment)
            elif kind == "breakdown":
                self.label(r, row.label, self.style(bold=True))
                self.notes(r, row.key, "")
            elif kind == "group":
                self.label(r, shown.label, self.style(italic=True, indent=row.depth))
                self.notes(r, row.key, line.comment)
            elif kind == "line" or (kind == "class" and line.is_leaf):
                self.label(r, row.label, self.style(indent=row.depth))
                formulas = {}
                if self.changed and self.even is None:  # the revised budget: original + changes
                    formulas["budget"] = f"={self.letter('orig')}{r + 1}+{self.letter('chg')}{r + 1}"
                if line.phased_by_key and self.even is None:  # one key: the variance shows it
                    part, whole = line.share
                    phased = f"{self.letter('budget')}{r + 1}*{decimal_text(part)}/{decimal_text(whole)}"
                    u = f"{self.letter('utfall')}{r + 1}"
                    formulas["avv"] = f"={u}-{phased}" if line.income else f"={phased}-{u}"
                self.write_figures(r, shown.figures, bold=False, top=0, formulas=formulas)
                self.notes(r, row.key, line.comment)
            elif kind == "class":
                self.label(r, row.label, self.style())
                block_sum = next(self.at[id(s)] for s in self.rows if s.kind == "sum" and s.line is line)
                self.write_figures(r, shown.figures, bold=False, top=0, formulas=self.same_as(block_sum))
                self.notes(r, row.key, line.comment)
            elif kind == "sum":
                self.label(r, row.label, self.style(bold=True, top=1, indent=row.depth))
                if report.presentation.layout == REPORT:  # a class's block: its lines, sub-headings carry no figures
                    refs = [(self.figure_row[line_key(leaf)], 1 if leaf.income == line.income else -1)
                            for leaf in line.leaves()]
                else:
                    refs = [(self.figure_row[line_key(child)], 1 if child.income == line.income else -1)
                            for child in line.children]
                self.write_figures(r, shown.figures, bold=True, top=1, formulas=self.sum_formulas(refs))
                self.notes(r, row.key, "", blank=self.style(top=1))
            elif kind == "unbudgeted":
                self.label(r, row.label, self.style(italic=True))
                self.write_figures(r, shown.figures, bold=False, top=0,
                                   formulas={"avv": f"=-{self.letter('utfall')}{r + 1}"})
                self.notes(r, row.key, UNBUDGETED_COMMENT)
            elif kind in ("incomes", "costs"):
                income = kind == "incomes"
                refs = [(self.figure_row[line_key(root)], 1) for root in report.roots if root.income == income]
                if not income and report.unbudgeted is not None:
                    refs.append((self.figure_row[UNBUDGETED], 1))
                top = 1 if income else 0
                self.label(r, row.label, self.style(bold=True, top=top))
                self.write_figures(r, shown.figures, bold=True, top=top, formulas=self.sum_formulas(refs))
                self.notes(r, row.key, "", blank=self.style(top=top))
            elif kind in ("total", "overview"):
                top = 6 if kind == "total" else 1
                self.label(r, row.label, self.style(bold=True, top=top))
                if report.has_income:
                    formulas = self.difference(self.figure_row[COSTS], self.figure_row[INCOMES])
                else:
                    formulas = self.sum_formulas(self.top_refs())
                self.write_figures(r, shown.figures, bold=True, top=top, formulas=formulas)
                self.notes(r, row.key, "", blank=self.style(top=top))
            elif kind == "result":
                self.label(r, row.label, self.style(bold=True))
                if report.has_income:
                    formulas = self.difference(self.figure_row[INCOMES], self.figure_row[COSTS])
                else:  # a consolidation without income: the net cost with the other sign
                    net = self.figure_row.get(("overview",), self.figure_row.get(TOTAL))
                    formulas = {key: f"=-{self.letter(key)}{net + 1}"
                                for key in (*self.changed_keys, "budget", "utfall", *self.last_year, "prognos")}
                    formulas["avv"] = f"={self.letter('avv')}{net + 1}"
                self.write_figures(r, shown.figures, bold=True, top=0, formulas=formulas)
                self.notes(r, row.key, "")
        return last

    def notes(self, r: int, key: tuple[str, ...], text: str, blank=None) -> None:
        """The Kommentar (the economist's own, carried from the last refresh, else
        the Budget sheet's) and the economist's own columns. A comment wraps within
        its column, aligned to the top like the rest of its row, which is made tall
        enough (Excel and LibreOffice do not grow rows for wrapped text on their own)."""
        report, sheet = self.report, self.sheet
        carried = report.notes.get(key)
        cells = {c.offset: c for c in carried.cells} if carried else {}
        typed = cells.get(0)
        if typed is not None and typed.formula is None and typed.value not in (None, ""):
            text = str(typed.value)
            cells.pop(0)
        if text:
            sheet.write_string(r, self.comment_col, text, self.text_style)
            lines = wrapped_lines(text, self.comment_width)
            if lines > 1:
                sheet.set_row(r, LINE_HEIGHT * lines)
        elif blank is not None and 0 not in cells:
            sheet.write_blank(r, self.comment_col, None, blank)
        for offset, cell in sorted(cells.items()):
            write_carried(sheet, r, self.comment_col + offset, cell, self.fmt, self.text_style)

    @property
    def text_style(self):
        return self.fmt.get(wrap=True, valign="top")


def write_summary(sheet, report: Report, fmt) -> None:
    """The table, in the layout Inställningar asks for, its opening sentence under it (inside the print area)
    and the notes whose line has gone below that."""
    w = _Sheet(sheet, report, fmt)
    heads = w.heads
    sheet.write_string(TITLE_ROW, 0, title(report, "Ekonomiskt resultat"), fmt.get(bold=True, size=14))
    write_unit_note(sheet, report, fmt, legend(report))
    for key, text in heads.items():
        text_column = key in ("rad", "kommentar", GAP)
        sheet.write_string(HEADER_ROW, w.col[key], text,
                           fmt.get(bold=True, bottom=0 if key == GAP else 1, wrap=True, valign="bottom",
                                   align=("center" if key == GAP else None) if text_column else "right"))
    sheet.set_row(HEADER_ROW, LINE_HEIGHT * max(text.count("\n") + 1 for text in heads.values()))

    comment_col = w.comment_col
    own_columns = max([*report.note_headers, 0,
                       *(c.offset for n in [*report.notes.values(), *report.note_orphans] for c in n.cells)])
    for offset, heading in report.note_headers.items():
        sheet.write_string(HEADER_ROW, comment_col + offset, heading,
                           fmt.get(bold=True, bottom=1, wrap=True, valign="bottom"))

    last = w.write()
    write_marks(sheet, report, w.figure_row, {row.key: w.at[id(row)] for row in w.rows if row.key}, comment_col - 1,
                fmt)

    # the opening sentence, across the figures and wrapped, inside the print area
    widths = {w.col["rad"]: fit_width(w.labels + [heads["rad"]], minimum=24, maximum=50)}
    for key in heads:
        if key not in ("rad", GAP, "kommentar"):
            widths[w.col[key]] = heading_width(heads[key])
    r = last + HEADLINE_GAP
    across = comment_col - 2  # the last figure column
    sentence = headline(report)
    style = fmt.get(italic=True, wrap=True, valign="top")
    sheet.merge_range(r, 0, r, across, "", style)
    sheet.write_string(r, 0, sentence, style)
    sheet.set_row(r, LINE_HEIGHT * wrapped_lines(sentence, sum(widths.values())))
    end = r

    if report.note_orphans:
        r = last + KEPT_GAP
        sheet.write_string(r, 0, KEPT_HEADING, fmt.get(bold=True, italic=True))
        for orphan in report.note_orphans:
            r += 1
            sheet.write_string(r, 0, PATH_SEPARATOR.join(orphan.key), fmt.get(italic=True))
            for cell in orphan.cells:
                write_carried(sheet, r, comment_col + cell.offset, cell, fmt, w.text_style)

    for c, width in widths.items():
        sheet.set_column(c, c, width)
    sheet.set_column(comment_col - 1, comment_col - 1, GAP_WIDTH + (1 if report.materiality is not None else 0))
    given = {offset: as_set(width) for offset, width in report.note_widths.items()}
    sheet.set_column(comment_col, comment_col, given.get(0, COMMENT_WIDTH))
    for offset in range(1, own_columns + 1):
        sheet.set_column(comment_col + offset, comment_col + offset, given.get(offset, COMMENT_WIDTH / 2))
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    page_setup(sheet, report.unit, _period_text(report), HEADER_ROW)
    sheet.print_area(0, 0, end, comment_col + own_columns)


def as_set(stored: float) -> float:
    """The width to give XlsxWriter so that it stores ``stored`` again (it adds
    5 pixels of padding to a width in characters of 7 pixels)."""
    pixels = round(stored * 7) - 5
    return pixels / 7 if pixels >= 7 else stored


def write_carried(sheet, r: int, c: int, cell, fmt, text_style) -> None:
    """One of the economist's cells, written where its row is now. A formula is
    moved with its row (``moved_formula``)."""
    style = fmt.get(num=cell.num_format, valign="top") if cell.num_format else text_style
    if cell.formula is not None:
        formula = moved_formula(cell.formula, cell.origin, cell.offset, r, c)
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


_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d*)")
_REF = re.compile(r"\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}")


def moved_formula(formula: str, origin: str, offset: int, r: int, c: int) -> str:
    """A formula of the economist's (without "=", as it stood in ``origin``,
    ``offset`` columns right of Kommentar), written at (``r``, ``c``): relative
    row references follow the row (as when Excel copies a row's cells with
    it); columns are those of the sheet as it was, so a reference to one of
    our figure columns (left of Kommentar) stays on it, and one to Kommentar
    or a column of the economist's moves with them when Kommentar moves (as
    when Excel inserts columns before Kommentar). References to other sheets
    and names are left as they are."""
    from openpyxl.formula.tokenizer import Token, Tokenizer
    from openpyxl.formula.translate import Translator, TranslatorError
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, _ = coordinate_from_string(origin)
    try:
        by_rows = Translator("=" + formula, origin=origin).translate_formula(f"{letters}{r + 1}")
    except TranslatorError:  # a reference would leave the sheet (above row 1): as Excel, keep it where it was
        by_rows = "=" + formula
    old_comment = column_index_from_string(letters) - 1 - offset
    shift = (c - offset) - old_comment
    if shift == 0:
        return by_rows

    def moved(match: re.Match) -> str:
        dollar_c, col, dollar_r, digits = match.groups()
        index = column_index_from_string(col.upper()) - 1
        return f"{dollar_c}{column_letter(index + shift) if index >= old_comment else col}{dollar_r}{digits}"

    out = []
    for token in Tokenizer(by_rows).items:
        text = token.value
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            sheet, bang, ref = text.rpartition("!")
            if (not sheet or sheet.strip("'").replace("''", "'") == SUMMARY_SHEET) and _REF.fullmatch(ref):
                text = f"{sheet}{bang}" + _CELL.sub(moved, ref)
        out.append(text)
    return "=" + "".join(out)


def _period_text(report: Report) -> str:
    return f"{report.period_label} {report.year}" if report.period else f"Budget {report.year}"
