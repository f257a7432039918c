"""Opening the user's workbook (or a CSV or SIE file) for reading, and
handing out its sheets as ``Grid``s, or as the ``WorksheetPart`` the
streaming reader (``worksheet``) reads column by column.

Opening reads the file once (``toolkit.ooxml.snapshot``: a run's readers,
its notes and the graft share those bytes) and looks only at the package's
container and index: ``toolkit.ooxml.limits`` bounds what the file may cost
(its size, what it is — a password-protected or .xls file, not a zip, a
truncated zip — the zip entries' number, sizes and ratios) and the workbook
part names the sheets.  A sheet is read through ``worksheet`` (verified as it
streams: CRC, no DTD or entities, the cells' extent); python-calamine is
opened (on the snapshot's bytes) only for a sheet that reader does not take,
after the parts calamine parses on opening and that sheet's worksheet are
verified the same way.  Sheets that are never read are never inflated."""

from __future__ import annotations

import io
import os
import posixpath
from pathlib import Path

from ..contract import normalise_header
from ..errors import InputError, WorkbookError, os_reason
from ..ooxml import limits
from ..ooxml.snapshot import Snapshot
from .grid import Grid
from .worksheet import NotCanonical, WorksheetPart

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SIE_SUFFIXES = (".se", ".si", ".sie")  # SIE 4 (#TRANS) and SIE 3 (#PSALDO) exports
PARQUET_SUFFIXES = (".parquet",)


class Source:
    """A workbook's sheets, read lazily by name (case-insensitive), from the
    workbook's ``snapshot`` (read here when none is given)."""

    def __init__(self, path: str | os.PathLike, display: str | None = None, snapshot: Snapshot | None = None):
        self.path = Path(path)
        self.display = display or str(path)
        self._grids: dict[str, Grid] = {}
        self.balance_accounts = False  # an SIE file: also its balance accounts' #TRANS (for investment projects)
        suffix = self.path.suffix.lower()
        if suffix in CSV_SUFFIXES or suffix in SIE_SUFFIXES or suffix in PARQUET_SUFFIXES:
            self.sheet_names: list[str] = [self.path.stem]
            return
        if not self.path.exists():
            raise InputError("filen finns inte", file=self.display, slug="fil-saknas")
        if suffix not in WORKBOOK_SUFFIXES:
            raise WorkbookError(
                f"filtypen {suffix or '(ingen)'} stöds inte; en arbetsbok är .xlsx eller .xlsm, en huvudboksexport "
                ".csv, .txt, .tsv, en SIE-fil (.se, .si, .sie) eller en Parquet-fil (.parquet)",
                file=self.display,
                slug="filtyp-okand",
            )
        self._package = _Package(self.path, self.display, snapshot)
        self._calamine = None
        self.sheet_names = list(self._package.names)

    @property
    def is_csv(self) -> bool:
        return not hasattr(self, "_package")

    @property
    def snapshot(self) -> Snapshot | None:
        """The workbook's bytes as this source read them (None for a CSV or SIE file)."""
        return None if self.is_csv else self._package.guard

    @property
    def _book(self):
        """python-calamine's view of the workbook, opened on first use (for
        sheets the streaming reader does not take)."""
        if self._calamine is None:
            from python_calamine import CalamineWorkbook

            self._package.verify_open_parts()
            try:
                self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(self._package.guard.data))
            except Exception as exc:  # calamine raises several error types
                raise WorkbookError(_unreadable(self.path, exc), file=self.display, slug="arbetsbok-trasig") from exc
        return self._calamine

    def find(self, name: str) -> str | None:
        """The sheet's real name, matched case-insensitively."""
        want = normalise_header(name)
        for sheet in self.sheet_names:
            if normalise_header(sheet) == want:
                return sheet
        return None

    def worksheet(self, name: str) -> WorksheetPart | None:
        """Sheet ``name``'s worksheet part, for the streaming reader (None for a
        CSV file, or when the relationships do not lead to it); for an SIE
        file its #TRANS as columns (``sie_scan``)."""
        if self.is_csv:
            if self.path.suffix.lower() in SIE_SUFFIXES:
                from .sie_scan import SieColumns

                return SieColumns(self.path, self.display)
            return None
        real = self.find(name)
        if real is None:
            raise InputError(f"arbetsboken saknar bladet {name}", file=self.display, slug="blad-saknas")
        pkg = self._package
        part = pkg.sheets.get(real)
        if part is None or pkg.guard.entry(part) is None:
            return None
        return WorksheetPart(pkg.guard, part, real, self.display, pkg.shared_part, pkg.styles_part, pkg.workbook_part)

    def table(self, name: str):
        """Sheet ``name`` (or the export file) as a columnar table (``read.table``)
        for the ledger's rules: a worksheet part for the streaming reader, a CSV
        file parsed by pyarrow, a Parquet file, an SIE 4 file's #TRANS; None when
        there is none (an SIE file read for investment projects, a sheet the
        relationships do not lead to: read ``grid``).
        ``NotCanonical`` when the file is written in a way the table's reader
        does not take: read ``grid``."""
        if not self.is_csv:
            return self.worksheet(name)
        suffix = self.path.suffix.lower()
        if suffix in CSV_SUFFIXES:
            try:
                from .csvtable import CsvTable
            except ImportError:  # without pyarrow: the row-by-row reader
                return None

            return CsvTable.open(self.path, self.display)
        if suffix in PARQUET_SUFFIXES:
            from .parquet import ParquetTable

            return ParquetTable.open(self.path, self.display)
        if suffix in SIE_SUFFIXES and not self.balance_accounts:
            # #TRANS as columns (sie_scan); with investment projects the line reader also reads
            # the balance accounts' rows
            return self.worksheet(name)
        return None

    def grid(self, name: str) -> Grid:
        if self.is_csv:
            from .csvfile import read_csv_grid

            suffix = self.path.suffix.lower()
            if suffix in SIE_SUFFIXES:
                from .sie import read_sie_grid

                return read_sie_grid(self.path, self.display, balance_accounts=self.balance_accounts)
            if suffix in PARQUET_SUFFIXES:
                from .parquet import read_parquet_grid

                return read_parquet_grid(self.path, self.display)
            return read_csv_grid(self.path, self.display)
        real = self.find(name)
        if real is None:
            raise InputError(f"arbetsboken saknar bladet {name}", file=self.display, slug="blad-saknas")
        if real not in self._grids:
            part = self.worksheet(real)
            grid = None
            if part is not None:
                try:
                    grid = Grid(real, self.display, part.grid(), merges=part.merges)
                except NotCanonical:
                    grid = None
            self._grids[real] = grid or self._calamine_grid(real)
        return self._grids[real]

    def _unreadable_sheet(self, real: str, exc: Exception) -> WorkbookError:
        """calamine cannot read the sheet: named by the cell when it is an error
        value of newer Excel that calamine does not know (#SPILL!, #CALC! …)."""
        if "error value" in str(exc):
            errors, _ = self._package.scan_sheet(real)
            known = {"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"}
            for r, c, error in sorted(errors):
                if error.code not in known:
                    grid = Grid(real, self.display, [])
                    return WorkbookError(f"cellen innehåller felvärdet {error.describe()}, och bladet är skrivet så "
                                         "att reconcile då inte kan läsa det; rätta cellen och kör igen",
                                         file=self.display, where=grid.where(r, c), slug="cell-felvarde")
        return WorkbookError(f"bladet {real} kan inte läsas ({limits.describe(exc)}); öppna arbetsboken i Excel, "
                             "spara och kör igen", file=self.display, slug="blad-olasbart")

    def _calamine_grid(self, real: str) -> Grid:
        """Sheet ``real`` as python-calamine reads it, with what calamine does not
        give read from the sheet's XML: the error values (calamine gives '')
        and the merged ranges."""
        part = self._package.sheets.get(real)
        if part is not None and self._package.guard.entry(part) is None:
            raise WorkbookError(limits.BROKEN_PART.format(part, f"bladet {real} finns i arbetsboken men delen saknas "
                                                                "i zip-paketet"), file=self.display,
                                slug="arbetsbok-trasig")
        book = self._book
        self._package.verify_sheet(real)
        try:
            rows = book.get_sheet_by_name(real).to_python(skip_empty_area=False)
        except Exception as exc:
            raise self._unreadable_sheet(real, exc) from exc
        errors, merges = self._package.scan_sheet(real)
        for r, c, error in errors:
            while len(rows) <= r:
                rows.append([])
            row = rows[r]
            row.extend([""] * (c + 1 - len(row)))
            if row[c] not in ("", error.code):
                raise WorkbookError(f"bladet {real} kan inte läsas (cell {limits.cell_name(r + 1, c + 1)} har "
                                    "ett felvärde som inte kan placeras)", file=self.display, slug="blad-olasbart")
            row[c] = error
        return Grid(real, self.display, rows, merges=merges)


class _Package:
    """The workbook's zip container under ``limits``: checked when the
    workbook is opened, and the parts calamine parses verified before it
    does (the worksheets one by one, on demand)."""

    def __init__(self, path: Path, display: str, snapshot: Snapshot | None = None):
        self.display = display
        self._verified: set[str] = set()
        self.shared_part: str | None = None
        self.styles_part: str | None = None
        self.workbook_part: str | None = None
        self.names: list[str] = []
        try:
            self.guard = snapshot if snapshot is not None else Snapshot.of_file(path)
            self.guard.check()
            self.sheets = self._sheet_parts()
        except OSError as exc:
            raise WorkbookError(f"filen kan inte läsas ({os_reason(exc)})", file=display, slug="fil-olasbar") from exc
        except ValueError as exc:  # ZipError (Refusal, CorruptMember), XmlError, a workbook part without sheets
            raise limits.workbook_error(exc, display) from exc

    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name -> worksheet part, through the workbook part and its
        relationships; also notes the parts calamine reads on opening."""
        from ..ooxml import index, opc
        from ..ooxml.content_types import PART as CONTENT_TYPES

        root = self.guard.entry("_rels/.rels")
        documents = index.relationships(self.guard, "", root.name).of_type(opc.OFFICE_DOCUMENT) if root else []
        entry = self.guard.entry(documents[0].part) if documents and documents[0].part else None
        if entry is None:
            raise limits.Refusal(limits.NO_WORKBOOK, slug="inte-xlsx")
        book = index.workbook_part(self.guard, entry.name)
        self.workbook_part = entry.name
        self.names = [sheet.name for sheet in book.sheets]
        rels_entry = self.guard.entry(opc.rels_part(entry.name))
        rels = index.relationships(self.guard, entry.name, rels_entry.name) if rels_entry is not None else None
        folder = posixpath.dirname(entry.name)
        self._open_parts = [CONTENT_TYPES, posixpath.join(folder, "sharedStrings.xml"),
                            posixpath.join(folder, "styles.xml")]
        sheets: dict[str, str] = {}
        if rels is None:
            return sheets
        self._open_parts += [r.part for r in rels.items
                             if r.part and not r.external and r.type.endswith(("/sharedStrings", "/styles"))]
        for rel in rels.items:
            if rel.part and not rel.external and self.guard.entry(rel.part) is not None:
                if rel.type.endswith("/sharedStrings"):
                    self.shared_part = self.shared_part or rel.part
                elif rel.type.endswith("/styles"):
                    self.styles_part = self.styles_part or rel.part
        for sheet in book.sheets:
            rel = rels.by_id(sheet.rid)
            if rel is not None and rel.part and not rel.external:
                sheets[sheet.name] = rel.part
        return sheets

    def verify_open_parts(self) -> None:
        """Verify the parts calamine parses when it opens the workbook."""
        try:
            for part in self._open_parts:
                self.guard.verify(part)
        except OSError as exc:
            raise WorkbookError(f"filen kan inte läsas ({os_reason(exc)})", file=self.display,
                                slug="fil-olasbar") from exc
        except ValueError as exc:
            raise limits.workbook_error(exc, self.display) from exc

    def scan_sheet(self, name: str) -> tuple[list, list]:
        """The error cells and merged ranges of sheet ``name`` (``cellscan.scan``),
        its worksheet streamed through the verifying inflater; none when the
        relationships do not lead to it."""
        from .cellscan import scan

        part = self.sheets.get(name)
        if part is None or self.guard.entry(part) is None:
            return [], []
        label = f'bladet "{name}" ({part})'
        try:
            return scan(lambda sink: self.guard.verify(part, label=label, sink=sink))
        except OSError as exc:
            raise WorkbookError(f"filen kan inte läsas ({os_reason(exc)})", file=self.display,
                                slug="fil-olasbar") from exc
        except ValueError as exc:
            raise limits.workbook_error(exc, self.display) from exc

    def verify_sheet(self, name: str) -> None:
        """Verify the worksheet of sheet ``name`` (once) before calamine reads it.
        Should calamine find a sheet where the relationships lead nowhere, every
        worksheet in the package is verified instead."""
        part = self.sheets.get(name)
        if part is not None and self.guard.entry(part) is not None:
            todo = [(part, f'bladet "{name}" ({part})')]
        else:
            todo = [(e.name, e.name) for e in self.guard.entries if "/worksheets/" in "/" + e.name.lower()]
        for part, label in todo:
            if part.lower() in self._verified:
                continue
            try:
                self.guard.verify(part, label=label, sheet=True)
            except OSError as exc:
                raise WorkbookError(f"filen kan inte läsas ({os_reason(exc)})", file=self.display,
                                    slug="fil-olasbar") from exc
            except ValueError as exc:
                raise limits.workbook_error(exc, self.display) from exc
            self._verified.add(part.lower())


def _unreadable(path: Path, exc: Exception) -> str:
    """The message for a workbook calamine cannot open, worded as ``limits`` words
    it (the snapshot passed ``limits.check_package``).  Opened from bytes,
    calamine tries every format it knows and says only that none fits; opened
    from the file it says what is wrong with it as a workbook, so on this
    path (the run stops) the file is opened once more, for the words."""
    from python_calamine import CalamineWorkbook

    try:
        CalamineWorkbook.from_path(str(path))
    except Exception as detail:  # noqa: BLE001 - calamine raises several error types
        exc = detail
    return limits.BROKEN.format(limits.describe(exc))
