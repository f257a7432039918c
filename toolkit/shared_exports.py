"""A folder run's shared ledger exports, read once (``read.shared`` holds them).

Before the workbooks of a folder are refreshed, each one's Inställningar and
Budget sheet are read (not its ledger) to learn which export files its
Utfallsfil names and how they would be read: the year that dates bare
months, the ledger columns the budget maps by, an SIE file's balance accounts
or not.  An export that two or more workbooks would read in the same way is
read here once — into the columnar ledger, or into the one-line error that
stops each workbook that uses it — and the workers (forked afterwards) take it
from the cache.  A workbook whose settings cannot be read is left to its own
run, which reports what is wrong with it; nothing here ever stops a workbook.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .errors import InputError, ReconcileError
from .read import shared


def keys_of(path: Path, period: str | None, given: tuple[str, ...] = ()) -> list[tuple[shared.Key, Path, str, bool]]:
    """(cache key, file, display, balance accounts) of each export the
    workbook at ``path`` reads: ``given`` (the folder's --utfall), else what its
    Utfallsfil names; none when it names none or its settings cannot be read."""
    from .contract import BUDGET_SHEET
    from .read.exports import expand, sheet_of
    from .read.inputs import _settings_grid, ledger_columns, ledger_setting, with_period
    from .read.settings import read_settings
    from .read.workbook import Source

    try:
        book = Source(path, str(path))
        settings, _ = read_settings(_settings_grid(book, []), path.stem)
        if period:
            settings = with_period(settings, period, str(path))
        if given:
            files = expand(list(given))
        elif not settings.ledger_files:
            return []
        else:
            files = ledger_setting(settings, path)
        wanted, balance = ledger_columns(book.grid(BUDGET_SHEET.name), settings)
    except (ReconcileError, OSError, ValueError):
        return []
    found = []
    for file in files:
        display = str(file)
        source = Source(file, display)
        if not source.is_csv:  # a workbook's Utfall sheet: not a shared export
            continue
        source.balance_accounts = balance
        key = shared.key(source, sheet_of(source), settings.year, wanted)
        if key is not None:
            found.append((key, file, display, balance))
    return found


def read_shared(paths: list[Path], period: str | None, given: tuple[str, ...] = ()) -> int:
    """Read each export that two or more of the workbooks at ``paths`` would
    read alike (``given``: the folder's --utfall, for all of them), once, into
    ``read.shared``'s cache; how many were read."""
    from .read.exports import sheet_of
    from .read.ledger import read_ledger_sheet
    from .read.workbook import Source

    if len(paths) < 2:
        return 0
    planned = {path: keys_of(path, period, given) for path in paths}
    uses = Counter(key for found in planned.values() for key, *_ in found)
    done: set[shared.Key] = set()
    for found in planned.values():
        for key, file, display, balance in found:
            if uses[key] < 2 or key in done:
                continue
            done.add(key)
            source = Source(file, display)
            source.balance_accounts = balance
            _, _, _, _, sheet, year, wanted, _ = key
            try:
                ledger = read_ledger_sheet(source, sheet_of(source), year, None if wanted is None else set(wanted))
            except InputError as exc:
                shared.remember(key, exc)  # each workbook using it stops with this line
                continue
            except (ReconcileError, OSError, ValueError, MemoryError):
                continue  # left to each workbook's own read
            if shared.key(source, sheet, year, wanted) == key:  # unchanged while it was read
                shared.remember(key, ledger)
    return len(done)
