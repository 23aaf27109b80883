"""Push a dataset to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

Every graph of the dataset (each report's named graph, the shared graph, the ontology graph) is
sent with ``PUT {store}?graph={absolute IRI}``; a PUT replaces the graph, so pushing the same
dataset twice leaves the store as after one push, never with duplicates. Statements in the
dataset's default graph, if any, go to ``PUT {store}?default``.

A PUT only replaces the graphs the dataset has: graphs an earlier push left (a report withdrawn,
or a larger build pushed before) would stay, and refer to people the new shared graph no longer
names. So before sending, the store's SPARQL query service is asked which graphs it holds under
the build's base IRI (the part of the shared graph's IRI before ``graph/shared``): the ones this
dataset does not have come back in ``PushReport.others``, and with ``prune=True`` each is deleted
(``DELETE {store}?graph=IRI``) after the dataset's graphs are sent, so the store then holds
exactly this build (pushing twice still gives the same store). The query service is found from
the store's address (Oxigraph ``/store`` -> ``/query``, Fuseki ``/DATASET/data`` -> ``/DATASET/query``,
Virtuoso ``/sparql-graph-crud[-auth]`` -> ``/sparql``) or given as ``query_url``.

Graph IRIs are checked before anything is sent: a relative IRI or a blank node as graph name
stops the push with ``PushError`` and the store is untouched (some stores, Oxigraph among them,
would accept a relative IRI and resolve it against their own address).

The body is N-Triples, labelled ``application/n-triples`` or, for stores that prefer it,
``text/turtle`` (N-Triples is a subset of Turtle, so the same bytes are valid Turtle).

Authentication: ``auth=(user, password)`` answers the store's challenge, HTTP Basic (Fuseki,
a reverse proxy) or HTTP Digest (Virtuoso's ``/sparql-graph-crud-auth``); the password is
never sent before the store asks for it, so it is not sent in Basic form to a Digest store
(the price: each graph's body is sent twice, once to get the challenge).
``token=`` sends ``Authorization: Bearer``. An HTTP error stops the push with ``PushError``
naming the graph, the status and the start of the store's answer.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..errors import PushError

CONTENT_TYPES = {"ntriples": "application/n-triples", "turtle": "text/turtle"}
ERROR_EXCERPT = 300  # characters of a store's error answer quoted in PushError
SHARED_SUFFIX = "graph/shared"  # the shared graph of a build: BASE + this


@dataclass(frozen=True)
class PushedGraph:
    """One graph sent: its IRI (``None`` for the default graph), triples and the store's status."""

    iri: str | None
    triples: int
    status: int

    @property
    def label(self) -> str:
        return self.iri if self.iri is not None else "(default graph)"


@dataclass(frozen=True)
class PushReport:
    """What a push sent, graph by graph; the store's other graphs under the build's base IRI
    (``others``, sorted), those deleted (``deleted``, with ``prune``), and why the store could not
    be asked for them (``unlisted``, ``None`` when it was)."""

    store: str
    graphs: tuple[PushedGraph, ...]
    base: str | None = None
    others: tuple[str, ...] = ()
    deleted: tuple[PushedGraph, ...] = ()
    unlisted: str | None = None

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def graph_store_url(store: str, graph_iri: str | None) -> str:
    """The Graph Store Protocol address of one graph: ``store?graph=IRI`` (``&`` if the store URL
    already has a query), ``store?default`` for the default graph."""
    joiner = "&" if urllib.parse.urlsplit(store).query else "?"
    if graph_iri is None:
        return f"{store}{joiner}default"
    return f"{store}{joiner}graph={urllib.parse.quote(graph_iri, safe='')}"


def store_url_problem(store: str) -> str | None:
    """What is wrong with ``store`` as the address of a Graph Store Protocol endpoint (an
    ``http://`` or ``https://`` URL with a host), or ``None``; checked before the graph is read."""
    parts = urllib.parse.urlsplit(store)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    hint = f"; did you mean http://{store}?" if "://" not in store and store.strip() else ""
    return f"store URL {store!r} must start with http:// or https:// and name a host{hint}"


def graphs_to_push(dataset: Dataset) -> list[tuple[str | None, Graph]]:
    """The non-empty graphs of ``dataset`` as (absolute IRI or ``None`` for the default graph,
    graph), sorted by IRI. Raises ``PushError`` for a relative IRI or a blank-node graph name."""
    found: list[tuple[str | None, Graph]] = []
    for graph in dataset.graphs():
        if len(graph) == 0:
            continue
        name = graph.identifier
        if name == DATASET_DEFAULT_GRAPH_ID:
            found.append((None, graph))
            continue
        if isinstance(name, BNode) or not isinstance(name, URIRef):
            raise PushError(f"graph {name!r} has a blank node as its name; the Graph Store Protocol needs an absolute IRI")
        try:
            ox.NamedNode(str(name))
        except ValueError as exc:
            raise PushError(
                f"graph name <{name}> is not an absolute IRI ({exc}); the Graph Store Protocol "
                "needs one, and a store would resolve a relative one against its own address"
            ) from exc
        found.append((str(name), graph))
    return sorted(found, key=lambda pair: (pair[0] is not None, pair[0] or ""))


def _opener(store: str, auth: tuple[str, str] | None, token: str | None) -> urllib.request.OpenerDirector:
    if auth is not None and token is not None:
        raise PushError("give either a user and password or a bearer token, not both")
    handlers: list[Any] = []
    if auth is not None:
        # not HTTPPasswordMgrWithPriorAuth: its Basic handler marks the URL authenticated after
        # any success (a Digest one too) and then sends the password in Basic form unasked
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, store, auth[0], auth[1])
        handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
    opener = urllib.request.build_opener(*handlers)
    opener.addheaders = [("User-Agent", "sqsgraph-push")]
    if token is not None:
        opener.addheaders.append(("Authorization", f"Bearer {token}"))
    return opener


def build_base(iris: list[str | None]) -> str | None:
    """The base IRI of the build whose graphs these are: the shared graph's IRI without
    ``graph/shared`` (``None`` when there is no shared graph: not an sqsgraph build)."""
    for iri in iris:
        if iri is not None and iri.endswith(SHARED_SUFFIX):
            return iri[: -len(SHARED_SUFFIX)]
    return None


def query_service_url(store: str) -> str | None:
    """The SPARQL query service beside a Graph Store Protocol address, for the stores sqsgraph
    documents (Oxigraph, Fuseki, Virtuoso); ``None`` when it cannot be told."""
    parts = urllib.parse.urlsplit(store)
    path = parts.path.rstrip("/")
    for tail, query in (
        ("/store", "/query"),
        ("/data", "/query"),
        ("/sparql-graph-crud-auth", "/sparql"),
        ("/sparql-graph-crud", "/sparql"),
    ):
        if path.endswith(tail):
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path[: -len(tail)] + query, "", ""))
    return None


def store_graphs(opener: urllib.request.OpenerDirector, query_url: str, base: str, timeout: float) -> list[str]:
    """The named graphs the store holds whose IRI starts with ``base``, sorted (SPARQL SELECT)."""
    literal = base.replace("\\", "\\\\").replace('"', '\\"')
    query = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{literal}")) }}'
    request = urllib.request.Request(
        query_url,
        data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            answer = json.loads(response.read())
        rows = answer["results"]["bindings"]
        return sorted({row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"})
    except urllib.error.HTTPError as exc:
        raise PushError(
            f"the store's query service {query_url} answered HTTP {exc.code} {exc.reason} when asked which graphs it holds"
        ) from exc
    except urllib.error.URLError as exc:
        raise PushError(f"cannot reach the store's query service {query_url}: {exc.reason}") from exc
    except (TimeoutError, ConnectionError) as exc:
        raise PushError(f"the store's query service {query_url} did not answer: {exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise PushError(f"the store's query service {query_url} did not answer with SPARQL JSON results") from exc


def _delete(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> int:
    request = urllib.request.Request(url, method="DELETE")
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:  # already gone: the store holds what was asked
            return 404
        raise


def _put(opener: urllib.request.OpenerDirector, url: str, body: bytes, content_type: str, timeout: float) -> int:
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": content_type})
    with opener.open(request, timeout=timeout) as response:
        response.read()
        return int(response.status)


def push_dataset(
    dataset: Dataset,
    store: str,
    *,
    auth: tuple[str, str] | None = None,
    token: str | None = None,
    fmt: str = "ntriples",
    timeout: float = 60.0,
    prune: bool = False,
    query_url: str | None = None,
) -> PushReport:
    """PUT every graph of ``dataset`` to the Graph Store Protocol endpoint ``store`` (e.g.
    ``http://localhost:7878/store`` for Oxigraph) and report what was sent, with the store's
    other graphs under the build's base IRI; ``prune=True`` deletes those after the PUTs.

    Raises ``PushError`` before sending anything if a graph name is not an absolute IRI, or, with
    ``prune``, if the store's graphs cannot be listed (no base IRI, no query service, an error);
    stops at the first HTTP or network error (the graphs already sent stay replaced).
    """
    if fmt not in CONTENT_TYPES:
        raise PushError(f"unknown format {fmt!r}; choose one of {', '.join(CONTENT_TYPES)}")
    problem = store_url_problem(store)
    if problem:
        raise PushError(problem)
    graphs = graphs_to_push(dataset)  # every check before the first byte is sent
    opener = _opener(store, auth, token)
    base = build_base([iri for iri, _ in graphs])
    others, unlisted = _other_graphs(opener, store, base, query_url or query_service_url(store), graphs, timeout)
    if prune and unlisted:
        raise PushError(f"cannot prune: {unlisted}; nothing was pushed")
    sent = _put_graphs(opener, store, graphs, CONTENT_TYPES[fmt], timeout)
    deleted = _delete_graphs(opener, store, others, timeout) if prune else []
    return PushReport(store, tuple(sent), base, tuple(others), tuple(deleted), unlisted)


def _other_graphs(
    opener: urllib.request.OpenerDirector,
    store: str,
    base: str | None,
    query_url: str | None,
    graphs: list[tuple[str | None, Graph]],
    timeout: float,
) -> tuple[list[str], str | None]:
    """(the store's graphs under the build's ``base`` IRI that ``graphs`` does not have, ``None``),
    or ``([], why)`` when the store could not be asked for them."""
    if base is None:
        return [], "the graph has no sqsgraph shared graph (…/graph/shared), so no base IRI to look under"
    if query_url is None:
        return [], f"cannot tell the query service of {store}; give it (--query-url)"
    try:
        ours = {iri for iri, _ in graphs}
        return [g for g in store_graphs(opener, query_url, base, timeout) if g not in ours], None
    except PushError as exc:
        return [], str(exc)


def _put_graphs(
    opener: urllib.request.OpenerDirector,
    store: str,
    graphs: list[tuple[str | None, Graph]],
    content_type: str,
    timeout: float,
) -> list[PushedGraph]:
    """PUT each graph as N-Triples, in order; the first refusal or network error stops the push
    with ``PushError`` saying how many were sent before it."""
    sent: list[PushedGraph] = []
    for iri, graph in graphs:
        label = iri or "(default graph)"
        body = graph.serialize(format="nt", encoding="utf-8")
        url = graph_store_url(store, iri)
        try:
            status = _put(opener, url, body, content_type, timeout)
        except urllib.error.HTTPError as exc:
            excerpt = exc.read(ERROR_EXCERPT * 4).decode("utf-8", "replace").strip()[:ERROR_EXCERPT]
            raise PushError(
                f"{store} refused graph {label}: HTTP {exc.code} {exc.reason}"
                + (f": {excerpt}" if excerpt else "")
                + _progress(sent, len(graphs))
            ) from exc
        except urllib.error.URLError as exc:
            raise PushError(f"cannot reach the store at {store}: {exc.reason}" + _progress(sent, len(graphs))) from exc
        except (TimeoutError, ConnectionError) as exc:
            raise PushError(
                f"the store at {store} did not answer for graph {label}: {exc}" + _progress(sent, len(graphs))
            ) from exc
        sent.append(PushedGraph(iri, len(graph), status))
    return sent


def _delete_graphs(opener: urllib.request.OpenerDirector, store: str, others: list[str], timeout: float) -> list[PushedGraph]:
    """DELETE each of ``others`` (a graph already gone counts as deleted); the first refusal or
    network error stops with ``PushError`` saying how many were deleted before it."""
    deleted: list[PushedGraph] = []
    for iri in others:
        try:
            deleted.append(PushedGraph(iri, 0, _delete(opener, graph_store_url(store, iri), timeout)))
        except urllib.error.HTTPError as exc:
            raise PushError(
                f"{store} refused to delete graph {iri}: HTTP {exc.code} {exc.reason} (every graph of "
                f"this build was pushed; {len(deleted)} of {len(others)} old graphs deleted)"
            ) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise PushError(f"the store at {store} did not delete graph {iri}: {getattr(exc, 'reason', exc)}") from exc
    return deleted


def _progress(sent: list[PushedGraph], total: int) -> str:
    return f" ({len(sent)} of {total} graphs were pushed before this)"


def push_file(path: str | Path, store: str, **options: Any) -> PushReport:
    """Load a graph file (``datasets.load_dataset``) and push it; ``options`` as ``push_dataset``."""
    from ..rdf.datasets import load_dataset

    return push_dataset(load_dataset(path), store, **options)


def iter_report_lines(report: PushReport) -> Iterator[str]:
    """One line per graph and a total (and one per graph deleted, with ``prune``), for the
    command line."""
    for g in report.graphs:
        yield f"PUT {g.label}: {g.triples} triples (HTTP {g.status})"
    for g in report.deleted:
        yield f"DELETE {g.label} (HTTP {g.status})"
    yield f"pushed {len(report.graphs)} graphs, {report.triples} triples to {report.store}" + (
        f"; deleted {len(report.deleted)} graphs this build does not have" if report.deleted else ""
    )


def iter_notice_lines(report: PushReport) -> Iterator[str]:
    """What else the store holds from sqsgraph (graphs under the build's base IRI that were not
    pushed and not deleted), or why that could not be told: for stderr."""
    if report.unlisted:
        yield f"note: could not check what else the store holds: {report.unlisted}"
        return
    if report.others and not report.deleted:
        yield (
            f"warning: the store also holds {len(report.others)} graph(s) under {report.base} that this build "
            "does not have (from an earlier push); their statements may refer to people and organisations this "
            "build's shared graph no longer describes. --prune deletes them:"
        )
        for iri in report.others:
            yield f"    {iri}"


__all__ = [
    "CONTENT_TYPES",
    "PushReport",
    "PushedGraph",
    "build_base",
    "graph_store_url",
    "graphs_to_push",
    "iter_notice_lines",
    "iter_report_lines",
    "query_service_url",
    "store_graphs",
    "push_dataset",
    "push_file",
    "store_url_problem",
]
