"""A consolidation's Fjolår: when every unit has last year's utfall (the
rows of År − 1 in its ledger, or Fjolårsfil), Sammanställning's Fjolår
column is the units' Fjolår added up by line path and Avstämning ties each
unit's last year out; when only some have it, no column and an info finding
naming the units without."""

from __future__ import annotations

from decimal import Decimal

from click.testing import CliRunner
from workbook_factory import write_workbook
from written import sheet_rows

from toolkit.cli import main
from toolkit.contract import CONSOLIDATION_SHEETS

WRITTEN = f"{len(CONSOLIDATION_SHEETS)} blad skrivna"
HEADING = "Fjolår\njan–aug 2024"
BUDGET_HEADER = ["Rad", "Överordnad", "Typ", "Budget", "Konto"]
ALFA_BUDGET = [BUDGET_HEADER, ["Drift", None, "Kostnad", None, None], ["Lokaler", "Drift", None, 120_000, "6*"],
               ["Material", "Drift", None, 40_000, "4*"], ["Avgifter", None, "Intäkt", 60_000, "3*"]]
BETA_BUDGET = [BUDGET_HEADER, ["Drift", None, "Kostnad", None, None], ["Lokaler", "Drift", None, 90_000, "6*"],
               ["Resor", "Drift", None, 15_000, "7*"], ["Avgifter", None, "Intäkt", 20_000, "3*"]]
THIS_YEAR = [[202501, 6110, 9_000], [202505, 3010, -12_000], [202508, 6110, 9_000]]
ALFA_2025 = [*THIS_YEAR, [202503, 4010, 2_500.25]]
BETA_2025 = [*THIS_YEAR, [202506, 7010, 1_200.50]]
#: Alfa's last year: rows of 2024 in its own ledger (an account no line has: Ej budgeterat; October: after P)
ALFA_2024 = [[202401, 6110, 8_500.10], [202402, 4010, 1_999.99], [202404, 3010, -10_000.05], [202406, 8999, 333.33],
             [202408, 6110, 8_500], [202410, 6110, 4_000]]
#: Beta's: a file of its own (Fjolårsfil), with Resor, a line Alfa lacks
BETA_2024 = "Period;Konto;Belopp\r\n202401;6110;7000,00\r\n202403;7010;850,45\r\n202405;3010;-4000,20\r\n" \
            "202408;6110;7000,00\r\n202411;7010;99,00\r\n"


def cli(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def settings(name: str, *extra) -> list[list]:
    return [["Inställning", "Värde"], ["Enhet", name], ["År", 2025], ["Period", 8], ["Visa i", "kr"], *extra]


def alfa(path, last_year: bool = True):
    ledger = [["Period", "Konto", "Belopp"], *ALFA_2025, *(ALFA_2024 if last_year else [])]
    return write_workbook(path, {"Inställningar": settings("Alfa"), "Budget": ALFA_BUDGET, "Utfall": ledger})


def beta(path, last_year: bool = True):
    extra = []
    if last_year:
        (path.parent / "fjol.csv").write_bytes(BETA_2024.encode("cp1252"))
        extra = [["Fjolårsfil", "fjol.csv"]]
    ledger = [["Period", "Konto", "Belopp"], *BETA_2025]
    return write_workbook(path, {"Inställningar": settings("Beta", *extra), "Budget": BETA_BUDGET, "Utfall": ledger})


def fjolar(path) -> dict[str, Decimal]:
    """Sammanställning's Fjolår column by row label (None: the sheet has no such column)."""
    rows = sheet_rows(path, "Sammanställning")
    head = next(i for i, row in enumerate(rows) if row[0] == "Rad")
    if HEADING not in rows[head]:
        assert not any(str(v).startswith("Fjolår") for v in rows[head] if v)
        return None
    c = rows[head].index(HEADING)
    return {row[0]: Decimal(str(row[c])) for row in rows[head + 1:] if row[0] and row[c] is not None}


def test_the_fjolar_column_is_the_units_added_by_line(tmp_path):
    a, b = alfa(tmp_path / "Alfa.xlsx"), beta(tmp_path / "Beta.xlsx")
    out = tmp_path / "Förbund.xlsx"
    line = cli("consolidate", a, b, "--output", out, "--name", "Förbund")
    assert line.endswith(f" · {WRITTEN}\n") and "varning" not in line
    own = {}
    for path in (a, b):
        copy = tmp_path / f"egen-{path.name}"
        cli(path, "--output", copy)
        own[path.stem] = fjolar(copy)
    merged = fjolar(out)
    assert set(merged) == set(own["Alfa"]) | set(own["Beta"])
    for label, value in merged.items():
        assert value == sum(units[label] for units in own.values() if label in units), label
    # the figures as the ledgers give them (kr, the line's sign): Lokaler 8 500,10 + 8 500 + 7 000 + 7 000
    assert merged["Lokaler"] == Decimal("31000.1")
    assert merged["Material"] == Decimal("1999.99") and merged["Resor"] == Decimal("850.45")
    assert merged["Avgifter"] == Decimal("14000.25")
    assert merged["Ej budgeterat"] == Decimal("333.33")
    assert merged["Totalt"] == Decimal("31000.1") + Decimal("1999.99") + Decimal("850.45") + Decimal("333.33") \
        - Decimal("14000.25")

    tie = sheet_rows(out, "Avstämning")
    start = next(i for i, r in enumerate(tie) if r[0] == "Enheternas fjolår 2024")
    assert tie[start + 1][:6] == ("Enhet", "Källa", "Σ huvudbok jan–aug 2024", "Σ över budgetraderna",
                                  "Σ Ej budgeterat", "Differens (ska vara 0,00)")
    alfa_lines = Decimal("8500.10") + Decimal("1999.99") - Decimal("10000.05") + Decimal("8500")
    beta_lines = Decimal("7000") + Decimal("850.45") - Decimal("4000.20") + Decimal("7000")
    assert tie[start + 2][:2] == ("Alfa", "Utfall")  # the rows of 2024 in its ledger
    assert [Decimal(str(v)) for v in tie[start + 2][2:6]] == [alfa_lines + Decimal("333.33"), alfa_lines,
                                                              Decimal("333.33"), 0]
    assert tie[start + 3][:2] == ("Beta", str(tmp_path / "fjol.csv"))  # Fjolårsfil
    assert [Decimal(str(v)) for v in tie[start + 3][2:6]] == [beta_lines, beta_lines, 0, 0]
    assert tie[start + 4][0] == "Σ enheter" and tie[start + 4][5] == 0
    assert tie[start + 5][0] == "Σ över budgetraderna och Ej budgeterat, enheterna"
    assert tie[start + 6][:3] == ("Sammanställningen, Totalt fjolår", None, float(merged["Totalt"]))
    assert tie[start + 7][:3] == ("Differens (ska vara 0,00)", None, 0)

    # the Word report of the consolidation shows the column too (its table is Sammanställning's)
    text = cli("report", out, "--text", "-").splitlines()
    heads = text[text.index("Ekonomiskt resultat per ansvarsområde") + 2].split("\t")
    assert "Fjolår jan–aug 2024" in heads


def test_one_unit_without_last_year_no_column_and_an_info_finding(tmp_path):
    a, b = alfa(tmp_path / "Alfa.xlsx"), beta(tmp_path / "Beta.xlsx", last_year=False)
    out = tmp_path / "Förbund.xlsx"
    line = cli("consolidate", a, b, "--output", out, "--name", "Förbund")
    # last year changes no figure of this year and warns of nothing: the line is the one with both units' last year
    both = tmp_path / "båda"
    both.mkdir()
    full = cli("consolidate", alfa(both / "Alfa.xlsx"), beta(both / "Beta.xlsx"), "--output", both / "F.xlsx",
               "--name", "Förbund")
    assert line == full.replace(str(both / "F.xlsx"), str(out))
    assert line.endswith(f" · {WRITTEN}\n")
    assert fjolar(out) is None
    tie = sheet_rows(out, "Avstämning")
    assert not any(r[0] == "Enheternas fjolår 2024" for r in tie)
    found = [r[:3] for r in tie if r[0] == "konsolidering-fjolar" and r[1]]  # not the legend's
    assert found == [("konsolidering-fjolar", "Beta",
                      "enheten Beta saknar fjolårets utfall (2024), så sammanställningen visar ingen kolumn Fjolår: "
                      "den visas när alla enheter har fjolåret (1 av 2 har det; ange Fjolårsfil på enhetens blad "
                      "Inställningar, eller ta med fjolårets rader i huvudboken)")]
    iakttagelser = next(i for i, r in enumerate(tie) if r[0] == "Iakttagelser")
    assert all(i > iakttagelser for i, r in enumerate(tie) if r[0] == "konsolidering-fjolar")  # not a warning


def test_no_unit_with_last_year_no_column_no_finding(tmp_path):
    a, b = alfa(tmp_path / "Alfa.xlsx", last_year=False), beta(tmp_path / "Beta.xlsx", last_year=False)
    out = tmp_path / "Förbund.xlsx"
    cli("consolidate", a, b, "--output", out)
    assert fjolar(out) is None
    assert not any(r[0] == "konsolidering-fjolar" for r in sheet_rows(out, "Avstämning"))
