"""Is the workbook (or its folder) read-only? Excel refuses to save over a
read-only file; so does ``reconcile``, before reading anything, with exit 3.

A refresh replaces the workbook through a new file in its folder (see
``atomic``), so the folder must take new files too.  Read-only means what the
economist set: no write permission at all in the file's mode (the read-only
attribute on Windows, ``chmod a-w`` elsewhere — also for the superuser, who
could write anyway), or no write access for this user.  A folder's read-only
attribute on Windows does not stop writing in it and is not looked at there.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ReadOnlyError

HINT = "ta bort skrivskyddet eller skriv till en annan fil med --output"


def ensure_writable(path: str | os.PathLike, display: str | None = None) -> None:
    """Raise ``ReadOnlyError`` when ``path`` (if it exists) or its folder cannot be written."""
    path = Path(path)
    display = display or str(path)
    folder = path.parent if str(path.parent) else Path(".")
    exists = path.exists()
    if exists and _read_only(path, os.W_OK):
        raise ReadOnlyError(f"arbetsboken är skrivskyddad; {HINT} — inget skrevs", file=display,
                            slug="arbetsbok-skrivskyddad")
    if os.name != "nt" and folder.is_dir() and _read_only(folder, os.W_OK | os.X_OK):
        where = "arbetsbokens mapp" if str(folder) in ("", ".") else f"mappen {folder}"
        if exists:
            raise ReadOnlyError(f"arbetsboken är skrivskyddad: {where} går inte att skriva i; {HINT} — inget skrevs",
                                file=display, slug="mapp-skrivskyddad")
        raise ReadOnlyError(f"{where} går inte att skriva i; välj en annan mapp — inget skrevs", file=display,
                            slug="mapp-skrivskyddad")


def _read_only(path: Path, access: int) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False  # gone or unreadable: the write itself says what is wrong
    return not mode & 0o222 or not os.access(path, access)
