"""Issue 7: hostile input. The corpus of ``tests/hostile.py`` goes through one `sqsgraph build`
together with the good samples: every bad file is named with its problem, every report that can be
read is built (with warnings saying what is odd about it), the exit status is 1, and the graph in
Turtle, TriG, N-Quads and JSON-LD loads in Oxigraph with the hostile names exactly as read.

The reader's side of the same cases is checked report by report below: a report cut before each
of its parts keeps every part before the cut, line endings change nothing, invisible characters
are dropped from what is read while spans still point into the file, and long inputs take time in
proportion to their length.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import tracemalloc
from pathlib import Path

import hostile
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hostile import HOSTILE_ADDRESSEE, HOSTILE_NAMES, Case

from sqsgraph.build.records import Failure
from sqsgraph.build.tasks import read_one
from sqsgraph.cli import main
from sqsgraph.errors import ReportError
from sqsgraph.rdf.mapper import report_id
from sqsgraph.read.parser import parse_file, parse_report
from sqsgraph.read.reader import read_report_bytes, sample_paths

FORMATS = {  # output file -> Oxigraph's parser
    "sqsgraph.ttl": ox.RdfFormat.TURTLE,
    "sqsgraph.trig": ox.RdfFormat.TRIG,
    "sqsgraph.nq": ox.RdfFormat.N_QUADS,
    "sqsgraph.jsonld": ox.RdfFormat.JSON_LD,
}
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
SCHEMA_TEXT = "https://schema.org/text"
READ_TEXT = {
    FOAF_NAME,
    SCHEMA_TEXT,
    "https://schema.org/alternateName",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "https://w3id.org/sqsgraph/ontology#qualifier",
}
# what no name or repaired text may hold: C0/C1 controls (white space aside) and bidi overrides
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# --- one build of everything --------------------------------------------------------------------


class Built:
    def __init__(self, root: Path, cases: list[Case], exit_code: int, stdout: str, stderr: str) -> None:
        self.root, self.cases, self.exit_code = root, cases, exit_code
        self.stdout, self.stderr = stdout.splitlines(), stderr.splitlines()
        self.out = root / "out"
        self.good = sorted((root / "corpus" / "good").iterdir())
        self.hostile = root / "corpus" / "hostile"

    def path(self, case: Case) -> Path:
        return self.hostile / case.name

    def quads(self, name: str) -> list[ox.Quad]:
        data = (self.out / name).read_bytes()
        parsed = ox.parse(input=data, format=FORMATS[name])
        return [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in parsed]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """The samples in corpus/good, the hostile cases (samples cut in the plain rendering; the
    PDF rendering's cuts are read below) and two files far over the size limit in
    corpus/hostile, built in one go."""
    root = tmp_path_factory.mktemp("hostile")
    good, bad = root / "corpus" / "good", root / "corpus" / "hostile"
    good.mkdir(parents=True)
    bad.mkdir()
    for p in sample_paths():
        shutil.copy(p, good / p.name)
    cases = hostile.corpus(renderings=("plain",))
    for case in cases:
        case.write(bad)
    hostile.enormous_line(bad / "enormous-line.txt")
    with (bad / "sparse-nul.txt").open("wb") as f:
        f.truncate(30 * 1024 * 1024)
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(root / "corpus"),
            "-o",
            str(root / "out"),
            "--no-docs",
            "--format",
            "turtle",
            "--format",
            "trig",
            "--format",
            "jsonld",
            "--all-warnings",
        ],
    )
    return Built(root, cases, result.exit_code, result.stdout, result.stderr)


def test_the_build_fails_with_status_1_but_writes_the_graph_and_the_views(built: Built) -> None:
    assert built.exit_code == 1
    assert sorted(p.name for p in built.out.iterdir()) == [
        ".cache",
        ".sqsgraph-build.json",
        "sqsgraph.jsonld",
        "sqsgraph.nq",
        "sqsgraph.trig",
        "sqsgraph.ttl",
        "store",
        "views",
    ]  # views drawn from the store
    assert sorted(p.name for p in (built.out / "views").iterdir()) == [
        "compare.html",
        "findings.html",
        "overview.html",
        "people.html",
    ]
    assert "validation: conforms" in built.stdout


def plainly_not_a_report(case: Case) -> bool:
    """Prose or nothing: found in a folder, skipped with a note (issue 17); named, an error."""
    return case.problems[0] == hostile.EMPTY or case.problems[0].startswith("not an SQS report: ")


def test_every_file_that_is_not_a_report_is_named_with_its_problem(built: Built) -> None:
    refused = [c for c in built.cases if c.outcome == "refused"]
    assert len(refused) >= 15
    skipped = [c for c in refused if plainly_not_a_report(c)]
    refused = [c for c in refused if c not in skipped]
    assert len(skipped) >= 10 and len(refused) >= 4
    # found in the folder, the files that are plainly not reports are listed in one note ...
    [note] = [line for line in built.stderr if " found in folders that are not SQS reports " in line]
    assert note.startswith(
        f"note: skipped {len(skipped)} file(s) found in folders that are not SQS reports (name one to see why): "
    )
    # ... and named, each is an error with its problem
    named = CliRunner().invoke(main, ["parse", *(str(built.path(c)) for c in skipped)])
    assert named.exit_code == 1
    assert named.stderr.splitlines() == [f"error: {built.path(c)}: {c.problems[0]}" for c in skipped]
    errors = [line for line in built.stderr if line.startswith("error: ")]
    expected = [f"error: {built.path(c)}: {c.problems[0]}" for c in refused]
    for big in ("enormous-line.txt", "sparse-nul.txt"):
        expected.append(f"error: {built.hostile / big}: {hostile.too_large(built.hostile / big)}")
    conflict = next(c for c in built.cases if c.outcome == "conflict")
    assert set(expected) <= set(errors)
    assert [line for line in errors if line not in expected] == [
        line for line in errors if line.startswith(f"error: {built.path(conflict)}: conflicts with ")
    ]


def test_every_good_and_every_readable_hostile_report_is_built(built: Built) -> None:
    readable = [p for p in built.good] + [built.path(c) for c in built.cases if c.outcome == "built"]
    expected = {f"https://w3id.org/sqsgraph/id/graph/{report_id(parse_file(p))}" for p in readable}
    graphs = {q.graph_name.value for q in built.quads("sqsgraph.nq")}
    assert expected <= graphs
    assert len(graphs - expected) == 2  # the shared entities and the ontology
    assert [line for line in built.stdout if line.startswith("reports: ")][0].startswith(f"reports: {len(readable)}, ")


def test_what_is_odd_about_a_built_report_is_a_warning_naming_the_file(built: Built) -> None:
    cut = [c for c in built.cases if c.outcome == "built" and c.name.startswith("cut-")]
    assert len(cut) >= 25  # five samples, five or more parts after the title each
    for case in [c for c in built.cases if c.outcome == "built"]:
        for problem in case.problems:
            assert f"warning: {built.path(case)}: {problem}" in built.stderr, case.what
    clean = [c for c in built.cases if c.outcome == "built" and not c.problems]
    assert {c.name for c in clean} == {
        "endings-crlf.txt",
        "endings-cr.txt",
        "endings-mixed.txt",
        "utf-16-bom.txt",
        "utf-8-bom.txt",
    }
    for case in clean:
        assert not [line for line in built.stderr if str(built.path(case)) in line], case.what


def test_a_duplicate_is_built_once_and_another_version_is_reported_not_merged(built: Built) -> None:
    duplicate = next(c for c in built.cases if c.outcome == "duplicate")
    conflict = next(c for c in built.cases if c.outcome == "conflict")
    original = next(p for p in built.good if p.read_bytes() == duplicate.data)
    assert f"note: duplicate: {built.path(duplicate)} has the same content as {original}; built once" in built.stderr
    assert (
        f"error: {built.path(conflict)}: conflicts with {original} (same area and publication date, different content); not built"
    ) in built.stderr
    texts = {q.object.value for q in built.quads("sqsgraph.nq") if q.predicate.value == SCHEMA_TEXT}
    assert not [t for t in texts if t.startswith("In a revised version:")]


def test_every_format_loads_in_oxigraph_with_the_same_statements(built: Built) -> None:
    quads = {name: built.quads(name) for name in FORMATS}
    reference = set(quads["sqsgraph.nq"])
    assert len(reference) == len(quads["sqsgraph.nq"]) > 30_000
    assert set(quads["sqsgraph.trig"]) == reference
    assert set(quads["sqsgraph.jsonld"]) == reference
    assert {q.triple for q in quads["sqsgraph.ttl"]} == {q.triple for q in reference}
    store = ox.Store()
    store.bulk_load(path=str(built.out / "sqsgraph.nq"), format=ox.RdfFormat.N_QUADS)
    assert len(store) == len(reference)


@pytest.mark.parametrize("name", list(FORMATS))
def test_hostile_names_are_in_every_format_exactly_as_read(built: Built, name: str) -> None:
    names = {q.object.value for q in built.quads(name) if q.predicate.value == FOAF_NAME}
    for written, read in [*HOSTILE_NAMES, HOSTILE_ADDRESSEE]:
        assert read in names, f"{written!r} should be read as {read!r}"
    texts = [q.object.value for q in built.quads(name) if q.predicate.value == SCHEMA_TEXT]
    assert [t for t in texts if 'Tri """quote""" & <img src=x onerror=alert(2)> \\ end' in t and "شرح قصير" in t]


def test_no_name_or_text_in_the_graph_holds_an_invisible_character(built: Built) -> None:
    read = [q.object.value for q in built.quads("sqsgraph.nq") if q.predicate.value in READ_TEXT]
    assert len(read) > 1000
    assert [t for t in read if INVISIBLE.search(t)] == []
    # the source passages keep the file as it stands, control characters and all
    exact = [q.object.value for q in built.quads("sqsgraph.nq") if q.predicate.value == "http://www.w3.org/ns/oa#exact"]
    assert [t for t in exact if "\x1b" in t]


def test_the_views_carry_hostile_markup_as_data_never_as_markup(built: Built) -> None:
    for page in (built.out / "views").iterdir():
        html = page.read_text(encoding="utf-8")
        assert "<img src=x onerror" not in html, page.name
    people = (built.out / "views" / "people.html").read_text(encoding="utf-8")
    assert "\\u003cimg src=x onerror=alert(1)\\u003e Lee" in people
    assert 'Amp \\u0026 Bob \\u003c\\"\\"\\"\\u003e \\\\ Lee' in people


def test_an_enormous_file_is_refused_by_its_size_without_being_read(tmp_path: Path) -> None:
    big = hostile.enormous_line(tmp_path / "one-line.txt", megabytes=24)
    tracemalloc.start()
    try:
        outcome = read_one(str(big), str(tmp_path / "cache"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(outcome, Failure)
    assert outcome.line() == f"{big}: too large to be an SQS report (24.0 MB; reports are tens of KB, limit 8 MB)"
    assert peak < 1024 * 1024  # not even a megabyte of the 24 was held


# --- report by report ------------------------------------------------------------------------------


def facts(report) -> dict:  # type: ignore[no-untyped-def]
    """What was read, without where it was read from (offsets shift with the bytes around them)."""
    data = report.to_json()
    data.pop("source")

    def drop_spans(value):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            return {k: drop_spans(v) for k, v in value.items() if k != "span"}
        if isinstance(value, list):
            return [drop_spans(v) for v in value]
        return value

    return drop_spans(data)


SAMPLE_TEXTS = hostile.samples()


@pytest.mark.parametrize("rendering", hostile.RENDERINGS)
@pytest.mark.parametrize("stem", sorted(SAMPLE_TEXTS))
def test_a_report_cut_before_each_part_keeps_every_part_before_the_cut(stem: str, rendering: str) -> None:
    text = hostile.rendering(SAMPLE_TEXTS[stem], rendering)
    full = hostile.parse_text(text)
    parts = hostile.boundaries(text)
    assert {"header", "title", "section 1", "key strengths", "areas for improvement", "closing", "copy list"} <= set(parts)
    for part, offset in parts.items():
        cut = text[:offset]
        if offset <= parts["title"]:  # the header alone (or nothing) is not a report
            with pytest.raises(ReportError) as caught:
                parse_report(read_report_bytes(cut.encode("utf-8"), "cut.txt").document)
            assert caught.value.problem == (hostile.EMPTY if not cut.strip() else hostile.NOT_A_REPORT)
            continue
        report = hostile.parse_text(cut)
        before = [s for s in full.sections if s.span is not None and s.span.start < offset]
        assert [(s.number, [f.text for f in s.findings]) for s in report.sections] == [
            (s.number, [f.text for f in s.findings]) for s in before
        ], part
        assert (report.area, report.publication_date, report.addressee) == (full.area, full.publication_date, full.addressee)
        assert bool(report.key_strengths) == (parts["key strengths"] < offset), part
        if parts["areas for improvement"] < offset:
            assert [i.text for i in report.key_strengths] == [i.text for i in full.key_strengths], part
        assert bool(report.areas_for_improvement) == (parts["areas for improvement"] < offset), part
        assert (report.lead_inspector is not None) == (parts["closing"] < offset), part
        assert report.copy_list == []
        assert hostile.CUT_OFF in report.warnings


@pytest.mark.parametrize(
    "endings", [("\r\n",), ("\r",), ("\r\n", "\r", "\n"), ("\n", "\r")], ids=["crlf", "cr", "mixed", "lf-cr"]
)
@pytest.mark.parametrize("rendering", hostile.RENDERINGS)
@pytest.mark.parametrize("stem", sorted(SAMPLE_TEXTS))
def test_line_endings_change_nothing_that_is_read(stem: str, rendering: str, endings: tuple[str, ...]) -> None:
    text = hostile.rendering(SAMPLE_TEXTS[stem], rendering)
    other = hostile.with_line_endings(text, endings)
    assert other != text and other.replace("\r\n", "\n").replace("\r", "\n") == text
    a, b = hostile.parse_text(text), hostile.parse_text(other)
    assert facts(b) == facts(a)
    # every span of the other file covers the same passage, line ends aside
    for x, y in zip(a.copy_list, b.copy_list, strict=True):
        assert other[y.span.start : y.span.end] == text[x.span.start : x.span.end]
    for x, y in zip(a.findings, b.findings, strict=True):
        passage = other[y.span.start : y.span.end]
        assert passage.replace("\r\n", "\n").replace("\r", "\n") == text[x.span.start : x.span.end]


@pytest.mark.parametrize("name", ["windows-1252.txt", "utf-16-bom.txt", "utf-8-bom.txt"])
def test_a_report_in_another_encoding_reads_as_the_text_it_was_written_from(name: str) -> None:
    case = next(c for c in hostile.corpus(renderings=()) if c.name == name)
    read = read_report_bytes(case.data, name)
    assert read.document.text == case.data.decode(case.encoding)
    assert any(ch > "\u007f" for ch in read.document.text)
    assert list(read.warnings) == list(case.problems)


def test_names_are_read_as_written_apart_from_invisible_characters_and_white_space() -> None:
    case = next(c for c in hostile.corpus(renderings=()) if c.name == "hostile-names.txt")
    text = case.data.decode("utf-8")
    report = parse_report(read_report_bytes(case.data, case.name).document)
    holders = [h for e in report.copy_list for h in e.holders]
    assert [h.name for h in holders[: len(HOSTILE_NAMES)]] == [read for _, read in HOSTILE_NAMES]
    assert report.addressee is not None and report.addressee.name == HOSTILE_ADDRESSEE[1]
    # spans point at the names as they stand in the file, invisible characters included
    reversed_name, escaped = holders[8], holders[len(HOSTILE_NAMES) - 1]
    assert text[reversed_name.span.start - 1 : reversed_name.span.end] == "\u202eReversed Name"
    assert text[escaped.span.start : escaped.span.end] == "Nick\x1b[31m Red"
    assert report.warnings == [case.problems[0]]


def test_control_characters_in_a_finding_are_dropped_and_counted() -> None:
    case = next(c for c in hostile.corpus(renderings=()) if c.name == "control-characters.txt")
    report = parse_report(read_report_bytes(case.data, case.name).document)
    finding = report.findings[0]
    assert " odd text " in finding.text and not INVISIBLE.search(finding.text)
    assert [h.name for e in report.copy_list for h in e.holders][0] == "Con trol Name"  # VT, FF and NEL are spaces
    assert report.warnings == [case.problems[0]]
    assert json.dumps(report.to_json())


def enormous_finding(text: str, report) -> str:  # type: ignore[no-untyped-def]
    """One line of a million characters of capitalised words in a finding (candidate case
    pseudonyms everywhere)."""
    at = report.findings[0].span.start
    return text[:at] + "The Case Manager Said Teresa Was Good and " * 24_000 + text[at:]


def enormous_copy_list_line(text: str, report) -> str:  # type: ignore[no-untyped-def]
    """A copy-list line of a million characters of names, qualifiers and separators."""
    at = report.copy_list[0].span.start
    return text[:at] + "Member of the Board\t" + "Ann Lee (West), Bob Dee; " * 40_000 + "\n" + text[at:]


def many_findings(text: str, report) -> str:  # type: ignore[no-untyped-def]
    """Forty thousand short numbered findings in the first theme."""
    at = report.findings[0].span.start
    number = report.findings[0].number.split(".")[0]
    return text[:at] + "".join(f"{number}.{1 + n % 40}. Good.\n" for n in range(40_000)) + text[at:]


@pytest.mark.parametrize("make", [enormous_finding, enormous_copy_list_line, many_findings], ids=lambda f: f.__name__)
def test_long_inputs_are_read_in_time_proportional_to_their_length(make) -> None:  # type: ignore[no-untyped-def]
    """Each took a minute or more before (work quadratic in the length of a paragraph or a
    copy-list line, or in the number of findings); now a few seconds."""
    text = SAMPLE_TEXTS[sorted(SAMPLE_TEXTS)[0]]
    long = make(text, hostile.parse_text(text))
    assert len(long) > 400_000
    started = time.monotonic()
    report = parse_report(read_report_bytes(long.encode("utf-8"), "long.txt").document)
    elapsed = time.monotonic() - started
    assert len(report.findings) >= len(hostile.parse_text(text).findings)
    assert elapsed < 30, f"{make.__name__}: {elapsed:.1f} s for {len(long):,} characters"
