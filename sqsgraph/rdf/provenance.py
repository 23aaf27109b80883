"""Provenance to the text: a span of the source file as a W3C Web Annotation specific resource.

``{thing}/span`` is an ``oa:SpecificResource`` whose ``oa:hasSource`` is the source file
(``B/source/{sha256}``, with its hash) and whose selectors are both an
``oa:TextPositionSelector`` (``oa:start`` inclusive, ``oa:end`` exclusive, in code points of the
decoded text, exactly Python slicing) and an ``oa:TextQuoteSelector`` (``oa:exact`` with
``oa:prefix`` and ``oa:suffix`` of up to ``CONTEXT`` characters), so a reader can find the passage
again even if positions drift. All nodes get minted IRIs: no blank nodes.

A PDF report's spans point into the text sqsgraph derives from it (``B/source/{sha256}/text``, a
``sqs:DerivedText`` with its own hash, ``prov:wasDerivedFrom`` the PDF), and each thing read from a
PDF also has ``sqs:pageSpan {thing}/pages``: an ``oa:SpecificResource`` on the PDF file itself with
one ``oa:FragmentSelector`` per page the span touches (RFC 3778: ``page=N&viewrect=left,top,width,
height`` in PDF points from the top left of the page as displayed, pages from 1), and the page
number as ``sqs:pageNumber`` so that queries need not parse the fragment.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterator
from operator import attrgetter
from pathlib import PurePath

from rdflib import Literal, URIRef
from rdflib import namespace as ns

from ..read.model import PDF_MEDIA_TYPE, SourceDocument, Span, TextBox
from . import vocab
from .terms import Terms, integer, iri, text

DCTERMS, PROV, RDF, XSD = Terms(ns.DCTERMS), Terms(ns.PROV), Terms(ns.RDF), Terms(ns.XSD)
OA, SQS = Terms(vocab.OA), Terms(vocab.SQS)

CONTEXT = 32  # characters of prefix and suffix in the quote selector
#: what a PDF fragment identifier conforms to, as the Web Annotation model names it
PDF_FRAGMENT_SPEC = iri("http://tools.ietf.org/rfc/rfc3778")

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
    yield src, DCTERMS["format"], text(doc.media_type)
    if doc.media_type == PDF_MEDIA_TYPE:
        derived = derived_text_iri(base, doc)
        yield derived, RDF.type, PROV.Entity
        yield derived, RDF.type, SQS.SourceFile
        yield derived, RDF.type, SQS.DerivedText
        yield derived, SQS.sha256, text(hashlib.sha256(doc.text.encode("utf-8")).hexdigest())
        yield derived, DCTERMS.identifier, text(PurePath(doc.path).name + ".txt")
        yield derived, DCTERMS["format"], text("text/plain")
        yield derived, PROV.wasDerivedFrom, src


def derived_text_iri(base: str, doc: SourceDocument) -> URIRef:
    """The text sqsgraph derived from a PDF: what a PDF report's text spans point into."""
    return iri(f"{base}source/{doc.sha256}/text")


def text_source_iri(base: str, doc: SourceDocument) -> URIRef:
    """What the positions of a span count in: the file itself, or the text derived from a PDF."""
    return derived_text_iri(base, doc) if doc.media_type == PDF_MEDIA_TYPE else source_iri(base, doc)


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
    out: list[Triple] = [
        (thing, SQS.textSpan, node),
        (node, RDF.type, OA.SpecificResource),
        (node, OA.hasSource, text_source_iri(base, doc)),
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
    if doc.boxes:
        out.extend(page_triples(thing, span, base, doc))
    return out


def pages_of(span: Span, boxes: tuple[TextBox, ...]) -> list[tuple[int, float, float, float, float]]:
    """(page, left, top, width, height) for each page the span touches: the union of the boxes of
    the stretches of text it covers there, in page order."""
    first = bisect_right(boxes, span.start, key=attrgetter("end"))  # the first box ending after the start
    rects: dict[int, list[float]] = {}
    for box in boxes[first:]:
        if box.start >= span.end:
            break
        r = rects.get(box.page)
        # a span that starts or ends inside a stretch takes its share of the stretch's width
        # (proportional to characters: close enough to find the words on the page)
        length = box.end - box.start
        left = box.left + box.width * (max(span.start, box.start) - box.start) / length
        right = box.left + box.width * (min(span.end, box.end) - box.start) / length
        bottom = box.top + box.height
        if r is None:
            rects[box.page] = [left, box.top, right, bottom]
        else:
            r[0], r[1], r[2], r[3] = min(r[0], left), min(r[1], box.top), max(r[2], right), max(r[3], bottom)
    return [(page, r[0], r[1], r[2] - r[0], r[3] - r[1]) for page, r in sorted(rects.items())]


def page_triples(thing: URIRef, span: Span, base: str, doc: SourceDocument) -> list[Triple]:
    """``thing sqs:pageSpan {thing}/pages``: where on the PDF's pages the span stands."""
    pages = pages_of(span, doc.boxes)
    if not pages:
        return []
    node = iri(f"{thing}/pages")
    out: list[Triple] = [
        (thing, SQS.pageSpan, node),
        (node, RDF.type, OA.SpecificResource),
        (node, OA.hasSource, source_iri(base, doc)),
    ]
    for page, left, top, width, height in pages:
        selector = iri(f"{node}/{page}")
        out += [
            (node, OA.hasSelector, selector),
            (selector, RDF.type, OA.FragmentSelector),
            (selector, DCTERMS.conformsTo, PDF_FRAGMENT_SPEC),
            (selector, RDF.value, text(f"page={page}&viewrect={left:.1f},{top:.1f},{width:.1f},{height:.1f}")),
            (selector, SQS.pageNumber, integer(page, XSD.positiveInteger)),
        ]
    return out


__all__ = [
    "CONTEXT",
    "PDF_FRAGMENT_SPEC",
    "derived_text_iri",
    "page_triples",
    "pages_of",
    "source_iri",
    "source_triples",
    "span_iri",
    "span_triples",
    "text_source_iri",
]
