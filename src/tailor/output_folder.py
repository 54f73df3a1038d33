"""A batch's output folder: one run writes it at a time, what its manifest names stays inside
it, and no result takes the place of an input.

Two runs into one folder would each rewrite `manifest.json` from what they read at the start,
and the last to finish would erase the other's jobs; so a run holds an OS lock on `LOCK` in the
folder (flock, released by the kernel when its process dies: a killed run blocks nothing) and a
second run is refused at once. A manifest is read back from disk, where anyone may have edited
it, so the names it gives are checked before any is read, linked or written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PureWindowsPath

from tailor.errors import UserError

LOCK = ".tailor.lock"
_PART = re.compile(r"[A-Za-z0-9._+-]+")  # what `jobs` makes of a name: a slug, a suffix


@contextmanager
def held(folder: Path) -> Iterator[None]:
    """Hold `folder` for one run: made if missing; refused if another run holds it."""
    from filelock import FileLock, Timeout

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot make {folder}: {error.strerror or error}") from None
    lock = FileLock(folder / LOCK, blocking=False)
    try:
        lock.acquire()
    except Timeout:
        raise UserError(
            f"another tailor batch is writing to {folder}; wait for it to end or use another "
            "--out-dir"
        ) from None
    except OSError as error:
        raise UserError(f"cannot lock {folder}: {error.strerror or error}") from None
    try:
        yield
    finally:
        lock.release()


def bad_name(name: str) -> str | None:
    """Why `name` is not a relative path inside a folder, as tailor names its files; None when
    it is. Text only: a symlink on the way is `leads_outside`'s to find."""
    if PureWindowsPath(name).anchor:  # "/etc", "\\server", "C:": each an absolute path
        return "an absolute path, outside the output folder"
    parts = name.split("/")
    if ".." in parts:
        return "'..' leads out of the output folder"
    if any(part == "." or not _PART.fullmatch(part) for part in parts):
        return "not a file name tailor writes"
    return None


def leads_outside(folder: Path, name: str) -> bool:
    """Whether `folder / name` resolves outside `folder` (a symlink on the way, or a loop)."""
    try:
        root = folder.resolve()
        return not (root / name).resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a symlink loop: nothing to trust
        return True


def inside(folder: Path, name: str) -> bool:
    """Whether `name` is a file name in `folder` that stays there."""
    return bad_name(name) is None and not leads_outside(folder, name)


def overwritten(outputs: Iterable[Path], inputs: Iterable[str]) -> tuple[Path, str] | None:
    """The first output that is one of the inputs (the same file, by whatever path or link),
    with that input; None when no output is an input."""
    files: dict[tuple[int, int], str] = {}
    for name in inputs:
        try:
            status = os.stat(name)
        except (OSError, ValueError):  # missing or unreadable: its job fails, nothing to spare
            continue
        files.setdefault((status.st_dev, status.st_ino), name)
    for path in outputs:
        try:
            status = os.stat(path)
        except (OSError, ValueError):  # not written yet, so no input's
            continue
        found = files.get((status.st_dev, status.st_ino))
        if found is not None:
            return path, found
    return None
