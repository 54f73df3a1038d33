"""The library's entry points that tie the stages together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tailor.critic.model import Critique
from tailor.cv.model import CV
from tailor.errors import ProviderError, UserError
from tailor.options import OFFLINE, LLMOptions, engine
from tailor.posting.model import JobPosting
from tailor.targets import CompanyProfile, resolve_target

DEFAULT_TARGET = "frontier-lab"

if TYPE_CHECKING:
    from tailor.cover_letter.model import Letter
    from tailor.interview.model import Prep
    from tailor.llm.client import LLMClient
    from tailor.rewriter.model import TailoredCV

Result = TypeVar("Result", "Critique", "TailoredCV", "Prep", "Letter", JobPosting)


def critique(
    cv: CV | str | Path,
    target: str | Path | CompanyProfile | None = None,
    *,
    posting: JobPosting | str | Path | None = None,
    llm: LLMOptions = OFFLINE,
) -> Critique:
    """Critique `cv` for one target (a profile id, alias, profile path or CompanyProfile),
    a job posting (a `JobPosting` or a posting file), or both: the posting refines the target.

    `llm` picks the engine (`LLMOptions`): tailor's offline rubric by default, or an LLM
    provider, whose critique has the rubric's findings merged in. `LLMOptions(client=...)`
    reuses one LLM client (and its prompt cache) across calls. With a posting, the critique
    carries its `coverage`: each requirement, whether the CV shows it, and the CV's line that
    does.

    `LLMOptions.redact` (None: for anthropic and openai, not for a server of one's own) sends
    the CV's personal details (name, contacts, address, handles, date of birth, ID numbers) as
    placeholders, put back in the answer.

    `LLMOptions.fallback` (on by default): a model that fails at the task (no valid answer,
    timeouts, rate limits) gives way to the offline result, whose `fallback` says why and
    whose `usage` is what the failed answers cost; settings at fault always raise
    `ProviderError`, and so does any failure with `fallback=False`.
    """
    cv, target, posting = _arguments("critique", cv, target, posting)
    with engine(llm) as client:
        job = _posting(posting, client, llm.fallback)
        profile = _profile(target, job)
        from tailor.critic.rubric import critique_offline

        if client is None:
            result = critique_offline(cv, profile)
        else:
            from tailor.critic.llm import critique_llm

            result = _or_offline(
                lambda: critique_llm(cv, profile, client, job),
                lambda: critique_offline(cv, profile),
                "tailor's offline critique is shown instead",
                llm.fallback,
            )
    from tailor.market import market_for

    result = result.model_copy(update={"market": market_for(cv)})
    if job is None:
        return result
    from tailor.critic.coverage import with_coverage
    from tailor.posting.coverage import coverage

    return with_coverage(result, coverage(cv, job))


def rewrite(
    cv: CV | str | Path,
    target: str | Path | CompanyProfile | None = None,
    *,
    posting: JobPosting | str | Path | None = None,
    llm: LLMOptions = OFFLINE,
) -> TailoredCV:
    """Tailor `cv` for one target, a job posting, or both; every fact of the result is
    checked against `cv`.

    Offline, the user's lines are selected, reordered and trimmed. With an LLM provider they
    may be reworded too; a reworded line that states a fact `cv` does not is sent back once,
    then reverted to the user's own. `TailoredCV.unsupported` lists anything left unsupported.
    With a posting, the lines that show its requirements lead, and a skill may take the
    posting's name for it only where the CV already shows that skill. `llm` is as for
    `critique`.
    """
    cv, target, posting = _arguments("rewrite", cv, target, posting)
    with engine(llm) as client:
        job = _posting(posting, client, llm.fallback)
        profile = _profile(target, job)
        from tailor.rewriter.extractive import rewrite_offline

        if client is None:
            result = rewrite_offline(cv, profile, job)
        else:
            from tailor.rewriter.llm import rewrite_llm

            result = _or_offline(
                lambda: rewrite_llm(cv, profile, client, job),
                lambda: rewrite_offline(cv, profile, job),
                "tailor's offline rewrite (your own lines, selected and reordered) is given instead",
                llm.fallback,
            )
    if job is None:
        return result
    from tailor.posting.coverage import coverage

    return result.model_copy(update={"posting": job.label, "coverage": coverage(result.cv, job)})


def prep(
    cv: CV | str | Path,
    target: str | Path | CompanyProfile | None = None,
    *,
    posting: JobPosting | str | Path | None = None,
    llm: LLMOptions = OFFLINE,
) -> Prep:
    """Interview readiness: for each likely question (the role guide's five, the target's
    own, and the posting's must-haves), the CV lines to answer from, what a strong answer
    covers and which of it the CV shows, a mark, and the guide's salary band for the CV's
    country. With an LLM, talking points drawn from the CV's facts, each checked against it.
    """
    from tailor.interview.evidence import prep_offline

    cv, target, posting = _arguments("prep", cv, target, posting)
    with engine(llm) as client:
        job = _posting(posting, client, llm.fallback)
        profile = resolve_target(target) if isinstance(target, str) else target
        result = prep_offline(cv, profile, job)
        if client is None:
            return result
        from tailor.interview.llm import with_talking_points

        return _or_offline(
            lambda: with_talking_points(result, cv, client),
            lambda: result,
            "the prep is shown without talking points",
            llm.fallback,
        )


def letter(
    cv: CV | str | Path,
    target: str | Path | CompanyProfile | None = None,
    *,
    posting: JobPosting | str | Path,
    gaps: bool = False,
    llm: LLMOptions = OFFLINE,
) -> Letter:
    """A cover letter for `posting` (a `JobPosting` or a posting file) from `cv`, each
    paragraph with the CV lines it rests on and the requirements it answers.

    Offline, an honest draft (`Letter.draft`): the user's own best lines for the posting's
    must-haves, quoted or joined after "I", between an opening that names the role and company
    and a closing. With an LLM provider, the model's prose, in one call: every sentence that
    says something of the candidate cites CV bullets and may state only what their roles or
    projects state; a sentence about the employer only what the posting says. A sentence that
    fails is sent back once, then left out, and named in its paragraph's `left_out` with the
    reason. `gaps` adds a line on the must-haves the CV does not show yet. `target` (optional)
    lets a kind of employer decide which evidence leads. `llm` is as for `critique`.
    """
    from tailor.cover_letter.draft import letter_offline
    from tailor.cover_letter.report import header_of

    if posting is None:
        raise TypeError("letter: a letter answers a job posting; give posting=")
    cv, target, given = _arguments("letter", cv, target, posting)
    profile = resolve_target(target) if isinstance(target, str) else target
    with engine(llm) as client:
        job = _posting(given, client, llm.fallback)
        assert job is not None
        if client is None:
            result = letter_offline(cv, job, profile, gaps=gaps)
        else:
            from tailor.cover_letter.llm import letter_llm

            result = _or_offline(
                lambda: letter_llm(cv, job, profile, client, gaps=gaps),
                lambda: letter_offline(cv, job, profile, gaps=gaps),
                "tailor's offline draft of your own lines is given instead",
                llm.fallback,
            )
    source = cv.origin.path if cv.origin is not None else None
    return result.model_copy(update={"header": header_of(cv), "cv": source})


def load_posting(
    path: str | Path,
    *,
    llm: LLMOptions = OFFLINE,
) -> JobPosting:
    """Read a job posting (.txt .md .html .pdf .json, or - for stdin) into its requirements
    and keywords: offline by tailor's reading, or with an LLM provider by the model's, held to
    the posting's own words."""
    from tailor.posting import load_posting as read_offline

    posting = read_offline(_path_argument("load_posting", "path", path))
    with engine(llm) as client:
        return _posting(posting, client, llm.fallback) or posting


def render(
    cv: CV | TailoredCV | Letter,
    path: str | Path,
    *,
    section_order: Sequence[str] | None = None,
    overwrite: bool = True,
    theme: str | None = None,
) -> Path:
    """Write `cv` to `path` in the format its extension names (.md .json .html .docx .pdf,
    .rendercv.yaml), in `theme` (None: the default; `tailor.renderers.themes`).

    A `TailoredCV` is written in its target's section order. A `Letter` is written under its
    CV's header (.md .txt .html .docx .pdf, or .json for the whole letter with its notes). The
    file is written atomically; with `overwrite=False` an existing file is an error. The file
    the CV was read from is never replaced, even with `overwrite`: it is the user's only full
    copy.
    """
    from tailor.cover_letter.model import Letter
    from tailor.cv.layout import DEFAULT_ORDER
    from tailor.renderers import output_suffix, render_bytes, renderer_for, write_file
    from tailor.rewriter.model import TailoredCV

    if not isinstance(cv, CV | TailoredCV | Letter):
        raise TypeError(f"render: cv must be a CV, TailoredCV or Letter, not {type(cv).__name__}")
    target = _path_argument("render", "path", path)
    from tailor.renderers.themes import theme_named

    theme_named(theme)  # an unknown theme fails before any work is done
    if isinstance(cv, Letter):
        from tailor.cover_letter.report import check_path, file_bytes

        check_path(target)
        _refuse_source(target, cv.cv)
        write_file(target, file_bytes(cv, target, theme=theme), overwrite=overwrite)
        return target
    renderer_for(target)  # an unknown extension fails before any work is done
    source = (cv if isinstance(cv, CV) else cv.cv).origin
    _refuse_source(target, source.path if source is not None else None)
    unknown = [kind for kind in section_order or [] if kind not in DEFAULT_ORDER]
    if unknown:
        raise UserError(f"unknown section {unknown[0]!r}; use {', '.join(DEFAULT_ORDER)}")
    if not isinstance(cv, CV):
        section_order = section_order or cv.section_order
        cv = cv.cv
    data = render_bytes(cv, output_suffix(target), section_order, theme=theme)
    write_file(target, data, overwrite=overwrite)
    return target


def _refuse_source(target: Path, source: str | None) -> None:
    from tailor.renderers import is_same_file

    if source and is_same_file(target, Path(source)):
        raise UserError(
            f"{target} is the CV this was read from; write to another file "
            "(tailor never replaces your source)"
        )


def _arguments(
    function: str, cv: object, target: object, posting: object
) -> tuple[CV, str | CompanyProfile | None, JobPosting | str | Path | None]:
    """A call's CV, target and posting checked, each error naming its parameter; a CV given
    as a path is read, and a target given as a path is a profile file's."""
    checked_target = _target_argument(function, str(target) if isinstance(target, Path) else target)
    checked_posting = _posting_argument(function, posting)
    return _cv_argument(function, cv), checked_target, checked_posting


def _path_argument(function: str, parameter: str, value: object) -> Path:
    if not isinstance(value, str | Path):
        raise TypeError(
            f"{function}: {parameter} must be a str or Path, not {type(value).__name__}"
        )
    return Path(value)


def _cv_argument(function: str, cv: object) -> CV:
    """The CV a library call was given: a CV, or the path of a CV file to read."""
    if isinstance(cv, CV):
        return cv
    if isinstance(cv, str | Path):
        from tailor.cv.readers import load_cv

        return load_cv(cv)
    raise TypeError(
        f"{function}: cv must be a CV or the path of a CV file, not {type(cv).__name__}"
    )


def _target_argument(function: str, target: object) -> str | CompanyProfile | None:
    if target is None or isinstance(target, str | CompanyProfile):
        return target
    raise TypeError(
        f"{function}: target must be a profile id, a profile file's path or a CompanyProfile, "
        f"not {type(target).__name__}"
    )


def _posting_argument(function: str, posting: object) -> JobPosting | str | Path | None:
    if posting is None or isinstance(posting, JobPosting | str | Path):
        return posting
    raise TypeError(
        f"{function}: posting must be a JobPosting or the path of a posting file, "
        f"not {type(posting).__name__}"
    )


def _profile(target: str | CompanyProfile | None, posting: JobPosting | None) -> CompanyProfile:
    """The target's profile, refined by the posting; without a target, the posting's own
    profile; without either, the default target."""
    if target is None and posting is None:
        target = DEFAULT_TARGET
    profile = (
        target if isinstance(target, CompanyProfile) or target is None else resolve_target(target)
    )
    if posting is None:
        assert profile is not None
        return profile
    from tailor.posting.profile import profile_for

    return profile_for(posting, profile)


def _posting(
    posting: JobPosting | str | Path | None, client: LLMClient | None, fallback: bool
) -> JobPosting | None:
    """The posting, read from its file if given as one, and read by the model when there is
    one (once: a posting the model has read is passed on as it is)."""
    if posting is None:
        return None
    if not isinstance(posting, JobPosting):
        from tailor.posting import load_posting as read_offline

        posting = read_offline(posting)
    if client is None or posting.extracted_by != "offline" or posting.fallback:
        return posting  # read already: by a model, or by tailor when the model failed at it
    from tailor.posting.llm import extract_llm

    offline = posting
    return _or_offline(
        lambda: extract_llm(offline, client),
        lambda: offline,
        "tailor's own reading is used",
        fallback,
    )


def _or_offline(
    llm_step: Callable[[], Result], offline: Callable[[], Result], instead: str, fallback: bool
) -> Result:
    """The LLM step's result; if the model or its server fails at the task (no valid answer,
    timeouts, rate limits) and `fallback` is on, the offline result, saying why in its
    `fallback` and carrying what the failed answers cost. Settings at fault (a refused key, an
    unknown model, no server) still raise: only the user can fix them."""
    try:
        return llm_step()
    except ProviderError as error:
        if error.setup or not fallback:
            raise
        import logging

        logging.getLogger("tailor.llm").info("falling back to the offline engine: %s", error)
        return offline().model_copy(
            update={"fallback": f"{error}{error.spent()}; {instead}", "usage": error.usage}
        )
