"""``--log FILE``: plain lines with a timestamp, appended, for scheduled runs.

Each line is written and flushed on its own, so the log of a run that is
stopped half-way still holds the workbooks that were done, and runs that
share a log interleave by whole lines.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import ReconcileError, os_reason


class RunLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        except OSError as exc:
            reason = (f"mappen {self.path.parent} finns inte" if isinstance(exc, FileNotFoundError)
                      else os_reason(exc))
            raise ReconcileError(f"loggfilen kan inte öppnas ({reason})", file=str(path), slug="loggfil-olasbar") from exc

    def write(self, line: str) -> None:
        stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S%z")
        for part in line.splitlines() or [""]:
            self._file.write(f"{stamp} {part}\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()
