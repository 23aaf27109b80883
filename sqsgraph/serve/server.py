"""A read-only SPARQL 1.1 Protocol endpoint over one sqsgraph dataset, with a query page.

How it is put together::

    HTTP client ──► SparqlServer (ThreadingHTTPServer, one thread per connection)
                      │  routing, limits on request size, update refusal, content negotiation
                      ▼
                    QueryPool ──► worker process 1 ─┐  each opens the same Oxigraph store
                      │       ──► worker process 2 ─┤  read-only, checks the query with
                      │       ──► ...              ─┘  rdflib's parser, runs it with Oxigraph
                      │
                      └─ a query that outlives its time limit is stopped by killing its worker
                         process; a fresh worker takes its place, other clients never wait on it.

The dataset is written once into a temporary on-disk Oxigraph store (or, for the query store of
a build, a hard-linked snapshot of it is taken: no loading at all); workers open it with
``Store.read_only`` so they share the operating system's page cache instead of copying the data,
and cannot write to it even if a query tried.

Besides ``/sparql``, ``GET /query/<name>?param=value&limit=&offset=`` answers a named query of
the library through ``run.run_query`` in the same workers, with the store's full-text index
and precomputed answers (``precompute``) when the served store has them; ``GET /queries`` lists
them.

The default graph a query sees is the **union of all graphs** (every report's named graph, the
shared graph and the ontology graph), as analysts expect; ``GRAPH ?g { ... }`` still tells the
graphs apart, and the protocol's ``default-graph-uri`` / ``named-graph-uri`` parameters (or
``FROM`` / ``FROM NAMED`` in the query) narrow the dataset as the SPARQL 1.1 Protocol says.

Refusals (status, reason):

* 403 — updates (an ``update`` parameter, ``application/sparql-update``, or update text such as
  ``INSERT``/``DELETE``/``LOAD``/``CLEAR``/``DROP``/``CREATE`` sent as a query) and ``SERVICE``
  (found in the parsed query, so comments and string literals do not fool the check).
* 400 — a malformed query (with the parser's message) or request; 406 — no acceptable result
  format; 411 — a POST without Content-Length; 413 — a query longer than ``max_query_length``
  characters, a body larger than ``max_body_bytes``, or a result with more than ``max_results``
  rows or triples; 415 — an unknown POST content type; 500 — a query that failed while running;
  503 — a query that ran longer than ``timeout`` seconds (it is stopped), or every worker busy for
  that long.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from ..rdf.terms import to_ox
from .answer import NamedRequest, QueryRequest
from .pool import QueryPool
from .protocol import Limits, Reply

log = logging.getLogger(__name__)


DEFAULT_HOST = "127.0.0.1"


DEFAULT_PORT = 7879




def named_query_list() -> list[dict[str, Any]]:
    """The named queries as ``{name, title, description, params, url}`` (``GET /queries``)."""
    from ..query.library import load_queries

    return [{"name": q.name, "title": q.title, "description": q.description,
             "params": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description}
                        for p in q.params],
             "url": f"/query/{q.name}"} for q in load_queries().values()]


def named_examples() -> list[dict[str, Any]]:
    """The project's named queries as ``{name, title, query, params}`` for the query page, each
    parameter as ``{name, type, optional, description}``: the page gives a field for each and runs
    the query through ``/query/NAME`` with them."""
    from ..query.library import load_queries

    return [{"name": q.name, "title": q.title, "query": q.text,
             "params": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description}
                        for p in q.params]} for q in load_queries().values()]


_STATIC = {  # URL path -> (file in sqsgraph/static, content type)
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
    "/favicon.svg": ("favicon.svg", "image/svg+xml"),
    "/favicon.ico": ("favicon.svg", "image/svg+xml"),  # what a browser asks for unprompted
}


_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _static_file(name: str) -> bytes:
    return (resources.files("sqsgraph") / "static" / name).read_bytes()  # one name per step: Python 3.10's Traversable


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: routes requests, enforces request limits and hands queries to the pool."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], pool: QueryPool, limits: Limits, cleanup: Iterable[Any] = ()) -> None:
        self.pool = pool
        self.limits = limits
        self._cleanup = list(cleanup)
        self._examples = json.dumps(named_examples(), ensure_ascii=True).encode("ascii")
        self._queries = json.dumps(named_query_list(), ensure_ascii=True).encode("ascii")
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, (bytes, bytearray)) else host  # a str for IPv4 and IPv6 sockets
        name = f"[{name}]" if ":" in name else name
        return f"http://{name}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()
        for item in self._cleanup:
            item.cleanup()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "sqsgraph-sparql"

    def setup(self) -> None:
        # a silent client is dropped; setup() reads it per connection (typeshed calls it a class variable)
        self.timeout = self.server.limits.socket_timeout  # type: ignore[misc]
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.info("%s %s", self.address_string(), format % args)

    # routing

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/sparql":
            self._sparql(url.query, None)
        elif url.path in ("/queries", "/query", "/query/"):
            self._send(Reply(200, "application/json", self.server._queries), {"X-Content-Type-Options": "nosniff"})
        elif url.path.startswith("/query/"):
            self._named(urllib.parse.unquote(url.path[len("/query/"):]), url.query)
        elif url.path in _STATIC:
            name, ctype = _STATIC[url.path]
            self._send(Reply(200, ctype, _static_file(name)), _PAGE_HEADERS)
        elif url.path == "/examples.json":
            self._send(Reply(200, "application/json", self.server._examples), _PAGE_HEADERS)
        else:
            self._send(Reply.error(404, f"no such page: {url.path}; the SPARQL endpoint is /sparql"))

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(Reply.error(405, "HEAD is not supported; use GET"), {"Allow": "GET, POST"})

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._send(Reply.error(404 if url.path not in _STATIC else 405, f"POST queries to /sparql, not {url.path}"),
                       close=True)
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            self._send(Reply.error(403, "updates are refused: this endpoint is read-only"), close=True)
            return
        if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            self._send(Reply.error(415, f"unsupported Content-Type {ctype or '(none)'}: send application/sparql-query "
                                        "or application/x-www-form-urlencoded"), close=True)
            return
        body = self._read_body()
        if body is None:
            return
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._send(Reply.error(400, f"the request body is not UTF-8: {exc}"), close=True)
            return
        if ctype == "application/sparql-query":
            self._sparql(url.query, text)
        else:
            self._sparql(url.query + "&" + text if url.query else text, None)

    def _refuse_method(self) -> None:
        self._send(Reply.error(405, f"{self.command} is not allowed: this endpoint is read-only (GET and POST queries only)"),
                   {"Allow": "GET, POST"}, close=True)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method  # noqa: N815

    # the protocol

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding"):
            self._send(Reply.error(411, "send the request body with Content-Length, not Transfer-Encoding"), close=True)
            return None
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self._send(Reply.error(411, "a POST needs a Content-Length header"), close=True)
            return None
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0:
            self._send(Reply.error(400, f"bad Content-Length: {length_text!r}"), close=True)
            return None
        limit = self.server.limits.max_body_bytes
        if length > limit:
            self._send(Reply.error(413, f"request body too large: {length} bytes, the limit is {limit}"), close=True)
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return None
        return body

    def _params(self, query_string: str) -> dict[str, list[str]] | None:
        """The request's parameters, or None after answering 400 for malformed ones."""
        try:
            return urllib.parse.parse_qs(query_string, keep_blank_values=True, strict_parsing=False,
                                         errors="strict", max_num_fields=100)
        except (ValueError, UnicodeDecodeError) as exc:
            self._send(Reply.error(400, f"malformed request parameters: {exc}"))
            return None

    def _sparql(self, query_string: str, body_query: str | None) -> None:
        params = self._params(query_string)
        if params is None:
            return
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            self._send(Reply.error(403, "updates are refused: this endpoint is read-only"))
            return
        queries = params.get("query", [])
        if body_query is not None:
            if queries:
                self._send(Reply.error(400, "send the query either in the body or as a query parameter, not both"))
                return
            queries = [body_query]
        if len(queries) != 1:
            self._send(Reply.error(400, "exactly one query is needed: pass it as ?query=... or in a POST body"
                                   if not queries else "more than one query parameter"))
            return
        query = queries[0]
        limit = self.server.limits.max_query_length
        if len(query) > limit:
            self._send(Reply.error(413, f"query too long: {len(query)} characters, the limit is {limit}"))
            return
        formats = params.get("format", []) + params.get("output", [])
        request = QueryRequest(
            query=query,
            accept=self.headers.get("Accept"),
            format=formats[0] if formats else None,
            default_graph_uris=tuple(params.get("default-graph-uri", [])),
            named_graph_uris=tuple(params.get("named-graph-uri", [])),
        )
        started = time.monotonic()
        reply = self.server.pool.run(request)
        log.debug("query answered %s in %.3f s", reply.status, time.monotonic() - started)
        self._send(reply, {"Vary": "Accept", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

    def _named(self, name: str, query_string: str) -> None:
        """``GET /query/<name>?param=value&limit=&offset=&format=``: a named query of the library."""
        params = self._params(query_string)
        if params is None:
            return
        if len(query_string) > self.server.limits.max_query_length:
            self._send(Reply.error(413, f"parameters too long: {len(query_string)} characters, "
                                        f"the limit is {self.server.limits.max_query_length}"))
            return
        repeated = sorted(k for k, v in params.items() if len(v) != 1)
        if repeated:
            self._send(Reply.error(400, f"give each parameter once: {', '.join(repeated)}"))
            return
        given = {k: v[0] for k, v in params.items()}
        page: dict[str, int | None] = {"limit": None, "offset": 0}
        for key in page:
            if key in given:
                value = given.pop(key)
                if not value.isdigit():
                    self._send(Reply.error(400, f"{key} must be a whole number of rows (0 or more), not {value!r}"))
                    return
                page[key] = int(value)
        formats = [given.pop(k) for k in ("format", "output") if k in given]
        request = NamedRequest(name=name, params=tuple(sorted(given.items())), limit=page["limit"],
                               offset=page["offset"] or 0, accept=self.headers.get("Accept"),
                               format=formats[0] if formats else None)
        reply = self.server.pool.run(request)
        self._send(reply, {"Vary": "Accept", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

    def _send(self, reply: Reply, headers: dict[str, str] | None = None, close: bool = False) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in [*(headers or {}).items(), *reply.headers]:
                self.send_header(name, value)
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _served_term(term: Any) -> Any:
    try:
        return to_ox(term)
    except TypeError as exc:
        raise QueryError(f"cannot serve the RDF term {term!r}") from exc


def _dataset_quads(dataset: Any) -> Iterator[ox.Quad]:
    """The quads of an rdflib ``Dataset`` as pyoxigraph quads (rdflib's default graph becomes
    Oxigraph's default graph)."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph_id = getattr(g, "identifier", g)
        graph = ox.DefaultGraph() if graph_id in (None, DATASET_DEFAULT_GRAPH_ID) else _served_term(graph_id)
        yield ox.Quad(_served_term(s), _served_term(p), _served_term(o), graph)


class _Removal:
    """Something to remove when the server closes (a store copy or a snapshot)."""

    def __init__(self, remove: Any) -> None:
        self.cleanup = remove


def create_server(dataset: Any, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, limits: Limits | None = None) -> SparqlServer:
    """Build (but do not start) an endpoint serving ``dataset``: an rdflib ``Dataset``, the path
    of a graph file (TriG, N-Quads, Turtle, ...; loaded with ``datasets.load_dataset`` into a
    temporary on-disk copy), or the folder of a query store (``querystore.build_query_store``:
    served from a hard-linked snapshot, so nothing is loaded and a rebuild does not disturb it).

    Port 0 picks a free port; ``server.url`` says which. Call ``server.serve_forever()`` (or
    ``run``) to serve and ``server.server_close()`` to stop the workers and remove the store copy.
    """
    limits = limits or Limits()
    if isinstance(dataset, (str, os.PathLike)) and Path(dataset).is_dir():
        from ..query.querystore import snapshot

        copy = snapshot(Path(dataset))
        store_path, removal = str(copy.path), _Removal(copy.remove)
        helpers = (str(copy.text_index) if copy.text_index else None, str(copy.results) if copy.results else None)
    else:
        store_path, removal = _store_copy(dataset)
        helpers = (None, None)
    try:
        pool = QueryPool(store_path, limits, *helpers)
    except BaseException:
        removal.cleanup()
        raise
    try:
        return SparqlServer((host, port), pool, limits, cleanup=[removal])
    except OSError:
        pool.close()
        removal.cleanup()
        raise


def _store_copy(dataset: Any) -> tuple[str, _Removal]:
    """``dataset`` (a graph file or an rdflib ``Dataset``) written into a temporary on-disk store."""
    tmp = tempfile.TemporaryDirectory(prefix="sqsgraph-serve-")
    try:
        disk = ox.Store(tmp.name)
        if isinstance(dataset, (str, os.PathLike)):
            from ..rdf.datasets import load_dataset

            dataset = load_dataset(dataset, backend="oxigraph")
        inner = getattr(dataset.store, "_inner", None)  # oxrdflib keeps its pyoxigraph.Store here
        disk.bulk_extend(inner if isinstance(inner, ox.Store) else _dataset_quads(dataset))
        disk.flush()
        del disk
    except BaseException:
        tmp.cleanup()
        raise
    return tmp.name, _Removal(tmp.cleanup)


def run(server: SparqlServer) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM), then stop the workers and clean up."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "Limits", "SparqlServer", "create_server", "named_examples", "named_query_list", "run"]
