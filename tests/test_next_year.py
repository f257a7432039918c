"""``reconcile init NEXT.xlsx --fran THIS.xlsx``: next year's template carries
the budget tree, the keys, the settings (År + 1, Period cleared) and the
investment projects, their unspent budget proposed as ombudgetering."""

from __future__ import annotations

import datetime as dt

import openpyxl
from click.testing import CliRunner
from workbook_factory import write_workbook

from toolkit.cli import main
from toolkit.job import Job

BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Projekt", "Periodisering", "Uppdrag", "Prognos", "Kommentar",
     "Total budget", "Tidigare utfall"],
    ["Drift", None, "Kostnad", None, None, None, "Höst", "Verksamhet", None, None, None, None],
    ["Lokaler", "Drift", None, 120, "6*", None, None, None, 130, "Hyra höjd", None, None],
    ["Avgifter", None, "Intäkt", 60, "3*", None, "Linjär", "Avgifter", None, None, None, None],
    ["Ny förskola", None, "Investering", 400, "12*", "P1", None, None, None, None, 1000, 350],
    ["Ombyggnad kök", None, "Investering", 150, "12*", "P2", None, None, None, None, 200, 0],
]
LEDGER = [["Period", "Konto", "Projekt", "Belopp"],
          [202503, 6110, "", 10_000], [202505, 3010, "", -30_000],
          [202504, 1210, "P1", 120_000.50], [202511, 1210, "P1", 80_000], [202506, 1219, "P2", 190_000]]
KEYS = [["Nyckel", "Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"],
        ["Höst", 1, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 1]]
SETTINGS = [["Inställning", "Värde"], ["Enhet", "Förvaltning X"], ["År", 2025], ["Period", 12],
            ["Belopp i", "tkr"], ["Prognosmetod", "rest"]]


def this_year(tmp_path):
    return write_workbook(tmp_path / "X-2025.xlsx", {"Inställningar": SETTINGS, "Budget": BUDGET, "Utfall": LEDGER,
                                                     "Periodisering": KEYS})


def rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return [{h: v for h, v in zip(header, row) if h is not None and v is not None} for row in values[1:]
            if any(v is not None for v in row)]


def test_init_fran_carries_the_tree_keys_settings_and_investments(tmp_path):
    source = this_year(tmp_path)
    target = tmp_path / "X-2026.xlsx"
    result = CliRunner().invoke(main, ["init", str(target), "--fran", str(source)])
    assert result.exit_code == 0, result.output
    assert result.output == (f"{target}: mall för 2026 skapad från {source} · 1 ombudgetering föreslagen på "
                             f"Budgetändringar · fyll i Budget och Utfall och kör reconcile {target}\n")
    book = openpyxl.load_workbook(target)
    settings = {r["Inställning"]: r.get("Värde") for r in rows(book["Inställningar"])}
    assert settings["År"] == 2026 and settings["Period"] is None
    assert settings["Enhet"] == "Förvaltning X" and settings["Belopp i"] == "tkr"
    assert settings["Prognosmetod"] == "rest"
    budget = rows(book["Budget"])
    assert [r["Rad"] for r in budget] == ["Drift", "Lokaler", "Avgifter", "Ny förskola", "Ombyggnad kök"]
    assert budget[0] == {"Rad": "Drift", "Typ": "Kostnad", "Periodisering": "Höst", "Uppdrag": "Verksamhet"}
    assert budget[1] == {"Rad": "Lokaler", "Överordnad": "Drift", "Budget": 120, "Konto": "6*"}  # no Prognos
    assert budget[3] == {"Rad": "Ny förskola", "Typ": "Investering", "Konto": "12*", "Projekt": "P1",
                         "Total budget": 1000, "Tidigare utfall": 350 + 200.0005}  # 350 tkr + 200 000,50 kr
    assert budget[4] == {"Rad": "Ombyggnad kök", "Typ": "Investering", "Konto": "12*", "Projekt": "P2",
                         "Total budget": 200, "Tidigare utfall": 190}
    keys = rows(book["Periodisering"])
    assert keys == [dict(zip(KEYS[0], KEYS[1]))]
    changes = rows(book["Budgetändringar"])
    comment = "Ej förbrukad investeringsbudget 2025 (förslag; fyll i Beslut när nämnden beslutat)"
    # Ombyggnad kök spent more than its budget (190 of 150 tkr): nothing to carry
    assert changes == [{"Datum": dt.datetime(2026, 1, 1), "Rad": "Ny förskola", "Belopp": 400 - 200.0005,
                        "Typ": "Ombudgetering", "Kommentar": comment}]


def test_next_years_workbook_reconciles_with_the_carried_investments(tmp_path):
    target = tmp_path / "X-2026.xlsx"
    assert CliRunner().invoke(main, ["init", str(target), "--fran", str(this_year(tmp_path))]).exit_code == 0
    report = Job(target, period="2026-01", backup=None).reconcile()  # the ombudgetering counts from January
    assert (report.year, report.period) == (2026, 1)
    school = next(p for p in report.investments if p.label == "Ny förskola")
    assert (school.prior, school.original_budget, school.budget) == (550_000_50, 0, 199_999_50)
    assert school.forecast_total == school.total_budget == 1_000_000_00  # the approved total still holds


def test_init_fran_stops_on_a_missing_or_unreadable_workbook(tmp_path):
    target = tmp_path / "X-2026.xlsx"
    missing = tmp_path / "Saknas.xlsx"
    result = CliRunner().invoke(main, ["init", str(target), "--fran", str(missing)])
    assert (result.exit_code, result.output) == (
        1, f"{missing}: filen finns inte; ange årets arbetsbok, den som nästa års mall görs från\n")
    broken = tmp_path / "Trasig.xlsx"
    broken.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["init", str(target), "--fran", str(broken)])
    assert (result.exit_code, result.output) == (
        1, f"{broken}: filen är inte en .xlsx-arbetsbok (inte ett zip-paket); spara den som .xlsx i Excel och kör igen\n")
    assert not target.exists()


def test_init_fran_never_overwrites(tmp_path):
    source = this_year(tmp_path)
    before = source.read_bytes()
    result = CliRunner().invoke(main, ["init", str(source), "--fran", str(source)])
    assert (result.exit_code, result.output) == (1, f"{source}: filen finns redan; välj ett annat namn\n")
    assert source.read_bytes() == before
