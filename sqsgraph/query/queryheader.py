"""The comment header of a ``.rq`` query: the lines before its first line that is neither a
comment nor blank. Each kind of declaration there (``# title:``, ``# search:``,
``# precompute:``, ``# plan:``) is read by the module it concerns, from these lines."""

from __future__ import annotations

from collections.abc import Iterator


def header_lines(text: str) -> Iterator[str]:
    """The comment lines of the query's header, in order (blank lines between them skipped)."""
    for line in text.splitlines():
        if line.startswith("#"):
            yield line
        elif line.strip():
            return


__all__ = ["header_lines"]
