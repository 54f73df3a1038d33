"""The errors tailor raises, all under one base class.

TailorError                 anything tailor raises on purpose
├── UserError               bad input the user can fix: a missing or unreadable file, an empty
│   │                       or binary CV, malformed JSON/YAML, an unknown target, a bad profile
│   │                       (the CLI prints its message as one line and exits with code 2)
│   └── ProfileError        a company profile that does not validate, naming the bad field
├── ProviderError           an LLM provider failed after retries, or cannot do what was asked
└── GroundingError          a rewrite states a fact that its source CV does not support
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the type only: errors import nothing of tailor at run time
    from tailor.usage import Usage


class TailorError(Exception):
    """Base class of every error tailor raises on purpose."""


class UserError(TailorError):
    """Input the user can fix; its message is one line meant for the user."""


class ProfileError(UserError):
    """A company profile (bundled or the user's own) that does not validate."""


class ProviderError(TailorError):
    """An LLM provider failed after retries, or cannot do what was asked.

    `attempts` is how many requests were made before giving up, when known. `usage` is what
    the call's answers cost (tokens and dollars) and `answers` how many there were: a provider
    bills an answer tailor could not use all the same. None and 0 when no answer came.

    `setup` says the settings are at fault (a key refused, a model or server that is not
    there): the user must fix them. Otherwise the model or server failed at the task (no valid
    answer, timeouts, rate limits), and a command falls back to tailor's offline result.
    """

    def __init__(self, message: str, *, attempts: int | None = None, setup: bool = False) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.setup = setup
        self.usage: Usage | None = None
        self.answers = 0

    def spent(self) -> str:
        """ " (spent 1,234 tokens, $0.0021 on 3 answers)": what the failed call's answers cost,
        which the provider bills all the same; "" when no answer came."""
        usage = self.usage
        if usage is None or not self.answers:
            return ""
        tokens = (
            usage.input_tokens
            + usage.cache_read_tokens
            + usage.cache_write_tokens
            + usage.output_tokens
        )
        answers = f"{self.answers} answer{'s' if self.answers != 1 else ''}"
        if usage.cost_usd is None:
            return f" (spent {tokens:,} tokens on {answers}, cost unknown)"
        return f" (spent {tokens:,} tokens, ${usage.cost_usd:.4f} on {answers})"


class GroundingError(TailorError):
    """A rewrite states a fact that its source CV does not support."""
