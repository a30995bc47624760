"""`renewal mail`: each officer the calendar and digest of their place, by SMTP or as .eml."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from renewal_cli.cli.common import (
    CHINA,
    QuietOpt,
    RemindOpt,
    Reporter,
    SplitOpt,
    edge,
    join_places,
    run_selection,
    selecting,
    today_in_china,
)
from renewal_cli.cli.notice import LetterheadOpt, OfficeContactOpt, OfficeOpt, office_of
from renewal_cli.errors import EXIT_FAILURE, UsageError
from renewal_cli.present import describe_failure, place_label
from renewal_cli.request import SelectionArgs, addresses, build_request, one_choice

if TYPE_CHECKING:  # the mail package loads the calendar code: only when mail is sent
    from renewal_cli.mail.deliver import MailReport
    from renewal_cli.mail.smtp import SmtpSettings

ToOpt = Annotated[
    list[str] | None,
    typer.Option("--to", metavar="ADDR", help="收件人（可重复）/ Recipient (repeatable)."),
]
ContactsOpt = Annotated[
    Path | None,
    typer.Option(
        "--contacts",
        metavar="FILE",
        help="联系人 CSV（地区,姓名,邮箱）/ Contacts CSV: place, name, email.",
    ),
]
HostOpt = Annotated[
    str | None,
    typer.Option("--smtp-host", metavar="HOST", help="SMTP 服务器 / $RENEWAL_SMTP_HOST."),
]
PortOpt = Annotated[
    str | None, typer.Option("--smtp-port", metavar="PORT", help="SMTP 端口 / $RENEWAL_SMTP_PORT.")
]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--smtp-user",
        metavar="USER",
        help="SMTP 用户；密码只从 $RENEWAL_SMTP_PASSWORD 读取 / User; password from env only.",
    ),
]
SecurityOpt = Annotated[
    str | None,
    typer.Option(
        "--smtp-security",
        metavar="starttls|ssl|none",
        help="连接加密方式 / $RENEWAL_SMTP_SECURITY (default starttls).",
    ),
]
FromOpt = Annotated[
    str | None, typer.Option("--from", metavar="ADDR", help="发件人 / Sender, $RENEWAL_MAIL_FROM.")
]
HoldersOpt = Annotated[
    bool,
    typer.Option(
        "--holders",
        help="发给台账里有电子邮箱的每个获证主体（各自的事项、日历和告知书）/ Mail each holder "
        "with an address in the register its own items, calendar and notice.",
    ),
]
CcOpt = Annotated[
    list[str] | None,
    typer.Option("--cc", metavar="ADDR", help="抄送（如本单位）/ Copy to (the officer)."),
]
DryRunOpt = Annotated[
    Path | None,
    typer.Option(
        "--dry-run",
        metavar="DIR",
        help="不发送，把邮件写成 .eml 文件 / Write .eml files into DIR instead of sending.",
    ),
]


def _report(report: Reporter, mail_report: MailReport, dry_run: Path | None) -> int:
    """Every recipient as sent or not sent; the number that failed."""
    lang = report.lang
    for holder in mail_report.two_addresses:
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
    if mail_report.orphans:
        where = sorted(
            {place_label(i.certificate.city, i.certificate.county) for i in mail_report.orphans}
        )
        report.line(
            report.say(
                "mail.no_contact", count=len(mail_report.orphans), places=join_places(where, lang)
            )
        )
    if mail_report.unreachable:
        report.line(report.say("mail.no_address", count=len(mail_report.unreachable)))
        for holder in mail_report.unreachable:
            phone = holder.phone or report.say("mail.no_phone")
            who = holder.contact or ""
            report.line(f"  {holder.name}  {who}  {phone}".rstrip())
    if dry_run is not None:
        report.note("mail.eml_written", count=len(mail_report.written), directory=dry_run)
        return 0
    for d in mail_report.deliveries:
        place = d.place or report.say("mail.all_places")
        if d.sent:
            report.note("mail.sent", recipient=d.recipient, place=place)
        else:
            why = describe_failure(d.reason or "rejected", d.error or "", d.server, lang)
            report.line(report.say("mail.not_sent", recipient=d.recipient, place=place, error=why))
    failed = mail_report.failed
    if mail_report.deliveries and (failed or not report.quiet):
        report.line(
            report.say("mail.report", sent=len(mail_report.deliveries) - failed, failed=failed)
        )
    return failed


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
) -> None:
    """把提醒日历和清单发邮件给各地负责人 / Mail each officer the calendar and digest of their place."""
    with edge(args.lang, quiet) as report:
        from renewal_cli.mail.contacts import read_contacts
        from renewal_cli.mail.deliver import MailJob, deliver, deliver_to_holders
        from renewal_cli.output.calendar import parse_remind
        from renewal_cli.places import SplitBy, guangxi

        by = one_choice(split_by, SplitBy, "--split-by")
        recipients = _recipients(to, contacts, by, holders)
        copies = addresses(cc)
        sender_office = (
            office_of(office, office_contact, letterhead, args.policy) if holders else None
        )
        settings = _settings(dry_run, smtp_host, smtp_port, smtp_user, smtp_security, sender)
        request = build_request(args, today=today_in_china(), quiet=quiet)
        book = read_contacts(contacts, guangxi(), SplitBy.CITY) if contacts else None
        outcome = run_selection(request, report)
        job = MailJob(
            settings=settings,
            as_of=request.as_of,
            plan_year=request.policy.plan_year,
            lang=request.lang,
            now=datetime.now(tz=CHINA),
            recipients=recipients,
            contacts=book,
            split_by=by,
            scope=request.selection.scope,
            remind_days=parse_remind(remind),
            dry_run=dry_run,
            skip_empty=quiet,
        )
        done = (
            deliver(outcome.items, job)
            if sender_office is None
            else deliver_to_holders(outcome.items, job, sender_office, copies)
        )
        if _report(report, done, dry_run):
            report.line(report.count_line(outcome))
            raise typer.Exit(EXIT_FAILURE)
        report.finish(outcome, request)
