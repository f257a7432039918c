"""The few exception classes of the toolkit.

Every fatal problem is a ``ReconcileError``. Its ``str()`` is the one line the
CLI prints: ``Halmstad.xlsx: Utfall!G17: "12,3,4" är inte ett belopp``.
Messages are Swedish (the economist reads them); the code is English.
"""

from __future__ import annotations

import errno


class ReconcileError(Exception):
    """Base class: a problem that stops the run. ``exit_code`` is the CLI's."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        return " ".join(": ".join([*parts, self.message]).splitlines())  # one line, whatever a cell held

    def in_file(self, file: str) -> ReconcileError:
        """Attach the file name if it is not set yet; returns self for ``raise … from``."""
        if self.file is None:
            self.file = file
        return self


class InputError(ReconcileError):
    """Bad input: a cell, a CSV line, a setting. Nothing is written."""


class WorkbookError(ReconcileError):
    """The workbook package itself cannot be read or safely extended
    (not a zip, encrypted, protected structure, foreign sheet in the way …)."""


class LockedError(ReconcileError):
    """The workbook is open in Excel/LibreOffice or cannot be replaced."""

    exit_code = 3


class ChangedError(LockedError):
    """The workbook changed on disk while the run read and computed it (saved in
    Excel meanwhile): nothing is replaced, and the run starts over from the new
    file (``job.retrying``)."""


class ReadOnlyError(LockedError):
    """The workbook or its folder is read-only. Not retried with ``--wait``:
    only a person can lift it."""


_OS_REASONS = {
    errno.ENOENT: "finns inte",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EISDIR: "är en mapp",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EBUSY: "används av ett annat program",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EMFILE: "för många öppna filer",
    errno.EEXIST: "finns redan",
}


def os_reason(exc: OSError) -> str:
    """What an OSError means, in Swedish (the system's own text is English):
    'finns inte', 'behörighet saknas', 'disken är full' …"""
    reason = _OS_REASONS.get(exc.errno)
    if reason is None and getattr(exc, "winerror", None) in (32, 33):  # sharing or lock violation
        reason = "används av ett annat program"
    if reason is None:
        reason = f"systemfel {exc.errno}" if exc.errno else "systemfel"
    return reason
