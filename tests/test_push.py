"""Push to a real Oxigraph server on loopback with the Graph Store Protocol, and check with SPARQL
against that server that the store holds exactly the quads of the dataset, however often it is
pushed. Authentication is tested through a small authenticating reverse proxy in front of the
real Oxigraph (Basic, Digest and bearer), the way a store is exposed in practice."""

from __future__ import annotations

import hashlib
import http.client
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef

from sqsgraph.cli import main
from sqsgraph.errors import PushError
from sqsgraph.publish.push import graph_store_url, iter_report_lines, push_dataset
from sqsgraph.rdf.datasets import load_dataset

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).parent / "fixtures" / "endpoint" / "sample.trig"
ID = "https://w3id.org/sqsgraph/id/"


def _oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]' installs it (PyPI package oxigraph)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Oxigraph:
    """A real Oxigraph server on a loopback port, with a fresh store in a temporary folder."""

    def __init__(self, location: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [_oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"oxigraph did not start: {self.process.stderr.read().decode(errors='replace')}")
                time.sleep(0.05)

    @property
    def store(self) -> str:
        return self.base + "/store"

    def select(self, query: str) -> list[ox.QuerySolution]:
        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(
            self.base + "/query",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return list(ox.parse_query_results(response.read(), format=ox.QueryResultsFormat.JSON))

    def quads(self) -> list[ox.Quad]:
        """Every statement in a named graph, as a list (duplicates would show)."""
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]

    def count(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value)

    def default_graph_count(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        if self.process.stderr:
            self.process.stderr.close()


@pytest.fixture()
def oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    server = Oxigraph(tmp_path / "store")
    yield server
    server.stop()


def dataset_quads(ds: Dataset) -> set[ox.Quad]:
    """The dataset's quads, through rdflib's N-Quads writer and Oxigraph's N-Quads parser."""
    return set(ox.parse(ds.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS))


# --- push, push again -------------------------------------------------------------------------------


def test_push_twice_gives_exactly_the_dataset(oxigraph: Oxigraph) -> None:
    ds = load_dataset(FIXTURE)
    expected = dataset_quads(ds)
    assert len(expected) == 53

    first = push_dataset(ds, oxigraph.store)
    after_first = oxigraph.quads()
    second = push_dataset(ds, oxigraph.store)
    after_second = oxigraph.quads()

    assert set(after_first) == expected
    assert sorted(map(str, after_second)) == sorted(map(str, after_first))  # nothing duplicated
    assert oxigraph.count() == len(expected)
    assert oxigraph.default_graph_count() == 0
    assert [(g.iri, g.triples) for g in first.graphs] == [(g.iri, g.triples) for g in second.graphs]
    assert {g.status for g in first.graphs} == {201} and {g.status for g in second.graphs} == {204}  # created, replaced
    assert [g.iri for g in first.graphs] == sorted(
        ID + f"graph/{n}" for n in ("kent-2014-06-18", "ontology", "shared", "thurrock-2015-03-04")
    )
    assert first.triples == len(expected)
    assert list(iter_report_lines(first))[-1] == f"pushed 4 graphs, 53 triples to {oxigraph.store}"


def test_put_replaces_each_graph(oxigraph: Oxigraph) -> None:
    ds = load_dataset(FIXTURE)
    push_dataset(ds, oxigraph.store)
    kent = ds.graph(URIRef(ID + "graph/kent-2014-06-18"))
    title = URIRef("http://purl.org/dc/terms/title")
    report = URIRef(ID + "report/kent-2014-06-18")
    kent.remove((report, title, None))
    kent.add((report, title, Literal("A corrected title")))

    push_dataset(ds, oxigraph.store)

    assert set(oxigraph.quads()) == dataset_quads(ds)
    assert oxigraph.count() == 53


def test_default_graph_statements_go_to_the_default_graph(oxigraph: Oxigraph) -> None:
    ds = Dataset(default_union=True)
    ds.default_graph.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("x")))
    ds.graph(URIRef("https://example.org/g")).add(
        (URIRef("https://example.org/b"), URIRef("https://example.org/p"), Literal("y"))
    )
    report = push_dataset(ds, oxigraph.store, fmt="turtle")
    assert [(g.label, g.triples) for g in report.graphs] == [("(default graph)", 1), ("https://example.org/g", 1)]
    assert oxigraph.default_graph_count() == 1 and oxigraph.count() == 1


# --- errors ---------------------------------------------------------------------------------------


def test_http_error_stops_with_status_and_body(oxigraph: Oxigraph) -> None:
    with pytest.raises(PushError) as caught:
        push_dataset(load_dataset(FIXTURE), oxigraph.base + "/no-such-service")
    message = str(caught.value)
    assert "HTTP 404" in message
    assert "refused graph https://w3id.org/sqsgraph/id/graph/" in message
    assert "(0 of 4 graphs were pushed before this)" in message
    assert oxigraph.count() == 0


def test_unreachable_store(tmp_path: Path) -> None:
    with pytest.raises(PushError, match="cannot reach the store"):
        push_dataset(load_dataset(FIXTURE), f"http://127.0.0.1:{_free_port()}/store", timeout=5)


@pytest.mark.parametrize("name", ["graph/relative", "report-graph", "//host/graph"])
def test_relative_graph_iris_are_refused_before_sending(oxigraph: Oxigraph, name: str) -> None:
    ds = load_dataset(FIXTURE)
    ds.graph(URIRef(name)).add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("x")))
    with pytest.raises(PushError, match="not an absolute IRI"):
        push_dataset(ds, oxigraph.store)
    assert oxigraph.count() == 0  # nothing was sent, not even the good graphs


def test_graph_store_url() -> None:
    assert graph_store_url("http://h/store", "https://x/g?a=1#f") == "http://h/store?graph=https%3A%2F%2Fx%2Fg%3Fa%3D1%23f"
    assert graph_store_url("http://h/data?x=1", "urn:g") == "http://h/data?x=1&graph=urn%3Ag"
    assert graph_store_url("http://h/store", None) == "http://h/store?default"


@pytest.mark.parametrize("url", ["127.0.0.1:7878/store", "localhost:7878/store", "ftp://h/store", "http://", "http:/h/store"])
def test_a_store_url_without_http_is_a_usage_error_before_the_graph_is_read(tmp_path: Path, url: str) -> None:
    missing = tmp_path / "nothing-here.nq"  # the URL is checked first: no "no such file" error
    result = CliRunner().invoke(main, ["push", "--graph", str(missing), "--store", url])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for --store: store URL {url!r} must start with http:// or https://" in result.stderr
    if "://" not in url:
        assert f"did you mean http://{url}?" in result.stderr
    with pytest.raises(PushError, match="must start with http:// or https://"):
        push_dataset(Dataset(), url)


# --- authentication through a reverse proxy in front of the real store ------------------------------


class _AuthProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: Oxigraph, mode: str) -> None:
        self.upstream = upstream
        self.mode = mode  # basic, digest or bearer
        self.user, self.password, self.token, self.realm = (
            "analyst",
            "s3cret:with colon",
            "tok-" + secrets.token_hex(8),
            "sqsgraph-test",
        )
        self.nonce = secrets.token_hex(16)
        self.seen_authorization: list[str] = []
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    @property
    def store(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"

    def authorised(self, method: str, header: str | None) -> bool:
        if header is None:
            return False
        if self.mode == "bearer":
            return header == f"Bearer {self.token}"
        if self.mode == "basic":
            import base64

            return header == "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        if not header.startswith("Digest "):
            return False
        fields = dict(urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[len("Digest ") :])))
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731 - the RFC's H()
        ha1 = md5(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5(f"{method}:{fields.get('uri')}")
        expected = md5(f"{ha1}:{self.nonce}:{fields.get('nc')}:{fields.get('cnonce')}:{fields.get('qop')}:{ha2}")
        return fields.get("username") == self.user and fields.get("nonce") == self.nonce and fields.get("response") == expected


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _AuthProxy

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return

    def do_PUT(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        header = self.headers.get("Authorization")
        if header:
            self.server.seen_authorization.append(header.split(" ")[0])
        if not self.server.authorised("PUT", header):
            self.send_response(401)
            challenge = {
                "basic": f'Basic realm="{self.server.realm}"',
                "bearer": "Bearer",
                "digest": f'Digest realm="{self.server.realm}", qop="auth", nonce="{self.server.nonce}", algorithm=MD5',
            }
            self.send_header("WWW-Authenticate", challenge[self.server.mode])
            self.send_header("Content-Length", "13")
            self.end_headers()
            self.wfile.write(b"unauthorised\n")
            return
        conn = http.client.HTTPConnection("127.0.0.1", self.server.upstream.port, timeout=10)
        conn.request("PUT", self.path, body=body, headers={"Content-Type": self.headers["Content-Type"]})
        answer = conn.getresponse()
        data = answer.read()
        conn.close()
        self.send_response(answer.status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(params=["basic", "digest", "bearer"])
def proxy(request: pytest.FixtureRequest, oxigraph: Oxigraph) -> Iterator[_AuthProxy]:
    server = _AuthProxy(oxigraph, request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_push_with_credentials(proxy: _AuthProxy, oxigraph: Oxigraph) -> None:
    ds = load_dataset(FIXTURE)
    if proxy.mode == "bearer":
        push_dataset(ds, proxy.store, token=proxy.token)
    else:
        push_dataset(ds, proxy.store, auth=(proxy.user, proxy.password))
    assert set(oxigraph.quads()) == dataset_quads(ds)
    # the password is never sent in a scheme the store did not ask for
    assert set(proxy.seen_authorization) == {proxy.mode.capitalize()}


def test_wrong_credentials_stop_the_push(proxy: _AuthProxy, oxigraph: Oxigraph) -> None:
    ds = load_dataset(FIXTURE)
    with pytest.raises(PushError, match="HTTP 401"):
        if proxy.mode == "bearer":
            push_dataset(ds, proxy.store, token="wrong")
        else:
            push_dataset(ds, proxy.store, auth=(proxy.user, "wrong"))
    assert oxigraph.count() == 0


# --- the command line ---------------------------------------------------------------------------


def test_cli_push(oxigraph: Oxigraph) -> None:
    result = CliRunner().invoke(main, ["push", "--graph", str(FIXTURE), "--store", oxigraph.store])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == f"pushed 4 graphs, 53 triples to {oxigraph.store}"
    assert f"PUT {ID}graph/shared: 13 triples (HTTP 201)" in lines
    assert oxigraph.count() == 53


def test_cli_push_errors(oxigraph: Oxigraph, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["push", "--graph", str(FIXTURE), "--store", oxigraph.base + "/nope"])
    assert result.exit_code == 1 and "HTTP 404" in result.output
    result = runner.invoke(
        main, ["push", "--graph", str(FIXTURE), "--store", oxigraph.store, "--auth", "a:b", "--token-env", "X"]
    )
    assert result.exit_code == 2 and "not both" in result.output
    monkeypatch.delenv("SQSGRAPH_TEST_TOKEN", raising=False)
    result = runner.invoke(
        main, ["push", "--graph", str(FIXTURE), "--store", oxigraph.store, "--token-env", "SQSGRAPH_TEST_TOKEN"]
    )
    assert result.exit_code == 2 and "SQSGRAPH_TEST_TOKEN" in result.output
    result = runner.invoke(main, ["push", "--graph", str(FIXTURE), "--store", oxigraph.store, "--auth", "nocolon"])
    assert result.exit_code == 2
    assert oxigraph.count() == 0


# --- a smaller build pushed over a larger one (issue 17) -----------------------------------------


@pytest.fixture(scope="module")
def five_and_one(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The N-Quads of a build of the five samples and of a build of the first one alone."""
    from sqsgraph.read.reader import sample_paths

    out = tmp_path_factory.mktemp("builds")
    for name, reports in (("five", []), ("one", [str(sample_paths()[0])])):
        result = CliRunner().invoke(
            main, ["build", *reports, "-o", str(out / name), "--no-docs", "--no-views", "--no-validate", "--no-cache"]
        )
        assert result.exit_code == 0, result.output
    return out / "five" / "sqsgraph.nq", out / "one" / "sqsgraph.nq"


def test_push_says_what_else_the_store_holds_and_prune_makes_it_exactly_this_build(
    oxigraph: Oxigraph, five_and_one: tuple[Path, Path]
) -> None:
    five, one = five_and_one
    runner = CliRunner()
    assert runner.invoke(main, ["push", "--graph", str(five), "--store", oxigraph.store]).exit_code == 0
    one_graphs = {str(g) for g in {q.graph_name for q in dataset_quads(load_dataset(one))}}
    five_graphs = {str(g) for g in {q.graph_name for q in dataset_quads(load_dataset(five))}}
    left = sorted(g.strip("<>") for g in five_graphs - one_graphs)
    assert len(left) == 4  # the four reports the one-report build does not have

    # without --prune: pushed, and stderr names the four graphs left from the earlier push
    result = runner.invoke(main, ["push", "--graph", str(one), "--store", oxigraph.store])
    assert result.exit_code == 0, result.output
    assert f"the store also holds 4 graph(s) under {ID} that this build does not have" in result.stderr
    said = [line for line in result.stderr.splitlines() if not line.startswith("note: reading the graph")]
    assert [line.strip() for line in said[1:]] == left
    assert "--prune" in result.stderr
    assert {str(q.graph_name).strip("<>") for q in oxigraph.quads()} >= set(left)

    # --prune: the store holds exactly the one-report build, and says what it deleted
    result = runner.invoke(main, ["push", "--graph", str(one), "--store", oxigraph.store, "--prune"])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if line.startswith("DELETE ")] == [f"DELETE {g} (HTTP 204)" for g in left]
    assert result.stdout.splitlines()[-1].endswith("; deleted 4 graphs this build does not have")
    assert result.stderr == f"note: reading the graph {one}\n"  # nothing else to say
    as_stored = ox.Store()  # Oxigraph keeps xsd:nonNegativeInteger as xsd:integer: compare what it keeps
    as_stored.extend(dataset_quads(load_dataset(one)))
    expected = set(as_stored)
    after = oxigraph.quads()
    assert set(after) == expected and len(after) == len(expected)

    # pushing twice gives the same store, and nothing is left to delete
    again = runner.invoke(main, ["push", "--graph", str(one), "--store", oxigraph.store, "--prune"])
    assert again.exit_code == 0 and "DELETE" not in again.stdout and again.stderr == f"note: reading the graph {one}\n"
    assert sorted(map(str, oxigraph.quads())) == sorted(map(str, after))


def test_other_graphs_are_left_alone_and_prune_needs_the_query_service(oxigraph: Oxigraph) -> None:
    ds = load_dataset(FIXTURE)
    elsewhere = URIRef("https://example.org/not-sqsgraph")
    other = Dataset()
    other.graph(elsewhere).add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("x")))
    push_dataset(other, oxigraph.store)
    report = push_dataset(ds, oxigraph.store, prune=True)
    assert report.others == () and report.deleted == ()
    assert str(elsewhere) in {str(q.graph_name.value) for q in oxigraph.quads()}  # not under the base IRI: kept
    with pytest.raises(PushError, match="cannot prune: .*query service.*nothing was pushed"):
        push_dataset(ds, oxigraph.store, prune=True, query_url=oxigraph.base + "/no-such-query-service")
