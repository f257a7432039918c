"""The package as a set of parts: lookup by part name and relationships.

Part names are zip member names without a leading slash.  Lookups ignore
case (OPC part names are case-insensitive, and real files differ in case
from their relationship targets).  Relationship targets are resolved
relative to the source part's folder, may be absolute (``/xl/...``) and may
be percent-escaped.
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from . import limits
from .xmlspan import Editor, Element, Writer, parse
from .zipcopy import Member, read_members

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"  # suffix of the Transitional and Strict types


class Package:
    """Members of a zip, addressable by part name."""

    def __init__(self, data: bytes | None = None, *, members: list[Member] | None = None,
                 reader: Callable[[str, int], bytes | None] | None = None):
        """The members of the zip ``data``; or ``members`` already read, their
        parts' content got from ``reader(part, max_size)`` (a snapshot, which
        inflates each part once)."""
        self.members: list[Member] = read_members(data) if members is None else members
        self._index = {m.name.lower(): m for m in self.members}
        self._reader = reader

    def member(self, part: str) -> Member | None:
        return self._index.get(part.lstrip("/").lower())

    def read(self, part: str, max_size: int | None = None) -> bytes | None:
        """A part's content, to be parsed: inflated through the capped stream,
        CRC-checked, no DTD before its root (``limits.read_member``); a part
        larger than ``max_size`` (default ``limits.MAX_PART_SIZE``) is refused."""
        max_size = limits.MAX_PART_SIZE if max_size is None else max_size
        member = self.member(part)
        if member is None:
            return None
        if self._reader is not None:
            return self._reader(member.name, max_size)
        return limits.read_member(member, max_size)

    def has(self, part: str) -> bool:
        return part.lstrip("/").lower() in self._index


def rels_part(part: str) -> str:
    folder, name = posixpath.split(part.lstrip("/"))
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """The part name a relationship target of ``source_part`` points at."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        path = target
    else:
        path = posixpath.join("/", posixpath.dirname(source_part.lstrip("/")), target)
    return posixpath.normpath(path).lstrip("/")


def relative(source_part: str, part: str) -> str:
    """A relationship target for ``part`` seen from ``source_part``."""
    return posixpath.relpath("/" + part, "/" + posixpath.dirname(source_part.lstrip("/")))


@dataclass
class Relationship:
    element: Element
    id: str
    type: str
    target: str
    external: bool
    part: str | None  # resolved part name for internal targets


class Relationships:
    """One ``.rels`` part, editable in place."""

    def __init__(self, source_part: str, data: bytes):
        self.source_part = source_part
        self.data = data
        self.root = parse(data)
        self.editor = Editor(data)
        self.items: list[Relationship] = []
        for el in self.root.iter():
            if el.local != "Relationship":
                continue
            external = (el.get("TargetMode") or "").lower() == "external"
            target = el.get("Target") or ""
            self.items.append(Relationship(
                el, el.get("Id") or "", el.get("Type") or "", target, external,
                None if external else resolve(source_part, target)))

    def by_id(self, rid: str) -> Relationship | None:
        for rel in self.items:
            if rel.id == rid:
                return rel
        return None

    def of_type(self, suffix: str) -> list[Relationship]:
        return [r for r in self.items if r.type.endswith(suffix)]

    def add(self, rid: str, rel_type: str, part: str) -> None:
        attrs = [("", "Id", rid), ("", "Type", rel_type), ("", "Target", relative(self.source_part, part))]
        text = Writer(self.root).element(self.root.ns or REL_NS, "Relationship", attrs)
        self.editor.append_children(self.root, text)

    def remove(self, rel: Relationship) -> None:
        self.editor.delete(rel.element)

    def result(self) -> bytes:
        return self.editor.result()

    def fork(self) -> Relationships:
        """The same parsed part with edits of its own (the parse is shared)."""
        clone = copy.copy(self)
        clone.editor = Editor(self.data)
        return clone


def new_rels(source_part: str) -> Relationships:
    data = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{REL_NS}"></Relationships>').encode()
    return Relationships(source_part, data)


def fresh_id(used: set[str]) -> str:
    lowered = {u.lower() for u in used}
    n = 1
    while f"rid{n}" in lowered:
        n += 1
    return f"rId{n}"
