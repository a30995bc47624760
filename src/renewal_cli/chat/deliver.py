"""What `renewal notify` does: compose each group's digest, then post it or write it.

Each group's result goes to `on_result` as soon as it is known, and each part a platform
accepted is put in the delivery record at once (through the run's Ledger), so a run killed
halfway leaves a record of what was posted and the rerun posts only the rest. A rerun in the
same period skips parts already delivered with the same content; changed content is posted
again, every part marked （更新）. The record knows a robot by its name (no key) and a part by
its place and number (topic "place:百色市#2").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from renewal_cli.chat.compose import Part, compose_digest, list_command, split
from renewal_cli.chat.platforms import body, encode, fits
from renewal_cli.chat.routing import Group
from renewal_cli.chat.send import Posted, Poster
from renewal_cli.delivery.ledger import Ledger, message_key
from renewal_cli.files import make_directory, unique_filename, write_atomic
from renewal_cli.messages import Lang
from renewal_cli.places import guangxi
from renewal_cli.rules import Selection

CHANNEL = "chat"
# Posts one part of a group's digest (its number, from 1): a real post, or a dry run's file.
Post = Callable[[Group, int, Part], Posted]


@dataclass(frozen=True)
class NotifyJob:
    """Everything a notify run needs besides the groups."""

    as_of: date
    plan_year: int
    plan_used: int
    lang: Lang
    selection: Selection
    most: int = 5
    """The most messages one group gets in one run."""
    skip_empty: bool = False
    """--quiet: groups with nothing due get no message."""


@dataclass(frozen=True)
class GroupResult:
    """What became of one group's digest."""

    group: Group
    parts: int
    sent: int = 0
    """Parts posted in this run."""
    skipped: int = 0
    """Parts already delivered in this period with the same content, not posted again."""
    updated: bool = False
    failure: Posted | None = None
    failed_part: int = 0

    @property
    def failed(self) -> bool:
        return self.failure is not None


def parts_of(group: Group, job: NotifyJob, updated: bool = False) -> tuple[list[Part], str]:
    """The group's digest as the messages to post, and the digest's fingerprint."""
    digest = compose_digest(
        group.items,
        place=group.place,
        as_of=job.as_of,
        plan_year=job.plan_year,
        plan_used=job.plan_used,
        lang=job.lang,
    )
    platform, lang = group.webhook.platform, job.lang
    parts = split(
        digest,
        fits=lambda part: fits(platform, part, lang),
        most=job.most,
        more_command=list_command(group.place, job.selection, job.as_of, guangxi()),
        lang=lang,
        updated=updated,
    )
    return parts, digest.fingerprint


def topic(group: Group, number: int) -> str:
    """A part's topic in the delivery record: the place and the part's number."""
    return f"place:{group.place or 'all'}#{number}"


def deliver(
    groups: Sequence[Group],
    job: NotifyJob,
    *,
    post: Post,
    ledger: Ledger,
    now: Callable[[], str],
    on_result: Callable[[GroupResult], None],
) -> list[GroupResult]:
    """Post (or write) every group's digest, skipping what the record says was delivered;
    each group's result goes to `on_result` as it is known. `now` gives the time to record
    (ISO 8601 with its offset)."""
    results: list[GroupResult] = []
    for group in groups:
        if job.skip_empty and not group.items:
            continue
        result = _deliver_group(group, job, post, ledger, now)
        results.append(result)
        on_result(result)
    return results


def _deliver_group(
    group: Group, job: NotifyJob, post: Post, ledger: Ledger, now: Callable[[], str]
) -> GroupResult:
    parts, fingerprint = parts_of(group, job)
    robot = group.webhook.name
    # Parts go out in order, so the first part's record tells whether this is an update.
    updated = bool(ledger.plan(topic(group, 1), [robot], fingerprint).updated)
    if updated:
        parts, _ = parts_of(group, job, updated=True)
    sent = skipped = 0
    for number, part in enumerate(parts, start=1):
        about = topic(group, number)
        if ledger.plan(about, [robot], fingerprint).skipped:
            skipped += 1
            continue
        posted = post(group, number, part)
        if posted.ok or posted.unknown:
            ledger.add(
                topic=about,
                recipient=robot,
                digest=fingerprint,
                outcome="sent" if posted.ok else "unknown",
                at=now(),
                msgid=message_key(CHANNEL, robot, about, ledger.period, fingerprint),
            )
        if not posted.ok:
            return GroupResult(
                group, len(parts), sent, skipped, updated, failure=posted, failed_part=number
            )
        sent += 1
    return GroupResult(group, len(parts), sent, skipped, updated)


def body_writer(directory: Path, lang: Lang) -> tuple[Post, list[Path]]:
    """--dry-run: a Post that writes each request body as a .json file in `directory`
    (unsigned: Feishu's timestamp and sign are added only when a message is sent), and the
    list of the files it wrote. Files are named after the place, the platform, the robot's
    last 4 key characters and the part. Bodies an earlier dry run left there are removed
    first, so the folder never mixes two runs; other files are left alone."""
    make_directory(directory)
    for old in directory.glob("*.json"):
        if _ours(old):
            old.unlink(missing_ok=True)
    written: list[Path] = []
    taken: set[str] = set()

    def write(group: Group, number: int, part: Part) -> Posted:
        webhook = group.webhook
        stem = f"{group.place or 'all'}-{webhook.platform.value}-{webhook.tail}-{number}"
        path = directory / unique_filename(stem, ".json", taken)
        write_atomic(path, encode(body(webhook.platform, part, lang)))
        written.append(path)
        return Posted(ok=True)

    return write, written


def sender(poster: Poster, lang: Lang) -> Post:
    """A Post that sends each part through `poster`."""

    def send(group: Group, number: int, part: Part) -> Posted:
        return poster.post(group.webhook, body(group.webhook.platform, part, lang))

    return send


# How a body of ours is named and starts (platforms.encode writes compact JSON, type first).
_OUR_NAME = re.compile(r".*-(?:wecom|dingtalk|feishu)-.+-[0-9]+\.json")
_OUR_START = (b'{"msgtype":', b'{"msg_type":')


def _ours(path: Path) -> bool:
    if _OUR_NAME.fullmatch(path.name) is None or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(16).startswith(_OUR_START)
    except OSError:
        return False
