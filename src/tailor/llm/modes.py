"""How an OpenAI-compatible server is asked for JSON, and what each server was found to take.

Local servers differ in what they accept for `response_format`, so tailor has a ladder of
rungs, best first, and steps down one when the server refuses a rung with a message that
names the response format (whatever the HTTP status: llama-cpp-python answers 500):

    json_schema          response_format json_schema, the schema enforced (strict)
    json_object+schema   response_format {"type": "json_object", "schema": ...}: llama.cpp and
                         others enforce the schema as a grammar; the rest ignore the key
    json_object          json_object alone, only when the server refused the `schema` key
    prompt               no response_format: the schema in the prompt only

Every rung but the first also says the schema in the prompt, and every answer is validated.
`--output-mode` pins a mode (json_object keeps both of its rungs); `auto` is the whole ladder.

Where a server starts is remembered per base URL, for the process and, unless the settings
say not to (`--no-store`), in `server-modes.json` in tailor's cache folder (0600), so the next
run starts at the rung that worked. A pinned mode that works is remembered too: pinning
json_schema once re-learns an upgraded server. `tailor cache clear` forgets them all.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from tailor.llm.cache import FILE_MODE, FOLDER_MODE, SERVER_MODES_FILE, default_folder

RUNGS = ("json_schema", "json_object+schema", "json_object", "prompt")
PINNED: dict[str, tuple[str, ...]] = {
    "auto": RUNGS,
    "json_schema": RUNGS[:1],
    "json_object": RUNGS[1:3],
    "prompt": RUNGS[3:],
}
# a refusal that says the structured-output request is what the server cannot take
FORMAT_REFUSED = re.compile(
    r"response[_ ]format|json[_ ]schema|json[_ ]object|structured[_ -]output|"
    r"output[_ ]format|grammar",
    re.IGNORECASE,
)
# ... and one that names the `schema` key itself (not json_schema): the server may take
# json_object without it
SCHEMA_KEY_REFUSED = re.compile(r"(?<![\w-])schema\b", re.IGNORECASE)

_lock = threading.Lock()
_known: dict[str, str] = {}  # server -> the rung to start from, in this process


def ladder(mode: str, start: str) -> tuple[str, ...]:
    """The rungs to try for output mode `mode`, from the remembered `start`; a pinned mode
    whose rungs are all above `start` is tried all the same."""
    rungs = PINNED[mode]
    rest = tuple(rung for rung in rungs if RUNGS.index(rung) >= RUNGS.index(start))
    return rest or rungs


def after_refusal(rung: str, message: str) -> str | None:
    """The rung below `rung` for a server that refused it saying `message` (None: none is)."""
    if rung == "json_object+schema" and not SCHEMA_KEY_REFUSED.search(message):
        return "prompt"  # json_object itself was refused, not the schema that came with it
    index = RUNGS.index(rung) + 1
    return RUNGS[index] if index < len(RUNGS) else None


def server_key(base_url: str | None) -> str:
    """The server a memory is for: its URL without credentials, query or fragment."""
    parts = urlsplit(base_url or "")
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path.rstrip('/')}" if host else ""


def first_rung(server: str, *, disk: bool) -> str:
    """Where `server` starts: as this process found, else as the last run did."""
    with _lock:
        if server not in _known and disk:
            stored = _read(_path()).get(server)
            if stored in RUNGS:
                _known[server] = stored
        return _known.get(server, RUNGS[0])


def step_down(server: str, rung: str, *, disk: bool) -> None:
    """Start `server` at `rung` from now on (and in later runs, with `disk`), unless it
    already starts lower (another request found more refused)."""
    _set(server, rung, disk=disk, when=lambda now: RUNGS.index(rung) > RUNGS.index(now))


def worked(server: str, rung: str, *, disk: bool) -> None:
    """A pinned mode worked at `rung`: start there from now on if it is above where the
    server started (it was upgraded, say)."""
    _set(server, rung, disk=disk, when=lambda now: RUNGS.index(rung) < RUNGS.index(now))


def _set(server: str, rung: str, *, disk: bool, when: Callable[[str], bool]) -> None:
    with _lock:
        if not when(_known.get(server, RUNGS[0])):
            return
        _known[server] = rung
        if disk:
            _write(_path(), server, rung)


def forget() -> None:
    """Forget this process's memories (tests; the file stays)."""
    with _lock:
        _known.clear()


def _path() -> Path:
    return default_folder() / SERVER_MODES_FILE


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or damaged: start from the top
        return {}
    servers = data.get("servers") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        return {}
    return {str(k): v for k, v in servers.items() if isinstance(v, str)}


def _write(path: Path, server: str, rung: str) -> None:
    """Add one server's rung to the file, atomically, readable by its owner only. A file that
    cannot be written costs a refused request next run, nothing more."""
    servers = _read(path)
    servers[server] = rung
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            os.chmod(path.parent, FOLDER_MODE)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"version": 1, "servers": servers}, stream, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
