"""Outputs written in pieces (issue 10) say exactly what the whole renderings say."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import cert, item
from renewal_cli.messages import Lang
from renewal_cli.output.csvfile import csv_chunks, render_csv
from renewal_cli.output.jsonfile import json_chunks, render_json

ITEMS = [item(cert(f"2024-0{n}-15", f"LB-45-2103051234{n}A"), "2024-06-01") for n in range(1, 8)]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7], ids=lambda n: f"{n}-items")
@pytest.mark.parametrize("per_chunk", [1, 2, 3, 2000])
def test_pieces_join_to_the_whole(count: int, per_chunk: int) -> None:
    items = ITEMS[:count]
    assert "".join(json_chunks(items, per_chunk)) == render_json(items)
    for lang in Lang:
        pieces = list(csv_chunks(items, lang, per_chunk=per_chunk))
        assert "".join(pieces) == render_csv(items, lang)
        assert len(pieces) == count // per_chunk + 1
        rows = list(csv.reader(io.StringIO("".join(pieces))))
        assert len(rows) == count + 1
        assert [row[0] for row in rows[1:]] == [i.certificate.cert_id for i in items]
