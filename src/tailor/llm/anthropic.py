"""Anthropic's Messages API through the official SDK, with native structured output.

The answer's shape is enforced by `output_config.format` (a strict JSON schema, made by the
SDK's own `transform_schema`). Messages marked `cache` carry `cache_control`, so the shared
prefix of many calls (instructions, the CV) is written to Anthropic's prompt cache once and
read by the next calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tailor.errors import ProviderError
from tailor.llm.base import Message, Reply, Schema, TransientError, status_error
from tailor.llm.config import KEY_VARIABLES, LLMSettings

if TYPE_CHECKING:
    import anthropic


class AnthropicProvider:
    """Claude models through `anthropic.Anthropic` (and `AsyncAnthropic` for batches)."""

    name = "anthropic"

    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self._client: anthropic.Anthropic | None = None
        self._async_client: anthropic.AsyncAnthropic | None = None

    def complete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import anthropic

        if self._client is None:
            self._client = anthropic.Anthropic(**self._client_options())
        try:
            response = self._client.messages.create(**self._request(messages, schema, max_tokens))
        except (anthropic.APIError, ValueError) as error:  # ValueError: a body that is not JSON
            raise self._error(error) from None
        return self._reply(response)

    async def acomplete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import anthropic

        if self._async_client is None:
            self._async_client = anthropic.AsyncAnthropic(**self._client_options())
        request = self._request(messages, schema, max_tokens)
        try:
            response = await self._async_client.messages.create(**request)
        except (anthropic.APIError, ValueError) as error:  # ValueError: a body that is not JSON
            raise self._error(error) from None
        return self._reply(response)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        if self._async_client is not None:
            await self._async_client.close()

    def _client_options(self) -> dict[str, Any]:
        # tailor owns retries (tailor.llm.retry): the SDK's own are turned off
        options: dict[str, Any] = {
            "api_key": self.settings.api_key,
            "timeout": self.settings.timeout,
            "max_retries": 0,
        }
        if self.settings.base_url:
            options["base_url"] = self.settings.base_url
        return options

    def _request(self, messages: list[Message], schema: Schema, max_tokens: int) -> dict[str, Any]:
        import anthropic

        request: dict[str, Any] = {
            "model": self.settings.model,
            "max_tokens": max_tokens,
            "messages": [
                {"role": m.role, "content": [_block(m)]} for m in messages if m.role != "system"
            ],
            "output_config": {
                "format": {
                    "type": "json_schema",
                    "schema": anthropic.transform_schema(schema.json_schema()),
                }
            },
        }
        system = [_block(m) for m in messages if m.role == "system"]
        if system:
            request["system"] = system
        return request

    def _reply(self, response: Any) -> Reply:
        if isinstance(response, str):  # a body the SDK could not read as a response
            raise TransientError(f"anthropic {self.settings.model}: the response was not JSON")
        text = "".join(block.text for block in response.content if block.type == "text")
        usage = response.usage
        return Reply(
            text=text,
            model=response.model,
            truncated=response.stop_reason == "max_tokens",
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cache_write_tokens=usage.cache_creation_input_tokens or 0,
            cache_read_tokens=usage.cache_read_input_tokens or 0,
        )

    def _error(self, error: Exception) -> ProviderError:
        import anthropic

        model = self.settings.model
        if isinstance(error, anthropic.APITimeoutError):
            return TransientError(
                f"anthropic {model}: no answer within {self.settings.timeout:g} s"
            )
        if isinstance(error, anthropic.APIConnectionError):
            return TransientError(f"anthropic {model}: could not reach the API ({error})")
        if isinstance(error, anthropic.APIStatusError):
            return status_error(
                error.status_code,
                _message(error),
                provider="anthropic",
                model=model,
                key_env=KEY_VARIABLES["anthropic"],
                headers=error.response.headers,
            )
        # a response the SDK could not read (not JSON, cut off): the server misbehaved
        return TransientError(f"anthropic {model}: unreadable response ({type(error).__name__})")


def _block(message: Message) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "text", "text": message.content}
    if message.cache:
        block["cache_control"] = {"type": "ephemeral"}
    return block


def _message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return str(getattr(error, "message", "")) or type(error).__name__
