"""The command line: parse options, call read → engine → render → package,
print one line, set the exit code. No business logic lives here.

Exit codes: 0 written (or checked), 1 input error (nothing written),
2 usage error, 3 the workbook is locked or cannot be replaced.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from .errors import ReconcileError


class _DefaultGroup(click.Group):
    """``reconcile PATH …`` runs the monthly job; ``reconcile init PATH`` is a subcommand."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reconcile", message="reconcile %(version)s")
def main() -> None:
    """Månadsuppföljning av budget: stämmer av huvudbokens utfall mot budgeten och
    skriver bladen Sammanställning, Resultaträkning och Avstämning i arbetsboken.

    \b
    reconcile Halmstad.xlsx            kör månadsuppföljningen
    reconcile init Ny.xlsx             skapar en tom mall
    """


@main.command("run")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", metavar="ÅÅÅÅ-MM", help="Bokslutsperiod, t.ex. 2025-08 eller 8 (annars Inställningar "
              "eller senaste bokförda månad).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), metavar="UT.xlsx",
              help="Skriv resultatet till en annan fil; arbetsboken lämnas orörd.")
@click.option("--budget", "budget_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Läs bladet Budget från en annan arbetsbok eller en CSV-fil.")
@click.option("--utfall", "ledger_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Läs huvudboken (Utfall) från en annan arbetsbok, en CSV-fil eller en SIE-fil (.se).")
@click.option("--check", is_flag=True, help="Stäm av och rapportera, men skriv ingenting.")
@click.option("--backup", "backup_dir", type=click.Path(file_okay=False, path_type=Path), metavar="MAPP",
              help="Spara tidigare versioner i MAPP (Halmstad.20251123-021500.xlsx) i stället för Halmstad.xlsx.bak.")
@click.option("--keep-backups", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="Antal versioner som sparas i --backup-mappen.")
@click.option("--no-backup", is_flag=True, help="Spara ingen kopia av den tidigare versionen.")
@click.option("--wait", type=click.FloatRange(min=0), default=0, metavar="SEK",
              help="Om arbetsboken är öppen: försök igen i upp till SEK sekunder (för schemalagda körningar).")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Visa inga förloppsrader (de visas bara i en terminal).")
@click.option("--debug", is_flag=True, help="Visa hela felspårningen vid fel.")
def run(path: Path, period: str | None, output: Path | None, budget_file: Path | None, ledger_file: Path | None,
        check: bool, backup_dir: Path | None, keep_backups: int, no_backup: bool, wait: float, as_json: bool,
        quiet: bool, debug: bool) -> None:
    """Stäm av arbetsboken PATH och skriv tillbaka bladen.

    Den tidigare versionen sparas som PATH.bak (eller i --backup-mappen) innan
    arbetsboken ersätts; en körning som inte ändrar något skriver ingenting."""
    from .job import Job
    from .package.backup import Backup
    from .progress import for_terminal

    if no_backup and backup_dir:
        raise click.UsageError("--no-backup och --backup kan inte användas samtidigt")
    backup = None if no_backup else Backup(backup_dir, keep_backups)
    progress = for_terminal(quiet or as_json)
    job = Job(path, period=period, output=output, budget_file=budget_file, ledger_file=ledger_file,
              backup=backup, wait=wait, progress=progress)

    told = []

    def waiting(exc: ReconcileError) -> None:
        if not told and sys.stderr.isatty() and not as_json:
            click.echo(f"{exc.file or path}: {exc.message.split(';')[0]}; väntar upp till {wait:g} s …", err=True)
            told.append(exc)

    try:
        try:
            result = job.run(write=not check, on_wait=waiting)
        finally:
            if progress is not None:
                progress.clear()
    except ReconcileError as exc:
        _fail(exc, debug, as_json, path)
        return
    except KeyboardInterrupt:  # pragma: no cover - interactive
        raise
    except Exception as exc:  # an unexpected failure: still one line, nothing written
        if debug:
            traceback.print_exc()
        message = f"{path}: oväntat fel ({type(exc).__name__}: {exc}); inget skrevs. Kör med --debug för detaljer."
        if as_json:
            click.echo(json.dumps({"file": str(path), "status": "error", "message": message}, ensure_ascii=False))
        else:
            click.echo(message, err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.summary_line())


def _fail(exc: ReconcileError, debug: bool, as_json: bool, path: Path) -> None:
    if exc.file is None:
        exc.file = str(path)
    if debug:
        traceback.print_exc()
    if as_json:
        click.echo(json.dumps({"file": str(path), "status": "error", "message": str(exc)}, ensure_ascii=False))
    else:
        click.echo(str(exc), err=True)
    sys.exit(exc.exit_code)


@main.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", "-y", type=int, help="Budgetåret (standard: innevarande år).")
@click.option("--debug", is_flag=True, help="Visa hela felspårningen vid fel.")
def init(path: Path, year: int | None, debug: bool) -> None:
    """Skapa en tom mall PATH med bladen Inställningar, Budget, Utfall och Periodisering."""
    import datetime as dt

    from .template import write_template

    try:
        write_template(path, year or dt.date.today().year)
    except ReconcileError as exc:
        _fail(exc, debug, False, path)
        return
    click.echo(f"{path}: mall skapad · fyll i Budget och Utfall och kör reconcile {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
