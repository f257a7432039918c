"""``reconcile FOLDER``: every workbook of a folder refreshed (in parallel), one
line each in name order, a summary line, the exit code of the worst outcome;
``--json`` as one document, ``--log`` as timestamped lines (CliRunner)."""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import threading
import time
from pathlib import Path

import examples
import pytest
from click.testing import CliRunner
from workbook_factory import BUDGET, small_workbook
from written import SHEETS, WRITTEN

from toolkit import folder
from toolkit.cli import main
from toolkit.errors import SLUGS
from toolkit.package import toolkit_sheet_names

ROOT = Path(__file__).resolve().parents[1]
OURS = list(SHEETS)

# The summary lines of the workbooks used here (see README and test_cli)
HALMSTAD = "jan–aug 2025 · utfall 748 tkr · avvikelse -18 tkr · prognos 1 323 tkr"
NAVET = "jan–jun 2025 · utfall 109 tkr · avvikelse -85 tkr · prognos 85 tkr"
SMALL = "jan–aug 2025 · utfall 48 tkr · avvikelse +23 tkr · prognos 181 tkr"
UNCHANGED = "bladen var redan aktuella, inget skrevs"
CHECKED = "kontroll, inget skrivet"
NOT_A_ZIP = "filen är inte en .xlsx-arbetsbok (inte ett zip-paket); spara den som .xlsx i Excel och kör igen"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{4} ")


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def fm(name: str, folder_name: str = "fm") -> str:
    """A workbook's path as the CLI prints it (relative to the working directory)."""
    return str(Path(folder_name, name))


def copy_example(name: str, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    return examples.copy_example(name, dest)


def mixed_folder(base: Path) -> Path:
    """Five workbooks — three good, one not a zip, one open in Excel — and the
    files a real folder has beside them, none of which is a workbook to run."""
    fm_dir = base / "fm"
    fm_dir.mkdir(parents=True)
    copy_example("Halmstad.xlsx", fm_dir / "Halmstad.xlsx")
    small_workbook(fm_dir / "Kungsbacka.xlsx")
    copy_example("Navet.xlsx", fm_dir / "Navet.xlsx")
    (fm_dir / "Trasig.xlsx").write_bytes(b"det har ar ingen arbetsbok")
    copy_example("Navet.xlsx", fm_dir / "Varberg.xlsx")
    (fm_dir / "~$Varberg.xlsx").write_bytes(b"owner")  # Varberg.xlsx is open in Excel
    # not workbooks of the folder:
    (fm_dir / ".~lock.Gammal.xlsx#").write_bytes(b"lock")
    copy_example("Halmstad.xlsx", fm_dir / ".Dold.xlsx")
    copy_example("Navet.xlsx", fm_dir / "Navet.20251123-021500.xlsx")  # a --backup copy beside its workbook
    (fm_dir / "anteckningar.txt").write_text("inte en arbetsbok", encoding="utf-8")
    copy_example("Halmstad.xlsx", fm_dir / "Undermapp" / "Laholm.xlsx")  # sub-folders are not run
    return fm_dir


MIXED_STDOUT = (f"{fm('Halmstad.xlsx')}: {HALMSTAD} · {WRITTEN}\n"
                f"{fm('Kungsbacka.xlsx')}: {SMALL} · {WRITTEN}\n"
                f"{fm('Navet.xlsx')}: {NAVET} · {WRITTEN}\n"
                "fm: 5 arbetsböcker · 3 skrivna, 1 låst, 1 med fel\n")
MIXED_STDERR = (f"{fm('Trasig.xlsx')}: {NOT_A_ZIP}\n"
                f"{fm('Varberg.xlsx')}: arbetsboken är öppen i Excel (~$Varberg.xlsx); stäng den och kör igen — "
                "inget skrevs\n")


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


# --- the done-when scenario -------------------------------------------------------------------------------------


def test_a_broken_and_a_locked_workbook_do_not_stop_the_rest(runner, cwd):
    fm_dir = mixed_folder(cwd)
    before = snapshot(fm_dir)
    result = run(runner, "fm")
    assert result.exit_code == 1
    assert result.stdout == MIXED_STDOUT
    assert result.stderr == MIXED_STDERR
    # one line per workbook in name order, failures included, then the summary
    lines = MIXED_STDOUT.splitlines()
    assert result.output.splitlines() == lines[:3] + MIXED_STDERR.splitlines() + lines[3:]
    for name in ("Halmstad.xlsx", "Kungsbacka.xlsx", "Navet.xlsx"):
        assert toolkit_sheet_names(fm_dir / name) == OURS
        assert (fm_dir / f"{name}.bak").read_bytes() == before[name]
    after = snapshot(fm_dir)
    for name in ("Trasig.xlsx", "Varberg.xlsx", ".Dold.xlsx", "Navet.20251123-021500.xlsx",
                 str(Path("Undermapp", "Laholm.xlsx"))):
        assert after[name] == before[name], name
    assert not (fm_dir / "Varberg.xlsx.bak").exists() and not (fm_dir / "Trasig.xlsx.bak").exists()
    assert set(after) == set(before) | {"Halmstad.xlsx.bak", "Kungsbacka.xlsx.bak", "Navet.xlsx.bak"}


def test_json_is_one_document_matching_the_files(runner, cwd):
    fm_dir = mixed_folder(cwd)
    for name in ("Halmstad.xlsx", "Navet.xlsx"):  # the reference: single-workbook runs on pristine copies
        copy_example(name, cwd / "ref" / name)
    small_workbook(cwd / "ref" / "Kungsbacka.xlsx")
    trasig = (fm_dir / "Trasig.xlsx").read_bytes()
    varberg = (fm_dir / "Varberg.xlsx").read_bytes()

    result = run(runner, "fm", "--json")
    assert result.exit_code == 1
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert set(doc) == {"folder", "counts", "seconds", "workbooks"}
    assert doc["folder"] == "fm"
    assert doc["counts"] == {"written": 3, "unchanged": 0, "checked": 0, "skipped": 0, "locked": 1, "error": 1,
                             "with_warnings": 0}
    assert isinstance(doc["seconds"], float) and doc["seconds"] >= 0
    records = doc["workbooks"]
    assert [(r["path"], r["status"]) for r in records] == [
        (fm("Halmstad.xlsx"), "written"), (fm("Kungsbacka.xlsx"), "written"), (fm("Navet.xlsx"), "written"),
        (fm("Trasig.xlsx"), "error"), (fm("Varberg.xlsx"), "locked")]

    for record in records[:3]:
        name = Path(record["path"]).name
        assert {"path", "status", "period", "totals_kr", "tieout_kr", "findings", "seconds"} <= set(record)
        assert isinstance(record["seconds"], float) and record["seconds"] >= 0
        assert record["written"] == record["path"]
        assert record["sheets"] == OURS
        assert toolkit_sheet_names(fm_dir / name) == OURS  # the file really got the sheets
        single = run(runner, Path("ref", name), "--check", "--json")
        assert single.exit_code == 0, single.output
        alone = json.loads(single.stdout)
        for key in ("unit", "year", "period", "period_label", "method", "totals_kr", "tieout_kr", "findings"):
            assert record[key] == alone[key], (name, key)
    assert records[0]["period"] == 8 and records[0]["totals_kr"]["actual"] == 748041.25
    assert records[2]["period"] == 6 and records[2]["totals_kr"]["actual"] == 108872.92

    error, locked = records[3], records[4]
    position = {"slug", "file", "where", "sheet", "cell", "line"}  # the error as data, as for one workbook
    assert set(error) == {"path", "status", "message", "seconds"} | position
    assert error["message"] == MIXED_STDERR.splitlines()[0]
    assert set(locked) == {"path", "status", "message", "seconds"} | position
    assert locked["message"] == MIXED_STDERR.splitlines()[1]
    assert error["slug"] in SLUGS and locked["slug"] in SLUGS and error["slug"] != locked["slug"]
    assert (fm_dir / "Trasig.xlsx").read_bytes() == trasig
    assert (fm_dir / "Varberg.xlsx").read_bytes() == varberg
    assert toolkit_sheet_names(fm_dir / "Varberg.xlsx") == []


def test_the_second_run_finds_everything_current_and_writes_nothing(runner, cwd):
    fm_dir = mixed_folder(cwd)
    first = run(runner, "fm")
    assert first.exit_code == 1
    written = {name: (fm_dir / name).stat().st_mtime_ns for name in ("Halmstad.xlsx", "Kungsbacka.xlsx", "Navet.xlsx")}
    before = snapshot(fm_dir)
    again = run(runner, "fm")
    assert again.exit_code == 1
    assert again.stdout == (f"{fm('Halmstad.xlsx')}: {HALMSTAD} · {UNCHANGED}\n"
                            f"{fm('Kungsbacka.xlsx')}: {SMALL} · {UNCHANGED}\n"
                            f"{fm('Navet.xlsx')}: {NAVET} · {UNCHANGED}\n"
                            "fm: 5 arbetsböcker · 3 redan aktuella, 1 låst, 1 med fel\n")
    assert again.stderr == MIXED_STDERR
    assert snapshot(fm_dir) == before
    assert {name: (fm_dir / name).stat().st_mtime_ns for name in written} == written
    as_json = json.loads(run(runner, "fm", "--json").stdout)
    assert as_json["counts"]["unchanged"] == 3
    assert [r["status"] for r in as_json["workbooks"][:3]] == ["unchanged"] * 3


class _SpyPool(concurrent.futures.ProcessPoolExecutor):
    created: list[int] = []

    def __init__(self, max_workers=None, *args, **kwargs):
        _SpyPool.created.append(max_workers)
        super().__init__(max_workers, *args, **kwargs)


@pytest.mark.parametrize("jobs", [["--jobs", "2"], []], ids=["jobs-2", "default"])
def test_parallel_and_serial_runs_print_the_same(runner, tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # the default is one worker per core
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _SpyPool)
    _SpyPool.created.clear()
    results = {}
    for mode, args in (("parallel", jobs), ("serial", ["--jobs", "1"])):
        base = tmp_path / mode
        mixed_folder(base)
        monkeypatch.chdir(base)
        results[mode] = run(runner, "fm", *args)
        if mode == "parallel":
            assert _SpyPool.created == [2]  # the real process pool ran it
    assert _SpyPool.created == [2]  # --jobs 1 runs in this process
    parallel, serial = results["parallel"], results["serial"]
    assert parallel.exit_code == serial.exit_code == 1
    assert parallel.stdout == serial.stdout == MIXED_STDOUT
    assert parallel.stderr == serial.stderr == MIXED_STDERR
    assert parallel.output == serial.output
    for name in ("Halmstad.xlsx", "Kungsbacka.xlsx", "Navet.xlsx"):
        a, b = tmp_path / "parallel" / "fm" / name, tmp_path / "serial" / "fm" / name
        assert a.read_bytes() == b.read_bytes()  # the same inputs give byte-identical output


# --- one failure does not stop the others ----------------------------------------------------------------------


def test_a_bad_budget_cell_is_one_line_and_the_others_are_written(runner, cwd):
    budget = [row[:] for row in BUDGET]
    budget[1][3] = "sextio tusen"
    (cwd / "fm").mkdir()
    small_workbook(cwd / "fm" / "Falkenberg.xlsx", Budget=budget)
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")
    small_workbook(cwd / "fm" / "Hylte.xlsx")
    before = (cwd / "fm" / "Falkenberg.xlsx").read_bytes()
    result = run(runner, "fm", "--jobs", "2")
    assert result.exit_code == 1
    assert result.stderr == f'{fm("Falkenberg.xlsx")}: Budget!D2: "sextio tusen" är inte ett belopp\n'
    assert result.stdout == (f"{fm('Halmstad.xlsx')}: {HALMSTAD} · {WRITTEN}\n"
                             f"{fm('Hylte.xlsx')}: {SMALL} · {WRITTEN}\n"
                             "fm: 3 arbetsböcker · 2 skrivna, 1 med fel\n")
    assert (cwd / "fm" / "Falkenberg.xlsx").read_bytes() == before
    assert not (cwd / "fm" / "Falkenberg.xlsx.bak").exists()


def test_an_unexpected_error_in_one_workbook_is_one_line(runner, cwd, monkeypatch):
    import toolkit.render

    real = toolkit.render.render

    def render(report):
        if report.unit == "Testnämnd":
            raise RuntimeError("trasig")
        return real(report)

    monkeypatch.setattr(toolkit.render, "render", render)
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")  # makes the folder
    small_workbook(cwd / "fm" / "Hylte.xlsx")
    before = (cwd / "fm" / "Hylte.xlsx").read_bytes()
    result = run(runner, "fm", "--jobs", "1")  # in this process, where render is replaced
    assert result.exit_code == 1
    assert result.stdout == f"{fm('Halmstad.xlsx')}: {HALMSTAD} · {WRITTEN}\nfm: 2 arbetsböcker · 1 skriven, 1 med fel\n"
    assert result.stderr == f"{fm('Hylte.xlsx')}: oväntat fel (RuntimeError: trasig); inget skrevs\n"
    assert (cwd / "fm" / "Hylte.xlsx").read_bytes() == before
    doc = json.loads(run(runner, "fm", "--jobs", "1", "--json").stdout)
    record = doc["workbooks"][1]
    assert record["status"] == "error" and "RuntimeError: trasig" in record["traceback"]


_REAL_REFRESH = folder.refresh


def _dies_in_worker(path: Path, options: folder.Options) -> folder.Outcome:
    """refresh, but the worker process running Krasch.xlsx dies (as on a segfault or the OOM killer)."""
    if path.name == "Krasch.xlsx":
        os._exit(9)
    return _REAL_REFRESH(path, options)


def test_a_worker_that_dies_costs_only_its_own_workbook(runner, cwd, monkeypatch):
    monkeypatch.setattr(folder, "refresh", _dies_in_worker)
    copy_example("Halmstad.xlsx", cwd / "fm" / "A.xlsx")
    copy_example("Halmstad.xlsx", cwd / "fm" / "Krasch.xlsx")
    copy_example("Navet.xlsx", cwd / "fm" / "Z.xlsx")
    result = run(runner, "fm", "--jobs", "2", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{fm('A.xlsx')}: {HALMSTAD} · {CHECKED}"
    assert result.stdout.splitlines()[-1] == "fm: 3 arbetsböcker · 2 kontrollerade, 1 med fel"
    assert result.stderr.startswith(f"{fm('Krasch.xlsx')}: ")


# --- exit codes --------------------------------------------------------------------------------------------------


def test_locked_but_no_error_exits_3(runner, cwd):
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")
    copy_example("Navet.xlsx", cwd / "fm" / "Navet.xlsx")
    (cwd / "fm" / ".~lock.Navet.xlsx#").write_bytes(b"lock")
    result = run(runner, "fm")
    assert result.exit_code == 3
    assert result.stdout == f"{fm('Halmstad.xlsx')}: {HALMSTAD} · {WRITTEN}\nfm: 2 arbetsböcker · 1 skriven, 1 låst\n"
    assert result.stderr == (f"{fm('Navet.xlsx')}: arbetsboken är öppen i LibreOffice (.~lock.Navet.xlsx#); "
                             "stäng den och kör igen — inget skrevs\n")


def test_all_good_exits_0_and_check_writes_nothing(runner, cwd):
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")
    copy_example("Navet.xlsx", cwd / "fm" / "Navet.xlsx")
    before = snapshot(cwd / "fm")
    checked = run(runner, "fm", "--check", "--period", "2025-06")
    assert checked.exit_code == 0
    assert checked.stdout == (f"{fm('Halmstad.xlsx')}: jan–jun 2025 · utfall 599 tkr · avvikelse -41 tkr · "
                              f"prognos 1 323 tkr · {CHECKED}\n"
                              f"{fm('Navet.xlsx')}: {NAVET} · {CHECKED}\n"
                              "fm: 2 arbetsböcker · 2 kontrollerade\n")
    assert snapshot(cwd / "fm") == before
    written = run(runner, "fm")
    assert written.exit_code == 0 and written.stderr == ""
    assert written.stdout.endswith("fm: 2 arbetsböcker · 2 skrivna\n")


def test_an_empty_folder(runner, cwd):
    (cwd / "tom").mkdir()
    (cwd / "tom" / "~$Borta.xlsx").write_bytes(b"owner")
    result = run(runner, "tom")
    assert result.exit_code == 0
    assert result.stdout == "tom: 0 arbetsböcker · inga\n"
    doc = json.loads(run(runner, "tom", "--json").stdout)
    assert doc["workbooks"] == [] and set(doc["counts"].values()) == {0}


def test_one_workbook_is_counted_in_the_singular(runner, cwd):
    (cwd / "fm").mkdir()
    small_workbook(cwd / "fm" / "Hylte.xlsx")
    result = run(runner, "fm", "--jobs", "4")
    assert result.exit_code == 0
    assert result.stdout == f"{fm('Hylte.xlsx')}: {SMALL} · {WRITTEN}\nfm: 1 arbetsbok · 1 skriven\n"


# --- what is a workbook of the folder ----------------------------------------------------------------------------


def test_which_files_are_workbooks(tmp_path):
    names = ["b.xlsx", "A.xlsx", "Makro.xlsm", "C.XLSX", "~$A.xlsx", "~$ngsbacka.xlsx", ".~lock.A.xlsx#", ".Dold.xlsx",
             ".A.xlsx.k2j3.tmp", "A.xlsx.bak", "A.20251123-021500.xlsx", "A.20251123-021500-2.xlsx",
             "Makro.20251123-021500.xlsm", "Ensam.20251123-021500.xlsx", "huvudbok.csv", "gammal.xls"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "Mapp.xlsx").mkdir()  # a folder named like a workbook
    (tmp_path / "Under").mkdir()
    (tmp_path / "Under" / "D.xlsx").write_bytes(b"")
    found = [p.name for p in folder.workbooks_in(tmp_path)]
    # a stamped name is a backup only beside its workbook; the order ignores case
    assert found == ["A.xlsx", "b.xlsx", "C.XLSX", "Ensam.20251123-021500.xlsx", "Makro.xlsm"]


def test_a_backup_folder_inside_the_folder_is_not_run(runner, cwd):
    """--backup into the folder itself: the stamped copies are not workbooks of the next run."""
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")
    copy_example("Navet.xlsx", cwd / "fm" / "Navet.xlsx")
    first = run(runner, "fm", "--backup", "fm")
    assert first.exit_code == 0, first.output
    stamped = sorted(p.name for p in (cwd / "fm").iterdir() if p.name not in ("Halmstad.xlsx", "Navet.xlsx"))
    assert len(stamped) == 2 and all(re.fullmatch(r"(Halmstad|Navet)\.\d{8}-\d{6}\.xlsx", n) for n in stamped)
    again = run(runner, "fm", "--backup", "fm")
    assert again.exit_code == 0
    assert again.stdout == (f"{fm('Halmstad.xlsx')}: {HALMSTAD} · {UNCHANGED}\n"
                            f"{fm('Navet.xlsx')}: {NAVET} · {UNCHANGED}\n"
                            "fm: 2 arbetsböcker · 2 redan aktuella\n")


needs_consolidate = pytest.mark.skipif("consolidate" not in main.commands, reason="no reconcile consolidate yet")


def consolidated_folder(runner, cwd: Path) -> Path:
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")
    copy_example("Navet.xlsx", cwd / "fm" / "Navet.xlsx")
    made = run(runner, "consolidate", fm("Halmstad.xlsx"), fm("Navet.xlsx"), "--output", fm("Förbund.xlsx"),
               "--period", "2025-06")
    assert made.exit_code == 0, made.output
    return cwd / "fm" / "Förbund.xlsx"


@needs_consolidate
def test_a_consolidation_in_the_folder_is_passed_over(runner, cwd):
    path = consolidated_folder(runner, cwd)
    before = path.read_bytes()
    result = run(runner, "fm", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == (f"{fm('Förbund.xlsx')}: en sammanställning (reconcile consolidate), hoppades över\n"
                             f"{fm('Halmstad.xlsx')}: {HALMSTAD} · {WRITTEN}\n"
                             f"{fm('Navet.xlsx')}: {NAVET} · {WRITTEN}\n"
                             "fm: 3 arbetsböcker · 2 skrivna, 1 hoppades över\n")
    assert path.read_bytes() == before
    doc = json.loads(run(runner, "fm", "--json").stdout)
    assert doc["counts"]["skipped"] == 1
    assert doc["workbooks"][0]["status"] == "skipped"


@needs_consolidate
def test_a_consolidation_open_in_excel_is_still_passed_over(runner, cwd):
    consolidated_folder(runner, cwd)
    (cwd / "fm" / "~$Förbund.xlsx").write_bytes(b"owner")
    result = run(runner, "fm")
    assert result.stdout.splitlines()[0] == f"{fm('Förbund.xlsx')}: en sammanställning (reconcile consolidate), " \
                                            "hoppades över"
    assert result.exit_code == 0


# --- --wait -------------------------------------------------------------------------------------------------------


def test_wait_retries_a_workbook_until_excel_closes_it(runner, cwd):
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")
    copy_example("Navet.xlsx", cwd / "fm" / "Navet.xlsx")
    owner = cwd / "fm" / "~$Navet.xlsx"
    owner.write_bytes(b"owner")
    closer = threading.Timer(1.0, owner.unlink)  # the user closes the workbook a second later
    start = time.monotonic()
    closer.start()
    try:
        result = run(runner, "fm", "--wait", "10", "--jobs", "2")
    finally:
        closer.join()
    assert time.monotonic() - start < 9
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == (f"{fm('Halmstad.xlsx')}: {HALMSTAD} · {WRITTEN}\n"
                             f"{fm('Navet.xlsx')}: {NAVET} · {WRITTEN}\n"
                             "fm: 2 arbetsböcker · 2 skrivna\n")
    assert toolkit_sheet_names(cwd / "fm" / "Navet.xlsx") == OURS


def test_wait_gives_up_and_says_how_long_it_waited(runner, cwd):
    copy_example("Navet.xlsx", cwd / "fm" / "Navet.xlsx")
    (cwd / "fm" / "~$Navet.xlsx").write_bytes(b"owner")
    before = (cwd / "fm" / "Navet.xlsx").read_bytes()
    result = run(runner, "fm", "--wait", "1")
    assert result.exit_code == 3
    assert result.stderr == (f"{fm('Navet.xlsx')}: arbetsboken är öppen i Excel (~$Navet.xlsx); stäng den och kör "
                             "igen — inget skrevs (väntade 1 s)\n")
    assert result.stdout == "fm: 1 arbetsbok · 1 låst\n"
    assert (cwd / "fm" / "Navet.xlsx").read_bytes() == before


# --- --log ---------------------------------------------------------------------------------------------------------


def logged(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(STAMP.match(line) for line in lines), lines
    return [STAMP.sub("", line) for line in lines]


def test_log_appends_every_line_with_a_timestamp(runner, cwd):
    mixed_folder(cwd)
    result = run(runner, "fm", "--log", "körning.log")
    assert result.exit_code == 1
    assert logged(cwd / "körning.log") == result.output.splitlines()
    again = run(runner, "fm", "--log", "körning.log", "--json")  # --json prints JSON; the log still gets lines
    assert again.exit_code == 1
    json.loads(again.stdout)
    second = [line.replace(WRITTEN, UNCHANGED) for line in result.output.splitlines()]
    second[-1] = "fm: 5 arbetsböcker · 3 redan aktuella, 1 låst, 1 med fel"
    assert logged(cwd / "körning.log") == result.output.splitlines() + second


def test_log_in_single_workbook_mode(runner, cwd):
    small_workbook(cwd / "Hylte.xlsx")
    (cwd / "Fel.xlsx").write_bytes(b"ingen arbetsbok")
    ok = run(runner, "Hylte.xlsx", "--log", "natt.log")
    assert ok.exit_code == 0
    bad = run(runner, "Fel.xlsx", "--log", "natt.log")
    assert bad.exit_code == 1
    missing = run(runner, "Saknas.xlsx", "--log", "natt.log", "--json")
    assert missing.exit_code == 1
    assert logged(cwd / "natt.log") == [f"Hylte.xlsx: {SMALL} · {WRITTEN}", f"Fel.xlsx: {NOT_A_ZIP}",
                                        "Saknas.xlsx: filen finns inte"]


def test_a_log_that_cannot_be_opened_is_an_input_error(runner, cwd):
    small_workbook(cwd / "Hylte.xlsx")
    before = (cwd / "Hylte.xlsx").read_bytes()
    result = run(runner, "Hylte.xlsx", "--log", Path("saknas", "natt.log"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{Path('saknas', 'natt.log')}: loggfilen kan inte öppnas (")
    assert (cwd / "Hylte.xlsx").read_bytes() == before
    assert not (cwd / "Hylte.xlsx.bak").exists()
    (cwd / "loggar").mkdir()
    assert run(runner, "Hylte.xlsx", "--log", "loggar").exit_code == 2  # a folder is no log file


# --- usage ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--output", "--budget"])
def test_options_for_one_workbook_are_usage_errors_with_a_folder(runner, cwd, option):
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")
    before = snapshot(cwd / "fm")
    result = run(runner, "fm", option, "annan.xlsx")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{option} kan inte användas med en mapp (varje arbetsbok har sina egna blad)\n"
    assert snapshot(cwd / "fm") == before


def test_jobs_must_be_at_least_one(runner, cwd):
    (cwd / "fm").mkdir()
    result = run(runner, "fm", "--jobs", "0")
    assert result.exit_code == 2
    assert result.stderr == "--jobs 0: ange ett heltal, minst 1\n"


def test_an_owner_file_belongs_to_its_own_workbook_not_a_longer_name(runner, cwd):
    """~$Halmstad.xlsx is Halmstad.xlsx's owner file; XYHalmstad.xlsx, whose shortened
    owner file would have the same name, is not taken for open."""
    copy_example("Halmstad.xlsx", cwd / "fm" / "Halmstad.xlsx")
    copy_example("Halmstad.xlsx", cwd / "fm" / "XYHalmstad.xlsx")
    (cwd / "fm" / "~$Halmstad.xlsx").write_bytes(b"owner")
    result = run(runner, "fm")
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [f"{fm('XYHalmstad.xlsx')}: {HALMSTAD} · {WRITTEN}",
                                          "fm: 2 arbetsböcker · 1 skriven, 1 låst"]
    assert result.stderr.startswith(f"{fm('Halmstad.xlsx')}: arbetsboken är öppen i Excel (~$Halmstad.xlsx)")
