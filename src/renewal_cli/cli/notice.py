"""`renewal notice`: one printable reminder notice (续展提醒告知书) per holder, into a folder."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from renewal_cli.cli.common import (
    QuietOpt,
    check_output,
    edge,
    is_stdout,
    run_selection,
    selecting,
    today_in_china,
)
from renewal_cli.errors import UsageError
from renewal_cli.holders import Office
from renewal_cli.request import SelectionArgs, build_request, one_choice


class NoticeFormat(StrEnum):
    DOCX = "docx"
    TXT = "txt"


NoticeDirOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="DIR", help="写入的目录 / The folder to write into."),
]
NoticeFormatOpt = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="docx|txt", help="docx 供打印，txt 供粘贴 / docx to print, txt."
    ),
]
OfficeOpt = Annotated[
    str | None,
    typer.Option(
        "--office",
        metavar="NAME",
        help="发文单位（或策略文件中 office 表的 name）/ Issuing office (or the policy file's).",
    ),
]
OfficeContactOpt = Annotated[
    str | None,
    typer.Option(
        "--office-contact",
        metavar="TEXT",
        help="联系人及电话 / Contact person and phone, as printed.",
    ),
]
LetterheadOpt = Annotated[
    str | None,
    typer.Option("--letterhead", metavar="TEXT", help="文头（可选）/ Letterhead line (optional)."),
]


def office_of(
    name: str | None, contact: str | None, letterhead: str | None, policy: str | None
) -> Office:
    """The office from the options, else from the policy file's [office] table; never built in."""
    from_file = None
    if policy:
        from renewal_cli.policy import read_policy_file

        from_file = read_policy_file(Path(policy)).office
    name = name or (from_file.name if from_file else None)
    office = Office(
        name=name or "",
        contact=contact or (from_file.contact if from_file else None),
        letterhead=letterhead or (from_file.letterhead if from_file else None),
    )
    if not office.name:  # none given, or nothing left once cleaned
        raise UsageError("usage.notice_office")
    return office


@selecting
def notice(
    args: SelectionArgs,
    output: NoticeDirOpt = None,
    output_format: NoticeFormatOpt = "docx",
    office: OfficeOpt = None,
    office_contact: OfficeContactOpt = None,
    letterhead: LetterheadOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """给每个获证主体写一份续展提醒告知书 / Write one reminder notice per holder, to print or send."""
    with edge(args.lang, quiet) as report:
        from renewal_cli.jobs import write_notices

        chosen = one_choice(output_format, NoticeFormat, "--format") or NoticeFormat.DOCX
        if is_stdout(output):
            raise UsageError("usage.notice_needs_dir")
        assert output is not None
        request = build_request(args, today=today_in_china(), quiet=quiet)
        check_output(output, request.registers)
        sender = office_of(office, office_contact, letterhead, args.policy)
        outcome = run_selection(request, report)
        written = write_notices(
            outcome.items,
            office=sender,
            directory=output,
            as_of=request.as_of,
            lang=request.lang,
            ext=chosen.value,
        )
        for file in written:
            report.note("note.written_notice", path=file.path, holder=file.holder, count=file.items)
        report.note("note.notices", count=len(written), directory=output)
        report.finish(outcome, request)
