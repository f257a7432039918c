"""``reconcile FOLDER``: refresh every workbook in a folder, in parallel.

One workbook's failure never stops the others: each is run by ``refresh``
(in a worker process when there are several workbooks and cores), which turns
any outcome into an ``Outcome`` — a status, the one line the CLI prints, the
``--json`` record and the seconds it took.  The outcomes come back in the
folder's (sorted) order, whatever order the workers finish in.

Skipped without a word: Excel's owner files (``~$Halmstad.xlsx``), LibreOffice's
lock files, our own (``.~reconcile.Halmstad.xlsx.lock``, see
``package.runlock``: a workbook another run refreshes is reported locked),
hidden and temporary files, backups (``Halmstad.xlsx.bak``,
``Halmstad.20261123-021500.xlsx`` beside their workbook).  A workbook made by
``reconcile consolidate`` has no Budget of its own; it is listed as skipped.
"""

from __future__ import annotations

import os
import re
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .contract import BUDGET_SHEET, PER_UNIT_SHEET
from .errors import LockedError, ReconcileError
from .package.backup import Backup

SUFFIXES = (".xlsx", ".xlsm")
_STAMPED = re.compile(r"^(?P<stem>.+)\.\d{8}-\d{6}(?:-\d+)?$")  # a backup kept in a --backup folder

#: status → the word counted in the summary line
STATUS_WORDS = {
    "written": ("skriven", "skrivna"),
    "unchanged": ("redan aktuell", "redan aktuella"),
    "checked": ("kontrollerad", "kontrollerade"),
    "skipped": ("hoppades över", "hoppades över"),
    "locked": ("låst", "låsta"),
    "error": ("med fel", "med fel"),
}


@dataclass(frozen=True)
class Options:
    """What every workbook of the folder is run with (picklable, for the workers)."""

    period: str | None = None
    write: bool = True
    backup: Backup | None = Backup()
    wait: float = 0.0
    strict: bool = False
    ledger_files: tuple[str, ...] = ()  # --utfall: every workbook's ledger (a regional export), over Utfallsfil
    last_year_files: tuple[str, ...] = ()  # --fjolar: every workbook's last year, over Fjolårsfil


@dataclass
class Outcome:
    path: Path
    status: str  # one of STATUS_WORDS
    line: str  # the line printed for it
    record: dict = field(default_factory=dict)  # its --json record
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in ("error", "locked")

    @property
    def warnings(self) -> int:
        """How many warnings its run had (0 for a failed or skipped workbook)."""
        return int(self.record.get("warnings", 0))


def workbooks_in(folder: Path) -> list[Path]:
    """The workbooks directly in ``folder`` (not in sub-folders), sorted by name."""
    names = {p.name for p in folder.iterdir()}
    found = []
    for path in folder.iterdir():
        name = path.name
        if path.suffix.lower() not in SUFFIXES or name.startswith(("~$", ".")) or not path.is_file():
            continue
        stamped = _STAMPED.match(path.stem)
        if stamped and stamped.group("stem") + path.suffix in names:
            continue  # Halmstad.20261123-021500.xlsx beside Halmstad.xlsx: a backup
        found.append(path)
    return sorted(found, key=lambda p: (p.name.lower(), p.name))


def refresh(path: Path, options: Options) -> Outcome:
    """Run the monthly job on one workbook; never raises (but for Ctrl-C)."""
    from .job import Job
    from .package.locks import lock_files

    start = time.perf_counter()

    def done(status: str, line: str, record: dict) -> Outcome:
        seconds = round(time.perf_counter() - start, 3)
        record = {"path": str(path), "status": status, **record, "seconds": seconds}
        return Outcome(path, status, line, record, seconds)

    try:
        if lock_files(path) and is_consolidation(path):  # open in Excel, and not ours to refresh anyway
            return done("skipped", f"{path}: en sammanställning (reconcile consolidate), hoppades över",
                        {"message": "sammanställning från reconcile consolidate"})
        result = Job(path, period=options.period, backup=options.backup, wait=options.wait,
                     strict=options.strict, ledger_file=list(options.ledger_files),
                     last_year_files=list(options.last_year_files)).run(write=options.write)
    except LockedError as exc:
        exc.in_file(str(path))
        return done("locked", str(exc), exc.as_dict())
    except ReconcileError as exc:
        if is_consolidation(path):  # looked at only when the job fails: it costs a read of the file
            return done("skipped", f"{path}: en sammanställning (reconcile consolidate), hoppades över",
                        {"message": "sammanställning från reconcile consolidate"})
        exc.in_file(str(path))
        return done("error", str(exc), exc.as_dict())
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # one workbook's surprise must not stop the others
        message = f"{path}: oväntat fel ({type(exc).__name__}: {exc}); inget skrevs"
        return done("error", message, {"message": message, "traceback": traceback.format_exc()})
    record = result.as_dict()
    record.pop("path", None)
    return done(record.pop("status"), result.summary_line(), record)


def is_consolidation(path: Path) -> bool:
    """A workbook that ``reconcile consolidate`` wrote: no Budget, and a Per enhet of ours."""
    from .package import toolkit_sheet_names
    from .read.workbook import Source

    try:
        source = Source(path, str(path))
        if source.find(BUDGET_SHEET.name) is not None:
            return False
        return PER_UNIT_SHEET.lower() in {name.lower() for name in toolkit_sheet_names(source.snapshot)}
    except ReconcileError:
        return False  # what is wrong with it is reported by the job


def refresh_all(paths: list[Path], options: Options, workers: int | None = None) -> Iterator[Outcome]:
    """The outcomes of ``paths`` in their order, each as soon as it and those
    before it are done; in parallel over ``workers`` processes (default: one
    per core)."""
    from .read import shared
    from .shared_exports import read_shared

    try:
        read_shared(paths, options.period, options.ledger_files)  # an export many workbooks name: read once, here
        yield from _refresh_all(paths, options, workers)
    finally:
        shared.clear()


def _refresh_all(paths: list[Path], options: Options, workers: int | None) -> Iterator[Outcome]:
    workers = min(len(paths), workers or os.cpu_count() or 1)
    if workers <= 1:
        for path in paths:
            yield refresh(path, options)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=workers, **_context()) as pool:
        futures = [pool.submit(refresh, path, options) for path in paths]
        try:
            for path, future in zip(paths, futures):
                try:
                    yield future.result()
                except BrokenProcessPool:
                    # a worker died (out of memory, a crash in a library): which workbook did it is
                    # not known, so each one not yet done is run again in a process of its own
                    yield _isolated(path, options)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _isolated(path: Path, options: Options) -> Outcome:
    """``refresh`` in a process of its own: if that process dies, only this workbook fails."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, **_context()) as pool:
        try:
            return pool.submit(refresh, path, options).result()
        except BrokenProcessPool:
            message = (f"{path}: processen som körde arbetsboken avslutades oväntat (slut på minne?); "
                       "inget skrevs")
            seconds = round(time.perf_counter() - start, 3)
            return Outcome(path, "error", message, {"path": str(path), "status": "error", "message": message,
                                                    "seconds": seconds}, seconds)


def _context() -> dict:
    """How the workers start: forked when exports were read for them (``read.shared``'s
    cache is then theirs without a copy); where fork is not to be had, each worker is
    handed the ledgers pickled, once (not once per workbook)."""
    import multiprocessing

    from .read import shared

    if not shared.cached():
        return {}
    if "fork" in multiprocessing.get_all_start_methods():
        return {"mp_context": multiprocessing.get_context("fork")}
    return {"initializer": shared.install, "initargs": (shared.held(),)}


def summary_line(folder: Path, outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    n = len(outcomes)
    parts = [f"{n} arbetsbok" if n == 1 else f"{n} arbetsböcker"]
    for status, (one, many) in STATUS_WORDS.items():
        if counts.get(status):
            parts.append(f"{counts[status]} {one if counts[status] == 1 else many}")
    line = f"{folder}: " + " · ".join([parts[0], ", ".join(parts[1:]) or "inga"])
    warned = sum(1 for o in outcomes if o.warnings)
    if warned:
        line += f" · {warned} med varningar"
    return line


def exit_code(outcomes: list[Outcome]) -> int:
    """1 when any workbook had an error, else 3 when any was locked, else 0."""
    statuses = {o.status for o in outcomes}
    return 1 if "error" in statuses else 3 if "locked" in statuses else 0


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    """Workbooks per status, and ``with_warnings``: those whose run had warnings."""
    found = {status: sum(1 for o in outcomes if o.status == status) for status in STATUS_WORDS}
    found["with_warnings"] = sum(1 for o in outcomes if o.warnings)
    return found
