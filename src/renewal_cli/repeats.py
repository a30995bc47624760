"""The checks of every number read against the rows read before it.

A row repeats an earlier one when it has the same number and expiry and no clash with it (the
same holder, or the same product in the same place): it is left out. A number held by another
holder for another product or place is a clash (`rules.numbers_clash`): both rows are read, and
the later one is warned of. A number of the other scheme's form (an organic number on a green
food row) is warned of too. What the rows read so far hold is kept in a `Seen`, shared by the
registers of one run, so a repeat or a clash is found across files as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from renewal_cli.models import Scheme
from renewal_cli.rules import numbers_clash

Held = tuple[str, int, date, str, str, str, str | None]
"""A certificate read, as the repeat and clash checks need it: (file, line, expiry, holder,
product, city, county), the holder and product as typed, the place canonical."""
Seen = dict[str, Held | list[Held]]
"""number_key → the certificates read under that number, in the order read (one, or a list
when several share it): the repeat and number-clash checks."""


class Watched(dict[str, Held | list[Held]]):
    """A Seen that checks and remembers only the numbers `watches` names. A job reading a
    register twice (twopass.py) knows after the first pass which numbers can repeat or clash:
    any other number is met once, or its rows neither repeat nor clash, so checking it would
    find nothing and remembering it would only cost memory."""

    def __init__(self, watches: Callable[[str], bool]) -> None:
        super().__init__()
        self.watches = watches


def remember(
    seen: Seen, keys: list[str], held: list[Held]
) -> tuple[Held | None, tuple[Held, Held] | None]:
    """A row's numbers (`keys`, each with its certificate in `held`) checked against the rows
    read before: the earlier row it repeats (then the row is not remembered), else None and
    the first number clash (the earlier row and this one), once the row is remembered."""
    if type(seen) is Watched:
        watches = seen.watches
        if not all(map(watches, keys)):
            chosen = [n for n, key in enumerate(keys) if watches(key)]
            if not chosen:
                return None, None
            keys, held = [keys[n] for n in chosen], [held[n] for n in chosen]
    if len(keys) == 1 and keys[0] not in seen:  # the usual row: one number, met first
        seen[keys[0]] = held[0]
        return None, None
    clash: tuple[Held, Held] | None = None
    for key, mine in zip(keys, held, strict=True):
        earlier = seen.get(key)
        if earlier is not None:
            repeated, clashing = _against(earlier, mine)
            if repeated is not None:
                return repeated, None
            if clash is None and clashing is not None:
                clash = clashing, mine
    for key, mine in zip(keys, held, strict=True):
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = mine
        elif type(earlier) is list:
            earlier.append(mine)
        else:
            seen[key] = [earlier, mine]  # type: ignore[list-item]
    return None, clash


def _against(earlier: Held | list[Held], row: Held) -> tuple[Held | None, Held | None]:
    """What the rows read before under a row's number make of it: the first it repeats (the
    same expiry, and no clash: the same holder, or the same product in the same place), and
    the first it clashes with (`rules.numbers_clash`). A repeat is left out; a clash is read."""
    repeated: Held | None = None
    clashing: Held | None = None
    mine = (row[3], row[4], row[5], row[6])
    for one in earlier if type(earlier) is list else (earlier,):
        assert isinstance(one, tuple)
        if numbers_clash((one[3], one[4], one[5], one[6]), mine):
            clashing = clashing or one
        elif one[2] == row[2]:
            repeated = one
            break
    return repeated, clashing


# The forms of certificate numbers (number_key: lower case, no hyphens or spaces) that belong
# to one scheme: green food's product number LB-cc-yymmppsssssA, and an organic certification
# number nnnnOPyysssss (three or four digits of the certifier, OP, the year and a serial). A
# GF enterprise code, or any other form, belongs to neither and is never warned of.
_GREEN_NUMBER = re.compile(r"lb\d")
_ORGANIC_NUMBER = re.compile(r"\d{3,4}op\d{2,}")


# A scheme → the test of a number (its number_key) having the other scheme's form (the
# patterns themselves: a call per row, and a usual number fails at its first characters).
OTHER_FORM: dict[Scheme, Callable[[str], object]] = {
    Scheme.GREEN: _ORGANIC_NUMBER.fullmatch,
    Scheme.ORGANIC: _GREEN_NUMBER.match,
}


def other_form(scheme: Scheme, keys: list[str]) -> Scheme | None:
    """The other scheme, when one of a row's numbers (number keys) has its form."""
    other = OTHER_FORM.get(scheme)
    if other is not None and any(map(other, keys)):
        return Scheme.ORGANIC if scheme is Scheme.GREEN else Scheme.GREEN
    return None
