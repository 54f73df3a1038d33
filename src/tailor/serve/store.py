"""What the page remembers between requests: one workspace per upload, in memory.

A workspace is found by an unguessable token (in the page's address, never a cookie), so one
browser tab's CV is never shown to a request that does not hold its token. The store keeps a
bounded number of workspaces and forgets the oldest; nothing is written to disk.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tailor.cover_letter.model import Letter
    from tailor.critic.model import Critique
    from tailor.cv.model import CV
    from tailor.posting.model import JobPosting
    from tailor.rewriter.model import TailoredCV
    from tailor.targets import CompanyProfile

WORKSPACES = 32  # open uploads kept; the oldest is forgotten first
BUDGET = 512 * 2**20  # and about this much memory for them all (a CV at the limits takes 20 MB)
TOKEN_BYTES = 32


@dataclass
class Result:
    """One target's critique and rewrite of the workspace's CV."""

    profile: CompanyProfile | None  # None: the posting alone
    critique: Critique
    tailored: TailoredCV
    letter: Letter | None = None  # written when first asked for (a posting's only)
    rejected: list[int] = field(default_factory=list)  # the changes the user unticked
    # one letter at a time: two requests at once must not ask a model twice
    writing: threading.Lock = field(default_factory=threading.Lock, repr=False)


@dataclass
class Workspace:
    """One uploaded CV, what it is tailored for, and the results so far."""

    token: str
    filename: str
    cv: CV
    posting: JobPosting | None = None
    profiles: dict[str, CompanyProfile] = field(default_factory=dict)  # uploaded by the user
    results: dict[str, Result] = field(default_factory=dict)  # by target id, in the order run
    weight: int = 0  # the memory it takes, roughly: its CV's JSON, once for each result too
    forgotten: bool = False  # the user asked to forget it: a run still going may not bring it back

    def weigh(self) -> None:
        self.weight = len(self.cv.model_dump_json()) * (4 + 4 * len(self.results))


class WorkspaceForgotten(Exception):
    """The user had the workspace forgotten while a run for it went on."""


class Store:
    """The open workspaces, by token; safe to use from the server's worker threads."""

    def __init__(self, capacity: int = WORKSPACES, budget: int = BUDGET) -> None:
        self._capacity = capacity
        self._budget = budget
        self._workspaces: OrderedDict[str, Workspace] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, filename: str, cv: CV) -> Workspace:
        """A new workspace for `cv`, with a token no other request can guess."""
        workspace = Workspace(token=secrets.token_urlsafe(TOKEN_BYTES), filename=filename, cv=cv)
        workspace.weigh()
        with self._lock:
            self._workspaces[workspace.token] = workspace
            self._keep_within()
        return workspace

    def set_results(self, workspace: Workspace, results: dict[str, Result]) -> None:
        """Put a workspace's new results in at once (a page being drawn from the old ones
        sees them whole), and forget the oldest workspaces if the memory is over budget."""
        with self._lock:
            if workspace.forgotten:
                raise WorkspaceForgotten
            workspace.results = results
            workspace.weigh()
            # a run that took long may find its workspace pushed out meanwhile by others': it
            # is the newest
            self._workspaces[workspace.token] = workspace
            self._workspaces.move_to_end(workspace.token)
            self._keep_within()

    def _keep_within(self) -> None:
        """Forget the least recently used workspaces beyond the count or the memory budget;
        the newest stays, whatever it weighs."""
        while len(self._workspaces) > 1 and (
            len(self._workspaces) > self._capacity
            or sum(w.weight for w in self._workspaces.values()) > self._budget
        ):
            self._workspaces.popitem(last=False)

    def get(self, token: str) -> Workspace | None:
        """The workspace of `token`, or None when there is none (or it was forgotten)."""
        with self._lock:
            workspace = self._workspaces.get(token)
            if workspace is not None:
                self._workspaces.move_to_end(token)
            return workspace

    def forget(self, token: str) -> None:
        with self._lock:
            workspace = self._workspaces.pop(token, None)
            if workspace is not None:
                workspace.forgotten = True

    def __len__(self) -> int:
        with self._lock:
            return len(self._workspaces)
