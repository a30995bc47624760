"""Sending over SMTP: settings from options and the environment, one session, a report per
recipient. Never raises for a failed delivery: a cron job must learn exactly who got their mail.
The password lives in a SecretStr and is scrubbed from every error text, so it never reaches a
log. Known SMTP reply codes and errno values are worded in the user's language; the server's
own words are quoted after them.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr

from renewal_cli.errors import UsageError
from renewal_cli.mail.addresses import mailbox
from renewal_cli.mail.compose import place_of, recipients_of

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "ssl", "none")
DEFAULT_PORTS: dict[Security, int] = {"starttls": 587, "ssl": 465, "none": 25}

# Why a recipient was not reached (a reason key the command line words) and the detail: the
# server's reply ("535 5.7.8 …") or the system's error ("[Errno 111] Connection refused").
Failure = tuple[str, str]

# Hosts where a login without TLS never leaves the machine.
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


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
        raise UsageError("mail.no_host")
    sender = pick("sender", "RENEWAL_MAIL_FROM")
    if sender is None:
        raise UsageError("mail.no_sender")
    mailbox(sender)
    security = (pick("security", "RENEWAL_SMTP_SECURITY") or "starttls").lower()
    if security not in SECURITIES:
        raise UsageError("mail.bad_security", value=security)
    port_text = pick("port", "RENEWAL_SMTP_PORT")
    if port_text is None:
        port = DEFAULT_PORTS[security]
    elif port_text.isascii() and port_text.isdigit() and 1 <= int(port_text) <= 65535:
        port = int(port_text)
    else:
        raise UsageError("mail.bad_port", value=port_text)
    password = pick("password", "RENEWAL_SMTP_PASSWORD")
    user = pick("user", "RENEWAL_SMTP_USER")
    if user is not None and security == "none" and host not in LOOPBACK:
        # A login without TLS would send the password across the network in clear.
        raise UsageError("mail.plain_login", host=host)
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
    reason: str | None = None
    """Why not: connect, no_starttls, login, login_not_ascii, session, recipient, sender,
    smtputf8, rejected, lost, hung_up, not_sent."""
    error: str | None = None
    """The server's reply or the system's error text, the password scrubbed from it."""
    server: str = ""


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
    """A one-line reason for a failure, naming the server's reply when there was one.

    OS errors are given as "[Errno N] text", so the command line can word the known ones.
    """
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, OSError) and error.errno is not None:
        return f"[Errno {error.errno}] {error.strerror}"
    return str(error) or type(error).__name__


class _ConnectError(Exception):
    """The server could not be reached, or turned the session down before any mail."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def _connect(settings: SmtpSettings, timeout: float) -> smtplib.SMTP:
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=timeout, context=context
            )
        else:
            conn = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    except (OSError, UnicodeError) as err:  # UnicodeError: a host name IDNA cannot encode
        raise _ConnectError("connect", _describe(err)) from None
    try:
        conn.ehlo_or_helo_if_needed()
        if settings.security == "starttls":
            # Never fall back to plain text: the password would cross the network in clear.
            if not conn.has_extn("starttls"):
                raise _ConnectError("no_starttls")
            conn.starttls(context=context)
            conn.ehlo()
        if settings.user is not None:
            secret = settings.password.get_secret_value() if settings.password else ""
            try:
                conn.login(settings.user, secret)
            except (smtplib.SMTPException, OSError) as err:
                raise _ConnectError("login", _describe(err)) from None
            except UnicodeError:
                # smtplib sends credentials as ASCII; say so without echoing them.
                raise _ConnectError("login_not_ascii") from None
    except _ConnectError:
        _close(conn)
        raise
    except OSError as err:
        _close(conn)
        raise _ConnectError("session", _describe(err)) from None
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
) -> dict[str, Failure]:
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
        fallback = next(iter(reasons.values()), "")
        return {
            addr: ("recipient", reasons[addr]) if addr in reasons else ("not_sent", fallback)
            for addr in recipients
        }
    except smtplib.SMTPSenderRefused as err:
        if err.smtp_code == 421:
            raise _HungUp(_describe(err)) from None
        return dict.fromkeys(recipients, ("sender", _describe(err)))
    except smtplib.SMTPNotSupportedError:
        # Python's own words, not the server's: the reason says it all.
        return dict.fromkeys(recipients, ("smtputf8", ""))
    except smtplib.SMTPServerDisconnected:
        raise
    except smtplib.SMTPException as err:
        # Data rejected and the like: the server turned this message down as a whole.
        return dict.fromkeys(recipients, ("rejected", _describe(err)))
    return {addr: ("recipient", _reply(code, reply)) for addr, (code, reply) in refused.items()}


class _Session:
    """One SMTP session, opened when first needed and opened again after the server hung up.

    When the server cannot be reached at all, that reason is kept and no further attempt is
    made: a cron run must not wait out one connection timeout per message.
    """

    def __init__(self, settings: SmtpSettings, timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout
        self.conn: smtplib.SMTP | None = None
        self.down: Failure | None = None

    def ready(self) -> smtplib.SMTP | None:
        if self.conn is not None and not _alive(self.conn):
            self.drop()
        if self.conn is None and self.down is None:
            try:
                self.conn = _connect(self.settings, self.timeout)
            except _ConnectError as err:
                self.down = (err.reason, err.detail)
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
) -> dict[str, Failure]:
    """The recipients `message` did not reach, with the reasons."""
    reason = ""
    for _ in range(2):
        conn = session.ready()
        if conn is None:
            return dict.fromkeys(recipients, session.down or ("connect", ""))
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
            return dict.fromkeys(recipients, ("lost", _describe(err)))
    return dict.fromkeys(recipients, ("hung_up", reason))


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
                failure = failures.get(rcpt)
                deliveries.append(
                    Delivery(
                        recipient=rcpt,
                        place=place,
                        sent=failure is None,
                        reason=failure[0] if failure is not None else None,
                        error=scrub(failure[1]) if failure is not None else None,
                        server=f"{settings.host}:{settings.port}",
                    )
                )
    finally:
        session.close()
    return deliveries
