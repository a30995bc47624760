"""JSON output: an array of flat records with stable keys (models.RECORD_KEYS)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from renewal_cli.models import ScheduleItem


def render_json(items: Sequence[ScheduleItem]) -> str:
    """The items as a JSON array, dates in ISO form, Chinese kept readable."""
    return json.dumps([item.record() for item in items], ensure_ascii=False, indent=2) + "\n"
