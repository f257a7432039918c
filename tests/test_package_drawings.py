"""The graft carries a rendered sheet's drawing and charts: fresh part names
that collide with none of the user's, our own found through the sheet's
relationships and replaced in place on a refresh (no orphans, no growth),
shared parts kept, Strict packages in Strict namespaces, the chart's formulas
naming the sheet as the workbook spells it, deterministic bytes."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import xlsxwriter
from package_helpers import (
    chart_chain,
    check_drawings,
    check_graft,
    contents,
    make_user_book,
    overrides,
    reachable,
    rewrite,
    tiny_png,
)

from toolkit.package.merge import graft

MONTHLY = "Månadsuppföljning"
NAMES = ("Sammanställning", MONTHLY)


def make_charts(charts: int = 2, variant: int = 0, sheet: str = MONTHLY) -> bytes:
    """A rendered workbook as the toolkit writes it: a plain sheet and one with
    a table and ``charts`` line charts of it (the first with gaps: blank cells)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2000, 1, 1)})
    book.add_worksheet("Sammanställning").write("A1", "Sammanställning")
    ws = book.add_worksheet(sheet)
    ws.write_row(0, 0, ["Månad", "Utfall ack.", "Budget ack."])
    for m in range(12):
        ws.write_string(m + 1, 0, f"M{m + 1}")
        if m < 8:
            ws.write_formula(m + 1, 1, f"=C{m + 2}*0.9", None, (m + 1) * 9.5 + variant)
        ws.write_number(m + 1, 2, (m + 1) * 10 + variant)
    for k in range(charts):
        chart = book.add_chart({"type": "line"})
        for col in (1, 2):
            chart.add_series({"name": f"Serie {col}", "categories": [sheet, 1, 0, 12, 0],
                              "values": [sheet, 1, col, 12, col]})
        chart.set_title({"name": f"Diagram {k + 1}"})
        ws.insert_chart(1 + 16 * k, 4, chart)
    book.close()
    return buffer.getvalue()


def user_book_with_chart() -> bytes:
    """A user's workbook with a chart and an image of its own (drawing1, chart1)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("Data")
    ws.write_column("A1", [1, 2, 3])
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Data!$A$1:$A$3"})
    ws.insert_chart("C2", chart)
    ws.insert_image("C20", "bild.png", {"image_data": io.BytesIO(tiny_png())})
    book.close()
    return buffer.getvalue()


def member_names(data: bytes) -> list[str]:
    return list(contents(data))


def test_first_graft_names_collide_with_none_of_the_users():
    user = user_book_with_chart()
    out, names = graft(user, make_charts(2), "x")
    assert names == list(NAMES)
    check_graft(user, out, NAMES)  # every part of the user's raw, the index parts only added to
    check_drawings(user, out, MONTHLY, charts=2)
    _, drawing, charts = chart_chain(out, MONTHLY)
    assert drawing == "xl/drawings/drawing2.xml" and charts == ["xl/charts/chart2.xml", "xl/charts/chart3.xml"]
    assert chart_chain(out, "Sammanställning")[1] is None


def test_graft_into_a_workbook_with_an_image_and_comments():
    user = make_user_book()
    out, _ = graft(user, make_charts(1), "x")
    check_graft(user, out, NAMES)
    check_drawings(user, out, MONTHLY, charts=1)
    assert chart_chain(out, MONTHLY)[1] == "xl/drawings/drawing2.xml"  # the user's image is drawing1


def test_a_name_something_points_at_is_not_taken():
    """A relationship of the user's to a part that is missing (a dangling chart1,
    drawing2): our parts do not answer to it."""
    user = rewrite(user_book_with_chart(), "xl/worksheets/_rels/sheet1.xml.rels", lambda x: x.replace(
        b"</Relationships>", b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/drawing" Target="../drawings/drawing2.xml"/></Relationships>'))
    user = rewrite(user, "xl/charts/chart1.xml", lambda x: x, drop=frozenset({"xl/charts/chart1.xml"}))
    out, _ = graft(user, make_charts(2), "x")
    _, drawing, charts = chart_chain(out, MONTHLY)
    assert drawing == "xl/drawings/drawing3.xml" and charts == ["xl/charts/chart2.xml", "xl/charts/chart3.xml"]
    assert "xl/charts/chart1.xml" not in contents(out) and "xl/drawings/drawing2.xml" not in contents(out)


def test_refresh_replaces_ours_in_place_and_never_grows():
    user = user_book_with_chart()
    first, _ = graft(user, make_charts(3), "x")
    _, drawing, charts = chart_chain(first, MONTHLY)
    fewer, _ = graft(first, make_charts(2, variant=1), "x")
    check_drawings(user, fewer, MONTHLY, charts=2)
    assert chart_chain(fewer, MONTHLY)[1:] == (drawing, charts[:2])  # in place, the third removed
    assert charts[2] not in contents(fewer) and charts[2].lower() not in overrides(fewer)
    more, _ = graft(fewer, make_charts(4, variant=2), "x")
    check_drawings(user, more, MONTHLY, charts=4)
    assert chart_chain(more, MONTHLY)[2][:2] == charts[:2]
    again, _ = graft(more, make_charts(3), "x")
    check_drawings(user, again, MONTHLY, charts=3)
    assert sorted(member_names(again)) == sorted(member_names(first))  # no growth across refreshes
    assert contents(again) == contents(first)  # the same render gives the same parts
    assert graft(again, make_charts(3), "x")[0] == again  # a refresh that changes nothing changes no byte
    for name, data in contents(user).items():  # the user's own parts are where they were
        assert contents(again)[name] == data or name in (
            "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")


def test_the_same_inputs_give_the_same_bytes():
    user = user_book_with_chart()
    assert graft(user, make_charts(2), "x")[0] == graft(user, make_charts(2), "x")[0]


def _as_excel_saves(data: bytes) -> bytes:
    """Our sheet's drawing renamed, a chart style and colours hung on our first
    chart, and our drawing showing the user's own image (a part the user's drawing
    uses too) — as Excel may leave the package after a save."""
    files = contents(data)
    part, drawing, charts = chart_chain(data, MONTHLY)
    renamed = "xl/drawings/drawing7.xml"
    sheet_rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    drawing_rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
    image = next(n for n in files if n.startswith("xl/media/"))
    out = data
    out = rewrite(out, sheet_rels, lambda x: x.replace(b"drawing2.xml", b"drawing7.xml"))
    out = rewrite(out, drawing_rels, lambda x: x.replace(b"</Relationships>", (
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        f'Target="../media/{image.rsplit("/", 1)[1]}"/></Relationships>').encode()))
    out = rewrite(out, "[Content_Types].xml", lambda x: x.replace(b"/xl/drawings/drawing2.xml", b"/xl/drawings/drawing7.xml")
                  .replace(b"</Types>", b'<Override PartName="/xl/charts/style1.xml" ContentType="application/'
                           b'vnd.ms-office.chartstyle+xml"/><Override PartName="/xl/charts/colors1.xml" ContentType='
                           b'"application/vnd.ms-office.chartcolorstyle+xml"/></Types>'))
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(io.BytesIO(out)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = renamed if info.filename == drawing else \
                renamed.replace("drawings/", "drawings/_rels/") + ".rels" if info.filename == drawing_rels \
                else info.filename
            dst.writestr(name, src.read(info))
        chart_rels = charts[0].replace("charts/", "charts/_rels/") + ".rels"
        dst.writestr(chart_rels, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                     '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type='
                     '"http://schemas.microsoft.com/office/2011/relationships/chartColorStyle" Target="colors1.xml"/>'
                     '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2011/relationships/chartStyle" '
                     'Target="style1.xml"/></Relationships>')
        dst.writestr("xl/charts/style1.xml", "<cs:chartStyle xmlns:cs=\"http://schemas.microsoft.com/office/"
                     "drawing/2012/chartStyle\" id=\"227\"/>")
        dst.writestr("xl/charts/colors1.xml", "<cs:colorStyle xmlns:cs=\"http://schemas.microsoft.com/office/"
                     "drawing/2012/chartStyle\" meth=\"cycle\" id=\"10\"/>")
    return buffer.getvalue()


def test_ours_are_found_by_the_sheets_relationships_and_extras_go_shared_parts_stay():
    user = user_book_with_chart()
    first, _ = graft(user, make_charts(2), "x")
    saved = _as_excel_saves(first)
    assert "xl/drawings/drawing7.xml" in contents(saved) and "xl/charts/style1.xml" in contents(saved)
    out, _ = graft(saved, make_charts(2, variant=1), "x")
    files = contents(out)
    _, drawing, charts = chart_chain(out, MONTHLY)
    assert drawing == "xl/drawings/drawing7.xml"  # ours, under the name it has now
    assert charts == chart_chain(first, MONTHLY)[2]
    for gone in ("xl/charts/style1.xml", "xl/charts/colors1.xml", "xl/charts/_rels/chart2.xml.rels"):
        assert gone not in files, gone
        assert gone.lower() not in overrides(out)
    image = next(n for n in contents(user) if n.startswith("xl/media/"))
    assert files[image] == contents(user)[image]  # the user's drawing shows it too: kept
    assert "xl/drawings/drawing2.xml" not in files  # no second drawing of ours appeared
    check_drawings(saved, out, MONTHLY, charts=2)
    assert set(files) - reachable(out) == set()


def test_a_part_only_our_chain_reached_goes_with_it():
    """A picture pasted onto our sheet (its own image part): replaced with the sheet."""
    first, _ = graft(user_book_with_chart(), make_charts(1), "x")
    _, drawing, _ = chart_chain(first, MONTHLY)
    drawing_rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
    pasted = rewrite(first, drawing_rels, lambda x: x.replace(b"</Relationships>", (
        b'<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        b'Target="../media/inklistrad.png"/></Relationships>')))
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pasted)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/media/inklistrad.png", tiny_png())
    out, _ = graft(buffer.getvalue(), make_charts(1), "x")
    assert "xl/media/inklistrad.png" not in contents(out)
    assert contents(out) == contents(first)


def test_the_sheet_spelled_otherwise_is_named_so_in_the_formulas():
    first, _ = graft(user_book_with_chart(), make_charts(2), "x")
    renamed = rewrite(first, "xl/workbook.xml", lambda x: x.replace(MONTHLY.encode(), "MÅNADSUPPFÖLJNING".encode()))
    out, names = graft(renamed, make_charts(2), "x")
    assert names == ["Sammanställning", "MÅNADSUPPFÖLJNING"]
    for chart in chart_chain(out, "MÅNADSUPPFÖLJNING")[2]:
        formulas = re.findall(rb"<c:f>([^<]*)</c:f>", contents(out)[chart])
        assert formulas and all(f.startswith("'MÅNADSUPPFÖLJNING'!$".encode()) for f in formulas)
    check_drawings(renamed, out, "MÅNADSUPPFÖLJNING", charts=2)


STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
    b"http://schemas.openxmlformats.org/drawingml/2006/chart": b"http://purl.oclc.org/ooxml/drawingml/chart",
    b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing":
        b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
}


def strict_book(data: bytes) -> bytes:
    """The workbook as a Strict OOXML package: the Strict namespaces and relationship types throughout."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for old, new in STRICT.items():
                    content = content.replace(old, new)
            dst.writestr(info.filename, content)
    return buffer.getvalue()


def test_a_strict_package_gets_strict_drawings_and_charts():
    user = strict_book(user_book_with_chart())
    out, _ = graft(user, make_charts(2), "x")
    check_graft(user, out, NAMES)
    check_drawings(user, out, MONTHLY, charts=2)
    files = contents(out)
    part, drawing, charts = chart_chain(out, MONTHLY)
    for name in (drawing, *charts, part.replace("worksheets/", "worksheets/_rels/") + ".rels",
                 drawing.replace("drawings/", "drawings/_rels/") + ".rels"):
        assert b"schemas.openxmlformats.org/drawingml" not in files[name], name
        assert b"schemas.openxmlformats.org/officeDocument" not in files[name], name
    assert b"http://purl.oclc.org/ooxml/drawingml/chart" in files[drawing]  # graphicData's uri too


def test_a_rendered_drawing_of_anything_but_charts_is_a_programming_error():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Bild").insert_image("A1", "bild.png", {"image_data": io.BytesIO(tiny_png())})
    book.close()
    with pytest.raises(ValueError, match="only chart can be grafted"):
        graft(make_user_book(), buffer.getvalue(), "x")
