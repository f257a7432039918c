"""Reading the toolkit's own rendered workbook (XlsxWriter output).

It is our input, so anything unexpected here is a programming error
(``ValueError``), not the user's problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ooxml import opc
from ..ooxml.workbook_part import WorkbookFormatError, WorkbookPart
from ..ooxml.xmlspan import Element, XmlError, parse
from ..ooxml.zipcopy import ZipError


@dataclass
class RenderedDrawing:
    """A rendered sheet's drawing: the sheet's relationship to it, its XML, and
    its charts in the order of its relationships part."""

    rid: str  # the sheet's relationship id for it (``<drawing r:id>``)
    xml: bytes
    charts: list[tuple[str, bytes]]  # (the drawing's relationship id, the chart's XML)


@dataclass
class RenderedSheet:
    name: str
    xml: bytes
    names: list[Element] = field(default_factory=list)  # its sheet-scoped <definedName>s
    drawing: RenderedDrawing | None = None  # its charts, if any


@dataclass
class Rendered:
    sheets: list[RenderedSheet]
    shared: list[bytes]  # inner XML of each <si>
    styles: bytes | None


def _shared_strings(data: bytes | None) -> list[bytes]:
    if data is None:
        return []
    root = parse(data)
    return [data[si.head_end:si.close_start] for si in root.find_all("si")]


def _only(rels: opc.Relationships, suffix: str, what: str) -> list[opc.Relationship]:
    """The relationships of ``rels``, each of which must be internal and of type ``…/suffix``."""
    for rel in rels.items:
        if rel.external or not rel.type.endswith("/" + suffix) or rel.part is None:
            raise ValueError(f"{what} has a relationship of type {rel.type!r}; only {suffix} can be grafted")
    return rels.items


def _drawing(pkg: opc.Package, name: str, part: str) -> RenderedDrawing | None:
    """The sheet's drawing of charts (a sheet's only relationships that can be
    grafted: hyperlinks, comments, tables and images cannot)."""
    rels_data = pkg.read(opc.rels_part(part))
    if rels_data is None:
        return None
    found = _only(opc.Relationships(part, rels_data), "drawing", f"rendered sheet {name!r}")
    if len(found) != 1:
        raise ValueError(f"rendered sheet {name!r} has {len(found)} drawings")
    drawing = found[0].part
    chart_data = pkg.read(opc.rels_part(drawing))
    chart_rels = opc.Relationships(drawing, chart_data) if chart_data is not None else opc.new_rels(drawing)
    charts = []
    for rel in _only(chart_rels, "chart", f"the drawing of {name!r}"):
        if pkg.has(opc.rels_part(rel.part)):
            raise ValueError(f"a chart of {name!r} has relationships of its own; not supported")
        charts.append((rel.id, pkg.read(rel.part)))
    return RenderedDrawing(found[0].id, pkg.read(drawing), charts)


def read_rendered(data: bytes) -> Rendered:
    try:
        return _read(data)
    except (ZipError, XmlError, WorkbookFormatError) as exc:
        raise ValueError(f"rendered workbook cannot be read: {exc}") from None


def _read(data: bytes) -> Rendered:
    pkg = opc.Package(data)
    root_rels = opc.Relationships("", pkg.read("_rels/.rels") or b"")
    documents = root_rels.of_type(opc.OFFICE_DOCUMENT)
    if not documents:
        raise ValueError("rendered workbook has no workbook part")
    wb_name = documents[0].part
    workbook = WorkbookPart(wb_name, pkg.read(wb_name))
    rels = opc.Relationships(wb_name, pkg.read(opc.rels_part(wb_name)) or b"")
    sheets = []
    for sheet in workbook.sheets:
        rel = rels.by_id(sheet.rid)
        if rel is None or not rel.type.endswith("/worksheet"):
            raise ValueError(f"rendered sheet {sheet.name!r} is not a worksheet")
        sheets.append(RenderedSheet(sheet.name, pkg.read(rel.part), drawing=_drawing(pkg, sheet.name, rel.part)))
    for name in workbook.names:
        if name.local_sheet_id is None or name.local_sheet_id >= len(sheets):
            raise ValueError(f"rendered defined name {name.name!r} is not sheet-scoped; not supported")
        sheets[name.local_sheet_id].names.append(name.element)
    lowered = [s.name.lower() for s in sheets]
    if len(set(lowered)) != len(lowered):
        raise ValueError("rendered sheet names are not unique")
    shared = styles = None
    for rel in rels.items:
        if rel.type.endswith("/sharedStrings"):
            shared = pkg.read(rel.part)
        elif rel.type.endswith("/styles"):
            styles = pkg.read(rel.part)
    return Rendered(sheets, _shared_strings(shared), styles)
