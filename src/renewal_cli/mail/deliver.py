"""What `renewal mail` does: plan the messages, ask the ledger whom each still has to reach,
compose them, then send or write them.

Returns a MailRun: what nobody covers, how many recipients already had the message, the
.eml files written by a dry run, and the deliveries as an iterator that sends one message at
a time, records each recipient the server accepted in the ledger, and only then yields. The
command line prints each as it comes, so a run killed halfway has said and recorded everything
it did. The clocks come in from the command line (MailJob.now, Sending).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from renewal_cli.delivery.ledger import Ledger, Plan, content_digest, message_key, period_of
from renewal_cli.holders import Holder, Office
from renewal_cli.jobs import calendar_name
from renewal_cli.mail.addresses import mailbox
from renewal_cli.mail.compose import build_message, message_id, unique_mailboxes
from renewal_cli.mail.contacts import Contact
from renewal_cli.mail.outbox import write_eml
from renewal_cli.mail.routing import Batch, plan_messages
from renewal_cli.mail.smtp import Delivery, Sender, SmtpSettings
from renewal_cli.messages import Lang
from renewal_cli.models import ScheduleItem
from renewal_cli.output.calendar import render_calendar
from renewal_cli.output.csvfile import render_csv
from renewal_cli.places import Scope, SplitBy, guangxi

CHANNEL = "mail"


@dataclass(frozen=True)
class Sending:
    """How long a run may take: each SMTP step at most `timeout` seconds, nothing started
    after `deadline` (on the scale of `monotonic`); `clock` stamps each recorded delivery."""

    timeout: float = 30
    deadline: float | None = None
    monotonic: Callable[[], float] | None = None
    clock: Callable[[], datetime] | None = None


@dataclass(frozen=True)
class MailJob:
    """Everything a mail run needs besides the items."""

    settings: SmtpSettings
    as_of: date
    plan_year: int
    plan_used: int
    """The year of the plan in force (the digest's heading names it)."""
    lang: Lang
    now: datetime
    recipients: Sequence[str] = ()
    contacts: Mapping[str, Sequence[Contact]] | None = None
    split_by: SplitBy | None = None
    scope: Scope = field(default_factory=Scope)
    remind_days: Sequence[int] = (30, 7)
    dry_run: Path | None = None
    skip_empty: bool = False
    sending: Sending = field(default_factory=Sending)
    report: Callable[[str | None], bytes] | None = None
    """The report page of a place (None: every place of the run), attached to its message."""
    ledger: Ledger | None = None
    """The delivery record's view for this run; None: nothing recorded, everyone sent to."""

    def deliveries(self) -> Ledger:
        if self.ledger is not None:
            return self.ledger
        return Ledger(None, channel=CHANNEL, period=period_of(self.as_of, "week"))


@dataclass(frozen=True)
class Outgoing:
    """One message to send, with what the ledger records for each recipient it reaches."""

    message: EmailMessage
    envelope: tuple[str, ...]
    topic: str
    digest: str
    msgid: str


@dataclass
class MailRun:
    """What a mail run does."""

    orphans: list[ScheduleItem] = field(default_factory=list)
    unreachable: list[Holder] = field(default_factory=list)
    """Holders to mail that have no usable e-mail address in the register (to phone)."""
    skipped: int = 0
    """Recipients that already have this very message in this period."""
    retried: int = 0
    """Recipients sent again because an earlier run could not tell whether they got it."""
    outgoing: list[Outgoing] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    deliveries: Iterator[Delivery] = field(default_factory=lambda: iter(()))
    """Sends as it is iterated (nothing for a dry run)."""
    two_addresses: list[Holder] = field(default_factory=list)
    """Holders mailed at the first of two or more addresses the register gives them."""


def _facts(item: ScheduleItem) -> dict[str, Any]:
    """An item as the digest sees it: its record without what changes with AS_OF alone (the
    day count and AS_OF itself), so a later run in the same week finds the same content."""
    record = item.record()
    del record["days_left"], record["as_of"]
    return record


def officer_content(batch: Batch, job: MailJob) -> dict[str, Any]:
    """What an officer's digest says, for its content digest."""
    return {
        "message": "digest",
        "place": batch.place,
        "lang": job.lang.value,
        "plan_year": job.plan_year,
        "remind": list(job.remind_days),
        "items": [_facts(i) for i in batch.items],
    }


def holder_content(holder: Holder, office: Office, job: MailJob) -> dict[str, Any]:
    """What a holder's message says, for its content digest."""
    return {
        "message": "holder",
        "holder": holder.name,
        "office": [office.name, office.contact, office.letterhead],
        "lang": job.lang.value,
        "plan_year": job.plan_year,
        "remind": list(job.remind_days),
        "items": [_facts(i) for i in holder.items],
    }


def compose(batch: Batch, job: MailJob, msgid: str, updated: bool = False) -> EmailMessage:
    """One message: the batch's digest, calendar and CSV."""
    lang = job.lang
    calendar = render_calendar(
        batch.items,
        as_of=job.as_of,
        lang=lang,
        name=calendar_name(batch.place, lang),
        remind_days=job.remind_days,
        organizer=job.settings.sender,
    )
    return build_message(
        place=batch.place,
        recipients=batch.recipients,
        sender=job.settings.sender,
        items=batch.items,
        as_of=job.as_of,
        plan_year=job.plan_year,
        plan_used=job.plan_used,
        lang=lang,
        calendar=calendar,
        csv_text=render_csv(batch.items, lang),
        now=job.now,
        msgid=msgid,
        updated=updated,
        report=job.report(batch.place) if job.report is not None else None,
    )


def _drafts(
    job: MailJob,
    run: MailRun,
    topic: str,
    recipients: Sequence[str],
    digest: str,
    make: Callable[[str, bool], EmailMessage],
) -> None:
    """The messages about `topic` still to send, by what the ledger knows: one to those with
    nothing yet, one marked as an update to those with older content (each under its own
    Message-ID, the same in every run that sends it)."""
    ledger = job.deliveries()
    addresses = [box.addr_spec for box in unique_mailboxes(recipients)]
    plan: Plan = ledger.plan(topic, addresses, digest)
    run.skipped += len(plan.skipped)
    run.retried += len(plan.retried)
    everyone = sorted(a.lower() for a in addresses)
    for updated, envelope in ((False, plan.fresh), (True, plan.updated)):
        if not envelope:
            continue
        variant = "updated" if updated else "new"
        key = message_key(CHANNEL, ledger.period, topic, digest, variant, *everyone)
        msgid = message_id(key, job.settings.sender)
        run.outgoing.append(Outgoing(make(msgid, updated), envelope, topic, digest, msgid))


def deliver(items: Sequence[ScheduleItem], job: MailJob) -> MailRun:
    """Plan and compose every message; write them for a dry run, else send as iterated."""
    batches, orphans = plan_messages(
        items,
        recipients=job.recipients,
        contacts=job.contacts,
        split_by=job.split_by,
        scope=job.scope,
        places=guangxi(),
    )
    if job.skip_empty:
        batches = [b for b in batches if b.items]
    run = MailRun(orphans=orphans)
    for batch in batches:
        digest = content_digest(officer_content(batch, job))
        topic = f"place:{batch.place or '*'}"

        def make(msgid: str, updated: bool, batch: Batch = batch) -> EmailMessage:
            return compose(batch, job, msgid, updated)

        _drafts(job, run, topic, batch.recipients, digest, make)
    return _dispatch(run, job)


def deliver_to_holders(
    items: Sequence[ScheduleItem], job: MailJob, office: Office, cc: Sequence[str]
) -> MailRun:
    """Each holder with an address its own message (sent, or written for a dry run); the
    holders without one are reported."""
    from renewal_cli.holders import holder_labels
    from renewal_cli.mail.holders import compose_holder, holders_to_mail

    reachable, unreachable = holders_to_mail(items)
    labels = holder_labels([*reachable, *unreachable])
    two = [holder for holder in reachable if len(holder.emails) > 1]
    run = MailRun(unreachable=unreachable, two_addresses=two)
    for holder in reachable:
        assert holder.email is not None
        digest = content_digest(holder_content(holder, office, job))

        def make(msgid: str, updated: bool, holder: Holder = holder) -> EmailMessage:
            return compose_holder(
                holder,
                office=office,
                sender=job.settings.sender,
                cc=cc,
                as_of=job.as_of,
                lang=job.lang,
                now=job.now,
                remind_days=job.remind_days,
                msgid=msgid,
                updated=updated,
                label=labels[holder.key],
            )

        recipients = [mailbox(holder.email).addr_spec, *cc]
        _drafts(job, run, f"holder:{holder.key}", recipients, digest, make)
    return _dispatch(run, job)


def _dispatch(run: MailRun, job: MailJob) -> MailRun:
    if job.dry_run is not None:
        run.written = write_eml([o.message for o in run.outgoing], job.dry_run)
    elif run.outgoing:
        run.deliveries = _send(run.outgoing, job)
    return run


def _send(outgoing: Sequence[Outgoing], job: MailJob) -> Iterator[Delivery]:
    """Send one message at a time; record each recipient the server accepted (or may have:
    outcome unknown) before yielding it, and before the next message goes."""
    sending = job.sending
    ledger = job.deliveries()
    clock = sending.clock or (lambda: job.now)
    with Sender(
        job.settings,
        timeout=sending.timeout,
        deadline=sending.deadline,
        clock=sending.monotonic,
    ) as sender:
        for out in outgoing:
            deliveries = sender.send(out.message, out.envelope)
            for delivery in deliveries:
                if delivery.sent or delivery.unknown:
                    ledger.add(
                        topic=out.topic,
                        recipient=delivery.recipient,
                        digest=out.digest,
                        outcome="sent" if delivery.sent else "unknown",
                        at=clock().isoformat(),
                        msgid=out.msgid,
                    )
            yield from deliveries
