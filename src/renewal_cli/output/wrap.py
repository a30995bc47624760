"""Wrapping Chinese and English text to a width in terminal cells (a CJK character counts two).

Chinese breaks between characters, English at spaces, and neither where a reader would stumble:
never inside a number or a Latin word ("2026", "LB-45-…", "100%"), never inside a title
(《绿色食品标志管理办法》, unless it alone is wider than a line), never before a closing mark
(》，。）、；：！？ …: no line starts with one) and never after an opening mark (《（“: no line ends
with one). These are the kinsoku rules of CJK typesetting (W3C, Requirements for Chinese Text
Layout, 3.1.7), kept small: Python's textwrap knows spaces only, and rich cuts at any cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.cells import cell_len, chop_cells

# No line starts with these (closing brackets and quotes, punctuation that ends a phrase).
CLOSING = frozenset("）》」』】〕〉〗”’，。、；：！？…—～·%)]},.;:!?")
# No line ends with these (opening brackets and quotes).
OPENING = frozenset("（《「『【〔〈〖“‘([{")

# What may not be split: a title, a Latin word or number with its inner marks (2024-10-01,
# LB-45-21090212001A, 3.5, 1,700, don't, 100%, new_application) and its lead (--as-of,
# $RENEWAL_LANG, .xlsx), a run of spaces, else one character.
_TOKEN = re.compile(
    r"《[^《》\n]*》"
    r"|(?:--?|\$|\.)?[0-9A-Za-z_]+(?:[-./:,'’][0-9A-Za-z_]+)*%?"
    r"|\s+"
    r"|.",
    re.S,
)


def units(text: str, keep: Sequence[str] = ()) -> list[str]:
    """The text as pieces that may be put on different lines, spaces kept as " " pieces;
    each of `keep` (a place name with its count, say) stays one piece."""
    tokens = _TOKEN
    if keep:
        kept = "|".join(re.escape(k) for k in sorted(keep, key=len, reverse=True) if k)
        tokens = re.compile(f"{kept}|{_TOKEN.pattern}", re.S)
    out: list[str] = []
    glue = False  # the last piece ended with an opening mark: the next one joins it
    for token in tokens.findall(text):
        if token.isspace():
            if glue:  # "（ 甲": the space stays inside, the bracket still holds on
                out[-1] += " "
            else:
                out.append(" ")
            continue
        if token[0] in CLOSING and len(out) > 1 and out[-1] == " ":
            out.pop()  # "甲 》": the mark holds on to 甲 across the space
            out[-1] += " "
        if out and out[-1] != " " and (glue or token[0] in CLOSING):
            out[-1] += token
        else:
            out.append(token)
        glue = token[-1] in OPENING
    return out


def wrap(text: str, width: int, later: int | None = None, keep: Sequence[str] = ()) -> list[str]:
    """`text` as lines of at most `width` cells (`later` for the lines after the first),
    never cutting inside one of `keep`.

    A piece wider than a whole line is cut by cells; a closing mark the cut would put first
    on a line stays at the end of the line before instead (one character past the width).
    """
    rooms = (max(1, width), max(1, later if later is not None else width))
    lines: list[str] = []
    line = ""
    space = False
    for unit in units(text, keep):
        if unit == " ":
            space = bool(line)
            continue
        room = rooms[1] if lines else rooms[0]
        joined = line + (" " if space else "") + unit
        space = False
        if cell_len(joined) <= room:
            line = joined
            continue
        if line:
            lines.append(line.rstrip())
            line = ""
            room = rooms[1]
        if cell_len(unit) <= room:
            line = unit
            continue
        pieces = _cut(unit, room, rooms[1])
        lines.extend(pieces[:-1])
        line = pieces[-1]
    if line or not lines:
        lines.append(line.rstrip())
    return lines


def _cut(unit: str, first: int, rest: int) -> list[str]:
    """A piece wider than a line, cut by cells (`first` for its first part), a path after a
    "/" where one fits: no part starts with a closing mark (it stays at the end of the part
    before) nor ends with an opening mark (it goes down with what it opens), unless the part
    is that mark alone."""
    out: list[str] = []
    room = first
    while unit:
        # At a break a space goes, and a closing mark stays at the end of the part before
        # ("甲 》" holds together as one piece).
        while out and unit and (unit[0] == " " or unit[0] in CLOSING):
            if unit[0] != " ":
                out[-1] += unit[0]
            unit = unit[1:]
        if not unit:
            break
        head = chop_cells(unit, room)[0] or unit[0]
        if len(head) < len(unit):
            if "/" in head[:-1]:  # a path goes on after one of its folders, not mid-name
                head = head[: head.rindex("/", 0, len(head) - 1) + 1]
            while len(head) > 1 and head[-1] in OPENING:
                head = head[:-1]
        unit = unit[len(head) :]
        out.append(head.rstrip(" ") or head)
        room = rest
    return out
