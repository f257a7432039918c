"""Transaktioner: the ledger rows that make up the period's figures, each with
the line it was mapped to — for the sheet that lets the economist filter
down to what makes up a figure (Inställningar: ``Transaktioner`` = ja).

Every row of the year up to the closing period is listed, those mapped to no
line as Ej budgeterat; rows of another year or after the period are not (they
are in no figure).  Its amounts therefore add up to Avstämning's Σ huvudbok i
perioden.  Above ``LIMIT`` rows the sheet is not written (a table that size
makes the workbook slow to open and filter in Excel): an info finding says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..findings import Finding
from ..layout import UNBUDGETED_LABEL
from ..money import group_thousands
from .mapping import UNBUDGETED
from .model import Codes, Ledger

LIMIT = 200_000  # rows: more and the sheet is not written
SLUG = "transaktioner-for-manga"


@dataclass(frozen=True)
class Transactions:
    """The period's ledger rows as columns (in the ledger's order): ``period``
    (yyyymm), ``amount`` (öre, debit positive), one ``Codes`` per dimension
    column (headed as the ledger heads it), and ``line``: each row's index in
    ``paths`` (the lines' label paths, Ej budgeterat last)."""

    headings: tuple[str, ...]  # the dimension columns' headers as written (Konto, Ansvar …)
    codes: tuple[Codes, ...]
    period: np.ndarray
    amount: np.ndarray
    line: np.ndarray
    paths: tuple[str, ...]
    where: tuple[str, ...]  # each row's position in its source (Utfall!H17, export.csv: rad 12)

    def __len__(self) -> int:
        return len(self.period)

    @property
    def total(self) -> int:
        """Σ amount, öre."""
        return int(self.amount.sum())


def transactions(current: Ledger, owner: np.ndarray, paths: list[str]) -> Transactions:
    """``current``: the ledger's rows in the period; ``owner``: each one's leaf
    index in ``paths`` (the leaves' label paths) or UNBUDGETED."""
    line = np.where(owner == UNBUDGETED, len(paths), owner).astype(np.int64)
    dims = list(current.dimensions)
    where = tuple(current.where(i) for i in range(len(current)))
    return Transactions(tuple(current.labels.get(d, d.capitalize()) for d in dims),
                        tuple(current.codes[d] for d in dims), current.period, current.amount, line,
                        (*paths, UNBUDGETED_LABEL), where)


#: Transaktioner as a refresh leaves it when an earlier run wrote it and the setting is now nej: no rows
#: that could be taken for this month's
SWITCHED_OFF = ("Bladet uppdateras inte längre: Transaktioner är nej på Inställningar, så raderna som stod här "
                "har tagits bort. Sätt Transaktioner till ja för att få dem igen, eller ta bort bladet.")


def too_many_note(rows: int, limit: int = LIMIT) -> str:
    """What Transaktioner says instead of its rows when the period has too many."""
    return (f"Raderna skrevs inte: perioden har {group_thousands(rows)} huvudboksrader, fler än gränsen "
            f"{group_thousands(limit)} (en så stor tabell gör arbetsboken svår att använda). Filtrera i "
            "huvudboksexporten i stället, eller sätt Transaktioner till nej på Inställningar.")


def too_many(rows: int, source: str, limit: int = LIMIT) -> Finding:
    """The info finding when the period has more rows than the sheet takes."""
    return Finding(SLUG, source, f"bladet Transaktioner skrevs inte: perioden har {group_thousands(rows)} "
                   f"huvudboksrader, fler än gränsen {group_thousands(limit)} (en så stor tabell gör arbetsboken svår "
                   "att använda); filtrera i huvudboksexporten i stället, eller sätt Transaktioner till nej på "
                   "Inställningar", "info")
