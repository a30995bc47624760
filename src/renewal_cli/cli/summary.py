"""`renewal summary`: each city's certificates valid on 31 December against the plan's target."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from renewal_cli.cli.common import (
    OutputOpt,
    edge,
    emit,
    is_stdout,
    plain_output,
    read_registers_of,
    request_of,
    selecting,
)
from renewal_cli.cli.due import Format, FormatOpt, check_binary
from renewal_cli.jobs import summarize_register
from renewal_cli.request import SelectionArgs, one_choice
from renewal_cli.summary import SummaryBy
from renewal_cli.twopass import large, summary_rows

ByOpt = Annotated[
    str,
    typer.Option("--by", metavar="city|county|scheme", help="help.summary.by"),
]


@selecting(
    only=(
        "register",
        "city",
        "county",
        "scheme",
        "as_of",
        "plan_year",
        "lang",
        "encoding",
        "strict",
        "policy",
    )
)
def summary(
    args: SelectionArgs,
    by: ByOpt = "city",
    output_format: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """年底目标完成情况 / Certificates valid on 31 December against the plan's targets."""
    with edge(args.lang) as report:
        from renewal_cli.output.summaryfile import (
            render_summary_csv,
            render_summary_json,
            render_summary_table,
        )

        grouping = one_choice(by, SummaryBy, "--by") or SummaryBy.CITY
        chosen = one_choice(output_format, Format, "--format") or Format.TABLE
        check_binary(chosen, output)
        request = request_of(args, report)
        with read_registers_of(request, report) as registers:
            if large(registers):
                rows, outcome = summary_rows(request, registers, grouping)
            else:
                rows, outcome = summarize_register(request, registers, grouping)
        report.problems(outcome)
        if outcome.blocked(request.strict):
            report.finish(outcome, request)
        if chosen is Format.XLSX:
            from renewal_cli.output.xlsxfile import render_summary_xlsx

            records = [r.record() for r in rows]
            emit(render_summary_xlsx(records, request.lang), output, report, len(rows) - 1)
            report.finish(outcome, request)
            return
        if chosen is Format.JSON:
            policy = request.policy
            data = render_summary_json(rows, plan_year=policy.plan_year, plan_used=policy.plan_used)
        elif chosen is Format.CSV:
            data = ("\ufeff" if not is_stdout(output) else "") + render_summary_csv(
                rows, request.lang
            )
        else:
            terminal = is_stdout(output) and sys.stdout is not None and sys.stdout.isatty()
            data = render_summary_table(
                rows,
                plan_year=request.policy.plan_year,
                plan_used=request.policy.plan_used,
                as_of=request.as_of.isoformat(),
                lang=request.lang,
                color=terminal and not plain_output(),
            )
        emit(data.encode("utf-8"), output, report, len(rows) - 1, outcome=outcome)
        report.finish(outcome, request)
