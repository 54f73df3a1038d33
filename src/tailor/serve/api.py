"""The JSON API beside the page: the CLI's `--format json` over HTTP.

Every call is whole in itself (multipart: the CV, and its targets and posting); nothing is kept
between calls. `/api/critique` answers what `tailor critique --format json` prints for the same
CV, targets and posting, and `/api/rewrite` what `tailor rewrite --format json` prints for each
target.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from tailor.errors import UserError
from tailor.serve import jobs

if TYPE_CHECKING:
    from tailor.critic.model import Critique
    from tailor.cv.model import CV
    from tailor.posting.model import JobPosting
    from tailor.rewriter.model import TailoredCV
    from tailor.targets import CompanyProfile

router = APIRouter(prefix="/api", tags=["api"])

CvFile = Annotated[
    UploadFile, File(description="The CV: .md .txt .json .yaml .pdf .docx (or .rendercv.yaml).")
]
Targets = Annotated[
    list[str],
    Form(
        description="A target: a profile id or alias (`tailor profiles` lists them), or the id "
        "of a profile sent as `profile`. Repeat for several."
    ),
]
Posting = Annotated[
    UploadFile | None,
    File(description="A job posting (.txt .md .html .pdf .json), as `--jd` takes it."),
]
Profiles = Annotated[
    list[UploadFile],
    File(description="A company profile of your own (YAML, as `tailor profiles ID` prints one)."),
]


def _json(payload: str) -> Response:
    return Response(content=payload, media_type="application/json")


async def _inputs(
    request: Request,
    cv: UploadFile,
    target: list[str],
    jd: UploadFile | None,
    profile: list[UploadFile],
) -> tuple[CV, list[CompanyProfile | None], JobPosting | None]:
    """The request's CV, targets and posting, read (in a turn for files) as the CLI reads them."""
    if len(profile) > jobs.PROFILES_PER_REQUEST:
        raise UserError(f"send at most {jobs.PROFILES_PER_REQUEST} profiles in one request")
    cv_data, cv_name = await cv.read(), cv.filename
    posting_file = (await jd.read(), jd.filename) if jd is not None else None
    profile_files = [(await upload.read(), upload.filename) for upload in profile]
    own = dict(request.app.state.profiles)

    def read_all() -> tuple[CV, list[CompanyProfile | None], JobPosting | None]:
        document = jobs.read_upload(cv_data, cv_name)
        for data, name in profile_files:
            read = jobs.read_profile(data, name)
            own[read.id] = read
        posting = jobs.read_posting(*posting_file) if posting_file is not None else None
        return document, jobs.profiles_for(target, own, posting), posting

    return await jobs.in_turn("files", read_all, request)


@router.post("/read", summary="What tailor read of a CV (`tailor read --format json`)")
async def read(cv: CvFile) -> Response:
    from tailor.renderers import reading

    data, name = await cv.read(), cv.filename
    document = await jobs.in_turn("files", lambda: jobs.read_upload(data, name))
    return _json(json.dumps(reading.to_json(document), indent=2, ensure_ascii=False) + "\n")


@router.post(
    "/critique",
    summary="Critique a CV for each target (`tailor critique --format json`)",
    description="One target (or the posting alone): one critique. Several, or none named "
    "(every bundled target): a list, in the order given.",
)
async def critique(
    request: Request,
    cv: CvFile,
    target: Targets = [],  # noqa: B006 (FastAPI copies its defaults)
    jd: Posting = None,
    profile: Profiles = [],  # noqa: B006
) -> Response:
    document, profiles, posting = await _inputs(request, cv, target, jd, profile)
    engine: jobs.Engine = request.app.state.engine

    def work() -> list[Critique]:
        with engine.client() as client:
            return jobs.critiques(document, profiles, jobs.posting_read(posting, client), client)

    results = await jobs.in_turn("tailor", work, request)
    payload = [result.model_dump(mode="json") for result in results]
    chosen = payload[0] if len(payload) == 1 else payload
    return _json(json.dumps(chosen, indent=2, ensure_ascii=False) + "\n")


@router.post(
    "/rewrite",
    summary="Tailor a CV for each target (`tailor rewrite --format json`)",
    description="One target (or a posting alone): the tailored CV with its change log. "
    "Several: a list, one per target.",
)
async def rewrite(
    request: Request,
    cv: CvFile,
    target: Targets = [],  # noqa: B006
    jd: Posting = None,
    profile: Profiles = [],  # noqa: B006
) -> Response:
    if not target and jd is None:
        raise UserError("say what to tailor for: a target, a posting (jd), or both")
    document, profiles, posting = await _inputs(request, cv, target, jd, profile)
    results = await jobs.in_turn(
        "tailor", lambda: _rewrites(request.app.state.engine, document, profiles, posting), request
    )
    if len(results) == 1:
        return _json(results[0].model_dump_json(indent=2) + "\n")
    payload = [json.loads(result.model_dump_json()) for result in results]
    return _json(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def _rewrites(
    engine: jobs.Engine,
    document: CV,
    profiles: list[CompanyProfile | None],
    posting: JobPosting | None,
) -> list[TailoredCV]:
    with engine.client() as client:
        return jobs.rewrites(document, profiles, jobs.posting_read(posting, client), client)


@router.post(
    "/render",
    summary="A CV as a file: tailored for a target, with only the changes you keep",
    description="With a target or a posting, the CV is tailored first and `reject` names the "
    "changes (their index in the rewrite's `changes`) to undo; without either, the CV is "
    "written as tailor read it. `format`: md json html docx pdf rendercv.yaml.",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "application/octet-stream": {}}}},
)
async def render(
    request: Request,
    cv: CvFile,
    format: Annotated[str, Form(description="md json html docx pdf rendercv.yaml")] = "pdf",
    theme: Annotated[str | None, Form(description="classic, modern or compact")] = None,
    target: Annotated[str | None, Form(description="One target, as for /api/rewrite")] = None,
    reject: Annotated[list[int], Form(description="Changes to undo, by index")] = [],  # noqa: B006
    jd: Posting = None,
    profile: Profiles = [],  # noqa: B006
) -> Response:
    from tailor.serve import files

    files.check_format(format, theme)  # before any work is done
    document, profiles, posting = await _inputs(
        request, cv, [target] if target else [], jd, profile
    )
    if target is None and jd is None:
        data = await jobs.in_turn("files", lambda: files.cv_file(document, format, theme))
        return files.download(data, files.file_name(cv.filename, None, format))
    [tailored] = await jobs.in_turn(
        "tailor",
        lambda: _rewrites(request.app.state.engine, document, profiles[:1], posting),
        request,
    )
    data = await jobs.in_turn(
        "files", lambda: files.reviewed_file(document, tailored, reject, format, theme)
    )
    return files.download(data, files.file_name(cv.filename, tailored.target, format))


@router.get("/targets", summary="The targets and themes this server offers")
def targets(request: Request) -> JSONResponse:
    from tailor.renderers.themes import themes
    from tailor.targets import bundled_profiles

    own = request.app.state.profiles
    listed = [
        {"id": p.id, "name": p.name, "bundled": p.id not in own}
        for p in [*bundled_profiles().values(), *own.values()]
    ]
    return JSONResponse(
        {
            "targets": listed,
            "themes": [theme.name for theme in themes()],
            "provider": request.app.state.engine.provider,
        }
    )
