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
from decimal import Decimal
from typing import TypeVar

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib import namespace as ns

from ..read.model import Proportion, Quote, Report, Span
from . import organisations as orgs
from . import vocab
from .areacodes import STATISTICAL_GEOGRAPHY, AreaCodes, CodedAreas, area_key
from .datasets import new_dataset
from .identity import (
    Identities,
    Mention,
    Overrides,
    resolve_identities,
    slug,
    split_honorific,
)
from .organisations import Context, Org, Post, Role
from .provenance import Triple, source_iri, source_triples, span_triples
from .terms import Terms, integer, iri, text
from .vocab import (
    DEFAULT_BASE,
    ONTOLOGY_FILES,
    ORGANISATIONS_FILE,
    bind_prefixes,
    normalise_base,
    ontology_path,
)

_mint = iri  # shared_triples has an iri() of its own
_V = TypeVar("_V")

# namespaces whose terms are looked up once (see terms.py: the mapper names them ~1,300 times a report)
DCTERMS, FOAF, ORG, PROV, QB = Terms(ns.DCTERMS), Terms(ns.FOAF), Terms(ns.ORG), Terms(ns.PROV), Terms(ns.QB)
RDF, SDO, SKOS, TIME, XSD = Terms(ns.RDF), Terms(ns.SDO), Terms(ns.SKOS), Terms(ns.TIME), Terms(ns.XSD)
ORGTYPE, ROLE, SDMX_DIMENSION = Terms(vocab.ORGTYPE), Terms(vocab.ROLE), Terms(vocab.SDMX_DIMENSION)
SQS, THEME, COUNT = Terms(vocab.SQS), Terms(vocab.THEME), Terms(vocab.COUNT)

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


def graph_iri(base: str, rid: str) -> URIRef:
    """The named graph of one report."""
    return URIRef(f"{base}graph/{rid}")


def shared_graph_iri(base: str) -> URIRef:
    return URIRef(f"{base}graph/shared")


def ontology_graph_iri(base: str) -> URIRef:
    return URIRef(f"{base}graph/ontology")


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


# ----------------------------------------------------------------- who is named where


@dataclass(frozen=True)
class Slot:
    """How a person is named in a report: the mention's place, with the posts it names."""

    honorific: str | None
    span: Span | None
    posts: tuple[Post, ...]
    qualifier: str | None
    how: str  # "addressee" | "author" | "lead-inspector" | "copy"


@dataclass(frozen=True)
class ReportPeople:
    """Everyone one report names, in order: ``mentions[i]`` and ``slots[i]`` are one naming."""

    rid: str
    mentions: tuple[Mention, ...]
    slots: tuple[Slot, ...]
    warnings: tuple[str, ...]  # "path: problem" about the posts named


def collect_people(r: Report, rid: str) -> ReportPeople:
    """The mentions of persons in ``r`` (for the identity rules) and how each is named."""
    ctx = Context(r.area, r.body)
    date = r.publication_date or ""
    mentions: list[Mention] = []
    slots: list[Slot] = []
    warnings: list[str] = []

    def add(name: str, honorific: str | None, span: Span | None, posts: Sequence[Post], qualifier: str | None, how: str,
            roles: Iterable[str], organisations: Iterable[str], described: str) -> None:
        found_honorific, bare = split_honorific(name)
        mentions.append(
            Mention(
                report=rid,
                order=(date, len(mentions)),
                name=bare,
                organisations=frozenset(organisations),
                roles=frozenset(x for x in roles if x != orgs.CONTACT_ROLE),
                described_as=described,
            )
        )
        slots.append(Slot(honorific or found_honorific, span, tuple(posts), qualifier, how))

    def warned(posts: list[Post]) -> list[Post]:
        for p in posts:
            line = f"{r.source.path}: {p.warning}"
            if p.warning and line not in warnings:
                warnings.append(line)
        return posts

    def described(posts: Sequence[Post]) -> str:
        return " and ".join(f"{p.title or p.role.label} ({p.org.label})" for p in posts)

    if r.addressee is not None:
        posts = warned(orgs.resolve_posts(r.addressee.post, ctx)) if r.addressee.post else []
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
        posts = warned(orgs.resolve_posts(entry.post, ctx))
        for h in entry.holders:
            add(h.name, h.honorific, h.span, posts, h.qualifier, "copy",
                (p.role.id for p in posts), (p.org.root for p in posts), described(posts))
    return ReportPeople(rid, tuple(mentions), tuple(slots), tuple(warnings))


def person_honorifics(per_report: Iterable[Sequence[str | None]], identities: Identities) -> dict[str, set[str]]:
    """person slug -> the honorifics ("Councillor", "Dr") written before their name anywhere;
    ``per_report``: each report's honorific (or None) for each of its mentions, in order."""
    out: dict[str, set[str]] = {}
    offset = 0
    for honorifics in per_report:
        for i, honorific in enumerate(honorifics):
            if honorific:
                out.setdefault(identities.person_of[offset + i], set()).add(honorific)
        offset += len(honorifics)
    return out


# ----------------------------------------------------------------- shared entities


@dataclass(frozen=True)
class SlotHolding:
    """A post a report names someone in: the person is the one its mention ``slot`` (the place
    in ``ReportPeople.slots``) was resolved to."""

    slot: int
    post: str  # Post.key
    org: str  # the post's Org.key


def report_holdings(people: ReportPeople) -> tuple[SlotHolding, ...]:
    """The posts a report names its people in, in the order it names them."""
    return tuple(SlotHolding(i, post.key, post.org.key) for i, slot in enumerate(people.slots) for post in slot.posts)


def holding_triples(holdings: Iterable[tuple[str, str, str]], base: str = DEFAULT_BASE) -> list[Triple]:
    """Who holds which post, from (person slug, post key, organisation key): the statements a
    report makes about shared nodes (part of its named graph, and once in the head of a triples
    document)."""
    base = normalise_base(base)
    out: list[Triple] = []
    for person, post, org in holdings:
        P, T, O = iri(f"{base}person/{person}"), iri(f"{base}post/{post}"), iri(f"{base}org/{org}")
        out += ((P, ORG.holds, T), (T, ORG.heldBy, P), (P, ORG.memberOf, O))
    return out


def report_facts(r: Report, people: ReportPeople) -> SharedFacts:
    """What one report adds to the shared graph: the publisher, its area and inspected body, the
    posts its people are named in (with their organisations and minted roles) and the comparator
    area of its reoffending rates. Known as soon as the report is parsed, before anyone's
    identity is decided, so that the shared graph can be made while the reports are mapped."""
    facts = SharedFacts()
    facts.org(orgs.publisher())
    if r.area:
        facts.area(r.area)
    body = orgs.inspected_body(Context(r.area, r.body))
    if body is not None and r.body is not None:
        facts.org(body)
    for slot in people.slots:
        for post in slot.posts:
            facts.post(post)
    if r.reoffending is not None:
        facts.area(_comparator_area(r.reoffending.comparator))
    return facts


@dataclass
class SharedFacts:
    """What reports say about entities shared across reports. Merging keeps the first wording
    met (in report order) and collects every label, so the shared graph does not depend on how
    the reports were split between workers."""

    orgs: dict[str, Org] = field(default_factory=dict)
    org_labels: dict[str, set[str]] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    post_titles: dict[str, set[str]] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # slug -> label

    def merge(self, other: SharedFacts) -> None:
        _keep_first(self.orgs, other.orgs)
        _keep_first(self.posts, other.posts)
        _keep_first(self.roles, other.roles)
        _keep_first(self.areas, other.areas)
        for mine_sets, their_sets in ((self.org_labels, other.org_labels), (self.post_titles, other.post_titles)):
            for k, labels in their_sets.items():
                mine_sets.setdefault(k, set()).update(labels)

    def canonical(self) -> tuple[object, ...]:
        """The facts with every set sorted, for digests (a set's order varies by process)."""
        return (
            sorted(self.orgs.items()),
            sorted((k, sorted(v)) for k, v in self.org_labels.items()),
            sorted(self.posts.items()),
            sorted((k, sorted(v)) for k, v in self.post_titles.items()),
            sorted(self.roles.items()),
            sorted(self.areas.items()),
        )

    def org(self, org: Org) -> None:
        if org.unit_of and org.unit_of not in self.orgs:
            self.org(orgs.catalogue().body(org.unit_of))
        if org.part_of and org.part_of not in self.orgs and org.area:
            self.org(orgs.local_authority(org.area))
        self.orgs.setdefault(org.key, org)
        self.org_labels.setdefault(org.key, set()).add(org.label)
        if org.alt_label:
            self.org_labels[org.key].add(org.alt_label)

    def post(self, post: Post) -> None:
        self.org(post.org)
        self.posts.setdefault(post.key, post)
        self.post_titles.setdefault(post.key, set()).add(post.title or post.role.label)
        if post.role.minted:
            self.roles.setdefault(post.role.id, post.role)

    def area(self, label: str) -> str:
        key = slug(label)
        self.areas.setdefault(key, label)
        return key

    def area_labels(self) -> dict[str, str]:
        """Every area, by slug: those the reports name and those organisations serve."""
        areas = dict(self.areas)
        for org in self.orgs.values():
            if org.area:
                areas.setdefault(slug(org.area), org.area)
        return areas


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


def _keep_first(mine: dict[str, _V], theirs: dict[str, _V]) -> None:
    """``theirs`` added to ``mine`` where ``mine`` has no value yet."""
    for k, v in theirs.items():
        mine.setdefault(k, v)


class _Triples(list):  # type: ignore[type-arg]
    """A list of triples with the one method of a Graph the mapping needs."""

    add = list.append


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

    def _people(self, g: _Triples, R: URIRef, I: URIRef, interval: URIRef, people: ReportPeople,
                person_slugs: Sequence[str]) -> None:
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
        for kind, cls, items in (("strength", SQS.KeyStrength, r.key_strengths), ("improvement", SQS.AreaForImprovement, r.areas_for_improvement)):
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

    def _finding(self, g: _Triples, R: URIRef, F: URIRef, cls: URIRef, A: URIRef | None, finding_text: str, span: Span,
                 quotes: tuple[Quote, ...], proportions: tuple[Proportion, ...]) -> None:
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


def shared_triples(facts: SharedFacts, ids: Identities, honorifics: dict[str, set[str]], coded: CodedAreas | None = None,
                   base: str = DEFAULT_BASE) -> list[Triple]:
    """The shared graph: areas (with their ONS codes, ``coded``), organisations, posts, minted
    roles, persons, candidate matches and the two statistical data sets, from the facts of all
    reports merged."""
    base = normalise_base(base)
    out = _Triples()
    s = out

    def iri(path: str) -> URIRef:
        return _mint(base + path)

    for key, label in sorted(facts.area_labels().items()):
        A = iri(f"area/{key}")
        s.add((A, RDF.type, SDO.AdministrativeArea))
        s.add((A, SKOS.prefLabel, text(label)))
        for code in coded.codes.get(area_key(label), ()) if coded is not None else ():
            s.add((A, SKOS.exactMatch, _mint(STATISTICAL_GEOGRAPHY + code)))
            s.add((A, SQS.gssCode, text(code)))
    national = Graph()
    national.parse(data=ontology_path(ORGANISATIONS_FILE).read_text(encoding="utf-8"), format="turtle", publicID=base)
    for key, org in sorted(facts.orgs.items()):
        O = iri(f"org/{org.key}")
        if org.national and org.unit_of is None:
            for _, p, o in sorted(national.triples((O, None, None)), key=_statement_key):  # a Graph's order varies by run
                s.add((O, p, o))
            continue
        s.add((O, RDF.type, ORG.Organization))
        s.add((O, RDF.type, SDO.GovernmentOrganization))
        s.add((O, SKOS.prefLabel, text(org.label)))
        for alt in sorted(facts.org_labels[key] - {org.label}):
            s.add((O, SKOS.altLabel, text(alt)))
        if org.kind:
            s.add((O, ORG.classification, ORGTYPE[org.kind]))
        if org.unit_of:
            s.add((O, RDF.type, ORG.OrganizationalUnit))
            s.add((O, ORG.unitOf, iri(f"org/{org.unit_of}")))
            s.add((iri(f"org/{org.unit_of}"), ORG.hasUnit, O))
        if org.part_of:
            s.add((O, ORG.subOrganizationOf, iri(f"org/{org.part_of}")))
            s.add((iri(f"org/{org.part_of}"), ORG.hasSubOrganization, O))
        if org.linked_to:
            s.add((O, ORG.linkedTo, iri(f"org/{org.linked_to}")))
        if org.area:
            s.add((O, SDO.areaServed, iri(f"area/{slug(org.area)}")))
    for key, post in sorted(facts.posts.items()):
        T = iri(f"post/{key}")
        titles = sorted(facts.post_titles[key])
        label = post.title or post.role.label
        s.add((T, RDF.type, ORG.Post))
        s.add((T, SKOS.prefLabel, text(label)))
        for alt in titles:
            if alt != label:
                s.add((T, SKOS.altLabel, text(alt)))
        s.add((T, ORG.postIn, iri(f"org/{post.org.key}")))
        s.add((iri(f"org/{post.org.key}"), ORG.hasPost, T))
        s.add((T, ORG.role, ROLE[post.role.id]))
    for rid_, role in sorted(facts.roles.items()):
        C = ROLE[rid_]
        s.add((C, RDF.type, SKOS.Concept))
        s.add((C, SKOS.inScheme, ROLE.scheme))
        s.add((C, SKOS.prefLabel, Literal(role.label, lang="en")))
        if role.broader:
            s.add((C, SKOS.broader, ROLE[role.broader]))
    for person in ids.persons:
        P = iri(f"person/{person.slug}")
        s.add((P, RDF.type, FOAF.Person))
        s.add((P, RDF.type, SDO.Person))
        s.add((P, FOAF.name, text(person.name)))
        for other in person.other_names:
            s.add((P, SDO.alternateName, text(other)))
        for h in sorted(honorifics.get(person.slug, ())):
            s.add((P, SDO.honorificPrefix, text(h)))
    for c in ids.candidates:
        X = iri(f"candidate-match/{c.slug}")
        s.add((X, RDF.type, SQS.CandidateMatch))
        s.add((X, RDF.type, PROV.Entity))
        s.add((X, SQS.candidate, iri(f"person/{c.a}")))
        s.add((X, SQS.candidate, iri(f"person/{c.b}")))
        s.add((X, SQS.evidence, text(c.evidence)))
    for name, label in (("counts", "Counts of cases stated in SQS findings"), ("reoffending", "Published reoffending rates quoted in SQS reports")):
        D = iri(f"dataset/{name}")
        s.add((D, RDF.type, QB.DataSet))
        s.add((D, DCTERMS.title, Literal(label, lang="en")))
    return list(dict.fromkeys(out))


def ontology_triples() -> list[Triple]:
    """The ontology and SKOS schemes of ``ontology/``, in a fixed order (a Graph's varies by run)."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(data=ontology_path(name).read_text(encoding="utf-8"), format="turtle")
    return sorted(g, key=_statement_key)  # type: ignore[arg-type]


def _statement_key(t: tuple) -> tuple[str, str, str]:  # type: ignore[type-arg]
    return (str(t[0]), str(t[1]), t[2].n3())


def _comparator_area(label: str | None) -> str:
    """The place a comparator rate is for: "England and Wales average" -> "England and Wales"."""
    if not label:
        return NATIONAL_COMPARATOR
    words = [w for w in label.split() if w.lower() not in {"the", "average", "rate", "national", "mean"}]
    return " ".join(words) or NATIONAL_COMPARATOR


__all__ = [
    "Mapped",
    "ReportGraph",
    "ReportPeople",
    "SharedFacts",
    "Slot",
    "SlotHolding",
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
