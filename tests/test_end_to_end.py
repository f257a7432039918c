"""End to end on the example workbooks and on real corpus files: the figures
read back through openpyxl (cached values) and through LibreOffice after a
full recalculation must agree, and with an independent sum of the ledger."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import libreoffice
import openpyxl
import pytest
from click.testing import CliRunner
from examples import copy_example, example
from written import SHEETS, WRITTEN

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
INDEX_PARTS = {"[content_types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
               "xl/sharedstrings.xml", "docprops/app.xml", "xl/calcchain.xml"}


def reconcile(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def rows_by_label(ws) -> dict[str, tuple]:
    return {row[0].strip(): row for row in ws.iter_rows(values_only=True) if isinstance(row[0], str)}


def ledger_rows(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)["Utfall"]
    it = ws.iter_rows(values_only=True)
    head = next(it)
    return [dict(zip(head, r)) for r in it if any(v is not None for v in r)]


@pytest.fixture(scope="module")
def halmstad(tmp_path_factory):
    d = tmp_path_factory.mktemp("halmstad")
    path = d / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", path)
    line = reconcile(path)
    return path, line


def test_summary_line(halmstad):
    path, line = halmstad
    assert line == f"{path}: jan–aug 2025 · utfall 748 tkr · avvikelse -18 tkr · prognos 1 323 tkr · {WRITTEN}\n"


def test_figures_agree_with_an_independent_sum_of_the_ledger(halmstad):
    path, _ = halmstad
    ledger = ledger_rows(example("Halmstad.xlsx"))
    in_period = [r for r in ledger if 202501 <= int(r["Period"]) <= 202508]
    total_kr = sum(round(r["Belopp"] * 100) for r in in_period) / 100
    course = [r for r in in_period if str(r["Konto"]) in ("7050", "7051") and str(r["Ansvar"]) == "110010"
              and str(r["Verksamhet"]) == "1010"]
    course_kr = sum(round(r["Belopp"] * 100) for r in course) / 100

    ws = openpyxl.load_workbook(path, data_only=True)["Sammanställning"]
    rows = rows_by_label(ws)
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Rad")
    col = {" ".join(name.split()): i for i, name in enumerate(header)}  # a heading's line breaks as spaces
    assert rows["Totalt"][col["Utfall jan–aug"]] == pytest.approx(total_kr / 1000, abs=1e-9)
    kk = rows["Kurs och konferens"]
    assert kk[col["Utfall jan–aug"]] == pytest.approx(course_kr / 1000, abs=1e-9)
    assert kk[col["Avvikelse (periodiserad)"]] == pytest.approx(60 * 8 / 12 - course_kr / 1000, abs=1e-9)
    assert kk[col["Utfall %"]] == pytest.approx(course_kr / 60000, abs=1e-9)
    pct_cell = next(c for c in ws[1 + next(i for i, r in enumerate(ws.iter_rows(values_only=True))
                                           if r[0] == "Kurs och konferens")] if c.column == col["Utfall %"] + 1)
    assert pct_cell.number_format == "0 %"  # a real percent format: 0.73 shows "73 %"
    # the generated remainder of the development funds: 450 000 − 350 000
    assert rows["Ofördelat"][col["Budget 2025 i tkr"]] == pytest.approx(100)
    assert rows["Summa Utvecklingsmedel"][col["Budget 2025 i tkr"]] == pytest.approx(450)
    assert rows["Totalt"][col["Budget 2025 i tkr"]] == pytest.approx(1342)

    tie = rows_by_label(openpyxl.load_workbook(path, data_only=True)["Avstämning"])
    assert tie["Σ huvudbok i perioden"][1] == pytest.approx(total_kr, abs=0.001)
    assert tie["Differens (ska vara 0,00)"][1] == 0
    assert tie["Rader i perioden"][1] == len(in_period)

    result = rows_by_label(openpyxl.load_workbook(path, data_only=True)["Resultaträkning"])
    ack = result["Ackumulerad budgetavvikelse"]
    assert ack[1] == pytest.approx(-total_kr / 1000, abs=1e-9)
    assert ack[3] == pytest.approx(ack[1] - ack[2], abs=1e-9)


@pytest.mark.libreoffice
@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculation_agrees_with_stored_values(halmstad, tmp_path):
    path, _ = halmstad
    lo = libreoffice.sheets_as_csv(path, tmp_path)
    book = openpyxl.load_workbook(path, data_only=True)
    compared = 0
    for name in SHEETS:
        assert name in lo, f"LibreOffice does not see {name}"
        stored = [list(r) for r in book[name].iter_rows(values_only=True)]
        for r, row in enumerate(stored):
            for c, value in enumerate(row):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    seen = lo[name][r][c]
                    if seen.endswith("%"):  # LibreOffice writes percent cells as 67.15…%
                        seen = float(seen[:-1]) / 100
                    assert float(seen) == pytest.approx(value, rel=1e-9, abs=1e-9), (name, r + 1, c + 1)
                    compared += 1
                elif isinstance(value, str):
                    assert lo[name][r][c] == value, (name, r + 1, c + 1)
    assert compared > 100


def test_second_run_replaces_in_place_and_changes_nothing(halmstad, tmp_path):
    path, line = halmstad
    again = tmp_path / "again.xlsx"
    shutil.copy(path, again)
    reconcile(again)
    assert again.read_bytes() == path.read_bytes()
    assert openpyxl.load_workbook(again, read_only=True).sheetnames.count("Sammanställning") == 1


def test_untouched_parts_are_byte_identical(halmstad):
    path, _ = halmstad
    before, after = members(example("Halmstad.xlsx")), members(path)
    for name, data in before.items():
        if name.lower() in INDEX_PARTS:
            continue
        assert after.get(name) == data, name
    assert set(before) - {n for n in before if n.lower() == "xl/calcchain.xml"} <= set(after)


def test_navet_income_lines_and_matrix_ledger(tmp_path):
    path = tmp_path / "Navet.xlsx"
    copy_example("Navet.xlsx", path)
    line = reconcile(path)
    assert line.startswith(f"{path}: jan–jun 2025 · ")
    book = openpyxl.load_workbook(path, data_only=True)
    rows = rows_by_label(book["Sammanställning"])
    header = next(r for r in book["Sammanställning"].iter_rows(values_only=True) if r[0] == "Rad")
    col = {" ".join(name.split()): i for i, name in enumerate(header)}  # a heading's line breaks as spaces
    income = rows["Summa Intäkter"]
    assert income[col["Budget 2025 i tkr"]] == pytest.approx(12500)
    assert income[col["Utfall jan–jun"]] > 0  # income shown as a positive amount
    cost_lines = ["Personalkostnader", "Lokalkostnader", "Övriga kostnader"]
    net = sum(rows[n][col["Utfall jan–jun"]] for n in cost_lines) - income[col["Utfall jan–jun"]]
    net += rows["Ej budgeterat"][col["Utfall jan–jun"]] if "Ej budgeterat" in rows else 0
    assert rows["Totalt"][col["Utfall jan–jun"]] == pytest.approx(net, abs=1e-9)
    # the matrix ledger: every non-empty month cell of Jan–Jun is a ledger row
    ws = openpyxl.load_workbook(example("Navet.xlsx"), data_only=True)["Utfall"]
    it = ws.iter_rows(values_only=True)
    head = next(it)
    months = [head.index(m) for m in ("Jan", "Feb", "Mar", "Apr", "Maj", "Jun")]
    cells = [r[c] for r in it for c in months if r[c] is not None]
    tie = rows_by_label(book["Avstämning"])
    assert tie["Σ huvudbok i perioden"][1] == pytest.approx(sum(cells), abs=0.001)
    assert tie["Differens (ska vara 0,00)"][1] == 0


def _corpus_files(feature: str, count: int) -> list[Path]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return [CORPUS / "xlsx" / r[0] for r in rows if feature in r[-1].split(",")][:count]


CORPUS_CASES = [p for feature in ("chart", "image", "vba") for p in _corpus_files(feature, 2)]


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_CASES, reason="../shared/corpus is not beside the checkout")
@pytest.mark.parametrize("original", CORPUS_CASES, ids=lambda p: p.name)
def test_corpus_workbook_gets_the_sheets_and_keeps_everything(original, tmp_path):
    path = tmp_path / original.name
    shutil.copyfile(original, path)  # the corpus may be read-only; the copy is the user's own file
    halmstad = example("Halmstad.xlsx")
    line = reconcile(path, "--budget", halmstad, "--utfall", halmstad, "--period", "2025-08")
    assert "varning" not in line, line  # a normal month gets no warning, whatever workbook it is written to
    before, after = members(original), members(path)
    for name, data in before.items():
        if name.lower() in INDEX_PARTS:
            continue
        assert after.get(name) == data, name
    book = openpyxl.load_workbook(path, data_only=True, keep_vba=path.suffix == ".xlsm")
    assert book.sheetnames[-len(SHEETS):] == list(SHEETS)
    totalt = rows_by_label(book["Sammanställning"])["Totalt"]
    assert totalt[2] == pytest.approx(748.04125, abs=1e-9)
    first = path.read_bytes()
    reconcile(path, "--budget", halmstad, "--utfall", halmstad, "--period", "2025-08")
    assert path.read_bytes() == first
