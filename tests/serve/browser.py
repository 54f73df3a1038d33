"""A real browser (Debian's Chromium, driven by Playwright) walking the page as a user does:
upload a CV, pick a target, undo one change, download the PDF. The browser test runs it, and
docs/guide/serve.md's screenshots are taken by it (`docs/serve/make_screenshots.py`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Chromium on a machine with no network beyond the registries: no calls home, no sandbox
# (it runs as root in CI), no GPU
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",  # Docker's /dev/shm is 64 MB
]


def chromium() -> str | None:
    """The Chromium to drive: TAILOR_CHROMIUM, else Debian's on the PATH."""
    named = os.environ.get("TAILOR_CHROMIUM")
    if named:
        return named
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def opened_page(executable: str, *, javascript: bool = True) -> Iterator[Any]:
    """A new page of the Chromium at `executable`, which takes downloads; closed after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True, java_script_enabled=javascript)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@dataclass
class Walked:
    """What the walk undid and what it downloaded."""

    undone: str  # the quote of the change unticked
    kept: list[str]  # the quotes of the changes of the same kind left ticked
    pdf: bytes


def walk(page: Any, url: str, cv: Path, downloads: Path, shots: Path | None = None) -> Walked:
    """Upload `cv`, tailor it for the frontier lab alone, untick its first trimmed or dropped
    change, and download the PDF in the modern theme; a screenshot of each step into `shots`."""

    def shot(name: str) -> None:
        if shots is not None:
            page.screenshot(path=str(shots / f"{name}.png"), full_page=False)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    shot("1-upload")
    page.set_input_files("#cv-file", str(cv))
    page.click("#read")
    page.wait_for_selector("#reading")
    shot("2-read")
    for box in page.query_selector_all('input[name="target"]'):
        if box.get_attribute("value") != "frontier-lab":
            box.uncheck()
    page.click("#run")
    page.wait_for_selector("#review")
    page.locator("#critique").scroll_into_view_if_needed()
    shot("3-critique")
    toggles = page.locator('input.keep[data-kind="trimmed"], input.keep[data-kind="dropped"]')
    quotes = [toggle.locator("xpath=ancestor::li[1]//q").inner_text() for toggle in toggles.all()]
    assert quotes, "the rewrite leaves no line out to undo"
    heading = page.locator("#preview h3").inner_text()
    toggles.first.uncheck()
    page.wait_for_function(  # htmx swaps in the preview of the changes now kept
        "before => document.querySelector('#preview h3').innerText !== before", arg=heading
    )
    page.locator("#review").scroll_into_view_if_needed()
    shot("4-review")
    page.select_option("#format", "pdf")
    page.select_option("#theme", "modern")
    with page.expect_download() as download_info:
        page.click("#download")
    download = download_info.value
    saved = downloads / download.suggested_filename
    download.save_as(str(saved))
    return Walked(undone=quotes[0], kept=quotes[1:], pdf=saved.read_bytes())
