"""The named query library: the SPARQL files shipped in ``sqsgraph/sparql``, their headers and
parameters, and the check that a query is read-only.

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
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError, QueryNotFound, UsageError
from .matching import fold
from .queryheader import header_lines

Term = ox.NamedNode | ox.BlankNode | ox.Literal


PARAM_TYPES = ("string", "integer", "decimal", "iri", "date")


_HEADER = re.compile(r"^#\s*(?P<key>title|description|param|example)\s*:\s*(?P<value>.*)$")


_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<type>\w+)(?P<optional>\s*,\s*optional)?\)\s*(?:[-–—:]\s*(?P<doc>.*))?$")


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
            raise QueryError(
                f"query {name}: cannot read '# param: {raw}' "
                f"(expected 'name (type[, optional]) - text', type one of {', '.join(PARAM_TYPES)})"
            )
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
        code = code_only(query.text)
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


def code_only(text: str) -> str:
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
