"""The endpoint's named-query route ``GET /query/<name>``, asked over HTTP of a real
`sqsgraph serve` on a query store: the rows of run_query, in pages, from the precomputed answers
and the text index where the store has them, within the endpoint's limits."""

from __future__ import annotations

import csv
import http.client
import io
import json
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from graph_samples import example_params, samples_store
from serving import ServeProcess, json_term

from sqsgraph.query.answers import narrowing_declarations
from sqsgraph.query.library import bind_params, load_queries
from sqsgraph.query.matching import fold
from sqsgraph.query.precompute import plan
from sqsgraph.query.querystore import build_query_store, database_path, open_precomputed
from sqsgraph.query.run import run_query

MAX_RESULTS = 20  # small, so the samples' longer answers need pages


class Server(ServeProcess):
    def __init__(self, graph: Path, log: Path) -> None:
        super().__init__(graph, log, "--workers", "2", "--timeout", "20", "--max-results", str(MAX_RESULTS))

    def get(self, path: str, accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers={"Accept": accept})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ox.Store]:
    nq = tmp_path_factory.mktemp("named") / "sqsgraph.nq"
    samples_store().dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
    folder = build_query_store(nq)
    assert open_precomputed(folder) is not None
    return nq, ox.Store.read_only(str(database_path(folder)))


@pytest.fixture(scope="module")
def server(built, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    srv = Server(built[0], tmp_path_factory.mktemp("named-log") / "serve.log")
    try:
        yield srv
    finally:
        srv.stop()


def url(name: str, params: dict[str, str], **page: int) -> str:
    query = urllib.parse.urlencode({**params, **{k: str(v) for k, v in page.items()}})
    return f"/query/{urllib.parse.quote(name)}" + (f"?{query}" if query else "")


def all_pages(server: Server, name: str, params: dict[str, str], size: int) -> tuple[list[str], list[dict], list[str]]:
    """Every row of a named query, fetched ``size`` rows at a time; and each page's X-Precomputed."""
    rows, flags, offset, variables = [], [], 0, []
    while True:
        status, headers, body = server.get(url(name, params, limit=size, offset=offset))
        assert status == 200, body
        doc = json.loads(body)
        variables = doc["head"]["vars"]
        rows += doc["results"]["bindings"]
        flags.append(headers["x-precomputed"])
        if "x-next-offset" not in headers:
            assert len(doc["results"]["bindings"]) <= size
            return variables, rows, flags
        offset = int(headers["x-next-offset"])
        assert offset == len(rows)


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_each_named_query_answers_the_rows_of_run_query(server, built, name: str) -> None:  # type: ignore[no-untyped-def]
    _, store = built
    query = load_queries()[name]
    params = example_params(query)
    expected = run_query(store, query.text, bind_params(query, params))
    variables, rows, flags = all_pages(server, name, params, 7)
    assert variables == expected.variables
    assert rows == [{v: json_term(t) for v, t in zip(expected.variables, row, strict=True) if t is not None} for row in expected.rows]
    folded = {k: fold(v) for k, v in params.items()}  # string parameters are bound folded
    planned = any(p.query == name and {v.value: t.value for v, t in b.items()} == folded
                  for p in plan(store) for b in (p.bindings, *p.same_as))
    narrowed = [param for param, _ in narrowing_declarations(query.text, name)]
    planned = planned or (list(params) == narrowed and len(params[narrowed[0]]) >= 3)  # the index narrows a stored answer
    assert set(flags) == {"true" if planned else "false"}, name


def test_the_precomputed_answers_and_the_text_index_are_used(server, built) -> None:  # type: ignore[no-untyped-def]
    status, headers, _ = server.get(url("inspectors", {}, limit=5))
    assert status == 200 and headers["x-precomputed"] == "true"
    query = load_queries()["findings-mentioning"]
    status, headers, body = server.get(url("findings-mentioning", example_params(query), limit=5))
    assert status == 200 and headers["x-precomputed"] == "true" and headers["x-text-index"] == "term", body
    status, headers, body = server.get(url("findings-mentioning", {"term": "zz"}, limit=5))  # too short for the index
    assert status == 200 and headers["x-precomputed"] == "false" and "x-text-index" not in headers, body


def test_a_whole_answer_over_the_result_limit_is_refused(server, built) -> None:  # type: ignore[no-untyped-def]
    _, store = built
    big = next(name for name, q in load_queries().items()
               if all(p.optional for p in q.params) and len(run_query(store, q.text).rows) > MAX_RESULTS)
    status, _, body = server.get(url(big, {}))
    assert status == 413 and b"limit= and offset=" in body
    status, _, body = server.get(url(big, {}, limit=MAX_RESULTS + 1))
    assert status == 413
    status, headers, body = server.get(url(big, {}, limit=MAX_RESULTS))
    assert status == 200 and headers["x-next-offset"] == str(MAX_RESULTS)
    small = next(name for name, q in load_queries().items()
                 if all(p.optional for p in q.params) and 0 < len(run_query(store, q.text).rows) <= MAX_RESULTS)
    status, headers, body = server.get(url(small, {}))
    assert status == 200 and "x-next-offset" not in headers


def test_formats_and_refusals(server, built) -> None:  # type: ignore[no-untyped-def]
    _, store = built
    expected = run_query(store, load_queries()["inspection-timeline"].text)
    status, headers, body = server.get(url("inspection-timeline", {}), accept="text/csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert table[0] == expected.variables and len(table) == 1 + len(expected.rows)
    status, headers, body = server.get(url("inspection-timeline", {"format": "tsv"}))
    assert status == 200 and body.decode().splitlines()[1] == "\t".join("" if t is None else str(t) for t in expected.rows[0])
    assert server.get(url("inspection-timeline", {}), accept="image/png")[0] == 406
    assert server.get("/query/no-such-query")[0] == 404
    assert server.get(url("body-profile", {}))[0] == 400  # a required parameter missing
    assert server.get(url("inspectors", {"nope": "x"}))[0] == 400
    assert server.get("/query/inspectors?limit=-1")[0] == 400
    assert server.get("/query/inspectors?limit=1&limit=2")[0] == 400
    status, _, body = server.get("/queries")
    listed = json.loads(body)
    assert status == 200 and [q["name"] for q in listed] == sorted(load_queries())
    assert all(q["url"] == f"/query/{q['name']}" for q in listed)
