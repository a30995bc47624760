"""`renewal check`: validation only. Every problem of the registers (api.check_for), with file,
line and column."""

from __future__ import annotations

from collections.abc import Iterator

from renewal_cli.api import check_for
from renewal_cli.cli.common import read_registers_of, request_of
from renewal_cli.cli.emit import emit, is_stdout
from renewal_cli.cli.options import Format, FormatOpt, OutputOpt, check_binary, selecting
from renewal_cli.cli.reporter import edge
from renewal_cli.errors import EXIT_FAILURE
from renewal_cli.request import SelectionArgs, one_choice
from renewal_cli.sorted_out import Checked
from renewal_cli.twopass import check_problems, large


@selecting(only=("register", "sheet", "as_of", "plan_year", "lang", "encoding", "policy"))
def check(
    args: SelectionArgs, output_format: FormatOpt = "table", output: OutputOpt = None
) -> None:
    """检查台账，列出所有问题 / Check registers: every problem, with file, line and column."""
    import typer

    with edge(args.lang) as report:
        from renewal_cli.output.streamed import check_csv, check_json, check_table

        chosen = one_choice(output_format, Format, "--format") or Format.TABLE
        check_binary(chosen, output)
        request = request_of(args, report)
        checked: Checked | None = None
        with read_registers_of(request, report) as registers:
            if large(registers):  # read twice, the problems sorted externally (twopass.py)
                checked, outcome = check_problems(request, registers)
            else:
                result = check_for(request, registers)
                outcome = result.outcome
        lang = request.lang
        problems = checked.problems() if checked is not None else iter(outcome.problems)
        try:
            data: bytes | Iterator[bytes]
            if chosen is Format.XLSX:
                from renewal_cli.output.xlsxfile import render_check_xlsx

                data = render_check_xlsx(list(problems), lang)
            elif chosen is Format.JSON:
                data = (piece.encode("utf-8") for piece in check_json(problems, lang))
            elif chosen is Format.CSV:
                data = check_csv(problems, lang, bom=not is_stdout(output))
            else:
                data = (piece.encode("utf-8") for piece in check_table(problems, lang))
            count = checked.count if checked is not None else len(outcome.problems)
            emit(data, output, report, count, outcome=outcome)
        finally:
            if checked is not None:
                checked.close()
        report.line(report.count_line(outcome))
        ok = not checked.errors if checked is not None else result.ok
        if outcome.failed or not ok:
            raise typer.Exit(EXIT_FAILURE)
