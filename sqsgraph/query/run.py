"""Running a query on a store: the stored answer when there is one, else the rewritten SPARQL,
and what to suggest when parameters found nothing.

Queries run on Oxigraph (pyoxigraph) over the union of all named graphs, which is what analysts
expect of a dataset with one graph per report. ``run_query_rdflib`` runs the same query on
rdflib's own engine, for comparison in the benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import GraphError, QueryError, UsageError
from ..rdf.datasets import graph_format
from .answers import Page, Precomputed
from .library import NamedQuery, check_own_query
from .matching import close_values, fold, fold_sparql
from .queryheader import header_lines
from .rewrite import inline_parameters, parameters_first, with_page, with_values
from .textindex import TextIndex, text_searches

#: A row of a SELECT's answer: a term per variable, ``None`` where it is unbound.
Row = tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]


@dataclass
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    searched: tuple[str, ...] = ()  # the parameters whose text search the full-text index answered
    more: bool = False  # a page was asked for (``limit``) and rows follow it
    precomputed: bool = False  # answered from the answers computed when the store was built


def open_store(path: str | Path) -> ox.Store:
    """Load a graph file (format by suffix) into an in-memory Oxigraph store."""
    p = Path(path)
    fmt = graph_format(p)
    if not p.is_file():
        raise GraphError(f"{path}: no such file; run `sqsgraph build` first or name an existing graph file")
    store = ox.Store()
    try:
        store.bulk_load(path=str(p), format=fmt.oxigraph)
    except SyntaxError as exc:
        raise GraphError(f"{path}: not valid {fmt.name}: {exc}") from exc
    return store


#: A text search whose index finds more nodes than this is left to the query's own filter: a
#: ``VALUES`` block that large is joined slowly by some plans (people-by-organisation's
#: sub-select at 1,000 reports, "and": 2,036 nodes, 2.7-7 s, against 1 s reading every
#: organisation), and with that many matches the filter's own scan costs little more.
MAX_CANDIDATES = 1000


def search_candidates(
    text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal], text_index: TextIndex | None
) -> tuple[dict[str, list[str]], list[str]]:
    """The nodes the full-text index finds for the query's ``# search:`` lines (variable name to
    N-Triples IRIs, at most ``MAX_CANDIDATES`` each), and the parameters it answered."""
    candidates: dict[str, list[str]] = {}
    searched: list[str] = []
    if text_index is None:
        return candidates, searched
    for search in text_searches(text):
        term = bindings.get(ox.Variable(search.param))
        if term is None or search.variable in candidates:
            continue
        nodes = text_index.search(search.predicate, term.value)
        if nodes is not None and len(nodes) <= MAX_CANDIDATES:
            candidates[search.variable] = nodes
            searched.append(search.param)
    return candidates, searched


def run_query(
    store: ox.Store,
    text: str,
    bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    *,
    text_index: TextIndex | None = None,
    limit: int | None = None,
    offset: int = 0,
    precomputed: Precomputed | None = None,
) -> QueryResult:
    """Run a SPARQL query over the union of all graphs. Syntax errors raise QueryError with
    Oxigraph's line and column.

    ``text_index`` (``querystore.open_text_index``) answers the text searches the query declares
    (``# search:`` header lines, see ``textindex``) before Oxigraph runs; without it, or for a
    search it cannot answer, the query reads every text as before. The rows are the same.

    ``limit``/``offset`` answer one page of the rows (``None``: all of them); ``result.more``
    then says whether rows follow the page.

    ``precomputed`` (``querystore.open_precomputed``) holds the answers of the named queries
    computed when the store was built (``precompute``); a query and parameters found there are
    answered from it, the same rows, without running SPARQL (``result.precomputed`` says so);
    for a query declaring ``# plan: parameters first`` the query with its sub-select's rows in
    place is looked up there too.
    """
    check_own_query(text)
    bindings = bindings or {}
    if (limit is not None and limit < 0) or offset < 0:
        raise UsageError("limit and offset must be 0 or more")
    stored = None if precomputed is None else _stored_answer(precomputed, text, bindings, text_index, limit, offset)
    if stored is not None:
        return stored
    candidates, searched = search_candidates(text, bindings, text_index)
    query = _with_parameters(store, text, bindings, candidates)
    if precomputed is not None and parameters_first(text):  # another value that picked the same rows was answered in advance
        page = precomputed.page(query, {}, limit, offset)
        if page is not None:
            return _stored_result(page, tuple(searched))
    if limit is not None or offset:
        query = with_page(query, None if limit is None else limit + 1, offset)  # one more: are there more?
    return _result_of(_ask(store, query), limit, tuple(searched))


def stream_rows(
    store: ox.Store,
    text: str,
    bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    *,
    text_index: TextIndex | None = None,
) -> tuple[list[str], Iterator[Row]] | None:
    """``run_query``'s SPARQL answer to a SELECT (no page, nothing precomputed): its variables
    and its rows one at a time as Oxigraph gives them, the same rows in the same order, for an
    answer too large to hold as terms (``precompute``); ``None`` for any other kind of query."""
    check_own_query(text)
    bindings = bindings or {}
    candidates, _searched = search_candidates(text, bindings, text_index)
    answer = _ask(store, _with_parameters(store, text, bindings, candidates))
    if not isinstance(answer, ox.QuerySolutions):
        return None
    variables = [v.value for v in answer.variables]
    return variables, (tuple(solution[v] for v in variables) for solution in answer)


def _stored_answer(
    precomputed: Precomputed,
    text: str,
    bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal],
    text_index: TextIndex | None,
    limit: int | None,
    offset: int,
) -> QueryResult | None:
    """The page of ``text``'s answer computed when the store was built, for these ``bindings``:
    stored as it is, or, for a text search the stored answer declares it narrows, its rows whose
    node the full-text index finds; ``None`` when neither is there."""
    page = precomputed.page(text, bindings, limit, offset)
    if page is not None:
        return _stored_result(page)
    narrowing = precomputed.narrowing(text, bindings) if text_index is not None else None
    if narrowing is not None and text_index is not None:  # a text search: the stored answer's rows whose node the index finds
        param, _, predicate = narrowing
        nodes = text_index.search(predicate, bindings[ox.Variable(param)].value)
        if nodes is not None:
            return _stored_result(precomputed.narrowed_page(text, param, nodes, limit, offset), (param,))
    return None


def _stored_result(page: Page, searched: tuple[str, ...] = ()) -> QueryResult:
    return QueryResult(
        kind="select", variables=page.variables, rows=page.rows, more=page.more, searched=searched, precomputed=True
    )


def _with_parameters(
    store: ox.Store, text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal], candidates: dict[str, list[str]]
) -> str:
    """The SPARQL to run: the parameters' values and the text searches' candidates in a
    ``VALUES`` block, or, for a query declaring ``# plan: parameters first``, its sub-select's
    rows put in place (``rewrite``)."""
    if not parameters_first(text):
        return with_values(text, bindings, candidates)
    inlined = inline_parameters(store, text, bindings, candidates)
    if inlined is None:
        raise QueryError("# plan: parameters first needs the parameters bound in a sub-select")
    return inlined


def _ask(store: ox.Store, query: str) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:
    """Oxigraph's answer to ``query`` over the union of all graphs; its errors as ``QueryError``."""
    try:
        return store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from exc


def _result_of(
    answer: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples, limit: int | None, searched: tuple[str, ...]
) -> QueryResult:
    """Oxigraph's answer as a ``QueryResult``: rows or triples cut at ``limit``, which was asked
    for one more to tell whether more follow."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer), searched=searched)
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [tuple(solution[v] for v in variables) for solution in answer]
        more = limit is not None and len(rows) > limit
        return QueryResult(kind="select", variables=variables, rows=rows[:limit] if more else rows, searched=searched, more=more)
    triples = list(answer)
    more = limit is not None and len(triples) > limit
    return QueryResult(kind="graph", triples=triples[:limit] if more else triples, searched=searched, more=more)


_SUGGEST = re.compile(r"^#\s*suggest\s*:\s*(?P<param>[A-Za-z_]\w*)\s+from\s+(?P<query>SELECT\b.*)$", re.I)


def suggestions(store: ox.Store, query: NamedQuery, given: Mapping[str, str]) -> list[str]:
    """What to tell someone whose parameters found no rows: for each given parameter that
    declares its values (``# suggest: PARAM from SELECT ?value { ... }`` in the header) and that
    no value holds (folded, ``matching.fold``), the closest values (difflib, as ``view --focus``)."""
    prefixes = "\n".join(re.findall(r"(?im)^\s*PREFIX\s+[\w.-]*:\s*<[^<>\s]*>", query.text))
    out = []
    for line in header_lines(query.text):
        m = _SUGGEST.match(line.strip())
        if not m or m["param"] not in given:
            continue
        param, value = m["param"], given[m["param"]]
        try:
            rows = store.query(
                f"{prefixes}\nSELECT ?value ({fold_sparql('?value')} AS ?folded) {{ {{ {m['query']} }} }}",
                use_default_graph_as_union=True,
            )
            assert isinstance(rows, ox.QuerySolutions)  # a SELECT's answer
            folded = {
                row["value"].value: row["folded"].value for row in rows if row["value"] is not None and row["folded"] is not None
            }
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise QueryError(f"query {query.name}: cannot read '{line.strip()}': {exc}") from exc
        wanted = fold(value)
        if any(wanted in f for f in folded.values()):
            continue  # some value holds it: another parameter (or their combination) found nothing
        close = close_values(value, folded)
        said = f"; did you mean: {', '.join(close)}?" if close else f"; no {param} is close"
        out.append(f"no rows: --param {param}={value!r} matches no {param} in the graph{said}")
    return out
