"""The query stage for Python users: open a build's query store, and run a named query or SPARQL
on it with a dict of parameters, getting plain Python rows (``rows.Rows``).

``sqsgraph/__init__.py`` exports these beside the stages' own entry points (``parse_file``,
``build_graph``, ``write_views``, ``create_server``, the errors). What the ``sqsgraph query``
command does with options, these do with arguments, and with the same rules: a named query's
parameters are checked against its header and bound as RDF terms (never pasted into the text),
SPARQL of one's own is held to the endpoint's rules (no updates, no ``SERVICE``), and a build's
graph is read from its query store, with the full-text index and the precomputed answers beside
it when there are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeAlias

import pyoxigraph as ox

from ..errors import GraphError, QueryError, UsageError
from ..outputs import DEFAULT_OUT, QUADS_FILE
from ..rdf.formats import format_of_suffix
from . import querystore
from .library import NamedQuery, bind_params, check_own_query, code_only, get_query
from .rows import Rows
from .run import QueryResult, open_store
from .run import run_query as run_on_store

#: A build's output folder, a graph file in it (or anywhere), or a store already open.
GraphSource: TypeAlias = ox.Store | str | os.PathLike[str]

#: A parameter's value; ``None`` leaves an optional parameter unbound.
ParamValue: TypeAlias = str | int | float | Decimal | bool | date | None


def graph_file(graph: str | os.PathLike[str]) -> Path:
    """The graph file ``graph`` names: a file as it is, a folder holding a build its
    ``sqsgraph.nq``. Raises ``GraphError`` when there is none."""
    path = Path(graph)
    if path.is_dir():
        quads = path / QUADS_FILE
        if not quads.is_file():
            raise GraphError(
                f"{path}: holds no build ({QUADS_FILE}); build into it first: "
                f"sqsgraph.build_graph(reports, out_dir={str(path)!r})"
            )
        return quads
    if not path.is_file():
        raise GraphError(f"{path}: no such file or folder; give a build's output folder or a graph file")
    return path


def _is_nquads(path: Path) -> bool:
    fmt = format_of_suffix(path)
    return fmt is not None and fmt.name == "nquads"


def open_query_store(
    graph: str | os.PathLike[str] = DEFAULT_OUT, store_dir: str | os.PathLike[str] | None = None, *, rebuild: bool = True
) -> ox.Store:
    """The query store of a build, opened read-only: ``graph`` is the build's output folder
    (default ``output``, where ``sqsgraph build`` writes) or its N-Quads file.

    The store is ``store/`` beside the N-Quads file (or ``store_dir``); when it is missing or
    older than the file it is loaded first (as long as the build took to load it), unless
    ``rebuild`` is false: then ``StaleStoreError`` says so. Query it with ``run_query`` or with
    pyoxigraph's own ``Store.query(text, use_default_graph_as_union=True)``.
    """
    path = graph_file(graph)
    if not _is_nquads(path):
        raise GraphError(
            f"{path}: a query store is loaded from N-Quads (a build's {QUADS_FILE}); run_query reads other graph files directly"
        )
    return querystore.open_query_store(path, None if store_dir is None else Path(store_dir), rebuild=rebuild)


def run_query(
    graph: GraphSource, query: str, params: Mapping[str, ParamValue] | None = None, *, limit: int | None = None, offset: int = 0
) -> Rows:
    """Answer a named query, or SPARQL text, from a graph; the rows as plain Python values.

    ``graph``: a build's output folder (``"output"``), a graph file (its N-Quads are read from
    the query store beside them, loaded first if missing or stale; Turtle, TriG and the other
    formats are loaded into memory), or a store from ``open_query_store``.

    ``query``: the name of a named query (``sqsgraph queries`` lists them, e.g.
    ``"people-in-several-reports"``), a ``.rq`` file, or SPARQL text (a ``SELECT``; updates and
    ``SERVICE`` are refused).

    ``params``: a named query's parameters by name, as its header declares them (``None`` leaves
    an optional one out); a name it does not declare, or a required one missing, is a
    ``UsageError`` naming what it takes. Strings match as a person types them (case, spaces,
    dashes and quote marks do not count). For SPARQL text, each binds the variable of that name:
    a ``str`` as a string literal, an ``int``, ``float``, ``Decimal``, ``bool`` or ``date`` as
    the literal of its XSD type.

    ``limit`` and ``offset``: a page of the rows (``Rows.more`` says whether more follow).

    Raises ``QueryNotFound`` for an unknown name, ``QueryError`` for SPARQL that is malformed,
    refused or not a SELECT, ``GraphError`` when the graph cannot be read.
    """
    named = _query_of(query)
    check_own_query(named.text)  # before the graph is opened, as the command does
    bindings = _bindings(named, {k: v for k, v in (params or {}).items() if v is not None})
    if isinstance(graph, ox.Store):
        result = run_on_store(graph, named.text, bindings, limit=limit, offset=offset)
    else:
        result = _run_on_file(graph_file(graph), named, bindings, limit, offset)
    if result.kind != "select":
        raise QueryError(
            f"run_query answers SELECT queries; this is {'an ASK' if result.kind == 'ask' else 'a graph'} "
            "query: run it with open_query_store(...).query(text, use_default_graph_as_union=True)"
        )
    return Rows.of(result)


def _query_of(query: str) -> NamedQuery:
    """A named query or a ``.rq`` file (one word), else SPARQL text of one's own."""
    if not query.strip():
        raise UsageError("no query given: a named query's name (sqsgraph queries lists them) or SPARQL text")
    if re.fullmatch(r"\S+", query.strip()) and "{" not in query:
        return get_query(query.strip())
    return NamedQuery("sparql", "sparql", "", query, adhoc=True)


def _bindings(query: NamedQuery, given: Mapping[str, ParamValue]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """The RDF terms of ``given``: a named query's parameters checked against its header (and
    typed and folded as the command binds them), the variables of SPARQL text as typed literals."""
    if query.adhoc:
        code = code_only(query.text)
        unknown = sorted(n for n in given if not re.search(rf"[?$]{re.escape(n)}(?!\w)", code))
        if unknown:
            raise UsageError(f"the query has no variable ?{unknown[0]} for the parameter {unknown[0]!r} to bind")
        return {ox.Variable(name): _literal(value) for name, value in given.items()}
    declared = {p.name: p for p in query.params}
    takes = "; ".join(f"{p.name} ({p.type}{', optional' if p.optional else ''})" for p in query.params) or "no parameters"
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise UsageError(f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))}; it takes: {takes}")
    missing = [p for p in query.params if not p.optional and p.name not in given]
    if missing:
        raise UsageError(
            f"query {query.name!r} needs the parameter {missing[0].name!r} "
            f"({missing[0].description or missing[0].type}); it takes: {takes}"
        )
    return bind_params(query, {name: _text(value) for name, value in given.items()})


def _text(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _literal(value: ParamValue) -> ox.Literal:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(xsd + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))
    if isinstance(value, Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "decimal"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(xsd + "double"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(xsd + ("dateTime" if isinstance(value, datetime) else "date")))
    return ox.Literal(str(value))


def _run_on_file(
    path: Path, query: NamedQuery, bindings: dict[ox.Variable, ox.NamedNode | ox.Literal], limit: int | None, offset: int
) -> QueryResult:
    """Run on the query store of an N-Quads file, with its full-text index and precomputed answers
    (the same rows, sooner), or on any other graph file loaded into memory."""
    if not _is_nquads(path):
        return run_on_store(open_store(path), query.text, bindings, limit=limit, offset=offset)
    store = querystore.open_query_store(path)
    folder = querystore.default_store_dir(path)
    index = querystore.open_text_index(folder)
    answers = querystore.open_precomputed(folder)
    try:
        return run_on_store(store, query.text, bindings, text_index=index, precomputed=answers, limit=limit, offset=offset)
    finally:
        for helper in (index, answers):
            if helper is not None:
                helper.close()
