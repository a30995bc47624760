"""Sources: a register's file turned into rows of cells, each with the lines it came from.

Every source (a CSV file in any accepted encoding: csvfile.py; an .xlsx workbook: xlsx.py)
yields `Row`s (or runs of them, `Rows`) and the Problems of reading, in file order, and cleans
every cell of control characters (`clean_cell`), so nothing downstream ever sees them. What a
source cannot read becomes a Problem, never an exception. opening.py opens any of them: a path,
bytes already read, or a stream spooled to a file first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from renewal_cli.models import Problem, ProblemCode

# What a register cell never keeps, so no output can carry it:
# - C0 and C1 controls and DEL (NUL, ESC, …: a terminal escape);
# - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what
#   follows them on screen and in mail ("公司\u202eexe.txt" shows as "公司txt.exe");
# - what XML 1.0 forbids or calls a non-character: lone surrogates, U+FDD0–U+FDEF and the last
#   two code points of every plane (U+FFFE, U+FFFF, …), which break .xlsx, .docx and mail.
# Tabs and line breaks inside a cell become spaces, and so do the line and paragraph separators
# (U+2028, U+2029: Word's line breaks, which mail headers and some viewers take as line ends).
# NEL (U+0085) goes with the other C1 controls: in a register it is a mis-decoded "…".
_NONCHARACTERS = [
    *range(0xFDD0, 0xFDF0),
    *(plane | last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)),
]
INLINE_CONTROL = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(c) for c in _NONCHARACTERS if c > 0xFDEF)
)
"""The characters of CONTROL but tab and the line breaks (\n, \r), as a regex class's body."""
CONTROL = re.compile(f"[\t\n\r{INLINE_CONTROL}]")
CONTROL_TABLE: dict[int, str | None] = {
    i: None
    for i in [
        *range(0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xD800, 0xE000),
        *_NONCHARACTERS,
    ]
} | {0x09: " ", 0x0A: " ", 0x0D: " ", 0x2028: " ", 0x2029: " "}


class Row(NamedTuple):
    """One record of the source: its cells and the physical lines it spans (a tuple: made
    once per row, a frozen dataclass costs three times as much)."""

    line: int
    end_line: int
    cells: list[str]


class Rows(NamedTuple):
    """Records of one line each on consecutive lines, the first on `line`: what a source
    yields for the plain run of a large file instead of a Row each (a CSV file's lines
    without quotes or control characters; a workbook's rows past the header search)."""

    line: int
    cells: list[list[str]]


Entry = Row | Rows | Problem
"""What a source yields, in file order."""

NEW_ROW: Callable[[tuple[int, int, list[str]]], Row] = functools.partial(tuple.__new__, Row)
"""Row((line, end_line, cells)) without NamedTuple's Python-level __new__ (once per line)."""


def clean_cell(value: str) -> str:
    """A cell without control characters, bidi controls or what XML forbids (tabs and line
    breaks become spaces); see CONTROL."""
    return value.translate(CONTROL_TABLE) if CONTROL.search(value) else value


def reading_problem(name: str, code: ProblemCode, **detail: object) -> Problem:
    return Problem(source=name, code=code, detail={k: str(v) for k, v in detail.items()})


def is_spreadsheet(head: bytes) -> bool:
    """A legacy .xls (OLE2) file; .xlsx files are zip archives and are read by xlsx.py."""
    return head.startswith(b"\xd0\xcf\x11\xe0")


def is_workbook(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")
