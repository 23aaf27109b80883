"""`sqsgraph build` writes human-readable ontology documentation generated from the Turtle."""

from __future__ import annotations

from pathlib import Path

from sqsgraph.build.folder import write_ontology_docs


def test_ontology_docs_are_generated_from_the_turtle(tmp_path: Path) -> None:
    page, note = write_ontology_docs(tmp_path / "ontology.html")
    assert note is None, note
    assert page == tmp_path / "ontology.html"
    html = page.read_text(encoding="utf-8")
    # terms the ontology defines, as their documentation shows them
    for term in ("Inspection", "CandidateMatch", "casesExamined", "textSpan"):
        assert term in html, term
    assert "https://w3id.org/sqsgraph/ontology#" in html


def test_writing_the_docs_leaves_the_programs_logging_as_it_was(tmp_path: Path) -> None:
    """pyLODE sets the root logger to DEBUG with a handler of its own when imported; a Python
    user calling the build must not find their own debug lines printed afterwards."""
    import subprocess
    import sys

    code = (
        "import logging, pathlib, sys\n"
        "from sqsgraph.build.folder import write_ontology_docs\n"
        "root = logging.getLogger(); before = (root.level, list(root.handlers))\n"
        f"write_ontology_docs(pathlib.Path({str(tmp_path)!r}) / 'o.html')\n"
        "print(before == (root.level, list(root.handlers)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True", done.stdout + done.stderr
