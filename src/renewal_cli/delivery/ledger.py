"""One run's view of the delivery record: whom to send, whom to skip, what is an update.

A message is about a topic (a place's digest, a holder's notice) and goes to recipients in a
period (the ISO week of AS_OF by default). Its content digest is taken over what the message
says that does not depend on the day it is written (the items and their statuses, not the day
counts or the Date), so a catch-up run later in the week finds the same digest. For each
recipient the ledger answers: nothing yet in this period (send), this very content already
(skip, unless --resend), or older content (send, marked as an update). A delivery whose
outcome was unknown is sent again by the next run, under the same Message-ID, so a mail client
that does get both keeps one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from renewal_cli.delivery.record import DeliveryRecord, Entry, Outcome
from renewal_cli.errors import UsageError

PERIODS = ("day", "week", "month")


def period_of(as_of: date, unit: str) -> str:
    """The period AS_OF falls in: 2026-11-30 (day), 2026-W49 (ISO week) or 2026-11 (month)."""
    if unit == "day":
        return as_of.isoformat()
    if unit == "week":
        year, week, _ = as_of.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{as_of.year:04d}-{as_of.month:02d}"
    raise UsageError("usage.bad_period", value=unit)


def content_digest(content: object) -> str:
    """SHA-256 of `content` (JSON values) written canonically: keys sorted, no spaces."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def message_key(*parts: str) -> str:
    """32 hex digits naming one message (for a Message-ID): the same parts, the same key."""
    joined = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(joined).hexdigest()[:32]


@dataclass(frozen=True)
class Plan:
    """What to do with each recipient of one message."""

    fresh: tuple[str, ...] = ()
    """Nothing about this topic yet in this period: send."""
    updated: tuple[str, ...] = ()
    """Older content was delivered in this period: send, saying it is an update."""
    skipped: tuple[str, ...] = ()
    """This very content was delivered in this period: nothing to send."""
    retried: tuple[str, ...] = ()
    """Of those sent: an earlier run's outcome for this very content was unknown."""


class Ledger:
    """The deliveries of one channel in one period: read to plan, written as they happen.

    `record` None is an empty record (a dry run before the first real one); `writable` False
    reads without writing (a dry run). `resend` sends what was delivered already.
    """

    def __init__(
        self,
        record: DeliveryRecord | None,
        *,
        channel: str,
        period: str,
        resend: bool = False,
        writable: bool = True,
    ) -> None:
        self.record = record
        self.channel = channel
        self.period = period
        self.resend = resend
        self.writable = writable

    def plan(self, topic: str, recipients: Sequence[str], digest: str) -> Plan:
        """Sort the recipients of a message about `topic` with content `digest`."""
        fresh: list[str] = []
        updated: list[str] = []
        skipped: list[str] = []
        retried: list[str] = []
        for recipient in recipients:
            entries = self._entries(topic, recipient)
            sent = {e.digest for e in entries if e.outcome == "sent"}
            if digest in sent and not self.resend:
                skipped.append(recipient)
                continue
            (updated if sent - {digest} and digest not in sent else fresh).append(recipient)
            if any(e.digest == digest and e.outcome == "unknown" for e in entries):
                retried.append(recipient)
        return Plan(tuple(fresh), tuple(updated), tuple(skipped), tuple(retried))

    def add(
        self, *, topic: str, recipient: str, digest: str, outcome: Outcome, at: str, msgid: str
    ) -> None:
        """Record one delivery now (nothing in a dry run)."""
        if self.record is None or not self.writable:
            return
        self.record.add(
            channel=self.channel,
            period=self.period,
            topic=topic,
            recipient=recipient.lower(),
            digest=digest,
            outcome=outcome,
            at=at,
            message_id=msgid,
        )

    def _entries(self, topic: str, recipient: str) -> list[Entry]:
        if self.record is None:
            return []
        return self.record.entries(self.channel, self.period, topic, recipient.lower())
