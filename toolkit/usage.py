"""The command line's own language: usage errors and help in Swedish.

Every usage error — an unknown option, a bad or missing value, a missing
argument, an argument too many — is ONE Swedish line on stderr and exit 2;
click's English ("Usage: …", "Try … for help.", "Error: No such option") never
reaches the economist.  The option types here check their values themselves
and say what to type (``--period 2025-13: ange perioden som 2025-08, 202508
eller 8``); ``one_line`` turns click's own exceptions into a line; the
``Command`` and ``Group`` classes write the help in Swedish.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

import click

from .options import EMPTY_TARGET, output_problem

HELP_TEXT = "Visa den här hjälpen och avsluta."
VERSION_TEXT = "Visa versionen och avsluta."
EXIT_USAGE = 2


class Usage(click.UsageError):
    """A usage error whose message is already the Swedish line."""


class _Refused(click.BadParameter):
    """A value refused by one of our types; the message is the whole line."""


def _named(param: click.Parameter | None, value: object) -> str:
    """``--jobs x`` for an option, ``x`` for an argument."""
    if isinstance(param, click.Option):
        return f"{max(param.opts, key=len)} {value}"
    return str(value)


class _Checked(click.ParamType):
    """A type whose refusals are one Swedish line naming the option and the value."""

    def refuse(self, value, param, ctx, what: str):
        raise _Refused(f"{_named(param, value)}: {what}", ctx, param)


class Count(_Checked):
    """A whole number, at least ``minimum`` (--jobs, --keep-backups)."""

    name = "N"

    def __init__(self, minimum: int):
        self.minimum = minimum

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            if not text.lstrip("-").isdigit():
                self.refuse(value, param, ctx, f"ange ett heltal, minst {self.minimum}")
            number = int(text)
        if number < self.minimum:
            self.refuse(value, param, ctx, f"ange ett heltal, minst {self.minimum}")
        return number


class Seconds(_Checked):
    """A number of seconds, 0 or more; a decimal comma is fine (--wait 1,5)."""

    name = "SEK"

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            try:
                number = float(str(value).strip().replace(",", "."))
            except ValueError:
                number = math.nan
        if not math.isfinite(number) or number < 0:
            self.refuse(value, param, ctx, "ange ett antal sekunder, minst 0")
        return number


class Period(_Checked):
    """A closing period as Inställningar takes it (2025-08, 202508, 8); kept as
    typed, checked here so that a bad one is a usage error."""

    name = "ÅÅÅÅ-MM"

    def convert(self, value, param, ctx):
        from .read.settings import parse_closing_period

        try:
            parse_closing_period(str(value).strip())
        except ValueError:
            self.refuse(value, param, ctx, "ange perioden som 2025-08, 202508 eller 8")
        return str(value).strip()


class Year(_Checked):
    name = "ÅÅÅÅ"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        if not (text.isdigit() and len(text) == 4 and int(text) >= 1900):
            self.refuse(value, param, ctx, "ange året med fyra siffror, t.ex. 2026")
        return int(text)


def _given(checked: _Checked, value, param, ctx) -> Path:
    """``value`` as a path; an empty one (a scheduled task's unset variable,
    ``reconcile "$BOK"``) is refused, not taken for the current folder."""
    if isinstance(value, Path):
        return value
    if not str(value).strip():
        checked.refuse("", param, ctx, "tomt värde; ange en fil (är en variabel i kommandot tom?)")
    return Path(value)


class Target(_Checked):
    """The workbook (or folder of workbooks) a command runs on; never empty."""

    name = "ARBETSBOK.xlsx|MAPP"

    def convert(self, value, param, ctx):
        if not isinstance(value, Path) and not str(value).strip():
            raise _Refused(EMPTY_TARGET, ctx, param)
        return _given(self, value, param, ctx)


class Ledger(_Checked):
    """A ledger export, or a quoted pattern of them (--utfall): not a folder, not empty."""

    name = "FIL"

    def convert(self, value, param, ctx):
        path = _given(self, value, param, ctx)
        if path.is_dir():
            self.refuse(value, param, ctx, f"är en mapp; ange filerna i den, t.ex. \"{path / '*.csv'}\"")
        return str(value)


class LastYear(Ledger):
    """Last year's ledger (--fjolar): as --utfall, and it must be there — a file
    that does not exist, or a quoted pattern that matches none, is a usage error."""

    def convert(self, value, param, ctx):
        import glob
        import os

        text = super().convert(value, param, ctx)
        if set("*?[") & set(text) and not Path(text).exists():
            if not any(Path(m).is_file() for m in glob.glob(os.path.expanduser(text))):
                self.refuse(value, param, ctx, "inga filer matchar mönstret")
        elif not Path(text).expanduser().exists():
            self.refuse(value, param, ctx, "filen finns inte")
        return text


class File(_Checked):
    """A file to read or create (not a folder)."""

    name = "FIL"

    def convert(self, value, param, ctx):
        path = _given(self, value, param, ctx)
        if path.is_dir():
            self.refuse(value, param, ctx, "är en mapp; ange en fil")
        return path


class Folder(_Checked):
    """A folder to write in (created when missing), not a file."""

    name = "MAPP"

    def convert(self, value, param, ctx):
        path = _given(self, value, param, ctx)
        if path.exists() and not path.is_dir():
            self.refuse(value, param, ctx, "är en fil; ange en mapp")
        return path


class Output(_Checked):
    """The workbook a result is written to: .xlsx or .xlsm (or, where
    ``folder_ok``, a folder to write a default name in)."""

    name = "UT.xlsx"

    def __init__(self, folder_ok: bool = False):
        self.folder_ok = folder_ok

    def convert(self, value, param, ctx):
        path = _given(self, value, param, ctx)
        if (problem := output_problem(path, self.folder_ok)) is not None:
            self.refuse(value, param, ctx, problem)
        return path


# -- one line for any usage error -----------------------------------------------------------


def _help_hint(ctx: click.Context | None) -> str:
    return f"se {ctx.command_path} --help" if ctx is not None else "se reconcile --help"


def _option(ctx: click.Context | None, name: str) -> click.Option | None:
    if ctx is None:
        return None
    for param in ctx.command.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _param_name(param: click.Parameter | None) -> str:
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name if param is not None else "ett argument"


def one_line(exc: click.UsageError) -> str:
    """The Swedish line for a usage error raised by click or by us."""
    ctx = exc.ctx
    if isinstance(exc, (Usage, _Refused)):
        return exc.message
    if isinstance(exc, click.NoSuchOption):
        if exc.possibilities:
            return f"{exc.option_name}: okänd flagga — menade du {' eller '.join(exc.possibilities)}?"
        return f"{exc.option_name}: okänd flagga ({_help_hint(ctx)})"
    if isinstance(exc, click.BadOptionUsage):
        option = _option(ctx, exc.option_name)
        if option is not None and option.is_flag:
            return f"{exc.option_name}: flaggan tar inget värde"
        metavar = (option.metavar or option.type.name) if option is not None else "VÄRDE"
        return f"{exc.option_name}: värdet saknas ({exc.option_name} {metavar})"
    if isinstance(exc, click.MissingParameter):
        command = ctx.command if ctx is not None else None
        missing = getattr(command, "missing", {}) or {}
        param = exc.param
        if param is not None and param.name in missing:
            return missing[param.name]
        return f"{_param_name(param)} saknas ({_help_hint(ctx)})"
    if isinstance(exc, click.BadParameter):  # a click type's English message: say which value, in Swedish
        return f"{_param_name(exc.param)}: ogiltigt värde ({_help_hint(ctx)})"
    return f"kommandot går inte att tolka ({_help_hint(ctx)})"


# -- help and errors in Swedish -------------------------------------------------------------


class _Swedish:
    """Help in Swedish: headings, the help option, no English hints."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[FLAGGOR]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx, formatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(self.usage_path(ctx), " ".join(pieces), prefix="Användning: ")

    def usage_path(self, ctx) -> str:
        return ctx.command_path

    def format_options(self, ctx, formatter) -> None:
        rows = [record for param in self.get_params(ctx)
                if not isinstance(param, click.Argument) and (record := param.get_help_record(ctx))]
        if rows:
            with formatter.section("Flaggor"):
                formatter.write_dl(rows)


class Command(_Swedish, click.Command):
    """A subcommand. ``missing``: parameter name → the line when it is not given;
    ``too_many``: (ctx, the extra arguments) → the line for arguments too many."""

    def __init__(self, *args, missing: dict[str, str] | None = None,
                 too_many: Callable[[click.Context, list[str]], str] | None = None, usage: str | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = missing or {}
        self.too_many = too_many
        self.usage = usage

    def usage_path(self, ctx) -> str:
        return self.usage or ctx.command_path

    def parse_args(self, ctx, args):
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:  # the parser's errors come without it; the line names the option's value
                exc.ctx = ctx
            raise
        if rest and not ctx.resilient_parsing:
            if self.too_many is not None:
                raise Usage(self.too_many(ctx, rest), ctx)
            raise Usage(f"{too_many(rest)} ({_help_hint(ctx)})", ctx)
        return rest


def too_many(rest: list[str]) -> str:
    """``b.xlsx: ett argument för mycket``, or with several the first and how many more."""
    if len(rest) == 1:
        return f"{rest[0]}: ett argument för mycket"
    return f"{rest[0]} (och {len(rest) - 1} till): för många argument"


class Group(_Swedish, click.Group):
    """``reconcile PATH …`` runs the default command; ``reconcile init PATH`` is
    a subcommand.  Runs click without its standalone handling so that every
    usage error becomes one Swedish line (exit 2)."""

    command_class = Command
    default_command = "run"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invoke_without_command", True)
        kwargs.setdefault("no_args_is_help", False)
        kwargs.setdefault("subcommand_metavar", "KOMMANDO …")
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, "ARBETSBOK.xlsx | MAPP [FLAGGOR]", prefix="Användning: ")
        formatter.write_usage(ctx.command_path, "KOMMANDO [ARGUMENT] [FLAGGOR]", prefix=" " * len("Användning: "))

    def format_options(self, ctx, formatter) -> None:
        super().format_options(ctx, formatter)
        rows = [(name, command.get_short_help_str(formatter.width - 6 - len(name)))
                for name in self.list_commands(ctx) if (command := self.get_command(ctx, name)) and not command.hidden]
        if rows:
            with formatter.section("Kommandon"):
                formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        # reconcile expands --utfall patterns itself; click would expand them on Windows even when quoted
        extra.setdefault("windows_expand_args", False)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            click.echo(one_line(exc), err=True)
            sys.exit(EXIT_USAGE)
        except click.Abort:
            click.echo("avbrutet — inget skrevs", err=True)
            sys.exit(1)
        except click.ClickException as exc:  # not raised by our commands; kept to one line all the same
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)
