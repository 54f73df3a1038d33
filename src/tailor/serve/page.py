"""The page: upload a CV, see what tailor read, pick targets, read each critique on the CV's
own lines, keep or undo each change of the rewrite, and download the result.

Every step is a plain form that works without JavaScript (a POST answered by a redirect to
the workspace's page); htmx, served from this app, swaps in only what changed. A workspace
lives at /w/TOKEN, an address no other request can guess.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from tailor.errors import UserError
from tailor.rewriter.review import reviewable
from tailor.serve import files, jobs
from tailor.serve.store import Result, Workspace, WorkspaceForgotten

if TYPE_CHECKING:
    from tailor.cover_letter.model import Letter
    from tailor.critic.model import Critique, Finding
    from tailor.cv.model import CV
    from tailor.rewriter.model import Change, TailoredCV

router = APIRouter(include_in_schema=False)

ACCEPTED_FORMATS = ".md,.markdown,.txt,.json,.yaml,.yml,.pdf,.docx"


@cache
def templates() -> Jinja2Templates:
    from jinja2 import Environment, FileSystemLoader

    here = Path(__file__).parent
    # the page's own templates, and the renderers' (the batch report's comparison); every
    # value escaped, whatever the template's extension: a CV's text is never markup here
    loader = FileSystemLoader([here / "templates", here.parent / "renderers" / "templates"])
    return Jinja2Templates(env=Environment(loader=loader, autoescape=True))


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    engine: jobs.Engine = request.app.state.engine
    context.setdefault("workspace", None)
    return templates().TemplateResponse(
        request,
        name,
        {"engine": engine.describe(), "provider": engine.provider, **context},
        status_code=status,
    )


def error_page(request: Request, detail: str, status: int) -> HTMLResponse:
    """The error said in one line, at the status the API would give: on the workspace's page
    when the request was about one the server still has, else on the start page."""
    parts = request.url.path.split("/")
    workspace = (
        request.app.state.store.get(parts[2]) if len(parts) > 2 and parts[1] == "w" else None
    )
    if workspace is not None:
        context = _context(request, workspace, request.query_params.get("target"))
        return _page(request, "workspace.html.j2", status, error=detail, **context)
    return _page(request, "start.html.j2", status, error=detail, accept=ACCEPTED_FORMATS)


def _workspace(request: Request, token: str) -> Workspace:
    workspace: Workspace | None = request.app.state.store.get(token)
    if workspace is None:
        raise jobs.Gone(GONE)
    return workspace


GONE = "this upload is gone: the server keeps the latest ones while it runs; upload the CV again"
_PROFILES = threading.Lock()  # a profile counted and added at once, whatever the tabs do


def _at(token: str, target: str | None = None, anchor: str = "") -> RedirectResponse:
    query = f"?target={target}" if target else ""
    return RedirectResponse(f"/w/{token}{query}{anchor}", status_code=303)


@router.get("/", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    return _page(request, "start.html.j2", accept=ACCEPTED_FORMATS)


@router.post("/upload")
async def upload(request: Request, cv: Annotated[UploadFile, File()]) -> Response:
    data, name = await cv.read(), cv.filename
    document = await jobs.in_turn("files", lambda: jobs.read_upload(data, name), request)
    workspace = request.app.state.store.open(jobs.shown_name(name, "cv"), document)
    return _at(workspace.token)


@router.get("/w/{token}", response_class=HTMLResponse)
def workspace_page(request: Request, token: str, target: str | None = None) -> HTMLResponse:
    workspace = _workspace(request, token)
    return _page(request, "workspace.html.j2", **_context(request, workspace, target))


@router.post("/w/{token}/tailor")
async def tailor_for(
    request: Request,
    token: str,
    target: Annotated[list[str], Form()] = [],  # noqa: B006
    jd: Annotated[UploadFile | None, File()] = None,
    jd_text: Annotated[str, Form()] = "",
    drop_posting: Annotated[bool, Form()] = False,
    profile: Annotated[UploadFile | None, File()] = None,
) -> Response:
    workspace = _workspace(request, token)
    profile_file = (
        (await profile.read(), profile.filename) if profile and profile.filename else None
    )
    if jd is not None and jd.filename:
        posting_file: tuple[bytes, str | None] | None = (await jd.read(), jd.filename)
    elif jd_text.strip():
        posting_file = (jd_text.encode("utf-8"), "posting.txt")
    else:
        posting_file = None
    engine: jobs.Engine = request.app.state.engine
    kept = workspace.posting is not None and not drop_posting
    if not target and profile_file is None and posting_file is None and not kept:
        raise UserError("pick at least one target, or give a job posting")  # before any wait
    full = f"this upload has {jobs.PROFILES_PER_REQUEST} profiles of yours already"
    if profile_file is not None and len(workspace.profiles) >= jobs.PROFILES_PER_REQUEST:
        raise UserError(full)

    def work() -> dict[str, Result]:
        chosen = list(target)
        if profile_file is not None:
            uploaded = jobs.read_profile(*profile_file)
            with _PROFILES:
                if len(workspace.profiles) >= jobs.PROFILES_PER_REQUEST:
                    raise UserError(full)
                workspace.profiles[uploaded.id] = uploaded
            chosen.append(uploaded.id)
        posting = None if drop_posting else workspace.posting  # kept unless another is given
        if posting_file is not None:
            posting = jobs.read_posting(*posting_file)
        if not chosen and posting is None:
            raise UserError("pick at least one target, or give a job posting")
        own = {**request.app.state.profiles, **workspace.profiles}
        profiles = jobs.profiles_for(chosen, own, posting)
        with engine.client() as client:
            read = jobs.posting_read(posting, client)
            critiques = jobs.critiques(workspace.cv, profiles, read, client)
            rewrites = jobs.rewrites(workspace.cv, profiles, read, client)
        workspace.posting = read
        return {
            tailored.target: Result(profile_used, critique, tailored)
            for profile_used, critique, tailored in zip(profiles, critiques, rewrites, strict=True)
        }

    results = await jobs.in_turn("tailor", work, request)
    try:
        request.app.state.store.set_results(workspace, results)
    except WorkspaceForgotten:  # "Forget this CV" while it ran: it stays forgotten
        raise jobs.Gone(GONE) from None
    return _at(token, next(iter(results)), "#results")


@router.post("/w/{token}/review/{target}", response_class=HTMLResponse)
def review(
    request: Request,
    token: str,
    target: str,
    keep: Annotated[list[int], Form()] = [],  # noqa: B006
) -> HTMLResponse:
    """The tailored CV with only the kept changes: the preview fragment for htmx, or the whole
    page without it."""
    workspace = _workspace(request, token)
    result = _result(workspace, target)
    result.rejected = _rejected(result.tailored, keep)
    context = _context(request, workspace, target)
    if request.headers.get("hx-request") == "true":
        return _page(request, "_preview.html.j2", **context)
    return _page(request, "workspace.html.j2", **context)


@router.post("/w/{token}/download/{target}")
async def download(
    request: Request,
    token: str,
    target: str,
    keep: Annotated[list[int], Form()] = [],  # noqa: B006
    format: Annotated[str, Form()] = "pdf",
    theme: Annotated[str | None, Form()] = None,
) -> Response:
    workspace = _workspace(request, token)
    result = _result(workspace, target)
    files.check_format(format, theme or None)
    rejected = _rejected(result.tailored, keep)  # this request's, whatever another does
    result.rejected = rejected
    data = await jobs.in_turn(
        "files",
        lambda: files.reviewed_file(workspace.cv, result.tailored, rejected, format, theme or None),
        request,
    )
    return files.download(data, files.file_name(workspace.filename, target, format))


@router.get("/w/{token}/prep/{target}", response_class=HTMLResponse)
async def prep(request: Request, token: str, target: str) -> HTMLResponse:
    workspace = _workspace(request, token)
    result = _result(workspace, target)
    engine: jobs.Engine = request.app.state.engine

    def work() -> str:
        import tailor
        from tailor.interview.report import to_text
        from tailor.options import LLMOptions

        with engine.client() as client:
            made = tailor.prep(
                workspace.cv,
                result.profile,
                posting=workspace.posting,
                llm=LLMOptions(client=client),
            )
        return to_text(made)

    shown = await jobs.in_turn("tailor", work, request)
    return await _drawn(request, workspace, target, extra=("Interview prep", shown))


@router.get("/w/{token}/letter/{target}", response_class=HTMLResponse)
async def letter(request: Request, token: str, target: str) -> HTMLResponse:
    from tailor.cover_letter.report import notes_text, to_text

    workspace = _workspace(request, token)
    made = await jobs.in_turn("tailor", lambda: _letter(request, workspace, target), request)
    shown = to_text(made) + "\n\n" + notes_text(made)
    return await _drawn(request, workspace, target, extra=("Cover letter", shown))


@router.post("/w/{token}/letter/{target}/download")
async def letter_download(
    request: Request,
    token: str,
    target: str,
    format: Annotated[str, Form()] = "pdf",
    theme: Annotated[str | None, Form()] = None,
) -> Response:
    """The letter shown (made once: a model's letter is not written again for the file)."""
    from tailor.cover_letter.report import file_bytes

    if format not in LETTER_FORMATS:
        raise UserError(f"unknown format {format!r}; use one of {', '.join(LETTER_FORMATS)}")
    files.check_format("pdf", theme or None)
    workspace = _workspace(request, token)
    made = await jobs.in_turn("tailor", lambda: _letter(request, workspace, target), request)
    data = await jobs.in_turn(
        "files", lambda: file_bytes(made, Path(f"letter.{format}"), theme=theme or None), request
    )
    name = files.file_name(workspace.filename, target, format).replace(f".{format}", "")
    return files.download(data, f"{name}-letter.{format}")


LETTER_FORMATS = ("pdf", "docx", "md", "txt", "html")


async def _drawn(request: Request, workspace: Workspace, target: str, **extra: Any) -> HTMLResponse:
    """The workspace's page, drawn on a worker thread (a review's rebuild takes a moment)."""
    import anyio

    return await anyio.to_thread.run_sync(
        lambda: _page(request, "workspace.html.j2", **_context(request, workspace, target), **extra)
    )


def _letter(request: Request, workspace: Workspace, target: str) -> Letter:
    """The workspace's cover letter for `target`, written on first asking."""
    import tailor
    from tailor.options import LLMOptions

    result = _result(workspace, target)
    if workspace.posting is None:
        raise UserError("a cover letter answers a job posting: give one with the targets")
    engine: jobs.Engine = request.app.state.engine
    with result.writing:  # a second request at once waits for the first's letter
        if result.letter is not None:
            return result.letter
        with engine.client() as client:
            result.letter = tailor.letter(
                workspace.cv,
                result.profile,
                posting=workspace.posting,
                llm=LLMOptions(client=client),
            )
    return result.letter


@router.post("/w/{token}/forget")
def forget(request: Request, token: str) -> Response:
    request.app.state.store.forget(token)
    return RedirectResponse("/", status_code=303)


def _result(workspace: Workspace, target: str) -> Result:
    result = workspace.results.get(target)
    if result is None:
        raise UserError(f"no result for {target!r} in this upload; tailor it for that target first")
    return result


def _rejected(tailored: TailoredCV, keep: list[int]) -> list[int]:
    """The reviewable changes not ticked to keep."""
    kept = set(keep)
    return [
        index
        for index, change in enumerate(tailored.changes)
        if reviewable(change) and index not in kept
    ]


# what the templates show --------------------------------------------------------------------


@dataclass
class CvLine:
    """A line of the CV as tailor read it, with the findings that quote it."""

    number: int
    text: str
    findings: list[Finding]


@dataclass
class ChangeRow:
    index: int
    change: Change
    reviewable: bool
    kept: bool


@dataclass
class DiffLine:
    kind: str  # "head", "hunk", "removed", "added", "moved", "same", "legend"
    text: str


def _context(request: Request, workspace: Workspace, target: str | None) -> dict[str, Any]:
    from tailor.renderers.themes import themes
    from tailor.targets import bundled_profiles

    results = workspace.results  # read once: another tab's run may put new ones in meanwhile
    own = {**request.app.state.profiles, **workspace.profiles}
    picked = {result.tailored.target for result in results.values()}
    offered = [
        (profile.id, profile.name, profile.id in picked or not picked)
        for profile in [*bundled_profiles().values(), *own.values()]
    ]
    context: dict[str, Any] = {
        "workspace": workspace,
        "reading": _reading(workspace.cv),
        "offered": offered,
        "themes": [theme.name for theme in themes()],
        "formats": list(files.FORMATS),
        "letter_formats": LETTER_FORMATS,
        "columns": _comparison(results),
        "results": results,
    }
    if not results:
        return context
    chosen = target if target in results else next(iter(results))
    result = results[chosen]
    rejected = result.rejected
    shown = files.reviewed(workspace.cv, result.tailored, rejected)
    lines, whole_cv = _lines(workspace.cv, result.critique)
    changes = [
        ChangeRow(index, change, reviewable(change), index not in rejected)
        for index, change in enumerate(result.tailored.changes)
    ]
    context |= {
        "chosen": chosen,
        "result": result,
        "lines": lines,
        "whole_cv_findings": whole_cv,
        "changes": changes,
        "diff": _diff(workspace.cv, shown),
        "kept_count": sum(row.reviewable and row.kept for row in changes),
    }
    return context


def _reading(cv: CV) -> dict[str, Any]:
    from tailor.renderers import reading

    origin = cv.origin
    return {
        "name": cv.basics.name,
        "format": origin.format if origin else "?",
        "warnings": origin.warnings if origin else [],
        "unplaced": origin.unplaced if origin else [],
        "text": reading.to_text(cv),
    }


def _line_of(cv: CV, finding: Finding) -> int | None:
    """The line a finding quotes: its own, else where its quote stands in the text read."""
    if finding.line is not None:
        return finding.line
    if not finding.quote or cv.origin is None or not cv.origin.text:
        return None
    for number, line in enumerate(cv.origin.text.splitlines(), start=1):
        if finding.quote in line:
            return number
    return None


def _lines(cv: CV, critique: Critique) -> tuple[list[CvLine], list[Finding]]:
    """The CV's lines as read, each with the findings that quote it; and the findings about
    the whole CV (or quoting no line)."""
    text = cv.origin.text if cv.origin is not None and cv.origin.text else ""
    lines = [CvLine(n, line, []) for n, line in enumerate(text.splitlines(), start=1)]
    whole_cv = []
    for finding in critique.findings:
        number = _line_of(cv, finding)
        if number is not None and 0 < number <= len(lines):
            lines[number - 1].findings.append(finding)
        elif number is None:
            whole_cv.append(finding)
    return lines, whole_cv


def _diff(source: CV, tailored: TailoredCV) -> list[DiffLine]:
    from tailor.rewriter.report import DIFF_LEGEND, MOVED, diff

    shown = []
    for line in diff(source, tailored).plain.splitlines():
        if line.startswith(("---", "+++")):
            kind = "head"
        elif line == DIFF_LEGEND:
            kind = "legend"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith(MOVED):
            kind = "moved"
        elif line.startswith("-"):
            kind = "removed"
        elif line.startswith("+"):
            kind = "added"
        else:
            kind = "same"
        shown.append(DiffLine(kind, line))
    return shown


def _comparison(results: dict[str, Result]) -> list[Any]:
    """The batch report's columns, one per target: score, posting coverage, top findings."""
    from tailor.batch.report import TOP_FINDINGS, Column
    from tailor.critic.report import top_findings

    columns = []
    for result in results.values():
        critique = result.critique
        column = Column(critique.target_name)
        column.score = critique.score
        column.coverage = critique.coverage.score if critique.coverage is not None else None
        column.findings = top_findings(critique.findings, TOP_FINDINGS)
        columns.append(column)
    return columns
