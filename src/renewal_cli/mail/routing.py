"""Who gets which items: pure planning of the messages, no I/O.

Each officer of a contacts file gets exactly their own area (a city's contact every county of
it, a county's contact that county); `--to` recipients get one message, or one per place with
--split-by. Items no contact covers are returned, to be reported, never dropped in silence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from renewal_cli.mail.contacts import Contact
from renewal_cli.models import ScheduleItem
from renewal_cli.places import Places, Scope, SplitBy
from renewal_cli.rules import group_by_place


class Batch(BaseModel):
    """One message to send: the place it is about, its recipients and its items."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    place: str | None
    recipients: tuple[str, ...]
    items: tuple[ScheduleItem, ...]


def plan_messages(
    items: Sequence[ScheduleItem],
    *,
    recipients: Sequence[str] = (),
    contacts: Mapping[str, Sequence[Contact]] | None = None,
    split_by: SplitBy | None = None,
    scope: Scope | None = None,
    places: Places | None = None,
) -> tuple[list[Batch], list[ScheduleItem]]:
    """The messages to send, and the items nobody gets (to report).

    Contacts whose place is outside the scope get nothing rather than a misleading "nothing to
    do"; with `contacts`, `places` must be given to tell cities from counties.
    """
    scope = scope or Scope()
    if contacts is not None:
        assert places is not None
        batches: list[Batch] = []
        covered: set[int] = set()
        for where, people in contacts.items():
            if not scope.touches(where, places):
                continue
            mine = [i for i in items if where in (i.certificate.city, i.certificate.county)]
            covered.update(id(i) for i in mine)
            batches.append(
                Batch(place=where, recipients=tuple(c.mailbox for c in people), items=tuple(mine))
            )
        return batches, [i for i in items if id(i) not in covered]
    if split_by is not None:
        groups = group_by_place(items, split_by)
        return [
            Batch(place=where, recipients=tuple(recipients), items=tuple(group))
            for where, group in groups.items()
        ], []
    return [Batch(place=scope.label(), recipients=tuple(recipients), items=tuple(items))], []
