"""OpenAI's Chat Completions API, and servers that copy it (Ollama, vLLM, llama.cpp, LM Studio).

OpenAI enforces the answer's shape with `response_format` `json_schema` (strict, the schema
made by the SDK's own helper). Local servers differ: some reject `json_schema`, some reject
`json_object`, some accept a mode and ignore the schema. For them tailor climbs down the
ladder of tailor.llm.modes on the server's refusal, remembers where each server starts, and
always validates the answer.

An OpenAI-compatible server is treated as a local one: a request that timed out is not sent
again (llama.cpp and Ollama go on generating the first, so a resend only piles work up), and
without a model named, the model is the one the server lists (`GET /v1/models`), so that no
report names a model the server did not confirm.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import threading
from typing import TYPE_CHECKING, Any, Literal

from tailor.errors import ProviderError
from tailor.llm import modes
from tailor.llm.base import (
    FinalError,
    Message,
    Reply,
    Schema,
    SDKClients,
    TransientError,
    client_options,
    redact,
    sdk_error,
    server_message,
)
from tailor.llm.config import (
    FALLBACK_LOCAL_MODEL,
    UNKNOWN_MODEL,
    LLMSettings,
    default_config_file,
)

if TYPE_CHECKING:
    import httpx2
    import openai

log = logging.getLogger("tailor.llm")

BATCH_ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
BATCH_ENDED = ("completed", "failed", "expired", "cancelled")
# statuses that mean something else than "not this response format", whatever they say
_NOT_A_FORMAT_REFUSAL = (401, 403, 404, 408, 409, 429)
MODELS_TIMEOUT = 10.0  # seconds for GET /v1/models: a listing, not a generation
_LOGGED_CHARS = 200  # of a server's refusal, in the -v log
# the models each server lists, by base URL, for the rest of the process (None: it would not
# say); the lock makes a batch's threads ask once
_listed: dict[str, tuple[str, ...] | None] = {}
_listed_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class Served:
    """The model a request names, and the one reports name (UNKNOWN_MODEL when the server
    did not say which it serves)."""

    sent: str
    reported: str
    confirmed: bool  # named by the user or listed by the server: the server's echo is trusted


def forget_servers() -> None:
    """Forget the models each server listed (tests)."""
    with _listed_lock:
        _listed.clear()


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
    """OpenAI models, or any OpenAI-compatible server when `compatible`.

    `transport` answers the SDK's requests in-process instead of over the network (tests' fake
    provider: the real SDK still builds every request and parses every answer).
    """

    def __init__(
        self,
        settings: LLMSettings,
        *,
        compatible: bool = False,
        transport: httpx2.MockTransport | None = None,
    ) -> None:
        self.settings = settings
        self.compatible = compatible
        self.transport = transport
        self.name = "openai-compatible" if compatible else "openai"
        self._clients: SDKClients[openai.OpenAI, openai.AsyncOpenAI] = SDKClients(
            self._make_sync, self._make_async
        )

    def modes(self) -> tuple[str, ...]:
        """The rungs to try, best first, from where this server starts."""
        if not self.compatible:
            return modes.RUNGS[:1]
        start = modes.first_rung(self._server, disk=self.settings.remember_modes)
        return modes.ladder(self.settings.output_mode, start)

    def complete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import openai

        served = self.served()
        climb = _Climb(self, self.modes())
        while (rung := climb.next()) is not None:
            request = self._request(messages, schema, max_tokens, rung, served.sent)
            try:
                response = self._clients.sync().chat.completions.create(**request)
            except (openai.APIError, json.JSONDecodeError) as error:
                climb.refused(error, served)
                continue
            return climb.answered(self._reply(response, served))
        raise climb.nothing_left(served)

    async def acomplete(self, messages: list[Message], schema: Schema, *, max_tokens: int) -> Reply:
        import openai

        served = await asyncio.to_thread(self.served)
        climb = _Climb(self, self.modes())
        while (rung := climb.next()) is not None:
            request = self._request(messages, schema, max_tokens, rung, served.sent)
            try:
                response = await self._clients.for_loop().chat.completions.create(**request)
            except (openai.APIError, json.JSONDecodeError) as error:
                climb.refused(error, served)
                continue
            return climb.answered(self._reply(response, served))
        raise climb.nothing_left(served)

    # -- which model -----------------------------------------------------------------------

    def served(self) -> Served:
        """The model to send and to report: the one named, else the one the server lists."""
        if self.settings.model or not self.compatible:
            return Served(self.settings.model, self.settings.model, confirmed=True)
        listed = self._listed_models()
        if not listed:
            return Served(FALLBACK_LOCAL_MODEL, UNKNOWN_MODEL, confirmed=False)
        if len(listed) > 1:
            shown = ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")
            raise ProviderError(
                f"{self.name} at {self.settings.base_url} serves {len(listed)} models "
                f"({shown}); name one with --model (or TAILOR_MODEL, or model in the config "
                "file)"
            )
        return Served(listed[0], listed[0], confirmed=True)

    def _listed_models(self) -> tuple[str, ...] | None:
        """The model ids the server lists, asked once a process (None: it would not say)."""
        with _listed_lock:
            if self._server not in _listed:
                _listed[self._server] = self._ask_models()
            return _listed[self._server]

    def _ask_models(self) -> tuple[str, ...] | None:
        import openai

        try:
            timeout = min(self.settings.timeout, MODELS_TIMEOUT)
            page = self._clients.sync().models.list(timeout=timeout)
            ids = [getattr(model, "id", None) for model in page.data]
        except (openai.APIError, ValueError, TypeError, AttributeError) as error:
            log.info(
                "%s at %s did not list its models (%s); sending %r, reporting the model as %s",
                self.name, self.settings.base_url, _why(error), FALLBACK_LOCAL_MODEL,
                UNKNOWN_MODEL,
            )  # fmt: skip
            return None
        listed = tuple(dict.fromkeys(i for i in ids if isinstance(i, str) and i))
        log.info("%s at %s lists %d model(s): %s",
                 self.name, self.settings.base_url, len(listed), ", ".join(listed[:12]))  # fmt: skip
        return listed or None

    # -- the Batch API: many requests at half price, answered within a day --------------------

    def batch_params(
        self, messages: list[Message], schema: Schema, max_tokens: int
    ) -> dict[str, Any]:
        """The body of one request, as a batch carries it."""
        if self.compatible:
            raise ProviderError("provider batches need --provider anthropic or openai")
        return self._request(messages, schema, max_tokens, "json_schema", self.settings.model)

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
                    results[entry["custom_id"]] = self._reply(completion, self.served())
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

        options = client_options(self.settings)
        if self.transport is not None:
            options["http_client"] = openai.DefaultHttpxClient(transport=self.transport)
        return openai.OpenAI(**options)

    def _make_async(self) -> openai.AsyncOpenAI:
        import openai

        options = client_options(self.settings)
        if self.transport is not None:
            options["http_client"] = openai.DefaultAsyncHttpxClient(transport=self.transport)
        return openai.AsyncOpenAI(**options)

    @property
    def _server(self) -> str:
        return modes.server_key(self.settings.base_url)

    def _request(
        self, messages: list[Message], schema: Schema, max_tokens: int, rung: str, model: str
    ) -> dict[str, Any]:
        import openai

        chat = _turns(messages)
        if rung != "json_schema":  # the server may not enforce the schema: say it in words
            # in the first system message: some local chat templates refuse a second one
            if chat and chat[0]["role"] == "system":
                chat[0] = {
                    "role": "system",
                    "content": f"{chat[0]['content']}\n\n{schema.instruction()}",
                }
            else:
                chat.insert(0, {"role": "system", "content": schema.instruction()})
        request: dict[str, Any] = {"model": model, "messages": chat}
        # OpenAI's newer models take max_completion_tokens only; local servers know max_tokens
        request["max_tokens" if self.compatible else "max_completion_tokens"] = max_tokens
        if self.compatible and self.settings.temperature is not None:
            request["temperature"] = self.settings.temperature
        if rung in ("json_schema", "json_object+schema"):
            strict = openai.pydantic_function_tool(schema.model)["function"]["parameters"]
            if rung == "json_schema":
                request["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": schema.name, "schema": strict, "strict": True},
                }
            else:  # llama.cpp and others enforce this schema as a grammar
                request["response_format"] = {"type": "json_object", "schema": bounded(strict)}
        elif rung == "json_object":
            request["response_format"] = {"type": "json_object"}
        return request

    def _reply(self, response: Any, served: Served) -> Reply:
        if isinstance(response, str):  # a body the SDK could not read as a completion
            raise TransientError(f"{self.name} {served.reported}: the response was not JSON")
        choice = response.choices[0]
        usage = response.usage
        cached = 0
        if usage is not None and usage.prompt_tokens_details is not None:
            cached = usage.prompt_tokens_details.cached_tokens or 0
        return Reply(
            text=choice.message.content or "",
            # a server that did not say which model it serves echoes the name it was sent
            model=(response.model or served.reported) if served.confirmed else served.reported,
            truncated=choice.finish_reason == "length",
            # OpenAI counts cached tokens inside prompt_tokens; tailor counts them apart
            input_tokens=(usage.prompt_tokens - cached) if usage is not None else 0,
            output_tokens=usage.completion_tokens if usage is not None else 0,
            cache_read_tokens=cached,
        )


class _Climb:
    """One request's way down a server's ladder of output modes: the rung to try next, what a
    refusal means, and the error when no rung is left."""

    def __init__(self, provider: OpenAIProvider, rungs: tuple[str, ...]) -> None:
        self.provider = provider
        self.rungs = rungs
        self.rung: str | None = None
        self.upcoming: str | None = rungs[0]
        self.tried = 0
        self.last_refusal = ""

    def next(self) -> str | None:
        """The rung to try now (None: none is left), said in the -v log."""
        self.rung, self.upcoming = self.upcoming, None
        if self.rung is None:
            return None
        self.tried += 1
        provider = self.provider
        if provider.compatible:
            log.info("%s at %s: output mode %s",
                     provider.name, provider.settings.base_url, self.rung)  # fmt: skip
        return self.rung

    def answered(self, reply: Reply) -> Reply:
        """The reply, counting the refused requests before it. A pinned mode that worked is
        remembered if it is above where the server started, so the next auto run starts
        there."""
        provider = self.provider
        if provider.compatible and provider.settings.output_mode != "auto" and self.rung:
            modes.worked(provider._server, self.rung, disk=provider.settings.remember_modes)
        return dataclasses.replace(reply, requests=self.tried)

    def refused(self, error: Exception, served: Served) -> None:
        """Step down on a refusal that names the response format (whatever its status),
        remembering it so that no later request tries the refused rung again; raise anything
        else as tailor's error, counting the requests this attempt made."""
        import openai

        provider, settings, rung = self.provider, self.provider.settings, self.rung
        assert rung is not None
        message = redact(server_message(error), settings.api_key)
        if not (
            provider.compatible
            and isinstance(error, openai.APIStatusError)
            and error.status_code not in _NOT_A_FORMAT_REFUSAL
            and modes.FORMAT_REFUSED.search(message)
        ):
            raise self._failure(error, served) from None
        below = modes.after_refusal(rung, message)
        self.last_refusal = f"HTTP {error.status_code}: {message}"
        if below is not None:
            modes.step_down(provider._server, below, disk=settings.remember_modes)
            if below in self.rungs[self.rungs.index(rung) + 1 :]:
                self.upcoming = below
        log.info("%s at %s refused output mode %s (%s); %s",
                 provider.name, settings.base_url, rung, _clipped(self.last_refusal),
                 f"stepping down to {self.upcoming}" if self.upcoming else "no mode is left")  # fmt: skip

    def nothing_left(self, served: Served) -> ProviderError:
        provider, settings = self.provider, self.provider.settings
        pinned = settings.output_mode
        tried = "every output mode tailor knows" if pinned == "auto" else f"--output-mode {pinned}"
        hint = "" if pinned == "auto" else "; --output-mode auto lets tailor step down"
        return FinalError(
            f"{provider.name} {served.reported} at {settings.base_url} refused {tried} "
            f"({self.last_refusal}){hint}",
            requests=self.tried,
        )

    def _failure(self, error: Exception, served: Served) -> ProviderError:
        """The SDK's error as tailor's. A local server that timed out is not asked again: it
        goes on working on the request, and a second one would only queue behind it."""
        import openai

        provider, settings = self.provider, self.provider.settings
        if provider.compatible and isinstance(error, openai.APITimeoutError):
            return FinalError(
                f"{provider.name} {served.reported} at {settings.base_url} did not answer "
                f"within {settings.timeout:g} s, and tailor does not ask again while a local "
                f"server may still be working on it; give it longer with `timeout = "
                f"{max(600, int(settings.timeout * 2))}` (seconds) in "
                f"{default_config_file()}, or use a faster model",
                requests=self.tried,
            )
        named = dataclasses.replace(settings, model=served.reported)
        failure = sdk_error(openai, error, provider=provider.name, settings=named)
        if isinstance(failure, TransientError):
            failure.requests = self.tried
        return failure


def _why(error: Exception) -> str:
    status = getattr(error, "status_code", None)
    return f"HTTP {status}" if status is not None else type(error).__name__


def _clipped(text: str) -> str:
    return text if len(text) <= _LOGGED_CHARS else text[:_LOGGED_CHARS] + " [...]"


# how long a list a grammar lets a local model write: a small model that repeats itself fills
# a list until its token budget runs out, and its answer is cut off; a bound makes it close the
# list. Only for a schema sent as a grammar: cloud APIs' strict schemas take no length
# constraints, and tailor's own validation sets none (a longer list from a model is fine).
# Strings get no bound: llama.cpp spells a string bound out character by character.
GRAMMAR_MAX_ITEMS = 12


def bounded(schema: Any) -> Any:
    """`schema` with every array at most `GRAMMAR_MAX_ITEMS` long, where it sets no bound."""
    if isinstance(schema, list):
        return [bounded(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: bounded(value) for key, value in schema.items()}
    if copy.get("type") == "array":
        copy.setdefault("maxItems", GRAMMAR_MAX_ITEMS)
    return copy
