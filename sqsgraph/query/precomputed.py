"""Precomputed answers of the named queries, beside the query store.

The graph behind a query store never changes (a new build makes a new database), so the answer
of a named query to given parameters never changes either. When a database is built
(``querystore.build_query_store``) the full answers of these queries are computed once, by
running their SPARQL on the new database exactly as ``queries.run_query`` would, and written to
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

  For a query that declares ``# plan: parameters first`` (see ``queries``), each value's
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
pyoxigraph term. A row is one string, its cells separated by ``\x1f`` (``encode_row``): split
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

import gc
import hashlib
import json
import re
import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .matching import fold
from .queryheader import header_lines
from .sqlitefile import new_sqlite_file, open_read_only
from .textindex import TextIndex

RESULTS_FORMAT = 2  # 1: a JSON array a row; 2: cells joined by CELL_SEPARATOR
#: The most values of one ``# precompute:`` parameter answered in advance.
MAX_VALUES = 64
#: A query answering more rows than this is not stored (it would only make the file large).
MAX_ROWS = 2_000_000
#: A ``# plan: parameters first`` value whose sub-select picks more rows than this is not
#: answered in advance (a word such as "youth" that every local organisation's name has: minutes
#: at 10,000 reports, for an answer about thousands of organisations; it runs SPARQL when asked).
MAX_PICKED = 100

_PRECOMPUTE = re.compile(r"^#\s*precompute\s*:\s*(?P<param>[A-Za-z_]\w*)\s+(?:from\s+(?P<query>SELECT\b.*)|narrows\s+\?(?P<var>[A-Za-z_]\w*))$", re.I)
_PREFIXES = re.compile(r"(?im)^\s*PREFIX\s+[\w.-]*:\s*<[^<>\s]*>")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | None


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def answer_key(text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal]) -> str:
    """What identifies one answer: the query text and its parameters as N-Triples terms."""
    digest = hashlib.sha256(text.encode("utf-8"))
    for var, term in sorted((v.value, str(t)) for v, t in bindings.items()):
        digest.update(f"\x00{var}\x00{term}".encode())
    return digest.hexdigest()


def precompute_declarations(text: str, name: str = "query") -> list[tuple[str, str]]:
    """The ``# precompute: PARAM from SELECT ...`` lines of a query's header, as (param, query
    text with the query's PREFIX lines)."""
    return [(p, q) for p, q, _ in _declarations(text, name) if q is not None]


def narrowing_declarations(text: str, name: str = "query") -> list[tuple[str, str]]:
    """The ``# precompute: PARAM narrows ?VAR`` lines of a query's header, as (param, var)."""
    return [(p, v) for p, _, v in _declarations(text, name) if v is not None]


def _declarations(text: str, name: str) -> list[tuple[str, str | None, str | None]]:
    prefixes = "\n".join(_PREFIXES.findall(text))
    out = []
    for line in header_lines(text):
        if not re.match(r"^#\s*precompute\s*:", line, re.I):
            continue
        m = _PRECOMPUTE.match(line.strip())
        if not m:
            raise QueryError(f"query {name}: cannot read '{line.strip()}' (expected '# precompute: PARAM from SELECT ?value {{ ... }}' "
                             "or '# precompute: PARAM narrows ?VAR')")
        out.append((m["param"], f"{prefixes}\n{m['query']}" if m["query"] else None, m["var"]))
    return out


#: Between the cells of a stored row. A row with a value holding it is stored as a JSON array
#: instead (it starts with "[", which a joined row never does).
CELL_SEPARATOR = "\x1f"


def _encode(term: Term) -> list[str] | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["u", term.value]
    if isinstance(term, ox.BlankNode):
        return ["b", term.value]
    if isinstance(term, ox.Literal):
        if term.language:
            return ["l", term.value, term.language]
        if term.datatype.value == _XSD_STRING:
            return ["s", term.value]
        return ["t", term.value, term.datatype.value]
    raise TypeError(f"cannot store the term {term!r}")


def _cell_text(cell: list[str] | None) -> str:
    """One cell as text: its kind, then (``l``) the language and ``@`` or (``t``) the datatype
    and a space, then the value; an unbound cell is empty. A language tag has no ``@`` and an
    IRI no space, so the value is whatever follows them."""
    if cell is None:
        return ""
    if cell[0] == "l":
        return f"l{cell[2]}@{cell[1]}"
    if cell[0] == "t":
        return f"t{cell[2]} {cell[1]}"
    return cell[0] + cell[1]


def encode_row(row: tuple[Term, ...]) -> str:
    """A row as stored (see ``CELL_SEPARATOR``)."""
    cells = [_encode(t) for t in row]
    if any(c is not None and any(CELL_SEPARATOR in part for part in c) for c in cells):
        return json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    return CELL_SEPARATOR.join(_cell_text(c) for c in cells)


def _term(cell: list[str] | None) -> Term:
    if cell is None:
        return None
    kind = cell[0]
    if kind == "u":
        return ox.NamedNode(cell[1])
    if kind == "s":
        return ox.Literal(cell[1])
    if kind == "t":
        return ox.Literal(cell[1], datatype=ox.NamedNode(cell[2]))
    if kind == "l":
        return ox.Literal(cell[1], language=cell[2])
    if kind == "b":
        return ox.BlankNode(cell[1])
    raise QueryError(f"unknown cell kind {kind!r} in the precomputed results")


def _term_of_text(text: str) -> Term:
    if not text:
        return None
    kind, rest = text[0], text[1:]
    if kind == "l":
        language, _, value = rest.partition("@")
        return ox.Literal(value, language=language)
    if kind == "t":
        datatype, _, value = rest.partition(" ")
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return _term([kind, rest])


def decode_rows(stored: list[str], width: int) -> list[tuple[Term, ...]]:
    """Rows of ``width`` cells from their stored text (``encode_row``). A value repeated in the
    page (an area, a theme) is made once (pyoxigraph terms are immutable, so rows can share them). The cyclic
    garbage collector is held off meanwhile: the terms and tuples made here are not garbage,
    and collections scanning them took as long as making them."""
    if width == 0:  # a joined row of no cells is "", as is a row of one unbound cell
        return [() for _ in stored]
    made: dict[str, Term] = {}
    known = made.get
    rows: list[tuple[Term, ...]] = []
    collecting = gc.isenabled()
    gc.disable()
    try:
        for text in stored:
            if text.startswith("["):
                rows.append(tuple(_term(c) for c in json.loads(text)))
                continue
            terms = []
            for cell in text.split(CELL_SEPARATOR):
                term = known(cell)
                if term is None and cell:
                    term = _term_of_text(cell)
                    if len(made) < 100_000:
                        made[cell] = term
                terms.append(term)
            rows.append(tuple(terms))
    finally:
        if collecting:
            gc.enable()
    return rows


# --------------------------------------------------------------------------------- building

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
    from .queries import bind_params, load_queries, parameters_first
    from .textindex import text_searches

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
                raise QueryError(f"query {name}: '# precompute: {param} narrows ?{var}' needs '# search: {param} narrows ?{var} by ...'")
            if not all(p.optional for p in query.params if p.name != param):
                continue
            twice = store.query(f"ASK {{ ?s {ox.NamedNode(predicate)} ?a, ?b FILTER (?a != ?b) }}",
                                use_default_graph_as_union=True)
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


def _inlined(store: ox.Store, text: str, bindings: dict[ox.Variable, ox.NamedNode | ox.Literal],
             text_index: TextIndex | None) -> str | None:
    """The query as ``run_query`` runs it for ``bindings``, its parameter sub-select answered;
    ``None`` when that sub-select picks more than ``MAX_PICKED`` rows."""
    from .queries import inline_rows, parameter_rows, search_candidates

    found = parameter_rows(store, text, bindings, search_candidates(text, bindings, text_index)[0])
    if found is None:
        raise QueryError("# plan: parameters first needs the parameters bound in a sub-select")
    if len(found[1]) > MAX_PICKED:
        return None
    return inline_rows(text, *found)


def build_results(store: ox.Store, path: str | Path, text_index: TextIndex | None = None) -> Path:
    """Answer every planned query over ``store`` and write the answers into the SQLite file
    ``path``, atomically (``text_index``: see ``plan``)."""
    from .queries import run_query

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
            " PRIMARY KEY (rowset, node, n)) WITHOUT ROWID;")
        db.execute("INSERT INTO meta VALUES ('format', ?)", (str(RESULTS_FORMAT),))
        seen: set[str] = set()
        for item in plan(store, text_index):
            key = answer_key(item.text, item.bindings)
            if key in seen:
                continue
            seen.add(key)
            started = time.perf_counter()
            result = run_query(store, item.text, item.bindings, text_index=text_index)
            seconds = time.perf_counter() - started
            if result.kind != "select" or len(result.rows) > MAX_ROWS:
                continue
            params = json.dumps({v.value: str(t) for v, t in item.bindings.items()}, ensure_ascii=False)
            variables = json.dumps(result.variables)
            cells = [encode_row(row) for row in result.rows]
            digest = hashlib.sha256("\n".join([variables, *cells]).encode("utf-8")).hexdigest()
            found = db.execute("SELECT id FROM rowsets WHERE digest = ?", (digest,)).fetchone()
            if found:  # another value gave the same answer (e.g. a word every theme label has): stored once
                rowset = found[0]
            else:
                rowset = db.execute("INSERT INTO rowsets(digest, variables, nrows) VALUES (?, ?, ?)",
                                    (digest, variables, len(cells))).lastrowid
                db.executemany("INSERT INTO rows VALUES (?, ?, ?)", ((rowset, n, c) for n, c in enumerate(cells)))
            db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?)", (key, item.query, params, rowset, round(seconds, 4)))
            if item.narrows:
                param, var, predicate = item.narrows
                column = result.variables.index(var) if var in result.variables else None
                if column is not None and all(row[column] is not None for row in result.rows):
                    db.execute("INSERT OR IGNORE INTO narrowed VALUES (?, ?, ?, ?, ?)",
                               (_text_key(item.text), param, var, predicate, rowset))
                    db.executemany("INSERT OR IGNORE INTO nodes VALUES (?, ?, ?)",
                                   ((rowset, str(row[column]), n) for n, row in enumerate(result.rows)))
            others = [(answer_key(item.text, other), other) for other in item.same_as]
            if item.inlined is not None:  # the query as run: what another value picking the same rows runs
                others.append((answer_key(item.inlined, {}), {}))
            for other_key, other in others:  # the same nodes picked: the same answer, not run again
                if other_key not in seen:
                    seen.add(other_key)
                    db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, 0)", (other_key, item.query, json.dumps(
                        {v.value: str(t) for v, t in other.items()}, ensure_ascii=False), rowset))
    return target


# ---------------------------------------------------------------------------------- reading

@dataclass
class Page:
    variables: list[str]
    rows: list[tuple[Term, ...]]
    more: bool


class Precomputed:
    """A results file opened read-only; ``page`` answers a stored query or says it has none."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_read_only(self.path)
        self._lock = threading.Lock()
        try:
            found = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            # A file of another version's format serves nothing (every query runs SPARQL) until
            # the store is built again.
            self.current = found is not None and found[0] == str(RESULTS_FORMAT)
            self._answers: dict[str, tuple[int, list[str], int]] = {}
            self._narrowed: dict[tuple[str, str], tuple[str, str, int, list[str]]] = {}
            if self.current:
                self._answers = {key: (rowset, json.loads(variables), nrows) for key, rowset, variables, nrows
                                 in self._db.execute("SELECT a.key, r.id, r.variables, r.nrows FROM answers a "
                                                     "JOIN rowsets r ON r.id = a.rowset")}
                self._narrowed = {(query, param): (variable, predicate, rowset, json.loads(variables)) for
                                  query, param, variable, predicate, rowset, variables in self._db.execute(
                                      "SELECT n.query, n.param, n.variable, n.predicate, n.rowset, r.variables "
                                      "FROM narrowed n JOIN rowsets r ON r.id = n.rowset")}
        except (sqlite3.DatabaseError, ValueError) as exc:
            self._db.close()
            raise QueryError(f"{path}: not a readable precomputed results file ({exc})") from exc
        self.served = 0  # pages answered from the file (tests and the benchmark read it)

    def __len__(self) -> int:
        return len(self._answers)

    def has(self, text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal]) -> bool:
        return answer_key(text, bindings) in self._answers

    def page(self, text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal],
             limit: int | None, offset: int = 0) -> Page | None:
        """Rows ``offset`` to ``offset + limit`` (``limit`` None: to the end) of the stored
        answer, or ``None`` when this query with these parameters was not precomputed."""
        found = self._answers.get(answer_key(text, bindings))
        if found is None:
            return None
        aid, variables, nrows = found
        stop = nrows if limit is None else min(nrows, offset + limit)
        with self._lock:
            cells = [r for (r,) in self._db.execute("SELECT cells FROM rows WHERE rowset = ? AND n >= ? AND n < ? ORDER BY n",
                                                    (aid, offset, stop))]
            self.served += 1
        return Page(list(variables), decode_rows(cells, len(variables)), stop < nrows)

    def narrowing(self, text: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal]) -> tuple[str, str, str] | None:
        """(param, variable, predicate) when ``bindings`` bind only a parameter whose text search
        narrows a stored answer of ``text`` (``# precompute: PARAM narrows ?VAR``), else ``None``."""
        if len(bindings) != 1:
            return None
        ((var, term),) = bindings.items()
        found = self._narrowed.get((_text_key(text), var.value))
        if found is None or not isinstance(term, ox.Literal):
            return None
        return var.value, found[0], found[1]

    def narrowed_page(self, text: str, param: str, nodes: list[str], limit: int | None, offset: int = 0) -> Page:
        """The rows of the stored base answer whose variable is one of ``nodes`` (N-Triples, from
        the full-text index), in the base answer's order; rows ``offset`` to ``offset + limit``."""
        _, _, rowset, variables = self._narrowed[(_text_key(text), param)]
        picked: list[int] = []
        with self._lock:
            for i in range(0, len(nodes), 500):
                chunk = nodes[i : i + 500]
                picked += [n for (n,) in self._db.execute(
                    f"SELECT n FROM nodes WHERE rowset = ? AND node IN ({','.join('?' * len(chunk))})", (rowset, *chunk))]
            picked.sort()
            stop = len(picked) if limit is None else min(len(picked), offset + limit)
            wanted = picked[offset:stop]
            cells: dict[int, str] = {}
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                cells.update(self._db.execute(
                    f"SELECT n, cells FROM rows WHERE rowset = ? AND n IN ({','.join('?' * len(chunk))})", (rowset, *chunk)))
            self.served += 1
        return Page(list(variables), decode_rows([cells[n] for n in wanted], len(variables)), stop < len(picked))

    def close(self) -> None:
        self._db.close()


__all__ = ["MAX_VALUES", "Page", "Precomputed", "answer_key", "build_results", "narrowing_declarations", "plan",
           "precompute_declarations"]
