"""The page in a real browser: upload, pick a target, undo a change, download the PDF, and
the PDF holds the line that change left out. Skipped, with the reason, where no Chromium is
installed; CI installs it (`.ci/run`) and sets TAILOR_BROWSER_TESTS=required, so there it runs."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import Any

import pdfplumber
import pytest

from tests.conftest import EXAMPLES, REAL
from tests.serve.browser import chromium, opened_page, walk
from tests.serve.server import serving

# a real CV (JSON Resume's sample, MIT) whose summary the offline rewrite trims
SAMPLE = REAL / "web" / "jsonresume-sample.json"


def _page(*, javascript: bool) -> Iterator[Any]:
    """A browser page, or the test skipped with the reason (failed where CI requires it)."""
    executable = chromium()
    if executable is None:
        if os.environ.get("TAILOR_BROWSER_TESTS") == "required":
            pytest.fail("TAILOR_BROWSER_TESTS=required, but no Chromium is installed")
        pytest.skip("no Chromium installed (apt-get install chromium); CI runs this test")
    with opened_page(executable, javascript=javascript) as page:
        yield page


@pytest.fixture
def browser_page() -> Iterator[Any]:
    yield from _page(javascript=True)


@pytest.fixture
def page_without_javascript() -> Iterator[Any]:
    yield from _page(javascript=False)


def _words(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in document.pages)


def test_the_downloaded_pdf_lacks_the_change_undone_and_keeps_the_others(browser_page, tmp_path):
    with serving(tmp_path) as server:
        walked = walk(browser_page, server.url, SAMPLE, tmp_path)
    text = _words(walked.pdf)
    assert walked.pdf.startswith(b"%PDF-")
    assert " ".join(walked.undone.split()[:8]) in text  # the line the undone change left out
    for kept in walked.kept:  # the changes still ticked still leave theirs out
        assert " ".join(kept.split()[:8]) not in text
    assert "Richard Hendriks" in text


def test_a_cv_dropped_on_the_page_is_the_one_uploaded(browser_page, tmp_path):
    page = browser_page
    text = (EXAMPLES / "casey-morgan.md").read_text()
    with serving(tmp_path) as server:
        page.goto(server.url)
        dropped = page.evaluate_handle(
            """text => {
                const transfer = new DataTransfer();
                transfer.items.add(new File([text], "casey.md", {type: "text/markdown"}));
                return transfer;
            }""",
            text,
        )
        page.dispatch_event("#drop", "drop", {"dataTransfer": dropped})
        assert page.inner_text("#chosen") == "casey.md"
        page.click("#read")
        page.wait_for_selector("#reading")
        assert "What tailor read of casey.md" in page.inner_text("#reading h2")


def test_without_javascript_every_step_still_works(page_without_javascript, tmp_path):
    page = page_without_javascript
    with serving(tmp_path) as server:
        page.goto(server.url)
        page.set_input_files("#cv-file", str(SAMPLE))
        page.click("#read")
        page.wait_for_selector("#reading")
        for box in page.query_selector_all('input[name="target"]'):
            if box.get_attribute("value") != "frontier-lab":
                box.uncheck()
        page.click("#run")
        page.wait_for_selector("#review")
        toggle = page.locator('input.keep[data-kind="trimmed"]').first
        quote = toggle.locator("xpath=ancestor::li[1]//q").inner_text()
        kept = page.locator("input.keep:checked").count()
        assert f"with the {kept} changes kept" in page.inner_text("#preview h3")
        toggle.uncheck()
        page.click("#preview-button")  # the whole page again, the preview without the change
        page.wait_for_selector("#preview")
        assert f"with the {kept - 1} changes kept" in page.inner_text("#preview h3")
        assert not page.locator('input.keep[data-kind="trimmed"]').first.is_checked()
        with page.expect_download() as download_info:
            page.click("#download")
        saved = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(str(saved))
    assert " ".join(quote.split()[:8]) in _words(saved.read_bytes())
