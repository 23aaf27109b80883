"""The named query library: SPARQL files shipped in ``sqsgraph/sparql``, and running queries.

Each ``.rq`` file starts with a comment header::

    # title: People in more than one report
    # description: Which people appear in more than one report, in which posts and areas?
    # param: name (string, optional) - part of a person's name, case-insensitive
    # example: sqsgraph query people-in-several-reports

Parameters are bound as initial values of the variables of the same name: a ``VALUES`` block
opening the group after the query's first ``WHERE`` keyword, holding the values as RDF terms
serialised by Oxigraph (exact N-Triples escaping), so a value can hold any character and never
becomes query syntax. Filters in that group see the bound values. An optional parameter that is
not given stays unbound; queries test it with ``BOUND(?name)``.

Usually that group is the query's WHERE group. A query can instead write its outer group without
the keyword and open a sub-select with ``WHERE``: the parameters then narrow that sub-select
(say, the one area asked about), which Oxigraph evaluates first, instead of being joined to the
whole result at the end. The library's queries do so; see the comments in each ``.rq`` file for
the other habits that keep them fast on a large on-disk store.

**Parameters first.** A query whose parameters are bound in a sub-select can declare in its
header::

    # plan: parameters first

``run_query`` then answers that sub-select on its own (with the parameters and any text-index
candidates bound in it, see ``textindex``) and puts its rows into the query in its place, as a
``VALUES`` block, before running the rest. The solutions are the same: a sub-select is
evaluated independently of the group around it, so the block holds exactly the solutions it
would have given, in the order it gives them; only what SPARQL leaves unspecified may come out
otherwise, as the order of the values a ``GROUP_CONCAT`` joins (the plan around them changes).
Oxigraph otherwise may join the rest of the query first and
evaluate the sub-select again for each of its rows (measured: people-by-organisation at 1,000
reports, 4 s against 0.09 s). The query Oxigraph then runs depends on the parameters only
through those rows, so a sub-select that sorts its rows (``ORDER BY`` inside it) makes two
parameter values that pick the same rows give the same query text, which ``precomputed`` uses.

Queries run on Oxigraph (pyoxigraph) over the union of all named graphs, which is what analysts
expect of a dataset with one graph per report. ``run_query_rdflib`` runs the same query on
rdflib's own engine, for comparison in the benchmark.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import GraphError, QueryError, QueryNotFound, UsageError
from .matching import fold
from .queryheader import header_lines
from ..rdf.store import SUFFIX_FORMATS
from .textindex import TextIndex, text_searches

if TYPE_CHECKING:
    from .precomputed import Precomputed

Term = ox.NamedNode | ox.BlankNode | ox.Literal
PARAM_TYPES = ("string", "integer", "decimal", "iri", "date")
_HEADER = re.compile(r"^#\s*(?P<key>title|description|param|example)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<type>\w+)(?P<optional>\s*,\s*optional)?\)\s*(?:[-–—:]\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str
    optional: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    params: tuple[QueryParam, ...] = ()
    examples: tuple[str, ...] = ()
    #: SPARQL of one's own (``--sparql``, a ``.rq`` file without a header): ``--param`` binds any
    #: variable the text uses, as a string
    adhoc: bool = False


@dataclass
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    searched: tuple[str, ...] = ()  # the parameters whose text search the full-text index answered
    more: bool = False  # a page was asked for (``limit``) and rows follow it
    precomputed: bool = False  # answered from the answers computed when the store was built


def parse_query_file(name: str, text: str) -> NamedQuery:
    """Read the comment header of a query; raises QueryError naming the query if it is malformed."""
    meta: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    for line in header_lines(text):
        m = _HEADER.match(line)
        if m:
            meta[m["key"]].append(m["value"].strip())
        elif meta["description"] and line.startswith("#  "):
            meta["description"][-1] += " " + line[1:].strip()
    if not meta["title"] or not meta["description"]:
        raise QueryError(f"query {name}: the header needs '# title:' and '# description:' lines")
    params = []
    for raw in meta["param"]:
        p = _PARAM.match(raw)
        if not p or p["type"] not in PARAM_TYPES:
            raise QueryError(f"query {name}: cannot read '# param: {raw}' (expected 'name (type[, optional]) - text', type one of {', '.join(PARAM_TYPES)})")
        params.append(QueryParam(p["name"], p["type"], bool(p["optional"]), (p["doc"] or "").strip()))
    return NamedQuery(
        name=name,
        title=meta["title"][0],
        description=" ".join(meta["description"]),
        text=text,
        params=tuple(params),
        examples=tuple(meta["example"]),
    )


def load_queries() -> dict[str, NamedQuery]:
    """Every named query shipped with sqsgraph, by name (the file name without ``.rq``)."""
    root = resources.files("sqsgraph") / "sparql"
    out: dict[str, NamedQuery] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_query_file(name, entry.read_text(encoding="utf-8"))
    return out


def get_query(name_or_file: str) -> NamedQuery:
    """A named query, or a query read from a ``.rq`` file (header optional there)."""
    if name_or_file.endswith((".rq", ".sparql")) or "/" in name_or_file:
        path = Path(name_or_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryNotFound(f"{name_or_file}: cannot read the query file ({exc.strerror or exc})") from exc
        try:
            return parse_query_file(path.stem, text)
        except QueryError:
            return NamedQuery(name=path.stem, title=path.stem, description="", text=text, adhoc=True)
    queries = load_queries()
    if name_or_file in queries:
        return queries[name_or_file]
    close = difflib.get_close_matches(name_or_file, list(queries), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `sqsgraph queries` lists them"
    raise QueryNotFound(f"no named query {name_or_file!r}{hint}")


def bind_params(query: NamedQuery, given: Mapping[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """Turn ``--param key=value`` strings into typed RDF terms for the query's parameters."""
    declared = {p.name: p for p in query.params}
    if query.adhoc:
        code = _code_only(query.text)
        unknown = sorted(n for n in set(given) - set(declared) if not re.search(rf"[?$]{re.escape(n)}(?!\w)", code))
        if unknown:
            raise UsageError(f"the query has no variable ?{', ?'.join(unknown)} for --param {unknown[0]}=… to bind")
    else:
        unknown = sorted(set(given) - set(declared))
        if unknown:
            takes = ", ".join(declared) if declared else "no parameters"
            raise UsageError(f"query {query.name} has no parameter {', '.join(unknown)}; it takes: {takes}")
    out: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for name, value in given.items():
        param = declared.get(name, QueryParam(name, "string", True, ""))
        term = _term(param, value, query.name)
        out[ox.Variable(name)] = _bound_string(param, value, query) if param.type == "string" else term
    missing = [p.name for p in query.params if not p.optional and p.name not in given]
    if missing:
        raise UsageError(f"query {query.name} needs --param {missing[0]}=VALUE ({declared[missing[0]].description})")
    return out


def _term(param: QueryParam, value: str, query_name: str) -> ox.NamedNode | ox.Literal:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    try:
        if param.type == "iri":
            if not re.match(r"^[a-zA-Z][\w+.-]*:[^\s<>\"{}|\\^`]*$", value):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(value)
        if param.type == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(xsd + "integer"))
        if param.type == "decimal":
            return ox.Literal(str(float(value)), datatype=ox.NamedNode(xsd + "decimal"))
        if param.type == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError("expected YYYY-MM-DD")
            return ox.Literal(value, datatype=ox.NamedNode(xsd + "date"))
    except ValueError as exc:
        raise UsageError(f"query {query_name}: --param {param.name}={value!r} is not a valid {param.type} ({exc})") from exc
    return ox.Literal(value)


def _bound_string(param: QueryParam, value: str, query: NamedQuery) -> ox.Literal:
    """A string parameter of a named query, bound folded (``matching.fold``): the queries
    compare folded forms, so ``Kent``, ``kent`` and `` KENT `` are one value (one precomputed
    answer). Parameters of one's own SPARQL are bound as given."""
    return ox.Literal(value if query.adhoc else fold(value))


def open_store(path: str | Path) -> ox.Store:
    """Load a graph file (format by suffix) into an in-memory Oxigraph store."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        raise GraphError(f"{path}: cannot tell the RDF format from the suffix {suffix or '(none)'!r}")
    if not p.is_file():
        raise GraphError(f"{path}: no such file; run `sqsgraph build` first or name an existing graph file")
    store = ox.Store()
    try:
        store.bulk_load(path=str(p), format=SUFFIX_FORMATS[suffix][1])
    except SyntaxError as exc:
        raise GraphError(f"{path}: not valid {SUFFIX_FORMATS[suffix][0]}: {exc}") from exc
    return store


# --- checking a query before it runs: the one read-only check (`sqsgraph query` and the endpoint)

class QueryRefused(QueryError):
    """A query sqsgraph will not run (an update, ``SERVICE``, text that is not a query), with the
    HTTP status the endpoint answers it with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


def check_query(text: str) -> str:
    """Parse ``text`` as a SPARQL 1.1 query and return its form (``select``, ``ask``,
    ``construct``, ``describe``).

    Raises ``QueryRefused`` with status 403 for an update or a query using ``SERVICE``, and 400
    for text that is not a query (the message is the parser's, with line and column). The check
    works on the parse tree, so ``SERVICE`` in a comment or a string literal is not a refusal and
    ``\\u0053ERVICE`` (an escape SPARQL expands before parsing) is.
    """
    from pyparsing import ParseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryRefused(400, f"malformed query: {exc}") from exc
        except RecursionError:
            raise QueryRefused(400, "malformed query: nested too deeply to parse") from None
        raise QueryRefused(403, "updates are refused: sqsgraph queries are read-only") from exc
    except RecursionError:
        raise QueryRefused(400, "query nested too deeply to parse") from None

    form = ""
    stack: list[Any] = [tree]
    while stack:  # iterative walk: a deep tree cannot overflow the stack
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise QueryRefused(403, "SERVICE (federated query) is refused: sqsgraph answers from its own graph only")
            if not form and node.name.endswith("Query"):
                form = node.name[: -len("Query")].lower()
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return form


_checked_form = functools.lru_cache(maxsize=1024)(check_query)


@functools.lru_cache(maxsize=1)
def _shipped_texts() -> frozenset[str]:
    return frozenset(q.text for q in load_queries().values())


def check_own_query(text: str) -> str:
    """``check_query`` for SPARQL that is not one of the shipped named queries (those are read-only
    by review; rdflib's parser would add 50-600 ms to each): updates and ``SERVICE`` are refused
    (``QueryRefused``, status 403); text that is not a query is a ``QueryError`` in Oxigraph's
    words, with line and column, when Oxigraph cannot parse it either."""
    if text in _shipped_texts():
        return ""
    try:
        return _checked_form(text)
    except QueryRefused as exc:
        if exc.status == 400:
            try:
                ox.Store().query(text)  # parsed and planned only: nothing is read until iterated
            except SyntaxError as syntax:
                raise QueryError(f"SPARQL syntax error: {syntax}") from exc
        raise


def _where_brace(text: str) -> int | None:
    """Offset of the ``{`` opening the query's WHERE group (comments, strings and IRIs skipped)."""
    i, n = 0, len(text)
    saw_where = False
    first_brace = None
    while i < n:
        c = text[i]
        if c == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl + 1
            continue
        if c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and text[j : j + len(quote)] != quote:
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:]):
            i = text.index(">", i) + 1
            continue
        if c == "{":
            if saw_where:
                return i
            if first_brace is None:
                first_brace = i
        if text[i : i + 5].upper() == "WHERE" and (i == 0 or not text[i - 1].isalnum()) and not text[i + 5 : i + 6].isalnum():
            saw_where = True
            i += 5
            continue
        i += 1
    return first_brace


def with_values(text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal],
                candidates: Mapping[str, Sequence[str]] | None = None) -> str:
    """The query with ``VALUES`` opening the group after its first ``WHERE`` keyword (see the
    module docstring), binding each parameter to its term; ``candidates`` (variable name to
    N-Triples IRIs, from the text index) add one ``VALUES ?var { ... }`` block each there."""
    if not bindings and not candidates:
        return text
    at = _where_brace(text)
    if at is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    blocks = []
    if bindings:
        names = " ".join(str(v) for v in bindings)
        terms = " ".join(str(t) for t in bindings.values())
        blocks.append(f"VALUES ({names}) {{ ({terms}) }}")
    for var, nodes in (candidates or {}).items():
        blocks.append(f"VALUES ?{var} {{ {' '.join(nodes)} }}")
    return f"{text[: at + 1]} {' '.join(blocks)} {text[at + 1 :]}"


#: A text search whose index finds more nodes than this is left to the query's own filter: a
#: ``VALUES`` block that large is joined slowly by some plans (people-by-organisation's
#: sub-select at 1,000 reports, "and": 2,036 nodes, 2.7-7 s, against 1 s reading every
#: organisation), and with that many matches the filter's own scan costs little more.
MAX_CANDIDATES = 1000


def search_candidates(text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal],
                      text_index: TextIndex | None) -> tuple[dict[str, list[str]], list[str]]:
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


_PLAN = re.compile(r"^#\s*plan\s*:\s*(?P<plan>.*?)\s*$", re.I)


def parameters_first(text: str, name: str = "query") -> bool:
    """Whether the query's header declares ``# plan: parameters first`` (see the module docstring)."""
    found = False
    for line in header_lines(text):
        m = _PLAN.match(line)
        if m:
            if m["plan"].lower() != "parameters first":
                raise QueryError(f"query {name}: cannot read '{line.strip()}' (expected '# plan: parameters first')")
            found = True
    return found


def parameter_subselect(text: str) -> tuple[int, int] | None:
    """Where the sub-select holding the query's first ``WHERE`` group is, as the offsets of the
    ``{`` that opens it and of the ``}`` that closes it; ``None`` when that group is not in a
    sub-select (it is the query's own WHERE group)."""
    at = _where_brace(text)
    if at is None:
        return None
    code = _code_only(text)
    selects = [m.start() for m in re.finditer(r"(?i)\bSELECT\b", code[:at])]
    if len(selects) < 2:
        return None
    opening = code.rfind("{", 0, selects[-1])
    if opening < 0 or code[opening + 1 : selects[-1]].strip():
        return None
    depth = 0
    for i in range(opening, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return opening, i
    return None


def parameter_rows(store: ox.Store, text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal],
                   candidates: Mapping[str, Sequence[str]] | None = None
                   ) -> tuple[list[ox.Variable], list[list[Term | None]]] | None:
    """The variables and rows of the query's parameter sub-select, answered on its own with the
    parameters (and ``candidates``) bound; ``None`` when it has no such sub-select."""
    span = parameter_subselect(text)
    if span is None:
        return None
    start, end = span
    prefixes = "\n".join(re.findall(r"(?im)^\s*(?:PREFIX\s+[\w.-]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>)", text[:start]))
    sub = with_values(f"{prefixes}\n{text[start + 1 : end]}", bindings, candidates)
    try:
        answer = store.query(sub, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error in the parameter sub-select: {exc}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from exc
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError("# plan: parameters first needs a SELECT sub-select")
    variables = list(answer.variables)
    return variables, [[s[v] for v in variables] for s in answer]


def inline_rows(text: str, variables: Sequence[ox.Variable], rows: Sequence[Sequence[Term | None]]) -> str:
    """The query with its parameter sub-select replaced by a ``VALUES`` block of ``rows``."""
    span = parameter_subselect(text)
    if span is None:
        raise QueryError("# plan: parameters first needs the parameters bound in a sub-select")
    start, end = span
    cells = " ".join("(" + " ".join("UNDEF" if t is None else str(t) for t in row) + ")" for row in rows)
    return f"{text[:start]}{{ VALUES ({' '.join(str(v) for v in variables)}) {{ {cells} }} }}{text[end + 1 :]}"


def inline_parameters(store: ox.Store, text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal],
                      candidates: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """The query with its parameter sub-select answered and put in its place as a ``VALUES``
    block (``# plan: parameters first``), or ``None`` when it has no such sub-select."""
    found = parameter_rows(store, text, bindings, candidates)
    return None if found is None else inline_rows(text, *found)


def _code_only(text: str) -> str:
    """``text`` with string literals and IRIs blanked out and comments turned into ``#``s (same
    length), so keywords and braces can be found with regular expressions."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            nl = text.find("\n", i)
            j = n if nl < 0 else nl
        elif c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and text[j : j + len(quote)] != quote:
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(quote))
        elif c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:]):
            j = text.index(">", i) + 1
        else:
            i += 1
            continue
        out[i:j] = ("#" if c == "#" else " ") * (j - i)
        i = j
    return "".join(out)


_TAIL_LIMIT = re.compile(r"\b(LIMIT|OFFSET)\s+(\d+)", re.I)


def with_page(text: str, limit: int | None, offset: int = 0) -> str:
    """The query answering only rows ``offset`` to ``offset + limit`` (``limit`` None: all rows
    from ``offset``). A ``LIMIT``/``OFFSET`` the query has already is combined with the page (the
    page is taken from within the query's own rows)."""
    if limit is None and not offset:
        return text
    if (limit is not None and limit < 0) or offset < 0:
        raise UsageError("limit and offset must be 0 or more")
    code = _code_only(text)
    end = code.rfind("}")
    if end < 0:
        raise QueryError("cannot page the query: it has no group")
    tail = code[end + 1 :]
    depth, opened, closes = 0, 0, [-1]  # where each top-level group ends; a trailing VALUES is one
    for i, c in enumerate(code):
        if c == "{":
            depth += 1
            opened = i if depth == 1 else opened
        elif c == "}":
            depth -= 1
            if depth == 0:
                closes.append(i)
    before_last = code[closes[-2] + 1 : opened] if len(closes) > 1 else ""
    if re.search(r"\bVALUES\b", tail + " " + before_last, re.I):
        raise QueryError("cannot page a query that ends with a VALUES block; add LIMIT/OFFSET to its text")
    own = {k.upper(): int(v) for k, v in _TAIL_LIMIT.findall(tail)}
    start = own.get("OFFSET", 0) + offset
    stop = None if "LIMIT" not in own else own.get("OFFSET", 0) + own["LIMIT"]
    if limit is not None:
        stop = start + limit if stop is None else min(stop, start + limit)
    body = text
    if own:  # blank the query's own clauses (positions come from the code-only copy)
        kept = list(text[end + 1 :])
        for m in _TAIL_LIMIT.finditer(tail):
            kept[m.start() : m.end()] = " " * (m.end() - m.start())
        body = text[: end + 1] + "".join(kept)
    page = ""
    if stop is not None:
        page += f" LIMIT {max(0, stop - start)}"
    if start:
        page += f" OFFSET {start}"
    body = body.rstrip()
    # on the last line (error positions stay where they were), unless that line ends in a comment
    last = _code_only(body).rsplit("\n", 1)[-1]
    return body + ("\n" if "#" in last else " ") + page.strip() + "\n"


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
    computed when the store was built (``precomputed``); a query and parameters found there are
    answered from it, the same rows, without running SPARQL (``result.precomputed`` says so);
    for a query declaring ``# plan: parameters first`` the query with its sub-select's rows in
    place is looked up there too.
    """
    check_own_query(text)
    bindings = bindings or {}
    if (limit is not None and limit < 0) or offset < 0:
        raise UsageError("limit and offset must be 0 or more")
    if precomputed is not None:
        page = precomputed.page(text, bindings, limit, offset)
        if page is not None:
            return QueryResult(kind="select", variables=page.variables, rows=page.rows, more=page.more, precomputed=True)
        narrowing = precomputed.narrowing(text, bindings) if text_index is not None else None
        if narrowing is not None:  # a text search: the stored answer's rows whose node the index finds
            param, _, predicate = narrowing
            nodes = text_index.search(predicate, bindings[ox.Variable(param)].value)
            if nodes is not None:
                page = precomputed.narrowed_page(text, param, nodes, limit, offset)
                return QueryResult(kind="select", variables=page.variables, rows=page.rows, more=page.more,
                                   searched=(param,), precomputed=True)
    candidates, searched = search_candidates(text, bindings, text_index)
    if parameters_first(text):
        inlined = inline_parameters(store, text, bindings, candidates)
        if inlined is None:
            raise QueryError("# plan: parameters first needs the parameters bound in a sub-select")
        if precomputed is not None:  # another value that picked the same rows was answered in advance
            page = precomputed.page(inlined, {}, limit, offset)
            if page is not None:
                return QueryResult(kind="select", variables=page.variables, rows=page.rows, more=page.more,
                                   searched=tuple(searched), precomputed=True)
        query = inlined
    else:
        query = with_values(text, bindings, candidates)
    if limit is not None or offset:
        query = with_page(query, None if limit is None else limit + 1, offset)  # one more: are there more?
    try:
        answer = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from exc
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer), searched=tuple(searched))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [tuple(solution[v] for v in variables) for solution in answer]
        more = limit is not None and len(rows) > limit
        return QueryResult(kind="select", variables=variables, rows=rows[:limit] if more else rows,
                           searched=tuple(searched), more=more)
    triples = list(answer)
    more = limit is not None and len(triples) > limit
    return QueryResult(kind="graph", triples=triples[:limit] if more else triples, searched=tuple(searched), more=more)


_SUGGEST = re.compile(r"^#\s*suggest\s*:\s*(?P<param>[A-Za-z_]\w*)\s+from\s+(?P<query>SELECT\b.*)$", re.I)


def suggestions(store: ox.Store, query: NamedQuery, given: Mapping[str, str]) -> list[str]:
    """What to tell someone whose parameters found no rows: for each given parameter that
    declares its values (``# suggest: PARAM from SELECT ?value { ... }`` in the header) and that
    no value holds (folded, ``matching.fold``), the closest values (difflib, as ``view --focus``)."""
    from .matching import close_values, fold_sparql

    prefixes = "\n".join(re.findall(r"(?im)^\s*PREFIX\s+[\w.-]*:\s*<[^<>\s]*>", query.text))
    out = []
    for line in header_lines(query.text):
        m = _SUGGEST.match(line.strip())
        if not m or m["param"] not in given:
            continue
        param, value = m["param"], given[m["param"]]
        try:
            rows = store.query(f"{prefixes}\nSELECT ?value ({fold_sparql('?value')} AS ?folded) {{ {{ {m['query']} }} }}",
                               use_default_graph_as_union=True)
            folded = {row["value"].value: row["folded"].value for row in rows
                      if row["value"] is not None and row["folded"] is not None}
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise QueryError(f"query {query.name}: cannot read '{line.strip()}': {exc}") from exc
        wanted = fold(value)
        if any(wanted in f for f in folded.values()):
            continue  # some value holds it: another parameter (or their combination) found nothing
        close = close_values(value, folded)
        said = f"; did you mean: {', '.join(close)}?" if close else f"; no {param} is close"
        out.append(f"no rows: --param {param}={value!r} matches no {param} in the graph{said}")
    return out


def samples_store() -> ox.Store:
    """The bundled samples, parsed and mapped in memory, in an Oxigraph store."""
    from ..rdf.export import sorted_quads
    from ..rdf.mapper import map_reports
    from ..read.parser import parse_files
    from ..read.reader import sample_paths

    store = ox.Store()
    store.extend(sorted_quads(map_reports(parse_files(sample_paths()).reports)))
    return store
