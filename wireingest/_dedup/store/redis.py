"""The Redis store (being built: see issue #9 part 2)."""

from __future__ import annotations

from wireingest.errors import StateError

__all__ = ["RedisStore"]


class RedisStore:
    """Placeholder until the Redis store lands."""

    def __init__(self, url: str, fingerprint: str, timeout: float) -> None:
        raise StateError(url, "the Redis store is not available in this build yet")
