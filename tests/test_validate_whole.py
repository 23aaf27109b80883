"""The build validates with the turbo engine reading N-Quads text itself (``validator.validate_text``),
a batch of reports at a time, instead of one report at a time with pySHACL on rdflib graphs. On
graphs broken in many ways it must report exactly the problems pySHACL reports on the same graph."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable

import pytest

from sqsgraph.build.pipeline import build
from sqsgraph.rdf.datasets import load_dataset
from sqsgraph.rdf.validator import union_graph, validate, validate_quads, validate_text

pytestmark = pytest.mark.skipif(importlib.util.find_spec("pyshacl_turbo") is None, reason="pyshacl-turbo not installed")

XSD = "http://www.w3.org/2001/XMLSchema#"
SQS = "https://w3id.org/sqsgraph/ontology#"
BASE = "https://w3id.org/sqsgraph/id/"


@pytest.fixture(scope="module")
def lines(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("whole") / "out"
    result = build(None, out, docs=False, views=False, validate=False)
    assert result.ok
    return (out / "sqsgraph.nq").read_text(encoding="utf-8").splitlines(keepends=True)


def _first(lines: list[str], pattern: str) -> int:
    return next(i for i, line in enumerate(lines) if re.search(pattern, line))


def drop(pattern: str, times: int = 1) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        out = list(lines)
        for _ in range(times):
            del out[_first(out, pattern)]
        return out

    return edit


def sub(pattern: str, old: str, new: str, nth: int = 0) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        out = list(lines)
        hits = [i for i, line in enumerate(out) if re.search(pattern, line)]
        out[hits[nth]] = re.sub(old, new, out[hits[nth]], count=1)
        return out

    return edit


def add(make: Callable[[list[str]], str]) -> Callable[[list[str]], list[str]]:
    return lambda lines: [*lines, make(lines)]


def both(*edits: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        for e in edits:
            lines = e(lines)
        return lines

    return edit


def _second_name(lines: list[str]) -> str:
    """A second name for a person, stated in a report's graph: each graph alone has one."""
    person = lines[_first(lines, r"foaf/0\.1/name>")].split(" ", 1)[0]
    graph = lines[_first(lines, r"ontology#casesExamined>")].rsplit(" ", 2)[-2]
    return f'{person} <http://xmlns.com/foaf/0.1/name> "Someone Else" {graph} .\n'


BREAKAGES = {
    "missing required property (shared graph)": drop(r"foaf/0\.1/name>"),
    "missing required property (report graph)": drop(r"schema\.org/text>"),
    "missing inspection": drop(r"ontology#inspection> "),
    "wrong datatype": sub(r"ontology#casesExamined>", r'"\^\^<[^>]+>', f'"^^<{XSD}decimal>'),
    "ill-typed integer": sub(r"ontology#casesExamined>", r'"\d+"', '"many"'),
    "ill-typed date": sub(r"ontology#startDate>", r'"\d{4}-\d\d-\d\d"', '"2014-02-30"'),
    "wrong datatype of a derived integer type": sub(r"oa#start>", r"nonNegativeInteger", "integer"),
    "sh:or of datatypes": sub(r"terms/issued>", r'"\^\^<[^>]+>', '"'),
    "wrong class": sub(
        r"terms/publisher>", r"<https://w3id.org/sqsgraph/id/org/[^>]+>", "<https://w3id.org/sqsgraph/id/person/nobody>"
    ),
    "class lost by a shared node": drop(
        r"<https://w3id.org/sqsgraph/id/org/hmi-probation> <http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type> <http://www\.w3\.org/ns/org#Organization>"
    ),
    "maximum count across graphs": add(_second_name),
    "second inspection": add(
        lambda lines: (
            lines[_first(lines, r"ontology#inspection> ")]
            .replace("/inspection> <https", "/inspection2> <https", 1)
            .replace("/inspection> <https", "/inspection2> <https")
        )
    ),
    "SPARQL constraint: numerator above denominator": sub(r"ontology#numerator>", r'"\d+"', '"999"'),
    "minimum value": sub(r"ontology#numerator>", r'"\d+"', '"-1"', nth=1),
    "maximum value": sub(r"ontology#proportion>", r'"[\d.]+"', '"1.5"'),
    "start after end": sub(r"ontology#startDate>", r'"\d{4}', '"2099'),
    "pattern": sub(r"ontology#sha256>", r'"[0-9a-f]{8}', '"ABCDEFGH'),
    "sh:node of a qualified association": drop(r"prov#hadRole>"),
    "maximum count without a message": add(lambda lines: lines[_first(lines, r"oa#prefix>")].replace('"', '"x', 1)),
    "several at once": both(drop(r"foaf/0\.1/name>", 3), sub(r"ontology#denominator>", r'"\d+"', '"0"'), drop(r"oa#end>", 2)),
}


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_the_whole_graph_check_finds_what_pyshacl_finds(lines, tmp_path, name):
    broken = BREAKAGES[name](lines)
    assert broken != lines
    path = tmp_path / "broken.nq"
    path.write_text("".join(broken), encoding="utf-8")
    reference = validate(load_dataset(path), BASE, engine="pyshacl")
    whole = validate_quads(path, BASE, engine="turbo")
    assert not reference.conforms, f"{name}: the breakage broke nothing pySHACL checks"
    # the same lines, each once (as the build lists them): turbo may find one twice where
    # pySHACL finds it once (an ill-typed start date also fails the "not after its end" check,
    # whose message is the same)
    assert {p.line() for p in whole.problems} == {p.line() for p in reference.problems}
    assert len(whole.problems) == len(set(whole.problems))
    assert whole.conforms is False


@pytest.mark.parametrize("name", list(BREAKAGES))
@pytest.mark.parametrize("share", [0.0, 0.02])
def test_a_check_that_leaves_some_nodes_out_finds_what_pyshacl_finds_in_the_others(lines, tmp_path, name, share, monkeypatch):
    """A batch's check leaves out the nodes it holds only the classes of (``skip_focus``): the
    engine is given the nodes to check when they are many (``share`` 0: always), and must find
    every problem of the others, nested shapes (``sh:node``) and graph-wide checks included."""
    from rdflib import URIRef

    import sqsgraph.rdf.validator

    monkeypatch.setattr(sqsgraph.rdf.validator, "FOCUS_LIST_SHARE", share)

    broken = BREAKAGES[name](lines)
    path = tmp_path / "broken.nq"
    path.write_text("".join(broken), encoding="utf-8")
    left_out = {URIRef(BASE + "area/kent"), URIRef(BASE + "person/adrian-stretch")}
    reference = validate(load_dataset(path), BASE, skip_focus=left_out, engine="pyshacl")
    checked = validate_text(path.read_bytes(), BASE, skip_focus=left_out, engine="turbo")
    assert {p.line() for p in checked.problems} == {p.line() for p in reference.problems}
    assert reference.problems


def test_the_whole_graph_check_passes_a_sound_graph(lines, tmp_path):
    path = tmp_path / "sound.nq"
    path.write_text("".join(lines), encoding="utf-8")
    report = validate_quads(path, BASE, engine="turbo")
    assert report.conforms and report.problems == ()
    assert report.triples == len(union_graph(load_dataset(path)))  # distinct statements, as pySHACL's check counts


def test_a_build_validating_in_batches_finds_what_pyshacl_finds_in_its_whole_graph(tmp_path, monkeypatch):
    """Reports are validated a batch at a time (several reports per engine run, each batch with
    the shared statements it refers to): the problems the build lists are those pySHACL finds
    in the graph it wrote, whatever the batches."""
    from rdflib import URIRef

    import sqsgraph.build.tasks
    import sqsgraph.build.validation

    real = sqsgraph.build.tasks.map_report
    text, issued, inspection = (
        URIRef("https://schema.org/text"),
        URIRef("http://purl.org/dc/terms/issued"),
        URIRef(SQS + "inspection"),
    )

    def broken(report, rid, *args):
        graph = real(report, rid, *args)
        dropped = {"barnet-2014-07-16": text, "kent-2014-06-18": inspection}.get(rid)
        graph.triples = [t for t in graph.triples if t[1] != dropped]
        if rid.startswith(("cumbria", "thurrock")):  # a date that is not one, as a plain string
            graph.triples = [(s, p, o if p != issued else type(o)(str(o))) for s, p, o in graph.triples]
        return graph

    monkeypatch.setattr(sqsgraph.build.tasks, "map_report", broken)
    monkeypatch.setattr(sqsgraph.build.validation, "_batches", lambda count, workers: [range(0, 2), range(2, count)])
    outs = {}
    for workers in (1, 2):
        result = build(None, tmp_path / str(workers), docs=False, views=False, workers=workers)
        assert result.validation is not None and not result.validation.conforms
        outs[workers] = {p.line() for p in result.validation.problems}
    reference = validate(load_dataset(tmp_path / "1" / "sqsgraph.nq"), BASE, engine="pyshacl")
    assert outs[1] == outs[2] == {p.line() for p in reference.problems}
    assert len(outs[1]) >= 3


def test_a_build_validating_the_shared_graph_in_parts_finds_what_pyshacl_finds_in_its_whole_graph(tmp_path, monkeypatch):
    """The head (the shared graph, the ontology and who holds which post) is validated in parts,
    each with the statements about the nodes it refers to: cut into many small parts, a head
    broken in several ways gives the problems pySHACL finds in the whole graph the build wrote,
    and the same as one part."""
    from rdflib import URIRef

    import sqsgraph.build.tasks
    import sqsgraph.build.validation

    real = sqsgraph.build.tasks.shared_triples
    name, org_type, gss, match = (
        URIRef("http://xmlns.com/foaf/0.1/name"),
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        URIRef(SQS + "gssCode"),
        URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"),
    )

    def broken(*args, **kwargs):
        triples = real(*args, **kwargs)
        named = sorted(s for s, p, _ in triples if p == name)
        coded = sorted(s for s, p, _ in triples if p == gss)
        out = []
        for s, p, o in triples:
            if p == name and s in named[:2]:  # two people without a name
                continue
            if p == org_type and str(s).endswith("/org/hmi-probation"):  # a body that is no longer an organisation
                continue
            if p == match and s == coded[0]:  # a code without its statistical geography
                continue
            if p == gss and s == coded[1]:  # a code that is not one
                o = type(o)("X123")
            out.append((s, p, o))
        return out

    monkeypatch.setattr(sqsgraph.build.tasks, "shared_triples", broken)
    outs = {}
    for part_bytes, workers in ((2_000, 1), (2_000, 2), (10**9, 1)):
        monkeypatch.setattr(sqsgraph.build.validation, "HEAD_PART_BYTES", part_bytes)
        out = tmp_path / f"{part_bytes}-{workers}"
        result = build(None, out, docs=False, views=False, workers=workers, cache=False)
        assert result.validation is not None and not result.validation.conforms
        outs[(part_bytes, workers)] = ({p.line() for p in result.validation.problems}, result.validation.triples)
    reference = validate(load_dataset(out / "sqsgraph.nq"), BASE, engine="pyshacl")
    problems = {p.line() for p in reference.problems}
    assert outs[(2_000, 1)] == outs[(2_000, 2)] == outs[(10**9, 1)]
    assert outs[(2_000, 1)][0] == problems
    assert any("hmi-probation" in line for line in problems) and any("GSS code" in line for line in problems)
    assert sum("foaf:name" in line or "name" in line.split(":", 2)[-1] for line in problems) >= 2
