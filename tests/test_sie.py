"""SIE exports as the ledger (--utfall): SIE 4 #TRANS and SIE 3 #PSALDO give
the figures the same ledger gives in the Utfall sheet; bad lines are named."""

from __future__ import annotations

import importlib.util
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from examples import copy_example

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
DIMENSIONS = {1: ("Kostnadsställe", "Ansvar"), 20: ("Verksamhet", "Verksamhet"), 21: ("Aktivitet", "Aktivitet"),
              6: ("Projekt", "Projekt"), 22: ("Motpart", "Motpart")}  # SIE dimension: (#DIM name, ledger column)


def halmstad_ledger() -> list[dict]:
    spec = importlib.util.spec_from_file_location("build_examples", ROOT / "workbooks" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up
    try:
        spec.loader.exec_module(module)
        return module.halmstad().ledger
    finally:
        sys.modules.pop(spec.name, None)


def header(sietyp: int) -> list[str]:
    lines = ["#FLAGGA 0", "#FORMAT PC8", f"#SIETYP {sietyp}", '#PROGRAM "Raindance" 2025.1', "#GEN 20250901",
             '#FNAMN "Lokal nämnd Halmstad"', "#RAR 0 20250101 20251231", "#RAR -1 20240101 20241231"]
    lines += [f'#DIM {d} "{name}"' for d, (name, _column) in DIMENSIONS.items()]
    lines += ['#KONTO 5011 "Arvoden förtroendevalda"', '#KONTO 2440 "Leverantörsskulder"', "#KTYP 2440 S"]
    return lines


def objects(row: dict) -> str:
    pairs = [f'{d} "{row[column]}"' for d, (_name, column) in DIMENSIONS.items() if row.get(column) is not None]
    return "{" + " ".join(pairs) + "}"


def sie4(rows: list[dict]) -> str:
    """One verification per ledger row, balanced against 2440 (the balance side is no utfall)."""
    lines = header(4)
    for n, row in enumerate(rows, start=1):
        day = f"{row['Period']}15"
        text = row["Text"].replace('"', '\\"')
        amount = f"{Decimal(str(row['Belopp'])):.2f}"
        lines += [f'#VER A {n} {day} "{text}"', "{",
                  f'   #TRANS {row["Konto"]} {objects(row)} {amount} {day} "{text}"',
                  f"   #TRANS 2440 {{}} {-Decimal(amount):.2f}", "}"]
        if n % 50 == 0:  # a correction: the added transaction is written again as #TRANS
            lines[-1:-1] = [f'   #RTRANS {row["Konto"]} {objects(row)} 0.00', f'   #TRANS {row["Konto"]} {objects(row)} 0.00',
                            f'   #BTRANS {row["Konto"]} {objects(row)} 999.00']
    return "\r\n".join(lines) + "\r\n"


def sie3(rows: list[dict]) -> str:
    """Period balances: per account a total ({}) and a breakdown by all objects."""
    totals: dict[tuple, Decimal] = {}
    detail: dict[tuple, Decimal] = {}
    for row in rows:
        amount = Decimal(str(row["Belopp"]))
        totals[(row["Period"], row["Konto"])] = totals.get((row["Period"], row["Konto"]), Decimal(0)) + amount
        key = (row["Period"], row["Konto"], objects(row))
        detail[key] = detail.get(key, Decimal(0)) + amount
    lines = header(3)
    for (period, konto), amount in sorted(totals.items()):
        year = 0 if period // 100 == 2025 else -1
        lines.append(f"#PSALDO {year} {period} {konto} {{}} {amount:.2f}")
        lines += [f"#PSALDO {year} {p} {k} {obj} {a:.2f}" for (p, k, obj), a in sorted(detail.items())
                  if (p, k) == (period, konto) and obj != "{}"]
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy_example("Halmstad.xlsx", tmp_path)
    return tmp_path / "Halmstad.xlsx"


def figures(*args: str) -> dict:
    result = CliRunner().invoke(main, ["Halmstad.xlsx", "--check", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    return {"totals": out["totals_kr"], "period": out["period"], "findings": [f["slug"] for f in out["findings"]],
            "tieout": {k: v for k, v in out["tieout_kr"].items() if k not in ("rows_read", "rows_in_period")}}


@pytest.mark.parametrize("kind", ["sie4", "sie3"])
def test_an_sie_export_gives_the_figures_of_the_sheet(book, kind):
    rows = halmstad_ledger()
    text = sie4(rows) if kind == "sie4" else sie3(rows)
    Path("export.se").write_bytes(text.encode("cp437"))
    sheet = figures()
    export = figures("--utfall", "export.se")
    assert export == sheet
    assert sheet["totals"]["actual"] != 0


def test_the_balance_side_and_removed_transactions_are_no_utfall(book):
    rows = halmstad_ledger()
    Path("export.se").write_bytes(sie4(rows).encode("cp437"))
    out = json.loads(CliRunner().invoke(main, ["Halmstad.xlsx", "--check", "--json", "--utfall", "export.se"]).stdout)
    assert out["tieout_kr"]["rows_read"] == len(rows) + len(rows) // 50  # each row, and the zero #TRANS of a correction


def test_a_malformed_amount_is_reported_with_its_line_and_nothing_is_written(book):
    rows = halmstad_ledger()[:3]
    good = f"{Decimal(str(rows[1]['Belopp'])):.2f}"
    wrong = good.replace(".", ",")
    text = sie4(rows).replace(f" {good} ", f" {wrong} ", 1)
    bad = next(i for i, line in enumerate(text.split("\r\n"), start=1) if f" {wrong} " in line)
    Path("export.se").write_bytes(text.encode("cp437"))
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["Halmstad.xlsx", "--utfall", "export.se"])
    assert result.exit_code == 1
    assert result.stderr == f'export.se: rad {bad} (Belopp): "{wrong}" är inte ett belopp\n'
    assert book.read_bytes() == before


def test_a_file_that_says_utf8_but_is_not(book):
    Path("export.se").write_bytes(sie4(halmstad_ledger()[:3]).replace("#FORMAT PC8", "#FORMAT UTF8").encode("cp437"))
    result = CliRunner().invoke(main, ["Halmstad.xlsx", "--utfall", "export.se"])
    assert result.exit_code == 1
    assert result.stderr.startswith("export.se: filen säger #FORMAT UTF8 men är inte UTF-8 (byte ")


def test_a_file_that_is_no_sie(book):
    Path("export.se").write_text("Period;Konto;Belopp\n202501;5011;1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["Halmstad.xlsx", "--utfall", "export.se"])
    assert result.exit_code == 1
    assert result.stderr == "export.se: filen är ingen SIE-fil (inga #-rader i början)\n"


def test_the_dimension_names_are_read_in_cp437(book, tmp_path):
    """#DIM 1 "Kostnadsställe" (ä in CP437) is the Ansvar column."""
    from toolkit.read.sie import read_sie_grid

    path = tmp_path / "export.se"
    path.write_bytes(sie4(halmstad_ledger()[:2]).encode("cp437"))
    grid = read_sie_grid(path, "export.se")
    assert grid.rows[0][:3] == ["Period", "Konto", "Kostnadsställe"]


def test_period_balances_given_once_per_kind_of_object_count_once(tmp_path):
    """A program that writes the account's balance per kostnadsställe and, again, per
    projekt: the kind that adds up to the total is used; else the most detailed kind
    and the rest without objects."""
    from toolkit.read.sie import read_sie_grid

    path = tmp_path / "saldon.se"
    path.write_bytes("\r\n".join([
        "#SIETYP 3", '#DIM 1 "Ansvar"', '#DIM 6 "Projekt"',
        "#PSALDO 0 202503 5011 {} 100.00",
        '#PSALDO 0 202503 5011 {1 "A"} 60.00', '#PSALDO 0 202503 5011 {1 "B"} 40.00',
        '#PSALDO 0 202503 5011 {6 "P"} 30.00',
        "#PSALDO 0 202503 4010 {} 100.00",
        '#PSALDO 0 202503 4010 {1 "A"} 60.00', '#PSALDO 0 202503 4010 {6 "P"} 30.00',
    ]).encode("cp437"))
    grid = read_sie_grid(path, "saldon.se")
    assert grid.rows[0] == ["Period", "Konto", "Ansvar", "Belopp"]  # the projects split no krona here
    assert [r for r in grid.rows[1:] if r] == [
        ["202503", "5011", "A", Decimal("60.00")], ["202503", "5011", "B", Decimal("40.00")],
        ["202503", "4010", "", Decimal("40.00")], ["202503", "4010", "A", Decimal("60.00")]]
