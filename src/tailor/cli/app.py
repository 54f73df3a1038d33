"""The typer app: its global options, its exit codes, and the one way an error is printed."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Annotated, NoReturn, ParamSpec, TypeVar

import typer
from typer.exceptions import TyperException

from tailor.errors import ProviderError, TailorError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_BUG = 1  # a bug of tailor's
EXIT_USER_ERROR = 2  # a usage mistake or an input tailor cannot use
EXIT_SOME_FAILED = 3  # a batch ran, but some of its jobs failed
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="tailor",
    help="Critique and tailor an AI/ML engineer's CV for a kind of employer. Offline by default.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: typer's rich panels print "<bool>" beside every flag
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def handle_user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn tailor's errors into one line on stderr and exit code 2, never a traceback.

    Set TAILOR_DEBUG=1 to see the traceback of an unexpected error.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ProviderError as error:
            fail(str(error), code=EXIT_USER_ERROR, note=error.spent())
        except TailorError as error:
            fail(str(error), code=EXIT_USER_ERROR)
        except typer.Exit:  # a command's own exit code (batch: some jobs failed)
            raise
        except KeyboardInterrupt:
            fail("interrupted", code=EXIT_INTERRUPTED)
        except Exception as error:  # a bug of ours: still one line, unless debugging
            if os.environ.get("TAILOR_DEBUG"):
                raise
            fail(
                f"internal error ({type(error).__name__}); rerun with TAILOR_DEBUG=1 for details",
                code=EXIT_BUG,
            )

    return wrapper


_ERROR_CHARACTERS = 1_000  # an error line may quote a server's or a file's words: cut to this


def fail(message: str, *, code: int, note: str = "") -> NoReturn:
    """Print `message`'s first line (cut to a bounded length) as tailor's error and exit."""
    first_line = message.strip().splitlines()[0] if message.strip() else "failed"
    if len(first_line) > _ERROR_CHARACTERS:
        first_line = first_line[:_ERROR_CHARACTERS] + " [...]"
    print(f"tailor: error: {first_line}{note}", file=sys.stderr)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        from tailor import __version__

        print(f"tailor {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Log each LLM call (provider, model, tokens, cost, time, cache hits) to "
            "stderr. Never the CV or a key.",
        ),
    ] = False,
) -> None:
    """Critique and tailor an AI/ML engineer's CV for a kind of employer. Offline by default."""
    if verbose:
        import logging

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("tailor: %(message)s"))
        logger = logging.getLogger("tailor")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def main() -> None:
    """Entry point of the `tailor` console script.

    Usage mistakes (a missing argument, an unknown option or value) are reported like every
    other input error: one line on stderr and exit code 2.
    """
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        print("tailor: error: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    except TyperException as error:  # a usage error
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        if type(error).__name__ == "NoArgsIsHelpError":  # `tailor` alone: its message is the help
            print(message)
        else:
            context = getattr(error, "ctx", None)
            command = context.command_path if context is not None else "tailor"
            print(f"tailor: error: {message} (see '{command} --help')", file=sys.stderr)
        code = getattr(error, "exit_code", EXIT_USER_ERROR)
    sys.exit(code if isinstance(code, int) else 0)
