"""Investment projects (Typ Investering): their figures, their absence from
every operating figure, and their rows tied out on Avstämning — on tiny
inline tables."""

from __future__ import annotations

import pytest
from builders import run, slugs

from toolkit.errors import InputError

BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Projekt", "Total budget", "Tidigare utfall", "Prognos",
     "Kommentar"],
    ["Drift", None, "Kostnad", None, None, None, None, None, None, None],
    ["Lokaler", "Drift", None, 120_000, "6*", None, None, None, None, None],
    ["Avgifter", None, "Intäkt", 60_000, "3*", None, None, None, None, None],
    ["Ny förskola", None, "Investering", 400_000, "12*", "P1", 1_000_000, 350_000, None, "Etapp 2"],
    ["Ombyggnad kök", None, "Investering", 150_000, "12*", "P2", 200_000, 0, 180_000, None],
]
LEDGER = [["Period", "Konto", "Projekt", "Belopp"],
          [202503, 6110, "", 10_000],
          [202505, 3010, "", -30_000],
          [202504, 1210, "P1", 120_000.25],
          [202507, 1210, "P1", 80_000],
          [202506, 1219, "P2", 90_000],
          [202510, 1210, "P1", 5_000]]  # after the closing period


def report(budget=BUDGET, ledger=LEDGER, changes=None):
    return run(budget, ledger, period=8, changes=changes)


def project(rep, label):
    return next(p for p in rep.investments if p.label == label)


def test_an_investment_projects_figures():
    rep = report()
    p = project(rep, "Ny förskola")
    assert (p.total_budget, p.prior, p.actual, p.budget) == (1_000_000_00, 350_000_00, 200_000_25, 400_000_00)
    assert p.accumulated == 550_000_25
    assert p.forecast == 400_000_00  # no Prognos of its own: this year's budget
    assert p.later_years == 250_000_00  # 1 000 000 − 350 000 − 400 000
    assert p.forecast_total == 1_000_000_00
    assert p.deviation_total == 0
    assert p.comment == "Etapp 2" and p.rows == 2
    q = project(rep, "Ombyggnad kök")
    assert q.actual == 90_000_00 and q.forecast == 180_000_00  # its own Prognos wins
    assert q.later_years == 50_000_00
    assert q.forecast_total == 230_000_00 and q.deviation_total == -30_000_00  # over the approved total


def test_investments_never_enter_the_operating_result():
    with_projects = report()
    without = report(budget=BUDGET[:4], ledger=[row for row in LEDGER if not str(row[1]).startswith("12")])
    assert with_projects.total == without.total  # Totalt: the operating lines only
    assert with_projects.unbudgeted is None  # the class-1 rows are the projects', not Ej budgeterat
    assert [r.label for r in with_projects.roots] == ["Drift", "Avgifter"]
    assert with_projects.assignments == without.assignments  # Resultaträkning
    assert "typ-mot-konto" not in slugs(with_projects)
    assert [f for f in with_projects.findings if f.severity == "varning"] == []


def test_the_tie_out_closes_with_the_investments():
    tie = report().tieout
    assert tie.sum_investments == 290_000_25 and tie.investment_rows == 3
    assert tie.sum_in_period == 10_000_00 - 30_000_00 + 290_000_25
    assert tie.rows_in_period == 5
    assert tie.difference == 0


def test_without_a_project_class_1_rows_are_ej_budgeterat_as_before():
    rep = report(budget=BUDGET[:4])
    assert rep.investments == ()
    assert rep.unbudgeted is not None and rep.tieout.sum_investments == 0 and rep.tieout.difference == 0


def test_a_budget_change_revises_this_years_investment_budget():
    rep = report(changes=[["Datum", "Rad", "Belopp", "Typ"], ["2025-01-01", "Ny förskola", 60_000, "Ombudgetering"]])
    p = project(rep, "Ny förskola")
    assert (p.original_budget, p.budget) == (400_000_00, 460_000_00)
    assert p.later_years == 190_000_00 and p.forecast_total == 1_000_000_00
    assert not rep.has_changes  # Sammanställning shows no Ursprunglig budget for a project's change


def test_a_blank_tidigare_utfall_is_the_ledgers_rows_of_earlier_years():
    budget = [BUDGET[0], ["Projekt X", None, "Investering", 50_000, "12*", "P1", 90_000, None, None, None]]
    ledger = [*LEDGER, [202411, 1210, "P1", 30_000], [202312, 1210, "P1", 10_000.5], [202412, 1210, "P2", 7]]
    rep = report(budget=budget, ledger=ledger)
    p = rep.investments[0]
    assert (p.prior, p.actual) == (40_000_50, 200_000_25)
    assert rep.tieout.difference == 0 and rep.tieout.sum_investments == 200_000_25  # the year's rows only
    typed = report(budget=[BUDGET[0], [*budget[1][:7], 0, None, None]], ledger=ledger).investments[0]
    assert typed.prior == 0  # a Tidigare utfall typed, 0 too, wins


def test_no_total_budget_leaves_the_deviation_blank():
    budget = [BUDGET[0], ["Projekt X", None, "Investering", 50_000, "12*", None, None, None, None, None]]
    p = report(budget=budget, ledger=LEDGER[:1] + LEDGER[3:4]).investments[0]
    assert p.total_budget is None and p.later_years == 0 and p.deviation_total is None
    assert p.forecast_total == 50_000_00


@pytest.mark.parametrize("rows, where, message", [
    ([["Ny förskola", "Drift", "Investering", 1, "12*", None, None, None, None, None]], "Budget!B3",
     '"Ny förskola" är en investering (Typ Investering) och följs upp för sig; lämna Överordnad tom'),
    ([["Ny förskola", None, "Investering", 1, "12*", None, None, None, None, None],
      ["Etapp 1", "Ny förskola", None, 1, "12*", None, None, None, None, None]], "Budget!B4",
     '"Ny förskola" är en investering (Typ Investering) och kan inte ha rader under sig; ge varje projekt en egen '
     'rad med Typ Investering'),
])
def test_an_investment_stands_alone(rows, where, message):
    with pytest.raises(InputError) as error:
        report(budget=[*BUDGET[:2], *rows])
    assert (error.value.where, error.value.message, error.value.slug) == (where, message, "investering-i-trad")


# -- written: the sheet Investeringar and the tie-out on Avstämning ------------------------------------------------

def written(tmp_path, budget=BUDGET):
    import openpyxl
    from workbook_factory import write_workbook

    from toolkit.job import Job

    path = write_workbook(tmp_path / "T.xlsx", {"Inställningar": [["Inställning", "Värde"], ["År", 2025],
                                                                   ["Period", 8], ["Visa i", "kr"]],
                                                "Budget": budget, "Utfall": LEDGER})
    Job(path, backup=None).run()
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def test_the_sheet_investeringar(tmp_path):
    book, values = written(tmp_path)
    ws, vs = book["Investeringar"], values["Investeringar"]
    assert [c.value for c in ws[4]] == ["Projekt", "Total budget", "Utfall tidigare år", "Utfall i år", "Ack utfall",
                                        "Budget i år", "Prognos i år", "Prognos total", "Avvikelse total", "Kommentar"]
    assert [c.value for c in vs[5]] == ["Ny förskola", 1_000_000, 350_000, 200_000.25, 550_000.25, 400_000, 400_000,
                                        1_000_000, 0, "Etapp 2"]
    assert [c.value for c in vs[6]] == ["Ombyggnad kök", 200_000, 0, 90_000, 90_000, 150_000, 180_000, 230_000,
                                        -30_000, None]
    assert [c.value for c in ws[5]][4:9:3] == ["=C5+D5", "=C5+G5+MAX(B5-C5-F5,0)"]
    assert ws["I5"].value == "=B5-H5"
    assert [c.value for c in vs[7]][:9] == ["Summa", 1_200_000, 350_000, 290_000.25, 640_000.25, 550_000, 580_000,
                                            1_230_000, -30_000]
    tie = {row[0]: row[1] for row in values["Avstämning"].iter_rows(values_only=True) if row[0]}
    assert tie["Σ Investeringar"] == 290_000.25 and tie["Differens (ska vara 0,00)"] == 0
    assert tie["Investeringar › Ny förskola"] == 200_000.25
    assert book["Avstämning"].cell(
        row=[r[0].value for r in book["Avstämning"].iter_rows()].index("Differens (ska vara 0,00)") + 1,
        column=2).value.startswith("=ROUND(")
    assert "Ny förskola" not in [row[0] for row in values["Sammanställning"].iter_rows(values_only=True)]


def test_no_sheet_investeringar_without_projects(tmp_path):
    book, _ = written(tmp_path, budget=BUDGET[:4])
    assert "Investeringar" not in book.sheetnames


def test_projects_removed_after_a_run_the_sheet_keeps_no_figures_and_says_why(tmp_path):
    """The economist deletes the last investment line: our earlier Investeringar is
    emptied, saying why, never left with last month's figures."""
    import openpyxl

    from toolkit.job import Job

    written(tmp_path)
    path = tmp_path / "T.xlsx"
    book = openpyxl.load_workbook(path)  # stands in for the economist's Excel
    budget = book["Budget"]
    for row in range(budget.max_row, 1, -1):
        if budget.cell(row, 3).value == "Investering":
            budget.delete_rows(row)
    book.save(path)
    Job(path, backup=None).run()
    rows = [r for r in openpyxl.load_workbook(path)["Investeringar"].iter_rows(values_only=True)
            if any(v is not None for v in r)]
    assert rows == [("T — Investeringar jan–aug 2025",),
                    ("Bladet uppdateras inte längre: bladet Budget har inga rader med Typ Investering, så projekten "
                     "som stod här har tagits bort. Ta bort bladet om det inte behövs.",)]


# -- SIE: the balance accounts' #TRANS, for the projects only ---------------------------------------------------------

SIE = """#FLAGGA 0
#SIETYP 4
#RAR 0 20250101 20251231
#DIM 6 "Projekt"
#KONTO 1210 "Maskiner"
#KONTO 2440 "Leverantorsskulder"
#KONTO 6110 "Hyra"
#KONTO 3010 "Avgifter"
#VER A 1 20250315 ""
{
#TRANS 6110 {} 10000.00
#TRANS 2440 {} -10000.00
}
#VER A 2 20250410 ""
{
#TRANS 1210 {6 "P1"} 120000.25
#TRANS 2440 {} -120000.25
}
#VER A 3 20250505 ""
{
#TRANS 3010 {} -30000.00
#TRANS 1930 {} 30000.00
}
"""


def from_sie(tmp_path, budget):
    from workbook_factory import write_workbook

    from toolkit.job import reconcile_inputs
    from toolkit.read.inputs import read_inputs

    sie = tmp_path / "export.se"
    sie.write_text(SIE, encoding="cp437")
    path = write_workbook(tmp_path / "T.xlsx", {"Inställningar": [["Inställning", "Värde"], ["År", 2025],
                                                                   ["Period", 5]], "Budget": budget})
    return reconcile_inputs(read_inputs(path, utfall=[sie]))


def test_sie_balance_accounts_are_read_for_the_projects_only(tmp_path):
    rep = from_sie(tmp_path, BUDGET)
    school = project(rep, "Ny förskola")
    assert (school.actual, school.rows) == (120_000_25, 1)
    assert rep.unbudgeted is None  # 2440 and 1930 (no project's) are left out as before
    tie = rep.tieout
    assert (tie.rows_read, tie.rows_in_period, tie.sum_in_period) == (3, 3, 100_000_25)
    assert tie.sum_investments == 120_000_25 and tie.difference == 0
    assert "kontotyp" not in tie.dimensions
    assert [f.slug for f in rep.findings if f.severity == "varning"] == []


def test_sie_without_projects_reads_no_balance_account(tmp_path):
    rep = from_sie(tmp_path, BUDGET[:4])
    assert rep.tieout.rows_read == 2 and rep.unbudgeted is None and rep.tieout.difference == 0
