"""Reading the sheets: headers anywhere in the first rows, aliases, Swedish
amounts and periods, the monthly matrix, CSV exports, and exact error positions."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import MONTHS, grid, node, run

from toolkit.errors import InputError
from toolkit.read.budget import read_budget
from toolkit.read.csvfile import read_csv_grid
from toolkit.read.ledger import parse_period, read_ledger
from toolkit.read.settings import parse_closing_period, read_settings

LEDGER = ["Period", "Konto", "Ansvar", "Text", "Belopp"]


def ledger_of(rows, year=2025, wanted=None, name="Utfall"):
    return read_ledger(grid(name, rows), year, wanted)


def records(ledger) -> list[tuple]:
    return list(zip(ledger.period.tolist(), ledger.codes["konto"].values(), ledger.amount.tolist()))


# --- headers ------------------------------------------------------------------------------------------------

def test_header_on_row_5_under_a_title():
    rows = [["Huvudbok Halmstad 2025"], ["Utdrag ur Raindance"], [], [None, None],
            LEDGER, [202501, "4010", "100", "Bok", 100], [202502, "4020", "100", "", "1 234,50"]]
    led = ledger_of(rows)
    assert records(led) == [(202501, "4010", 10000), (202502, "4020", 123450)]
    assert led.row.tolist() == [5, 6]
    assert led.locate(6, 4) == "Utfall!E7"
    assert led.dimensions == ["konto", "ansvar"]


def test_header_on_row_10_is_found():
    rows = [["titel"]] * 9 + [LEDGER, [202501, "4010", "100", "", 1]]
    assert records(ledger_of(rows)) == [(202501, "4010", 100)]
    assert ledger_of(rows).locate(10, 4) == "Utfall!E11"


def test_no_header_in_the_first_10_rows():
    rows = [["titel"]] * 10 + [LEDGER, [202501, "4010", "100", "", 1]]
    with pytest.raises(InputError, match="hittar ingen rubrikrad för huvudboken"):
        ledger_of(rows)


def test_english_and_oddly_cased_headers():
    rows = [["  DATE ", "Account", "Cost Centre", "Description", "AMOUNT"],
            [dt.datetime(2025, 3, 14), 4010.0, 100.0, "x", 5.5]]
    led = ledger_of(rows)
    assert records(led) == [(202503, "4010", 550)]
    assert led.codes["ansvar"].values() == ["100"]
    assert led.labels["belopp"] == "AMOUNT"


def test_budget_with_english_headers_under_a_title():
    rows = [["Budget 2025"], [], ["Line", "Parent", "Type", "Annual budget", "Account", "Key", "Assignment",
                                  "Forecast", "Committed", "Comment"],
            ["Costs", None, "Cost", 1000, "4*", "Kalenderdagar", "Politik", 900, 50, "ok"],
            ["Fees", None, "Income", "1 200,50", "3*", None, None, None, None, None]]
    lines, findings = read_budget(grid("Budget", rows), {"konto"}, 1)
    a, b = lines
    assert (a.label, a.type, a.budget, a.patterns, a.key, a.assignment, a.forecast, a.committed, a.comment) == \
        ("Costs", "Kostnad", 100000, {"konto": "4*"}, "Kalenderdagar", "Politik", 90000, 5000, "ok")
    assert (b.type, b.budget) == ("Intäkt", 120050)
    assert a.where == "Budget!A4" and a.cells["budget"] == "Budget!D4" and a.cells["konto"] == "Budget!E4"
    assert findings == []


def test_budget_in_tkr():
    lines, _ = read_budget(grid("Budget", [["Rad", "Budget"], ["A", 60], ["B", "1,5"]]), set(), 1000)
    assert [x.budget for x in lines] == [6_000_000, 150_000]


def test_budget_column_not_in_the_ledger_is_an_info_finding():
    rows = [["Rad", "Budget", "Konto", "Färg"], ["A", 1, "4*", "blå"]]
    lines, findings = read_budget(grid("Budget", rows), {"konto"}, 1)
    assert lines[0].patterns == {"konto": "4*"}
    assert [(f.slug, f.where) for f in findings] == [("okand-kolumn", "Budget!D1")]


@pytest.mark.parametrize("rows, where, message", [
    ([["Rad", "Budget"], ["A", "12,3,4"]], "Budget!B2", '"12,3,4" är inte ett belopp'),
    ([["Rad", "Budget"], ["A", 1], ["a", 2]], "Budget!A3", 'raden "a" finns redan på Budget!A2'),
    ([["Rad", "Budget"], ["Summa", 1]], "Budget!A2", "summarad"),
    ([["Rad", "Budget", "Konto"], [None, 1, "4*"]], "Budget!A2", "saknar namn"),
    ([["Rad", "Typ", "Budget"], ["A", "Utgift", 1]], "Budget!B2", '"Utgift" är inte en typ'),
])
def test_budget_errors_at_the_cell(rows, where, message):
    with pytest.raises(InputError) as info:
        read_budget(grid("Budget", rows), {"konto"}, 1)
    assert info.value.where == where and message in info.value.message


@pytest.mark.parametrize("rows, where", [
    ([["Rad", "Överordnad", "Budget"], ["A", "Finns inte", 1]], "Budget!B2"),
    ([["Rad", "Överordnad", "Budget"], ["A", "B", 1], ["B", "A", 1]], "Budget!B2"),
])
def test_tree_errors_at_the_cell(rows, where):
    with pytest.raises(InputError) as info:
        run(rows, [["Period", "Konto", "Belopp"], [202501, "4010", 1]])
    assert info.value.where == where


# --- amounts and periods ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, ore", [
    ("1 234,50", 123450), ("-1 234,50", -123450), ("1\u00a0234,50", 123450), ("1234,5", 123450),
    ("1.234,50", 123450), ("-0,01", -1), ("1 234,50-", -123450), (1234.5, 123450), (-70000, -7000000),
    ("", 0),
])
def test_amounts(text, ore):
    led = ledger_of([LEDGER, [202501, "4010", "", "", text]])
    assert led.amount.tolist() == [ore]


def test_a_bad_amount_names_its_exact_cell():
    header = ["Period", "Konto", "Ansvar", "Verksamhet", "Projekt", "Text", "Belopp"]
    rows = [["Utfall 2025"], [], header] + [[202501, "4010", "1", "2", "3", "", 1]] * 13
    rows.append([202502, "4010", "1", "2", "3", "", "12,3,4"])
    assert len(rows) == 17
    with pytest.raises(InputError) as info:
        read_ledger(grid("Utfall", rows, file="Halmstad.xlsx"), 2025)
    assert str(info.value) == 'Halmstad.xlsx: Utfall!G17: "12,3,4" är inte ett belopp'


@pytest.mark.parametrize("value, expected", [
    (202208, 202208), (202208.0, 202208), ("202208", 202208), ("2208", 202208), (2208, 202208),
    ("2022-08", 202208), ("2022-8", 202208), ("2022/08", 202208), ("2022-08-15", 202208), ("20220815", 202208),
    (dt.datetime(2022, 8, 31), 202208), (dt.date(2022, 8, 1), 202208), (8, 202508), ("08", 202508),
    ("2022-08-15 00:00:00", 202208), ("2022-08-15T10:30", 202208),
])
def test_period_formats(value, expected):
    assert parse_period(value, 2025) == expected


@pytest.mark.parametrize("value", ["202213", "2022-13", "13", "aug", "22-08-2022", "0", 0])
def test_not_periods(value):
    with pytest.raises(ValueError):
        parse_period(value, 2025)


def test_period_formats_in_a_ledger():
    rows = [LEDGER, [202208, "1", "", "", 1], ["2208", "1", "", "", 1], ["2022-08", "1", "", "", 1],
            [dt.datetime(2022, 8, 3), "1", "", "", 1], [8, "1", "", "", 1]]
    assert set(ledger_of(rows, year=2022).period.tolist()) == {202208}


def test_month_numbers_with_a_year_column():
    rows = [["År", "Månad", "Konto", "Belopp"], [2024, 12, "4010", 1], [2025.0, 1, "4010", 2]]
    assert ledger_of(rows, year=None).period.tolist() == [202412, 202501]


def test_month_number_without_year_is_an_error_at_the_cell():
    with pytest.raises(InputError) as info:
        ledger_of([LEDGER, [8, "4010", "", "", 1]], year=None)
    assert info.value.where == "Utfall!A2" and "saknar år" in info.value.message


def test_bad_period_is_an_error_at_the_cell():
    with pytest.raises(InputError) as info:
        ledger_of([LEDGER, [202501, "4010", "", "", 1], ["augusti", "4010", "", "", 1]])
    assert info.value.where == "Utfall!A3"
    assert info.value.message == '"augusti" är inte en period (t.ex. 202508 eller 2025-08)'


def test_missing_period_is_an_error_and_blank_rows_are_skipped():
    led = ledger_of([LEDGER, [None, None, None, None, None], [202501, "4010", "", "", 1]])
    assert len(led) == 1
    with pytest.raises(InputError) as info:
        ledger_of([LEDGER, [202501, "4010", "", "", 1], [None, None, None, "Summa", 1], [202501, "4010", "", "", 1]])
    assert info.value.where == "Utfall!A3" and "summarad" in info.value.message


# --- the monthly matrix ----------------------------------------------------------------------------------------

BUDGET = [["Rad", "Typ", "Budget", "Konto", "Ansvar"],
          ["Kostnader", "Kostnad", 1_000_000, "4*", None], ["Ansvar 200", None, 500_000, "5*", "200"],
          ["Intäkter", "Intäkt", 300_000, "3*", None]]
ROW_LEDGER = [["Period", "Konto", "Ansvar", "Belopp"],
              [202501, "4010", "100", 1_000], [202502, "4010", "100", "2 000,50"], [202509, "4010", "100", 7],
              [202501, "5010", "200", 300], [202503, "5010", "300", 50],
              [202501, "3010", "100", -400], [202508, "3010", "100", -1]]


def matrix(headers):
    return [["Konto", "Ansvar", *headers],
            ["4010", "100", 1_000, "2 000,50", None, None, None, None, None, None, 7, None, None, None],
            ["5010", "200", 300, None, None, None, None, None, None, None, None, None, None, None],
            ["5010", "300", None, None, 50, None, None, None, None, None, None, None, None, None],
            ["3010", "100", -400, None, None, None, None, None, None, -1, None, None, None, None]]


def figures(report):
    return {n.path: (n.figures.budget, n.figures.phased, n.figures.actual, n.figures.forecast)
            for n in report.nodes()}, report.unbudgeted, report.tieout.sum_in_period


@pytest.mark.parametrize("headers", [
    MONTHS,
    ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
     "november", "december"],
    [f"2025-{m:02d}" for m in range(1, 13)],
    [202500 + m for m in range(1, 13)],
    [float(202500 + m) for m in range(1, 13)],  # numbers as calamine reads them
    [dt.date(2025, m, 1) for m in range(1, 13)],  # date headers
    [dt.datetime(2025, m, 1) for m in range(1, 13)],
])
def test_monthly_matrix_gives_the_same_figures_as_rows(headers):
    by_rows = run(BUDGET, ROW_LEDGER, period=8)
    by_matrix = run(BUDGET, matrix(headers), period=8)
    assert figures(by_matrix) == figures(by_rows)
    assert by_matrix.tieout.difference == 0
    assert node(by_matrix, "Kostnader").figures.actual == 300050
    assert by_matrix.tieout.rows_in_period == by_rows.tieout.rows_in_period


def test_monthly_matrix_under_a_title_and_with_a_text_column():
    rows = [["Saldolista"], ["Konto", "Text", *MONTHS], ["4010", "Porto", *([1] * 12)]]
    led = ledger_of(rows)
    assert led.layout == "månadsmatris" and len(led) == 12
    assert led.period.tolist() == [202500 + m for m in range(1, 13)]


def test_monthly_matrix_bad_amount_and_missing_year():
    rows = [["Konto", *MONTHS], ["4010", 1, 2, "tre", *([0] * 9)]]
    with pytest.raises(InputError) as info:
        ledger_of(rows)
    assert str(info.value) == 'test.xlsx: Utfall!D2: "tre" är inte ett belopp'
    with pytest.raises(InputError) as info:
        ledger_of(rows, year=None)
    assert info.value.where == "Utfall!B1" and "saknar år" in info.value.message


# --- settings ---------------------------------------------------------------------------------------------------

def test_settings():
    rows = [["Inställningar"], [], ["Inställning", "Värde"], ["Enhet", "Halmstad"], ["År", 2025.0],
            ["Period", "2025-08"], ["Belopp i", "tkr"], ["Prognosmetod", "Rest enligt budget"], ["Färg", "blå"]]
    s, findings = read_settings(grid("Inställningar", rows), "fil")
    assert (s.unit, s.year, s.period, s.amounts_in, s.show_in, s.method) == ("Halmstad", 2025, 8, "tkr", "tkr", "rest")
    assert [(f.slug, f.where) for f in findings] == [("okand-installning", "Inställningar!A9")]


@pytest.mark.parametrize("value, expected", [
    ("8", (None, 8)), (8, (None, 8)), (8.0, (None, 8)), ("0", (None, 0)), ("2022-08", (2022, 8)),
    ("202208", (2022, 8)), (2208, (2022, 8)), ("2022-8", (2022, 8)), (dt.date(2022, 8, 31), (2022, 8)),
])
def test_closing_period(value, expected):
    assert parse_closing_period(value) == expected


@pytest.mark.parametrize("rows, where", [
    ([["Inställning", "Värde"], ["År", "i år"]], "Inställningar!B2"),
    ([["Inställning", "Värde"], ["År", 2024], ["Period", "2025-08"]], "Inställningar!B3"),
    ([["Inställning", "Värde"], ["Period", "13"]], "Inställningar!B2"),
    ([["Inställning", "Värde"], ["Prognosmetod", "gissning"]], "Inställningar!B2"),
])
def test_settings_errors_at_the_cell(rows, where):
    with pytest.raises(InputError) as info:
        read_settings(grid("Inställningar", rows), "fil")
    assert info.value.where == where


# --- CSV --------------------------------------------------------------------------------------------------------

CSV_TEXT = ("Period;Konto;Ansvar;Text;Belopp\r\n"
            "202501;4010;0100;Försäljning \"kaffe\";1 234,50\r\n"
            "2025-02;4010;0100;\"Hyra; februari\";-1 234,50\r\n"
            "2503;3010;0100;Avgift;-70 000\r\n")


@pytest.mark.parametrize("encoding, bom", [("cp1252", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")])
def test_csv_exports(tmp_path, encoding, bom):
    path = tmp_path / "export.csv"
    path.write_bytes(bom + CSV_TEXT.encode(encoding))
    g = read_csv_grid(path, "export.csv")
    assert g.is_csv and g.rows[0][0] == "Period"  # no BOM left on the first header
    led = read_ledger(g, 2025)
    assert records(led) == [(202501, "4010", 123450), (202502, "4010", -123450), (202503, "3010", -7000000)]
    assert led.codes["ansvar"].values() == ["0100"] * 3  # codes keep their leading zeros
    assert [g.rows[r][3] for r in led.row.tolist()[:2]] == ['Försäljning "kaffe"', "Hyra; februari"]  # quoting
    assert led.locate(2, 4) == "rad 3 (Belopp)"


def test_csv_error_position_is_the_line_and_column(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Export\n\nPeriod;Konto;Belopp\n202501;4010;12\n202501;4010;12,3,4\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_ledger(read_csv_grid(path, "export.csv"), 2025)
    assert str(info.value) == 'export.csv: rad 5 (Belopp): "12,3,4" är inte ett belopp'


def test_csv_tab_and_comma_separated(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("Period\tKonto\tBelopp\n202501\t4010\t1 234,50\n", encoding="utf-8")
    assert records(read_ledger(read_csv_grid(path, "x"), 2025)) == [(202501, "4010", 123450)]
    path.write_text('Period,Konto,Belopp\n202501,4010,"1 234,50"\n', encoding="utf-8")
    assert records(read_ledger(read_csv_grid(path, "x"), 2025)) == [(202501, "4010", 123450)]


def test_csv_missing_file(tmp_path):
    with pytest.raises(InputError, match="finns inte"):
        read_csv_grid(tmp_path / "nej.csv", "nej.csv")
