"""External sort: records sorted in bounded memory, runs beyond the bound spilled to disk.

A whole-register job at 10^6 rows makes more output records than memory should hold. A
`Spill` keeps at most `bound` records in memory; past that it sorts them and writes them out
as one sorted run, and `sorted()` merges the runs and what is left in memory. Records are
tuples compared as tuples (a sort key, then a position that makes every record unique, then
the payload), so the result is exactly `sorted()` of every record added.

Runs are anonymous temporary files (unlinked as they are made) in a private folder (mode
0700) made for the sort, so nothing of them outlives the process, however it ends; the folder
itself is removed when the sort is closed (`with Spill() as ...`), or when the process exits.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from typing import IO, Any, Generic, TypeVar

T = TypeVar("T")

BOUND = 10_000
"""Records held in memory before a run is spilled."""
_BATCH = 64
"""Records pickled together: one pickle call per record would cost more than the sort, and
merging holds a batch of every run (10^6 records in runs of 8,000: 125 batches)."""


class Spill(Generic[T]):
    """Records added in any order, given back sorted; at most `bound` of them in memory
    while adding (and about `bound` more while merging, a batch of each run)."""

    def __init__(self, bound: int = BOUND, directory: str | None = None) -> None:
        if bound < 1:
            raise ValueError("bound must be at least 1")
        self.bound = bound
        self._parent = directory
        self._held: list[T] = []
        self._runs: list[IO[bytes]] = []
        self._folder: str | None = None
        self._cleanup: weakref.finalize[Any, Any] | None = None
        self.count = 0
        """Records added so far."""

    def __enter__(self) -> Spill[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def runs(self) -> int:
        """How many sorted runs have been written to disk."""
        return len(self._runs)

    @property
    def folder(self) -> str | None:
        """The private folder the runs are in (None until the first run is written)."""
        return self._folder

    def add(self, record: T) -> None:
        self._held.append(record)
        self.count += 1
        if len(self._held) >= self.bound:
            self._spill()

    def extend(self, records: Iterable[T]) -> None:
        for record in records:
            self.add(record)

    def sorted(self) -> Iterator[T]:
        """Every record added, in order. Adding more afterwards is not allowed."""
        self._held.sort()
        if not self._runs:
            yield from self._held
            return
        streams: list[Iterable[T]] = [_read_run(run) for run in self._runs]
        if self._held:
            streams.append(self._held)
        yield from heapq.merge(*streams)  # type: ignore[type-var]

    def close(self) -> None:
        """Drop what is held and remove the runs and their folder."""
        self._held = []
        for run in self._runs:
            with contextlib.suppress(OSError):
                run.close()
        self._runs = []
        if self._cleanup is not None:
            self._cleanup()

    def _spill(self) -> None:
        self._held.sort()
        run = tempfile.TemporaryFile(dir=self._private())  # noqa: SIM115 (closed in close())
        self._runs.append(run)
        held = self._held
        for start in range(0, len(held), _BATCH):
            # A pickler (and an unpickler) of its own for each batch: one kept for the whole
            # run would keep every record in its memo.
            pickle.dump(held[start : start + _BATCH], run, protocol=pickle.HIGHEST_PROTOCOL)
        run.flush()
        self._held = []

    def _private(self) -> str:
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="renewal-sort-", dir=self._parent)
            self._cleanup = weakref.finalize(self, _remove, self._folder)
        return self._folder


def _read_run(run: IO[bytes]) -> Iterator[Any]:
    run.seek(0)
    while True:
        try:
            batch = pickle.load(run)
        except EOFError:
            return
        yield from batch


def _remove(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.rmdir(folder)
