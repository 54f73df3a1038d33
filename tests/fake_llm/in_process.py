"""The fake provider in-process, like pydantic-ai's FunctionModel: the real anthropic and openai
SDKs build each request and parse each answer, and an httpx MockTransport hands the request to
the script instead of a socket.

    llm = InProcessLLM()
    llm.reply(Text('{"score": 70}'))
    client = anthropic.Anthropic(
        api_key="k", base_url=llm.url, http_client=anthropic.DefaultHttpxClient(transport=llm.transport)
    )

It answers exactly what the loopback `FakeLLM` answers (script.py), without a thread, a port,
or a TLS context for each SDK client. What needs a real connection (`Slow` to trip a timeout,
`Drop` to cut one, requests at once) stays with the loopback server.
"""

from __future__ import annotations

from functools import cached_property

import httpx2

from tests.fake_llm.replies import Drop, Reply, Slow
from tests.fake_llm.script import ScriptedLLM

# where the SDKs address it: a loopback address (a server of one's own, as the loopback fake
# is) that the transport never connects to
URL = "http://127.0.0.1:9"


class InProcessLLM(ScriptedLLM):
    """A scripted Anthropic/OpenAI provider answered in the caller's thread."""

    @property
    def url(self) -> str:
        """The anthropic SDK's `base_url` (the openai SDK's is `openai_base_url`)."""
        return URL

    @cached_property
    def transport(self) -> httpx2.MockTransport:
        """The SDK clients' transport to this fake, sync and async alike."""
        return httpx2.MockTransport(self._handle)

    def reply(self, *replies: Reply) -> None:
        for reply in replies:
            if isinstance(reply, Slow | Drop):
                raise TypeError(f"{reply!r} needs a real connection: use the loopback FakeLLM")
        super().reply(*replies)

    def wait_unless_closed(self, seconds: float) -> bool:
        raise AssertionError("unreachable: reply() refuses Slow")  # pragma: no cover

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        headers = {name.lower(): value for name, value in request.headers.items()}
        target = request.url.raw_path.decode("ascii")
        answer = self.respond(request.method, target, headers, request.read())
        assert answer is not None, "only Drop and Slow close without an answer"
        return httpx2.Response(answer.status, headers=answer.headers, content=answer.body)
