"""Everything one run reconciles, assembled in one place.

``read_inputs(path, budget=…, utfall=…, period=…)`` decides which file each
input comes from and reads them into an ``Inputs`` record:

- the settings from the workbook's Inställningar (or its English ``Settings``
  sheet when that has the settings' columns), or from the budget file when
  the workbook cannot be read but budget and ledger are given elsewhere
  (``arbetsbok-olasbar``); ``--period`` overrides Period (and År);
- the budget from ``--budget`` or the workbook; the ledger from ``--utfall``,
  else from Utfallsfil on Inställningar (relative to the workbook's folder),
  else from the workbook;
- the economist's notes on the Sammanställning the run replaces.

``assemble`` is the part that reads the tables once the sources are known —
the budget (in tkr when Belopp i says so), the ledger with the budget's
mapping columns, the keys (from the budget's source first, then the
workbook) — and is used as well for tables held in memory (``Sheets``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..contract import BUDGET_SHEET, CHANGES_SHEET, KEYS_SHEET, SETTINGS_SHEET, Setting, normalise_header
from ..contract.ledger import ACCOUNT_KIND
from ..contract.settings import LAST_YEAR_FILES, LEDGER_FILES
from ..engine.model import BudgetChange, BudgetLine, ForecastRecord, Key, Ledger, Notes, Settings
from ..errors import InputError, WorkbookError
from ..findings import Finding
from ..ooxml.snapshot import Absent, Snapshot, taken
from ..progress import Report as ProgressReport
from .grid import Grid
from .workbook import CSV_SUFFIXES, SIE_SUFFIXES, Source

if TYPE_CHECKING:
    from .explanations import PreviousAnalysis


@dataclass(frozen=True)
class Inputs:
    """What a run reconciles, as read."""

    settings: Settings
    lines: tuple[BudgetLine, ...]  # the Budget sheet's lines
    keys: tuple[Key, ...]  # the Periodisering sheet's keys
    ledger: Ledger  # its own findings of reading are on ledger.notes
    findings: tuple[Finding, ...]  # of reading the settings and the budget
    budget_file: str  # the file the Budget sheet is in, as positions name it
    notes: Notes | None = None  # the economist's notes on the Sammanställning the run replaces
    explanations: PreviousAnalysis | None = None  # the economist's explanations on the Analys it replaces
    snapshot: Snapshot | None = None  # the workbook as read (the package layer grafts into it); None when unreadable
    strict_setting: str | None = None  # where Strikt = ja was read (None when it was not)
    output_before: Snapshot | Absent | None = None  # the output (``output=``) as the run began
    changes: tuple[BudgetChange, ...] = ()  # the Budgetändringar sheet's rows (none without the sheet)
    #: the sheets written only when wanted (Transaktioner, Investeringar) that an earlier run wrote
    optional_before: frozenset[str] = frozenset()
    last_year: Ledger | None = None  # last year's ledger of its own (--fjolar, Fjolårsfil); None: the ledger's rows
    history: tuple[ForecastRecord, ...] | None = None  # Prognoshistorik's records as earlier runs left them


def read_inputs(path: str | os.PathLike, *, budget: str | os.PathLike | None = None,
                utfall: str | os.PathLike | Iterable[str | os.PathLike] = (), period: str | None = None,
                progress: ProgressReport | None = None, notes: bool = True,
                output: str | os.PathLike | None = None,
                fjolar: str | os.PathLike | Iterable[str | os.PathLike] = ()) -> Inputs:
    """The inputs of one run on the workbook at ``path``.

    ``budget``: the file the budget (and, when the workbook cannot be read,
    the settings) come from; ``utfall``: the ledger exports (patterns
    allowed); ``period``: ``--period`` (``2025-08`` or ``8``), over the
    settings.  ``notes``: read the economist's notes — those of ``output``
    when it names an existing file, else the workbook's.  ``output``: the
    file the run will write (taken as it is now: ``Inputs.output_before``).
    ``fjolar``: last year's ledger (patterns allowed), else Fjolårsfil on
    Inställningar, else none (the ledger's own rows of last year)."""
    from .exports import expand
    from .settings import read_settings

    path = Path(path)
    given = [utfall] if isinstance(utfall, (str, os.PathLike)) else list(utfall or ())
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise not_a_workbook(path)
    findings: list[Finding] = []
    ledger_paths = expand(given)
    try:
        book: Source | None = Source(path, str(path))
    except WorkbookError as exc:
        # With budget and ledger from other files, the workbook only has to be
        # extended (the package layer decides whether it can be); its settings
        # are then taken from the budget file.
        if not (budget and ledger_paths) or not path.exists():
            raise
        book = None
        findings.append(Finding("arbetsbok-olasbar", str(path),
                                f"arbetsboken kunde inte läsas ({exc.message}); inställningarna lästes från "
                                f"{budget}", "info"))
    snapshot = book.snapshot if book is not None else None
    budget_src = Source(budget, str(budget)) if budget else book
    ledger_sources = [Source(p, str(p)) for p in ledger_paths] or [book]

    settings_grid = _settings_grid(book if book is not None else budget_src, findings)
    settings, settings_findings = read_settings(settings_grid, path.stem)
    findings += settings_findings
    strict_setting = settings.where.get("strict", SETTINGS_SHEET.name) if settings.strict else None
    if period:
        settings = with_period(settings, period, str(path))
    if not ledger_paths and settings.ledger_files and book is not None:
        ledger_sources = [Source(p, str(p)) for p in ledger_setting(settings, path)]
    given_last = [fjolar] if isinstance(fjolar, (str, os.PathLike)) else list(fjolar or ())
    last_paths = expand(given_last)
    if not last_paths and settings.last_year_files:
        last_paths = ledger_setting(settings, path, LAST_YEAR_FILES)
    last_sources = [Source(p, str(p)) for p in last_paths]

    inputs = assemble(settings, budget_src, ledger_sources, workbook=book, findings=findings, progress=progress,
                      last_year=last_sources)
    output_before = taken(output) if output is not None else None
    from .explanations import read_explanations
    from .notes import read_notes

    carried = _previous(read_notes, snapshot, path, output, output_before) if notes else None
    explained = _previous(read_explanations, snapshot, path, output, output_before) if notes else None
    from ..contract.written import INVESTMENTS_SHEET, TRANSACTIONS_SHEET
    from .history import read_history
    from .previous import our_sheets

    optional = (TRANSACTIONS_SHEET, INVESTMENTS_SHEET)
    before = _previous(lambda source, display: our_sheets(source, optional, display), snapshot, path, output,
                       output_before)
    history = _previous(read_history, snapshot, path, output, output_before) if notes else None
    return dataclasses.replace(inputs, notes=carried, explanations=explained, snapshot=snapshot,
                               strict_setting=strict_setting, output_before=output_before,
                               optional_before=before or frozenset(), history=history)


def assemble(settings: Settings, budget: Source | Sheets, ledgers: Sequence[Source | Sheets], *,
             workbook: Source | Sheets | None = None, findings: Iterable[Finding] = (),
             progress: ProgressReport | None = None, last_year: Sequence[Source | Sheets] = ()) -> Inputs:
    """The tables read from their sources: the Budget sheet of ``budget``
    (amounts ×1000 when Belopp i is tkr), the ledger of ``ledgers`` (with the
    budget's mapping columns), the keys of the first of ``budget`` and
    ``workbook`` that has a Periodisering sheet.  ``findings`` (of reading
    the settings) come first in the record's. ``last_year``: last year's
    ledger (read like the ledger, a bare month dated År − 1)."""
    from .budget import read_budget
    from .exports import read_ledgers
    from .keys import read_keys

    budget_grid = budget.grid(BUDGET_SHEET.name)
    wanted, balance = ledger_columns(budget_grid, settings)
    if balance:
        for source in ledgers:
            if isinstance(source, Source):
                source.balance_accounts = True
    ledger = read_ledgers(list(ledgers), settings.year, wanted, progress, urval=settings.urval)
    scale = 1000 if settings.amounts_in == "tkr" else 1
    lines, budget_findings = read_budget(budget_grid, set(ledger.dimensions), scale, ledger.headers)
    keys: list[Key] = []
    for src in dict.fromkeys(s for s in (budget, workbook) if s is not None):
        if not src.is_csv and src.find(KEYS_SHEET.name):
            keys = read_keys(src.grid(KEYS_SHEET.name))
            break
    changes = read_changes_sheet([budget, workbook], scale)
    if changes:
        from .changes import check_lines

        check_lines(changes, lines)
    prior = None
    if last_year:
        year = settings.year or (int(ledger.period.max()) // 100 if len(ledger) else None)
        prior = read_ledgers(list(last_year), year - 1 if year else None, wanted, progress, urval=settings.urval)
    return Inputs(settings, tuple(lines), tuple(keys), ledger, (*findings, *budget_findings), budget_grid.file,
                  changes=tuple(changes), last_year=prior)


def ledger_columns(budget_grid: Grid, settings: Settings | None = None) -> tuple[set[str], bool]:
    """The ledger's columns the budget on ``budget_grid`` maps by (and those an
    Urval of ``settings`` names that are not read anyway), and whether an SIE
    file's balance accounts are read too (for investment projects' rows)."""
    from ..contract import DIMENSIONS
    from .budget import has_investments, mapping_columns

    wanted = mapping_columns(budget_grid)
    if settings is not None and settings.urval is not None:
        wanted |= settings.urval.columns - set(DIMENSIONS)  # a known dimension is read whatever is wanted
    if has_investments(budget_grid):
        return wanted | {normalise_header(ACCOUNT_KIND)}, True
    return wanted, False


def read_changes_sheet(sources: Sequence[Source | Sheets | None], scale: int) -> list[BudgetChange]:
    """The Budgetändringar sheet of the first of ``sources`` (the budget's, then
    the workbook) that has one; none without it."""
    from .changes import read_changes

    for src in dict.fromkeys(s for s in sources if s is not None):
        if src.is_csv:
            continue
        for name in (CHANGES_SHEET.name, *CHANGES_SHEET.aliases):
            if src.find(name):
                return read_changes(src.grid(name), scale)
    return []


class Sheets:
    """Tables held in memory standing in for a workbook (``assemble``'s
    sources): each ``Grid`` a sheet of its name."""

    is_csv = False
    snapshot = None

    def __init__(self, grids: Iterable[Grid], file: str):
        self.path = Path(file)
        self.display = file
        self._grids = {grid.name: grid for grid in grids}
        self.sheet_names = list(self._grids)

    def find(self, name: str) -> str | None:
        want = normalise_header(name)
        return next((sheet for sheet in self.sheet_names if normalise_header(sheet) == want), None)

    def worksheet(self, name: str) -> None:
        return None  # no worksheet part: the grid is read row by row

    def table(self, name: str) -> None:
        return None  # no columnar table: the grid is read through ``read.table.GridTable``

    def grid(self, name: str) -> Grid:
        real = self.find(name)
        if real is None:
            raise InputError(f"arbetsboken saknar bladet {name}", file=self.display, slug="blad-saknas")
        return self._grids[real]


def with_period(settings: Settings, period: str, file: str) -> Settings:
    """``settings`` with ``--period`` over Period (and over År when it names a year)."""
    from .settings import parse_closing_period

    try:
        year, month = parse_closing_period(period)
    except ValueError:
        raise InputError(f"--period {period}: ange perioden som 2025-08 eller 8", file=file,
                         slug="period-ogiltig") from None
    where = {**settings.where, "period": "--period", **({"year": "--period"} if year else {})}
    return dataclasses.replace(settings, period=month, year=year or settings.year, where=where)


def ledger_setting(settings: Settings, path: Path, setting: Setting = LEDGER_FILES) -> list[Path]:
    """The exports named by Utfallsfil (or ``setting``: Fjolårsfil) on
    Inställningar, relative to the folder of the workbook at ``path``."""
    from .exports import expand

    def stop(message: str, *, slug: str) -> InputError:
        return InputError(f"{setting.name}: {message}", file=str(path), where=settings.where.get(setting.key),
                          slug=slug)

    base = path.parent
    found: list[Path] = []
    for text in getattr(settings, setting.key):
        full = p if (p := Path(text).expanduser()).is_absolute() else base / p
        try:
            paths = expand([full])
        except InputError:
            raise stop(f'inga filer matchar "{text}"', slug="filmonster-utan-traffar") from None
        for each in paths:
            if each.is_dir():
                raise stop(f'"{text}" är en mapp; ange filerna i den, t.ex. "{Path(text) / "*.csv"}"', slug="utfallsfil-mapp")
            if not each.exists():
                raise stop(f'filen "{text}" finns inte', slug="fil-saknas")
        found += paths
    return expand(found)


def not_a_workbook(path: Path) -> InputError:
    """What to do with a file given as the workbook that is no .xlsx/.xlsm: save
    it as .xlsx, or give an export with --utfall."""
    suffix, file = path.suffix.lower(), str(path)
    if not path.exists():
        return InputError("filen finns inte", file=file, slug="fil-saknas")
    if suffix in (".xls", ".xlsb", ".xlt", ".xltx", ".xltm"):
        return InputError(f"filen är inte en .xlsx-arbetsbok (utan en {suffix}-fil); spara den som .xlsx i Excel och "
                          "kör igen", file=file, slug="inte-xlsx")
    if suffix in (".ods", ".fods"):
        return InputError(f"filen är inte en .xlsx-arbetsbok (utan en OpenDocument-fil, {suffix}); spara den som "
                          ".xlsx i LibreOffice och kör igen", file=file, slug="inte-xlsx")
    kind = {**dict.fromkeys(CSV_SUFFIXES, "CSV"), **dict.fromkeys(SIE_SUFFIXES, "SIE")}.get(suffix)
    if kind:
        return InputError(f"en {kind}-fil är en huvudboksexport, inte en arbetsbok: kör reconcile ARBETSBOK.xlsx "
                          f"--utfall {path}", file=file, slug="export-som-arbetsbok")
    return InputError("arbetsboken måste vara en .xlsx- eller .xlsm-fil", file=file, slug="filtyp-okand")



def _settings_grid(source: Source, findings: list[Finding]) -> Grid | None:
    """The settings' sheet of ``source``: Inställningar, else an English
    ``Settings`` sheet when it has the settings' columns (a workbook may well
    have a Settings sheet of its own: noted and not read)."""
    from .settings import looks_like_settings

    if source.is_csv:
        return None
    if source.find(SETTINGS_SHEET.name):
        return source.grid(SETTINGS_SHEET.name)
    if source.find(english := SETTINGS_SHEET.aliases[0]):
        candidate = source.grid(english)
        if looks_like_settings(candidate):
            return candidate
        findings.append(Finding("ej-installningar", candidate.file,
                                f"bladet {candidate.name} har inte kolumnerna Inställning och Värde och "
                                "lästes inte som inställningar", "info"))
    return None


def _previous(read, snapshot: Snapshot | None, path: Path, output: str | os.PathLike | None,
              output_before: Snapshot | Absent | None):
    """The economist's text on a sheet this run replaces (``read``: Sammanställning's
    notes, Analys' explanations): the output's when ``output`` names an
    existing file, else the workbook's (from its snapshot; none when the
    workbook could not be read)."""
    if output is not None and not isinstance(output_before, Absent):
        return None if output_before is None else read(output_before, str(output))
    return read(snapshot, str(path)) if snapshot is not None else None
