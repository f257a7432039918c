"""Keeping the previous version of a workbook before it is replaced.

By default the previous file is kept beside it as ``Halmstad.xlsx.bak`` (one
generation).  With a backup folder, every replaced version is kept there as
``Halmstad.20261123-021500.xlsx`` and only the newest ``keep`` of them stay.
A backup is itself written atomically (temporary file, fsync, rename), so a
crash leaves either the old backup or the new one, never half a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbookError, os_reason

DEFAULT_KEEP = 10


@dataclass(frozen=True)
class Backup:
    folder: Path | None = None  # None: ``NAME.bak`` beside the workbook
    keep: int = DEFAULT_KEEP

    def target(self, dest: Path, now: dt.datetime) -> Path:
        if self.folder is None:
            return dest.with_name(dest.name + ".bak")
        stamp = now.strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"{dest.stem}.{stamp}{dest.suffix}"
        n = 2
        while path.exists():
            path = self.folder / f"{dest.stem}.{stamp}-{n}{dest.suffix}"
            n += 1
        return path

    def rotated(self, dest: Path) -> list[Path]:
        """This workbook's backups in the folder, oldest first."""
        if self.folder is None or not self.folder.is_dir():
            return []
        pattern = re.compile(re.escape(dest.stem) + r"\.(\d{8}-\d{6})(?:-(\d+))?" + re.escape(dest.suffix) + "$")
        found = []
        for path in self.folder.iterdir():
            match = pattern.match(path.name)
            if match:
                found.append(((match.group(1), int(match.group(2) or 1)), path))
        return [path for _, path in sorted(found)]


def keep_previous(dest: Path, backup: Backup, now: dt.datetime | None = None,
                  data: bytes | None = None) -> Path | None:
    """Copy the current ``dest`` to its backup place; returns the backup's path
    (None when there is nothing to back up).  ``data``: the bytes ``dest`` holds,
    when the caller has them (just compared with the file), so that the file is
    not read once more."""
    if data is None and not dest.exists():
        return None
    now = now or dt.datetime.now()
    if backup.folder is not None:
        try:
            backup.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkbookError(f"kan inte skapa mappen för säkerhetskopior {backup.folder} ({os_reason(exc)}); "
                                "inget skrevs", file=str(dest), slug="sakerhetskopia-misslyckad") from exc
    target = backup.target(dest, now)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise WorkbookError(f"kan inte skriva säkerhetskopian i {target.parent} ({os_reason(exc)}); inget skrevs",
                            file=str(dest), slug="sakerhetskopia-misslyckad") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            if data is None:
                with open(dest, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
            else:
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(dest, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WorkbookError(f"kan inte skriva säkerhetskopian {target} ({os_reason(exc)}); inget skrevs",
                            file=str(dest), slug="sakerhetskopia-misslyckad") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if backup.folder is not None and backup.keep > 0:
        for old in backup.rotated(dest)[: -backup.keep]:
            with contextlib.suppress(OSError):
                old.unlink()
    return target
