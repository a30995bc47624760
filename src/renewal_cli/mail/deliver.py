"""What `renewal mail` does: plan the messages, compose each, then send or write them.

Returns a MailReport (who got what, what failed, what nobody covers); the command line prints
it. The clock comes in as `now`, for the Date header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

from renewal_cli.holders import Holder, Office
from renewal_cli.jobs import calendar_name
from renewal_cli.mail.compose import build_message
from renewal_cli.mail.contacts import Contact
from renewal_cli.mail.outbox import write_eml
from renewal_cli.mail.routing import Batch, plan_messages
from renewal_cli.mail.smtp import Delivery, SmtpSettings, send_messages
from renewal_cli.messages import Lang
from renewal_cli.models import ScheduleItem
from renewal_cli.output.calendar import render_calendar
from renewal_cli.output.csvfile import render_csv
from renewal_cli.places import Scope, SplitBy, guangxi


@dataclass(frozen=True)
class MailJob:
    """Everything a mail run needs besides the items."""

    settings: SmtpSettings
    as_of: date
    plan_year: int
    lang: Lang
    now: datetime
    recipients: Sequence[str] = ()
    contacts: Mapping[str, Sequence[Contact]] | None = None
    split_by: SplitBy | None = None
    scope: Scope = field(default_factory=Scope)
    remind_days: Sequence[int] = (30, 7)
    dry_run: Path | None = None
    skip_empty: bool = False


@dataclass
class MailReport:
    """What a mail run did."""

    orphans: list[ScheduleItem] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unreachable: list[Holder] = field(default_factory=list)
    """Holders to mail that have no usable e-mail address in the register (to phone)."""
    two_addresses: list[Holder] = field(default_factory=list)
    """Holders mailed at the first of two or more addresses the register gives them."""

    @property
    def failed(self) -> int:
        return sum(not d.sent for d in self.deliveries)


def compose(batch: Batch, job: MailJob) -> EmailMessage:
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
        lang=lang,
        calendar=calendar,
        csv_text=render_csv(batch.items, lang),
        now=job.now,
    )


def deliver(items: Sequence[ScheduleItem], job: MailJob) -> MailReport:
    """Plan, compose and send (or write, for a dry run) every message."""
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
    messages = [compose(batch, job) for batch in batches]
    report = MailReport(orphans=orphans)
    if job.dry_run is not None:
        report.written = write_eml(messages, job.dry_run)
    elif messages:
        report.deliveries = send_messages(messages, job.settings)
    return report


def deliver_to_holders(
    items: Sequence[ScheduleItem], job: MailJob, office: Office, cc: Sequence[str]
) -> MailReport:
    """Each holder with an address its own message (send, or write for a dry run); the
    holders without one are reported."""
    from renewal_cli.mail.holders import compose_holder, holders_to_mail

    reachable, unreachable = holders_to_mail(items)
    messages = [
        compose_holder(
            holder,
            office=office,
            sender=job.settings.sender,
            cc=cc,
            as_of=job.as_of,
            lang=job.lang,
            now=job.now,
            remind_days=job.remind_days,
        )
        for holder in reachable
    ]
    two = [holder for holder in reachable if len(holder.emails) > 1]
    report = MailReport(unreachable=unreachable, two_addresses=two)
    if job.dry_run is not None:
        report.written = write_eml(messages, job.dry_run)
    elif messages:
        report.deliveries = send_messages(messages, job.settings)
    return report
