"""The one place that knows what a build's output folder holds and where::

output/                 DEFAULT_OUT (``sqsgraph build -o``)
  sqsgraph.nq           QUADS_FILE: always written; what every other command reads
  sqsgraph.ttl ...      GRAPH_STEM + the suffix of each format asked for
  ontology.html         ONTOLOGY_DOCS
  views/                VIEWS_DIR: the HTML network views
  store/                STORE_DIR: the query store, beside the graph file it was loaded from
  .cache/               CACHE_DIR: per-report results for the next build
  .sqsgraph-build.json  BUILD_RECORD: what the build was made from, for a bare rebuild
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_OUT = Path("output")
GRAPH_STEM = "sqsgraph"
QUADS_FILE = f"{GRAPH_STEM}.nq"
ONTOLOGY_DOCS = "ontology.html"
VIEWS_DIR = "views"
STORE_DIR = "store"
CACHE_DIR = ".cache"
BUILD_RECORD = ".sqsgraph-build.json"


def quads_file(out_dir: str | Path) -> Path:
    """The N-Quads file of the build in ``out_dir``."""
    return Path(out_dir) / QUADS_FILE


def store_dir(graph_file: str | Path) -> Path:
    """Where the query store of a graph file lives: ``store/`` beside it."""
    return Path(graph_file).parent / STORE_DIR


def views_dir(out_dir: str | Path) -> Path:
    """Where a build writes its views."""
    return Path(out_dir) / VIEWS_DIR


#: the graph file commands read when none is named: the last build's
LAST_BUILD = quads_file(DEFAULT_OUT)
