"""The domain's data: certificates read from a register, problems found in it, schedule items.

Everything here is a plain value. Rules (rules.py) turn Certificates into ScheduleItems; every
output (table, CSV, JSON, calendar, mail) is a view of the same list of ScheduleItems.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class Scheme(StrEnum):
    """Certification scheme of a certificate."""

    GREEN = "green"
    """Green food (绿色食品): 3 years, renewal (续展) filed 3 months before expiry."""
    ORGANIC = "organic"
    """Organic (有机农产品, COFCC): 1 year, re-certification (再认证) filed 4 months before expiry."""


class Status(StrEnum):
    """Where a certificate stands on AS_OF (domain.md §3)."""

    PENDING = "pending"
    """Not filed yet, and the file-by day has not passed."""
    LATE = "late"
    """Filed after the file-by day, or not filed with file_by < AS_OF <= expiry."""
    EXPIRED = "expired"
    """Not filed and the certificate has expired."""
    FILED = "filed"
    """Filed on or before the file-by day."""


class Action(StrEnum):
    """What the holder has to do next."""

    RENEW = "renew"
    """File the renewal / re-certification before the file-by day."""
    NEW_APPLICATION = "new_application"
    """Too late for a renewal: apply again as a new product (按新申报产品处理)."""
    NONE = "none"
    """Nothing: filed in time."""


class Flag(StrEnum):
    """Marks the plan year's work plan asks for (green food only)."""

    PLAN_COHORT = "plan_cohort"
    """Issued in plan_year - 3, so due for renewal during the plan year."""
    NEXT_H1 = "next_h1"
    """Expires in the first half of plan_year + 1: prepare the renewal this year."""


class Kind(StrEnum):
    """Kind of obligation a schedule item stands for. Only renewals exist so far."""

    RENEWAL = "renewal"
    """Renewal (green) or re-certification (organic) of a certificate."""


class ProblemCode(StrEnum):
    """Why a register row could not become a certificate."""

    BAD_DATE = "bad_date"
    """A date cell that is not one of the accepted date formats, or not a real day."""
    UNKNOWN_SCHEME = "unknown_scheme"
    """A scheme cell that is neither green food nor organic."""
    EMPTY = "empty"
    """A required cell is empty."""
    NO_DATES = "no_dates"
    """Neither the issue date nor the expiry date is given."""
    EXPIRY_BEFORE_ISSUE = "expiry_before_issue"
    """The expiry date is before the issue date."""
    UNKNOWN_CITY = "unknown_city"
    """The city is not one of Guangxi's 14 cities."""
    UNKNOWN_COUNTY = "unknown_county"
    """The county is not one of Guangxi's 111 county-level divisions."""
    COUNTY_CITY_MISMATCH = "county_city_mismatch"
    """The county belongs to another city than the row's city."""
    DUPLICATE = "duplicate"
    """The certificate number and expiry were already seen on an earlier row."""
    EXTRA_CELLS = "extra_cells"
    """The row has more non-empty cells than the header has columns."""
    REPEATED_NUMBER = "repeated_number"
    """A warning, not a bad row: the number of an earlier row, with another expiry (a new cycle)."""
    FILED_BEFORE_ISSUE = "filed_before_issue"
    """A warning, not a bad row: the filing predates the certificate, so it is ignored."""


class Finding(BaseModel):
    """One thing wrong in one cell (or in the row as a whole when `column` is empty)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    code: ProblemCode
    column: str = ""
    column_letter: str = ""
    value: str = ""
    detail: dict[str, str] = {}


class Certificate(BaseModel):
    """One certificate as the register gives it, cleaned and with both dates known."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    cert_id: str
    enterprise: str
    product: str
    scheme: Scheme
    city: str
    county: str | None
    issued_on: date
    expires_on: date
    filed_on: date | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    source: str = ""
    line: int = 0
    notes: tuple[Finding, ...] = ()
    """Warnings about cells that were read but not used (the row is still a certificate)."""


class ScheduleItem(BaseModel):
    """A certificate seen on AS_OF: what is due, by when, and what to do."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    certificate: Certificate
    kind: Kind = Kind.RENEWAL
    as_of: date
    plan_year: int
    file_by: date
    filed_on: date | None
    """The filing known on AS_OF (a filing dated after AS_OF is ignored)."""
    days_left: int
    status: Status
    action: Action
    flags: tuple[Flag, ...]

    def record(self) -> dict[str, Any]:
        """The stable flat record shared by JSON and CSV (keys are a public contract)."""
        c = self.certificate
        return {
            "cert_id": c.cert_id,
            "enterprise": c.enterprise,
            "product": c.product,
            "scheme": c.scheme.value,
            "city": c.city,
            "county": c.county,
            "issued_on": c.issued_on.isoformat(),
            "expires_on": c.expires_on.isoformat(),
            "file_by": self.file_by.isoformat(),
            "filed_on": self.filed_on.isoformat() if self.filed_on else None,
            "days_left": self.days_left,
            "status": self.status.value,
            "action": self.action.value,
            "flags": [f.value for f in self.flags],
        }


RECORD_KEYS: tuple[str, ...] = (
    "cert_id",
    "enterprise",
    "product",
    "scheme",
    "city",
    "county",
    "issued_on",
    "expires_on",
    "file_by",
    "filed_on",
    "days_left",
    "status",
    "action",
    "flags",
)


class RowProblem(BaseModel):
    """A register row left out, and every reason why, with the file and line it came from."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    source: str
    line: int
    findings: tuple[Finding, ...]
