"""`tailor cache`: the LLM response cache in the user's cache folder."""

from __future__ import annotations

import typer

from tailor.cli.app import handle_user_errors
from tailor.wording import counted

cache_app = typer.Typer(
    help="The LLM response cache in your user cache folder.", no_args_is_help=True
)


@cache_app.command("clear")
@handle_user_errors
def clear() -> None:
    """Delete every stored LLM answer."""
    from tailor.llm.cache import ResponseCache

    cache = ResponseCache()
    removed = cache.clear()
    print(f"removed {counted(removed, 'stored answer')} from {cache.folder}")


@cache_app.command("path")
@handle_user_errors
def path() -> None:
    """Print the cache folder."""
    from tailor.llm.cache import ResponseCache

    print(ResponseCache().folder)
