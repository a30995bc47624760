"""Where a command's data goes: stdout or -o FILE (written atomically), never onto a register;
and whether a table on the screen may use colour, and how wide it is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import typer

from renewal_cli.cli.reporter import Reporter
from renewal_cli.errors import RenewalError, UsageError
from renewal_cli.files import write_atomic
from renewal_cli.jobs import Outcome


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


def env_width() -> int | None:
    """COLUMNS when set (e.g. by the user for a pipe); else as wide as the table needs."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None
