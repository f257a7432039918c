"""The real SIE 3/4 exports in ../shared/sie (30 files from 20 programs, listed
in its MANIFEST.tsv) read through the ledger path (``read_ledgers``) agree to
the öre with an independent reader written here — shlex tokens, its own
rules, the #PSALDO style taken from the manifest instead of detected — per
calendar month and account, per year, income and cost; 8999 Årets resultat
left out; and each file warns only where its own totals disagree."""

from __future__ import annotations

import csv
import json
import shlex
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from workbook_factory import write_workbook

from toolkit.cli import main
from toolkit.read.exports import read_ledgers
from toolkit.read.workbook import Source

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (in CI), or beside its folder (a worktree in a folder of worktrees)
SIE = next((p / "shared" / "sie" for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "sie" / "MANIFEST.tsv").is_file()), None)
MANIFEST = {row["file"]: row for row in csv.DictReader(open(SIE / "MANIFEST.tsv", encoding="utf-8"), delimiter="\t")} \
    if SIE else {}
needs_corpus = pytest.mark.skipif(not MANIFEST, reason="../shared/sie is not beside the checkout")


# ---- the independent reader ----

def text_of(data: bytes) -> str:
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8")
    if any(b > 127 for b in data):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp437")
    return data.decode("ascii")


def words(line: str) -> list[str]:
    """shlex with { and } as words of their own; a text whose closing quote is
    missing (one real file) ends at the end of the line."""
    spaced = line.replace("{", " { ").replace("}", " } ")
    for attempt in (spaced, spaced + '"'):
        lexer = shlex.shlex(attempt, posix=True)
        lexer.whitespace_split, lexer.commenters, lexer.quotes, lexer.escape = True, "", '"', "\\"
        try:
            return list(lexer)
        except ValueError:
            continue
    raise AssertionError(line)


def split_objects(ws: list[str]) -> tuple[dict[int, str], list[str]]:
    close = ws.index("}")
    inner = ws[1:close]
    return {int(inner[i]): inner[i + 1] for i in range(0, len(inner), 2)}, ws[close + 1:]


class Independent:
    """One file's figures as an accountant adds them up."""

    def __init__(self, path: Path, style: str):
        self.types: dict[str, str] = {}
        self.res0: dict[str, Decimal] = {}
        self.underdim_parent: dict[int, int] = {}
        self.year0 = ("00000000", "99999999")
        trans, balances = [], []
        date = ""
        for raw in text_of(path.read_bytes()).splitlines():
            if not raw.strip().startswith("#"):
                continue
            w = words(raw.strip())
            tag = w[0].upper()
            if tag == "#VER":
                date = w[3]
            elif tag == "#TRANS":
                objects, rest = split_objects(w[2:])
                day = rest[1] if len(rest) > 1 and len(rest[1]) == 8 and rest[1].isdigit() else date
                trans.append((w[1], objects, Decimal(rest[0]), day))
            elif tag == "#PSALDO":
                objects, rest = split_objects(w[4:])
                balances.append((int(w[1]), w[2], w[3], objects, Decimal(rest[0])))
            elif tag == "#KTYP" and len(w) > 2:
                self.types[w[1]] = w[2].upper()
            elif tag == "#RES" and int(w[1]) == 0:
                self.res0[w[2]] = Decimal(w[3])
            elif tag == "#RAR" and int(w[1]) == 0:
                self.year0 = (w[2], w[3])
            elif tag == "#UNDERDIM":
                self.underdim_parent[int(w[1])] = int(w[3])
        self.trans = [t for t in trans if self.income_or_cost(t[0])]
        self.balances = [b for b in balances if self.income_or_cost(b[2])]
        self.closing = [t for t in trans if t[0] == "8999"] if self.trans else [b for b in balances if b[2] == "8999"]
        self.typed_balance = [a for a, kind in self.types.items() if kind in "TS" and kind and a[0] in "345678"
                              and any(x[0] == a for x in trans) | any(b[2] == a for b in balances)]
        self.style = style

    def income_or_cost(self, account: str) -> bool:
        kind = self.types.get(account, "")
        if kind in ("I", "K"):
            return account != "8999"
        if kind in ("T", "S"):
            return False
        return account[0] in "345678" and account != "8999"

    def sums(self) -> dict[tuple[int, str], Decimal]:
        """(yyyymm, account) → kr."""
        out: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        if self.trans:
            for account, _objects, amount, day in self.trans:
                out[(int(day[:6]), account)] += amount
            return out
        groups = defaultdict(list)
        for year, period, account, objects, amount in self.balances:
            groups[(year, period, account)].append((objects, amount))
        for (_year, period, account), lines in groups.items():
            whole = [amount for objects, amount in lines if not objects]
            if self.style == "total" and whole:
                out[(int(period), account)] += whole[0]
            else:  # the partition style, or a total left out with its parts
                out[(int(period), account)] += sum(amount for _objects, amount in lines)
        return out

    def by_object(self, dim: int) -> dict[tuple[int, str, str], Decimal]:
        """(yyyymm, account, object of ``dim``, or of a sub-dimension of it) → kr (#TRANS or partition style)."""
        out: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)

        def code(objects: dict[int, str]) -> str:
            if dim in objects:
                return objects[dim]
            return next((o for d, o in objects.items() if self.underdim_parent.get(d) == dim), "")

        if self.trans:
            for account, objects, amount, day in self.trans:
                out[(int(day[:6]), account, code(objects))] += amount
        else:
            for _year, period, account, objects, amount in self.balances:
                out[(int(period), account, code(objects))] += amount
        return out

    def differs_from_res(self) -> list[str]:
        """The accounts whose year (#RAR 0) in #TRANS, or year 0 in #PSALDO, is not their #RES 0."""
        if not self.res0:
            return []
        year: dict[str, Decimal] = defaultdict(Decimal)
        if self.trans:
            for account, _objects, amount, day in self.trans:
                if self.year0[0] <= day <= self.year0[1]:
                    year[account] += amount
        else:
            for (period, account), amount in self.sums().items():
                if any(b[0] == 0 and int(b[1]) == period for b in self.balances):
                    year[account] += amount
        res = {a: v for a, v in self.res0.items() if self.income_or_cost(a)}
        return sorted(a for a in year.keys() | res.keys() if year.get(a, 0) != res.get(a, 0))


def ore(kr: Decimal) -> int:
    return int(kr * 100)


# ---- the toolkit's reading ----

def toolkit_ledger(path: Path):
    return read_ledgers([Source(path, path.name)], None)


def toolkit_sums(ledger, dim: str | None = None) -> dict[tuple, int]:
    konto = ledger.codes["konto"]
    other = ledger.codes[dim] if dim else None
    out: dict[tuple, int] = defaultdict(int)
    for i in range(len(ledger)):
        key = (int(ledger.period[i]), konto.texts[konto.index[i]])
        if other is not None:
            key += (other.texts[other.index[i]],)
        out[key] += int(ledger.amount[i])
    return {k: v for k, v in out.items() if v}


def nonzero(sums: dict) -> dict:
    return {k: ore(v) for k, v in sums.items() if v}


FILES = sorted(MANIFEST)


@needs_corpus
def test_the_manifest_lists_the_files_beside_it():
    assert {row["file"] for row in MANIFEST.values()} == {p.name for p in SIE.iterdir() if p.name != "MANIFEST.tsv"}


@needs_corpus
@pytest.mark.parametrize("name", FILES)
def test_a_real_file_reconciles_to_the_ore_with_an_independent_reading(name):
    path = SIE / name
    style = MANIFEST[name]["psaldo"]
    independent = Independent(path, style)
    ledger = toolkit_ledger(path)
    want = nonzero(independent.sums())
    got = toolkit_sums(ledger)
    assert got == want
    konto = ledger.codes["konto"]
    assert "8999" not in {konto.texts[i] for i in konto.index.tolist()}
    # per calendar year and month, income (class 3) and cost (4–8)
    for key in ("year", "month"):
        def bucket(period: int, key=key) -> int:
            return period // 100 if key == "year" else period
        for kind, classes in (("intäkter", "3"), ("kostnader", "45678")):
            mine: dict[int, int] = defaultdict(int)
            theirs: dict[int, int] = defaultdict(int)
            for (period, account), value in got.items():
                if account[0] in classes:
                    mine[bucket(period)] += value
            for (period, account), value in want.items():
                if account[0] in classes:
                    theirs[bucket(period)] += value
            assert dict(mine) == dict(theirs), (key, kind)
    assert got


@needs_corpus
@pytest.mark.parametrize("name", [n for n in FILES if MANIFEST[n]["psaldo"] != "total"])
def test_the_objects_of_a_real_file_are_its_ansvar_and_projekt(name):
    """Dimension 1 is Ansvar and 6 Projekt whatever the file calls them
    (Avdelning, Resultatenheter, Department …); a sub-dimension's object counts
    under its parent.  Only #TRANS and the partition style: the total style's
    split over objects is the reader's choice."""
    path = SIE / name
    independent = Independent(path, MANIFEST[name]["psaldo"])
    ledger = toolkit_ledger(path)
    for dim, column in ((1, "ansvar"), (6, "projekt")):
        want = nonzero(independent.by_object(dim))
        if column not in ledger.codes:
            assert all(key[2] == "" for key in want), column
            continue
        assert toolkit_sums(ledger, column) == want, column


@needs_corpus
@pytest.mark.parametrize("name", FILES)
def test_a_real_file_warns_only_where_its_own_totals_disagree(name):
    """A warning means the figures are probably wrong: here only when the
    year's #TRANS (or #PSALDO) per account is not the file's own #RES."""
    path = SIE / name
    independent = Independent(path, MANIFEST[name]["psaldo"])
    notes = toolkit_ledger(path).notes
    warnings = [n for n in notes if n.severity == "varning"]
    differ = independent.differs_from_res()
    assert [w.slug for w in warnings] == (["sie-summor"] if differ else [])
    if differ:
        message = warnings[0].message
        assert f"för {len(differ)} {'konto' if len(differ) == 1 else 'konton'}: {differ[0]} (" in message
        assert message.endswith("— en ofullständig export? Utfallet är läst från "
                                + ("#TRANS" if independent.trans else "#PSALDO"))
    infos = {n.slug for n in notes if n.severity == "info"}
    assert ("arets-resultat" in infos) == bool(independent.closing)
    assert ("sie-balanskonto" in infos) == bool(independent.typed_balance)


@needs_corpus
def test_the_avendo_period_balances_are_parts_and_the_others_totals():
    """The manifest's psaldo column: each SIE 3 file read in its style.  Avendo's
    {} line is only the part without objects: read as a total it would lose
    most of 4010; the others' {} is the total: summed with its parts it would
    count twice."""
    for name in FILES:
        style = MANIFEST[name]["psaldo"]
        if style == "-":
            continue
        path = SIE / name
        got = toolkit_sums(toolkit_ledger(path))
        other = nonzero(Independent(path, "partition" if style == "total" else "total").sums())
        assert got == nonzero(Independent(path, style).sums()), name
        assert got != other, name  # the two styles differ on every one of these files


def budget_book(path: Path, year: int) -> Path:
    return write_workbook(path, {
        "Inställningar": [["Inställning", "Värde"], ["Enhet", "SIE-test"], ["År", year], ["Period", 12]],
        "Budget": [["Rad", "Typ", "Budget", "Konto"], ["Intäkter", "Intäkt", 1000, "3000-3999"],
                   ["Kostnader", "Kostnad", 1000, "4000-8999"]]})


@needs_corpus
@pytest.mark.parametrize("name", FILES)
def test_what_reaches_the_report_is_the_independent_years_sum(name, tmp_path):
    """A small budget workbook run with --utfall file.se: each calendar year's
    utfall in the report (its tie-out and its total) is the independent sum."""
    path = SIE / name
    want = Independent(path, MANIFEST[name]["psaldo"]).sums()
    years = sorted({period // 100 for period, _account in want})
    for year in years:
        book = budget_book(tmp_path / f"Test{year}.xlsx", year)
        result = CliRunner().invoke(main, [str(book), "--check", "--json", "--utfall", str(path)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out = json.loads(result.stdout)
        total = sum((v for (period, _a), v in want.items() if period // 100 == year), Decimal(0))
        assert out["tieout_kr"]["ledger_in_period"] == float(total), year
        assert out["totals_kr"]["actual"] == float(total), year
        assert out["tieout_kr"]["difference"] == 0
