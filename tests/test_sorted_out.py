"""The keys and records of the external sorts (sorted_out.py) keep the order and the cells."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from renewal_cli.sorted_out import Names, _packed, _unpacked_cells, sort_key

texts = st.text(alphabet=st.sampled_from(["\x00", "\x01", "\x02", "a", "b", "甲", "\U00020000"]))
rows = st.lists(st.tuples(texts, texts, texts), max_size=8)


@given(rows)
def test_sort_keys_sort_as_tuples(parts: list[tuple[str, str, str]]) -> None:
    assert sorted(parts, key=sort_key) == sorted(parts)
    # Equal keys only for equal tuples.
    assert len({sort_key(p) for p in parts}) == len(set(parts))


@given(st.lists(texts, min_size=1, max_size=6))
def test_cells_packed(cells: list[str]) -> None:
    assert _unpacked_cells(_packed(cells)) == cells


@given(st.dictionaries(st.integers(0, 10_000), st.text(max_size=5), max_size=20))
def test_names(numbers: dict[int, str]) -> None:
    names = Names(list(numbers))
    for index in sorted(numbers):
        assert names.wants(index)
        names.keep(index, numbers[index])
    assert not names.wants(10_001)
    assert {index: names[index] for index in numbers} == numbers
    # Pass two asks for every certificate in turn: wanted exactly when kept.
    asked = Names(list(numbers))
    last = max(numbers, default=0) + 2
    assert [i for i in range(0, last, 1) if asked.wants(i)] == sorted(numbers)
