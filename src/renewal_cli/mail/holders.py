"""Reminders mailed to holders (`renewal mail --holders`): one message per holder.

Each holder with an e-mail address in the register gets its own message: the notice as the
body, its own calendar (.ics: the officer's events for its certificates only; none when no
event is left to remind of) and the notice as a .docx. The subject names the earliest day still
to be met, never one already past. The officer can be copied (--cc). A message holds one holder's items and nothing of any
other holder. Holders without a usable address are returned, for the officer to phone. Pure
planning and composing; sending is smtp.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from email import policy
from email.message import EmailMessage

from renewal_cli.files import safe_filename
from renewal_cli.holders import Holder, Office, group_by_holder
from renewal_cli.mail.addresses import is_address, mailbox
from renewal_cli.mail.compose import (
    PLACE_HEADER,
    fix_boundaries,
    stamp,
    subject,
    unique_mailboxes,
)
from renewal_cli.mail.headers import one_line
from renewal_cli.messages import Lang, text
from renewal_cli.models import ScheduleItem, Status
from renewal_cli.output.calendar import event_count, render_calendar
from renewal_cli.output.notice import (
    RENEWAL_KINDS,
    format_date,
    has_notice,
    notice_docx,
    notice_items,
    notice_text,
    notice_title,
)

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def holders_to_mail(items: Sequence[ScheduleItem]) -> tuple[list[Holder], list[Holder]]:
    """Holders with something to do: those with a usable e-mail address, and those without."""
    reachable: list[Holder] = []
    unreachable: list[Holder] = []
    for holder in group_by_holder(items):
        if not has_notice(holder):
            continue
        address = holder.email or ""
        (reachable if is_address(address) else unreachable).append(holder)
    return reachable, unreachable


def holder_subject(holder: Holder, office: Office, lang: Lang) -> str:
    """The subject: how many items the notice lists and the earliest day still to be met. A
    day already past is never named as one to meet: with some items late or expired the
    subject counts them apart, and with all of them it names no day."""
    due = notice_items(holder)  # what the notice in the body lists
    pending = [i for i in due if i.status is Status.PENDING]
    key = "mail.holder_subject"
    if not pending:
        key = "mail.holder_subject.closed"
    elif len(pending) < len(due):
        key = "mail.holder_subject.mixed"
    submit_by = min((i.submit_by or i.file_by for i in pending), default=None)
    renewal = any(i.kind in RENEWAL_KINDS for i in due)
    return text(
        key,
        lang,
        tag=text("mail.holder_tag" if renewal else "mail.holder_tag.other", lang),
        office=office.name,
        holder=holder.name,
        count=len(due),
        closed=len(due) - len(pending),
        submit_by=format_date(submit_by, lang) if submit_by is not None else "",
    )


def compose_holder(
    holder: Holder,
    *,
    office: Office,
    sender: str,
    cc: Sequence[str],
    as_of: date,
    lang: Lang,
    now: datetime,
    remind_days: Sequence[int],
    msgid: str,
    updated: bool = False,
    label: str | None = None,
) -> EmailMessage:
    """The holder's message: the notice as text, its calendar (when it has an event) and the
    notice as .docx.
    `msgid` is its Message-ID; `updated` marks the subject as an update; `label` names the
    holder in the place header (the .eml file and the send line) and the attachments' names,
    "绿源种植专业合作社-田阳区" for one of two namesakes (holders.holder_labels), else its
    name."""
    shown = label or holder.name
    assert holder.email is not None
    from_ = mailbox(sender)
    copies = unique_mailboxes(cc)
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = from_
    message["To"] = mailbox(holder.email)
    if copies:
        message["Cc"] = copies
    message["Subject"] = subject(holder_subject(holder, office, lang), lang, updated)
    stamp(message, now, msgid)
    message[PLACE_HEADER] = one_line(shown)
    body = notice_text(holder, office, as_of, lang)
    message.set_content(body.replace("\r", " "), charset="utf-8", cte="base64")
    # A holder whose items are all past their last day (expired: a new application, no date to
    # meet) would get a calendar without one event: it gets none.
    if event_count(holder.items, as_of=as_of, remind_days=remind_days):
        calendar = render_calendar(
            holder.items,
            as_of=as_of,
            lang=lang,
            name=holder.name,
            remind_days=remind_days,
            organizer=sender,
            outward=True,
        )
        message.add_attachment(
            calendar,
            maintype="text",
            subtype="calendar",
            params={"method": "PUBLISH", "charset": "UTF-8"},
            filename=safe_filename(f"{shown}-{as_of.isoformat()}", ".ics"),
        )
    maintype, subtype = DOCX_TYPE
    message.add_attachment(
        notice_docx(holder, office, as_of, lang),
        maintype=maintype,
        subtype=subtype,
        filename=safe_filename(f"{notice_title(holder, lang)}-{shown}", ".docx"),
    )
    fix_boundaries(message)
    return message
