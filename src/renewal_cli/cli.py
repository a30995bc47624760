"""The `renewal` command line: the only module that prints, exits or reads the clock.

Everything else is called from here: the register is read, the rules schedule and select, a
renderer makes the output, and this module writes it to stdout or -o FILE, with diagnostics on
stderr and the exit code of README "Exit codes".
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

import typer

from renewal_cli import __version__
from renewal_cli.errors import EXIT_FAILURE, EXIT_FOUND, EXIT_USAGE, RenewalError
from renewal_cli.files import write_atomic
from renewal_cli.messages import LABELS, Lang, describe_finding, field_label, text
from renewal_cli.models import Flag, RowProblem, ScheduleItem, Scheme, Status
from renewal_cli.output.csvfile import render_csv
from renewal_cli.output.jsonfile import render_json
from renewal_cli.places import Places, guangxi
from renewal_cli.policy import Policy, policy_for
from renewal_cli.register import ALIASES, Register, parse_date, read_register
from renewal_cli.rules import Selection, order_key, schedule, selected

CHINA = ZoneInfo("Asia/Shanghai")
SAMPLE = "sample_register.csv"

app = typer.Typer(
    name="renewal",
    help="Renewal deadlines for Guangxi's green food and organic certificates "
    "(广西绿色食品、有机农产品证书续展提醒).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    """Output formats of `due`."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in Asia/Shanghai, whatever the machine's time zone."""
    moment = now if now is not None else datetime.now(tz=CHINA)
    return moment.astimezone(CHINA).date()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"renewal {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Renewal deadlines for Guangxi's green food and organic certificates."""


# Options shared by every command that selects certificates (due, calendar, mail).
RegisterArg = Annotated[
    str | None,
    typer.Argument(
        help="Register CSV file, or - for stdin. Default: $RENEWAL_REGISTER, else the bundled "
        "sample register.",
        envvar="RENEWAL_REGISTER",
        show_default=False,
    ),
]
CityOpt = Annotated[
    list[str] | None,
    typer.Option("--city", help="City: 百色, 百色市 or Baise. Repeat or separate with commas."),
]
CountyOpt = Annotated[
    list[str] | None,
    typer.Option("--county", help="County, current or former name (田阳县 = 田阳区)."),
]
SchemeOpt = Annotated[
    list[str] | None, typer.Option("--scheme", help="green or organic (绿色食品 / 有机农产品).")
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option("--status", help="Any of pending,late,expired,filed (comma-separated)."),
]
FlagOpt = Annotated[
    list[str] | None, typer.Option("--flag", help="Any of plan_cohort,next_h1 (comma-separated).")
]
WithinOpt = Annotated[
    int, typer.Option("--within", help="Show pending items whose file-by day is within DAYS.")
]
ExpiredWithinOpt = Annotated[
    int,
    typer.Option("--expired-within", help="Show expired items that expired within the last DAYS."),
]
AllOpt = Annotated[
    bool, typer.Option("--all", help="Select every certificate (filters still narrow it).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The day to judge on, YYYY-MM-DD. Default: today in China (Asia/Shanghai).",
        show_default=False,
    ),
]
PlanYearOpt = Annotated[
    int | None,
    typer.Option("--plan-year", help="Work plan year for the flags. Default: the AS_OF year."),
]
LangOpt = Annotated[
    Lang, typer.Option("--lang", envvar="RENEWAL_LANG", help="Language of what is shown.")
]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="Register encoding (default: detect UTF-8/GB18030)."),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Fail (exit 1) before any output if any row is bad.")
]
FailOnOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-on", help="Exit 3 if an item with one of these statuses (comma-separated) is shown."
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
]


@dataclass(frozen=True)
class Request:
    """What the user asked to see, with names and dates already checked."""

    register: str | None
    encoding: str | None
    as_of: date
    policy: Policy
    selection: Selection
    lang: Lang
    strict: bool


@dataclass(frozen=True)
class Outcome:
    """The selected items of one run, and what the register pass counted."""

    items: list[ScheduleItem]
    problems: int


class UsageProblem(Exception):
    """A usage error found while checking options: message id and parameters."""

    def __init__(self, message_id: str, **params: object) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params


def _err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _edge(lang: Lang) -> Iterator[None]:
    """Turn the project's errors into a message on stderr and an exit code, never a traceback."""
    try:
        yield
    except UsageProblem as problem:
        params = dict(problem.params)
        if "names" in params:
            names, everything = params.pop("names"), params.pop("everything")
            params["suggestion"] = (
                text("usage.did_you_mean", lang, names="、".join(names))  # type: ignore[arg-type]
                if names
                else text("usage.no_suggestion", lang, names="、".join(everything))  # type: ignore[arg-type]
            )
        _err(text(problem.message_id, lang, **params))
        raise typer.Exit(EXIT_USAGE) from None
    except RenewalError as error:
        _err(_render_error(error, lang))
        raise typer.Exit(error.exit_code) from None
    except BrokenPipeError:
        # `renewal due | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def _render_error(error: RenewalError, lang: Lang) -> str:
    params = dict(error.params)
    if error.message_id == "register.missing_columns":
        missing = [str(m) for m in params["missing"]]  # type: ignore[attr-defined]
        header = params["header"]
        lines = [
            text(
                "register.missing_columns",
                lang,
                source=params["source"],
                missing="、".join(field_label(m, lang) for m in missing),
                header=", ".join(str(h) for h in header),  # type: ignore[attr-defined]
            )
        ]
        for field in missing:
            aliases = [a for name in field.split("/") for a in ALIASES[name]]
            lines.append(
                text(
                    "register.missing_column",
                    lang,
                    field=field_label(field, lang),
                    aliases="、".join(aliases),
                )
            )
        return "\n".join(lines)
    params.setdefault("source", "")
    params.setdefault("line", "?")
    return text(error.message_id, lang, **params)


T = TypeVar("T", bound=StrEnum)


def _split(values: Sequence[str] | None) -> list[str]:
    """Repeatable options that also take comma-separated lists (`--status late,expired`)."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.replace("，", ",").split(",") if part.strip())
    return out


def _choices(values: Sequence[str] | None, enum: type[T], option: str) -> frozenset[T]:
    """Parse enum values given as codes (late) or as the Chinese labels officers see (已逾期)."""
    by_name: dict[str, T] = {}
    for member in enum:
        by_name[member.value] = member
        for shown in LABELS.get(member, {}).values():
            by_name[shown] = member
    chosen: set[T] = set()
    for value in _split(values):
        found = by_name.get(value.lower(), by_name.get(value))
        if found is None:
            choices = ", ".join(m.value for m in enum)
            raise UsageProblem("usage.bad_choice", option=option, value=value, choices=choices)
        chosen.add(found)
    return frozenset(chosen)


def _cities(values: Sequence[str] | None, places: Places) -> frozenset[str]:
    names: set[str] = set()
    for value in _split(values):
        city = places.city(value)
        if city is None:
            raise UsageProblem(
                "usage.unknown_city",
                value=value,
                names=places.suggest_city(value),
                everything=sorted(places.cities),
            )
        names.add(city.name)
    return frozenset(names)


def _counties(values: Sequence[str] | None, places: Places) -> frozenset[str]:
    names: set[str] = set()
    for value in _split(values):
        county = places.county(value)
        if county is None:
            raise UsageProblem(
                "usage.unknown_county",
                value=value,
                names=places.suggest_county(value),
                everything=sorted(places.cities),
            )
        names.add(county.name)
    return frozenset(names)


def _parse_as_of(value: str | None) -> date:
    if value is None:
        return today_in_china()
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise UsageProblem("usage.bad_date", option="--as-of", value=value)
    return parsed


def _non_negative(value: int, option: str) -> int:
    if value < 0:
        raise UsageProblem("usage.negative", option=option, value=value)
    return value


def build_request(
    *,
    register: str | None,
    encoding: str | None,
    city: list[str] | None,
    county: list[str] | None,
    scheme: list[str] | None,
    status: list[str] | None,
    flag: list[str] | None,
    within: int,
    expired_within: int,
    all_: bool,
    as_of: str | None,
    plan_year: int | None,
    lang: Lang,
    strict: bool,
) -> Request:
    """Check every selection option; raises UsageProblem for the first bad one."""
    places = guangxi()
    day = _parse_as_of(as_of)
    year = plan_year if plan_year is not None else day.year
    if not 2000 <= year <= 2100:
        raise UsageProblem("usage.bad_year", value=year, low=2000, high=2100)
    selection = Selection(
        cities=_cities(city, places),
        counties=_counties(county, places),
        schemes=_choices(scheme, Scheme, "--scheme"),
        statuses=_choices(status, Status, "--status"),
        flags=_choices(flag, Flag, "--flag"),
        within=_non_negative(within, "--within"),
        expired_within=_non_negative(expired_within, "--expired-within"),
        all=all_,
    )
    return Request(
        register=register,
        encoding=encoding,
        as_of=day,
        policy=policy_for(year),
        selection=selection,
        lang=lang,
        strict=strict,
    )


def _open(request: Request) -> Register:
    places = guangxi()
    if request.register is None:
        data = files("renewal_cli").joinpath("data", SAMPLE).read_bytes()
        _err(text("note.sample", request.lang, source=SAMPLE))
        return read_register(data, policy=request.policy, places=places, name=SAMPLE)
    if request.register == "-":
        data = sys.stdin.buffer.read()
        return read_register(data, policy=request.policy, places=places, encoding=request.encoding)
    return read_register(
        Path(request.register),
        policy=request.policy,
        places=places,
        encoding=request.encoding,
    )


def run_selection(request: Request) -> Outcome:
    """Read the register, report its problems on stderr, and select the items to show.

    Raises RenewalError when the register cannot be read, or has bad rows under --strict.
    """
    register = _open(request)
    items: list[ScheduleItem] = []
    for entry in register:
        if isinstance(entry, RowProblem):
            for finding in entry.findings:
                _err(describe_finding(entry, finding, request.lang))
            continue
        item = schedule(entry, request.as_of, request.policy)
        if selected(item, request.selection):
            items.append(item)
    items.sort(key=order_key)
    counts = register.counts
    _err(
        text(
            "note.counts",
            request.lang,
            source=register.source,
            rows=counts.rows,
            certificates=counts.certificates,
            problems=counts.problems,
        )
    )
    if counts.blank or counts.title_lines:
        _err(text("note.blank", request.lang, blank=counts.blank, title=counts.title_lines))
    if request.strict and counts.problems:
        raise RenewalError("note.strict_failed", problems=counts.problems)
    if Status.FILED in request.selection.statuses and not request.selection.all:
        _err(text("note.filed_needs_all", request.lang))
    return Outcome(items=items, problems=counts.problems)


def emit(data: str, output: Path | None, *, color: bool = False) -> None:
    """Write the output to -o FILE (atomically) or stdout."""
    if output is None:
        typer.echo(data, nl=False, color=color)
        return
    write_atomic(output, data.encode("utf-8"))


def check_fail_on(items: Sequence[ScheduleItem], fail_on: frozenset[Status], lang: Lang) -> None:
    """Exit 3 when an item with a --fail-on status is among the selected items."""
    hit = sorted({i.status for i in items if i.status in fail_on}, key=list(Status).index)
    if hit:
        _err(text("note.fail_on", lang, statuses=",".join(s.value for s in hit)))
        raise typer.Exit(EXIT_FOUND)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


@app.command()
def due(
    register: RegisterArg = None,
    city: CityOpt = None,
    county: CountyOpt = None,
    scheme: SchemeOpt = None,
    status: StatusOpt = None,
    flag: FlagOpt = None,
    within: WithinOpt = 120,
    expired_within: ExpiredWithinOpt = 365,
    all_: AllOpt = False,
    as_of: AsOfOpt = None,
    plan_year: PlanYearOpt = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = Format.TABLE,
    output: OutputOpt = None,
    lang: LangOpt = Lang.ZH,
    encoding: EncodingOpt = None,
    strict: StrictOpt = False,
    fail_on: FailOnOpt = None,
) -> None:
    """List the certificates that need action, with their file-by day, status and action."""
    with _edge(lang):
        request = build_request(
            register=register,
            encoding=encoding,
            city=city,
            county=county,
            scheme=scheme,
            status=status,
            flag=flag,
            within=within,
            expired_within=expired_within,
            all_=all_,
            as_of=as_of,
            plan_year=plan_year,
            lang=lang,
            strict=strict,
        )
        failing = _choices(fail_on, Status, "--fail-on")
        outcome = run_selection(request)
        items = outcome.items
        color = False
        if output_format is Format.JSON:
            data = render_json(items)
        elif output_format is Format.CSV:
            data = render_csv(items, lang)
            if output is not None:
                # Excel opens a UTF-8 CSV file as GBK unless it starts with a BOM.
                data = "\ufeff" + data
        else:
            terminal = output is None and _stdout_is_terminal()
            color = terminal and "NO_COLOR" not in os.environ
            width = shutil.get_terminal_size().columns if terminal else _env_width()
            # rich is imported only when a table is drawn: it costs start-up time otherwise.
            from renewal_cli.output.table import render_table

            data = render_table(
                items,
                as_of=request.as_of,
                plan_year=request.policy.plan_year,
                lang=lang,
                color=color,
                width=width,
            )
        emit(data, output, color=color)
        if output is not None:
            _err(text("note.written", lang, path=output, count=len(items)))
        check_fail_on(items, failing, lang)


def _env_width() -> int | None:
    """COLUMNS when set (e.g. by the user for a pipe); else as wide as the table needs."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except RenewalError as error:  # raised outside a command's edge (should not happen)
        _err(_render_error(error, Lang.ZH))
        sys.exit(EXIT_FAILURE)
