"""Reminder calendars (.ics): one all-day event per deadline, strictly valid RFC 5545.

A pending certificate gets an event on its file-by day and one reminder event per lead
(default 30 and 7 days before); a late one gets an event on its expiry day saying that it must be
applied for as new. Reminders are separate events, not extra alarms, because Outlook keeps a single
alarm per event and calendar subscriptions drop alarms altogether.

An event is read on the day it falls, not on the day the file was written, so it states dates
and what to do, never a count of days left. Holders get these files too (`mail --holders`): a
late item says what is still possible (present.closed_words), and rules are worded without the
officer's remarks (present.rule_text with outward=True).

The text is written by the `icalendar` package, which escapes, folds at 75 octets without
splitting a UTF-8 character, and ends lines with CRLF. Nothing here reads the clock or draws a
random number: UIDs come from the certificate, DTSTAMP from AS_OF, and events are sorted, so the
same items and AS_OF always give the same bytes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard, vCalAddress, vText

from renewal_cli import __version__
from renewal_cli.errors import UsageError
from renewal_cli.messages import Lang, text
from renewal_cli.models import Action, Kind, ScheduleItem, Status
from renewal_cli.present import (
    closed_words,
    field_label,
    label,
    place_label,
    rule_text,
    status_label,
    what_label,
)

CHINA = ZoneInfo("Asia/Shanghai")
TZID = "Asia/Shanghai"
# The last field of PRODID is the language of the calendar's text (RFC 5545 §3.7.3).
PRODID = "-//renewal-cli//renewal-cli " + __version__ + "//{lang}"
UID_DOMAIN = "renewal-cli"
DEFAULT_REMIND_DAYS: tuple[int, ...] = (30, 7)
# All-day events start at local midnight, so this alarm rings at 09:00 on the event's day.
ALARM_AT = timedelta(hours=9)
ONE_DAY = timedelta(days=1)


# Milestones name what an event stands for; they are part of the UID, so never rename them.
FILE_BY = "file_by"
LATE = "late"
REMIND = "remind-{days}"


@dataclass(frozen=True)
class _Milestone:
    """One event to write: which item, on which day, and what it is about."""

    item: ScheduleItem
    day: date
    milestone: str
    remind_days: int | None = None

    def sort_key(self) -> tuple[date, str, str, date]:
        # The expiry last: an organic number repeats across years, and the input order of two
        # such items must not change the bytes.
        c = self.item.certificate
        return (self.day, c.cert_id, self.milestone, self.item.last_day)


def event_uid(cert_id: str, expires_on: date, milestone: str) -> str:
    """A UID that stays the same across runs: the certificate, its expiry and the milestone.

    The expiry is part of it because a renewed organic certificate keeps its number: next
    year's deadline is a different event, not a change to this one.
    """
    key = f"{cert_id}|{expires_on.isoformat()}|{milestone}"
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()}@{UID_DOMAIN}"


def _uid(item: ScheduleItem, milestone: str) -> str:
    """Renewal UIDs as they have always been; other kinds name themselves, so a certificate
    with two obligations never repeats a UID."""
    c = item.certificate
    if item.kind is Kind.RENEWAL and c.expires_on is not None:
        return event_uid(c.cert_id, c.expires_on, milestone)
    subject = c.cert_id or f"{c.enterprise}|{c.product}"
    return event_uid(f"{item.kind.value}|{subject}", item.last_day, milestone)


def _uids(milestones: Sequence[_Milestone]) -> list[str]:
    """Each milestone's UID (_uid). Two holders' rows can share a certificate number and its
    expiry (a number clash, which the register keeps as two certificates): their events would
    share a UID, and a calendar program would keep one of them, dropping the other holder's
    deadline unseen. Those events get UIDs that also name the holder, its place and product
    (and, if even these are alike, the register line), stable while the clash lasts."""
    plain = [_uid(m.item, m.milestone) for m in milestones]
    counts = Counter(plain)
    if all(n == 1 for n in counts.values()):
        return plain
    named = []
    for uid, m in zip(plain, milestones, strict=True):
        if counts[uid] > 1:
            c = m.item.certificate
            who = f"{c.cert_id}|{c.enterprise}|{c.city}|{c.county or ''}|{c.product}"
            uid = event_uid(f"{m.item.kind.value}|{who}", m.item.last_day, m.milestone)
        named.append(uid)
    again = Counter(named)
    return [
        uid
        if again[uid] == 1
        else event_uid(
            f"{uid}|{m.item.certificate.source}|{m.item.certificate.line}",
            m.item.last_day,
            m.milestone,
        )
        for uid, m in zip(named, milestones, strict=True)
    ]


def stamp_of(as_of: date) -> datetime:
    """DTSTAMP: AS_OF's midnight in China, in UTC (RFC 5545 wants DTSTAMP in UTC)."""
    return datetime.combine(as_of, time(0), tzinfo=CHINA).astimezone(UTC)


MAX_REMIND_DAYS = 36_500
"""A century, as for --within: further back, date arithmetic leaves the calendar."""


def parse_remind(value: str) -> tuple[int, ...]:
    """`--remind 60,30,7` as days, largest first, without repeats.

    Raises RenewalError (usage) for anything but whole numbers from 1 to MAX_REMIND_DAYS: a
    reminder of 0 days would be a second event on the file-by day.
    """
    parts = [part.strip() for part in value.replace("，", ",").split(",")]
    days: set[int] = set()
    for part in parts:
        if not part:
            continue
        if not part.isascii() or not part.isdigit() or not 0 < int(part) <= MAX_REMIND_DAYS:
            raise UsageError("usage.bad_remind", value=value, high=MAX_REMIND_DAYS)
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


def _milestones(
    items: Iterable[ScheduleItem], as_of: date, remind_days: Sequence[int]
) -> list[_Milestone]:
    leads = sorted({n for n in remind_days if n > 0}, reverse=True)
    out: list[_Milestone] = []
    for item in items:
        if item.status is Status.PENDING:
            # Reminders fall on the last working day a filing can be handed in (submit_by).
            due = item.submit_by or item.file_by
            out.append(_Milestone(item, due, FILE_BY))
            for n in leads:
                day = due - timedelta(days=n)
                # A reminder for a day already gone would only clutter the past.
                if day >= as_of:
                    out.append(_Milestone(item, day, REMIND.format(days=n), n))
        elif item.status is Status.LATE and item.action is Action.NEW_APPLICATION:
            # The window is missed: the event falls on the last day the label may be used.
            out.append(_Milestone(item, item.last_day, LATE))
        elif item.status is Status.LATE:
            # Overdue and still to be done "as soon as possible": on AS_OF, the day it is
            # already owed. Its last day (an inspection's certificate year end, a test's
            # expiry) can be months away, and an "act now" event there comes too late.
            out.append(_Milestone(item, as_of, LATE))
    return sorted(out, key=_Milestone.sort_key)


def _summary(m: _Milestone, lang: Lang) -> str:
    c = m.item.certificate
    params = {"what": what_label(m.item, lang), "enterprise": c.enterprise, "product": c.product}
    if m.milestone == LATE:
        anew = m.item.action is Action.NEW_APPLICATION
        return text("calendar.summary.late" if anew else "calendar.summary.overdue", lang, **params)
    if m.remind_days is not None:
        due = m.day + timedelta(days=m.remind_days)  # the day the reminder is for
        return text("calendar.summary.remind", lang, day=due.isoformat(), **params)
    return text("calendar.summary.file_by", lang, **params)


def _description(m: _Milestone, lang: Lang, outward: bool = False) -> str:
    item = m.item
    c = item.certificate

    def line(name: str, value: str) -> str:
        return text("calendar.field", lang, label=name, value=value)

    lines = [
        line(field_label("cert_id", lang), c.cert_id),
        line(field_label("enterprise", lang), c.enterprise),
        line(field_label("product", lang), c.product),
        line(field_label("scheme", lang), label(c.scheme, lang)),
        *(
            [line(field_label("kind", lang), label(item.kind, lang))]
            if item.kind is not Kind.RENEWAL
            else []
        ),
        line(text("calendar.label.place", lang), place_label(c.city, c.county)),
        *(
            line(field_label(name, lang), value.isoformat())
            for name, value in (("issued_on", c.issued_on), ("expires_on", c.expires_on))
            if value is not None
        ),
    ]
    closed = closed_words(item, lang, date.isoformat)
    if closed is None:
        lines.append(line(field_label("file_by", lang), item.file_by.isoformat()))
    else:  # the file-by day has passed: said as a window that closed, not as a deadline
        lines.append(line(text("calendar.label.window", lang), closed.window))
        if closed.use is not None:
            lines.append(line(text("calendar.label.use", lang), closed.use))
    if item.status is Status.PENDING and item.submit_by not in (None, item.file_by):
        assert item.submit_by is not None
        why = text("calendar.submit_by_why", lang, file_by=item.file_by.isoformat())
        lines.append(line(field_label("submit_by", lang), f"{item.submit_by.isoformat()}{why}"))
    if item.filed_on is not None:
        lines.append(line(field_label("filed_on", lang), item.filed_on.isoformat()))
    action = label(item.action, lang) if closed is None else closed.action
    lines.append(line(field_label("action", lang), action))
    if c.certifier:
        lines.append(line(field_label("certifier", lang), c.certifier))
    lines.append(line(text("calendar.label.rule", lang), rule_text(item, lang, outward=outward)))
    for key, value in (("contact", c.contact), ("phone", c.phone), ("email", c.email)):
        if value:
            lines.append(line(text(f"calendar.label.{key}", lang), value))
    return "\n".join(lines)


def _event(
    m: _Milestone,
    *,
    uid: str,
    stamp: datetime,
    lang: Lang,
    organizer: str | None,
    outward: bool = False,
) -> Event:
    item = m.item
    c = item.certificate
    summary = _summary(m, lang)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", m.day)
    # DTEND of an all-day event is exclusive: the next day.
    event.add("dtend", m.day + ONE_DAY)
    event.add("summary", summary)
    event.add("description", _description(m, lang, outward))
    event.add(
        "categories",
        [text("calendar.category", lang), label(c.scheme, lang), status_label(item, lang)],
    )
    # A deadline is not a meeting: it must not block the officer's free/busy time.
    event.add("transp", "TRANSPARENT")
    if organizer is not None:
        event.add("organizer", vCalAddress(f"mailto:{organizer}"))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", ALARM_AT, parameters={"RELATED": "START"})
    event.add_component(alarm)
    return event


def _china_timezone() -> Timezone:
    """Asia/Shanghai as a VTIMEZONE: UTC+8 without daylight saving since 1991.

    No event refers to it (all-day dates float), but RFC 5545 wants at least one component in a
    calendar, so this keeps a calendar with nothing due valid, and it states the zone that
    X-WR-TIMEZONE names in standard form. Built by hand rather than with
    Timezone.from_tzid, which writes China's 1986-1991 summer time into every file.
    """
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(hours=8))
    standard.add("tzoffsetto", timedelta(hours=8))
    standard.add("tzname", "CST")
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(standard)
    return zone


def event_count(
    items: Sequence[ScheduleItem], *, as_of: date, remind_days: Sequence[int] = DEFAULT_REMIND_DAYS
) -> int:
    """How many events render_calendar writes for these items (not a count of "BEGIN:VEVENT"
    in its text, which a holder's name may hold too)."""
    return len(_milestones(items, as_of, remind_days))


def render_calendar(
    items: Sequence[ScheduleItem],
    *,
    as_of: date,
    lang: Lang,
    name: str,
    remind_days: Sequence[int] = DEFAULT_REMIND_DAYS,
    organizer: str | None = None,
    outward: bool = False,
) -> bytes:
    """The items as an iCalendar file (bytes, CRLF line ends, folded, UTF-8).

    `outward`: for a holder, whose events cite a provincial plan only when it is the plan year's
    own (present.rule_text); an officer's calendar names the plan used, carried over or not.

    `organizer` (an e-mail address) makes it a METHOD:PUBLISH calendar with an ORGANIZER on every
    event, as RFC 5546 requires and RFC 6047 wants of a calendar sent by mail; without it there is
    no METHOD, which is what a file for import or subscription should have.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID.format(lang=lang.value.upper()))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if organizer is not None:
        calendar.add("method", "PUBLISH")
    # vText by hand: icalendar 7.3 types NAME and X-WR-CALNAME as unknown and would write a
    # comma, semicolon or newline in the name unescaped (a newline even raises).
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_china_timezone())
    stamp = stamp_of(as_of)
    milestones = _milestones(items, as_of, remind_days)
    for milestone, uid in zip(milestones, _uids(milestones), strict=True):
        event = _event(
            milestone, uid=uid, stamp=stamp, lang=lang, organizer=organizer, outward=outward
        )
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
