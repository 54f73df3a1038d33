"""Anthropic's Messages API through the official SDK, with native structured output.

The answer's shape is enforced by `output_config.format` (a strict JSON schema, made by the
SDK's own `transform_schema`). Messages marked `cache` carry `cache_control`, so the shared
prefix of many calls (instructions, the CV) is written to Anthropic's prompt cache once and
read by the next calls.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tailor.llm.base import (
    Message,
    Reply,
    Schema,
    SDKClients,
    TransientError,
    client_options,
    sdk_error,
)
from tailor.llm.config import LLMSettings

if TYPE_CHECKING:
    import anthropic
    import httpx2


class AnthropicProvider:
    """Claude models through `anthropic.Anthropic`, and `AsyncAnthropic` for concurrent calls.

    `transport` answers the SDK's requests in-process instead of over the network (tests' fake
    provider: the real SDK still builds every request and parses every answer).
    """

    name = "anthropic"

    def __init__(
        self,
        settings: LLMSettings,
        *,
        transport: httpx2.MockTransport | None = None,
    ) -> None:
        self.settings = settings
        self.transport = transport
        self._clients: SDKClients[anthropic.Anthropic, anthropic.AsyncAnthropic] = SDKClients(
            self._make_sync, self._make_async
        )

    def complete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import anthropic

        request = self._request(messages, schema, max_tokens)
        try:
            response = self._clients.sync().messages.create(**request)
        except (anthropic.APIError, json.JSONDecodeError) as error:
            raise sdk_error(anthropic, error, provider=self.name, settings=self.settings) from None
        return self._reply(response)

    async def acomplete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import anthropic

        request = self._request(messages, schema, max_tokens)
        try:
            response = await self._clients.for_loop().messages.create(**request)
        except (anthropic.APIError, json.JSONDecodeError) as error:
            raise sdk_error(anthropic, error, provider=self.name, settings=self.settings) from None
        return self._reply(response)

    # -- Message Batches: many requests at half price, answered within a day -----------------

    def batch_params(
        self, messages: list[Message], schema: Schema, max_tokens: int
    ) -> dict[str, Any]:
        """The body of one request, as a batch carries it."""
        return self._request(messages, schema, max_tokens)

    def submit_batch(self, requests: dict[str, dict[str, Any]]) -> str:
        """Send `requests` (by custom id) as one Message Batch; its id."""
        entries = [{"custom_id": cid, "params": params} for cid, params in requests.items()]
        batch = self._batch_call(lambda b: b.create(requests=entries))
        return str(batch.id)

    def batch_state(self, batch_id: str) -> tuple[bool, str]:
        """Whether the batch has ended, and its progress in words."""
        batch = self._batch_call(lambda b: b.retrieve(batch_id))
        counts = batch.request_counts
        done = counts.succeeded + counts.errored + counts.canceled + counts.expired
        total = done + counts.processing
        return batch.processing_status == "ended", f"{done} of {total} answered"

    def batch_results(self, batch_id: str) -> dict[str, Reply | str]:
        """Each request's reply by custom id, or why it has none."""
        results: dict[str, Reply | str] = {}
        for entry in self._batch_call(lambda b: list(b.results(batch_id))):
            result = entry.result
            if result.type == "succeeded":
                results[entry.custom_id] = self._reply(result.message)
            else:
                error = getattr(getattr(result, "error", None), "error", None)
                results[entry.custom_id] = getattr(error, "message", None) or result.type
        return results

    def _batch_call(self, action: Any) -> Any:
        import anthropic

        try:
            return action(self._clients.sync().messages.batches)
        except (anthropic.APIError, json.JSONDecodeError) as error:
            raise sdk_error(anthropic, error, provider=self.name, settings=self.settings) from None

    def close(self) -> None:
        self._clients.close()

    async def aclose(self) -> None:
        await self._clients.aclose()

    def _make_sync(self) -> anthropic.Anthropic:
        import anthropic

        options = client_options(self.settings)
        if self.transport is not None:
            options["http_client"] = anthropic.DefaultHttpxClient(transport=self.transport)
        return anthropic.Anthropic(**options)

    def _make_async(self) -> anthropic.AsyncAnthropic:
        import anthropic

        options = client_options(self.settings)
        if self.transport is not None:
            options["http_client"] = anthropic.DefaultAsyncHttpxClient(transport=self.transport)
        return anthropic.AsyncAnthropic(**options)

    def _request(self, messages: list[Message], schema: Schema, max_tokens: int) -> dict[str, Any]:
        import anthropic

        request: dict[str, Any] = {
            "model": self.settings.model,
            "max_tokens": max_tokens,
            "messages": _turns([m for m in messages if m.role != "system"]),
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
        if isinstance(response, str):  # a body the SDK could not read as a message
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


def _turns(messages: list[Message]) -> list[dict[str, Any]]:
    """Messages as turns: consecutive messages of one role become one turn of several blocks
    (the CV and the task stay apart, so the CV block can carry its cache mark)."""
    turns: list[dict[str, Any]] = []
    for message in messages:
        if turns and turns[-1]["role"] == message.role:
            turns[-1]["content"].append(_block(message))
        else:
            turns.append({"role": message.role, "content": [_block(message)]})
    return turns


def _block(message: Message) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "text", "text": message.content}
    if message.cache:
        block["cache_control"] = {"type": "ephemeral"}
    return block
