"""OpenAI's Chat Completions API, and servers that copy it (Ollama, vLLM, llama.cpp, LM Studio).

OpenAI enforces the answer's shape with `response_format` `json_schema` (strict, the schema
made by the SDK's own helper). Local servers differ: some reject `json_schema`, some reject
`json_object`, some accept a mode and ignore the schema. For them tailor steps down, on the
server's refusal, from `json_schema` to `json_object` to plain text with the schema in the
prompt, remembers what worked for that server, and always validates the answer.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from tailor.errors import ProviderError
from tailor.llm.base import Message, Reply, Schema, TransientError, status_error
from tailor.llm.config import KEY_VARIABLES, LLMSettings

if TYPE_CHECKING:
    import openai

MODES = ("json_schema", "json_object", "prompt")
# what each server accepted last, by base URL, for the life of the process
_modes_that_worked: dict[str, str] = {}
# a 400 that says the structured-output mode is the problem
_MODE_REFUSED = re.compile(
    r"response_format|json_schema|json_object|structured|not supported", re.I
)


class ModeRefused(Exception):
    """The server refused the structured-output mode: try the next one."""


class OpenAIProvider:
    """OpenAI models, or any OpenAI-compatible server when `compatible`."""

    def __init__(self, settings: LLMSettings, *, compatible: bool = False) -> None:
        self.settings = settings
        self.compatible = compatible
        self.name = "openai-compatible" if compatible else "openai"
        self._client: openai.OpenAI | None = None
        self._async_client: openai.AsyncOpenAI | None = None

    @property
    def modes(self) -> tuple[str, ...]:
        """The modes to try, best first, starting from the one that worked last time."""
        if not self.compatible:
            return MODES[:1]
        known = _modes_that_worked.get(self.settings.base_url or "")
        return MODES[MODES.index(known) :] if known else MODES

    def complete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import openai

        if self._client is None:
            self._client = openai.OpenAI(**self._client_options())
        for mode in self.modes:
            request = self._request(messages, schema, max_tokens, mode)
            try:
                response = self._client.chat.completions.create(**request)
            except (openai.APIError, ValueError) as error:  # ValueError: a body that is not JSON
                self._raise_unless_mode_refused(error, mode)
                continue
            return self._worked(mode, response)
        raise self._no_mode_left()

    async def acomplete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import openai

        if self._async_client is None:
            self._async_client = openai.AsyncOpenAI(**self._client_options())
        for mode in self.modes:
            request = self._request(messages, schema, max_tokens, mode)
            try:
                response = await self._async_client.chat.completions.create(**request)
            except (openai.APIError, ValueError) as error:  # ValueError: a body that is not JSON
                self._raise_unless_mode_refused(error, mode)
                continue
            return self._worked(mode, response)
        raise self._no_mode_left()

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

    def _request(
        self, messages: list[Message], schema: Schema, max_tokens: int, mode: str
    ) -> dict[str, Any]:
        import openai

        chat = [{"role": m.role, "content": m.content} for m in messages]
        if mode != "json_schema":  # the server will not enforce the schema: say it in words
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

    def _raise_unless_mode_refused(self, error: Exception, mode: str) -> None:
        import openai

        refused = (
            self.compatible
            and mode != MODES[-1]
            and isinstance(error, openai.BadRequestError)
            and bool(_MODE_REFUSED.search(_message(error)))
        )
        if not refused:
            raise self._error(error) from None

    def _worked(self, mode: str, response: Any) -> Reply:
        if self.compatible:
            _modes_that_worked[self.settings.base_url or ""] = mode
        return self._reply(response)

    def _no_mode_left(self) -> ProviderError:
        return ProviderError(
            f"{self.name} {self.settings.model} at {self.settings.base_url} refused every "
            "structured-output mode tailor knows (json_schema, json_object, plain text)"
        )

    def _reply(self, response: Any) -> Reply:
        if isinstance(response, str):  # a body the SDK could not read as a response
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

    def _error(self, error: Exception) -> ProviderError:
        import openai

        model = self.settings.model
        if isinstance(error, openai.APITimeoutError):
            return TransientError(
                f"{self.name} {model}: no answer within {self.settings.timeout:g} s"
            )
        if isinstance(error, openai.APIConnectionError):
            where = f" at {self.settings.base_url}" if self.compatible else ""
            return TransientError(f"{self.name} {model}: could not reach the server{where}")
        if isinstance(error, openai.APIStatusError):
            return status_error(
                error.status_code,
                _message(error),
                provider=self.name,
                model=model,
                key_env=None if self.compatible else KEY_VARIABLES["openai"],
                headers=error.response.headers,
            )
        return TransientError(f"{self.name} {model}: unreadable response ({type(error).__name__})")


def _message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return str(getattr(error, "message", "")) or json.dumps(body)[:200]
