"""The comparison view's aggregation, read from the graph: a report in, the favourable shares out
(favourable counts as they stand, unfavourable ones turned round, unstated ones marked, counts of
an earlier inspection left out), the year filter's cells, the cut at scale, and the page: offline,
deterministic, report text as data. The page in Chromium: tests/test_compare_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from graph_samples import samples_store

from sqsgraph.cli import main
from sqsgraph.network import compare
from sqsgraph.network.compare import Count, build_comparison, cell_of, contribution
from sqsgraph.rdf.export import sorted_quads
from sqsgraph.rdf.mapper import map_reports
from sqsgraph.read.parser import parse_report
from sqsgraph.read.reader import read_report_bytes, sample_paths


@pytest.fixture(scope="module")
def samples() -> compare.Comparison:
    return build_comparison(samples_store())


def cell(comparison: compare.Comparison, area: str, column: str, year: str = "all") -> list[object] | None:
    """The cell of ``area`` under the column labelled ``column`` (a theme, or a paragraph number)
    for ``year``, as the page receives it."""
    data = comparison.data
    columns = [c["label"] for c in data["columns"]]  # type: ignore[index]
    [row] = [a for a in data["areas"] if a["name"] == area]  # type: ignore[union-attr]
    cells = row["cells"].get(year) or (next(iter(row["cells"].values())) if year == "all" else [])
    found = [c for c in cells if c[0] == columns.index(column)]
    return found[0] if found else None


def count(
    polarity: str = "favourable",
    numerator: int | None = None,
    denominator: int | None = None,
    proportion: float | None = None,
    refers_to: str = "this-inspection",
) -> Count:
    return Count(
        "Area",
        "2014-01-01",
        "r",
        "t",
        "Theme",
        "1",
        "1.1",
        "f",
        "c",
        "phrase",
        numerator,
        denominator,
        proportion,
        polarity,
        refers_to,
        None,
    )


# ---- the rules, one count at a time


def test_a_favourable_count_enters_as_it_stands_and_an_unfavourable_one_turned_round() -> None:
    assert contribution(count("favourable", 17, 29)) == compare.Contribution("counted", 17, 29, 17 / 29)
    assert contribution(count("unfavourable", 3, 16)) == compare.Contribution("counted", 13, 16, 13 / 16)
    assert contribution(count("unfavourable", proportion=0.25)).share == 0.75
    assert contribution(count("favourable", proportion=0.75)).share == 0.75


def test_unstated_counts_earlier_inspections_and_counts_without_a_number_are_not_counted() -> None:
    assert contribution(count("unstated", 5, 10)).kind == "unstated"
    assert contribution(count("favourable", 5, 10, refers_to="earlier-inspection")).kind == "earlier"
    assert contribution(count("favourable")).kind == "no number"


def test_a_cell_pools_its_counts_and_falls_back_on_proportions_then_says_why_it_has_no_share() -> None:
    pooled = cell_of(
        [
            count("favourable", 8, 10),
            count("unfavourable", 3, 16),
            count("favourable", proportion=0.1),
            count("unstated", 1, 2),
            count("favourable", 1, 10, refers_to="earlier-inspection"),
        ]
    )
    assert (pooled.kind, pooled.favourable, pooled.stated, pooled.counted, pooled.listed) == ("counted", 21, 26, 2, 5)
    assert pooled.label == "81% (21/26)"
    mean = cell_of([count("favourable", proportion=0.75), count("unfavourable", proportion=0.5)])
    assert (mean.kind, mean.share, mean.label) == ("proportions", 0.625, "≈62%")
    assert cell_of([count("favourable"), count("unstated")]).kind == "no number"
    assert cell_of([count("unstated", proportion=0.33)]).label == "unstated"
    assert cell_of([count("favourable", 1, 2, refers_to="earlier-inspection")]).kind == "earlier only"


# ---- the samples, through the graph


def test_the_samples_areas_and_themes(samples: compare.Comparison) -> None:
    assert [a["name"] for a in samples.data["areas"]] == ["Barnet", "Bedfordshire", "Cumbria", "Kent", "Thurrock"]
    themes = [c["label"] for c in samples.data["columns"] if c["level"] == "theme"]
    assert themes == [
        "Reducing reoffending",
        "Protecting the public",
        "Protecting the child or young person",
        "Ensuring that the sentence is served",
    ]
    criteria = [c["label"] for c in samples.data["columns"] if c["level"] == "criterion"]
    assert criteria[:3] == ["1.1", "1.2", "1.3"] and criteria[-1] == "4.4"
    assert samples.counts == 52  # every count the five reports state


def test_kent_protecting_the_public_pools_its_counts_and_leaves_out_the_last_inspections(samples: compare.Comparison) -> None:
    # "In eight out of every ten", "31 out of the 38", "seven out of every ten" (46 of 58); two-thirds and
    # three-quarters give no n/d; "when less than half of such plans were sufficient" was the last inspection
    assert cell(samples, "Kent", "Protecting the public")[1:] == ["c", 79.3, 46, 58, 3, 6]  # type: ignore[index]
    kent = next(a for a in samples.data["areas"] if a["name"] == "Kent")
    start, end = kent["counts"]
    earlier = [c for c in samples.data["counts"][start:end] if c[9] == 0]
    assert [(c[3], c[4]) for c in earlier] == [("1.1", "just over half"), ("2.4", "less than half")]


def test_an_unfavourable_count_is_turned_round(samples: compare.Comparison) -> None:
    # Barnet 3.5: "3 of the 16" fell short, so 13 of 16 were done; with 16 of 20 and 18 of 20: 47 of 56
    assert cell(samples, "Barnet", "3.5")[1:] == ["c", 81.2, 13, 16, 1, 1]  # type: ignore[index]
    assert cell(samples, "Barnet", "Protecting the child or young person")[1:] == ["c", 83.9, 47, 56, 3, 3]  # type: ignore[index]


def test_a_cell_of_unstated_counts_only_is_marked_unstated(samples: compare.Comparison) -> None:
    # Barnet 2.1: "Over a third of the cases ... had been assessed as presenting a high risk" judges nothing
    assert cell(samples, "Barnet", "2.1")[1:] == ["u", None, 0, 0, 0, 1]  # type: ignore[index]
    assert cell(samples, "Barnet", "1.4")[1:] == ["n", None, 0, 0, 0, 1]  # "all but two": no number


def test_proportions_give_a_mean_when_no_count_has_both_numbers(samples: compare.Comparison) -> None:
    # Cumbria's reducing reoffending: one-quarter fell short (0.75), three-quarters done (0.75), half fell short (0.5)
    assert cell(samples, "Cumbria", "Reducing reoffending")[1:] == ["p", 66.7, 0, 0, 3, 3]  # type: ignore[index]


def test_an_area_without_counts_is_a_row_with_its_rate(samples: compare.Comparison) -> None:
    thurrock = next(a for a in samples.data["areas"] if a["name"] == "Thurrock")
    assert thurrock["cells"] == {"2015": []}
    [report] = [samples.data["reports"][i] for i in thurrock["reports"]]
    assert report["rate"] == {
        "rate": 39.6,
        "comparatorRate": 36.1,
        "comparator": "England and Wales",
        "difference": 3.5,
        "cohortStart": "2012-04",
        "cohortEnd": "2013-03",
        "source": "Ministry of Justice",
    }


def test_every_count_points_to_its_finding_text(samples: compare.Comparison) -> None:
    assert samples.notice == ""
    findings = samples.data["findings"]
    for c in samples.data["counts"]:
        assert c[11] >= 0 and c[4] in findings[c[11]]["text"]


def _kent_twice() -> ox.Store:
    """Kent's report, and a second Kent report two years on in which "17 of 29" became "20 of 29"."""
    kent = next(p for p in sample_paths() if p.name.startswith("kent")).read_text(encoding="utf-8")
    later = kent.replace("18th June 2014", "18th June 2016").replace("only 17 of 29", "only 20 of 29")
    reports = [
        parse_report(read_report_bytes(text.encode("utf-8"), name).document)
        for text, name in ((kent, "kent-2014.txt"), (later, "kent-2016.txt"))
    ]
    store = ox.Store()
    store.extend(sorted_quads(map_reports(reports)))
    return store


def test_the_year_filter_has_the_cells_of_each_year_and_of_all() -> None:
    both = build_comparison(_kent_twice())
    [kent] = both.data["areas"]
    assert sorted(kent["cells"]) == ["2014", "2016", "all"]
    assert cell(both, "Kent", "1.1", "2014")[1:] == ["c", 58.6, 17, 29, 1, 3]  # type: ignore[index]
    assert cell(both, "Kent", "1.1", "2016")[1:] == ["c", 69.0, 20, 29, 1, 3]  # type: ignore[index]
    assert cell(both, "Kent", "1.1", "all")[1:] == ["c", 63.8, 37, 58, 2, 6]  # type: ignore[index]
    assert both.data["years"] == ["2014", "2016"]


def test_at_scale_the_text_is_cut_by_whole_areas_and_the_page_says_so(samples: compare.Comparison) -> None:
    small = build_comparison(samples_store(), max_text_chars=5_000)
    assert len(small.data["counts"]) == 52  # every count is still listed
    kept = {
        a["name"] for a in small.data["areas"] if any(c[11] >= 0 for c in small.data["counts"][a["counts"][0] : a["counts"][1]])
    }
    assert kept == {"Barnet"}  # whole areas, in name order, while the text fits
    assert sum(len(f["text"]) for f in small.data["findings"]) <= 5_000
    assert small.notice.startswith("Finding text is included for the first 1 of 5 areas by name")
    assert "sqsgraph query finding-source --param area=AREA --param number=N" in small.notice
    assert [a["cells"] for a in small.data["areas"]] == [a["cells"] for a in samples.data["areas"]]


# ---- the page


def test_the_page_is_offline_deterministic_and_carries_the_data(samples: compare.Comparison, tmp_path: Path) -> None:
    path = compare.write_comparison(samples, tmp_path)
    page = path.read_text(encoding="utf-8")
    assert page == compare.render_compare(build_comparison(samples_store()), compare.PdfLinks(tmp_path))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1]  # type: ignore[index]
    assert csp.startswith("default-src 'none';") and "http" not in csp
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", page, flags=re.S)  # the page without its scripts
    assert not re.search(r"\s(?:src|href)=", markup)
    assert markup.count("<script") == 3
    assert 'version="6.1.0"' in page or 't.version="6.1.0"' in page  # the bundled ECharts
    data = json.loads(re.search(r'<script type="application/json" id="compare-data">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    assert data["areas"] == json.loads(json.dumps(samples.data["areas"]))


def test_echarts_ships_with_its_licences() -> None:
    from importlib import resources

    folder = resources.files("sqsgraph").joinpath("static/compare")
    names = {p.name for p in folder.iterdir()}
    assert {
        "echarts.min.js",
        "LICENSE-echarts",
        "NOTICE-echarts",
        "LICENSE-zrender",
        "LICENSE-d3",
        "LICENSE-tslib",
        "VENDOR.md",
    } <= names
    assert "Apache License" in folder.joinpath("LICENSE-echarts").read_text(encoding="utf-8")
    assert compare.ECHARTS_VERSION in folder.joinpath("VENDOR.md").read_text(encoding="utf-8")


def test_markup_in_a_finding_travels_as_data(tmp_path: Path) -> None:
    kent = next(p for p in sample_paths() if p.name.startswith("kent")).read_text(encoding="utf-8")
    evil = "<svg onload='window.__xss=1'> </script><script>window.__xss=2</script> & \u2028"
    report = parse_report(
        read_report_bytes(kent.replace("- 1.1. ", "- 1.1. " + evil + " ", 1).encode("utf-8"), "kent.txt").document
    )
    store = ox.Store()
    store.extend(sorted_quads(map_reports([report])))
    page = compare.write_comparison(build_comparison(store), tmp_path).read_text(encoding="utf-8")
    assert "<svg onload" not in page and "</script><script>window" not in page
    assert "\\u003csvg onload='window.__xss=1'\\u003e" in page


def test_a_finding_read_from_a_pdf_carries_its_page_and_a_link_to_it(tmp_path: Path) -> None:
    import shutil

    from test_pdf_pages import FIRST_WORDS, LAST_WORDS, PDF_FIXTURE, page_of_text

    from sqsgraph.build.pipeline import build

    (tmp_path / "reports").mkdir()
    pdf = tmp_path / "reports" / PDF_FIXTURE.name
    shutil.copyfile(PDF_FIXTURE, pdf)
    result = build([pdf], tmp_path / "out", docs=False, validate=False, workers=1, cache=False)
    assert result.failures == [] and tmp_path / "out" / "views" / "compare.html" in result.files
    page = (tmp_path / "out" / "views" / "compare.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="compare-data">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    number = page_of_text(pdf, FIRST_WORDS, LAST_WORDS)
    [finding] = [f for f in data["findings"] if f["text"].startswith(FIRST_WORDS)]
    assert finding["page"] == str(number) and finding["pages"] == f"page {number}"
    assert finding["href"] == f"../../reports/{pdf.name}#page={number}" and "where the build read it" in finding["hrefTitle"]


# ---- the command


def test_view_compare_writes_the_page_beside_the_graph(tmp_path: Path) -> None:
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", "-o", str(out), "--no-docs", "--no-views", "--no-validate"])
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(main, ["view", "compare", "--graph", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out / 'views' / 'compare.html'}: 5 areas, 4 themes, 21 criteria, 52 counts\n"
    turtle = CliRunner().invoke(main, ["view", "compare", "--graph", str(out / "sqsgraph.ttl"), "-o", str(tmp_path / "t")])
    assert turtle.exit_code == 0, turtle.output  # a file without a query store: loaded into memory
    assert (tmp_path / "t" / "compare.html").read_bytes() == (out / "views" / "compare.html").read_bytes()
