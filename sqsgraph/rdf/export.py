"""Writing a dataset to files: one registry of formats, deterministic bytes, atomic writes.

Formats by name (``FORMATS``): ``turtle`` and ``ntriples`` hold triples only (the named graphs
are merged: a statement made by two reports is written once); ``trig``, ``nquads`` and ``jsonld``
keep each report's named graph.

Determinism: the statements are sorted (graph, subject, predicate with ``rdf:type`` first, object)
and written by Oxigraph's serializers with a fixed prefix table, so the same dataset gives the same
bytes on every run and machine. There are no blank nodes to relabel. Files are written to a
temporary file in the target folder and moved into place with ``os.replace``: a reader never sees
half a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
from rdflib.term import IdentifiedNode

from ..files import DocumentWriter, write_atomic
from .formats import FORMAT_NAMES, FORMATS, Format, format_of_suffix, get_format
from .terms import OxTerm, to_ox
from .vocab import PREFIXES

_RDF_TYPE = str(RDF.type)


def _key(term: OxTerm | ox.DefaultGraph) -> str:
    return str(term)


def _quad_key(q: ox.Quad) -> tuple[str, str, bool, str, str]:
    return (_key(q.graph_name), _key(q.subject), q.predicate.value != _RDF_TYPE, _key(q.predicate), _key(q.object))


def _triple_key(t: ox.Triple) -> tuple[str, bool, str, str]:
    return (_key(t.subject), t.predicate.value != _RDF_TYPE, _key(t.predicate), _key(t.object))


def _graph_term(g: Graph | IdentifiedNode | None) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    gid = g.identifier if isinstance(g, Graph) else g
    return ox.DefaultGraph() if gid is None or gid == DATASET_DEFAULT_GRAPH_ID else to_ox(gid)


#: What ``Quad`` takes as subject: rdflib types every position as a ``Node``, Oxigraph checks the kinds.
_Subject = ox.NamedNode | ox.BlankNode


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every statement of ``ds`` as Oxigraph quads, in the canonical order."""
    quads = [ox.Quad(cast(_Subject, to_ox(s)), cast(ox.NamedNode, to_ox(p)), to_ox(o), _graph_term(g))
             for s, p, o, g in ds.quads((None, None, None, None))]
    quads.sort(key=_quad_key)
    return quads


def sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads``, in the canonical order."""
    return sorted({q.triple for q in quads}, key=_triple_key)


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


_XSD_STRING = str(XSD.string)


def _nt_term(term: URIRef | Literal) -> str:
    if type(term) is URIRef:
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_NT_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise TypeError(f"sqsgraph writes no blank nodes or other terms: {term!r}")


def statement_lines(triples: Iterable[tuple[URIRef, URIRef, URIRef | Literal]]) -> list[str]:
    """``triples`` as N-Triples statements without the closing `` .``, grouped by subject in the
    order the subjects first occur, so the output is as deterministic as the input and Turtle
    made from it states each subject once.

    Written here rather than by Oxigraph because converting every rdflib term into an Oxigraph
    term first costs more than the whole line; Oxigraph parses what is made of them
    (``bodies``), which checks it."""
    terms: dict[object, str] = {}
    groups: dict[object, list[str]] = {}
    for s, p, o in triples:
        ss = terms.get(s)
        if ss is None:
            ss = terms[s] = _nt_term(s)
        pp = terms.get(p)
        if pp is None:
            pp = terms[p] = _nt_term(p)
        if type(o) is URIRef:
            oo = terms.get(o)
            if oo is None:
                oo = terms[o] = _nt_term(o)
        else:
            oo = _nt_term(o)
        group = groups.get(s)
        if group is None:
            groups[s] = [f"{ss} {pp} {oo}"]
        else:
            group.append(f"{ss} {pp} {oo}")
    return [line for group in groups.values() for line in group]


def ntriples_bytes(lines: Iterable[str], graph: URIRef | None = None) -> bytes:
    """Statement lines (see ``statement_lines``) as N-Triples, or as N-Quads in ``graph``."""
    tail = f" <{graph}> .\n" if graph is not None else " .\n"
    lines = lines if isinstance(lines, list) else list(lines)
    return (tail.join(lines) + tail).encode("utf-8") if lines else b""  # one join: no string per line


def write_statements(path: str | Path, groups: Iterable[tuple[Iterable[str], URIRef | None]]) -> Path:
    """Write statement lines (see ``statement_lines``) as N-Quads, each group in its graph (or
    N-Triples for None), atomically and a batch at a time, never the whole text at once."""

    def batches() -> Iterator[bytes]:
        for lines, graph in groups:
            batch: list[str] = []
            for line in lines:
                batch.append(line)
                if len(batch) == 100_000:
                    yield ntriples_bytes(batch, graph)
                    batch = []
            if batch:
                yield ntriples_bytes(batch, graph)

    return write_document(path, FORMATS["nquads"], batches())


def bodies(quads: bytes | Path, triples: bytes | Path, formats: Iterable[Format]) -> dict[str, bytes]:
    """Bodies (see ``body``) by suffix: of N-Quads ``quads`` for the formats that keep graphs, of
    N-Triples ``triples`` for the others (bytes, or a file holding them). Oxigraph parses them
    (streamed into its serializers, no Python list), which checks them: raises ``SyntaxError``
    for a bad statement."""

    def parse(data: bytes | Path, rdf_format: ox.RdfFormat) -> Iterator[ox.Quad]:
        return ox.parse(path=str(data), format=rdf_format) if isinstance(data, Path) else ox.parse(data, format=rdf_format)

    out: dict[str, bytes] = {}
    checked = False
    for fmt in formats:
        if fmt.name == "nquads":
            out[fmt.suffix] = quads.read_bytes() if isinstance(quads, Path) else quads
            continue
        checked = True
        if fmt.keeps_graphs:
            out[fmt.suffix] = _body_of(parse(quads, ox.RdfFormat.N_QUADS), fmt)
        else:
            out[fmt.suffix] = _body_of(parse(triples, ox.RdfFormat.N_TRIPLES), fmt)
    if not checked:
        for _ in parse(quads, ox.RdfFormat.N_QUADS):
            pass
    return out


def prefixes(base: str | None = None) -> dict[str, str]:
    """The prefix table of Turtle and TriG output. Instance IRIs stay in full: with ``id:`` their
    slashes would need escaping (``id:area\\/northshire``), which helps no reader."""
    return dict(PREFIXES)


def document_head(fmt: Format) -> bytes:
    if fmt.name in {"turtle", "trig"}:
        return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in prefixes().items()).encode("utf-8") + b"\n"
    if fmt.name == "jsonld":
        return b"[\n"
    return b""


def document_tail(fmt: Format) -> bytes:
    return b"\n]\n" if fmt.name == "jsonld" else b""


#: what goes between two non-empty bodies
def body_separator(fmt: Format) -> bytes:
    return b",\n" if fmt.name == "jsonld" else b""


def body(data: Sequence[ox.Quad] | Sequence[ox.Triple], fmt: Format) -> bytes:
    """The statements ``data`` (quads for formats that keep graphs, else triples) as a body of a
    ``fmt`` document: no prefix lines (Turtle, TriG), no enclosing brackets (JSON-LD)."""
    return _body_of(data, fmt) if data else b""


def _body_of(data: Iterable[ox.Quad] | Iterable[ox.Triple], fmt: Format) -> bytes:
    if fmt.name in {"turtle", "trig"}:
        out = ox.serialize(data, format=fmt.oxigraph, prefixes=prefixes())
        assert out is not None  # given no output file, Oxigraph returns the bytes
        lines = out.split(b"\n")
        while lines and lines[0].startswith(b"@prefix "):
            lines.pop(0)
        return b"\n".join(lines)
    out = ox.serialize(data, format=fmt.oxigraph)
    assert out is not None
    if fmt.name == "jsonld":
        # Oxigraph writes one line of expanded JSON-LD; indent it for people, keep the order
        text = json.dumps(json.loads(out), indent=1, ensure_ascii=False)
        return text[2:-2].encode("utf-8")  # the items, without "[\n" and "\n]"
    return out


def serialize(ds: Dataset, format: str = "turtle", base: str | None = None) -> bytes:
    """The bytes of ``ds`` in the named format (see ``FORMATS``)."""
    fmt = get_format(format)
    quads = sorted_quads(ds)
    data: Sequence[ox.Quad] | Sequence[ox.Triple] = quads if fmt.keeps_graphs else sorted_triples(quads)
    return document_head(fmt) + body(data, fmt) + document_tail(fmt)


def document_writer(path: str | Path, fmt: Format) -> DocumentWriter:
    """A ``fmt`` document at ``path`` written a body at a time (``files.DocumentWriter``)."""
    return DocumentWriter(path, document_head(fmt), body_separator(fmt), document_tail(fmt))


def write_document(path: str | Path, fmt: Format, bodies: Iterable[bytes | Path]) -> Path:
    """Write a ``fmt`` document made of ``bodies`` (bytes, or files holding a body each) to
    ``path``, atomically like ``write_atomic``, without holding the whole document in memory."""
    writer = document_writer(path, fmt)
    try:
        for part in bodies:
            if isinstance(part, Path):
                writer.add_file(part)
            else:
                writer.add(part)
    except BaseException:
        writer.abort()
        raise
    return writer.commit()


def write(ds: Dataset, path: str | Path, format: str | None = None, base: str | None = None) -> Path:
    """Serialize ``ds`` to ``path``; the format defaults to the one the suffix stands for."""
    if format is None:
        found = format_of_suffix(path)
        if found is None:
            raise ValueError(f"cannot tell the format of {path}; give one of {', '.join(FORMAT_NAMES)}")
        format = found.name
    return write_atomic(path, serialize(ds, format, base))


__all__ = [
    "document_writer",
    "body",
    "bodies",
    "ntriples_bytes",
    "statement_lines",
    "prefixes",
    "serialize",
    "sorted_quads",
    "sorted_triples",
    "write",
    "write_document",
    "write_statements",
]
