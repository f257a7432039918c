"""Where a run writes: ``--output`` keeps what the economist typed in the
output and leaves an unchanged output alone; new files get the permissions any
new file gets, replaced files keep theirs; a read-only workbook or folder is
refused before anything is read (exit 3, nothing written), as Excel refuses
to save over it — but ``--check`` still reads it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from workbook_factory import small_workbook
from written import WRITTEN

import toolkit.job
from toolkit.cli import main

SUMMARY = "jan–aug 2025 · utfall 48 tkr · avvikelse +23 tkr · prognos 181 tkr"
READ_ONLY = "arbetsboken är skrivskyddad; ta bort skrivskyddet eller skriv till en annan fil med --output — inget skrevs"


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    small_workbook(tmp_path / "Test.xlsx")
    return tmp_path


@pytest.fixture
def umask():
    """Run with umask 022, as a login shell has it; restored afterwards."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def ok(*args):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``folder`` (hidden temporary files too): bytes, mode, mtime."""
    return {str(p.relative_to(folder)): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def type_comment(path: Path, label: str, text: str) -> None:
    """The economist types ``text`` in the Kommentar of ``label`` on Sammanställning (openpyxl stands in for Excel)."""
    book = openpyxl.load_workbook(path)
    ws = book["Sammanställning"]
    heading = next(c for row in ws.iter_rows(max_row=10) for c in row if c.value == "Kommentar")
    row = next(c.row for c in ws["A"] if c.value == label)
    ws.cell(row, heading.column, text)
    book.save(path)


def summary_cells(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["Sammanställning"]
    return [tuple((c.value, c.data_type) for c in row) for row in ws.iter_rows()]


def comment_of(path: Path, label: str):
    ws = openpyxl.load_workbook(path)["Sammanställning"]
    heading = next(c for row in ws.iter_rows(max_row=10) for c in row if c.value == "Kommentar")
    row = next(c.row for c in ws["A"] if c.value == label)
    return ws.cell(row, heading.column).value


# --- --output ---------------------------------------------------------------------------------------------------


def test_notes_typed_in_the_output_are_carried_as_in_place(cwd):
    ok("Test.xlsx", "--output", "Ut.xlsx")
    type_comment(cwd / "Ut.xlsx", "Arvoden", "Skrivet i utfilen")
    before = (cwd / "Test.xlsx").read_bytes()
    result = ok("Test.xlsx", "--output", "Ut.xlsx")
    assert result.stdout == f"Test.xlsx: {SUMMARY} · {WRITTEN} till Ut.xlsx\n"
    assert (cwd / "Test.xlsx").read_bytes() == before
    assert comment_of(cwd / "Ut.xlsx", "Arvoden") == "Skrivet i utfilen"
    # the same, refreshed in place: the sheet is the same cell for cell
    (cwd / "inplace").mkdir()
    small_workbook(cwd / "inplace" / "Test.xlsx")
    ok("inplace/Test.xlsx", "--no-backup")
    type_comment(cwd / "inplace" / "Test.xlsx", "Arvoden", "Skrivet i utfilen")
    ok("inplace/Test.xlsx", "--no-backup")
    assert summary_cells(cwd / "Ut.xlsx") == summary_cells(cwd / "inplace" / "Test.xlsx")


def test_the_outputs_notes_win_over_the_workbooks(cwd):
    ok("Test.xlsx", "--no-backup")
    type_comment(cwd / "Test.xlsx", "Arvoden", "Skrivet i arbetsboken")
    ok("Test.xlsx", "--output", "Ut.xlsx")  # a new output starts from the workbook's notes
    assert comment_of(cwd / "Ut.xlsx", "Arvoden") == "Skrivet i arbetsboken"
    type_comment(cwd / "Ut.xlsx", "Arvoden", "Skrivet i utfilen")
    ok("Test.xlsx", "--output", "Ut.xlsx")
    assert comment_of(cwd / "Ut.xlsx", "Arvoden") == "Skrivet i utfilen"
    assert comment_of(cwd / "Test.xlsx", "Arvoden") == "Skrivet i arbetsboken"


def test_an_unchanged_output_is_not_written(cwd):
    first = ok("Test.xlsx", "--output", "Ut.xlsx")
    assert first.stdout == f"Test.xlsx: {SUMMARY} · {WRITTEN} till Ut.xlsx\n"
    before = snapshot(cwd)
    again = ok("Test.xlsx", "--output", "Ut.xlsx")
    assert again.stdout == f"Test.xlsx: {SUMMARY} · bladen i Ut.xlsx var redan aktuella, inget skrevs\n"
    assert snapshot(cwd) == before  # same bytes and mtime, no Ut.xlsx.bak
    as_json = json.loads(ok("Test.xlsx", "--output", "Ut.xlsx", "--json").stdout)
    assert as_json["status"] == "unchanged" and as_json["written"] == "Ut.xlsx"
    # after a note is typed, the next run writes (and keeps the previous output)
    type_comment(cwd / "Ut.xlsx", "Arvoden", "Ny kommentar")
    assert ok("Test.xlsx", "--output", "Ut.xlsx").stdout.endswith(f"· {WRITTEN} till Ut.xlsx\n")
    assert (cwd / "Ut.xlsx.bak").exists()


def test_an_output_that_changes_nothing_in_a_macro_workbook(cwd):
    """The output of an .xlsm is an .xlsm; the other kind is refused (Excel would not open it)."""
    small_workbook(cwd / "Makro.xlsm")
    ok("Makro.xlsm", "--output", "Ut.xlsm")
    before = snapshot(cwd)
    assert ok("Makro.xlsm", "--output", "Ut.xlsm").stdout.endswith("bladen i Ut.xlsm var redan aktuella, inget skrevs\n")
    assert snapshot(cwd) == before
    result = invoke("Makro.xlsm", "--output", "Ut.xlsx")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "--output Ut.xlsx: arbetsboken har makron och skrivs som .xlsm; ange Ut.xlsm\n"
    assert snapshot(cwd) == before


# --- permissions ------------------------------------------------------------------------------------------------


def test_a_new_output_gets_a_new_files_permissions(cwd, umask):
    (cwd / "Test.xlsx").chmod(0o600)
    ok("Test.xlsx", "--output", "Ut.xlsx")
    assert mode(cwd / "Ut.xlsx") == 0o644


def test_a_new_consolidation_gets_a_new_files_permissions(cwd, umask):
    ok("consolidate", "Test.xlsx", "--output", "Förbund.xlsx")
    assert mode(cwd / "Förbund.xlsx") == 0o644
    os.umask(0o077)
    ok("consolidate", "Test.xlsx", "--output", "Privat.xlsx")
    assert mode(cwd / "Privat.xlsx") == 0o600


def test_a_replaced_file_keeps_its_permissions(cwd, umask):
    (cwd / "Test.xlsx").chmod(0o640)
    ok("Test.xlsx")
    assert mode(cwd / "Test.xlsx") == 0o640
    assert mode(cwd / "Test.xlsx.bak") == 0o640
    ok("Test.xlsx", "--output", "Ut.xlsx", "--no-backup")
    (cwd / "Ut.xlsx").chmod(0o604)
    type_comment(cwd / "Ut.xlsx", "Arvoden", "ändrad")
    (cwd / "Ut.xlsx").chmod(0o604)  # openpyxl's save keeps the file; the mode is the economist's
    ok("Test.xlsx", "--output", "Ut.xlsx", "--no-backup")
    assert mode(cwd / "Ut.xlsx") == 0o604
    ok("consolidate", "Test.xlsx", "--output", "Förbund.xlsx")
    (cwd / "Förbund.xlsx").chmod(0o660)
    type_comment(cwd / "Förbund.xlsx", "Arvoden", "ändrad")
    ok("consolidate", "Test.xlsx", "--output", "Förbund.xlsx")
    assert mode(cwd / "Förbund.xlsx") == 0o660


# --- read-only --------------------------------------------------------------------------------------------------


@pytest.fixture
def no_waiting(monkeypatch):
    """A read-only workbook is not retried with --wait: waiting does not lift it."""
    def sleep(seconds):
        raise AssertionError("a read-only workbook was waited for")

    monkeypatch.setattr(toolkit.job.time, "sleep", sleep)


def refused(args, line: str, folder: Path):
    before = snapshot(folder)
    result = invoke(*args)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == line + "\n"
    assert snapshot(folder) == before  # nothing written: no new bytes, no .bak, no temporary file
    return result


def test_a_read_only_workbook_is_refused_before_reading(cwd, no_waiting, monkeypatch):
    (cwd / "Test.xlsx").chmod(0o444)
    import toolkit.read.workbook

    def never(*args, **kwargs):
        raise AssertionError("read before refusing")

    monkeypatch.setattr(toolkit.read.workbook.Source, "__init__", never)
    refused(["Test.xlsx", "--wait", "30"], f"Test.xlsx: {READ_ONLY}", cwd)


def test_a_read_only_workbook_can_be_checked_and_written_elsewhere(cwd):
    (cwd / "Test.xlsx").chmod(0o444)
    assert ok("Test.xlsx", "--check").stdout == f"Test.xlsx: {SUMMARY} · kontroll, inget skrivet\n"
    assert ok("Test.xlsx", "--output", "Ut.xlsx").stdout == f"Test.xlsx: {SUMMARY} · {WRITTEN} till Ut.xlsx\n"


def test_a_read_only_workbook_in_json_and_log(cwd):
    (cwd / "Test.xlsx").chmod(0o444)
    result = invoke("Test.xlsx", "--json", "--log", "natt.log")
    assert result.exit_code == 3
    assert json.loads(result.stdout) == {"path": "Test.xlsx", "status": "locked", "message": f"Test.xlsx: {READ_ONLY}",
                                         "slug": "arbetsbok-skrivskyddad", "file": "Test.xlsx", "where": None,
                                         "sheet": None, "cell": None, "line": None}
    assert (cwd / "natt.log").read_text(encoding="utf-8").endswith(f" Test.xlsx: {READ_ONLY}\n")
    assert sorted(p.name for p in cwd.iterdir()) == ["Test.xlsx", "natt.log"]


def test_a_read_only_folder_is_refused(cwd, no_waiting):
    folder = cwd / "enhet"
    folder.mkdir()
    small_workbook(folder / "Test.xlsx")
    folder.chmod(0o555)
    try:
        refused([Path("enhet", "Test.xlsx")],
                f"{Path('enhet', 'Test.xlsx')}: arbetsboken är skrivskyddad: mappen enhet går inte att skriva i; ta "
                "bort skrivskyddet eller skriv till en annan fil med --output — inget skrevs", cwd)
        refused(["Test.xlsx", "--output", Path("enhet", "Ut.xlsx")],
                f"{Path('enhet', 'Ut.xlsx')}: mappen enhet går inte att skriva i; välj en annan mapp — inget skrevs",
                cwd)
        refused(["consolidate", "Test.xlsx", "--output", Path("enhet", "Förbund.xlsx")],
                f"{Path('enhet', 'Förbund.xlsx')}: mappen enhet går inte att skriva i; välj en annan mapp — inget "
                "skrevs", cwd)
        ok(Path("enhet", "Test.xlsx"), "--check")
    finally:
        folder.chmod(0o755)


def test_the_working_folder_read_only(cwd, no_waiting):
    cwd.chmod(0o555)
    try:
        refused(["Test.xlsx"], "Test.xlsx: arbetsboken är skrivskyddad: arbetsbokens mapp går inte att skriva i; ta "
                               "bort skrivskyddet eller skriv till en annan fil med --output — inget skrevs", cwd)
    finally:
        cwd.chmod(0o755)


def test_a_read_only_output_is_refused(cwd, no_waiting):
    ok("Test.xlsx", "--output", "Ut.xlsx")
    (cwd / "Ut.xlsx").chmod(0o444)
    refused(["Test.xlsx", "--output", "Ut.xlsx"], f"Ut.xlsx: {READ_ONLY}", cwd)
    ok("consolidate", "Test.xlsx", "--output", "Förbund.xlsx")
    (cwd / "Förbund.xlsx").chmod(0o444)
    refused(["consolidate", "Test.xlsx", "--output", "Förbund.xlsx", "--wait", "30"], f"Förbund.xlsx: {READ_ONLY}",
            cwd)


def test_a_read_only_workbook_in_a_folder_run(cwd):
    folder = cwd / "fm"
    folder.mkdir()
    small_workbook(folder / "A.xlsx")
    small_workbook(folder / "B.xlsx")
    (folder / "B.xlsx").chmod(0o444)
    result = invoke("fm")
    assert result.exit_code == 3
    assert result.stdout == (f"{Path('fm', 'A.xlsx')}: {SUMMARY} · {WRITTEN}\n"
                             "fm: 2 arbetsböcker · 1 skriven, 1 låst\n")
    assert result.stderr == f"{Path('fm', 'B.xlsx')}: {READ_ONLY}\n"
    assert not (folder / "B.xlsx.bak").exists()
