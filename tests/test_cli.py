"""The command line: exact messages and exit codes (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from examples import copy_example
from workbook_factory import BUDGET, KEYS, LEDGER, small_workbook, write_workbook
from written import SHEETS, WRITTEN

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return small_workbook(tmp_path / "Test.xlsx")


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_success_prints_one_line_and_writes_four_sheets(runner, book):
    result = run(runner, "Test.xlsx")
    assert result.exit_code == 0
    assert result.stdout == ("Test.xlsx: jan–aug 2025 · utfall 48 tkr · avvikelse +23 tkr · prognos 181 tkr · "
                             f"{WRITTEN}\n")
    names = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert names[-len(SHEETS):] == list(SHEETS)


def test_check_writes_nothing(runner, book):
    before = book.read_bytes()
    result = run(runner, "Test.xlsx", "--check")
    assert result.exit_code == 0
    assert result.stdout.endswith("· kontroll, inget skrivet\n")
    assert book.read_bytes() == before


def test_output_leaves_the_workbook_alone(runner, book, tmp_path):
    before = book.read_bytes()
    result = run(runner, "Test.xlsx", "--output", "Ut.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"{WRITTEN} till Ut.xlsx\n")
    assert book.read_bytes() == before
    assert "Avstämning" in openpyxl.load_workbook(tmp_path / "Ut.xlsx", read_only=True).sheetnames


def test_json(runner, book):
    result = run(runner, "Test.xlsx", "--json", "--check")
    data = json.loads(result.stdout)
    assert data["status"] == "checked"
    assert data["period"] == 8 and data["year"] == 2025
    assert data["totals_kr"]["actual"] == 47700.5
    assert data["tieout_kr"]["difference"] == 0
    assert {f["slug"] for f in data["findings"]} >= {"ej-budgeterat"}


def test_period_option_overrides(runner, book):
    result = run(runner, "Test.xlsx", "--period", "2025-03", "--check")
    assert result.exit_code == 0
    # Arvoden 15 − 31.2 = −16.2; Utveckling 240 × 3/13 − 0 = +55.4; Avgifter 0 − 30 = −30 → +9
    assert result.stdout.startswith("Test.xlsx: jan–mar 2025 · utfall 31 tkr · avvikelse +9 tkr ·")


def test_bad_amount_names_file_sheet_and_cell(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ledger = [row[:] for row in LEDGER]
    ledger[2][3] = "12,3,4"  # row 3 of the sheet, column D
    small_workbook(tmp_path / "Halmstad.xlsx", Utfall=ledger)
    before = (tmp_path / "Halmstad.xlsx").read_bytes()
    result = run(runner, "Halmstad.xlsx")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == 'Halmstad.xlsx: Utfall!D3: "12,3,4" är inte ett belopp\n'
    assert (tmp_path / "Halmstad.xlsx").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Halmstad.xlsx"]


def test_tie_is_an_error_naming_both_lines(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    budget = [row[:] for row in BUDGET] + [["Konferens", None, None, 5000, "4*", None, None]]
    small_workbook(tmp_path / "T.xlsx", Budget=budget)
    result = run(runner, "T.xlsx")
    assert result.exit_code == 1
    assert result.stderr == ('T.xlsx: raderna "Utveckling" (Budget!A3) och "Konferens" (Budget!A5) matchar samma '
                             'huvudboksrader lika specifikt, t.ex. Utfall!D3 (Konto 4010); gör det ena mönstret '
                             'snävare\n')


def test_missing_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "Saknas.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "Saknas.xlsx: filen finns inte\n"


def test_not_a_workbook(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Fel.xlsx").write_bytes(b"hej, det har ar ingen arbetsbok")
    result = run(runner, "Fel.xlsx")
    assert result.exit_code == 1
    assert result.stderr.startswith("Fel.xlsx: ")
    assert "Traceback" not in result.output


def test_missing_budget_sheet(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workbook(tmp_path / "B.xlsx", {"Utfall": LEDGER})
    result = run(runner, "B.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "B.xlsx: arbetsboken saknar bladet Budget\n"


def test_foreign_sheet_with_our_name_stops_the_run(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sheets = {"Budget": BUDGET, "Periodisering": KEYS, "Utfall": LEDGER, "Sammanställning": [["Min egen"]]}
    path = write_workbook(tmp_path / "F.xlsx", sheets)
    before = path.read_bytes()
    result = run(runner, "F.xlsx")
    assert result.exit_code == 1
    assert "Sammanställning" in result.stderr and "reconcile" in result.stderr
    assert path.read_bytes() == before


def test_unexpected_error_has_no_traceback_without_debug(runner, book, monkeypatch):
    import toolkit.render

    def boom(report):
        raise RuntimeError("trasig")

    monkeypatch.setattr(toolkit.render, "render", boom)
    before = book.read_bytes()
    result = run(runner, "Test.xlsx")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr == ("Test.xlsx: oväntat fel (RuntimeError: trasig); inget skrevs. "
                             "Kör med --debug för detaljer.\n")
    assert book.read_bytes() == before


def test_separate_budget_and_ledger_files(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workbook(tmp_path / "Budget.xlsx", {"Budget": BUDGET[:2]})
    (tmp_path / "huvudbok.csv").write_bytes("Period;Konto;Text;Belopp\n202508;5011;Arvode;31 200,00\n"
                                            .encode("cp1252"))
    copy_example("Halmstad.xlsx", tmp_path / "Mål.xlsx")
    result = run(runner, "Mål.xlsx", "--budget", "Budget.xlsx", "--utfall", "huvudbok.csv")
    assert result.exit_code == 0, result.output
    assert " · utfall 31 tkr · " in result.stdout


def test_csv_error_names_the_line(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    small_workbook(tmp_path / "T.xlsx")
    (tmp_path / "u.csv").write_text("Period;Konto;Belopp\n202508;5011;100\n202508;5011;1,2,3\n", encoding="utf-8")
    result = run(runner, "T.xlsx", "--utfall", "u.csv")
    assert result.exit_code == 1
    assert result.stderr == 'u.csv: rad 3 (Belopp): "1,2,3" är inte ett belopp\n'


def test_init_writes_a_template_that_runs(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "init", "Ny.xlsx", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Ny.xlsx: mall skapad · fyll i Budget och Utfall och kör reconcile Ny.xlsx\n"
    again = run(runner, "init", "Ny.xlsx")
    assert again.exit_code == 1
    assert again.stderr.startswith("Ny.xlsx: ")


def test_a_budget_without_ledger_rows_gives_every_table_for_the_plans_year(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = small_workbook(tmp_path / "Hylte.xlsx",
                          Inställningar=[["Inställning", "Värde"], ["Enhet", "Hylte"], ["År", 2026]],
                          Utfall=[["Period", "Konto", "Text", "Belopp"]])
    result = run(runner, "Hylte.xlsx")
    assert result.stdout == ("Hylte.xlsx: 2026, inget utfall ännu · utfall 0 tkr · avvikelse 0 tkr · "
                             f"prognos 180 tkr · {WRITTEN}\n")
    book = openpyxl.load_workbook(path, data_only=True)
    summary = list(book["Sammanställning"].iter_rows(values_only=True))
    assert summary[0][0] == "Hylte — Ekonomiskt resultat 2026 (inget utfall ännu)"
    header = summary[3]
    assert header[1] == "Budget 2026\ni tkr" and header[2] == "Utfall\n2026, 0 mån"
    totalt = next(r for r in summary if r[0] == "Totalt")
    assert totalt[1:4] == (180, 0, 0)
    result_rows = {r[0]: r for r in book["Resultaträkning"].iter_rows(values_only=True) if r[0]}
    assert result_rows["Ackumulerad budgetavvikelse"][1:4] == (0, 0, 0)
    assert result_rows["Prognos budgetavvikelse"][1:4] == (-180, -180, 0)


@pytest.mark.parametrize("owner", ["~$Test.xlsx", ".~lock.Test.xlsx#"])
def test_a_workbook_open_in_excel_or_libreoffice_is_not_written(runner, book, owner):
    (book.parent / owner).write_bytes(b"owner")
    before = book.read_bytes()
    result = run(runner, "Test.xlsx")
    assert result.exit_code == 3
    program = "Excel" if owner.startswith("~$") else "LibreOffice"
    assert result.stderr == f"Test.xlsx: arbetsboken är öppen i {program} ({owner}); stäng den och kör igen — inget skrevs\n"
    assert book.read_bytes() == before


def test_a_settings_sheet_of_the_users_own_is_not_read_as_settings(runner, tmp_path, monkeypatch):
    """A workbook may have a "Settings" sheet of its own (the English alias): without the
    Inställning/Värde header it is left alone and noted, not an error."""
    monkeypatch.chdir(tmp_path)
    write_workbook(tmp_path / "Test.xlsx", {"Settings": [["Projekt", "Start"], ["Gantt", 45000]],
                                            "Budget": BUDGET, "Periodisering": KEYS, "Utfall": LEDGER})
    result = run(runner, "Test.xlsx", "--json", "--check", "--period", "8")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert {"slug": "ej-installningar", "severity": "info", "where": "Test.xlsx",
            "message": "bladet Settings har inte kolumnerna Inställning och Värde och lästes inte som "
                       "inställningar"} in findings


def test_an_installningar_sheet_without_its_header_says_what_to_do(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    small_workbook(tmp_path / "Test.xlsx", Inställningar=[["Enhet", "Testnämnd"]])
    result = run(runner, "Test.xlsx")
    assert result.exit_code == 1
    assert result.stderr == ("Test.xlsx: Inställningar: hittar ingen rubrikrad för inställningar (kolumnerna "
                             "Inställning, Värde) på de första 10 raderna; skriv rubrikerna ovanför tabellen och "
                             "kör igen\n")


def test_a_refresh_that_changes_nothing_says_so(runner, book):
    """The nightly log should not claim a write that did not happen."""
    first = run(runner, "Test.xlsx")
    before = book.stat().st_mtime_ns
    again = run(runner, "Test.xlsx")
    assert again.exit_code == 0
    assert again.stdout == first.stdout.replace(WRITTEN, "bladen var redan aktuella, inget skrevs")
    assert book.stat().st_mtime_ns == before
    as_json = json.loads(run(runner, "Test.xlsx", "--json").stdout)
    assert as_json["status"] == "unchanged" and as_json["written"] == "Test.xlsx"
