"""Plain rows: the usual data row of a register, read with a few lookups instead of RowReader.

Why: a register read for a city reads about 10^5 rows in full, nearly all of them alike: one
ASCII number, a known scheme, dates and a place met before, nothing in the other columns, a
number met for the first time. Such a row gives what RowReader.read gives it (one
certificate, no problem), and `plain_certificate` builds that certificate from lookups in the
reading's caches (rowreader.Context). Anything else gives None, and the row falls back to the
full reading, which reports whatever it holds: a cell met for the first time (the full reading
caches it), a bad or unusual cell (a range, a note, several numbers, an Excel serial date), an
empty required cell, an extra cell, dates out of order, a number read before or of the other
scheme's form. Register._plain tells the row from blank, summary and merged rows first.
tests/test_plain_rows.py reads registers both ways and compares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from renewal_cli.cells import PADDING
from renewal_cli.header import Header
from renewal_cli.models import Certificate, Scheme
from renewal_cli.repeats import OTHER_FORM, Watched
from renewal_cli.rowreader import OTHER_DATES, Context

# The columns a header needs for its rows to be read by plain_certificate, in the order it takes
# them; and the columns it copies into a certificate as they are (None when empty).
PLAIN_FIELDS = (
    "cert_id",
    "enterprise",
    "product",
    "scheme",
    "city",
    "county",
    "issued_on",
    "expires_on",
)
COPIED = ("grade", "base", "certifier", "contact", "phone", "email")


@dataclass(frozen=True)
class Plain:
    """What plain_certificate needs of a header, worked out once per reading (`plain_plan`)."""

    take: Callable[[list[str]], tuple[str, ...]]
    """The cells of PLAIN_FIELDS, in that order."""
    filed: int
    """The column of filed_on, or -1."""
    dated: tuple[int, ...]
    """The columns of issued_on, expires_on (and filed_on): a workbook's number cell there is
    an Excel serial date, which only the full reading reads."""
    blank: tuple[int, ...]
    """Columns that must be empty for a row to be plain: the cells whose reading is more than
    a lookup (validity, the other kinds' dates, 产品编号 beside the number)."""
    copied: tuple[int, ...]
    """The columns of COPIED, -1 where the header has none; () when it has none of them."""
    span: int
    width: int
    recorded: frozenset[str]


def plain_plan(header: Header) -> Plain | None:
    """How to read the plain rows under `header`, or None when it lacks a column of
    PLAIN_FIELDS (then every row is read in full)."""
    positions = header.positions
    if any(name not in positions for name in PLAIN_FIELDS):
        return None
    special = ("validity", "cert_id_alt", *OTHER_DATES)
    copied = tuple(positions.get(name, -1) for name in COPIED)
    return Plain(
        take=itemgetter(*(positions[name] for name in PLAIN_FIELDS)),
        filed=positions.get("filed_on", -1),
        dated=tuple(
            positions[n] for n in ("issued_on", "expires_on", "filed_on") if n in positions
        ),
        blank=tuple(positions[name] for name in special if name in positions),
        copied=copied if max(copied) >= 0 else (),
        span=header.span,
        width=len(header.labels),
        recorded=header.recorded,
    )


def plain_certificate(
    context: Context, plan: Plain, line: int, row: list[str]
) -> Certificate | None:
    """The certificate of a plain row on `line`, or None when the row is not one (see the
    module): then it must be read in full."""
    if not plan.span <= len(row) <= plan.width:
        return None
    number, holder, product, scheme_text, city, county, issued, expires = [
        cell.strip(PADDING) for cell in plan.take(row)
    ]
    if not (holder and product and number.isascii() and number.replace("-", "").isalnum()):
        return None
    for index in plan.blank:
        if row[index].strip(PADDING):
            return None
    scheme = context.known_scheme(scheme_text)
    place = context.known_place(city, county)
    if scheme is None or scheme is Scheme.MINGTE or place is None:
        return None
    numeric = context.numeric
    if numeric and any((line, index + 1) in numeric for index in plan.dated):
        return None
    dates = _dates(context, plan, row, scheme, issued, expires)
    if dates is None:
        return None
    key = number.lower().replace("-", "")  # rules.number_key of such a number
    seen = context.seen
    if isinstance(seen, Watched):
        if seen.watches(key):
            return None
    elif key in seen:
        return None
    other = OTHER_FORM.get(scheme)
    if other is not None and other(key):
        return None
    issued_on, expires_on, filed_on = dates
    if not isinstance(seen, Watched):  # remembered as repeats.remember does
        seen[key] = (context.source, line, expires_on, holder, product, place[0], place[1])
    grade = base = certifier = contact = phone = email = None
    if plan.copied:
        grade, base, certifier, contact, phone, email = [
            (row[index].strip(PADDING) or None) if 0 <= index < len(row) else None
            for index in plan.copied
        ]
    return Certificate(
        cert_id=number,
        enterprise=holder,
        product=context.shared(product),
        scheme=scheme,
        city=place[0],
        county=place[1],
        issued_on=issued_on,
        expires_on=expires_on,
        filed_on=filed_on,
        grade=grade,
        base=base,
        certifier=certifier,
        recorded=plan.recorded,
        contact=contact,
        phone=phone,
        email=email,
        source=context.source,
        line=line,
    )


def _dates(
    context: Context, plan: Plain, row: list[str], scheme: Scheme, issued: str, expires: str
) -> tuple[date, date, date | None] | None:
    """The issue, expiry and filing dates of a plain row (a missing issue or expiry derived
    from the other, as RowReader.read derives it), or None when the row is not plain."""
    issued_on = expires_on = filed_on = None
    if issued:
        issued_on = context.plain_date(issued)
        if issued_on is None:
            return None
    if expires:
        expires_on = context.plain_date(expires)
        if expires_on is None:
            return None
    if plan.filed >= 0:
        filed = row[plan.filed].strip(PADDING)
        if filed:
            filed_on = context.plain_date(filed)
            if filed_on is None:
                return None
    if expires_on is None:
        if issued_on is None:
            return None
        expires_on = context.derived(issued_on, context.years(scheme), from_issue=True)
    elif issued_on is None:
        issued_on = context.derived(expires_on, context.years(scheme), from_issue=False)
    elif expires_on < issued_on:
        return None
    if filed_on is not None and filed_on < issued_on:
        return None
    return issued_on, expires_on, filed_on
