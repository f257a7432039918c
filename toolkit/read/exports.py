"""Ledger exports as they arrive: ``--utfall`` given several times or as a
pattern (``"exporter/2025-*.csv"``), each file a workbook, CSV or SIE export,
read on its own and joined into one ledger.

A row that is in two files — the same period, amount and codes — is most
likely the same month exported twice; the rows are counted as read, and each
pair of files that share rows gets a finding on Avstämning.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

import numpy as np

from ..engine.model import Ledger, concat, part_of
from ..errors import InputError
from ..findings import Finding
from ..money import format_kr
from ..progress import Report
from .ledger import read_ledger_sheet
from .workbook import Source

_GLOB = set("*?[")


def expand(given: list[str | os.PathLike]) -> list[Path]:
    """The files named by ``given``, patterns expanded (in name order); a file
    named twice is read once."""
    found: list[Path] = []
    for item in given:
        text = str(item)
        if _GLOB & set(text) and not Path(text).exists():
            matches = sorted(glob.glob(os.path.expanduser(text)))
            matches = [m for m in matches if Path(m).is_file()]
            if not matches:
                raise InputError("inga filer matchar mönstret", file=text)
            found += [Path(m) for m in matches]
        else:
            found.append(Path(text))
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.normcase(os.path.abspath(path)), path)
    return list(unique.values())


def sheet_of(source: Source) -> str:
    """The ledger's sheet in ``source``: Ledger when it has one, else Utfall."""
    return "Utfall" if source.is_csv or not source.find("Ledger") else "Ledger"


def read_ledgers(sources: list[Source], year: int | None, wanted: set[str] | None = None,
                 progress: Report | None = None) -> Ledger:
    ledgers = [read_ledger_sheet(source, sheet_of(source), year, wanted, progress) for source in sources]
    if len(ledgers) == 1:
        return ledgers[0]
    names = [source.path.name for source in sources]
    ledger = concat(ledgers, ", ".join(names), ", ".join(source.display for source in sources))
    ledger.notes += duplicates(ledger, [source.display for source in sources])
    return ledger


def duplicates(ledger: Ledger, files: list[str]) -> list[Finding]:
    """One finding per pair of files (a, b) for the rows of b whose period,
    amount and codes are also on a row of an earlier file a."""
    if not len(ledger):
        return []
    part = part_of(ledger)
    key = np.column_stack([ledger.period, ledger.amount, *(ledger.codes[d].index for d in ledger.dimensions)])
    _, group = np.unique(key, axis=0, return_inverse=True)
    group = group.ravel()
    first_part = np.full(int(group.max()) + 1, len(files), dtype=np.int64)
    np.minimum.at(first_part, group, part)
    earlier = first_part[group]
    repeated = earlier < part  # a row of a later file whose key an earlier file has
    findings = []
    pairs = sorted(set(zip(earlier[repeated].tolist(), part[repeated].tolist())))
    for a, b in pairs:
        rows = repeated & (earlier == a) & (part == b)
        periods = sorted({int(p) for p in ledger.period[rows].tolist()})
        shown = ", ".join(f"{p // 100}-{p % 100:02d}" for p in periods[:6]) + (" …" if len(periods) > 6 else "")
        n = int(rows.sum())
        findings.append(Finding(
            "dubbla-rader", files[b],
            f"{n} {'rad' if n == 1 else 'rader'} i {files[b]} finns också i {files[a]} (samma period, belopp och "
            f"koder; period {shown}; {format_kr(int(ledger.amount[rows].sum()))} kr) — samma export inläst "
            "två gånger? Raderna räknas med"))
    return findings
