"""The command line: parse options, call read → engine → render → package
(through ``job``, ``folder`` and ``consolidation``), print one line per
workbook, set the exit code. No business logic lives here.

Exit codes: 0 written (or checked), 1 input error (nothing written),
2 usage error (one Swedish line, see ``usage``), 3 the workbook is locked,
read-only or cannot be replaced; for a folder, 1 when any workbook had an
error, else 3 when any was locked.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from pathlib import Path

import click

from . import options
from .errors import ReconcileError, UsageError
from .usage import (
    EXIT_USAGE,
    Count,
    File,
    Folder,
    Group,
    LastYear,
    Ledger,
    Output,
    Period,
    Seconds,
    Target,
    Usage,
    Year,
    too_many,
)

# numpy's OpenBLAS starts a thread per core when numpy is imported (and they spin, and are joined at
# exit): a tenth of a second of CPU per run, for nothing, as the toolkit multiplies no matrices. Set
# before numpy is imported (nothing above imports it); a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reconcile", message="reconcile %(version)s", help="Visa versionen och avsluta.")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Månadsuppföljning av budget: stämmer av huvudbokens utfall mot budgeten och
    skriver bladen Sammanställning, Analys, Resultaträkning och Avstämning i arbetsboken.

    \b
    reconcile Halmstad.xlsx            kör månadsuppföljningen
    reconcile Nämnder/                 kör den för varje arbetsbok i mappen
    reconcile consolidate Enheter/ -o Förbund.xlsx
                                       sammanställer enheterna i en arbetsbok
    reconcile report Halmstad.xlsx --docx Ekonomi.docx
                                       skriver rapportens avsnitt Ekonomi
    reconcile init Ny.xlsx             skapar en tom mall
    """
    if ctx.invoked_subcommand is None:  # nothing asked: the help, as a usage error
        click.echo(ctx.get_help(), err=True)
        sys.exit(EXIT_USAGE)


def _writing_options(command):
    """The options of a command that writes a workbook: --check, the backups,
    --wait, --json and --log."""
    options = [
        click.option("--check", is_flag=True, help="Stäm av och rapportera, men skriv ingenting."),
        click.option("--strict", is_flag=True, help="Stoppa (slutkod 1, inget skrivs) om avstämningen ger en varning "
                                                    "— för schemalagda körningar."),
        click.option("--backup", "backup_dir", type=Folder(), metavar="MAPP",
                     help="Spara tidigare versioner i MAPP (Halmstad.20251123-021500.xlsx) i stället för "
                          "Halmstad.xlsx.bak."),
        click.option("--keep-backups", type=Count(1), default=10, metavar="N",
                     help="Antal versioner som sparas i --backup-mappen (standard 10)."),
        click.option("--no-backup", is_flag=True, help="Spara ingen kopia av den tidigare versionen."),
        click.option("--wait", type=Seconds(), default=0, metavar="SEK",
                     help="Om arbetsboken är öppen: försök igen i upp till SEK sekunder (för schemalagda körningar)."),
        click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON."),
        click.option("--log", "log_file", type=File(), metavar="FIL",
                     help="Lägg till resultatraderna med tidsstämpel i FIL (för schemalagda körningar)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _dumps(value, **kwargs) -> str:
    """``json.dumps`` (json is imported for --json alone: a monthly run's start stays light)."""
    import json

    return json.dumps(value, **kwargs)


def _print_traceback() -> None:
    """``traceback.print_exc`` (for --debug alone)."""
    import traceback

    traceback.print_exc()


def _backup(no_backup: bool, backup_dir: Path | None, keep_backups: int):
    from .package.backup import Backup

    if no_backup and backup_dir:
        raise Usage("--no-backup och --backup kan inte användas samtidigt")
    return None if no_backup else Backup(backup_dir, keep_backups)


def _checked(check, *args, **kwargs) -> None:
    """``check(*args, **kwargs)`` (see ``options``), its ``UsageError`` as the usage line."""
    try:
        check(*args, **kwargs)
    except UsageError as exc:
        raise Usage(exc.message) from None


def _succeeded(result, start: float, as_json: bool, log) -> None:
    """The result's line (logged too), or its JSON record with the seconds it took."""
    line = result.summary_line()
    if log is not None:
        log.write(line)
    if as_json:
        click.echo(_dumps(options.record(result, start), ensure_ascii=False, indent=2))
    else:
        click.echo(line)


def _unexpected(exc: Exception, path: Path, debug: bool, as_json: bool, log) -> None:
    """An unexpected failure: still one line, nothing written, exit 1."""
    if debug:
        _print_traceback()
    message = f"{path}: oväntat fel ({type(exc).__name__}: {exc}); inget skrevs. Kör med --debug för detaljer."
    if log is not None:
        log.write(message)
    if as_json:
        click.echo(_dumps({"path": str(path), "status": "error", "message": message}, ensure_ascii=False))
    else:
        click.echo(message, err=True)
    sys.exit(1)


def _too_many_for_run(ctx: click.Context, rest: list[str]) -> str:
    """Arguments after the workbook: most often a --utfall pattern the shell expanded."""
    ledger = ctx.params.get("ledger_files") or ()
    if ledger:
        # the expanded files: the last --utfall value, and what followed it (the workbook too, when it came last)
        files = [ledger[-1], str(ctx.params.get("path") or ""), *rest]
        pattern = _pattern_of([f for f in files if Path(f).suffix == Path(ledger[-1]).suffix])
        return (f'{too_many(rest)} — skriv mönstret inom citattecken (--utfall "{pattern}") '
                "eller upprepa --utfall före varje fil")
    return f"{too_many(rest)} — ange en arbetsbok, eller en mapp för att köra alla i den"


def _pattern_of(names: list[str]) -> str:
    """The pattern the shell most likely expanded: the files' common name up to a
    separator, then * (exporter/2025-01.csv exporter/2025-02.csv → exporter/2025-*.csv)."""
    files = [Path(name) for name in names]
    stem = os.path.commonprefix([f.name for f in files])
    stem = stem[: max((m.end() for m in re.finditer(r"[-_. ]", stem)), default=0)]
    return str(files[0].parent / f"{stem}*{files[0].suffix}")


@main.command("run", usage="reconcile", too_many=_too_many_for_run,
              missing={"path": "ange arbetsboken, eller en mapp med arbetsböcker: reconcile Halmstad.xlsx"})
@click.argument("path", type=Target(), metavar="ARBETSBOK.xlsx|MAPP")
@click.option("--period", type=Period(), help="Bokslutsperiod: 2025-08, 202508 eller 8 (annars Inställningar "
              "eller senaste bokförda månad).")
@click.option("--output", "-o", type=Output(), metavar="UT.xlsx",
              help="Skriv resultatet till en annan fil; arbetsboken lämnas orörd.")
@click.option("--budget", "budget_file", type=File(), metavar="FIL",
              help="Läs bladet Budget från en annan arbetsbok eller en CSV-fil.")
@click.option("--utfall", "ledger_files", multiple=True, type=Ledger(), metavar="FIL",
              help="Läs huvudboken (Utfall) från en annan arbetsbok, en CSV-fil, en SIE-fil (.se) eller en Parquet-fil; "
                   "flera filer med upprepad --utfall eller ett mönster (\"exporter/2025-*.csv\").")
@click.option("--fjolar", "last_year_files", multiple=True, type=LastYear(), metavar="FIL",
              help="Läs fjolårets huvudbok (en arbetsbok, CSV- eller SIE-fil) för kolumnen Fjolår och nyckeln "
                   "Fjolårsprofil; annars Fjolårsfil på Inställningar, annars fjolårets rader i huvudboken.")
@_writing_options
@click.option("--jobs", "-j", type=Count(1), metavar="N",
              help="För en mapp: antal arbetsböcker som körs samtidigt (standard: en per kärna).")
@click.option("--quiet", "-q", is_flag=True, help="Visa inga förloppsrader (de visas bara i en terminal).")
@click.option("--debug", is_flag=True, help="Visa hela felspårningen vid fel.")
def run(path: Path, period: str | None, output: Path | None, budget_file: Path | None,
        ledger_files: tuple[str, ...], last_year_files: tuple[str, ...],
        check: bool, strict: bool, backup_dir: Path | None, keep_backups: int,
        no_backup: bool, wait: float, as_json: bool, log_file: Path | None, jobs: int | None, quiet: bool, debug: bool) -> None:
    """Stäm av arbetsboken och skriv tillbaka bladen.

    Den tidigare versionen sparas som ARBETSBOK.xlsx.bak (eller i --backup-mappen)
    innan arbetsboken ersätts; en körning som inte ändrar något skriver ingenting.
    Är det en mapp körs varje arbetsbok i den, parallellt."""
    backup = _backup(no_backup, backup_dir, keep_backups)
    _checked(options.check_run, path, output, budget_file, ledger_files, last_year_files)
    log = _open_log(log_file, path, as_json, debug)
    try:
        if path.is_dir():
            _run_folder(path, period, not check, backup, wait, jobs, as_json, log, debug, strict, ledger_files,
                        last_year_files)
        else:
            _run_one(path, period, output, budget_file, ledger_files, check, backup, wait, as_json, quiet, debug, log,
                     strict, last_year_files)
    finally:
        if log is not None:
            log.close()


def _open_log(log_file: Path | None, path: Path, as_json: bool, debug: bool):
    if log_file is None:
        return None
    from .runlog import RunLog

    try:
        return RunLog(log_file)
    except ReconcileError as exc:
        _fail(exc, debug, as_json, path)


def _run_one(path: Path, period, output, budget_file, ledger_files, check, backup, wait, as_json, quiet, debug,
             log, strict=False, last_year_files=()) -> None:
    import time

    from .progress import for_terminal

    start = time.perf_counter()
    progress = for_terminal(quiet or as_json)
    try:
        job = options.unit_job(path, period=period, output=output, budget=budget_file, utfall=ledger_files,
                               backup=backup, wait=wait, progress=progress, strict=strict, fjolar=last_year_files)
    except ReconcileError as exc:
        _fail(exc, debug, as_json, path, log)
        return

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
        _fail(exc, debug, as_json, path, log)
        return
    except KeyboardInterrupt:  # pragma: no cover - interactive
        raise
    except Exception as exc:
        _unexpected(exc, path, debug, as_json, log)
    _succeeded(result, start, as_json, log)


def _run_folder(folder: Path, period, write: bool, backup, wait: float, jobs: int | None, as_json: bool,
                log, debug: bool = False, strict: bool = False, ledger_files: tuple[str, ...] = (),
                last_year_files: tuple[str, ...] = ()) -> None:
    """Every workbook in ``folder``: one line each as it is done (in name
    order), then a summary; the exit code is 1 when any had an error, 3 when
    any was locked (and none had an error)."""
    import time

    from . import folder as batch

    start = time.perf_counter()
    paths = batch.workbooks_in(folder)
    outcomes = []
    settings = batch.Options(period=period, write=write, backup=backup, wait=wait, strict=strict,
                             ledger_files=tuple(ledger_files), last_year_files=tuple(last_year_files))
    for outcome in batch.refresh_all(paths, settings, jobs):
        outcomes.append(outcome)
        if log is not None:
            log.write(outcome.line)
        if debug and "traceback" in outcome.record:
            click.echo(outcome.record["traceback"], err=True)
        if not as_json:
            click.echo(outcome.line, err=outcome.failed)
    summary = batch.summary_line(folder, outcomes)
    if log is not None:
        log.write(summary)
    if as_json:
        click.echo(_dumps(options.folder_record(folder, outcomes, start), ensure_ascii=False, indent=2))
    else:
        click.echo(summary)
    sys.exit(batch.exit_code(outcomes))


def _fail(exc: ReconcileError, debug: bool, as_json: bool, path: Path, log=None) -> None:
    if exc.file is None:
        exc.file = str(path)
    if debug:
        _print_traceback()
    if log is not None:
        log.write(str(exc))
    if as_json:
        status = "locked" if exc.exit_code == 3 else "error"
        click.echo(_dumps({"path": str(path), "status": status, **exc.as_dict()}, ensure_ascii=False))
    else:
        click.echo(str(exc), err=True)
    sys.exit(exc.exit_code)


@main.command("consolidate", missing={
    "inputs": "ange enheternas arbetsböcker eller en mapp: reconcile consolidate ENHET.xlsx … --output UT.xlsx"})
@click.argument("inputs", nargs=-1, required=True, type=Target(), metavar="ENHET.xlsx… | MAPP")
@click.option("--output", "-o", type=Output(folder_ok=True), metavar="UT.xlsx",
              help="Arbetsboken som får sammanställningen (skapas, eller får bladen ersatta); en mapp: "
                   "MAPP/Sammanställning.xlsx. Krävs.")
@click.option("--name", metavar="NAMN", help="Namnet i rubrikerna (standard: UT-filens namn).")
@click.option("--period", type=Period(), help="Bokslutsperiod för alla enheter: 2025-08, 202508 eller 8.")
@_writing_options
@click.option("--debug", is_flag=True, help="Visa hela felspårningen vid fel.")
def consolidate(inputs: tuple[Path, ...], output: Path | None, name: str | None, period: str | None, check: bool,
                strict: bool, backup_dir: Path | None, keep_backups: int, no_backup: bool, wait: float, as_json: bool,
                log_file: Path | None, debug: bool) -> None:
    """Sammanställ enheternas arbetsböcker (filer eller en mapp) i UT.xlsx:
    Sammanställning, Analys, Resultaträkning, Per enhet och Avstämning.

    Enheterna stäms av som vid månadskörningen men skrivs inte; de måste ha
    samma år och bokslutsperiod. Raderna matchas på sina namn."""
    import time

    _checked(options.check_consolidation, output)
    backup = _backup(no_backup, backup_dir, keep_backups)
    log = _open_log(log_file, output, as_json, debug)
    start = time.perf_counter()
    try:
        try:
            result = options.consolidation(list(inputs), output, name=name, period=period, backup=backup,
                                           wait=wait, strict=strict).run(write=not check)
        except ReconcileError as exc:
            _fail(exc, debug, as_json, output, log)
            return
        except KeyboardInterrupt:  # pragma: no cover - interactive
            raise
        except Exception as exc:
            _unexpected(exc, output, debug, as_json, log)
        _succeeded(result, start, as_json, log)
    finally:
        if log is not None:
            log.close()


@main.command("report", missing={
    "inputs": "ange arbetsboken: reconcile report Halmstad.xlsx --docx Ekonomi.docx"})
@click.argument("inputs", nargs=-1, type=Target(), metavar="ARBETSBOK.xlsx | ENHET.xlsx… | MAPP")
@click.option("--docx", "docx_file", type=File(), metavar="UT.docx",
              help="Skriv avsnittet Ekonomi som ett Word-dokument.")
@click.option("--mall", "template", type=File(), metavar="MALL.docx",
              help="Lägg avsnittet sist i en Word-mall (.docx eller .dotx): mallens format och första sidor "
                   "behålls.")
@click.option("--text", "text_file", metavar="UT.txt",
              help="Skriv avsnittet som ren text (tabellerna med tabb mellan kolumnerna); - skriver texten här.")
@click.option("--avsnitt", "number", metavar="NR",
              help="Numrera rubrikerna från avsnittets nummer: 4 ger 4 Ekonomi, 4.1, 4.2, 4.2.1 och 4.3.")
@click.option("--period", type=Period(), help="Bokslutsperiod: 2025-08, 202508 eller 8 (annars Inställningar "
              "eller senaste bokförda månad).")
@click.option("--budget", "budget_file", type=File(), metavar="FIL",
              help="Läs bladet Budget från en annan arbetsbok eller en CSV-fil.")
@click.option("--utfall", "ledger_files", multiple=True, type=Ledger(), metavar="FIL",
              help="Läs huvudboken från en annan arbetsbok, CSV-fil eller SIE-fil (som vid månadskörningen).")
@click.option("--fjolar", "last_year_files", multiple=True, type=LastYear(), metavar="FIL",
              help="Läs fjolårets huvudbok (som vid månadskörningen) för kolumnen Fjolår och nyckeln Fjolårsprofil.")
@click.option("--konsolidering", "consolidation", type=File(), metavar="FÖRBUND.xlsx",
              help="Rapport för en sammanställning av enheterna (filer eller en mapp): arbetsboken som "
                   "reconcile consolidate skrev, med förklaringarna på dess blad Analys.")
@click.option("--name", metavar="NAMN", help="Med --konsolidering: namnet i rubrikerna (standard: som på "
              "sammanställningens blad).")
@click.option("--strict", is_flag=True, help="Stoppa (slutkod 1, inget skrivs) om avstämningen ger en varning.")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON (filer, avsnitt, varningar).")
@click.option("--debug", is_flag=True, help="Visa hela felspårningen vid fel.")
def report(inputs: tuple[Path, ...], docx_file: Path | None, template: Path | None, text_file: str | None,
           number: str | None, period: str | None, budget_file: Path | None, ledger_files: tuple[str, ...],
           last_year_files: tuple[str, ...], consolidation: Path | None, name: str | None, strict: bool, as_json: bool,
           debug: bool) -> None:
    """Skriv rapportens avsnitt Ekonomi: tabellen per ansvarsområde med
    texten per område, ackumulerad budgetavvikelse, resultaträkning per
    uppdrag och prognos — som Word-dokument (--docx) eller ren text (--text).

    Siffrorna är desamma som en körning skriver på bladen, och förklaringarna
    hämtas från bladet Analys; arbetsboken ändras inte. En sammanställning
    (reconcile consolidate) räcker ensam: enheterna är de den skrevs från."""
    import time

    from .report import Publish

    start = time.perf_counter()
    _checked(options.check_report, list(inputs), docx=docx_file, text=text_file, template=template, number=number,
             consolidation=consolidation, name=name, budget=budget_file, utfall=ledger_files,
             fjolar=last_year_files)
    job = Publish(list(inputs), docx=docx_file, text=text_file, template=template, number=number, period=period,
                  budget=budget_file, utfall=list(ledger_files), consolidation=consolidation, name=name, strict=strict,
                  fjolar=list(last_year_files))
    try:
        result = job.run()
    except ReconcileError as exc:
        _fail(exc, debug, as_json, job.path)
        return
    except KeyboardInterrupt:  # pragma: no cover - interactive
        raise
    except Exception as exc:
        _unexpected(exc, job.path, debug, as_json, None)
    if as_json:  # the record (with the text, when it goes to standard output) and nothing else
        click.echo(_dumps({**result.as_dict(), "seconds": round(time.perf_counter() - start, 3)},
                              ensure_ascii=False, indent=2))
    elif result.text is not None:  # the text on standard output, the summary line beside it on stderr
        click.echo(result.text, nl=False)
        click.echo(result.summary_line(), err=True)
    else:
        click.echo(result.summary_line())


@main.command("init", missing={"path": "ange filen som ska skapas: reconcile init Ny.xlsx"},
              too_many=lambda ctx, rest: f"{too_many(rest)} — reconcile init skapar en mall åt gången")
@click.argument("path", type=File(), metavar="NY.xlsx")
@click.option("--year", "-y", type=Year(), help="Budgetåret (standard: innevarande år; med --fran: dess år + 1).")
@click.option("--fran", "source", type=File(), metavar="ÅRETS.xlsx",
              help="Nästa års mall från årets arbetsbok: budgetträdet, nycklarna, inställningarna och "
                   "investeringarna med ej förbrukad budget som förslag till ombudgetering.")
@click.option("--debug", is_flag=True, help="Visa hela felspårningen vid fel.")
def init(path: Path, year: int | None, source: Path | None, debug: bool) -> None:
    """Skapa en tom mall med bladen Inställningar, Budget, Utfall och Periodisering."""
    import datetime as dt

    from .template import write_template

    try:
        if source is not None:
            from .next_year import write_next_year

            next_year, proposed = write_next_year(path, source, year)
        else:
            write_template(path, year or dt.date.today().year)
    except ReconcileError as exc:
        _fail(exc, debug, False, path)
        return
    if source is not None:
        carried = (f" · {proposed} {'ombudgetering föreslagen' if proposed == 1 else 'ombudgeteringar föreslagna'} "
                   "på Budgetändringar") if proposed else ""
        click.echo(f"{path}: mall för {next_year} skapad från {source}{carried} · fyll i Budget och Utfall och kör "
                   f"reconcile {path}")
        return
    click.echo(f"{path}: mall skapad · fyll i Budget och Utfall och kör reconcile {path}")


def entry() -> None:
    """The process: the console script ``reconcile`` and ``python -m toolkit.cli``.
    ``main``, and then every object the run left is frozen (``gc.freeze``):
    the interpreter ends without its last collections over all it loaded —
    numpy, XlsxWriter, the toolkit — some 60 ms of a half-second run; the
    memory goes back as the process exits.  (``main`` alone is what tests and
    embedders call: their process goes on and collects as usual.)"""
    try:
        main()
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    entry()
