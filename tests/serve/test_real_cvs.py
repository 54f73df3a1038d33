"""Every CV of the repository, real ones included, through the page's whole flow: upload,
two targets, the critique's page, one change undone, the download. No step may fail."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from tests.conftest import EVERY_CV, ROOT
from tests.serve.conftest import App, upload


@pytest.fixture(scope="module")
def app() -> App:
    return App()


@pytest.mark.parametrize("path", EVERY_CV, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_cv_goes_through_the_page(app, path):
    uploaded = app.post("/upload", files={"cv": upload(path)})
    assert uploaded.status_code == 303, uploaded.text[:300]
    workspace = uploaded.headers["location"]
    ran = app.post(f"{workspace}/tailor", data={"target": ["frontier-lab", "startup"]})
    assert ran.status_code == 303, ran.text[:300]
    page = app.get(f"{workspace}?target=startup")
    assert page.status_code == 200
    keep = re.findall(r'name="keep" value="(\d+)"', page.text)
    review = app.post(
        f"{workspace}/review/startup", data={"keep": keep[1:]}, headers={"hx-request": "true"}
    )
    assert review.status_code == 200
    download = app.post(f"{workspace}/download/startup", data={"keep": keep[1:], "format": "docx"})
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as docx:
        assert "word/document.xml" in docx.namelist()
    if keep:  # the change undone stays undone on the next view
        again = app.get(f"{workspace}?target=startup").text
        assert re.search(rf'name="keep" value="{keep[0]}" data-kind="\w+">', again)
