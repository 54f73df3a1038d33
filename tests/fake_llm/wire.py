"""The JSON each provider sends back: one class a provider, the same two methods each.

Shapes follow /work/shared/notes/llm-sdks.md (checked against anthropic 2.14 and openai 3.57).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Protocol

from tests.fake_llm.replies import Text, TokenUsage, ToolCall

Json = dict[str, Any]
DEFAULT_MODEL = "fake-model"


class ScriptError(ValueError):
    """A scripted reply that cannot be answered to this request (the server sends a 500)."""


class Wire(Protocol):
    """How one provider's endpoint formats answers and errors."""

    name: ClassVar[str]

    def answer(self, reply: Text | ToolCall, request: Json) -> Json: ...

    def error(self, status: int, message: str) -> Json: ...


def request_model(request: Json) -> str:
    """The `model` the request asked for, echoed back like the real APIs do."""
    model = request.get("model")
    return model if isinstance(model, str) else DEFAULT_MODEL


def pick_tool_name(reply: ToolCall, offered: list[str], forced: str | None) -> str:
    """The tool a ToolCall calls: its own name, the forced one, or the only one offered."""
    if reply.name is not None:
        return reply.name
    if forced is not None:
        return forced
    if len(offered) == 1:
        return offered[0]
    raise ScriptError(
        f"ToolCall without a name needs exactly one tool in the request, got {offered}"
    )


class AnthropicWire:
    """Anthropic Messages: POST /v1/messages."""

    name: ClassVar[str] = "anthropic"
    ERROR_TYPES: ClassVar[dict[int, str]] = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        413: "request_too_large",
        429: "rate_limit_error",
        529: "overloaded_error",
    }

    def answer(self, reply: Text | ToolCall, request: Json) -> Json:
        if isinstance(reply, Text):
            block: Json = {"type": "text", "text": reply.content}
            stop = "max_tokens" if reply.truncated else "end_turn"
            model = reply.model or request_model(request)
        else:
            block = {"type": "tool_use", "id": "toolu_1", "name": self.tool_name(reply, request)}
            block["input"] = reply.arguments
            stop, model = "tool_use", request_model(request)
        return self.message(block, stop, reply.usage or TokenUsage(), model)

    def message(self, block: Json, stop_reason: str, usage: TokenUsage, model: str) -> Json:
        return {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [block],
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {
                "input_tokens": usage.input,
                "output_tokens": usage.output,
                "cache_creation_input_tokens": usage.cache_write,
                "cache_read_input_tokens": usage.cache_read,
            },
        }

    def tool_name(self, reply: ToolCall, request: Json) -> str:
        offered = [tool.get("name", "") for tool in request.get("tools") or []]
        choice = request.get("tool_choice") or {}
        forced = choice.get("name") if choice.get("type") == "tool" else None
        return pick_tool_name(reply, offered, forced)

    def error(self, status: int, message: str) -> Json:
        default = "api_error" if status >= 500 else "invalid_request_error"
        kind = self.ERROR_TYPES.get(status, default)
        return {"type": "error", "error": {"type": kind, "message": message}}


class OpenAIWire:
    """OpenAI Chat Completions: POST /v1/chat/completions."""

    name: ClassVar[str] = "openai"
    ERROR_CODES: ClassVar[dict[int, tuple[str, str | None]]] = {
        401: ("invalid_request_error", "invalid_api_key"),
        404: ("invalid_request_error", "model_not_found"),
        429: ("requests", "rate_limit_exceeded"),
    }

    def answer(self, reply: Text | ToolCall, request: Json) -> Json:
        if isinstance(reply, Text):
            message: Json = {"role": "assistant", "content": reply.content}
            finish = "length" if reply.truncated else "stop"
            model = reply.model or request_model(request)
        else:
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [self.call(reply, request)],
            }
            finish, model = "tool_calls", request_model(request)
        choice = {"index": 0, "finish_reason": finish, "message": message, "logprobs": None}
        return self.completion(choice, reply.usage or TokenUsage(), model)

    def completion(self, choice: Json, usage: TokenUsage, model: str) -> Json:
        prompt = usage.input + usage.cache_read  # OpenAI's prompt_tokens include the cached ones
        return {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": model,
            "choices": [choice],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": usage.output,
                "total_tokens": prompt + usage.output,
                "prompt_tokens_details": {"cached_tokens": usage.cache_read},
            },
        }

    def call(self, reply: ToolCall, request: Json) -> Json:
        name = self.tool_name(reply, request)
        function = {"name": name, "arguments": json.dumps(reply.arguments)}
        return {"id": "call_1", "type": "function", "function": function}

    def tool_name(self, reply: ToolCall, request: Json) -> str:
        tools = request.get("tools") or []
        offered = [tool.get("function", {}).get("name", "") for tool in tools]
        choice = request.get("tool_choice")
        forced = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
        return pick_tool_name(reply, offered, forced)

    def error(self, status: int, message: str) -> Json:
        default = "server_error" if status >= 500 else "invalid_request_error"
        kind, code = self.ERROR_CODES.get(status, (default, None))
        return {"error": {"message": message, "type": kind, "code": code}}


ENDPOINTS: dict[str, Wire] = {
    "/v1/messages": AnthropicWire(),
    "/v1/chat/completions": OpenAIWire(),
}
