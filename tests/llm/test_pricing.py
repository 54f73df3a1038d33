"""What a call costs, from genai-prices' list prices, in US dollars."""

from __future__ import annotations

from decimal import Decimal

import pytest
from genai_prices import Usage, calc_price

from tailor.llm.pricing import cost_usd

MILLION = 1_000_000


def list_price(provider: str, model: str, field: str) -> float:
    """The price per million tokens genai-prices lists for one kind of token."""
    reported = calc_price(Usage(input_tokens=1, output_tokens=1), model, provider_id=provider)
    price = getattr(reported.model_price, field)
    assert isinstance(price, Decimal), f"{model} {field} is tiered or missing: {price!r}"
    return float(price)


def cost(provider: str, model: str, **tokens: int) -> float:
    counts = {"input_tokens": 0, "output_tokens": 0, **tokens}
    result = cost_usd(provider, model, **counts)
    assert result is not None, f"no price for {provider} {model}"
    return result


@pytest.mark.parametrize(
    ("provider", "model"), [("anthropic", "claude-sonnet-5-5"), ("openai", "gpt-5.4-mini")]
)
def test_a_known_model_costs_more_with_more_tokens(provider: str, model: str) -> None:
    small = cost(provider, model, input_tokens=1_000, output_tokens=100)
    assert small > 0
    assert cost(provider, model, input_tokens=2_000, output_tokens=100) > small
    assert cost(provider, model, input_tokens=1_000, output_tokens=200) > small
    assert isinstance(small, float)


def test_output_tokens_cost_more_than_input_tokens() -> None:
    model = "gpt-5.4-mini"
    assert cost("openai", model, output_tokens=10_000) > cost("openai", model, input_tokens=10_000)


def test_cache_reads_cost_less_than_plain_input() -> None:
    model = "claude-sonnet-5-5"
    plain = cost("anthropic", model, input_tokens=100_000)
    read = cost("anthropic", model, cache_read_tokens=100_000)
    assert 0 < read < plain


def test_cache_reads_are_added_to_the_plain_input_not_taken_from_it() -> None:
    # tailor counts input tokens without the cached ones (as Anthropic does)
    model = "claude-sonnet-5-5"
    plain = cost("anthropic", model, input_tokens=100_000)
    both = cost("anthropic", model, input_tokens=100_000, cache_read_tokens=100_000)
    assert both > plain
    assert both == pytest.approx(plain + cost("anthropic", model, cache_read_tokens=100_000))


def test_cache_writes_are_priced_as_writes() -> None:
    model = "claude-sonnet-5-5"
    written = cost("anthropic", model, cache_write_tokens=MILLION)
    assert written == pytest.approx(list_price("anthropic", model, "cache_write_mtok"), rel=1e-9)
    assert written > cost("anthropic", model, input_tokens=MILLION)


def test_one_million_each_way_of_gpt_5_4_mini_matches_the_list_price() -> None:
    by_hand = list_price("openai", "gpt-5.4-mini", "input_mtok") + list_price(
        "openai", "gpt-5.4-mini", "output_mtok"
    )
    got = cost("openai", "gpt-5.4-mini", input_tokens=MILLION, output_tokens=MILLION)
    assert got == pytest.approx(by_hand, rel=1e-9)
    assert 0.01 < got < 1_000  # dollars, not cents nor micro-dollars


def test_a_mixed_anthropic_call_matches_a_hand_computation() -> None:
    model = "claude-sonnet-5-5"
    by_hand = (
        120_000 * list_price("anthropic", model, "input_mtok")
        + 30_000 * list_price("anthropic", model, "output_mtok")
        + 50_000 * list_price("anthropic", model, "cache_write_mtok")
        + 80_000 * list_price("anthropic", model, "cache_read_mtok")
    ) / MILLION
    got = cost(
        "anthropic",
        model,
        input_tokens=120_000,
        output_tokens=30_000,
        cache_write_tokens=50_000,
        cache_read_tokens=80_000,
    )
    assert got == pytest.approx(by_hand, rel=1e-9)


def test_an_unknown_model_has_no_price() -> None:
    assert cost_usd("openai", "no-such-model-9000", input_tokens=10, output_tokens=5) is None
    assert cost_usd("anthropic", "no-such-model-9000", input_tokens=10, output_tokens=5) is None


@pytest.mark.parametrize("model", ["llama3.1", "gpt-5.4-mini"])
def test_an_openai_compatible_server_has_no_price(model: str) -> None:
    # a local server is free, or priced by someone genai-prices does not know
    assert cost_usd("openai-compatible", model, input_tokens=1_000, output_tokens=500) is None


def test_no_tokens_cost_nothing() -> None:
    assert cost_usd("openai", "gpt-5.4-mini", input_tokens=0, output_tokens=0) == 0
