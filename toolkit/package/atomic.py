"""Replacing a file atomically.

The new bytes go to a temporary file in the destination's folder (same file
system, so ``os.replace`` is atomic), are flushed and fsync'ed, get the
permission bits of the file they replace (or of the source workbook), and then take its place
(after the previous version has been kept, see ``backup``).  On any
failure the temporary file is removed and the destination is untouched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import LockedError, WorkbookError


def write_atomic(dest: Path, data: bytes, like: Path | None = None,
                 before_replace: Callable[[], object] | None = None) -> None:
    """Replace ``dest`` by ``data``; permission bits come from ``dest`` or else ``like``.
    ``before_replace`` runs once the new bytes are safely on disk, just before
    the rename (it keeps the previous version); if it fails nothing is replaced."""
    dest = Path(dest)
    folder = dest.parent if str(dest.parent) else Path(".")
    remove_stale(dest)
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
        if before_replace is not None:
            before_replace()
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


STALE_AFTER = 3600  # seconds: a temporary file this old was left by a run that was killed


def remove_stale(dest: Path) -> None:
    """Remove temporary files that a killed run left beside ``dest`` (only ours,
    only old ones: a concurrent run's fresh temporary file is left alone)."""
    folder = dest.parent if str(dest.parent) else Path(".")
    cutoff = time.time() - STALE_AFTER
    with contextlib.suppress(OSError):
        for path in folder.glob(f".{glob.escape(dest.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


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
