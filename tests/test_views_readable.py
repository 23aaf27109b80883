"""Views a person can read, in a real headless Chromium: labels never print over one another at
the default zoom (the samples, and a build of a few hundred `sqsgraph synth` reports), the
findings view labels its areas and themes and colours each finding by what its counts count, as
its legend says, and every node's details panel says which report, of which date, and for a
report read from a PDF which page, with a link that opens the PDF there.

Labels are measured as vis-network drew them: the box it computed for each label's text (its
label module's ``size``, shifted by the ``font.vadjust`` it draws the text with), for the labels
it draws (``labelModule.visible()``), after a fresh draw."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from offline_page import SCREENSHOTS
from test_views_browser import Page

from sqsgraph.build.pipeline import build
from sqsgraph.network import views
from sqsgraph.rdf.mapper import map_reports
from sqsgraph.read.parser import parse_files
from sqsgraph.read.reader import sample_paths
from sqsgraph.synth.corpus import write_corpus

pytest.importorskip("playwright.sync_api")  # the browser tests drive Chromium through Playwright

pytestmark = pytest.mark.browser

PDFS = Path(__file__).parent / "fixtures" / "pdf"

#: Every label vis-network drew, in canvas units, after a fresh draw; and the part of the canvas
#: in sight.
DRAWN_LABELS = """() => new Promise(resolve => {
  const net = sqsView.network;
  net.once("afterDrawing", () => {
    const scale = net.getScale(), labels = [];
    for (const id of net.body.nodeIndices) {
      const node = net.body.nodes[id], label = node.labelModule;
      if (!label.visible()) { continue; }
      const s = label.size, shift = label.fontOptions.vadjust || 0;
      labels.push({ id: Number(id), text: node.options.label, px: label.fontOptions.size * scale,
                    box: [s.left, s.top + shift, s.left + s.width, s.top + shift + s.height] });
    }
    const box = document.getElementById("network").getBoundingClientRect();
    const from = net.DOMtoCanvas({ x: 0, y: 0 }), to = net.DOMtoCanvas({ x: box.width, y: box.height });
    resolve({ scale: scale, labels: labels, sight: [from.x, from.y, to.x, to.y] });
  });
  net.redraw();
})"""

#: The colour each node is drawn in, and the legend's swatches by their text.
DRAWN_COLOURS = """() => {
  const net = sqsView.network, colours = {};
  for (const id of net.body.nodeIndices) { colours[id] = net.body.nodes[id].options.color.background; }
  const legend = {};
  for (const li of document.querySelectorAll("#legend li")) {
    const shape = li.querySelector("svg *");
    if (shape) {
      legend[li.children[1].textContent] = [shape.getAttribute("fill"), li.querySelector(".count").textContent];
    }
  }
  return { colours: colours, legend: legend };
}"""


@pytest.fixture(scope="module")
def samples():  # type: ignore[no-untyped-def]
    return map_reports(parse_files(sample_paths()).reports)


@pytest.fixture(scope="module")
def synthetic_build(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The views `sqsgraph build` writes for 200 reports of `sqsgraph synth`."""
    folder = tmp_path_factory.mktemp("synth")
    paths = write_corpus(200, folder / "reports")
    result = build(paths, folder / "out", docs=False, validate=False, workers=2, cache=False)
    assert result.failures == []
    return folder / "out" / "views"


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    """The pairs of drawn labels whose boxes overlap (a shared edge is no overlap)."""
    boxes = sorted(((label["box"], label["text"]) for label in labels), key=lambda b: b[0][0])
    pairs = []
    for i, (a, text_a) in enumerate(boxes):
        for b, text_b in boxes[i + 1 :]:
            if b[0] >= a[2]:
                break  # sorted by left edge: no later box reaches back over this one
            if a[1] < b[3] and b[1] < a[3]:
                pairs.append((text_a, text_b))
    return pairs


def assert_readable(drawn: dict, least_px: float) -> None:
    """No two drawn labels overlap, each is at least ``least_px`` pixels high on screen and
    wholly in sight."""
    assert overlapping(drawn["labels"]) == []
    assert min(label["px"] for label in drawn["labels"]) >= least_px - 1e-6
    left, top, right, bottom = drawn["sight"]
    for label in drawn["labels"]:
        box = label["box"]
        assert left <= box[0] and box[2] <= right and top <= box[1] and box[3] <= bottom, label["text"]


def zoom_in(page: Page) -> None:
    """Turn the mouse wheel over the middle of the drawing, as a reader zooms in, and wait
    until the labels have been placed again."""
    before = page.js("() => sqsView.placements")
    box = page.js(
        "() => { const b = document.getElementById('network').getBoundingClientRect(); "
        "return [b.left + b.width / 2, b.top + b.height / 2]; }"
    )
    page.page.mouse.move(*box)
    page.page.mouse.wheel(0, -500)
    page.page.wait_for_function("n => sqsView.placements > n", arg=before, timeout=10_000)


def names_of(page: Page, kinds: tuple[str, ...]) -> set[str]:
    return set(page.js("k => sqsView.data.nodes.filter(n => k.includes(n.kind)).map(n => n.label)", list(kinds)))


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("kind", ["overview", "people", "focus", "findings"])
def test_labels_never_print_over_one_another_in_the_samples(browser, samples, kind: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = views.build_view(samples, kind, focus="Malcolm Potter" if kind == "focus" else None)
    page = Page(browser, views.write_view(view, tmp_path))
    try:
        drawn = page.js(DRAWN_LABELS)
        assert_readable(drawn, least_px=views.LABEL_PX)
        shown = {one_line(label["text"]) for label in drawn["labels"]}
        if kind == "overview":  # the places and reports are all named, and many more besides
            assert names_of(page, ("area", "report")) <= shown
            assert len(shown) >= 40
        elif kind == "findings":  # areas and themes, none of the findings until zoomed in
            assert shown == names_of(page, ("area", "theme"))
        else:
            assert len(shown) >= 0.4 * view.graph.number_of_nodes()
        # zoomed in, more labels, still apart
        zoom_in(page)
        closer = page.js(DRAWN_LABELS)
        assert closer["scale"] > drawn["scale"]
        assert overlapping(closer["labels"]) == []
        assert len(closer["labels"]) >= (len(drawn["labels"]) if kind != "findings" else 1)
        page.assert_clean()
    finally:
        page.close()


def test_labels_never_print_over_one_another_in_a_build_of_200_synthetic_reports(browser, synthetic_build: Path) -> None:  # type: ignore[no-untyped-def]
    for kind in ("overview", "people", "findings"):
        page = Page(browser, synthetic_build / f"{kind}.html")
        try:
            assert page.js("() => sqsView.data.nodes.length") > 1000
            drawn = page.js(DRAWN_LABELS)
            assert_readable(drawn, least_px=views.LABEL_PX)
            assert len(drawn["labels"]) >= 50  # the largest nodes are named even this far out
            page.page.screenshot(path=str(SCREENSHOTS / f"{kind}-200-reports.png"))
            zoom_in(page)
            assert overlapping(page.js(DRAWN_LABELS)["labels"]) == []
            page.assert_clean()
        finally:
            page.close()


#: What the findings view says each colour stands for, by the rule of docs/views.md.
LEGEND = {
    "favourable": "Favourable",
    "unfavourable": "Unfavourable",
    "mixed": "Mixed: favourable and unfavourable",
    "unstated": "Counts that judge neither way",
    "none": "No count",
}


def expected_colours() -> dict[tuple[str, str, str], str]:
    """What each finding, key strength and area for improvement of the samples counts, from the
    parser's reading of its counts (those of this inspection), keyed by the report's label, the
    kind and the paragraph number."""
    found = {}
    for report in parse_files(sample_paths()).reports:
        key = f"Report {report.area} {report.publication_date}"
        items = [("finding", f.number, f.proportions) for s in report.sections for f in s.findings]
        items += [("strength", str(n), k.proportions) for n, k in enumerate(report.key_strengths, start=1)]
        items += [("improvement", str(n), a.proportions) for n, a in enumerate(report.areas_for_improvement, start=1)]
        for kind, number, proportions in items:
            said = {p.polarity for p in proportions if p.refers_to == "this-inspection"}
            judged = said & {"favourable", "unfavourable"}
            found[(key, kind, number)] = (
                "mixed" if len(judged) == 2 else judged.pop() if judged else "unstated" if said else "none"
            )
    return found


def test_the_findings_view_labels_areas_and_themes_and_colours_findings_by_their_counts(browser, samples, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = Page(browser, views.write_view(views.build_view(samples, "findings"), tmp_path))
    try:
        drawn = page.js(DRAWN_LABELS)
        nodes = page.js("() => sqsView.data.nodes")
        labelled = {label["id"]: label for label in drawn["labels"]}
        for n in nodes:
            if n["kind"] in ("area", "theme"):  # named, readable, wrapped to its column at most
                assert one_line(labelled[n["id"]]["text"]) == n["label"]
                assert labelled[n["id"]]["px"] >= (14 if n["kind"] == "area" else 10) - 1e-6
        themes = {n["label"] for n in nodes if n["kind"] == "theme"}
        assert {"Reducing reoffending", "Protecting the public", "Key strengths", "Areas for improvement"} <= themes

        shown = page.js(DRAWN_COLOURS)
        expected = expected_colours()
        tally = dict.fromkeys(LEGEND, 0)
        for n in nodes:
            if n["kind"] in ("area", "theme"):
                continue
            facts = dict((k, v) for k, v in n["facts"])
            meaning = expected[(facts["Report"], n["kind"], facts["Paragraph"])]
            tally[meaning] += 1
            # drawn in the colour the legend gives its meaning
            assert shown["colours"][str(n["id"])] == shown["legend"][LEGEND[meaning]][0], (n["label"], meaning)
        assert sum(tally.values()) == 125 and tally["favourable"] > 10 and tally["unfavourable"] > 0
        for meaning, label in LEGEND.items():  # the legend counts them
            assert shown["legend"][label][1] == str(tally[meaning])
        assert len({shown["legend"][label][0] for label in LEGEND.values()}) == 5
        assert "its counts of this inspection" in page.js("() => document.getElementById('legend').textContent")

        # a finding with an unfavourable count says so in its details
        unfavourable = next(
            n
            for n in nodes
            if n["kind"] != "theme"
            and n["kind"] != "area"
            and expected[(dict(n["facts"])["Report"], n["kind"], dict(n["facts"])["Paragraph"])] == "unfavourable"
        )
        page.js("id => sqsView.selectNode(id)", unfavourable["id"])
        text = page.js("() => document.getElementById('details').textContent")
        assert "Counts (colour)Unfavourable" in text and re.search(r"Count.*: unfavourable", text)
        page.page.screenshot(path=str(SCREENSHOTS / "findings-colours.png"))
        page.assert_clean()
    finally:
        page.close()


def page_text(pdf: Path, number: int) -> str:
    """The text of one page of a PDF, as pdfium's own extraction gives it, on one line."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        return one_line(document[number - 1].get_textpage().get_text_range())
    finally:
        document.close()


def letters(text: str) -> str:
    """Only the letters and digits of ``text``, in lower case ("Harvey Messina" is
    "Harvey-Messina" as another report spells it)."""
    return re.sub(r"[\W_]+", "", text.lower())


def test_every_details_panel_says_which_report_date_and_page(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A build of the five samples as PDFs: each node of every kind says in its details panel the
    report (its label and date, the date the samples were published), and links to the PDF the
    build read; a node stated in a passage of the report says its page, which is the page
    pdfium finds its words on."""
    reports = tmp_path / "reports"
    reports.mkdir()
    pdfs = [Path(shutil.copyfile(p, reports / p.name)) for p in sorted(PDFS.glob("*-lo-tagged.pdf"))]
    assert len(pdfs) == 5
    assert build(pdfs, tmp_path / "out", docs=False, validate=False, workers=1, cache=False).failures == []
    published = {f"Report {r.area} {r.publication_date}": r.publication_date for r in parse_files(sample_paths()).reports}
    by_name = {p.name: p for p in pdfs}
    seen: set[str] = set()
    for kind in ("overview", "findings", "people"):
        page = Page(browser, tmp_path / "out" / "views" / f"{kind}.html")
        try:
            nodes = page.js("() => sqsView.data.nodes")
            for n in nodes:
                page.js("id => sqsView.selectNode(id)", n["id"])
                boxes = page.js("""() => [...document.querySelectorAll('#details .span')].map(b => {
                    const a = b.querySelector('a');
                    return { where: b.querySelector('.where').textContent,
                             quote: b.querySelector('blockquote') ? b.querySelector('blockquote').textContent : null,
                             href: a ? a.getAttribute('href') : null, resolved: a ? a.href : null,
                             link: a ? a.textContent : null }; })""")
                assert boxes, (n["kindName"], n["label"])
                for box in boxes:
                    report = re.match(r"Report \w+ (\d{4}-\d{2}-\d{2})", box["where"])
                    assert report and published[report.group(0)] == report.group(1), box["where"]
                    pdf = by_name[re.match(r"Open (\S+\.pdf)", box["link"]).group(1)]
                    page_number = re.search(r"#page=(\d+)$", box["href"]).group(1)
                    assert box["href"] == f"../../reports/{pdf.name}#page={page_number}"
                    assert box["resolved"] == f"{pdf.resolve().as_uri()}#page={page_number}"
                    if box["quote"] is None:  # the report as a whole: it opens at its start
                        assert box["link"] == f"Open {pdf.name}" and page_number == "1"
                        continue
                    assert f" · page {page_number}" in box["where"] or f" · pages {page_number}" in box["where"]
                    assert box["link"] == f"Open {pdf.name} at page {page_number}"
                    if n["kind"] == "person":  # their name is on that page (as it is spelt there)
                        assert letters(n["label"]) in letters(page_text(pdf, int(page_number)))
                    elif n["kind"] in ("finding", "strength", "improvement"):  # so are its first words
                        first = " ".join(dict(n["facts"])["Text"].split()[:4])
                        assert letters(first) in letters(page_text(pdf, int(page_number)))
                seen.add(n["kind"])
            page.assert_clean()
        finally:
            page.close()
    assert seen == {"area", "report", "body", "organisation", "person", "theme", "finding", "strength", "improvement"}
