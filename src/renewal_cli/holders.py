"""Items grouped by holder: the call list, the notices and the holders' mail (issue 11).

A holder is a name in a place (domain.md §6, rules.holder_of): the name after the same folding
as place names (full-width forms, every kind of space, case), so "广西 甲公司" and "广西甲公司"
are one holder, together with the county, or the city for a row without one. Two co-operatives
of one name in two counties are two holders, with their own rows, notices and mail. A holder's
contact, phone and e-mail are the first ones the register gives for any of its certificates.
Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from renewal_cli.models import Certificate, Flag, Kind, ScheduleItem, Status
from renewal_cli.places import clean
from renewal_cli.rules import holder_of
from renewal_cli.sources import clean_cell

FEE_FLAGS = (Flag.FEE_WAIVER, Flag.FEE_DISCOUNT_35)
# Items a holder still has to act on (a notice and a call are about these).
OPEN_STATUSES = frozenset({Status.PENDING, Status.LATE, Status.EXPIRED})


def holder_name_key(name: str) -> str:
    """A holder's name as compared: full-width forms folded, spaces dropped, case ignored."""
    return clean(name).casefold()


@dataclass
class Holder:
    """One holder and its items, in the order given (file-by day first)."""

    name: str
    """The name as first written in the register."""
    items: list[ScheduleItem] = field(default_factory=list)
    place: str = ""
    """Where it is: the county, or the city for certificates without a county."""

    @property
    def key(self) -> tuple[str, str]:
        """The holder as compared: its folded name and its place (rules.holder_of)."""
        return holder_of(self.name, self.place, None)

    def owns(self, certificate: Certificate) -> bool:
        """Whether a certificate is this holder's (the same name in the same place)."""
        c = certificate
        return holder_of(c.enterprise, c.city, c.county) == self.key

    @property
    def certificates(self) -> list[Certificate]:
        """Each certificate once, in the order of its first item."""
        seen: dict[tuple[str, str, int], Certificate] = {}
        for item in self.items:
            c = item.certificate
            seen.setdefault((c.source, c.cert_id, c.line), c)
        return list(seen.values())

    def _first(self, name: str) -> str | None:
        """The first non-empty value in register order (file, then line)."""
        for c in sorted(self.certificates, key=lambda c: (c.source, c.line)):
            value = getattr(c, name)
            if value:
                return str(value)
        return None

    @property
    def contact(self) -> str | None:
        return self._first("contact")

    @property
    def phone(self) -> str | None:
        return self._first("phone")

    @property
    def email(self) -> str | None:
        return self._first("email")

    @property
    def emails(self) -> list[tuple[str, Certificate]]:
        """Each different e-mail address the register gives (compared without case or spaces),
        with the first certificate giving it, in register order: the first is `email`."""
        found: dict[str, tuple[str, Certificate]] = {}
        for c in sorted(self.certificates, key=lambda c: (c.source, c.line)):
            if c.email:
                found.setdefault("".join(c.email.split()).casefold(), (c.email, c))
        return list(found.values())

    @property
    def city(self) -> str:
        return self.certificates[0].city

    @property
    def county(self) -> str | None:
        return self.certificates[0].county

    @property
    def open_items(self) -> list[ScheduleItem]:
        """The items it still has to act on (pending, late, expired)."""
        return [item for item in self.items if item.status in OPEN_STATUSES]

    @property
    def file_by(self) -> date:
        """The earliest file-by day of its open items (of all, when none is open)."""
        return min(item.file_by for item in self.open_items or self.items)

    @property
    def submit_by(self) -> date:
        """The earliest last working day to hand the papers in (open items first, as file_by)."""
        return min(item.submit_by or item.file_by for item in self.open_items or self.items)

    @property
    def kinds(self) -> list[Kind]:
        return sorted({item.kind for item in self.items}, key=list(Kind).index)

    @property
    def fee_flags(self) -> list[Flag]:
        """The fee relief any of its items carries (waiver for green, 35 % off for organic)."""
        return [f for f in FEE_FLAGS if any(f in item.flags for item in self.items)]


def group_by_holder(items: Iterable[ScheduleItem]) -> list[Holder]:
    """Holders in the order of their earliest item, each with its items in the given order."""
    holders: dict[tuple[str, str], Holder] = {}
    for item in items:
        c = item.certificate
        key = holder_of(c.enterprise, c.city, c.county)
        holder = holders.get(key)
        if holder is None:
            holder = holders[key] = Holder(name=c.enterprise, place=key[1])
        holder.items.append(item)
    for holder in holders.values():
        # The name as the register first writes it (file, then line), whatever the deadlines.
        first = min(holder.certificates, key=lambda c: (c.source, c.line))
        holder.name = first.enterprise
    return sorted(holders.values(), key=lambda h: (h.submit_by, h.file_by, h.key))


@dataclass(frozen=True)
class Office:
    """Who sends a notice: the issuing office, how to reach it, and an optional letterhead.

    From command-line options or the policy file's [office] table; never built in."""

    name: str
    contact: str | None = None
    """A person and a phone number, as the notice prints them (联系人：… 电话：…)."""
    letterhead: str | None = None
    """A line printed above the title (the office's full name, a document number …)."""

    def __post_init__(self) -> None:
        # Typed by a person (options, the policy file), and printed in notices, mail and on the
        # terminal: cleaned as register cells are (no controls, bidi controls or what XML
        # cannot hold; bytes of an argument that were not UTF-8 are dropped).
        for name in ("name", "contact", "letterhead"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, clean_cell(value).strip())


def holder_labels(holders: Sequence[Holder]) -> dict[tuple[str, str], str]:
    """Each holder's name as its files and lines show it: with its place when another holder
    of the run has the same name (namesakes in two counties), as `renewal notice` names them."""
    names = Counter(holder.key[0] for holder in holders)
    return {
        holder.key: holder.name if names[holder.key[0]] == 1 else f"{holder.name}-{holder.place}"
        for holder in holders
    }
