"""``reconcile init``: the empty template workbook."""

from __future__ import annotations

import openpyxl
import pytest

from toolkit.errors import InputError
from toolkit.template import BUDGET_COLUMNS, KEY_COLUMNS, LEDGER_COLUMNS, write_template

SHEETS = ["Inställningar", "Budget", "Utfall", "Periodisering", "Budgetändringar", "Listor"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("init") / "Ny.xlsx"
    write_template(path, 2026)
    return path


@pytest.fixture(scope="module")
def book(template):
    return openpyxl.load_workbook(template)


def header(ws) -> list[str]:
    return [c.value for c in ws[1] if c.value is not None]


def validations(ws) -> dict[str, object]:
    """First cell of each validation's range → the validation."""
    return {str(dv.sqref).split()[0].split(":")[0]: dv for dv in ws.data_validations.dataValidation}


def test_sheets_in_order_with_the_helper_sheet_hidden(book):
    assert book.sheetnames == SHEETS
    assert [book[name].sheet_state for name in SHEETS] == ["visible"] * 5 + ["hidden"]


def test_headers_are_bold_frozen_and_explained(book):
    expected = {
        "Budget": [c.name for c in BUDGET_COLUMNS],
        "Utfall": [c.name for c in LEDGER_COLUMNS],
        "Periodisering": [c.name for c in KEY_COLUMNS],
        "Inställningar": ["Inställning", "Värde", "Förklaring"],
    }
    for name, columns in expected.items():
        ws = book[name]
        assert header(ws) == columns
        assert all(cell.font.bold for cell in ws[1] if cell.value is not None)
        assert ws.freeze_panes in ("A2", "B2")
        prompts = {str(dv.sqref): dv.prompt for dv in ws.data_validations.dataValidation if dv.prompt}
        for c in range(1, len(columns) + 1):
            ref = ws.cell(1, c).coordinate
            assert prompts.get(ref), f"{name}!{ref} has no input message"
        assert len(ws["A"]) == 1 or name == "Inställningar"  # nothing but headers
    assert header(book["Periodisering"])[1:] == [
        "Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec",
    ]


def test_budget_columns_have_sensible_widths(book):
    ws = book["Budget"]
    assert ws.column_dimensions["A"].width > 20  # Rad
    assert ws.column_dimensions["P"].width > 30  # Kommentar


def test_settings_are_prefilled(book):
    ws = book["Inställningar"]
    rows = {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_col=2, values_only=True)}
    assert rows == {
        "Enhet": None, "År": 2026, "Period": None, "Belopp i": "kr", "Visa i": "tkr", "Prognosmetod": "budget",
        "Utfallsfil": None,
    }
    explanations = [r[0] for r in ws.iter_rows(min_row=2, min_col=3, max_col=3, values_only=True)]
    assert len(explanations) == 7 and all(explanations)


def test_settings_drop_downs(book):
    dv = validations(book["Inställningar"])
    assert dv["B5"].type == "list" and dv["B5"].formula1 == '"kr,tkr"'
    assert dv["B6"].type == "list" and dv["B6"].formula1 == '"tkr,kr"'
    assert dv["B7"].type == "list" and dv["B7"].formula1 == '"budget,rest,trend"'
    assert dv["B4"].type == "whole" and (dv["B4"].formula1, dv["B4"].formula2) == ("1", "12")


def test_budget_drop_downs(book):
    ws = book["Budget"]
    columns = {c.value: c.column_letter for c in ws[1]}
    dv = validations(ws)
    typ = dv[f"{columns['Typ']}2"]
    assert typ.type == "list" and typ.formula1 == '"Intäkt,Kostnad,Investering"'
    assert str(typ.sqref) == f"{columns['Typ']}2:{columns['Typ']}1000"
    key = dv[f"{columns['Periodisering']}2"]
    assert key.type == "list" and key.errorStyle == "warning"
    assert "Listor!$A$1" in key.formula1 and "Periodisering!$A$2:$A$100" in key.formula1
    parent = dv[f"{columns['Överordnad']}2"]
    assert parent.type == "list" and parent.formula1 == "$A$2:$A$1000"


def test_helper_list_holds_the_builtins_then_the_custom_keys(book):
    ws = book["Listor"]
    assert [ws.cell(r, 1).value for r in (1, 2, 3, 4)] == ["Linjär", "Kalenderdagar", "Arbetsdagar", "Fjolårsprofil"]
    assert ws["A5"].value == '=IF(Periodisering!A2="","",Periodisering!A2)'
    assert ws["A103"].value == '=IF(Periodisering!A100="","",Periodisering!A100)'
    assert not any(book["Periodisering"].iter_rows(min_row=2, values_only=True))  # no built-in rows


def test_refuses_to_overwrite(tmp_path):
    path = tmp_path / "Halmstad.xlsx"
    path.write_bytes(b"the economist's work")
    with pytest.raises(InputError) as caught:
        write_template(path, 2025)
    assert caught.value.file == str(path)
    assert str(caught.value) == f"{path}: filen finns redan; välj ett annat namn"
    assert path.read_bytes() == b"the economist's work"


def test_refuses_other_file_types(tmp_path):
    with pytest.raises(InputError, match=r"\.xlsx"):
        write_template(tmp_path / "budget.xls", 2025)
    assert not (tmp_path / "budget.xls").exists()


def test_same_year_gives_identical_bytes(tmp_path, template):
    again = tmp_path / "again.xlsx"
    write_template(again, 2026)
    assert again.read_bytes() == template.read_bytes()
    other = tmp_path / "other.xlsx"
    write_template(other, 2027)
    assert other.read_bytes() != template.read_bytes()
