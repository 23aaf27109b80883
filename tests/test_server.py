"""The SPARQL endpoint, tested over real HTTP on a free loopback port with SPARQLWrapper (a client
nobody here wrote) and plain http.client: formats, the named-graph union, refusals, limits,
malformed requests, the query page, and a slow query not blocking others."""

from __future__ import annotations

import csv
import http.client
import io
import json
import multiprocessing
import os
import re
import socket
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from xml.dom.minidom import Document

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, QueryBadFormed

from sqsgraph.query.library import check_query
from sqsgraph.rdf.datasets import load_dataset
from sqsgraph.serve.protocol import negotiate
from sqsgraph.serve.server import Limits, SparqlServer, create_server, named_examples

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).parent / "fixtures" / "endpoint" / "sample.trig"
ID = "https://w3id.org/sqsgraph/id/"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
PREFIXES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <https://schema.org/>
"""
# a cross product of the fixture's 53 statements with itself seven times: never finishes
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u }"
LIMITS = Limits(timeout=1.5, max_results=40, max_query_length=3000, max_body_bytes=5000, workers=2, socket_timeout=2.0)


@pytest.fixture(scope="module")
def server() -> SparqlServer:
    srv = create_server(FIXTURE, port=0, limits=LIMITS)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


@pytest.fixture()
def endpoint(server: SparqlServer) -> str:
    _wait_for_workers(server)
    return server.url + "sparql"


def _wait_for_workers(server: SparqlServer, seconds: float = 10.0) -> None:
    """A test that timed a query out leaves a replacement worker starting; wait for it."""
    deadline = time.monotonic() + seconds
    while len(server.pool.worker_pids()) < LIMITS.workers and time.monotonic() < deadline:
        time.sleep(0.05)


def request(
    server: SparqlServer, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def get(server: SparqlServer, query: str, accept: str | None = None, **params: str) -> tuple[int, dict[str, str], bytes]:
    path = "/sparql?" + urllib.parse.urlencode({"query": query, **params})
    return request(server, "GET", path, headers={"Accept": accept} if accept else {})


def wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


# --- results in every format, through SPARQLWrapper -----------------------------------------------

NAMES = PREFIXES + "SELECT ?person ?name WHERE { ?person foaf:name ?name } ORDER BY ?name"
EXPECTED_NAMES = [
    (ID + "person/ann-o-brien", 'Ann O\'Brien, "Nan" <script>alert(1)</script> & co'),
    (ID + "person/jane-doe", "Jane Doe"),
]


def test_select_json(endpoint: str) -> None:
    result = wrapper(endpoint, NAMES, JSON).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    data = result.convert()
    assert data["head"]["vars"] == ["person", "name"]
    rows = [(b["person"]["value"], b["name"]["value"]) for b in data["results"]["bindings"]]
    assert rows == EXPECTED_NAMES
    assert data["results"]["bindings"][0]["person"]["type"] == "uri"
    assert data["results"]["bindings"][0]["name"] == {"type": "literal", "value": EXPECTED_NAMES[0][1]}


def test_select_xml(endpoint: str) -> None:
    document = wrapper(endpoint, NAMES, XML).query().convert()
    assert isinstance(document, Document)
    results = document.getElementsByTagName("result")
    names = [r.getElementsByTagName("literal")[0].firstChild.data for r in results]
    assert names == [name for _, name in EXPECTED_NAMES]
    assert [v.getAttribute("name") for v in document.getElementsByTagName("variable")] == ["person", "name"]


def test_select_csv(endpoint: str) -> None:
    body = wrapper(endpoint, NAMES, CSV).query().convert()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert rows == [["person", "name"], *[list(r) for r in EXPECTED_NAMES]]


def test_select_tsv_keeps_term_types(endpoint: str) -> None:
    query = (
        PREFIXES
        + """PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
        SELECT ?finding ?text ?cases WHERE { ?finding schema:text ?text OPTIONAL { ?finding sqs:casesExamined ?cases } }
        ORDER BY ?finding"""
    )
    body = wrapper(endpoint, query, TSV).query().convert()
    assert body.decode("utf-8").splitlines()[0] == "?finding\t?text\t?cases"
    # read back with Oxigraph's TSV parser, an independent implementation
    solutions = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV))
    assert [str(s["finding"].value) for s in solutions] == [
        ID + "report/kent-2014-06-18/finding/1.1",
        ID + "report/thurrock-2015-03-04/finding/2.1",
    ]
    assert solutions[0]["text"].value == "Management oversight was effective in 17 of 29 cases,\tseen\nacross teams."
    assert solutions[0]["cases"] is None
    assert solutions[1]["cases"] == ox.Literal("47", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(endpoint: str, fmt: str) -> None:
    yes = wrapper(endpoint, PREFIXES + 'ASK { ?p foaf:name "Jane Doe" }', fmt).query().convert()
    no = wrapper(endpoint, PREFIXES + 'ASK { ?p foaf:name "Nobody" }', fmt).query().convert()
    if fmt == JSON:
        assert (yes["boolean"], no["boolean"]) == (True, False)
    else:
        assert [d.getElementsByTagName("boolean")[0].firstChild.data for d in (yes, no)] == ["true", "false"]


def test_construct_turtle(endpoint: str) -> None:
    query = PREFIXES + "CONSTRUCT { ?p foaf:name ?n } WHERE { ?p foaf:name ?n }"
    result = wrapper(endpoint, query, TURTLE).query()
    assert result.response.headers["Content-Type"].startswith("text/turtle")
    got = Graph().parse(data=result.convert(), format="turtle")
    expected = Graph()
    for person, name in EXPECTED_NAMES:
        expected.add((URIRef(person), URIRef(FOAF_NAME), Literal(name)))
    assert isomorphic(got, expected)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_construct_other_formats(server: SparqlServer, endpoint: str, accept: str, rdflib_format: str) -> None:
    status, headers, body = get(server, "DESCRIBE <https://w3id.org/sqsgraph/id/person/jane-doe>", accept)
    assert status == 200
    assert headers["content-type"].startswith(accept)
    got = Graph().parse(data=body, format=rdflib_format)
    assert set(got.objects(URIRef(ID + "person/jane-doe"), URIRef(FOAF_NAME))) == {Literal("Jane Doe")}


def test_format_parameter_overrides_accept(server: SparqlServer, endpoint: str) -> None:
    status, headers, body = get(server, NAMES, "application/sparql-results+json", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.startswith(b"person,name\r\n")


def test_accept_quality_values_are_honoured(server: SparqlServer, endpoint: str) -> None:
    status, headers, _ = get(server, NAMES, "application/sparql-results+json;q=0.5, text/tab-separated-values")
    assert status == 200 and headers["content-type"].startswith("text/tab-separated-values")


def test_unsupported_accept_is_406(server: SparqlServer, endpoint: str) -> None:
    status, _, body = get(server, NAMES, "image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body  # says what is offered
    status, _, _ = get(server, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv")
    assert status == 406


def test_negotiate_defaults_and_wildcards() -> None:
    offers = ("application/sparql-results+json", "text/csv")
    assert negotiate(None, offers, {}) == "application/sparql-results+json"
    assert negotiate("*/*", offers, {}) == "application/sparql-results+json"
    assert negotiate("text/*", offers, {}) == "text/csv"
    assert negotiate("text/csv;q=0", offers, {}) is None


# --- the default graph is the union of the named graphs ------------------------------------------


def test_default_graph_is_the_union_of_named_graphs(endpoint: str) -> None:
    # Jane Doe's name is in the shared graph, her authorship in two report graphs:
    # a query without GRAPH joins across all three.
    query = PREFIXES + """SELECT ?report WHERE { ?report dcterms:creator ?p . ?p foaf:name "Jane Doe" } ORDER BY ?report"""
    data = wrapper(endpoint, query, JSON).query().convert()
    assert [b["report"]["value"] for b in data["results"]["bindings"]] == [
        ID + "report/kent-2014-06-18",
        ID + "report/thurrock-2015-03-04",
    ]


def test_graph_keyword_still_tells_graphs_apart(endpoint: str) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    data = wrapper(endpoint, query, JSON).query().convert()
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in data["results"]["bindings"]}
    expected: dict[str, int] = {}
    for _, _, _, g in load_dataset(FIXTURE).quads((None, None, None, None)):
        expected[str(g)] = expected.get(str(g), 0) + 1
    assert counts == expected
    assert set(counts) == {
        ID + "graph/ontology",
        ID + "graph/shared",
        ID + "graph/kent-2014-06-18",
        ID + "graph/thurrock-2015-03-04",
    }


def test_default_graph_uri_parameter_narrows_the_dataset(server: SparqlServer, endpoint: str) -> None:
    query = PREFIXES + "SELECT ?report WHERE { ?report dcterms:creator ?p }"
    path = "/sparql?" + urllib.parse.urlencode({"query": query, "default-graph-uri": ID + "graph/kent-2014-06-18"})
    status, _, body = request(server, "GET", path)
    assert status == 200
    bindings = json.loads(body)["results"]["bindings"]
    assert [b["report"]["value"] for b in bindings] == [ID + "report/kent-2014-06-18"]


# --- POST -----------------------------------------------------------------------------------------


def test_post_sparql_query_body(server: SparqlServer, endpoint: str) -> None:
    status, headers, body = request(
        server,
        "POST",
        "/sparql",
        NAMES.encode("utf-8"),
        {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 2


def test_post_form_encoded(server: SparqlServer, endpoint: str) -> None:
    form = urllib.parse.urlencode({"query": NAMES}).encode("ascii")
    status, _, body = request(
        server, "POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"}
    )
    assert status == 200
    assert body.decode("utf-8").startswith("person,name\r\n")


def test_sparqlwrapper_post(endpoint: str) -> None:
    client = wrapper(endpoint, NAMES, JSON)
    client.setMethod("POST")
    assert len(client.query().convert()["results"]["bindings"]) == 2


# --- refusals ----------------------------------------------------------------------------------

UPDATES = [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/sqsgraph/id/graph/shared>",
    "CREATE GRAPH <http://example.org/g>",
]


@pytest.mark.parametrize("update", UPDATES)
def test_update_sent_as_query_is_refused(server: SparqlServer, endpoint: str, update: str) -> None:
    status, _, body = get(server, update)
    assert status == 403
    assert b"read-only" in body


@pytest.mark.parametrize("update", UPDATES[:2])
def test_update_parameter_and_content_type_are_refused(server: SparqlServer, endpoint: str, update: str) -> None:
    status, _, body = request(server, "GET", "/sparql?" + urllib.parse.urlencode({"update": update}))
    assert (status, b"read-only" in body) == (403, True)
    form = urllib.parse.urlencode({"update": update}).encode()
    status, _, _ = request(server, "POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, _ = request(server, "POST", "/sparql", update.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 403


def test_sparqlwrapper_update_is_refused_and_data_unchanged(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery("DROP GRAPH <https://w3id.org/sqsgraph/id/graph/shared>")
    with pytest.raises(HTTPError) as caught:
        client.query()
    assert caught.value.code == 403
    assert wrapper(endpoint, PREFIXES + 'ASK { ?p foaf:name "Jane Doe" }', JSON).query().convert()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
        "select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
        r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(server: SparqlServer, endpoint: str, query: str) -> None:
    status, _, body = get(server, query)
    assert status == 403
    assert b"SERVICE" in body


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?x WHERE { BIND('SERVICE <http://127.0.0.1:9/> { }' AS ?x) }",
        "# SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\nSELECT ?x WHERE { BIND(1 AS ?x) }",
    ],
)
def test_service_in_strings_and_comments_is_not_a_refusal(server: SparqlServer, endpoint: str, query: str) -> None:
    status, _, _ = get(server, query)
    assert status == 200


def test_check_query_reports_the_form() -> None:
    assert check_query("ASK {}") == "ask"
    assert check_query("DESCRIBE <http://example.org/x>") == "describe"
    assert check_query(PREFIXES + "CONSTRUCT WHERE { ?s foaf:name ?o }") == "construct"


def test_over_long_query_is_413(server: SparqlServer, endpoint: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * LIMITS.max_query_length
    status, _, body = get(server, query)
    assert status == 413
    assert b"query too long" in body


def test_over_large_body_is_413_without_reading_it(server: SparqlServer, endpoint: str) -> None:
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=5) as sock:
        # announce a body far over the limit, send none of it: the answer must come at once
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100000000\r\n\r\n"
        )
        answer = b""
        while chunk := sock.recv(4096):  # the server answers and hangs up
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"request body too large" in answer


def test_post_without_length_or_with_wrong_type(server: SparqlServer, endpoint: str) -> None:
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 411")
    status, _, _ = request(server, "POST", "/sparql", b"ASK {}", {"Content-Type": "text/plain"})
    assert status == 415


def test_timeout_stops_the_query(server: SparqlServer, endpoint: str) -> None:
    pids_before = set(server.pool.worker_pids())
    started = time.monotonic()
    status, _, body = get(server, EXPENSIVE)
    elapsed = time.monotonic() - started
    assert status == 503
    assert b"time limit" in body
    assert LIMITS.timeout <= elapsed < LIMITS.timeout + 2
    # the worker that ran it was killed, not left running
    killed = pids_before - set(server.pool.worker_pids())
    assert len(killed) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)
    _wait_for_workers(server)
    assert len(server.pool.worker_pids()) == LIMITS.workers
    assert get(server, "ASK {}")[0] == 200


def test_result_size_cap(server: SparqlServer, endpoint: str) -> None:
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o }")  # 53 rows > 40
    assert status == 413
    assert b"more than 40 rows" in body
    status, _, body = get(server, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert status == 413 and b"more than 40 triples" in body
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 40")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 40


# --- 400 against 500, malformed requests ----------------------------------------------------------


def test_malformed_query_is_400_with_the_parser_message(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed) as caught:
        wrapper(endpoint, "SELECT * WHERE { ?s ?p }", JSON).query()
    assert "line:1" in str(caught.value) and "col:" in str(caught.value)


def test_failed_query_is_500(endpoint: str) -> None:
    with pytest.raises(EndPointInternalError) as caught:
        wrapper(endpoint, "SELECT (<http://example.org/no-such-function>(1) AS ?x) WHERE {}", JSON).query()
    assert "no-such-function" in str(caught.value)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/sparql", 400),  # no query
        ("/sparql?query=ASK%7B%7D&query=ASK%7B%7D", 400),  # two queries
        ("/sparql?query=%FF%FE", 400),  # not UTF-8
        ("/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri", 400),
        ("/nowhere", 404),
    ],
)
def test_malformed_requests(server: SparqlServer, endpoint: str, path: str, status: int) -> None:
    assert request(server, "GET", path)[0] == status


def test_write_methods_are_405(server: SparqlServer, endpoint: str) -> None:
    status, headers, _ = request(server, "PUT", "/sparql", b"<a> <b> <c> .", {"Content-Type": "application/n-triples"})
    assert status == 405 and headers["allow"] == "GET, POST"
    assert request(server, "DELETE", "/sparql")[0] == 405


def test_xml_refuses_characters_xml_cannot_carry(server: SparqlServer, endpoint: str) -> None:
    query = r'SELECT ?x WHERE { BIND("a\u0001b" AS ?x) }'
    status, _, body = get(server, query, "application/sparql-results+xml")
    assert status == 406 and b"U+0001" in body
    status, _, body = get(server, query, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "a\x01b"
    # the same for a graph: a report's source text (oa:exact) keeps its control characters
    construct = r'CONSTRUCT { <https://example.org/s> <https://example.org/p> ?x } WHERE { BIND("a\u001Bb" AS ?x) }'
    status, _, body = get(server, construct, "application/rdf+xml")
    assert status == 406 and b"U+001B" in body
    status, _, body = get(server, construct, "text/turtle")
    assert status == 200 and [t.object.value for t in ox.parse(input=body, format=ox.RdfFormat.TURTLE)] == ["a\x1bb"]


def test_silent_client_is_dropped_and_others_are_served(server: SparqlServer, endpoint: str) -> None:
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as slow:
        slow.sendall(b"GET /sparql?query=")  # and then nothing
        assert get(server, "ASK {}")[0] == 200
        started = time.monotonic()
        assert slow.recv(4096) == b""  # the server hung up
        assert time.monotonic() - started < LIMITS.socket_timeout + 2


def test_keep_alive_serves_several_queries_on_one_connection(server: SparqlServer, endpoint: str) -> None:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        for _ in range(3):
            conn.request("GET", "/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            assert (response.status, json.loads(response.read())) == (200, {"head": {}, "boolean": True})
    finally:
        conn.close()


# --- a slow query does not block the others --------------------------------------------------------


def test_slow_query_does_not_block_other_clients(server: SparqlServer, endpoint: str) -> None:
    outcome: dict[str, int] = {}
    slow = threading.Thread(target=lambda: outcome.update(slow=get(server, EXPENSIVE)[0]))
    slow.start()
    time.sleep(0.2)  # let it take a worker
    latencies = []
    for _ in range(5):
        started = time.monotonic()
        status, _, body = get(server, NAMES)
        latencies.append(time.monotonic() - started)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
    assert slow.is_alive(), "the quick queries should have finished while the slow one still ran"
    assert max(latencies) < 1.0  # blocked, they would wait ~1.3 s for the slow one to be stopped
    slow.join(LIMITS.timeout + 3)
    assert outcome == {"slow": 503}


def test_concurrent_clients_get_correct_answers(server: SparqlServer, endpoint: str) -> None:
    results: list[tuple[int, int]] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(5):
            status, _, body = get(server, NAMES)
            with lock:
                results.append((status, len(json.loads(body)["results"]["bindings"])))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results == [(200, 2)] * 20


# --- the query page ---------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [value or "" for name, value in attrs if name in ("src", "href", "action")]


def test_page_works_offline(server: SparqlServer, endpoint: str) -> None:
    status, headers, body = request(server, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in headers["content-security-policy"]
    parser = _Links()
    parser.feed(body.decode("utf-8"))
    assert sorted(parser.refs) == ["favicon.svg", "static/app.js", "static/style.css"]
    for ref in parser.refs:
        assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", ref, re.I), ref  # relative, no scheme, no host
        assert request(server, "GET", "/" + ref)[0] == 200
    css = request(server, "GET", "/static/style.css")[2].decode()
    assert "url(" not in css and "@import" not in css
    js = request(server, "GET", "/static/app.js")[2].decode()
    assert re.findall(r"fetch\(([^,)]+)", js) == ["url", '"examples.json"']
    assert re.search(r'const endpoint = "sparql";', js) and re.search(r"let url = endpoint;", js)
    assert re.search(r'return "query/" \+ encodeURIComponent\(chosen\.name\)', js)  # the named route, relative


def test_page_never_writes_markup_from_data(server: SparqlServer, endpoint: str) -> None:
    js = request(server, "GET", "/static/app.js")[2].decode()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js
    assert "textContent" in js


def test_examples_are_the_named_queries(server: SparqlServer, endpoint: str) -> None:
    status, _, body = request(server, "GET", "/examples.json")
    assert status == 200
    examples = json.loads(body)
    assert examples == named_examples()
    shipped = sorted(p.stem for p in (Path(__file__).parents[1] / "sqsgraph" / "sparql").glob("*.rq"))
    assert [e["name"] for e in examples] == shipped
    for example in examples:
        assert example["title"] and example["query"]


def test_binds_to_loopback_by_default() -> None:
    srv = create_server(load_dataset(FIXTURE), port=0, limits=Limits(workers=1))
    try:
        assert srv.server_address[0] == "127.0.0.1"
    finally:
        srv.server_close()


def test_serving_an_rdflib_dataset_keeps_its_graphs() -> None:
    ds = Dataset(default_union=True)
    ds.graph(URIRef("https://example.org/g1")).add((URIRef("https://example.org/a"), URIRef(FOAF_NAME), Literal("A")))
    ds.graph(URIRef("https://example.org/g2")).add((URIRef("https://example.org/b"), URIRef(FOAF_NAME), Literal("B", lang="en")))
    srv = create_server(ds, port=0, limits=Limits(workers=1))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = get(srv, "SELECT ?g ?n WHERE { GRAPH ?g { ?s ?p ?n } } ORDER BY ?g")
        rows = [(b["g"]["value"], b["n"]) for b in json.loads(body)["results"]["bindings"]]
        assert status == 200
        assert rows == [
            ("https://example.org/g1", {"type": "literal", "value": "A"}),
            ("https://example.org/g2", {"type": "literal", "value": "B", "xml:lang": "en"}),
        ]
    finally:
        srv.shutdown()
        srv.server_close()


def test_closing_right_after_a_timeout_leaves_no_process_or_store_copy() -> None:
    others = set(multiprocessing.active_children())  # the module's server has workers too
    srv = create_server(FIXTURE, port=0, limits=Limits(timeout=0.5, workers=1))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    store_copy = Path(srv.pool.store_path)
    first = srv.pool.worker_pids()
    assert get(srv, EXPENSIVE)[0] == 503  # its replacement is starting now
    srv.shutdown()
    srv.server_close()
    assert not store_copy.exists()
    assert srv.pool.worker_pids() == []
    assert set(multiprocessing.active_children()) - others == set()
    with pytest.raises(ProcessLookupError):
        os.kill(first[0], 0)
