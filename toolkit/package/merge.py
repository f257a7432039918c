"""Grafting rendered sheets into the user's package, part by part.

Only the index parts are edited (``[Content_Types].xml``, the workbook part
and its relationships, the styles part); grafted sheets are added or replace
an earlier sheet of ours in place, with their drawings and charts
(``drawings``); ``calcChain.xml`` is dropped (Excel rebuilds it); every other
member is copied raw.  ``docProps/app.xml`` is left
untouched: its TitlesOfParts is informational and Excel rewrites it on save.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..errors import WorkbookError
from ..ooxml import limits, opc
from ..ooxml.content_types import PART as CT_PART
from ..ooxml.content_types import STYLES, WORKSHEET
from ..ooxml.index import open_package
from ..ooxml.snapshot import Snapshot
from ..ooxml.workbook_part import MAIN, REL, STRICT_MAIN, STRICT_REL, Sheet
from ..ooxml.xmlspan import XmlError
from ..ooxml.zipcopy import Member, ZipError, new_member, write_members
from .drawings import Owned, References, carry, owned, source_of
from .rendered import read_rendered
from .sheet_graft import graft_sheet
from .styles import StyleMerge

NOT_XLSX = limits.NO_WORKBOOK
BROKEN = limits.BROKEN
LOCKED = "arbetsbokens struktur är skyddad (Granska › Skydda arbetsbok); ta bort skyddet och kör igen"
FOREIGN = 'bladet "{}" finns redan och skapades inte av reconcile; byt namn på det eller ta bort det och kör igen'

STRICT_URIS = {MAIN: STRICT_MAIN, REL: STRICT_REL}
WORKSHEET_REL = {False: REL + "/worksheet", True: STRICT_REL + "/worksheet"}
STYLES_REL = {False: REL + "/styles", True: STRICT_REL + "/styles"}
EMPTY_STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{}">'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '</styleSheet>')


def toolkit_sheets(data: bytes | Snapshot, file: str) -> list[str]:
    book = open_package(data, file).workbook
    return [s.name for s in book.sheets if book.is_ours(s)]


@dataclass
class _Target:
    name: str
    position: int
    part: str
    like: Member | None


class _Graft:
    def __init__(self, data: bytes | Snapshot, rendered: bytes, file: str):
        self.file = file
        opened = open_package(data, file).fork()  # the index parts as parsed, with edits of our own
        self.pkg, self.ct, self.book = opened.pkg, opened.content_types, opened.workbook
        self.rels, self.rels_name = opened.rels, opened.rels_name
        if self.book.structure_locked():
            raise WorkbookError(LOCKED, file=file, slug="arbetsbok-skyddad")
        self.rendered = read_rendered(rendered)
        self.uri_map = STRICT_URIS if self.book.strict else {}
        self.used_parts = {m.name.lower() for m in self.pkg.members} | set(self.ct.overrides)
        self.used_parts |= {r.part.lower() for r in self.rels.items if r.part}
        self.used_rids = {r.id for r in self.rels.items} | self.book.used_rids()
        self.changed: dict[str, bytes] = {}  # lower part name -> new content
        self.removed: set[str] = set()
        self.added: list[tuple[str, bytes]] = []
        self.refs = References(self.pkg)  # every relationships part, read when a drawing needs it
        self._all_targets = False

    def run(self) -> tuple[bytes, list[str]]:
        targets = self._plan_sheets()
        xf_map, dxf_map = self._merge_styles()
        names = []
        for target, sheet in zip(targets, self.rendered.sheets):
            xml = graft_sheet(sheet.xml, self.rendered.shared, xf_map, dxf_map, self.uri_map)
            old = Owned()
            if target.like is None:
                self.added.append((target.part, xml))
            else:
                self.changed[target.part.lower()] = xml
                self.removed.add(opc.rels_part(target.part).lower())
                old = owned(self.pkg, self.refs, target.part, self._sheet_parts())
            if sheet.drawing is not None or old.parts:
                carried = carry(sheet, target.part, target.name, old, self.pkg, self.ct, self._fresh_drawing_part,
                                self.book.strict)
                self.changed.update((name.lower(), content) for name, content in carried.changed.items())
                self.added.extend(carried.added)
                self.removed.update(name.lower() for name in carried.removed)
            names.append((target.position, sheet.names))
        self.book.write_names(names, self.uri_map)
        self.book.request_full_calc()
        self._drop_calc_chain()
        self.changed[self.book.part.lower()] = self.book.result()
        self.changed[CT_PART.lower()] = self.ct.result()
        rels = self.rels.result()
        if self.pkg.has(self.rels_name):
            self.changed[self.rels_name.lower()] = rels
        else:
            self.added.append((self.rels_name, rels))
        return self._write(), [t.name for t in targets]

    # -- sheets ------------------------------------------------------------

    def _plan_sheets(self) -> list[_Target]:
        worksheet_rels = self.rels.of_type("/worksheet")
        rel_type = worksheet_rels[0].type if worksheet_rels else WORKSHEET_REL[self.book.strict]
        next_id = self.book.next_sheet_id()
        position = len(self.book.sheets)
        targets = []
        for sheet in self.rendered.sheets:
            existing = self.book.find_sheet(sheet.name)
            if existing is not None:
                targets.append(self._existing(existing))
                continue
            part = self._fresh_part("worksheets/sheet{}.xml")
            rid = self._fresh_rid()
            self.book.add_sheet(sheet.name, next_id, rid)
            self.rels.add(rid, rel_type, part)
            self.ct.add_override(part, WORKSHEET)
            targets.append(_Target(sheet.name, position, part, None))
            next_id += 1
            position += 1
        return targets

    def _existing(self, sheet: Sheet) -> _Target:
        if not self.book.is_ours(sheet):
            raise WorkbookError(FOREIGN.format(sheet.name), file=self.file, slug="blad-finns-redan")
        rel = self.rels.by_id(sheet.rid)
        if rel is None or rel.external or not rel.type.endswith("/worksheet"):
            raise WorkbookError(FOREIGN.format(sheet.name), file=self.file, slug="blad-finns-redan")
        member = self.pkg.member(rel.part)
        if member is None:  # dangling: write the part where the relationship points
            if self.ct.type_of(rel.part) != WORKSHEET:
                self.ct.add_override(rel.part, WORKSHEET)
            return _Target(sheet.name, sheet.position, rel.part, None)
        return _Target(sheet.name, sheet.position, member.name, member)

    def _fresh_part(self, stem: str, first: str | None = None) -> str:
        """An unused part name in the workbook's folder: ``first``, else ``stem`` numbered from 1."""
        folder = posixpath.dirname(self.book.part)
        candidates = ([first] if first else []) + [stem.format(n) for n in range(1, len(self.used_parts) + 2)]
        for candidate in candidates:
            part = posixpath.join(folder, candidate)
            if part.lower() not in self.used_parts:
                self.used_parts.add(part.lower())
                return part
        raise AssertionError("unreachable")

    def _fresh_drawing_part(self, stem: str) -> str:
        """A name for a new drawing or chart that no member has and no relationship
        of the package points at (nor would, as a part's relationships part)."""
        if not self._all_targets:
            self._all_targets = True
            self.used_parts |= set(self.refs.by_target)
            self.used_parts |= {source.lower() for m in self.pkg.members if (source := source_of(m.name))}
        return self._fresh_part(stem)

    def _sheet_parts(self) -> set[str]:
        """The workbook part and its sheets' parts (lower case): never a sheet's own."""
        parts = {self.book.part.lower()}
        for sheet in self.book.sheets:
            rel = self.rels.by_id(sheet.rid)
            if rel is not None and rel.part:
                parts.add(rel.part.lower())
        return parts

    def _fresh_rid(self) -> str:
        rid = opc.fresh_id(self.used_rids)
        self.used_rids.add(rid)
        return rid

    # -- styles ------------------------------------------------------------

    def _merge_styles(self) -> tuple[list[int], list[int]]:
        if self.rendered.styles is None:
            return [], []
        found = [r for r in self.rels.of_type("/styles") if r.part and self.pkg.has(r.part)]
        if found:
            part = self.pkg.member(found[0].part).name
            merge = StyleMerge(self.pkg.read(part, limits.MAX_PARSED_PART), self.rendered.styles, self.uri_map)
            self.changed[part.lower()] = merge.result()
            return merge.xf_map, merge.dxf_map
        base = EMPTY_STYLES.format(self.book.ns).encode()
        merge = StyleMerge(base, self.rendered.styles, self.uri_map)
        part = self._fresh_part("styles{}.xml", first="styles.xml")
        self.rels.add(self._fresh_rid(), STYLES_REL[self.book.strict], part)
        self.ct.add_override(part, STYLES)
        self.added.append((part, merge.result()))
        return merge.xf_map, merge.dxf_map

    # -- the rest ----------------------------------------------------------

    def _drop_calc_chain(self) -> None:
        for rel in self.rels.of_type("/calcChain"):
            self.rels.remove(rel)
            if rel.part:
                self.ct.remove_override(rel.part)
                self.removed.add(rel.part.lower())

    def _write(self) -> bytes:
        members = []
        for member in self.pkg.members:
            key = member.name.lower()
            if key in self.removed and key not in self.changed:
                continue
            content = self.changed.get(key)
            if content is None or content == self.pkg.read(member.name):
                members.append(member)
            else:
                members.append(new_member(member.name, content, like=member))
        members.extend(new_member(name, content) for name, content in self.added)
        try:
            return write_members(members)
        except ZipError as exc:
            raise limits.workbook_error(exc, self.file) from exc


def graft(data: bytes | Snapshot, rendered: bytes, file: str) -> tuple[bytes, list[str]]:
    """The new package bytes and the names of the grafted sheets; ``data``: the
    user's package, as bytes or as the run's snapshot of it (its parts then
    inflated and parsed once for the readers and the graft together)."""
    try:
        return _Graft(data, rendered, file).run()
    except (ZipError, XmlError) as exc:
        raise limits.workbook_error(exc, file) from exc
