"""The streamed, parallel, cached build (issue 6): the same graph as mapping in memory, the same
bytes whatever the number of workers, and a rebuild that redoes only the report that changed."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import sqsgraph.build.pipeline
import sqsgraph.build.tasks
import sqsgraph.read.parser
from sqsgraph.build.cache import CACHE_FOLDER
from sqsgraph.build.pipeline import build
from sqsgraph.build.runner import IN_PROCESS_MAX
from sqsgraph.rdf.export import sorted_quads
from sqsgraph.rdf.mapper import collect_people, map_reports, report_id
from sqsgraph.rdf.vocab import DEFAULT_BASE
from sqsgraph.read.parser import parse_files
from sqsgraph.read.reader import sample_paths
from sqsgraph.synth.corpus import write_corpus

ALL_FORMATS = ("turtle", "trig", "ntriples", "jsonld")
QUADS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}
TRIPLES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The samples and enough synthetic reports that the build uses worker processes."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(IN_PROCESS_MAX + 6, folder, seed=11)
    for p in sample_paths():
        shutil.copy(p, folder / p.name)
    return folder


def files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.txt"))


def edit_a_finding(path: Path, words: str = "on the whole") -> None:
    """Put ``words`` into the first finding of the report, as an editor would."""
    report = sqsgraph.read.parser.parse_file(path)
    span = report.sections[0].findings[0].span
    text = report.source.text
    cut = text.index(" ", span.start)
    path.write_text(text[:cut] + f" {words}" + text[cut:], encoding="utf-8")


def test_every_format_of_the_build_holds_exactly_the_graph_mapped_in_memory(corpus, tmp_path):
    out = tmp_path / "out"
    result = build([corpus], out, formats=ALL_FORMATS, docs=False, views=False, validate=False, workers=2)
    assert result.failures == [] and len(result.report_ids) == len(files(corpus))
    expected = set(sorted_quads(map_reports(parse_files(files(corpus)).reports)))
    for suffix, fmt in QUADS.items():
        assert set(ox.parse(path=str(out / f"sqsgraph{suffix}"), format=fmt)) == expected, suffix
    expected_triples = {q.triple for q in expected}
    for suffix, fmt in TRIPLES.items():
        written = [q.triple for q in ox.parse(path=str(out / f"sqsgraph{suffix}"), format=fmt)]
        assert len(written) == len(set(written)), f"{suffix}: a statement made by two reports is written once"
        assert set(written) == expected_triples, suffix
    assert result.summary()["triples"] == len(expected_triples)


def test_the_same_bytes_in_one_process_and_in_two_workers(corpus, tmp_path):
    one = build([corpus], tmp_path / "one", formats=ALL_FORMATS, docs=False, views=False, validate=False, workers=1)
    two = build([corpus], tmp_path / "two", formats=ALL_FORMATS, docs=False, views=False, validate=False, workers=2)
    assert [p.name for p in one.files] == [p.name for p in two.files]
    for a, b in zip(one.files, two.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_rebuild_after_one_report_changed_parses_and_maps_only_that_report(corpus, tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    shutil.copytree(corpus, reports)
    out = tmp_path / "out"
    first = build([reports], out, docs=False, views=False, validate=False, workers=1)
    assert first.ok

    parsed: list[str] = []
    mapped: list[str] = []
    real_parse, real_map = sqsgraph.read.parser.parse_report, sqsgraph.build.tasks.map_report
    monkeypatch.setattr(sqsgraph.read.parser, "parse_report", lambda doc, *a: parsed.append(doc.path) or real_parse(doc, *a))
    monkeypatch.setattr(sqsgraph.build.tasks, "map_report", lambda r, *a: mapped.append(r.source.path) or real_map(r, *a))

    again = build([reports], out, docs=False, views=False, validate=False, workers=1)
    assert (parsed, mapped) == ([], [])
    assert (out / "sqsgraph.ttl").read_bytes() == (first.out_dir / "sqsgraph.ttl").read_bytes()

    changed = files(reports)[3]
    edit_a_finding(changed)
    parsed.clear()
    third = build([reports], out, docs=False, views=False, validate=False, workers=1)
    assert parsed == [str(changed)] and mapped == [str(changed)]
    assert third.ok and third.summary()["triples"] == again.summary()["triples"]
    assert b" on the whole " in (out / "sqsgraph.nq").read_bytes()


def test_the_cache_keeps_only_what_the_last_build_used(corpus, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(corpus, reports)
    out = tmp_path / "out"
    build([reports], out, docs=False, views=False, validate=False, workers=1)
    before = {p.name for p in (out / CACHE_FOLDER).rglob("*") if p.is_file()}
    edit_a_finding(files(reports)[0])
    build([reports], out, docs=False, views=False, validate=False, workers=1)
    after = {p.name for p in (out / CACHE_FOLDER).rglob("*") if p.is_file()}
    # one report's parse (model, record and what it adds to the head) and its map (the shared
    # nodes it refers to) replaced (its bodies live in the output files); the document head is
    # kept: the edit changed no one's name or post
    replaced = sorted(name.split(".", 1)[1] for name in before - after)
    assert replaced == ["facts.pickle", "pickle", "read.pickle", "refers.pickle"]
    assert len(before) == len(after) and len(after - before) == 4


def test_a_damaged_cache_entry_is_recomputed_not_trusted(tmp_path):
    out = tmp_path / "out"
    first = build(None, out, docs=False, views=False)
    for p in (out / CACHE_FOLDER).rglob("*.pickle"):
        p.write_bytes(p.read_bytes()[:20])  # cut short, as by a full disk
    second = build(None, out, docs=False, views=False)
    assert second.ok and second.summary() == first.summary()
    for p in (out / CACHE_FOLDER).rglob("*.pickle"):
        pickle.loads(p.read_bytes())


def test_without_cache_nothing_is_left_beside_the_output(tmp_path):
    out = tmp_path / "out"
    result = build(None, out, docs=False, views=False, cache=False)
    assert result.ok
    assert sorted(p.name for p in out.iterdir()) == [".sqsgraph-build.json", "sqsgraph.nq", "sqsgraph.ttl"]


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
def test_per_report_validation_finds_what_whole_graph_validation_finds(tmp_path, monkeypatch, engine):
    """A report whose graph breaks a shape (a finding part of no report): the per-report check
    and the whole-graph check of the written N-Quads name the same node, with the same message."""
    from rdflib.namespace import DCTERMS

    from sqsgraph.rdf.datasets import load_dataset
    from sqsgraph.rdf.validator import validate

    real_map = sqsgraph.build.tasks.map_report
    broken: list[str] = []

    def map_report_losing_a_link(r, *args):
        graph = real_map(r, *args)
        if not broken:
            lost = next(t for t in graph.triples if t[1] == DCTERMS.isPartOf)
            broken.append(str(lost[0]))
            graph.triples.remove(lost)
        return graph

    monkeypatch.setattr(sqsgraph.build.tasks, "map_report", map_report_losing_a_link)
    out = tmp_path / "out"
    result = build(None, out, docs=False, views=False, workers=1, shacl_engine=engine)
    assert result.validation is not None and not result.validation.conforms and not result.ok
    whole = validate(load_dataset(out / "sqsgraph.nq"), DEFAULT_BASE, engine="pyshacl")
    assert [p.line() for p in result.validation.violations] == [p.line() for p in whole.violations]
    assert len(whole.violations) == 1 and broken[0].endswith(whole.violations[0].focus)
    assert "part of exactly one report" in whole.violations[0].message


def test_the_samples_validate_per_report_as_they_do_whole(tmp_path):
    from sqsgraph.rdf.datasets import load_dataset
    from sqsgraph.rdf.validator import validate

    result = build(None, tmp_path / "out", docs=False, views=False)
    whole = validate(load_dataset(tmp_path / "out" / "sqsgraph.nq"))
    assert result.validation is not None and result.validation.conforms and whole.conforms
    assert result.validation.triples >= whole.triples  # every statement checked at least once


def test_the_same_bytes_in_processes_with_other_hash_seeds(tmp_path):
    """Python orders sets and rdflib graphs by string hashes, which differ per process."""
    import os
    import subprocess
    import sys

    for seed in ("1", "2"):
        env = os.environ | {"PYTHONHASHSEED": seed}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sqsgraph.cli",
                "build",
                "-o",
                str(tmp_path / seed),
                "--no-docs",
                "--no-views",
                "--no-validate",
                "--format",
                "trig",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    for name in ("sqsgraph.nq", "sqsgraph.trig"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_views_are_drawn_from_the_query_store_the_build_leaves_fresh(tmp_path, monkeypatch):
    """No cap on the views: the build loads the query store (which the first query then opens
    as it is) and draws the views from it, never reading the whole graph into rdflib."""
    from sqsgraph.query import querystore
    from sqsgraph.rdf import datasets

    def no_load(*args, **kwargs):
        raise AssertionError("the build's views read the graph into memory")

    monkeypatch.setattr(datasets, "load_dataset", no_load)
    result = build(None, tmp_path / "out", docs=False, validate=False)
    assert result.ok and result.notes == []
    assert querystore.freshness(tmp_path / "out" / "sqsgraph.nq") == "fresh"
    assert sorted(p.name for p in (tmp_path / "out" / "views").iterdir()) == [
        "compare.html",
        "findings.html",
        "overview.html",
        "people.html",
    ]
    stamp = (tmp_path / "out" / "store" / "current.json").stat().st_mtime_ns
    build(None, tmp_path / "out", docs=False, validate=False)  # nothing changed: the store is not loaded again
    assert (tmp_path / "out" / "store" / "current.json").stat().st_mtime_ns == stamp


def test_the_query_store_made_beside_the_build_is_the_one_made_in_turn(corpus, tmp_path):
    """With worker processes the query store loads in a process of its own while the reports are
    validated, then its text index and answers are made there while the views' cuts are made in
    another: the same views, and
    a store as fresh and complete (text index, precomputed answers, the views' cuts) as one made
    step by step."""
    import faulthandler

    from sqsgraph.network.netindex import read_network_index
    from sqsgraph.query import querystore

    alone = build([corpus], tmp_path / "one", docs=False, workers=1)
    # a store open in this process runs RocksDB's threads: the background process is no copy of
    # this one, whose locks those threads may hold (a forked copy once waited on one for ever)
    opened = querystore.open_query_store(tmp_path / "one" / "sqsgraph.nq", rebuild=False)
    faulthandler.dump_traceback_later(600, exit=True)  # a hang fails the run instead of stalling it
    try:
        beside = build([corpus], tmp_path / "two", docs=False, workers=2)
    finally:
        faulthandler.cancel_dump_traceback_later()
    del opened
    assert alone.validation is not None and beside.validation is not None
    assert alone.ok and beside.ok and beside.validation.problems == alone.validation.problems
    assert [p.name for p in alone.files] == [p.name for p in beside.files]
    for a, b in zip(alone.files, beside.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    for out in (tmp_path / "one", tmp_path / "two"):
        store = out / "store"
        assert querystore.freshness(out / "sqsgraph.nq") == "fresh"
        live = querystore.read_live_database(store)
        assert live is not None and live.text_index and live.results and live.network  # named in the manifest, and there
        assert querystore.open_precomputed(store) is not None and querystore.open_text_index(store) is not None
        assert read_network_index(querystore.network_index_path(store)) is not None  # the views' cuts
        assert sorted(p.name for p in store.iterdir() if not p.name.startswith(".")) == sorted(
            ["current.json", live.database, live.text_index, live.results, live.network]
        )


@pytest.mark.parametrize("workers", [1, 2])
def test_a_report_that_cannot_be_written_as_rdf_leaves_no_trace_in_the_shared_part(corpus, tmp_path, monkeypatch, workers):
    # the head is made while the reports are mapped: a report refused afterwards must not
    # have left its area or its holdings in it
    sample = next(p for p in files(corpus) if p.name in {s.name for s in sample_paths()})
    refused = sqsgraph.read.parser.parse_file(sample)
    graph = f"/graph/{report_id(refused)}>".encode()
    real = sqsgraph.build.tasks.bodies

    def refusing(quads, triples, formats):
        if isinstance(quads, bytes) and graph in quads:
            raise SyntaxError("a statement Oxigraph refuses")
        return real(quads, triples, formats)

    monkeypatch.setattr(sqsgraph.build.tasks, "bodies", refusing)
    out = tmp_path / "out"
    result = build([corpus], out, docs=False, views=False, validate=False, workers=workers)
    assert [(f.path, f.problem) for f in result.failures] == [
        (str(sample), "its statements cannot be written as RDF: a statement Oxigraph refuses")
    ]
    assert len(result.report_ids) == len(files(corpus))  # read, and named in the identity decisions
    quads = list(ox.parse(path=str(out / "sqsgraph.nq"), format=ox.RdfFormat.N_QUADS))
    assert not any(graph[:-1].decode() in q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode))
    turtle = set(ox.parse(path=str(out / "sqsgraph.ttl"), format=ox.RdfFormat.TURTLE))
    assert not any(q.object.value == refused.area for q in turtle), "its area is named by no other report"
    holds = "http://www.w3.org/ns/org#holds"
    attested = {q.triple for q in quads if q.predicate.value == holds}
    assert attested and {t.triple for t in turtle if t.predicate.value == holds} == attested


def test_a_rebuild_after_a_name_changed_writes_what_a_fresh_build_writes(corpus, tmp_path):
    # a new name changes the shared part, which a worker makes again while this process copies
    # the unchanged reports' bodies
    reports = tmp_path / "reports"
    shutil.copytree(corpus, reports)
    out = tmp_path / "out"
    build([reports], out, formats=ALL_FORMATS, docs=False, views=False, validate=False, workers=2)
    path = files(reports)[3]
    report = sqsgraph.read.parser.parse_file(path)
    name = collect_people(report, report_id(report)).mentions[-1].name
    path.write_text(report.source.text.replace(name, "Zebedee Quillfeather"), encoding="utf-8")
    again = build([reports], out, formats=ALL_FORMATS, docs=False, views=False, validate=False, workers=2)
    fresh = build(
        [reports], tmp_path / "fresh", formats=ALL_FORMATS, docs=False, views=False, validate=False, workers=2, cache=False
    )
    assert any(p.name == "Zebedee Quillfeather" for p in again.identities.persons)
    for a, b in zip(again.files, fresh.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert b"Zebedee Quillfeather" in (out / "sqsgraph.ttl").read_bytes()
