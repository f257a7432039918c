"""``reconcile consolidate A.xlsx B.xlsx … --output Förbund.xlsx``: each
unit workbook is reconciled as the monthly job reconciles it (nothing is
written to the units, and the notes on their own Sammanställning are not
read: ``read_inputs(…, notes=False)``), the units are checked to share År
and closing period, merged (``engine.consolidation``), rendered (``render``,
with Per enhet) and written into the output workbook — a new one, or the
sheets of ours in an existing one replaced in place, with the economist's
notes on the output's Sammanställning carried over as in a unit.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .contract import MONTHS
from .engine.consolidation import Unit
from .engine.results import Report
from .errors import InputError
from .job import DEFAULT_BACKUP, retrying, stop_if_strict
from .package.backup import Backup
from .result import Result

DEFAULT_NAME = "Sammanställning.xlsx"  # the file written when --output is a folder
MAX_UNITS = 1000  # read back from Per enhet at most


class Consolidate:
    def __init__(self, inputs: list[Path], output: Path, *, name: str | None = None, period: str | None = None,
                 backup: Backup | None = DEFAULT_BACKUP, wait: float = 0.0, strict: bool = False,
                 unit_text: bool = False):
        output = Path(output)
        self.output = output / DEFAULT_NAME if output.is_dir() else output
        self.inputs = [Path(p) for p in inputs]
        self.name = name or self.output.stem
        self.period = period
        self.backup = backup
        self.wait = wait
        self.strict = strict  # --strict: a warning (the consolidation's or a unit's) stops the run
        self.output_before = None  # what the output was as the run began (ooxml.snapshot): its notes, the graft
        #: read each unit's own text (Kommentar, Analys' explanations) into its report: the Word report's part
        #: per unit shows them; the consolidation's sheets never do
        self.unit_text = unit_text

    def unit_paths(self) -> list[Path]:
        """The unit workbooks: the files given, and the workbooks in the folders
        given (not the output itself, nor another consolidation)."""
        from .folder import is_consolidation, workbooks_in

        if self.output.suffix.lower() not in (".xlsx", ".xlsm"):
            raise InputError("sammanställningen måste vara en .xlsx- eller .xlsm-fil", file=str(self.output),
                             slug="utfil-fel-sort")
        out = _same_file_key(self.output)
        paths: dict[str, Path] = {}
        for given in self.inputs:
            if given.is_dir():
                for path in workbooks_in(given):
                    if _same_file_key(path) == out and not is_consolidation(path):
                        raise InputError("sammanställningen kan inte också vara en av enheterna", file=str(path),
                                               slug="sammanstallning-ar-enhet")
                    if _same_file_key(path) != out and not is_consolidation(path):
                        paths.setdefault(_same_file_key(path), path)
                continue
            if not given.exists():
                raise InputError("filen finns inte", file=str(given), slug="fil-saknas")
            if _same_file_key(given) == out:
                raise InputError("sammanställningen kan inte också vara en av enheterna", file=str(given),
                                 slug="sammanstallning-ar-enhet")
            paths.setdefault(_same_file_key(given), given)
        if not paths:
            raise InputError("inga enheters arbetsböcker hittades", file=", ".join(map(str, self.inputs)),
                             slug="enheter-saknas")
        return list(paths.values())

    def consolidate(self) -> Report:
        """The units reconciled and merged into one report, with the notes typed on the output carried and
        its month recorded into the output's forecast history."""
        from . import clock
        from .engine.consolidation import consolidate
        from .engine.explanations import carry as carry_explanations
        from .engine.history import recorded
        from .engine.materiality import flag
        from .engine.notes import carry
        from .job import reconcile_inputs
        from .ooxml.snapshot import Snapshot, taken
        from .read.explanations import read_explanations
        from .read.history import read_history
        from .read.inputs import read_inputs
        from .read.notes import read_notes

        units: list[Unit] = []
        for path in self.unit_paths():
            report = reconcile_inputs(read_inputs(path, period=self.period, notes=self.unit_text))
            units.append(Unit(report.unit, str(path), report, recorded_path(path, self.output)))
        _check_periods(units)
        units = [replace(unit, name=name) for unit, name in zip(units, _unique_names(units))]
        report = consolidate(units, self.name)
        self.output_before = taken(self.output)
        previous = self.output_before if isinstance(self.output_before, Snapshot) else None
        notes = read_notes(previous, str(self.output)) if previous is not None else None
        explanations = read_explanations(previous, str(self.output)) if previous is not None else None
        report = carry_explanations(carry(report, notes), explanations)
        if previous is not None:
            report = flag(report, _own_settings(previous, self.output))
            report = _emptied(report, previous, self.output)
        history = read_history(previous, str(self.output)) if previous is not None else None
        return recorded(report, history, clock.today())

    def run(self, write: bool = True, on_wait=None) -> Result:
        if not write:
            report = self.consolidate()
            stop_if_strict(report, self.strict, None, str(self.output))
            return Result(self.output, report, None)
        return retrying(self._write_once, self.wait, on_wait)

    def _write_once(self) -> Result:
        from .ooxml.snapshot import Absent
        from .package import write_new, write_sheets
        from .package.locks import ensure_not_open
        from .package.readonly import ensure_writable
        from .package.runlock import holding
        from .render import render

        dest = self.output
        ensure_writable(dest, str(dest))
        ensure_not_open(dest, str(dest))
        with holding(dest, str(dest)):  # no other reconcile run writes it until it is replaced
            report = self.consolidate()
            stop_if_strict(report, self.strict, None, str(self.output))
            rendered = render(report)
            ensure_writable(dest, str(dest))
            ensure_not_open(dest, str(dest))
            if isinstance(self.output_before, Absent):
                written = write_new(dest, rendered, before=self.output_before)
            else:
                written = write_sheets(self.output_before or dest, rendered, dest, backup=self.backup)
        return Result(dest, report, dest, tuple(written.names), written.changed)


def _own_settings(previous, output: Path):
    """The consolidation workbook's own Inställningar (for its Väsentlighet), as
    a unit's are read; the defaults when it has none."""
    from .contract import SETTINGS_SHEET
    from .engine.model import Settings
    from .read.settings import read_settings
    from .read.workbook import Source

    source = Source(output, str(output), snapshot=previous)
    if not source.find(SETTINGS_SHEET.name):
        return Settings(output.stem)
    return read_settings(source.grid(SETTINGS_SHEET.name), output.stem)[0]


def _emptied(report: Report, previous, output: Path) -> Report:
    """Investeringar that an earlier consolidation wrote, when no unit has a project now: emptied, saying
    why (as a unit's run empties its own, ``job._emptied``)."""
    from .contract.written import INVESTMENTS_SHEET
    from .engine.investments import NO_UNIT_PROJECTS
    from .read.previous import our_sheets

    if report.investments or INVESTMENTS_SHEET not in our_sheets(previous, (INVESTMENTS_SHEET,), str(output)):
        return report
    return replace(report, investments_note=NO_UNIT_PROJECTS)


def recorded_path(unit: Path, output: Path) -> str:
    """A unit's workbook as Per enhet records it, for ``reconcile report`` to find again: relative to the
    consolidation's folder with / between folders (``Enheter/Halmstad.xlsx``), so the two can move
    together; absolute where there is no relative path (another drive)."""
    try:
        return Path(os.path.relpath(os.path.abspath(unit), os.path.abspath(output.parent))).as_posix()
    except ValueError:
        return Path(os.path.abspath(unit)).as_posix()


def recorded_units(path: Path) -> tuple[list[Path], str | None] | None:
    """The units' workbooks a consolidation was last written from, as its Per enhet records them (resolved
    against the consolidation's folder), and the closing period it was written for ('2025-06', from the
    headings: Budget 2025 · Utfall jan–jun; None for a year without actuals); None when it records no
    workbooks (written before they were recorded)."""
    from .contract import PER_UNIT_SHEET
    from .read.previous import previous_sheet
    from .render.per_unit import GROUP, HEADER_ROW, SOURCE_LABEL

    sheet = previous_sheet(path, PER_UNIT_SHEET)
    if sheet is None or sheet.text(HEADER_ROW - 1, 0) != SOURCE_LABEL:
        return None
    found = []
    for first in range(1, 1 + GROUP * MAX_UNITS, GROUP):  # the groups in order; Totalt records none
        text = sheet.text(HEADER_ROW - 1, first)
        if not text:
            break
        found.append(Path(path).parent / text)
    if not found:
        return None
    budget, actual = sheet.text(HEADER_ROW + 1, 1).split(), sheet.text(HEADER_ROW + 1, 2).split()
    last = actual[-1].split("–")[-1] if len(actual) == 2 else ""
    year = budget[-1] if budget and budget[-1].isdigit() else ""
    return found, f"{year}-{MONTHS.index(last) + 1:02d}" if year and last in MONTHS else None


def _check_periods(units: list[Unit]) -> None:
    """Every unit has the År and closing period most of them have (the first
    unit's when it is even); the first that differs is named."""
    def of(unit: Unit) -> tuple[int, int]:
        return unit.report.year, unit.report.period

    counts = Counter(of(u) for u in units)
    best = max(counts.values())
    common = next(of(u) for u in units if counts[of(u)] == best)
    for unit in units:
        if of(unit) != common:
            r = unit.report
            others = [u for u in units if of(u) == common]
            shown = _period(*common)
            raise InputError(
                f"enheten har {_period(r.year, r.period)} men {_count(len(others))} har {shown}; alla enheter "
                f"måste ha samma år och bokslutsperiod (ange --period, eller Period på enhetens blad "
                f"Inställningar)", file=unit.file, slug="enheter-olika-perioder")


def _period(year: int, period: int) -> str:
    if period == 0:
        return f"{year}, inget utfall"
    return f"{MONTHS[0]}–{MONTHS[period - 1]} {year}" if period > 1 else f"{MONTHS[0]} {year}"


def _count(n: int) -> str:
    return "den andra enheten" if n == 1 else f"de {n} andra enheterna"


def _unique_names(units: list[Unit]) -> list[str]:
    """The units' names (their Enhet); the same name twice gets its file's name
    added, or its folder and file when the files share a name too."""
    names = [u.name for u in units]
    for extra in (lambda u: Path(u.file).stem, lambda u: f"{Path(u.file).parent.name}/{Path(u.file).stem}",
                  lambda u: u.file):
        counts = Counter(names)
        if len(counts) == len(names):
            break
        names = [n if counts[n] == 1 else f"{u.name} ({extra(u)})" for n, u in zip(names, units)]
    return names


def _same_file_key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))
