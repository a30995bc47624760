"""What the commands do, callable and testable without Typer.

`select_items` reads a register, collects its problems and selects the items to show;
`write_calendars` writes one calendar per place into a folder. Both return what happened as
data; the command line prints it. They touch files, never the terminal or the clock.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib.resources import files
from pathlib import Path

from renewal_cli import workdays
from renewal_cli.files import (
    make_directory,
    printable_name,
    safe_filename,
    unique_filename,
    write_atomic,
)
from renewal_cli.holders import Office, group_by_holder, holder_labels
from renewal_cli.messages import Lang, text
from renewal_cli.models import Certificate, Problem, ProblemCode, ScheduleItem, Severity, Status
from renewal_cli.places import Places, Scope, SplitBy, guangxi
from renewal_cli.register import Counts, Register, open_register
from renewal_cli.repeats import Seen
from renewal_cli.report import Basis, Source, build_report, narrowed
from renewal_cli.request import Request
from renewal_cli.rules import Selection, group_by_place, number_key, select, selected
from renewal_cli.yearend import SummaryBy, SummaryRow, summarize_scope

SAMPLE = "sample_register.csv"


def sample_register() -> bytes:
    """The bundled synthetic register, used when none is given."""
    return files("renewal_cli").joinpath("data", SAMPLE).read_bytes()


def open_registers(
    request: Request, spools: Mapping[str, Path | bytes] | None = None
) -> list[Register]:
    """The registers the request names, in order, sharing one repeat check; the sample when
    none is named. `spools` holds what was read already from stdin ("-") and from streams
    (pipes, FIFOs, devices), by the name given."""
    seen: Seen = {}

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
    spools = spools or {}
    return [
        one(spools.get(n, b""), "<stdin>")
        if n == "-"
        else one(spools.get(n, Path(n)), printable_name(n))
        for n in request.registers
    ]


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
    tallied: set[Status] = field(default_factory=set)
    """The statuses of items written but not held (a job in two passes, twopass.py)."""

    @property
    def statuses(self) -> set[Status]:
        """The statuses of the items selected."""
        return {item.status for item in self.items} | self.tallied

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


def read_all(
    registers: Sequence[Register],
    outcome: Outcome,
    *,
    scope: Scope | None = None,
    summaries: bool = False,
) -> Iterator[Certificate]:
    """Every certificate of the registers in turn; problems and counts go into `outcome`.
    With a `scope`, rows of other places are only checked for their place (Register.entries);
    with `summaries`, rows that are not certificates are listed as problems too."""
    for register in registers:
        for entry in register.entries(scope=scope, summaries=summaries):
            if isinstance(entry, Problem):
                outcome.problems.append(entry)
            else:
                yield entry
        outcome.parts.append((register.source, register.counts))
        outcome.failed = outcome.failed or register.failed


def select_items(request: Request, registers: Sequence[Register]) -> Outcome:
    """Read the registers, keep the problems, and select the items the request asks for."""
    certificates, outcome = read_certificates(request, registers)
    if not outcome.blocked(request.strict):
        outcome.items = select(certificates, request.as_of, request.policy, request.selection)
    years = {item.file_by.year for item in outcome.items}
    outcome.uncovered_years = sorted(year for year in years if not workdays.covered(year))
    return outcome


def read_certificates(
    request: Request, registers: Sequence[Register]
) -> tuple[list[Certificate], Outcome]:
    """The certificates of the registers that the request's scope needs (every one in scope,
    and those outside that share a number or a holder and product with one in scope), and the
    outcome of reading them (problems, counts).

    With --city or --county, rows of other places are only checked for their place. When one
    of them shares a number with a certificate read, the registers are read again, with those
    rows read in full too, so repeats, number clashes and later cycles that involve a selected
    row are found as a full read finds them. (A later cycle found by its holder and product is
    of the same holder, a name in the same place: never outside.)
    """
    outcome = Outcome()
    scope = request.selection.scope
    scoped = scope if scope.cities or scope.counties else None
    certificates = list(read_all(registers, outcome, scope=scoped))
    again = _involved(registers, certificates) if scoped and not outcome.failed else []
    if again:
        outcome = Outcome()
        certificates = list(read_all(again, outcome, scope=scoped))
    for register in [*registers, *again]:
        register.release()
    # What has been read lives to the end of the run and holds no reference cycles: moved out
    # of the cyclic collector's sight, it is not scanned again each time scheduling allocates.
    # (The library API unfreezes after the call: api._collector_restored.)
    gc.freeze()
    return certificates, outcome


def _involved(registers: Sequence[Register], certificates: list[Certificate]) -> list[Register]:
    """The registers opened again to be read with the rows outside the scope that share a
    number with the certificates read (a repeat, a clash, another cycle) read in full too, in
    file order and with a repeat check of their own; none when no row outside shares one."""
    numbers = {hash(number_key(c.cert_id)) for c in certificates if c.cert_id}
    lines = [register.involved(numbers) for register in registers]
    if not any(lines):
        return []
    seen: Seen = {}
    return [register.reread(found, seen) for register, found in zip(registers, lines, strict=True)]


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
    from renewal_cli.output.calendar import event_count, render_calendar

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
        events = event_count(place_items, as_of=as_of, remind_days=remind_days)
        written.append(CalendarFile(path, place, len(place_items), events))
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
    or .txt as UTF-8). Namesakes (one name in two places) are told apart by their place in the
    file name; two holders whose names still give one file name get -2, -3 …"""
    from renewal_cli.output.notice import (
        has_notice,
        notice_docx,
        notice_items,
        notice_text,
    )

    make_directory(directory)
    taken: set[str] = set()
    written: list[NoticeFile] = []
    holders = [holder for holder in group_by_holder(items) if has_notice(holder)]
    labels = holder_labels(holders)
    for holder in holders:
        name = unique_filename(labels[holder.key], f".{ext}", taken)
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
    rows = summarize_scope(
        list(read_all(registers, outcome)),
        request.as_of,
        request.policy,
        by,
        selection.scope,
        selection.schemes,
    )
    return rows, outcome


def report_basis(request: Request, registers: Sequence[Register]) -> tuple[Basis, Outcome]:
    """What `renewal report` is computed from, read once: the certificates of the scope and
    every item of its places and schemes (`due --all`); the outcome's items are those the
    request selects (what `due` lists), so `mail --report` sends the same items as `mail`."""
    certificates, outcome = read_certificates(request, registers)
    items: list[ScheduleItem] = []
    if not outcome.blocked(request.strict):
        chosen = request.selection
        every = Selection(scope=chosen.scope, schemes=chosen.schemes, all=True)
        items = select(certificates, request.as_of, request.policy, every)
        outcome.items = [item for item in items if selected(item, chosen)]
    years = {item.file_by.year for item in outcome.items}
    outcome.uncovered_years = sorted(year for year in years if not workdays.covered(year))
    return Basis(certificates, items), outcome


def sources_of(outcome: Outcome) -> list[Source]:
    """Each register read, with its counts, for the report's header."""
    return [
        Source(name, counts.rows, counts.certificates, counts.problems, counts.outside)
        for name, counts in outcome.parts
    ]


def report_pages(
    basis: Basis, request: Request, sources: Sequence[Source]
) -> Callable[[str | None], bytes]:
    """The report page of one place of the request (a city or a county, as a mail batch
    names it; None for the request's own places), as `renewal report` would write it."""
    from renewal_cli.output.report import render_report

    def page(place: str | None) -> bytes:
        selection = narrowed(request.selection, place, guangxi())
        report = build_report(
            basis,
            selection=selection,
            as_of=request.as_of,
            policy=request.policy,
            sources=sources,
        )
        return render_report(report, request.lang)

    return page


def check_registers(request: Request, registers: Sequence[Register]) -> Outcome:
    """Every problem of the registers, and the checks across certificates (renewal check).

    A number clash, which reading only warns of (both rows stay certificates), is an error
    here: the register is wrong until one of the two numbers is put right."""
    from renewal_cli.crosscheck import check

    outcome = Outcome()
    certificates = list(read_all(registers, outcome, summaries=True))
    outcome.problems = [
        replace(p, level=Severity.ERROR) if p.code is ProblemCode.NUMBER_CLASH else p
        for p in outcome.problems
    ]
    outcome.problems.extend(check(certificates, request.policy))
    order = {source: n for n, (source, _) in enumerate(outcome.parts)}
    outcome.problems.sort(key=lambda p: (order.get(p.source, 0), p.line))
    return outcome
