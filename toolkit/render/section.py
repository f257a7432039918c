"""The report's section Ekonomi as blocks — headings, paragraphs and tables
of text — in the order a follow-up report prints them:

    Ekonomi                                                     (level 1)
      Ekonomiskt resultat per ansvarsområde                     (level 2: 4.1)
        the Sammanställning table, as the sheet shows it
        the unit as a whole: balance, headline and forecast sentences (and the
        economist's explanation); then one paragraph per area: its name in
        bold, its sentences, the economist's explanation
      Ackumulerad budgetavvikelse jan–aug 2025                  (level 2: 4.2)
        Resultaträkning per uppdrag jan–aug 2025                (level 3: 4.2.1)
      Prognos för helåret 2025                                  (level 2: 4.3)

A consolidation has the section for the whole, then the same for each unit
one level down, under the unit's name.

Both the Word document (``render.docx_report``) and the plain text
(``render.plain_text``) are written from these blocks, so they say the same.
Every figure is the one the sheets show (``engine.shown`` for Sammanställning,
``engine.statement`` for the result tables), rounded half away from zero in
the unit shown and written without the machine's locale: a no-break space
between thousands ("1 240"), whole percent ("57 %").
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..engine.results import Report
from ..engine.shown import summary_table
from ..engine.statement import Assignment, Indicator, statement
from ..engine.text import TOTAL_KEY, UNIT_TOTAL, areas, number, percent
from ..money import round_half_up
from .result_statement import headers, titles
from .summary import GAP, headings

SECTION = "Ekonomi"
RESULT_HEADING = "Ekonomiskt resultat per ansvarsområde"

#: a row's look in a table, by its kind in ``layout.plan``: (bold, italic, rule above: 0 none, 1 single, 2 double)
ROW_STYLES = {
    "heading": (True, False, 0), "breakdown": (True, False, 0), "group": (False, True, 0),
    "line": (False, False, 0), "class": (False, False, 0), "sum": (True, False, 1),
    "unbudgeted": (False, True, 0), "incomes": (True, False, 1), "costs": (True, False, 0),
    "overview": (True, False, 1), "total": (True, False, 2), "result": (True, False, 0), "gap": (False, False, 0),
}


@dataclass(frozen=True)
class Heading:
    level: int  # 1 Ekonomi, 2 a table's section, 3 Resultaträkning per uppdrag (one more in a unit of a consolidation)
    text: str
    number: str = ""  # "4.2.1" when the section is numbered (--avsnitt), else ""


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]  # the label, then the figures as text ("" blank)
    bold: bool = False
    italic: bool = False
    rule: int = 0  # a line above the row: 0 none, 1 single (Summa), 2 double (Totalt)
    indent: int = 0  # the label's depth in the tree
    gap: bool = False  # an empty row between a report's parts


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]  # the columns' headings, "\n" where the sheet breaks them
    rows: tuple[Row, ...]

    @property
    def columns(self) -> int:
        return len(self.header)


Block = Heading | Paragraph | Table


# -- numbers ---------------------------------------------------------------------------------------------------


def whole(value: Fraction | int) -> str:
    """An amount in the unit shown as the sheets display it: '1 240', '-38' (no-break spaces)."""
    return number(round_half_up(value))


def share(value: Fraction | None) -> str:
    """Utfall %: '57 %', blank when there is no budget."""
    return "" if value is None else percent(value)


# -- the blocks ------------------------------------------------------------------------------------------------


def result_table(report: Report) -> Table:
    """Sammanställning's table (4.1): its rows, headings and figures as the sheet shows them."""
    heads = {key: text for key, text in headings(report).items() if key not in (GAP, "kommentar")}
    table = summary_table(report)
    rows = []
    for shown in table.rows:
        bold, italic, rule = ROW_STYLES[shown.kind]
        if shown.kind == "gap":
            rows.append(Row(("",) * len(heads), gap=True))
            continue
        f = shown.figures
        cells = [shown.label]
        if f is None:
            cells += [""] * (len(heads) - 1)
        else:
            if "orig" in heads:  # Budgetändringar: Ursprunglig budget and Ändringar (with its sign) before Budget
                change = whole(f.changes)
                cells += [whole(f.original), f"+{change}" if f.changes and not change.startswith(("-", "0")) else change]
            cells += [whole(f.budget), whole(f.actual), *([] if f.last_year is None else [whole(f.last_year)]),
                      share(f.share), whole(f.variance), whole(f.forecast), whole(f.forecast_variance)]
            if table.committed:
                cells += ["", ""] if f.committed is None else [whole(f.committed), whole(f.available)]
        rows.append(Row(tuple(cells), bold=bold, italic=italic, rule=rule, indent=shown.row.depth))
    return Table(tuple(heads.values()), tuple(rows))


def statement_tables(report: Report) -> tuple[Table, Table, Table]:
    """Resultaträkning's three tables (4.2, 4.2.1, 4.3), as the sheet shows them."""
    figures = statement(report)
    accumulated, per_assignment, forecast = headers(report)

    def indicator(row: Indicator) -> Row:
        return Row((row.label, whole(row.result), whole(row.budget), whole(row.variance)))

    def assignment(row: Assignment, **style) -> Row:
        return Row((row.label, whole(row.actual), whole(row.phased), whole(row.budget), whole(row.forecast),
                    whole(row.forecast_variance)), **style)

    rows = [assignment(row) for row in figures.assignments]
    rows.append(assignment(figures.total, bold=True, rule=1))
    return (Table(tuple(accumulated), (indicator(figures.accumulated),)),
            Table(tuple(per_assignment), tuple(rows)),
            Table(tuple(forecast), (indicator(figures.forecast),)))


def explanation(report: Report, key: tuple[str, ...]) -> list[str]:
    """The economist's explanation of an area as typed in Analys' Förklaring (a formula: its value), one
    item per line of the cell; [] when nothing was typed."""
    row = report.explanations.rows.get(key)
    cell = next((c for c in row.cells if c.offset == 0), None) if row is not None else None
    if cell is None or not isinstance(cell.value, str):
        return []
    return [line.strip() for line in cell.value.splitlines() if line.strip()]


def area_paragraphs(report: Report) -> list[Paragraph]:
    """The report's text: the unit as a whole (balance, headline, forecast), then each area (in a
    consolidation each unit, then each Uppdrag): its name in bold, its sentences, and the economist's
    explanation after them; a second line of an explanation is a paragraph of its own."""
    out: list[Paragraph] = []
    for area in areas(report):
        lines = explanation(report, area.key)
        text = " ".join([area.text, *lines[:1]])
        if area.key == TOTAL_KEY:
            out.append(Paragraph((Run(text),)))
        else:
            name = area.key[0] if area.key[-1] == UNIT_TOTAL and len(area.key) == 2 else area.label
            out.append(Paragraph((Run(name, bold=True), Run(f" — {text}"))))
        out += [Paragraph((Run(line),)) for line in lines[1:]]
    return out


def _numbered(prefix: str | None, *parts: int) -> str:
    return ".".join([prefix, *map(str, parts)]) if prefix else ""


def unit_blocks(report: Report, level: int, prefix: str | None) -> list[Block]:
    """One unit's part of the section (or a consolidation's whole): 4.1 with its text, 4.2, 4.2.1, 4.3."""
    accumulated, per_assignment, forecast = statement_tables(report)
    titled = titles(report)
    return [Heading(level, RESULT_HEADING, _numbered(prefix, 1)), result_table(report), *area_paragraphs(report),
            Heading(level, titled[0], _numbered(prefix, 2)), accumulated,
            Heading(level + 1, titled[1], _numbered(prefix, 2, 1)), per_assignment,
            Heading(level, titled[2], _numbered(prefix, 3)), forecast]


def section(report: Report, number: str | None = None) -> tuple[Block, ...]:
    """The section Ekonomi (numbered from ``number``, e.g. "4": 4.1, 4.2, 4.2.1, 4.3; None: unnumbered):
    the unit's part, or a consolidation's whole and then each unit's part under the unit's name."""
    blocks: list[Block] = [Heading(1, SECTION, number or "")]
    blocks += unit_blocks(report, 2, number)
    for i, part in enumerate(report.units, start=4):
        prefix = _numbered(number, i) or None
        blocks.append(Heading(2, part.name, prefix or ""))
        blocks += unit_blocks(part.report, 3, prefix)
    return tuple(blocks)
