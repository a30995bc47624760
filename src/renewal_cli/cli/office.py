"""The office that signs what goes to holders: its options (--office, --office-contact,
--letterhead), shared by `renewal notice` and `renewal mail --holders`, and the office they name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from renewal_cli.errors import UsageError
from renewal_cli.holders import Office

OfficeOpt = Annotated[
    str | None,
    typer.Option(
        "--office",
        metavar="NAME",
        help="help.notice.office",
    ),
]
OfficeContactOpt = Annotated[
    str | None,
    typer.Option(
        "--office-contact",
        metavar="TEXT",
        help="help.notice.office_contact",
    ),
]
LetterheadOpt = Annotated[
    str | None,
    typer.Option("--letterhead", metavar="TEXT", help="help.notice.letterhead"),
]


def office_of(
    name: str | None, contact: str | None, letterhead: str | None, policy: str | None
) -> Office:
    """The office from the options, else from the policy file's [office] table; never built in."""
    from_file = None
    if policy:
        from renewal_cli.policyfile import read_policy_file  # pydantic: only with --policy

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
