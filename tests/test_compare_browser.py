"""The comparison page in a real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright), opened from file:// with every request that would leave the file refused: the grid
shows the areas and themes, sorting and the year filter change its rows, a click on a cell lists
the findings behind it with their text, pages of rows at scale, and report text shown as text."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from graph_samples import samples_store
from offline_page import SCREENSHOTS, OfflinePage

from sqsgraph.network import compare
from sqsgraph.rdf.export import sorted_quads
from sqsgraph.rdf.mapper import map_reports
from sqsgraph.read.parser import parse_files, parse_report
from sqsgraph.read.reader import read_report_bytes, sample_paths

pytest.importorskip("playwright.sync_api")  # the browser tests drive Chromium through Playwright

pytestmark = pytest.mark.browser

THEMES = [
    "Reducing reoffending",
    "Protecting the public",
    "Protecting the child or young person",
    "Ensuring that the sentence is served",
]


class Page(OfflinePage):
    """The comparison page opened from disk (see ``offline_page``)."""

    def __init__(self, browser, path: Path) -> None:  # type: ignore[no-untyped-def]
        super().__init__(browser, path, "() => window.sqsCompare && window.sqsCompare.ready === true")

    def rows(self) -> list[str]:
        return self.js("() => sqsCompare.rows()")

    def columns(self) -> list[str]:
        return self.js("() => sqsCompare.columns()")

    def cell(self, area: str, column: str) -> str | None:
        return self.js("([a, c]) => sqsCompare.cellText(a, c)", [area, column])

    def select(self, control: str, value: str) -> None:
        self.page.select_option(control, value)
        self.settle()

    def settle(self) -> None:
        self.js("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def click_cell(self, area: str, column: str) -> None:
        """A real click where the cell is drawn on the canvas."""
        x, y = self.js("([a, c]) => sqsCompare.cellPosition(a, c)", [area, column])
        self.page.mouse.click(x, y)
        self.page.wait_for_selector("#details h3")


@pytest.fixture()
def samples_page(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    page = Page(browser, compare.write_comparison(compare.build_comparison(samples_store()), tmp_path))
    yield page
    page.close()


def test_the_grid_shows_the_areas_against_the_themes(samples_page: Page) -> None:
    page = samples_page
    assert page.rows() == ["Barnet", "Bedfordshire", "Cumbria", "Kent", "Thurrock"]
    assert page.columns() == THEMES
    # drawn: one heatmap cell per area and theme with counts, and the reoffending rates beside them
    drawn = page.js("""() => { const o = sqsCompare.chart.getOption();
        return [o.series[0].data.length + o.series[1].data.length, o.series[2].data.length, o.series[3].data.length]; }""")
    assert drawn == [15, 3, 3]  # Thurrock states no count; three reports give a rate and a comparator
    assert page.cell("Kent", "Protecting the public") == "79% · 46/58"
    assert page.cell("Cumbria", "Reducing reoffending") == "≈67%"
    assert page.cell("Thurrock", "Protecting the public") is None
    rates = page.js("() => sqsCompare.chart.getOption().yAxis[1].data")
    assert rates[1] == "34.2% vs 35.4% England and Wales\ncohort 2011-10 – 2012-09 · Youth Justice Board"
    assert rates[0] == "no reoffending rate stated\n"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(SCREENSHOTS / "compare.png"))
    page.assert_clean()


def test_sorting_and_the_year_filter_change_the_rows(samples_page: Page) -> None:
    page = samples_page
    page.select("#sort", "date")
    assert page.rows() == ["Kent", "Barnet", "Bedfordshire", "Thurrock", "Cumbria"]  # by the date of the latest report
    page.page.click("#direction")
    page.settle()
    assert page.rows() == ["Cumbria", "Thurrock", "Bedfordshire", "Barnet", "Kent"]
    theme = page.js(
        "() => [...document.querySelectorAll('#sort option')].find(o => o.textContent === 'Share: Protecting the public').value"
    )
    page.select("#sort", theme)  # descending, areas without a share last
    assert page.rows() == ["Kent", "Bedfordshire", "Barnet", "Cumbria", "Thurrock"]
    assert [page.cell(a, "Protecting the public") for a in page.rows()] == ["79% · 46/58", "77% · 17/22", "≈75%", "≈64%", None]
    page.select("#year", "2014")
    assert page.rows() == ["Kent", "Bedfordshire", "Barnet"]
    assert page.js("() => document.getElementById('page-info').textContent") == "Areas 1–3 of 3 · page 1 of 1"
    page.select("#level", "criterion")
    assert page.columns()[:3] == ["1.1", "1.2", "1.3"] and "2.1" in page.columns()
    assert page.cell("Barnet", "2.1") == "unstated"
    page.assert_clean()


def test_a_click_on_a_column_heading_sorts_by_it(samples_page: Page) -> None:
    page = samples_page
    x, y = page.js("""() => { const chart = sqsCompare.chart, p = chart.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [2, 0]);
        const box = document.getElementById('chart').getBoundingClientRect();
        return [box.left + p[0], box.top + p[1] - 40]; }""")  # the label above the third column
    page.page.mouse.click(x, y)
    page.settle()
    assert page.js("() => [sqsCompare.state.sort, sqsCompare.state.descending]") == ["2", True]
    # one scale: Barnet 84% (47/56), Cumbria ≈71%, Bedfordshire 70% (7/10), Kent 59% (19/32); Thurrock has none
    assert page.rows() == ["Barnet", "Cumbria", "Bedfordshire", "Kent", "Thurrock"]
    page.assert_clean()


def test_a_click_on_a_cell_lists_the_findings_behind_it_with_their_text(samples_page: Page) -> None:
    page = samples_page
    page.click_cell("Kent", "Protecting the public")
    assert page.js("() => document.querySelector('#details h3').textContent") == "Kent — Protecting the public"
    assert page.js("() => document.querySelector('#details .share').textContent").startswith(
        "79% favourable (all years): 46 of 58 cases counted, from 3 count(s); 3 more listed, not counted"
    )
    findings = page.js("""() => [...document.querySelectorAll('#details .finding')].map(f => [
        f.querySelector('.where').textContent, [...f.querySelectorAll('li')].map(li => li.textContent),
        f.querySelector('blockquote').textContent])""")
    assert [f[0] for f in findings] == ["Report 2014-06-18 · paragraph " + n for n in ("2.1", "2.3", "2.4", "2.6")]
    where, counts, text = findings[2]
    assert counts == [
        "“31 out of the 38”: favourable, 31 of 38; counted",
        "“less than half”: of an earlier inspection; not counted",
        "“three-quarters”: favourable, a proportion (75%); not counted, as counts here give n/d",
    ]
    assert text.startswith("There was sufficient initial planning to address the risk of harm to others in 31 out of the 38")
    page.click_cell("Barnet", "Protecting the child or young person")
    counts = page.js("() => [...document.querySelectorAll('#details li')].map(li => li.textContent)")
    assert "“3 of the 16”: unfavourable, 3 of 16; counted as 13 of 16 favourable" in counts
    page.page.screenshot(path=str(SCREENSHOTS / "compare-findings.png"))
    page.assert_clean()


def test_many_areas_are_drawn_a_page_at_a_time(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqsgraph.synth.corpus import write_corpus

    paths = write_corpus(120, tmp_path / "corpus")
    store = ox.Store()
    store.extend(sorted_quads(map_reports(parse_files(paths).reports)))
    comparison = compare.build_comparison(store)
    assert comparison.areas == 120
    page = Page(browser, compare.write_comparison(comparison, tmp_path / "views"))
    try:
        assert page.load_seconds < 5.0
        names = sorted(a["name"] for a in comparison.data["areas"])
        assert page.rows() == names[:50]
        page.page.click("#next")
        page.settle()
        assert page.rows() == names[50:100]
        assert page.js("() => document.getElementById('page-info').textContent") == "Areas 51–100 of 120 · page 2 of 3"
        page.select("#page-size", "200")
        assert page.rows() == names
        page.assert_clean()
    finally:
        page.close()


def test_markup_in_a_report_shows_as_text_and_never_runs(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # (a bare tag such as </script> is stripped by the parser as markup; tags with attributes stay)
    evil = "<svg onload='window.__xss=1'> <img src=x onerror='window.__xss=2'> & {a|b}"
    kent = next(p for p in sample_paths() if p.name.startswith("kent")).read_text(encoding="utf-8")
    report = parse_report(
        read_report_bytes(kent.replace("- 2.4. ", "- 2.4. " + evil + " ", 1).encode("utf-8"), "kent.txt").document
    )
    store = ox.Store()
    store.extend(sorted_quads(map_reports([report])))
    page = Page(browser, compare.write_comparison(compare.build_comparison(store), tmp_path))
    try:
        page.click_cell("Kent", "Protecting the public")
        texts = page.js("() => [...document.querySelectorAll('#details blockquote')].map(b => b.textContent)")
        assert any(t.startswith(evil) for t in texts)
        page.page.mouse.move(*page.js("() => sqsCompare.cellPosition('Kent', 'Reducing reoffending')"))
        page.page.wait_for_timeout(300)  # the tooltip: elements made by the page, text only
        assert page.js("() => document.querySelectorAll('#details img, #details svg, #details script, img, iframe').length") == 0
        assert page.js("() => typeof window.__xss") == "undefined"
        page.assert_clean()
    finally:
        page.close()


def test_a_finding_read_from_a_pdf_links_to_its_page(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from test_pdf_pages import FIRST_WORDS, LAST_WORDS, PDF_FIXTURE, page_of_text

    from sqsgraph.build.pipeline import build

    (tmp_path / "reports").mkdir()
    pdf = tmp_path / "reports" / PDF_FIXTURE.name
    shutil.copyfile(PDF_FIXTURE, pdf)
    assert build([pdf], tmp_path / "out", docs=False, validate=False, workers=1, cache=False).failures == []
    number = page_of_text(pdf, FIRST_WORDS, LAST_WORDS)
    page = Page(browser, tmp_path / "out" / "views" / "compare.html")
    try:
        page.select("#level", "criterion")
        page.click_cell("Kent", "2.1")
        assert (
            page.js("() => document.querySelector('#details .finding .where').textContent")
            == f"Report 2014-06-18 · paragraph 2.1 · page {number}"
        )
        href, resolved, text = page.js("""() => { const a = document.querySelector('#details p.pdf a');
            return [a.getAttribute('href'), a.href, a.textContent]; }""")
        assert href == f"../../reports/{pdf.name}#page={number}"
        assert resolved == f"{pdf.resolve().as_uri()}#page={number}"
        assert text == f"Open {pdf.name} at page {number}"
        page.assert_clean()  # showing the link fetched nothing
    finally:
        page.close()
