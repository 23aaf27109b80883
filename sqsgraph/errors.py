"""The one exception tree of sqsgraph. Library code raises these; each carries the exit status
the command line ends with (``exit_status``: 1 for a data problem, 2 for a usage problem), and
only ``cli.py`` turns them into messages, in one place (``SqsgraphCommand``).

    SqsgraphError
    ├── ReportError            a report file cannot be read as an SQS report (carries the path)
    │   ├── UnreadableFileError    missing, a directory, or not decodable as text
    │   ├── BinaryFileError        contains binary data
    │   └── NotAReportError        text, but none of the parts of an SQS report
    ├── GraphError             an RDF graph file cannot be loaded
    │   └── StaleStoreError        the query store was built from an older graph file
    ├── ValidationFailed       the graph does not conform to the SHACL shapes
    ├── QueryError             a SPARQL query is malformed or refused
    │   └── QueryNotFound          no named query of that name
    ├── PushError              a triple store answered a push with an error
    ├── BuildError             a build could not finish (a worker process died)
    └── UsageError             options that do not fit together
"""

from __future__ import annotations


class SqsgraphError(Exception):
    """Base of every error sqsgraph raises on purpose."""

    #: how ``sqsgraph`` exits on it: 1, the data is at fault; 2, the command was given wrongly
    exit_status = 1


class ReportError(SqsgraphError):
    """A report file cannot be read as an SQS report."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")

    def __reduce__(self) -> tuple[type[ReportError], tuple[str, str]]:
        # as made, not from ``args`` (the message): sent back from a worker process whole
        return type(self), (self.path, self.problem)


class UnreadableFileError(ReportError):
    """The file is missing, a directory, or cannot be decoded as text."""


class BinaryFileError(ReportError):
    """The file holds binary data, not text."""


class NotAReportError(ReportError):
    """The file is text but has none of the parts of an SQS report."""


class GraphError(SqsgraphError):
    """An RDF graph file cannot be loaded."""


class StaleStoreError(GraphError):
    """The on-disk query store is missing or was built from an older version of the graph file."""


class ValidationFailed(SqsgraphError):
    """The graph does not conform to the SHACL shapes."""


class QueryError(SqsgraphError):
    """A SPARQL query is malformed or refused (updates, SERVICE, limits)."""

    exit_status = 2  # the query or its parameters as given


class QueryNotFound(QueryError):
    """No named query has that name."""


class PushError(SqsgraphError):
    """A triple store answered a push with an error."""


class BuildError(SqsgraphError):
    """A build could not finish for a reason that is not one report's: a worker process died."""


class UsageError(SqsgraphError):
    """Options that do not fit together."""

    exit_status = 2
