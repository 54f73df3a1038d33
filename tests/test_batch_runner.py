"""Batches: many CVs for many targets, concurrent, resumable, nothing lost."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

import tailor
from tailor.batch import Batch, Event, JobSpec, load_manifest, plan, read_jobs_file
from tailor.errors import UserError
from tailor.llm import LLMClient, LLMSettings
from tailor.llm.limits import RateLimiter
from tests.conftest import EXAMPLES, ROOT, client_for, model_reading
from tests.fake_llm import FakeLLM, Slow, Text, TokenUsage

CASEY = str(EXAMPLES / "casey-morgan.md")
JORDAN = str(EXAMPLES / "jordan-reyes.md")
POSTING = str(EXAMPLES / "postings" / "startup-inference.md")
CRITIQUE = json.dumps({"score": 70, "summary": "Fine.", "findings": [], "strengths": []})


def run(
    folder: Path, jobs: list[JobSpec], **options: object
) -> tuple[tailor.RunManifest, list[Event]]:
    events: list[Event] = []
    batch = Batch(folder, on_event=events.append, **options)  # type: ignore[arg-type]
    return batch.run(jobs), events


def test_a_plan_is_every_cv_for_every_target_and_posting() -> None:
    jobs = plan([CASEY, JORDAN], ["startup", "lab"], [POSTING], ["critique", "rewrite"])
    assert len(jobs) == 2 * 2 * 1 * 2
    assert {(Path(j.cv).name, j.target, j.task) for j in jobs} >= {
        ("casey-morgan.md", "startup", "critique"),
        ("jordan-reyes.md", "frontier-lab", "rewrite"),  # the alias becomes the id
    }
    assert all(j.jd == str(Path(POSTING).resolve()) for j in jobs)
    assert all(Path(j.cv).is_absolute() for j in jobs)  # resumable from any folder
    assert [j.target for j in plan([CASEY], [], [POSTING])] == [None]  # the posting alone
    with pytest.raises(UserError, match="--target, --jd"):
        plan([CASEY], [])


def test_every_result_is_written_and_recorded(tmp_path: Path) -> None:
    manifest, events = run(
        tmp_path, plan([CASEY, JORDAN], ["startup"], tasks=["critique", "rewrite"])
    )
    assert manifest.counts() == {"pending": 0, "done": 4, "failed": 0}
    for record in manifest.jobs:
        assert record.files and all((tmp_path / f).is_file() for f in record.files)
    critique = next(r for r in manifest.jobs if r.job.task == "critique")
    saved = tailor.Critique.model_validate_json((tmp_path / critique.files[0]).read_text())
    assert (
        saved.score
        == critique.score
        == tailor.critique(tailor.load_cv(critique.job.cv), "startup").score
    )
    rewrite = next(r for r in manifest.jobs if r.job.task == "rewrite")
    cv_file = next(f for f in rewrite.files if f.endswith(".cv.md"))
    assert tailor.load_cv(tmp_path / cv_file).basics.name  # a CV that reads back
    on_disk = load_manifest(tmp_path)
    assert on_disk.jobs == manifest.jobs
    assert sorted(e.kind for e in events) == ["done"] * 4 + ["start"] * 4


def test_one_failing_job_leaves_the_others_done(tmp_path: Path) -> None:
    jobs = [
        JobSpec(cv=CASEY, target="startup"),
        JobSpec(cv=str(tmp_path / "missing.md"), target="startup"),
        JobSpec(cv=JORDAN, target="no-such-target"),
        JobSpec(cv=JORDAN, target="lab"),
    ]
    manifest, _ = run(tmp_path / "out", jobs)
    states = {(Path(r.job.cv).name, r.job.target): (r.state, r.reason) for r in manifest.jobs}
    assert states[("casey-morgan.md", "startup")] == ("done", None)
    assert states[("jordan-reyes.md", "lab")] == ("done", None)
    assert states[("missing.md", "startup")][0] == "failed"
    assert "no such file" in (states[("missing.md", "startup")][1] or "")
    assert "unknown target 'no-such-target'" in (
        states[("jordan-reyes.md", "no-such-target")][1] or ""
    )


def test_a_rerun_skips_what_is_done_and_redoes_what_changed(tmp_path: Path) -> None:
    cv = tmp_path / "cv.md"
    shutil.copy(CASEY, cv)
    jobs = plan([str(cv), JORDAN], ["startup", "lab"])
    first, _ = run(tmp_path / "out", jobs)
    assert first.counts()["done"] == 4
    _, events = run(tmp_path / "out", jobs)
    assert [e.kind for e in events] == ["skipped"] * 4
    cv.write_text(cv.read_text(encoding="utf-8") + "\n## Interests\n\n- Chess\n", encoding="utf-8")
    third, events = run(tmp_path / "out", jobs)
    redone = sorted(Path(e.record.job.cv).name for e in events if e.kind == "done")
    assert redone == ["cv.md", "cv.md"]  # only the changed CV's jobs
    assert third.counts()["done"] == 4


def test_an_interrupted_run_resumes_without_redoing_finished_jobs(tmp_path: Path) -> None:
    jobs = plan([CASEY, JORDAN], ["startup", "lab", "production-ml"])
    finished: list[str] = []

    def stop_after_two(event: Event) -> None:
        if event.kind == "done":
            finished.append(event.record.id)
            if len(finished) == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Batch(tmp_path, concurrency=1, on_event=stop_after_two).run(jobs)
    stopped = load_manifest(tmp_path)
    done = {r.id for r in stopped.jobs if r.state == "done"}
    # the jobs queued are cancelled; one already running may still finish and be recorded
    assert set(finished) <= done and len(done) <= 3
    assert stopped.counts()["pending"] == 6 - len(done)
    manifest, events = run(tmp_path, jobs)
    assert {e.record.id for e in events if e.kind == "skipped"} == done
    assert len([e for e in events if e.kind == "done"]) == 6 - len(done)
    assert manifest.counts()["done"] == 6


def test_jobs_come_from_a_yaml_or_csv_file(tmp_path: Path) -> None:
    shutil.copy(CASEY, tmp_path / "a.md")
    (tmp_path / "jobs.csv").write_text("cv,target,jd,task\na.md,startup,,rewrite\na.md,lab,,\n")
    jobs = read_jobs_file(tmp_path / "jobs.csv")
    assert [(Path(j.cv).name, j.target, j.task) for j in jobs] == [
        ("a.md", "startup", "rewrite"),
        ("a.md", "frontier-lab", "critique"),
    ]
    assert Path(jobs[0].cv).parent == tmp_path  # relative to the jobs file
    (tmp_path / "jobs.yaml").write_text(f"- cv: a.md\n  jd: {POSTING}\n")
    [job] = read_jobs_file(tmp_path / "jobs.yaml")
    assert job.jd == str(Path(POSTING).resolve()) and job.target is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("cv,target\n", "a list of rows"),
        ("- cv: a.md\n", "names neither a target nor a jd"),
        ("- cv: a.md\n  target: lab\n  task: summarise\n", "row 1: task 'summarise'"),
        ("- cv: a.md\n  target: 123\n", "target must be text"),
        ("- cv: a.md\n  targets: lab\n", "unknown column 'targets'"),
        ("- target: lab\n", "row 1 has no cv"),
        ("- just a string\n", "row 1 is not a mapping"),
        (": [", "not a valid jobs file"),
    ],
)
def test_a_bad_jobs_file_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / ("jobs.csv" if content.startswith("cv,") else "jobs.yaml")
    path.write_text(content)
    with pytest.raises(UserError, match=message):
        read_jobs_file(path)


def test_a_folder_that_is_not_a_batch_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"something": "else"}')
    with pytest.raises(UserError, match="not a tailor batch manifest"):
        Batch(tmp_path)
    with pytest.raises(UserError, match="no batch to resume"):
        load_manifest(tmp_path / "nothing")


# -- with a provider, through the fake LLM server ----------------------------------------------


def test_jobs_overlap_their_llm_calls(tmp_path: Path, fake_llm: FakeLLM) -> None:
    fake_llm.reply(*[Slow(0.4, Text(CRITIQUE)) for _ in range(3)])
    jobs = plan([CASEY], ["startup", "lab", "production-ml"])
    with client_for(fake_llm, "anthropic") as client:
        manifest, _ = run(tmp_path, jobs, client=client, concurrency=3, warm_cache=False)
    assert manifest.counts()["done"] == 3
    assert fake_llm.most_at_once == 3  # all three were in flight together


def test_a_cvs_first_job_warms_the_prompt_cache_for_its_others(tmp_path: Path) -> None:
    with FakeLLM(prompt_cache=True) as fake:
        fake.reply(*[Slow(0.2, Text(CRITIQUE)) for _ in range(6)])
        jobs = plan([CASEY, JORDAN], ["startup", "lab", "production-ml"])
        with client_for(fake, "anthropic") as client:
            # 2 first jobs, then 4: two rounds of 4, as all 6 at once would take
            manifest, events = run(tmp_path, jobs, client=client, concurrency=4)
    by_cv: dict[str, list[int]] = {}
    for record in manifest.jobs:
        by_cv.setdefault(record.job.cv, []).append(record.cache_read_tokens)
    for reads in by_cv.values():
        # the first job wrote the instructions and the CV to the cache; the other two read it
        assert sorted(reads)[0] == 0 and all(read > 1000 for read in sorted(reads)[1:])
    assert sum(r.cache_write_tokens > 0 for r in manifest.jobs) == 2
    starts = [e.record.job.cv for e in events if e.kind == "start"]
    assert set(starts[:2]) == {CASEY, JORDAN}  # both CVs' first jobs go first, together
    assert 3 <= fake.most_at_once <= 4  # then each CV's other two: never all six at once


def test_a_batch_that_fits_in_one_round_runs_at_once_unless_told_to_warm(tmp_path: Path) -> None:
    jobs = plan([CASEY], ["startup", "lab", "production-ml"])
    for warm, most, reads in ((None, 3, 0), (True, 2, 2)):
        with FakeLLM(prompt_cache=True) as fake:
            fake.reply(*[Slow(0.2, Text(CRITIQUE)) for _ in range(3)])
            with client_for(fake, "anthropic") as client:
                manifest, _ = run(
                    tmp_path / str(warm), jobs, client=client, concurrency=4, warm_cache=warm
                )
        assert fake.most_at_once == most
        assert sum(record.cache_read_tokens > 0 for record in manifest.jobs) == reads


def test_one_cv_for_many_targets_is_not_held_back_by_warming(tmp_path: Path) -> None:
    # 1 first job, then 5 others: three rounds of 4, where all 6 at once take two
    startup = (ROOT / "company_profiles" / "startup.yaml").read_text(encoding="utf-8")
    targets = []
    for number in range(6):
        profile = tmp_path / f"employer-{number}.yaml"
        profile.write_text(startup.replace("id: startup", f"id: employer-{number}"), "utf-8")
        targets.append(str(profile))
    jobs = plan([CASEY], targets)
    with FakeLLM(prompt_cache=True) as fake:
        fake.reply(*[Slow(0.2, Text(CRITIQUE)) for _ in range(len(jobs))])
        with client_for(fake, "anthropic") as client:
            manifest, _ = run(tmp_path / "out", jobs, client=client, concurrency=4)
    assert len(manifest.jobs) == len(jobs) == 6
    assert fake.most_at_once == 4
    # the first four went together, all missing the cache; the last two read it (warming
    # first would have had five of six read it, one round later)
    assert sum(record.cache_read_tokens > 0 for record in manifest.jobs) == 2


def test_a_concurrency_of_one_sends_one_request_at_a_time(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(*[Slow(0.1, Text(CRITIQUE)) for _ in range(3)])
    with client_for(fake_llm, "openai") as client:
        run(
            tmp_path,
            plan([CASEY], ["startup", "lab", "production-ml"]),
            client=client,
            concurrency=1,
        )
    assert fake_llm.most_at_once == 1


def test_a_provider_error_fails_its_job_only(tmp_path: Path, fake_llm: FakeLLM) -> None:
    from tests.fake_llm import Error

    fake_llm.reply(Text(CRITIQUE), *[Error(400, message="bad request")] * 1)
    with client_for(fake_llm, "openai") as client:
        manifest, _ = run(tmp_path, plan([CASEY], ["startup", "lab"]), client=client, concurrency=1)
    assert sorted(r.state for r in manifest.jobs) == ["done", "failed"]
    failed = next(r for r in manifest.jobs if r.state == "failed")
    assert "400" in (failed.reason or "") and "sk-test" not in (failed.reason or "")


def test_a_failed_job_records_what_its_answers_cost(tmp_path: Path, fake_llm: FakeLLM) -> None:
    paid = TokenUsage(input=300, output=70)
    fake_llm.reply(Text(CRITIQUE), *[Text("not json", usage=paid)] * 3)
    priced = LLMSettings(
        provider="openai",
        model="gpt-4.1-mini",
        api_key="sk-test",
        base_url=fake_llm.openai_base_url,
        cache=False,
    )
    with LLMClient(priced) as client:
        manifest, _ = run(tmp_path, plan([CASEY], ["startup", "lab"]), client=client, concurrency=1)
    failed = next(r for r in manifest.jobs if r.state == "failed")
    assert "gave no valid" in (failed.reason or "")
    assert (failed.input_tokens, failed.output_tokens) == (900, 210)
    assert failed.cost_usd is not None and failed.cost_usd > 0
    assert load_manifest(tmp_path).jobs == manifest.jobs  # on record for a resume, too


def test_a_posting_the_model_could_not_read_is_read_by_tailor_and_billed_to_one_job(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    bad = Text("not json", usage=TokenUsage(input=300, output=70))
    answer = Text(CRITIQUE, usage=TokenUsage(input=200, output=50))
    fake_llm.reply(bad, bad, bad, answer, answer)
    jobs = plan([CASEY], ["startup", "lab"], [POSTING])
    with client_for(fake_llm, "openai") as client:
        manifest, _ = run(tmp_path, jobs, client=client, concurrency=1)
    # tailor's own reading of the posting stands in for the model's, for both jobs
    assert [r.state for r in manifest.jobs] == ["done", "done"]
    assert len(fake_llm.requests) == 5  # read once, then one critique each
    assert sorted(r.output_tokens for r in manifest.jobs) == [50, 50 + 210]


def test_a_job_that_fails_after_its_posting_was_read_is_billed_the_reading(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    reading = Text(model_reading(POSTING), usage=TokenUsage(input=500, output=40))
    bad = Text("not json", usage=TokenUsage(input=300, output=70))
    fake_llm.reply(reading, bad, bad, bad)
    with client_for(fake_llm, "openai") as client:
        manifest, _ = run(tmp_path, plan([CASEY], ["startup"], [POSTING]), client=client)
    (failed,) = manifest.jobs
    assert failed.state == "failed" and "gave no valid" in (failed.reason or "")
    assert (failed.input_tokens, failed.output_tokens) == (500 + 900, 40 + 210)


def test_tokens_cost_and_cache_reads_are_recorded_per_job(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    usage = TokenUsage(input=200, output=50, cache_write=1500, cache_read=0)
    reused = TokenUsage(input=200, output=50, cache_write=0, cache_read=1500)
    fake_llm.reply(Text(CRITIQUE, usage=usage), Text(CRITIQUE, usage=reused))
    with client_for(fake_llm, "anthropic") as client:
        manifest, _ = run(tmp_path, plan([CASEY], ["startup", "lab"]), client=client, concurrency=1)
    records = manifest.jobs
    assert [r.cache_write_tokens for r in records] == [1500, 0]
    assert [r.cache_read_tokens for r in records] == [0, 1500]
    assert all(r.input_tokens == 200 and r.output_tokens == 50 for r in records)
    # the same prefix for both targets: the instructions and the CV, marked for caching
    first, second = (r.body["system"] for r in fake_llm.requests)
    assert first == second


def test_a_rerun_with_a_provider_makes_no_call(tmp_path: Path, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(CRITIQUE), Text(CRITIQUE))
    jobs = plan([CASEY], ["startup", "lab"])
    with client_for(fake_llm, "openai") as client:
        run(tmp_path, jobs, client=client)
        calls = len(fake_llm.requests)
        _, events = run(tmp_path, jobs, client=client)
    assert calls == 2 and len(fake_llm.requests) == 2
    assert [e.kind for e in events] == ["skipped", "skipped"]


def test_the_rate_limit_spaces_requests_out() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = RateLimiter(120, clock=lambda: now[0], sleep=sleep)  # one each half second
    waits = [limiter.wait() for _ in range(4)]
    assert waits == [0.0, 0.5, 1.0, 1.5]
    now[0] += 10  # a quiet spell: the next goes at once
    assert limiter.wait() == 0.0
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_the_rate_limit_holds_across_a_batchs_threads(tmp_path: Path, fake_llm: FakeLLM) -> None:
    fake_llm.reply(*[Text(CRITIQUE) for _ in range(3)])
    with client_for(fake_llm, "openai") as client:
        client.limiter = RateLimiter(600)  # 0.1 s apart
        started = time.perf_counter()
        run(
            tmp_path,
            plan([CASEY], ["startup", "lab", "production-ml"]),
            client=client,
            concurrency=3,
        )
        elapsed = time.perf_counter() - started
    assert len(fake_llm.requests) == 3 and elapsed >= 0.2


def test_a_target_named_twice_is_one_job_and_stdin_is_refused() -> None:
    jobs = plan([CASEY], ["anthropic", "frontier-lab", "Anthropic"])
    assert [j.target for j in jobs] == ["frontier-lab"]
    with pytest.raises(UserError, match="not from stdin"):
        plan([CASEY], [], ["-"])


def test_a_jobs_file_task_both_is_two_jobs_and_a_profile_path_is_relative_to_it(
    tmp_path: Path,
) -> None:
    shutil.copy(CASEY, tmp_path / "a.md")
    profile = tmp_path / "mine.yaml"
    profile.write_text(
        (Path(__file__).resolve().parents[1] / "company_profiles" / "startup.yaml").read_text()
    )
    (tmp_path / "jobs.yaml").write_text("- cv: a.md\n  target: mine.yaml\n  task: both\n")
    jobs = read_jobs_file(tmp_path / "jobs.yaml")
    assert [(j.task, j.target) for j in jobs] == [
        ("critique", str(profile.resolve())),
        ("rewrite", str(profile.resolve())),
    ]
    (tmp_path / "latin.csv").write_bytes("cv,target\ncafé.md,lab\n".encode("latin-1"))
    with pytest.raises(UserError, match="save it as UTF-8"):
        read_jobs_file(tmp_path / "latin.csv")


def test_another_format_redoes_only_the_rewrites(tmp_path: Path) -> None:
    jobs = plan([CASEY], ["startup"], tasks=["critique", "rewrite"])
    run(tmp_path, jobs)
    _, events = run(tmp_path, jobs, output_format=".html")
    kinds = {e.record.job.task: e.kind for e in events if e.kind != "start"}
    assert kinds == {"critique": "skipped", "rewrite": "done"}


def test_a_job_redone_offline_keeps_no_tokens_of_its_llm_run(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(Text(CRITIQUE, usage=TokenUsage(input=900, output=90)))
    jobs = plan([CASEY], ["startup"])
    with client_for(fake_llm, "openai") as client:
        first, _ = run(tmp_path, jobs, client=client)
    assert first.jobs[0].input_tokens == 900
    again, _ = run(tmp_path, jobs)  # offline now: another engine, so the job is redone
    assert again.jobs[0].input_tokens == 0 and again.jobs[0].cost_usd is None


def test_a_models_reading_of_a_posting_is_billed_to_one_job(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    fake_llm.reply(
        Text(model_reading(POSTING), usage=TokenUsage(input=5000, output=700)),
        Text(CRITIQUE, usage=TokenUsage(input=100, output=10)),
        Text(CRITIQUE, usage=TokenUsage(input=100, output=10)),
    )
    with client_for(fake_llm, "anthropic") as client:
        manifest, _ = run(tmp_path, plan([CASEY], ["startup", "lab"], [POSTING]), client=client)
    assert len(fake_llm.requests) == 3  # the posting read once for both jobs
    assert sorted(r.input_tokens for r in manifest.jobs) == [100, 5100]


def test_a_manifest_cannot_send_files_outside_its_folder(tmp_path: Path) -> None:
    Batch(tmp_path / "out").run(plan([CASEY], ["startup"]))
    manifest = tmp_path / "out" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["jobs"][0]["id"] = "../../escaped/startup.critique"
    manifest.write_text(json.dumps(data))
    with pytest.raises(UserError, match="not a tailor batch manifest"):
        Batch(tmp_path / "out")


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("files", "../../etc/hostname", "'..' leads out"),
        ("files", "/etc/hostname", "an absolute path"),
        ("files", "C:\\Windows\\win.ini", "an absolute path"),
        ("files", "casey-morgan/../../x.json", "'..' leads out"),
        ("id", "/tmp/startup.critique", "an absolute path"),
    ],
)
def test_a_tampered_manifest_is_refused_naming_the_entry(
    tmp_path: Path, where: str, value: str, message: str
) -> None:
    Batch(tmp_path).run(plan([CASEY], ["startup"]))
    data = json.loads((tmp_path / "manifest.json").read_text())
    if where == "files":
        data["jobs"][0]["files"][0] = value
    else:
        data["jobs"][0]["id"] = value
    (tmp_path / "manifest.json").write_text(json.dumps(data))
    for read in (load_manifest, Batch):
        with pytest.raises(UserError) as refused:
            read(tmp_path)
        text = str(refused.value)
        assert "manifest.json" in text and repr(value) in text and message in text
        assert "\n" not in text


def test_a_manifest_file_behind_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    Batch(out).run(plan([CASEY], ["startup"]))
    shutil.move(out / "casey-morgan", elsewhere)
    (out / "casey-morgan").symlink_to(elsewhere)  # the job's folder now leads out
    with pytest.raises(
        UserError, match=r"jobs\[0\]\.id 'casey-morgan/startup.critique': a symlink"
    ):
        load_manifest(out)


def test_a_run_is_refused_while_another_holds_the_folder(tmp_path: Path) -> None:
    from filelock import FileLock

    with FileLock(tmp_path / ".tailor.lock"), pytest.raises(UserError) as refused:
        Batch(tmp_path).run(plan([CASEY], ["startup"]))
    assert str(refused.value).startswith(f"another tailor batch is writing to {tmp_path}")
    assert not (tmp_path / "manifest.json").exists()
    manifest, _ = run(tmp_path, plan([CASEY], ["startup"]))  # released: the folder is free
    assert manifest.counts()["done"] == 1
    with FileLock(tmp_path / ".tailor.lock", blocking=False):  # and the run let it go
        pass
    assert [r.id for r in load_manifest(tmp_path).jobs] == ["casey-morgan/startup.critique"]


def test_a_run_keeps_the_jobs_of_a_run_that_ended_since_it_was_set_up(tmp_path: Path) -> None:
    late = Batch(tmp_path)  # reads the folder's manifest: empty
    run(tmp_path, plan([CASEY], ["startup"]))  # another run ends in the meantime
    late.run(plan([JORDAN], ["lab"]))
    ids = [r.id for r in load_manifest(tmp_path).jobs]
    assert ids == ["casey-morgan/startup.critique", "jordan-reyes/frontier-lab.critique"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "casey-morgan.md" in html and "jordan-reyes.md" in html


def test_two_cvs_of_one_name_keep_apart_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "cv.md", tmp_path / "b" / "cv.md"
    for cv, source in ((first, CASEY), (second, JORDAN)):
        cv.parent.mkdir()
        shutil.copy(source, cv)
    out = tmp_path / "out"
    run(out, plan([str(first)], ["startup"]), prep=True)
    run(out, plan([str(second)], ["startup"]), prep=True)
    run(out, plan([str(first)], ["startup"]), prep=True)  # a rerun keeps its own entry
    records = load_manifest(out).jobs
    assert [(Path(r.job.cv).parent.name, r.id) for r in records] == [
        ("a", "cv/startup.critique"),
        ("b", "cv/startup.critique-2"),
    ]
    assert records[0].score != records[1].score  # each its own CV's result
    for record in records:
        saved = json.loads((out / record.files[0]).read_text())
        assert saved["score"] == record.score
    from tailor.interview.evidence import prep_offline
    from tailor.interview.report import to_markdown

    for cv, name in ((first, "prep.md"), (second, "prep-2.md")):  # each CV its own prep
        expected = to_markdown(prep_offline(tailor.load_cv(cv)))
        assert (out / "cv" / name).read_text(encoding="utf-8") == expected
    assert (out / "cv" / "prep.md").read_bytes() != (out / "cv" / "prep-2.md").read_bytes()


def test_a_result_that_would_replace_an_input_is_refused_before_any_work(tmp_path: Path) -> None:
    cv = tmp_path / "startup.critique" / "startup.critique.md"  # its critique's own name
    cv.parent.mkdir()
    shutil.copy(CASEY, cv)
    before = cv.read_bytes()
    with pytest.raises(UserError, match=r"it is the input .*startup\.critique\.md; use another"):
        Batch(tmp_path).run(plan([str(cv)], ["startup"]))
    assert cv.read_bytes() == before
    assert not (tmp_path / "manifest.json").exists()


def test_a_posting_named_like_the_report_is_not_overwritten(tmp_path: Path) -> None:
    posting = tmp_path / "report.html"
    shutil.copy(POSTING, posting)
    with pytest.raises(UserError, match=r"report\.html: it is the input"):
        Batch(tmp_path).run(plan([CASEY], [], [str(posting)]))
    assert posting.read_text(encoding="utf-8") == Path(POSTING).read_text(encoding="utf-8")
    manifest, _ = run(tmp_path / "out", plan([CASEY], [], [str(posting)]))  # elsewhere: fine
    assert manifest.counts()["done"] == 1


def test_the_folder_holding_the_cvs_is_a_fine_out_dir(tmp_path: Path) -> None:
    cv = tmp_path / "casey-morgan.md"
    shutil.copy(CASEY, cv)
    manifest, _ = run(tmp_path, plan([str(cv)], ["startup"], tasks=["critique", "rewrite"]))
    assert manifest.counts()["done"] == 2
    assert cv.read_bytes() == Path(CASEY).read_bytes()


def test_a_result_folder_that_leads_outside_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "casey-morgan").symlink_to(elsewhere)
    with pytest.raises(UserError, match=r"leads outside .* through a symlink"):
        Batch(out).run(plan([CASEY], ["startup"]))
    assert list(elsewhere.iterdir()) == []


def test_the_money_prompt_caching_saved_is_counted(tmp_path: Path) -> None:
    from tailor.batch import JobRecord, caching_savings
    from tailor.llm.pricing import cost_usd

    record = JobRecord(
        id="cv/startup.critique", job=JobSpec(cv=CASEY, target="startup"), state="done",
        input_tokens=200, output_tokens=50, cache_read_tokens=3000,
    )  # fmt: skip
    model = "claude-sonnet-5-5"
    fresh = cost_usd("anthropic", model, input_tokens=3200, output_tokens=50)
    billed = cost_usd(
        "anthropic", model, input_tokens=200, output_tokens=50, cache_read_tokens=3000
    )
    assert fresh is not None and billed is not None and fresh > billed
    assert caching_savings([record], "anthropic", model) == pytest.approx(fresh - billed)
    assert caching_savings([record], "anthropic", None) is None


def test_a_token_limit_holds_back_the_next_request_by_the_last_ones_size() -> None:
    now = [0.0]
    limiter = RateLimiter(6000, clock=lambda: now[0], sleep=lambda seconds: None)  # 100 a second
    assert limiter.wait(500) == 0.0  # the first goes at once...
    assert limiter.wait(100) == pytest.approx(5.0)  # ...and holds the next 5 s back
    assert limiter.wait(1) == pytest.approx(6.0)


def test_the_token_limit_applies_to_every_request(tmp_path: Path, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(CRITIQUE), Text(CRITIQUE))
    waited: list[float] = []
    with client_for(fake_llm, "openai") as client:
        limiter = RateLimiter(10_000_000)
        original = limiter.wait
        limiter.wait = lambda cost=1.0: waited.append(cost) or original(cost)  # type: ignore[method-assign]
        client.token_limiter = limiter
        run(tmp_path, plan([CASEY], ["startup", "lab"]), client=client, concurrency=1)
    assert len(waited) == 2 and all(cost > 500 for cost in waited)  # the CV alone is more
