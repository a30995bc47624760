"""The year-end summary's columns mean what their labels say (issue 17, point 7).

如按时续展 (valid_dec31_if_renewed) is 年底有效 (valid_dec31) plus 待续展 (at_risk, pending
renewals that would carry a certificate over 31 December) plus the renewals already filed in
time whose new certificate is not in the register yet; 10月后未报 (open_after_deadline) counts
the renewals due in the plan year with no filing before 1 October, once that day has come.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import D, cert
from renewal_cli.dates import expiry_from_issue
from renewal_cli.models import Certificate, Scheme
from renewal_cli.policy import policy_for
from renewal_cli.yearend import TOTAL, SummaryBy, SummaryRow, summarize

ORGANIC = Scheme.ORGANIC
COLUMNS = ("valid_dec31", "valid_dec31_if_renewed", "at_risk", "lost", "open_after_deadline")


def _total(certificates: list[Certificate], as_of: str, plan_year: int = 2024) -> SummaryRow:
    rows = summarize(certificates, D(as_of), policy_for(plan_year), SummaryBy.CITY)
    assert rows[-1].place == TOTAL
    return rows[-1]


# (certificates, AS_OF, plan year) → (valid, if renewed, at risk, lost, open after October)
CASES = [
    pytest.param(
        [cert("2025-06-30")],
        "2024-06-01",
        2024,
        (1, 1, 0, 0, None),
        id="valid-on-31-dec-open-unknown-before-october",
    ),
    pytest.param(
        [cert("2024-11-30")],
        "2024-06-01",
        2024,
        (0, 1, 1, 0, None),
        id="pending-expiring-in-november-is-at-risk",
    ),
    pytest.param(
        [cert("2024-11-30", filed="2024-05-01")],
        "2024-10-15",
        2024,
        (0, 1, 0, 0, 0),
        id="filed-in-time-counts-if-renewed-not-at-risk",
    ),
    pytest.param(
        [cert("2024-12-31")],
        "2024-06-01",
        2024,
        (1, 1, 0, 0, None),
        id="expiring-on-31-dec-is-valid-not-at-risk",
    ),
    pytest.param(
        [cert("2024-12-20", scheme=ORGANIC)],
        "2024-06-01",
        2024,
        (0, 1, 1, 0, None),
        id="organic-pending-renewal-reaches-31-dec",
    ),
    pytest.param(
        [cert("2024-12-20")],
        "2024-06-01",
        2025,
        (0, 1, 1, 0, None),
        id="next-plan-year-green-renewal-reaches-it",
    ),
    pytest.param(
        [cert("2024-11-30", scheme=ORGANIC)],
        "2024-06-01",
        2025,
        (0, 0, 0, 0, None),
        id="next-plan-year-organic-renewal-ends-before-it",
    ),
    pytest.param(
        [cert("2024-11-30")],
        "2024-10-15",
        2024,
        (0, 0, 0, 1, 1),
        id="late-unfiled-is-lost-and-open-after-october",
    ),
    pytest.param(
        [cert("2024-11-30", filed="2024-09-10")],
        "2024-10-15",
        2024,
        (0, 0, 0, 1, 0),
        id="filed-late-before-october-is-lost-but-was-filed",
    ),
    pytest.param(
        [cert("2025-01-31", filed="2024-10-01")],
        "2024-10-15",
        2024,
        (1, 1, 0, 0, 1),
        id="filed-on-1-october-is-not-before-it",
    ),
    pytest.param(
        [cert("2025-02-15")],
        "2024-10-15",
        2024,
        (1, 1, 0, 0, 1),
        id="due-in-november-unfiled-on-1-october",
    ),
    pytest.param(
        [cert("2025-02-15", filed="2024-11-20")],
        "2024-10-15",
        2024,
        (1, 1, 0, 0, 1),
        id="filing-after-as-of-not-known-yet",
    ),
    pytest.param(
        [
            cert("2024-05-31", "LB-45-21060100001A"),
            cert("2027-05-31", "LB-45-24060100001A", issued="2024-06-01"),
        ],
        "2024-10-15",
        2024,
        (1, 1, 0, 0, 0),
        id="superseded-counts-once-and-is-not-open",
    ),
    pytest.param(
        [cert("2024-06-30")],
        "2025-03-01",
        2024,
        (0, 0, 0, 1, 1),
        id="looking-back-at-a-past-plan-year",
    ),
]


@pytest.mark.parametrize(("certificates", "as_of", "plan_year", "expected"), CASES)
def test_summary_columns(
    certificates: list[Certificate],
    as_of: str,
    plan_year: int,
    expected: tuple[int, int, int, int, int | None],
) -> None:
    total = _total(certificates, as_of, plan_year)
    assert tuple(getattr(total, c) for c in COLUMNS) == expected
    assert total.record()["open_after_deadline"] == expected[-1]
    # Every certificate here is held in 田阳区, a fee-relief county: one per lineage, however
    # many of its cycles the register keeps.
    assert total.fee_relief == 1


day = st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def _certificates(draw: st.DrawFn) -> Certificate:
    scheme = draw(st.sampled_from([Scheme.GREEN, Scheme.ORGANIC]))
    issued = draw(day)
    expires = expiry_from_issue(issued, 3 if scheme is Scheme.GREEN else 1)
    filed = draw(st.none() | st.dates(min_value=issued, max_value=expires + timedelta(days=60)))
    return cert(
        expires.isoformat(),
        f"N{draw(st.integers(0, 5))}",
        scheme=scheme,
        issued=issued.isoformat(),
        filed=filed.isoformat() if filed else None,
        enterprise=draw(st.sampled_from(["甲", "乙"])),
    )


@given(st.lists(_certificates(), max_size=12), day, st.integers(2023, 2026))
def test_if_renewed_is_never_below_valid_and_at_risk(
    certificates: list[Certificate], as_of: date, plan_year: int
) -> None:
    """No column contradicts another: the pending renewals (at risk) are part of 如按时续展,
    beside the certificates valid on 31 December; 10月后未报 is blank before 1 October."""
    rows = summarize(certificates, as_of, policy_for(plan_year), SummaryBy.CITY)
    before = as_of < policy_for(plan_year).submit_all_before
    for row in rows:
        assert row.valid_dec31_if_renewed >= row.valid_dec31 + row.at_risk
        assert (row.open_after_deadline is None) == before
