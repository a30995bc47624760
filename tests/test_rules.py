"""The renewal rules of domain.md §3, as tables of cases."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import D, cert
from renewal_cli.dates import expiry_from_issue, file_by, issue_from_expiry
from renewal_cli.models import Action, Certificate, Flag, Kind, RuleSource, Scheme, Status
from renewal_cli.obligations import renewal as schedule
from renewal_cli.places import Scope
from renewal_cli.policy import policy_for
from renewal_cli.rules import Selection, number_key, select, successors

P2024 = policy_for(2024)
RENEWALS = frozenset({Kind.RENEWAL})


@pytest.mark.parametrize(
    ("issued", "years", "expires"),
    [
        pytest.param("2021-03-05", 3, "2024-03-04", id="domain-example"),
        pytest.param("2021-01-01", 3, "2023-12-31", id="new-year"),
        # The anniversary of 29 February in a common year is 1 March (issue 7 point 4).
        pytest.param("2020-02-29", 3, "2023-02-28", id="leap-day-issue"),
        pytest.param("2024-02-29", 1, "2025-02-28", id="organic-leap-day-issue"),
        pytest.param("2020-02-29", 4, "2024-02-28", id="leap-day-to-leap-year"),
        pytest.param("2021-03-01", 3, "2024-02-29", id="into-leap-day"),
        pytest.param("2020-02-28", 3, "2023-02-27", id="day-before-leap-day"),
        pytest.param("2023-03-01", 1, "2024-02-29", id="organic-into-leap-day"),
        pytest.param("2024-01-01", 1, "2024-12-31", id="organic-calendar-year"),
    ],
)
def test_expiry_from_issue(issued: str, years: int, expires: str) -> None:
    assert expiry_from_issue(D(issued), years) == D(expires)


@pytest.mark.parametrize(
    ("expires", "years", "issued"),
    [
        pytest.param("2024-03-04", 3, "2021-03-05", id="domain-example"),
        pytest.param("2024-02-29", 1, "2023-03-01", id="leap-day-expiry"),
        pytest.param("2023-12-31", 3, "2021-01-01", id="year-end"),
        pytest.param("2023-02-28", 3, "2020-03-01", id="domain-common-year-february"),
        pytest.param("2024-02-28", 3, "2021-02-28", id="clamped-to-month-end"),
        pytest.param("2024-02-28", 4, "2020-02-29", id="into-leap-day"),
        pytest.param("2025-02-28", 1, "2024-03-01", id="organic-after-leap-year"),
    ],
)
def test_issue_from_expiry(expires: str, years: int, issued: str) -> None:
    assert issue_from_expiry(D(expires), years) == D(issued)


@pytest.mark.parametrize(
    ("expires", "lead", "deadline"),
    [
        pytest.param("2024-05-31", 3, "2024-02-29", id="green-leap-month-end"),
        pytest.param("2023-05-31", 3, "2023-02-28", id="green-month-end"),
        pytest.param("2025-06-30", 4, "2025-02-28", id="organic-month-end"),
        pytest.param("2024-06-30", 4, "2024-02-29", id="organic-leap"),
        pytest.param("2024-03-04", 3, "2023-12-04", id="green-across-year"),
        pytest.param("2025-01-31", 4, "2024-09-30", id="organic-september-30"),
    ],
)
def test_file_by(expires: str, lead: int, deadline: str) -> None:
    assert file_by(D(expires), lead) == D(deadline)


# Green certificate expiring 2024-05-31: file_by 2024-02-29.
# Organic certificate expiring 2025-06-30: file_by 2025-02-28.
@pytest.mark.parametrize(
    ("scheme", "expires", "filed", "as_of", "status", "action", "days_left"),
    [
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            None,
            "2024-01-01",
            Status.PENDING,
            Action.RENEW,
            59,
            id="pending-early",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            None,
            "2024-02-29",
            Status.PENDING,
            Action.RENEW,
            0,
            id="pending-on-file-by",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            None,
            "2024-03-01",
            Status.LATE,
            Action.NEW_APPLICATION,
            -1,
            id="late-day-after-file-by",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            None,
            "2024-05-31",
            Status.LATE,
            Action.NEW_APPLICATION,
            -92,
            id="late-on-expiry",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            None,
            "2024-06-01",
            Status.EXPIRED,
            Action.NEW_APPLICATION,
            -93,
            id="expired-day-after",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            "2024-02-29",
            "2024-03-10",
            Status.FILED,
            Action.NONE,
            -10,
            id="filed-on-file-by",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            "2024-01-15",
            "2024-01-15",
            Status.FILED,
            Action.NONE,
            45,
            id="filed-today",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            "2024-03-01",
            "2024-03-10",
            Status.LATE,
            Action.NEW_APPLICATION,
            -10,
            id="filed-day-after-file-by",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            "2024-07-01",
            "2024-08-01",
            Status.LATE,
            Action.NEW_APPLICATION,
            -154,
            id="filed-after-expiry",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            "2024-02-01",
            "2024-01-31",
            Status.PENDING,
            Action.RENEW,
            29,
            id="future-filing-ignored",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            "2024-04-01",
            "2024-03-31",
            Status.LATE,
            Action.NEW_APPLICATION,
            -31,
            id="future-filing-ignored-late",
        ),
        pytest.param(
            Scheme.GREEN,
            "2024-05-31",
            "2024-07-01",
            "2024-06-30",
            Status.EXPIRED,
            Action.NEW_APPLICATION,
            -122,
            id="future-filing-ignored-expired",
        ),
        pytest.param(
            Scheme.ORGANIC,
            "2025-06-30",
            None,
            "2025-02-28",
            Status.PENDING,
            Action.RENEW,
            0,
            id="organic-on-file-by",
        ),
        pytest.param(
            Scheme.ORGANIC,
            "2025-06-30",
            None,
            "2025-03-01",
            Status.LATE,
            Action.NEW_APPLICATION,
            -1,
            id="organic-day-after",
        ),
        pytest.param(
            Scheme.ORGANIC,
            "2025-06-30",
            "2025-02-28",
            "2025-05-01",
            Status.FILED,
            Action.NONE,
            -62,
            id="organic-filed-on-time",
        ),
        pytest.param(
            Scheme.ORGANIC,
            "2025-06-30",
            None,
            "2025-07-01",
            Status.EXPIRED,
            Action.NEW_APPLICATION,
            -123,
            id="organic-expired",
        ),
    ],
)
def test_status(
    scheme: Scheme,
    expires: str,
    filed: str | None,
    as_of: str,
    status: Status,
    action: Action,
    days_left: int,
) -> None:
    item = schedule(cert(expires, scheme=scheme, filed=filed), D(as_of), P2024)
    assert (item.status, item.action, item.days_left) == (status, action, days_left)
    counted = filed and item.certificate.issued_on <= D(filed) <= D(as_of)
    assert item.filed_on == (D(filed) if counted else None)
    assert item.superseded_by is None
    assert (item.as_of, item.plan_year) == (D(as_of), 2024)
    green = scheme is Scheme.GREEN
    assert (item.rule.validity_years, item.rule.lead_months) == ((3, 3) if green else (1, 4))
    assert item.rule.source is (
        RuleSource.GREEN_MEASURES_ART18 if green else RuleSource.GUANGXI_PLAN
    )
    record = item.record()
    assert (record["status"], record["action"], record["superseded_by"]) == (
        status.value,
        action.value,
        None,
    )


@pytest.mark.parametrize(
    ("filed", "as_of"),
    [
        pytest.param(None, "2024-01-01", id="would-be-pending"),
        pytest.param(None, "2024-03-10", id="would-be-late"),
        pytest.param(None, "2024-07-01", id="would-be-expired"),
        pytest.param("2024-02-01", "2024-03-10", id="would-be-filed"),
        pytest.param("2024-04-01", "2024-04-10", id="would-be-late-filed"),
    ],
)
def test_a_successor_supersedes_whatever_the_dates_say(filed: str | None, as_of: str) -> None:
    """domain.md §3: the superseded check comes before the four others."""
    old = cert("2024-05-31", "LB-45-21060112345A", filed=filed)
    new = cert("2027-05-31", "LB-45-24060112345A", issued="2024-01-02")
    item = schedule(old, D(as_of), P2024, successor=new)
    assert (item.status, item.action) == (Status.SUPERSEDED, Action.NONE)
    assert item.superseded_by == "LB-45-24060112345A"
    assert item.record()["superseded_by"] == "LB-45-24060112345A"
    assert item.record()["status"] == "superseded"


@pytest.mark.parametrize(
    ("certificates", "as_of", "expected"),
    [
        pytest.param(
            [
                cert("2024-02-29", "1234OP2300001", scheme=Scheme.ORGANIC),
                cert("2025-02-28", "1234OP2300001", scheme=Scheme.ORGANIC),
            ],
            "2024-06-01",
            {0: 1},
            id="organic-same-number",
        ),
        pytest.param(
            [
                cert("2024-02-29", "1234OP2300001", scheme=Scheme.ORGANIC, product="茶叶"),
                cert("2025-02-28", "1234-op-2300001", scheme=Scheme.ORGANIC, product="红茶"),
            ],
            "2024-06-01",
            {0: 1},
            id="organic-number-typed-otherwise",
        ),
        pytest.param(
            [cert("2024-03-04", "LB-1"), cert("2027-03-04", "LB-2")],
            "2024-06-01",
            {0: 1},
            id="green-new-number-same-holder-product",
        ),
        pytest.param(
            [cert("2027-03-04", "LB-2"), cert("2024-03-04", "LB-1")],
            "2024-06-01",
            {1: 0},
            id="newer-row-first",
        ),
        pytest.param(
            [cert("2024-03-04", "LB-1"), cert("2027-03-04", "LB-2", enterprise="另一公司")],
            "2024-06-01",
            {},
            id="other-holder",
        ),
        pytest.param(
            [cert("2024-03-04", "LB-1"), cert("2027-03-04", "LB-2", product="龙眼")],
            "2024-06-01",
            {},
            id="other-product",
        ),
        pytest.param(
            [cert("2024-03-04", "X-1"), cert("2025-03-04", "X-1", scheme=Scheme.ORGANIC)],
            "2024-06-01",
            {},
            id="other-scheme",
        ),
        pytest.param(
            [cert("2024-03-04", "LB-1"), cert("2027-03-04", "LB-2")],
            "2024-03-04",
            {},
            id="newer-issued-after-as-of",
        ),
        pytest.param(
            [cert("2024-03-04", "LB-1"), cert("2027-03-04", "LB-2")],
            "2024-03-05",
            {0: 1},
            id="newer-issued-on-as-of",
        ),
        pytest.param(
            [cert("2024-03-04", "LB-1"), cert("2024-03-04", "LB-2", issued="2022-01-01")],
            "2024-06-01",
            {},
            id="issued-later-same-expiry",
        ),
        pytest.param(
            [cert("2024-03-04", "LB-1"), cert("2025-03-04", "LB-2", issued="2021-03-05")],
            "2024-06-01",
            {},
            id="expires-later-same-issue",
        ),
        pytest.param(
            [
                cert("2023-02-28", "O1", scheme=Scheme.ORGANIC),
                cert("2024-02-29", "O1", scheme=Scheme.ORGANIC),
                cert("2025-02-28", "O1", scheme=Scheme.ORGANIC),
            ],
            "2024-06-01",
            {0: 1, 1: 2},
            id="each-cycle-names-the-next",
        ),
    ],
)
def test_successors(certificates: list[Certificate], as_of: str, expected: dict[int, int]) -> None:
    found = successors(certificates, D(as_of))
    assert {i: certificates.index(c) for i, c in found.items()} == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param("LB-45- 1", "LB 45 1", True, id="space-for-hyphen"),
        pytest.param("LB-45-1", "lb-45-1", True, id="case"),
        pytest.param("ＬＢ－４５－１", "LB-45-1", True, id="full-width"),
        pytest.param("LB\u300045\u30001", "LB-45-1", True, id="ideographic-spaces"),
        pytest.param("LB-45-1", "LB-45-2", False, id="other-number"),
        pytest.param("LB-45-1", "LB-451-", True, id="hyphen-position-ignored"),
        pytest.param("LB-45-1A", "LB-45-1", False, id="suffix-matters"),
    ],
)
def test_number_key(a: str, b: str, same: bool) -> None:
    assert (number_key(a) == number_key(b)) is same


@pytest.mark.parametrize(
    ("scheme", "issued", "expires", "plan_year", "flags"),
    [
        pytest.param(Scheme.GREEN, "2020-12-31", "2023-12-30", 2024, (), id="issued-2020-12-31"),
        pytest.param(
            Scheme.GREEN,
            "2021-01-01",
            "2023-12-31",
            2024,
            (Flag.PLAN_COHORT,),
            id="issued-2021-01-01",
        ),
        pytest.param(
            Scheme.GREEN,
            "2021-12-31",
            "2024-12-30",
            2024,
            (Flag.PLAN_COHORT,),
            id="issued-2021-12-31",
        ),
        pytest.param(Scheme.GREEN, "2022-01-01", "2024-12-31", 2024, (), id="issued-2022-01-01"),
        pytest.param(
            Scheme.GREEN, "2022-01-02", "2025-01-01", 2024, (Flag.NEXT_H1,), id="expires-2025-01-01"
        ),
        pytest.param(
            Scheme.GREEN, "2022-07-01", "2025-06-30", 2024, (Flag.NEXT_H1,), id="expires-2025-06-30"
        ),
        pytest.param(Scheme.GREEN, "2022-07-02", "2025-07-01", 2024, (), id="expires-2025-07-01"),
        pytest.param(
            Scheme.GREEN,
            "2021-06-01",
            "2025-03-01",
            2024,
            (Flag.PLAN_COHORT, Flag.NEXT_H1),
            id="both-flags",
        ),
        pytest.param(
            Scheme.ORGANIC, "2021-03-01", "2025-02-28", 2024, (), id="organic-never-flagged"
        ),
        pytest.param(
            Scheme.GREEN,
            "2022-05-01",
            "2025-04-30",
            2025,
            (Flag.PLAN_COHORT,),
            id="plan-2025-cohort-2022",
        ),
        pytest.param(
            Scheme.GREEN,
            "2023-03-01",
            "2026-02-28",
            2025,
            (Flag.NEXT_H1,),
            id="plan-2025-next-h1-2026",
        ),
        pytest.param(
            Scheme.GREEN,
            "2022-03-01",
            "2025-02-28",
            2025,
            (Flag.PLAN_COHORT,),
            id="plan-2025-not-h1-2025",
        ),
        pytest.param(
            Scheme.GREEN,
            "2027-01-01",
            "2029-12-31",
            2030,
            (Flag.PLAN_COHORT,),
            id="plan-2030-cohort-2027",
        ),
    ],
)
@pytest.mark.parametrize(
    ("city", "county", "relief"),
    [
        # 青秀区 is in no fee-relief tier: the plan's flags alone.
        pytest.param("南宁市", "青秀区", False, id="no-relief"),
        # 田阳区 is a national_832 county: fee relief follows the plan's flags (issue 8).
        pytest.param("百色市", "田阳区", True, id="relief"),
    ],
)
def test_flags(
    scheme: Scheme,
    issued: str,
    expires: str,
    plan_year: int,
    flags: tuple[Flag, ...],
    city: str,
    county: str,
    relief: bool,
) -> None:
    certificate = cert(expires, scheme=scheme, issued=issued, city=city, county=county)
    item = schedule(certificate, D("2024-06-01"), policy_for(plan_year))
    fee = Flag.FEE_WAIVER if scheme is Scheme.GREEN else Flag.FEE_DISCOUNT_35
    assert item.flags == ((*flags, fee) if relief else flags)


@pytest.mark.parametrize(
    ("year", "cohort", "h1_from", "h1_to", "submit"),
    [
        pytest.param(2024, 2021, "2025-01-01", "2025-06-30", "2024-10-01", id="2024-as-published"),
        pytest.param(2025, 2022, "2026-01-01", "2026-06-30", "2025-10-01", id="2025-moved-on"),
        pytest.param(2031, 2028, "2032-01-01", "2032-06-30", "2031-10-01", id="2031-moved-on"),
        pytest.param(2023, 2020, "2024-01-01", "2024-06-30", "2023-10-01", id="2023-moved-back"),
    ],
)
def test_policy_moves_with_plan_year(
    year: int, cohort: int, h1_from: str, h1_to: str, submit: str
) -> None:
    policy = policy_for(year)
    assert (policy.plan_year, policy.cohort_issue_year) == (year, cohort)
    assert (policy.next_h1_from, policy.next_h1_to) == (D(h1_from), D(h1_to))
    assert policy.submit_all_before == D(submit)
    assert policy.rule(Scheme.GREEN).lead_months == 3
    assert policy.rule(Scheme.ORGANIC).lead_months == 4


AS_OF = D("2024-06-01")


@pytest.mark.parametrize(
    ("certificate", "selection", "shown"),
    [
        # Green expiring 2024-12-29 has file_by 2024-09-29 = AS_OF + 120 days.
        pytest.param(cert("2024-12-29"), Selection(), True, id="pending-at-window-edge"),
        pytest.param(cert("2024-12-30"), Selection(), False, id="pending-beyond-window"),
        pytest.param(cert("2024-12-30"), Selection(within=121), True, id="pending-wider-window"),
        pytest.param(cert("2024-12-30"), Selection(all=True), True, id="pending-all"),
        pytest.param(cert("2024-06-01"), Selection(), True, id="late-expiring-today"),
        pytest.param(
            cert("2024-06-01", filed="2024-05-01"), Selection(), True, id="filed-late-not-expired"
        ),
        pytest.param(
            cert("2024-05-31", filed="2024-05-01"), Selection(), False, id="filed-late-expired"
        ),
        pytest.param(cert("2023-06-02"), Selection(), True, id="expired-365-days-ago"),
        pytest.param(cert("2023-06-01"), Selection(), False, id="expired-366-days-ago"),
        pytest.param(cert("2023-06-01"), Selection(expired_within=366), True, id="expired-wider"),
        pytest.param(
            cert("2024-09-01", filed="2024-05-01"), Selection(), False, id="filed-not-default"
        ),
        pytest.param(
            cert("2024-09-01", filed="2024-05-01"), Selection(all=True), True, id="filed-with-all"
        ),
        pytest.param(
            cert("2024-09-01", filed="2024-05-01"),
            Selection(all=True, statuses=frozenset({Status.PENDING})),
            False,
            id="status-narrows-all",
        ),
        pytest.param(
            cert("2024-09-01"),
            Selection(scope=Scope(cities=frozenset({"南宁市"}))),
            False,
            id="other-city",
        ),
        pytest.param(
            cert("2024-09-01"),
            Selection(scope=Scope(cities=frozenset({"百色市"}))),
            True,
            id="same-city",
        ),
        pytest.param(
            cert("2024-09-01"),
            Selection(scope=Scope(counties=frozenset({"田东县"}))),
            False,
            id="other-county",
        ),
        pytest.param(
            cert("2024-09-01"),
            Selection(scope=Scope(counties=frozenset({"田阳区"}))),
            True,
            id="same-county",
        ),
        pytest.param(
            cert("2024-09-01", county=None),
            Selection(scope=Scope(counties=frozenset({"田阳区"}))),
            False,
            id="no-county",
        ),
        pytest.param(
            cert("2024-09-01"),
            Selection(scope=Scope(cities=frozenset({"南宁市"}), counties=frozenset({"田阳区"}))),
            False,
            id="county-of-another-city",
        ),
        pytest.param(
            cert("2024-09-01"),
            Selection(schemes=frozenset({Scheme.ORGANIC})),
            False,
            id="other-scheme",
        ),
        pytest.param(
            cert("2024-09-01", issued="2021-09-02"),
            Selection(flags=frozenset({Flag.PLAN_COHORT})),
            True,
            id="flag-match",
        ),
        pytest.param(
            cert("2024-09-01", issued="2021-09-02"),
            Selection(flags=frozenset({Flag.NEXT_H1})),
            False,
            id="flag-miss",
        ),
    ],
)
def test_selection(certificate: Certificate, selection: Selection, shown: bool) -> None:
    # The renewal's window and filters (green certificates also give an annual inspection).
    renewals = dataclasses.replace(selection, kinds=RENEWALS)
    assert bool(select([certificate], AS_OF, P2024, renewals)) is shown


@pytest.mark.parametrize(
    ("certificate", "selection", "kinds"),
    [
        # Issued 2021-09-01: the certificate year ends 2024-08-31, within the 120 days.
        pytest.param(
            cert("2024-08-31", filed="2024-05-01"),
            Selection(),
            [Kind.ANNUAL_INSPECTION],
            id="filed-renewal-pending-inspection",
        ),
        pytest.param(
            cert("2024-08-31", filed="2024-05-01"),
            Selection(kinds=frozenset({Kind.ANNUAL_INSPECTION, Kind.TRANSFER})),
            [Kind.ANNUAL_INSPECTION],
            id="kinds-narrow",
        ),
        pytest.param(
            cert("2024-08-31", filed="2024-05-01"),
            Selection(all=True),
            [Kind.RENEWAL, Kind.ANNUAL_INSPECTION],
            id="all-every-kind",
        ),
        pytest.param(
            cert("2024-08-31"),
            Selection(),
            [Kind.RENEWAL, Kind.ANNUAL_INSPECTION],
            id="both-pending",
        ),
        # The inspection of the year ending 2024-12-28 is beyond the 120 days.
        pytest.param(cert("2024-12-28"), Selection(), [Kind.RENEWAL], id="inspection-beyond"),
        pytest.param(
            cert("2024-08-31", scheme=Scheme.ORGANIC),
            Selection(all=True),
            [Kind.RENEWAL],
            id="organic-no-inspection",
        ),
        pytest.param(
            cert("2024-05-31"), Selection(all=True), [Kind.RENEWAL], id="expired-no-inspection"
        ),
    ],
)
def test_selection_of_kinds(
    certificate: Certificate, selection: Selection, kinds: list[Kind]
) -> None:
    assert [i.kind for i in select([certificate], AS_OF, P2024, selection)] == kinds


def test_order_is_file_by_then_city_county_cert_id() -> None:
    # One product each, so no row is taken for another's earlier cycle (same holder).
    certificates = [
        cert("2024-09-01", cert_id="B", city="南宁市", county="青秀区", product="B"),
        cert("2024-09-01", cert_id="A", city="南宁市", county="青秀区", product="A"),
        cert("2024-08-01", cert_id="Z", product="Z"),
        cert("2024-09-01", cert_id="C", city="北海市", county="海城区", product="C"),
        cert("2024-09-01", cert_id="D", city="南宁市", county="兴宁区", product="D"),
    ]
    items = select(certificates, AS_OF, P2024, Selection(all=True, kinds=RENEWALS))
    assert [i.certificate.cert_id for i in items] == ["Z", "C", "D", "A", "B"]
    assert [i.status for i in items] == [Status.LATE] + [Status.PENDING] * 4
    # Every kind: by file-by day (inspections end each certificate year), then place and number.
    every = select(certificates, AS_OF, P2024, Selection(all=True))
    assert [(i.file_by, i.certificate.cert_id, i.kind) for i in every] == [
        (D("2024-05-01"), "Z", Kind.RENEWAL),
        (D("2024-06-01"), "C", Kind.RENEWAL),
        (D("2024-06-01"), "D", Kind.RENEWAL),
        (D("2024-06-01"), "A", Kind.RENEWAL),
        (D("2024-06-01"), "B", Kind.RENEWAL),
        (D("2024-08-01"), "Z", Kind.ANNUAL_INSPECTION),
        (D("2024-09-01"), "C", Kind.ANNUAL_INSPECTION),
        (D("2024-09-01"), "D", Kind.ANNUAL_INSPECTION),
        (D("2024-09-01"), "A", Kind.ANNUAL_INSPECTION),
        (D("2024-09-01"), "B", Kind.ANNUAL_INSPECTION),
    ]


@pytest.mark.parametrize(
    ("selection", "statuses"),
    [
        pytest.param(Selection(), [Status.PENDING], id="default-hides-superseded"),
        pytest.param(
            Selection(all=True), [Status.SUPERSEDED, Status.PENDING], id="all-shows-superseded"
        ),
        pytest.param(
            Selection(all=True, statuses=frozenset({Status.SUPERSEDED})),
            [Status.SUPERSEDED],
            id="all-status-superseded",
        ),
        pytest.param(
            Selection(statuses=frozenset({Status.SUPERSEDED, Status.EXPIRED})),
            [],
            id="status-without-all",
        ),
    ],
)
def test_superseded_items_are_shown_only_with_all(
    selection: Selection, statuses: list[Status]
) -> None:
    """The old cycle would be expired (within the default 365 days) if it were not superseded."""
    old = cert("2024-03-04", "LB-45-21030512345A")
    new = cert("2027-03-04", "LB-45-24030512345A", issued="2024-03-05")
    renewals = dataclasses.replace(selection, within=1200, kinds=RENEWALS)
    items = select([new, old], D("2024-06-01"), P2024, renewals)
    assert [i.status for i in items] == statuses
    for i in items:
        expected = "LB-45-24030512345A" if i.status is Status.SUPERSEDED else None
        assert i.superseded_by == expected
    # Every kind: the new certificate's inspection too, but none for the superseded one.
    every = select([new, old], D("2024-06-01"), P2024, dataclasses.replace(selection, within=1200))
    inspections = [i for i in every if i.kind is Kind.ANNUAL_INSPECTION]
    assert [i.certificate.cert_id for i in inspections] == (
        ["LB-45-24030512345A"] if Status.PENDING in statuses else []
    )
