"""The one voice on stderr (Reporter: problems, notes, the count line, errors) and the one
error edge (`edge`), which turns the project's errors into a message and an exit code, never a
traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

import typer

from renewal_cli.errors import EXIT_FAILURE, EXIT_FOUND, RenewalError, UsageError
from renewal_cli.header import ALIASES, REQUIRED_ONE_OF
from renewal_cli.jobs import Outcome, warnings
from renewal_cli.messages import Lang, text
from renewal_cli.models import Problem, Status
from renewal_cli.policy import Policy, PolicyFileError
from renewal_cli.present import (
    describe_error,
    describe_policy_faults,
    describe_problem,
    field_label,
    label,
)
from renewal_cli.register import Counts
from renewal_cli.request import Request, language

# Problem lines on stderr per register file; the rest are counted in one line.
PROBLEM_LINES = 200


class Reporter:
    """The one voice on stderr: problems, notes, the count line (last), errors."""

    def __init__(self, lang: Lang, quiet: bool = False) -> None:
        self.lang = lang
        self.quiet = quiet

    def line(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def say(self, message_id: str, **params: object) -> str:
        """A message in the reporter's language."""
        return text(message_id, self.lang, **params)

    def note(self, message_id: str, **params: object) -> None:
        """A diagnostic that --quiet silences."""
        if not self.quiet:
            self.line(text(message_id, self.lang, **params))

    def plan(self, policy: Policy, as_of: date) -> None:
        """The one warning of a run whose plan year has no plan of its own (kept under
        --quiet): which plan is used, and how to give the year's own. A plan year other than
        AS_OF's, given on purpose, is said too: what goes to holders on AS_OF does not cite
        that year's plan (present.outward_plan)."""
        if policy.has_own_plan and policy.plan_year != as_of.year:
            self.line(
                text(
                    "note.plan_other_year",
                    self.lang,
                    year=policy.plan_year,
                    as_of_year=as_of.year,
                    title=policy.plan.title,
                )
            )
        elif not policy.has_own_plan:
            self.line(
                text(
                    "note.plan_carried",
                    self.lang,
                    year=policy.plan_year,
                    used=policy.plan_used,
                    title=policy.plan.title,
                )
            )

    def error(self, error: RenewalError) -> None:
        self.line(describe_error(error, self.lang))
        if isinstance(error, PolicyFileError):
            for line in describe_policy_faults(error.source, error.faults, self.lang):
                self.line(line)
        source = error.params.get("source")
        from_env = os.environ.get("RENEWAL_REGISTER")
        if source and from_env and source == from_env:
            self.line(text("usage.register_from_env", self.lang))

    def problems(self, outcome: Outcome) -> None:
        """The problems in file order (--quiet keeps them: they need a look), at most
        PROBLEM_LINES of each file, then one line with the count of the rest (`renewal check`
        lists them all)."""
        last = {p.source: n for n, p in enumerate(outcome.problems)}
        shown: dict[str, int] = {}
        for n, problem in enumerate(outcome.problems):
            count = shown[problem.source] = shown.get(problem.source, 0) + 1
            if count <= PROBLEM_LINES:
                self._problem(problem)
            if count > PROBLEM_LINES and n == last[problem.source]:
                rest = count - PROBLEM_LINES
                self.line(text("note.more_problems", self.lang, source=problem.source, count=rest))

    def _problem(self, problem: Problem) -> None:
        self.line(describe_problem(problem, self.lang))
        if problem.code.value == "no_header":
            for name in problem.detail.get("missing", "").split(","):
                group = next((g for g in REQUIRED_ONE_OF if "/".join(g[:2]) == name), ())
                parts = group or tuple(name.split("/"))
                aliases = [a for part in parts for a in ALIASES.get(part, ())]
                if name:
                    self.line(
                        text(
                            "register.missing_column",
                            self.lang,
                            field=field_label(name, self.lang),
                            aliases="、".join(aliases),
                        )
                    )

    def count_line(self, outcome: Outcome) -> str:
        """One count line per register, and the total when there are several (last)."""
        lines = [self._count_line(source, counts) for source, counts in outcome.parts]
        if len(outcome.parts) > 1:
            total = outcome.counts
            lines.append(
                text(
                    "note.total",
                    self.lang,
                    files=len(outcome.parts),
                    rows=total.rows,
                    certificates=total.certificates,
                    problems=total.problems,
                )
                + (text("note.outside", self.lang, count=total.outside) if total.outside else "")
            )
        return "\n".join(lines)

    def _count_line(self, source: str, counts: Counts) -> str:
        lang = self.lang
        line = text(
            "note.counts",
            lang,
            source=source,
            rows=counts.rows,
            certificates=counts.certificates,
            problems=counts.problems,
        )
        if counts.outside:
            line += text("note.outside", lang, count=counts.outside)
        others = [
            text(f"note.other.{key}", lang, count=value)
            for key, value in (
                ("header", counts.header_lines),
                ("title", counts.title_lines),
                ("blank", counts.blank),
                ("summary", counts.summary),
            )
            if value
        ]
        if others:
            line += text(
                "note.others", lang, parts=("，" if lang is Lang.ZH else ", ").join(others)
            )
        if counts.lines:
            line += text("note.lines", lang, lines=counts.lines)
        return line

    def finish(self, outcome: Outcome, request: Request) -> None:
        """The closing lines (the count line last), then exit 1 when nothing could be output,
        or 3 under --fail-on."""
        if outcome.failed:
            raise typer.Exit(EXIT_FAILURE)
        if request.strict and outcome.counts.problems:
            self.line(text("note.strict_failed", self.lang, problems=outcome.counts.problems))
            self.line(self.count_line(outcome))
            raise typer.Exit(EXIT_FAILURE)
        for year in outcome.uncovered_years:
            self.note("note.holidays_unknown", year=year)
        statuses = request.selection.statuses
        if Status.FILED in statuses and not request.selection.all:
            self.note("note.filed_needs_all")
        hit = sorted({s for s in outcome.statuses if s in request.fail_on}, key=list(Status).index)
        if hit:
            names = join_places([label(s, self.lang) for s in hit], self.lang)
            self.line(text("note.fail_on", self.lang, statuses=names))
        # --quiet keeps stderr for problems only: a cron job then mails nothing when all is well.
        if not self.quiet or outcome.counts.problems or warnings(outcome.problems):
            self.line(self.count_line(outcome))
        if hit:
            raise typer.Exit(EXIT_FOUND)


def lang_of(value: str) -> Lang:
    """--lang, falling back to Chinese when the value itself is bad (the error says so)."""
    try:
        return language(value)
    except UsageError:
        return Lang.ZH


@contextmanager
def edge(lang_value: str, quiet: bool = False) -> Iterator[Reporter]:
    """Turn the project's errors into a message on stderr and an exit code, never a traceback."""
    report = Reporter(lang_of(lang_value), quiet)
    try:
        yield report
    except RenewalError as error:
        report.error(error)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as error:  # a bug or an environment we did not foresee: no traceback
        if os.environ.get("RENEWAL_DEBUG"):
            raise
        report.line(text("error.unexpected", report.lang, kind=type(error).__name__, detail=error))
        raise typer.Exit(EXIT_FAILURE) from None


def join_places(names: Sequence[str], lang: Lang) -> str:
    return ("、" if lang is Lang.ZH else ", ").join(names)
