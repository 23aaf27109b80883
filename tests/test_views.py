"""The HTML views, read as files: offline, escaped, deterministic, cut when large; and the
`view` and `stats` commands with their exact output and exit codes."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from fixtures.views import synthetic

from sqsgraph import files
from sqsgraph.cli import main
from sqsgraph.errors import UsageError
from sqsgraph.network import views
from sqsgraph.rdf.datasets import load_dataset

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "views" / "small.trig"
ID = "https://w3id.org/sqsgraph/id/"


@pytest.fixture(scope="module")
def dataset():  # type: ignore[no-untyped-def]
    return load_dataset(FIXTURE)


class _Scan(HTMLParser):
    """Every tag and attribute of a page, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.tags: list[str] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def scan(html: str) -> _Scan:
    s = _Scan()
    s.feed(html)
    return s


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def page_data(html: str) -> dict:
    ((attrs, text),) = [(a, t) for a, t in scan(html).scripts if a.get("type") == "application/json"]
    return json.loads(text)


@pytest.mark.parametrize("kind", ["overview", "people", "findings"])
def test_no_external_resource(dataset, kind: str) -> None:  # type: ignore[no-untyped-def]
    html = views.render_html(views.build_view(dataset, kind))
    s = scan(html)
    assert [a for a in s.attrs if a[1] in ("src", "href", "srcset", "action", "data", "poster")] == []
    assert "link" not in s.tags and "iframe" not in s.tags
    assert re.findall(r"url\((?!\"?data:)[^)]*\)", html) == []  # CSS urls are inline data: images only
    assert "bootstrap" not in html.lower() and "jsdelivr" not in html.lower()  # pyvis's template is not used
    csp = next(v for t, k, v in s.attrs if k == "content" and "default-src" in v)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert [a for a, _t in s.scripts if "src" in a] == []
    assert len(s.scripts) == 3  # the data, vis-network, the view script


def test_hostile_text_is_data_not_markup() -> None:
    ds = synthetic.hostile()
    for kind in ("overview", "people", "findings"):
        html = views.render_html(views.build_view(ds, kind))
        s = scan(html)
        assert len(s.scripts) == 3 and html.lower().count("</script") == 3
        assert "img" not in s.tags and "svg" not in s.tags and "a" not in s.tags
        for bad in synthetic.HOSTILE[:6]:
            assert bad not in html
        assert "\u2028" not in html and "\u2029" not in html and "<!--" not in html
        data = page_data(html)
        labels = {n["label"] for n in data["nodes"]}
        texts = "\n".join(_strings(data))
        # the markup survives, as text, in the data the page draws
        assert sum(any(bad in label for label in labels) for bad in synthetic.HOSTILE[:6]) >= 3
        assert sum(bad in texts for bad in synthetic.HOSTILE[:6]) >= (6 if kind == "overview" else 3)


def test_title_and_notice_are_escaped() -> None:
    ds = synthetic.hostile()
    with pytest.raises(UsageError, match="matches 2 nodes; give the IRI of one"):
        views.build_view(ds, "focus", focus=synthetic.HOSTILE[0])
    view = views.build_view(ds, "focus", focus=ID + "person/p00001")
    html = views.render_html(view)
    assert "<title>Around &lt;script&gt;window.__xss = 1&lt;/script&gt; (1 hop)</title>" in html


def test_script_json_escapes_what_could_end_a_script() -> None:
    text = views.script_json({"a": "</script><!-- \u2028\u2029 & >"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u2028\\u2029 \\u0026 \\u003e"}'
    assert json.loads(text) == {"a": "</script><!-- \u2028\u2029 & >"}


def test_same_input_gives_byte_identical_files(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in views.write_views(load_dataset(FIXTURE), tmp_path / "a")]
    second = [p.read_bytes() for p in views.write_views(load_dataset(FIXTURE), tmp_path / "b")]
    assert first == second
    big = synthetic.corpus(40, 500)
    assert views.render_html(views.build_view(big, "overview")) == views.render_html(
        views.build_view(synthetic.corpus(40, 500), "overview")
    )


def test_write_views_writes_three_files_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dataset) -> None:  # type: ignore[no-untyped-def]
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    paths = views.write_views(dataset, tmp_path / "out")
    assert [p.name for p in paths] == ["overview.html", "people.html", "findings.html"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["findings.html", "overview.html", "people.html"]
    assert list(cwd.iterdir()) == []  # no lib/ folder, no temporary file
    assert oct(paths[0].stat().st_mode & 0o777) == "0o644"


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dataset) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "overview.html"
    target.write_text("old")

    def refuse(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", refuse)  # views write through files.write_atomic
    with pytest.raises(OSError, match="disk full"):
        views.write_view(views.build_view(dataset, "overview"), tmp_path)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["overview.html"]


def test_a_view_is_written_through_a_temporary_file_a_later_build_can_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dataset
) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    replace = files.os.replace

    def record(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        replace(src, dst)

    monkeypatch.setattr(files.os, "replace", record)
    views.write_view(views.build_view(dataset, "people"), tmp_path)
    assert len(seen) == 1 and seen[0].startswith(files.temp_prefix(tmp_path / "people.html"))


def test_each_view_shows_what_it_says(dataset) -> None:  # type: ignore[no-untyped-def]
    overview = views.build_view(dataset, "overview")
    assert (overview.graph.number_of_nodes(), overview.graph.number_of_edges()) == (20, 30)
    people = views.build_view(dataset, "people")
    assert {d["kind"] for _n, d in people.graph.nodes(data=True)} == {"person"}
    assert max(people.sizes, key=people.sizes.get) == ID + "person/malcolm-potter"
    assert people.graph.has_edge(ID + "person/malcolm-potter", ID + "person/chris-munday")  # the Barnet report
    findings = views.build_view(dataset, "findings")
    data = views.view_data(findings)
    kent = next(n for n in data["nodes"] if n["label"].startswith("1.1 The initial"))
    assert dict(kent["facts"])["Text"].endswith("in all but eight of the cases sampled.")
    assert kent["spans"][0]["quote"].startswith("The initial assessment")
    assert kent["spans"][0]["report"] == "Report Kent 2014-06-18"
    assert kent["spans"][0]["paragraph"] == "1.1"
    assert [item.get("heading", item.get("label")) for item in data["legend"]] == [
        "Shape: what it is",
        "Area",
        "Theme",
        "Finding",
        "Key strength",
        "Area for improvement",
        "Colour: its counts of this inspection",
        "Favourable",
        "Unfavourable",
        "Mixed: favourable and unfavourable",
        "Counts that judge neither way",
        "No count",
    ]


def test_focus_by_label_iri_and_hops(dataset) -> None:  # type: ignore[no-untyped-def]
    one = views.build_view(dataset, "focus", focus="MALCOLM potter")
    assert sorted(d["label"] for _n, d in one.graph.nodes(data=True)) == [
        "Malcolm Potter",
        "Report Barnet 2014-07-16",
        "Report Kent 2014-06-18",
        "Youth Justice Board",
    ]
    assert one.file_name == "focus-malcolm-potter.html"
    two = views.build_view(dataset, "focus", focus=ID + "person/malcolm-potter", hops=2)
    assert two.graph.number_of_nodes() > one.graph.number_of_nodes()
    assert views.view_data(one)["nodes"][[n for n in sorted(one.graph)].index(ID + "person/malcolm-potter")]["border"]


def test_focus_errors_list_close_matches(dataset) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=r"did you mean: Malcolm Potter\?"):
        views.build_view(dataset, "focus", focus="Malcom Poter")
    with pytest.raises(UsageError, match="no label is close"):
        views.build_view(dataset, "focus", focus="zzzzqqqq")
    with pytest.raises(UsageError, match="needs --focus"):
        views.build_view(dataset, "focus")


def test_physics_off_for_large_graphs() -> None:
    big = views.build_view(synthetic.corpus(130, 1900), "overview")
    assert big.graph.number_of_nodes() > 2000
    assert not big.physics and views.view_data(big)["physics"] is False
    assert views.build_view(synthetic.corpus(4, 40), "overview").physics


def test_large_graph_is_cut_to_its_most_connected_part_and_says_so() -> None:
    ds = synthetic.corpus(130, 1900)
    view = views.build_view(ds, "overview", max_nodes=1000)
    assert view.graph.number_of_nodes() == 1000
    assert view.notice == (
        "Showing the most connected part: 1,000 of 2,231 nodes (1,231 left out: the smaller "
        "components and the least connected nodes). Use `sqsgraph view focus --focus NAME` "
        "to see any part in full."
    )
    html = views.render_html(view)
    assert (
        f'<p id="notice" role="status">{view.notice.replace("`", "&#x60;")}</p>' in html
        or f'<p id="notice" role="status">{view.notice}</p>' in html
    )
    full = views.build_view(ds, "overview")
    kept_degrees = [full.graph.degree(n) for n in view.graph]
    dropped = [full.graph.degree(n) for n in full.graph if n not in view.graph]
    assert min(kept_degrees) >= max(dropped) or max(dropped) <= 3  # the least connected went first


def test_a_dense_graph_is_cut_by_its_links_too_and_says_so() -> None:
    G = nx.relabel_nodes(nx.complete_graph(60), str)  # 1,770 links
    H, notice = views.most_connected(G, 1000, max_links=300)
    assert (H.number_of_nodes(), H.number_of_edges()) == (25, 300)  # a 26th node would bring 25 more
    assert notice == (
        "Showing the most connected part: 25 of 60 nodes and 300 of 1,770 links (at most 300 links are "
        "drawn, so that the page opens in a few seconds; 35 nodes left out: the smaller components and "
        "the least connected nodes). Use `sqsgraph view focus --focus NAME` to see any part in full."
    )
    assert views.most_connected(G, 1000, max_links=1770) == (G, "")
    H, notice = views.most_connected(G, 10, max_links=300)  # the nodes are the limit first
    assert H.number_of_nodes() == 10 and notice.startswith("Showing the most connected part: 10 of 60 nodes (50 left out")


def test_a_large_findings_view_keeps_whole_areas_with_their_findings_and_says_so() -> None:
    ds = synthetic.corpus(130, 1900)
    full = views.build_view(ds, "findings").graph
    view = views.build_view(ds, "findings", max_nodes=300)
    G = view.graph
    kinds = [G.nodes[n]["kind"] for n in G]
    assert 0 < G.number_of_nodes() <= 300
    assert kinds.count("area") >= 2 and sum(k not in {"area", "theme"} for k in kinds) > kinds.count("area")
    for area in (n for n in G if G.nodes[n]["kind"] == "area"):  # each area kept whole
        tree = {area, *nx.descendants_at_distance(full, area, 1), *nx.descendants_at_distance(full, area, 2)}
        assert tree <= set(G), G.nodes[area]["label"]
    all_areas = sorted((full.nodes[n]["label"], n) for n in full if full.nodes[n]["kind"] == "area")
    kept = sorted((G.nodes[n]["label"], n) for n in G if G.nodes[n]["kind"] == "area")
    assert kept == all_areas[: len(kept)]  # the first areas by name
    assert view.notice == (
        f"Showing {G.number_of_nodes():,} of {full.number_of_nodes():,} nodes: {len(kept)} of "
        f"{len(all_areas)} areas (in order of name), each with all its themes and findings (at "
        f"most 300 nodes are drawn; the query findings-by-theme lists every finding)."
    )


def test_an_area_larger_than_the_findings_view_keeps_its_themes_then_findings() -> None:
    F = nx.Graph()
    F.add_node("a", kind="area", label="A")
    for t in range(3):
        F.add_node(f"t{t}", kind="theme", label=f"T{t}")
        F.add_edge("a", f"t{t}")
        for i in range(5):
            F.add_node(f"t{t}f{i}", kind="finding", label=f"F{i}")
            F.add_edge(f"t{t}", f"t{t}f{i}")
    keep, kept, areas = views.whole_area_trees(F, 6)
    assert (sorted(keep), kept, areas) == (["a", "t0", "t0f0", "t0f1", "t1", "t2"], 1, 1)


# ------------------------------------------------------------------------------------- CLI


def test_cli_view_writes_one_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", "overview", "--graph", str(FIXTURE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'overview.html'}: 20 nodes, 30 links\n"
    assert (tmp_path / "overview.html").is_file()


def test_cli_view_focus(tmp_path: Path) -> None:
    args = ["view", "focus", "--focus", "malcolm potter", "--hops", "1", "--graph", str(FIXTURE), "-o", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'focus-malcolm-potter.html'}: 4 nodes, 3 links\n"


def test_cli_view_unknown_focus_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", "focus", "--focus", "Malcom", "--graph", str(FIXTURE), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: --focus 'Malcom' matches no person, area, body or organisation; did you mean: Malcolm Potter?"
    )
    assert list(tmp_path.iterdir()) == []


def test_cli_focus_option_on_another_view_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", "people", "--focus", "Kent", "--graph", str(FIXTURE), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: --focus applies to the focus view only, not to people"


def test_cli_missing_graph_is_a_data_error(tmp_path: Path) -> None:
    missing = tmp_path / "none.nq"
    result = CliRunner().invoke(main, ["view", "overview", "--graph", str(missing), "-o", str(tmp_path / "v")])
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: no such file; run `sqsgraph build` first or name an existing graph file\n"


def test_cli_stats_table() -> None:
    result = CliRunner().invoke(main, ["stats", "--graph", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Nodes: 20  Edges: 30  Connected components: 1 (largest: 20 nodes)"
    assert "   1. Malcolm Potter    0.2222" in lines


def test_cli_stats_csv_and_json() -> None:
    csv_out = CliRunner().invoke(main, ["stats", "--graph", str(FIXTURE), "--format", "csv"])
    assert csv_out.exit_code == 0
    assert csv_out.stdout.splitlines()[:2] == ["section,rank,label,iri,value", "total,,nodes,,20"]
    json_out = CliRunner().invoke(main, ["stats", "--graph", str(FIXTURE), "--format", "json"])
    assert json.loads(json_out.stdout)["counts"]["report"] == 2
    bad = CliRunner().invoke(main, ["stats", "--graph", str(FIXTURE), "--format", "xml"])
    assert bad.exit_code == 2


# --- issue 17: same-named people, id: IRIs, the line that names a person ------------------------


def test_focus_on_two_people_of_one_name_writes_two_files_and_takes_the_id_form(tmp_path):
    from click.testing import CliRunner

    from sqsgraph.cli import main

    out = tmp_path / "out"
    assert (
        CliRunner().invoke(main, ["build", "-o", str(out), "--no-docs", "--no-views", "--no-validate", "--no-cache"]).exit_code
        == 0
    )
    written = []
    for focus in ("https://w3id.org/sqsgraph/id/person/julie-fox", "id:person/julie-fox-2"):
        result = CliRunner().invoke(
            main, ["view", "focus", "--focus", focus, "--graph", str(out / "sqsgraph.nq"), "-o", str(tmp_path / "views")]
        )
        assert result.exit_code == 0, result.output
        written.append(result.stdout.split(":", 1)[0].removeprefix("wrote "))
    assert [Path(w).name for w in written] == ["focus-person-julie-fox.html", "focus-person-julie-fox-2.html"]
    assert "Youth Justice Board" in Path(written[1]).read_text(encoding="utf-8")
    unique = CliRunner().invoke(
        main,
        [
            "view",
            "focus",
            "--focus",
            "id:person/malcolm-potter",
            "--graph",
            str(out / "sqsgraph.nq"),
            "-o",
            str(tmp_path / "views"),
        ],
    )
    assert unique.exit_code == 0 and unique.stdout.startswith(f"wrote {tmp_path / 'views' / 'focus-malcolm-potter.html'}")


def test_a_persons_source_text_is_the_line_naming_them_with_their_post():
    from sqsgraph.rdf.mapper import map_reports
    from sqsgraph.read.parser import parse_files
    from sqsgraph.read.reader import sample_paths

    G = views.build_view(map_reports(parse_files(sample_paths()).reports), "people").graph
    quotes = lambda slug: {s["quote"] for s in G.nodes[f"https://w3id.org/sqsgraph/id/person/{slug}"]["spans"]}  # noqa: E731
    assert quotes("julie-fox") == {"From: Julie Fox, HM Assistant Chief Inspector"}
    assert quotes("adesua-osime") == {"Ofsted – Social Care Adesua Osime"}
    # a long line whose stored context stops short of the post: the post is put back before it
    assert quotes("julie-fox-2") == {"YJB link staff: … r, Paula Williams, Linda Paris, Julie Fox"}
    assert views.same_name_hints(G) == {
        "https://w3id.org/sqsgraph/id/person/julie-fox": "HM Inspectorate of Probation",
        "https://w3id.org/sqsgraph/id/person/julie-fox-2": "Youth Justice Board",
    }
