"""The web app: the page, the JSON API, the API's docs and the static files, behind the guard.

`create_app` builds it for `tailor serve` (uvicorn) and for tests (httpx's ASGI transport).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tailor.errors import ProviderError, TailorError
from tailor.serve import api, jobs, page
from tailor.serve.guard import Guard
from tailor.serve.store import Store
from tailor.version import __version__

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from tailor.targets import CompanyProfile

log = logging.getLogger("tailor.serve")


def create_app(
    engine: jobs.Engine | None = None,
    *,
    profiles: dict[str, CompanyProfile] | None = None,
    loopback_only: bool = True,
    names: frozenset[str] = frozenset(),
) -> ASGIApp:
    """The app, offline unless `engine` names a provider; `profiles` are the user's own targets,
    offered beside the bundled ones. `loopback_only` serves only requests that name this
    machine's loopback address as their host (the default bind, 127.0.0.1); otherwise a
    request may name any address of the server, or one of `names` (its host names)."""
    app = FastAPI(
        title="tailor",
        version=__version__,
        summary="Critique and tailor a CV for a kind of employer; nothing invented.",
        docs_url=None,  # the docs page below loads Swagger UI from this server, not a CDN
        redoc_url=None,
    )
    app.state.engine = engine or jobs.Engine(None)
    app.state.profiles = dict(profiles or {})
    app.state.store = Store()
    app.include_router(api.router)
    app.include_router(page.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.add_api_route("/docs", _docs, include_in_schema=False, response_class=HTMLResponse)
    app.add_exception_handler(TailorError, _tailor_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _bug)
    return Guard(app, limit=jobs.REQUEST_BYTES, loopback_only=loopback_only, names=names)


def _docs(request: Request) -> HTMLResponse:
    return page.templates().TemplateResponse(request, "docs.html.j2", {})


async def _tailor_error(request: Request, error: Exception) -> Response:
    """A bad input or a provider's failure: one line, as the CLI would print it."""
    if isinstance(error, jobs.TooLarge):
        status = 413
    elif isinstance(error, jobs.Gone):
        status = 404
    elif isinstance(error, jobs.Busy):
        status = 503
    elif isinstance(error, ProviderError):
        status = 502
    else:
        status = 400
    detail = str(error).strip().splitlines()[0] if str(error).strip() else "failed"
    if isinstance(error, ProviderError):
        detail += error.spent()
    return await _answer(request, detail, status)


async def _invalid(request: Request, error: Exception) -> Response:
    """A form field missing or of the wrong kind: one line naming the field, never its value
    (FastAPI's own answer echoes what was sent, which may be the CV)."""
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0] if error.errors() else {}
    field = ".".join(str(part) for part in first.get("loc", ())[1:]) or "the request"
    message = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
    return await _answer(request, f"{field}: {message[:1].lower()}{message[1:]}", 400)


async def _http_error(request: Request, error: Exception) -> Response:
    """Starlette's own refusals (an unknown address, a form part over its size): one line."""
    assert isinstance(error, StarletteHTTPException)
    return await _answer(request, str(error.detail).strip().splitlines()[0], error.status_code)


async def _bug(request: Request, error: Exception) -> Response:
    """A bug of tailor's: its kind only (the message could quote the CV), never a traceback;
    logged by the route, not the address, which holds an upload's token."""
    route = getattr(request.scope.get("route"), "path", "?")
    log.error("internal error on %s: %s", route, type(error).__name__)
    return await _answer(request, f"internal error ({type(error).__name__})", 500)


async def _answer(request: Request, detail: str, status: int) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return JSONResponse({"detail": detail}, status_code=status)
    import anyio

    # drawn on a worker thread: a workspace's page rebuilds its review
    return await anyio.to_thread.run_sync(page.error_page, request, detail, status)
