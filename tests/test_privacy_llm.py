"""Proof that a CV's personal details never reach a cloud provider, the cache or the logs:
the real SDKs and CLI against the fake server, which records every request."""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import tailor
from tailor.llm import LLMClient, LLMSettings
from tests import scripted
from tests.conftest import provider_for
from tests.fake_llm import FakeLLM, InProcessLLM, ScriptedLLM, Text

Run = Callable[..., subprocess.CompletedProcess[str]]
PERSONAL = Path(__file__).resolve().parent / "data" / "private" / "personal.md"
SOURCE = PERSONAL.read_text(encoding="utf-8")
# every personal value planted in the CV, and parts of them that would give it away
PLANTED = [
    "Marguerite",
    "Okonkwo",
    "Lindqvist",
    "marguerite.ol+jobs@example.org",
    "+44 20 7946 0958",
    "7946 0958",
    "Müllerstraße 12",
    "80331",
    "221B Baker Street",
    "Amphitheatre Parkway",
    "margueriteol.example.net",
    "mokonkwo-lq",
    "marguerite-okonkwo-lq",
    "14/03/1990",
    "X12345678",
    "QQ 12 34 56 C",
]
LINK_BULLET = (
    "Published the feature-store client at https://github.com/mokonkwo-lq/featherstore, "
    "used by 4 teams."
)
LATENCY = (
    "Cut p95 scoring latency from 180 ms to 45 ms by serving the ranking model with ONNX "
    "Runtime on Kubernetes."
)
POSTING = Path(__file__).resolve().parents[1] / "examples" / "postings" / "startup-inference.md"


def leaks(text: str) -> list[str]:
    """The planted values found in `text` (any case; JSON-escaped forms too)."""
    folded = text.casefold()
    found = []
    for value in PLANTED:
        forms = {value, json.dumps(value)[1:-1]}
        if any(form.casefold() in folded for form in forms):
            found.append(value)
    return found


def sent(server: ScriptedLLM) -> str:
    """Everything the fake server received: each request's path, headers and body."""
    parts = []
    for request in server.requests:
        parts += [request.path, json.dumps(request.headers), request.query]
        parts.append(json.dumps(request.body, ensure_ascii=False))
        parts.append(json.dumps(request.body))
    return "\n".join(parts)


def client(server: ScriptedLLM, provider: str, redact: bool | None = None) -> LLMClient:
    base = server.url if provider == "anthropic" else server.openai_base_url
    settings = LLMSettings(
        provider=provider, model="test-model", api_key="sk-test", base_url=base, cache=False,
        redact=redact,
    )  # fmt: skip
    return LLMClient(settings, provider=provider_for(settings, server))


def critique_answer() -> str:
    quote = "Published the feature-store client at https://github.com/[HANDLE_1]/featherstore"
    return scripted.critique_answer(
        scripted.finding(
            quote,
            rule="link-results",
            severity="low",
            message="The repository is linked without what it achieved.",
            suggestion="Say how many teams adopted it and what it saved them.",
        ),
        score=71,
        summary="[NAME] ships production ML; the links need results.",
        strengths=[scripted.strength(LATENCY, "Measured latency work")],
    )


def rewrite_answer(first: str) -> str:
    released = (
        "Released the feature-store client "
        "(https://github.com/[HANDLE_1]/featherstore), used by 4 teams."
    )
    return scripted.rewrite_answer(
        ("w1.1", first, "speed first"),
        ("w1.3", released, "shows open source"),
        questions=["How much did [NAME]'s client save the 4 teams?"],
    )


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_a_critique_sends_placeholders_and_shows_the_real_lines(
    in_process_llm: InProcessLLM, provider: str
) -> None:
    in_process_llm.reply(Text(critique_answer()))
    cv = tailor.load_cv(PERSONAL)
    with client(in_process_llm, provider) as llm:
        result = tailor.critique(cv, "startup", llm=tailor.LLMOptions(client=llm))
    assert len(in_process_llm.requests) == 1
    assert leaks(sent(in_process_llm)) == []
    assert "[NAME]" in sent(in_process_llm) and "[HANDLE_1]" in sent(in_process_llm)
    # the answer comes back with the user's own values: quote, line and summary
    finding = next(f for f in result.findings if f.rule == "link-results")
    assert finding.quote is not None and "github.com/mokonkwo-lq/featherstore" in finding.quote
    assert finding.line == SOURCE.splitlines().index(f"- {LINK_BULLET}") + 1
    assert result.summary.startswith("Marguerite Okonkwo-Lindqvist ships")


def test_a_rewrite_and_its_second_request_send_placeholders(in_process_llm: InProcessLLM) -> None:
    invented = LATENCY.replace("45 ms", "4 ms")  # a figure the CV does not state: asked again
    in_process_llm.reply(Text(rewrite_answer(invented)), Text(rewrite_answer(LATENCY)))
    cv = tailor.load_cv(PERSONAL)
    with client(in_process_llm, "openai") as llm:
        tailored = tailor.rewrite(cv, "startup", llm=tailor.LLMOptions(client=llm))
    assert len(in_process_llm.requests) == 2  # the second carries the first answer and the problems
    assert leaks(sent(in_process_llm)) == []
    bullets = [b.text for b in tailored.cv.bullets()]
    assert (
        "Released the feature-store client (https://github.com/mokonkwo-lq/featherstore), "
        "used by 4 teams." in bullets
    )
    assert tailored.questions == [
        "How much did Marguerite Okonkwo-Lindqvist's client save the 4 teams?"
    ]
    assert tailored.unsupported == []
    assert tailored.cv.basics.email == "marguerite.ol+jobs@example.org"


def test_a_server_of_your_own_gets_the_cv_as_it_is_unless_told_to_redact(
    in_process_llm: InProcessLLM,
) -> None:
    cv = tailor.load_cv(PERSONAL)
    in_process_llm.reply(Text(critique_answer()))
    with client(in_process_llm, "openai-compatible") as llm:
        tailor.critique(cv, "startup", llm=tailor.LLMOptions(client=llm))
    assert "Marguerite Okonkwo-Lindqvist" in sent(in_process_llm)
    in_process_llm.reset()
    in_process_llm.reply(Text(critique_answer()))
    with client(in_process_llm, "openai-compatible", redact=True) as llm:
        tailor.critique(cv, "startup", llm=tailor.LLMOptions(client=llm))
    assert leaks(sent(in_process_llm)) == []


def test_no_redact_sends_the_cv_to_a_cloud_provider_as_it_is(in_process_llm: InProcessLLM) -> None:
    in_process_llm.reply(Text(critique_answer()))
    with client(in_process_llm, "anthropic", redact=False) as llm:
        tailor.critique(tailor.load_cv(PERSONAL), "startup", llm=tailor.LLMOptions(client=llm))
    assert "marguerite.ol+jobs@example.org" not in sent(in_process_llm)  # contacts never go
    assert "Marguerite Okonkwo-Lindqvist" in sent(in_process_llm)
    assert "mokonkwo-lq" in sent(in_process_llm)


# -- the CLI: requests, the cache folder and the logs after a full run ---------------------------


def anthropic(server: FakeLLM) -> list[str]:
    return ["-p", "anthropic", "--base-url", server.url]


ENV = {"ANTHROPIC_API_KEY": "sk-ant-test"}
POSTING_ANSWER = scripted.reading_answer(title="Founding ML Engineer", company="Example")


def every_file(folder: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in folder.rglob("*")
        if path.is_file()
    )


def test_a_critique_with_a_posting_leaves_nothing_personal_in_requests_cache_or_logs(
    run_tailor: Run, fake_llm: FakeLLM, cache_dir: Path
) -> None:
    fake_llm.reply(Text(POSTING_ANSWER), Text(critique_answer()))
    result = run_tailor(
        "-v", "critique", str(PERSONAL), "-t", "startup", "--jd", str(POSTING),
        *anthropic(fake_llm), env=ENV,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(fake_llm.requests) == 2  # the posting, read by the model; the critique
    assert leaks(sent(fake_llm)) == []
    assert "go as placeholders" in result.stderr
    assert leaks(result.stderr) == []  # -v logs every call
    cached = list(cache_dir.rglob("*.json"))
    assert len(cached) == 2
    assert leaks(every_file(cache_dir)) == [] and leaks(" ".join(map(str, cached))) == []
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in cached)
    # the report, the output asked for, quotes the user's own line
    assert "github.com/mokonkwo-lq/featherstore" in result.stdout


def test_a_batch_leaves_nothing_personal_in_requests_cache_or_logs(
    run_tailor: Run, fake_llm: FakeLLM, cache_dir: Path, tmp_path: Path
) -> None:
    fake_llm.reply(*[Text(critique_answer())] * 2)
    out = tmp_path / "out"
    result = run_tailor(
        "-v", "batch", str(PERSONAL), "-t", "startup", "-t", "palantir", "-o", str(out),
        *anthropic(fake_llm), env=ENV,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(fake_llm.requests) == 2
    assert leaks(sent(fake_llm)) == []
    assert leaks(result.stderr) == []
    assert leaks(every_file(cache_dir)) == []
    report = (out / "personal" / "startup.critique.md").read_text(encoding="utf-8")
    assert "github.com/mokonkwo-lq/featherstore" in report  # restored in the output


def test_no_store_writes_nothing_but_the_output(
    run_tailor: Run, fake_llm: FakeLLM, cache_dir: Path, tmp_path: Path
) -> None:
    fake_llm.reply(Text(critique_answer()))
    report = tmp_path / "report.md"
    result = run_tailor(
        "critique", str(PERSONAL), "-t", "startup", "-f", "md", "-o", str(report), "--no-store",
        *anthropic(fake_llm), env={**ENV, "TMPDIR": str(tmp_path / "tmp")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert report.is_file() and len(fake_llm.requests) == 1
    assert not cache_dir.exists()
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == [Path("report.md")]


def test_no_store_refuses_a_provider_batch_in_one_line(run_tailor: Run, tmp_path: Path) -> None:
    result = run_tailor(
        "batch", str(PERSONAL), "-t", "startup", "-o", str(tmp_path / "out"), "--no-store",
        "--provider-batch", "-p", "anthropic", env=ENV,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--no-store" in result.stderr


@pytest.mark.parametrize(
    ("provider", "flag", "redacted"),
    [
        ("openai-compatible", None, False),
        ("openai-compatible", "--redact", True),
        ("anthropic", None, True),
        ("anthropic", "--no-redact", False),
    ],
)
def test_the_redact_flags_and_what_stderr_says(
    run_tailor: Run, fake_llm: FakeLLM, provider: str, flag: str | None, redacted: bool
) -> None:
    fake_llm.reply(Text(critique_answer()))
    base = fake_llm.url if provider == "anthropic" else fake_llm.openai_base_url
    result = run_tailor(
        "critique", str(PERSONAL), "-t", "startup", "-p", provider, "--base-url", base,
        *([flag] if flag else []), env=ENV,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (leaks(sent(fake_llm)) == []) is redacted
    said = "go as placeholders" if redacted else "the CV goes as it is"
    assert said in result.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.json", '{"basics": {"name": "Marguerite Okonkwo-Lindqvist", "email": {"at": 1}}}'),
        ("cv.json", '{"basics": {"name": "Marguerite Okonkwo-Lindqvist", '),
        ("cv.yaml", "basics:\n  name: Marguerite Okonkwo-Lindqvist\n  email: [\n"),
    ],
)
def test_an_error_about_a_cv_names_the_place_not_the_personal_values(
    run_tailor: Run, tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run_tailor("critique", str(path), "-t", "startup")
    assert result.returncode == 2
    message = result.stderr.replace(str(path), "")
    assert result.stderr.count("\n") == 1
    assert leaks(message) == [], message


# -- every other way a request is made ----------------------------------------------------------


def test_a_re_ask_after_an_answer_that_did_not_validate_sends_placeholders_too(
    in_process_llm: InProcessLLM,
) -> None:
    in_process_llm.reply(Text('{"score": "not a number"}'), Text(critique_answer()))
    with client(in_process_llm, "anthropic") as llm:
        result = tailor.critique(
            tailor.load_cv(PERSONAL), "startup", llm=tailor.LLMOptions(client=llm)
        )
    assert len(in_process_llm.requests) == 2
    assert leaks(sent(in_process_llm)) == []
    assert result.summary.startswith("Marguerite Okonkwo-Lindqvist")


def test_the_response_cache_keeps_placeholders_and_a_hit_is_revealed(
    in_process_llm: InProcessLLM, tmp_path: Path
) -> None:
    from tailor.llm.cache import ResponseCache

    in_process_llm.reply(Text(critique_answer()))
    settings = LLMSettings(
        provider="openai", model="test-model", api_key="sk-test",
        base_url=in_process_llm.openai_base_url,
    )  # fmt: skip
    cv = tailor.load_cv(PERSONAL)
    provider = provider_for(settings, in_process_llm)
    with LLMClient(settings, provider=provider, cache=ResponseCache(tmp_path / "cache")) as llm:
        first = tailor.critique(cv, "startup", llm=tailor.LLMOptions(client=llm))
        again = tailor.critique(cv, "startup", llm=tailor.LLMOptions(client=llm))
    assert len(in_process_llm.requests) == 1  # the second came from the cache
    assert again.summary == first.summary
    assert again.summary.startswith("Marguerite Okonkwo-Lindqvist")
    stored = every_file(tmp_path / "cache")
    assert "[NAME]" in stored and leaks(stored) == []


def test_a_provider_batch_sends_placeholders_and_keeps_only_them(
    in_process_llm: InProcessLLM, tmp_path: Path
) -> None:
    from tailor.batch import Batch, plan

    in_process_llm.reply(Text(critique_answer()), Text(critique_answer()))
    with client(in_process_llm, "anthropic") as llm:
        batch = Batch(tmp_path / "out", client=llm, provider_batch=True, poll_seconds=0)
        manifest = batch.run(plan([str(PERSONAL)], ["startup", "palantir"]))
    assert manifest.counts()["done"] == 2
    assert any(r.path == "/v1/messages/batches" for r in in_process_llm.requests)
    assert leaks(sent(in_process_llm)) == []
    report = (tmp_path / "out" / "personal" / "startup.critique.md").read_text(encoding="utf-8")
    assert "github.com/mokonkwo-lq/featherstore" in report


def test_a_library_call_with_a_client_refuses_its_own_redact_setting(
    in_process_llm: InProcessLLM,
) -> None:
    from tailor.errors import UserError

    with client(in_process_llm, "anthropic") as llm, pytest.raises(UserError, match="LLMSettings"):
        tailor.critique(
            tailor.load_cv(PERSONAL), "startup", llm=tailor.LLMOptions(client=llm, redact=False)
        )


@pytest.mark.parametrize(
    ("base_url", "redacts"),
    [
        ("http://localhost:11434/v1", False),
        ("http://127.0.0.1:8000/v1", False),
        ("http://192.168.1.20:8000/v1", False),
        ("http://gpu-box.local:8000/v1", False),
        ("https://openrouter.ai/api/v1", True),
        ("https://api.together.xyz/v1", True),
    ],
)
def test_an_openai_compatible_server_elsewhere_gets_placeholders(
    base_url: str, redacts: bool
) -> None:
    settings = LLMSettings(provider="openai-compatible", model="m", base_url=base_url)
    assert settings.redacts is redacts
