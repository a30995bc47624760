"""`renewal notice`: one printable reminder notice (续展提醒告知书) per holder, into a folder."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from renewal_cli.cli.common import request_of, run_selection
from renewal_cli.cli.emit import check_output, is_stdout
from renewal_cli.cli.office import LetterheadOpt, OfficeContactOpt, OfficeOpt, office_of
from renewal_cli.cli.options import QuietOpt, selecting
from renewal_cli.cli.reporter import edge
from renewal_cli.errors import UsageError
from renewal_cli.request import SelectionArgs, one_choice


class NoticeFormat(StrEnum):
    DOCX = "docx"
    TXT = "txt"


NoticeDirOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="DIR", help="help.notice.output"),
]
NoticeFormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", metavar="docx|txt", help="help.notice.format"),
]


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
        request = request_of(args, report, quiet)
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
