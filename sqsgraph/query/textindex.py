"""The full-text index beside the query store: SQLite FTS5 over the texts the named queries
search, so a text search starts from the nodes whose text matches instead of reading every text
out of the on-disk Oxigraph store.

**Which queries use it.** A named query declares a text search in its header::

    # search: term narrows ?finding by schema:text

meaning: the parameter ``term`` keeps only the ``?finding`` nodes that have a ``schema:text``
value containing the parameter, both folded (``matching``: case, spaces, dashes and quote marks
do not count), exactly as the query's own filter ``CONTAINS(FOLD(?text), FOLD(?term))`` over
``?finding schema:text ?text`` says (``FOLD`` standing for ``matching.fold_sparql``). The
predicate is a prefixed name (resolved with the query's ``PREFIX`` lines) or a full ``<IRI>``;
the variable must be in scope in the query's first WHERE group (where parameters are bound,
see ``rewrite``). When the parameter is given and an index is at hand, ``run.run_query``
asks the index for the matching nodes and binds them with ``VALUES ?finding { ... }`` in that
group, so Oxigraph starts from them. The query's filter stays and still decides every row: the
index only has to find a superset of the nodes the filter keeps, and it finds exactly that set
(below), so the rows are the same as without the index.

**What is indexed**, for every predicate a shipped named query declares: each subject with a
literal value ``v`` of that predicate, stored folded as Oxigraph folds it (``FOLD(v)``), in an
FTS5 table with the ``trigram`` tokenizer, case-sensitive. A search folds the term the same way
(``matching.fold``) and asks for it as one phrase: with trigrams that is a substring match, so
the nodes found are exactly those for which ``CONTAINS(FOLD(v), FOLD(term))`` holds. Terms shorter than
three characters (which trigrams cannot look up) are not searched in the index: the query runs
as before, reading every text. A predicate with a blank-node subject (which ``VALUES`` cannot
name) is left out of the index, so its searches run as before too.

**Freshness.** The index is built by ``querystore.build_query_store`` from the new database
itself, right after loading it and before the swap; its file ``fts-<database>.sqlite`` sits
beside that database and is named in ``current.json``, so it is live exactly when its database
is, and is as fresh as the store (it is built atomically: written under a temporary name and
renamed). A store built before this index existed has none; ``querystore.ensure_text_index``
adds it, and queries without an index run as before.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .library import load_queries
from .matching import fold, fold_sparql
from .queryheader import header_lines
from .sqlitefile import new_sqlite_file, open_read_only

#: The shortest term the trigram index can look up (in characters).
MIN_TERM_CHARS = 3
INDEX_FORMAT = 2  # 1: LCASE(v); 2: folded (matching.fold_sparql); an index of another format answers nothing

_SEARCH = re.compile(r"^#\s*search\s*:\s*(?P<param>[A-Za-z_]\w*)\s+narrows\s+\?(?P<var>[A-Za-z_]\w*)\s+by\s+(?P<pred><[^<>\s]+>|[\w.-]*:[\w.-]*)\s*$")
_PREFIX = re.compile(r"(?im)^\s*PREFIX\s+([\w.-]*):\s*<([^<>\s]*)>")


@dataclass(frozen=True)
class TextSearch:
    """One ``# search:`` declaration: ``param`` narrows ``variable`` by the text of ``predicate``."""

    param: str
    variable: str
    predicate: str  # the full IRI


def text_searches(text: str, name: str = "query") -> tuple[TextSearch, ...]:
    """The ``# search:`` declarations in the comment header of a query (the lines before the
    first line that is not a comment); raises QueryError for one it cannot read."""
    prefixes = dict(_PREFIX.findall(text))
    out = []
    for line in header_lines(text):
        if not re.match(r"^#\s*search\s*:", line):
            continue
        m = _SEARCH.match(line.rstrip())
        if not m:
            raise QueryError(f"query {name}: cannot read '{line.strip()}' (expected '# search: PARAM narrows ?VAR by PREDICATE')")
        pred = m["pred"]
        if pred.startswith("<"):
            iri = pred[1:-1]
        else:
            prefix, _, local = pred.partition(":")
            if prefix not in prefixes:
                raise QueryError(f"query {name}: '# search:' names {pred}, but the query declares no PREFIX {prefix}:")
            iri = prefixes[prefix] + local
        out.append(TextSearch(m["param"], m["var"], iri))
    return tuple(out)


def declared_predicates() -> list[str]:
    """Every predicate a shipped named query searches (what ``build_text_index`` indexes)."""
    return sorted({s.predicate for q in load_queries().values() for s in text_searches(q.text, q.name)})


_LOWER = ox.Store()  # empty: only evaluates LCASE, so terms are folded exactly as the queries fold them


def oxigraph_lcase(value: str) -> str:
    """``LCASE`` of a string as Oxigraph computes it (the case folding the queries' filters use)."""
    solutions = _LOWER.query(f"SELECT (LCASE({ox.Literal(value)}) AS ?l) {{}}")
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT's answer
    lower = next(iter(solutions))[0]
    assert isinstance(lower, ox.Literal)  # LCASE of a string
    return lower.value


# --------------------------------------------------------------------------------- building

#: FTS5's trigram tokenizer arrived in SQLite 3.34.0.
MIN_SQLITE = (3, 34, 0)


def text_index_unavailable(version: tuple[int, ...] | None = None) -> str | None:
    """Why this SQLite cannot build the index (too old for the trigram tokenizer), or ``None``."""
    have = sqlite3.sqlite_version_info if version is None else version
    if tuple(have) < MIN_SQLITE:
        return (f"SQLite {'.'.join(map(str, have))} is older than {'.'.join(map(str, MIN_SQLITE))}, "
                "which FTS5's trigram tokenizer needs")
    return None


def build_text_index(store: ox.Store, path: str | Path, predicates: Iterable[str] | None = None) -> Path:
    """Write the index of ``predicates`` (default: those the named queries declare) over
    ``store`` into the SQLite file ``path``, atomically (a temporary file renamed into place)."""
    target = Path(path)
    preds = sorted(set(declared_predicates() if predicates is None else predicates))
    with new_sqlite_file(target) as db:
        db.executescript(
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE predicates(id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL);"
            "CREATE TABLE nodes(id INTEGER PRIMARY KEY, predicate INTEGER NOT NULL, node TEXT NOT NULL);"
            "CREATE VIRTUAL TABLE texts USING fts5(text, content='', tokenize='trigram case_sensitive 1');")
        db.execute("INSERT INTO meta VALUES ('format', ?)", (str(INDEX_FORMAT),))
        rowid = 0
        for pred in preds:
            blank = store.query(f"ASK {{ ?s {ox.NamedNode(pred)} ?o FILTER isBlank(?s) }}", use_default_graph_as_union=True)
            if bool(blank):  # VALUES cannot name a blank node: searches of this predicate run without the index
                continue
            cur = db.execute("INSERT INTO predicates(iri) VALUES (?)", (pred,))
            pid = cur.lastrowid
            rows = store.query(f"SELECT DISTINCT ?s ?l {{ ?s {ox.NamedNode(pred)} ?o FILTER (isLiteral(?o)) "
                               f"BIND ({fold_sparql('?o')} AS ?l) }}",
                               use_default_graph_as_union=True)
            assert isinstance(rows, ox.QuerySolutions)
            batch_nodes, batch_texts = [], []
            for s, lower in rows:
                rowid += 1
                batch_nodes.append((rowid, pid, str(s)))
                batch_texts.append((rowid, lower.value))
                if len(batch_nodes) >= 10_000:
                    db.executemany("INSERT INTO nodes VALUES (?, ?, ?)", batch_nodes)
                    db.executemany("INSERT INTO texts(rowid, text) VALUES (?, ?)", batch_texts)
                    batch_nodes, batch_texts = [], []
            db.executemany("INSERT INTO nodes VALUES (?, ?, ?)", batch_nodes)
            db.executemany("INSERT INTO texts(rowid, text) VALUES (?, ?)", batch_texts)
        db.execute("INSERT INTO texts(texts) VALUES ('optimize')")
    return target


# ---------------------------------------------------------------------------------- reading

class TextIndex:
    """An index file opened read-only. ``search`` answers one declared text search."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # immutable: the file never changes once renamed into place (a rebuild writes a new one)
        self._db = open_read_only(self.path)
        self._lock = threading.Lock()
        try:
            self._predicates = dict(self._db.execute("SELECT iri, id FROM predicates").fetchall())
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise QueryError(f"{path}: not a readable text index ({exc})") from exc
        try:
            found = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError:
            found = None
        #: an index of another format (older folding) cannot tell which nodes match: it answers nothing
        self.current = found is not None and found[0] == str(INDEX_FORMAT)
        self.searches = 0  # how many searches the index answered (tests and the benchmark read it)

    @property
    def predicates(self) -> list[str]:
        return sorted(self._predicates)

    def search(self, predicate: str, term: str) -> list[str] | None:
        """The subjects (N-Triples IRIs, ``<...>``) with a ``predicate`` text containing ``term``
        in any case; ``None`` when the index cannot answer (predicate not indexed, term too short)."""
        pid = self._predicates.get(predicate)
        needle = fold(term)
        if pid is None or not self.current or len(needle) < MIN_TERM_CHARS:
            return None
        phrase = '"' + needle.replace('"', '""') + '"'
        with self._lock:
            rows = self._db.execute("SELECT n.node FROM texts JOIN nodes n ON n.id = texts.rowid "
                                    "WHERE texts MATCH ? AND n.predicate = ?", (phrase, pid)).fetchall()
            self.searches += 1
        return sorted({r[0] for r in rows})

    def close(self) -> None:
        self._db.close()


__all__ = ["MIN_SQLITE", "MIN_TERM_CHARS", "TextIndex", "TextSearch", "build_text_index", "declared_predicates",
           "oxigraph_lcase", "text_index_unavailable", "text_searches"]
