"""Reports to RDF: the statements of docs/graph-model.md, each report in its own named graph.

``map_reports(reports, base=...)`` returns an rdflib ``Dataset`` with

* ``B/graph/{report id}``: everything one report says (report, inspection, findings, quotes,
  counts, reoffending rates, who holds which post as attested by the report, spans);
* ``B/graph/shared``: entities shared across reports (areas, organisations, posts, persons and
  their names, roles minted from new wordings, identity decisions);
* ``B/graph/ontology``: the ontology and SKOS schemes of ``ontology/``.

The work is split so that a large corpus can be mapped one report at a time, in parallel and
from a cache (``pipeline.build`` does that); ``map_reports`` composes the same steps in memory:

1. ``collect_people(report, rid)``: who is named where, for the identity rules (per report);
2. ``identity.resolve_identities`` over all reports' mentions (the one global step);
3. ``map_report(report, rid, people, person_slugs)``: the report's named graph as a list of
   triples; ``report_facts(report, people)``: the ``SharedFacts`` it contributes
   (organisations, posts, areas, roles), known before step 2;
4. ``shared_triples(facts, identities, honorifics, coded)``: the shared graph from the merged
   facts, with the areas' ONS codes as ``areacodes`` found them for ``facts.area_labels()``.

Which post belongs to which organisation is decided by ``organisations``; who is who by
``identity``; this module only writes what they decided. No blank nodes: every node has an IRI
minted from normalised keys, so the same reports give the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef

from ..read.model import Proportion, Quote, Report, Span
from . import organisations as orgs
from .areacodes import AreaCodes
from .datasets import new_dataset
from .identity import (
    Identities,
    Overrides,
    resolve_identities,
    slug,
)
from .mentions import ReportPeople, collect_people, person_honorifics
from .names import (
    COUNT,
    DCTERMS,
    ORG,
    PROV,
    QB,
    RDF,
    ROLE,
    SDMX_DIMENSION,
    SDO,
    SQS,
    THEME,
    TIME,
    XSD,
    _comparator_area,
    _Triples,
    date_literal,
    decimal_literal,
    graph_iri,
    ontology_graph_iri,
    report_id,
    shared_graph_iri,
)
from .organisations import Context, Org
from .provenance import Triple, source_iri, source_triples, span_triples
from .shared import SharedFacts, holding_triples, ontology_triples, report_facts, report_holdings, shared_triples
from .terms import integer, iri, text
from .vocab import (
    DEFAULT_BASE,
    bind_prefixes,
    normalise_base,
)


@dataclass
class Mapped:
    """The dataset and what the mapping noticed on the way."""

    dataset: Dataset
    report_ids: dict[str, str]  # source path -> report id
    identities: Identities
    warnings: list[str] = field(default_factory=list)  # "path: problem"


def map_reports(reports: Iterable[Report], base: str = DEFAULT_BASE, overrides: Overrides | None = None) -> Dataset:
    """The knowledge graph of ``reports`` as an rdflib ``Dataset`` (see the module docstring)."""
    return map_reports_with_notes(reports, base, overrides).dataset


def map_reports_with_notes(
    reports: Iterable[Report], base: str = DEFAULT_BASE, overrides: Overrides | None = None, backend: str = "memory"
) -> Mapped:
    """Like ``map_reports``, also returning report ids, identity decisions and warnings."""
    base = normalise_base(base)
    ordered = sorted(reports, key=lambda r: (report_id(r), r.source.sha256, r.source.path))
    rids: list[str] = []
    seen: set[str] = set()
    for r in ordered:
        rid = report_id(r)
        if rid in seen:  # two versions of one report: kept apart by their hashes
            rid = f"{rid}-{r.source.sha256[:8]}"
        seen.add(rid)
        rids.append(rid)

    people = [collect_people(r, rid) for r, rid in zip(ordered, rids, strict=True)]
    mentions = [m for p in people for m in p.mentions]
    identities = resolve_identities(mentions, overrides)
    warnings = [w for p in people for w in p.warnings]
    warnings.extend(identities.warnings)

    ds = new_dataset(backend)
    bind_prefixes(ds, base)
    facts = SharedFacts()
    offset = 0
    for r, rid, p in zip(ordered, rids, people, strict=True):
        slugs = [identities.person_of[offset + i] for i in range(len(p.mentions))]
        offset += len(p.mentions)
        mapped = map_report(r, rid, p, slugs, base)
        graph = ds.graph(graph_iri(base, rid))
        for t in mapped.all_triples:
            graph.add(t)
        facts.merge(report_facts(r, p))
        warnings.extend(f"{r.source.path}: {w}" for w in r.warnings)
    shared = ds.graph(shared_graph_iri(base))
    honorifics = person_honorifics((tuple(s.honorific for s in p.slots) for p in people), identities)
    overrides = overrides or Overrides()
    coded = AreaCodes(overrides.area_codes, overrides.source).assign(facts.area_labels().values())
    warnings.extend(coded.warnings)
    for t in shared_triples(facts, identities, honorifics, coded, base):
        shared.add(t)
    ontology = ds.graph(ontology_graph_iri(base))
    for t in ontology_triples():
        ontology.add(t)
    return Mapped(ds, {r.source.path: rid for r, rid in zip(ordered, rids, strict=True)}, identities, warnings)


def map_report(r: Report, rid: str, people: ReportPeople, person_slugs: Sequence[str], base: str = DEFAULT_BASE) -> ReportGraph:
    """The named graph of one report, given the person each of its mentions was resolved to."""
    if len(person_slugs) != len(people.slots):
        raise ValueError(f"{r.source.path}: {len(people.slots)} mentions but {len(person_slugs)} person slugs")
    return _ReportMapper(normalise_base(base), r, rid).run(people, person_slugs)


@dataclass
class ReportGraph:
    """One report's statements: ``triples`` about the report's own nodes, ``about_shared`` the
    statements it makes about shared nodes (who holds which post, as this report attests); its
    named graph is both. What it contributes to the shared graph is ``report_facts``."""

    rid: str
    triples: list[Triple]
    about_shared: list[Triple]
    findings: int

    @property
    def all_triples(self) -> list[Triple]:
        return self.triples + self.about_shared


class _ReportMapper:
    def __init__(self, base: str, r: Report, rid: str) -> None:
        self.base = base
        self.r = r
        self.rid = rid
        self.findings = 0

    def iri(self, path: str) -> URIRef:
        return iri(self.base + path)

    def org_iri(self, org: Org) -> URIRef:
        return self.iri(f"org/{org.key}")

    def _area(self, label: str | None) -> URIRef | None:
        return self.iri(f"area/{slug(label)}") if label else None

    def run(self, people: ReportPeople, person_slugs: Sequence[str]) -> ReportGraph:
        g = _Triples()
        self._report(g, people, person_slugs)
        shared = holding_triples(((person_slugs[h.slot], h.post, h.org) for h in report_holdings(people)), self.base)
        # a statement made twice in one report is one statement; keep the first place it was made
        return ReportGraph(self.rid, list(dict.fromkeys(g)), list(dict.fromkeys(shared)), self.findings)

    def _report(self, g: _Triples, people: ReportPeople, person_slugs: Sequence[str]) -> None:
        R, interval, A, body = self._document(g)
        I = self._inspection(g, R, body)
        self._people(g, R, I, interval, people, person_slugs)
        self._findings(g, R, A)
        self._reoffending(g, R, A)

    def _document(self, g: _Triples) -> tuple[URIRef, URIRef, URIRef | None, Org | None]:
        """The report as a document: its source, title, date, publisher, area and the body it is about."""
        r, rid = self.r, self.rid
        doc = r.source
        R = self.iri(f"report/{rid}")
        for t in source_triples(self.base, doc):
            g.add(t)
        g.add((R, RDF.type, SDO.Report))
        g.add((R, RDF.type, PROV.Entity))
        g.add((R, PROV.wasDerivedFrom, source_iri(self.base, doc)))
        if r.title:
            g.add((R, DCTERMS.title, text(r.title)))
        interval = iri(f"{R}/interval")
        if r.publication_date:
            g.add((R, DCTERMS.issued, date_literal(r.publication_date)))
            g.add((interval, RDF.type, TIME.Instant))
            g.add((interval, RDF.type, TIME.Interval))
            prop = TIME.inXSDDate if len(r.publication_date) == 10 else TIME.inXSDgYearMonth
            g.add((interval, prop, date_literal(r.publication_date)))
        g.add((R, DCTERMS.publisher, self.org_iri(orgs.publisher())))
        A = self._area(r.area)
        if A is not None:
            g.add((R, SQS.area, A))
        body = orgs.inspected_body(Context(r.area, r.body))
        if body is not None and r.body is not None:
            g.add((R, SDO.about, self.org_iri(body)))
        for name in r.case_pseudonyms:
            g.add((R, SQS.casePseudonym, text(name)))
        return R, interval, A, body

    def _inspection(self, g: _Triples, R: URIRef, body: Org | None) -> URIRef:
        """The inspection the report is the outcome of: its dates, cases examined and body."""
        r = self.r
        I = iri(f"{R}/inspection")
        g.add((R, SQS.inspection, I))
        g.add((I, RDF.type, PROV.Activity))
        g.add((I, RDF.type, SQS.Inspection))
        if r.inspection is not None:
            for value, date_prop, time_prop in (
                (r.inspection.start, SQS.startDate, PROV.startedAtTime),
                (r.inspection.end, SQS.endDate, PROV.endedAtTime),
            ):
                if value and len(value) == 10:
                    g.add((I, date_prop, Literal(value, datatype=XSD.date)))
                    g.add((I, time_prop, Literal(f"{value}T00:00:00", datatype=XSD.dateTime)))
        if r.cases_examined is not None:
            g.add((I, SQS.casesExamined, integer(r.cases_examined)))
        if r.previous_inspection_year is not None:
            g.add((I, SQS.previousInspectionYear, Literal(str(r.previous_inspection_year), datatype=XSD.gYear)))
        if body is not None and r.body is not None:
            g.add((I, SQS.inspectedBody, self.org_iri(body)))
        return I

    def _people(
        self, g: _Triples, R: URIRef, I: URIRef, interval: URIRef, people: ReportPeople, person_slugs: Sequence[str]
    ) -> None:
        """Addressee, author, lead inspector and copy list, each with the posts the report gives them."""
        r, rid = self.r, self.rid
        membership = 0
        for slot, person in zip(people.slots, person_slugs, strict=True):
            P = self.iri(f"person/{person}")
            if slot.how == "addressee":
                g.add((R, SDO.recipient, P))
            elif slot.how == "author":
                g.add((R, DCTERMS.creator, P))
            elif slot.how == "copy":
                g.add((R, SDO.ccRecipient, P))
            elif slot.how == "lead-inspector":
                role = orgs.lead_inspector_role()
                assoc = iri(f"{I}/lead-inspector")
                g.add((I, PROV.wasAssociatedWith, P))
                g.add((I, PROV.qualifiedAssociation, assoc))
                g.add((assoc, RDF.type, PROV.Association))
                g.add((assoc, PROV.agent, P))
                g.add((assoc, PROV.hadRole, ROLE[role.id]))
                if r.lead_inspector is not None and r.lead_inspector.email:
                    g.add((assoc, SDO.email, text(r.lead_inspector.email)))
                if slot.span is not None:
                    self._span(g, assoc, slot.span)
            for post in slot.posts:
                membership += 1
                M = self.iri(f"membership/{rid}/{membership}")
                O, T = self.org_iri(post.org), self.iri(f"post/{post.key}")
                g.add((M, RDF.type, ORG.Membership))
                g.add((M, ORG.member, P))
                g.add((M, ORG.organization, O))
                g.add((M, ORG.role, ROLE[post.role.id]))
                g.add((M, SQS.post, T))
                g.add((M, SQS.attestedBy, R))
                if r.publication_date:
                    g.add((M, ORG.memberDuring, interval))
                for q in (post.qualifier, slot.qualifier):
                    if q:
                        g.add((M, SQS.qualifier, text(q)))
                if slot.span is not None:
                    self._span(g, M, slot.span)

    def _findings(self, g: _Triples, R: URIRef, A: URIRef | None) -> None:
        """Numbered findings under their themes, key strengths and areas for improvement."""
        r = self.r
        used: set[str] = set()
        for section in r.sections:
            for f in section.findings:
                key = f.number if f.number not in used else f"{f.number}-{len(used)}"
                used.add(key)
                F = iri(f"{R}/finding/{key}")
                self._finding(g, R, F, SQS.Finding, A, f.text, f.span, f.quotes, f.proportions)
                g.add((F, SQS.paragraphNumber, text(f.number)))
                if section.theme:
                    g.add((F, DCTERMS.subject, THEME[section.theme]))
        for kind, cls, items in (
            ("strength", SQS.KeyStrength, r.key_strengths),
            ("improvement", SQS.AreaForImprovement, r.areas_for_improvement),
        ):
            for n, item in enumerate(items, start=1):
                F = iri(f"{R}/{kind}/{n}")
                self._finding(g, R, F, cls, A, item.text, item.span, item.quotes, item.proportions)
                g.add((F, SQS.paragraphNumber, text(str(n))))

    def _reoffending(self, g: _Triples, R: URIRef, A: URIRef | None) -> None:
        """The reoffending rates of the area and its comparator, as Data Cube observations."""
        r = self.r
        ro = r.reoffending
        if ro is not None:
            comparator = _comparator_area(ro.comparator)
            for which, rate, area in (("area", ro.rate, A), ("comparator", ro.comparator_rate, self._area(comparator))):
                if rate is None:
                    continue
                obs = iri(f"{R}/reoffending/{which}")
                g.add((obs, RDF.type, QB.Observation))
                g.add((obs, QB.dataSet, self.iri("dataset/reoffending")))
                if area is not None:
                    g.add((obs, SDMX_DIMENSION.refArea, area))
                g.add((obs, SQS.reoffendingRate, decimal_literal(rate, 3)))
                g.add((obs, PROV.wasDerivedFrom, R))
                if ro.cohort_start:
                    g.add((obs, SQS.cohortStart, date_literal(ro.cohort_start)))
                if ro.cohort_end:
                    g.add((obs, SQS.cohortEnd, date_literal(ro.cohort_end)))
                if ro.published:
                    g.add((obs, DCTERMS.issued, date_literal(ro.published)))
                if ro.source:
                    g.add((obs, DCTERMS.source, text(ro.source)))
                if ro.span is not None:
                    self._span(g, obs, ro.span)

    def _finding(
        self,
        g: _Triples,
        R: URIRef,
        F: URIRef,
        cls: URIRef,
        A: URIRef | None,
        finding_text: str,
        span: Span,
        quotes: tuple[Quote, ...],
        proportions: tuple[Proportion, ...],
    ) -> None:
        self.findings += 1
        g.add((R, SQS.hasFinding, F))
        g.add((F, RDF.type, cls))
        if cls != SQS.Finding:
            g.add((F, RDF.type, SQS.Finding))
        g.add((F, RDF.type, PROV.Entity))
        g.add((F, DCTERMS.isPartOf, R))
        g.add((F, SDO.text, text(finding_text)))
        self._span(g, F, span)
        for n, q in enumerate(quotes, start=1):
            Q = iri(f"{F}/quote/{n}")
            g.add((F, SQS.hasQuote, Q))
            g.add((Q, RDF.type, SQS.Quote))
            g.add((Q, RDF.type, PROV.Entity))
            g.add((Q, SDO.text, text(q.text)))
            self._span(g, Q, q.span)
        for n, p in enumerate(proportions, start=1):
            C = iri(f"{F}/count/{n}")
            g.add((F, SQS.hasObservation, C))
            g.add((C, RDF.type, QB.Observation))
            g.add((C, QB.dataSet, self.iri("dataset/counts")))
            g.add((C, SQS.finding, F))
            if A is not None:
                g.add((C, SDMX_DIMENSION.refArea, A))
            if p.numerator is not None:
                g.add((C, SQS.numerator, integer(p.numerator)))
            if p.denominator is not None:
                g.add((C, SQS.denominator, integer(p.denominator)))
            if p.value is not None:
                g.add((C, SQS.proportion, decimal_literal(p.value)))
            g.add((C, SQS.phrase, text(p.phrase)))
            g.add((C, SQS.polarity, COUNT[p.polarity]))
            g.add((C, SQS.refersTo, COUNT[p.refers_to]))
            if p.qualifier is not None:
                g.add((C, SQS.approximation, text(p.qualifier)))
            if p.span is not None:
                self._span(g, C, p.span)

    def _span(self, g: _Triples, thing: URIRef, span: Span) -> None:
        g.extend(span_triples(thing, span, self.base, self.r.source))


__all__ = [
    "Mapped",
    "ReportGraph",
    "ReportPeople",
    "SharedFacts",
    "collect_people",
    "date_literal",
    "graph_iri",
    "holding_triples",
    "map_report",
    "map_reports",
    "map_reports_with_notes",
    "ontology_graph_iri",
    "ontology_triples",
    "person_honorifics",
    "report_facts",
    "report_holdings",
    "report_id",
    "shared_graph_iri",
    "shared_triples",
]
