"""Links behind labels, which the PDF and DOCX readers write out after the label."""

from __future__ import annotations

from tailor.cv.patterns import bare_url


def shows_address(label: str, url: str) -> bool:
    """Whether a link's visible label already shows its web address (with or without scheme)."""
    return bare_url(url) in label.lower()
