"""The four inspection themes of SQS reports, with the wording variants seen in titles.

Canonical ids are the local names of the SKOS concepts in ``ontology/themes.ttl``; a test keeps
the two in step. Titles vary between reports ("Reducing reoffending" / "Reducing the likelihood
of reoffending"), so a title is matched on its key words, not compared whole.
"""

from __future__ import annotations

import re

# (canonical id, preferred label, pattern over the lower-cased title)
THEMES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("reducing-reoffending", "Reducing reoffending", re.compile(r"\bre-?offending\b")),
    ("protecting-the-public", "Protecting the public", re.compile(r"\bprotect\w*\s+(?:the\s+)?public\b")),
    (
        "protecting-the-child",
        "Protecting the child or young person",
        re.compile(r"\bprotect\w*\s+(?:the\s+)?(?:child|young)"),
    ),
    (
        "sentence-served",
        "Ensuring that the sentence is served",
        re.compile(r"\bsentence\b.*\bserved\b|\bserved\b.*\bsentence\b"),
    ),
)


def theme_of(title: str) -> str | None:
    """Canonical theme id for a section title as written, or None if it matches none."""
    lowered = " ".join(title.lower().split())
    for theme_id, _label, pattern in THEMES:
        if pattern.search(lowered):
            return theme_id
    return None
