"""A fake Anthropic/OpenAI provider for tests that drive the real SDKs: a loopback server on
127.0.0.1 (`FakeLLM`, for the wire: timeouts, dropped connections, requests at once) and the
same script answered in-process (`InProcessLLM`, for everything else)."""

from tests.fake_llm.in_process import InProcessLLM
from tests.fake_llm.replies import (
    LLAMA_CPP_PYTHON,
    NO_SCHEMA_KEY,
    Drop,
    Error,
    Raw,
    Recorded,
    Refusal,
    Reply,
    Slow,
    Text,
    TokenUsage,
    ToolCall,
)
from tests.fake_llm.script import ScriptedLLM
from tests.fake_llm.server import FakeLLM

__all__ = [
    "LLAMA_CPP_PYTHON",
    "NO_SCHEMA_KEY",
    "Drop",
    "Error",
    "FakeLLM",
    "InProcessLLM",
    "Raw",
    "Recorded",
    "Refusal",
    "Reply",
    "ScriptedLLM",
    "Slow",
    "Text",
    "TokenUsage",
    "ToolCall",
]
