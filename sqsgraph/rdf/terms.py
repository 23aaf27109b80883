"""Fast makers of the rdflib terms the mapper mints by the thousand.

A report maps to ~1,300 statements, and rdflib's constructors are most of the cost of mapping:
``Literal(5, datatype=XSD.nonNegativeInteger)`` takes ~7 µs (it casts, checks and normalises),
``URIRef(iri)`` ~0.8 µs (it checks the IRI and only logs a warning), and ``RDF.type`` ~1 µs (a
closed namespace looks the name up on every use). The mapper makes only IRIs from slugs and
literals whose lexical form it chose itself, so the makers here build the same rdflib objects
directly. ``tests/test_terms.py`` holds them equal to rdflib's own, attribute by attribute, so an
rdflib release that changes its terms fails there rather than in the graph; Oxigraph parses
every statement written (``export.bodies``), which is the check that counts.
"""

from __future__ import annotations

from typing import Any, overload

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import IdentifiedNode, Node

from ..errors import GraphError

_new = str.__new__
XSD_INTEGER = URIRef(str(XSD.integer))
_XSD_STRING = str(XSD.string)  # the lookup on the namespace costs more than the rest of from_ox_term for a literal


def iri(value: str) -> URIRef:
    """A minted IRI (base + slugs): the same ``URIRef`` as rdflib's, without its check."""
    return _new(URIRef, value)


def text(value: str) -> Literal:
    """A plain string literal, as ``Literal(value)``."""
    term = _new(Literal, value)
    term._language = None
    term._datatype = None
    term._value = value
    term._ill_typed = None
    return term


def integer(value: int, datatype: URIRef = XSD_INTEGER) -> Literal:
    """An integer literal, as ``Literal(value)`` or ``Literal(value, datatype=datatype)`` for an
    integer datatype (``xsd:nonNegativeInteger``)."""
    if type(value) is not int:
        raise TypeError(f"integer literal of {type(value).__name__} {value!r}")
    term = _new(Literal, str(value))
    term._language = None
    term._datatype = datatype
    term._value = value
    term._ill_typed = None
    return term


class Terms:
    """Attribute access to a namespace's terms, each looked up (and checked, for a closed
    namespace: a typo still raises) once, then a plain attribute."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and friends look for dunders
            raise AttributeError(name)
        term = URIRef(getattr(self._namespace, name))
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        term: URIRef = self._namespace[name]
        return term

    def __str__(self) -> str:
        return str(self._namespace)


__all__ = ["Terms", "integer", "iri", "text"]


# --- between rdflib and Oxigraph: the one conversion each way


@overload
def to_ox(term: URIRef) -> ox.NamedNode: ...
@overload
def to_ox(term: BNode) -> ox.BlankNode: ...
@overload
def to_ox(term: Literal) -> ox.Literal: ...
@overload
def to_ox(term: IdentifiedNode) -> ox.NamedNode | ox.BlankNode: ...
@overload
def to_ox(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode: ...
def to_ox(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as an Oxigraph term (a ``TypeError`` for any other kind of node)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


#: A term as Oxigraph hands it over: RDF 1.2 allows a triple as the object (``from_ox_term`` refuses it).
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@overload
def from_ox_term(term: ox.NamedNode) -> URIRef: ...
@overload
def from_ox_term(term: ox.BlankNode) -> BNode: ...
@overload
def from_ox_term(term: ox.NamedNode | ox.BlankNode) -> IdentifiedNode: ...
@overload
def from_ox_term(term: OxTerm) -> Node: ...
def from_ox_term(term: OxTerm) -> Node:
    """An Oxigraph term as the rdflib term sqsgraph uses (an xsd:string literal as a plain one)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise GraphError(f"unsupported RDF term {term!r} (RDF-star triples are not used by sqsgraph)")
