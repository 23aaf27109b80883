"""The endpoint's query page in a real headless Chromium (issue 17): a named query with a
parameter gets a field for it and runs with its value (and says which value is missing instead of
showing "0 result(s)"), values show plain (39.6, not a typed literal), and the page asks for no
address the server does not answer (its favicon included)."""

from __future__ import annotations

import threading

import pytest
from offline_page import ARGS, CHROMIUM

from sqsgraph.rdf.mapper import map_reports
from sqsgraph.read.parser import parse_files
from sqsgraph.read.reader import sample_paths
from sqsgraph.serve.server import Limits, create_server

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def origin():  # type: ignore[no-untyped-def]
    srv = create_server(map_reports(parse_files(sample_paths()).reports), port=0, limits=Limits(workers=1))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.url
    srv.shutdown()
    srv.server_close()
    thread.join(5)


@pytest.fixture()
def tab(origin: str):  # type: ignore[no-untyped-def]
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.problems = []  # console errors (a 404 shows as one), page errors, requests elsewhere
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.on("response", lambda r: page.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("request", lambda r: None if r.url.startswith(origin) else page.problems.append(r.url))
        page.goto(origin)
        # a function, not an expression: Playwright evals an expression, which the page's CSP refuses
        page.wait_for_function("() => document.querySelectorAll('#examples option').length > 1")
        yield page
        browser.close()


def _rows(tab):  # type: ignore[no-untyped-def]
    return tab.evaluate("""() => {
        const names = [...document.querySelectorAll('#results th')].map(th => th.textContent);
        return [...document.querySelectorAll('#results tbody tr')].map(tr =>
            Object.fromEntries([...tr.cells].map((td, i) => [names[i], td.textContent])));
    }""")


def _run(tab) -> str:  # type: ignore[no-untyped-def]
    tab.evaluate("document.getElementById('status').textContent = ''")
    tab.click("#run")
    tab.wait_for_function(
        "() => /result|error|graph/.test(document.getElementById('status').textContent)"
        " || !document.getElementById('error').hidden"
    )
    return tab.evaluate("document.getElementById('status').textContent")


def test_a_named_query_gets_a_field_for_its_parameter_and_runs_with_it(tab) -> None:  # type: ignore[no-untyped-def]
    tab.select_option("#examples", label="Copy list of a report (report-copy-list)")
    assert tab.is_visible("#param-area")
    assert tab.evaluate("document.getElementById('params-of').textContent") == "report-copy-list"

    # left empty: it says what is missing, and does not run
    tab.click("#run")
    tab.wait_for_selector("#error:not([hidden])")
    assert tab.evaluate("document.getElementById('error').textContent").startswith("report-copy-list needs a value for area")
    assert tab.evaluate("document.getElementById('results').hidden") is True

    tab.fill("#param-area", "Kent")
    assert "result(s)" in _run(tab)
    rows = _rows(tab)
    assert len(rows) > 10 and {"?post", "?name"} <= set(rows[0])
    assert "Ann Barnes" in {r["?name"] for r in rows}
    assert tab.get_attribute("#download-csv", "href") == "query/report-copy-list?area=Kent&format=csv"

    # edited text runs as written, and the page says the fields no longer apply
    tab.fill("#query", "SELECT (1 AS ?one) WHERE {}")
    assert tab.is_disabled("#param-area")
    assert "edited" in tab.evaluate("document.getElementById('params-note').textContent")
    assert "1 result(s)" in _run(tab)
    assert tab.problems == []


def test_values_show_plain_and_the_page_asks_for_nothing_missing(tab) -> None:  # type: ignore[no-untyped-def]
    tab.fill("#query", 'SELECT ?rate ?n ?en WHERE { VALUES (?rate ?n ?en) { (39.6 7 "probation"@en) } }')
    assert "1 result(s)" in _run(tab)
    [row] = _rows(tab)
    assert row == {"?rate": "39.6", "?n": "7", "?en": "probation"}
    assert tab.evaluate("document.querySelector('#results td').title") == "39.6 ^^xsd:decimal"

    tab.select_option(
        "#examples",
        label=tab.evaluate(
            "[...document.querySelectorAll('#examples option')]"
            ".find(o => o.textContent.endsWith('(reoffending-vs-comparator)')).textContent"
        ),
    )
    assert tab.is_hidden("#params")  # no parameter, no fields
    assert "result(s)" in _run(tab)
    rates = [r["?rate"] for r in _rows(tab)]
    assert rates and all("^^" not in v and "xsd:" not in v for v in rates)

    # the favicon is served (no 404 in the console), as SVG
    icon = tab.evaluate("fetch('favicon.ico').then(r => [r.status, r.headers.get('content-type')])")
    assert icon == [200, "image/svg+xml"]
    assert tab.evaluate("fetch('favicon.svg').then(r => r.status)") == 200
    assert tab.problems == []
