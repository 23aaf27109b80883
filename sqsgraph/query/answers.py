"""Stored answers of the named queries, read back: the SQLite file beside the query store that
``precompute`` writes, looked up by the query's text and its bound parameters, a page of rows
with one range read. A row is one string, its cells separated by ``CELL_SEPARATOR``; each cell is
stored as its kind, lexical value and datatype or language, and rebuilt as the same pyoxigraph
term.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .queryheader import header_lines
from .sqlitefile import open_read_only

RESULTS_FORMAT = 2  # 1: a JSON array a row; 2: cells joined by CELL_SEPARATOR


_PRECOMPUTE = re.compile(r"^#\s*precompute\s*:\s*(?P<param>[A-Za-z_]\w*)\s+(?:from\s+(?P<query>SELECT\b.*)|narrows\s+\?(?P<var>[A-Za-z_]\w*))$", re.I)


_PREFIXES = re.compile(r"(?im)^\s*PREFIX\s+[\w.-]*:\s*<[^<>\s]*>")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


Cell = ox.NamedNode | ox.BlankNode | ox.Literal | None  # a cell of a row: a term, or None when unbound


def text_key(text: str) -> str:
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


def _encode(term: Cell) -> list[str] | None:
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


def encode_row(row: tuple[Cell, ...]) -> str:
    """A row as stored (see ``CELL_SEPARATOR``)."""
    cells = [_encode(t) for t in row]
    if any(c is not None and any(CELL_SEPARATOR in part for part in c) for c in cells):
        return json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    return CELL_SEPARATOR.join(_cell_text(c) for c in cells)


def _term(cell: list[str] | None) -> Cell:
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


def _term_of_text(text: str) -> Cell:
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


def decode_rows(stored: list[str], width: int) -> list[tuple[Cell, ...]]:
    """Rows of ``width`` cells from their stored text (``encode_row``). A value repeated in the
    page (an area, a theme) is made once (pyoxigraph terms are immutable, so rows can share them). The cyclic
    garbage collector is held off meanwhile: the terms and tuples made here are not garbage,
    and collections scanning them took as long as making them."""
    if width == 0:  # a joined row of no cells is "", as is a row of one unbound cell
        return [() for _ in stored]
    made: dict[str, Cell] = {}
    known = made.get
    rows: list[tuple[Cell, ...]] = []
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


@dataclass
class Page:
    variables: list[str]
    rows: list[tuple[Cell, ...]]
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
        found = self._narrowed.get((text_key(text), var.value))
        if found is None or not isinstance(term, ox.Literal):
            return None
        return var.value, found[0], found[1]

    def narrowed_page(self, text: str, param: str, nodes: list[str], limit: int | None, offset: int = 0) -> Page:
        """The rows of the stored base answer whose variable is one of ``nodes`` (N-Triples, from
        the full-text index), in the base answer's order; rows ``offset`` to ``offset + limit``."""
        _, _, rowset, variables = self._narrowed[(text_key(text), param)]
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
                numbers = wanted[i : i + 500]
                cells.update(self._db.execute(
                    f"SELECT n, cells FROM rows WHERE rowset = ? AND n IN ({','.join('?' * len(numbers))})", (rowset, *numbers)))
            self.served += 1
        return Page(list(variables), decode_rows([cells[n] for n in wanted], len(variables)), stop < len(picked))

    def close(self) -> None:
        self._db.close()
