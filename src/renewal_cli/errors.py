"""The project's exceptions and exit codes; the command-line layer turns them into a message.

RenewalError is a failure the user can act on (exit 1 unless said otherwise); UsageError is the
one type for a bad option or argument (exit 2). Both carry a message id and its parameters, so
only the command-line layer words them, in the user's language.
"""

from __future__ import annotations

# Exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_FOUND = 3
# sysexits.h EX_TEMPFAIL, what mail programs answer when the work should be tried again later:
# another run holds the delivery record's lock.
EXIT_BUSY = 75


class RenewalError(Exception):
    """A failure the user can act on: a message id, its parameters and an exit code."""

    exit_code = EXIT_FAILURE

    def __init__(self, message_id: str, **params: object) -> None:
        super().__init__(message_id, params)
        self.message_id = message_id
        self.params = params


class UsageError(RenewalError):
    """What the user asked for cannot be done as asked: a bad option value, a contradiction."""

    exit_code = EXIT_USAGE


class RecordBusy(RenewalError):
    """Another run holds the delivery record's lock: nothing was sent."""

    exit_code = EXIT_BUSY
