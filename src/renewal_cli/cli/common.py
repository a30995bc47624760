"""What every command shares: the selection options declared once, the clock, the one stderr
reporter, writing data to stdout or -o, and the one error edge.

The shared options arrive in a command as one typed value (request.SelectionArgs): the
`selecting` decorator adds their declarations to the command's signature for Typer and gathers
them back into that value, so no command lists them and nothing hands them on untyped.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, get_type_hints, overload
from zoneinfo import ZoneInfo

import typer

from renewal_cli.errors import EXIT_FAILURE, EXIT_FOUND, RenewalError, UsageError
from renewal_cli.files import printable_name, write_atomic
from renewal_cli.jobs import SAMPLE, Outcome, open_registers, select_items, warnings
from renewal_cli.messages import Lang, text
from renewal_cli.models import Problem, Status
from renewal_cli.places import guangxi, short_name
from renewal_cli.policy import Policy, PolicyFileError
from renewal_cli.present import (
    describe_error,
    describe_policy_faults,
    describe_problem,
    field_label,
    label,
)
from renewal_cli.register import ALIASES, REQUIRED_ONE_OF, Counts, Register
from renewal_cli.report import Basis
from renewal_cli.request import (
    Request,
    SelectionArgs,
    build_request,
    language,
    max_input,
    size_text,
)

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in Asia/Shanghai, whatever the machine's time zone."""
    moment = now if now is not None else datetime.now(tz=CHINA)
    return moment.astimezone(CHINA).date()


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


# Problem lines on stderr per register file; the rest are counted in one line.
PROBLEM_LINES = 200


class Reporter:
    """The one voice on stderr: problems, notes, the count line (last), errors."""

    def __init__(self, lang: Lang, quiet: bool = False) -> None:
        self.lang = lang
        self.quiet = quiet

    def line(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def say(self, message_id: str, **params: object) -> str:
        """A message in the reporter's language."""
        return text(message_id, self.lang, **params)

    def note(self, message_id: str, **params: object) -> None:
        """A diagnostic that --quiet silences."""
        if not self.quiet:
            self.line(text(message_id, self.lang, **params))

    def plan(self, policy: Policy) -> None:
        """The one warning of a run whose plan year has no plan of its own (kept under
        --quiet): which plan is used, and how to give the year's own."""
        if not policy.has_own_plan:
            self.line(
                text(
                    "note.plan_carried",
                    self.lang,
                    year=policy.plan_year,
                    used=policy.plan_used,
                    title=policy.plan.title,
                )
            )

    def error(self, error: RenewalError) -> None:
        self.line(describe_error(error, self.lang))
        if isinstance(error, PolicyFileError):
            for line in describe_policy_faults(error.source, error.faults, self.lang):
                self.line(line)
        source = error.params.get("source")
        from_env = os.environ.get("RENEWAL_REGISTER")
        if source and from_env and source == from_env:
            self.line(text("usage.register_from_env", self.lang))

    def problems(self, outcome: Outcome) -> None:
        """The problems in file order (--quiet keeps them: they need a look), at most
        PROBLEM_LINES of each file, then one line with the count of the rest (`renewal check`
        lists them all)."""
        last = {p.source: n for n, p in enumerate(outcome.problems)}
        shown: dict[str, int] = {}
        for n, problem in enumerate(outcome.problems):
            count = shown[problem.source] = shown.get(problem.source, 0) + 1
            if count <= PROBLEM_LINES:
                self._problem(problem)
            if count > PROBLEM_LINES and n == last[problem.source]:
                rest = count - PROBLEM_LINES
                self.line(text("note.more_problems", self.lang, source=problem.source, count=rest))

    def _problem(self, problem: Problem) -> None:
        self.line(describe_problem(problem, self.lang))
        if problem.code.value == "no_header":
            for name in problem.detail.get("missing", "").split(","):
                group = next((g for g in REQUIRED_ONE_OF if "/".join(g[:2]) == name), ())
                parts = group or tuple(name.split("/"))
                aliases = [a for part in parts for a in ALIASES.get(part, ())]
                if name:
                    self.line(
                        text(
                            "register.missing_column",
                            self.lang,
                            field=field_label(name, self.lang),
                            aliases="、".join(aliases),
                        )
                    )

    def count_line(self, outcome: Outcome) -> str:
        """One count line per register, and the total when there are several (last)."""
        lines = [self._count_line(source, counts) for source, counts in outcome.parts]
        if len(outcome.parts) > 1:
            total = outcome.counts
            lines.append(
                text(
                    "note.total",
                    self.lang,
                    files=len(outcome.parts),
                    rows=total.rows,
                    certificates=total.certificates,
                    problems=total.problems,
                )
                + (text("note.outside", self.lang, count=total.outside) if total.outside else "")
            )
        return "\n".join(lines)

    def _count_line(self, source: str, counts: Counts) -> str:
        lang = self.lang
        line = text(
            "note.counts",
            lang,
            source=source,
            rows=counts.rows,
            certificates=counts.certificates,
            problems=counts.problems,
        )
        if counts.outside:
            line += text("note.outside", lang, count=counts.outside)
        others = [
            text(f"note.other.{key}", lang, count=value)
            for key, value in (
                ("header", counts.header_lines),
                ("title", counts.title_lines),
                ("blank", counts.blank),
                ("summary", counts.summary),
            )
            if value
        ]
        if others:
            line += text(
                "note.others", lang, parts=("，" if lang is Lang.ZH else ", ").join(others)
            )
        if counts.lines:
            line += text("note.lines", lang, lines=counts.lines)
        return line

    def finish(self, outcome: Outcome, request: Request) -> None:
        """The closing lines (the count line last), then exit 1 when nothing could be output,
        or 3 under --fail-on."""
        if outcome.failed:
            raise typer.Exit(EXIT_FAILURE)
        if request.strict and outcome.counts.problems:
            self.line(text("note.strict_failed", self.lang, problems=outcome.counts.problems))
            self.line(self.count_line(outcome))
            raise typer.Exit(EXIT_FAILURE)
        for year in outcome.uncovered_years:
            self.note("note.holidays_unknown", year=year)
        statuses = request.selection.statuses
        if Status.FILED in statuses and not request.selection.all:
            self.note("note.filed_needs_all")
        hit = sorted({s for s in outcome.statuses if s in request.fail_on}, key=list(Status).index)
        if hit:
            names = join_places([label(s, self.lang) for s in hit], self.lang)
            self.line(text("note.fail_on", self.lang, statuses=names))
        # --quiet keeps stderr for problems only: a cron job then mails nothing when all is well.
        if not self.quiet or outcome.counts.problems or warnings(outcome.problems):
            self.line(self.count_line(outcome))
        if hit:
            raise typer.Exit(EXIT_FOUND)


def write_stdout(data: bytes | Iterable[bytes]) -> None:
    """Data to stdout as bytes, exactly what -o writes (minus the Excel BOM). An unwritable
    stdout (closed, a full disk, a reader gone) is an output error, not a traceback."""
    out = sys.stdout
    if out is None:
        raise RenewalError("output.stdout", detail="closed", errno="closed")
    try:
        out.flush()
        for piece in [data] if isinstance(data, bytes) else data:
            out.buffer.write(piece)
        out.buffer.flush()
    except BrokenPipeError:
        # The reader has all it wanted (`| head -1`) or left before the first byte: that is
        # no failure of ours. Nothing more goes to stdout; the run ends as it would.
        silence_stdout()
    except OSError as err:
        silence_stdout()
        raise RenewalError(
            "output.stdout", detail=err.strerror or str(err), errno=err.errno
        ) from None


def silence_stdout() -> None:
    """Point fd 1 at /dev/null so the interpreter's final flush cannot fail a second time."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def is_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def emit(
    data: bytes | Iterable[bytes],
    output: Path | None,
    report: Reporter,
    count: int,
    said: str = "note.written",
    outcome: Outcome | None = None,
) -> None:
    """Write data to -o FILE (atomically) or stdout (`-o -` too); `said` reports a file. When
    it cannot be written, the error is followed by the count line, still the last line."""
    try:
        if is_stdout(output):
            write_stdout(data)
            return
        assert output is not None
        write_atomic(output, data)
    except RenewalError as error:
        if outcome is None:
            raise
        report.error(error)
        report.line(report.count_line(outcome))
        raise typer.Exit(error.exit_code) from None
    report.note(said, path=output, count=count)


def check_output(output: Path | None, registers: Sequence[str]) -> None:
    """Refuse `-o 台账.csv` on a register itself: the report would replace the data."""
    if is_stdout(output):
        return
    assert output is not None
    for register in registers:
        if register != "-" and output.resolve() == Path(register).resolve():
            raise UsageError("usage.output_is_register", path=output)


def plain_output() -> bool:
    """No colour: NO_COLOR (no-color.org: only a non-empty value counts) or TERM=dumb."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def terminal_width() -> int:
    """The terminal's width when stdout is one, else COLUMNS, else 80."""
    if sys.stdout is not None and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return env_width() or 80


def env_width() -> int | None:
    """COLUMNS when set (e.g. by the user for a pipe); else as wide as the table needs."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def lang_of(value: str) -> Lang:
    """--lang, falling back to Chinese when the value itself is bad (the error says so)."""
    try:
        return language(value)
    except UsageError:
        return Lang.ZH


@contextmanager
def edge(lang_value: str, quiet: bool = False) -> Iterator[Reporter]:
    """Turn the project's errors into a message on stderr and an exit code, never a traceback."""
    report = Reporter(lang_of(lang_value), quiet)
    try:
        yield report
    except RenewalError as error:
        report.error(error)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as error:  # a bug or an environment we did not foresee: no traceback
        if os.environ.get("RENEWAL_DEBUG"):
            raise
        report.line(text("error.unexpected", report.lang, kind=type(error).__name__, detail=error))
        raise typer.Exit(EXIT_FAILURE) from None


def join_places(names: Sequence[str], lang: Lang) -> str:
    return ("、" if lang is Lang.ZH else ", ").join(names)


# A bar shows while registers of at least this many bytes (about 100,000 rows) are read.
PROGRESS_FROM_BYTES = 8 << 20


@contextmanager
def read_registers_of(request: Request, report: Reporter) -> Iterator[list[Register]]:
    """The registers the request names (files, stdin "-" or the bundled sample), open for
    reading inside the block. Stdin and every register that is a stream (a pipe such as
    `<(cat a.csv)` or /dev/stdin, a FIFO, a device) are spooled to a temporary file first (read
    in chunks, never held whole, at most RENEWAL_MAX_INPUT bytes), removed when the block ends
    however it ends; a progress bar runs on a terminal."""
    for lock in request.locks:
        report.note("note.lock_file", source=lock)
    if not request.registers:
        report.note("note.sample", source=SAMPLE)
    with contextlib.ExitStack() as stack:
        streams = [name for name in request.registers if name == "-" or is_stream(name)]
        spools: dict[str, Path] = {}
        if streams:
            limit = max_input(os.environ.get("RENEWAL_MAX_INPUT"))
            for name in streams:
                spools[name] = stack.enter_context(_spooled(name, limit))
        registers = open_registers(request, spools)
        stack.enter_context(_progress(registers, report))
        yield registers


def is_stream(name: str) -> bool:
    """Whether a register path is something other than a file or folder: a pipe or FIFO, a
    character or block device, a socket. It can be read once only (or never ends), so it is
    read as stdin is."""
    try:
        mode = os.stat(name).st_mode
    except (OSError, ValueError):
        return False  # reading it says why
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def _spooled(name: str, limit: int) -> Iterator[Path]:
    """Stdin ("-") or the stream `name` copied to a temporary file, at most `limit` bytes;
    Ctrl-C ends it at any point (a FIFO with no writer yet waits in the open)."""
    source = "<stdin>" if name == "-" else printable_name(name)
    handle, spool = tempfile.mkstemp(prefix="renewal-stdin-", suffix=".spool")
    try:
        with os.fdopen(handle, "wb") as out:
            try:
                stream = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
            except OSError as err:
                raise RenewalError(
                    "input.unreadable", source=source, detail=err.strerror, errno=err.errno
                ) from None
            with contextlib.closing(stream) if name != "-" else contextlib.nullcontext():
                _copy(stream, out, source, limit)
        yield Path(spool)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(spool)


def _copy(stream: Any, out: Any, source: str, limit: int) -> None:
    total = 0
    while True:
        try:
            chunk = stream.read(1 << 20)
        except OSError as err:
            raise RenewalError(
                "input.unreadable", source=source, detail=err.strerror, errno=err.errno
            ) from None
        if not chunk:
            return
        total += len(chunk)
        if total > limit:
            raise RenewalError("input.too_large", source=source, limit=size_text(limit))
        try:
            out.write(chunk)
        except OSError as err:
            raise RenewalError(
                "input.spool", source=source, detail=err.strerror, errno=err.errno
            ) from None


@contextmanager
def _progress(registers: Sequence[Register], report: Reporter) -> Iterator[None]:
    """A transient bar on stderr driven by the bytes read, for large registers on a terminal
    (never under --quiet, never into a pipe or a file)."""
    sizes = [register.size for register in registers]
    if report.quiet or not sys.stderr.isatty() or sum(sizes) < PROGRESS_FROM_BYTES:
        yield
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    # Redrawn as the reading reports its bytes, not by a thread of its own: with no other
    # thread running, a large register may be read on two cores (forked.can_fork).
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True, auto_refresh=False) as bar:
        task = bar.add_task(report.say("note.reading"), total=sum(sizes))
        base = 0
        drawn = [0.0]  # when the bar was last redrawn
        for register, size in zip(registers, sizes, strict=True):
            register.watch(functools.partial(_advance, bar, task, base, drawn))
            base += size
        yield


def _advance(bar: Any, task: Any, base: int, drawn: list[float], done: int) -> None:
    # Redrawn at most ten times a second: a read on two cores reports every batch of rows,
    # hundreds of times a second, and a redraw costs about half a millisecond.
    now = time.monotonic()
    refresh = now - drawn[0] >= 0.1
    if refresh:
        drawn[0] = now
    bar.update(task, completed=base + done, refresh=refresh)


def request_of(args: SelectionArgs, report: Reporter, quiet: bool = False) -> Request:
    """The checked request for `args` on today's date in China, and the run's one warning when
    its plan year has no plan of its own (Reporter.plan)."""
    request = build_request(args, today=today_in_china(), quiet=quiet)
    report.plan(request.policy)
    return request


def run_selection(request: Request, report: Reporter) -> Outcome:
    """Read the register the request names, report its problems, and select the items.

    Exits (through Reporter.finish) when nothing may be output: an unreadable register, or
    bad rows under --strict.
    """
    with read_registers_of(request, report) as registers:
        outcome = select_items(request, registers)
    report.problems(outcome)
    if outcome.blocked(request.strict):
        report.finish(outcome, request)
    return outcome


def run_report(request: Request, report: Reporter) -> tuple[Basis, Outcome]:
    """`run_selection` for the report: the selected items in the outcome, and what the
    report's figures are computed from (the same reading, done once)."""
    from renewal_cli.jobs import report_basis

    with read_registers_of(request, report) as registers:
        basis, outcome = report_basis(request, registers)
    report.problems(outcome)
    if outcome.blocked(request.strict):
        report.finish(outcome, request)
    return basis, outcome
