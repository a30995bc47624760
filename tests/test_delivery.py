"""The delivery record, its ledger and its lock (issue 18, points 1 and 2), on real SQLite files
and real flock locks in a temporary folder."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import D, cert, item
from renewal_cli.delivery.ledger import Ledger, Plan, content_digest, message_key, period_of
from renewal_cli.delivery.lock import RunLock
from renewal_cli.delivery.record import APPLICATION_ID, DeliveryRecord, Outcome
from renewal_cli.errors import RenewalError, UsageError
from renewal_cli.mail.deliver import MailJob, officer_content
from renewal_cli.mail.routing import Batch
from renewal_cli.mail.smtp import SmtpSettings
from renewal_cli.messages import Lang

# --- The period ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "unit", "period"),
    [
        pytest.param("2026-11-30", "week", "2026-W49", id="week"),
        pytest.param("2026-12-06", "week", "2026-W49", id="week-sunday-same-week"),
        pytest.param("2024-12-30", "week", "2025-W01", id="iso-week-of-next-year"),
        pytest.param("2021-01-03", "week", "2020-W53", id="iso-week-of-last-year"),
        pytest.param("2026-11-30", "day", "2026-11-30", id="day"),
        pytest.param("2026-11-30", "month", "2026-11", id="month"),
        pytest.param("0001-01-01", "month", "0001-01", id="month-of-year-1"),
    ],
)
def test_period(as_of: str, unit: str, period: str) -> None:
    assert period_of(D(as_of), unit) == period


def test_unknown_period() -> None:
    with pytest.raises(UsageError) as caught:
        period_of(D("2026-11-30"), "year")
    assert caught.value.message_id == "usage.bad_period"


# --- The content digest --------------------------------------------------------------------------

SETTINGS = SmtpSettings(host="h", port=25, sender="renewal@example.cn")


def _digest(as_of: str, *certificates: object, lang: Lang = Lang.ZH) -> str:
    day = D(as_of)
    items = tuple(item(c, day) for c in certificates)  # type: ignore[arg-type]
    job = MailJob(
        settings=SETTINGS, as_of=day, plan_year=day.year, plan_used=2024, lang=lang, now=NOW
    )
    return content_digest(
        officer_content(Batch(place="百色市", recipients=("a@example.cn",), items=items), job)
    )


NOW = datetime(2024, 6, 3, tzinfo=UTC)
PENDING = cert("2024-10-01", "G1")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        pytest.param(
            ("2024-06-03", PENDING),
            ("2024-06-06", PENDING),
            True,
            id="later-in-the-week-same-status",
        ),
        pytest.param(
            ("2024-06-03", PENDING),
            ("2024-06-03", cert("2024-10-01", "G1", product="沃柑")),
            False,
            id="a-product-changed",
        ),
        pytest.param(
            ("2024-06-03", PENDING),
            ("2024-06-03", cert("2024-10-01", "G1", filed="2024-06-02")),
            False,
            id="filed-meanwhile",
        ),
        pytest.param(
            ("2024-06-03", PENDING),
            ("2024-06-03", PENDING, cert("2024-10-15", "G2")),
            False,
            id="an-item-more",
        ),
        pytest.param(
            # File by 2024-07-01 (three months before expiry): late from 2024-07-02 on.
            ("2024-07-01", PENDING),
            ("2024-07-03", PENDING),
            False,
            id="the-filing-day-passed",
        ),
    ],
)
def test_digest_ignores_what_only_the_day_changes(
    first: tuple[str, ...], second: tuple[str, ...], same: bool
) -> None:
    assert (_digest(*first) == _digest(*second)) is same


def test_digest_depends_on_the_language() -> None:
    assert _digest("2024-06-03", PENDING) != _digest("2024-06-03", PENDING, lang=Lang.EN)


def test_message_key_is_stable_and_separates_its_parts() -> None:
    assert message_key("a", "b") == message_key("a", "b")
    assert message_key("ab", "c") != message_key("a", "bc")
    assert len(message_key("x")) == 32


# --- The record -----------------------------------------------------------------------------------


def _add(record: DeliveryRecord, recipient: str, digest: str, outcome: Outcome) -> None:
    record.add(
        channel="mail",
        period="2026-W49",
        topic="place:百色市",
        recipient=recipient,
        digest=digest,
        outcome=outcome,
        at="2026-11-30T08:00:00+08:00",
        message_id="<x@example.cn>",
    )


def test_a_new_record_is_private_and_marked_as_ours(tmp_path: Path) -> None:
    path = tmp_path / "state" / "renewal" / "delivery.sqlite3"
    record = DeliveryRecord.open(path, create=True)
    assert record is not None
    record.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()
    # Nothing but the record is left in its folder (no temporary file).
    assert sorted(p.name for p in path.parent.iterdir()) == ["delivery.sqlite3"]


def test_reading_a_missing_record_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state" / "delivery.sqlite3"
    assert DeliveryRecord.open(path, create=False) is None
    assert not path.parent.exists()


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        pytest.param(["sent"], "sent", id="sent"),
        pytest.param(["unknown"], "unknown", id="unknown"),
        pytest.param(["unknown", "sent"], "sent", id="unknown-then-sent"),
        pytest.param(["sent", "unknown"], "sent", id="a-delivery-stays-delivered"),
    ],
)
def test_record_keeps_each_delivery(tmp_path: Path, outcomes: list[Outcome], expected: str) -> None:
    path = tmp_path / "delivery.sqlite3"
    record = DeliveryRecord.open(path, create=True)
    assert record is not None
    for outcome in outcomes:
        _add(record, "a@example.cn", "d1", outcome)
    record.close()
    # A second process (here: a second connection) reads what the first committed.
    again = DeliveryRecord.open(path, create=False)
    assert again is not None
    (entry,) = again.entries("mail", "2026-W49", "place:百色市", "a@example.cn")
    again.close()
    assert (entry.digest, entry.outcome) == ("d1", expected)


def _other_database(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (x)")
    db.close()


def _newer_record(path: Path) -> None:
    DeliveryRecord.open(path, create=True).close()  # type: ignore[union-attr]
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()


def _truncated_record(path: Path) -> None:
    DeliveryRecord.open(path, create=True).close()  # type: ignore[union-attr]
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    path.write_bytes(path.read_bytes()[:1500])


@pytest.mark.parametrize(
    ("make", "message_id"),
    [
        pytest.param(
            lambda p: p.write_bytes(b"\x00garbage" * 512), "delivery.damaged", id="garbage"
        ),
        pytest.param(lambda p: p.write_bytes(b""), "delivery.not_ours", id="empty-file"),
        pytest.param(_other_database, "delivery.not_ours", id="another-database"),
        pytest.param(_newer_record, "delivery.newer", id="a-newer-format"),
        pytest.param(_truncated_record, "delivery.damaged", id="truncated"),
        pytest.param(lambda p: p.mkdir(), "delivery.unreadable", id="a-folder"),
    ],
)
@pytest.mark.parametrize("create", [True, False], ids=["send", "dry-run"])
def test_a_bad_record_is_an_error_and_left_alone(
    tmp_path: Path, make: object, message_id: str, create: bool
) -> None:
    path = tmp_path / "delivery.sqlite3"
    make(path)  # type: ignore[operator]
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(RenewalError) as caught:
        DeliveryRecord.open(path, create=create)
    assert caught.value.message_id == message_id
    assert caught.value.exit_code == 1
    assert caught.value.params["path"] == str(path)
    assert (path.read_bytes() if path.is_file() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delivery.sqlite3"]


# --- The ledger -----------------------------------------------------------------------------------

EARLIER = [
    ("a@example.cn", "d1", "sent"),
    ("b@example.cn", "d0", "sent"),
    ("c@example.cn", "d1", "unknown"),
    ("d@example.cn", "d0", "sent"),
    ("d@example.cn", "d1", "unknown"),
]
EVERYONE = ["A@example.cn", "b@example.cn", "c@example.cn", "d@example.cn", "e@example.cn"]


@pytest.mark.parametrize(
    ("resend", "period", "expected"),
    [
        pytest.param(
            False,
            "2026-W49",
            Plan(
                fresh=("c@example.cn", "e@example.cn"),
                updated=("b@example.cn", "d@example.cn"),
                skipped=("A@example.cn",),
                retried=("c@example.cn", "d@example.cn"),
            ),
            id="same-period",
        ),
        pytest.param(
            True,
            "2026-W49",
            Plan(
                fresh=("A@example.cn", "c@example.cn", "e@example.cn"),
                updated=("b@example.cn", "d@example.cn"),
                retried=("c@example.cn", "d@example.cn"),
            ),
            id="resend",
        ),
        pytest.param(False, "2026-W50", Plan(fresh=tuple(EVERYONE)), id="next-period"),
    ],
)
def test_ledger_plans_from_what_was_delivered(
    tmp_path: Path, resend: bool, period: str, expected: Plan
) -> None:
    record = DeliveryRecord.open(tmp_path / "delivery.sqlite3", create=True)
    assert record is not None
    for recipient, digest, outcome in EARLIER:
        _add(record, recipient, digest, outcome)  # type: ignore[arg-type]
    ledger = Ledger(record, channel="mail", period=period, resend=resend)
    assert ledger.plan("place:百色市", EVERYONE, "d1") == expected
    # Another topic, another channel: nothing delivered yet.
    assert ledger.plan("place:河池市", EVERYONE, "d1") == Plan(fresh=tuple(EVERYONE))
    chat = Ledger(record, channel="chat", period=period)
    assert chat.plan("place:百色市", EVERYONE, "d1") == Plan(fresh=tuple(EVERYONE))
    record.close()


def test_a_read_only_ledger_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "delivery.sqlite3"
    DeliveryRecord.open(path, create=True).close()  # type: ignore[union-attr]
    before = path.read_bytes()
    record = DeliveryRecord.open(path, create=False)
    ledger = Ledger(record, channel="mail", period="2026-W49", writable=False)
    ledger.add(
        topic="t", recipient="a@example.cn", digest="d", outcome="sent", at="x", msgid="<x@y>"
    )
    assert ledger.plan("t", ["a@example.cn"], "d") == Plan(fresh=("a@example.cn",))
    assert record is not None
    record.close()
    assert path.read_bytes() == before


# --- The lock -------------------------------------------------------------------------------------


def test_one_holder_of_the_lock_at_a_time(tmp_path: Path) -> None:
    record = tmp_path / "state" / "delivery.sqlite3"
    first, second = RunLock(record), RunLock(record)
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        first.close()
        assert second.try_acquire()
        assert first.path == record.with_name("delivery.sqlite3.lock")
        assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    finally:
        second.close()
    # The lock file stays: removing it would let two runs lock two different files.
    assert first.path.exists()


def test_a_lock_file_that_cannot_be_opened(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(RenewalError) as caught:
        RunLock(blocker / "delivery.sqlite3")
    assert caught.value.message_id == "delivery.lock_unusable"
