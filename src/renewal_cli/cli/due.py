"""`renewal due`: the selected items as a table, CSV or JSON, on stdout or -o FILE."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from renewal_cli.cli.common import (
    OutputOpt,
    Reporter,
    check_output,
    edge,
    emit,
    env_width,
    is_stdout,
    plain_output,
    read_registers_of,
    request_of,
    run_selection,
    selecting,
)
from renewal_cli.errors import UsageError
from renewal_cli.jobs import Outcome, select_items
from renewal_cli.messages import Lang
from renewal_cli.models import ScheduleItem
from renewal_cli.request import Request, SelectionArgs, one_choice


class Format(StrEnum):
    """Output formats of `due`."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", metavar="table|csv|json|xlsx", help="help.format"),
]
BomOpt = Annotated[
    bool,
    typer.Option("--bom", help="help.due.bom"),
]
OutEncodingOpt = Annotated[
    str,
    typer.Option(
        "--out-encoding",
        metavar="utf-8|gb18030",
        help="help.due.out_encoding",
    ),
]
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

        return encode_csv_chunks(csv_chunks(items, lang, raw=how.raw), how)
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
        return encode_csv(holderfile.render_holders_csv(holders, lang, raw=how.raw), how)
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


def encode_csv_chunks(pieces: Iterator[str], how: Rendering) -> Iterator[bytes]:
    """`encode_csv` piece by piece: the BOM, if any, once at the start."""
    first = True
    for piece in pieces:
        yield encode_csv(piece, how) if first else piece.encode(how.encoding)
        first = False


def encode_csv(data: str, how: Rendering) -> bytes:
    """CSV bytes: UTF-8 with a BOM in a file or with --bom (Excel reads UTF-8 without one as
    GBK), or GB18030 with --out-encoding gb18030 for Excel and WPS on Chinese Windows."""
    if how.encoding != "utf-8":
        return data.encode(how.encoding)
    return ("\ufeff" if how.to_file or how.bom else "").encode() + data.encode("utf-8")


def check_binary(chosen: Format, output: Path | None) -> None:
    """A workbook is written to a file (-o), or to a pipe, never onto a terminal."""
    terminal = sys.stdout is not None and sys.stdout.isatty()
    if chosen is Format.XLSX and is_stdout(output) and terminal:
        raise UsageError("usage.xlsx_needs_file")


def out_encoding_of(value: str) -> str:
    """--out-encoding: UTF-8 or GB18030 (GBK is a subset) for CSV."""
    name = value.strip().lower().replace("_", "-")
    if name in ("utf-8", "utf8"):
        return "utf-8"
    if name in ("gb18030", "gbk", "gb2312"):
        return "gb18030"
    raise UsageError(
        "usage.bad_choice", option="--out-encoding", value=value, choices="utf-8, gb18030"
    )


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
        if not in_two_passes(request, how):
            outcome = run_selection(request, report)
            data = render(outcome.items, request, how)
            emit(data, output, report, len(outcome.items), outcome=outcome)
        else:
            outcome = _due_in_two_passes(request, how, output, report)
        report.finish(outcome, request)


def in_two_passes(request: Request, how: Rendering) -> bool:
    """Whether `due` may read in two passes, in flat memory (twopass.py): the whole register
    (no place scope) written as JSON or CSV (by item or by holder)."""
    scope = request.selection.scope
    return not (scope.cities or scope.counties) and how.chosen in (Format.JSON, Format.CSV)


def _due_in_two_passes(
    request: Request, how: Rendering, output: Path | None, report: Reporter
) -> Outcome:
    """`due` of large registers: their items rendered and sorted externally as the registers
    are read again, then written from the sort (smaller ones are read once, as ever)."""
    from renewal_cli.models import RECORD_KEYS
    from renewal_cli.output.holderfile import headings
    from renewal_cli.output.streamed import csv_line, json_array
    from renewal_cli.present import field_label
    from renewal_cli.twopass import Sink, due_items, large

    fmt = "json" if how.chosen is Format.JSON else "csv"
    items: Sink | None = None
    with read_registers_of(request, report) as registers:
        if large(registers):
            items, outcome = due_items(
                request, registers, fmt=fmt, lang=request.lang, raw=how.raw, by_holder=how.by_holder
            )
        else:
            outcome = select_items(request, registers)
    report.problems(outcome)
    if outcome.blocked(request.strict) or items is None:
        if outcome.blocked(request.strict):
            report.finish(outcome, request)
        emit(
            render(outcome.items, request, how), output, report, len(outcome.items), outcome=outcome
        )
        return outcome
    try:
        outcome.tallied = items.statuses
        data: Iterator[bytes]
        if how.chosen is Format.JSON:
            data = (piece.encode("utf-8") for piece in json_array(items.texts()))
        else:
            names = (
                headings(request.lang)
                if how.by_holder
                else [field_label(key, request.lang) for key in RECORD_KEYS]
            )
            header = csv_line(names)
            data = encode_csv_chunks(_chained(header, items.texts()), how)
        emit(data, output, report, items.count, outcome=outcome)
    finally:
        items.close()
    return outcome


def _chained(first: str, rest: Iterator[str]) -> Iterator[str]:
    """`first`, then the rest joined into pieces."""
    from renewal_cli.output.streamed import batched

    yield first
    yield from batched(rest)
