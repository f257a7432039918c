"""A consolidation's Investeringar: every unit's investment projects (Typ
Investering), grouped by unit under its name with a Summa per unit and a
Totalt — each figure as on the unit's own Investeringar, to the öre — and
their rows tied out on Avstämning; emptied with a note when no unit has a
project any longer; no sheet when none ever had one."""

from __future__ import annotations

from decimal import Decimal

import libreoffice
import openpyxl
import pytest
from click.testing import CliRunner
from examples import copy_example
from workbook_factory import write_workbook
from written import sheet_rows

from toolkit.cli import main
from toolkit.contract import CONSOLIDATION_SHEETS

HEADINGS = ("Projekt", "Total budget", "Utfall tidigare år", "Utfall i år", "Ack utfall", "Budget i år",
            "Prognos i år", "Prognos total", "Avvikelse total", "Kommentar")
BUDGET_HEADER = ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Projekt", "Total budget", "Tidigare utfall",
                 "Prognos", "Kommentar"]
OPERATING = [["Lokaler", None, "Kostnad", 120_000, "6*", None, None, None, None, None],
             ["Avgifter", None, "Intäkt", 60_000, "3*", None, None, None, None, None]]
PROJECTS = [["Ny förskola", None, "Investering", 400_000, "12*", "P1", 1_000_000, 350_000, None, "Etapp 2"],
            ["Gatubelysning", None, "Investering", 150_000.50, "12*", "P2", None, None, 90_000, None]]
LEDGER = [[202503, 6110, "", 10_000], [202505, 3010, "", -30_000.25], [202508, 6110, "", 2_500.50]]
PROJECT_ROWS = [[202504, 1210, "P1", 120_000.25], [202507, 1219, "P1", 80_000], [202506, 1210, "P2", 45_500.75],
                [202410, 1210, "P2", 7_000], [202510, 1210, "P1", 5_000]]  # an earlier year; after the period
NO_UNIT_PROJECTS = ("Bladet uppdateras inte längre: ingen av enheterna har rader med Typ Investering på bladet "
                    "Budget, så projekten som stod här har tagits bort. Ta bort bladet om det inte behövs.")


def cli(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def unit(path, name: str, *, projects: bool = True):
    """A unit in kr (Visa i kr: the sheets show öre) with, unless ``projects`` is False, its two projects
    and their ledger rows."""
    settings = [["Inställning", "Värde"], ["Enhet", name], ["År", 2025], ["Period", 8], ["Visa i", "kr"]]
    budget = [BUDGET_HEADER, *OPERATING, *(PROJECTS if projects else [])]
    ledger = [["Period", "Konto", "Projekt", "Belopp"], *LEDGER, *(PROJECT_ROWS if projects else [])]
    return write_workbook(path, {"Inställningar": settings, "Budget": budget, "Utfall": ledger})


def own_projects(path) -> tuple[list[tuple], tuple]:
    """A unit's own Investeringar (a run with --output): its project rows and its Summa row."""
    rows = sheet_rows(path, "Investeringar")
    assert rows[3][:10] == HEADINGS
    body = [row[:10] for row in rows[4:] if row[0]]
    return body[:-1], body[-1]


def exact(value) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


@pytest.fixture
def two_units(tmp_path):
    """Alfa and Beta, each with the two projects, consolidated; each unit also run on its own into a copy,
    for its own Investeringar."""
    a = unit(tmp_path / "Alfa.xlsx", "Alfa")
    b = unit(tmp_path / "Beta.xlsx", "Beta")
    out = tmp_path / "Förbund.xlsx"
    line = cli("consolidate", a, b, "--output", out, "--name", "Förbund")
    own = {}
    for path in (a, b):
        copy = tmp_path / f"egen-{path.name}"
        cli(path, "--output", copy)
        own[path.stem] = own_projects(copy)
    return out, line, own, (a, b)


def test_the_projects_grouped_by_unit_as_on_the_units_own_sheets(two_units):
    out, _, own, _ = two_units
    rows = sheet_rows(out, "Investeringar")
    assert rows[0][0] == "Förbund — Investeringar jan–aug 2025"
    assert rows[3][:10] == HEADINGS
    body = [row[:10] for row in rows[4:]]
    at = 0
    for name in ("Alfa", "Beta"):
        projects, summa = own[name]
        assert body[at] == (name,) + (None,) * 9  # the unit's heading row
        assert body[at + 1:at + 1 + len(projects)] == projects  # every figure and the comment, as the unit's
        assert body[at + 1 + len(projects)] == (f"Summa {name}", *summa[1:])
        at += len(projects) + 2
    # the units' projects as written: Ny förskola's comment carried, Gatubelysning without Total budget
    assert own["Alfa"][0][0] == ("Ny förskola", 1_000_000, 350_000, 200_000.25, 550_000.25, 400_000, 400_000,
                                 1_000_000, 0, "Etapp 2")
    assert own["Alfa"][0][1][:2] == ("Gatubelysning", None) and own["Alfa"][0][1][8:] == (None, None)
    total = body[at]
    assert total[0] == "Totalt" and total[9] is None
    for c in range(1, 9):  # Σ of the units' Summa, to the öre
        assert exact(total[c]) == sum(exact(own[name][1][c]) for name in ("Alfa", "Beta")), HEADINGS[c]
    assert exact(total[3]) == 2 * Decimal("245501.00")  # Utfall i år: Jan–Aug rows of both projects, both units
    assert body[at + 1:] == []


def test_the_summary_line_and_avstamning(two_units, tmp_path):
    out, line, _, (a, b) = two_units
    assert line.endswith(f" · {len(CONSOLIDATION_SHEETS) + 1} blad skrivna\n")
    # the projects change no operating figure: the line is that of the units without them, one sheet more
    bare = [unit(tmp_path / f"bar-{p.name}", p.stem, projects=False) for p in (a, b)]
    without = tmp_path / "Utan.xlsx"
    plain = cli("consolidate", *bare, "--output", without, "--name", "Förbund")
    assert line == plain.replace(str(without), str(out)).replace(
        f"{len(CONSOLIDATION_SHEETS)} blad skrivna", f"{len(CONSOLIDATION_SHEETS) + 1} blad skrivna")
    assert "Investeringar" not in openpyxl.load_workbook(without, read_only=True).sheetnames
    tie = sheet_rows(out, "Avstämning")
    head = next(i for i, r in enumerate(tie) if r[0] == "Enhet" and r[2] == "Σ huvudbok i perioden")
    assert tie[head][5:7] == ("Σ Investeringar", "Differens (ska vara 0,00)")
    assert [r[5:7] for r in tie[head + 1:head + 3]] == [(245_501, 0)] * 2
    start = next(i for i, r in enumerate(tie) if r[0] == "Enheternas investeringar (projekten står på bladet "
                                                            "Investeringar)")
    assert tie[start + 1][:4] == ("Enhet", "Projekt", "Utfall i år (Σ huvudbok)", "Antal rader")
    assert [r[:4] for r in tie[start + 2:start + 9]] == [
        ("Alfa", "Ny förskola", 200_000.25, 2), ("Alfa", "Gatubelysning", 45_500.75, 1),
        ("Beta", "Ny förskola", 200_000.25, 2), ("Beta", "Gatubelysning", 45_500.75, 1),
        ("Σ projekten", None, 491_002, 6),
        ("Σ Investeringar i enheternas avstämning av huvudboken", None, 491_002, None),
        ("Differens (ska vara 0,00)", None, 0, None)]


def test_a_unit_without_projects_is_left_out_and_halmstads_are_carried(tmp_path):
    halmstad = copy_example("Halmstad-andringar.xlsx", tmp_path)
    plain = unit(tmp_path / "Gamma.xlsx", "Gamma", projects=False)
    out = tmp_path / "F.xlsx"
    cli("consolidate", plain, halmstad, "--output", out, "--name", "F")
    own_copy = tmp_path / "egen.xlsx"
    cli(halmstad, "--output", own_copy)
    projects, summa = own_projects(own_copy)
    body = [row[:10] for row in sheet_rows(out, "Investeringar")[4:]]
    name = body[0][0]
    assert name.startswith("Lokal nämnd Halmstad") and "Gamma" not in {row[0] for row in body}
    assert body[1:1 + len(projects)] == projects
    assert body[1 + len(projects)] == (f"Summa {name}", *summa[1:])
    assert body[2 + len(projects)] == ("Totalt", *summa[1:9], None)
    assert len(body) == 3 + len(projects)


def test_a_rerun_without_projects_empties_the_sheet_with_its_note(two_units, tmp_path):
    out, _, _, (a, b) = two_units
    for path in (a, b):
        unit(path, path.stem, projects=False)
    line = cli("consolidate", a, b, "--output", out, "--name", "Förbund")
    assert line.endswith(f" · {len(CONSOLIDATION_SHEETS) + 1} blad skrivna\n")  # Investeringar emptied
    rows = sheet_rows(out, "Investeringar")
    assert rows[0][0] == "Förbund — Investeringar jan–aug 2025"
    assert rows[1][0] == NO_UNIT_PROJECTS
    assert all(v is None for row in rows[2:] for v in row)
    tie = sheet_rows(out, "Avstämning")
    assert not any(r[0] and str(r[0]).startswith("Enheternas investeringar") for r in tie)
    # and stays so: the next run changes nothing
    assert cli("consolidate", a, b, "--output", out, "--name", "Förbund").endswith(
        "bladen var redan aktuella, inget skrevs\n")


def test_no_project_anywhere_no_sheet(tmp_path):
    units = [unit(tmp_path / f"{n}.xlsx", n, projects=False) for n in ("Alfa", "Beta")]
    out = tmp_path / "F.xlsx"
    line = cli("consolidate", *units, "--output", out)
    assert line.endswith(f" · {len(CONSOLIDATION_SHEETS)} blad skrivna\n")
    assert openpyxl.load_workbook(out, read_only=True).sheetnames == list(CONSOLIDATION_SHEETS)


@pytest.mark.libreoffice
@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_the_consolidated_investeringar_as_stored(two_units, tmp_path):
    out = two_units[0]
    lo = libreoffice.sheets_as_csv(out, tmp_path)["Investeringar"]
    stored = sheet_rows(out, "Investeringar")
    compared = 0
    for r, row in enumerate(stored):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert float(lo[r][c]) == pytest.approx(value, rel=1e-12, abs=1e-9), (r + 1, c + 1)
                compared += 1
    assert compared == 8 * 4 + 8 * 2 + 8 - 4  # the projects (two without Total budget), Summa ×2, Totalt
