"""``reconcile report``: the report's section Ekonomi, written as a Word
document (``--docx``) and/or as plain text (``--text``).

A unit's workbook is reconciled as ``reconcile PATH --check`` does — the
figures are those a refresh writes on its sheets, and the economist's
explanations are read from its Analys — and nothing is written to it. For a
consolidation the units are reconciled as ``reconcile consolidate`` does,
with the explanations typed on the consolidation's workbook
(``--konsolidering``, the file ``reconcile consolidate`` wrote) and each
unit's own from the unit's Analys; the document has the whole, then each unit.

The document is built in memory (``render.section`` → ``render.docx_report``
/ ``render.plain_text``) and written atomically (``package.atomic``); the
same inputs give the same bytes, and a document that would not change is not
written again. A document open in Word (its owner file ``~$Ekonomi.docx``)
is not replaced: exit 3, nothing written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .engine.results import Report
from .errors import InputError, LockedError
from .result import figure_parts, warnings_note

STDOUT = "-"  # --text -: the text on standard output
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .doc, or an encrypted .docx
#: a template refused by the package's bounds (``ooxml.limits``): why, in a Word document's words
TEMPLATE_REFUSALS = {"inte-xlsx": "inte ett zip-paket", "arbetsbok-avkortad": "zip-paketet är avkortat eller skadat",
                     "arbetsbok-krypterad": "den är lösenordsskyddad", "zip-bomb": "den ser ut som en zip-bomb",
                     "arbetsbok-for-stor": "den är för stor"}
TEMPLATE_SUFFIXES = (".docx", ".dotx")


@dataclass(frozen=True)
class Written:
    path: Path
    changed: bool  # False: the file already held these bytes and was left alone


@dataclass(frozen=True)
class ReportResult:
    path: Path  # the workbook (a consolidation: --konsolidering)
    report: Report
    written: tuple[Written, ...]
    text: str | None  # the plain text, when it goes to standard output
    sections: tuple[tuple[int, str, str], ...] = ()  # the headings: (level, number or "", text)
    charts: int = 0  # pictures of Månadsuppföljning's chart in the document
    notes: tuple[str, ...] = ()  # what the document goes without, and why ('utan diagram: matplotlib saknas …')

    def summary_line(self) -> str:
        """'Halmstad.xlsx: jan–aug 2025 · utfall 748 tkr · … · Ekonomi.docx skriven'."""
        parts = figure_parts(self.report)
        done = [str(w.path) for w in self.written if w.changed]
        same = [str(w.path) for w in self.written if not w.changed]
        if done:
            parts.append(" och ".join(done) + (" skriven" if len(done) == 1 else " skrivna"))
        if same:
            parts.append(" och ".join(same) + (" var redan aktuell" if len(same) == 1 else " var redan aktuella")
                         + ("" if done else ", inget skrevs"))
        parts += self.notes
        return f"{self.path}: " + " · ".join(parts) + warnings_note(self.report.warnings)

    @property
    def status(self) -> str:
        """'written' when any file was written, else 'unchanged' (every file already held its bytes; nothing
        written when the text went to standard output only)."""
        return "written" if any(w.changed for w in self.written) else "unchanged"

    def as_dict(self) -> dict:
        """``reconcile report --json``: the run's record (amounts in kr, as the monthly run's ``--json``), the
        files written and the section's headings; the text itself when it went to standard output."""
        from .result import totals_kr

        r = self.report
        record: dict = {"path": str(self.path), "status": self.status, "unit": r.unit, "year": r.year,
                        "period": r.period, "period_label": r.period_label, "totals_kr": totals_kr(r.total)}
        if r.is_consolidation:
            record["units"] = [{"name": u.name, "path": u.file} for u in r.units]
        record["files"] = [{"path": str(w.path), "kind": "docx" if w.path.suffix.lower() == ".docx" else "text",
                            "status": "written" if w.changed else "unchanged"} for w in self.written]
        record["sections"] = [{"level": level, "number": number, "title": title}
                              for level, number, title in self.sections]
        record["charts"] = self.charts
        record["notes"] = list(self.notes)
        if self.text is not None:
            record["text"] = self.text
        return record | {"warnings": len(r.warnings), "findings": [f.as_dict() for f in r.findings]}


class Publish:
    """One ``reconcile report`` run: ``inputs`` is a unit's workbook, or (with
    ``consolidation``) the units' workbooks and folders."""

    def __init__(self, inputs: list[Path], *, docx: Path | None = None, text: str | Path | None = None,
                 template: Path | None = None, number: str | None = None, period: str | None = None,
                 budget: Path | None = None, utfall: list[str] | None = None, consolidation: Path | None = None,
                 name: str | None = None, strict: bool = False, fjolar: list[str] | None = None):
        self.inputs = [Path(p) for p in inputs]
        self.docx = Path(docx) if docx is not None else None
        self.text = text if text is None or str(text) == STDOUT else Path(text)
        self.template = Path(template) if template is not None else None
        self.number = number
        self.period = period
        self.budget = budget
        self.utfall = list(utfall or [])
        self.fjolar = list(fjolar or [])  # --fjolar: last year's ledger
        self.consolidation = Path(consolidation) if consolidation is not None else None
        self.name = name
        self.strict = strict

    @property
    def path(self) -> Path:
        return self.consolidation if self.consolidation is not None else self.inputs[0]

    def reconcile(self) -> Report:
        from .job import Job, stop_if_strict

        self._recorded_units()
        if self.consolidation is not None:
            return self._consolidated()
        path = self.inputs[0]
        job = Job(path, period=self.period, budget_file=self.budget, ledger_file=self.utfall,
                  last_year_files=self.fjolar)
        report = job.reconcile()
        stop_if_strict(report, self.strict, job.strict_setting, str(path))
        return report

    def _recorded_units(self) -> None:
        """A consolidation without its units — ``reconcile report Förbund.xlsx``, or ``--konsolidering
        Förbund.xlsx`` alone —: the units are the workbooks its Per enhet records (``reconcile consolidate``
        writes them there), for the period it was written for unless ``--period`` says otherwise."""
        from .cells import column_letter
        from .consolidation import recorded_units
        from .contract import PER_UNIT_SHEET
        from .errors import UsageError
        from .render.per_unit import GROUP, HEADER_ROW

        if self.consolidation is None:
            path = self.inputs[0]
            if not is_consolidation_file(path):
                return
            for flag, given in (("--budget", self.budget), ("--utfall", self.utfall)):
                if given:
                    raise UsageError(f"{flag} kan inte användas med en sammanställning (varje enhet har sina egna "
                                     "blad)", file=str(path), slug="flagga-med-konsolidering")
            self.consolidation, self.inputs = path, []
        elif self.inputs:
            return
        out = self.consolidation
        if not is_consolidation_file(out):
            return  # _consolidated says what is wrong with it
        recorded = recorded_units(out)
        if recorded is None:
            raise InputError("sammanställningen anger inte vilka enheternas arbetsböcker är (den skrevs av en äldre "
                             "version); ange dem: reconcile report ENHET.xlsx … --konsolidering "
                             f"{out.name} --docx UT.docx, eller kör reconcile consolidate igen", file=str(out),
                             slug="enheter-okanda")
        units, period = recorded
        for g, unit in enumerate(units):
            if not unit.exists():
                cell = f"{PER_UNIT_SHEET}!{column_letter(1 + g * GROUP)}{HEADER_ROW}"
                raise InputError(f"enhetens arbetsbok {unit.as_posix()} finns inte; ange enheternas arbetsböcker: "
                                 f"reconcile report ENHET.xlsx … --konsolidering {out.name} --docx UT.docx",
                                 file=str(out), where=cell, slug="enhet-saknas")
        self.inputs = units
        self.period = self.period or period

    def _consolidated(self) -> Report:
        from .consolidation import Consolidate
        from .folder import is_consolidation
        from .job import stop_if_strict

        out = self.consolidation
        if not out.exists():
            raise InputError("filen finns inte; ange arbetsboken som reconcile consolidate skrev (--output)",
                             file=str(out), slug="fil-saknas")
        if not is_consolidation(out):
            raise InputError("arbetsboken är ingen sammanställning; ange arbetsboken som reconcile consolidate "
                             "skrev (--output)", file=str(out), slug="inte-sammanstallning")
        job = Consolidate(self.inputs, out, name=self.name or consolidation_name(out), period=self.period,
                          unit_text=True)
        report = job.consolidate()
        stop_if_strict(report, self.strict, None, str(out))
        return report

    def run(self) -> ReportResult:
        """Reconcile, build the section, write what was asked for."""
        from .render.plain_text import plain_text
        from .render.section import Heading, section

        template = read_template(self.template) if self.template is not None else None
        report = self.reconcile()
        blocks = section(report, self.number)
        outputs: list[tuple[Path, bytes]] = []
        notes: list[str] = []
        charts = 0
        if self.docx is not None:
            from .render import chart_picture
            from .render.docx_report import docx_bytes
            from .render.section import Chart, without_charts

            charts = sum(isinstance(block, Chart) for block in blocks)
            if charts and not chart_picture.available():
                blocks, charts = without_charts(blocks), 0
                notes.append(chart_picture.MISSING)
            outputs.append((self.docx, docx_bytes(blocks, title=document_title(report), moment=moment(report),
                                                  template=template, template_name=str(self.template),
                                                  warnings=[f"{f.where}: {f.message}" if f.where else f.message
                                                            for f in report.warnings])))
        text = plain_text(blocks) if self.text is not None else None
        if isinstance(self.text, Path):
            outputs.append((self.text, text.encode("utf-8")))
        written = tuple(write_file(path, data) for path, data in outputs)
        sections = tuple((b.level, b.number, b.text) for b in blocks if isinstance(b, Heading))
        return ReportResult(self.path, report, written, text if self.text == STDOUT else None, sections,
                            charts, tuple(notes))


def document_title(report: Report) -> str:
    """'Lokal nämnd Halmstad — Ekonomi jan–aug 2025'."""
    period = f"{report.period_label} {report.year}" if report.period else str(report.year)
    return f"{report.unit} — Ekonomi {period}"


def moment(report: Report) -> dt.datetime:
    """The document's date, from the report's period (so the same inputs give the same bytes): the last day
    of the closing month; 1 January before anything is booked."""
    if report.period == 0:
        return dt.datetime(report.year, 1, 1)
    return dt.datetime(report.year, report.period, calendar.monthrange(report.year, report.period)[1])


def read_template(path: Path) -> bytes:
    """The template's bytes, within the bounds any package read here has (size, zip bombs)."""
    from .ooxml.limits import Refusal, check_package

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("filen finns inte", file=str(path), slug="fil-saknas") from None
    except OSError as exc:
        from .errors import os_reason

        raise InputError(f"mallen kan inte läsas ({os_reason(exc)})", file=str(path), slug="fil-olasbar") from None
    try:
        check_package(data)
    except Refusal as exc:
        why = TEMPLATE_REFUSALS.get(exc.slug, "zip-paketet är trasigt")
        if exc.slug == "inte-xlsx" and data.startswith(OLE_MAGIC):
            why = "en äldre .doc-fil eller ett lösenordsskyddat dokument"
        raise InputError(f"mallen går inte att läsa som ett Word-dokument ({why}); öppna den i Word, spara den som "
                         ".docx och kör igen", file=str(path), slug="mall-olasbar") from None
    return data


def consolidation_name(path: Path) -> str:
    """The name a consolidation's sheets show (its --name), read from the title of its Sammanställning
    ("Halmstad och Navet — Ekonomiskt resultat jan–jun 2025"); else the file's name."""
    from .contract import SUMMARY_SHEET
    from .read.previous import previous_sheet

    sheet = previous_sheet(path, SUMMARY_SHEET)
    title = sheet.text(0, 0) if sheet is not None else ""
    name, found, _ = title.rpartition(" — Ekonomiskt resultat")
    return name if found and name else path.stem


def is_consolidation_file(path: Path) -> bool:
    from .folder import is_consolidation

    return path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file() and is_consolidation(path)


def write_file(path: Path, data: bytes) -> Written:
    """``data`` to ``path``, atomically; nothing when the file already holds it. A document open in Word
    (or LibreOffice) is left alone: exit 3."""
    from .package.atomic import write_atomic
    from .package.locks import lock_files

    try:
        if path.read_bytes() == data:
            return Written(path, False)
    except OSError:
        pass
    found = lock_files(path)
    if found:
        program = "LibreOffice" if found[0].name.startswith(".~lock.") else "Word"
        raise LockedError(f"dokumentet är öppet i {program} ({found[0].name}); stäng det och kör igen — inget "
                          "skrevs", file=str(path), slug="dokument-last")
    try:
        write_atomic(path, data)
    except LockedError:
        raise LockedError("dokumentet är låst (öppet i Word?); stäng det och kör igen — inget skrevs",
                          file=str(path), slug="dokument-last") from None
    return Written(path, True)


def same_file(a: Path, b: Path) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
