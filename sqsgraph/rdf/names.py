"""The IRIs and literals every part of the mapping agrees on: a report's id and graph, the shared
and ontology graphs, dates and decimals as literals, the national comparator's area.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from rdflib import Literal, URIRef
from rdflib import namespace as ns

from ..read.model import Report
from . import vocab
from .identity import (
    slug,
)
from .terms import Terms, iri

NATIONAL_COMPARATOR = "England and Wales"


def report_id(report: Report) -> str:
    """``{area}-{publication date}``, or the first 16 hex digits of the file's hash."""
    if report.area and report.publication_date:
        return f"{slug(report.area)}-{report.publication_date}"
    return report.source.sha256[:16]


def graph_iri(base: str, rid: str) -> URIRef:
    """The named graph of one report."""
    return URIRef(f"{base}graph/{rid}")


def shared_graph_iri(base: str) -> URIRef:
    return URIRef(f"{base}graph/shared")


def ontology_graph_iri(base: str) -> URIRef:
    return URIRef(f"{base}graph/ontology")


def date_literal(value: str) -> Literal:
    """``YYYY-MM-DD`` as ``xsd:date``, ``YYYY-MM`` as ``xsd:gYearMonth``, ``YYYY`` as ``xsd:gYear``."""
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


def decimal_literal(value: float, places: int = 6) -> Literal:
    return Literal(Decimal(str(round(value, places))), datatype=XSD.decimal)


def _comparator_area(label: str | None) -> str:
    """The place a comparator rate is for: "England and Wales average" -> "England and Wales"."""
    if not label:
        return NATIONAL_COMPARATOR
    words = [w for w in label.split() if w.lower() not in {"the", "average", "rate", "national", "mean"}]
    return " ".join(words) or NATIONAL_COMPARATOR


_mint = iri  # shared_triples has an iri() of its own


_V = TypeVar("_V")


# namespaces whose terms are looked up once (see terms.py: the mapper names them ~1,300 times a report)
DCTERMS, FOAF, ORG, PROV, QB = Terms(ns.DCTERMS), Terms(ns.FOAF), Terms(ns.ORG), Terms(ns.PROV), Terms(ns.QB)


RDF, SDO, SKOS, TIME, XSD = Terms(ns.RDF), Terms(ns.SDO), Terms(ns.SKOS), Terms(ns.TIME), Terms(ns.XSD)


ORGTYPE, ROLE, SDMX_DIMENSION = Terms(vocab.ORGTYPE), Terms(vocab.ROLE), Terms(vocab.SDMX_DIMENSION)


SQS, THEME, COUNT = Terms(vocab.SQS), Terms(vocab.THEME), Terms(vocab.COUNT)


def _keep_first(mine: dict[str, _V], theirs: dict[str, _V]) -> None:
    """``theirs`` added to ``mine`` where ``mine`` has no value yet."""
    for k, v in theirs.items():
        mine.setdefault(k, v)


class _Triples(list):  # type: ignore[type-arg]
    """A list of triples with the one method of a Graph the mapping needs."""

    add = list.append
