"""JSON output: an array of flat records with stable keys (models.RECORD_KEYS)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from renewal_cli.models import ScheduleItem


def render_json(items: Sequence[ScheduleItem]) -> str:
    """The items as a JSON array, one object per line, dates in ISO form, Chinese readable.

    One compact object per line keeps the output greppable and lets json use its C encoder
    (indent= falls back to the pure-Python one, several times slower on large registers).
    """
    if not items:
        return "[]\n"
    lines = ",\n".join(json.dumps(item.record(), ensure_ascii=False) for item in items)
    return f"[\n{lines}\n]\n"


def json_chunks(items: Iterable[ScheduleItem], per_chunk: int = 2000) -> Iterator[str]:
    """`render_json`'s text in pieces of `per_chunk` records, for a stream: the output of a
    national register is written as it is made, never held whole."""
    opened = False
    batch: list[str] = []
    for item in items:
        batch.append(json.dumps(item.record(), ensure_ascii=False))
        if len(batch) == per_chunk:
            yield ("[\n" if not opened else ",\n") + ",\n".join(batch)
            opened, batch = True, []
    if batch:
        yield ("[\n" if not opened else ",\n") + ",\n".join(batch)
        opened = True
    yield "\n]\n" if opened else "[]\n"
