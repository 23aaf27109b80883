"""A worker process that dies (killed for memory, most often) ends the build with a BuildError
that says what happened, what is left of the output and what to do: never a bare traceback of
``BrokenProcessPool``. The workers here really die (``os._exit``)."""

from __future__ import annotations

import os
import threading

import pytest

from sqsgraph.build.runner import IN_PROCESS_MAX, Background, Runner, worker_death
from sqsgraph.build.storejob import _result_of
from sqsgraph.errors import BuildError


def test_a_report_worker_that_dies_ends_the_build_with_what_to_do() -> None:
    runner = Runner(workers=2)
    try:
        with pytest.raises(BuildError) as raised:
            list(runner.map(os._exit, [3] * (IN_PROCESS_MAX + 1), "mapping", None))
    finally:
        runner.close()
    assert str(raised.value) == (
        "a worker process died while mapping reports (out of memory?); the output is as before; try again with fewer --workers"
    )


def test_the_query_store_process_that_dies_says_the_graph_files_are_written() -> None:
    background = Background()
    try:
        job = background.submit(os._exit, 3)
        with pytest.raises(BuildError) as raised:
            _result_of(job, "loading the query store")
    finally:
        background.close(wait=False)
    assert str(raised.value) == (
        "a worker process died while loading the query store (out of memory?); the graph files are written; build again"
    )


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("holds a lock")
        self.held = threading.Lock()  # no lock can be pickled


def _raise_unpicklable() -> None:
    raise _Unpicklable()


def test_a_background_job_whose_answer_cannot_be_sent_back_says_so_and_the_process_goes_on() -> None:
    background = Background()
    try:
        failed = background.submit(_raise_unpicklable)
        with pytest.raises(BuildError) as raised:
            _result_of(failed, "loading the query store")
        after = background.submit(os.getpid)
        assert after.result() != os.getpid()  # the same process answers the next job
    finally:
        background.close()
    assert "test_worker_death._raise_unpicklable raised what cannot be sent back" in str(raised.value)
    assert "holds a lock" in str(raised.value) and "died" not in str(raised.value)


def test_a_job_given_to_a_background_process_that_died_says_so() -> None:
    background = Background()
    try:
        with pytest.raises(BuildError):
            _result_of(background.submit(os._exit, 3), "making the query store's full-text index")
        assert background.process is not None
        background.process.wait(30)  # gone for good: the end of its answers may come before its exit is done
        with pytest.raises(BuildError) as raised, worker_death("precomputing the named queries' answers", graph_written=True):
            background.submit(os.getpid)
    finally:
        background.close(wait=False)
    assert str(raised.value).startswith("a worker process died while precomputing the named queries' answers")
