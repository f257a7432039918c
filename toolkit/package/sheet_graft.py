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

from ..ooxml.xmlspan import Editor, XmlError, parse, set_attrs


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
            rest = _graft(xml[:found.start(1)] + _PLACEHOLDER + xml[found.end(1):], shared, xf_map, dxf_map,
                          uri_map)
            return rest.replace(_PLACEHOLDER, _bulk(body, shared, xf_map), 1)
    return _graft(xml, shared, xf_map, dxf_map, uri_map)


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
