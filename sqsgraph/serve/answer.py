"""Answering one request: a SPARQL query (checked read-only, run on Oxigraph, written in the
negotiated format) or a named query of the library with its parameters. Runs in the workers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import QueryError, UsageError
from ..query.library import NamedQuery, QueryRefused, bind_params, check_query
from .protocol import (
    _ALIASES_GRAPH,
    _ALIASES_RESULTS,
    _CONTENT_TYPES,
    GRAPH_OFFERS,
    RESULT_OFFERS,
    Reply,
    negotiate,
    write_boolean,
    write_solutions,
    write_triples,
)

if TYPE_CHECKING:
    from ..query.run import QueryResult


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
            return Reply.error(
                406,
                f"no acceptable format for {form.upper()} results in Accept: {request.accept}; "
                f"this endpoint offers {', '.join(offers)}",
            )
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
            raise QueryRefused(
                413, f"result too large: more than {limit} {what} (the endpoint's limit); add LIMIT or narrow the query"
            )
        yield item


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
    helpers = helpers or Helpers()
    try:
        query, bindings = _bound_query(request)
        _check_page(request, max_results)
        media = _result_media(request)
        result = _run_named(store, query, bindings, request, max_results, helpers)
        body = _written(result, media, request.name)
    except QueryRefused as exc:
        return Reply.error(exc.status, str(exc))
    except QueryError as exc:
        return Reply.error(500, f"the query failed while running: {exc}")
    return Reply(200, _CONTENT_TYPES[media], body, _result_headers(result, request))


def _bound_query(request: NamedRequest) -> tuple[NamedQuery, dict[ox.Variable, ox.NamedNode | ox.Literal]]:
    """The named query asked for and its parameters bound; ``QueryRefused`` (404, 400) when
    there is no such query or a parameter is not one of its own or not of its type."""
    query = _named_queries().get(request.name)
    if query is None:
        raise QueryRefused(404, f"no named query {request.name!r}; GET /queries lists them")
    unknown = sorted({k for k, _ in request.params} - {p.name for p in query.params})
    if unknown:
        takes = ", ".join(p.name for p in query.params) or "no parameters"
        raise QueryRefused(
            400, f"query {query.name} has no parameter {', '.join(unknown)}; it takes: {takes} (and limit, offset, format)"
        )
    try:
        return query, bind_params(query, dict(request.params))
    except UsageError as exc:
        raise QueryRefused(400, str(exc).replace("--param ", "")) from exc


def _check_page(request: NamedRequest, max_results: int) -> None:
    if request.limit is not None and request.limit > max_results:
        raise QueryRefused(
            413, f"limit={request.limit} is more than {max_results} rows (the endpoint's limit); ask for smaller pages"
        )


def _result_media(request: NamedRequest) -> str:
    """The results format the client accepts; ``QueryRefused`` (406) when it accepts none offered."""
    media = negotiate(request.accept, RESULT_OFFERS, _ALIASES_RESULTS, request.format)
    if media is None:
        raise QueryRefused(
            406,
            f"no acceptable format for SELECT results in Accept: {request.accept}; "
            f"this endpoint offers {', '.join(RESULT_OFFERS)}",
        )
    return media


def _run_named(
    store: ox.Store,
    query: NamedQuery,
    bindings: dict[ox.Variable, ox.NamedNode | ox.Literal],
    request: NamedRequest,
    max_results: int,
    helpers: Helpers,
) -> QueryResult:
    """The page asked for, or without ``limit`` the whole answer, refused (413) when it holds
    more than ``max_results`` rows."""
    from ..query.run import run_query

    whole = request.limit is None
    result = run_query(
        store,
        query.text,
        bindings,
        text_index=helpers.text_index,
        precomputed=helpers.precomputed,
        limit=max_results if whole else request.limit,
        offset=request.offset,
    )
    if whole and result.more:
        raise QueryRefused(
            413,
            f"result too large: more than {max_results} rows (the endpoint's limit); ask for pages with limit= and offset=",
        )
    return result


def _written(result: QueryResult, media: str, name: str) -> bytes:
    if result.kind == "select":
        return write_solutions(result.variables, result.rows, media)
    if result.kind == "ask":
        return write_boolean(bool(result.boolean), media)
    raise QueryRefused(500, f"the named query {name} is not a SELECT or ASK query")


def _result_headers(result: QueryResult, request: NamedRequest) -> tuple[tuple[str, str], ...]:
    """Whether the answer was computed in advance, which parameters the full-text index
    answered, and where the next page starts."""
    headers = [("X-Precomputed", "true" if result.precomputed else "false")]
    if result.searched:
        headers.append(("X-Text-Index", ", ".join(result.searched)))
    if result.more:
        headers.append(("X-Next-Offset", str(request.offset + len(result.rows))))
    return tuple(headers)
