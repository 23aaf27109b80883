"""Provenance to the text: a span of the source file as a W3C Web Annotation specific resource.

``{thing}/span`` is an ``oa:SpecificResource`` whose ``oa:hasSource`` is the source file
(``B/source/{sha256}``, with its hash) and whose selectors are both an
``oa:TextPositionSelector`` (``oa:start`` inclusive, ``oa:end`` exclusive, in code points of the
decoded text, exactly Python slicing) and an ``oa:TextQuoteSelector`` (``oa:exact`` with
``oa:prefix`` and ``oa:suffix`` of up to ``CONTEXT`` characters), so a reader can find the passage
again even if positions drift. All nodes get minted IRIs: no blank nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from .model import SourceDocument, Span
from .vocab import OA, SQS

CONTEXT = 32  # characters of prefix and suffix in the quote selector

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def source_iri(base: str, doc: SourceDocument) -> URIRef:
    return URIRef(f"{base}source/{doc.sha256}")


def source_triples(base: str, doc: SourceDocument) -> Iterator[Triple]:
    """The source file: a ``prov:Entity`` named by its content hash, with its file name."""
    src = source_iri(base, doc)
    yield src, RDF.type, PROV.Entity
    yield src, RDF.type, SQS.SourceFile
    yield src, SQS.sha256, Literal(doc.sha256)
    yield src, DCTERMS.identifier, Literal(PurePath(doc.path).name)
    yield src, DCTERMS["format"], Literal("text/plain")


def span_iri(thing: URIRef) -> URIRef:
    return URIRef(f"{thing}/span")


def span_triples(thing: URIRef, span: Span, base: str, doc: SourceDocument) -> Iterator[Triple]:
    """``thing sqs:textSpan {thing}/span`` and the span's selectors."""
    if span.end > len(doc.text):
        raise ValueError(f"{doc.path}: span [{span.start}, {span.end}) is beyond the end of the text ({len(doc.text)})")
    node = span_iri(thing)
    position = URIRef(f"{node}/position")
    quote = URIRef(f"{node}/quote")
    yield thing, SQS.textSpan, node
    yield node, RDF.type, OA.SpecificResource
    yield node, OA.hasSource, source_iri(base, doc)
    yield node, OA.hasSelector, position
    yield node, OA.hasSelector, quote
    yield position, RDF.type, OA.TextPositionSelector
    yield position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)
    yield position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)
    yield quote, RDF.type, OA.TextQuoteSelector
    yield quote, OA.exact, Literal(doc.text[span.start : span.end])
    yield quote, OA.prefix, Literal(doc.text[max(0, span.start - CONTEXT) : span.start])
    yield quote, OA.suffix, Literal(doc.text[span.end : span.end + CONTEXT])


__all__ = ["CONTEXT", "source_iri", "source_triples", "span_iri", "span_triples"]
