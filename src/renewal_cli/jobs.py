"""What the commands do, callable and testable without Typer.

`select_items` reads a register, collects its problems and selects the items to show;
`write_calendars` writes one calendar per place into a folder. Both return what happened as
data; the command line prints it. They touch files, never the terminal or the clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

from renewal_cli import workdays
from renewal_cli.files import make_directory, safe_filename, unique_filename, write_atomic
from renewal_cli.holders import Office, group_by_holder
from renewal_cli.messages import Lang, text
from renewal_cli.models import Certificate, Problem, ScheduleItem, Severity
from renewal_cli.places import Places, Scope, SplitBy, guangxi
from renewal_cli.register import Counts, Register, open_register
from renewal_cli.request import Request
from renewal_cli.rules import group_by_place, holder_key, number_key, select
from renewal_cli.summary import SummaryBy, SummaryRow, summarize

SAMPLE = "sample_register.csv"


def sample_register() -> bytes:
    """The bundled synthetic register, used when none is given."""
    return files("renewal_cli").joinpath("data", SAMPLE).read_bytes()


def open_registers(request: Request, stdin: Path | bytes | None = None) -> list[Register]:
    """The registers the request names, in order, sharing one repeat check; the sample when
    none is named, and `stdin` for "-"."""
    seen: dict[str, dict[date, tuple[str, int]]] = {}

    def one(source: Path | bytes, name: str | None = None) -> Register:
        return open_register(
            source,
            policy=request.policy,
            places=guangxi(),
            encoding=request.encoding,
            name=name,
            sheet=request.sheet,
            seen=seen,
        )

    if not request.registers:
        return [one(sample_register(), SAMPLE)]
    stdin = b"" if stdin is None else stdin
    return [one(stdin, "<stdin>") if n == "-" else one(Path(n)) for n in request.registers]


@dataclass
class Outcome:
    """One run's selected items, every problem found, and the counts of each register."""

    parts: list[tuple[str, Counts]] = field(default_factory=list)
    items: list[ScheduleItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False
    """A register could not be read (a fatal problem): nothing may be output."""
    uncovered_years: list[int] = field(default_factory=list)
    """Years of a submit_by that the holiday data does not know (weekends only there)."""

    @property
    def counts(self) -> Counts:
        """Every register's counts added up."""
        total = Counts()
        for _, counts in self.parts:
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        return total

    @property
    def source(self) -> str:
        return self.parts[0][0] if len(self.parts) == 1 else ""

    def blocked(self, strict: bool) -> bool:
        """Whether no output may be written: an unreadable register, or bad rows under
        --strict."""
        return self.failed or (strict and self.counts.problems > 0)


def read_all(registers: Sequence[Register], outcome: Outcome) -> Iterator[Certificate]:
    """Every certificate of the registers in turn; problems and counts go into `outcome`."""
    for register in registers:
        for entry in register:
            if isinstance(entry, Problem):
                outcome.problems.append(entry)
            else:
                yield entry
        outcome.parts.append((register.source, register.counts))
        outcome.failed = outcome.failed or register.failed


def select_items(request: Request, registers: Sequence[Register]) -> Outcome:
    """Read the registers, keep the problems, and select the items the request asks for.

    With --city or --county, rows of other places are only checked for their place on the
    first pass (see Register.scope). When one of them shares a number, or a holder and
    product, with a row in scope, a second pass reads those rows in full too, so repeats and
    later cycles that involve a selected row are found as a full read finds them.
    """
    outcome = Outcome()
    scope = request.selection.scope
    if scope.cities or scope.counties:
        for register in registers:
            register.scope = scope
    certificates = list(read_all(registers, outcome))
    certificates, outcome = _involved(registers, certificates, outcome)
    items = select(certificates, request.as_of, request.policy, request.selection)
    outcome.items = [] if outcome.blocked(request.strict) else items
    years = {item.file_by.year for item in outcome.items}
    outcome.uncovered_years = sorted(year for year in years if not workdays.covered(year))
    return outcome


def _involved(
    registers: Sequence[Register], certificates: list[Certificate], outcome: Outcome
) -> tuple[list[Certificate], Outcome]:
    """The certificates and outcome of a second pass when rows outside the scope share keys
    with the certificates read (else the first pass's, unchanged)."""
    if outcome.failed or not any(len(r.outside.lines) for r in registers):
        return certificates, outcome
    numbers = {hash(number_key(c.cert_id)) for c in certificates}
    lineages = {hash(holder_key(c.enterprise, c.product)) for c in certificates}
    wanted = [r.outside.matching(numbers, lineages) for r in registers]
    if not any(wanted):
        return certificates, outcome
    seen: dict[str, dict[date, tuple[str, int]]] = {}
    again = [r.again(lines, seen) for r, lines in zip(registers, wanted, strict=True)]
    fresh = Outcome()
    return list(read_all(again, fresh)), fresh


def warnings(problems: Sequence[Problem]) -> int:
    return sum(p.severity is Severity.WARNING for p in problems)


@dataclass(frozen=True)
class CalendarFile:
    """One calendar written: where, about which place, how many items and events."""

    path: Path
    place: str
    items: int
    events: int


def calendar_name(place: str | None, lang: Lang) -> str:
    return text("calendar.name", lang, place=place or "").strip()


def places_to_write(
    by: SplitBy, groups: dict[str, list[ScheduleItem]], scope: Scope, existing: set[str]
) -> list[str]:
    """Places that get a calendar file: those with items, and those within the scope whose file
    already exists (rewritten empty, so a subscribed calendar drops last week's events).
    Files of places outside the scope are never touched."""
    places: Places = guangxi()
    candidates = list(places.cities) if by is SplitBy.CITY else [*places.counties, *places.cities]
    kept = {
        p
        for p in candidates
        if scope.touches(p, places)
        and safe_filename(p) in existing
        # A city's file under --split-by county holds only the city's own level.
        and (by is SplitBy.CITY or p in places.counties or scope.contains(p, None))
    }
    return sorted(set(groups) | kept)


def write_calendars(
    items: Sequence[ScheduleItem],
    *,
    by: SplitBy,
    scope: Scope,
    directory: Path,
    as_of: date,
    lang: Lang,
    remind_days: Sequence[int],
) -> list[CalendarFile]:
    """One calendar per place into `directory`, atomically each. Raises RenewalError when the
    folder or a file cannot be written."""
    from renewal_cli.output.calendar import render_calendar

    make_directory(directory)
    groups = group_by_place(items, by)
    existing = {p.name for p in directory.iterdir() if p.suffix == ".ics"}
    written: list[CalendarFile] = []
    for place in places_to_write(by, groups, scope, existing):
        place_items = groups.get(place, [])
        data = render_calendar(
            place_items,
            as_of=as_of,
            lang=lang,
            name=calendar_name(place, lang),
            remind_days=remind_days,
        )
        path = directory / safe_filename(place)
        write_atomic(path, data)
        written.append(CalendarFile(path, place, len(place_items), data.count(b"BEGIN:VEVENT")))
    return written


@dataclass(frozen=True)
class NoticeFile:
    """One notice written: where, to which holder, how many items it tells."""

    path: Path
    holder: str
    items: int


def write_notices(
    items: Sequence[ScheduleItem],
    *,
    office: Office,
    directory: Path,
    as_of: date,
    lang: Lang,
    ext: str,
) -> list[NoticeFile]:
    """One notice per holder with something to do, into `directory`, atomically each (.docx,
    or .txt as UTF-8). Two holders whose names give one file name get -2, -3 …"""
    from renewal_cli.output.notice import (
        has_notice,
        notice_docx,
        notice_items,
        notice_text,
    )

    make_directory(directory)
    taken: set[str] = set()
    written: list[NoticeFile] = []
    for holder in group_by_holder(items):
        if not has_notice(holder):
            continue
        name = unique_filename(holder.name, f".{ext}", taken)
        if ext == "docx":
            data = notice_docx(holder, office, as_of, lang)
        else:
            data = notice_text(holder, office, as_of, lang).encode("utf-8")
        write_atomic(directory / name, data)
        written.append(NoticeFile(directory / name, holder.name, len(notice_items(holder))))
    return written


def summarize_register(
    request: Request, registers: Sequence[Register], by: SummaryBy
) -> tuple[list[SummaryRow], Outcome]:
    """Year-end rows for the certificates in scope, and the problems of reading."""
    outcome = Outcome()
    selection = request.selection
    certificates = [
        c
        for c in read_all(registers, outcome)
        if selection.scope.contains(c.city, c.county)
        and (not selection.schemes or c.scheme in selection.schemes)
    ]
    places = guangxi()
    rows = summarize(
        certificates,
        request.as_of,
        request.policy,
        by,
        cities=lambda city: selection.scope.touches(city, places),
    )
    return rows, outcome


def check_registers(request: Request, registers: Sequence[Register]) -> Outcome:
    """Every problem of the registers, and the checks across certificates (renewal check)."""
    from renewal_cli.check import check

    outcome = Outcome()
    for register in registers:
        register.verbose = True
    certificates = list(read_all(registers, outcome))
    outcome.problems.extend(check(certificates, request.policy))
    order = {source: n for n, (source, _) in enumerate(outcome.parts)}
    outcome.problems.sort(key=lambda p: (order.get(p.source, 0), p.line))
    return outcome
