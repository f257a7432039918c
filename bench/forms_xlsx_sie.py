"""The ledger forms that are not the benchmark's shared-string workbook:
an .xlsx written with inline strings, and an SIE 4 export, each timed
against its reference in the same run.

    python bench/forms_xlsx_sie.py [--rows 10000 1048575] [--repeat N] [--cache DIR] [--only xlsx|sie]

- *xlsx, inline strings*: the ledger rows of ``generate.ledger_rows`` written
  by XlsxWriter in ``constant_memory`` mode (as streaming writers — XlsxWriter,
  POI's SXSSF, many ERP exports — write a sheet: every text a
  ``t="inlineStr"`` cell, no shared-string table).  reconcile (end to end, on
  a copy) against fastexcel's bare read of the Utfall sheet.
- *SIE 4*: the same rows as ``#TRANS`` lines (four to a ``#VER``), with the
  shared-string workbook's budget (its Utfall sheet holds one sample row and
  ``--utfall`` names the .se file).  reconcile against a plain line count and
  against pandas.read_csv of the same rows as a Swedish CSV export.

Each run is a fresh child process (wall from spawn to exit, peak RSS from its
own rusage); only the standard library is imported here, and the files are
generated in a child process (see bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEFAULT_CACHE = BENCH / ".cache"
VERSION = 1

GENERATE_CODE = """\
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import forms_xlsx_sie
print(forms_xlsx_sie.ensure(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])))
"""

FASTEXCEL_CODE = """\
import sys
import fastexcel
df = fastexcel.read_excel(sys.argv[1]).load_sheet_by_name("Utfall").to_pandas()
print(len(df))
"""

PANDAS_CSV_CODE = """\
import sys
import pandas
df = pandas.read_csv(sys.argv[1], sep=";", decimal=",", thousands=" ", encoding="utf-8-sig", dtype={"Konto": str})
print(len(df))
"""

LINES_CODE = """\
import sys
with open(sys.argv[1], "rb") as fh:
    print(sum(chunk.count(b"\\n") for chunk in iter(lambda: fh.read(1 << 20), b"")))
"""


# ------------------------------------------------------------------------------------------------
# the files (run in a child: imports the toolkit and XlsxWriter)


def _import_generate():
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import generate

    return generate


def write_inline(path: Path, rows: int) -> None:
    """The benchmark workbook, every sheet written by XlsxWriter in constant_memory mode."""
    import xlsxwriter

    generate = _import_generate()
    tpl = generate.tpl
    plain = xlsxwriter.Workbook

    class Streaming(plain):
        def __init__(self, filename, options=None):
            super().__init__(filename, {**(options or {}), "constant_memory": True})

    xlsxwriter.Workbook = Streaming
    try:
        year = generate.YEAR
        workbook, formats = tpl.new_workbook(str(path), title=f"Hälso- och sjukvårdsnämnden – uppföljning {year}",
                                             comments="Benchmark-arbetsbok för reconcile (inline strings)")
    finally:
        xlsxwriter.Workbook = plain
    tpl.add_settings_sheet(workbook, formats, {"Enhet": "Hälso- och sjukvårdsnämnden", "År": year,
                                               "Period": generate.PERIOD, "Belopp i": "kr", "Visa i": "tkr",
                                               "Prognosmetod": "trend"})
    tpl.add_budget_sheet(workbook, formats, generate.budget_lines(rows),
                         ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Verksamhet", "Projekt", "Periodisering",
                          "Uppdrag"])
    sheet = tpl.add_ledger_sheet(workbook, formats, [], generate.COLUMNS)
    code, amount = formats.code, formats.amount
    number, string = sheet.write_number, sheet.write_string
    for r, (period, konto, ansvar, verks, akt, projekt, text, ore) in enumerate(generate.ledger_rows(rows), 1):
        number(r, 0, period, code)
        number(r, 1, konto, code)
        number(r, 2, ansvar, code)
        number(r, 3, verks, code)
        if akt:
            string(r, 4, akt, code)
        if projekt:
            string(r, 5, projekt, code)
        string(r, 6, text)
        number(r, 7, ore / 100, amount)
    tpl.add_keys_sheet(workbook, formats, {"Lönekostnader": [8, 8, 8, 8, 8, 8, 12, 8, 8, 8, 8, 8],
                                           "Höst": generate.AUTUMN})
    tpl.add_lists_sheet(workbook, ["Lönekostnader", "Höst"])
    workbook.close()


def _kr(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100}.{abs(ore) % 100:02d}"


def write_sie(path: Path, rows: int) -> None:
    """The ledger rows as an SIE 4 export (PC8), four #TRANS to a #VER."""
    generate = _import_generate()
    year = generate.YEAR
    head = ["#FLAGGA 0", '#PROGRAM "Raindance" 2025.1', "#FORMAT PC8", "#GEN 20251103", "#SIETYP 4",
            '#FNAMN "Region Halland"', f"#RAR 0 {year}0101 {year}1231", f"#RAR -1 {year - 1}0101 {year - 1}1231",
            '#DIM 1 "Ansvar"', '#DIM 6 "Projekt"', '#DIM 20 "Verksamhet"', '#DIM 21 "Aktivitet"']
    out: list[str] = [line + "\r\n" for line in head]
    with open(path, "wb") as fh:
        fh.write("".join(out).encode("cp437"))
        out.clear()
        ver = 0
        for i, (period, konto, ansvar, verks, akt, projekt, text, ore) in enumerate(generate.ledger_rows(rows)):
            date = f"{period}{(i * 7) % 28 + 1:02d}"
            if i % 4 == 0:
                if i:
                    out.append("}\r\n")
                ver += 1
                out.append(f'#VER "A" "{ver}" {date} "{text}"\r\n{{\r\n')
            objects = f'1 "{ansvar}" 20 "{verks}"' + (f' 21 "{akt}"' if akt else "") + \
                (f' 6 "{projekt}"' if projekt else "")
            out.append(f"   #TRANS {konto} {{{objects}}} {_kr(ore)} {date}\r\n")
            if len(out) >= 20_000:
                fh.write("".join(out).encode("cp437", "replace"))
                out.clear()
        if rows:
            out.append("}\r\n")
        fh.write("".join(out).encode("cp437", "replace"))


def write_frame(path: Path, rows: int) -> None:
    """The shared-string benchmark workbook with one sample row on Utfall (for --utfall)."""
    _import_generate()._write_frame(path, rows)


def write_csv(path: Path, rows: int) -> None:
    """The ledger rows as a Swedish CSV export: ';', decimal comma, space thousands, BOM."""
    generate = _import_generate()

    def kr(ore: int) -> str:
        whole, cents = divmod(abs(ore), 100)
        return ("-" if ore < 0 else "") + f"{whole:,}".replace(",", " ") + f",{cents:02d}"

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(";".join(generate.COLUMNS) + "\r\n")
        out = []
        for period, konto, ansvar, verks, akt, projekt, text, ore in generate.ledger_rows(rows):
            out.append(f"{period};{konto};{ansvar};{verks};{akt};{projekt};{text};{kr(ore)}\r\n")
            if len(out) >= 20_000:
                fh.write("".join(out))
                out.clear()
        fh.write("".join(out))


WRITERS = {"inline.xlsx": write_inline, "sie.se": write_sie, "frame.xlsx": write_frame, "csv.csv": write_csv}


def ensure(kind: str, rows: int, folder: Path) -> Path:
    """The cached file of ``kind`` with ``rows`` ledger rows, written when missing."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = kind.split(".")
    path = folder / f"forms-{stem}-{rows}-v{VERSION}.{suffix}"
    if not path.exists():
        tmp = path.with_name("tmp-" + path.name)
        WRITERS[kind](tmp, rows)
        tmp.replace(path)
    return path


# ------------------------------------------------------------------------------------------------
# measuring (this process stays small: standard library only)


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float, int, str, float]:
    """(wall s, peak RSS MiB, exit code, stderr, CPU s) of one child process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stdout.close()
    proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, proc.returncode, stderr, usage.ru_utime + usage.ru_stime


def reconcile_command() -> list[str]:
    beside = Path(sys.executable).parent / "reconcile"
    return [str(beside)] if beside.exists() else [shutil.which("reconcile") or "reconcile"]


def generated(kind: str, rows: int, cache: Path) -> Path:
    out = subprocess.run([sys.executable, "-c", GENERATE_CODE, str(BENCH), kind, str(rows), str(cache)],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


def contenders(form: str, rows: int, cache: Path, scratch: Path) -> dict[str, list[str]]:
    """name -> command; reconcile's runs on a fresh copy made by ``prepare``."""
    if form == "xlsx":
        book = generated("inline.xlsx", rows, cache)
        return {"reconcile": [*reconcile_command(), str(scratch / "book.xlsx"), "--no-backup"],
                "fastexcel read": [sys.executable, "-c", FASTEXCEL_CODE, str(book)], "_book": [str(book)]}
    frame = generated("frame.xlsx", rows, cache)
    sie = generated("sie.se", rows, cache)
    csv = generated("csv.csv", rows, cache)
    return {"reconcile": [*reconcile_command(), str(scratch / "book.xlsx"), "--utfall", str(sie), "--no-backup"],
            "line count": [sys.executable, "-c", LINES_CODE, str(sie)],
            "pandas.read_csv (same rows)": [sys.executable, "-c", PANDAS_CSV_CODE, str(csv)], "_book": [str(frame)]}


def bench(form: str, rows: int, repeat: int, cache: Path) -> dict[str, tuple[float, float, float]]:
    """name -> (median wall s, max peak RSS MiB, median CPU s)."""
    results: dict[str, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="reconcile-forms-") as tmp:
        scratch = Path(tmp)
        commands = contenders(form, rows, cache, scratch)
        book = Path(commands.pop("_book")[0])
        for name, command in commands.items():
            walls, peaks, cpus = [], [], []
            for attempt in range(repeat + 1):  # the first run untimed: bytecode written, files in the page cache
                shutil.copyfile(book, scratch / "book.xlsx")
                wall, peak, code, stderr, cpu = measure(command)
                if code != 0:
                    raise SystemExit(f"{name} failed ({code}):\n{stderr}")
                if attempt:
                    walls.append(wall)
                    peaks.append(peak)
                    cpus.append(cpu)
            results[name] = (statistics.median(walls), max(peaks), statistics.median(cpus))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 1_048_575])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--only", choices=["xlsx", "sie"])
    args = parser.parse_args(argv)
    for form in [args.only] if args.only else ["xlsx", "sie"]:
        for rows in args.rows:
            results = bench(form, rows, args.repeat, args.cache)
            reference = results.get("fastexcel read") or results.get("pandas.read_csv (same rows)")
            print(f"{form}, {rows:,} rows (median of {args.repeat})")
            for name, (wall, peak, cpu) in results.items():
                print(f"  {name:<30} {wall:7.2f} s {peak:7.0f} MiB {cpu:7.2f} s CPU   ÷ reference: wall "
                      f"{wall / reference[0]:.2f}, CPU {cpu / reference[2]:.2f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
