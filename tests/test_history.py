"""Prognoshistorik: each closing month's forecast recorded and kept across
refreshes, read back from the sheet (a cell that cannot be read stops the run,
naming it), the forecast's movement on Sammanställning and the forecasts'
accuracy (prognossäkerhet)."""

from __future__ import annotations

import datetime as dt
import io
import signal
import subprocess
import sys
import time
import zipfile
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from builders import run
from click.testing import CliRunner
from workbook_factory import small_workbook

from toolkit.cli import main
from toolkit.consolidation import Consolidate
from toolkit.engine import history
from toolkit.engine.model import ForecastRecord
from toolkit.job import Job
from toolkit.read.history import read_history

ROOT = Path(__file__).resolve().parents[1]
SHEET = "Prognoshistorik"
DAY = dt.date(2025, 9, 3)
EPOCH = str(int(dt.datetime(2025, 9, 3, tzinfo=dt.timezone.utc).timestamp()))

TREE = [["Rad", "Överordnad", "Typ", "Budget", "Konto", "Prognos", "Uppdrag"],
        ["Personal", None, "Kostnad", None, None, None, "Drift"],
        ["Löner", "Personal", None, 1_200_000, "5010", None, None],
        ["Arvoden", "Personal", None, 600_000, "5011", 650_000, None],
        ["Lokaler", None, "Kostnad", 240_000, "5100", None, "Drift"],
        ["Avgifter", None, "Intäkt", 120_000, "3010", None, "Avgifter"]]
TREE_LEDGER = [["Period", "Konto", "Belopp"], [202501, "5010", 100_000.25], [202502, "5010", 100_000],
               [202501, "5011", 40_000], [202502, "5100", 20_000], [202502, "3010", -9_000.5], [202502, "6110", 99]]


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    """Every run records DAY (in this process and in the subprocesses it starts)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def by_key(records) -> dict:
    return {(r.period, r.level, r.path): r for r in records}


# -- recording a month (engine) --------------------------------------------------------------------------


def test_a_month_is_recorded_per_line_summa_uppdrag_and_totalt_in_ore():
    report = run(TREE, TREE_LEDGER, period=2)
    records = history.records_of(report)
    got = {(r.level, r.path): (r.budget, r.actual, r.forecast, r.method) for r in records}
    assert {r.period for r in records} == {202502}
    assert got[("rad", ("Personal", "Löner"))] == (120_000_000, 20_000_025, 120_000_000, "budget")
    assert got[("rad", ("Personal", "Arvoden"))] == (60_000_000, 4_000_000, 65_000_000, "egen")
    assert got[("summa", ("Summa Personal",))] == (180_000_000, 24_000_025, 185_000_000, "blandad")
    assert got[("rad", ("Avgifter",))] == (12_000_000, 900_050, 12_000_000, "budget")  # income, its own sign
    assert got[("rad", ("Ej budgeterat",))] == (0, 9_900, 9_900, "utfall")
    assert got[("summa", ("Summa intäkter",))][:3] == (12_000_000, 900_050, 12_000_000)
    assert got[("summa", ("Summa kostnader",))][:3] == (204_000_000, 26_009_925, 209_009_900)
    # Totalt and the Uppdrag: net cost (costs − income)
    assert got[("totalt", ("Totalt",))] == (192_000_000, 25_109_875, 197_009_900, "blandad")
    assert got[("uppdrag", ("Drift",))] == (204_000_000, 26_000_025, 209_000_000, "blandad")
    assert got[("uppdrag", ("Avgifter",))] == (-12_000_000, -900_050, -12_000_000, "budget")
    assert got[("uppdrag", ("Ej budgeterat",))] == (0, 9_900, 9_900, "utfall")
    # Sammanställning's order: the lines, a Summa row after its lines, then the closing rows, then the Uppdrag
    assert [(r.level, r.path[-1]) for r in records][:3] == [("rad", "Löner"), ("rad", "Arvoden"),
                                                            ("summa", "Summa Personal")]
    assert records[-1].level == "uppdrag"


def test_nothing_is_recorded_before_anything_is_booked():
    assert history.records_of(run(TREE, TREE_LEDGER, period=0)) == []


def record(month: int, label: str, forecast: int, *, level: str = "rad", actual: int = 0, run_on=None):
    return ForecastRecord(202500 + month, level, (label,), 1000, actual, forecast, "budget", run_on)


def test_a_refresh_replaces_its_own_month_and_keeps_every_other():
    earlier = dt.date(2025, 5, 2)
    kept = [record(3, "Löner", 100, run_on=earlier), record(4, "Löner", 110, run_on=earlier),
            record(4, "Resor", 5, run_on=earlier), record(6, "Löner", 130, run_on=earlier)]
    merged = history.merge(kept, [record(4, "Löner", 120), record(4, "Lokaler", 7)], DAY)
    assert [(r.month, r.path[0], r.forecast, r.run) for r in merged] == [
        (3, "Löner", 100, earlier), (4, "Löner", 120, DAY), (4, "Lokaler", 7, DAY), (6, "Löner", 130, earlier)]


def test_the_same_figures_keep_their_records_and_dates():
    earlier = dt.date(2025, 5, 2)
    kept = [record(4, "Resor", 5, run_on=earlier), record(4, "Löner", 110, run_on=earlier)]
    merged = history.merge(kept, [record(4, "Löner", 110), record(4, "Resor", 5)], DAY)
    assert {r.run for r in merged} == {earlier}
    changed = history.merge(kept, [record(4, "Löner", 110), record(4, "Resor", 6)], DAY)
    assert {r.run for r in changed} == {DAY}  # the month is recorded anew, as one run


def test_movement_is_the_latest_earlier_month_of_the_year():
    records = [record(5, "Löner", 100), record(6, "Löner", 110), record(8, "Löner", 130),
               ForecastRecord(202412, "rad", ("Löner",), 0, 0, 1, "budget")]
    assert history.movement(records, 2025, 8).month == 6
    assert history.movement(records, 2025, 6).month == 5  # a run of an earlier month sees what came before it
    assert history.movement(records, 2025, 5).month is None
    assert history.movement(records, 2025, 8).forecasts[("rad", ("löner",))] == 110  # labels as headings compare


def test_accuracy_against_the_latest_forecast_until_december():
    records = [record(m, "Totalt", f, level="totalt", actual=10 * m) for m, f in ((4, 900), (8, 1000), (9, 1200))]
    found = history.accuracy(records, 2025, 9)
    assert (found.reference, found.closed) == (9, False)
    (total,) = found.areas
    assert total.outcome == 1200
    assert [(r.month, r.deviation, r.share) for r in total.rows] == [
        (4, -300, Fraction(-1, 4)), (8, -200, Fraction(-1, 6)), (9, 0, 0)]
    assert [r.month for r in history.accuracy(records, 2025, 8).areas[0].rows] == [4, 8]  # as of August


def test_accuracy_against_the_years_utfall_once_december_is_closed():
    records = [record(4, "Totalt", 900, level="totalt"), record(12, "Totalt", 1000, level="totalt", actual=960),
               record(4, "Politik", 300, level="uppdrag"), record(12, "Politik", 310, level="uppdrag", actual=0)]
    found = history.accuracy(records, 2025, 12)
    assert found.closed
    total, politik = found.areas
    assert (total.outcome, [(r.deviation, r.share) for r in total.rows]) == (
        960, [(-60, Fraction(-60, 960)), (40, Fraction(40, 960))])
    assert (politik.name, politik.outcome, [r.share for r in politik.rows]) == ("Politik", 0, [None, None])


# -- on the workbook ---------------------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return small_workbook(tmp_path / "Test.xlsx")


def history_of(path: Path):
    return read_history(path)


def test_refreshes_of_other_months_keep_each_month(book):
    for period in ("6", "7", "8"):
        assert cli("Test.xlsx", "--period", period).exit_code == 0
    first = history_of(book)
    assert sorted({r.month for r in first}) == [6, 7, 8]
    assert {r.run for r in first} == {DAY}
    assert [r.month for r in first] == sorted(r.month for r in first)  # month by month


def refreshed_with_edits(book: Path) -> Path:
    """Months 6–8 refreshed, then the Budget edited in the workbook (a line renamed, an amount changed)
    as Excel would save it (openpyxl stands in)."""
    for period in ("6", "7", "8"):
        assert cli("Test.xlsx", "--period", period).exit_code == 0
    wb = openpyxl.load_workbook(book)
    wb["Budget"]["A2"] = "Arvoden och resor"
    wb["Budget"]["D3"] = 300000
    wb.save(book)
    return book


def test_a_budget_edit_and_a_renamed_line_never_change_earlier_months(book):
    refreshed_with_edits(book)
    before = by_key(history_of(book))
    assert cli("Test.xlsx", "--period", "7").exit_code == 0
    after = by_key(history_of(book))
    for key, old in before.items():
        if key[0] != 202507:
            assert after[key] == old and after[key].run == old.run, key  # June and August as they were
    july = {key[1:]: r for key, r in after.items() if key[0] == 202507}
    assert ("rad", ("Arvoden",)) not in july and july[("rad", ("Arvoden och resor",))].budget == 6_000_000
    assert july[("rad", ("Utveckling",))].budget == 30_000_000
    assert before[(202506, "rad", ("Arvoden",))].budget == 6_000_000  # the old name kept in June
    assert before[(202506, "rad", ("Utveckling",))].budget == 24_000_000


def test_an_unchanged_rerun_writes_nothing(book):
    assert cli("Test.xlsx", "--period", "7").exit_code == 0
    assert cli("Test.xlsx").exit_code == 0
    written, stamp = book.read_bytes(), book.stat().st_mtime_ns
    result = cli("Test.xlsx")
    assert "bladen var redan aktuella, inget skrevs" in result.stdout
    assert book.read_bytes() == written and book.stat().st_mtime_ns == stamp


def test_the_history_is_exact_in_ore_and_reads_back_as_written(book):
    assert cli("Test.xlsx").exit_code == 0
    records = history_of(book)
    report = Job(book).reconcile()
    assert tuple(report.history) == records
    unbudgeted = next(r for r in records if r.path == ("Ej budgeterat",) and r.level == "rad")
    assert (unbudgeted.actual, unbudgeted.forecast) == (100_050, 100_050)  # 1 000,50 kr: LEDGER's öre
    ws = openpyxl.load_workbook(book)[SHEET]
    heading = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Period")
    assert [c.value for c in ws[heading]] == ["Period", "Rad", "Nivå", "Budget", "Utfall (ack.)", "Prognos",
                                              "Metod", "Körd"]
    row = next(r for r in range(heading, ws.max_row + 1) if ws.cell(r, 2).value == "Ej budgeterat")
    assert [ws.cell(row, c).value for c in range(1, 9)] == ["2025-08", "Ej budgeterat", "rad", 0, 1000.5, 1000.5,
                                                            "utfall", dt.datetime(2025, 9, 3)]
    assert ws.cell(row, 5).number_format == "#,##0.00" and ws.cell(row, 8).number_format == "yyyy-mm-dd"


# -- a history that cannot be read stops the run, naming the cell ------------------------------------------


def typed_over(book: Path, change) -> Path:
    assert cli("Test.xlsx", "--period", "7").exit_code == 0
    assert cli("Test.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb[SHEET]
    heading = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Period")
    change(ws, heading)
    wb.save(book)
    return book


def copy_row(ws, source: int, dest: int) -> None:
    for c in range(1, 9):
        ws.cell(dest, c, ws.cell(source, c).value).number_format = ws.cell(source, c).number_format


FIX = "rätta cellen och kör igen (historiken är tidigare körningars prognoser och skrivs inte om förrän den kan läsas)"


@pytest.mark.parametrize("change, line", [
    (lambda ws, h: ws.cell(h, 3, "Niva 2"),
     'Prognoshistorik!C{h}: rubriken är "Niva 2" men ska vara "Nivå"; återställ den och kör igen (raderna under den '
     'är tidigare månaders prognoser)'),
    (lambda ws, h: ws.cell(h + 2, 4, "ett tusen"), 'Prognoshistorik!D{r}: "ett tusen" är inte ett belopp; ' + FIX),
    (lambda ws, h: setattr(ws.cell(h + 2, 6), "value", None), "Prognoshistorik!F{r}: beloppet saknas; " + FIX),
    (lambda ws, h: ws.cell(h + 2, 1, "juli"),
     'Prognoshistorik!A{r}: "juli" är ingen period (skriv den som 2025-08); ' + FIX),
    (lambda ws, h: ws.cell(h + 2, 3, "linje"),
     'Prognoshistorik!C{r}: "linje" är ingen nivå (rad, summa, uppdrag eller totalt); ' + FIX),
    (lambda ws, h: ws.cell(h + 2, 8, "igår"),
     'Prognoshistorik!H{r}: "igår" är inget datum (skriv det som 2025-09-05); ' + FIX),
    (lambda ws, h: ws.cell(h + 2, 9, "min anteckning"),
     'Prognoshistorik!I{r}: reconcile skriver om bladet Prognoshistorik vid varje körning, så "min anteckning" här '
     'skulle försvinna; flytta det till ett eget blad och kör igen'),
    (lambda ws, h: copy_row(ws, h + 1, ws.max_row + 1),
     'Prognoshistorik!B{last}: raden "Arvoden" (rad) för 2025-07 finns redan på rad {first}; ta bort den ena och '
     'kör igen'),
    (lambda ws, h: ws.cell(h, 1, "Månad"),
     "Prognoshistorik: hittar inte rubrikraden för prognoshistoriken (Period, Rad, Nivå, Budget, Utfall (ack.), "
     "Prognos, Metod, Körd); återställ den och kör igen (raderna under den är tidigare månaders prognoser, som inte "
     "kan räknas fram igen), eller ta bort bladet för att börja om"),
])
def test_a_cell_that_cannot_be_read_stops_the_run_and_nothing_is_written(book, tmp_path, change, line):
    typed_over(book, change)
    before, names = book.read_bytes(), sorted(p.name for p in tmp_path.iterdir())
    ws = openpyxl.load_workbook(book)[SHEET]
    h = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Period"), None)
    result = cli("Test.xlsx")
    assert result.exit_code == 1
    h = h or 0
    assert result.stderr == "Test.xlsx: " + line.format(h=h, r=h + 2, last=ws.max_row, first=h + 1) + "\n"
    assert book.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == names


def test_what_excel_makes_of_typed_cells_is_read(book):
    """A period retyped (Excel makes it a date), an amount typed as Swedish text, a row emptied: read, not stopped."""
    def change(ws, h):
        ws.cell(h + 1, 1, dt.datetime(2025, 7, 1)).number_format = "mmm-yy"
        ws.cell(h + 2, 4, "1 234,50")
        for c in range(1, 9):
            ws.cell(h + 3, c).value = None

    typed_over(book, change)
    records = history_of(book)
    assert records[0].period == 202507 and records[1].budget == 123_450
    months = [len(history.records_of(Job(book, period=period).reconcile())) for period in ("7", "8")]
    assert len(records) == sum(months) - 1  # the emptied row passed over


# -- Sammanställning: the forecast's movement ----------------------------------------------------------------


def summary_row(book: Path, label: str) -> dict:
    ws = openpyxl.load_workbook(book)["Sammanställning"]
    heads = [c.value for c in ws[4]]
    row = next(r for r in ws.iter_rows(min_row=5) if r[0].value == label)
    return {h: c.value for h, c in zip(heads, row) if h}


def test_movement_columns_appear_with_an_earlier_month(book):
    assert cli("Test.xlsx", "--period", "6").exit_code == 0
    assert "Prognos\nföregående månad" not in summary_row(book, "Arvoden")
    assert cli("Test.xlsx", "--period", "7").exit_code == 0
    row = summary_row(book, "Arvoden")
    assert row["Prognos\nföregående månad"] == 60 and row["Förändring\nprognos"].startswith("=F")
    assert "-H" in row["Förändring\nprognos"]
    assert summary_row(book, "Totalt")["Prognos\nföregående månad"] == 180  # net cost: 60 + 240 − 120 tkr


def test_the_month_compared_with_is_named_when_it_is_not_the_one_before(book):
    assert cli("Test.xlsx", "--period", "5").exit_code == 0
    assert cli("Test.xlsx", "--period", "8").exit_code == 0
    row = summary_row(book, "Arvoden")
    assert row["Prognos\nmaj"] == 60 and row["Förändring\nprognos"].startswith("=F")


# -- the Word report, the consolidation ------------------------------------------------------------------------


def test_the_report_shows_the_accuracy_from_two_months(book):
    text = cli("report", "Test.xlsx", "--text", "-", "--avsnitt", "4").stdout
    assert "Prognossäkerhet" not in text  # August alone
    assert cli("Test.xlsx", "--period", "7").exit_code == 0
    text = cli("report", "Test.xlsx", "--text", "-", "--avsnitt", "4").stdout  # July on record, August this run's
    assert "4.3.1 Prognossäkerhet 2025" in text
    assert "Område\tMånad\tPrognos\tPrognos aug\tAvvikelse\tAvvikelse %" in text
    assert "Totalt\tjuli\t180\t181\t-1\t-1\u00a0%" in text  # 1 000,50 kr Ej budgeterat in August


def test_a_consolidation_records_its_own_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = small_workbook(tmp_path / "A.xlsx")
    b = small_workbook(tmp_path / "B.xlsx")
    out = tmp_path / "Förbund.xlsx"
    for period in ("7", "8"):
        Consolidate([a, b], out, period=period, backup=None).run()
    records = history_of(out)
    assert sorted({r.month for r in records}) == [7, 8]
    total = next(r for r in records if r.level == "totalt" and r.month == 8)
    one = next(r for r in history.records_of(Job(a).reconcile()) if r.level == "totalt")
    assert (total.budget, total.actual, total.forecast) == (2 * one.budget, 2 * one.actual, 2 * one.forecast)
    assert history_of(a) is None  # the units are not written


# -- killed while writing: the history is old or new, never lost ------------------------------------------------

DRIVER = r"""
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from toolkit.job import Job

path, crash_at = Path(sys.argv[1]), int(sys.argv[2])
calls = 0
if crash_at:
    import toolkit.package.atomic as atomic, toolkit.package.backup as backup
    def dying(real):
        def step(*args, **kwargs):
            global calls
            calls += 1
            if calls == crash_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return step
    for module in (atomic, backup):
        module.os = type(os)("os_wrapper")
        module.os.__dict__.update(os.__dict__)
        for name in ("replace", "fsync", "fdopen", "unlink", "chmod"):
            setattr(module.os, name, dying(getattr(os, name)))
print("ready", flush=True)
i = 0
while True:
    Job(path, period=("7", "8")[i % 2]).run()
    i += 1
"""


def _intact(book: Path, kept: dict, months: dict) -> None:
    """The workbook opens, its earlier months are exactly as they were, and each month it holds is whole."""
    data = book.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
    openpyxl.load_workbook(io.BytesIO(data), read_only=True).close()
    found = by_key(read_history(book))
    assert {k: v for k, v in found.items() if k[0] in (202505, 202506)} == kept
    assert all(found[k].run == v.run for k, v in kept.items())
    for month, records in months.items():
        held = {k: v for k, v in found.items() if k[0] == month}
        assert held in ({}, records), month


def test_killed_while_writing_leaves_the_history_intact(book, tmp_path):
    for period in ("5", "6"):
        assert cli("Test.xlsx", "--period", period, "--no-backup").exit_code == 0
    kept = by_key(read_history(book))
    months = {}
    for period in (7, 8):
        report = Job(book, period=str(period)).reconcile()
        months[202500 + period] = {k: v for k, v in by_key(report.history).items() if k[0] == 202500 + period}
    delays = [0.3, 0.9, 1.6]
    for crash_at in (*range(1, 9), 0, 0, 0):
        proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(book), str(crash_at), str(ROOT)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        if crash_at:
            proc.wait(timeout=120)
            assert proc.returncode == -signal.SIGKILL, proc.stderr.read()[-500:]
        else:  # at a moment of its own
            time.sleep(delays.pop())
            proc.kill()
            proc.wait(timeout=60)
        _intact(book, kept, months)
        if (tmp_path / "Test.xlsx.bak").exists():
            _intact(tmp_path / "Test.xlsx.bak", kept, months)
    assert {r.month for r in read_history(book)} >= {5, 6}
