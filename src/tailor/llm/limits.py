"""Requests-per-minute and tokens-per-minute limits shared by every thread of a batch.

Retries come from the client (`retry.py`); this only spaces requests out, so that a batch of
many jobs stays under a provider's rate limit instead of running into its 429s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CHARS_PER_TOKEN = 4  # a rough count of a request's tokens before the provider counts them


class RateLimiter:
    """At most `per_minute` units (requests, or tokens) a minute, spread evenly: each request
    waits its turn, and a request of `cost` units holds the next one back for its share."""

    def __init__(
        self,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("a rate limit must be above zero")
        self.interval = 60.0 / per_minute
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, cost: float = 1.0) -> float:
        """Block until this request may go; the seconds waited."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval * cost
        delay = start - now
        if delay > 0:
            self._sleep(delay)
        return delay


def estimated_tokens(texts: list[str]) -> int:
    """A request's input tokens, roughly, before the provider counts them."""
    return sum(len(text) for text in texts) // CHARS_PER_TOKEN + 1
