"""The example workbooks in ``workbooks/``: current with build.py, and sane."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from examples import build_module, example

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]


@pytest.fixture(scope="module")
def build():
    return build_module()


# The examples as build.py writes them; the committed files are compared with
# them in test_committed_workbooks_hold_what_build_writes.
@pytest.fixture(scope="module")
def halmstad(build):
    return build.halmstad(), openpyxl.load_workbook(example("Halmstad.xlsx"))


@pytest.fixture(scope="module")
def navet(build):
    return build.navet(), openpyxl.load_workbook(example("Navet.xlsx"))


def records(ws) -> list[dict]:
    rows = ws.iter_rows(values_only=True)
    names = next(rows)
    return [dict(zip(names, row)) for row in rows if any(v is not None for v in row)]


def test_build_is_deterministic(build, tmp_path):
    first = build.build(tmp_path / "a")
    second = build.build(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_committed_workbooks_hold_what_build_writes(build, tmp_path):
    """The committed examples carry the built input sheets (compared by value:
    running the README's monthly job adds the toolkit's sheets to them)."""
    from python_calamine import CalamineWorkbook

    written = build.build(tmp_path)
    assert sorted(p.name for p in written) == ["Halmstad-andringar.xlsx", "Halmstad.xlsx", "Navet.xlsx"]
    for path in written:
        fresh = CalamineWorkbook.from_path(str(path))
        committed = CalamineWorkbook.from_path(str(WORKBOOKS / path.name))
        for sheet in fresh.sheet_names:
            assert sheet in committed.sheet_names, f"{path.name}: {sheet} missing; run python workbooks/build.py"
            assert (committed.get_sheet_by_name(sheet).to_python() == fresh.get_sheet_by_name(sheet).to_python()), (
                f"{path.name}!{sheet} is stale: run python workbooks/build.py")


@pytest.mark.parametrize("name", ["halmstad", "navet"])
def test_sheets(name, request):
    _, book = request.getfixturevalue(name)
    assert book.sheetnames == ["Inställningar", "Budget", "Utfall", "Periodisering", "Anteckningar", "Listor"]
    assert book["Listor"].sheet_state == "hidden"


def test_halmstad_settings_and_keys(halmstad):
    _, book = halmstad
    settings = {r["Inställning"]: r["Värde"] for r in records(book["Inställningar"])}
    assert settings == {"Enhet": "Lokal nämnd Halmstad", "År": 2025, "Period": 8, "Belopp i": "kr",
                        "Visa i": "tkr", "Prognosmetod": "budget", "Utfallsfil": None}
    keys = {r["Nyckel"]: [r[m] for m in MONTHS] for r in records(book["Periodisering"])}
    assert list(keys) == ["Höst"]
    autumn = keys["Höst"]
    assert autumn[6] == 0 and sum(autumn[8:11]) > sum(autumn[:8])  # nothing in July, most Sep–Nov


def test_halmstad_ledger_ties_to_the_build(halmstad):
    example, book = halmstad
    rows = records(book["Utfall"])
    assert len(rows) == len(example.ledger)
    assert 300 <= len(rows) <= 450
    in_period = sum(Decimal(str(r["Belopp"])) for r in rows if 202501 <= r["Period"] <= 202508)
    assert in_period == example.ledger_total_in_period()
    periods = {r["Period"] for r in rows}
    assert 202412 in periods and 202509 in periods  # left out: other year, after the closing period
    assert all(round(r["Belopp"], 2) == r["Belopp"] for r in rows)


def test_halmstad_utfall_is_a_plausible_share_of_the_budget(halmstad):
    example, book = halmstad
    lines = records(book["Budget"])
    top = sum(r["Budget"] for r in lines if r["Överordnad"] is None)
    assert 1_200_000 <= top <= 1_500_000
    assert 0.55 <= example.ledger_total_in_period() / top <= 0.65


def test_halmstad_development_funds_leave_a_remainder(halmstad):
    _, book = halmstad
    lines = {r["Rad"]: r for r in records(book["Budget"])}
    parent = lines["Utvecklingsmedel"]
    children = [r for r in lines.values() if r["Överordnad"] == "Utvecklingsmedel"]
    assert len(children) == 3
    assert parent["Budget"] > sum(r["Budget"] for r in children)  # → a generated Ofördelat line
    assert "Ofördelat" not in lines
    assert any(r["Intecknat"] for r in children) and any(r["Prognos"] for r in children)
    # every parent's budget covers its children
    for label, line in lines.items():
        kids = [r["Budget"] for r in lines.values() if r["Överordnad"] == label]
        assert not kids or line["Budget"] >= sum(kids)


def test_halmstad_keeps_the_economists_own_chart(halmstad):
    with zipfile.ZipFile(example("Halmstad.xlsx")) as package:
        assert any(name.startswith("xl/charts/chart") for name in package.namelist())
    _, book = halmstad
    assert book["Anteckningar"]["A1"].value


def test_navet_matrix_ledger(navet):
    example, book = navet
    ws = book["Utfall"]
    assert [c.value for c in ws[1]] == ["Konto", "Ansvar", "Text", *MONTHS]
    rows = records(ws)
    assert len(rows) == len(example.ledger)
    assert all(r[m] is None for r in rows for m in MONTHS[6:])  # Jul–Dec not booked
    assert all(r["Jun"] is not None for r in rows if r["Konto"] in (3511, 5011, 6110))
    total = sum(Decimal(str(r[m])) for r in rows for m in MONTHS[:6] if r[m] is not None)
    assert total == example.ledger_total_in_period()
    assert all(r["Jan"] < 0 for r in rows if r["Konto"] == 3511)  # income negative


def test_navet_settings_and_budget(navet):
    example, book = navet
    settings = {r["Inställning"]: r["Värde"] for r in records(book["Inställningar"])}
    assert settings["Belopp i"] == "tkr" and settings["Period"] is None and settings["Prognosmetod"] == "rest"
    assert example.closing_period() == 6
    lines = {r["Rad"]: r for r in records(book["Budget"])}
    income = sum(r["Budget"] for r in lines.values() if r["Överordnad"] == "Intäkter")
    costs = sum(r["Budget"] for r in lines.values() if r["Typ"] == "Kostnad")
    assert income == lines["Intäkter"]["Budget"] == costs == 12_500
    keys = {lines[label]["Periodisering"] for label in ("Entréavgifter", "Personalkostnader", "Lokalkostnader")}
    assert keys == {"Sommar", "Arbetsdagar", "Kalenderdagar"}
