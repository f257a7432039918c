"""A region's year as one ledger export: time and peak memory of `reconcile` on
a CSV (or Parquet) export of 5, 10 and 20 million rows beside the bench's
budget workbook (the rows of ``generate.ledger_rows``, written line by line;
the Parquet file converted from that CSV file batch by batch).

    python bench/big.py [--rows 5000000 10000000 20000000] [--forms csv parquet]
                        [--whole] [--cache DIR] [--markdown]

An export this size is read in batches and aggregated per period and codes
(``toolkit/read/stream.py``): memory is bounded by a batch and the groups, not
by the rows.  Each run is ``reconcile BUDGET --utfall EXPORT --no-backup`` in a
fresh child (write-back included), timed spawn → exit with the child's own
peak RSS, as in ``run.py``.  ``--whole`` also runs ``--check --json`` both
ways — aggregated, and with aggregation switched off (every row held, as
below the threshold) — and checks that the figures and the tie-out are the
same.  Only the standard library is imported here (see ``run.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import run  # noqa: E402  (bench/run.py: measure, the reconcile command, generation in a child)

#: reconcile with aggregation switched off: every row held, as an export below the threshold is read
WHOLE_CODE = """
import sys
from toolkit.read import stream
stream.AGGREGATE_BYTES = stream.AGGREGATE_ROWS = 1 << 62
from toolkit.cli import main
sys.argv = ["reconcile", *sys.argv[1:]]
main()
"""


#: the CSV export as Parquet, typed as ``generate.write_parquet`` types it, converted batch by batch by pyarrow
#: (the same rows, without building a Python object per row: minutes less at 20 million)
PARQUET_CODE = """
import sys
import pyarrow as pa, pyarrow.compute as pc, pyarrow.csv as pacsv, pyarrow.parquet as pq
source, target = sys.argv[1], sys.argv[2]
text = ["Konto", "Ansvar", "Verksamhet", "Aktivitet", "Projekt", "Text"]
schema = pa.schema([("Period", pa.int32()), *((name, pa.string()) for name in text), ("Belopp", pa.decimal128(18, 2))])
reader = pacsv.open_csv(source, read_options=pacsv.ReadOptions(block_size=64 << 20),
                        parse_options=pacsv.ParseOptions(delimiter=";"),
                        convert_options=pacsv.ConvertOptions(column_types={"Period": pa.int32(),
                                                                           **dict.fromkeys(text + ["Belopp"], pa.string())},
                                                             strings_can_be_null=True))
with pq.ParquetWriter(target + ".tmp", schema) as writer:
    for batch in reader:
        amount = pc.replace_substring(pc.replace_substring(batch.column("Belopp"), " ", ""), ",", ".")
        columns = [batch.column(name) for name in ["Period", *text]] + [pc.cast(amount, pa.decimal128(18, 2))]
        writer.write_table(pa.Table.from_arrays(columns, schema=schema))
import os
os.replace(target + ".tmp", target)
"""


def export_of(rows: int, cache: Path, form: str) -> tuple[Path, Path]:
    """(budget workbook, export) of ``rows`` rows: generated CSV, or Parquet converted from it."""
    workbook, export = run.generate_workbook(rows, cache, "csv")
    if form == "csv":
        return workbook, export
    parquet = export.with_suffix(".parquet")
    if not parquet.exists():
        done = run.subprocess.run([sys.executable, "-c", PARQUET_CODE, str(export), str(parquet)])
        if done.returncode:
            raise SystemExit(f"bench: converting {export} to Parquet failed (exit {done.returncode})")
    return workbook, parquet


def figures(result: run.Run) -> dict:
    out = json.loads(result.stdout)
    return {"totals": out["totals_kr"], "tieout": out["tieout_kr"]}


def check_run(workbook: Path, export: Path, scratch: Path, whole: bool) -> run.Run:
    command, env = run.reconcile_command()
    if whole:
        command = [sys.executable, "-c", WHOLE_CODE]
        env = dict(env, PYTHONPATH=str(run.REPO))
    return run.measure([*command, str(workbook), "--utfall", str(export), "--check", "--json"], cwd=scratch, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000_000, 10_000_000, 20_000_000])
    parser.add_argument("--forms", nargs="+", default=["csv"], choices=["csv", "parquet"])
    parser.add_argument("--whole", action="store_true", help="also run without aggregation and compare the figures")
    parser.add_argument("--cache", type=Path, default=BENCH / ".cache")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    lines = ["| form | rows | file MB | wall s | s per M rows | peak RSS MiB |"
             + (" without aggregation: wall s | peak RSS MiB | same figures |" if args.whole else ""),
             "|---|---:|---:|---:|---:|---:|" + ("---:|---:|---|" if args.whole else "")]
    failed = False
    for form in args.forms:
        for rows in args.rows:
            workbook, export = export_of(rows, args.cache, form)
            with tempfile.TemporaryDirectory(prefix="reconcile-big-") as tmp:
                result = run.run_reconcile(workbook, Path(tmp), "--utfall", str(export))
                if not result.ok:
                    print(run.report_failure("reconcile", result), file=sys.stderr)
                    failed = True
                    continue
                row = (f"| {form} | {rows:,} | {export.stat().st_size / 1e6:,.0f} | {result.wall:.1f} | "
                       f"{result.wall / rows * 1e6:.2f} | {result.peak_rss_mib:,.0f} |")
                if args.whole:
                    grouped = check_run(workbook, export, Path(tmp), False)
                    whole = check_run(workbook, export, Path(tmp), True)
                    same = grouped.ok and whole.ok and figures(grouped) == figures(whole)
                    failed |= not same
                    row += (f" {whole.wall:.1f} | {whole.peak_rss_mib:,.0f} | {'yes' if same else 'NO'} |"
                            if whole.ok else f" failed (exit {whole.returncode}) | | |")
                print(row if args.markdown else row.replace("|", " ").strip(), flush=True)
                lines.append(row)
    if args.markdown:
        print("\n".join(["", *run.machine_lines(), "", *lines]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
