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

from ..errors import InputError
from .model import Ledger
from .patterns import Pattern
from .tree import Node

UNBUDGETED = -1
_MISSING = (9, 0, 0)


def column_order(dimensions: list[str]) -> list[str]:
    from ..read.headers import DIMENSIONS

    return [d for d in DIMENSIONS if d in dimensions] + [d for d in dimensions if d not in DIMENSIONS]


def specificity(patterns: dict[str, Pattern], order: list[str]) -> tuple:
    """Smaller sorts first = more specific."""
    return (-len(patterns), tuple(patterns[c].narrowness if c in patterns else _MISSING for c in order))


def assign(frame, leaves: list[Node], ledger: Ledger, budget_file: str) -> np.ndarray:
    """For each row of ``frame`` (a slice of ``ledger.frame``), the index into
    ``leaves`` of its line, or UNBUDGETED."""
    n = len(frame)
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
                where=line.cells.get(missing[0], line.where))
    if not candidates:
        return np.full(n, UNBUDGETED, dtype=np.int64)
    candidates.sort(key=lambda i: (specificity(leaves[i].patterns, order), i))
    used = sorted({c for i in candidates for c in leaves[i].patterns}, key=order.index)
    if used:
        codes = frame[used]
        group = codes.groupby(used, sort=False, dropna=False).ngroup().to_numpy()
        combos = codes.drop_duplicates()
    else:
        group = np.zeros(n, dtype=np.int64)
        combos = frame.iloc[:1][[]]
    m = len(combos)
    matrix = np.ones((m, len(candidates)), dtype=bool)
    for j, i in enumerate(candidates):
        for column, pattern in leaves[i].patterns.items():
            values = combos[column]
            hits = {code: pattern.matches(code) for code in values.unique()}
            matrix[:, j] &= values.map(hits).to_numpy(dtype=bool)
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
            _raise_tie(leaves[candidates[j]], leaves[candidates[other]], frame, group, combo, used, ledger,
                       budget_file)
    chosen = np.where(has, np.asarray(candidates, dtype=np.int64)[first], UNBUDGETED)
    return chosen[group]


def _raise_tie(a: Node, b: Node, frame, group, combo: int, used: list[str], ledger: Ledger, file: str):
    row = frame.iloc[int(np.flatnonzero(group == combo)[0])]
    codes = ", ".join(f"{ledger.labels.get(c, c.capitalize())} {row[c]}" for c in used if row[c] != "")
    where = ledger.locate(int(row["row"]), int(row["col"]))

    def name(n: Node) -> str:  # the generated Ofördelat is named with its parent
        return n.path if n.generated else n.label

    raise InputError(
        f"raderna \"{name(a)}\" ({a.where}) och \"{name(b)}\" ({b.where}) matchar samma huvudboksrader lika "
        f"specifikt, t.ex. {where} ({codes}); gör det ena mönstret snävare",
        file=file, where=None)
