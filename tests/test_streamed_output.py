"""The pieces whole-register jobs write (output/streamed.py) are the list renderers' bytes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_cli.output.streamed import batched, csv_field, csv_line, json_array

cells = st.text(alphabet=st.sampled_from(list("ab ,\"\r\n'=甲\t;")), max_size=6)


def written(row: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(row)
    return out.getvalue()


@given(st.lists(cells, min_size=2, max_size=5))
def test_csv_line_is_csv_writer(row: list[str]) -> None:
    assert csv_line(row) == written(row)


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        pytest.param("", "", id="empty"),
        pytest.param("a b", "a b", id="space"),
        pytest.param("a,b", '"a,b"', id="comma"),
        pytest.param('say "hi"', '"say ""hi"""', id="quotes"),
        pytest.param("two\nlines", '"two\nlines"', id="line-break"),
        pytest.param("cr\r", '"cr\r"', id="carriage-return"),
        pytest.param("=1+1", "=1+1", id="formula-left-to-the-caller"),
    ],
)
def test_csv_field(cell: str, field: str) -> None:
    assert csv_field(cell) == field


@pytest.mark.parametrize("count", [0, 1, 2, 5, 6, 11], ids=lambda n: f"{n}-lines")
def test_json_array(count: int) -> None:
    lines = [f'{{"n": {n}}}' for n in range(count)]
    text = "".join(json_array(iter(lines), per_chunk=2))
    assert text == ("[]\n" if not count else "[\n" + ",\n".join(lines) + "\n]\n")
    assert [row["n"] for row in json.loads(text)] == list(range(count))


@pytest.mark.parametrize("count", [0, 1, 3, 4], ids=lambda n: f"{n}-lines")
def test_batched(count: int) -> None:
    lines = [f"{n}\n" for n in range(count)]
    pieces = list(batched(iter(lines), per_chunk=2))
    assert "".join(pieces) == "".join(lines)
    assert len(pieces) == (count + 1) // 2
