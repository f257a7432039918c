"""A region's year as one ledger export: time and peak memory of `reconcile` on
a CSV (or Parquet) export of 5, 10 and 20 million rows beside the bench's
budget workbook (the rows of ``generate.ledger_rows``, written line by line).

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
            workbook, export = run.generate_workbook(rows, args.cache, form)
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
