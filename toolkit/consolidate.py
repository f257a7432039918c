"""``reconcile consolidate A.xlsx B.xlsx … --output Förbund.xlsx``: each
unit workbook is reconciled as the monthly job reconciles it (nothing is
written to the units), the units are checked to share År and closing period,
merged (``engine.consolidation``), rendered (``render.consolidation``) and
written into the output workbook — a new one, or the sheets of ours in an
existing one replaced in place, with the economist's notes on Sammanställning
carried over as in a unit.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .engine.consolidation import Consolidation, Unit
from .errors import InputError
from .job import DEFAULT_BACKUP, retrying, stop_if_strict, warnings_note
from .money import format_amount
from .package.backup import Backup

DEFAULT_NAME = "Sammanställning.xlsx"  # the file written when --output is a folder


@dataclass
class ConsolidationResult:
    output: Path
    consolidation: Consolidation
    written: Path | None
    sheets: list[str] = field(default_factory=list)
    changed: bool = True

    def summary_line(self) -> str:
        r = self.consolidation.report
        n = len(self.consolidation.units)
        parts = [f"{n} enheter" if n != 1 else "1 enhet",
                 f"{r.period_label} {r.year}" if r.period else f"{r.year}, inget utfall ännu",
                 f"utfall {format_amount(r.total.actual, r.show_in)}",
                 f"avvikelse {format_amount(r.total.variance, r.show_in, signed=True)}",
                 f"prognos {format_amount(r.total.forecast, r.show_in)}"]
        if self.written is None:
            parts.append("kontroll, inget skrivet")
        elif not self.changed:
            parts.append("bladen var redan aktuella, inget skrevs")
        else:
            parts.append(f"{len(self.sheets)} blad skrivna")
        return f"{self.output}: " + " · ".join(parts) + warnings_note(r.warnings)

    def as_dict(self) -> dict:
        c = self.consolidation
        r = c.report

        def totals(t) -> dict:
            return {"budget": _kr(t.budget), "periodised_budget": _kr(t.phased), "actual": _kr(t.actual),
                    "variance": _kr(t.variance), "forecast": _kr(t.forecast),
                    "forecast_variance": _kr(t.forecast_variance), "committed": _kr(t.committed)}

        return {
            "path": str(self.output),
            "status": ("written" if self.changed else "unchanged") if self.written else "checked",
            "name": r.unit, "year": r.year, "period": r.period, "period_label": r.period_label,
            "totals_kr": totals(r.total),
            "units": [{"name": u.name, "path": u.file, "totals_kr": totals(u.report.total)} for u in c.units],
            "warnings": len(r.warnings),
            "findings": [f.as_dict() for f in r.findings],
            "sheets": self.sheets,
        }


def _kr(value) -> float:
    return round(float(Fraction(value) / 100), 2)


class Consolidate:
    def __init__(self, inputs: list[Path], output: Path, *, name: str | None = None, period: str | None = None,
                 backup: Backup | None = DEFAULT_BACKUP, wait: float = 0.0, strict: bool = False):
        output = Path(output)
        self.output = output / DEFAULT_NAME if output.is_dir() else output
        self.inputs = [Path(p) for p in inputs]
        self.name = name or self.output.stem
        self.period = period
        self.backup = backup
        self.wait = wait
        self.strict = strict  # --strict: a warning (the consolidation's or a unit's) stops the run
        self.output_before = None  # what the output was as the run began (ooxml.snapshot): its notes, the graft

    def unit_paths(self) -> list[Path]:
        """The unit workbooks: the files given, and the workbooks in the folders
        given (not the output itself, nor another consolidation)."""
        from .folder import is_consolidation, workbooks_in

        if self.output.suffix.lower() not in (".xlsx", ".xlsm"):
            raise InputError("sammanställningen måste vara en .xlsx- eller .xlsm-fil", file=str(self.output))
        out = _same_file_key(self.output)
        paths: dict[str, Path] = {}
        for given in self.inputs:
            if given.is_dir():
                for path in workbooks_in(given):
                    if _same_file_key(path) == out and not is_consolidation(path):
                        raise InputError("sammanställningen kan inte också vara en av enheterna", file=str(path))
                    if _same_file_key(path) != out and not is_consolidation(path):
                        paths.setdefault(_same_file_key(path), path)
                continue
            if not given.exists():
                raise InputError("filen finns inte", file=str(given))
            if _same_file_key(given) == out:
                raise InputError("sammanställningen kan inte också vara en av enheterna", file=str(given))
            paths.setdefault(_same_file_key(given), given)
        if not paths:
            raise InputError("inga enheters arbetsböcker hittades", file=", ".join(map(str, self.inputs)))
        return list(paths.values())

    def consolidate(self) -> Consolidation:
        from .engine.consolidation import consolidate
        from .engine.notes import summary_keys
        from .job import Job
        from .ooxml.snapshot import Snapshot, taken
        from .read.notes import read_notes

        units: list[Unit] = []
        for path in self.unit_paths():
            report = Job(path, period=self.period).reconcile()
            units.append(Unit(report.unit, str(path), report))
        _check_periods(units)
        for unit, name in zip(units, _unique_names(units)):
            unit.name = name
        result = consolidate(units, self.name)
        report = result.report
        self.output_before = taken(self.output)
        notes = read_notes(self.output_before, str(self.output)) if isinstance(self.output_before, Snapshot) else None
        if notes:
            from .engine.notes import attach

            keys = summary_keys(report.roots, report.unbudgeted is not None, has_result=True)
            report.notes, report.note_orphans, carried = attach(notes, keys, {})
            report.findings += carried
            report.note_headers, report.note_widths = dict(notes.headers), dict(notes.widths)
        return result

    def run(self, write: bool = True, on_wait=None) -> ConsolidationResult:
        if not write:
            consolidation = self.consolidate()
            stop_if_strict(consolidation.report, self.strict, None, str(self.output))
            return ConsolidationResult(self.output, consolidation, None)
        return retrying(self._write_once, self.wait, on_wait)

    def _write_once(self) -> ConsolidationResult:
        from .ooxml.snapshot import Absent
        from .package import write_new, write_sheets
        from .package.locks import ensure_not_open
        from .package.readonly import ensure_writable
        from .package.runlock import holding
        from .render.consolidation import render_consolidation

        dest = self.output
        ensure_writable(dest, str(dest))
        ensure_not_open(dest, str(dest))
        with holding(dest, str(dest)):  # no other reconcile run writes it until it is replaced
            consolidation = self.consolidate()
            stop_if_strict(consolidation.report, self.strict, None, str(self.output))
            rendered = render_consolidation(consolidation)
            ensure_writable(dest, str(dest))
            ensure_not_open(dest, str(dest))
            if isinstance(self.output_before, Absent):
                written = write_new(dest, rendered, before=self.output_before)
            else:
                written = write_sheets(self.output_before or dest, rendered, dest, backup=self.backup)
        return ConsolidationResult(dest, consolidation, dest, list(written.names), written.changed)


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
                f"Inställningar)", file=unit.file)


def _period(year: int, period: int) -> str:
    from .engine.report import MONTHS

    if period == 0:
        return f"{year}, inget utfall"
    return f"{MONTHS[0]}–{MONTHS[period - 1]} {year}" if period > 1 else f"jan {year}"


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
