"""The external sort (spill.py): exactly sorted(), in bounded memory, leaving nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_cli.spill import Spill

records = st.lists(
    st.tuples(st.integers(-3, 3), st.text(max_size=3), st.binary(max_size=4)), max_size=60
)


@settings(max_examples=40, deadline=None)
@given(records, st.integers(2, 9))
def test_sorted_as_sorted(added: list[tuple[int, str, bytes]], bound: int) -> None:
    with Spill[tuple[int, str, bytes]](bound) as spill:
        spill.extend(added)
        assert spill.count == len(added)
        assert spill.runs == len(added) // bound
        assert list(spill.sorted()) == sorted(added)


@pytest.mark.parametrize(
    ("count", "bound", "runs"),
    [
        pytest.param(0, 5, 0, id="nothing"),
        pytest.param(4, 5, 0, id="within-the-bound"),
        pytest.param(5, 5, 1, id="one-run"),
        pytest.param(23, 5, 4, id="runs-and-a-rest"),
        pytest.param(2000, 600, 3, id="runs-of-several-batches"),
    ],
)
def test_runs(tmp_path: Path, count: int, bound: int, runs: int) -> None:
    added = [((n * 7919) % count, f"r{n}") for n in range(count)]
    with Spill[tuple[int, str]](bound, directory=str(tmp_path)) as spill:
        spill.extend(added)
        assert spill.runs == runs
        # Runs are unlinked as they are made: the private folder shows no file.
        if runs:
            assert spill.folder is not None
            assert Path(spill.folder).parent == tmp_path
            assert oct(os.stat(spill.folder).st_mode & 0o777) == "0o700"
            assert os.listdir(spill.folder) == []
        assert list(spill.sorted()) == sorted(added)
    assert list(tmp_path.iterdir()) == []


def test_bound_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Spill[int](0)


def test_closed_on_an_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError), Spill[int](2, directory=str(tmp_path)) as spill:
        spill.extend(range(9))
        assert spill.runs == 4
        raise KeyError("stop")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("ending", ["exit", "exception"])
def test_removed_however_the_process_ends(tmp_path: Path, ending: str) -> None:
    """A sort never closed (the process exits, or dies of an exception) leaves nothing."""
    script = (
        "import sys\n"
        "from renewal_cli.spill import Spill\n"
        f"spill = Spill(3, directory={str(tmp_path)!r})\n"
        "spill.extend(range(10))\n"
        "assert spill.runs == 3\n"
        f"sys.exit(0) if {ending!r} == 'exit' else 1 / 0\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=False)
    assert done.returncode == (0 if ending == "exit" else 1)
    assert list(tmp_path.iterdir()) == []


def test_memory_stays_bounded_while_merging() -> None:
    """Merging holds a batch of each run, never what was read before (an unpickler kept for a
    whole run would keep every record in its memo)."""
    import tracemalloc

    with Spill[bytes](2000) as spill:
        spill.extend(b"%05d" % ((n * 7919) % 20000) + b"x" * 1000 for n in range(20000))
        assert spill.runs == 10
        tracemalloc.start()
        try:
            read = sum(1 for _ in spill.sorted())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert read == 20000
    assert peak < 6_000_000, peak  # the records are 20 MB in all; a batch of each run is 2.6
