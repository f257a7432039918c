"""Månadsuppföljning's chart as a picture in ``reconcile report``'s Word document
(``render.chart_picture``, matplotlib): drawn from the very values the sheet's
table shows, placed under the accumulated variance with its caption (also the
picture's description), the same bytes from the same inputs (no metadata in the
PNG), one per unit in a consolidation, and without matplotlib a document without
the picture and a run that says so."""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from examples import copy_example
from test_docx_report import cli, content, halmstad, refreshed

from toolkit.engine import monthly
from toolkit.engine.figures import Figures
from toolkit.engine.monthly import area, line_series
from toolkit.render import chart_picture
from toolkit.render.chart_picture import MISSING, caption, chart_png, lines

pytest.importorskip("matplotlib", reason="the test extra installs matplotlib; without it see the fallback test")

CAPTION = "Ackumulerat utfall, periodiserad budget och prognos 2025 (tkr)"
WORDML = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, kinds = 8, []
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        kinds.append(kind)
        at += 12 + length
    return kinds


def media(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n.startswith("word/media/")}


def pictures(path: Path) -> list[tuple[int, str]]:
    """(index among the body's items, description) of each picture, in order."""
    found = []
    for i, item in enumerate(docx.Document(str(path)).iter_inner_content()):
        if isinstance(item, docx.table.Table):
            continue
        for drawing in item._p.iter(f"{WORDML}drawing"):
            doc_pr = next(e for e in drawing.iter() if e.tag.endswith("}docPr"))
            found.append((i, doc_pr.get("descr")))
    return found


def rounded(values) -> list[float | None]:
    return [None if v is None else round(v, 9) for v in values]


def small_area(period: int = 8) -> monthly.Area:
    ore = 100_000
    figures = Figures(False, 1200 * ore, 800 * ore, 750 * ore, 1150 * ore)
    series = line_series(figures, [1] * 12, [100 * ore] * 7 + [50 * ore] + [0] * 4, period)
    return area(monthly.TOTAL, "Totalt", [(("Rad",), series)], period, income=False)


# -- the picture ------------------------------------------------------------------------------------------------


def test_the_picture_is_the_same_bytes_every_time_and_says_nothing_about_the_machine():
    first = chart_png(small_area(), "tkr", 2025)
    assert chart_png(small_area(), "tkr", 2025) == first
    kinds = png_chunks(first)
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(kinds)  # no Software, no date
    assert chart_png(small_area(period=7), "tkr", 2025) != first  # it does draw the figures


def test_the_lines_are_the_series_in_the_unit_shown():
    actual, phased, path = lines(small_area(), "tkr")
    assert actual == [100.0 * m for m in range(1, 8)] + [750.0] + [None] * 4  # up to the closing month
    assert phased == [100.0 * m for m in range(1, 13)]
    assert path[:7] == [None] * 7 and path[7] == 750.0 and path[-1] == 1150.0  # from the closing month to December
    assert caption(small_area(), "tkr", 2025) == CAPTION


# -- in the document --------------------------------------------------------------------------------------------


def monthly_total(path: Path) -> list[tuple]:
    """Månadsuppföljning's Totalt table as written: (Utfall ack., Periodiserad budget ack., Prognos ack.)."""
    ws = openpyxl.load_workbook(path, data_only=True)["Månadsuppföljning"]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Totalt")
    assert [ws.cell(head + 1, c).value for c in (4, 5, 7)] == ["Utfall ack.", "Periodiserad budget ack.",
                                                              "Prognos ack."]
    return [(ws.cell(r, 4).value, ws.cell(r, 5).value, ws.cell(r, 7).value) for r in range(head + 2, head + 14)]


def test_the_chart_stands_under_the_accumulated_variance_drawn_from_the_sheets_figures(tmp_path, monkeypatch):
    path = halmstad(tmp_path)
    drawn = []
    real = chart_picture.lines
    monkeypatch.setattr(chart_picture, "lines", lambda a, unit: drawn.append(real(a, unit)) or drawn[-1])
    out = tmp_path / "Ekonomi.docx"
    result = cli("report", path, "--docx", out, "--avsnitt", "4")
    assert result.stdout.endswith(f"· {out} skriven\n")
    # the values drawn are the sheet's, month by month
    [(actual, phased, forecast)] = drawn
    sheet = monthly_total(path)
    assert rounded(row[0] for row in sheet) == rounded(actual)
    assert rounded(row[1] for row in sheet) == rounded(phased)
    assert rounded(row[2] for row in sheet) == rounded(forecast)
    assert actual[7] is not None and actual[8] is None and forecast[6] is None  # closing month: August
    # one picture, after 4.2's table and before 4.2.1, with its caption as its description
    found = content(out)
    assert len(media(out)) == 1
    items = list(docx.Document(str(out)).iter_inner_content())
    [(at, description)] = pictures(out)
    assert description == CAPTION
    headings = {item.text: i for i, item in enumerate(items) if getattr(item, "style", None) is not None
                and (item.style.name or "").startswith("Heading")}
    assert headings["4.2 Ackumulerad budgetavvikelse jan–aug 2025"] < at < headings[
        "4.2.1 Resultaträkning per uppdrag jan–aug 2025"]
    before = [x for x in items[:at] if isinstance(x, docx.table.Table) or x.text]  # empty paragraphs aside
    assert isinstance(before[-1], docx.table.Table)  # right under the table
    assert items[at + 1].text == CAPTION
    assert any(item[0] == "p" and item[1] == CAPTION for item in found)
    picture = next(iter(media(out).values()))
    assert not {b"tEXt", b"iTXt", b"tIME"} & set(png_chunks(picture))
    # the plain text has no picture and no caption
    assert CAPTION not in cli("report", path, "--text", "-").stdout


def test_the_same_inputs_give_the_same_document_with_its_picture(tmp_path):
    path = halmstad(tmp_path)
    cli("report", path, "--docx", tmp_path / "A.docx")
    cli("report", path, "--docx", tmp_path / "B.docx")
    assert (tmp_path / "A.docx").read_bytes() == (tmp_path / "B.docx").read_bytes()
    assert len(media(tmp_path / "A.docx")) == 1


def test_a_consolidation_has_a_chart_for_the_whole_and_each_unit(tmp_path):
    units = tmp_path / "enheter"
    units.mkdir()
    refreshed(copy_example("Halmstad.xlsx", units), "--period", "2025-06")
    refreshed(copy_example("Navet.xlsx", units), "--period", "2025-06")
    whole = tmp_path / "F.xlsx"
    cli("consolidate", units, "--output", whole, "--period", "2025-06")
    record = json.loads(cli("report", whole, "--docx", tmp_path / "F.docx", "--json").stdout)
    assert (record["charts"], record["notes"]) == (3, [])
    assert len(pictures(tmp_path / "F.docx")) == 3 and len(media(tmp_path / "F.docx")) == 3


def test_without_matplotlib_the_document_goes_without_the_picture_and_the_run_says_so(tmp_path, monkeypatch):
    path = halmstad(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib: ImportError
    assert not chart_picture.available()
    out = tmp_path / "Ekonomi.docx"
    result = cli("report", path, "--docx", out)
    assert result.stdout == (f"{path}: jan–aug 2025 · utfall 748 tkr · avvikelse -18 tkr · prognos 1 323 tkr · "
                             f"{out} skriven · {MISSING}\n")
    assert MISSING == 'utan diagram: matplotlib saknas (pip install "reconcile[report]")'
    assert media(out) == {} and pictures(out) == []
    assert not any(item[0] == "p" and item[1] == CAPTION for item in content(out))
    record = json.loads(cli("report", path, "--docx", tmp_path / "J.docx", "--json").stdout)
    assert (record["charts"], record["notes"]) == (0, [MISSING])
    with pytest.raises(chart_picture.ChartUnavailable):
        chart_png(small_area(), "tkr", 2025)
    # the text needs no matplotlib and says nothing of it
    result = cli("report", path, "--text", tmp_path / "E.txt")
    assert MISSING not in result.stdout
    assert (tmp_path / "E.txt").read_text(encoding="utf-8").startswith("Ekonomi\n")
