"""`renewal due`: the selected items (api.due_for) as a table, CSV, JSON or .xlsx, on stdout or
-o FILE."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from renewal_cli.api import due_for
from renewal_cli.cli.common import read_registers_of, request_of
from renewal_cli.cli.emit import check_output, emit, env_width, is_stdout, plain_output
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
from renewal_cli.cli.reporter import Reporter, edge
from renewal_cli.messages import Lang
from renewal_cli.models import ScheduleItem
from renewal_cli.output.csvwriter import CsvEncoding, csv_encoding
from renewal_cli.register import Register
from renewal_cli.request import Request, SelectionArgs, one_choice
from renewal_cli.twopass import due_items, large

ByHolderOpt = Annotated[
    bool,
    typer.Option(
        "--by-holder",
        help="help.due.by_holder",
    ),
]
RawOpt = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="help.due.raw",
    ),
]


@dataclass(frozen=True)
class Rendering:
    """How the chosen format is written: to a file or not, raw CSV, BOM, text encoding."""

    chosen: Format
    to_file: bool
    raw: bool = False
    bom: bool = False
    encoding: str = "utf-8"
    by_holder: bool = False

    @property
    def csv(self) -> CsvEncoding:
        return csv_encoding(to_file=self.to_file, bom=self.bom, encoding=self.encoding)


def render(items: list[ScheduleItem], request: Request, how: Rendering) -> bytes | Iterator[bytes]:
    """The items in the chosen format, as the bytes to write (CSV and JSON in pieces, written
    as they are made)."""
    lang: Lang = request.lang
    if how.by_holder:
        return render_holders(items, request, how)
    if how.chosen is Format.JSON:
        from renewal_cli.output.jsonfile import json_chunks

        return (piece.encode("utf-8") for piece in json_chunks(items))
    if how.chosen is Format.CSV:
        from renewal_cli.output.csvfile import csv_chunks

        return how.csv.encode(csv_chunks(items, lang, raw=how.raw))
    if how.chosen is Format.XLSX:
        from renewal_cli.output.xlsxfile import render_items_xlsx

        return render_items_xlsx(items, lang)
    from renewal_cli.output.table import render_table  # rich costs start-up time otherwise

    color, width = _screen(how)
    return render_table(
        items,
        as_of=request.as_of,
        plan_year=request.policy.plan_year,
        plan_used=request.policy.plan_used,
        lang=lang,
        color=color,
        width=width,
    ).encode("utf-8")


def _screen(how: Rendering) -> tuple[bool, int | None]:
    """Colour and width of a table: a terminal's, else plain at COLUMNS (or as wide as needed)."""
    terminal = not how.to_file and sys.stdout is not None and sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if terminal else env_width()
    return terminal and not plain_output(), width


def render_holders(items: list[ScheduleItem], request: Request, how: Rendering) -> bytes:
    """The call list: the selected items grouped by holder."""
    from renewal_cli.holders import group_by_holder
    from renewal_cli.output import holderfile

    holders = group_by_holder(items)
    lang: Lang = request.lang
    if how.chosen is Format.JSON:
        return holderfile.render_holders_json(holders).encode("utf-8")
    if how.chosen is Format.CSV:
        return how.csv.encode_text(holderfile.render_holders_csv(holders, lang, raw=how.raw))
    if how.chosen is Format.XLSX:
        return holderfile.render_holders_xlsx(holders, lang)
    color, width = _screen(how)
    return holderfile.render_holders_table(
        holders,
        as_of=request.as_of.isoformat(),
        lang=lang,
        color=color,
        width=width,
    ).encode("utf-8")


@selecting
def due(
    args: SelectionArgs,
    output_format: FormatOpt = "table",
    output: OutputOpt = None,
    raw: RawOpt = False,
    bom: BomOpt = False,
    out_encoding: OutEncodingOpt = "utf-8",
    by_holder: ByHolderOpt = False,
) -> None:
    """列出需要处理的证书 / List the certificates that need action, with file-by day and status."""
    with edge(args.lang) as report:
        chosen = one_choice(output_format, Format, "--format") or Format.TABLE
        encoding = out_encoding_of(out_encoding)
        how = Rendering(chosen, not is_stdout(output), raw, bom, encoding, by_holder)
        check_binary(chosen, output)
        request = request_of(args, report)
        check_output(output, request.registers)
        with read_registers_of(request, report) as registers:
            if in_two_passes(request, how) and large(registers):
                _due_in_two_passes(request, registers, how, output, report)
                return
            result = due_for(request, registers)
        outcome = result.outcome
        report.problems(outcome)
        if result.blocked:
            report.finish(outcome, request)
        data = render(result.items, request, how)
        emit(data, output, report, len(result.items), outcome=outcome)
        report.finish(outcome, request)


def in_two_passes(request: Request, how: Rendering) -> bool:
    """Whether `due` reads a large register in two passes, in flat memory (twopass.py): the
    whole register (no place scope) written as JSON or CSV, by item or by holder."""
    scope = request.selection.scope
    return not (scope.cities or scope.counties) and how.chosen in (Format.JSON, Format.CSV)


def _due_in_two_passes(
    request: Request,
    registers: Sequence[Register],
    how: Rendering,
    output: Path | None,
    report: Reporter,
) -> None:
    """`due` whose items are rendered and sorted externally as the registers are read again,
    then written from the sort (twopass.due_items)."""
    from renewal_cli.models import RECORD_KEYS
    from renewal_cli.output.csvwriter import csv_lines
    from renewal_cli.output.holderfile import headings
    from renewal_cli.output.streamed import json_array
    from renewal_cli.present import field_label

    lang = request.lang
    fmt = "json" if how.chosen is Format.JSON else "csv"
    items, outcome = due_items(
        request, registers, fmt=fmt, lang=lang, raw=how.raw, by_holder=how.by_holder
    )
    report.problems(outcome)
    if items is None:  # nothing may be written
        report.finish(outcome, request)
        return
    try:
        outcome.tallied = items.statuses
        data: Iterator[bytes]
        if fmt == "json":
            data = (piece.encode("utf-8") for piece in json_array(items.texts()))
        else:
            names = headings(lang) if how.by_holder else [field_label(k, lang) for k in RECORD_KEYS]
            data = how.csv.encode(csv_lines(names, items.rows()))
        emit(data, output, report, items.count, outcome=outcome)
    finally:
        items.close()
    report.finish(outcome, request)
