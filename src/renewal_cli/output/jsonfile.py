"""JSON output: an array of flat records with stable keys (models.RECORD_KEYS).

Each record is written out by `_line` from the item itself, as `json.dumps(item.record(),
ensure_ascii=False)` writes it (tests/test_fast_paths.py holds the two equal): building the
record's dict and walking it in the encoder cost three times as much, and a national
register's --all has 10^5 records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from json.encoder import encode_basestring

from renewal_cli.models import Action, Flag, Kind, ScheduleItem, Scheme, Status

# Every member's value as JSON text. Members of different enums with one value (Kind.TRANSFER,
# Action.TRANSFER) are one key of this dict, as StrEnums; their texts are the same too.
_VALUES: dict[str, str] = {
    member: encode_basestring(member.value)
    for enum in (Scheme, Status, Action, Kind, Flag)
    for member in enum
}
_FLAG_SETS: dict[tuple[Flag, ...], str] = {}


def render_json(items: Sequence[ScheduleItem]) -> str:
    """The items as a JSON array, one object per line, dates in ISO form, Chinese readable.

    One compact object per line keeps the output greppable.
    """
    if not items:
        return "[]\n"
    lines = ",\n".join(map(_line, items))
    return f"[\n{lines}\n]\n"


def json_chunks(items: Iterable[ScheduleItem], per_chunk: int = 2000) -> Iterator[str]:
    """`render_json`'s text in pieces of `per_chunk` records, for a stream: the output of a
    national register is written as it is made, never held whole."""
    opened = False
    batch: list[str] = []
    for item in items:
        batch.append(_line(item))
        if len(batch) == per_chunk:
            yield ("[\n" if not opened else ",\n") + ",\n".join(batch)
            opened, batch = True, []
    if batch:
        yield ("[\n" if not opened else ",\n") + ",\n".join(batch)
        opened = True
    yield "\n]\n" if opened else "[]\n"


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


@lru_cache(maxsize=8192)  # six days a record, and registers repeat days: isoformat() is slow
def _day(value: date | None) -> str:
    return f'"{value.isoformat()}"' if value else "null"


def _flags(flags: tuple[Flag, ...]) -> str:
    """A list of flags as JSON, joined once for each combination met."""
    joined = _FLAG_SETS.get(flags)
    if joined is None:
        joined = _FLAG_SETS[flags] = "[" + ", ".join(_VALUES[f] for f in flags) + "]"
    return joined


def _line(item: ScheduleItem) -> str:
    """`json.dumps(item.record(), ensure_ascii=False)`, written out (keys in RECORD_KEYS order)."""
    c = item.certificate
    return (
        f'{{"cert_id": {_text(c.cert_id)}, "enterprise": {_text(c.enterprise)}, '
        f'"product": {_text(c.product)}, "scheme": {_VALUES[c.scheme]}, "city": {_text(c.city)}, '
        f'"county": {_text(c.county)}, "issued_on": {_day(c.issued_on)}, '
        f'"expires_on": {_day(c.expires_on)}, "file_by": {_day(item.file_by)}, '
        f'"filed_on": {_day(item.filed_on)}, "days_left": {item.days_left}, '
        f'"status": {_VALUES[item.status]}, "action": {_VALUES[item.action]}, '
        f'"flags": {_flags(item.flags)}, "kind": {_VALUES[item.kind]}, '
        f'"as_of": {_day(item.as_of)}, "plan_year": {item.plan_year}, '
        f'"superseded_by": {_text(item.superseded_by)}, '
        f'"submit_by": {_day(item.submit_by or item.file_by)}, '
        f'"certifier": {_text(c.certifier)}, "contact": {_text(c.contact)}, '
        f'"phone": {_text(c.phone)}, "email": {_text(c.email)}}}'
    )


def json_line(item: ScheduleItem) -> str:
    """One item's JSON object, as `render_json` writes it on its line (a stream's piece)."""
    return _line(item)
