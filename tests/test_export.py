"""Exports: every format round-trips, output is byte-identical run to run, files load back."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from graph_samples import sample_dataset
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from sqsgraph.errors import GraphError
from sqsgraph.rdf.datasets import load_dataset, quad_count
from sqsgraph.rdf.export import serialize, write
from sqsgraph.rdf.formats import FORMAT_NAMES, FORMATS
from sqsgraph.rdf.mapper import map_reports
from sqsgraph.read.model import Report


def union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def named_graphs(ds: Dataset) -> dict[str, Graph]:
    out: dict[str, Graph] = {}
    for s, p, o, c in ds.quads((None, None, None, None)):
        gid = str(c.identifier if hasattr(c, "identifier") else c)
        out.setdefault(gid, Graph()).add((s, p, o))
    return out


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_round_trip_is_isomorphic(name, tmp_path):
    ds = sample_dataset()
    path = write(ds, tmp_path / f"graph{FORMATS[name].suffix}", name)
    back = load_dataset(path)
    assert isomorphic(union(back), union(ds))
    if FORMATS[name].keeps_graphs:
        original, loaded = named_graphs(ds), named_graphs(back)
        assert sorted(loaded) == sorted(original)
        for gid, graph in original.items():
            assert isomorphic(loaded[gid], graph), gid


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_same_inputs_give_the_same_bytes(name):
    from graph_samples import sample_reports

    again = map_reports(list(reversed(sample_reports())))
    assert serialize(sample_dataset(), name) == serialize(again, name)


def test_turtle_parses_in_oxigraph_with_the_same_triple_count():
    data = serialize(sample_dataset(), "turtle")
    triples = list(ox.parse(input=data, format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(union(sample_dataset())) > 7000


def test_nquads_are_sorted_lines():
    lines = serialize(sample_dataset(), "nquads").decode("utf-8").splitlines()
    assert len(lines) == quad_count(sample_dataset())
    graphs = [line.rsplit(" ", 2)[-2] for line in lines]
    assert graphs == sorted(graphs)


def test_turtle_prefixes_are_fixed():
    head = serialize(sample_dataset(), "turtle").decode("utf-8").split("\n\n", 1)[0]
    assert head.splitlines()[:3] == [
        "@prefix sqs: <https://w3id.org/sqsgraph/ontology#> .",
        "@prefix theme: <https://w3id.org/sqsgraph/theme/> .",
        "@prefix role: <https://w3id.org/sqsgraph/role/> .",
    ]


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = write(sample_dataset(), tmp_path / "out" / "g.ttl")
    assert sorted(p.name for p in path.parent.iterdir()) == ["g.ttl"]
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_empty_dataset_writes_and_loads(tmp_path):
    ds = map_reports([])
    path = write(ds, tmp_path / "empty.nq")
    assert quad_count(load_dataset(path)) == quad_count(ds) > 0  # the ontology graph is always there


# --- load_dataset -------------------------------------------------------------------------------


def test_load_dataset_picks_the_parser_by_suffix_on_both_backends(tmp_path):
    ds = sample_dataset()
    path = write(ds, tmp_path / "g.trig")
    memory = load_dataset(path)
    oxi = load_dataset(path, backend="oxigraph")
    assert quad_count(memory) == quad_count(oxi) == quad_count(ds)


def test_load_dataset_names_the_file_when_it_fails(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/s> <http://x/p> .\n", encoding="utf-8")
    with pytest.raises(GraphError, match=r"bad.ttl: not valid turtle: .*line 1"):
        load_dataset(bad)
    with pytest.raises(GraphError, match=r"missing.nq: no such file; run `sqsgraph build` first"):
        load_dataset(tmp_path / "missing.nq")
    with pytest.raises(GraphError, match=r"g.xml: cannot tell the RDF format from the suffix '.xml'"):
        load_dataset(tmp_path / "g.xml")


def test_json_ld_with_a_remote_context_is_refused_not_fetched(tmp_path):
    f = tmp_path / "remote.jsonld"
    f.write_text('{"@context": "https://schema.org/", "name": "x"}', encoding="utf-8")
    with pytest.raises(GraphError, match="remote.jsonld: not valid jsonld"):
        load_dataset(f)


def test_report_without_area_or_date_gets_a_hash_iri():
    from sqsgraph.rdf.mapper import report_id
    from sqsgraph.read.model import SourceDocument

    r = Report(source=SourceDocument("x.txt", "text", "0123456789abcdef" * 4, "utf-8"))
    assert report_id(r) == "0123456789abcdef"


@pytest.mark.parametrize("name", ["jsonld", "nquads"])
def test_bodies_copied_out_of_an_earlier_document_are_byte_for_byte_those_written(tmp_path, monkeypatch, name):
    """A rebuild copies unchanged bodies out of the last build's file by their spans; bodies that
    follow each other there go in one copy, the separators between them with them."""
    import os

    import sqsgraph.files as files
    import sqsgraph.rdf.export as export

    fmt = FORMATS[name]
    bodies = [b'{"@id": "a"}', b"", b'{"@id": "b"}', b'{"@id": "c"}', b'{"@id": "d"}', b'{"@id": "e"}']
    first = export.document_writer(tmp_path / "first", fmt)
    spans = [first.add(b) for b in bodies]
    first.commit()
    calls: list[int] = []
    real = files._copy_range
    monkeypatch.setattr(files, "_copy_range", lambda *a: calls.append(a[3]) or real(*a))
    # b changed and is written afresh; c, d, e copied as they were; a copied; the empty one kept
    wanted = [bodies[0], bodies[1], b'{"@id": "B"}', bodies[3], bodies[4], bodies[5]]
    src = os.open(tmp_path / "first", os.O_RDONLY)
    second = export.document_writer(tmp_path / "second", fmt)
    got = [
        second.copy(src, spans[0]),
        second.copy(src, spans[1]),
        second.add(wanted[2]),
        *(second.copy(src, s) for s in spans[3:]),
    ]
    second.flush()
    os.close(src)
    second.commit()
    again = export.document_writer(tmp_path / "direct", fmt)
    expected = [again.add(b) for b in wanted]
    again.commit()
    assert (tmp_path / "second").read_bytes() == (tmp_path / "direct").read_bytes()
    assert got == expected
    data = (tmp_path / "second").read_bytes()
    assert [data[o : o + n] for o, n in got] == wanted
    assert len(calls) == 2  # "a" alone, then "c" to "e" in one go
