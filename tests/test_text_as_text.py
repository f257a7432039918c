"""Text from the inputs is written as the text typed: an Enhet "=SUMMA(A1)", a
line "=1+1", a code "+4670123", a comment "-- obs", a line "http://…" are text
cells (no formula, no hyperlink) on every sheet, in a unit's run, a
consolidation and the template; the economist's own formulas on Sammanställning
stay formulas. Read back through openpyxl (the cell's type) and LibreOffice
(after a full recalculation, what it shows)."""

from __future__ import annotations

from pathlib import Path

import libreoffice
import openpyxl
import pytest
from click.testing import CliRunner
from workbook_factory import KEYS, write_workbook

from toolkit.cli import main

UNIT = "=SUMMA(A1)"
FORMULA_LABEL = "=1+1"
URL_LABEL = "http://intranet.example/budget"
UPPDRAG = "=Uppdrag"
COMMENT = "-- obs"
COMMENT_FORMULA_TEXT = "=A1"
CODE = "+4670123"
TYPED = [UNIT, FORMULA_LABEL, URL_LABEL, UPPDRAG, COMMENT, COMMENT_FORMULA_TEXT, CODE]


def tricky_workbook(path: Path, unit: str = UNIT) -> Path:
    return write_workbook(path, {
        "Inställningar": [["Inställning", "Värde"], ["Enhet", unit], ["År", 2025], ["Period", 8]],
        "Budget": [["Rad", "Överordnad", "Typ", "Budget", "Konto", "Uppdrag", "Kommentar"],
                   [FORMULA_LABEL, None, None, 60000, "5011", UPPDRAG, COMMENT],
                   [URL_LABEL, None, None, 240000, "4*", None, COMMENT_FORMULA_TEXT],
                   ["Avgifter", None, "Intäkt", 120000, "3010", None, None]],
        "Periodisering": KEYS,
        "Utfall": [["Period", "Konto", "Text", "Belopp"], [202503, "5011", "Arvode", 31200],
                   [202506, "4010", "Workshop", 85500], [202508, "3010", "Avgift", -70000],
                   [202508, CODE, "Okänt", 1000.5]],
    })


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def cells(path: Path, sheets) -> dict[str, dict[str, openpyxl.cell.Cell]]:
    """sheet → the text of each string cell → the cell (openpyxl, formulas as written)."""
    book = openpyxl.load_workbook(path)
    return {name: {c.value: c for row in book[name].iter_rows() for c in row if isinstance(c.value, str)}
            for name in sheets}


def assert_text(found: dict[str, openpyxl.cell.Cell], text: str) -> None:
    assert text in found, f"{text!r} not on the sheet"
    cell = found[text]
    assert cell.data_type == "s", f"{cell.coordinate} {text!r} is stored as {cell.data_type!r}"
    assert cell.hyperlink is None


def test_a_units_text_is_text_on_every_sheet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tricky_workbook(tmp_path / "T.xlsx")
    run("T.xlsx")
    found = cells(path, ["Sammanställning", "Resultaträkning", "Månadsuppföljning", "Avstämning"])
    assert_text(found["Sammanställning"], f"{UNIT} — Ekonomiskt resultat jan–aug 2025")
    assert_text(found["Månadsuppföljning"], f"{UNIT} — Månadsuppföljning jan–aug 2025")
    for text in (f"Uppdrag: {UPPDRAG}", f"Uppdrag: {URL_LABEL}", "Uppdrag: Avgifter (intäkter)"):
        assert_text(found["Månadsuppföljning"], text)
        assert_text(found["Resultaträkning"], f"{UNIT} — Resultaträkning jan–aug 2025")
    assert_text(found["Avstämning"], f"{UNIT} — Avstämning jan–aug 2025")
    for text in (FORMULA_LABEL, URL_LABEL, COMMENT, COMMENT_FORMULA_TEXT):
        assert_text(found["Sammanställning"], text)
    assert_text(found["Resultaträkning"], UPPDRAG)
    assert_text(found["Avstämning"], CODE)  # the unbudgeted row's Konto
    book = openpyxl.load_workbook(path)
    for name in ("Sammanställning", "Resultaträkning", "Månadsuppföljning", "Avstämning"):
        assert not book[name]._hyperlinks
        # the formulas are the toolkit's own (sums, shares, variances), none made of typed text
        formulas = [c.value for row in book[name].iter_rows() for c in row if c.data_type == "f"]
        assert formulas and not [f for f in formulas if any(t in f for t in (UNIT, FORMULA_LABEL, UPPDRAG))]


def test_the_economists_formulas_stay_formulas_and_typed_text_stays_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tricky_workbook(tmp_path / "T.xlsx")
    run("T.xlsx", "--no-backup")
    book = openpyxl.load_workbook(path)
    ws = book["Sammanställning"]
    heading = next(c for row in ws.iter_rows(max_row=10) for c in row if c.value == "Kommentar")
    row = next(c.row for c in ws["A"] if c.value == "Avgifter")
    ws.cell(heading.row, heading.column + 1, "Egen")
    ws.cell(row, heading.column, f"=B{row}*2")  # a formula typed in Kommentar
    typed = ws.cell(row, heading.column + 1, "=SUMMA(B2)")  # text typed with a leading apostrophe
    typed.data_type = "s"
    book.save(path)
    run("T.xlsx", "--no-backup")
    ws = openpyxl.load_workbook(path)["Sammanställning"]
    row = next(c.row for c in ws["A"] if c.value == "Avgifter")
    assert ws.cell(row, heading.column).data_type == "f"
    assert ws.cell(row, heading.column).value == f"=B{row}*2"
    assert ws.cell(row, heading.column + 1).data_type == "s"
    assert ws.cell(row, heading.column + 1).value == "=SUMMA(B2)"


def test_a_consolidations_unit_names_and_title_are_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tricky_workbook(tmp_path / "A.xlsx", unit=UNIT)
    tricky_workbook(tmp_path / "B.xlsx", unit="http://b.example")
    run("consolidate", "A.xlsx", "B.xlsx", "--output", "F.xlsx", "--name", "=Förbund")
    found = cells(tmp_path / "F.xlsx", ["Sammanställning", "Per enhet", "Avstämning"])
    assert_text(found["Sammanställning"], "=Förbund — Ekonomiskt resultat jan–aug 2025")
    assert_text(found["Per enhet"], "=Förbund — Per enhet jan–aug 2025")
    for name in (UNIT, "http://b.example"):
        assert_text(found["Per enhet"], name)
        assert_text(found["Avstämning"], name)
    assert_text(found["Sammanställning"], FORMULA_LABEL)


def test_template_values_are_text(tmp_path):
    from toolkit import template as tpl

    path = tmp_path / "Mall.xlsx"
    book, formats = tpl.new_workbook(str(path), title="t")
    tpl.add_settings_sheet(book, formats, {"Enhet": UNIT})
    tpl.add_budget_sheet(book, formats, [{"Rad": FORMULA_LABEL, "Kommentar": URL_LABEL, "Konto": CODE}])
    book.close()
    found = cells(path, ["Inställningar", "Budget"])
    assert_text(found["Inställningar"], UNIT)
    for text in (FORMULA_LABEL, URL_LABEL, CODE):
        assert_text(found["Budget"], text)


@pytest.mark.libreoffice
@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_text_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tricky_workbook(tmp_path / "T.xlsx")
    run("T.xlsx")
    shown = libreoffice.sheets_as_csv(path, tmp_path)
    texts = {name: {v for row in shown[name] for v in row} for name in
             ("Sammanställning", "Resultaträkning", "Månadsuppföljning", "Avstämning")}
    assert f"{UNIT} — Ekonomiskt resultat jan–aug 2025" in texts["Sammanställning"]
    assert f"{UNIT} — Avstämning jan–aug 2025" in texts["Avstämning"]
    for text in (FORMULA_LABEL, URL_LABEL, COMMENT, COMMENT_FORMULA_TEXT):
        assert text in texts["Sammanställning"], text
    assert UPPDRAG in texts["Resultaträkning"]
    assert f"Uppdrag: {UPPDRAG}" in texts["Månadsuppföljning"]
    assert CODE in texts["Avstämning"]
    assert not {v for values in texts.values() for v in values} & {"2", "#NAME?", "Err:508", "Err:509"}


def test_a_very_long_unit_name_is_shortened_in_the_page_header_without_a_word_on_stderr(tmp_path, monkeypatch):
    """Excel's page header holds 255 characters; the title keeps the whole name."""
    monkeypatch.chdir(tmp_path)
    name = "Nämnden för " + "mycket långa namn & annat " * 12
    tricky_workbook(tmp_path / "T.xlsx", unit=name)
    result = CliRunner().invoke(main, ["T.xlsx"])
    assert result.exit_code == 0 and result.stderr == ""
    book = openpyxl.load_workbook(tmp_path / "T.xlsx")
    try:
        header = book["Sammanställning"].oddHeader
        assert header.left.text.endswith("…") and len(header.left.text) < len(name)
        assert book["Sammanställning"]["A1"].value.startswith(name.strip())
    finally:
        book.close()
