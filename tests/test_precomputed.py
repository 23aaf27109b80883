"""The named queries' answers computed when the query store is built: the same rows, columns and
terms as SPARQL gives, really served from the file, and never stale."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from graph_samples import samples_store

from sqsgraph.errors import QueryError
from sqsgraph.query.answers import (
    Precomputed,
    decode_rows,
    encode_row,
    narrowing_declarations,
    precompute_declarations,
)
from sqsgraph.query.library import bind_params, load_queries
from sqsgraph.query.precompute import Planned, _once, build_results, plan
from sqsgraph.query.querystore import (
    build_query_store,
    database_path,
    ensure_precomputed,
    open_precomputed,
    open_text_index,
    read_live_database,
    snapshot,
)
from sqsgraph.query.rewrite import parameter_subselect, parameters_first
from sqsgraph.query.run import run_query
from sqsgraph.query.textindex import text_searches


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Precomputed, Path]:
    nq = tmp_path_factory.mktemp("build") / "sqsgraph.nq"
    samples_store().dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    folder = build_query_store(nq)
    answers = open_precomputed(folder)
    assert answers is not None
    return ox.Store.read_only(str(database_path(folder))), answers, folder


def test_every_query_without_required_parameters_is_planned(built) -> None:  # type: ignore[no-untyped-def]
    store, answers, _ = built
    planned = plan(store)
    names = {p.query for p in planned if not p.bindings}
    assert names == {n for n, q in load_queries().items() if all(p.optional for p in q.params)}
    valued = {p.query for p in planned if p.bindings and not p.narrows}
    assert valued == {n for n, q in load_queries().items() if precompute_declarations(q.text, n)}
    narrowed = {p.query for p in planned if p.narrows}
    assert narrowed == {n for n, q in load_queries().items() if narrowing_declarations(q.text, n)}
    assert len(answers) == sum(1 + len(p.same_as) + (p.inlined is not None) for p in planned)  # and the query as run
    for item in planned:
        for bindings in (item.bindings, *item.same_as):
            assert answers.has(item.text, bindings), item
    assert any(p.same_as for p in planned), "values picking the same themes share one run"


def every_answer(store):  # type: ignore[no-untyped-def]
    """Each precomputed (query text, bindings), those sharing a run included."""
    return [(p.query, p.text, b) for p in plan(store) for b in (p.bindings, *p.same_as)]


def test_same_rows_columns_and_terms_with_and_without_precomputed_answers(built) -> None:  # type: ignore[no-untyped-def]
    store, answers, _ = built
    some = 0
    for name, text, bindings in every_answer(store):
        plain = run_query(store, text, bindings)
        fast = run_query(store, text, bindings, precomputed=answers)
        assert fast.precomputed and not plain.precomputed
        assert fast.variables == plain.variables, name
        assert fast.rows == plain.rows, (name, bindings)  # same terms (kind, value, datatype, language), same order
        assert [tuple(map(type, r)) for r in fast.rows] == [tuple(map(type, r)) for r in plain.rows]
        assert [str(t) for r in fast.rows for t in r] == [str(t) for r in plain.rows for t in r]
        n = len(plain.rows)
        for limit, offset in ((1, 0), (2, 1), (None, max(0, n - 2)), (0, 0), (n + 5, 0), (3, n + 1)):
            a = run_query(store, text, bindings, limit=limit, offset=offset)
            b = run_query(store, text, bindings, limit=limit, offset=offset, precomputed=answers)
            assert (b.rows, b.more) == (a.rows, a.more), (name, limit, offset)
        some += n > 0
    assert some >= 5, "the samples answer the planned queries"


def test_typed_values_are_rebuilt(built) -> None:  # type: ignore[no-untyped-def]
    """The samples' answers hold IRIs, plain strings and typed literals (dates, integers)."""
    store, answers, _ = built
    seen = set()
    for _, text, bindings in every_answer(store):
        for row in run_query(store, text, bindings, precomputed=answers).rows:
            for t in row:
                if isinstance(t, ox.Literal):
                    seen.add(t.datatype.value)
                else:
                    seen.add(type(t).__name__)
    assert {"NamedNode", "http://www.w3.org/2001/XMLSchema#string"} <= seen
    assert len(seen - {"NamedNode", "NoneType", "http://www.w3.org/2001/XMLSchema#string"}) >= 1, seen


def test_the_answers_are_served_from_the_file(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Answers computed over an empty graph are served as they are, though SPARQL over the
    samples finds rows: the rows come from the file, not from running the query."""
    store, answers, _ = built
    empty = Precomputed(build_results(ox.Store(), tmp_path / "empty.sqlite"))
    query = load_queries()["inspectors"]
    assert run_query(store, query.text).rows
    before = empty.served
    result = run_query(store, query.text, precomputed=empty)
    assert result.rows == [] and result.precomputed and empty.served == before + 1
    assert result.variables == run_query(store, query.text).variables


def test_other_parameters_and_edited_queries_run_sparql(built) -> None:  # type: ignore[no-untyped-def]
    store, answers, _ = built
    query = load_queries()["findings-by-theme"]
    before = answers.served
    odd = bind_params(query, {"theme": "no theme is called this"})
    assert not run_query(store, query.text, odd, precomputed=answers).precomputed
    edited = query.text + "\n# edited\n"
    assert not run_query(store, edited, {}, precomputed=answers).precomputed
    needs = load_queries()["body-profile"]  # a required parameter: nothing precomputed
    area = bind_params(needs, {"area": "x"})
    assert not run_query(store, needs.text, area, precomputed=answers).precomputed
    assert answers.served == before


def test_a_rebuilt_store_does_not_serve_stale_answers(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    text = load_queries()["inspection-timeline"].text
    samples_store().dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    folder = build_query_store(nq)
    first = read_live_database(folder)
    assert first.results == f"res-{first.database}.sqlite" and (folder / first.results).is_file()
    old_rows = run_query(ox.Store.read_only(str(database_path(folder))), text, precomputed=open_precomputed(folder)).rows
    assert old_rows
    # a new graph: the first report's graph only
    keep = [line for line in nq.read_text(encoding="utf-8").splitlines(keepends=True)]
    graphs = sorted({line.rsplit(" ", 2)[-2] for line in keep if "/graph/" in line.rsplit(" ", 2)[-2]})
    nq.write_text("".join(line for line in keep if graphs[0] not in line.rsplit(" ", 2)[-2]), encoding="utf-8")
    build_query_store(nq)
    second = read_live_database(folder)
    new_store = ox.Store.read_only(str(database_path(folder)))
    fresh = run_query(new_store, text, precomputed=open_precomputed(folder))
    assert fresh.precomputed and fresh.rows == run_query(new_store, text).rows and fresh.rows != old_rows
    build_query_store(nq)  # the next build removes the superseded database and its answers
    assert not (folder / first.results).exists() and (folder / second.results).exists()


def test_a_store_without_answers_gets_them_and_a_snapshot_links_them(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    samples_store().dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    folder = build_query_store(nq)
    (folder / read_live_database(folder).results).unlink()
    assert open_precomputed(folder) is None
    ensure_precomputed(folder)
    live = folder / read_live_database(folder).results
    assert len(open_precomputed(folder)) > 0
    snap = snapshot(folder)
    try:
        assert snap.results is not None and os.path.samefile(snap.results, live)
        build_query_store(nq)
        build_query_store(nq)
        assert not live.exists() and len(Precomputed(snap.results)) > 0
    finally:
        snap.remove()


def test_a_killed_results_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.sqlite"

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("sqsgraph.query.precompute.stream_rows", boom)
    with pytest.raises(KeyboardInterrupt):
        build_results(samples_store(), target)
    assert list(tmp_path.iterdir()) == []


def test_a_malformed_precompute_line_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="cannot read"):
        precompute_declarations("# precompute: theme SELECT ?value {}\nSELECT * {}")
    assert precompute_declarations("# precompute: t from SELECT ?value { }\nPREFIX a: <urn:a>\nSELECT * {}") == [
        ("t", "PREFIX a: <urn:a>\nSELECT ?value { }")
    ]


def test_an_unreadable_file_is_a_query_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    sqlite3.connect(bad).execute("CREATE TABLE x(y)").connection.commit()
    with pytest.raises(QueryError, match="not a readable"):
        Precomputed(bad)


def test_stored_rows_come_back_as_the_same_terms_whatever_their_text() -> None:
    XSD = "http://www.w3.org/2001/XMLSchema#"
    rows = [
        (
            ox.NamedNode("https://example.org/a b".replace(" ", "%20")),
            ox.Literal("x@y z", language="en-gb"),
            ox.Literal("2024-01-31", datatype=ox.NamedNode(XSD + "date")),
            None,
        ),
        (ox.Literal(""), ox.Literal("  spaced  out ", datatype=ox.NamedNode(XSD + "token")), ox.BlankNode("b0"), ox.Literal("@")),
        (ox.Literal("a\x1fb\x1ec"), None, ox.Literal("l\x1f", language="fr"), ox.Literal("“quoted” ’")),
        (None, None, None, None),
    ]
    stored = [encode_row(r) for r in rows]
    assert stored[2].startswith("[") and not any(s.startswith("[") for s in stored[:2] + stored[3:])
    assert decode_rows(stored, 4) == rows
    assert [tuple(type(t) for t in r) for r in decode_rows(stored, 4)] == [tuple(type(t) for t in r) for r in rows]
    assert decode_rows([encode_row(())], 0) == [()] and decode_rows([encode_row((None,))], 1) == [(None,)]


def test_a_file_of_another_format_serves_nothing(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, _, _ = built
    path = build_results(store, tmp_path / "old.sqlite")
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
    db.commit()
    db.close()
    old = Precomputed(path)
    query = load_queries()["inspectors"]
    result = run_query(store, query.text, precomputed=old)
    assert not old.current and len(old) == 0 and not result.precomputed
    assert result.rows == run_query(store, query.text).rows


def search_terms(store: ox.Store, predicate: str) -> list[str]:
    """Pieces of the data's texts in other cases, one too short for the index, one found nowhere."""
    texts = [
        row[0].value
        for row in store.query(f"SELECT ?t {{ ?s <{predicate}> ?t }} ORDER BY ?t LIMIT 60", use_default_graph_as_union=True)
    ]
    out = []
    for text in texts[::6]:
        words = text.split()
        out += [" ".join(words[len(words) // 2 : len(words) // 2 + 2]).upper(), words[0].lower()]
    return out + ["zz", "no such text anywhere", "the"]


NARROWING = {n: q for n, q in load_queries().items() if narrowing_declarations(q.text, n)}


@pytest.mark.parametrize("name", sorted(NARROWING))
def test_a_text_search_narrows_the_stored_answer_to_the_same_rows(built, name: str) -> None:  # type: ignore[no-untyped-def]
    store, answers, folder = built
    index = open_text_index(folder)
    query = NARROWING[name]
    ((param, var),) = narrowing_declarations(query.text, name)
    (search,) = text_searches(query.text, name)
    served, some = 0, 0
    for term in search_terms(store, search.predicate):
        bindings = bind_params(query, {param: term})
        plain = run_query(store, query.text, bindings)
        fast = run_query(store, query.text, bindings, text_index=index, precomputed=answers)
        assert fast.variables == plain.variables and fast.rows == plain.rows, term
        assert fast.precomputed == (len(term) >= 3), term  # shorter terms: the index cannot look them up
        n = len(plain.rows)
        for limit, offset in ((1, 0), (2, 1), (None, max(0, n - 2)), (0, 0), (3, n + 1)):
            a = run_query(store, query.text, bindings, limit=limit, offset=offset)
            b = run_query(store, query.text, bindings, limit=limit, offset=offset, text_index=index, precomputed=answers)
            assert (b.rows, b.more) == (a.rows, a.more), (term, limit, offset)
        served += fast.precomputed
        some += n > 0
    assert served >= 5 and some >= 3
    # without the index the stored answer cannot be narrowed: SPARQL runs
    assert not run_query(store, query.text, bind_params(query, {param: "the"}), precomputed=answers).precomputed


def test_a_narrowed_search_is_served_from_the_file(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, _, folder = built
    empty = Precomputed(build_results(ox.Store(), tmp_path / "empty.sqlite"))
    query = load_queries()["findings-mentioning"]
    bindings = bind_params(query, {"term": "the"})
    assert run_query(store, query.text, bindings).rows
    result = run_query(store, query.text, bindings, text_index=open_text_index(folder), precomputed=empty)
    assert result.precomputed and result.rows == []


def test_a_node_with_two_texts_leaves_the_search_to_sparql(tmp_path: Path) -> None:
    store = samples_store()
    node = next(iter(store.query("SELECT ?s { ?s <https://schema.org/text> ?t } LIMIT 1", use_default_graph_as_union=True)))[0]
    store.add(ox.Quad(node, ox.NamedNode("https://schema.org/text"), ox.Literal("a second text"), ox.NamedNode("urn:g")))
    # the searches of texts are left to SPARQL; that of people's names (one each) is still narrowed
    assert {p.narrows[2] for p in plan(store) if p.narrows} == {"http://xmlns.com/foaf/0.1/name"}
    assert {param for _, param in Precomputed(build_results(store, tmp_path / "r.sqlite"))._narrowed} == {"name_part"}


def test_a_store_can_be_built_without_them(tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    samples_store().dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    folder = build_query_store(nq, precompute=False)
    assert read_live_database(folder).results is None and open_precomputed(folder) is None and not list(folder.glob("res-*"))


# ------------------------------------------------- parameters first, and a small synthetic corpus


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Precomputed, Path]:
    """A query store of 40 synthetic reports: national bodies in every report, local ones in one."""
    from sqsgraph.rdf.export import sorted_quads
    from sqsgraph.rdf.mapper import map_reports
    from sqsgraph.read.parser import parse_files
    from sqsgraph.synth.corpus import write_corpus

    folder = tmp_path_factory.mktemp("synthetic")
    store = ox.Store()
    store.extend(sorted_quads(map_reports(parse_files(write_corpus(40, folder / "reports", seed=3)).reports)))
    nq = folder / "sqsgraph.nq"
    store.dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    built = build_query_store(nq)
    answers = open_precomputed(built)
    assert answers is not None
    return ox.Store.read_only(str(database_path(built))), answers, built


FIRST = {n: q for n, q in load_queries().items() if parameters_first(q.text, n)}


def _areas_as_sets(rows):  # type: ignore[no-untyped-def]
    """Rows with the ``; ``-joined areas as a set: SPARQL leaves the order GROUP_CONCAT joins them in open."""
    return sorted(
        tuple(frozenset(t.value.split("; ")) if v == "areas" else str(t) for v, t in zip(VARS, row, strict=True)) for row in rows
    )


VARS: list[str] = []


def organisation_terms(store: ox.Store) -> list[str]:
    """Organisation names from the data, in other cases and cut short, a local one, one too short for
    the index and one found nowhere."""
    labels = sorted(
        {
            row[0].value
            for row in store.query(
                "SELECT ?l { ?o a <http://www.w3.org/ns/org#Organization> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }",
                use_default_graph_as_union=True,
            )
        }
    )
    out = []
    for label in labels[:: max(1, len(labels) // 12)]:
        out += [label, label.upper(), label.lower()[1:], label.split()[0]]
    return out + ["of", "no such organisation"]


@pytest.mark.parametrize("corpus", ["built", "synthetic"])
def test_parameters_first_gives_the_solutions_of_the_query_as_written(corpus: str, request: pytest.FixtureRequest) -> None:
    store, _, _ = request.getfixturevalue(corpus)
    assert set(FIRST) == {"people-by-organisation"}
    query = FIRST["people-by-organisation"]
    written = query.text.replace("# plan: parameters first\n", "")
    assert not parameters_first(written)
    some = 0
    for term in organisation_terms(store):
        bindings = bind_params(query, {"organisation": term})
        first, plain = run_query(store, query.text, bindings), run_query(store, written, bindings)
        VARS[:] = plain.variables
        assert first.variables == plain.variables and _areas_as_sets(first.rows) == _areas_as_sets(plain.rows), term
        some += bool(plain.rows)
    assert some >= 5


@pytest.mark.parametrize("corpus", ["built", "synthetic"])
def test_a_value_that_picks_the_same_organisations_is_served_their_stored_answer(
    corpus: str, request: pytest.FixtureRequest
) -> None:
    """'Ofsted', 'OFSTED' and 'fsted' pick the same organisations: the answer stored for one is the
    answer SPARQL gives for the others, row for row; other values run SPARQL."""
    store, answers, folder = request.getfixturevalue(corpus)
    index = open_text_index(folder)
    query = FIRST["people-by-organisation"]
    planned = {
        b[ox.Variable("organisation")].value for p in plan(store) if p.query == query.name for b in (p.bindings, *p.same_as)
    }
    assert planned, "the organisations in several reports are answered in advance"
    served = 0
    for term in sorted(planned) + [t for v in sorted(planned) for t in (v.upper(), v.lower()[1:])] + organisation_terms(store):
        bindings = bind_params(query, {"organisation": term})
        plain = run_query(store, query.text, bindings, text_index=index)
        fast = run_query(store, query.text, bindings, text_index=index, precomputed=answers)
        assert fast.variables == plain.variables and fast.rows == plain.rows, term
        assert run_query(store, query.text, bindings).rows == plain.rows, term  # with or without the index
        if term in planned:
            assert fast.precomputed, term
        served += fast.precomputed and term not in planned
        for limit, offset in ((1, 0), (2, 1), (3, len(plain.rows) + 1)):
            b = run_query(store, query.text, bindings, limit=limit, offset=offset, text_index=index, precomputed=answers)
            assert (b.rows, b.more) == (plain.rows[offset : offset + limit], len(plain.rows) > offset + limit), term
    assert served >= 5, "other spellings of the planned values are served too"


@pytest.mark.parametrize("name", sorted(NARROWING))
def test_a_text_search_narrows_the_stored_answer_on_a_synthetic_corpus(synthetic, name: str) -> None:  # type: ignore[no-untyped-def]
    store, answers, folder = synthetic
    index = open_text_index(folder)
    query = NARROWING[name]
    ((param, _),) = narrowing_declarations(query.text, name)
    (search,) = text_searches(query.text, name)
    served = 0
    for term in search_terms(store, search.predicate):
        bindings = bind_params(query, {param: term})
        plain = run_query(store, query.text, bindings)
        fast = run_query(store, query.text, bindings, text_index=index, precomputed=answers)
        assert fast.variables == plain.variables and fast.rows == plain.rows, term
        served += fast.precomputed
    assert served >= 5


def test_the_parameter_subselect_is_found() -> None:
    text = "SELECT ?x { { SELECT ?y WHERE { ?y ?p ?o } ORDER BY ?y } ?x ?q ?y }"
    start, end = parameter_subselect(text)
    assert text[start : end + 1] == "{ SELECT ?y WHERE { ?y ?p ?o } ORDER BY ?y }"
    assert parameter_subselect("SELECT ?x WHERE { { SELECT ?y { ?y ?p ?o } } }") is None
    with pytest.raises(QueryError, match="cannot read"):
        parameters_first("# plan: whatever first\nSELECT * {}")


def test_answers_made_several_at_a_time_are_the_answers_made_one_by_one(
    built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Oxigraph answers the planned queries side by side; the file holds the same answers,
    rowsets and rows, numbered alike, as when they are answered one after another."""
    import sqsgraph.query.precompute as precompute

    store, _, _ = built

    def dump(path: Path) -> list[tuple[object, ...]]:
        db = sqlite3.connect(path)
        try:
            return [
                *db.execute("SELECT key, query, params, rowset FROM answers ORDER BY key"),
                *db.execute("SELECT * FROM rowsets ORDER BY id"),
                *db.execute("SELECT * FROM rows ORDER BY rowset, n"),
                *db.execute("SELECT * FROM narrowed ORDER BY query, param"),
                *db.execute("SELECT * FROM nodes ORDER BY rowset, node, n"),
            ]
        finally:
            db.close()

    monkeypatch.setattr(precompute, "THREADS", 1)
    one = dump(build_results(store, tmp_path / "one.sqlite"))
    monkeypatch.setattr(precompute, "THREADS", 4)
    several = dump(build_results(store, tmp_path / "four.sqlite"))
    assert len(one) > 100 and several == one


def test_an_answer_an_earlier_item_stores_already_is_not_run_again() -> None:
    """An item asking what an earlier item's answer stands for (one of its ``same_as``
    parameters, or the query it ran with its parameters in place) is not run: it would only be
    thrown away."""
    text = "SELECT ?s { ?s ?p ?o FILTER (!BOUND(?x) || ?o = ?x) }"
    x = ox.Variable("x")
    first = Planned("q", text, {}, same_as=({x: ox.Literal("a")},))
    inlined = Planned("q", text, {x: ox.Literal("b")}, inlined="SELECT ?s { ?s ?p ?o }")
    planned = [
        first,
        Planned("q", text, {x: ox.Literal("a")}),  # first's answer stands for it
        inlined,
        Planned("q", "SELECT ?s { ?s ?p ?o }", {}),  # the query inlined ran
        Planned("q", text, {x: ox.Literal("c")}),
        Planned("q", text, {x: ox.Literal("c")}),  # the same again
    ]
    assert _once(planned) == [first, inlined, planned[4]]
