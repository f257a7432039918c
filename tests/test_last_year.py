"""Last year (fjolår): the rows of År − 1 in the ledger, or a ledger of its own
(--fjolar, Fjolårsfil), give the Fjolår column and the key Fjolårsprofil; the
lines that cannot take their profile fall back to Linjär, named once each;
Avstämning accounts for every row of last year to the öre."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from builders import grid, node, slugs
from click.testing import CliRunner
from examples import example
from test_sie import halmstad_ledger, sie4
from workbook_factory import BUDGET, KEYS, LEDGER, SETTINGS, write_workbook

from toolkit import api
from toolkit.cli import main
from toolkit.engine.last_year import LAST_YEAR_REASON, profile
from toolkit.engine.model import Settings
from toolkit.engine.periodisation import share
from toolkit.engine.shown import summary_table
from toolkit.errors import InputError
from toolkit.job import reconcile_inputs
from toolkit.read.inputs import Sheets, assemble
from toolkit.render.summary import headings

BUDGET_HEADER = ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Periodisering"]
LEDGER_HEADER = ["Period", "Konto", "Belopp"]


def rows(account: str, months: dict[int, float], year: int = 2024) -> list[list]:
    return [[year * 100 + m, account, amount] for m, amount in months.items()]


def reconciled(budget: list[list], ledger: list[list], *, last_year: list[list] | None = None, period: int = 8):
    """Budget and Utfall (and a last year's Utfall of its own, file "fjol.xlsx") read and reconciled as a run does."""
    book = Sheets([grid("Budget", budget), grid("Utfall", ledger)], "test.xlsx")
    prior = [Sheets([grid("Utfall", last_year, file="fjol.xlsx")], "fjol.xlsx")] if last_year is not None else ()
    return reconcile_inputs(assemble(Settings("Test", 2025, period), book, [book], last_year=prior))


def messages(report, slug: str) -> list[str]:
    return [f.message for f in report.findings if f.slug == slug]


# --- the rows of last year in the ledger --------------------------------------------------------------------------

BUDGET_ROWS = [
    BUDGET_HEADER,
    ["Resor", None, None, 120000, "7010", "Fjolårsprofil"],
    ["Avgifter", None, "Intäkt", 60000, "3010", "fjolarsprofil"],
    ["Lokaler", None, None, 240000, "6110", None],
]
RESOR_2024 = {1: 1000, 3: 3000, 4: 2000, 6: 500.5, 9: 4000, 12: 1500}  # Σ 12 000,50; jan–aug 6 500,50
AVGIFTER_2024 = {2: -2000, 7: -1000, 11: -3000}  # income: 6 000 in the line's sign; jan–aug 3 000
LEDGER_ROWS = [LEDGER_HEADER, *rows("7010", RESOR_2024), *rows("3010", AVGIFTER_2024), [202405, "6110", 7000],
               [202402, "8420", 150.25],  # last year's Ej budgeterat; this year has none
               [202503, "7010", 2500], [202508, "3010", -2000], [202506, "6110", 20000], [202509, "6110", 999]]


def test_fjolarsprofil_weights_are_the_lines_own_months_of_last_year_exactly():
    report = reconciled(BUDGET_ROWS, LEDGER_ROWS)
    resor, avgifter = node(report, "Resor"), node(report, "Avgifter")
    assert resor.key.weights == tuple(Decimal(str(RESOR_2024.get(m, 0))).quantize(Decimal("0.01"))
                                      for m in range(1, 13))
    assert share(resor.key.weights, 8) == Fraction(650050, 1200050)
    assert resor.figures.phased == 12_000_000 * Fraction(650050, 1200050)  # öre
    # an income line's profile in its own sign: income positive
    assert avgifter.key.weights == (0, 2000, 0, 0, 0, 0, 1000, 0, 0, 0, 3000, 0)
    assert share(avgifter.key.weights, 8) == Fraction(1, 2)
    assert avgifter.figures.phased == 3_000_000
    assert node(report, "Lokaler").key.name == "Linjär"
    assert "fjolarsprofil-linjar" not in slugs(report)


def test_the_fjolar_column_is_last_years_utfall_for_the_same_months_in_the_lines_sign():
    report = reconciled(BUDGET_ROWS, LEDGER_ROWS)
    assert node(report, "Resor").figures.last_year == 650050  # öre: Jan + Mar + Apr + Jun
    assert node(report, "Avgifter").figures.last_year == 300000  # Feb + Jul, income positive
    assert node(report, "Lokaler").figures.last_year == 700000
    assert report.unbudgeted.actual == 0 and report.unbudgeted.last_year == 15025  # a row for last year's alone
    assert report.total.last_year == 650050 + 700000 + 15025 - 300000  # net cost
    assert [name for name, _ in report.assignments] == ["Resor", "Avgifter", "Lokaler"]  # no Ej budgeterat area
    table = summary_table(report)
    shown = {row.label: row.figures.last_year for row in table.rows if row.figures is not None}
    assert shown == {"Resor": Fraction(650050, 100_000), "Avgifter": Fraction(300000, 100_000),
                     "Lokaler": Fraction(7), "Ej budgeterat": Fraction(15025, 100_000),
                     "Summa intäkter": Fraction(3), "Summa kostnader": Fraction(1365075, 100_000),
                     "Totalt": Fraction(1065075, 100_000), "Resultat": Fraction(-1065075, 100_000)}
    assert headings(report)["fjolar"] == "Fjolår\njan–aug 2024"


def test_last_years_rows_are_accounted_for_on_avstamning_to_the_ore():
    report = reconciled(BUDGET_ROWS, LEDGER_ROWS)
    prior = report.last_year
    assert (prior.year, prior.source, prior.from_file) == (2024, "Utfall", False)
    assert (prior.rows, prior.amount) == (11, 1200050 - 600000 + 700000 + 15025)
    assert (prior.rows_in_period, prior.sum_in_period) == (8, 650050 - 300000 + 700000 + 15025)
    assert (prior.sum_lines, prior.sum_unbudgeted, prior.difference) == (650050 - 300000 + 700000, 15025, 0)
    assert [(line.path, line.rows, line.sum_in_period, line.sum_year) for line in prior.lines] == [
        ("Resor", 4, 650050, 1200050), ("Avgifter", 2, -300000, -600000), ("Lokaler", 1, 700000, 700000),
        ("Ej budgeterat", 1, 15025, 15025)]
    left = {(item.reason, item.period) for item in report.tieout.left_out}
    assert left == {(LAST_YEAR_REASON, p) for p in (202401, 202402, 202403, 202404, 202405, 202406, 202407, 202409,
                                                       202411, 202412)} | {("efter bokslutsperioden", 202509)}
    assert messages(report, "fjolar") == ["huvudbokens 11 rader för 2024 (13 150,75 kr) är fjolårets utfall: de ingår "
                                          "inte i årets siffror utan visas som Fjolår (se Fjolår nedan)"]
    assert messages(report, "utanfor-perioden") == ["1 rader i period 2025-09 (999,00 kr) är efter "
                                                    "bokslutsperioden och ingår inte"]
    assert not report.warnings


# --- Fjolårsprofil's fallback to Linjär -----------------------------------------------------------------------------

WHOLE_YEAR = rows("6110", {1: 500, 12: 500})  # the ledger's last year reaches from January to December


@pytest.mark.parametrize(("months", "why"), [
    ({}, "raden har inga huvudboksrader 2024"),
    ({3: 500, 5: -500}, "radens utfall 2024 är 0,00 kr"),
    ({3: -800, 5: 300}, "radens utfall 2024 är negativt i radens tecken (-500,00 kr, mer intäkter än kostnader)"),
    ({3: 1000, 5: -200, 10: -100}, "radens utfall är negativt i radens tecken i maj och oktober 2024 (-300,00 kr), "
                                   "och en nyckel kan inte ha negativa vikter"),
])
def test_a_line_without_a_usable_last_year_is_periodised_linearly_and_named(months, why):
    budget = [BUDGET_HEADER, ["Resor", None, None, 120000, "7010", "Fjolårsprofil"],
              ["Lokaler", None, None, 240000, "6110", None]]
    report = reconciled(budget, [LEDGER_HEADER, *WHOLE_YEAR, *rows("7010", months), [202503, "7010", 2500]])
    resor = node(report, "Resor")
    assert resor.key.name == "Linjär"
    assert resor.figures.phased == 12_000_000 * Fraction(8, 12)
    assert [(f.where, f.message, f.severity) for f in report.findings if f.slug == "fjolarsprofil-linjar"] == [
        ("Budget!F2", f"\"Resor\" periodiseras med Linjär i stället för Fjolårsprofil: {why}", "info")]
    assert resor.figures.last_year == sum(Fraction(round(a * 100)) for m, a in months.items() if m <= 8)


def test_profile_gives_weights_or_the_reason_there_are_none():
    assert profile([100, 0, 300] + [0] * 9, income=False) == (Decimal("1.00"), 0, Decimal("3.00"), *[0] * 9)
    assert profile([-100, 0, -300] + [0] * 9, income=True) == (Decimal("1.00"), 0, Decimal("3.00"), *[0] * 9)
    assert profile([0] * 12, income=False) == "tom"
    assert profile([100, -100] + [0] * 10, income=False) == "noll"
    assert profile([100, -300] + [0] * 10, income=False) == "negativ"
    assert profile([300, -100] + [0] * 10, income=False) == "negativa-månader"
    assert profile([300, -100] + [0] * 10, income=True) == "negativ"


def test_a_heading_with_fjolarsprofil_gives_each_line_its_own_profile_and_names_each_line_once():
    budget = [BUDGET_HEADER, ["Resor", None, None, None, None, "Fjolårsprofil"],
              ["Tåg", "Resor", None, 50000, "7010", None], ["Flyg", "Resor", None, 30000, "7020", None],
              ["Hotell", "Resor", None, 20000, "7030", None], ["Lokaler", None, None, 240000, "6110", None]]
    ledger = [LEDGER_HEADER, *WHOLE_YEAR, *rows("7010", {2: 100, 9: 300}), [202503, "7020", 10]]
    report = reconciled(budget, ledger)
    assert node(report, "Tåg").key.weights == (0, Decimal("100.00"), *[0] * 6, Decimal("300.00"), 0, 0, 0)
    assert [f.message for f in report.findings if f.slug == "fjolarsprofil-linjar"] == [
        "\"Flyg\" periodiseras med Linjär i stället för Fjolårsprofil: raden har inga huvudboksrader 2024",
        "\"Hotell\" periodiseras med Linjär i stället för Fjolårsprofil: raden har inga huvudboksrader 2024"]
    assert [f.where for f in report.findings if f.slug == "fjolarsprofil-linjar"] == ["Budget!A4", "Budget!A5"]


def test_without_any_last_year_fjolarsprofil_is_linear_and_there_is_no_fjolar_column():
    budget = [BUDGET_HEADER, ["Resor", None, None, 120000, "7010", "Fjolårsprofil"]]
    report = reconciled(budget, [LEDGER_HEADER, [202503, "7010", 2500]])
    assert report.last_year is None
    assert "fjolar" not in headings(report)
    assert messages(report, "fjolarsprofil-linjar") == [
        "\"Resor\" periodiseras med Linjär i stället för Fjolårsprofil: det finns inget fjolår att ta profilen från "
        "(huvudboken har inga rader för 2024; ange fjolårets huvudbok med --fjolar eller Fjolårsfil)"]
    assert all(row.figures.last_year is None for row in summary_table(report).rows if row.figures is not None)


def test_a_few_rows_of_last_year_in_the_export_are_no_year_to_compare_with():
    """A rolling export, or a few late December rows: left out as before; noted only when a line wanted its profile."""
    late = [LEDGER_HEADER, [202412, "7010", 400], [202412, "6110", 300], [202508, "7010", 2500]]
    plain = [BUDGET_HEADER, ["Resor", None, None, 120000, "7010", None]]
    report = reconciled(plain, late)
    assert report.last_year is None
    assert [f.slug for f in report.findings] == ["utanfor-perioden"]
    assert {item.reason for item in report.tieout.left_out} == {"från ett annat år"}
    profiled = reconciled([BUDGET_HEADER, ["Resor", None, None, 120000, "7010", "Fjolårsprofil"]], late)
    assert profiled.last_year is None
    assert messages(profiled, "fjolar-ofullstandigt") == [
        "huvudbokens 2 rader för 2024 gäller bara december 2024, inte hela året, och används inte som fjolår; ange "
        "fjolårets huvudbok med --fjolar eller Fjolårsfil"]
    assert messages(profiled, "fjolarsprofil-linjar") == [
        "\"Resor\" periodiseras med Linjär i stället för Fjolårsprofil: det finns inget fjolår att ta profilen från "
        "(se fjolar-ofullstandigt)"]
    # January to the closing month is enough for the column, not for a profile
    spring = [LEDGER_HEADER, *rows("7010", {1: 100, 8: 200}), [202508, "7010", 2500]]
    assert reconciled(plain, spring).last_year is not None
    assert reconciled([BUDGET_HEADER, ["Resor", None, None, 120000, "7010", "Fjolårsprofil"]],
                      spring).last_year is None


# --- last year's ledger of its own ------------------------------------------------------------------------------

def test_a_last_year_ledger_of_its_own_wins_over_the_rows_in_the_export():
    own = [LEDGER_HEADER, *rows("7010", {1: 10, 3: 20, 12: 40}), [202503, "7010", 5]]  # a row of 2025: left out
    report = reconciled(BUDGET_ROWS, LEDGER_ROWS, last_year=own)
    prior = report.last_year
    assert (prior.source, prior.from_file, prior.rows, prior.other_rows, prior.other_amount) == \
        ("fjol.xlsx", True, 3, 1, 500)
    assert node(report, "Resor").figures.last_year == 3000
    assert node(report, "Resor").key.weights == (Decimal("10.00"), 0, Decimal("20.00"), *[0] * 8, Decimal("40.00"))
    assert node(report, "Lokaler").figures.last_year == 0
    assert messages(report, "fjolar-dubbelt") == [
        "huvudboken har också 11 rader för 2024 (13 150,75 kr); fjolåret togs från fjol.xlsx, och huvudbokens rader "
        "för året ingår inte"]
    assert {item.reason for item in report.tieout.left_out if item.period // 100 == 2024} == {"från ett annat år"}
    assert "fjolar" not in slugs(report)
    assert len(messages(report, "utanfor-perioden")) == 11  # 10 months of 2024, and 2025-09
    assert messages(report, "fjolarsprofil-linjar") == [  # Avgifter has no rows in the file
        "\"Avgifter\" periodiseras med Linjär i stället för Fjolårsprofil: raden har inga huvudboksrader 2024"]
    assert prior.difference == 0


def test_a_last_year_ledger_without_rows_of_last_year_stops():
    with pytest.raises(InputError) as caught:
        reconciled(BUDGET_ROWS, LEDGER_ROWS, last_year=[LEDGER_HEADER, [202503, "7010", 5]])
    assert str(caught.value) == "fjol.xlsx: fjolårets huvudbok har inga rader för 2024 (den har rader för 2025); ange " \
                                "huvudboken för 2024"
    assert caught.value.slug == "fjolar-saknar-aret"


def test_a_last_year_ledger_missing_months_is_used_with_a_warning():
    own = [LEDGER_HEADER, *rows("7010", {3: 10, 12: 40}), *rows("3010", {5: -10})]
    report = reconciled(BUDGET_ROWS, LEDGER_ROWS, last_year=own)
    assert [(f.slug, f.where, f.message) for f in report.warnings] == [
        ("fjolar-ofullstandigt", "fjol.xlsx", "fjolårets huvudbok (fjol.xlsx) har inga rader för januari och "
                                              "februari 2024; Fjolår och Fjolårsprofil saknar de månaderna — är det "
                                              "hela fjolårets huvudbok?")]
    assert node(report, "Resor").figures.last_year == 1000
    without_profile = reconciled([BUDGET_HEADER, ["Resor", None, None, 120000, "7010", None]],
                                 [LEDGER_HEADER, [202508, "7010", 2500]],
                                 last_year=[LEDGER_HEADER, *rows("7010", {1: 10, 8: 40})])
    assert not without_profile.warnings  # January to the closing month: all the column needs


# --- the command line, CSV and SIE, the setting, the written workbook --------------------------------------------

@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(example("Halmstad.xlsx"), tmp_path / "Halmstad.xlsx")
    return tmp_path / "Halmstad.xlsx"


def shifted() -> list[dict]:
    """Halmstad's ledger of 2025 as if it had been booked a year earlier."""
    return [{**row, "Period": int(row["Period"]) - 100} for row in halmstad_ledger() if int(row["Period"]) // 100 == 2025]


def csv_export(rows: list[dict]) -> bytes:
    columns = ["Period", "Konto", "Ansvar", "Verksamhet", "Aktivitet", "Projekt", "Motpart", "Text", "Belopp"]
    lines = [";".join(columns)]
    for row in rows:
        values = ["" if row.get(c) is None else str(row[c]) for c in columns]
        values[-1] = f"{Decimal(str(row['Belopp'])):.2f}".replace(".", ",")
        lines.append(";".join(values))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_a_csv_or_sie_last_year_gives_each_row_its_fjolar_to_the_ore(book):
    """Last year's ledger is this year's booked a year earlier: every row's Fjolår is its Utfall."""
    Path("fjol.csv").write_bytes(csv_export(shifted()))
    Path("fjol.se").write_bytes(sie4(shifted()).replace("#RAR 0 20250101 20251231", "#RAR 0 20240101 20241231")
                                .encode("cp437"))
    for file in ("fjol.csv", "fjol.se"):
        follow = api.load("Halmstad.xlsx", fjolar=file)
        assert [row.last_year for row in follow if row.actual is not None] == \
            [row.actual for row in follow if row.actual is not None], file
        assert follow.total.last_year == Decimal("748041.25")
        assert "fjolar-dubbelt" in [f.slug for f in follow.findings]  # Halmstad's own rows of December 2024
        assert not follow.warnings
    plain = api.load("Halmstad.xlsx")
    assert all(row.last_year is None for row in plain)


def test_the_option_on_the_command_line(book):
    Path("fjol.csv").write_bytes(csv_export(shifted()))
    runner = CliRunner()
    result = runner.invoke(main, ["Halmstad.xlsx", "--check", "--fjolar", "fjol.csv"], catch_exceptions=False)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "Halmstad.xlsx: jan–aug 2025 · utfall 748 tkr · avvikelse -18 tkr · prognos 1 323 tkr · kontroll, "
           "inget skrivet\n", "")
    out = json.loads(runner.invoke(main, ["Halmstad.xlsx", "--check", "--json", "--fjolar", "fjol.csv"]).stdout)
    assert [f["message"] for f in out["findings"] if f["slug"] == "fjolar-dubbelt"] == [
        "huvudboken har också 5 rader för 2024 (6 378,99 kr); fjolåret togs från fjol.csv, och huvudbokens rader "
        "för året ingår inte"]


@pytest.mark.parametrize(("args", "line"), [
    (["--fjolar", "saknas.csv"], "--fjolar saknas.csv: filen finns inte"),
    (["--fjolar", "fjol/*.csv"], "--fjolar fjol/*.csv: inga filer matchar mönstret"),
    (["--fjolar"], "--fjolar: värdet saknas (--fjolar FIL)"),
    (["--fjolar", "fjol"], 'fjol: är en mapp; ange filerna i den, t.ex. "fjol/*.csv"'),
])
def test_a_last_year_file_that_is_not_there_is_a_usage_error(book, args, line):
    Path("fjol").mkdir()
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["Halmstad.xlsx", *args])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[0] == line if args != ["--fjolar", "fjol"] else \
        result.stderr == f"--fjolar {line}\n"
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == ["Halmstad.xlsx", "fjol"]


def test_fjolar_with_a_folder_is_every_workbooks_last_year(book):
    """`reconcile MAPP --fjolar FIL`: each workbook of the folder as run alone with it."""
    Path("fjol.csv").write_bytes(csv_export(shifted()))
    Path("fm").mkdir()
    Path("ensam").mkdir()
    for place in ("fm", "ensam"):
        for name in ("Halmstad.xlsx", "Halmstad2.xlsx"):
            shutil.copy(book, Path(place) / name)
    runner = CliRunner()
    for name in ("Halmstad.xlsx", "Halmstad2.xlsx"):
        result = runner.invoke(main, [f"ensam/{name}", "--fjolar", "fjol.csv", "--no-backup"])
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["fm", "--fjolar", "fjol.csv", "--no-backup", "--jobs", "1"])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (0, "fm: 2 arbetsböcker · 2 skrivna")
    for name in ("Halmstad.xlsx", "Halmstad2.xlsx"):
        written = (Path("fm") / name).read_bytes()
        assert written == (Path("ensam") / name).read_bytes()
        assert written != book.read_bytes()
    sheet = openpyxl.load_workbook(Path("fm") / "Halmstad.xlsx")["Sammanställning"]
    assert any(str(cell).startswith("Fjolår\n") for row in sheet.iter_rows(max_row=10, values_only=True)
               for cell in row)


def test_the_setting_fjolarsfil_names_the_file_relative_to_the_workbook(tmp_path, monkeypatch):
    unit = tmp_path / "enhet"
    (unit / "exporter").mkdir(parents=True)
    (unit / "exporter" / "2024.csv").write_bytes(
        "Period;Konto;Belopp\r\n202401;5011;100,00\r\n202403;5011;200,50\r\n202412;5011;50,00\r\n".encode("cp1252"))
    path = write_workbook(unit / "Enhet.xlsx", {"Inställningar": SETTINGS + [["Fjolårsfil", "exporter/2024.csv"]],
                                                "Budget": BUDGET, "Utfall": LEDGER, "Periodisering": KEYS})
    monkeypatch.chdir(tmp_path)
    follow = api.load(path)
    assert follow.line("Arvoden").last_year == Decimal("300.50")
    assert follow.line("Arvoden").actual == Decimal("31200.00")
    missing = write_workbook(unit / "Fel.xlsx", {"Inställningar": SETTINGS + [["Fjolårsfil", "exporter/2023.csv"]],
                                                 "Budget": BUDGET, "Utfall": LEDGER})
    before = missing.read_bytes()
    result = CliRunner().invoke(main, [str(missing)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f'{missing}: Inställningar!B5: Fjolårsfil: filen "exporter/2023.csv" finns inte\n'
    assert missing.read_bytes() == before


def test_the_written_workbook_has_fjolar_beside_utfall(book):
    Path("fjol.csv").write_bytes(csv_export(shifted()))
    result = CliRunner().invoke(main, ["Halmstad.xlsx", "--fjolar", "fjol.csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(book)
    sheet = wb["Sammanställning"]
    header = [c.value for c in sheet[4]]
    assert header[:5] == ["Rad", "Budget 2025\ni tkr", "Utfall\njan–aug", "Fjolår\njan–aug 2024", "Utfall %"]
    figures = [(r[0].value, r[2].value, r[3].value) for r in sheet.iter_rows(min_row=5) if r[0].value]
    lines = [(label, actual, prior) for label, actual, prior in figures if isinstance(actual, (int, float))]
    assert lines and all(prior == actual for _, actual, prior in lines)
    values = openpyxl.load_workbook(book, data_only=True)["Sammanställning"]
    totals = {r[0].value: (r[2].value, r[3].value) for r in values.iter_rows(min_row=5) if r[0].value}
    assert totals["Totalt"][0] == totals["Totalt"][1] == pytest.approx(748.04125)
    total_row = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "Totalt")
    assert str(total_row[3].value).startswith("=D")  # a sum of the column, as Utfall's
    tie = [tuple(c.value for c in r[:4]) for r in wb["Avstämning"].iter_rows()]
    at = next(i for i, row in enumerate(tie) if row[0] == "Fjolår 2024")
    assert tie[at + 1][:2] == ("Källa", "fjol.csv (fjolårets huvudbok)")
    difference = next(row for row in tie[at:] if row[0] == "Differens (ska vara 0,00)")
    assert difference[1].startswith("=ROUND(")
    stored = openpyxl.load_workbook(book, data_only=True)["Avstämning"]
    diffs = [r[1].value for r in stored.iter_rows() if r[0].value == "Differens (ska vara 0,00)"]
    assert diffs == [0, 0]


def test_the_word_reports_table_has_fjolar_beside_utfall_as_the_sheet():
    from toolkit.render.section import result_table

    table = result_table(reconciled(BUDGET_ROWS, LEDGER_ROWS))
    assert table.header[:4] == ("Rad", "Budget 2025\ni tkr", "Utfall\njan–aug", "Fjolår\njan–aug 2024")
    assert all(len(row.cells) == table.columns for row in table.rows)
    assert {row.cells[0]: row.cells[3] for row in table.rows if row.cells[1]} == {
        "Resor": "7", "Avgifter": "3", "Lokaler": "7", "Ej budgeterat": "0", "Summa intäkter": "3",
        "Summa kostnader": "14", "Totalt": "11", "Resultat": "-11"}
    plain = result_table(reconciled([BUDGET_HEADER, ["Resor", None, None, 120000, "7010", None]],
                                    [LEDGER_HEADER, [202508, "7010", 2500]]))
    assert "Fjolår\njan–aug 2024" not in plain.header and all(len(r.cells) == plain.columns for r in plain.rows)


def test_the_report_command_takes_last_year_too(book):
    Path("fjol.csv").write_bytes(csv_export(shifted()))
    result = CliRunner().invoke(main, ["report", "Halmstad.xlsx", "--text", "-", "--fjolar", "fjol.csv"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if line.startswith("Rad\t"))
    assert header.split("\t")[:4] == ["Rad", "Budget 2025 i tkr", "Utfall jan–aug", "Fjolår jan–aug 2024"]
    total = next(line for line in result.stdout.splitlines() if line.startswith("Totalt\t")).split("\t")
    assert total[2] == total[3] == "748"
    refused = CliRunner().invoke(main, ["report", "Halmstad.xlsx", "--konsolidering", "F.xlsx", "--text", "-",
                                        "--fjolar", "fjol.csv"])
    assert (refused.exit_code, refused.stderr) == (2, "--fjolar kan inte användas med --konsolidering (varje enhet "
                                                      "har sina egna blad)\n")
