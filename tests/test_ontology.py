"""The ontology: few project terms, each tied to a standard one; SKOS schemes in step with the code;
shipped in the wheel and readable from an installed copy."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from graph_samples import sample_dataset
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from sqsgraph.rdf.vocab import (
    ONTOLOGY_FILES,
    ORGANISATIONS_FILE,
    ROLE,
    SHAPES_FILE,
    SQS,
    THEME,
    ontology_path,
)
from sqsgraph.read.themes import THEMES, theme_of

REPO = Path(__file__).resolve().parent.parent


def load(name: str) -> Graph:
    return Graph().parse(data=ontology_path(name).read_text(encoding="utf-8"), format="turtle")


@pytest.mark.parametrize("name", [*ONTOLOGY_FILES, SHAPES_FILE])
def test_ontology_files_parse(name):
    assert len(load(name)) > 10


def test_organisations_file_resolves_against_the_base():
    g = Graph().parse(data=ontology_path(ORGANISATIONS_FILE).read_text(encoding="utf-8"), format="turtle",
                      publicID="https://example.org/kg/")
    names = {str(o) for o in g.objects(URIRef("https://example.org/kg/org/youth-justice-board"), SKOS.altLabel)}
    assert "YJB" in names


def test_every_project_term_specialises_a_standard_term():
    g = load("sqs.ttl")
    terms = {s for s in g.subjects(RDF.type, None) if str(s).startswith(str(SQS))}
    assert len(terms) > 20
    for term in terms:
        parents = set(g.objects(term, RDFS.subClassOf)) | set(g.objects(term, RDFS.subPropertyOf))
        assert parents, f"{term} has no rdfs:subClassOf / rdfs:subPropertyOf"
        # walk up within the project namespace until a standard term is reached
        seen, frontier = set(), set(parents)
        while frontier and not any(not str(p).startswith(str(SQS)) for p in frontier):
            seen |= frontier
            frontier = {q for p in frontier for q in (*g.objects(p, RDFS.subClassOf), *g.objects(p, RDFS.subPropertyOf))} - seen
        assert any(not str(p).startswith(str(SQS)) for p in frontier), term
        assert (term, RDFS.label, None) in g and (term, RDFS.isDefinedBy, None) in g, term


def test_every_project_term_the_graph_uses_is_defined():
    g = load("sqs.ttl")
    used = {t for q in sample_dataset().quads((None, None, None, None)) for t in (q[1], q[2])
            if isinstance(t, URIRef) and str(t).startswith(str(SQS))}
    undefined = sorted(str(t) for t in used if (t, RDF.type, None) not in g)
    assert undefined == []


def test_theme_scheme_matches_the_code():
    g = load("themes.ttl")
    concepts = {str(c).removeprefix(str(THEME)) for c in g.subjects(SKOS.inScheme, THEME.scheme)}
    assert concepts == {theme_id for theme_id, _, _ in THEMES}
    for theme_id, label, _ in THEMES:
        assert str(g.value(THEME[theme_id], SKOS.prefLabel)) == label
        for alt in g.objects(THEME[theme_id], SKOS.altLabel):
            assert theme_of(str(alt)) == theme_id, alt


def test_every_role_and_theme_the_graph_uses_is_a_concept_in_its_scheme():
    ds = sample_dataset()
    for concept in {o for _, p, o, _ in ds.quads((None, None, None, None)) if isinstance(o, URIRef) and str(o).startswith((str(ROLE), str(THEME)))}:
        if concept in (ROLE.scheme, THEME.scheme):
            continue
        assert (concept, RDF.type, SKOS.Concept) in ds, concept
        assert (concept, SKOS.inScheme, None) in ds, concept


def test_ontology_is_an_owl_ontology():
    g = load("sqs.ttl")
    assert (URIRef("https://w3id.org/sqsgraph/ontology"), RDF.type, OWL.Ontology) in g


def test_ontology_loads_from_an_installed_wheel(tmp_path):
    """Build the wheel, unpack it, and read the ontology from the unpacked copy in a fresh process."""
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    if build.returncode != 0 and "No module named" in build.stderr:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip().splitlines()[-1]}")
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("sqsgraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in (*ONTOLOGY_FILES, SHAPES_FILE, ORGANISATIONS_FILE):
        assert f"sqsgraph/ontology/{name}" in names
    assert "sqsgraph/rdf/area-codes.csv" in names
    assert "sqsgraph/py.typed" in names  # type checkers read the package's annotations (PEP 561)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sqsgraph, sqsgraph.rdf.vocab as v, sqsgraph.rdf.organisations as o, sqsgraph.rdf.areacodes as a; "
        "print(sqsgraph.__file__); print(v.ontology_path('sqs.ttl')); "
        "print(len(o.catalogue().bodies)); print(a.AreaCodes().match('Bedfordshire').codes[1])"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    module, path, bodies, code = out.stdout.split()
    assert module.startswith(str(site)) and path.startswith(str(site)), out.stdout
    assert int(bodies) >= 5
    assert code == "E06000056"  # from the bundled table of the installed copy


def test_ontology_docs_are_written_or_the_build_says_why_not(tmp_path):
    from sqsgraph.build.folder import write_ontology_docs

    page, note = write_ontology_docs(tmp_path / "ontology.html")
    if page is not None:
        assert note is None and "sqsgraph ontology" in page.read_text(encoding="utf-8")
    else:
        assert note.startswith("ontology docs skipped: pyLODE ")
        assert not (tmp_path / "ontology.html").exists()
