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
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF

from .vocab import PREFIXES


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    media_type: str
    keeps_graphs: bool
    rdf_format: ox.RdfFormat


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", ".ttl", "text/turtle", False, ox.RdfFormat.TURTLE),
        Format("trig", ".trig", "application/trig", True, ox.RdfFormat.TRIG),
        Format("nquads", ".nq", "application/n-quads", True, ox.RdfFormat.N_QUADS),
        Format("ntriples", ".nt", "application/n-triples", False, ox.RdfFormat.N_TRIPLES),
        Format("jsonld", ".jsonld", "application/ld+json", True, ox.RdfFormat.JSON_LD),
    )
}
FORMAT_NAMES = tuple(FORMATS)


def get_format(name: str) -> Format:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[name]


_RDF_TYPE = str(RDF.type)


def to_ox(term: URIRef | Literal | BNode) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as an Oxigraph term."""
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


def _key(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.DefaultGraph) -> str:
    return str(term)


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every statement of ``ds`` as Oxigraph quads, in the canonical order."""
    quads = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = g.identifier if hasattr(g, "identifier") else g
        graph = ox.DefaultGraph() if gid is None or gid == DATASET_DEFAULT_GRAPH_ID else to_ox(gid)
        quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph))
    quads.sort(key=lambda q: (_key(q.graph_name), _key(q.subject), q.predicate.value != _RDF_TYPE, _key(q.predicate), _key(q.object)))
    return quads


def sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads``, in the canonical order."""
    triples = {q.triple for q in quads}
    return sorted(triples, key=lambda t: (_key(t.subject), t.predicate.value != _RDF_TYPE, _key(t.predicate), _key(t.object)))


def prefixes(base: str | None = None) -> dict[str, str]:
    """The prefix table of Turtle and TriG output. Instance IRIs stay in full: with ``id:`` their
    slashes would need escaping (``id:area\\/northshire``), which helps no reader."""
    return dict(PREFIXES)


def serialize(ds: Dataset, format: str = "turtle", base: str | None = None) -> bytes:
    """The bytes of ``ds`` in the named format (see ``FORMATS``)."""
    fmt = get_format(format)
    quads = sorted_quads(ds)
    data: Iterable[ox.Quad] | Iterable[ox.Triple] = quads if fmt.keeps_graphs else sorted_triples(quads)
    if fmt.name in {"turtle", "trig"}:
        table = prefixes(base)
        body = ox.serialize(list(data), format=fmt.rdf_format, prefixes=table)
        # our own prefix header in a fixed order, whatever order Oxigraph writes its own in
        lines = body.split(b"\n")
        while lines and lines[0].startswith(b"@prefix "):
            lines.pop(0)
        header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in table.items()).encode("utf-8")
        return header + b"\n" + b"\n".join(lines)
    out = ox.serialize(list(data), format=fmt.rdf_format)
    if fmt.name == "jsonld":
        # Oxigraph writes one line of expanded JSON-LD; indent it for people, keep the order
        out = (json.dumps(json.loads(out), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return out


# ``.{target name}.{pid of the writer}.{random}.tmp``: hidden, never the name of an output, and
# telling which process wrote it, so a later build can remove what a killed one left behind.
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def temp_prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A process killed mid-write leaves the previous ``path`` untouched and at most a temporary
    file named by ``temp_prefix``; ``remove_stale_temp_files`` clears those up."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a graph file is for others to read
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def remove_stale_temp_files(folder: str | Path) -> list[Path]:
    """Remove the temporary files ``write_atomic`` left in ``folder`` when its process was killed
    (the writer's process no longer runs); a running writer's files are left alone."""
    removed: list[Path] = []
    d = Path(folder)
    if not d.is_dir():
        return removed
    for f in sorted(d.glob(".*.tmp")):
        m = _TEMP_NAME.match(f.name)
        if m and f.is_file() and not _alive(int(m["pid"])):
            f.unlink(missing_ok=True)
            removed.append(f)
    return removed


def write(ds: Dataset, path: str | Path, format: str | None = None, base: str | None = None) -> Path:
    """Serialize ``ds`` to ``path``; the format defaults to the one the suffix stands for."""
    if format is None:
        suffix = Path(path).suffix.lower()
        matches = [f.name for f in FORMATS.values() if f.suffix == suffix]
        if not matches:
            raise ValueError(f"cannot tell the format of {path}; give one of {', '.join(FORMATS)}")
        format = matches[0]
    return write_atomic(path, serialize(ds, format, base))


__all__ = ["FORMATS", "FORMAT_NAMES", "Format", "get_format", "prefixes", "remove_stale_temp_files", "serialize", "sorted_quads", "sorted_triples", "temp_prefix", "write", "write_atomic"]
