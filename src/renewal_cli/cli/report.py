"""`renewal report`: the year's renewals as one self-contained HTML page with charts."""

from __future__ import annotations

import sys
from pathlib import Path

from renewal_cli.cli.common import request_of, run_report
from renewal_cli.cli.emit import check_output, emit, is_stdout
from renewal_cli.cli.options import OutputOpt, selecting
from renewal_cli.cli.reporter import edge
from renewal_cli.errors import UsageError
from renewal_cli.jobs import sources_of
from renewal_cli.report import build_report
from renewal_cli.request import SelectionArgs


def check_page_output(output: Path | None) -> None:
    """A page is written to a file (-o), or to a pipe, never onto a terminal."""
    terminal = sys.stdout is not None and sys.stdout.isatty()
    if is_stdout(output) and terminal:
        raise UsageError("usage.report_needs_file")


@selecting
def report(args: SelectionArgs, output: OutputOpt = None) -> None:
    """一页图表报告（HTML，可离线打开、打印）/ The year's renewals as one HTML page with charts."""
    with edge(args.lang) as reporter:
        from renewal_cli.output.report import render_report  # Jinja2 and pygal: only here

        check_page_output(output)
        request = request_of(args, reporter)
        check_output(output, request.registers)
        basis, outcome = run_report(request, reporter)
        page = build_report(
            basis,
            selection=request.selection,
            as_of=request.as_of,
            policy=request.policy,
            sources=sources_of(outcome),
        )
        data = render_report(page, request.lang)
        emit(data, output, reporter, len(outcome.items), outcome=outcome)
        reporter.finish(outcome, request)
