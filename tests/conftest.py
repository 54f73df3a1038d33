"""Shared fixtures: paths to the bundled examples and test CVs, and a CLI runner."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

import tailor
from tailor.llm import LLMClient, LLMSettings
from tailor.llm.anthropic import AnthropicProvider
from tailor.llm.base import Provider
from tailor.llm.openai import OpenAIProvider
from tests import scripted
from tests.fake_llm import FakeLLM, InProcessLLM, ScriptedLLM

# CI explores the same examples on every run, so a red build is reproducible; a developer's
# runs keep exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CVS = Path(__file__).resolve().parent / "data" / "cvs"
# every CV the project ships or tests with, in every format
ALL_CVS = sorted(
    path
    for path in [*EXAMPLES.glob("*.*"), *CVS.glob("*.*")]
    if path.suffix != ".py" and path.name != "README.md"
)
# the labelled CVs of the evaluation set, and the real CVs of the fidelity corpus (their
# truth files, sources and notes aside)
EVAL_CVS = sorted((ROOT / "evals" / "cvs").glob("*.*"))
REAL = Path(__file__).resolve().parent / "data" / "real"
REAL_CVS = sorted(
    path
    for path in REAL.glob("*/*.*")
    if path.suffix in (".md", ".txt", ".json", ".yaml", ".pdf", ".docx")
    and not path.name.endswith(".truth.yaml")
    and path.name not in ("SOURCES.md", "README.md")
)
# every CV in the repository
EVERY_CV = [*ALL_CVS, *EVAL_CVS, *REAL_CVS]
# the ones written as text (Markdown, plain text, JSON, YAML): quick to read back
TEXT_CVS = [
    EXAMPLES / "jordan-reyes.md",
    EXAMPLES / "casey-morgan.md",
    EXAMPLES / "jordan-reyes.json",
    EXAMPLES / "jordan-reyes.yaml",
    *sorted(CVS.glob("*.md")),
    *sorted(CVS.glob("*.txt")),
    *sorted(CVS.glob("*.json")),
]


def model_reading(posting_path: str | Path) -> str:
    """A model's answer reading the posting exactly as tailor's offline reading does."""
    return scripted.reading_answer(tailor.load_posting(posting_path))


def client_for(server: ScriptedLLM, provider: str = "openai-compatible") -> LLMClient:
    """tailor's LLM client for `provider`, pointed at the fake (the loopback server or the
    in-process one), without a cache."""
    base = server.url if provider == "anthropic" else server.openai_base_url
    settings = LLMSettings(
        provider=provider, model="test-model", api_key="sk-test", base_url=base, cache=False
    )
    return LLMClient(settings, provider=provider_for(settings, server))


def provider_for(settings: LLMSettings, server: ScriptedLLM) -> Provider:
    """The provider module for `settings`, its SDK's requests carried to `server`."""
    if settings.provider == "anthropic":
        return AnthropicProvider(settings, transport=server.transport)
    compatible = settings.provider == "openai-compatible"
    return OpenAIProvider(settings, compatible=compatible, transport=server.transport)


def cv_from_markdown(text: str) -> tailor.CV:
    """Parse a Markdown CV written inline in a test."""
    return tailor.read_cv(text.encode(), name="cv.md")


def offline_environment() -> dict[str, str]:
    """This process's environment without API keys or tailor settings: a developer's key
    must never turn a test into a paid call, and every test starts from the defaults."""
    removed = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL")
    return {
        name: value
        for name, value in os.environ.items()
        if name not in removed and not name.startswith("TAILOR_")
    }


@pytest.fixture(autouse=True)
def _private_servers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Each test starts knowing nothing of any server (which output mode it takes, which models
    it lists) and keeps what it learns in a cache folder of its own, never the user's: the fake
    server's ports are reused from one test to the next."""
    from tailor.llm import modes
    from tailor.llm.openai import forget_servers

    monkeypatch.setenv("TAILOR_CACHE_DIR", str(tmp_path / "user-cache"))
    modes.forget()
    forget_servers()
    yield
    modes.forget()
    forget_servers()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """The response cache the CLI under test uses (TAILOR_CACHE_DIR)."""
    return tmp_path / "cache"


def _isolated_environment(tmp_path: Path, cache_dir: Path) -> dict[str, str | None]:
    """The variables a CLI run changes (None: removed): no keys nor TAILOR_* settings of the
    developer's, and a cache folder and config file of the test's own."""
    removed = set(os.environ) - set(offline_environment())
    return {
        **dict.fromkeys(removed),
        "TAILOR_CACHE_DIR": str(cache_dir),
        "TAILOR_CONFIG": str(tmp_path / "config.toml"),
    }


@contextlib.contextmanager
def _as_a_new_process() -> Iterator[None]:
    """What a CLI run in this process would otherwise inherit from the tests or an earlier run:
    the servers it has met (a new process reads them from the cache folder), the `tailor`
    logger that -v sets up, and the root logger's handlers (pytest's), without which a warning
    goes to stderr as in a new process. Put back after the run."""
    from tailor.llm import modes
    from tailor.llm.openai import forget_servers

    modes.forget()
    forget_servers()
    root, logger = logging.getLogger(), logging.getLogger("tailor")
    saved = root.handlers[:], logger.handlers[:], logger.level
    root.handlers.clear()
    try:
        yield
    finally:
        root.handlers[:], logger.handlers[:] = saved[0], saved[1]
        logger.setLevel(saved[2])


@pytest.fixture
def run_tailor(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the `tailor` CLI in this process, through its entry point `main()` (its exit codes,
    its one-line errors), with typer's CliRunner standing in for stdin, stdout and stderr:
    none of the developer's keys or TAILOR_* settings, its own cache and config file, the
    repository as working folder. `env` adds variables for one run."""
    from typer.testing import CliRunner

    from tailor.cli import main

    # click names the program after `__main__`'s package (here pytest's): without one it takes
    # argv[0], as the console script is named
    monkeypatch.setattr(sys.modules["__main__"], "__package__", None, raising=False)

    def run(
        *args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environ = _isolated_environment(tmp_path, cache_dir) | (env or {})
        monkeypatch.setattr(sys, "argv", ["tailor", *args])
        code: int | str | None = 0
        with (
            _as_a_new_process(),
            contextlib.chdir(ROOT),
            CliRunner().isolation(input=stdin, env=environ) as (stdout, stderr, _),
        ):
            try:
                main()
            except SystemExit as exit:
                code = exit.code
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = stdout.getvalue().decode(), stderr.getvalue().decode()
        returncode = code if isinstance(code, int) else 0 if code is None else 1
        return subprocess.CompletedProcess(["tailor", *args], returncode, out, err)

    return run


@pytest.fixture
def run_tailor_process(
    tmp_path: Path, cache_dir: Path
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real `tailor` CLI in a subprocess (`python -m tailor`), isolated as `run_tailor`
    is, for what only a process shows: the entry point itself, a real stdin, its exit status."""

    def run(
        *args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environ = offline_environment()
        environ["TAILOR_CACHE_DIR"] = str(cache_dir)
        environ["TAILOR_CONFIG"] = str(tmp_path / "config.toml")
        environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        )
        environ.update(env or {})
        data = stdin.encode() if isinstance(stdin, str) else stdin
        result = subprocess.run(
            [sys.executable, "-m", "tailor", *args],
            input=data,
            capture_output=True,
            cwd=ROOT,
            timeout=60,
            check=False,
            env=environ,
        )
        return subprocess.CompletedProcess(
            result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
        )

    return run


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A started fake Anthropic/OpenAI server on 127.0.0.1, closed after the test."""
    with FakeLLM() as server:
        yield server


@pytest.fixture
def in_process_llm() -> InProcessLLM:
    """The fake provider in-process: the same scripted answers as `fake_llm`, through the
    real SDKs, without a socket (for tests of what tailor does with answers, not the wire)."""
    return InProcessLLM()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadfile` (pyproject's default), with one more rule: a test file runs whole in
    one worker (its cached CVs and renders made once there), and so do all the files that use
    tests/rendered.py's cache, together (each CV of the repository rewritten once, not once a
    worker)."""
    if config.getvalue("dist") != "loadfile":
        return None  # xdist's own scheduler
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "tests/rendered.py" if _uses_rendered(path) else path

    return ByFile(config, log)


@functools.cache
def _uses_rendered(path: str) -> bool:
    return "from tests.rendered import" in (ROOT / path).read_text(encoding="utf-8")
