"""A place's digest for a chat group, and its split into numbered messages that fit (pure).

The digest is the counts by status, then one line per item in order of urgency (deadline,
status, number, holder, product, county), then the plan the items were judged by. Where a
platform's limit is too small for it, it is split at item boundaries into "（1/3）" parts, never
cutting an item; beyond the most messages a group may get in one run, the rest of the items
are counted in one line naming the command that lists them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from renewal_cli.messages import Lang, text
from renewal_cli.models import ScheduleItem, Status
from renewal_cli.places import Places
from renewal_cli.present import plan_note, status_counts, status_label
from renewal_cli.rules import Selection

# A register cell may be long; a chat line shows this many characters of it.
MAX_FIELD = 60
_STATUS_ORDER = {status: n for n, status in enumerate(Status)}


@dataclass(frozen=True)
class Digest:
    """What one group is told, before it is split: plain text, one entry per line."""

    heading: str
    counts: str
    items: tuple[str, ...]
    plan: str
    empty: str | None = None
    """The line said instead of items when there are none."""

    @property
    def fingerprint(self) -> str:
        """A digest of the content, for the delivery record. The heading is left out: it
        names AS_OF, and a second run in the same week with the same items is no change."""
        content = "\n".join((self.counts, *self.items, self.plan, self.empty or ""))
        return hashlib.sha256(content.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Part:
    """One message of a digest: its title and lines."""

    title: str
    lines: tuple[str, ...]


def plan_line(plan_year: int, plan_used: int, lang: Lang) -> str:
    """The plan the items were judged by, in one line: the plan year's own when it is loaded,
    else, in the words every output uses (present.plan_note), that an earlier year's plan is
    used instead (domain.md §5: never cite a plan that is not loaded)."""
    if plan_used == plan_year:
        return text("chat.plan", lang, plan_year=plan_year)
    return plan_note(plan_year, plan_used, lang)


def urgency(item: ScheduleItem) -> tuple[int, int, str, str]:
    """Deadline first, then status (late before pending on the same day), then number."""
    c = item.certificate
    return (item.file_by.toordinal(), _STATUS_ORDER[item.status], c.cert_id, item.kind.value)


def _short(value: str) -> str:
    return value if len(value) <= MAX_FIELD else value[: MAX_FIELD - 1] + "…"


def item_line(item: ScheduleItem, lang: Lang) -> str:
    """ "2026-03-01 待申报 LB-45-21030512345A 百色某农业公司 芒果 田阳区"."""
    c = item.certificate
    fields = (
        item.file_by.isoformat(),
        status_label(item, lang),
        c.cert_id,
        c.enterprise,
        c.product,
        c.county or c.city,
    )
    return " ".join(_short(field) for field in fields)


def compose_digest(
    items: Sequence[ScheduleItem],
    *,
    place: str | None,
    as_of: date,
    plan_year: int,
    plan_used: int,
    lang: Lang,
) -> Digest:
    """The digest of `items` for the group of `place` (None: every place)."""
    where = place or text("mail.all_places", lang)
    ordered = sorted(items, key=urgency)
    return Digest(
        heading=text("chat.heading", lang, place=where, as_of=as_of.isoformat()),
        counts=status_counts(ordered, lang),
        items=tuple(item_line(item, lang) for item in ordered),
        plan=plan_line(plan_year, plan_used, lang),
        empty=None if items else text("mail.empty", lang, as_of=as_of.isoformat()),
    )


def split(
    digest: Digest,
    *,
    fits: Callable[[Part], bool],
    most: int,
    more_command: str,
    lang: Lang,
    updated: bool = False,
) -> list[Part]:
    """The digest as at most `most` parts that each `fits`, items never cut.

    Every part is measured with the widest title it could get (numbered and marked as an
    update) and room for the plan line, so the title and the closing lines never push a part
    over its limit, and a digest splits the same way whether it is an update or not. When more
    parts would be needed, the last one allowed ends with a line counting the items left out
    and naming `more_command`, which lists them all.
    """
    widest = _title(digest.heading, 99, 99, True, lang)
    closing = [digest.plan]
    body = list(digest.items) or [digest.empty or ""]
    chunks = _pack(body, [digest.counts], closing, widest, fits)
    left = 0
    if len(chunks) > most:
        kept = chunks[: most - 1]
        first = [digest.counts] if most == 1 else []
        taken = sum(len(c) for c in kept)
        # The last part also carries the line counting the rest (the count at its widest).
        more = text("chat.more", lang, count=len(body), most=most, command=more_command)
        rest = _pack(body[taken:], first, [more, *closing], widest, fits)
        last = rest[0]
        left = len(body) - taken - len(last)
        chunks = [*kept, last]
    total = len(chunks)
    parts: list[Part] = []
    for number, chunk in enumerate(chunks, start=1):
        lines = [digest.counts] if number == 1 else []
        lines += chunk
        if number == total:
            if left:
                lines.append(text("chat.more", lang, count=left, most=most, command=more_command))
            lines += closing
        parts.append(Part(_title(digest.heading, number, total, updated, lang), tuple(lines)))
    return parts


def _title(heading: str, number: int, total: int, updated: bool, lang: Lang) -> str:
    title = heading + (text("chat.updated", lang) if updated else "")
    if total > 1:
        title += text("chat.numbered", lang, number=number, total=total)
    return title


def _pack(
    lines: list[str],
    first: list[str],
    closing: list[str],
    title: str,
    fits: Callable[[Part], bool],
) -> list[list[str]]:
    """Lines packed into chunks, each as many lines as fit under `title` with `closing` after
    them; the first chunk also carries `first`. A line too long for a part of its own still
    gets one (item lines are short by construction: each field is cut to MAX_FIELD characters).

    A part only grows with each line, so the most that fit is found by doubling then halving:
    a few measures of a part, not one per line (a county's 1,000 items take milliseconds).
    """
    chunks: list[list[str]] = []
    head = first
    start = 0
    while start < len(lines):

        def fit(count: int, at: int = start, head: list[str] = head) -> bool:
            return fits(Part(title, (*head, *lines[at : at + count], *closing)))

        left = len(lines) - start
        good = 1  # even when it does not fit: a line is never cut
        while good < left and fit(min(2 * good, left)):
            good = min(2 * good, left)
        bad = min(2 * good, left + 1)
        while bad - good > 1:
            middle = (good + bad) // 2
            good, bad = (middle, bad) if fit(middle) else (good, middle)
        chunks.append(lines[start : start + good])
        start += good
        head = []
    return chunks or [[]]


def list_command(place: str | None, selection: Selection, as_of: date, places: Places) -> str:
    """The `renewal due` command that lists what a group's digest was about, for the line that
    counts the items left out. The register is not named: it is the one the office runs with
    ($RENEWAL_REGISTER in the cron job)."""
    scope = selection.scope
    cities, counties = set(scope.cities), set(scope.counties)
    if place in places.counties:
        counties.add(place)
    elif place is not None:
        cities.add(place)
    words = ["renewal", "due"]
    words += [w for name in sorted(cities) for w in ("--city", name)]
    words += [w for name in sorted(counties) for w in ("--county", name)]
    for option, chosen in (
        ("--scheme", selection.schemes),
        ("--kind", selection.kinds),
        ("--status", selection.statuses),
        ("--flag", selection.flags),
    ):
        if chosen:
            words += [option, ",".join(sorted(member.value for member in chosen))]
    if selection.within != Selection().within:
        words += ["--within", str(selection.within)]
    if selection.expired_within != Selection().expired_within:
        words += ["--expired-within", str(selection.expired_within)]
    if selection.all:
        words.append("--all")
    words += ["--as-of", as_of.isoformat()]
    return " ".join(words)
