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
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from renewal_cli.cli.reporter import Reporter
from renewal_cli.clock import today_in_china
from renewal_cli.jobs import SAMPLE, Outcome, open_registers, select_items
from renewal_cli.register import Register
from renewal_cli.report import Basis
from renewal_cli.request import (
    Request,
    SelectionArgs,
    build_request,
    max_input,
)
from renewal_cli.sources.opening import is_stream, spooled

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
                spools[name] = stack.enter_context(spooled(name, limit))
        registers = open_registers(request, spools)
        stack.enter_context(_progress(registers, report))
        yield registers


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
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(report.say("note.reading"), total=sum(sizes))
        base = 0
        for register, size in zip(registers, sizes, strict=True):
            register.watch(functools.partial(_advance, bar, task, base))
            base += size
        yield


def _advance(bar: Any, task: Any, base: int, done: int) -> None:
    # Only the figure: rich redraws the bar from its own thread, ten times a second.
    bar.update(task, completed=base + done)


def request_of(args: SelectionArgs, report: Reporter, quiet: bool = False) -> Request:
    """The checked request for `args` on today's date in China, and the run's one warning when
    its plan year has no plan of its own (Reporter.plan)."""
    request = build_request(args, today=today_in_china(), quiet=quiet)
    report.plan(request.policy, request.as_of)
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
