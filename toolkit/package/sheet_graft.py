"""Adapting a rendered worksheet part to the user's workbook.

* shared-string cells become inline strings (``t="inlineStr"``), so the
  user's sharedStrings part is never created or renumbered;
* every style index (``c/@s``, ``row/@s``, ``col/@style``) and every
  conditional-format ``dxfId`` is remapped to the merged styles part; cells
  without ``s`` get the rendered default format explicitly when it is not
  the user's format 0 (so a workbook whose default font is Arial 10 does not
  mix fonts within our sheet);
* ``tabSelected`` is removed (Excel would open with grouped sheets);
* in a Strict package the namespace URIs are switched to Strict ones.

The part is edited by splicing, like the index parts, so everything else the
renderer wrote (merged cells, panes, page setup, header/footer) is kept.
"""

from __future__ import annotations

import re

from ..ooxml.xmlspan import Editor, XmlError, check, parse, set_attrs


def _remap(value: str | None, mapping: list[int], what: str) -> str | None:
    if value is None:
        return None
    index = int(value)
    if not 0 <= index < len(mapping):
        raise ValueError(f"rendered sheet uses {what} {index}, which its styles part lacks")
    return str(mapping[index])


#: sheet data larger than this is adapted by pattern (``_bulk``) when every cell is one XlsxWriter writes plainly
BULK = 1 << 20
_SHEET_DATA = re.compile(rb"<sheetData>(.*)</sheetData>", re.S)
_BULK_CELL = re.compile(rb'<c r="([A-Z]{1,3}\d+)"(?: s="(\d+)")?(?:( t="s")><v>(\d+)</v></c>)?')
_PLACEHOLDER = b"<!--reconcile-sheet-data-->"


def graft_sheet(xml: bytes, shared: list[bytes], xf_map: list[int], dxf_map: list[int],
                uri_map: dict[str, str]) -> bytes:
    found = _SHEET_DATA.search(xml) if len(xml) > BULK else None
    if found is not None and len(found.group(1)) > BULK:
        body = found.group(1)
        if body.count(b"<c ") == len(_BULK_CELL.findall(body)) and not re.search(rb"<row [^>]*\ss=", body):
            rest = _adapt(xml[:found.start(1)] + _PLACEHOLDER + xml[found.end(1):], shared, xf_map, dxf_map,
                          uri_map)
            return rest.replace(_PLACEHOLDER, _bulk(body, shared, xf_map), 1)
    return _adapt(xml, shared, xf_map, dxf_map, uri_map)


def _adapt(xml: bytes, shared: list[bytes], xf_map: list[int], dxf_map: list[int], uri_map: dict[str, str]) -> bytes:
    """``_graft``'s result: by ``_scan`` when the part is in the plain form it reads, else by ``_graft``."""
    scanned = _scan(xml, shared, xf_map, dxf_map, uri_map)
    return scanned if scanned is not None else _graft(xml, shared, xf_map, dxf_map, uri_map)


def _bulk(body: bytes, shared: list[bytes], xf_map: list[int]) -> bytes:
    """The cells of a large sheet adapted as ``_graft`` adapts them (styles
    remapped, shared strings inline), by pattern: a sheet of 200 000 rows
    would take minutes to parse element by element."""
    default = str(xf_map[0]).encode() if xf_map and xf_map[0] != 0 else None
    mapped = {str(i).encode(): str(x).encode() for i, x in enumerate(xf_map)}

    def style(index: bytes) -> bytes:
        if index not in mapped:
            _remap(index.decode(), xf_map, "cell format")  # raises
        return mapped[index]

    # every cell's style (the pieces at odd positions of the split), then the few cells without one
    # and the shared strings (the headings)
    pieces = _STYLE.split(body)
    pieces[1::2] = [b' s="' + style(index) + b'"' for index in pieces[1::2]]
    body = b"".join(pieces)
    if default is not None:
        body = _NO_STYLE.sub(lambda m: m.group(1) + b' s="' + default + b'"', body)

    def inline(m: re.Match) -> bytes:
        k = int(m.group(2))
        if not 0 <= k < len(shared):
            raise ValueError(f"rendered cell {m.group(1).decode()} refers to missing shared string")
        return m.group(1) + b' t="inlineStr"><is>' + (shared[k] or b"<t></t>") + b"</is></c>"

    return _SHARED.sub(inline, body)


_STYLE = re.compile(rb' s="(\d+)"')
_NO_STYLE = re.compile(rb'(<c r="[A-Z]{1,3}\d+")(?! s=")')
_SHARED = re.compile(rb'(<c r="[A-Z]{1,3}\d+"(?: s="\d+")?) t="s"><v>(\d+)</v></c>')


def _graft(xml: bytes, shared: list[bytes], xf_map: list[int], dxf_map: list[int], uri_map: dict[str, str]) -> bytes:
    try:
        root = parse(xml)
    except XmlError as exc:
        raise ValueError(f"rendered sheet is not well-formed: {exc}") from None
    editor = Editor(xml)
    if uri_map:
        head = xml[root.start:root.head_end]
        for old, new in uri_map.items():
            head = head.replace(b'"' + old.encode() + b'"', b'"' + new.encode() + b'"')
        editor.replace(root.start, root.head_end, head)
    for el in root.iter():
        if el is root or el.ns != root.ns:
            continue
        if el.local == "c":
            changes: dict[bytes, str | None] = {}
            if el.get("s") is not None:
                changes[b"s"] = _remap(el.get("s"), xf_map, "cell format")
            elif xf_map and xf_map[0] != 0:  # keep the rendered default format, not the user's
                changes[b"s"] = str(xf_map[0])
            if el.get("t") == "s":
                v = el.find("v")
                index = int(v.text) if v is not None else -1
                if not 0 <= index < len(shared):
                    raise ValueError(f"rendered cell {el.get('r')} refers to missing shared string")
                changes[b"t"] = "inlineStr"
                head = set_attrs(xml[el.start:el.head_end], changes)
                if head.endswith(b"/>"):
                    head = head[:-2] + b">"
                body = shared[index] or b"<t></t>"
                editor.replace(el.start, el.end, head + b"<is>" + body + b"</is></c>")
            elif changes:
                editor.set_attrs(el, changes)
        elif el.local == "row" and el.get("s") is not None:
            editor.set_attrs(el, {b"s": _remap(el.get("s"), xf_map, "row format")})
        elif el.local == "col" and el.get("style") is not None:
            editor.set_attrs(el, {b"style": _remap(el.get("style"), xf_map, "column format")})
        elif el.local == "cfRule" and el.get("dxfId") is not None:
            editor.set_attrs(el, {b"dxfId": _remap(el.get("dxfId"), dxf_map, "differential format")})
        elif el.local == "sheetView" and el.get("tabSelected") is not None:
            editor.set_attrs(el, {b"tabSelected": None})
    return editor.result()


# -- the same edits without building the element tree ------------------------------------------------

#: the start tag of an element ``_graft`` may edit (its prefix, its local name)
_EDITED = re.compile(rb"<(?:([^\s/>:!?<]+):)?(c|row|col|cfRule|sheetView)(?=[\s/>])")
_HEAD = re.compile(rb"""<[^\s/>]+((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>""")
_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_XMLNS = re.compile(rb"""\sxmlns(?::([^\s=/>]+))?\s*=\s*("[^"]*"|'[^']*')""")
_DECLARATION = re.compile(rb"<\?xml[^?]*\?>")
_UTF8 = re.compile(rb"""^<\?xml(?:(?!encoding).)*(?:encoding\s*=\s*["']utf-8["'](?:(?!encoding).)*)?\?>$""", re.I | re.S)
_SHARED_VALUE = re.compile(rb"<v>(\d+)</v></c>")
#: attribute values read as they are written: ``_graft`` reads them through expat (entities
#: resolved, whitespace normalised), so a value with any of these is left to it
_NOT_PLAIN = re.compile(rb"[&\t\n\r]")


def _scan(xml: bytes, shared: list[bytes], xf_map: list[int], dxf_map: list[int],
          uri_map: dict[str, str]) -> bytes | None:
    """What ``_graft`` writes, found by pattern over the start tags instead of an
    element tree (a rendered sheet of a few thousand cells took most of a
    run's graft to parse); None when the part is not in the plain form this
    reads — every namespace declared on the root, no comment, CDATA section
    or processing instruction, attribute values as written, shared-string
    cells as ``<v>N</v></c>`` — and ``_graft`` must read it.  Where every
    ``<`` outside those forms starts a tag, the tags found are the elements
    ``_graft`` visits, in the same namespace, with the same attributes."""
    try:
        check(xml)
    except XmlError as exc:
        raise ValueError(f"rendered sheet is not well-formed: {exc}") from None
    declaration = _DECLARATION.match(xml)
    begin = declaration.end() if declaration else 0
    if b"<!" in xml or b"<?" in xml[begin:] or (declaration and not _UTF8.search(declaration.group())):
        return None
    root_at = xml.index(b"<", begin)
    root = _HEAD.match(xml, root_at)
    if root is None or b":" in xml[root_at:root.start(1)]:  # a prefixed root: left to _graft
        return None
    root_head = xml[root_at:root.end()]
    declared = {(m.group(1) or b""): m.group(2)[1:-1] for m in _XMLNS.finditer(root_head)}
    if xml.count(b"xmlns") != root_head.count(b"xmlns") or _NOT_PLAIN.search(b"".join(declared.values())):
        return None
    root_ns = declared.get(b"")
    editor = Editor(xml)
    if uri_map:
        head = root_head
        for old, new in uri_map.items():
            head = head.replace(b'"' + old.encode() + b'"', b'"' + new.encode() + b'"')
        editor.replace(root_at, root.end(), head)
    default = str(xf_map[0]) if xf_map and xf_map[0] != 0 else None
    cells: dict[bytes, tuple[bytes, bool] | None] = {}  # a cell's start tag after r="…" -> its edit
    for tag in _EDITED.finditer(xml, root.end()):
        prefix, local = tag.group(1), tag.group(2)
        if prefix is not None and declared.get(prefix) != root_ns:
            continue  # another namespace (x14:cfRule): _graft leaves it
        start = tag.start()
        cell = _CELL.match(xml, start) if prefix is None and local == b"c" else None
        if cell is not None:  # the edit depends on the attributes after r="…" alone: once per form
            head_end, tail = cell.end(), cell.group(2)
            if tail not in cells:
                edit = _edit(b"c", _CELL_STEM + tail, xf_map, dxf_map, default)
                cells[tail] = None if edit is None else (edit[0][len(_CELL_STEM):], edit[1])
            edit = cells[tail]
            if edit is not None:
                edit = (xml[start:cell.end(1) + 1] + edit[0], edit[1])
        else:
            found = _HEAD.match(xml, start)
            if found is None:
                return None
            head_end = found.end()
            edit = _edit(local, xml[start:head_end], xf_map, dxf_map, default)
        if edit is None:
            return None
        head, shared_cell = edit
        if shared_cell:
            value = _SHARED_VALUE.match(xml, head_end) if not head.endswith(b"/>") else None
            if value is None:
                return None
            index = int(value.group(1))
            if not 0 <= index < len(shared):
                r = _attrs(xml[start:head_end]).get(b"r")
                raise ValueError(f"rendered cell {None if r is None else r.decode()} refers to missing shared string")
            editor.replace(start, value.end(), head + b"<is>" + (shared[index] or b"<t></t>") + b"</is></c>")
        elif head != xml[start:head_end]:
            editor.replace(start, head_end, head)
    return editor.result()


_CELL = re.compile(rb"""<c r="([A-Z]{1,3}\d+)"((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>)""")
_CELL_STEM = b'<c r="A1"'


def _attrs(head: bytes) -> dict[bytes, bytes]:
    """The attributes of a start tag as written (the name too: ``<c``, by ``_ATTR``'s form, is none)."""
    return {m.group(1): m.group(2)[1:-1] for m in _ATTR.finditer(head)}


def _edit(local: bytes, head: bytes, xf_map: list[int], dxf_map: list[int],
          default: str | None) -> tuple[bytes, bool] | None:
    """The start tag as ``_graft`` rewrites it, and whether the element is a
    shared-string cell (its ``<v>`` becomes the string); None when an
    attribute it reads is not plain."""
    attrs = _attrs(head)
    if any(b":" not in name and _NOT_PLAIN.search(value) for name, value in attrs.items()):
        return None
    if local == b"c":
        changes: dict[bytes, str | None] = {}
        s = attrs.get(b"s")
        if s is not None:
            changes[b"s"] = _remap(s.decode(), xf_map, "cell format")
        elif default is not None:  # keep the rendered default format, not the user's
            changes[b"s"] = default
        shared_cell = attrs.get(b"t") == b"s"
        if shared_cell:
            changes[b"t"] = "inlineStr"
        return (set_attrs(head, changes) if changes else head), shared_cell
    if local == b"row" and b"s" in attrs:
        return set_attrs(head, {b"s": _remap(attrs[b"s"].decode(), xf_map, "row format")}), False
    if local == b"col" and b"style" in attrs:
        return set_attrs(head, {b"style": _remap(attrs[b"style"].decode(), xf_map, "column format")}), False
    if local == b"cfRule" and b"dxfId" in attrs:
        return set_attrs(head, {b"dxfId": _remap(attrs[b"dxfId"].decode(), dxf_map, "differential format")}), False
    if local == b"sheetView" and b"tabSelected" in attrs:
        return set_attrs(head, {b"tabSelected": None}), False
    return head, False
