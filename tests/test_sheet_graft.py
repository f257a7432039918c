"""A rendered sheet adapted to the user's workbook by pattern over its start
tags (``sheet_graft._scan``) is byte for byte what the element graft
(``_graft``) writes, and a part not in the plain form is left to the element
graft."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.package import sheet_graft
from toolkit.package.merge import STRICT_URIS
from toolkit.package.rendered import read_rendered

HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">')

cell = st.one_of(
    st.tuples(st.just("string"), st.text(max_size=12)),
    st.tuples(st.just("number"), st.floats(allow_nan=False, allow_infinity=False, width=32)),
    st.tuples(st.just("formula"), st.sampled_from(["=A1+1", '=IF(A1>0,"ja","nej")', "=SUM(A1:A3)", '="<&>"'])),
    st.tuples(st.just("blank"), st.none()),
    st.tuples(st.just("boolean"), st.booleans()),
)
fmt = st.one_of(st.none(), st.integers(0, 3))


@st.composite
def rendered_books(draw) -> bytes:
    """A sheet as our renderers write them: cells with and without a format,
    row and column formats, a conditional format, merged cells, a frozen pane."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = [book.add_format({"bold": True}), book.add_format({"num_format": "#,##0.00"}),
               book.add_format({"italic": True, "border": 1}), book.add_format({"bg_color": "#FFEEDD"})]
    sheet = book.add_worksheet("Blad")
    cells = draw(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 5), cell, fmt), max_size=40))
    for row, col, (kind, value), f in cells:
        style = None if f is None else formats[f]
        if kind == "blank":
            sheet.write_blank(row, col, None, style if style is not None else formats[0])
        else:
            getattr(sheet, f"write_{kind}")(row, col, value, style)
    for row in draw(st.lists(st.integers(0, 14), max_size=3)):
        sheet.set_row(row, 20, formats[draw(st.integers(0, 3))])
    if draw(st.booleans()):
        sheet.set_column(0, 1, 14, formats[1])
    if draw(st.booleans()):
        sheet.conditional_format("A1:C9", {"type": "cell", "criteria": ">", "value": 0, "format": formats[3]})
    if draw(st.booleans()):
        sheet.merge_range("E14:F14", "sammanslaget", formats[2])
    if draw(st.booleans()):
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


@settings(max_examples=150, deadline=None)
@given(rendered_books(), st.sampled_from([0, 9]), st.booleans())
def test_the_scan_writes_what_the_element_graft_writes(data, first, strict):
    rendered = read_rendered(data)
    xml = rendered.sheets[0].xml
    xf_map = [first] + list(range(20, 40))
    dxf_map = [7, 8, 9]
    uri_map = STRICT_URIS if strict else {}
    scanned = sheet_graft._scan(xml, rendered.shared, xf_map, dxf_map, uri_map)
    assert scanned is not None  # XlsxWriter's sheets are in the plain form
    assert scanned == sheet_graft._graft(xml, rendered.shared, xf_map, dxf_map, uri_map)


def test_a_tab_selected_sheet_loses_the_flag_by_either_way():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Blad").write_string(0, 0, "text")
    book.close()
    rendered = read_rendered(buffer.getvalue())
    xml = rendered.sheets[0].xml
    assert b'tabSelected="1"' in xml
    scanned = sheet_graft._scan(xml, rendered.shared, [0], [], {})
    assert b"tabSelected" not in scanned and b'<is><t>text</t></is>' in scanned
    assert scanned == sheet_graft._graft(xml, rendered.shared, [0], [], {})


@pytest.mark.parametrize("part", [
    HEAD + b'<sheetData><!-- a comment --><row r="1"><c r="A1" s="1"><v>1</v></c></row></sheetData></worksheet>',
    HEAD + b'<sheetData><row r="1"><c r="A1" s="&#49;"><v>1</v></c></row></sheetData></worksheet>',
    HEAD + b'<sheetData><row r="1"><c r="A1" s="1" t="s"><f>A2</f><v>0</v></c></row></sheetData></worksheet>',
    HEAD + b'<sheetData xmlns:y="urn:y"><row r="1"><c r="A1" s="1"><v>1</v></c></row></sheetData></worksheet>',
    b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" s="1"><v>1</v></c></row></sheetData></worksheet>',
    b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1">'
    b'<x:c r="A1" s="1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>',
])
def test_a_part_not_in_the_plain_form_is_left_to_the_element_graft(part):
    shared = [b"<t>delad</t>"]
    assert sheet_graft._scan(part, shared, [0, 4], [], {}) is None
    adapted = sheet_graft.graft_sheet(part, shared, [0, 4], [], {})
    assert adapted == sheet_graft._graft(part, shared, [0, 4], [], {})
    assert b's="4"' in adapted


def test_a_cell_in_another_namespace_is_left_alone_by_either_way():
    part = (HEAD[:-1] + b' xmlns:o="urn:other"><sheetData><row r="1"><c r="A1" s="1"><v>1</v></c>'
            b'<o:c s="1"/></row></sheetData></worksheet>')
    scanned = sheet_graft._scan(part, [], [0, 4], [], {})
    assert b'<c r="A1" s="4">' in scanned and b'<o:c s="1"/>' in scanned
    assert scanned == sheet_graft._graft(part, [], [0, 4], [], {})


@pytest.mark.parametrize("part, message", [
    (HEAD + b"<sheetData><row></sheetData></worksheet>", "rendered sheet is not well-formed"),
    (HEAD + b'<sheetData><row r="1"><c r="B3" t="s"><v>5</v></c></row></sheetData></worksheet>',
     "rendered cell B3 refers to missing shared string"),
    (HEAD + b'<sheetData><row r="1"><c r="B3" s="9"><v>5</v></c></row></sheetData></worksheet>',
     "rendered sheet uses cell format 9, which its styles part lacks"),
])
def test_a_broken_rendered_sheet_is_refused_alike(part, message):
    with pytest.raises(ValueError, match=message):
        sheet_graft._graft(part, [b"<t>a</t>"], [0, 1], [], {})
    with pytest.raises(ValueError, match=message):
        sheet_graft.graft_sheet(part, [b"<t>a</t>"], [0, 1], [], {})
