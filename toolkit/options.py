"""What a run is asked to do, in one place for the command line (``cli``)
and the Python API (``api``): the options checked the same way (an output of
the workbook's kind, what a folder cannot take), the monthly ``Job`` and the
``Consolidate`` built from them, and the record ``--json`` prints.

A problem with the options is a ``UsageError`` worded as the command line
words it (``--output Ut.csv: resultatet skrivs som en arbetsbok; …``); the
command line prints it as its usage line (exit 2), from Python it is raised.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .consolidation import Consolidate
    from .job import Job
    from .package.backup import Backup
    from .progress import Report as ProgressReport
    from .result import Result

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
EMPTY_TARGET = ("tomt argument i stället för arbetsboken: ange arbetsboken, eller en mapp med arbetsböcker (är en "
                "variabel i kommandot tom?)")
NO_OUTPUT = "--output saknas: ange arbetsboken som får sammanställningen, t.ex. --output Förbund.xlsx"


def output_problem(output: Path, folder_ok: bool = False) -> str | None:
    """Why ``output`` cannot take a result (the words after ``--output UT:``),
    or None: it is a workbook (.xlsx/.xlsm), or where ``folder_ok`` a folder."""
    if output.is_dir():
        return None if folder_ok else "är en mapp; ange filen som resultatet ska skrivas till (UT.xlsx)"
    if output.suffix.lower() not in WORKBOOK_SUFFIXES:
        return "resultatet skrivs som en arbetsbok; ange en .xlsx- eller .xlsm-fil"
    return None


def check_target(path: str | os.PathLike) -> Path:
    """The workbook or folder a run is on; an empty one (a scheduled task's
    unset variable) is refused, not taken for the current folder."""
    if not isinstance(path, os.PathLike) and not str(path).strip():
        raise UsageError(EMPTY_TARGET, slug="tomt-argument")
    return Path(path)


def _output(output: str | os.PathLike, folder_ok: bool = False) -> Path:
    path = Path(output)
    if (problem := output_problem(path, folder_ok)) is not None:
        raise UsageError(f"--output {output}: {problem}", slug="utfil-fel-sort")
    return path


def check_run(path: Path, output: str | os.PathLike | None = None, budget: object = None,
              utfall: object = None, fjolar: object = None) -> None:
    """``reconcile PATH``'s options: an output is a workbook of the workbook's
    own kind (Excel refuses a workbook with macros saved as .xlsx, and one
    without as .xlsm); a folder takes no --output or --budget (--utfall and
    --fjolar: every workbook of the folder reads those exports)."""
    out = _output(output) if output is not None else None
    if path.is_dir():
        for name, given in (("--output", output), ("--budget", budget)):
            if given:
                raise UsageError(f"{name} kan inte användas med en mapp (varje arbetsbok har sina egna blad)",
                                 slug="flagga-med-mapp")
    elif out is not None:
        ours, theirs = path.suffix.lower(), out.suffix.lower()
        if ours in WORKBOOK_SUFFIXES and ours != theirs:
            kind = "har makron och skrivs som .xlsm" if ours == ".xlsm" else "har inga makron och skrivs som .xlsx"
            raise UsageError(f"--output {out}: arbetsboken {kind}; ange {out.with_suffix(ours)}",
                             slug="utfil-fel-sort")


def check_consolidation(output: str | os.PathLike | None) -> Path:
    """``reconcile consolidate``'s output: required, a workbook or a folder,
    and a new one is an .xlsx (a consolidation has no macros)."""
    if output is None:
        raise UsageError(NO_OUTPUT, slug="utfil-saknas")
    out = _output(output, folder_ok=True)
    if not out.is_dir() and not out.exists() and out.suffix.lower() == ".xlsm":
        raise UsageError(f"--output {out}: en ny sammanställning har inga makron och skrivs som .xlsx; ange "
                         f"{out.with_suffix('.xlsx')}", slug="utfil-fel-sort")
    return out


REPORT_TARGET = "--docx eller --text saknas: ange vart avsnittet ska skrivas, t.ex. --docx Ekonomi.docx"
REPORT_INPUT = "ange arbetsboken: reconcile report Halmstad.xlsx --docx Ekonomi.docx"
NO_CONSOLIDATION = ("--konsolidering saknas: flera enheter sammanställs; ange arbetsboken som reconcile consolidate "
                    "skrev, t.ex. --konsolidering Förbund.xlsx")


def check_report(inputs: list[Path], *, docx: Path | None, text: str | None, template: Path | None,
                 number: str | None, consolidation: Path | None, name: str | None, budget: object = None,
                 utfall: object = None, fjolar: object = None) -> None:
    """``reconcile report``'s options: somewhere to write (``--docx`` a .docx, ``--text`` a file or ``-``),
    a template (.docx or .dotx) only with ``--docx``, a section number such as 4 or 4.2; one workbook, or
    with ``--konsolidering`` (a workbook) the units' workbooks and folders, or none (those the consolidation
    records); no two of the files the same."""
    if not inputs and consolidation is None:
        raise UsageError(REPORT_INPUT, slug="arbetsbok-saknas")
    if docx is None and text is None:
        raise UsageError(REPORT_TARGET, slug="rapport-utdata-saknas")
    if docx is not None:
        if docx.is_dir():
            raise UsageError(f"--docx {docx}: är en mapp; ange filen som avsnittet ska skrivas till (UT.docx)",
                             slug="rapportfil-fel-sort")
        if docx.suffix.lower() != ".docx":
            raise UsageError(f"--docx {docx}: avsnittet skrivs som ett Word-dokument; ange en .docx-fil",
                             slug="rapportfil-fel-sort")
    if text is not None and text != "-" and Path(text).is_dir():
        raise UsageError(f"--text {text}: är en mapp; ange en fil, eller - för att skriva texten här",
                         slug="rapportfil-fel-sort")
    if template is not None:
        if docx is None:
            raise UsageError(f"--mall {template}: mallen används bara med --docx", slug="flagga-kraver-annan")
        if template.suffix.lower() not in (".docx", ".dotx"):
            raise UsageError(f"--mall {template}: mallen ska vara ett Word-dokument; ange en .docx- eller .dotx-fil",
                             slug="mall-fel-sort")
    if number is not None and not _section_number(number):
        raise UsageError(f"--avsnitt {number}: ange avsnittets nummer, t.ex. 4 eller 4.2", slug="avsnitt-ogiltigt")
    written = [("--docx", docx), ("--text", None if text in (None, "-") else Path(text))]
    kept = [("--docx", docx), ("--mall", template), ("--konsolidering", consolidation),
            *(("arbetsboken", p) for p in inputs)]
    for flag, out in written:
        for what, other in kept:
            if out is not None and other is not None and what != flag and _same(out, other):
                raise UsageError(f"{flag} {out}: är samma fil som {what}; ange en annan fil", slug="samma-fil")
    for given in inputs:
        if consolidation is not None and _same(consolidation, given):
            raise UsageError(f"--konsolidering {consolidation}: är samma fil som en av enheterna; ange arbetsboken som "
                             "reconcile consolidate skrev", slug="samma-fil")
    if consolidation is None:
        if len(inputs) > 1 or inputs[0].is_dir():
            raise UsageError(NO_CONSOLIDATION, slug="konsolidering-saknas")
        if name is not None and not _consolidation_file(inputs[0]):
            raise UsageError("--name: används bara med --konsolidering (namnet på en sammanställning)",
                             slug="flagga-kraver-annan")
        return
    if consolidation.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise UsageError(f"--konsolidering {consolidation}: ange sammanställningens arbetsbok (.xlsx)",
                         slug="utfil-fel-sort")
    for flag, given in (("--budget", budget), ("--utfall", utfall), ("--fjolar", fjolar)):
        if given:
            raise UsageError(f"{flag} kan inte användas med --konsolidering (varje enhet har sina egna blad)",
                             slug="flagga-med-konsolidering")


def _consolidation_file(path: Path) -> bool:
    """A workbook ``reconcile consolidate`` wrote, given as ``reconcile report``'s only workbook."""
    from .report import is_consolidation_file

    return is_consolidation_file(path)


def _section_number(text: str) -> bool:
    """'4', '4.2', '12.1.3': numbers separated by dots."""
    parts = text.split(".")
    return all(part.isdigit() and len(part) <= 3 for part in parts)


def _same(a: Path, b: Path) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def backup_policy(backup: bool | str | os.PathLike | Backup | None = True, keep: int | None = None) -> Backup | None:
    """What is kept of the version a run replaces: True the previous version as
    ``NAME.bak`` beside it, False or None nothing, a folder every version
    there (the newest ``keep``, default 10), or a ``Backup`` as it is."""
    from .package.backup import DEFAULT_KEEP, Backup

    if backup is None or backup is False:
        return None
    if backup is True:
        return Backup()
    if isinstance(backup, Backup):
        return backup
    return Backup(Path(backup), DEFAULT_KEEP if keep is None else keep)


def ledgers(utfall: str | os.PathLike | Iterable[str | os.PathLike] | None) -> list[str | os.PathLike]:
    if not utfall:
        return []
    if isinstance(utfall, (str, os.PathLike)):
        return [utfall]
    return list(utfall)


def _period(period: str | int | None) -> str | None:
    return None if period is None else str(period).strip()


def unit_job(path: str | os.PathLike, *, period: str | int | None = None, output: str | os.PathLike | None = None,
             budget: str | os.PathLike | None = None,
             utfall: str | os.PathLike | Iterable[str | os.PathLike] | None = None,
             backup: bool | str | os.PathLike | Backup | None = True, keep_backups: int | None = None,
             wait: float = 0.0, strict: bool = False, progress: ProgressReport | None = None,
             fjolar: str | os.PathLike | Iterable[str | os.PathLike] | None = None) -> Job:
    """The monthly job on one workbook, as ``reconcile PATH`` runs it."""
    from .job import Job

    return Job(Path(path), period=_period(period), output=Path(output) if output is not None else None,
               budget_file=Path(budget) if budget else None, ledger_file=ledgers(utfall),
               backup=backup_policy(backup, keep_backups), wait=float(wait), progress=progress, strict=strict,
               last_year_files=ledgers(fjolar))


def consolidation(paths: str | os.PathLike | Iterable[str | os.PathLike], output: Path, *, name: str | None = None,
                  period: str | int | None = None, backup: bool | str | os.PathLike | Backup | None = True,
                  keep_backups: int | None = None, wait: float = 0.0, strict: bool = False) -> Consolidate:
    """The consolidation of ``paths`` (unit workbooks or folders of them) into
    ``output``, as ``reconcile consolidate`` runs it."""
    from .consolidation import Consolidate

    inputs = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    return Consolidate([check_target(p) for p in inputs], output, name=name, period=_period(period),
                       backup=backup_policy(backup, keep_backups), wait=float(wait), strict=strict)


def record(result: Result, start: float) -> dict:
    """The run as ``--json`` prints it: the result's record, and the seconds since ``start``."""
    return {**result.as_dict(), "seconds": round(time.perf_counter() - start, 3)}


def folder_record(folder: Path, outcomes: list, start: float) -> dict:
    """A folder run as ``--json`` prints it: counts per status, the seconds
    since ``start`` and each workbook's record (``folder.Outcome``s)."""
    from . import folder as batch

    return {"folder": str(folder), "counts": batch.counts(outcomes), "seconds": round(time.perf_counter() - start, 3),
            "workbooks": [o.record for o in outcomes]}
