"""Transaktioner: the period's ledger rows with their lines — what they list,
that they add up to Avstämning's Σ huvudbok i perioden, the row limit, the
sheet as written, and the pattern graft of a large sheet."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from builders import FILE, grid
from click.testing import CliRunner
from workbook_factory import LEDGER, SETTINGS, small_workbook

from toolkit.cli import main
from toolkit.engine.model import Settings
from toolkit.job import reconcile_inputs
from toolkit.package import sheet_graft
from toolkit.package.rendered import read_rendered
from toolkit.read.inputs import Sheets, assemble

INLINE_BUDGET = [["Rad", "Överordnad", "Typ", "Budget", "Konto"],
                 ["Personal", None, "Kostnad", None, None],
                 ["Löner", "Personal", None, 120_000, "5010"],
                 ["Avgifter", None, "Intäkt", 50_000, "3010"]]
INLINE_LEDGER = [["Period", "Konto", "Ansvar", "Belopp"],
                 [202501, "5010", "100", "1 000,50"],
                 [202506, "5010", "", 2_000],
                 [202506, "3010", "100", -700],
                 [202506, "6110", "100", 99.99],  # on no line: Ej budgeterat
                 [202507, "5010", "100", 5_000],  # after the closing period: not listed
                 [202412, "5010", "100", 8_000]]  # another year: not listed


def run(*, transactions=True, ledger=INLINE_LEDGER):
    book = Sheets([grid("Budget", INLINE_BUDGET), grid("Utfall", ledger)], FILE)
    settings = Settings("Test", 2025, 6, transactions=transactions)
    return reconcile_inputs(assemble(settings, book, [book]))


def test_every_row_of_the_period_is_listed_with_its_line_and_they_add_up_to_the_tieout():
    report = run()
    listed = report.transactions
    assert len(listed) == 4 == report.tieout.rows_in_period
    assert listed.headings == ("Konto", "Ansvar")
    assert [listed.paths[i] for i in listed.line.tolist()] == ["Personal › Löner", "Personal › Löner", "Avgifter",
                                                                "Ej budgeterat"]
    assert listed.period.tolist() == [202501, 202506, 202506, 202506]
    assert listed.amount.tolist() == [100_050, 200_000, -70_000, 9_999]
    assert listed.total == report.tieout.sum_in_period == 240_049
    assert listed.where == ("Utfall!D2", "Utfall!D3", "Utfall!D4", "Utfall!D5")


def test_without_the_setting_nothing_is_kept():
    assert run(transactions=False).transactions is None


def test_above_the_limit_the_rows_are_not_kept_and_an_info_says_so(monkeypatch):
    import toolkit.engine.report as engine_report

    monkeypatch.setattr(engine_report, "LIMIT", 3)
    report = run()
    assert report.transactions is None
    found = [f for f in report.findings if f.slug == "transaktioner-for-manga"]
    assert [(f.severity, f.where, f.message) for f in found] == [(
        "info", "Utfall", "bladet Transaktioner skrevs inte: perioden har 4 huvudboksrader, fler än gränsen 3 (en så "
        "stor tabell gör arbetsboken svår att använda); filtrera i huvudboksexporten i stället, eller sätt "
        "Transaktioner till nej på Inställningar")]
    monkeypatch.setattr(engine_report, "LIMIT", 4)  # at the limit: written
    assert len(run().transactions) == 4


def test_the_limit_is_200_000_rows():
    from toolkit.engine.transactions import LIMIT

    assert LIMIT == 200_000


def workbook(path, transactions="ja", **more):
    return small_workbook(path, Inställningar=[*SETTINGS, ["Transaktioner", transactions]], **more)


def sheet_rows(path, name):
    book = openpyxl.load_workbook(path)
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def test_the_sheet_lists_the_rows_and_sums_to_avstamning(tmp_path):
    path = workbook(tmp_path / "T.xlsx")
    result = CliRunner().invoke(main, [str(path), "--no-backup"])
    assert result.exit_code == 0, result.output
    assert "6 blad skrivna" in result.output
    rows = sheet_rows(path, "Transaktioner")
    assert rows[0][0] == "Testnämnd — Transaktioner jan–aug 2025"
    assert rows[3] == ["Period", "Konto", "Belopp", "Rad", "Källa"]
    data = rows[4:]
    assert data[0] == ["2025-03", "5011", 31200, "Arvoden", "Utfall!D2"]
    assert ["2025-08", "6110", 1000.5, "Ej budgeterat", f"Utfall!D{len(LEDGER)}"] in data
    total = sum(Decimal(str(r[2])) for r in data)
    tie = {r[0]: r[1] for r in sheet_rows(path, "Avstämning") if r and isinstance(r[0], str)}
    assert len(data) == tie["Rader i perioden"]
    assert total == Decimal(str(tie["Σ huvudbok i perioden"]))
    book = openpyxl.load_workbook(path)
    assert book["Transaktioner"].auto_filter.ref == f"A4:E{4 + len(data)}"


def test_a_sheet_of_the_economists_named_transaktioner_stops_the_run(tmp_path):
    path = workbook(tmp_path / "T.xlsx", Transaktioner=[["Mina transaktioner"]])
    before = path.read_bytes()
    result = CliRunner().invoke(main, [str(path)])
    assert result.exit_code == 1
    assert result.output.strip().endswith('bladet "Transaktioner" finns redan och skapades inte av reconcile; byt namn '
                                          "på det eller ta bort det och kör igen")
    assert path.read_bytes() == before and not (tmp_path / "T.xlsx.bak").exists()
    # with Transaktioner = nej it is the economist's sheet, left alone
    path = workbook(tmp_path / "N.xlsx", transactions="nej", Transaktioner=[["Mina transaktioner"]])
    assert CliRunner().invoke(main, [str(path), "--no-backup"]).exit_code == 0
    assert sheet_rows(path, "Transaktioner") == [["Mina transaktioner"]]


def test_a_bad_value_stops_naming_the_cell(tmp_path):
    path = workbook(tmp_path / "T.xlsx", transactions="kanske")
    result = CliRunner().invoke(main, [str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == f'{path}: Inställningar!B5: "kanske" är inte ja eller nej'


def rendered_sheet(rows: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("T")
    money, bold = book.add_format({"num_format": "#,##0.00"}), book.add_format({"bold": True})
    sheet.write_string(0, 0, "Rubrik", bold)
    for r in range(1, rows):
        sheet.write_string(r, 0, f"kod {r % 7}", bold)
        sheet.write_number(r, 1, r * 1.25, money)
        sheet.write_number(r, 2, r)
    book.close()
    return buffer.getvalue()


def test_the_pattern_graft_of_a_large_sheet_writes_what_the_element_graft_writes(monkeypatch):
    rendered = read_rendered(rendered_sheet(300))
    xml = rendered.sheets[0].xml
    xf_map = [7, 11, 12, 13, 14]
    slow = sheet_graft.graft_sheet(xml, rendered.shared, xf_map, [], {})
    monkeypatch.setattr(sheet_graft, "BULK", 100)
    fast = sheet_graft.graft_sheet(xml, rendered.shared, xf_map, [], {})
    assert fast == slow
    assert b'<c r="A2" s="' in fast and b"inlineStr" in fast


@pytest.mark.parametrize("xf_map", [[0, 5, 6, 7], [3, 5, 6, 7]])
def test_the_pattern_graft_gives_a_cell_without_format_the_rendered_default(monkeypatch, xf_map):
    rendered = read_rendered(rendered_sheet(50))
    monkeypatch.setattr(sheet_graft, "BULK", 100)
    fast = sheet_graft.graft_sheet(rendered.sheets[0].xml, rendered.shared, xf_map, [], {})
    monkeypatch.setattr(sheet_graft, "BULK", 1 << 40)
    assert fast == sheet_graft.graft_sheet(rendered.sheets[0].xml, rendered.shared, xf_map, [], {})


def _set_transactions(path, value):
    """The economist changes the setting (openpyxl stands in for Excel's save)."""
    book = openpyxl.load_workbook(path)
    settings = book["Inställningar"]
    row = next(r for r in range(1, settings.max_row + 1) if settings.cell(r, 1).value == "Transaktioner")
    settings.cell(row, 2, value)
    book.save(path)


def test_switched_off_after_a_run_the_sheet_keeps_no_rows_and_says_why(tmp_path):
    path = workbook(tmp_path / "T.xlsx")
    assert CliRunner().invoke(main, [str(path), "--no-backup"]).exit_code == 0
    assert len(sheet_rows(path, "Transaktioner")) > 5
    _set_transactions(path, "nej")
    result = CliRunner().invoke(main, [str(path), "--no-backup"])
    assert result.exit_code == 0, result.output
    rows = [row for row in sheet_rows(path, "Transaktioner") if any(v is not None for v in row)]
    assert rows == [["Testnämnd — Transaktioner jan–aug 2025"],
                    ["Bladet uppdateras inte längre: Transaktioner är nej på Inställningar, så raderna som stod här "
                     "har tagits bort. Sätt Transaktioner till ja för att få dem igen, eller ta bort bladet."]]
    _set_transactions(path, "ja")  # and back: the rows again
    assert CliRunner().invoke(main, [str(path), "--no-backup"]).exit_code == 0
    assert sheet_rows(path, "Transaktioner")[3] == ["Period", "Konto", "Belopp", "Rad", "Källa"]


def test_above_the_limit_an_earlier_sheet_keeps_no_rows_and_says_why(tmp_path, monkeypatch):
    import toolkit.engine.report as engine_report

    path = workbook(tmp_path / "T.xlsx")
    assert CliRunner().invoke(main, [str(path), "--no-backup"]).exit_code == 0
    monkeypatch.setattr(engine_report, "LIMIT", 3)
    assert CliRunner().invoke(main, [str(path), "--no-backup"]).exit_code == 0
    rows = [row for row in sheet_rows(path, "Transaktioner") if any(v is not None for v in row)]
    assert len(rows) == 2 and rows[1][0].startswith("Raderna skrevs inte: perioden har ")
    assert "fler än gränsen 3 " in rows[1][0]


def test_a_workbook_never_given_the_setting_gets_no_sheet(tmp_path):
    path = workbook(tmp_path / "T.xlsx", transactions="nej")
    assert CliRunner().invoke(main, [str(path), "--no-backup"]).exit_code == 0
    assert "Transaktioner" not in openpyxl.load_workbook(path).sheetnames
