"""Every cell read as Excel shows it: error values stop the run, merged ranges
are read as the value of their top-left cell (or stop the run where that would
count money twice).  Real workbooks written here with XlsxWriter and openpyxl,
run through the command line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner
from workbook_factory import BUDGET, KEYS, LEDGER, SETTINGS
from written import WRITTEN

from toolkit.cli import main
from toolkit.read.grid import CellError, cell_text, error_text
from toolkit.read.workbook import Source
from toolkit.read.worksheet import NotCanonical

SHEETS = {"Inställningar": SETTINGS, "Budget": BUDGET, "Periodisering": KEYS, "Utfall": LEDGER}
SUMMARY = "T.xlsx: jan–aug 2025 · utfall 48 tkr · avvikelse +23 tkr · prognos 181 tkr · kontroll, inget skrivet\n"


def write_xlsxwriter(path: Path, sheets: dict[str, list[list]], errors: dict | None = None,
                     merges: dict | None = None) -> Path:
    """``errors``: {sheet: {"D3": "#REF!"}} written as a formula's cached error value, as Excel
    saves one; ``merges``: {sheet: ["B3:B4"]} with merge_range (the top-left value kept)."""
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write_string(r, c, value) if isinstance(value, str) else sheet.write(r, c, value)
        for ref, code in (errors or {}).get(name, {}).items():
            sheet.write_formula(ref, "=Blad9!A1", None, code)
        for ref in (merges or {}).get(name, []):
            first = ref.split(":")[0]
            r, c = xlsxwriter.utility.xl_cell_to_rowcol(first)
            value = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
            sheet.merge_range(ref, value)
    book.close()
    return path


def write_openpyxl(path: Path, sheets: dict[str, list[list]], errors: dict | None = None,
                   merges: dict | None = None) -> Path:
    """As ``write_xlsxwriter``, with openpyxl: error values as such (t="e"), merge_cells
    (which empties the other cells of the range)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c).value = value
        for ref, code in (errors or {}).get(name, {}).items():
            sheet[ref].value = code
        for ref in (merges or {}).get(name, []):
            sheet.merge_cells(ref)
    book.save(path)
    return path


WRITERS = [pytest.param(write_xlsxwriter, id="xlsxwriter"), pytest.param(write_openpyxl, id="openpyxl")]


@pytest.fixture
def at(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def assert_stops(folder: Path, line: str, *args) -> None:
    """The run stops with exactly ``line`` (exit 1) and writes nothing."""
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run("T.xlsx", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", line + "\n")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def with_column(rows: list[list], header: str, values: dict[int, object]) -> list[list]:
    """``rows`` with one more column ``header`` (values by row index)."""
    return [list(row) + [header if r == 0 else values.get(r)] for r, row in enumerate(rows)]


# ------------------------------------------------------------------------------------------------
# error values

REF = "#REF! (i svensk Excel #REFERENS!): formeln pekar på celler eller ett blad som inte finns längre"
NA = "#N/A (i svensk Excel #SAKNAS!): ett värde som inte hittades, t.ex. av LETARAD eller XLETAUPP"
DIV0 = "#DIV/0! (i svensk Excel #DIVISION/0!): formeln delar med noll eller en tom cell"
VALUE = "#VALUE! (i svensk Excel #VÄRDEFEL!): formeln räknar med ett värde av fel sort, t.ex. text"
NAME = "#NAME? (i svensk Excel #NAMN?): formeln använder en funktion eller ett namn som inte finns"
NUM = "#NUM! (i svensk Excel #OGILTIGT!): formeln ger ett tal som inte går att räkna ut"
NULL = "#NULL! (i svensk Excel #SKÄRNING!): formeln tar skärningen av två områden som inte möts"
CODE = {text.split(" ")[0]: text for text in (REF, NA, DIV0, VALUE, NAME, NUM, NULL)}

BUDGET_WIDE = with_column(with_column(BUDGET, "Prognos", {1: 55000}), "Kommentar", {2: "Höstens satsning"})

# (sheet, cell, error code): a cell that is read, in each sheet and kind of column
READ_CELLS = [
    ("Budget", "D3", "#REF!"),  # Budget
    ("Budget", "H2", "#DIV/0!"),  # Prognos
    ("Budget", "A4", "#N/A"),  # Rad
    ("Budget", "B3", "#NAME?"),  # Överordnad
    ("Budget", "C2", "#VALUE!"),  # Typ
    ("Budget", "E3", "#N/A"),  # Konto (a pattern)
    ("Budget", "F2", "#REF!"),  # Periodisering
    ("Budget", "G3", "#NUM!"),  # Intecknat
    ("Budget", "I3", "#VALUE!"),  # Kommentar
    ("Budget", "E1", "#REF!"),  # a header
    ("Budget", "D6", "#REF!"),  # an amount on a row of its own below the table
    ("Utfall", "D3", "#N/A"),  # Belopp
    ("Utfall", "A4", "#NUM!"),  # Period
    ("Utfall", "B5", "#NULL!"),  # Konto
    ("Inställningar", "B3", "#REF!"),  # År
    ("Inställningar", "A4", "#N/A"),  # a setting's name
    ("Periodisering", "C2", "#DIV/0!"),  # Feb
    ("Periodisering", "A2", "#N/A"),  # the key's name
]


@pytest.mark.parametrize("write", WRITERS)
@pytest.mark.parametrize("sheet, ref, code", READ_CELLS)
def test_an_error_value_in_a_cell_that_is_read_stops_the_run(at, write, sheet, ref, code):
    write(at / "T.xlsx", SHEETS | {"Budget": BUDGET_WIDE}, errors={sheet: {ref: code}})
    assert_stops(at, f"T.xlsx: {sheet}!{ref}: cellen innehåller felvärdet {CODE[code]}; rätta cellen och kör igen")


def test_the_first_error_value_in_sheet_order_is_named(at):
    write_xlsxwriter(at / "T.xlsx", SHEETS, errors={"Utfall": {"D5": "#REF!", "B3": "#N/A", "D3": "#DIV/0!"}})
    assert_stops(at, f"T.xlsx: Utfall!B3: cellen innehåller felvärdet {NA}; rätta cellen och kör igen")


def test_an_error_value_of_a_monthly_matrix(at):
    matrix = [["Konto", "Text", "Jan", "Feb", "Mar"], [5011, "Arvode", 10000, None, 21200],
              [4010, "Workshop", None, 85500, None]]
    write_xlsxwriter(at / "T.xlsx", SHEETS | {"Utfall": matrix}, errors={"Utfall": {"C3": "#N/A"}})
    assert_stops(at, f"T.xlsx: Utfall!C3: cellen innehåller felvärdet {NA}; rätta cellen och kör igen")


@pytest.mark.parametrize("write", WRITERS)
def test_error_values_in_cells_that_are_not_read_change_nothing(at, write):
    """Text and an extra column of the ledger export, a Budget column that is not
    used, a row of only such cells, a title above the table: the same run as without."""
    ledger = with_column([[*LEDGER[0]]] + [row[:] for row in LEDGER[1:]] + [[None] * 4], "Verifikat", {1: 17})
    budget = with_column([["Budget 2025"], *BUDGET], "Anteckning", {})
    write(at / "T.xlsx", SHEETS | {"Utfall": ledger, "Budget": budget},
          errors={"Utfall": {"C3": "#N/A", "E2": "#REF!", "C6": "#VALUE!", "E6": "#N/A"},
                  "Budget": {"B1": "#REF!", "H3": "#DIV/0!", "H6": "#N/A"}})
    result = run("T.xlsx", "--check")
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", SUMMARY)


def test_error_values_on_sheets_the_xml_reader_does_not_take(at):
    """Sheets read through calamine (which gives '' for an error value), the
    error values found by a scan of their XML: the Text of the ledger is not
    read, the Budget amount is."""
    write_xlsxwriter(at / "T.xlsx", SHEETS, errors={"Utfall": {"C3": "#N/A"}, "Budget": {"D3": "#REF!"}})
    with zipfile.ZipFile(at / "T.xlsx") as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    for name, data in parts.items():  # t before r: a cell tag the XML reader does not take
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = data.replace(b'<c r="A1" t="s">', b'<c t="s" r="A1">')
    with zipfile.ZipFile(at / "T.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    for sheet in ("Budget", "Utfall"):
        with pytest.raises(NotCanonical):
            Source(at / "T.xlsx").worksheet(sheet).grid()
    assert_stops(at, f"T.xlsx: Budget!D3: cellen innehåller felvärdet {REF}; rätta cellen och kör igen")


def test_cell_text_of_an_error_value_is_its_code_never_blank():
    assert cell_text(CellError("#N/A")) == "#N/A"


# ------------------------------------------------------------------------------------------------
# CSV exports: an error value as Excel saves it


CSV = "Period;Konto;Text;Belopp\n202503;5011;Arvode;31200\n202506;4010;{text};{amount}\n202508;3010;Avgift;-70000\n"


@pytest.mark.parametrize("amount, shown", [("#N/A", NA), ("#SAKNAS!", NA), ("#DIVISION/0!", DIV0), ("#ref!", REF)])
def test_an_error_value_in_a_csv_export_stops_the_run(at, amount, shown):
    write_xlsxwriter(at / "T.xlsx", SHEETS)
    (at / "export.csv").write_text(CSV.format(text="Workshop", amount=amount), encoding="utf-8")
    assert_stops(at, f"export.csv: rad 3 (Belopp): fältet innehåller Excels felvärde {shown}; rätta det i Excel och "
                     "spara filen igen", "--utfall", "export.csv", "--check")


def test_an_error_value_in_the_text_of_a_csv_export_is_text(at):
    write_xlsxwriter(at / "T.xlsx", SHEETS)
    (at / "export.csv").write_text(CSV.format(text="#N/A", amount="85500") + "\n;;#REF!;\n", encoding="utf-8")
    result = run("T.xlsx", "--utfall", "export.csv", "--check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("T.xlsx: jan–aug 2025 · utfall 47 tkr ·")  # without the 6110 row of the sheet


@pytest.mark.parametrize("text, code", [("#N/A", "#N/A"), ("#saknas!", "#N/A"), ("#REFERENS!", "#REF!"),
                                        ("#SPILL!", "#SPILL!"), ("#NAMN?", "#NAME?"), ("#BLOCKED!", "#BLOCKED!")])
def test_error_texts(text, code):
    assert error_text(text) == CellError(code)


@pytest.mark.parametrize("text", ["#", "#4010", "N/A", "#N/A ingen", "#REF", ""])
def test_texts_that_are_no_error_values(text):
    assert error_text(text) is None


# ------------------------------------------------------------------------------------------------
# merged cells

# a parent line and its children: Överordnad typed once, merged down the children's rows
TREE = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Periodisering", "Uppdrag", "Kommentar"],
    ["Verksamhet", None, "Kostnad", 300000, None, None, "Politik", None],
    ["Arvoden", "Verksamhet", None, 60000, "5011", None, None, "Gäller båda"],
    ["Utveckling", None, None, 240000, "4*", "Höst", None, None],
    ["Avgifter", None, "Intäkt", 120000, "3010", None, None, None],
]


def sammanstallning(path: Path) -> dict[str, list]:
    """Label → its row of Sammanställning (values as stored)."""
    sheet = openpyxl.load_workbook(path, data_only=True)["Sammanställning"]
    return {row[0]: list(row) for row in sheet.iter_rows(values_only=True) if row and row[0]}


@pytest.mark.parametrize("write", WRITERS)
def test_a_merged_parent_is_the_parent_of_every_row(at, write):
    """Överordnad merged over B3:B4: Utveckling is a child of Verksamhet too, not a
    second top-level line (which would count its 240 tkr twice: once on its own,
    once in Verksamhet's Ofördelat)."""
    write(at / "T.xlsx", SHEETS | {"Budget": TREE}, merges={"Budget": ["B3:B4"]})
    result = run("T.xlsx", "--json", "--check")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["totals_kr"]["budget"] == 180000.0  # 300 000 kr costs − 120 000 kr income
    assert data["totals_kr"]["actual"] == 47700.5
    assert "overfordelat" not in {f["slug"] for f in data["findings"]}
    result = run("T.xlsx")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("T.xlsx: jan–aug 2025 · utfall 48 tkr · avvikelse +23 tkr · prognos 181 tkr · "
                             f"{WRITTEN}\n")
    rows = sammanstallning(at / "T.xlsx")
    labels = list(rows)
    assert labels[labels.index("Rad") + 1 :][:5] == ["Verksamhet", "Arvoden", "Utveckling", "Summa Verksamhet",
                                                     "Avgifter"]
    assert rows["Summa Verksamhet"][1:3] == [300, 116.7]  # Budget, Utfall (tkr) of both children
    assert "Ofördelat" not in rows


def test_without_the_merge_the_child_is_a_top_level_line(at):
    """The same budget without the merge: Utveckling on its own (the difference the merge makes)."""
    write_xlsxwriter(at / "T.xlsx", SHEETS | {"Budget": TREE})
    result = run("T.xlsx", "--json", "--check")
    assert json.loads(result.stdout)["totals_kr"]["budget"] == 420000.0


@pytest.mark.parametrize("write", WRITERS)
def test_merged_type_key_assignment_and_comment_give_every_row_the_value(at, write):
    budget = [
        ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Periodisering", "Uppdrag", "Kommentar"],
        ["Arvoden", None, "Kostnad", 60000, "5011", "Höst", "Politik", "Gäller båda"],
        ["Utveckling", None, None, 240000, "4*", None, None, None],
        ["Avgifter", None, "Intäkt", 120000, "3010", None, "Politik", None],
        ["Bidrag", None, None, 10000, "3990", None, None, None],
    ]
    write(at / "T.xlsx", SHEETS | {"Budget": budget},
          merges={"Budget": ["C2:C3", "F2:F3", "G2:G5", "H2:H3", "C4:C5"]})
    result = run("T.xlsx")
    assert result.exit_code == 0, result.stderr
    rows = sammanstallning(at / "T.xlsx")
    assert rows["Utveckling"][-1] == "Gäller båda" and rows["Arvoden"][-1] == "Gäller båda"
    statement = openpyxl.load_workbook(at / "T.xlsx", data_only=True)["Resultaträkning"]
    groups = [row[0] for row in statement.iter_rows(values_only=True) if row and row[0]]
    assert "Politik" in groups and "Utveckling" not in groups and "Bidrag" not in groups
    # Bidrag is income (Typ merged down from Avgifter): 0 booked on 3990, its budget in the income total
    data = json.loads(run("T.xlsx", "--json", "--check").stdout)
    assert data["totals_kr"]["budget"] == 60000 + 240000 - 120000 - 10000
    # Arvoden and Utveckling both on the Höst key (6 of its 13 weights in jan–aug), the income lines linear
    assert data["totals_kr"]["periodised_budget"] == round(300000 * 6 / 13 - 130000 * 8 / 12, 2)


@pytest.mark.parametrize("write", WRITERS)
@pytest.mark.parametrize("ref, line", [
    ("D2:D3", "Budget!D2:D3: sammanfogade celler i kolumnen Budget; dela upp dem och skriv värdet på varje rad"),
    ("E3:E4", "Budget!E3:E4: sammanfogade celler i kolumnen Konto; dela upp dem och skriv värdet på varje rad"),
    ("A2:A3", "Budget!A2:A3: sammanfogade celler i kolumnen Rad; dela upp dem och skriv värdet på varje rad"),
    ("C2:D2", 'Budget!C2:D2: sammanfogade celler över kolumnerna "Typ" och "Budget"; dela upp dem och skriv värdet '
              "i varje cell"),
    ("B1:B3", "Budget!B1:B3: sammanfogade celler i kolumnen Överordnad; dela upp dem och skriv värdet på varje rad"),
])
def test_a_merged_range_that_would_count_twice_stops_the_run(at, write, ref, line):
    write(at / "T.xlsx", SHEETS | {"Budget": TREE}, merges={"Budget": [ref]})
    assert_stops(at, f"T.xlsx: {line}")


@pytest.mark.parametrize("write", WRITERS)
def test_merged_titles_and_unused_columns_change_nothing(at, write):
    """A title merged across the table above its header, a wide comment cell
    (merged into unused columns to its right), a merged note in a column not read."""
    budget = [["Budget 2025, Testnämnd"], [], *[row + [None, None] for row in BUDGET]]
    budget[2][-2:] = ["Anteckning", None]
    budget[3][-2:] = ["Se bilaga", None]
    write(at / "T.xlsx", SHEETS | {"Budget": budget}, merges={"Budget": ["A1:G1", "H4:I4", "H5:H6"]})
    result = run("T.xlsx", "--check")
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", SUMMARY)


@pytest.mark.parametrize("write", WRITERS)
@pytest.mark.parametrize("ref, line", [
    ("D2:D3", "Utfall!D2:D3: sammanfogade celler i kolumnen Belopp; dela upp dem och skriv värdet på varje rad"),
    ("A3:A4", "Utfall!A3:A4: sammanfogade celler i kolumnen Period; dela upp dem och skriv värdet på varje rad"),
    ("C4:D4", "Utfall!C4:D4: sammanfogade celler i kolumnen Belopp; dela upp dem och skriv värdet på varje rad"),
])
def test_a_merged_range_in_a_ledger_column_that_is_read_stops_the_run(at, write, ref, line):
    write(at / "T.xlsx", SHEETS, merges={"Utfall": [ref]})
    assert_stops(at, f"T.xlsx: {line}")


@pytest.mark.parametrize("write", WRITERS)
def test_a_merged_range_in_the_text_of_the_ledger_changes_nothing(at, write):
    ledger = [["Huvudbok", None, None, None], *LEDGER]
    write(at / "T.xlsx", SHEETS | {"Utfall": ledger},
          merges={"Utfall": ["A1:D1", "C3:C4", "B5:C5"]})  # B5:C5: the code shown across Text
    result = run("T.xlsx", "--check")
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", SUMMARY)


@pytest.mark.parametrize("write", WRITERS)
def test_merged_settings_and_keys(at, write):
    """A value cell widened over the empty columns to its right is just the cell;
    a value merged down over two settings (or weights over two months) stops."""
    settings = [row + [None] for row in SETTINGS]
    write(at / "T.xlsx", SHEETS | {"Inställningar": settings}, merges={"Inställningar": ["B2:C2"]})
    result = run("T.xlsx", "--check")
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", SUMMARY)
    (at / "T.xlsx").unlink()
    write(at / "T.xlsx", SHEETS, merges={"Inställningar": ["B3:B4"]})
    assert_stops(at, "T.xlsx: Inställningar!B3:B4: sammanfogade celler i kolumnen Värde; dela upp dem och skriv "
                     "värdet på varje rad")
    (at / "T.xlsx").unlink()
    write(at / "T.xlsx", SHEETS, merges={"Periodisering": ["H2:I2"]})
    assert_stops(at, 'T.xlsx: Periodisering!H2:I2: sammanfogade celler över kolumnerna "Jul" och "Aug"; dela upp dem '
                     "och skriv värdet i varje cell")
