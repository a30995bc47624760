"""JSON output: an array of flat records with stable keys (models.RECORD_KEYS)."""

from __future__ import annotations

import json
from collections.abc import Sequence

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
