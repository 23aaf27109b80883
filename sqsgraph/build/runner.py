"""Where the per-report work runs: in this process for a few reports, else in a pool of worker
processes fed a few chunks at a time, which exit when the build's process dies.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from typing import TypeVar

from ..errors import BuildError
from ..files import process_alive
from .records import (
    Progress,
)

T = TypeVar("T")  # a task
R = TypeVar("R")  # its result

#: Up to this many reports the build runs in this process: starting workers costs more.
IN_PROCESS_MAX = 24


class Runner:
    """Runs a function over tasks, in this process or in worker processes, in order."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def in_pool(self, tasks: int) -> bool:
        """Whether ``map`` runs this many tasks in worker processes."""
        return self.workers > 1 and tasks > IN_PROCESS_MAX

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context(_start_method()),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return self.pool

    def submit(self, fn: Callable[[T], R], task: T, background: bool) -> Future[R]:
        """``fn(task)`` in a worker process while this one goes on (``background``), else here
        and now; its result, or its exception, is in the returned future either way."""
        if background:
            return self._pool().submit(fn, task)
        done: Future[R] = Future()
        try:
            done.set_result(fn(task))
        except BaseException as exc:  # handed over to the caller of result()
            done.set_exception(exc)
        return done

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], stage: str, progress: Progress | None, pool: bool = False
    ) -> Iterator[R]:
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
            raise BuildError(
                f"a worker process died while {stage} reports (out of memory?); "
                "the output is as before; try again with fewer --workers"
            ) from exc

    def _in_pool(self, fn: Callable[[T], R], tasks: Sequence[T], chunksize: int) -> Iterator[R]:
        """``fn`` over ``tasks`` in the pool, in order, with at most a few chunks ahead of the
        one awaited: ``Executor.map`` submits every task at once, so results the build has not
        taken yet (each report's bodies: ~0.5 MB) would pile up in memory when it is slower."""
        assert self.pool is not None
        chunks = (tasks[i : i + chunksize] for i in range(0, len(tasks), chunksize))
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


def _apply(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
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
def gc_tuned() -> Iterator[None]:
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


class Background:
    """One worker process of its own, started on first use, for long jobs that go on beside the
    build's own work (the query store's load, then its precomputed answers): they run in the
    order submitted, one at a time."""

    def __init__(self, here: bool = False) -> None:
        self.here = here  # run each job here and now, when submitted (a small build: a process costs more)
        self.executor: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., R], *args: object, **kwargs: object) -> Future[R]:
        if self.here:
            done: Future[R] = Future()
            try:
                done.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # handed over to the caller of result()
                done.set_exception(exc)
            return done
        if self.executor is None:
            self.executor = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context(_start_method()),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return self.executor.submit(fn, *args, **kwargs)

    def close(self, wait: bool = True) -> None:
        """Shut the process down: after its jobs (``wait``), or now, stopping a job mid-way
        (the build failed or was interrupted: nothing would take its result)."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        if not wait:
            processes = list(getattr(executor, "_processes", {}).values())  # no public way before Python 3.14
            for process in processes:
                process.terminate()
        executor.shutdown(wait=wait, cancel_futures=True)


@contextmanager
def open_background() -> Iterator[Background]:
    b = Background()
    try:
        yield b
    except BaseException:
        b.close(wait=False)
        raise
    b.close()


@contextmanager
def open_runner(workers: int) -> Iterator[Runner]:
    r = Runner(workers)
    try:
        yield r
    finally:
        r.close()
