"""Composing one reminder message: subject, plain-text digest, calendar and CSV attachments.

The subject names the place, AS_OF and the counts by status; the digest words every item the
way the table and the calendar do (present.py). Pure: the Date comes in as `now`, the
Message-ID from the delivery ledger. `flatten` gives the bytes that are sent and that a dry run
writes, the same for the same message: MIME boundaries are derived from the parts, not drawn at
random, and a message with a non-ASCII address is written with UTF-8 headers (RFC 6532) as it
is sent with SMTPUTF8.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from renewal_cli import __version__
from renewal_cli.errors import UsageError
from renewal_cli.files import safe_filename
from renewal_cli.mail.addresses import mailbox
from renewal_cli.mail.headers import one_line
from renewal_cli.messages import Lang, text
from renewal_cli.models import ScheduleItem, Status
from renewal_cli.output.csvwriter import csv_encoding
from renewal_cli.present import (
    day_count,
    label,
    place_label,
    plan_note,
    status_label,
    status_parts,
)

# Names the message's place for the delivery report; the To header alone cannot tell.
PLACE_HEADER = "X-Renewal-Place"
MAILER_HEADER = "X-Mailer"


def render_digest(
    items: Sequence[ScheduleItem],
    *,
    place: str | None,
    as_of: date,
    plan_year: int,
    plan_used: int,
    lang: Lang,
    attachments: tuple[str, str],
    report: str | None = None,
) -> str:
    """The plain-text body: a heading (naming the plan used), the counts, one two-line block
    per item, attachments (`report`: the name of the attached report page, if any)."""
    where = place or text("mail.all_places", lang)
    plan = plan_note(plan_year, plan_used, lang)
    lines = [text("mail.heading", lang, place=where, as_of=as_of.isoformat(), plan=plan)]
    if not items:
        lines += ["", text("mail.empty", lang, as_of=as_of.isoformat())]
    else:
        lines.append(text("counts.total", lang, total=len(items), parts=status_parts(items, lang)))
        for item in items:
            c = item.certificate
            lines += [
                "",
                "  ".join(
                    (
                        item.file_by.isoformat(),
                        status_label(item, lang),
                        label(item.action, lang),
                        day_count(item, lang),
                    )
                )
                + _submit_note(item, lang),
                "    "
                + "  ".join((c.cert_id, c.enterprise, c.product, place_label(c.city, c.county))),
            ]
    ics, csv = attachments
    lines += ["", text("mail.attachments", lang, ics=ics, csv=csv), ""]
    if report is not None:
        lines[-1:] = [text("mail.report_attached", lang, name=report), ""]
    lines.append(text("mail.footer", lang, version=__version__))
    # A register cell could hold a bare CR; the body is sent with CRLF line ends only.
    return "\n".join(line.replace("\r", " ") for line in lines) + "\n"


def _submit_note(item: ScheduleItem, lang: Lang) -> str:
    """Why the day to hand the filing in is earlier than the file-by day, when it is."""
    if item.status is not Status.PENDING or item.submit_by in (None, item.file_by):
        return ""
    assert item.submit_by is not None
    return text("mail.submit_by", lang, day=item.submit_by.isoformat())


def unique_mailboxes(values: Sequence[str]) -> list[Address]:
    """The addresses as mailboxes, each once (addresses compared case-blind)."""
    boxes: list[Address] = []
    for value in values:
        box = mailbox(value)
        if all(box.addr_spec.lower() != b.addr_spec.lower() for b in boxes):
            boxes.append(box)
    return boxes


def subject(value: str, lang: Lang, updated: bool) -> str:
    """A subject as one header line, saying "（更新）" when it replaces content sent earlier in
    the same period."""
    line = one_line(value)
    return text("mail.updated", lang, subject=line) if updated else line


def message_id(key: str, sender: str) -> str:
    """The Message-ID for `key` (from the delivery ledger: recipients, period, content), at
    the sender's domain (IDNA), so two copies of one message carry the same id."""
    return f"<{key}@{mailbox(sender).domain}>"


def stamp(message: EmailMessage, now: datetime, msgid: str) -> None:
    """The headers every message of ours carries: Date, Message-ID, Auto-Submitted, X-Mailer
    (the outbox knows its own .eml files by the last)."""
    message["Date"] = format_datetime(now)
    message["Message-ID"] = msgid
    # A cron job's mail: no vacation auto-replies back to it (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message[MAILER_HEADER] = f"renewal-cli {__version__}"


def build_message(
    *,
    place: str | None,
    recipients: Sequence[str],
    sender: str,
    items: Sequence[ScheduleItem],
    as_of: date,
    plan_year: int,
    plan_used: int,
    lang: Lang,
    calendar: bytes,
    csv_text: str,
    now: datetime,
    msgid: str,
    updated: bool = False,
    report: bytes | None = None,
) -> EmailMessage:
    """One reminder message for `place` (None: every place) to `recipients`.

    `recipients` and `sender` are addresses, with or without a display name ("张三 <a@b.cn>").
    `calendar` should be rendered with organizer=sender: RFC 6047 wants a mailed calendar's
    METHOD to match the Content-Type's, and METHOD:PUBLISH needs an ORGANIZER. `now` (aware)
    becomes the Date header, `msgid` the Message-ID; `updated` marks the subject as an update. `report` is the report page (HTML),
    attached when given.
    Raises RenewalError (usage) for a bad address or no recipients.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if b"\r\nMETHOD:PUBLISH\r\n" not in calendar:
        raise ValueError("render the calendar with organizer=sender (METHOD:PUBLISH) to mail it")
    if not recipients:
        raise UsageError("mail.no_recipients")
    to = unique_mailboxes(recipients)
    from_ = mailbox(sender)
    where = one_line(place) if place else None
    stem = f"renewal-{where or 'all'}-{as_of.isoformat()}"
    ics_name = safe_filename(stem, ".ics")
    csv_name = safe_filename(stem, ".csv")

    message = EmailMessage(policy=policy.SMTP)
    message["From"] = from_
    message["To"] = to
    message["Subject"] = subject(
        text(
            "mail.subject",
            lang,
            place=where or text("mail.all_places", lang),
            as_of=as_of.isoformat(),
            counts=status_parts(items, lang),
        ),
        lang,
        updated,
    )
    stamp(message, now, msgid)
    if where:
        message[PLACE_HEADER] = where
    body = render_digest(
        items,
        place=where,
        as_of=as_of,
        plan_year=plan_year,
        plan_used=plan_used,
        lang=lang,
        attachments=(ics_name, csv_name),
        report=safe_filename(stem, ".html") if report is not None else None,
    )
    # base64 rather than 8bit: a relay without 8BITMIME must not mangle the Chinese text.
    message.set_content(body, charset="utf-8", cte="base64")
    _attach(message, calendar, ics_name, csv_text, csv_name)
    if report is not None:
        message.add_attachment(
            report,
            maintype="text",
            subtype="html",
            params={"charset": "UTF-8"},
            filename=safe_filename(stem, ".html"),
        )
    fix_boundaries(message)
    return message


def _attach(
    message: EmailMessage, calendar: bytes, ics_name: str, csv_text: str, csv_name: str
) -> None:
    """The calendar and the CSV, as bytes in base64, so CRLF line ends arrive untouched."""
    message.add_attachment(
        calendar,
        maintype="text",
        subtype="calendar",
        params={"method": "PUBLISH", "charset": "UTF-8"},
        filename=ics_name,
    )
    # Written as a CSV file is (csvwriter): UTF-8 with the BOM that makes Excel on Chinese
    # Windows read it as UTF-8 rather than GBK.
    csv_bytes = csv_encoding(to_file=True).encode_text(csv_text.removeprefix("\ufeff"))
    message.add_attachment(
        csv_bytes,
        maintype="text",
        subtype="csv",
        params={"charset": "UTF-8"},
        filename=csv_name,
    )


def recipients_of(message: EmailMessage) -> list[str]:
    """The envelope recipients of a message: every address in To, Cc and Bcc, once each."""
    unique: dict[str, str] = {}
    for addr in _addresses(message, _RECIPIENT):
        if addr:
            unique.setdefault(addr.lower(), addr)
    return list(unique.values())


def place_of(message: EmailMessage) -> str | None:
    value = message.get(PLACE_HEADER)
    return str(value) if value is not None else None


def fix_boundaries(message: EmailMessage) -> None:
    """Give each multipart a boundary derived from its parts, innermost first, in the form
    Python draws at random (=============== + 19 digits + ==): the same parts, the same bytes.
    As Python does, a boundary that occurs as a line in the parts gets a suffix."""
    for part in reversed([p for p in message.walk() if p.is_multipart()]):
        assert isinstance(part, EmailMessage)
        inside = b"".join(p.as_bytes(policy=policy.SMTP) for p in part.iter_parts())
        token = int.from_bytes(hashlib.sha256(inside).digest()[:8], "big") % sys.maxsize
        base = f"{'=' * 15}{token:019d}=="
        boundary, counter = base, 0
        while re.search(b"(?m)^--" + re.escape(boundary.encode()) + b"(--)?\r?$", inside):
            boundary, counter = f"{base}.{counter}", counter + 1
        part.set_boundary(boundary)


def needs_utf8(message: EmailMessage) -> bool:
    """Whether an address of the message has a non-ASCII local part (domains are IDNA): its
    headers are then UTF-8 and it is sent with SMTPUTF8."""
    return not all(address.isascii() for address in _addresses(message, ("From", *_RECIPIENT)))


def flatten(message: EmailMessage) -> bytes:
    """The message as it goes over SMTP, CRLF line ends: what is sent and what a dry run
    writes."""
    wire = policy.SMTPUTF8 if needs_utf8(message) else policy.SMTP
    return message.as_bytes(policy=wire)


_RECIPIENT = ("To", "Cc", "Bcc")


def _addresses(message: EmailMessage, keys: Sequence[str]) -> list[str]:
    found: list[str] = []
    for key in keys:
        for header in message.get_all(key, []):
            # Parsed address headers know their addresses; a display name may hold a comma.
            addresses = getattr(header, "addresses", None)
            if addresses is not None:
                found += [a.addr_spec for a in addresses]
            else:
                found += [addr for _, addr in getaddresses([str(header)])]
    return found
