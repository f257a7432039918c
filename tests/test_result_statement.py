"""Resultaträkning as the report's result section: Ackumulerad budgetavvikelse (4.2),
Resultaträkning per uppdrag (4.2.1) and Prognos (4.3), each under its own heading,
in the report's signs."""

from __future__ import annotations

import io

import openpyxl
import pytest
from builders import run

from toolkit.render import render

BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Uppdrag", "Prognos"],
    ["Avgifter", None, "Intäkt", 120000, "3010", "Café", None],
    ["Personal", None, "Kostnad", 600000, "5*", "Drift", 580000],
    ["Varor", None, "Kostnad", 60000, "4*", "Café", None],
]
LEDGER = [
    ["Period", "Konto", "Belopp"],
    [202503, "3010", -70000],
    [202504, "5011", 390000],
    [202505, "4010", 52000],
]


def sheet(report, data_only=True):
    book = openpyxl.load_workbook(io.BytesIO(render(report)), data_only=data_only)
    return book["Resultaträkning"]


def rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def table(found: list[tuple], heading: str) -> list[tuple]:
    """The rows of the table under ``heading``: its headings row, then its rows up to a blank one."""
    start = next(i for i, r in enumerate(found) if r[0] == heading)
    out = []
    for r in found[start + 1:]:
        if r[0] is None:
            break
        out.append(r)
    return out


def rounded(row: tuple) -> tuple:
    return tuple(round(v, 6) if isinstance(v, float) else v for v in row)


def test_three_tables_under_their_headings_in_the_reports_order_and_signs():
    found = rows(sheet(run(BUDGET, LEDGER)))
    assert found[0][0] == "Test — Resultaträkning jan–aug 2025"
    headings = [r[0] for r in found if r[0] and r[0].endswith(("2025",)) and r[1] is None]
    assert headings[1:] == ["Ackumulerad budgetavvikelse jan–aug 2025", "Resultaträkning per uppdrag jan–aug 2025",
                            "Prognos för helåret 2025"]

    accumulated = table(found, "Ackumulerad budgetavvikelse jan–aug 2025")
    assert accumulated[0][:4] == ("Indikator", "Ack resultat\njan–aug 2025", "Ack budget\njan–aug 2025",
                                  "Ack avvikelse\njan–aug 2025")
    # result sign: income +, costs −; avvikelse = resultat − budget (positive = favourable)
    assert rounded(accumulated[1][:4]) == ("Ackumulerad budgetavvikelse", -372, -360, -12)

    statement = table(found, "Resultaträkning per uppdrag jan–aug 2025")
    assert statement[0] == ("Uppdrag", "Resultat\njan–aug 2025", "Budget\njan–aug 2025", "Budget\n2025",
                            "Prognos\n2025", "Prog. avvikelse\nmot budget 2025")
    # net cost (costs − income) shown positive; a group that earns more than it costs is negative
    assert [rounded(r) for r in statement[1:]] == [
        ("Café", -18, -40, -60, -60, 0),
        ("Drift", 390, 400, 600, 580, 20),
        ("Summa Tests verksamhet", 372, 360, 540, 520, 20),
    ]

    forecast = table(found, "Prognos för helåret 2025")
    assert forecast[0][:4] == ("Indikator", "Årsprognos\n2025", "Årsbudget\n2025", "Avvikelse\n2025")
    assert rounded(forecast[1][:4]) == ("Prognos budgetavvikelse", -520, -540, 20)


def test_the_indicator_rows_are_formulas_on_the_summa_row():
    """Excel recomputes the three tables alike: 4.2 and 4.3 turn the Summa row's sign."""
    ws = sheet(run(BUDGET, LEDGER), data_only=False)
    by_label = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    s = by_label["Summa Tests verksamhet"]
    first = by_label["Café"]
    assert [ws.cell(s, c).value for c in range(2, 7)] == [
        f"=SUM(B{first}:B{s - 1})", f"=SUM(C{first}:C{s - 1})", f"=SUM(D{first}:D{s - 1})",
        f"=SUM(E{first}:E{s - 1})", f"=D{s}-E{s}"]
    a = by_label["Ackumulerad budgetavvikelse"]
    assert [ws.cell(a, c).value for c in range(2, 5)] == [f"=-B{s}", f"=-C{s}", f"=B{a}-C{a}"]
    p = by_label["Prognos budgetavvikelse"]
    assert [ws.cell(p, c).value for c in range(2, 5)] == [f"=-E{s}", f"=-D{s}", f"=B{p}-C{p}"]
    d = by_label["Drift"]
    assert ws.cell(d, 6).value == f"=D{d}-E{d}"  # budget − prognos: positive when favourable


@pytest.mark.parametrize("period, ytd", [(1, "jan 2025"), (12, "jan–dec 2025")])
def test_the_period_stands_in_the_headings(period, ytd):
    found = rows(sheet(run(BUDGET, LEDGER, period=period)))
    statement = table(found, f"Resultaträkning per uppdrag {ytd}")
    assert statement[0][1:3] == (f"Resultat\n{ytd}", f"Budget\n{ytd}")
    assert table(found, f"Ackumulerad budgetavvikelse {ytd}")[0][1] == f"Ack resultat\n{ytd}"


def test_nothing_booked_yet_still_gives_the_tables():
    report = run(BUDGET, [["Period", "Konto", "Belopp"]], period=0)
    found = rows(sheet(report))
    assert found[0][0] == "Test — Resultaträkning 2025 (inget utfall ännu)"
    statement = table(found, "Resultaträkning per uppdrag 0 mån 2025")
    assert rounded(statement[-1]) == ("Summa Tests verksamhet", 0, 0, 540, 520, 20)
    assert rounded(table(found, "Prognos för helåret 2025")[1][:4]) == ("Prognos budgetavvikelse", -520, -540, 20)


def test_unbudgeted_rows_are_a_group_of_the_statement_and_in_its_summa():
    ledger = [*LEDGER, [202506, "7010", 3000]]
    statement = table(rows(sheet(run(BUDGET, ledger))), "Resultaträkning per uppdrag jan–aug 2025")
    assert [r[0] for r in statement[1:]] == ["Café", "Drift", "Ej budgeterat", "Summa Tests verksamhet"]
    assert rounded(statement[3]) == ("Ej budgeterat", 3, 0, 0, 3, -3)
    assert rounded(statement[4])[1] == 375
