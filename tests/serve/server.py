"""`tailor serve` started as a user starts it: in its own process, on a free port."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT, offline_environment

STARTUP_SECONDS = 30


@contextmanager
def serving(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """`tailor serve --port 0 ARGS` in a new process, its temporary files under tmp_path/tmp;
    stopped with Ctrl+C (SIGINT) after."""
    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    environ = (
        offline_environment()
        | {
            "PYTHONPATH": str(ROOT / "src"),
            "TMPDIR": str(temporary),
            "HOME": str(tmp_path / "home"),
            "TAILOR_CONFIG": str(tmp_path / "config.toml"),
            "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        }
        | (env or {})
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "tailor", "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=environ,
        cwd=tmp_path,
    )
    server = Server(process, temporary)
    try:
        server.wait_for_url()
        yield server
    finally:
        server.stop()


class Server:
    def __init__(self, process: subprocess.Popen[str], temporary: Path) -> None:
        self.process = process
        self.temporary = temporary
        self.url = ""
        self.said: list[str] = []
        self.stopped_with: int | None = None

    def wait_for_url(self) -> None:
        assert self.process.stderr is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            self.said.append(line)
            found = re.search(r"serving (http://\S+/)", line)
            if found:
                self.url = found.group(1)
                return
        raise AssertionError(f"the server did not start: {self.said}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        _, rest = self.process.communicate()
        self.said.append(rest)
        self.stopped_with = self.process.returncode
