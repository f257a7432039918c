"""Benchmark `reconcile` on every form a ledger arrives in, each against its reference in the same run.

| form | the ledger | reference |
|---|---|---|
| xlsx | the workbook's Utfall, shared strings (as Excel saves) | fastexcel bare read of the sheet |
| xlsx-inline | the workbook's Utfall, inline strings (XlsxWriter constant_memory, POI SXSSF) | fastexcel bare read |
| csv | a Swedish export (`;`, decimal comma, space thousands, BOM) | pandas.read_csv of the same file |
| csv-quoted | the same, every text quoted and one in 20 over two lines | pandas.read_csv of the same file |
| csv-1252 | as Excel saves CSV on a Swedish Windows: Windows-1252, no BOM, non-breaking space thousands | pandas.read_csv |
| txt-utf16 | as Excel saves "Unicode text": UTF-16 with a BOM, tab separated | pandas.read_csv |
| parquet | a Parquet export (decimal amounts, text codes) | pyarrow.parquet.read_table |
| sie | an SIE 4 export, one #TRANS per row | a plain line count |

The naive pandas + openpyxl pipeline runs on the xlsx form only.  Every contender runs in a fresh
child process: wall time is measured around spawn → exit (interpreter start included on purpose) and
peak RSS comes from the child's own rusage (``os.wait4``).

    python bench/run.py [--rows 10000 100000 1048575] [--forms xlsx csv …] [--repeat N]
                        [--skip-naive-above ROWS] [--cache DIR] [--markdown] [--workbook FILE]

Only the standard library is imported here: a child's ``ru_maxrss`` starts at this process's peak RSS
(Linux counts the parent's memory up to the ``exec``), so this process must stay small. For the same
reason the workbooks are generated (``generate.ensure``) in a child process too.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_ROWS = (10_000, 100_000, 1_048_575)
DEFAULT_CACHE = BENCH / ".cache"
SMALL = 100_000  # sizes up to this are repeated 3 times by default, larger ones once

RECONCILE = "reconcile"
FASTEXCEL = "fastexcel read"
NAIVE = "naive pandas+openpyxl"
PANDAS_CSV = "pandas.read_csv"
PYARROW = "pyarrow read_table"
LINES = "line count"
CONTENDERS = (RECONCILE, FASTEXCEL, NAIVE)

FORMS = ("xlsx", "xlsx-inline", "csv", "csv-quoted", "csv-1252", "txt-utf16", "parquet", "sie")
FORM_NAMES = {"xlsx": ".xlsx, shared strings", "xlsx-inline": ".xlsx, inline strings", "csv": "CSV (Swedish)",
              "csv-quoted": "CSV, quoted texts over lines", "csv-1252": "CSV, Windows-1252 (Excel)",
              "txt-utf16": "Unicode text, UTF-16 (Excel)",
              "parquet": "Parquet", "sie": "SIE 4"}
REFERENCE = {"xlsx": FASTEXCEL, "xlsx-inline": FASTEXCEL, "csv": PANDAS_CSV, "csv-quoted": PANDAS_CSV,
             "csv-1252": PANDAS_CSV, "txt-utf16": PANDAS_CSV, "parquet": PYARROW, "sie": LINES}

GENERATE_CODE = """\
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import generate
workbook, export = generate.ensure_form(int(sys.argv[2]), sys.argv[4], Path(sys.argv[3]))
print(workbook)
print(export or "-")
"""

PANDAS_CSV_CODE = """\
import sys
import pandas
excel = sys.argv[1].endswith("-1252.csv")  # Excel's CSV: Windows-1252, a non-breaking space between thousands
unicode = sys.argv[1].endswith("-utf16.txt")  # Excel's Unicode text: UTF-16, tab separated
df = pandas.read_csv(sys.argv[1], sep="\\t" if unicode else ";", decimal=",", thousands="\\u00a0" if excel else " ",
                     encoding="utf-16" if unicode else "cp1252" if excel else "utf-8-sig")
print(len(df))
"""

PYARROW_CODE = """\
import sys
import pyarrow.parquet
print(pyarrow.parquet.read_table(sys.argv[1]).num_rows)
"""

LINES_CODE = """\
import sys
with open(sys.argv[1], "rb") as fh:
    print(sum(chunk.count(b"#TRANS") for chunk in iter(lambda: fh.read(1 << 20), b"")))
"""

FASTEXCEL_CODE = """\
import sys
import fastexcel
df = fastexcel.read_excel(sys.argv[1]).load_sheet_by_name("Utfall").to_pandas()
print(len(df))
"""

NAIVE_CODE = """\
import sys
import openpyxl
import pandas
df = pandas.read_excel(sys.argv[1], sheet_name="Utfall", engine="openpyxl")
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.create_sheet("Sammanställning")
ws.append(["Rader", len(df)])
ws.append(["Belopp", float(pandas.to_numeric(df["Belopp"], errors="coerce").sum())])
wb.save(sys.argv[2])
print(len(df))
"""


@dataclass(frozen=True)
class Run:
    """One child process: its exit code, wall time and peak RSS."""

    command: tuple[str, ...]
    returncode: int
    wall: float  # seconds
    peak_rss_mib: float
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class Outcome:
    """All repetitions of one contender on one workbook."""

    contender: str
    runs: list[Run] = field(default_factory=list)
    skipped: bool = False
    failure: str | None = None

    @property
    def measured(self) -> bool:
        return not self.skipped and self.failure is None and bool(self.runs)

    @property
    def wall(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def peak_rss_mib(self) -> float:
        return max(run.peak_rss_mib for run in self.runs)


@dataclass
class SizeResult:
    """The contenders on one ledger: reconcile, the form's reference and (xlsx) the naive pipeline."""

    rows: int
    workbook: Path
    workbook_mb: float
    repeat: int
    outcomes: dict[str, Outcome]
    form: str = "xlsx"
    export: Path | None = None  # the ledger file beside the workbook (CSV, Parquet, SIE)

    @property
    def reference(self) -> str:
        return REFERENCE[self.form]

    def ratio(self, numerator: str, denominator: str) -> float | None:
        top, bottom = self.outcomes.get(numerator), self.outcomes.get(denominator)
        if top is None or bottom is None or not (top.measured and bottom.measured) or bottom.wall <= 0:
            return None
        return top.wall / bottom.wall

    @property
    def failed(self) -> bool:
        return any(outcome.failure is not None for outcome in self.outcomes.values())


# --- measuring -------------------------------------------------------------------------------------


def _rss_mib(maxrss: int) -> float:
    """``ru_maxrss`` is KiB on Linux, bytes on macOS."""
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def measure(command: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `command` in a fresh child process; time spawn → exit and take the child's own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here; tell Popen so it does not wait again
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Run(tuple(command), child.returncode, wall, _rss_mib(usage.ru_maxrss), stdout, stderr)


def child_env() -> dict[str, str]:
    """The environment of every contender: this one, with bytecode caching on (an
    installed package has its .pyc files; a run that compiles every module it
    imports is not what a user waits for)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _python_script(path: str | None) -> bool:
    """Whether ``path`` is a console script run by Python itself (not a shell shim, as pyenv installs)."""
    if not path:
        return False
    with open(path, "rb") as fh:
        first = fh.readline()
    return first.startswith(b"#!") and b"python" in first


def reconcile_command() -> tuple[list[str], dict[str, str]]:
    """The installed console script beside this interpreter (or on PATH), or the
    CLI module of this checkout run by this interpreter."""
    env = child_env()
    beside = Path(sys.executable).parent / "reconcile"
    for script in (str(beside) if beside.exists() else None, shutil.which("reconcile")):
        if _python_script(script):
            return [script], env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    cli = REPO / "toolkit" / "cli.py"
    if 'if __name__ == "__main__"' in cli.read_text(encoding="utf-8"):
        return [sys.executable, "-m", "toolkit.cli"], env
    return [sys.executable, "-c", "from toolkit.cli import main; main()"], env


def _signature(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def run_reconcile(workbook: Path, scratch: Path, *extra: str) -> Run:
    """`reconcile COPY --no-backup` on a fresh copy of `workbook` (the copy is not timed, the write-back is)."""
    copy = scratch / f"reconcile-{workbook.name}"
    shutil.copyfile(workbook, copy)
    before = _signature(copy)
    command, env = reconcile_command()
    run = measure([*command, str(copy), "--no-backup", *extra], cwd=scratch, env=env)
    if run.ok and "--check" not in extra and _signature(copy) == before:
        run = Run(run.command, -1, run.wall, run.peak_rss_mib, run.stdout,
                  run.stderr + "\nbench: reconcile exited 0 but did not rewrite the workbook; the write-back was not measured")
    copy.unlink(missing_ok=True)
    return run


def run_fastexcel(workbook: Path, scratch: Path) -> Run:
    """A bare fastexcel read of sheet Utfall into a pandas DataFrame."""
    return measure([sys.executable, "-c", FASTEXCEL_CODE, str(workbook)], cwd=scratch, env=child_env())


def run_reference(form: str, ledger: Path, scratch: Path) -> Run:
    """The form's reference read of the ledger file (the workbook for the xlsx forms)."""
    code = {FASTEXCEL: FASTEXCEL_CODE, PANDAS_CSV: PANDAS_CSV_CODE, PYARROW: PYARROW_CODE, LINES: LINES_CODE}
    return measure([sys.executable, "-c", code[REFERENCE[form]], str(ledger)], cwd=scratch, env=child_env())


def run_naive(workbook: Path, scratch: Path) -> Run:
    """pandas.read_excel with openpyxl, then openpyxl load → add a sheet → save a copy."""
    out = scratch / f"naive-{workbook.name}"
    run = measure([sys.executable, "-c", NAIVE_CODE, str(workbook), str(out)], cwd=scratch, env=child_env())
    out.unlink(missing_ok=True)
    return run


RUNNERS = {RECONCILE: run_reconcile, FASTEXCEL: run_fastexcel, NAIVE: run_naive}


def default_repeat(rows: int) -> int:
    return 3 if rows <= SMALL else 1


def report_failure(contender: str, run: Run) -> str:
    """Print a crashed contender loudly (command, exit code, stderr) and return a one-line reason."""
    line = "=" * 100
    print(f"\n{line}\nFAILED: {contender} exited {run.returncode}\ncommand: {' '.join(run.command)}", file=sys.stderr)
    print(f"--- stderr ---\n{run.stderr.rstrip()}\n{line}\n", file=sys.stderr, flush=True)
    return f"exit {run.returncode}"


def warm_up(workbook: Path, form: str = "xlsx", export: Path | None = None) -> None:
    """One untimed run of reconcile and of the reference: the bytecode is
    written and the libraries are in the page cache, as on a machine that runs
    the job every night."""
    extra = ("--utfall", str(export)) if export else ()
    with tempfile.TemporaryDirectory(prefix="reconcile-bench-") as tmp:
        run_reconcile(workbook, Path(tmp), "--check", *extra)
        run_reference(form, export or workbook, Path(tmp))


def bench_workbook(workbook: Path, rows: int, repeat: int, skip_naive: bool, form: str = "xlsx",
                   export: Path | None = None) -> SizeResult:
    """Time every contender `repeat` times on the ledger, interleaved so drift hits them alike."""
    reference = REFERENCE[form]
    names = [RECONCILE, reference] + ([NAIVE] if form == "xlsx" else [])
    outcomes = {name: Outcome(name, skipped=name == NAIVE and skip_naive) for name in names}
    extra = ("--utfall", str(export)) if export else ()
    warm_up(workbook, form, export)
    with tempfile.TemporaryDirectory(prefix="reconcile-bench-") as tmp:
        for _ in range(repeat):
            for name, outcome in outcomes.items():
                if outcome.skipped or outcome.failure is not None:
                    continue
                if name == RECONCILE:
                    run = run_reconcile(workbook, Path(tmp), *extra)
                elif name == reference:
                    run = run_reference(form, export or workbook, Path(tmp))
                else:
                    run = RUNNERS[name](workbook, Path(tmp))
                outcome.runs.append(run)
                if not run.ok:
                    outcome.failure = report_failure(name, run)
    size = (export or workbook).stat().st_size / 1e6
    return SizeResult(rows, workbook, size, repeat, outcomes, form, export)


def generate_workbook(rows: int, cache: Path, form: str = "xlsx") -> tuple[Path, Path | None]:
    """``generate.ensure_form(rows, form, cache)`` in a child process, so this process's peak RSS stays
    small: the workbook, and the export beside it (None for the xlsx forms)."""
    done = subprocess.run([sys.executable, "-c", GENERATE_CODE, str(BENCH), str(rows), str(cache), form],
                          stdout=subprocess.PIPE, text=True, cwd=BENCH)
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or len(lines) < 2:
        raise SystemExit(f"bench: generate.ensure_form({rows}, {form}, {cache}) failed (exit {done.returncode})")
    return Path(lines[-2]), None if lines[-1] == "-" else Path(lines[-1])


def counted_rows(result: SizeResult) -> int | None:
    """The ledger rows the reference child read (it prints the count)."""
    outcome = result.outcomes.get(result.reference)
    if outcome is None or not outcome.measured:
        return None
    text = outcome.runs[0].stdout.strip().splitlines()
    return int(text[-1]) if text and text[-1].isdigit() else None


# --- reporting -------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith(("model name", "hardware")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_lines() -> list[str]:
    packages = ("fastexcel", "pandas", "pyarrow", "numpy", "openpyxl", "python-calamine")
    versions = ", ".join(f"{name} {_version(name)}" for name in packages)
    return [
        f"CPU:      {_cpu_model()} · {os.cpu_count()} cores",
        f"RAM:      {_ram_gib()}",
        f"OS:       {platform.system()} {platform.release()}",
        f"Python:   {platform.python_version()} ({sys.executable})",
        f"Packages: {versions}",
        f"reconcile: {' '.join(reconcile_command()[0])}",
    ]


def _cell(outcome: Outcome, value: float, fmt: str) -> str:
    if outcome.skipped:
        return "–"
    if outcome.failure is not None:
        return "failed"
    return format(value, fmt)


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def size_table(result: SizeResult) -> list[str]:
    times = "time" if result.repeat == 1 else "times, median wall, max RSS"
    size = f"{result.workbook_mb:.2f}" if result.workbook_mb < 10 else f"{result.workbook_mb:.1f}"
    what = "workbook" if result.export is None else FORM_NAMES[result.form]
    lines = [f"{result.rows:,} rows · {what} {size} MB · {result.repeat} {times}",
             f"  {'contender':<24}{'wall s':>10}{'peak RSS MiB':>15}"]
    for outcome in result.outcomes.values():
        wall = _cell(outcome, outcome.wall if outcome.measured else 0.0, ".2f")
        rss = _cell(outcome, outcome.peak_rss_mib if outcome.measured else 0.0, ".0f")
        lines.append(f"  {outcome.contender:<24}{wall:>10}{rss:>15}")
    lines.append(f"  reconcile ÷ {result.reference} wall: {_ratio(result.ratio(RECONCILE, result.reference))}")
    if NAIVE in result.outcomes:
        lines.append(f"  naive ÷ reconcile wall: {_ratio(result.ratio(NAIVE, RECONCILE))}")
    return lines


MARKDOWN_HEADER = (
    "| Ledger | Rows | reconcile s | RSS | reference | s | RSS | reconcile ÷ reference |",
    "|---|---:|---:|---:|---|---:|---:|---:|",
)
NAIVE_HEADER = (
    "| Rows | reconcile s | RSS | naive pandas+openpyxl s | RSS | naive ÷ reconcile |",
    "|---:|---:|---:|---:|---:|---:|",
)


def _measured(outcome: Outcome) -> tuple[str, str]:
    wall = _cell(outcome, outcome.wall if outcome.measured else 0.0, ".2f")
    rss = _cell(outcome, outcome.peak_rss_mib if outcome.measured else 0.0, ".0f")
    return wall, f"{rss} MiB" if outcome.measured else rss


def markdown_row(result: SizeResult) -> str:
    reference = result.outcomes.get(result.reference) or Outcome(result.reference, skipped=True)
    cells = [FORM_NAMES[result.form], f"{result.rows:,}", *_measured(result.outcomes[RECONCILE]),
             result.reference, *_measured(reference), _ratio(result.ratio(RECONCILE, result.reference))]
    return "| " + " | ".join(cells) + " |"


def markdown_table(results: Sequence[SizeResult]) -> list[str]:
    """One row per ledger form and size; then, when the naive pipeline ran, its table."""
    lines = [*MARKDOWN_HEADER, *(markdown_row(result) for result in results)]
    naive = [result for result in results if NAIVE in result.outcomes and result.outcomes[NAIVE].measured]
    if naive:
        lines += ["", *NAIVE_HEADER]
        for result in naive:
            cells = [f"{result.rows:,}", *_measured(result.outcomes[RECONCILE]), *_measured(result.outcomes[NAIVE]),
                     _ratio(result.ratio(NAIVE, RECONCILE))]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


@dataclass(frozen=True)
class Target:
    description: str
    met: bool | None  # None: not measured


def targets(results: Sequence[SizeResult]) -> list[Target]:
    """Per form at 1,048,575 rows: reconcile wall ≤ the reference's (SIE: ≤ 2 × reconcile on the CSV
    export) and peak RSS ≤ 1024 MiB; at 10,000 rows (xlsx): reconcile ≤ 0.6 s."""
    def reconcile(result: SizeResult | None) -> Outcome | None:
        outcome = result.outcomes[RECONCILE] if result else None
        return outcome if outcome and outcome.measured else None

    found: list[Target] = []
    for form in [form for form in FORMS if any(r.form == form for r in results)] or ["xlsx"]:
        by_rows = {result.rows: result for result in results if result.form == form}
        big = by_rows.get(1_048_575)
        label = "" if form == "xlsx" else f"{FORM_NAMES[form]}, "
        if form == "sie":
            csv = next((r for r in results if r.form == "csv" and r.rows == 1_048_575), None)
            mine, theirs = reconcile(big), reconcile(csv)
            found.append(Target(f"{label}1,048,575 rows: reconcile wall ≤ 2 × reconcile on the CSV export",
                                None if mine is None or theirs is None else mine.wall <= 2 * theirs.wall))
        else:
            ratio = big.ratio(RECONCILE, big.reference) if big else None
            found.append(Target(f"{label}1,048,575 rows: reconcile wall ≤ {REFERENCE[form]} wall",
                                None if ratio is None else ratio <= 1.0))
        big_reconcile = reconcile(big)
        found.append(Target(f"{label}1,048,575 rows: reconcile peak RSS ≤ 1024 MiB",
                            None if big_reconcile is None else big_reconcile.peak_rss_mib <= 1024))
        if form == "xlsx":
            small = reconcile(by_rows.get(10_000))
            found.append(Target("10,000 rows: reconcile wall ≤ 0.6 s", None if small is None else small.wall <= 0.6))
    return found


def target_lines(results: Sequence[SizeResult]) -> list[str]:
    verdict = {True: "target met", False: "target missed", None: "not measured"}
    return [f"  {target.description}: {verdict[target.met]}" for target in targets(results)]


# --- command line ----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark reconcile against a bare fastexcel read and a naive pipeline.")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--rows", type=int, nargs="+", default=list(DEFAULT_ROWS), metavar="ROWS",
                        help="ledger sizes to generate and measure (default: %(default)s)")
    source.add_argument("--workbook", type=Path, metavar="FILE",
                        help="measure this workbook instead of generated ones (default --repeat 3)")
    parser.add_argument("--forms", nargs="+", choices=FORMS, default=list(FORMS), metavar="FORM",
                        help=f"ledger forms to measure (default: all: {', '.join(FORMS)})")
    parser.add_argument("--repeat", type=int, metavar="N",
                        help=f"repetitions per size (default: 3 up to {SMALL:,} rows, 1 above)")
    parser.add_argument("--skip-naive-above", type=int, metavar="ROWS", help="skip the naive pipeline above ROWS rows")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, metavar="DIR",
                        help="folder for the generated workbooks (default: bench/.cache)")
    parser.add_argument("--markdown", action="store_true", help="also print a GitHub markdown table for the README")
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def measure_size(rows: int | None, args: argparse.Namespace, form: str = "xlsx") -> SizeResult:
    """Generate (or take) the ledger in ``form``, measure it and print its table."""
    workbook, export = (args.workbook, None) if rows is None else generate_workbook(rows, args.cache, form)
    repeat = args.repeat or (3 if rows is None else default_repeat(rows))
    skip_naive = rows is not None and args.skip_naive_above is not None and rows > args.skip_naive_above
    print(f"\nmeasuring {export or workbook} …", flush=True)
    result = bench_workbook(workbook, rows or 0, repeat, skip_naive, form, export)
    counted = counted_rows(result)
    if rows is None and counted is not None:
        result.rows = counted
    elif counted is not None and counted != rows:
        print(f"  warning: {result.reference} counted {counted:,} ledger rows, expected {rows:,}", file=sys.stderr)
    print("\n".join(size_table(result)), flush=True)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print("\n".join(machine_lines()))
    if args.workbook:
        results = [measure_size(None, args)]
    else:
        results = [measure_size(rows, args, form) for form in args.forms for rows in args.rows]
    print("\ntargets:")
    print("\n".join(target_lines(results)))
    if args.markdown:
        print()
        print("\n".join(markdown_table(results)))
    if any(result.failed for result in results):
        print("\nbench: a contender crashed (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
