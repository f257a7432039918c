"""SIE 3 period balances (``#PSALDO``): which lines make an account's total.

Programs write an account's balance for a period in one of two styles:

- *total*: the line without objects (``{}``) is the account's total, and
  lines with objects break it down — all of it, part of it, or once per kind
  of object (per kostnadsställe and again per projekt).  A zero total may be
  left out.
- *partition* (Avendo): one line per object combination, each a disjoint
  part; the line without objects holds only what was booked without objects,
  and is missing when everything has objects.  The total is the sum of all
  lines.

The style is read from the file itself: in the total style some line without
objects equals the sum of its object lines (all, or those of one kind); in the
partition style none does, and an account's balance often has object lines
only.  The file's ``#RES`` (the year's result per account) settles it when the
two readings differ; when neither does, the file's style is named unclear.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

# line, year (0 = this year), period (yyyymm), account, objects, amount
Balance = tuple[int, str, str, str, tuple[tuple[int, str], ...], Decimal]
# line, period, account, objects, amount: one ledger row
Row = tuple[int, str, str, tuple[tuple[int, str], ...], Decimal]

TOTAL = "total"
PARTITION = "partition"


@dataclass
class Reading:
    rows: list[Row]
    style: str | None  # TOTAL, PARTITION, or None when both read the same
    unclear: bool  # the two readings differ and neither the file's structure nor its #RES tells which is meant
    total_kr: Decimal  # the sum of the rows as read
    other_kr: Decimal  # the sum the other reading gives
    first_line: int  # a line where the two readings differ (0: none)


def read_balances(balances: list[Balance], results: dict[str, Decimal] | None) -> Reading:
    """The ledger rows of ``balances`` (income and cost accounts only), each
    krona once.  ``results``: the file's ``#RES`` for year 0, when it has any."""
    groups: dict[tuple[str, str], list[Balance]] = {}
    for item in balances:
        groups.setdefault((item[1], item[2], item[3]), []).append(item)
    as_total, as_parts = [], []
    sums = {TOTAL: defaultdict(Decimal), PARTITION: defaultdict(Decimal)}  # year 0, per account
    matches = parts_only = 0
    first_line = 0
    for (year, _period, account), items in groups.items():
        total = next((i for i in items if not i[4]), None)
        parts = [i for i in items if i[4]]
        rows = _total_rows(total, parts)
        as_total += rows
        as_parts += [(n, p, a, o, v) for n, _y, p, a, o, v in items]
        parts_sum = sum((i[5] for i in parts), Decimal(0))
        if total is None:
            parts_only += parts_sum != 0
        elif parts_sum:
            first_line = first_line or total[0]
            matches += _adds_up(total, parts)
        if year == "0":
            sums[TOTAL][account] += sum((r[4] for r in rows), Decimal(0))
            sums[PARTITION][account] += sum((i[5] for i in items), Decimal(0))
    read = {TOTAL: as_total, PARTITION: as_parts}
    kr = {style: sum((r[4] for r in rows), Decimal(0)) for style, rows in read.items()}
    if not first_line:  # no account has both a line without objects and lines with: one reading
        return Reading(sorted(as_total), None, False, kr[TOTAL], kr[TOTAL], 0)
    style = TOTAL if matches else PARTITION
    clear = (matches > 0) != (parts_only > 0)  # one style's signature, not both or neither
    differ = {a for a in sums[TOTAL].keys() | sums[PARTITION].keys() if sums[TOTAL][a] != sums[PARTITION][a]}
    if results and differ:
        agree = [s for s in (TOTAL, PARTITION) if all(sums[s][a] == results.get(a, 0) for a in differ)]
        if len(agree) == 1:
            style, clear = agree[0], True
    other = PARTITION if style == TOTAL else TOTAL
    return Reading(sorted(read[style]), style, not clear and kr[TOTAL] != kr[PARTITION], kr[style], kr[other],
                   first_line)


def _adds_up(total: Balance, parts: list[Balance]) -> bool:
    """The line without objects is the sum of its object lines: all of them,
    or those of one kind of object list."""
    kinds: dict[tuple[int, ...], Decimal] = defaultdict(Decimal)
    for i in parts:
        kinds[tuple(sorted(d for d, _ in i[4]))] += i[5]
    return total[5] == sum(kinds.values()) or total[5] in kinds.values()


def _total_rows(total: Balance | None, parts: list[Balance]) -> list[Row]:
    """The total style: the object lines that add up to the total are used
    (all of them, or those of one kind, the most detailed first); otherwise
    the most detailed kind, and what the total has beyond it becomes a row
    without objects."""
    chosen = parts
    if total is not None and parts and sum(i[5] for i in parts) != total[5]:
        kinds: dict[tuple[int, ...], list[Balance]] = {}
        for i in parts:
            kinds.setdefault(tuple(sorted(d for d, _ in i[4])), []).append(i)
        ordered = sorted(kinds, key=lambda k: (-len(k), k))
        whole = [k for k in ordered if sum(i[5] for i in kinds[k]) == total[5]]
        chosen = kinds[whole[0] if whole else ordered[0]]
    rows: list[Row] = [(n, p, a, o, v) for n, _y, p, a, o, v in chosen]
    if total is not None:
        rest = total[5] - sum((i[5] for i in chosen), Decimal(0))
        if rest or not chosen:
            rows.append((total[0], total[2], total[3], (), rest))
    return rows
