"""The comparison view: areas against themes (and the numbered criteria under them), each cell
the favourable share of what the reports state, beside each area's reoffending rate against its
comparator. One self-contained, offline HTML page, ``compare.html``, drawn with Apache ECharts
(its minified script ships in ``static/compare/`` with its licences and is inlined).

**What is read.** The graph, through named queries over the query store: ``compare-counts``
(each stated count with its area, report, date, theme, paragraph, polarity, the inspection it
speaks of and its hedge), ``inspection-timeline`` (every report's area and date) and
``reoffending-vs-comparator``; then the text and PDF pages of the findings the page carries,
statement by statement (``finding_text``), as far as ``MAX_TEXT_CHARS`` allows.

**What a cell holds** (``cell_of``), from the counts of one area (its reports of the chosen
year, or all) under one theme or criterion:

* only counts of *this* inspection enter it; one that speaks of an earlier inspection
  ("compared with the last inspection, when less than half ...") is listed, not counted;
* a count giving both numbers enters as favourable cases of cases counted: "17 of 29"
  favourable gives 17 of 29, "3 of 16" unfavourable gives 13 of 16; the cell's share is the sum
  of the favourable cases over the sum of the cases (``n/d`` on the page);
* a cell with no such count but with proportions ("three-quarters", "75%"; an unfavourable one
  flipped, 1 - p) shows their mean, marked approximate (kind ``proportions``);
* counts without a number ("all but two") and counts whose polarity is unstated are listed,
  not counted: a cell holding only those is ``no number`` or ``unstated``.

**Large graphs.** The cells are aggregated here, per area and year, and embedded as JSON with
every count (for the list a click opens); the page draws one page of areas at a time (50 rows
by default). The finding text travels for whole areas in name order until ``MAX_TEXT_CHARS``
characters, and the page says where that stops (``Comparison.notice``): the counts of the
other areas are listed with their report and paragraph, and ``sqsgraph query finding-source``
gives their text.

The page guarantees what the network views do (``views``): no request leaves it
(``default-src 'none'``, both scripts admitted by hash), report text reaches it as JSON and is
put on it as text, links to a PDF's page are relative and percent-encoded, and the same graph
gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from ..files import write_atomic
from .comparereader import (
    THIS_INSPECTION,
    Count,
    FindingText,
    Rate,
    as_store,
    finding_text,
    number_key,
    read_counts,
    read_rates,
    read_reports,
    theme_key,
    year_of,
)
from .page import PdfLinks, script_json

FILE_NAME = "compare.html"
#: ECharts, bundled (see static/compare/VENDOR.md)
ECHARTS_VERSION = "6.1.0"
#: Characters of finding text the page carries at most (whole areas, in name order).
MAX_TEXT_CHARS = 2_000_000
#: Criterion columns (numbered paragraphs under a theme) kept at most, in theme and number order.
MAX_CRITERIA = 80
#: Rows (areas) drawn at a time.
PAGE_SIZE = 50

#: How the page's count rows write a polarity.
_POLARITY_CODES = {"favourable": "+", "unfavourable": "-", "unstated": "?"}
#: Cell kinds, as the page knows them.
KINDS = {"counted": "c", "proportions": "p", "no number": "n", "unstated": "u", "earlier only": "e"}


# ------------------------------------------------------------------------------- the counts


@dataclass(frozen=True)
class Contribution:
    """What one count adds to a cell: ``counted`` favourable cases of ``stated``, a
    ``proportion`` (0..1, favourable), or nothing (``no number``, ``unstated``, ``earlier``)."""

    kind: str
    favourable: int = 0
    stated: int = 0
    share: float | None = None


def contribution(c: Count) -> Contribution:
    """How ``c`` enters a cell. An unfavourable count k of n is favourable n - k of n; one that
    gives only a proportion p is 1 - p."""
    if c.refers_to != THIS_INSPECTION:
        return Contribution("earlier")
    if c.polarity not in ("favourable", "unfavourable"):
        return Contribution("unstated")
    good = c.polarity == "favourable"
    if c.numerator is not None and c.denominator and 0 <= c.numerator <= c.denominator:
        k = c.numerator if good else c.denominator - c.numerator
        return Contribution("counted", k, c.denominator, k / c.denominator)
    if c.proportion is not None and 0 <= c.proportion <= 1:
        return Contribution("proportion", share=c.proportion if good else 1 - c.proportion)
    return Contribution("no number")


@dataclass(frozen=True)
class Cell:
    """One area's counts under one theme or criterion, aggregated (see the module's docstring).
    ``share`` is None unless ``kind`` is ``counted`` or ``proportions``; ``counted`` is how many
    counts entered the share, ``listed`` how many the cell lists."""

    kind: str
    share: float | None
    favourable: int
    stated: int
    counted: int
    listed: int

    @property
    def label(self) -> str:
        """What the page writes in the cell: ``79% (46/58)``, ``≈71%``, ``no number``, ``unstated``."""
        if self.kind == "counted":
            return f"{round(100 * (self.share or 0))}% ({self.favourable}/{self.stated})"
        if self.kind == "proportions":
            return f"≈{round(100 * (self.share or 0))}%"
        return self.kind


def cell_of(counts: Iterable[Count]) -> Cell:
    """The favourable share of ``counts`` (one area, one theme or criterion)."""
    parts = [contribution(c) for c in counts]
    counted = [p for p in parts if p.kind == "counted"]
    if counted:
        favourable, stated = sum(p.favourable for p in counted), sum(p.stated for p in counted)
        return Cell("counted", favourable / stated, favourable, stated, len(counted), len(parts))
    proportions = [p.share for p in parts if p.kind == "proportion" and p.share is not None]
    if proportions:
        return Cell("proportions", sum(proportions) / len(proportions), 0, 0, len(proportions), len(parts))
    kinds = {p.kind for p in parts}
    kind = "no number" if "no number" in kinds else "unstated" if "unstated" in kinds else "earlier only"
    return Cell(kind, None, 0, 0, 0, len(parts))


# ----------------------------------------------------------------------------- reading it


# ------------------------------------------------------------------------- the comparison


@dataclass(frozen=True)
class Column:
    """A column: a theme, or a numbered criterion (paragraph) under one."""

    level: str  # "theme" | "criterion"
    theme: str  # the theme's IRI
    label: str  # the theme's label, or the paragraph number
    theme_label: str
    number: str = ""


@dataclass
class Comparison:
    """What the page shows: the JSON document it draws (``data``, with PDF names not yet turned
    into links), a notice saying what was cut, and figures for the command's summary line."""

    data: dict[str, object]
    notice: str = ""
    areas: int = 0
    reports: int = 0
    counts: int = 0
    columns: list[Column] = field(default_factory=list)


def build_comparison(
    source: ox.Store | Dataset | Graph,
    precomputed: object = None,
    max_text_chars: int = MAX_TEXT_CHARS,
    max_criteria: int = MAX_CRITERIA,
) -> Comparison:
    """The comparison of ``source`` (the query store, or any graph: see ``as_store``);
    ``precomputed`` (``querystore.open_precomputed``) answers the named queries from the answers
    kept beside the store, when it has them."""
    store = as_store(source)
    counts = read_counts(store, precomputed)
    reports = read_reports(store, precomputed)
    rates = read_rates(store, precomputed)
    for c in counts:  # a report the timeline does not list (no inspection recorded) still counts
        reports.setdefault(c.report, (c.area, c.issued))
    columns, cut_criteria = _columns(counts, max_criteria)
    order = _Order.of(reports)
    by_area: dict[str, list[Count]] = defaultdict(list)
    for c in counts:
        by_area[c.area].append(c)
    texts, areas_with_text = _texts(store, order.areas, by_area, max_text_chars)
    count_rows, area_rows = _area_rows(order, reports, by_area, columns, {f: i for i, f in enumerate(texts)})
    notice = _notice(order, counts, (areas_with_text, len(texts), max_text_chars), (max_criteria, cut_criteria))
    theme_col = _theme_columns(columns)
    data: dict[str, object] = {
        "columns": [
            {"level": col.level, "label": col.label, "theme": col.theme_label, "themeIndex": theme_col[col.theme]}
            for col in columns
        ],
        "areas": area_rows,
        "counts": count_rows,
        "findings": [_finding_json(t) for t in texts.values()],
        "reports": [_report_json(order.area_index[reports[r][0]], reports[r][1], rates.get(r)) for r in order.reports],
        "years": sorted({year_of(issued) for _area, issued in reports.values()}),
        "pageSize": PAGE_SIZE,
    }
    return Comparison(data, notice, len(order.areas), len(order.reports), len(counts), columns)


@dataclass(frozen=True)
class _Order:
    """The rows of the page: the areas by name, and the reports by area, date and IRI, each with
    its index; the reports of each area."""

    areas: list[str]
    area_index: dict[str, int]
    reports: list[str]
    report_index: dict[str, int]
    reports_of: dict[str, list[str]]

    @classmethod
    def of(cls, reports: Mapping[str, tuple[str, str]]) -> _Order:
        areas = sorted({area for area, _issued in reports.values()})
        area_index = {a: i for i, a in enumerate(areas)}
        report_iris = sorted(reports, key=lambda r: (area_index[reports[r][0]], reports[r][1], r))
        reports_of: dict[str, list[str]] = defaultdict(list)
        for r in report_iris:
            reports_of[reports[r][0]].append(r)
        return cls(areas, area_index, report_iris, {r: i for i, r in enumerate(report_iris)}, reports_of)


def _theme_columns(columns: Sequence[Column]) -> dict[str, int]:
    return {col.theme: i for i, col in enumerate(columns) if col.level == "theme"}


def _area_rows(
    order: _Order,
    reports: Mapping[str, tuple[str, str]],
    by_area: Mapping[str, Sequence[Count]],
    columns: Sequence[Column],
    finding_index: Mapping[str, int],
) -> tuple[list[list[object]], list[dict[str, object]]]:
    """The page's count rows (every count, area after area) and its area rows: each area's span
    of count rows, its cells per year (and for all years, when it has several) and its reports."""
    theme_col = _theme_columns(columns)
    criterion_col = {(col.theme, col.number): i for i, col in enumerate(columns) if col.level == "criterion"}
    count_rows: list[list[object]] = []
    area_rows: list[dict[str, object]] = []
    for area in order.areas:
        mine = by_area.get(area, [])
        start = len(count_rows)
        count_rows.extend(
            [
                order.report_index[c.report],
                theme_col[c.theme],
                criterion_col.get((c.theme, c.number), -1),
                c.number,
                c.phrase,
                c.numerator,
                c.denominator,
                c.proportion,
                _POLARITY_CODES.get(c.polarity, "?"),
                1 if c.refers_to == THIS_INSPECTION else 0,
                c.approximation,
                finding_index.get(c.finding, -1),
            ]
            for c in mine
        )
        years = sorted({year_of(reports[r][1]) for r in order.reports_of[area]})
        cells = {
            key: _cells([c for c in mine if key == "all" or c.year == key], theme_col, criterion_col)
            for key in years + (["all"] if len(years) > 1 else [])
        }
        area_rows.append(
            {
                "name": area,
                "counts": [start, len(count_rows)],
                "cells": cells,
                "reports": [order.report_index[r] for r in order.reports_of[area]],
            }
        )
    return count_rows, area_rows


def _notice(order: _Order, counts: Sequence[Count], text: tuple[int, int, int], criteria: tuple[int, int]) -> str:
    """What the page says it left out: the finding text after ``text`` = (areas with text,
    findings with text, the most characters), and the criteria after ``criteria`` = (the most
    columns, how many were cut)."""
    areas_with_text, findings_with_text, max_text_chars = text
    max_criteria, cut_criteria = criteria
    notes = []
    if areas_with_text < len(order.areas):
        notes.append(
            f"Finding text is included for the first {areas_with_text:,} of {len(order.areas):,} areas by name "
            f"({findings_with_text:,} of {len({c.finding for c in counts}):,} findings with counts; at most "
            f"{max_text_chars:,} characters of text, so that the page opens in a few seconds). For the other areas a cell "
            "lists its counts with their report and paragraph; `sqsgraph query finding-source --param area=AREA --param "
            "number=N` gives the text and its pages."
        )
    if cut_criteria:
        notes.append(
            f"Criteria: the first {max_criteria:,} of {max_criteria + cut_criteria:,} numbered paragraphs are "
            f"columns; the counts of the other {cut_criteria:,} count in their theme's column only."
        )
    return " ".join(notes)


def _columns(counts: Sequence[Count], max_criteria: int) -> tuple[list[Column], int]:
    """The themes in their order (``skos:notation``), then the criteria under each by number (at
    most ``max_criteria``); and how many criteria were left out."""
    themes: dict[str, tuple[tuple[int, str], str]] = {}
    numbers: dict[tuple[str, str], None] = {}
    for c in counts:
        themes.setdefault(c.theme, (theme_key(c.theme_order, c.theme_label), c.theme_label))
        numbers[(c.theme, c.number)] = None
    ordered = sorted(themes, key=lambda t: (themes[t][0], t))
    rank = {t: i for i, t in enumerate(ordered)}
    criteria = sorted(numbers, key=lambda tn: (rank[tn[0]], number_key(tn[1])))
    return (
        [Column("theme", t, themes[t][1], themes[t][1]) for t in ordered]
        + [Column("criterion", t, n, themes[t][1], n) for t, n in criteria[:max_criteria]],
        max(0, len(criteria) - max_criteria),
    )


def _texts(
    store: ox.Store, area_names: Sequence[str], by_area: Mapping[str, Sequence[Count]], max_chars: int
) -> tuple[dict[str, FindingText], int]:
    """The text of the findings with counts, for whole areas in name order while it fits in
    ``max_chars``; and for how many areas."""
    texts: dict[str, FindingText] = {}
    used = 0
    for done, area in enumerate(area_names):
        found = {f: finding_text(store, f) for f in dict.fromkeys(c.finding for c in by_area.get(area, ()))}
        size = sum(len(t.text) for t in found.values())
        if used + size > max_chars:
            return texts, done
        texts.update(found)
        used += size
    return texts, len(area_names)


def _cells(
    counts: Sequence[Count], theme_col: Mapping[str, int], criterion_col: Mapping[tuple[str, str], int]
) -> list[list[object]]:
    """The cells of one area's ``counts``: one per theme and criterion that has any."""
    grouped: dict[int, list[Count]] = defaultdict(list)
    for c in counts:
        grouped[theme_col[c.theme]].append(c)
        if (c.theme, c.number) in criterion_col:
            grouped[criterion_col[(c.theme, c.number)]].append(c)
    return [_cell_json(col, cell_of(grouped[col])) for col in sorted(grouped)]


def _finding_json(t: FindingText) -> dict[str, str]:
    row = {"text": t.text}
    if t.page:
        row.update(pages=t.pages, page=t.page, pdf=t.pdf, pdfSha256=t.pdf_sha256)
    return row


def _report_json(area: int, issued: str, rate: Rate | None) -> dict[str, object]:
    row: dict[str, object] = {"area": area, "date": issued, "year": year_of(issued)}
    if rate is not None:
        row["rate"] = {
            "rate": rate.rate,
            "comparatorRate": rate.comparator_rate,
            "comparator": rate.comparator,
            "difference": None if rate.difference is None else round(rate.difference, 1),
            "cohortStart": rate.cohort_start,
            "cohortEnd": rate.cohort_end,
            "source": rate.source,
        }
    return row


def _cell_json(col: int, cell: Cell) -> list[object]:
    """``[column, kind, share in % (one decimal) or null, favourable, stated, counted, listed]``."""
    share = None if cell.share is None else round(100 * cell.share, 1)
    return [col, KINDS[cell.kind], share, cell.favourable, cell.stated, cell.counted, cell.listed]


# ------------------------------------------------------------------------------- the page


def _asset(path: str) -> str:
    return resources.files("sqsgraph").joinpath(path).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def page_data(comparison: Comparison, links: PdfLinks | None = None) -> dict[str, object]:
    """The JSON document of the page: ``comparison.data`` with each PDF page turned into a link
    (``links``: where PDFs are, see ``views.PdfLinks``; default: beside the page)."""
    links = links or PdfLinks()
    findings = []
    for row in comparison.data["findings"]:  # type: ignore[attr-defined]
        shown = {k: v for k, v in row.items() if k not in ("pdf", "pdfSha256")}
        if row.get("page") and row.get("pdf"):
            shown["href"], shown["hrefTitle"] = links.link(row.get("pdfSha256") or None, row["pdf"], row["page"])
            shown["pdf"] = row["pdf"]
        findings.append(shown)
    return {**comparison.data, "findings": findings}


def render_compare(comparison: Comparison, links: PdfLinks | None = None) -> str:
    """The whole page as one string (no external resource)."""
    echarts = _asset("static/compare/echarts.min.js")
    script = _asset("static/compare/compare.js")
    style = _asset("static/compare/compare.css")
    template = _asset("static/compare/compare.html")
    for name, text, closer in (
        ("echarts.min.js", echarts, "</script"),
        ("compare.js", script, "</script"),
        ("compare.css", style, "</style"),
    ):
        if closer in text.lower():
            raise RuntimeError(f"{name} contains {closer!r} and cannot be inlined")
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {_csp_hash(echarts)} {_csp_hash(script)}; base-uri 'none'; form-action 'none'"
    )
    themes = sum(1 for col in comparison.columns if col.level == "theme")
    summary = (
        f"{comparison.areas:,} areas · {comparison.reports:,} reports · {comparison.counts:,} stated counts · "
        f"{themes} themes, {len(comparison.columns) - themes} numbered criteria"
    )
    notice = f'<p id="notice" role="status">{html.escape(comparison.notice)}</p>' if comparison.notice else ""
    parts = {
        "CSP": csp,
        "SUMMARY": html.escape(summary),
        "NOTICE": notice,
        "CSS": style,
        "DATA": script_json(page_data(comparison, links)),
        "ECHARTS_JS": echarts,
        "COMPARE_JS": script,
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], template)


def write_comparison(
    comparison: Comparison, out_dir: str | Path, sources: Mapping[str, str | os.PathLike[str]] | None = None
) -> Path:
    """Render ``comparison`` into ``out_dir/compare.html`` (atomically); returns the path.
    ``sources``: the path each source file was read from, by sha256 (see ``views.PdfLinks``)."""
    links = PdfLinks(Path(out_dir), dict(sources or {}))
    return write_atomic(Path(out_dir) / FILE_NAME, render_compare(comparison, links).encode("utf-8"))


def write_compare(
    source: ox.Store | Dataset | Graph,
    out_dir: str | Path,
    sources: Mapping[str, str | os.PathLike[str]] | None = None,
    precomputed: object = None,
) -> Path:
    """Build the comparison of ``source`` and write ``out_dir/compare.html``; returns the path."""
    return write_comparison(build_comparison(source, precomputed), out_dir, sources)


def summary_line(path: Path, comparison: Comparison) -> str:
    """What ``sqsgraph view compare`` prints."""
    themes = sum(1 for col in comparison.columns if col.level == "theme")
    return (
        f"wrote {path}: {comparison.areas} areas, {themes} themes, "
        f"{len(comparison.columns) - themes} criteria, {comparison.counts} counts"
    )


__all__: Sequence[str] = [
    "Cell",
    "Column",
    "Comparison",
    "Count",
    "FILE_NAME",
    "MAX_TEXT_CHARS",
    "PAGE_SIZE",
    "Rate",
    "as_store",
    "build_comparison",
    "cell_of",
    "contribution",
    "finding_text",
    "page_data",
    "read_counts",
    "read_rates",
    "read_reports",
    "render_compare",
    "summary_line",
    "write_compare",
    "write_comparison",
]
