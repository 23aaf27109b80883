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
every report; see ``write.py``). The output files are also where the bodies are kept for the next
build, which copies those of unchanged reports out of them (the manifest says where) rather than
from a second copy in the cache: a cold build writes each body once. Peak memory is the names and
shared facts of all reports plus a few reports per worker.

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

SHACL validation runs a batch of reports at a time in worker processes (see ``validation.py``).
The views are drawn from the query store, which the build loads from the N-Quads (unless it is
fresh already) while the reports are validated (see ``views.py``).

Each step of one build takes the ``BuildRun`` it shares with the others and hands on a record of
its own (``run.py``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from ..files import remove_stale_temp_files
from ..outputs import DEFAULT_OUT, GRAPH_STEM, ONTOLOGY_DOCS, QUADS_FILE, views_dir
from ..rdf.areacodes import AreaCodes
from ..rdf.formats import Format, get_format
from ..rdf.identity import Identities, Mention, Overrides, load_overrides, resolve_identities
from ..rdf.mapper import person_honorifics
from ..rdf.validator import engine_name
from ..rdf.vocab import DEFAULT_BASE, normalise_base
from ..read.model import PDF_MEDIA_TYPE
from ..read.reader import find_reports, sample_paths, skipped_note
from . import READING
from .cache import CACHE_FOLDER, BuildCache, cache_key
from .folder import SCRATCH_PREFIX, record_inputs, remove_other_outputs, remove_stale_scratch, write_ontology_docs
from .manifest import FileStamp, Manifest, load_manifest, save_manifest
from .records import BuildResult, Failure, Head, MappedReport, Progress, ReadReport
from .run import BuildRun, Corpus
from .runner import Background, Runner, gc_tuned, open_background, open_runner, will_use_pool
from .storejob import QueryStoreJob, draw_views, start_query_store
from .tasks import FACTS_SUFFIX, IDENTITIES_SUFFIX, ReadTask, read_task
from .validation import validate_written
from .write import map_and_write


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
    wanted = tuple(get_format(name) for name in dict.fromkeys([*formats, "nquads"]))
    overrides = identities if isinstance(identities, Overrides) else load_overrides(identities)
    engine = engine_name(shacl_engine) if validate else None
    found = _find(paths)
    out = Path(out_dir)
    if not found.files:  # nothing to read: write nothing, so the last build's output stays as it was
        return _nothing_written(out, found.failures, found.notes, "no report to build")
    _clear_leftovers(out)
    workers = workers or os.cpu_count() or 1
    with (
        tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}.", dir=out)
        if not cache
        else nullcontext(None) as scratch,
        open_background(here=not will_use_pool(workers, len(found.files))) as background,
        open_runner(workers) as runner,
        gc_tuned(),
    ):
        run = _open_run(runner, out, None if scratch is None else Path(scratch), base, wanted, progress, cache)
        reports = _read_reports(run, found)
        if not reports.ordered:  # every file failed: write nothing over the last build's output
            return _nothing_written(out, reports.failures, reports.notes, "no report could be read")
        read_from = {r.sha256: r.path for r in reports.ordered}  # where the views' links to a PDF's pages lead
        result, store_job = _write_graph(run, reports, overrides, engine, background if views else None)
        runner.close()  # the workers' memory back before the views are drawn, and the reports' own
        del reports
        if docs:
            _write_docs(result)
        if store_job is not None:
            result.files.extend(draw_views(store_job, out, read_from, progress))
    if cache:
        _save_cache(run)
    if removed := remove_other_outputs(out, result.files):
        result.notes.append(f"removed {', '.join(str(p) for p in removed)} left from an earlier build")
    record_inputs(out, None if found.given is None else [Path(p) for p in found.given])
    return result


@dataclass(frozen=True)
class _Found:
    """The files to read, and what finding them said."""

    given: list[str | Path] | None  # the paths asked for; None: the bundled samples
    files: Sequence[Path]
    walked: frozenset[str]  # files found in folders: one that is not a report is skipped
    failures: list[Failure]
    notes: list[str]


def _find(paths: Iterable[str | Path] | None) -> _Found:
    if paths is None:
        return _Found(None, sample_paths(), frozenset(), [], [])
    given = list(paths)
    found = find_reports(given)
    return _Found(given, found.files, found.walked, [Failure(e.path, e.problem) for e in found.problems], found.notes())


def _nothing_written(out: Path, failures: list[Failure], notes: list[str], why: str) -> BuildResult:
    return BuildResult(
        out, {}, {}, failures, [], None, Identities([], {}, []), notes=[*notes, f"nothing written: {why}; {out}/ left as it was"]
    )


def _clear_leftovers(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for folder in (out, views_dir(out)):  # what a killed build left behind
        remove_stale_temp_files(folder)
    remove_stale_scratch(out)


def _open_run(
    runner: Runner,
    out: Path,
    scratch: Path | None,
    base: str,
    formats: tuple[Format, ...],
    progress: Progress | None,
    cache: bool,
) -> BuildRun:
    """The run of a build into ``out``: its cache in ``out`` or, without one, in ``scratch``."""
    build_cache = BuildCache(out / CACHE_FOLDER if scratch is None else scratch)
    for folder in build_cache.folder.glob("*"):
        if folder.is_dir():
            remove_stale_temp_files(folder)
    before = load_manifest(build_cache.folder) if cache else None
    return BuildRun(runner, build_cache, out, base, formats, progress, before, Manifest())


def _save_cache(run: BuildRun) -> None:
    run.cache.prune(run.before.used if run.before is not None else None)
    run.after.used = frozenset(run.cache.used)
    save_manifest(run.cache.folder, run.after)


@dataclass(frozen=True)
class _Reports:
    """The reports read, to build, and what reading them said."""

    ordered: list[ReadReport]  # by report id, content and path
    failures: list[Failure]
    notes: list[str]


def _read_reports(run: BuildRun, found: _Found) -> _Reports:
    """Read the files found; skip those found in folders that are not reports, and drop
    duplicates and conflicting versions (see ``drop_duplicates``)."""
    read, failures = _read_all(run, found.files)
    skipped = [f.path for f in failures if f.not_a_report and f.path in found.walked]
    failures = [f for f in failures if not (f.not_a_report and f.path in found.walked)]
    kept, notes, conflicts = drop_duplicates(read)
    failures[:0] = found.failures
    failures.extend(conflicts)
    notes[:0] = [*found.notes, *(n for n in (skipped_note(skipped),) if n)]
    return _Reports(sorted(kept, key=lambda r: (r.rid, r.sha256, r.path)), failures, notes)


def _write_graph(
    run: BuildRun, reports: _Reports, overrides: Overrides, engine: str | None, background: Background | None
) -> tuple[BuildResult, QueryStoreJob | None]:
    """Resolve who is who, write the graph files and validate them (with ``engine``, unless
    None); meanwhile, load the query store in ``background`` (unless None)."""
    ordered = reports.ordered
    ids_key, ids = _identities(run, ordered, overrides)
    warnings = [w for r in ordered for w in r.post_warnings] + ids.warnings
    warnings.extend(f"{r.path}: {w}" for r in ordered for w in r.warnings)
    honorifics = person_honorifics((r.honorifics for r in ordered), ids)
    corpus = Corpus(ordered, ids_key, ids, honorifics, AreaCodes(overrides.area_codes, overrides.source))
    written = map_and_write(run, corpus, reports.failures)
    warnings.extend(written.head.warnings)  # areas without an ONS code, unused [gss] entries
    counts = _counts(written.head, written.mapped, ids)
    result = BuildResult(
        run.out, counts, {r.path: r.rid for r in ordered}, reports.failures, warnings, None, ids, notes=reports.notes
    )
    result.files.extend(run.out / f"{GRAPH_STEM}{fmt.suffix}" for fmt in run.formats)
    # The query store loads in a process of its own while the reports are validated, and its
    # precomputed answers are made there (see ``storejob``).
    store_job = start_query_store(background, run.out / QUADS_FILE) if background is not None else None
    if engine is not None:
        result.validation = validate_written(run, written, engine)
    return result, store_job


def _write_docs(result: BuildResult) -> None:
    page, note = write_ontology_docs(result.out_dir / ONTOLOGY_DOCS)
    if page is not None:
        result.files.append(page)
    if note:
        result.notes.append(note)


def _read_all(run: BuildRun, files: Sequence[Path]) -> tuple[list[ReadReport], list[Failure]]:
    """Read and parse the files that may have changed since the last build (all, without a
    manifest); take the others from the manifest."""
    outcomes: list[ReadReport | Failure | None] = []
    stamps: list[FileStamp | None] = []
    tasks: list[ReadTask] = []
    for p in files:
        stamp = FileStamp.of(p)  # before reading: a change made meanwhile shows next time
        known = run.before.read_of(str(p), stamp) if run.before is not None else None
        if known is not None and not all(run.cache.has(known.parse_key, x) for x in (".pickle", ".read.pickle", FACTS_SUFFIX)):
            known = None
        outcomes.append(known)
        stamps.append(stamp)
        if known is None:
            tasks.append(ReadTask(str(p), str(run.cache.folder)))
    fresh = iter(run.runner.map(read_task, tasks, READING, run.progress))
    read: list[ReadReport] = []
    failures: list[Failure] = []
    for p, stamp, outcome in zip(files, stamps, outcomes, strict=True):
        if outcome is None:
            outcome = next(fresh)
        if isinstance(outcome, Failure):
            failures.append(outcome)
            continue
        for suffix in (".pickle", ".read.pickle", FACTS_SUFFIX):  # used by this build: kept by prune
            run.cache.use(outcome.parse_key, suffix)
        if stamp is not None:
            run.after.reads[str(p)] = (stamp, outcome.slim() if outcome.mentions else outcome)  # slim: from the manifest
        read.append(outcome)
    return read, failures


def _identities(run: BuildRun, ordered: Sequence[ReadReport], overrides: Overrides) -> tuple[str, Identities]:
    """The identity decisions and the key of what they were made from (the mentions and the
    overrides); last build's when those are the same. Kept in a cache entry of their own
    (~20 MB at 10,000 reports), written only when they change, not in the manifest."""
    key = cache_key("identities", overrides.identity_key, *(r.mentions_digest for r in ordered))
    ids = run.cache.load(key, IDENTITIES_SUFFIX) if run.before is not None and run.before.identities == key else None
    if not isinstance(ids, Identities):
        ids = resolve_identities([m for r in ordered for m in _mentions(run.cache, r)], overrides)
        run.cache.store(key, ids, IDENTITIES_SUFFIX)
    run.after.identities = key
    return key, ids


def _mentions(build_cache: BuildCache, r: ReadReport) -> tuple[Mention, ...]:
    if len(r.mentions) == r.mention_count:
        return r.mentions
    whole = build_cache.load(r.parse_key, ".read.pickle")  # a slim record from the manifest
    if not (isinstance(whole, ReadReport) and len(whole.mentions) == r.mention_count):
        raise BuildError(f"the cache {build_cache.folder} lost the names read from {r.path}; build again with --no-cache")
    return whole.mentions


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


__all__ = ["BuildResult", "Failure", "build", "drop_duplicates"]
