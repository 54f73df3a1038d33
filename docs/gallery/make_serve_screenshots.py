"""Screenshots of `tailor serve`'s page at each step, for docs/guide/serve.md (a dev step, run
by hand): a real server and Debian's Chromium walk a real CV (JSON Resume's sample) through
upload, reading, critique and review, as the browser test does.

    .venv/bin/python docs/gallery/make_serve_screenshots.py       # into docs/gallery/serve-*.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.serve.browser import chromium, opened_page, walk  # noqa: E402
from tests.serve.server import serving  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "real" / "web" / "jsonresume-sample.json"
GALLERY = ROOT / "docs" / "gallery"


def main() -> None:
    executable = chromium()
    if executable is None:
        sys.exit("no Chromium: apt-get install chromium")
    with (
        tempfile.TemporaryDirectory() as folder,
        serving(Path(folder)) as server,
        opened_page(executable) as page,
    ):
        shots = Path(folder) / "shots"
        shots.mkdir()
        walk(page, server.url, SAMPLE, Path(folder), shots)
        for shot in sorted(shots.glob("*.png")):
            (GALLERY / f"serve-{shot.name}").write_bytes(shot.read_bytes())
            print(f"wrote docs/gallery/serve-{shot.name}")


if __name__ == "__main__":
    main()
