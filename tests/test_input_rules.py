"""Strict rules for the tables we read: each of these once finished silently
with wrong figures and now stops with one line naming the file and the cell
(or ``rad N``), exit code 1, nothing written — or, where the input is a
legitimate variant, reads it right.

Duplicate headers, duplicate key names and settings, a ledger without a real
header row, misspelled column and setting names, CSV lines with the wrong
number of fields or an unbalanced quote, and amounts no krona amount can be.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from workbook_factory import BUDGET, KEYS, LEDGER, SETTINGS, small_workbook

from toolkit.cli import main
from toolkit.money import MAX_ORE, AmountTooLarge, parse_decimal, parse_ore, to_ore
from toolkit.read.spelling import distance, near_miss

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]
FIGURES = "jan–aug 2025 · utfall 48 tkr · avvikelse +23 tkr · prognos 181 tkr"
AGAIN = "ta bort den ena eller byt namn på den"
NO_HEADER = ("hittar ingen rubrikrad för huvudboken (kolumnerna Period och Belopp, eller Konto och en kolumn per "
             "månad) på de första 10 raderna")
FIX_LINE = "rätta raden i filen och kör igen (en text som innehåller skiljetecknet ska stå inom citattecken)"
FIX_QUOTE = "så raderna däremellan skulle läsas som text i ett enda fält; rätta citattecknet och kör igen"
# the workbook_factory ledger as a CSV export, and as a monthly matrix
CSV = ("Period;Konto;Text;Belopp\n202503;5011;Arvode;31200\n202506;4010;Workshop;85500\n"
       "202508;3010;Avgift;-70000\n202508;6110;Okänt konto;1000,50\n")
MATRIX = [["Konto", "Text", *MONTHS[:8]],
          ["5011", "Arvode", None, None, 31200, None, None, None, None, None],
          ["4010", "Workshop", None, None, None, None, None, 85500, None, None],
          ["3010", "Avgift", None, None, None, None, None, None, None, -70000],
          ["6110", "Okänt konto", None, None, None, None, None, None, None, 1000.5]]


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def stops(cwd: Path, *args, csv: str | None = None, **sheets) -> str:
    """The one line a run on T.xlsx (the small workbook, sheets replaced; the
    ledger from u.csv when ``csv`` is given) stops with: exit 1, nothing on
    stdout, no file written or changed (no backup either)."""
    small_workbook(cwd / "T.xlsx", **sheets)
    if csv is not None:
        (cwd / "u.csv").write_text(csv, encoding="utf-8")
        args = (*args, "--utfall", "u.csv")
    before = files(cwd)
    result = invoke("T.xlsx", *args)
    assert (result.exit_code, result.stdout) == (1, ""), result.output
    assert files(cwd) == before
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr[:-1]


def runs(cwd: Path, *args, csv: str | None = None, **sheets) -> dict:
    """The --json result of a run on T.xlsx that goes through."""
    small_workbook(cwd / "T.xlsx", **sheets)
    if csv is not None:
        (cwd / "u.csv").write_text(csv, encoding="utf-8")
        args = (*args, "--utfall", "u.csv")
    result = invoke("T.xlsx", "--check", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def line(cwd: Path, *args, csv: str | None = None, **sheets) -> str:
    """The summary line of a run that goes through (checked, nothing written)."""
    small_workbook(cwd / "T.xlsx", **sheets)
    if csv is not None:
        (cwd / "u.csv").write_text(csv, encoding="utf-8")
        args = (*args, "--utfall", "u.csv")
    result = invoke("T.xlsx", "--check", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def slugs(data: dict) -> list[tuple[str, str, str]]:
    return [(f["slug"], f["severity"], f["where"]) for f in data["findings"]]


def with_column(table: list[list], header: object, values: list | None = None) -> list[list]:
    """``table`` with one more column at the right."""
    values = values or [None] * (len(table) - 1)
    return [table[0] + [header]] + [row + [v] for row, v in zip(table[1:], values)]


def renamed(table: list[list], col: int, header: object) -> list[list]:
    return [table[0][:col] + [header] + table[0][col + 1 :]] + [row[:] for row in table[1:]]


def test_the_baseline_goes_through(cwd):
    assert line(cwd) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"
    assert line(cwd, csv=CSV) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"
    assert line(cwd, Utfall=MATRIX) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"


# --- 1. duplicate headers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("header, message", [
    ("Budget", f'Budget!H1: kolumnen "Budget" finns redan i D1; {AGAIN}'),
    ("årsbudget", f'Budget!H1: kolumnen "årsbudget" är samma kolumn som "Budget" i D1; {AGAIN}'),
    ("Konto", f'Budget!H1: kolumnen "Konto" finns redan i E1; {AGAIN}'),
    ("Account", f'Budget!H1: kolumnen "Account" är samma kolumn som "Konto" i E1; {AGAIN}'),
    ("Nyckel", f'Budget!H1: kolumnen "Nyckel" är samma kolumn som "Periodisering" i F1; {AGAIN}'),
    ("Rad", f'Budget!H1: kolumnen "Rad" finns redan i A1; {AGAIN}'),
])
def test_a_budget_column_twice_stops(cwd, header, message):
    assert stops(cwd, Budget=with_column(BUDGET, header, [1, 2, 3])) == f"T.xlsx: {message}"


def test_a_budget_mapping_column_of_the_ledger_twice_stops(cwd):
    budget = with_column(with_column(BUDGET, "Kst"), "Kst")
    ledger = with_column(LEDGER, "Kst", ["10", "10", "10", "10"])
    assert stops(cwd, Budget=budget, Utfall=ledger) == f"T.xlsx: Budget!I1: kolumnen \"Kst\" finns redan i H1; {AGAIN}"


def test_two_unused_budget_columns_of_one_name_are_two_notes(cwd):
    data = runs(cwd, Budget=with_column(with_column(BUDGET, "Anteckning"), "Anteckning"))
    assert data["totals_kr"]["actual"] == 47700.5
    assert [s for s in slugs(data) if s[0] == "okand-kolumn"] == [("okand-kolumn", "info", "Budget!H1"),
                                                                     ("okand-kolumn", "info", "Budget!I1")]


@pytest.mark.parametrize("header, message", [
    ("Belopp", f'Utfall!E1: kolumnen "Belopp" finns redan i D1; {AGAIN}'),
    ("Amount", f'Utfall!E1: kolumnen "Amount" är samma kolumn som "Belopp" i D1; {AGAIN}'),
    ("konto", f'Utfall!E1: kolumnen "konto" finns redan i B1; {AGAIN}'),
    ("Månad", f'Utfall!E1: kolumnen "Månad" är samma kolumn som "Period" i A1; {AGAIN}'),
])
def test_a_ledger_column_we_read_twice_stops(cwd, header, message):
    assert stops(cwd, Utfall=with_column(LEDGER, header, [1, 2, 3, 4])) == f"T.xlsx: {message}"


def test_a_year_column_twice_stops(cwd):
    ledger = with_column(with_column(LEDGER, "År", [2025] * 4), "Räkenskapsår", [2024] * 4)
    assert stops(cwd, Utfall=ledger) == f'T.xlsx: Utfall!F1: kolumnen "Räkenskapsår" är samma kolumn som "År" i E1; {AGAIN}'


@pytest.mark.parametrize("header", ["Text", "Verifikationstext", "Löpnummer"])
def test_a_ledger_column_we_do_not_read_may_repeat(cwd, header):
    """An ERP export may repeat a column the toolkit ignores (texts, its own columns)."""
    ledger = [["Period", "Konto", header, "Text", "Belopp", header]] + \
        [[r[0], r[1], "x", r[2], r[3], "y"] for r in LEDGER[1:]]
    if header == "Löpnummer":
        ledger[0][3] = "Löpnummer"
    assert line(cwd, Utfall=ledger) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"


def test_a_period_column_is_read_before_a_date_column(cwd):
    """Period (the month booked) and Bokföringsdatum (here in another year, left of it): Period counts."""
    ledger = [["Bokföringsdatum", *LEDGER[0]]] + [[dt.datetime(2026, 1, 5), *row] for row in LEDGER[1:]]
    assert line(cwd, Utfall=ledger) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"
    two_dates = [["Datum", "Bokföringsdatum", *LEDGER[0][1:]]] + \
        [[dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 1), *row[1:]] for row in LEDGER[1:]]
    assert stops(cwd, Utfall=two_dates) == \
        f'T.xlsx: Utfall!B1: kolumnen "Bokföringsdatum" är samma kolumn som "Datum" i A1; {AGAIN}'


@pytest.mark.parametrize("header, message", [
    ("Mar", f'Utfall!K1: kolumnen "Mar" finns redan i E1; {AGAIN}'),
    ("Mars", f'Utfall!K1: kolumnen "Mars" är samma månad som "Mar" i E1; {AGAIN}'),
    (202503, f'Utfall!K1: kolumnen "202503" är samma månad som "Mar" i E1; {AGAIN}'),
    ("2025-03", f'Utfall!K1: kolumnen "2025-03" är samma månad som "Mar" i E1; {AGAIN}'),
    (dt.datetime(2025, 3, 1), f'Utfall!K1: kolumnen "2025-03-01" är samma månad som "Mar" i E1; {AGAIN}'),
])
def test_a_month_twice_in_a_monthly_matrix_stops(cwd, header, message):
    assert stops(cwd, Utfall=with_column(MATRIX, header, [1, 2, 3, 4])) == f"T.xlsx: {message}"


def test_months_of_two_years_are_two_months(cwd):
    ledger = [["Konto", 202403, 202503], ["5011", 100, 31200], ["4010", None, 85500]]
    data = runs(cwd, Utfall=ledger)
    assert data["totals_kr"]["actual"] == 116700 and data["tieout_kr"]["rows_read"] == 3


@pytest.mark.parametrize("csv, message", [
    ("Period;Konto;Text;Belopp;Belopp\n202503;5011;A;1;1\n",
     f'u.csv: rad 1: kolumnen "Belopp" (kolumn 5) finns redan i kolumn 4; {AGAIN}'),
    ("Export\n\nKonto;Jan;Feb;Mar;Mars\n5011;;;1;2\n",
     f'u.csv: rad 3: kolumnen "Mars" (kolumn 5) är samma månad som "Mar" i kolumn 4; {AGAIN}'),
])
def test_a_csv_header_with_a_column_twice_stops(cwd, csv, message):
    assert stops(cwd, csv=csv) == message


def test_a_month_twice_on_periodisering_stops(cwd):
    keys = with_column(KEYS, "mar", [5])
    assert stops(cwd, Periodisering=keys) == f'T.xlsx: Periodisering!N1: kolumnen "mar" finns redan i D1; {AGAIN}'


def test_a_value_column_twice_on_installningar_stops(cwd):
    settings_ = with_column(SETTINGS, "Value", [None, 2024, None])
    assert stops(cwd, Inställningar=settings_) == \
        f'T.xlsx: Inställningar!C1: kolumnen "Value" är samma kolumn som "Värde" i B1; {AGAIN}'


# --- 2. duplicate key names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, message", [
    ("Höst", 'nyckeln "Höst" finns redan på Periodisering!A2; varje nyckel behöver ett unikt namn'),
    ("  HÖST ", 'nyckeln "HÖST" finns redan på Periodisering!A2; varje nyckel behöver ett unikt namn'),
    ("Kalenderdagar", 'nyckeln "Kalenderdagar" har samma namn som den inbyggda nyckeln Kalenderdagar; ta bort '
                      "raden, eller ge din nyckel ett eget namn"),
    ("linjar", 'nyckeln "linjar" har samma namn som den inbyggda nyckeln Linjär; ta bort raden, eller ge din '
               "nyckel ett eget namn"),
    ("arbetsdagar", 'nyckeln "arbetsdagar" har samma namn som den inbyggda nyckeln Arbetsdagar; ta bort raden, '
                    "eller ge din nyckel ett eget namn"),
])
def test_a_key_named_twice_or_like_a_built_in_stops(cwd, name, message):
    keys = KEYS + [[name, *[1] * 12]]
    assert stops(cwd, Periodisering=keys) == f"T.xlsx: Periodisering!A3: {message}"


# --- 3. duplicate settings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("row, message", [
    (["År", 2024], 'inställningen "År" finns redan på Inställningar!A3; ta bort den ena raden'),
    (["år", 2025], 'inställningen "år" finns redan på Inställningar!A3; ta bort den ena raden'),
    (["Year", 2024], 'inställningen "Year" är samma inställning som "År" på Inställningar!A3; ta bort den ena raden'),
    (["Bokslutsperiod", 7], 'inställningen "Bokslutsperiod" är samma inställning som "Period" på Inställningar!A4; '
                            "ta bort den ena raden"),
])
def test_a_setting_given_twice_stops(cwd, row, message):
    assert stops(cwd, Inställningar=SETTINGS + [row]) == f"T.xlsx: Inställningar!A5: {message}"


# --- 4. a ledger sheet without a real header row ---------------------------------------------------------------

def test_a_ledger_without_its_header_row_stops(cwd):
    assert stops(cwd, Utfall=LEDGER[1:]) == (f"T.xlsx: Utfall: {NO_HEADER}; skriv rubrikerna ovanför tabellen och "
                                             "kör igen")


@pytest.mark.parametrize("rows", [
    # two date cells a row: once taken for a monthly matrix (utfall 0)
    [[dt.datetime(2025, 3, 14), dt.datetime(2025, 3, 31), "5011", "Arvode", 31200],
     [dt.datetime(2025, 6, 2), dt.datetime(2025, 6, 30), "4010", "Workshop", 85500]],
    # amounts that read like periods (yyyymm)
    [["5011", "Arvode", 202503, 202511], ["4010", "Workshop", 202506, 202512]],
    # periods as text, the way a CSV export's data rows are
    [["202503", "2025-03", "5011", "31200"], ["202506", "2025-06", "4010", "85500"]],
])
def test_a_row_of_data_is_never_taken_for_a_matrix_header(cwd, rows):
    assert stops(cwd, Utfall=rows).startswith(f"T.xlsx: Utfall: {NO_HEADER};")


@pytest.mark.parametrize("col, typo, meant", [(0, "Perod", "Period"), (3, "Beloop", "Belopp"),
                                              (3, "Belop", "Belopp"), (1, "Kotno", None)])
def test_a_misspelled_ledger_header_is_named_with_what_it_meant(cwd, col, typo, meant):
    if meant is None:  # a misspelled code column of a monthly matrix
        got = stops(cwd, Utfall=renamed(MATRIX, 0, typo))
        assert got == f'T.xlsx: Utfall!A1: {NO_HEADER}: "{typo}" — menade du "Konto"?'
        return
    got = stops(cwd, Utfall=renamed(LEDGER, col, typo))
    assert got == f'T.xlsx: Utfall!{"ABCD"[col]}1: {NO_HEADER}: "{typo}" — menade du "{meant}"?'


def test_a_misspelled_csv_header_is_named_with_what_it_meant(cwd):
    csv = "Huvudbok\nPeriod;Konto;Text;Beloop\n202503;5011;Arvode;31200\n"
    assert stops(cwd, csv=csv) == f'u.csv: rad 2: {NO_HEADER}: "Beloop" — menade du "Belopp"?'


def test_a_misspelled_budget_or_settings_header_is_named_too(cwd):
    assert stops(cwd, Budget=renamed(BUDGET, 3, "Budgte")) == \
        ('T.xlsx: Budget!D1: hittar ingen rubrikrad för budgeten (kolumnerna Rad, Budget) på de första 10 raderna: '
         '"Budgte" — menade du "Budget"?')
    assert stops(cwd, Inställningar=renamed(SETTINGS, 1, "Värd")) == \
        ('T.xlsx: Inställningar!B1: hittar ingen rubrikrad för inställningar (kolumnerna Inställning, Värde) på de '
         'första 10 raderna: "Värd" — menade du "Värde"?')


@pytest.mark.parametrize("headers", [
    MONTHS[:8], [202500 + m for m in range(1, 9)], [float(202500 + m) for m in range(1, 9)],
    [f"2025-{m:02d}" for m in range(1, 9)], [f"2025/{m}" for m in range(1, 9)],
    [dt.datetime(2025, m, 1) for m in range(1, 9)], [dt.datetime(2025, m, 28) for m in range(1, 9)],
    ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"],
])
def test_matrix_headers_as_names_numbers_text_and_dates_are_real(cwd, headers):
    matrix = [["Saldolista 2025", None, 2025], [], ["Konto", "Text", *headers]] + [row[:] for row in MATRIX[1:]]
    assert line(cwd, Utfall=matrix) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"


def test_a_matrix_needs_a_code_column(cwd):
    matrix = [["Text", *MONTHS[:8]]] + [row[1:] for row in MATRIX[1:]]
    assert stops(cwd, Utfall=matrix).startswith(f"T.xlsx: Utfall: {NO_HEADER};")


def test_a_matrix_may_have_its_code_column_named_by_the_budget(cwd):
    """A code column the Budget maps (Kst) is a matrix's code column, too."""
    budget = [["Rad", "Budget", "Kst"], ["Allt", 1000, "*"]]
    matrix = [["Kst", "Jan", "Feb"], ["10", 100, 200]]
    data = runs(cwd, Budget=budget, Utfall=matrix)
    assert data["totals_kr"]["actual"] == 300


# --- 5. misspelled Budget columns and settings --------------------------------------------------------------

@pytest.mark.parametrize("col, typo, meant", [
    (1, "Överordnat", "Överordnad"), (1, "Parnet", "Parent"), (4, "Kontot", "Konto"), (2, "Tpy", "Typ"),
    (5, "Periodiseing", "Periodisering"), (6, "Intecknad", "Intecknat"), (5, "Perioddisering", "Periodisering"),
])
def test_a_budget_column_a_letter_or_two_from_a_known_one_stops(cwd, col, typo, meant):
    got = stops(cwd, Budget=renamed(BUDGET, col, typo))
    assert got == f'T.xlsx: Budget!{"ABCDEFG"[col]}1: okänd kolumn "{typo}" — menade du "{meant}"?'


def test_a_budget_column_close_to_a_ledger_column_stops(cwd):
    budget = with_column(BUDGET, "Kstt", ["10", None, None])
    ledger = with_column(LEDGER, "Kst", ["10", "20", "10", "10"])
    assert stops(cwd, Budget=budget, Utfall=ledger) == 'T.xlsx: Budget!H1: okänd kolumn "Kstt" — menade du "Kst"?'


def test_a_budget_column_naming_a_ledger_column_is_a_pattern(cwd):
    """Kst names a column of the export: a mapping column, applied (5011 is Kst 20: not Arvoden)."""
    budget = with_column(BUDGET, "Kst", ["10", None, None])
    ledger = with_column(LEDGER, "Kst", ["20", "10", "10", "10"])
    data = runs(cwd, Budget=budget, Utfall=ledger)
    assert "okand-kolumn" not in [s[0] for s in slugs(data)]
    assert data["tieout_kr"]["unbudgeted"] == 31200 + 1000.5


@pytest.mark.parametrize("header", ["Anteckning", "Kommentar 2", "Ansvarig", "Kontonamn", "Kst"])
def test_an_unknown_budget_column_far_from_every_known_one_is_a_note(cwd, header):
    data = runs(cwd, Budget=with_column(BUDGET, header, ["x", "y", "z"]))
    assert ("okand-kolumn", "info", "Budget!H1") in slugs(data)
    assert data["totals_kr"]["actual"] == 47700.5


@pytest.mark.parametrize("typo, meant", [("Perod", "Period"), ("Prognosmetd", "Prognosmetod"),
                                         ("Belopp  ii", "Belopp i"), ("Utfallfil", "Utfallsfil")])
def test_a_setting_a_letter_or_two_from_a_known_one_stops(cwd, typo, meant):
    got = stops(cwd, Inställningar=SETTINGS + [[typo, "x"]])
    assert got == f'T.xlsx: Inställningar!A5: okänd inställning "{typo.strip()}" — menade du "{meant}"?'


def test_an_unknown_setting_far_from_every_known_one_is_a_note(cwd):
    """A row of the economist's own on Inställningar (the close ones stop, above)."""
    data = runs(cwd, Inställningar=SETTINGS + [["Kontaktperson", "Eva"]])
    found = [f for f in data["findings"] if f["slug"] == "okand-installning"]
    assert found == [{"slug": "okand-installning", "severity": "info", "where": "Inställningar!A5",
                      "message": 'inställningen "Kontaktperson" är okänd och används inte'}]


@pytest.mark.parametrize("text, known, meant", [
    ("överordnat", ["överordnad", "typ"], "överordnad"), ("Beloop", ["belopp", "period"], "belopp"),
    ("Tpy", ["typ"], "typ"), ("Kommentar 2", ["kommentar"], None), ("Ansvarig", ["ansvar"], None),
    ("Ar", ["år"], None), ("Färg", ["år", "typ", "rad"], None), ("Budget", ["budget"], None),
    ("Periodisrng", ["periodisering"], "periodisering"), ("Prognos", ["prognoser"], "prognoser"),
])
def test_near_misses(text, known, meant):
    assert near_miss(text, known) == meant


@given(st.text(max_size=8), st.text(max_size=8))
def test_distance_is_a_symmetric_edit_count(a, b):
    d = distance(a, b)
    assert d == distance(b, a) and (d == 0) == (a == b) and abs(len(a) - len(b)) <= d <= max(len(a), len(b))


# --- 6. CSV lines with too few or too many fields, and quotes ----------------------------------------------

@pytest.mark.parametrize("csv, message", [
    ("Period;Konto;Text;Belopp\n202503;5011;Arvode;31200\n202506;4010;85500\n",
     f"u.csv: rad 3: raden har 3 fält men rubrikraden (rad 1) har 4, så Belopp saknas; {FIX_LINE}"),
    ("Export\n\nPeriod;Konto;Belopp\n202503;5011;31200\n202506\n",
     f"u.csv: rad 5: raden har 1 fält men rubrikraden (rad 3) har 3, så Belopp saknas; {FIX_LINE}"),
    ("Konto;Period;Belopp;Text\n5011;202503;31200;Arvode\n4010\n",
     f"u.csv: rad 3: raden har 1 fält men rubrikraden (rad 1) har 4, så Period och Belopp saknas; {FIX_LINE}"),
    ("Period;Konto;Belopp;Text\n202503;5011;31200;Hyra; mars\n",
     f"u.csv: rad 2: raden har 5 fält men rubrikraden (rad 1) har 4; {FIX_LINE}"),
    ("Period;Konto;Belopp;Text\n202503;5011;31200;Hyra;;;\n202506;4010;85500;Hyra;;x;\n",
     f"u.csv: rad 3: raden har 6 fält men rubrikraden (rad 1) har 4; {FIX_LINE}"),
])
def test_a_csv_line_with_the_wrong_number_of_fields_stops(cwd, csv, message):
    assert stops(cwd, csv=csv) == message


def test_what_excel_writes_is_read(cwd):
    """Excel ends each line with separators up to its used range (title lines
    too), and leaves out the empty cells at the end of a line — here Text and
    Projekt after Belopp; blank lines and lines of separators are skipped."""
    csv = ("Huvudbok Testnämnd;;;;\r\n;;;;\r\nPeriod;Konto;Belopp;Text;Projekt\r\n"
           "202503;5011;31200;Arvode;\r\n202506;4010;85500\r\n\r\n202508;3010;-70000;;\r\n"
           "202508;6110;1000,50;Okänt konto;;;\r\n;;;;\r\n")
    assert line(cwd, csv=csv) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"


def test_a_matrix_csv_may_leave_out_the_months_not_booked_yet(cwd):
    csv = f"Konto;Text;{';'.join(MONTHS)}\n5011;Arvode;;;31200\n4010;Workshop;;;;;;85500\n" \
          "3010;Avgift;;;;;;;;-70000;;;;\n6110;Okänt konto;;;;;;;;1000,50\n"
    assert line(cwd, csv=csv) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"


def test_quoted_values_may_hold_separators_quotes_and_line_breaks(cwd):
    csv = ('Period;Konto;Text;Belopp\n202503;5011;"Arvode; mars";31200\n'
           '202506;4010;"Workshop\n""Framtid""\ndag två";85500\n202508;3010;Avgift "kort";-70000\n'
           '202508;6110;"Okänt;\nkonto";1000,50\n')
    assert line(cwd, csv=csv) == f"T.xlsx: {FIGURES} · kontroll, inget skrivet\n"


@pytest.mark.parametrize("csv, message", [
    # the quote is never closed: the rest of the file would be one text
    ('Period;Konto;Text;Belopp\n202503;5011;Arvode;31200\n202506;4010;"Workshop;85500\n202508;3010;Avgift;-70000\n'
     '202508;6110;Okänt;1000,50\n',
     'u.csv: rad 3: citattecknet (") som börjar ett värde på raden stängs aldrig, så resten av filen skulle läsas '
     "som text i ett enda fält; rätta citattecknet och kör igen"),
    ('Period;Konto;Text;Belopp\n202503;5011;Arvode;31200\n202508;6110;"Okänt;1000,50\n',
     'u.csv: rad 3: citattecknet (") som börjar ett värde på raden stängs aldrig, så resten av filen skulle läsas '
     "som text i ett enda fält; rätta citattecknet och kör igen"),
    ('Period;Konto;Text;Belopp\n202503;5011;Arvode;31200\n202508;6110;"Okänt;1000,50',
     'u.csv: rad 3: citattecknet (") som börjar ett värde på raden stängs aldrig, så resten av filen skulle läsas '
     "som text i ett enda fält; rätta citattecknet och kör igen"),
    # closed by a stray quote further down: the lines between would be one text
    ('Period;Konto;Text;Belopp\n202503;5011;"Arvode;31200\n202506;4010;Workshop;85500\n202508;3010;"Avgift;-70000\n'
     '202508;6110;Okänt;1000,50\n',
     f'u.csv: rad 2: citattecknet (") som börjar ett värde på raden stängs först på rad 4, {FIX_QUOTE}'),
    ('Period;Konto;Text;Belopp\n202503;5011;Arvode;31200\n"202506;4010;Workshop;85500\n'
     '202508;3010;Avgift;-70000\n202508;6110;"Okänt";1000,50\n',
     f'u.csv: rad 3: citattecknet (") som börjar ett värde på raden stängs först på rad 5, {FIX_QUOTE}'),
])
def test_an_unbalanced_quote_stops_at_the_line_it_opens(cwd, csv, message):
    assert stops(cwd, csv=csv) == message


def test_a_message_quoting_a_value_with_line_breaks_is_one_line(cwd):
    csv = 'Period;Konto;Text;Belopp\n202503;5011;Arvode;31200\n"Rad ett\nrad två";4010;Workshop;85500\n'
    assert stops(cwd, csv=csv) == 'u.csv: rad 3 (Period): "Rad ett rad två" är inte en period (t.ex. 202508 eller 2025-08)'


def test_a_quote_open_for_more_than_128_kb_stops(cwd):
    rows = "".join(f"2025{m:02d};5011;Arvode {i};1\n" for i in range(6000) for m in (3,))
    csv = 'Period;Konto;Text;Belopp\n202503;5011;"Arvode;31200\n' + rows
    assert stops(cwd, csv=csv) == ('u.csv: rad 2: citattecknet (") som börjar ett värde på raden stängs inte förrän '
                                   "värdet är över 128 kB; rätta citattecknet och kör igen")


def test_a_budget_csv_with_a_field_too_many_stops(cwd):
    (cwd / "b.csv").write_text("Rad;Budget;Konto\nArvoden;60000;5011\nUtveckling;240000;4*;x\n", encoding="utf-8")
    assert stops(cwd, "--budget", "b.csv") == f"b.csv: rad 3: raden har 4 fält men rubrikraden (rad 1) har 3; {FIX_LINE}"


# --- 7. amounts beyond what a krona amount can be ----------------------------------------------------------

TOO_LARGE = "är ett orimligt stort belopp (10 000 miljarder kr eller mer)"


@pytest.mark.parametrize("value, shown", [
    ("9" * 40, "9" * 40), (1e30, "1E+30"), (float("9" * 40), "1E+40"), (1e20, "1E+20"),
    ("10 000 000 000 000", "10 000 000 000 000"), (1e13, "10000000000000"),
])
def test_a_budget_amount_beyond_max_ore_stops(cwd, value, shown):
    budget = [row[:] for row in BUDGET]
    budget[2][3] = value
    assert stops(cwd, Budget=budget) == f'T.xlsx: Budget!D3: "{shown}" {TOO_LARGE}'


@pytest.mark.parametrize("value, message", [("1E+30", '"1E+30" är inte ett belopp'),
                                            ("1e400", '"1e400" är inte ett belopp')])
def test_a_number_in_scientific_notation_as_text_is_no_amount(cwd, value, message):
    """Excel writes General numbers of 12 digits or more so, rounded to 6: no exact amount."""
    budget = [row[:] for row in BUDGET]
    budget[1][3] = value
    assert stops(cwd, Budget=budget) == f"T.xlsx: Budget!D2: {message}"


def test_prognos_and_intecknat_are_bounded_too(cwd):
    budget = with_column(BUDGET, "Prognos", [None, 1e16, None])
    assert stops(cwd, Budget=budget) == f'T.xlsx: Budget!H3: "1E+16" {TOO_LARGE}'
    budget = [row[:] for row in BUDGET]
    budget[2][6] = "99999999999999999999999999999999999"
    assert stops(cwd, Budget=budget) == f'T.xlsx: Budget!G3: "{budget[2][6]}" {TOO_LARGE}'


def test_a_tkr_sheet_is_bounded_in_kr(cwd):
    settings_ = SETTINGS + [["Belopp i", "tkr"]]
    budget = [row[:] for row in BUDGET]
    budget[1][3] = 10_000_000_000  # tkr: 10 000 miljarder kr
    assert stops(cwd, Budget=budget, Inställningar=settings_) == f'T.xlsx: Budget!D2: "10000000000" {TOO_LARGE}'
    budget[1][3] = 9_999_999_999
    assert runs(cwd, Budget=budget, Inställningar=settings_)["totals_kr"]["budget"] > 9.9e12


def test_a_year_cell_far_beyond_any_year_is_no_year(cwd):
    ledger = with_column(LEDGER, "År", [2025, "1e999999999", 2025, 2025])
    assert stops(cwd, Utfall=ledger) == 'T.xlsx: Utfall!E3: "1e999999999" är inte ett år'


def test_the_bound_is_max_ore():
    assert parse_ore("9 999 999 999 999,99") == MAX_ORE - 1
    assert parse_ore("9 999 999 999,99", 1000) == MAX_ORE - 1000
    for value, scale in (("10 000 000 000 000", 1), ("-10 000 000 000 000", 1), (1e13, 1), ("10 000 000 000", 1000)):
        with pytest.raises(AmountTooLarge):
            parse_ore(value, scale)


SWEDISH = st.text(alphabet="0123456789,.-+ eE()kr\u00a0\u2212'١∞", max_size=45)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), SWEDISH, st.decimals(), st.floats(), st.integers()), st.sampled_from([1, 1000]))
def test_parsing_a_cell_raises_nothing_but_value_error(value, scale):
    for parse in (parse_decimal, lambda v: parse_ore(v, scale)):
        try:
            parse(value)
        except ValueError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_to_ore_is_exact_below_the_bound_and_refuses_above(amount):
    exact = None
    if amount.adjusted() < 20:
        with localcontext() as context:
            context.prec = 200
            exact = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    try:
        ore = to_ore(amount)
    except AmountTooLarge:
        assert exact is None or abs(exact) >= MAX_ORE
    else:
        assert ore == exact and abs(ore) < MAX_ORE
    assert parse_decimal(Decimal(0)) == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.sampled_from(["5011", "4010", "0100"]),
                          st.text(alphabet='ab ;"\n\r,åÖ', max_size=12), st.integers(-10**9, 10**9)),
                max_size=12),
       st.sampled_from(["\r\n", "\n"]), st.booleans())
def test_a_csv_file_written_by_the_rules_is_read_as_written(tmp_path_factory, rows, newline, title):
    """Quoted separators, quotes and line breaks come back as written (a value
    with a line break may not hold a whole row's separators: that is read as
    a quote left open)."""
    import csv as csv_module
    import io

    from toolkit.read.csvfile import read_csv_grid
    from toolkit.read.ledger import read_ledger

    if newline == "\n":  # the csv module quotes a value with a line end of its lineterminator only
        rows = [(m, konto, text.replace("\r", ""), ore) for m, konto, text, ore in rows]
    rows = [r for r in rows if not (("\n" in r[2] or "\r" in r[2]) and r[2].count(";") >= 3)]
    out = io.StringIO()
    if title:
        out.write(f"Huvudbok;;;{newline}{newline}")
    writer = csv_module.writer(out, delimiter=";", lineterminator=newline)
    writer.writerow(["Period", "Konto", "Text", "Belopp"])
    for m, konto, text, ore in rows:
        writer.writerow([f"2025{m:02d}", konto, text, f"{'-' * (ore < 0)}{abs(ore) // 100},{abs(ore) % 100:02d}"])
    path = tmp_path_factory.mktemp("csv") / "u.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    grid = read_csv_grid(path, "u.csv")
    ledger = read_ledger(grid, 2025)
    assert ledger.period.tolist() == [202500 + m for m, *_ in rows]
    assert ledger.amount.tolist() == [ore for *_, ore in rows]
    assert ledger.codes["konto"].values() == [konto for _, konto, *_ in rows]
    assert [grid.rows[r][2] for r in ledger.row.tolist()] == [text.strip() for _, _, text, _ in rows]
