"""The Python API as a new user meets it: ``import sqsgraph``, build the samples, ask a named
question with a dict of parameters, get plain rows (and a DataFrame), and clear errors for the
wrong parameters. Facts are checked against the parser's reading of the same samples."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

import sqsgraph
from sqsgraph.query.rows import Rows, plain_value
from sqsgraph.read.reader import sample_paths

FOAF = "http://xmlns.com/foaf/0.1/"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five bundled samples built as ``sqsgraph build`` builds them (no ontology page)."""
    folder = tmp_path_factory.mktemp("api") / "output"
    result = sqsgraph.build_graph(out_dir=folder, docs=False)
    assert result.ok, result.failures
    return folder


@pytest.fixture(scope="module")
def samples() -> list[sqsgraph.Report]:
    return [sqsgraph.parse_file(p) for p in sample_paths()]


def test_dir_lists_the_api_and_every_name_is_there() -> None:
    listed = dir(sqsgraph)
    for name in ("parse_file", "parse_report", "build_graph", "run_query", "open_query_store", "Rows",
                 "write_views", "create_server", "SqsgraphError", "QueryError", "UsageError", "GraphError"):
        assert name in sqsgraph.__all__ and name in listed, name
    for name in sqsgraph.__all__:
        assert getattr(sqsgraph, name) is not None, name
    errors = {n for n, c in vars(sqsgraph.errors).items() if isinstance(c, type) and issubclass(c, sqsgraph.SqsgraphError)}
    assert errors <= set(sqsgraph.__all__)  # every error a caller may catch
    assert (Path(sqsgraph.__file__).parent / "py.typed").is_file()  # type checkers read the package's own types
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        sqsgraph.nothing_here  # noqa: B018


def test_import_sqsgraph_is_cheap() -> None:
    """The API is imported on first use: ``import sqsgraph`` loads neither RDF library."""
    code = "import sys, sqsgraph; print(sorted(m for m in ('rdflib', 'pyoxigraph', 'networkx') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_a_named_query_with_a_dict_of_parameters_gives_plain_rows(out: Path) -> None:
    rows = sqsgraph.run_query(out, "people-in-several-reports", {"name_part": "fox"})
    assert rows.columns == ("name", "reports", "posts", "organisations", "areas", "person")
    assert rows.to_dicts() == [{
        "name": "Julie Fox",
        "reports": 3,
        "posts": "HM Assistant Chief Inspector",
        "organisations": "HM Inspectorate of Probation",
        "areas": "Barnet; Bedfordshire; Kent",
        "person": "https://w3id.org/sqsgraph/id/person/julie-fox",
    }]
    assert list(rows) == rows.to_dicts() and rows[0] == rows.to_dicts()[0]
    assert rows.tuples[0][:2] == ("Julie Fox", 3)
    assert repr(rows) == "<Rows: 1 row; columns name, reports, posts, organisations, areas, person>"


def test_values_come_typed_as_the_parser_read_them(out: Path, samples: list[sqsgraph.Report]) -> None:
    timeline = {row["area"]: row for row in sqsgraph.run_query(out, "inspection-timeline")}
    assert set(timeline) == {r.area for r in samples}
    for report in samples:
        row = timeline[report.area]
        assert row["start"] == date.fromisoformat(report.inspection.start)
        assert row["issued"] == date.fromisoformat(report.publication_date)
        assert row["cases"] == report.cases_examined and isinstance(row["cases"], int)
    rates = {row["area"]: row for row in sqsgraph.run_query(out, "reoffending-vs-comparator")}
    stated = {r.area: r.reoffending for r in samples if r.reoffending is not None and r.reoffending.rate is not None}
    assert set(rates) == set(stated)
    for area, reoffending in stated.items():
        assert isinstance(rates[area]["rate"], Decimal)
        assert float(rates[area]["rate"]) == reoffending.rate


def test_a_parameter_the_query_does_not_take_is_named_with_what_it_takes(out: Path) -> None:
    with pytest.raises(sqsgraph.UsageError) as caught:
        sqsgraph.run_query(out, "people-in-several-reports", {"name": "fox"})
    assert str(caught.value) == ("query 'people-in-several-reports' has no parameter 'name'; "
                                 "it takes: name_part (string, optional)")


def test_a_missing_parameter_says_what_it_is(out: Path) -> None:
    with pytest.raises(sqsgraph.UsageError, match=r"query 'finding-source' needs the parameter 'number' \(the paragraph number"):
        sqsgraph.run_query(out, "finding-source", {"area": "Kent"})


def test_an_unknown_query_name_suggests_the_close_ones(out: Path) -> None:
    with pytest.raises(sqsgraph.QueryNotFound, match="did you mean people-in-several-reports"):
        sqsgraph.run_query(out, "people-in-sevral-reports")


def test_values_match_as_typed_and_none_leaves_an_optional_parameter_out(out: Path) -> None:
    kent = sqsgraph.run_query(out, "report-copy-list", {"area": "Kent"})
    assert kent and sqsgraph.run_query(out, "report-copy-list", {"area": " KENT "}) == kent
    assert len(sqsgraph.run_query(out, "people-in-several-reports", {"name_part": None})) == 14


def test_sparql_text_runs_as_written(out: Path, samples: list[sqsgraph.Report]) -> None:
    rows = sqsgraph.run_query(out, "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r <https://w3id.org/sqsgraph/ontology#area> ?a }")
    assert rows.to_dicts() == [{"n": len(samples)}]
    # a parameter binds the variable of its name, as a literal of its Python type
    named = sqsgraph.run_query(out, f"SELECT DISTINCT ?person WHERE {{ ?person <{FOAF}name> ?name }}", {"name": "Julie Fox"})
    assert {row["person"] for row in named} == {  # two people of that name, kept apart by the identity rules
        "https://w3id.org/sqsgraph/id/person/julie-fox", "https://w3id.org/sqsgraph/id/person/julie-fox-2"}
    assert sqsgraph.run_query(out, "SELECT ?next WHERE { BIND(?n + 1 AS ?next) }", {"n": 41})[0] == {"next": 42}
    day = date(2014, 6, 18)
    assert sqsgraph.run_query(out, "SELECT ?d WHERE { BIND(?day AS ?d) }", {"day": day})[0] == {"d": day}


def test_sparql_text_is_held_to_the_endpoints_rules(out: Path) -> None:
    with pytest.raises(sqsgraph.QueryError, match="updates are refused"):
        sqsgraph.run_query(out, "DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(sqsgraph.QueryError, match="SPARQL syntax error"):
        sqsgraph.run_query(out, "SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(sqsgraph.QueryError, match="run_query answers SELECT queries; this is an ASK query"):
        sqsgraph.run_query(out, "ASK { ?s ?p ?o }")
    with pytest.raises(sqsgraph.UsageError, match=r"no variable \?who"):
        sqsgraph.run_query(out, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", {"who": "x"})


def test_an_open_store_and_any_graph_file_give_the_same_rows(out: Path) -> None:
    def facts(rows: Rows) -> list[tuple[object, ...]]:  # joined lists compared as sets: SPARQL leaves their order open
        return [tuple(frozenset(v.split("; ")) if isinstance(v, str) else v for v in row) for row in rows.tuples]

    expected = facts(sqsgraph.run_query(out, "people-in-several-reports"))
    assert len(expected) == 14
    assert facts(sqsgraph.run_query(sqsgraph.open_query_store(out), "people-in-several-reports")) == expected
    assert facts(sqsgraph.run_query(out / "sqsgraph.nq", "people-in-several-reports")) == expected
    assert facts(sqsgraph.run_query(out / "sqsgraph.ttl", "people-in-several-reports")) == expected  # loaded into memory


def test_a_page_of_rows_says_more_follow(out: Path) -> None:
    every = sqsgraph.run_query(out, "findings-by-theme")
    page = sqsgraph.run_query(out, "findings-by-theme", limit=10, offset=5)
    assert page.tuples == every.tuples[5:15] and page.more
    assert not sqsgraph.run_query(out, "findings-by-theme", offset=len(every) - 3).more
    assert every[:2] == Rows(every.columns, every.tuples[:2])


def test_a_folder_without_a_build_is_a_graph_error(tmp_path: Path) -> None:
    with pytest.raises(sqsgraph.GraphError, match="holds no build"):
        sqsgraph.run_query(tmp_path, "inspection-timeline")
    with pytest.raises(sqsgraph.GraphError, match="no such file"):
        sqsgraph.run_query(tmp_path / "missing", "inspection-timeline")


def test_rows_as_a_dataframe(out: Path) -> None:
    pytest.importorskip("pandas")
    rows = sqsgraph.run_query(out, "reoffending-vs-comparator")
    frame = rows.to_dataframe()
    assert list(frame.columns) == list(rows.columns) and len(frame) == len(rows)
    assert frame["rate"].dtype == "float64"
    assert frame["rate"].tolist() == [float(r["rate"]) for r in rows]
    empty = sqsgraph.run_query(out, "people-in-several-reports", {"name_part": "nobody"})
    assert not empty and list(empty.to_dataframe().columns) == list(empty.columns)


def test_without_pandas_to_dataframe_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'sqsgraph\[dataframe\]'"):
        Rows(("n",), ((1,),)).to_dataframe()


def test_parse_file_gives_the_model_the_build_counts(out: Path, samples: list[sqsgraph.Report]) -> None:
    kent = sqsgraph.parse_file(next(p for p in sample_paths() if p.name.startswith("kent")))
    assert isinstance(kent, sqsgraph.Report)
    assert kent.area == "Kent" and kent.inspection.start == "2014-05-19"
    found = sqsgraph.run_query(out, "findings-by-theme")
    assert len(found) == sum(len(r.findings) for r in samples)


def test_plain_values_of_odd_terms() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert plain_value(ox.Literal("twelve", datatype=ox.NamedNode(xsd + "integer"))) == "twelve"
    assert plain_value(ox.Literal("1", datatype=ox.NamedNode(xsd + "boolean"))) is True
    assert plain_value(ox.Literal("2.5E0", datatype=ox.NamedNode(xsd + "double"))) == 2.5
    assert plain_value(ox.Literal("2014-06-18T10:00:00Z", datatype=ox.NamedNode(xsd + "dateTime"))).tzinfo is not None
    assert plain_value(ox.Literal("2013-04", datatype=ox.NamedNode(xsd + "gYearMonth"))) == "2013-04"
    assert plain_value(ox.Literal("Caint", language="ga")) == "Caint"
    assert plain_value(ox.BlankNode("b1")) == "_:b1"
    assert plain_value(None) is None


def test_write_views_from_the_query_store(out: Path, tmp_path: Path) -> None:
    written = sqsgraph.write_views(sqsgraph.open_query_store(out), tmp_path)
    # the build's network views; the build writes the comparison page beside them (network.compare)
    built = sorted(p.name for p in (out / "views").glob("*.html") if p.name != "compare.html")
    assert sorted(p.name for p in written) == built == ["findings.html", "overview.html", "people.html"]
