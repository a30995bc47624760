"""The blocks a notice to a holder is laid out from (output/notice.py makes them): lines with a
role, and the entries of its items. The text (notice.notice_text) and the Word document
(notice_word.word_document) each lay out the same blocks their own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    """What a line of the notice is; each format lays the roles out its own way."""

    LETTERHEAD = "letterhead"
    TITLE = "title"
    ADDRESSEE = "addressee"
    BODY = "body"
    SECTION = "section"
    LIST_HEADING = "list_heading"
    LIST_ENTRY = "list_entry"
    CLOSING = "closing"
    SIGNATURE = "signature"


@dataclass(frozen=True)
class Line:
    """One paragraph of the notice."""

    role: Role
    text: str
    keep_with_next: bool = False
    """Printed on the same page as what follows (a heading, a list, the closing and seal)."""


@dataclass(frozen=True)
class Entry:
    """One item of the notice, worded."""

    number: int
    product: str
    scheme: str
    cert_id: str | None
    """None for rows without a certificate (a planned application)."""
    validity: tuple[str, str, str] | None
    """(label id, as one line, as a table cell), or None when the row has no dates."""
    task: str
    action: str
    """What to do: the action's label, or for a late or expired item what is still possible."""
    deadline: str | None
    """The day to meet, for a pending item; None once the item's time has passed."""
    deadline_note: str | None
    """The last working day to hand in, when the deadline is not one."""
    rule: str
    window: str | None = None
    """For a late or expired item: that its time closed, and on which day."""
    use: str | None = None
    """For a late or expired certificate: the label's last day, or that it may no longer be
    used."""


@dataclass(frozen=True)
class Entries:
    """The notice's items: labelled lines in text, a table in the document."""

    entries: tuple[Entry, ...]


Block = Line | Entries
