"""Which engine a library call uses: one value instead of the same keywords on every call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tailor.llm.client import LLMClient


@dataclass(frozen=True, kw_only=True)
class LLMOptions:
    """The engine for `critique`, `rewrite`, `prep`, `load_posting` and the batch.

    The default is tailor's offline engine. `provider=None` resolves the provider as the CLI
    does (TAILOR_PROVIDER, the config file, else the first API key found, else offline).
    `client` uses an LLM client the caller made and closes (its own settings then hold the
    provider, model, cache and redaction). `fallback` (on by default): a model that fails at
    the task gives way to the offline result, which says why in its `fallback`.
    """

    provider: str | None = "offline"
    model: str | None = None
    base_url: str | None = None
    cache: bool = True
    redact: bool | None = None
    client: LLMClient | None = None
    fallback: bool = True


OFFLINE = LLMOptions()
