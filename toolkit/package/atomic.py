"""Replacing a file atomically.

The new bytes go to a temporary file in the destination's folder (same file
system, so ``os.replace`` is atomic), are flushed and fsync'ed, get the
permission bits of the file they replace — a new file gets those any new file
gets (0666 less the umask, as Excel's own save would) — and then take its
place (after the previous version has been kept, see ``backup``).  On any
failure the temporary file is removed and the destination is untouched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import LockedError, WorkbookError, os_reason


def write_atomic(dest: Path, data: bytes, before_replace: Callable[[], object] | None = None) -> None:
    """Replace (or create) ``dest`` by ``data``; an existing file keeps its
    permission bits, a new one gets 0666 less the umask.
    ``before_replace`` runs once the new bytes are safely on disk, just before
    the rename (it keeps the previous version); if it fails nothing is replaced."""
    dest = Path(dest)
    folder = dest.parent if str(dest.parent) else Path(".")
    remove_stale(dest)
    try:
        fd, tmp = _create_temporary(folder, dest.name)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise WorkbookError(f"mappen {folder} finns inte; skapa den eller välj en annan mapp — inget skrevs",
                                file=str(dest), slug="mapp-saknas") from exc
        raise WorkbookError(f"kan inte skriva i mappen {folder} ({os_reason(exc)}) — inget skrevs",
                            file=str(dest), slug="mapp-oskrivbar") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if os.path.exists(dest):
            os.chmod(tmp, stat.S_IMODE(os.stat(dest).st_mode))
        if before_replace is not None:
            before_replace()
        try:
            os.replace(tmp, dest)
        except PermissionError as exc:
            raise LockedError("arbetsboken är låst (öppen i Excel?); stäng den och kör igen",
                              file=dest.name, slug="arbetsbok-last") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def _create_temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new file ``.NAME.XXXXXXXX.tmp`` in ``folder``, created with mode 0666 so
    that the umask decides its permissions as for any new file (``mkstemp``
    would make it 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        path = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {name}")


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
