"""The named query library on the samples: each question with the answer a reader of the five
reports would give, and the `query`/`queries` commands with their formats and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from graph_samples import example_params, samples_store

from sqsgraph.cli import DEFAULT_QUERY_LIMIT, main
from sqsgraph.errors import QueryError, UsageError
from sqsgraph.query.library import bind_params, get_query, load_queries
from sqsgraph.query.rewrite import with_values
from sqsgraph.query.run import run_query


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return samples_store()


def ask(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    """Rows of a named query as {variable: lexical value}."""
    query = get_query(name)
    result = run_query(store, query.text, bind_params(query, params))
    return [{v: t.value for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows]


def test_every_query_file_has_a_title_a_description_and_an_example() -> None:
    queries = load_queries()
    assert len(queries) >= 15
    for q in queries.values():
        assert q.title and q.description.endswith(("?", ".")), q.name
        assert q.examples and all(e.startswith(f"sqsgraph query {q.name}") for e in q.examples), q.name


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_query_runs_and_answers_on_the_samples(store: ox.Store, name: str) -> None:
    rows = ask(store, name, **example_params(load_queries()[name]))
    assert rows, f"{name} answered nothing for its own example"


def test_people_in_several_reports(store: ox.Store) -> None:
    rows = {r["name"]: r for r in ask(store, "people-in-several-reports")}
    assert {n: int(r["reports"]) for n, r in rows.items()} == {
        "Linda Paris": 5, "Paula Williams": 5, "Carolyn Adcock": 4, "Fergus Currie": 4, "Malcolm Potter": 4,
        "Paul Eveleigh": 4, "Sheila Willis": 4, "Julie Fox": 3, "Adrian Stretch": 2, "Gill Rigg": 2,
        "Helen Mercer": 2, "Lisa Harvey Messina": 2, "Shelley Greene": 2, "Simon Rushall": 2,
    }
    assert set(rows["Adrian Stretch"]["posts"].split("; ")) == {"YJB Press Office", "YJB Communications"}
    assert set(rows["Lisa Harvey Messina"]["areas"].split("; ")) == {"Barnet", "Cumbria"}
    assert [r["name"] for r in ask(store, "people-in-several-reports", name_part="FOX")] == ["Julie Fox"]


def test_kent_copy_list_names_three_youth_court_bench_chairs_by_division(store: ox.Store) -> None:
    rows = ask(store, "report-copy-list", area="kent")
    assert len(rows) == 17
    chairs = [(r["name"], r.get("qualifier")) for r in rows if r["post"] == "Chair of Youth Court Bench"]
    assert chairs == [("Bob Dean", "East"), ("David Brake", "North"), ("Jackie Hamilton", "West")]
    assert {r["organisation"] for r in rows if r["post"] == "Chair of Youth Court Bench"} == {"Kent Youth Court Bench"}


def test_every_post_of_one_person_dated_by_report(store: ox.Store) -> None:
    rows = ask(store, "person-posts", name_part="harvey")
    assert [(r["issued"], r["post"], r["area"]) for r in rows] == [
        ("2014-07-16", "YJB Business Area Manager", "Barnet"),
        ("2016-08-10", "YJB link staff", "Cumbria"),
    ]


def test_lead_inspector_of_one_report_is_the_author_of_another(store: ox.Store) -> None:
    rows = [(r["name"], r["role"].lower(), r["area"]) for r in ask(store, "inspectors") if r["name"] == "Helen Mercer"]
    assert sorted(rows) == [("Helen Mercer", "author", "Thurrock"), ("Helen Mercer", "lead inspector", "Cumbria")]


def test_inspection_timeline_in_date_order(store: ox.Store) -> None:
    rows = ask(store, "inspection-timeline")
    assert [(r["area"], r["start"], r["end"], r["cases"]) for r in rows] == [
        ("Kent", "2014-05-19", "2014-05-21", "47"),
        ("Barnet", "2014-06-23", "2014-06-25", "20"),
        ("Bedfordshire", "2014-11-17", "2014-11-19", "20"),
        ("Thurrock", "2015-04-27", "2015-04-29", "14"),
        ("Cumbria", "2016-07-18", "2016-07-20", "34"),
    ]
    assert rows[0]["leadInspector"] == "Helen Rinaldi" and rows[0]["previous"] == "2011"
    assert "previous" not in rows[3]


def test_queries_listing_areas_carry_their_gss_codes(store: ox.Store) -> None:
    """The code column joins a query's rows with published statistics; an area that several
    authorities serve has their codes in one cell, in code order."""
    codes = {"Kent": "E10000016", "Barnet": "E09000003", "Bedfordshire": "E06000055, E06000056",
             "Thurrock": "E06000034", "Cumbria": "E10000006"}
    assert {r["area"]: r["gssCode"] for r in ask(store, "inspection-timeline")} == codes
    assert {r["area"]: r["gssCode"] for r in ask(store, "reoffending-vs-comparator")} == {
        a: codes[a] for a in ("Bedfordshire", "Cumbria", "Thurrock")}
    assert {(r["area"], r["gssCode"]) for r in ask(store, "counts-by-theme")} == {  # Thurrock's report states no counts
        (a, c) for a, c in codes.items() if a != "Thurrock"}
    [row] = ask(store, "body-profile", area="bedfordshire")
    assert row["gssCode"] == "E06000055, E06000056"


def test_reoffending_against_the_comparator_with_the_difference(store: ox.Store) -> None:
    rows = {r["area"]: r for r in ask(store, "reoffending-vs-comparator")}
    assert set(rows) == {"Bedfordshire", "Cumbria", "Thurrock"}
    assert float(rows["Bedfordshire"]["difference"]) == pytest.approx(-1.2)
    assert float(rows["Thurrock"]["difference"]) == pytest.approx(3.5)
    assert float(rows["Cumbria"]["rate"]) == pytest.approx(41.0)
    assert rows["Bedfordshire"]["cohortStart"] == "2011-10" and rows["Bedfordshire"]["source"] == "Youth Justice Board"


def test_findings_by_theme(store: ox.Store) -> None:
    public = ask(store, "findings-by-theme", theme="public")
    assert len(public) == 6 + 5 + 7 + 5 + 3
    assert {r["themeLabel"] for r in public} == {"Protecting the public"}
    assert len(ask(store, "findings-by-theme")) == 22 + 20 + 22 + 18 + 16


def test_findings_mentioning_a_term(store: ox.Store) -> None:
    rows = ask(store, "findings-mentioning", term="Management Oversight")
    found = {(r["area"], r.get("number"), r["kind"]) for r in rows}
    assert ("Kent", "3.6", "finding") in found
    assert ("Bedfordshire", "2.5", "finding") in found
    assert any(kind == "area for improvement" and area == "Kent" for area, _, kind in found)
    assert all("management oversight" in r["text"].lower() for r in rows)


def test_areas_requiring_improvement_across_reports(store: ox.Store) -> None:
    rows = ask(store, "areas-for-improvement")
    assert len(rows) == 2 + 2 + 2 + 4 + 2
    thurrock = ask(store, "areas-for-improvement", area="THURROCK")
    assert [r["text"][:40] for r in thurrock] == [
        "Intervention planning should genuinely i",
        "Multi-Agency Public Protection Arrangeme",
    ]


def test_counts_of_effective_management_oversight_side_by_side(store: ox.Store) -> None:
    rows = ask(store, "counts-by-theme", term="management oversight")
    kent = [r for r in rows if r["area"] == "Kent" and r["number"] == "3.6"]
    assert [(r["phrase"], r["numerator"], r["denominator"]) for r in kent] == [("19 out of 32", "19", "32")]
    assert float(kent[0]["proportion"]) == pytest.approx(19 / 32, abs=1e-4)
    assert all("numerator" not in r for r in rows if r["phrase"] in ("just over half", "less than half"))


def test_quotes_by_theme(store: ox.Store) -> None:
    rows = ask(store, "quotes-by-theme", theme="public")
    assert any(r["area"] == "Kent" and r["number"] == "2.2" and r["quote"].startswith("Paul was serving") for r in rows)
    assert {r["themeLabel"] for r in rows} == {"Protecting the public"}


def test_everyone_from_ofsted_with_units(store: ox.Store) -> None:
    rows = ask(store, "people-by-organisation", organisation="ofsted")
    assert len(rows) == 11
    adcock = [r for r in rows if r["name"] == "Carolyn Adcock"]
    assert [(r["unit"], r["reports"]) for r in adcock] == [("Ofsted – Social Care", "4")]


def test_candidate_match_keeps_two_people_of_one_name_apart(store: ox.Store) -> None:
    rows = ask(store, "candidate-matches")
    assert [(r["nameA"], r["nameB"]) for r in rows] == [("Julie Fox", "Julie Fox")]
    assert rows[0]["a"] != rows[0]["b"] and "julie fox" in rows[0]["evidence"].lower()


def test_profile_of_an_inspected_body(store: ox.Store) -> None:
    [row] = ask(store, "body-profile", area="Bedfordshire")
    assert row["body"] == "Bedfordshire Youth Offending Team"
    assert (row["findings"], row["strengths"], row["improvements"]) == ("20", "3", "2")
    assert float(row["rate"]) == pytest.approx(34.2) and row["leadInspector"] == "Susan McGrath"


def test_the_source_span_of_a_finding_slices_back_to_its_text(store: ox.Store) -> None:
    from sqsgraph.read.reader import sample_paths

    [row] = ask(store, "finding-source", area="Kent", number="2.1")
    text = next(p for p in sample_paths() if p.name.startswith("kent")).read_text(encoding="utf-8")
    assert text[int(row["start"]) : int(row["end"])] == row["exact"]
    assert row["exact"].startswith("In eight out of every ten relevant cases")
    assert row["exact"].endswith("on the last inspection.")


# --- parameters are values, never query text -------------------------------------------------


def test_a_parameter_value_cannot_become_query_syntax(store: ox.Store) -> None:
    hostile = 'x" ) } ; SELECT * WHERE { ?s ?p ?o } #\n'
    assert ask(store, "findings-mentioning", term=hostile) == []
    assert ask(store, "people-in-several-reports", name_part='"}') == []


def test_parameters_open_the_first_where_group_so_a_sub_select_can_take_them() -> None:
    value = {ox.Variable("area"): ox.Literal("Kent")}
    assert with_values("SELECT * WHERE { ?s ?p ?o }", value) == 'SELECT * WHERE { VALUES (?area) { ("Kent") }  ?s ?p ?o }'
    outer = "SELECT * { { SELECT ?a WHERE { ?a ?b ?c } } ?a ?d ?e }"
    assert with_values(outer, value) == 'SELECT * { { SELECT ?a WHERE { VALUES (?area) { ("Kent") }  ?a ?b ?c } } ?a ?d ?e }'


@pytest.mark.parametrize("name", sorted(n for n, q in load_queries().items() if q.params))
def test_every_query_binds_its_parameters_where_its_filters_see_them(store: ox.Store, name: str) -> None:
    """A query that binds its parameters in a sub-select must not use them outside it (they
    would be unbound there): with every parameter given a value nothing matches, the answer is
    empty, and with the example values it is not (the test above)."""
    query = load_queries()[name]
    values = {p.name: "2999-01-01" if p.type == "date" else "urn:x:none" if p.type == "iri" else
              "0" if p.type in ("integer", "decimal") else "no-such-thing-anywhere" for p in query.params}
    assert ask(store, name, **values) == []


def test_unknown_and_missing_parameters_are_usage_errors() -> None:
    query = get_query("findings-mentioning")
    with pytest.raises(UsageError, match="needs --param term="):
        bind_params(query, {})
    with pytest.raises(UsageError, match="has no parameter colour"):
        bind_params(query, {"term": "x", "colour": "red"})


def test_updates_are_refused(store: ox.Store) -> None:
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, "PREFIX s: <http://x/>\nINSERT DATA { s:a s:b s:c }")


# --- the commands -------------------------------------------------------------------------------


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory, store: ox.Store) -> Path:
    path = tmp_path_factory.mktemp("graph") / "samples.nq"
    store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
    return path


def test_queries_lists_every_query_on_one_line() -> None:
    code, out, _ = cli("queries")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(load_queries())
    assert any(line.startswith("report-copy-list") and line.endswith("--param area=…") for line in lines)


def test_table_format(graph_file: Path) -> None:
    code, out, _ = cli("query", "inspection-timeline", "--graph", str(graph_file))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["start", "end", "area", "gssCode", "body", "cases", "previous", "leadInspector", "issued",
                                "report"]
    assert lines[2].split()[:5] == ["2014-05-19", "2014-05-21", "Kent", "E10000016", "Kent"]
    assert lines[2].endswith("id:report/kent-2014-06-18")
    assert lines[-1] == "(5 rows)"


def test_csv_carries_the_gss_code_column(graph_file: Path) -> None:
    code, out, _ = cli("query", "inspection-timeline", "--graph", str(graph_file), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:4] == ["start", "end", "area", "gssCode"]
    assert [(r["area"], r["gssCode"]) for r in rows][1:3] == [("Barnet", "E09000003"), ("Bedfordshire", "E06000055, E06000056")]


def test_csv_tsv_json_markdown(graph_file: Path) -> None:
    args = ("query", "report-copy-list", "--param", "area=Kent", "--graph", str(graph_file), "--format")
    rows = list(csv.DictReader(io.StringIO(cli(*args, "csv")[1])))
    assert len(rows) == 17 and rows[0]["issued"] == "2014-06-18"
    tsv = cli(*args, "tsv")[1].splitlines()
    assert tsv[0].startswith("issued\tpost")
    assert tsv[1].startswith("2014-06-18\t")
    raw = cli(*args, "sparql-tsv")[1].splitlines()
    assert raw[0].startswith("?issued\t?post")
    assert raw[1].startswith('"2014-06-18"^^<http://www.w3.org/2001/XMLSchema#date>\t"')
    data = json.loads(cli(*args, "json")[1])
    assert data["head"]["vars"][:3] == ["issued", "post", "name"]
    assert data["results"]["bindings"][0]["person"]["type"] == "uri"
    md = cli(*args, "markdown")[1].splitlines()
    assert md[0].startswith("| issued | post | name |") and md[1].startswith("|---|")


def test_a_query_file_and_inline_sparql(graph_file: Path, tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text("PREFIX schema: <https://schema.org/>\nSELECT (COUNT(?r) AS ?n) WHERE { ?r a schema:Report }\n")
    assert cli("query", str(rq), "--graph", str(graph_file), "--format", "csv")[1].splitlines() == ["n", "5"]
    code, out, _ = cli("query", "--sparql", "ASK { ?s ?p ?o }", "--graph", str(graph_file))
    assert (code, out.split()) == (0, ["answer", "------", "yes"])


def test_syntax_errors_give_line_and_column_and_exit_2(graph_file: Path) -> None:
    code, _, err = cli("query", "--sparql", "SELECT ?x WHERE {\n  ?x ?y }", "--graph", str(graph_file))
    assert code == 2
    assert "SPARQL syntax error: error at 2:" in err


def test_unknown_query_suggests_close_names() -> None:
    code, _, err = cli("query", "inspection-timelin")
    assert code == 2
    assert "no named query 'inspection-timelin'; did you mean inspection-timeline?" in err


def test_a_missing_graph_file_is_a_data_error(tmp_path: Path) -> None:
    code, _, err = cli("query", "inspectors", "--graph", str(tmp_path / "none.nq"))
    assert code == 1
    assert "none.nq: no such file; run `sqsgraph build` first" in err


# --- paging -------------------------------------------------------------------------------------


def test_pages_of_a_query_are_slices_of_all_its_rows(store: ox.Store) -> None:
    query = get_query("inspectors")
    every = run_query(store, query.text).rows
    assert len(every) >= 4
    first = run_query(store, query.text, limit=2)
    rest = run_query(store, query.text, limit=len(every), offset=2)
    assert first.rows == every[:2] and first.more
    assert rest.rows == every[2:] and not rest.more
    assert run_query(store, query.text, limit=0).rows == [] and run_query(store, query.text, offset=len(every)).rows == []


def test_a_page_of_a_query_with_its_own_limit_stays_inside_it(store: ox.Store) -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5 OFFSET 1 # the query's own page"
    every = run_query(store, text).rows
    assert len(every) == 5
    assert run_query(store, text, limit=3, offset=1).rows == every[1:4]
    assert run_query(store, text, limit=10, offset=3).rows == every[3:]
    with pytest.raises(QueryError, match="VALUES"):
        run_query(store, "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <urn:x> }", limit=1)


def test_the_command_shows_the_first_page_and_says_how_to_get_more(graph_file: Path) -> None:
    every = cli("query", "inspectors", "--graph", str(graph_file), "--format", "csv", "--limit", "0")
    assert every[0] == 0 and "more follow" not in every[2]
    rows = every[1].splitlines()
    code, out, err = cli("query", "inspectors", "--graph", str(graph_file), "--format", "csv", "--limit", "2", "--offset", "1")
    assert code == 0 and out.splitlines() == rows[:1] + rows[2:4]
    assert "rows 2-3 shown, more follow: --offset 3 for the next page, --limit 0 for all" in err
    assert "default: 200" in cli("query", "--help")[1].replace("[", "").replace("]", "")


def _many_rows_graph(path: Path, n: int) -> Path:
    path.write_text("".join(f"<urn:s{i:04d}> <urn:p> \"{i}\" <urn:g> .\n" for i in range(n)), encoding="utf-8")
    return path


def test_piped_output_gets_every_row_and_a_terminal_the_first_page(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    graph = _many_rows_graph(tmp_path / "many.nq", 250)
    args = [sys.executable, "-m", "sqsgraph.cli", "query", "--sparql", "SELECT ?s { ?s ?p ?o } ORDER BY ?s",
            "--graph", str(graph), "--format", "csv"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    piped = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) == 1 + 250 and "more follow" not in piped.stderr
    limited = subprocess.run(args + ["--limit", "7"], capture_output=True, text=True, env=env, timeout=120)
    assert len(limited.stdout.splitlines()) == 1 + 7 and "more follow" in limited.stderr
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(args, stdout=follower, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
        os.close(follower)
        follower = -1
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            out += chunk
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0
    assert len(out.replace(b"\r", b"").decode().splitlines()) == 1 + DEFAULT_QUERY_LIMIT  # the terminal adds \r
    assert f"rows 1-{DEFAULT_QUERY_LIMIT} shown, more follow" in proc.stderr


# --- issue 17: do what was asked, say what was done ---------------------------------------------


def test_no_build_is_an_error_for_query_as_for_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No output/sqsgraph.nq: `query` says so (exit 1) instead of answering from the samples."""
    monkeypatch.chdir(tmp_path)
    for args in (["query", "inspection-timeline"], ["stats"], ["people"], ["validate"], ["view", "overview"]):
        code, out, err = cli(*args)
        assert (code, out) == (1, ""), args
        assert "output/sqsgraph.nq: no such file; run `sqsgraph build` first" in err, args


def test_a_graph_other_than_the_last_build_is_named_on_stderr_only(graph_file: Path) -> None:
    code, out, err = cli("query", "inspectors", "--graph", str(graph_file), "--format", "csv")
    assert code == 0 and f"note: reading the graph {graph_file}" in err and "reading" not in out


def test_a_parameter_the_query_does_not_take_is_a_usage_error(graph_file: Path) -> None:
    code, out, err = cli("query", "inspection-timeline", "--param", "area=Kent", "--graph", str(graph_file))
    assert (code, out) == (2, "")
    assert "query inspection-timeline has no parameter area; it takes: no parameters" in err
    code, _, err = cli("query", "report-copy-list", "--param", "area=Kent", "--param", "colour=red", "--graph", str(graph_file))
    assert code == 2 and "has no parameter colour; it takes: area" in err
    code, _, err = cli("query", "--sparql", "SELECT ?s { ?s ?p ?o } LIMIT 1", "--param", "area=Kent", "--graph", str(graph_file))
    assert code == 2 and "no variable ?area" in err


@pytest.mark.parametrize("value", ["Ofsted - Social Care", "ofsted – social care", "OFSTED—SOCIAL CARE", " ofsted -  social care "])
def test_parameter_values_match_as_typed(store: ox.Store, value: str) -> None:
    rows = ask(store, "people-by-organisation", organisation=value)
    assert rows and {r["unit"] for r in rows} == {"Ofsted – Social Care"}


def test_case_dashes_quotes_and_spaces_do_not_count_in_any_query(store: ox.Store) -> None:
    assert len(ask(store, "report-copy-list", area=" kENT ")) == 17
    assert ask(store, "findings-mentioning", term="partners’") == ask(store, "findings-mentioning", term="partners'")
    assert ask(store, "people-in-several-reports", name_part="harvey-messina") == ask(store, "people-in-several-reports",
                                                                                      name_part="Harvey Messina")


def test_every_parameter_filter_uses_the_one_folding() -> None:
    """One normalisation: no query compares a parameter but through matching.fold_sparql."""
    from sqsgraph.query.matching import FOLD_PATTERN

    for name, q in load_queries().items():
        body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
        assert body.count("LCASE(") == body.count("LCASE(STR(") == body.count(f", {FOLD_PATTERN}, \"\")"), name


def test_no_match_suggests_close_values(graph_file: Path) -> None:
    code, out, err = cli("query", "report-copy-list", "--param", "area=Knet", "--graph", str(graph_file))
    assert code == 0 and "(0 rows)" in out
    assert "note: no rows: --param area='Knet' matches no area in the graph; did you mean: Kent" in err


def test_the_same_name_for_the_same_parameter_in_every_query() -> None:
    names = {p.name for q in load_queries().values() for p in q.params}
    assert "area_name" not in names and "area" in names
    for q in load_queries().values():
        for p in q.params:
            if "area" in p.name:
                assert p.name == "area", q.name


def test_a_folder_holding_a_build_is_a_graph(graph_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "sqsgraph.nq").write_bytes(graph_file.read_bytes())
    code, out, err = cli("query", "inspectors", "--graph", str(other), "--format", "csv")
    assert code == 0 and len(out.splitlines()) > 1 and f"reading the graph {other / 'sqsgraph.nq'}" in err
    code, out, _ = cli("view", "overview", "--graph", str(other))
    assert code == 0 and (other / "views" / "overview.html").is_file()
    code, _, err = cli("stats", "--graph", str(tmp_path))
    assert code == 1 and "holds no build" in err


def test_service_and_updates_in_own_sparql_are_refused_in_the_endpoints_words(graph_file: Path) -> None:
    code, out, err = cli("query", "--sparql", "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                         "--graph", str(graph_file))
    assert (code, out) == (2, "") and "SERVICE (federated query) is refused" in err and "Traceback" not in err
    code, _, err = cli("query", "--sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--graph", str(graph_file))
    assert code == 2 and "updates are refused" in err


def test_tsv_shows_plain_values_and_the_table_says_what_it_cut(graph_file: Path) -> None:
    args = ("query", "reoffending-vs-comparator", "--graph", str(graph_file), "--format")
    tsv = cli(*args, "tsv")[1].splitlines()
    assert tsv[1].split("\t")[:3] == ["Thurrock", "E06000034", "39.6"]
    code, out, err = cli("query", "findings-mentioning", "--param", "term=partners", "--graph", str(graph_file))
    assert code == 0 and "…" in out and "cut at 60 characters" in err and "--wide" in err
    code, out, err = cli("query", "findings-mentioning", "--param", "term=partners", "--graph", str(graph_file), "--wide")
    assert code == 0 and "…" not in out and "cut" not in err
