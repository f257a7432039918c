"""Plausibility warnings: well-formed input that is probably wrong gives a
finding of severity "varning"; a normal month of a well-kept workbook none.

Rules on tiny inline tables (builders.run), each defect also through the CLI
on a workbook written in the test, and the calibration: the examples, the
test workbooks and the benchmark's ledger give no warning at all."""

from __future__ import annotations

import ast
import json
import shutil
import sys
from pathlib import Path

import pytest
from builders import grid, run
from click.testing import CliRunner
from examples import example
from workbook_factory import small_workbook, write_workbook

from toolkit.cli import main
from toolkit.engine.model import concat
from toolkit.errors import InputError
from toolkit.findings import SLUGS, Finding
from toolkit.read.exports import duplicates
from toolkit.read.ledger import read_ledger

ROOT = Path(__file__).resolve().parents[1]

# -- a normal unit: income and cost lines, about 13 ledger rows a month -------------------------------------------

BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto"],
    ["Intäkter", None, "Intäkt", None, None],
    ["Avgifter", "Intäkter", None, 240_000, "3010"],
    ["Bidrag", "Intäkter", None, 120_000, "3020"],
    ["Personal", None, "Kostnad", None, None],
    ["Löner", "Personal", None, 600_000, "5010-5099"],
    ["Sociala avgifter", "Personal", None, 190_000, "56*"],
    ["Lokaler", None, "Kostnad", 120_000, "6110"],
    ["Övrigt", None, "Kostnad", 60_000, "6990, 7010"],
]
HEADER = ["Period", "Konto", "Text", "Belopp"]


def month_rows(year: int, month: int) -> list[list]:
    """One month of the normal unit's ledger (13 rows, debit positive)."""
    p = year * 100 + month
    return [
        [p, "3010", "Avgift", -10_000 - month], [p, "3010", "Avgift", -9_900 - month],
        [p, "3020", "Bidrag", -10_000],
        *[[p, "5010", "Lön", 10_000 + 10 * k + month] for k in range(5)],
        [p, "5610", "Arbetsgivaravgift", 15_800 + month],
        [p, "6110", "Hyra", 10_000], [p, "6990", "Material", 2_400 + month], [p, "7010", "Resa", 2_450],
        [p, "7010", "Resa", 75 + month],
    ]


def ledger(months=range(1, 9), year: int = 2025, *, flip: bool = False, extra=()) -> list[list]:
    rows = [row for m in months for row in month_rows(year, m)] + [list(r) for r in extra]
    if flip:
        rows = [[*row[:-1], -row[-1]] for row in rows]
    return [HEADER, *rows]


def warnings(report) -> list[tuple[str, str]]:
    return [(f.slug, f.message) for f in report.findings if f.severity == "varning"]


def slugs_of(report, severity: str = "varning") -> list[str]:
    return [f.slug for f in report.findings if f.severity == severity]


def test_the_normal_unit_gets_no_warning_in_any_month():
    for period in range(0, 9):
        assert warnings(run(BUDGET, ledger(range(1, period + 1)), period=period)) == [], period
        assert warnings(run(BUDGET, ledger(range(1, period + 1)), period=None)) == [], period
    assert warnings(run(BUDGET, [HEADER], period=None)) == []  # period 0: no rows yet
    assert run(BUDGET, [HEADER], period=None).period == 0


# -- 1. no rows in the year ---------------------------------------------------------------------------------------


def test_a_year_without_rows_while_other_years_have_rows_warns():
    report = run(BUDGET, ledger(year=2022), year=2021, period=None)
    assert report.period == 0
    assert warnings(report) == [("inga-rader-for-aret", "huvudboken har inga rader för 2021 men 104 rader för 2022, "
                                                        "så allt utfall är 0; stämmer året?")]
    assert warnings(run(BUDGET, ledger(year=2022), year=2021, period=8))[0][0] == "inga-rader-for-aret"
    both = ledger(year=2020)[1:] + ledger(year=2022)[1:]
    assert "för 2020 och 2022" in warnings(run(BUDGET, [HEADER, *both], year=2021, period=8))[0][1]


def test_the_start_of_a_year_with_last_years_rows_only_is_no_warning():
    """January's nightly run with the new year's workbook: the export holds only December."""
    assert warnings(run(BUDGET, ledger([12], year=2025), year=2026, period=None)) == []
    # but a closing period given for the new year is a report without its rows
    assert slugs_of(run(BUDGET, ledger([12], year=2025), year=2026, period=1)) == ["inga-rader-for-aret"]


# -- 2. magnitude -------------------------------------------------------------------------------------------------


def tkr_budget(budget=BUDGET) -> list[list]:
    """The same budget typed in tkr."""
    return [budget[0]] + [[*r[:3], r[3] / 1000 if r[3] else r[3], *r[4:]] for r in budget[1:]]


def test_a_budget_typed_in_tkr_while_belopp_i_says_kr_warns():
    report = run(tkr_budget(), ledger(), period=8)
    assert warnings(report) == [(
        "storleksordning",
        "utfallet är ungefär 1 000 gånger större än den periodiserade budgeten (viktad median över 6 budgetrader); "
        "står beloppen på Budget i tkr medan \"Belopp i\" säger kr? Ange i så fall \"Belopp i\" = tkr på bladet "
        "Inställningar")]
    assert warnings(run(tkr_budget(), ledger(), period=8, amounts_in="tkr")) == []


def test_a_budget_typed_in_kr_while_belopp_i_says_tkr_warns():
    report = run(BUDGET, ledger(), period=8, amounts_in="tkr")
    assert warnings(report) == [(
        "storleksordning",
        "budgeten är ungefär 1 000 gånger större än utfallet (viktad median över 6 budgetrader); står beloppen på "
        "Budget i kr medan \"Belopp i\" säger tkr?")]


def test_a_ledger_in_tkr_warns_from_either_side():
    in_tkr = [HEADER] + [[*r[:3], round(r[3] / 1000, 2)] for r in ledger()[1:]]
    assert warnings(run(BUDGET, in_tkr, period=8))[0][1].endswith(
        "är huvudboken exporterad i tkr? Huvudbokens belopp ska vara i kr")


@pytest.mark.parametrize("period", [1, 2, 12])
def test_magnitude_holds_early_and_late_in_the_year(period):
    months = range(1, period + 1)
    assert slugs_of(run(tkr_budget(), ledger(months), period=period)) == ["storleksordning"]
    assert warnings(run(BUDGET, ledger(months), period=period)) == []


def test_magnitude_needs_three_lines_and_most_of_the_money():
    two = [BUDGET[0], ["Avgifter", None, "Intäkt", 240, "3010"], ["Lokaler", None, "Kostnad", 120, "6110"]]
    rows = [HEADER] + [r for r in ledger()[1:] if r[1] in ("3010", "6110")]
    assert warnings(run(two, rows, period=8)) == []
    assert slugs_of(run([*two, ["Övrigt", None, "Kostnad", 60, "6990"]], rows, period=8)) == []  # no utfall on it
    # one line typed 1 000 times too small among six is that line's problem, not the unit's
    one_off = [row[:] for row in BUDGET]
    one_off[7][3] = 120
    assert warnings(run(one_off, ledger(), period=8)) == []


# -- 3. the ledger's signs ----------------------------------------------------------------------------------------


def test_a_ledger_with_every_sign_reversed_warns():
    report = run(BUDGET, ledger(flip=True), period=8)
    assert warnings(report) == [(
        "omvant-tecken",
        "tecknen i huvudboken ser omvända ut: på 6 av 6 budgetrader med utfall (100 % av beloppet) är kostnaderna "
        "netto negativa eller intäkterna netto positiva; huvudboken ska ha kostnader positiva och intäkter negativa "
        "(debet +) — är exporten teckenvänd, eller är Typ fel på Budget?")]
    assert warnings(report)[0][0] == "omvant-tecken"


def test_a_unit_with_only_income_or_only_costs():
    income = [BUDGET[0], *BUDGET[1:4]]
    costs = [BUDGET[0], *BUDGET[4:]]
    for budget, kind in ((income, "3"), (costs, "567")):
        rows = [HEADER] + [r for r in ledger()[1:] if r[1][0] in kind]
        assert warnings(run(budget, rows, period=8)) == []
        flipped = [HEADER] + [[*r[:3], -r[3]] for r in rows[1:]]
        assert slugs_of(run(budget, flipped, period=8)) == ["omvant-tecken"]


def test_refunds_on_a_line_are_no_reversed_ledger():
    refund = [[202503, "6990", "Återbetalning", -50_000]]  # Övrigt is net negative
    report = run(BUDGET, ledger(extra=refund), period=8)
    assert next(n for n in report.leaves() if n.label == "Övrigt").figures.actual < 0
    assert warnings(report) == []


# -- 4. months without rows ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("last", [2, 5, 7])
def test_a_ledger_that_stops_before_the_closing_period_warns(last):
    report = run(BUDGET, ledger(range(1, last + 1)), period=8)
    names = {2: "mars, april, maj, juni, juli och augusti 2025", 5: "juni, juli och augusti 2025",
             7: "augusti 2025"}
    assert warnings(report) == [(
        "period-efter-utfall",
        f"bokslutsperioden är 8 (augusti) men huvudboken har inga rader för {names[last]}; saknas den senaste "
        f"exporten, eller ska perioden vara {last}?")]


def test_an_inferred_period_is_the_last_month_with_rows():
    report = run(BUDGET, ledger(range(1, 3)), period=None)
    assert report.period == 2 and warnings(report) == []


def test_a_july_without_rows_is_normal():
    assert warnings(run(BUDGET, ledger([1, 2, 3, 4, 5, 6, 8]), period=8)) == []


def test_two_missing_months_among_busy_ones_warn():
    report = run(BUDGET, ledger([1, 2, 5, 6, 7, 8]), period=8)
    assert warnings(report) == [(
        "tomma-manader",
        "huvudboken har inga rader för mars och april 2025 men i median 13 rader de andra månaderna; saknas en "
        "exportfil?")]


def test_one_missing_month_warns_in_a_large_ledger():
    big = [HEADER] + [[2025 * 100 + m, "5010", "Lön", 1000 + k] for m in (1, 2, 4, 5) for k in range(100)]
    budget = [BUDGET[0], ["Löner", None, "Kostnad", 1_000_000, "5010"]]
    assert slugs_of(run(budget, big, period=5)) == ["tomma-manader"]
    assert warnings(run(BUDGET, ledger([1, 2, 4, 5]), period=5)) == []  # 13 rows a month: one gap may be normal


def test_a_sparse_unit_may_have_empty_months():
    """The DOMAIN example: rows in March, June and August only."""
    sparse = [HEADER, [202503, "5011", "Arvode", 31200], [202506, "4010", "Workshop", 85500],
              [202508, "3010", "Avgift", -70000]]
    budget = [["Rad", "Typ", "Budget", "Konto"], ["Arvoden", None, 60000, "5011"], ["Utveckling", None, 240000, "4*"],
              ["Avgifter", "Intäkt", 120000, "3010"]]
    assert warnings(run(budget, sparse, period=8)) == []
    assert warnings(run(budget, sparse[:3], period=8)) == []  # a gap of two months, no longer than the one before
    assert slugs_of(run(budget, sparse, period=12)) == ["period-efter-utfall"]  # four months without rows


# -- 5. a negative budget on a cost line --------------------------------------------------------------------------


def test_a_cost_line_with_a_negative_budget_and_costs_warns():
    budget = [row[:] for row in BUDGET]
    budget[7][3] = -120_000
    report = run(budget, ledger(), period=8)
    assert [(f.slug, f.where, f.message) for f in report.findings if f.severity == "varning"] == [(
        "negativ-kostnadsbudget", "Budget!D8",
        "kostnadsraden \"Lokaler\" har budgeten -120 000,00 kr men utfallet är kostnader (80 000,00 kr); kostnader "
        "anges som positiva belopp — ska budgeten vara 120 000,00 kr, eller är raden en intäkt (Typ Intäkt)?")]


def test_a_negative_cost_budget_that_books_credits_is_consistent():
    budget = [*BUDGET, ["Lönebidrag", "Personal", None, -50_000, "5990"]]
    credits = [[202500 + m, "5990", "Lönebidrag", -4_000] for m in range(1, 9)]
    assert warnings(run(budget, ledger(extra=credits), period=8)) == []
    assert warnings(run(budget, ledger(), period=8)) == []  # no rows on it yet


def test_a_negative_income_budget_is_read_as_income():
    budget = [row[:] for row in BUDGET]
    budget[2][3] = -240_000
    report = run(budget, ledger(), period=8)
    assert warnings(report) == [] and "negativ-intaktsbudget" in slugs_of(report, "info")


# -- 6. patterns with spaces or other separators ------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["6990 7010", "6990/7010", "6990|7010", "6990 & 7010", "6990 + 7010"])
def test_a_list_typed_with_other_separators_warns_when_it_matches_nothing(typed):
    budget = [row[:] for row in BUDGET]
    budget[8][4] = typed
    report = run(budget, ledger(), period=8)
    assert [(f.slug, f.where, f.message) for f in report.findings if f.severity == "varning"] == [(
        "monster-avgransare", "Budget!E9",
        f"mönstret \"{typed}\" (Konto) på raden \"Övrigt\" matchar ingen kod i huvudboken; en lista skrivs med "
        "komma och ett intervall med bindestreck — menade du \"6990, 7010\"?")]


def test_codes_with_spaces_that_are_in_the_ledger_are_no_warning():
    budget = [["Rad", "Typ", "Budget", "Konto", "Projekt"], ["Seniorer", "Kostnad", 1000, "7*", "Mötesplats äldre"],
              ["Kod", "Kostnad", 1000, "6*", "12 34"]]
    rows = [["Period", "Konto", "Projekt", "Belopp"], [202501, "7010", "Mötesplats äldre", 100],
            [202501, "6010", "12 34", 100]]
    assert warnings(run(budget, rows, period=1)) == []


def test_a_range_with_spaces_is_a_range():
    budget = [row[:] for row in BUDGET]
    budget[8][4] = "6990 - 7010"
    assert warnings(run(budget, ledger(), period=8)) == []


# -- 7. the same rows in two export files -------------------------------------------------------------------------


def files(*ledgers: list[list]):
    parts = [read_ledger(grid("Utfall", rows, file=f"v{k}.csv", is_csv=True), 2025) for k, rows in enumerate(ledgers)]
    return concat(parts, "export", "export"), [p.file for p in parts]


def test_a_month_in_two_files_is_a_warning_naming_the_month():
    ledger_, names = files(ledger([7, 8]), ledger([8, 9]))
    assert [(f.slug, f.severity, f.where) for f in duplicates(ledger_, names)] == [("dubbla-rader", "varning", "v1.csv")]
    assert duplicates(ledger_, names)[0].message.startswith(
        "augusti 2025 finns i både v0.csv och v1.csv: 13 rader i v1.csv finns också i v0.csv (samma period, belopp "
        "och koder; ")


def test_a_few_equal_rows_in_weekly_exports_are_a_note():
    """Two weekly exports of August: the rent and a travel claim recur with the same amount."""
    week1 = [HEADER, [202508, "6110", "Hyra", 10_000], [202508, "7010", "Resa", 2_450], [202508, "5010", "Lön", 11_000],
             [202508, "6990", "Material", 1_234]]
    week2 = [HEADER, [202508, "7010", "Resa", 2_450], [202508, "5010", "Lön", 12_000], [202508, "6990", "Kontor", 880],
             [202508, "5610", "Avgift", 3_500]]
    ledger_, names = files(week1, week2)
    assert [(f.slug, f.severity, f.message) for f in duplicates(ledger_, names)] == [(
        "dubbla-rader", "info",
        "1 rad i v1.csv är lika med rader i v0.csv (samma period, belopp och koder; period 2025-08; 2 450,00 kr), men "
        "månaden finns inte i sin helhet i båda filerna: olika transaktioner med samma belopp, eller exporter som "
        "överlappar några dagar? Raderna räknas med")]
    # August twice and July's rows coincide once: one warning (August), one note (July)
    july = [[202507, "6110", "Hyra", 10_000], [202507, "5010", "Lön", 1], [202507, "5010", "Lön", 2]]
    twice, names = files(ledger([8]) + july, ledger([8]) + july[:1] + [[202507, "5010", "Lön", 3],
                                                                        [202507, "5010", "Lön", 4]])
    assert [(f.severity, f.message[:25]) for f in duplicates(twice, names)] == [
        ("varning", "augusti 2025 finns i både"), ("info", "1 rad i v1.csv är lika me")]


# -- 8. Ej budgeterat ---------------------------------------------------------------------------------------------


def test_a_few_kronor_of_ej_budgeterat_is_a_note():
    stray = [[202505, "7990", "Öresavrundning", 0.37], [202506, "8410", "Ränta", 512]]
    report = run(BUDGET, ledger(extra=stray), period=8)
    assert [(f.slug, f.severity) for f in report.findings if f.slug == "ej-budgeterat"] == [("ej-budgeterat", "info")]
    assert warnings(report) == []


def test_a_konto_list_typed_wrong_makes_ej_budgeterat_a_warning():
    budget = [row[:] for row in BUDGET]
    budget[7][4] = "6100"  # Lokaler: a typo for 6110 moves the rent to Ej budgeterat
    report = run(budget, ledger(), period=8)
    assert [(f.slug, f.severity, f.message) for f in report.findings if f.slug == "ej-budgeterat"] == [(
        "ej-budgeterat", "varning",
        "8 huvudboksrader (80 000,00 kr) matchar ingen budgetrad och redovisas som Ej budgeterat — 9 % av allt "
        "utfall, mest Konto 6110 (80 000,00 kr); saknas en budgetrad, eller stämmer inte mönstren på Budget?")]


def test_the_ej_budgeterat_threshold_is_five_percent_and_a_thousand_kronor():
    total = sum(abs(r[-1]) for r in ledger()[1:])
    below = round(total * 0.049 / 0.951)  # 4.9 % of all utfall
    above = round(total * 0.051 / 0.949)
    for amount, severity in ((below, "info"), (above, "varning")):
        report = run(BUDGET, ledger(extra=[[202508, "8410", "Ränta", amount]]), period=8)
        assert [f.severity for f in report.findings if f.slug == "ej-budgeterat"] == [severity], amount
    tiny = [HEADER, [202501, "5010", "Lön", 1_000], [202501, "8410", "Ränta", 999]]
    assert [f.severity for f in run(BUDGET, tiny, period=1).findings if f.slug == "ej-budgeterat"] == ["info"]


# -- 9. every finding's severity is explicit, every slug registered -----------------------------------------------


def finding_calls():
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
                yield path.relative_to(ROOT), node


def test_every_finding_passes_its_severity_and_has_a_registered_slug():
    calls = list(finding_calls())
    assert len(calls) > 20
    for path, call in calls:
        severity = call.args[3] if len(call.args) > 3 else next((k.value for k in call.keywords
                                                                  if k.arg == "severity"), None)
        assert severity is not None, f"{path}:{call.lineno}: Finding without a severity"
        if isinstance(severity, ast.Constant):
            assert severity.value in ("varning", "info"), f"{path}:{call.lineno}"
        slug = call.args[0]
        if isinstance(slug, ast.Constant):
            assert slug.value in SLUGS, f"{path}:{call.lineno}: {slug.value} is not in findings.SLUGS"
    assert Finding("x", "y", "z", "info").as_dict()["severity"] == "info"


@pytest.mark.parametrize("name, message", [
    ("Perod", "okänd inställning \"Perod\" — menade du \"Period\"?"),
    ("Belopp", "okänd inställning \"Belopp\" — menade du \"Belopp i\"?"),
    ("Kontaktperson", None),
])
def test_an_unknown_setting_stops_when_it_is_a_near_miss_and_is_noted_otherwise(name, message):
    """A near miss leaves the setting meant unapplied (test_input_rules has the command line's line)."""
    from toolkit.read.settings import read_settings

    rows = [["Inställning", "Värde"], [name, 8]]
    if message is not None:
        with pytest.raises(InputError) as info:
            read_settings(grid("Inställningar", rows), "Test")
        assert (info.value.where, info.value.message) == ("Inställningar!A2", message)
        return
    _, findings = read_settings(grid("Inställningar", rows), "Test")
    assert [(f.slug, f.severity, f.where, f.message) for f in findings] == [
        ("okand-installning", "info", "Inställningar!A2", 'inställningen "Kontaktperson" är okänd och används inte')]


# -- through the command line, on workbooks written here ----------------------------------------------------------


SETTINGS = [["Inställning", "Värde"], ["Enhet", "Prov"], ["År", 2025], ["Period", 8], ["Belopp i", "kr"]]


def workbook(path: Path, *, settings=SETTINGS, budget=BUDGET, rows=None) -> Path:
    return write_workbook(path, {"Inställningar": settings, "Budget": budget,
                                 "Utfall": rows if rows is not None else ledger()})


def cli_warnings(path: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, [str(path), "--check", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [{k: f[k] for k in ("slug", "where", "message")} for f in json.loads(result.stdout)["findings"]
            if f["severity"] == "varning"]


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_the_normal_unit_has_no_warning(here):
    assert cli_warnings(workbook(here / "Prov.xlsx")) == []


def test_cli_a_wrong_year_names_the_setting_or_the_option(here):
    settings = [row[:] for row in SETTINGS]
    settings[2][1] = 2021
    path = workbook(here / "Prov.xlsx", settings=settings, rows=ledger(year=2022))
    assert cli_warnings(path) == [{
        "slug": "inga-rader-for-aret", "where": "Inställningar!B3",
        "message": "huvudboken har inga rader för 2021 men 104 rader för 2022, så allt utfall är 0; stämmer År på "
                   "bladet Inställningar?"}]
    path = workbook(here / "Prov2.xlsx")
    assert cli_warnings(path, "--period", "2024-08") == [{
        "slug": "inga-rader-for-aret", "where": "--period",
        "message": "huvudboken har inga rader för 2024 men 104 rader för 2025, så allt utfall är 0; stämmer året i "
                   "--period?"}]


def test_cli_a_budget_in_tkr_names_belopp_i(here):
    path = workbook(here / "Prov.xlsx", budget=tkr_budget())
    assert [(w["slug"], w["where"]) for w in cli_warnings(path)] == [("storleksordning", "Inställningar!B5")]
    path = workbook(here / "Utan.xlsx", budget=tkr_budget(), settings=SETTINGS[:4])
    assert [(w["slug"], w["where"]) for w in cli_warnings(path)] == [("storleksordning", "Budget")]


def test_cli_a_reversed_ledger(here):
    path = workbook(here / "Prov.xlsx", rows=ledger(flip=True))
    assert [(w["slug"], w["where"]) for w in cli_warnings(path)] == [("omvant-tecken", "Utfall")]


def test_cli_a_ledger_that_stops_in_may(here):
    path = workbook(here / "Prov.xlsx", rows=ledger(range(1, 6)))
    assert cli_warnings(path) == [{
        "slug": "period-efter-utfall", "where": "Inställningar!B4",
        "message": "bokslutsperioden är 8 (augusti) men huvudboken har inga rader för juni, juli och augusti 2025; "
                   "saknas den senaste exporten, eller ska perioden vara 5?"}]
    assert [w["where"] for w in cli_warnings(path, "--period", "7")] == ["--period"]
    assert cli_warnings(path, "--period", "5") == []


def test_cli_months_left_out_of_several_exports(here):
    path = workbook(here / "Prov.xlsx", settings=SETTINGS[:3], rows=[HEADER])
    for month in (1, 2, 5, 6):
        text = "\r\n".join(";".join(str(v) for v in row) for row in [HEADER, *month_rows(2025, month)])
        (here / f"2025-{month:02d}.csv").write_text(text + "\r\n", encoding="utf-8")
    assert cli_warnings(path, "--utfall", "2025-*.csv") == [{
        "slug": "tomma-manader", "where": "2025-01.csv, 2025-02.csv, 2025-05.csv, 2025-06.csv",
        "message": "huvudboken har inga rader för mars och april 2025 men i median 13 rader de andra månaderna; "
                   "saknas en exportfil?"}]


def test_cli_a_negative_cost_budget_and_a_list_typed_with_spaces(here):
    budget = [row[:] for row in BUDGET]
    budget[7][3] = -120_000
    budget[8][4] = "6990 7010"
    path = workbook(here / "Prov.xlsx", budget=budget)
    assert [(w["slug"], w["where"]) for w in cli_warnings(path)] == [
        ("negativ-kostnadsbudget", "Budget!D8"), ("monster-avgransare", "Budget!E9")]


@pytest.mark.parametrize("typed, message", [
    ("40-", "\"40-\" är inget intervall: skriv början och slut med ett bindestreck emellan, t.ex. 4000-4999"),
    ("-40", "\"-40\" är inget intervall: skriv början och slut med ett bindestreck emellan, t.ex. 4000-4999"),
    ("**", "\"**\" är inget mönster: * står bara sist i ett prefix (40*) eller ensam (*); menade du \"*\"?"),
    ("4*0", "\"4*0\" är inget mönster: * står bara sist i ett prefix (40*) eller ensam (*)"),
    ("40*-49*", "\"40*-49*\" är inget mönster: ett intervall har inga *; skriv t.ex. 4000-4999"),
    ("4[01]*", "\"4[01]*\" är inget mönster: [ ] används inte; skriv ett intervall (4000-4999), en lista (4010, "
               "4020) eller ett prefix (40*)"),
    ("40* 50*", "\"40* 50*\" är inget mönster: * står bara sist i ett prefix (40*) eller ensam (*); menade du "
                "\"40*, 50*\"?"),
])
def test_cli_a_malformed_pattern_stops_the_run_naming_the_cell(here, typed, message):
    budget = [row[:] for row in BUDGET]
    budget[8][4] = typed
    path = workbook(here / "Prov.xlsx", budget=budget)
    before, listing = path.read_bytes(), sorted(p.name for p in here.iterdir())
    result = CliRunner().invoke(main, ["Prov.xlsx"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Prov.xlsx: Budget!E9: {message}\n"
    assert path.read_bytes() == before and sorted(p.name for p in here.iterdir()) == listing


def test_cli_august_exported_twice(here):
    path = workbook(here / "Prov.xlsx", settings=SETTINGS[:3], rows=[HEADER])
    for name, months in (("jan-aug.csv", range(1, 9)), ("aug.csv", [8])):
        text = "\r\n".join(";".join(str(v) for v in row) for row in ledger(months))
        (here / name).write_text(text + "\r\n", encoding="utf-8")
    found = cli_warnings(path, "--utfall", "jan-aug.csv", "--utfall", "aug.csv")
    assert [(w["slug"], w["where"]) for w in found] == [("dubbla-rader", "aug.csv")]
    assert found[0]["message"].startswith("augusti 2025 finns i både jan-aug.csv och aug.csv: 13 rader")


# -- calibration: no warning on the examples and the test workbooks -----------------------------------------------


@pytest.mark.parametrize("name", ["Halmstad", "Navet"])
@pytest.mark.parametrize("period", [None, "1", "3", "6"])
def test_the_examples_have_no_warning(tmp_path, name, period):
    path = tmp_path / f"{name}.xlsx"
    shutil.copy(example(f"{name}.xlsx"), path)
    assert cli_warnings(path, *(["--period", period] if period else [])) == []


def test_the_small_test_workbook_has_no_warning(tmp_path):
    assert cli_warnings(small_workbook(tmp_path / "Test.xlsx")) == []


def test_the_consolidation_units_have_no_warning(tmp_path):
    from test_consolidate import UNITS, unit_sheets

    for spec in UNITS:
        for period in (1, 3, 8):
            path = write_workbook(tmp_path / f"{period}-{spec.file}", unit_sheets(spec, period=period))
            assert cli_warnings(path) == [], (spec.name, period)


def test_the_corpus_inputs_have_no_warning(tmp_path):
    from test_package_corpus import BUDGET as CORPUS_BUDGET
    from test_package_corpus import KEYS, LEDGER
    from test_package_corpus import SETTINGS as CORPUS_SETTINGS

    budget = write_workbook(tmp_path / "budget.xlsx", {"Inställningar": CORPUS_SETTINGS, "Budget": CORPUS_BUDGET,
                                                       "Periodisering": KEYS})
    ledger_ = write_workbook(tmp_path / "ledger.xlsx", {"Utfall": LEDGER})
    book = write_workbook(tmp_path / "Bok.xlsx", {"Blad1": [["x"]]})
    assert cli_warnings(book, "--budget", str(budget), "--utfall", str(ledger_)) == []


@pytest.mark.parametrize("period", [None, "1", "2", "5"])
def test_the_benchmark_ledger_has_no_warning(tmp_path, period):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = tmp_path / "bench.xlsx"
    generate.write(path, 3000)
    assert cli_warnings(path, *(["--period", period] if period else [])) == []


# -- a Typ against the line's accounts (typ-mot-konto) -----------------------------------------------------------

TYPED = [["Rad", "Överordnad", "Typ", "Budget", "Konto"],
         ["Intäkter", None, "Kostnad", None, None],
         ["Avgifter", "Intäkter", None, 120_000, "3010"],
         ["Bidrag", "Intäkter", None, 60_000, "30*"],
         ["Lokaler", None, None, 100_000, "5010"]]
TYPED_LEDGER = [["Period", "Konto", "Belopp"], [202503, 3010, -70_000], [202504, 3020, -20_000.5],
                [202505, 5010, 40_000]]


def typ_findings(report) -> list[tuple[str, str]]:
    return [(f.where, f.message) for f in report.findings if f.slug == "typ-mot-konto"]


def test_a_heading_typed_kostnad_over_income_accounts_warns_once_at_its_typ_cell():
    report = run(TYPED, TYPED_LEDGER)
    assert typ_findings(report) == [(
        "Budget!C2", '"Intäkter" har Typ Kostnad, men raderna under den ("Avgifter" och "Bidrag") har bara '
        "intäktskonton (klass 3) och ett utfall som är intäkter (90 000,50 kr), som därför räknas med fel tecken; "
        "ska Typ vara Intäkt?")]
    assert all(f.severity == "varning" for f in report.findings if f.slug == "typ-mot-konto")


def test_a_line_typed_intakt_on_cost_accounts_with_costs_warns():
    budget = [["Rad", "Typ", "Budget", "Konto"], ["Lokaler", "Intäkt", 100_000, "5000-5999"]]
    report = run(budget, [["Period", "Konto", "Belopp"], [202503, 5010, 40_000]])
    assert typ_findings(report) == [(
        "Budget!B2", 'raden "Lokaler" har Typ Intäkt men bara kostnadskonton (klass 4–8) och ett utfall som är '
        "kostnader (40 000,00 kr), som därför räknas med fel tecken; ska Typ vara Kostnad?")]


@pytest.mark.parametrize("budget, ledger", [
    # the right Typ
    ([["Rad", "Typ", "Budget", "Konto"], ["Avgifter", "Intäkt", 100_000, "3010"]], [[202503, 3010, -5_000]]),
    # a cost line on class 3 that books costs (a refund): consistent with its Typ
    ([["Rad", "Typ", "Budget", "Konto"], ["Återbetalning", "Kostnad", 10_000, "3990"]], [[202503, 3990, 2_000]]),
    # no Typ typed: it comes from the accounts and cannot contradict them
    ([["Rad", "Budget", "Konto"], ["Avgifter", 100_000, "3010"]], [[202503, 3010, -5_000]]),
    # accounts of both kinds, or not known
    ([["Rad", "Typ", "Budget", "Konto"], ["Blandat", "Kostnad", 10_000, "3010, 5010"]], [[202503, 3010, -5_000]]),
    ([["Rad", "Typ", "Budget", "Konto"], ["Allt", "Kostnad", 10_000, "*"]], [[202503, 3010, -5_000]]),
])
def test_no_typ_warning_when_the_typ_fits_or_cannot_be_judged(budget, ledger):
    assert typ_findings(run(budget, [["Period", "Konto", "Belopp"], *ledger])) == []
