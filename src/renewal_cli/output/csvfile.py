"""CSV output for spreadsheets: Chinese headers and labels under zh, the JSON keys under en."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from renewal_cli.messages import Lang, field_label, label
from renewal_cli.models import RECORD_KEYS, Action, Flag, ScheduleItem, Scheme, Status

_LABELLED = {"scheme": Scheme, "status": Status, "action": Action}


def render_csv(items: Sequence[ScheduleItem], lang: Lang) -> str:
    """A header row, then one row per item (dates ISO; empty cell for no filing)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([field_label(key, lang) for key in RECORD_KEYS])
    for item in items:
        record = item.record()
        row: list[str] = []
        for key in RECORD_KEYS:
            value = record[key]
            if key == "flags":
                flags = [Flag(f) for f in value]
                row.append(";".join(f.value if lang is Lang.EN else label(f, lang) for f in flags))
            elif key in _LABELLED and lang is Lang.ZH:
                row.append(label(_LABELLED[key](value), lang))
            else:
                row.append("" if value is None else str(value))
        writer.writerow(row)
    return out.getvalue()
