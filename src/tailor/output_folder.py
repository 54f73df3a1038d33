"""A batch's output folder: one run writes it at a time.

Two runs into one folder would each rewrite `manifest.json` from what they read at the start,
and the last to finish would erase the other's jobs; so a run holds an OS lock on `LOCK` in the
folder (flock, released by the kernel when its process dies: a killed run blocks nothing) and a
second run is refused at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tailor.errors import UserError

LOCK = ".tailor.lock"


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
