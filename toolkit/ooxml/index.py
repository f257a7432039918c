"""A package's index parts — ``[Content_Types].xml``, the workbook part and
its relationships — located and parsed once the container is within
``limits``; the rest of its members stay compressed until asked for."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import WorkbookError
from . import limits, opc
from .content_types import PART as CT_PART
from .content_types import ContentTypes
from .workbook_part import WorkbookPart
from .xmlspan import XmlError
from .zipcopy import ZipError

NOT_XLSX = limits.NO_WORKBOOK


@dataclass
class Opened:
    """The parts of a user's package that locate and describe its sheets."""

    pkg: opc.Package
    content_types: ContentTypes
    workbook: WorkbookPart
    rels: opc.Relationships
    rels_name: str


def open_package(data: bytes, file: str) -> Opened:
    """The package's index parts, once the container is within ``limits``
    (what the file is, entries, sizes, ratios); untouched members stay
    compressed."""
    try:
        limits.check_package(data)
        pkg = opc.Package(data)
    except ZipError as exc:
        raise limits.workbook_error(exc, file) from exc
    parsed = limits.MAX_PARSED_PART  # the index parts are parsed whole (xmlspan)
    try:
        ct_data = pkg.read(CT_PART, parsed)
        root_rels = pkg.read("_rels/.rels", parsed)
        if ct_data is None or root_rels is None:
            raise WorkbookError(NOT_XLSX, file=file)
        documents = opc.Relationships("", root_rels).of_type(opc.OFFICE_DOCUMENT)
        wb_data = pkg.read(documents[0].part, parsed) if documents else None
        if wb_data is None:
            raise WorkbookError(NOT_XLSX, file=file)
        wb_name = pkg.member(documents[0].part).name
        workbook = WorkbookPart(wb_name, wb_data)
        rels_member = pkg.member(opc.rels_part(wb_name))
        if rels_member is None:
            rels, rels_name = opc.new_rels(wb_name), opc.rels_part(wb_name)
        else:
            rels, rels_name = opc.Relationships(wb_name, pkg.read(rels_member.name, parsed)), rels_member.name
        return Opened(pkg, ContentTypes(ct_data), workbook, rels, rels_name)
    except (ZipError, XmlError, ValueError) as exc:
        raise limits.workbook_error(exc, file) from exc
