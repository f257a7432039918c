"""Reading back a sheet the toolkit wrote earlier, as the user left it.

Between two refreshes the economist types in our sheets (a Kommentar, a
column of their own) and Excel may have saved the package in its own way
(shared strings, shared formulas, styles renumbered).  This module returns
the cells of one of *our* sheets — value, formula and number format — so
the next refresh can carry the user's text over.  Only sheets that carry the
toolkit's marker are read; nothing is written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from defusedxml import ElementTree

from ..cells import column_letter
from ..ooxml.index import open_package
from ..ooxml.snapshot import Snapshot

_REF = re.compile(r"([A-Z]+)(\d+)$")

# Built-in number formats that show a date or a time (ECMA-376 §18.8.30).
_BUILTIN_FORMATS = {14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
                    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy-mm-dd h:mm", 45: "mm:ss",
                    46: "[h]:mm:ss", 47: "mm:ss.0", 9: "0%", 10: "0.00%", 3: "#,##0", 4: "#,##0.00",
                    1: "0", 2: "0.00", 49: "@"}


@dataclass
class Cell:
    row: int  # 0-based
    col: int  # 0-based
    value: str | float | bool | None
    formula: str | None = None  # without the leading "="
    num_format: str | None = None
    indent: int = 0  # the cell's indent (Sammanställning's lines are indented by their depth)

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row + 1}"

    @property
    def empty(self) -> bool:
        return self.formula is None and (self.value is None or self.value == "")


@dataclass
class PreviousSheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)  # 0-based column -> width set by hand

    def text(self, row: int, col: int) -> str:
        cell = self.cells.get((row, col))
        if cell is None or cell.value is None:
            return ""
        return str(cell.value).strip() if isinstance(cell.value, str) else str(cell.value)


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _text_of(el) -> str:
    """Text of a <si> or <is>: plain <t> or the runs' <t>s (phonetic runs left out)."""
    parts = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def read_previous(data: bytes | Snapshot, file: str, name: str) -> PreviousSheet | None:
    """The cells of the toolkit's sheet ``name`` in the package ``data`` (its
    bytes, or the run's snapshot of it), or None when the package has no such
    sheet of ours."""
    opened = open_package(data, file)
    book = opened.workbook
    sheet = book.find_sheet(name)
    if sheet is None or not book.is_ours(sheet):
        return None
    rel = opened.rels.by_id(sheet.rid)
    if rel is None or rel.external or not rel.part:
        return None
    xml = opened.pkg.read(rel.part)
    if xml is None:
        return None

    def part_of(kind: str) -> bytes | None:
        for found in opened.rels.of_type(kind):
            part = opened.pkg.read(found.part) if found.part else None
            if part is not None:
                return part
        return None

    return _parse_sheet(name, xml, lambda wanted: _shared_strings(part_of("/sharedStrings"), wanted),
                        lambda: _cell_formats(part_of("/styles")))


def _shared_strings(part: bytes | None, wanted: set[int]) -> dict[int, str]:
    """Only the shared strings the sheet uses: a workbook's table can be large."""
    if part is None or not wanted:
        return {}
    import io

    out, index = {}, 0
    for _event, el in ElementTree.iterparse(io.BytesIO(part), events=("end",)):
        if _local(el.tag) != "si":
            continue
        if index in wanted:
            out[index] = _text_of(el)
        el.clear()
        index += 1
        if index > max(wanted):
            break
    return out


def _cell_formats(styles: bytes | None) -> list[tuple[str | None, int]]:
    """cellXfs index -> (number format code (None for General), indent)."""
    if styles is None:
        return []
    root = ElementTree.fromstring(styles)
    custom = {}
    for container in _children(root, "numFmts"):
        for nf in _children(container, "numFmt"):
            if (nf.get("numFmtId") or "").isdigit():
                custom[int(nf.get("numFmtId"))] = nf.get("formatCode")
    out: list[tuple[str | None, int]] = []
    for container in _children(root, "cellXfs"):
        for xf in _children(container, "xf"):
            fid = int(xf.get("numFmtId") or 0) if (xf.get("numFmtId") or "0").isdigit() else 0
            alignment = next(iter(_children(xf, "alignment")), None)
            indent = alignment.get("indent") if alignment is not None else None
            out.append((custom.get(fid) or _BUILTIN_FORMATS.get(fid), int(indent) if (indent or "").isdigit() else 0))
    return out


def _parse_sheet(name: str, xml: bytes, shared_strings, cell_formats) -> PreviousSheet:
    sheet = PreviousSheet(name)
    root = ElementTree.fromstring(xml)
    for cols in _children(root, "cols"):
        for col in _children(cols, "col"):
            if col.get("customWidth") in ("1", "true") and col.get("width"):
                for c in range(int(col.get("min")) - 1, min(int(col.get("max")), 200)):
                    sheet.widths[c] = float(col.get("width"))
    masters: dict[str, tuple[str, str]] = {}  # shared formula index -> (formula, its cell)
    raw: list[tuple[Cell, str, str | None]] = []  # cell, type, style index
    for data in _children(root, "sheetData"):
        row_index = -1
        for row in _children(data, "row"):
            row_index = int(row.get("r")) - 1 if (row.get("r") or "").isdigit() else row_index + 1
            col_index = -1
            for c in _children(row, "c"):
                ref = _REF.match(c.get("r") or "")
                col_index = column_index(ref.group(1)) if ref else col_index + 1
                cell = _cell(c, row_index, col_index)
                f = next(iter(_children(c, "f")), None)
                if f is not None:
                    if f.get("t") == "shared" and f.get("si") is not None:
                        if f.text:
                            masters[f.get("si")] = (f.text, cell.ref)
                            cell.formula = f.text
                        elif f.get("si") in masters:
                            text, origin = masters[f.get("si")]
                            from openpyxl.formula.translate import Translator  # only for Excel's shared formulas

                            cell.formula = Translator("=" + text, origin=origin).translate_formula(cell.ref)[1:]
                    elif f.text:
                        cell.formula = f.text
                raw.append((cell, c.get("t") or "n", c.get("s")))
    wanted = {int(cell.value) for cell, kind, _ in raw if kind == "s" and str(cell.value).isdigit()}
    strings = shared_strings(wanted)
    formats = cell_formats() if any(s for _, _, s in raw) else []
    for cell, kind, style in raw:
        if kind == "s":
            cell.value = strings.get(int(cell.value)) if str(cell.value).isdigit() else None
        if style and style.isdigit() and int(style) < len(formats):
            cell.num_format, cell.indent = formats[int(style)]
        if not cell.empty:
            sheet.cells[(cell.row, cell.col)] = cell
    return sheet


def _cell(c, row: int, col: int) -> Cell:
    """A cell's value as stored; shared strings are resolved later (by index)."""
    kind = c.get("t") or "n"
    v = next(iter(_children(c, "v")), None)
    raw = v.text if v is not None else None
    value: str | float | bool | None = None
    if kind == "s":
        value = raw.strip() if raw else None
    elif kind == "inlineStr":
        inline = next(iter(_children(c, "is")), None)
        value = _text_of(inline) if inline is not None else None
    elif kind in ("str", "e"):
        value = raw
    elif kind == "b":
        value = raw in ("1", "true")
    elif raw is not None:
        try:
            value = float(raw)
        except ValueError:
            value = raw
    return Cell(row, col, value)


def _package(source, display: str | None) -> tuple[bytes | Snapshot, str] | None:
    """The workbook's bytes (or the run's snapshot of it) and its name in
    messages; None when the path cannot be read."""
    import os
    from pathlib import Path

    if isinstance(source, Snapshot):
        return source, display or (source.path.name if source.path else "")
    path = Path(os.fspath(source))
    try:
        return path.read_bytes(), display or path.name
    except OSError:
        return None


def previous_sheet(source, name: str, display: str | None = None):
    """The sheet ``name`` as an earlier run wrote it and the economist left it
    (``read_previous``), from the run's snapshot of the workbook or from a path;
    None when there is none, the file cannot be read or is not a package (the
    package layer reports what is wrong when it writes)."""
    from ..errors import WorkbookError

    opened = _package(source, display)
    if opened is None:
        return None
    try:
        return read_previous(*opened, name)
    except WorkbookError:
        return None


def our_sheets(source, names, display: str | None = None) -> frozenset[str]:
    """Which of the sheets ``names`` does the workbook (its snapshot, or a path)
    hold as written by an earlier run?  Reads only the workbook part."""
    from ..errors import WorkbookError

    opened = _package(source, display)
    if opened is None:
        return frozenset()
    try:
        book = open_package(*opened).workbook
    except WorkbookError:
        return frozenset()
    return frozenset(name for name in names if (sheet := book.find_sheet(name)) is not None and book.is_ours(sheet))
