"""`renewal calendar`: the selected items as an .ics reminder calendar, or one per place."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from renewal_cli.cli.common import request_of, run_selection
from renewal_cli.cli.emit import check_output, emit, is_stdout
from renewal_cli.cli.options import QuietOpt, RemindOpt, SplitOpt, selecting
from renewal_cli.cli.reporter import edge
from renewal_cli.errors import UsageError
from renewal_cli.jobs import calendar_name, write_calendars
from renewal_cli.places import SplitBy
from renewal_cli.request import SelectionArgs, one_choice

CalendarOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE|DIR",
        help="help.calendar.output",
    ),
]


@selecting
def calendar(
    args: SelectionArgs,
    remind: RemindOpt = "30,7",
    split_by: SplitOpt = None,
    output: CalendarOutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """生成 .ics 提醒日历 / Write the selected items as an iCalendar (.ics) reminder calendar."""
    with edge(args.lang, quiet) as report:
        from renewal_cli.output.calendar import event_count, parse_remind, render_calendar

        by = one_choice(split_by, SplitBy, "--split-by")
        remind_days = parse_remind(remind)
        if by is not None and is_stdout(output):
            raise UsageError("usage.split_needs_dir")
        request = request_of(args, report, quiet)
        check_output(output, request.registers)
        outcome = run_selection(request, report)
        lang, items = request.lang, outcome.items
        if by is None:
            data = render_calendar(
                items,
                as_of=request.as_of,
                lang=lang,
                name=calendar_name(request.selection.scope.label(), lang),
                remind_days=remind_days,
            )
            # A file is rewritten even when empty: a subscribed calendar must drop old events.
            if items or not quiet or not is_stdout(output):
                events = event_count(items, as_of=request.as_of, remind_days=remind_days)
                emit(data, output, report, events, "note.written_events", outcome)
        else:
            assert output is not None
            written = write_calendars(
                items,
                by=by,
                scope=request.selection.scope,
                directory=output,
                as_of=request.as_of,
                lang=lang,
                remind_days=remind_days,
            )
            for file in written:
                report.note("note.written_events", path=file.path, count=file.events)
        report.finish(outcome, request)
