"""`tailor serve` as a user starts it: a real server in its own process, on a free port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import EXAMPLES, ROOT, offline_environment
from tests.serve.server import serving


def test_serve_answers_on_loopback_and_leaves_no_file_behind(tmp_path):
    with serving(tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert "docs" in server.said[-1]
        page = httpx.get(server.url, timeout=10)
        assert page.status_code == 200 and "Drop your CV here" in page.text
        cv = (EXAMPLES / "jordan-reyes.pdf").read_bytes()
        # a PDF over the 1 MB a multipart parser keeps in memory: spooled to a temporary file
        padded = cv + b"\n%" + b"0" * 1_500_000 + b"\n"
        answer = httpx.post(
            server.url + "api/critique",
            files={"cv": ("jordan.pdf", padded)},
            data={"target": ["startup"]},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["target"] == "startup"
        folders = list(server.temporary.iterdir())
        assert [folder.name[:13] for folder in folders] == ["tailor-serve-"]
        assert oct(folders[0].stat().st_mode & 0o777) == "0o700"
    assert server.stopped_with == 0
    assert server.said[-1].endswith(
        "tailor: stopped; the uploads and the temporary folder are gone\n"
    )
    assert list(server.temporary.iterdir()) == []  # the temporary folder is gone
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != tmp_path]
    assert written == []  # nothing in HOME, the cache or anywhere else


def test_serve_on_another_host_warns_that_others_can_reach_it(tmp_path):
    with serving(tmp_path, "--host", "0.0.0.0") as server:
        assert httpx.get(server.url, timeout=10).status_code == 200
    said = "".join(server.said)
    assert "tailor: warning: listening on 0.0.0.0: anyone who can reach this machine" in said


def test_serve_on_loopback_says_no_warning(tmp_path):
    with serving(tmp_path) as server:
        pass
    assert "warning" not in "".join(server.said)


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path):
    with serving(tmp_path) as server:
        port = server.url.rstrip("/").rsplit(":", 1)[1]
        taken = subprocess.run(
            [sys.executable, "-m", "tailor", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
            env=offline_environment() | {"PYTHONPATH": str(ROOT / "src")},
            check=False,
        )
    assert taken.returncode == 2
    assert taken.stderr.count("\n") == 1
    assert taken.stderr.startswith(f"tailor: error: cannot listen on 127.0.0.1:{port}: ")


def test_a_bad_profile_for_serve_is_one_line_and_exit_2(run_tailor, tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("id: [unclosed\n")
    result = run_tailor("serve", "--target", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"tailor: error: profile {bad}: not valid YAML")


def test_the_provider_is_named_on_the_page_but_never_its_key(tmp_path):
    env = {"OPENAI_API_KEY": "sk-never-in-the-browser-1234", "TAILOR_PROVIDER": "openai"}
    with serving(tmp_path, env=env) as server:
        page = httpx.get(server.url, timeout=10).text
        listed = httpx.get(server.url + "api/targets", timeout=10).text
        schema = httpx.get(server.url + "openapi.json", timeout=10).text
    assert "openai gpt-" in page
    for text in (page, listed, schema, "".join(server.said)):
        assert "sk-never-in-the-browser" not in text
    assert os.environ.get("OPENAI_API_KEY") != "sk-never-in-the-browser-1234"


def test_sigterm_stops_it_as_ctrl_c_does_and_removes_the_folder(tmp_path):
    with serving(tmp_path) as server:
        assert httpx.get(server.url, timeout=10).status_code == 200
        assert len(list(server.temporary.iterdir())) == 1
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=15)
    assert server.stopped_with == 0
    assert list(server.temporary.iterdir()) == []
    assert "the temporary folder are gone" in "".join(server.said)


def test_stopping_during_a_request_prints_no_traceback(tmp_path):
    from tailor import limits
    from tests.hostile import generate

    heavy = generate.json_resume(limits.CV_ENTRIES - 10, 2, 12)  # 5 s to tailor thrice: past
    # the 3 s the server gives a request to end once stopped
    with serving(tmp_path) as server:
        pending = subprocess.Popen(
            [sys.executable, "-c", (
                "import httpx, sys; httpx.post(sys.argv[1], files={'cv': ('cv.json', "
                "open(sys.argv[2], 'rb').read())}, data={'target': ['startup', 'frontier-lab', 'production-ml']}, timeout=60)"
            ), server.url + "api/rewrite", str(_written(tmp_path / "cv.json", heavy))],
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(1.5)
        server.process.send_signal(signal.SIGINT)
        server.process.wait(timeout=20)
        pending.kill()
        pending.wait()
    said = "".join(server.said)
    assert server.stopped_with == 0
    assert "Traceback" not in said and "Exception in ASGI" not in said
    assert list(server.temporary.iterdir()) == []


def _written(path, data: bytes):
    path.write_bytes(data)
    return path


def test_stopping_while_a_model_is_asked_ends_the_process_and_its_calls(tmp_path, fake_llm):
    """A request cut off by Ctrl+C may be waiting on a model: the process still ends at once,
    and asks the model nothing more."""
    from tests.fake_llm import Error, Slow

    fake_llm.reply(*[Slow(20, Error(500))] * 10)
    args = ["-p", "openai-compatible", "--base-url", fake_llm.openai_base_url]
    with serving(tmp_path, *args) as server:
        pending = subprocess.Popen(
            [sys.executable, "-c", (
                "import httpx, sys; httpx.post(sys.argv[1], files={'cv': ('cv.md', "
                "open(sys.argv[2], 'rb').read())}, data={'target': 'startup'}, timeout=60)"
            ), server.url + "api/critique", str(EXAMPLES / "casey-morgan.md")],
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while not fake_llm.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert fake_llm.requests, "the model was never asked"
        stopped = time.monotonic()
        server.process.send_signal(signal.SIGINT)
        server.process.wait(timeout=15)
        took = time.monotonic() - stopped
        pending.kill()
        pending.wait()
        asked = len(fake_llm.requests)
        time.sleep(1.0)
    said = "".join(server.said)
    assert server.stopped_with == 0 and took < 8
    assert len(fake_llm.requests) == asked  # nothing asked after the stop
    assert "ERROR" not in said and "Traceback" not in said
    assert said.rstrip().endswith("the uploads and the temporary folder are gone")
    assert list(server.temporary.iterdir()) == []


def test_serve_by_a_name_of_this_machine_answers_at_the_address_it_prints(tmp_path):
    with serving(tmp_path, "--host", "localhost") as server:
        assert server.url.startswith("http://localhost:")
        assert httpx.get(server.url, timeout=10).status_code == 200
    assert "warning" not in "".join(server.said)


def test_a_serve_that_fails_before_serving_leaves_the_process_as_it_was(run_tailor, tmp_path):
    import signal as signals
    import tempfile

    before = (signals.getsignal(signals.SIGINT), signals.getsignal(signals.SIGTERM))
    tempdir, environ = tempfile.tempdir, os.environ.get("TMPDIR")
    result = run_tailor("serve", "--port", "0", "-p", "openai")  # no key: refused
    assert result.returncode == 2
    assert result.stderr.startswith("tailor: error: ")
    assert (signals.getsignal(signals.SIGINT), signals.getsignal(signals.SIGTERM)) == before
    assert (tempfile.tempdir, os.environ.get("TMPDIR")) == (tempdir, environ)
    tempfile.TemporaryFile().close()  # the temporary folder still works


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8765/"),
        ("::1", "http://[::1]:8765/"),
        ("[::1]", "http://[::1]:8765/"),
        ("0.0.0.0", "http://127.0.0.1:8765/"),
        ("[::]", "http://127.0.0.1:8765/"),
        ("localhost", "http://localhost:8765/"),
    ],
)
def test_the_address_printed_is_one_a_browser_opens(host, url):
    from tailor.cli.serve import _url

    class Bound:
        def getsockname(self):
            return ("127.0.0.1", 8765)

    assert _url(host, Bound()) == url
