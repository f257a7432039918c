"""A package's index parts — ``[Content_Types].xml``, the workbook part and
its relationships — located and parsed once the container is within
``limits``; the rest of its members stay compressed until asked for.  From a
``Snapshot`` each of them is read and parsed once for the run: the readers
look at them, the graft edits a ``fork`` of them."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import WorkbookError
from . import limits, opc
from .content_types import PART as CT_PART
from .content_types import ContentTypes
from .snapshot import Snapshot
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

    def fork(self) -> Opened:
        """The same parsed parts, with edits of their own (for the graft)."""
        return Opened(self.pkg, self.content_types.fork(), self.workbook.fork(), self.rels.fork(), self.rels_name)


def relationships(parts: limits.Guarded, source_part: str, name: str) -> opc.Relationships:
    """The relationships part ``name`` (which the package has) of ``source_part``,
    parsed once per snapshot."""
    return parts.memo(("rels", name.lower()),
                      lambda: opc.Relationships(source_part, parts.read(name, limits.MAX_PARSED_PART)))


def workbook_part(parts: limits.Guarded, name: str) -> WorkbookPart:
    """The workbook part ``name`` (which the package has), parsed once per snapshot."""
    return parts.memo(("workbook", name.lower()),
                      lambda: WorkbookPart(name, parts.read(name, limits.MAX_PARSED_PART)))


def open_package(source: bytes | Snapshot, file: str) -> Opened:
    """The package's index parts, once the container is within ``limits``
    (what the file is, entries, sizes, ratios); untouched members stay
    compressed.  From a snapshot, parsed once: edit a ``fork``."""
    try:
        snapshot = source if isinstance(source, Snapshot) else Snapshot(source)
        snapshot.check()
        pkg = snapshot.package()
    except ZipError as exc:
        raise limits.workbook_error(exc, file) from exc
    try:
        return snapshot.memo("opened", lambda: _index(snapshot, pkg, file))
    except (ZipError, XmlError, ValueError) as exc:
        raise limits.workbook_error(exc, file) from exc


def _index(snapshot: Snapshot, pkg: opc.Package, file: str) -> Opened:
    parsed = limits.MAX_PARSED_PART  # the index parts are parsed whole (xmlspan)
    ct_data = pkg.read(CT_PART, parsed)
    root_rels = pkg.read("_rels/.rels", parsed)
    if ct_data is None or root_rels is None:
        raise WorkbookError(NOT_XLSX, file=file, slug="inte-xlsx")
    documents = relationships(snapshot, "", pkg.member("_rels/.rels").name).of_type(opc.OFFICE_DOCUMENT)
    wb_data = pkg.read(documents[0].part, parsed) if documents else None
    if wb_data is None:
        raise WorkbookError(NOT_XLSX, file=file, slug="inte-xlsx")
    wb_name = pkg.member(documents[0].part).name
    workbook = workbook_part(snapshot, wb_name)
    rels_member = pkg.member(opc.rels_part(wb_name))
    if rels_member is None:
        rels, rels_name = opc.new_rels(wb_name), opc.rels_part(wb_name)
    else:
        rels, rels_name = relationships(snapshot, wb_name, rels_member.name), rels_member.name
    content_types = snapshot.memo("content types", lambda: ContentTypes(ct_data))
    return Opened(pkg, content_types, workbook, rels, rels_name)
