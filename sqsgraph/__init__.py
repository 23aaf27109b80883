"""sqsgraph: HMI Probation Short Quality Screening reports as a linked-data knowledge graph.

The Python API, the same steps as the command line::

    import sqsgraph

    report = sqsgraph.parse_file("reports/kent.pdf")          # the typed model of one report
    result = sqsgraph.build_graph(["reports/"], out_dir="output")  # graph files, query store, views
    rows = sqsgraph.run_query("output", "people-in-several-reports", {"name_part": "fox"})
    rows.columns, rows[0]["reports"], rows.to_dataframe()     # plain values; pandas if installed

Every name below is imported on first use, so ``import sqsgraph`` stays quick. Each lives in its
stage's package (``read``, ``build``, ``query``, ``network``, ``serve``; ``run_query`` and
``open_query_store`` in ``query/api.py``); see docs/architecture.md. The function that builds
is ``build_graph``: ``sqsgraph.build`` is the build stage's package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    BinaryFileError,
    BuildError,
    GraphError,
    NotAReportError,
    PushError,
    QueryError,
    QueryNotFound,
    ReportError,
    SqsgraphError,
    StaleStoreError,
    UnreadableFileError,
    UsageError,
    ValidationFailed,
)

if TYPE_CHECKING:
    from .build.pipeline import build as build_graph
    from .build.records import BuildResult
    from .network.views import write_views
    from .query.api import open_query_store, run_query
    from .query.rows import Rows
    from .read.model import Report, SourceDocument
    from .read.parser import parse_file, parse_report
    from .serve.server import create_server

__version__ = "0.1.0"

#: name -> (module, name there) of what is imported on first use
_LAZY: dict[str, tuple[str, str]] = {
    "parse_file": ("sqsgraph.read.parser", "parse_file"),
    "parse_report": ("sqsgraph.read.parser", "parse_report"),
    "Report": ("sqsgraph.read.model", "Report"),
    "SourceDocument": ("sqsgraph.read.model", "SourceDocument"),
    "build_graph": ("sqsgraph.build.pipeline", "build"),
    "BuildResult": ("sqsgraph.build.records", "BuildResult"),
    "open_query_store": ("sqsgraph.query.api", "open_query_store"),
    "run_query": ("sqsgraph.query.api", "run_query"),
    "Rows": ("sqsgraph.query.rows", "Rows"),
    "write_views": ("sqsgraph.network.views", "write_views"),
    "create_server": ("sqsgraph.serve.server", "create_server"),
}

__all__ = [
    # read one report
    "parse_file",
    "parse_report",
    "Report",
    "SourceDocument",
    # build the graph of many
    "build_graph",
    "BuildResult",
    # ask it
    "open_query_store",
    "run_query",
    "Rows",
    # look at it, serve it
    "write_views",
    "create_server",
    # what goes wrong (errors.py draws the tree)
    "SqsgraphError",
    "ReportError",
    "UnreadableFileError",
    "BinaryFileError",
    "NotAReportError",
    "GraphError",
    "StaleStoreError",
    "ValidationFailed",
    "QueryError",
    "QueryNotFound",
    "PushError",
    "BuildError",
    "UsageError",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'sqsgraph' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # imported once: later lookups find it here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
