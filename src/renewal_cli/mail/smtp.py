"""Sending over SMTP: settings from options and the environment, one session, a report per
recipient. Never raises for a failed delivery: a cron job must learn exactly who got their mail.
The password lives in a SecretStr and is scrubbed from every error text, so it never reaches a
log. Known SMTP reply codes and errno values are worded in the user's language; the server's
own words are quoted after them.
"""

from __future__ import annotations

import base64
import re
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr

from renewal_cli.errors import UsageError
from renewal_cli.mail.addresses import mailbox
from renewal_cli.mail.compose import flatten, needs_utf8, place_of, recipients_of

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


# Reasons after which the message may or may not have reached the server: it was handed over
# in full, then the connection broke ("lost") or the server said nothing in time ("no_answer").
UNKNOWN_REASONS = frozenset({"lost", "no_answer"})


class Delivery(BaseModel):
    """What happened to one recipient of one message."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    recipient: str
    place: str | None
    sent: bool
    reason: str | None = None
    """Why not: connect, no_starttls, login, login_not_ascii, session, recipient, sender,
    smtputf8, rejected, lost, no_answer, unanswered, hung_up, not_sent, stopped, deadline."""
    error: str | None = None
    """The server's reply or the system's error text, the password scrubbed from it."""
    server: str = ""

    @property
    def unknown(self) -> bool:
        """Whether the server may have the message all the same (it is not sent again in this
        run: the next run sends it again, under the same Message-ID)."""
        return self.reason in UNKNOWN_REASONS


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


def _timed_out(error: BaseException) -> bool:
    """Whether `error` comes from a timeout: smtplib turns a socket timeout into
    SMTPServerDisconnected raised while handling it, so the chain is searched."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


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


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except OSError:
        conn.close()


def _reset(conn: smtplib.SMTP) -> None:
    """RSET after a refused transaction; a server gone meanwhile is found out later."""
    try:
        conn.rset()
    except OSError:
        conn.close()


class _HungUp(Exception):
    """The server closed the session (421) before accepting anything of the message."""


class _Broken(Exception):
    """The session failed in the middle of a message: before its data was handed over in full
    (so the server cannot have accepted it), or after (the outcome is unknown)."""

    def __init__(self, error: OSError, handed_over: bool) -> None:
        super().__init__(error)
        self.timed_out = _timed_out(error)
        self.detail = "timed out" if self.timed_out else _describe(error)
        self.handed_over = handed_over


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA section of RFC 5321: leading dots doubled, then the closing line."""
    stuffed = re.sub(rb"(?m)^\.", b"..", data)
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"


def _transaction(
    conn: smtplib.SMTP, envelope_from: str, recipients: Sequence[str], data: bytes, utf8: bool
) -> dict[str, Failure]:
    """One message as MAIL, RCPT and DATA; the recipients it did not reach, with the reasons.

    smtplib's own steps, taken one by one (not sendmail) so that the bytes sent are exactly
    `data`, and so that a failure is known to fall before or after the data was handed over.
    Raises _HungUp for a 421 to MAIL FROM and _Broken when the connection fails.
    """
    handed_over = False
    try:
        options = [f"SIZE={len(data)}"] if conn.does_esmtp and conn.has_extn("size") else []
        if utf8:
            if not conn.has_extn("smtputf8"):
                return dict.fromkeys(recipients, ("smtputf8", ""))
            options += ["SMTPUTF8", "BODY=8BITMIME"]
        code, reply = conn.mail(envelope_from, options)
        if code == 421:
            conn.close()
            raise _HungUp(_reply(code, reply))
        if code != 250:
            _reset(conn)
            return dict.fromkeys(recipients, ("sender", _reply(code, reply)))
        refused: dict[str, str] = {}
        for rcpt in recipients:
            code, reply = conn.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = _reply(code, reply)
            if code == 421:
                # Gone before the data: nobody got it, whatever was accepted before.
                conn.close()
                return {a: _refusal(a, refused, refused[rcpt]) for a in recipients}
        if len(refused) == len(recipients):
            _reset(conn)
            return {a: ("recipient", refused[a]) for a in recipients}
        code, reply = conn.docmd("DATA")
        if code == 354:
            conn.send(_dot_stuffed(data))
            handed_over = True
            code, reply = conn.getreply()
    except OSError as err:  # smtplib's errors are OSErrors too; a timeout among them
        raise _Broken(err, handed_over) from err
    if code != 250:
        # Turned down as a whole (354 never came, or the data was refused).
        if code != 421:
            _reset(conn)
        return {a: _refusal(a, refused, _reply(code, reply), "rejected") for a in recipients}
    return {a: ("recipient", refused[a]) for a in refused}


def _refusal(
    address: str, refused: Mapping[str, str], other: str, reason: str = "not_sent"
) -> Failure:
    """A recipient refused on its own, or one the message did not reach for `reason`."""
    return ("recipient", refused[address]) if address in refused else (reason, other)


class Sender:
    """One SMTP server for a whole run, a message at a time.

    The session is opened when first needed and opened again when the server hung up. When
    the server cannot be reached, or stops answering within `timeout` at any step, it is not
    tried again in this run: every later message fails at once with the reason, so a hung
    server costs one timeout, not one per recipient. Past `deadline` (a time on `clock`'s
    scale) nothing more is tried either. Never raises for a delivery failure.
    """

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        timeout: float = 30,
        deadline: float | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if deadline is not None and clock is None:
            raise ValueError("a deadline needs a clock")
        self.settings = settings
        self.timeout = timeout
        self.deadline = deadline
        self.clock = clock
        self.server = f"{settings.host}:{settings.port}"
        self.envelope_from = parseaddr(settings.sender)[1]
        self.scrub = _Scrubber(settings)
        self.conn: smtplib.SMTP | None = None
        self.down: Failure | None = None
        """Why no message can be sent any more in this run (None: the server is usable)."""

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> list[Delivery]:
        """Send `message` (flattened as compose.flatten does) to the envelope `recipients`; a
        Delivery for each. A recipient counts as sent once the server accepted the data."""
        data, utf8 = flatten(message), needs_utf8(message)
        failures = self._deliver(data, utf8, recipients)
        place = place_of(message)
        return [
            Delivery(
                recipient=rcpt,
                place=place,
                sent=rcpt not in failures,
                reason=failures[rcpt][0] if rcpt in failures else None,
                error=self.scrub(failures[rcpt][1]) if rcpt in failures else None,
                server=self.server,
            )
            for rcpt in recipients
        ]

    def close(self) -> None:
        """QUIT a server that still answers; drop one that stopped."""
        conn, self.conn = self.conn, None
        if conn is None or conn.sock is None:
            return
        if self.down is None:
            conn.sock.settimeout(max(self._step_timeout(), 0.001))
            _close(conn)
        else:
            conn.close()

    def _step_timeout(self) -> float:
        """The time each SMTP step may take now: the timeout, or less near the deadline."""
        if self.deadline is None or self.clock is None:
            return self.timeout
        return min(self.timeout, self.deadline - self.clock())

    def _deliver(self, data: bytes, utf8: bool, recipients: Sequence[str]) -> dict[str, Failure]:
        reason = ""
        for _ in range(2):
            conn = self._ready()
            if conn is None:
                assert self.down is not None
                return dict.fromkeys(recipients, self.down)
            try:
                return _transaction(conn, self.envelope_from, recipients, data, utf8)
            except _HungUp as err:
                # Many servers cap the messages per session with a 421 to MAIL FROM. Nothing
                # was accepted yet, so one more try on a fresh session cannot deliver twice.
                self._drop()
                reason = str(err)
            except _Broken as err:
                return dict.fromkeys(recipients, self._broken(err))
        return dict.fromkeys(recipients, ("hung_up", reason))

    def _broken(self, err: _Broken) -> Failure:
        """The failure of a message whose session broke; a timeout ends the server's turn."""
        self._drop()
        if err.timed_out:
            self._give_up()
            return ("no_answer" if err.handed_over else "unanswered", err.detail)
        # Broken after the data: the server may have kept it, so it is not retried (a retry
        # could deliver it twice); before: nothing was accepted.
        return ("lost" if err.handed_over else "hung_up", err.detail)

    def _ready(self) -> smtplib.SMTP | None:
        """The session for the next message, or None (self.down says why)."""
        if self.down is not None:
            return None
        timeout = self._step_timeout()
        if timeout <= 0:
            self._give_up()
            return None
        if self.conn is not None and self.conn.sock is None:
            self.conn = None  # closed after a 421
        if self.conn is not None:
            assert self.conn.sock is not None
            self.conn.sock.settimeout(timeout)
            try:  # a server may hang up after refusing a message, or while idle
                alive = self.conn.noop()[0] == 250
            except OSError as err:
                alive = False
                if _timed_out(err):
                    self._drop()
                    self._give_up()
                    return None
            if not alive:
                self._drop()
        if self.conn is None:
            try:
                self.conn = _connect(self.settings, timeout)
            except _ConnectError as err:
                self.down = (err.reason, err.detail)
        return self.conn

    def _give_up(self) -> None:
        """No more messages to this server in this run: it stopped answering in time, or the
        run's deadline has passed."""
        left = self._step_timeout()
        self.down = ("deadline", "") if left <= 0 else ("stopped", "")

    def _drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def send_messages(
    messages: Sequence[EmailMessage], settings: SmtpSettings, timeout: float = 30
) -> list[Delivery]:
    """Send the messages over one SMTP session, each to every address in its To and Cc; a
    Delivery per recipient of every message (see Sender)."""
    with Sender(settings, timeout=timeout) as sender:
        return [d for m in messages for d in sender.send(m, recipients_of(m))]
