"""A second core for reading: the rest of an iterator drained by a forked process.

A register read for some places (`renewal due --city 百色`) spends most of its time decoding,
splitting and keying the rows of other places, which the reader never looks at. `relayed`
forks: the child goes on with the very same iterator (its state is copied by the fork, so no
parsing is written twice), sends back in batches only what the iterator yields, and at its
end what `finish` returns, which the parent hands to `absorb`. Meanwhile the parent reads the
rows that are yielded in full, on the other core.

It is only an accelerator. Nothing the child does is visible until it has finished: if it
dies or sends something unreadable, the parent goes on with its own copy of the iterator
from where it forked, skipping what it was already given. The child never prints, never runs
the parent's exit handlers (it leaves through os._exit) and dies with the parent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_BATCH = 128
"""Items a message carries: few, so the parent starts early and has little left when the child
ends (1,024 made a 100k-row read about 20 ms slower); pickling still costs little per item."""


_PIPE_BYTES = 1 << 20
"""The most an unprivileged process may ask for (/proc/sys/fs/pipe-max-size)."""


def can_fork() -> bool:
    """Whether a second process may share the work: Linux (fork is unsafe on macOS and absent
    on Windows), at least two usable cores, and no other thread that a fork could leave
    holding a lock in the child."""
    if sys.platform != "linux":
        return False
    if threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) >= 2


def relayed(
    items: Iterator[T],
    *,
    in_child: Callable[[], None],
    finish: Callable[[], Any],
    absorb: Callable[[Any], None],
    pack: Callable[[T], Any],
    unpack: Callable[[Any], T],
    status: Callable[[], Any],
    on_status: Callable[[Any], None],
) -> Iterator[T]:
    """The rest of `items`, drained by a forked child and relayed to this process.

    In the child, `in_child` runs first (to let go of what belongs to the parent: a progress
    callback, a shared file offset), each item goes through `pack` (something cheaper to
    pickle), each batch carries `status()`, and once `items` is exhausted `finish()` is sent.
    Here each item comes out of `unpack`, `on_status` gets each batch's status, and `absorb`
    gets what `finish` returned, once every item has been taken.
    """
    import fcntl  # Linux only, like the fork (can_fork)
    import pickle  # not at start-up: most runs never fork

    read_end, write_end = os.pipe()
    # Room for a few batches in the pipe (64 KB by default, less than one batch of rows): the
    # child reads on while the parent is busy with the rows it was sent last.
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read_end)
        _drain(items, write_end, parent, in_child, finish, pack, status)
    os.close(write_end)
    given = 0
    ended = False
    try:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                try:
                    kind, body, state = pickle.load(pipe)
                except Exception:  # the child died (killed, out of memory): go on alone
                    break
                if kind == "end":
                    ended = True
                    absorb(body)
                    return
                on_status(state)
                for packed in body:
                    given += 1
                    yield unpack(packed)
    finally:
        _reap(pid, ended)
    # The child did not finish: this process's copy of `items` is still where the fork left
    # it, so skip what the child already gave and read the rest here.
    for skipped, item in enumerate(items):
        if skipped >= given:
            yield item


def _drain(
    items: Iterator[Any],
    write_end: int,
    parent: int,
    in_child: Callable[[], None],
    finish: Callable[[], Any],
    pack: Callable[[Any], Any],
    status: Callable[[], Any],
) -> None:  # pragma: no cover - runs in the child
    """The child: send every item, then what `finish` returns; never return to the caller."""
    import pickle

    code = 1
    try:
        # Ctrl-C reaches the whole process group: the child just ends (the parent reports it).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _die_with_parent(parent)
        in_child()
        with os.fdopen(write_end, "wb") as pipe:
            batch: list[Any] = []
            for item in items:
                batch.append(pack(item))
                if len(batch) >= _BATCH:
                    pickle.dump(("items", batch, status()), pipe, pickle.HIGHEST_PROTOCOL)
                    batch = []
            if batch:
                pickle.dump(("items", batch, status()), pipe, pickle.HIGHEST_PROTOCOL)
            pickle.dump(("end", finish(), None), pipe, pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:  # the parent reads on alone: nothing may escape the child
        code = 1
    finally:
        os._exit(code)


def _die_with_parent(parent: int) -> None:  # pragma: no cover - runs in the child
    """Have the kernel kill this process when the parent dies, however it dies (SIGKILL, an
    out-of-memory kill): a child must not read on for nobody."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def _reap(pid: int, ended: bool) -> None:
    """Collect the child, so no process outlives the run: it exits by itself once it has sent
    the end; otherwise (the parent stopped early: Ctrl-C, an error, `| head`) it is killed."""
    try:
        if not ended:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass  # already collected
