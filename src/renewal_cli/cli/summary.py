"""`renewal summary`: each city's certificates valid on 31 December against the plan's target
(api.summary_for)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from renewal_cli.api import summary_for
from renewal_cli.cli.common import read_registers_of, request_of
from renewal_cli.cli.emit import emit, is_stdout, plain_output
from renewal_cli.cli.options import (
    BomOpt,
    Format,
    FormatOpt,
    OutEncodingOpt,
    OutputOpt,
    check_binary,
    out_encoding_of,
    selecting,
)
from renewal_cli.cli.reporter import edge
from renewal_cli.output.csvwriter import csv_encoding
from renewal_cli.request import SelectionArgs, one_choice
from renewal_cli.yearend import SummaryBy

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
    bom: BomOpt = False,
    out_encoding: OutEncodingOpt = "utf-8",
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
        csv = csv_encoding(
            to_file=not is_stdout(output), bom=bom, encoding=out_encoding_of(out_encoding)
        )
        check_binary(chosen, output)
        request = request_of(args, report)
        with read_registers_of(request, report) as registers:
            result = summary_for(request, registers, grouping)
        rows, outcome = [entry.row for entry in result.rows], result.outcome
        report.problems(outcome)
        if result.blocked:
            report.finish(outcome, request)
        if chosen is Format.XLSX:
            from renewal_cli.output.xlsxfile import render_summary_xlsx

            records = [r.record() for r in rows]
            emit(render_summary_xlsx(records, request.lang), output, report, len(rows) - 1)
            report.finish(outcome, request)
            return
        if chosen is Format.JSON:
            policy = request.policy
            json_text = render_summary_json(
                rows, plan_year=policy.plan_year, plan_used=policy.plan_used
            )
            data = json_text.encode("utf-8")
        elif chosen is Format.CSV:
            data = csv.encode_text(render_summary_csv(rows, request.lang))
        else:
            terminal = is_stdout(output) and sys.stdout is not None and sys.stdout.isatty()
            data = render_summary_table(
                rows,
                plan_year=request.policy.plan_year,
                plan_used=request.policy.plan_used,
                as_of=request.as_of.isoformat(),
                lang=request.lang,
                color=terminal and not plain_output(),
            ).encode("utf-8")
        emit(data, output, report, len(rows) - 1, outcome=outcome)
        report.finish(outcome, request)
