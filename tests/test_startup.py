"""What a run costs before and after its work: no BLAS thread pool for a
toolkit that multiplies no matrices."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from examples import copy_example

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
