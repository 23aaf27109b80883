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

import csv
import functools
import io
import json
import logging
import multiprocessing
import os
import queue
import re
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from ..errors import QueryError
from ..query.library import QueryRefused, check_query
from ..query.results import XSD_STRING, json_term
from ..rdf.formats import FORMATS
from ..rdf.terms import to_ox
from ..rdf.vocab import PREFIXES

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879

# --- result formats ---------------------------------------------------------------------------

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
# what a CONSTRUCT or DESCRIBE answer is offered in, from the one registry of RDF formats
_GRAPH_FORMATS = tuple(FORMATS[name] for name in ("turtle", "ntriples", "jsonld", "rdfxml"))
TURTLE, NTRIPLES, JSONLD, RDFXML = (f.media_type for f in _GRAPH_FORMATS)

# offers per query form, in the server's order of preference (the first is the default)
RESULT_OFFERS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_OFFERS = (TURTLE, NTRIPLES, JSONLD, RDFXML)

# other names clients use for the same formats (media types and ``format=`` values)
_ALIASES_RESULTS = {
    "application/json": SPARQL_JSON, "json": SPARQL_JSON, "srj": SPARQL_JSON,
    "application/xml": SPARQL_XML, "text/xml": SPARQL_XML, "xml": SPARQL_XML, "srx": SPARQL_XML,
    "csv": CSV, "tsv": TSV,
}
_ALIASES_GRAPH = {alias: f.media_type for f in _GRAPH_FORMATS for alias in f.other_media_types}
_OX_GRAPH_FORMATS = {f.media_type: f.oxigraph for f in _GRAPH_FORMATS}
_CONTENT_TYPES = {
    SPARQL_JSON: f"{SPARQL_JSON}; charset=utf-8", SPARQL_XML: f"{SPARQL_XML}; charset=utf-8",
    CSV: f"{CSV}; charset=utf-8", TSV: f"{TSV}; charset=utf-8", TURTLE: f"{TURTLE}; charset=utf-8",
    NTRIPLES: NTRIPLES, JSONLD: JSONLD, RDFXML: RDFXML,
}
# prefixes written into Turtle answers (docs/graph-model.md)
TURTLE_PREFIXES = {name: PREFIXES[name] for name in (
    "sqs", "theme", "role", "orgtype", "schema", "org", "foaf", "prov", "dcterms", "skos", "qb", "oa", "xsd", "rdfs")}

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Limits:
    """What one query may cost. Every field can be set from the command line."""

    timeout: float = 10.0  # seconds a query may run before it is stopped
    max_results: int = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer
    max_query_length: int = 20_000  # characters of query text
    max_body_bytes: int = 100_000  # bytes of a POST body
    workers: int = 2  # queries that can run at the same time
    socket_timeout: float = 15.0  # seconds a client may stay silent while sending its request

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.socket_timeout <= 0:
            raise ValueError("time limits must be positive")
        if min(self.max_results, self.max_query_length, self.max_body_bytes, self.workers) < 1:
            raise ValueError("size limits and the worker count must be at least 1")


class Reply(NamedTuple):
    """One HTTP answer: status, Content-Type, body and any further headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


# QueryRefused and check_query live in ``library``: the one read-only check, shared with `sqsgraph query`.


# rdflib's parser takes 50-600 ms for a named query, far longer than Oxigraph takes to answer
# it; a worker remembers the form of the queries it has checked (refusals are not remembered)
_checked_form = functools.lru_cache(maxsize=256)(check_query)


# --- content negotiation ----------------------------------------------------------------------


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str], aliases: dict[str, str], requested: str | None = None) -> str | None:
    """The media type to answer with, or ``None`` when nothing in ``accept`` is offered.

    ``requested`` is a ``format=``/``output=`` parameter (a name such as ``csv`` or a media type);
    when it names an offered format it wins over the Accept header. No Accept header, or ``*/*``,
    gives the first offer.
    """
    if requested:
        key = requested.strip().lower()
        chosen = key if key in offers else aliases.get(key)
        if chosen in offers:
            return chosen
    if not accept or not accept.strip():
        return offers[0]
    ranges = _parse_accept(accept)
    best: tuple[float, int] | None = None
    answer = None
    for rank, offer in enumerate(offers):
        names = {offer} | {alias for alias, target in aliases.items() if target == offer and "/" in alias}
        q = _quality(names, ranges)
        if q > 0 and (best is None or (q, -rank) > best):
            best, answer = (q, -rank), offer
    return answer


def _quality(names: set[str], ranges: list[tuple[str, float]]) -> float:
    exact = [q for media, q in ranges if media in names]
    if exact:
        return max(exact)
    major = {n.split("/")[0] + "/*" for n in names}
    partial = [q for media, q in ranges if media in major]
    if partial:
        return max(partial)
    return max((q for media, q in ranges if media == "*/*"), default=0.0)


# --- writing results ----------------------------------------------------------------------------


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{xml_escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected RDF term {term!r}")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _check_xml_chars(text: str) -> None:
    bad = _NOT_XML.search(text)
    if bad:
        raise QueryRefused(406, f"the results hold the character U+{ord(bad.group()):04X}, which XML 1.0 cannot carry; "
                                "ask for JSON or TSV instead")


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def write_solutions(variables: list[str], rows: list[list[Any]], media: str) -> bytes:
    """SELECT results (``rows`` of terms or ``None`` for unbound) in one of the result formats."""
    if media == SPARQL_JSON:
        bindings = [{v: json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media == SPARQL_XML:
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        text = "".join(parts)
        _check_xml_chars(text)
        return text.encode("utf-8")
    if media == CSV:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if media == TSV:
        # str() of a pyoxigraph term is its N-Triples form, with tabs and newlines escaped
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"not a SPARQL results format: {media}")


def write_boolean(value: bool, media: str) -> bytes:
    """An ASK answer in one of the result formats (CSV and TSV as ``_askResult``, like Jena)."""
    word = "true" if value else "false"
    if media == SPARQL_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if media == SPARQL_XML:
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{word}</boolean></sparql>\n").encode("utf-8")
    if media == CSV:
        return f"_askResult\r\n{word}\r\n".encode("ascii")
    if media == TSV:
        return f"?_askResult\n{word}\n".encode("ascii")
    raise ValueError(f"not a SPARQL results format: {media}")


def write_triples(triples: list[Any], media: str) -> bytes:
    """CONSTRUCT/DESCRIBE results in an RDF format (Oxigraph's writers). RDF/XML that would have
    to hold a character XML cannot carry is refused (406): Oxigraph would write it as it is, and
    no XML parser reads that document."""
    prefixes = TURTLE_PREFIXES if media == TURTLE else None
    data = ox.serialize(triples, format=_OX_GRAPH_FORMATS[media], prefixes=prefixes)
    if media == RDFXML:
        _check_xml_chars(data.decode("utf-8"))
    return data


# --- answering one query ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryRequest:
    """What a client asked: the query and how it wants the answer. Plain data, so it can be
    sent to a worker process."""

    query: str
    accept: str | None = None
    format: str | None = None  # a ``format=``/``output=`` parameter
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()


#: rdflib's parser takes 20-200 ms per query: a worker checks each distinct query text once.
_checked_form = functools.lru_cache(maxsize=1024)(check_query)


def answer(store: ox.Store, request: QueryRequest, max_results: int) -> Reply:
    """Check, run and serialise one query against ``store``; every outcome is a ``Reply``."""
    try:
        form = _checked_form(request.query)
        if form in ("select", "ask"):
            media = negotiate(request.accept, RESULT_OFFERS, _ALIASES_RESULTS, request.format)
            offers = RESULT_OFFERS
        else:
            media = negotiate(request.accept, GRAPH_OFFERS, _ALIASES_GRAPH, request.format)
            offers = GRAPH_OFFERS
        if media is None:
            return Reply.error(406, f"no acceptable format for {form.upper()} results in Accept: {request.accept}; "
                                    f"this endpoint offers {', '.join(offers)}")
        return _run(store, request, media, max_results)
    except QueryRefused as exc:
        return Reply.error(exc.status, str(exc))


def _run(store: ox.Store, request: QueryRequest, media: str, max_results: int) -> Reply:
    options: dict[str, Any] = {}
    try:
        if request.default_graph_uris:
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graph_uris]
        else:
            options["use_default_graph_as_union"] = True
        if request.named_graph_uris:
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graph_uris]
        result = store.query(request.query, **options)
        if isinstance(result, ox.QueryBoolean):
            body = write_boolean(bool(result), media)
        elif isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [[solution[v] for v in variables] for solution in _capped(result, max_results, "rows")]
            body = write_solutions(variables, rows, media)
        else:
            body = write_triples(list(_capped(result, max_results, "triples")), media)
    except SyntaxError as exc:
        return Reply.error(400, f"malformed query: {exc}")
    except ValueError as exc:  # a default-graph-uri or named-graph-uri that is not an IRI
        return Reply.error(400, f"bad graph IRI in default-graph-uri or named-graph-uri: {exc}")
    except (RuntimeError, OSError) as exc:
        return Reply.error(500, f"the query failed while running: {exc}")
    return Reply(200, _CONTENT_TYPES[media], body)


def _capped(items: Iterable[Any], limit: int, what: str) -> Iterator[Any]:
    for n, item in enumerate(items):
        if n >= limit:
            raise QueryRefused(413, f"result too large: more than {limit} {what} (the endpoint's limit); add LIMIT or narrow the query")
        yield item


# --- answering one named query -----------------------------------------------------------------


@dataclass(frozen=True)
class NamedRequest:
    """A named query of the library (``GET /query/<name>``), its parameters and the page asked
    for. Plain data, so it can be sent to a worker process."""

    name: str
    params: tuple[tuple[str, str], ...] = ()
    limit: int | None = None
    offset: int = 0
    accept: str | None = None
    format: str | None = None


@dataclass
class Helpers:
    """What a worker has besides the store: the store's full-text index and precomputed answers."""

    text_index: Any = None
    precomputed: Any = None


@functools.lru_cache(maxsize=1)
def _named_queries() -> dict[str, Any]:
    from ..query.library import load_queries

    return load_queries()


def answer_named(store: ox.Store, request: NamedRequest, max_results: int, helpers: Helpers | None = None) -> Reply:
    """Run one named query through ``run.run_query`` (with the text index and precomputed
    answers when the worker has them) and serialise the page; every outcome is a ``Reply``.

    Without ``limit`` the whole answer is asked for, and refused (413) when it holds more than
    ``max_results`` rows; a page (``limit``) larger than ``max_results`` is refused too.
    """
    from ..errors import UsageError
    from ..query.library import bind_params
    from ..query.run import run_query

    helpers = helpers or Helpers()
    query = _named_queries().get(request.name)
    if query is None:
        return Reply.error(404, f"no named query {request.name!r}; GET /queries lists them")
    unknown = sorted({k for k, _ in request.params} - {p.name for p in query.params})
    if unknown:
        takes = ", ".join(p.name for p in query.params) or "no parameters"
        return Reply.error(400, f"query {query.name} has no parameter {', '.join(unknown)}; it takes: {takes} "
                                "(and limit, offset, format)")
    try:
        bindings = bind_params(query, dict(request.params))
    except UsageError as exc:
        return Reply.error(400, str(exc).replace("--param ", ""))
    if request.limit is not None and request.limit > max_results:
        return Reply.error(413, f"limit={request.limit} is more than {max_results} rows (the endpoint's limit); ask for smaller pages")
    media = negotiate(request.accept, RESULT_OFFERS, _ALIASES_RESULTS, request.format)
    if media is None:
        return Reply.error(406, f"no acceptable format for SELECT results in Accept: {request.accept}; "
                                f"this endpoint offers {', '.join(RESULT_OFFERS)}")
    whole = request.limit is None
    try:
        result = run_query(store, query.text, bindings, text_index=helpers.text_index, precomputed=helpers.precomputed,
                           limit=max_results if whole else request.limit, offset=request.offset)
        if whole and result.more:
            return Reply.error(413, f"result too large: more than {max_results} rows (the endpoint's limit); "
                                    f"ask for pages with limit= and offset=")
        if result.kind == "select":
            body = write_solutions(result.variables, result.rows, media)
        elif result.kind == "ask":
            body = write_boolean(bool(result.boolean), media)
        else:
            return Reply.error(500, f"the named query {request.name} is not a SELECT or ASK query")
    except QueryRefused as exc:
        return Reply.error(exc.status, str(exc))
    except QueryError as exc:
        return Reply.error(500, f"the query failed while running: {exc}")
    headers = [("X-Precomputed", "true" if result.precomputed else "false")]
    if result.searched:
        headers.append(("X-Text-Index", ", ".join(result.searched)))
    if result.more:
        headers.append(("X-Next-Offset", str(request.offset + len(result.rows))))
    return Reply(200, _CONTENT_TYPES[media], body, tuple(headers))


# --- worker processes ---------------------------------------------------------------------------


def _open_helpers(text_index_path: str | None, results_path: str | None) -> Helpers:
    helpers = Helpers()
    if text_index_path:
        from ..query.textindex import TextIndex

        helpers.text_index = TextIndex(text_index_path)
    if results_path:
        from ..query.answers import Precomputed

        helpers.precomputed = Precomputed(results_path)
    return helpers


def _worker_main(store_path: str, conn: Connection, max_results: int, text_index_path: str | None = None,
                 results_path: str | None = None) -> None:
    """Body of a worker process: open the store read-only, then answer requests until EOF."""
    try:
        store = ox.Store.read_only(store_path)
        helpers = _open_helpers(text_index_path, results_path)
    except (OSError, RuntimeError, QueryError) as exc:  # RocksDB reports a missing or damaged store as RuntimeError
        conn.send(f"cannot open the store copy: {exc}")
        return
    check_query("ASK {}")  # import and warm the parser before saying ready
    _named_queries()
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if isinstance(request, NamedRequest):
            conn.send(answer_named(store, request, max_results, helpers))
        else:
            conn.send(answer(store, request, max_results))


@dataclass(eq=False)  # identity: workers live in a set
class _Worker:
    process: Any
    conn: Connection


class QueryPool:
    """Worker processes that run queries; a query over its time limit is stopped by killing the
    process that runs it (Oxigraph evaluation cannot be interrupted from another thread)."""

    def __init__(self, store_path: str, limits: Limits, text_index_path: str | None = None,
                 results_path: str | None = None) -> None:
        self.store_path = store_path
        self.limits = limits
        self.helper_paths = (text_index_path, results_path)  # the store's text index and precomputed answers
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._starting: set[Any] = set()  # worker processes not yet ready
        self._ctx = multiprocessing.get_context("spawn")  # never fork a threaded server
        starters = [threading.Thread(target=self._add_worker) for _ in range(limits.workers)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        if self._idle.qsize() < limits.workers:
            self.close()
            raise QueryError("the query worker processes did not start; when calling create_server from a script, "
                             "put the call under `if __name__ == \"__main__\":` (worker processes re-import it)")

    def _add_worker(self) -> None:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(self.store_path, child, self.limits.max_results,
                                                               *self.helper_paths),
                                    name="sqsgraph-query-worker", daemon=True)
        with self._lock:  # close() kills what is starting, so no worker outlives the store copy
            if self._closed:
                parent.close()
                child.close()
                return
            try:
                process.start()
            except RuntimeError as exc:  # spawn refuses to start while __main__ is still importing
                log.error("a query worker could not start: %s", str(exc).strip().splitlines()[0])
                parent.close()
                return
            finally:
                child.close()
            self._starting.add(process)
        worker = _Worker(process, parent)
        try:
            message = parent.recv() if parent.poll(60) else "no answer within 60 s"
        except (EOFError, OSError):
            message = "it exited"
        with self._lock:
            self._starting.discard(process)
            keep = message == "ready" and not self._closed
            if keep:
                self._all.add(worker)
        if keep:
            self._idle.put(worker)
            return
        if not self._closed:
            log.error("a query worker did not start: %s", message)
        self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if not self._closed:
            threading.Thread(target=self._add_worker, daemon=True).start()

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all)

    def run(self, request: QueryRequest | NamedRequest) -> Reply:
        """Answer ``request`` in a worker, within the time limit."""
        timeout = self.limits.timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return Reply.error(503, f"the server is busy: no query slot came free within {timeout:g} s; try again later")
        try:
            worker.conn.send(request)
            if worker.conn.poll(timeout):
                reply = worker.conn.recv()
            else:
                self._replace(worker)
                return Reply.error(503, f"query stopped: it ran longer than the time limit of {timeout:g} s; "
                                        "add LIMIT, narrow the patterns, or ask the operator for a longer --timeout")
        except (EOFError, OSError):
            self._replace(worker)
            return Reply.error(500, "the query crashed the process running it; it was not answered")
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop every worker, including any still starting."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            starting = list(self._starting)
        for process in starting:
            process.kill()
            process.join(5)
        for worker in workers:
            self._discard(worker)


# --- the query page -----------------------------------------------------------------------------


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
    return resources.files("sqsgraph").joinpath("static", name).read_bytes()


# --- HTTP ---------------------------------------------------------------------------------------


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
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

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
        self.timeout = self.server.limits.socket_timeout  # a silent client is dropped
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


# --- building and running -----------------------------------------------------------------------


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
    of a graph file (TriG, N-Quads, Turtle, ...; loaded with ``store.load_dataset`` into a
    temporary on-disk copy), or the folder of a query store (``querystore.build_query_store``:
    served from a hard-linked snapshot, so nothing is loaded and a rebuild does not disturb it).

    Port 0 picks a free port; ``server.url`` says which. Call ``server.serve_forever()`` (or
    ``run``) to serve and ``server.server_close()`` to stop the workers and remove the store copy.
    """
    limits = limits or Limits()
    if isinstance(dataset, (str, os.PathLike)) and Path(dataset).is_dir():
        from ..query.querystore import snapshot

        copy = snapshot(dataset)
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
            from ..rdf.store import load_dataset

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


__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "Limits",
    "NamedRequest",
    "QueryPool",
    "QueryRefused",
    "QueryRequest",
    "Reply",
    "SparqlServer",
    "answer",
    "answer_named",
    "check_query",
    "create_server",
    "named_examples",
    "negotiate",
    "run",
    "write_boolean",
    "write_solutions",
    "write_triples",
]
