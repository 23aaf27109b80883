"""The query store the build leaves, and the views drawn from it: the store loads from the
N-Quads (unless it is fresh already) in a process of its own while the reports are validated,
then its named queries' answers are precomputed there; the process then ends, giving back its
memory, before the networks are read whole to cut the views (``network.netindex``: the cuts are
kept with the store) and the views are drawn from the cuts. Reading the networks beside the
precomputing took 3.4 GB at 10,000 reports, and after it in the same process 2.7 GB. The first
query, or view, then opens the store as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..outputs import QUADS_FILE, views_dir
from .records import Progress
from .runner import Background, Job, worker_death


@dataclass(frozen=True)
class QueryStoreJob:
    """The query store being made in the background: loaded, then answered (its precomputed
    answers written beside it)."""

    background: Background
    loaded: Job[Path]
    answered: Job[Path]


def start_query_store(background: Background, quads: Path) -> QueryStoreJob:
    from ..query.querystore import default_store_dir, ensure_precomputed, ensure_query_store

    loaded = background.submit(ensure_query_store, quads, precompute=False)
    return QueryStoreJob(background, loaded, background.submit(ensure_precomputed, default_store_dir(quads)))


def draw_views(job: QueryStoreJob, out: Path, read_from: dict[str, str], progress: Progress | None) -> list[Path]:
    """The views and the comparison page, drawn from the query store the query commands read
    (built from the N-Quads unless it is fresh already, so the first query needs no load), once
    its precomputed answers are written: its size is not bounded by memory, and the views cut
    what they show, saying so, as ``views`` describes."""
    from ..network.compare import write_compare
    from ..network.netindex import read_network_index, write_network_index
    from ..network.views import write_views
    from ..query.querystore import default_store_dir, ensure_network_index, open_precomputed, open_query_store

    step = _Step(progress)
    with step("loading the query store"):
        _result_of(job.loaded, "loading the query store")
    with step("precomputing the named queries' answers"):
        _result_of(job.answered, "precomputing the named queries' answers")
    job.background.close()  # its memory back before the networks are read whole
    with step("cutting the networks for the views"):
        cuts = read_network_index(ensure_network_index(default_store_dir(out / QUADS_FILE), write_network_index))
    with step("drawing the views"):
        graph_store = open_query_store(out / QUADS_FILE, rebuild=False)
        files = write_views(graph_store, views_dir(out), read_from, cuts)
        # the comparison page (areas against themes), its counts answered from the store's kept answers
        files.append(write_compare(graph_store, views_dir(out), read_from, open_precomputed(default_store_dir(out / QUADS_FILE))))
        del graph_store
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
    with worker_death(doing, graph_written=True):
        return job.result()
