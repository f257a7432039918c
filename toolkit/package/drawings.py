"""A rendered sheet's charts carried into the user's package.

The chain is sheet → (the sheet's relationships) drawing → (the drawing's
relationships) charts.  The sheet's relationships part is ours whole (we
write the sheet), so it is written anew; the drawing and chart parts get
names that no part of the package has or is pointed at
(``xl/drawings/drawingN.xml``, ``xl/charts/chartN.xml`` with the first free
N), each an explicit content-type Override.

**Ours on a refresh** are found from the sheet being replaced, never by name:
every part reachable from its relationships part (the drawing, its charts,
whatever Excel hung on them when it saved: chart styles and colours, printer
settings, a picture pasted onto the sheet) that nothing outside that chain
points at.  Its first drawing and its charts, in the drawing's relationship
order, are rewritten in place under their names (so a refresh writes the
same parts again); the rest of it is removed with its Overrides.  A part
that something else points at too (an image another sheet shows) is the
user's and kept.

In a Strict package the drawing and chart namespaces and relationship types
are the Strict ones.  A chart's series name the sheet in their formulas;
when the workbook's sheet is spelled otherwise than the rendered one (a
refresh of a sheet whose name differs in case), the formulas say so.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape

from ..ooxml import opc
from ..ooxml.content_types import CHART, DRAWING, ContentTypes
from ..ooxml.workbook_part import REL, STRICT_REL
from ..ooxml.xmlspan import Editor, escape, parse
from .rendered import RenderedSheet

CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
#: Transitional → Strict namespaces of a drawing and a chart
STRICT_URIS = {
    REL: STRICT_REL,
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
    CHART_NS: "http://purl.oclc.org/ooxml/drawingml/chart",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing":
        "http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
}
DRAWING_STEM = "drawings/drawing{}.xml"
CHART_STEM = "charts/chart{}.xml"

_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"""\s([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def source_of(rels_name: str) -> str | None:
    """'xl/worksheets/_rels/sheet1.xml.rels' → 'xl/worksheets/sheet1.xml'; '_rels/.rels' → ''."""
    folder, name = posixpath.split(rels_name)
    if posixpath.basename(folder).lower() != "_rels" or not name.lower().endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def targets(data: bytes, source: str) -> list[str]:
    """The internal targets of a relationships part, as lower-case part names —
    read leniently (a pattern, not a parser): only ever used to keep a part
    or to avoid a name."""
    found = []
    for tag in _RELATIONSHIP.finditer(data):
        attrs = {}
        for m in _ATTR.finditer(tag.group(0)):
            attrs[m.group(1).split(b":")[-1]] = (m.group(2) if m.group(2) is not None else m.group(3))
        if attrs.get(b"TargetMode", b"").strip().lower() == b"external" or b"Target" not in attrs:
            continue
        target = unescape(attrs[b"Target"].decode("utf-8", "replace"))
        found.append(opc.resolve(source, target).lower())
    return found


class References:
    """Who points at what in the package: every relationships part, read once."""

    def __init__(self, pkg: opc.Package):
        self.pkg = pkg
        self._by_target: dict[str, set[str]] | None = None

    @property
    def by_target(self) -> dict[str, set[str]]:
        """lower part name → the lower names of the relationships parts pointing at it."""
        if self._by_target is None:
            self._by_target = {}
            for member in self.pkg.members:
                source = source_of(member.name)
                if source is None:
                    continue
                data = self.pkg.read(member.name)
                for part in targets(data or b"", source):
                    self._by_target.setdefault(part, set()).add(member.name.lower())
        return self._by_target


@dataclass
class Owned:
    """The parts hanging off a sheet of ours that nothing else points at."""

    parts: list[str] = field(default_factory=list)  # member names, in the chain's order
    drawing: str | None = None  # the sheet's (first) drawing among them
    charts: list[str] = field(default_factory=list)  # that drawing's charts among them, in its order


def owned(pkg: opc.Package, refs: References, sheet_part: str, keep: set[str]) -> Owned:
    """The parts reachable from ``sheet_part``'s relationships that nothing
    outside that chain points at (``keep``: parts never to count, the
    workbook and its sheets)."""
    sheet_rels = opc.rels_part(sheet_part)
    if not pkg.has(sheet_rels):
        return Owned()
    chain: dict[str, str] = {}  # lower name → member name, in the order found
    rels_of: dict[str, list[opc.Relationship]] = {}
    queue = deque([(sheet_part, pkg.member(sheet_rels).name)])
    while queue:
        source, rels_name = queue.popleft()
        rels = opc.Relationships(source, pkg.read(rels_name))
        rels_of[source.lower()] = rels.items
        for rel in rels.items:
            member = None if rel.external or rel.part is None else pkg.member(rel.part)
            if member is None or member.name.lower() in chain or member.name.lower() in keep:
                continue
            chain[member.name.lower()] = member.name
            inner = pkg.member(opc.rels_part(member.name))
            if inner is not None:
                queue.append((member.name, inner.name))
    sources = {sheet_rels.lower()} | {opc.rels_part(name).lower() for name in chain}
    kept = {name for name in chain if refs.by_target.get(name, set()) - sources}
    spread = deque(kept)
    while spread:  # what a kept part points at is kept too
        for rel in rels_of.get(spread.popleft(), []):
            name = (rel.part or "").lower()
            if name in chain and name not in kept:
                kept.add(name)
                spread.append(name)
    result = Owned([chain[name] for name in chain if name not in kept])
    mine = {name.lower() for name in result.parts}
    drawings = [r for r in rels_of[sheet_part.lower()] if r.type.endswith("/drawing") and r.part
                and r.part.lower() in mine]
    if drawings:
        result.drawing = pkg.member(drawings[0].part).name
        result.charts = [pkg.member(r.part).name for r in rels_of.get(result.drawing.lower(), [])
                         if r.type.endswith("/chart") and r.part and r.part.lower() in mine]
        result.charts = list(dict.fromkeys(result.charts))
    return result


def strict(xml: bytes) -> bytes:
    """A rendered drawing or chart in Strict's namespaces."""
    for old, new in STRICT_URIS.items():
        xml = xml.replace(b'"' + old.encode() + b'"', b'"' + new.encode() + b'"')
    return xml


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def rename_sheet(chart: bytes, rendered: str, actual: str) -> bytes:
    """The chart's formulas (``c:f``) pointing at ``actual`` instead of the rendered sheet name."""
    if rendered == actual:
        return chart
    root = parse(chart)
    editor = Editor(chart)
    prefixes = [quote_sheet(rendered) + "!", rendered + "!"]
    for el in root.iter():
        if el.local != "f" or el.ns not in (CHART_NS, STRICT_URIS[CHART_NS]):
            continue
        for prefix in prefixes:
            if el.text.startswith(prefix):
                text = quote_sheet(actual) + "!" + el.text[len(prefix):]
                editor.replace(el.head_end, el.close_start, escape(text).encode("utf-8"))
                break
    return editor.result()


@dataclass
class Carried:
    """What carrying one sheet's drawing writes: parts by name (reused names in
    ``changed``, new ones in ``added``), and the chain's parts it removes."""

    changed: dict[str, bytes] = field(default_factory=dict)
    added: list[tuple[str, bytes]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def carry(sheet: RenderedSheet, sheet_part: str, sheet_name: str, old: Owned, pkg: opc.Package,
          ct: ContentTypes, fresh, is_strict: bool) -> Carried:
    """Write ``sheet``'s drawing and charts for the user's ``sheet_part`` (named
    ``sheet_name`` in the workbook): in ``old``'s drawing and charts where it
    had them, else under names from ``fresh(stem)``; ``old``'s other parts removed."""
    out = Carried()
    drawing = sheet.drawing
    written: set[str] = set()

    def put(name: str, content: bytes, content_type: str | None = None) -> None:
        member = pkg.member(name)
        if member is not None:
            out.changed[member.name] = content
        else:
            out.added.append((name, content))
        written.add(name.lower())
        if content_type is not None and ct.type_of(name) != content_type:
            ct.remove_override(name)
            ct.add_override(name, content_type)

    if drawing is not None:
        rel_ns = STRICT_REL if is_strict else REL
        convert = strict if is_strict else (lambda xml: xml)
        drawing_part = old.drawing or fresh(DRAWING_STEM)
        sheet_rels = opc.new_rels(sheet_part)
        sheet_rels.add(drawing.rid, rel_ns + "/drawing", drawing_part)
        put(opc.rels_part(sheet_part), sheet_rels.result())
        put(drawing_part, convert(drawing.xml), DRAWING)
        chart_rels = opc.new_rels(drawing_part)
        reuse = iter(old.charts)
        for rid, xml in drawing.charts:
            chart_part = next(reuse, None) or fresh(CHART_STEM)
            chart_rels.add(rid, rel_ns + "/chart", chart_part)
            put(chart_part, convert(rename_sheet(xml, sheet.name, sheet_name)), CHART)
        put(opc.rels_part(drawing_part), chart_rels.result())
    for name in old.parts:
        for part in (name, opc.rels_part(name)):
            if part.lower() not in written and pkg.has(part):
                out.removed.append(pkg.member(part).name)
                ct.remove_override(part)
    return out
