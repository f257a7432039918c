"""One snapshot per run, and a lock of our own: the workbook is read once,
a save made in Excel while a run reads and computes is not rolled back (the
run starts over from the new file), and two runs never refresh one workbook
at once."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import traceback
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from examples import copy_example
from workbook_factory import SETTINGS, small_workbook
from written import SHEETS, WRITTEN

import toolkit.package as package
from toolkit.cli import main
from toolkit.errors import ChangedError
from toolkit.folder import workbooks_in
from toolkit.job import Job
from toolkit.ooxml import limits
from toolkit.ooxml.snapshot import Snapshot
from toolkit.ooxml.zipcopy import read_members
from toolkit.package import runlock

ROOT = Path(__file__).resolve().parents[1]
OURS = list(SHEETS)
CHANGED = "arbetsboken ändrades medan reconcile körde (sparad i Excel?); kör igen — inget skrevs"
BUSY = "en annan reconcile-körning uppdaterar arbetsboken just nu; försök igen om en stund — inget skrevs"
LOCK = ".~reconcile.Test.xlsx.lock"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return small_workbook(tmp_path / "Test.xlsx")


# -- how often the workbook is opened ------------------------------------------------------------

class Opens:
    """The ``open`` audit events on one file, each with the function that opened it."""

    hooked = False
    current: Opens | None = None

    def __init__(self, path: Path):
        self.target = os.path.realpath(path)
        self.sites: list[str] = []

    @classmethod
    def audit(cls, event: str, args: tuple) -> None:
        counting = cls.current
        if counting is None or event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        if os.path.realpath(os.fsdecode(args[0])) == counting.target:
            frames = [f for f in traceback.extract_stack()[:-1] if f"{os.sep}toolkit{os.sep}" in f.filename]
            counting.sites.append(frames[-1].name if frames else "?")


@pytest.fixture
def opens():
    """``opens(path)`` starts counting the opens of ``path`` (an audit hook cannot be
    removed: it is added once, and counts only while a test asks)."""
    if not Opens.hooked:
        sys.addaudithook(Opens.audit)
        Opens.hooked = True

    def start(path: Path) -> Opens:
        Opens.current = Opens(path)
        return Opens.current

    yield start
    Opens.current = None


def test_a_refresh_opens_the_workbook_twice(tmp_path, monkeypatch, opens):
    monkeypatch.chdir(tmp_path)
    path = copy_example("Halmstad.xlsx", tmp_path)
    counted = opens(path)
    result = run("Halmstad.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(WRITTEN + "\n")
    # 1. Snapshot.of_file reads the bytes once: settings, budget, keys, ledger, the notes and the
    #    package the sheets are grafted into all come from them (calamine too, from memory);
    # 2. right before the replace the file is read once more and compared with the snapshot
    #    (_same_bytes, for check_unchanged); Halmstad.xlsx.bak is written from those bytes.
    assert counted.sites == ["of_file", "_same_bytes"]
    assert (tmp_path / "Halmstad.xlsx.bak").read_bytes() == example_bytes("Halmstad.xlsx")

    counted = opens(path)  # the next month: our sheets (and the notes on them) are read back too
    result = run("Halmstad.xlsx", "--period", "7", "--no-backup")
    assert result.exit_code == 0, result.output
    assert counted.sites == ["of_file", "_same_bytes"]

    counted = opens(path)
    assert run("Halmstad.xlsx", "--period", "7").stdout.endswith("bladen var redan aktuella, inget skrevs\n")
    assert counted.sites == ["of_file"]  # nothing to replace, nothing to compare

    counted = opens(path)
    assert run("Halmstad.xlsx", "--check").exit_code == 0
    assert counted.sites == ["of_file"]


def test_the_output_and_the_workbook_are_opened_twice_each(tmp_path, monkeypatch, opens):
    monkeypatch.chdir(tmp_path)
    copy_example("Navet.xlsx", tmp_path)
    assert run("Navet.xlsx", "--output", "Ut.xlsx").exit_code == 0
    for path, period in ((tmp_path / "Navet.xlsx", "5"), (tmp_path / "Ut.xlsx", "4")):
        counted = opens(path)
        result = run("Navet.xlsx", "--output", "Ut.xlsx", "--period", period)
        assert result.exit_code == 0, result.output
        # the snapshot (the workbook's figures; the output's notes), and the check before the replace
        assert counted.sites == ["of_file", "_same_bytes"], path.name


def example_bytes(name: str) -> bytes:
    from examples import example

    return example(name).read_bytes()


# -- a save made while the run reads and computes ----------------------------------------------

def economist_saves(path: Path, note: str, period: int = 7) -> bytes:
    """What Excel does when the economist saves: a new file takes the old one's
    place — here with a closing period of their own and a note on a sheet."""
    small_workbook(path.with_name("~saving.xlsx"), Inställningar=[*SETTINGS[:3], ["Period", period]],
                   Anteckningar=[["Att göra"], [note]])
    os.replace(path.with_name("~saving.xlsx"), path)
    return path.read_bytes()


def saving_while_writing(monkeypatch, save) -> list[int]:
    """``save(n)`` runs when the n-th attempt has read and rendered, just before it
    writes; returns the list of attempts seen."""
    real, attempts = package.write_sheets, []

    def write_sheets(*args, **kwargs):
        attempts.append(len(attempts) + 1)
        save(attempts[-1])
        return real(*args, **kwargs)

    monkeypatch.setattr(package, "write_sheets", write_sheets)
    return attempts


def test_a_save_between_reading_and_writing_is_not_lost(book, tmp_path, monkeypatch):
    saved = {}

    def save(attempt: int) -> None:
        if attempt == 1:
            saved["bytes"] = economist_saves(book, "Ring Eva om hyran")

    attempts = saving_while_writing(monkeypatch, save)
    result = run("Test.xlsx")
    assert result.exit_code == 0, result.output
    assert attempts == [1, 2]  # started over from the saved file
    assert result.stdout.startswith("Test.xlsx: jan–jul 2025 · ")  # the figures of the saved file (Period 7)
    assert result.stdout.endswith(f" · {WRITTEN}\n")
    wb = openpyxl.load_workbook(book)
    assert wb["Anteckningar"]["A2"].value == "Ring Eva om hyran"
    assert [name for name in wb.sheetnames if name in OURS] == OURS
    assert (tmp_path / "Test.xlsx.bak").read_bytes() == saved["bytes"]  # the version replaced: the economist's
    assert files(tmp_path) == ["Test.xlsx", "Test.xlsx.bak"]


def test_a_workbook_that_keeps_changing_is_left_alone(book, tmp_path, monkeypatch):
    saved = {}

    def save(attempt: int) -> None:
        saved["bytes"] = economist_saves(book, f"Ändring {attempt}")

    attempts = saving_while_writing(monkeypatch, save)
    result = run("Test.xlsx")
    assert result.exit_code == 3
    assert result.stderr == f"Test.xlsx: {CHANGED}\n"
    assert attempts == [1, 2, 3]
    assert book.read_bytes() == saved["bytes"]  # the economist's last save, untouched
    assert files(tmp_path) == ["Test.xlsx"]  # no backup, no temporary file, no lock file


def test_a_save_to_the_output_is_not_lost(tmp_path, monkeypatch):
    """--output: the notes come from the output, so it is watched too; a comment
    typed on its Sammanställning while the run computes is carried."""
    monkeypatch.chdir(tmp_path)
    copy_example("Halmstad.xlsx", tmp_path)
    assert run("Halmstad.xlsx", "--output", "Ut.xlsx").exit_code == 0
    out = tmp_path / "Ut.xlsx"

    def save(attempt: int) -> None:
        if attempt == 1:
            wb = openpyxl.load_workbook(out)
            ws = wb["Sammanställning"]
            assert ws.cell(4, 11).value == "Kommentar"  # K: after the figures and an empty narrow column
            ws.cell(5, 11, "Skrivet medan reconcile körde")
            wb.save(tmp_path / "~saving.xlsx")
            os.replace(tmp_path / "~saving.xlsx", out)

    attempts = saving_while_writing(monkeypatch, save)
    result = run("Halmstad.xlsx", "--output", "Ut.xlsx", "--period", "7")
    assert result.exit_code == 0, result.output
    assert attempts == [1, 2]
    assert openpyxl.load_workbook(out)["Sammanställning"].cell(5, 11).value == "Skrivet medan reconcile körde"


def test_an_output_that_appears_meanwhile_is_not_replaced(book, tmp_path, monkeypatch):
    def save(attempt: int) -> None:
        if attempt == 1:
            small_workbook(tmp_path / "Ut.xlsx")  # someone else's file, made while the run computed

    attempts = saving_while_writing(monkeypatch, save)
    result = run("Test.xlsx", "--output", "Ut.xlsx")
    assert result.exit_code == 0, result.output
    assert attempts == [1, 2]  # the second attempt reads the new file's notes (none) and replaces it


def test_a_consolidation_starts_over_when_its_output_changes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "enheter").mkdir()
    copy_example("Halmstad.xlsx", tmp_path / "enheter")
    assert run("consolidate", "enheter", "--output", "Förbund.xlsx").exit_code == 0
    out = tmp_path / "Förbund.xlsx"

    def save(attempt: int) -> None:
        if attempt == 1:
            wb = openpyxl.load_workbook(out)
            ws = wb["Sammanställning"]
            ws.cell(*comment_cell(ws), "Förbundets kommentar")
            wb.save(tmp_path / "~saving.xlsx")
            os.replace(tmp_path / "~saving.xlsx", out)

    attempts = saving_while_writing(monkeypatch, save)
    result = run("consolidate", "enheter", "--output", "Förbund.xlsx", "--period", "7")
    assert result.exit_code == 0, result.output
    assert attempts == [1, 2]
    ws = openpyxl.load_workbook(out)["Sammanställning"]
    assert ws.cell(*comment_cell(ws)).value == "Förbundets kommentar"
    assert not (tmp_path / ".~reconcile.Förbund.xlsx.lock").exists()


def comment_cell(ws) -> tuple[int, int]:
    """The Kommentar cell of the first line on a Sammanställning."""
    for row in ws.iter_rows(max_row=10):
        for cell in row:
            if cell.value == "Kommentar":
                return cell.row + 1, cell.column
    raise AssertionError("no Kommentar heading")


# -- the snapshot ---------------------------------------------------------------------------------

def test_the_snapshot_serves_readers_and_graft_from_one_read(book):
    snapshot = Snapshot.of_file(book)
    assert snapshot.data == book.read_bytes()
    assert snapshot.identity.size == len(snapshot.data)
    assert snapshot.read("xl/styles.xml") is snapshot.read("xl/styles.xml")  # inflated and verified once
    assert snapshot.package() is snapshot.package()
    members = read_members(snapshot.data)  # the directory parsed anew: the same members, raw bytes and all
    assert [(m.name, bytes(m.raw), m.crc) for m in snapshot.members] == [(m.name, m.raw, m.crc) for m in members]
    snapshot.check_unchanged()
    os.utime(book, ns=(snapshot.identity.mtime_ns, snapshot.identity.mtime_ns + 1_000_000_000))
    assert snapshot.moved()
    with pytest.raises(ChangedError) as caught:
        snapshot.check_unchanged()
    assert str(caught.value) == f"{book}: {CHANGED}"


def test_same_size_and_time_but_other_bytes_is_a_change(book):
    snapshot = Snapshot.of_file(book)
    data = bytearray(snapshot.data)
    data[-30] ^= 1  # a byte of the zip directory's comment area: same size
    book.write_bytes(bytes(data))
    os.utime(book, ns=(snapshot.identity.mtime_ns, snapshot.identity.mtime_ns))
    assert not snapshot.moved()
    with pytest.raises(Exception, match="ändrades medan reconcile körde"):
        snapshot.check_unchanged()


def test_a_part_is_inflated_once_for_all_its_readers(monkeypatch):
    """Readers share the pieces, each as far as it asks; beyond KEEP a reader
    inflates the rest for itself; an error is raised to each reader that gets there."""
    import toolkit.ooxml.snapshot as module

    made = []

    def fresh():
        made.append(1)
        yield from (b"ab", b"cd", b"ef")
        raise ValueError("CRC")

    part = module._Inflated(fresh)
    assert next(iter(part)) == b"ab"  # a reader that peeks and stops
    for _ in range(2):
        got = []
        with pytest.raises(ValueError, match="CRC"):
            got.extend(part)
        assert got == [b"ab", b"cd", b"ef"]
    assert len(made) == 1
    monkeypatch.setattr(module, "KEEP", 3)
    made.clear()
    part = module._Inflated(lambda: (made.append(1), iter((b"ab", b"cd", b"ef")))[1])
    assert list(part) == list(part) == [b"ab", b"cd", b"ef"]
    assert part._pieces == [b"ab", b"cd"] and len(made) == 3  # kept up to the bound; the rest inflated again


def test_a_snapshot_of_a_file_that_is_no_workbook_refuses_as_limits_does(tmp_path):
    path = tmp_path / "X.xlsx"
    path.write_bytes(b"not a zip at all")
    snapshot = Snapshot.of_file(path)  # identified, refused on the container, and not read further
    assert snapshot.data is None and snapshot.identity.size == 16
    for _ in range(2):
        with pytest.raises(limits.Refusal, match="inte ett zip-paket"):
            snapshot.check()
    snapshot.check_unchanged()
    path.write_bytes(b"another non-zip")
    with pytest.raises(ChangedError):
        snapshot.check_unchanged()


# -- the lock -----------------------------------------------------------------------------------

HOLDER = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import toolkit.package as package

go = Path(sys.argv[2])
real = package.write_sheets

def slow(*args, **kwargs):  # read and rendered, the lock held: wait for the test's word
    print("holding", flush=True)
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return real(*args, **kwargs)

if sys.argv[2] != "-":
    package.write_sheets = slow
from toolkit.cli import main
main(sys.argv[3:], prog_name="reconcile")
"""


def reconcile_process(folder: Path, *args: str, go: str = "-") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLDER, str(ROOT), go, *args], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def expected_output(book: Path, original: bytes, period: str) -> bytes:
    scratch = book.with_name("scratch.xlsx")
    scratch.write_bytes(original)
    Job(scratch, period=period, backup=None).run()
    data = scratch.read_bytes()
    scratch.unlink()
    return data


def our_sheets(path: Path) -> list[str]:
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    return [name for name in names if name in OURS]


def test_two_runs_at_once_one_waits_for_the_other(book, tmp_path):
    original = book.read_bytes()
    first = reconcile_process(tmp_path, "run", "Test.xlsx", "--period", "7", go=str(tmp_path / "go"))
    assert first.stdout.readline() == "holding\n"  # read, rendered, about to write: holding the lock
    assert (tmp_path / LOCK).exists()
    second = reconcile_process(tmp_path, "run", "Test.xlsx", "--period", "8", "--wait", "60")
    time.sleep(1.5)
    assert second.poll() is None  # waiting for the first
    assert book.read_bytes() == original
    (tmp_path / "go").touch()
    code, out, err = finish(first)
    assert (code, err) == (0, "")
    assert out.startswith("Test.xlsx: jan–jul 2025") and out.endswith(WRITTEN + "\n")
    code, out, err = finish(second)
    assert (code, err) == (0, "")
    assert out.startswith("Test.xlsx: jan–aug 2025") and out.endswith(WRITTEN + "\n")
    # the second read what the first wrote (and kept it as the backup): never the same snapshot
    assert (tmp_path / "Test.xlsx.bak").read_bytes() == expected_output(book, original, "7")
    assert our_sheets(book) == OURS
    assert zipfile.ZipFile(io.BytesIO(book.read_bytes())).testzip() is None
    assert files(tmp_path) == ["Test.xlsx", "Test.xlsx.bak", "go"]


def test_without_wait_the_second_run_stops_with_exit_3(book, tmp_path):
    original = book.read_bytes()
    first = reconcile_process(tmp_path, "run", "Test.xlsx", go=str(tmp_path / "go"))
    assert first.stdout.readline() == "holding\n"
    code, out, err = finish(reconcile_process(tmp_path, "run", "Test.xlsx", "--period", "7"))
    assert (code, out, err) == (3, "", f"Test.xlsx: {BUSY}\n")
    folder = run(str(tmp_path), "--jobs", "1")  # a folder run: the workbook is locked, the lock file no workbook
    assert folder.exit_code == 3
    assert folder.stderr == f"{tmp_path / 'Test.xlsx'}: {BUSY}\n"
    assert folder.stdout == f"{tmp_path}: 1 arbetsbok · 1 låst\n"
    checked = run("Test.xlsx", "--check")  # --check takes no lock
    assert checked.exit_code == 0 and checked.stdout.endswith("kontroll, inget skrivet\n")
    assert book.read_bytes() == original
    (tmp_path / "go").touch()
    code, out, err = finish(first)
    assert code == 0 and out.endswith(WRITTEN + "\n"), err
    assert our_sheets(book) == OURS
    assert (tmp_path / "Test.xlsx.bak").read_bytes() == original
    assert files(tmp_path) == ["Test.xlsx", "Test.xlsx.bak", "go"]


def test_a_lock_left_by_a_killed_run_is_taken_over(book, tmp_path):
    (tmp_path / LOCK).write_text("4194303 nattserver 1700000000 reconcile\n")  # nobody holds it
    result = run("Test.xlsx")
    assert result.exit_code == 0, result.output
    assert files(tmp_path) == ["Test.xlsx", "Test.xlsx.bak"]


def test_a_left_over_lock_file_that_is_not_ours_to_write_is_made_anew(book, tmp_path, monkeypatch):
    """The nightly task runs as another user: its lock file (0644) cannot be opened
    for writing by this one (simulated: the tests may run as the superuser)."""
    lock = tmp_path / LOCK
    lock.write_text("4194303 nattserver 1700000000 reconcile\n")
    left_over, real_open, refused = lock.stat().st_ino, os.open, []

    def open_(path, flags, *args, **kwargs):
        if Path(path) == Path(LOCK) and flags & os.O_RDWR and not flags & os.O_CREAT and lock.exists() \
                and lock.stat().st_ino == left_over:
            refused.append(flags)
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(runlock.os, "open", open_)
    assert run("Test.xlsx").exit_code == 0
    assert refused  # it was looked at read-only, found unheld, and made anew
    assert files(tmp_path) == ["Test.xlsx", "Test.xlsx.bak"]


def test_the_lock_is_removed_when_the_run_fails(book, tmp_path):
    small_workbook(book, Budget=[["Rad", "Budget", "Konto"], ["Arvoden", "mycket", "5011"]])
    result = run("Test.xlsx")
    assert result.exit_code == 1
    assert result.stderr.startswith("Test.xlsx: Budget!B2: ")
    assert files(tmp_path) == ["Test.xlsx"]


def test_the_lock_is_removed_after_an_unexpected_error(book, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("trasig")

    monkeypatch.setattr(package, "write_sheets", broken)
    result = run("Test.xlsx")
    assert result.exit_code == 1
    assert "oväntat fel (RuntimeError: trasig)" in result.stderr
    assert files(tmp_path) == ["Test.xlsx"]


def test_an_output_in_a_folder_that_does_not_exist(book, tmp_path):
    result = run("Test.xlsx", "--output", "ut/Ut.xlsx")
    assert (result.exit_code, result.stderr) == (1, "ut/Ut.xlsx: mappen ut finns inte; skapa den eller välj en "
                                                    "annan mapp — inget skrevs\n")
    assert files(tmp_path) == ["Test.xlsx"]


def test_a_second_run_in_the_same_process_is_refused(book, tmp_path):
    with runlock.holding(book):
        assert files(tmp_path) == [LOCK, "Test.xlsx"]
        result = run("Test.xlsx")
        assert (result.exit_code, result.stderr) == (3, f"Test.xlsx: {BUSY}\n")
        waited = run("Test.xlsx", "--wait", "1")
        assert (waited.exit_code, waited.stderr) == (3, f"Test.xlsx: {BUSY} (väntade 1 s)\n")
    assert files(tmp_path) == ["Test.xlsx"]
    assert run("Test.xlsx").exit_code == 0


def test_the_folder_run_passes_over_lock_files(book, tmp_path):
    (tmp_path / LOCK).write_text("")
    (tmp_path / ".~reconcile.Annan.xlsx.lock").write_text("")
    assert workbooks_in(tmp_path) == [book]
    result = run(str(tmp_path), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": 1 arbetsbok · 1 skriven\n")
    assert files(tmp_path) == [".~reconcile.Annan.xlsx.lock", "Test.xlsx", "Test.xlsx.bak"]


class TestWithoutSystemLocks:
    """A file system without locks: the lock file's own word (pid, host, age) decides."""

    @pytest.fixture(autouse=True)
    def no_system_locks(self, monkeypatch):
        monkeypatch.setattr(runlock, "_lock", lambda fd: None)

    @staticmethod
    def owner(pid: int) -> str:
        import socket

        return f"{pid} {socket.gethostname()} {int(time.time())} reconcile\n"

    def test_a_run_that_is_gone_is_taken_over(self, book, tmp_path):
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout.strip()
        (tmp_path / LOCK).write_text(self.owner(int(gone)))
        assert run("Test.xlsx").exit_code == 0
        assert files(tmp_path) == ["Test.xlsx", "Test.xlsx.bak"]

    def test_a_running_one_is_waited_for_until_its_lock_is_old(self, book, tmp_path):
        lock = tmp_path / LOCK
        lock.write_text(self.owner(os.getppid()))  # a process that runs
        before = book.read_bytes()
        result = run("Test.xlsx")
        assert (result.exit_code, result.stderr) == (3, f"Test.xlsx: {BUSY}\n")
        assert book.read_bytes() == before and lock.exists()
        old = time.time() - runlock.STALE_AFTER - 60
        os.utime(lock, (old, old))
        assert run("Test.xlsx").exit_code == 0
        assert files(tmp_path) == ["Test.xlsx", "Test.xlsx.bak"]

    def test_our_own_lock_file_is_created_and_removed(self, book, tmp_path):
        with runlock.holding(book) as held:
            assert held.path.read_text().split()[0] == str(os.getpid())
        assert files(tmp_path) == ["Test.xlsx"]
