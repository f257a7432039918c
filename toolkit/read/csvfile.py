"""CSV exports as Swedish systems write them: ``;``/``,``/tab separator,
decimal comma, cp1252 or UTF-8 (with or without BOM). Values stay text; the
readers parse amounts and codes, and positions are CSV line numbers.  A field
that is just an error value as Excel saves one (``#N/A``, ``#REF!``, in a
Swedish Excel ``#SAKNAS!`` …) is a ``CellError``, as in a workbook."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import InputError
from ..findings import Finding
from .grid import Grid, error_text
from .headers import ALIASES, canonical

_SEPARATORS = (";", "\t", ",")


def decode_as(data: bytes, display: str) -> tuple[str, str]:
    """The file's text (``decode``) and the encoding it was read in (``utf-8``, ``utf-16``, ``cp1252``)."""
    text = decode(data, display)
    if data.startswith(b"\xef\xbb\xbf"):
        return text, "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return text, "utf-16"
    return text, "cp1252" if len(text) == len(data) and not text.isascii() else "utf-8"  # (one byte a sign)


#: Ä Å Ö ä å é ö written as UTF-8: as Windows-1252 "Ã" and a sign, which Swedish text never has
_UTF8_LETTER = re.compile(rb"\xc3[\x84\x85\x96\xa4\xa5\xa9\xb6]")


def utf8_letter(data: bytes) -> int:
    """Where the first Swedish letter written as UTF-8 starts in ``data``, or
    -1: looked for only where a byte C3 is (rare in Windows-1252)."""
    at = data.find(b"\xc3")
    while at >= 0:
        if _UTF8_LETTER.match(data, at):
            return at
        at = data.find(b"\xc3", at + 1)
    return -1


def mixed_encoding(data: bytes, display: str) -> Finding | None:
    """A warning for a file read as Windows-1252 (it is not UTF-8 throughout)
    that has Swedish letters written as UTF-8: a file put together from two
    exports, or edited in two programs.  Read as one encoding, the letters of
    the other are wrong (å as "Ã¥"): in codes, they no longer match the budget's."""
    letter = utf8_letter(data)
    if letter < 0:
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        bad = exc.start
    return two_encodings(display, data.count(b"\n", 0, bad) + 1, data.count(b"\n", 0, letter) + 1,
                         data[letter:letter + 2])


def two_encodings(display: str, line_cp1252: int, line_utf8: int, letter: bytes) -> Finding:
    """The warning of a file of Windows-1252 lines (the first on ``line_cp1252``)
    and UTF-8 letters (the first, ``letter``'s two bytes, on ``line_utf8``)."""
    return Finding("teckenkodning-blandad", f"{display}: rad {line_cp1252}",
                   f"filen blandar två teckenkodningar: rad {line_cp1252} är Windows-1252 men rad {line_utf8} har å, "
                   f"ä eller ö skrivna i UTF-8; hela filen läses som Windows-1252, så de bokstäverna blir fel "
                   f"(\"{letter.decode('cp1252')}\") och koder med dem matchar inte budgetens; spara filen i en "
                   "enda teckenkodning", "varning")


def decode(data: bytes, display: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"filen börjar som UTF-8 (BOM) men är inte UTF-8 (byte {exc.start + 3})",
                             file=display, slug="teckenkodning-ogiltig") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"filen är UTF-16 men trasig (byte {exc.start})", file=display,
                             slug="teckenkodning-ogiltig") from exc
    if b"\x00" in data[:4096]:
        half = len(data[:4096]) // 2 or 1
        for codec, zeros in (("utf-16-le", data[1:4096:2]), ("utf-16-be", data[0:4096:2])):
            if zeros.count(0) > half * 0.9:  # UTF-16 without BOM: every other byte of ASCII text is 0
                try:
                    return data.decode(codec)
                except UnicodeDecodeError as exc:
                    raise InputError(f"filen ser ut att vara UTF-16 men är trasig (byte {exc.start})",
                                     file=display, slug="teckenkodning-ogiltig") from exc
        raise InputError("filen innehåller NUL-tecken och är ingen textfil (CSV)", file=display, slug="inte-textfil")
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
            slug="teckenkodning-ogiltig",
        ) from exc


def sniff_separator(lines: list[str]) -> tuple[str, int]:
    """The separator of the first lines (with their line ends; a quoted value
    may span lines), and the number of fields of the widest of them: the one
    that splits a line into the most known headers (Period, Konto, Belopp …),
    then the one that gives the most fields — every field counted, not the
    lines of one width, so that a decimal comma does not win over a ``;``
    whose lines vary in width (Excel leaves out empty cells at a line's end)."""
    best, best_score, best_width = ";", (-1, -1), 1
    for sep in _SEPARATORS:
        try:
            rows = [row for row in csv.reader(lines, delimiter=sep) if any(f.strip() for f in row)]
        except csv.Error:
            continue
        counts = [len(row) for row in rows]
        if not counts or max(counts) < 2:
            continue
        score = (max(sum(1 for f in row if canonical(f) in ALIASES) for row in rows), sum(counts))
        if score > best_score:
            best, best_score, best_width = sep, score, max(counts)
    return best, best_width


def clean(row: list[str]) -> list:
    """A record's fields as cells: stripped, and a field that is an error value as
    Excel saves one ('#N/A', '#SAKNAS!') a ``CellError``."""
    cells = [cell.strip() for cell in row]
    if any(cell.startswith("#") for cell in cells):
        cells = [error_text(cell) or cell for cell in cells]
    return cells


_HINT = "rätta raden i filen och kör igen (en text som innehåller skiljetecknet ska stå inom citattecken)"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_csv_grid(path: Path, display: str) -> Grid:
    """The file's lines as rows of text fields (row i is line i + 1; a record
    whose quoted value spans lines sits on its first line, the lines after it
    blank).  A quote that is never closed, or that swallows whole lines of
    the table, stops the run naming the line where it opened."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", file=display, slug="fil-saknas") from exc
    text, encoding = decode_as(data, display)
    note = mixed_encoding(data, display) if encoding == "cp1252" else None
    lines = io.StringIO(text, newline="").readlines()  # split as the csv module splits them
    sep, width = sniff_separator(lines[:20])
    rows: list[list[str]] = []
    reader = csv.reader(lines, delimiter=sep)
    start = 1  # the line the next record starts on
    try:
        for row in reader:
            if reader.line_num > start or reader.line_num == len(lines):  # a quoted value spanning lines, the end
                _check_quotes(row, start, reader.line_num, lines, sep, width, display)
            while len(rows) < start - 1:
                rows.append([])
            rows.append(clean(row))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # 128 kB in one value: a quote that is not closed
            raise InputError(f"rad {start}: citattecknet (\") som börjar ett värde på raden stängs inte förrän "
                             f"värdet är över 128 kB; rätta citattecknet och kör igen", file=display,
                             slug="citattecken-oavslutat", line=start) from exc
        if "NUL" in str(exc):
            raise InputError(f"rad {reader.line_num}: raden innehåller NUL-tecken; filen är ingen textfil (CSV)",
                             file=display, slug="inte-textfil", line=reader.line_num) from exc
        raise InputError(f"rad {reader.line_num}: raden kan inte läsas som CSV ({exc})", file=display,
                         slug="csv-rad-olasbar", line=reader.line_num) from exc
    return Grid(path.name, display, rows, is_csv=True, notes=[note] if note else [])


def _check_quotes(row: list[str], start: int, end: int, lines: list[str], sep: str, width: int,
                  display: str) -> None:
    """A record on lines start..end: its quoted value may hold line breaks
    (a text typed with Alt+Enter), but not a quote left open at the end of
    the file, nor whole lines of the table (as many separators as a row)."""
    if end == len(lines) and (line := _open_quote("".join(lines[start - 1 : end]), sep)) is not None:
        raise _unclosed(start + line, display)
    line = start
    for value in row:
        breaks = len(_LINE_BREAK.findall(value))
        if breaks and width > 1 and value.count(sep) >= width - 1:
            raise InputError(
                f"rad {line}: citattecknet (\") som börjar ett värde på raden stängs först på rad {line + breaks}, "
                f"så raderna däremellan skulle läsas som text i ett enda fält; rätta citattecknet och kör igen",
                file=display, slug="citattecken-oavslutat", line=line)
        line += breaks


def _unclosed(line: int, display: str) -> InputError:
    return InputError(f"rad {line}: citattecknet (\") som börjar ett värde på raden stängs aldrig, så resten av filen "
                      "skulle läsas som text i ett enda fält; rätta citattecknet och kör igen", file=display,
                      slug="citattecken-oavslutat", line=line)


def _quotes(text: str, sep: str):
    """(position, opens) for each quote that opens or closes a quoted value, as
    the csv module reads them (a quote inside an unquoted value is text)."""
    inside, at = False, 0
    while (j := text.find('"', at)) >= 0:
        if inside:
            if text.startswith('"', j + 1):  # "" inside quotes
                at = j + 2
                continue
            inside = False
            yield j, False
        elif j == 0 or text[j - 1] in (sep, "\n", "\r"):
            inside = True
            yield j, True
        at = j + 1


def _open_quote(text: str, sep: str) -> int | None:
    """The line (0 = the first of ``text``) of the quote still open at its end, or None."""
    events = list(_quotes(text, sep))
    if not events or not events[-1][1]:
        return None
    return len(_LINE_BREAK.findall(text, 0, events[-1][0]))


def check_fields(grid: Grid, header, needed: dict[int, str]) -> None:
    """Every line below the header row has the header's fields: more only as
    empty fields at the end (Excel ends a line with separators up to its used
    range), fewer only when none of the ``needed`` columns (column → name) is
    left out (Excel leaves out the empty cells at the end of a line)."""
    width = max(header.labels) + 1 if header.labels else 0
    for r in range(header.row + 1, len(grid.rows)):
        row = grid.rows[r]
        if not any(row):
            continue  # a blank line, or the lines of a value spanning several
        n = len(row)
        if n > width and any(row[width:]):
            last = max(c for c, v in enumerate(row) if v) + 1
            raise InputError(f"raden har {last} fält men rubrikraden (rad {header.row + 1}) har {width}; "
                             f"{_HINT}", file=grid.file, where=grid.where(r), slug="csv-falt-antal")
        missing = [name for c, name in sorted(needed.items()) if c >= n]
        if missing:
            raise InputError(f"raden har {n} fält men rubrikraden (rad {header.row + 1}) har {width}, så "
                             f"{' och '.join(missing)} saknas; {_HINT}", file=grid.file, where=grid.where(r),
                             slug="csv-falt-antal")
