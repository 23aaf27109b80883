"""Namespaces of the sqsgraph graph, and where the ontology files are read from.

The prefixes and IRIs are the contract of docs/graph-model.md. schema.org is used in its
``https://`` form (rdflib's ``SDO``). The instance namespace is not fixed: it is the ``--base``
of a build (``DEFAULT_BASE`` unless told otherwise).
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    XSD,
)

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # Python 3.10 has no importlib.resources.abc: the same class is in importlib.abc there
    from importlib.abc import Traversable


class CachedNamespace(Namespace):
    """A ``Namespace`` that makes each of its terms once. rdflib's makes a new ``URIRef`` (and
    checks it) on every ``NS.name``, and the mapper names the same few terms millions of times."""

    def term(self, name: str) -> URIRef:
        key = (str(self), name)
        found = _TERMS.get(key)
        if found is None:
            found = _TERMS[key] = super().term(name)
        return found

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and friends look for dunders
            raise AttributeError(name)
        return self.term(name)

    def __getitem__(self, key: str) -> URIRef:  # type: ignore[override]  # Namespace's: str.__getitem__'s signature
        return self.term(key)


_TERMS: dict[tuple[str, str], URIRef] = {}

SQS = CachedNamespace("https://w3id.org/sqsgraph/ontology#")
THEME = CachedNamespace("https://w3id.org/sqsgraph/theme/")
COUNT = CachedNamespace("https://w3id.org/sqsgraph/count/")
ROLE = CachedNamespace("https://w3id.org/sqsgraph/role/")
ORGTYPE = CachedNamespace("https://w3id.org/sqsgraph/orgtype/")
OA = CachedNamespace("http://www.w3.org/ns/oa#")
SDMX_DIMENSION = CachedNamespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = CachedNamespace("http://purl.org/linked-data/sdmx/2009/measure#")
SH = CachedNamespace("http://www.w3.org/ns/shacl#")

DEFAULT_BASE = "https://w3id.org/sqsgraph/id/"

# prefix -> namespace, bound on every graph sqsgraph writes (stable order: output is deterministic)
PREFIXES: dict[str, str] = {
    "sqs": str(SQS),
    "theme": str(THEME),
    "role": str(ROLE),
    "orgtype": str(ORGTYPE),
    "count": str(COUNT),
    "schema": str(SDO),
    "org": str(ORG),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "time": str(TIME),
    "qb": str(QB),
    "oa": str(OA),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-measure": str(SDMX_MEASURE),
    "xsd": str(XSD),
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
}

# The ontology files, in the order they are loaded into the ontology graph.
ONTOLOGY_FILES = ("sqs.ttl", "themes.ttl", "roles.ttl", "orgtypes.ttl", "counts.ttl")
SHAPES_FILE = "shapes.ttl"
ORGANISATIONS_FILE = "organisations.ttl"


def normalise_base(base: str) -> str:
    """The base IRI with exactly one trailing slash (``--base`` may be given without it)."""
    base = base.strip()
    if not base.startswith(("http://", "https://", "urn:")):
        raise ValueError(f"base IRI {base!r} must start with http://, https:// or urn:")
    return base if base.endswith(("/", "#", ":")) else base + "/"


def bind_prefixes(graph: Graph, base: str | None = None) -> Graph:
    """Bind the sqsgraph prefixes (and ``id:`` for the base) on ``graph``, replacing rdflib's."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    if base is not None:
        graph.bind("id", normalise_base(base), override=True, replace=True)
    return graph


def ontology_path(name: str) -> Traversable:
    """A file of the ontology folder: ``sqsgraph/ontology/NAME`` in an installed wheel, or the
    repository's ``ontology/NAME`` in an editable install (where the wheel's copy does not exist).
    """
    installed = resources.files("sqsgraph") / "ontology" / name
    if installed.is_file():
        return installed
    checkout = Path(__file__).resolve().parents[2] / "ontology" / name
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"ontology file {name!r} is neither in the installed package nor in the checkout")


def read_ontology_text(name: str) -> str:
    """The text of an ontology file (see ``ontology_path``)."""
    return ontology_path(name).read_text(encoding="utf-8")


__all__ = [
    "DEFAULT_BASE",
    "OA",
    "ONTOLOGY_FILES",
    "ORGANISATIONS_FILE",
    "ORGTYPE",
    "PREFIXES",
    "ROLE",
    "SDMX_DIMENSION",
    "SDMX_MEASURE",
    "SHAPES_FILE",
    "SQS",
    "THEME",
    "COUNT",
    "bind_prefixes",
    "normalise_base",
    "ontology_path",
    "read_ontology_text",
]
