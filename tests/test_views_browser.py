"""The views in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
each page loads from file:// with no console error and no request leaving the file, draws the
expected nodes and edges, opens the details panel on a click, finds a person by search, copes
with 2,000+ nodes, and shows hostile markup as text without running it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fixtures.views import synthetic
from offline_page import SCREENSHOTS, OfflinePage

from sqsgraph.network import views
from sqsgraph.rdf.mapper import map_reports
from sqsgraph.read.parser import parse_files
from sqsgraph.read.reader import sample_paths

pytest.importorskip("playwright.sync_api")  # the browser tests drive Chromium through Playwright

pytestmark = pytest.mark.browser

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def samples():  # type: ignore[no-untyped-def]
    return map_reports(parse_files(sample_paths()).reports)


class Page(OfflinePage):
    """A view opened from disk (see ``offline_page``)."""

    def __init__(self, browser, path: Path) -> None:  # type: ignore[no-untyped-def]
        super().__init__(browser, path, "() => window.sqsView && window.sqsView.ready === true")

    def node_id(self, label: str) -> int:
        return self.js("l => sqsView.data.nodes.find(n => n.label === l).id", label)

    def node_position(self, node_id: int) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        x, y = self.js(
            """id => {
            const net = sqsView.network, p = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById('network').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
            node_id,
        )
        return x, y

    def click_node(self, node_id: int) -> None:
        self.page.mouse.click(*self.node_position(node_id))


def _open(browser, view: views.View, tmp_path: Path) -> Page:  # type: ignore[no-untyped-def]
    return Page(browser, views.write_view(view, tmp_path))


@pytest.mark.parametrize("kind", ["overview", "people", "findings", "focus"])
def test_view_of_the_samples(browser, samples, kind: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = views.build_view(samples, kind, focus="Malcolm Potter" if kind == "focus" else None)
    page = _open(browser, view, tmp_path)
    try:
        drawn = page.js("[sqsView.nodes.length, sqsView.edges.length, sqsView.network.body.nodeIndices.length]")
        assert drawn == [view.graph.number_of_nodes(), view.graph.number_of_edges(), view.graph.number_of_nodes()]
        assert page.js("document.querySelectorAll('#legend li').length") == len(view.legend)

        # a click on a node (the one standing furthest from any other, so none hides it) opens its details
        target = page.js("""() => {
            const pos = sqsView.network.getPositions(); const ids = Object.keys(pos);
            let best = null, bestGap = -1;
            for (const a of ids) {
                let gap = Infinity;
                for (const b of ids) {
                    if (a !== b) { gap = Math.min(gap, Math.hypot(pos[a].x - pos[b].x, pos[a].y - pos[b].y)); }
                }
                if (gap > bestGap) { bestGap = gap; best = Number(a); }
            }
            return best;
        }""")
        label = page.js("id => sqsView.data.nodes[id].label", target)
        page.click_node(target)
        page.page.wait_for_selector("#details h3")
        assert page.js("document.querySelector('#details h3').textContent") == label
        assert page.js("sqsView.network.getSelectedNodes()") == [target]
        if kind == "findings":  # a finding's panel quotes the report
            finding = next(n for n in sorted(view.graph) if view.graph.nodes[n]["kind"] == "finding")
            page.js("id => sqsView.selectNode(id)", page.node_id(view.graph.nodes[finding]["label"]))
            assert (
                page.js("document.querySelector('#details .span blockquote').textContent")
                == view.graph.nodes[finding]["spans"][0]["quote"]
            )
            assert "paragraph" in page.js("document.querySelector('#details .span .where').textContent")

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(SCREENSHOTS / f"{kind}.png"))
        page.assert_clean()
    finally:
        page.close()


def test_search_finds_a_person(browser, samples, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, views.build_view(samples, "people"), tmp_path)
    try:
        page.page.fill("#search", "malcolm")
        page.page.wait_for_selector("#search-results li[data-node]")
        assert page.js("document.querySelector('#search-results li').firstChild.textContent") == "Malcolm Potter"
        page.page.press("#search", "Enter")
        assert page.js("document.querySelector('#details h3').textContent") == "Malcolm Potter"
        assert page.js("sqsView.network.getSelectedNodes()") == [page.node_id("Malcolm Potter")]
        assert page.js("document.getElementById('search-results').hidden") is True
        page.page.fill("#search", "no such name at all")
        assert page.js("document.querySelector('#search-results li').textContent") == "No node matches"
        page.assert_clean()
    finally:
        page.close()


def test_two_thousand_nodes_open_and_respond(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = views.build_view(synthetic.corpus(130, 1900), "overview")
    assert view.graph.number_of_nodes() > 2000 and not view.physics
    page = _open(browser, view, tmp_path)
    try:
        assert page.load_seconds < 5.0
        assert page.js("[sqsView.nodes.length, sqsView.edges.length]") == [
            view.graph.number_of_nodes(),
            view.graph.number_of_edges(),
        ]
        assert page.js("sqsView.network.physics.physicsEnabled") is False
        started = time.monotonic()
        page.page.fill("#search", "Person 01234")
        page.page.press("#search", "Enter")
        page.page.mouse.wheel(0, -400)
        page.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert time.monotonic() - started < 2.0
        assert page.js("document.querySelector('#details h3').textContent") == "Person 01234"
        page.page.screenshot(path=str(SCREENSHOTS / "overview-2000-nodes.png"))
        page.assert_clean()
    finally:
        page.close()


def test_a_cut_view_says_so_on_the_page(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = views.build_view(synthetic.corpus(60, 500), "people", max_nodes=300)
    page = _open(browser, view, tmp_path)
    try:
        assert page.js("document.getElementById('notice').textContent") == view.notice
        assert view.notice.startswith("Showing the most connected part: 300 of ")
        assert page.js("sqsView.nodes.length") == 300
        page.assert_clean()
    finally:
        page.close()


@pytest.mark.parametrize("kind", ["overview", "people", "findings"])
def test_markup_in_reports_shows_as_text_and_never_runs(browser, kind: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = views.build_view(synthetic.hostile(), kind)
    page = _open(browser, view, tmp_path)
    try:
        hostile_nodes = [n for n in sorted(view.graph) if "<" in view.graph.nodes[n]["label"]]
        assert hostile_nodes
        for n in hostile_nodes[:4]:
            label = view.graph.nodes[n]["label"]
            page.js("id => sqsView.selectNode(id)", page.node_id(label))
            assert page.js("document.querySelector('#details h3').textContent") == label
        # the tooltip shows the markup as text too
        node = page.node_id(view.graph.nodes[hostile_nodes[0]]["label"])
        page.js("id => sqsView.network.focus(id, { scale: 1.0, animation: false })", node)  # in sight
        page.page.mouse.move(*page.node_position(node))
        page.page.wait_for_selector("div.vis-tooltip", state="visible")
        # innerText turns the tooltip's newlines into <br>; nothing else may be an element
        assert page.js("document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0
        assert view.graph.nodes[hostile_nodes[0]]["label"] in page.js("document.querySelector('div.vis-tooltip').textContent")
        page.page.fill("#search", "<img")
        page.page.wait_for_selector("#search-results li[data-node]")
        assert "<img" in page.js("document.querySelector('#search-results li').textContent")
        assert page.js("document.querySelectorAll('img, svg:not(#legend svg), iframe, a').length") == 0
        assert page.js("document.querySelectorAll('script').length") == 3
        assert page.js("typeof window.__xss") == "undefined"
        page.page.screenshot(path=str(SCREENSHOTS / f"hostile-{kind}.png"))
        page.assert_clean()
    finally:
        page.close()


def test_a_report_with_markup_in_names_and_findings_shows_it_as_text(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """End to end: a real report whose copy-list names and finding text carry markup and script,
    through parser, mapper and view, into Chromium."""
    from sqsgraph.read.parser import parse_report
    from sqsgraph.read.reader import read_report_bytes

    evil_name = "Eve <img src=x onerror=window.__xss=1>"
    # bare tags such as <script> are stripped by the parser as markup; a tag with attributes
    # survives parsing and must reach the page as text
    evil_text = "<svg onload='window.__xss=2'> & <img src=y onerror='window.__xss=3'>"
    sample = next(p for p in sample_paths() if p.name.startswith("thurrock"))
    text = sample.read_text(encoding="utf-8")
    copy_at = text.rindex("Copy to:")
    line_start = text.index("\n", text.index("\t", copy_at)) + 1  # the first copy-list entry
    name_start = text.index("<i>", line_start) + 3
    name_end = text.index("</i>", name_start)
    text = text[:name_start] + evil_name + text[name_end:]
    text = text.replace("- 1.2. ", "- 1.2. " + evil_text + " ", 1)
    report = parse_report(read_report_bytes(text.encode("utf-8"), "evil.txt").document)
    assert evil_name in [h.name for e in report.copy_list for h in e.holders]
    assert next(f for f in report.findings if f.number == "1.2").text.startswith(evil_text)
    dataset = map_reports([report])
    for kind in ("overview", "findings"):
        page = _open(browser, views.build_view(dataset, kind), tmp_path / kind)
        try:
            labels = page.js("sqsView.data.nodes.map(n => n.label)")
            shown = evil_name if kind == "overview" else None
            if shown:
                assert shown in labels
                page.js("id => sqsView.selectNode(id)", page.node_id(shown))
                assert page.js("document.querySelector('#details h3').textContent") == shown
            else:
                finding = next(label for label in labels if "1.2" in label)
                page.js("id => sqsView.selectNode(id)", page.node_id(finding))
                assert evil_text in page.js("document.querySelector('#details').textContent")
            assert page.js("document.querySelectorAll('#details img, #details script').length") == 0
            assert page.js("typeof window.__xss") == "undefined"
            page.assert_clean()
        finally:
            page.close()


def test_a_finding_read_from_a_pdf_shows_its_page_and_links_to_it(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A PDF built into a folder: the finding's panel says "page N" and links to the PDF at that
    page, by a path relative to the views folder that leads to the PDF the build read."""
    import shutil

    from test_pdf_pages import FIRST_WORDS, LAST_WORDS, PDF_FIXTURE, page_of_text

    from sqsgraph.build.pipeline import build

    (tmp_path / "reports").mkdir()
    pdf = tmp_path / "reports" / PDF_FIXTURE.name
    shutil.copyfile(PDF_FIXTURE, pdf)
    assert build([pdf], tmp_path / "out", docs=False, validate=False, workers=1, cache=False).failures == []
    number = page_of_text(pdf, FIRST_WORDS, LAST_WORDS)
    page = Page(browser, tmp_path / "out" / "views" / "findings.html")
    try:
        finding = page.js("sqsView.data.nodes.find(n => n.label.startsWith('2.1 ')).id")
        # bring the finding to the middle, large, then click it as a reader would
        page.js("id => sqsView.network.focus(id, { scale: 2.0, animation: false })", finding)
        page.click_node(finding)
        page.page.wait_for_selector("#details .span p.pdf a")
        assert page.js("sqsView.network.getSelectedNodes()") == [finding]
        where = page.js("document.querySelector('#details .span .where').textContent")
        assert where.endswith(f" · page {number}") and "paragraph 2.1" in where
        link = page.js("""() => { const a = document.querySelector('#details .span p.pdf a');
            return [a.getAttribute('href'), a.href, a.textContent, a.title, a.target, a.rel]; }""")
        href, resolved, text, title, target, rel = link
        assert href == f"../../reports/{pdf.name}#page={number}"
        assert resolved == f"{pdf.resolve().as_uri()}#page={number}"  # the PDF the build read
        assert text == f"Open {pdf.name} at page {number}" and "where the build read it" in title
        assert (target, rel) == ("_blank", "noopener noreferrer")
        assert page.js("document.querySelectorAll('#details a').length") == 1
        page.page.screenshot(path=str(SCREENSHOTS / "findings-pdf-page.png"))
        page.assert_clean()  # showing the link fetched nothing
    finally:
        page.close()


def test_two_people_of_one_name_are_told_apart_in_the_search(browser, samples, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: the two Julie Foxes of the samples show their organisation beside the name."""
    page = _open(browser, views.build_view(samples, "people"), tmp_path)
    try:
        page.page.fill("#search", "julie fox")
        page.page.wait_for_selector("#search-results li[data-node]")
        shown = page.js("[...document.querySelectorAll('#search-results li[data-node]')].map(li => li.textContent)")
        assert shown == ["Julie FoxHM Inspectorate of ProbationPerson", "Julie FoxYouth Justice BoardPerson"]
        page.page.fill("#search", "julie fox youth")  # the organisation is searched too
        assert page.js("document.querySelectorAll('#search-results li[data-node]').length") == 1
        page.assert_clean()
    finally:
        page.close()
