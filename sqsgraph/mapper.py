"""Reports to RDF: the statements of docs/graph-model.md, each report in its own named graph.

``map_reports(reports, base=...)`` returns an rdflib ``Dataset`` with

* ``B/graph/{report id}``: everything one report says (report, inspection, findings, quotes,
  counts, reoffending rates, who holds which post as attested by the report, spans);
* ``B/graph/shared``: entities shared across reports (areas, organisations, posts, persons and
  their names, roles minted from new wordings, identity decisions);
* ``B/graph/ontology``: the ontology and SKOS schemes of ``ontology/``.

Which post belongs to which organisation is decided by ``organisations``; who is who by
``identity``; this module only writes what they decided. No blank nodes: every node has an IRI
minted from normalised keys, so the same reports give the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, QB, RDF, SDO, SKOS, TIME, XSD

from . import organisations as orgs
from .identity import Identities, Mention, Overrides, resolve_identities, slug, split_honorific
from .model import Proportion, Quote, Report, Span
from .organisations import Context, Org, Post, Role
from .provenance import source_iri, source_triples, span_triples
from .store import new_dataset
from .vocab import (
    DEFAULT_BASE,
    ONTOLOGY_FILES,
    ORGANISATIONS_FILE,
    ORGTYPE,
    ROLE,
    SDMX_DIMENSION,
    SQS,
    THEME,
    bind_prefixes,
    normalise_base,
    ontology_path,
)

NATIONAL_COMPARATOR = "England and Wales"


@dataclass
class Mapped:
    """The dataset and what the mapping noticed on the way."""

    dataset: Dataset
    report_ids: dict[str, str]  # source path -> report id
    identities: Identities
    warnings: list[str] = field(default_factory=list)  # "path: problem"


def report_id(report: Report) -> str:
    """``{area}-{publication date}``, or the first 16 hex digits of the file's hash."""
    if report.area and report.publication_date:
        return f"{slug(report.area)}-{report.publication_date}"
    return report.source.sha256[:16]


def map_reports(reports: Iterable[Report], base: str = DEFAULT_BASE, overrides: Overrides | None = None) -> Dataset:
    """The knowledge graph of ``reports`` as an rdflib ``Dataset`` (see the module docstring)."""
    return map_reports_with_notes(reports, base, overrides).dataset


def map_reports_with_notes(
    reports: Iterable[Report], base: str = DEFAULT_BASE, overrides: Overrides | None = None, backend: str = "memory"
) -> Mapped:
    """Like ``map_reports``, also returning report ids, identity decisions and warnings."""
    return _Mapper(normalise_base(base), backend).run(list(reports), overrides)


def date_literal(value: str) -> Literal:
    """``YYYY-MM-DD`` as ``xsd:date``, ``YYYY-MM`` as ``xsd:gYearMonth``, ``YYYY`` as ``xsd:gYear``."""
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


def decimal_literal(value: float, places: int = 6) -> Literal:
    return Literal(Decimal(str(round(value, places))), datatype=XSD.decimal)


@dataclass
class _Slot:
    """A person named in a report, waiting for the identity decision."""

    mention: int
    report: Report
    rid: str
    honorific: str | None
    span: Span | None
    posts: tuple[Post, ...]
    qualifier: str | None
    how: str  # "addressee" | "author" | "lead-inspector" | "copy"


class _Mapper:
    def __init__(self, base: str, backend: str) -> None:
        self.base = base
        self.ds = new_dataset(backend)
        bind_prefixes(self.ds, base)
        self.shared = self.ds.graph(self.iri("graph/shared"))
        self.orgs: dict[str, Org] = {}
        self.org_labels: dict[str, set[str]] = {}
        self.posts: dict[str, Post] = {}
        self.post_titles: dict[str, set[str]] = {}
        self.roles: dict[str, Role] = {}
        self.areas: dict[str, str] = {}
        self.warnings: list[str] = []

    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    # ----------------------------------------------------------------------------- run

    def run(self, reports: list[Report], overrides: Overrides | None) -> Mapped:
        ordered = sorted(reports, key=lambda r: (report_id(r), r.source.sha256, r.source.path))
        rids: dict[int, str] = {}
        seen: dict[str, int] = {}
        for n, r in enumerate(ordered):
            rid = report_id(r)
            if rid in seen:
                rid = f"{rid}-{r.source.sha256[:8]}"
            seen[rid] = n
            rids[n] = rid

        mentions: list[Mention] = []
        slots: list[_Slot] = []
        for n, r in enumerate(ordered):
            self._collect(r, rids[n], mentions, slots)
        identities = resolve_identities(mentions, overrides)
        self.warnings.extend(identities.warnings)

        for n, r in enumerate(ordered):
            self._report(r, rids[n], [s for s in slots if s.rid == rids[n]], identities)
            self.warnings.extend(f"{r.source.path}: {w}" for w in r.warnings)
        self._shared(identities, mentions, slots)
        self._ontology()
        return Mapped(self.ds, {r.source.path: rids[n] for n, r in enumerate(ordered)}, identities, self.warnings)

    # ------------------------------------------------------------------ who is named where

    def _collect(self, r: Report, rid: str, mentions: list[Mention], slots: list[_Slot]) -> None:
        ctx = Context(r.area, r.body)
        date = r.publication_date or ""
        position = 0

        def add(name: str, honorific: str | None, span: Span | None, posts: Sequence[Post], qualifier: str | None, how: str, roles: Iterable[str], organisations: Iterable[str], described: str) -> None:
            nonlocal position
            found_honorific, bare = split_honorific(name)
            mentions.append(
                Mention(
                    report=rid,
                    order=(date, position),
                    name=bare,
                    organisations=frozenset(organisations),
                    roles=frozenset(x for x in roles if x != orgs.CONTACT_ROLE),
                    described_as=described,
                )
            )
            slots.append(_Slot(len(mentions) - 1, r, rid, honorific or found_honorific, span, tuple(posts), qualifier, how))
            position += 1

        def described(posts: Sequence[Post]) -> str:
            return " and ".join(f"{p.title or p.role.label} ({p.org.label})" for p in posts)

        if r.addressee is not None:
            posts = self._warned(r, orgs.resolve_posts(r.addressee.post, ctx)) if r.addressee.post else []
            add(r.addressee.name, r.addressee.honorific, r.addressee.span, posts, None, "addressee",
                (p.role.id for p in posts), (p.org.root for p in posts), described(posts) or "addressee")
        if r.author is not None:
            post = orgs.author_post(r.author.post)
            posts = [post] if post else []
            publisher = orgs.publisher()
            add(r.author.name, r.author.honorific, r.author.span, posts, None, "author",
                (p.role.id for p in posts), [publisher.key], described(posts) or f"author ({publisher.label})")
        if r.lead_inspector is not None:
            publisher = orgs.publisher()
            role = orgs.lead_inspector_role()
            add(r.lead_inspector.name, None, r.lead_inspector.span, [], None, "lead-inspector",
                [role.id], [publisher.key], f"{role.label} ({publisher.label})")
        for entry in r.copy_list:
            posts = self._warned(r, orgs.resolve_posts(entry.post, ctx))
            for h in entry.holders:
                add(h.name, h.honorific, h.span, posts, h.qualifier, "copy",
                    (p.role.id for p in posts), (p.org.root for p in posts), described(posts))

    def _warned(self, r: Report, posts: list[Post]) -> list[Post]:
        for p in posts:
            if p.warning and f"{r.source.path}: {p.warning}" not in self.warnings:
                self.warnings.append(f"{r.source.path}: {p.warning}")
        return posts

    # ------------------------------------------------------------------------- a report

    def _report(self, r: Report, rid: str, slots: list[_Slot], ids: Identities) -> None:
        g = self.ds.graph(self.iri(f"graph/{rid}"))
        doc = r.source
        R = self.iri(f"report/{rid}")
        for t in source_triples(self.base, doc):
            g.add(t)
        g.add((R, RDF.type, SDO.Report))
        g.add((R, RDF.type, PROV.Entity))
        g.add((R, PROV.wasDerivedFrom, source_iri(self.base, doc)))
        if r.title:
            g.add((R, DCTERMS.title, Literal(r.title)))
        interval = URIRef(f"{R}/interval")
        if r.publication_date:
            g.add((R, DCTERMS.issued, date_literal(r.publication_date)))
            g.add((interval, RDF.type, TIME.Instant))
            g.add((interval, RDF.type, TIME.Interval))
            prop = TIME.inXSDDate if len(r.publication_date) == 10 else TIME.inXSDgYearMonth
            g.add((interval, prop, date_literal(r.publication_date)))
        publisher = orgs.publisher()
        self._org(publisher)
        g.add((R, DCTERMS.publisher, self.org_iri(publisher)))
        A = self._area(r.area) if r.area else None
        if A is not None:
            g.add((R, SQS.area, A))
        body = orgs.inspected_body(Context(r.area, r.body))
        if body is not None and r.body is not None:
            self._org(body)
            g.add((R, SDO.about, self.org_iri(body)))
        for name in r.case_pseudonyms:
            g.add((R, SQS.casePseudonym, Literal(name)))

        # the inspection
        I = URIRef(f"{R}/inspection")
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
            g.add((I, SQS.casesExamined, Literal(r.cases_examined)))
        if r.previous_inspection_year is not None:
            g.add((I, SQS.previousInspectionYear, Literal(str(r.previous_inspection_year), datatype=XSD.gYear)))
        if body is not None and r.body is not None:
            g.add((I, SQS.inspectedBody, self.org_iri(body)))

        # people: addressee, author, lead inspector, copy list
        membership = 0
        for slot in slots:
            P = self.iri(f"person/{ids.person_of[slot.mention]}")
            if slot.how == "addressee":
                g.add((R, SDO.recipient, P))
            elif slot.how == "author":
                g.add((R, DCTERMS.creator, P))
            elif slot.how == "copy":
                g.add((R, SDO.ccRecipient, P))
            elif slot.how == "lead-inspector":
                role = orgs.lead_inspector_role()
                assoc = URIRef(f"{I}/lead-inspector")
                g.add((I, PROV.wasAssociatedWith, P))
                g.add((I, PROV.qualifiedAssociation, assoc))
                g.add((assoc, RDF.type, PROV.Association))
                g.add((assoc, PROV.agent, P))
                g.add((assoc, PROV.hadRole, ROLE[role.id]))
                if r.lead_inspector is not None and r.lead_inspector.email:
                    g.add((assoc, SDO.email, Literal(r.lead_inspector.email)))
                if slot.span is not None:
                    self._span(g, assoc, slot.span, r)
            for post in slot.posts:
                membership += 1
                M = self.iri(f"membership/{rid}/{membership}")
                O, T = self._post(post)
                g.add((P, ORG.holds, T))
                g.add((T, ORG.heldBy, P))
                g.add((P, ORG.memberOf, O))
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
                        g.add((M, SQS.qualifier, Literal(q)))
                if slot.span is not None:
                    self._span(g, M, slot.span, r)

        # findings, strengths, improvements
        used: set[str] = set()
        for section in r.sections:
            for f in section.findings:
                key = f.number if f.number not in used else f"{f.number}-{len(used)}"
                used.add(key)
                F = URIRef(f"{R}/finding/{key}")
                self._finding(g, R, F, SQS.Finding, r, A, f.text, f.span, f.quotes, f.proportions)
                g.add((F, SQS.paragraphNumber, Literal(f.number)))
                if section.theme:
                    g.add((F, DCTERMS.subject, THEME[section.theme]))
        for kind, cls, items in (("strength", SQS.KeyStrength, r.key_strengths), ("improvement", SQS.AreaForImprovement, r.areas_for_improvement)):
            for n, item in enumerate(items, start=1):
                F = URIRef(f"{R}/{kind}/{n}")
                self._finding(g, R, F, cls, r, A, item.text, item.span, item.quotes, item.proportions)
                g.add((F, SQS.paragraphNumber, Literal(str(n))))

        # reoffending
        ro = r.reoffending
        if ro is not None:
            comparator = _comparator_area(ro.comparator)
            for which, rate, area in (("area", ro.rate, A), ("comparator", ro.comparator_rate, self._area(comparator))):
                if rate is None:
                    continue
                obs = URIRef(f"{R}/reoffending/{which}")
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
                    g.add((obs, DCTERMS.source, Literal(ro.source)))
                if ro.span is not None:
                    self._span(g, obs, ro.span, r)

    def _finding(self, g: Graph, R: URIRef, F: URIRef, cls: URIRef, r: Report, A: URIRef | None, text: str, span: Span,
                 quotes: tuple[Quote, ...], proportions: tuple[Proportion, ...]) -> None:
        g.add((R, SQS.hasFinding, F))
        g.add((F, RDF.type, cls))
        if cls != SQS.Finding:
            g.add((F, RDF.type, SQS.Finding))
        g.add((F, RDF.type, PROV.Entity))
        g.add((F, DCTERMS.isPartOf, R))
        g.add((F, SDO.text, Literal(text)))
        self._span(g, F, span, r)
        for n, q in enumerate(quotes, start=1):
            Q = URIRef(f"{F}/quote/{n}")
            g.add((F, SQS.hasQuote, Q))
            g.add((Q, RDF.type, SQS.Quote))
            g.add((Q, RDF.type, PROV.Entity))
            g.add((Q, SDO.text, Literal(q.text)))
            self._span(g, Q, q.span, r)
        for n, p in enumerate(proportions, start=1):
            C = URIRef(f"{F}/count/{n}")
            g.add((F, SQS.hasObservation, C))
            g.add((C, RDF.type, QB.Observation))
            g.add((C, QB.dataSet, self.iri("dataset/counts")))
            g.add((C, SQS.finding, F))
            if A is not None:
                g.add((C, SDMX_DIMENSION.refArea, A))
            if p.numerator is not None:
                g.add((C, SQS.numerator, Literal(p.numerator)))
            if p.denominator is not None:
                g.add((C, SQS.denominator, Literal(p.denominator)))
            if p.value is not None:
                g.add((C, SQS.proportion, decimal_literal(p.value)))
            g.add((C, SQS.phrase, Literal(p.phrase)))
            if p.span is not None:
                self._span(g, C, p.span, r)

    def _span(self, g: Graph, thing: URIRef, span: Span, r: Report) -> None:
        for t in span_triples(thing, span, self.base, r.source):
            g.add(t)

    # ----------------------------------------------------------------- shared entities

    def org_iri(self, org: Org) -> URIRef:
        return self.iri(f"org/{org.key}")

    def _org(self, org: Org) -> URIRef:
        if org.unit_of and org.unit_of not in self.orgs:
            self._org(orgs.catalogue().body(org.unit_of))
        if org.part_of and org.part_of not in self.orgs and org.area:
            self._org(orgs.local_authority(org.area))
        if org.key not in self.orgs:
            self.orgs[org.key] = org
        self.org_labels.setdefault(org.key, set()).add(org.label)
        if org.alt_label:
            self.org_labels[org.key].add(org.alt_label)
        return self.org_iri(org)

    def _post(self, post: Post) -> tuple[URIRef, URIRef]:
        O = self._org(post.org)
        if post.key not in self.posts:
            self.posts[post.key] = post
        self.post_titles.setdefault(post.key, set()).add(post.title or post.role.label)
        if post.role.minted:
            self.roles.setdefault(post.role.id, post.role)
        return O, self.iri(f"post/{post.key}")

    def _area(self, label: str | None) -> URIRef | None:
        if not label:
            return None
        key = slug(label)
        self.areas.setdefault(key, label)
        return self.iri(f"area/{key}")

    def _shared(self, ids: Identities, mentions: list[Mention], slots: list[_Slot]) -> None:
        s = self.shared
        for key, label in sorted(self.areas.items()):
            A = self.iri(f"area/{key}")
            s.add((A, RDF.type, SDO.AdministrativeArea))
            s.add((A, SKOS.prefLabel, Literal(label)))
        national = Graph()
        national.parse(data=ontology_path(ORGANISATIONS_FILE).read_text(encoding="utf-8"), format="turtle", publicID=self.base)
        for key, org in sorted(self.orgs.items()):
            O = self.org_iri(org)
            if org.national and org.unit_of is None:
                for _, p, o in national.triples((O, None, None)):
                    s.add((O, p, o))
                continue
            s.add((O, RDF.type, ORG.Organization))
            s.add((O, RDF.type, SDO.GovernmentOrganization))
            s.add((O, SKOS.prefLabel, Literal(org.label)))
            for alt in sorted(self.org_labels[key] - {org.label}):
                s.add((O, SKOS.altLabel, Literal(alt)))
            if org.kind:
                s.add((O, ORG.classification, ORGTYPE[org.kind]))
            if org.unit_of:
                s.add((O, RDF.type, ORG.OrganizationalUnit))
                s.add((O, ORG.unitOf, self.iri(f"org/{org.unit_of}")))
                s.add((self.iri(f"org/{org.unit_of}"), ORG.hasUnit, O))
            if org.part_of:
                s.add((O, ORG.subOrganizationOf, self.iri(f"org/{org.part_of}")))
                s.add((self.iri(f"org/{org.part_of}"), ORG.hasSubOrganization, O))
            if org.linked_to:
                s.add((O, ORG.linkedTo, self.iri(f"org/{org.linked_to}")))
            area = self._area(org.area)
            if area is not None:
                s.add((O, SDO.areaServed, area))
                s.add((area, RDF.type, SDO.AdministrativeArea))
                s.add((area, SKOS.prefLabel, Literal(self.areas[slug(org.area or '')])))
        for key, post in sorted(self.posts.items()):
            T = self.iri(f"post/{key}")
            titles = sorted(self.post_titles[key])
            label = post.title or post.role.label
            s.add((T, RDF.type, ORG.Post))
            s.add((T, SKOS.prefLabel, Literal(label)))
            for alt in titles:
                if alt != label:
                    s.add((T, SKOS.altLabel, Literal(alt)))
            s.add((T, ORG.postIn, self.org_iri(post.org)))
            s.add((self.org_iri(post.org), ORG.hasPost, T))
            s.add((T, ORG.role, ROLE[post.role.id]))
        for rid_, role in sorted(self.roles.items()):
            C = ROLE[rid_]
            s.add((C, RDF.type, SKOS.Concept))
            s.add((C, SKOS.inScheme, ROLE.scheme))
            s.add((C, SKOS.prefLabel, Literal(role.label, lang="en")))
            if role.broader:
                s.add((C, SKOS.broader, ROLE[role.broader]))
        honorifics: dict[str, set[str]] = {}
        for slot in slots:
            if slot.honorific:
                honorifics.setdefault(ids.person_of[slot.mention], set()).add(slot.honorific)
        for person in ids.persons:
            P = self.iri(f"person/{person.slug}")
            s.add((P, RDF.type, FOAF.Person))
            s.add((P, RDF.type, SDO.Person))
            s.add((P, FOAF.name, Literal(person.name)))
            for other in person.other_names:
                s.add((P, SDO.alternateName, Literal(other)))
            for h in sorted(honorifics.get(person.slug, ())):
                s.add((P, SDO.honorificPrefix, Literal(h)))
        for c in ids.candidates:
            X = self.iri(f"candidate-match/{c.slug}")
            s.add((X, RDF.type, SQS.CandidateMatch))
            s.add((X, RDF.type, PROV.Entity))
            s.add((X, SQS.candidate, self.iri(f"person/{c.a}")))
            s.add((X, SQS.candidate, self.iri(f"person/{c.b}")))
            s.add((X, SQS.evidence, Literal(c.evidence)))
        for name, label in (("counts", "Counts of cases stated in SQS findings"), ("reoffending", "Published reoffending rates quoted in SQS reports")):
            D = self.iri(f"dataset/{name}")
            s.add((D, RDF.type, QB.DataSet))
            s.add((D, DCTERMS.title, Literal(label, lang="en")))

    def _ontology(self) -> None:
        g = self.ds.graph(self.iri("graph/ontology"))
        for name in ONTOLOGY_FILES:
            g.parse(data=ontology_path(name).read_text(encoding="utf-8"), format="turtle")


def _comparator_area(label: str | None) -> str:
    """The place a comparator rate is for: "England and Wales average" -> "England and Wales"."""
    if not label:
        return NATIONAL_COMPARATOR
    words = [w for w in label.split() if w.lower() not in {"the", "average", "rate", "national", "mean"}]
    return " ".join(words) or NATIONAL_COMPARATOR


__all__ = ["Mapped", "date_literal", "map_reports", "map_reports_with_notes", "report_id"]
