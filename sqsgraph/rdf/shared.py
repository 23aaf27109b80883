"""The shared graph: what several reports state about the same organisations, posts, areas and
persons (each report's contribution, merged), and the ontology graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from ..read.model import Report
from . import organisations as orgs
from .areacodes import STATISTICAL_GEOGRAPHY, CodedAreas, area_key
from .identity import (
    Identities,
    slug,
)
from .mentions import ReportPeople
from .names import (
    DCTERMS,
    FOAF,
    ORG,
    ORGTYPE,
    PROV,
    QB,
    RDF,
    ROLE,
    SDO,
    SKOS,
    SQS,
    _comparator_area,
    _keep_first,
    _mint,
    _Triples,
)
from .organisations import Context, Org, Post, Role
from .provenance import Triple
from .terms import iri, text
from .vocab import (
    DEFAULT_BASE,
    ONTOLOGY_FILES,
    ORGANISATIONS_FILE,
    normalise_base,
    ontology_path,
)


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


def shared_triples(
    facts: SharedFacts,
    ids: Identities,
    honorifics: dict[str, set[str]],
    coded: CodedAreas | None = None,
    base: str = DEFAULT_BASE,
) -> list[Triple]:
    """The shared graph: areas (with their ONS codes, ``coded``), organisations, posts, minted
    roles, persons, candidate matches and the two statistical data sets, from the facts of all
    reports merged."""
    base = normalise_base(base)
    s = _Triples()

    def iri(path: str) -> URIRef:
        return _mint(base + path)

    _area_triples(s, facts, coded, iri)
    _organisation_triples(s, facts, base, iri)
    _post_triples(s, facts, iri)
    _role_triples(s, facts)
    _person_triples(s, ids, honorifics, iri)
    for c in ids.candidates:
        X = iri(f"candidate-match/{c.slug}")
        s.add((X, RDF.type, SQS.CandidateMatch))
        s.add((X, RDF.type, PROV.Entity))
        s.add((X, SQS.candidate, iri(f"person/{c.a}")))
        s.add((X, SQS.candidate, iri(f"person/{c.b}")))
        s.add((X, SQS.evidence, text(c.evidence)))
    for name, label in (
        ("counts", "Counts of cases stated in SQS findings"),
        ("reoffending", "Published reoffending rates quoted in SQS reports"),
    ):
        D = iri(f"dataset/{name}")
        s.add((D, RDF.type, QB.DataSet))
        s.add((D, DCTERMS.title, Literal(label, lang="en")))
    return list(dict.fromkeys(s))


_Minter = Callable[[str], URIRef]  # the IRI of a path under the base


def _area_triples(s: _Triples, facts: SharedFacts, coded: CodedAreas | None, iri: _Minter) -> None:
    """Each area, with its ONS codes."""
    for key, label in sorted(facts.area_labels().items()):
        A = iri(f"area/{key}")
        s.add((A, RDF.type, SDO.AdministrativeArea))
        s.add((A, SKOS.prefLabel, text(label)))
        for code in coded.codes.get(area_key(label), ()) if coded is not None else ():
            s.add((A, SKOS.exactMatch, _mint(STATISTICAL_GEOGRAPHY + code)))
            s.add((A, SQS.gssCode, text(code)))


def _organisation_triples(s: _Triples, facts: SharedFacts, base: str, iri: _Minter) -> None:
    """Each organisation: a national one as the bundled organisations file describes it, any
    other from the reports' facts, with its units, parents and links."""
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


def _post_triples(s: _Triples, facts: SharedFacts, iri: _Minter) -> None:
    """Each post, its titles, the organisation it is in and its role."""
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


def _role_triples(s: _Triples, facts: SharedFacts) -> None:
    """Each role minted from the reports' wording, in the roles' scheme."""
    for rid_, role in sorted(facts.roles.items()):
        C = ROLE[rid_]
        s.add((C, RDF.type, SKOS.Concept))
        s.add((C, SKOS.inScheme, ROLE.scheme))
        s.add((C, SKOS.prefLabel, Literal(role.label, lang="en")))
        if role.broader:
            s.add((C, SKOS.broader, ROLE[role.broader]))


def _person_triples(s: _Triples, ids: Identities, honorifics: dict[str, set[str]], iri: _Minter) -> None:
    """Each person, their other names and their honorifics."""
    for person in ids.persons:
        P = iri(f"person/{person.slug}")
        s.add((P, RDF.type, FOAF.Person))
        s.add((P, RDF.type, SDO.Person))
        s.add((P, FOAF.name, text(person.name)))
        for other in person.other_names:
            s.add((P, SDO.alternateName, text(other)))
        for h in sorted(honorifics.get(person.slug, ())):
            s.add((P, SDO.honorificPrefix, text(h)))


def ontology_triples() -> list[Triple]:
    """The ontology and SKOS schemes of ``ontology/``, in a fixed order (a Graph's varies by run)."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(data=ontology_path(name).read_text(encoding="utf-8"), format="turtle")
    return sorted(g, key=_statement_key)  # type: ignore[arg-type]


def _statement_key(t: tuple) -> tuple[str, str, str]:  # type: ignore[type-arg]
    return (str(t[0]), str(t[1]), t[2].n3())
