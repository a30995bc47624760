"""Atomic writes: readers see the old file or the new one, never half of either."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from renewal_cli.errors import RenewalError
from renewal_cli.files import write_atomic


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
