"""The on-disk query store: built from a build's N-Quads, the same answers as loading the file,
refused or rebuilt when the file changed, and never left half-swapped by a killed load."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from graph_samples import samples_store

from sqsgraph.errors import GraphError, StaleStoreError
from sqsgraph.query import querystore
from sqsgraph.query.library import bind_params, load_queries
from sqsgraph.query.querystore import (
    build_query_store,
    database_path,
    freshness,
    open_query_store,
    read_live_database,
)
from sqsgraph.query.run import open_store, run_query

EX = "https://example.org/"


def nquads(*names: str) -> str:
    return "".join(f'<{EX}{n}> <{EX}name> "{n}" <{EX}graph/{n}> .\n' for n in names)


def names(store: ox.Store) -> list[str]:
    query = f"SELECT ?n WHERE {{ ?s <{EX}name> ?n }} ORDER BY ?n"
    return [row[0].value for row in store.query(query, use_default_graph_as_union=True)]


@pytest.fixture(scope="module")
def samples_nq(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("build") / "sqsgraph.nq"
    samples_store().dump(output=str(path), format=ox.RdfFormat.N_QUADS)
    return path


def example_params(name: str) -> dict[str, str]:
    import shlex

    words = shlex.split(load_queries()[name].examples[0])
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--param")


def comparable(text: str, variables: list[str], rows: list[tuple]) -> list[tuple]:
    """Rows as strings; GROUP_CONCAT values as sets (SPARQL leaves their order open)."""
    concatenated = set(re.findall(r"GROUP_CONCAT\(.*?\)\s+AS\s+\?(\w+)", text, re.S))
    return [
        tuple(
            frozenset(t.value.split("; ")) if v in concatenated and t is not None else str(t)
            for v, t in zip(variables, row, strict=True)
        )
        for row in rows
    ]


def test_every_named_query_answers_the_same_from_the_store_as_from_the_file(samples_nq: Path) -> None:
    folder = build_query_store(samples_nq, samples_nq.parent / "store")
    assert folder == samples_nq.parent / "store"
    on_disk, in_memory = open_query_store(samples_nq, rebuild=False), open_store(samples_nq)
    for name, query in load_queries().items():
        bindings = bind_params(query, example_params(name))
        expected = run_query(in_memory, query.text, bindings)
        got = run_query(on_disk, query.text, bindings)
        assert expected.rows, name
        assert got.variables == expected.variables, name
        assert comparable(query.text, got.variables, got.rows) == comparable(query.text, expected.variables, expected.rows), name


def test_the_manifest_names_the_file_and_its_fingerprint(samples_nq: Path) -> None:
    build_query_store(samples_nq)
    manifest = read_live_database(samples_nq.parent / "store")
    assert manifest is not None and manifest.source == str(samples_nq)
    st = samples_nq.stat()
    assert (manifest.fingerprint.size, manifest.fingerprint.mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert manifest.statements == samples_nq.read_bytes().count(b"\n")
    assert database_path(samples_nq.parent / "store").is_dir()


def test_the_store_is_opened_read_only(samples_nq: Path) -> None:
    store = open_query_store(samples_nq)
    with pytest.raises(RuntimeError, match="read-write instances"):
        store.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b"), ox.Literal("c")))


def test_a_changed_file_makes_the_store_stale(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    nq.write_text(nquads("a"))
    assert freshness(nq) == "missing"
    with pytest.raises(StaleStoreError, match=r"g\.nq: its query store .*store does not exist"):
        open_query_store(nq, rebuild=False)
    assert names(open_query_store(nq)) == ["a"]
    assert freshness(nq) == "fresh"

    nq.write_text(nquads("a", "b"))
    assert freshness(nq) == "stale"
    with pytest.raises(StaleStoreError, match="was built before the file last changed; run `sqsgraph build`"):
        open_query_store(nq, rebuild=False)
    assert names(open_query_store(nq)) == ["a", "b"]


def test_same_size_new_content_is_stale_and_a_touch_is_not(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    nq.write_text(nquads("a"))
    open_query_store(nq)
    os.utime(nq, ns=(time.time_ns(), time.time_ns() + 10**9))  # touched: same bytes
    assert freshness(nq) == "fresh"
    nq.write_text(nquads("b"))  # same size, other bytes
    assert freshness(nq) == "stale"


def test_a_syntax_error_names_the_file_and_keeps_the_old_store(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    nq.write_text(nquads("a"))
    build_query_store(nq, chunk_bytes=64)
    nq.write_text(nquads("b", "c") + "<broken\n")
    with pytest.raises(GraphError, match=r"g\.nq: not valid N-Quads at line 3: Unexpected end of file"):
        build_query_store(nq, chunk_bytes=64)
    assert names(ox.Store.read_only(str(database_path(tmp_path / "store")))) == ["a"]
    assert [p.name for p in (tmp_path / "store").glob("db-*")] == [read_live_database(tmp_path / "store").database]


def test_only_n_quads_files_are_loaded(tmp_path: Path) -> None:
    ttl = tmp_path / "g.ttl"
    ttl.write_text("")
    with pytest.raises(GraphError, match=r"g\.ttl: the query store is built from an N-Quads file"):
        build_query_store(ttl)
    with pytest.raises(GraphError, match=r"none\.nq: no such file"):
        build_query_store(tmp_path / "none.nq")


def test_chunks_end_at_line_ends_and_cover_the_file(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    nq.write_text(nquads(*"abcdefghij"))
    chunks = list(querystore._chunks(nq, 100))
    assert len(chunks) > 3 and all(c.endswith(b"\n") for c in chunks)
    assert b"".join(chunks) == nq.read_bytes()
    build_query_store(nq, chunk_bytes=100)
    assert names(open_query_store(nq)) == list("abcdefghij")


# --- a killed load ------------------------------------------------------------------------------

KILLED_LOADER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqsgraph.query import querystore

    nq, ready, where = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    def pause(*args, **kwargs):
        ready.write_text("paused")
        time.sleep(60)
    if where == "loading":
        real = querystore._chunks
        def chunks(path, size):
            it = real(path, size)
            yield next(it)
            pause()
            yield from it
        querystore._chunks = chunks
    else:
        querystore.write_atomic = pause
    querystore.build_query_store(nq, chunk_bytes=64)
""")


@pytest.mark.parametrize("where", ["loading", "before the swap"])
def test_a_load_killed_midway_leaves_the_previous_store_live(tmp_path: Path, where: str) -> None:
    nq = tmp_path / "g.nq"
    nq.write_text(nquads("old"))
    build_query_store(nq)
    before = read_live_database(tmp_path / "store")
    nq.write_text(nquads("new", "newer", "newest"))
    ready = tmp_path / "ready"
    child = subprocess.Popen([sys.executable, "-c", KILLED_LOADER, str(nq), str(ready), where.split()[0]])
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "the loader never reached the pause"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert read_live_database(tmp_path / "store") == before
    assert len(list((tmp_path / "store").glob("db-*"))) == 2  # the old one and the killed one's
    assert names(ox.Store.read_only(str(database_path(tmp_path / "store")))) == ["old"]
    assert freshness(nq) == "stale"
    assert names(open_query_store(nq)) == ["new", "newer", "newest"]
    live = read_live_database(tmp_path / "store").database
    # the killed load's folder is gone; the superseded store stays until the next build
    assert sorted(p.name for p in (tmp_path / "store").glob("db-*")) == sorted([before.database, live])
    build_query_store(nq)  # keeps the one it supersedes, removes the older one
    assert sorted(p.name for p in (tmp_path / "store").glob("db-*")) == sorted(
        [live, read_live_database(tmp_path / "store").database]
    )


def test_the_manifest_is_plain_json(samples_nq: Path) -> None:
    data = json.loads((samples_nq.parent / "store" / "current.json").read_text())
    assert set(data) == {
        "database",
        "source",
        "fingerprint",
        "statements",
        "load_seconds",
        "pyoxigraph",
        "format",
        "text_index",
        "results",
        "network",
    }


# --- the commands read the store of the last build ----------------------------------------------


@pytest.fixture()
def last_build(tmp_path: Path, samples_nq: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder whose output/sqsgraph.nq is the samples' graph (no store yet)."""
    (tmp_path / "output").mkdir()
    nq = tmp_path / "output" / "sqsgraph.nq"
    nq.write_bytes(samples_nq.read_bytes())
    monkeypatch.chdir(tmp_path)
    return nq


def cli(*args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from sqsgraph.cli import main

    return CliRunner().invoke(main, list(args))


def never_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make loading a graph file fail, so a command that works read the store."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the graph file was loaded instead of the query store")

    monkeypatch.setattr("sqsgraph.rdf.datasets.load_dataset", refuse)
    monkeypatch.setattr("sqsgraph.query.run.open_store", refuse)


def test_query_builds_the_store_of_the_last_build_once_then_reads_it(last_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cli("query", "inspection-timeline", "--format", "csv")
    assert first.exit_code == 0, first.output
    assert first.stderr == (
        f"note: building the query store {Path('output/store')}/ from {Path('output/sqsgraph.nq')} "
        "(there is none yet); this takes a while for a large graph, once\n"
    )
    assert len(first.stdout.splitlines()) == 1 + 5
    assert (last_build.parent / "store" / "current.json").is_file()
    never_load(monkeypatch)
    second = cli("query", "inspection-timeline", "--format", "csv")
    assert (second.exit_code, second.stderr, second.stdout) == (0, "", first.stdout)


def test_every_reading_command_uses_the_store(last_build: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert cli("query", "candidate-matches").exit_code == 0  # builds the store
    never_load(monkeypatch)
    people = cli("people")
    assert people.exit_code == 0 and "Julie Fox" in people.stdout and people.stderr == ""
    stats = cli("stats", "--format", "csv")
    assert stats.exit_code == 0 and stats.stdout.startswith("section,rank,label,iri,value\ntotal,,nodes,,")
    view = cli("view", "overview", "-o", str(tmp_path / "views"))
    assert view.exit_code == 0 and view.stdout.startswith(f"wrote {tmp_path / 'views' / 'overview.html'}: ")


def test_a_changed_last_build_is_reloaded_with_a_note(last_build: Path) -> None:
    assert cli("query", "--sparql", "SELECT (COUNT(*) AS ?n) { ?s <urn:x:p> ?o }", "--format", "csv").stdout == "n\n0\n"
    with last_build.open("a") as fh:
        fh.write("<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:g> .\n")
    again = cli("query", "--sparql", "SELECT (COUNT(*) AS ?n) { ?s <urn:x:p> ?o }", "--format", "csv")
    assert "(the graph changed since it was built)" in again.stderr
    assert again.stdout == "n\n1\n"


def test_another_graph_file_is_loaded_as_before_unless_its_store_is_fresh(
    tmp_path: Path, samples_nq: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere" / "graph.nq"
    other.parent.mkdir()
    other.write_bytes(samples_nq.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = cli("query", "candidate-matches", "--graph", str(other), "--format", "csv")
    assert result.exit_code == 0 and result.stderr == f"note: reading the graph {other}\n"
    assert not (other.parent / "store").exists()  # never built beside a file it was not asked for
    build_query_store(other)
    never_load(monkeypatch)
    assert cli("query", "candidate-matches", "--graph", str(other), "--format", "csv").stdout == result.stdout


def test_the_endpoint_serves_a_snapshot_of_the_store_that_a_rebuild_leaves_alone(tmp_path: Path) -> None:
    import json as json_
    import threading
    import urllib.parse
    import urllib.request

    from sqsgraph.serve.server import Limits, create_server

    nq = tmp_path / "sqsgraph.nq"
    nq.write_text(nquads("a"))
    build_query_store(nq)
    srv = create_server(tmp_path / "store", port=0, limits=Limits(workers=1))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    snapshot = Path(srv.pool.store_path)
    try:
        nq.write_text(nquads("a", "b"))
        build_query_store(nq)
        build_query_store(nq)  # the database the snapshot was taken from is removed now
        query = urllib.parse.urlencode({"query": f"SELECT ?n WHERE {{ ?s <{EX}name> ?n }}"})
        with urllib.request.urlopen(f"{srv.url}sparql?{query}", timeout=10) as response:
            rows = json_.loads(response.read())["results"]["bindings"]
        assert [r["n"]["value"] for r in rows] == ["a"]
        assert snapshot.parent.parent == tmp_path / "store"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)
    assert not snapshot.parent.exists()


def test_a_new_build_leaves_the_temporary_file_of_a_running_writer_and_clears_a_dead_ones(tmp_path: Path) -> None:
    """The views' cuts are written without the builder's lock, so a load may start while another
    process writes them: its temporary file is left alone; one left by a killed writer goes."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    running = tmp_path / f".net-db-1-a.json.{os.getpid()}.x1y2.tmp"
    left = [tmp_path / f".net-db-1-a.json.{dead.pid}.x1y2.tmp", tmp_path / f".fts-db-1-a.sqlite.{dead.pid}.tmp"]
    for path in (running, *left):
        path.write_bytes(b"partial")
    querystore.remove_stale_databases(tmp_path, keep=set())
    assert running.exists() and not any(path.exists() for path in left)
