"""One monthly run: which files to read, and the order of the layers.

read (settings, budget, keys, ledger) → engine.reconcile → render → package.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .contract import BUDGET_SHEET, KEYS_SHEET, SETTINGS_SHEET
from .engine.results import Report
from .errors import ChangedError, InputError, LockedError, ReadOnlyError, WorkbookError
from .findings import Finding, count_text
from .package.backup import Backup
from .progress import Report as ProgressReport
from .result import Result

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
    raise InputError(f"{first.message}{more} — stoppad av {why}; inget skrevs", file=file, where=first.where)


class Job:
    def __init__(self, path: Path, *, period: str | None = None, output: Path | None = None,
                 budget_file: Path | None = None, ledger_file: Path | str | list[Path | str] | None = None,
                 backup: Backup | None = DEFAULT_BACKUP, wait: float = 0.0, progress: ProgressReport | None = None,
                 strict: bool = False):
        self.path = Path(path)
        self.period = period
        self.output = output
        self.budget_file = budget_file
        # one or more ledger exports, patterns allowed ("exporter/2025-*.csv")
        self.ledger_files = [] if not ledger_file else \
            [ledger_file] if isinstance(ledger_file, (str, Path)) else list(ledger_file)
        self.backup = backup
        self.wait = wait
        self.strict = strict  # --strict: a warning stops the run (so does Strikt on Inställningar)
        self.strict_setting: str | None = None  # where Strikt = ja was read, once reconciled
        self.progress = progress  # hears of long work (reading the ledger, writing the package)
        self.snapshot = None  # the workbook as this run read it (ooxml.snapshot), once reconciled
        self.output_before = None  # what --output was as the run began (its notes are read from it)

    def reconcile(self) -> Report:
        from .engine.explanations import carry as carry_explanations
        from .engine.report import reconcile
        from .read.budget import mapping_columns, read_budget
        from .read.explanations import read_explanations
        from .read.exports import expand, read_ledgers
        from .read.keys import read_keys
        from .read.notes import read_notes
        from .read.settings import looks_like_settings, parse_closing_period, read_settings
        from .read.workbook import Source

        if self.path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise InputError(not_a_workbook(self.path), file=str(self.path))
        notes: list[Finding] = []
        ledger_paths = expand(self.ledger_files)
        try:
            book: Source | None = Source(self.path, str(self.path))
        except WorkbookError as exc:
            # With budget and ledger from other files, the workbook only has to be
            # extended (the package layer decides whether it can be); its settings
            # are then taken from the budget file.
            if not (self.budget_file and ledger_paths) or not self.path.exists():
                raise
            book = None
            notes.append(Finding("arbetsbok-olasbar", str(self.path),
                                 f"arbetsboken kunde inte läsas ({exc.message}); inställningarna lästes från "
                                 f"{self.budget_file}", "info"))
        self.snapshot = book.snapshot if book is not None else None
        budget_src = Source(self.budget_file, str(self.budget_file)) if self.budget_file else book
        ledger_sources = [Source(p, str(p)) for p in ledger_paths] or [book]

        settings_book = book if book is not None else budget_src
        settings_grid = None
        if not settings_book.is_csv:
            if settings_book.find(SETTINGS_SHEET.name):
                settings_grid = settings_book.grid(SETTINGS_SHEET.name)
            elif settings_book.find(english := SETTINGS_SHEET.aliases[0]):
                # English alias; a workbook may well have a "Settings" sheet of its own
                candidate = settings_book.grid(english)
                if looks_like_settings(candidate):
                    settings_grid = candidate
                else:
                    notes.append(Finding("ej-installningar", candidate.file,
                                         f"bladet {candidate.name} har inte kolumnerna Inställning och Värde och "
                                         "lästes inte som inställningar", "info"))
        settings, findings = read_settings(settings_grid, self.path.stem)
        self.strict_setting = settings.where.get("strict", SETTINGS_SHEET.name) if settings.strict else None
        findings = notes + findings
        if self.period:
            try:
                year, month = parse_closing_period(self.period)
            except ValueError:
                raise InputError(f"--period {self.period}: ange perioden som 2025-08 eller 8",
                                 file=str(self.path)) from None
            where = {**settings.where, "period": "--period", **({"year": "--period"} if year else {})}
            settings = dataclasses.replace(settings, period=month, year=year or settings.year, where=where)

        if not ledger_paths and settings.ledger_files and book is not None:
            ledger_paths = self._ledger_setting(settings)
            ledger_sources = [Source(p, str(p)) for p in ledger_paths]
        budget_grid = budget_src.grid(BUDGET_SHEET.name)
        wanted = mapping_columns(budget_grid)
        ledger = read_ledgers(ledger_sources, settings.year, wanted, self.progress)
        scale = 1000 if settings.amounts_in == "tkr" else 1
        lines, budget_findings = read_budget(budget_grid, set(ledger.dimensions), scale, ledger.headers)
        keys = []
        for src in dict.fromkeys(s for s in (budget_src, book) if s is not None):
            if not src.is_csv and src.find(KEYS_SHEET.name):
                keys = read_keys(src.grid(KEYS_SHEET.name))
                break
        notes, explanations = self._notes(read_notes, read_explanations, readable=book is not None)
        return carry_explanations(reconcile(lines, keys, ledger, settings, budget_file=budget_grid.file,
                                            findings=findings + budget_findings, notes=notes), explanations)

    def _notes(self, *readers, readable: bool):
        """The economist's text on the sheets this run replaces (Sammanställning,
        Analys: one reader each): the output's when ``--output`` names an existing
        file, else the workbook's (from the run's snapshot of it)."""
        from .ooxml.snapshot import Absent, taken

        if self.output is not None:
            self.output_before = taken(self.output)
            if not isinstance(self.output_before, Absent):
                before = self.output_before
                return tuple(None if before is None else read(before, str(self.output)) for read in readers)
        return tuple(read(self.snapshot, str(self.path)) if readable else None for read in readers)

    def _ledger_setting(self, settings) -> list[Path]:
        """The exports named by Utfallsfil on Inställningar, relative to the workbook's folder."""
        from .read.exports import expand

        def stop(message: str) -> InputError:
            return InputError(f"Utfallsfil: {message}", file=str(self.path), where=settings.where.get("ledger_files"))

        base = self.path.parent
        found: list[Path] = []
        for text in settings.ledger_files:
            full = p if (p := Path(text).expanduser()).is_absolute() else base / p
            try:
                paths = expand([full])
            except InputError:
                raise stop(f'inga filer matchar "{text}"') from None
            for path in paths:
                if path.is_dir():
                    raise stop(f'"{text}" är en mapp; ange filerna i den, t.ex. "{Path(text) / "*.csv"}"')
                if not path.exists():
                    raise stop(f'filen "{text}" finns inte')
            found += paths
        return expand(found)

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
        from .render import render

        dest = self.output or self.path
        ensure_writable(dest, str(dest))  # before reading anything: refused as Excel refuses it
        ensure_not_open(dest, str(dest))
        with holding(dest, str(dest)):  # no other reconcile run refreshes it until it is replaced
            report = self.reconcile()
            stop_if_strict(report, self.strict, self.strict_setting, str(self.path))
            rendered = render(report)
            ensure_writable(dest, str(dest))
            ensure_not_open(dest, str(dest))
            written = write_sheets(self.snapshot or self.path, rendered, dest, backup=self.backup,
                                   progress=self.progress, before=self.output_before if self.output else None)
        return Result(self.path, report, Path(dest), tuple(written.names), written.changed)


def not_a_workbook(path: Path) -> str:
    """What to do with a file given as the workbook that is no .xlsx/.xlsm: save
    it as .xlsx, or give an export with --utfall."""
    from .read.workbook import CSV_SUFFIXES, SIE_SUFFIXES

    suffix = path.suffix.lower()
    if not path.exists():
        return "filen finns inte"
    if suffix in (".xls", ".xlsb", ".xlt", ".xltx", ".xltm"):
        return f"filen är inte en .xlsx-arbetsbok (utan en {suffix}-fil); spara den som .xlsx i Excel och kör igen"
    if suffix in (".ods", ".fods"):
        return (f"filen är inte en .xlsx-arbetsbok (utan en OpenDocument-fil, {suffix}); spara den som .xlsx i "
                "LibreOffice och kör igen")
    kind = {**dict.fromkeys(CSV_SUFFIXES, "CSV"), **dict.fromkeys(SIE_SUFFIXES, "SIE")}.get(suffix)
    if kind:
        return (f"en {kind}-fil är en huvudboksexport, inte en arbetsbok: kör reconcile ARBETSBOK.xlsx "
                f"--utfall {path}")
    return "arbetsboken måste vara en .xlsx- eller .xlsm-fil"


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
