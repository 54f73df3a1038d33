"""The batch's report.html: one self-contained page that reads well with 1 CV or 50."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import tailor
from tailor.batch import Batch, plan
from tests.conftest import EXAMPLES

TARGETS = ["startup", "frontier-lab", "production-ml"]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.external: list[str] = []
        self.bars: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag in ("script", "link", "img"):
            self.external.append(tag)
        if tag == "span" and "width:" in (found.get("style") or ""):
            self.bars.append(found["style"] or "")


def batch_of(folder: Path, count: int, tasks: tuple[str, ...] = ("critique", "rewrite")) -> Path:
    sources = [EXAMPLES / "casey-morgan.md", EXAMPLES / "jordan-reyes.md"]
    cvs = []
    for number in range(count):
        cv = folder / "cvs" / f"cv-{number:02d}.md"
        cv.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sources[number % 2], cv)
        cvs.append(str(cv))
    out = folder / "out"
    Batch(out, concurrency=4).run(plan(cvs, TARGETS, tasks=list(tasks)))  # type: ignore[arg-type]
    return out / "report.html"


def read(report: Path) -> tuple[str, _Page]:
    html = report.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    return html, page


def test_one_cv_three_targets_shows_a_bar_and_the_top_findings_per_target(tmp_path: Path) -> None:
    html, page = read(batch_of(tmp_path, 1))
    assert len(page.bars) == 3  # one bar a target, its width the score
    widths = [int(re.search(r"width: (\d+)%", bar).group(1)) for bar in page.bars]  # type: ignore[union-attr]
    cv = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    expected = [tailor.critique(cv, t).score for t in ("startup", "frontier-lab", "production-ml")]
    assert widths == expected  # casey-morgan for startup, lab, palantir
    for target in TARGETS:
        assert f"<h3>{target}</h3>" in html
    assert html.count('class="sev ') >= 3 * 2
    assert "<table" not in html  # a score table only when there are several CVs
    assert not page.external  # self-contained: no scripts, style sheets or images to fetch


def test_every_link_points_at_a_file_of_the_batch(tmp_path: Path) -> None:
    report = batch_of(tmp_path, 2)
    _, page = read(report)
    files = [link for link in page.links if not link.startswith("#")]
    assert len(files) == 2 * 3 * 5  # critique json+md, rewrite json, change log, CV
    for link in files:
        assert (report.parent / link).is_file(), link


def test_fifty_cvs_get_a_score_table_and_folded_details(tmp_path: Path) -> None:
    html, page = read(batch_of(tmp_path, 50, tasks=("critique",)))
    assert html.count('<tr><td><a href="#cv-') == 50
    assert " open>" not in html  # each CV's details start folded
    assert len(page.bars) == 150
    assert len(html) < 1_500_000


def test_text_from_a_cv_is_escaped(tmp_path: Path) -> None:
    cv = tmp_path / "x.md"
    cv.write_text(
        "# A <script>alert(1)</script>\n\n## Experience\n\n### Engineer, Acme\n2020 – 2022\n"
        "- Worked on <b>things</b> with the team.\n",
        encoding="utf-8",
    )
    Batch(tmp_path / "out").run(plan([str(cv)], ["startup"]))
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<b>things</b>" not in html and "<script>" not in html


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs a headless chromium")
@pytest.mark.parametrize("count", [1, 50])
def test_the_report_renders_in_a_browser(tmp_path: Path, count: int) -> None:
    report = batch_of(tmp_path, count, tasks=("critique",))
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1280,1400", f"--screenshot={shot}", report.as_uri(),
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert shot.is_file() and shot.stat().st_size > 20_000  # a page with content, not blank


def test_two_postings_with_one_file_name_keep_their_own_columns(tmp_path: Path) -> None:
    text = (EXAMPLES / "postings" / "startup-inference.md").read_text(encoding="utf-8")
    first, second = tmp_path / "a" / "job.md", tmp_path / "b" / "job.md"
    for path, extra in ((first, ""), (second, "\n## Requirements\n- Kafka in production\n")):
        path.parent.mkdir()
        path.write_text(text + extra, encoding="utf-8")
    Batch(tmp_path / "out").run(
        plan([str(EXAMPLES / "casey-morgan.md")], [], [str(first), str(second)])
    )
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<h3>a/job</h3>" in html and "<h3>b/job</h3>" in html


@pytest.mark.parametrize("escape", ["../secret.json", "{absolute}", "link/secret.json"])
def test_a_file_outside_the_folder_is_never_linked_or_scored(tmp_path: Path, escape: str) -> None:
    from tailor.batch import load_manifest, write_report

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    Batch(out).run(plan([str(EXAMPLES / "casey-morgan.md")], ["startup"]))
    elsewhere.mkdir()
    (out / "link").symlink_to(elsewhere)
    secret = json.loads((out / "casey-morgan" / "startup.critique.json").read_text())
    secret["score"] = 3  # a score the report must not show
    for path in (tmp_path / "secret.json", elsewhere / "secret.json"):
        path.write_text(json.dumps(secret))
    name = escape.format(absolute=tmp_path / "secret.json")
    manifest = load_manifest(out)
    manifest.jobs[0].files = [name, "casey-morgan/startup.critique.md"]  # by hand: unchecked
    html, page = read(write_report(out, manifest))
    assert [link for link in page.links if not link.startswith("#")] == [
        "casey-morgan/startup.critique.md"
    ]
    assert "secret" not in html and not page.bars


def test_the_top_findings_are_those_the_critique_shows_first(tmp_path: Path) -> None:
    """By severity, then the points fixing each adds, then line."""
    from html import escape as html_escape

    from tailor.critic.report import top_findings

    html, _ = read(batch_of(tmp_path, 1, tasks=("critique",)))
    cv = tailor.load_cv(EXAMPLES / "casey-morgan.md")
    for target, after in (
        ("startup", "<h3>frontier-lab</h3>"),
        ("frontier-lab", "<h3>production-ml"),
    ):
        part = html[html.index(f"<h3>{target}</h3>") : html.index(after)]
        quotes = re.findall(r'<span class="quote">“(.*?)”</span>', part)
        top = top_findings(tailor.critique(cv, target).findings)
        assert quotes == [f.quote for f in top if f.quote]
    lab = html[html.index("<h3>frontier-lab</h3>") : html.index("<h3>production-ml")]
    top = top_findings(tailor.critique(cv, "frontier-lab").findings)
    assert [f.severity for f in top][:2] == ["high", "high"] and top[0].points >= top[1].points  # type: ignore[operator]
    first, second = (html_escape(f.message[:30]) for f in top[:2])
    assert lab.index(first) < lab.index(second)  # the one worth more points first
