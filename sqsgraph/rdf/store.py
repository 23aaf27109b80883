"""The store layer: where an RDF dataset lives in memory, and how a graph file is loaded.

Two back ends, chosen by name:

``memory``
    rdflib's own in-memory store. Terms come back exactly as written (a plain literal stays a
    plain ``Literal``), so it is the default and what the mapper and the tests use.
``oxigraph``
    pyoxigraph through oxrdflib: far less memory per triple and SPARQL evaluated by Oxigraph, for
    the endpoint and large corpora. Oxigraph follows RDF 1.1 to the letter, so a plain literal
    comes back as ``Literal("x", datatype=XSD.string)``; compare with ``str()`` or ``.eq()``.

Either way the ``Dataset`` has ``default_union=True``: a query without ``GRAPH`` sees the
statements of every named graph (one per report, see docs/graph-model.md).

Files are always parsed by Oxigraph's parsers, whatever the back end: they are fast, report
line and column, and never fetch anything (a JSON-LD file with a remote ``@context`` is refused,
not downloaded).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from ..errors import GraphError

BACKENDS = ("memory", "oxigraph")
DEFAULT_BACKEND = "memory"

# file suffix -> (format name used across sqsgraph, Oxigraph's parser)
SUFFIX_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".turtle": ("turtle", ox.RdfFormat.TURTLE),
    ".trig": ("trig", ox.RdfFormat.TRIG),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS),
    ".nquads": ("nquads", ox.RdfFormat.N_QUADS),
    ".nt": ("ntriples", ox.RdfFormat.N_TRIPLES),
    ".ntriples": ("ntriples", ox.RdfFormat.N_TRIPLES),
    ".jsonld": ("jsonld", ox.RdfFormat.JSON_LD),
    ".json": ("jsonld", ox.RdfFormat.JSON_LD),
}


def new_dataset(backend: str = DEFAULT_BACKEND) -> Dataset:
    """An empty dataset on the named back end (``memory`` or ``oxigraph``)."""
    if backend == "memory":
        return Dataset(default_union=True)
    if backend == "oxigraph":
        return Dataset(store="Oxigraph", default_union=True)
    raise ValueError(f"unknown store back end {backend!r}; choose one of {', '.join(BACKENDS)}")


def format_of(path: str | Path) -> str:
    """The format name (turtle, trig, nquads, ntriples, jsonld) a file's suffix stands for."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise GraphError(f"{path}: cannot tell the RDF format from the suffix {suffix or '(none)'!r}; use one of {known}")
    return SUFFIX_FORMATS[suffix][0]


def load_dataset(path: str | Path, backend: str = DEFAULT_BACKEND) -> Dataset:
    """Load a graph file into a new ``Dataset``, choosing the parser by the file's suffix.

    Quads formats (TriG, N-Quads) keep their named graphs; triples formats land in the default
    graph. Raises ``GraphError`` naming the file for a missing file, an unknown suffix or a syntax
    error (with Oxigraph's line and column).
    """
    p = Path(path)
    format_of(p)
    rdf_format = SUFFIX_FORMATS[p.suffix.lower()][1]
    if p.is_dir():
        raise GraphError(f"{path}: is a directory, not a graph file")
    if not p.exists():
        raise GraphError(f"{path}: no such file; run `sqsgraph build` first or name an existing graph file")
    ds = new_dataset(backend)
    try:
        if backend == "oxigraph":
            store = ds.store._inner  # the pyoxigraph.Store behind oxrdflib
            store.bulk_load(path=str(p), format=rdf_format)
        else:
            add_quads(ds, from_ox_quads(ox.parse(path=str(p), format=rdf_format)))
    except SyntaxError as exc:
        raise GraphError(f"{path}: not valid {format_of(p)}: {exc}") from exc
    except OSError as exc:
        raise GraphError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return ds


def add_quads(ds: Dataset, quads: Iterable[tuple[Node, Node, Node, Node | None]]) -> None:
    """Add (s, p, o, graph IRI or None for the default graph) to ``ds``."""
    graphs: dict[Node | None, object] = {}
    for s, p, o, g in quads:
        target = graphs.get(g)
        if target is None:
            target = ds.default_graph if g is None else ds.graph(g)
            graphs[g] = target
        target.add((s, p, o))  # type: ignore[attr-defined]


def from_ox_quads(quads: Iterable[ox.Quad]) -> Iterator[tuple[Node, Node, Node, Node | None]]:
    for q in quads:
        g = None if isinstance(q.graph_name, ox.DefaultGraph) else from_ox_term(q.graph_name)
        yield from_ox_term(q.subject), from_ox_term(q.predicate), from_ox_term(q.object), g


def from_ox_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """An Oxigraph term as the rdflib term sqsgraph uses (an xsd:string literal as a plain one)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise GraphError(f"unsupported RDF term {term!r} (RDF-star triples are not used by sqsgraph)")


def quad_count(ds: Dataset) -> int:
    """Number of statements across all graphs of ``ds`` (default graph included)."""
    return sum(1 for _ in ds.quads((None, None, None, None)))


__all__ = [
    "BACKENDS",
    "DATASET_DEFAULT_GRAPH_ID",
    "DEFAULT_BACKEND",
    "SUFFIX_FORMATS",
    "add_quads",
    "format_of",
    "from_ox_quads",
    "from_ox_term",
    "load_dataset",
    "new_dataset",
    "quad_count",
]
