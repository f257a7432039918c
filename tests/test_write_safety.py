"""Crash safety, backups and locks: the workbook is always either the old or
the new complete file, the previous version is kept, and a workbook open in
another program is waited for or left alone (exit 3)."""

from __future__ import annotations

import io
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from workbook_factory import SETTINGS, small_workbook
from written import WRITTEN

from toolkit.cli import main
from toolkit.job import Job
from toolkit.package import Backup
from toolkit.package.atomic import STALE_AFTER

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return small_workbook(tmp_path / "Test.xlsx")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- backups -----------------------------------------------------------------------------


def test_previous_version_is_kept_beside_the_workbook(book, tmp_path):
    original = book.read_bytes()
    assert run("Test.xlsx").exit_code == 0
    first = book.read_bytes()
    assert (tmp_path / "Test.xlsx.bak").read_bytes() == original
    assert run("Test.xlsx", "--period", "7").exit_code == 0
    assert (tmp_path / "Test.xlsx.bak").read_bytes() == first
    assert files(tmp_path) == ["Test.xlsx", "Test.xlsx.bak"]


def test_a_refresh_that_changes_nothing_writes_nothing(book, tmp_path):
    assert run("Test.xlsx").exit_code == 0
    written, backup = book.read_bytes(), (tmp_path / "Test.xlsx.bak").read_bytes()
    stamp = book.stat().st_mtime_ns
    assert run("Test.xlsx").exit_code == 0
    assert book.read_bytes() == written and book.stat().st_mtime_ns == stamp
    assert (tmp_path / "Test.xlsx.bak").read_bytes() == backup  # still the version before the first run


def test_no_backup(book, tmp_path):
    assert run("Test.xlsx", "--no-backup").exit_code == 0
    assert files(tmp_path) == ["Test.xlsx"]
    result = run("Test.xlsx", "--no-backup", "--backup", "kopior")
    assert result.exit_code == 2
    assert "--no-backup och --backup kan inte användas samtidigt" in result.output


def test_backup_folder_keeps_the_newest_versions(book, tmp_path, monkeypatch):
    versions = [book.read_bytes()]
    clock = iter(range(10))
    import toolkit.package.backup as backup_module

    class Clock(backup_module.dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2025, 9, 1, 2, 15, next(clock))

    monkeypatch.setattr(backup_module.dt, "datetime", Clock)
    for period in ("5", "6", "7", "8"):
        assert run("Test.xlsx", "--backup", "kopior", "--keep-backups", "2", "--period", period).exit_code == 0
        versions.append(book.read_bytes())
    kept = files(tmp_path / "kopior")
    assert kept == ["Test.20250901-021502.xlsx", "Test.20250901-021503.xlsx"]
    assert [(tmp_path / "kopior" / k).read_bytes() for k in kept] == versions[2:4]
    assert files(tmp_path) == ["Test.xlsx", "kopior"]


def test_backups_in_the_same_second_do_not_overwrite_each_other(tmp_path):
    folder = tmp_path / "kopior"
    folder.mkdir()
    dest = tmp_path / "Bok.xlsx"
    import datetime as dt

    from toolkit.package.backup import keep_previous

    now = dt.datetime(2025, 9, 1, 2, 15, 0)
    for n in range(3):
        dest.write_bytes(b"version %d" % n)
        keep_previous(dest, Backup(folder, keep=10), now)
    names = files(folder)
    assert names == ["Bok.20250901-021500-2.xlsx", "Bok.20250901-021500-3.xlsx", "Bok.20250901-021500.xlsx"]
    assert [p.read_bytes() for p in Backup(folder).rotated(dest)] == [b"version 0", b"version 1", b"version 2"]


def test_backup_that_cannot_be_written_stops_the_run(book, tmp_path):
    (tmp_path / "kopior").write_text("en fil, ingen mapp")
    before = book.read_bytes()
    result = run("Test.xlsx", "--backup", "kopior/2025")
    assert result.exit_code == 1
    assert result.stderr.startswith("Test.xlsx: kan inte skapa mappen för säkerhetskopior kopior/2025")
    assert result.stderr.rstrip().endswith("inget skrevs")
    assert book.read_bytes() == before
    assert files(tmp_path) == ["Test.xlsx", "kopior"]


def test_stale_temporary_files_of_killed_runs_are_removed(book, tmp_path):
    stale = tmp_path / ".Test.xlsx.abc123.tmp"
    fresh = tmp_path / ".Test.xlsx.def456.tmp"
    other = tmp_path / ".Annan.xlsx.abc123.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half a workbook")
    old = time.time() - STALE_AFTER - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert run("Test.xlsx").exit_code == 0
    assert files(tmp_path) == [".Annan.xlsx.abc123.tmp", ".Test.xlsx.def456.tmp", "Test.xlsx", "Test.xlsx.bak"]


# -- locks and --wait ---------------------------------------------------------------------


@pytest.mark.parametrize("owner", ["~$Test.xlsx", ".~lock.Test.xlsx#"])
def test_wait_retries_until_the_workbook_is_closed(book, tmp_path, owner):
    lock = tmp_path / owner
    lock.write_text("user")
    before = book.read_bytes()
    timer = threading.Timer(1.2, lock.unlink)
    timer.start()
    try:
        started = time.monotonic()
        result = run("Test.xlsx", "--wait", "20")
        elapsed = time.monotonic() - started
    finally:
        timer.cancel()
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(WRITTEN + "\n")
    assert book.read_bytes() != before
    assert elapsed >= 1.2


def test_wait_gives_up_with_exit_3_and_writes_nothing(book, tmp_path):
    (tmp_path / "~$Test.xlsx").write_text("user")
    before = book.read_bytes()
    result = run("Test.xlsx", "--wait", "1.5")
    assert result.exit_code == 3
    assert result.stderr == ("Test.xlsx: arbetsboken är öppen i Excel (~$Test.xlsx); stäng den och kör igen — "
                             "inget skrevs (väntade 1,5 s)\n")
    assert book.read_bytes() == before
    assert files(tmp_path) == ["Test.xlsx", "~$Test.xlsx"]


def test_a_workbook_that_cannot_be_replaced_is_retried(book, tmp_path, monkeypatch):
    """Permission denied on the rename (Windows while Excel holds the file) is a lock too."""
    import toolkit.package.atomic as atomic

    real_replace, calls = os.replace, []

    def flaky_replace(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", flaky_replace)
    monkeypatch.setattr("toolkit.job.WAIT_POLL", 0.05)
    result = run("Test.xlsx", "--wait", "5", "--no-backup")
    assert result.exit_code == 0, result.output
    assert len(calls) == 2
    assert files(tmp_path) == ["Test.xlsx"]


def test_the_run_reads_the_workbook_again_after_waiting(book, tmp_path, monkeypatch):
    """What the user saved while we waited is the input of the run, not an older copy."""
    lock = tmp_path / "~$Test.xlsx"
    lock.write_text("user")
    seen = []
    real = Job.reconcile

    def spy(self):
        seen.append(self.path.read_bytes())
        return real(self)

    monkeypatch.setattr(Job, "reconcile", spy)
    monkeypatch.setattr("toolkit.job.WAIT_POLL", 0.05)

    def user_saves_and_closes():
        small_workbook(book, Inställningar=[*SETTINGS[:3], ["Period", 7]])
        lock.unlink()

    timer = threading.Timer(0.3, user_saves_and_closes)
    timer.start()
    try:
        result = run("Test.xlsx", "--wait", "10")
    finally:
        timer.cancel()
    assert result.exit_code == 0, result.output
    assert "jan–jul 2025" in result.stdout
    assert len(seen) == 1


# -- killed at any moment -----------------------------------------------------------------------

DRIVER = r"""
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from toolkit.job import Job

path, crash_at = Path(sys.argv[1]), int(sys.argv[2])
calls = 0
if crash_at:
    # die on the crash_at-th file-system step of the write (deterministic crash points)
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
    print("done", flush=True)
"""


REFRESH_SECONDS: list[float] = []  # how long the refreshes of ``_states`` took on this machine


def _states(book: Path) -> set[bytes]:
    """Every complete state the workbook can reach while periods 7 and 8 alternate
    (closure over both refreshes, starting from the original). Each refresh is run
    for real on a copy of the same name: what it writes depends on what the
    workbook holds (Prognoshistorik keeps the months recorded before)."""
    scratch = book.parent / "states" / book.name
    scratch.parent.mkdir()
    states, todo = set(), [book.read_bytes()]
    while todo:
        state = todo.pop()
        if state in states:
            continue
        states.add(state)
        for period in ("7", "8"):
            scratch.write_bytes(state)
            started = time.perf_counter()
            Job(scratch, period=period, backup=None).run()
            REFRESH_SECONDS.append(time.perf_counter() - started)
            todo.append(scratch.read_bytes())
    for path in scratch.parent.iterdir():
        path.unlink()
    scratch.parent.rmdir()
    assert len(states) <= 8  # refreshes converge: a new style entry is added once (order of first use)
    return states


def _assert_complete(path: Path, states: set[bytes]) -> None:
    data = path.read_bytes()
    assert data in states, f"{path.name} is not a complete version ({len(data)} bytes)"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None


def _start(book: Path, crash_at: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(book), str(crash_at), str(ROOT)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def test_killed_at_every_write_step_leaves_old_or_new(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1756857600")  # the driver's runs and ours record the same day
    book = small_workbook(tmp_path / "Test.xlsx")
    states = _states(book)
    # One refresh is: backup (fdopen, fsync, chmod via copymode is shutil, replace) then the
    # workbook (fdopen, fsync, chmod, replace); crash on each step of the first two refreshes.
    step = 1
    while True:
        proc = _start(book, step)
        proc.wait(timeout=60)
        if proc.returncode != -signal.SIGKILL:
            pytest.fail(f"driver ended with {proc.returncode}: {proc.stderr.read()[-500:]}")
        _assert_complete(book, states)
        if (tmp_path / "Test.xlsx.bak").exists():
            _assert_complete(tmp_path / "Test.xlsx.bak", states)
        # a killed run leaves its lock file (the system lock on it went with the process): the next
        # driver's run takes it over, else it would stop with exit 3 instead of being killed
        assert {p.name for p in tmp_path.iterdir()} <= {"Test.xlsx", "Test.xlsx.bak", ".~reconcile.Test.xlsx.lock"} | {
            p.name for p in tmp_path.glob(".Test.xlsx.*.tmp")}
        step += 1
        if step > 16:
            break


def test_killed_at_random_moments_leaves_old_or_new(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1756857600")
    book = small_workbook(tmp_path / "Test.xlsx")
    states = _states(book)
    rng = random.Random(20251123)
    seen = set()
    for _ in range(10):
        proc = _start(book, 0)
        guard = threading.Timer(120, proc.kill)  # a driver that hangs ends the readline below
        guard.start()
        # let 0-2 refreshes finish (however slow the machine), then kill at a random moment of
        # the next (a refresh takes about as long as those in _states): the kills land in
        # different refreshes and in every phase of one, the write included
        for _ in range(rng.randrange(3)):
            assert proc.stdout.readline().strip() == "done", proc.stderr.read()[-500:]
        time.sleep(rng.uniform(0.0, 1.2 * statistics.median(REFRESH_SECONDS)))
        proc.kill()
        guard.cancel()
        proc.wait(timeout=60)
        if proc.returncode != -signal.SIGKILL:  # it ended by itself: a refresh failed
            pytest.fail(f"driver ended with {proc.returncode}: {proc.stderr.read()[-500:]}")
        _assert_complete(book, states)
        if (tmp_path / "Test.xlsx.bak").exists():
            _assert_complete(tmp_path / "Test.xlsx.bak", states)
        seen.add(book.read_bytes())
    assert len(seen) >= 2  # the kills landed between different refreshes
