"""Which budget line each ledger row belongs to.

A row belongs to the leaf line whose every pattern matches it. When several
match, the most specific wins: more patterns beats fewer; then, column by
column (Konto first, then Ansvar, Verksamhet, Aktivitet, Projekt, Objekt,
Motpart, then other columns), the narrower pattern. Two matching lines that
are equally specific are a tie: an error naming both and an example row.
Rows no line matches are Ej budgeterat (index -1), never dropped.

The work is done once per distinct combination of codes, not per row.
"""

from __future__ import annotations

import numpy as np

from ..contract import DIMENSIONS
from ..errors import InputError
from .model import Ledger, factorize
from .patterns import CodeTable, Pattern
from .tree import Node

UNBUDGETED = -1
_MISSING = (9, 0, 0)


def column_order(dimensions: list[str]) -> list[str]:
    return [d for d in DIMENSIONS if d in dimensions] + [d for d in dimensions if d not in DIMENSIONS]


def specificity(patterns: dict[str, Pattern], order: list[str]) -> tuple:
    """Smaller sorts first = more specific."""
    return (-len(patterns), tuple(patterns[c].narrowness if c in patterns else _MISSING for c in order))


def assign(ledger: Ledger, leaves: list[Node], budget_file: str) -> np.ndarray:
    """For each row of ``ledger`` (a selection of the ledger), the index into
    ``leaves`` of its line, or UNBUDGETED."""
    n = len(ledger)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    order = column_order(ledger.dimensions)
    candidates = [i for i, leaf in enumerate(leaves) if leaf.patterns]
    for i in candidates:
        missing = [c for c in leaves[i].patterns if c not in ledger.dimensions]
        if missing:
            line = leaves[i].line or leaves[i].parent.line
            raise InputError(
                f"raden \"{leaves[i].label}\" har ett mönster för kolumnen {missing[0].capitalize()}, "
                f"som huvudboken ({ledger.source}) saknar", file=budget_file,
                where=line.cells.get(missing[0], line.where), slug="monsterkolumn-saknas")
    if not candidates:
        return np.full(n, UNBUDGETED, dtype=np.int64)
    candidates.sort(key=lambda i: (specificity(leaves[i].patterns, order), i))
    used = sorted({c for i in candidates for c in leaves[i].patterns}, key=order.index)
    group, combos = combinations([ledger.codes[c].index for c in used], [len(ledger.codes[c].texts) for c in used])
    tables = {c: CodeTable(ledger.codes[c].texts) for c in used}
    matrix = np.ones((len(combos), len(candidates)), dtype=bool)
    for j, i in enumerate(candidates):
        for column, pattern in leaves[i].patterns.items():
            matrix[:, j] &= pattern.mask(tables[column])[combos[:, used.index(column)]]
    has = matrix.any(axis=1)
    first = matrix.argmax(axis=1)
    keys = [specificity(leaves[i].patterns, order) for i in candidates]
    for j in range(len(candidates) - 1):
        if keys[j] != keys[j + 1]:
            continue
        same = [k for k in range(j, len(candidates)) if keys[k] == keys[j]]
        clash = has & (first == j) & (matrix[:, same].sum(axis=1) > 1)
        if clash.any():
            combo = int(np.flatnonzero(clash)[0])
            other = next(k for k in same if k != j and matrix[combo, k])
            _raise_tie(leaves[candidates[j]], leaves[candidates[other]], ledger, group, combo, used, budget_file)
    chosen = np.where(has, np.asarray(candidates, dtype=np.int64)[first], UNBUDGETED)
    return chosen[group]


def combinations(columns: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct combinations of codes across ``columns`` (code indexes,
    ``sizes`` distinct values each): each row's combination number, and the
    combinations (one row of code indexes each), in the order first seen."""
    n = len(columns[0]) if columns else 0
    if not columns:
        return np.zeros(n, dtype=np.int64), np.zeros((1, 0), dtype=np.int64)
    if np.prod([float(max(s, 1)) for s in sizes]) < 2.0**62:  # one number per combination (mixed radix)
        key = np.zeros(n, dtype=np.int64)
        for index, size in zip(columns, sizes):
            key = key * max(size, 1) + index
        distinct, group = factorize(key)
        first = np.full(len(distinct), n, dtype=np.int64)
        np.minimum.at(first, group, np.arange(n))
    else:
        distinct, first, group = np.unique(np.stack(columns, axis=1), axis=0, return_index=True,
                                           return_inverse=True)
    seen = np.argsort(first, kind="stable")  # number the combinations in the order first seen
    renumber = np.empty_like(seen)
    renumber[seen] = np.arange(len(seen))
    combos = np.stack([index[first[seen]] for index in columns], axis=1)
    return renumber[group.ravel()], combos


def _raise_tie(a: Node, b: Node, ledger: Ledger, group: np.ndarray, combo: int, used: list[str], file: str):
    i = int(np.flatnonzero(group == combo)[0])
    texts = {c: ledger.codes[c].texts[int(ledger.codes[c].index[i])] for c in used}
    codes = ", ".join(f"{ledger.labels.get(c, c.capitalize())} {texts[c]}" for c in used if texts[c] != "")

    def name(n: Node) -> str:  # the generated Ofördelat is named with its parent
        return n.path if n.generated else n.label

    raise InputError(
        f"raderna \"{name(a)}\" ({a.where}) och \"{name(b)}\" ({b.where}) matchar samma huvudboksrader lika "
        f"specifikt, t.ex. {ledger.where(i)} ({codes}); gör det ena mönstret snävare",
        file=file, where=None, slug="monster-tvetydigt")
