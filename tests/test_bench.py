"""bench/run.py: its measuring machinery on the bundled example, and its tables."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from examples import example
from written import WRITTEN

ROOT = Path(__file__).resolve().parent.parent
HALMSTAD = example("Halmstad.xlsx")


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def measured(bench, tmp_path_factory):
    """reconcile and the fastexcel read, once each, on a copy of Halmstad.xlsx."""
    folder = tmp_path_factory.mktemp("bench")
    workbook = folder / "Halmstad.xlsx"
    shutil.copyfile(HALMSTAD, workbook)
    outcomes = {}
    for name in (bench.RECONCILE, bench.FASTEXCEL):
        run = bench.RUNNERS[name](workbook, folder)
        outcomes[name] = bench.Outcome(name, runs=[run])
    result = bench.SizeResult(318, workbook, workbook.stat().st_size / 1e6, 1, outcomes | {
        bench.NAIVE: bench.Outcome(bench.NAIVE, skipped=True)})
    return result, workbook


def test_reconcile_is_measured_end_to_end(bench, measured):
    result, workbook = measured
    run = result.outcomes[bench.RECONCILE].runs[0]
    assert run.returncode == 0, run.stderr
    assert run.wall > 0
    assert run.peak_rss_mib > 10
    assert WRITTEN in run.stdout
    assert workbook.read_bytes() == HALMSTAD.read_bytes(), "reconcile must run on a copy, never on the cached workbook"


def test_fastexcel_read_reports_the_ledger_rows(bench, measured):
    result, _ = measured
    run = result.outcomes[bench.FASTEXCEL].runs[0]
    assert run.returncode == 0, run.stderr
    assert run.wall > 0 and run.peak_rss_mib > 10
    assert bench.counted_rows(result) > 0


def test_a_failing_reconcile_is_caught(bench, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    run = bench.run_reconcile(broken, tmp_path)
    assert run.returncode != 0 and not run.ok
    assert run.stderr.strip()


def test_markdown_table_has_the_header_and_one_row_per_size(bench, measured):
    result, _ = measured
    lines = bench.markdown_table([result])
    assert lines[0] == "| Ledger | Rows | reconcile s | RSS | reference | s | RSS | reconcile ÷ reference |"
    assert lines[1].startswith("|---|---:")
    assert len(lines) == 3  # the naive pipeline was skipped: no table of its own
    cells = [cell.strip() for cell in lines[2].strip("|").split("|")]
    assert len(cells) == 8
    assert cells[:2] == [".xlsx, shared strings", "318"]
    assert float(cells[2]) > 0 and cells[3].endswith(" MiB")
    assert cells[4] == bench.FASTEXCEL and float(cells[5]) > 0
    assert float(cells[7]) > 0


def test_every_form_has_a_reference_that_reads_its_ledger(bench, tmp_path):
    """The references of the export forms run on a tiny generated ledger and count its rows."""
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    for form in ("csv", "csv-quoted", "csv-1252", "txt-utf16", "parquet", "sie"):
        workbook, export = bench.generate_workbook(50, tmp_path, form)
        assert workbook.exists() and export.exists()
        run = bench.run_reference(form, export, tmp_path)
        assert run.ok, run.stderr
        assert run.stdout.strip().splitlines()[-1] == "50"


def test_targets(bench, measured):
    result, workbook = measured
    reconcile = result.outcomes[bench.RECONCILE]
    small = bench.SizeResult(10_000, workbook, 0.4, 1, dict(result.outcomes))
    verdicts = {target.description: target.met for target in bench.targets([small])}
    assert verdicts["10,000 rows: reconcile wall ≤ 0.6 s"] is (reconcile.wall <= 0.6)
    assert verdicts["1,048,575 rows: reconcile peak RSS ≤ 1024 MiB"] is None
    lines = bench.target_lines([small])
    assert any(line.endswith(("target met", "target missed")) for line in lines)
    assert any(line.endswith("not measured") for line in lines)
