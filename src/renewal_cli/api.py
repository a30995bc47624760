"""The library API: `renewal_cli.due()`, `check()` and `summary()`, called with Python values.

Each builds a Request from Python values (a `date`, enum members or their values, a Path to a
policy file or a loaded Policy), reads the registers through jobs.py, and returns the result as
data: the items, the problems and the counts. Each item's, problem's and row's `record()` is
the object that `--format json` prints for it. Nothing here imports Typer, prints or exits; a
bad value raises UsageError (a RenewalError) whose text is the message the command line would
show, in the language asked for.

The command line is built on the same functions: it parses its options into a Request
(request.build_request), opens the registers its own way (stdin and pipes spooled, a progress
bar), then calls `due_for`, `check_for` or `summary_for` here and renders what they return.

The one clock read: `as_of` left out is today in China, read through renewal_cli.clock at this
edge, as the command line reads it at its own. The rules below are always handed the day.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from renewal_cli import api_values as values
from renewal_cli.jobs import (
    Outcome,
    check_registers,
    open_registers,
    select_items,
    summarize_register,
)
from renewal_cli.messages import Lang
from renewal_cli.models import Flag, Kind, Problem, ScheduleItem, Scheme, Severity, Status
from renewal_cli.policy import Policy
from renewal_cli.request import (
    Request,
    days,
)
from renewal_cli.rules import Selection
from renewal_cli.yearend import SummaryBy, SummaryRow

if TYPE_CHECKING:
    from renewal_cli.holders import Holder
    from renewal_cli.register import Counts, Register

__all__ = [
    "CheckResult",
    "DueResult",
    "Finding",
    "HolderEntry",
    "SummaryEntry",
    "SummaryResult",
    "check",
    "check_for",
    "due",
    "due_for",
    "summary",
    "summary_for",
]

E = TypeVar("E", bound=StrEnum)
Choice: TypeAlias = E | str | Iterable[E | str] | None
"""One value of an enum (the member or its value, or the label officers see), or several."""
Names: TypeAlias = str | Iterable[str] | None
RegisterPath: TypeAlias = str | os.PathLike[str]
"""A register file, or a folder of them."""
PolicyArg: TypeAlias = str | os.PathLike[str] | Policy | None


# --- What a run returns ---------------------------------------------------------------------------


# The three record holders below are plain slotted classes: a dataclass costs about 0.6 ms to
# make, and this module is imported by every run of the command line.


class Finding:
    """One problem of a register, worded in the run's language."""

    __slots__ = ("lang", "problem")

    def __init__(self, problem: Problem, lang: Lang) -> None:
        self.problem = problem
        self.lang = lang

    def __repr__(self) -> str:
        return f"Finding({self.problem!r}, {self.lang!r})"

    def record(self) -> dict[str, object]:
        """The object `renewal check --format json` prints for this problem."""
        from renewal_cli.output.checkfile import check_record

        return check_record(self.problem, self.lang)

    @property
    def source(self) -> str:
        return self.problem.source

    @property
    def line(self) -> int:
        return self.problem.line

    @property
    def severity(self) -> Severity:
        return self.problem.severity

    @property
    def message(self) -> str:
        """What is wrong, without the file and line (as `check` shows it under its row)."""
        from renewal_cli.present import describe_problem

        return describe_problem(self.problem, self.lang, with_place=False)


class SummaryEntry:
    """One row of the year-end summary: a place (or a scheme), or the total last."""

    __slots__ = ("plan_used", "plan_year", "row")

    def __init__(self, row: SummaryRow, plan_year: int, plan_used: int) -> None:
        self.row = row
        self.plan_year = plan_year
        self.plan_used = plan_used

    def __repr__(self) -> str:
        return f"SummaryEntry({self.row!r}, {self.plan_year!r}, {self.plan_used!r})"

    @property
    def place(self) -> str:
        return self.row.place

    def record(self) -> dict[str, object]:
        """The object `renewal summary --format json` prints for this row."""
        from renewal_cli.output.summaryfile import summary_record

        return summary_record(self.row, plan_year=self.plan_year, plan_used=self.plan_used)


class HolderEntry:
    """One holder of the call list (`renewal due --by-holder`) and its items."""

    __slots__ = ("holder",)

    def __init__(self, holder: Holder) -> None:
        self.holder = holder

    def __repr__(self) -> str:
        return f"HolderEntry({self.holder!r})"

    @property
    def name(self) -> str:
        return self.holder.name

    @property
    def items(self) -> list[ScheduleItem]:
        return self.holder.items

    def record(self) -> dict[str, object]:
        """The object `renewal due --by-holder --format json` prints for this holder."""
        from renewal_cli.output.holderfile import holder_record

        return holder_record(self.holder)


class _Result:
    """What every result holds: the request answered, the problems found, the counts."""

    def __init__(self, request: Request, outcome: Outcome) -> None:
        self.request = request
        self.outcome = outcome

    @property
    def as_of(self) -> date:
        return self.request.as_of

    @property
    def plan_year(self) -> int:
        return self.request.policy.plan_year

    @property
    def plan_used(self) -> int:
        """The year of the plan in force (an earlier one when plan_year has none of its own)."""
        return self.request.policy.plan_used

    @cached_property
    def problems(self) -> list[Finding]:
        """Every problem reading found, in file and line order."""
        return [Finding(p, self.request.lang) for p in self.outcome.problems]

    @property
    def counts(self) -> Counts:
        """The registers' counts added up (rows, certificates, problems …)."""
        return self.outcome.counts

    @property
    def sources(self) -> list[str]:
        """The registers read, as problems name them."""
        return [name for name, _ in self.outcome.parts]

    @property
    def failed(self) -> bool:
        """A register could not be read at all (its problem says why): nothing was selected."""
        return self.outcome.failed

    @property
    def blocked(self) -> bool:
        """Nothing may be output: a register could not be read, or bad rows under strict."""
        return self.outcome.blocked(self.request.strict)

    @property
    def skipped(self) -> tuple[str, ...]:
        """Excel lock files (~$…) among the files named: not registers, not read."""
        return self.request.locks


class DueResult(_Result):
    """`due`: the selected items, every problem reading found, and the counts."""

    @property
    def items(self) -> list[ScheduleItem]:
        """The items selected, in the order `renewal due` lists them; `item.record()` is the
        object `renewal due --format json` prints for it."""
        return self.outcome.items

    @property
    def uncovered_years(self) -> list[int]:
        """Years of a submit_by day the holiday data does not know (weekends only there)."""
        return self.outcome.uncovered_years

    def holders(self) -> list[HolderEntry]:
        """The items grouped by holder (a name in a place), as `--by-holder` lists them."""
        from renewal_cli.holders import group_by_holder

        return [HolderEntry(holder) for holder in group_by_holder(self.items)]


class CheckResult(_Result):
    """`check`: every problem of the registers, and the checks across certificates."""

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.outcome.problems)

    @property
    def warnings(self) -> int:
        return len(self.outcome.problems) - self.errors

    @property
    def ok(self) -> bool:
        """Whether the registers pass: read, with warnings at most (`renewal check` exits 0)."""
        return not self.failed and self.errors == 0


class SummaryResult(_Result):
    """`summary`: one row per place (or scheme), the total last, and the problems of reading."""

    def __init__(
        self, request: Request, outcome: Outcome, rows: Sequence[SummaryRow], by: SummaryBy
    ) -> None:
        super().__init__(request, outcome)
        self.by = by
        policy = request.policy
        self.rows = [SummaryEntry(row, policy.plan_year, policy.plan_used) for row in rows]


# --- Built on a Request (the command line's way in) ---------------------------------------------


def due_for(request: Request, registers: Sequence[Register]) -> DueResult:
    """The items `request` selects from the open `registers`."""
    return DueResult(request, select_items(request, registers))


def check_for(request: Request, registers: Sequence[Register]) -> CheckResult:
    """Every problem of the open `registers`, a number clash counted as an error."""
    return CheckResult(request, check_registers(request, registers))


def summary_for(
    request: Request, registers: Sequence[Register], by: SummaryBy = SummaryBy.CITY
) -> SummaryResult:
    """The year-end rows of the open `registers`, grouped `by` city, county or scheme (large
    registers are read twice, holding keys rather than certificates: twopass.py)."""
    from renewal_cli.twopass import large, summary_rows

    if large(registers):
        rows, outcome = summary_rows(request, registers, by)
    else:
        rows, outcome = summarize_register(request, registers, by)
    return SummaryResult(request, outcome, rows, by)


# --- The library's functions ----------------------------------------------------------------------


def due(
    *registers: RegisterPath,
    city: Names = None,
    county: Names = None,
    scheme: Choice[Scheme] = None,
    kind: Choice[Kind] = None,
    status: Choice[Status] = None,
    flag: Choice[Flag] = None,
    within: int = 120,
    expired_within: int = 365,
    show_all: bool = False,
    as_of: date | None = None,
    plan_year: int | None = None,
    policy: PolicyArg = None,
    lang: Lang | str = Lang.ZH,
    encoding: str | None = None,
    sheet: str | None = None,
    strict: bool = False,
) -> DueResult:
    """The items that need action, as `renewal due` selects them, with every problem found.

    `registers`: paths (str or Path) of CSV or .xlsx registers, or folders of them; none for
    the bundled sample. `city`, `county`: names as officers write them (百色 or 百色市), one
    or several. `scheme`, `kind`, `status`, `flag`: members of Scheme, Kind, Status, Flag, or
    their values ("late") or labels ("已逾期"), one or several. `within`, `expired_within`:
    days, as --within and --expired-within. `show_all`: every item (--all). `as_of`: the day
    judged on, a `date` (today in China when left out). `plan_year`: the plan year (as_of's
    year by default). `policy`: a policy file (str or Path) or a loaded Policy. `lang`: the
    language of problem messages and errors ("zh" or "en"). `strict`: no items when a row is
    bad. Raises UsageError (a RenewalError) for a bad value; an unreadable register is a
    problem of the result (`failed`), as on the command line.
    """
    with values.worded(lang), _collector_restored():
        language = values.language(lang)
        selection = Selection(
            scope=values.scope(city, county),
            schemes=values.members(scheme, Scheme, "scheme"),
            kinds=values.members(kind, Kind, "kind"),
            statuses=values.members(status, Status, "status"),
            flags=values.members(flag, Flag, "flag"),
            within=days(values.whole(within, "within"), "within"),
            expired_within=days(values.whole(expired_within, "expired_within"), "expired_within"),
            all=values.yes_no(show_all, "show_all"),
        )
        request = _request(
            registers, selection, as_of, plan_year, policy, language, encoding, sheet, strict
        )
        return due_for(request, open_registers(request))


def check(
    *registers: RegisterPath,
    as_of: date | None = None,
    plan_year: int | None = None,
    policy: PolicyArg = None,
    lang: Lang | str = Lang.ZH,
    encoding: str | None = None,
    sheet: str | None = None,
) -> CheckResult:
    """Every problem of the registers, as `renewal check` finds them: bad cells, repeats,
    number clashes (errors here), and the checks across certificates. Arguments as for `due`;
    each problem's `record()` is the object `renewal check --format json` prints for it."""
    with values.worded(lang), _collector_restored():
        language = values.language(lang)
        request = _request(
            registers, Selection(), as_of, plan_year, policy, language, encoding, sheet, False
        )
        return check_for(request, open_registers(request))


def summary(
    *registers: RegisterPath,
    by: SummaryBy | str = SummaryBy.CITY,
    city: Names = None,
    county: Names = None,
    scheme: Choice[Scheme] = None,
    as_of: date | None = None,
    plan_year: int | None = None,
    policy: PolicyArg = None,
    lang: Lang | str = Lang.ZH,
    encoding: str | None = None,
    sheet: str | None = None,
    strict: bool = False,
) -> SummaryResult:
    """The year-end standing against the plan's targets, as `renewal summary` computes it:
    one row per city (or county, or scheme, `by`), the total last. Arguments as for `due`;
    each row's `record()` is the object `renewal summary --format json` prints for it."""
    with values.worded(lang), _collector_restored():
        language = values.language(lang)
        grouping = values.one(by, SummaryBy, "by")
        selection = Selection(
            scope=values.scope(city, county), schemes=values.members(scheme, Scheme, "scheme")
        )
        request = _request(
            registers, selection, as_of, plan_year, policy, language, encoding, sheet, strict
        )
        return summary_for(request, open_registers(request), grouping)


@contextlib.contextmanager
def _collector_restored() -> Iterator[None]:
    """Leave the cyclic garbage collector as the caller had it. Reading moves what it read out
    of the collector's sight (gc.freeze in jobs.read_certificates: the command line's run ends
    with the process); a program calling the API runs on, and what it frees later must still be
    collected, so what was frozen during the call is unfrozen after it, unless the caller had
    frozen objects of its own (then theirs and ours stay as gc.freeze left them)."""
    frozen = gc.get_freeze_count()
    try:
        yield
    finally:
        if frozen == 0 and gc.get_freeze_count():
            gc.unfreeze()


# --- Python values, checked -----------------------------------------------------------------------


def _request(
    registers: Sequence[RegisterPath],
    selection: Selection,
    as_of: date | None,
    plan_year: int | None,
    policy: PolicyArg,
    lang: Lang,
    encoding: str | None,
    sheet: str | None,
    strict: bool,
) -> Request:
    """A Request as request.build_request makes it from the command line's options."""
    named, locks = values.registers(registers)
    day = values.day(as_of)
    return Request(
        registers=named,
        locks=locks,
        sheet=values.text(sheet, "sheet"),
        encoding=values.encoding(encoding),
        as_of=day,
        policy=values.policy(policy, plan_year, day),
        selection=selection,
        lang=lang,
        strict=values.yes_no(strict, "strict"),
    )
