"""Urval <kolumn> on Inställningar: which rows of a shared (regional) export are
the unit's.  With ``Urval Ansvar 42*`` a unit's figures are those of an export
holding only its rows; the other rows count nowhere, and Avstämning ties the
export as read to the unit's rows."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_shared_exports import reads  # noqa: F401  (a fixture: every parse of a ledger, counted)
from workbook_factory import KEYS, SETTINGS, write_workbook

from toolkit.cli import main
from toolkit.engine.model import Settings, Urval, condition
from toolkit.errors import InputError
from toolkit.job import reconcile_inputs
from toolkit.read import shared
from toolkit.read.grid import Grid
from toolkit.read.inputs import Sheets, assemble, read_inputs

HEADER = ["Period", "Konto", "Ansvar", "Verksamhet", "Text", "Belopp"]
BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Periodisering"],
    ["Arvoden", None, None, 60000, "5011", None],
    ["Utveckling", None, None, 240000, "4*", "Höst"],
    ["Avgifter", None, "Intäkt", 120000, "3010", None],
]


def export_rows(years=(2025,), ansvar=("42010", "42020", "43010")) -> list[list[str]]:
    """Three cost centres' rows (two of them the unit's 42*), months 1–8, öre that
    do not round away; the other unit (43*) books a konto too that no budget line has (6110)."""
    rows = []
    for year in years:
        for m in range(1, 9):
            for a in ansvar:
                for i, konto in enumerate(["5011", "4010", "3010"] + (["6110"] if a.startswith("43") else [])):
                    ore = (m * 1000 + int(a) % 1000 * 7 + i * 13) * (-1 if konto == "3010" else 1) * 101
                    rows.append([f"{year}{m:02d}", konto, a, "1" if i % 2 else "2", "rad", _kr(ore)])
    return rows


def _kr(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100},{abs(ore) % 100:02d}"


def csv_text(rows: list[list[str]]) -> str:
    return "".join(";".join(r) + "\r\n" for r in [HEADER, *rows])


def workbook(folder: Path, name: str, urval: list[list[object]], *, files: str = "region.csv",
             extra: list[list[object]] = ()) -> Path:
    return write_workbook(folder / name, {"Inställningar": [*SETTINGS, ["Utfallsfil", files], *urval, *extra],
                                          "Budget": BUDGET, "Periodisering": KEYS})


def reconciled(path: Path):
    return reconcile_inputs(read_inputs(path, notes=False))


def figures(report) -> tuple:
    """Everything a unit's figures are: every line's, the total, the tie-out's sums and counts, last year's."""
    tie = report.tieout
    leaves = [(n.path, n.figures, n.ledger_sum, n.ledger_rows) for n in report.leaves()]
    prior = None if report.last_year is None else dataclasses.replace(report.last_year, source="", outside=None)
    unbudgeted = [(item.codes, item.rows, item.amount) for item in tie.unbudgeted]  # not where its example is
    return (leaves, report.total, report.unbudgeted, report.period, tie.rows_read, tie.rows_in_period,
            tie.sum_in_period, tie.sum_lines, tie.sum_unbudgeted, unbudgeted, tie.left_out, prior)


def listed(report) -> tuple:
    """Transaktioner's rows, but where they stand in their file (the rows are other lines of another file)."""
    t = report.transactions
    return (t.headings, [c.values() for c in t.codes], t.period.tolist(), t.amount.tolist(), t.line.tolist(), t.paths)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_the_units_figures_are_those_of_an_export_of_its_rows_only(tmp_path):
    rows = export_rows()
    (tmp_path / "region.csv").write_text(csv_text(rows), encoding="cp1252")
    (tmp_path / "own.csv").write_text(csv_text([r for r in rows if r[2].startswith("42")]), encoding="cp1252")
    with_urval = reconciled(workbook(tmp_path, "U.xlsx", [["Urval Ansvar", "42*"]],
                                     extra=[["Transaktioner", "ja"]]))
    own = reconciled(workbook(tmp_path, "O.xlsx", [], files="own.csv", extra=[["Transaktioner", "ja"]]))
    every = reconciled(workbook(tmp_path, "A.xlsx", []))
    assert figures(with_urval) == figures(own)
    assert listed(with_urval) == listed(own)  # Transaktioner: the unit's rows only
    assert len(with_urval.transactions) == sum(1 for r in rows if r[2].startswith("42") and r[0] <= "202508")
    assert [f.slug for f in with_urval.findings] == [f.slug for f in own.findings]
    assert "ej-budgeterat" not in [f.slug for f in with_urval.findings]
    # without the Urval the other unit's rows are Ej budgeterat: more utfall, and a warning
    assert figures(every) != figures(own) and "ej-budgeterat" in [f.slug for f in every.findings]
    assert with_urval.tieout.outside.rows == sum(1 for r in rows if not r[2].startswith("42"))


def test_two_urval_rows_both_hold_and_a_blank_one_is_no_condition(tmp_path):
    rows = export_rows()
    (tmp_path / "region.csv").write_text(csv_text(rows), encoding="cp1252")
    mine = [r for r in rows if r[2].startswith("42") and r[3] == "1"]
    (tmp_path / "own.csv").write_text(csv_text(mine), encoding="cp1252")
    both = reconciled(workbook(tmp_path, "U.xlsx", [["Urval Ansvar", "42010-42999"], ["urval  verksamhet", 1],
                                                    ["Urval Konto", None]]))
    own = reconciled(workbook(tmp_path, "O.xlsx", [], files="own.csv"))
    assert figures(both) == figures(own)
    assert both.tieout.outside.rows == len(rows) - len(mine)


def test_last_years_rows_are_the_units_too(tmp_path):
    """The export's rows of År − 1 (shown as Fjolår) and a Fjolårsfil are filtered alike."""
    rows = export_rows(years=(2024, 2025))
    (tmp_path / "region.csv").write_text(csv_text(rows), encoding="cp1252")
    (tmp_path / "own.csv").write_text(csv_text([r for r in rows if r[2].startswith("42")]), encoding="cp1252")
    in_ledger = reconciled(workbook(tmp_path, "U.xlsx", [["Urval Ansvar", "42*"]]))
    own = reconciled(workbook(tmp_path, "O.xlsx", [], files="own.csv"))
    assert in_ledger.last_year is not None and not in_ledger.last_year.from_file
    assert figures(in_ledger) == figures(own)
    assert in_ledger.total.last_year != 0

    this = [r for r in rows if r[0].startswith("2025")]
    last = [r for r in rows if r[0].startswith("2024")]
    (tmp_path / "this.csv").write_text(csv_text(this), encoding="cp1252")
    (tmp_path / "last.csv").write_text(csv_text(last), encoding="cp1252")
    (tmp_path / "own-this.csv").write_text(csv_text([r for r in this if r[2].startswith("42")]), encoding="cp1252")
    (tmp_path / "own-last.csv").write_text(csv_text([r for r in last if r[2].startswith("42")]), encoding="cp1252")
    from_file = reconciled(workbook(tmp_path, "F.xlsx", [["Urval Ansvar", "42*"]], files="this.csv",
                                    extra=[["Fjolårsfil", "last.csv"]]))
    own_file = reconciled(workbook(tmp_path, "P.xlsx", [], files="own-this.csv", extra=[["Fjolårsfil", "own-last.csv"]]))
    assert from_file.last_year.from_file
    assert figures(from_file) == figures(own_file)
    assert from_file.total.last_year == own.total.last_year  # the same rows of 2024, from a file of their own
    assert from_file.last_year.outside.rows == sum(1 for r in last if not r[2].startswith("42"))


def test_rows_of_other_units_in_two_files_are_no_duplicates_of_the_units(tmp_path):
    """dubbla-rader compares the unit's rows only: another unit's month in both files is not this unit's problem."""
    rows = export_rows()
    first = [r for r in rows if r[0] <= "202504"]
    second = [r for r in rows if r[0] > "202504"] + [r for r in first if r[0] == "202504" and r[2] == "43010"]
    (tmp_path / "a.csv").write_text(csv_text(first), encoding="cp1252")
    (tmp_path / "b.csv").write_text(csv_text(second), encoding="cp1252")
    every = reconciled(workbook(tmp_path, "A.xlsx", [], files="a.csv; b.csv"))
    assert "dubbla-rader" in [f.slug for f in every.findings]
    mine = reconciled(workbook(tmp_path, "U.xlsx", [["Urval Ansvar", "42*"]], files="a.csv; b.csv"))
    assert "dubbla-rader" not in [f.slug for f in mine.findings]
    assert mine.tieout.outside.rows == sum(1 for r in first + second if r[2] == "43010")


def rows_of(ws) -> dict[str, tuple]:
    return {row[0]: row for row in ws.iter_rows(values_only=True) if isinstance(row[0], str)}


def test_avstamning_ties_the_export_as_read_to_the_units_rows(tmp_path):
    rows = export_rows(years=(2024, 2025))
    rows += [["202511", "5011", "42010", "1", "sen", "12,34"], ["202512", "5011", "43010", "1", "sen", "99,99"]]
    (tmp_path / "region.csv").write_text(csv_text(rows), encoding="cp1252")
    path = workbook(tmp_path, "U.xlsx", [["Urval Ansvar", "42*"]])
    result = run(path)
    assert result.exit_code == 0, result.output
    values = rows_of(openpyxl.load_workbook(path, data_only=True)["Avstämning"])
    formulas = openpyxl.load_workbook(path)["Avstämning"]

    def kr(selected) -> float:
        return float(sum(Decimal(r[5].replace(",", ".")) for r in selected))

    theirs = [r for r in rows if not r[2].startswith("42")]
    mine = [r for r in rows if r[2].startswith("42")]
    in_period = [r for r in mine if r[0].startswith("2025") and r[0] <= "202508"]
    assert values["Urval (Inställningar!B6)"][:3] == ("Urval (Inställningar!B6)", "Σ huvudbok", "Antal rader")
    assert values["Huvudboken som den lästes"][1:3] == (pytest.approx(kr(rows), abs=1e-6), len(rows))
    assert values["Utanför urvalet (Ansvar 42*)"][1:3] == (pytest.approx(kr(theirs), abs=1e-6), len(theirs))
    assert values["Enhetens rader"][1:3] == (pytest.approx(kr(mine), abs=1e-6), len(mine))
    assert values["varav utanför perioden"][1:3] == (pytest.approx(kr(mine) - kr(in_period), abs=1e-6),
                                                     len(mine) - len(in_period))
    assert values["varav i perioden"][1:3] == (pytest.approx(kr(in_period), abs=1e-6), len(in_period))
    assert values["Σ huvudbok i perioden"][1] == pytest.approx(kr(in_period), abs=1e-6)
    assert values["Differens (ska vara 0,00)"][1] == 0
    assert values["Rader lästa"][1] == len(rows)
    assert values["Rader utanför urvalet (Ansvar 42*)"][1] == len(theirs)
    assert values["Rader i perioden"][1] + values["Rader utanför perioden"][1] == len(mine)
    # each step a formula over the rows above it, exact in öre
    at = {ws_row[0].value: ws_row[0].row for ws_row in formulas.iter_rows() if isinstance(ws_row[0].value, str)}
    read, out, unit, later = (at[k] for k in ("Huvudboken som den lästes", "Utanför urvalet (Ansvar 42*)",
                                               "Enhetens rader", "varav utanför perioden"))
    assert formulas.cell(unit, 2).value == f"=ROUND(B{read}-B{out},2)"
    assert formulas.cell(unit, 3).value == f"=C{read}-C{out}"
    assert formulas.cell(at["varav i perioden"], 2).value == f"=ROUND(B{unit}-B{later},2)"
    assert "ej-budgeterat" not in {ws_row[0] for ws_row in values.values()}


def test_without_an_urval_avstamning_is_as_before(tmp_path):
    """A blank Urval row is no condition: Avstämning holds what it holds without the row, cell for cell."""
    (tmp_path / "region.csv").write_text(csv_text(export_rows()), encoding="cp1252")
    blank = workbook(tmp_path, "B.xlsx", [["Urval Ansvar", None]])
    none = workbook(tmp_path, "N.xlsx", [])
    assert run(blank).exit_code == run(none).exit_code == 0
    sheets = [[[c.value for c in r] for r in openpyxl.load_workbook(p)["Avstämning"].iter_rows()]
              for p in (blank, none)]
    assert sheets[0] == sheets[1]
    assert not any(isinstance(r[0], str) and "urval" in r[0].lower() for r in sheets[0])


@pytest.mark.parametrize(("urval", "line"), [
    ([["Urval Verksamhet", "1"], ["Urval Objekt", "7*"]],
     "U.xlsx: Inställningar!B7: huvudboken (region.csv) har ingen kolumn Objekt (Urval Objekt); kolumnerna är "
     "Konto, Ansvar, Verksamhet, Period, Belopp, Text"),
    ([["Urval Ansvar", "4*0"]],
     'U.xlsx: Inställningar!B6: "4*0" är inget mönster: * står bara sist i ett prefix (40*) eller ensam (*)'),
    ([["Urval Ansvar", "42*"], ["Urval ansvar", "43*"]],
     'U.xlsx: Inställningar!A7: inställningen "Urval ansvar" finns redan på Inställningar!A6; ta bort den ena raden'),
    ([["Urval", "42*"]],
     'U.xlsx: Inställningar!A6: "Urval": kolumnen saknas; skriv Urval och huvudbokens kolumn, t.ex. Urval Ansvar'),
    ([["Urval Belopp", "4*"]],
     'U.xlsx: Inställningar!A6: "Urval Belopp": Belopp är ingen kodkolumn; skriv Urval och huvudbokens kolumn, '
     't.ex. Urval Ansvar'),
])
def test_an_urval_that_cannot_be_applied_stops_naming_its_cell(tmp_path, monkeypatch, urval, line):
    (tmp_path / "region.csv").write_text(csv_text(export_rows()), encoding="cp1252")
    workbook(tmp_path, "U.xlsx", urval)
    before = files(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("U.xlsx")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", line + "\n")
    assert files(tmp_path) == before  # nothing written, no .bak


def test_an_urval_that_keeps_no_row_of_the_year_is_a_warning(tmp_path, monkeypatch):
    ansvar = ("41010", "43010", "43020", "44010", "45010", "46010", "47010")
    (tmp_path / "region.csv").write_text(csv_text(export_rows(ansvar=ansvar)), encoding="cp1252")
    workbook(tmp_path, "U.xlsx", [["Urval Ansvar", "42*"]])
    monkeypatch.chdir(tmp_path)
    report = reconciled(Path("U.xlsx"))
    assert len(export_rows(ansvar=ansvar)) == 184  # 8 months × (3 konton × 5 cost centres + 4 × the two 43*)
    found = [f for f in report.findings if f.slug == "urval-tomt"]
    assert [(f.where, f.message, f.severity) for f in found] == [(
        "Inställningar!B6",
        "urvalet Ansvar 42* matchar ingen av huvudbokens 184 rader för 2025 (Ansvar i huvudboken: 41010, 43010, "
        "43020, 44010, 45010, 46010, …); stämmer urvalet?", "varning")]
    assert report.total.actual == 0
    assert [f.slug for f in report.findings if f.is_warning] == ["urval-tomt"]  # no second warning for it
    result = run("U.xlsx", "--strict")
    assert result.exit_code == 1 and "urval-tomt" not in result.stderr and "urvalet Ansvar 42*" in result.stderr
    # the unit's rows of another year only: still none in År
    (tmp_path / "region.csv").write_text(csv_text(export_rows(years=(2025,), ansvar=("43010",))
                                                  + [["202412", "5011", "42010", "1", "", "5,00"]]),
                                         encoding="cp1252")
    assert "urval-tomt" in [f.slug for f in reconciled(Path("U.xlsx")).findings]


def test_a_folder_sharing_one_export_reads_it_once_and_gives_each_unit_its_rows(tmp_path, monkeypatch, reads):  # noqa: F811
    rows = export_rows()
    for place in ("alone", "together"):
        fm = tmp_path / place
        fm.mkdir()
        (fm / "region.csv").write_text(csv_text(rows), encoding="cp1252")
        workbook(fm, "A.xlsx", [["Urval Ansvar", "42*"]])
        workbook(fm, "B.xlsx", [["Urval Ansvar", "43010"]])
        workbook(fm, "C.xlsx", [])  # no Urval: every row, from the same read
    monkeypatch.chdir(tmp_path / "alone")
    alone = {name: run(name).stdout for name in ("A.xlsx", "B.xlsx", "C.xlsx")}
    assert len(reads()) == 3
    monkeypatch.chdir(tmp_path / "together")
    result = run(".", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert reads() == ["region.csv"]  # one read for the three
    assert len({line.split(": ", 1)[1] for line in alone.values()}) == 3  # each unit its own figures
    for name, rule in (("A.xlsx", lambda a: a.startswith("42")), ("B.xlsx", lambda a: a == "43010"),
                       ("C.xlsx", lambda a: True)):
        tie = rows_of(openpyxl.load_workbook(tmp_path / "together" / name, data_only=True)["Avstämning"])
        theirs = [r for r in rows if rule(r[2])]
        assert tie["Σ huvudbok i perioden"][1] == pytest.approx(
            float(sum(Decimal(r[5].replace(",", ".")) for r in theirs)), abs=1e-6)
        assert tie["Rader i perioden"][1] == len(theirs)
    assert sorted(result.stdout.splitlines()[:-1]) == sorted(line.rstrip("\n") for line in alone.values())
    for name in ("A.xlsx", "B.xlsx", "C.xlsx"):
        assert (tmp_path / "together" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()
    assert shared.cached() == 0


# -- the invariant: an Urval is the export pre-filtered ---------------------------------------------------------

CODES = ["41010", "41020", "42010", "42110", "4210", "43", "5", ""]


def _ledger_grid(rows: list[tuple[int, str, str, int]]) -> Grid:
    table = [["Period", "Konto", "Ansvar", "Belopp"]]
    table += [[202500 + m, konto, ansvar, _kr(ore)] for m, konto, ansvar, ore in rows]
    return Grid("Utfall", "t.xlsx", table)


def _run(rows, urval: Urval | None):
    budget = Grid("Budget", "t.xlsx", [list(r) for r in BUDGET])
    book = Sheets([budget, _ledger_grid(rows), Grid("Periodisering", "t.xlsx", [list(r) for r in KEYS])], "t.xlsx")
    return reconcile_inputs(assemble(Settings("T", 2025, 8, urval=urval), book, [book]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.integers(1, 12), st.sampled_from(["5011", "4010", "3010", "6110"]),
                               st.sampled_from(CODES), st.integers(-10**9, 10**9)), min_size=1, max_size=40),
       prefix=st.sampled_from(["4", "41", "42", "421", "43", "5", "9"]))
def test_an_urval_gives_the_figures_of_the_export_filtered_beforehand(rows, prefix):
    urval = Urval((condition("ansvar", "Ansvar", f"{prefix}*", "Inställningar!B9"),), "t.xlsx")
    mine = [r for r in rows if r[2].startswith(prefix)]  # no code ("") starts with a digit
    selected, filtered = _run(rows, urval), _run(mine, None)
    assert figures(selected) == figures(filtered)
    assert selected.tieout.outside.rows == len(rows) - len(mine)
    assert selected.tieout.outside.amount == sum(r[3] for r in rows) - sum(r[3] for r in mine)


def test_investment_projects_take_the_units_rows_only():
    budget = [["Rad", "Överordnad", "Typ", "Budget", "Konto", "Projekt", "Total budget"],
              ["Lokaler", None, "Kostnad", 120_000, "6*", None, None],
              ["Ny förskola", None, "Investering", 400_000, "12*", "P1", 1_000_000]]
    ledger = [["Period", "Konto", "Projekt", "Ansvar", "Belopp"],
              [202503, "6110", "", "42010", "10 000,00"], [202503, "6110", "", "43010", "7 000,00"],
              [202404, "1210", "P1", "42010", "300,50"], [202404, "1210", "P1", "43010", "900,00"],
              [202504, "1210", "P1", "42010", "120 000,25"], [202507, "1210", "P1", "43010", "80 000,00"],
              [202510, "1210", "P1", "42020", "5 000,00"]]
    urval = Urval((condition("ansvar", "Ansvar", "42*", "Inställningar!B9"),), "t.xlsx")

    def run_on(rows, selection):
        book = Sheets([Grid("Budget", "t.xlsx", budget), Grid("Utfall", "t.xlsx", rows)], "t.xlsx")
        return reconcile_inputs(assemble(Settings("T", 2025, 8, urval=selection), book, [book]))

    selected = run_on(ledger, urval)
    filtered = run_on([ledger[0], *(r for r in ledger[1:] if r[3].startswith("42"))], None)
    assert selected.investments == filtered.investments
    assert figures(selected) == figures(filtered)
    project, = selected.investments
    assert (project.actual, project.rows, project.prior) == (12_000_025, 1, 30_050)
    assert selected.tieout.sum_investments == 12_000_025 and selected.tieout.difference == 0


@pytest.mark.parametrize("aggregated", [False, True])
def test_an_urval_of_a_column_of_the_exports_own_also_when_read_in_batches(tmp_path, monkeypatch, aggregated):
    """A column no budget maps by (Kommun) is read for the Urval; an export read in batches and kept as sums
    per codes and month (read.stream) gives the unit the same figures."""
    from toolkit.read import stream

    monkeypatch.setattr(stream, "AGGREGATE_BYTES", 0 if aggregated else 1 << 60)
    rows = export_rows()
    town = {"42010": "Halmstad", "42020": "Halmstad", "43010": "Hylte"}

    def text(selected) -> str:
        return "".join(";".join(r) + "\r\n" for r in [[*HEADER, "Kommun"], *(r + [town[r[2]]] for r in selected)])

    (tmp_path / "region.csv").write_text(text(rows), encoding="cp1252")
    (tmp_path / "own.csv").write_text(text([r for r in rows if town[r[2]] == "Halmstad"]), encoding="cp1252")
    mine = reconciled(workbook(tmp_path, "U.xlsx", [["Urval Kommun", "Halmstad"]]))
    own = reconciled(workbook(tmp_path, "O.xlsx", [], files="own.csv"))
    assert figures(mine) == figures(own)
    assert "kommun" in mine.tieout.dimensions
    assert (mine.tieout.outside.rows, mine.tieout.outside.text) == (sum(town[r[2]] == "Hylte" for r in rows),
                                                                     "Kommun Halmstad")


def test_next_years_workbook_keeps_the_urval(tmp_path):
    """reconcile init NEXT --fran THIS: the Urval rows come along (else next year's unit would take every row)."""
    (tmp_path / "region.csv").write_text(csv_text(export_rows()), encoding="cp1252")
    this = workbook(tmp_path, "U.xlsx", [["Urval Ansvar", "42*"], ["Urval Verksamhet", "1, 2"]])
    target = tmp_path / "U2026.xlsx"
    result = run("init", target, "--fran", this)
    assert result.exit_code == 0, result.output
    rows = {r[0]: r[1] for r in openpyxl.load_workbook(target)["Inställningar"].iter_rows(values_only=True)}
    assert (rows["Urval Ansvar"], rows["Urval Verksamhet"], rows["År"]) == ("42*", "1, 2", 2026)
    assert rows["Utfallsfil"] == "region.csv"


def test_the_closing_period_is_the_units_latest_month():
    """Period blank: the latest month with the unit's rows, not another unit's later export."""
    rows = [(m, "5011", "42010", 1000 + m) for m in range(1, 7)] + [(m, "5011", "43010", 50) for m in range(1, 10)]
    urval = Urval((condition("ansvar", "Ansvar", "42*", "Inställningar!B9"),), "t.xlsx")
    budget = Grid("Budget", "t.xlsx", [["Rad", "Budget", "Konto"], ["Arvoden", 12_000, "5011"]])

    def period(selection, year=2025):
        book = Sheets([budget, _ledger_grid(rows)], "t.xlsx")
        return reconcile_inputs(assemble(Settings("T", year, None, urval=selection), book, [book])).period

    assert (period(urval), period(None)) == (6, 9)
    rows = [r for r in rows if r[2] == "43010"]  # none of the unit's rows, and no År to fall back on
    with pytest.raises(InputError) as stop:
        period(urval, year=None)
    assert (stop.value.message, stop.value.slug) == (
        "urvalet Ansvar 42* (Inställningar!B9) matchar ingen av huvudbokens rader och året är okänt; ange År på "
        "bladet Inställningar eller rätta urvalet", "ar-okant")
