"""Opening a register's source, whatever it is: a file, bytes already read, or a stream.

A workbook is told by its zip signature, whatever its name; anything else is read as CSV.
Stdin and every register that is a stream (a pipe such as `<(cat a.csv)` or /dev/stdin, a
FIFO, a device) are copied to a temporary file first (`spooled`): they can be read once only,
or never end, and a register may have to be read twice.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renewal_cli.errors import RenewalError
from renewal_cli.files import printable_name, size_text
from renewal_cli.models import Problem
from renewal_cli.sources import is_workbook
from renewal_cli.sources.csvfile import CsvSource, parse_csv, read_csv

if TYPE_CHECKING:
    from renewal_cli.xlsx import XlsxSource


def open_source(
    source: Path | bytes, label: str, encoding: str | None = None, sheet: str | None = None
) -> CsvSource | XlsxSource | Problem:
    """The source over a file, or bytes already read (stdin, the sample), named `label` in
    every problem. Never raises for the file: what cannot be opened is a fatal Problem."""
    if isinstance(source, bytes) and is_workbook(source[:4]):
        from renewal_cli.xlsx import read_xlsx

        return read_xlsx(io.BytesIO(source), label, sheet)
    if isinstance(source, bytes):
        return parse_csv(source, label, encoding)
    return _open_file(source, label, encoding, sheet)


def _open_file(
    path: Path, label: str, encoding: str | None, sheet: str | None
) -> CsvSource | XlsxSource | Problem:
    """A workbook (by its zip signature, whatever its name) or a CSV file."""
    try:
        with path.open("rb") as raw:
            head = raw.read(4)
    except OSError:
        head = b""  # read_csv reports why
    if is_workbook(head):
        from renewal_cli.xlsx import read_xlsx  # openpyxl loads only for a workbook

        return read_xlsx(path, label, sheet)
    return read_csv(path, encoding, label)


def is_stream(name: str) -> bool:
    """Whether a register path is something other than a file or folder: a pipe or FIFO, a
    character or block device, a socket. It can be read once only (or never ends), so it is
    read as stdin is."""
    try:
        mode = os.stat(name).st_mode
    except (OSError, ValueError):
        return False  # reading it says why
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


# The spool is not inherited by a process the run starts (none does today).
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@contextmanager
def spooled(name: str, limit: int) -> Iterator[Path]:
    """Stdin ("-") or the stream `name` copied to a temporary file, at most `limit` bytes;
    Ctrl-C ends it at any point (a FIFO with no writer yet waits in the open)."""
    source = "<stdin>" if name == "-" else printable_name(name)
    # The name is chosen before the file exists (not by mkstemp, which returns it only after
    # creating the file): Ctrl-C at any point after creation finds it here to remove.
    spool = os.path.join(tempfile.gettempdir(), f"renewal-stdin-{secrets.token_hex(12)}.spool")
    try:
        handle = os.open(spool, os.O_RDWR | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600)
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
