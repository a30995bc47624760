"""Text bound for a mail header, made safe wherever it comes from.

Python's email package refuses a header value holding any character `str.splitlines` breaks
at: CR and LF, but also VT, FF, the separators U+001C-U+001E, NEL (U+0085) and the line and
paragraph separators U+2028 and U+2029. A holder name, an office or a contact's display name
holding one would end the run ("Header values may not contain linefeed..."); a CR or LF would
start a header of its own. Each becomes a space, as does every other control character.
"""

from __future__ import annotations

import unicodedata

# Every control character (C0, DEL, C1: NEL among them) and the two Unicode separators.
_TO_SPACE = {code: " " for code in range(0x100) if unicodedata.category(chr(code)) == "Cc"}
_TO_SPACE.update({0x2028: " ", 0x2029: " "})
_TABLE = str.maketrans(_TO_SPACE)


def one_line(value: str) -> str:
    """`value` as one header line: breaks and control characters become spaces, and the ends
    are trimmed."""
    return value.translate(_TABLE).strip()


def breaks_header(ch: str) -> bool:
    """Whether `ch` is one of the characters one_line replaces."""
    return ord(ch) in _TO_SPACE
