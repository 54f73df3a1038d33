"""`tailor providers`: which LLM provider and model tailor would use, and a check that it works."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from tailor.cli.app import handle_user_errors
from tailor.cli.llm_options import OutputModeOption
from tailor.wording import counted


@handle_user_errors
def providers(
    provider: Annotated[
        str | None,
        typer.Option(
            "--provider",
            "-p",
            metavar="PROVIDER",
            help="auto, offline, anthropic, openai or openai-compatible "
            "(default: TAILOR_PROVIDER, the config file, else auto).",
        ),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Model name (default per provider).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Server for openai-compatible (default: TAILOR_BASE_URL, else Ollama's "
            "http://localhost:11434/v1).",
        ),
    ] = None,
    output_mode: OutputModeOption = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Send one tiny request (no CV) to prove the provider answers in the "
            "structured form tailor needs; prints its tokens, cost and time.",
        ),
    ] = False,
) -> None:
    """Show which LLM provider and model tailor would use, and check that it works."""
    from tailor.llm import config

    mode = output_mode.value if output_mode else None
    choice = config.resolve(provider, model, base_url, cache=False, output_mode=mode)
    print(f"config file: {config.default_config_file()}")
    for name in ("anthropic", "openai"):
        variable = config.KEY_VARIABLES[name]
        state = "set" if os.environ.get(variable) else "not set"
        print(f"{variable}: {state}")
    settings = choice.settings
    if settings is None:
        print(f"provider: offline ({choice.reason})")
        return
    print(f"provider: {settings.provider} ({choice.reason})")
    print(f"model: {settings.model or 'the one the server lists (GET /v1/models)'}")
    if settings.base_url:
        print(f"base URL: {settings.base_url}")
    if settings.local_server:
        print(f"output mode: {settings.output_mode}")
    if check:
        from tailor.llm.check import check_provider

        usage = check_provider(settings)
        if not settings.model:
            print(f"the server's model: {usage.model}")
        cost = f"${usage.cost_usd:.6f}" if usage.cost_usd is not None else "cost unknown"
        print(
            f"check: answered in {usage.latency_s:.2f} s with valid structured output "
            f"({usage.input_tokens} tokens in, {usage.output_tokens} out, {cost}, "
            f"{counted(usage.requests, 'request')})"
        )
