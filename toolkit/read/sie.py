"""SIE files (Swedish accounting exports) as a ledger grid.

Only income and cost accounts are read (``#KTYP`` I or K; without it, BAS
classes 3–8): a verification's balance-sheet side (1xxx, 2xxx) is no utfall.

- SIE 4: every ``#TRANS`` under a ``#VER`` is a ledger row: the account, the
  objects in ``{dimension "object" …}`` (named by ``#DIM``), the amount, and the
  period of the transaction date (or of the verification's date).
  ``#RTRANS``/``#BTRANS`` (added/removed by a later correction) are left
  out: SIE writes an added transaction again as a plain ``#TRANS``.
- SIE 3: every ``#PSALDO`` (a period's balance per account and objects) is a
  row.  A balance is given both for the account (``{}``) and broken down by
  objects, sometimes once per kind of object: the lines that add up to the
  account's total are used (see ``_from_balances``), so each krona counts once.

The file is read as the specification says, CP437 (``#FORMAT PC8``), unless
it is valid UTF-8 with a BOM or declares ``#FORMAT UTF8``.  The grid has the
header Period, Konto, one column per dimension, Belopp; row *i* is line *i*
of the file, so a bad amount is reported as ``rad 17 (Belopp)``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from .grid import Grid

# the dimensions SIE reserves (§ 8.17), named when a file has no #DIM for them
STANDARD_DIMENSIONS = {1: "Resultatenhet", 2: "Kostnadsbärare", 6: "Projekt", 7: "Anställd", 8: "Kund",
                       9: "Leverantör", 10: "Faktura"}

_TOKEN = re.compile(r'"((?:\\.|[^"\\])*)"|(\{[^}]*\})|(\S+)')


def _tokens(text: str) -> list[str]:
    out = []
    for quoted, objects, word in _TOKEN.findall(text):
        out.append(objects or word or quoted.replace('\\"', '"').replace("\\\\", "\\"))
    return out


def _objects(field: str, line: int, display: str) -> list[tuple[int, str]]:
    """``{1 "110010" 6 "9101"}`` → [(1, '110010'), (6, '9101')]."""
    if not (field.startswith("{") and field.endswith("}")):
        raise InputError(f"rad {line}: objektlistan {field!r} saknar {{ }}", file=display)
    parts = _tokens(field[1:-1])
    if len(parts) % 2:
        raise InputError(f"rad {line}: objektlistan {field} har en dimension utan objekt", file=display)
    pairs = []
    for dim, obj in zip(parts[::2], parts[1::2]):
        if not dim.isdigit():
            raise InputError(f"rad {line}: \"{dim}\" i objektlistan är ingen dimension", file=display)
        pairs.append((int(dim), obj))
    return pairs


def decode_sie(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    head = data[:4096].upper()
    if re.search(rb"#FORMAT\s+UTF-?8", head):
        return data.decode("utf-8", errors="strict")
    return data.decode("cp437")


def read_sie_grid(path: Path, display: str) -> Grid:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", file=display) from exc
    try:
        text = decode_sie(data)
    except UnicodeDecodeError as exc:
        raise InputError(f"filen säger #FORMAT UTF8 men är inte UTF-8 (byte {exc.start})", file=display) from exc
    lines = text.splitlines()
    if not any(line.lstrip().startswith("#") for line in lines[:20]):
        raise InputError("filen är ingen SIE-fil (inga #-rader i början)", file=display)
    names: dict[int, str] = {}
    types: dict[str, str] = {}  # account -> T, S, K or I (#KTYP)
    trans: list[tuple[int, str, list[tuple[int, str]], str, str]] = []  # line, account, objects, amount, date
    balances: list[tuple[int, str, str, list[tuple[int, str]], str]] = []  # line, period, account, objects, amount
    ver_date = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line.startswith("#"):
            continue
        fields = _tokens(line)
        label = fields[0].upper()
        if label == "#DIM" and len(fields) >= 3 and fields[1].isdigit():
            names[int(fields[1])] = fields[2]
        elif label == "#KTYP" and len(fields) >= 3:
            types[fields[1]] = fields[2].upper()
        elif label == "#VER":
            ver_date = fields[3] if len(fields) > 3 else ""
        elif label == "#TRANS":
            if len(fields) < 4:
                raise InputError(f"rad {number}: #TRANS behöver konto, objektlista och belopp", file=display)
            date = fields[4] if len(fields) > 4 and fields[4].isdigit() else ver_date
            trans.append((number, fields[1], _objects(fields[2], number, display), fields[3], date))
        elif label == "#PSALDO":
            if len(fields) < 6:
                raise InputError(f"rad {number}: #PSALDO behöver årsnummer, period, konto, objektlista och belopp",
                                 file=display)
            balances.append((number, fields[2], fields[3], _objects(fields[4], number, display), fields[5]))
    trans = [t for t in trans if _in_result(t[1], types)]
    balances = [b for b in balances if _in_result(b[2], types)]
    if trans:
        rows = [(n, _period(date, n, display), account, objects, _amount(amount, n, display))
                for n, account, objects, amount, date in trans]
    elif balances:
        rows = _from_balances([(n, p, a, o, _amount(amount, n, display)) for n, p, a, o, amount in balances])
    else:
        raise InputError("SIE-filen har varken #TRANS- eller #PSALDO-rader för intäkts- eller kostnadskonton",
                         file=display)
    dims = sorted({d for *_, objects, _ in rows for d, _ in objects})
    header = ["Period", "Konto", *[names.get(d, STANDARD_DIMENSIONS.get(d, f"Dimension {d}")) for d in dims], "Belopp"]
    grid: list[list[str]] = [header] + [[] for _ in lines]
    for n, period, account, objects, amount in rows:
        by_dim = dict(objects)
        grid[n] = [period, account, *[by_dim.get(d, "") for d in dims], amount]
    return Grid(path.name, display, grid, is_csv=True)


def _in_result(account: str, types: dict[str, str]) -> bool:
    """An income or cost account (#KTYP I or K; without it, BAS classes 3–8):
    the balance-sheet side of each verification is no utfall."""
    kind = types.get(account)
    if kind is not None:
        return kind in ("I", "K")
    return account[:1] in "345678" and account[:1] != ""


def _period(date: str, line: int, display: str) -> str:
    if len(date) == 8 and date.isdigit():
        return date[:6]
    raise InputError(f"rad {line}: transaktionen saknar datum (ÅÅÅÅMMDD) och verifikationen har inget", file=display)


def _amount(text: str, line: int, display: str) -> Decimal:
    """An SIE amount: a decimal point, never thousands separators (``-1250.50``)."""
    if not _AMOUNT.match(text):
        raise InputError(f"\"{text}\" är inte ett belopp", file=display, where=f"rad {line} (Belopp)")
    return Decimal(text)


_AMOUNT = re.compile(r"^-?\d+(?:\.\d+)?$")


def _from_balances(balances):
    """#PSALDO rows, each balance counted once.  Per period and account, the
    lines with objects are parts of the account's total ({}) when they add
    up to it (all of them, or those of one kind of object list, the most
    detailed first); otherwise the most detailed kind is used and what the
    total has beyond it becomes a row without objects."""
    groups: dict[tuple[str, str], list] = {}
    for item in balances:
        groups.setdefault((item[1], item[2]), []).append(item)
    rows = []
    for (period, account), items in groups.items():
        total = next((i for i in items if not i[3]), None)
        parts = [i for i in items if i[3]]
        chosen = parts
        if total is not None and parts and sum(i[4] for i in parts) != total[4]:
            kinds: dict[tuple, list] = {}
            for i in parts:
                kinds.setdefault(tuple(sorted(d for d, _ in i[3])), []).append(i)
            ordered = sorted(kinds, key=lambda k: (-len(k), k))
            whole = [k for k in ordered if sum(i[4] for i in kinds[k]) == total[4]]
            chosen = kinds[whole[0] if whole else ordered[0]]
        rows += [(n, period, account, objects, amount) for n, _p, _a, objects, amount in chosen]
        if total is not None:
            rest = total[4] - sum((i[4] for i in chosen), start=Decimal(0))
            if rest or not chosen:
                rows.append((total[0], period, account, [], rest))
    return sorted(rows, key=lambda row: row[0])
