"""SHACL validation of what the build wrote, a batch of reports at a time (``VALIDATE_BATCH``, in
worker processes): their graphs together with the shared statements about the nodes they refer
to, and the shared graph once on its own, which checks every shape the whole-graph validation
checks except cardinalities summed across reports. The turbo engine reads each batch's N-Quads
text itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from rdflib.namespace import RDF

from ..errors import BuildError
from ..outputs import QUADS_FILE
from ..rdf.export import ntriples_bytes
from ..rdf.validator import Problem, ValidationReport
from .cache import BuildCache, cache_key
from .records import MappedReport
from .run import BuildRun, Written
from .tasks import REFERS_SUFFIX, ValidateHeadTask, ValidateTask, validate_head, validate_one

#: Reports validated together: one engine run per batch (the turbo engine's start costs about as
#: much as checking a report; a batch of 50 is ~70,000 statements, ~100 MB in the engine).
VALIDATE_BATCH = 50


def validate_written(run: BuildRun, written: Written, engine: str) -> ValidationReport:
    """The reports in batches (their bodies at ``written.spans[map key]`` in the N-Quads output)
    with the head's statements about what they refer to; and the head alone, meanwhile, in a
    worker. A batch's result depends on its reports' map keys and the head, so these key it in
    the cache: a rebuild after one report changed validates one batch again."""
    shared_key = cache_key("validate-head", engine, written.head_key)
    head_job = run.runner.submit(
        validate_head,
        ValidateHeadTask(str(run.cache.folder), written.head_key, shared_key, run.base, engine),
        background=run.runner.workers > 1 and not run.cache.has(shared_key, ".pickle"),
    )
    batches = _batches(len(written.mapped), run.runner.workers)
    tasks = _batch_tasks(run, written, batches, engine)
    problems: list[Problem] = []
    triples = 0
    done = 0
    for (found, checked), batch in zip(run.runner.map(validate_one, tasks, "validating", None, pool=True), batches, strict=True):
        problems.extend(found)
        triples += checked
        if run.progress is not None:  # counted in reports, as the other stages are
            for _ in batch:
                done += 1
                run.progress("validating", done, len(written.mapped))
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


def _batches(count: int, workers: int) -> list[range]:
    """Consecutive runs of reports (in the build's order, so that an edit to one report changes
    one batch's cache key): at most ``VALIDATE_BATCH``, and small enough to keep every worker busy."""
    size = max(1, min(VALIDATE_BATCH, count // (max(1, workers) * 4)))
    return [range(i, min(count, i + size)) for i in range(0, count, size)]


def _batch_tasks(run: BuildRun, written: Written, batches: Sequence[range], engine: str) -> list[ValidateTask]:
    """The ``validate_one`` task of each batch: its reports' bodies in the N-Quads file and the
    head's statements they need, or only its key when its result is in the cache."""
    quads = str(run.out / QUADS_FILE)
    index: dict[str, list[str]] | None = None
    tasks: list[ValidateTask] = []
    for batch in batches:
        members = [written.mapped[i] for i in batch]
        key = cache_key("validate-batch", engine, written.head_key, *(m.map_key for m in members))
        batch_spans = tuple(written.spans[m.map_key] for m in members)
        if run.cache.has(key, ".pickle"):
            tasks.append(ValidateTask(str(run.cache.folder), quads, batch_spans, key, b"", (), run.base, engine))
            continue
        if index is None:
            index = _head_index(run.cache.path(written.head_key, ".head.nt"))
        # the shared nodes they refer to, and the classes of the nodes those refer to (shapes
        # check the class of a value: a unit's parent body, a post's organisation)
        refers_to = {f"<{iri}>" for m in members for iri in _refers_to(run.cache, m)}
        context = [line for iri in sorted(refers_to) for line in index.get(iri, ())]
        objects = {o for line in context if (o := line.split(" ", 2)[2]).startswith("<")}
        partial = sorted(objects - refers_to)
        context.extend(line for o in partial for line in index.get(o, ()) if line.split(" ", 2)[1] == f"<{RDF.type}>")
        tasks.append(
            ValidateTask(
                str(run.cache.folder),
                quads,
                batch_spans,
                key,
                ntriples_bytes(context),
                tuple(o[1:-1] for o in partial),
                run.base,
                engine,
            )
        )
    return tasks


def _refers_to(build_cache: BuildCache, m: MappedReport) -> tuple[str, ...]:
    refers = build_cache.load(m.map_key, REFERS_SUFFIX)
    if not isinstance(refers, tuple):
        raise BuildError(
            f"the cache {build_cache.folder} lost which shared nodes report {m.rid} refers to; build again with --no-cache"
        )
    return refers


def _head_index(path: Path) -> dict[str, list[str]]:
    """The head's statements by subject (``<iri>`` -> N-Triples lines without the `` .``)."""
    index: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line[:-3]  # " .\n"
            index.setdefault(line[: line.index(" ")], []).append(line)
    return index
