"""Writing the toolkit's sheets into the user's own .xlsx/.xlsm package.

The user's workbook is never loaded and re-saved by a spreadsheet library
(that would drop images, VBA, slicers, extLst, cached values).  Instead the
rendered sheets are grafted into the package part by part: the index parts
are edited by splicing (see ``xmlspan``), untouched members are copied with
their compressed bytes (``zipcopy``), and the file is replaced atomically
(``atomic``).  Sheets created by the toolkit carry a marker (``marker``) so
that the next run replaces them in place.

    write_sheets(source, rendered, dest=None, backup=None) -> Written
    write_new(dest, rendered) -> Written
    toolkit_sheet_names(source) -> list[str]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import LockedError, WorkbookError, os_reason
from ..progress import Report
from .atomic import write_atomic
from .backup import Backup, keep_previous
from .merge import graft, toolkit_sheets

__all__ = ["Backup", "Written", "write_sheets", "write_new", "toolkit_sheet_names"]

WRITING = "skriver arbetsboken"  # the progress stage


def _read(path: Path) -> bytes:
    from ..ooxml import limits

    try:
        limits.check_file(path)  # the size on disk, before reading it
        return path.read_bytes()
    except limits.Refusal as exc:
        raise WorkbookError(exc.message, file=path.name) from exc
    except FileNotFoundError as exc:
        raise WorkbookError("filen finns inte", file=path.name) from exc
    except PermissionError as exc:
        raise LockedError("filen går inte att läsa (öppen i ett annat program?)", file=path.name) from exc
    except OSError as exc:
        raise WorkbookError(f"filen går inte att läsa ({os_reason(exc)})", file=path.name) from exc


@dataclass(frozen=True)
class Written:
    names: list[str]  # the sheets written, as they are named in the workbook
    changed: bool  # False: the workbook already held exactly this, and was left alone


def write_sheets(source: str | os.PathLike, rendered: bytes, dest: str | os.PathLike | None = None,
                 backup: Backup | None = None, progress: Report | None = None) -> Written:
    """Graft every sheet of ``rendered`` (an XlsxWriter .xlsx as bytes) into the
    workbook ``source`` and write the result atomically to ``dest`` (default:
    ``source``).  A sheet of the same name that the toolkit made earlier is
    replaced in place; any other sheet of that name is a ``WorkbookError``.
    With ``backup``, the file that ``dest`` replaces is kept first (see ``backup``).
    When ``dest`` already holds exactly the result it is left alone (bytes and
    mtime).  Returns the sheets' names, as they are in the workbook, and whether
    the file changed.  ``progress`` hears of the steps (read, merged, written)."""
    source = Path(source)
    dest = source if dest is None else Path(dest)
    report = progress or (lambda stage, done, total: None)
    report(WRITING, 0, 3)
    data = _read(source)
    report(WRITING, 1, 3)
    out, names = graft(data, rendered, source.name)
    report(WRITING, 2, 3)
    if _holds(dest, out, source, data):
        return Written(names, changed=False)  # leave the file (and its mtime) alone
    keep = None if backup is None else (lambda: keep_previous(dest, backup))
    write_atomic(dest, out, before_replace=keep)
    report(WRITING, 3, 3)
    return Written(names, changed=True)


def _holds(dest: Path, out: bytes, source: Path, data: bytes) -> bool:
    """Does ``dest`` already hold exactly ``out``? (``data``: the bytes of ``source``.)"""
    try:
        if not dest.exists():
            return False
        if os.path.samefile(source, dest):
            return out == data
        return dest.stat().st_size == len(out) and dest.read_bytes() == out
    except OSError:
        return False


def write_new(dest: str | os.PathLike, rendered: bytes) -> Written:
    """A new workbook ``dest`` holding the sheets of ``rendered``, made the way
    a refresh makes them: grafted into an empty workbook whose sheets of those
    names are marked as ours, so that the next run replaces them in place and
    the file is the one a refresh of it would write."""
    import datetime as dt
    import io

    import xlsxwriter

    from ..ooxml.marker import NAME, VALUE
    from .rendered import read_rendered

    dest = Path(dest)
    names = [sheet.name for sheet in read_rendered(rendered).sheets]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2000, 1, 1)})
    for name in names:
        book.add_worksheet(name)
        book.define_name(f"'{name}'!{NAME}", "=" + VALUE)
    book.close()
    out, written = graft(buffer.getvalue(), rendered, dest.name)
    write_atomic(dest, out)
    return Written(written, changed=True)


def toolkit_sheet_names(source: str | os.PathLike) -> list[str]:
    """Names of the sheets in ``source`` that the toolkit created."""
    source = Path(source)
    return toolkit_sheets(_read(source), source.name)
