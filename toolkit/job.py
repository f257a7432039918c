"""One monthly run: the order of the layers.

read (``read.inputs``: settings, budget, keys, ledger, notes) → engine.reconcile
→ render → package.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import clock
from .errors import ChangedError, InputError, LockedError, ReadOnlyError
from .findings import count_text
from .package.backup import Backup
from .progress import Report as ProgressReport
from .result import Result

if TYPE_CHECKING:
    from .engine.results import Report
    from .read.inputs import Inputs

WAIT_POLL = 1.0  # seconds between attempts while the workbook is open elsewhere
ATTEMPTS = 3  # runs started over at once when the workbook changed on disk meanwhile (then exit 3)
DEFAULT_BACKUP = Backup()  # the previous version as NAME.bak beside the workbook
T = TypeVar("T")


def stop_if_strict(report: Report, strict: bool, setting: str | None, file: str) -> None:
    """Under --strict (or Strikt on Inställningar) a warning stops the run
    before anything is written: one line naming the first warning."""
    found = report.warnings
    if not found or not (strict or setting):
        return
    first = found[0]
    why = "--strict" if strict else f"Strikt på {setting}"
    more = f" (och {count_text(len(found) - 1)} till)" if len(found) > 1 else ""
    raise InputError(f"{first.message}{more} — stoppad av {why}; inget skrevs", file=file, where=first.where,
                     slug="stoppad-av-strikt")


class Job:
    def __init__(self, path: Path, *, period: str | None = None, output: Path | None = None,
                 budget_file: Path | None = None, ledger_file: Path | str | list[Path | str] | None = None,
                 backup: Backup | None = DEFAULT_BACKUP, wait: float = 0.0, progress: ProgressReport | None = None,
                 strict: bool = False, last_year_files: list[Path | str] | None = None):
        self.path = Path(path)
        self.period = period
        self.output = output
        self.budget_file = budget_file
        # one or more ledger exports, patterns allowed ("exporter/2025-*.csv")
        self.ledger_files = [] if not ledger_file else \
            [ledger_file] if isinstance(ledger_file, (str, Path)) else list(ledger_file)
        self.last_year_files = list(last_year_files or [])  # --fjolar: last year's ledger (patterns allowed)
        self.backup = backup
        self.wait = wait
        self.strict = strict  # --strict: a warning stops the run (so does Strikt on Inställningar)
        self.strict_setting: str | None = None  # where Strikt = ja was read, once reconciled
        self.progress = progress  # hears of long work (reading the ledger, writing the package)
        self.snapshot = None  # the workbook as this run read it (ooxml.snapshot), once reconciled
        self.output_before = None  # what --output was as the run began (its notes are read from it)

    def reconcile(self) -> Report:
        loaded = threading.Event()
        with _quick_switching():
            reading = Background(_read_inputs, loaded, self.path, budget=self.budget_file, utfall=self.ledger_files,
                                 period=self.period, progress=self.progress, output=self.output,
                                 fjolar=self.last_year_files)
            try:
                while not loaded.wait(_POLL):  # (a timeout: a wait without one ignores Ctrl-C on Windows)
                    pass  # importing holds the GIL: the readers' code first, as the read is what takes longest
                _load_engine()  # the engine's, render's and package's code loaded while the files are read
            except Exception:
                reading.wait()  # no read goes on past a run that failed (Ctrl-C does not wait for it)
                raise
            inputs = reading.result()
        self.snapshot = inputs.snapshot
        self.output_before = inputs.output_before
        self.strict_setting = inputs.strict_setting
        from .engine.materiality import flag

        return flag(reconcile_inputs(inputs), inputs.settings)

    def run(self, write: bool = True, on_wait: Callable[[LockedError], None] | None = None) -> Result:
        """Reconcile and write. While the workbook is open elsewhere (or cannot be
        replaced, or another run refreshes it) the whole run is retried — read
        again, so nothing saved in the meantime is lost — for up to ``wait``
        seconds; when it changed on disk while this run read it, the run starts
        over at once (``retrying``)."""
        if not write:
            report = self.reconcile()
            stop_if_strict(report, self.strict, self.strict_setting, str(self.path))
            return Result(self.path, report, None)
        return retrying(self._write_once, self.wait, on_wait)

    def _write_once(self) -> Result:
        from .package import write_sheets
        from .package.locks import ensure_not_open
        from .package.readonly import ensure_writable
        from .package.runlock import holding

        dest = self.output or self.path
        ensure_writable(dest, str(dest))  # before reading anything: refused as Excel refuses it
        ensure_not_open(dest, str(dest))
        with holding(dest, str(dest)):  # no other reconcile run refreshes it until it is replaced
            report = self.reconcile()
            stop_if_strict(report, self.strict, self.strict_setting, str(self.path))
            from .render import render

            rendered = render(report)
            ensure_writable(dest, str(dest))
            ensure_not_open(dest, str(dest))
            written = write_sheets(self.snapshot or self.path, rendered, dest, backup=self.backup,
                                   progress=self.progress, before=self.output_before if self.output else None)
        return Result(self.path, report, Path(dest), tuple(written.names), written.changed)


class Background:
    """``fn(*args, **kwargs)`` run in a thread of its own from now on;
    ``result()`` waits for it and returns what it returned or raises what it
    raised.  A daemon thread: an interrupted run does not wait for it."""

    def __init__(self, fn: Callable[..., T], *args, **kwargs):
        import threading

        self._outcome: tuple[bool, object] = (False, None)
        self._thread = threading.Thread(target=self._run, args=(fn, args, kwargs), daemon=True)
        self._thread.start()

    def _run(self, fn, args, kwargs) -> None:
        try:
            self._outcome = (True, fn(*args, **kwargs))
        except BaseException as exc:  # handed to the thread that waits for it
            self._outcome = (False, exc)

    def wait(self) -> None:
        while self._thread.is_alive():
            self._thread.join(_POLL)  # (a join without a timeout ignores Ctrl-C on Windows)

    def result(self):
        self.wait()
        done, value = self._outcome
        if not done:
            raise value  # type: ignore[misc]
        return value


#: the GIL's switch interval while the reading thread and the imports overlap: the read's many numpy calls
#: each wait for the GIL until the importing thread lets go of it, 5 ms by default (measured: 7–9 % of a
#: 1M-row CSV run); the interval is the process's and is put back once the read is in
_OVERLAP_SWITCH = 0.0005
_POLL = 0.1
_switching = {"runs": 0, "before": 0.0}
_SWITCH_LOCK = threading.Lock()


@contextmanager
def _quick_switching():
    """``_OVERLAP_SWITCH`` while the block runs; the interval the process had
    once the last of the runs in it (jobs in threads of one process) is done."""
    counted = False
    try:
        with _SWITCH_LOCK:
            if not _switching["runs"]:
                _switching["before"] = sys.getswitchinterval()
                sys.setswitchinterval(_OVERLAP_SWITCH)
            _switching["runs"] += 1
            counted = True
        yield
    finally:
        if counted:  # (a Ctrl-C before the count leaves nothing to undo)
            with _SWITCH_LOCK:
                _switching["runs"] -= 1
                if not _switching["runs"]:
                    sys.setswitchinterval(_switching["before"])


def _read_inputs(loaded, *args, **kwargs) -> Inputs:
    """``read_inputs`` (its code imported in this thread: numpy and the
    readers), ``loaded`` set once the code is in (or failed to load)."""
    try:
        from .read.inputs import read_inputs
    finally:
        loaded.set()
    return read_inputs(*args, **kwargs)


def _load_engine() -> None:
    """Import what reconciling, rendering and writing need: Python code, so
    it loads while the reading thread's parsers (C, without the GIL) work."""
    import importlib

    for module in ("render", "package", "engine.report", "engine.materiality", "engine.history",
                   "engine.explanations"):
        importlib.import_module(f".{module}", __package__)


def reconcile_inputs(inputs: Inputs) -> Report:
    """The engine over what ``read_inputs`` (or ``assemble``) read; the closing
    month recorded into the forecast history as a refresh writes it (dated today)."""
    from .engine.explanations import carry
    from .engine.history import recorded
    from .engine.report import reconcile

    report = reconcile(list(inputs.lines), list(inputs.keys), inputs.ledger, inputs.settings,
                       budget_file=inputs.budget_file, findings=list(inputs.findings), notes=inputs.notes,
                       changes=inputs.changes, last_year=inputs.last_year)
    report = _emptied(report, inputs.optional_before)
    return recorded(carry(report, inputs.explanations), inputs.history, clock.today())


def _emptied(report: Report, before: frozenset[str]) -> Report:
    """A sheet written only when wanted (Transaktioner, Investeringar) that an
    earlier run wrote and this one does not want is emptied, saying why —
    never left standing with last month's figures."""
    from dataclasses import replace

    from .contract.written import INVESTMENTS_SHEET, TRANSACTIONS_SHEET
    from .engine.investments import NO_PROJECTS
    from .engine.transactions import SWITCHED_OFF

    if TRANSACTIONS_SHEET in before and report.transactions is None and report.transactions_note is None:
        report = replace(report, transactions_note=SWITCHED_OFF)
    if INVESTMENTS_SHEET in before and not report.investments:
        report = replace(report, investments_note=NO_PROJECTS)
    return report


def retrying(attempt: Callable[[], T], wait: float, on_wait: Callable[[LockedError], None] | None = None) -> T:
    """``attempt()``, again while it raises ``LockedError``, for up to ``wait``
    seconds.  When the workbook changed on disk during an attempt
    (``ChangedError``) it starts over at once, up to ``ATTEMPTS`` attempts in
    all; after that it is waited for like a lock."""
    deadline = time.monotonic() + wait
    changed = 0
    while True:
        try:
            return attempt()
        except ReadOnlyError:
            raise  # waiting does not lift it
        except LockedError as exc:
            if isinstance(exc, ChangedError):
                changed += 1
                if changed < ATTEMPTS:
                    continue  # read the new file and do it all again
            left = deadline - time.monotonic()
            if left <= 0:
                if wait:
                    exc.message += f" (väntade {_seconds(wait)})"
                raise
            if on_wait is not None:
                on_wait(exc)
            time.sleep(min(WAIT_POLL, left))


def _seconds(value: float) -> str:
    return f"{value:g} s".replace(".", ",")
