"""`tailor serve`: the local web page (and JSON API) over the library."""

from __future__ import annotations

import contextlib
import dataclasses
import ipaddress
import os
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tailor.cli.app import handle_user_errors
from tailor.cli.llm_options import LLMFlags, with_llm_flags
from tailor.errors import UserError

if TYPE_CHECKING:
    from tailor.serve.jobs import Engine
    from tailor.targets import CompanyProfile


@handle_user_errors
@with_llm_flags
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Anything but this machine (127.0.0.1, ::1, localhost) "
            "lets others on the network use the page and read what is uploaded.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")
    ] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the web browser.")
    ] = False,
    target: Annotated[
        list[Path] | None,
        typer.Option(
            "--target",
            "-t",
            metavar="FILE",
            help="A company profile of your own (.yaml) to offer beside the bundled targets. "
            "Repeat for several.",
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="NAME",
            help="A name the page may be reached by, beside its addresses, localhost and this "
            "machine's own name: a reverse proxy's, or the machine's on the network "
            "(cv-box.example.lan). Any other name is refused, as a page rebinding its own "
            "name to this machine would send it. Repeat for several.",
        ),
    ] = None,
    *,
    llm: LLMFlags,
) -> None:
    """Open a local web page to upload a CV, read each target's critique on its lines, keep or
    undo each change of the rewrite, and download the result in any format and theme.

    A JSON API serves the same results (/api/read, /api/critique, /api/rewrite, /api/render;
    its docs at /docs). Uploads are kept in memory; nothing is written to disk but parsing's
    temporary files, in a folder removed when the server stops (Ctrl+C or SIGTERM). A model's
    answers are not cached.
    """
    from tailor.options import choose
    from tailor.serve.jobs import Engine
    from tailor.targets import bundled_profiles, load_profile

    profiles = {profile.id: profile for profile in (load_profile(path) for path in target or [])}
    for profile_id in profiles:
        if profile_id in bundled_profiles():
            raise UserError(f"profile id {profile_id!r} is a bundled target's; give yours another")
    listening = _listen(host, port)  # first: the address it binds to says who can reach it
    loopback = ipaddress.ip_address(listening.getsockname()[0]).is_loopback
    names = frozenset(allow_host or []) | ({socket.gethostname(), socket.getfqdn()} - {""})
    if not _is_address(host):
        names |= {host}  # the name it was started with (localhost, or one of /etc/hosts)
    if not loopback:
        print(
            f"tailor: warning: listening on {host}: anyone who can reach this machine can use "
            "the page and see what is uploaded to it",
            file=sys.stderr,
        )
    folder = Path(tempfile.mkdtemp(prefix="tailor-serve-"))  # mode 0700, the owner's only
    saved = _Saved.now()
    # from here on, Ctrl+C or SIGTERM ends in the cleanup below; uvicorn, once it has stopped,
    # raises the signal it caught again with this handler (for SIGTERM, rather than the
    # default, which would end the process before the folder is removed)
    signal.signal(signal.SIGTERM, _stop)
    server = None
    try:
        with contextlib.suppress(KeyboardInterrupt, _Stop):
            tempfile.tempdir = str(folder)  # an upload being parsed, a PDF being set
            os.environ["TMPDIR"] = str(folder)
            # no response cache: a model's answers quote the CV, and would outlive the server
            options = dataclasses.replace(llm.options, cache=False)
            choice = choose(options, output_mode=llm.output_mode, remember_modes=False)
            engine = Engine(choice)
            server = _server(_app(engine, profiles, loopback, names), engine, listening, host)
            if open_browser:
                _open_later(_url(host, listening))
            server.run(sockets=[listening])
    finally:
        for stop in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl+C cannot cut this short
            signal.signal(stop, signal.SIG_IGN)
        shutil.rmtree(folder, ignore_errors=True)
        listening.close()
        if server is None or not server.started:
            saved.restore()  # no server ran: the process goes on as it was (a caller's own)
    print("tailor: stopped; the uploads and the temporary folder are gone", file=sys.stderr)
    if server is not None and server.started:
        sys.stdout.flush()
        sys.stderr.flush()
        # a request cut off by the stop may still be working in a worker thread (waiting on
        # a model, say), which Python would wait for: the process ends here, its work with it
        os._exit(0)


@dataclasses.dataclass(frozen=True)
class _Saved:
    """What `serve` changes of the process, to put back when it serves nothing after all."""

    interrupt: Any
    terminate: Any
    tempdir: str | None
    environ: str | None

    @classmethod
    def now(cls) -> _Saved:
        return cls(
            signal.getsignal(signal.SIGINT),
            signal.getsignal(signal.SIGTERM),
            tempfile.tempdir,
            os.environ.get("TMPDIR"),
        )

    def restore(self) -> None:
        signal.signal(signal.SIGINT, self.interrupt)
        signal.signal(signal.SIGTERM, self.terminate)
        tempfile.tempdir = self.tempdir
        if self.environ is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = self.environ


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _app(
    engine: Engine, profiles: dict[str, CompanyProfile], loopback: bool, names: frozenset[str]
) -> Any:
    from tailor.serve.app import create_app

    return create_app(engine, profiles=profiles, loopback_only=loopback, names=names)


class _Stop(Exception):
    """SIGTERM: stop as Ctrl+C does, so the temporary folder is removed."""


def _stop(signum: int, frame: object) -> None:
    raise _Stop


def _server(app: Any, engine: Engine, listening: socket.socket, host: str) -> Any:
    """The uvicorn server for `app`, its address said on stderr."""
    import uvicorn

    # uvicorn's own log says only what tailor cannot: its messages on stopping (a request cut
    # off) are not the user's concern, and tailor says it stopped
    config = uvicorn.Config(
        app,
        log_level="critical",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=3,
    )
    url = _url(host, listening)
    print(f"tailor: engine: {engine.describe()}", file=sys.stderr)
    print(f"tailor: serving {url} (the API's docs at {url}docs); Ctrl+C stops it", file=sys.stderr)
    return uvicorn.Server(config)


def _url(host: str, listening: socket.socket) -> str:
    """The page's address: the host as given, an IPv6 address in brackets, 127.0.0.1 for
    every address of the machine."""
    bare = host.strip("[]")
    shown = "127.0.0.1" if bare in ("0.0.0.0", "::") else f"[{bare}]" if ":" in bare else bare
    return f"http://{shown}:{listening.getsockname()[1]}/"


def _open_later(url: str) -> None:
    import threading
    import webbrowser

    threading.Timer(1.0, webbrowser.open, args=(url,)).start()


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0: any free one), or one line saying why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host.strip("[]"), port))
    except OSError as error:  # the port is taken, or the address is not this machine's
        listening.close()
        raise UserError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    listening.listen(64)
    return listening
