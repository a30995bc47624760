"""A test server on 127.0.0.1 that keeps each chat platform's documented contract.

One http.server in a thread answers as 企业微信, 钉钉 and 飞书 do, told apart by the path:
- /cgi-bin/webhook/send?key=K (WeCom): msgtype markdown, content at most 4,096 bytes of UTF-8;
  an unknown key gets 93000, a wrong type 40008, too long 40058, too frequent 45009.
- /robot/send?access_token=T (DingTalk): msgtype markdown with title and text, a body of at
  most 20,000 bytes; a robot with a secret checks timestamp (ms, within an hour) and sign in
  the query (310000 when wrong or stale); an unknown token gets 300001, too frequent 130101.
- /open-apis/bot/v2/hook/K (Feishu): msg_type post or interactive, a body of at most 20 KB;
  a robot with a secret checks timestamp (s, within an hour) and sign in the body (19021);
  an unknown hook gets 19001, a bad request 9499, too frequent 11232.
Every answer is HTTP 200 with the code in the JSON body, as the platforms answer. The server
can be told to answer "too frequent" (once or more), to hang (at once or after some messages,
until the test ends), or to answer what no platform would (HTML from a proxy). It keeps every message it accepted, with the time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

WECOM_LIMIT = 4096
DINGTALK_LIMIT = 20_000
FEISHU_LIMIT = 20 * 1024
# How far a signature's timestamp may be from the server's clock (both platforms: one hour).
SKEW = 3600


@dataclass
class Accepted:
    platform: str
    key: str
    body: dict[str, Any]
    raw: bytes
    at: float
    """time.monotonic() when it arrived."""


@dataclass
class Robots:
    """What the server knows and has been told to do, and what it accepted."""

    secrets: dict[str, str | None] = field(default_factory=dict)
    """Key (or access token, or hook id) → its signing secret (None: unsigned). Others are
    unknown keys."""
    busy: dict[str, int] = field(default_factory=dict)
    """Key → how many of its next messages are answered "too frequent"."""
    hang: set[str] = field(default_factory=set)
    """Keys whose messages get no answer until the test ends."""
    hang_after: dict[str, int] = field(default_factory=dict)
    """Key → how many of its messages are accepted before the rest hang."""
    html: set[str] = field(default_factory=set)
    """Keys answered with an HTML page and HTTP 200, as a captive proxy would."""
    accepted: list[Accepted] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)
    """(key, code) of every message answered with an error."""
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self, key: str) -> list[str]:
        """The text of each message accepted for `key`, in order."""
        return [message_text(a) for a in self.accepted if a.key == key]


def message_text(accepted: Accepted) -> str:
    body = accepted.body
    if accepted.platform == "wecom":
        return str(body["markdown"]["content"])
    if accepted.platform == "dingtalk":
        return str(body["markdown"]["text"])
    post = next(iter(body["content"]["post"].values()))
    lines = [post["title"]] + ["".join(s["text"] for s in para) for para in post["content"]]
    return "\n".join(lines)


def dingtalk_sign(secret: str, timestamp: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def feishu_sign(secret: str, timestamp: str) -> str:
    mac = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def _fresh(timestamp: str, scale: float) -> bool:
    return timestamp.isdigit() and abs(int(timestamp) / scale - time.time()) <= SKEW


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass

    def do_POST(self) -> None:
        arrived = time.monotonic()  # before any work of ours, which would blur the spacing
        robots = self.server.robots
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if url.path == "/cgi-bin/webhook/send":
            platform, key = "wecom", query.get("key", "")
        elif url.path == "/robot/send":
            platform, key = "dingtalk", query.get("access_token", "")
        elif url.path.startswith("/open-apis/bot/v2/hook/"):
            platform, key = "feishu", url.path.rsplit("/", 1)[1]
        else:
            self._send(404, b"<html>not found</html>", "text/html")
            return
        with robots.lock:
            taken = sum(a.key == key for a in robots.accepted)
        if key in robots.hang or taken >= robots.hang_after.get(key, taken + 1):
            robots.released.wait(30)  # the test ends (or 30 s pass) before any answer
            return
        if key in robots.html:
            self._send(200, b"<html><body>proxy login</body></html>", "text/html")
            return
        code, words, body = _judge(platform, key, query, raw, robots)
        with robots.lock:
            if code == 0:
                robots.accepted.append(Accepted(platform, key, body, raw, arrived))
            else:
                robots.refused.append((key, code))
        self._send(200, _answer(platform, code, words), "application/json")

    def _send(self, status: int, data: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


UNKNOWN = {
    "wecom": (93000, "invalid webhook url, hint: [1700000000_1], from ip: 127.0.0.1"),
    "dingtalk": (300001, "token is not exist"),
    "feishu": (19001, "param invalid: incoming webhook access token invalid"),
}
BUSY = {
    "wecom": (45009, "api freq out of limit"),
    "dingtalk": (130101, "send too fast, exceed 20 times per minute"),
    "feishu": (11232, "frequency limited psm[lark.oapi.app_platform_runtime]appID[1]"),
}


def _judge(
    platform: str, key: str, query: dict[str, str], raw: bytes, robots: Robots
) -> tuple[int, str, dict[str, Any]]:
    """The platform's code and words for this request, and its parsed body."""
    if key not in robots.secrets:
        return (*UNKNOWN[platform], {})
    try:
        body = json.loads(raw.decode("utf-8"))
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return (9499, "Bad Request", {}) if platform == "feishu" else (40035, "不合法的参数", {})
    with robots.lock:
        if robots.busy.get(key):
            robots.busy[key] -= 1
            return (*BUSY[platform], body)
    secret = robots.secrets[key]
    if platform == "wecom":
        return (*_wecom(body), body)
    if platform == "dingtalk":
        if secret is not None:
            stamp = query.get("timestamp", "")
            if not _fresh(stamp, 1000):
                return 310000, "invalid timestamp", body
            if query.get("sign") != dingtalk_sign(secret, stamp):
                return 310000, "sign not match, more: [https://ding-doc.dingtalk.com]", body
        return (*_dingtalk(body, raw), body)
    if secret is not None:
        stamp = str(body.get("timestamp", ""))
        if not _fresh(stamp, 1) or body.get("sign") != feishu_sign(secret, stamp):
            return (
                19021,
                "sign match fail or timestamp is not within one hour from current time",
                body,
            )
    return (*_feishu(body, raw), body)


def _wecom(body: dict[str, Any]) -> tuple[int, str]:
    content = (body.get("markdown") or {}).get("content")
    if body.get("msgtype") != "markdown" or not isinstance(content, str) or not content:
        return 40008, "invalid message type"
    if len(content.encode("utf-8")) > WECOM_LIMIT:
        return 40058, f"markdown.content exceed max length {WECOM_LIMIT}. invalid Request Parameter"
    return 0, "ok"


def _dingtalk(body: dict[str, Any], raw: bytes) -> tuple[int, str]:
    if len(raw) > DINGTALK_LIMIT:
        return 460101, "description: body 大小不合法;solution:请保持大小在 20000bytes 以内;"
    markdown = body.get("markdown") or {}
    if body.get("msgtype") != "markdown":
        return 40035, "缺少参数 msgtype 或 msgtype 不合法"
    if not all(isinstance(markdown.get(k), str) and markdown.get(k) for k in ("title", "text")):
        return 40035, "缺少参数 markdown.title 或 markdown.text"
    return 0, "ok"


def _feishu(body: dict[str, Any], raw: bytes) -> tuple[int, str]:
    if len(raw) > FEISHU_LIMIT or body.get("msg_type") not in ("post", "interactive"):
        return 9499, "Bad Request"
    if body["msg_type"] == "post":
        posts = (body.get("content") or {}).get("post") or {}
        ok = bool(posts) and all(
            isinstance(p.get("title"), str)
            and isinstance(p.get("content"), list)
            and all(
                isinstance(para, list)
                and all(isinstance(s, dict) and s.get("tag") == "text" for s in para)
                for para in p["content"]
            )
            for p in posts.values()
        )
        if not ok:
            return 9499, "Bad Request"
    return 0, "success"


def _answer(platform: str, code: int, words: str) -> bytes:
    if platform == "feishu":
        if code == 0:
            answer: dict[str, Any] = {
                "StatusCode": 0,
                "StatusMessage": "success",
                "code": 0,
                "data": {},
                "msg": "success",
            }
        else:
            answer = {"code": code, "data": {}, "msg": words}
    else:
        answer = {"errcode": code, "errmsg": words}
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    robots: Robots


@dataclass
class Running:
    robots: Robots
    port: int
    scheme: str = "http"

    def url(self, platform: str, key: str) -> str:
        """The robot's address with the platform named before the scheme, as for any host
        that is not the platform's own."""
        base = f"{platform}+{self.scheme}://127.0.0.1:{self.port}"
        if platform == "wecom":
            return f"{base}/cgi-bin/webhook/send?key={key}"
        if platform == "dingtalk":
            return f"{base}/robot/send?access_token={key}"
        return f"{base}/open-apis/bot/v2/hook/{key}"


@contextmanager
def serving(robots: Robots | None = None, tls: ssl.SSLContext | None = None) -> Iterator[Running]:
    """The server on 127.0.0.1, on a port the OS picks; HTTPS with `tls`."""
    robots = robots or Robots()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.robots = robots
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Running(robots, server.server_address[1], "https" if tls else "http")
    finally:
        robots.released.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
