"""The fake LLM server, driven through the real anthropic and openai SDKs (no patching)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import anthropic
import openai
import pytest

from tests.fake_llm import (
    LLAMA_CPP_PYTHON,
    NO_SCHEMA_KEY,
    Drop,
    Error,
    FakeLLM,
    Raw,
    Refusal,
    Slow,
    Text,
    TokenUsage,
    ToolCall,
)

KEY = "sk-test-key"
MESSAGES = [{"role": "user", "content": "Tailor my CV."}]
ANTHROPIC_TOOL = {
    "name": "record_critique",
    "description": "Record the critique.",
    "input_schema": {"type": "object", "properties": {"score": {"type": "integer"}}},
}
OPENAI_TOOL = {
    "type": "function",
    "function": {
        "name": "record_critique",
        "parameters": {"type": "object", "properties": {"score": {"type": "integer"}}},
    },
}


@pytest.fixture
def claude(fake_llm: FakeLLM) -> Iterator[Any]:
    """An anthropic client on the fake server, without the SDK's own retries."""
    with anthropic.Anthropic(api_key=KEY, base_url=fake_llm.url, max_retries=0) as client:
        yield client


@pytest.fixture
def gpt(fake_llm: FakeLLM) -> Iterator[Any]:
    """An openai client on the fake server, without the SDK's own retries."""
    with openai.OpenAI(api_key=KEY, base_url=fake_llm.openai_base_url, max_retries=0) as client:
        yield client


def ask_claude(client: Any, **options: Any) -> Any:
    return client.messages.create(
        model="claude-haiku-4-5", max_tokens=100, messages=MESSAGES, **options
    )


def ask_gpt(client: Any, **options: Any) -> Any:
    return client.chat.completions.create(model="gpt-4.1-mini", messages=MESSAGES, **options)


def wait_for(condition: Callable[[], bool], seconds: float = 1) -> bool:
    """Poll `condition` until it holds or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


# -- answers -------------------------------------------------------------------------------


def test_anthropic_gets_scripted_text_with_usage(fake_llm: FakeLLM, claude: Any) -> None:
    usage = TokenUsage(input=120, output=30, cache_write=2000, cache_read=500)
    fake_llm.reply(Text('{"score": 7}', usage=usage))

    message = ask_claude(claude)

    assert [block.text for block in message.content] == ['{"score": 7}']
    assert message.stop_reason == "end_turn"
    assert message.model == "claude-haiku-4-5"
    assert message.usage.input_tokens == 120
    assert message.usage.output_tokens == 30
    assert message.usage.cache_creation_input_tokens == 2000
    assert message.usage.cache_read_input_tokens == 500


def test_openai_gets_scripted_text_with_usage(fake_llm: FakeLLM, gpt: Any) -> None:
    usage = TokenUsage(input=120, output=30, cache_write=2000, cache_read=500)
    fake_llm.reply(Text('{"score": 7}', usage=usage))

    completion = ask_gpt(gpt)

    choice = completion.choices[0]
    assert choice.message.content == '{"score": 7}'
    assert choice.finish_reason == "stop"
    assert completion.model == "gpt-4.1-mini"
    assert completion.usage.prompt_tokens == 620  # OpenAI counts cached tokens in the prompt
    assert completion.usage.completion_tokens == 30
    assert completion.usage.total_tokens == 650
    assert completion.usage.prompt_tokens_details.cached_tokens == 500


def test_default_usage_is_small_and_model_can_be_overridden(
    fake_llm: FakeLLM, claude: Any, gpt: Any
) -> None:
    fake_llm.reply(Text("a", model="claude-sonnet-4-6"), Text("b", model="gpt-4.1"))

    message, completion = ask_claude(claude), ask_gpt(gpt)

    assert (message.model, completion.model) == ("claude-sonnet-4-6", "gpt-4.1")
    assert (message.usage.input_tokens, message.usage.output_tokens) == (10, 5)
    assert message.usage.cache_read_input_tokens == 0
    assert completion.usage.total_tokens == 15


def test_truncated_text_stops_on_the_token_limit(fake_llm: FakeLLM, claude: Any, gpt: Any) -> None:
    fake_llm.reply(Text('{"score": ', truncated=True), Text('{"score": ', truncated=True))

    assert ask_claude(claude).stop_reason == "max_tokens"
    assert ask_gpt(gpt).choices[0].finish_reason == "length"


def test_anthropic_tool_call_names_the_offered_tool(fake_llm: FakeLLM, claude: Any) -> None:
    fake_llm.reply(ToolCall({"score": 7}))

    message = ask_claude(claude, tools=[ANTHROPIC_TOOL])

    assert message.stop_reason == "tool_use"
    [block] = message.content
    assert (block.type, block.id, block.name) == ("tool_use", "toolu_1", "record_critique")
    assert block.input == {"score": 7}


def test_openai_tool_call_names_the_offered_tool(fake_llm: FakeLLM, gpt: Any) -> None:
    fake_llm.reply(ToolCall({"score": 7}))

    completion = ask_gpt(gpt, tools=[OPENAI_TOOL])

    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    [call] = choice.message.tool_calls
    assert (call.id, call.type, call.function.name) == ("call_1", "function", "record_critique")
    assert json.loads(call.function.arguments) == {"score": 7}


def test_tool_call_without_a_single_tool_is_a_visible_500(fake_llm: FakeLLM, claude: Any) -> None:
    fake_llm.reply(ToolCall({"score": 7}))

    with pytest.raises(anthropic.InternalServerError, match="exactly one tool"):
        ask_claude(claude)


# -- errors --------------------------------------------------------------------------------


def test_rate_limit_with_retry_after_on_anthropic(fake_llm: FakeLLM, claude: Any) -> None:
    fake_llm.reply(Error(429, retry_after=1, message="slow down"))

    with pytest.raises(anthropic.RateLimitError) as caught:
        ask_claude(claude)

    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "1"
    # anthropic keeps the whole body on the exception; openai keeps only its "error" member
    assert caught.value.body == {
        "type": "error",
        "error": {"type": "rate_limit_error", "message": "slow down"},
    }


def test_rate_limit_with_retry_after_on_openai(fake_llm: FakeLLM, gpt: Any) -> None:
    fake_llm.reply(Error(429, retry_after=1, message="slow down"))

    with pytest.raises(openai.RateLimitError) as caught:
        ask_gpt(gpt)

    assert caught.value.response.headers["retry-after"] == "1"
    assert caught.value.body == {
        "message": "slow down",
        "type": "requests",
        "code": "rate_limit_exceeded",
    }


def test_overloaded_529(fake_llm: FakeLLM, claude: Any, gpt: Any) -> None:
    fake_llm.reply(Error(529), Error(529))

    with pytest.raises(anthropic.InternalServerError) as caught:
        ask_claude(claude)
    assert type(caught.value) is anthropic.OverloadedError  # a subclass, new in 2.x
    assert caught.value.body["error"]["type"] == "overloaded_error"
    assert "retry-after" not in caught.value.response.headers

    with pytest.raises(openai.InternalServerError) as caught_openai:
        ask_gpt(gpt)
    assert caught_openai.value.status_code == 529


@pytest.mark.parametrize(
    ("status", "error_class", "kind"),
    [
        (400, "BadRequestError", "invalid_request_error"),
        (401, "AuthenticationError", "authentication_error"),
        (404, "NotFoundError", "not_found_error"),
        (500, "InternalServerError", "api_error"),
    ],
)
def test_status_maps_to_the_sdk_error_and_error_type(
    fake_llm: FakeLLM, claude: Any, status: int, error_class: str, kind: str
) -> None:
    fake_llm.reply(Error(status))

    with pytest.raises(getattr(anthropic, error_class)) as caught:
        ask_claude(claude)

    assert caught.value.body["error"]["type"] == kind


def test_empty_queue_answers_500_no_scripted_reply(
    fake_llm: FakeLLM, claude: Any, gpt: Any
) -> None:
    with pytest.raises(anthropic.InternalServerError, match="no scripted reply"):
        ask_claude(claude)
    with pytest.raises(openai.InternalServerError, match="no scripted reply"):
        ask_gpt(gpt)
    assert len(fake_llm.requests) == 2


# -- the network misbehaving ---------------------------------------------------------------


def test_slow_reply_trips_the_client_timeout(fake_llm: FakeLLM, claude: Any, gpt: Any) -> None:
    fake_llm.reply(Slow(5, Text("late")), Slow(5, Text("late")))

    started = time.monotonic()
    with pytest.raises(anthropic.APITimeoutError):
        ask_claude(claude, timeout=0.3)
    with pytest.raises(openai.APITimeoutError):
        ask_gpt(gpt, timeout=0.3)

    assert time.monotonic() - started < 2


def test_slow_reply_does_not_block_other_requests(fake_llm: FakeLLM, claude: Any) -> None:
    fake_llm.reply(Slow(0.6, Text("late")), Text("fast"))
    answers: list[str] = []
    slow = threading.Thread(target=lambda: answers.append(ask_claude(claude).content[0].text))
    slow.start()
    assert wait_for(lambda: bool(fake_llm.requests))  # the slow request has taken its reply

    started = time.monotonic()
    fast = ask_claude(claude).content[0].text
    elapsed = time.monotonic() - started
    slow.join()

    assert (fast, answers) == ("fast", ["late"])
    assert elapsed < 0.5


def test_close_does_not_hang_on_a_slow_reply() -> None:
    threads_before = set(threading.enumerate())
    with (
        FakeLLM() as server,
        anthropic.Anthropic(api_key=KEY, base_url=server.url, max_retries=0) as client,
    ):
        server.reply(Slow(30, Text("never")))
        errors: list[Exception] = []

        def call() -> None:
            try:
                ask_claude(client, timeout=10)
            except anthropic.APIConnectionError as exc:
                errors.append(exc)

        caller = threading.Thread(target=call)
        caller.start()
        assert wait_for(lambda: bool(server.requests))
        started = time.monotonic()
        server.close()
        caller.join(timeout=5)

    assert time.monotonic() - started < 1
    assert len(errors) == 1
    assert not isinstance(errors[0], anthropic.APITimeoutError)
    # the handler woke up: no thread this test started is left (others' threads do not count)
    assert wait_for(lambda: not set(threading.enumerate()) - threads_before, seconds=3)


def test_drop_is_a_connection_error(fake_llm: FakeLLM, claude: Any, gpt: Any) -> None:
    fake_llm.reply(Drop(), Drop(), Text("still serving"))

    with pytest.raises(anthropic.APIConnectionError) as caught:
        ask_claude(claude)
    assert not isinstance(caught.value, anthropic.APITimeoutError)
    with pytest.raises(openai.APIConnectionError) as caught_openai:
        ask_gpt(gpt)
    assert not isinstance(caught_openai.value, openai.APITimeoutError)
    assert ask_claude(claude).content[0].text == "still serving"


def test_invalid_json_escapes_both_sdks_as_a_plain_json_error(
    fake_llm: FakeLLM, claude: Any, gpt: Any
) -> None:
    # Neither SDK wraps this in its own error class: callers must catch ValueError too.
    fake_llm.reply(Raw(b"{not json"), Raw(b"{not json"))

    with pytest.raises(json.JSONDecodeError):
        ask_claude(claude)
    with pytest.raises(json.JSONDecodeError):
        ask_gpt(gpt)


def test_non_json_content_type_comes_back_as_a_bare_string(
    fake_llm: FakeLLM, claude: Any, gpt: Any
) -> None:
    # Without strict response validation the SDKs return the text instead of a model object.
    fake_llm.reply(Raw(b"oops", content_type="text/plain"), Raw(b"oops", content_type="text/html"))

    assert ask_claude(claude) == "oops"
    assert ask_gpt(gpt) == "oops"


def test_raw_error_status_with_a_non_provider_body(fake_llm: FakeLLM, gpt: Any) -> None:
    fake_llm.reply(Raw(b"<html>Bad Gateway</html>", status=502, content_type="text/html"))

    with pytest.raises(openai.InternalServerError) as caught:
        ask_gpt(gpt)

    assert caught.value.status_code == 502
    assert caught.value.message == "Error code: 502"  # a non-JSON body stays out of the message
    assert caught.value.body == "<html>Bad Gateway</html>"


# -- recording and scripting ---------------------------------------------------------------


def test_requests_are_recorded_with_headers_and_body(
    fake_llm: FakeLLM, claude: Any, gpt: Any
) -> None:
    fake_llm.reply(Text("a"), Text("b"))

    ask_claude(claude, system="Be brief.")
    ask_gpt(gpt, temperature=0)

    first, second = fake_llm.requests
    assert (first.method, first.path) == ("POST", "/v1/messages")
    assert first.headers["authorization"] == f"Bearer {KEY}"
    assert "anthropic-version" in first.headers
    assert first.headers["content-type"] == "application/json"
    assert first.body == {
        "max_tokens": 100,
        "messages": MESSAGES,
        "model": "claude-haiku-4-5",
        "system": "Be brief.",
    }
    assert (second.method, second.path) == ("POST", "/v1/chat/completions")
    assert second.headers["authorization"] == f"Bearer {KEY}"
    assert second.body == {"messages": MESSAGES, "model": "gpt-4.1-mini", "temperature": 0}


def test_x_api_key_and_non_json_bodies_are_accepted(fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text("hi"))
    request = urllib.request.Request(
        fake_llm.url + "/v1/messages", data=b"not json", headers={"x-api-key": KEY}
    )

    with urllib.request.urlopen(request, timeout=5) as response:
        answer = json.load(response)

    assert answer["content"] == [{"type": "text", "text": "hi"}]
    assert answer["model"] == "fake-model"
    [recorded] = fake_llm.requests
    assert (recorded.headers["x-api-key"], recorded.body) == (KEY, None)


def test_unknown_endpoint_is_404_and_keeps_the_queue(fake_llm: FakeLLM, claude: Any) -> None:
    fake_llm.reply(Text("kept"))

    with (
        pytest.raises(urllib.error.HTTPError) as caught,
        urllib.request.urlopen(fake_llm.url + "/v1/models", timeout=5),
    ):
        pass
    caught.value.close()

    assert caught.value.code == 404
    assert ask_claude(claude).content[0].text == "kept"


def test_reject_response_formats_answers_400_without_consuming() -> None:
    schema = {"name": "critique", "schema": {"type": "object"}, "strict": True}
    with (
        FakeLLM(reject_response_formats={"json_schema"}) as server,
        openai.OpenAI(api_key=KEY, base_url=server.openai_base_url, max_retries=0) as client,
    ):
        server.reply(Text('{"score": 7}'))

        with pytest.raises(openai.BadRequestError) as caught:
            ask_gpt(client, response_format={"type": "json_schema", "json_schema": schema})
        completion = ask_gpt(client, response_format={"type": "json_object"})

        assert caught.value.body == {
            "message": "response_format.type 'json_schema' is not supported",
            "type": "invalid_request_error",
            "code": None,
        }
        assert completion.choices[0].message.content == '{"score": 7}'
        assert [r.body["response_format"]["type"] for r in server.requests] == [
            "json_schema",
            "json_object",
        ]


def test_a_refusal_can_be_llama_cpp_pythons_500_with_pydantics_detail() -> None:
    schema = {"name": "critique", "schema": {"type": "object"}, "strict": True}
    with (
        FakeLLM(reject_response_formats={"json_schema": LLAMA_CPP_PYTHON}) as server,
        openai.OpenAI(api_key=KEY, base_url=server.openai_base_url, max_retries=0) as client,
    ):
        with pytest.raises(openai.InternalServerError) as caught:
            ask_gpt(client, response_format={"type": "json_schema", "json_schema": schema})
        assert caught.value.status_code == 500
        assert caught.value.body == {
            "detail": [
                {
                    "type": "value_error",
                    "loc": ["body", "response_format", "type"],
                    "msg": "Input should be 'text' or 'json_object'",
                }
            ]
        }
        assert server.requests[0].sent_schema


def test_a_refusal_can_say_a_plain_error_string() -> None:
    refusal = Refusal(500, "json_schema is not supported", shape="string")
    with (
        FakeLLM(reject_response_formats={"json_schema": refusal}) as server,
        openai.OpenAI(api_key=KEY, base_url=server.openai_base_url, max_retries=0) as client,
        pytest.raises(openai.InternalServerError) as caught,
    ):
        ask_gpt(client, response_format={"type": "json_schema", "json_schema": {"name": "x"}})
    assert caught.value.body == "json_schema is not supported"  # the SDK unwraps "error"


def test_refuse_schema_key_refuses_only_a_format_that_carries_one() -> None:
    with (
        FakeLLM(refuse_schema_key=NO_SCHEMA_KEY) as server,
        openai.OpenAI(api_key=KEY, base_url=server.openai_base_url, max_retries=0) as client,
    ):
        server.reply(Text("{}"))
        with pytest.raises(openai.UnprocessableEntityError):
            ask_gpt(client, response_format={"type": "json_object", "schema": {"type": "object"}})
        ask_gpt(client, response_format={"type": "json_object"})
        assert [r.sent_schema for r in server.requests] == [True, False]
        assert server.requests[1].response_format == {"type": "json_object"}


def test_models_are_listed_and_recorded_apart_from_completions() -> None:
    with (
        FakeLLM(models=["SmolLM2-135M-Instruct"]) as server,
        openai.OpenAI(api_key=KEY, base_url=server.openai_base_url, max_retries=0) as client,
    ):
        server.reply(Text("{}"))
        listed = [model.id for model in client.models.list()]
        completion = ask_gpt(client)
        assert listed == ["SmolLM2-135M-Instruct"]
        assert completion.model == "gpt-4.1-mini"  # the request's model, echoed
        assert [r.path for r in server.model_lists] == ["/v1/models"]
        assert [r.path for r in server.requests] == ["/v1/chat/completions"]
        server.reset()
        assert server.model_lists == []


def test_without_models_the_list_is_a_404(fake_llm: FakeLLM, gpt: Any) -> None:
    with pytest.raises(openai.NotFoundError):
        gpt.models.list()
    assert len(fake_llm.model_lists) == 1 and fake_llm.requests == []


def test_a_slow_reply_counts_the_requests_in_flight(fake_llm: FakeLLM, gpt: Any) -> None:
    fake_llm.reply(Slow(0.4, Text("a")), Slow(0.4, Text("b")))
    threads = [threading.Thread(target=lambda: ask_gpt(gpt)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake_llm.most_at_once == 2


def test_reset_forgets_replies_and_requests(fake_llm: FakeLLM, claude: Any) -> None:
    fake_llm.reply(Text("a"))
    ask_claude(claude)
    fake_llm.reply(Text("b"))

    fake_llm.reset()

    assert fake_llm.requests == []
    with pytest.raises(anthropic.InternalServerError, match="no scripted reply"):
        ask_claude(claude)


def test_reply_rejects_what_is_not_a_reply(fake_llm: FakeLLM) -> None:
    with pytest.raises(TypeError, match="not a fake LLM reply"):
        fake_llm.reply(Slow(1, "hello"))  # type: ignore[arg-type]


def test_url_needs_a_started_server() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = FakeLLM().url
