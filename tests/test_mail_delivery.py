"""`renewal mail` safe to leave in cron (issue 18): one run at a time, each message sent once,
bounded time, dry runs that are what would be sent, and no header broken by a line separator.

Against a real SMTP server (aiosmtpd, conftest) that can hold its answer, hang, drop the
connection and refuse; runs at the same time and a run killed with SIGKILL are real processes.
"""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import SENDER, Recorder, run, running

SRC = Path(__file__).parents[1] / "src"
HEADER = (
    "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期,联系人,电子邮箱"
)
# Five holders, each with one pending renewal on AS_OF (green food: file 3 months before
# expiry), mailed in this order (earliest first). H3's address has a non-ASCII local part.
ROWS = [
    "H1,百色甲公司,芒果,绿色食品,百色,田阳区,2021-10-02,2024-10-01,,黄主任,a1@example.cn",
    "H2,百色乙公司,茶叶,绿色食品,百色,右江区,2021-10-16,2024-10-15,,,a2@example.cn",
    "H3,南宁丙公司,大米,绿色食品,南宁,横州市,2021-11-02,2024-11-01,,,用户@例子.中国",
    "H4,百色丁公司,沃柑,绿色食品,百色,田东县,2021-11-16,2024-11-15,,,a4@example.cn",
    "H5,河池戊公司,香蕉,绿色食品,河池,天峨县,2021-12-01,2024-11-30,,,a5@example.cn",
]
A3 = "用户@xn--fsqu00a.xn--fiqs8s"
HOLDERS = ["a1@example.cn", "a2@example.cn", A3, "a4@example.cn", "a5@example.cn"]
# One officer per county of the register, mailed in this order (places sorted by name).
COUNTIES = ["右江区", "天峨县", "横州市", "田东县", "田阳区"]
CONTACTS = "地区,姓名,邮箱\n" + "".join(
    f"{county},某工,c{n}@example.cn\n" for n, county in enumerate(COUNTIES, start=1)
)
EVERYONE = [f"c{n}@example.cn" for n in range(1, 6)]
AS_OF = "2024-06-03"  # a Monday: ISO week 2024-W23
OFFICE = ["--office", "百色市农业农村局"]
EPOCH = {"SOURCE_DATE_EPOCH": "1717372800"}  # 2024-06-03 08:00 in Beijing


def write_register(path: Path, rows: list[str] = ROWS) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return write_register(tmp_path / "台账.csv")


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state" / "delivery.sqlite3"


def officers_mail(register: Path, state: Path, *extra: str) -> list[str]:
    """Each county's officer their digest (no .docx to build: quicker than --holders)."""
    contacts = register.with_name("contacts.csv")
    contacts.write_text(CONTACTS, encoding="utf-8")
    where = ["--contacts", str(contacts), "--as-of", AS_OF, "--state", str(state)]
    return ["mail", str(register), *where, *extra]


def holders_mail(register: Path, state: Path, *extra: str) -> list[str]:
    where = ["--as-of", AS_OF, "--state", str(state)]
    return ["mail", str(register), "--holders", *OFFICE, *where, *extra]


def recorded(state: Path) -> list[tuple[str, str]]:
    """(recipient, outcome) of every delivery in the record, by recipient."""
    with sqlite3.connect(f"{state.as_uri()}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT recipient, outcome FROM delivery ORDER BY 1, 2").fetchall()
    db.close()
    return [(r, o) for r, o in rows]


def envelopes(recorder: Recorder) -> list[str]:
    return [rcpt for r in recorder.received for rcpt in r.rcpt_tos]


def parse(raw: bytes) -> EmailMessage:
    parsed = message_from_bytes(raw, policy=policy.SMTPUTF8)
    assert isinstance(parsed, EmailMessage)
    return parsed


def lines_about(stderr: str, recipient: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"：{recipient}（" in line]


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`renewal ARGS` as its own process (the code of this checkout)."""
    return subprocess.Popen(
        [sys.executable, "-m", "renewal_cli", *args],
        env={**os.environ, **env, "PYTHONPATH": str(SRC)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def read_line(stream: Any, seconds: float = 20) -> str:
    """The next line a child process writes, waiting at most `seconds`."""
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, "the process said nothing in time"
    return str(stream.readline().decode())


# --- Each message once per period (point 2) -------------------------------------------------------

C1 = "c1@example.cn"  # 右江区's officer: H2 (茶叶) is in their digest


@pytest.mark.parametrize(
    ("first", "second", "change", "sent_again", "updated", "skipped"),
    [
        pytest.param(
            [], [], None, [], [], "5 个收件人本期（2024-W23）", id="same-week-same-content"
        ),
        pytest.param(
            [],
            ["--as-of", "2024-06-06"],
            None,
            [],
            [],
            "5 个收件人本期（2024-W23）",
            id="catch-up-later-in-week",
        ),
        pytest.param(
            [], [], ("茶叶", "红茶"), [C1], [C1], "4 个收件人本期（2024-W23）", id="content-changed"
        ),
        pytest.param([], ["--resend"], None, EVERYONE, [], None, id="resend"),
        pytest.param([], ["--resend"], ("茶叶", "红茶"), EVERYONE, [C1], None, id="resend-changed"),
        pytest.param([], ["--as-of", "2024-06-10"], None, EVERYONE, [], None, id="next-week"),
        pytest.param(
            ["--period", "day"],
            ["--period", "day", "--as-of", "2024-06-04"],
            None,
            EVERYONE,
            [],
            None,
            id="next-day-by-day",
        ),
        pytest.param(
            ["--period", "month"],
            ["--period", "month", "--as-of", "2024-06-10"],
            None,
            [],
            [],
            "5 个收件人本期（2024-06）",
            id="next-week-same-month",
        ),
    ],
)
def test_a_rerun_sends_only_what_is_new(
    runner: CliRunner,
    register: Path,
    state: Path,
    first: list[str],
    second: list[str],
    change: tuple[str, str] | None,
    sent_again: list[str],
    updated: list[str],
    skipped: str | None,
) -> None:
    with running() as server:
        done = run(runner, *officers_mail(register, state, *first), env=server.env())
        assert done.exit_code == 0, done.stderr
        assert envelopes(server.recorder) == EVERYONE
        ids = {r.rcpt_tos[0]: r.message["Message-ID"] for r in server.recorder.received}
        server.recorder.received.clear()
        if change:
            register.write_text(register.read_text("utf-8").replace(*change), encoding="utf-8")
        again = run(runner, *officers_mail(register, state, *second), env=server.env())
    assert again.exit_code == 0, again.stderr
    assert envelopes(server.recorder) == sent_again
    same_period = not any(arg in second for arg in ("--as-of", "--period"))
    for got in server.recorder.received:
        (rcpt,) = got.rcpt_tos
        subject = str(got.message["Subject"])
        assert subject.startswith("（更新）") is (rcpt in updated), subject
        # The same content in the same period keeps its Message-ID; other content has its own.
        assert (got.message["Message-ID"] == ids[rcpt]) is (same_period and rcpt not in updated)
    said = [line for line in again.stderr.splitlines() if "已收到内容相同的邮件" in line]
    note = f"{skipped}已收到内容相同的邮件，未重复发送（--resend 可重新发送）"
    assert said == ([note] if skipped else [])
    # One row per recipient and content: a changed message is a row more.
    new_rows = len(updated) if same_period else len(sent_again)
    assert len(recorded(state)) == 5 + new_rows


def test_holders_are_mailed_once_a_week(runner: CliRunner, register: Path, state: Path) -> None:
    args = [*holders_mail(register, state), "--lang", "en"]
    with running() as server:
        first = run(runner, *args, env=server.env())
        assert first.exit_code == 0, first.stderr
        assert envelopes(server.recorder) == HOLDERS
        server.recorder.received.clear()
        register.write_text(register.read_text("utf-8").replace("大米", "香米"), encoding="utf-8")
        again = run(runner, *args, env=server.env())
    assert again.exit_code == 0, again.stderr
    (got,) = server.recorder.received
    assert got.rcpt_tos == [A3]
    assert str(got.message["Subject"]).startswith("(updated) Renewal reminder for 南宁丙公司")
    assert "4 recipients already got the same message in 2024-W23" in again.stderr


# --- Dry runs (points 2 and 8) -------------------------------------------------------------------


def test_a_dry_run_records_nothing(runner: CliRunner, register: Path, state: Path) -> None:
    out = register.parent / "outbox"
    dry = [*officers_mail(register, state), "--from", SENDER, "--dry-run", str(out)]
    first = run(runner, *dry)
    assert first.exit_code == 0, first.stderr
    assert len(list(out.glob("*.eml"))) == 5
    assert not state.parent.exists()
    with running() as server:
        assert run(runner, *officers_mail(register, state), env=server.env()).exit_code == 0
    before = state.read_bytes()
    for extra, written in (([], 0), (["--resend"], 5)):
        again = run(runner, *dry, *extra)
        assert again.exit_code == 0, again.stderr
        # A dry run shows what a real run would send now: nothing, unless --resend.
        assert len(list(out.glob("*.eml"))) == written
        assert ("5 个收件人本期（2024-W23）已收到内容相同的邮件" in again.stderr) is (not extra)
        assert state.read_bytes() == before
        assert sorted(p.name for p in state.parent.iterdir()) == [
            "delivery.sqlite3",
            "delivery.sqlite3.lock",
        ]


@pytest.mark.parametrize(
    ("args", "change"),
    [
        pytest.param(["--holders", *OFFICE], None, id="holders-with-a-utf8-local-part"),
        pytest.param(["--to", "张三 <a@example.cn>", "--split-by", "city"], None, id="officers"),
        pytest.param(["--to", "用户@例子.中国", "--lang", "en"], None, id="utf8-local-part"),
        pytest.param(["--to", "a@example.cn"], ("茶叶", "红茶"), id="an-update"),
    ],
)
def test_a_dry_run_is_byte_for_byte_what_is_sent(
    runner: CliRunner, register: Path, state: Path, args: list[str], change: tuple[str, str] | None
) -> None:
    """The Date is the run's (SOURCE_DATE_EPOCH fixes it for both runs); the rest is the
    message's own: Message-ID, MIME boundaries, UTF-8 headers for SMTPUTF8."""
    base = ["mail", str(register), *args, "--as-of", AS_OF, "--state", str(state)]
    out = register.parent / "outbox"
    with running() as server:
        env = {**server.env(), **EPOCH}
        if change:
            assert run(runner, *base, env=env).exit_code == 0
            server.recorder.received.clear()
            register.write_text(register.read_text("utf-8").replace(*change), encoding="utf-8")
        dry = run(runner, *base, "--dry-run", str(out), env=env)
        assert dry.exit_code == 0, dry.stderr
        sent = run(runner, *base, env=env)
        assert sent.exit_code == 0, sent.stderr
    received = sorted(r.raw for r in server.recorder.received)
    assert received
    assert sorted(p.read_bytes() for p in out.glob("*.eml")) == received
    assert all(b"\r\nDate: Mon, 03 Jun 2024 08:00:00 +0800\r\n" in raw for raw in received)
    if change:
        (only,) = received
        assert str(parse(only)["Subject"]).startswith("（更新）")


# --- A record that cannot be used (point 2) ------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        pytest.param(b"\x00not a database\x00" * 400, "已损坏", id="garbage"),
        pytest.param(b"SQLite format 3\x00" + b"\xff" * 4000, "已损坏", id="a-broken-header"),
        pytest.param(b"", "不是 renewal 的发送记录", id="empty"),
    ],
)
@pytest.mark.parametrize("dry_run", [False, True], ids=["send", "dry-run"])
def test_a_damaged_record_is_reported_and_kept(
    runner: CliRunner, register: Path, state: Path, damage: bytes, words: str, dry_run: bool
) -> None:
    state.parent.mkdir(parents=True)
    state.write_bytes(damage)
    extra = ["--dry-run", str(register.parent / "outbox")] if dry_run else []
    with running() as server:
        result = run(runner, *officers_mail(register, state, *extra), env=server.env())
        assert server.recorder.received == []
    assert result.exit_code == 1
    assert state.read_bytes() == damage
    assert not list(register.parent.glob("outbox/*.eml"))
    (line,) = result.stderr.splitlines()
    assert str(state) in line and words in line
    assert "Traceback" not in result.stderr and "出错了" not in result.stderr


# --- Options ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "env", "said"),
    [
        pytest.param(["--period", "year"], {}, "--period 的值“year”无效", id="period"),
        pytest.param(["--wait", "-1"], {}, "--wait 的值“-1”无效", id="negative-wait"),
        pytest.param(["--smtp-timeout", "0"], {}, "--smtp-timeout 的值“0”无效", id="no-timeout"),
        pytest.param(["--smtp-timeout", "nan"], {}, "--smtp-timeout 的值“nan”无效", id="nan"),
        pytest.param(["--deadline", "10m"], {}, "--deadline 的值“10m”无效", id="deadline"),
        pytest.param(["--deadline", "1e9"], {}, "--deadline 的值“1e9”无效", id="huge-deadline"),
        pytest.param([], {"SOURCE_DATE_EPOCH": "yesterday"}, "SOURCE_DATE_EPOCH", id="epoch"),
    ],
)
def test_bad_delivery_options(
    runner: CliRunner,
    register: Path,
    state: Path,
    extra: list[str],
    env: dict[str, str],
    said: str,
) -> None:
    with running() as server:
        result = run(runner, *officers_mail(register, state, *extra), env={**server.env(), **env})
        assert server.recorder.received == []
    assert result.exit_code == 2
    assert said in result.stderr
    assert not state.parent.exists()


# --- Bounded time (point 3) ----------------------------------------------------------------------


def _hold_data(recorder: Recorder) -> None:
    recorder.hold_from_data = 1
    recorder.keep_held = False


def _hold_rcpt(recorder: Recorder) -> None:
    recorder.hold_rcpt = True


def _drop_once(recorder: Recorder) -> None:
    recorder.hang_up_after_data = True


def _refuse(reply: str) -> Any:
    return lambda recorder: recorder.data_replies.append(reply)


STOPPED = "此前没有应答，本次运行不再使用它"


@pytest.mark.parametrize(
    ("fault", "first", "others", "outcome", "tries"),
    [
        pytest.param(
            _hold_data,
            "结果不明：c1@example.cn（右江区）：邮件已交给服务器 127.0.0.1:{port}，但它没有在规定时间内答复",
            STOPPED,
            "unknown",
            (1, 1),
            id="hangs-after-data",
        ),
        pytest.param(
            _hold_rcpt,
            "未发送：c1@example.cn（右江区）：邮件服务器 127.0.0.1:{port} 没有在规定时间内应答",
            STOPPED,
            None,
            (1, 0),
            id="hangs-before-data",
        ),
        pytest.param(
            _drop_once,
            "结果不明：c1@example.cn（右江区）：发送途中连接中断",
            "已发送",
            "unknown",
            (5, 5),
            id="drops-after-data",
        ),
        pytest.param(
            _refuse("554 5.7.1 rejected as spam"),
            "未发送：c1@example.cn（右江区）：服务器拒收这封邮件：交易失败",
            "已发送",
            None,
            (5, 5),
            id="refuses-554",
        ),
        pytest.param(
            _refuse("451 4.3.0 try again later"),
            "未发送：c1@example.cn（右江区）：服务器拒收这封邮件：服务器处理出错",
            "已发送",
            None,
            (5, 5),
            id="refuses-451",
        ),
    ],
)
def test_a_faulty_server_costs_one_timeout_and_the_rerun_finishes(
    runner: CliRunner,
    register: Path,
    state: Path,
    fault: Any,
    first: str,
    others: str,
    outcome: str | None,
    tries: tuple[int, int],
) -> None:
    with running() as server:
        recorder = server.recorder
        fault(recorder)
        start = time.monotonic()
        args = officers_mail(register, state, "--smtp-timeout", "2")
        result = run(runner, *args, env=server.env())
        took = time.monotonic() - start
        assert result.exit_code == 1
        # A hung server is asked once, not once per recipient: no reconnect-and-wait.
        assert (recorder.rcpt_seen, recorder.data_seen) == tries
        (line,) = lines_about(result.stderr, "c1@example.cn")
        assert line.startswith(first.format(port=server.port)), line
        for rcpt in EVERYONE[1:]:
            (line,) = lines_about(result.stderr, rcpt)
            assert others in line, line
        expected = [] if outcome is None else [("c1@example.cn", outcome)]
        if others == "已发送":
            expected += [(r, "sent") for r in EVERYONE[1:]]
        assert recorded(state) == sorted(expected)
        # The next run, the server well again, sends everything not known to be delivered.
        recorder.hold_from_data = None
        recorder.hold_rcpt = False
        recorder.release.set()
        start = time.monotonic()
        again = run(runner, *officers_mail(register, state), env=server.env())
        healthy = time.monotonic() - start
        assert again.exit_code == 0, again.stderr
    # At most one timeout (2 s) more than a healthy run; five would be 10 s.
    assert took < healthy + 6, (took, healthy)
    assert sorted(envelopes(recorder)) == EVERYONE
    assert ("1 个收件人上次发送结果不明，本次重新发送" in again.stderr) is (outcome == "unknown")


@pytest.mark.parametrize(
    ("deadline", "hold", "sent", "unknown"),
    [
        pytest.param("4", 3, 2, 1, id="passes-on-a-hung-message"),
        pytest.param("0.001", None, 0, 0, id="passed-before-the-first"),
    ],
)
def test_the_deadline_ends_the_run(
    runner: CliRunner,
    register: Path,
    state: Path,
    deadline: str,
    hold: int | None,
    sent: int,
    unknown: int,
) -> None:
    with running() as server:
        server.recorder.hold_from_data = hold
        server.recorder.keep_held = False
        start = time.monotonic()
        args = officers_mail(register, state, "--smtp-timeout", "30", "--deadline", deadline)
        result = run(runner, *args, env=server.env())
        took = time.monotonic() - start
    assert result.exit_code == 1
    assert took < 15, took  # not the 30 s timeout
    lines = result.stderr.splitlines()
    assert len([x for x in lines if x.startswith("已发送：")]) == sent
    assert len([x for x in lines if x.startswith("结果不明：")]) == unknown
    passed = [x for x in lines if x.endswith("已到本次运行的时限（--deadline），未再尝试")]
    assert len(passed) == 5 - sent - unknown
    assert f"邮件：{sent} 个收件人已发送，{5 - sent} 个未发送" in result.stderr
    assert len(recorded(state)) == sent + unknown


# --- One run at a time (point 1) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("wait", "code", "said"),
    [
        pytest.param("0", 75, "另一次运行正在使用发送记录", id="no-wait"),
        pytest.param(
            "30", 0, "5 个收件人本期（2024-W23）已收到内容相同的邮件", id="waits-its-turn"
        ),
    ],
)
def test_two_runs_at_once_send_each_message_once(
    register: Path, state: Path, wait: str, code: int, said: str
) -> None:
    args = officers_mail(register, state)
    with running() as server:
        server.recorder.hold_from_data = 1  # the first run holds the lock while it sends
        first = spawn(args, server.env())
        assert server.recorder.holding.wait(30)
        second = spawn([*args, "--wait", wait], server.env())
        if wait == "0":
            _, second_err = second.communicate(timeout=30)
        else:
            assert "最多等待 30 秒" in read_line(second.stderr)
        server.recorder.hold_from_data = None
        server.recorder.release.set()
        _, first_err = first.communicate(timeout=60)
        if wait != "0":
            _, second_err = second.communicate(timeout=60)
    assert first.returncode == 0, first_err.decode()
    assert second.returncode == code, second_err.decode()
    assert said in second_err.decode()
    assert envelopes(server.recorder) == EVERYONE
    assert recorded(state) == sorted((r, "sent") for r in EVERYONE)


def test_a_run_killed_halfway_is_finished_by_the_next(register: Path, state: Path) -> None:
    args = officers_mail(register, state, "--smtp-timeout", "60")
    with running() as server:
        server.recorder.hold_from_data = 3
        server.recorder.keep_held = False
        killed = spawn(args, server.env())
        assert server.recorder.holding.wait(30)
        # Two messages accepted, the third handed over and waiting for its answer.
        killed.send_signal(signal.SIGKILL)
        _, err = killed.communicate(timeout=30)
        assert killed.returncode == -signal.SIGKILL
        # Each result was printed and recorded as it happened, not at the end.
        assert [x.split("（")[0] for x in err.decode().splitlines()] == [
            "已发送：c1@example.cn",
            "已发送：c2@example.cn",
        ]
        assert recorded(state) == [("c1@example.cn", "sent"), ("c2@example.cn", "sent")]
        server.recorder.hold_from_data = None
        server.recorder.release.set()
        # The lock died with the killed run: the next one need not wait.
        rerun = spawn(args, server.env())
        _, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err.decode()
    assert "2 个收件人本期（2024-W23）已收到内容相同的邮件" in err.decode()
    assert envelopes(server.recorder) == EVERYONE
    assert recorded(state) == sorted((r, "sent") for r in EVERYONE)


# --- No line separator reaches a header (point 5) -------------------------------------------------

BREAKS = ("\u2028", "\u2029", "\x85", "\r", "\n")
HEADERS = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "X-Mailer",
    "X-Renewal-Place",
    "MIME-Version",
    "Content-Type",
]


def _holder_named(name: str) -> Any:
    return lambda register: write_register(
        register, [ROWS[0].replace("百色甲公司", f'"{name}"'), *ROWS[1:2]]
    )


@pytest.mark.parametrize(
    ("mode", "extra", "setup", "header", "shown"),
    [
        pytest.param(
            "holders",
            [],
            _holder_named("百色\u2028甲公司"),
            "Subject",
            "百色 甲公司",
            id="holder-ls",
        ),
        pytest.param(
            "holders",
            [],
            _holder_named("百色\u2029甲公司"),
            "X-Renewal-Place",
            "百色 甲公司",
            id="holder-ps",
        ),
        pytest.param(
            "holders", [], _holder_named("百色\x85甲公司"), "Subject", "甲公司", id="holder-nel"
        ),
        pytest.param(
            "holders",
            [],
            _holder_named("甲公司\r\nBcc: evil@example.cn"),
            "Subject",
            "甲公司",
            id="holder-crlf",
        ),
        pytest.param(
            "holders",
            ["--office", "百色市\u2028农业农村局"],
            None,
            "Subject",
            "百色市 农业农村局",
            id="office-ls",
        ),
        pytest.param(
            "holders",
            ["--office", "百色市\x85农业农村局"],
            None,
            "Subject",
            # The office is cleaned as a register cell is, where NEL (a C1 control, most often a
            # mis-decoded "…") is dropped before any header sees it.
            "百色市农业农村局",
            id="office-nel",
        ),
        pytest.param(
            "holders",
            ["--letterhead", "百色市\u2029农业农村局文件"],
            None,
            "Subject",
            "百色市农业农村局",
            id="letterhead",
        ),
        pytest.param(
            "holders",
            ["--cc", "张\u2028三 <officer@example.cn>"],
            None,
            "Cc",
            "张 三 <officer@example.cn>",
            id="cc-name",
        ),
        pytest.param(
            "officers",
            ["--to", "a@example.cn", "--from", "续展\u2029提醒 <renewal@example.cn>"],
            None,
            "From",
            "续展 提醒 <renewal@example.cn>",
            id="from-name",
        ),
        pytest.param(
            "officers",
            ["--to", "李\x85四 <a@example.cn>"],
            None,
            "To",
            "李 四 <a@example.cn>",
            id="to-name",
        ),
        pytest.param("contacts", [], None, "To", "黄 工 <baise@example.cn>", id="contact-name"),
    ],
)
def test_line_separators_become_spaces_before_any_header(
    runner: CliRunner,
    register: Path,
    state: Path,
    mode: str,
    extra: list[str],
    setup: Any,
    header: str,
    shown: str,
) -> None:
    if setup is not None:
        setup(register)
    if mode == "holders":
        args = [*holders_mail(register, state), *extra]
    elif mode == "officers":
        args = ["mail", str(register), "--as-of", AS_OF, *extra]
    else:
        contacts = register.with_name("contacts.csv")
        contacts.write_text("地区,姓名,邮箱\n百色,黄\u2028工,baise@example.cn\n", encoding="utf-8")
        args = ["mail", str(register), "--contacts", str(contacts), "--as-of", AS_OF, *extra]
    with running() as server:
        result = run(runner, *args, env=server.env())
    assert result.exit_code == 0, result.stderr
    assert server.recorder.received
    for got in server.recorder.received:
        message = parse(got.raw)
        # Nothing was smuggled in: the headers a message of ours has, each once.
        names = [name for name in message if name != "Cc"]
        # (A message for every place names none.)
        assert names in (HEADERS, [h for h in HEADERS if h != "X-Renewal-Place"])
        assert all(ch not in str(value) for value in message.values() for ch in BREAKS)
        assert got.rcpt_tos[0] != "evil@example.cn" and len(got.rcpt_tos) <= 2
    values = [str(r.message[header]) for r in server.recorder.received]
    assert any(shown in value for value in values), values
