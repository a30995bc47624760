"""Field fixes to `renewal mail`, end to end against a real SMTP server (aiosmtpd, conftest).

- `--dry-run DIR` replaces an earlier run's messages and leaves other files alone (issue 7, 21);
- internationalised addresses: IDNA domains, SMTPUTF8 for a non-ASCII local part (issue 7, 22);
- SMTP failures worded in the user's language, the server's own words quoted (issue 7, 8);
- `--split-by` with `--contacts` is refused (issue 6, 5);
- the digest, the table, the CSV and the calendar word an item alike (issue 6, 3).
"""

from __future__ import annotations

import csv
import io
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import PASSWORD, SENDER, USER, events, run, running

HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期,联系人"
ROWS = [
    # On AS_OF 2024-06-01 (plan year 2024, green food filed 3 months before expiry):
    "G1,百色甲公司,芒果,绿色食品,百色,田阳区,2021-10-02,2024-10-01,,黄主任",  # pending
    "G2,百色乙公司,茶叶,绿色食品,百色,右江区,2021-07-01,2024-06-30,,",  # late
    "G3,南宁丙公司,大米,绿色食品,南宁,横州市,2021-12-01,2024-11-30,,",  # pending
    "G4,百色丁公司,沃柑,绿色食品,百色,田东县,2021-09-01,2024-08-31,2024-05-01,",  # filed
    "G5,百色戊公司,香蕉,绿色食品,百色,田东县,2021-05-01,2024-04-30,,",  # expired
    # G6's holder and product renewed as G7, issued later and expiring later: superseded.
    "G6,百色己公司,荔枝,绿色食品,百色,田阳区,2021-03-01,2024-02-28,,",
    "G7,百色己公司,荔枝,绿色食品,百色,田阳区,2024-03-01,2027-02-28,,",
]
AS_OF = ["--as-of", "2024-06-01"]
IDN_DOMAIN = "xn--fsqu00a.xn--fiqs8s"  # 例子.中国 in IDNA


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="gb18030")
    return path


def parse(data: bytes) -> EmailMessage:
    """A message as a mail client reads it. Headers may be UTF-8 (RFC 6532, sent with
    SMTPUTF8), which message_from_bytes would read as ASCII with escapes: decode first."""
    parsed = message_from_string(data.decode("utf-8"), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def digest(message: EmailMessage) -> list[str]:
    body = message.get_body(("plain",))
    assert body is not None
    content = body.get_content()
    assert isinstance(content, str)
    return content.splitlines()


def write_contacts(path: Path, rows: list[str]) -> Path:
    path.write_text("地区,姓名,邮箱\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# --- --dry-run into a folder that holds an earlier run (issue 7, point 21) -----------------------

DRY = ["--to", "a@example.cn", "--from", SENDER]

# Files in the outbox that are not messages of ours: never touched.
FOREIGN: dict[str, bytes] = {
    # Another mail program's message.
    "草稿.eml": (
        b"From: li@example.cn\r\nTo: zhang@example.cn\r\nX-Mailer: Foxmail 7.2\r\n"
        b"Subject: hello\r\n\r\nnot ours\r\n"
    ),
    # Our header name and program name, but in the body: still not one of ours.
    "转发.eml": (
        b"From: li@example.cn\r\nTo: zhang@example.cn\r\nSubject: fwd\r\n\r\n"
        b"X-Mailer: renewal-cli 0.1.0\r\n"
    ),
    "说明.txt": b"the officer's own notes\n",
}


@pytest.mark.parametrize(
    ("first", "second", "written"),
    [
        pytest.param(
            ["--split-by", "city"],
            ["--split-by", "county"],
            ["右江区.eml", "横州市.eml", "田东县.eml", "田阳区.eml"],
            id="counties-replace-cities",
        ),
        pytest.param(
            ["--split-by", "county"],
            ["--split-by", "city", "--city", "百色"],
            ["百色市.eml"],
            id="one-city-replaces-every-county",
        ),
        pytest.param(
            ["--split-by", "city"],
            [],
            ["all.eml"],
            id="one-message-replaces-a-split",
        ),
        pytest.param(
            ["--split-by", "city"],
            ["--split-by", "city", "--city", "南宁"],
            ["南宁市.eml"],
            id="same-split-narrower-selection",
        ),
        pytest.param(
            ["--split-by", "county"],
            ["--scheme", "organic", "--quiet"],
            [],
            id="nothing-to-send-leaves-no-stale-message",
        ),
    ],
)
def test_dry_run_replaces_an_earlier_run(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    first: list[str],
    second: list[str],
    written: list[str],
) -> None:
    out = tmp_path / "outbox"
    earlier = run(runner, "mail", str(register), *DRY, *first, "--dry-run", str(out), *AS_OF)
    assert earlier.exit_code == 0, earlier.stderr
    left_over = {p.name for p in out.glob("*.eml")}
    assert left_over  # the earlier run left messages of ours
    for name, data in FOREIGN.items():
        (out / name).write_bytes(data)
    later = [*DRY, *second, "--dry-run", str(out), "--as-of", "2024-06-08"]
    result = run(runner, "mail", str(register), *later)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([*written, *FOREIGN])
    for name, data in FOREIGN.items():
        assert (out / name).read_bytes() == data
    for name in written:
        message = parse((out / name).read_bytes())
        assert "2024-06-08" in str(message["Subject"])  # this run's, not the earlier one's
    assert not list(out.glob(".*.tmp"))


def test_dry_run_reports_what_it_wrote(runner: CliRunner, register: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    args = ["mail", str(register), *DRY, "--split-by", "city", "--dry-run", str(out), *AS_OF]
    assert run(runner, *args).exit_code == 0
    again = run(runner, *args)
    assert again.exit_code == 0, again.stderr
    assert f"--dry-run：已将 2 封邮件写入 {out}，没有发送" in again.stderr.splitlines()
    assert sorted(p.name for p in out.iterdir()) == ["南宁市.eml", "百色市.eml"]


# --- Internationalised addresses (issue 7, point 22) ---------------------------------------------


@pytest.mark.parametrize(
    ("to", "options", "envelope", "ascii_head"),
    [
        pytest.param(["a@例子.中国"], {}, [[f"a@{IDN_DOMAIN}"]], True, id="idna-domain"),
        pytest.param(
            ["a@例子.中国"],
            {"enable_SMTPUTF8": False},
            [[f"a@{IDN_DOMAIN}"]],
            True,
            id="idna-domain-needs-no-smtputf8",
        ),
        pytest.param(["用户@例子.中国"], {}, [[f"用户@{IDN_DOMAIN}"]], False, id="utf8-local-part"),
        pytest.param(
            ["张三 <用户@例子.中国>", "a@例子.中国"],
            {},
            [[f"用户@{IDN_DOMAIN}", f"a@{IDN_DOMAIN}"]],
            False,
            id="both-in-one-message",
        ),
    ],
)
def test_internationalised_recipients_are_delivered(
    runner: CliRunner,
    register: Path,
    to: list[str],
    options: dict[str, Any],
    envelope: list[list[str]],
    ascii_head: bool,
) -> None:
    with running(**options) as server:
        args = [arg for address in to for arg in ("--to", address)]
        result = run(runner, "mail", str(register), *args, *AS_OF, env=server.env())
        assert result.exit_code == 0, result.stderr
        received = server.recorder.received
    assert [r.rcpt_tos for r in received] == envelope
    (got,) = received
    assert got.mail_from == SENDER
    assert [a.addr_spec for a in parse(got.raw)["To"].addresses] == envelope[0]
    head = got.raw.split(b"\r\n\r\n", 1)[0]
    # Only a non-ASCII local part makes the message need SMTPUTF8 (and UTF-8 headers).
    assert head.isascii() is ascii_head
    for address in envelope[0]:
        local = address.split("@")[0]
        assert any(
            line.startswith("已发送：") and local in line for line in result.stderr.splitlines()
        ), result.stderr


def test_internationalised_addresses_in_a_contacts_file(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    contacts = write_contacts(
        tmp_path / "contacts.csv",
        ["百色,黄工,a@例子.中国", "南宁,李工,用户@例子.中国", "田阳县,韦工,韦工@例子.中国"],
    )
    with running() as server:
        result = run(
            runner, "mail", str(register), "--contacts", str(contacts), *AS_OF, env=server.env()
        )
        assert result.exit_code == 0, result.stderr
        received = {r.rcpt_tos[0]: parse(r.raw) for r in server.recorder.received}
    assert set(received) == {
        f"a@{IDN_DOMAIN}",
        f"用户@{IDN_DOMAIN}",
        f"韦工@{IDN_DOMAIN}",
    }
    # Each officer still gets exactly their own place.
    baise = "\n".join(digest(received[f"a@{IDN_DOMAIN}"]))
    nanning = "\n".join(digest(received[f"用户@{IDN_DOMAIN}"]))
    tianyang = "\n".join(digest(received[f"韦工@{IDN_DOMAIN}"]))
    assert "G1" in baise and "G2" in baise and "G3" not in baise
    assert "G3" in nanning and "G1" not in nanning
    assert "G1" in tianyang and "G2" not in tianyang
    assert str(received[f"用户@{IDN_DOMAIN}"]["To"]) == f"李工 <用户@{IDN_DOMAIN}>"


# --- SMTP failures in the user's language (issue 7, point 8) -------------------------------------

UNKNOWN = "550 5.1.1 <a@example.cn>: Recipient address rejected: User unknown"
REFUSED_LOGIN = "535 5.7.8 Authentication credentials invalid"


@pytest.mark.parametrize(
    ("failure", "lang", "expected", "foreign"),
    [
        pytest.param(
            "login",
            "zh",
            "未发送：a@example.cn（全部地区）：登录邮件服务器 {server} 失败：用户名或密码错误"
            f"（服务器原话：{REFUSED_LOGIN}）",
            ["NOT sent", "login to", "failed:"],
            id="login-535-zh",
        ),
        pytest.param(
            "login",
            "en",
            "NOT sent: a@example.cn (all places): login to {server} failed: authentication "
            f"failed (server said: {REFUSED_LOGIN})",
            ["未发送", "服务器原话"],
            id="login-535-en",
        ),
        pytest.param(
            "refused",
            "zh",
            "未发送：a@example.cn（全部地区）：无法连接邮件服务器 {server}："
            "连接被拒绝（服务器没有在该端口提供服务）",
            ["NOT sent", "Connection refused", "Errno", "cannot connect"],
            id="connection-refused-zh",
        ),
        pytest.param(
            "refused",
            "en",
            "NOT sent: a@example.cn (all places): cannot connect to {server}: connection refused",
            ["未发送", "无法连接", "Errno"],
            id="connection-refused-en",
        ),
        pytest.param(
            "recipient",
            "zh",
            "未发送：a@example.cn（全部地区）：服务器拒收该收件人：邮箱不存在或被拒绝"
            f"（服务器原话：{UNKNOWN}）",
            ["NOT sent", "refused the recipient"],
            id="unknown-recipient-550-zh",
        ),
        pytest.param(
            "recipient",
            "en",
            "NOT sent: a@example.cn (all places): the server refused the recipient: mailbox "
            f"unavailable or refused (server said: {UNKNOWN})",
            ["未发送", "服务器原话"],
            id="unknown-recipient-550-en",
        ),
    ],
)
def test_smtp_failures_in_the_users_language(
    runner: CliRunner,
    register: Path,
    closed_port: int,
    failure: str,
    lang: str,
    expected: str,
    foreign: list[str],
) -> None:
    with running() as server:
        env = server.env()
        if failure == "login":
            env |= {"RENEWAL_SMTP_USER": USER, "RENEWAL_SMTP_PASSWORD": "wrong-" + PASSWORD}
        elif failure == "refused":
            env["RENEWAL_SMTP_PORT"] = str(closed_port)
        else:
            server.recorder.rcpt_replies["a@example.cn"] = UNKNOWN
        args = ["mail", str(register), "--to", "a@example.cn", "--lang", lang, *AS_OF]
        result = run(runner, *args, env=env)
        assert server.recorder.received == []
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert expected.format(server=f"127.0.0.1:{env['RENEWAL_SMTP_PORT']}") in lines, lines
    report = (
        "邮件：0 个收件人已发送，1 个未发送"
        if lang == "zh"
        else "mail: 0 recipients sent, 1 not sent"
    )
    assert report in lines
    for words in foreign:
        assert words not in result.stderr
    assert PASSWORD not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("lang", "expected", "foreign"),
    [
        pytest.param(
            "zh",
            "服务器不支持中文邮件地址（SMTPUTF8）",
            ["NOT sent", "internationalized email support", "does not advertise"],
            id="zh",
        ),
        pytest.param(
            "en",
            "the server does not take internationalised addresses (SMTPUTF8)",
            ["未发送", "服务器不支持"],
            id="en",
        ),
    ],
)
def test_server_without_smtputf8_in_the_users_language(
    runner: CliRunner, register: Path, lang: str, expected: str, foreign: list[str]
) -> None:
    """A non-ASCII local part to a server that does not offer SMTPUTF8: not sent, and said so in
    the user's language. The explanation is the program's, not the server's, so nothing of it
    may stay in English under --lang zh."""
    with running(enable_SMTPUTF8=False) as server:
        args = ["mail", str(register), "--to", "用户@例子.中国", "--lang", lang, *AS_OF]
        result = run(runner, *args, env=server.env())
        assert server.recorder.received == []
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if "用户@" in x]
    assert expected in line
    for words in foreign:
        assert words not in result.stderr


# --- --split-by with --contacts (issue 6, point 5) -----------------------------------------------

SPLIT_WITH_CONTACTS = {
    "zh": "--split-by 不能与 --contacts 同时使用：联系人文件已决定每人收到哪个地区",
    "en": "--split-by does not go with --contacts: the contacts file already decides which "
    "place each officer gets",
}


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        pytest.param(["--split-by", "county"], "zh", id="county"),
        pytest.param(["--split-by", "city"], "zh", id="city"),
        pytest.param(["--split-by", "city", "--quiet"], "zh", id="quiet-still-says-why"),
        pytest.param(["--split-by", "county", "--dry-run", "{out}"], "zh", id="dry-run"),
        pytest.param(["--split-by", "county", "--lang", "en"], "en", id="english"),
    ],
)
def test_split_by_with_contacts_is_refused(
    runner: CliRunner, register: Path, tmp_path: Path, args: list[str], lang: str
) -> None:
    out = tmp_path / "outbox"
    contacts = write_contacts(tmp_path / "contacts.csv", ["百色,黄工,a@example.cn"])
    given = [arg.format(out=out) for arg in args]
    with running() as server:
        result = run(
            runner,
            "mail",
            str(register),
            "--contacts",
            str(contacts),
            *given,
            *AS_OF,
            env=server.env(),
        )
        assert server.recorder.received == []
    assert result.exit_code == 2
    assert result.stdout == ""
    assert SPLIT_WITH_CONTACTS[lang] in result.stderr.splitlines()
    if lang == "zh":
        assert "Usage" not in result.stderr and "Error" not in result.stderr
    assert not out.exists()


# --- One presentation: the digest words an item as the table, CSV and calendar do -----------------


@pytest.mark.parametrize(
    ("cert_id", "file_by", "status", "when", "in_calendar"),
    [
        pytest.param("G1", "2024-07-01", "待申报", "还剩30天", True, id="pending"),
        pytest.param("G2", "2024-03-30", "已逾期", "已过63天", True, id="late"),
        pytest.param("G4", "2024-05-31", "已申报", "已于 2024-05-01 申报", False, id="filed"),
        pytest.param("G5", "2024-01-30", "已过期", "过期32天", False, id="expired"),
        pytest.param("G6", "2023-11-28", "已有新证", "新证 G7", False, id="superseded"),
    ],
)
def test_one_presentation(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    cert_id: str,
    file_by: str,
    status: str,
    when: str,
    in_calendar: bool,
) -> None:
    # The renewals: green certificates also give an annual inspection (issue 8).
    every = [str(register), "--all", "--kind", "renewal", *AS_OF]
    wide = {"COLUMNS": "200"}

    # The mail digest: "FILE_BY  STATUS  ACTION  WHEN", then the certificate on the next line.
    out = tmp_path / "outbox"
    mailed = run(runner, "mail", *every, *DRY, "--dry-run", str(out))
    assert mailed.exit_code == 0, mailed.stderr
    lines = digest(parse((out / "all.eml").read_bytes()))
    (index,) = [i for i, line in enumerate(lines) if line.startswith(f"    {cert_id}  ")]
    day, said_status, action, said_when = lines[index - 1].split("  ")
    assert (day, said_status, said_when) == (file_by, status, when)

    # The table: the same status beside the number, the same words under the file-by date.
    table = run(runner, "due", *every, env=wide)
    assert table.exit_code == 0, table.stderr
    rows = table.stdout.splitlines()
    (row,) = [i for i, line in enumerate(rows) if f"  {cert_id}  " in line]
    assert rows[row].split()[:3] == [file_by, status, cert_id]
    if rows[row + 1].startswith("提交 "):
        # A file-by day off work (G2's 2024-03-30 is a Saturday): the working day to submit
        # by comes first, then the words (issue 8).
        assert (cert_id, rows[row + 1].split()[1]) == ("G2", "2024-03-29")
        row += 1
    assert (rows[row + 1] + "  ").startswith(when + "  ")

    # The CSV: the same status and action words.
    listed = run(runner, "due", *every, "--format", "csv")
    assert listed.exit_code == 0, listed.stderr
    records = {
        r["证书编号"]: r for r in csv.DictReader(io.StringIO(listed.stdout.lstrip("\ufeff")))
    }
    assert (records[cert_id]["状态"], records[cert_id]["处理方式"]) == (status, action)
    assert records[cert_id]["申报截止日"] == file_by

    # The calendar: the same file-by date, without the day count (an event is read on the day
    # it falls, not on AS_OF: issue 17); a pending item's action in the same words, a late one's
    # window said as closed and what is still possible.
    calendar = run(runner, "calendar", *every)
    assert calendar.exit_code == 0, calendar.stderr
    mine = [
        e for e in events(calendar.stdout_bytes) if f"证书编号：{cert_id}\n" in e["DESCRIPTION"]
    ]
    assert bool(mine) is in_calendar
    for event in mine:
        description = str(event["DESCRIPTION"]).splitlines()
        if status == "待申报":
            assert f"申报截止日：{file_by}" in description
            assert f"处理方式：{action}" in description
        else:
            assert f"办理时限：续展申报期已于{file_by}截止" in description
            assert "处理方式：按新申报产品重新申报（提交新申报材料）" in description
        assert not any(when in line for line in description)


@pytest.mark.parametrize(
    ("cert_id", "when"),
    [
        pytest.param("G4", "filed on 2024-05-01", id="filed"),
        pytest.param("G6", "renewed as G7", id="superseded"),
    ],
)
def test_one_presentation_in_english(
    runner: CliRunner, register: Path, tmp_path: Path, cert_id: str, when: str
) -> None:
    every = [str(register), "--all", "--kind", "renewal", "--lang", "en", *AS_OF]
    out = tmp_path / "outbox"
    assert run(runner, "mail", *every, *DRY, "--dry-run", str(out)).exit_code == 0
    lines = digest(parse((out / "all.eml").read_bytes()))
    (index,) = [i for i, line in enumerate(lines) if line.startswith(f"    {cert_id}  ")]
    assert lines[index - 1].endswith(f"  {when}")
    table = run(runner, "due", *every, env={"COLUMNS": "200"}).stdout.splitlines()
    (row,) = [i for i, line in enumerate(table) if f"  {cert_id}  " in line]
    assert table[row + 1].startswith(when + "  ")
