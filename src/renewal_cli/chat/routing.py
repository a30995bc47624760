"""Which group gets which items: pure planning, no I/O.

With a webhooks file, each place's robots get exactly that place (a city's robot every county of
it, a county's robot that county), and items no robot covers are returned, to be reported,
never dropped in silence. A single `--webhook` gets every selected item in one digest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from renewal_cli.chat.webhooks import Webhook
from renewal_cli.models import ScheduleItem
from renewal_cli.places import Places, Scope


@dataclass(frozen=True)
class Group:
    """One robot's digest: the place it is about (None: the whole selection) and its items."""

    place: str | None
    webhook: Webhook
    items: tuple[ScheduleItem, ...]


def plan_groups(
    items: Sequence[ScheduleItem],
    *,
    webhooks: Mapping[str, Sequence[Webhook]] | None = None,
    webhook: Webhook | None = None,
    scope: Scope | None = None,
    places: Places | None = None,
) -> tuple[list[Group], list[ScheduleItem]]:
    """The groups to send to, and the items no group gets (to report).

    Places of the file outside the scope get nothing rather than a misleading "nothing to do";
    with `webhooks`, `places` must be given to tell cities from counties.
    """
    scope = scope or Scope()
    if webhooks is None:
        assert webhook is not None
        return [Group(place=scope.label(), webhook=webhook, items=tuple(items))], []
    assert places is not None
    groups: list[Group] = []
    covered: set[int] = set()
    for where, robots in webhooks.items():
        if not scope.touches(where, places):
            continue
        mine = tuple(i for i in items if where in (i.certificate.city, i.certificate.county))
        covered.update(id(i) for i in mine)
        groups += [Group(place=where, webhook=robot, items=mine) for robot in robots]
    return groups, [i for i in items if id(i) not in covered]
