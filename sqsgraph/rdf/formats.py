"""The one registry of RDF formats: name, file suffixes, media types, and how rdflib and
Oxigraph call each. Export, loading, the endpoint's content negotiation and the CLI's choices
all read this table, so a format is added here once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    name: str  # as the CLI and ``build(formats=...)`` take it
    suffix: str  # of the files sqsgraph writes
    media_type: str
    keeps_graphs: bool  # holds the named graphs (a dataset format), or triples only
    oxigraph: ox.RdfFormat
    rdflib: str  # rdflib's parser and serializer name
    written: bool = True  # ``sqsgraph build`` writes it (RDF/XML is only served and read)
    other_suffixes: tuple[str, ...] = ()  # also read as this format
    other_media_types: tuple[str, ...] = ()  # names clients use for it (``Accept``, ``format=``)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "turtle",
            ".ttl",
            "text/turtle",
            False,
            ox.RdfFormat.TURTLE,
            "turtle",
            other_suffixes=(".turtle",),
            other_media_types=("application/turtle", "application/x-turtle", "turtle", "ttl"),
        ),
        Format("trig", ".trig", "application/trig", True, ox.RdfFormat.TRIG, "trig", other_media_types=("trig",)),
        Format(
            "nquads",
            ".nq",
            "application/n-quads",
            True,
            ox.RdfFormat.N_QUADS,
            "nquads",
            other_suffixes=(".nquads",),
            other_media_types=("nquads", "n-quads", "nq"),
        ),
        Format(
            "ntriples",
            ".nt",
            "application/n-triples",
            False,
            ox.RdfFormat.N_TRIPLES,
            "nt",
            other_suffixes=(".ntriples",),
            other_media_types=("text/plain", "ntriples", "nt", "n-triples"),
        ),
        Format(
            "jsonld",
            ".jsonld",
            "application/ld+json",
            True,
            ox.RdfFormat.JSON_LD,
            "json-ld",
            other_suffixes=(".json",),
            other_media_types=("application/json", "application/x-json+ld", "json-ld", "jsonld", "json"),
        ),
        Format(
            "rdfxml",
            ".rdf",
            "application/rdf+xml",
            False,
            ox.RdfFormat.RDF_XML,
            "xml",
            written=False,
            other_suffixes=(".owl",),
            other_media_types=("xml", "rdfxml", "rdf+xml", "application/xml"),
        ),
    )
}
#: the formats ``sqsgraph build`` writes, in the order its ``--format`` choices list them
FORMAT_NAMES = tuple(name for name, f in FORMATS.items() if f.written)

#: what ``sqsgraph push`` uploads: triple formats (each named graph is one upload)
PUSH_FORMATS = ("ntriples", "turtle")


def get_format(name: str) -> Format:
    """A format ``sqsgraph build`` writes, by name; ``ValueError`` naming the choices otherwise."""
    if name not in FORMAT_NAMES:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMAT_NAMES)}")
    return FORMATS[name]


#: file suffix -> the format a file with it is read as (the written formats only: sqsgraph reads what it writes)
SUFFIXES: dict[str, Format] = {s: f for f in FORMATS.values() if f.written for s in (f.suffix, *f.other_suffixes)}


def format_of_suffix(path: str | Path) -> Format | None:
    """The format a file's suffix stands for, or ``None``."""
    return SUFFIXES.get(Path(path).suffix.lower())


def by_media_type(media_type: str) -> Format | None:
    """The format a media type (or a client's short name for it) stands for, or ``None``."""
    wanted = media_type.strip().lower()
    for f in FORMATS.values():
        if wanted == f.media_type or wanted in f.other_media_types:
            return f
    return None
