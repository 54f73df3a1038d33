"""Run the real CLI on hostile input, bounded: each case must end within `SECONDS`, stay under
`PEAK_MB` of memory, and fail (if it fails) with one line on stderr and exit code 2.

The child runs under an address-space limit well above `PEAK_MB` (so a regression fails the
test instead of taking the machine down) and its peak resident memory is read from the
kernel's accounting of that one child (`os.wait4`), not guessed.
"""

from __future__ import annotations

import itertools
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, offline_environment

SECONDS = 10.0  # the most one hostile case may take
PEAK_MB = 500  # the most memory one hostile case may use
_ADDRESS_SPACE = 3 * 2**30  # a runaway child dies here rather than exhausting the machine


@dataclass(frozen=True)
class Outcome:
    """What one run of the CLI did: its exit code, output, time and peak memory."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    killed: bool  # it ran past the time limit and was stopped

    def refused(self, *words: str) -> None:
        """Assert a bounded, one-line refusal with exit 2 whose message holds every word."""
        self.bounded()
        lines = self.stderr.strip().splitlines()
        assert self.code == 2, f"exit {self.code}: {self.stderr[-2000:]}"
        assert len(lines) == 1, f"not one line: {self.stderr[-2000:]}"
        assert lines[0].startswith("tailor: error: "), lines[0]
        assert "Traceback" not in self.stderr
        for word in words:
            assert word.lower() in lines[0].lower(), f"{word!r} not in {lines[0]!r}"

    def bounded(self) -> None:
        """Assert the run ended by itself, in time, within the memory budget."""
        assert not self.killed, f"still running after {SECONDS} s"
        assert self.seconds < SECONDS, f"took {self.seconds:.1f} s"
        assert self.peak_mb < PEAK_MB, f"peak memory {self.peak_mb:.0f} MB"


# The child runs under a small Python that sets the memory limit, forks, becomes
# `python -m tailor` in the fork (exec), and writes the fork's peak resident memory to a file.
# Measured directly, a child started by the test process would carry that process's peak:
# Linux keeps the memory a process had when it called exec as its peak, and a child spawned
# from a test process grown large by the suite's caches starts out sharing all of it.
_LAUNCHER = """
import os, resource, signal, sys
limit, report = int(sys.argv[1]), sys.argv[2]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
child = os.fork()
if child == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[3:]])
_, status, usage = os.wait4(child, 0)
with open(report, "w") as file:
    file.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
"""


_runs = itertools.count()


def _launcher(report: Path) -> list[str]:
    """The command that starts a child under the memory limit, its peak written to `report`."""
    return [sys.executable, "-c", _LAUNCHER, str(_ADDRESS_SPACE), str(report)]


def _peak_kb(report: Path, usage: resource.struct_rusage) -> int:
    """The child's peak resident memory as the launcher wrote it; the launcher's own when
    the watchdog stopped both before it could (a peak that includes the test process's)."""
    try:
        return int(report.read_text())
    except (OSError, ValueError):
        return usage.ru_maxrss


Run = Callable[..., Outcome]


@pytest.fixture
def run_bounded(tmp_path: Path) -> Run:
    """Run `python -m tailor ARGS` offline in `tmp_path` with a time and memory watch.

    `stdin` is bytes to send (or an open file to read from); `cwd` defaults to `tmp_path`;
    `env` adds variables (a fake provider's key).
    """

    def run(
        *args: str | Path,
        stdin: bytes | int | None = None,
        cwd: Path | None = None,
        seconds: float = SECONDS,
        env: dict[str, str] | None = None,
    ) -> Outcome:
        environ = offline_environment()
        environ["TAILOR_CACHE_DIR"] = str(tmp_path / "cache")
        environ["TAILOR_CONFIG"] = str(tmp_path / "config.toml")
        environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        )
        environ.update(env or {})
        report = tmp_path / f"peak-{next(_runs)}"
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.monotonic()
            process = subprocess.Popen(
                [*_launcher(report), "-m", "tailor", *map(str, args)],
                stdin=subprocess.PIPE if isinstance(stdin, bytes) else stdin,
                stdout=out,
                stderr=err,
                cwd=cwd or tmp_path,
                env=environ,
                start_new_session=True,  # a group of its own: a timeout stops all it started
            )
            killed = threading.Event()

            def stop() -> None:
                killed.set()
                os.killpg(process.pid, signal.SIGKILL)

            watchdog = threading.Timer(seconds + 5, stop)
            watchdog.start()
            if isinstance(stdin, bytes):
                feeder = threading.Thread(target=_feed, args=(process, stdin), daemon=True)
                feeder.start()
            try:
                _, status, usage = os.wait4(process.pid, 0)
            finally:
                watchdog.cancel()
            elapsed = time.monotonic() - started
            process.returncode = os.waitstatus_to_exitcode(status)  # already reaped
            out.seek(0)
            err.seek(0)
            return Outcome(
                code=process.returncode,
                stdout=out.read().decode(errors="replace"),
                stderr=err.read().decode(errors="replace"),
                seconds=elapsed,
                peak_mb=_peak_kb(report, usage) / 1024,  # kilobytes on Linux
                killed=killed.is_set(),
            )

    return run


def _feed(process: subprocess.Popen[bytes], data: bytes) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(data)
        process.stdin.close()
    except (BrokenPipeError, OSError):  # the CLI stopped reading, as it should at a limit
        pass
