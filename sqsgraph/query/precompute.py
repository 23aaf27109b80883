"""Precomputed answers of the named queries, beside the query store.

The graph behind a query store never changes (a new build makes a new database), so the answer
of a named query to given parameters never changes either. When a database is built
(``querystore.build_query_store``) the full answers of these queries are computed once, by
running their SPARQL on the new database exactly as ``run.run_query`` would, and written to
a SQLite file ``res-<database>.sqlite`` beside it:

* every named query whose parameters are all optional (or that has none), asked without
  parameters;
* a query parameter whose useful values are a small closed set in the data, declared in the
  query's header as ``# precompute: PARAM from SELECT ?value { ... }`` (one line; the query's
  ``PREFIX`` lines apply), asked with each ``?value`` that query finds (at most
  ``MAX_VALUES``), e.g. the theme ids, labels and the words of the labels. When that query also
  selects ``?key``, its rows say which nodes each value picks (e.g. which themes a word
  matches), and values that pick the same set of nodes are answered by one SPARQL run: the query
  author declares that the answer depends only on that set, and (for an optional parameter) that
  leaving the parameter out picks every node the values can pick.

  For a query that declares ``# plan: parameters first`` (see ``rewrite``), each value's
  answer is also stored under the query as Oxigraph runs it, with the rows of its parameter
  sub-select in place; values giving the same query are answered by one SPARQL run. Any other
  value of the parameter whose sub-select gives the same rows (``Ofsted`` and ``ofsted``, or
  ``fsted``, picking the same organisations) then finds that answer: the query it would run is
  the same text, so its answer is the same. ``run_query`` answers the sub-select (a few
  milliseconds with the text index) to find out. Here no ``?key`` is needed: the rows of the
  sub-select are the key. A value picking more than ``MAX_PICKED`` rows is left to SPARQL.

* a text search (``# search: PARAM narrows ?VAR by PREDICATE``, see ``textindex``) declared
  ``# precompute: PARAM narrows ?VAR``: the answer with ``PARAM`` the empty string (which every
  text contains) is stored with the ``?VAR`` node of each row; the answer to a term is then the
  rows of that answer whose ``?VAR`` the full-text index finds for the term, in their order. The
  query author declares that the parameter acts only through that search and that the
  ``ORDER BY`` tells apart the rows of one ``?VAR`` (it ends with ``?VAR``, say); the build
  checks that no ``?VAR`` node has two texts of the predicate (the empty string would then
  count its rows twice) and otherwise leaves the search to SPARQL. For an optional parameter the
  answer without it is taken as that base (declared: leaving the search out narrows nothing).

``run_query(..., precomputed=...)`` then answers a page (``limit``/``offset``) of such an answer
with one SQLite range read instead of running SPARQL; any other query or parameter value runs
SPARQL as before. The rows are the same terms in the same order with the same column names:
each cell is stored as its kind, lexical value and datatype or language, and rebuilt as the same
pyoxigraph term. A row is one string, its cells separated by ```` (``encode_row``): split
in C and each term made once per page, which reads a 45,000-row answer several times faster
than one JSON array a row did (making the terms is most of what is left).

**Keys.** An answer is found by the SHA-256 of the query text and its bound parameters (as
N-Triples terms), so an edited ``.rq`` file, or a parameter given in another type, misses and
runs SPARQL: a stored answer is only ever served for the exact query that made it.

**Freshness.** The file is written atomically (a temporary name renamed into place) before the
database goes live, named in ``current.json`` with it, snapshotted with it by the endpoint and
removed with it: it is exactly as fresh as its database (see ``querystore``).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .answers import (
    RESULTS_FORMAT,
    answer_key,
    encode_row,
    narrowing_declarations,
    precompute_declarations,
    text_key,
)
from .library import bind_params, load_queries
from .matching import fold
from .rewrite import inline_rows, parameter_rows, parameters_first
from .run import search_candidates, stream_rows
from .sqlitefile import new_sqlite_file
from .textindex import TextIndex, text_searches

#: The most values of one ``# precompute:`` parameter answered in advance.
MAX_VALUES = 64


#: A query answering more rows than this is not stored (it would only make the file large).
MAX_ROWS = 2_000_000


#: A ``# plan: parameters first`` value whose sub-select picks more rows than this is not
#: answered in advance (a word such as "youth" that every local organisation's name has: minutes
#: at 10,000 reports, for an answer about thousands of organisations; it runs SPARQL when asked).
MAX_PICKED = 100


@dataclass(frozen=True)
class Planned:
    query: str  # the named query's name
    text: str
    bindings: dict[ox.Variable, ox.NamedNode | ox.Literal]
    same_as: tuple[dict[ox.Variable, ox.NamedNode | ox.Literal], ...] = ()  # other parameters with this answer
    narrows: tuple[str, str, str] | None = None  # (param, variable, predicate IRI): the base of a text search
    inlined: str | None = None  # the query as run, its parameter sub-select's rows in place (``# plan: parameters first``)


def plan(store: ox.Store, text_index: TextIndex | None = None) -> list[Planned]:
    """The (query, parameters) pairs to answer in advance over ``store`` (``text_index``, if
    given, only makes the sub-selects of ``# plan: parameters first`` queries quicker to answer)."""

    out: list[Planned] = []
    for name, query in load_queries().items():
        unbound = None  # where the answer without parameters is in ``out``
        if all(p.optional for p in query.params):
            unbound = len(out)
            out.append(Planned(name, query.text, {}))
        searches = {(s.param, s.variable): s.predicate for s in text_searches(query.text, name)}
        for param, var in narrowing_declarations(query.text, name):
            predicate = searches.get((param, var))
            if predicate is None:
                raise QueryError(
                    f"query {name}: '# precompute: {param} narrows ?{var}' needs '# search: {param} narrows ?{var} by ...'"
                )
            if not all(p.optional for p in query.params if p.name != param):
                continue
            twice = store.query(
                f"ASK {{ ?s {ox.NamedNode(predicate)} ?a, ?b FILTER (?a != ?b) }}", use_default_graph_as_union=True
            )
            if bool(twice):  # a node with two texts: the empty term would count its rows twice
                continue
            empty = bind_params(query, {param: ""})
            if unbound is not None:  # an optional search left out narrows nothing: that answer is the base
                item = out[unbound]
                out[unbound] = replace(item, same_as=(*item.same_as, empty), narrows=(param, var, predicate))
            else:
                out.append(Planned(name, query.text, empty, narrows=(param, var, predicate)))
        for param, values_query in precompute_declarations(query.text, name):
            others_optional = all(p.optional for p in query.params if p.name != param)
            if not others_optional or param not in {p.name for p in query.params}:
                continue
            solutions = store.query(values_query, use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)  # a SELECT's answer
            keyed = "key" in [v.value for v in solutions.variables]
            picks: dict[str, set[str]] = {}
            for row in solutions:  # values alike once folded (as bound: ``matching.fold``) are one value
                if row["value"] is not None:
                    picks.setdefault(fold(row["value"].value), set()).update([str(row["key"])] if keyed and row["key"] else [])
            groups: dict[object, list[str]] = {}
            for value in sorted(picks)[:MAX_VALUES]:
                groups.setdefault(frozenset(picks[value]) if keyed else value, []).append(value)
            every = frozenset().union(*picks.values()) if keyed else None
            if parameters_first(query.text, name):  # the same query once its sub-select is answered: one run
                inlined: dict[str, list[str]] = {}
                for value in sorted(picks)[:MAX_VALUES]:
                    made = _inlined(store, query.text, bind_params(query, {param: value}), text_index)
                    if made is not None:
                        inlined.setdefault(made, []).append(value)
                for text, values in inlined.items():
                    bound = [bind_params(query, {param: v}) for v in values]
                    out.append(Planned(name, query.text, bound[0], tuple(bound[1:]), inlined=text))
                continue
            for key, values in groups.items():
                bound = [bind_params(query, {param: v}) for v in values]
                if keyed and key == every and every and unbound is not None:  # picks all: the answer without it
                    item = out[unbound]
                    out[unbound] = replace(item, same_as=(*item.same_as, *bound))
                else:
                    out.append(Planned(name, query.text, bound[0], tuple(bound[1:])))
    return out


def _inlined(
    store: ox.Store, text: str, bindings: dict[ox.Variable, ox.NamedNode | ox.Literal], text_index: TextIndex | None
) -> str | None:
    """The query as ``run_query`` runs it for ``bindings``, its parameter sub-select answered;
    ``None`` when that sub-select picks more than ``MAX_PICKED`` rows."""

    found = parameter_rows(store, text, bindings, search_candidates(text, bindings, text_index)[0])
    if found is None:
        raise QueryError("# plan: parameters first needs the parameters bound in a sub-select")
    if len(found[1]) > MAX_PICKED:
        return None
    return inline_rows(text, *found)


#: Queries answered at once: Oxigraph evaluates a query without holding Python's lock, so each
#: runs on a core of its own (the answers are written in the plan's order all the same).
THREADS = max(1, min(4, os.cpu_count() or 1))


def _aliases(item: Planned) -> list[tuple[str, dict[ox.Variable, ox.NamedNode | ox.Literal]]]:
    """The other keys ``item``'s answer is stored under, with their parameters: its ``same_as``
    parameters', and the query as run (``inlined``, with its parameters in place)."""
    aliases = [(answer_key(item.text, other), other) for other in item.same_as]
    return aliases if item.inlined is None else [*aliases, (answer_key(item.inlined, {}), {})]


def _params_json(bindings: dict[ox.Variable, ox.NamedNode | ox.Literal]) -> str:
    """The parameters of a stored answer as its row says them: each name with its N-Triples term."""
    return json.dumps({v.value: str(t) for v, t in bindings.items()}, ensure_ascii=False)


def _once(items: list[Planned]) -> list[Planned]:
    """The planned items whose answer no earlier item gives (the same query and parameters as an
    earlier item, or as one of its ``same_as``, or the query an earlier one ran): each is run once."""
    covered: set[str] = set()
    out = []
    for item in items:
        key = answer_key(item.text, item.bindings)
        if key not in covered:
            covered.update([key, *(alias for alias, _bindings in _aliases(item))])
            out.append(item)
    return out


@dataclass(frozen=True)
class _Answer:
    """A planned query's answer as stored: its rows encoded (``encode_row``), and for the base of
    a text search each row's node of the narrowed variable; ``cells`` is ``None`` when the query
    is no SELECT or answers more than ``MAX_ROWS`` rows (not stored)."""

    variables: list[str]
    cells: list[str] | None
    nodes: list[str | None] | None
    seconds: float


def _answer(store: ox.Store, item: Planned, text_index: TextIndex | None) -> _Answer:
    """``item``'s answer, each row encoded as Oxigraph gives it: the rows are never all held as
    terms (a 180,000-row answer of sixteen columns took 700 MB so)."""
    started = time.perf_counter()
    streamed = stream_rows(store, item.text, item.bindings, text_index=text_index)
    if streamed is None:
        return _Answer([], None, None, time.perf_counter() - started)
    variables, rows = streamed
    narrowed = item.narrows[1] if item.narrows else None
    column = variables.index(narrowed) if narrowed in variables else None
    cells: list[str] = []
    nodes: list[str | None] = []
    for row in rows:
        if len(cells) == MAX_ROWS:
            return _Answer(variables, None, None, time.perf_counter() - started)
        cells.append(encode_row(row))
        if column is not None:
            node = row[column]
            nodes.append(None if node is None else str(node))
    return _Answer(variables, cells, nodes if column is not None else None, time.perf_counter() - started)


def _answered(store: ox.Store, items: list[Planned], text_index: TextIndex | None) -> Iterator[tuple[Planned, _Answer]]:
    """Each item with its answer, in order; ``THREADS`` answered at a time, so at most that
    many answers are held in memory at once."""
    with ThreadPoolExecutor(THREADS, thread_name_prefix="precompute") as pool:
        queue = iter(items)
        pending = deque((item, pool.submit(_answer, store, item, text_index)) for item in islice(queue, THREADS))
        while pending:
            item, job = pending.popleft()
            answer = job.result()
            if (following := next(queue, None)) is not None:
                pending.append((following, pool.submit(_answer, store, following, text_index)))
            yield item, answer


def _digest(variables: str, cells: list[str]) -> str:
    """SHA-256 of the variables and the rows, a line each."""
    digest = hashlib.sha256(variables.encode("utf-8"))
    for cell in cells:
        digest.update(b"\n")
        digest.update(cell.encode("utf-8"))
    return digest.hexdigest()


def build_results(store: ox.Store, path: str | Path, text_index: TextIndex | None = None) -> Path:
    """Answer every planned query over ``store`` and write the answers into the SQLite file
    ``path``, atomically (``text_index``: see ``plan``)."""

    target = Path(path)
    with new_sqlite_file(target) as db:
        db.executescript(
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE answers(key TEXT PRIMARY KEY, query TEXT NOT NULL, params TEXT NOT NULL,"
            " rowset INTEGER NOT NULL, seconds REAL NOT NULL);"
            "CREATE TABLE rowsets(id INTEGER PRIMARY KEY, digest TEXT UNIQUE NOT NULL, variables TEXT NOT NULL,"
            " nrows INTEGER NOT NULL);"
            "CREATE TABLE rows(rowset INTEGER NOT NULL, n INTEGER NOT NULL, cells TEXT NOT NULL,"
            " PRIMARY KEY (rowset, n)) WITHOUT ROWID;"
            "CREATE TABLE narrowed(query TEXT NOT NULL, param TEXT NOT NULL, variable TEXT NOT NULL,"
            " predicate TEXT NOT NULL, rowset INTEGER NOT NULL, PRIMARY KEY (query, param));"
            "CREATE TABLE nodes(rowset INTEGER NOT NULL, node TEXT NOT NULL, n INTEGER NOT NULL,"
            " PRIMARY KEY (rowset, node, n)) WITHOUT ROWID;"
        )
        db.execute("INSERT INTO meta VALUES ('format', ?)", (str(RESULTS_FORMAT),))
        for item, answer in _answered(store, _once(plan(store, text_index)), text_index):
            key = answer_key(item.text, item.bindings)
            cells = answer.cells
            if cells is None:
                continue
            params = _params_json(item.bindings)
            variables = json.dumps(answer.variables)
            digest = _digest(variables, cells)
            found = db.execute("SELECT id FROM rowsets WHERE digest = ?", (digest,)).fetchone()
            if found:  # another value gave the same answer (e.g. a word every theme label has): stored once
                rowset = found[0]
            else:
                rowset = db.execute(
                    "INSERT INTO rowsets(digest, variables, nrows) VALUES (?, ?, ?)", (digest, variables, len(cells))
                ).lastrowid
                db.executemany("INSERT INTO rows VALUES (?, ?, ?)", ((rowset, n, c) for n, c in enumerate(cells)))
            db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?)", (key, item.query, params, rowset, round(answer.seconds, 4)))
            if item.narrows:
                param, var, predicate = item.narrows
                nodes = answer.nodes
                if nodes is not None and all(node is not None for node in nodes):
                    db.execute(
                        "INSERT OR IGNORE INTO narrowed VALUES (?, ?, ?, ?, ?)",
                        (text_key(item.text), param, var, predicate, rowset),
                    )
                    db.executemany(
                        "INSERT OR IGNORE INTO nodes VALUES (?, ?, ?)", ((rowset, node, n) for n, node in enumerate(nodes))
                    )
            # the same nodes picked, or the query as run (what another value picking the same rows
            # runs): the same answer, not run again
            db.executemany(
                "INSERT OR IGNORE INTO answers VALUES (?, ?, ?, ?, 0)",
                ((alias, item.query, _params_json(other), rowset) for alias, other in _aliases(item)),
            )
    return target
