"""Checking what the user asked for: the shared selection options in, a Request out.

Pure: no Typer, no printing, no exiting, no clock (the command line passes today's date in).
Every bad value raises UsageError with a message id, which the command line words in the
user's language with exit code 2.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from renewal_cli.cells import SCHEMES, parse_date
from renewal_cli.errors import UsageError
from renewal_cli.messages import LABELS, Lang
from renewal_cli.models import Flag, Kind, Scheme, Status
from renewal_cli.places import City, County, Places, Scope, guangxi
from renewal_cli.policy import Policy, plan_years_of, policy_for
from renewal_cli.rules import Selection
from renewal_cli.sources.encodings import is_text_encoding


@dataclass(frozen=True)
class SelectionArgs:
    """The options every selecting command takes, as the user typed them (cli/options.py
    declares them once for Typer, from these fields)."""

    register: list[str] | None = None
    city: list[str] | None = None
    county: list[str] | None = None
    scheme: list[str] | None = None
    kind: list[str] | None = None
    status: list[str] | None = None
    flag: list[str] | None = None
    within: int = 120
    expired_within: int = 365
    all_: bool = False
    as_of: str | None = None
    plan_year: int | None = None
    lang: str = "zh"
    encoding: str | None = None
    strict: bool = False
    fail_on: list[str] | None = field(default=None)
    policy: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class Request:
    """What the user asked to see, with names and dates already checked."""

    registers: tuple[str, ...]
    """Files (a folder stands for its .csv and .xlsx files), "-" for stdin; () for the sample."""
    encoding: str | None
    as_of: date
    policy: Policy
    selection: Selection
    lang: Lang
    strict: bool
    fail_on: frozenset[Status] = frozenset()
    quiet: bool = False
    sheet: str | None = None
    locks: tuple[str, ...] = ()
    """Excel lock files named (~$台账.xlsx, as a shell glob gives them): skipped, not read."""


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
        for shown in LABELS.get((enum, member.value), {}).values():
            by_name[shown] = member
    chosen: set[T] = set()
    for value in split_values(values):
        found = by_name.get(value.lower(), by_name.get(value))
        if found is None:
            names = ", ".join(m.value for m in enum)
            raise UsageError("usage.bad_choice", option=option, value=value, choices=names)
        chosen.add(found)
    return frozenset(chosen)


def one_choice(value: str | None, enum: type[T], option: str) -> T | None:
    chosen = choices([value] if value is not None else None, enum, option)
    if len(chosen) > 1:
        names = ", ".join(m.value for m in enum)
        raise UsageError("usage.bad_choice", option=option, value=value, choices=names)
    return next(iter(chosen), None)


def language(value: str) -> Lang:
    """--lang / RENEWAL_LANG (zh or en)."""
    try:
        return Lang(value.strip().lower() or "zh")
    except ValueError:
        raise UsageError(
            "usage.bad_choice", option="--lang", value=value, choices="zh, en"
        ) from None


def _names(
    values: Sequence[str] | None,
    find: Callable[[str], City | County | None],
    suggest: Callable[[str], list[str]],
    message_id: str,
) -> frozenset[str]:
    names: set[str] = set()
    for value in split_values(values):
        found = find(value)
        if found is None:
            raise UsageError(message_id, value=value, names=suggest(value))
        names.add(found.name)
    return frozenset(names)


def scope(cities: Sequence[str] | None, counties: Sequence[str] | None, places: Places) -> Scope:
    """--city and --county as canonical names; a county outside every given city is refused
    (`--county 横县 --city 百色`: 横州市 is in 南宁市)."""
    city_names = _names(cities, places.city, places.suggest_city, "usage.unknown_city")
    county_names = _names(counties, places.county, places.suggest_county, "usage.unknown_county")
    if city_names:
        for name in sorted(county_names):
            owner = places.counties[name].city
            if owner not in city_names:
                raise UsageError(
                    "usage.county_not_in_city",
                    county=name,
                    belongs=owner,
                    cities="、".join(sorted(city_names)),
                )
    return Scope(city_names, county_names)


# The plan years the tool knows (policy files use the same range), and so the days it can
# judge on: a register's dates run 1900–2199, so AS_OF ± a century of --within and the rules'
# years and months stay well inside what date arithmetic can hold (year 9999).
FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
# Any day written as a register date may be, whatever its year (9999-12-31, 0001-01-01).
_DAY = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})"
)


def parse_as_of(value: str | None, today: date) -> date:
    """--as-of, or `today` (in China, read by the caller) when not given: a day from
    FIRST_DAY to LAST_DAY. A well-formed day outside them is out of range, not "not a date"."""
    if value is None:
        return today
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None or not FIRST_DAY <= parsed <= LAST_DAY:
        match = _DAY.fullmatch(unicodedata.normalize("NFKC", value).strip())
        parts = [int(p) for p in match.groups() if p is not None] if match else []
        beyond = bool(parts) and not FIRST_YEAR <= parts[0] <= LAST_YEAR
        if parsed is not None or (beyond and 1 <= parts[1] <= 12 and 1 <= parts[2] <= 31):
            raise UsageError(
                "usage.date_range", option="--as-of", value=value, low=FIRST_DAY, high=LAST_DAY
            )
        raise UsageError("usage.bad_date", option="--as-of", value=value)
    return parsed


MAX_DAYS = 36_500  # a century: beyond it date arithmetic leaves the calendar


def days(value: int, option: str) -> int:
    if not 0 <= value <= MAX_DAYS:
        raise UsageError("usage.days_range", option=option, value=value, high=MAX_DAYS)
    return value


def build_request(args: SelectionArgs, *, today: date, quiet: bool = False) -> Request:
    """Check every selection option; raises UsageError for the first bad one."""
    lang = language(args.lang)
    day = parse_as_of(args.as_of, today)
    year = args.plan_year if args.plan_year is not None else day.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError("usage.bad_year", value=year, low=FIRST_YEAR, high=LAST_YEAR)
    encoding = None
    if args.encoding is not None:
        encoding = is_text_encoding(args.encoding)
        if encoding is None:
            raise UsageError("usage.unknown_encoding", encoding=args.encoding)
    selection = Selection(
        scope=scope(args.city, args.county, guangxi()),
        schemes=choices(args.scheme, Scheme, "--scheme", SCHEMES),
        kinds=choices(args.kind, Kind, "--kind"),
        statuses=choices(args.status, Status, "--status"),
        flags=choices(args.flag, Flag, "--flag"),
        within=days(args.within, "--within"),
        expired_within=days(args.expired_within, "--expired-within"),
        all=args.all_,
    )
    overrides = None
    if args.policy:
        from renewal_cli.policyfile import read_policy_file  # pydantic: only with --policy

        overrides = read_policy_file(Path(args.policy))
    latest = day.year + 1
    if args.plan_year is not None and year > latest and year not in plan_years_of(overrides):
        # No plan is known that far ahead; a policy file with that year's table lifts this.
        raise UsageError("usage.plan_year_ahead", year=year, as_of=day.isoformat(), latest=latest)
    named = registers(args.register)
    locks = lock_files(args.register)
    if locks and not named:  # not the sample: the user named a register, just not a readable one
        raise UsageError("usage.only_lock_files", files="、".join(locks))
    return Request(
        registers=named,
        locks=locks,
        sheet=args.sheet,
        encoding=encoding,
        as_of=day,
        policy=policy_for(year, overrides),
        selection=selection,
        lang=lang,
        strict=args.strict,
        fail_on=choices(args.fail_on, Status, "--fail-on"),
        quiet=quiet,
    )


REGISTER_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


# Excel (and WPS) keep an owner file, ~$ and the workbook's name, beside a workbook open in it.
LOCK_PREFIX = "~$"


def _is_lock(value: str) -> bool:
    return value != "-" and Path(value).name.startswith(LOCK_PREFIX) and not Path(value).is_dir()


def lock_files(values: Sequence[str] | None) -> tuple[str, ...]:
    """The Excel lock files among the files named (a shell glob such as *.xlsx gives them
    while the workbook is open): they hold no register, and `registers` leaves them out."""
    return tuple(value for value in values or () if _is_lock(value))


def registers(values: Sequence[str] | None) -> tuple[str, ...]:
    """The register files named: a folder stands for the registers in it (sorted, as a shell
    glob would give them), and Excel lock files are left out (see `lock_files`). Reading them
    is the register's job; nothing is opened here."""
    out: list[str] = []
    for value in values or ():
        path = Path(value)
        if value != "-" and path.is_dir():
            found = sorted(
                str(p)
                for p in path.iterdir()
                if p.suffix.lower() in REGISTER_SUFFIXES
                and not p.name.startswith((".", LOCK_PREFIX))
            )
            if not found:
                raise UsageError("usage.empty_folder", folder=value)
            out.extend(found)
        elif not _is_lock(value):
            out.append(value)
    if out.count("-") > 1:
        raise UsageError("usage.stdin_twice")
    return tuple(out)


DEFAULT_MAX_INPUT = 2 << 30
"""How much a register read from a stream (stdin, a pipe, a FIFO, a device) may hold: it is
copied to a temporary file first, which must never fill the disk (`< /dev/zero`)."""
_SIZE = re.compile(r"(\d+)\s*(?:([KMGT])(?:I?B)?|B)?", re.IGNORECASE)
_UNITS = {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}


def max_input(value: str | None) -> int:
    """RENEWAL_MAX_INPUT in bytes: a number of bytes, or with K, M, G or T (powers of 1024:
    500M, 2G, 2GiB); unset or empty, DEFAULT_MAX_INPUT."""
    if value is None or not value.strip():
        return DEFAULT_MAX_INPUT
    match = _SIZE.fullmatch(value.strip())
    if match is None or int(match.group(1)) == 0:
        raise UsageError("usage.max_input", value=value)
    return int(match.group(1)) << _UNITS[(match.group(2) or "").upper()]


def addresses(values: Sequence[str] | None) -> list[str]:
    """--to values: repeatable, or comma-separated plain addresses ("Zhang, San <a@b>" kept)."""
    out: list[str] = []
    for value in values or ():
        out.extend([value.strip()] if "<" in value else split_values([value]))
    return out
