"""The providers' batch endpoints, for the fake server: Anthropic's Message Batches and
OpenAI's Files and Batch API, answered from the same scripted replies as single requests.

A batch takes its replies from the queue when it is created, one per request in order. It
reports "in progress" to the first `polls_before_done` status requests, then that it has
ended, with its results: a `Text` or `ToolCall` reply succeeds, an `Error` reply fails that
request alone.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.fake_llm.replies import Error, Reply, Slow, Text, ToolCall
from tests.fake_llm.wire import AnthropicWire, OpenAIWire

ANTHROPIC_BATCHES = re.compile(r"^/v1/messages/batches(?:/([\w-]+))?(/results)?$")
OPENAI_FILES = re.compile(r"^/v1/files(?:/([\w-]+)/content)?$")
OPENAI_BATCHES = re.compile(r"^/v1/batches(?:/([\w-]+))?$")
CREATED = "2026-01-01T00:00:00Z"


@dataclass
class _Batch:
    id: str
    wire: str
    lines: list[str]  # the results, one JSONL line a request
    succeeded: int
    failed: int
    polls: int = 0
    output_file: str | None = None
    error_file: str | None = None


@dataclass
class BatchStore:
    """The batches and files the fake server holds."""

    polls_before_done: int = 1
    batches: dict[str, _Batch] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))  # type: ignore[type-arg]
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handles(self, path: str) -> bool:
        return any(p.match(path) for p in (ANTHROPIC_BATCHES, OPENAI_FILES, OPENAI_BATCHES))

    def serve(
        self, method: str, path: str, body: Any, raw: bytes, headers: dict[str, str],
        next_reply: Any, base_url: str,
    ) -> tuple[int, bytes, str]:  # fmt: skip
        """(status, body, content type) for a batch or file request."""
        with self._lock:
            if match := ANTHROPIC_BATCHES.match(path):
                return self._anthropic(method, match, body, next_reply, base_url)
            if match := OPENAI_FILES.match(path):
                return self._files(method, match, raw, headers)
            if match := OPENAI_BATCHES.match(path):
                return self._openai(method, match, body, next_reply)
        return _json(404, {"error": {"message": f"no {method} {path}"}})

    # -- Anthropic ----------------------------------------------------------------------------

    def _anthropic(
        self, method: str, match: re.Match[str], body: Any, next_reply: Any, base_url: str
    ) -> tuple[int, bytes, str]:
        batch_id, results = match.group(1), match.group(2)
        if method == "POST" and batch_id is None:
            lines, succeeded, failed = [], 0, 0
            for request in body.get("requests", []):
                reply = _unwrap(next_reply())
                if isinstance(reply, (Text, ToolCall)):
                    message = AnthropicWire().answer(reply, request["params"])
                    result: dict[str, Any] = {"type": "succeeded", "message": message}
                    succeeded += 1
                else:
                    error = {"type": "invalid_request_error", "message": _message(reply)}
                    result = {"type": "errored", "error": {"type": "error", "error": error}}
                    failed += 1
                lines.append(json.dumps({"custom_id": request["custom_id"], "result": result}))
            batch = _Batch(f"msgbatch_{next(self._ids)}", "anthropic", lines, succeeded, failed)
            self.batches[batch.id] = batch
            return _json(200, self._anthropic_view(batch, base_url, count=False))
        batch = self.batches.get(batch_id or "")
        if batch is None:
            return _json(
                404,
                {"type": "error", "error": {"type": "not_found_error", "message": "no such batch"}},
            )
        if results:
            return 200, ("\n".join(batch.lines) + "\n").encode(), "application/binary"
        return _json(200, self._anthropic_view(batch, base_url, count=True))

    def _anthropic_view(self, batch: _Batch, base_url: str, *, count: bool) -> dict[str, Any]:
        ended = self._poll(batch) if count else False
        total = batch.succeeded + batch.failed
        return {
            "id": batch.id,
            "type": "message_batch",
            "processing_status": "ended" if ended else "in_progress",
            "request_counts": {
                "processing": 0 if ended else total,
                "succeeded": batch.succeeded if ended else 0,
                "errored": batch.failed if ended else 0,
                "canceled": 0,
                "expired": 0,
            },
            "created_at": CREATED,
            "expires_at": CREATED,
            "ended_at": CREATED if ended else None,
            "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{base_url}/v1/messages/batches/{batch.id}/results" if ended else None,
        }

    # -- OpenAI -------------------------------------------------------------------------------

    def _files(
        self, method: str, match: re.Match[str], raw: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes, str]:
        file_id = match.group(1)
        if method == "GET" and file_id is not None:
            data = self.files.get(file_id)
            if data is None:
                return _json(404, {"error": {"message": "no such file"}})
            return 200, data, "application/octet-stream"
        content = _multipart_file(raw, headers.get("content-type", ""))
        new_id = f"file-{next(self._ids)}"
        self.files[new_id] = content
        return _json(200, {
            "id": new_id, "object": "file", "bytes": len(content), "created_at": 1767225600,
            "filename": "batch.jsonl", "purpose": "batch", "status": "processed",
        })  # fmt: skip

    def _openai(
        self, method: str, match: re.Match[str], body: Any, next_reply: Any
    ) -> tuple[int, bytes, str]:
        batch_id = match.group(1)
        if method == "POST" and batch_id is None:
            requests = [
                json.loads(line)
                for line in self.files[body["input_file_id"]].splitlines()
                if line.strip()
            ]
            out, errors, succeeded, failed = [], [], 0, 0
            for number, request in enumerate(requests):
                reply = _unwrap(next_reply())
                line: dict[str, Any] = {
                    "id": f"batch_req_{number}",
                    "custom_id": request["custom_id"],
                }
                if isinstance(reply, (Text, ToolCall)):
                    completion = OpenAIWire().answer(reply, request["body"])
                    line |= {
                        "response": {
                            "status_code": 200,
                            "request_id": f"req_{number}",
                            "body": completion,
                        },
                        "error": None,
                    }
                    out.append(json.dumps(line))
                    succeeded += 1
                else:
                    status = reply.status if isinstance(reply, Error) else 500
                    line |= {
                        "response": {
                            "status_code": status,
                            "request_id": f"req_{number}",
                            "body": {"error": {"message": _message(reply)}},
                        },
                        "error": None,
                    }
                    errors.append(json.dumps(line))
                    failed += 1
            batch = _Batch(f"batch_{next(self._ids)}", "openai", [], succeeded, failed)
            batch.output_file = self._store("\n".join(out) + "\n") if out else None
            batch.error_file = self._store("\n".join(errors) + "\n") if errors else None
            self.batches[batch.id] = batch
            self.input_file = body["input_file_id"]
            return _json(200, self._openai_view(batch, body["input_file_id"], count=False))
        batch = self.batches.get(batch_id or "")
        if batch is None:
            return _json(404, {"error": {"message": "no such batch"}})
        return _json(200, self._openai_view(batch, "file-input", count=True))

    def _openai_view(self, batch: _Batch, input_file: str, *, count: bool) -> dict[str, Any]:
        ended = self._poll(batch) if count else False
        total = batch.succeeded + batch.failed
        return {
            "id": batch.id, "object": "batch", "endpoint": "/v1/chat/completions",
            "input_file_id": input_file, "completion_window": "24h",
            "status": "completed" if ended else "in_progress", "created_at": 1767225600,
            "output_file_id": batch.output_file if ended else None,
            "error_file_id": batch.error_file if ended else None,
            "request_counts": {
                "total": total,
                "completed": batch.succeeded if ended else 0,
                "failed": batch.failed if ended else 0,
            },
        }  # fmt: skip

    def _store(self, text: str) -> str:
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = text.encode()
        return file_id

    def _poll(self, batch: _Batch) -> bool:
        batch.polls += 1
        return batch.polls > self.polls_before_done


def _unwrap(reply: Reply | None) -> Reply | None:
    return _unwrap(reply.then) if isinstance(reply, Slow) else reply


def _message(reply: Reply | None) -> str:
    if reply is None:
        return "no scripted reply: the fake LLM server's queue is empty"
    return reply.message if isinstance(reply, Error) else f"scripted {type(reply).__name__}"


def _multipart_file(raw: bytes, content_type: str) -> bytes:
    """The uploaded file of a multipart/form-data body."""
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    for part in message.iter_parts():
        if part.get_filename():
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    return b""


def _json(status: int, payload: Any) -> tuple[int, bytes, str]:
    return status, json.dumps(payload).encode(), "application/json"
