"""The SPARQL 1.1 Protocol's side of the endpoint: the media types it answers in, content
negotiation, the writers of result sets, booleans and graphs, and the limits a server keeps.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from ..query.formats import RESULTS
from ..query.library import QueryRefused
from ..query.results import XSD_STRING, Term, json_term
from ..rdf.formats import FORMATS
from ..rdf.vocab import PREFIXES

# the result formats the endpoint answers in, from the one registry of result formats
SPARQL_JSON, SPARQL_XML, CSV, TSV = (RESULTS[name].media_type or "" for name in ("json", "xml", "csv", "sparql-tsv"))


# what a CONSTRUCT or DESCRIBE answer is offered in, from the one registry of RDF formats
_GRAPH_FORMATS = tuple(FORMATS[name] for name in ("turtle", "ntriples", "jsonld", "rdfxml"))


# offers per query form, in the server's order of preference (the first is the default)
RESULT_OFFERS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)


TURTLE, NTRIPLES, JSONLD, RDFXML = (f.media_type for f in _GRAPH_FORMATS)
GRAPH_OFFERS = (TURTLE, NTRIPLES, JSONLD, RDFXML)


# other names clients use for the same formats (media types and ``format=`` values)
_ALIASES_RESULTS = {alias: f.media_type for f in RESULTS.values() if f.endpoint and f.media_type for alias in f.aliases}


_ALIASES_GRAPH = {alias: f.media_type for f in _GRAPH_FORMATS for alias in f.other_media_types}


_OX_GRAPH_FORMATS = {f.media_type: f.oxigraph for f in _GRAPH_FORMATS}


_CONTENT_TYPES = {
    SPARQL_JSON: f"{SPARQL_JSON}; charset=utf-8",
    SPARQL_XML: f"{SPARQL_XML}; charset=utf-8",
    CSV: f"{CSV}; charset=utf-8",
    TSV: f"{TSV}; charset=utf-8",
    TURTLE: f"{TURTLE}; charset=utf-8",
    NTRIPLES: NTRIPLES,
    JSONLD: JSONLD,
    RDFXML: RDFXML,
}


# prefixes written into Turtle answers (docs/graph-model.md)
TURTLE_PREFIXES = {
    name: PREFIXES[name]
    for name in ("sqs", "theme", "role", "orgtype", "schema", "org", "foaf", "prov", "dcterms", "skos", "qb", "oa", "xsd", "rdfs")
}


RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Limits:
    """What one query may cost. Every field can be set from the command line."""

    timeout: float = 10.0  # seconds a query may run before it is stopped
    max_results: int = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer
    max_query_length: int = 20_000  # characters of query text
    max_body_bytes: int = 100_000  # bytes of a POST body
    workers: int = 2  # queries that can run at the same time
    socket_timeout: float = 15.0  # seconds a client may stay silent while sending its request

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.socket_timeout <= 0:
            raise ValueError("time limits must be positive")
        if min(self.max_results, self.max_query_length, self.max_body_bytes, self.workers) < 1:
            raise ValueError("size limits and the worker count must be at least 1")


class Reply(NamedTuple):
    """One HTTP answer: status, Content-Type, body and any further headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str], aliases: dict[str, str], requested: str | None = None) -> str | None:
    """The media type to answer with, or ``None`` when nothing in ``accept`` is offered.

    ``requested`` is a ``format=``/``output=`` parameter (a name such as ``csv`` or a media type);
    when it names an offered format it wins over the Accept header. No Accept header, or ``*/*``,
    gives the first offer.
    """
    if requested:
        key = requested.strip().lower()
        chosen = key if key in offers else aliases.get(key)
        if chosen in offers:
            return chosen
    if not accept or not accept.strip():
        return offers[0]
    ranges = _parse_accept(accept)
    best: tuple[float, int] | None = None
    answer = None
    for rank, offer in enumerate(offers):
        names = {offer} | {alias for alias, target in aliases.items() if target == offer and "/" in alias}
        q = _quality(names, ranges)
        if q > 0 and (best is None or (q, -rank) > best):
            best, answer = (q, -rank), offer
    return answer


def _quality(names: set[str], ranges: list[tuple[str, float]]) -> float:
    exact = [q for media, q in ranges if media in names]
    if exact:
        return max(exact)
    major = {n.split("/")[0] + "/*" for n in names}
    partial = [q for media, q in ranges if media in major]
    if partial:
        return max(partial)
    return max((q for media, q in ranges if media == "*/*"), default=0.0)


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{xml_escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected RDF term {term!r}")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _check_xml_chars(text: str) -> None:
    bad = _NOT_XML.search(text)
    if bad:
        raise QueryRefused(
            406,
            f"the results hold the character U+{ord(bad.group()):04X}, which XML 1.0 cannot carry; ask for JSON or TSV instead",
        )


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def write_solutions(variables: list[str], rows: Sequence[Sequence[Term]], media: str) -> bytes:
    """SELECT results (``rows`` of terms or ``None`` for unbound) in one of the result formats."""
    if media == SPARQL_JSON:
        bindings = [{v: json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media == SPARQL_XML:
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        text = "".join(parts)
        _check_xml_chars(text)
        return text.encode("utf-8")
    if media == CSV:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if media == TSV:
        # str() of a pyoxigraph term is its N-Triples form, with tabs and newlines escaped
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"not a SPARQL results format: {media}")


def write_boolean(value: bool, media: str) -> bytes:
    """An ASK answer in one of the result formats (CSV and TSV as ``_askResult``, like Jena)."""
    word = "true" if value else "false"
    if media == SPARQL_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if media == SPARQL_XML:
        return (
            f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    if media == CSV:
        return f"_askResult\r\n{word}\r\n".encode("ascii")
    if media == TSV:
        return f"?_askResult\n{word}\n".encode("ascii")
    raise ValueError(f"not a SPARQL results format: {media}")


def write_triples(triples: list[Any], media: str) -> bytes:
    """CONSTRUCT/DESCRIBE results in an RDF format (Oxigraph's writers). RDF/XML that would have
    to hold a character XML cannot carry is refused (406): Oxigraph would write it as it is, and
    no XML parser reads that document."""
    prefixes = TURTLE_PREFIXES if media == TURTLE else None
    data = ox.serialize(triples, format=_OX_GRAPH_FORMATS[media], prefixes=prefixes)
    assert data is not None  # given no output file, Oxigraph returns the bytes
    if media == RDFXML:
        _check_xml_chars(data.decode("utf-8"))
    return data
