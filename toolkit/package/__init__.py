"""Writing the toolkit's sheets into the user's own .xlsx/.xlsm package.

The user's workbook is never loaded and re-saved by a spreadsheet library
(that would drop images, VBA, slicers, extLst, cached values).  Instead the
rendered sheets are grafted into the package part by part: the index parts
are edited by splicing (see ``xmlspan``), untouched members are copied with
their compressed bytes (``zipcopy``), and the file is replaced atomically
(``atomic``).  Sheets created by the toolkit carry a marker (``marker``) so
that the next run replaces them in place.

The package grafted into is the run's snapshot of the workbook (the bytes
its figures and notes were read from).  Right before the replace, the file
on disk must still be that snapshot (and an ``--output`` still what it was
when its notes were read): else ``ChangedError``, nothing is replaced, and
the run starts over (``job.retrying``).

    write_sheets(source, rendered, dest=None, backup=None, before=None) -> Written
    write_new(dest, rendered, before=None) -> Written
    toolkit_sheet_names(source) -> list[str]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ChangedError, LockedError, WorkbookError, os_reason
from ..ooxml.snapshot import CHANGED, Absent, Snapshot
from ..progress import Report
from .atomic import write_atomic
from .backup import Backup, keep_previous
from .merge import graft, toolkit_sheets

__all__ = ["Backup", "Written", "write_sheets", "write_new", "toolkit_sheet_names"]

WRITING = "skriver arbetsboken"  # the progress stage


def _read(path: Path) -> Snapshot:
    from ..ooxml import limits

    try:
        return Snapshot.of_file(path)  # the size on disk is checked before reading
    except limits.Refusal as exc:
        raise WorkbookError(exc.message, file=path.name, slug=exc.slug) from exc
    except FileNotFoundError as exc:
        raise WorkbookError("filen finns inte", file=path.name, slug="fil-saknas") from exc
    except PermissionError as exc:
        raise LockedError("filen går inte att läsa (öppen i ett annat program?)", file=path.name,
                          slug="arbetsbok-last") from exc
    except OSError as exc:
        raise WorkbookError(f"filen går inte att läsa ({os_reason(exc)})", file=path.name, slug="fil-olasbar") from exc


@dataclass(frozen=True)
class Written:
    names: list[str]  # the sheets written, as they are named in the workbook
    changed: bool  # False: the workbook already held exactly this, and was left alone


def write_sheets(source: str | os.PathLike | Snapshot, rendered: bytes, dest: str | os.PathLike | None = None,
                 backup: Backup | None = None, progress: Report | None = None,
                 before: Snapshot | Absent | None = None) -> Written:
    """Graft every sheet of ``rendered`` (an XlsxWriter .xlsx as bytes) into the
    workbook ``source`` — its snapshot, or its path (then read here) — and
    write the result atomically to ``dest`` (default: ``source``).  A sheet of
    the same name that the toolkit made earlier is replaced in place; any
    other sheet of that name is a ``WorkbookError``.
    With ``backup``, the file that ``dest`` replaces is kept first (see ``backup``).
    When ``dest`` already holds exactly the result it is left alone (bytes and
    mtime).  Right before the replace the workbook on disk must still be the
    snapshot, and a ``dest`` other than the workbook what ``before`` says it
    was (its snapshot, or ``Absent``): else ``ChangedError`` and nothing is
    replaced.  Returns the sheets' names, as they are in the workbook, and
    whether the file changed.  ``progress`` hears of the steps (read, merged,
    written)."""
    snapshot = source if isinstance(source, Snapshot) else None
    source = snapshot.path if snapshot is not None else Path(source)
    dest = source if dest is None else Path(dest)
    report = progress or (lambda stage, done, total: None)
    report(WRITING, 0, 3)
    if snapshot is None:
        snapshot = _read(source)
    report(WRITING, 1, 3)
    out, names = graft(snapshot, rendered, source.name)
    report(WRITING, 2, 3)
    in_place = _same_file(source, dest)
    if in_place:
        before = snapshot
    if _holds(dest, out, before):
        return Written(names, changed=False)  # leave the file (and its mtime) alone
    watched = [(snapshot, str(source))] + ([] if in_place or before is None else [(before, str(dest))])

    def check_and_keep() -> None:
        for taken, display in watched:
            _check_unchanged(taken, display)
        if backup is not None:
            keep_previous(dest, backup, data=None if before is None else before.data)
        for taken, display in watched:  # the backup took a moment: once more, without reading
            if taken.moved():
                raise ChangedError(CHANGED, file=display, slug="arbetsbok-andrad")

    write_atomic(dest, out, before_replace=check_and_keep)
    report(WRITING, 3, 3)
    return Written(names, changed=True)


def _same_file(source: Path, dest: Path) -> bool:
    try:
        return dest.exists() and os.path.samefile(source, dest)
    except OSError:
        return False


def _holds(dest: Path, out: bytes, before: Snapshot | Absent | None) -> bool:
    """Does ``dest`` already hold exactly ``out``? (``before``: what it held as the run began.)"""
    if before is not None:
        return before.data == out
    try:
        return dest.exists() and dest.stat().st_size == len(out) and dest.read_bytes() == out
    except OSError:
        return False


def _check_unchanged(taken: Snapshot | Absent, display: str) -> None:
    """``ChangedError`` when the file is no longer what the run read."""
    try:
        taken.check_unchanged(display)
    except PermissionError as exc:
        raise LockedError("arbetsboken är låst (öppen i Excel?); stäng den och kör igen",
                          file=Path(display).name, slug="arbetsbok-last") from exc
    except OSError as exc:
        raise WorkbookError(f"filen går inte att läsa ({os_reason(exc)}) — inget skrevs", file=display,
                            slug="fil-olasbar") from exc


def write_new(dest: str | os.PathLike, rendered: bytes, before: Absent | None = None) -> Written:
    """A new workbook ``dest`` holding the sheets of ``rendered``, made the way
    a refresh makes them: grafted into an empty workbook whose sheets of those
    names are marked as ours, so that the next run replaces them in place and
    the file is the one a refresh of it would write.  With ``before``, a file
    that appeared at ``dest`` meanwhile is not replaced (``ChangedError``)."""
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
    write_atomic(dest, out, before_replace=None if before is None else lambda: _check_unchanged(before, str(dest)))
    return Written(written, changed=True)


def toolkit_sheet_names(source: str | os.PathLike | Snapshot) -> list[str]:
    """Names of the sheets in ``source`` (a path, or a snapshot) that the toolkit created."""
    if isinstance(source, Snapshot):
        return toolkit_sheets(source, source.path.name if source.path else "")
    source = Path(source)
    return toolkit_sheets(_read(source), source.name)
