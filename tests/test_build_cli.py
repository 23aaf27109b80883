"""`sqsgraph build` and `sqsgraph people` from the command line: exact lines and exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import FOAF, ORG, RDF

from sqsgraph.build.pipeline import build
from sqsgraph.cli import configure_logging, main
from sqsgraph.rdf.datasets import load_dataset
from sqsgraph.rdf.vocab import SQS
from sqsgraph.read.reader import sample_paths


def summary_line(nq) -> str:
    """The summary line, with the figures counted independently from the written N-Quads."""
    ds = load_dataset(nq)

    def count(cls) -> int:
        return len(set(ds.subjects(RDF.type, cls)))

    triples = len({(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))})
    strengths, improvements = count(SQS.KeyStrength), count(SQS.AreaForImprovement)
    findings = count(SQS.Finding) - strengths - improvements  # strengths and improvements are typed findings too
    return (
        f"reports: 5, triples: {triples}, people: {count(FOAF.Person)}, organisations: {count(ORG.Organization)}, "
        f"posts: {count(ORG.Post)}, findings: {findings}, strengths: {strengths}, improvements: {improvements}, "
        "warnings: 0"
    )


def test_build_the_samples(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-o", str(out), "--no-docs"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"wrote {out / 'sqsgraph.ttl'}",
        f"wrote {out / 'sqsgraph.nq'}",
        f"wrote {out / 'views' / 'overview.html'}",
        f"wrote {out / 'views' / 'people.html'}",
        f"wrote {out / 'views' / 'findings.html'}",
        f"wrote {out / 'views' / 'compare.html'}",
        summary_line(out / "sqsgraph.nq"),
        "validation: conforms",
    ]
    assert result.stderr == "note: no reports named: building the 5 bundled sample reports\n"


def test_the_summary_counts_findings_as_the_queries_do(tmp_path):
    """ "findings" are the numbered findings (98 in the samples, as `findings-by-theme` lists
    them), not those with the key strengths and areas for improvement folded in (125)."""
    from sqsgraph.query.library import get_query
    from sqsgraph.query.run import open_store, run_query

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-o", str(out), "--no-docs", "--no-views", "--no-validate"])
    assert result.exit_code == 0, result.output
    [summary] = [line for line in result.stdout.splitlines() if line.startswith("reports: ")]
    figures = dict(part.split(": ") for part in summary.split(", "))
    rows = run_query(open_store(out / "sqsgraph.nq"), get_query("findings-by-theme").text, {}).rows
    assert int(figures["findings"]) == len(rows) == 98
    assert int(figures["findings"]) + int(figures["strengths"]) + int(figures["improvements"]) == 125
    assert list(figures) == [
        "reports",
        "triples",
        "people",
        "organisations",
        "posts",
        "findings",
        "strengths",
        "improvements",
        "warnings",
    ]


def test_build_without_views_writes_only_the_graph(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-o", str(out), "--no-docs", "--no-views"])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if line.startswith("wrote")] == [
        f"wrote {out / 'sqsgraph.ttl'}",
        f"wrote {out / 'sqsgraph.nq'}",
    ]
    assert not (out / "views").exists()


def test_build_twice_gives_byte_identical_files(tmp_path):
    runner = CliRunner()
    for name in ("a", "b"):
        assert (
            runner.invoke(
                main, ["build", "-o", str(tmp_path / name), "--no-docs", "--format", "turtle", "--format", "jsonld"]
            ).exit_code
            == 0
        )
    for f in ("sqsgraph.ttl", "sqsgraph.jsonld", "sqsgraph.nq"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_build_in_another_format_and_base(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "-o", str(out), "--no-docs", "--format", "trig", "--base", "https://example.org/kg"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [f"wrote {out / 'sqsgraph.trig'}", f"wrote {out / 'sqsgraph.nq'}"]
    text = (out / "sqsgraph.trig").read_text(encoding="utf-8")
    assert "<https://example.org/kg/graph/kent-2014-06-18> {" in text
    assert "w3id.org/sqsgraph/id/" not in text


def test_a_bad_report_fails_alone(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for p in sample_paths()[:2]:
        shutil.copy(p, reports / p.name)
    (reports / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    (reports / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(reports), "-o", str(out), "--no-docs", "--no-views"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [  # an empty text file found in a folder is no report: skipped (issue 17)
        f"note: skipped 1 file(s) found in folders that are not SQS reports (name one to see why): {reports / 'empty.txt'}",
        f"error: {reports / 'broken.txt'}: binary data (NUL bytes), not a text report",
    ]
    assert result.stdout.splitlines()[2].startswith("reports: 2, ")
    assert load_dataset(out / "sqsgraph.nq")


def test_progress_is_shown_on_stderr_for_many_reports(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for n in range(2):
        for p in sample_paths():
            shutil.copy(p, reports / f"{n}-{p.name}")
    ticks = []
    result = build(
        [reports], tmp_path / "out", progress=lambda stage, done, total: ticks.append((stage, done, total)), docs=False
    )
    # every file is read; the five distinct reports are mapped and validated
    assert ticks == (
        [("reading", n, 10) for n in range(1, 11)]
        + [("mapping", n, 5) for n in range(1, 6)]
        + [("validating", n, 5) for n in range(1, 6)]
        + [  # then the stages of one step each, at their start and end
            (stage, done, 1)
            for stage in (
                "loading the query store",
                "cutting the networks for the views",
                "precomputing the named queries' answers",
                "drawing the views",
            )
            for done in (0, 1)
        ]
    )
    assert result.ok and len(result.report_ids) == 5  # the second copies are duplicates, built once (issue 7)
    assert len(result.notes) == 5 and all(n.startswith("duplicate: ") for n in result.notes)
    cli = CliRunner().invoke(main, ["build", str(reports), "-o", str(tmp_path / "cli"), "--no-docs"])
    assert cli.exit_code == 0
    assert "reading reports" in cli.stderr and "mapping reports" in cli.stderr  # the progress bars' labels
    assert "loading the query store" in cli.stderr and "drawing the views" in cli.stderr


def test_unknown_identities_file_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", "-o", str(tmp_path), "--identities", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.toml'}: no such identities file" in result.stderr


def test_identities_file_merges_the_candidates(tmp_path):
    ids = tmp_path / "ids.toml"
    ids.write_text('[[same-as]]\na = "Julie Fox @ hmi-probation"\nb = "Julie Fox @ youth-justice-board"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-o", str(tmp_path / "out"), "--no-docs", "--identities", str(ids)])
    assert result.exit_code == 0, result.output
    people = CliRunner().invoke(main, ["people", "--graph", str(tmp_path / "out" / "sqsgraph.nq")])
    assert "Candidate matches" not in people.stdout
    assert "person/julie-fox-2" not in people.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    assert CliRunner().invoke(main, ["build", "-o", str(out), "--no-docs"]).exit_code == 0
    return out


def test_people_lists_posts_reports_and_candidates(built):
    result = CliRunner().invoke(main, ["people", "--graph", str(built / "sqsgraph.nq")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    i = lines.index("Helen Mercer <https://w3id.org/sqsgraph/id/person/helen-mercer>")
    assert lines[i + 1 : i + 4] == [
        '    key: "Helen Mercer @ hmi-probation"',
        "    HM Assistant Chief Inspector, HM Inspectorate of Probation: thurrock-2015-05-20",
        "    Lead inspector of the inspection: cumbria-2016-08-10",
    ]
    i = lines.index("Kevin Crompton <https://w3id.org/sqsgraph/id/person/kevin-crompton>")
    assert lines[i + 2 : i + 4] == [
        "    Chair of Bedfordshire YOT Management Board, Bedfordshire Youth Offending Team Management Board: "
        "bedfordshire-2014-12-10",
        "    Director of Children's Services, Bedfordshire Local Authority: bedfordshire-2014-12-10",
    ]
    assert "Candidate matches (same name, kept apart by the identity rules; a person decides):" in lines
    assert lines[-2].startswith(
        "    Julie Fox <https://w3id.org/sqsgraph/id/person/julie-fox> ~ "
        "Julie Fox <https://w3id.org/sqsgraph/id/person/julie-fox-2>: "
    )


def test_people_without_a_graph_says_so(tmp_path):
    result = CliRunner().invoke(main, ["people", "--graph", str(tmp_path / "none.nq")])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {tmp_path / 'none.nq'}: no such file; run `sqsgraph build` first or name an existing graph file\n"
    )


@pytest.mark.parametrize("command", ["build", "validate", "people"])
def test_commands_have_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: sqsgraph " + command in result.stdout


# ---------------------------------------------------------------- quiet unless asked (issue 17)

SAMPLES_NOTE = "note: no reports named: building the 5 bundled sample reports"


def test_build_in_process_prints_only_its_own_lines_on_stderr(tmp_path, monkeypatch):
    """pyLODE calls ``logging.basicConfig(level=DEBUG)`` when imported, during the build: as if
    for the first time in this process, none of its lines nor those it lets through (asyncio's)
    reach stderr."""
    import logging
    import sys

    for name in [m for m in sys.modules if m == "pylode" or m.startswith("pylode.")]:
        monkeypatch.delitem(sys.modules, name)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    level = root.level
    try:
        result = CliRunner().invoke(main, ["build", "-o", str(tmp_path / "out")])
    finally:
        root.setLevel(level)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "ontology.html").is_file()
    assert result.stderr.splitlines() == [SAMPLES_NOTE]


def test_build_as_a_program_prints_only_its_own_lines_on_stderr(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "sqsgraph", "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output" / "ontology.html").is_file()
    assert done.stderr.splitlines() == [SAMPLES_NOTE]


def test_verbose_shows_the_libraries_log(tmp_path, monkeypatch):
    import logging

    import sqsgraph.build.pipeline as pipeline

    def docs(target):  # type: ignore[no-untyped-def]
        logging.getLogger("somelibrary").info("loading its ontologies")
        return None, None

    monkeypatch.setattr(pipeline, "write_ontology_docs", docs)
    quiet = CliRunner().invoke(main, ["build", "-o", str(tmp_path / "a"), "--no-views"])
    assert quiet.exit_code == 0 and quiet.stderr.splitlines() == [SAMPLES_NOTE]
    try:
        loud = CliRunner().invoke(main, ["-v", "build", "-o", str(tmp_path / "b"), "--no-views"])
    finally:
        configure_logging(0)  # back to quiet for the tests that follow
    assert loud.exit_code == 0
    assert loud.stderr.splitlines() == [SAMPLES_NOTE, "INFO:somelibrary:loading its ontologies"]


# ---------------------------------------------------------------- what was named (issue 17)


def test_build_skips_files_found_in_a_folder_that_are_not_reports_with_one_note(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for p in sample_paths()[:2]:
        shutil.copy(p, reports / p.name)
    (reports / "README.md").write_text("# Reports\n\nDownloaded in May for the board.\n", encoding="utf-8")
    (reports / "notes.md").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(reports), "-o", str(out), "--no-docs", "--no-views"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].startswith("reports: 2, ")
    assert result.stderr.splitlines() == [
        "note: skipped 2 file(s) found in folders that are not SQS reports (name one to see why): "
        f"{reports / 'README.md'}, {reports / 'notes.md'}"
    ]
    named = CliRunner().invoke(
        main,
        [
            "build",
            str(reports / "README.md"),
            *map(str, sorted(reports.glob("*.txt"))),
            "-o",
            str(tmp_path / "named"),
            "--no-docs",
            "--no-views",
        ],
    )
    assert named.exit_code == 1
    assert named.stderr.splitlines() == [
        f"error: {reports / 'README.md'}: not an SQS report: expected at least two of a 'To:/From:' header, a "
        "'Report of Short Quality Screening' title, numbered findings and a copy list"
    ]


def test_build_of_the_same_file_named_twice_says_so_once(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    a = reports / "a.txt"
    shutil.copy(sample_paths()[0], a)
    result = CliRunner().invoke(main, ["build", str(a), str(a), "-o", str(tmp_path / "out"), "--no-docs", "--no-views"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].startswith("reports: 1, ")
    assert result.stderr.splitlines() == [f"note: {a} was named twice; read once"]


def test_a_build_removes_the_outputs_of_an_earlier_build_it_did_not_write(tmp_path):
    """Every output file of a folder is its last build's: the .trig, .jsonld and .nt of an
    earlier build of more reports would otherwise stand beside the new .ttl, holding other
    reports; files sqsgraph's build does not write (a focus view, the user's) are left."""
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["build", "-o", str(out), "--format", "trig", "--format", "jsonld", "--format", "ntriples"])
    assert first.exit_code == 0, first.output
    (out / "views" / "focus-malcolm-potter.html").write_text("<html></html>", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    second = CliRunner().invoke(main, ["build", str(sample_paths()[0]), "-o", str(out), "--no-docs", "--no-views"])
    assert second.exit_code == 0, second.output
    gone = [
        out / "sqsgraph.trig",
        out / "sqsgraph.nt",
        out / "sqsgraph.jsonld",
        out / "ontology.html",
        out / "views" / "overview.html",
        out / "views" / "people.html",
        out / "views" / "findings.html",
        out / "views" / "compare.html",
    ]
    assert second.stderr.splitlines() == [f"note: removed {', '.join(map(str, gone))} left from an earlier build"]
    # store/ (the first build's query store) stays: every query checks it against sqsgraph.nq and
    # loads it again when the graph changed, so it never answers from the earlier build
    assert sorted(p.name for p in out.iterdir()) == [
        ".cache",
        ".sqsgraph-build.json",
        "notes.txt",
        "sqsgraph.nq",
        "sqsgraph.ttl",
        "store",
        "views",
    ]
    assert [p.name for p in (out / "views").iterdir()] == ["focus-malcolm-potter.html"]
    third = CliRunner().invoke(main, ["build", str(sample_paths()[0]), "-o", str(out), "--no-docs", "--no-views"])
    assert third.exit_code == 0 and third.stderr == ""  # nothing more to remove: no note


# ---------------------------------------------------------------- a bare rebuild (issue 17)


def test_a_build_with_no_path_rebuilds_what_the_last_build_was_built_from(tmp_path, monkeypatch):
    """`sqsgraph build` in a folder whose output/ holds a build of a corpus rebuilds that
    corpus, saying so, not the bundled samples over it."""
    monkeypatch.chdir(tmp_path)
    reports = Path("reports")
    reports.mkdir()
    for p in sample_paths()[:2]:
        shutil.copy(p, reports / p.name)
    first = CliRunner().invoke(main, ["build", "reports/", "--no-docs", "--no-views"])
    assert first.exit_code == 0, first.output
    graph = Path("output", "sqsgraph.nq").read_bytes()
    again = CliRunner().invoke(main, ["build", "--no-docs", "--no-views"])
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines() == ["note: no reports named: rebuilding output/ from reports/ as its last build did"]
    assert [line for line in again.stdout.splitlines() if line.startswith("reports: ")][0].startswith("reports: 2, ")
    assert Path("output", "sqsgraph.nq").read_bytes() == graph
    # from another folder, the recorded paths are taken resolved
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    there = CliRunner().invoke(main, ["build", "-o", str(tmp_path / "output"), "--no-docs", "--no-views"])
    assert there.exit_code == 0, there.output
    assert there.stderr.splitlines() == [
        f"note: no reports named: rebuilding {tmp_path / 'output'}/ from {tmp_path / 'reports'}/ as its last build did"
    ]
    assert (tmp_path / "output" / "sqsgraph.nq").read_bytes() == graph


def test_a_build_with_no_path_whose_last_inputs_are_gone_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("reports").mkdir()
    shutil.copy(sample_paths()[0], Path("reports", "a.txt"))
    assert CliRunner().invoke(main, ["build", "reports", "--no-docs", "--no-views"]).exit_code == 0
    graph = Path("output", "sqsgraph.nq").read_bytes()
    shutil.rmtree("reports")
    result = CliRunner().invoke(main, ["build", "--no-docs", "--no-views"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no reports named, and output/ was last built from reports, which is no longer there; name the reports to build\n"
    )
    assert Path("output", "sqsgraph.nq").read_bytes() == graph


def test_a_build_with_no_path_builds_the_samples_only_where_there_is_no_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # no build yet; then the last build was of the samples
        result = CliRunner().invoke(main, ["build", "--no-docs", "--no-views"])
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines() == [SAMPLES_NOTE]
    # a build an older sqsgraph made, which does not say what it was built from: not replaced by the samples
    Path("output", ".sqsgraph-build.json").unlink()
    graph = Path("output", "sqsgraph.nq").read_bytes()
    result = CliRunner().invoke(main, ["build", "--no-docs", "--no-views"])
    assert result.exit_code == 1
    assert "output/ holds a build that does not say what it was built from" in result.stderr
    assert Path("output", "sqsgraph.nq").read_bytes() == graph


def test_a_typo_in_the_reports_path_leaves_a_good_build_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", "-o", str(out), "--no-views", "--no-docs"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = CliRunner().invoke(main, ["build", str(tmp_path / "reps"), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"note: nothing written: no report to build; {out}/ left as it was",
        f"error: {tmp_path / 'reps'}: no such file",
    ]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_build_with_many_warnings_prints_the_first_and_says_how_many_more(tmp_path: Path) -> None:
    """Thirty invented areas: thirty 'no GSS code' warnings. The log stays readable: the first
    twenty, then a note with the rest's number; --all-warnings prints every one."""
    from sqsgraph.cli import WARNINGS_SHOWN
    from sqsgraph.synth.corpus import write_corpus

    write_corpus(30, tmp_path / "corpus")
    args = ["build", str(tmp_path / "corpus"), "-o", str(tmp_path / "out"), "--no-docs", "--no-views", "--no-validate"]
    quiet = CliRunner().invoke(main, args)
    assert quiet.exit_code == 0, quiet.output
    total = int(quiet.output.split("warnings: ")[1].split()[0])
    assert total > WARNINGS_SHOWN
    assert quiet.output.count("warning: ") == WARNINGS_SHOWN
    assert f"note: {total - WARNINGS_SHOWN} more warnings not shown; --all-warnings prints them all" in quiet.output
    loud = CliRunner().invoke(main, [*args, "--all-warnings"])
    assert loud.output.count("warning: ") == total and "more warnings not shown" not in loud.output
