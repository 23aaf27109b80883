"""The query store the build leaves, and the views drawn from it: the store loads from the
N-Quads (unless it is fresh already) in a process of its own while the reports are validated;
once it is live, that process makes its full-text index while a second one cuts the networks
for the views (``network.netindex``: the cuts are kept with the store), and ends, giving its
memory back; the first then precomputes the named queries' answers, and the views are drawn
from the cuts. The first query, or view, then opens the store as it is.

Why a second process, beside the text index only: at 10,000 reports the cutting (37 s) hides
the text index (29 s) at 2.4 GB for the whole build; beside the precomputing it took 3.4 GB,
and after it, in the same process, 2.7 GB (its memory is not given back). Nor is it cut in the
build's own process (but for a small build, run all in one process): its memory, once grown,
would stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..outputs import QUADS_FILE, views_dir
from .records import Progress
from .runner import Background, Job, R, open_background, worker_death


@dataclass(frozen=True)
class QueryStoreJob:
    """The query store being made in the background: loaded (live), then its full-text index
    made; its answers are precomputed once the networks are cut (``draw_views``)."""

    background: Background
    store_dir: Path
    loaded: Job[Path]
    indexed: Job[Path | None]


def start_query_store(background: Background, quads: Path) -> QueryStoreJob:
    from ..query.querystore import default_store_dir, ensure_query_store, ensure_text_index

    store_dir = default_store_dir(quads)
    loaded = background.submit(ensure_query_store, quads, precompute=False, text_index=False)
    return QueryStoreJob(background, store_dir, loaded, background.submit(ensure_text_index, store_dir))


def draw_views(job: QueryStoreJob, out: Path, read_from: dict[str, str], progress: Progress | None) -> list[Path]:
    """The views and the comparison page, drawn from the query store the query commands read
    (built from the N-Quads unless it is fresh already, so the first query needs no load), once
    its precomputed answers are written: its size is not bounded by memory, and the views cut
    what they show, saying so, as ``views`` describes."""
    from ..network.compare import write_compare
    from ..network.netindex import read_network_index, usable_network_index, write_network_index
    from ..network.views import write_views
    from ..query.querystore import ensure_network_index, ensure_precomputed, open_precomputed, open_query_store

    step = _Step(progress)
    with step("loading the query store"):
        _result_of(job.loaded, "loading the query store")
    with step("cutting the networks for the views"), open_background(here=job.background.here) as cutter:
        # a store left fresh by the last build keeps its cuts, unless this version cannot read them
        cut = cutter.submit(ensure_network_index, job.store_dir, write_network_index, usable_network_index)
        cuts_file = _result_of(cut, "cutting the networks for the views")
    # the cutting process has ended: its memory is back before the answers are precomputed
    with step("precomputing the named queries' answers"):
        _result_of(job.indexed, "making the query store's full-text index")
        with worker_death("precomputing the named queries' answers", graph_written=True):
            answered = job.background.submit(ensure_precomputed, job.store_dir)
        _result_of(answered, "precomputing the named queries' answers")
    job.background.close()
    with step("drawing the views"):
        cuts = read_network_index(cuts_file)
        graph_store = open_query_store(out / QUADS_FILE, rebuild=False)
        files = write_views(graph_store, views_dir(out), read_from, cuts)
        # the comparison page (areas against themes), its counts answered from the store's kept answers
        files.append(write_compare(graph_store, views_dir(out), read_from, open_precomputed(job.store_dir)))
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


def _result_of(job: Job[R], doing: str) -> R:
    with worker_death(doing, graph_written=True):
        return job.result()
