"""`renewal rules`: the rules in force for a plan year, with a policy file applied."""

from __future__ import annotations

from renewal_cli.cli.common import request_of
from renewal_cli.cli.emit import emit
from renewal_cli.cli.options import Format, FormatOpt, OutputOpt, selecting
from renewal_cli.cli.reporter import edge
from renewal_cli.errors import UsageError
from renewal_cli.request import SelectionArgs, one_choice


@selecting(only=("as_of", "plan_year", "lang", "policy"))
def rules(
    args: SelectionArgs, output_format: FormatOpt = "table", output: OutputOpt = None
) -> None:
    """显示工作方案的规则 / Show the rules in force: each kind, its lead, flags and source."""
    with edge(args.lang) as report:
        from renewal_cli.output.rulesfile import render_rules_json, render_rules_table

        chosen = one_choice(output_format, Format, "--format") or Format.TABLE
        if chosen in (Format.CSV, Format.XLSX):
            raise UsageError(
                "usage.bad_choice", option="--format", value=output_format, choices="table, json"
            )
        request = request_of(args, report)
        policy = request.policy
        data = (
            render_rules_json(policy)
            if chosen is Format.JSON
            else render_rules_table(policy, request.lang)
        )
        emit(data.encode("utf-8"), output, report, 7)
