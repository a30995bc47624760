"""The reminder mail, sent to a real SMTP server (aiosmtpd) on 127.0.0.1.

What arrives is parsed back as a mail client would: recipients, the decoded subject, the digest,
the calendar attachment as a calendar and the CSV as rows. Failures (server down, refused
recipient, wrong password, no STARTTLS) must show up per recipient, never as "sent".
"""

from __future__ import annotations

import csv
import io
import socket
import string
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest
from pydantic import SecretStr

from conftest import PASSWORD, SENDER, USER, D, Server, cert, item, running
from renewal_cli.delivery.ledger import message_key
from renewal_cli.errors import RenewalError
from renewal_cli.mail.addresses import is_address
from renewal_cli.mail.compose import MAILER_HEADER, PLACE_HEADER, build_message, message_id
from renewal_cli.mail.contacts import Contact
from renewal_cli.mail.outbox import write_eml
from renewal_cli.mail.routing import plan_messages
from renewal_cli.mail.smtp import Delivery, SmtpSettings, send_messages, smtp_settings_from
from renewal_cli.messages import CATALOG, Lang, text
from renewal_cli.models import ScheduleItem, Scheme
from renewal_cli.output.calendar import render_calendar
from renewal_cli.output.csvfile import render_csv
from renewal_cli.places import Scope, SplitBy, guangxi
from renewal_cli.present import describe_failure

AS_OF = D("2026-11-29")
NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 08:00 in Beijing


BAISE = [
    item(cert("2027-03-31", "LB-45-24040100001A"), AS_OF),  # pending, file by 2026-12-31
    item(cert("2027-01-31", "LB-45-24020100002A", enterprise="田阳, 南北;合作社"), AS_OF),  # late
    item(cert("2027-02-28", "1120OP2600003", scheme=Scheme.ORGANIC, county=None), AS_OF),  # late
]
HECHI = [item(cert("2027-03-15", "LB-45-24031600004A", city="河池市", county="天峨县"), AS_OF)]


def message(
    place: str | None,
    recipients: list[str],
    items: list[ScheduleItem],
    *,
    lang: Lang = Lang.ZH,
    sender: str = SENDER,
) -> EmailMessage:
    name = text("calendar.name", lang, place=place or text("mail.all_places", lang))
    return build_message(
        place=place,
        recipients=recipients,
        sender=sender,
        items=items,
        as_of=AS_OF,
        plan_year=AS_OF.year,
        plan_used=2024,
        lang=lang,
        calendar=render_calendar(items, as_of=AS_OF, lang=lang, name=name, organizer=SENDER),
        csv_text=render_csv(items, lang),
        now=NOW,
        msgid=message_id(message_key(place or "*", *recipients), sender),
    )


UNKNOWN_USER = "550 5.1.1 Recipient address rejected: User unknown"


def by_recipient(deliveries: list[Delivery]) -> dict[str, Delivery]:
    return {d.recipient: d for d in deliveries}


def attachments(received: EmailMessage) -> dict[str, EmailMessage]:
    out: dict[str, EmailMessage] = {}
    for part in received.iter_attachments():
        assert isinstance(part, EmailMessage)
        out[part.get_content_type()] = part
    return out


# --- Delivery -------------------------------------------------------------------------------------


def test_each_officer_gets_their_place(server: Server) -> None:
    messages = [
        message("百色市", ["张三 <zhang@example.cn>", '"李四, 主任" <li@example.cn>'], BAISE),
        message("河池市", ["wang@example.cn", "Wang@Example.cn"], HECHI),
    ]
    deliveries = send_messages(messages, server.settings(), timeout=5)
    where = f"127.0.0.1:{server.port}"
    assert deliveries == [
        Delivery(recipient="zhang@example.cn", place="百色市", sent=True, server=where),
        Delivery(recipient="li@example.cn", place="百色市", sent=True, server=where),
        Delivery(recipient="wang@example.cn", place="河池市", sent=True, server=where),
    ]
    assert all(d.reason is None and d.error is None for d in deliveries)
    first, second = server.recorder.received
    assert first.mail_from == SENDER == second.mail_from
    assert first.rcpt_tos == ["zhang@example.cn", "li@example.cn"]
    assert second.rcpt_tos == ["wang@example.cn"]
    assert [a.addr_spec for a in second.message["To"].addresses] == ["wang@example.cn"]
    assert [a.addr_spec for a in first.message["To"].addresses] == first.rcpt_tos
    assert [a.display_name for a in first.message["To"].addresses] == ["张三", "李四, 主任"]


@pytest.mark.parametrize(
    ("place", "items", "lang", "subject"),
    [
        pytest.param(
            "百色市",
            BAISE,
            Lang.ZH,
            "【证书续展提醒】百色市 2026-11-29：待申报 1，已逾期 2",
            id="zh",
        ),
        pytest.param(
            "百色市",
            BAISE,
            Lang.EN,
            "Certificate renewals, 百色市, 2026-11-29: pending 1, late 2",
            id="en",
        ),
        pytest.param(
            None, [], Lang.ZH, "【证书续展提醒】全部地区 2026-11-29：无需处理", id="nothing"
        ),
    ],
)
def test_subject_arrives_decoded(
    server: Server, place: str | None, items: list[ScheduleItem], lang: Lang, subject: str
) -> None:
    send_messages([message(place, ["zhang@example.cn"], items, lang=lang)], server.settings())
    (received,) = server.recorder.received
    assert received.message["Subject"] == subject
    head = received.raw.split(b"\r\n\r\n", 1)[0]
    # Chinese goes as RFC 2047 encoded words: the header block itself is plain ASCII.
    assert head.isascii()
    assert b"=?utf-8?" in head


def test_digest_lists_every_item(server: Server) -> None:
    send_messages([message("百色市", ["zhang@example.cn"], BAISE)], server.settings())
    (received,) = server.recorder.received
    body = received.message.get_body(("plain",))
    assert body is not None
    assert body.get_content_charset() == "utf-8"
    lines = body.get_content().splitlines()
    # 2026 has no plan of its own: the heading names the plan used.
    assert (
        lines[0]
        == "证书续展提醒　百色市　截至 2026-11-29（未载入 2026 年工作方案，沿用 2024 年工作方案）"
    )
    assert lines[1] == "共 3 条：待申报 1，已逾期 2"
    expected_blocks = [
        (
            "2026-12-31  待申报  申报续展/再认证  还剩32天",
            "    LB-45-24040100001A  百色某农业公司  芒果  百色市 田阳区",
        ),
        (
            "2026-10-31  已逾期  按新申报处理  已过29天",
            "    LB-45-24020100002A  田阳, 南北;合作社  芒果  百色市 田阳区",
        ),
        (
            "2026-10-28  已逾期  按新申报处理  已过32天",
            "    1120OP2600003  百色某农业公司  芒果  百色市",
        ),
    ]
    for head, detail in expected_blocks:
        index = lines.index(head)
        assert lines[index + 1] == detail
    assert any("renewal-百色市-2026-11-29.ics" in line for line in lines)


def test_nothing_to_do_still_says_so(server: Server) -> None:
    send_messages([message(None, ["zhang@example.cn"], [])], server.settings())
    (received,) = server.recorder.received
    body = received.message.get_body(("plain",))
    assert body is not None
    assert "截至 2026-11-29，没有需要处理的证书。" in body.get_content()


def test_calendar_attachment_parses_back(server: Server) -> None:
    outgoing = message("百色市", ["zhang@example.cn"], BAISE)
    send_messages([outgoing], server.settings())
    (received,) = server.recorder.received
    part = attachments(received.message)["text/calendar"]
    assert part.get_param("method") == "PUBLISH"
    assert part.get_param("charset") == "UTF-8"
    assert part.get_filename() == "renewal-百色市-2026-11-29.ics"
    assert part.get_content_disposition() == "attachment"
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    # Byte for byte the calendar that was rendered: CRLF and folding survive the trip.
    sent = next(p for p in outgoing.iter_attachments() if p.get_content_type() == "text/calendar")
    assert data == sent.get_payload(decode=True)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["METHOD"] == "PUBLISH"
    events = calendar.walk("VEVENT")
    # Pending: file-by day and its two reminders; each late item: its expiry day.
    assert sorted(e.decoded("DTSTART") for e in events) == [
        D("2026-12-01"),
        D("2026-12-24"),
        D("2026-12-31"),
        D("2027-01-31"),
        D("2027-02-28"),
    ]
    assert all(str(e["ORGANIZER"]) == f"mailto:{SENDER}" for e in events)
    assert "【续展已逾期，须按新申报】田阳, 南北;合作社 芒果" in [str(e["SUMMARY"]) for e in events]


def test_csv_attachment(server: Server) -> None:
    send_messages([message("百色市", ["zhang@example.cn"], BAISE)], server.settings())
    (received,) = server.recorder.received
    part = attachments(received.message)["text/csv"]
    assert part.get_param("charset") == "UTF-8"
    assert part.get_filename() == "renewal-百色市-2026-11-29.csv"
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "证书编号"
    assert [r[0] for r in rows[1:]] == [i.certificate.cert_id for i in BAISE]
    assert rows[2][1] == "田阳, 南北;合作社"


def test_refused_recipient_not_sent_others_sent(server: Server) -> None:
    server.recorder.rcpt_replies = {"nobody@example.cn": UNKNOWN_USER}
    messages = [
        message("百色市", ["zhang@example.cn", "nobody@example.cn", "li@example.cn"], BAISE),
        message("河池市", ["nobody@example.cn"], HECHI),  # every recipient refused
        message("崇左市", ["wang@example.cn"], []),  # the session goes on after a refusal
    ]
    result = send_messages(messages, server.settings())
    assert [(d.recipient, d.place, d.sent) for d in result] == [
        ("zhang@example.cn", "百色市", True),
        ("nobody@example.cn", "百色市", False),
        ("li@example.cn", "百色市", True),
        ("nobody@example.cn", "河池市", False),
        ("wang@example.cn", "崇左市", True),
    ]
    for delivery in result:
        if delivery.sent:
            assert (delivery.reason, delivery.error) == (None, None)
        else:
            assert delivery.reason == "recipient"
            assert delivery.error == UNKNOWN_USER
    assert [r.rcpt_tos for r in server.recorder.received] == [
        ["zhang@example.cn", "li@example.cn"],
        ["wang@example.cn"],
    ]


def test_rejected_message_not_sent(server: Server) -> None:
    server.recorder.data_replies = ["554 5.7.1 Message rejected as spam"]
    result = send_messages(
        [message("百色市", ["zhang@example.cn", "li@example.cn"], BAISE)], server.settings()
    )
    assert [d.sent for d in result] == [False, False]
    assert all(d.error == "554 5.7.1 Message rejected as spam" for d in result)
    assert all(d.reason == "rejected" for d in result)
    assert server.recorder.received == []


def test_421_to_a_recipient_sends_to_nobody(server: Server) -> None:
    """smtplib gives up at a 421 and names only the recipients tried so far: the rest failed too."""
    server.recorder.rcpt_replies = {"li@example.cn": "421 4.7.0 Too many recipients, closing"}
    messages = [
        message("百色市", ["zhang@example.cn", "li@example.cn", "zhao@example.cn"], BAISE),
        message("河池市", ["wang@example.cn"], HECHI),
    ]
    result = send_messages(messages, server.settings(), timeout=5)
    assert [(d.recipient, d.sent) for d in result] == [
        ("zhang@example.cn", False),
        ("li@example.cn", False),
        ("zhao@example.cn", False),
        ("wang@example.cn", True),
    ]
    assert result[1].error == "421 4.7.0 Too many recipients, closing"
    assert all(d.error and "421 4.7.0" in d.error for d in result[:3])
    # Only li was refused; zhang was accepted and zhao never tried, yet nobody got the data.
    assert [d.reason for d in result] == ["not_sent", "recipient", "not_sent", None]
    assert [r.rcpt_tos for r in server.recorder.received] == [["wang@example.cn"]]


def test_421_to_data_then_a_new_session(server: Server) -> None:
    server.recorder.data_replies = ["421 4.3.2 Service shutting down"]
    messages = [
        message("百色市", ["zhang@example.cn"], BAISE),
        message("河池市", ["wang@example.cn"], HECHI),
    ]
    result = send_messages(messages, server.settings(), timeout=5)
    assert [(d.recipient, d.sent, d.reason, d.error) for d in result] == [
        ("zhang@example.cn", False, "rejected", "421 4.3.2 Service shutting down"),
        ("wang@example.cn", True, None, None),
    ]


def test_message_limit_per_session_retried_on_a_new_one() -> None:
    """A server that takes one message per session answers the second MAIL FROM with 421."""
    with running(command_call_limit={"MAIL": 1}) as limited:
        messages = [
            message("百色市", ["zhang@example.cn"], BAISE),
            message("河池市", ["wang@example.cn"], HECHI),
            message("崇左市", ["zhao@example.cn"], []),
        ]
        result = send_messages(messages, limited.settings(), timeout=5)
        assert [d.sent for d in result] == [True, True, True]
        assert len(limited.recorder.received) == 3


def test_hang_up_fails_that_message_and_the_next_reconnects(server: Server) -> None:
    server.recorder.hang_up_after_data = True
    messages = [
        message("百色市", ["zhang@example.cn"], BAISE),
        message("河池市", ["wang@example.cn"], HECHI),
    ]
    result = send_messages(messages, server.settings(), timeout=5)
    assert [(d.recipient, d.sent) for d in result] == [
        ("zhang@example.cn", False),
        ("wang@example.cn", True),
    ]
    assert result[0].reason == "lost"
    assert result[0].error is not None and "Connection unexpectedly closed" in result[0].error
    shown = describe_failure("lost", result[0].error, result[0].server, Lang.EN)
    assert "connection broke while sending" in shown and result[0].error in shown
    assert [r.rcpt_tos for r in server.recorder.received] == [["wang@example.cn"]]


@pytest.mark.parametrize(
    ("changes", "reason", "detail", "shown"),
    [
        pytest.param(
            {"port": None},
            "connect",
            "[Errno 111] Connection refused",
            "cannot connect",
            id="server-down",
        ),
        pytest.param(
            {"security": "starttls"}, "no_starttls", "", "does not offer STARTTLS", id="no-starttls"
        ),
        pytest.param({"security": "ssl"}, "connect", "SSL", "cannot connect", id="ssl-to-plain"),
        pytest.param(
            {"user": USER, "password": SecretStr("wrong-" + PASSWORD)},
            "login",
            "535 5.7.8",
            "login to 127.0.0.1",
            id="wrong-password",
        ),
    ],
)
def test_server_problems_fail_every_recipient(
    server: Server,
    closed_port: int,
    changes: dict[str, Any],
    reason: str,
    detail: str,
    shown: str,
) -> None:
    if changes.get("port", 0) is None:
        changes = {**changes, "port": closed_port}
    settings = server.settings(**changes)
    messages = [
        message("百色市", ["zhang@example.cn", "li@example.cn"], BAISE),
        message("河池市", ["wang@example.cn"], HECHI),
    ]
    result = send_messages(messages, settings, timeout=5)
    assert [(d.recipient, d.sent) for d in result] == [
        ("zhang@example.cn", False),
        ("li@example.cn", False),
        ("wang@example.cn", False),
    ]
    for delivery in result:
        assert delivery.reason == reason
        assert delivery.error is not None
        assert detail in delivery.error
        assert PASSWORD not in delivery.error
        assert delivery.server == f"127.0.0.1:{settings.port}"
        english = describe_failure(reason, delivery.error, delivery.server, Lang.EN)
        assert shown in english and PASSWORD not in english
    assert server.recorder.received == []


def test_silent_server_times_out() -> None:
    """A server that accepts the connection but never greets: a timeout, not a hang."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        settings = SmtpSettings(host="127.0.0.1", port=port, security="none", sender=SENDER)
        result = send_messages([message("百色市", ["zhang@example.cn"], BAISE)], settings, 0.3)
    assert [(d.sent, d.reason, d.error) for d in result] == [
        (False, "connect", "Connection unexpectedly closed: timed out")
    ]
    (delivery,) = result
    assert describe_failure("connect", delivery.error or "", delivery.server, Lang.EN) == (
        f"cannot connect to 127.0.0.1:{port}: Connection unexpectedly closed: timed out"
    )


def test_login_then_send(server: Server) -> None:
    settings = server.settings(user=USER, password=SecretStr(PASSWORD))
    result = send_messages([message("百色市", ["zhang@example.cn"], BAISE)], settings)
    assert [d.sent for d in result] == [True]
    assert len(server.recorder.received) == 1


def test_password_never_shown(server: Server) -> None:
    settings = smtp_settings_from(
        {
            "RENEWAL_SMTP_HOST": "127.0.0.1",
            "RENEWAL_SMTP_PORT": str(server.port),
            "RENEWAL_SMTP_SECURITY": "none",
            "RENEWAL_SMTP_USER": USER,
            "RENEWAL_SMTP_PASSWORD": "wrong-" + PASSWORD,
            "RENEWAL_MAIL_FROM": SENDER,
        }
    )
    result = send_messages([message("百色市", ["zhang@example.cn"], BAISE)], settings)
    shown = [repr(settings), str(settings), settings.model_dump_json(), repr(result)]
    shown += [d.error or "" for d in result]
    assert not any(PASSWORD in s for s in shown)
    assert result[0].error is not None and "535" in result[0].error
    assert result[0].reason == "login"


def test_password_scrubbed_from_server_reply(server: Server) -> None:
    settings = server.settings(user="echo", password=SecretStr(PASSWORD))
    result = send_messages([message("百色市", ["zhang@example.cn"], BAISE)], settings)
    (delivery,) = result
    assert not delivery.sent
    assert delivery.error is not None
    assert "535 5.7.8 bad password **********" in delivery.error
    assert PASSWORD not in delivery.error
    for lang in Lang:
        assert PASSWORD not in describe_failure("login", delivery.error, delivery.server, lang)


# --- Settings -------------------------------------------------------------------------------------

BASE_ENV = {"RENEWAL_SMTP_HOST": "smtp.example.cn", "RENEWAL_MAIL_FROM": SENDER}


@pytest.mark.parametrize(
    ("env", "overrides", "expected"),
    [
        pytest.param(
            BASE_ENV,
            {},
            {"host": "smtp.example.cn", "port": 587, "security": "starttls", "user": None},
            id="defaults-starttls-587",
        ),
        pytest.param(
            {**BASE_ENV, "RENEWAL_SMTP_SECURITY": "ssl"},
            {},
            {"port": 465, "security": "ssl"},
            id="ssl-465",
        ),
        pytest.param(
            {**BASE_ENV, "RENEWAL_SMTP_SECURITY": "NONE"},
            {},
            {"port": 25, "security": "none"},
            id="none-25",
        ),
        pytest.param(
            {**BASE_ENV, "RENEWAL_SMTP_PORT": "2525", "RENEWAL_SMTP_USER": "u"},
            {},
            {"port": 2525, "user": "u"},
            id="port-and-user-from-env",
        ),
        pytest.param(
            {**BASE_ENV, "RENEWAL_SMTP_PORT": "2525", "RENEWAL_SMTP_SECURITY": "ssl"},
            {"host": "mail.gxny.gov.cn", "port": 465, "security": None, "sender": None},
            {"host": "mail.gxny.gov.cn", "port": 465, "security": "ssl", "sender": SENDER},
            id="overrides-win-none-ignored",
        ),
        pytest.param(
            {"RENEWAL_SMTP_HOST": " ", "RENEWAL_MAIL_FROM": "x@example.cn"},
            {"host": "smtp.example.cn", "sender": "续展提醒 <renewal@example.cn>"},
            {"host": "smtp.example.cn", "sender": "续展提醒 <renewal@example.cn>"},
            id="blank-env-display-name-sender",
        ),
    ],
)
def test_settings(env: dict[str, str], overrides: dict[str, Any], expected: dict[str, Any]) -> None:
    settings = smtp_settings_from(env, **overrides)
    for key, value in expected.items():
        assert getattr(settings, key) == value


def test_settings_password() -> None:
    settings = smtp_settings_from({**BASE_ENV, "RENEWAL_SMTP_PASSWORD": PASSWORD})
    assert settings.password is not None
    assert settings.password.get_secret_value() == PASSWORD
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)
    override = smtp_settings_from(BASE_ENV, password=SecretStr("other"))
    assert override.password is not None and override.password.get_secret_value() == "other"


@pytest.mark.parametrize(
    ("env", "message_id"),
    [
        pytest.param({"RENEWAL_MAIL_FROM": SENDER}, "mail.no_host", id="no-host"),
        pytest.param({"RENEWAL_SMTP_HOST": "smtp.example.cn"}, "mail.no_sender", id="no-sender"),
        pytest.param({**BASE_ENV, "RENEWAL_SMTP_PORT": "smtp"}, "mail.bad_port", id="port-text"),
        pytest.param({**BASE_ENV, "RENEWAL_SMTP_PORT": "70000"}, "mail.bad_port", id="port-big"),
        pytest.param({**BASE_ENV, "RENEWAL_SMTP_PORT": "0"}, "mail.bad_port", id="port-zero"),
        pytest.param(
            {**BASE_ENV, "RENEWAL_SMTP_SECURITY": "tls"}, "mail.bad_security", id="security"
        ),
        pytest.param(
            {**BASE_ENV, "RENEWAL_MAIL_FROM": "renewal at example"}, "mail.bad_address", id="from"
        ),
    ],
)
def test_settings_errors(env: dict[str, str], message_id: str) -> None:
    with pytest.raises(RenewalError) as caught:
        smtp_settings_from({**env, "RENEWAL_SMTP_PASSWORD": PASSWORD})
    assert caught.value.message_id == message_id
    assert caught.value.exit_code == 2
    for lang in Lang:
        shown = text(message_id, lang, **caught.value.params)
        assert PASSWORD not in shown


# --- Building messages ----------------------------------------------------------------------------


def test_headers() -> None:
    built = message("百色市", ["zhang@example.cn"], BAISE, sender="续展提醒 <renewal@example.cn>")
    assert built["Date"] == "Mon, 30 Nov 2026 00:00:00 +0000"
    assert built["Message-ID"].endswith("@example.cn>")
    assert built["Auto-Submitted"] == "auto-generated"
    assert built["From"].addresses[0].display_name == "续展提醒"
    assert built["From"].addresses[0].addr_spec == SENDER
    raw = built.as_bytes()
    assert raw.split(b"\r\n\r\n", 1)[0].isascii()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


@pytest.mark.parametrize(
    ("recipients", "message_id"),
    [
        pytest.param([], "mail.no_recipients", id="none"),
        pytest.param(["zhang@example.cn", "not-an-address"], "mail.bad_address", id="bad"),
        pytest.param(["a@b.cn, c@d.cn"], "mail.bad_address", id="two-in-one"),
        pytest.param(["zhang@example.cn\r\nBcc: x@y.cn"], "mail.bad_address", id="injection"),
        pytest.param(["Zhang\x07 <zhang@example.cn>"], "mail.bad_address", id="control-character"),
    ],
)
def test_bad_recipients(recipients: list[str], message_id: str) -> None:
    with pytest.raises(RenewalError) as caught:
        message("百色市", recipients, BAISE)
    assert caught.value.message_id == message_id
    for lang in Lang:
        text(message_id, lang, **caught.value.params)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("zhang@example.cn", True),
        ("first.last+tag@mail.gxny.gov.cn", True),
        ("12345@qq.com", True),
        ("zhang@localhost", False),
        ("zhang@", False),
        ("@example.cn", False),
        ("zhang example.cn", False),
        # Internationalised: a non-ASCII local part (SMTPUTF8) and IDNA domains (issue 7, 22).
        ("张三@example.cn", True),
        ("a@例子.中国", True),
        ("用户@例子.中国", True),
        ("a@xn--fsqu00a.xn--fiqs8s", True),
        ("a@例子", False),
        ("a@例子..中国", False),
        ("a..b@example.cn", False),
        ("zhang@example.cn ", False),
        ("", False),
    ],
)
def test_is_address(value: str, ok: bool) -> None:
    assert is_address(value) is ok


# --- --dry-run --------------------------------------------------------------------------------------


def test_write_eml(tmp_path: Path) -> None:
    directory = tmp_path / "out" / "mail"
    messages = [
        message("百色市", ["zhang@example.cn"], BAISE),
        message("百色市", ["li@example.cn"], BAISE),
        message("../河池市", ["wang@example.cn"], HECHI),
        message(None, ["all@example.cn"], BAISE + HECHI),
    ]
    paths = write_eml(messages, directory)
    assert [p.parent for p in paths] == [directory] * 4
    assert [p.name for p in paths[:2]] == ["百色市.eml", "百色市-2.eml"]
    assert paths[3].name == "all.eml"
    assert ".." not in paths[2].name and "/" not in paths[2].name
    assert sorted(p.name for p in directory.iterdir()) == sorted(p.name for p in paths)
    for path, sent in zip(paths, messages, strict=True):
        parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        assert parsed[MAILER_HEADER].startswith("renewal-cli ")
        assert parsed[PLACE_HEADER] == sent[PLACE_HEADER]
        assert parsed["Subject"] == sent["Subject"]
        assert parsed["To"] == sent["To"]
        data = attachments(parsed)["text/calendar"].get_payload(decode=True)
        assert isinstance(data, bytes)
        assert icalendar.Calendar.from_ical(data)["METHOD"] == "PUBLISH"


def test_write_eml_unwritable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(RenewalError) as caught:
        write_eml([message("百色市", ["zhang@example.cn"], BAISE)], blocker / "mail")
    assert caught.value.message_id == "output.unwritable"


# --- Catalog --------------------------------------------------------------------------------------


def test_new_messages_in_both_languages() -> None:
    prefixes = ("calendar.", "mail.", "contacts.", "usage.bad_re", "smtp.", "errno.")
    ours = [k for k in CATALOG if k.startswith(prefixes)]
    assert len(ours) > 70
    for key in ours:
        assert set(CATALOG[key]) == set(Lang), key
        placeholders = [
            {name for _, name, _, _ in string.Formatter().parse(CATALOG[key][lang]) if name}
            for lang in Lang
        ]
        assert placeholders[0] == placeholders[1], key


@pytest.mark.parametrize(
    ("organizer", "now"),
    [
        pytest.param(SENDER, datetime(2026, 11, 30, 8, 0), id="naive-now"),
        pytest.param(None, NOW, id="calendar-without-method"),
    ],
)
def test_programming_errors(organizer: str | None, now: datetime) -> None:
    with pytest.raises(ValueError):
        build_message(
            place=None,
            recipients=["a@example.cn"],
            sender=SENDER,
            items=BAISE,
            as_of=AS_OF,
            plan_year=2026,
            plan_used=2024,
            lang=Lang.ZH,
            calendar=render_calendar(
                BAISE, as_of=AS_OF, lang=Lang.ZH, name="x", organizer=organizer
            ),
            csv_text="",
            now=now,
            msgid="<x@example.cn>",
        )


# --- Who gets which items -------------------------------------------------------------------------

PLAN_ITEMS = [
    item(cert("2027-01-31", "B1", county="田阳区"), AS_OF),
    item(cert("2027-02-28", "B2", county="右江区"), AS_OF),
    item(cert("2027-02-28", "N1", city="南宁市", county="横州市"), AS_OF),
    item(cert("2027-02-28", "B0", county=None), AS_OF),
]


def _contacts(*pairs: tuple[str, str]) -> dict[str, list[Contact]]:
    book: dict[str, list[Contact]] = {}
    for place, email in pairs:
        book.setdefault(place, []).append(Contact(place=place, name="x", email=email))
    return book


@pytest.mark.parametrize(
    ("options", "expected", "orphans"),
    [
        pytest.param(
            {"recipients": ["a@x.cn"], "scope": Scope(cities=frozenset({"百色市"}))},
            [("百色市", ("a@x.cn",), ["B1", "B2", "N1", "B0"])],
            [],
            id="one-message",
        ),
        pytest.param(
            {"recipients": ["a@x.cn"]},
            [(None, ("a@x.cn",), ["B1", "B2", "N1", "B0"])],
            [],
            id="one-message-every-place",
        ),
        pytest.param(
            {"recipients": ["a@x.cn"], "split_by": SplitBy.CITY},
            [("南宁市", ("a@x.cn",), ["N1"]), ("百色市", ("a@x.cn",), ["B1", "B2", "B0"])],
            [],
            id="split-by-city",
        ),
        pytest.param(
            {"recipients": ["a@x.cn"], "split_by": SplitBy.COUNTY},
            [
                ("右江区", ("a@x.cn",), ["B2"]),
                ("横州市", ("a@x.cn",), ["N1"]),
                ("田阳区", ("a@x.cn",), ["B1"]),
                ("百色市", ("a@x.cn",), ["B0"]),
            ],
            [],
            id="split-by-county-city-level-under-city",
        ),
        pytest.param(
            {
                "contacts": _contacts(("百色市", "c@x.cn"), ("田阳区", "t@x.cn")),
                "places": guangxi(),
            },
            [("百色市", ("x <c@x.cn>",), ["B1", "B2", "B0"]), ("田阳区", ("x <t@x.cn>",), ["B1"])],
            ["N1"],
            id="contacts-city-gets-all-counties",
        ),
        pytest.param(
            {
                "contacts": _contacts(("百色市", "c@x.cn"), ("南宁市", "n@x.cn")),
                "scope": Scope(cities=frozenset({"百色市"})),
                "places": guangxi(),
            },
            [("百色市", ("x <c@x.cn>",), ["B1", "B2", "B0"])],
            ["N1"],
            id="contacts-outside-selection-skipped",
        ),
        pytest.param(
            {
                "contacts": _contacts(
                    ("百色市", "c@x.cn"), ("田阳区", "t@x.cn"), ("右江区", "y@x.cn")
                ),
                # Routing only decides which contacts are in scope; the items arrive selected.
                "scope": Scope(counties=frozenset({"田阳区"})),
                "places": guangxi(),
            },
            [("百色市", ("x <c@x.cn>",), ["B1", "B2", "B0"]), ("田阳区", ("x <t@x.cn>",), ["B1"])],
            ["N1"],
            id="county-scope-reaches-its-city-not-the-next-county",
        ),
    ],
)
def test_plan_messages(
    options: dict[str, Any],
    expected: list[tuple[str | None, tuple[str, ...], list[str]]],
    orphans: list[str],
) -> None:
    batches, left = plan_messages(PLAN_ITEMS, **options)
    got = [(b.place, b.recipients, [i.certificate.cert_id for i in b.items]) for b in batches]
    assert got == expected
    assert [i.certificate.cert_id for i in left] == orphans
