"""The rules of domain.md §3 as pure functions: supersession, selection and order.

No I/O, no clock: AS_OF and the policy always come in as arguments, so the same inputs give the
same items on any machine, on any day. Each kind of obligation is judged in obligations.py; the
calendar arithmetic is dates.py: callers import those from there.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from renewal_cli.models import Certificate, Flag, Kind, ScheduleItem, Scheme, Status
from renewal_cli.obligations import obligations
from renewal_cli.places import Scope, SplitBy
from renewal_cli.policy import Policy

__all__ = [
    "Selection",
    "group_by_place",
    "holder_key",
    "holder_of",
    "lineage_keys",
    "lineage_keys_of",
    "number_key",
    "numbers_clash",
    "select",
    "successors",
]


def number_key(cert_id: str) -> str:
    """A certificate number as compared: case, full-width forms, spaces and hyphens ignored.

    `LB-45- 1`, `LB 45 1` and `lb-45-1` are one number typed three ways.
    """
    if cert_id.isascii():  # the usual case, without NFKC's cost (it changes nothing here)
        return "".join(cert_id.lower().split()).replace("-", "")
    folded = unicodedata.normalize("NFKC", cert_id).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-‐‑‒–—―－")


def text_key(value: str | None) -> str:
    """A holder's name, a product, a grade or a base as compared (full-width forms, spaces
    and case folded). Uncached: a pass over 10^6 rows of distinct holders (keys.py) would
    only churn the cache below."""
    return "".join(unicodedata.normalize("NFKC", value or "").casefold().split())


# Holders, products, grades and bases repeat down a register.
_text_key = lru_cache(maxsize=65536)(text_key)


def holder_key(enterprise: str | None, product: str | None) -> tuple[str, str]:
    """The holder's name and the product as compared (folded: full-width forms, spaces, case)."""
    return _text_key(enterprise), _text_key(product)


def holder_of(enterprise: str | None, city: str, county: str | None) -> tuple[str, str]:
    """A holder as compared: its folded name in its place, the county or, for a row without
    one, the city (domain.md §6). Co-operatives of one name exist in many counties: namesakes
    in two places are two holders."""
    return _text_key(enterprise), county or city


def numbers_clash(
    one: tuple[str | None, str | None, str, str | None],
    other: tuple[str | None, str | None, str, str | None],
) -> bool:
    """Whether two rows holding one certificate number, each given as (holder, product, city,
    county), are a number clash (domain.md §3): the holders' names differ, and so does the
    product or the place. Neither is then a repeat or a later cycle of the other.

    The same number under another name for the same product in the same place is not a clash:
    the holder renamed (or its name typed otherwise), and it stays a repeat or a later cycle.
    """
    holder, product, city, county = one
    other_holder, other_product, other_city, other_county = other
    return _text_key(holder) != _text_key(other_holder) and (
        _text_key(product) != _text_key(other_product)
        or (county or city) != (other_county or other_city)
    )


def _clash_of(one: Certificate, other: Certificate) -> bool:
    """`numbers_clash` of two certificates (that share a number)."""
    return numbers_clash(
        (one.enterprise, one.product, one.city, one.county),
        (other.enterprise, other.product, other.city, other.county),
    )


def lineage_keys(
    scheme: Scheme,
    grade: str | None,
    base: str | None,
    cert_id: str,
    enterprise: str | None,
    product: str | None,
    place: str = "",
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Two keys under which a later cycle is found: its number (organic numbers stay the same
    on re-certification) and its holder and product (green numbers change), the holder being a
    name in a place (`place`: the county, else the city). Of two certificates sharing the
    number, one is never the later cycle of the other when they clash (`numbers_clash`)."""
    same = _same_kind(scheme, grade, base)
    return (*same, "#", number_key(cert_id)), (
        *same,
        "@",
        _text_key(enterprise),
        _text_key(product),
        place,
    )


@lru_cache(maxsize=4096)  # a register has few grades and bases
def _same_kind(scheme: Scheme, grade: str | None, base: str | None) -> tuple[str, str, str]:
    return scheme.value, _text_key(grade), _text_key(base)


def lineage_keys_of(c: Certificate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`lineage_keys` of a certificate read."""
    return lineage_keys(
        c.scheme, c.grade, c.base, c.cert_id, c.enterprise, c.product, c.county or c.city
    )


def successors(certificates: Sequence[Certificate], as_of: date) -> dict[int, Certificate]:
    """For each certificate (by index) the later certificate that supersedes it on AS_OF.

    A later certificate has the same scheme, the same number or the same holder and product,
    the same grade and base, is issued later and expires later, and is issued on or before
    AS_OF. The holder is a name in a place (`holder_of`), and a certificate whose number clashes
    with this one's (another holder, another product or place: `numbers_clash`) is no later
    cycle of it. When several qualify, the earliest issued (the next cycle) is named, the first
    of them met (same number first, then same holder and product, each in register order).
    """
    # A successor is issued after the certificate and by AS_OF, so a certificate issued after
    # AS_OF has none: only those issued by AS_OF are keyed, and only a key two of them share
    # can name a successor. Numbers first, then holders, each in register order: the order
    # the candidates were always met in, so of equals the same one is named.
    numbers: dict[tuple[object, ...], int] = {}
    holders: dict[tuple[object, ...], int] = {}
    shared_numbers: dict[tuple[object, ...], list[int]] = {}
    shared_holders: dict[tuple[object, ...], list[int]] = {}
    for index, c in enumerate(certificates):
        issued, expires = c.issued_on, c.expires_on
        if issued is None or expires is None or issued > as_of:
            continue
        same = _same_kind(c.scheme, c.grade, c.base)
        cert_id = c.cert_id
        # number_key of the usual number (ASCII letters, digits and hyphens) without its call:
        # this loop keys every certificate of a national register.
        if cert_id.isascii() and cert_id.replace("-", "").isalnum():
            number = (same, cert_id.lower().replace("-", ""))
        else:
            number = (same, number_key(cert_id))
        first = numbers.setdefault(number, index)
        if first != index:
            shared_numbers.setdefault(number, [first]).append(index)
        # Holders are mostly met once (their key is not cached); products repeat.
        holder = (same, text_key(c.enterprise), _text_key(c.product), c.county or c.city)
        first = holders.setdefault(holder, index)
        if first != index:
            shared_holders.setdefault(holder, [first]).append(index)
    best: dict[int, Certificate] = {}
    for group in shared_numbers.values():
        _name_successors(certificates, group, best, apart=_clash_of)
    for group in shared_holders.values():
        _name_successors(certificates, group, best)
    return {index: best[index] for index in sorted(best)}


def _name_successors(
    certificates: Sequence[Certificate],
    group: list[int],
    best: dict[int, Certificate],
    apart: Callable[[Certificate, Certificate], bool] | None = None,
) -> None:
    """Within one group of certificates sharing a key, keep in `best` each one's earliest
    issued successor so far (strictly earlier only: of equals, the first met stays). Two that
    are `apart` (numbers that clash) are never each other's successor."""
    members = [(index, certificates[index]) for index in group]
    for index, c in members:
        issued, expires = c.issued_on, c.expires_on
        assert issued is not None and expires is not None
        for _, other in members:
            assert other.issued_on is not None and other.expires_on is not None
            if other.issued_on > issued and other.expires_on > expires:
                if apart is not None and apart(c, other):
                    continue
                named = best.get(index)
                if named is None or (named.issued_on or issued) > other.issued_on:
                    best[index] = other


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """Which items a command shows. Empty filter sets mean "any".

    A plain dataclass: its one maker (request.build_request) has parsed every option into
    frozensets of members and whole days already, so there is nothing left to validate.
    Keyword-only, as the pydantic model it was."""

    scope: Scope = field(default_factory=Scope)
    kinds: frozenset[Kind] = frozenset()
    schemes: frozenset[Scheme] = frozenset()
    statuses: frozenset[Status] = frozenset()
    flags: frozenset[Flag] = frozenset()
    within: int = 120
    expired_within: int = 365
    all: bool = False


def in_window(item: ScheduleItem, selection: Selection) -> bool:
    """The default selection: what needs attention now (ignored under --all)."""
    as_of = item.as_of
    if item.status is Status.PENDING:
        return item.file_by <= as_of + timedelta(days=selection.within)
    if item.status is Status.LATE:
        return as_of <= item.last_day
    if item.status is Status.EXPIRED:
        return as_of - timedelta(days=selection.expired_within) <= item.last_day
    return False


def selected(item: ScheduleItem, selection: Selection) -> bool:
    """Whether `item` is shown: the window (unless --all), narrowed by every filter."""
    c = item.certificate
    if not selection.scope.contains(c.city, c.county):
        return False
    if selection.kinds and item.kind not in selection.kinds:
        return False
    if selection.schemes and c.scheme not in selection.schemes:
        return False
    if selection.statuses and item.status not in selection.statuses:
        return False
    if selection.flags and not selection.flags.intersection(item.flags):
        return False
    return selection.all or in_window(item, selection)


_KIND_ORDER = {kind: n for n, kind in enumerate(Kind)}


def order_key(item: ScheduleItem) -> tuple[int, str, str, str, int, str]:
    """Items are listed by file-by day, then city, county, certificate number and kind.

    The day as its ordinal, in the same order as the dates: list.sort has a fast path for
    tuples led by ints (10^5 items sort about a tenth faster).
    """
    c = item.certificate
    return (
        item.file_by.toordinal(),
        c.city,
        c.county or "",
        c.cert_id,
        _KIND_ORDER[item.kind],
        c.enterprise,
    )


_PENDING, _LATE, _EXPIRED = Status.PENDING, Status.LATE, Status.EXPIRED


def _item_test(selection: Selection, as_of: date) -> Callable[[ScheduleItem], bool] | None:
    """`selected` less the certificate's own tests (scope, scheme), with the window's days
    worked out once for the run rather than once an item; None when it keeps every item."""
    kinds, statuses, flags, every = (
        selection.kinds,
        selection.statuses,
        selection.flags,
        selection.all,
    )
    if every and not (kinds or statuses or flags):
        return None
    try:
        pending_until = as_of + timedelta(days=selection.within)
        expired_since = as_of - timedelta(days=selection.expired_within)
    except OverflowError:  # a window past the calendar's end: let in_window meet it per item
        return lambda item: selected(item, selection)

    def test(item: ScheduleItem) -> bool:
        if (
            (kinds and item.kind not in kinds)
            or (statuses and item.status not in statuses)
            or (flags and flags.isdisjoint(item.flags))
        ):
            return False
        status = item.status
        if every:
            return True
        if status is _PENDING:
            return item.file_by <= pending_until
        if status is _LATE:
            return as_of <= (item.ends_on or item.file_by)
        if status is _EXPIRED:
            return expired_since <= (item.ends_on or item.file_by)
        return False

    return test


def select(
    certificates: Iterable[Certificate], as_of: date, policy: Policy, selection: Selection
) -> list[ScheduleItem]:
    """Schedule every certificate and keep the selected items, in order.

    Every certificate is held once, because a row's next cycle may come later in the file.
    """
    held = list(certificates)
    later = successors(held, as_of)
    test = _item_test(selection, as_of)
    in_scope, schemes = selection.scope.contains, selection.schemes
    items: list[ScheduleItem] = []
    for index, c in enumerate(held):
        # What `selected` asks of the certificate itself, asked before scheduling it: a
        # certificate held only to find the next cycles of others gives no item shown.
        if not in_scope(c.city, c.county) or (schemes and c.scheme not in schemes):
            continue
        found = obligations(c, as_of, policy, later.get(index))
        items.extend(found if test is None else filter(test, found))
    items.sort(key=order_key)
    return items


def group_by_place(items: Iterable[ScheduleItem], by: SplitBy) -> dict[str, list[ScheduleItem]]:
    """Items grouped by city or county name, places sorted, items in their given order.

    Splitting by county, items without a county (the city's own level) go under the city's name.
    """
    groups: dict[str, list[ScheduleItem]] = {}
    for item in items:
        c = item.certificate
        key = c.city if by is SplitBy.CITY or c.county is None else c.county
        groups.setdefault(key, []).append(item)
    return {key: groups[key] for key in sorted(groups)}
