"""Invariants that hold for any certificate, any day and any register (hypothesis)."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from renewal_cli.dates import expiry_from_issue
from renewal_cli.models import Action, Certificate, Kind, Problem, Scheme, Severity, Status
from renewal_cli.obligations import obligations
from renewal_cli.obligations import renewal as schedule
from renewal_cli.places import guangxi
from renewal_cli.policy import policy_for
from renewal_cli.register import open_register
from renewal_cli.rules import Selection, select

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
# The schemes with certificates to renew: 名特优新 (MINGTE) has no expiry and no renewal rule.
schemes = st.sampled_from([s for s in Scheme if s is not Scheme.MINGTE])
RENEWALS = frozenset({Kind.RENEWAL})


@st.composite
def certificates(draw: st.DrawFn) -> Certificate:
    scheme = draw(schemes)
    issued = draw(days)
    expires = expiry_from_issue(issued, 3 if scheme is Scheme.GREEN else 1)
    filed = draw(st.none() | st.dates(min_value=issued, max_value=expires + timedelta(days=400)))
    return Certificate(
        cert_id="X",
        enterprise="e",
        product="p",
        scheme=scheme,
        city="百色市",
        county=None,
        issued_on=issued,
        expires_on=expires,
        filed_on=filed,
    )


@given(certificates(), days)
def test_item_invariants(certificate: Certificate, as_of: date) -> None:
    item = schedule(certificate, as_of, policy_for(as_of.year))
    assert certificate.issued_on <= item.file_by <= certificate.expires_on
    assert item.days_left == (item.file_by - as_of).days
    assert item.filed_on is None or item.filed_on <= as_of
    assert (item.action is Action.RENEW) == (item.status is Status.PENDING)
    assert (item.action is Action.NONE) == (item.status is Status.FILED)
    # Without a successor nothing is superseded.
    assert item.status is not Status.SUPERSEDED and item.superseded_by is None
    if item.status is Status.PENDING:
        assert item.days_left >= 0
    if item.status is Status.EXPIRED:
        assert as_of > certificate.expires_on


@given(certificates(), days, days)
def test_status_never_improves_without_a_filing(certificate: Certificate, a: date, b: date) -> None:
    certificate = dataclasses.replace(certificate, filed_on=None)
    order = [Status.PENDING, Status.LATE, Status.EXPIRED]
    early, late = sorted((a, b))
    policy = policy_for(2024)
    first, second = schedule(certificate, early, policy), schedule(certificate, late, policy)
    assert order.index(first.status) <= order.index(second.status)


@given(st.lists(certificates(), max_size=20), days)
def test_all_selects_every_certificate_in_order(certs: list[Certificate], as_of: date) -> None:
    items = select(certs, as_of, policy_for(2024), Selection(all=True, kinds=RENEWALS))
    assert len(items) == len(certs)
    assert [i.file_by for i in items] == sorted(i.file_by for i in items)
    for i in items:
        # All share number, holder and product: superseded means a later cycle is held.
        superseded = i.status is Status.SUPERSEDED
        assert (i.superseded_by is not None) == superseded
        assert (i.action is Action.NONE) == (i.status in (Status.FILED, Status.SUPERSEDED))
        later = [
            c
            for c in certs
            if c.scheme is i.certificate.scheme
            and i.certificate.issued_on < c.issued_on <= as_of
            and c.expires_on > i.certificate.expires_on
        ]
        assert superseded == bool(later)
    # Every kind: besides, one annual inspection per green certificate valid on AS_OF and not
    # superseded (issue 8), in the same order.
    every = select(certs, as_of, policy_for(2024), Selection(all=True))
    assert [i.file_by for i in every] == sorted(i.file_by for i in every)
    assert [i for i in every if i.kind is Kind.RENEWAL] == items
    inspected = [i for i in every if i.kind is Kind.ANNUAL_INSPECTION]
    assert len(inspected) == len(every) - len(items)
    assert len(inspected) == sum(
        1
        for i in items
        if i.certificate.scheme is Scheme.GREEN
        and i.status is not Status.SUPERSEDED
        and i.certificate.issued_on <= as_of <= i.certificate.expires_on
    )


@given(certificates(), days)
def test_inspection_invariants(certificate: Certificate, as_of: date) -> None:
    """The annual inspection of the certificate year AS_OF falls in (issue 8)."""
    items = obligations(certificate, as_of, policy_for(as_of.year))
    assert [i.kind for i in items][:1] == [Kind.RENEWAL]
    inspections = [i for i in items if i.kind is Kind.ANNUAL_INSPECTION]
    valid = certificate.issued_on <= as_of <= certificate.expires_on
    assert len(inspections) == (1 if certificate.scheme is Scheme.GREEN and valid else 0)
    for item in inspections:
        assert item.ends_on is not None
        # The certificate year ends within the validity, at most a year after AS_OF.
        assert as_of <= item.ends_on <= certificate.expires_on
        assert (item.ends_on - as_of).days < 366
        assert item.file_by == item.ends_on  # the default lead is 0 days
        assert item.submit_by is not None and item.submit_by <= item.file_by
        assert (item.file_by - item.submit_by).days < 14  # the longest holiday is 8 days
        assert item.days_left == (item.file_by - as_of).days >= 0
        assert item.status is Status.PENDING and item.action is Action.INSPECT


cell = st.text(
    alphabet=st.sampled_from(list('0123456789-/年月日绿色有机百色市田阳区 ,"\n\u3000x')),
    max_size=12,
)
GOOD = ["某公司", "茶叶", "绿色食品", "百色", "田阳区", "2021-03-05", "", ""]


HEADER = [
    "证书编号",
    "企业名称",
    "产品名称",
    "认证类型",
    "市",
    "县区",
    "发证日期",
    "有效期至",
    "申报日期",
]
# A continuation line of a quoted cell holding this many commas before any quote is taken for a
# stray quote (issue 7 point 1: three quarters of a whole row's delimiters).
ROW_DELIMITERS = (len(HEADER) - 1) * 3 // 4


def looks_like_a_stray_quote(value: str) -> bool:
    return any(part.split('"', 1)[0].count(",") >= ROW_DELIMITERS for part in value.split("\n")[1:])


def looks_like_paired_stray_quotes(row: list[str]) -> bool:
    """A row spread over lines, with more cells than the header, whose first and last lines
    each hold a whole row's commas: read as two stray quotes that paired up (sources.py)."""
    line = io.StringIO()
    csv.writer(line).writerow(row)
    physical = line.getvalue().rstrip("\r\n").split("\n")
    return (
        len(physical) > 1
        and len(row) > len(HEADER)
        and min(physical[0].count(","), physical[-1].count(",")) >= ROW_DELIMITERS
    )


@settings(max_examples=150)
@given(st.lists(st.none() | st.lists(cell, max_size=11), max_size=25))
def test_every_row_is_a_certificate_or_a_problem(rows: list[list[str] | None]) -> None:
    """None stands for a known-good row; the rest are junk of any shape. Every row written is a
    certificate row, a problem row, or a counted blank row; every physical line is accounted."""
    assume(not any(looks_like_a_stray_quote(c) for row in rows if row for c in row))
    assume(not any(looks_like_paired_stray_quotes(row) for row in rows if row))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n, row in enumerate(rows):
        writer.writerow([f"GOOD{n}", *GOOD] if row is None else row)
    text = out.getvalue()
    register = open_register(text.encode(), policy=policy_for(2024), places=guangxi(), name="t.csv")
    entries = list(register)
    counts = register.counts
    certificates = [e for e in entries if isinstance(e, Certificate)]
    problems = [e for e in entries if isinstance(e, Problem)]
    assert not register.failed and not any(p.fatal for p in problems)
    certificate_rows = {c.line for c in certificates}
    error_lines = {p.line for p in problems if p.severity is Severity.ERROR}
    assert not certificate_rows & error_lines
    assert counts.rows == len(certificate_rows) + counts.problems
    assert counts.problems >= len(error_lines)
    assert counts.certificates == len(certificates) >= len(certificate_rows)
    # No summary words can be drawn, and nothing is left out: each row written is counted once.
    assert counts.summary == 0
    assert counts.rows + counts.blank == len(rows)
    # Physical lines: the header, and each row with the line breaks inside its quoted cells.
    breaks = sum(c.count("\n") for row in rows if row for c in row)
    assert counts.lines == text.count("\n") == 1 + len(rows) + breaks
    assert (counts.title_lines, counts.header_lines) == (0, 1)
    assert counts.lines == (
        counts.title_lines
        + counts.header_lines
        + counts.blank
        + counts.summary
        + counts.rows
        + breaks
    )
    good = {f"GOOD{n}" for n, row in enumerate(rows) if row is None}
    assert good <= {c.cert_id for c in certificates}
