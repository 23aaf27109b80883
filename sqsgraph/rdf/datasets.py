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

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import IdentifiedNode, Node

from ..errors import GraphError
from .formats import SUFFIXES, Format, format_of_suffix
from .terms import from_ox_term

BACKENDS = ("memory", "oxigraph")
DEFAULT_BACKEND = "memory"


def new_dataset(backend: str = DEFAULT_BACKEND) -> Dataset:
    """An empty dataset on the named back end (``memory`` or ``oxigraph``)."""
    if backend == "memory":
        return Dataset(default_union=True)
    if backend == "oxigraph":
        return Dataset(store="Oxigraph", default_union=True)
    raise ValueError(f"unknown store back end {backend!r}; choose one of {', '.join(BACKENDS)}")


def format_of(path: str | Path) -> str:
    """The format name (turtle, trig, nquads, ntriples, jsonld) a file's suffix stands for."""
    return graph_format(path).name


def graph_format(path: str | Path) -> Format:
    """The format of a graph file, by its suffix (``formats.SUFFIXES``); ``GraphError`` otherwise."""
    found = format_of_suffix(path)
    if found is None:
        suffix = Path(path).suffix.lower()
        known = ", ".join(sorted(SUFFIXES))
        raise GraphError(f"{path}: cannot tell the RDF format from the suffix {suffix or '(none)'!r}; use one of {known}")
    return found


def load_dataset(path: str | os.PathLike[str], backend: str = DEFAULT_BACKEND) -> Dataset:
    """Load a graph file into a new ``Dataset``, choosing the parser by the file's suffix.

    Quads formats (TriG, N-Quads) keep their named graphs; triples formats land in the default
    graph. Raises ``GraphError`` naming the file for a missing file, an unknown suffix or a syntax
    error (with Oxigraph's line and column).
    """
    p = Path(path)
    rdf_format = graph_format(p).oxigraph
    if p.is_dir():
        raise GraphError(f"{path}: is a directory, not a graph file")
    if not p.exists():
        raise GraphError(f"{path}: no such file; run `sqsgraph build` first or name an existing graph file")
    ds = new_dataset(backend)
    try:
        if isinstance(ds.store, OxigraphStore):  # the oxigraph back end: its pyoxigraph.Store loads the file
            ds.store._inner.bulk_load(path=str(p), format=rdf_format)
        else:
            add_quads(ds, from_ox_quads(ox.parse(path=str(p), format=rdf_format)))
    except SyntaxError as exc:
        raise GraphError(f"{path}: not valid {format_of(p)}: {exc}") from exc
    except OSError as exc:
        raise GraphError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return ds


def add_quads(ds: Dataset, quads: Iterable[tuple[Node, Node, Node, IdentifiedNode | None]]) -> None:
    """Add (s, p, o, graph IRI or None for the default graph) to ``ds``."""
    graphs: dict[IdentifiedNode | None, Graph] = {}
    for s, p, o, g in quads:
        target = graphs.get(g)
        if target is None:
            target = ds.default_graph if g is None else ds.graph(g)
            graphs[g] = target
        target.add((s, p, o))


def from_ox_quads(quads: Iterable[ox.Quad]) -> Iterator[tuple[Node, Node, Node, IdentifiedNode | None]]:
    for q in quads:
        name = q.graph_name
        g = None if isinstance(name, ox.DefaultGraph) else from_ox_term(name)
        yield from_ox_term(q.subject), from_ox_term(q.predicate), from_ox_term(q.object), g


def quad_count(ds: Dataset) -> int:
    """Number of statements across all graphs of ``ds`` (default graph included)."""
    return sum(1 for _ in ds.quads((None, None, None, None)))


__all__ = [
    "BACKENDS",
    "DATASET_DEFAULT_GRAPH_ID",
    "DEFAULT_BACKEND",
    "add_quads",
    "format_of",
    "graph_format",
    "from_ox_quads",
    "load_dataset",
    "new_dataset",
    "quad_count",
]
