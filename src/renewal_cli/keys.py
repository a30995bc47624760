"""Pass one of a whole-register job: compact keys of every certificate read, and what is
decided from them (repeats, number clashes, supersession, overlaps).

A job over a register of 10^6 rows cannot hold a Certificate per row (about 1 KB each with its
strings). Pass one keeps, per certificate in reading order, a few numbers in arrays (48 bytes):
hashes of its number, holder, product and kind (scheme, grade, base), its place, its issue and
expiry days as ordinals, and where it was read (register, line). The decisions of the register's
repeat check (`register.py`, its `seen`), of `rules.successors` and of `check.overlaps` are then
made from these keys, exactly as those functions make them from the certificates, and pass two
reads the register again and applies them.

A hash is a key, not the value: two values can share one by chance. Two certificates with
different hashes always differ, so only the certificates whose keys some other certificate
shares (a small part of a register) are ever compared, and each comparison of equal hashes is
confirmed in pass two, where the values are read again (`Verifier`). Should one ever turn out
to be a chance collision, the run is made again with another hash function (`hasher`): an
answer never rests on a hash.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from renewal_cli.crosscheck import overlap_key
from renewal_cli.models import Certificate, Scheme
from renewal_cli.rules import number_key, text_key
from renewal_cli.spill import Spill

Hasher = Callable[[str], int]
"""A 64-bit hash of a text (signed, as array("q") holds it)."""

_MEMO = 4096
_SEP = "\x1f"  # never in a folded key: cells are cleaned of control characters, keys of spaces


def hasher(attempt: int) -> Hasher:
    """The hash function of a run's `attempt` (0: Python's own; later ones keyed BLAKE2b,
    independent of it, used only after a chance collision)."""
    if attempt == 0:
        return hash
    key = attempt.to_bytes(8, "little")

    def keyed(text: str) -> int:
        digest = hashlib.blake2b(
            text.encode("utf-8", "surrogatepass"), digest_size=8, key=key
        ).digest()
        return int.from_bytes(digest, "little", signed=True)

    return keyed


def _fold(value: str) -> str:
    """A product, grade or base as check.overlap_key folds it."""
    return "".join(value.split()).casefold()


def kind_text(c: Certificate) -> str:
    """What `rules.successors` calls the same kind: the scheme, grade and base (folded)."""
    return f"{c.scheme.value}{_SEP}{text_key(c.grade)}{_SEP}{text_key(c.base)}"


@dataclass
class Keys:
    """Pass one's keys: one entry per certificate, in reading order (index = position)."""

    hash: Hasher = hash
    overlaps: bool = False
    """Also keep the key `check.overlaps` groups by (renewal check)."""
    number: array[int] = field(default_factory=lambda: array("q"))
    holder: array[int] = field(default_factory=lambda: array("q"))
    product: array[int] = field(default_factory=lambda: array("q"))
    kind: array[int] = field(default_factory=lambda: array("q"))
    overlap: array[int] = field(default_factory=lambda: array("q"))
    place: array[int] = field(default_factory=lambda: array("H"))
    issued: array[int] = field(default_factory=lambda: array("i"))
    """Ordinal of the issue day, 0 when there is none."""
    expires: array[int] = field(default_factory=lambda: array("i"))
    """Ordinal of the expiry, 0 when there is none (a row without a certificate)."""
    register: array[int] = field(default_factory=lambda: array("H"))
    line: array[int] = field(default_factory=lambda: array("i"))
    places: dict[str, int] = field(default_factory=dict)
    _memo: dict[object, int] = field(default_factory=dict)
    """The hashes of products and kinds met lately (a register repeats them)."""

    def __len__(self) -> int:
        return len(self.line)

    def add(self, register: int, c: Certificate) -> None:
        """Keep the keys of a certificate read (in reading order) from register `register`."""
        self.add_values(
            register,
            c.cert_id,
            c.enterprise,
            c.product,
            c.scheme,
            c.grade or "",
            c.base or "",
            c.county or c.city,
            c.issued_on.toordinal() if c.issued_on else 0,
            c.expires_on.toordinal() if c.expires_on else 0,
            c.line,
        )

    def add_values(
        self,
        register: int,
        number: str,
        holder: str,
        product: str,
        scheme: Scheme,
        grade: str,
        base: str,
        place: str,
        issued: int,
        expires: int,
        line: int,
    ) -> None:
        """`add` of the values a certificate would hold (firstpass.py keys a plain row without
        building one): `place` is its county, else its city; the days are ordinals (0: none)."""
        h, memo = self.hash, self._memo
        holder_text = text_key(holder)  # no cache: most holders are met once or twice
        product_key = memo.get(product)
        if product_key is None:
            product_key = memo[product] = h(text_key(product))
        kind = memo.get((scheme, grade, base))
        if kind is None:
            kind = memo[scheme, grade, base] = h(
                f"{scheme.value}{_SEP}{text_key(grade)}{_SEP}{text_key(base)}"
            )
        if len(memo) > _MEMO:  # products, grades and bases repeat, but not without end
            memo.clear()
        self.number.append(h(number_key(number)))
        self.holder.append(h(holder_text))
        self.product.append(product_key)
        self.kind.append(kind)
        if self.overlaps:
            # check.overlap_key of the certificate, its holder's name given
            folded = (_fold(product), _fold(grade), _fold(base))
            self.overlap.append(h(_SEP.join((scheme.value, holder_text, place, *folded))))
        self.place.append(self.places.setdefault(place, len(self.places)))
        self.issued.append(issued)
        self.expires.append(expires)
        self.register.append(register)
        self.line.append(line)

    def shed(self) -> None:
        """Let go of the hashes once everything is decided from them (a Verifier keeps those
        it needs): pass two needs only where each certificate was read."""
        for name in ("number", "holder", "product", "kind", "overlap", "issued", "expires"):
            setattr(self, name, array(getattr(self, name).typecode))


def shared(values: Iterable[int], bits: int = 1 << 25) -> set[int]:
    """Every value met at least twice in `values`, and perhaps a few met once (a bitmap of
    `bits` bits tells values apart by their low bits): a superset kept small without a set
    of every value."""
    mask = bits - 1
    seen = bytearray(bits >> 3)
    maybe: set[int] = set()
    for value in values:
        low = value & mask
        byte, bit = low >> 3, 1 << (low & 7)
        if seen[byte] & bit:
            maybe.add(value)
        else:
            seen[byte] |= bit
    return maybe


def groups(indexes: Sequence[int], values: Sequence[int]) -> dict[int, list[int]]:
    """Of the `indexes` (ascending), those whose value (`values[k]` of `indexes[k]`) another
    of them shares, by value: each group in index order, in the order of their first member."""
    maybe = shared(values)
    found: dict[int, list[int]] = {}
    if not maybe:
        return found
    for index, value in zip(indexes, values, strict=True):
        if value in maybe:
            found.setdefault(value, []).append(index)
    return {value: members for value, members in found.items() if len(members) > 1}


@dataclass
class Rows:
    """What the register's repeat check makes of each row, decided from the keys."""

    repeats: dict[int, int] = field(default_factory=dict)
    """First index of a row left out as a repeat → the index of the earlier one it repeats."""
    clashes: dict[int, tuple[int, int]] = field(default_factory=dict)
    """First index of a row read with a number clash → (the earlier certificate's index, the
    index of the row's own certificate that clashes)."""
    dropped: bytearray = field(default_factory=bytearray)
    """1 for each certificate of a row left out as a repeat."""
    numbers: dict[int, list[int]] = field(default_factory=dict)
    """The certificates whose number hash another certificate shares, by hash."""


def _clash(keys: Keys, one: int, other: int) -> bool:
    """`rules.numbers_clash` of two certificates, by their keys."""
    holder, product, place = keys.holder, keys.product, keys.place
    return holder[one] != holder[other] and (
        product[one] != product[other] or place[one] != place[other]
    )


def decide_rows(keys: Keys) -> Rows:
    """The register's repeat check (a repeat is left out; a clash is read, with a warning),
    row by row in reading order, over the certificates with an expiry: what `Register`'s
    `_checked` decides with its `seen` dict, from the keys. Only rows holding a number that
    another certificate's hash shares are looked at: every other number is met once."""
    n = len(keys)
    decided = Rows(dropped=bytearray(n))
    expires, number = keys.expires, keys.number
    dated = array("i", (i for i in range(n) if expires[i]))
    decided.numbers = groups(dated, array("q", (number[i] for i in dated)))
    if not decided.numbers:
        return decided
    involved = sorted({i for members in decided.numbers.values() for i in members})
    admitted: dict[int, list[int]] = {}
    register, line = keys.register, keys.line
    done = -1
    for i in involved:
        if i <= done:
            continue
        start, end = i, i + 1
        while start > 0 and line[start - 1] == line[i] and register[start - 1] == register[i]:
            start -= 1
        while end < n and line[end] == line[i] and register[end] == register[i]:
            end += 1
        done = end - 1
        repeated: int | None = None
        clash: tuple[int, int] | None = None
        for j in range(start, end):
            if not expires[j]:
                continue
            for one in admitted.get(number[j], ()):
                if _clash(keys, one, j):
                    if clash is None:
                        clash = (one, j)
                elif expires[one] == expires[j]:
                    repeated = one
                    break
            if repeated is not None:
                break
        if repeated is not None:
            decided.repeats[start] = repeated
            decided.dropped[start:end] = b"\x01" * (end - start)
            continue
        if clash is not None:
            decided.clashes[start] = clash
        for j in range(start, end):
            if expires[j] and number[j] in decided.numbers:
                admitted.setdefault(number[j], []).append(j)
    return decided


@dataclass
class Lineages:
    """The groups `rules.successors` looks in: certificates sharing their kind and number, and
    those sharing their kind, holder, product and place (by hash; see Verifier)."""

    by_number: list[list[int]]
    by_holder: list[list[int]]


def lineages(keys: Keys, dropped: bytearray, until: int) -> Lineages:
    """The groups of the certificates read (not left out) issued on or before the ordinal
    `until`, with an expiry: only those can be, or have, a successor on that day."""
    issued, expires = keys.issued, keys.expires
    chosen = array(
        "i",
        (i for i in range(len(keys)) if not dropped[i] and expires[i] and 0 < issued[i] <= until),
    )
    kind, number, holder, product, place = (
        keys.kind,
        keys.number,
        keys.holder,
        keys.product,
        keys.place,
    )
    by_number = _exact_groups(
        chosen,
        array("q", (hash((kind[i], number[i])) for i in chosen)),
        lambda i: (kind[i], number[i]),
    )
    by_holder = _exact_groups(
        chosen,
        array("q", (hash((kind[i], holder[i], product[i], place[i])) for i in chosen)),
        lambda i: (kind[i], holder[i], product[i], place[i]),
    )
    return Lineages(by_number, by_holder)


def _exact_groups(
    chosen: Sequence[int], combined: Sequence[int], parts: Callable[[int], tuple[int, ...]]
) -> list[list[int]]:
    """Groups of `chosen` sharing `parts` (a tuple of keys), found through one hash of them
    (`combined`, aligned with `chosen`): in the order of their first member, each in index
    order."""
    found: dict[tuple[int, ...], list[int]] = {}
    for members in groups(chosen, combined).values():
        for i in members:
            found.setdefault(parts(i), []).append(i)
    return sorted((m for m in found.values() if len(m) > 1), key=lambda m: m[0])


def successors(keys: Keys, dropped: bytearray, as_of: date) -> dict[int, int]:
    """`rules.successors` from the keys: each certificate's (by index) successor's index on
    AS_OF. Of the candidates, the earliest issued wins; of equals, the first met, those of the
    same number before those of the same holder and product, each in reading order."""
    found = lineages(keys, dropped, as_of.toordinal())
    return successors_in(keys, found)


def successors_in(keys: Keys, found: Lineages) -> dict[int, int]:
    """`successors` within groups found already (`lineages`)."""
    issued, expires = keys.issued, keys.expires
    best: dict[int, int] = {}

    def name(group: list[int], apart: bool) -> None:
        for i in group:
            for other in group:
                if issued[other] > issued[i] and expires[other] > expires[i]:
                    if apart and _clash(keys, i, other):
                        continue
                    named = best.get(i)
                    if named is None or issued[named] > issued[other]:
                        best[i] = other

    for group in found.by_number:
        name(group, True)
    for group in found.by_holder:
        name(group, False)
    return {i: best[i] for i in sorted(best)}


def overlap_groups(keys: Keys, dropped: bytearray) -> list[list[int]]:
    """The groups `check.overlaps` looks in: certificates read (not left out) with both dates
    sharing the overlap key (scheme, holder, place, product, grade, base), by hash."""
    assert keys.overlaps, "keys kept without the overlap key"
    issued, expires, overlap = keys.issued, keys.expires, keys.overlap
    chosen = array(
        "i", (i for i in range(len(keys)) if not dropped[i] and issued[i] and expires[i])
    )
    return list(groups(chosen, array("q", (overlap[i] for i in chosen))).values())


def overlaps(keys: Keys, found: list[list[int]]) -> list[tuple[int, int]]:
    """`check.overlaps` from the keys: (later, earlier) index pairs, in the order the check
    finds them, of one holder and product certified twice for the same days."""
    issued, expires, line, number = keys.issued, keys.expires, keys.line, keys.number
    pairs: list[tuple[int, int]] = []
    for members in found:
        ordered = sorted(members, key=lambda i: (issued[i], expires[i], line[i], i))
        for earlier, later in itertools.pairwise(ordered):
            same = number[earlier] == number[later]
            if issued[later] <= expires[earlier] and not (
                same and expires[later] == expires[earlier]
            ):
                pairs.append((later, earlier))
    return pairs


# Tags of the values compared through their hashes (Verifier).
NUMBER, HOLDER, PRODUCT, KIND, OVERLAP = range(5)


class Verifier:
    """Pass two's confirmation that no hash compared in pass one was shared by chance.

    For each certificate whose keys were compared with another's (`watched`), the verifier
    copies its hashes (pass one's other keys can then be let go: Keys.shed); pass two hands it
    each Certificate (`see`), and the (tag, hash, value) records of the watched ones go to an
    external sort. `exact` tells whether every hash stood for one value only; `misread`, that
    a certificate's values are not those pass one hashed (the register changed)."""

    def __init__(self, keys: Keys, watched: Iterable[int], bound: int = 10_000) -> None:
        self.hash = keys.hash
        self.indexes = array("i", sorted(set(watched)))
        self.hashes: list[array[int]] = [
            array("q", (values[i] for i in self.indexes))
            for values in (keys.number, keys.holder, keys.product, keys.kind)
        ]
        if keys.overlaps:
            self.hashes.append(array("q", (keys.overlap[i] for i in self.indexes)))
        self._records: Spill[tuple[int, int, str]] = Spill(bound)
        self.misread = False
        self._at = 0
        """Where the indexes from the last certificate seen on start (they come in order)."""

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *_: object) -> None:
        self._records.close()

    def see(self, index: int, c: Certificate) -> None:
        """A certificate pass two read (`index` ascending from one call to the next)."""
        at, indexes = self._at, self.indexes
        if at < len(indexes) and indexes[at] < index:  # most calls: none watched here
            at = self._at = bisect.bisect_left(indexes, index, at)
        if at == len(indexes) or indexes[at] != index:
            return
        holder = text_key(c.enterprise)
        values = [number_key(c.cert_id), holder, text_key(c.product), kind_text(c)]
        if len(self.hashes) > OVERLAP:
            values.append(_SEP.join(overlap_key(c, holder)))
        h = self.hash
        for tag, value in enumerate(values):
            hashed = self.hashes[tag][at]
            if h(value) != hashed:
                self.misread = True
            self._records.add((tag, hashed, value))

    def exact(self) -> bool:
        """Whether every hash compared stood for one value."""
        last: tuple[int, int] | None = None
        value = ""
        for tag, hashed, text in self._records.sorted():
            if (tag, hashed) == last and text != value:
                return False
            last, value = (tag, hashed), text
        return True


def watched(rows: Rows, *found: Lineages, overlapping: Sequence[list[int]] = ()) -> Iterator[int]:
    """The certificates whose keys were compared with another's: those of a shared number (the
    repeat and clash checks), of a lineage group, and of an overlap group."""
    for members in rows.numbers.values():
        yield from members
    for lineage in found:
        for group in (*lineage.by_number, *lineage.by_holder):
            yield from group
    for group in overlapping:
        yield from group
