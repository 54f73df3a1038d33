"""The work behind the page and the API: read what was uploaded, then critique and tailor it
with the library, as the CLI does (the same targets, the same posting, the same JSON).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal, TypeVar

from tailor import limits
from tailor.errors import UserError

if TYPE_CHECKING:
    from starlette.requests import Request

    from tailor.critic.model import Critique
    from tailor.cv.model import CV
    from tailor.llm.client import LLMClient
    from tailor.llm.config import Choice
    from tailor.options import LLMOptions
    from tailor.posting.model import JobPosting
    from tailor.rewriter.model import TailoredCV
    from tailor.targets import CompanyProfile


T = TypeVar("T")


class TooLarge(UserError):
    """An upload over the readers' limit for its kind (HTTP 413)."""


class Busy(UserError):
    """More work asked of the server than it takes on at once (HTTP 503)."""


class Gone(UserError):
    """What a request asked about is no longer there: an upload forgotten, a client gone
    (HTTP 404)."""


# work on CVs at once, of each kind: more would only share the cores and the memory. Reading
# and writing files is quick work for the cores; tailoring may wait minutes on a model. A
# request waits for its place without holding a thread (the pages stay quick to load), then
# is told to come back.
AT_ONCE = 2
WAIT_SECONDS = 120.0
POLL_SECONDS = 0.05
_PLACES = {
    "files": threading.BoundedSemaphore(AT_ONCE),
    "tailor": threading.BoundedSemaphore(AT_ONCE),
}


async def in_turn(
    kind: Literal["files", "tailor"], work: Callable[[], T], request: Request | None = None
) -> T:
    """`work`'s result, run on a worker thread once one of the places for `kind` of work is
    free: "files" (reading an upload, writing a file), or "tailor" (critique, rewrite,
    prep, letter; a model's calls included). A client that goes away while it waits
    (`request`) gets no work done for it."""
    import anyio

    places = _PLACES[kind]
    deadline = time.monotonic() + WAIT_SECONDS
    while not places.acquire(blocking=False):  # a threading semaphore: any event loop may ask
        if time.monotonic() > deadline:
            raise Busy("the server is busy with other CVs; try again in a minute")
        if request is not None and await request.is_disconnected():
            raise Gone("the client went away before its turn")
        await anyio.sleep(POLL_SECONDS)

    started = False

    def work_then_free() -> T:
        nonlocal started
        started = True
        try:
            return work()
        finally:  # freed by the thread doing the work, even if the request is cut off
            places.release()

    try:
        return await anyio.to_thread.run_sync(work_then_free)
    finally:
        if not started:  # cut off before a thread took the work up
            places.release()


# a request may carry a CV, a posting and a few profiles of the user's own
PROFILES_PER_REQUEST = 8
REQUEST_BYTES = limits.CV_BYTES + limits.POSTING_BYTES + PROFILES_PER_REQUEST * limits.DATA_BYTES


def shown_name(filename: str | None, fallback: str) -> str:
    """An uploaded file's own name, without any folder a browser sent with it: the readers go by
    its extension, and errors name it."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    return name[:200] or fallback


def read_upload(data: bytes, filename: str | None) -> CV:
    """The CV in an uploaded file, read with the CLI's limits."""
    from tailor.cv.readers import read_cv

    name = shown_name(filename, "cv")
    if len(data) > limits.CV_BYTES:
        raise TooLarge(limits.too_large(name, "CV", limits.CV_BYTES))
    return read_cv(data, name=name)


def read_posting(data: bytes, filename: str | None) -> JobPosting:
    """A job posting uploaded as a file or pasted as text, read offline as `--jd` reads it."""
    from tailor.posting.extract import extract
    from tailor.posting.reader import read_posting as read_document

    name = shown_name(filename, "posting.txt")
    if len(data) > limits.POSTING_BYTES:
        raise TooLarge(limits.too_large(name, "posting", limits.POSTING_BYTES))
    return extract(read_document(data, name=name))


def read_profile(data: bytes, filename: str | None) -> CompanyProfile:
    """A company profile of the user's own, uploaded as YAML, validated as `--target FILE` is."""
    from tailor.targets import bundled_profiles
    from tailor.targets import read_profile as validated

    name = shown_name(filename, "profile.yaml")
    if len(data) > limits.DATA_BYTES:
        raise TooLarge(limits.too_large(name, "profile", limits.DATA_BYTES))
    profile = validated(data, name=name)
    if profile.id in bundled_profiles():
        raise UserError(f"profile {name}: id {profile.id!r} is a bundled target's; give it another")
    return profile


def profiles_for(
    names: Sequence[str], own: dict[str, CompanyProfile], posting: JobPosting | None
) -> list[CompanyProfile | None]:
    """The targets named, as the CLI's critique takes them: ids or aliases of the bundled
    profiles, or the id of a profile the user gave; none named means every bundled profile,
    or the posting alone when there is one (None). A name is never a path: the server reads
    no file it was not sent."""
    from tailor.targets import bundled_profiles, names_a_file, resolve_target

    if not names:
        if posting is not None:
            return [None]
        return list(bundled_profiles().values())
    chosen: dict[str, CompanyProfile] = {}
    for name in names:
        if name in own:
            profile = own[name]
        elif names_a_file(name):
            raise UserError(
                f"target {name!r}: give a profile id here; send your own profile's YAML as a file"
            )
        else:
            profile = resolve_target(name)
        chosen.setdefault(profile.id, profile)
    return list(chosen.values())


@dataclass(frozen=True)
class Engine:
    """The LLM provider the server was started with (None: tailor's offline engine), as the
    environment, the config file and `tailor serve`'s flags chose it."""

    choice: Choice | None

    @property
    def provider(self) -> str:
        settings = self.choice.settings if self.choice else None
        return settings.provider if settings else "offline"

    def describe(self) -> str:
        """The engine in one line for the page, as the CLI says it (`options.engine_line`):
        never a key, nor what a server's address may hide one in."""
        settings = self.choice.settings if self.choice else None
        if settings is None:
            why = f" ({self.choice.reason})" if self.choice else ""
            return f"tailor's offline engine: rubric critique, extractive rewrite{why}"
        from tailor.options import engine_line

        return engine_line(settings, self.choice.reason if self.choice else "")

    @contextlib.contextmanager
    def client(self) -> Iterator[LLMClient | None]:
        """A client for one request's work, closed after; None offline."""
        settings = self.choice.settings if self.choice else None
        if settings is None:
            yield None
            return
        from tailor.llm.client import LLMClient

        with LLMClient(settings) as client:
            yield client


def critiques(
    cv: CV,
    profiles: Sequence[CompanyProfile | None],
    posting: JobPosting | None,
    client: LLMClient | None,
) -> list[Critique]:
    """One critique per target, as `tailor critique` makes them."""
    import tailor

    return [tailor.critique(cv, p, posting=posting, llm=_using(client)) for p in profiles]


def rewrites(
    cv: CV,
    profiles: Sequence[CompanyProfile | None],
    posting: JobPosting | None,
    client: LLMClient | None,
) -> list[TailoredCV]:
    """One tailored CV per target, as `tailor rewrite` makes each."""
    import tailor

    return [tailor.rewrite(cv, p, posting=posting, llm=_using(client)) for p in profiles]


def _using(client: LLMClient | None) -> LLMOptions:
    from tailor.options import LLMOptions

    return LLMOptions(client=client)


def posting_read(posting: JobPosting | None, client: LLMClient | None) -> JobPosting | None:
    """The posting as the CLI's --jd has it: read by the model once, when there is one."""
    if posting is None or client is None:
        return posting
    from tailor.api import _posting  # the CLI's --jd: the same step, on a posting read already
    from tailor.options import LLMOptions

    return _posting(posting, client, LLMOptions().fallback)
