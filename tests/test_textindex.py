"""The full-text index beside the query store: the named queries that declare a text search
answer the same rows with it as without it, it is really what narrows them, and it is built,
swapped and snapshotted with its database."""

from __future__ import annotations

import os
import shlex
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from graph_samples import samples_store

from sqsgraph.errors import QueryError
from sqsgraph.query.library import bind_params, load_queries
from sqsgraph.query.matching import fold
from sqsgraph.query.querystore import (
    build_query_store,
    database_path,
    ensure_text_index,
    open_text_index,
    read_live_database,
    snapshot,
)
from sqsgraph.query.run import run_query
from sqsgraph.query.textindex import (
    MIN_TERM_CHARS,
    TextIndex,
    build_text_index,
    declared_predicates,
    text_searches,
)

SEARCHING = {name: q for name, q in load_queries().items() if text_searches(q.text, name)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, TextIndex, Path]:
    nq = tmp_path_factory.mktemp("build") / "sqsgraph.nq"
    samples_store().dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    folder = build_query_store(nq)
    index = open_text_index(folder)
    assert index is not None
    return ox.Store.read_only(str(database_path(folder))), index, folder


#: Searches whose query keeps only a whole name (an area's, in any case), and where those names are:
#: pieces of other texts of the predicate would find nothing.
WHOLE_NAMES = {
    "area": "SELECT ?t { ?a a <https://schema.org/AdministrativeArea> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?t }"
}


def terms(store: ox.Store, predicate: str, param: str = "") -> list[str]:
    """Search terms taken from the data: pieces of its texts in other cases, a term with a
    quote, one too short for the index and one found nowhere (and whole names, in other cases,
    for a search that keeps only those)."""
    texts = [
        row[0].value
        for row in store.query(f"SELECT ?t {{ ?s <{predicate}> ?t }} ORDER BY ?t LIMIT 40", use_default_graph_as_union=True)
    ]
    assert texts, "the samples have texts to search"
    out = []
    if param in WHOLE_NAMES:
        names = sorted(row[0].value for row in store.query(WHOLE_NAMES[param], use_default_graph_as_union=True))
        out += [n for name in names[:: max(1, len(names) // 4)] for n in (name, name.upper(), name.lower())]
    for text in texts[::8]:
        words = text.split()
        middle = " ".join(words[len(words) // 2 : len(words) // 2 + 2])
        out += [middle.upper(), middle.lower()[1:]]
    return [t for t in out if len(t) >= MIN_TERM_CHARS] + ['a"b', 'a"bc', "zz", "no such text anywhere"]


def params(query, param: str, term: str):  # type: ignore[no-untyped-def]
    """The query's bindings for ``term``, its other parameters as in its header's example."""
    words = shlex.split(query.examples[0]) if query.examples else []
    example = dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--param")
    return bind_params(query, {**{k: v for k, v in example.items() if k != param}, param: term})


def bag(result) -> Counter:  # type: ignore[no-untyped-def]
    return Counter(tuple(str(t) for t in row) for row in result.rows)


def test_the_text_searching_queries_declare_their_search() -> None:
    assert {"findings-mentioning", "counts-by-theme"} <= set(SEARCHING)
    for name, q in SEARCHING.items():
        params = {p.name for p in q.params}
        for search in text_searches(q.text, name):
            assert search.param in params, name
            assert f"?{search.variable}" in q.text and search.predicate.startswith("http"), name
    assert declared_predicates() == sorted({s.predicate for q in SEARCHING.values() for s in text_searches(q.text)})


@pytest.mark.parametrize("name", sorted(SEARCHING))
def test_same_rows_with_and_without_the_index_and_the_index_answers(built, name: str) -> None:  # type: ignore[no-untyped-def]
    store, index, _ = built
    query = SEARCHING[name]
    (search,) = text_searches(query.text, name)
    some = 0
    for term in terms(store, search.predicate, search.param):
        bindings = params(query, search.param, term)
        before = index.searches
        plain = run_query(store, query.text, bindings)
        fast = run_query(store, query.text, bindings, text_index=index)
        assert bag(fast) == bag(plain), term
        assert fast.rows == plain.rows, term  # the ORDER BY keys end with the node: one order
        if len(fold(term)) >= MIN_TERM_CHARS:  # the index holds folded texts, so counts folded characters
            assert fast.searched == (search.param,) and index.searches == before + 1, term
        else:
            assert fast.searched == () and index.searches == before, term
        some += bool(plain.rows)
    assert some >= 2, "the terms taken from the data find rows"


@pytest.mark.parametrize("name", sorted(SEARCHING))
def test_the_index_is_what_narrows_the_query(built, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    """An index of a graph without those texts finds nothing, so the query answers nothing:
    the rows come from the index's nodes, not from a scan that ignores it."""
    store, index, _ = built
    query = SEARCHING[name]
    (search,) = text_searches(query.text, name)
    found = [params(query, search.param, t) for t in terms(store, search.predicate, search.param)]
    bindings = next(b for b in found if run_query(store, query.text, b).rows)
    assert run_query(store, query.text, bindings, text_index=index).rows
    empty = TextIndex(build_text_index(ox.Store(), tmp_path / "empty.sqlite", [search.predicate]))
    assert run_query(store, query.text, bindings, text_index=empty).rows == []


def test_an_optional_search_not_given_does_not_ask_the_index(built) -> None:  # type: ignore[no-untyped-def]
    store, index, _ = built
    query = load_queries()["counts-by-theme"]
    before = index.searches
    result = run_query(store, query.text, {}, text_index=index)
    assert result.rows and result.searched == () and index.searches == before


def test_the_index_is_named_in_the_manifest_and_replaced_with_its_database(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    nq = tmp_path / "g.nq"
    nq.write_bytes(b'<https://example.org/a> <https://schema.org/text> "Alpha Beta" <https://example.org/g> .\n')
    folder = build_query_store(nq)
    first = read_live_database(folder)
    assert first.text_index == f"fts-{first.database}.sqlite" and (folder / first.text_index).is_file()
    assert open_text_index(folder).search("https://schema.org/text", "HA BE") == ["<https://example.org/a>"]
    nq.write_bytes(b'<https://example.org/b> <https://schema.org/text> "Gamma" <https://example.org/g> .\n')
    second = read_live_database(build_query_store(nq))
    assert open_text_index(folder).search("https://schema.org/text", "alpha") == []
    build_query_store(nq)  # the next build removes the superseded database and its index
    assert not (folder / first.text_index).exists() and (folder / second.text_index).exists()


def test_a_store_without_an_index_gets_one(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    nq.write_bytes(b'<https://example.org/a> <https://schema.org/text> "Alpha" <https://example.org/g> .\n')
    folder = build_query_store(nq)
    manifest = read_live_database(folder)
    (folder / manifest.text_index).unlink()
    assert open_text_index(folder) is None
    ensure_text_index(folder)
    assert open_text_index(folder).search("https://schema.org/text", "lph") == ["<https://example.org/a>"]


def test_blank_node_subjects_leave_the_predicate_to_the_query(tmp_path: Path) -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.BlankNode("x"), ox.NamedNode("https://schema.org/text"), ox.Literal("Alpha")))
    index = TextIndex(build_text_index(store, tmp_path / "i.sqlite"))
    assert index.search("https://schema.org/text", "alpha") is None


def test_a_snapshot_holds_a_link_to_the_index(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    nq.write_bytes(b'<https://example.org/a> <https://schema.org/text> "Alpha" <https://example.org/g> .\n')
    folder = build_query_store(nq)
    snap = snapshot(folder)
    try:
        live = folder / read_live_database(folder).text_index
        assert snap.text_index is not None and os.path.samefile(snap.text_index, live)
        build_query_store(nq)
        build_query_store(nq)  # the database and index of the snapshot are gone from the store...
        assert not live.exists()
        assert TextIndex(snap.text_index).search("https://schema.org/text", "alpha") == ["<https://example.org/a>"]
    finally:
        snap.remove()


def test_a_malformed_search_line_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="cannot read"):
        text_searches("# search: term ?finding schema:text\nSELECT * {}")
    with pytest.raises(QueryError, match="no PREFIX nope:"):
        text_searches("# search: term narrows ?finding by nope:text\nSELECT * {}")


def test_an_sqlite_too_old_for_trigrams_builds_the_store_without_the_index(
    built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from sqsgraph.query.textindex import text_index_unavailable

    assert text_index_unavailable() is None  # this SQLite has trigrams (the other tests need it)
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    assert "3.31.1" in text_index_unavailable()
    store, _, _ = built
    nq = tmp_path / "sqsgraph.nq"
    store.dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    folder = build_query_store(nq)
    assert "without its full-text index" in capfd.readouterr().err
    manifest = read_live_database(folder)
    assert manifest.text_index is None and not list(folder.glob("fts-*"))
    assert open_text_index(folder) is None and ensure_text_index(folder) is None
    query = SEARCHING["findings-mentioning"]
    (search,) = text_searches(query.text, "findings-mentioning")
    bindings = next(
        b
        for b in (bind_params(query, {search.param: t}) for t in terms(store, search.predicate))
        if run_query(store, query.text, b).rows
    )
    fresh = ox.Store.read_only(str(database_path(folder)))
    assert run_query(fresh, query.text, bindings).rows == run_query(store, query.text, bindings).rows
