"""Merging the rendered styles into the user's styles part.

Number formats, fonts, fills, borders, cell formats (``cellXfs``) and
differential formats (``dxfs``) of the rendered workbook are looked up in the
user's styles part by canonical XML (expanded names, attributes unordered);
an identical entry is reused, a missing one is appended.  Existing entries
never move, so the user's ``s=`` indexes stay valid, and a second run with
the same rendered styles appends nothing at all (the part stays byte-equal).

Custom number formats are matched by format code; new ones get ids above
both 163 (the built-in range) and the workbook's highest id (formats used
only by conditional formats are listed too, which keeps reruns stable).  Cell formats
point at the user's first cell style (``xfId="0"``); the rendered workbook's
own named cell styles are not carried over.
"""

from __future__ import annotations

from dataclasses import replace

from ..ooxml.xmlspan import Editor, Element, Writer, canonical, parse

ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
         "tableStyles", "colors", "extLst")
ITEM = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf",
        "dxfs": "dxf"}


class StyleMerge:
    """Computes ``xf_map``/``dxf_map`` (rendered index -> user index) and the edited part."""

    def __init__(self, data: bytes, rendered: bytes, uri_map: dict[str, str]):
        self.root = parse(data)
        self.editor = Editor(data)
        self.ns = self.root.ns
        self.uri_map = uri_map
        self._appended: dict[str, list[bytes]] = {name: [] for name in ITEM}
        rendered_root = parse(rendered)
        self._rendered_ns = rendered_root.ns
        self._containers = {c.local: c for c in self.root.children if c.ns == self.ns}
        self._init_numfmts()
        r_fmts = {nf.get("numFmtId"): nf.get("formatCode") or ""
                  for nf in self._items(rendered_root, "numFmts")}
        self._fmt_map = {rid: self._fmt_id(code) for rid, code in r_fmts.items()}
        maps = {name: self._merge(name, self._items(rendered_root, name))
                for name in ("fonts", "fills", "borders")}
        user_style_xfs = self._containers.get("cellStyleXfs")
        has_style = user_style_xfs is not None and bool(user_style_xfs.find_all("xf"))
        xfs = []
        for xf in self._items(rendered_root, "cellXfs"):
            attrib = dict(xf.attrib)
            for key, name in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
                if ("", key) in attrib:
                    attrib[("", key)] = str(self._lookup(maps[name], attrib[("", key)], key))
            if ("", "numFmtId") in attrib:
                attrib[("", "numFmtId")] = self._fmt_map.get(attrib[("", "numFmtId")], attrib[("", "numFmtId")])
            if has_style:
                attrib[("", "xfId")] = "0"
            else:
                attrib.pop(("", "xfId"), None)
            xfs.append(replace(xf, attrib=attrib))
        self.xf_map = self._merge("cellXfs", xfs)
        dxfs = []
        for dxf in self._items(rendered_root, "dxfs"):
            children = []
            for child in dxf.children:
                if child.local == "numFmt":
                    attrib = dict(child.attrib)
                    attrib[("", "numFmtId")] = self._fmt_id(child.get("formatCode") or "")
                    child = replace(child, attrib=attrib)
                children.append(child)
            dxfs.append(replace(dxf, children=children))
        self.dxf_map = self._merge("dxfs", dxfs)
        self._write()

    # -- helpers -----------------------------------------------------------

    @staticmethod
    def _items(root: Element, container: str) -> list[Element]:
        el = root.find(container)
        return [] if el is None else el.find_all(ITEM[container])

    @staticmethod
    def _lookup(mapping: list[int], value: str, what: str) -> int:
        index = int(value)
        if not 0 <= index < len(mapping):
            raise ValueError(f"rendered styles: {what} {index} out of range")
        return mapping[index]

    def _init_numfmts(self) -> None:
        self._codes: dict[str, str] = {}
        highest = 163
        for nf in self._items(self.root, "numFmts"):
            num = nf.get("numFmtId") or ""
            if num.strip().isdigit():
                highest = max(highest, int(num))
            self._codes.setdefault(nf.get("formatCode") or "", num)
        self._next_fmt = highest + 1

    def _fmt_id(self, code: str) -> str:
        if code not in self._codes:
            num = str(self._next_fmt)
            self._next_fmt += 1
            self._codes[code] = num
            self._appended["numFmts"].append(Writer(self._context("numFmts")).element(
                self.ns, "numFmt", [("", "numFmtId", num), ("", "formatCode", code)]))
        return self._codes[code]

    def _context(self, container: str) -> Element:
        return self._containers.get(container, self.root)

    def _merge(self, container: str, nodes: list[Element]) -> list[int]:
        existing = self._items(self.root, container)
        index: dict[tuple, int] = {}
        for i, node in enumerate(existing):
            index.setdefault(canonical(node), i)
        writer = Writer(self._context(container), self.uri_map)
        mapping = []
        for node in nodes:
            key = canonical(node, self.uri_map)
            if key not in index:
                index[key] = len(existing) + len(self._appended[container])
                self._appended[container].append(writer.copy(node))
            mapping.append(index[key])
        return mapping

    def _write(self) -> None:
        for name in ORDER:
            texts = self._appended.get(name)
            if not texts:
                continue
            el = self._containers.get(name)
            if el is not None:
                total = len(self._items(self.root, name)) + len(texts)
                attrs = {b"count": str(total)} if el.get("count") is not None else None
                self.editor.append_children(el, b"".join(texts), attrs)
                continue
            text = Writer(self.root).element(self.ns, name, [("", "count", str(len(texts)))], b"".join(texts))
            later = [c for c in self.root.children
                     if c.ns == self.ns and c.local in ORDER and ORDER.index(c.local) > ORDER.index(name)]
            if later:
                self.editor.insert(later[0].start, text)
            else:
                self.editor.append_children(self.root, text)

    def result(self) -> bytes:
        return self.editor.result()
