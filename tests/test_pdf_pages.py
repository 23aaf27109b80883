"""The page of a PDF report a fact was read from, where readers see it: the views' details panel
(with a link that opens the PDF at that page, relative to the views folder), the finding-source
query (from the command line and from the endpoint), and views drawn from the query store.

The oracle for "which page" is the PDF itself, read here with pypdfium2's own text extraction:
finding 2.1 of the Kent report is the one page whose text holds its first and last words."""

from __future__ import annotations

import hashlib
import json
import shutil
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from graph_samples import samples_store
from serving import ServeProcess

from sqsgraph.build.pipeline import build
from sqsgraph.cli import main
from sqsgraph.network import views
from sqsgraph.query.library import bind_params, get_query
from sqsgraph.query.querystore import build_query_store, open_query_store
from sqsgraph.query.run import run_query
from sqsgraph.rdf.datasets import load_dataset

PDF_FIXTURE = Path(__file__).parent / "fixtures" / "pdf" / "kent-2014-lo-tagged.pdf"
FIRST_WORDS, LAST_WORDS = "In eight out of every ten relevant cases", "on the last inspection."

#: finding-source as it was before it told pages (the oracle for "the same rows as before")
FINDING_SOURCE_BEFORE = """
PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?finding ?source ?start ?end ?exact ?prefix ?suffix
{
  { SELECT ?areaNode ?number WHERE {
      ?areaNode a schema:AdministrativeArea ; skos:prefLabel ?areaLabel .
      FILTER (LCASE(?areaLabel) = LCASE(STR(?area)))
  } }
  ?report sqs:area ?areaNode .
  ?report sqs:hasFinding ?finding .
  FILTER EXISTS { ?finding dcterms:isPartOf ?report }
  ?finding sqs:paragraphNumber ?n .
  FILTER (STR(?n) = STR(?number))
  ?finding sqs:textSpan ?span .
  ?span oa:hasSource ?source ; oa:hasSelector ?pos, ?quote .
  ?pos oa:start ?start ; oa:end ?end .
  FILTER EXISTS { ?pos a oa:TextPositionSelector }
  ?quote oa:exact ?exact .
  FILTER EXISTS { ?quote a oa:TextQuoteSelector }
  OPTIONAL { ?quote oa:prefix ?prefix }
  OPTIONAL { ?quote oa:suffix ?suffix }
}
ORDER BY ?finding
"""


def page_of_text(pdf: Path, *phrases: str) -> int:
    """The one page (from 1) whose text, as pdfium extracts it, holds every phrase."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        texts = [" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))]
    finally:
        doc.close()
    [page] = [i + 1 for i, t in enumerate(texts) if all(p in t for p in phrases)]
    return page


@pytest.fixture(scope="module")
def pdf_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Kent PDF copied to ``reports/`` and built into ``out/`` (views in ``out/views``)."""
    root = tmp_path_factory.mktemp("pdf-build")
    (root / "reports").mkdir()
    pdf = root / "reports" / PDF_FIXTURE.name
    shutil.copyfile(PDF_FIXTURE, pdf)
    result = build([pdf], root / "out", docs=False, validate=False, workers=1, cache=False)
    assert result.failures == [] and len(result.report_ids) == 1
    return pdf, root / "out"


@pytest.fixture(scope="module")
def page() -> int:
    return page_of_text(PDF_FIXTURE, FIRST_WORDS, LAST_WORDS)


def view_data_of(html: str) -> dict:
    start = html.index('<script type="application/json" id="view-data">') + len('<script type="application/json" id="view-data">')
    return json.loads(html[start : html.index("</script>", start)])


def finding_spans(data: dict, paragraph: str = "2.1") -> list[dict[str, str]]:
    [node] = [n for n in data["nodes"] if n["kind"] == "finding" and n["label"].startswith(paragraph + " ")]
    return node["spans"]


# --- the views ---------------------------------------------------------------------------------


def test_the_findings_view_of_a_pdf_build_links_the_finding_to_its_page(pdf_build, page: int) -> None:  # type: ignore[no-untyped-def]
    pdf, out = pdf_build
    views_dir = out / "views"
    [span] = finding_spans(view_data_of((views_dir / "findings.html").read_text(encoding="utf-8")))
    assert span["pages"] == f"page {page}" and span["page"] == str(page) and span["pdf"] == pdf.name
    assert span["quote"].startswith(FIRST_WORDS)
    # relative to the views folder, it leads to the PDF the build read
    assert span["href"] == f"../../reports/{pdf.name}#page={page}"
    target, fragment = span["href"].split("#")
    assert not Path(target).is_absolute() and fragment == f"page={page}"
    assert (views_dir / urllib.parse.unquote(target)).resolve() == pdf.resolve()
    assert "where the build read it" in span["hrefTitle"]
    # people read from the PDF have their page too
    people = view_data_of((views_dir / "people.html").read_text(encoding="utf-8"))
    spans = [s for n in people["nodes"] for s in n["spans"]]
    assert spans and all(s["pages"].startswith("page") and s["href"].startswith(f"../../reports/{pdf.name}#page=") for s in spans)


def test_without_the_build_the_link_is_to_the_file_name_beside_the_views(pdf_build, page: int, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _pdf, out = pdf_build
    dataset = load_dataset(out / "sqsgraph.nq")
    view = views.build_view(dataset, "findings")
    for html in (views.render_html(view), views.write_view(view, tmp_path).read_text(encoding="utf-8")):
        [span] = finding_spans(view_data_of(html))
        assert span["pages"] == f"page {page}"
        assert span["href"] == f"{PDF_FIXTURE.name}#page={page}"
        assert "expected in the same folder as this page" in span["hrefTitle"]


def test_the_views_from_the_query_store_show_the_page(pdf_build, page: int) -> None:  # type: ignore[no-untyped-def]
    pdf, out = pdf_build
    build_query_store(out / "sqsgraph.nq")
    from_store = views.build_view(open_query_store(out / "sqsgraph.nq", rebuild=False), "findings")
    from_dataset = views.build_view(load_dataset(out / "sqsgraph.nq"), "findings")
    assert views.render_html(from_store) == views.render_html(from_dataset)
    links = views.PdfLinks(out / "views", {hashlib.sha256(pdf.read_bytes()).hexdigest(): pdf})
    [span] = finding_spans(view_data_of(views.render_html(from_store, links)))
    assert span["pages"] == f"page {page}" and span["href"] == f"../../reports/{pdf.name}#page={page}"


def test_a_text_report_has_no_page_and_no_link(tmp_path: Path) -> None:
    view = views.build_view(samples_store(), "findings")
    data = view_data_of(views.render_html(view))
    spans = [s for n in data["nodes"] for s in n["spans"]]
    assert spans and not any({"pages", "page", "pdf", "href"} & set(s) for s in spans)


def test_a_hostile_file_name_stays_a_relative_path() -> None:
    links = views.PdfLinks()
    for name in ("javascript:alert(1).pdf", "//evil.example/x.pdf", 'a"<b>#?.pdf', "data:text/html,x.pdf"):
        href, title = links.link(None, name, "3")
        assert href.endswith("#page=3") and href.count("#") == 1 and "?" not in href
        assert ":" not in href and not href.startswith("//") and "<" not in href and '"' not in href
        assert name in title  # the tooltip is text (set with setAttribute, shown as text)


def test_pages_of_a_span_read_as_words() -> None:
    from sqsgraph.network.netgraph import page_words

    assert [page_words(p) for p in ([3], [2, 3], [2, 3, 4], [2, 5])] == ["page 3", "pages 2–3", "pages 2–4", "pages 2, 5"]


# --- finding-source -----------------------------------------------------------------------------


def cli_rows(*args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(
        main, ["query", "finding-source", "--param", "area=Kent", "--param", "number=2.1", "--format", "json", *args]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return [{v: b[v]["value"] for v in doc["head"]["vars"] if v in b} for b in doc["results"]["bindings"]]


def test_finding_source_of_a_pdf_build_gives_the_page(pdf_build, page: int) -> None:  # type: ignore[no-untyped-def]
    pdf, out = pdf_build
    [row] = cli_rows("--graph", str(out / "sqsgraph.nq"))
    assert (row["pdf"], row["page"], row["lastPage"]) == (pdf.name, str(page), str(page))
    assert row["exact"].startswith(FIRST_WORDS) and row["exact"].endswith(LAST_WORDS)
    assert row["source"].endswith("/text")  # the positions count in the text derived from the PDF


def test_finding_source_of_a_text_build_is_as_before_with_empty_page_columns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = samples_store()
    query = get_query("finding-source")
    params = {"area": "Kent", "number": "2.1"}
    now = run_query(store, query.text, bind_params(query, params))
    before = run_query(store, FINDING_SOURCE_BEFORE, bind_params(query, params))
    assert now.variables[: len(before.variables)] == before.variables
    assert list(now.variables[len(before.variables) :]) == ["pdf", "page", "lastPage"]
    assert before.rows and [tuple(r)[: len(before.variables)] for r in now.rows] == [tuple(r) for r in before.rows]
    assert all(tuple(r)[len(before.variables) :] == (None, None, None) for r in now.rows)
    store.dump(output=str(tmp_path / "sqsgraph.nq"), format=ox.RdfFormat.N_QUADS)
    [row] = cli_rows("--graph", str(tmp_path))  # the bundled samples, from the command line
    assert "page" not in row and "pdf" not in row and row["exact"].startswith(FIRST_WORDS)


@pytest.fixture(scope="module")
def server(pdf_build, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """`sqsgraph serve` on loopback over the PDF build's graph."""
    _pdf, out = pdf_build
    folder = tmp_path_factory.mktemp("pdf-serve")
    nq = folder / "sqsgraph.nq"
    shutil.copyfile(out / "sqsgraph.nq", nq)
    build_query_store(nq)
    srv = ServeProcess(nq, folder / "serve.log")
    try:
        yield srv
    finally:
        srv.stop()


def test_the_endpoint_answers_finding_source_with_the_page(server, page: int) -> None:  # type: ignore[no-untyped-def]
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request("GET", "/query/finding-source?area=Kent&number=2.1", headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    assert response.status == 200, body
    doc = json.loads(body)
    assert doc["head"]["vars"][-3:] == ["pdf", "page", "lastPage"]
    [binding] = doc["results"]["bindings"]
    assert (binding["page"]["type"], binding["page"]["value"]) == ("literal", str(page))
    assert binding["page"]["datatype"].lower().endswith("integer")  # MIN gives xsd:integer in Oxigraph
    assert binding["pdf"]["value"] == PDF_FIXTURE.name


def test_a_span_into_the_text_derived_from_a_pdf_finds_its_report(pdf_build) -> None:  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    from sqsgraph.network.graphreader import GraphReader as _Reader
    from sqsgraph.network.graphreader import union_graph

    _pdf, out = pdf_build
    reader = _Reader(union_graph(load_dataset(out / "sqsgraph.nq")))
    [report] = reader.reports
    finding = URIRef(f"{report}/finding/2.1")
    span = reader.span(URIRef(f"{finding}/span"))  # no report given: found from the span's source
    assert span["report"] == reader.label(report) and span["file"] == f"{PDF_FIXTURE.name}.txt"


@pytest.mark.browser
def test_the_query_page_shows_the_page(server, page: int) -> None:  # type: ignore[no-untyped-def]
    """The endpoint's query page in Chromium: finding-source's ?page reads "page N", and a
    fragment selector's value (page=N&viewrect=...) has "page N" beside it."""
    from sqsgraph.query.rewrite import with_values

    sync_api = pytest.importorskip("playwright.sync_api")
    query = get_query("finding-source")
    finding_source = with_values(query.text, bind_params(query, {"area": "Kent", "number": "2.1"}))
    fragment = """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?fragment WHERE { <https://w3id.org/sqsgraph/id/report/kent-2014-06-18/finding/2.1> sqs:pageSpan ?p .
  ?p oa:hasSelector ?s . ?s rdf:value ?fragment }"""
    origin = f"http://127.0.0.1:{server.port}/"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context()
            elsewhere: list[str] = []
            context.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith(origin) else (elsewhere.append(r.request.url), r.abort()),
            )
            tab = context.new_page()
            errors: list[str] = []
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(origin)

            def run(text: str, first: str) -> dict[str, str]:
                tab.fill("#query", text)
                tab.click("#run")
                tab.wait_for_function(
                    """first => { const th = document.querySelector('#results th');
                    return !document.getElementById('results').hidden && th && th.textContent === first
                        && document.querySelector('#results tbody tr'); }""",
                    arg=first,
                )
                return tab.evaluate("""() => {
                    const names = [...document.querySelectorAll('#results th')].map(th => th.textContent);
                    const cells = [...document.querySelectorAll('#results tbody tr:first-child td')];
                    return Object.fromEntries(names.map((n, i) => [n, cells[i].textContent]));
                }""")

            row = run(finding_source, "?finding")
            assert row["?page"] == f"page {page}" and row["?lastPage"] == f"page {page}"
            assert row["?pdf"] == PDF_FIXTURE.name and row["?exact"].startswith(FIRST_WORDS)
            row = run(fragment, "?fragment")
            assert row["?fragment"].startswith(f"page={page}&viewrect=") and row["?fragment"].endswith(f" page {page}")
            assert errors == [] and elsewhere == []
        finally:
            browser.close()
