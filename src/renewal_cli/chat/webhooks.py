"""Robot addresses: a webhook URL as the platform shows it, its platform, key and signing secret.

The platform is told from the host (qyapi.weixin.qq.com, oapi.dingtalk.com, open.feishu.cn,
open.larksuite.com). Any other host (a proxy, a private deployment, a test server) names it as a
prefix on the scheme: `wecom+https://…`, `dingtalk+http://127.0.0.1:8080/robot/send?…`.

The URL holds the robot's key, so a Webhook never shows it: its repr hides the URL and the
secret, `shown` is the host and the key's last 4 characters, `scrub` takes both out of any text,
and the delivery record knows the robot by a name made of the same parts and a short hash.
The webhooks file is read with the contacts file's reader (mail/contacts.py): same encodings,
headers in Chinese or English, places as registers write them, a bad row stops the run naming
file, line, column and value (the value redacted).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from renewal_cli.errors import RenewalError
from renewal_cli.places import Places


class Platform(StrEnum):
    """The chat platform a robot belongs to (Lark is Feishu's international edition)."""

    WECOM = "wecom"
    DINGTALK = "dingtalk"
    FEISHU = "feishu"


HOSTS: dict[str, Platform] = {
    "qyapi.weixin.qq.com": Platform.WECOM,
    "oapi.dingtalk.com": Platform.DINGTALK,
    "open.feishu.cn": Platform.FEISHU,
    "open.larksuite.com": Platform.FEISHU,
}
PREFIXES: dict[str, Platform] = {
    "wecom": Platform.WECOM,
    "dingtalk": Platform.DINGTALK,
    "feishu": Platform.FEISHU,
    "lark": Platform.FEISHU,
}
# Where the robot's address lives on the platforms' own hosts.
PATHS: dict[Platform, str] = {
    Platform.WECOM: "/cgi-bin/webhook/send",
    Platform.DINGTALK: "/robot/send",
    Platform.FEISHU: "/open-apis/bot/v2/hook/",
}
# The query parameter that holds the key (Feishu's is the last part of the path).
KEY_PARAMS: dict[Platform, str] = {Platform.WECOM: "key", Platform.DINGTALK: "access_token"}
# Platforms that offer signing (加签); WeCom's group robots have none.
SIGNING = frozenset({Platform.DINGTALK, Platform.FEISHU})


class WebhookError(Exception):
    """A webhook address that cannot be used: `why` is a message id, `params` its values."""

    def __init__(self, why: str, **params: str) -> None:
        super().__init__(why, params)
        self.why = why
        self.params = params


@dataclass(frozen=True)
class Webhook:
    """One robot: where to post (the URL without a platform prefix), its key and secret."""

    platform: Platform
    host: str
    """The host, with its port when one was given."""
    url: str = field(repr=False)
    key: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)

    @property
    def tail(self) -> str:
        """The key's last 4 characters: enough for an officer to tell robots apart."""
        return self.key[-4:]

    @property
    def shown(self) -> str:
        """ "qyapi.weixin.qq.com …3f2a": how output names the robot."""
        return f"{self.host} …{self.tail}"

    @property
    def name(self) -> str:
        """The robot's name in the delivery record: no key, a short hash to tell apart two keys
        that end alike."""
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:12]
        return f"chat:{self.platform.value}:{self.host}:{self.tail}:{digest}"

    def scrub(self, text: str) -> str:
        """`text` with the URL, the key and the secret replaced (an error or a platform's answer
        may quote them)."""
        for secret in (self.url, self.key, self.secret):
            if secret:
                text = text.replace(secret, "…" + secret[-4:] if secret == self.key else "***")
        return text


def redact(value: str) -> str:
    """A webhook address as error messages show it: the host and the last 4 characters."""
    try:
        host = urlsplit(value.strip()).hostname or ""
    except ValueError:
        host = ""
    return f"{host} …{value.strip()[-4:]}".strip()


def parse_webhook(value: str, secret: str | None = None) -> Webhook:
    """The robot at `value`, signed with `secret` (None or "" for none).

    Raises WebhookError naming why it cannot be used: not a URL, an unknown host without a
    platform prefix, an unknown prefix, plain http on a platform's own host, the wrong path
    on it, no key, or a secret for WeCom, which cannot sign.
    """
    text = value.strip()
    if not text or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise WebhookError("chat.why.not_url")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        raise WebhookError("chat.why.not_url") from None
    prefix, plus, scheme = parts.scheme.lower().rpartition("+")
    if scheme not in ("http", "https") or not host:
        raise WebhookError("chat.why.not_url")
    if plus:
        if prefix not in PREFIXES:
            raise WebhookError("chat.why.unknown_platform", platform=prefix)
        platform = PREFIXES[prefix]
    elif host in HOSTS:
        platform = HOSTS[host]
        if scheme != "https":
            raise WebhookError("chat.why.not_https", host=host)
        if not parts.path.startswith(PATHS[platform]):
            raise WebhookError("chat.why.bad_path", host=host, path=PATHS[platform])
    else:
        raise WebhookError("chat.why.unknown_host", host=host)
    url = text.split("+", 1)[1] if plus else text
    key = _key(platform, parts.path, parts.query)
    if not key:
        raise WebhookError("chat.why.no_key")
    secret = (secret or "").strip() or None
    if secret is not None and platform not in SIGNING:
        raise WebhookError("chat.why.secret_unsupported")
    shown_host = f"{host}:{port}" if port is not None else host
    return Webhook(platform=platform, host=shown_host, url=url, key=key, secret=secret)


def _key(platform: Platform, path: str, query: str) -> str:
    if platform in KEY_PARAMS:
        wanted = KEY_PARAMS[platform]
        return next((v for k, v in parse_qsl(query) if k == wanted and v), "")
    # Feishu's: what follows /hook/ (on another host, the last part of the path).
    if "/hook/" in path:
        return path.rpartition("/hook/")[2].strip("/")
    return path.rstrip("/").rpartition("/")[2]


# --- The webhooks file ---------------------------------------------------------------------------

# Field → accepted headers, compared as the contacts file's are.
WEBHOOK_ALIASES: dict[str, tuple[str, ...]] = {
    "place": ("地区", "地点", "地方", "所在地", "区域", "place", "city", "county"),
    "webhook": ("机器人地址", "机器人", "webhook", "地址", "url", "hook"),
    "secret": ("加签密钥", "密钥", "加签", "签名密钥", "secret", "sign"),
}


def read_webhooks(path: Path, places: Places) -> dict[str, list[Webhook]]:
    """Robots by canonical place name (places sorted, robots in file order, no repeats).

    Raises RenewalError naming the file, line, column and (redacted) value of the first bad
    row: an unknown place, an address that cannot be used, an empty cell.
    """
    from renewal_cli.mail.contacts import find_columns, read_rows

    source = str(path)
    rows = read_rows(path, "webhooks")
    _, header = rows[0]
    positions = find_columns(header, source, WEBHOOK_ALIASES, "webhooks", optional=("secret",))
    found: dict[str, list[Webhook]] = {}
    seen: set[tuple[str, str]] = set()
    for line, row in rows[1:]:
        place, webhook = _row(source, line, row, header, positions, places)
        if (place, webhook.url) not in seen:
            seen.add((place, webhook.url))
            found.setdefault(place, []).append(webhook)
    if not found:
        raise RenewalError("webhooks.empty", source=source)
    return {place: found[place] for place in sorted(found)}


def _row(
    source: str,
    line: int,
    row: list[str],
    header: list[str],
    positions: dict[str, int],
    places: Places,
) -> tuple[str, Webhook]:
    """One row as (place, robot); RenewalError naming the cell when it is not one."""
    from renewal_cli.cells import column_letter
    from renewal_cli.mail.contacts import place_named

    if any(row[len(header) :]):
        raise RenewalError(
            "contacts.extra_cells", source=source, line=line, cells=len(row), columns=len(header)
        )

    def cell(field: str) -> tuple[str, dict[str, object]]:
        index = positions[field]
        where: dict[str, object] = {"source": source, "line": line, "column": header[index]}
        where["letter"] = column_letter(index)
        value = row[index] if index < len(row) else ""
        if not value and field != "secret":
            raise RenewalError("contacts.empty_cell", **where)
        return value, where

    value, where = cell("place")
    place = place_named(value, places)
    if place is None:
        raise RenewalError("contacts.unknown_county", value=value, **where)
    secret = cell("secret")[0] if "secret" in positions else ""
    value, where = cell("webhook")
    try:
        webhook = parse_webhook(value, secret)
    except WebhookError as err:
        shown = redact(value)
        if err.why == "chat.why.secret_unsupported":
            # Named by its column; the secret itself is never shown.
            shown, where = "***", cell("secret")[1]
        raise RenewalError(
            "webhooks.bad_webhook", value=shown, why=err.why, **err.params, **where
        ) from None
    return place, webhook
