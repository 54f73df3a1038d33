"""OpenAI's Chat Completions API, and servers that copy it (Ollama, vLLM, llama.cpp, LM Studio).

OpenAI enforces the answer's shape with `response_format` `json_schema` (strict, the schema
made by the SDK's own helper). Local servers differ: some reject `json_schema`, some reject
`json_object`, some accept a mode and ignore the schema. For them tailor steps down, on the
server's refusal, from `json_schema` to `json_object` to plain text with the schema in the
prompt, remembers for the rest of the run where that server starts, and always validates the
answer.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import TYPE_CHECKING, Any, Literal

from tailor.errors import ProviderError
from tailor.llm.base import (
    Message,
    Reply,
    Schema,
    SDKClients,
    TransientError,
    client_options,
    sdk_error,
    server_message,
)
from tailor.llm.config import LLMSettings

if TYPE_CHECKING:
    import openai

MODES = ("json_schema", "json_object", "prompt")
# the first mode to try, by server, for the rest of the process: a refusal moves it down
_first_mode: dict[str, str] = {}
# a 400 or 422 that says the structured-output mode is what the server cannot take
_MODE_REFUSED = re.compile(r"response_format|json_schema|json_object|structured output", re.I)


BATCH_ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
BATCH_ENDED = ("completed", "failed", "expired", "cancelled")


def _turns(messages: list[Message]) -> list[dict[str, str]]:
    """Messages as chat turns: consecutive messages of one role joined into one turn, as some
    local chat templates accept only alternating roles (the text, and so any prefix, is the
    same either way)."""
    turns: list[dict[str, str]] = []
    for message in messages:
        if turns and turns[-1]["role"] == message.role:
            turns[-1]["content"] += "\n\n" + message.content
        else:
            turns.append({"role": message.role, "content": message.content})
    return turns


class OpenAIProvider:
    """OpenAI models, or any OpenAI-compatible server when `compatible`."""

    def __init__(self, settings: LLMSettings, *, compatible: bool = False) -> None:
        self.settings = settings
        self.compatible = compatible
        self.name = "openai-compatible" if compatible else "openai"
        self._clients: SDKClients[openai.OpenAI, openai.AsyncOpenAI] = SDKClients(
            self._make_sync, self._make_async
        )

    def modes(self) -> tuple[str, ...]:
        """The modes to try, best first, from where this server starts."""
        if not self.compatible:
            return MODES[:1]
        return MODES[MODES.index(_first_mode.get(self._server, MODES[0])) :]

    def complete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import openai

        for tried, mode in enumerate(self.modes(), start=1):
            request = self._request(messages, schema, max_tokens, mode)
            try:
                response = self._clients.sync().chat.completions.create(**request)
            except (openai.APIError, json.JSONDecodeError) as error:
                self._step_down_or_raise(error, mode, tried)
                continue
            return dataclasses.replace(self._reply(response), requests=tried)
        raise self._no_mode_left()

    async def acomplete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import openai

        for tried, mode in enumerate(self.modes(), start=1):
            request = self._request(messages, schema, max_tokens, mode)
            try:
                response = await self._clients.for_loop().chat.completions.create(**request)
            except (openai.APIError, json.JSONDecodeError) as error:
                self._step_down_or_raise(error, mode, tried)
                continue
            return dataclasses.replace(self._reply(response), requests=tried)
        raise self._no_mode_left()

    # -- the Batch API: many requests at half price, answered within a day --------------------

    def batch_params(
        self, messages: list[Message], schema: Schema, max_tokens: int
    ) -> dict[str, Any]:
        """The body of one request, as a batch carries it."""
        if self.compatible:
            raise ProviderError("provider batches need --provider anthropic or openai")
        return self._request(messages, schema, max_tokens, self.modes()[0])

    def submit_batch(self, requests: dict[str, dict[str, Any]]) -> str:
        """Upload `requests` (by custom id) as a JSONL file and start a batch on it; its id."""
        lines = [
            json.dumps({"custom_id": cid, "method": "POST", "url": BATCH_ENDPOINT, "body": body})
            for cid, body in requests.items()
        ]
        data = ("\n".join(lines) + "\n").encode("utf-8")

        def submit(client: openai.OpenAI) -> Any:
            uploaded = client.files.create(file=("tailor-batch.jsonl", data), purpose="batch")
            return client.batches.create(
                input_file_id=uploaded.id, endpoint=BATCH_ENDPOINT, completion_window="24h"
            )

        return str(self._batch_call(submit).id)

    def batch_state(self, batch_id: str) -> tuple[bool, str]:
        """Whether the batch has ended, and its progress in words."""
        batch = self._batch_call(lambda client: client.batches.retrieve(batch_id))
        counts = batch.request_counts
        progress = (
            f"{counts.completed + counts.failed} of {counts.total} answered" if counts else ""
        )
        return batch.status in BATCH_ENDED, progress or batch.status

    def batch_results(self, batch_id: str) -> dict[str, Reply | str]:
        """Each request's reply by custom id, or why it has none."""
        from openai.types.chat import ChatCompletion

        batch = self._batch_call(lambda client: client.batches.retrieve(batch_id))
        results: dict[str, Reply | str] = {}
        for file_id in (batch.output_file_id, batch.error_file_id):
            if not file_id:
                continue
            text = self._batch_call(lambda client, f=file_id: client.files.content(f).text)
            for line in text.splitlines():
                if not line.strip():
                    continue
                entry = json.loads(line)
                response = entry.get("response") or {}
                if response.get("status_code") == 200:
                    completion = ChatCompletion.model_validate(response.get("body"))
                    results[entry["custom_id"]] = self._reply(completion)
                else:
                    error = entry.get("error") or (response.get("body") or {}).get("error") or {}
                    results[entry["custom_id"]] = str(error.get("message") or "failed")
        return results

    def _batch_call(self, action: Any) -> Any:
        import openai

        try:
            return action(self._clients.sync())
        except (openai.APIError, json.JSONDecodeError) as error:
            raise sdk_error(openai, error, provider=self.name, settings=self.settings) from None

    def close(self) -> None:
        self._clients.close()

    async def aclose(self) -> None:
        await self._clients.aclose()

    def _make_sync(self) -> openai.OpenAI:
        import openai

        return openai.OpenAI(**client_options(self.settings))

    def _make_async(self) -> openai.AsyncOpenAI:
        import openai

        return openai.AsyncOpenAI(**client_options(self.settings))

    @property
    def _server(self) -> str:
        return self.settings.base_url or ""

    def _request(
        self, messages: list[Message], schema: Schema, max_tokens: int, mode: str
    ) -> dict[str, Any]:
        import openai

        chat = _turns(messages)
        if mode != "json_schema":  # the server will not enforce the schema: say it in words
            # in the first system message: some local chat templates refuse a second one
            if chat and chat[0]["role"] == "system":
                chat[0] = {
                    "role": "system",
                    "content": f"{chat[0]['content']}\n\n{schema.instruction()}",
                }
            else:
                chat.insert(0, {"role": "system", "content": schema.instruction()})
        request: dict[str, Any] = {"model": self.settings.model, "messages": chat}
        # OpenAI's newer models take max_completion_tokens only; local servers know max_tokens
        request["max_tokens" if self.compatible else "max_completion_tokens"] = max_tokens
        if self.compatible and self.settings.temperature is not None:
            request["temperature"] = self.settings.temperature
        if mode == "json_schema":
            tool = openai.pydantic_function_tool(schema.model)
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": schema.name,
                    "schema": tool["function"]["parameters"],
                    "strict": True,
                },
            }
        elif mode == "json_object":
            request["response_format"] = {"type": "json_object"}
        return request

    def _step_down_or_raise(self, error: Exception, mode: str, tried: int) -> None:
        """Remember a refused mode so that no later request (a retry included) tries it again;
        raise anything else as tailor's error, counting the requests this attempt made."""
        import openai

        refused = (
            self.compatible
            and mode != MODES[-1]
            and isinstance(error, openai.APIStatusError)
            and error.status_code in (400, 422)
            and bool(_MODE_REFUSED.search(server_message(error)))
        )
        if not refused:
            failure = sdk_error(openai, error, provider=self.name, settings=self.settings)
            if isinstance(failure, TransientError):
                failure.requests = tried
            raise failure from None
        _first_mode[self._server] = MODES[MODES.index(mode) + 1]

    def _no_mode_left(self) -> ProviderError:
        return ProviderError(
            f"{self.name} {self.settings.model} at {self.settings.base_url} refused every "
            "structured-output mode tailor knows (json_schema, json_object, plain text)"
        )

    def _reply(self, response: Any) -> Reply:
        if isinstance(response, str):  # a body the SDK could not read as a completion
            raise TransientError(f"{self.name} {self.settings.model}: the response was not JSON")
        choice = response.choices[0]
        usage = response.usage
        cached = 0
        if usage is not None and usage.prompt_tokens_details is not None:
            cached = usage.prompt_tokens_details.cached_tokens or 0
        return Reply(
            text=choice.message.content or "",
            model=response.model or self.settings.model,
            truncated=choice.finish_reason == "length",
            # OpenAI counts cached tokens inside prompt_tokens; tailor counts them apart
            input_tokens=(usage.prompt_tokens - cached) if usage is not None else 0,
            output_tokens=usage.completion_tokens if usage is not None else 0,
            cache_read_tokens=cached,
        )
