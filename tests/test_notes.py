"""The economist's Kommentar and own columns on Sammanställning survive a refresh."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from examples import example
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.engine.notes import NoteCell, NoteRow, Notes, attach
from toolkit.job import Job
from toolkit.layout import REPORT, TREE, group_label, is_report, keys_from_labels, keys_from_report, plan

ROOT = Path(__file__).resolve().parents[1]
HALMSTAD = example("Halmstad.xlsx")
C = 11  # Kommentar: column K, after the figures and the empty narrow column before it


# -- rules on tiny tables -------------------------------------------------------------------


def test_keys_from_labels_follow_groups_and_their_sums():
    labels = ["Personal", "Löner", "Övrigt", "Summa Personal", "Lokaler", "Övrigt", "Summa Lokaler", "Resor",
              "Ej budgeterat", "Totalt"]
    assert keys_from_labels(labels) == [
        ("Personal",), ("Personal", "Löner"), ("Personal", "Övrigt"), ("Summa Personal",),
        ("Lokaler",), ("Lokaler", "Övrigt"), ("Summa Lokaler",), ("Resor",), ("Ej budgeterat",), ("Totalt",)]


def test_keys_from_labels_nested_and_a_leaf_that_starts_with_summa():
    labels = ["A", "B", "Summa x", "Summa B", "C", "Summa A", "Totalt"]
    assert keys_from_labels(labels) == [
        ("A",), ("A", "B"), ("A", "B", "Summa x"), ("A", "Summa B"), ("A", "C"), ("Summa A",), ("Totalt",)]


def note(key, text, origin="J6", offset=0):
    return NoteRow(key, [NoteCell(offset, text, None, origin)])


def test_attach_matches_by_path_then_by_unique_label():
    notes = Notes(rows=[note(("Personal", "Löner"), "egen text"), note(("Gamla", "Resor"), "flyttad", "J9")])
    keys = [("Personal",), ("Personal", "Löner"), ("Summa Personal",), ("Resor",), ("Totalt",)]
    matched, orphans, findings = attach(notes, keys, {})
    assert matched[("Personal", "Löner")].cells[0].value == "egen text"
    assert matched[("Resor",)].cells[0].value == "flyttad"
    assert orphans == [] and findings == []


def test_a_note_whose_line_is_gone_is_a_finding_not_dropped():
    notes = Notes(rows=[note(("Personal", "Övrigt"), "analys", "J7")])
    keys = [("Personal",), ("Summa Personal",), ("Lokaler",), ("Lokaler", "Övrigt"), ("Övrigt",), ("Totalt",)]
    matched, orphans, findings = attach(notes, keys, {})
    assert matched == {}  # "Övrigt" is not unique: no guessing
    assert orphans == notes.rows  # kept under the table
    assert [(f.slug, f.where) for f in findings] == [("kommentar-utan-rad", "Sammanställning, under tabellen")]
    assert 'Personal › Övrigt' in findings[0].message and '"analys"' in findings[0].message


def test_typed_comment_wins_over_budget_comment_and_says_so():
    notes = Notes(rows=[note(("Resor",), "typed")])
    matched, _, findings = attach(notes, [("Resor",), ("Totalt",)], {("Resor",): "från Budget"})
    assert matched[("Resor",)].cells[0].value == "typed"
    assert [(f.slug, f.severity, f.where) for f in findings] == [
        ("kommentar-behallen", "info", "Sammanställning: Resor")]
    _, _, same = attach(notes, [("Resor",), ("Totalt",)], {("Resor",): "typed"})
    assert same == []


def test_text_outside_the_table_is_kept_and_reported():
    stray = NoteRow(("Utanför tabellen (A30)",), [NoteCell(0, "under tabellen", None, "A30")])
    _, orphans, findings = attach(Notes(rows=[stray]), [("Totalt",)], {})
    assert orphans == [stray]
    assert [f.slug for f in findings] == ["kommentar-utan-rad"]
    assert findings[0].message.startswith('"under tabellen" stod utanför tabellen; texten står kvar under tabellen')


# -- end to end -----------------------------------------------------------------------------


def rows_by_label(ws) -> dict[str, int]:
    found = {}
    for row in ws.iter_rows(min_row=5, max_col=1):
        if row[0].value:
            found.setdefault(str(row[0].value), row[0].row)
    return found


def avstamning_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return "\n".join(str(v) for row in wb["Avstämning"].iter_rows(values_only=True) for v in row if v)
    finally:
        wb.close()


@pytest.fixture
def refreshed(tmp_path) -> Path:
    path = tmp_path / "Halmstad.xlsx"
    shutil.copy(HALMSTAD, path)
    Job(path, backup=None).run()
    return path


def economist_edits(path: Path) -> None:
    """What the economist does in Excel between refreshes (openpyxl stands in for
    Excel's save: it rewrites every part, with shared strings)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Sammanställning"]
    at = rows_by_label(ws)
    assert ws.cell(4, C).value == "Kommentar"
    ws.cell(at["Arvoden förtroendevalda"], C, "Egen analys: arvodena följer plan.")
    ws.cell(at["Reseersättningar"], C, "Resorna är färre i år.")
    ws.cell(4, C + 1, "Åtgärd")
    ws.cell(at["Arvoden förtroendevalda"], C + 1, "Följs upp i oktober")
    ws.cell(4, C + 2, "Andel")
    r = at["Förlorad arbetsinkomst"]
    ws.cell(r, C + 2, f"=C{r}/B{r}")
    ws.cell(at["Summa Utvecklingsmedel"], C, "Hela posten följs upp i nämnden.")
    ws.cell(40, 1, "Anteckning under tabellen")
    ws.column_dimensions["L"].width = 31
    # the budget changes too: Reseersättningar goes, a new line comes before the others
    budget = wb["Budget"]
    header = [c.value for c in budget[1]]
    labels = [budget.cell(i, 1).value for i in range(1, budget.max_row + 1)]
    budget.delete_rows(labels.index("Reseersättningar") + 1)
    budget.insert_rows(2)
    for col, value in {"Rad": "Telefoni", "Typ": "Kostnad", "Budget": 5000, "Konto": "6212",
                       "Ansvar": budget.cell(3, header.index("Ansvar") + 1).value}.items():
        budget.cell(2, header.index(col) + 1, value)
    wb.save(path)


def test_comments_and_own_columns_are_carried_over(refreshed):
    economist_edits(refreshed)
    Job(refreshed, backup=None).run()
    wb = openpyxl.load_workbook(refreshed)
    ws = wb["Sammanställning"]
    at = rows_by_label(ws)
    assert "Telefoni" in at and "Reseersättningar" not in at
    assert ws.cell(4, C).value == "Kommentar"
    assert ws.cell(4, C + 1).value == "Åtgärd" and ws.cell(4, C + 2).value == "Andel"
    assert ws.cell(at["Arvoden förtroendevalda"], C).value == "Egen analys: arvodena följer plan."
    assert ws.cell(at["Arvoden förtroendevalda"], C + 1).value == "Följs upp i oktober"
    r = at["Förlorad arbetsinkomst"]
    assert ws.cell(r, C + 2).value == f"=C{r}/B{r}"
    assert ws.cell(at["Summa Utvecklingsmedel"], C).value == "Hela posten följs upp i nämnden."
    # comments from the Budget sheet still come through where nothing was typed
    assert ws.cell(at["Mötesplats seniorer"], C).value == "Tillsammans med PRO och SPF; höstens träffar är beställda."
    assert "Ej budgeterat" not in at  # Telefoni (6212) covers what was unbudgeted before
    assert ws.column_dimensions["L"].width == pytest.approx(31, abs=0.8)
    kept = at["Text vars rad inte finns längre (flytta eller ta bort den)"]
    assert [(ws.cell(r, 1).value, ws.cell(r, C).value) for r in (kept + 1, kept + 2)] == [
        ("Arvoden och ersättningar › Reseersättningar", "Resorna är färre i år."),
        ("Utanför tabellen (A40)", "Anteckning under tabellen")]
    text = avstamning_text(refreshed)
    assert "Arvoden och ersättningar › Reseersättningar" in text and "Resorna är färre i år." in text
    assert "Anteckning under tabellen" in text
    assert "kommentaren på Sammanställning behölls" in text
    assert "Se bladet Avstämning" not in text  # the toolkit's own pointer is not the economist's text
    # the figures are still the toolkit's: the LibreOffice/openpyxl check of the figures is elsewhere;
    # here: a refresh with nothing new changes nothing
    once = refreshed.read_bytes()
    Job(refreshed, backup=None).run()
    assert refreshed.read_bytes() == once


def test_a_kept_note_returns_to_its_line_when_the_line_comes_back(refreshed):
    wb = openpyxl.load_workbook(refreshed)
    ws = wb["Sammanställning"]
    ws.cell(rows_by_label(ws)["Reseersättningar"], C, "Resorna är färre i år.")
    budget = wb["Budget"]
    labels = [budget.cell(i, 1).value for i in range(1, budget.max_row + 1)]
    row = labels.index("Reseersättningar") + 1
    saved = [budget.cell(row, c).value for c in range(1, budget.max_column + 1)]
    budget.cell(row, 1, "Resor (tillfälligt)")
    wb.save(refreshed)
    Job(refreshed, backup=None).run()
    ws = openpyxl.load_workbook(refreshed)["Sammanställning"]
    at = rows_by_label(ws)
    assert ws.cell(at["Arvoden och ersättningar › Reseersättningar"], C).value == "Resorna är färre i år."
    wb = openpyxl.load_workbook(refreshed)
    for c, value in enumerate(saved, start=1):
        wb["Budget"].cell(row, c, value)
    wb.save(refreshed)
    Job(refreshed, backup=None).run()
    ws = openpyxl.load_workbook(refreshed)["Sammanställning"]
    at = rows_by_label(ws)
    assert ws.cell(at["Reseersättningar"], C).value == "Resorna är färre i år."
    assert "Text vars rad inte finns längre (flytta eller ta bort den)" not in at
    assert "Resorna är färre i år." not in avstamning_text(refreshed)


def test_first_run_and_unchanged_sheet_carry_nothing_extra(refreshed):
    first = refreshed.read_bytes()
    report = Job(refreshed, backup=None).reconcile()
    assert not [f for f in report.findings if f.slug.startswith(("kommentar", "text-"))]
    Job(refreshed, backup=None).run()
    assert refreshed.read_bytes() == first


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice not installed")
def test_comment_survives_a_libreoffice_save(refreshed, tmp_path):
    import subprocess

    wb = openpyxl.load_workbook(refreshed)
    ws = wb["Sammanställning"]
    ws.cell(rows_by_label(ws)["Övrigt"], C, "Typat i LibreOffice")
    wb.save(refreshed)
    profile = tmp_path / "profile"
    out = tmp_path / "saved"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(refreshed)], check=True, capture_output=True, timeout=180)
    saved = out / refreshed.name
    Job(saved, backup=None).run()
    ws = openpyxl.load_workbook(saved)["Sammanställning"]
    assert ws.cell(rows_by_label(ws)["Övrigt"], C).value == "Typat i LibreOffice"


# -- every layout's rows read back as the keys they were written with ---------------------------------------------


@dataclass(frozen=True)
class FakeLine:
    """What ``layout.plan`` needs of an ``engine.results.Line``."""

    label: str
    label_path: tuple[str, ...]
    children: tuple[FakeLine, ...] = ()

    @property
    def depth(self) -> int:
        return len(self.label_path) - 1


#: labels are unique in a budget (Rad); a few look like our own rows or carry an amount
LABELS = ["Ofördelat", "Hyra 100 tkr", "Avgifter 1 200 kr", "Summa x", "Insatser för jämlik hälsa", "Personal",
          *(f"Rad {i}" for i in range(40))]


@st.composite
def shapes(draw, depth: int = 0) -> list:
    """A forest's shape: a list of lines, each the list of its children, up to four levels deep
    (3 + 6 + 12 + 24 lines at most: fewer than ``LABELS``)."""
    return [draw(shapes(depth + 1)) if depth < 3 and draw(st.booleans()) else []
            for _ in range(draw(st.integers(min_value=1, max_value=3 if depth == 0 else 2)))]


@st.composite
def forests(draw) -> tuple[FakeLine, ...]:
    names = iter(draw(st.permutations(LABELS)))

    def lines(shape: list, path: tuple[str, ...]) -> tuple[FakeLine, ...]:
        out = []
        for children in shape:
            label = next(names)
            out.append(FakeLine(label, (*path, label), lines(children, (*path, label))))
        return tuple(out)

    return lines(draw(shapes()), ())


@settings(max_examples=200, deadline=None)
@given(forests(), st.booleans(), st.booleans(), st.booleans())
def test_the_rows_of_either_layout_read_back_as_their_keys(roots, unbudgeted, income, result):
    """What read.notes finds on a sheet (column A's labels, their indents) gives back the keys
    render.summary wrote the rows with, so a typed Kommentar finds its row again."""
    for layout in (TREE, REPORT):
        rows = plan(roots, layout, unbudgeted=unbudgeted, income=income, result=result)
        shown = [r for r in rows if r.kind != "gap"]
        labels = [group_label(r.label, "1\u00a0234\u00a0tkr") if r.kind == "group" else r.label for r in shown]
        indents = [r.depth if r.kind in ("line", "group") else 0 for r in shown]
        keys = keys_from_report(labels, indents) if is_report(labels) else keys_from_labels(labels)
        assert keys == [r.key for r in shown], layout
        assert is_report(labels) == (layout == REPORT and any(r.children for r in roots))
