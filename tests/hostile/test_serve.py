"""Hostile uploads to a real `tailor serve`: each refused in one line with a 4xx, in bounded
time, and the server answers the next request; its memory stays bounded across them all."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tailor import limits
from tests.conftest import EXAMPLES
from tests.hostile import generate
from tests.hostile.conftest import PEAK_MB, SECONDS
from tests.serve.server import Server, serving

CASEY = EXAMPLES / "casey-morgan.md"

# (field, file name, bytes, words the refusal names)
UPLOADS = [
    ("cv", "cv.docx", generate.docx_bomb(2048), ["word/document.xml", "limit"]),
    ("cv", "cv.yaml", generate.yaml_alias_bomb(), ["alias"]),
    ("cv", "cv.json", generate.nested_json(100_000), ["nest"]),
    ("cv", "cv.json", generate.json_resume(limits.CV_ENTRIES + 1, 1, 6), ["entries", "limit"]),
    (
        "cv",
        "cv.pdf",
        generate.pdf([generate.page_of_text(["Built a feature store"] * 40)] * 1000),
        ["1,000 pages"],
    ),
    ("cv", "cv.md", b"# Ada\n\n- " + b"x" * 200_000 + b"\n", ["200,002 characters", "limit"]),
    (
        "cv",
        "cv.pdf",
        generate.pdf([generate.deflated_zeros(1024, raw=False)], deflated=True),
        ["64 MB"],
    ),
    ("cv", "cv.bin", bytes(range(256)) * 4_000, ["binary"]),
    ("cv", "cv.md", b"", ["empty"]),
    ("jd", "job.json", b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", ["nested"]),
    ("profile", "lab.yaml", b"id: lab\nname: &n Lab\ndescription: *n\n", ["alias"]),
    ("profile", "lab.yaml", b"id: lab\nname: Lab\nkeywords: [[\n", ["not valid YAML"]),
]


def _peak_mb(server: Server) -> float:
    """The server process's peak resident memory (VmHWM), in MB."""
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return int(kilobytes) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_hostile_uploads_are_refused_in_one_line_and_the_server_stays_up(tmp_path):
    with serving(tmp_path) as server:
        for field, name, data, words in UPLOADS:
            files = [("cv", (CASEY.name, CASEY.read_bytes()))] if field != "cv" else []
            files.append((field, (name, data)))
            started = time.monotonic()
            response = httpx.post(
                server.url + "api/critique", files=files, data={"target": "startup"}, timeout=60
            )
            took = time.monotonic() - started
            detail = response.json()["detail"]
            assert response.status_code in (400, 413), (name, response.status_code, detail)
            assert "\n" not in detail and len(detail) < 1_200
            assert all(word in detail for word in words), (name, detail)
            assert took < SECONDS, (name, took)
            page = httpx.post(server.url + "upload", files={"cv": (name, data)}, timeout=60)
            assert page.status_code in (400, 413) and "Traceback" not in page.text
        ordinary = httpx.post(
            server.url + "api/read", files={"cv": (CASEY.name, CASEY.read_bytes())}, timeout=60
        )
        assert ordinary.status_code == 200
        assert _peak_mb(server) < PEAK_MB
    assert server.stopped_with == 0
    assert "Traceback" not in "".join(server.said)
