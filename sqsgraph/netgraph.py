"""From the RDF dataset to networkx graphs of the kinds of node the views and analytics show.

Reads the graph only (the contract in docs/graph-model.md), never report text. Three graphs:

``entity_graph``
    reports, areas, inspected bodies, other organisations and people, with their links
    (report → area, report → body, report → person as author, addressee, copy-list holder or
    lead inspector, person → organisation through a post, body → area, unit → organisation).
``people_graph``
    people only, joined when they share a report or an organisation.
``findings_graph``
    areas → themes (and "key strengths" / "areas for improvement") → findings, as a tree.

Every node carries ``kind``, ``label``, ``iri``, ``facts`` (pairs of name and value, for the
details panel) and ``spans`` (where in which report the thing is stated). Every edge carries
``rels``: the relations it stands for, as short phrases. Nodes and edges are added in sorted
order so the same dataset always gives the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS

SQS = Namespace("https://w3id.org/sqsgraph/ontology#")
SDO = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

#: The kinds of node, in legend order.
KINDS = ("area", "report", "body", "organisation", "person", "theme", "finding", "strength", "improvement")

KIND_NAMES = {
    "area": "Area",
    "report": "Report",
    "body": "Inspected body",
    "organisation": "Organisation",
    "person": "Person",
    "theme": "Theme",
    "finding": "Finding",
    "strength": "Key strength",
    "improvement": "Area for improvement",
}

#: How long a finding's label may be before it is cut (the full text is in the details).
SHORT_LABEL = 48


@dataclass
class _Node:
    kind: str
    label: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    spans: list[dict[str, str]] = field(default_factory=list)


def union_graph(dataset: Dataset | Graph) -> Graph:
    """A graph that sees every statement of ``dataset``, whatever graph it is in."""
    if isinstance(dataset, Dataset) and not dataset.default_union:
        union = Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return dataset


def _first(g: Graph, s: URIRef, *preds: URIRef) -> str | None:
    for p in preds:
        values = sorted(str(o) for o in g.objects(s, p))
        if values:
            return values[0]
    return None


def _all(g: Graph, s: URIRef, p: URIRef) -> list[str]:
    return sorted({str(o) for o in g.objects(s, p)})


def _local_name(iri: str) -> str:
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail.replace("-", " ").strip().capitalize() or iri


def label_of(g: Graph, s: URIRef) -> str:
    """The readable name of ``s``: prefLabel, foaf:name, rdfs:label, title, or its IRI's tail."""
    found = _first(g, s, SKOS.prefLabel, FOAF.name, RDFS.label, DCTERMS.title)
    return " ".join(found.split()) if found else _local_name(str(s))


def shorten(text: str, limit: int = SHORT_LABEL) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (with …)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] if " " in flat[: limit - 1] else flat[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def _subjects(g: Graph, *classes: URIRef) -> list[URIRef]:
    found: set[URIRef] = set()
    for c in classes:
        found.update(s for s in g.subjects(RDF.type, c) if isinstance(s, URIRef))
    return sorted(found, key=str)


class _Reader:
    """Resolves the facts the views need from one union graph, with small caches."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self.reports = _subjects(g, SDO.Report)
        self.report_of_source: dict[str, URIRef] = {}
        for r in self.reports:
            for src in g.objects(r, PROV.wasDerivedFrom):
                self.report_of_source[str(src)] = r
        self._report_set = set(self.reports)
        self._labels: dict[URIRef, str] = {}

    def label(self, s: URIRef) -> str:
        if s not in self._labels:
            self._labels[s] = self.report_label(s) if s in self._report_set else label_of(self.g, s)
        return self._labels[s]

    def report_label(self, r: URIRef) -> str:
        areas = [label_of(self.g, a) for a in sorted(self.g.objects(r, SQS.area), key=str)]
        issued = _first(self.g, r, DCTERMS.issued)
        parts = [", ".join(areas) if areas else None, issued]
        text = " ".join(p for p in parts if p)
        return f"Report {text}" if text else label_of(self.g, r)

    def span(self, span_iri: URIRef, paragraph: str | None = None, report: URIRef | None = None) -> dict[str, str]:
        """Report, paragraph, position and quoted text of one oa:SpecificResource."""
        g = self.g
        info: dict[str, str] = {}
        source = next(iter(sorted(g.objects(span_iri, OA.hasSource), key=str)), None)
        if report is None and source is not None:
            report = self.report_of_source.get(str(source))
        if report is not None:
            info["report"] = self.label(report)
        if source is not None:
            file_name = _first(g, source, DCTERMS.identifier)
            if file_name:
                info["file"] = file_name
        if paragraph:
            info["paragraph"] = paragraph
        for sel in sorted(g.objects(span_iri, OA.hasSelector), key=str):
            start, end = _first(g, sel, OA.start), _first(g, sel, OA.end)
            if start is not None and end is not None:
                info["position"] = f"characters {start}–{end}"
            exact = _first(g, sel, OA.exact)
            if exact is not None:
                info["quote"] = exact
        return info

    def spans_of(self, s: URIRef, paragraph: str | None = None, report: URIRef | None = None) -> list[dict[str, str]]:
        return [self.span(sp, paragraph, report) for sp in sorted(self.g.objects(s, SQS.textSpan), key=str)]


def _add_edge(edges: dict[tuple[str, str], set[str]], a: URIRef, b: URIRef, rel: str) -> None:
    if a == b:
        return
    key = (str(a), str(b)) if str(a) < str(b) else (str(b), str(a))
    edges[key].add(rel)


def _to_nx(nodes: dict[str, _Node], edges: dict[tuple[str, str], set[str]]) -> nx.Graph:
    G = nx.Graph()
    for iri in sorted(nodes):
        n = nodes[iri]
        G.add_node(iri, kind=n.kind, label=n.label, iri=iri, facts=tuple(n.facts), spans=tuple(n.spans))
    for a, b in sorted(edges):
        if a in nodes and b in nodes:
            G.add_edge(a, b, rels=tuple(sorted(edges[(a, b)])))
    return G


def entity_graph(dataset: Dataset | Graph) -> nx.Graph:
    """Reports, areas, inspected bodies, organisations and people, with their links."""
    g = union_graph(dataset)
    rd = _Reader(g)
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    reports_of: dict[URIRef, set[URIRef]] = defaultdict(set)

    bodies: set[URIRef] = set()
    for r in rd.reports:
        bodies.update(o for o in g.objects(r, SDO.about) if isinstance(o, URIRef))
        for insp in g.objects(r, SQS.inspection):
            bodies.update(o for o in g.objects(insp, SQS.inspectedBody) if isinstance(o, URIRef))

    for a in _subjects(g, SDO.AdministrativeArea):
        nodes[str(a)] = _Node("area", rd.label(a), [("Area", rd.label(a))])
    for o in _subjects(g, ORG.Organization, ORG.OrganizationalUnit, SDO.GovernmentOrganization) + sorted(bodies, key=str):
        if str(o) in nodes:
            continue
        kind = "body" if o in bodies else "organisation"
        facts = [("Name", rd.label(o))]
        facts += [("Also called", alt) for alt in _all(g, o, SKOS.altLabel)]
        facts += [("Kind", _local_name(c)) for c in _all(g, o, ORG.classification)]
        for parent in sorted(set(g.objects(o, ORG.subOrganizationOf)) | set(g.objects(o, ORG.unitOf)), key=str):
            facts.append(("Part of", rd.label(parent)))
            _add_edge(edges, o, parent, "part of")
        for area in sorted(g.objects(o, SDO.areaServed), key=str):
            facts.append(("Serves", rd.label(area)))
            _add_edge(edges, o, area, "serves")
        nodes[str(o)] = _Node(kind, rd.label(o), facts)

    people = _subjects(g, FOAF.Person, SDO.Person)
    for r in rd.reports:
        facts = [("Title", label_of(g, r))]
        issued = _first(g, r, DCTERMS.issued)
        if issued:
            facts.append(("Published", issued))
        for area in sorted(g.objects(r, SQS.area), key=str):
            facts.append(("Area", rd.label(area)))
            _add_edge(edges, r, area, "report on area")
        about = sorted(set(g.objects(r, SDO.about)), key=str)
        for insp in sorted(g.objects(r, SQS.inspection), key=str):
            start, end = _first(g, insp, SQS.startDate), _first(g, insp, SQS.endDate)
            if start:
                facts.append(("Inspection", f"{start} to {end}" if end else start))
            cases = _first(g, insp, SQS.casesExamined)
            if cases:
                facts.append(("Cases examined", cases))
            about += [b for b in sorted(g.objects(insp, SQS.inspectedBody), key=str) if b not in about]
            for lead in sorted(g.objects(insp, PROV.wasAssociatedWith), key=str):
                _add_edge(edges, r, lead, "lead inspector")
                reports_of[lead].add(r)
        for body in about:
            facts.append(("Inspected body", rd.label(body)))
            _add_edge(edges, r, body, "inspects")
        for pub in sorted(g.objects(r, DCTERMS.publisher), key=str):
            facts.append(("Publisher", rd.label(pub)))
            _add_edge(edges, r, pub, "published by")
        for pred, rel in ((DCTERMS.creator, "author (From)"), (SDO.recipient, "addressee (To)"),
                          (SDO.ccRecipient, "copy list")):
            for person in sorted(g.objects(r, pred), key=str):
                _add_edge(edges, r, person, rel)
                reports_of[person].add(r)
        for src in sorted(g.objects(r, PROV.wasDerivedFrom), key=str):
            name = _first(g, src, DCTERMS.identifier)
            if name:
                facts.append(("Source file", name))
        nodes[str(r)] = _Node("report", rd.label(r), facts)

    posts_of: dict[URIRef, list[tuple[str, str]]] = defaultdict(list)
    spans_of: dict[URIRef, list[dict[str, str]]] = defaultdict(list)
    for m in _subjects(g, ORG.Membership):
        person = next(iter(sorted(g.objects(m, ORG.member), key=str)), None)
        organisation = next(iter(sorted(g.objects(m, ORG.organization), key=str)), None)
        if person is None:
            continue
        post = next(iter(sorted(g.objects(m, SQS.post), key=str)), None)
        post_label = rd.label(post) if post is not None else "member"
        qualifier = _first(g, m, SQS.qualifier)
        if qualifier:
            post_label = f"{post_label} ({qualifier})"
        report = next(iter(sorted(g.objects(m, SQS.attestedBy), key=str)), None)
        if organisation is not None:
            _add_edge(edges, person, organisation, post_label)
            posts_of[person].append((post_label, rd.label(organisation)))
        spans_of[person] += rd.spans_of(m, report=report)
    for person in people:
        for post in sorted(g.objects(person, ORG.holds), key=str):
            for organisation in sorted(g.objects(post, ORG.postIn), key=str):
                _add_edge(edges, person, organisation, rd.label(post))
                posts_of[person].append((rd.label(post), rd.label(organisation)))
    for person in people:
        facts = [("Name", rd.label(person))]
        facts += [("Title", h) for h in _all(g, person, SDO.honorificPrefix)]
        facts += [("Post", f"{post}, {org}") for post, org in sorted(set(posts_of[person]))]
        facts += [("Named in", rd.label(r)) for r in sorted(reports_of[person], key=str)]
        areas = sorted({rd.label(a) for r in reports_of[person] for a in g.objects(r, SQS.area)})
        if areas:
            facts.append(("Areas", ", ".join(areas)))
        unique_spans = {tuple(sorted(s.items())): s for s in spans_of[person]}
        nodes[str(person)] = _Node("person", rd.label(person), facts, [unique_spans[k] for k in sorted(unique_spans)])
    return _to_nx(nodes, edges)


def areas_by_person(G: nx.Graph) -> dict[str, set[str]]:
    """Areas of the reports each person of an entity graph is linked to."""
    result: dict[str, set[str]] = {}
    for n, data in G.nodes(data=True):
        if data["kind"] != "person":
            continue
        areas: set[str] = set()
        for r in G.neighbors(n):
            if G.nodes[r]["kind"] == "report":
                areas.update(G.nodes[a]["label"] for a in G.neighbors(r) if G.nodes[a]["kind"] == "area")
        result[n] = areas
    return result


def people_graph(G: nx.Graph) -> nx.Graph:
    """People of an entity graph, joined when they share a report or an organisation.

    Each edge's ``rels`` names what they share ("report: …", "organisation: …").
    """
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for hub, data in sorted(G.nodes(data=True)):
        if data["kind"] not in ("report", "organisation", "body"):
            continue
        members = sorted(p for p in G.neighbors(hub) if G.nodes[p]["kind"] == "person")
        what = "report" if data["kind"] == "report" else "organisation"
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                shared[(a, b)].add(f"{what}: {data['label']}")
    P = nx.Graph()
    for n, data in sorted(G.nodes(data=True)):
        if data["kind"] == "person":
            P.add_node(n, **data)
    for (a, b) in sorted(shared):
        P.add_edge(a, b, rels=tuple(sorted(shared[(a, b)])))
    return P


def findings_graph(dataset: Dataset | Graph) -> nx.Graph:
    """A tree: areas → themes (and key strengths, areas for improvement) → findings."""
    g = union_graph(dataset)
    rd = _Reader(g)
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    strength_types = {SQS.KeyStrength}
    improvement_types = {SQS.AreaForImprovement}
    findings = _subjects(g, SQS.Finding, SQS.KeyStrength, SQS.AreaForImprovement)
    for f in findings:
        types = set(g.objects(f, RDF.type))
        kind = "strength" if types & strength_types else "improvement" if types & improvement_types else "finding"
        report = next(iter(sorted(g.objects(f, DCTERMS.isPartOf), key=str)), None)
        if report is None:
            report = next(iter(sorted(g.subjects(SQS.hasFinding, f), key=str)), None)
        areas = sorted(g.objects(report, SQS.area), key=str) if report is not None else []
        area = areas[0] if areas else None
        area_key = str(area) if area is not None else "urn:sqsgraph:no-area"
        if area_key not in nodes:
            area_label = rd.label(area) if area is not None else "No area recorded"
            nodes[area_key] = _Node("area", area_label, [("Area", area_label)])
        text = " ".join((_first(g, f, SDO.text) or "").split())
        paragraph = _first(g, f, SQS.paragraphNumber)
        if kind == "finding":
            subject = next(iter(sorted(g.objects(f, DCTERMS.subject), key=str)), None)
            group_name = rd.label(subject) if subject is not None else "No theme recorded"
            group_key = f"{area_key}#theme/{subject}"
        else:
            group_name = "Key strengths" if kind == "strength" else "Areas for improvement"
            group_key = f"{area_key}#{kind}"
        if group_key not in nodes:
            nodes[group_key] = _Node("theme", group_name, [("Theme", group_name), ("Area", nodes[area_key].label)])
            _add_edge(edges, URIRef(area_key), URIRef(group_key), "theme in area")
        short = shorten(text) if text else _local_name(str(f))
        label = f"{paragraph} {short}" if paragraph else short
        facts = [("Kind", KIND_NAMES[kind])]
        if report is not None:
            facts.append(("Report", rd.label(report)))
        facts.append(("Theme" if kind == "finding" else "Section", group_name))
        if paragraph:
            facts.append(("Paragraph", paragraph))
        if text:
            facts.append(("Text", text))
        for q in sorted(g.objects(f, SQS.hasQuote), key=str):
            quote = _first(g, q, SDO.text, OA.exact, RDF.value)
            if quote:
                facts.append(("Inspector quoted", quote))
        for obs in sorted(g.objects(f, SQS.hasObservation), key=str):
            phrase = _first(g, obs, SQS.phrase)
            num, den = _first(g, obs, SQS.numerator), _first(g, obs, SQS.denominator)
            if num is not None and den is not None:
                facts.append(("Count", f"{num} of {den}" + (f" (“{phrase}”)" if phrase else "")))
        nodes[str(f)] = _Node(kind, label, facts, rd.spans_of(f, paragraph, report))
        _add_edge(edges, URIRef(group_key), f, KIND_NAMES[kind].lower())
    return _to_nx(nodes, edges)


def kind_counts(G: nx.Graph, kinds: Iterable[str] = KINDS) -> dict[str, int]:
    """Number of nodes of each kind (every kind listed, zero included)."""
    counts = dict.fromkeys(kinds, 0)
    for _n, k in G.nodes(data="kind"):
        counts[k] = counts.get(k, 0) + 1
    return counts


__all__ = [
    "KINDS",
    "KIND_NAMES",
    "areas_by_person",
    "entity_graph",
    "findings_graph",
    "kind_counts",
    "label_of",
    "people_graph",
    "shorten",
    "union_graph",
]
