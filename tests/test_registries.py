"""One registry per concern: the command line, the endpoint and the writers read the same tables."""

from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox
import pytest

from sqsgraph.cli import main
from sqsgraph.network.analytics import STATS_FORMATTERS
from sqsgraph.network.formats import STATS_FORMATS
from sqsgraph.query.formats import RESULT_FORMATS
from sqsgraph.query.results import WRITERS
from sqsgraph.rdf.datasets import graph_format
from sqsgraph.rdf.formats import FORMAT_NAMES, FORMATS, SUFFIXES, by_media_type, format_of_suffix, get_format
from sqsgraph.serve import protocol


def _choices(command: str, option: str) -> tuple[str, ...]:
    cmd = main.commands[command]
    param = next(p for p in cmd.params if p.name == option)
    assert isinstance(param.type, click.Choice)
    return tuple(param.type.choices)


def test_the_command_line_offers_exactly_what_the_writers_write() -> None:
    assert _choices("build", "formats") == FORMAT_NAMES
    assert _choices("query", "fmt") == RESULT_FORMATS == tuple(WRITERS)
    assert _choices("stats", "fmt") == STATS_FORMATS == tuple(STATS_FORMATTERS)
    assert set(_choices("push", "fmt")) <= set(FORMAT_NAMES)


def test_every_written_format_is_read_back_by_its_suffix() -> None:
    for name in FORMAT_NAMES:
        fmt = get_format(name)
        assert format_of_suffix(f"graph{fmt.suffix}") is fmt
        assert graph_format(Path(f"x/graph{fmt.suffix.upper()}")) is fmt
        for other in fmt.other_suffixes:
            assert SUFFIXES[other] is fmt
    with pytest.raises(ValueError, match="choose one of"):
        get_format("rdfxml")  # served and read, never written by a build


def test_the_endpoint_offers_graph_answers_in_registry_formats() -> None:
    for media in protocol.GRAPH_OFFERS:
        fmt = by_media_type(media)
        assert fmt is not None and fmt.media_type == media
        assert protocol._OX_GRAPH_FORMATS[media] is fmt.oxigraph
    assert by_media_type("application/json") is FORMATS["jsonld"]
    assert by_media_type("text/plain") is FORMATS["ntriples"]
    assert by_media_type("ttl") is FORMATS["turtle"]
    assert by_media_type("application/sparql-results+json") is None


def test_each_format_names_the_parser_that_reads_it() -> None:
    triple = '<http://example.org/s> <http://example.org/p> "o" .\n'
    for name in ("turtle", "ntriples"):
        parsed = list(ox.parse(triple.encode(), format=FORMATS[name].oxigraph))
        assert len(parsed) == 1


def test_errors_carry_their_exit_status_and_the_cli_maps_them_in_one_place(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sqsgraph import errors

    assert errors.UsageError("x").exit_status == errors.QueryError("x").exit_status == 2
    assert errors.GraphError("x").exit_status == errors.BuildError("x").exit_status == 1
    bad = tmp_path / "graph.nq"
    bad.write_text("this is not N-Quads\n")
    run = CliRunner().invoke(main, ["validate", "--graph", str(bad)])
    assert run.exit_code == 1 and str(bad) in run.output and "Traceback" not in run.output
    run = CliRunner().invoke(main, ["query", "no-such-query", "--graph", str(bad)])
    assert run.exit_code == 2 and "no-such-query" in run.output


def test_the_endpoint_and_the_command_line_read_one_table_of_result_formats() -> None:
    from sqsgraph.query.formats import RESULTS

    endpoint = {f.media_type for f in RESULTS.values() if f.endpoint}
    assert set(protocol.RESULT_OFFERS) == endpoint
    for f in RESULTS.values():
        for alias in f.aliases:
            assert protocol._ALIASES_RESULTS[alias] == f.media_type
    assert _choices("query", "fmt") == tuple(name for name, f in RESULTS.items() if f.command_line)
    # the same format under both: SPARQL JSON is `--format json` and the endpoint's default
    assert protocol.RESULT_OFFERS[0] == RESULTS["json"].media_type
