"""Shared helpers for the graph tests: the samples parsed and mapped once, and SPARQL in one call."""

from __future__ import annotations

import functools
import shlex
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from sqsgraph.rdf.datasets import load_dataset
from sqsgraph.rdf.export import sorted_quads, write
from sqsgraph.rdf.mapper import Mapped, map_reports, map_reports_with_notes
from sqsgraph.rdf.vocab import DEFAULT_BASE
from sqsgraph.read.model import Report
from sqsgraph.read.parser import parse_file, parse_files
from sqsgraph.read.reader import sample_paths

B = DEFAULT_BASE

PREFIXES = """
PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
PREFIX role: <https://w3id.org/sqsgraph/role/>
PREFIX theme: <https://w3id.org/sqsgraph/theme/>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@functools.lru_cache(maxsize=1)
def sample_reports() -> tuple[Report, ...]:
    return tuple(parse_file(p) for p in sample_paths())


@functools.lru_cache(maxsize=1)
def sample_mapped() -> Mapped:
    return map_reports_with_notes(sample_reports(), B)


def sample_dataset() -> Dataset:
    return sample_mapped().dataset


@functools.lru_cache(maxsize=1)
def sample_on_oxigraph() -> Dataset:
    """The same graph in the Oxigraph back end (its SPARQL engine is fast on joins)."""
    folder = Path(tempfile.mkdtemp(prefix="sqsgraph-test-"))
    path = write(sample_dataset(), folder / "samples.nq", "nquads")
    return load_dataset(path, backend="oxigraph")


def ask(ds: Dataset, query: str, **bindings: object) -> list[tuple[str, ...]]:
    """Rows of a SELECT as tuples of strings, sorted."""
    rows = ds.query(PREFIXES + query, initBindings=bindings or None)
    return sorted(tuple("" if v is None else str(v) for v in row) for row in rows)


def example_params(query) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The ``--param key=value`` pairs of a named query's first ``# example:`` line."""
    words = shlex.split(query.examples[0])
    return dict(words[i + 1].split("=", 1) for i, word in enumerate(words) if word == "--param")


def samples_store() -> ox.Store:
    """The bundled samples, parsed and mapped in memory, in an Oxigraph store."""
    store = ox.Store()
    store.extend(sorted_quads(map_reports(parse_files(sample_paths()).reports)))
    return store
