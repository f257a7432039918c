"""Byte-exact editing of the package's index parts.

ElementTree would re-serialise a whole part: it renames namespace prefixes,
drops declarations it thinks unused (``mc:Ignorable="x14ac xr"`` names
prefixes in an attribute value, so their declarations must stay) and loses
the original formatting.  Instead we parse with expat -- refusing DTDs and
entity declarations exactly as defusedxml does -- and remember for every
element the byte offsets of its start tag and end tag.  Edits are splices at
those element boundaries; every byte outside an edit is kept as it was.

New elements are written with the prefixes already in scope at the place
they go (``x:`` or default namespace, Strict or Transitional); a namespace not
in scope there is declared on the new element itself.
"""

from __future__ import annotations

import re
import xml.parsers.expat as expat
from dataclasses import dataclass, field

XML_NS = "http://www.w3.org/XML/1998/namespace"
PREFERRED_PREFIXES = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
    "http://purl.oclc.org/ooxml/officeDocument/relationships": "r",
}

_HEAD = re.compile(rb"""<([^\s/>]+)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")


def escape(text: str) -> str:
    """Text content escaped (as xml.sax.saxutils does, without importing it:
    it pulls in urllib and http.client)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """An attribute value escaped and quoted, as xml.sax.saxutils.quoteattr does."""
    value = escape(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in value:
        if "'" in value:
            return '"' + value.replace('"', "&quot;") + '"'
        return "'" + value + "'"
    return '"' + value + '"'


class XmlError(ValueError):
    """A part is not well-formed XML or uses a DTD (never legitimate in OOXML)."""


@dataclass(eq=False)
class Element:
    ns: str
    local: str
    attrib: dict[tuple[str, str], str]
    nsmap: dict[str, str]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text: str = ""
    start: int = 0  # offset of '<'
    head_end: int = 0  # offset just after the start tag's '>'
    close_start: int = 0  # offset of '</' (== head_end for an empty element)
    end: int = 0  # offset just after the element
    empty: bool = False  # written as <x/>

    def get(self, local: str, default: str | None = None, ns: str = "") -> str | None:
        return self.attrib.get((ns, local), default)

    def find_all(self, local: str, ns: str | None = None) -> list[Element]:
        ns = self.ns if ns is None else ns
        return [c for c in self.children if c.local == local and c.ns == ns]

    def find(self, local: str, ns: str | None = None) -> Element | None:
        found = self.find_all(local, ns)
        return found[0] if found else None

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def prefix_for(self, uri: str) -> str | None:
        """A prefix bound to ``uri`` here ('' = default namespace), or None."""
        if self.nsmap.get("") == uri:
            return ""
        for prefix, bound in self.nsmap.items():
            if bound == uri and prefix:
                return prefix
        return None


def _split(name: str) -> tuple[str, str]:
    if " " in name:
        uri, local = name.split(" ", 1)
        return uri, local
    return "", name


def _forbid(*_args):
    raise XmlError("DTDs and entity declarations are not allowed")


def _parser(data: bytes):
    """An expat parser for ``data`` that refuses a UTF-16 part, DTDs and entity declarations."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise XmlError("UTF-16 parts are not supported")
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    return parser


def parse(data: bytes) -> Element:
    """Parse ``data`` and return the root element with byte spans."""
    parser = _parser(data)
    stack: list[Element] = []
    pending: dict[str, str] = {}
    result: list[Element] = []
    texts: dict[int, list[str]] = {}

    def ns_decl(prefix, uri):
        pending[prefix or ""] = uri or ""

    names: dict[str, tuple[str, str]] = {}

    def split(name: str) -> tuple[str, str]:
        found = names.get(name)
        if found is None:
            found = names[name] = _split(name)
        return found

    def start(name, attrs):
        index = parser.CurrentByteIndex
        match = _HEAD.match(data, index)
        if match is None:
            raise XmlError(f"cannot locate start tag at byte {index}")
        parent = stack[-1] if stack else None
        nsmap = parent.nsmap if parent else {"xml": XML_NS}
        if pending:
            nsmap = {**nsmap, **pending}
            pending.clear()
        el = Element(*split(name), {split(k): v for k, v in attrs.items()}, nsmap, parent)
        el.start, el.head_end = index, match.end()
        el.empty = bool(match.group(2))
        if parent is None:
            result.append(el)
        else:
            parent.children.append(el)
        stack.append(el)

    def end(_name):
        el = stack.pop()
        if el.empty:
            el.close_start = el.end = el.head_end
        else:
            el.close_start = parser.CurrentByteIndex
            el.end = data.index(b">", el.close_start) + 1
        if id(el) in texts:
            el.text = "".join(texts.pop(id(el)))

    def chars(text):
        if stack:
            texts.setdefault(id(stack[-1]), []).append(text)

    parser.StartNamespaceDeclHandler = ns_decl
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlError(str(exc)) from exc
    if not result:
        raise XmlError("no root element")
    return result[0]


def check(data: bytes) -> None:
    """``XmlError`` unless ``data`` is a part that ``parse`` takes (the same
    checks, by expat alone: no element is built)."""
    parser = _parser(data)
    roots = []

    def start(_name, _attrs):
        roots.append(True)
        parser.StartElementHandler = None  # the root is enough

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlError(str(exc)) from exc
    if not roots:
        raise XmlError("no root element")


def qname(data: bytes, el: Element) -> bytes:
    """The element's qualified name exactly as written in the part."""
    return _HEAD.match(data, el.start).group(1)


_ATTR_RES: dict[bytes, re.Pattern] = {}


def _attr_re(name: bytes) -> re.Pattern:
    found = _ATTR_RES.get(name)
    if found is None:
        found = _ATTR_RES[name] = re.compile(rb"(\s)" + re.escape(name) + rb"""\s*=\s*("[^"]*"|'[^']*')""")
    return found


def set_attrs(head: bytes, changes: dict[bytes, str | None]) -> bytes:
    """Rewrite a start tag: set (or, with None, remove) the named attributes."""
    for name, value in changes.items():
        pattern = _attr_re(name)
        if value is None:
            head = pattern.sub(b"", head, count=1)
        elif pattern.search(head):
            new = quoteattr(value).encode("utf-8")
            head = pattern.sub(lambda m, new=name + b"=" + new: m.group(1) + new, head, count=1)
        else:
            cut = len(head) - (2 if head.endswith(b"/>") else 1)
            while cut > 0 and head[cut - 1 : cut].isspace():
                cut -= 1
            head = head[:cut] + b" " + name + b"=" + quoteattr(value).encode("utf-8") + head[cut:]
    return head


class Editor:
    """Collects splices on one part's bytes and applies them in one go."""

    def __init__(self, data: bytes):
        self.data = data
        self._edits: list[tuple[int, int, int, bytes]] = []

    def replace(self, start: int, end: int, text: bytes) -> None:
        self._edits.append((start, end, len(self._edits), text))

    def insert(self, pos: int, text: bytes) -> None:
        self.replace(pos, pos, text)

    def delete(self, el: Element) -> None:
        self.replace(el.start, el.end, b"")

    def set_attrs(self, el: Element, changes: dict[bytes, str | None]) -> None:
        head = self.data[el.start : el.head_end]
        new = set_attrs(head, changes)
        if new != head:
            self.replace(el.start, el.head_end, new)

    def append_children(self, el: Element, text: bytes, attrs: dict[bytes, str | None] | None = None) -> None:
        """Add ``text`` as the last children of ``el`` (opening ``<x/>`` if needed)."""
        head = self.data[el.start : el.head_end]
        if attrs:
            head = set_attrs(head, attrs)
        if el.empty:
            head = head[:-2].rstrip() + b">"
            self.replace(el.start, el.end, head + text + b"</" + qname(self.data, el) + b">")
        else:
            if head != self.data[el.start : el.head_end]:
                self.replace(el.start, el.head_end, head)
            self.insert(el.close_start, text)

    @property
    def changed(self) -> bool:
        return bool(self._edits)

    def result(self) -> bytes:
        edits = sorted(self._edits)
        out, pos = [], 0
        for start, end, _seq, text in edits:
            if start < pos:
                raise AssertionError("overlapping XML edits")
            out.append(self.data[pos:start])
            out.append(text)
            pos = end
        out.append(self.data[pos:])
        return b"".join(out)


# -- writing new elements ------------------------------------------------------


class Writer:
    """Serialise new elements using the prefixes in scope at ``context``."""

    def __init__(self, context: Element, uri_map: dict[str, str] | None = None,
                 preferred: dict[str, str] | None = None):
        self.nsmap = context.nsmap
        self.uri_map = uri_map or {}
        self.preferred = {**PREFERRED_PREFIXES, **(preferred or {})}

    def element(self, ns: str, local: str, attrs: list[tuple[str, str, str]],
                body: bytes = b"", text: str = "", nsmap: dict[str, str] | None = None) -> bytes:
        """``attrs`` is a list of (namespace, local name, value)."""
        scope = dict(self.nsmap if nsmap is None else nsmap)
        decls: list[tuple[str, str]] = []

        def prefix(uri: str, is_attr: bool) -> str:
            uri = self.uri_map.get(uri, uri)
            if not uri:
                return ""
            if uri == XML_NS:
                return "xml:"
            if not is_attr and scope.get("") == uri:
                return ""
            for p, bound in scope.items():
                if p and bound == uri:
                    return p + ":"
            if not is_attr and "" not in scope:
                scope[""] = uri
                decls.append(("xmlns", uri))
                return ""
            new = self.preferred.get(uri)
            if new is None or new in scope:
                n = 0
                while f"ns{n}" in scope:
                    n += 1
                new = f"ns{n}"
            scope[new] = uri
            decls.append((f"xmlns:{new}", uri))
            return new + ":"

        name = prefix(ns, False) + local
        parts = [f"{prefix(a_ns, True)}{a_local}={quoteattr(value)}" for a_ns, a_local, value in attrs]
        parts = [f"{d}={quoteattr(u)}" for d, u in decls] + parts
        head = "<" + " ".join([name, *parts])
        if not body and not text:
            return (head + "/>").encode("utf-8")
        return (head + ">").encode("utf-8") + escape(text).encode("utf-8") + body + f"</{name}>".encode()

    def copy(self, node: Element, attrib: dict[tuple[str, str], str] | None = None,
             nsmap: dict[str, str] | None = None) -> bytes:
        """Serialise a node of another document (attributes optionally replaced)."""
        attrib = node.attrib if attrib is None else attrib
        scope = dict(self.nsmap if nsmap is None else nsmap)
        body = b"".join(self.copy(child, nsmap=scope) for child in node.children)
        text = node.text if not node.children else ""
        return self.element(node.ns, node.local, [(ns, local, v) for (ns, local), v in attrib.items()],
                            body, text, nsmap=scope)


def canonical(node: Element, uri_map: dict[str, str] | None = None, attrib: dict | None = None) -> tuple:
    """A comparable form: expanded names, attributes unordered, whitespace text ignored."""
    uri_map = uri_map or {}
    attrib = node.attrib if attrib is None else attrib
    attrs = frozenset(((uri_map.get(ns, ns), local), value) for (ns, local), value in attrib.items())
    return (uri_map.get(node.ns, node.ns), node.local, attrs,
            tuple(canonical(c, uri_map) for c in node.children), node.text.strip())
