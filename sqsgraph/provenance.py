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
from rdflib import namespace as ns

from . import vocab
from .model import SourceDocument, Span
from .terms import Terms, integer, iri, text

DCTERMS, PROV, RDF, XSD = Terms(ns.DCTERMS), Terms(ns.PROV), Terms(ns.RDF), Terms(ns.XSD)
OA, SQS = Terms(vocab.OA), Terms(vocab.SQS)

CONTEXT = 32  # characters of prefix and suffix in the quote selector

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def source_iri(base: str, doc: SourceDocument) -> URIRef:
    return iri(f"{base}source/{doc.sha256}")


def source_triples(base: str, doc: SourceDocument) -> Iterator[Triple]:
    """The source file: a ``prov:Entity`` named by its content hash, with its file name."""
    src = source_iri(base, doc)
    yield src, RDF.type, PROV.Entity
    yield src, RDF.type, SQS.SourceFile
    yield src, SQS.sha256, text(doc.sha256)
    yield src, DCTERMS.identifier, text(PurePath(doc.path).name)
    yield src, DCTERMS["format"], text("text/plain")


def span_iri(thing: URIRef) -> URIRef:
    return iri(f"{thing}/span")


def span_triples(thing: URIRef, span: Span, base: str, doc: SourceDocument) -> list[Triple]:
    """``thing sqs:textSpan {thing}/span`` and the span's selectors."""
    if span.end > len(doc.text):
        raise ValueError(f"{doc.path}: span [{span.start}, {span.end}) is beyond the end of the text ({len(doc.text)})")
    node = span_iri(thing)
    position = iri(f"{node}/position")
    quote = iri(f"{node}/quote")
    t = doc.text
    return [
        (thing, SQS.textSpan, node),
        (node, RDF.type, OA.SpecificResource),
        (node, OA.hasSource, source_iri(base, doc)),
        (node, OA.hasSelector, position),
        (node, OA.hasSelector, quote),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, integer(span.start, XSD.nonNegativeInteger)),
        (position, OA.end, integer(span.end, XSD.nonNegativeInteger)),
        (quote, RDF.type, OA.TextQuoteSelector),
        (quote, OA.exact, text(t[span.start : span.end])),
        (quote, OA.prefix, text(t[max(0, span.start - CONTEXT) : span.start])),
        (quote, OA.suffix, text(t[span.end : span.end + CONTEXT])),
    ]


__all__ = ["CONTEXT", "source_iri", "source_triples", "span_iri", "span_triples"]
