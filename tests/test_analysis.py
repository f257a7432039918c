"""Analys: the generated text per area, and the economist's explanation beside it
carried over on every refresh — matched by area, through renames, past a
LibreOffice save; nothing typed is ever dropped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from examples import copy_example

from toolkit.consolidation import Consolidate
from toolkit.contract.written import UNIT_SHEETS
from toolkit.engine.explanations import attach
from toolkit.engine.model import NoteCell, NoteRow, Notes
from toolkit.job import Job

KEPT = "Text vars område inte finns längre (flytta eller ta bort den)"
POLITIK = "Överskottet beror på lägre utfall för sociala avgifter; sammanträdena i juni blev färre."


def note(key, text, origin="C6", offset=0):
    return NoteRow(key, [NoteCell(offset, text, None, origin)])


# -- matching, on tiny tables ------------------------------------------------------------------


def test_an_explanation_stays_with_its_area():
    previous = (Notes(rows=[note(("Politik",), "egen text")]), (("Totalt",), ("Politik",), ("Drift",)))
    matched, orphans, findings = attach(previous, [("Totalt",), ("Drift",), ("Politik",)])
    assert matched[("Politik",)].cells[0].value == "egen text"
    assert orphans == [] and findings == []


def test_the_one_area_gone_and_the_one_new_is_a_rename():
    previous = (Notes(rows=[note(("Politik",), "egen text")]), (("Totalt",), ("Politik",), ("Drift",)))
    matched, orphans, findings = attach(previous, [("Totalt",), ("Politisk verksamhet",), ("Drift",)])
    assert matched[("Politisk verksamhet",)].cells[0].value == "egen text" and orphans == []
    assert [(f.slug, f.severity, f.where) for f in findings] == [
        ("forklaring-flyttad", "info", "Analys: Politisk verksamhet")]
    assert findings[0].message.startswith('förklaringen till "Politik" står nu vid "Politisk verksamhet"')


def test_no_guess_when_two_areas_went_or_two_came():
    before = (("Totalt",), ("Politik",), ("Drift",))
    previous = (Notes(rows=[note(("Politik",), "egen text")]), before)
    for keys in ([("Totalt",), ("A",), ("B",), ("Drift",)], [("Totalt",), ("A",)]):
        matched, orphans, findings = attach(previous, keys)
        assert matched == {} and orphans == previous[0].rows
        assert [f.slug for f in findings] == ["forklaring-utan-omrade"]
        assert findings[0].where == "Analys, under tabellen"
        assert findings[0].message == ('"egen text" hör till området "Politik", som inte finns längre; texten står '
                                       'kvar under tabellen — flytta eller ta bort den')


def test_a_unit_renamed_is_not_taken_for_an_uppdrag_and_a_kept_text_is_not_moved():
    before = (("Totalt",), ("A", "Totalt"), ("Politik",))
    kept = note(("Gammalt",), "sparad text", "C12")
    previous = (Notes(rows=[note(("A", "Totalt"), "om enheten"), kept]), before)
    matched, orphans, _ = attach(previous, [("Totalt",), ("A2", "Totalt"), ("Politik",), ("Nytt",)])
    assert matched[("A2", "Totalt")].cells[0].value == "om enheten"
    assert ("Nytt",) not in matched  # "Gammalt" was not an area of the table: kept, not moved
    assert orphans == [kept]


def test_text_outside_the_table_is_kept():
    stray = NoteRow(("Utanför tabellen (A30)",), [NoteCell(0, "lös anteckning", None, "A30")])
    _, orphans, findings = attach((Notes(rows=[stray]), (("Totalt",),)), [("Totalt",)])
    assert orphans == [stray]
    assert findings[0].message.startswith('"lös anteckning" stod utanför tabellen; texten står kvar under tabellen')


# -- end to end on the example ---------------------------------------------------------------


def analys(path: Path) -> tuple[dict[str, int], openpyxl.worksheet.worksheet.Worksheet]:
    ws = openpyxl.load_workbook(path)["Analys"]
    rows = {}
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value:
            rows.setdefault(str(ws.cell(r, 1).value), r)
    return rows, ws


def explanation(path: Path, area: str, col: int = 3):
    rows, ws = analys(path)
    return ws.cell(rows[area], col).value


def generated(path: Path, area: str) -> str:
    return explanation(path, area, 2)


def edit(path: Path, change) -> None:
    """What the economist does between refreshes (openpyxl stands in for Excel's save)."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def set_budget(wb, label: str, column: str, value) -> None:
    budget = wb["Budget"]
    header = [c.value for c in budget[1]]
    row = next(r for r in range(2, budget.max_row + 1) if budget.cell(r, 1).value == label)
    budget.cell(row, header.index(column) + 1, value)


def findings(path: Path) -> list:
    return list(Job(path, backup=None).reconcile().findings)


@pytest.fixture
def refreshed(tmp_path) -> Path:
    path = copy_example("Halmstad.xlsx", tmp_path)
    Job(path, backup=None).run()
    return path


def type_politik(path: Path) -> None:
    def change(wb):
        ws = wb["Analys"]
        rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
        assert [ws.cell(4, c).value for c in (1, 2, 3)] == ["Område", "Genererad text", "Förklaring"]
        ws.cell(rows["Politik"], 3, POLITIK)
        ws.cell(4, 4, "Ansvarig")
        ws.cell(rows["Politik"], 4, "Eva")
        ws.cell(rows["Totalt"], 3, "Nämnden följer sin plan.")
    edit(path, change)


def test_the_sheet_stands_after_sammanstallning_with_the_text_per_area(refreshed):
    book = openpyxl.load_workbook(refreshed)
    assert book.sheetnames[-len(UNIT_SHEETS):] == list(UNIT_SHEETS) and UNIT_SHEETS[:2] == ("Sammanställning", "Analys")
    rows, ws = analys(refreshed)
    assert ws["A1"].value == "Lokal nämnd Halmstad — Analys jan–aug 2025"
    assert [ws.cell(r, 1).value for r in range(5, 9)] == ["Totalt", "Politik", "Utvecklingsmedel", "Ej budgeterat"]
    assert ws.cell(5, 2).value == (
        "Lokal nämnd Halmstad prognostiserar totalt sett ett överskott mot budget för helåret. Lokal nämnd "
        "Halmstads utfall för perioden januari–augusti är 748 tkr med en negativ budgetavvikelse om 18 tkr. "
        "Prognosen för helåret är ett överskott om 19 tkr.")
    assert ws.cell(6, 2).value == ("Uppdraget Politik visar en negativ budgetavvikelse om 6 tkr för perioden "
                                   "januari–augusti. Prognosen för helåret är utfall enligt budget.")
    assert ws.cell(8, 2).value.endswith("ingår i prognosen för helåret. Se bladet Avstämning.")  # the sheet's pointer
    # every cell of a row top-aligned and wrapping, Förklaring too before anything is typed
    for c in (1, 2, 3):
        assert ws.cell(6, c).alignment.vertical == "top" and ws.cell(6, c).alignment.wrap_text
    widths = {c: d.width for d in ws.column_dimensions.values() for c in range(d.min, d.max + 1)}
    assert widths[2] >= 60 and widths[3] >= 60 and ws.row_dimensions[5].height >= 45
    assert ws.print_area == "'Analys'!$A$1:$C$8"


def test_a_typed_explanation_survives_ten_refreshes_and_the_generated_text_follows_the_figures(refreshed):
    type_politik(refreshed)
    for _ in range(10):
        Job(refreshed, backup=None).run()
        assert explanation(refreshed, "Politik") == POLITIK
        assert explanation(refreshed, "Politik", 4) == "Eva"
        assert explanation(refreshed, "Totalt") == "Nämnden följer sin plan."
    _, ws = analys(refreshed)
    assert ws.cell(4, 4).value == "Ansvarig"
    once = refreshed.read_bytes()
    Job(refreshed, backup=None).run()
    assert refreshed.read_bytes() == once  # a refresh with nothing new changes nothing
    before = generated(refreshed, "Politik")

    def booked(wb):  # 20 000 kr more of Övrigt (Politik) in August
        ledger = wb["Utfall"]
        last = [c.value for c in ledger[ledger.max_row]]
        header = [c.value for c in ledger[1]]
        row = dict(zip(header, last))
        row.update({"Period": 202508, "Konto": "6110", "Belopp": 20000})
        ledger.append([row[h] for h in header])
    edit(refreshed, booked)
    Job(refreshed, backup=None).run()
    assert before.startswith("Uppdraget Politik visar en negativ budgetavvikelse om 6 tkr")
    assert generated(refreshed, "Politik").startswith("Uppdraget Politik visar en negativ budgetavvikelse om 26 tkr")
    assert explanation(refreshed, "Politik") == POLITIK


def test_a_budget_line_renamed_leaves_its_areas_text_and_an_uppdrag_renamed_takes_it_along(refreshed):
    type_politik(refreshed)
    edit(refreshed, lambda wb: set_budget(wb, "Kurs och konferens", "Rad", "Kurser och konferenser"))
    Job(refreshed, backup=None).run()
    assert explanation(refreshed, "Politik") == POLITIK
    # the Uppdrag itself renamed on every line of it: the one area gone and the one new one
    def rename(wb):
        for label in ("Arvoden och ersättningar", "Kurser och konferenser", "Övrigt"):
            set_budget(wb, label, "Uppdrag", "Politisk verksamhet")
    edit(refreshed, rename)
    assert [f.message for f in findings(refreshed) if f.slug == "forklaring-flyttad"] == [
        'förklaringen till "Politik" står nu vid "Politisk verksamhet": området finns inte längre och '
        '"Politisk verksamhet" är nytt — har det bytt namn? Flytta texten om den hör till ett annat område']
    Job(refreshed, backup=None).run()
    rows, _ = analys(refreshed)
    assert "Politik" not in rows and KEPT not in rows
    assert explanation(refreshed, "Politisk verksamhet") == POLITIK
    assert explanation(refreshed, "Politisk verksamhet", 4) == "Eva"
    assert generated(refreshed, "Politisk verksamhet").startswith("Uppdraget Politisk verksamhet visar")
    assert not [f for f in findings(refreshed) if f.slug.startswith("forklaring")]  # said once, when it moved


def test_the_text_of_a_gone_area_is_kept_under_the_table_and_returns_with_it(refreshed):
    edit(refreshed, lambda wb: wb["Analys"].cell(analys(refreshed)[0]["Utvecklingsmedel"], 3, "Hösten avgör."))
    edit(refreshed, lambda wb: set_budget(wb, "Utvecklingsmedel", "Uppdrag", "Politik"))
    Job(refreshed, backup=None).run()
    rows, ws = analys(refreshed)
    assert "Utvecklingsmedel" not in [ws.cell(r, 1).value for r in range(5, rows[KEPT])]
    assert (ws.cell(rows[KEPT] + 1, 1).value, ws.cell(rows[KEPT] + 1, 3).value) == ("Utvecklingsmedel",
                                                                                    "Hösten avgör.")
    assert [f.message for f in findings(refreshed) if f.slug == "forklaring-utan-omrade"] == [
        '"Hösten avgör." hör till området "Utvecklingsmedel", som inte finns längre; texten står kvar under '
        'tabellen — flytta eller ta bort den']
    for _ in range(2):  # kept on every refresh
        Job(refreshed, backup=None).run()
        assert analys(refreshed)[1].cell(analys(refreshed)[0][KEPT] + 1, 3).value == "Hösten avgör."
    edit(refreshed, lambda wb: set_budget(wb, "Utvecklingsmedel", "Uppdrag", "Utvecklingsmedel"))
    Job(refreshed, backup=None).run()
    rows, _ = analys(refreshed)
    assert KEPT not in rows and explanation(refreshed, "Utvecklingsmedel") == "Hösten avgör."


def test_text_typed_anywhere_else_on_the_sheet_is_kept(refreshed):
    def change(wb):
        wb["Analys"]["A20"] = "Att ta upp i nämnden"
        wb["Analys"]["E1"] = "utkast"
        wb["Analys"]["B6"] = "skrivet över den genererade texten"  # ours: written anew
    edit(refreshed, change)
    Job(refreshed, backup=None).run()
    rows, ws = analys(refreshed)
    kept = [(ws.cell(r, 1).value, ws.cell(r, 3).value) for r in range(rows[KEPT] + 1, rows[KEPT] + 3)]
    assert kept == [("Utanför tabellen (E1)", "utkast"), ("Utanför tabellen (A20)", "Att ta upp i nämnden")]
    assert ws.cell(rows["Politik"], 2).value.startswith("Uppdraget Politik visar")


def test_the_output_file_keeps_its_own_explanations(refreshed, tmp_path):
    out = tmp_path / "Ut.xlsx"
    Job(refreshed, output=out, backup=None).run()
    edit(out, lambda wb: wb["Analys"].cell(analys(out)[0]["Politik"], 3, "i utfilen"))
    Job(refreshed, output=out, backup=None).run()
    assert explanation(out, "Politik") == "i utfilen"
    assert explanation(refreshed, "Politik") is None


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice not installed")
def test_an_explanation_survives_a_libreoffice_save(refreshed, tmp_path):
    type_politik(refreshed)
    out = tmp_path / "saved"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(refreshed)],
                   check=True, capture_output=True, timeout=180)
    saved = out / refreshed.name
    assert explanation(saved, "Politik") == POLITIK  # LibreOffice wrote it its own way (shared strings, styles)
    Job(saved, backup=None).run()
    assert explanation(saved, "Politik") == POLITIK
    assert explanation(saved, "Politik", 4) == "Eva"
    assert explanation(saved, "Totalt") == "Nämnden följer sin plan."
    rows, _ = analys(saved)
    assert KEPT not in rows


def test_a_consolidation_has_the_text_per_unit_and_for_the_whole_and_keeps_its_explanations(tmp_path):
    units = [copy_example("Halmstad.xlsx", tmp_path), copy_example("Navet.xlsx", tmp_path)]
    out = tmp_path / "Förbund.xlsx"
    Consolidate(units, out, period="2025-06", backup=None).run()
    rows, ws = analys(out)
    assert list(rows)[3:6] == ["Totalt", "Lokal nämnd Halmstad › Totalt", "Navet science center › Totalt"]
    assert ws.cell(rows["Totalt"], 2).value.startswith("Förbund ")
    assert ws.cell(rows["Navet science center › Totalt"], 2).value.split(". ")[1].startswith(
        "Navet science centers utfall för perioden januari–juni är")
    edit(out, lambda wb: wb["Analys"].cell(rows["Navet science center › Totalt"], 3, "Entréintäkterna ökar."))
    Consolidate(units, out, period="2025-06", backup=None).run()
    assert explanation(out, "Navet science center › Totalt") == "Entréintäkterna ökar."
