"""A fake Anthropic/OpenAI server on 127.0.0.1 for tests that drive the real SDKs."""

from tests.fake_llm.server import (
    Drop,
    Error,
    FakeLLM,
    Raw,
    Recorded,
    Reply,
    Slow,
    Text,
    TokenUsage,
    ToolCall,
)

__all__ = [
    "Drop",
    "Error",
    "FakeLLM",
    "Raw",
    "Recorded",
    "Reply",
    "Slow",
    "Text",
    "TokenUsage",
    "ToolCall",
]
