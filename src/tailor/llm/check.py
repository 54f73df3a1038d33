"""`tailor providers --check`: one tiny structured request that proves a provider works."""

from __future__ import annotations

from pydantic import BaseModel

from tailor.errors import ProviderError
from tailor.llm.base import Message
from tailor.llm.client import LLMClient
from tailor.llm.config import LLMSettings
from tailor.usage import Usage


class Ping(BaseModel):
    """The answer the check asks for."""

    ok: bool
    word: str


PROMPT = 'This is a connection check. Answer with ok set to true and word set to "tailor".'


def check_provider(settings: LLMSettings) -> Usage:
    """Ask for a `Ping`; return what it cost, or raise `ProviderError` saying what failed."""
    with LLMClient(settings) as client:
        result = client.generate([Message("user", PROMPT)], Ping)
    if not result.value.ok or result.value.word.strip().lower() != "tailor":
        raise ProviderError(
            f"{settings.provider} {result.usage.model} answered in the right form but not as asked"
        )
    return result.usage
