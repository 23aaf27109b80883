"""Map the reports and write the output files: each report's body in its place as it comes from
the workers, then the head (the shared entities, which depend on every report; see
``files.DocumentWriter``). The head depends on what each report says, known once it is parsed,
and on the identities, not on the mapping: a worker makes it while the others map. A report
mapped by the last build with the same inputs is not mapped again: its bodies are copied out of
the files that build wrote (the manifest says where), if they are untouched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path

from ..files import ByteSpan, DocumentWriter
from ..outputs import GRAPH_STEM
from ..rdf.export import document_writer
from ..rdf.formats import FORMATS, Format
from . import MAPPING
from .cache import cache_key
from .manifest import FileStamp
from .records import Failure, Head, HeadPart, MappedReport
from .run import BuildRun, Corpus, Written
from .runner import worker_death
from .tasks import HEAD_SUFFIXES, REFERS_SUFFIX, HeadTask, MapTask, digest_of, head_one, map_one

#: Where the bodies of the reports are in an output file (by map key), by format name; None for
#: a file the last build did not write (or whose manifest is not used)
Bodies = dict[str, dict[str, ByteSpan] | None]

#: A report mapped, with its bodies (by suffix) or None to copy them out of the last build's file
Mapped = tuple[MappedReport, dict[str, bytes] | None]


def map_and_write(run: BuildRun, corpus: Corpus, failures: list[Failure]) -> Written:
    """Map the reports of ``corpus`` and write the output files; a report that cannot be written
    as RDF joins ``failures``. An output file that would be written with the same parts is left
    as it is."""
    targets = {fmt.name: run.out / f"{GRAPH_STEM}{fmt.suffix}" for fmt in run.formats}
    old: Bodies = {name: run.before.bodies_in(target) if run.before is not None else None for name, target in targets.items()}
    plan, tasks = _map_plan(run, corpus, old)
    # The head depends on every report but not on how they are mapped: a worker makes it while
    # the others map (on one core after them it took a sixth of a cold build), or, in a rebuild,
    # while this process copies the unchanged reports' bodies
    head_key, head_job = _start_head(run, corpus, background=run.runner.in_pool(len(corpus.ordered)))
    fresh = iter(run.runner.map(map_one, tasks, MAPPING, run.progress))
    mapped: list[MappedReport] = []
    if tasks:
        writing = list(run.formats)
        bodies: Iterable[Mapped] = _as_they_come(plan, fresh, mapped, failures)

        def head() -> tuple[str, Head]:
            return _settle_head(run, corpus, head_key, head_job, mapped)

    else:  # the head is known first: leave the files that would be written the same
        mapped = [m for m in plan if m is not None]
        known = (head_key, _head_of(head_job))
        writing = [
            fmt
            for fmt in run.formats
            if not (run.before is not None and run.before.output_is(targets[fmt.name], _holds(fmt, known[0], mapped)))
        ]
        bodies = ((m, None) for m in mapped)

        def head() -> tuple[str, Head]:
            return known

    spans, (key, made) = _write_files(run, writing, targets, old, bodies, head)
    return Written(mapped, key, made, _remember(run, targets, old, spans, key, mapped))


def _as_they_come(
    plan: Sequence[MappedReport | None], fresh: Iterator[Mapped | Failure], mapped: list[MappedReport], failures: list[Failure]
) -> Iterator[Mapped]:
    """The reports in build order, each as the last build mapped it (``plan``) or as a worker
    did (``fresh``), added to ``mapped`` as they come; those that could not be join ``failures``."""
    for known in plan:
        outcome = (known, None) if known is not None else next(fresh)
        if isinstance(outcome, Failure):
            failures.append(outcome)
        else:
            mapped.append(outcome[0])
            yield outcome


def _write_files(
    run: BuildRun,
    writing: Sequence[Format],
    targets: dict[str, Path],
    old: Bodies,
    bodies: Iterable[Mapped],
    head: Callable[[], tuple[str, Head]],
) -> tuple[dict[str, dict[str, ByteSpan]], tuple[str, Head]]:
    """Write the files of ``writing``: the reports' bodies as ``bodies`` yields them, then the
    head, once ``head`` has it. Returns where each body is in each file written, and the head."""
    spans: dict[str, dict[str, ByteSpan]] = {fmt.name: {} for fmt in writing}
    writers: dict[str, DocumentWriter] = {}
    sources: dict[str, int] = {}
    try:
        for fmt in writing:
            writers[fmt.name] = document_writer(targets[fmt.name], fmt)
            if old[fmt.name] is not None:
                sources[fmt.name] = os.open(targets[fmt.name], os.O_RDONLY)
        for m, data in bodies:
            for fmt in writing:
                where = spans[fmt.name]
                if data is None:
                    where[m.map_key] = writers[fmt.name].copy(sources[fmt.name], old[fmt.name][m.map_key])  # type: ignore[index]
                else:
                    where[m.map_key] = writers[fmt.name].add(data[fmt.suffix])
        made = head()
        for fmt in writing:
            writers[fmt.name].add_file(run.cache.path(made[0], fmt.suffix))
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
    return spans, made


def _remember(
    run: BuildRun,
    targets: dict[str, Path],
    old: Bodies,
    spans: dict[str, dict[str, ByteSpan]],
    head_key: str,
    mapped: Sequence[MappedReport],
) -> dict[str, ByteSpan]:
    """Note in the new manifest what each report was mapped to and what each output file holds
    (written now, or left as the last build wrote it). Returns where each report's body is in
    the N-Quads file."""
    for m in mapped:
        run.after.mapped[m.map_key] = m
        run.cache.use(m.map_key, REFERS_SUFFIX)
    for fmt in run.formats:
        target = targets[fmt.name]
        bodies_at = spans.get(fmt.name, old[fmt.name])
        if (stamp := FileStamp.of(target)) is not None and bodies_at is not None:
            run.after.outputs[target.name] = (_holds(fmt, head_key, mapped), stamp, bodies_at)
    quads = spans.get("nquads", old["nquads"])
    assert quads is not None  # N-Quads are always written, and left only when their spans are known
    return quads


def _map_plan(run: BuildRun, corpus: Corpus, old: Bodies) -> tuple[list[MappedReport | None], list[MapTask]]:
    """For each report, what the last build made of it if that can be used again (same inputs,
    its contribution still cached, its bodies in every old output file ``old`` describes), else
    None; and the ``map_one`` tasks of the others."""
    plan: list[MappedReport | None] = []
    tasks: list[MapTask] = []
    offset = 0
    for r in corpus.ordered:
        slugs = tuple(corpus.ids.person_of[offset + i] for i in range(r.mention_count))
        offset += r.mention_count
        key = cache_key("map", r.parse_key, r.rid, run.base, "\n".join(slugs))
        known = run.before.mapped.get(key) if run.before is not None else None
        if known is not None and not (
            run.cache.has(key, REFERS_SUFFIX) and all(o is not None and key in o for o in old.values())
        ):
            known = None
        plan.append(known)
        if known is None:
            tasks.append(
                MapTask(
                    r.path, str(run.cache.folder), r.parse_key, key, r.rid, slugs, run.base, tuple(f.name for f in run.formats)
                )
            )
    return plan, tasks


def _holds(fmt: Format, head_key: str, mapped: Sequence[MappedReport]) -> str:
    """What an output file is made of, as a digest."""
    return digest_of(fmt.name, head_key, *(m.map_key for m in mapped))


def _head_parts(corpus: Corpus) -> list[HeadPart]:
    parts: list[HeadPart] = []
    offset = 0
    for r in corpus.ordered:
        parts.append((r.rid, r.parse_key, offset, r.mention_count))
        offset += r.mention_count
    return parts


def _head_key(run: BuildRun, corpus: Corpus, keep: set[str] | None) -> str:
    """The head depends only on the identities, the areas' codes (the ONS lookup, the bundled
    table and the identities file's ``[gss]``) and what each report adds to it, so a rebuild
    after an edit that changed no one's name or post takes it from the cache."""
    return cache_key(
        "head",
        run.base,
        corpus.ids_key,
        corpus.area_codes.key,
        digest_of(sorted((k, sorted(v)) for k, v in corpus.honorifics.items())),
        *(r.shared_digest for r in corpus.ordered if keep is None or r.rid in keep),
    )


def _start_head(run: BuildRun, corpus: Corpus, background: bool, keep: set[str] | None = None) -> tuple[str, Future[Head]]:
    """The key of the head of the documents of the corpus (those of ``keep`` only, by report
    id) and its figures to come: from the cache, else made by ``head_one`` in a worker
    (``background``) or here."""
    parts = [p for p in _head_parts(corpus) if keep is None or p[0] in keep]
    key = _head_key(run, corpus, keep)
    suffixes = {*(f.suffix for f in run.formats), FORMATS["nquads"].suffix, *HEAD_SUFFIXES}
    for suffix in suffixes:
        run.cache.use(key, suffix)  # made by a worker, whose cache object is not this one
    head = run.cache.load(key)
    if isinstance(head, Head) and all(run.cache.has(key, x) for x in suffixes):
        done: Future[Head] = Future()
        done.set_result(head)
        return key, done
    task = HeadTask(
        str(run.cache.folder),
        key,
        corpus.ids_key,
        None if background else corpus.ids,
        tuple(parts),
        corpus.honorifics,
        (corpus.area_codes.overrides_given, corpus.area_codes.source),
        run.base,
        tuple(f.name for f in run.formats),
    )
    return key, run.runner.submit(head_one, task, background)


def _head_of(job: Future[Head]) -> Head:
    with worker_death("making the shared part of the graph"):
        return job.result()


def _settle_head(run: BuildRun, corpus: Corpus, key: str, job: Future[Head], mapped: Sequence[MappedReport]) -> tuple[str, Head]:
    """The head made meanwhile; made again here without the reports that could not be written
    as RDF (rare), whose organisations, posts and holdings it must not state."""
    head = _head_of(job)
    if len(mapped) == len(corpus.ordered):
        return key, head
    again_key, again = _start_head(run, corpus, background=False, keep={m.rid for m in mapped})
    return again_key, _head_of(again)
