"""The JSON API: the CLI's `--format json` over HTTP, with the CLI's limits on what it reads."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import EXAMPLES, REAL, REAL_CVS
from tests.serve.conftest import App, upload

CASEY = EXAMPLES / "casey-morgan.md"
JORDAN_PDF = EXAMPLES / "jordan-reyes.pdf"
POSTING = EXAMPLES / "postings" / "startup-inference.md"
REAL_MD = next(path for path in REAL_CVS if path.suffix == ".md")
# a real CV (JSON Resume's sample, MIT) whose summary the offline rewrite trims
SAMPLE = REAL / "web" / "jsonresume-sample.json"

# the CLI's arguments and the API's form for the same question
CASES = [
    pytest.param(CASEY, ["anthropic"], None, id="one-target"),
    pytest.param(CASEY, ["startup", "palantir"], None, id="two-targets"),
    pytest.param(CASEY, [], None, id="every-target"),
    pytest.param(CASEY, ["startup"], POSTING, id="target-and-posting"),
    pytest.param(CASEY, [], POSTING, id="posting-alone"),
    pytest.param(JORDAN_PDF, ["production-ml"], None, id="pdf"),
    pytest.param(EXAMPLES / "jordan-reyes.docx", ["frontier-lab"], None, id="docx"),
    pytest.param(REAL_MD, ["startup"], None, id="real-cv"),
]


def _form(targets: list[str], posting: Path | None, cv: Path) -> dict[str, object]:
    files: list[tuple[str, tuple[str, bytes]]] = [("cv", upload(cv))]
    if posting is not None:
        files.append(("jd", upload(posting)))
    return {"files": files, "data": {"target": targets}}


def _cli_args(targets: list[str], posting: Path | None) -> list[str]:
    args = [arg for target in targets for arg in ("-t", target)]
    return args + (["--jd", str(posting)] if posting is not None else [])


@pytest.mark.parametrize(("cv", "targets", "posting"), CASES)
def test_critique_answers_what_the_cli_prints(app, run_tailor, cv, targets, posting):
    response = app.post("/api/critique", **_form(targets, posting, cv))
    printed = run_tailor("critique", str(cv), *_cli_args(targets, posting), "-f", "json")
    assert printed.returncode == 0, printed.stderr
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == json.loads(printed.stdout)
    answered = response.json()
    count = len(answered) if isinstance(answered, list) else 1
    assert count == (len(targets) or (1 if posting else 3))


@pytest.mark.parametrize(("cv", "targets", "posting"), [c for c in CASES if c.id != "every-target"])
def test_rewrite_answers_what_the_cli_prints_for_each_target(app, run_tailor, cv, targets, posting):
    response = app.post("/api/rewrite", **_form(targets, posting, cv))
    assert response.status_code == 200, response.text
    answered = response.json()
    answers = answered if isinstance(answered, list) else [answered]
    assert len(answers) == max(len(targets), 1)
    for target, answer in zip(targets or [None], answers, strict=True):
        chosen = [target] if target else []
        printed = run_tailor("rewrite", str(cv), *_cli_args(chosen, posting), "--format", "json")
        assert printed.returncode == 0, printed.stderr
        assert answer == json.loads(printed.stdout)


def test_read_answers_what_the_cli_prints_but_for_the_path(app, run_tailor):
    response = app.post("/api/read", files={"cv": upload(JORDAN_PDF)})
    printed = json.loads(run_tailor("read", str(JORDAN_PDF), "-f", "json").stdout)
    answered = response.json()
    assert answered["source"].pop("path") == "jordan-reyes.pdf"  # the upload's own name
    assert printed["source"].pop("path") == str(JORDAN_PDF)
    assert answered == printed


def test_rewrite_needs_a_target_or_a_posting(app):
    response = app.post("/api/rewrite", files={"cv": upload(CASEY)})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "say what to tailor for: a target, a posting (jd), or both"
    }


def _dropped(app: App, target: str) -> tuple[int, str]:
    """The first change of the offline rewrite of the sample CV that leaves a line out."""
    answer = app.post(
        "/api/rewrite", files={"cv": upload(SAMPLE)}, data={"target": [target]}
    ).json()
    for index, change in enumerate(answer["changes"]):
        if change["kind"] in ("dropped", "trimmed") and change["section"] != "unplaced":
            return index, change["quote"]
    raise AssertionError(f"the rewrite for {target} leaves nothing out: {answer['changes']}")


def test_render_writes_the_tailored_cv_without_the_changes_rejected(app):
    index, quote = _dropped(app, "frontier-lab")
    form = {"target": "frontier-lab", "format": "md"}
    everything = app.post("/api/render", files={"cv": upload(SAMPLE)}, data=form)
    undone = app.post("/api/render", files={"cv": upload(SAMPLE)}, data={**form, "reject": [index]})
    assert everything.status_code == undone.status_code == 200, undone.text
    assert quote not in everything.text
    assert quote in undone.text
    disposition = undone.headers["content-disposition"]
    assert 'filename="jsonresume-sample-frontier-lab.md"' in disposition


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_render_gives_a_pdf_in_the_theme_asked_for(app, theme):
    index, quote = _dropped(app, "frontier-lab")
    form = {"target": "frontier-lab", "format": "pdf", "theme": theme, "reject": [index]}
    response = app.post("/api/render", files={"cv": upload(SAMPLE)}, data=form)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages)
        fonts = {char["fontname"] for page in pdf.pages for char in page.chars}
    assert " ".join(quote.split()[:6]) in " ".join(text.split())
    assert any(("Lato" if theme == "modern" else "XCharter") in font for font in fonts)


def test_render_without_a_target_writes_the_cv_as_read(app):
    response = app.post(
        "/api/render", files={"cv": upload(EXAMPLES / "jordan-reyes.md")}, data={"format": "docx"}
    )
    assert response.status_code == 200
    assert 'filename="jordan-reyes.docx"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        assert "Jordan Reyes" in docx.read("word/document.xml").decode()


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"format": "odt"}, "unknown format 'odt'; use one of pdf, docx, md, html, json"),
        ({"format": "pdf", "theme": "neon"}, "unknown theme 'neon'"),
        ({"target": "startup", "reject": ["99"]}, "there is no change 99"),
        ({"target": "startup", "reject": ["x"]}, ""),
        ({"target": "../../etc/passwd.yaml"}, "give a profile id here"),
        ({"target": "google"}, "unknown target 'google'"),
    ],
)
def test_render_refuses_bad_fields_in_one_line(app, form, said):
    response = app.post("/api/render", files={"cv": upload(CASEY)}, data=form)
    assert response.status_code in (400, 422)
    assert said in json.dumps(response.json())


def test_a_profile_of_ones_own_is_a_target(app, tmp_path):
    yaml_text = (Path(__file__).parents[2] / "company_profiles" / "startup.yaml").read_text()
    own = yaml_text.replace("id: startup", "id: my-startup", 1)
    response = app.post(
        "/api/critique",
        files=[("cv", upload(CASEY)), ("profile", ("mine.yaml", own.encode()))],
        data={"target": ["my-startup"]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["target"] == "my-startup"


def test_a_bad_profile_is_one_line(app):
    response = app.post(
        "/api/critique",
        files=[("cv", upload(CASEY)), ("profile", ("mine.yaml", b"id: [unclosed"))],
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("profile mine.yaml: not valid YAML")


def test_targets_lists_the_bundled_profiles_and_themes(app):
    listed = app.get("/api/targets").json()
    assert [t["id"] for t in listed["targets"]] == ["frontier-lab", "production-ml", "startup"]
    assert listed["themes"] == ["classic", "modern", "compact"]
    assert listed["provider"] == "offline"


def test_openapi_documents_the_api_and_the_docs_page_loads_nothing_from_elsewhere(app):
    paths = app.get("/openapi.json").json()["paths"]
    assert {"/api/read", "/api/critique", "/api/rewrite", "/api/render"} <= set(paths)
    fields = paths["/api/critique"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert fields["schema"]["$ref"].endswith("Body_critique_api_critique_post")
    docs = app.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs
    assert "http://" not in docs and "https://" not in docs
    assert app.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_a_field_of_the_wrong_kind_is_one_line_that_never_echoes_it(app):
    secret = "Ada Lovelace, 12 Analytical Engine Street"
    response = app.post("/api/read", data={"cv": secret})  # the CV as text, not a file
    assert response.status_code == 400
    assert response.json() == {"detail": "cv: expected UploadFile, received: <class 'str'>"}
    assert secret not in response.text


def test_a_profile_may_not_take_a_bundled_targets_id(app):
    own = (Path(__file__).parents[2] / "company_profiles" / "startup.yaml").read_bytes()
    response = app.post(
        "/api/critique", files=[("cv", upload(CASEY)), ("profile", ("mine.yaml", own))]
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "profile mine.yaml: id 'startup' is a bundled target's; give it another"
    )


def test_with_no_target_named_the_critique_takes_the_bundled_ones_as_the_cli_does(app):
    yaml_text = (Path(__file__).parents[2] / "company_profiles" / "startup.yaml").read_text()
    own = yaml_text.replace("id: startup", "id: my-startup", 1).encode()
    response = app.post(
        "/api/critique", files=[("cv", upload(CASEY)), ("profile", ("mine.yaml", own))]
    )
    assert [c["target"] for c in response.json()] == ["frontier-lab", "production-ml", "startup"]


def test_when_every_place_for_work_is_taken_a_request_is_told_to_come_back(app, monkeypatch):
    from tailor.serve import jobs

    monkeypatch.setattr(jobs, "WAIT_SECONDS", 0.2)
    places = jobs._PLACES["files"]
    taken = [places.acquire(timeout=1) for _ in range(jobs.AT_ONCE)]
    try:
        assert all(taken)
        response = app.post("/api/read", files={"cv": upload(CASEY)})
    finally:
        for _ in taken:
            places.release()
    assert response.status_code == 503
    assert response.json() == {"detail": "the server is busy with other CVs; try again in a minute"}
    assert app.post("/api/read", files={"cv": upload(CASEY)}).status_code == 200


def test_while_cvs_are_tailored_the_pages_and_reading_still_answer(app, monkeypatch):
    """A long tailoring (a slow model) holds its place, not the files' nor a thread."""
    from tailor.serve import jobs

    monkeypatch.setattr(jobs, "WAIT_SECONDS", 0.2)
    places = jobs._PLACES["tailor"]
    taken = [places.acquire(timeout=1) for _ in range(jobs.AT_ONCE)]
    try:
        assert app.get("/").status_code == 200
        assert app.post("/api/read", files={"cv": upload(CASEY)}).status_code == 200
        waited = app.post("/api/critique", files={"cv": upload(CASEY)}, data={"target": "startup"})
    finally:
        for _ in taken:
            places.release()
    assert waited.status_code == 503
