"""The chat package: robot addresses, the webhooks file, the digest and its split, each
platform's contract, and posting to a real HTTP server on 127.0.0.1 (tests/robots.py)."""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import trustme

from conftest import cert, item
from renewal_cli.chat.compose import (
    MAX_FIELD,
    Part,
    compose_digest,
    list_command,
    plan_line,
    split,
)
from renewal_cli.chat.platforms import CONTRACTS, body, fits, read_answer
from renewal_cli.chat.send import Clock, Posted, Poster
from renewal_cli.chat.webhooks import (
    Platform,
    WebhookError,
    parse_webhook,
    read_webhooks,
)
from renewal_cli.errors import RenewalError
from renewal_cli.messages import Lang, text
from renewal_cli.models import Kind, Scheme, Status
from renewal_cli.places import Scope, guangxi
from renewal_cli.present import describe_error
from renewal_cli.rules import Selection
from robots import Robots, Running, serving

PLACES = guangxi()
WECOM_KEY = "693a91f6-7b1c-4bc4-97a0-0ec2aa5f3e2a"
DING_TOKEN = "d1ce4a0b9f7e" * 5 + "7c11"
FEISHU_HOOK = "0b3c8f21-5d7e-4c4a-9e61-2f6c9d1a9f1e"
SECRET = "SEC4d7f0c2e9b8a1f6e3d5c7b9a0e2f4d6c8b1a3e5f7d9c0b2a4e6f8d0c1b3a5e7f9d"


def real_clock(skew: float = 0.0) -> Clock:
    return Clock(wall=lambda: time.time() + skew, monotonic=time.monotonic, sleep=time.sleep)


# --- Addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "platform", "host", "key"),
    [
        pytest.param(
            f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}",
            Platform.WECOM,
            "qyapi.weixin.qq.com",
            WECOM_KEY,
            id="wecom",
        ),
        pytest.param(
            f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}",
            Platform.DINGTALK,
            "oapi.dingtalk.com",
            DING_TOKEN,
            id="dingtalk",
        ),
        pytest.param(
            f"https://open.feishu.cn/open-apis/bot/v2/hook/{FEISHU_HOOK}",
            Platform.FEISHU,
            "open.feishu.cn",
            FEISHU_HOOK,
            id="feishu",
        ),
        pytest.param(
            f"https://open.larksuite.com/open-apis/bot/v2/hook/{FEISHU_HOOK}",
            Platform.FEISHU,
            "open.larksuite.com",
            FEISHU_HOOK,
            id="lark",
        ),
        pytest.param(
            f"  https://OAPI.DingTalk.com/robot/send?access_token={DING_TOKEN}  ",
            Platform.DINGTALK,
            "oapi.dingtalk.com",
            DING_TOKEN,
            id="host-case-and-spaces",
        ),
        pytest.param(
            "wecom+https://proxy.example.cn/cgi-bin/webhook/send?key=k-0001",
            Platform.WECOM,
            "proxy.example.cn",
            "k-0001",
            id="wecom-through-a-proxy",
        ),
        pytest.param(
            "dingtalk+http://127.0.0.1:8080/robot/send?access_token=t-0002",
            Platform.DINGTALK,
            "127.0.0.1:8080",
            "t-0002",
            id="dingtalk-test-server",
        ),
        pytest.param(
            "feishu+http://10.0.0.5/open-apis/bot/v2/hook/h-0003/",
            Platform.FEISHU,
            "10.0.0.5",
            "h-0003",
            id="feishu-private-deployment",
        ),
        pytest.param(
            "LARK+HTTPS://lark.internal.example/hook/h-0004",
            Platform.FEISHU,
            "lark.internal.example",
            "h-0004",
            id="lark-prefix-any-case",
        ),
    ],
)
def test_platform_from_the_host_or_the_prefix(
    url: str, platform: Platform, host: str, key: str
) -> None:
    robot = parse_webhook(url)
    assert (robot.platform, robot.host, robot.key, robot.secret) == (platform, host, key, None)
    # The prefix is not part of the address posted to.
    assert robot.url == url.strip().split("+", 1)[-1]
    assert robot.shown == f"{host} …{key[-4:]}"


@pytest.mark.parametrize(
    ("url", "secret", "why"),
    [
        pytest.param("https://hooks.example.com/send?key=k1", None, "unknown_host", id="host"),
        pytest.param("slack+https://x.example/y?key=k1", None, "unknown_platform", id="prefix"),
        pytest.param(
            "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1",
            None,
            "not_https",
            id="plain-http-on-the-platform",
        ),
        pytest.param(
            "https://qyapi.weixin.qq.com/wework_admin/frame?key=k1",
            None,
            "bad_path",
            id="not-the-webhook-page",
        ),
        pytest.param("https://oapi.dingtalk.com/robot/send", None, "no_key", id="no-token"),
        pytest.param(
            "https://open.feishu.cn/open-apis/bot/v2/hook/", None, "no_key", id="no-hook-id"
        ),
        pytest.param("机器人地址", None, "not_url", id="not-a-url"),
        pytest.param("", None, "not_url", id="empty"),
        pytest.param(
            "ftp://oapi.dingtalk.com/robot/send?access_token=t", None, "not_url", id="ftp"
        ),
        pytest.param(
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a\nb", None, "not_url", id="nl"
        ),
        pytest.param("https://[::1/robot/send", None, "not_url", id="bad-ipv6"),
        pytest.param(
            f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}",
            SECRET,
            "secret_unsupported",
            id="wecom-cannot-sign",
        ),
    ],
)
def test_addresses_that_cannot_be_used(url: str, secret: str | None, why: str) -> None:
    with pytest.raises(WebhookError) as caught:
        parse_webhook(url, secret)
    assert caught.value.why == f"chat.why.{why}"


def test_a_robot_never_shows_its_key_or_secret() -> None:
    robot = parse_webhook(f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}", SECRET)
    shown = [repr(robot), str(robot), robot.shown, robot.name]
    assert not any(DING_TOKEN in s or SECRET in s for s in shown)
    assert robot.shown == f"oapi.dingtalk.com …{DING_TOKEN[-4:]}"
    said = f"POST {robot.url} failed with {SECRET} and {DING_TOKEN}"
    assert DING_TOKEN not in robot.scrub(said) and SECRET not in robot.scrub(said)
    # Two keys ending alike are two robots in the delivery record.
    other = parse_webhook(f"https://oapi.dingtalk.com/robot/send?access_token=x{DING_TOKEN[-4:]}")
    assert robot.name != other.name and robot.tail == other.tail


# --- The webhooks file ----------------------------------------------------------------------------

WECOM = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}"
DING = f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}"
FEISHU = f"https://open.feishu.cn/open-apis/bot/v2/hook/{FEISHU_HOOK}"
ENGLISH = f"place,webhook,secret\r\n百色,{WECOM},\r\n田阳县,{DING},{SECRET}\r\nHechi,{FEISHU},\r\n"
CHINESE = (
    f"地区,机器人地址,加签密钥\r\n百色市,{WECOM},\r\n田阳区,{DING},{SECRET}\r\n河池,{FEISHU},\r\n"
)


def write(tmp_path: Path, content: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "webhooks.csv"
    path.write_bytes(content.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        pytest.param(ENGLISH, "utf-8", id="english-utf8"),
        pytest.param(CHINESE, "utf-8-sig", id="chinese-utf8-bom"),
        pytest.param(CHINESE, "gb18030", id="chinese-gb18030"),
        pytest.param(CHINESE.replace(",", "\t"), "utf-16", id="excel-unicode-text"),
        pytest.param(
            f"\r\n 地区 ,机器人地址\r\n百色市\u3000,{WECOM}\r\n,\r\n田阳县,{DING}\r\n河池市,{FEISHU}\r\n",
            "utf-8",
            id="no-secret-column-blank-rows",
        ),
    ],
)
def test_read_webhooks(tmp_path: Path, content: str, encoding: str) -> None:
    robots = read_webhooks(write(tmp_path, content, encoding), PLACES)
    assert list(robots) == ["河池市", "田阳区", "百色市"]
    assert {p: [(r.platform, r.key) for r in rs] for p, rs in robots.items()} == {
        "百色市": [(Platform.WECOM, WECOM_KEY)],
        "田阳区": [(Platform.DINGTALK, DING_TOKEN)],
        "河池市": [(Platform.FEISHU, FEISHU_HOOK)],
    }
    signed = "\t" in content or "secret" in content or "加签" in content
    assert robots["田阳区"][0].secret == (SECRET if signed else None)


def test_a_place_may_have_several_robots_and_a_repeat_is_kept_once(tmp_path: Path) -> None:
    path = write(tmp_path, f"地区,机器人地址\r\n百色,{WECOM}\r\n百色市,{DING}\r\n百色,{WECOM}\r\n")
    assert [r.platform for r in read_webhooks(path, PLACES)["百色市"]] == [
        Platform.WECOM,
        Platform.DINGTALK,
    ]


@pytest.mark.parametrize(
    ("rows", "message_id", "params"),
    [
        pytest.param(
            f"北京,{WECOM},",
            "contacts.unknown_county",
            {"line": 3, "column": "地区", "letter": "A", "value": "北京"},
            id="unknown-place",
        ),
        pytest.param(
            ",{WECOM},".replace("{WECOM}", WECOM),
            "contacts.empty_cell",
            {"line": 3, "column": "地区", "letter": "A"},
            id="empty-place",
        ),
        pytest.param(
            "百色,,",
            "contacts.empty_cell",
            {"line": 3, "column": "机器人地址", "letter": "B"},
            id="empty-webhook",
        ),
        pytest.param(
            "百色,https://hooks.example.com/send?key=secretkey9z,",
            "webhooks.bad_webhook",
            {"line": 3, "column": "机器人地址", "letter": "B", "value": "hooks.example.com …ey9z"},
            id="unknown-host",
        ),
        pytest.param(
            f"百色,{WECOM},{SECRET}",
            "webhooks.bad_webhook",
            {"line": 3, "column": "加签密钥", "letter": "C", "value": "***"},
            id="secret-for-wecom",
        ),
        pytest.param(
            f"百色,{WECOM},,extra",
            "contacts.extra_cells",
            {"line": 3, "cells": 4, "columns": 3},
            id="extra-cells",
        ),
    ],
)
def test_a_bad_row_names_file_line_column_and_value(
    tmp_path: Path, rows: str, message_id: str, params: dict[str, object]
) -> None:
    path = write(tmp_path, f"地区,机器人地址,加签密钥\r\n田阳,{DING},\r\n{rows}\r\n")
    with pytest.raises(RenewalError) as caught:
        read_webhooks(path, PLACES)
    assert caught.value.message_id == message_id
    assert {k: caught.value.params[k] for k in params} == params
    for lang in Lang:
        said = describe_error(caught.value, lang)
        assert str(path) in said
        assert WECOM_KEY not in said and SECRET not in said and "secretkey" not in said


@pytest.mark.parametrize(
    ("content", "message_id"),
    [
        pytest.param(
            "地区,邮箱\r\n百色,a@example.cn\r\n", "webhooks.missing_columns", id="columns"
        ),
        pytest.param("地区,机器人地址\r\n", "webhooks.empty", id="header-only"),
        pytest.param("", "webhooks.empty", id="empty-file"),
    ],
)
def test_a_file_that_is_not_a_webhooks_file(tmp_path: Path, content: str, message_id: str) -> None:
    with pytest.raises(RenewalError) as caught:
        read_webhooks(write(tmp_path, content), PLACES)
    assert caught.value.message_id == message_id
    assert "机器人地址文件" in describe_error(caught.value, Lang.ZH)


# --- The digest -----------------------------------------------------------------------------------

AS_OF = date(2024, 6, 1)


def many(count: int, county: str = "田阳区", name: str = "百色某农业公司") -> list:  # type: ignore[type-arg]
    """`count` pending renewals in one county, their deadlines a day apart."""
    return [
        item(
            cert(
                (date(2024, 7, 1) + timedelta(days=n % 300)).isoformat(),
                f"LB-45-2107{n:04d}A",
                enterprise=f"{name}{n}",
                county=county,
            ),
            AS_OF,
        )
        for n in range(count)
    ]


def test_digest_counts_then_items_by_urgency_then_the_plan() -> None:
    items = [
        item(cert("2024-10-01", "LB-B", enterprise="乙", product="芒果"), AS_OF),  # 07-01
        item(cert("2024-06-30", "LB-A", enterprise="甲", product="茶叶"), AS_OF),  # late
        item(cert("2024-10-01", "LB-A2", enterprise="丙", product="大米"), AS_OF),  # 07-01
    ]
    items = [i for i in items if i.kind is Kind.RENEWAL]
    digest = compose_digest(
        items, place="百色市", as_of=AS_OF, plan_year=2024, plan_used=2024, lang=Lang.ZH
    )
    assert digest.heading == "证书续展提醒　百色市　截至 2024-06-01"
    assert digest.counts == "共 3 条：待申报 2，已逾期 1"
    assert digest.items == (
        "2024-03-30 已逾期 LB-A 甲 茶叶 田阳区",
        "2024-07-01 待申报 LB-A2 丙 大米 田阳区",
        "2024-07-01 待申报 LB-B 乙 芒果 田阳区",
    )
    assert digest.plan == "依据 2024 年工作方案"
    english = compose_digest(
        items, place="百色市", as_of=AS_OF, plan_year=2024, plan_used=2024, lang=Lang.EN
    )
    assert english.items[0] == "2024-03-30 late LB-A 甲 茶叶 田阳区"


@pytest.mark.parametrize(
    ("plan_year", "plan_used", "lang", "said"),
    [
        pytest.param(2024, 2024, Lang.ZH, "依据 2024 年工作方案", id="loaded"),
        pytest.param(
            2026, 2024, Lang.ZH, "未载入 2026 年工作方案，沿用 2024 年工作方案", id="carried"
        ),
        pytest.param(
            2026, 2024, Lang.EN, "no 2026 work plan loaded; using the 2024 plan", id="carried-en"
        ),
        pytest.param(2026, 2026, Lang.ZH, "依据 2026 年工作方案", id="given-by-policy-file"),
    ],
)
def test_the_plan_line_never_names_a_plan_not_loaded(
    plan_year: int, plan_used: int, lang: Lang, said: str
) -> None:
    assert plan_line(plan_year, plan_used, lang) == said


def test_same_items_same_fingerprint_whatever_the_day() -> None:
    """A catch-up run later in the week with the same items is no change to report."""
    one = compose_digest(
        many(3), place="田阳区", as_of=AS_OF, plan_year=2024, plan_used=2024, lang=Lang.ZH
    )
    later = [item(i.certificate, date(2024, 6, 3)) for i in many(3)]
    two = compose_digest(
        later, place="田阳区", as_of=date(2024, 6, 3), plan_year=2024, plan_used=2024, lang=Lang.ZH
    )
    assert one.heading != two.heading and one.fingerprint == two.fingerprint
    fewer = compose_digest(
        many(2), place="田阳区", as_of=AS_OF, plan_year=2024, plan_used=2024, lang=Lang.ZH
    )
    assert fewer.fingerprint != one.fingerprint


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
@pytest.mark.parametrize(
    ("count", "most"),
    [
        pytest.param(3, 5, id="fits-in-one"),
        pytest.param(160, 5, id="split"),
        pytest.param(600, 3, id="split-and-capped"),
        pytest.param(600, 1, id="capped-to-one"),
    ],
)
def test_split_at_item_boundaries_numbered_within_the_limit(
    platform: Platform, count: int, most: int
) -> None:
    digest = compose_digest(
        many(count), place="田阳区", as_of=AS_OF, plan_year=2024, plan_used=2024, lang=Lang.ZH
    )
    parts = split(
        digest,
        fits=lambda part: fits(platform, part, Lang.ZH),
        most=most,
        more_command="renewal due --county 田阳区 --as-of 2024-06-01",
        lang=Lang.ZH,
    )
    assert 1 <= len(parts) <= most
    assert all(fits(platform, part, Lang.ZH) for part in parts)
    total = len(parts)
    if total > 1:
        assert [p.title[-5:] for p in parts] == [f"（{n}/{total}）" for n in range(1, total + 1)]
    else:
        assert parts[0].title == digest.heading
    listed = [line for part in parts for line in part.lines if line in digest.items]
    # Every item listed is whole, once, in order; those left out are counted, never cut.
    assert listed == list(digest.items[: len(listed)])
    assert parts[0].lines[0] == digest.counts and parts[-1].lines[-1] == digest.plan
    left = count - len(listed)
    more = [line for line in parts[-1].lines if line.startswith("另有")]
    if left:
        assert more == [
            f"另有 {left} 项未列出（每个群每次最多 {most} 条消息），"
            "查看全部：renewal due --county 田阳区 --as-of 2024-06-01"
        ]
    else:
        assert more == []
    if count == 160:  # too big for one WeCom message, one DingTalk or Feishu message holds it
        assert (len(parts) > 1) == (platform is Platform.WECOM)


def test_an_update_is_marked_and_splits_the_same_way() -> None:
    digest = compose_digest(
        many(160), place="田阳区", as_of=AS_OF, plan_year=2024, plan_used=2024, lang=Lang.ZH
    )

    def cut(updated: bool) -> list[Part]:
        return split(
            digest,
            fits=lambda part: fits(Platform.WECOM, part, Lang.ZH),
            most=5,
            more_command="",
            lang=Lang.ZH,
            updated=updated,
        )

    plain, update = cut(False), cut(True)
    assert [p.lines for p in plain] == [p.lines for p in update]
    assert update[0].title == "证书续展提醒　田阳区　截至 2024-06-01（更新）（1/4）"


def test_a_long_cell_is_shortened_not_the_item_dropped() -> None:
    long = item(cert("2024-10-01", "LB-L", enterprise="长" * 5000), AS_OF)
    digest = compose_digest(
        [long], place="田阳区", as_of=AS_OF, plan_year=2024, plan_used=2024, lang=Lang.ZH
    )
    assert f"{'长' * (MAX_FIELD - 1)}…" in digest.items[0]
    assert all(fits(p, Part(digest.heading, digest.items), Lang.ZH) for p in Platform)


@pytest.mark.parametrize(
    ("place", "selection", "command"),
    [
        pytest.param(
            "田阳区", Selection(), "renewal due --county 田阳区 --as-of 2024-06-01", id="county"
        ),
        pytest.param(
            "百色市", Selection(), "renewal due --city 百色市 --as-of 2024-06-01", id="city"
        ),
        pytest.param(
            "百色市",
            Selection(
                scope=Scope(counties=frozenset({"田阳区"})),
                statuses=frozenset({Status.PENDING, Status.LATE}),
                schemes=frozenset({Scheme.GREEN}),
                within=30,
                all=True,
            ),
            "renewal due --city 百色市 --county 田阳区 --scheme green --status late,pending "
            "--within 30 --all --as-of 2024-06-01",
            id="with-the-selection",
        ),
        pytest.param(
            None,
            Selection(scope=Scope(cities=frozenset({"南宁市", "百色市"}))),
            "renewal due --city 南宁市 --city 百色市 --as-of 2024-06-01",
            id="one-webhook",
        ),
    ],
)
def test_the_command_that_lists_the_rest(
    place: str | None, selection: Selection, command: str
) -> None:
    assert list_command(place, selection, AS_OF, PLACES) == command


def test_markdown_from_a_register_cell_makes_no_link() -> None:
    part = Part("标题", ("2024-07-01 待申报 LB-1 [点我](http://evil.example) <b>公司</b> 芒果",))
    for platform in (Platform.WECOM, Platform.DINGTALK):
        data = json.dumps(body(platform, part, Lang.ZH), ensure_ascii=False)
        assert "[点我](" not in data and "<b>" not in data
        assert "［点我］(http://evil.example) ＜b＞公司＜/b＞" in data


@pytest.mark.parametrize(
    ("answer", "code", "ok"),
    [
        pytest.param(b'{"errcode":0,"errmsg":"ok"}', 0, True, id="wecom-ok"),
        pytest.param(b'{"errcode":93000,"errmsg":"invalid webhook url"}', 93000, False, id="bad"),
        pytest.param(b'{"code":0,"msg":"success","data":{}}', 0, True, id="feishu-ok"),
        pytest.param(b'{"StatusCode":0,"StatusMessage":"success"}', 0, True, id="feishu-old"),
        pytest.param(b'{"code":19021,"msg":"sign match fail"}', 19021, False, id="feishu-bad"),
        pytest.param(b"<html>proxy</html>", None, False, id="html"),
        pytest.param(b'{"ok":true}', None, False, id="json-without-a-code"),
        pytest.param(b'{"errcode":"0"}', None, False, id="code-not-a-number"),
        pytest.param(b'{"errcode":true}', None, False, id="code-a-boolean"),
    ],
)
def test_success_is_read_from_the_body(answer: bytes, code: int | None, ok: bool) -> None:
    read = read_answer(answer)
    assert (read.code, read.ok) == (code, ok)


# --- Posting to the test server -------------------------------------------------------------------


@pytest.fixture
def robots() -> Iterator[Running]:
    with serving(
        Robots(secrets={"wk": None, "dk": SECRET, "fk": SECRET, "dk-open": None, "fk-open": None})
    ) as running:
        yield running


PART = Part("证书续展提醒　田阳区　截至 2024-06-01", ("共 1 条：待申报 1", "依据 2024 年工作方案"))


def post(
    running: Running, platform: str, key: str, secret: str | None, **options: object
) -> Posted:
    robot = parse_webhook(running.url(platform, key), secret)
    poster = Poster(options.pop("clock", real_clock()), timeout=2.0, **options)  # type: ignore[arg-type]
    return poster.post(robot, body(robot.platform, PART, Lang.ZH))


@pytest.mark.parametrize(
    ("platform", "key", "secret"),
    [
        pytest.param("wecom", "wk", None, id="wecom"),
        pytest.param("dingtalk", "dk", SECRET, id="dingtalk-signed"),
        pytest.param("dingtalk", "dk-open", None, id="dingtalk-unsigned"),
        pytest.param("feishu", "fk", SECRET, id="feishu-signed"),
        pytest.param("feishu", "fk-open", None, id="feishu-unsigned"),
    ],
)
def test_each_platform_accepts_what_is_posted(
    robots: Running, platform: str, key: str, secret: str | None
) -> None:
    posted = post(robots, platform, key, secret)
    assert posted.ok and posted.code == 0, posted
    (accepted,) = robots.robots.accepted
    assert accepted.key == key and "待申报 1" in accepted.raw.decode()


@pytest.mark.parametrize(
    ("platform", "key", "secret", "skew", "code", "words"),
    [
        pytest.param("dingtalk", "dk", "SECwrong", 0, 310000, "sign not match", id="ding-wrong"),
        pytest.param("dingtalk", "dk", SECRET, -7200, 310000, "invalid timestamp", id="ding-stale"),
        pytest.param("feishu", "fk", "wrong", 0, 19021, "sign match fail", id="feishu-wrong"),
        pytest.param("feishu", "fk", SECRET, 7200, 19021, "sign match fail", id="feishu-stale"),
        pytest.param("dingtalk", "dk", None, 0, 310000, "invalid timestamp", id="ding-unsigned"),
        pytest.param("wecom", "nokey", None, 0, 93000, "invalid webhook url", id="wecom-unknown"),
        pytest.param("dingtalk", "nokey", None, 0, 300001, "token is not exist", id="ding-unknown"),
        pytest.param(
            "feishu", "nokey", None, 0, 19001, "access token invalid", id="feishu-unknown"
        ),
    ],
)
def test_the_platform_code_and_words_come_back(
    robots: Running, platform: str, key: str, secret: str | None, skew: float, code: int, words: str
) -> None:
    posted = post(robots, platform, key, secret, clock=real_clock(skew))
    assert (posted.ok, posted.reason, posted.code, posted.status) == (False, "platform", code, 200)
    assert words in posted.words
    assert robots.robots.accepted == []


def test_an_answer_that_is_no_platform_answer_is_no_success(robots: Running) -> None:
    robots.robots.html.add("wk")
    posted = post(robots, "wecom", "wk", None)
    assert (posted.ok, posted.reason, posted.status) == (False, "answer", 200)


@pytest.mark.parametrize(
    ("platform", "key", "secret"),
    [
        pytest.param("wecom", "wk", None, id="wecom-45009"),
        pytest.param("dingtalk", "dk", SECRET, id="dingtalk-130101"),
        pytest.param("feishu", "fk", SECRET, id="feishu-11232"),
    ],
)
def test_too_frequent_waits_out_the_window_and_retries_once(
    robots: Running, platform: str, key: str, secret: str | None
) -> None:
    robots.robots.busy[key] = 1
    started = time.monotonic()
    posted = post(robots, platform, key, secret, window=0.3)
    assert posted.ok and posted.retried
    assert time.monotonic() - started >= 0.3
    assert len(robots.robots.accepted) == 1
    # Too frequent twice: reported with the platform's words, not tried a third time.
    robots.robots.busy[key] = 2
    posted = post(robots, platform, key, secret, window=0.05)
    code = CONTRACTS[Platform(platform)].busy
    assert (posted.ok, posted.code, posted.retried) == (False, code, True)
    assert robots.robots.busy[key] == 0 and len(robots.robots.accepted) == 1


@pytest.mark.parametrize(
    ("platform", "key", "secret", "sends", "limits"),
    [
        pytest.param("wecom", "wk", None, 25, [(20, 60.0)], id="wecom-20-a-minute"),
        pytest.param("dingtalk", "dk", SECRET, 25, [(20, 60.0)], id="dingtalk-20-a-minute"),
        pytest.param("feishu", "fk", SECRET, 13, [(5, 1.0)], id="feishu-5-a-second"),
    ],
)
def test_sends_are_spaced_to_the_rate_limit(
    robots: Running,
    platform: str,
    key: str,
    secret: str | None,
    sends: int,
    limits: list[tuple[int, float]],
) -> None:
    """The one-minute window shortened to 3 s (for Feishu to 60 s, so its one second stays
    1 s: --rate-window): no span of the window holds more than the platform allows. Spans long
    enough that a loaded machine's delay in arriving stays within the 20 % allowed below."""
    window = 3.0 if platform != "feishu" else 60.0
    robot = parse_webhook(robots.url(platform, key), secret)
    poster = Poster(real_clock(), timeout=2.0, window=window)
    for _ in range(sends):
        assert poster.post(robot, body(robot.platform, PART, Lang.ZH)).ok
    times = [a.at for a in robots.robots.accepted]
    assert len(times) == sends
    for count, seconds in limits:
        span = seconds * window / 60
        # The (count+1)-th message after any one comes a whole span later (less a little for
        # the loopback's jitter between sending and arriving).
        assert all(
            later - first >= span * 0.8 for first, later in zip(times, times[count:], strict=False)
        )
        assert times[-1] - times[0] >= span * ((sends - 1) // count) * 0.8


def test_a_hanging_server_costs_one_timeout_then_its_host_is_left(robots: Running) -> None:
    robots.robots.hang.add("wk")
    robot = parse_webhook(robots.url("wecom", "wk"))
    poster = Poster(real_clock(), timeout=0.5)
    started = time.monotonic()
    posted = poster.post(robot, body(robot.platform, PART, Lang.ZH))
    assert (posted.ok, posted.reason, posted.unknown) == (False, "timeout", True)
    other = parse_webhook(robots.url("dingtalk", "dk"), SECRET)
    again = poster.post(other, body(other.platform, PART, Lang.ZH))
    assert (again.ok, again.reason) == (False, "host_down")
    assert time.monotonic() - started < 2.0


def test_a_refused_connection(closed_port: int) -> None:
    robot = parse_webhook(f"wecom+http://127.0.0.1:{closed_port}/cgi-bin/webhook/send?key=k")
    posted = Poster(real_clock(), timeout=2.0).post(robot, body(robot.platform, PART, Lang.ZH))
    assert (posted.ok, posted.reason, posted.unknown) == (False, "refused", False)
    assert posted.words.startswith("[Errno 111]")


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_robots(authority: trustme.CA) -> Iterator[Running]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with serving(Robots(secrets={"wk": None}), tls=context) as running:
        yield running


def test_tls_is_always_verified(
    tls_robots: Running, authority: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A certificate no trusted authority signed is refused; trusting its authority (as a
    private deployment would, through SSL_CERT_FILE) lets the same post through."""
    url = tls_robots.url("wecom", "wk")
    assert url.startswith("wecom+https://127.0.0.1:")
    posted = post(tls_robots, "wecom", "wk", None)
    assert (posted.ok, posted.reason) == (False, "tls")
    assert "certificate" in posted.words
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    assert post(tls_robots, "wecom", "wk", None).ok
    assert len(tls_robots.robots.accepted) == 1


def test_every_reason_has_words_in_both_languages() -> None:
    from renewal_cli.present import describe_post

    reasons = ["platform", "http", "answer", "timeout", "refused", "unreachable", "tls"]
    reasons += ["connect", "lost", "host_down", "deadline"]
    for reason in reasons:
        for lang in Lang:
            said = describe_post(
                reason,
                platform="feishu",
                host="open.feishu.cn",
                code=19021,
                words="[Errno 111] Connection refused",
                status=502,
                unknown=False,
                retried=False,
                timeout=10,
                lang=lang,
            )
            assert said and "{" not in said
    assert "连接被拒绝" in describe_post(
        "refused",
        platform="wecom",
        host="h",
        code=None,
        words="[Errno 111] Connection refused",
        status=None,
        unknown=False,
        retried=False,
        timeout=10,
        lang=Lang.ZH,
    )
    assert text("chat.code.feishu.19021", Lang.ZH).startswith("：签名校验失败")


@pytest.mark.parametrize(
    ("busy", "hang"),
    [
        pytest.param(1, False, id="no-wait-for-the-window-past-the-deadline"),
        pytest.param(0, True, id="a-request-cut-short-by-the-deadline"),
    ],
)
def test_nothing_waits_past_the_run_deadline(robots: Running, busy: int, hang: bool) -> None:
    robots.robots.busy["wk"] = busy
    if hang:
        robots.robots.hang.add("wk")
    robot = parse_webhook(robots.url("wecom", "wk"))
    started = time.monotonic()
    poster = Poster(real_clock(), timeout=5.0, window=30.0, deadline=started + 0.4)
    posted = poster.post(robot, body(robot.platform, PART, Lang.ZH))
    took = time.monotonic() - started
    assert not posted.ok and took < 1.5
    assert posted.reason == "deadline" and posted.unknown == hang
    time.sleep(max(0.0, started + 0.45 - time.monotonic()))
    after = poster.post(robot, body(robot.platform, PART, Lang.ZH))
    assert after.reason == "deadline"
    assert robots.robots.accepted == []
