"""Ledger exports as they arrive: ``--utfall`` given several times or as a
pattern (``"exporter/2025-*.csv"``), each file a workbook, CSV or SIE export,
read on its own and joined into one ledger.

A row that is in two files — the same period, amount and codes — is most
likely the same month exported twice; the rows are counted as read, and each
pair of files that share rows gets a finding: a warning for the months that
are in both files, a note for a few equal rows (``duplicates``).
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

import numpy as np

from ..contract import LEDGER_SHEET, months_text
from ..engine.model import Ledger, Urval, concat, part_of, select
from ..errors import InputError
from ..findings import Finding
from ..money import format_kr
from ..progress import Report
from .ledger import read_ledger_sheet
from .shared import recall
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
                raise InputError("inga filer matchar mönstret", file=text, slug="filmonster-utan-traffar")
            found += [Path(m) for m in matches]
        else:
            found.append(Path(text))
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.normcase(os.path.abspath(path)), path)
    return list(unique.values())


def sheet_of(source: Source) -> str:
    """The ledger's sheet in ``source``: Ledger when it has one, else Utfall."""
    english = LEDGER_SHEET.aliases[0]
    return LEDGER_SHEET.name if source.is_csv or not source.find(english) else english


def read_export(source: Source, year: int | None, wanted: set[str] | None = None,
                progress: Report | None = None) -> Ledger:
    """The ledger of one source: read earlier for several workbooks of a folder
    run (``read.shared``), else read now."""
    sheet = sheet_of(source)
    return recall(source, sheet, year, wanted) or read_ledger_sheet(source, sheet, year, wanted, progress)


def read_ledgers(sources: list[Source], year: int | None, wanted: set[str] | None = None,
                 progress: Report | None = None, urval: Urval | None = None) -> Ledger:
    """The ledger of ``sources`` joined; with ``urval`` (Inställningar's Urval)
    each file's rows outside it are left out as it is read (counted on the
    ledger's ``outside``), before its rows are compared with another file's."""
    ledgers = [read_export(source, year, wanted, progress) for source in sources]
    if urval is not None:
        ledgers = [select(ledger, urval) for ledger in ledgers]
    if len(ledgers) == 1:
        return ledgers[0]
    names = [source.path.name for source in sources]
    ledger = concat(ledgers, ", ".join(names), ", ".join(source.display for source in sources))
    ledger.notes += duplicates(ledger, [source.display for source in sources])
    return ledger


def duplicates(ledger: Ledger, files: list[str]) -> list[Finding]:
    """The rows of a later file b whose period, amount and codes are also on a
    row of an earlier file a, per pair of files (a, b) and month.

    A month is *exported twice* when more than half of the rows of the
    smaller of the two files' share of it are shared: a warning naming the
    months, as their rows are counted twice. Fewer shared rows are noted
    (info) and counted: weekly exports where two transactions of a month
    have the same account, codes and amount (the rent, a recurring fee), or
    exports that overlap by a few days — the rows carry no date to tell."""
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
    weight = ledger.weights()  # the rows each stands for (a group of an aggregated export: its rows)
    findings = []
    for a, b in sorted(set(zip(earlier[repeated].tolist(), part[repeated].tolist()))):
        rows = repeated & (earlier == a) & (part == b)
        twice, equal = [], []
        for period in sorted({int(p) for p in ledger.period[rows].tolist()}):
            in_month = ledger.period == period
            shared = int(weight[rows & in_month].sum())
            smaller = min(int(weight[in_month & (part == a)].sum()), int(weight[in_month & (part == b)].sum()))
            (twice if 2 * shared > smaller else equal).append(period)
        if twice:
            chosen = rows & np.isin(ledger.period, twice)
            n = int(weight[chosen].sum())
            findings.append(Finding(
                "dubbla-rader", files[b],
                f"{months_text(twice)} finns i både {files[a]} och {files[b]}: {n} {'rad' if n == 1 else 'rader'} "
                f"i {files[b]} finns också i {files[a]} (samma period, belopp och koder; "
                f"{format_kr(int(ledger.amount[chosen].sum()))} kr) — samma månad exporterad två gånger? Raderna "
                "räknas båda gångerna; läs in varje månad från en fil", "varning"))
        if equal:
            chosen = rows & np.isin(ledger.period, equal)
            n = int(weight[chosen].sum())
            shown = ", ".join(f"{p // 100}-{p % 100:02d}" for p in equal[:6]) + (" …" if len(equal) > 6 else "")
            findings.append(Finding(
                "dubbla-rader", files[b],
                f"{n} {'rad' if n == 1 else 'rader'} i {files[b]} är lika med rader i {files[a]} (samma period, "
                f"belopp och koder; period {shown}; {format_kr(int(ledger.amount[chosen].sum()))} kr), men "
                "månaden finns inte i sin helhet i båda filerna: olika transaktioner med samma belopp, eller "
                "exporter som överlappar några dagar? Raderna räknas med", "info"))
    return findings
