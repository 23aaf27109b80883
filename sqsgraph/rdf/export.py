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

import ctypes
import errno
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD

from .formats import FORMAT_NAMES, FORMATS, Format, format_of_suffix, get_format
from .terms import to_ox
from .vocab import PREFIXES

_RDF_TYPE = str(RDF.type)


def _key(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.DefaultGraph) -> str:
    return str(term)


def _quad_key(q: ox.Quad) -> tuple[str, str, bool, str, str]:
    return (_key(q.graph_name), _key(q.subject), q.predicate.value != _RDF_TYPE, _key(q.predicate), _key(q.object))


def _triple_key(t: ox.Triple) -> tuple[str, bool, str, str]:
    return (_key(t.subject), t.predicate.value != _RDF_TYPE, _key(t.predicate), _key(t.object))


def _graph_term(g: object) -> ox.NamedNode | ox.DefaultGraph:
    gid = g.identifier if hasattr(g, "identifier") else g
    return ox.DefaultGraph() if gid is None or gid == DATASET_DEFAULT_GRAPH_ID else to_ox(gid)  # type: ignore[arg-type]


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every statement of ``ds`` as Oxigraph quads, in the canonical order."""
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), _graph_term(g)) for s, p, o, g in ds.quads((None, None, None, None))]
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


# A document in any format is a head, bodies and a tail, so that a large graph can be written
# report by report (``pipeline.build``) and a small one at once (``serialize``) by the same code.


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
        lines = out.split(b"\n")
        while lines and lines[0].startswith(b"@prefix "):
            lines.pop(0)
        return b"\n".join(lines)
    out = ox.serialize(data, format=fmt.oxigraph)
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


# ``.{target name}.{pid of the writer}.{random}.tmp``: hidden, never the name of an output, and
# telling which process wrote it, so a later build can remove what a killed one left behind.
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def temp_prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


def write_atomic(path: str | Path, data: bytes, *, exchange: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``
    (``exchange``: put in place as ``write_document`` does, for a large file rewritten often).

    A process killed mid-write leaves the previous ``path`` untouched and at most a temporary
    file named by ``temp_prefix``; ``remove_stale_temp_files`` clears those up."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a graph file is for others to read
        if exchange:
            _install(tmp, target)
        else:
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


#: Where a body sits in a document: (offset, length) in bytes.
Span = tuple[int, int]


class DocumentWriter:
    """A ``fmt`` document written a body at a time into a temporary file beside ``path`` and
    put in place in one step by ``commit`` (atomically like ``write_atomic``; ``abort`` removes
    it), never held in memory whole. Each ``add``/``copy`` returns where the body landed, so
    that a later build can copy an unchanged body out of this file instead of making it again."""

    def __init__(self, path: str | Path, fmt: Format) -> None:
        self.target = Path(path)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.fmt = fmt
        self._separator = body_separator(fmt)
        self._fd, self._tmp = tempfile.mkstemp(prefix=temp_prefix(self.target), suffix=".tmp", dir=self.target.parent)
        self._offset = 0  # where the next byte goes, counting the bodies of ``_run`` not yet copied
        self._first = True
        self._run: tuple[int, int, int] | None = None  # (file, start, end): bodies to copy in one go
        try:
            self._write(document_head(fmt))
        except BaseException:
            self.abort()
            raise

    def _write(self, data: bytes) -> None:
        self.flush()
        _write_all(self._fd, data)
        self._offset += len(data)

    def _begin_body(self) -> int:
        if not self._first:
            self._write(self._separator)
        self._first = False
        return self._offset

    def add(self, data: bytes) -> Span:
        """Append one body (empty: nothing is written)."""
        if not data:
            return (self._offset, 0)
        start = self._begin_body()
        self._write(data)
        return (start, len(data))

    def copy(self, src_fd: int, span: Span) -> Span:
        """Append the body at ``span`` of the open file ``src_fd`` (keep it open until ``flush``).
        Bodies that follow each other in that file, as unchanged reports' bodies do in the last
        build's, are copied in one go, the separators between them with them: in the kernel
        (one call for gigabytes, against one a body, measured 4 s against 11 s for 4.3 GB)."""
        offset, length = span
        if length == 0:
            return (self._offset, 0)
        run, gap = self._run, len(self._separator)
        if run is not None and run[0] == src_fd and offset == run[2] + gap and not self._first:
            self._run = (src_fd, run[1], offset + length)  # what lies between is the separator
            start = self._offset + gap
        else:
            self.flush()
            start = self._begin_body()
            self._run = (src_fd, offset, offset + length)
        self._offset = start + length
        return (start, length)

    def flush(self) -> None:
        """Copy the bodies ``copy`` has put off (before their file is closed)."""
        if self._run is not None:
            src_fd, start, end = self._run
            self._run = None
            _copy_range(src_fd, start, self._fd, end - start)

    def add_file(self, path: Path) -> Span:
        """Append the body held whole in the file at ``path``."""
        with path.open("rb") as src:
            span = self.copy(src.fileno(), (0, os.fstat(src.fileno()).st_size))
            self.flush()
        return span

    def commit(self) -> Path:
        try:
            self._write(document_tail(self.fmt))
            os.close(self._fd)
            self._fd = -1
            os.chmod(self._tmp, 0o644)  # mkstemp makes it private; a graph file is for others to read
            _install(self._tmp, self.target)
        except BaseException:
            self.abort()
            raise
        return self.target

    def abort(self) -> None:
        self._run = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        Path(self._tmp).unlink(missing_ok=True)


def write_document(path: str | Path, fmt: Format, bodies: Iterable[bytes | Path]) -> Path:
    """Write a ``fmt`` document made of ``bodies`` (bytes, or files holding a body each) to
    ``path``, atomically like ``write_atomic``, without holding the whole document in memory."""
    writer = DocumentWriter(path, fmt)
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


_removals: list[subprocess.Popen[bytes]] = []


def _install(tmp: str, target: Path) -> None:
    """Move the finished ``tmp`` to ``target`` atomically. Over an existing file the two are
    exchanged (Linux ``renameat2(RENAME_EXCHANGE)``) and the old one is discarded by
    ``_discard``: ``os.replace`` over a file makes ext4 write the new one out to disk first (1.6
    s a GB measured here) and freeing a large file's blocks takes ~0.6 s a GB, both while a
    rebuild waits. What that gives up is ext4's flush before the rename: after a power cut the
    new file may be incomplete (build again; the cache makes that quick). Elsewhere, or when the
    exchange is refused, ``os.replace``."""
    if target.exists() and _exchange(tmp, target):
        _discard(tmp)
    else:
        os.replace(tmp, target)


def _discard(path: str) -> None:
    """Delete the file at ``path`` at once, and leave freeing its blocks to a process of its own
    that outlives this one if need be: its name goes now (no stray file in the folder) while a
    child holds it open; the child's exit, the last close, frees it. ``wait_for_removals``
    waits for those children."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # gone already, or left for remove_stale_temp_files: its name says whose it was
    try:
        os.unlink(path)
        _removals.append(subprocess.Popen([sys.executable, "-I", "-S", "-c", "import os, sys; os.close(int(sys.argv[1]))",
                                           str(fd)], pass_fds=(fd,), start_new_session=True, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    except OSError:
        pass  # no child: this process frees it when it closes fd below
    finally:
        os.close(fd)


def wait_for_removals() -> None:
    """Wait until the blocks of the old files ``write_document`` replaced are freed (the build
    does not wait: freeing 4 GB took 2.2 s at 10,000 reports)."""
    while _removals:
        _removals.pop().wait()


@lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn  # type: ignore[no-any-return]


def _exchange(a: str | Path, b: str | Path) -> bool:
    """Swap two paths atomically; False when this system or file system cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _copy_range(src_fd: int, offset: int, dst_fd: int, length: int) -> None:
    """``length`` bytes of ``src_fd`` from ``offset`` onto the end of ``dst_fd``."""
    done = 0
    if hasattr(os, "copy_file_range"):
        try:
            while done < length:
                n = os.copy_file_range(src_fd, dst_fd, length - done, offset + done)
                if n == 0:
                    break
                done += n
        except OSError:  # another file system, or a kernel without it: copy the rest by hand
            pass
    while done < length:
        chunk = os.pread(src_fd, min(1 << 20, length - done), offset + done)
        if not chunk:
            raise OSError(f"the file being copied ended {length - done} bytes early")
        _write_all(dst_fd, chunk)
        done += len(chunk)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (this process counts as running)."""
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
        if m and f.is_file() and not process_alive(int(m["pid"])):
            f.unlink(missing_ok=True)
            removed.append(f)
    return removed


def write(ds: Dataset, path: str | Path, format: str | None = None, base: str | None = None) -> Path:
    """Serialize ``ds`` to ``path``; the format defaults to the one the suffix stands for."""
    if format is None:
        found = format_of_suffix(path)
        if found is None:
            raise ValueError(f"cannot tell the format of {path}; give one of {', '.join(FORMAT_NAMES)}")
        format = found.name
    return write_atomic(path, serialize(ds, format, base))


__all__ = [
    "body",
    "bodies",
    "ntriples_bytes",
    "statement_lines",
    "prefixes",
    "process_alive",
    "remove_stale_temp_files",
    "serialize",
    "sorted_quads",
    "sorted_triples",
    "temp_prefix",
    "wait_for_removals",
    "write",
    "write_atomic",
    "DocumentWriter",
    "Span",
    "write_document",
    "write_statements",
]
