"""What a run costs before and after its work: no BLAS thread pool for a
toolkit that multiplies no matrices, and no last garbage collection over
everything the process loaded."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from examples import copy_example

from toolkit.cli import main

ROOT = Path(__file__).resolve().parent.parent

RUN = ("import os, sys\nfrom toolkit.cli import main\n"
       "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
       "print(os.environ.get('OPENBLAS_NUM_THREADS'), 'numpy' in sys.modules, len(os.listdir('/proc/self/task')))")


def _run(book: Path, env: dict[str, str]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", RUN, str(book), "--no-backup"], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=True)
    return done.stdout.splitlines()[-1].split()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_a_monthly_run_starts_no_blas_threads(tmp_path):
    book = tmp_path / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", book)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert _run(book, env) == ["1", "True", "1"]  # numpy imported, and the process has its main thread only


def test_the_users_own_blas_setting_is_kept(tmp_path):
    book = tmp_path / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", book)
    assert _run(book, {**os.environ, "OPENBLAS_NUM_THREADS": "2"})[:2] == ["2", "True"]


ENTRY = ("import atexit, gc, sys\nfrom toolkit.cli import entry\n"
         "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
         "entry()\n")


def test_the_process_ends_with_its_objects_frozen_and_says_what_main_says(tmp_path):
    """The console script (``entry``) freezes what the run loaded before the
    interpreter's last collections; its line and exit code are ``main``'s."""
    book = tmp_path / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", book)
    done = subprocess.run([sys.executable, "-c", ENTRY, str(book), "--no-backup", "--check"], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 0
    line, frozen = done.stdout.splitlines()
    assert line.startswith(f"{book}: jan–aug 2025 · utfall 748 tkr") and frozen == "frozen True"
    broken = subprocess.run([sys.executable, "-c", ENTRY, str(tmp_path / "saknas.xlsx")], capture_output=True,
                            text=True, cwd=ROOT)
    assert broken.returncode == 1 and broken.stdout == "frozen True\n"
    assert broken.stderr.strip() == f"{tmp_path / 'saknas.xlsx'}: filen finns inte"


def test_main_in_a_process_that_goes_on_freezes_nothing(tmp_path):
    book = tmp_path / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", book)
    before = gc.get_freeze_count()
    result = CliRunner().invoke(main, [str(book), "--no-backup", "--check"])
    assert result.exit_code == 0 and gc.get_freeze_count() == before


def test_the_console_script_is_the_process_entry():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[project\.scripts\]\n(.*?)(?:^\[|\Z)", text, re.M | re.S).group(1)
    assert section.split() == ["reconcile", "=", '"toolkit.cli:entry"']


def test_a_monthly_run_imports_json_and_traceback_only_when_asked(tmp_path):
    """--json and --debug need them; a plain run does not import them."""
    book = tmp_path / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", book)
    code = ("import sys\nfrom toolkit.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('json' in sys.modules, 'traceback' in sys.modules)")

    def loaded(*args: str) -> str:
        done = subprocess.run([sys.executable, "-c", code, str(book), "--no-backup", *args], capture_output=True,
                              text=True, cwd=ROOT, check=True)
        return done.stdout.splitlines()[-1]

    assert loaded() == "False False"
    assert loaded("--json").startswith("True")


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_a_run_on_an_export_imports_neither_pyarrow_compute_nor_pandas(tmp_path, form):
    """pyarrow.compute builds ~300 wrappers on import (70 ms): the readers call the kernels without it."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from workbook_factory import write_workbook

    book = write_workbook(tmp_path / "U.xlsx", {
        "Inställningar": [["Inställning", "Värde"], ["År", 2025]],
        "Budget": [["Rad", "Budget", "Konto"], ["Material", 12000, "4010"]]})
    rows = [("202501", "4010", "1 234,50"), ("202502", "4010", "12,5-")]
    export = tmp_path / f"u.{form}"
    if form == "csv":
        export.write_text("Period;Konto;Belopp\n" + "".join(";".join(r) + "\n" for r in rows[:2]), encoding="utf-8")
    else:
        pq.write_table(pa.table({"Period": [int(r[0]) for r in rows[:2]], "Konto": [r[1] for r in rows[:2]],
                                 "Belopp": pa.array([1234.5, -12.5])}), export)
    code = ("import sys\nfrom toolkit.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('pyarrow.compute' in sys.modules, 'pandas' in sys.modules, 'pyarrow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(book), "--utfall", str(export), "--check"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    assert "kontroll, inget skrivet" in done.stdout
    assert done.stdout.splitlines()[-1] == "False False True"


def test_the_inputs_are_read_in_a_thread_of_their_own_and_its_stop_reaches_the_run(tmp_path, monkeypatch):
    """The files are read while the engine's code loads: the read runs in
    another thread, and what it raises is what the run raises (the same
    one-line stop, exit 1, nothing written)."""
    import threading

    from toolkit.read import inputs

    book = copy_example("Halmstad.xlsx", tmp_path)
    seen: list[str] = []
    real = inputs.read_inputs

    def recording(*args, **kwargs):
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(inputs, "read_inputs", recording)
    assert CliRunner().invoke(main, [str(book), "--no-backup"]).exit_code == 0
    assert seen and seen[0] != threading.main_thread().name

    before = book.read_bytes()
    missing = tmp_path / "saknas.csv"
    done = CliRunner().invoke(main, [str(book), "--no-backup", "--utfall", str(missing)])
    assert done.exit_code == 1 and done.output.count("\n") == 1 and "saknas.csv" in done.output
    assert book.read_bytes() == before


def test_a_background_call_gives_its_value_or_raises_its_exception():
    from toolkit.job import Background

    assert Background(sum, [1, 2, 3]).result() == 6
    error = ValueError("x")

    def failing():
        raise error

    with pytest.raises(ValueError) as caught:
        Background(failing).result()
    assert caught.value is error


def test_a_failed_import_waits_for_the_read_and_the_switch_interval_is_put_back(tmp_path, monkeypatch):
    """While the read and the imports overlap, the GIL changes hands more
    often; afterwards the interval is the process's own again. When the
    engine's code fails to load, the run stops with that error only once the
    reading thread is done (no read goes on past the run and its lock)."""
    import threading
    import time

    from toolkit import job
    from toolkit.read import inputs

    book = copy_example("Halmstad.xlsx", tmp_path)
    before = sys.getswitchinterval()
    during: list[float] = []
    real = inputs.read_inputs

    def recording(*args, **kwargs):
        during.append(sys.getswitchinterval())
        return real(*args, **kwargs)

    monkeypatch.setattr(inputs, "read_inputs", recording)
    job.Job(book).reconcile()
    assert during == [job._OVERLAP_SWITCH] and sys.getswitchinterval() == before

    finished = threading.Event()

    def slow(*args, **kwargs):
        time.sleep(0.3)
        finished.set()
        return real(*args, **kwargs)

    def broken():
        raise ImportError("engine")

    monkeypatch.setattr(inputs, "read_inputs", slow)
    monkeypatch.setattr(job, "_load_engine", broken)
    with pytest.raises(ImportError, match="engine"):
        job.Job(book).reconcile()
    assert finished.is_set() and sys.getswitchinterval() == before


def test_runs_in_threads_of_one_process_put_the_interval_back_when_the_last_one_ends():
    from toolkit import job

    before = sys.getswitchinterval()
    first, second = job._quick_switching(), job._quick_switching()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first run ends while the second still reads
    assert sys.getswitchinterval() == job._OVERLAP_SWITCH
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before
