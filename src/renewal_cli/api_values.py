"""The library API's arguments: Python values (str or Path registers, a date, enum members or
their labels, a policy file or a loaded Policy) checked and turned into what a request holds.
A bad value raises UsageError, worded in the caller's language."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from renewal_cli.clock import today_in_china
from renewal_cli.errors import RenewalError, UsageError
from renewal_cli.files import printable_name
from renewal_cli.messages import LABELS, Lang
from renewal_cli.places import Scope, guangxi
from renewal_cli.policy import Policy, plan_years_of, policy_for
from renewal_cli.request import (
    FIRST_DAY,
    FIRST_YEAR,
    LAST_DAY,
    LAST_YEAR,
    lock_files,
)
from renewal_cli.request import registers as register_files
from renewal_cli.request import (
    scope as request_scope,
)
from renewal_cli.sources.encodings import is_text_encoding

if TYPE_CHECKING:
    pass


E = TypeVar("E", bound=StrEnum)
Choice: TypeAlias = E | str | Iterable[E | str] | None
"""One value of an enum (the member or its value, or the label officers see), or several."""
Names: TypeAlias = str | Iterable[str] | None
RegisterPath: TypeAlias = str | os.PathLike[str]
"""A register file, or a folder of them."""
PolicyArg: TypeAlias = str | os.PathLike[str] | Policy | None


def bad_type(name: str, expected: str, value: object) -> UsageError:
    return UsageError(
        "api.bad_type", name=name, expected=expected, value=f"{value!r} ({type(value).__name__})"
    )


def language(value: Lang | str) -> Lang:
    """The language: "zh" or "en" (or a Lang)."""
    try:
        return Lang(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        raise UsageError("usage.bad_choice", option="lang", value=value, choices="zh, en") from None


@contextmanager
def worded(lang: Lang | str) -> Iterator[None]:
    """A RenewalError raised inside leaves with its message as its text (`str(error)`), in
    `lang` (Chinese when `lang` itself is bad); its message id and parameters stay as they
    were, for code that tells errors apart."""
    try:
        yield
    except RenewalError as error:
        from renewal_cli.policy import PolicyFileError
        from renewal_cli.present import describe_error, describe_policy_faults

        try:
            shown = language(lang)
        except UsageError:
            shown = Lang.ZH
        lines = [describe_error(error, shown)]
        if isinstance(error, PolicyFileError):
            lines += describe_policy_faults(error.source, error.faults, shown)
        error.args = ("\n".join(lines),)
        raise


def registers(values: Sequence[RegisterPath]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The register files named (folders stand for the registers in them, Excel lock files
    left out), and the lock files left out. Stdin and streams are refused: a register is read
    twice when a place is selected, and a stream can be read once only."""
    names: list[str] = []
    for value in values:
        name = os.fspath(value) if isinstance(value, str | os.PathLike) else None
        if not isinstance(name, str):
            raise bad_type("register", "str or pathlib.Path", value)
        if name == "-":
            raise UsageError("api.stdin")
        names.append(name)
    named = register_files(names)
    locks = lock_files(names)
    if locks and not named:
        raise UsageError("usage.only_lock_files", files="、".join(locks))
    for name in named:
        try:
            mode = os.stat(name).st_mode
        except (OSError, ValueError):
            continue  # reading it reports why, as a problem of the result
        if not stat.S_ISREG(mode):
            raise UsageError("api.stream", source=printable_name(name))
    return named, locks


def day(value: date | None) -> date:
    """as_of, or today in China."""
    if value is None:
        return today_in_china()
    if isinstance(value, datetime) or not isinstance(value, date):
        raise bad_type("as_of", "datetime.date", value)
    if not FIRST_DAY <= value <= LAST_DAY:
        raise UsageError(
            "usage.date_range", option="as_of", value=value, low=FIRST_DAY, high=LAST_DAY
        )
    return value


def policy(value: PolicyArg, plan_year: int | None, day: date) -> Policy:
    """The policy in force: a loaded Policy as given, else the plan year's (plan_year, or
    as_of's year) with a policy file's changes."""
    if plan_year is not None:
        whole(plan_year, "plan_year")
        if not FIRST_YEAR <= plan_year <= LAST_YEAR:
            raise UsageError(
                "usage.number_range",
                option="plan_year",
                value=plan_year,
                low=FIRST_YEAR,
                high=LAST_YEAR,
            )
    if isinstance(value, Policy):
        if plan_year is not None and plan_year != value.plan_year:
            raise UsageError("api.policy_year", policy=value.plan_year, year=plan_year)
        return value
    if value is not None and not isinstance(value, str | os.PathLike):
        raise bad_type("policy", "str, pathlib.Path or Policy", value)
    overrides = None
    if value is not None:
        from renewal_cli.policyfile import read_policy_file  # pydantic: only with a policy file

        overrides = read_policy_file(Path(value))
    year = plan_year if plan_year is not None else day.year
    latest = day.year + 1
    if year > latest and year not in plan_years_of(overrides):
        raise UsageError("api.plan_year_ahead", year=year, as_of=day.isoformat(), latest=latest)
    return policy_for(year, overrides)


def strings(value: Names, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        found = list(value)
        if all(isinstance(v, str) for v in found):
            return found
    raise bad_type(name, "str or a list of str", value)


def scope(city: Names, county: Names) -> Scope:
    return request_scope(strings(city, "city"), strings(county, "county"), guangxi())


def members(value: Choice[E], enum: type[E], name: str) -> frozenset[E]:
    """Members of `enum` given as members, values or labels, one or several."""
    if value is None:
        return frozenset()
    if isinstance(value, str):  # a member is a str too
        return frozenset({one(value, enum, name)})
    if isinstance(value, Iterable):
        return frozenset(one(v, enum, name) for v in value)
    raise bad_type(name, f"{enum.__name__} or a list of them", value)


def one(value: E | str, enum: type[E], name: str) -> E:
    """One member of `enum`: itself, or its value or label as a str."""
    if isinstance(value, enum):
        return value
    if not isinstance(value, str):
        raise bad_type(name, enum.__name__, value)
    for member in enum:
        shown = LABELS.get((enum, member.value), {}).values()
        if value.strip().lower() == member.value or value.strip() in shown:
            return member
    choices = ", ".join(m.value for m in enum)
    raise UsageError("usage.bad_choice", option=name, value=value, choices=choices)


def whole(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_type(name, "int", value)
    return value


def yes_no(value: bool, name: str) -> bool:
    if not isinstance(value, bool):
        raise bad_type(name, "bool", value)
    return value


def text(value: str | None, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise bad_type(name, "str", value)
    return value


def encoding(value: str | None) -> str | None:
    if text(value, "encoding") is None:
        return None
    assert value is not None
    found = is_text_encoding(value)
    if found is None:
        raise UsageError("usage.unknown_encoding", encoding=value)
    return found
