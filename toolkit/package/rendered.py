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
class RenderedSheet:
    name: str
    xml: bytes
    names: list[Element] = field(default_factory=list)  # its sheet-scoped <definedName>s


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
        if pkg.has(opc.rels_part(rel.part)):
            raise ValueError(f"rendered sheet {sheet.name!r} has relationships (hyperlinks, "
                             "drawings, comments, tables); grafting them is not supported")
        sheets.append(RenderedSheet(sheet.name, pkg.read(rel.part)))
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
