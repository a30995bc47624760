"""What every sending command shares on the command line: the delivery record's options
(--state, --wait, --period, --resend, --deadline), the wait for its lock, and the clocks.

`ledger_for` opens the record for a run: a real run takes the lock first (waiting up to
--wait seconds, then exit 75 with nothing sent) and holds it to the end; a dry run only reads
the record, if there is one, and writes nothing.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from renewal_cli.cli.reporter import Reporter
from renewal_cli.clock import CHINA
from renewal_cli.errors import RecordBusy, UsageError

if TYPE_CHECKING:  # SQLite, hashlib and json load only when something is sent
    from renewal_cli.delivery.ledger import Ledger
    from renewal_cli.delivery.lock import RunLock

RECORD_NAME = "delivery.sqlite3"
MAX_SECONDS = 1_000_000

StateOpt = Annotated[
    Path | None,
    typer.Option(
        "--state",
        metavar="FILE",
        help="help.delivery.state",
        show_default=False,
    ),
]
WaitOpt = Annotated[
    str,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        help="help.delivery.wait",
    ),
]
PeriodOpt = Annotated[
    str,
    typer.Option(
        "--period",
        metavar="day|week|month",
        help="help.delivery.period",
    ),
]
ResendOpt = Annotated[
    bool,
    typer.Option("--resend", help="help.delivery.resend"),
]
DeadlineOpt = Annotated[
    str,
    typer.Option(
        "--deadline",
        metavar="SECONDS",
        help="help.delivery.deadline",
    ),
]


@dataclass(frozen=True)
class DeliveryArgs:
    """The delivery options as given."""

    state: Path | None
    wait: str = "0"
    period: str = "week"
    resend: bool = False


def seconds(value: str, name: str, *, zero: bool = False) -> float:
    """A number of seconds from an option: above 0 (or 0 too, with `zero`), at most
    MAX_SECONDS. Raises UsageError otherwise."""
    try:
        number = float(value.strip())
    except ValueError:
        number = math.nan
    if not (0 <= number <= MAX_SECONDS) or (number == 0 and not zero):
        raise UsageError("usage.bad_wait" if zero else "usage.bad_seconds", name=name, value=value)
    return number


def default_state(env: Mapping[str, str]) -> Path:
    """$XDG_STATE_HOME/renewal/delivery.sqlite3; ~/.local/state when it is unset or not an
    absolute path (as the XDG base directory specification says)."""
    base = env.get("XDG_STATE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "renewal" / RECORD_NAME


def message_date() -> datetime:
    """The Date of this run's messages: now, or SOURCE_DATE_EPOCH when it is set (as for
    reproducible builds), so that a dry run and a real run can be compared byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(tz=CHINA)
    try:
        return datetime.fromtimestamp(int(epoch), tz=CHINA)
    except (ValueError, OverflowError, OSError):
        raise UsageError("usage.bad_source_date_epoch", value=epoch) from None


def recorded_now() -> datetime:
    """The time recorded with a delivery."""
    return datetime.now(tz=CHINA)


@contextmanager
def ledger_for(
    args: DeliveryArgs, *, channel: str, as_of: date, dry_run: bool, report: Reporter
) -> Iterator[Ledger]:
    """The ledger of this run. A real run holds the record's lock until the block ends."""
    from renewal_cli.delivery.ledger import Ledger, period_of
    from renewal_cli.delivery.lock import RunLock
    from renewal_cli.delivery.record import DeliveryRecord

    path = args.state or default_state(os.environ)
    period = period_of(as_of, args.period)
    wait = seconds(args.wait, "--wait", zero=True)
    if dry_run:
        record = DeliveryRecord.open(path, create=False)
        try:
            yield Ledger(record, channel=channel, period=period, resend=args.resend, writable=False)
        finally:
            if record is not None:
                record.close()
        return
    lock = RunLock(path)
    try:
        _acquire(lock, path, wait, report)
        opened = DeliveryRecord.open(path, create=True)
        assert opened is not None
        try:
            yield Ledger(opened, channel=channel, period=period, resend=args.resend)
        finally:
            opened.close()
    finally:
        lock.close()


def _acquire(lock: RunLock, path: Path, wait: float, report: Reporter) -> None:
    """Take the lock, waiting up to `wait` seconds; RecordBusy (exit 75) when it stays taken."""
    if lock.try_acquire():
        return
    shown = f"{wait:g}"
    if wait > 0:
        report.note("delivery.waiting", path=path, wait=shown)
    until = time.monotonic() + wait
    while (left := until - time.monotonic()) > 0:
        time.sleep(min(0.1, left))
        if lock.try_acquire():
            return
    raise RecordBusy("delivery.busy", path=str(path), wait=shown)
