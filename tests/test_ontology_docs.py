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
