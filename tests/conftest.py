"""Shared builders for the tests: certificates, items, the CLI runner, a real SMTP server, and
the golden-file switch (`pytest --update-golden`)."""

from __future__ import annotations

import asyncio
import hashlib
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from typer.testing import CliRunner

import schemacheck
from renewal_cli.cli import app
from renewal_cli.dates import issue_from_expiry
from renewal_cli.mail.smtp import SmtpSettings
from renewal_cli.messages import Lang, text
from renewal_cli.models import Certificate, ScheduleItem, Scheme
from renewal_cli.obligations import renewal as schedule
from renewal_cli.policy import policy_for
from schemacheck import _json_fits_its_schema, pytest_terminal_summary  # noqa: F401

# Every JSON document a test renders is checked against the package's schemas when the test
# ends (tests/schemacheck.py); the renderers are wrapped before any test module imports them.
schemacheck.install()

D = date.fromisoformat
SENDER = "renewal@example.cn"
PASSWORD = "s3cret-Pa55word"
USER = "officer"
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing with it",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Any:
    """Compare bytes with tests/golden/NAME, or rewrite it under --update-golden."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, data: bytes) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        assert path.exists(), f"no golden file {name}: run pytest --update-golden"
        expected = path.read_bytes()
        assert data.decode("utf-8") == expected.decode("utf-8"), f"{name} differs from golden"

    return check


def cert(
    expires: str,
    cert_id: str = "LB-45-21030512345A",
    *,
    scheme: Scheme = Scheme.GREEN,
    issued: str | None = None,
    filed: str | None = None,
    enterprise: str = "百色某农业公司",
    product: str = "芒果",
    city: str = "百色市",
    county: str | None = "田阳区",
    contact: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Certificate:
    """A certificate expiring on `expires`, issued a validity earlier unless `issued` is given."""
    years = 3 if scheme is Scheme.GREEN else 1
    return Certificate(
        cert_id=cert_id,
        enterprise=enterprise,
        product=product,
        scheme=scheme,
        city=city,
        county=county,
        issued_on=D(issued) if issued else issue_from_expiry(D(expires), years),
        expires_on=D(expires),
        filed_on=D(filed) if filed else None,
        contact=contact,
        phone=phone,
        email=email,
    )


def item(certificate: Certificate, as_of: str | date) -> ScheduleItem:
    """The certificate scheduled on AS_OF under that year's policy."""
    day = D(as_of) if isinstance(as_of, str) else as_of
    return schedule(certificate, day, policy_for(day.year))


def events(data: bytes) -> list[icalendar.Event]:
    """The events of a calendar, read back with a real iCalendar parser."""
    found = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert all(isinstance(e, icalendar.Event) for e in found)
    return found  # type: ignore[return-value]


# --- The command line ---------------------------------------------------------------------------

# Variables a developer's shell may set that would change what the command prints.
CLEAN_ENV: dict[str, str | None] = {
    "RENEWAL_LANG": None,
    # The help follows the locale (cli/help.py): an English one would turn it English.
    "LANG": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "RENEWAL_REGISTER": None,
    "COLUMNS": None,
    "NO_COLOR": None,
    "TERM": None,
    "RENEWAL_SMTP_HOST": None,
    "RENEWAL_SMTP_PORT": None,
    "RENEWAL_SMTP_USER": None,
    "RENEWAL_SMTP_PASSWORD": None,
    "RENEWAL_SMTP_SECURITY": None,
    "RENEWAL_MAIL_FROM": None,
    "RENEWAL_MAX_INPUT": None,
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(
    runner: CliRunner,
    *args: str,
    env: dict[str, str] | None = None,
    input: bytes | None = None,
) -> Any:
    """`renewal ARGS` in-process, with stdout and stderr kept apart."""
    return runner.invoke(app, list(args), env={**CLEAN_ENV, **(env or {})}, input=input)


# --- Signals, as a terminal gives them -----------------------------------------------------------

# The signals the tests send to a real `renewal` process. A shell that starts pytest in the
# background (`pytest &` in a script, cron) makes it ignore SIGINT, and nohup makes it ignore
# SIGHUP; an ignored signal stays ignored across fork and exec, and renewal rightly leaves an
# ignored signal ignored. A child that a test will signal is therefore started with these
# signals at their defaults, as from a terminal, whatever pytest itself was given.
SENT_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def as_from_a_terminal() -> None:
    """`preexec_fn` for a child a test will signal: SENT_SIGNALS at their defaults (set in the
    child between fork and exec; `restore_signals` covers only SIGPIPE and SIGXFSZ)."""
    for number in SENT_SIGNALS:
        signal.signal(number, signal.SIG_DFL)


def caught_signals(pid: int) -> set[int]:
    """The signals process PID has a handler for (SigCgt in /proc/PID/status): Python's for
    SIGINT, renewal's own for SIGTERM and SIGHUP. Asserted before a test signals a child, so a
    child that would ignore the signal fails the test at once, with this reason."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            mask = int(line.split()[1], 16)
            return {n for n in range(1, 65) if mask & (1 << (n - 1))}
    raise AssertionError(f"no SigCgt line in /proc/{pid}/status")


@contextmanager
def signals_ignored() -> Iterator[None]:
    """SENT_SIGNALS ignored in pytest itself for the block, as under `nohup pytest &`."""
    before = {number: signal.signal(number, signal.SIG_IGN) for number in SENT_SIGNALS}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


# --- A real SMTP server on loopback -------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps what it accepts and refuses what it is told to."""

    rcpt_replies: dict[str, str] = field(default_factory=dict)
    """Recipient → the reply that refuses it."""
    data_replies: list[str] = field(default_factory=list)
    """Replies to the next DATA commands, one each (then "250")."""
    hang_up_after_data: bool = False
    hold_from_data: int | None = None
    """From this DATA on, give no answer until `release` is set (for at most 30 s), then
    accept the message, or refuse it with 451 and not keep it unless `keep_held`."""
    keep_held: bool = True
    holding: threading.Event = field(default_factory=threading.Event)
    """Set once a DATA is held."""
    release: threading.Event = field(default_factory=threading.Event)
    hold_rcpt: bool = False
    """Give no answer to RCPT (for at most 30 s)."""
    rcpt_seen: int = 0
    data_seen: int = 0
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        self.rcpt_seen += 1
        if self.hold_rcpt:
            await _wait_for(self.release)
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_seen += 1
        if self.hold_from_data is not None and self.data_seen >= self.hold_from_data:
            self.holding.set()
            await _wait_for(self.release)
            if not self.keep_held:
                return "451 4.3.0 gave up on this message: it was not kept"
        if self.hang_up_after_data:
            self.hang_up_after_data = False
            server.transport.close()  # gone before answering: the client cannot know
            return "451 never seen"
        if self.data_replies:
            return self.data_replies.pop(0)
        raw = bytes(envelope.content)
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, raw))
        return "250 2.0.0 Ok: queued"


async def _wait_for(event: threading.Event) -> None:
    """Until `event` is set by the test, or 30 s at most (stopping the server cancels it)."""
    for _ in range(3000):
        if event.is_set():
            return
        await asyncio.sleep(0.01)


def authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    if isinstance(auth_data, LoginPassword) and auth_data.login == b"echo":
        # A careless server that quotes the credentials it refused.
        tried = auth_data.password.decode()
        return AuthResult(success=False, handled=False, message=f"535 5.7.8 bad password {tried}")
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    # handled=False: aiosmtpd itself answers a failure with "535 5.7.8".
    return AuthResult(success=ok, handled=False)


class _Port0Controller(Controller):
    """aiosmtpd's controller on a port the OS picks (port 0): its start-up self-check would
    connect to port 0, so the real port is read from the bound socket first."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


@dataclass
class Server:
    recorder: Recorder
    port: int

    def settings(self, **changes: Any) -> SmtpSettings:
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "security": "none",
            "sender": SENDER,
        }
        values.update(changes)
        return SmtpSettings(**values)

    def env(self) -> dict[str, str]:
        """The RENEWAL_SMTP_* variables that point `renewal mail` at this server."""
        return {
            "RENEWAL_SMTP_HOST": "127.0.0.1",
            "RENEWAL_SMTP_PORT": str(self.port),
            "RENEWAL_SMTP_SECURITY": "none",
            "RENEWAL_MAIL_FROM": SENDER,
        }


@contextmanager
def running(**options: Any) -> Iterator[Server]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1, on a port the OS picks."""
    recorder = Recorder()
    controller = _Port0Controller(
        recorder,
        hostname="127.0.0.1",
        port=0,
        authenticator=authenticate,
        auth_require_tls=False,  # the test server has no certificate
        **options,
    )
    controller.start()
    try:
        yield Server(recorder, controller.port)
    finally:
        controller.stop()


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as started:
        yield started


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port where nothing listens: a socket bound but not listening holds it meanwhile, so
    no other process can take it during the test."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _no_user_environment(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> None:
    """Tests never see the developer's RENEWAL_* settings, and never read or write the
    developer's delivery record: each test has a $XDG_STATE_HOME of its own (made only when a
    test sends mail)."""
    for name in CLEAN_ENV:
        if name.startswith("RENEWAL_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    key = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    state = tmp_path_factory.getbasetemp() / "xdg-state" / key
    monkeypatch.setenv("XDG_STATE_HOME", str(state))


def plan_warning(day: date, lang: Lang = Lang.ZH) -> list[str]:
    """The run's one stderr warning on `day` when its year has no plan of its own (issue 17):
    cron scripts run on today's date, so what they print depends on the year."""
    policy = policy_for(day.year)
    if policy.has_own_plan:
        return []
    words = text(
        "note.plan_carried", lang, year=day.year, used=policy.plan_used, title=policy.plan.title
    )
    return [words]
