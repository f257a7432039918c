"""Benchmark a folder of unit workbooks that share one regional ledger export.

A folder of N workbooks (default 40), each the generated budget workbook with
``Utfallsfil = region.csv`` on Inställningar, beside one generated CSV export
(the Swedish form of ``bench/run.py``'s ``csv``).  Timed, each in a fresh child
process (spawn → exit, peak RSS of the child and the workers it waited for):

- ``reconcile MAPP``: the folder run; the export is read once, in the parent;
- ``reconcile MAPP, N exports``: the same folder where each workbook names its
  own hard link to the export (another path: read by each workbook itself, as
  a folder run read it before) — what the shared read saves;
- ``N × reconcile UNIT.xlsx``: the workbooks run one after another;
- ``1 × reconcile UNIT.xlsx``: one unit alone (one read plus one small run).

    python bench/folder_shared.py [--rows 100000 1000000] [--units 40] [--jobs N] [--cache DIR] [--markdown]

Like run.py this process imports only the standard library (its children's
``ru_maxrss`` would start at its own peak); the files are generated in a child.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BENCH, DEFAULT_CACHE, child_env, machine_lines, measure, reconcile_command  # noqa: E402

DEFAULT_ROWS = (100_000, 1_000_000)

GENERATE_CODE = """\
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import generate
rows, folder = int(sys.argv[2]), Path(sys.argv[3])
folder.mkdir(parents=True, exist_ok=True)
export = folder / f"ledger-{rows}-v{generate.VERSION}.csv"
if not export.exists():
    generate.write_csv(export, rows)
unit = folder / f"unit-{rows}-v{generate.VERSION}.xlsx"
if not unit.exists():
    real = generate.tpl.add_settings_sheet
    def with_export(workbook, formats, values, *args, **kwargs):
        return real(workbook, formats, {**values, "Utfallsfil": "region.csv"}, *args, **kwargs)
    generate.tpl.add_settings_sheet = with_export
    tmp = unit.with_suffix(".tmp.xlsx")
    generate._write_frame(tmp, rows)
    tmp.replace(unit)
print(unit)
print(export)
"""


def generated(rows: int, cache: Path) -> tuple[Path, Path]:
    """(unit workbook naming region.csv, the CSV export), generated in a child when missing."""
    run = measure([sys.executable, "-c", GENERATE_CODE, str(BENCH), str(rows), str(cache)])
    if not run.ok:
        raise SystemExit(f"generating {rows} rows failed:\n{run.stderr}")
    unit, export = run.stdout.split()
    return Path(unit), Path(export)


def folder(base: Path, unit: Path, export: Path, units: int, own_exports: bool) -> Path:
    """``units`` copies of ``unit`` in base/MAPP beside region.csv (a hard link to ``export``, or a
    copy when links are not possible); with ``own_exports`` workbook k names region-k.csv instead,
    its own link to the same export (another path: not shared)."""
    where = base / "MAPP"
    where.mkdir(parents=True)
    _link(export, where / "region.csv")
    for k in range(1, units + 1):
        book = where / f"Enhet{k:02d}.xlsx"
        if own_exports:
            name = f"region-{k:02d}.csv"
            _link(export, where / name)
            _renamed(unit, book, name)
        else:
            shutil.copyfile(unit, book)
    return where


def _renamed(unit: Path, dest: Path, name: str) -> None:
    """A copy of ``unit`` whose Utfallsfil names ``name`` (the setting's text is a shared string)."""
    with zipfile.ZipFile(unit) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/sharedStrings.xml":
                assert b">region.csv<" in data
                data = data.replace(b">region.csv<", f">{name}<".encode())
            out.writestr(info, data)


def _link(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=list(DEFAULT_ROWS))
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the folder runs (default: one per core)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    command, env = reconcile_command()
    env = {**child_env(), **env}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print("\n".join(machine_lines()))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    table = []
    failed = False
    for rows in args.rows:
        unit, export = generated(rows, args.cache)
        mb = export.stat().st_size / 1e6
        results: dict[str, tuple[float, float]] = {}
        with tempfile.TemporaryDirectory(prefix="folder-shared-") as tmp:
            base = Path(tmp)
            # untimed warm-up: bytecode written, libraries and the export in the page cache
            warm = folder(base / "warm", unit, export, 1, False)
            measure([*command, str(warm / "Enhet01.xlsx"), "--no-backup", "--check"], env=env)

            shared = folder(base / "shared", unit, export, args.units, False)
            run = measure([*command, str(shared), "--no-backup", *jobs], env=env)
            failed |= run.returncode != 0
            results["reconcile MAPP (export read once)"] = (run.wall, run.peak_rss_mib)
            print(run.stdout.splitlines()[-1] if run.stdout else run.stderr)

            own = folder(base / "own", unit, export, args.units, True)
            run = measure([*command, str(own), "--no-backup", *jobs], env=env)
            failed |= run.returncode != 0
            results[f"reconcile MAPP, {args.units} exports (each read by its workbook)"] = (run.wall, run.peak_rss_mib)

            separate = folder(base / "separate", unit, export, args.units, False)
            wall, peak = 0.0, 0.0
            for book in sorted(separate.glob("*.xlsx")):
                run = measure([*command, str(book), "--no-backup"], env=env)
                failed |= run.returncode != 0
                wall, peak = wall + run.wall, max(peak, run.peak_rss_mib)
            results[f"{args.units} × reconcile UNIT.xlsx, one after another"] = (wall, peak)

            single = folder(base / "single", unit, export, 1, False)
            run = measure([*command, str(single / "Enhet01.xlsx"), "--no-backup"], env=env)
            failed |= run.returncode != 0
            results["1 × reconcile UNIT.xlsx"] = (run.wall, run.peak_rss_mib)
        base_wall = results["reconcile MAPP (export read once)"][0]
        print(f"\n{rows:,} rows ({mb:.0f} MB CSV), {args.units} workbooks".replace(",", " "))
        for name, (wall, peak) in results.items():
            print(f"  {name:<62} {wall:8.2f} s  {peak:7.0f} MiB  {wall / base_wall:5.2f}×")
            table.append((rows, name, wall, peak, wall / base_wall))
    if args.markdown:
        print("\n| Rows | Run | s | peak RSS MiB | ÷ folder run |\n|---:|---|---:|---:|---:|")
        for rows, name, wall, peak, ratio in table:
            print(f"| {rows:,} | {name} | {wall:.2f} | {peak:.0f} | {ratio:.2f} |".replace(",", " ", 2 if rows >= 10**6 else 1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
