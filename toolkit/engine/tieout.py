"""Avstämning's figures: the ledger against the lines, exact in öre — the
rows in the period, their sum, the sum over the lines and Ej budgeterat, the
unbudgeted rows itemised by account and dimensions, and the rows left out by
reason and period."""

from __future__ import annotations

import numpy as np

from .mapping import UNBUDGETED, combinations
from .model import Ledger
from .results import LeftOut, TieOut, UnbudgetedItem


def exact_sums(groups: np.ndarray, amounts: np.ndarray, size: int) -> list[int]:
    """Σ amounts per group, exactly (int64 arithmetic, no floats)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, groups, amounts.astype(np.int64))
    return [int(x) for x in out]


def tie_out(ledger: Ledger, current: Ledger, owner: np.ndarray, in_period: np.ndarray, year: int,
            totals: list[int], last_year: str | None = None) -> TieOut:
    """``current``: the ledger's rows in the period; ``owner``: each one's leaf
    (or UNBUDGETED); ``totals``: Σ per leaf, Ej budgeterat first; ``last_year``:
    the reason given to the rows of År − 1 when they are last year's utfall."""
    items: list[UnbudgetedItem] = []
    dims = list(ledger.dimensions)
    if (owner == UNBUDGETED).any():
        rows = current.take(owner == UNBUDGETED)
        columns = [rows.codes[d] for d in dims]
        group, combos = combinations([c.index for c in columns], [len(c.texts) for c in columns])
        counts = rows.tally(group, len(combos))
        sums = exact_sums(group, rows.amount, len(combos))
        first = np.full(len(combos), len(group), dtype=np.int64)
        np.minimum.at(first, group, np.arange(len(group)))
        for g in range(len(combos)):
            codes = {d: columns[k].texts[int(combos[g, k])] for k, d in enumerate(dims)}
            items.append(UnbudgetedItem(codes, int(counts[g]), sums[g], rows.where(int(first[g]))))
        items.sort(key=lambda item: tuple(item.codes[d] for d in dims))
    left: list[LeftOut] = []
    outside = ~in_period
    if outside.any():
        periods, index = np.unique(ledger.period[outside], return_inverse=True)
        counts = ledger.tally(index.ravel(), len(periods), outside)
        sums = exact_sums(index.ravel(), ledger.amount[outside], len(periods))
        def reason(p: int) -> str:
            if p // 100 == year:
                return "efter bokslutsperioden"
            return last_year if last_year and p // 100 == year - 1 else "från ett annat år"

        left = [LeftOut(reason(p), int(p), int(c), s) for p, c, s in zip(periods.tolist(), counts.tolist(), sums)]
        left.sort(key=lambda item: (item.reason, item.period))
    return TieOut(ledger.source, ledger.layout, ledger.rows_read, current.rows(), int(current.amount.sum()),
                  sum(totals[1:]), int(totals[0]), tuple(items), tuple(left), tuple(dims), dict(ledger.labels),
                  outside=ledger.outside)
