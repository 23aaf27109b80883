"""``build``: report files in, knowledge graph files out. The CLI and Python users call this.

    read+parse ─→ identities ─→ map + write ─→ validate ─→ query store ─→ views, docs
    (per report,   (all names    (per report,     (batches of
     parallel,      at once)      parallel,        reports,
     cached)                      streamed)        parallel, cached)

Reading, parsing and mapping run one report at a time in worker processes (``workers``, default
one per core), and each result is kept in a content-addressed cache (``OUT/.cache``, see
``cache.py``): a rebuild after one report changed parses, maps and validates only that report
(and any report whose people the identity rules now resolve differently). The manifest of the
last build (``manifest.py``) spares the rest: files whose stamp is unchanged are not opened, the
identity decisions are reused while no report's names changed, and an output file that would be
written with the same parts is left as it is. The graph is never held in memory whole: every
report's statements are serialized by its worker into a body of each output format, written into
the output files as they come, and followed by the head (the shared entities, which depend on
every report; see ``export.DocumentWriter``). The head depends on what each report says, known
once it is parsed, and on the identities, not on the mapping: a worker makes it while the others
map. The output files are also where the bodies are kept for the next build, which copies those
of unchanged reports out of them (the manifest says where) rather than from a second copy in the
cache: a cold build writes each body once. Peak memory is the names and shared facts of all
reports plus a few reports per worker.

A report that cannot be read or parsed is recorded in ``BuildResult.failures`` (``path: problem``)
and the others are still built. Duplicate files (same content) are built once, with a note; a
different file with the same report identity (area and publication date) as one earlier in sorted
order is a conflicting version: not built, and a failure (see ``drop_duplicates``). Temporary files
left by a killed build are removed (see ``export.remove_stale_temp_files``). Files written into ``out_dir``:

* ``sqsgraph.<suffix>`` in each requested format (Turtle, ``sqsgraph.ttl``, by default);
* ``sqsgraph.nq`` always: N-Quads keep each report's named graph, and it is what
  ``sqsgraph validate``, the query commands and the endpoint load by default;
* ``ontology.html``: the ontology documentation, when pyLODE is available (else a note says why not);
* ``store/``: the query store, and ``views/``: the HTML views (overview, people, findings, and
  the comparison page ``compare.html``) drawn from it, unless ``views=False``.

SHACL validation runs a batch of reports at a time (``VALIDATE_BATCH``, in worker processes):
their graphs together with the shared statements about the nodes they refer to, and the shared
graph once on its own, which checks every shape the whole-graph validation checks except
cardinalities summed across reports. The turbo engine reads each batch's N-Quads text itself.

The views are drawn from the query store (``querystore``), which the build loads from the
N-Quads (unless it is fresh already): the first query then opens it as it is.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import ORG, RDF

from ..errors import BuildError, ReportError
from ..rdf.areacodes import AreaCodes
from ..rdf.export import (
    DocumentWriter,
    Span,
    bodies,
    ntriples_bytes,
    process_alive,
    remove_stale_temp_files,
    statement_lines,
    write_statements,
)
from ..rdf.formats import FORMATS, Format, get_format
from ..rdf.identity import (
    Identities,
    Mention,
    Overrides,
    load_overrides,
    resolve_identities,
)
from ..rdf.mapper import (
    SharedFacts,
    collect_people,
    graph_iri,
    holding_triples,
    map_report,
    ontology_graph_iri,
    ontology_triples,
    person_honorifics,
    report_facts,
    report_holdings,
    report_id,
    shared_graph_iri,
    shared_triples,
)
from ..rdf.validator import Problem, ValidationReport, engine_name
from ..rdf.vocab import DEFAULT_BASE, normalise_base, ontology_path
from ..read.model import PDF_MEDIA_TYPE, Report
from ..read.reader import find_reports, sample_paths, skipped_note
from .cache import CACHE_FOLDER, BuildCache, cache_key
from .manifest import FileStamp, Manifest, load_manifest, save_manifest
from .records import (
    BuildResult,
    Contribution,
    Failure,
    Head,
    MappedReport,
    Progress,
    ReadReport,
)

GRAPH_STEM = "sqsgraph"


QUADS_FILE = f"{GRAPH_STEM}.nq"


DEFAULT_OUT = Path("output")


ONTOLOGY_DOCS = "ontology.html"


#: Up to this many reports the build runs in this process: starting workers costs more.
IN_PROCESS_MAX = 24


#: ``.build.{pid}.{random}/``: where a build without cache keeps its per-report bodies meanwhile
SCRATCH_PREFIX = ".build."


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
    outcome = ReadReport(report.source.path, report.source.sha256, people.rid, key, people.mentions,
                         tuple(slot.honorific for slot in people.slots), people.warnings, tuple(report.warnings),
                         _digest(*((m.report, m.order, m.name, sorted(m.organisations), sorted(m.roles), m.described_as)
                                   for m in people.mentions)), len(people.mentions),
                         _digest(contribution.facts.canonical(), contribution.holdings), content_digest(report),
                         report.source.media_type)
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


def map_one(task: tuple[str, str, str, str, str, tuple[str, ...], str, tuple[str, ...]]) -> tuple[MappedReport, dict[str, bytes]] | Failure:
    """Map one report to its named graph: what the build keeps of it (the shared nodes it refers
    to into the cache) and its body in each format, by suffix. A report whose statements Oxigraph
    refuses is a Failure."""
    path, cache_folder, parse_key, map_key, rid, person_slugs, base, format_names = task
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


def validate_one(task: tuple[str, str, tuple[Span, ...], str, bytes, tuple[str, ...], str, str]) -> tuple[tuple[Problem, ...], int]:
    """Validate a batch of reports' graphs (their bodies at ``spans`` of the N-Quads output
    ``quads``) with the shared statements about the nodes they refer to (N-Triples ``context``,
    which also gives the classes of ``partial`` nodes, whose results are left to the check of
    the shared graph); the problems found and the triples checked."""
    from ..rdf.validator import validate_text

    cache_folder, quads, spans, key, context, partial, base, engine = task
    cache = BuildCache(cache_folder)
    cached = cache.load(key)
    if isinstance(cached, tuple) and len(cached) == 2:
        return cached  # type: ignore[return-value]
    if not context:
        raise RuntimeError(f"the validation {key} left the cache {cache_folder} while the build ran")
    parts = []
    with open(quads, "rb") as fh:
        for start, length in spans:
            body = os.pread(fh.fileno(), length, start)
            if len(body) != length:
                raise BuildError(f"{quads} changed while the build validated it; build again")
            parts.append(body)
    parts.append(context)
    report = validate_text(b"".join(parts), base, skip_focus={URIRef(iri) for iri in partial}, engine=engine)
    result = (report.problems, report.triples)
    cache.store(key, result)
    return result


def validate_head(task: tuple[str, str, str, str, str]) -> tuple[tuple[Problem, ...], int]:
    """Validate the shared graph (the head's statements, ``.head.nt`` in the cache) on its own."""
    from ..rdf.validator import validate_text

    cache_folder, head_key, key, base, engine = task
    cache = BuildCache(cache_folder)
    cached = cache.load(key)
    if isinstance(cached, tuple) and len(cached) == 2:
        return cached  # type: ignore[return-value]
    whole = validate_text(cache.path(head_key, ".head.nt").read_bytes(), base, engine=engine)
    result = (whole.problems, whole.triples)
    cache.store(key, result)
    return result


def _digest(*parts: object) -> str:
    """SHA-256 of values whose pickles are canonical (no sets: see ``SharedFacts.canonical``)."""
    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()


class _Runner:
    """Runs a function over tasks, in this process or in worker processes, in order."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def in_pool(self, tasks: int) -> bool:
        """Whether ``map`` runs this many tasks in worker processes."""
        return self.workers > 1 and tasks > IN_PROCESS_MAX

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(_start_method()),
                                            initializer=_start_worker, initargs=(os.getpid(),))
        return self.pool

    def submit(self, fn: Callable, task: object, background: bool) -> Future:  # type: ignore[type-arg]
        """``fn(task)`` in a worker process while this one goes on (``background``), else here
        and now; its result, or its exception, is in the returned future either way."""
        if background:
            return self._pool().submit(fn, task)
        done: Future = Future()  # type: ignore[type-arg]
        try:
            done.set_result(fn(task))
        except BaseException as exc:  # handed over to the caller of result()
            done.set_exception(exc)
        return done

    def map(self, fn: Callable, tasks: Sequence, stage: str, progress: Progress | None,  # type: ignore[type-arg]
            pool: bool = False) -> Iterator:  # type: ignore[type-arg]
        """``fn`` over ``tasks`` in order: in worker processes when there are enough of them, or
        (``pool``: each task is heavy) whenever there are workers and more than one task."""
        if self.in_pool(len(tasks)) or (pool and self.workers > 1 and len(tasks) > 1):
            self._pool()
            results = self._in_pool(fn, tasks, max(1, min(16, len(tasks) // (self.workers * 8))))
        else:
            results = map(fn, tasks)
        try:
            for n, value in enumerate(results, start=1):
                if progress is not None:
                    progress(stage, n, len(tasks))
                yield value
        except BrokenProcessPool as exc:
            raise BuildError(f"a worker process died while {stage} reports (out of memory?); "
                             "the output is as before; try again with fewer --workers") from exc

    def _in_pool(self, fn: Callable, tasks: Sequence, chunksize: int) -> Iterator:  # type: ignore[type-arg]
        """``fn`` over ``tasks`` in the pool, in order, with at most a few chunks ahead of the
        one awaited: ``Executor.map`` submits every task at once, so results the build has not
        taken yet (each report's bodies: ~0.5 MB) would pile up in memory when it is slower."""
        assert self.pool is not None
        chunks = (tasks[i:i + chunksize] for i in range(0, len(tasks), chunksize))
        pending = deque(self.pool.submit(_apply, fn, chunk) for chunk in islice(chunks, self.workers * 4))
        while pending:
            done = pending.popleft().result()
            if (chunk := next(chunks, None)) is not None:
                pending.append(self.pool.submit(_apply, fn, chunk))
            yield from done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


#: Allocations between young-generation collections while building (CPython's default: 700).
#: Mapping a report allocates ~10,000 short-lived terms and tuples; at the default, collections
#: that scan the names and facts of every report already read took more time than the mapping.
GC_YOUNG_THRESHOLD = 50_000


def _apply(fn: Callable, chunk: Sequence) -> list:  # type: ignore[type-arg]
    return [fn(task) for task in chunk]


def _start_worker(build_pid: int) -> None:
    """In a worker: collect less often, never scan what was there before the work began, and
    stop when the build's process is gone (killed: nothing else would stop a worker of the
    forkserver, which is not the build's child)."""
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 100)
    gc.freeze()
    threading.Thread(target=_exit_with, args=(build_pid,), name="exit with the build", daemon=True).start()


def _exit_with(build_pid: int, every: float = 0.5) -> None:
    while process_alive(build_pid):
        time.sleep(every)
    os._exit(1)


@contextmanager
def _gc_tuned() -> Iterator[None]:
    """In the caller's process, for the length of a build only."""
    before = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _start_method() -> str:
    """fork where it is safe (no other thread to be copied mid-step): fastest, and works for a
    caller whose main module cannot be imported again (``python -``, notebooks); else forkserver."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "forkserver"


@contextmanager
def _runner(workers: int) -> Iterator[_Runner]:
    r = _Runner(workers)
    try:
        yield r
    finally:
        r.close()


def _read_task(args: tuple[str, str]) -> ReadReport | Failure:
    return read_one(*args)


def remove_stale_scratch(out: Path) -> None:
    """Remove the scratch folders of builds into ``out`` that were killed (their process is gone)."""
    for folder in out.glob(f"{SCRATCH_PREFIX}*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split(".", 1)[0]
        if folder.is_dir() and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def drop_duplicates(reports: Sequence[ReadReport]) -> tuple[list[ReadReport], list[str], list[Failure]]:
    """The reports to build, notes on duplicates and failures for conflicting versions.

    Files are taken in sorted path order. A file with the same content (sha256) as an earlier one
    is a duplicate: built once, with a note. A file with different content but the same report
    identity (area and publication date) as an earlier one is a conflicting version: it is not
    built, and is a failure, so nobody's report is silently merged with another."""
    by_hash: dict[str, ReadReport] = {}
    by_id: dict[str, ReadReport] = {}
    keep: list[ReadReport] = []
    notes: list[str] = []
    failures: list[Failure] = []
    for r in sorted(reports, key=lambda r: r.path):
        first = by_hash.get(r.sha256)
        if first is not None:
            notes.append(f"duplicate: {r.path} has the same content as {first.path}; built once")
            continue
        other = by_id.get(r.rid)
        if other is not None and other.content_digest == r.content_digest:
            # one report as a PDF and as text: build it once, from the PDF (its facts have pages)
            chosen, dropped = (r, other) if r.media_type == PDF_MEDIA_TYPE and other.media_type != PDF_MEDIA_TYPE else (other, r)
            notes.append(f"same report: {dropped.path} says what {chosen.path} says; built once, from {chosen.path}")
            if chosen is r:
                keep[keep.index(other)] = r
                by_id[r.rid] = r
                by_hash[r.sha256] = r
            continue
        if other is not None:
            failures.append(Failure(r.path, f"conflicts with {other.path} (same area and publication date, different content); not built"))
            continue
        by_hash[r.sha256] = r
        by_id[r.rid] = r
        keep.append(r)
    return keep, notes, failures


def build(
    paths: Iterable[str | Path] | None = None,
    out_dir: str | Path = DEFAULT_OUT,
    base: str = DEFAULT_BASE,
    formats: Sequence[str] = ("turtle",),
    progress: Progress | None = None,
    identities: str | Path | Overrides | None = None,
    docs: bool = True,
    views: bool = True,
    validate: bool = True,
    workers: int | None = None,
    cache: bool = True,
    shacl_engine: str = "auto",
) -> BuildResult:
    """Build the knowledge graph of the report files (default: the bundled samples) into
    ``out_dir``. Never raises for a bad report: see ``BuildResult.failures``.

    ``workers``: processes for the per-report work (default: one per core; 1 runs everything
    here). ``cache``: keep per-report results in ``out_dir/.cache`` for the next build.
    ``shacl_engine``: see ``validator.ENGINES``."""
    base = normalise_base(base)
    wanted = [get_format(name) for name in dict.fromkeys([*formats, "nquads"])]
    overrides = identities if isinstance(identities, Overrides) else load_overrides(identities)
    engine = engine_name(shacl_engine) if validate else None
    walked: frozenset[str] = frozenset()  # files found in folders: one that is not a report is skipped
    given = list(paths) if paths is not None else []
    if paths is None:
        files, found_failures, found_notes = sample_paths(), [], []
    else:
        found = find_reports(given)
        files, walked = found.files, found.walked
        found_failures = [Failure(e.path, e.problem) for e in found.problems]
        found_notes = found.notes()
    out = Path(out_dir)
    if not files:  # nothing to read: write nothing, so the last build's output stays as it was
        return BuildResult(out, {}, {}, found_failures, [], None, Identities([], {}, []), notes=[
            *found_notes, f"nothing written: no report to build; {out}/ left as it was"])
    out.mkdir(parents=True, exist_ok=True)
    for folder in (out, out / "views"):  # what a killed build left behind
        remove_stale_temp_files(folder)
    workers = workers or os.cpu_count() or 1

    remove_stale_scratch(out)
    with (tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}.", dir=out) if not cache else nullcontext(None) as scratch,
          _runner(workers) as runner, _gc_tuned()):
        store = BuildCache(out / CACHE_FOLDER if scratch is None else Path(scratch))
        for folder in store.folder.glob("*"):
            if folder.is_dir():
                remove_stale_temp_files(folder)
        before = load_manifest(store.folder) if cache else None
        after = Manifest()
        read, failures = _read_all(runner, store, files, progress, before, after)
        skipped = [f.path for f in failures if f.not_a_report and f.path in walked]
        failures = [f for f in failures if not (f.not_a_report and f.path in walked)]
        kept, notes, conflicts = drop_duplicates(read)
        failures[:0] = found_failures
        failures.extend(conflicts)
        notes[:0] = [*found_notes, *(n for n in (skipped_note(skipped),) if n)]
        if not kept:  # every file failed: write nothing over the last build's output
            return BuildResult(out, {}, {}, failures, [], None, Identities([], {}, []),
                               notes=[*notes, f"nothing written: no report could be read; {out}/ left as it was"])
        ordered = sorted(kept, key=lambda r: (r.rid, r.sha256, r.path))
        ids_key, ids = _identities(store, ordered, overrides, before, after)
        warnings = [w for r in ordered for w in r.post_warnings] + ids.warnings
        warnings.extend(f"{r.path}: {w}" for r in ordered for w in r.warnings)
        honorifics = person_honorifics((r.honorifics for r in ordered), ids)
        area_codes = AreaCodes(overrides.area_codes, overrides.source)
        mapped, head_key, head, spans = _map_and_write(runner, store, ordered, (ids_key, ids), honorifics, area_codes,
                                                       base, wanted, out, failures, progress, before, after)
        warnings.extend(head.warnings)  # areas without an ONS code, unused [gss] entries
        result = BuildResult(out, _counts(head, mapped, ids), {r.path: r.rid for r in ordered}, failures,
                             warnings, None, ids, notes=notes)
        read_from = {r.sha256: r.path for r in ordered}  # where the views' links to a PDF's pages lead
        result.files.extend(out / f"{GRAPH_STEM}{fmt.suffix}" for fmt in wanted)
        if validate:
            result.validation = _validate(runner, store, mapped, out / QUADS_FILE, spans, head_key, base, progress,
                                          engine or "pyshacl")
    if docs:
        page, note = write_ontology_docs(out / ONTOLOGY_DOCS)
        if page is not None:
            result.files.append(page)
        if note:
            result.notes.append(note)
    if views:
        from ..network.views import write_views
        from ..query.querystore import open_query_store

        # The views are drawn from the query store the query commands read (built here from the
        # N-Quads unless it is fresh already, so the first query needs no load): its size is not
        # bounded by memory, and the views cut what they show, saying so, as ``views`` describes.
        graph_store = open_query_store(out / QUADS_FILE)
        result.files.extend(write_views(graph_store, out / "views", read_from))
        # the comparison page (areas against themes), its counts answered from the store's kept answers
        from ..network.compare import write_compare
        from ..query.querystore import default_store_dir, open_precomputed

        result.files.append(write_compare(graph_store, out / "views", read_from,
                                          open_precomputed(default_store_dir(out / QUADS_FILE))))
        del graph_store
    if cache:
        store.prune(before.used if before is not None else None)
        after.used = frozenset(store.used)
        save_manifest(store.folder, after)
    if removed := remove_other_outputs(out, result.files):
        result.notes.append(f"removed {', '.join(str(p) for p in removed)} left from an earlier build")
    record_inputs(out, None if paths is None else [Path(p) for p in given])
    return result


#: What the last build of an output folder was built from (``record_inputs``), so that a build
#: with no paths rebuilds that, not the bundled samples.
BUILD_RECORD = ".sqsgraph-build.json"


def record_inputs(out: Path, paths: Sequence[Path] | None) -> Path:
    """Write into ``out`` the paths the build was given, as given and resolved (``None``: the
    bundled samples), atomically."""
    from ..rdf.export import write_atomic

    inputs: object = "bundled samples" if paths is None else [
        {"given": str(p), "resolved": str(p.resolve())} for p in paths]
    data = json.dumps({"built_from": inputs}, indent=1, ensure_ascii=False) + "\n"
    return write_atomic(out / BUILD_RECORD, data.encode("utf-8"))


@dataclass(frozen=True)
class LastInputs:
    """What the last build of a folder was built from: ``paths`` (``None``: the bundled samples),
    and how to name them in a note."""

    paths: list[Path] | None
    shown: str


def last_inputs(out: Path) -> LastInputs | None:
    """What the last build into ``out`` was built from, or ``None`` when ``out`` holds no build.
    A path given relative to another folder than this one's is taken resolved. Raises
    ``BuildError`` when the record cannot be read, names paths no longer there, or is missing
    from a folder that holds a build (made by an sqsgraph that did not record it): building the
    samples over it would lose it."""
    record = out / BUILD_RECORD
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if (out / QUADS_FILE).exists():
            raise BuildError(f"no reports named, and {out}/ holds a build that does not say what it was built from "
                             f"(no {BUILD_RECORD}: an older sqsgraph made it); name the reports to build into it, or "
                             f"remove {out}/ to build the bundled samples") from None
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BuildError(f"no reports named, and {record}, which says what {out}/ was built from, cannot be read "
                         f"({exc}); name the reports to build") from exc
    inputs = data.get("built_from") if isinstance(data, dict) else None
    if inputs == "bundled samples":
        return LastInputs(None, "the bundled samples")
    if not (isinstance(inputs, list) and inputs and all(
            isinstance(i, dict) and isinstance(i.get("given"), str) and isinstance(i.get("resolved"), str) for i in inputs)):
        raise BuildError(f"no reports named, and {record}, which says what {out}/ was built from, is not as sqsgraph "
                         "writes it; name the reports to build")
    paths: list[Path] = []
    missing: list[str] = []
    for i in inputs:
        given, resolved = Path(i["given"]), Path(i["resolved"])
        path = given if given.exists() and given.resolve() == resolved else resolved
        if not (path.exists() or path.is_symlink()):
            missing.append(i["given"])
        paths.append(path)
    if missing:
        raise BuildError(f"no reports named, and {out}/ was last built from {', '.join(missing)}, which "
                         f"{'is' if len(missing) == 1 else 'are'} no longer there; name the reports to build")
    return LastInputs(paths, ", ".join(f"{p}/" if p.is_dir() else str(p) for p in paths))


def own_outputs(out: Path) -> list[Path]:
    """Every file a build may write into ``out``: the graph in each format, ``ontology.html``,
    and the views it draws (not those `sqsgraph view` writes, such as focus views)."""
    from ..network.compare import FILE_NAME as COMPARE_FILE
    from ..network.views import DEFAULT_VIEWS

    return [*(out / f"{GRAPH_STEM}{fmt.suffix}" for fmt in FORMATS.values()), out / ONTOLOGY_DOCS,
            *(out / "views" / f"{kind}.html" for kind in DEFAULT_VIEWS), out / "views" / COMPARE_FILE]


def remove_other_outputs(out: Path, written: Iterable[Path]) -> list[Path]:
    """Remove the files of ``own_outputs`` that this build did not write (``written``), so that
    every output file in the folder is its last build's: an earlier build's ``sqsgraph.trig``
    beside this one's ``sqsgraph.ttl`` would hold other reports. Other files are left alone."""
    keep = {os.path.normpath(p) for p in written}
    removed = []
    for path in own_outputs(out):
        if os.path.normpath(path) not in keep and (path.is_file() or path.is_symlink()):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            removed.append(path)
    return removed


def _read_all(runner: _Runner, store: BuildCache, files: Sequence[Path], progress: Progress | None,
              before: Manifest | None, after: Manifest) -> tuple[list[ReadReport], list[Failure]]:
    """Read and parse the files that may have changed since the last build (all, without a
    manifest); take the others from the manifest."""
    outcomes: list[ReadReport | Failure | None] = []
    stamps: list[FileStamp | None] = []
    tasks: list[tuple[str, str]] = []
    for p in files:
        stamp = FileStamp.of(p)  # before reading: a change made meanwhile shows next time
        known = before.read_of(str(p), stamp) if before is not None else None
        if known is not None and not all(store.has(known.parse_key, x) for x in (".pickle", ".read.pickle", FACTS_SUFFIX)):
            known = None
        outcomes.append(known)
        stamps.append(stamp)
        if known is None:
            tasks.append((str(p), str(store.folder)))
    fresh = iter(runner.map(_read_task, tasks, "reading", progress))
    read: list[ReadReport] = []
    failures: list[Failure] = []
    for p, stamp, outcome in zip(files, stamps, outcomes):
        if outcome is None:
            outcome = next(fresh)
        if isinstance(outcome, Failure):
            failures.append(outcome)
            continue
        for suffix in (".pickle", ".read.pickle", FACTS_SUFFIX):  # used by this build: kept by prune
            store.use(outcome.parse_key, suffix)
        if stamp is not None:
            after.reads[str(p)] = (stamp, outcome.slim() if outcome.mentions else outcome)  # slim: from the manifest
        read.append(outcome)
    return read, failures


def _identities(store: BuildCache, ordered: Sequence[ReadReport], overrides: Overrides, before: Manifest | None,
                after: Manifest) -> tuple[str, Identities]:
    """The identity decisions and the key of what they were made from (the mentions and the
    overrides); last build's when those are the same. Kept in a cache entry of their own
    (~20 MB at 10,000 reports), written only when they change, not in the manifest."""
    key = cache_key("identities", overrides.identity_key, *(r.mentions_digest for r in ordered))
    ids = store.load(key, IDENTITIES_SUFFIX) if before is not None and before.identities == key else None
    if not isinstance(ids, Identities):
        ids = resolve_identities([m for r in ordered for m in _mentions(store, r)], overrides)
        store.store(key, ids, IDENTITIES_SUFFIX)
    after.identities = key
    return key, ids


def _mentions(store: BuildCache, r: ReadReport) -> tuple[Mention, ...]:
    if len(r.mentions) == r.mention_count:
        return r.mentions
    whole = store.load(r.parse_key, ".read.pickle")  # a slim record from the manifest
    if not (isinstance(whole, ReadReport) and len(whole.mentions) == r.mention_count):
        raise BuildError(f"the cache {store.folder} lost the names read from {r.path}; build again with --no-cache")
    return whole.mentions


def _map_and_write(runner: _Runner, store: BuildCache, ordered: Sequence[ReadReport], identities: tuple[str, Identities],
                   honorifics: dict[str, set[str]], area_codes: AreaCodes, base: str, formats: Sequence[Format], out: Path,
                   failures: list[Failure], progress: Progress | None, before: Manifest | None,
                   after: Manifest) -> tuple[list[MappedReport], str, Head, dict[str, Span]]:
    """Map the reports and write the output files: each report's body in its place as it comes
    from the workers, then the head (which depends on every report). A report mapped by the last
    build with the same inputs is not mapped again: its bodies are copied out of the files that
    build wrote (the manifest says where), if they are untouched. A report that cannot be written
    as RDF joins ``failures``. Returns the mapped reports, the head, and where each report's body
    is in the N-Quads file (for validation)."""
    targets = {fmt.name: out / f"{GRAPH_STEM}{fmt.suffix}" for fmt in formats}
    old = {name: before.bodies_in(target) if before is not None else None for name, target in targets.items()}
    plan, tasks = _map_plan(store, ordered, identities[1], base, formats, before, old)
    # The head depends on every report but not on how they are mapped: a worker makes it while
    # the others map (on one core after them it took a sixth of a cold build), or, in a rebuild,
    # while this process copies the unchanged reports' bodies
    head_key, head_job = _start_head(runner, store, ordered, identities, honorifics, area_codes, base, formats,
                                     background=runner.in_pool(len(ordered)))
    fresh = iter(runner.map(map_one, tasks, "mapping", progress))

    def reports() -> Iterator[tuple[MappedReport, dict[str, bytes] | None]]:
        for known in plan:
            outcome = (known, None) if known is not None else next(fresh)
            if isinstance(outcome, Failure):
                failures.append(outcome)
            else:
                yield outcome

    writing = list(formats)
    mapped: list[MappedReport] = []
    head: tuple[str, Head] | None = None
    if not tasks:  # the head is known first: leave the files that would be written the same
        mapped = [m for m in plan if m is not None]
        head = (head_key, _head_of(head_job))
        writing = [fmt for fmt in formats
                   if not (before is not None and before.output_is(targets[fmt.name], _holds(fmt, head[0], mapped)))]
    spans: dict[str, dict[str, Span]] = {fmt.name: {} for fmt in writing}
    writers: dict[str, DocumentWriter] = {}
    sources: dict[str, int] = {}
    try:
        for fmt in writing:
            writers[fmt.name] = DocumentWriter(targets[fmt.name], fmt)
            if old[fmt.name] is not None:
                sources[fmt.name] = os.open(targets[fmt.name], os.O_RDONLY)
        for m, data in (((m, None) for m in mapped) if head is not None else reports()):
            if head is None:
                mapped.append(m)
            for fmt in writing:
                where = spans[fmt.name]
                if data is None:
                    where[m.map_key] = writers[fmt.name].copy(sources[fmt.name], old[fmt.name][m.map_key])  # type: ignore[index]
                else:
                    where[m.map_key] = writers[fmt.name].add(data[fmt.suffix])
        if head is None:
            head = _settle_head(runner, head_key, head_job, store, ordered, mapped, identities, honorifics, area_codes,
                                base, formats)
        for fmt in writing:
            writers[fmt.name].add_file(store.path(head[0], fmt.suffix))
        # The last build's files are closed before the new ones take their place: the last close
        # of a file already deleted frees its blocks (~1 s a GB), which the child of
        # ``export._discard`` should do, not this process.
        for name in list(sources):
            writers[name].flush()
            os.close(sources.pop(name))
        for fmt in writing:
            writers.pop(fmt.name).commit()
    finally:
        for writer in writers.values():
            writer.abort()
        for fd in sources.values():
            os.close(fd)
    for m in mapped:
        after.mapped[m.map_key] = m
        store.use(m.map_key, REFERS_SUFFIX)
    for fmt in formats:
        target = targets[fmt.name]
        where = spans.get(fmt.name, old[fmt.name])
        if (stamp := FileStamp.of(target)) is not None and where is not None:
            after.outputs[target.name] = (_holds(fmt, head[0], mapped), stamp, where)
    quads = spans.get("nquads", old["nquads"])
    assert quads is not None  # N-Quads are always written, and left only when their spans are known
    return mapped, head[0], head[1], quads


def _map_plan(store: BuildCache, ordered: Sequence[ReadReport], ids: Identities, base: str, formats: Sequence[Format],
              before: Manifest | None, old: dict[str, dict[str, Span] | None]) -> tuple[list[MappedReport | None], list[tuple]]:  # type: ignore[type-arg]
    """For each report, what the last build made of it if that can be used again (same inputs,
    its contribution still cached, its bodies in every old output file ``old`` describes), else
    None; and the ``map_one`` tasks of the others."""
    plan: list[MappedReport | None] = []
    tasks = []
    offset = 0
    for r in ordered:
        slugs = tuple(ids.person_of[offset + i] for i in range(r.mention_count))
        offset += r.mention_count
        key = cache_key("map", r.parse_key, r.rid, base, "\n".join(slugs))
        known = before.mapped.get(key) if before is not None else None
        if known is not None and not (store.has(key, REFERS_SUFFIX) and all(o is not None and key in o for o in old.values())):
            known = None
        plan.append(known)
        if known is None:
            tasks.append((r.path, str(store.folder), r.parse_key, key, r.rid, slugs, base, tuple(f.name for f in formats)))
    return plan, tasks


def _holds(fmt: Format, head_key: str, mapped: Sequence[MappedReport]) -> str:
    """What an output file is made of, as a digest."""
    return _digest(fmt.name, head_key, *(m.map_key for m in mapped))


#: A report's part of the head: (report id, parse key, its first mention's place among all, mentions)
HeadPart = tuple[str, str, int, int]


HEAD_SUFFIXES = (".pickle", ".head.nt")  # besides the bodies: the figures, and the sorted statements for validation


def _head_parts(ordered: Sequence[ReadReport]) -> list[HeadPart]:
    parts: list[HeadPart] = []
    offset = 0
    for r in ordered:
        parts.append((r.rid, r.parse_key, offset, r.mention_count))
        offset += r.mention_count
    return parts


def _head_key(reports: Iterable[ReadReport], ids_key: str, honorifics: dict[str, set[str]], area_codes: AreaCodes,
              base: str) -> str:
    """The head depends only on the identities, the areas' codes (the ONS lookup, the bundled
    table and the identities file's ``[gss]``) and what each report adds to it, so a rebuild
    after an edit that changed no one's name or post takes it from the cache."""
    return cache_key("head", base, ids_key, area_codes.key, _digest(sorted((k, sorted(v)) for k, v in honorifics.items())),
                     *(r.shared_digest for r in reports))


def _start_head(runner: _Runner, store: BuildCache, ordered: Sequence[ReadReport], identities: tuple[str, Identities],
                honorifics: dict[str, set[str]], area_codes: AreaCodes, base: str, formats: Sequence[Format], background: bool,
                keep: set[str] | None = None) -> tuple[str, Future]:  # type: ignore[type-arg]
    """The key of the head of the documents of ``ordered`` (those of ``keep`` only, by report
    id) and its figures to come: from the cache, else made by ``head_one`` in a worker
    (``background``) or here."""
    ids_key, ids = identities
    parts = [p for p in _head_parts(ordered) if keep is None or p[0] in keep]
    key = _head_key((r for r in ordered if keep is None or r.rid in keep), ids_key, honorifics, area_codes, base)
    suffixes = {*(f.suffix for f in formats), FORMATS["nquads"].suffix, *HEAD_SUFFIXES}
    for suffix in suffixes:
        store.use(key, suffix)  # made by a worker, whose cache object is not this one
    head = store.load(key)
    if isinstance(head, Head) and all(store.has(key, x) for x in suffixes):
        done: Future = Future()  # type: ignore[type-arg]
        done.set_result(head)
        return key, done
    task = (str(store.folder), key, ids_key, None if background else ids, tuple(parts), honorifics,
            (area_codes.overrides_given, area_codes.source), base, tuple(f.name for f in formats))
    return key, runner.submit(head_one, task, background)


def _head_of(job: Future) -> Head:  # type: ignore[type-arg]
    try:
        return job.result()  # type: ignore[no-any-return]
    except BrokenProcessPool as exc:
        raise BuildError("a worker process died while making the shared part of the graph (out of memory?); "
                         "the output is as before; try again with fewer --workers") from exc


def _settle_head(runner: _Runner, key: str, job: Future, store: BuildCache, ordered: Sequence[ReadReport],  # type: ignore[type-arg]
                 mapped: Sequence[MappedReport], identities: tuple[str, Identities], honorifics: dict[str, set[str]],
                 area_codes: AreaCodes, base: str, formats: Sequence[Format]) -> tuple[str, Head]:
    """The head made meanwhile; made again here without the reports that could not be written
    as RDF (rare), whose organisations, posts and holdings it must not state."""
    head = _head_of(job)
    if len(mapped) == len(ordered):
        return key, head
    again_key, again = _start_head(runner, store, ordered, identities, honorifics, area_codes, base, formats,
                                   background=False, keep={m.rid for m in mapped})
    return again_key, _head_of(again)


#: the identities file's ``[gss]`` entries and the file's name, as ``AreaCodes`` takes them
AreaOverrides = tuple[tuple[tuple[str, tuple[str, ...]], ...], str | None]


def head_one(task: tuple[str, str, str, Identities | None, tuple[HeadPart, ...], dict[str, set[str]], AreaOverrides, str,
                         tuple[str, ...]]) -> Head:
    """Make the head of the documents (see ``_write_head``) into the cache; its figures. The
    identity decisions are read from the cache when not given (in a worker)."""
    folder, key, ids_key, ids, parts, honorifics, area_overrides, base, format_names = task
    store = BuildCache(folder)
    if ids is None:
        ids = store.load(ids_key, IDENTITIES_SUFFIX)  # type: ignore[assignment]
        if not isinstance(ids, Identities):
            raise BuildError(f"the cache {folder} lost the identity decisions while the build ran; build again")
    return _write_head(store, key, parts, ids, honorifics, AreaCodes(*area_overrides), base,
                       [FORMATS[name] for name in format_names])


def _write_head(store: BuildCache, key: str, parts: Sequence[HeadPart], ids: Identities,
                honorifics: dict[str, set[str]], area_codes: AreaCodes, base: str, formats: Sequence[Format]) -> Head:
    """The head of every document: the shared and ontology graphs, and for triples formats the
    statements reports make about shared nodes (who holds which post), each once. Made from the
    merged facts of every report and kept in the cache under ``key``: its bodies, and its
    statements as sorted N-Triples (``.head.nt``) for validation."""
    facts = SharedFacts()
    held: dict[tuple[str, str, str], None] = {}  # (person, post, organisation), in the order first attested
    for rid, parse_key, first, _ in parts:
        part = _contribution(store, rid, parse_key)
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
    nq = write_statements(store.path(key, FORMATS["nquads"].suffix),  # the N-Quads body, and the others' source
                          [(shared, shared_graph_iri(base)), (ontology, ontology_graph_iri(base))])
    lines = set(shared)
    del shared
    lines.update(ontology)
    lines.update(about)
    del about

    organisation, post = f" <{RDF.type}> <{ORG.Organization}>", f" <{RDF.type}> <{ORG.Post}>"
    figures = (len(lines), sum(1 for x in lines if x.endswith(organisation)), sum(1 for x in lines if x.endswith(post)))
    ordered = sorted(lines)
    del lines
    nt = write_statements(store.path(key, ".head.nt"), [(ordered, None)])
    del ordered
    for fmt in formats:
        if fmt.name != "nquads":
            store.write_bytes(key, fmt.suffix, bodies(nq, nt, [fmt])[fmt.suffix])
    head = Head(*figures, warnings=coded.warnings)
    store.store(key, head)
    return head


def _contribution(store: BuildCache, rid: str, parse_key: str) -> Contribution:
    part = store.load(parse_key, FACTS_SUFFIX)
    if not isinstance(part, Contribution):
        raise BuildError(f"the cache {store.folder} lost what report {rid} adds to the shared graph; build again with --no-cache")
    return part


def _refers_to(store: BuildCache, m: MappedReport) -> tuple[str, ...]:
    refers = store.load(m.map_key, REFERS_SUFFIX)
    if not isinstance(refers, tuple):
        raise BuildError(f"the cache {store.folder} lost which shared nodes report {m.rid} refers to; build again with --no-cache")
    return refers


def _counts(head: Head, mapped: Sequence[MappedReport], ids: Identities) -> dict[str, int]:
    """The figures a reader cares about. Statements about a report's own nodes are made by that
    report alone, so distinct triples are those plus the distinct ones of the head."""
    return {
        "triples": head.statements + sum(m.triples for m in mapped),
        "people": len(ids.persons),
        "organisations": head.organisations,
        "posts": head.posts,
        "findings": sum(m.findings for m in mapped),
        "strengths": sum(m.strengths for m in mapped),
        "improvements": sum(m.improvements for m in mapped),
        "candidate_matches": len(ids.candidates),
    }


#: Reports validated together: one engine run per batch (the turbo engine's start costs about as
#: much as checking a report; a batch of 50 is ~70,000 statements, ~100 MB in the engine).
VALIDATE_BATCH = 50


def _batches(count: int, workers: int) -> list[range]:
    """Consecutive runs of reports (in the build's order, so that an edit to one report changes
    one batch's cache key): at most ``VALIDATE_BATCH``, and small enough to keep every worker busy."""
    size = max(1, min(VALIDATE_BATCH, count // (max(1, workers) * 4)))
    return [range(i, min(count, i + size)) for i in range(0, count, size)]


def _validate(runner: _Runner, store: BuildCache, mapped: Sequence[MappedReport], quads: Path, spans: dict[str, Span],
              head_key: str, base: str, progress: Progress | None, engine: str) -> ValidationReport:
    """The reports in batches (their bodies at ``spans[map key]`` in the N-Quads output
    ``quads``) with the head's statements about what they refer to; and the head alone,
    meanwhile, in a worker. A batch's result depends on its reports' map keys and the head, so
    these key it in the cache: a rebuild after one report changed validates one batch again."""
    shared_key = cache_key("validate-head", engine, head_key)
    head_job = runner.submit(validate_head, (str(store.folder), head_key, shared_key, base, engine),
                             background=runner.workers > 1 and not store.has(shared_key, ".pickle"))
    index: dict[str, list[str]] | None = None
    tasks = []
    batches = _batches(len(mapped), runner.workers)
    for batch in batches:
        members = [mapped[i] for i in batch]
        key = cache_key("validate-batch", engine, head_key, *(m.map_key for m in members))
        batch_spans = tuple(spans[m.map_key] for m in members)
        if store.has(key, ".pickle"):
            tasks.append((str(store.folder), str(quads), batch_spans, key, b"", (), base, engine))
            continue
        if index is None:
            index = _head_index(store.path(head_key, ".head.nt"))
        # the shared nodes they refer to, and the classes of the nodes those refer to (shapes
        # check the class of a value: a unit's parent body, a post's organisation)
        refers_to = {f"<{iri}>" for m in members for iri in _refers_to(store, m)}
        context = [line for iri in sorted(refers_to) for line in index.get(iri, ())]
        objects = {o for line in context if (o := line.split(" ", 2)[2]).startswith("<")}
        partial = sorted(objects - refers_to)
        context.extend(line for o in partial for line in index.get(o, ()) if line.split(" ", 2)[1] == f"<{RDF.type}>")
        tasks.append((str(store.folder), str(quads), batch_spans, key, ntriples_bytes(context),
                      tuple(o[1:-1] for o in partial), base, engine))
    problems: list[Problem] = []
    triples = 0
    done = 0
    for (found, checked), batch in zip(runner.map(validate_one, tasks, "validating", None, pool=True), batches):
        problems.extend(found)
        triples += checked
        if progress is not None:  # counted in reports, as the other stages are
            for _ in batch:
                done += 1
                progress("validating", done, len(mapped))
    try:
        found, checked = head_job.result()
    except BrokenProcessPool as exc:
        raise BuildError("a worker process died while validating the shared part of the graph (out of memory?); "
                         "try again with fewer --workers") from exc
    problems.extend(found)
    triples += checked
    problems = sorted(set(problems), key=lambda p: (p.severity != "Violation", p.focus, p.path or "", p.message))
    return ValidationReport(not any(p.severity == "Violation" for p in problems), tuple(problems), triples)


def _head_index(path: Path) -> dict[str, list[str]]:
    """The head's statements by subject (``<iri>`` -> N-Triples lines without the `` .``)."""
    index: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line[:-3]  # " .\n"
            index.setdefault(line[: line.index(" ")], []).append(line)
    return index


def write_ontology_docs(target: Path) -> tuple[Path | None, str | None]:
    """``ontology.html`` by pyLODE from ``ontology/sqs.ttl``; (None, why) when pyLODE cannot run."""
    try:
        from pylode import OntPub
    except (ImportError, OSError) as exc:  # pyLODE 3.4 fails on import when installed from a wheel
        return None, f"ontology docs skipped: pyLODE cannot be loaded ({type(exc).__name__}: {exc}); install a working pyLODE with pip install 'pylode<3.4'"
    from ..rdf.export import write_atomic

    try:
        html = OntPub(ontology=str(ontology_path("sqs.ttl"))).make_html()
    except (ValueError, KeyError, TypeError, OSError) as exc:
        return None, f"ontology docs skipped: pyLODE failed on ontology/sqs.ttl ({type(exc).__name__}: {exc})"
    return write_atomic(target, html.encode("utf-8")), None


__all__ = [
    "BUILD_RECORD",
    "BuildResult",
    "Failure",
    "GRAPH_STEM",
    "MappedReport",
    "QUADS_FILE",
    "ReadReport",
    "build",
    "drop_duplicates",
    "head_one",
    "last_inputs",
    "map_one",
    "read_one",
    "record_inputs",
    "validate_head",
    "validate_one",
    "write_ontology_docs",
]
