"""The report model: every fact the reader takes from one SQS report.

These dataclasses are the boundary between the parser (which knows text layout) and the mapper
(which knows RDF). Nothing here knows either.

Offsets: every ``Span`` is ``[start, end)`` in Unicode code points into the *decoded* source text
(``SourceDocument.text``), so ``text[span.start:span.end]`` is the passage exactly as it stands in
the file. Where the parser had to repair a passage (page breaks, footnotes, markup), the repaired
wording is kept in a separate ``text`` field and the span still covers the original passage.

Dates are ISO 8601 strings: ``YYYY-MM-DD`` when the report gives a day, ``YYYY-MM`` when it gives
only a month (reoffending cohorts, some publication notes). Absent facts are ``None``; nothing is
invented.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple


def _span_json(span: Span | None) -> list[int] | None:
    return None if span is None else span.to_json()


@dataclass(frozen=True)
class Span:
    """Half-open character range ``[start, end)`` into ``SourceDocument.text``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def to_json(self) -> list[int]:
        return [self.start, self.end]


PDF_MEDIA_TYPE = "application/pdf"


class TextBox(NamedTuple):
    """Where a stretch of a PDF's derived text stands: ``[start, end)`` into the text, the page
    (from 1) and the rectangle in PDF points from the top left of the page as displayed. A tuple:
    a report has thousands, pickled between processes and into the build cache."""

    start: int
    end: int
    page: int
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class SourceDocument:
    """A report file as read: where it came from, its text and content hash.

    For a PDF, ``text`` is the text sqsgraph derives from the pages (every span points into it)
    and ``boxes`` say where each stretch of it stands on which page, in text order."""

    path: str
    text: str
    sha256: str  # of the raw bytes, so the hash identifies the file as published
    encoding: str
    media_type: str = "text/plain"  # "application/pdf" for a PDF
    boxes: tuple[TextBox, ...] = ()


@dataclass(frozen=True)
class PersonMention:
    """A person as named in the report header: "To:" / "From:"."""

    name: str
    post: str | None
    honorific: str | None = None
    span: Span | None = None  # span of the name

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "post": self.post}


@dataclass(frozen=True)
class InspectedBody:
    name: str  # e.g. "<Area> Youth Offending Team"
    type: str | None  # "Youth Offending Team" | "Youth Offending Service" | ...
    abbreviation: str | None = None  # "YOT" | "YOS"


@dataclass(frozen=True)
class DateRange:
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Reoffending:
    rate: float | None  # percent, e.g. 34.2
    comparator_rate: float | None
    comparator: str | None  # the comparator's label as written, e.g. "England and Wales average"
    cohort_start: str | None
    cohort_end: str | None
    published: str | None
    source: str | None  # who published the rate, from the footnote
    span: Span | None = None  # the sentence stating the rate
    footnote_span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rate": self.rate, "comparator_rate": self.comparator_rate, "comparator": self.comparator,
                "cohort_start": self.cohort_start, "cohort_end": self.cohort_end, "published": self.published,
                "source": self.source}


@dataclass(frozen=True)
class LeadInspector:
    name: str
    email: str | None
    phone: str | None
    span: Span | None = None  # span of the name

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "phone": self.phone}


@dataclass(frozen=True)
class Quote:
    """An inspector's comment quoted inside a finding."""

    text: str
    span: Span

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "span": _span_json(self.span)}


@dataclass(frozen=True)
class Proportion:
    """A count stated in the text: "12 of the 16 relevant cases", "75%", "three-quarters"."""

    phrase: str  # as written
    numerator: int | None
    denominator: int | None
    value: float | None  # numerator / denominator, or the stated fraction; 0..1
    span: Span | None = None
    polarity: str = "unstated"  # "favourable" | "unfavourable" | "unstated": see sqsgraph.read.counts
    refers_to: str = "this-inspection"  # | "earlier-inspection"
    qualifier: str | None = None  # "just over", "less than", ...: the count is approximate

    def to_json(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "numerator": self.numerator, "denominator": self.denominator, "value": self.value,
                "qualifier": self.qualifier, "polarity": self.polarity, "refers_to": self.refers_to}


@dataclass(frozen=True)
class Finding:
    number: str  # "1.1"
    text: str  # repaired: one paragraph, no markup, no footnotes
    span: Span  # from the first to the last character of the paragraph in the source
    quotes: tuple[Quote, ...] = ()
    proportions: tuple[Proportion, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text, "span": _span_json(self.span),
                "quotes": [q.to_json() for q in self.quotes], "proportions": [p.to_json() for p in self.proportions]}


@dataclass(frozen=True)
class Section:
    """One numbered theme of the commentary ("1. Reducing reoffending")."""

    number: int
    title: str  # as written
    theme: str | None  # canonical theme id, see sqsgraph.read.themes
    findings: tuple[Finding, ...] = ()
    span: Span | None = None  # span of the heading

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "theme": self.theme,
                "findings": [f.to_json() for f in self.findings]}


@dataclass(frozen=True)
class ListItem:
    """A key strength or an area requiring improvement."""

    text: str
    span: Span
    quotes: tuple[Quote, ...] = ()
    proportions: tuple[Proportion, ...] = ()


@dataclass(frozen=True)
class Holder:
    """One person named against a post on the copy list."""

    name: str
    honorific: str | None  # "Councillor", "Cllr", "Dr", ...
    qualifier: str | None  # parenthesised note after the name, e.g. a division "(West)"
    span: Span  # span of the name as written (without honorific and qualifier)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "honorific": self.honorific, "qualifier": self.qualifier, "span": _span_json(self.span)}


@dataclass(frozen=True)
class CopyListEntry:
    post: str  # as written, e.g. "Chair of Youth Court Bench"
    holders: tuple[Holder, ...]
    span: Span | None = None  # the whole line

    def to_json(self) -> dict[str, Any]:
        return {"post": self.post, "holders": [h.to_json() for h in self.holders]}


@dataclass
class Report:
    source: SourceDocument
    title: str | None = None
    area: str | None = None
    body: InspectedBody | None = None
    addressee: PersonMention | None = None
    author: PersonMention | None = None
    publication_date: str | None = None
    inspection: DateRange | None = None
    cases_examined: int | None = None
    previous_inspection_year: int | None = None
    reoffending: Reoffending | None = None
    lead_inspector: LeadInspector | None = None
    sections: list[Section] = field(default_factory=list)
    operational_management: str | None = None
    key_strengths: list[ListItem] = field(default_factory=list)
    areas_for_improvement: list[ListItem] = field(default_factory=list)
    copy_list: list[CopyListEntry] = field(default_factory=list)
    case_pseudonyms: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.sections for f in s.findings]

    def to_json(self) -> dict[str, Any]:
        """The documented JSON contract of ``sqsgraph parse --format json`` (each part's own
        ``to_json`` gives its piece, in the contract's order)."""
        return {
            "source": self.source.path,
            "title": self.title,
            "area": self.area,
            "body": None if self.body is None else {"name": self.body.name, "type": self.body.type},
            "addressee": None if self.addressee is None else self.addressee.to_json(),
            "author": None if self.author is None else self.author.to_json(),
            "publication_date": self.publication_date,
            "inspection": {
                "start": self.inspection.start if self.inspection else None,
                "end": self.inspection.end if self.inspection else None,
            },
            "cases_examined": self.cases_examined,
            "previous_inspection_year": self.previous_inspection_year,
            "reoffending": None if self.reoffending is None else self.reoffending.to_json(),
            "lead_inspector": None if self.lead_inspector is None else self.lead_inspector.to_json(),
            "sections": [s.to_json() for s in self.sections],
            "operational_management": self.operational_management,
            "key_strengths": [i.text for i in self.key_strengths],
            "areas_for_improvement": [i.text for i in self.areas_for_improvement],
            "copy_list": [e.to_json() for e in self.copy_list],
            "case_pseudonyms": list(self.case_pseudonyms),
            "warnings": list(self.warnings),
        }


__all__ = [
    "PDF_MEDIA_TYPE",
    "CopyListEntry",
    "DateRange",
    "Finding",
    "Holder",
    "InspectedBody",
    "LeadInspector",
    "ListItem",
    "PersonMention",
    "Proportion",
    "Quote",
    "Reoffending",
    "Report",
    "Section",
    "SourceDocument",
    "Span",
    "TextBox",
    "asdict",
]
