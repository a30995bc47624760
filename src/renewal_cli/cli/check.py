"""`renewal check`: validation only. Every problem of the registers (api.check_for), with file,
line and column."""

from __future__ import annotations

from renewal_cli.api import check_for
from renewal_cli.cli.common import read_registers_of, request_of
from renewal_cli.cli.emit import emit, is_stdout
from renewal_cli.cli.options import Format, FormatOpt, OutputOpt, check_binary, selecting
from renewal_cli.cli.reporter import edge
from renewal_cli.errors import EXIT_FAILURE
from renewal_cli.request import SelectionArgs, one_choice


@selecting(only=("register", "sheet", "as_of", "plan_year", "lang", "encoding", "policy"))
def check(
    args: SelectionArgs, output_format: FormatOpt = "table", output: OutputOpt = None
) -> None:
    """检查台账，列出所有问题 / Check registers: every problem, with file, line and column."""
    import typer

    with edge(args.lang) as report:
        from renewal_cli.output.checkfile import render_check_json, render_check_table

        chosen = one_choice(output_format, Format, "--format") or Format.TABLE
        check_binary(chosen, output)
        request = request_of(args, report)
        with read_registers_of(request, report) as registers:
            result = check_for(request, registers)
        outcome = result.outcome
        problems = outcome.problems
        lang = request.lang
        if chosen is Format.XLSX:
            from renewal_cli.output.xlsxfile import render_check_xlsx

            data = render_check_xlsx(problems, lang)
        elif chosen is Format.JSON:
            data = render_check_json(problems, lang).encode("utf-8")
        elif chosen is Format.CSV:
            from renewal_cli.output.checkfile import render_check_csv

            data = render_check_csv(problems, lang, bom=not is_stdout(output))
        else:
            data = render_check_table(problems, lang).encode("utf-8")
        emit(data, output, report, len(problems), outcome=outcome)
        report.line(report.count_line(outcome))
        if not result.ok:
            raise typer.Exit(EXIT_FAILURE)
