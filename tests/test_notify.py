"""`renewal notify` end to end: registers written here, a real HTTP server on 127.0.0.1 that keeps
each chat platform's contract (tests/robots.py), the delivery record in a temporary folder."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import plan_warning, run
from renewal_cli.cli import today_in_china
from renewal_cli.dates import issue_from_expiry
from robots import Robots, Running, message_text, serving

ROOT = Path(__file__).parents[1]
HEADER = "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期"
ROWS = [
    # On AS_OF 2024-06-01, renewals only: pending, file-by 2024-07-01.
    "G1,百色甲公司,芒果,绿色食品,百色,田阳区,2021-10-02,2024-10-01,",
    # Late: its file-by day 2024-03-30 has passed, it expires 2024-06-30.
    "G2,百色乙公司,茶叶,绿色食品,百色,右江区,2021-07-01,2024-06-30,",
    # Pending in Nanning, file-by 2024-08-30.
    "G3,南宁丙公司,大米,绿色食品,南宁,横州市,2021-12-01,2024-11-30,",
    # Pending in Hechi, where no robot is: reported, never dropped in silence.
    "G4,河池丁公司,核桃,绿色食品,河池,天峨县,2021-07-01,2024-09-30,",
]
AS_OF = ["--as-of", "2024-06-01", "--kind", "renewal"]
# Keys and secrets long and unlike anything else, so that finding them anywhere is a leak.
WK = "wk-5f0e8c7d-3a91-4bc4-97a0-0ec2baise"
DK = "dk-b7e19a2c44d0f6138e5a9c7d2b1f0e3a8c6d4b2a0f1e3d5c7b9a1e3f5d7tian"
FK = "fk-0b3c8f21-5d7e-4c4a-9e61-2f6c9dnanning"
DSECRET = "SECd4f0c2e9b8a1f6e3d5c7b9a0e2f4d6c8b1a3e5f7d9c0b2a4e6f8d0c1b3a5e7"
FSECRET = "fs-Xq9w2Lk7Rt5Yp3Mn8Bv6Cz4"
SECRETS: dict[str, str | None] = {WK: None, DK: DSECRET, FK: FSECRET}


def register_file(path: Path, rows: list[str] = ROWS) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="gb18030")
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return register_file(tmp_path / "台账.csv")


@pytest.fixture
def robots() -> Iterator[Running]:
    with serving(Robots(secrets=dict(SECRETS))) as running:
        yield running


def webhooks_file(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text(
        "地区,机器人地址,加签密钥\n" + "".join(f"{p},{u},{s}\n" for p, u, s in rows), "utf-8"
    )
    path.chmod(0o600)
    return path


@pytest.fixture
def webhooks(tmp_path: Path, robots: Running) -> Path:
    return webhooks_file(
        tmp_path / "webhooks.csv",
        [
            ("百色", robots.url("wecom", WK), ""),
            ("田阳县", robots.url("dingtalk", DK), DSECRET),
            ("南宁市", robots.url("feishu", FK), FSECRET),
        ],
    )


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state" / "delivery.sqlite3"


def notify(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> object:
    return run(runner, "notify", *args, env=env)


def lines(result: object) -> list[str]:
    return str(getattr(result, "stderr")).splitlines()  # noqa: B009


# --- 1. The command -------------------------------------------------------------------------------


def test_each_place_gets_its_digest_in_its_group(
    runner: CliRunner, register: Path, webhooks: Path, state: Path, robots: Running
) -> None:
    port = robots.port
    result = notify(
        runner, str(register), "--webhooks", str(webhooks), "--state", str(state), *AS_OF
    )
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert lines(result) == [
        f"已发送：飞书 127.0.0.1:{port} …ning（南宁市，1 条消息）",
        f"已发送：钉钉 127.0.0.1:{port} …tian（田阳区，1 条消息）",
        f"已发送：企业微信 127.0.0.1:{port} …aise（百色市，1 条消息）",
        "注意：1 条提醒所在地区没有机器人，未发送：河池市 天峨县",
        "群消息：3 个群已发送，0 个未发送",
        f"{register}：4 行，4 个证书，0 行有问题；另有表头 1 行（文件共 5 行）",
    ]
    assert robots.robots.texts(WK) == [
        "**证书续展提醒　百色市　截至 2024-06-01**\n"
        "共 2 条：待申报 1，已逾期 1\n"
        "2024-03-30 已逾期 G2 百色乙公司 茶叶 右江区\n"
        "2024-07-01 待申报 G1 百色甲公司 芒果 田阳区\n"
        "依据 2024 年工作方案"
    ]
    assert robots.robots.texts(DK) == [
        "#### 证书续展提醒　田阳区　截至 2024-06-01\n\n"
        "共 1 条：待申报 1\n\n"
        "2024-07-01 待申报 G1 百色甲公司 芒果 田阳区\n\n"
        "依据 2024 年工作方案"
    ]
    assert robots.robots.texts(FK) == [
        "证书续展提醒 南宁市 截至 2024-06-01\n"
        "共 1 条：待申报 1\n"
        "2024-08-30 待申报 G3 南宁丙公司 大米 横州市\n"
        "依据 2024 年工作方案"
    ]


@pytest.mark.parametrize(
    ("options", "first", "plan"),
    [
        pytest.param(
            ["--as-of", "2026-06-01"],
            "**证书续展提醒　全部地区　截至 2026-06-01**",
            "未载入 2026 年工作方案，沿用 2024 年工作方案",
            id="zh-2026",
        ),
        pytest.param(
            ["--as-of", "2024-06-01", "--lang", "en"],
            "**Certificate renewals, all places, as of 2024-06-01**",
            "Judged by the 2024 work plan",
            id="en-2024",
        ),
    ],
)
def test_the_plan_line_and_the_language(
    runner: CliRunner,
    register: Path,
    state: Path,
    robots: Running,
    options: list[str],
    first: str,
    plan: str,
) -> None:
    env = {"ROBOT": robots.url("wecom", WK)}
    args = ["--webhook", "env:ROBOT", "--state", str(state), "--all", *options]
    result = notify(runner, str(register), *args, env=env)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    (said,) = robots.robots.texts(WK)
    assert said.splitlines()[0] == first and said.splitlines()[-1] == plan


def test_the_selection_decides_what_each_group_gets(
    runner: CliRunner, register: Path, webhooks: Path, state: Path, robots: Running
) -> None:
    """--city 百色: the Nanning robot gets nothing (not "nothing to do"), and no item outside
    the selection counts as having no robot."""
    args = ["--webhooks", str(webhooks), "--state", str(state), "--city", "百色", *AS_OF]
    result = notify(runner, str(register), *args)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert {a.key for a in robots.robots.accepted} == {WK, DK}
    assert not any("没有机器人" in line for line in lines(result))


def test_quiet_prints_nothing_when_all_is_sent_and_skips_empty_groups(
    runner: CliRunner, register: Path, tmp_path: Path, state: Path, robots: Running
) -> None:
    path = webhooks_file(
        tmp_path / "w.csv",
        [("百色", robots.url("wecom", WK), ""), ("河池", robots.url("dingtalk", DK), DSECRET)],
    )
    args = ["--webhooks", str(path), "--state", str(state), "--city", "百色,河池", "-q"]
    # On 2024-01-01 G4 (河池) is not due within 120 days: its group gets nothing under -q.
    result = notify(runner, str(register), *args, "--as-of", "2024-01-01")
    assert (result.exit_code, result.stderr) == (0, "")  # type: ignore[attr-defined]
    assert [a.key for a in robots.robots.accepted] == [WK]
    loud = notify(runner, str(register), *args[:-1], "--as-of", "2024-01-01", "--resend")
    assert robots.robots.texts(DK)[-1].split("\n\n")[1:3] == [
        "共 0 条：无需处理",
        "截至 2024-01-01，没有需要处理的证书。",
    ]
    assert loud.exit_code == 0


def test_fail_on_exits_3_after_sending(
    runner: CliRunner, register: Path, webhooks: Path, state: Path, robots: Running
) -> None:
    args = ["--webhooks", str(webhooks), "--state", str(state), "--fail-on", "late", *AS_OF]
    result = notify(runner, str(register), *args)
    assert result.exit_code == 3
    assert len(robots.robots.accepted) == 3


# --- 2. Addresses and secrets ---------------------------------------------------------------------


def test_one_webhook_from_the_environment_signed_with_the_secret(
    runner: CliRunner, register: Path, state: Path, robots: Running
) -> None:
    env = {"RENEWAL_DINGTALK": robots.url("dingtalk", DK), "RENEWAL_WEBHOOK_SECRET": DSECRET}
    args = ["--webhook", "env:RENEWAL_DINGTALK", "--state", str(state), "--city", "百色", *AS_OF]
    result = notify(runner, str(register), *args, env=env)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    (text,) = robots.robots.texts(DK)
    assert text.startswith("#### 证书续展提醒　百色市　截至 2024-06-01")
    assert "key" not in result.stderr  # type: ignore[attr-defined]  # no warning about ps


def test_a_webhook_on_the_command_line_is_sent_with_a_warning(
    runner: CliRunner, register: Path, state: Path, robots: Running
) -> None:
    args = ["--webhook", robots.url("wecom", WK), "--state", str(state), *AS_OF]
    result = notify(runner, str(register), *args)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert lines(result)[0].startswith("注意：命令行上的机器人地址含有 key")
    assert WK not in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        pytest.param([], {}, "没有机器人地址", id="none"),
        pytest.param(
            ["--webhook", "env:ROBOT", "--webhooks", "w.csv"],
            {"ROBOT": "x"},
            "--webhook 和 --webhooks 只能用一个",
            id="both",
        ),
        pytest.param(
            ["--webhook", "env:RENEWAL_NO_SUCH"],
            {},
            "环境变量 RENEWAL_NO_SUCH 未设置或为空",
            id="env-unset",
        ),
        pytest.param(
            ["--webhook", "env:ROBOT"],
            {"ROBOT": "https://hooks.example.com/send?key=k-topsecret-0001"},
            "--webhook 的机器人地址“hooks.example.com …0001”不能用：hooks.example.com 不是企业微信",
            id="unknown-host",
        ),
        pytest.param(
            ["--webhook", "env:ROBOT"],
            {
                "ROBOT": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-topsecret-0001",
                "RENEWAL_WEBHOOK_SECRET": "SEC-topsecret",
            },
            "企业微信群机器人不支持加签",
            id="secret-for-wecom",
        ),
        pytest.param(
            ["--webhook", "env:ROBOT", "--max-messages", "0"],
            {"ROBOT": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"},
            "--max-messages 应在 1 到 100 之间：0",
            id="max-messages",
        ),
        pytest.param(
            ["--webhook", "env:ROBOT", "--timeout", "0"],
            {"ROBOT": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"},
            "--timeout",
            id="timeout",
        ),
    ],
)
def test_usage_errors_exit_2_and_show_no_key(
    runner: CliRunner, register: Path, state: Path, args: list[str], env: dict[str, str], said: str
) -> None:
    result = notify(runner, str(register), *args, "--state", str(state), env=env)
    assert result.exit_code == 2, result.stderr  # type: ignore[attr-defined]
    assert said in result.stderr  # type: ignore[attr-defined]
    assert "topsecret" not in result.stderr  # type: ignore[attr-defined]
    assert not state.exists()


@pytest.mark.parametrize(
    ("row", "said"),
    [
        pytest.param(
            "北京,{wecom},",
            "第 4 行，“地区”列（A 列），值“北京”：不是广西的县（市、区）或设区市",
            id="unknown-place",
        ),
        pytest.param(
            "百色,https://hooks.example.com/send?key=topsecret-9z9z,",
            "第 4 行，“机器人地址”列（B 列），值“hooks.example.com …9z9z”：",
            id="unknown-host",
        ),
        pytest.param(
            "百色,{wecom},SEC-topsecret",
            "第 4 行，“加签密钥”列（C 列），值“***”：企业微信群机器人不支持加签",
            id="secret-for-wecom",
        ),
    ],
)
def test_a_bad_row_stops_the_run_before_anything_is_sent(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    state: Path,
    robots: Running,
    row: str,
    said: str,
) -> None:
    path = tmp_path / "webhooks.csv"
    path.write_text(
        "地区,机器人地址,加签密钥\n"
        f"南宁,{robots.url('feishu', FK)},{FSECRET}\n"
        f"田阳,{robots.url('dingtalk', DK)},{DSECRET}\n"
        + row.replace("{wecom}", robots.url("wecom", WK))
        + "\n",
        "utf-8",
    )
    result = notify(runner, str(register), "--webhooks", str(path), "--state", str(state), *AS_OF)
    assert result.exit_code == 1
    (line,) = lines(result)
    assert line.startswith(f"{path} {said}")
    for secret in ("topsecret", WK, DK, FK, DSECRET, FSECRET):
        assert secret not in result.stderr  # type: ignore[attr-defined]
    assert robots.robots.accepted == [] and robots.robots.refused == []
    assert not state.exists()


def test_a_webhooks_file_others_can_read_is_named(
    runner: CliRunner, register: Path, webhooks: Path, state: Path
) -> None:
    webhooks.chmod(0o644)
    result = notify(
        runner, str(register), "--webhooks", str(webhooks), "--state", str(state), *AS_OF
    )
    assert result.exit_code == 0
    assert lines(result)[0] == (
        f"注意：机器人地址文件 {webhooks} 含有机器人的 key，但其他用户可以读取（权限 644）："
        f"请执行 chmod 600 {webhooks}"
    )


def test_no_key_or_secret_in_output_files_or_record(
    runner: CliRunner, register: Path, tmp_path: Path, state: Path, robots: Running
) -> None:
    """A robot that fails and two that are sent, in both languages, and a dry run: no key and
    no secret in stdout, stderr, the dry run's files or the delivery record."""
    path = webhooks_file(
        tmp_path / "w.csv",
        [
            ("百色", robots.url("wecom", WK), ""),
            ("田阳", robots.url("dingtalk", DK), "SEC-wrong-secret-0123456789"),
            ("南宁", robots.url("feishu", FK), FSECRET),
        ],
    )
    seen = ""
    for lang in ("zh", "en"):
        args = ["--webhooks", str(path), "--state", str(state), "--lang", lang, "--resend"]
        result = notify(runner, str(register), *args, *AS_OF)
        assert result.exit_code == 1
        seen += result.stdout + result.stderr  # type: ignore[attr-defined]
    outbox = tmp_path / "outbox"
    dry = notify(runner, str(register), "--webhooks", str(path), "--dry-run", str(outbox), *AS_OF)
    assert dry.exit_code == 0
    seen += dry.stdout + dry.stderr  # type: ignore[attr-defined]
    files = [p.read_bytes() for p in outbox.iterdir()]
    files += [p.read_bytes() for p in state.parent.iterdir()]
    assert len(files) >= 4
    assert "sign not match" in seen and "310000" in seen
    for secret in (WK, DK, FK, "SEC-wrong-secret-0123456789", FSECRET):
        assert secret not in seen
        assert not any(secret.encode() in data for data in files)
    # What is shown instead: the host and the key's last 4 characters.
    assert all(f"127.0.0.1:{robots.port} …{key[-4:]}" in seen for key in (WK, DK, FK))


# --- 3. Each platform's contract ------------------------------------------------------------------


def many_rows(count: int) -> list[str]:
    """`count` pending renewals in 田阳区, due from 2024-07-01 to 2024-09-18 (within the 120
    days of AS_OF 2024-06-01)."""
    rows = []
    for n in range(count):
        expires = date(2024, 10, 1) + timedelta(days=n % 80)
        issued = expires.replace(year=expires.year - 3) + timedelta(days=1)
        rows.append(
            f"LB-45-2107{n:04d}A,田阳某某农业发展有限公司{n},芒果,绿色食品,百色,田阳区,"
            f"{issued},{expires},"
        )
    return rows


@pytest.mark.parametrize(
    ("platform", "key", "secret", "count"),
    [
        pytest.param("wecom", WK, "", 120, id="wecom-4096-bytes"),
        pytest.param("dingtalk", DK, DSECRET, 400, id="dingtalk-20000-bytes"),
        pytest.param("feishu", FK, FSECRET, 400, id="feishu-20-kb"),
    ],
)
def test_a_long_digest_is_split_at_item_boundaries(
    runner: CliRunner,
    tmp_path: Path,
    state: Path,
    robots: Running,
    platform: str,
    key: str,
    secret: str,
    count: int,
) -> None:
    register = register_file(tmp_path / "大.csv", many_rows(count))
    path = webhooks_file(tmp_path / "w.csv", [("田阳区", robots.url(platform, key), secret)])
    args = ["--webhooks", str(path), "--state", str(state), *AS_OF]
    result = notify(runner, str(register), *args)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    texts = robots.robots.texts(key)
    parts = len(texts)  # each accepted by the server, which enforces the platform's limit
    assert 1 < parts <= 5
    assert all(f"（{n}/{parts}）" in t.splitlines()[0] for n, t in enumerate(texts, start=1))
    listed = [line for t in texts for line in t.replace("\n\n", "\n").splitlines()]
    items = [line for line in listed if " LB-45-2107" in line]
    assert len(items) == count == len(set(items))
    assert all(line.endswith(" 芒果 田阳区") for line in items)  # none cut


def test_beyond_the_most_messages_the_rest_is_one_line_with_the_command(
    runner: CliRunner, tmp_path: Path, state: Path, robots: Running
) -> None:
    register = register_file(tmp_path / "大.csv", many_rows(300))
    path = webhooks_file(tmp_path / "w.csv", [("田阳区", robots.url("wecom", WK), "")])
    args = ["--webhooks", str(path), "--state", str(state), "--max-messages", "2", *AS_OF]
    result = notify(runner, str(register), *args)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    texts = robots.robots.texts(WK)
    assert len(texts) == 2
    shown = sum(" LB-45-2107" in line for t in texts for line in t.splitlines())
    last = texts[-1].splitlines()
    assert last[-2] == (
        f"另有 {300 - shown} 项未列出（每个群每次最多 2 条消息），"
        "查看全部：renewal due --county 田阳区 --kind renewal --as-of 2024-06-01"
    )
    # The command lists all of them, the ones shown and the rest.
    command = shlex.split(last[-2].split("查看全部：")[1])
    listed = run(runner, *command[1:], str(register), "--format", "csv")
    assert listed.exit_code == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 300 + 1


@pytest.mark.parametrize(
    ("platform", "key", "secret"),
    [
        pytest.param("wecom", WK, "", id="wecom"),
        pytest.param("dingtalk", DK, DSECRET, id="dingtalk"),
        pytest.param("feishu", FK, FSECRET, id="feishu"),
    ],
)
def test_too_frequent_is_waited_out_and_retried_once(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    state: Path,
    robots: Running,
    platform: str,
    key: str,
    secret: str,
) -> None:
    robots.robots.busy[key] = 1
    path = webhooks_file(tmp_path / "w.csv", [("百色", robots.url(platform, key), secret)])
    args = ["--webhooks", str(path), "--state", str(state), "--rate-window", "0.3", *AS_OF]
    started = time.monotonic()
    result = notify(runner, str(register), *args)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert 0.3 <= time.monotonic() - started < 10
    assert len(robots.robots.accepted) == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        pytest.param(
            "zh",
            [
                "未发送：飞书 127.0.0.1:{port} …ning（南宁市）：飞书返回错误码 19021：签名校验失败"
                "（加签密钥不对，或本机时间不准）（平台原话：sign match fail or timestamp is not "
                "within one hour from current time）",
                "已发送：钉钉 127.0.0.1:{port} …tian（田阳区，1 条消息）",
                "未发送：企业微信 127.0.0.1:{port} …aise（百色市）：企业微信返回错误码 93000："
                "机器人地址无效（key 错误，或机器人已被移出群）（平台原话：invalid webhook url, "
                "hint: [1700000000_1], from ip: 127.0.0.1）",
                "注意：1 条提醒所在地区没有机器人，未发送：河池市 天峨县",
                "群消息：1 个群已发送，2 个未发送",
            ],
            id="zh",
        ),
        pytest.param(
            "en",
            [
                "NOT sent: Feishu/Lark 127.0.0.1:{port} …ning (南宁市): Feishu/Lark answered error "
                "19021: the signature failed (a wrong secret, or this machine's clock is off) "
                "(the platform said: sign match fail or timestamp is not within one hour from "
                "current time)",
                "sent: DingTalk 127.0.0.1:{port} …tian (田阳区, 1 message)",
                "NOT sent: WeCom 127.0.0.1:{port} …aise (百色市): WeCom answered error 93000: the "
                "robot address is not valid (a wrong key, or the robot was removed) (the platform "
                "said: invalid webhook url, hint: [1700000000_1], from ip: 127.0.0.1)",
                "note: 1 item is in places with no robot and was not posted: 河池市 天峨县",
                "chat: 1 group sent, 2 not sent",
            ],
            id="en",
        ),
    ],
)
def test_an_error_is_reported_for_its_group_and_the_others_are_sent(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
    state: Path,
    robots: Running,
    lang: str,
    said: list[str],
) -> None:
    robots.robots.secrets.pop(WK)  # the key was reset: the platform no longer knows it
    path = webhooks_file(
        tmp_path / "w.csv",
        [
            ("百色", robots.url("wecom", WK), ""),
            ("田阳", robots.url("dingtalk", DK), DSECRET),
            ("南宁", robots.url("feishu", FK), "wrong-secret"),
        ],
    )
    args = ["--webhooks", str(path), "--state", str(state), "--lang", lang, *AS_OF]
    result = notify(runner, str(register), *args)
    assert result.exit_code == 1
    assert lines(result)[:-1] == [line.replace("{port}", str(robots.port)) for line in said]
    assert [a.key for a in robots.robots.accepted] == [DK]


def test_an_answer_that_is_not_the_platforms_is_not_taken_for_success(
    runner: CliRunner, register: Path, state: Path, robots: Running
) -> None:
    robots.robots.html.add(WK)
    env = {"ROBOT": robots.url("wecom", WK)}
    args = ["--webhook", "env:ROBOT", "--state", str(state), *AS_OF]
    result = notify(runner, str(register), *args, env=env)
    assert result.exit_code == 1
    assert "服务器的应答不是企业微信的应答" in result.stderr  # type: ignore[attr-defined]
    assert "proxy login" in result.stderr  # type: ignore[attr-defined]


def test_a_hanging_robot_and_a_refused_connection_cost_one_timeout(
    runner: CliRunner, register: Path, tmp_path: Path, state: Path, closed_port: int
) -> None:
    with (
        serving(Robots(secrets=dict(SECRETS), hang={WK})) as hanging,
        serving(Robots(secrets=dict(SECRETS))) as working,
    ):
        refused = f"feishu+http://127.0.0.1:{closed_port}/open-apis/bot/v2/hook/{FK}"
        path = webhooks_file(
            tmp_path / "w.csv",
            [
                ("百色", hanging.url("wecom", WK), ""),
                ("右江区", hanging.url("wecom", WK), ""),  # same host: not tried again
                ("田阳", working.url("dingtalk", DK), DSECRET),
                ("南宁", refused, FSECRET),
            ],
        )
        started = time.monotonic()
        args = ["--webhooks", str(path), "--state", str(state), "--timeout", "0.5", *AS_OF]
        result = notify(runner, str(register), *args)
        took = time.monotonic() - started
    assert result.exit_code == 1
    assert took < 5
    hung = hanging.port
    assert lines(result)[:4] == [
        f"未发送：飞书 127.0.0.1:{closed_port} …ning（南宁市）：无法连接 127.0.0.1:{closed_port}："
        "连接被拒绝（服务器没有在该端口提供服务）",
        f"未发送：企业微信 127.0.0.1:{hung} …aise（右江区）：127.0.0.1:{hung} 在 0.5 秒内没有应答："
        "消息是否已发出未知，未重发",
        f"已发送：钉钉 127.0.0.1:{working.port} …tian（田阳区，1 条消息）",
        f"未发送：企业微信 127.0.0.1:{hung} …aise（百色市）：127.0.0.1:{hung} 在本次运行中已无法"
        "连接，未再尝试（连接超时）",
    ]
    assert [a.key for a in working.robots.accepted] == [DK]


# --- 4. One delivery record and one lock with mail ------------------------------------------------


def test_a_rerun_sends_nothing_new_and_changed_content_is_an_update(
    runner: CliRunner, tmp_path: Path, webhooks: Path, state: Path, robots: Running
) -> None:
    register = register_file(tmp_path / "台账.csv")
    monday = ["--webhooks", str(webhooks), "--state", str(state), "--as-of", "2024-06-03"]
    assert notify(runner, str(register), *monday, "--kind", "renewal").exit_code == 0  # type: ignore[attr-defined]
    assert len(robots.robots.accepted) == 3
    # The same week, two days later, the same items: nothing is sent again.
    later = ["--webhooks", str(webhooks), "--state", str(state), "--as-of", "2024-06-05"]
    again = notify(runner, str(register), *later, "--kind", "renewal")
    assert again.exit_code == 0, again.stderr  # type: ignore[attr-defined]
    assert len(robots.robots.accepted) == 3
    assert lines(again)[1] == (
        "本期（2024-W23）已发送过相同内容、未重发：3 个群（要重发请加 --resend）"
    )
    # A new certificate in 田阳区: its two groups get an update, Nanning nothing.
    register_file(
        register, [*ROWS, "G5,田阳戊公司,香蕉,绿色食品,百色,田阳区,2021-10-10,2024-10-09,"]
    )
    changed = notify(runner, str(register), *later, "--kind", "renewal")
    assert changed.exit_code == 0, changed.stderr  # type: ignore[attr-defined]
    new = robots.robots.accepted[3:]
    assert sorted(a.key for a in new) == sorted([WK, DK])
    assert all("（更新）" in message_text(a).splitlines()[0] for a in new)
    assert any(line.startswith("已发送更新：企业微信") for line in lines(changed))
    # --resend sends everything again; a new week sends again too.
    resent = notify(runner, str(register), *later, "--kind", "renewal", "--resend")
    assert resent.exit_code == 0 and len(robots.robots.accepted) == 8
    next_week = ["--webhooks", str(webhooks), "--state", str(state), "--as-of", "2024-06-10"]
    assert notify(runner, str(register), *next_week, "--kind", "renewal").exit_code == 0
    assert len(robots.robots.accepted) == 11


def test_a_month_period_skips_a_later_week(
    runner: CliRunner, register: Path, webhooks: Path, state: Path, robots: Running
) -> None:
    base = ["--webhooks", str(webhooks), "--state", str(state), "--kind", "renewal"]
    assert (
        notify(runner, str(register), *base, "--as-of", "2024-06-03", "--period", "month").exit_code
        == 0
    )  # type: ignore[attr-defined]
    again = notify(runner, str(register), *base, "--as-of", "2024-06-12", "--period", "month")
    assert again.exit_code == 0 and len(robots.robots.accepted) == 3


def test_a_dry_run_writes_what_would_be_sent_and_sends_and_records_nothing(
    runner: CliRunner, register: Path, tmp_path: Path, state: Path, robots: Running
) -> None:
    unsigned = Robots(secrets={WK: None, DK: None, FK: None})
    with serving(unsigned) as server:
        path = webhooks_file(
            tmp_path / "w.csv",
            [
                ("百色", server.url("wecom", WK), ""),
                ("田阳", server.url("dingtalk", DK), ""),
                ("南宁", server.url("feishu", FK), ""),
            ],
        )
        outbox = tmp_path / "outbox"
        outbox.mkdir()
        # An earlier dry run's body goes; a file that is not ours stays.
        (outbox / "柳州市-wecom-abcd-1.json").write_text('{"msgtype":"markdown"}')
        (outbox / "notes.json").write_text('{"msgtype":"mine"}')
        args = ["--webhooks", str(path), "--state", str(state), "--dry-run", str(outbox), *AS_OF]
        result = notify(runner, str(register), *args)
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
        assert unsigned.accepted == [] and not state.exists()
        (outbox / "notes.json").unlink()
        names = sorted(p.name for p in outbox.iterdir())
        assert names == [
            "南宁市-feishu-ning-1.json",
            "田阳区-dingtalk-tian-1.json",
            "百色市-wecom-aise-1.json",
        ]
        assert lines(result)[-2] == (
            f"--dry-run：已将 3 个请求体写入 {outbox}，没有发送（飞书加签的 timestamp 和 sign "
            "在发送时才加上）"
        )
        # Each file is exactly a body the platform accepts.
        for name, (platform, key) in zip(
            names, [("feishu", FK), ("dingtalk", DK), ("wecom", WK)], strict=True
        ):
            url = server.url(platform, key).split("+", 1)[1]
            data = (outbox / name).read_bytes()
            request = urllib.request.Request(url, data=data, method="POST")
            with urllib.request.urlopen(request, timeout=5) as answer:
                assert b'"errcode": 0' in answer.read() or platform == "feishu"
        assert len(unsigned.accepted) == 3
    # The dry run recorded nothing: the real run sends all three.
    real = notify(runner, str(register), "--webhooks", str(path), "--state", str(state), *AS_OF)
    assert real.exit_code == 1  # that server is gone now: every group is reported
    assert "群消息：0 个群已发送，3 个未发送" in real.stderr  # type: ignore[attr-defined]


def test_a_run_killed_between_two_messages_is_finished_by_the_next(
    tmp_path: Path, state: Path, robots: Running
) -> None:
    """SIGKILL while the second of three messages is in flight: the first was recorded as it
    was accepted, so the rerun posts the second and the third, never the first again."""
    register = register_file(tmp_path / "大.csv", many_rows(120))
    path = webhooks_file(tmp_path / "w.csv", [("田阳区", robots.url("wecom", WK), "")])
    robots.robots.hang_after[WK] = 1
    command = [sys.executable, "-m", "renewal_cli", "notify", str(register)]
    command += ["--webhooks", str(path), "--state", str(state), *AS_OF]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RENEWAL_LANG": "zh"}
    child = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        until = time.monotonic() + 20
        while len(robots.robots.accepted) < 1 and time.monotonic() < until:
            time.sleep(0.05)
        time.sleep(0.5)  # the second message is now waiting for an answer that never comes
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        assert child.stderr is not None
        child.stderr.close()
    assert len(robots.robots.accepted) == 1
    del robots.robots.hang_after[WK]
    done = subprocess.run(command, env=env, capture_output=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    titles = [message_text(a).splitlines()[0] for a in robots.robots.accepted]
    assert titles == [f"**证书续展提醒　田阳区　截至 2024-06-01（{n}/3）**" for n in (1, 2, 3)]


def test_a_second_run_while_one_is_sending_waits_then_sends_nothing(
    runner: CliRunner, register: Path, webhooks: Path, state: Path, robots: Running
) -> None:
    from renewal_cli.delivery.lock import RunLock

    lock = RunLock(state)
    assert lock.try_acquire()
    try:
        args = ["--webhooks", str(webhooks), "--state", str(state), "--wait", "0.3", *AS_OF]
        started = time.monotonic()
        result = notify(runner, str(register), *args)
        assert time.monotonic() - started >= 0.3
    finally:
        lock.close()
    assert result.exit_code == 75, result.stderr  # type: ignore[attr-defined]
    assert robots.robots.accepted == []


# --- 6. Cron --------------------------------------------------------------------------------------


def test_the_example_webhooks_file_reads() -> None:
    from renewal_cli.chat.webhooks import Platform, read_webhooks
    from renewal_cli.places import guangxi

    robots = read_webhooks(ROOT / "examples" / "webhooks.csv", guangxi())
    assert {r.platform for rs in robots.values() for r in rs} == set(Platform)


def test_weekly_notify_script_on_a_utc_server(
    tmp_path: Path, robots: Running, webhooks: Path, state: Path
) -> None:
    """examples/weekly-notify.sh as cron runs it: UTC clock, settings from an env file, a bare
    PATH where `renewal` runs this interpreter."""
    # The script passes no --as-of: the dates count from today in Beijing.
    today = today_in_china()
    rows = []
    for number, (county, days) in enumerate([("田阳区", 150), ("右江区", 60), ("横州市", 100)]):
        expires = today + timedelta(days=days)
        issued = issue_from_expiry(expires, 3)
        city = "南宁" if county == "横州市" else "百色"
        rows.append(f"C{number},{county}某公司,芒果,绿色食品,{city},{county},{issued},{expires},")
    register = register_file(tmp_path / "台账.csv", rows)
    env_file = tmp_path / "env"
    env_file.write_text(
        f"RENEWAL_REGISTER={register}\nRENEWAL_WEBHOOKS={webhooks}\nRENEWAL_STATE={state}\n"
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "renewal"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m renewal_cli "$@"\n')
    shim.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "TZ": "UTC",
        "LANG": "C",
        "RENEWAL_ENV_FILE": str(env_file),
        "PYTHONPATH": str(ROOT / "src"),
    }
    script = ROOT / "examples" / "weekly-notify.sh"
    done = subprocess.run(
        ["sh", str(script)], env=env, capture_output=True, check=False, timeout=300
    )
    # --quiet: all was sent, so cron has nothing to mail the admin but, in a year without a
    # plan of its own, the run's one warning naming the plan used (issue 17).
    warned = "".join(f"{line}\n" for line in plan_warning(today_in_china()))
    assert (done.returncode, done.stderr.decode()) == (0, warned)
    assert sorted(a.key for a in robots.robots.accepted) == sorted([WK, DK, FK])
    # Cron runs it again the same week (a catch-up after a reboot): nothing is posted twice.
    again = subprocess.run(
        ["sh", str(script)], env=env, capture_output=True, check=False, timeout=300
    )
    assert (again.returncode, again.stderr.decode()) == (0, warned)
    assert len(robots.robots.accepted) == 3


def test_the_run_ends_at_its_deadline(
    runner: CliRunner, register: Path, tmp_path: Path, state: Path
) -> None:
    """--deadline bounds the whole run: a robot that hangs is cut off when it comes, and the
    groups after it are reported as not sent, not waited for."""
    with (
        serving(Robots(secrets=dict(SECRETS), hang={FK})) as hanging,
        serving(Robots(secrets=dict(SECRETS))) as working,
    ):
        path = webhooks_file(
            tmp_path / "w.csv",
            [("百色", working.url("wecom", WK), ""), ("南宁", hanging.url("feishu", FK), FSECRET)],
        )
        args = ["--webhooks", str(path), "--state", str(state), "--timeout", "30"]
        started = time.monotonic()
        result = notify(runner, str(register), *args, "--deadline", "0.5", *AS_OF)
        took = time.monotonic() - started
    assert result.exit_code == 1 and took < 5
    assert lines(result)[:2] == [
        f"未发送：飞书 127.0.0.1:{hanging.port} …ning（南宁市）：本次运行已到时限（--deadline），"
        f"127.0.0.1:{hanging.port} 仍未应答：消息是否已发出未知，未重发",
        f"未发送：企业微信 127.0.0.1:{working.port} …aise（百色市）：本次运行已到时限（--deadline），"
        "未发送",
    ]
    assert working.robots.accepted == []
