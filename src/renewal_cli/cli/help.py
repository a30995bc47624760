"""Help screens in one language, that fit an 80-column terminal without losing words.

Every command and option declares a message id (help.*) as its help; `translate` words them in
the help's language: Chinese, or English under --lang en, RENEWAL_LANG=en or an English locale
(LC_ALL, LC_MESSAGES, LANG). The locale counts for help only: what the commands print and write
(tables, notices, mail) follows --lang and RENEWAL_LANG alone, so a server's English locale
never turns a holder's notice into English.

Typer's rich help cuts a long cell with "…" (a run of Chinese has no space to wrap at), shows
type labels (<bool>, <str>) beside options and adds English words of its own ("Options",
"[default: …]", "Show this message and exit."). `tune` folds long cells instead, shows an
option's metavar only, and puts Typer's words in the help's language. It reaches into
typer.rich_utils, so pyproject pins typer's minor range.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from typing import Any

from renewal_cli.messages import CATALOG, Lang, text

# Typer's own help texts (the help option, shell completion) → our message ids.
_TYPER_HELP = {
    "Show this message and exit.": "help.typer.help",
    "Install completion for the current shell.": "help.typer.install_completion",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "help.typer.show_completion"
    ),
}
# typer.rich_utils's words → our message ids (used as they are: "{}" is Typer's placeholder).
_TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "help.typer.arguments",
    "OPTIONS_PANEL_TITLE": "help.typer.options",
    "COMMANDS_PANEL_TITLE": "help.typer.commands",
    "DEFAULT_STRING": "help.typer.default",
    "ENVVAR_STRING": "help.typer.envvar",
    "REQUIRED_LONG_STRING": "help.typer.required",
}


def help_language(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> Lang:
    """The help's language: --lang on the command line, else RENEWAL_LANG, else the locale
    (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them: en_US.UTF-8 is English),
    else Chinese."""
    value = None
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    if value is None:
        value = environ.get("RENEWAL_LANG")
    if value is None:
        locale = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
        value = "en" if locale.lower().startswith("en") else "zh"
    return Lang.EN if value.strip().lower() == "en" else Lang.ZH


def words(value: str | None, lang: Lang) -> str | None:
    """A help text in `lang`: a message id worded, Typer's own English replaced."""
    if value is None:
        return None
    key = _TYPER_HELP.get(value, value)
    return text(key, lang) if key.startswith("help.") and key in CATALOG else value


def translate(group: Any, lang: Lang) -> None:
    """Word every help text of the command tree in `lang` (the help screens and the shell
    completion's descriptions read them from there)."""
    for command in [group, *getattr(group, "commands", {}).values()]:
        command.help = words(command.help, lang)
        for param in command.params:
            if getattr(param, "help", None):
                param.help = words(param.help, lang)


def _fold(renderable: Any) -> Any:
    """Help texts wrapped as output/wrap.py wraps (never inside a number or a word, no line
    starting with a closing mark), where rich would cut Chinese at any character."""
    from rich.text import Text

    if isinstance(renderable, Text):
        return _Wrapped(renderable)
    items = getattr(renderable, "renderables", None)
    if isinstance(items, list):
        items[:] = [_Wrapped(item) if isinstance(item, Text) else item for item in items]
    return renderable


class _Wrapped:
    """A rich Text drawn as lines of output/wrap.py, its styles kept."""

    def __init__(self, text: Any) -> None:
        self.text = text

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.measure import Measurement

        from renewal_cli.output.wrap import units

        plain = self.text.plain
        narrowest = max((cell_len(u) for u in units(plain)), default=0)
        widest = max((cell_len(line) for line in plain.split("\n")), default=0)
        return Measurement(min(narrowest, widest), widest).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield from _lines(self.text, options.max_width)


def _lines(text: Any, width: int) -> list[Any]:
    """`text` (a rich Text) cut into the lines `wrap` makes of its plain text, styles kept."""
    from rich.text import Text

    from renewal_cli.output.wrap import wrap

    plain: str = text.plain
    out: list[Any] = []
    at = 0
    for paragraph in plain.split("\n"):
        end = at + len(paragraph)
        for line in wrap(paragraph, width):
            while at < end and plain[at] == " ":
                at += 1
            if plain.startswith(line, at):
                out.append(text[at : at + len(line)])
                at += len(line)
            else:  # spaces folded inside the line: its words, unstyled
                out.append(Text(line, style=text.style))
        at = end + 1
    return out


def tune(lang: Lang) -> None:
    """Install the help tweaks (once) and Typer's words in `lang` (each time). Rich's help
    machinery (90 ms of imports) loads only here, for a help screen."""
    import typer.core
    import typer.rich_utils
    from typer._click.formatting import HelpFormatter
    from typer._click.types import ParamType

    for name, key in _TYPER_WORDS.items():
        setattr(typer.rich_utils, name, CATALOG[key][lang])
    typer.rich_utils._renewal_lang = lang  # type: ignore[attr-defined]
    typer.rich_utils.MAX_WIDTH = min(80, shutil.get_terminal_size((80, 24)).columns)
    if getattr(typer.rich_utils, "_renewal_tuned", False):
        return
    # An option's type cell is its metavar already (a flag's is blank); an argument's is its
    # type's metavar, else "<str>": an empty one leaves the cell blank.
    type_metavar = ParamType.get_metavar

    def metavar(self: ParamType, param: Any, ctx: Any) -> str | None:
        return "" if isinstance(param, typer.core.TyperArgument) else type_metavar(self, param, ctx)

    ParamType.get_metavar = metavar  # type: ignore[method-assign]
    parameter_help = typer.rich_utils._get_parameter_help
    command_help = typer.rich_utils._make_command_help
    write_usage = HelpFormatter.write_usage

    def _parameter_help(**kw: Any) -> Any:
        # The help option is made when the help is shown, after `translate` has run.
        param = kw["param"]
        param.help = words(param.help, typer.rich_utils._renewal_lang)  # type: ignore[attr-defined]
        return _fold(parameter_help(**kw))

    def _write_usage(
        self: HelpFormatter, prog: str, args: str = "", prefix: str | None = None
    ) -> None:
        said = CATALOG["help.typer.usage"][typer.rich_utils._renewal_lang]  # type: ignore[attr-defined]
        write_usage(self, prog, args, said if prefix is None else prefix)

    from rich.table import Table

    typer.rich_utils.Table = _help_table(Table)  # type: ignore[attr-defined]
    typer.rich_utils._get_parameter_help = _parameter_help
    typer.rich_utils._make_command_help = lambda **kw: _fold(command_help(**kw))
    HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]
    typer.rich_utils._renewal_tuned = True  # type: ignore[attr-defined]


def _help_table(table: Any) -> Any:
    """rich's Table, where an options table puts an option's short name beside its long one
    ("--output, -o") and leaves out the columns of secondary names that no option here has:
    each empty column still takes two cells of padding, which the help text needs at 80
    columns."""

    class HelpTable(table):  # type: ignore[misc]
        def add_row(self, *cells: Any, **options: Any) -> None:
            if len(cells) == 6 and not (_plain(cells[2]) or _plain(cells[3])):
                names, short, _, _, metavar, described = cells
                if _plain(short) and _plain(names):
                    names = names.copy()
                    names.append(", ")
                    names.append_text(short)
                elif _plain(short):
                    names = short
                cells = (names, metavar, described)
            super().add_row(*cells, **options)

    return HelpTable


def _plain(cell: Any) -> str:
    return str(getattr(cell, "plain", cell))
