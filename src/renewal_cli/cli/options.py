"""The options commands share, declared once, and the `selecting` decorator.

The shared options arrive in a command as one typed value (request.SelectionArgs): the
`selecting` decorator adds their declarations to the command's signature for Typer and gathers
them back into that value, so no command lists them and nothing hands them on untyped. The
other options two commands share (-o, --quiet, --remind, --split-by) are declared here too.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import fields
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, get_type_hints, overload

import typer

from renewal_cli.cli.emit import is_stdout
from renewal_cli.errors import UsageError
from renewal_cli.places import guangxi, short_name
from renewal_cli.request import SelectionArgs


def complete_city(incomplete: str) -> list[str]:
    """Shell completion for --city: full and short names of Guangxi's cities."""
    names = [n for city in guangxi().cities for n in (city, short_name(city))]
    return [n for n in dict.fromkeys(names) if n.startswith(incomplete)]


def complete_county(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --county: the counties of the --city already typed, else all."""
    places = guangxi()
    cities = {c.name for v in ctx.params.get("city") or () if (c := places.city(v))}
    return [
        county.name
        for county in places.counties.values()
        if (not cities or county.city in cities) and county.name.startswith(incomplete)
    ]


# The shared selection options (request.SelectionArgs field → its declaration).
SELECTION_OPTIONS: dict[str, Any] = {
    "register": Annotated[
        list[str] | None,
        typer.Argument(
            help="help.register",
            show_default=False,
            metavar="REGISTER...",
        ),
    ],
    "sheet": Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="help.sheet",
        ),
    ],
    "city": Annotated[
        list[str] | None,
        typer.Option(
            "--city",
            metavar="CITY",
            help="help.city",
            autocompletion=complete_city,
        ),
    ],
    "county": Annotated[
        list[str] | None,
        typer.Option(
            "--county",
            metavar="COUNTY",
            help="help.county",
            autocompletion=complete_county,
        ),
    ],
    "scheme": Annotated[
        list[str] | None,
        typer.Option("--scheme", metavar="SCHEME", help="help.scheme"),
    ],
    "kind": Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="help.kind",
        ),
    ],
    "status": Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="help.status",
        ),
    ],
    "flag": Annotated[
        list[str] | None,
        typer.Option(
            "--flag",
            metavar="FLAG",
            help="help.flag",
        ),
    ],
    "within": Annotated[
        int,
        typer.Option("--within", metavar="DAYS", help="help.within"),
    ],
    "expired_within": Annotated[
        int,
        typer.Option(
            "--expired-within",
            metavar="DAYS",
            help="help.expired_within",
        ),
    ],
    "all_": Annotated[
        bool,
        typer.Option("--all", help="help.all"),
    ],
    "as_of": Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="help.as_of",
            show_default=False,
        ),
    ],
    "plan_year": Annotated[
        int | None,
        typer.Option(
            "--plan-year",
            metavar="YEAR",
            help="help.plan_year",
        ),
    ],
    "lang": Annotated[
        str,
        typer.Option("--lang", metavar="zh|en", envvar="RENEWAL_LANG", help="help.lang"),
    ],
    "encoding": Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="ENCODING",
            help="help.encoding",
        ),
    ],
    "strict": Annotated[
        bool,
        typer.Option("--strict", help="help.strict"),
    ],
    "policy": Annotated[
        str | None,
        typer.Option(
            "--policy",
            metavar="FILE.toml",
            envvar="RENEWAL_POLICY",
            help="help.policy",
            show_default=False,
        ),
    ],
    "fail_on": Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            metavar="STATUS",
            help="help.fail_on",
        ),
    ],
}

OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="help.output",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="help.quiet"),
]
RemindOpt = Annotated[
    str,
    typer.Option(
        "--remind",
        metavar="DAYS,…",
        help="help.remind",
    ),
]
SplitOpt = Annotated[
    str | None,
    typer.Option("--split-by", metavar="city|county", help="help.split_by"),
]
BomOpt = Annotated[
    bool,
    typer.Option("--bom", help="help.due.bom"),
]
OutEncodingOpt = Annotated[
    str,
    typer.Option(
        "--out-encoding",
        metavar="utf-8|gb18030",
        help="help.due.out_encoding",
    ),
]


class Format(StrEnum):
    """The data formats of `due`, `check`, `summary` (and `rules`, table and JSON only)."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", metavar="table|csv|json|xlsx", help="help.format"),
]


def check_binary(chosen: Format, output: Path | None) -> None:
    """A workbook is written to a file (-o), or to a pipe, never onto a terminal."""
    terminal = sys.stdout is not None and sys.stdout.isatty()
    if chosen is Format.XLSX and is_stdout(output) and terminal:
        raise UsageError("usage.xlsx_needs_file")


def out_encoding_of(value: str) -> str:
    """--out-encoding: UTF-8 or GB18030 (GBK is a subset) for CSV."""
    name = value.strip().lower().replace("_", "-")
    if name in ("utf-8", "utf8"):
        return "utf-8"
    if name in ("gb18030", "gbk", "gb2312"):
        return "gb18030"
    raise UsageError(
        "usage.bad_choice", option="--out-encoding", value=value, choices="utf-8, gb18030"
    )


Command = Callable[..., None]


@overload
def selecting(command: Command) -> Command: ...


@overload
def selecting(command: None = None, *, only: tuple[str, ...]) -> Callable[[Command], Command]: ...


def selecting(
    command: Command | None = None, *, only: tuple[str, ...] | None = None
) -> Command | Callable[[Command], Command]:
    """Give `command(args: SelectionArgs, **own)` the shared selection options (or `only`
    those named; the others keep their defaults).

    Typer sees the shared options followed by the command's own; the command receives the
    shared ones as one SelectionArgs, built from the dataclass's own fields.
    """
    if command is None:
        return lambda fn: _selecting(fn, only)
    return _selecting(command, only)


def _selecting(command: Callable[..., None], only: tuple[str, ...] | None) -> Callable[..., None]:
    options = {k: v for k, v in SELECTION_OPTIONS.items() if only is None or k in only}
    own = get_type_hints(command, include_extras=True)
    own_params = [p for p in inspect.signature(command).parameters.values() if p.name != "args"]
    defaults = {f.name: f.default for f in fields(SelectionArgs)}
    shared = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=defaults[name], annotation=kind
        )
        for name, kind in options.items()
    ]
    params = [
        *shared,
        *(
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=own[p.name])
            for p in own_params
        ),
    ]

    @functools.wraps(command)
    def wrapper(**values: Any) -> None:
        given = {name: values.pop(name) for name in options}
        if "register" in given and not given["register"] and os.environ.get("RENEWAL_REGISTER"):
            # Read here, not as Typer's envvar, which would split a path at its spaces.
            given["register"] = [os.environ["RENEWAL_REGISTER"]]
        args = SelectionArgs(**given)
        command(args, **values)

    wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__
    return wrapper
