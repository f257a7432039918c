"""Replacing a file atomically.

The new bytes go to a temporary file in the destination's folder (same file
system, so ``os.replace`` is atomic), are flushed and fsync'ed, get the
permission bits of the file they replace (or of the source workbook), and then take its place.  On any
failure the temporary file is removed and the destination is untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from ..errors import LockedError, WorkbookError


def write_atomic(dest: Path, data: bytes, like: Path | None = None) -> None:
    """Replace ``dest`` by ``data``; permission bits come from ``dest`` or else ``like``."""
    dest = Path(dest)
    folder = dest.parent if str(dest.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WorkbookError(f"kan inte skriva i mappen {folder} ({exc.strerror})", file=dest.name) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        for model in (dest, like):
            if model is not None and os.path.exists(model):
                os.chmod(tmp, stat.S_IMODE(os.stat(model).st_mode))
                break
        try:
            os.replace(tmp, dest)
        except PermissionError as exc:
            raise LockedError("arbetsboken är låst (öppen i Excel?); stäng den och kör igen",
                              file=dest.name) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
