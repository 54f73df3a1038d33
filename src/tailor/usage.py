"""What an LLM call cost: tokens, dollars, time and requests.

At the bottom of tailor's layers, so that `ProviderError` can carry what a failed call cost
and every result model can say what its call cost, without importing the LLM client."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Usage(BaseModel):
    """What a call cost: tokens, dollars, time and requests."""

    provider: str
    model: str
    input_tokens: int = 0  # not counting cache reads and writes
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cost_usd: float | None = Field(default=None, description="None when the price is unknown")
    latency_s: float = 0.0
    requests: int = 0  # HTTP requests made, retries and re-asks included
    cached: bool = Field(default=False, description="served from tailor's response cache")

    def cost_text(self) -> str:
        """ "$0.0140", or "cost unknown" for a model without a list price."""
        return f"${self.cost_usd:.4f}" if self.cost_usd is not None else "cost unknown"

    def spent(self) -> str:
        """ "3200 tokens in, 800 out, $0.0140": the tokens in count cache reads and writes."""
        tokens = self.input_tokens + self.cache_read_tokens + self.cache_write_tokens
        return f"{tokens} tokens in, {self.output_tokens} out, {self.cost_text()}"


def add_usage(first: Usage, second: Usage) -> Usage:
    """Two calls' usage as one."""
    costs = [first.cost_usd, second.cost_usd]
    return Usage(
        provider=first.provider,
        model=second.model or first.model,
        input_tokens=first.input_tokens + second.input_tokens,
        output_tokens=first.output_tokens + second.output_tokens,
        cache_write_tokens=first.cache_write_tokens + second.cache_write_tokens,
        cache_read_tokens=first.cache_read_tokens + second.cache_read_tokens,
        cost_usd=None if None in costs else sum(c for c in costs if c is not None),
        latency_s=round(first.latency_s + second.latency_s, 3),
        requests=first.requests + second.requests,
        cached=first.cached and second.cached,
    )
