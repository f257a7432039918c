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

from ..ooxml.xmlspan import Editor, XmlError, parse, set_attrs


def _remap(value: str | None, mapping: list[int], what: str) -> str | None:
    if value is None:
        return None
    index = int(value)
    if not 0 <= index < len(mapping):
        raise ValueError(f"rendered sheet uses {what} {index}, which its styles part lacks")
    return str(mapping[index])


def graft_sheet(xml: bytes, shared: list[bytes], xf_map: list[int], dxf_map: list[int],
                uri_map: dict[str, str]) -> bytes:
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
