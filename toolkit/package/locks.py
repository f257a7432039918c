"""Is the workbook open in another program? Excel keeps an owner file
``~$Halmstad.xlsx`` beside an open workbook, LibreOffice ``.~lock.Halmstad.xlsx#``.
Writing then would either fail or be overwritten by the user's next save."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import LockedError


def lock_files(path: str | os.PathLike) -> list[Path]:
    p = Path(path)
    candidates = [p.with_name("~$" + p.name), p.with_name(f".~lock.{p.name}#")]
    # Excel shortens long names: ~$ replaces the first two characters — unless that owner file
    # is the plain one of another workbook beside it (~$Halmstad.xlsx is Halmstad.xlsx's, not XYHalmstad.xlsx's)
    if len(p.name) > 2 and not p.with_name(p.name[2:]).exists():
        candidates.append(p.with_name("~$" + p.name[2:]))
    return [c for c in dict.fromkeys(candidates) if c.exists()]


def ensure_not_open(path: str | os.PathLike, display: str | None = None) -> None:
    found = lock_files(path)
    if found:
        program = "LibreOffice" if found[0].name.startswith(".~lock.") else "Excel"
        raise LockedError(f"arbetsboken är öppen i {program} ({found[0].name}); stäng den och kör igen — "
                          "inget skrevs", file=display or str(path), slug="arbetsbok-last")
