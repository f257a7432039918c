"""Progress on a terminal, silence elsewhere; and what a run imports (the
interpreter start is part of the 0.6 s a typical workbook may take)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from examples import copy_example

from toolkit import progress as progress_module
from toolkit.cli import main
from toolkit.progress import DELAY, Progress, for_terminal

ROOT = Path(__file__).resolve().parents[1]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_shown_before_a_stage_has_run_for_a_while():
    out, clock = Terminal(), Clock()
    show = Progress(out, clock)
    show("läser bladet Utfall", 10, 100)
    clock.now += DELAY / 2
    show("läser bladet Utfall", 50, 100)
    assert out.getvalue() == ""
    clock.now += DELAY
    show("läser bladet Utfall", 60, 100)
    assert out.getvalue() == "\rläser bladet Utfall … 60 %"


def test_the_line_is_rewritten_in_place_and_cleared():
    out, clock = Terminal(), Clock()
    show = Progress(out, clock)
    show("läser bladet Utfall", 0, 300)
    clock.now += 1
    show("läser bladet Utfall", 150, 300)
    clock.now += 0.01  # too soon to redraw
    show("läser bladet Utfall", 160, 300)
    clock.now += 1
    show("skriver arbetsboken", 1, 3)  # a new stage waits its own delay
    clock.now += 1
    show("skriver arbetsboken", 3, 3)
    assert out.getvalue() == "\rläser bladet Utfall … 50 %\rskriver arbetsboken … 100 %"
    show.clear()
    assert out.getvalue().endswith("\r" + " " * len("skriver arbetsboken … 100 %") + "\r")


def test_shown_only_on_a_terminal_and_not_with_quiet():
    assert for_terminal(False, Terminal()) is not None
    assert for_terminal(True, Terminal()) is None
    assert for_terminal(False, io.StringIO()) is None


@pytest.mark.parametrize("flags, shown", [([], True), (["--quiet"], False), (["-q"], False), (["--json"], False)])
def test_the_run_reports_reading_and_writing(tmp_path, monkeypatch, flags, shown):
    """With a terminal (and no delay), the ledger read and the package write
    are shown, and the line is gone before the summary is printed."""
    book = tmp_path / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", book)
    terminal, made = Terminal(), []

    def on_terminal(quiet, stream=None):
        if quiet:
            return None
        made.append(Progress(terminal))
        return made[-1]

    monkeypatch.setattr(progress_module, "for_terminal", on_terminal)
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    monkeypatch.setattr(progress_module, "EVERY", 0.0)
    result = CliRunner().invoke(main, [str(book), "--no-backup", *flags], catch_exceptions=False)
    assert result.exit_code == 0
    text = terminal.getvalue()
    if not shown:
        assert text == "" and not made
        return
    assert "\rläser bladet Utfall … 100 %" in text
    assert "\rskriver arbetsboken … 100 %" in text
    assert text.endswith(" \r") and made[0].width == 0  # cleared


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    """Scheduled tasks log clean lines: CliRunner's stderr is no terminal."""
    book = tmp_path / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", book)
    result = CliRunner().invoke(main, [str(book), "--no-backup"], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""


def _modules_after(*args: str) -> set[str]:
    code = ("import sys\nfrom toolkit.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(done.stdout.split("\n")[-2].split())


def test_help_imports_neither_numpy_nor_the_readers():
    loaded = _modules_after("--help")
    assert not {"numpy", "pandas", "python_calamine", "openpyxl", "xlsxwriter"} & loaded


def test_a_monthly_run_imports_only_what_it_needs(tmp_path):
    """numpy, XlsxWriter and the toolkit; not pandas, nor calamine or openpyxl
    for a workbook the streaming reader takes, nor numpy.ma."""
    book = tmp_path / "Halmstad.xlsx"
    copy_example("Halmstad.xlsx", book)
    loaded = _modules_after(str(book), "--no-backup")
    assert {"numpy", "xlsxwriter", "toolkit.read.worksheet"} <= loaded
    assert not {"pandas", "python_calamine", "openpyxl", "numpy.ma"} & loaded
