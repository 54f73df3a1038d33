"""The LLM flags of `critique`, `rewrite`, `prep` and `batch`, declared once here and handed to
each command as one value, and the LLM client they resolve to.

typer reads a command's flags from its signature, so `with_llm_flags` adds these to the
signature of the command it decorates and gathers them into the command's `llm` parameter.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from tailor.options import LLMOptions, choose, engine_line
from tailor.providers import OUTPUT_MODES, PROVIDERS

if TYPE_CHECKING:
    from tailor.llm.client import LLMClient

R = TypeVar("R")

Provider = StrEnum("Provider", {name: name for name in PROVIDERS})  # type: ignore[misc]
PROVIDER_HELP = (
    "offline (tailor's own engine), anthropic, openai, openai-compatible (Ollama, vLLM...), "
    "or auto: Anthropic if ANTHROPIC_API_KEY is set, else OpenAI if OPENAI_API_KEY is, "
    "else offline. TAILOR_PROVIDER and the config file can set it too."
)
ProviderOption = Annotated[Provider | None, typer.Option("--provider", "-p", help=PROVIDER_HELP)]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", "-m", help="LLM model (default per provider; or TAILOR_MODEL)."),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        metavar="URL",
        help="Server for openai-compatible (default TAILOR_BASE_URL, else Ollama's).",
    ),
]
OutputMode = StrEnum("OutputMode", {name: name for name in OUTPUT_MODES})  # type: ignore[misc]
OutputModeOption = Annotated[
    OutputMode | None,
    typer.Option(
        "--output-mode",
        help="How an openai-compatible server is asked for JSON: json_schema, json_object "
        "(with the schema), prompt (the schema in the prompt only), or auto: the best it "
        "takes, stepping down when it refuses one, starting where it worked last time "
        "(default: TAILOR_OUTPUT_MODE, the config file's output_mode, else auto).",
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Ask the LLM again instead of using stored answers.")
]
RedactOption = Annotated[
    bool | None,
    typer.Option(
        "--redact/--no-redact",
        help="Send your name, contacts, address, handles, date of birth and ID numbers to the "
        "LLM as placeholders, put back in its answer. Default: on, except for a server on "
        "this machine or a private network.",
        show_default=False,
    ),
]
NoStoreOption = Annotated[
    bool,
    typer.Option(
        "--no-store",
        help="Write nothing to disk but the output you ask for: no response cache (read or "
        "written).",
    ),
]


@dataclass(frozen=True)
class LLMFlags:
    """The LLM flags of one run: the library's engine options, and what the CLI alone uses."""

    options: LLMOptions
    output_mode: str | None = None
    no_store: bool = False  # no response cache, nor the output mode a server takes


def _gathered(
    provider: Provider | None,
    model: str | None,
    base_url: str | None,
    output_mode: OutputMode | None,
    no_cache: bool,
    redact: bool | None,
    no_store: bool,
) -> LLMFlags:
    options = LLMOptions(
        provider=provider.value if provider else None,  # None: auto, as `tailor providers` shows
        model=model,
        base_url=base_url,
        cache=not (no_cache or no_store),
        redact=redact,
    )
    return LLMFlags(options, output_mode.value if output_mode else None, no_store)


_FLAGS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=flag)
    for name, flag, default in [
        ("provider", ProviderOption, None),
        ("model", ModelOption, None),
        ("base_url", BaseUrlOption, None),
        ("output_mode", OutputModeOption, None),
        ("no_cache", NoCacheOption, False),
        ("redact", RedactOption, None),
        ("no_store", NoStoreOption, False),
    ]
]


def with_llm_flags(command: Callable[..., R]) -> Callable[..., R]:
    """Give `command` the LLM flags, after its own in --help, as one `llm: LLMFlags` value."""
    signature = inspect.signature(command, eval_str=True)
    parameters = [p for p in signature.parameters.values() if p.name != "llm"] + _FLAGS

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        flags = _gathered(**{flag.name: kwargs.pop(flag.name) for flag in _FLAGS})
        return command(*args, llm=flags, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    return wrapper


@contextlib.contextmanager
def announced_client(llm: LLMFlags) -> Iterator[LLMClient | None]:
    """The LLM client the flags resolve to (None: offline), said on stderr, then closed.
    With --no-store, not even the output mode a server takes is kept for the next run."""
    choice = choose(llm.options, output_mode=llm.output_mode, remember_modes=not llm.no_store)
    if choice is None or choice.settings is None:  # auto found no key: the report says so
        yield None
        return
    from tailor.llm.client import LLMClient

    print(f"tailor: using {engine_line(choice.settings, choice.reason)}", file=sys.stderr)
    with LLMClient(choice.settings) as client:
        yield client
