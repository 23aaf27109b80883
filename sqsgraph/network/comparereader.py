"""What the comparison view reads from the graph (``compare``): every stated count
(``compare-counts``), every report's area and date (``inspection-timeline``), the reoffending
rates against their comparators (``reoffending-vs-comparator``), through the named queries over
the query store (answered from the answers kept beside it when it has them), and the text and
PDF pages of a finding, statement by statement (``finding_text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Dataset, Graph

from ..query.library import get_query
from ..query.run import QueryResult, run_query
from .graphreader import page_words

THIS_INSPECTION = "this-inspection"
_SQS = "https://w3id.org/sqsgraph/ontology#"
_SCHEMA_TEXT = ox.NamedNode("https://schema.org/text")
_PAGE_SPAN = ox.NamedNode(_SQS + "pageSpan")
_PAGE_NUMBER = ox.NamedNode(_SQS + "pageNumber")
_SHA256 = ox.NamedNode(_SQS + "sha256")
_HAS_SOURCE = ox.NamedNode("http://www.w3.org/ns/oa#hasSource")
_HAS_SELECTOR = ox.NamedNode("http://www.w3.org/ns/oa#hasSelector")
_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")


@dataclass(frozen=True)
class Count:
    """One stated count, as ``compare-counts`` gives it."""

    area: str
    issued: str
    report: str
    theme: str
    theme_label: str
    theme_order: str
    number: str
    finding: str
    iri: str
    phrase: str
    numerator: int | None
    denominator: int | None
    proportion: float | None
    polarity: str
    refers_to: str
    approximation: str | None

    @property
    def year(self) -> str:
        return year_of(self.issued)


def year_of(issued: str) -> str:
    """The year of an ISO date (``2014-06-18``, ``2014-06``), or ``undated``."""
    return issued[:4] if re.match(r"\d{4}", issued or "") else "undated"


@dataclass(frozen=True)
class Rate:
    """A report's reoffending rate against its comparator (``reoffending-vs-comparator``)."""

    rate: float
    comparator_rate: float | None
    comparator: str | None
    difference: float | None
    cohort_start: str | None
    cohort_end: str | None
    source: str | None


def _value(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def _int(term: object) -> int | None:
    text = _value(term)
    return int(text) if text is not None and re.fullmatch(r"-?\d+", text) else None


def _float(term: object) -> float | None:
    text = _value(term)
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def _rows(store: ox.Store, name: str, precomputed: object = None) -> QueryResult:
    return run_query(store, get_query(name).text, precomputed=precomputed)  # type: ignore[arg-type]


def read_counts(store: ox.Store, precomputed: object = None) -> list[Count]:
    """Every stated count of the graph (``compare-counts``), sorted by area, date, report, theme,
    paragraph and count."""
    result = _rows(store, "compare-counts", precomputed)
    counts = []
    for row in result.rows:
        cells = dict(zip(result.variables, row, strict=True))
        get = cells.get
        counts.append(
            Count(
                area=_value(get("area")) or "",
                issued=_value(get("issued")) or "",
                report=_value(get("report")) or "",
                theme=_value(get("theme")) or "",
                theme_label=_value(get("themeLabel")) or "",
                theme_order=_value(get("themeNotation")) or "",
                number=_value(get("number")) or "",
                finding=_value(get("finding")) or "",
                iri=_value(get("count")) or "",
                phrase=_value(get("phrase")) or "",
                numerator=_int(get("numerator")),
                denominator=_int(get("denominator")),
                proportion=_float(get("proportion")),
                polarity=_value(get("polarity")) or "unstated",
                refers_to=_value(get("refersTo")) or THIS_INSPECTION,
                approximation=_value(get("approximation")),
            )
        )
    counts.sort(
        key=lambda c: (
            c.area,
            c.issued,
            c.report,
            theme_key(c.theme_order, c.theme_label),
            number_key(c.number),
            number_key(c.iri.rsplit("/", 1)[-1]),
            c.iri,
        )
    )
    return counts


def read_reports(store: ox.Store, precomputed: object = None) -> dict[str, tuple[str, str]]:
    """Every report's (area, publication date) (``inspection-timeline``)."""
    result = _rows(store, "inspection-timeline", precomputed)
    at = {v: i for i, v in enumerate(result.variables)}
    found: dict[str, tuple[str, str]] = {}
    for row in result.rows:
        report, area = _value(row[at["report"]]), _value(row[at["area"]])
        if report and area:
            found.setdefault(report, (area, _value(row[at["issued"]]) or ""))
    return found


def read_rates(store: ox.Store, precomputed: object = None) -> dict[str, Rate]:
    """Each report's reoffending rate and comparator (``reoffending-vs-comparator``); a report
    with two comparators keeps the first the query gives."""
    result = _rows(store, "reoffending-vs-comparator", precomputed)
    at = {v: i for i, v in enumerate(result.variables)}
    found: dict[str, Rate] = {}
    for row in sorted(result.rows, key=lambda r: tuple(_value(t) or "" for t in r)):
        report, rate = _value(row[at["report"]]), _float(row[at["rate"]])
        if report is None or rate is None or report in found:
            continue
        found[report] = Rate(
            rate,
            _float(row[at["comparatorRate"]]),
            _value(row[at["comparator"]]),
            _float(row[at["difference"]]),
            _value(row[at["cohortStart"]]),
            _value(row[at["cohortEnd"]]),
            _value(row[at["source"]]),
        )
    return found


@dataclass(frozen=True)
class FindingText:
    """A finding's text and, read from a PDF, its pages (``page_words``), first page and file."""

    text: str
    pages: str = ""
    page: str = ""
    pdf: str = ""
    pdf_sha256: str = ""


def _objects(store: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> list[ox.NamedNode | ox.Literal]:
    return sorted({q.object for q in store.quads_for_pattern(subject, predicate, None, None)}, key=str)  # type: ignore[misc]


def finding_text(store: ox.Store, finding: str) -> FindingText:
    """The text of ``finding`` and the PDF pages it is on, as the views' details panel shows
    them (``sqs:pageSpan``: one selector per page, each with ``sqs:pageNumber``)."""
    node = ox.NamedNode(finding)
    texts = _objects(store, node, _SCHEMA_TEXT)
    text = " ".join(texts[0].value.split()) if texts else ""
    numbers: set[int] = set()
    pdf: ox.NamedNode | None = None
    for span in _objects(store, node, _PAGE_SPAN):
        if not isinstance(span, ox.NamedNode):
            continue
        sources = [s for s in _objects(store, span, _HAS_SOURCE) if isinstance(s, ox.NamedNode)]
        pdf = pdf or (sources[0] if sources else None)
        for selector in _objects(store, span, _HAS_SELECTOR):
            if isinstance(selector, ox.NamedNode):
                numbers.update(int(n.value) for n in _objects(store, selector, _PAGE_NUMBER) if n.value.isdigit())
    if not numbers:
        return FindingText(text)
    names = _objects(store, pdf, _IDENTIFIER) if pdf is not None else []
    hashes = _objects(store, pdf, _SHA256) if pdf is not None else []
    return FindingText(
        text, page_words(sorted(numbers)), str(min(numbers)), names[0].value if names else "", hashes[0].value if hashes else ""
    )


def as_store(source: ox.Store | Dataset | Graph) -> ox.Store:
    """``source`` as an Oxigraph store: itself, or an rdflib graph's statements copied into an
    in-memory one (small graphs: tests, a Turtle file)."""
    if isinstance(source, ox.Store):
        return source
    from ..rdf.export import sorted_quads

    store = ox.Store()
    if isinstance(source, Dataset):
        store.extend(sorted_quads(source))
    else:
        dataset = Dataset()
        for triple in source:
            dataset.add(triple)
        store.extend(sorted_quads(dataset))
    return store


def theme_key(order: str, label: str) -> tuple[int, str]:
    return (int(order) if order.isdigit() else 10**6, label)


def number_key(number: str) -> tuple[tuple[int, ...], str]:
    return tuple(int(x) for x in re.findall(r"\d+", number)) or (10**6,), number


__all__ = [
    "THIS_INSPECTION",
    "Count",
    "FindingText",
    "Rate",
    "as_store",
    "number_key",
    "theme_key",
    "finding_text",
    "read_counts",
    "read_rates",
    "read_reports",
    "year_of",
]
