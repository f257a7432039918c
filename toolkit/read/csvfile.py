"""CSV exports as Swedish systems write them: ``;``/``,``/tab separator,
decimal comma, cp1252 or UTF-8 (with or without BOM). Values stay text; the
readers parse amounts and codes, and positions are CSV line numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError
from .grid import Grid

_SEPARATORS = (";", "\t", ",")


def decode(data: bytes, display: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
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
            rows.append([cell.strip() for cell in row])
    except csv.Error as exc:
        raise InputError(f"rad {reader.line_num}: {exc}", file=display) from exc
    return Grid(path.name, display, rows, is_csv=True)
