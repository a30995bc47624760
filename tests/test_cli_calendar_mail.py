"""`renewal calendar` and `renewal mail` end to end: real files, a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PASSWORD, SENDER, Server, events, plan_warning, run
from renewal_cli.cli import today_in_china
from renewal_cli.dates import issue_from_expiry

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
# The renewals alone: green certificates also give an annual inspection (issue 8), tested below.
RENEWALS = ["--kind", "renewal"]


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="gb18030")
    return path


def dated(data: bytes) -> list[tuple[str, str]]:
    """(DTSTART, SUMMARY) of every event, parsed back with icalendar (conftest.events)."""
    return sorted((str(e.decoded("dtstart")), str(e["summary"])) for e in events(data))


# --- calendar ------------------------------------------------------------------------------------


def test_calendar_to_stdout_is_valid_and_stable(runner: CliRunner, register: Path) -> None:
    first = run(runner, "calendar", str(register), *RENEWALS, *AS_OF)
    second = run(runner, "calendar", str(register), *RENEWALS, *AS_OF)
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes
    assert first.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    starts = [start for start, _ in dated(first.stdout_bytes)]
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


def test_calendar_inspections_fall_on_the_day_to_submit_by(
    runner: CliRunner, register: Path
) -> None:
    """G2's certificate year ends Sunday 2024-06-30 and G4's Saturday 2024-08-31: the events
    and their reminders count from the Friday before (issue 8). G1's ends 2024-10-01, beyond
    the 120 days; G3's 2024-11-30."""
    result = run(runner, "calendar", str(register), "--kind", "annual_inspection", *AS_OF)
    assert result.exit_code == 0, result.stderr
    found = events(result.stdout_bytes)
    assert sorted((str(e.decoded("dtstart")), str(e["summary"])) for e in found) == [
        ("2024-06-21", "【年检申报将于 2024-06-28 截止】百色乙公司 茶叶"),
        ("2024-06-28", "【年检申报截止】百色乙公司 茶叶"),
        ("2024-07-31", "【年检申报将于 2024-08-30 截止】百色丁公司 沃柑"),
        ("2024-08-23", "【年检申报将于 2024-08-30 截止】百色丁公司 沃柑"),
        ("2024-08-30", "【年检申报截止】百色丁公司 沃柑"),
    ]
    for event in found:
        lines = str(event["DESCRIPTION"]).splitlines()
        assert "事项：年检" in lines
        assert any(line.startswith("提交截止：2024-0") for line in lines), lines
    # Inspections have UIDs of their own: together with the renewals no UID repeats.
    every = events(run(runner, "calendar", str(register), *AS_OF).stdout_bytes)
    renewals = events(run(runner, "calendar", str(register), *RENEWALS, *AS_OF).stdout_bytes)
    assert len(every) == len(found) + len(renewals) == 12
    assert len({str(e["UID"]) for e in every}) == 12
    assert {str(e["UID"]) for e in renewals} | {str(e["UID"]) for e in found} == {
        str(e["UID"]) for e in every
    }


def test_calendar_selection_options_are_shared_with_due(runner: CliRunner, register: Path) -> None:
    result = run(runner, "calendar", str(register), "--city", "南宁", "--remind", "10", *AS_OF)
    assert [s for s, _ in dated(result.stdout_bytes)] == ["2024-08-20", "2024-08-30"]


def test_calendar_split_by_county(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "cal"
    out.mkdir()
    stale = out / "田东县.ics"
    stale.write_bytes(b"old events")
    result = run(
        runner, "calendar", str(register), "--split-by", "county", "-o", str(out), *RENEWALS, *AS_OF
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "右江区.ics",
        "横州市.ics",
        "田东县.ics",
        "田阳区.ics",
    ]
    assert [s for s, _ in dated((out / "右江区.ics").read_bytes())] == ["2024-06-30"]
    # A place whose file existed but has nothing due now is rewritten empty, not left stale.
    assert dated(stale.read_bytes()) == []
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        pytest.param(["--split-by", "city"], 2, "-o", id="split-needs-dir"),
        pytest.param(["--split-by", "town", "-o", "x"], 2, "town", id="bad-split"),
        pytest.param(["--remind", "7,soon"], 2, "7,soon", id="bad-remind"),
        # The status is named in the user's language (issue 7, point 8).
        pytest.param(["--fail-on", "late"], 3, "选中了状态为 已逾期 的证书", id="fail-on"),
        pytest.param(["--fail-on", "late", "--lang", "en"], 3, "late", id="fail-on-en"),
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
    assert dated(out.read_bytes()) == []


def test_calendar_output_file(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "renewals.ics"
    result = run(runner, "calendar", str(register), "-o", str(out), *RENEWALS, *AS_OF)
    assert result.exit_code == 0 and result.stdout == ""
    assert len(dated(out.read_bytes())) == 7
    # Every kind: the five inspection events too.
    assert run(runner, "calendar", str(register), "-o", str(out), *AS_OF).exit_code == 0
    assert len(dated(out.read_bytes())) == 12


# --- mail ----------------------------------------------------------------------------------------


def contacts_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text("place,name,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_each_officer_gets_only_their_place(
    runner: CliRunner, register: Path, tmp_path: Path, server: Server
) -> None:
    contacts = contacts_file(
        tmp_path, ["百色,黄工,baise@example.cn", "Nanning,李工,nanning@example.cn"]
    )
    result = run(
        runner,
        "mail",
        str(register),
        "--contacts",
        str(contacts),
        *RENEWALS,
        *AS_OF,
        env=server.env(),
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
    starts = [s for s, _ in dated(ics.get_payload(decode=True))]
    assert starts == ["2024-06-01", "2024-06-24", "2024-06-30", "2024-07-01"]
    body = baise.get_body(preferencelist=("plain",))
    assert body is not None and "G1" in body.get_content() and "G3" not in body.get_content()
    assert "已发送" in result.stderr


def test_items_without_a_contact_are_reported(
    runner: CliRunner, register: Path, tmp_path: Path, server: Server
) -> None:
    contacts = contacts_file(tmp_path, ["百色市,黄工,baise@example.cn"])
    result = run(
        runner, "mail", str(register), "--contacts", str(contacts), *AS_OF, env=server.env()
    )
    assert result.exit_code == 0
    assert "南宁市 横州市" in result.stderr and "没有联系人" in result.stderr
    assert [r.rcpt_tos for r in server.recorder.received] == [["baise@example.cn"]]


def test_city_officer_gets_every_county_county_officer_only_theirs(
    runner: CliRunner, register: Path, tmp_path: Path, server: Server
) -> None:
    # The contacts file alone decides who gets which place: --split-by with --contacts is now
    # refused (issue 6, point 5; tested in test_mail_field.py).
    contacts = contacts_file(
        tmp_path, ["百色,黄工,city@example.cn", "田阳县,韦工,county@example.cn"]
    )
    result = run(
        runner,
        "mail",
        str(register),
        "--contacts",
        str(contacts),
        *AS_OF,
        env=server.env(),
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(r.rcpt_tos[0] for r in server.recorder.received) == [
        "city@example.cn",
        "county@example.cn",
    ]
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
        env=server.env(),
    )
    assert result.exit_code == 1
    assert "已发送：ok@example.cn" in result.stderr
    assert "未发送：gone@example.cn" in result.stderr and "550" in result.stderr
    # Worded in Chinese by the CLI, the server's own words quoted after.
    assert "服务器拒收该收件人：邮箱不存在或被拒绝（服务器原话：550 5.1.1 User unknown）" in (
        result.stderr
    )
    assert [r.rcpt_tos for r in server.recorder.received] == [["ok@example.cn"]]


def test_server_down_is_reported_not_hidden(
    runner: CliRunner, register: Path, closed_port: int
) -> None:
    env = {
        "RENEWAL_SMTP_HOST": "127.0.0.1",
        "RENEWAL_SMTP_PORT": str(closed_port),
        "RENEWAL_SMTP_SECURITY": "none",
        "RENEWAL_MAIL_FROM": "renewal@example.cn",
        "RENEWAL_SMTP_USER": "officer",
        "RENEWAL_SMTP_PASSWORD": PASSWORD,
    }
    result = run(runner, "mail", str(register), "--to", "a@example.cn", *AS_OF, env=env)
    assert result.exit_code == 1
    assert "未发送：a@example.cn" in result.stderr and "已发送：" not in result.stderr
    assert f"无法连接邮件服务器 127.0.0.1:{closed_port}：连接被拒绝" in result.stderr
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
        env=server.env(),
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
        env=server.env(),
    )
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert len(server.recorder.received) == 2


def test_non_ascii_password_is_a_report_not_a_traceback(
    runner: CliRunner, register: Path, server: Server
) -> None:
    env = {**server.env(), "RENEWAL_SMTP_USER": "officer", "RENEWAL_SMTP_PASSWORD": "密码x"}
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


def cron_register(path: Path) -> Path:
    """A register whose items are due whatever day the test runs: the cron script passes no
    --as-of, so its dates are counted from today in Beijing."""
    today = today_in_china()

    def row(cert_id: str, city: str, county: str, days: int) -> str:
        expires = today + timedelta(days=days)
        issued = issue_from_expiry(expires, 3)  # safe on 29 February too
        return f"{cert_id},{city}某公司,芒果,绿色食品,{city},{county},{issued},{expires},,"

    rows = [
        # Filing day about 60 days ahead: pending, inside the default 120-day window.
        row("LB-45-CRON0001A", "百色市", "田阳区", 150),
        row("LB-45-CRON0002A", "百色市", "右江区", 60),  # late: past its filing day
        row("LB-45-CRON0003A", "河池市", "天峨县", 60),  # no contact for 河池市
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_weekly_cron_script_on_a_utc_server(tmp_path: Path, server: Server) -> None:
    """examples/weekly-mail.sh as cron runs it: UTC clock, settings from an env file, a bare
    PATH where `renewal` runs this interpreter (the venv need not be activated)."""
    root = Path(__file__).parents[1]
    register = cron_register(tmp_path / "台账.csv")
    env_file = tmp_path / "env"
    env_file.write_text(
        f"RENEWAL_REGISTER={register}\n"
        f"RENEWAL_CONTACTS={root / 'examples' / 'contacts.csv'}\n"
        "RENEWAL_SMTP_HOST=127.0.0.1\n"
        f"RENEWAL_SMTP_PORT={server.port}\n"
        "RENEWAL_SMTP_SECURITY=none\n"
        f"RENEWAL_MAIL_FROM={SENDER}\n"
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "renewal"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m renewal_cli "$@"\n')
    shim.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "TZ": "UTC",
        "LANG": "C",  # cron's bare environment
        "RENEWAL_ENV_FILE": str(env_file),
        "XDG_STATE_HOME": str(tmp_path / "state"),  # the delivery record, not the real home's
    }
    before = today_in_china()
    done = subprocess.run(
        ["sh", str(root / "examples" / "weekly-mail.sh")],
        env=env,
        capture_output=True,
        check=False,
        timeout=300,
    )
    after = today_in_china()
    assert done.returncode == 0, done.stderr.decode()
    # --quiet: cron mails the admin only what needs a look. The example contacts cover three
    # places, so the one line left names the item nobody was sent.
    lines = done.stderr.decode().splitlines()
    # Its late renewal and the annual inspection of the certificate year ending on its expiry
    # (issue 8: the script selects every kind).
    # In a year without a plan of its own, the run's one warning names the plan used (issue 17).
    expected = ["注意：2 条提醒所在地区没有联系人，未发送：河池市 天峨县"]
    assert lines in ([*plan_warning(before), *expected], [*plan_warning(after), *expected])
    received = {r.rcpt_tos[0]: r.message for r in server.recorder.received}
    assert set(received) == {"baise-officer@example.cn", "tianyang-officer@example.cn"}
    for message in received.values():
        subject = str(message["subject"])
        # Beijing's date, not the UTC server's (either side of a midnight during the run).
        assert before.isoformat() in subject or after.isoformat() in subject
