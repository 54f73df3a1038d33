"""Job postings as targets: read one, split it into requirements, and check a CV against it."""

from __future__ import annotations

from pathlib import Path

from tailor.posting.model import Coverage, JobPosting, Requirement, RequirementCoverage

__all__ = ["Coverage", "JobPosting", "Requirement", "RequirementCoverage", "load_posting"]


def load_posting(path: str | Path) -> JobPosting:
    """Read a posting file (.txt .md .html .pdf .json, or - for stdin) and extract its
    requirements offline."""
    from tailor.posting.extract import extract
    from tailor.posting.reader import read_posting_file

    return extract(read_posting_file(path))
