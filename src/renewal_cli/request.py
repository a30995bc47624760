"""Checking what the user asked for: option values in, a Request (or a UsageProblem) out.

Pure: no printing, no exiting, no clock (cli.py passes today's date in). Every bad value raises
UsageProblem with a message id, which cli.py shows in the user's language with exit code 2.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from renewal_cli.messages import LABELS, Lang
from renewal_cli.models import Flag, Scheme, Status
from renewal_cli.options import SplitBy
from renewal_cli.places import City, County, Places, guangxi
from renewal_cli.policy import Policy, policy_for
from renewal_cli.register import SCHEMES, parse_date
from renewal_cli.rules import Selection


class UsageProblem(Exception):
    """A usage error found while checking options: message id and parameters."""

    def __init__(self, message_id: str, **params: object) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params


@dataclass(frozen=True)
class Request:
    """What the user asked to see, with names and dates already checked."""

    register: str | None
    encoding: str | None
    as_of: date
    policy: Policy
    selection: Selection
    lang: Lang
    strict: bool
    quiet: bool = False


T = TypeVar("T", bound=StrEnum)


def split_values(values: Sequence[str] | None) -> list[str]:
    """Repeatable options that also take comma-separated lists (`--status late,expired`)."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.replace("，", ",").split(",") if part.strip())
    return out


def choices(
    values: Sequence[str] | None,
    enum: type[T],
    option: str,
    extra: Mapping[str, T] | None = None,
) -> frozenset[T]:
    """Parse enum values given as codes (late), as the labels officers see (已逾期), or as
    `extra` spellings (the register's 绿色 / 有机 for schemes)."""
    by_name: dict[str, T] = dict(extra or {})
    for member in enum:
        by_name[member.value] = member
        for shown in LABELS.get(member, {}).values():
            by_name[shown] = member
    chosen: set[T] = set()
    for value in split_values(values):
        found = by_name.get(value.lower(), by_name.get(value))
        if found is None:
            choices = ", ".join(m.value for m in enum)
            raise UsageProblem("usage.bad_choice", option=option, value=value, choices=choices)
        chosen.add(found)
    return frozenset(chosen)


def one_choice(value: str | None, enum: type[T], option: str) -> T | None:
    chosen = choices([value] if value is not None else None, enum, option)
    if len(chosen) > 1:
        raise UsageProblem(
            "usage.bad_choice", option=option, value=value, choices=", ".join(m.value for m in enum)
        )
    return next(iter(chosen), None)


def cities(values: Sequence[str] | None, places: Places) -> frozenset[str]:
    """Canonical city names for --city (百色, 百色市, Baise)."""
    return _places(values, places.city, places.suggest_city, "usage.unknown_city", places)


def counties(values: Sequence[str] | None, places: Places) -> frozenset[str]:
    """Canonical county names for --county (current, short or former names)."""
    return _places(values, places.county, places.suggest_county, "usage.unknown_county", places)


def _places(
    values: Sequence[str] | None,
    find: Callable[[str], City | County | None],
    suggest: Callable[[str], list[str]],
    message_id: str,
    places: Places,
) -> frozenset[str]:
    names: set[str] = set()
    for value in split_values(values):
        found = find(value)
        if found is None:
            raise UsageProblem(
                message_id, value=value, names=suggest(value), everything=sorted(places.cities)
            )
        names.add(found.name)
    return frozenset(names)


def parse_as_of(value: str | None, today: date) -> date:
    """--as-of, or `today` (in China, read by the caller) when not given."""
    if value is None:
        return today
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise UsageProblem("usage.bad_date", option="--as-of", value=value)
    return parsed


MAX_DAYS = 36_500  # a century: beyond it date arithmetic leaves the calendar


def days(value: int, option: str) -> int:
    if not 0 <= value <= MAX_DAYS:
        raise UsageProblem("usage.days_range", option=option, value=value, high=MAX_DAYS)
    return value


def build_request(
    *,
    register: str | None,
    encoding: str | None,
    city: list[str] | None,
    county: list[str] | None,
    scheme: list[str] | None,
    status: list[str] | None,
    flag: list[str] | None,
    within: int,
    expired_within: int,
    all_: bool,
    as_of: str | None,
    plan_year: int | None,
    lang: Lang,
    strict: bool,
    quiet: bool = False,
    today: date,
) -> Request:
    """Check every selection option; raises UsageProblem for the first bad one."""
    places = guangxi()
    day = parse_as_of(as_of, today)
    year = plan_year if plan_year is not None else day.year
    if not 2000 <= year <= 2100:
        raise UsageProblem("usage.bad_year", value=year, low=2000, high=2100)
    selection = Selection(
        cities=cities(city, places),
        counties=counties(county, places),
        schemes=choices(scheme, Scheme, "--scheme", SCHEMES),
        statuses=choices(status, Status, "--status"),
        flags=choices(flag, Flag, "--flag"),
        within=days(within, "--within"),
        expired_within=days(expired_within, "--expired-within"),
        all=all_,
    )
    return Request(
        register=register,
        encoding=encoding,
        as_of=day,
        policy=policy_for(year),
        selection=selection,
        lang=lang,
        strict=strict,
        quiet=quiet,
    )


def split_by(value: str | None) -> SplitBy | None:
    return one_choice(value, SplitBy, "--split-by")


def has_county(selection: Selection, city: str) -> bool:
    """Whether a --county filter names a county of `city` (and no --city excludes it)."""
    counties = guangxi().counties
    return bool(selection.counties) and (
        (not selection.cities or city in selection.cities)
        and any(counties[name].city == city for name in selection.counties)
    )


def addresses(values: Sequence[str] | None) -> list[str]:
    """--to values: repeatable, or comma-separated plain addresses ("Zhang, San <a@b>" kept)."""
    out: list[str] = []
    for value in values or ():
        out.extend([value.strip()] if "<" in value else split_values([value]))
    return out


def in_scope(place: str, selection: Selection) -> bool:
    """Whether a contact's place (a city or a county) lies within --city/--county."""
    places = guangxi()
    county = places.counties.get(place)
    if county is not None:
        return (not selection.cities or county.city in selection.cities) and (
            not selection.counties or place in selection.counties
        )
    return (not selection.cities or place in selection.cities) and (
        not selection.counties or has_county(selection, place)
    )


def place_label(selection: Selection) -> str | None:
    """The place a whole-register calendar or mail is about, for its name and subject."""
    names = sorted(selection.counties) or sorted(selection.cities)
    return "、".join(names) if names else None
