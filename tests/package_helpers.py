"""Fixtures for the package tests: rendered workbooks and zip inspection."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import xlsxwriter

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_XLSX = CORPUS / "xlsx"
MANIFEST = CORPUS / "MANIFEST.tsv"

SHEETS = ("Sammanställning", "Resultaträkning", "Avstämning")

# what the rendered sheets hold: sheet -> {cell: value}; formulas carry cached values
EXPECTED = {
    "Sammanställning": {"A1": "Enhet", "B1": "Budget", "C1": "Utfall", "D1": "Avvikelse",
                        "A2": "Halmstad", "B2": 1200.0, "C2": 1000.5, "D2": 199.5,
                        "A3": "  Kungsbacka ", "B3": 800.0, "C3": 950.0, "D3": -150.0,
                        "A4": "Summa", "B4": 2000.0, "C4": 1950.5, "D4": 49.5},
    "Resultaträkning": {"A1": "Konto", "B1": "Belopp", "A2": "3010 Intäkter", "B2": 12345.67,
                        "A3": "Andel", "B3": 0.25},
    "Avstämning": {"A1": "Status", "A2": "OK <&> \"citat\"", "A3": "Fet och kursiv"},
}


def make_rendered(sheets: tuple[str, ...] = SHEETS, variant: int = 0) -> bytes:
    """An XlsxWriter workbook like the toolkit's renderer writes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = book.add_format({"num_format": "#,##0"})
    red = book.add_format({"num_format": "#,##0;[Red]-#,##0", "italic": True})
    pct = book.add_format({"num_format": "0 %"})
    dec = book.add_format({"num_format": "#,##0.00", "font_name": "Arial", "font_size": 9 + variant})
    alarm = book.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    for name in sheets:
        ws = book.add_worksheet(name)
        data = EXPECTED.get(name, {"A1": name})
        if name == "Sammanställning":
            ws.write_row("A1", ["Enhet", "Budget", "Utfall", "Avvikelse"], bold)
            ws.write_row("A2", ["Halmstad", 1200, 1000.5], money)
            ws.write_row("A3", ["  Kungsbacka ", 800, 950], money)
            ws.write_formula("D2", "=B2-C2", red, 199.5)
            ws.write_formula("D3", "=B3-C3", red, -150)
            ws.write("A4", "Summa", bold)
            ws.write_formula("B4", "=SUM(B2:B3)", money, 2000)
            ws.write_formula("C4", "=SUM(C2:C3)", money, 1950.5)
            ws.write_formula("D4", "=B4-C4", red, 49.5)
            ws.conditional_format("D2:D4", {"type": "cell", "criteria": "<", "value": 0, "format": alarm})
            ws.freeze_panes(1, 1)
            ws.set_column("A:A", 18)
            ws.set_column("B:D", 12, money)
            ws.merge_range("F1:G1", "Sammanfattat", bold)
            ws.repeat_rows(0)
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.set_header("&CBudgetuppföljning")
            ws.set_footer("&RSida &P av &N")
            data = dict(data, F1="Sammanfattat")
        elif name == "Resultaträkning":
            ws.write_row("A1", ["Konto", "Belopp"], bold)
            ws.write("A2", "3010 Intäkter")
            ws.write("B2", 12345.67, dec)
            ws.write("A3", "Andel")
            ws.write("B3", 0.25, pct)
            ws.print_area("A1:B3")
            ws.activate()
        elif name == "Avstämning":
            ws.write("A1", "Status")
            ws.write("A2", "OK <&> \"citat\"")
            ws.write_rich_string("A3", bold, "Fet", " och ", book.add_format({"italic": True}), "kursiv")
        else:
            ws.write("A1", name)
    book.close()
    return buffer.getvalue()


def expected_values(name: str) -> dict[str, object]:
    values = dict(EXPECTED.get(name, {"A1": name}))
    if name == "Sammanställning":
        values["F1"] = "Sammanfattat"
    return values


def raw_entries(path_or_bytes) -> dict[str, tuple[int, int, int, bytes]]:
    """name -> (CRC, compress_size, method, raw compressed bytes) read via local headers."""
    data = Path(path_or_bytes).read_bytes() if not isinstance(path_or_bytes, bytes) else path_or_bytes
    result = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
            begin = info.header_offset + 30 + name_len + extra_len
            result[info.filename] = (info.CRC, info.compress_size, info.compress_type,
                                     data[begin: begin + info.compress_size])
    return result


def contents(path_or_bytes) -> dict[str, bytes]:
    data = Path(path_or_bytes).read_bytes() if not isinstance(path_or_bytes, bytes) else path_or_bytes
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def manifest_features() -> dict[str, set[str]]:
    if not MANIFEST.exists():
        return {}
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    col = header.index("features")
    return {row.split("\t")[0]: set(row.split("\t")[col].split(",")) - {"-"} for row in lines[1:] if row}


# -- user workbooks ---------------------------------------------------------------

def tiny_png() -> bytes:
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def make_user_book(*, xlsm: bool = False, extra_sheet: str | None = None, locked: str | None = None) -> bytes:
    """A user's workbook: two sheets with shared strings, an image, a defined
    name, a print area, a formula pointing at a later toolkit sheet, optionally VBA."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    money = book.add_format({"num_format": "#,##0 kr", "bold": True})
    ws = book.add_worksheet("Utfall")
    ws.write_row("A1", ["Konto", "Belopp"])
    ws.write_row("A2", ["3010", 500], money)
    ws.write_formula("C2", "=B2*2", money, 1000)
    ws.insert_image("E2", "bild.png", {"image_data": io.BytesIO(tiny_png())})
    ws.write_comment("A1", "Användarens kommentar")
    ws.print_area("A1:C10")
    ws2 = book.add_worksheet("Budget")
    ws2.write("A1", "Budget 2024")
    ws2.write_number("B1", 42)
    if extra_sheet:
        book.add_worksheet(extra_sheet).write("A1", "användarens eget blad")
    book.define_name("Konton", "=Utfall!$A$2:$A$10")
    if xlsm:
        book.add_vba_project(io.BytesIO(b"VBA-PROJECT-BYTES" * 10), is_stream=True)
        book.set_vba_name("ThisWorkbook")
    book.close()
    data = buffer.getvalue()
    if locked is not None:
        data = rewrite(data, "xl/workbook.xml", lambda x: x.replace(
            b"<bookViews>", b"<workbookProtection" + locked.encode() + b"/><bookViews>"))
    return data


def rewrite(data: bytes, member: str, change, *, stored: frozenset = frozenset(), descriptors: bool = False,
            drop: frozenset = frozenset()) -> bytes:
    """Copy a zip, changing one member's content; optionally store some members
    uncompressed, write data descriptors (non-seekable output) or drop members."""

    class Stream(io.RawIOBase):
        def __init__(self):
            self.buffer = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.buffer += b
            return len(b)

    target = Stream() if descriptors else io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            if info.filename in drop:
                continue
            content = src.read(info)
            if info.filename == member:
                content = change(content)
            new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new.compress_type = zipfile.ZIP_STORED if info.filename in stored else zipfile.ZIP_DEFLATED
            if descriptors:
                with out.open(new, "w") as handle:
                    handle.write(content)
            else:
                out.writestr(new, content)
    return bytes(target.buffer) if descriptors else target.getvalue()


# -- invariants ---------------------------------------------------------------------

REL_TYPES_INDEX = ("/officeDocument",)


def _et(data: bytes):
    from defusedxml import ElementTree

    return ElementTree.fromstring(data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def index_parts(data: bytes) -> dict[str, str]:
    """role -> member name of the parts write_sheets may edit, found independently."""
    import posixpath
    from urllib.parse import unquote

    files = contents(data)
    lower = {n.lower(): n for n in files}

    def resolve(source: str, target: str) -> str | None:
        target = unquote(target)
        path = target if target.startswith("/") else posixpath.join("/", posixpath.dirname(source), target)
        return lower.get(posixpath.normpath(path).lstrip("/").lower())

    roles = {"content_types": "[Content_Types].xml"}
    for rel in _et(files["_rels/.rels"]):
        if rel.get("Type", "").endswith("/officeDocument"):
            roles["workbook"] = resolve("", rel.get("Target"))
            break
    wb = roles["workbook"]
    folder, name = posixpath.split(wb)
    rels_name = lower.get(posixpath.join(folder, "_rels", name + ".rels").lower())
    if rels_name:
        roles["workbook_rels"] = rels_name
        for rel in _et(files[rels_name]):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind in ("styles", "calcChain") and rel.get("TargetMode") != "External":
                part = resolve(wb, rel.get("Target"))
                if part:
                    roles[kind] = part
    return roles


def _signatures(root, skip) -> list:
    out = []

    def walk(el, path):
        here = (*path, el.tag)
        # counts are updated when entries are appended; calcPr gains fullCalcOnLoad="1" (checked separately)
        attrs = tuple(sorted((k, v) for k, v in el.attrib.items()
                             if k != "count" and not (k == "fullCalcOnLoad" and _local(el.tag) == "calcPr")))
        if not skip(el):
            out.append((here, attrs, (el.text or "").strip()))
        for child in el:
            walk(child, here)

    walk(root, ())
    return out


def _is_calc_chain(el) -> bool:
    return "calcchain" in (el.get("Type", "") + el.get("PartName", "") + el.get("Target", "")).lower()


def _root_head(data: bytes) -> bytes:
    import re

    body = re.sub(rb"<\?.*?\?>", b"", data, flags=re.S)
    return re.search(rb"<[^!?][^>]*>", body).group(0)


def check_ignorable_declared(data: bytes) -> None:
    import re

    head = _root_head(data)
    match = re.search(rb'Ignorable="([^"]*)"', head)
    if match:
        for prefix in match.group(1).split():
            assert b"xmlns:" + prefix + b"=" in head, f"mc:Ignorable prefix {prefix!r} not declared"


def check_graft(original: bytes, output: bytes, sheet_names, *, replaced=()) -> None:
    """The invariants of write_sheets for one grafted package (first run unless ``replaced``)."""
    import collections

    roles = index_parts(original)
    editable = set(roles.values())
    before, after = raw_entries(original), raw_entries(output)
    with zipfile.ZipFile(io.BytesIO(output)) as zf:
        assert zf.testzip() is None
    old_files, new_files = contents(original), contents(output)
    for name in before:
        if name == roles.get("calcChain"):
            continue
        assert name in after, f"{name} lost"
        if name not in editable and name not in replaced:
            assert after[name] == before[name], f"{name} not copied raw"
            assert new_files[name] == old_files[name]
    assert [n for n in after if n in before] == [n for n in before if n in after], "member order changed"
    assert list(after)[: len([n for n in before if n in after])] == [n for n in before if n in after]
    for role, name in roles.items():
        if role == "calcChain" or name in replaced:
            continue
        old, new = old_files[name], new_files[name]
        assert _root_head(new) == _root_head(old), f"{name}: root start tag changed"
        check_ignorable_declared(new)
        old_sigs = collections.Counter(_signatures(_et(old), _is_calc_chain))
        new_sigs = collections.Counter(_signatures(_et(new), lambda el: False))
        missing = old_sigs - new_sigs
        assert not missing, f"{name}: lost {list(missing)[:3]}"
    # order of sheets and style entries: originals are a prefix
    old_wb, new_wb = _et(old_files[roles["workbook"]]), _et(new_files[roles["workbook"]])

    def sheets(root):
        found = [el for el in root.iter() if _local(el.tag) == "sheet"]
        return [(el.get("name"), el.get("sheetId"), tuple(sorted(el.attrib.items()))) for el in found]

    calc = [el for el in new_wb if _local(el.tag) == "calcPr"]
    assert len(calc) == 1 and calc[0].get("fullCalcOnLoad") in ("1", "true"), "no full recalculation on load"
    old_sheets, new_sheets = sheets(old_wb), sheets(new_wb)
    assert new_sheets[: len(old_sheets)] == old_sheets
    wanted = [n.lower() for n in sheet_names]
    existing = {s[0].lower() for s in old_sheets}
    appended = [s[0].lower() for s in new_sheets[len(old_sheets):]]
    assert appended == [n for n in wanted if n not in existing]
    ids = [int(s[1]) for s in new_sheets if s[1] and s[1].isdigit()]
    assert len(ids) == len(set(ids))
    if "styles" in roles:
        old_st, new_st = _et(old_files[roles["styles"]]), _et(new_files[roles["styles"]])
        for container in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "dxfs", "cellStyles"):
            old_c = [el for el in old_st if _local(el.tag) == container]
            new_c = [el for el in new_st if _local(el.tag) == container]
            if not old_c:
                continue
            old_items = [_signatures(c, lambda el: False) for c in old_c[0]]
            new_items = [_signatures(c, lambda el: False) for c in new_c[0]]
            assert new_items[: len(old_items)] == old_items, f"styles {container} reordered"
            if old_c[0].get("count") == str(len(old_items)):
                assert new_c[0].get("count") == str(len(new_items))
        xfs = [el for el in new_st if _local(el.tag) == "cellXfs"]
        n_xfs = len(list(xfs[0])) if xfs else 0
        n_dxfs = sum(len(list(el)) for el in new_st if _local(el.tag) == "dxfs")
    else:
        n_xfs = n_dxfs = None
    # the grafted sheets: inline strings only, style indexes in range, no tabSelected
    ct = _et(new_files["[Content_Types].xml"])
    overrides = {el.get("PartName", "").lstrip("/").lower(): el.get("ContentType") for el in ct
                 if _local(el.tag) == "Override"}
    for part in grafted_parts(output, sheet_names):
        assert overrides.get(part.lower(), "").endswith("worksheet+xml"), f"{part}: no Override"
        xml = new_files[part]
        root = _et(xml)
        for el in root.iter():
            tag = _local(el.tag)
            if tag == "c":
                assert el.get("t") != "s", "shared string left in grafted sheet"
                if n_xfs is not None and el.get("s") is not None:
                    assert int(el.get("s")) < n_xfs, "style index beyond cellXfs"
            if tag == "cfRule" and el.get("dxfId") is not None and n_dxfs is not None:
                assert int(el.get("dxfId")) < n_dxfs
            assert el.get("tabSelected") is None
    # VBA and macro-enabled main content type are kept
    old_ct = {el.get("PartName"): el.get("ContentType") for el in _et(old_files["[Content_Types].xml"])}
    new_ct = {el.get("PartName"): el.get("ContentType") for el in ct}
    for key, value in old_ct.items():
        if key and "calcchain" not in key.lower():
            assert new_ct.get(key) == value
    check_index_kept(original, output, roles, old_files, new_files)


def _kept_prefix(old: list, new: list, what: str) -> None:
    """The original entries are still there, in their old order, before anything added."""
    assert new[: len(old)] == old, f"{what}: original entries changed or moved: " + next(
        (f"#{i}: {o!r} -> {n!r}" for i, (o, n) in enumerate(zip(old, new)) if o != n),
        f"{len(new)} entries, {len(old)} before")


def check_index_kept(original: bytes, output: bytes, roles: dict[str, str], old_files: dict[str, bytes],
                     new_files: dict[str, bytes]) -> None:
    """The index parts changed only by adding: every original content-type entry,
    workbook relationship (Id, Type, Target, TargetMode) and defined name (with its
    localSheetId, attributes and formula) is still there at its old position; the
    shared strings part is copied raw.  Only the calcChain entries may go."""

    def entries(root, local: str | None = None) -> list:
        return [(_local(el.tag), tuple(sorted(el.attrib.items())), (el.text or "").strip())
                for el in (root.iter() if local else root) if local is None or _local(el.tag) == local]

    ct_old = [e for e in entries(_et(old_files["[Content_Types].xml"])) if not _is_calc_chain(dict(e[1]))]
    _kept_prefix(ct_old, entries(_et(new_files["[Content_Types].xml"])), "[Content_Types].xml")
    if "workbook_rels" in roles:
        name = roles["workbook_rels"]
        rels_old = [e for e in entries(_et(old_files[name])) if not _is_calc_chain(dict(e[1]))]
        _kept_prefix(rels_old, entries(_et(new_files[name])), name)
    workbook = roles["workbook"]
    _kept_prefix(entries(_et(old_files[workbook]), "definedName"), entries(_et(new_files[workbook]), "definedName"),
                 f"{workbook} definedNames")
    for part in related_parts(original, "sharedStrings"):
        assert raw_entries(output).get(part) == raw_entries(original)[part], f"{part} not copied raw"


def related_parts(data: bytes, kind: str) -> list[str]:
    """Member names of the workbook's internal relationships of type ``…/kind``."""
    import posixpath
    from urllib.parse import unquote

    files = contents(data)
    lower = {n.lower(): n for n in files}
    roles = index_parts(data)
    if "workbook_rels" not in roles:
        return []
    found = []
    for rel in _et(files[roles["workbook_rels"]]):
        if rel.get("Type", "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode") != "External":
            target = unquote(rel.get("Target", ""))
            wb = roles["workbook"]
            path = target if target.startswith("/") else posixpath.join("/", posixpath.dirname(wb), target)
            part = lower.get(posixpath.normpath(path).lstrip("/").lower())
            if part:
                found.append(part)
    return found


def grafted_parts(data: bytes, sheet_names) -> list[str]:
    """Member names of the named sheets, resolved through the package's relationships."""
    import posixpath
    from urllib.parse import unquote

    files = contents(data)
    lower = {n.lower(): n for n in files}
    roles = index_parts(data)
    wb = roles["workbook"]
    rels = {el.get("Id"): el.get("Target") for el in _et(files[roles["workbook_rels"]])}
    wanted = {n.lower() for n in sheet_names}
    parts = []
    for el in _et(files[wb]).iter():
        if _local(el.tag) == "sheet" and (el.get("name") or "").lower() in wanted:
            rid = next(v for k, v in el.attrib.items() if _local(k) == "id")
            target = unquote(rels[rid])
            path = target if target.startswith("/") else posixpath.join("/", posixpath.dirname(wb), target)
            parts.append(lower[posixpath.normpath(path).lstrip("/").lower()])
    return parts


def read_openpyxl(data: bytes, names) -> dict[str, dict[str, object]]:
    """sheet -> {cell: value} (cached values for formulas) via openpyxl."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    try:
        return {name: {c.coordinate: c.value for row in wb[name].iter_rows() for c in row
                       if getattr(c, "value", None) is not None} for name in names}
    finally:
        wb.close()


def read_calamine(data: bytes, names) -> dict[str, dict[str, object]]:
    """sheet -> {cell: value} via python-calamine."""
    from openpyxl.utils import get_column_letter
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    result = {}
    for name in names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        result[name] = {f"{get_column_letter(c + 1)}{r + 1}": v for r, row in enumerate(rows)
                        for c, v in enumerate(row) if v not in ("", None)}
    return result


def same_values(found: dict, expected: dict) -> bool:
    if set(found) != set(expected):
        return False
    for key, value in expected.items():
        if isinstance(value, float):
            if not isinstance(found[key], (int, float)) or abs(found[key] - value) > 1e-9:
                return False
        elif found[key] != value:
            return False
    return True


def sheet_names(data: bytes) -> list[str]:
    """Sheet names in workbook order, read independently of the toolkit."""
    files = contents(data)
    wb = _et(files[index_parts(data)["workbook"]])
    return [el.get("name") for el in wb.iter() if _local(el.tag) == "sheet"]


# -- drawings and charts ----------------------------------------------------------------

DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


def rels_of(files: dict[str, bytes], part: str) -> list[dict]:
    """The relationships of ``part`` (Id, Type, Target, TargetMode, and ``part``: the resolved member name)."""
    import posixpath
    from urllib.parse import unquote

    lower = {n.lower(): n for n in files}
    folder, name = posixpath.split(part)
    data = files.get(lower.get(posixpath.join(folder, "_rels", name + ".rels").lower(), ""), None)
    if data is None:
        return []
    out = []
    for rel in _et(data):
        found = dict(rel.attrib)
        if found.get("TargetMode") != "External":
            target = unquote(found.get("Target", ""))
            path = target if target.startswith("/") else posixpath.join("/", folder, target)
            found["part"] = lower.get(posixpath.normpath(path).lstrip("/").lower())
        out.append(found)
    return out


def reachable(data: bytes) -> set[str]:
    """Member names reachable from the package root through relationships (the
    relationships parts and [Content_Types].xml counted as reached)."""
    import posixpath

    files = contents(data)
    seen = {"[Content_Types].xml", "_rels/.rels"}
    todo = [r["part"] for r in rels_of(files, "") if r.get("part")]
    while todo:
        part = todo.pop()
        if part in seen:
            continue
        seen.add(part)
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels in files:
            seen.add(rels)
        todo += [r["part"] for r in rels_of(files, part) if r.get("part")]
    return seen


def overrides(data: bytes) -> dict[str, str]:
    """lower part name (no leading slash) → its Override content type."""
    ct = _et(contents(data)["[Content_Types].xml"])
    return {el.get("PartName", "").lstrip("/").lower(): el.get("ContentType") for el in ct
            if _local(el.tag) == "Override"}


def chart_chain(data: bytes, sheet_name: str) -> tuple[str, str | None, list[str]]:
    """(the sheet's part, its drawing, the drawing's charts) of the named sheet."""
    files = contents(data)
    part = grafted_parts(data, [sheet_name])[0]
    drawings = [r for r in rels_of(files, part) if r["Type"].endswith("/drawing")]
    if not drawings:
        return part, None, []
    drawing = drawings[0]["part"]
    return part, drawing, [r["part"] for r in rels_of(files, drawing) if r["Type"].endswith("/chart")]


def stored_cells(xml: bytes) -> dict[tuple[int, int], object]:
    """(row, column) → the value a worksheet part stores (numbers as floats, inline
    and plain strings as text), read from its XML: Strict packages too."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    found: dict[tuple[int, int], object] = {}
    for el in _et(xml).iter():
        if _local(el.tag) != "c":
            continue
        col, row = coordinate_from_string(el.get("r"))
        kind = el.get("t")
        if kind == "inlineStr":
            value = "".join(t.text or "" for t in el.iter() if _local(t.tag) == "t")
        else:
            v = next((x.text for x in el if _local(x.tag) == "v"), None)
            if v is None:
                continue
            value = v if kind in ("str", "s") else float(v)
        found[(row, column_index_from_string(col))] = value
    return found


def check_drawings(original: bytes, output: bytes, sheet_name: str, charts: int | None = None) -> None:
    """The named sheet's drawing and charts in ``output``: the chain is whole and
    typed, its parts are nobody else's, their formulas name the sheet and point at
    its cells, their caches hold the sheet's stored values; nothing is orphaned
    that was not in ``original`` and every Override names a part."""
    import re

    from openpyxl.utils.cell import range_boundaries

    files = contents(output)
    part, drawing, found = chart_chain(output, sheet_name)
    assert drawing is not None, f"{sheet_name}: no drawing"
    if charts is not None:
        assert len(found) == charts, f"{sheet_name}: {len(found)} charts, not {charts}"
    types = overrides(output)
    assert types.get(drawing.lower()) == DRAWING_TYPE, f"{drawing}: content type {types.get(drawing.lower())}"
    ours = {drawing, *found}
    for chart in found:
        assert types.get(chart.lower()) == CHART_TYPE, f"{chart}: content type"
    # nobody else points at our parts
    for source in files:
        if source.endswith(".rels") or source == "[Content_Types].xml":
            continue
        if source in (part, drawing):
            continue
        pointing = {r.get("part") for r in rels_of(files, source)} & ours
        assert not pointing, f"{source} points at our {pointing}"
    # orphans and dangling Overrides: none that the original did not have
    assert set(files) - reachable(output) <= set(contents(original)) - reachable(original), \
        f"orphaned: {sorted(set(files) - reachable(output))}"
    lower = {n.lower() for n in files}
    dangling = {p for p in types if p not in lower} - {p for p in overrides(original) if p not in
                                                       {n.lower() for n in contents(original)}}
    assert not dangling, f"Overrides without a part: {dangling}"
    # the series: formulas on the sheet, caches equal to the stored values
    stored = stored_cells(files[part])
    quoted = {sheet_name, "'" + sheet_name.replace("'", "''") + "'"}
    for chart in found:
        xml = files[chart]
        root = _et(xml)
        refs = [el for el in root.iter() if _local(el.tag) in ("numRef", "strRef")]
        assert refs, f"{chart}: no series pointing at cells"
        for ref in refs:
            formula = next(el.text for el in ref if _local(el.tag) == "f")
            where, _, cells = formula.rpartition("!")
            assert where in quoted, f"{chart}: {formula} does not point at {sheet_name}"
            first_col, first_row, last_col, last_row = range_boundaries(cells.replace("$", ""))
            values = [stored.get((r, c)) for r in range(first_row, last_row + 1)
                      for c in range(first_col, last_col + 1)]
            cache = next((el for el in ref if _local(el.tag) in ("numCache", "strCache")), None)
            assert cache is not None, f"{chart}: {formula} without a cache"
            points = {int(pt.get("idx")): next(v.text for v in pt if _local(v.tag) == "v")
                      for pt in cache if _local(pt.tag) == "pt"}
            for i, value in enumerate(values):
                if value is None:
                    assert i not in points, f"{chart}: {formula}[{i}] cached for an empty cell"
                elif isinstance(value, str):
                    assert points.get(i) == value, f"{chart}: {formula}[{i}]"
                else:
                    assert abs(float(points[i]) - value) <= 1e-9 * max(1, abs(value)), f"{chart}: {formula}[{i}]"
        assert not re.search(rb"schemas\.openxmlformats\.org/drawingml", xml) or \
            b"purl.oclc.org" not in contents(output)["_rels/.rels"], f"{chart}: Transitional in a Strict package"
