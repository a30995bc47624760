"""The delivery record: an SQLite file of who was sent which message, in which period.

One row per recipient, channel, topic, period and content digest: the outcome ("sent" once
the recipient's server accepted the message, "unknown" when it stopped answering after the
message was handed over), the time and the Message-ID. Each row is committed on its own as it
happens, in WAL mode with full syncs, so a run killed halfway leaves every delivery it made.

A file that is not a record of ours, a damaged one or one that cannot be opened is an error
naming the file; it is never reset or written to. A new record is built under a temporary name
and linked into place, so an empty or half-made file at the path is never mistaken for one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from renewal_cli.errors import RenewalError

Outcome = Literal["sent", "unknown"]

# "RNWD" in the database header (PRAGMA application_id): a file of ours, not any SQLite file.
APPLICATION_ID = 0x524E5744
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE delivery (
    channel    TEXT NOT NULL,  -- mail (chat robots later)
    recipient  TEXT NOT NULL,  -- an address, lower case
    topic      TEXT NOT NULL,  -- what the message is about: place:百色市, holder:…
    period     TEXT NOT NULL,  -- 2026-W48, 2026-11-30 or 2026-11
    digest     TEXT NOT NULL,  -- SHA-256 of the content (ledger.content_digest)
    outcome    TEXT NOT NULL CHECK (outcome IN ('sent', 'unknown')),
    at         TEXT NOT NULL,  -- ISO 8601 with its offset
    message_id TEXT NOT NULL,
    PRIMARY KEY (channel, recipient, topic, period, digest)
) WITHOUT ROWID
"""
# A sent row stays sent: a later unknown outcome of the same content cannot undo a delivery.
_ADD = """
INSERT INTO delivery VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO UPDATE SET
    outcome = CASE WHEN outcome = 'sent' THEN 'sent' ELSE excluded.outcome END,
    at = excluded.at,
    message_id = excluded.message_id
"""


@dataclass(frozen=True)
class Entry:
    """One earlier delivery to a recipient about a topic in a period."""

    digest: str
    outcome: Outcome
    at: str


class DeliveryRecord:
    """An open record. `open` checks it before anything is read or written."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, *, create: bool) -> DeliveryRecord | None:
        """The record at `path`, created when missing if `create` (None when missing and not).

        Without `create` nothing is written: a dry run reads what was sent. (It still opens
        read-write, as WAL readers should: SQLite then removes the -wal and -shm files it
        needs while reading, which a read-only connection would leave behind.) Raises RenewalError (exit 1) for a file that cannot be opened, is damaged or is
        not a record of ours.
        """
        if not path.exists() and not path.is_symlink():
            if not create:
                return None
            _create(path)
        try:
            if create:
                connection = sqlite3.connect(path, timeout=10, isolation_level=None)
            else:
                uri = Path(os.path.abspath(path)).as_uri() + "?mode=rw"  # never creates
                connection = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
        except sqlite3.Error as err:
            raise _unreadable(path, err) from None
        try:
            _check(connection, path)
            if create:
                connection.execute("PRAGMA journal_mode = WAL")
                # A record that cannot take a write must be found out before a message goes.
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
            # A delivery not on disk is a message sent twice: sync every commit.
            connection.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as err:
            connection.close()
            raise _unreadable(path, err) from None
        except BaseException:
            connection.close()
            raise
        return cls(connection, path)

    def entries(self, channel: str, period: str, topic: str, recipient: str) -> list[Entry]:
        """What was delivered to `recipient` about `topic` in `period`, oldest first."""
        try:
            rows = self._db.execute(
                "SELECT digest, outcome, at FROM delivery WHERE channel = ? AND recipient = ? "
                "AND topic = ? AND period = ? ORDER BY at",
                (channel, recipient, topic, period),
            ).fetchall()
        except sqlite3.Error as err:
            raise _damaged(self.path, err) from None
        return [Entry(digest=d, outcome=o, at=a) for d, o, a in rows]

    def add(
        self,
        *,
        channel: str,
        period: str,
        topic: str,
        recipient: str,
        digest: str,
        outcome: Outcome,
        at: str,
        message_id: str,
    ) -> None:
        """Record one delivery, committed before this returns."""
        values = (channel, recipient, topic, period, digest, outcome, at, message_id)
        try:
            self._db.execute(_ADD, values)
        except sqlite3.Error as err:
            raise RenewalError(
                "delivery.unwritable", path=str(self.path), recipient=recipient, detail=str(err)
            ) from None

    def close(self) -> None:
        self._db.close()


def _check(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a sound record of ours, before touching it."""
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if application_id != APPLICATION_ID:
            raise RenewalError("delivery.not_ours", path=str(path))
        if version > SCHEMA_VERSION:
            raise RenewalError("delivery.newer", path=str(path), version=version)
        verdict = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as err:
        raise _damaged(path, err) from None
    if verdict != [("ok",)]:
        raise _damaged(path, "; ".join(str(row[0]) for row in verdict[:3]))


def _create(path: Path) -> None:
    """A new, empty record at `path`: built beside it, then linked into place (never over a
    file that appeared meanwhile). The folder is made private: the record holds addresses."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    except OSError as err:
        raise _unreadable(path, err) from None
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(temp, isolation_level=None)) as new:
            new.execute("PRAGMA journal_mode = WAL")
            new.execute("BEGIN")
            new.execute(_SCHEMA)
            new.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            new.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            new.execute("COMMIT")
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)
    except (OSError, sqlite3.Error) as err:
        raise _unreadable(path, err) from None
    finally:
        for leftover in (temp, f"{temp}-wal", f"{temp}-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)


def _unreadable(path: Path, error: Exception) -> RenewalError:
    detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return RenewalError("delivery.unreadable", path=str(path), detail=detail)


def _damaged(path: Path, error: Exception | str) -> RenewalError:
    return RenewalError("delivery.damaged", path=str(path), detail=str(error))
