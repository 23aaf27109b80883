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
every report; see ``files.DocumentWriter``). The head depends on what each report says, known
once it is parsed, and on the identities, not on the mapping: a worker makes it while the others
map. The output files are also where the bodies are kept for the next build, which copies those
of unchanged reports out of them (the manifest says where) rather than from a second copy in the
cache: a cold build writes each body once. Peak memory is the names and shared facts of all
reports plus a few reports per worker.

A report that cannot be read or parsed is recorded in ``BuildResult.failures`` (``path: problem``)
and the others are still built. Duplicate files (same content) are built once, with a note; a
different file with the same report identity (area and publication date) as one earlier in sorted
order is a conflicting version: not built, and a failure (see ``drop_duplicates``). Temporary files
left by a killed build are removed (see ``files.remove_stale_temp_files``). Files written into ``out_dir``:

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

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from rdflib.namespace import RDF

from ..errors import BuildError
from ..files import ByteSpan, DocumentWriter, remove_stale_temp_files
from ..outputs import DEFAULT_OUT, GRAPH_STEM, ONTOLOGY_DOCS, QUADS_FILE, views_dir
from ..rdf.areacodes import AreaCodes
from ..rdf.export import (
    document_writer,
    ntriples_bytes,
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
    person_honorifics,
)
from ..rdf.validator import Problem, ValidationReport, engine_name
from ..rdf.vocab import DEFAULT_BASE, normalise_base
from ..read.model import PDF_MEDIA_TYPE
from ..read.reader import find_reports, sample_paths, skipped_note
from .cache import CACHE_FOLDER, BuildCache, cache_key
from .folder import SCRATCH_PREFIX, record_inputs, remove_other_outputs, remove_stale_scratch, write_ontology_docs
from .manifest import FileStamp, Manifest, load_manifest, save_manifest
from .records import (
    BuildResult,
    Failure,
    Head,
    HeadPart,
    MappedReport,
    Progress,
    ReadReport,
)
from .runner import Background, Job, Runner, gc_tuned, open_background, open_runner, will_use_pool
from .tasks import (
    FACTS_SUFFIX,
    HEAD_SUFFIXES,
    IDENTITIES_SUFFIX,
    REFERS_SUFFIX,
    HeadTask,
    MapTask,
    ReadTask,
    ValidateHeadTask,
    ValidateTask,
    digest_of,
    head_one,
    map_one,
    read_task,
    validate_head,
    validate_one,
)


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
            failures.append(
                Failure(r.path, f"conflicts with {other.path} (same area and publication date, different content); not built")
            )
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
        return BuildResult(
            out,
            {},
            {},
            found_failures,
            [],
            None,
            Identities([], {}, []),
            notes=[*found_notes, f"nothing written: no report to build; {out}/ left as it was"],
        )
    out.mkdir(parents=True, exist_ok=True)
    for folder in (out, views_dir(out)):  # what a killed build left behind
        remove_stale_temp_files(folder)
    workers = workers or os.cpu_count() or 1

    remove_stale_scratch(out)
    with (
        tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}.", dir=out)
        if not cache
        else nullcontext(None) as scratch,
        open_background(views and will_use_pool(workers, len(files))) as background,
        open_runner(workers) as runner,
        gc_tuned(),
    ):
        build_cache = BuildCache(out / CACHE_FOLDER if scratch is None else Path(scratch))
        for folder in build_cache.folder.glob("*"):
            if folder.is_dir():
                remove_stale_temp_files(folder)
        before = load_manifest(build_cache.folder) if cache else None
        after = Manifest()
        read, failures = _read_all(runner, build_cache, files, progress, before, after)
        skipped = [f.path for f in failures if f.not_a_report and f.path in walked]
        failures = [f for f in failures if not (f.not_a_report and f.path in walked)]
        kept, notes, conflicts = drop_duplicates(read)
        failures[:0] = found_failures
        failures.extend(conflicts)
        notes[:0] = [*found_notes, *(n for n in (skipped_note(skipped),) if n)]
        if not kept:  # every file failed: write nothing over the last build's output
            return BuildResult(
                out,
                {},
                {},
                failures,
                [],
                None,
                Identities([], {}, []),
                notes=[*notes, f"nothing written: no report could be read; {out}/ left as it was"],
            )
        ordered = sorted(kept, key=lambda r: (r.rid, r.sha256, r.path))
        ids_key, ids = _identities(build_cache, ordered, overrides, before, after)
        warnings = [w for r in ordered for w in r.post_warnings] + ids.warnings
        warnings.extend(f"{r.path}: {w}" for r in ordered for w in r.warnings)
        honorifics = person_honorifics((r.honorifics for r in ordered), ids)
        area_codes = AreaCodes(overrides.area_codes, overrides.source)
        mapped, head_key, head, spans = _map_and_write(
            runner,
            build_cache,
            ordered,
            (ids_key, ids),
            honorifics,
            area_codes,
            base,
            wanted,
            out,
            failures,
            progress,
            before,
            after,
        )
        warnings.extend(head.warnings)  # areas without an ONS code, unused [gss] entries
        result = BuildResult(
            out, _counts(head, mapped, ids), {r.path: r.rid for r in ordered}, failures, warnings, None, ids, notes=notes
        )
        read_from = {r.sha256: r.path for r in ordered}  # where the views' links to a PDF's pages lead
        result.files.extend(out / f"{GRAPH_STEM}{fmt.suffix}" for fmt in wanted)
        # The query store loads in a process of its own while the reports are validated, and
        # its precomputed answers are made there while the views are drawn from it.
        store_job = _start_query_store(background, out / QUADS_FILE) if views else None
        if validate:
            result.validation = _validate(
                runner, build_cache, mapped, out / QUADS_FILE, spans, head_key, base, progress, engine or "pyshacl"
            )
        runner.close()  # the workers' memory back before the views are drawn, and the reports' own
        del read, kept, ordered, mapped, head, spans
        if docs:
            page, note = write_ontology_docs(out / ONTOLOGY_DOCS)
            if page is not None:
                result.files.append(page)
            if note:
                result.notes.append(note)
        if store_job is not None:
            result.files.extend(_draw_views(store_job, out, read_from, progress))
    if cache:
        build_cache.prune(before.used if before is not None else None)
        after.used = frozenset(build_cache.used)
        save_manifest(build_cache.folder, after)
    if removed := remove_other_outputs(out, result.files):
        result.notes.append(f"removed {', '.join(str(p) for p in removed)} left from an earlier build")
    record_inputs(out, None if paths is None else [Path(p) for p in given])
    return result


def _read_all(
    runner: Runner,
    build_cache: BuildCache,
    files: Sequence[Path],
    progress: Progress | None,
    before: Manifest | None,
    after: Manifest,
) -> tuple[list[ReadReport], list[Failure]]:
    """Read and parse the files that may have changed since the last build (all, without a
    manifest); take the others from the manifest."""
    outcomes: list[ReadReport | Failure | None] = []
    stamps: list[FileStamp | None] = []
    tasks: list[ReadTask] = []
    for p in files:
        stamp = FileStamp.of(p)  # before reading: a change made meanwhile shows next time
        known = before.read_of(str(p), stamp) if before is not None else None
        if known is not None and not all(build_cache.has(known.parse_key, x) for x in (".pickle", ".read.pickle", FACTS_SUFFIX)):
            known = None
        outcomes.append(known)
        stamps.append(stamp)
        if known is None:
            tasks.append(ReadTask(str(p), str(build_cache.folder)))
    fresh = iter(runner.map(read_task, tasks, "reading", progress))
    read: list[ReadReport] = []
    failures: list[Failure] = []
    for p, stamp, outcome in zip(files, stamps, outcomes, strict=True):
        if outcome is None:
            outcome = next(fresh)
        if isinstance(outcome, Failure):
            failures.append(outcome)
            continue
        for suffix in (".pickle", ".read.pickle", FACTS_SUFFIX):  # used by this build: kept by prune
            build_cache.use(outcome.parse_key, suffix)
        if stamp is not None:
            after.reads[str(p)] = (stamp, outcome.slim() if outcome.mentions else outcome)  # slim: from the manifest
        read.append(outcome)
    return read, failures


def _identities(
    build_cache: BuildCache, ordered: Sequence[ReadReport], overrides: Overrides, before: Manifest | None, after: Manifest
) -> tuple[str, Identities]:
    """The identity decisions and the key of what they were made from (the mentions and the
    overrides); last build's when those are the same. Kept in a cache entry of their own
    (~20 MB at 10,000 reports), written only when they change, not in the manifest."""
    key = cache_key("identities", overrides.identity_key, *(r.mentions_digest for r in ordered))
    ids = build_cache.load(key, IDENTITIES_SUFFIX) if before is not None and before.identities == key else None
    if not isinstance(ids, Identities):
        ids = resolve_identities([m for r in ordered for m in _mentions(build_cache, r)], overrides)
        build_cache.store(key, ids, IDENTITIES_SUFFIX)
    after.identities = key
    return key, ids


def _mentions(build_cache: BuildCache, r: ReadReport) -> tuple[Mention, ...]:
    if len(r.mentions) == r.mention_count:
        return r.mentions
    whole = build_cache.load(r.parse_key, ".read.pickle")  # a slim record from the manifest
    if not (isinstance(whole, ReadReport) and len(whole.mentions) == r.mention_count):
        raise BuildError(f"the cache {build_cache.folder} lost the names read from {r.path}; build again with --no-cache")
    return whole.mentions


def _map_and_write(
    runner: Runner,
    build_cache: BuildCache,
    ordered: Sequence[ReadReport],
    identities: tuple[str, Identities],
    honorifics: dict[str, set[str]],
    area_codes: AreaCodes,
    base: str,
    formats: Sequence[Format],
    out: Path,
    failures: list[Failure],
    progress: Progress | None,
    before: Manifest | None,
    after: Manifest,
) -> tuple[list[MappedReport], str, Head, dict[str, ByteSpan]]:
    """Map the reports and write the output files: each report's body in its place as it comes
    from the workers, then the head (which depends on every report). A report mapped by the last
    build with the same inputs is not mapped again: its bodies are copied out of the files that
    build wrote (the manifest says where), if they are untouched. A report that cannot be written
    as RDF joins ``failures``. Returns the mapped reports, the head, and where each report's body
    is in the N-Quads file (for validation)."""
    targets = {fmt.name: out / f"{GRAPH_STEM}{fmt.suffix}" for fmt in formats}
    old = {name: before.bodies_in(target) if before is not None else None for name, target in targets.items()}
    plan, tasks = _map_plan(build_cache, ordered, identities[1], base, formats, before, old)
    # The head depends on every report but not on how they are mapped: a worker makes it while
    # the others map (on one core after them it took a sixth of a cold build), or, in a rebuild,
    # while this process copies the unchanged reports' bodies
    head_key, head_job = _start_head(
        runner, build_cache, ordered, identities, honorifics, area_codes, base, formats, background=runner.in_pool(len(ordered))
    )
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
        writing = [
            fmt
            for fmt in formats
            if not (before is not None and before.output_is(targets[fmt.name], _holds(fmt, head[0], mapped)))
        ]
    spans: dict[str, dict[str, ByteSpan]] = {fmt.name: {} for fmt in writing}
    writers: dict[str, DocumentWriter] = {}
    sources: dict[str, int] = {}
    try:
        for fmt in writing:
            writers[fmt.name] = document_writer(targets[fmt.name], fmt)
            if old[fmt.name] is not None:
                sources[fmt.name] = os.open(targets[fmt.name], os.O_RDONLY)
        for m, data in ((m, None) for m in mapped) if head is not None else reports():
            if head is None:
                mapped.append(m)
            for fmt in writing:
                where = spans[fmt.name]
                if data is None:
                    where[m.map_key] = writers[fmt.name].copy(sources[fmt.name], old[fmt.name][m.map_key])  # type: ignore[index]
                else:
                    where[m.map_key] = writers[fmt.name].add(data[fmt.suffix])
        if head is None:
            head = _settle_head(
                runner, head_key, head_job, build_cache, ordered, mapped, identities, honorifics, area_codes, base, formats
            )
        for fmt in writing:
            writers[fmt.name].add_file(build_cache.path(head[0], fmt.suffix))
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
        build_cache.use(m.map_key, REFERS_SUFFIX)
    for fmt in formats:
        target = targets[fmt.name]
        bodies_at = spans.get(fmt.name, old[fmt.name])
        if (stamp := FileStamp.of(target)) is not None and bodies_at is not None:
            after.outputs[target.name] = (_holds(fmt, head[0], mapped), stamp, bodies_at)
    quads = spans.get("nquads", old["nquads"])
    assert quads is not None  # N-Quads are always written, and left only when their spans are known
    return mapped, head[0], head[1], quads


def _map_plan(
    build_cache: BuildCache,
    ordered: Sequence[ReadReport],
    ids: Identities,
    base: str,
    formats: Sequence[Format],
    before: Manifest | None,
    old: dict[str, dict[str, ByteSpan] | None],
) -> tuple[list[MappedReport | None], list[MapTask]]:
    """For each report, what the last build made of it if that can be used again (same inputs,
    its contribution still cached, its bodies in every old output file ``old`` describes), else
    None; and the ``map_one`` tasks of the others."""
    plan: list[MappedReport | None] = []
    tasks: list[MapTask] = []
    offset = 0
    for r in ordered:
        slugs = tuple(ids.person_of[offset + i] for i in range(r.mention_count))
        offset += r.mention_count
        key = cache_key("map", r.parse_key, r.rid, base, "\n".join(slugs))
        known = before.mapped.get(key) if before is not None else None
        if known is not None and not (
            build_cache.has(key, REFERS_SUFFIX) and all(o is not None and key in o for o in old.values())
        ):
            known = None
        plan.append(known)
        if known is None:
            tasks.append(
                MapTask(r.path, str(build_cache.folder), r.parse_key, key, r.rid, slugs, base, tuple(f.name for f in formats))
            )
    return plan, tasks


def _holds(fmt: Format, head_key: str, mapped: Sequence[MappedReport]) -> str:
    """What an output file is made of, as a digest."""
    return digest_of(fmt.name, head_key, *(m.map_key for m in mapped))


def _head_parts(ordered: Sequence[ReadReport]) -> list[HeadPart]:
    parts: list[HeadPart] = []
    offset = 0
    for r in ordered:
        parts.append((r.rid, r.parse_key, offset, r.mention_count))
        offset += r.mention_count
    return parts


def _head_key(
    reports: Iterable[ReadReport], ids_key: str, honorifics: dict[str, set[str]], area_codes: AreaCodes, base: str
) -> str:
    """The head depends only on the identities, the areas' codes (the ONS lookup, the bundled
    table and the identities file's ``[gss]``) and what each report adds to it, so a rebuild
    after an edit that changed no one's name or post takes it from the cache."""
    return cache_key(
        "head",
        base,
        ids_key,
        area_codes.key,
        digest_of(sorted((k, sorted(v)) for k, v in honorifics.items())),
        *(r.shared_digest for r in reports),
    )


def _start_head(
    runner: Runner,
    build_cache: BuildCache,
    ordered: Sequence[ReadReport],
    identities: tuple[str, Identities],
    honorifics: dict[str, set[str]],
    area_codes: AreaCodes,
    base: str,
    formats: Sequence[Format],
    background: bool,
    keep: set[str] | None = None,
) -> tuple[str, Future[Head]]:
    """The key of the head of the documents of ``ordered`` (those of ``keep`` only, by report
    id) and its figures to come: from the cache, else made by ``head_one`` in a worker
    (``background``) or here."""
    ids_key, ids = identities
    parts = [p for p in _head_parts(ordered) if keep is None or p[0] in keep]
    key = _head_key((r for r in ordered if keep is None or r.rid in keep), ids_key, honorifics, area_codes, base)
    suffixes = {*(f.suffix for f in formats), FORMATS["nquads"].suffix, *HEAD_SUFFIXES}
    for suffix in suffixes:
        build_cache.use(key, suffix)  # made by a worker, whose cache object is not this one
    head = build_cache.load(key)
    if isinstance(head, Head) and all(build_cache.has(key, x) for x in suffixes):
        done: Future[Head] = Future()
        done.set_result(head)
        return key, done
    task = HeadTask(
        str(build_cache.folder),
        key,
        ids_key,
        None if background else ids,
        tuple(parts),
        honorifics,
        (area_codes.overrides_given, area_codes.source),
        base,
        tuple(f.name for f in formats),
    )
    return key, runner.submit(head_one, task, background)


def _head_of(job: Future[Head]) -> Head:
    try:
        return job.result()
    except BrokenProcessPool as exc:
        raise BuildError(
            "a worker process died while making the shared part of the graph (out of memory?); "
            "the output is as before; try again with fewer --workers"
        ) from exc


def _settle_head(
    runner: Runner,
    key: str,
    job: Future[Head],
    build_cache: BuildCache,
    ordered: Sequence[ReadReport],
    mapped: Sequence[MappedReport],
    identities: tuple[str, Identities],
    honorifics: dict[str, set[str]],
    area_codes: AreaCodes,
    base: str,
    formats: Sequence[Format],
) -> tuple[str, Head]:
    """The head made meanwhile; made again here without the reports that could not be written
    as RDF (rare), whose organisations, posts and holdings it must not state."""
    head = _head_of(job)
    if len(mapped) == len(ordered):
        return key, head
    again_key, again = _start_head(
        runner,
        build_cache,
        ordered,
        identities,
        honorifics,
        area_codes,
        base,
        formats,
        background=False,
        keep={m.rid for m in mapped},
    )
    return again_key, _head_of(again)


def _refers_to(build_cache: BuildCache, m: MappedReport) -> tuple[str, ...]:
    refers = build_cache.load(m.map_key, REFERS_SUFFIX)
    if not isinstance(refers, tuple):
        raise BuildError(
            f"the cache {build_cache.folder} lost which shared nodes report {m.rid} refers to; build again with --no-cache"
        )
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


def _validate(
    runner: Runner,
    build_cache: BuildCache,
    mapped: Sequence[MappedReport],
    quads: Path,
    spans: dict[str, ByteSpan],
    head_key: str,
    base: str,
    progress: Progress | None,
    engine: str,
) -> ValidationReport:
    """The reports in batches (their bodies at ``spans[map key]`` in the N-Quads output
    ``quads``) with the head's statements about what they refer to; and the head alone,
    meanwhile, in a worker. A batch's result depends on its reports' map keys and the head, so
    these key it in the cache: a rebuild after one report changed validates one batch again."""
    shared_key = cache_key("validate-head", engine, head_key)
    head_job = runner.submit(
        validate_head,
        ValidateHeadTask(str(build_cache.folder), head_key, shared_key, base, engine),
        background=runner.workers > 1 and not build_cache.has(shared_key, ".pickle"),
    )
    index: dict[str, list[str]] | None = None
    tasks: list[ValidateTask] = []
    batches = _batches(len(mapped), runner.workers)
    for batch in batches:
        members = [mapped[i] for i in batch]
        key = cache_key("validate-batch", engine, head_key, *(m.map_key for m in members))
        batch_spans = tuple(spans[m.map_key] for m in members)
        if build_cache.has(key, ".pickle"):
            tasks.append(ValidateTask(str(build_cache.folder), str(quads), batch_spans, key, b"", (), base, engine))
            continue
        if index is None:
            index = _head_index(build_cache.path(head_key, ".head.nt"))
        # the shared nodes they refer to, and the classes of the nodes those refer to (shapes
        # check the class of a value: a unit's parent body, a post's organisation)
        refers_to = {f"<{iri}>" for m in members for iri in _refers_to(build_cache, m)}
        context = [line for iri in sorted(refers_to) for line in index.get(iri, ())]
        objects = {o for line in context if (o := line.split(" ", 2)[2]).startswith("<")}
        partial = sorted(objects - refers_to)
        context.extend(line for o in partial for line in index.get(o, ()) if line.split(" ", 2)[1] == f"<{RDF.type}>")
        tasks.append(
            ValidateTask(
                str(build_cache.folder),
                str(quads),
                batch_spans,
                key,
                ntriples_bytes(context),
                tuple(o[1:-1] for o in partial),
                base,
                engine,
            )
        )
    problems: list[Problem] = []
    triples = 0
    done = 0
    for (found, checked), batch in zip(runner.map(validate_one, tasks, "validating", None, pool=True), batches, strict=True):
        problems.extend(found)
        triples += checked
        if progress is not None:  # counted in reports, as the other stages are
            for _ in batch:
                done += 1
                progress("validating", done, len(mapped))
    try:
        found, checked = head_job.result()
    except BrokenProcessPool as exc:
        raise BuildError(
            "a worker process died while validating the shared part of the graph (out of memory?); try again with fewer --workers"
        ) from exc
    problems.extend(found)
    triples += checked
    problems = sorted(set(problems), key=lambda p: (p.severity != "Violation", p.focus, p.path or "", p.message))
    return ValidationReport(not any(p.severity == "Violation" for p in problems), tuple(problems), triples)


@dataclass(frozen=True)
class QueryStoreJob:
    """The query store being made in the background: loaded (the views can be drawn), then
    answered (its precomputed answers written beside it)."""

    loaded: Job[Path]
    answered: Job[Path]


def _start_query_store(background: Background, quads: Path) -> QueryStoreJob:
    from ..query.querystore import default_store_dir, ensure_precomputed, ensure_query_store

    loaded = background.submit(ensure_query_store, quads, precompute=False)
    return QueryStoreJob(loaded, background.submit(ensure_precomputed, default_store_dir(quads)))


def _draw_views(job: QueryStoreJob, out: Path, read_from: dict[str, str], progress: Progress | None) -> list[Path]:
    """The views and the comparison page, drawn from the query store the query commands read
    (built from the N-Quads unless it is fresh already, so the first query needs no load): its
    size is not bounded by memory, and the views cut what they show, saying so, as ``views``
    describes. Returns once the store's precomputed answers are written too."""
    from ..network.compare import write_compare
    from ..network.views import write_views
    from ..query.querystore import open_query_store

    step = _Step(progress)
    with step("loading the query store"):
        _result_of(job.loaded, "loading the query store")
    with step("drawing the views"):
        graph_store = open_query_store(out / QUADS_FILE, rebuild=False)
        files = write_views(graph_store, views_dir(out), read_from)
        # the comparison page (areas against themes), its counts asked of the store: its
        # precomputed answers are still being made
        files.append(write_compare(graph_store, views_dir(out), read_from))
        del graph_store
    with step("precomputing the named queries' answers"):
        _result_of(job.answered, "precomputing the named queries' answers")
    return files


@dataclass(frozen=True)
class _Step:
    """A stage of one step, told to ``progress`` at its start (0 of 1) and its end (1 of 1)."""

    progress: Progress | None

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        if self.progress is not None:
            self.progress(stage, 0, 1)
        yield
        if self.progress is not None:
            self.progress(stage, 1, 1)


def _result_of(job: Job[Path], doing: str) -> Path:
    try:
        return job.result()
    except BrokenProcessPool as exc:
        raise BuildError(f"the process {doing} died (out of memory?); the graph files are written; build again") from exc


def _head_index(path: Path) -> dict[str, list[str]]:
    """The head's statements by subject (``<iri>`` -> N-Triples lines without the `` .``)."""
    index: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line[:-3]  # " .\n"
            index.setdefault(line[: line.index(" ")], []).append(line)
    return index


__all__ = ["BuildResult", "Failure", "build", "drop_duplicates"]
