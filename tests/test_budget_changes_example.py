"""End to end on the example with budget changes (``Halmstad-andringar.xlsx``,
built by workbooks/build.py): the command line, Sammanställning and the
budget bridge read back through openpyxl and through LibreOffice after a full
recalculation, a second run that changes nothing, the Word report's text and
a consolidation that adds the units' changes by line path."""

from __future__ import annotations

from decimal import Decimal

import libreoffice
import openpyxl
import pytest
from click.testing import CliRunner
from examples import build_module, copy_example, example
from written import SHEETS

from toolkit.cli import main
from toolkit.contract import CONSOLIDATION_SHEETS

NAME = "Halmstad-andringar.xlsx"


def reconcile(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    path = copy_example(NAME, tmp_path_factory.mktemp("changes"))
    return path, reconcile(path)


def rows_by_label(ws) -> dict[str, tuple]:
    return {row[0]: row for row in ws.iter_rows(min_row=5, values_only=True) if isinstance(row[0], str)}


def test_the_example_holds_the_changes_as_built():
    changes = build_module().halmstad_changes().changes
    ws = openpyxl.load_workbook(example(NAME))["Budgetändringar"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Datum", "Rad", "Belopp", "Typ", "Beslut", "Från januari", "Kommentar")
    assert [dict(zip(rows[0], row)) for row in rows[1:]] == [
        {name: change.get(name) for name in rows[0]} for change in changes]
    assert {change["Typ"] for change in changes} == {"Ombudgetering", "Tilläggsanslag", "Omfördelning"}
    assert sum(change["Belopp"] for change in changes if change["Typ"] == "Omfördelning") == 0


def test_summary_line_and_no_warning(refreshed):
    path, line = refreshed
    # the revised budget (1 342 + 65 tkr) moves the variance from -18 (Halmstad.xlsx) to +9 and the forecast by 25
    # its two investment projects add the sheet Investeringar and change no operating figure
    assert line == f"{path}: jan–aug 2025 · utfall 748 tkr · avvikelse +9 tkr · prognos 1 348 tkr · 7 blad skrivna\n"


def test_sammanstallning_shows_original_changes_and_revised(refreshed):
    path, _ = refreshed
    values = openpyxl.load_workbook(path, data_only=True)["Sammanställning"]
    assert [c.value for c in values[4]][:4] == ["Rad", "Ursprunglig\nbudget 2025", "Ändringar", "Budget 2025\ni tkr"]
    rows = rows_by_label(values)
    assert rows["Mötesplats seniorer"][1:4] == (120, 30, 150)
    assert rows["Digital delaktighet"][1:4] == (80, 40, 120)
    assert rows["Ofördelat"][1:4] == (100, -30, 70)
    assert rows["Kurs och konferens"][1:4] == (60, 25, 85)
    assert rows["Övrigt"][1:4] == (120, 0, 120)  # its change is dated October: not counted in August
    assert rows["Totalt"][1:4] == (1342, 65, 1407)
    for label, row in rows.items():
        if isinstance(row[1], (int, float)):
            assert row[1] + row[2] == pytest.approx(row[3], abs=1e-9), label


def test_the_bridge_on_avstamning_adds_up_to_the_ore(refreshed):
    path, _ = refreshed
    tie = list(openpyxl.load_workbook(path, data_only=True)["Avstämning"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(tie) if r[0] == "Budgetändringar — från ursprunglig budget till budget")
    lines, current = {}, None
    for row in tie[start + 3:]:
        if row[0] and row[2] == "Ursprunglig budget":
            current = lines.setdefault(row[0], [row[3]])
        elif row[2] == "Budget":
            current.append(("=", row[3]))
        elif row[1] and current is not None and row[0] is None:
            current.append(row[3])
        elif row[0] is None and row[2] is None:
            break
    assert list(lines) == ["Utvecklingsmedel › Mötesplats seniorer", "Utvecklingsmedel › Digital delaktighet",
                           "Utvecklingsmedel › Ofördelat", "Kurs och konferens"]
    for label, (original, *changes, (_, revised)) in lines.items():
        assert round((original + sum(changes)) * 100) == round(revised * 100), label
    texts = [r[0] for r in tie if isinstance(r[0], str)]
    assert "Ändringar daterade efter bokslutsperioden (ingår inte i budgeten än), bokslutsperiod augusti 2025" in texts
    later = next(r for r in tie if r[0] == "Övrigt" and r[1] == "2025-10-15")
    assert later[2:5] == ("Tilläggsanslag", 15_000, "RS 2025/201")
    assert next(r for r in tie if r[0] == "Σ omfördelningar (ska vara 0,00)")[3] == 0


def test_the_api_gives_the_original_budget_and_the_changes(refreshed):
    import toolkit

    line = toolkit.load(refreshed[0]).line("Utvecklingsmedel", "Mötesplats seniorer")
    assert (line.original_budget, line.budget_changes, line.budget) == (Decimal("120000.00"), Decimal("30000.00"),
                                                                         Decimal("150000.00"))
    # Höst: 30 % of the year by August; the June change by Höst's June–December weights (10 of 80)
    assert line.periodised_budget == Decimal("39750.00")


def test_a_second_run_changes_nothing(refreshed, tmp_path):
    path, _ = refreshed
    again = tmp_path / NAME
    again.write_bytes(path.read_bytes())
    assert reconcile(again).endswith("bladen var redan aktuella, inget skrevs\n")
    assert again.read_bytes() == path.read_bytes()


def test_the_report_text_shows_the_revised_budget(refreshed, tmp_path):
    path, _ = refreshed
    out = tmp_path / "E.txt"
    reconcile("report", path, "--text", out)
    text = out.read_text(encoding="utf-8").splitlines()
    heads = text[text.index("Ekonomiskt resultat per ansvarsområde") + 2].split("\t")
    assert heads[:4] == ["Rad", "Ursprunglig budget 2025", "Ändringar", "Budget 2025 i tkr"]
    total = next(line for line in text if line.startswith("Totalt\t")).split("\t")
    assert total[1:4] == ["1\u00a0342", "+65", "1\u00a0407"]
    summa = next(line for line in text if line.startswith("Summa Lokal nämnd Halmstads verksamhet")).split("\t")
    assert summa[3] == "1\u00a0407"  # Resultaträkning per uppdrag: Budget 2025


def test_a_consolidation_adds_the_units_changes_by_line_path(tmp_path):
    first = copy_example(NAME, tmp_path)
    second = tmp_path / "Kopia.xlsx"
    second.write_bytes(first.read_bytes())
    out = tmp_path / "F.xlsx"
    line = reconcile("consolidate", first, second, "--output", out, "--name", "Förbund")
    assert line.endswith(f"{len(CONSOLIDATION_SHEETS) + 1} blad skrivna\n")  # and the units' Investeringar
    rows = rows_by_label(openpyxl.load_workbook(out, data_only=True)["Sammanställning"])
    assert rows["Mötesplats seniorer"][1:4] == (240, 60, 300)
    assert rows["Totalt"][1:4] == (2684, 130, 2814)
    tie = list(openpyxl.load_workbook(out, data_only=True)["Avstämning"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(tie) if r[0] == "Budgetändringar — från ursprunglig budget till budget")
    assert tie[start + 2][7] == "Enhet"
    seniors = tie[start + 3:start + 7]
    assert seniors[0][:4] == ("Utvecklingsmedel › Mötesplats seniorer", None, "Ursprunglig budget", 240_000)
    units = [r[7] for r in seniors[1:3]]
    assert [r[1:5] for r in seniors[1:3]] == [("2025-06-11", "Omfördelning", 30_000, "LNH 2025/45")] * 2
    assert len(set(units)) == 2 and all(unit.startswith("Lokal nämnd Halmstad") for unit in units)
    assert seniors[3][2:4] == ("Budget", 300_000)


@pytest.mark.libreoffice
@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculation_agrees_with_stored_values(refreshed, tmp_path):
    path, _ = refreshed
    lo = libreoffice.sheets_as_csv(path, tmp_path)
    book = openpyxl.load_workbook(path, data_only=True)
    compared = 0
    for name in SHEETS:
        stored = [list(r) for r in book[name].iter_rows(values_only=True)]
        for r, row in enumerate(stored):
            for c, value in enumerate(row):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    seen = lo[name][r][c]
                    if seen.endswith("%"):
                        seen = float(seen[:-1]) / 100
                    assert float(seen) == pytest.approx(value, rel=1e-9, abs=1e-9), (name, r + 1, c + 1)
                    compared += 1
                elif isinstance(value, str):
                    assert lo[name][r][c] == value, (name, r + 1, c + 1)
    assert compared > 100


# -- the example's two investment projects -----------------------------------------------------------------------------

def test_the_investment_projects_of_the_example(refreshed):
    path, _ = refreshed
    book = openpyxl.load_workbook(path, data_only=True)
    rows = {row[0]: row[1:9] for row in book["Investeringar"].iter_rows(min_row=5, values_only=True) if row[0]}
    # Ombyggnad mötesrum: 300 + its ombudgetering 50 tkr this year; 215 000,50 kr booked by August (September's
    # invoice is after the closing period); Digitalt mötessystem: its own Prognos 150 of 180 tkr
    assert rows["Ombyggnad mötesrum"] == pytest.approx((600, 250, 215.0005, 465.0005, 350, 350, 600, 0))
    assert rows["Digitalt mötessystem"] == pytest.approx((180, 0, 142.5, 142.5, 180, 150, 150, 30))
    assert rows["Summa"] == pytest.approx((780, 250, 357.5005, 607.5005, 530, 500, 750, 30))
    tie = {row[0]: row[1] for row in book["Avstämning"].iter_rows(values_only=True) if row[0]}
    assert tie["Σ Investeringar"] == 357_500.50 and tie["Differens (ska vara 0,00)"] == 0
    summary = [row[0] for row in book["Sammanställning"].iter_rows(values_only=True)]
    assert "Ombyggnad mötesrum" not in summary and "Digitalt mötessystem" not in summary


def test_a_consolidation_ties_out_each_units_investments(tmp_path):
    first = copy_example(NAME, tmp_path)
    out = tmp_path / "F.xlsx"
    reconcile("consolidate", first, "--output", out, "--name", "Förbund")
    tie = list(openpyxl.load_workbook(out, data_only=True)["Avstämning"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(tie) if r[0] == "Enhet" and r[2] == "Σ huvudbok i perioden")
    assert tie[head][5:7] == ("Σ Investeringar", "Differens (ska vara 0,00)")
    assert tie[head + 1][5:7] == (357_500.50, 0)


@pytest.mark.libreoffice
@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_investeringar_as_stored(refreshed, tmp_path):
    path, _ = refreshed
    lo = libreoffice.sheets_as_csv(path, tmp_path)["Investeringar"]
    stored = [list(r) for r in openpyxl.load_workbook(path, data_only=True)["Investeringar"].iter_rows(values_only=True)]
    compared = 0
    for r, row in enumerate(stored):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert float(lo[r][c]) == pytest.approx(value, rel=1e-9, abs=1e-9), (r + 1, c + 1)
                compared += 1
    assert compared == 3 * 8
