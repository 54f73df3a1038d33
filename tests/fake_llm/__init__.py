"""A fake Anthropic/OpenAI server on 127.0.0.1 for tests that drive the real SDKs."""

from tests.fake_llm.server import (
    LLAMA_CPP_PYTHON,
    NO_SCHEMA_KEY,
    Drop,
    Error,
    FakeLLM,
    Raw,
    Recorded,
    Refusal,
    Reply,
    Slow,
    Text,
    TokenUsage,
    ToolCall,
)

__all__ = [
    "LLAMA_CPP_PYTHON",
    "NO_SCHEMA_KEY",
    "Drop",
    "Error",
    "FakeLLM",
    "Raw",
    "Recorded",
    "Refusal",
    "Reply",
    "Slow",
    "Text",
    "TokenUsage",
    "ToolCall",
]
