"""The one registry of query result formats: the names ``sqsgraph query --format`` takes, and the
media types the endpoint answers in, with the other names clients use for them. The writers are
elsewhere (``results.WRITERS`` for the command line, ``serve.protocol`` for the endpoint); this
module imports nothing, so the command line lists the names without loading the query engine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str | None  # None: for people or spreadsheets only, no standard media type
    command_line: bool = True  # ``sqsgraph query --format NAME``
    endpoint: bool = False  # the endpoint answers in it (SPARQL 1.1 Query Results formats)
    aliases: tuple[str, ...] = ()  # other names clients use for it (``Accept``, ``format=``)


RESULTS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat("table", None),
        ResultFormat("csv", "text/csv", endpoint=True, aliases=("csv",)),  # SPARQL 1.1 CSV: plain values
        ResultFormat("tsv", None),  # plain values, for shell tools
        ResultFormat("sparql-tsv", "text/tab-separated-values", endpoint=True, aliases=("tsv",)),  # terms keep their types
        ResultFormat("json", "application/sparql-results+json", endpoint=True, aliases=("application/json", "json", "srj")),
        ResultFormat(
            "xml",
            "application/sparql-results+xml",
            command_line=False,
            endpoint=True,
            aliases=("application/xml", "text/xml", "xml", "srx"),
        ),
        ResultFormat("markdown", None),
    )
}
#: ``sqsgraph query --format`` choices, in the order ``--help`` lists them
RESULT_FORMATS = tuple(name for name, f in RESULTS.items() if f.command_line)
