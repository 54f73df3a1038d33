"""The batch from the library: `tailor.batch.run` and `tailor.batch.resume`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import tailor
import tailor.batch
from tailor.errors import UserError
from tests.conftest import EXAMPLES, client_for
from tests.fake_llm import FakeLLM, Text

CASEY = EXAMPLES / "casey-morgan.md"
JORDAN = EXAMPLES / "jordan-reyes.md"
CRITIQUE = json.dumps({"score": 70, "summary": "Fine.", "findings": [], "strengths": []})


def test_run_writes_every_result_and_the_report(tmp_path: Path) -> None:
    manifest = tailor.batch.run([CASEY, JORDAN], ["startup", "anthropic"], out_dir=tmp_path)
    assert manifest.counts() == {"pending": 0, "done": 4, "failed": 0}
    assert manifest.provider == "offline"
    assert {record.job.target for record in manifest.jobs} == {"startup", "frontier-lab"}
    assert all((tmp_path / name).is_file() for r in manifest.jobs for name in r.files)
    assert (tmp_path / "report.html").is_file()
    saved = json.loads((tmp_path / "manifest.json").read_text())
    assert len(saved["jobs"]) == 4


def test_run_takes_tasks_and_a_format(tmp_path: Path) -> None:
    manifest = tailor.batch.run(
        [CASEY], ["startup"], tasks=("rewrite",), output_format=".html", out_dir=tmp_path
    )
    [record] = manifest.jobs
    assert record.state == "done" and record.files[-1].endswith(".cv.html")
    assert "<html" in (tmp_path / record.files[-1]).read_text().lower()


def test_run_refuses_an_unknown_task(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="unknown task 'summarise'"):
        tailor.batch.run([CASEY], ["startup"], tasks=("summarise",), out_dir=tmp_path)
    assert not (tmp_path / "manifest.json").exists()


def test_resume_reruns_only_what_is_not_done_in_the_batch_s_own_format(tmp_path: Path) -> None:
    cv = tmp_path / "cv.md"
    cv.write_bytes(b"\x00\x01 not a CV")
    out = tmp_path / "out"
    first = tailor.batch.run(
        [cv, CASEY], ["startup"], tasks=("rewrite",), output_format=".json", out_dir=out
    )
    assert first.counts() == {"pending": 0, "done": 1, "failed": 1}
    done = next(r for r in first.jobs if r.state == "done")
    written = (out / done.files[-1]).stat().st_mtime_ns
    shutil.copyfile(JORDAN, cv)  # the user fixes the file that failed

    again = tailor.batch.resume(out)
    assert again.counts() == {"pending": 0, "done": 2, "failed": 0}
    assert (out / done.files[-1]).stat().st_mtime_ns == written  # done already: not redone
    fixed = next(r for r in again.jobs if r.job.cv == str(cv.resolve()))
    assert fixed.files[-1].endswith(".cv.json")  # the format the batch ran with


def test_resume_needs_a_batch_folder(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no batch to resume"):
        tailor.batch.resume(tmp_path)


def test_resume_goes_on_with_the_server_and_model_the_batch_ran_with(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Text("not JSON"), Text("not JSON"), Text("not JSON"))
    with client_for(fake_llm) as client:
        first = tailor.batch.run(
            [CASEY], ["startup"], out_dir=tmp_path, llm=tailor.LLMOptions(client=client)
        )
    assert first.counts()["failed"] == 1  # the model never answered in shape
    assert (first.provider, first.model) == ("openai-compatible", "test-model")

    fake_llm.reply(Text(CRITIQUE))
    asked = len(fake_llm.requests)
    again = tailor.batch.resume(tmp_path, llm=tailor.LLMOptions(provider=None, cache=False))
    assert again.counts() == {"pending": 0, "done": 1, "failed": 0}
    assert len(fake_llm.requests) == asked + 1  # the model was asked again, not tailor alone
    request = fake_llm.requests[-1]
    assert request.path.endswith("/chat/completions") and request.body["model"] == "test-model"


def test_resume_with_the_offline_engine_reruns_without_the_model(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Text("not JSON"), Text("not JSON"), Text("not JSON"))
    with client_for(fake_llm) as client:
        tailor.batch.run(
            [CASEY], ["startup"], out_dir=tmp_path, llm=tailor.LLMOptions(client=client)
        )
    asked = len(fake_llm.requests)
    again = tailor.batch.resume(tmp_path, llm=tailor.LLMOptions())  # offline, said outright
    assert again.counts()["done"] == 1 and again.provider == "offline"
    assert len(fake_llm.requests) == asked
