"""Shared helpers for the parser tests: the samples, their PDF-style renderings, parsed once each.

Every sample report is tested in two renderings:

* ``original`` — the bundled sample as shipped (``sqsgraph/samples/<name>.txt``);
* ``pdf`` — the same report as text extracted from a PDF (``tests/fixtures/pdf/<name>.txt``,
  made by ``tests/renderings.py``): hard-wrapped, curly quotes, glued footnote digits, no tabs.

Facts that do not depend on the rendering are checked on both. Wording is compared with
``rendered``: in the PDF rendering the same words carry typographic quotes.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from renderings import curl

from sqsgraph.read.reader import sample_paths

TESTS = Path(__file__).resolve().parent
PDF_FIXTURES = TESTS / "fixtures" / "pdf"

SAMPLES: dict[str, Path] = {p.stem: p for p in sample_paths()}
RENDERINGS = ("original", "pdf")


def path_of(name: str, rendering: str) -> Path:
    if rendering == "original":
        return SAMPLES[name]
    if rendering == "pdf":
        return PDF_FIXTURES / f"{name}.txt"
    raise ValueError(rendering)


@functools.cache
def parsed(name: str, rendering: str):
    """The parser's report for one sample in one rendering (parsed once per test session)."""
    from sqsgraph.read.parser import parse_file

    return parse_file(path_of(name, rendering))


def rendered(text: str | None, rendering: str) -> str | None:
    """``text`` (written with straight quotes) as it reads in ``rendering``."""
    if text is None or rendering == "original":
        return text
    return curl(text)


_MARKUP = re.compile(r"</?i>|\*")


def words(passage: str) -> str:
    """A source passage as a reader sees it: markup dropped, whitespace runs as single spaces."""
    return " ".join(_MARKUP.sub("", passage).split())


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """A real headless Chromium (the system's), shared by a module's browser tests."""
    from offline_page import ARGS, CHROMIUM

    playwright_sync = pytest.importorskip("playwright.sync_api")
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
