"""The command line speaks Swedish: every usage error is one Swedish line on
stderr, exit 2, nothing written; the help is Swedish throughout; a file that is
not a workbook says what to do with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from workbook_factory import small_workbook

from toolkit.cli import main

ENGLISH = re.compile(r"\b(Usage|Error|Try|Options|Commands|Show|Missing|Invalid|No such|default|required|"
                     r"INTEGER|TEXT|FLOAT|PATH|FILENAME|DIRECTORY)\b|x>=")


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    small_workbook(tmp_path / "Test.xlsx")
    (tmp_path / "exporter").mkdir()
    for month in ("01", "02", "03"):
        (tmp_path / "exporter" / f"2025-{month}.csv").write_text("Period;Konto;Belopp\n", encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="reconcile", catch_exceptions=False)


USAGE_ERRORS = [
    # an unknown option, with a suggestion when one is close
    (["Test.xlsx", "--outptu", "Ut.xlsx"], "--outptu: okänd flagga — menade du --output?"),
    (["Test.xlsx", "--zz"], "--zz: okänd flagga (se reconcile run --help)"),
    (["Test.xlsx", "-x"], "-x: okänd flagga (se reconcile run --help)"),
    (["init", "Ny.xlsx", "--yaer", "2026"], "--yaer: okänd flagga — menade du --year?"),
    (["consolidate", "Test.xlsx", "--output", "F.xlsx", "--zz"],
     "--zz: okänd flagga (se reconcile consolidate --help)"),
    # bad values
    (["Test.xlsx", "--jobs", "x"], "--jobs x: ange ett heltal, minst 1"),
    (["Test.xlsx", "-j", "0"], "--jobs 0: ange ett heltal, minst 1"),
    (["Test.xlsx", "--keep-backups", "0"], "--keep-backups 0: ange ett heltal, minst 1"),
    (["Test.xlsx", "--keep-backups", "2.5"], "--keep-backups 2.5: ange ett heltal, minst 1"),
    (["Test.xlsx", "--wait", "-1"], "--wait -1: ange ett antal sekunder, minst 0"),
    (["Test.xlsx", "--wait", "snart"], "--wait snart: ange ett antal sekunder, minst 0"),
    (["Test.xlsx", "--wait", "inf"], "--wait inf: ange ett antal sekunder, minst 0"),
    (["Test.xlsx", "--period", "2025-13"], "--period 2025-13: ange perioden som 2025-08, 202508 eller 8"),
    (["Test.xlsx", "--period", "13"], "--period 13: ange perioden som 2025-08, 202508 eller 8"),
    (["Test.xlsx", "--period", "aug"], "--period aug: ange perioden som 2025-08, 202508 eller 8"),
    (["consolidate", "Test.xlsx", "-o", "F.xlsx", "--period", "2025-13"],
     "--period 2025-13: ange perioden som 2025-08, 202508 eller 8"),
    (["init", "Ny.xlsx", "--year", "26"], "--year 26: ange året med fyra siffror, t.ex. 2026"),
    (["Test.xlsx", "--output", "Ut.csv"], "--output Ut.csv: resultatet skrivs som en arbetsbok; ange en .xlsx- eller "
                                          ".xlsm-fil"),
    (["Test.xlsx", "--output", "Ut"], "--output Ut: resultatet skrivs som en arbetsbok; ange en .xlsx- eller .xlsm-fil"),
    (["Test.xlsx", "--output", "exporter"], "--output exporter: är en mapp; ange filen som resultatet ska skrivas "
                                            "till (UT.xlsx)"),
    (["Test.xlsx", "--output", "Ut.xlsm"], "--output Ut.xlsm: arbetsboken har inga makron och skrivs som .xlsx; "
                                           "ange Ut.xlsx"),
    (["consolidate", "Test.xlsx", "--output", "F.csv"], "--output F.csv: resultatet skrivs som en arbetsbok; ange en "
                                                        ".xlsx- eller .xlsm-fil"),
    (["consolidate", "Test.xlsx", "--output", "F.xlsm"], "--output F.xlsm: en ny sammanställning har inga makron och "
                                                         "skrivs som .xlsx; ange F.xlsx"),
    (["Test.xlsx", "--budget", "exporter"], "--budget exporter: är en mapp; ange en fil"),
    (["Test.xlsx", "--log", "exporter"], "--log exporter: är en mapp; ange en fil"),
    (["Test.xlsx", "--backup", "Test.xlsx"], "--backup Test.xlsx: är en fil; ange en mapp"),
    (["Test.xlsx", "--no-backup", "--backup", "kopior"], "--no-backup och --backup kan inte användas samtidigt"),
    # a value missing, or given to a flag
    (["Test.xlsx", "--period"], "--period: värdet saknas (--period ÅÅÅÅ-MM)"),
    (["Test.xlsx", "--output"], "--output: värdet saknas (--output UT.xlsx)"),
    (["Test.xlsx", "-j"], "-j: värdet saknas (-j N)"),
    (["Test.xlsx", "--check=ja"], "--check: flaggan tar inget värde"),
    # missing arguments and options
    (["--check"], "ange arbetsboken, eller en mapp med arbetsböcker: reconcile Halmstad.xlsx"),
    (["consolidate", "Test.xlsx"], "--output saknas: ange arbetsboken som får sammanställningen, t.ex. "
                                   "--output Förbund.xlsx"),
    (["consolidate", "--output", "F.xlsx"], "ange enheternas arbetsböcker eller en mapp: reconcile consolidate "
                                            "ENHET.xlsx … --output UT.xlsx"),
    (["init"], "ange filen som ska skapas: reconcile init Ny.xlsx"),
    # arguments too many: an unquoted --utfall pattern the shell expanded, two workbooks
    (["Test.xlsx", "--utfall", "exporter/2025-01.csv", "exporter/2025-02.csv"],
     'exporter/2025-02.csv: ett argument för mycket — skriv mönstret inom citattecken (--utfall '
     '"exporter/2025-*.csv") eller upprepa --utfall före varje fil'),
    (["Test.xlsx", "--utfall", "exporter/2025-01.csv", "exporter/2025-02.csv", "exporter/2025-03.csv", "--check"],
     'exporter/2025-02.csv (och 1 till): för många argument — skriv mönstret inom citattecken (--utfall '
     '"exporter/2025-*.csv") eller upprepa --utfall före varje fil'),
    (["--utfall", "exporter/2025-01.csv", "exporter/2025-02.csv", "Test.xlsx"],
     'Test.xlsx: ett argument för mycket — skriv mönstret inom citattecken (--utfall "exporter/2025-*.csv") eller '
     'upprepa --utfall före varje fil'),
    (["Test.xlsx", "Annan.xlsx"], "Annan.xlsx: ett argument för mycket — ange en arbetsbok, eller en mapp för att "
                                  "köra alla i den"),
    (["init", "Ny.xlsx", "Ny2.xlsx"], "Ny2.xlsx: ett argument för mycket — reconcile init skapar en mall åt gången"),
]


@pytest.mark.parametrize(("args", "line"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_a_usage_error_is_one_swedish_line_and_exit_2(cwd, args, line):
    before = snapshot(cwd)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == line + "\n"
    assert snapshot(cwd) == before


def test_json_and_log_do_not_change_a_usage_error(cwd):
    result = invoke("Test.xlsx", "--json", "--log", "natt.log", "--period", "2025-13")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "--period 2025-13: ange perioden som 2025-08, 202508 eller 8\n"
    assert not (cwd / "natt.log").exists()


def test_good_values_in_every_accepted_form(cwd):
    for period in ("2025-03", "202503", "3", "2025-3"):
        result = invoke("Test.xlsx", "--check", "--period", period, "--wait", "1,5", "--keep-backups", "3")
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Test.xlsx: jan–mar 2025 · ")


def test_no_arguments_show_the_help_on_stderr_with_exit_2(cwd):
    result = invoke()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Användning: reconcile ARBETSBOK.xlsx | MAPP [FLAGGOR]\n")
    assert not ENGLISH.search(result.stderr), ENGLISH.search(result.stderr)


@pytest.mark.parametrize("command", [[], ["run"], ["consolidate"], ["init"], ["Test.xlsx"]])
def test_the_help_is_swedish_throughout(cwd, command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert result.stderr == ""
    text = result.stdout
    assert text.startswith("Användning: reconcile ")
    assert "Flaggor:" in text
    assert "-h, --help" in text and "Visa den här hjälpen och avsluta." in text
    assert not ENGLISH.search(text), ENGLISH.search(text)
    if not command:
        assert "--version   Visa versionen och avsluta." in text and "Kommandon:" in text


def test_the_help_of_the_monthly_run_shows_how_it_is_typed(cwd):
    text = invoke("Test.xlsx", "--help").stdout
    assert text.splitlines()[0] == "Användning: reconcile [FLAGGOR] ARBETSBOK.xlsx|MAPP"
    assert "--keep-backups N" in text and "(standard" in text
    assert invoke("init", "--help").stdout.splitlines()[0] == "Användning: reconcile init [FLAGGOR] NY.xlsx"


def test_version(cwd):
    result = invoke("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"reconcile \d+\.\d+\.\d+\S*\n", result.stdout)


# --- a file that is not a workbook ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "message"), [
    ("Halmstad.xls", "filen är inte en .xlsx-arbetsbok (utan en .xls-fil); spara den som .xlsx i Excel och kör igen"),
    ("Halmstad.XLS", "filen är inte en .xlsx-arbetsbok (utan en .xls-fil); spara den som .xlsx i Excel och kör igen"),
    ("Halmstad.xlsb", "filen är inte en .xlsx-arbetsbok (utan en .xlsb-fil); spara den som .xlsx i Excel och kör "
                      "igen"),
    ("Halmstad.ods", "filen är inte en .xlsx-arbetsbok (utan en OpenDocument-fil, .ods); spara den som .xlsx i "
                     "LibreOffice och kör igen"),
    ("export.csv", "en CSV-fil är en huvudboksexport, inte en arbetsbok: kör reconcile ARBETSBOK.xlsx --utfall "
                   "export.csv"),
    ("export.txt", "en CSV-fil är en huvudboksexport, inte en arbetsbok: kör reconcile ARBETSBOK.xlsx --utfall "
                   "export.txt"),
    ("export.se", "en SIE-fil är en huvudboksexport, inte en arbetsbok: kör reconcile ARBETSBOK.xlsx --utfall "
                  "export.se"),
    ("Budget.pdf", "arbetsboken måste vara en .xlsx- eller .xlsm-fil"),
], ids=lambda value: value if "." in value and " " not in value else "")
@pytest.mark.parametrize("check", [False, True])
def test_a_file_that_is_no_workbook_says_what_to_do(cwd, name, message, check):
    (cwd / name).write_bytes(b"Period;Konto;Belopp\n202508;5011;100\n")
    before = snapshot(cwd)
    result = invoke(name, *(["--check"] if check else []))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{name}: {message}\n"
    assert snapshot(cwd) == before


def test_a_missing_file_of_another_type_is_just_missing(cwd):
    result = invoke("Saknas.xls")
    assert (result.exit_code, result.stderr) == (1, "Saknas.xls: filen finns inte\n")


def test_a_csv_given_as_a_unit_of_a_consolidation(cwd):
    (cwd / "export.csv").write_text("Period;Konto;Belopp\n", encoding="utf-8")
    result = invoke("consolidate", "Test.xlsx", "export.csv", "--output", "F.xlsx")
    assert result.exit_code == 1
    assert result.stderr == ("export.csv: en CSV-fil är en huvudboksexport, inte en arbetsbok: kör reconcile "
                             "ARBETSBOK.xlsx --utfall export.csv\n")
    assert not (cwd / "F.xlsx").exists()


def test_a_quoted_pattern_stays_one_argument_where_click_would_expand_it(cwd, monkeypatch, capsys):
    """On Windows click expands glob patterns in sys.argv, quoted or not; reconcile
    expands --utfall patterns itself and keeps them as typed."""
    import os

    import click.core

    class Windows:
        name = "nt"

        def __getattr__(self, attr):
            return getattr(os, attr)

    monkeypatch.setattr(click.core, "os", Windows())
    monkeypatch.setattr(click.core, "_expand_args", lambda args: pytest.fail(f"click expanded {args}"))
    for month in ("01", "02", "03"):
        (cwd / "exporter" / f"2025-{month}.csv").write_text(f"Period;Konto;Belopp\n2025{month};5011;100\n")
    monkeypatch.setattr("sys.argv", ["reconcile", "Test.xlsx", "--check", "--json", "--utfall", "exporter/2025-*.csv"])
    with pytest.raises(SystemExit) as stop:
        main()
    out = capsys.readouterr().out
    assert stop.value.code == 0, out
    assert json.loads(out)["tieout_kr"]["rows_read"] == 3
