"""The page in a real browser: upload, pick a target, undo a change, download the PDF, and
the PDF holds the line that change left out. Skipped, with the reason, where no Chromium is
installed; CI installs it (`.ci/run`) and sets TAILOR_BROWSER_TESTS=required, so there it runs."""

from __future__ import annotations

import io
import os

import pdfplumber
import pytest

from tests.conftest import REAL
from tests.serve.browser import CHROMIUM_ARGS, chromium, walk
from tests.serve.server import serving

# a real CV (JSON Resume's sample, MIT) whose summary the offline rewrite trims
SAMPLE = REAL / "web" / "jsonresume-sample.json"


@pytest.fixture
def browser_page():
    executable = chromium()
    if executable is None:
        if os.environ.get("TAILOR_BROWSER_TESTS") == "required":
            pytest.fail("TAILOR_BROWSER_TESTS=required, but no Chromium is installed")
        pytest.skip("no Chromium installed (apt-get install chromium); CI runs this test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


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
