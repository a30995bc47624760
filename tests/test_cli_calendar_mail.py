"""`renewal calendar` and `renewal mail` end to end: real files, a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from renewal_cli.cli import app, today_in_china
from test_mail import PASSWORD, Server, closed_port, running  # a real SMTP server on loopback

HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期,联系人"
ROWS = [
    # On AS_OF 2024-06-01: pending (file_by 2024-07-01, reminders 06-01 and 06-24).
    "G1,百色甲公司,芒果,绿色食品,百色,田阳区,2021-10-02,2024-10-01,,黄主任",
    # late: file_by 2024-03-30 passed, expires 2024-06-30.
    "G2,百色乙公司,茶叶,绿色食品,百色,右江区,2021-07-01,2024-06-30,,",
    # pending in Nanning (file_by 2024-08-30: November 30 less three months).
    "G3,南宁丙公司,大米,绿色食品,南宁,横州市,2021-12-01,2024-11-30,,",
    # filed: no events.
    "G4,百色丁公司,沃柑,绿色食品,百色,田东县,2021-09-01,2024-08-31,2024-05-01,",
]
AS_OF = ["--as-of", "2024-06-01"]


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="gb18030")
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as started:
        yield started


CLEAN_ENV: dict[str, str | None] = {
    "RENEWAL_LANG": None,
    "RENEWAL_REGISTER": None,
    "RENEWAL_SMTP_HOST": None,
    "RENEWAL_SMTP_PORT": None,
    "RENEWAL_SMTP_USER": None,
    "RENEWAL_SMTP_PASSWORD": None,
    "RENEWAL_SMTP_SECURITY": None,
    "RENEWAL_MAIL_FROM": None,
}


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env={**CLEAN_ENV, **(env or {})})


def events(data: bytes) -> list[tuple[str, str]]:
    """(DTSTART, SUMMARY) of every event, parsed back with icalendar."""
    calendar = icalendar.Calendar.from_ical(data)
    return sorted((str(e.decoded("dtstart")), str(e["summary"])) for e in calendar.walk("VEVENT"))


# --- calendar ------------------------------------------------------------------------------------


def test_calendar_to_stdout_is_valid_and_stable(runner: CliRunner, register: Path) -> None:
    first = run(runner, "calendar", str(register), *AS_OF)
    second = run(runner, "calendar", str(register), *AS_OF)
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes
    assert first.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    starts = [start for start, _ in events(first.stdout_bytes)]
    # G1: reminders 2024-06-01 (30 days before) and 06-24 (7), file-by 07-01; G2: expiry 06-30;
    # G3: reminders 07-31 and 08-23, file-by 08-30; G4 filed: nothing.
    assert starts == [
        "2024-06-01",
        "2024-06-24",
        "2024-06-30",
        "2024-07-01",
        "2024-07-31",
        "2024-08-23",
        "2024-08-30",
    ]


def test_calendar_selection_options_are_shared_with_due(runner: CliRunner, register: Path) -> None:
    result = run(runner, "calendar", str(register), "--city", "南宁", "--remind", "10", *AS_OF)
    assert [s for s, _ in events(result.stdout_bytes)] == ["2024-08-20", "2024-08-30"]


def test_calendar_split_by_county(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "cal"
    out.mkdir()
    stale = out / "田东县.ics"
    stale.write_bytes(b"old events")
    result = run(runner, "calendar", str(register), "--split-by", "county", "-o", str(out), *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "右江区.ics",
        "横州市.ics",
        "田东县.ics",
        "田阳区.ics",
    ]
    assert [s for s, _ in events((out / "右江区.ics").read_bytes())] == ["2024-06-30"]
    # A place whose file existed but has nothing due now is rewritten empty, not left stale.
    assert events(stale.read_bytes()) == []
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        pytest.param(["--split-by", "city"], 2, "-o", id="split-needs-dir"),
        pytest.param(["--split-by", "town", "-o", "x"], 2, "town", id="bad-split"),
        pytest.param(["--remind", "7,soon"], 2, "7,soon", id="bad-remind"),
        pytest.param(["--fail-on", "late"], 3, "late", id="fail-on"),
    ],
)
def test_calendar_errors(
    runner: CliRunner, register: Path, args: list[str], code: int, needle: str
) -> None:
    result = run(runner, "calendar", str(register), *AS_OF, *args)
    assert result.exit_code == code and needle in result.stderr


def test_calendar_quiet_prints_nothing_when_nothing_is_selected(
    runner: CliRunner, register: Path
) -> None:
    result = run(runner, "calendar", str(register), "--quiet", "--scheme", "organic", *AS_OF)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_calendar_split_never_touches_places_outside_the_selection(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cal"
    out.mkdir()
    other = out / "南宁市.ics"
    other.write_bytes(b"Nanning's own calendar")
    args = ["calendar", str(register), "--split-by", "city", "--city", "百色", "-o", str(out)]
    assert run(runner, *args, *AS_OF).exit_code == 0
    assert other.read_bytes() == b"Nanning's own calendar"
    assert (out / "百色市.ics").exists()


def test_quiet_calendar_file_is_still_rewritten_when_empty(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "organic.ics"
    out.write_bytes(b"last week's events")
    result = run(
        runner, "calendar", str(register), "--scheme", "organic", "-q", "-o", str(out), *AS_OF
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert events(out.read_bytes()) == []


def test_calendar_output_file(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "renewals.ics"
    result = run(runner, "calendar", str(register), "-o", str(out), *AS_OF)
    assert result.exit_code == 0 and result.stdout == ""
    assert len(events(out.read_bytes())) == 7


# --- mail ----------------------------------------------------------------------------------------


def contacts_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text("place,name,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def smtp_env(server: Server) -> dict[str, str]:
    return {
        "RENEWAL_SMTP_HOST": "127.0.0.1",
        "RENEWAL_SMTP_PORT": str(server.port),
        "RENEWAL_SMTP_SECURITY": "none",
        "RENEWAL_MAIL_FROM": "renewal@example.cn",
    }


def test_each_officer_gets_only_their_place(
    runner: CliRunner, register: Path, tmp_path: Path, server: Server
) -> None:
    contacts = contacts_file(
        tmp_path, ["百色,黄工,baise@example.cn", "Nanning,李工,nanning@example.cn"]
    )
    result = run(
        runner, "mail", str(register), "--contacts", str(contacts), *AS_OF, env=smtp_env(server)
    )
    assert result.exit_code == 0, result.stderr
    got = {r.rcpt_tos[0]: r.message for r in server.recorder.received}
    assert set(got) == {"baise@example.cn", "nanning@example.cn"}
    baise = got["baise@example.cn"]
    assert "百色市" in str(baise["subject"]) and "2024-06-01" in str(baise["subject"])
    parts = {p.get_filename(): p for p in baise.iter_attachments()}
    ics = next(p for name, p in parts.items() if name and name.endswith(".ics"))
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH"
    starts = [s for s, _ in events(ics.get_payload(decode=True))]
    assert starts == ["2024-06-01", "2024-06-24", "2024-06-30", "2024-07-01"]
    body = baise.get_body(preferencelist=("plain",))
    assert body is not None and "G1" in body.get_content() and "G3" not in body.get_content()
    assert "已发送" in result.stderr


def test_items_without_a_contact_are_reported(
    runner: CliRunner, register: Path, tmp_path: Path, server: Server
) -> None:
    contacts = contacts_file(tmp_path, ["百色市,黄工,baise@example.cn"])
    result = run(
        runner, "mail", str(register), "--contacts", str(contacts), *AS_OF, env=smtp_env(server)
    )
    assert result.exit_code == 0
    assert "南宁市 横州市" in result.stderr and "没有联系人" in result.stderr
    assert [r.rcpt_tos for r in server.recorder.received] == [["baise@example.cn"]]


def test_city_officer_gets_every_county_county_officer_only_theirs(
    runner: CliRunner, register: Path, tmp_path: Path, server: Server
) -> None:
    contacts = contacts_file(
        tmp_path, ["百色,黄工,city@example.cn", "田阳县,韦工,county@example.cn"]
    )
    result = run(
        runner,
        "mail",
        str(register),
        "--contacts",
        str(contacts),
        "--split-by",
        "county",
        *AS_OF,
        env=smtp_env(server),
    )
    assert result.exit_code == 0, result.stderr
    bodies = {
        r.rcpt_tos[0]: r.message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        for r in server.recorder.received
    }
    assert "G1" in bodies["city@example.cn"] and "G2" in bodies["city@example.cn"]
    assert "G1" in bodies["county@example.cn"] and "G2" not in bodies["county@example.cn"]


def test_refused_recipient_is_reported_and_fails(
    runner: CliRunner, register: Path, server: Server
) -> None:
    server.recorder.rcpt_replies["gone@example.cn"] = "550 5.1.1 User unknown"
    result = run(
        runner,
        "mail",
        str(register),
        "--to",
        "ok@example.cn",
        "--to",
        "gone@example.cn",
        *AS_OF,
        env=smtp_env(server),
    )
    assert result.exit_code == 1
    assert "已发送：ok@example.cn" in result.stderr
    assert "未发送：gone@example.cn" in result.stderr and "550" in result.stderr
    assert [r.rcpt_tos for r in server.recorder.received] == [["ok@example.cn"]]


def test_server_down_is_reported_not_hidden(runner: CliRunner, register: Path) -> None:
    env = {
        "RENEWAL_SMTP_HOST": "127.0.0.1",
        "RENEWAL_SMTP_PORT": str(closed_port()),
        "RENEWAL_SMTP_SECURITY": "none",
        "RENEWAL_MAIL_FROM": "renewal@example.cn",
        "RENEWAL_SMTP_USER": "officer",
        "RENEWAL_SMTP_PASSWORD": PASSWORD,
    }
    result = run(runner, "mail", str(register), "--to", "a@example.cn", *AS_OF, env=env)
    assert result.exit_code == 1
    assert "未发送：a@example.cn" in result.stderr and "已发送：" not in result.stderr
    assert PASSWORD not in result.stderr + result.stdout


def test_dry_run_writes_eml_files(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    result = run(
        runner,
        "mail",
        str(register),
        "--to",
        "a@example.cn",
        "--from",
        "r@example.cn",
        "--split-by",
        "city",
        "--dry-run",
        str(out),
        *AS_OF,
    )
    assert result.exit_code == 0, result.stderr
    files = sorted(out.glob("*.eml"))
    assert len(files) == 2
    parsed = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(str(m["to"]) for m in parsed) == ["a@example.cn", "a@example.cn"]


def test_contacts_outside_the_selection_get_nothing(
    runner: CliRunner, register: Path, tmp_path: Path, server: Server
) -> None:
    contacts = contacts_file(
        tmp_path, ["百色,黄工,baise@example.cn", "南宁,李工,nanning@example.cn"]
    )
    result = run(
        runner,
        "mail",
        str(register),
        "--contacts",
        str(contacts),
        "--city",
        "百色",
        *AS_OF,
        env=smtp_env(server),
    )
    assert result.exit_code == 0, result.stderr
    assert [r.rcpt_tos for r in server.recorder.received] == [["baise@example.cn"]]


def test_quiet_mail_prints_nothing_when_all_is_sent(
    runner: CliRunner, register: Path, tmp_path: Path, server: Server
) -> None:
    contacts = contacts_file(
        tmp_path, ["百色,黄工,baise@example.cn", "南宁,李工,nanning@example.cn"]
    )
    result = run(
        runner,
        "mail",
        str(register),
        "--contacts",
        str(contacts),
        "-q",
        *AS_OF,
        env=smtp_env(server),
    )
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert len(server.recorder.received) == 2


def test_non_ascii_password_is_a_report_not_a_traceback(
    runner: CliRunner, register: Path, server: Server
) -> None:
    env = {**smtp_env(server), "RENEWAL_SMTP_USER": "officer", "RENEWAL_SMTP_PASSWORD": "密码x"}
    result = run(runner, "mail", str(register), "--to", "a@example.cn", *AS_OF, env=env)
    assert result.exit_code == 1
    assert "未发送：a@example.cn" in result.stderr and "ASCII" in result.stderr
    assert "密码x" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        pytest.param([], 2, "--to", id="no-recipients"),
        pytest.param(
            ["--to", "a@example.cn", "--contacts", "c.csv"], 2, "--contacts", id="to-and-contacts"
        ),
        pytest.param(["--to", "not-an-address"], 2, "not-an-address", id="bad-address"),
        pytest.param(
            ["--to", "a@example.cn", "--smtp-security", "tls13"], 2, "tls13", id="bad-security"
        ),
    ],
)
def test_mail_usage_errors(
    runner: CliRunner, register: Path, args: list[str], code: int, needle: str
) -> None:
    env = {"RENEWAL_SMTP_HOST": "127.0.0.1", "RENEWAL_MAIL_FROM": "r@example.cn"}
    result = run(runner, "mail", str(register), *AS_OF, *args, env=env)
    assert result.exit_code == code, result.stderr
    assert needle in result.stderr


def test_weekly_cron_script_on_a_utc_server(tmp_path: Path, server: Server) -> None:
    """examples/weekly-mail.sh as cron runs it: UTC clock, settings from an env file."""
    root = Path(__file__).parents[1]
    env_file = tmp_path / "env"
    env_file.write_text(
        f"RENEWAL_REGISTER={root / 'examples' / 'sample_register.csv'}\n"
        f"RENEWAL_CONTACTS={root / 'examples' / 'contacts.csv'}\n"
        "RENEWAL_SMTP_HOST=127.0.0.1\n"
        f"RENEWAL_SMTP_PORT={server.port}\n"
        "RENEWAL_SMTP_SECURITY=none\n"
        "RENEWAL_MAIL_FROM=renewal@example.cn\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "TZ": "UTC",
        "LANG": "C",  # cron's bare environment
        "RENEWAL_ENV_FILE": str(env_file),
    }
    done = subprocess.run(
        ["sh", str(root / "examples" / "weekly-mail.sh")], env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    # --quiet: cron mails the admin only what needs a look. The example contacts cover three
    # places, so the one line left names the items nobody was sent.
    lines = done.stderr.decode().splitlines()
    assert len(lines) <= 1 and all(
        line.startswith("注意：") and "没有联系人" in line for line in lines
    )
    received = {r.rcpt_tos[0] for r in server.recorder.received}
    # The sample register has Baise items on any day of 2024-2030.
    assert "baise-officer@example.cn" in received
    for r in server.recorder.received:
        subject = str(r.message["subject"])
        assert today_in_china().isoformat() in subject
