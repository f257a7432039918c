"""Ledger exports read once for many workbooks (a folder run, ``folder.py``).

A region's one ledger export, split by Ansvar, is often named by the
Utfallsfil of every unit's workbook.  Before a folder run starts its worker
processes, the parent reads each export that two or more workbooks name and
``remember``s what came of it — the columnar ``Ledger``, or the ``InputError``
that stops every workbook using it.  The workers inherit this module's cache
(they are forked after it is filled) and ``read_ledgers`` takes the export
from it instead of reading the file again.

The key is everything the read depends on: the file (its real path, size and
modification time: a file changed meanwhile is read again), the name the
messages give it (``display``), the sheet, the year that dates bare months,
the columns wanted and whether an SIE file's balance accounts are read.  A
workbook whose key differs reads the file itself, as without the cache.

The cached ledger's arrays are made read-only and each workbook gets its own
shallow copy (its own ``notes`` list, which ``read_ledgers`` extends, and its
own ``Codes``), so no run sees another's changes.
"""

from __future__ import annotations

import copy
import dataclasses
import os

from ..engine.model import Codes, Ledger
from ..errors import InputError
from .workbook import Source

Key = tuple

_CACHE: dict[Key, Ledger | InputError] = {}


def key(source: Source, sheet: str, year: int | None, wanted: set[str] | None) -> Key | None:
    """What the read of ``source``'s ``sheet`` depends on (None when the file cannot be looked at)."""
    try:
        real = os.path.realpath(source.path)
        stat = os.stat(real)
    except OSError:
        return None
    return (real, stat.st_size, stat.st_mtime_ns, source.display, sheet, year,
            None if wanted is None else frozenset(wanted), bool(source.balance_accounts))


def remember(key_: Key, outcome: Ledger | InputError) -> None:
    """Keep what reading the file of ``key_`` gave (a ledger is frozen: its arrays read-only)."""
    if isinstance(outcome, Ledger):
        for array in (outcome.period, outcome.amount, outcome.row, outcome.col,
                      *(codes.index for codes in outcome.codes.values())):
            array.flags.writeable = False
    _CACHE[key_] = outcome


def recall(source: Source, sheet: str, year: int | None, wanted: set[str] | None) -> Ledger | None:
    """The ledger read earlier for this source (a copy of its own), or None;
    raises the error that reading it stopped with."""
    if not _CACHE or not source.is_csv:
        return None
    found = _CACHE.get(key(source, sheet, year, wanted))  # type: ignore[arg-type]
    if found is None:
        return None
    if isinstance(found, InputError):
        raise copy.copy(found)
    return dataclasses.replace(found, notes=list(found.notes), dimensions=list(found.dimensions),
                               labels=dict(found.labels),
                               codes={name: Codes(codes.index, list(codes.texts)) for name, codes in found.codes.items()})


def held() -> dict[Key, Ledger]:
    """The ledgers held (not the errors), to hand to workers that are not forked (``install``)."""
    return {k: v for k, v in _CACHE.items() if isinstance(v, Ledger)}


def install(ledgers: dict[Key, Ledger]) -> None:
    """A worker's cache, from ``held`` in the parent (pickled: a worker started by spawn or forkserver)."""
    for key_, ledger in ledgers.items():
        remember(key_, ledger)


def clear() -> None:
    _CACHE.clear()


def cached() -> int:
    """How many exports are held."""
    return len(_CACHE)

