"""Worker processes that answer queries: each opens the same store read-only; a query that
outlives its time limit is stopped by killing its worker, and a fresh one takes its place.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from ..query.library import check_query
from .answer import Helpers, NamedRequest, QueryRequest, _named_queries, answer, answer_named
from .protocol import Limits, Reply

log = logging.getLogger(__name__)


def _open_helpers(text_index_path: str | None, results_path: str | None) -> Helpers:
    helpers = Helpers()
    if text_index_path:
        from ..query.textindex import TextIndex

        helpers.text_index = TextIndex(text_index_path)
    if results_path:
        from ..query.answers import Precomputed

        helpers.precomputed = Precomputed(results_path)
    return helpers


def _worker_main(store_path: str, conn: Connection, max_results: int, text_index_path: str | None = None,
                 results_path: str | None = None) -> None:
    """Body of a worker process: open the store read-only, then answer requests until EOF."""
    try:
        store = ox.Store.read_only(store_path)
        helpers = _open_helpers(text_index_path, results_path)
    except (OSError, RuntimeError, QueryError) as exc:  # RocksDB reports a missing or damaged store as RuntimeError
        conn.send(f"cannot open the store copy: {exc}")
        return
    check_query("ASK {}")  # import and warm the parser before saying ready
    _named_queries()
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if isinstance(request, NamedRequest):
            conn.send(answer_named(store, request, max_results, helpers))
        else:
            conn.send(answer(store, request, max_results))


@dataclass(eq=False)  # identity: workers live in a set
class _Worker:
    process: Any
    conn: Connection


class QueryPool:
    """Worker processes that run queries; a query over its time limit is stopped by killing the
    process that runs it (Oxigraph evaluation cannot be interrupted from another thread)."""

    def __init__(self, store_path: str, limits: Limits, text_index_path: str | None = None,
                 results_path: str | None = None) -> None:
        self.store_path = store_path
        self.limits = limits
        self.helper_paths = (text_index_path, results_path)  # the store's text index and precomputed answers
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._starting: set[Any] = set()  # worker processes not yet ready
        self._ctx = multiprocessing.get_context("spawn")  # never fork a threaded server
        starters = [threading.Thread(target=self._add_worker) for _ in range(limits.workers)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        if self._idle.qsize() < limits.workers:
            self.close()
            raise QueryError("the query worker processes did not start; when calling create_server from a script, "
                             "put the call under `if __name__ == \"__main__\":` (worker processes re-import it)")

    def _add_worker(self) -> None:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(self.store_path, child, self.limits.max_results,
                                                               *self.helper_paths),
                                    name="sqsgraph-query-worker", daemon=True)
        with self._lock:  # close() kills what is starting, so no worker outlives the store copy
            if self._closed:
                parent.close()
                child.close()
                return
            try:
                process.start()
            except RuntimeError as exc:  # spawn refuses to start while __main__ is still importing
                log.error("a query worker could not start: %s", str(exc).strip().splitlines()[0])
                parent.close()
                return
            finally:
                child.close()
            self._starting.add(process)
        worker = _Worker(process, parent)
        try:
            message = parent.recv() if parent.poll(60) else "no answer within 60 s"
        except (EOFError, OSError):
            message = "it exited"
        with self._lock:
            self._starting.discard(process)
            keep = message == "ready" and not self._closed
            if keep:
                self._all.add(worker)
        if keep:
            self._idle.put(worker)
            return
        if not self._closed:
            log.error("a query worker did not start: %s", message)
        self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if not self._closed:
            threading.Thread(target=self._add_worker, daemon=True).start()

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all)

    def run(self, request: QueryRequest | NamedRequest) -> Reply:
        """Answer ``request`` in a worker, within the time limit."""
        timeout = self.limits.timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return Reply.error(503, f"the server is busy: no query slot came free within {timeout:g} s; try again later")
        try:
            worker.conn.send(request)
            if worker.conn.poll(timeout):
                reply: Reply = worker.conn.recv()
            else:
                self._replace(worker)
                return Reply.error(503, f"query stopped: it ran longer than the time limit of {timeout:g} s; "
                                        "add LIMIT, narrow the patterns, or ask the operator for a longer --timeout")
        except (EOFError, OSError):
            self._replace(worker)
            return Reply.error(500, "the query crashed the process running it; it was not answered")
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop every worker, including any still starting."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            starting = list(self._starting)
        for process in starting:
            process.kill()
            process.join(5)
        for worker in workers:
            self._discard(worker)
