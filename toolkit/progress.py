"""Progress of long work on a terminal: one line on stderr, rewritten in
place (``Utfall: läser huvudboken … 42 %``), and gone when the work is done.

The layers report through a plain callable ``report(stage, done, total)``
(bytes); they know nothing of terminals.  The line appears only when a stage
has taken longer than ``DELAY`` seconds, so a small workbook prints nothing
extra; and only when stderr is a terminal and ``--quiet``/``--json`` are not
given, so scheduled tasks log clean lines.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Report = Callable[[str, int, int], None]

DELAY = 0.5  # seconds a stage runs before its line is shown
EVERY = 0.1  # seconds between redraws


class Progress:
    """The terminal line: call it as a ``Report``; ``clear()`` when done."""

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic):
        self.stream = stream or sys.stderr
        self.clock = clock
        self.stage = ""
        self.started = 0.0
        self.drawn = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if stage != self.stage:
            self.stage, self.started, self.drawn = stage, now, 0.0
        if now - self.started < DELAY or (now - self.drawn < EVERY and done < total):
            return
        self.drawn = now
        percent = min(100, done * 100 // total) if total > 0 else 100
        self._draw(f"{stage} … {percent} %")

    def _draw(self, text: str) -> None:
        pad = max(self.width - len(text), 0)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def for_terminal(quiet: bool, stream: TextIO | None = None) -> Progress | None:
    """A Progress when stderr is a terminal and progress is wanted, else None."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        return None
    return Progress(stream)
