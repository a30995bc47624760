"""What a command runs: today's date in China (the one clock), the checked request, the
registers read (streams spooled first, a progress bar on a terminal), and the selection or the
report's figures made of them.

The rest every command shares has its own module: the options (cli/options.py), the voice on
stderr and the error edge (cli/reporter.py), where data is written (cli/emit.py).
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from renewal_cli.cli.reporter import Reporter
from renewal_cli.errors import RenewalError
from renewal_cli.files import printable_name
from renewal_cli.jobs import SAMPLE, Outcome, open_registers, select_items
from renewal_cli.register import Register
from renewal_cli.report import Basis
from renewal_cli.request import (
    Request,
    SelectionArgs,
    build_request,
    max_input,
    size_text,
)

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in Asia/Shanghai, whatever the machine's time zone."""
    moment = now if now is not None else datetime.now(tz=CHINA)
    return moment.astimezone(CHINA).date()


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
