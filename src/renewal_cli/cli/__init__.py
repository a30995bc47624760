"""The `renewal` command line: the only code that imports Typer, prints, exits or reads the clock.

`app` is the Typer application; each command lives in a module of its own (due, calendar,
mail) and is registered here. `RenewalGroup` puts Typer's own usage errors (unknown option or
command, a missing or non-integer value) into the user's language, and `main` is the console
script's entry point.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import re
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperGroup

from renewal_cli import __version__
from renewal_cli.cli.calendar import calendar
from renewal_cli.cli.check import check
from renewal_cli.cli.due import due
from renewal_cli.cli.emit import silence_stdout, write_stdout
from renewal_cli.cli.mail import mail
from renewal_cli.cli.notice import notice
from renewal_cli.cli.notify import notify
from renewal_cli.cli.report import report
from renewal_cli.cli.rules import rules
from renewal_cli.cli.summary import summary
from renewal_cli.clock import today_in_china
from renewal_cli.errors import EXIT_FAILURE, EXIT_USAGE, RenewalError
from renewal_cli.messages import Lang, text
from renewal_cli.present import describe_error

__all__ = ["app", "main", "today_in_china"]


class _ClosedBytes(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")


class ClosedStream(io.TextIOWrapper):
    """Stands for a stdout the process was started without (>&-): every write is EBADF, so
    it is reported as an output error rather than dropped in silence.

    Its bytes go straight to the failing raw stream, never into a buffer: a buffer would keep
    what a write left there, and Python 3.13 flushes it once more as the interpreter exits,
    printing a traceback after the output error was already reported."""

    def __init__(self) -> None:
        super().__init__(_ClosedBytes())  # type: ignore[arg-type]

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")

    def flush(self) -> None:
        """Nothing is ever buffered here."""

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")


class NoSuchCommand(UsageError):
    """An unknown command, with its name (Typer's own error carries only a sentence)."""

    def __init__(self, name: str, ctx: Any) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name


def _argv_lang(args: Sequence[str]) -> Lang:
    """--lang from the command line (or RENEWAL_LANG), read before Typer parses anything."""
    value = os.environ.get("RENEWAL_LANG", "zh")
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    return Lang.EN if value.strip().lower() == "en" else Lang.ZH


def _name(error: ClickException) -> str:
    param = getattr(error, "param", None)
    if param is not None and getattr(param, "opts", None):
        return str(param.opts[0])
    return str(getattr(error, "option_name", "") or getattr(error, "param_hint", "") or "")


def usage_message(error: UsageError, lang: Lang, commands: Sequence[str]) -> str:
    """Typer's usage error in the user's language."""
    listed = ", ".join(commands)
    if isinstance(error, NoSuchCommand):
        return text("usage.no_such_command", lang, name=error.name, commands=listed)
    if isinstance(error, NoSuchOption):
        message = text("usage.no_such_option", lang, name=error.option_name)
        if error.possibilities:
            names = "、".join(sorted(error.possibilities))
            message += text("usage.separator", lang) + text("usage.did_you_mean", lang, names=names)
        return message
    if isinstance(error, BadOptionUsage):
        key = (
            "usage.option_needs_value"
            if "requires" in error.message
            else "usage.option_takes_no_value"
        )
        return text(key, lang, name=error.option_name)
    if isinstance(error, MissingParameter):
        return text("usage.missing_value", lang, name=_name(error))
    if isinstance(error, BadParameter):
        number = re.fullmatch(r"('.*'|\".*\") is not a valid int\.", error.message, re.DOTALL)
        if number:  # typer's vendored click: f"{value!r} is not a valid int."
            import ast  # only for this message, not at start-up

            value = ast.literal_eval(number.group(1))
            return text("usage.not_integer", lang, name=_name(error), value=value)
        return text("usage.bad_value", lang, name=_name(error), value=error.message)
    message = error.format_message()
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", message)
    if extra:
        return text("usage.extra_arguments", lang, value=extra.group(1))
    if message == "Missing command.":
        return text("usage.missing_command", lang, commands=listed)
    return text("usage.other", lang, detail=message)


class RenewalGroup(TyperGroup):
    """Typer's group, with its usage errors told in the user's language and exit code 2."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        unknown = args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None
        if unknown and not ctx.resilient_parsing:
            raise NoSuchCommand(args[0], ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        super().invoke(ctx)
        return None  # a command's return value is not an exit code

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        lang = _argv_lang(argv)
        if sys.stdout is None:  # started with stdout closed (>&-): writing must fail loudly
            sys.stdout = ClosedStream()
        _terminate_cleanly()
        from renewal_cli.cli import help as _help

        shown = _help.help_language(argv)
        _help.translate(self, shown)  # the help texts, for a help screen or shell completion
        if not argv or "--help" in argv or "-h" in argv:
            _help.tune(shown)
        try:
            code = super().main(
                args=argv,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except NoArgsIsHelpError as error:
            sys.stderr.write(error.format_message() + "\n")
            code = EXIT_USAGE
        except UsageError as error:
            command = error.ctx.command_path if error.ctx is not None else (prog_name or "renewal")
            commands = sorted(self.commands)
            sys.stderr.write(usage_message(error, lang, commands) + "\n")
            sys.stderr.write(text("usage.help_hint", lang, command=command) + "\n")
            code = EXIT_USAGE
        except ClickException as error:
            sys.stderr.write(text("usage.other", lang, detail=error.format_message()) + "\n")
            code = error.exit_code
        except typer.Abort:
            code = EXIT_FAILURE
        except Terminated as stop:  # SIGTERM, SIGHUP: files were cleaned up on the way out
            code = 128 + stop.signal
        except RenewalError as error:  # raised outside a command's edge: --version
            sys.stderr.write(describe_error(error, lang) + "\n")
            code = error.exit_code
        except (OSError, AttributeError) as error:
            # Help or the version written to a closed stdout or a full disk.
            if sys.stdout is not None and not isinstance(error, OSError):
                raise
            number = error.errno if isinstance(error, OSError) else "closed"
            silence_stdout()
            failure = RenewalError("output.stdout", detail=str(error), errno=number)
            sys.stderr.write(describe_error(failure, lang) + "\n")
            code = EXIT_FAILURE
        if not isinstance(code, int):
            code = 0
        if not standalone_mode:
            return code
        sys.exit(code)


class Terminated(BaseException):
    """SIGTERM or SIGHUP (timeout, systemd, a closed SSH session) raised as an exception, so
    that every `finally` runs: no partial output, no spooled copy of stdin left behind."""

    def __init__(self, signal: int) -> None:
        super().__init__(signal)
        self.signal = signal


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _terminate_cleanly() -> None:
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, _raise_terminated)


app = typer.Typer(
    name="renewal",
    cls=RenewalGroup,
    help="help.app",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        write_stdout(f"renewal {__version__}\n".encode())
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="help.version"),
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", metavar="zh|en", help="help.root_lang")
    ] = None,
) -> None:
    """The group's own options: --version, and --lang for every command (as its default)."""
    if lang is not None:
        commands = getattr(ctx.command, "commands", {})
        ctx.default_map = {name: {"lang": lang} for name in commands}


# Each command's help is a message id: cli/help.py words it in the help's language.
for _command in (due, calendar, mail, summary, rules, check, notice, notify, report):
    app.command(help=f"help.{_command.__name__}")(_command)


def main() -> None:
    """Console-script entry point."""
    # A register is read into many small objects that live to the end of the run and hold no
    # reference cycles, so the cyclic collector only re-scans them: with its default threshold
    # (700 allocations) that is a quarter of the time on 10^5 rows. The imported modules are
    # frozen out of its scans, and it runs after 100,000 allocations instead.
    gc.freeze()
    gc.set_threshold(100_000, 20, 100)
    app()
