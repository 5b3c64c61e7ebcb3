"""The exceptions wireingest raises to its callers.

Bad *input* never raises: it becomes a :class:`~wireingest.Reject` with a reason. These are for
what the caller must act on: a state that cannot be opened or written, a service that cannot be
reached, or a pipeline used in a way it does not support.
"""

from __future__ import annotations

__all__ = ["PipelineUsageError", "StateError", "WireingestError"]


class WireingestError(Exception):
    """Base class of every exception wireingest raises on purpose."""


class StateError(WireingestError):
    """The dedup state cannot be opened, read or written.

    ``location`` names the state (a path or a ``redis://`` URL without its password) and
    ``cause`` says what went wrong in words a user can act on; ``str(error)`` is one line with
    both, which the command line prints before exiting with status 2.
    """

    def __init__(self, location: str, cause: str) -> None:
        super().__init__(f"state {location}: {cause}")
        self.location = location
        self.cause = cause


class PipelineUsageError(WireingestError, RuntimeError):
    """A :class:`~wireingest.Pipeline` was used in a way it does not support (after ``close()``,
    or from two threads at once)."""
