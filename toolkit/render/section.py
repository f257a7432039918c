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
from ..engine.text import NBSP, number, percent
from ..money import round_half_up
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
            cells += [whole(f.budget), whole(f.actual), share(f.share), whole(f.variance), whole(f.forecast),
                      whole(f.forecast_variance)]
            if table.committed:
                cells += ["", ""] if f.committed is None else [whole(f.committed), whole(f.available)]
        rows.append(Row(tuple(cells), bold=bold, italic=italic, rule=rule, indent=shown.row.depth))
    return Table(tuple(heads.values()), tuple(rows))


def _unit_text(report: Report) -> str:
    return f"Belopp i {report.show_in}".replace(" ", NBSP, 0)
