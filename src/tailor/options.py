"""Which engine a library call uses: one value instead of the same keywords on every call."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tailor.errors import UserError
from tailor.providers import PROVIDERS

if TYPE_CHECKING:
    from tailor.llm.client import LLMClient
    from tailor.llm.config import Choice, LLMSettings


@dataclass(frozen=True, kw_only=True)
class LLMOptions:
    """The engine for `critique`, `rewrite`, `prep`, `load_posting` and the batch.

    The default is tailor's offline engine. `provider=None` resolves the provider as the CLI
    does (TAILOR_PROVIDER, the config file, else the first API key found, else offline).
    `client` uses an LLM client the caller made and closes (its own settings then hold the
    provider, model, cache and redaction). `fallback` (on by default): a model that fails at
    the task gives way to the offline result, which says why in its `fallback`. A batch's jobs
    never fall back: a job the model fails at is recorded as failed, with the reason, for
    `tailor.batch.resume` to run again (only a posting the model cannot read is read offline).
    """

    provider: str | None = "offline"
    model: str | None = None
    base_url: str | None = None
    cache: bool = True
    redact: bool | None = None
    client: LLMClient | None = None
    fallback: bool = True


OFFLINE = LLMOptions()


def choose(
    options: LLMOptions, *, output_mode: str | None = None, remember_modes: bool = True
) -> Choice | None:
    """The provider, model and settings the options resolve to, and why; None when they name
    the offline engine. `output_mode` and `remember_modes` are the CLI's --output-mode and
    --no-store."""
    if options.provider is not None and options.provider not in PROVIDERS:
        raise UserError(f"unknown provider {options.provider!r}; use one of {', '.join(PROVIDERS)}")
    if options.provider == "offline":
        return None
    from tailor.llm.config import resolve

    return resolve(
        options.provider,
        options.model,
        options.base_url,
        cache=options.cache,
        redact=options.redact,
        output_mode=output_mode,
        remember_modes=remember_modes,
    )


def llm_client(options: LLMOptions) -> LLMClient | None:
    """A new LLM client for the options' provider as tailor resolves it, or None when that is
    the offline engine. The caller closes it."""
    choice = choose(options)
    if choice is None or choice.settings is None:
        return None
    from tailor.llm.client import LLMClient

    return LLMClient(choice.settings)


@contextlib.contextmanager
def engine(options: LLMOptions) -> Iterator[LLMClient | None]:
    """The options' own client, else a new one (closed after), else None: offline."""
    if options.client is not None:
        if options.redact is not None:
            raise UserError(
                "LLMOptions(redact=...) goes with a provider; a client has its own: LLMSettings(redact=...)"
            )
        yield options.client
        return
    made = llm_client(options)
    try:
        yield made
    finally:
        if made is not None:
            made.close()


def engine_line(settings: LLMSettings, reason: str) -> str:
    """The engine `settings` name, chosen for `reason`, in one line for the CLI's stderr and `tailor serve`'s page:
    the provider, the model, an OpenAI-compatible server's address, why it was chosen, and how
    the CV goes to it. Never a key, nor what an address may hide one in (a user and password,
    a query such as `?api-key=`)."""
    where = ""
    if settings.provider == "openai-compatible" and settings.base_url:
        where = f" at {_without_secrets(settings.base_url)}"
    named = settings.model or "(the model the server lists)"
    if settings.redacts:
        privacy = "your name, contacts, address and handles go as placeholders"
    else:
        privacy = "the CV goes as it is (--redact sends placeholders instead)"
    return f"{settings.provider} {named}{where} ({reason}); {privacy}"


def _without_secrets(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc, query="", fragment=""))
