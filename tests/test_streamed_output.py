"""The pieces whole-register jobs write (output/streamed.py) are the list renderers' bytes."""

from __future__ import annotations

import json

import pytest

import schemacheck
from renewal_cli.output.streamed import json_array


@pytest.mark.parametrize("count", [0, 1, 2, 5, 6, 11], ids=lambda n: f"{n}-lines")
def test_json_array(count: int) -> None:
    lines = [f'{{"n": {n}}}' for n in range(count)]
    text = "".join(json_array(iter(lines), per_chunk=2))
    assert text == ("[]\n" if not count else "[\n" + ",\n".join(lines) + "\n]\n")
    assert [row["n"] for row in json.loads(text)] == list(range(count))
    # Lines of this test's own, not a register's records: not for the schema check.
    schemacheck.rendered.clear()
