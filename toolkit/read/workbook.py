"""Opening the user's workbook (or a CSV file) for reading, and handing out
its sheets as ``Grid``s. python-calamine reads the values (cached formula
results included) without loading the package into an object model."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError, WorkbookError
from .grid import Grid, normalise_header

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")


class Source:
    """A workbook's sheets, read lazily by name (case-insensitive)."""

    def __init__(self, path: str | os.PathLike, display: str | None = None):
        self.path = Path(path)
        self.display = display or str(path)
        self._grids: dict[str, Grid] = {}
        suffix = self.path.suffix.lower()
        if suffix in CSV_SUFFIXES:
            self._book = None
            self.sheet_names: list[str] = [self.path.stem]
            return
        if not self.path.exists():
            raise InputError("filen finns inte", file=self.display)
        if suffix not in WORKBOOK_SUFFIXES:
            raise WorkbookError(
                f"filtypen {suffix or '(ingen)'} stöds inte; använd .xlsx, .xlsm eller .csv",
                file=self.display,
            )
        from python_calamine import CalamineWorkbook

        try:
            self._book = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine raises several error types
            raise WorkbookError(_unreadable(self.path, exc), file=self.display) from exc
        self.sheet_names = list(self._book.sheet_names)

    @property
    def is_csv(self) -> bool:
        return self._book is None

    def find(self, name: str) -> str | None:
        """The sheet's real name, matched case-insensitively."""
        want = normalise_header(name)
        for sheet in self.sheet_names:
            if normalise_header(sheet) == want:
                return sheet
        return None

    def grid(self, name: str) -> Grid:
        if self.is_csv:
            from .csvfile import read_csv_grid

            return read_csv_grid(self.path, self.display)
        real = self.find(name)
        if real is None:
            raise InputError(f"arbetsboken saknar bladet {name}", file=self.display)
        if real not in self._grids:
            try:
                sheet = self._book.get_sheet_by_name(real)
                rows = sheet.to_python(skip_empty_area=False)
            except Exception as exc:
                raise WorkbookError(f"bladet {real} kan inte läsas ({exc})", file=self.display) from exc
            self._grids[real] = Grid(real, self.display, rows)
        return self._grids[real]


def _unreadable(path: Path, exc: Exception) -> str:
    try:
        head = path.read_bytes()[:8]
    except OSError as os_exc:
        return f"filen kan inte läsas ({os_exc.strerror})"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("filen är krypterad (lösenordsskyddad) eller en gammal .xls-fil; "
                "spara den som .xlsx utan lösenord och kör igen")
    if not head.startswith(b"PK"):
        return "filen är inte en .xlsx-arbetsbok (inte ett zip-paket)"
    return f"arbetsboken kan inte läsas ({exc})"
