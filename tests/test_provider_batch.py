"""--provider-batch: the jobs' requests go as one Anthropic Message Batch or OpenAI Batch,
through the real SDKs and the fake server's batch endpoints; submit, poll, collect, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tailor.batch import Batch, Event, RunManifest, load_manifest, plan
from tailor.errors import UserError
from tailor.llm.client import LLMClient
from tailor.llm.config import LLMSettings
from tailor.llm.pricing import cost_usd
from tests.conftest import EXAMPLES, client_for, model_reading
from tests.fake_llm import Error, FakeLLM, Text, TokenUsage

CASEY = str(EXAMPLES / "casey-morgan.md")
POSTING = str(EXAMPLES / "postings" / "startup-inference.md")
TARGETS = ["startup", "frontier-lab", "production-ml"]
USAGE = TokenUsage(input=2000, output=300)


def critique(score: int) -> Text:
    answer = {"score": score, "summary": "Fine.", "findings": [], "strengths": []}
    return Text(json.dumps(answer), usage=USAGE)


def priced_client(fake: FakeLLM, provider: str) -> LLMClient:
    """A client for a model with a known price, so that the batch discount shows."""
    model = "claude-sonnet-5-5" if provider == "anthropic" else "gpt-5.4-mini"
    base = fake.url if provider == "anthropic" else fake.openai_base_url
    return LLMClient(
        LLMSettings(provider=provider, model=model, api_key="sk-test", base_url=base, cache=False)
    )


def paths(fake: FakeLLM) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.requests]


def model_scores(folder: Path, manifest: RunManifest) -> list[int]:
    """The model's score of each job's critique, as its JSON file keeps it (the record's
    score is the rubric's, the same for every answer)."""
    return sorted(
        json.loads((folder / record.files[0]).read_text())["model_score"]
        for record in manifest.jobs
    )


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_one_batch_answers_every_job_at_half_price(
    provider: str, fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(critique(71), critique(58), critique(80))
    with priced_client(fake_llm, provider) as client:
        batch = Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0)
        manifest = batch.run(plan([CASEY], TARGETS))
    assert manifest.counts() == {"pending": 0, "done": 3, "failed": 0}
    assert model_scores(tmp_path, manifest) == [58, 71, 80]
    sent = paths(fake_llm)
    single = "/v1/messages" if provider == "anthropic" else "/v1/chat/completions"
    assert f"POST {single}" not in sent  # nothing went one by one
    created = "POST /v1/messages/batches" if provider == "anthropic" else "POST /v1/batches"
    assert sent.count(created) == 1
    full = cost_usd(
        provider, client.settings.model, input_tokens=USAGE.input, output_tokens=USAGE.output
    )
    assert full is not None
    for record in manifest.jobs:
        assert record.cost_usd == pytest.approx(full / 2)
    assert load_manifest(tmp_path).provider_batch is None  # collected


def test_a_posting_is_read_in_a_first_batch_and_the_critiques_go_in_a_second(
    fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(Text(model_reading(POSTING)), critique(70), critique(60))
    with client_for(fake_llm, "openai") as client:
        batch = Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0)
        manifest = batch.run(plan([CASEY], ["startup", "frontier-lab"], [POSTING]))
    assert manifest.counts()["done"] == 2
    assert paths(fake_llm).count("POST /v1/batches") == 2
    saved = json.loads((tmp_path / manifest.jobs[0].files[0]).read_text())
    assert saved["coverage"]["posting"] == "Founding ML Inference Engineer at Wrenfield"


def test_a_request_that_failed_in_the_batch_is_asked_again(
    fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(critique(70), Error(400, message="bad request"), critique(66))
    with client_for(fake_llm, "anthropic") as client:
        batch = Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0)
        manifest = batch.run(plan([CASEY], ["startup", "frontier-lab"]))
    assert manifest.counts()["done"] == 2
    assert model_scores(tmp_path, manifest) == [66, 70]
    assert paths(fake_llm).count("POST /v1/messages/batches") == 2  # the failed one again


def test_an_interrupted_batch_is_collected_on_resume_not_sent_again(
    fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(critique(70), critique(60))
    jobs = plan([CASEY], ["startup", "frontier-lab"])

    def stop_after_sending(note: str) -> None:
        if note.startswith("sent"):
            raise KeyboardInterrupt

    with client_for(fake_llm, "anthropic") as client:
        with pytest.raises(KeyboardInterrupt):
            Batch(
                tmp_path, client=client, provider_batch=True, poll_seconds=0,
                on_note=stop_after_sending,
            ).run(jobs)  # fmt: skip
        stopped = load_manifest(tmp_path)
        assert stopped.provider_batch is not None and stopped.counts()["pending"] == 2
        manifest = Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0).run(jobs)
    assert manifest.counts()["done"] == 2
    assert paths(fake_llm).count("POST /v1/messages/batches") == 1


def test_polling_waits_between_status_checks(fake_llm: FakeLLM, tmp_path: Path) -> None:
    fake_llm.batches.polls_before_done = 3
    fake_llm.reply(critique(70))
    slept: list[float] = []
    notes: list[str] = []
    with client_for(fake_llm, "openai") as client:
        batch = Batch(
            tmp_path, client=client, provider_batch=True, poll_seconds=5, on_note=notes.append
        )
        batch._sleep = slept.append  # type: ignore[assignment]
        batch.run(plan([CASEY], ["startup"]))
    assert slept == [5, 5, 5]
    assert any("0 of 1 answered" in note for note in notes)


def test_a_local_server_has_no_batch_api(fake_llm: FakeLLM, tmp_path: Path) -> None:
    with (
        client_for(fake_llm, "openai-compatible") as client,
        pytest.raises(UserError, match="anthropic or openai"),
    ):
        Batch(tmp_path, client=client, provider_batch=True)
    with pytest.raises(UserError, match="anthropic or openai"):
        Batch(tmp_path, provider_batch=True)  # offline


def test_the_cli_runs_a_provider_batch(
    run_tailor: object, fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(critique(70), critique(60))
    result = run_tailor(  # type: ignore[operator]
        "batch", CASEY, "-t", "startup", "-t", "lab", "-o", str(tmp_path / "out"),
        "--provider-batch", "--poll", "0", "-p", "anthropic", "--base-url", fake_llm.url,
        env={"ANTHROPIC_API_KEY": "sk-test"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "sent 2 requests as anthropic batch msgbatch_" in result.stderr
    assert "2 done, 0 failed" in result.stdout


def test_answers_collected_before_a_stop_are_used_on_resume(
    fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(critique(70), critique(60))
    jobs = plan([CASEY], ["startup", "frontier-lab"])
    starts: list[str] = []

    def stop_once_answers_are_in(event: Event) -> None:
        if event.kind == "start":
            starts.append(event.record.id)
            if len(starts) == 3:  # the first job, run again with its answer
                raise KeyboardInterrupt

    with client_for(fake_llm, "anthropic") as client, pytest.raises(KeyboardInterrupt):
        Batch(
            tmp_path, client=client, provider_batch=True, poll_seconds=0,
            on_event=stop_once_answers_are_in,
        ).run(jobs)  # fmt: skip
    stopped = load_manifest(tmp_path)
    assert stopped.provider_batch is None and stopped.counts()["pending"] == 2
    stored = tmp_path / ".answers"
    assert len(list(stored.glob("*.json"))) == 2
    assert stored.stat().st_mode & 0o777 == 0o700
    with client_for(fake_llm, "anthropic") as client:  # a new process: nothing in memory
        manifest = Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0).run(jobs)
    assert manifest.counts()["done"] == 2
    assert paths(fake_llm).count("POST /v1/messages/batches") == 1  # paid for once
    assert "POST /v1/messages" not in paths(fake_llm)
    assert not stored.exists()  # every answer used


def test_identical_requests_share_one_answer(fake_llm: FakeLLM, tmp_path: Path) -> None:
    copies = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        copies.append(str(folder / "cv.md"))
        Path(copies[-1]).write_text(Path(CASEY).read_text(encoding="utf-8"), encoding="utf-8")
    fake_llm.reply(critique(70))
    with client_for(fake_llm, "openai") as client:
        batch = Batch(tmp_path / "out", client=client, provider_batch=True, poll_seconds=0)
        manifest = batch.run(plan(copies, ["startup"]))
    assert manifest.counts()["done"] == 2
    assert paths(fake_llm).count("POST /v1/batches") == 1


def test_a_failed_job_is_not_run_again_in_later_rounds(fake_llm: FakeLLM, tmp_path: Path) -> None:
    fake_llm.reply(critique(70))
    starts: list[str] = []
    with client_for(fake_llm, "anthropic") as client:
        batch = Batch(
            tmp_path, client=client, provider_batch=True, poll_seconds=0,
            on_event=lambda e: starts.append(e.record.job.target or "") if e.kind == "start" else None,
        )  # fmt: skip
        manifest = batch.run(plan([CASEY], ["startup", "no-such-target"]))
    assert sorted(r.state for r in manifest.jobs) == ["done", "failed"]
    assert starts.count("no-such-target") == 1


def test_a_batch_in_flight_resumes_only_with_its_provider(
    fake_llm: FakeLLM, tmp_path: Path
) -> None:
    fake_llm.reply(critique(70))
    jobs = plan([CASEY], ["startup"])

    def stop_after_sending(note: str) -> None:
        if note.startswith("sent"):
            raise KeyboardInterrupt

    with client_for(fake_llm, "anthropic") as client, pytest.raises(KeyboardInterrupt):
        Batch(
            tmp_path, client=client, provider_batch=True, poll_seconds=0, on_note=stop_after_sending
        ).run(jobs)
    with client_for(fake_llm, "openai") as client, pytest.raises(UserError, match="-p anthropic"):
        Batch(tmp_path, client=client, provider_batch=True)


def test_a_batch_the_provider_does_not_know_says_how_to_resume(
    fake_llm: FakeLLM, tmp_path: Path
) -> None:
    from tailor.errors import ProviderError

    fake_llm.reply(critique(70))
    jobs = plan([CASEY], ["startup"])
    with client_for(fake_llm, "anthropic") as client:
        Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0).run(jobs)
    manifest = tmp_path / "manifest.json"
    data = json.loads(manifest.read_text())
    data["jobs"][0]["state"] = "pending"
    data["provider_batch"] = {
        "id": "msgbatch_999", "provider": "anthropic", "submitted": "x", "keys": {"r00001": "k"},
    }  # fmt: skip
    manifest.write_text(json.dumps(data))
    with client_for(fake_llm, "anthropic") as client, pytest.raises(ProviderError) as caught:
        Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0).run(jobs)
    assert "msgbatch_999" in str(caught.value) and "--resume" in str(caught.value)


def test_a_job_that_failed_before_is_tried_again_in_batch_mode(
    fake_llm: FakeLLM, tmp_path: Path
) -> None:
    jobs = plan([CASEY], ["startup"])
    fake_llm.reply(critique(70), critique(71))
    with client_for(fake_llm, "anthropic") as client:
        Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0).run(jobs)
        manifest = tmp_path / "manifest.json"
        data = json.loads(manifest.read_text())
        data["jobs"][0]["state"], data["jobs"][0]["reason"] = "failed", "the provider gave up"
        manifest.write_text(json.dumps(data))  # the same inputs, failed last time
        again = Batch(tmp_path, client=client, provider_batch=True, poll_seconds=0).run(jobs)
    assert again.jobs[0].state == "done" and model_scores(tmp_path, again) == [71]
    assert paths(fake_llm).count("POST /v1/messages/batches") == 2
