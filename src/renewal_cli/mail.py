"""The reminder mail: building messages, sending them over SMTP, or writing them as .eml files.

A message carries a subject naming the place, AS_OF and the counts by status; a plain-text digest
of the items; the calendar (.ics, METHOD:PUBLISH) and the CSV as attachments. Sending reports
every recipient as sent or not sent, never raising for a failed delivery: a cron job must learn
exactly who got their mail. The SMTP password lives in a SecretStr and is scrubbed from every
error text, so it can never reach a log.
"""

from __future__ import annotations

import base64
import re
import smtplib
import ssl
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr

from renewal_cli import __version__
from renewal_cli.errors import EXIT_USAGE, RenewalError
from renewal_cli.files import write_atomic
from renewal_cli.messages import Lang, label, text
from renewal_cli.models import ScheduleItem, Status
from renewal_cli.output.calendar import safe_filename, split_items

if TYPE_CHECKING:  # contacts imports this module (is_address)
    from renewal_cli.contacts import Contact

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "ssl", "none")
DEFAULT_PORTS: dict[Security, int] = {"starttls": 587, "ssl": 465, "none": 25}

# Hosts where a login without TLS never leaves the machine.
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})

# Names the message's place for the delivery report; the To header alone cannot tell.
PLACE_HEADER = "X-Renewal-Place"

# An address the SMTP servers of Chinese providers (163.com, qq.com, gov.cn mail) accept without
# SMTPUTF8: ASCII local part and a dotted host name.
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def is_address(value: str) -> bool:
    """Whether `value` is a plain e-mail address (local@domain.tld), nothing around it."""
    return len(value) <= 254 and _ADDRESS.fullmatch(value) is not None


class SmtpSettings(BaseModel):
    """How to reach the SMTP server. The password prints as '**********' in str and repr."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    host: str
    port: int
    user: str | None = None
    password: SecretStr | None = None
    security: Security = "starttls"
    sender: str


def smtp_settings_from(env: Mapping[str, str], **overrides: Any) -> SmtpSettings:
    """Settings from RENEWAL_SMTP_* / RENEWAL_MAIL_FROM in `env`, with CLI `overrides` winning.

    Overrides are keyed like the fields (host, port, user, password, security, sender); None
    means "not given". The port defaults by security: 587 starttls, 465 ssl, 25 none. Raises
    RenewalError (usage) for a missing host or sender, a bad port, security or sender address.
    """
    unknown = set(overrides) - set(SmtpSettings.model_fields)
    if unknown:
        raise TypeError(f"unknown SMTP settings: {', '.join(sorted(unknown))}")

    def pick(name: str, variable: str) -> str | None:
        given = overrides.get(name)
        if given is not None:
            return given.get_secret_value() if isinstance(given, SecretStr) else str(given)
        value = env.get(variable, "").strip()
        return value or None

    host = pick("host", "RENEWAL_SMTP_HOST")
    if host is None:
        raise RenewalError("mail.no_host", exit_code=EXIT_USAGE)
    sender = pick("sender", "RENEWAL_MAIL_FROM")
    if sender is None:
        raise RenewalError("mail.no_sender", exit_code=EXIT_USAGE)
    _mailbox(sender)
    security = (pick("security", "RENEWAL_SMTP_SECURITY") or "starttls").lower()
    if security not in SECURITIES:
        raise RenewalError("mail.bad_security", exit_code=EXIT_USAGE, value=security)
    port_text = pick("port", "RENEWAL_SMTP_PORT")
    if port_text is None:
        port = DEFAULT_PORTS[security]
    elif port_text.isascii() and port_text.isdigit() and 1 <= int(port_text) <= 65535:
        port = int(port_text)
    else:
        raise RenewalError("mail.bad_port", exit_code=EXIT_USAGE, value=port_text)
    password = pick("password", "RENEWAL_SMTP_PASSWORD")
    user = pick("user", "RENEWAL_SMTP_USER")
    if user is not None and security == "none" and host not in LOOPBACK:
        # A login without TLS would send the password across the network in clear.
        raise RenewalError("mail.plain_login", exit_code=EXIT_USAGE, host=host)
    return SmtpSettings(
        host=host,
        port=port,
        user=user,
        password=SecretStr(password) if password is not None else None,
        security=security,
        sender=sender,
    )


class Delivery(BaseModel):
    """What happened to one recipient of one message."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    recipient: str
    place: str | None
    sent: bool
    error: str | None = None


def _counts(items: Sequence[ScheduleItem], lang: Lang) -> str:
    """ "待申报 3，已逾期 2": non-zero counts in the order of the Status enum."""
    counts = Counter(item.status for item in items)
    sep = "，" if lang is Lang.ZH else ", "
    parts = [f"{label(s, lang)} {counts[s]}" for s in Status if counts[s]]
    return sep.join(parts) if parts else text("mail.nothing", lang)


def _when(item: ScheduleItem, lang: Lang) -> str:
    if item.status is Status.FILED and item.filed_on is not None:
        return text("mail.filed_on", lang, filed_on=item.filed_on.isoformat())
    if item.days_left > 0:
        return text("mail.days_left", lang, days=item.days_left)
    if item.days_left == 0:
        return text("mail.due_today", lang)
    return text("mail.days_over", lang, days=-item.days_left)


def render_digest(
    items: Sequence[ScheduleItem],
    *,
    place: str | None,
    as_of: date,
    plan_year: int,
    lang: Lang,
    attachments: tuple[str, str],
) -> str:
    """The plain-text body: a heading, the counts, one two-line block per item, attachments."""
    where = place or text("mail.all_places", lang)
    lines = [text("mail.heading", lang, place=where, as_of=as_of.isoformat(), plan_year=plan_year)]
    if not items:
        lines += ["", text("mail.empty", lang, as_of=as_of.isoformat())]
    else:
        lines.append(text("table.counts", lang, total=len(items), parts=_counts(items, lang)))
        for item in items:
            c = item.certificate
            area = c.city if c.county is None else f"{c.city} {c.county}"
            lines += [
                "",
                "  ".join(
                    (
                        item.file_by.isoformat(),
                        label(item.status, lang),
                        label(item.action, lang),
                        _when(item, lang),
                    )
                ),
                "    " + "  ".join((c.cert_id, c.enterprise, c.product, area)),
            ]
    ics, csv = attachments
    lines += ["", text("mail.attachments", lang, ics=ics, csv=csv), ""]
    lines.append(text("mail.footer", lang, version=__version__))
    # A register cell could hold a bare CR; the body is sent with CRLF line ends only.
    return "\n".join(line.replace("\r", " ") for line in lines) + "\n"


def _one_line(value: str) -> str:
    """Header text from register data: control characters would break or forge headers."""
    return "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in value).strip()


def _mailbox(value: str) -> Address:
    """One address, with or without a display name. Raises RenewalError (usage) otherwise.

    parseaddr alone is not enough: it quietly drops the second of "a@b.cn, c@d.cn" and reads
    an address with a header smuggled in after a line break as a valid one.
    """
    parsed = getaddresses([value])
    if (
        len(parsed) != 1
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in value)
        or not is_address(parsed[0][1])
        or parsed[0][1] not in value
    ):
        raise RenewalError("mail.bad_address", exit_code=EXIT_USAGE, value=value)
    name, addr = parsed[0]
    return Address(display_name=name, addr_spec=addr)


def build_message(
    *,
    place: str | None,
    recipients: Sequence[str],
    sender: str,
    items: Sequence[ScheduleItem],
    as_of: date,
    plan_year: int,
    lang: Lang,
    calendar: bytes,
    csv_text: str,
    now: datetime,
) -> EmailMessage:
    """One reminder message for `place` (None: every place) to `recipients`.

    `recipients` and `sender` are addresses, with or without a display name ("张三 <a@b.cn>").
    `calendar` should be rendered with organizer=sender: RFC 6047 wants a mailed calendar's
    METHOD to match the Content-Type's, and METHOD:PUBLISH needs an ORGANIZER. `now` (aware)
    becomes the Date header. Raises RenewalError (usage) for a bad address or no recipients.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if b"\r\nMETHOD:PUBLISH\r\n" not in calendar:
        raise ValueError("render the calendar with organizer=sender (METHOD:PUBLISH) to mail it")
    if not recipients:
        raise RenewalError("mail.no_recipients", exit_code=EXIT_USAGE)
    to: list[Address] = []
    for recipient in recipients:
        mailbox = _mailbox(recipient)
        if all(mailbox.addr_spec.lower() != t.addr_spec.lower() for t in to):
            to.append(mailbox)
    from_ = _mailbox(sender)
    where = _one_line(place) if place else None
    stem = f"renewal-{where or 'all'}-{as_of.isoformat()}"
    ics_name = safe_filename(stem, ".ics")
    csv_name = safe_filename(stem, ".csv")

    message = EmailMessage(policy=policy.SMTP)
    message["From"] = from_
    message["To"] = to
    message["Subject"] = text(
        "mail.subject",
        lang,
        place=where or text("mail.all_places", lang),
        as_of=as_of.isoformat(),
        counts=_counts(items, lang),
    )
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=from_.domain)
    # A cron job's mail: no vacation auto-replies back to it (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    if where:
        message[PLACE_HEADER] = where
    body = render_digest(
        items,
        place=where,
        as_of=as_of,
        plan_year=plan_year,
        lang=lang,
        attachments=(ics_name, csv_name),
    )
    # base64 rather than 8bit: a relay without 8BITMIME must not mangle the Chinese text.
    message.set_content(body, charset="utf-8", cte="base64")
    # Both attachments go as bytes in base64, so the calendar's CRLF line ends arrive untouched.
    message.add_attachment(
        calendar,
        maintype="text",
        subtype="calendar",
        params={"method": "PUBLISH", "charset": "UTF-8"},
        filename=ics_name,
    )
    # The BOM makes Excel on Chinese Windows read the CSV as UTF-8 rather than GBK.
    csv_bytes = ("\ufeff" + csv_text.removeprefix("\ufeff")).encode("utf-8")
    message.add_attachment(
        csv_bytes,
        maintype="text",
        subtype="csv",
        params={"charset": "UTF-8"},
        filename=csv_name,
    )
    return message


def recipients_of(message: EmailMessage) -> list[str]:
    """The envelope recipients of a message: every address in To, Cc and Bcc, once each."""
    found: list[str] = []
    for key in ("To", "Cc", "Bcc"):
        for header in message.get_all(key, []):
            # Parsed address headers know their addresses; a display name may hold a comma.
            addresses = getattr(header, "addresses", None)
            if addresses is not None:
                found += [a.addr_spec for a in addresses]
            else:
                found += [addr for _, addr in getaddresses([str(header)])]
    unique: dict[str, str] = {}
    for addr in found:
        if addr:
            unique.setdefault(addr.lower(), addr)
    return list(unique.values())


def place_of(message: EmailMessage) -> str | None:
    value = message.get(PLACE_HEADER)
    return str(value) if value is not None else None


class _Scrubber:
    """Removes the password (and its AUTH PLAIN/LOGIN forms) from error texts."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.secrets: list[str] = []
        if settings.password is not None and settings.password.get_secret_value():
            secret = settings.password.get_secret_value()
            user = settings.user or ""
            plain = f"\0{user}\0{secret}".encode()
            self.secrets = [
                secret,
                base64.b64encode(secret.encode()).decode(),
                base64.b64encode(plain).decode(),
            ]

    def __call__(self, message: str) -> str:
        for secret in self.secrets:
            message = message.replace(secret, "**********")
        return message


def _reply(code: int, reply: bytes | str) -> str:
    detail = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {' '.join(detail.split())}"


def _describe(error: BaseException) -> str:
    """A one-line reason for a failure, naming the server's reply when there was one."""
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    if isinstance(error, TimeoutError):
        return "timed out"
    return str(error) or type(error).__name__


class _ConnectError(Exception):
    """The server could not be reached, or turned the session down before any mail."""


def _connect(settings: SmtpSettings, timeout: float) -> smtplib.SMTP:
    where = f"{settings.host}:{settings.port}"
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=timeout, context=context
            )
        else:
            conn = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    except (OSError, UnicodeError) as err:  # UnicodeError: a host name IDNA cannot encode
        raise _ConnectError(f"cannot connect to {where}: {_describe(err)}") from None
    try:
        conn.ehlo_or_helo_if_needed()
        if settings.security == "starttls":
            # Never fall back to plain text: the password would cross the network in clear.
            if not conn.has_extn("starttls"):
                raise _ConnectError(f"{where} does not offer STARTTLS (security=starttls)")
            conn.starttls(context=context)
            conn.ehlo()
        if settings.user is not None:
            secret = settings.password.get_secret_value() if settings.password else ""
            try:
                conn.login(settings.user, secret)
            except (smtplib.SMTPException, OSError) as err:
                raise _ConnectError(f"login to {where} failed: {_describe(err)}") from None
            except UnicodeError:
                # smtplib sends credentials as ASCII; say so without echoing them.
                raise _ConnectError(
                    f"login to {where} failed: the user name or password is not ASCII"
                ) from None
    except _ConnectError:
        _close(conn)
        raise
    except OSError as err:
        _close(conn)
        raise _ConnectError(f"session with {where} failed: {_describe(err)}") from None
    return conn


def _alive(conn: smtplib.SMTP) -> bool:
    """Whether the session still answers (a server may hang up after refusing a message)."""
    try:
        return bool(conn.noop()[0] == 250)
    except OSError:
        return False


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except OSError:
        conn.close()


class _HungUp(Exception):
    """The server closed the session (421) before accepting anything of the message."""


def _send_one(
    conn: smtplib.SMTP, message: EmailMessage, envelope_from: str, recipients: list[str]
) -> dict[str, str]:
    """Send one message; the recipients it did not reach, with the reasons (empty: all reached).

    Raises _HungUp for a 421 to MAIL FROM, and OSError when the connection broke, after which
    nothing of this message counts as sent.
    """
    try:
        refused = conn.send_message(message, from_addr=envelope_from, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as err:
        # Raised when no recipient was accepted, or when the server hung up (421) part-way
        # through the recipients: either way the data was never sent, so nobody got it.
        reasons = {addr: _reply(code, reply) for addr, (code, reply) in err.recipients.items()}
        fallback = next(iter(reasons.values()), "refused")
        return {addr: reasons.get(addr, f"not sent: {fallback}") for addr in recipients}
    except smtplib.SMTPSenderRefused as err:
        if err.smtp_code == 421:
            raise _HungUp(_describe(err)) from None
        return dict.fromkeys(recipients, _describe(err))
    except smtplib.SMTPServerDisconnected:
        raise
    except smtplib.SMTPException as err:
        # Data rejected and the like: the server turned this message down as a whole.
        return dict.fromkeys(recipients, _describe(err))
    return {addr: _reply(code, reply) for addr, (code, reply) in refused.items()}


class _Session:
    """One SMTP session, opened when first needed and opened again after the server hung up.

    When the server cannot be reached at all, that reason is kept and no further attempt is
    made: a cron run must not wait out one connection timeout per message.
    """

    def __init__(self, settings: SmtpSettings, timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout
        self.conn: smtplib.SMTP | None = None
        self.down: str | None = None

    def ready(self) -> smtplib.SMTP | None:
        if self.conn is not None and not _alive(self.conn):
            self.drop()
        if self.conn is None and self.down is None:
            try:
                self.conn = _connect(self.settings, self.timeout)
            except _ConnectError as err:
                self.down = str(err)
        return self.conn

    def drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def close(self) -> None:
        if self.conn is not None:
            _close(self.conn)
            self.conn = None


def _deliver(
    session: _Session, message: EmailMessage, envelope_from: str, recipients: list[str]
) -> dict[str, str]:
    """The recipients `message` did not reach, with the reasons."""
    reason = ""
    for _ in range(2):
        conn = session.ready()
        if conn is None:
            return dict.fromkeys(recipients, session.down or "not connected")
        try:
            return _send_one(conn, message, envelope_from, recipients)
        except _HungUp as err:
            # Many servers cap the messages per session with a 421 to MAIL FROM. Nothing was
            # accepted yet, so one more try on a fresh session cannot deliver twice.
            session.drop()
            reason = str(err)
        except OSError as err:
            # Broken mid-message: whether the server kept it is unknown, so it counts as not
            # sent and is not retried (a retry could deliver it twice).
            session.drop()
            return dict.fromkeys(recipients, f"connection lost: {_describe(err)}")
    return dict.fromkeys(recipients, reason)


def send_messages(
    messages: Sequence[EmailMessage], settings: SmtpSettings, timeout: float = 30
) -> list[Delivery]:
    """Send the messages over one SMTP session; a Delivery per recipient of every message.

    Never raises for a delivery failure: a server that is down, refuses the login, a sender or
    a recipient shows up as `sent=False` with the reason on exactly the recipients concerned.
    A recipient counts as sent only once the server accepted the message's data for it.
    """
    scrub = _Scrubber(settings)
    envelope_from = parseaddr(settings.sender)[1]
    session = _Session(settings, timeout)
    deliveries: list[Delivery] = []
    try:
        for message in messages:
            recipients = recipients_of(message)
            failures = _deliver(session, message, envelope_from, recipients)
            place = place_of(message)
            for rcpt in recipients:
                reason = failures.get(rcpt)
                deliveries.append(
                    Delivery(
                        recipient=rcpt,
                        place=place,
                        sent=reason is None,
                        error=scrub(reason) if reason is not None else None,
                    )
                )
    finally:
        session.close()
    return deliveries


def write_eml(messages: Sequence[EmailMessage], directory: Path) -> list[Path]:
    """Write each message as an .eml file in `directory` (created if needed), atomically.

    Files are named after the message's place ("百色市.eml", "all.eml" for every place), with
    -2, -3 ... when two messages share a place. Raises RenewalError when it cannot write.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RenewalError(
            "output.unwritable", path=str(directory), detail=err.strerror or str(err)
        ) from None
    paths: list[Path] = []
    taken: set[str] = set()
    for message in messages:
        stem = place_of(message) or "all"
        name = safe_filename(stem, ".eml")
        serial = 1
        while name.casefold() in taken:
            serial += 1
            name = safe_filename(f"{stem}-{serial}", ".eml")
        taken.add(name.casefold())
        path = directory / name
        write_atomic(path, message.as_bytes(policy=policy.SMTP))
        paths.append(path)
    return paths


class Batch(BaseModel):
    """One message to send: the place it is about, its recipients and its items."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    place: str | None
    recipients: tuple[str, ...]
    items: tuple[ScheduleItem, ...]


def plan_messages(
    items: Sequence[ScheduleItem],
    *,
    recipients: Sequence[str] = (),
    contacts: Mapping[str, Sequence[Contact]] | None = None,
    split_by: Literal["city", "county"] | None = None,
    place: str | None = None,
    in_scope: Callable[[str], bool] = lambda _: True,
) -> tuple[list[Batch], list[ScheduleItem]]:
    """Who gets which items: the messages to send, and the items nobody gets (to report).

    - `contacts` (place → officers): each officer gets exactly their own area: a city's contact
      every county of it, a county's contact that county. Contacts whose place is outside the
      selection (`in_scope` false) get nothing rather than a misleading "nothing to do".
    - `recipients` with `split_by`: the same people get one message per place.
    - `recipients` alone: one message with every item, about `place`.
    """
    if contacts is not None:
        batches: list[Batch] = []
        covered: set[int] = set()
        for where, people in contacts.items():
            if not in_scope(where):
                continue
            mine = [i for i in items if where in (i.certificate.city, i.certificate.county)]
            covered.update(id(i) for i in mine)
            batches.append(
                Batch(place=where, recipients=tuple(c.mailbox for c in people), items=tuple(mine))
            )
        return batches, [i for i in items if id(i) not in covered]
    if split_by is not None:
        groups = split_items(items, split_by)
        return [
            Batch(place=where, recipients=tuple(recipients), items=tuple(group))
            for where, group in groups.items()
        ], []
    return [Batch(place=place, recipients=tuple(recipients), items=tuple(items))], []
