"""SHACL: the samples conform; broken graphs are caught and explained in plain words."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from graph_samples import B, sample_dataset
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import FOAF, RDF, SDO, SKOS, XSD

from sqsgraph.cli import main
from sqsgraph.rdf.export import write
from sqsgraph.rdf.validator import validate
from sqsgraph.rdf.vocab import OA, SQS


def copy() -> Dataset:
    ds = Dataset(default_union=True)
    for s, p, o, g in sample_dataset().quads((None, None, None, None)):
        ds.graph(g.identifier if hasattr(g, "identifier") else g).add((s, p, o))
    return ds


@pytest.fixture(params=["pyshacl", "turbo"])
def engine(request) -> str:
    """Every check below holds with both SHACL engines: the reference and the fast one."""
    return request.param


def test_the_samples_conform(engine):
    report = validate(sample_dataset(), B, engine=engine)
    assert report.conforms, report.lines()
    assert report.lines() == [f"The graph conforms to the shapes ({report.triples} triples checked)."]


def test_numerator_larger_than_denominator_is_a_violation(engine):
    ds = copy()
    count = URIRef(f"{B}report/kent-2014-06-18/finding/1.1/count/3")
    g = ds.graph(URIRef(f"{B}graph/kent-2014-06-18"))
    g.set((count, SQS.numerator, Literal(40)))
    report = validate(ds, B, engine=engine)
    assert not report.conforms
    assert [p.line() for p in report.violations] == [
        "Violation: report/kent-2014-06-18/finding/1.1/count/3: the numerator (40) of a count is larger than its denominator (29)"
    ]


def test_selector_start_after_end_is_a_violation(engine):
    ds = copy()
    pos = URIRef(f"{B}report/kent-2014-06-18/finding/1.1/span/position")
    g = ds.graph(URIRef(f"{B}graph/kent-2014-06-18"))
    g.set((pos, OA.start, Literal(999999, datatype=XSD.nonNegativeInteger)))
    report = validate(ds, B, engine=engine)
    assert [p.message for p in report.violations] == [
        "a position selector has exactly one start, a whole number not after its end"
    ]


def test_missing_facts_are_named(engine):
    ds = copy()
    g = ds.graph(URIRef(f"{B}graph/shared"))
    g.remove((URIRef(f"{B}person/gill-rigg"), FOAF.name, None))
    f = URIRef(f"{B}report/kent-2014-06-18/finding/2.1")
    ds.graph(URIRef(f"{B}graph/kent-2014-06-18")).remove((f, SQS.textSpan, None))
    lines = [p.line() for p in validate(ds, B, engine=engine).violations]
    assert "Violation: person/gill-rigg: a person must have exactly one name (foaf:name)" in lines
    assert (
        "Violation: report/kent-2014-06-18/finding/2.1: a finding must point to exactly one span of its source (sqs:textSpan)"
        in lines
    )


def test_a_malformed_gss_code_or_one_without_its_exact_match_is_a_violation(engine):
    ds = copy()
    g = ds.graph(URIRef(f"{B}graph/shared"))
    g.set((URIRef(f"{B}area/barnet"), SQS.gssCode, Literal("E0900003")))
    g.remove((URIRef(f"{B}area/kent"), SKOS.exactMatch, None))
    assert sorted(p.line() for p in validate(ds, B, engine=engine).violations) == [
        "Violation: area/barnet: an area's GSS code is a plain string: a letter E, W, S, N or K and eight digits "
        "(E10000016) (sqs:gssCode = 'E0900003')",
        "Violation: area/barnet: the GSS code E0900003 of an area has no skos:exactMatch to its statistical geography",
        "Violation: area/kent: the GSS code E10000016 of an area has no skos:exactMatch to its statistical geography",
    ]


def test_blank_nodes_are_violations(engine):
    ds = copy()
    ds.graph(URIRef(f"{B}graph/shared")).add((BNode("x"), RDF.type, SDO.Person))
    assert any("no blank nodes" in p.message for p in validate(ds, B, engine=engine).violations)


def test_validate_command(tmp_path):
    good = write(sample_dataset(), tmp_path / "good.nq")
    result = CliRunner().invoke(main, ["validate", "--graph", str(good)])
    assert result.exit_code == 0
    assert result.stdout.startswith("The graph conforms to the shapes (")

    ds = copy()
    ds.graph(URIRef(f"{B}graph/kent-2014-06-18")).set(
        (URIRef(f"{B}report/kent-2014-06-18/finding/1.1/count/3"), SQS.numerator, Literal(40))
    )
    bad = write(ds, tmp_path / "bad.ttl")
    result = CliRunner().invoke(main, ["validate", "--graph", str(bad), "--shacl-engine", "pyshacl"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "Violation: <https://w3id.org/sqsgraph/id/report/kent-2014-06-18/finding/1.1/count/3>: "
        "the numerator (40) of a count is larger than its denominator (29)",
        "The graph does not conform: 1 violation(s) in " + result.stdout.split(" in ")[-1].split()[0] + " triples.",
    ]


@pytest.mark.parametrize("content, message", [(None, "no such file"), ("not turtle <", "not valid turtle")])
def test_validate_unloadable_file(tmp_path, content, message):
    path = tmp_path / "g.ttl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--graph", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {path}: {message}")


def test_both_engines_say_the_same_of_a_graph_with_many_faults():
    ds = copy()
    g = ds.graph(URIRef(f"{B}graph/kent-2014-06-18"))
    g.set((URIRef(f"{B}report/kent-2014-06-18/finding/1.1/count/3"), SQS.numerator, Literal(40)))
    g.set(
        (
            URIRef(f"{B}report/kent-2014-06-18/finding/1.1/span/position"),
            OA.start,
            Literal(999999, datatype=XSD.nonNegativeInteger),
        )
    )
    ds.graph(URIRef(f"{B}graph/shared")).remove((URIRef(f"{B}person/gill-rigg"), FOAF.name, None))
    reference, fast = validate(ds, B, engine="pyshacl"), validate(ds, B, engine="turbo")
    assert reference.lines() == fast.lines() and len(reference.violations) == 3


def test_an_unknown_engine_is_a_usage_error(tmp_path):
    good = write(sample_dataset(), tmp_path / "good.nq")
    result = CliRunner().invoke(main, ["validate", "--graph", str(good), "--shacl-engine", "quick"])
    assert result.exit_code == 2 and "'quick' is not one of" in result.stderr


def test_each_violation_is_printed_once_and_counted_once(engine):
    """A selector with two ends breaks "start not after end" twice over (once per end): the
    engines report the same result twice, and the report says it once and counts it once."""
    ds = copy()
    pos = URIRef(f"{B}report/kent-2014-06-18/finding/1.1/span/position")
    g = ds.graph(URIRef(f"{B}graph/kent-2014-06-18"))
    g.set((pos, OA.start, Literal(999999, datatype=XSD.nonNegativeInteger)))
    g.add((pos, OA.end, Literal(3, datatype=XSD.nonNegativeInteger)))
    report = validate(ds, B, engine=engine)
    lines = report.lines()
    assert len(lines) == len(set(lines))
    assert len(report.violations) == 2  # two ends; start after end
    assert lines[-1].startswith("The graph does not conform: 2 violation(s) in ")
