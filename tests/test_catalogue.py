"""A catalogue of bad inputs: one defect each on a good baseline, through the
real command line.

The baseline is a small unit that runs clean: Inställningar, a Budget with
income and cost lines under parents, a key, Prognos, Intecknat and a comment,
a Periodisering key and a ledger of 13 rows a month for January–August — on
the Utfall sheet, as a CSV export (``u.csv``) and as an SIE 4 export
(``u.se``) of the same rows, which give the same figures without a warning.
It is built once per session and copied to each case's folder.

Each case makes one defect of a real kind and runs ``reconcile`` on it:

- a **stop** (invalid input): the exit code (1 input, 2 usage, 3 locked or
  read-only), one line on stderr and nothing on stdout, the line naming the
  position (the file and ``Sheet!Cell``, ``rad N`` or the option), and nothing
  written: every file in the folder keeps its bytes and modification time, and
  no backup or temporary file appears;
- a **warning** (well-formed but probably wrong): exit 0 with the summary
  line ending ``· 1 varning (se Avstämning)``, ``--json`` listing the warning
  with its slug, severity and position, and ``--strict`` stopping on it (exit 1,
  one line, nothing written);
- a **near defect** (what a normal month looks like): no stop and no warning.

A case that shows a bug is marked ``xfail(strict=True)`` with the reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import stat
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner
from test_hostile import (
    BILLION_LAUGHS,
    compound_file,
    honest_bomb,
    replace_content,
    replace_member,
    sheet_part,
)
from workbook_factory import Err, write_workbook
from written import WRITTEN

from toolkit.cli import main
from toolkit.ooxml.limits import MAX_ENTRIES
from toolkit.ooxml.zipcopy import new_member, read_members, write_members

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]

# ---------------------------------------------------------------------------------------------------------------
# the baseline

SETTINGS = [["Inställning", "Värde"], ["Enhet", "Provnämnd"], ["År", 2025], ["Period", 8], ["Belopp i", "kr"]]
BUDGET = [  # A Rad, B Överordnad, C Typ, D Budget, E Konto, F Ansvar, G Periodisering, H Prognos, I Intecknat, J Kommentar
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Ansvar", "Periodisering", "Prognos", "Intecknat", "Kommentar"],
    ["Intäkter", None, "Intäkt", None, None, None, None, None, None, None],
    ["Avgifter", "Intäkter", None, 240_000, "3010", None, None, None, None, None],
    ["Bidrag", "Intäkter", None, 120_000, "3020", None, None, None, None, None],
    ["Personal", None, "Kostnad", None, None, "110", None, None, None, None],
    ["Löner", "Personal", None, 600_000, "5010-5099", None, None, 610_000, None, "Lönerevision i april"],
    ["Sociala avgifter", "Personal", None, 190_000, "56*", None, None, None, None, None],
    ["Lokaler", None, "Kostnad", 120_000, "6110", None, None, None, None, None],
    ["Övrigt", None, "Kostnad", 60_000, "6990, 7010", None, "Säsong", None, 5_000, "Resor och material"],
]
KEYS = [["Nyckel", *MONTHS], ["Säsong", 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2]]
LEDGER_HEADER = ["Period", "Konto", "Ansvar", "Text", "Belopp"]


def month_rows(month: int, year: int = 2025) -> list[list]:
    """One month of the unit's ledger: 13 rows, debit positive (costs +, income −)."""
    p = year * 100 + month
    return [
        [p, "3010", "100", "Avgift", -10_000 - month], [p, "3010", "100", "Avgift", -9_900 - month],
        [p, "3020", "100", "Bidrag", -10_000],
        *[[p, "5010", "110", "Lön", 10_000 + 10 * k + month] for k in range(5)],
        [p, "5610", "110", "Arbetsgivaravgift", 15_800 + month],
        [p, "6110", "110", "Hyra", 10_000], [p, "6990", "110", "Material", 2_400.5 + month],
        [p, "7010", "110", "Resa", 2_450], [p, "7010", "110", "Taxi", 75 + month],
    ]


def ledger_rows(months=range(1, 9), year: int = 2025) -> list[list]:
    return [row for m in months for row in month_rows(m, year)]


ROWS = ledger_rows()
LEDGER = [LEDGER_HEADER, *ROWS]
SHEETS = {"Inställningar": SETTINGS, "Budget": BUDGET, "Periodisering": KEYS, "Utfall": LEDGER}
FIRST_CSV_ROW = 3  # u.csv: a title line, the header, then the rows from line 3
CSV_TITLE = "Huvudbok Provnämnd 2025;;;;"
SIE_HEAD = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", '#PROGRAM "Ekonomisystem" 7.1', "#GEN 20250901",
            '#FNAMN "Provnämnd"', "#RAR 0 20250101 20251231", '#DIM 1 "Kostnadsställe"',
            '#KONTO 2440 "Leverantörsskulder"', "#KTYP 2440 S"]
SUMMARY = "jan–aug 2025 · utfall 408 tkr · avvikelse -2 tkr · prognos 620 tkr"


def swedish(amount: float | int) -> str:
    """An amount as a Swedish export writes it: decimal comma, a space between thousands."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    whole, cents = f"{abs(value):.2f}".split(".")
    return ("-" if value < 0 else "") + f"{int(whole):,}".replace(",", " ") + "," + cents


def csv_line(row: list) -> str:
    return ";".join([str(row[0]), row[1], row[2], row[3], swedish(row[4])])


def csv_text(rows: list[list]) -> str:
    """``rows`` as the unit's CSV export: a title line, the header, one line per row."""
    lines = [CSV_TITLE, ";".join(LEDGER_HEADER)] + [csv_line(r) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def sie_ver(n: int, row: list) -> list[str]:
    """One verification per ledger row, balanced against 2440 (a balance account: no utfall)."""
    day = f"{row[0]}15"
    amount = Decimal(str(row[4])).quantize(Decimal("0.01"))
    return [f'#VER A {n} {day} "{row[3]}"', "{", f'   #TRANS {row[1]} {{1 "{row[2]}"}} {amount} {day} "{row[3]}"',
            f"   #TRANS 2440 {{}} {-amount}", "}"]


def sie_lines(rows: list[list]) -> list[str]:
    """The head, the year's result per account (#RES 0, as exports write it), one #VER per row."""
    result: dict[str, Decimal] = {}
    for row in rows:
        result[row[1]] = result.get(row[1], Decimal(0)) + Decimal(str(row[4]))
    lines = SIE_HEAD + [f"#RES 0 {konto} {amount:.2f}" for konto, amount in sorted(result.items())]
    for n, row in enumerate(rows, start=1):
        lines += sie_ver(n, row)
    return lines


def sie_bytes(lines: list[str], encoding: str = "cp437") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)




@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Path:
    """The baseline's files, built once: T.xlsx (the workbook), u.csv and u.se (its ledger as exports)."""
    folder = tmp_path_factory.mktemp("baseline")
    write_workbook(folder / "T.xlsx", SHEETS)
    (folder / "u.csv").write_bytes(csv_text(ledger_rows()).encode("cp1252"))
    (folder / "u.se").write_bytes(sie_bytes(sie_lines(ledger_rows())))
    return folder


@pytest.fixture
def folder(baseline, tmp_path, monkeypatch) -> Path:
    """A case's folder: a copy of the baseline, the working directory of the run."""
    for path in baseline.iterdir():
        shutil.copy2(path, tmp_path / path.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------------------------------------------------------
# the defects: builders that change the baseline copy in a case's folder

Build = Callable[[Path], None]


def tables() -> dict[str, list[list]]:
    return {name: [list(row) for row in rows] for name, rows in SHEETS.items()}


def cell(ref: str, value) -> Callable[[list[list]], list[list]]:
    """Set one cell of a table (by its A1 reference), growing the table as needed."""
    r, c = xlsxwriter.utility.xl_cell_to_rowcol(ref)

    def change(rows: list[list]) -> list[list]:
        while len(rows) <= r:
            rows.append([])
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = value
        return rows
    return change


def cells(**refs) -> Callable[[list[list]], list[list]]:
    def change(rows: list[list]) -> list[list]:
        for ref, value in refs.items():
            rows = cell(ref, value)(rows)
        return rows
    return change


def column(header: object, values: list | None = None) -> Callable[[list[list]], list[list]]:
    """One more column at the right of a table."""
    def change(rows: list[list]) -> list[list]:
        width = max(len(r) for r in rows)
        out = [row + [None] * (width - len(row)) for row in rows]
        out[0].append(header)
        for i, row in enumerate(out[1:]):
            row.append(values[i] if values and i < len(values) else None)
        return out
    return change


def book(*, merges: dict | None = None, drop: tuple[str, ...] = (), add: dict | None = None, **changes) -> Build:
    """The baseline workbook with its tables changed: a sheet's value is a new table or a function
    of the old one; ``drop`` leaves sheets out, ``add`` adds sheets, ``merges`` merges ranges."""
    def build(folder: Path) -> None:
        sheets = tables()
        for sheet, change in changes.items():
            sheet = sheet.replace("_", " ")
            sheets[sheet] = change(sheets[sheet]) if callable(change) else change
        for sheet in drop:
            del sheets[sheet]
        sheets.update(add or {})
        write_workbook(folder / "T.xlsx", sheets, merges=merges)
    return build


def ledger(months=range(1, 9), *, year: int = 2025, flip: bool = False, scale: float = 1, extra=(),
           keep=None) -> list[list]:
    rows = [r for r in ledger_rows(months, year) if keep is None or keep(r)] + [list(r) for r in extra]
    if flip or scale != 1:
        rows = [[*r[:4], round((-r[4] if flip else r[4]) * scale, 2)] for r in rows]
    return [LEDGER_HEADER, *rows]


def csv_edit(change: Callable[[list[str]], list[str]]) -> Build:
    """u.csv with its lines (line n is ``lines[n - 1]``) changed."""
    def build(folder: Path) -> None:
        lines = csv_text(ledger_rows()).split("\r\n")[:-1]
        (folder / "u.csv").write_bytes(("\r\n".join(change(lines)) + "\r\n").encode("cp1252"))
    return build


def csv_lines_replaced(texts: dict[int, str]) -> Build:
    """u.csv with lines (by number) replaced."""
    def change(lines: list[str]) -> list[str]:
        for n, text in texts.items():
            lines[n - 1] = text
        return lines
    return csv_edit(change)


def csv_line_replaced(n: int, text: str) -> Build:
    return csv_lines_replaced({n: text})


def csv_bytes(data: bytes) -> Build:
    def build(folder: Path) -> None:
        (folder / "u.csv").write_bytes(data)
    return build


def sie_edit(change: Callable[[list[str]], list[str]], encoding: str = "cp437") -> Build:
    """u.se with its lines (line n is ``lines[n - 1]``) changed."""
    def build(folder: Path) -> None:
        (folder / "u.se").write_bytes(sie_bytes(change(sie_lines(ledger_rows())), encoding))
    return build


def steps(*builds: Build) -> Build:
    def build(folder: Path) -> None:
        for b in builds:
            b(folder)
    return build


def package(change: Callable[[bytes], bytes]) -> Build:
    """The workbook's bytes changed as a whole (the package itself)."""
    def build(folder: Path) -> None:
        (folder / "T.xlsx").write_bytes(change((folder / "T.xlsx").read_bytes()))
    return build


def part_edit(part_of: str | Callable[[bytes], str], change: Callable[[bytes], bytes]) -> Build:
    """One part of the workbook's package (a name, or a function of the package giving it) changed."""
    def edit(data: bytes) -> bytes:
        part = part_of(data) if callable(part_of) else part_of
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            content = zf.read(part)
        return replace_content(data, part, change(content))
    return package(edit)


def sheet_of(name: str) -> Callable[[bytes], str]:
    return lambda data: sheet_part(data, name)


def write_file(name: str, data: bytes | str) -> Build:
    def build(folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return build


def chmod(name: str, mode: int) -> Build:
    def build(folder: Path) -> None:
        (folder / name).chmod(mode)
    return build


def in_subfolder(sub: str, mode: int) -> Build:
    """A copy of the workbook in a sub-folder with ``mode``."""
    def build(folder: Path) -> None:
        (folder / sub).mkdir()
        shutil.copy2(folder / "T.xlsx", folder / sub / "T.xlsx")
        (folder / sub).chmod(mode)
    return build


def monthly_exports(months, *, twice=()) -> Build:
    """One CSV export per month in ``exp/`` (2025-01.csv …); ``twice``: months exported again in a
    file of their own (2025-08b.csv)."""
    def build(folder: Path) -> None:
        (folder / "exp").mkdir(exist_ok=True)
        for m in months:
            (folder / "exp" / f"2025-{m:02d}.csv").write_bytes(csv_text(month_rows(m)).encode("cp1252"))
        for m in twice:
            (folder / "exp" / f"2025-{m:02d}b.csv").write_bytes(csv_text(month_rows(m)).encode("cp1252"))
    return build


def nothing(folder: Path) -> None:
    pass


# ---------------------------------------------------------------------------------------------------------------
# the cases


@dataclasses.dataclass(frozen=True)
class Case:
    id: str  # category-defect
    build: Build  # makes the defect in a copy of the baseline
    args: tuple[str, ...] = ("T.xlsx",)  # the command line (run in the case's folder)
    exit: int = 1  # a stop's exit code; 0 for a warning or a near defect
    line: str | None = None  # a stop: the exact line
    prefix: str | None = None  # a stop: where the exact line is not stable, its start ("T.xlsx: Budget!D3: ") …
    words: tuple[str, ...] = ()  # … and key words of its message
    slug: str | None = None  # a warning: its slug …
    where: str | None = None  # … and its position
    absent: tuple[str, ...] = ()  # a stop: text its line must not hold
    figures: str | None = None  # a near defect: the summary's figures when they must be the baseline's
    xfail: str | None = None  # a bug this case shows

    @property
    def category(self) -> str:
        return self.id.split("-")[0]

    @property
    def kind(self) -> str:
        return "warning" if self.slug else "near" if self.category == "near" else "stop"


def stop(id: str, build: Build, line: str | None = None, *, args=("T.xlsx",), exit: int = 1, prefix=None,
         words=(), absent=(), xfail=None) -> Case:
    assert (line is None) != (prefix is None), id
    return Case(id, build, tuple(args), exit, line, prefix, tuple(words), absent=tuple(absent), xfail=xfail)


def warn(id: str, build: Build, slug: str, where: str, *, args=("T.xlsx",), xfail=None) -> Case:
    return Case(id, build, tuple(args), 0, slug=slug, where=where, xfail=xfail)


def near(id: str, build: Build, *, args=("T.xlsx",), figures: str | None = None, xfail=None) -> Case:
    return Case(id, build, tuple(args), 0, figures=figures, xfail=xfail)


CSV = ("T.xlsx", "--utfall", "u.csv")
SIE = ("T.xlsx", "--utfall", "u.se")
AGAIN = "ta bort den ena eller byt namn på den"
FIX_LINE = "rätta raden i filen och kör igen (en text som innehåller skiljetecknet ska stå inom citattecken)"
NO_LEDGER_HEADER = ("hittar ingen rubrikrad för huvudboken (kolumnerna Period och Belopp, eller Konto och en kolumn "
                    "per månad) på de första 10 raderna")
REF = "#REF! (i svensk Excel #REFERENS!): formeln pekar på celler eller ett blad som inte finns längre"
NA = "#N/A (i svensk Excel #SAKNAS!): ett värde som inte hittades, t.ex. av LETARAD eller XLETAUPP"
DIV0 = "#DIV/0! (i svensk Excel #DIVISION/0!): formeln delar med noll eller en tom cell"
VALUE = "#VALUE! (i svensk Excel #VÄRDEFEL!): formeln räknar med ett värde av fel sort, t.ex. text"
NUM = "#NUM! (i svensk Excel #OGILTIGT!): formeln ger ett tal som inte går att räkna ut"
NULL = "#NULL! (i svensk Excel #SKÄRNING!): formeln tar skärningen av två områden som inte möts"
NAME = "#NAME? (i svensk Excel #NAMN?): formeln använder en funktion eller ett namn som inte finns"
FIX_CELL = "rätta cellen och kör igen"
TOO_LARGE = "är ett orimligt stort belopp (10 000 miljarder kr eller mer)"
MERGED = "dela upp dem och skriv värdet på varje rad"
READ_ONLY = "ta bort skrivskyddet eller skriv till en annan fil med --output — inget skrevs"
QUOTED = '— skriv mönstret inom citattecken (--utfall "exp/2025-*.csv") eller upprepa --utfall före varje fil'


def error(sheet: str, ref: str, code: str) -> Build:
    return book(**{sheet.replace(" ", "_"): cell(ref, Err(code))})


def merged(sheet: str, ref: str) -> Build:
    return book(merges={sheet: [ref]})


BUDGET_CASES = [
    stop("budget-misspelled-header", book(Budget=cell("B1", "Överordnat")),
         'T.xlsx: Budget!B1: okänd kolumn "Överordnat" — menade du "Överordnad"?'),
    stop("budget-misspelled-amount-header", book(Budget=cell("D1", "Budgte")),
         'T.xlsx: Budget!D1: hittar ingen rubrikrad för budgeten (kolumnerna Rad, Budget) på de första 10 raderna: '
         '"Budgte" — menade du "Budget"?'),
    stop("budget-duplicate-header", book(Budget=column("Budget", [1] * 8)),
         f'T.xlsx: Budget!K1: kolumnen "Budget" finns redan i D1; {AGAIN}'),
    stop("budget-duplicate-header-alias", book(Budget=column("Account", ["4*"] * 8)),
         f'T.xlsx: Budget!K1: kolumnen "Account" är samma kolumn som "Konto" i E1; {AGAIN}'),
    stop("budget-error-ref", error("Budget", "D3", "#REF!"), f"T.xlsx: Budget!D3: cellen innehåller felvärdet {REF}; "
         f"{FIX_CELL}"),
    stop("budget-error-div0-prognos", error("Budget", "H6", "#DIV/0!"),
         f"T.xlsx: Budget!H6: cellen innehåller felvärdet {DIV0}; {FIX_CELL}"),
    stop("budget-error-na-pattern", error("Budget", "E8", "#N/A"),
         f"T.xlsx: Budget!E8: cellen innehåller felvärdet {NA}; {FIX_CELL}"),
    stop("budget-error-value-type", error("Budget", "C5", "#VALUE!"),
         f"T.xlsx: Budget!C5: cellen innehåller felvärdet {VALUE}; {FIX_CELL}"),
    stop("budget-error-name-parent", error("Budget", "B4", "#NAME?"),
         f"T.xlsx: Budget!B4: cellen innehåller felvärdet {NAME}; {FIX_CELL}"),
    stop("budget-pattern-open-range", book(Budget=cell("E8", "61-")),
         'T.xlsx: Budget!E8: "61-" är inget intervall: skriv början och slut med ett bindestreck emellan, t.ex. '
         "4000-4999"),
    stop("budget-pattern-double-star", book(Budget=cell("E7", "**")),
         'T.xlsx: Budget!E7: "**" är inget mönster: * står bara sist i ett prefix (40*) eller ensam (*); menade du '
         '"*"?'),
    stop("budget-pattern-inner-star", book(Budget=cell("E7", "5*0")),
         'T.xlsx: Budget!E7: "5*0" är inget mönster: * står bara sist i ett prefix (40*) eller ensam (*)'),
    stop("budget-pattern-brackets", book(Budget=cell("E7", "56[01]*")),
         'T.xlsx: Budget!E7: "56[01]*" är inget mönster: [ ] används inte; skriv ett intervall (4000-4999), en lista '
         "(4010, 4020) eller ett prefix (40*)"),
    stop("budget-pattern-range-of-prefixes", book(Budget=cell("E6", "50*-50*")),
         'T.xlsx: Budget!E6: "50*-50*" är inget mönster: ett intervall har inga *; skriv t.ex. 4000-4999'),
    stop("budget-amount-not-a-number", book(Budget=cell("D8", "120 000 kr/år")),
         'T.xlsx: Budget!D8: "120 000 kr/år" är inte ett belopp'),
    stop("budget-amount-too-large", book(Budget=cell("D3", 1e30)), f'T.xlsx: Budget!D3: "1E+30" {TOO_LARGE}'),
    stop("budget-amount-scientific-text", book(Budget=cell("D4", "1,2E+11")),
         'T.xlsx: Budget!D4: "1,2E+11" är inte ett belopp'),
    stop("budget-unknown-type", book(Budget=cell("C8", "Utgift")),
         'T.xlsx: Budget!C8: "Utgift" är inte en typ (Intäkt, Kostnad eller Investering)'),
    stop("budget-unknown-parent", book(Budget=cell("B7", "Personalkostnader")),
         'T.xlsx: Budget!B7: den överordnade raden "Personalkostnader" finns inte i budgeten'),
    stop("budget-parent-cycle", book(Budget=cell("B5", "Löner")),
         'T.xlsx: Budget!B5: raden "Personal" ligger under sig själv (cirkel av överordnade rader)'),
    stop("budget-duplicate-label", book(Budget=cell("A7", "Löner")),
         'T.xlsx: Budget!A7: raden "Löner" finns redan på Budget!A6; varje rad behöver ett unikt namn'),
    stop("budget-label-missing", book(Budget=cell("A8", None)),
         "T.xlsx: Budget!A8: raden saknar namn i kolumnen Rad (varje budgetrad behöver ett unikt namn)"),
    stop("budget-total-row-typed", book(Budget=lambda rows: rows + [["Summa kostnader", None, "Kostnad", 970_000]]),
         'T.xlsx: Budget!A10: "Summa kostnader" ser ut som en summarad; summor räknas ut av reconcile, ta bort raden'),
    stop("budget-two-lines-claim-a-row", book(Budget=lambda rows: rows + [["Hyror", None, "Kostnad", 1000, "6110"]]),
         'T.xlsx: raderna "Lokaler" (Budget!A8) och "Hyror" (Budget!A10) matchar samma huvudboksrader lika specifikt, '
         "t.ex. Utfall!E11 (Konto 6110, Ansvar 110); gör det ena mönstret snävare"),
    stop("budget-merged-amount", merged("Budget", "D3:D4"),
         f"T.xlsx: Budget!D3:D4: sammanfogade celler i kolumnen Budget; {MERGED}"),
    stop("budget-merged-label", merged("Budget", "A6:A7"),
         f"T.xlsx: Budget!A6:A7: sammanfogade celler i kolumnen Rad; {MERGED}"),
    stop("budget-merged-across-columns", merged("Budget", "C8:D8"),
         'T.xlsx: Budget!C8:D8: sammanfogade celler över kolumnerna "Typ" och "Budget"; dela upp dem och skriv värdet '
         "i varje cell"),
    stop("budget-amount-boolean", book(Budget=cell("D3", True)), 'T.xlsx: Budget!D3: "SANT" är inte ett belopp'),
    stop("budget-header-missing", book(Budget=BUDGET[1:]),
         "T.xlsx: Budget: hittar ingen rubrikrad för budgeten (kolumnerna Rad, Budget) på de första 10 raderna; skriv "
         "rubrikerna ovanför tabellen och kör igen"),
    stop("budget-no-rows", book(Budget=BUDGET[:1]), "T.xlsx: Budget: budgeten har inga rader"),
    stop("budget-sheet-missing", book(drop=("Budget",)), "T.xlsx: arbetsboken saknar bladet Budget"),
    warn("budget-negative-cost", book(Budget=cell("D8", -120_000)), "negativ-kostnadsbudget", "Budget!D8"),
    warn("budget-list-typed-with-spaces", book(Budget=cell("E9", "6990 7010")), "monster-avgransare", "Budget!E9"),
    warn("budget-typed-in-tkr", book(Budget=cells(D3=240, D4=120, D6=600, D7=190, D8=120, D9=60, H6=610, I9=5)),
         "storleksordning", "Inställningar!B5"),
    warn("budget-account-typo", book(Budget=cell("E8", "6100")), "ej-budgeterat", "Utfall"),
    warn("budget-overallocated-parent", book(Budget=cell("D5", 500_000)), "overfordelat", "Budget!D5"),
    warn("budget-forecast-on-heading", book(Budget=cell("H5", 800_000)), "prognos-pa-overordnad", "Budget!H5"),
    warn("budget-income-heading-typed-cost", book(Budget=cell("C2", "Kostnad")), "typ-mot-konto", "Budget!C2"),
]

LEDGER_CASES = [
    stop("ledger-header-missing", book(Utfall=LEDGER[1:]),
         f"T.xlsx: Utfall: {NO_LEDGER_HEADER}; skriv rubrikerna ovanför tabellen och kör igen"),
    stop("ledger-header-misspelled", book(Utfall=cell("E1", "Beloop")),
         f'T.xlsx: Utfall!E1: {NO_LEDGER_HEADER}: "Beloop" — menade du "Belopp"?'),
    stop("ledger-duplicate-header", book(Utfall=column("Belopp", [1] * 104)),
         f'T.xlsx: Utfall!F1: kolumnen "Belopp" finns redan i E1; {AGAIN}'),
    stop("ledger-duplicate-header-alias", book(Utfall=column("Amount", [1] * 104)),
         f'T.xlsx: Utfall!F1: kolumnen "Amount" är samma kolumn som "Belopp" i E1; {AGAIN}'),
    stop("ledger-two-date-columns", book(Utfall=lambda rows: [["Datum", "Bokföringsdatum", *rows[0][1:]]] + [
        [dt.datetime(r[0] // 100, r[0] % 100, 15), dt.datetime(r[0] // 100, r[0] % 100, 28), *r[1:]] for r in rows[1:]]),
         f'T.xlsx: Utfall!B1: kolumnen "Bokföringsdatum" är samma kolumn som "Datum" i A1; {AGAIN}'),
    stop("ledger-error-na-amount", error("Utfall", "E30", "#N/A"),
         f"T.xlsx: Utfall!E30: cellen innehåller felvärdet {NA}; {FIX_CELL}"),
    stop("ledger-error-num-period", error("Utfall", "A12", "#NUM!"),
         f"T.xlsx: Utfall!A12: cellen innehåller felvärdet {NUM}; {FIX_CELL}"),
    stop("ledger-error-null-account", error("Utfall", "B50", "#NULL!"),
         f"T.xlsx: Utfall!B50: cellen innehåller felvärdet {NULL}; {FIX_CELL}"),
    stop("ledger-amount-not-a-number", book(Utfall=cell("E20", "12,3,4")),
         'T.xlsx: Utfall!E20: "12,3,4" är inte ett belopp'),
    stop("ledger-period-not-a-period", book(Utfall=cell("A40", "augusti")),
         'T.xlsx: Utfall!A40: "augusti" är inte en period (t.ex. 202508 eller 2025-08)'),
    stop("ledger-amount-too-large", book(Utfall=cell("E7", 1e20)), f'T.xlsx: Utfall!E7: "1E+20" {TOO_LARGE}'),
    stop("ledger-merged-amount", merged("Utfall", "E2:E3"),
         f"T.xlsx: Utfall!E2:E3: sammanfogade celler i kolumnen Belopp; {MERGED}"),
    stop("ledger-merged-period", merged("Utfall", "A15:A16"),
         f"T.xlsx: Utfall!A15:A16: sammanfogade celler i kolumnen Period; {MERGED}"),
    stop("ledger-row-without-period", book(Utfall=cell("A50", None)),
         "T.xlsx: Utfall!A50: raden saknar period (är det en summarad? ta bort den)"),
    stop("ledger-total-row-that-does-not-add-up", book(Utfall=lambda rows: rows + [[None, None, None, "Summa", 1]]),
         "T.xlsx: Utfall!A106: raden saknar period; som summarad stämmer den inte med raderna ovan (1,00 kr mot "
         "407 620,00 kr)"),
    stop("ledger-year-column-not-a-year", book(Utfall=column("År", [2025] * 30 + ["tjugo"] + [2025] * 73)),
         'T.xlsx: Utfall!F32: "tjugo" är inte ett år'),
    stop("ledger-matrix-month-twice", book(Utfall=[["Konto", "Ansvar", *MONTHS[:8], "Mar"],
                                                   ["5010", "110", *[50_000] * 8, 100]]),
         f'T.xlsx: Utfall!K1: kolumnen "Mar" finns redan i E1; {AGAIN}'),
    stop("ledger-matrix-month-twice-by-name", book(Utfall=[["Konto", "Ansvar", *MONTHS[:8], "Mars"],
                                                           ["5010", "110", *[50_000] * 8, 100]]),
         f'T.xlsx: Utfall!K1: kolumnen "Mars" är samma månad som "Mar" i E1; {AGAIN}'),
    stop("ledger-matrix-without-code-column", book(Utfall=[["Text", *MONTHS[:8]], ["Lön", *[50_000] * 8]]),
         f"T.xlsx: Utfall: {NO_LEDGER_HEADER}; skriv rubrikerna ovanför tabellen och kör igen"),
    stop("ledger-amount-boolean", book(Utfall=cell("E3", True)), 'T.xlsx: Utfall!E3: "SANT" är inte ett belopp'),
    stop("ledger-sheet-missing", book(drop=("Utfall",)), "T.xlsx: arbetsboken saknar bladet Utfall"),
    warn("ledger-without-rows", book(Utfall=LEDGER[:1]), "period-efter-utfall", "Inställningar!B4"),
    warn("ledger-signs-reversed", book(Utfall=ledger(flip=True)), "omvant-tecken", "Utfall"),
    warn("ledger-stops-in-february", book(Utfall=ledger(range(1, 3))), "period-efter-utfall", "Inställningar!B4"),
    warn("ledger-stops-in-may", book(Utfall=ledger(range(1, 6))), "period-efter-utfall", "Inställningar!B4"),
    warn("ledger-months-missing", book(Utfall=ledger([1, 2, 5, 6, 7, 8])), "tomma-manader", "Utfall"),
    warn("ledger-exported-in-tkr", book(Utfall=ledger(scale=0.001)), "storleksordning", "Inställningar!B5"),
    warn("ledger-unbudgeted-account", book(Utfall=ledger(extra=[[202500 + m, "4010", "110", "Inköp", 9_000]
                                                                for m in range(1, 9)])),
         "ej-budgeterat", "Utfall"),
]

KEY_CASES = [
    stop("keys-duplicate-name", book(Periodisering=lambda rows: rows + [["Säsong", *[1] * 12]]),
         'T.xlsx: Periodisering!A3: nyckeln "Säsong" finns redan på Periodisering!A2; varje nyckel behöver ett unikt '
         "namn"),
    stop("keys-duplicate-name-case-and-spaces", book(Periodisering=lambda rows: rows + [[" SÄSONG ", *[1] * 12]]),
         'T.xlsx: Periodisering!A3: nyckeln "SÄSONG" finns redan på Periodisering!A2; varje nyckel behöver ett unikt '
         "namn"),
    stop("keys-built-in-name", book(Periodisering=lambda rows: rows + [["Linjär", *[1] * 12]]),
         'T.xlsx: Periodisering!A3: nyckeln "Linjär" har samma namn som den inbyggda nyckeln Linjär; ta bort raden, '
         "eller ge din nyckel ett eget namn"),
    stop("keys-negative-weight", book(Periodisering=cell("H2", -1)),
         "T.xlsx: Periodisering!H2: nyckeln Säsong har en negativ vikt (-1)"),
    stop("keys-negative-fraction", book(Periodisering=cell("H2", -0.5)),
         "T.xlsx: Periodisering!H2: nyckeln Säsong har en negativ vikt (-0,5)"),
    stop("keys-header-misspelled", book(Periodisering=cell("A1", "Nykel")),
         "T.xlsx: Periodisering!A1: hittar ingen rubrikrad för periodiseringsnycklar (kolumnerna Nyckel, Jan … Dec) "
         'på de första 10 raderna: "Nykel" — menade du "Nyckel"?'),
    stop("keys-month-column-missing", book(Periodisering=lambda rows: [r[:12] for r in rows]),
         "T.xlsx: Periodisering: hittar ingen rubrikrad för periodiseringsnycklar (kolumnerna Nyckel, Jan … Dec) på "
         "de första 10 raderna; skriv rubrikerna ovanför tabellen och kör igen"),
    stop("keys-month-misspelled", book(Periodisering=cell("E1", "Aprl")), prefix="T.xlsx: Periodisering!E1: ",
         words=('"Aprl"', "menade du")),
    stop("keys-sheet-missing", book(drop=("Periodisering",)),
         'T.xlsx: Budget!G9: nyckeln "Säsong" finns inte (kända nycklar: Linjär, Kalenderdagar, Arbetsdagar, '
         "Fjolårsprofil)"),
    stop("keys-all-zero", book(Periodisering=lambda rows: [rows[0], ["Säsong", *[0] * 12]]),
         "T.xlsx: Periodisering!A2: nyckeln Säsong har bara nollor; vikterna måste summera till mer än 0"),
    stop("keys-weight-not-a-number", book(Periodisering=cell("E2", "två")),
         'T.xlsx: Periodisering!E2: "två" är inte en vikt'),
    stop("keys-error-div0-weight", error("Periodisering", "C2", "#DIV/0!"),
         f"T.xlsx: Periodisering!C2: cellen innehåller felvärdet {DIV0}; {FIX_CELL}"),
    stop("keys-error-na-name", error("Periodisering", "A2", "#N/A"),
         f"T.xlsx: Periodisering!A2: cellen innehåller felvärdet {NA}; {FIX_CELL}"),
    stop("keys-month-twice", book(Periodisering=column("mar", [5])),
         f'T.xlsx: Periodisering!N1: kolumnen "mar" finns redan i D1; {AGAIN}'),
    stop("keys-merged-weights", merged("Periodisering", "H2:I2"),
         'T.xlsx: Periodisering!H2:I2: sammanfogade celler över kolumnerna "Jul" och "Aug"; dela upp dem och skriv '
         "värdet i varje cell"),
    stop("keys-unknown-key", book(Budget=cell("G9", "Säsongen")),
         'T.xlsx: Budget!G9: nyckeln "Säsongen" finns inte (kända nycklar: Linjär, Kalenderdagar, Arbetsdagar, '
         "Fjolårsprofil, Säsong)"),
    stop("keys-name-missing", book(Periodisering=lambda rows: rows + [[None, *[1] * 12]]),
         "T.xlsx: Periodisering!A3: nyckeln saknar namn"),
]

SETTING_CASES = [
    warn("settings-wrong-year", book(Inställningar=cell("B3", 2021)), "inga-rader-for-aret", "Inställningar!B3"),
    warn("settings-amounts-in-tkr-for-kr", book(Inställningar=cell("B5", "tkr")), "storleksordning",
         "Inställningar!B5"),
    warn("settings-period-after-the-ledger", book(Inställningar=cell("B4", 11)), "period-efter-utfall",
         "Inställningar!B4"),
    stop("settings-header-missing", book(Inställningar=SETTINGS[1:]),
         "T.xlsx: Inställningar: hittar ingen rubrikrad för inställningar (kolumnerna Inställning, Värde) på de första "
         "10 raderna; skriv rubrikerna ovanför tabellen och kör igen"),
    stop("settings-period-boolean", book(Inställningar=cell("B4", True)),
         'T.xlsx: Inställningar!B4: "SANT" är inte en period (1–12 eller 2025-08)'),
    stop("settings-year-twice", book(Inställningar=lambda rows: rows + [["År", 2024]]),
         'T.xlsx: Inställningar!A6: inställningen "År" finns redan på Inställningar!A3; ta bort den ena raden'),
    stop("settings-year-twice-by-alias", book(Inställningar=lambda rows: rows + [["Räkenskapsår", 2024]]),
         'T.xlsx: Inställningar!A6: inställningen "Räkenskapsår" är samma inställning som "År" på Inställningar!A3; '
         "ta bort den ena raden"),
    stop("settings-misspelled-name", book(Inställningar=lambda rows: rows + [["Prognosmetd", "trend"]]),
         'T.xlsx: Inställningar!A6: okänd inställning "Prognosmetd" — menade du "Prognosmetod"?'),
    stop("settings-header-misspelled", book(Inställningar=cell("B1", "Värd")),
         'T.xlsx: Inställningar!B1: hittar ingen rubrikrad för inställningar (kolumnerna Inställning, Värde) på de '
         'första 10 raderna: "Värd" — menade du "Värde"?'),
    stop("settings-value-column-twice", book(Inställningar=column("Value", [None, 2024])),
         f'T.xlsx: Inställningar!C1: kolumnen "Value" är samma kolumn som "Värde" i B1; {AGAIN}'),
    stop("settings-year-not-a-year", book(Inställningar=cell("B3", "tjugofem")),
         'T.xlsx: Inställningar!B3: "tjugofem" är inte ett år (t.ex. 2025)'),
    stop("settings-period-13", book(Inställningar=cell("B4", 13)),
         'T.xlsx: Inställningar!B4: "13" är inte en period (1–12 eller 2025-08)'),
    stop("settings-period-of-another-year", book(Inställningar=cell("B4", "2024-08")),
         "T.xlsx: Inställningar!B4: perioden 2024-08 hör inte till året 2025"),
    stop("settings-amounts-in-unknown-unit", book(Inställningar=cell("B5", "mkr")),
         'T.xlsx: Inställningar!B5: "mkr" är inte kr eller tkr'),
    stop("settings-show-in-unknown-unit", book(Inställningar=lambda rows: rows + [["Visa i", "miljoner"]]),
         'T.xlsx: Inställningar!B6: "miljoner" är inte kr eller tkr'),
    stop("settings-unknown-method", book(Inställningar=lambda rows: rows + [["Prognosmetod", "linjär"]]),
         'T.xlsx: Inställningar!B6: "linjär" är inte en prognosmetod (budget, rest eller trend)'),
    stop("settings-strict-neither-yes-nor-no", book(Inställningar=lambda rows: rows + [["Strikt", "kanske"]]),
         'T.xlsx: Inställningar!B6: "kanske" är inte ja eller nej'),
    stop("settings-accepted-unknown-slug",
         book(Inställningar=lambda rows: rows + [["Godkända varningar", "tomma-manader, negativ-bugdet"]]),
         'T.xlsx: Inställningar!B6: "negativ-bugdet" är ingen varning som kan godkännas (ange varningens typ som den '
         "står på Avstämning, t.ex. negativ-kostnadsbudget)"),
    stop("settings-error-ref-year", error("Inställningar", "B3", "#REF!"),
         f"T.xlsx: Inställningar!B3: cellen innehåller felvärdet {REF}; {FIX_CELL}"),
    stop("settings-merged-values", merged("Inställningar", "B3:B4"),
         f"T.xlsx: Inställningar!B3:B4: sammanfogade celler i kolumnen Värde; {MERGED}"),
    stop("settings-ledger-file-missing", book(Inställningar=lambda rows: rows + [["Utfallsfil", "exp/2025-08.csv"]]),
         'T.xlsx: Inställningar!B6: Utfallsfil: filen "exp/2025-08.csv" finns inte'),
    stop("settings-ledger-pattern-matches-nothing",
         book(Inställningar=lambda rows: rows + [["Utfallsfil", "exp/Prov-*.csv"]]),
         'T.xlsx: Inställningar!B6: Utfallsfil: inga filer matchar "exp/Prov-*.csv"'),
]


def row_line(k: int) -> int:
    """The line of u.csv holding data row ``k`` (0-based)."""
    return FIRST_CSV_ROW + k


CSV_CASES = [
    stop("csv-too-few-fields", csv_line_replaced(row_line(20), "202502;5010;110;Lön"),
         f"u.csv: rad {row_line(20)}: raden har 4 fält men rubrikraden (rad 2) har 5, så Belopp saknas; {FIX_LINE}",
         args=CSV),
    stop("csv-too-many-fields", csv_line_replaced(row_line(30), "202503;6990;110;Material; kontor;2 403,50"),
         f"u.csv: rad {row_line(30)}: raden har 6 fält men rubrikraden (rad 2) har 5; {FIX_LINE}", args=CSV),
    stop("csv-unbalanced-quote", csv_line_replaced(row_line(40), '202504;5010;110;"Lön april;10 014,00'),
         f'u.csv: rad {row_line(40)}: citattecknet (") som börjar ett värde på raden stängs aldrig, så resten av filen '
         "skulle läsas som text i ett enda fält; rätta citattecknet och kör igen", args=CSV),
    stop("csv-quote-closed-lines-later", csv_lines_replaced({
        row_line(10): '202501;6990;110;"Material;2 401,50', row_line(14): '202502;3010;100;Avgift "B";-10 002,00'}),
         f'u.csv: rad {row_line(10)}: citattecknet (") som börjar ett värde på raden stängs först på rad {row_line(14)}, '
         "så raderna däremellan skulle läsas som text i ett enda fält; rätta citattecknet och kör igen", args=CSV),
    stop("csv-comma-separator-and-decimal-comma", csv_bytes((
        "Period,Konto,Ansvar,Text,Belopp\r\n" + "".join(f"{r[0]},{r[1]},{r[2]},{r[3]},{swedish(r[4]).replace(' ', '')}\r\n"
                                                       for r in ROWS)).encode("cp1252")),
         f"u.csv: rad 2: raden har 6 fält men rubrikraden (rad 1) har 5; {FIX_LINE}", args=CSV),
    stop("csv-duplicate-header", csv_line_replaced(2, "Period;Konto;Ansvar;Belopp;Belopp"),
         f'u.csv: rad 2: kolumnen "Belopp" (kolumn 5) finns redan i kolumn 4; {AGAIN}', args=CSV),
    stop("csv-misspelled-header", csv_line_replaced(2, "Period;Konto;Ansvar;Text;Beloop"),
         f'u.csv: rad 2: {NO_LEDGER_HEADER}: "Beloop" — menade du "Belopp"?', args=CSV),
    stop("csv-header-missing", csv_edit(lambda lines: lines[2:]),
         f"u.csv: {NO_LEDGER_HEADER}; skriv rubrikerna ovanför tabellen och kör igen", args=CSV),
    stop("csv-amount-not-a-number", csv_line_replaced(row_line(50), "202504;6110;110;Hyra;10.000.00"),
         f'u.csv: rad {row_line(50)} (Belopp): "10.000.00" är inte ett belopp', args=CSV),
    stop("csv-period-not-a-period", csv_line_replaced(row_line(60), "maj;6110;110;Hyra;10 000,00"),
         f'u.csv: rad {row_line(60)} (Period): "maj" är inte en period (t.ex. 202508 eller 2025-08)', args=CSV),
    stop("csv-excel-error-value", csv_line_replaced(row_line(70), "202506;5010;110;Lön;#N/A"),
         f"u.csv: rad {row_line(70)} (Belopp): fältet innehåller Excels felvärde {NA}; rätta det i Excel och spara "
         "filen igen", args=CSV),
    stop("csv-scientific-amount", csv_line_replaced(row_line(71), "202506;5010;110;Lön;1,2E+11"),
         f'u.csv: rad {row_line(71)} (Belopp): "1,2E+11" är inte ett belopp', args=CSV),
    stop("csv-amount-too-large", csv_line_replaced(row_line(72), "202506;5010;110;Lön;99 999 999 999 999,00"),
         f'u.csv: rad {row_line(72)} (Belopp): "99 999 999 999 999,00" {TOO_LARGE}', args=CSV),
    stop("csv-row-without-period", csv_line_replaced(row_line(80), ";6110;110;Hyra;10 000,00"),
         f"u.csv: rad {row_line(80)} (Period): raden saknar period (är det en summarad? ta bort den)", args=CSV),
    stop("csv-total-row-that-does-not-add-up", csv_edit(lambda lines: lines + [";;;Summa;1 000,00"]),
         f"u.csv: rad {row_line(104)} (Period): raden saknar period; som summarad stämmer den inte med raderna ovan "
         "(1 000,00 kr mot 407 620,00 kr)", args=CSV),
    stop("csv-undefined-byte", csv_bytes(csv_text(ROWS).encode("cp1252").replace(b"Hyra", b"Hy\x81ra", 1)),
         "u.csv: teckenkodningen känns inte igen (varken UTF-8 eller Windows-1252; byte 384)", args=CSV),
    stop("csv-bom-that-lies", csv_bytes(b"\xef\xbb\xbf" + csv_text(ROWS).encode("cp1252")),
         "u.csv: filen börjar som UTF-8 (BOM) men är inte UTF-8 (byte 17)", args=CSV),
    stop("csv-utf16-cut-off", csv_bytes(csv_text(ROWS).encode("utf-16")[:-1]),
         "u.csv: filen är UTF-16 men trasig (byte 7004)", args=CSV),
    stop("csv-empty-file", csv_bytes(b""), f"u.csv: {NO_LEDGER_HEADER}; skriv rubrikerna ovanför tabellen och kör igen",
         args=CSV),
    stop("csv-workbook-saved-as-csv", lambda folder: shutil.copy(folder / "T.xlsx", folder / "u.csv"),
         "u.csv: filen innehåller NUL-tecken och är ingen textfil (CSV)", args=CSV),
    stop("csv-file-missing", lambda folder: (folder / "u.csv").unlink(), "u.csv: filen finns inte", args=CSV),
    stop("csv-pattern-matches-nothing", nothing, "exp/2025-*.csv: inga filer matchar mönstret",
         args=("T.xlsx", "--utfall", "exp/2025-*.csv")),
    stop("csv-matrix-month-twice", csv_bytes(b"Konto;Ansvar;Jan;Feb;Mar;Mars\r\n5010;110;1;2;3;4\r\n"),
         f'u.csv: rad 1: kolumnen "Mars" (kolumn 6) är samma månad som "Mar" i kolumn 5; {AGAIN}', args=CSV),
    stop("csv-budget-line-too-long", write_file("b.csv", "Rad;Budget;Konto\nLöner;600000;5010-5099\n"
                                                         "Hyra;120000;6110;x\n"),
         f"b.csv: rad 3: raden har 4 fält men rubrikraden (rad 1) har 3; {FIX_LINE}",
         args=("T.xlsx", "--budget", "b.csv")),
    warn("csv-export-without-rows", csv_edit(lambda lines: lines[:2]), "period-efter-utfall", "Inställningar!B4",
         args=CSV),
    warn("csv-month-exported-twice", monthly_exports(range(1, 9), twice=[8]), "dubbla-rader", "exp/2025-08b.csv",
         args=("T.xlsx", "--utfall", "exp/2025-*.csv")),
    warn("csv-monthly-files-missing", monthly_exports([1, 2, 5, 6, 7, 8]), "tomma-manader",
         "2025-01.csv, 2025-02.csv, 2025-05.csv, 2025-06.csv, 2025-07.csv, 2025-08.csv",
         args=("T.xlsx", "--utfall", "exp/2025-*.csv")),
    warn("csv-two-encodings", csv_bytes(csv_text(ROWS[:-13]).encode("cp1252")
                                        + "".join(csv_line(r) + "\r\n" for r in ROWS[-13:]).encode("utf-8")),
         "teckenkodning-blandad", "u.csv: rad 1", args=CSV),  # the title line: Provnämnd
    warn("csv-signs-reversed", csv_bytes(csv_text([[*r[:4], -r[4]] for r in ROWS]).encode("cp1252")),
         "omvant-tecken", "u.csv", args=CSV),
]


def sie_line(lines: list[str], text: str) -> int:
    """The line number of the first line of ``lines`` that starts with ``text``."""
    return next(n for n, line in enumerate(lines, start=1) if line.strip().startswith(text))


def sie3_text(extra: list[str]) -> str:
    """The ledger as SIE 3 period balances written per object (as Avendo writes them: no line
    without objects when everything is booked on one), then ``extra``."""
    sums: dict[tuple[int, str, str], Decimal] = {}
    for r in ROWS:
        sums[(r[0], r[1], r[2])] = sums.get((r[0], r[1], r[2]), Decimal(0)) + Decimal(str(r[4]))
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 3", "#RAR 0 20250101 20251231", '#DIM 1 "Kostnadsställe"']
    lines += [f'#PSALDO 0 {p} {konto} {{1 "{ansvar}"}} {amount:.2f}' for (p, konto, ansvar), amount in sorted(sums.items())]
    return "\r\n".join(lines + extra) + "\r\n"


SIE_BASE = sie_lines(ROWS)
SIE_VER_50 = sie_line(SIE_BASE, "#VER A 50 ")  # 6990 in April
SIE_RES_6990 = sie_line(SIE_BASE, "#RES 0 6990 ")
SIE_RES_5010 = sie_line(SIE_BASE, "#RES 0 5010 ")
SIE_TRANS_6110 = sie_line(SIE_BASE, "#TRANS 6110 ")
SIE_TRANS_5010 = sie_line(SIE_BASE, "#TRANS 5010 ")
SIE_VER_40 = sie_line(SIE_BASE, "#VER A 40 ")  # the first of April
SIE_CASES = [
    stop("sie-truncated-ver", sie_edit(lambda lines: lines[:-3]),
         f"u.se: rad {len(SIE_BASE) - 4}: #VER A 104 saknar avslutande }}: filen tar slut inne i verifikationen — är "
         "den avkortad? Exportera den igen", args=SIE),
    stop("sie-truncated-mid-line", sie_edit(lambda lines: lines[:-3] + [lines[-3][:12]]),
         f"u.se: rad {len(SIE_BASE) - 4}: #VER A 104 saknar avslutande }}: filen tar slut inne i verifikationen — är "
         "den avkortad? Exportera den igen", args=SIE),
    stop("sie-ver-not-closed", sie_edit(lambda lines: lines[:SIE_VER_50 + 3] + lines[SIE_VER_50 + 4:]),
         f"u.se: rad {SIE_VER_50}: #VER A 50 saknar avslutande }} (nästa #VER börjar på rad {SIE_VER_50 + 4})",
         args=SIE),
    stop("sie-object-list-not-closed", sie_edit(lambda lines: [
        line.replace('{1 "110"}', '{1 "110"', 1) if n == SIE_VER_50 + 1 else line for n, line in enumerate(lines)]),
        f'u.se: rad {SIE_VER_50 + 2}: objektlistan "{{1 "110" 2404.50 20250415 "Material"" saknar avslutande }}',
        args=SIE),
    stop("sie-object-list-missing", sie_edit(lambda lines: [
        line.replace(' {1 "110"}', "", 1) if n == SIE_VER_50 + 1 else line for n, line in enumerate(lines)]),
        f'u.se: rad {SIE_VER_50 + 2}: objektlistan saknas ("2404.50" står där {{ … }} ska stå)', args=SIE),
    stop("sie-brace-without-ver", sie_edit(lambda lines: lines + ["{", "   #TRANS 5010 {} 5.00", "}"]),
         f"u.se: rad {len(SIE_BASE) + 1}: {{ utan #VER framför", args=SIE),
    stop("sie-closing-brace-without-ver", sie_edit(lambda lines: lines + ["}"]),
         f"u.se: rad {len(SIE_BASE) + 1}: }} utan #VER och {{ framför", args=SIE),
    stop("sie-decimal-comma", sie_edit(lambda lines: [
        line.replace("10001.00", "10001,00", 1) if n == SIE_TRANS_5010 - 1 else line for n, line in enumerate(lines)]),
         f'u.se: rad {SIE_TRANS_5010} (Belopp): "10001,00" är inte ett belopp', args=SIE),
    stop("sie-amount-too-large", sie_edit(lambda lines: [
        line.replace("10000.00", "100000000000000000.00", 1) if n == SIE_TRANS_6110 - 1 else line
        for n, line in enumerate(lines)]),
         f'u.se: rad {SIE_TRANS_6110} (Belopp): "100000000000000000.00" {TOO_LARGE}', args=SIE),
    stop("sie-result-amount-too-large", sie_edit(lambda lines: [
        "#RES 0 5010 100000000000000000.00" if n == SIE_RES_5010 - 1 else line for n, line in enumerate(lines)]),
         f'u.se: rad {SIE_RES_5010} (Belopp): "100000000000000000.00" {TOO_LARGE}', args=SIE),
    stop("sie-invalid-date", sie_edit(lambda lines: [line.replace("20250415", "20251345") for line in lines]),
         f'u.se: rad {SIE_VER_40 + 2} (Period): "202513" är inte en period (t.ex. 202508 eller 2025-08)', args=SIE),
    stop("sie-transaction-without-date", sie_edit(lambda lines: [
        line.replace(' 20250415 "Material"', "") if SIE_VER_50 <= n + 1 <= SIE_VER_50 + 2 else line
        for n, line in enumerate(lines)]),
         f"u.se: rad {SIE_VER_50 + 2}: transaktionen saknar datum (ÅÅÅÅMMDD) och verifikationen har inget", args=SIE),
    stop("sie-object-without-value", sie_edit(lambda lines: [
        line.replace('{1 "110"}', "{1}") if n + 1 == SIE_VER_50 + 2 else line for n, line in enumerate(lines)]),
         f"u.se: rad {SIE_VER_50 + 2}: objektlistan {{1}} har en dimension utan objekt", args=SIE),
    stop("sie-period-balance-of-no-period", write_file("u3.se", sie3_text(['#PSALDO 0 2025 6110 {1 "110"} 1000.00'])),
         'u3.se: rad 62 (Period): "2025" är inte en period (t.ex. 202508 eller 2025-08)',
         args=("T.xlsx", "--utfall", "u3.se")),
    stop("sie-transaction-without-amount", sie_edit(lambda lines: [
        "   #TRANS 6110 {}" if n == SIE_TRANS_6110 - 1 else line for n, line in enumerate(lines)]),
         f"u.se: rad {SIE_TRANS_6110}: #TRANS behöver konto, objektlista och belopp", args=SIE),
    stop("sie-not-an-sie-file", write_file("u.se", csv_text(ROWS).encode("cp1252")),
         "u.se: filen är ingen SIE-fil (inga #-rader i början)", args=SIE),
    stop("sie-utf8-declared-but-not", sie_edit(lambda lines: [line.replace("#FORMAT PC8", "#FORMAT UTF8")
                                                              for line in lines] + ['#KONTO 5010 "Löner"'],
                                               encoding="cp1252"),
         "u.se: filen säger #FORMAT UTF8 men är inte UTF-8 (byte 94)", args=SIE),
    stop("sie-no-result-accounts", sie_edit(lambda lines: lines[:len(SIE_HEAD)]),
         "u.se: SIE-filen har varken #TRANS- eller #PSALDO-rader för intäkts- eller kostnadskonton", args=SIE),
    stop("sie-file-missing", lambda folder: (folder / "u.se").unlink(), "u.se: filen finns inte", args=SIE),
    warn("sie-unknown-account-type", sie_edit(lambda lines: lines[:len(SIE_HEAD)] + ["#KTYP 7010 X"]
                                              + lines[len(SIE_HEAD):]),
         "sie-kontotyp", f"u.se: rad {len(SIE_HEAD) + 1}", args=SIE),
    warn("sie-cost-account-typed-as-balance", sie_edit(lambda lines: lines[:len(SIE_HEAD)] + ["#KTYP 5010 T"]
                                                      + lines[len(SIE_HEAD):]),
         "sie-balanskonto", f"u.se: rad {len(SIE_HEAD) + 1}", args=SIE),
    warn("sie-partial-export", sie_edit(lambda lines: lines[:SIE_VER_50 - 1] + lines[SIE_VER_50 + 4:]),
         "sie-summor", f"u.se: rad {SIE_RES_6990}", args=SIE),
    warn("sie-period-balances-unclear", write_file("u3.se", sie3_text(["#PSALDO 0 202508 6110 {} 10000.00"])),
         "sie-psaldo", "u3.se: rad 62", args=("T.xlsx", "--utfall", "u3.se")),
]

CLI_CASES = [
    stop("cli-unknown-option", nothing, "--outptu: okänd flagga — menade du --output?", exit=2,
         args=("T.xlsx", "--outptu", "Ut.xlsx")),
    stop("cli-unknown-short-option", nothing, "-x: okänd flagga (se reconcile run --help)", exit=2,
         args=("T.xlsx", "-x")),
    stop("cli-period-month-13", nothing, "--period 2025-13: ange perioden som 2025-08, 202508 eller 8", exit=2,
         args=("T.xlsx", "--period", "2025-13")),
    stop("cli-period-as-a-word", nothing, "--period augusti: ange perioden som 2025-08, 202508 eller 8", exit=2,
         args=("T.xlsx", "--period", "augusti")),
    stop("cli-period-missing-value", nothing, "--period: värdet saknas (--period ÅÅÅÅ-MM)", exit=2,
         args=("T.xlsx", "--period")),
    stop("cli-wait-negative", nothing, "--wait -1: ange ett antal sekunder, minst 0", exit=2,
         args=("T.xlsx", "--wait", "-1")),
    stop("cli-keep-backups-zero", nothing, "--keep-backups 0: ange ett heltal, minst 1", exit=2,
         args=("T.xlsx", "--keep-backups", "0")),
    stop("cli-jobs-not-a-number", nothing, "--jobs x: ange ett heltal, minst 1", exit=2, args=(".", "--jobs", "x")),
    stop("cli-output-csv", nothing, "--output Ut.csv: resultatet skrivs som en arbetsbok; ange en .xlsx- eller "
         ".xlsm-fil", exit=2, args=("T.xlsx", "--output", "Ut.csv")),
    stop("cli-output-xlsm-for-xlsx", nothing, "--output Ut.xlsm: arbetsboken har inga makron och skrivs som .xlsx; "
         "ange Ut.xlsx", exit=2, args=("T.xlsx", "--output", "Ut.xlsm")),
    stop("cli-output-is-a-folder", lambda folder: (folder / "ut").mkdir(),
         "--output ut: är en mapp; ange filen som resultatet ska skrivas till (UT.xlsx)", exit=2,
         args=("T.xlsx", "--output", "ut")),
    stop("cli-unquoted-pattern", monthly_exports(range(1, 4)),
         f"exp/2025-02.csv (och 1 till): för många argument {QUOTED}", exit=2,
         args=("T.xlsx", "--utfall", "exp/2025-01.csv", "exp/2025-02.csv", "exp/2025-03.csv")),
    stop("cli-two-workbooks", lambda folder: shutil.copy(folder / "T.xlsx", folder / "U.xlsx"),
         "U.xlsx: ett argument för mycket — ange en arbetsbok, eller en mapp för att köra alla i den", exit=2,
         args=("T.xlsx", "U.xlsx")),
    stop("cli-flag-with-a-value", nothing, "--check: flaggan tar inget värde", exit=2, args=("T.xlsx", "--check=ja")),
    stop("cli-backup-and-no-backup", nothing, "--no-backup och --backup kan inte användas samtidigt", exit=2,
         args=("T.xlsx", "--no-backup", "--backup", "kopior")),
    stop("cli-budget-is-a-folder", lambda folder: (folder / "budget").mkdir(),
         "--budget budget: är en mapp; ange en fil", exit=2, args=("T.xlsx", "--budget", "budget")),
    stop("cli-consolidate-without-output", nothing, "--output saknas: ange arbetsboken som får sammanställningen, "
         "t.ex. --output Förbund.xlsx", exit=2, args=("consolidate", "T.xlsx")),
    stop("cli-output-with-a-folder", nothing,
         "--output kan inte användas med en mapp (varje arbetsbok har sina egna blad)", exit=2,
         args=(".", "--output", "Ut.xlsx")),
    stop("cli-ledger-is-a-folder", lambda folder: (folder / "exp").mkdir(), prefix="--utfall exp: ",
         words=("är en mapp",), exit=2, args=("T.xlsx", "--utfall", "exp")),
    stop("cli-ledger-of-unknown-type", write_file("u.pdf", b"%PDF-1.7\n"), prefix="u.pdf: filtypen .pdf stöds inte",
         words=(".se",), args=("T.xlsx", "--utfall", "u.pdf")),
    stop("cli-ledger-xls", write_file("u.xls", compound_file("Workbook")), prefix="u.xls: filtypen .xls stöds inte",
         words=(".xlsx",), args=("T.xlsx", "--utfall", "u.xls")),
    stop("cli-output-folder-missing", nothing, prefix="ut/Ut.xlsx: ", words=("mappen ut",),
         args=("T.xlsx", "--output", "ut/Ut.xlsx")),
    stop("cli-log-folder-missing", nothing, prefix="loggar/natt.log: ", words=("loggfilen",),
         args=("T.xlsx", "--log", "loggar/natt.log")),
    stop("cli-empty-workbook-argument", nothing, prefix="", words=("arbetsbok",), exit=2, args=("",)),
    stop("cli-workbook-missing", nothing, "Saknas.xlsx: filen finns inte", args=("Saknas.xlsx",)),
    stop("cli-ledger-file-missing", nothing, "exp/2025-08.csv: filen finns inte",
         args=("T.xlsx", "--utfall", "exp/2025-08.csv")),
    warn("cli-period-of-another-year", nothing, "inga-rader-for-aret", "--period", args=("T.xlsx", "--period",
                                                                                        "2024-08")),
    warn("cli-period-after-the-ledger", nothing, "period-efter-utfall", "--period",
         args=("T.xlsx", "--period", "2025-11")),
]


def too_many_entries(data: bytes) -> bytes:
    members = read_members(data)
    extra = [new_member(f"customXml/item{i}.xml", b"") for i in range(MAX_ENTRIES + 1 - len(members))]
    return write_members(members + extra)


def part_twice(data: bytes) -> bytes:
    members = read_members(data)
    return write_members(members + [m for m in members if m.name == "xl/worksheets/sheet2.xml"])


def without_part(name: str) -> Callable[[bytes], bytes]:
    return lambda data: write_members([m for m in read_members(data) if m.name != name])


def lock_structure(data: bytes) -> bytes:
    return data.replace(b"<bookViews>", b'<workbookProtection lockStructure="1"/><bookViews>', 1)


def docx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"/>')
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def lying_size(data: bytes) -> bytes:
    part = sheet_part(data, "Utfall")
    member = next(m for m in read_members(data) if m.name == part)
    return replace_member(data, part, file_size=member.file_size - 100)


def crc_error(data: bytes) -> bytes:
    part = sheet_part(data, "Budget")
    member = next(m for m in read_members(data) if m.name == part)
    return replace_member(data, part, crc=member.crc ^ 1)


def cell_bomb(content: bytes) -> bytes:
    return content.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')


def xxe(content: bytes) -> bytes:
    return content.replace(b"?>", b'?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1) \
        .replace(b"<t>Avgift</t>", b"<t>&xxe;</t>")


PACKAGE_CASES = [
    stop("package-not-a-zip", package(lambda data: csv_text(ROWS).encode("cp1252")),
         "T.xlsx: filen är inte en .xlsx-arbetsbok (inte ett zip-paket); spara den som .xlsx i Excel och kör igen"),
    stop("package-empty-file", package(lambda data: b""),
         "T.xlsx: filen är inte en .xlsx-arbetsbok (inte ett zip-paket); spara den som .xlsx i Excel och kör igen"),
    stop("package-truncated", package(lambda data: data[: len(data) // 2]),
         "T.xlsx: filen är inte en .xlsx-arbetsbok som går att läsa: zip-paketet är avkortat eller skadat "
         "(innehållsförteckningen saknas); hämta en hel kopia av filen och kör igen"),
    stop("package-encrypted", package(lambda data: compound_file("EncryptionInfo", "EncryptedPackage")),
         "T.xlsx: arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas; spara en kopia utan lösenord "
         "(Arkiv › Info › Skydda arbetsbok › Kryptera med lösenord, töm lösenordet) och kör igen"),
    stop("package-old-xls-renamed", package(lambda data: compound_file("Workbook", "\x05SummaryInformation")),
         "T.xlsx: filen är inte en .xlsx-arbetsbok (utan en äldre .xls-fil eller annan OLE-fil); spara den som .xlsx "
         "i Excel och kör igen"),
    stop("package-word-document-renamed", package(lambda data: docx_like()),
         "T.xlsx: filen är inte en .xlsx-arbetsbok (zip-paketet saknar en arbetsbok); spara den som .xlsx i Excel och "
         "kör igen"),
    stop("package-zip-bomb", package(lambda data: honest_bomb(data, sheet_part(data, "Utfall"))),
         prefix="T.xlsx: delen xl/worksheets/sheet4.xml packas upp till ", words=("zip-bomb",)),
    stop("package-lying-size", package(lying_size),
         "T.xlsx: arbetsboken är trasig (xl/worksheets/sheet4.xml: innehållet stämmer inte med storleken i "
         "zip-paketets innehållsförteckning); öppna den i Excel, spara och kör igen"),
    stop("package-crc-error", package(crc_error),
         "T.xlsx: arbetsboken är trasig (xl/worksheets/sheet2.xml: kontrollsumman stämmer inte); öppna den i Excel, "
         "spara och kör igen"),
    stop("package-dtd", part_edit(sheet_of("Utfall"), lambda content: BILLION_LAUGHS),
         'T.xlsx: bladet "Utfall" (xl/worksheets/sheet4.xml) innehåller en DTD (<!DOCTYPE>), som inte är tillåten i en '
         "arbetsbok — filen läses inte; öppna den i Excel, spara och kör igen"),
    stop("package-external-entity", part_edit("xl/sharedStrings.xml", xxe),
         "T.xlsx: xl/sharedStrings.xml innehåller en DTD (<!DOCTYPE>), som inte är tillåten i en arbetsbok — filen "
         "läses inte; öppna den i Excel, spara och kör igen"),
    stop("package-cell-bomb", part_edit(sheet_of("Utfall"), cell_bomb),
         'T.xlsx: bladet "Utfall" (xl/worksheets/sheet4.xml) sträcker sig till cell XFD1048576 (1 048 576 rader × '
         "16 384 kolumner), fler än de 33 554 432 celler reconcile läser från ett blad; dela upp bladet och kör igen"),
    stop("package-too-many-entries", package(too_many_entries),
         "T.xlsx: zip-paketet har 20 001 delar, fler än de 20 000 en arbetsbok får ha — filen ser ut som en zip-bomb och "
         "läses inte; kontrollera var den kommer ifrån och spara om den i Excel"),
    stop("package-part-twice", package(part_twice),
         "T.xlsx: arbetsboken är trasig (xl/worksheets/sheet2.xml: delen finns två gånger i zip-paketet); öppna den i "
         "Excel, spara och kör igen"),
    stop("package-sheet-part-cut-off", part_edit(sheet_of("Budget"), lambda content: content[: len(content) // 2]),
         prefix="T.xlsx: bladet Budget"),
    stop("package-ledger-part-cut-off", part_edit(sheet_of("Utfall"), lambda content: content[: len(content) // 2]),
         prefix="T.xlsx: bladet Utfall"),
    stop("package-workbook-part-damaged", part_edit("xl/workbook.xml", lambda content: content[:200]),
         prefix="T.xlsx: arbetsboken"),
    stop("package-relationships-missing", package(without_part("xl/_rels/workbook.xml.rels")),
         prefix="T.xlsx: arbetsboken"),
    stop("package-shared-string-missing", part_edit(sheet_of("Budget"), lambda content: content.replace(
        b'<c r="A3" t="s"><v>', b'<c r="A3" t="s"><v>99', 1)), prefix="T.xlsx: bladet Budget"),
    stop("package-sheet-part-missing", package(without_part("xl/worksheets/sheet2.xml")),
         prefix="T.xlsx: arbetsboken är trasig (xl/worksheets/sheet2.xml: bladet Budget finns i arbetsboken men "
                "delen saknas i zip-paketet)", absent=("(Budget)",)),
    stop("package-protected-structure", part_edit("xl/workbook.xml", lock_structure),
         "T.xlsx: arbetsbokens struktur är skyddad (Granska › Skydda arbetsbok); ta bort skyddet och kör igen"),
    stop("package-foreign-summary-sheet", book(add={"Sammanställning": [["Min egen sammanställning"], [1, 2, 3]]}),
         'T.xlsx: bladet "Sammanställning" finns redan och skapades inte av reconcile; byt namn på det eller ta bort '
         "det och kör igen"),
    stop("package-read-only-file", chmod("T.xlsx", 0o444), f"T.xlsx: arbetsboken är skrivskyddad; {READ_ONLY}",
         exit=3),
    stop("package-read-only-folder", in_subfolder("enhet", 0o555),
         f"enhet/T.xlsx: arbetsboken är skrivskyddad: mappen enhet går inte att skriva i; {READ_ONLY}", exit=3,
         args=("enhet/T.xlsx",)),
    stop("package-open-in-excel", write_file("~$T.xlsx", b"\x08Eva"),
         "T.xlsx: arbetsboken är öppen i Excel (~$T.xlsx); stäng den och kör igen — inget skrevs", exit=3),
    stop("package-open-in-libreoffice", write_file(".~lock.T.xlsx#", "Eva,eva,dator,01.09.2025 08:15,file:///;"),
         "T.xlsx: arbetsboken är öppen i LibreOffice (.~lock.T.xlsx#); stäng den och kör igen — inget skrevs", exit=3),
    stop("package-xls-given", write_file("T.xls", compound_file("Workbook")),
         "T.xls: filen är inte en .xlsx-arbetsbok (utan en .xls-fil); spara den som .xlsx i Excel och kör igen",
         args=("T.xls",)),
    stop("package-xlsb-given", write_file("T.xlsb", docx_like()),
         "T.xlsb: filen är inte en .xlsx-arbetsbok (utan en .xlsb-fil); spara den som .xlsx i Excel och kör igen",
         args=("T.xlsb",)),
    stop("package-ods-given", write_file("T.ods", docx_like()),
         "T.ods: filen är inte en .xlsx-arbetsbok (utan en OpenDocument-fil, .ods); spara den som .xlsx i LibreOffice "
         "och kör igen", args=("T.ods",)),
    stop("package-csv-given", nothing, "u.csv: en CSV-fil är en huvudboksexport, inte en arbetsbok: kör reconcile "
         "ARBETSBOK.xlsx --utfall u.csv", args=("u.csv",)),
    stop("package-sie-given", nothing, "u.se: en SIE-fil är en huvudboksexport, inte en arbetsbok: kör reconcile "
         "ARBETSBOK.xlsx --utfall u.se", args=("u.se",)),
    stop("package-pdf-given", write_file("Budget.pdf", b"%PDF-1.7\n"),
         "Budget.pdf: arbetsboken måste vara en .xlsx- eller .xlsm-fil", args=("Budget.pdf",)),
]

NEAR_DEFECTS = [
    near("near-reserve-line-without-pattern", book(Budget=lambda rows: rows + [["Reserv", None, "Kostnad", 25_000]])),
    near("near-last-years-rows-in-the-export", csv_bytes(csv_text(ledger_rows([12], 2024) + ROWS).encode("cp1252")),
         args=CSV, figures=SUMMARY),
    near("near-a-few-kronor-unbudgeted", book(Utfall=ledger(extra=[[202505, "7990", "110", "Öresavrundning", 0.37],
                                                                   [202506, "8410", "110", "Ränta", 512]]))),
    near("near-july-without-rows", book(Utfall=ledger([1, 2, 3, 4, 5, 6, 8]))),
    near("near-sparse-unit-without-july", book(Utfall=ledger(
        [1, 2, 3, 4, 5, 6, 8], keep=lambda r: r[1] == "6110" or (r[1] == "5010" and r[4] % 10 == r[0] % 100)))),
    near("near-two-unused-text-columns", book(Utfall=lambda rows: [rows[0] + ["Text", "Verifikat"]] + [
        r + [f"Ver {i}", i] for i, r in enumerate(rows[1:])]), figures=SUMMARY),
    near("near-excel-trailing-separators", csv_bytes(
        (";".join(LEDGER_HEADER) + ";;;\r\n" + "".join(csv_line(r) + ";;;\r\n" for r in ROWS) + ";;;;;;;;\r\n")
        .encode("cp1252")), args=CSV, figures=SUMMARY),
    near("near-period-and-date-columns", book(Utfall=lambda rows: [["Bokföringsdatum", *rows[0]]] + [
        [dt.datetime(2025, 9, 1), *r] for r in rows[1:]]), figures=SUMMARY),
    near("near-commitments-and-unallocated-remainder", book(Budget=cells(D5=800_000, I6=20_000))),
    near("near-merged-parent", book(Budget=cell("B7", None), merges={"Budget": ["B6:B7"]}), figures=SUMMARY),
    near("near-merged-title-above-the-budget", book(Budget=lambda rows: [["Budget 2025 Provnämnd"], [], *rows],
                                                    merges={"Budget": ["A1:J1"]}), figures=SUMMARY),
    near("near-error-value-in-the-text-column", error("Utfall", "D10", "#N/A"), figures=SUMMARY),
    near("near-income-budget-in-ledger-sign", book(Budget=cell("D4", -120_000)), figures=SUMMARY),
    near("near-refund-on-a-cost-line", book(Utfall=ledger(extra=[[202503, "6990", "110", "Återbetalning", -30_000]]))),
    near("near-total-row-that-adds-up", csv_edit(
        lambda lines: lines + [f";;;Summa;{swedish(sum(Decimal(str(r[4])) for r in ROWS))}"]), args=CSV,
         figures=SUMMARY),
    near("near-closing-entry-in-sie", sie_edit(lambda lines: lines + sie_ver(999, [202512, "8999", "", "Årets resultat",
                                                                                    12_345.67])), args=SIE,
         figures=SUMMARY),
    near("near-utf8-sie-under-pc8", sie_edit(lambda lines: lines[:len(SIE_HEAD)] + ['#KONTO 5010 "Löner tjänstemän"']
                                             + lines[len(SIE_HEAD):], encoding="utf-8"), args=SIE, figures=SUMMARY),
    near("near-sie-without-dim", sie_edit(lambda lines: [line for line in lines if not line.startswith("#DIM")]),
         args=SIE, figures=SUMMARY),
    near("near-sie3-balances-per-object", write_file("u3.se", sie3_text([])), args=("T.xlsx", "--utfall", "u3.se"),
         figures=SUMMARY),
    near("near-an-earlier-period", nothing, args=("T.xlsx", "--period", "6")),
    near("near-range-typed-with-spaces", book(Budget=cell("E6", "5010 - 5099")), figures=SUMMARY),
    near("near-weekly-exports-with-equal-rows", steps(
        write_file("v1.csv", csv_text([[202508, "7010", "110", "Resa", 2_450], [202508, "5010", "110", "Lön", 11_000]])),
        write_file("v2.csv", csv_text([[202508, "7010", "110", "Resa", 2_450], [202508, "6990", "110", "Kontor", 880]]))),
         args=("T.xlsx", "--utfall", "u.csv", "--utfall", "v1.csv", "--utfall", "v2.csv")),
    near("near-accepted-warning", book(Utfall=ledger([1, 2, 5, 6, 7, 8]),
                                       Inställningar=lambda rows: rows + [["Godkända varningar", "tomma-manader"]])),
]

# Budgetändringar: A Datum, B Rad, C Belopp, D Typ, E Beslut, F Från januari, G Kommentar
CHANGES = [["Datum", "Rad", "Belopp", "Typ", "Beslut", "Från januari", "Kommentar"],
           [dt.date(2025, 3, 12), "Lokaler", 20_000, "Tilläggsanslag", "RS 2025/1", None, "Ny hyra"],
           [dt.date(2025, 5, 14), "Löner", -10_000, "Omfördelning", "LN 2025/4", None, None],
           [dt.date(2025, 5, 14), "Sociala avgifter", 10_000, "Omfördelning", "LN 2025/4", None, None],
           [dt.date(2025, 10, 1), "Övrigt", 5_000, "Tilläggsanslag", "RS 2025/9", None, "Efter bokslutsperioden"]]


def changes(**refs) -> Build:
    """The baseline with the Budgetändringar sheet above, ``refs`` (A2=…) changed in it."""
    return book(add={"Budgetändringar": cells(**refs)([list(row) for row in CHANGES])})


CHANGE_CASES = [
    stop("budget-change-line-misspelled", changes(B2="Lokalr"),
         'T.xlsx: Budgetändringar!B2: budgetraden "Lokalr" finns inte på bladet Budget — menade du "Lokaler"?'),
    stop("budget-change-line-unknown", changes(B2="Fastigheter"),
         'T.xlsx: Budgetändringar!B2: budgetraden "Fastigheter" finns inte på bladet Budget; skriv radens namn som i '
         'kolumnen Rad (eller dess sökväg, t.ex. "Rubrik › Rad")'),
    stop("budget-change-on-a-heading", changes(B2="Personal"),
         'T.xlsx: Budgetändringar!B2: "Personal" är en rubrikrad; dess budget är summan av raderna under den ("Löner" '
         'och "Sociala avgifter") — ange ändringen på en av dem'),
    stop("budget-change-bad-date", changes(A2="2025-13-01"),
         'T.xlsx: Budgetändringar!A2: "2025-13-01" är inget datum; skriv beslutets datum som 2025-06-15'),
    stop("budget-change-no-date", changes(A2=None),
         "T.xlsx: Budgetändringar!A2: ändringen saknar datum i kolumnen Datum (beslutets datum, t.ex. 2025-06-15)"),
    stop("budget-change-bad-amount", changes(C2="12,3,4"), 'T.xlsx: Budgetändringar!C2: "12,3,4" är inte ett belopp'),
    stop("budget-change-no-amount", changes(C2=None),
         "T.xlsx: Budgetändringar!C2: ändringen saknar belopp i kolumnen Belopp"),
    stop("budget-change-type-misspelled", changes(D2="Tilläggsanlag"),
         'T.xlsx: Budgetändringar!D2: "Tilläggsanlag" är ingen ändringstyp — menade du "Tilläggsanslag"?'),
    stop("budget-change-type-unknown", changes(D2="Bidrag"),
         'T.xlsx: Budgetändringar!D2: "Bidrag" är ingen ändringstyp (Tilläggsanslag, Omfördelning, Ombudgetering '
         'eller Annan)'),
    stop("budget-change-from-january-unknown", changes(F2="kanske"),
         'T.xlsx: Budgetändringar!F2: "kanske" är varken ja eller nej (Från januari)'),
    warn("budget-change-reallocation-unbalanced", changes(C4=8_000), "omfordelning-obalans", "Budgetändringar"),
]

NEAR_DEFECTS += [
    near("near-budget-changes-with-one-after-the-period", changes()),
]

LAST_YEAR = ("T.xlsx", "--fjolar", "f.csv")
LAST_YEAR_CASES = [  # last year's ledger (--fjolar, Fjolårsfil) and the rows of last year in the export
    stop("cli-fjolar-missing-file", nothing, "--fjolar f.csv: filen finns inte", exit=2, args=LAST_YEAR),
    stop("ledger-fjolar-no-rows-of-last-year", write_file("f.csv", csv_text(ledger_rows())),
         "f.csv: fjolårets huvudbok har inga rader för 2024 (den har rader för 2025); ange huvudboken för 2024",
         args=LAST_YEAR),
    warn("ledger-fjolar-missing-months", write_file("f.csv", csv_text(ledger_rows(range(3, 13), 2024))),
         "fjolar-ofullstandigt", "f.csv", args=LAST_YEAR),
    stop("settings-last-year-file-missing", book(Inställningar=lambda rows: rows + [["Fjolårsfil", "exp/2024.csv"]]),
         'T.xlsx: Inställningar!B6: Fjolårsfil: filen "exp/2024.csv" finns inte'),
    near("near-last-year-in-the-export", book(Utfall=[LEDGER_HEADER, *ledger_rows(range(1, 13), 2024), *ROWS])),
    near("near-last-year-of-its-own", write_file("f.csv", csv_text(ledger_rows(range(1, 13), 2024))), args=LAST_YEAR),
    near("near-fjolarsprofil", book(Utfall=[LEDGER_HEADER, *ledger_rows(range(1, 13), 2024), *ROWS],
                                    Budget=lambda rows: [[*r[:6], "Fjolårsprofil" if r[0] == "Lokaler" else r[6],
                                                          *r[7:]] for r in rows])),
]

CASES = BUDGET_CASES + LEDGER_CASES + KEY_CASES + SETTING_CASES + CSV_CASES + SIE_CASES + CLI_CASES + PACKAGE_CASES \
    + CHANGE_CASES + NEAR_DEFECTS + LAST_YEAR_CASES
CATEGORIES = ("budget", "ledger", "keys", "settings", "csv", "sie", "cli", "package")


def params(kind: str):
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [])
            for c in CASES if c.kind == kind]


# ---------------------------------------------------------------------------------------------------------------
# running a case


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every file and folder under ``folder`` (hidden ones too): bytes and modification time."""
    out = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        out[str(path.relative_to(folder))] = (path.read_bytes() if path.is_file() else None, info.st_mtime_ns,
                                              stat.S_IMODE(info.st_mode))
    return out


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="reconcile", catch_exceptions=False)


def restore_permissions(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)


# what a library or the operating system says in English, passed on in a message
ENGLISH = re.compile(r"\b(not|found|error|errno|file|directory|such|permission|denied|token|syntax|ill-formed|index|"
                     r"table|input|invalid|unexpected|traceback|warning)\b", re.IGNORECASE)


def one_line(result) -> str:
    """The one line a stopped run prints: on stderr, nothing on stdout, no crash, in Swedish."""
    assert result.stdout == "", result.stdout
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    line = result.stderr[:-1]
    assert "oväntat fel" not in line, line
    assert not ENGLISH.search(line), line
    return line


@pytest.mark.parametrize("case", params("stop"))
def test_a_stop_is_one_line_naming_the_position_and_nothing_is_written(folder, case):
    case.build(folder)
    before = snapshot(folder)
    try:
        result = invoke(*case.args)
        after = snapshot(folder)
    finally:
        restore_permissions(folder)
    assert result.exit_code == case.exit, result.output
    line = one_line(result)
    if case.exit != 2:  # the line starts with the file it is about (a usage error names its option or argument)
        assert any(line.startswith(f"{arg}: ") or line.startswith(f"{arg} ") for arg in case.args if arg), line
    if case.line is not None:
        assert line == case.line
    else:
        assert line.startswith(case.prefix), line
        for word in case.words:
            assert word in line, (word, line)
    for text in case.absent:
        assert text not in line, (text, line)
    assert after == before


@pytest.mark.parametrize("case", params("warning"))
def test_a_warning_is_on_the_summary_line_in_json_and_stops_under_strict(folder, case):
    case.build(folder)
    # --strict: one line naming the warning, exit 1, nothing written
    before = snapshot(folder)
    strict = invoke(*case.args, "--strict")
    assert strict.exit_code == 1, strict.output
    stopped = one_line(strict)
    assert snapshot(folder) == before
    # --json lists it with its slug, severity and position
    checked = invoke(*case.args, "--check", "--json")
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.stdout)
    found = [f for f in data["findings"] if f["severity"] == "varning"]
    assert [(f["slug"], f["severity"], f["where"]) for f in found] == [(case.slug, "varning", case.where)]
    assert data["warnings"] == 1
    assert stopped == f"{case.args[0]}: {case.where}: {found[0]['message']} — stoppad av --strict; inget skrevs"
    # the run goes on, and its summary line says so
    result = invoke(*case.args)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith(f"{case.args[0]}: ")
    assert result.stdout.endswith(f" · {WRITTEN} · 1 varning (se Avstämning)\n"), result.stdout


@pytest.mark.parametrize("case", params("near"))
def test_a_near_defect_neither_stops_nor_warns(folder, case):
    case.build(folder)
    result = invoke(*case.args, "--check", "--json", "--strict")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["warnings"] == 0 and [f for f in data["findings"] if f["severity"] != "info"] == []
    assert data["tieout_kr"]["difference"] == 0
    line = invoke(*case.args, "--check")
    assert (line.exit_code, line.stderr) == (0, "")
    assert "varning" not in line.stdout and line.stdout.endswith(" · kontroll, inget skrivet\n")
    if case.figures is not None:
        assert line.stdout == f"{case.args[0]}: {case.figures} · kontroll, inget skrivet\n"


# ---------------------------------------------------------------------------------------------------------------
# reconcile report: the same stops, warnings and --strict as the run (the section as a Word document)

REPORT_FLAGS = ("--utfall", "--budget", "--period")  # the run's flags that reconcile report takes too


def as_report(args: tuple[str, ...]) -> tuple[str, ...] | None:
    """The case's run as ``reconcile report`` takes it — the workbook and the flags both take, each with one
    value — writing E.docx; None for a case the report cannot be called so."""
    rest = args[1:]
    if not args or args[0] != "T.xlsx" or len(rest) % 2 or any(flag not in REPORT_FLAGS for flag in rest[::2]):
        return None
    return ("report", *args, "--docx", "E.docx")


def report_params(kind: str):
    return [p for p in params(kind) if as_report(p.values[0].args) is not None]


@pytest.mark.parametrize("case", report_params("stop"))
def test_the_report_stops_as_the_check_does(folder, case):
    """Every stop of reading and reconciling is the report's too, the same line; a stop of writing the
    workbook is not (the report writes no workbook)."""
    case.build(folder)
    before = snapshot(folder)
    try:
        check = invoke(*case.args, "--check")
        result = invoke(*as_report(case.args))
        after = snapshot(folder)
    finally:
        restore_permissions(folder)
    if check.exit_code == 0:
        assert (result.exit_code, result.stderr) == (0, ""), result.output
        assert result.stdout.endswith(" · E.docx skriven\n") and "E.docx" in set(after) - set(before)
        return
    assert result.exit_code == check.exit_code, result.output
    assert one_line(result) == one_line(check)
    assert after == before


@pytest.mark.parametrize("case", report_params("warning"))
def test_the_report_warns_and_stops_under_strict_as_the_run_does(folder, case):
    case.build(folder)
    before = snapshot(folder)
    run = invoke(*case.args, "--check", "--strict")
    strict = invoke(*as_report(case.args), "--strict")
    assert strict.exit_code == 1, strict.output
    assert one_line(strict) == one_line(run)
    assert snapshot(folder) == before
    result = invoke(*as_report(case.args))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout.startswith("T.xlsx: ") and result.stdout.count("\n") == 1
    assert result.stdout.endswith(" · E.docx skriven · 1 varning (se Avstämning)\n"), result.stdout
    data = json.loads(invoke(*as_report(case.args), "--json").stdout)
    assert [(f["slug"], f["severity"], f["where"]) for f in data["findings"] if f["severity"] == "varning"] == [
        (case.slug, "varning", case.where)]
    assert data["warnings"] == 1
    assert data["files"] == [{"path": "E.docx", "kind": "docx", "status": "unchanged"}]


@pytest.mark.parametrize("case", report_params("near"))
def test_the_report_on_a_near_defect_neither_stops_nor_warns(folder, case):
    case.build(folder)
    result = invoke(*as_report(case.args), "--json", "--strict")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["warnings"] == 0 and data["status"] == "written"


def test_the_report_takes_most_of_the_catalogue():
    assert len(report_params("stop")) >= 60 and len(report_params("warning")) >= 15


# ---------------------------------------------------------------------------------------------------------------
# the baseline and the catalogue itself


@pytest.mark.parametrize("ledger_args", [(), ("--utfall", "u.csv"), ("--utfall", "u.se")],
                         ids=["sheet", "csv", "sie"])
def test_the_baseline_runs_clean_in_every_ledger_form(folder, ledger_args):
    result = invoke("T.xlsx", *ledger_args, "--check", "--json", "--strict")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["warnings"] == 0
    assert data["tieout_kr"]["rows_read"] == 104 and data["tieout_kr"]["unbudgeted"] == 0
    assert data["totals_kr"]["committed"] == 5000
    line = invoke("T.xlsx", *ledger_args)
    assert (line.exit_code, line.stderr, line.stdout) == (0, "", f"T.xlsx: {SUMMARY} · {WRITTEN}\n")


def test_the_catalogue_holds_a_hundred_defects_across_every_category():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert all(c.category in (*CATEGORIES, "near") for c in CASES)
    defects = [c for c in CASES if c.kind in ("stop", "warning")]
    assert len(defects) >= 100
    per_category = {k: sum(c.category == k for c in defects) for k in CATEGORIES}
    assert min(per_category.values()) >= 8, per_category
    assert sum(c.kind == "warning" for c in defects) >= 20
    assert len([c for c in CASES if c.kind == "near"]) >= 10
    # the cases the issue names, each by its own defect
    named = {"budget-misspelled-header", "ledger-header-missing", "ledger-header-misspelled", "budget-typed-in-tkr",
             "settings-amounts-in-tkr-for-kr", "settings-wrong-year", "ledger-signs-reversed",
             "ledger-stops-in-february", "ledger-stops-in-may", "csv-month-exported-twice", "budget-negative-cost",
             "budget-list-typed-with-spaces", "budget-error-ref", "ledger-error-na-amount",
             "budget-error-div0-prognos", "ledger-duplicate-header", "keys-duplicate-name", "settings-year-twice",
             "budget-pattern-open-range", "budget-pattern-double-star", "budget-pattern-inner-star",
             "csv-too-few-fields", "csv-unbalanced-quote", "sie-truncated-ver", "sie-unknown-account-type",
             "near-merged-parent", "ledger-matrix-month-twice"}
    assert named <= set(ids), named - set(ids)
