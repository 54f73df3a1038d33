"""A response cache on disk: an identical request returns the stored answer, with no call.

The key is a hash of everything that shapes the answer (provider, model, server, messages,
schema, settings), so the file names say nothing about the CV. The folder is readable by its
owner only (0700) and so is each file (0600). Beside the answers, `server-modes.json` keeps the
structured-output mode each OpenAI-compatible server takes (tailor.llm.modes). `tailor cache
clear` removes it all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any

log = logging.getLogger("tailor.llm")
_STORED = re.compile(r"[0-9a-f]{64}\.json")
FOLDER_MODE = 0o700
FILE_MODE = 0o600
SERVER_MODES_FILE = "server-modes.json"  # written by tailor.llm.modes


def default_folder() -> Path:
    """The user's cache folder for tailor's responses (TAILOR_CACHE_DIR names another)."""
    if custom := os.environ.get("TAILOR_CACHE_DIR"):
        return Path(custom)
    from platformdirs import user_cache_path

    return user_cache_path("tailor") / "responses"


def request_key(request: dict[str, Any]) -> str:
    """A stable hash of a request (its JSON with sorted keys)."""
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    """Stored answers by request key, one small JSON file each."""

    def __init__(self, folder: Path | None = None) -> None:
        # tailor's own folder is kept private even if it was made open; a folder the user
        # named (TAILOR_CACHE_DIR=/tmp, say) keeps its mode, and only what tailor creates in
        # it is private
        self._own_folder = folder is None and "TAILOR_CACHE_DIR" not in os.environ
        self.folder = folder or default_folder()

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            stored: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # missing, unreadable or damaged: a miss
            return None
        return stored

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store an answer. A cache that cannot be written is skipped, with a warning: the
        answer was paid for and is returned all the same."""
        path = self._path(key)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            _private_folders(self.folder, path.parent, own_root=self._own_folder)
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(entry, stream, ensure_ascii=False)
            os.replace(temporary, path)
        except OSError as error:
            log.warning(
                "the response cache in %s cannot be written (%s)", self.folder, error.strerror
            )
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def clear(self) -> int:
        """Remove every stored answer; returns how many there were.

        Only files this cache wrote are removed (`ab/<64 hex>.json`, and temporary files),
        and the server modes remembered beside them, then the folders they leave empty: a
        cache folder set by mistake to a folder of other files loses none of them.
        """
        if not self.folder.is_dir():
            return 0
        (self.folder / SERVER_MODES_FILE).unlink(missing_ok=True)
        count = 0
        for path in [*self.folder.glob("??/*.json"), *self.folder.glob("??/.*.tmp")]:
            if path.suffix == ".tmp" or _STORED.fullmatch(path.name):
                path.unlink(missing_ok=True)
                count += path.suffix == ".json"
        for sub in self.folder.glob("??"):
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()
        if not any(self.folder.iterdir()):
            self.folder.rmdir()
        return count

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"


def _private_folders(root: Path, folder: Path, *, own_root: bool) -> None:
    """Make the cache root and a key folder readable by the owner only: a folder tailor
    creates, a key folder, and the root when it is tailor's own."""
    for path in (root, folder):
        existed = path.is_dir()
        path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        if not existed or path is folder or own_root:
            os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask
