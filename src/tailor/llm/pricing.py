"""What tokens cost, from genai-prices (a maintained price list), in US dollars."""

from __future__ import annotations

import logging

log = logging.getLogger("tailor.llm")

# genai-prices' provider ids for tailor's providers; a local server has no list price
_PRICE_LISTS = {"anthropic": "anthropic", "openai": "openai"}


def cost_usd(
    provider: str,
    model: str,
    *,
    input_tokens: int,
    output_tokens: int,
    cache_write_tokens: int = 0,
    cache_read_tokens: int = 0,
) -> float | None:
    """The list price of one call, or None when the model's price is unknown."""
    price_list = _PRICE_LISTS.get(provider)
    if price_list is None:
        return None
    from genai_prices import Usage, calc_price

    usage = Usage(
        # genai-prices wants the whole input, cache reads and writes included
        input_tokens=input_tokens + cache_write_tokens + cache_read_tokens,
        output_tokens=output_tokens,
        cache_write_tokens=cache_write_tokens,
        cache_read_tokens=cache_read_tokens,
    )
    try:
        return float(calc_price(usage, model, provider_id=price_list).total_price)
    except LookupError:
        log.info("no list price for %s %s: cost unknown", provider, model)
        return None
