"""The project's one exception type, turned into a message and an exit code by the CLI."""

from __future__ import annotations

# Exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_FOUND = 3


class RenewalError(Exception):
    """A failure the user can act on: a message id, its parameters and an exit code.

    The core raises it; only the CLI renders the message (in the user's language) and exits.
    """

    def __init__(self, message_id: str, exit_code: int = EXIT_FAILURE, **params: object) -> None:
        super().__init__(message_id, params)
        self.message_id = message_id
        self.exit_code = exit_code
        self.params = params
