"""The app with an LLM provider: the real Anthropic SDK against the fake server on 127.0.0.1.
The API answers as the CLI does, the CV goes redacted, the key never reaches an answer, a
rejected rewording reads as the user wrote it, and a failing model falls back."""

from __future__ import annotations

import dataclasses
import json

from tailor.llm.config import resolve
from tailor.serve.jobs import Engine
from tests.conftest import EXAMPLES
from tests.fake_llm import Error, FakeLLM, Text
from tests.serve.conftest import App, upload
from tests.test_cli_llm import KEY, W1_EDITED, W11, W11_REWORDED, rewrite_answer

CASEY = EXAMPLES / "casey-morgan.md"


def _app(server: FakeLLM, monkeypatch) -> App:
    """The app as `tailor serve -p anthropic --base-url FAKE` makes it, with the key set."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    choice = resolve("anthropic", None, server.url, remember_modes=False)
    assert choice.settings is not None
    quick = dataclasses.replace(choice.settings, backoff=0.01)  # retries without the waits
    return App(Engine(dataclasses.replace(choice, settings=quick)))


def test_an_llm_rewrite_answers_what_the_cli_prints(fake_llm, monkeypatch, run_tailor):
    app = _app(fake_llm, monkeypatch)
    fake_llm.reply(Text(rewrite_answer(*W1_EDITED)))
    served = app.post("/api/rewrite", files={"cv": upload(CASEY)}, data={"target": ["startup"]})
    assert served.status_code == 200, served.text
    fake_llm.reply(Text(rewrite_answer(*W1_EDITED)))
    printed = run_tailor(
        "rewrite", str(CASEY), "-t", "startup", "-p", "anthropic", "--base-url", fake_llm.url,
        "--format", "json", env={"ANTHROPIC_API_KEY": KEY},
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    answer, expected = served.json(), json.loads(printed.stdout)
    # the same answer, but for the seconds the model took
    assert answer["usage"].pop("latency_s") > 0 and expected["usage"].pop("latency_s") > 0
    assert answer == expected
    assert answer["provider"] == "anthropic"
    assert any(c["kind"] == "reworded" and c["quote"] == W11 for c in answer["changes"])
    [served_request, printed_request] = fake_llm.requests
    assert served_request.body == printed_request.body  # the same request, redacted the same
    assert "Casey Morgan" not in json.dumps(served_request.body)
    assert KEY not in served.text


def test_rejecting_a_rewording_gives_back_the_users_own_words(fake_llm, monkeypatch):
    app = _app(fake_llm, monkeypatch)
    fake_llm.reply(Text(rewrite_answer(*W1_EDITED)))
    answer = app.post("/api/rewrite", files={"cv": upload(CASEY)}, data={"target": ["startup"]})
    index = next(i for i, c in enumerate(answer.json()["changes"]) if c["kind"] == "reworded")
    fake_llm.reply(Text(rewrite_answer(*W1_EDITED)))  # the same answer again for /api/render
    form = {"target": "startup", "format": "md", "reject": [index]}
    rendered = app.post("/api/render", files={"cv": upload(CASEY)}, data=form)
    assert rendered.status_code == 200, rendered.text
    assert W11 in rendered.text and W11_REWORDED not in rendered.text


def test_a_failing_model_falls_back_to_the_offline_engine_and_says_why(fake_llm, monkeypatch):
    app = _app(fake_llm, monkeypatch)
    fake_llm.reply(*[Error(500, message="overloaded")] * 8)
    answer = app.post("/api/critique", files={"cv": upload(CASEY)}, data={"target": ["startup"]})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["provider"] == "offline"
    assert "offline critique is shown instead" in report["fallback"]


def test_a_refused_key_is_a_502_with_one_line(fake_llm, monkeypatch):
    app = _app(fake_llm, monkeypatch)
    fake_llm.reply(Error(401, message="invalid x-api-key"))
    answer = app.post("/api/critique", files={"cv": upload(CASEY)}, data={"target": ["startup"]})
    assert answer.status_code == 502
    detail = answer.json()["detail"]
    assert "\n" not in detail and KEY not in detail


def test_the_page_names_the_provider_and_model_but_never_the_key(fake_llm, monkeypatch):
    page = _app(fake_llm, monkeypatch).get("/").text
    assert "anthropic claude-" in page
    assert "your name, contacts, address and handles go as placeholders" in page
    assert KEY not in page


def test_the_engine_line_never_shows_what_an_address_hides_a_key_in():
    from tailor.llm.config import LLMSettings
    from tailor.options import engine_line

    settings = LLMSettings(
        provider="openai-compatible",
        model="llama3.1",
        api_key="sk-hidden",
        base_url="https://user:pa55@llm.example.org:8443/v1?api-key=sk-query#frag",
        redact=False,
    )
    line = engine_line(settings, "chosen")
    assert line == (
        "openai-compatible llama3.1 at https://llm.example.org:8443/v1 (chosen); "
        "the CV goes as it is (--redact sends placeholders instead)"
    )
