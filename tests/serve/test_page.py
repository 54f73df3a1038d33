"""The page's flow without a browser: upload, targets, critique on the CV's lines, review of
each change, download; and one upload never visible to another."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from tests.conftest import EXAMPLES, REAL
from tests.serve.conftest import App, upload

CASEY = EXAMPLES / "casey-morgan.md"
POSTING = EXAMPLES / "postings" / "startup-inference.md"
# a real CV (JSON Resume's sample, MIT) whose summary the offline rewrite trims
SAMPLE = REAL / "web" / "jsonresume-sample.json"


def _uploaded(app: App, path=CASEY) -> str:
    """The workspace address of an uploaded CV."""
    response = app.post("/upload", files={"cv": upload(path)})
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/w/[A-Za-z0-9_-]{43}", location)
    return location


def _tailored(app: App, targets: list[str], posting=None, cv=CASEY) -> tuple[str, str]:
    """A workspace tailored for `targets`: its address and the first target's page."""
    workspace = _uploaded(app, cv)
    files = [("jd", upload(posting))] if posting else []
    response = app.post(f"{workspace}/tailor", data={"target": targets}, files=files or None)
    assert response.status_code == 303, response.text
    page = app.get(response.headers["location"].split("#")[0])
    assert page.status_code == 200
    return workspace, page.text


def test_the_start_page_offers_every_format_tailor_reads(app):
    page = app.get("/").text
    assert 'accept=".md,.markdown,.txt,.json,.yaml,.yml,.pdf,.docx"' in page
    assert "tailor&#39;s offline engine" in page
    assert '<script src="/static/htmx.min.js"' in page
    assert "https://" not in page  # nothing loaded from the internet


def test_an_upload_shows_what_was_read_and_the_signs_of_a_misreading(app):
    page = app.get(_uploaded(app, EXAMPLES / "jordan-reyes-two-column.pdf")).text
    assert "What tailor read of jordan-reyes-two-column.pdf" in page
    assert "Jordan Reyes" in page
    assert ("This CV may be misread" in page) != ("No signs of a misreading" in page)
    assert page.count('name="target"') == 3


def test_a_bad_upload_is_one_line_on_the_start_page(app):
    response = app.post("/upload", files={"cv": ("cv.docx", b"PK\x03\x04 not a zip")})
    assert response.status_code == 400
    error = re.search(r'<p class="error" role="alert" id="error">(.*?)</p>', response.text)
    assert error and error.group(1).startswith("cv.docx")
    assert "Traceback" not in response.text


def test_the_critique_shows_each_finding_on_the_line_it_quotes(app):
    _, page = _tailored(app, ["frontier-lab", "startup"])
    lines = CASEY.read_text().splitlines()
    flagged = re.findall(
        r'<li value="(\d+)" class="flagged" id="line-\d+"><code>(.*?)</code>', page
    )
    assert flagged
    import html

    for number, text in flagged:
        assert html.unescape(text) == lines[int(number) - 1]
    assert 'id="comparison"' in page  # two targets: the comparison across them
    assert page.count('class="bar"') == 2


def test_every_change_has_its_reason_and_a_toggle(app):
    _, page = _tailored(app, ["frontier-lab"])
    toggles = re.findall(r'<input class="keep" type="checkbox" name="keep" value="(\d+)"', page)
    reasons = re.findall(r'<span class="reason">', page)
    assert toggles and len(reasons) >= len(toggles)
    assert all(" checked>" in m for m in re.findall(r'name="keep" value="\d+"[^>]*>', page))


def _dropped(page: str) -> tuple[str, str]:
    """A change that leaves a line out: its index and its quote."""
    import html

    for match in re.finditer(
        r'name="keep" value="(\d+)" data-kind="(dropped|trimmed)" checked> keep</label>\s*'
        r'<b>\w+</b> <span class="muted">[^<]*</span>\s*<q class="quote">(.*?)</q>',
        page,
    ):
        return match.group(1), html.unescape(match.group(3))
    raise AssertionError("no change leaves a line out")


def test_rejecting_a_change_shows_the_line_back_and_downloads_without_it(app):
    workspace, page = _tailored(app, ["frontier-lab"], cv=SAMPLE)
    index, quote = _dropped(page)
    kept = [v for v in re.findall(r'name="keep" value="(\d+)"', page) if v != index]
    preview = app.post(
        f"{workspace}/review/frontier-lab", data={"keep": kept}, headers={"hx-request": "true"}
    )
    assert preview.status_code == 200
    assert preview.text.lstrip().startswith('<div id="preview">')  # the fragment alone
    download = app.post(
        f"{workspace}/download/frontier-lab",
        data={"keep": kept, "format": "pdf", "theme": "classic"},
    )
    assert download.status_code == 200
    assert (
        'filename="jsonresume-sample-frontier-lab.pdf"' in download.headers["content-disposition"]
    )
    everything = app.post(
        f"{workspace}/download/frontier-lab", data={"keep": [*kept, index], "format": "pdf"}
    )
    words = " ".join(quote.split()[:6])
    assert words in _pdf_text(download.content)
    assert words not in _pdf_text(everything.content)


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


@pytest.mark.parametrize("fmt", ["docx", "md", "html", "json", "rendercv.yaml"])
def test_the_review_downloads_in_every_format(app, fmt):
    workspace, page = _tailored(app, ["startup"])
    kept = re.findall(r'name="keep" value="(\d+)"', page)
    response = app.post(f"{workspace}/download/startup", data={"keep": kept, "format": fmt})
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith(
        f".{fmt}\"; filename*=UTF-8''casey-morgan-startup.{fmt}"
    )
    assert len(response.content) > 500


def test_a_posting_gives_the_letter_and_the_prep(app):
    workspace, page = _tailored(app, ["startup"], POSTING)
    assert "Cover letter" in page
    letter = app.get(f"{workspace}/letter/startup")
    assert letter.status_code == 200 and "Dear" in letter.text
    prep = app.get(f"{workspace}/prep/startup")
    assert prep.status_code == 200 and "Interview prep" in prep.text


def test_without_a_posting_there_is_no_letter(app):
    workspace, page = _tailored(app, ["startup"])
    assert "Cover letter" not in page
    assert app.get(f"{workspace}/letter/startup").status_code == 400


def test_one_upload_is_never_seen_through_another(app):
    mine = _uploaded(app, EXAMPLES / "jordan-reyes.md")
    theirs = _uploaded(app, CASEY)
    assert mine != theirs
    assert "Casey Morgan" not in app.get(mine).text
    assert "Jordan Reyes" not in app.get(theirs).text
    guessed = app.get("/w/" + "A" * 43)
    assert guessed.status_code == 404
    assert "this upload is gone" in guessed.text
    forgotten = app.post(f"{theirs}/forget")
    assert forgotten.status_code == 303
    assert app.get(theirs).status_code == 404


def test_another_app_holds_none_of_this_ones_uploads():
    first, second = App(), App()
    workspace = _uploaded(first)
    assert first.get(workspace).status_code == 200
    assert second.get(workspace).status_code == 404


HOSTILE_CV = """# <script>alert('name')</script> Ada

ada@example.org

## Experience

### ML Engineer, <img src=x onerror=alert(1)> Labs
2021 - 2024

- Shipped a <script>fetch('//evil.example')</script> ranking model to 2M users.
- Cut p95 latency from 220 ms to 60 ms with an <iframe src=//evil.example> cache.

## Skills

- **ML:** PyTorch, <b onclick=alert(2)>JAX</b>
"""


def test_a_cvs_text_is_shown_as_text_never_as_markup(app):
    response = app.post("/upload", files={"cv": ("cv.md", HOSTILE_CV.encode())})
    workspace = response.headers["location"]
    tailored = app.post(f"{workspace}/tailor", data={"target": ["startup"]})
    page = app.get(tailored.headers["location"].split("#")[0]).text
    for markup in ("<script>", "<img src=x", "<iframe", "<b onclick"):
        assert markup not in page
    assert "&lt;script&gt;fetch(" in page  # shown, escaped
    assert page.count("<script") == 2  # htmx and tailor.js, both from /static


def test_an_error_about_a_workspace_is_said_on_its_own_page(app):
    workspace = _uploaded(app)
    response = app.post(f"{workspace}/tailor", data={})
    assert response.status_code == 400
    assert "pick at least one target, or give a job posting" in response.text
    assert "What tailor read of casey-morgan.md" in response.text  # the upload is not lost


@pytest.mark.parametrize("fmt", ["pdf", "docx", "txt"])
def test_the_letter_shown_is_the_letter_downloaded(app, fmt):
    workspace, _ = _tailored(app, ["startup"], POSTING)
    shown = app.get(f"{workspace}/letter/startup").text
    response = app.post(f"{workspace}/letter/startup/download", data={"format": fmt})
    assert response.status_code == 200
    assert 'filename="casey-morgan-startup-letter.' in response.headers["content-disposition"]
    if fmt == "txt":
        import html

        page = " ".join(html.unescape(shown).split())
        paragraphs = [" ".join(p.split()) for p in response.text.split("\n\n") if p.strip()]
        assert len(paragraphs) >= 4
        assert all(paragraph in page for paragraph in paragraphs)
    elif fmt == "pdf":
        assert "Casey Morgan" in _pdf_text(response.content)


def test_the_posting_is_kept_when_the_targets_are_asked_again(app):
    workspace, page = _tailored(app, ["startup"], POSTING)
    again = app.post(f"{workspace}/tailor", data={"target": ["startup", "frontier-lab"]})
    page = app.get(again.headers["location"].split("#")[0]).text
    assert "The posting: Founding ML Inference Engineer at Wrenfield" in page
    assert "Cover letter" in page
    dropped = app.post(f"{workspace}/tailor", data={"target": ["startup"], "drop_posting": "true"})
    page = app.get(dropped.headers["location"].split("#")[0]).text
    assert "The posting:" not in page and "Cover letter" not in page


def test_the_changes_unticked_stay_unticked_from_one_view_to_the_next(app):
    workspace, page = _tailored(app, ["frontier-lab", "startup"], cv=SAMPLE)
    index, _ = _dropped(page)
    kept = [v for v in re.findall(r'name="keep" value="(\d+)"', page) if v != index]
    app.post(f"{workspace}/review/frontier-lab", data={"keep": kept})
    for view in (f"{workspace}?target=frontier-lab", f"{workspace}/prep/frontier-lab"):
        again = app.get(view).text
        assert f'name="keep" value="{index}" data-kind="trimmed">' in again  # not checked
    other = app.get(f"{workspace}?target=startup").text
    assert 'data-kind="trimmed">' not in other  # another target's review is its own


def test_a_bad_field_on_the_page_is_its_error_line_not_json(app):
    workspace = _uploaded(app)
    response = app.post(f"{workspace}/tailor", data={"drop_posting": "maybe"})
    assert response.status_code == 400
    assert '<p class="error" role="alert" id="error">drop_posting: ' in response.text


def test_a_pasted_posting_over_a_form_fields_limit_is_one_line_on_the_page(app):
    workspace = _uploaded(app)
    response = app.post(
        f"{workspace}/tailor", data={"target": "startup", "jd_text": "x " * 600_000}
    )
    assert response.status_code == 400
    error = re.search(r'<p class="error" role="alert" id="error">(.*?)</p>', response.text)
    assert error is not None and "1024KB" in error.group(1)
    assert "What tailor read of casey-morgan.md" in response.text
