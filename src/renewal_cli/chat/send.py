"""Posting messages to the robots: the standard library's HTTP client, TLS always verified.

Sends to one robot are spaced to its platform's rate limit. When a platform still answers "too
frequent", the poster waits out the platform's window once and tries again. Never raises for a
failed post: each comes back as a Posted saying why, with the platform's own words and no key
or secret in them. A host that times out or refuses a connection is not tried again in the run,
so a host that is down costs one timeout, not one per group. The time comes in as a Clock: the
command line is the layer that reads it.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.error import HTTPError, URLError

from renewal_cli import __version__
from renewal_cli.chat.platforms import CONTRACTS, Answer, encode, read_answer, signed
from renewal_cli.chat.webhooks import Webhook

# An answer is a small JSON object; more than this is not read.
MAX_ANSWER = 64 * 1024
# The platforms count their rate limits over one minute; tests pass a shorter window.
MINUTE = 60.0


@dataclass(frozen=True)
class Clock:
    """The time, as the command line gives it."""

    wall: Callable[[], float]
    """Seconds since the epoch, for the platforms' signatures."""
    monotonic: Callable[[], float]
    sleep: Callable[[float], None]


@dataclass(frozen=True)
class Posted:
    """What became of one post."""

    ok: bool
    reason: str | None = None
    """Why not: platform (an error code in the answer), http (an HTTP error without one),
    answer (not a platform's answer), timeout, refused, unreachable, tls, connect, lost,
    host_down (the host failed earlier in this run), deadline (the run's time was up)."""
    code: int | None = None
    words: str = ""
    """The platform's own message, or the system's error text (no key, no secret)."""
    status: int | None = None
    unknown: bool = False
    """The request went out but no answer came: the message may have been posted."""
    retried: bool = False
    """The platform said "too frequent" and the post was tried once more after waiting."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook never redirects; following one could post the message somewhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Poster:
    """Posts to robots, spaced to each one's limits; remembers hosts that failed."""

    clock: Clock
    timeout: float
    window: float = MINUTE
    """How long the platforms' one-minute window is taken to be (shorter only in tests)."""
    deadline: float | None = None
    """When the run must end (clock.monotonic): nothing is sent or waited for past it."""
    _sent: dict[str, list[float]] = field(default_factory=dict)
    _down: dict[str, Posted] = field(default_factory=dict)

    def __post_init__(self) -> None:
        context = ssl.create_default_context()  # certificates and host names verified
        self._opener = urllib.request.build_opener(
            _NoRedirect(), urllib.request.HTTPSHandler(context=context)
        )

    def post(self, webhook: Webhook, data: dict[str, Any]) -> Posted:
        """Post one message body (unsigned: it is signed here, just before it goes)."""
        down = self._down.get(webhook.host)
        if down is not None:
            return Posted(ok=False, reason="host_down", words=down.words)
        posted = self._once(webhook, data)
        if posted.code == CONTRACTS[webhook.platform].busy:
            # Sent to too often (by this run or anyone else): wait out the window, once.
            if not self._wait(self.window):
                return replace(posted, reason="deadline")
            posted = replace(self._once(webhook, data), retried=True)
        if posted.reason in ("timeout", "refused", "unreachable"):
            self._down[webhook.host] = posted
        return posted

    def _wait(self, seconds: float) -> bool:
        """Sleep `seconds`, unless that would pass the deadline (then False, at once)."""
        if self.deadline is not None and self.clock.monotonic() + seconds > self.deadline:
            return False
        self.clock.sleep(seconds)
        return True

    def _space(self, webhook: Webhook) -> bool:
        """Wait until one more message keeps the robot within each of its platform's limits
        (False: not before the deadline)."""
        sent = self._sent.setdefault(webhook.url, [])
        scale = self.window / MINUTE
        for count, seconds in CONTRACTS[webhook.platform].windows:
            span = seconds * scale
            while True:
                now = self.clock.monotonic()
                recent = [t for t in sent if now - t < span]
                if len(recent) < count:
                    break
                if not self._wait(recent[-count] + span - now):
                    return False
        sent.append(self.clock.monotonic())
        del sent[:-100]
        return True

    def _once(self, webhook: Webhook, data: dict[str, Any]) -> Posted:
        if not self._space(webhook) or self._left() <= 0:
            return Posted(ok=False, reason="deadline")
        url, body = signed(webhook, data, self.clock.wall())
        cut = self._left() < self.timeout  # the deadline, not the timeout, limits this one
        try:
            status, raw = self._exchange(url, encode(body))
        except _Failed as failed:
            reason = "deadline" if cut and failed.reason == "timeout" else failed.reason
            return Posted(
                ok=False,
                reason=reason,
                words=webhook.scrub(failed.words),
                unknown=failed.unknown,
            )
        answer: Answer = read_answer(raw)
        words = webhook.scrub(answer.words)
        if answer.ok and status == 200:
            return Posted(ok=True, code=0, words=words, status=status)
        if answer.code is not None:
            return Posted(ok=False, reason="platform", code=answer.code, words=words, status=status)
        reason = "answer" if status == 200 else "http"
        return Posted(ok=False, reason=reason, words=words, status=status)

    def _left(self) -> float:
        """Seconds a request may take: the timeout, or less when the deadline is nearer."""
        if self.deadline is None:
            return self.timeout
        return min(self.timeout, self.deadline - self.clock.monotonic())

    def _exchange(self, url: str, payload: bytes) -> tuple[int, bytes]:
        """POST `payload`; the HTTP status and the answer's first MAX_ANSWER bytes."""
        request = urllib.request.Request(
            url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": f"renewal-cli/{__version__}",
            },
        )
        try:
            try:
                response = self._opener.open(request, timeout=self._left())
            except HTTPError as error:  # 4xx/5xx (and the refused redirects): read it too
                response = error
            with response:
                status = int(getattr(response, "status", None) or response.getcode() or 0)
                return status, self._read(response)
        except URLError as error:
            # Raised before the request was complete: the platform cannot have posted it.
            raise _Failed.before(error.reason) from None
        except TimeoutError:
            raise _Failed("timeout", "timed out", unknown=True) from None
        except (http.client.HTTPException, OSError) as error:
            raise _Failed("lost", str(error) or type(error).__name__, unknown=True) from None

    def _read(self, response: Any) -> bytes:
        """The answer, read in pieces so that a server trickling bytes is cut off at the
        timeout, not after one timeout per byte."""
        deadline = self.clock.monotonic() + self._left()
        read = getattr(response, "read1", response.read)
        data = b""
        while len(data) < MAX_ANSWER:
            if self.clock.monotonic() > deadline:
                raise TimeoutError
            chunk = read(MAX_ANSWER - len(data))
            if not chunk:
                break
            data += chunk
        return data


class _Failed(Exception):
    def __init__(self, reason: str, words: str, *, unknown: bool = False) -> None:
        super().__init__(reason, words)
        self.reason = reason
        self.words = words
        self.unknown = unknown

    @classmethod
    def before(cls, error: object) -> _Failed:
        """A failure before the platform had the whole request (urllib's URLError reason)."""
        if isinstance(error, TimeoutError):
            return cls("timeout", "timed out")
        if isinstance(error, ConnectionRefusedError):
            return cls("refused", _errno(error))
        if isinstance(error, socket.gaierror):
            return cls("unreachable", _errno(error))
        if isinstance(error, ssl.SSLError):
            return cls("tls", getattr(error, "verify_message", None) or str(error))
        if isinstance(error, OSError):
            return cls("connect", _errno(error))
        return cls("connect", str(error))


def _errno(error: OSError) -> str:
    """ "[Errno N] text", which the command line words when it knows N."""
    if error.errno is not None:
        return f"[Errno {error.errno}] {error.strerror}"
    return str(error)
