"""Each platform's contract, from its own documentation (pure: the time comes in as `now`).

- 企业微信 (WeCom) group robot: `msgtype` markdown, `markdown.content` at most 4,096 bytes of
  UTF-8; no signing; 20 messages a minute; "too frequent" is errcode 45009.
- 钉钉 (DingTalk) custom robot: `msgtype` markdown with `title` and `text`; signed with
  `timestamp` (ms) and `sign` = URL-encoded base64 of HMAC-SHA256(key=secret,
  msg="{timestamp}\\n{secret}"), both in the query; a body of at most 20,000 bytes; 20
  messages a minute; "too frequent" is errcode 130101.
- 飞书 / Lark custom bot: `msg_type` post (rich text); signed with `timestamp` (s) and `sign`
  = base64 of HMAC-SHA256(key="{timestamp}\\n{secret}", msg=b""), both in the body; a body of
  at most 20 KB; 100 messages a minute and 5 a second; "too frequent" is code 11232.

All three answer HTTP 200 with an error code in the JSON body, so success is read from the
body (`errcode` 0, `code` 0 or `StatusCode` 0) and never from the HTTP status alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from renewal_cli.chat.compose import Part
from renewal_cli.chat.webhooks import Platform, Webhook
from renewal_cli.messages import Lang


@dataclass(frozen=True)
class Contract:
    """What a platform accepts: the size limit, how often, and its "too frequent" code."""

    limit: int
    """Bytes: of `markdown.content` for WeCom, of the whole JSON body for the others."""
    windows: tuple[tuple[int, float], ...]
    """(messages, seconds): at most so many messages to one robot in any such span."""
    busy: int
    """The code the platform answers when a robot is sent to too often."""


CONTRACTS: dict[Platform, Contract] = {
    Platform.WECOM: Contract(limit=4096, windows=((20, 60.0),), busy=45009),
    Platform.DINGTALK: Contract(limit=20_000, windows=((20, 60.0),), busy=130101),
    # 20 KB read as the smaller 20,000 bytes, less room for the timestamp and sign fields.
    Platform.FEISHU: Contract(limit=20_000 - 128, windows=((100, 60.0), (5, 1.0)), busy=11232),
}

# What would let a register cell make a link, an image or HTML in a markdown message (a holder
# named "[x](http://…)"): shown as full-width forms, which read the same in Chinese. Emphasis
# marks are left alone (at worst a name shows in italics), so `--kind annual_inspection` in
# the line naming the command to run stays as typed; no line of ours starts with register text.
_MARKUP = str.maketrans(
    {ch: chr(ord(ch) + 0xFEE0) for ch in "[]<>`"}
    | {"\u2028": " ", "\u2029": " ", "\u0085": " ", "\r": " ", "\n": " "}
)


def _markdown(line: str) -> str:
    return line.translate(_MARKUP)


def body(platform: Platform, part: Part, lang: Lang) -> dict[str, Any]:
    """The JSON body of one message, unsigned."""
    title = _markdown(part.title)
    lines = [_markdown(line) for line in part.lines]
    if platform is Platform.WECOM:
        content = "\n".join([f"**{title}**", *lines])
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if platform is Platform.DINGTALK:
        # DingTalk's markdown joins single line breaks: a blank line keeps items apart.
        text = "\n\n".join([f"#### {title}", *lines])
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    # Feishu's post is structured, not markdown: each line a paragraph of plain text.
    paragraphs = [[{"tag": "text", "text": " ".join(line.split())}] for line in part.lines]
    locale = "zh_cn" if lang is Lang.ZH else "en_us"
    post = {locale: {"title": " ".join(part.title.split()), "content": paragraphs}}
    return {"msg_type": "post", "content": {"post": post}}


def encode(data: dict[str, Any]) -> bytes:
    """A body as sent: compact JSON in UTF-8 (Chinese as it is, not \\u escapes)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fits(platform: Platform, part: Part, lang: Lang) -> bool:
    """Whether `part` is within the platform's size limit."""
    data = body(platform, part, lang)
    if platform is Platform.WECOM:
        size = len(data["markdown"]["content"].encode("utf-8"))
    else:
        size = len(encode(data))
    return size <= CONTRACTS[platform].limit


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's `sign`, before URL encoding: base64 of HMAC-SHA256 keyed with the secret over
    "{timestamp}\\n{secret}"."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's `sign`: base64 of HMAC-SHA256 keyed with "{timestamp}\\n{secret}" over nothing."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def signed(webhook: Webhook, data: dict[str, Any], now: float) -> tuple[str, dict[str, Any]]:
    """The URL to post to and the body to post, signed at `now` (seconds since the epoch) when
    the robot has a secret."""
    if webhook.secret is None:
        return webhook.url, data
    if webhook.platform is Platform.DINGTALK:
        stamp = int(now * 1000)
        sign = dingtalk_sign(webhook.secret, stamp)
        parts = urlsplit(webhook.url)
        # A signature pasted with the address would be stale: the fresh one replaces it.
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("timestamp", "sign")]
        query += [("timestamp", str(stamp)), ("sign", sign)]
        return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote))), data
    stamp = int(now)
    return webhook.url, {
        **data,
        "timestamp": str(stamp),
        "sign": feishu_sign(webhook.secret, stamp),
    }


@dataclass(frozen=True)
class Answer:
    """What a platform said: its code (0 is success; None when the body is not a platform's
    answer) and its own words."""

    code: int | None
    words: str

    @property
    def ok(self) -> bool:
        return self.code == 0


def read_answer(data: bytes) -> Answer:
    """The code and message of an answer body: `errcode`/`errmsg` (WeCom, DingTalk), `code`/
    `msg` or `StatusCode`/`StatusMessage` (Feishu)."""
    raw = data.decode("utf-8", "replace")
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        for code_key, words_key in (
            ("errcode", "errmsg"),
            ("code", "msg"),
            ("StatusCode", "StatusMessage"),
        ):
            code = parsed.get(code_key)
            if isinstance(code, int) and not isinstance(code, bool):
                return Answer(code, " ".join(str(parsed.get(words_key, "")).split()))
    return Answer(None, " ".join(raw.split())[:200])
