"""`renewal due`: the selected items as a table, CSV or JSON, on stdout or -o FILE."""

from __future__ import annotations

import shutil
import sys
from enum import StrEnum
from typing import Annotated

import typer

from renewal_cli.cli.common import (
    OutputOpt,
    check_output,
    edge,
    emit,
    env_width,
    is_stdout,
    plain_output,
    run_selection,
    selecting,
    today_in_china,
)
from renewal_cli.messages import Lang
from renewal_cli.models import ScheduleItem
from renewal_cli.request import Request, SelectionArgs, build_request, one_choice


class Format(StrEnum):
    """Output formats of `due`."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", metavar="table|csv|json", help="输出格式 / Output format."),
]
RawOpt = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV 不转义公式样式的文本（供程序读取）/ CSV: keep text that looks like a formula "
        "as it is (for machine pipelines).",
    ),
]


def render(
    items: list[ScheduleItem], request: Request, chosen: Format, to_file: bool, raw: bool
) -> bytes:
    """The items in the chosen format, as the bytes to write."""
    lang: Lang = request.lang
    if chosen is Format.JSON:
        from renewal_cli.output.jsonfile import render_json

        return render_json(items).encode("utf-8")
    if chosen is Format.CSV:
        from renewal_cli.output.csvfile import render_csv

        # Excel opens a UTF-8 CSV file as GBK unless it starts with a BOM.
        return ("\ufeff" if to_file else "").encode("utf-8") + render_csv(
            items, lang, raw=raw
        ).encode("utf-8")
    from renewal_cli.output.table import render_table  # rich costs start-up time otherwise

    terminal = not to_file and sys.stdout is not None and sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if terminal else env_width()
    return render_table(
        items,
        as_of=request.as_of,
        plan_year=request.policy.plan_year,
        lang=lang,
        color=terminal and not plain_output(),
        width=width,
    ).encode("utf-8")


@selecting
def due(
    args: SelectionArgs,
    output_format: FormatOpt = "table",
    output: OutputOpt = None,
    raw: RawOpt = False,
) -> None:
    """列出需要处理的证书 / List the certificates that need action, with file-by day and status."""
    with edge(args.lang) as report:
        chosen = one_choice(output_format, Format, "--format") or Format.TABLE
        request = build_request(args, today=today_in_china())
        check_output(output, request.registers)
        outcome = run_selection(request, report)
        data = render(outcome.items, request, chosen, not is_stdout(output), raw)
        emit(data, output, report, len(outcome.items), outcome=outcome)
        report.finish(outcome, request)
