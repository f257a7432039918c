"""What python-calamine does not give of a worksheet, read from its XML:
the merged ranges (``<mergeCells>``) and the cells that hold an Excel error
value (``<c t="e">``), which calamine hands out as ''.

Both are scanned while the part streams past, piece by piece (the caller
feeds the pieces that ``limits`` inflates and verifies).  ``MergeScan`` also
serves the streaming reader (``worksheet``), which reads the error cells
itself; ``scan`` is for a sheet that reader does not take, written in
any of the ways calamine reads: tags with a namespace prefix, attributes in
any order or quoted either way, cells without a reference (placed as
calamine places them, like ``limits.Extent``)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..ooxml import limits
from .grid import CellError, Merge

_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell[\s/>]")
_REF = re.compile(rb"""\sref\s*=\s*(["'])\s*([A-Za-z]{1,3})([0-9]{1,7})(?:\s*:\s*([A-Za-z]{1,3})([0-9]{1,7}))?\s*\1""")
# the rest of a start tag, quoted values skipped ('>' may stand in them): group 1 is '/' when it is empty
_TAG_REST = re.compile(rb"""(?:[^>"'/]|/(?!>)|"[^"]*"|'[^']*')*(/?)>""")
_HOLD = 1 << 16  # bytes held back at most while waiting for a tag's end


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


class MergeScan:
    """The merged ranges of a worksheet, from its ``<mergeCell ref="A3:A5"/>`` tags."""

    def __init__(self) -> None:
        self.merges: list[Merge] = []
        self._rest = b""

    def feed(self, piece: bytes) -> None:
        data = self._rest + piece
        cut = data.rfind(b"<")  # every tag that starts before the last '<' ends before it
        if cut < 0:
            self._rest = b""
            return
        self._scan(data[:cut])
        self._rest = data[cut:] if len(data) - cut < _HOLD else b""

    def close(self) -> list[Merge]:
        self._scan(self._rest)
        self._rest = b""
        return self.merges

    def _scan(self, data: bytes) -> None:
        if b"mergeCell" not in data:
            return
        for tag in _MERGE.finditer(data):
            end = _TAG_REST.match(data, tag.end() - 1)
            ref = _REF.search(data, tag.end() - 1, end.end() if end else len(data))
            if ref is None:
                continue
            r0, c0 = int(ref[3]) - 1, _col(ref[2])
            r1, c1 = (int(ref[5]) - 1, _col(ref[4])) if ref[4] else (r0, c0)
            self.merges.append(Merge(min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))


_ERROR_TYPE = re.compile(rb"""\st\s*=\s*(["'])\s*e\s*\1""")
_TAG = re.compile(rb"<(/?)(?:[^\s<>/:!?]+:)?(sheetData|row|c|v)(?=[\s/>])")
_R_ATTR = re.compile(rb"""\sr\s*=\s*(["'])\s*([A-Za-z]*)\s*([0-9]+)\s*\1""")
_T_ATTR = re.compile(rb"""\st\s*=\s*(["'])\s*([A-Za-z]*)\s*\1""")


def scan(stream: Callable[[Callable[[bytes], None]], object]) -> tuple[list[tuple[int, int, CellError]], list[Merge]]:
    """The error cells of a worksheet, as (row, column, CellError), 0-based and
    placed where calamine places them, and its merged ranges.  ``stream(sink)``
    hands the part's XML to ``sink`` piece by piece (verifying it); it is
    called once, and once more to place the error cells when a cell may hold
    one: that walk goes tag by tag."""
    first = _FirstPass()
    stream(first.feed)
    merges = first.merges.close()
    if not first.maybe:
        return [], merges
    walk = _Walk()
    stream(walk.feed)
    return walk.close(), merges


class _FirstPass:
    """The merged ranges, and whether an error type is written anywhere."""

    def __init__(self) -> None:
        self.maybe = False
        self.merges = MergeScan()
        self._tail = b""

    def feed(self, piece: bytes) -> None:
        self.merges.feed(piece)
        if not self.maybe:
            self.maybe = bool(_ERROR_TYPE.search(self._tail + piece))
            self._tail = piece[-16:]


class _Walk:
    """The second pass: every row and cell tag of sheetData, in order."""

    def __init__(self) -> None:
        self.errors: list[tuple[int, int, CellError]] = []
        self._rest = b""
        self._state = "prolog"  # prolog -> data -> done
        self._row = 0  # 1-based row of the last <row>
        self._col = 0  # 1-based column of the last cell since the last </row>
        self._pending: tuple[int, int] | None = None  # an error cell whose value is still to come

    def feed(self, piece: bytes) -> None:
        if self._state == "done":
            return
        data = self._rest + piece
        cut = data.rfind(b"<")
        if cut <= 0:  # no tag starts here, or one is still open: wait, but not forever (text holds no tag)
            self._rest = data if len(data) < limits.CHUNK + _HOLD else b""
            return
        self._scan(data, cut)
        self._rest = data[cut:]

    def close(self) -> list[tuple[int, int, CellError]]:
        if self._rest and self._state != "done":
            self._scan(self._rest + b"<", len(self._rest))
        return self.errors

    def _scan(self, data: bytes, cut: int) -> None:
        from .worksheet import xml_text  # (worksheet imports this module)

        for tag in _TAG.finditer(data, 0, cut):
            closing, name = tag.groups()
            if self._state == "prolog":
                if name == b"sheetData" and not closing:
                    end = _TAG_REST.match(data, tag.end())
                    self._state = "done" if end is not None and end[1] else "data"
                continue
            if name == b"sheetData":
                self._state = "done"
                return
            if closing:
                if name == b"row":
                    self._col = 0
                continue
            end = _TAG_REST.match(data, tag.end())
            if end is None:  # not a tag calamine reads either
                continue
            attrs = data[tag.end() : end.end()]
            if name == b"row":
                refs = _R_ATTR.findall(attrs)
                self._row = int(refs[-1][2]) if refs else self._row + 1
                continue
            if name == b"v":
                if self._pending is not None and not end[1]:
                    stop = data.find(b"<", end.end())
                    text = data[end.end() : stop].decode("utf-8", "replace").strip()
                    if text:
                        self.errors.append((*self._pending, CellError(xml_text(text))))
                self._pending = None
                continue
            refs = [r for r in _R_ATTR.findall(attrs) if r[1]]  # a cell: its last reference wins
            if refs:
                row, self._col = int(refs[-1][2]), _col(refs[-1][1]) + 1
            else:
                row, self._col = max(self._row, 1), self._col + 1
            kinds = _T_ATTR.findall(attrs)
            error = bool(kinds) and kinds[-1][1] == b"e"
            self._pending = (row - 1, self._col - 1) if error and not end[1] else None
