"""SHACL validation of what the build wrote, in worker processes, a part at a time: each batch of
reports (``VALIDATE_BATCH``) with the head's statements about the nodes they refer to, and the
head itself in parts (``HEAD_PART_BYTES``) with the statements about the nodes each refers to.
That checks every shape the whole-graph validation checks except cardinalities summed across
reports, and no engine run holds more than a part (the head at 10,000 reports, a million
statements, took 1.9 GB in one run). The turbo engine reads each part's N-Quads text itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..outputs import QUADS_FILE
from ..rdf.validator import Problem, ValidationReport
from . import VALIDATING
from .cache import cache_key
from .headfile import forget_head_statements
from .run import BuildRun, Written
from .tasks import HEAD_STATEMENTS_SUFFIX, ValidateHeadTask, ValidateTask, validate_head, validate_one

#: Reports validated together: one engine run per batch (the turbo engine's start costs about as
#: much as checking a report; a batch of 50 is ~70,000 statements, ~100 MB in the engine).
VALIDATE_BATCH = 50

#: The head is validated in parts of about this much N-Triples text (~6,000 statements, with the
#: statements about what they refer to ~20,000). Measured on the head of 10,000 reports (1.3
#: million statements; 19 s and 1.9 GB in one run): in parts of 1 MB 41 s and 170 MB; of 2 MB
#: 48 s; of 8 MB 92 s and 500 MB (the engine's time grows faster than a part's size when it is
#: given the nodes to check, see ``validator.FOCUS_LIST_SHARE``).
HEAD_PART_BYTES = 1_000_000

#: A validation task: a batch of reports, or a part of the head
_Task = ValidateTask | ValidateHeadTask


def validate_written(run: BuildRun, written: Written, engine: str) -> ValidationReport:
    """The reports in batches (their bodies at ``written.spans[map key]`` in the N-Quads output)
    and the head in parts, each with the head's statements about what it refers to. A batch's
    result depends on its reports' map keys and the head, a part's on the head, so these key
    them in the cache: a rebuild after one report changed validates one batch again."""
    head = run.cache.path(written.head_key, HEAD_STATEMENTS_SUFFIX)
    batches = _batches(len(written.mapped), run.runner.workers)
    parts = max(1, -(-head.stat().st_size // HEAD_PART_BYTES))
    tasks = _tasks(run, written, str(head), batches, parts, engine)
    problems: list[Problem] = []
    triples = 0
    done = 0
    try:
        for (found, checked), task in zip(run.runner.map(_validate, tasks, VALIDATING, None, pool=True), tasks, strict=True):
            problems.extend(found)
            triples += checked
            if run.progress is not None and isinstance(task, ValidateTask):  # counted in reports, as the other stages are
                for _ in task.spans:
                    done += 1
                    run.progress(VALIDATING, done, len(written.mapped))
    finally:
        forget_head_statements()  # read here when the build runs in this process
    problems = sorted(set(problems), key=lambda p: (p.severity != "Violation", p.focus, p.path or "", p.message))
    return ValidationReport(not any(p.severity == "Violation" for p in problems), tuple(problems), triples)


def _validate(task: _Task) -> tuple[tuple[Problem, ...], int]:
    return validate_one(task) if isinstance(task, ValidateTask) else validate_head(task)


def _batches(count: int, workers: int) -> list[range]:
    """Consecutive runs of reports (in the build's order, so that an edit to one report changes
    one batch's cache key): at most ``VALIDATE_BATCH``, and small enough to keep every worker busy."""
    size = max(1, min(VALIDATE_BATCH, count // (max(1, workers) * 4)))
    return [range(i, min(count, i + size)) for i in range(0, count, size)]


def _tasks(run: BuildRun, written: Written, head: str, batches: Sequence[range], parts: int, engine: str) -> list[_Task]:
    """The ``validate_one`` task of each batch (its reports' bodies in the N-Quads file) and the
    ``validate_head`` task of each part of the head, the parts spread among the batches (so that
    the progress, counted in reports, moves on evenly)."""
    quads = str(run.out / QUADS_FILE)
    folder = str(run.cache.folder)

    def head_task(part: int) -> ValidateHeadTask:
        key = cache_key("validate-head", engine, written.head_key, f"{part}/{parts}")
        return ValidateHeadTask(folder, head, part, parts, key, run.base, engine)

    tasks: list[_Task] = []
    part = 0
    for i, batch in enumerate(batches):
        members = [written.mapped[j] for j in batch]
        key = cache_key("validate-batch", engine, written.head_key, *(m.map_key for m in members))
        spans = tuple(written.spans[m.map_key] for m in members)
        tasks.append(ValidateTask(folder, quads, spans, tuple(m.map_key for m in members), head, key, run.base, engine))
        while part < parts and part * len(batches) <= i * parts:
            tasks.append(head_task(part))
            part += 1
    tasks.extend(head_task(p) for p in range(part, parts))
    return tasks
