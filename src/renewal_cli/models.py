"""The domain's data: certificates read from a register, problems found in it, schedule items.

Everything here is a plain value. The register (register.py) turns rows into Certificates and
Problems; the rules (rules.py) turn Certificates into ScheduleItems; every output (table, CSV,
JSON, calendar, mail) is a view of the same list of ScheduleItems, worded by present.py.

All of them are frozen slotted dataclasses, not pydantic models: the code that makes them has
checked every value already, and importing pydantic costs a `renewal due` about a quarter of its
start-up. Pydantic is kept for what a person types (policy files, mail settings and contacts).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any


class Scheme(StrEnum):
    """Certification scheme of a certificate."""

    GREEN = "green"
    """Green food (绿色食品): 3 years, renewal (续展) filed 3 months before expiry."""
    ORGANIC = "organic"
    """Organic (有机农产品, COFCC): 1 year, re-certification (再认证) filed 4 months before expiry."""
    MINGTE = "mingte"
    """全国名特优新农产品: no expiry; an annual confirmation and a quality test every 3 years."""


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
    SUPERSEDED = "superseded"
    """The register holds the next cycle's certificate, issued on or before AS_OF."""


class Action(StrEnum):
    """What the holder has to do next."""

    RENEW = "renew"
    """File the renewal / re-certification before the file-by day."""
    NEW_APPLICATION = "new_application"
    """Too late for a renewal: apply again as a new product (按新申报产品处理)."""
    NONE = "none"
    """Nothing: filed in time, or already renewed."""
    TRANSFER = "transfer"
    """Move the certificate to COFCC, filing the first-certification (新申报) documents."""
    APPLY = "apply"
    """File the planned organic application (annual crop) before sowing."""
    INSPECT = "inspect"
    """Have the green food annual inspection (年检) done."""
    CONFIRM = "confirm"
    """Apply for the 名特优新 annual confirmation."""
    TEST = "test"
    """Have the 名特优新 quality test done."""


class Flag(StrEnum):
    """Marks the plan year's work plan asks for (green food only)."""

    PLAN_COHORT = "plan_cohort"
    """Issued in plan_year - 3, so due for renewal during the plan year."""
    NEXT_H1 = "next_h1"
    """Expires in the first half of plan_year + 1: prepare the renewal this year."""
    FEE_WAIVER = "fee_waiver"
    """Green food: review and label fees waived (holder in a fee-relief county)."""
    FEE_DISCOUNT_35 = "fee_discount_35"
    """Organic: 35% off COFCC's application, audit and registration fees (fee-relief county)."""


class Kind(StrEnum):
    """Kind of obligation a schedule item stands for."""

    RENEWAL = "renewal"
    """Renewal (green) or re-certification (organic) of a certificate."""
    TRANSFER = "transfer"
    """An organic certificate of another body moving to COFCC (中绿华夏)."""
    NEW_APPLICATION = "new_application"
    """A planned organic application for an annual crop (no certificate yet)."""
    ANNUAL_INSPECTION = "annual_inspection"
    """Green food annual inspection (年检), one per certificate year."""
    ANNUAL_CONFIRMATION = "annual_confirmation"
    """名特优新 annual confirmation, before each anniversary of the listing."""
    QUALITY_TEST = "quality_test"
    """名特优新 quality test, every three years after listing."""


class RuleSource(StrEnum):
    """Where a filing rule comes from; present.py words it for officers."""

    GREEN_MEASURES_ART18 = "green_measures_art18"
    """《绿色食品标志管理办法》 Art. 18: apply three months before expiry."""
    GUANGXI_PLAN = "guangxi_plan"
    """Guangxi's yearly work plan: organic re-certification four months before expiry."""
    GUANGXI_PLAN_TRANSFER = "guangxi_plan_transfer"
    """The plan: products moving to COFCC file four months before expiry, as new applications."""
    GUANGXI_PLAN_ANNUAL_CROP = "guangxi_plan_annual_crop"
    """The plan: annual crops apply for organic certification one month before sowing."""
    GREEN_INSPECTION = "green_inspection"
    """The plan: green food annual inspection at 100%, one per certificate year (a belief)."""
    MINGTE_CONFIRMATION = "mingte_confirmation"
    """名特优新: annual confirmation at least 30 days before each anniversary of the listing."""
    MINGTE_QUALITY_TEST = "mingte_quality_test"
    """名特优新: a quality test every three years (the plan)."""


# Every member's plain value, looked up: `.value` is a Python-level property of Enum, read five
# times a record. Members of two enums with one value (Kind.TRANSFER, Action.TRANSFER) are one
# key here, as StrEnums, and have one value.
_VALUES: dict[str, str] = {
    member: member.value for enum in (Scheme, Status, Action, Flag, Kind) for member in enum
}


class Severity(StrEnum):
    """How bad a problem is: an error leaves its row out, a warning (提醒) does not."""

    ERROR = "error"
    WARNING = "warning"


class ProblemCode(StrEnum):
    """What is wrong. The severity belongs to the code (SEVERITY below)."""

    # Whole-file failures: nothing of the file can be used.
    NOT_FOUND = "not_found"
    """The register file does not exist."""
    UNREADABLE = "unreadable"
    """The file exists but cannot be read (permissions, a directory, an I/O error)."""
    SPREADSHEET = "spreadsheet"
    """A legacy Excel workbook (.xls): save it as .xlsx or CSV."""
    SPREADSHEET_DAMAGED = "spreadsheet_damaged"
    """An .xlsx that cannot be read: cut short, not a workbook, or inflating beyond reason."""
    NO_SHEET = "no_sheet"
    """The sheet named with --sheet is not in the workbook (or no sheet is visible)."""
    ENCODING = "encoding"
    """Neither UTF-8 nor GB18030 (or not the encoding given with --encoding)."""
    EMPTY_FILE = "empty_file"
    """No line with any text."""
    CHANGED = "changed"
    """The file was written to (cut short, grown, rewritten) while it was being read."""
    NO_HEADER = "no_header"
    """No row names the required columns within the lines searched."""
    # Rows.
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
    DUPLICATE_ACROSS = "duplicate_across"
    """The certificate number and expiry were already seen in another register of the run."""
    EXTRA_CELLS = "extra_cells"
    """The row has more non-empty cells than the header has columns."""
    MERGED_CELLS = "merged_cells"
    """Rows whose holder, scheme or place are empty under a filled row: merged cells exported."""
    UNPAIRED_NUMBERS = "unpaired_numbers"
    """Several certificate numbers in one cell that do not pair up with the products."""
    CELL_TOO_LARGE = "cell_too_large"
    """A cell over the CSV reader's size limit."""
    UNCLOSED_QUOTE = "unclosed_quote"
    """The lines after a stray quote, past the cell size limit before a whole row or the end
    of the file: not kept, so not read as rows either, and reported as one problem."""
    # Warnings: the row is still read. The last four come from `renewal check` only.
    STRAY_QUOTE = "stray_quote"
    """A quote that opens a cell and never closes where a cell should: the lines are read as rows."""
    NUMBER_CLASH = "number_clash"
    """An earlier row holds the number for another holder and another product or place: a
    mistake in the register, not a repeat. Both rows are read; `renewal check` counts it as
    an error (Problem.level)."""
    NUMBER_SCHEME_MISMATCH = "number_scheme_mismatch"
    """A number of the other scheme's form (an organic certificate with a green food LB- number,
    a green food certificate with an organic nnnnOP… number): read as written."""
    FILED_BEFORE_ISSUE = "filed_before_issue"
    """The filing predates the certificate, so it belongs to the previous cycle and is ignored."""
    DATE_NOTE = "date_note"
    """A note after a date (2024-03-04（已续展）): the date is read, the note is not."""
    SUMMARY_ROW = "summary_row"
    """A 合计, 制表人 or 填表说明 row: counted, not a certificate."""
    OVERLAP = "overlap"
    """Two certificates of one holder and product whose validity overlaps."""
    EXPIRY_MISMATCH = "expiry_mismatch"
    """The expiry is not what the issue date and the scheme's validity give."""
    FILED_AFTER_EXPIRY = "filed_after_expiry"
    """A filing dated after the certificate expired: a new application, not a renewal."""


SEVERITY: dict[ProblemCode, Severity] = {
    code: Severity.WARNING
    for code in (
        ProblemCode.STRAY_QUOTE,
        ProblemCode.NUMBER_CLASH,
        ProblemCode.NUMBER_SCHEME_MISMATCH,
        ProblemCode.FILED_BEFORE_ISSUE,
        ProblemCode.DATE_NOTE,
        ProblemCode.SUMMARY_ROW,
        ProblemCode.OVERLAP,
        ProblemCode.EXPIRY_MISMATCH,
        ProblemCode.FILED_AFTER_EXPIRY,
    )
}

FILE_CODES = frozenset(
    {
        ProblemCode.NOT_FOUND,
        ProblemCode.UNREADABLE,
        ProblemCode.SPREADSHEET,
        ProblemCode.SPREADSHEET_DAMAGED,
        ProblemCode.NO_SHEET,
        ProblemCode.ENCODING,
        ProblemCode.EMPTY_FILE,
        ProblemCode.CHANGED,
        ProblemCode.NO_HEADER,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong: in a cell, in a row (no column), in a run of rows, or in the whole file.

    `line` is the physical line where the row starts (the header is on some line ≥ 1); 0 for a
    file that could not be read at all. `end_line` is set when one problem covers several rows.
    Keyword-only, as the pydantic model it was: `code` is required but follows fields with
    defaults.
    """

    source: str
    line: int = 0
    end_line: int | None = None
    column: int | None = None
    """1-based column number (A = 1), None when the problem is about the row or the file."""
    header: str = ""
    letter: str = ""
    value: str = ""
    code: ProblemCode
    detail: dict[str, str] = field(default_factory=dict)
    """Values for the message's placeholders. Each problem gets its own dict (never a shared
    default); the one given is kept as it is, and every maker passes a fresh one."""
    level: Severity | None = None
    """The severity a command gives the problem when it is not the code's: `renewal check`
    counts a number clash as an error, while reading warns of it and keeps both rows."""

    @property
    def severity(self) -> Severity:
        return self.level or SEVERITY.get(self.code, Severity.ERROR)

    @property
    def fatal(self) -> bool:
        """Whether the whole file is unusable."""
        return self.code in FILE_CODES


@dataclass(frozen=True, slots=True, init=False)
class Certificate:
    """One certificate as the register gives it, cleaned and with both dates known.

    A slotted dataclass, not a pydantic model: the register has validated every cell before it
    builds one, and a national register holds 10^5 of them (about 300 bytes each here, 4 KB as
    a pydantic model with its fields-set)."""

    cert_id: str
    enterprise: str
    product: str
    scheme: Scheme
    city: str
    county: str | None
    issued_on: date | None = None
    """None only for rows without a certificate (a planned application, a 名特优新 listing)."""
    expires_on: date | None = None
    filed_on: date | None = None
    grade: str | None = None
    """A/AA for green food, when the register records it (supersession must match it)."""
    base: str | None = None
    """The production base (基地), when the register records it."""
    certifier: str | None = None
    """The organic certification body (认证机构); another than COFCC means a transfer."""
    sowing_on: date | None = None
    """Planned sowing of an annual crop applying for organic certification."""
    inspected_on: date | None = None
    """The last green food annual inspection (年检日期)."""
    listed_on: date | None = None
    """名特优新: the listing date (收录日期)."""
    confirmed_on: date | None = None
    """名特优新: the last annual confirmation applied for."""
    tested_on: date | None = None
    """名特优新: the last quality test."""
    recorded: frozenset[str] = frozenset()
    """Which of inspected_on, confirmed_on and tested_on the register has a column for: where
    it has none, a missed inspection, confirmation or test cannot be told from one not kept."""
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    source: str = ""
    line: int = 0

    def __init__(
        self,
        cert_id: str,
        enterprise: str,
        product: str,
        scheme: Scheme,
        city: str,
        county: str | None,
        issued_on: date | None = None,
        expires_on: date | None = None,
        filed_on: date | None = None,
        grade: str | None = None,
        base: str | None = None,
        certifier: str | None = None,
        sowing_on: date | None = None,
        inspected_on: date | None = None,
        listed_on: date | None = None,
        confirmed_on: date | None = None,
        tested_on: date | None = None,
        recorded: frozenset[str] = frozenset(),
        contact: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        source: str = "",
        line: int = 0,
    ) -> None:
        # Filled as an _OpenCertificate, the same slots without the frozen __setattr__, then
        # made a Certificate again: plain attribute stores are several times cheaper than the
        # frozen dataclass's object.__setattr__ for each of the 23 fields (or a call of each
        # slot's descriptor), and a national register makes 10^5 certificates. Once built it
        # is as frozen as ever. tests/test_fast_paths.py holds the parameters, their defaults
        # and the slots they fill to the fields above.
        _set_class(self, "__class__", _OpenCertificate)
        opened: _OpenCertificate = self  # type: ignore[assignment]
        opened.cert_id = cert_id
        opened.enterprise = enterprise
        opened.product = product
        opened.scheme = scheme
        opened.city = city
        opened.county = county
        opened.issued_on = issued_on
        opened.expires_on = expires_on
        opened.filed_on = filed_on
        opened.grade = grade
        opened.base = base
        opened.certifier = certifier
        opened.sowing_on = sowing_on
        opened.inspected_on = inspected_on
        opened.listed_on = listed_on
        opened.confirmed_on = confirmed_on
        opened.tested_on = tested_on
        opened.recorded = recorded
        opened.contact = contact
        opened.phone = phone
        opened.email = email
        opened.source = source
        opened.line = line
        opened.__class__ = Certificate  # type: ignore[assignment]


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkPlan:
    """A provincial work plan as loaded: shipped with the package (policies/<year>.toml) or
    declared in a policy file ([<year>.plan]). What an output may cite by title."""

    year: int
    """The plan year it was issued for."""
    title: str
    """The title as the office cites it, without the book-title marks 《》."""
    issued_on: date | None = None
    file: str | None = None
    """The policy file it was read from; None for a plan shipped with the package."""
    fee_relief_tiers: tuple[str, ...] = ()
    """The county tiers the plan itself grants fee relief (notices promise only these)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """The rule an item was judged by, so no output has to look the policy up again.

    Hashable (an item holding it is), and keyword-only like the pydantic model it was."""

    validity_years: int | None = None
    lead_months: int = 0
    lead_days: int = 0
    every_years: int | None = None
    source: RuleSource
    plan: WorkPlan | None = None
    """The work plan in force when the item was judged (its year may be earlier than the plan
    year asked, when that year's plan is not loaded)."""
    set_by: str | None = None
    """A policy file that set this rule's value outside a declared plan: cited instead of it."""


@dataclass(frozen=True, slots=True, kw_only=True, init=False)
class ScheduleItem:
    """A certificate seen on AS_OF: what is due, by when, and what to do (a slotted
    dataclass, like Certificate: every field is computed by obligations.py)."""

    certificate: Certificate
    kind: Kind = Kind.RENEWAL
    as_of: date
    plan_year: int
    rule: Rule
    file_by: date
    submit_by: date | None = None
    """The last working day on or before file_by (holidays and 调休 counted)."""
    ends_on: date | None = None
    """The last day the obligation can still be met: the expiry for a renewal, the end of the
    certificate year for an inspection, the anniversary for a confirmation, sowing for an
    application."""
    filed_on: date | None
    """The filing known on AS_OF (a filing dated after AS_OF is ignored)."""
    days_left: int
    status: Status
    action: Action
    flags: tuple[Flag, ...]
    superseded_by: str | None = None
    """The number of the later certificate that replaced this one (status superseded)."""

    def __init__(
        self,
        *,
        certificate: Certificate,
        kind: Kind = Kind.RENEWAL,
        as_of: date,
        plan_year: int,
        rule: Rule,
        file_by: date,
        submit_by: date | None = None,
        ends_on: date | None = None,
        filed_on: date | None,
        days_left: int,
        status: Status,
        action: Action,
        flags: tuple[Flag, ...],
        superseded_by: str | None = None,
    ) -> None:
        # Filled as an _OpenItem (the same slots, not frozen), as Certificate.__init__ is
        # and for the same reason: scheduling a national register makes 10^5 items.
        # tests/test_fast_paths.py holds the parameters, their defaults and the slots they
        # fill to the fields above.
        _set_class(self, "__class__", _OpenItem)
        opened: _OpenItem = self  # type: ignore[assignment]
        opened.certificate = certificate
        opened.kind = kind
        opened.as_of = as_of
        opened.plan_year = plan_year
        opened.rule = rule
        opened.file_by = file_by
        opened.submit_by = submit_by
        opened.ends_on = ends_on
        opened.filed_on = filed_on
        opened.days_left = days_left
        opened.status = status
        opened.action = action
        opened.flags = flags
        opened.superseded_by = superseded_by
        opened.__class__ = ScheduleItem  # type: ignore[assignment]

    def record(self) -> dict[str, Any]:
        """The stable flat record shared by JSON and CSV (keys are a public contract)."""
        c = self.certificate
        return {
            "cert_id": c.cert_id,
            "enterprise": c.enterprise,
            "product": c.product,
            "scheme": _VALUES[c.scheme],
            "city": c.city,
            "county": c.county,
            "issued_on": c.issued_on.isoformat() if c.issued_on else None,
            "expires_on": c.expires_on.isoformat() if c.expires_on else None,
            "file_by": self.file_by.isoformat(),
            "filed_on": self.filed_on.isoformat() if self.filed_on else None,
            "days_left": self.days_left,
            "status": _VALUES[self.status],
            "action": _VALUES[self.action],
            "flags": [_VALUES[f] for f in self.flags],
            "kind": _VALUES[self.kind],
            "as_of": self.as_of.isoformat(),
            "plan_year": self.plan_year,
            "superseded_by": self.superseded_by,
            "submit_by": (self.submit_by or self.file_by).isoformat(),
            "certifier": c.certifier,
            "contact": c.contact,
            "phone": c.phone,
            "email": c.email,
        }

    @property
    def last_day(self) -> date:
        """ends_on, or the file-by day when an item has no later limit."""
        return self.ends_on or self.file_by


# Certificate.__init__ and ScheduleItem.__init__ fill a new object as one of these: the same
# slots in the same order (so the object may change class), without the frozen __setattr__.
_set_class = object.__setattr__


class _OpenCertificate:
    __slots__ = tuple(f.name for f in fields(Certificate))
    if TYPE_CHECKING:
        cert_id: str
        enterprise: str
        product: str
        scheme: Scheme
        city: str
        county: str | None
        issued_on: date | None
        expires_on: date | None
        filed_on: date | None
        grade: str | None
        base: str | None
        certifier: str | None
        sowing_on: date | None
        inspected_on: date | None
        listed_on: date | None
        confirmed_on: date | None
        tested_on: date | None
        recorded: frozenset[str]
        contact: str | None
        phone: str | None
        email: str | None
        source: str
        line: int


class _OpenItem:
    __slots__ = tuple(f.name for f in fields(ScheduleItem))
    if TYPE_CHECKING:
        certificate: Certificate
        kind: Kind
        as_of: date
        plan_year: int
        rule: Rule
        file_by: date
        submit_by: date | None
        ends_on: date | None
        filed_on: date | None
        days_left: int
        status: Status
        action: Action
        flags: tuple[Flag, ...]
        superseded_by: str | None


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
    "kind",
    "as_of",
    "plan_year",
    "superseded_by",
    "submit_by",
    "certifier",
    "contact",
    "phone",
    "email",
)

# Record fields that hold register text as typed (CSV neutralises formulas in these only).
TEXT_KEYS = frozenset(
    {"cert_id", "enterprise", "product", "superseded_by", "certifier", "contact", "phone", "email"}
)
