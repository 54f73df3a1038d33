"""One retry policy for every provider: tenacity, on transient failures only.

A rate limit, an overloaded or failing server, a timeout or a dropped connection is tried
again after an exponential, jittered wait, or after the wait the server asked for
(`retry-after`), capped. A request the server refused for cause (400, 401, 403, 404) is never
repeated. The SDKs' own retries are off, so this is the only policy.
"""

from __future__ import annotations

import logging
from typing import Any

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from tailor.llm.base import TransientError
from tailor.llm.config import LLMSettings

log = logging.getLogger("tailor.llm")


def retrying(settings: LLMSettings) -> Retrying:
    """A tenacity `Retrying` for one call: raises the last error when attempts run out."""
    return Retrying(**_policy(settings))


def async_retrying(settings: LLMSettings) -> AsyncRetrying:
    return AsyncRetrying(**_policy(settings))


def _policy(settings: LLMSettings) -> dict[str, Any]:
    backoff = wait_exponential_jitter(
        multiplier=settings.backoff, max=settings.max_backoff, jitter=settings.backoff
    )

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = error.retry_after if isinstance(error, TransientError) else None
        return min(asked, settings.max_backoff) if asked is not None else backoff(state)

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        seconds = state.next_action.sleep if state.next_action else 0.0
        log.info("retrying after %s in %.1f s (attempt %d)", error, seconds, state.attempt_number)

    return {
        "retry": retry_if_exception_type(TransientError),
        "stop": stop_after_attempt(settings.max_attempts),
        "wait": wait,
        "before_sleep": before_sleep,
        "reraise": True,
    }
