"""CSV exports as Swedish systems write them: ``;``/``,``/tab separator,
decimal comma, cp1252 or UTF-8 (with or without BOM). Values stay text; the
readers parse amounts and codes, and positions are CSV line numbers.  A field
that is just an error value as Excel saves one (``#N/A``, ``#REF!``, in a
Swedish Excel ``#SAKNAS!`` …) is a ``CellError``, as in a workbook."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError
from .grid import Grid, error_text

_SEPARATORS = (";", "\t", ",")


def decode(data: bytes, display: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"filen börjar som UTF-8 (BOM) men är inte UTF-8 (byte {exc.start + 3})",
                             file=display) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"filen är UTF-16 men trasig (byte {exc.start})", file=display) from exc
    if b"\x00" in data[:4096]:
        half = len(data[:4096]) // 2 or 1
        for codec, zeros in (("utf-16-le", data[1:4096:2]), ("utf-16-be", data[0:4096:2])):
            if zeros.count(0) > half * 0.9:  # UTF-16 without BOM: every other byte of ASCII text is 0
                try:
                    return data.decode(codec)
                except UnicodeDecodeError as exc:
                    raise InputError(f"filen ser ut att vara UTF-16 men är trasig (byte {exc.start})",
                                     file=display) from exc
        raise InputError("filen innehåller NUL-tecken och är ingen textfil (CSV)", file=display)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"teckenkodningen känns inte igen (varken UTF-8 eller Windows-1252; byte {exc.start})",
            file=display,
        ) from exc


def sniff_separator(lines: list[str]) -> str:
    """The separator that splits the first lines most consistently."""
    best, best_score = ";", -1
    for sep in _SEPARATORS:
        counts = [len(next(csv.reader([line], delimiter=sep))) for line in lines if line.strip()]
        if not counts:
            continue
        width = max(counts)
        if width < 2:
            continue
        score = sum(1 for n in counts if n == width) * 100 + width
        if score > best_score:
            best, best_score = sep, score
    return best


def read_csv_grid(path: Path, display: str) -> Grid:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", file=display) from exc
    text = decode(data, display)
    sep = sniff_separator(text.splitlines()[:20])
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        for row in reader:
            while len(rows) < reader.line_num - 1:  # a quoted field spanning lines
                rows.append([])
            cells = [cell.strip() for cell in row]
            if any(cell.startswith("#") for cell in cells):  # an error value as Excel saves it: '#N/A', '#SAKNAS!'
                cells = [error_text(cell) or cell for cell in cells]
            rows.append(cells)
    except csv.Error as exc:
        raise InputError(f"rad {reader.line_num}: {exc}", file=display) from exc
    return Grid(path.name, display, rows, is_csv=True)
