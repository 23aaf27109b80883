"""Where the per-report work runs: in this process for a few reports, else in a pool of worker
processes fed a few chunks at a time, which exit when the build's process dies.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from ..errors import BuildError
from ..files import process_alive
from .records import (
    Progress,
)

T = TypeVar("T")  # a task
R = TypeVar("R")  # its result

#: Up to this many reports the build runs in this process: starting workers costs more.
IN_PROCESS_MAX = 24


@contextmanager
def worker_death(doing: str, graph_written: bool = False) -> Iterator[None]:
    """A worker process that dies while ``doing`` (``BrokenProcessPool``: killed, most often for
    memory) ends the build with a ``BuildError`` that says so, what is left of the output
    (``graph_written``: the graph files are written already) and what to do next."""
    try:
        yield
    except BrokenProcessPool as exc:
        if graph_written:
            left = "the graph files are written; build again"
        else:
            left = "the output is as before; try again with fewer --workers"
        raise BuildError(f"a worker process died while {doing} (out of memory?); {left}") from exc


def will_use_pool(workers: int, tasks: int) -> bool:
    """Whether a ``Runner`` of ``workers`` runs this many tasks in worker processes."""
    return workers > 1 and tasks > IN_PROCESS_MAX


class Runner:
    """Runs a function over tasks, in this process or in worker processes, in order."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def in_pool(self, tasks: int) -> bool:
        """Whether ``map`` runs this many tasks in worker processes."""
        return will_use_pool(self.workers, tasks)

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
        with worker_death(f"{stage} reports"):
            for n, value in enumerate(results, start=1):
                if progress is not None:
                    progress(stage, n, len(tasks))
                yield value

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
    """One worker process of its own for long jobs that go on beside the build's own work (the
    query store's load, its text index and precomputed answers; the networks cut for the views,
    in a second one), run in the order submitted.

    A fresh interpreter fed through two pipes: not a fork of this process, whose threads (a query
    store opened here earlier runs RocksDB's) could hold a lock the copy would wait on forever;
    and not a ``multiprocessing`` spawn, which imports the caller's main module again (a script
    without ``if __name__ == "__main__"`` would build once more). It adds no thread here either,
    and starts at the first job (its imports alone are 200 MB, which the build's busiest stage
    need not carry). ``here``: each job runs here and now instead, when submitted (a small build:
    a process costs more)."""

    def __init__(self, here: bool = False) -> None:
        self.here = here
        self.process: subprocess.Popen[bytes] | None = None
        self.to_it: Connection | None = None
        self.from_it: Connection | None = None
        self.sent = 0
        self.replies: dict[int, tuple[bool, object]] = {}

    def start(self) -> None:
        jobs_read, jobs_write = os.pipe()
        replies_read, replies_write = os.pipe()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))  # this process's modules
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _SERVE, str(jobs_read), str(replies_write), str(os.getpid())],
                pass_fds=(jobs_read, replies_write),
                stdin=subprocess.DEVNULL,
                env=env,
            )
        finally:
            os.close(jobs_read)
            os.close(replies_write)
        self.to_it = Connection(jobs_write, readable=False)
        self.from_it = Connection(replies_read, writable=False)

    def submit(self, fn: Callable[..., R], *args: object, **kwargs: object) -> Job[R]:
        if self.here:
            try:
                return Job(self, -1, (True, fn(*args, **kwargs)))
            except Exception as exc:  # handed over to the caller of result()
                return Job(self, -1, (False, exc))
        if self.to_it is None:
            self.start()
        assert self.to_it is not None
        try:
            self.to_it.send((fn, args, kwargs))
        except (BrokenPipeError, ConnectionResetError) as exc:  # as a pool says of a worker that died
            raise BrokenProcessPool("the background process ended before it was given the job") from exc
        self.sent += 1
        return Job(self, self.sent - 1)

    def reply(self, number: int) -> tuple[bool, object]:
        """The reply to job ``number``, reading those before it first (they come in order)."""
        assert self.from_it is not None
        while number not in self.replies:
            try:
                self.replies[len(self.replies)] = self.from_it.recv()
            except (EOFError, OSError) as exc:
                raise BrokenProcessPool("the background process ended before it answered") from exc
        return self.replies[number]

    def close(self, wait: bool = True) -> None:
        """Stop the process: once its jobs are done (``wait``), or now, mid-job (the build
        failed or was interrupted: nothing would take the result)."""
        process, to_it, from_it = self.process, self.to_it, self.from_it
        self.process = self.to_it = self.from_it = None
        if process is None or to_it is None or from_it is None:
            return
        if wait:
            to_it.send(None)
        else:
            process.terminate()
        to_it.close()
        from_it.close()
        process.wait()


#: What the background process runs (``Background.start``).
_SERVE = "import sys; from sqsgraph.build.runner import serve_jobs; serve_jobs(*map(int, sys.argv[1:]))"


class Job(Generic[R]):
    """A job submitted to ``Background``; ``result`` waits for it."""

    def __init__(self, background: Background, number: int, reply: tuple[bool, object] | None = None) -> None:
        self.background, self.number, self._reply = background, number, reply

    def result(self) -> R:
        if self._reply is None:
            self._reply = self.background.reply(self.number)
        ok, value = self._reply
        if not ok:
            assert isinstance(value, BaseException)
            raise value
        return value  # type: ignore[return-value]


def serve_jobs(jobs_fd: int, replies_fd: int, build_pid: int) -> None:
    """In the background process: run each job sent, reply with its result or its exception,
    until told to stop (``None``) or the build's process is gone."""
    _start_worker(build_pid)
    jobs, replies = Connection(jobs_fd, writable=False), Connection(replies_fd, readable=False)
    while True:
        try:
            job = jobs.recv()
        except EOFError:  # the build went away
            return
        if job is None:
            return
        fn, args, kwargs = job
        try:
            reply: tuple[bool, object] = (True, fn(*args, **kwargs))
        except Exception as exc:  # any failure of the job is the caller's to raise (``Job.result``)
            reply = (False, exc)
        try:
            replies.send(reply)
        except Exception as exc:  # a reply that cannot be pickled (holding a store, say): said so, not a dead process
            what = "raised" if not reply[0] else "returned"
            replies.send((False, BuildError(f"{_job_name(fn)} {what} what cannot be sent back ({exc}): {reply[1]!r:.300}")))


def _job_name(fn: Callable[..., object]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


@contextmanager
def open_background(here: bool) -> Iterator[Background]:
    """A ``Background`` (``here``: its jobs run in this process), stopped on the way out."""
    b = Background(here)
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
