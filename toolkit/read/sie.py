"""SIE files (Swedish accounting exports) as a ledger grid, read as an
accountant reads them.

Only income and cost accounts are read (``#KTYP`` I or K; T and S are balance
accounts; without a type, or with one SIE does not know, BAS classes 3–8): a
verification's balance-sheet side (1xxx, 2xxx) is no utfall.  ``8999 Årets
resultat``, the closing entry that books the year's result, is left out
whatever its type.

- SIE 4: every ``#TRANS`` under a ``#VER`` is a ledger row: the account, the
  objects in ``{dimension "object" …}``, the amount, and the period of the
  transaction date (or of the verification's date).  ``#RTRANS``/``#BTRANS``
  (added/removed by a later correction) are left out: SIE writes an added
  transaction again as a plain ``#TRANS``.  A verification's ``{ … }`` must
  close before the next ``#VER`` and before the end of the file (a file cut
  off in the middle stops the run).
- SIE 3: every ``#PSALDO`` (a period's balance per account and objects) is a
  row, each krona counted once in the file's style (see ``sie_balances``).

Dimensions are named by ``#DIM`` (``#UNDERDIM`` for a sub-dimension, whose
objects also count under the parent dimension); dimensions 1
(kostnadsställe) and 6 (projekt) come out as Ansvar and Projekt when their
name is none of ours.  When the file has ``#RES`` (the year's result per
account) and it differs from what was read, a warning names the accounts.

The file is read as the specification says, CP437 (``#FORMAT PC8``), unless
it has a UTF-8 BOM, declares ``#FORMAT UTF8``, or is valid UTF-8 with
multi-byte characters (programs that write UTF-8 but say PC8).  The grid has
the header Period, Konto, one column per dimension, Belopp; row *n* is line
*n* of the file, so a bad amount is reported as ``rad 17 (Belopp)``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..contract import DIMENSIONS, LEDGER_SHEET
from ..contract.ledger import ACCOUNT, ACCOUNT_KIND, AMOUNT, BALANCE_ACCOUNT, PERIOD
from ..errors import InputError
from ..findings import Finding
from ..money import MAX_ORE, format_kr, to_ore, too_large
from .grid import Grid
from .headers import canonical
from .sie_balances import TOTAL, Balance, Row, read_balances

# the dimensions SIE reserves (§ 8.17), named when a file has no #DIM for them
STANDARD_DIMENSIONS = {1: "Resultatenhet", 2: "Kostnadsbärare", 6: "Projekt", 7: "Anställd", 8: "Kund",
                       9: "Leverantör", 10: "Faktura"}
# a reserved dimension read as one of ours when the file names it otherwise (#DIM 1 "Avdelning")
OUR_NAME = {1: LEDGER_SHEET.column("ansvar").name, 6: LEDGER_SHEET.column("projekt").name}
ACCOUNT_TYPES = ("T", "S", "K", "I")  # tillgång, skuld, kostnad, intäkt
CLOSING_ACCOUNT = "8999"  # Årets resultat

Objects = tuple[tuple[int, str], ...]

_TOKEN = re.compile(r'"((?:\\.|[^"\\])*)"|(\{(?:"(?:\\.|[^"\\])*"|[^}"])*\})|(\S+)')
_AMOUNT = re.compile(r"^-?\d+(?:\.\d+)?$")


def _tokens(text: str) -> list[str]:
    out = []
    for quoted, objects, word in _TOKEN.findall(text):
        out.append(objects or word or quoted.replace('\\"', '"').replace("\\\\", "\\"))
    return out


def decode_sie(data: bytes) -> str:
    """CP437 as the specification says, unless the file is UTF-8: with a BOM,
    by ``#FORMAT UTF8``, or because its bytes are valid UTF-8 with multi-byte
    characters (Swedish letters in CP437 are lone bytes 0x80–0x9F, never valid UTF-8)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    head = data[:4096].upper()
    if re.search(rb"#FORMAT\s+\"?UTF-?8", head):
        return data.decode("utf-8", errors="strict")
    if not data.isascii():
        try:
            return data.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            pass
    return data.decode("cp437")


@dataclass
class _Sie:
    """What the file says, line by line."""

    names: dict[int, str] = field(default_factory=dict)  # #DIM
    underdims: dict[int, tuple[str, int]] = field(default_factory=dict)  # #UNDERDIM: name, parent
    types: dict[str, tuple[str, int]] = field(default_factory=dict)  # #KTYP: account -> type, line
    year0: tuple[str, str] | None = None  # #RAR 0: first and last day
    results: dict[str, tuple[str, int]] = field(default_factory=dict)  # #RES 0: account -> amount, line
    trans: list[tuple[int, str, Objects, str, str]] = field(default_factory=list)  # line, account, objects, amount, date
    balances: list[tuple[int, str, str, str, Objects, str]] = field(default_factory=list)  # line, year, period, …


class _LineGrid(Grid):
    """Row n is line n of the file: positions are ``rad n (Belopp)``."""

    def where(self, row: int, col: int | None = None) -> str:
        text = f"rad {row}"
        if col is not None and col in self.headers:
            text += f" ({self.headers[col]})"
        return text


def read_sie_grid(path: Path, display: str, *, balance_accounts: bool = False) -> Grid:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", file=display, slug="fil-saknas") from exc
    try:
        text = decode_sie(data)
    except UnicodeDecodeError as exc:
        raise InputError(f"filen säger #FORMAT UTF8 men är inte UTF-8 (byte {exc.start})", file=display,
                         slug="teckenkodning-ogiltig") from exc
    lines = text.splitlines()
    if not any(line.lstrip().startswith("#") for line in lines[:20]):
        raise InputError("filen är ingen SIE-fil (inga #-rader i början)", file=display, slug="sie-ogiltig")
    sie = _parse(lines, display)
    return _Reader(sie, path.name, display, balance_accounts).grid(len(lines))


def _parse(lines: list[str], display: str, numbered: list[tuple[int, str]] | None = None) -> _Sie:
    """What the file says; ``numbered``: only these (line number, line) instead of every line of ``lines``."""
    sie = _Sie()
    cache: dict[str, Objects] = {}
    ver_line = 0  # the line of the #VER whose { … } is being read (0: none)
    ver_name = ver_date = ""
    opened = False  # its { seen
    if numbered is None:
        numbered = list(enumerate(lines, start=1))
        last = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), 0)
    else:
        last = next((n for n, line in reversed(numbered) if line.strip()), 0)
    number = 0
    try:
        for number, raw in numbered:
            line = raw.strip()
            if not line:
                continue
            first = line[0]
            if first == "{" or first == "}":
                if line not in ("{", "}"):
                    raise InputError(f"\"{_shorten(line)}\" är ingen SIE-rad", file=display, where=f"rad {number}",
                                     slug="sie-rad-ogiltig")
                if first == "{":
                    if not ver_line or opened:
                        raise InputError("{ utan #VER framför", file=display, where=f"rad {number}", slug="sie-klammer-utan-ver")
                    opened = True
                else:
                    if not ver_line:
                        raise InputError("} utan #VER och { framför", file=display, where=f"rad {number}",
                                         slug="sie-klammer-utan-ver")
                    ver_line, opened = 0, False
                continue
            if first != "#":
                continue
            fields = _tokens(line)
            label = fields[0].upper()
            if label == "#TRANS":
                if len(fields) < 4:
                    raise InputError("#TRANS behöver konto, objektlista och belopp", file=display,
                                     where=f"rad {number}", slug="sie-falt-saknas")
                date = fields[4] if len(fields) > 4 and fields[4].isdigit() else ver_date
                sie.trans.append((number, fields[1], _objects(fields[2], number, display, cache, line), fields[3],
                                  date))
            elif label == "#VER":
                if ver_line:
                    raise InputError(f"{ver_name} saknar avslutande }} (nästa #VER börjar på rad {number})",
                                     file=display, where=f"rad {ver_line}", slug="sie-ver-oavslutad")
                ver_line, opened = number, False
                ver_name = " ".join(["#VER", *(f or '""' for f in fields[1:3])])
                ver_date = fields[3] if len(fields) > 3 else ""
            elif label == "#PSALDO":
                if len(fields) < 6:
                    raise InputError("#PSALDO behöver årsnummer, period, konto, objektlista och belopp",
                                     file=display, where=f"rad {number}", slug="sie-falt-saknas")
                _year_number(fields[1], "#PSALDO", number, display)
                sie.balances.append((number, fields[1], fields[2], fields[3],
                                     _objects(fields[4], number, display, cache, line), fields[5]))
            elif label == "#RES":
                if len(fields) < 4:
                    raise InputError("#RES behöver årsnummer, konto och belopp", file=display, where=f"rad {number}",
                                     slug="sie-falt-saknas")
                if _year_number(fields[1], "#RES", number, display) == 0:
                    sie.results[fields[2]] = (fields[3], number)
            elif label == "#KTYP" and len(fields) >= 2:
                sie.types[fields[1]] = (fields[2].upper() if len(fields) >= 3 else "", number)
            elif label == "#DIM":
                if len(fields) < 3 or not fields[1].isdigit():
                    raise InputError("#DIM behöver ett dimensionsnummer och ett namn", file=display,
                                     where=f"rad {number}", slug="sie-falt-saknas")
                sie.names[int(fields[1])] = fields[2]
            elif label == "#UNDERDIM":
                if len(fields) < 4 or not (fields[1].isdigit() and fields[3].isdigit()):
                    raise InputError("#UNDERDIM behöver ett dimensionsnummer, ett namn och den överordnade "
                                     "dimensionens nummer", file=display, where=f"rad {number}", slug="sie-falt-saknas")
                sie.underdims[int(fields[1])] = (fields[2], int(fields[3]))
            elif label == "#RAR":
                if len(fields) < 4 or not all(len(f) == 8 and f.isdigit() for f in fields[2:4]):
                    raise InputError("#RAR behöver årsnummer, första och sista dag (ÅÅÅÅMMDD)", file=display,
                                     where=f"rad {number}", slug="sie-falt-saknas")
                if _year_number(fields[1], "#RAR", number, display) == 0:
                    sie.year0 = (fields[2], fields[3])
    except InputError:
        if not (ver_line and number == last):  # not a line cut off at the end of the file
            raise
    if ver_line:
        raise InputError(f"{ver_name} saknar avslutande }}: filen tar slut inne i verifikationen — är den avkortad? "
                         "Exportera den igen", file=display, where=f"rad {ver_line}", slug="sie-ver-oavslutad")
    return sie


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def _objects(text: str, line: int, display: str, cache: dict[str, Objects], raw: str) -> Objects:
    """``{1 "110010" 6 "9101"}`` → ((1, '110010'), (6, '9101')); ``raw``: the line, to show an unclosed list."""
    known = cache.get(text)
    if known is not None:
        return known
    if not text.startswith("{"):
        raise InputError(f"objektlistan saknas (\"{_shorten(text)}\" står där {{ … }} ska stå)", file=display,
                         where=f"rad {line}", slug="sie-objektlista-ogiltig")
    if not text.endswith("}"):
        opened = raw[raw.index(text):]
        raise InputError(f"objektlistan \"{_shorten(opened)}\" saknar avslutande }}", file=display, where=f"rad {line}",
                         slug="sie-objektlista-ogiltig")
    parts = _tokens(text[1:-1])
    if len(parts) % 2:
        raise InputError(f"objektlistan {text} har en dimension utan objekt", file=display, where=f"rad {line}",
                         slug="sie-objektlista-ogiltig")
    pairs = []
    for dim, obj in zip(parts[::2], parts[1::2]):
        if not dim.isdigit():
            raise InputError(f"\"{dim}\" i objektlistan är ingen dimension", file=display, where=f"rad {line}",
                             slug="sie-objektlista-ogiltig")
        pairs.append((int(dim), obj))
    cache[text] = out = tuple(pairs)
    return out


def _year_number(text: str, label: str, line: int, display: str) -> int:
    """The räkenskapsår number of a #PSALDO, #RES or #RAR line: 0 this year, -1 the one before."""
    if not (text.lstrip("-").isdigit() and len(text) <= 3):
        raise InputError(f"\"{text}\" i {label} är inget årsnummer (0 för i år, -1 för året före …)", file=display,
                         where=f"rad {line}", slug="sie-arsnummer-ogiltigt")
    return int(text)


#: a class 3–8 account typed T/S is a warning from this much money (öre) and share of the result accounts' money
BALANCE_TYPED_FLOOR, BALANCE_TYPED_SHARE = 100_000, Decimal("0.05")


def _amount(text: str, line: int, display: str) -> Decimal:
    """An SIE amount: a decimal point, never thousands separators (``-1250.50``)."""
    if not _AMOUNT.match(text):
        raise InputError(f"\"{text}\" är inte ett belopp", file=display, where=f"rad {line} (Belopp)", slug="belopp-ogiltigt")
    amount = Decimal(text)
    if abs(amount) * 100 >= MAX_ORE:
        raise InputError(too_large(amount, text), file=display, where=f"rad {line} (Belopp)", slug="belopp-for-stort")
    return amount


def _period(date: str, line: int, display: str) -> str:
    if len(date) == 8 and date.isdigit():
        return date[:6]
    raise InputError("transaktionen saknar datum (ÅÅÅÅMMDD) och verifikationen har inget", file=display,
                     where=f"rad {line}", slug="sie-datum-saknas")


def _rows(n: int) -> str:
    return f"{n} {'rad' if n == 1 else 'rader'}"


def _kr(amount: Decimal) -> str:
    return format_kr(to_ore(amount))


def _list(items, shown: int = 5) -> str:
    """The first ``shown`` items, and … when there are more."""
    items = list(items)
    return ", ".join(items[:shown]) + (" …" if len(items) > shown else "")


class _Reader:
    """The ledger rows of a parsed file, and the findings about them."""

    def __init__(self, sie: _Sie, name: str, display: str, balance_accounts: bool = False):
        self.sie, self.name, self.display = sie, name, display
        self.notes: list[Finding] = []
        self.balance_accounts = balance_accounts  # SIE 4: also the balance accounts' #TRANS, marked (investments)
        self.balance_lines: set[int] = set()

    def grid(self, line_count: int) -> Grid:
        sie, display = self.sie, self.display
        trans = [t for t in sie.trans if self.is_result(t[1])]
        if trans:
            self.note_accounts([(n, a, amount) for n, a, _o, amount, _d in sie.trans])
            rows = [(n, _period(date, n, display), account, objects, _amount(amount, n, display))
                    for n, account, objects, amount, date in trans if account != CLOSING_ACCOUNT]
            self.check_trans(rows, {n: date for n, _a, _o, _v, date in trans})
            if self.balance_accounts:  # read apart: never compared with #RES, marked for the engine
                balance = [t for t in sie.trans if not self.is_result(t[1]) and t[1] != CLOSING_ACCOUNT]
                self.balance_lines = {n for n, *_ in balance}
                rows = sorted(rows + [(n, _period(date, n, display), account, objects, _amount(amount, n, display))
                                      for n, account, objects, amount, date in balance])
        else:
            balances = [b for b in sie.balances if self.is_result(b[3])]
            if not balances:
                raise InputError("SIE-filen har varken #TRANS- eller #PSALDO-rader för intäkts- eller kostnadskonton",
                                 file=display, slug="sie-utan-resultatrader")
            self.note_accounts([(n, a, amount) for n, _y, _p, a, _o, amount in sie.balances])
            rows = self.read_balances([(n, y, p, a, o, _amount(v, n, display))
                                       for n, y, p, a, o, v in balances if a != CLOSING_ACCOUNT])
        return self.to_grid(rows, line_count)

    def is_result(self, account: str) -> bool:
        """An income or cost account (#KTYP I or K; T and S are not; else BAS classes 3–8)."""
        kind = self.sie.types.get(account)
        if kind is not None and kind[0] in ACCOUNT_TYPES:
            return kind[0] in ("I", "K")
        return account[:1] in "345678" and account[:1] != ""

    def note_accounts(self, items: list[tuple[int, str, str]], read_total: Decimal | None = None) -> None:
        """Findings for the rows (line, account, amount) of accounts read
        otherwise than their type says: an unknown #KTYP (read by BAS class),
        a class 3–8 account typed as a balance account, and 8999 Årets resultat.
        ``read_total``: the result accounts' money (Σ |amount|) when ``items``
        holds only the rows of the accounts named here."""
        types = self.sie.types
        unknown = {a for a, (kind, _n) in types.items() if kind not in ACCOUNT_TYPES}
        typed_balance = {a for a, (kind, _n) in types.items()
                         if kind in ("T", "S") and a[:1] in "345678" and a != CLOSING_ACCOUNT}
        named = unknown | typed_balance | {CLOSING_ACCOUNT}
        found: dict[str, list[tuple[int, str]]] = {}
        for n, account, amount in items:
            if account in named:
                found.setdefault(account, []).append((n, amount))
        unknown = sorted(unknown & found.keys())
        if unknown:
            shown = _list(f'{a} "{types[a][0]}" ({"resultatkonto" if self.is_result(a) else "balanskonto"})'
                          for a in unknown)
            self.note("sie-kontotyp", min(types[a][1] for a in unknown),
                      f"#KTYP med okänd kontotyp (SIE känner T, S, K och I) för {shown}: kontona lästes efter "
                      f"BAS-klass (3–8 resultatkonto, annars balanskonto), "
                      f"{_rows(sum(len(found[a]) for a in unknown))}", "varning")
        typed_balance = sorted(typed_balance & found.keys())
        if typed_balance:
            # much money left out this way is probably a wrong #KTYP (a cost account typed T): a warning
            dropped = sum((abs(_amount(v, n, self.display)) for a in typed_balance for n, v in found[a]), Decimal(0))
            read = read_total if read_total is not None else \
                sum((abs(_amount(v, n, self.display)) for n, a, v in items
                     if self.is_result(a) and a != CLOSING_ACCOUNT), Decimal(0))
            much = dropped * 100 >= BALANCE_TYPED_FLOOR and dropped >= BALANCE_TYPED_SHARE * (dropped + read)
            text = ("konton i klass 3–8 som filen anger som balanskonton (#KTYP T eller S) lästes inte som utfall: "
                    f"{_list(typed_balance)} ({_rows(sum(len(found[a]) for a in typed_balance))}")
            if much:
                share = round(dropped * 100 / (dropped + read))
                text += (f", {_kr(dropped)} kr — {share} % av resultatkontonas belopp); stämmer #KTYP i "
                         "ekonomisystemet? Kostnads- och intäktskonton ska ha K eller I")
            else:
                text += ")"
            self.note("sie-balanskonto", min(types[a][1] for a in typed_balance), text,
                      "varning" if much else "info")
        closing = found.get(CLOSING_ACCOUNT)
        if closing:
            kr = sum((_amount(v, n, self.display) for n, v in closing), Decimal(0))
            self.note("arets-resultat", closing[0][0],
                      f"{CLOSING_ACCOUNT} Årets resultat lästes inte: bokslutsposten som bokar årets resultat är inget "
                      f"utfall ({_rows(len(closing))}, {_kr(kr)} kr)", "info")

    def note(self, slug: str, line: int, message: str, severity: str) -> None:
        self.notes.append(Finding(slug, f"{self.display}: rad {line}", message, severity))

    def results(self) -> dict[str, tuple[Decimal, int]]:
        """#RES year 0 (amount, line) of the income and cost accounts that are read."""
        return {a: (_amount(v, n, self.display), n) for a, (v, n) in self.sie.results.items()
                if self.is_result(a) and a != CLOSING_ACCOUNT}

    def read_balances(self, balances: list[Balance]) -> list[Row]:
        results = self.results()
        reading = read_balances(balances, {a: v for a, (v, _n) in results.items()} or None)
        if reading.unclear:
            read_as, other = ("summa", "del") if reading.style == TOTAL else ("del", "summa")
            self.note("sie-psaldo", reading.first_line,
                      f"#PSALDO: oklart om raden utan objekt ({{}}) är kontots summa eller bara delen utan objekt; "
                      f"lästes som {read_as} ({_kr(reading.total_kr)} kr), som {other} blir det "
                      f"{_kr(reading.other_kr)} kr — jämför med huvudboken", "varning")
        if results:
            year0 = {b[0] for b in balances if b[1] == "0"}
            self.compare("#PSALDO", [r for r in reading.rows if r[0] in year0], results, "#RES")
        return reading.rows

    def check_trans(self, rows: list[Row], dates: dict[int, str]) -> None:
        """Σ #TRANS of the year (#RAR 0) per account against #RES, or else
        against the year's #PSALDO."""
        first, last = self.sie.year0 or ("", "99999999")
        year = [r for r in rows if first <= dates[r[0]] <= last]
        found = self.trans_reference()
        if found is not None:
            self.compare("#TRANS", year, *found)

    def trans_reference(self) -> tuple[dict[str, tuple[Decimal, int]], str] | None:
        """What the year's #TRANS are compared with: #RES, or else the year's #PSALDO (per account: amount, line)."""
        results = self.results()
        if results:
            return results, "#RES"
        balances = [(n, y, p, a, o, _amount(v, n, self.display)) for n, y, p, a, o, v in self.sie.balances
                    if y == "0" and self.is_result(a) and a != CLOSING_ACCOUNT]
        if balances:
            reference: dict[str, tuple[Decimal, int]] = {}
            for n, _p, account, _o, amount in read_balances(balances, None).rows:
                kr, line = reference.get(account, (Decimal(0), n))
                reference[account] = (kr + amount, min(line, n))
            return reference, "#PSALDO"
        return None

    def compare(self, what: str, rows: list[Row], reference: dict[str, tuple[Decimal, int]], against: str) -> None:
        """A warning when the rows read, summed per account, are not the
        file's own total (``reference``: account → amount, its line)."""
        read: dict[str, Decimal] = defaultdict(Decimal)
        lines: dict[str, int] = {}
        for n, _p, account, _o, amount in rows:
            read[account] += amount
            lines.setdefault(account, n)
        self.compare_sums(what, read, lines, reference, against)

    def compare_sums(self, what: str, read: dict[str, Decimal], lines: dict[str, int],
                     reference: dict[str, tuple[Decimal, int]], against: str) -> None:
        """``compare`` of the sums per account (``read``) and each account's first line."""
        zero = (Decimal(0), 0)
        differ = sorted(a for a in read.keys() | reference.keys() if read.get(a, 0) != reference.get(a, zero)[0])
        if not differ:
            return
        shown = _list(f"{a} ({_kr(read.get(a, Decimal(0)))} kr mot {_kr(reference.get(a, zero)[0])} kr)" for a in differ)
        gap = sum((read.get(a, Decimal(0)) - reference.get(a, zero)[0] for a in differ), Decimal(0))
        accounts = f"{len(differ)} {'konto' if len(differ) == 1 else 'konton'}"
        self.note("sie-summor", reference[differ[0]][1] if differ[0] in reference else lines[differ[0]],
                  f"{what} för året stämmer inte med filens {against} för {accounts}: {shown}; skillnad {_kr(gap)} kr "
                  f"— en ofullständig export? Utfallet är läst från {what}", "varning")

    def to_grid(self, rows: list, line_count: int) -> Grid:
        parents = self.parents()
        rolled: dict[Objects, dict[int, str]] = {}

        def by_dim(objects: Objects) -> dict[int, str]:
            out = rolled.get(objects)
            if out is None:
                out = dict(objects)
                for d, obj in objects:  # a sub-dimension's object counts under its parent when the row has none
                    for parent in parents.get(d, ()):
                        out.setdefault(parent, obj)
                rolled[objects] = out
            return out

        dims = sorted({d for *_, objects, _ in rows for d in by_dim(objects)})
        columns = self.columns(dims)
        header = [PERIOD.name, ACCOUNT.name, *(name for name, _d in columns), AMOUNT.name]
        kinds = self.balance_accounts
        if kinds:
            header.append(ACCOUNT_KIND)
        grid: list[list] = [header] + [[] for _ in range(line_count)]
        for n, period, account, objects, amount in rows:
            codes = by_dim(objects)
            grid[n] = [period, account, *(codes.get(d, "") for _name, d in columns), amount]
            if kinds:
                grid[n].append(BALANCE_ACCOUNT if n in self.balance_lines else "")
        return _LineGrid(self.name, self.display, grid, is_csv=True, notes=self.notes)

    def parents(self) -> dict[int, list[int]]:
        """Sub-dimension → its parent, grandparent … (#UNDERDIM)."""
        out: dict[int, list[int]] = {}
        for d in self.sie.underdims:
            chain, seen = [], {d}
            parent = self.sie.underdims[d][1]
            while parent not in seen:
                chain.append(parent)
                seen.add(parent)
                if parent not in self.sie.underdims:
                    break
                parent = self.sie.underdims[parent][1]
            out[d] = chain
        return out

    def columns(self, dims: list[int]) -> list[tuple[str, int]]:
        """(header, dimension) per column.  A dimension is named by #UNDERDIM or
        #DIM, else by the standard; 1 and 6 come out as Ansvar and Projekt when
        that name is none of ours (and keep the file's name in a column of its
        own, for a budget column of that name).  Two dimensions never share a name."""
        named = {}
        for d in dims:
            if d in self.sie.underdims:
                named[d] = self.sie.underdims[d][0]
            else:
                named[d] = self.sie.names.get(d) or STANDARD_DIMENSIONS.get(d, f"Dimension {d}")
        taken = {canonical(name) for name in named.values()}
        columns: list[tuple[str, int]] = []
        used: set[str] = set()

        def add(name: str, d: int) -> None:
            if canonical(name) in used:
                name = f"{name} (dimension {d})"
            used.add(canonical(name))
            columns.append((name, d))

        for d in dims:
            name = named[d]
            ours = OUR_NAME.get(d)
            if canonical(name) not in DIMENSIONS and ours is not None and canonical(ours) not in taken:
                add(ours, d)
            add(name, d)
        return columns
