"""Atomic writes: readers see the old file or the new one, never half of either."""

from __future__ import annotations

import os
import string
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_cli.errors import RenewalError
from renewal_cli.files import safe_filename, write_atomic


def test_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "due.ics"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["due.ics"]


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.csv", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out"
    path.mkdir()  # a directory where the file should go: the rename fails
    with pytest.raises(RenewalError) as caught:
        write_atomic(path, b"new")
    assert caught.value.message_id == "output.unwritable"
    assert path.is_dir() and list(tmp_path.iterdir()) == [path]


def test_missing_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RenewalError):
        write_atomic(tmp_path / "no" / "such" / "file", b"x")


# --- Safe file names (one calendar or message per place) --------------------------------------


UNSAFE = ["../../etc/passwd", "a/b", "a\\b", "\x00", ".hidden", "", "..", "CON", "a\nb", "x" * 400]


def assert_safe(name: str, suffix: str = ".ics") -> None:
    assert name.endswith(suffix)
    stem = name.removesuffix(suffix)
    assert stem
    assert "/" not in name and "\\" not in name
    assert ".." not in name
    assert not name.startswith((".", " "))
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)
    assert not any(ch in name for ch in '<>:"|?*')
    assert len(name.encode("utf-8")) <= 200
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        pytest.param("百色市", "百色市.ics", id="cjk-kept"),
        pytest.param("环江毛南族自治县", "环江毛南族自治县.ics", id="long-cjk-kept"),
        pytest.param("renewal-百色市-2026-11-29", "renewal-百色市-2026-11-29.ics", id="dashes"),
        *(pytest.param(p, None, id=f"unsafe-{i}") for i, p in enumerate(UNSAFE)),
    ],
)
def test_safe_filename(place: str, expected: str | None) -> None:
    name = safe_filename(place)
    assert_safe(name)
    if expected is not None:
        assert name == expected


def test_safe_filenames_never_collide() -> None:
    names = [safe_filename(p) for p in [*UNSAFE, "a_b", "百色市", "hidden"]]
    assert len(set(names)) == len(names)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("./\\\x00 ."), max_size=80))
def test_safe_filename_any_text(place: str) -> None:
    assert_safe(safe_filename(place))
    assert_safe(safe_filename(place, ".eml"), ".eml")


@settings(max_examples=100, deadline=None)
@given(
    st.text(string.printable + "百色./", max_size=12),
    st.text(string.printable + "百色./", max_size=12),
)
def test_safe_filename_distinct_places_distinct_files(a: str, b: str) -> None:
    if a != b:
        assert safe_filename(a) != safe_filename(b)
