"""A model of providers' prompt caching, for benchmarks: token counts from the request.

Tokens are counted as characters / 4. Anthropic: the prefix up to the last block marked
`cache_control` is written to the cache the first time it is seen and read after that.
OpenAI: every message but the last is the prefix, read from the cache when seen before and
long enough (1,024 tokens), never billed as a write.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from tests.fake_llm.replies import TokenUsage

CHARS_PER_TOKEN = 4
OPENAI_MINIMUM = 1024


class PromptCache:
    """Prefixes in the cache, and the usage a request is billed.

    A prefix can be read only once the request that wrote it has been answered, as with a
    real provider: requests sent at the same moment all miss.
    """

    def __init__(self) -> None:
        self._stored: set[str] = set()
        self._lock = threading.Lock()

    def usage(
        self, wire_name: str, body: dict[str, Any], output: int = 400
    ) -> tuple[TokenUsage, str | None]:
        """What the request is billed, and the prefix it stores once answered (or None)."""
        blocks = _anthropic_blocks(body) if wire_name == "anthropic" else _openai_blocks(body)
        cut = _prefix_end(blocks)
        prefix = "".join(text for text, _ in blocks[:cut])
        rest = "".join(text for text, _ in blocks[cut:])
        prefix_tokens, rest_tokens = _tokens(prefix), _tokens(rest)
        if not prefix or (wire_name != "anthropic" and prefix_tokens < OPENAI_MINIMUM):
            return TokenUsage(input=prefix_tokens + rest_tokens, output=output), None
        key = hashlib.sha256(prefix.encode()).hexdigest()
        with self._lock:
            stored = key in self._stored
        if stored:
            return TokenUsage(input=rest_tokens, output=output, cache_read=prefix_tokens), None
        if wire_name == "anthropic":
            return TokenUsage(input=rest_tokens, output=output, cache_write=prefix_tokens), key
        return TokenUsage(input=prefix_tokens + rest_tokens, output=output), key

    def store(self, key: str | None) -> None:
        """The request that wrote `key` is answered: later requests read it."""
        if key is not None:
            with self._lock:
                self._stored.add(key)


def _tokens(text: str) -> int:
    return max(1, len(text) // CHARS_PER_TOKEN) if text else 0


def _anthropic_blocks(body: dict[str, Any]) -> list[tuple[str, bool]]:
    blocks: list[tuple[str, bool]] = []
    system = body.get("system") or []
    for block in [{"text": system}] if isinstance(system, str) else system:
        blocks.append((str(block.get("text", "")), "cache_control" in block))
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            blocks.append((content, False))
            continue
        for block in content or []:
            blocks.append((json.dumps(block.get("text", block)), "cache_control" in block))
    return blocks


def _openai_blocks(body: dict[str, Any]) -> list[tuple[str, bool]]:
    messages = body.get("messages", [])
    blocks = [(json.dumps(m.get("content")), False) for m in messages]
    return [(text, index < len(blocks) - 1) for index, (text, _) in enumerate(blocks)]


def _prefix_end(blocks: list[tuple[str, bool]]) -> int:
    marked = [index for index, (_, cached) in enumerate(blocks) if cached]
    return marked[-1] + 1 if marked else 0
