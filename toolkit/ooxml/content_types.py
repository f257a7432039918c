"""``[Content_Types].xml``: look up a part's type, add and remove Overrides.

Every part we add gets an explicit ``<Override>``: some packages map the
``xml`` extension to ``application/xml``, so relying on a Default is unsafe.
"""

from __future__ import annotations

import copy
import posixpath

from .xmlspan import Editor, Writer, parse

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
PART = "[Content_Types].xml"


class ContentTypes:
    def __init__(self, data: bytes):
        self.data = data
        self.root = parse(data)
        self.editor = Editor(data)
        self.defaults = {}
        self.overrides = {}
        for el in self.root.children:
            if el.local == "Default":
                self.defaults[(el.get("Extension") or "").lower()] = el
            elif el.local == "Override":
                self.overrides[(el.get("PartName") or "").lstrip("/").lower()] = el

    def type_of(self, part: str) -> str | None:
        el = self.overrides.get(part.lstrip("/").lower())
        if el is None:
            ext = posixpath.splitext(part)[1].lstrip(".").lower()
            el = self.defaults.get(ext)
        return None if el is None else el.get("ContentType")

    def has_override(self, part: str) -> bool:
        return part.lstrip("/").lower() in self.overrides

    def add_override(self, part: str, content_type: str) -> None:
        text = Writer(self.root).element(
            self.root.ns or CT_NS, "Override", [("", "PartName", "/" + part), ("", "ContentType", content_type)])
        self.editor.append_children(self.root, text)

    def remove_override(self, part: str) -> None:
        el = self.overrides.get(part.lstrip("/").lower())
        if el is not None:
            self.editor.delete(el)

    def result(self) -> bytes:
        return self.editor.result()

    def fork(self) -> ContentTypes:
        """The same parsed part with edits of its own (the parse is shared)."""
        clone = copy.copy(self)
        clone.editor = Editor(self.data)
        return clone
