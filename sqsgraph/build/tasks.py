"""The build's work on one report (or one batch, or the shared head), as run in a worker process:
each task is a small picklable record, and what it makes goes into the cache beside its key.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import ORG, RDF

from ..errors import BuildError, ReportError
from ..files import ByteSpan
from ..rdf.areacodes import AreaCodes
from ..rdf.export import (
    bodies,
    ntriples_bytes,
    statement_lines,
    write_statements,
)
from ..rdf.formats import FORMATS, Format
from ..rdf.identity import (
    Identities,
)
from ..rdf.mapper import (
    SharedFacts,
    collect_people,
    graph_iri,
    holding_triples,
    map_report,
    ontology_graph_iri,
    ontology_triples,
    report_facts,
    report_holdings,
    report_id,
    shared_graph_iri,
    shared_triples,
)
from ..rdf.validator import Problem
from ..read.model import Report
from .cache import BuildCache, cache_key
from .headfile import head_statements
from .records import (
    Contribution,
    Failure,
    Head,
    HeadPart,
    MappedReport,
    ReadReport,
)

FACTS_SUFFIX = ".facts.pickle"  # the cache entry of what a report adds to the shared graph (``Contribution``)


REFERS_SUFFIX = ".refers.pickle"  # the cache entry of the shared nodes a mapped report refers to (for validation)


IDENTITIES_SUFFIX = ".ids.pickle"  # the cache entry of the identity decisions


def read_one(path: str, cache_folder: str) -> ReadReport | Failure:
    """Read and parse one file (or take the parse from the cache); a bad file is a Failure."""
    from ..read.parser import parse_report
    from ..read.reader import plainly_not_a_report, read_report_file

    cache = BuildCache(cache_folder)
    try:
        read = read_report_file(path)
    except ReportError as exc:
        return Failure(exc.path, exc.problem, plainly_not_a_report(exc))
    key = cache_key("parse", read.document.sha256, read.document.path, "\n".join(read.warnings))
    cached = cache.load(key, ".read.pickle")  # small: what the build needs of every report
    if isinstance(cached, ReadReport) and cache.has(key, ".pickle") and cache.has(key, FACTS_SUFFIX):
        return cached
    try:
        report = parse_report(read.document, read.warnings)
    except ReportError as exc:
        return Failure(exc.path, exc.problem, plainly_not_a_report(exc))
    people = collect_people(report, report_id(report))
    cache.store(key, (report, people))  # large: only mapping the report again reads it
    contribution = Contribution(report_facts(report, people), report_holdings(people))
    cache.store(key, contribution, FACTS_SUFFIX)
    outcome = ReadReport(
        report.source.path,
        report.source.sha256,
        people.rid,
        key,
        people.mentions,
        tuple(slot.honorific for slot in people.slots),
        people.warnings,
        tuple(report.warnings),
        digest_of(
            *((m.report, m.order, m.name, sorted(m.organisations), sorted(m.roles), m.described_as) for m in people.mentions)
        ),
        len(people.mentions),
        digest_of(contribution.facts.canonical(), contribution.holdings),
        content_digest(report),
        report.source.media_type,
    )
    cache.store(key, outcome, ".read.pickle")
    return outcome


_SAME_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def content_digest(report: Report) -> str:
    """SHA-256 of what a report says, without where it says it (spans, file, warnings), its
    wording compared as NFKC with plain quotes: the same for a PDF and its own text rendering."""

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k not in ("span", "source", "warnings")}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, str):
            return unicodedata.normalize("NFKC", value).translate(_SAME_QUOTES)
        return value

    data = json.dumps(plain(report.to_json()), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def map_one(task: MapTask) -> tuple[MappedReport, dict[str, bytes]] | Failure:
    """Map one report to its named graph: what the build keeps of it (the shared nodes it refers
    to into the cache) and its body in each format, by suffix. A report whose statements Oxigraph
    refuses is a Failure."""
    path, cache_folder, parse_key, map_key = task.path, task.cache_folder, task.parse_key, task.map_key
    rid, person_slugs, base, format_names = task.rid, task.person_slugs, task.base, task.format_names
    cache = BuildCache(cache_folder)
    formats = [FORMATS[name] for name in format_names]
    entry = cache.load(parse_key)
    if not (isinstance(entry, tuple) and len(entry) == 2):
        raise RuntimeError(f"the parse of report {rid} is missing from the cache {cache_folder}")
    report, people = entry
    graph = map_report(report, rid, people, person_slugs, base)
    g = graph_iri(base, rid)
    own = statement_lines(graph.triples)
    about = statement_lines(graph.about_shared)
    try:  # statements about shared nodes go once into the head of a triples document
        data = bodies(ntriples_bytes([*own, *about], g), ntriples_bytes(own), formats)
    except (SyntaxError, ValueError) as exc:
        return Failure(path, f"its statements cannot be written as RDF: {exc}")
    scoped = (f"{base}report/{rid}", f"{base}membership/{rid}/", f"{base}source/")
    starts = str.startswith  # rdflib's URIRef.startswith is ten times slower
    refers = {o for _, _, o in graph.all_triples if type(o) is URIRef and not starts(o, scoped)}
    refers.update(s for s, _, _ in graph.about_shared)
    cache.store(map_key, tuple(sorted(str(iri) for iri in refers)), REFERS_SUFFIX)
    findings = sum(len(section.findings) for section in report.sections)
    strengths, improvements = len(report.key_strengths), len(report.areas_for_improvement)
    return MappedReport(rid, map_key, len(graph.triples), findings, strengths, improvements), data


def validate_one(task: ValidateTask) -> tuple[tuple[Problem, ...], int]:
    """Validate a batch of reports' graphs (their bodies at ``spans`` of the N-Quads output
    ``quads``) with the head's statements about the nodes they refer to and the classes of the
    nodes those refer to (whose own results are left to the check of the head); the problems
    found and the triples checked."""
    from ..rdf.validator import validate_text

    cache = BuildCache(task.cache_folder)
    cached = cache.load(task.key)
    if isinstance(cached, tuple) and len(cached) == 2:
        return cached
    refers = {f"<{iri}>" for key in task.map_keys for iri in _refers_to(cache, key)}
    context, partial = head_statements(task.head).context(refers)
    parts = []
    with open(task.quads, "rb") as fh:
        for start, length in task.spans:
            body = os.pread(fh.fileno(), length, start)
            if len(body) != length:
                raise BuildError(f"{task.quads} changed while the build validated it; build again")
            parts.append(body)
    parts.append(ntriples_bytes(context))
    report = validate_text(b"".join(parts), task.base, skip_focus={URIRef(iri) for iri in partial}, engine=task.engine)
    result = (report.problems, report.triples)
    cache.store(task.key, result)
    return result


def validate_head(task: ValidateHeadTask) -> tuple[tuple[Problem, ...], int]:
    """Validate a part of the head (see ``HeadStatements.part``) with the statements about the
    nodes it refers to and about the ontology's terms (the classes a shape's ``sh:class`` is
    checked against, with their superclasses), and the classes of the nodes those refer to; the
    problems found and the statements of the part. Each statement of the head is in one part,
    with all the statements about its subject: a node is checked as the whole head would check it."""
    from ..rdf.validator import validate_text

    cache = BuildCache(task.cache_folder)
    cached = cache.load(task.key)
    if isinstance(cached, tuple) and len(cached) == 2:
        return cached
    own, context, partial = head_statements(task.head).part_to_check(task.part, task.parts, also=_ontology_terms())
    data = ntriples_bytes(own) + ntriples_bytes(context)
    report = validate_text(data, task.base, skip_focus={URIRef(iri) for iri in partial}, engine=task.engine)
    result = (report.problems, len(own))
    cache.store(task.key, result)
    return result


@lru_cache(maxsize=1)
def _ontology_terms() -> frozenset[str]:
    """The subjects (``<iri>``) of the ontology graph's statements."""
    return frozenset(line[: line.index(" ")] for line in statement_lines(ontology_triples()))


def _refers_to(build_cache: BuildCache, map_key: str) -> tuple[str, ...]:
    refers = build_cache.load(map_key, REFERS_SUFFIX)
    if not isinstance(refers, tuple):
        raise BuildError(
            f"the cache {build_cache.folder} lost which shared nodes a report refers to; build again with --no-cache"
        )
    return refers


def digest_of(*parts: object) -> str:
    """SHA-256 of values whose pickles are canonical (no sets: see ``SharedFacts.canonical``)."""
    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()


def read_task(task: ReadTask) -> ReadReport | Failure:
    return read_one(task.path, task.cache_folder)


HEAD_STATEMENTS_SUFFIX = ".head.nt"  # the head's statements, sorted, for validation (see ``headfile``)
HEAD_SUFFIXES = (".pickle", HEAD_STATEMENTS_SUFFIX)  # besides the bodies: the figures, and the sorted statements


#: the identities file's ``[gss]`` entries and the file's name, as ``AreaCodes`` takes them
AreaOverrides = tuple[tuple[tuple[str, tuple[str, ...]], ...], str | None]


# --- the tasks, as sent to a worker ------------------------------------------------------------


@dataclass(frozen=True)
class ReadTask:
    path: str
    cache_folder: str


@dataclass(frozen=True)
class MapTask:
    path: str
    cache_folder: str
    parse_key: str  # where its parse is cached
    map_key: str  # where what it makes goes
    rid: str  # the report's id
    person_slugs: tuple[str, ...]  # the identity decisions' slug of each person it names
    base: str
    format_names: tuple[str, ...]


@dataclass(frozen=True)
class ValidateTask:
    cache_folder: str
    quads: str  # the N-Quads output holding the bodies
    spans: tuple[ByteSpan, ...]  # the bodies of the batch in it
    map_keys: tuple[str, ...]  # its reports' (where the shared nodes each refers to are cached)
    head: str  # the head's sorted statements (``.head.nt``)
    key: str
    base: str
    engine: str


@dataclass(frozen=True)
class ValidateHeadTask:
    cache_folder: str
    head: str  # the head's sorted statements (``.head.nt``)
    part: int  # which part of it, of ``parts``
    parts: int
    key: str
    base: str
    engine: str


@dataclass(frozen=True)
class HeadTask:
    cache_folder: str
    key: str
    ids_key: str
    ids: Identities | None  # None: read from the cache (in a worker)
    parts: tuple[HeadPart, ...]
    honorifics: dict[str, set[str]]
    area_overrides: AreaOverrides
    base: str
    format_names: tuple[str, ...]


def head_one(task: HeadTask) -> Head:
    """Make the head of the documents (see ``_write_head``) into the cache; its figures. The
    identity decisions are read from the cache when not given (in a worker)."""
    folder, key, ids_key, ids, parts = task.cache_folder, task.key, task.ids_key, task.ids, task.parts
    honorifics, area_overrides, base, format_names = task.honorifics, task.area_overrides, task.base, task.format_names
    build_cache = BuildCache(folder)
    if ids is None:
        stored = build_cache.load(ids_key, IDENTITIES_SUFFIX)
        if not isinstance(stored, Identities):
            raise BuildError(f"the cache {folder} lost the identity decisions while the build ran; build again")
        ids = stored
    return _write_head(
        build_cache, key, parts, ids, honorifics, AreaCodes(*area_overrides), base, [FORMATS[name] for name in format_names]
    )


def _write_head(
    build_cache: BuildCache,
    key: str,
    parts: Sequence[HeadPart],
    ids: Identities,
    honorifics: dict[str, set[str]],
    area_codes: AreaCodes,
    base: str,
    formats: Sequence[Format],
) -> Head:
    """The head of every document: the shared and ontology graphs, and for triples formats the
    statements reports make about shared nodes (who holds which post), each once. Made from the
    merged facts of every report and kept in the cache under ``key``: its bodies, and its
    statements as sorted N-Triples (``.head.nt``) for validation."""
    facts = SharedFacts()
    held: dict[tuple[str, str, str], None] = {}  # (person, post, organisation), in the order first attested
    for rid, parse_key, first, _ in parts:
        part = _contribution(build_cache, rid, parse_key)
        facts.merge(part.facts)
        for h in part.holdings:
            held[(ids.person_of[first + h.slot], h.post, h.org)] = None
    coded = area_codes.assign(facts.area_labels().values())
    shared = statement_lines(shared_triples(facts, ids, honorifics, coded, base))
    ontology = statement_lines(ontology_triples())
    about = statement_lines(holding_triples(held, base))
    del facts, held
    # The head is large (a million statements at 10,000 reports): written a batch at a time, and
    # its other formats made by Oxigraph from those files.
    nq = write_statements(
        build_cache.path(key, FORMATS["nquads"].suffix),  # the N-Quads body, and the others' source
        [(shared, shared_graph_iri(base)), (ontology, ontology_graph_iri(base))],
    )
    lines = set(shared)
    del shared
    lines.update(ontology)
    lines.update(about)
    del about

    organisation, post = f" <{RDF.type}> <{ORG.Organization}>", f" <{RDF.type}> <{ORG.Post}>"
    figures = (len(lines), sum(1 for x in lines if x.endswith(organisation)), sum(1 for x in lines if x.endswith(post)))
    ordered = sorted(lines)
    del lines
    nt = write_statements(build_cache.path(key, HEAD_STATEMENTS_SUFFIX), [(ordered, None)])
    del ordered
    for fmt in formats:
        if fmt.name != "nquads":
            build_cache.write_bytes(key, fmt.suffix, bodies(nq, nt, [fmt])[fmt.suffix])
    head = Head(*figures, warnings=coded.warnings)
    build_cache.store(key, head)
    return head


def _contribution(build_cache: BuildCache, rid: str, parse_key: str) -> Contribution:
    part = build_cache.load(parse_key, FACTS_SUFFIX)
    if not isinstance(part, Contribution):
        raise BuildError(
            f"the cache {build_cache.folder} lost what report {rid} adds to the shared graph; build again with --no-cache"
        )
    return part
