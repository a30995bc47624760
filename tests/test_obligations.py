"""The kinds of obligation of issue 8 (renewal_cli.obligations), as tables of boundary cases:
transfer instead of renewal, planned applications, annual inspections, 名特优新 confirmations and
quality tests, fee relief, and the working day to submit by."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import D, run
from renewal_cli.dates import anniversary, issue_from_expiry
from renewal_cli.models import (
    RECORD_KEYS,
    Action,
    Certificate,
    Flag,
    Kind,
    RuleSource,
    Scheme,
    Status,
)
from renewal_cli.obligations import (
    annual_confirmation,
    annual_inspection,
    fee_relief,
    flags_for,
    is_cofcc,
    new_application,
    obligations,
    quality_test,
    renewal,
)
from renewal_cli.policy import Policy, policy_for
from renewal_cli.workdays import submit_by

P2024 = policy_for(2024)


def row(scheme: Scheme = Scheme.GREEN, **fields: Any) -> Certificate:
    """A register row: a certificate, or with no dates a planned application or a listing.
    Dates are given as text."""
    values: dict[str, Any] = {
        "cert_id": "X-1",
        "enterprise": "百色某合作社",
        "product": "芒果",
        "scheme": scheme,
        "city": "南宁市",
        "county": "青秀区",  # in no fee-relief tier
        # As from a register with 年检日期, 确认日期 and 检测日期 columns (empty cells mean "not
        # done"); test_nothing_is_owed_without_the_column covers registers without them.
        "recorded": frozenset({"inspected_on", "confirmed_on", "tested_on"}),
    }
    for key, value in fields.items():
        values[key] = D(value) if key.endswith("_on") and isinstance(value, str) else value
    return Certificate(**values)


def with_policy(**changes: Any) -> Policy:
    return dataclasses.replace(P2024, **changes)


# --- Renewal or transfer: who certified the organic product -----------------------------------

# Organic, expiring 2025-02-28: file by 2024-10-28 (4 months), renewal or transfer alike.
ORGANIC = {"issued_on": "2024-03-01", "expires_on": "2025-02-28"}


@pytest.mark.parametrize(
    ("scheme", "certifier", "kind", "action", "source"),
    [
        pytest.param(
            Scheme.ORGANIC, None, Kind.RENEWAL, Action.RENEW, RuleSource.GUANGXI_PLAN, id="none"
        ),
        pytest.param(
            Scheme.ORGANIC, "", Kind.RENEWAL, Action.RENEW, RuleSource.GUANGXI_PLAN, id="empty"
        ),
        pytest.param(
            Scheme.ORGANIC,
            "中绿华夏",
            Kind.RENEWAL,
            Action.RENEW,
            RuleSource.GUANGXI_PLAN,
            id="zhonglv-huaxia",
        ),
        pytest.param(
            Scheme.ORGANIC,
            "中绿华夏有机食品认证中心",
            Kind.RENEWAL,
            Action.RENEW,
            RuleSource.GUANGXI_PLAN,
            id="full-name",
        ),
        pytest.param(
            Scheme.ORGANIC,
            " COFCC ",
            Kind.RENEWAL,
            Action.RENEW,
            RuleSource.GUANGXI_PLAN,
            id="cofcc-any-case-and-spaces",
        ),
        pytest.param(
            Scheme.ORGANIC,
            "南京国环有机产品认证中心",
            Kind.TRANSFER,
            Action.TRANSFER,
            RuleSource.GUANGXI_PLAN_TRANSFER,
            id="other-body",
        ),
        pytest.param(
            Scheme.ORGANIC,
            "北京中绿华夏",  # still COFCC: the name is inside
            Kind.RENEWAL,
            Action.RENEW,
            RuleSource.GUANGXI_PLAN,
            id="name-inside",
        ),
        pytest.param(
            Scheme.GREEN,
            "南京国环有机产品认证中心",
            Kind.RENEWAL,
            Action.RENEW,
            RuleSource.GREEN_MEASURES_ART18,
            id="green-never-transfers",
        ),
    ],
)
def test_renewal_or_transfer(
    scheme: Scheme, certifier: str | None, kind: Kind, action: Action, source: RuleSource
) -> None:
    dates = ORGANIC if scheme is Scheme.ORGANIC else {"issued_on": "2022-03-01"}
    expires = "2025-02-28"
    certificate = row(scheme, certifier=certifier, **{**dates, "expires_on": expires})
    item = renewal(certificate, D("2024-06-01"), P2024)
    assert (item.kind, item.status, item.action, item.rule.source) == (
        kind,
        Status.PENDING,
        action,
        source,
    )
    months = 3 if scheme is Scheme.GREEN else 4
    assert item.file_by == D("2024-11-28" if months == 3 else "2024-10-28")
    assert item.ends_on == D(expires)
    # The transfer replaces the renewal: one item for the certificate, never both.
    assert [
        i.kind
        for i in obligations(certificate, D("2024-06-01"), P2024)
        if i.kind in (Kind.RENEWAL, Kind.TRANSFER)
    ] == [kind]
    assert item.record()["certifier"] == certifier


@pytest.mark.parametrize(
    ("name", "cofcc"),
    [
        pytest.param(None, True, id="none"),
        pytest.param("", True, id="empty"),
        pytest.param("中绿华夏", True, id="short"),
        pytest.param("中绿华夏有机产品认证中心", True, id="product-centre"),
        pytest.param("cofcc", True, id="latin"),
        pytest.param("中 绿 华 夏", True, id="spaced"),
        pytest.param("南京国环", False, id="other"),
        pytest.param("中绿", False, id="prefix-only"),
    ],
)
def test_is_cofcc(name: str | None, cofcc: bool) -> None:
    assert is_cofcc(name) is cofcc


@pytest.mark.parametrize(
    ("as_of", "filed", "status", "action"),
    [
        pytest.param("2024-10-28", None, Status.PENDING, Action.TRANSFER, id="on-file-by-day"),
        pytest.param(
            "2024-10-29", None, Status.LATE, Action.NEW_APPLICATION, id="day-after-file-by"
        ),
        pytest.param("2025-03-01", None, Status.EXPIRED, Action.NEW_APPLICATION, id="after-expiry"),
        pytest.param("2024-11-01", "2024-10-28", Status.FILED, Action.NONE, id="filed-in-time"),
        pytest.param(
            "2024-11-01", "2024-10-29", Status.LATE, Action.NEW_APPLICATION, id="filed-late"
        ),
        pytest.param(
            "2024-10-01", "2024-10-02", Status.PENDING, Action.TRANSFER, id="filing-not-yet-known"
        ),
    ],
)
def test_transfer_statuses(as_of: str, filed: str | None, status: Status, action: Action) -> None:
    certificate = row(Scheme.ORGANIC, certifier="某认证公司", filed_on=filed, **ORGANIC)
    item = renewal(certificate, D(as_of), P2024)
    assert item.kind is Kind.TRANSFER
    assert (item.status, item.action) == (status, action)
    assert item.days_left == (D("2024-10-28") - D(as_of)).days


def test_transfer_lead_comes_from_the_policy() -> None:
    certificate = row(Scheme.ORGANIC, certifier="某认证公司", **ORGANIC)
    item = renewal(certificate, D("2024-06-01"), with_policy(transfer_lead_months=6))
    assert (item.file_by, item.rule.lead_months) == (D("2024-08-28"), 6)
    # The organic renewal's own lead is untouched.
    cofcc = renewal(
        row(Scheme.ORGANIC, **ORGANIC), D("2024-06-01"), with_policy(transfer_lead_months=6)
    )
    assert cofcc.file_by == D("2024-10-28")


# --- A planned organic application: a month before sowing ---------------------------------------

SOWING = "2024-09-15"  # file by 2024-08-15


@pytest.mark.parametrize(
    ("as_of", "filed", "status", "action", "days_left"),
    [
        pytest.param("2024-06-01", None, Status.PENDING, Action.APPLY, 75, id="well-ahead"),
        pytest.param("2024-08-15", None, Status.PENDING, Action.APPLY, 0, id="on-file-by-day"),
        # Late, but sowing has not begun: still worth applying.
        pytest.param("2024-08-16", None, Status.LATE, Action.APPLY, -1, id="day-after-file-by"),
        pytest.param("2024-09-15", None, Status.LATE, Action.APPLY, -31, id="sowing-day"),
        pytest.param(
            "2024-09-16", None, Status.EXPIRED, Action.NEW_APPLICATION, -32, id="after-sowing"
        ),
        pytest.param("2024-09-01", "2024-08-15", Status.FILED, Action.NONE, -17, id="filed"),
        pytest.param(
            "2024-09-01",
            "2024-08-16",
            Status.LATE,
            Action.NEW_APPLICATION,
            -17,
            id="filed-after-file-by",
        ),
        pytest.param(
            "2024-08-01", "2024-08-02", Status.PENDING, Action.APPLY, 14, id="filing-not-yet-known"
        ),
    ],
)
def test_new_application(
    as_of: str, filed: str | None, status: Status, action: Action, days_left: int
) -> None:
    planned = row(Scheme.ORGANIC, cert_id="", sowing_on=SOWING, filed_on=filed)
    (item,) = obligations(planned, D(as_of), P2024)
    assert item == new_application(planned, D(as_of), P2024)
    assert item.kind is Kind.NEW_APPLICATION
    assert (item.file_by, item.ends_on) == (D("2024-08-15"), D(SOWING))
    assert (item.status, item.action, item.days_left) == (status, action, days_left)
    assert item.rule.source is RuleSource.GUANGXI_PLAN_ANNUAL_CROP
    record = item.record()
    assert tuple(record) == RECORD_KEYS
    assert (record["issued_on"], record["expires_on"], record["kind"]) == (
        None,
        None,
        "new_application",
    )


@pytest.mark.parametrize(
    ("sowing", "lead", "file_by"),
    [
        pytest.param("2024-03-31", 1, "2024-02-29", id="month-end-clamped"),
        pytest.param("2025-03-31", 1, "2025-02-28", id="common-year"),
        pytest.param("2025-03-31", 2, "2025-01-31", id="policy-lead-2"),
        pytest.param("2025-03-31", 0, "2025-03-31", id="policy-lead-0"),
    ],
)
def test_new_application_file_by(sowing: str, lead: int, file_by: str) -> None:
    planned = row(Scheme.ORGANIC, cert_id="", sowing_on=sowing)
    item = new_application(planned, D("2024-01-01"), with_policy(sowing_lead_months=lead))
    assert item.file_by == D(file_by)


def test_a_row_without_dates_gives_nothing() -> None:
    assert obligations(row(Scheme.ORGANIC, cert_id=""), D("2024-06-01"), P2024) == []
    assert obligations(row(Scheme.MINGTE, cert_id=""), D("2024-06-01"), P2024) == []


# --- Green food annual inspection: one per certificate year -------------------------------------


@pytest.mark.parametrize(
    ("issued", "expires", "as_of", "year_end"),
    [
        # Issued 2021-03-05: the years end 2022-03-04, 2023-03-04 and 2024-03-04 (the expiry).
        pytest.param("2021-03-05", "2024-03-04", "2021-03-05", "2022-03-04", id="issue-day"),
        pytest.param("2021-03-05", "2024-03-04", "2022-03-04", "2022-03-04", id="last-day-year-1"),
        pytest.param("2021-03-05", "2024-03-04", "2022-03-05", "2023-03-04", id="first-day-year-2"),
        pytest.param("2021-03-05", "2024-03-04", "2023-03-05", "2024-03-04", id="first-day-year-3"),
        pytest.param("2021-03-05", "2024-03-04", "2024-03-04", "2024-03-04", id="expiry-day"),
        # Issued on 29 February: the anniversary in a common year is 1 March.
        pytest.param("2020-02-29", "2023-02-28", "2021-02-28", "2021-02-28", id="leap-year-1-end"),
        pytest.param("2020-02-29", "2023-02-28", "2021-03-01", "2022-02-28", id="leap-year-2"),
        pytest.param("2020-02-29", "2023-02-28", "2022-03-01", "2023-02-28", id="leap-year-3"),
        pytest.param("2024-02-29", "2027-02-28", "2025-02-28", "2025-02-28", id="leap-2024-end"),
        pytest.param("2024-02-29", "2027-02-28", "2025-03-01", "2026-02-28", id="leap-2024-next"),
        # Into a leap day: issued 2021-03-01, the third year ends 2024-02-29.
        pytest.param("2021-03-01", "2024-02-29", "2023-06-01", "2024-02-29", id="into-leap-day"),
    ],
)
def test_inspection_year(issued: str, expires: str, as_of: str, year_end: str) -> None:
    # Last certificate year inspected on its last day, so this year's inspection is the one due.
    years = max(n for n in range(4) if anniversary(D(issued), n) <= D(as_of))
    start = anniversary(D(issued), years)
    done = start - timedelta(days=1) if years else None
    certificate = row(issued_on=issued, expires_on=expires, inspected_on=done)
    item = annual_inspection(certificate, D(as_of), P2024)
    assert item is not None and item.kind is Kind.ANNUAL_INSPECTION
    assert (item.file_by, item.ends_on) == (D(year_end), D(year_end))
    assert (item.status, item.action) == (Status.PENDING, Action.INSPECT)
    assert item.days_left == (D(year_end) - D(as_of)).days
    assert item.rule.source is RuleSource.GREEN_INSPECTION
    assert item.submit_by == submit_by(D(year_end))


@pytest.mark.parametrize(
    ("as_of", "inspected", "status", "action", "filed"),
    [
        # AS_OF 2023-06-01 is in the year 2023-03-05 .. 2024-03-04.
        # Never inspected: last year's inspection (the year ending 2023-03-04) is owed, late.
        pytest.param("2023-06-01", None, Status.LATE, Action.INSPECT, None, id="not-inspected"),
        pytest.param(
            "2023-06-01", "2023-03-05", Status.FILED, Action.NONE, "2023-03-05", id="first-day"
        ),
        pytest.param(
            "2023-06-01", "2023-06-01", Status.FILED, Action.NONE, "2023-06-01", id="on-as-of"
        ),
        pytest.param(
            "2023-06-01", "2023-03-04", Status.PENDING, Action.INSPECT, None, id="last-year"
        ),
        pytest.param(
            "2023-06-01", "2023-06-02", Status.LATE, Action.INSPECT, None, id="not-yet-known"
        ),
        pytest.param(
            "2024-03-04", "2024-03-04", Status.FILED, Action.NONE, "2024-03-04", id="expiry-day"
        ),
    ],
)
def test_inspection_done(
    as_of: str, inspected: str | None, status: Status, action: Action, filed: str | None
) -> None:
    certificate = row(issued_on="2021-03-05", expires_on="2024-03-04", inspected_on=inspected)
    item = annual_inspection(certificate, D(as_of), P2024)
    assert item is not None
    assert (item.status, item.action) == (status, action)
    assert item.filed_on == (D(filed) if filed else None)
    owed = D("2023-03-04") if status is Status.LATE else D("2024-03-04")
    assert item.file_by == owed


@pytest.mark.parametrize(
    ("as_of", "inspected", "status", "file_by"),
    [
        # Issued 2022-04-01: the year 2023-04-01 .. 2024-03-31 ends on 2024-03-31.
        pytest.param("2024-03-31", "2022-12-01", Status.PENDING, "2024-03-31", id="last-day"),
        pytest.param("2024-04-01", None, Status.LATE, "2024-03-31", id="missed-never-inspected"),
        pytest.param("2024-04-01", "2022-12-01", Status.LATE, "2024-03-31", id="missed-year-2"),
        pytest.param("2024-04-01", "2023-05-01", Status.PENDING, "2025-03-31", id="year-2-done"),
        pytest.param("2024-06-01", "2024-05-01", Status.FILED, "2025-03-31", id="done-late"),
    ],
)
def test_a_missed_inspection_stays_owed(
    as_of: str, inspected: str | None, status: Status, file_by: str
) -> None:
    """The plan wants every certificate year inspected: a year that ended without one is late,
    action inspect, until an inspection is recorded (field trial)."""
    certificate = row(issued_on="2022-04-01", expires_on="2025-03-31", inspected_on=inspected)
    item = annual_inspection(certificate, D(as_of), P2024)
    assert item is not None and (item.status, item.file_by) == (status, D(file_by))
    assert item.action is (Action.NONE if status is Status.FILED else Action.INSPECT)


@pytest.mark.parametrize(
    ("as_of", "status", "action", "days_left"),
    [
        # A 30-day lead: the year ending 2024-03-04 must be inspected by 2024-02-03.
        pytest.param("2024-02-03", Status.PENDING, Action.INSPECT, 0, id="on-file-by-day"),
        pytest.param("2024-02-04", Status.LATE, Action.INSPECT, -1, id="overdue"),
        pytest.param("2024-03-04", Status.LATE, Action.INSPECT, -30, id="overdue-last-day"),
    ],
)
def test_inspection_overdue_is_late_inspect(
    as_of: str, status: Status, action: Action, days_left: int
) -> None:
    certificate = row(issued_on="2021-03-05", expires_on="2024-03-04", inspected_on="2023-01-01")
    item = annual_inspection(certificate, D(as_of), with_policy(inspection_lead_days=30))
    assert item is not None
    assert (item.file_by, item.ends_on) == (D("2024-02-03"), D("2024-03-04"))
    assert (item.status, item.action, item.days_left) == (status, action, days_left)
    assert item.rule.lead_days == 30


@pytest.mark.parametrize(
    ("certificate", "as_of", "successor", "kinds"),
    [
        pytest.param(
            row(issued_on="2021-03-05", expires_on="2024-03-04"),
            "2024-03-05",
            None,
            [Kind.RENEWAL],
            id="after-expiry",
        ),
        pytest.param(
            row(issued_on="2021-03-05", expires_on="2024-03-04"),
            "2021-03-04",
            None,
            [Kind.RENEWAL],
            id="before-issue",
        ),
        pytest.param(
            row(issued_on="2021-03-05", expires_on="2024-03-04"),
            "2024-03-01",
            row(cert_id="X-2", issued_on="2024-02-01", expires_on="2027-01-31"),
            [Kind.RENEWAL],
            id="superseded",
        ),
        pytest.param(
            row(issued_on="2021-03-05", expires_on="2024-03-04"),
            "2024-03-01",
            None,
            [Kind.RENEWAL, Kind.ANNUAL_INSPECTION],
            id="valid",
        ),
        pytest.param(
            row(Scheme.ORGANIC, issued_on="2023-03-05", expires_on="2024-03-04"),
            "2024-03-01",
            None,
            [Kind.RENEWAL],
            id="organic",
        ),
    ],
)
def test_which_certificates_are_inspected(
    certificate: Certificate, as_of: str, successor: Certificate | None, kinds: list[Kind]
) -> None:
    items = obligations(certificate, D(as_of), P2024, successor)
    assert [i.kind for i in items] == kinds
    if successor is not None:
        assert items[0].status is Status.SUPERSEDED
    elif certificate.scheme is Scheme.GREEN:  # obligations() asks only of green food
        inspection = annual_inspection(certificate, D(as_of), P2024)
        assert (inspection is not None) == (Kind.ANNUAL_INSPECTION in kinds)


# --- 名特优新: annual confirmation 30 days before each anniversary of the listing -----------------

LISTED = "2021-06-15"  # anniversaries 2022-06-15, 2023-06-15, …; confirm by 05-16 each year


@pytest.mark.parametrize(
    ("as_of", "confirmed", "status", "action", "file_by"),
    [
        pytest.param(
            "2021-06-15", None, Status.PENDING, Action.CONFIRM, "2022-05-16", id="listing-day"
        ),
        pytest.param(
            "2022-04-16", None, Status.PENDING, Action.CONFIRM, "2022-05-16", id="window-opens"
        ),
        pytest.param(
            "2022-05-16", None, Status.PENDING, Action.CONFIRM, "2022-05-16", id="on-file-by-day"
        ),
        pytest.param(
            "2022-05-17",
            None,
            Status.LATE,
            Action.NEW_APPLICATION,
            "2022-05-16",
            id="within-30-days",
        ),
        pytest.param(
            "2022-06-15", None, Status.LATE, Action.NEW_APPLICATION, "2022-05-16", id="anniversary"
        ),
        pytest.param(
            "2022-05-20",
            "2022-05-16",
            Status.FILED,
            Action.NONE,
            "2022-05-16",
            id="confirmed-in-time",
        ),
        pytest.param(
            "2022-05-20",
            "2022-05-17",
            Status.LATE,
            Action.NEW_APPLICATION,
            "2022-05-16",
            id="confirmed-late",
        ),
        # The next year: last year's confirmation in time keeps the listing.
        pytest.param(
            "2022-06-16", "2022-05-16", Status.PENDING, Action.CONFIRM, "2023-05-16", id="next-year"
        ),
        pytest.param(
            "2023-06-16",
            "2023-05-01",
            Status.PENDING,
            Action.CONFIRM,
            "2024-05-16",
            id="third-year",
        ),
        # Missed last year: dropped from the list, apply anew.
        pytest.param(
            "2022-06-16", None, Status.EXPIRED, Action.NEW_APPLICATION, "2022-05-16", id="missed"
        ),
        pytest.param(
            "2022-06-16",
            "2022-05-17",
            Status.EXPIRED,
            Action.NEW_APPLICATION,
            "2022-05-16",
            id="confirmed-too-late-last-year",
        ),
        pytest.param(
            "2023-06-16",
            "2022-05-16",
            Status.EXPIRED,
            Action.NEW_APPLICATION,
            "2023-05-16",
            id="only-the-year-before-last",
        ),
    ],
)
def test_annual_confirmation(
    as_of: str, confirmed: str | None, status: Status, action: Action, file_by: str
) -> None:
    listing = row(Scheme.MINGTE, cert_id="", listed_on=LISTED, confirmed_on=confirmed)
    item = annual_confirmation(listing, D(as_of), P2024)
    assert item.kind is Kind.ANNUAL_CONFIRMATION
    assert (item.status, item.action, item.file_by) == (status, action, D(file_by))
    assert item.ends_on == D(file_by) + (D("2022-06-15") - D("2022-05-16"))
    assert item.rule.source is RuleSource.MINGTE_CONFIRMATION and item.rule.lead_days == 30
    assert item.flags == ()  # 名特优新 has neither plan flags nor fee relief


@pytest.mark.parametrize(
    ("listed", "as_of", "file_by"),
    [
        # The anniversary of 29 February is 1 March: confirm by 30 January.
        pytest.param("2020-02-29", "2020-03-01", "2021-01-30", id="leap-listing"),
        pytest.param("2020-02-29", "2023-06-01", "2024-01-30", id="leap-listing-leap-year"),
        pytest.param("2021-01-15", "2021-06-01", "2021-12-16", id="across-new-year"),
    ],
)
def test_confirmation_day(listed: str, as_of: str, file_by: str) -> None:
    # Confirmed every year in time, so only the day is in question.
    confirmed = (D(file_by).replace(year=D(file_by).year - 1)).isoformat()
    listing = row(Scheme.MINGTE, cert_id="", listed_on=listed, confirmed_on=confirmed)
    item = annual_confirmation(listing, D(as_of), P2024)
    assert item.file_by == D(file_by)
    assert item.status is Status.PENDING


# --- 名特优新: a quality test every third anniversary ---------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "tested", "due", "status", "action"),
    [
        pytest.param(
            "2021-06-15", None, "2024-06-15", Status.PENDING, Action.TEST, id="listing-day"
        ),
        pytest.param(
            "2024-06-14", None, "2024-06-15", Status.PENDING, Action.TEST, id="day-before"
        ),
        pytest.param("2024-06-15", None, "2024-06-15", Status.PENDING, Action.TEST, id="due-day"),
        # A test never done stays due, late, until it is done: it does not slip to the next cycle.
        pytest.param("2024-06-16", None, "2024-06-15", Status.LATE, Action.TEST, id="missed"),
        pytest.param(
            "2027-06-15", None, "2024-06-15", Status.LATE, Action.TEST, id="missed-till-sixth"
        ),
        pytest.param(
            "2027-06-16", "2023-01-01", "2027-06-15", Status.LATE, Action.TEST, id="sixth-missed"
        ),
        pytest.param(
            "2027-06-15", "2024-01-01", "2027-06-15", Status.PENDING, Action.TEST, id="sixth"
        ),
        pytest.param(
            "2027-06-16", "2027-06-15", "2030-06-15", Status.PENDING, Action.TEST, id="ninth"
        ),
        pytest.param(
            "2023-01-01", "2022-01-01", "2024-06-15", Status.FILED, Action.NONE, id="tested"
        ),
        pytest.param(
            "2023-01-01",
            "2023-01-02",
            "2024-06-15",
            Status.PENDING,
            Action.TEST,
            id="not-yet-known",
        ),
        # A test of the first cycle does not count for the second.
        pytest.param(
            "2025-01-01", "2022-01-01", "2027-06-15", Status.PENDING, Action.TEST, id="last-cycle"
        ),
        pytest.param(
            "2025-01-01", "2024-06-16", "2027-06-15", Status.FILED, Action.NONE, id="this-cycle"
        ),
    ],
)
def test_quality_test(
    as_of: str, tested: str | None, due: str, status: Status, action: Action
) -> None:
    listing = row(Scheme.MINGTE, cert_id="", listed_on=LISTED, tested_on=tested)
    item = quality_test(listing, D(as_of), P2024)
    assert item.kind is Kind.QUALITY_TEST
    assert item.file_by == D(due)
    # A missed test stays listed until the next cycle's due day.
    assert item.ends_on == (D(due) if status is not Status.LATE else item.ends_on) >= D(as_of)
    assert (item.status, item.action) == (status, action)
    assert item.days_left == (D(due) - D(as_of)).days
    assert item.rule.source is RuleSource.MINGTE_QUALITY_TEST and item.rule.every_years == 3


@pytest.mark.parametrize(
    ("listed", "every", "as_of", "due"),
    [
        pytest.param("2020-02-29", 3, "2020-03-01", "2023-03-01", id="leap-listing"),
        pytest.param("2020-02-29", 4, "2020-03-01", "2024-02-29", id="leap-to-leap"),
        pytest.param("2021-06-15", 2, "2021-07-01", "2023-06-15", id="policy-every-2"),
        # Never tested: the missed test of 2023 is what is due.
        pytest.param("2021-06-15", 2, "2023-06-16", "2023-06-15", id="policy-every-2-missed"),
    ],
)
def test_quality_test_day(listed: str, every: int, as_of: str, due: str) -> None:
    listing = row(Scheme.MINGTE, cert_id="", listed_on=listed)
    item = quality_test(listing, D(as_of), with_policy(quality_test_every_years=every))
    assert item.file_by == D(due)


def test_a_listing_gives_a_confirmation_and_a_quality_test() -> None:
    listing = row(Scheme.MINGTE, cert_id="", listed_on=LISTED)
    items = obligations(listing, D("2023-01-01"), P2024)
    assert [i.kind for i in items] == [Kind.ANNUAL_CONFIRMATION, Kind.QUALITY_TEST]
    assert [tuple(i.record()) for i in items] == [RECORD_KEYS, RECORD_KEYS]
    assert {i.record()["scheme"] for i in items} == {"mingte"}


# --- Fee relief: counties of the policy's tiers ---------------------------------------------------

DEFAULT_TIERS = ("key_assistance", "national_832")
EVERY_TIER = ("key_assistance", "national_832", "autonomous_region_level")


@pytest.mark.parametrize(
    ("city", "county", "tiers", "relief"),
    [
        # 那坡县 and 乐业县: 国家乡村振兴重点帮扶县 (and on the national list).
        pytest.param("百色市", "那坡县", DEFAULT_TIERS, True, id="key-assistance"),
        pytest.param("百色市", "乐业县", ("key_assistance",), True, id="key-assistance-tier-alone"),
        # 田阳区: national_832 only.
        pytest.param("百色市", "田阳区", DEFAULT_TIERS, True, id="national-832"),
        pytest.param("百色市", "田阳区", ("key_assistance",), False, id="national-832-not-named"),
        pytest.param("百色市", "田阳区", ("national_832",), True, id="national-832-alone"),
        # 右江区: an autonomous-region-level county, counted only when the policy says so.
        pytest.param("百色市", "右江区", DEFAULT_TIERS, False, id="region-level-not-default"),
        pytest.param("百色市", "右江区", EVERY_TIER, True, id="region-level-when-named"),
        pytest.param(
            "百色市", "右江区", ("autonomous_region_level",), True, id="region-level-alone"
        ),
        pytest.param("南宁市", "青秀区", EVERY_TIER, False, id="no-tier"),
        pytest.param("南宁市", "青秀区", (), False, id="no-tier-no-relief"),
        pytest.param("百色市", "那坡县", (), False, id="policy-without-relief"),
        pytest.param("百色市", None, EVERY_TIER, False, id="city-level"),
    ],
)
def test_fee_relief(city: str, county: str | None, tiers: tuple[str, ...], relief: bool) -> None:
    policy = with_policy(fee_relief_tiers=tiers)
    assert fee_relief(county, policy) is relief
    # Issued 2022-07-02: neither plan flag in 2024, so the fee flag stands alone.
    green = row(city=city, county=county, issued_on="2022-07-02", expires_on="2025-07-01")
    organic = row(
        Scheme.ORGANIC, city=city, county=county, issued_on="2024-03-01", expires_on="2025-02-28"
    )
    listing = row(Scheme.MINGTE, cert_id="", city=city, county=county, listed_on=LISTED)
    assert flags_for(green, policy) == ((Flag.FEE_WAIVER,) if relief else ())
    assert flags_for(organic, policy) == ((Flag.FEE_DISCOUNT_35,) if relief else ())
    assert flags_for(listing, policy) == ()
    # Every item of the holder carries it, the inspection too.
    for item in obligations(green, D("2024-06-01"), policy):
        assert item.flags == ((Flag.FEE_WAIVER,) if relief else ())
        assert item.record()["flags"] == (["fee_waiver"] if relief else [])


def test_the_default_policy_counts_key_assistance_and_national_832() -> None:
    assert P2024.fee_relief_tiers == DEFAULT_TIERS
    assert policy_for(2031).fee_relief_tiers == DEFAULT_TIERS


def test_fee_flag_follows_the_plan_flags() -> None:
    # Issued 2021: plan_cohort; expires in the first half of 2025: next_h1; 那坡县: fee waived.
    green = row(city="百色市", county="那坡县", issued_on="2021-06-01", expires_on="2025-03-01")
    assert flags_for(green, P2024) == (Flag.PLAN_COHORT, Flag.NEXT_H1, Flag.FEE_WAIVER)


# --- The working day to submit by -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_by", "submit"),
    [
        pytest.param("2024-10-01", "2024-09-30", id="national-day"),
        pytest.param("2024-10-07", "2024-09-30", id="last-day-of-the-holiday"),
        # 2024-09-29 is a Sunday worked in exchange (调休): offices are open.
        pytest.param("2024-09-29", "2024-09-29", id="make-up-sunday"),
        pytest.param("2024-10-12", "2024-10-12", id="make-up-saturday"),
        pytest.param("2024-10-08", "2024-10-08", id="first-day-back"),
        pytest.param("2024-06-01", "2024-05-31", id="saturday"),
        pytest.param("2024-06-02", "2024-05-31", id="sunday"),
        pytest.param("2024-06-03", "2024-06-03", id="monday"),
        pytest.param("2024-02-17", "2024-02-09", id="spring-festival"),
        pytest.param("2024-02-18", "2024-02-18", id="spring-festival-make-up-sunday"),
        pytest.param("2026-10-01", "2026-09-30", id="last-year-covered"),
        # 2027 is not in the holiday data yet: weekends only.
        pytest.param("2027-03-06", "2027-03-05", id="2027-saturday"),
        pytest.param("2027-03-07", "2027-03-05", id="2027-sunday"),
        pytest.param("2027-10-01", "2027-10-01", id="2027-holiday-unknown"),
    ],
)
def test_submit_by(file_by: str, submit: str) -> None:
    assert submit_by(D(file_by)) == D(submit)


@pytest.mark.parametrize(
    ("expires", "file_by", "submit"),
    [
        # Green food expiring 2025-01-01: file by 2024-10-01, submit by 2024-09-30.
        pytest.param("2025-01-01", "2024-10-01", "2024-09-30", id="national-day"),
        pytest.param("2024-12-29", "2024-09-29", "2024-09-29", id="make-up-sunday"),
        pytest.param("2027-06-06", "2027-03-06", "2027-03-05", id="2027-saturday"),
    ],
)
def test_items_carry_the_day_to_submit_by(expires: str, file_by: str, submit: str) -> None:
    certificate = row(expires_on=expires, issued_on=issue_from_expiry(D(expires), 3))
    item = renewal(certificate, D("2024-06-01"), P2024)
    assert (item.file_by, item.submit_by) == (D(file_by), D(submit))
    # file_by keeps its legal meaning: the days left count to it.
    assert item.days_left == (D(file_by) - D("2024-06-01")).days
    assert (item.record()["file_by"], item.record()["submit_by"]) == (file_by, submit)


REGISTER_2027 = (
    "证书编号,企业名称,产品名称,认证类型,市,县区,发证日期,有效期至,续展申请日期\n"
    "X1,甲公司,茶叶,绿色食品,南宁,青秀区,2024-06-07,2027-06-06,\n"  # file by 2027-03-06
    "X2,乙公司,茶叶,绿色食品,南宁,青秀区,2024-06-08,2027-06-07,\n"  # file by 2027-03-07
)


@pytest.mark.parametrize(
    ("as_of", "lang", "warning"),
    [
        pytest.param(
            "2027-01-10",
            "zh",
            "提醒：节假日数据尚未包含 2027 年（国务院通常在上一年年底公布），"
            "该年的提交截止日只避开了周末",
            id="2027-zh",
        ),
        pytest.param(
            "2027-01-10",
            "en",
            "warning: the holiday data does not cover 2027 yet (published late the year before): "
            "submit-by days in 2027 avoid weekends only",
            id="2027-en",
        ),
        pytest.param("2024-01-10", "zh", None, id="nothing-selected-in-2027"),
    ],
)
def test_one_warning_for_a_year_without_holiday_data(
    runner: CliRunner, tmp_path: Path, as_of: str, lang: str, warning: str | None
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(REGISTER_2027, encoding="utf-8")
    args = ["due", str(path), "-f", "json", "--kind", "renewal", "--as-of", as_of, "--lang", lang]
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    # (A year with no plan of its own has a warning of its own: tests/test_plan_in_force.py.)
    holidays = ("节假日", "holiday")
    about = [
        line
        for line in result.stderr.splitlines()
        if line.count("2027") and any(word in line for word in holidays)
    ]
    assert about == ([warning] if warning else [])
    submit = {i["cert_id"]: i["submit_by"] for i in json.loads(result.stdout)}
    if warning:
        # Saturday and Sunday: both fall back to Friday 2027-03-05.
        assert submit == {"X1": "2027-03-05", "X2": "2027-03-05"}


# This year's confirmation, made in time, is the only date a register keeps (确认日期): once the
# holder has confirmed, the listing is confirmed — not dropped for want of last year's date.
@pytest.mark.parametrize(
    "as_of",
    [
        pytest.param("2023-05-02", id="day-after-confirming"),
        pytest.param("2023-05-16", id="on-file-by-day"),
        pytest.param("2023-06-15", id="anniversary"),
    ],
)
def test_confirmed_this_year_is_filed(as_of: str) -> None:
    listing = row(Scheme.MINGTE, cert_id="", listed_on=LISTED, confirmed_on="2023-05-01")
    item = annual_confirmation(listing, D(as_of), P2024)
    assert (item.status, item.action, item.file_by) == (Status.FILED, Action.NONE, D("2023-05-16"))
    assert item.filed_on == D("2023-05-01")


@pytest.mark.parametrize(
    ("certificate", "as_of", "kind", "status"),
    [
        pytest.param(
            row(issued_on="2022-04-01", expires_on="2025-03-31", recorded=frozenset()),
            "2024-04-01",
            Kind.ANNUAL_INSPECTION,
            Status.PENDING,
            id="inspection",
        ),
        pytest.param(
            row(Scheme.MINGTE, cert_id="", listed_on="2021-06-15", recorded=frozenset()),
            "2023-05-02",
            Kind.ANNUAL_CONFIRMATION,
            Status.PENDING,
            id="confirmation",
        ),
        pytest.param(
            row(Scheme.MINGTE, cert_id="", listed_on="2021-06-15", recorded=frozenset()),
            "2024-06-16",
            Kind.QUALITY_TEST,
            Status.PENDING,
            id="quality-test",
        ),
    ],
)
def test_nothing_is_owed_without_the_column(
    certificate: Certificate, as_of: str, kind: Kind, status: Status
) -> None:
    """A register without the 年检日期 (确认日期, 检测日期) column cannot say an earlier one was
    missed: only the current one is shown, pending, not a flood of late items."""
    (item,) = [i for i in obligations(certificate, D(as_of), P2024) if i.kind is kind]
    assert item.status is status and item.file_by >= D(as_of)
