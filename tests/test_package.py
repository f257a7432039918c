"""write_sheets / toolkit_sheet_names on workbooks made in the test."""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from package_helpers import (
    SHEETS,
    check_graft,
    check_ignorable_declared,
    contents,
    expected_values,
    grafted_parts,
    make_rendered,
    make_user_book,
    raw_entries,
    read_calamine,
    read_openpyxl,
    rewrite,
    same_values,
)

from toolkit.errors import LockedError, ReconcileError, WorkbookError
from toolkit.ooxml.xmlspan import XmlError, parse
from toolkit.ooxml.zipcopy import new_member, read_members, write_members
from toolkit.package import atomic as atomic_module
from toolkit.package import toolkit_sheet_names, write_sheets
from toolkit.package.merge import graft


def _write(tmp_path, data: bytes, name: str = "Halmstad.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _sheets_xml(data: bytes) -> list[dict]:
    xml = contents(data)["xl/workbook.xml"].decode()
    return [dict(re.findall(r'(\S+)="([^"]*)"', m)) for m in re.findall(r"<(?:\w+:)?sheet (.*?)/>", xml)]


def _names_xml(data: bytes) -> list[tuple[str, str | None, str]]:
    xml = contents(data)["xl/workbook.xml"].decode()
    found = re.findall(r"<definedName ([^>]*)>(.*?)</definedName>", xml)
    return [(dict(re.findall(r'(\S+)="([^"]*)"', a))["name"], dict(re.findall(r'(\S+)="([^"]*)"', a)).get(
        "localSheetId"), text) for a, text in found]


def _assert_values(data: bytes, names=SHEETS) -> None:
    for reader in (read_openpyxl, read_calamine):
        found = reader(data, names)
        for name in names:
            assert same_values(found[name], expected_values(name)), (reader.__name__, name, found[name])


# -- the first run -----------------------------------------------------------------

def test_graft_appends_sheets_and_keeps_everything(tmp_path):
    user = make_user_book()
    path = _write(tmp_path, user)
    assert write_sheets(path, make_rendered()).names == list(SHEETS)
    out = path.read_bytes()
    check_graft(user, out, SHEETS)
    _assert_values(out)
    sheets = _sheets_xml(out)
    assert [s["name"] for s in sheets] == ["Utfall", "Budget", *SHEETS]
    assert [s["sheetId"] for s in sheets] == ["1", "2", "3", "4", "5"]
    assert len({s["r:id"] for s in sheets}) == 5
    assert toolkit_sheet_names(path) == list(SHEETS)
    # the user's image, comment, shared strings, VML are untouched members
    before, after = raw_entries(user), raw_entries(out)
    for member in ("xl/media/image1.png", "xl/comments1.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
        assert after[member] == before[member]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Halmstad.xlsx"]


def test_grafted_sheet_content(tmp_path):
    out, _ = graft(make_user_book(), make_rendered(), "x.xlsx")
    files = contents(out)
    parts = grafted_parts(out, SHEETS)
    assert parts == ["xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml", "xl/worksheets/sheet5.xml"]
    summary = files[parts[0]].decode()
    assert 't="s"' not in summary and "tabSelected" not in summary
    assert '<is><t xml:space="preserve">  Kungsbacka </t></is>' in summary
    assert "<f>B4-C4</f><v>49.5</v>" in summary
    assert '<pane xSplit="1" ySplit="1"' in summary and '<mergeCell ref="F1:G1"/>' in summary
    assert 'orientation="landscape"' in summary and "<oddHeader>&amp;CBudgetuppföljning</oddHeader>" in summary
    assert "OK &lt;&amp;&gt;" in files[parts[2]].decode()
    names = _names_xml(out)
    assert ("_xlnm.Print_Titles", "2", "Sammanställning!$1:$1") in names
    assert ("_xlnm.Print_Area", "3", "Resultaträkning!$A$1:$B$3") in names
    assert [n for n in names if n[0] == "_reconcile"] == [("_reconcile", str(i), '"reconcile"') for i in (2, 3, 4)]
    assert ("Konton", None, "Utfall!$A$2:$A$10") in names
    assert ("_xlnm.Print_Area", "0", "Utfall!$A$1:$C$10") in names
    # number formats: custom ids above 163 and above the user's own
    styles = files["xl/styles.xml"].decode()
    ids = {code: int(i) for i, code in re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)}
    user_id = ids.pop("#,##0 kr")
    assert all(i > max(163, user_id) for i in ids.values())
    assert {"#,##0;[Red]-#,##0", "#,##0.00", "0 %"} <= set(ids)
    # no shared strings part was needed for the new sheets
    assert files["xl/sharedStrings.xml"] == contents(make_user_book())["xl/sharedStrings.xml"]


def test_number_formats_and_conditional_format_read_back():
    import openpyxl

    out, _ = graft(make_user_book(), make_rendered(), "x.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(out))
    ws = wb["Sammanställning"]
    assert ws["B2"].number_format == "#,##0"
    assert ws["D2"].number_format == "#,##0;[Red]-#,##0"
    assert ws["A1"].font.b and ws["D2"].font.i
    assert ws.freeze_panes == "B2"
    assert ws.print_title_rows == "$1:$1"
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert rules and rules[0].dxf.font.color.rgb.endswith("9C0006")
    assert wb["Resultaträkning"]["B3"].number_format == "0 %"
    assert wb["Resultaträkning"]["B2"].number_format == "#,##0.00"
    assert wb["Utfall"]["B2"].number_format.startswith("#,##0")


def test_output_is_deterministic():
    user, rendered = make_user_book(), make_rendered()
    assert graft(user, rendered, "a")[0] == graft(user, rendered, "a")[0]


# -- replacing -----------------------------------------------------------------------

def test_second_run_replaces_in_place_byte_identical(tmp_path):
    path = _write(tmp_path, make_user_book())
    write_sheets(path, make_rendered())
    first = path.read_bytes()
    write_sheets(path, make_rendered())
    assert path.read_bytes() == first
    out2, _ = graft(first, make_rendered(), "x")
    assert out2 == first


def test_rerun_with_changed_render_keeps_ids_positions_parts(tmp_path):
    user = make_user_book()
    first, _ = graft(user, make_rendered(), "x")
    second, names = graft(first, make_rendered(variant=3), "x")
    assert names == list(SHEETS)
    assert _sheets_xml(second) == _sheets_xml(first)
    assert grafted_parts(second, SHEETS) == grafted_parts(first, SHEETS)
    check_graft(first, second, SHEETS, replaced=set(grafted_parts(first, SHEETS)))
    assert _names_xml(second) == _names_xml(first)
    _assert_values(second)
    # the changed font was appended, nothing else moved
    assert contents(second)["xl/styles.xml"] != contents(first)["xl/styles.xml"]
    assert list(contents(second)) == list(contents(first))


def test_rerun_keeps_user_names_and_formulas_pointing_at_our_sheet():
    first, _ = graft(make_user_book(), make_rendered(), "x")
    first = rewrite(first, "xl/workbook.xml", lambda x: x.replace(
        b"</definedNames>",
        b'<definedName name="Totalt">Sammanst\xc3\xa4llning!$B$4</definedName>'
        b'<definedName name="Lokal" localSheetId="2">Sammanst\xc3\xa4llning!$D$4</definedName></definedNames>'))
    first = rewrite(first, "xl/worksheets/sheet2.xml", lambda x: x.replace(
        b"</sheetData>", b'<row r="5"><c r="A5"><f>Sammanst\xc3\xa4llning!B4</f><v>2000</v></c></row></sheetData>'))
    second, _ = graft(first, make_rendered(), "x")
    names = _names_xml(second)
    assert ("Totalt", None, "Sammanställning!$B$4") in names
    assert ("Lokal", "2", "Sammanställning!$D$4") in names
    assert sum(n[0] == "_reconcile" for n in names) == 3
    assert sum(n[0] == "_xlnm.Print_Titles" for n in names) == 1
    assert contents(second)["xl/worksheets/sheet2.xml"] == contents(first)["xl/worksheets/sheet2.xml"]


def test_replace_matches_name_without_case_and_after_move():
    first, _ = graft(make_user_book(), make_rendered(), "x")
    # the user renamed our sheet's case and moved it first (Excel renumbers localSheetId)
    def move(xml: bytes) -> bytes:
        xml = xml.replace("Sammanställning\"".encode(), "SAMMANSTÄLLNING\"".encode())
        sheets = re.findall(rb"<sheet [^>]*/>", xml)
        order = [sheets[2], sheets[0], sheets[1], sheets[3], sheets[4]]
        xml = xml.replace(b"".join(sheets), b"".join(order))
        remap = {b"0": b"1", b"1": b"2", b"2": b"0"}
        return re.sub(rb'localSheetId="(\d)"', lambda m: b'localSheetId="' + remap.get(m.group(1), m.group(1))
                      + b'"', xml)
    moved = rewrite(first, "xl/workbook.xml", move)
    assert toolkit_sheet_names(_tmp(moved)) == \
        ["SAMMANSTÄLLNING", "Resultaträkning", "Avstämning"]
    second, names = graft(moved, make_rendered(), "x")
    assert names == ["SAMMANSTÄLLNING", "Resultaträkning", "Avstämning"]
    assert _sheets_xml(second) == _sheets_xml(moved)
    assert ("_xlnm.Print_Titles", "0", "Sammanställning!$1:$1") in _names_xml(second)
    assert ("_xlnm.Print_Area", "1", "Utfall!$A$1:$C$10") in _names_xml(second)


def _tmp(data: bytes):
    import tempfile

    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.write(data)
    handle.close()
    return handle.name


def test_foreign_sheet_of_same_name_is_refused(tmp_path):
    path = _write(tmp_path, make_user_book(extra_sheet="sammanställning"))
    os.utime(path, (1_000_000_000, 1_000_000_000))
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as info:
        write_sheets(path, make_rendered())
    message = str(info.value)
    assert message.startswith("Halmstad.xlsx: ") and '"sammanställning" finns redan' in message
    assert "reconcile" in message and "\n" not in message
    assert path.read_bytes() == before and path.stat().st_mtime == 1_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Halmstad.xlsx"]
    assert toolkit_sheet_names(path) == []


# -- .xlsm, protection, refusals -------------------------------------------------------

def test_xlsm_keeps_vba_and_content_type(tmp_path):
    user = make_user_book(xlsm=True)
    path = _write(tmp_path, user, "Halmstad.xlsm")
    write_sheets(path, make_rendered())
    out = path.read_bytes()
    check_graft(user, out, SHEETS)
    assert raw_entries(out)["xl/vbaProject.bin"] == raw_entries(user)["xl/vbaProject.bin"]
    ct = contents(out)["[Content_Types].xml"].decode()
    assert 'PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"' in ct
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Halmstad.xlsm"]
    _assert_values(out)


@pytest.mark.parametrize("attrs", [' lockStructure="1"', ' lockStructure="true"', ' lockStructure="1" lockWindows="1"'])
def test_locked_structure_is_refused(tmp_path, attrs):
    path = _write(tmp_path, make_user_book(locked=attrs))
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="struktur är skyddad"):
        write_sheets(path, make_rendered())
    assert path.read_bytes() == before


@pytest.mark.parametrize("attrs", ["", ' lockStructure="0"', ' lockWindows="1"'])
def test_unlocking_protection_is_fine(attrs):
    user = make_user_book(locked=attrs)
    out, _ = graft(user, make_rendered(), "x")
    check_graft(user, out, SHEETS)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("data", [
    b"Konto;Belopp\n3010;500\n",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
    b"",
    b"PK\x03\x04 truncated",
    _zip({"hello.txt": b"hi"}),
    _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>"}),
])
def test_not_a_workbook_is_refused(tmp_path, data):
    path = _write(tmp_path, data)
    with pytest.raises(WorkbookError, match="är inte en .xlsx-arbetsbok"):
        write_sheets(path, make_rendered())
    assert path.read_bytes() == data
    with pytest.raises(WorkbookError):
        toolkit_sheet_names(path)


def test_broken_workbook_part_is_refused():
    user = rewrite(make_user_book(), "xl/workbook.xml", lambda x: x[:-40])
    with pytest.raises(WorkbookError, match="går inte att läsa"):
        graft(user, make_rendered(), "x")


def test_dtd_in_a_part_is_refused():
    user = rewrite(make_user_book(), "xl/workbook.xml", lambda x: x.replace(
        b"<workbook", b'<!DOCTYPE workbook [<!ENTITY a "aaaa">]><workbook', 1))
    with pytest.raises(WorkbookError):
        graft(user, make_rendered(), "x")
    with pytest.raises(XmlError):
        parse(b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>')


def test_missing_file_is_a_workbook_error(tmp_path):
    with pytest.raises(ReconcileError, match="finns inte"):
        write_sheets(tmp_path / "saknas.xlsx", make_rendered())


# -- atomic writing ----------------------------------------------------------------------

@pytest.mark.parametrize("target", ["replace", "fsync"])
def test_failure_while_writing_leaves_original(tmp_path, monkeypatch, target):
    path = _write(tmp_path, make_user_book())
    before = path.read_bytes()

    def boom(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_module.os, target, boom)
    with pytest.raises(OSError):
        write_sheets(path, make_rendered())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Halmstad.xlsx"]


def test_locked_destination_is_a_locked_error(tmp_path, monkeypatch):
    path = _write(tmp_path, make_user_book())

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_module.os, "replace", denied)
    with pytest.raises(LockedError):
        write_sheets(path, make_rendered())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Halmstad.xlsx"]


def test_dest_elsewhere_leaves_source_and_keeps_mode(tmp_path):
    source = _write(tmp_path, make_user_book())
    source.chmod(0o640)
    before = source.read_bytes()
    dest = tmp_path / "ut.xlsx"
    dest.write_bytes(b"old")
    dest.chmod(0o640)
    write_sheets(source, make_rendered(), dest)
    assert source.read_bytes() == before
    assert dest.stat().st_mode & 0o777 == 0o640
    check_graft(before, dest.read_bytes(), SHEETS)


# -- package variants ----------------------------------------------------------------------

def test_raw_copy_of_stored_members_and_data_descriptors():
    plain = make_user_book(xlsm=True)
    user = rewrite(plain, "", None, descriptors=True,
                   stored=frozenset({"xl/media/image1.png", "xl/vbaProject.bin", "xl/styles.xml"}))
    with zipfile.ZipFile(io.BytesIO(user)) as zf:
        assert all(i.flag_bits & 0x8 for i in zf.infolist())
    out, _ = graft(user, make_rendered(), "x")
    check_graft(user, out, SHEETS)
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        assert infos["xl/media/image1.png"].compress_type == zipfile.ZIP_STORED
        assert not any(i.flag_bits & 0x8 for i in infos.values())
    _assert_values(out)


def _prefixed(xml: bytes, extra_ns: bytes) -> bytes:
    """Rewrite a default-namespace part to use the ``x:`` prefix and mc:Ignorable."""
    xml = re.sub(rb"<(/?)([A-Za-z]\w*)([\s>/])", rb"<\1x:\2\3", xml)
    return xml.replace(b' xmlns="', extra_ns + b' xmlns:x="', 1)


MC = (b' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr"'
      b' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
      b' xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"')


def test_prefixed_parts_and_ignorable_namespaces():
    user = make_user_book()
    for part in ("xl/workbook.xml", "xl/styles.xml"):
        user = rewrite(user, part, lambda x: _prefixed(x, MC))
    user = rewrite(user, "xl/workbook.xml", lambda x: x.replace(
        b"</x:workbook>", b"<x:extLst><x:ext uri=\"{X}\" xmlns:x15=\"urn:x15\"><x15:a/></x:ext></x:extLst></x:workbook>"))
    user = rewrite(user, "xl/workbook.xml", lambda x: re.sub(rb"<x:definedNames>.*</x:definedNames>", b"", x))
    out, _ = graft(user, make_rendered(), "x")
    check_graft(user, out, SHEETS)
    files = contents(out)
    for part in ("xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"):
        check_ignorable_declared(files[part])
        parse(files[part])
    wb = files["xl/workbook.xml"].decode()
    assert '<x:sheet name="Avstämning" sheetId="5" r:id="rId' in wb
    # a new definedNames goes after sheets, before calcPr and extLst
    assert wb.index("</x:sheets><x:definedNames>") < wb.index("<x:calcPr") < wb.index("<x:extLst>")
    assert "<x:numFmt " in files["xl/styles.xml"].decode()
    _assert_values(out)


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl cannot follow the odd targets
def test_relationship_namespace_declared_per_element_and_odd_targets():
    user = make_user_book()
    rel_ns = b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    user = rewrite(user, "xl/workbook.xml", lambda x: x.replace(rel_ns, b"").replace(
        b"<sheet ", b"<sheet" + rel_ns + b" "))
    user = rewrite(user, "xl/_rels/workbook.xml.rels", lambda x: x.replace(
        b'Target="worksheets/sheet1.xml"', b'Target="/xl/Worksheets/%73heet1.xml"').replace(
        b'Id="rId2"', b'Id="Budget7"'))
    user = rewrite(user, "xl/workbook.xml", lambda x: x.replace(b'r:id="rId2"', b'r:id="Budget7"'))
    out, _ = graft(user, make_rendered(), "x")
    check_graft(user, out, SHEETS)
    wb = contents(out)["xl/workbook.xml"].decode()
    assert re.search('<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                     'name="Sammanställning" sheetId="3" r:id="rId2"/>', wb)
    rels = contents(out)["xl/_rels/workbook.xml.rels"].decode()
    assert 'Target="/xl/Worksheets/%73heet1.xml"' in rels and 'Target="worksheets/sheet3.xml"' in rels
    _assert_values(out)


def test_without_styles_part_one_is_created():
    user = make_user_book()
    user = rewrite(user, "xl/_rels/workbook.xml.rels",
                   lambda x: re.sub(rb'<Relationship [^>]*styles"[^>]*/>', b"", x), drop=frozenset({"xl/styles.xml"}))
    user = rewrite(user, "[Content_Types].xml", lambda x: re.sub(rb'<Override [^>]*styles.xml"[^>]*/>', b"", x))
    out, _ = graft(user, make_rendered(), "x")
    files = contents(out)
    assert "xl/styles.xml" in files
    assert b'PartName="/xl/styles.xml"' in files["[Content_Types].xml"]
    assert b"styles.xml" in files["xl/_rels/workbook.xml.rels"]
    _assert_values(out)
    again, _ = graft(out, make_rendered(), "x")
    assert again == out


def test_calc_chain_is_dropped():
    user = make_user_book()
    user = rewrite(user, "[Content_Types].xml", lambda x: x.replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.calcChain+xml"/></Types>'))
    user = rewrite(user, "xl/_rels/workbook.xml.rels", lambda x: x.replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>'))
    user = rewrite(user, "xl/workbook.xml", lambda x: x)  # keep order; add the member below
    buffer = io.BytesIO(user)
    with zipfile.ZipFile(buffer, "a") as zf:
        zf.writestr("xl/calcChain.xml", '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                    '2006/main"><c r="C2" i="1"/></calcChain>')
    user = buffer.getvalue()
    out, _ = graft(user, make_rendered(), "x")
    check_graft(user, out, SHEETS)
    files = contents(out)
    assert "xl/calcChain.xml" not in files
    assert b"calcChain" not in files["[Content_Types].xml"] + files["xl/_rels/workbook.xml.rels"]


def test_style_index_never_beyond_cell_xfs():
    out, _ = graft(make_user_book(), make_rendered(), "x")
    files = contents(out)
    styles = files["xl/styles.xml"].decode()
    cell_xfs = re.search(r"<cellXfs count=\"(\d+)\">(.*?)</cellXfs>", styles)
    assert int(cell_xfs.group(1)) == len(re.findall(r"<xf ", cell_xfs.group(2)))
    for part in grafted_parts(out, SHEETS):
        for s in re.findall(rb' s="(\d+)"', files[part]):
            assert int(s) < int(cell_xfs.group(1))


def test_rendered_sheet_with_relationships_is_a_programming_error():
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Länkar").write_url("A1", "https://example.org")
    book.close()
    with pytest.raises(ValueError, match="relationships"):
        graft(make_user_book(), buffer.getvalue(), "x")


def test_rich_text_becomes_inline_rich_text():
    out, _ = graft(make_user_book(), make_rendered(), "x")
    part = grafted_parts(out, ["Avstämning"])[0]
    xml = contents(out)[part].decode()
    assert re.search(r'<c r="A3"[^>]* t="inlineStr"><is><r><rPr><b/>.*?<t>Fet</t></r>', xml)


def test_user_default_font_differs_cells_keep_rendered_default():
    user = rewrite(make_user_book(), "xl/styles.xml", lambda x: x.replace(
        b'<font><sz val="11"/><color theme="1"/><name val="Calibri"/>',
        b'<font><sz val="10"/><color theme="1"/><name val="Arial"/>', 1))
    out, _ = graft(user, make_rendered(), "x")
    check_graft(user, out, SHEETS)
    part = grafted_parts(out, ["Resultaträkning"])[0]
    xml = contents(out)[part].decode()
    cell = re.search(r'<c r="A2"[^>]*>', xml).group(0)
    assert ' s="' in cell and ' s="0"' not in cell
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(out))
    assert wb["Resultaträkning"]["A2"].font.name == "Calibri"
    assert wb["Utfall"]["A1"].font.name == "Arial"


# -- zip container properties ----------------------------------------------------------------

_members = st.lists(
    st.tuples(st.text("abcxyzåäö/._", min_size=1, max_size=12).filter(lambda n: not n.startswith("/")),
              st.binary(max_size=300), st.booleans()),
    min_size=1, max_size=6, unique_by=lambda m: m[0])


@settings(max_examples=40, deadline=None)
@given(_members)
def test_zip_raw_copy_roundtrip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data, stored in members:
            zf.writestr(zipfile.ZipInfo(name, (2020, 5, 17, 12, 30, 10)), data,
                        compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    original = buffer.getvalue()
    copied = write_members(read_members(original))
    assert raw_entries(copied) == raw_entries(original)
    assert contents(copied) == contents(original)
    assert write_members(read_members(copied)) == copied
    with zipfile.ZipFile(io.BytesIO(copied)) as zf:
        assert [i.date_time for i in zf.infolist()] == [(2020, 5, 17, 12, 30, 10)] * len(members)
    changed = [new_member(m.name, b"new", like=m) for m in read_members(original)]
    assert set(contents(write_members(changed)).values()) == {b"new"}
