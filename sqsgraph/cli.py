"""The ``sqsgraph`` command line: thin commands that wire the stages together.

Only this module prints, reads options and chooses exit codes: 0 OK, 1 a data problem
(a bad report, a failed validation, a store error), 2 a usage problem (click's convention).
Each command turns its options into one library call and formats the result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .console import (
    SqsgraphGroup,
    StageProgress,
    build_inputs,
    chosen_query,
    configure_logging,
    deprecated_graph_argument,
    exit_on_report_errors,
    graph_option,
    key_value,
    load_graph_for_views,
    network_cuts_of,
    open_graph_store,
    parse_reports,
    push_credentials,
    report_arguments,
    report_texts,
    resolve_graph,
    resolve_reports,
    shacl_engine_option,
    skip_what_is_not_a_report,
    stdout_is_terminal,
    store_for_comparison,
    store_for_query,
)
from .echo import WARNINGS_SHOWN, echo_build_result, echo_query_notes, query_listing_lines
from .network.formats import STATS_FORMATS
from .outputs import DEFAULT_OUT, views_dir
from .query.formats import RESULT_FORMATS
from .rdf.formats import FORMAT_NAMES, PUSH_FORMATS
from .read.formatting import report_summary

if TYPE_CHECKING:
    from pyoxigraph import Store
    from rdflib import Dataset


@click.group(cls=SqsgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sqsgraph")
@click.option(
    "-v", "--verbose", count=True, help="Show the log of the libraries sqsgraph uses too (-v: their INFO lines, -vv: DEBUG)."
)
def main(verbose: int) -> None:
    """Turn HMI Probation SQS inspection reports into a knowledge graph.

    Example: sqsgraph build && sqsgraph query people-in-several-reports
    """
    configure_logging(verbose)


# --- build, validate, people -------------------------------------------------------------------


#: Rows `sqsgraph query` shows on a terminal unless --limit says otherwise: the first page, quickly.
DEFAULT_QUERY_LIMIT = 200


@main.command("build")
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for the graph files (sqsgraph.nq is always written too).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    default=("turtle",),
    show_default=True,
    type=click.Choice(FORMAT_NAMES),
    help="Graph format (repeatable).",
)
@click.option("--base", default="https://w3id.org/sqsgraph/id/", show_default=True, help="Base IRI of instance data.")
@click.option(
    "--identities",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file of same-as / different-from decisions that win over the identity rules, "
    "and of areas' ONS codes ([gss]) that win over the lookup.",
)
@click.option("--no-docs", is_flag=True, help="Do not write ontology.html.")
@click.option("--no-views", is_flag=True, help="Do not write the HTML network views into OUT/views/.")
@click.option("--no-validate", is_flag=True, help="Do not check the graph against the SHACL shapes.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Processes for the per-report work  [default: one per core]."
)
@click.option("--no-cache", is_flag=True, help="Do not keep per-report results in OUT/.cache/ for the next build.")
@shacl_engine_option
@click.option(
    "--all-warnings", is_flag=True, help=f"Print every warning (by default the first {WARNINGS_SHOWN} and how many more)."
)
def build_command(
    reports: tuple[Path, ...],
    out_dir: Path,
    formats: tuple[str, ...],
    base: str,
    identities: Path | None,
    no_docs: bool,
    no_views: bool,
    no_validate: bool,
    workers: int | None,
    no_cache: bool,
    shacl_engine: str,
    all_warnings: bool,
) -> None:
    """Build the knowledge graph of REPORTS, validate it, write it.

    With no REPORTS, rebuilds what the last build into OUT was built from, or, into a folder
    with no build yet, the bundled samples.

    Reports are parsed, mapped and validated in parallel, and each result is cached in
    OUT/.cache/, so a rebuild after editing one report redoes only that report.

    Example: sqsgraph build reports/ -o output/ --format trig
    """
    from .build.pipeline import build

    paths = build_inputs(reports, out_dir)
    with StageProgress() as progress:
        try:
            result = build(
                paths,
                out_dir,
                base,
                formats,
                progress=progress,
                identities=identities,
                docs=not no_docs,
                views=not no_views,
                validate=not no_validate,
                workers=workers,
                cache=not no_cache,
                shacl_engine=shacl_engine,
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    if not echo_build_result(result, all_warnings):
        sys.exit(1)


@main.command("validate")
@graph_option
@deprecated_graph_argument
@shacl_engine_option
def validate_command(graph: Path | None, graph_argument: Path | None, shacl_engine: str) -> None:
    """Check a graph file against the SHACL shapes and say what is wrong in plain words.

    --graph: .nq, .trig, .ttl, .nt or .jsonld, or a build's folder (default: output/sqsgraph.nq,
    the last build). [GRAPH] as an argument is deprecated.

    Example: sqsgraph validate --graph output/sqsgraph.ttl
    """
    from .rdf.validator import validate_file

    graph_file = resolve_graph(graph, graph_argument)
    report = validate_file(graph_file, engine=shacl_engine)
    for line in report.lines():
        click.echo(line)
    if not report.conforms:
        sys.exit(1)


@main.command("people")
@graph_option
@deprecated_graph_argument
def people_command(graph: Path | None, graph_argument: Path | None) -> None:
    """List the persons of a graph with their posts and reports, then the candidate matches.

    Example: sqsgraph people --graph output/
    """
    from .query.people import listing_lines
    from .rdf.datasets import load_dataset

    graph_file = resolve_graph(graph, graph_argument)
    dataset: Store | Dataset | None = open_graph_store(graph_file)
    if dataset is None:
        dataset = load_dataset(graph_file, backend="oxigraph")  # its SPARQL is fast on joins
    for line in listing_lines(dataset):
        click.echo(line)


# --- the SPARQL endpoint -----------------------------------------------------------------------
@main.command("serve")
@graph_option
@deprecated_graph_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; keep loopback behind a reverse proxy.")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True, help="Port (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-results", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows or triples per answer.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Queries run at the same time.")
def serve_command(
    graph: Path | None, graph_argument: Path | None, host: str, port: int, timeout: float, max_results: int, workers: int
) -> None:
    """Serve a graph read-only over the SPARQL 1.1 Protocol, with a query page at /.

    --graph: a graph file or a build's folder (default: output/sqsgraph.nq from `sqsgraph
    build`). [GRAPH] as an argument is deprecated.

    Example: sqsgraph serve --graph output/ --port 7879 --timeout 30
    """
    import logging

    from .query.querystore import default_store_dir as database_folder
    from .serve.server import Limits, create_server, run

    logging.basicConfig(level=logging.INFO, format="%(message)s")

    graph = resolve_graph(graph, graph_argument)
    store = open_graph_store(graph)
    source = graph if store is None else database_folder(graph)
    del store
    try:
        server = create_server(source, host, port, Limits(timeout=timeout, max_results=max_results, workers=workers))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    click.echo(f"serving {graph} at {server.url} (SPARQL endpoint {server.url}sparql); Ctrl-C stops")
    run(server)


# --- push to a triple store --------------------------------------------------------------------
@main.command("push")
@graph_option
@deprecated_graph_argument
@click.option(
    "--store",
    "store_url",
    required=True,
    metavar="URL",
    help="Graph Store Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph).",
)
@click.option("--auth", metavar="USER:PASSWORD", help="HTTP Basic or Digest credentials, as the store asks.")
@click.option("--token-env", metavar="VAR", help="Send a bearer token read from this environment variable.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PUSH_FORMATS),
    default="ntriples",
    show_default=True,
    help="Content type of the uploads (the same N-Triples bytes either way).",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Delete the store's graphs under the build's base IRI that this build does not have, "
    "so the store holds exactly this build.",
)
@click.option(
    "--query-url",
    metavar="URL",
    help="The store's SPARQL query service, asked which graphs it holds  "
    "[default: from --store: Oxigraph /query, Fuseki /DATASET/query, Virtuoso /sparql].",
)
def push_command(
    graph: Path | None,
    graph_argument: Path | None,
    store_url: str,
    auth: str | None,
    token_env: str | None,
    fmt: str,
    prune: bool,
    query_url: str | None,
) -> None:
    """PUT every named graph of a graph file to a triple store (pushing twice gives the same store).

    --graph: a graph file or a build's folder (default: output/sqsgraph.nq, the last build).
    [GRAPH] as an argument is deprecated.

    Says on stderr which graphs the store holds under the build's base IRI that this build does
    not have (left by an earlier push); --prune deletes them after the push.

    Example: sqsgraph push --store http://localhost:7878/store
    """
    from .publish.push import iter_notice_lines, iter_report_lines, push_file, store_url_problem

    if problem := store_url_problem(store_url):  # a usage error, before the graph is read
        raise click.BadParameter(problem, param_hint="--store")
    credentials, token = push_credentials(auth, token_env)
    report = push_file(
        resolve_graph(graph, graph_argument), store_url, auth=credentials, token=token, fmt=fmt, prune=prune, query_url=query_url
    )
    for line in iter_report_lines(report):
        click.echo(line)
    for line in iter_notice_lines(report):
        click.echo(line, err=True)


def write_compare_view(graph_file: Path, out_dir: Path) -> None:
    """`sqsgraph view compare`: the comparison page of ``graph_file``, from its query store (and
    the answers kept beside it) when it has one, else from the file loaded into memory."""
    from .network.compare import build_comparison, summary_line, write_comparison

    comparison = build_comparison(*store_for_comparison(graph_file))
    click.echo(summary_line(write_comparison(comparison, out_dir), comparison))
    if comparison.notice:
        click.echo(comparison.notice)


@main.command("view")
@click.argument("kind", type=click.Choice(["overview", "people", "focus", "findings", "compare"]))
@click.option("--focus", "focus", metavar="NAME_OR_IRI", help="focus view: a person, area, body or organisation.")
@click.option("--hops", type=click.IntRange(min=1), default=1, show_default=True, help="focus view: how far out.")
@graph_option
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the HTML file into  [default: views/ beside the graph, output/views/ for the last build].",
)
def view_command(kind: str, focus: str | None, hops: int, graph: Path | None, out_dir: Path | None) -> None:
    """Write one interactive network view as a self-contained HTML file (works offline).

    KIND: overview, people, focus (needs --focus), findings, or compare (areas against themes:
    favourable shares, reoffending rates).

    Example: sqsgraph view focus --focus "Jane Doe" --hops 2
    """
    import pyoxigraph as ox

    from .network.views import build_view, write_view

    if focus is not None and kind != "focus":
        raise click.UsageError(f"--focus applies to the focus view only, not to {kind}")
    graph_file = resolve_graph(graph)
    if out_dir is None:
        out_dir = views_dir(graph_file.parent)
    if kind == "compare":
        return write_compare_view(graph_file, out_dir)
    dataset = load_graph_for_views(graph_file)
    # the part each default view shows, chosen when the query store was made (``netindex``)
    cuts = network_cuts_of(graph_file) if kind != "focus" and isinstance(dataset, ox.Store) else None
    view = build_view(dataset, kind, focus=focus, hops=hops, cuts=cuts)
    path = write_view(view, out_dir)
    click.echo(f"wrote {path}: {view.graph.number_of_nodes()} nodes, {view.graph.number_of_edges()} links")
    if view.notice:
        click.echo(view.notice)


@main.command("stats")
@graph_option
@click.option("--format", "fmt", type=click.Choice(STATS_FORMATS), default="table", show_default=True)
def stats_command(graph: Path | None, fmt: str) -> None:
    """Network figures: counts by kind, top people and organisations, components, communities.

    Example: sqsgraph stats --format csv > stats.csv
    """
    from .network.analytics import STATS_FORMATTERS, stats_of

    click.echo(STATS_FORMATTERS[fmt](stats_of(load_graph_for_views(resolve_graph(graph)))))


@main.command("parse")
@report_arguments
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "summary"]),
    default="summary",
    show_default=True,
    help="json: the documented JSON array, one object per file; summary: a digest per report.",
)
@click.option("--strict", is_flag=True, help="Stop at the first file that is not a readable report.")
@click.option(
    "--text",
    "text_only",
    is_flag=True,
    help="Print the text sqsgraph reads instead (for a PDF, the text it derives from the pages, "
    "which every span counts in); files apart by a form feed.",
)
def parse_command(reports: tuple[Path, ...], fmt: str, strict: bool, text_only: bool) -> None:
    """Read reports into the typed model and print what was found.

    REPORT_OR_DIR: report files or folders of them; the bundled samples when none are given.
    Files found in folders that are not SQS reports (a README.md) are skipped with a note.

    Example: sqsgraph parse reports/ --format json > reports.json
    """
    files, problems, walked = resolve_reports(reports)
    if strict and problems:
        raise click.ClickException(str(problems[0]))
    if text_only:
        texts, errors = report_texts(files, problems, walked, strict)
        click.echo("\f\n".join(texts), nl=False)
        exit_on_report_errors(skip_what_is_not_a_report(errors, walked))
        return
    outcome = parse_reports(files, problems, walked, strict)
    if fmt == "json":
        click.echo(json.dumps([r.to_json() for r in outcome.reports], indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(report_summary(r) for r in outcome.reports))
    exit_on_report_errors(outcome.errors)


@main.command("queries")
def queries_command() -> None:
    """List the named queries, one line each.

    Example: sqsgraph queries
    """
    from .query.library import load_queries

    for line in query_listing_lines(load_queries()):
        click.echo(line)


@main.command("query")
@click.argument("name_or_file", required=False)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter the query declares (repeatable); matched ignoring case, spaces, dashes and quote marks.",
)
@click.option("--sparql", help="Run this SPARQL text instead of a named query (read-only: no updates, no SERVICE).")
@graph_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="csv and tsv: plain values; sparql-tsv: SPARQL TSV, terms with their types.",
)
@click.option("--wide", is_flag=True, help="table and markdown: show long values whole instead of cutting them.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help=f"Rows (or triples) to show; 0 shows all of them  [default: {DEFAULT_QUERY_LIMIT} on a terminal, "
    "all when the output is piped or redirected].",
)
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Rows to skip first (the next page: --offset 200 with --limit 200).",
)
def query_command(
    name_or_file: str | None,
    params: tuple[str, ...],
    sparql: str | None,
    graph: Path | None,
    fmt: str,
    wide: bool,
    limit: int | None,
    offset: int,
) -> None:
    """Answer a named question (see `sqsgraph queries`) or your own SPARQL from the graph.

    On a terminal, shows the first 200 rows unless --limit says otherwise (--limit 0: all rows);
    when more follow, a note on stderr says how to ask for them. Piped or redirected to a file,
    writes all rows unless --limit is given.

    Example: sqsgraph query people-by-organisation --param organisation=Ofsted --format csv
    """
    from .query.library import bind_params
    from .query.results import format_result
    from .query.run import run_query, suggestions

    query = chosen_query(name_or_file, sparql)  # before the graph is opened: the endpoint's rules, said at once
    given = dict(key_value(p) for p in params)
    bindings = bind_params(query, given)
    store, index, answers = store_for_query(resolve_graph(graph))
    if limit is None:
        limit = DEFAULT_QUERY_LIMIT if stdout_is_terminal() else 0
    result = run_query(store, query.text, bindings, text_index=index, limit=limit or None, offset=offset, precomputed=answers)
    text = format_result(result, fmt, wide=wide)
    click.echo(text, nl=not text.endswith("\n"))
    echo_query_notes(result, fmt, wide=wide, offset=offset)
    if result.kind == "select" and not result.rows and not offset and given and not query.adhoc:
        for line in suggestions(store, query, given):
            click.echo(f"note: {line}", err=True)


@main.command("synth")
@click.argument("count", type=click.IntRange(min=1))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same corpus.")
@click.option(
    "--pdf", "as_pdf", is_flag=True, help="Write each report as a PDF laid out by reportlab (needs the pdf-make extra)."
)
def synth_command(count: int, out_dir: Path, seed: int, as_pdf: bool) -> None:
    """Write COUNT synthetic SQS-like reports into OUT_DIR, for benchmarks and scale tests.

    Half use the light-markup rendering, half the PDF-extracted one; a shared pool of national
    officials recurs across reports, as in the real corpus.

    With --pdf every report is written as a PDF instead (made from the light-markup rendering),
    for benchmarks of the PDF reader.

    Example: sqsgraph synth 1000 /tmp/corpus && sqsgraph build /tmp/corpus -o /tmp/out
    """
    from .synth.corpus import write_corpus, write_pdf_corpus

    paths = (write_pdf_corpus if as_pdf else write_corpus)(count, out_dir, seed=seed)
    click.echo(f"wrote {len(paths)} reports to {out_dir}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
