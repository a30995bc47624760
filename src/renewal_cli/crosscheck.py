"""What `renewal check` adds to the problems of reading: checks across certificates.

Pure: certificates in, warnings out. Overlapping validity of one holder and product (beyond a
renewal that starts the day after its predecessor ends), an expiry that is not issue + validity,
and a filing after expiry. Repeats, bad cells, unknown places (with the nearest names), summary
rows, merged-cell gaps and stray quotes come from reading the register itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from renewal_cli.dates import expiry_from_issue
from renewal_cli.models import Certificate, Problem, ProblemCode, Scheme
from renewal_cli.policy import Policy
from renewal_cli.rules import holder_of, number_key


def _warning(c: Certificate, code: ProblemCode, **detail: str) -> Problem:
    return Problem(source=c.source, line=c.line, code=code, detail=detail)


def overlap_key(c: Certificate, name: str | None = None) -> tuple[str, ...]:
    """What `overlaps` groups certificates by: scheme, holder (a name in a place), product,
    grade and base, folded; `name` is the holder's name as compared (rules.text_key), when
    it is known already."""

    def fold(value: str | None) -> str:
        return "".join((value or "").split()).casefold()

    # A holder is a name in a place: namesakes in two counties may grow the same product.
    if name is None:
        name, place = holder_of(c.enterprise, c.city, c.county)
    else:
        place = c.county or c.city
    return (c.scheme.value, name, place, fold(c.product), fold(c.grade), fold(c.base))


def overlaps(certificates: Sequence[Certificate]) -> Iterable[Problem]:
    """One holder (a name in a place) and product (and grade and base) certified twice for
    the same days."""
    groups: dict[tuple[str, ...], list[Certificate]] = {}
    for c in certificates:
        if c.issued_on and c.expires_on and c.scheme is not Scheme.MINGTE:
            groups.setdefault(overlap_key(c), []).append(c)
    for group in groups.values():
        ordered = sorted(group, key=lambda c: (c.issued_on, c.expires_on, c.line))
        for earlier, later in itertools.pairwise(ordered):
            assert earlier.expires_on and later.issued_on
            same = number_key(earlier.cert_id) == number_key(later.cert_id)
            if later.issued_on <= earlier.expires_on and not (
                same and later.expires_on == earlier.expires_on
            ):
                yield _warning(
                    later,
                    ProblemCode.OVERLAP,
                    other_line=str(earlier.line),
                    other=earlier.cert_id,
                )


def date_checks(certificates: Iterable[Certificate], policy: Policy) -> Iterable[Problem]:
    """An expiry off issue + validity; a filing after the expiry."""
    for c in certificates:
        if not (c.issued_on and c.expires_on) or c.scheme is Scheme.MINGTE:
            continue
        validity = policy.rule(c.scheme).validity_years or 1
        expected = expiry_from_issue(c.issued_on, validity)
        if c.expires_on != expected:
            yield _warning(
                c,
                ProblemCode.EXPIRY_MISMATCH,
                validity=str(validity),
                expected=expected.isoformat(),
            )
        if c.filed_on and c.filed_on > c.expires_on:
            yield _warning(c, ProblemCode.FILED_AFTER_EXPIRY, expires_on=c.expires_on.isoformat())


def check(certificates: Sequence[Certificate], policy: Policy) -> list[Problem]:
    """Every cross-certificate warning, in file order."""
    found = [*overlaps(certificates), *date_checks(certificates, policy)]
    return sorted(found, key=lambda p: (p.source, p.line, p.code.value))
