"""One small client for every LLM provider: Anthropic, OpenAI and OpenAI-compatible servers.

    from tailor.llm import LLMClient, Message, resolve
    choice = resolve("anthropic")                 # flags, env, config file, defaults
    with LLMClient(choice.settings) as client:
        result = client.generate([Message("user", "...")], MyModel)
    result.value, result.usage.cost_usd

Each provider's SDK is imported only when that provider is used.
"""

from __future__ import annotations

from tailor.llm.base import Message
from tailor.llm.client import LLMClient, Result
from tailor.llm.config import Choice, LLMSettings, resolve
from tailor.usage import Usage

__all__ = ["Choice", "LLMClient", "LLMSettings", "Message", "Result", "Usage", "resolve"]
