"""Månadsuppföljning as written: a table per area with the engine's figures,
the running sums as formulas, and native line charts whose series point at
the table's cells — in a unit's workbook, a consolidation, and as LibreOffice
reads it back."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import libreoffice
import openpyxl
import pytest
from click.testing import CliRunner
from examples import copy_example
from package_helpers import chart_chain, check_drawings, contents, grafted_parts
from workbook_factory import small_workbook

from toolkit.cli import main
from toolkit.render.monthly import HEADINGS

SHEET = "Månadsuppföljning"


def reconcile(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def halmstad(tmp_path_factory):
    folder = tmp_path_factory.mktemp("monthly")
    path = folder / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", path)
    original = path.read_bytes()
    reconcile(path, "--no-backup")
    return path, original


def blocks(ws) -> dict[str, list[tuple]]:
    """Each area's heading → its twelve month rows (values as stored)."""
    rows = list(ws.iter_rows(values_only=True))
    found = {}
    for i, row in enumerate(rows):
        if i + 1 < len(rows) and rows[i + 1][:len(HEADINGS)] == tuple(HEADINGS):
            found[row[0]] = [r[:len(HEADINGS)] for r in rows[i + 2:i + 14]]
    return found


def by_label(ws) -> dict[str, tuple]:
    return {row[0]: row for row in ws.iter_rows(values_only=True) if isinstance(row[0], str)}


def test_the_total_month_by_month_is_sammanstallnings_totalt(halmstad):
    path, _ = halmstad
    book = openpyxl.load_workbook(path, data_only=True)
    ws = book[SHEET]
    assert ws["A1"].value == "Lokal nämnd Halmstad — Månadsuppföljning jan–aug 2025"
    tables = blocks(ws)
    assert list(tables) == ["Totalt", "Uppdrag: Politik", "Uppdrag: Utvecklingsmedel", "Arvoden och ersättningar",
                            "Kurs och konferens", "Övrigt", "Ej budgeterat"]
    summary = book["Sammanställning"]
    header = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Rad")
    col = {" ".join(name.split()): i for i, name in enumerate(header) if name}  # a heading breaks over lines
    totalt = by_label(summary)["Totalt"]
    total = tables["Totalt"]
    assert [r[0] for r in total] == ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov",
                                     "Dec"]
    assert total[7][3] == pytest.approx(totalt[col["Utfall jan–aug"]], abs=1e-9)  # utfall ack. in August
    assert total[11][4] == pytest.approx(totalt[col["Budget 2025 i tkr"]], abs=1e-9)  # budget ack. in December
    assert total[11][6] == pytest.approx(totalt[col["Prognos 2025"]], abs=1e-9)  # the forecast path's end
    assert total[7][6] == pytest.approx(total[7][3], abs=1e-9)  # the path starts at the utfall
    assert total[7][5] == pytest.approx(totalt[col["Avvikelse (periodiserad)"]], abs=1e-9)
    assert sum(r[1] for r in total[:8]) == pytest.approx(total[7][3], abs=1e-9)
    for row in total[8:]:  # months after the closing period: no actuals
        assert row[1] is None and row[3] is None and row[5] is None and row[6] is not None
    assert all(row[6] is None for row in total[:7])
    # the Uppdrag as Resultaträkning per uppdrag has them (net cost, shown positive)
    result = by_label(book["Resultaträkning"])
    for name in ("Politik", "Utvecklingsmedel"):
        rows = tables[f"Uppdrag: {name}"]
        assert rows[7][3] == pytest.approx(result[name][1], abs=1e-9)
        assert rows[11][6] == pytest.approx(result[name][4], abs=1e-9)


def test_running_sums_and_variance_are_formulas(halmstad):
    path, _ = halmstad
    ws = openpyxl.load_workbook(path)[SHEET]
    heading = next(c.row for c in ws["A"] if c.value == "Totalt")
    jan, feb = heading + 2, heading + 3
    assert ws[f"D{jan}"].value == f"=B{jan}" and ws[f"D{feb}"].value == f"=D{jan}+B{feb}"
    assert ws[f"E{feb}"].value == f"=E{jan}+C{feb}"
    assert ws[f"F{feb}"].value == f"=E{feb}-D{feb}"  # a cost area: budget − utfall, positive = favourable
    assert ws[f"F{feb}"].number_format == "#,##0;[Red]-#,##0"


def test_charts_for_the_total_and_each_uppdrag_point_at_the_tables(halmstad):
    path, original = halmstad
    data = path.read_bytes()
    check_drawings(original, data, SHEET, charts=3)  # Totalt, Politik, Utvecklingsmedel
    ws = openpyxl.load_workbook(path)[SHEET]
    starts = [c.row for c in ws["A"] if c.value in ("Totalt", "Uppdrag: Politik", "Uppdrag: Utvecklingsmedel")]
    charts = ws._charts
    assert len(charts) == 3
    for chart, start in zip(charts, starts):
        first, last = start + 2, start + 13
        refs = [(s.tx.v, s.val.numRef.f, s.cat.strRef.f) for s in chart.series]
        assert refs == [("Utfall ack.", f"{SHEET}!$D${first}:$D${last}", f"{SHEET}!$A${first}:$A${last}"),
                        ("Periodiserad budget ack.", f"{SHEET}!$E${first}:$E${last}", f"{SHEET}!$A${first}:$A${last}"),
                        ("Prognos", f"{SHEET}!$G${first}:$G${last}", f"{SHEET}!$A${first}:$A${last}")]
    for chart in chart_chain(data, SHEET)[2]:  # gaps and straight lines said, not left to the reader's defaults
        xml = contents(data)[chart]
        assert b'<c:dispBlanksAs val="gap"/>' in xml and xml.count(b'<c:smooth val="0"/>') == 3
    # the example's own chart (on Anteckningar) is still the user's drawing1 and chart1, untouched
    before = contents(original)
    for name in ("xl/drawings/drawing1.xml", "xl/charts/chart1.xml"):
        assert contents(data)[name] == before[name]
    assert chart_chain(data, SHEET)[1] not in before


def test_a_refresh_of_another_month_rewrites_the_charts_in_place(halmstad, tmp_path):
    path, original = halmstad
    again = tmp_path / "H.xlsx"
    shutil.copy(path, again)
    names = sorted(zipfile.ZipFile(again).namelist())
    chain = chart_chain(again.read_bytes(), SHEET)
    reconcile(again, "--period", "2025-05", "--no-backup")
    assert sorted(zipfile.ZipFile(again).namelist()) == names
    assert chart_chain(again.read_bytes(), SHEET) == chain
    check_drawings(original, again.read_bytes(), SHEET, charts=3)
    reconcile(again, "--period", "2025-08", "--no-backup")
    # the sheet, its drawing and charts as August's refresh wrote them (Sammanställning and Prognoshistorik
    # differ: the history keeps May's forecasts, and the forecast's movement since May shows)
    sheet, drawing, charts = chain
    mine, theirs = contents(again), contents(path)
    assert grafted_parts(again.read_bytes(), [SHEET]) == grafted_parts(path.read_bytes(), [SHEET]) == [sheet]
    for part in (sheet, drawing, *charts):
        assert mine[part] == theirs[part], part


def test_nothing_booked_yet_gives_the_budget_and_the_forecast(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    small_workbook(tmp_path / "T.xlsx", Utfall=[["Period", "Konto", "Text", "Belopp"]],
                   Inställningar=[["Inställning", "Värde"], ["År", 2026]])
    original = (tmp_path / "T.xlsx").read_bytes()
    reconcile("T.xlsx", "--no-backup")
    ws = openpyxl.load_workbook(tmp_path / "T.xlsx", data_only=True)[SHEET]
    total = next(rows for name, rows in blocks(ws).items() if name.startswith("Totalt"))
    assert all(r[1] is None and r[3] is None for r in total)
    assert all(r[6] is not None for r in total)  # the path from January
    check_drawings(original, (tmp_path / "T.xlsx").read_bytes(), SHEET)


def test_a_consolidation_has_the_sheet_with_its_charts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy_example("Halmstad.xlsx", tmp_path / "H.xlsx")
    copy_example("Navet.xlsx", tmp_path / "N.xlsx")
    reconcile("consolidate", "H.xlsx", "N.xlsx", "--output", "F.xlsx", "--period", "2025-06", "--name", "Förbund")
    data = (tmp_path / "F.xlsx").read_bytes()
    book = openpyxl.load_workbook(tmp_path / "F.xlsx", data_only=True)
    tables = blocks(book[SHEET])
    assert list(tables)[:4] == ["Totalt (kostnader − intäkter)", "Uppdrag: Politik", "Uppdrag: Utvecklingsmedel",
                                "Uppdrag: Navet (kostnader − intäkter)"]
    summary = book["Sammanställning"]
    header = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Rad")
    totalt = dict(zip([" ".join(h.split()) if h else h for h in header], by_label(summary)["Totalt"]))
    assert tables["Totalt (kostnader − intäkter)"][5][3] == pytest.approx(totalt["Utfall jan–jun"], abs=1e-9)
    assert tables["Totalt (kostnader − intäkter)"][11][6] == pytest.approx(totalt["Prognos 2025"], abs=1e-9)
    check_drawings(data, data, SHEET, charts=4)
    reconcile("consolidate", "H.xlsx", "N.xlsx", "--output", "F.xlsx", "--period", "2025-06", "--name", "Förbund")
    assert (tmp_path / "F.xlsx").read_bytes() == data


@pytest.mark.libreoffice
@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_charts_and_their_series(halmstad, tmp_path):
    """LibreOffice opens the refreshed workbook and, saving it again, writes the
    three charts back with their series on the sheet's cells: it read them."""
    path, _ = halmstad
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation={libreoffice.profile(tmp_path)}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)], check=True, capture_output=True,
                   timeout=180)
    ws = openpyxl.load_workbook(out / path.name)[SHEET]
    assert len(ws._charts) == 3
    mine = openpyxl.load_workbook(path)[SHEET]._charts
    for theirs, ours in zip(ws._charts, mine):
        assert [s.val.numRef.f.replace("'", "") for s in theirs.series] == [s.val.numRef.f for s in ours.series]
