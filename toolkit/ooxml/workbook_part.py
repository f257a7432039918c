"""The workbook part (``workbook.xml``): sheets, defined names, protection.

Positions matter: ``definedName/@localSheetId`` and ``bookViews/@activeTab``
are indexes into ``<sheets>``, so new sheets are only ever appended and a
replaced sheet keeps its ``<sheet>`` element untouched.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from . import marker
from .xmlspan import Editor, Element, Writer, parse

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"

# CT_Workbook children that follow <calcPr>
_AFTER_CALC_PR = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
                  "fileRecoveryPr", "webPublishObjects", "extLst")
# CT_Workbook children that may precede <definedNames>
_BEFORE_DEFINED_NAMES = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                         "sheets", "functionGroups", "externalReferences")


class WorkbookFormatError(ValueError):
    """The workbook part lacks what every workbook has (e.g. ``<sheets>``)."""


@dataclass
class Sheet:
    element: Element
    name: str
    sheet_id: str
    rid: str
    position: int


@dataclass
class DefinedName:
    element: Element
    name: str
    local_sheet_id: int | None


def _rid(el: Element) -> str:
    for (ns, local), value in el.attrib.items():
        if local == "id" and ns in (REL, STRICT_REL):
            return value
    return ""


class WorkbookPart:
    def __init__(self, part: str, data: bytes):
        self.part = part
        self.data = data
        self.root = parse(data)
        self.editor = Editor(data)
        self.ns = self.root.ns
        self.strict = self.ns == STRICT_MAIN
        self.rel_ns = STRICT_REL if self.strict else REL
        self.sheets_el = self.root.find("sheets")
        if self.sheets_el is None or self.root.local != "workbook":
            raise WorkbookFormatError("no <sheets> in the workbook part")
        self.sheets = [Sheet(el, el.get("name") or "", el.get("sheetId") or "", _rid(el), i)
                       for i, el in enumerate(self.sheets_el.find_all("sheet"))]
        for sheet in self.sheets:
            for (ns, local) in sheet.element.attrib:
                if local == "id" and ns in (REL, STRICT_REL):
                    self.rel_ns = ns
        self.names_el = self.root.find("definedNames")
        self.names: list[DefinedName] = []
        if self.names_el is not None:
            for el in self.names_el.find_all("definedName"):
                local = el.get("localSheetId")
                self.names.append(DefinedName(
                    el, el.get("name") or "", int(local) if local and local.strip().isdigit() else None))

    # -- questions ---------------------------------------------------------

    def structure_locked(self) -> bool:
        protection = self.root.find("workbookProtection")
        if protection is None:
            return False
        return (protection.get("lockStructure") or "").strip().lower() in ("1", "true", "on")

    def find_sheet(self, name: str) -> Sheet | None:
        for sheet in self.sheets:
            if sheet.name.lower() == name.lower():
                return sheet
        return None

    def is_ours(self, sheet: Sheet) -> bool:
        return any(marker.is_marker(n.name) and n.local_sheet_id == sheet.position for n in self.names)

    def used_rids(self) -> set[str]:
        return {s.rid for s in self.sheets if s.rid}

    def next_sheet_id(self) -> int:
        ids = [int(s.sheet_id) for s in self.sheets if s.sheet_id.strip().isdigit()]
        return max(ids, default=0) + 1

    # -- edits -------------------------------------------------------------

    def add_sheet(self, name: str, sheet_id: int, rid: str) -> None:
        text = Writer(self.sheets_el).element(
            self.ns, "sheet", [("", "name", name), ("", "sheetId", str(sheet_id)), (self.rel_ns, "id", rid)])
        self.editor.append_children(self.sheets_el, text)

    def write_names(self, groups: list[tuple[int, list[Element]]], uri_map: dict[str, str]) -> None:
        """For each (position, defined names of the rendered sheet) write those names
        plus our marker scoped to ``position``, replacing our old ones there."""
        context = self.names_el if self.names_el is not None else self.root
        writer = Writer(context, uri_map)
        appended: list[bytes] = []
        for position, nodes in groups:
            texts = []
            for node in nodes:
                attrib = dict(node.attrib)
                attrib[("", "localSheetId")] = str(position)
                texts.append(writer.copy(node, attrib))
            texts.append(writer.element(self.ns, "definedName", [
                ("", "name", marker.NAME), ("", "localSheetId", str(position)), ("", "hidden", "1")],
                text=marker.VALUE))
            old = [n for n in self.names
                   if n.local_sheet_id == position and marker.is_ours_on_our_sheet(n.name)]
            if old:
                self.editor.replace(old[0].element.start, old[0].element.end, b"".join(texts))
                for name in old[1:]:
                    self.editor.delete(name.element)
            else:
                appended.extend(texts)
        if not appended:
            return
        if self.names_el is not None:
            self.editor.append_children(self.names_el, b"".join(appended))
            return
        container = Writer(self.root).element(self.ns, "definedNames", [], b"".join(appended))
        anchor = [c for c in self.root.children if c.ns == self.ns and c.local in _BEFORE_DEFINED_NAMES]
        self.editor.insert(anchor[-1].end, container)

    def request_full_calc(self) -> None:
        """Ask the spreadsheet program to recalculate every formula when it opens
        the file (``calcPr/@fullCalcOnLoad``): the user's own formulas that point
        at our sheets hold cached values from the previous refresh, and Excel
        would otherwise show those until the next manual recalculation.  Excel
        clears the flag when it saves.  Call after ``write_names`` (a new
        ``definedNames`` must come before ``calcPr``)."""
        calc = self.root.find("calcPr")
        if calc is not None:
            if (calc.get("fullCalcOnLoad") or "").strip().lower() not in ("1", "true"):
                self.editor.set_attrs(calc, {b"fullCalcOnLoad": "1"})
            return
        text = Writer(self.root).element(self.ns, "calcPr", [("", "fullCalcOnLoad", "1")])
        later = [c for c in self.root.children if c.ns == self.ns and c.local in _AFTER_CALC_PR]
        if later:
            self.editor.insert(later[0].start, text)
        else:
            self.editor.append_children(self.root, text)

    def result(self) -> bytes:
        return self.editor.result()

    def fork(self) -> WorkbookPart:
        """The same parsed part with edits of its own (the parse is shared)."""
        clone = copy.copy(self)
        clone.editor = Editor(self.data)
        return clone
