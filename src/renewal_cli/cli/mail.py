"""`renewal mail`: each officer the calendar and digest of their place, by SMTP or as .eml.

A run holds the delivery record's lock (cli/delivery.py) from before the registers are read to
its end, sends what the record says is still due, and prints each recipient's result as the
server answers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from renewal_cli.cli.common import request_of, run_report, run_selection
from renewal_cli.cli.delivery import (
    DeadlineOpt,
    DeliveryArgs,
    PeriodOpt,
    ResendOpt,
    StateOpt,
    WaitOpt,
    ledger_for,
    message_date,
    recorded_now,
    seconds,
)
from renewal_cli.cli.office import LetterheadOpt, OfficeContactOpt, OfficeOpt, office_of
from renewal_cli.cli.options import QuietOpt, RemindOpt, SplitOpt, selecting
from renewal_cli.cli.reporter import Reporter, edge, join_places
from renewal_cli.errors import EXIT_FAILURE, UsageError
from renewal_cli.present import describe_failure, place_label
from renewal_cli.request import Request, SelectionArgs, addresses, one_choice

if TYPE_CHECKING:  # the mail package loads the calendar code: only when mail is sent
    from renewal_cli.holders import Office
    from renewal_cli.jobs import Outcome
    from renewal_cli.mail.deliver import MailJob, MailRun, Sending
    from renewal_cli.mail.smtp import SmtpSettings

ToOpt = Annotated[
    list[str] | None,
    typer.Option("--to", metavar="ADDR", help="help.mail.to"),
]
ContactsOpt = Annotated[
    Path | None,
    typer.Option(
        "--contacts",
        metavar="FILE",
        help="help.mail.contacts",
    ),
]
HostOpt = Annotated[
    str | None,
    typer.Option("--smtp-host", metavar="HOST", help="help.mail.smtp_host"),
]
PortOpt = Annotated[
    str | None, typer.Option("--smtp-port", metavar="PORT", help="help.mail.smtp_port")
]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--smtp-user",
        metavar="USER",
        help="help.mail.smtp_user",
    ),
]
SecurityOpt = Annotated[
    str | None,
    typer.Option(
        "--smtp-security",
        metavar="starttls|ssl|none",
        help="help.mail.smtp_security",
    ),
]
FromOpt = Annotated[str | None, typer.Option("--from", metavar="ADDR", help="help.mail.sender")]
HoldersOpt = Annotated[
    bool,
    typer.Option(
        "--holders",
        help="help.mail.holders",
    ),
]
CcOpt = Annotated[
    list[str] | None,
    typer.Option("--cc", metavar="ADDR", help="help.mail.cc"),
]
ReportOpt = Annotated[
    bool,
    typer.Option(
        "--report",
        help="help.mail.report",
    ),
]
DryRunOpt = Annotated[
    Path | None,
    typer.Option(
        "--dry-run",
        metavar="DIR",
        help="help.mail.dry_run",
    ),
]
SmtpTimeoutOpt = Annotated[
    str,
    typer.Option(
        "--smtp-timeout",
        metavar="SECONDS",
        help="help.mail.smtp_timeout",
    ),
]


def _report(report: Reporter, run: MailRun, dry_run: Path | None, period: str) -> int:
    """Every recipient as sent, not sent or of unknown outcome, each as the server answers;
    the number not known to be sent."""
    _report_uncovered(report, run)
    if run.skipped:
        report.note("mail.skipped", count=run.skipped, period=period)
    if run.retried:
        report.note("mail.retried", count=run.retried)
    if dry_run is not None:
        report.note("mail.eml_written", count=len(run.written), directory=dry_run)
        return 0
    sent = failed = unknown = 0
    for d in run.deliveries:
        place = d.place or report.say("mail.all_places")
        if d.sent:
            sent += 1
            report.note("mail.sent", recipient=d.recipient, place=place)
            continue
        why = describe_failure(d.reason or "rejected", d.error or "", d.server, report.lang)
        key = "mail.unknown" if d.unknown else "mail.not_sent"
        unknown += d.unknown
        failed += not d.unknown
        report.line(report.say(key, recipient=d.recipient, place=place, error=why))
    if (sent or failed or unknown) and (failed or unknown or not report.quiet):
        line = report.say("mail.report", sent=sent, failed=failed + unknown)
        if unknown:
            line += report.say("mail.report_unknown", count=unknown)
        report.line(line)
    return failed + unknown


def _report_uncovered(report: Reporter, run: MailRun) -> None:
    """Items in places nobody covers; holders without an address (to phone)."""
    lang = report.lang
    for holder in run.two_addresses:
        (first, one), (other, two) = holder.emails[:2]
        report.line(
            report.say(
                "mail.two_addresses",
                holder=holder.name,
                place=holder.place,
                first=first,
                first_file=one.source,
                first_line=one.line,
                other=other,
                other_file=two.source,
                other_line=two.line,
            )
        )
    if run.orphans:
        where = sorted({place_label(i.certificate.city, i.certificate.county) for i in run.orphans})
        report.line(
            report.say("mail.no_contact", count=len(run.orphans), places=join_places(where, lang))
        )
    if run.unreachable:
        report.line(report.say("mail.no_address", count=len(run.unreachable)))
        for holder in run.unreachable:
            phone = holder.phone or report.say("mail.no_phone")
            who = holder.contact or ""
            report.line(f"  {holder.name}  {who}  {phone}".rstrip())


def _recipients(
    to: list[str] | None, contacts: Path | None, by: object, holders: bool = False
) -> list[str]:
    """--to addresses; a usage error unless exactly one of --to, --contacts and --holders is
    given (and --split-by goes with --to only)."""
    recipients = addresses(to)
    if holders:
        if recipients or contacts is not None or by is not None:
            raise UsageError("usage.holders_alone")
        return []
    if recipients and contacts is not None:
        raise UsageError("usage.to_or_contacts")
    if by is not None and contacts is not None:
        raise UsageError("usage.split_with_contacts")
    if not recipients and contacts is None:
        raise UsageError("mail.no_recipients")
    return recipients


def _settings(
    dry_run: Path | None,
    host: str | None,
    port: str | None,
    user: str | None,
    security: str | None,
    sender: str | None,
) -> SmtpSettings:
    """SMTP settings from the options and the environment (a dry run needs no server)."""
    from renewal_cli.mail.smtp import smtp_settings_from

    return smtp_settings_from(
        os.environ,
        host=host if dry_run is None else (host or "dry-run.invalid"),
        port=port,
        user=user,
        security=security,
        sender=sender,
    )


def _sending(smtp_timeout: str, deadline: str, started: float) -> Sending:
    """Each SMTP step's time limit and the run's deadline (counted from `started`)."""
    from renewal_cli.mail.deliver import Sending

    return Sending(
        timeout=seconds(smtp_timeout, "--smtp-timeout"),
        deadline=started + seconds(deadline, "--deadline"),
        monotonic=time.monotonic,
        clock=recorded_now,
    )


def _run(
    request: Request,
    job: MailJob,
    record: DeliveryArgs,
    report: Reporter,
    to_holders: tuple[Office, list[str]] | None,
    with_report: bool = False,
) -> tuple[Outcome, int]:
    """Read the registers and deliver, holding the delivery record (its lock too, unless this
    is a dry run); the outcome and the number of recipients not known to be sent."""
    from renewal_cli.mail.deliver import CHANNEL, deliver, deliver_to_holders

    dry = job.dry_run is not None
    with ledger_for(record, channel=CHANNEL, as_of=job.as_of, dry_run=dry, report=report) as ledger:
        outcome, pages = _selected(request, report, with_report)
        job = replace(job, ledger=ledger, report=pages)
        done = (
            deliver(outcome.items, job)
            if to_holders is None
            else deliver_to_holders(outcome.items, job, *to_holders)
        )
        return outcome, _report(report, done, job.dry_run, ledger.period)


def _selected(
    request: Request, report: Reporter, with_report: bool
) -> tuple[Outcome, Callable[[str | None], bytes] | None]:
    """The items to mail and, with --report, each place's report page (one reading). The
    report names every holder of its place: never for --holders (refused before the lock)."""
    if not with_report:
        return run_selection(request, report), None
    from renewal_cli.jobs import report_pages, sources_of

    basis, outcome = run_report(request, report)
    return outcome, report_pages(basis, request, sources_of(outcome))


@selecting
def mail(
    args: SelectionArgs,
    remind: RemindOpt = "30,7",
    to: ToOpt = None,
    contacts: ContactsOpt = None,
    split_by: SplitOpt = None,
    smtp_host: HostOpt = None,
    smtp_port: PortOpt = None,
    smtp_user: UserOpt = None,
    smtp_security: SecurityOpt = None,
    sender: FromOpt = None,
    dry_run: DryRunOpt = None,
    quiet: QuietOpt = False,
    holders: HoldersOpt = False,
    cc: CcOpt = None,
    office: OfficeOpt = None,
    office_contact: OfficeContactOpt = None,
    letterhead: LetterheadOpt = None,
    state: StateOpt = None,
    wait: WaitOpt = "0",
    period: PeriodOpt = "week",
    resend: ResendOpt = False,
    smtp_timeout: SmtpTimeoutOpt = "30",
    deadline: DeadlineOpt = "600",
    with_report: ReportOpt = False,
) -> None:
    """把提醒日历和清单发邮件给各地负责人 / Mail each officer the calendar and digest of their place."""
    started = time.monotonic()
    with edge(args.lang, quiet) as report:
        from renewal_cli.mail.contacts import read_contacts
        from renewal_cli.mail.deliver import MailJob
        from renewal_cli.output.calendar import parse_remind
        from renewal_cli.places import SplitBy, guangxi

        if with_report and holders:  # before the lock and the reading
            raise UsageError("usage.report_holders")
        by = one_choice(split_by, SplitBy, "--split-by")
        recipients = _recipients(to, contacts, by, holders)
        copies = addresses(cc)
        sender_office = (
            office_of(office, office_contact, letterhead, args.policy) if holders else None
        )
        settings = _settings(dry_run, smtp_host, smtp_port, smtp_user, smtp_security, sender)
        request = request_of(args, report, quiet)
        job = MailJob(
            settings=settings,
            as_of=request.as_of,
            plan_year=request.policy.plan_year,
            plan_used=request.policy.plan_used,
            lang=request.lang,
            now=message_date(),
            recipients=recipients,
            contacts=read_contacts(contacts, guangxi(), SplitBy.CITY) if contacts else None,
            split_by=by,
            scope=request.selection.scope,
            remind_days=parse_remind(remind),
            dry_run=dry_run,
            skip_empty=quiet,
            sending=_sending(smtp_timeout, deadline, started),
        )
        record = DeliveryArgs(state, wait, period, resend)
        to_holders = (sender_office, copies) if sender_office is not None else None
        outcome, failed = _run(request, job, record, report, to_holders, with_report)
        if failed:
            report.line(report.count_line(outcome))
            raise typer.Exit(EXIT_FAILURE)
        report.finish(outcome, request)
