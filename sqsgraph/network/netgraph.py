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

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SDO, SKOS
from rdflib.term import Node

from ..rdf.vocab import COUNT, OA, SDMX_DIMENSION, SQS

SDMX_REF_AREA = SDMX_DIMENSION.refArea

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


class UnionGraph(Protocol):
    """The two questions the networks ask of every statement of a dataset, whatever graph it is
    in: an rdflib ``Graph`` answers them, and ``storeview.StoreGraph`` for a pyoxigraph ``Store``."""

    def objects(self, subject: Node, predicate: Node, /) -> Iterator[Node]: ...

    def subjects(self, predicate: Node, obj: Node, /) -> Iterator[Node]: ...


#: What the networks are read from: an rdflib ``Dataset`` or ``Graph``, or a pyoxigraph ``Store``
#: (the on-disk query store; see ``storeview``), or a ``union_graph`` of one of them.
Source = Dataset | Graph | ox.Store | UnionGraph

#: A node's details list at most this many posts and reports, and the source passages of at most
#: ``MAX_SPANS`` of a person's mentions (the first by IRI, among the first ``MAX_LISTED`` the graph
#: gives: a national official can be named in thousands of reports), and say so.
MAX_LISTED = 50
MAX_SPANS = 5

#: How long a finding's label may be before it is cut (the full text is in the details).
SHORT_LABEL = 48


@dataclass
class _Node:
    kind: str
    label: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    spans: list[dict[str, str]] = field(default_factory=list)


def union_graph(dataset: Source) -> UnionGraph:
    """A graph that sees every statement of ``dataset``, whatever graph it is in (for a
    pyoxigraph ``Store``, a ``storeview.StoreGraph`` that answers the same questions)."""
    if isinstance(dataset, ox.Store):
        from .storeview import StoreGraph

        return StoreGraph(dataset)
    if isinstance(dataset, Dataset) and not dataset.default_union:
        union = Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return dataset


def _first(g: UnionGraph, s: Node, *preds: URIRef) -> str | None:
    for p in preds:
        values = sorted(str(o) for o in g.objects(s, p))
        if values:
            return values[0]
    return None


def _all(g: UnionGraph, s: Node, p: URIRef) -> list[str]:
    return sorted({str(o) for o in g.objects(s, p)})


def _local_name(iri: str) -> str:
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail.replace("-", " ").strip().capitalize() or iri


def label_of(g: UnionGraph, s: Node) -> str:
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


def _subjects(g: UnionGraph, *classes: URIRef) -> list[URIRef]:
    found: set[URIRef] = set()
    for c in classes:
        found.update(s for s in g.subjects(RDF.type, c) if isinstance(s, URIRef))
    return sorted(found, key=str)


class _Reader:
    """Resolves the facts the views need from one union graph, with small caches."""

    def __init__(self, g: UnionGraph) -> None:
        self.g = g
        self.reports = _subjects(g, SDO.Report)
        self._report_set = set(self.reports)
        self._labels: dict[Node, str] = {}
        self._report_of_source: dict[str, Node] | None = None
        self._holdings: dict[Node, list[tuple[Node, str]]] | None = None
        self._strengths: set[Node] | None = None
        self._improvements: set[Node] = set()

    @property
    def report_of_source(self) -> dict[str, Node]:
        """The report each source file was read into (computed when a span first needs it), and
        the report of the text derived from a PDF (``prov:wasDerivedFrom`` the PDF the report
        was read from): a PDF report's spans point into that text."""
        if self._report_of_source is None:
            found: dict[str, Node] = {}
            for r in self.reports:
                for src in self.g.objects(r, PROV.wasDerivedFrom):
                    found[str(src)] = r
                    for derived in self.g.subjects(PROV.wasDerivedFrom, src):
                        if derived not in self._report_set:
                            found.setdefault(str(derived), r)
            self._report_of_source = found
        return self._report_of_source

    def holdings(self) -> dict[Node, list[tuple[Node, str]]]:
        """Each person's holdings (org:Membership): (organisation, "post (qualifier)"), each once.

        A source that can answer this in bulk (``storeview.StoreGraph.holdings``: one SPARQL
        query, as there is one holding per mention of a person) does; otherwise every holding is
        read here."""
        if self._holdings is None:
            g = self.g
            rows = g.holdings() if hasattr(g, "holdings") else self._read_holdings()
            found: dict[Node, set[tuple[Node, str]]] = defaultdict(set)
            for person, organisation, post, qualifier in rows:
                label = self.label(post) if post is not None else "member"
                found[person].add((organisation, f"{label} ({qualifier})" if qualifier else label))
            self._holdings = {p: sorted(h, key=lambda h: (str(h[0]), h[1])) for p, h in found.items()}
        return self._holdings

    def _read_holdings(self) -> Iterable[tuple[Node, Node, Node | None, str | None]]:
        g = self.g
        for m in _subjects(g, ORG.Membership):
            person, organisation = _first_node(g, m, ORG.member), _first_node(g, m, ORG.organization)
            if person is not None and organisation is not None:
                yield person, organisation, _first_node(g, m, SQS.post), _first(g, m, SQS.qualifier)

    def finding_kind(self, f: Node) -> str:
        """``strength``, ``improvement`` or ``finding``, by the classes of ``f``."""
        if self._strengths is None:
            self._strengths = set(_subjects(self.g, SQS.KeyStrength))
            self._improvements = set(_subjects(self.g, SQS.AreaForImprovement))
        return "strength" if f in self._strengths else "improvement" if f in self._improvements else "finding"

    def reports_naming(self, person: Node) -> list[Node]:
        """The reports naming ``person`` as author, addressee, copy-list holder or lead inspector."""
        g = self.g
        found = {r for pred, _rel in _NAMED_IN for r in g.subjects(pred, person) if r in self._report_set}
        for insp in g.subjects(PROV.wasAssociatedWith, person):
            found.update(r for r in g.subjects(SQS.inspection, insp) if r in self._report_set)
        return sorted(found, key=str)

    def label(self, s: Node) -> str:
        if s not in self._labels:
            self._labels[s] = self.report_label(s) if s in self._report_set else label_of(self.g, s)
        return self._labels[s]

    def report_label(self, r: Node) -> str:
        areas = [label_of(self.g, a) for a in sorted(self.g.objects(r, SQS.area), key=str)]
        issued = _first(self.g, r, DCTERMS.issued)
        parts = [", ".join(areas) if areas else None, issued]
        text = " ".join(p for p in parts if p)
        return f"Report {text}" if text else label_of(self.g, r)

    def span(self, span_iri: Node, paragraph: str | None = None, report: Node | None = None) -> dict[str, str]:
        """Report, paragraph, position and quoted text of one oa:SpecificResource."""
        g = self.g
        info: dict[str, str] = {}
        source = next(iter(sorted(g.objects(span_iri, OA.hasSource), key=str)), None)
        if report is None and source is not None:
            report = self.report_of_source.get(str(source))
        if report is not None:
            info["report"] = self.label(report)
            issued = _first(g, report, DCTERMS.issued)
            if issued:
                info["published"] = issued
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

    def pages(self, s: Node) -> dict[str, str]:
        """Where ``s`` stands in a PDF (its ``sqs:pageSpan``), for the details panel: ``pages``
        ("page 3", "pages 2–3"), ``page`` (the first, a number), ``pdf`` (the file name) and
        ``pdfSha256`` (its hash, by which a build finds the file it read); {} when none."""
        g = self.g
        numbers: set[int] = set()
        pdf: Node | None = None
        for node in sorted(g.objects(s, SQS.pageSpan), key=str):
            pdf = pdf or _first_node(g, node, OA.hasSource)
            for sel in g.objects(node, OA.hasSelector):
                number = _first(g, sel, SQS.pageNumber)
                if number is not None and number.isdigit():
                    numbers.add(int(number))
        if not numbers:
            return {}
        info = {"pages": page_words(sorted(numbers)), "page": str(min(numbers))}
        if pdf is not None:
            name, sha256 = _first(g, pdf, DCTERMS.identifier), _first(g, pdf, SQS.sha256)
            if name:
                info["pdf"] = name
            if sha256:
                info["pdfSha256"] = sha256
        return info

    def report_source(self, r: Node) -> dict[str, str]:
        """A report as a whole, as a source of the details panel (for a node stated by the
        report but with no passage of its own in the graph: a report, an area, a theme): ``report``,
        ``published``, ``file`` and ``scope`` "report"; for a report read from a PDF also ``pdf``,
        ``pdfSha256`` and ``page`` 1, so that its link opens the PDF at its start."""
        g = self.g
        info = {"report": self.label(r), "scope": "report"}
        issued = _first(g, r, DCTERMS.issued)
        if issued:
            info["published"] = issued
        for src in sorted(g.objects(r, PROV.wasDerivedFrom), key=str):
            name = _first(g, src, DCTERMS.identifier)
            if not name:
                continue
            info["file"] = name
            if _first(g, src, DCTERMS.format) == "application/pdf":
                info["pdf"], info["page"] = name, "1"
                sha256 = _first(g, src, SQS.sha256)
                if sha256:
                    info["pdfSha256"] = sha256
        return info

    def spans_of(self, s: Node, paragraph: str | None = None, report: Node | None = None) -> list[dict[str, str]]:
        spans = [self.span(sp, paragraph, report) for sp in sorted(self.g.objects(s, SQS.textSpan), key=str)]
        pages = self.pages(s) if spans else {}
        return [span | pages for span in spans]


Reader = _Reader


def page_words(numbers: list[int]) -> str:
    """ "page 3", "pages 2–3" (a run of pages) or "pages 2, 5" for sorted page numbers."""
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pages {numbers[0]}–{numbers[-1]}"
    return "pages " + ", ".join(str(n) for n in numbers)


def _add_edge(edges: dict[tuple[str, str], set[str]], a: Node, b: Node, rel: str) -> None:
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


def entity_graph(dataset: Source, details: bool = True, reader: _Reader | None = None) -> nx.Graph:
    """Reports, areas, inspected bodies, organisations and people, with their links.

    With ``details=False`` the nodes carry no ``facts`` or ``spans`` yet (a view fills them in
    with ``add_entity_details`` for the nodes it keeps): the network itself is far cheaper to
    read than the facts and source text of every node. ``reader``: a ``_Reader`` of ``dataset``
    to share its caches with other graphs of it."""
    g = union_graph(dataset) if reader is None else reader.g
    rd = reader or _Reader(g)
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)

    bodies = _bodies(g, rd)
    for a in _subjects(g, SDO.AdministrativeArea):
        nodes[str(a)] = _Node("area", rd.label(a))
    for o in _subjects(g, ORG.Organization, ORG.OrganizationalUnit, SDO.GovernmentOrganization) + sorted(bodies, key=str):
        if str(o) in nodes:
            continue
        for parent in _parents(g, o):
            _add_edge(edges, o, parent, "part of")
        for area in sorted(g.objects(o, SDO.areaServed), key=str):
            _add_edge(edges, o, area, "serves")
        nodes[str(o)] = _Node("body" if o in bodies else "organisation", rd.label(o))

    people = _subjects(g, FOAF.Person, SDO.Person)
    for r in rd.reports:
        for area in sorted(g.objects(r, SQS.area), key=str):
            _add_edge(edges, r, area, "report on area")
        for insp in sorted(g.objects(r, SQS.inspection), key=str):
            for lead in sorted(g.objects(insp, PROV.wasAssociatedWith), key=str):
                _add_edge(edges, r, lead, "lead inspector")
        for body in _inspected(g, r):
            _add_edge(edges, r, body, "inspects")
        for pub in sorted(g.objects(r, DCTERMS.publisher), key=str):
            _add_edge(edges, r, pub, "published by")
        for pred, rel in _NAMED_IN:
            for person in sorted(g.objects(r, pred), key=str):
                _add_edge(edges, r, person, rel)
        nodes[str(r)] = _Node("report", rd.label(r))

    for person, holdings in rd.holdings().items():
        for organisation, post_label in holdings:
            _add_edge(edges, person, organisation, post_label)
    for person in people:
        for post, organisation in _held_posts(g, person):
            _add_edge(edges, person, organisation, rd.label(post))
        nodes[str(person)] = _Node("person", rd.label(person))
    G = _to_nx(nodes, edges)
    if details:
        add_entity_details(G, dataset, rd)
    return G


_NAMED_IN = ((DCTERMS.creator, "author (From)"), (SDO.recipient, "addressee (To)"), (SDO.ccRecipient, "copy list"))


def _bodies(g: UnionGraph, rd: _Reader) -> set[URIRef]:
    bodies: set[URIRef] = set()
    for r in rd.reports:
        bodies.update(o for o in g.objects(r, SDO.about) if isinstance(o, URIRef))
        for insp in g.objects(r, SQS.inspection):
            bodies.update(o for o in g.objects(insp, SQS.inspectedBody) if isinstance(o, URIRef))
    return bodies


def _parents(g: UnionGraph, o: Node) -> list[Node]:
    return sorted(set(g.objects(o, ORG.subOrganizationOf)) | set(g.objects(o, ORG.unitOf)), key=str)


def _inspected(g: UnionGraph, r: Node) -> list[Node]:
    """The bodies a report is about: ``schema:about``, then its inspections' bodies."""
    about = sorted(set(g.objects(r, SDO.about)), key=str)
    for insp in sorted(g.objects(r, SQS.inspection), key=str):
        about += [b for b in sorted(g.objects(insp, SQS.inspectedBody), key=str) if b not in about]
    return about


def _first_node(g: UnionGraph, s: Node, p: URIRef) -> Node | None:
    return next(iter(sorted(g.objects(s, p), key=str)), None)


def _held_posts(g: UnionGraph, person: Node) -> list[tuple[Node, Node]]:
    return [
        (post, organisation)
        for post in sorted(g.objects(person, ORG.holds), key=str)
        for organisation in sorted(g.objects(post, ORG.postIn), key=str)
    ]


def add_entity_details(G: nx.Graph, dataset: Source, reader: _Reader | None = None) -> None:
    """Fill in the ``facts`` and ``spans`` of the nodes of ``G`` (an ``entity_graph`` built with
    ``details=False``, or a part of one), read from ``dataset``."""
    g = union_graph(dataset) if reader is None else reader.g
    rd = reader or _Reader(g)
    for n, data in G.nodes(data=True):
        node = URIRef(n)
        kind = data["kind"]
        spans: list[dict[str, str]] = []
        if kind == "area":
            facts, spans = _area_facts(g, rd, node)
        elif kind in ("body", "organisation"):
            facts, spans = _organisation_facts(g, rd, node)
        elif kind == "report":
            facts, spans = _report_facts(g, rd, node), [rd.report_source(node)]
        else:
            facts, spans = _person_facts(g, rd, node)
        data["facts"], data["spans"] = tuple(facts), tuple(spans)


def _area_facts(g: UnionGraph, rd: _Reader, a: Node) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    """An area's name and the reports on it (newest first), each a source as a whole (the graph
    keeps no passage for a report's area); for an area no report is on, the passages that name
    it: a reoffending rate given for it (a comparator such as England and Wales), else posts in
    the organisations that serve it."""
    reports = _newest_first(g, (r for r in g.subjects(SQS.area, a) if r in rd._report_set))
    facts = [("Area", rd.label(a))] + _listed("Report", [rd.label(r) for r in reports], "reports")
    if reports:
        return facts, [rd.report_source(r) for r in reports[:MAX_SPANS]]
    spans: list[dict[str, str]] = []
    rates = [o for o in islice(g.subjects(SDMX_REF_AREA, a), MAX_LISTED) if _first(g, o, SQS.reoffendingRate)]
    for obs in sorted(rates, key=str)[:MAX_SPANS]:
        spans += rd.spans_of(obs, report=_first_node(g, obs, PROV.wasDerivedFrom))
    if not spans:
        serving = sorted(g.subjects(SDO.areaServed, a), key=str)
        spans = _holding_spans(g, rd, _holdings_in(g, serving)[:MAX_SPANS])
    return facts, _unique(spans)


def _holdings_in(g: UnionGraph, organisations: list[Node]) -> list[Node]:
    """The first holdings (org:Membership) by IRI of posts in ``organisations``, among the
    first ``MAX_LISTED`` found."""
    found = (m for o in organisations for m in g.subjects(ORG.organization, o) if _is_membership(g, m))
    return sorted(islice(found, MAX_LISTED + 1), key=str)


def _newest_first(g: UnionGraph, reports: Iterable[Node]) -> list[Node]:
    dated = sorted(set(reports), key=str)
    return sorted(dated, key=lambda r: _first(g, r, DCTERMS.issued) or "", reverse=True)


def _organisation_facts(g: UnionGraph, rd: _Reader, o: Node) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    """An organisation's names, kind, parents and areas; the reports that inspect it; and as
    its sources the lines that name a post in it (as for a person), else the reports that
    inspect it, as a whole."""
    facts = [("Name", rd.label(o))]
    facts += [("Also called", alt) for alt in _all(g, o, SKOS.altLabel)]
    facts += [("Kind", _local_name(c)) for c in _all(g, o, ORG.classification)]
    facts += [("Part of", rd.label(parent)) for parent in _parents(g, o)]
    facts += [("Serves", rd.label(area)) for area in sorted(g.objects(o, SDO.areaServed), key=str)]
    inspecting = set(g.subjects(SDO.about, o))
    for insp in g.subjects(SQS.inspectedBody, o):
        inspecting.update(g.subjects(SQS.inspection, insp))
    inspected = _newest_first(g, (r for r in inspecting if r in rd._report_set))
    facts += _listed("Inspected in", [rd.label(r) for r in inspected], "reports")
    found = _holdings_in(g, [o])
    if not found:  # a body named only through its units (Ofsted through "Ofsted – Social Care")
        found = _holdings_in(g, sorted(set(g.subjects(ORG.subOrganizationOf, o)) | set(g.subjects(ORG.unitOf, o)), key=str))
    spans = _holding_spans(g, rd, found[:MAX_SPANS])
    if len(found) > MAX_SPANS:
        of = f"more than {MAX_LISTED}" if len(found) > MAX_LISTED else str(len(found))
        facts.append(("Source passages", f"shown for {MAX_SPANS} of {of} mentions of its posts"))
    spans = _unique(spans)
    if not spans:
        spans = [rd.report_source(r) for r in inspected[:MAX_SPANS]]
    return facts, spans


def _report_facts(g: UnionGraph, rd: _Reader, r: Node) -> list[tuple[str, str]]:
    facts = [("Title", label_of(g, r))]
    issued = _first(g, r, DCTERMS.issued)
    if issued:
        facts.append(("Published", issued))
    facts += [("Area", rd.label(area)) for area in sorted(g.objects(r, SQS.area), key=str)]
    for insp in sorted(g.objects(r, SQS.inspection), key=str):
        start, end = _first(g, insp, SQS.startDate), _first(g, insp, SQS.endDate)
        if start:
            facts.append(("Inspection", f"{start} to {end}" if end else start))
        cases = _first(g, insp, SQS.casesExamined)
        if cases:
            facts.append(("Cases examined", cases))
    facts += [("Inspected body", rd.label(body)) for body in _inspected(g, r)]
    facts += [("Publisher", rd.label(pub)) for pub in sorted(g.objects(r, DCTERMS.publisher), key=str)]
    for src in sorted(g.objects(r, PROV.wasDerivedFrom), key=str):
        name = _first(g, src, DCTERMS.identifier)
        if name:
            facts.append(("Source file", name))
    return facts


def _person_facts(g: UnionGraph, rd: _Reader, person: Node) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    posts = [(post, rd.label(organisation)) for organisation, post in rd.holdings().get(person, ())]
    posts += [(rd.label(post), rd.label(organisation)) for post, organisation in _held_posts(g, person)]
    # the passages of the first MAX_SPANS holdings by IRI, among the first MAX_LISTED found
    found = sorted(islice((m for m in g.subjects(ORG.member, person) if _is_holding(g, m, person)), MAX_LISTED + 1), key=str)
    spans = _holding_spans(g, rd, found[:MAX_SPANS])
    if not found:  # named as lead inspector only: the line that names them so
        for assoc in sorted(islice(g.subjects(PROV.agent, person), MAX_SPANS), key=str):
            inspections = sorted(g.subjects(PROV.qualifiedAssociation, assoc), key=str)
            report = next((r for i in inspections for r in sorted(g.subjects(SQS.inspection, i), key=str)), None)
            spans += rd.spans_of(assoc, report=report)
    reports = rd.reports_naming(person)
    facts = [("Name", rd.label(person))]
    facts += [("Title", h) for h in _all(g, person, SDO.honorificPrefix)]
    facts += _listed("Post", [f"{post}, {org}" for post, org in sorted(set(posts))], "posts")
    facts += _listed("Named in", [rd.label(r) for r in reports], "reports")
    areas = sorted({rd.label(a) for r in reports for a in g.objects(r, SQS.area)})
    if areas:
        facts.append(("Areas", ", ".join(areas)))
    if len(found) > MAX_SPANS:
        of = f"more than {MAX_LISTED}" if len(found) > MAX_LISTED else str(len(found))
        facts.append(("Source passages", f"shown for {MAX_SPANS} of {of} mentions"))
    return facts, _unique(spans)


def _unique(spans: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each span once, in a stable order."""
    unique = {tuple(sorted(s.items())): s for s in spans}
    return [unique[k] for k in sorted(unique)]


def _holding_spans(g: UnionGraph, rd: _Reader, holdings: list[Node]) -> list[dict[str, str]]:
    """The source passages of ``holdings`` (org:Membership), each quoting the line that names
    the person with the post (``naming_line``) rather than the bare name."""
    spans: list[dict[str, str]] = []
    for m in holdings:
        found_spans = rd.spans_of(m, report=_first_node(g, m, SQS.attestedBy))
        post = _first_node(g, m, SQS.post)
        for span, span_iri in zip(found_spans, sorted(g.objects(m, SQS.textSpan), key=str), strict=True):
            line = naming_line(g, span_iri)
            if line and line.startswith("… ") and post is not None:
                # the stored context stops short of the line's start, where the post is written
                line = f"{rd.label(post)}: {line}"
            if line:
                span["quote"] = line  # the name with the post it is named in, not the bare name
        spans += found_spans
    return spans


def _is_membership(g: UnionGraph, m: Node) -> bool:
    return ORG.Membership in set(g.objects(m, RDF.type))


_LIGHT_MARKUP = re.compile(r"</?[ib]>")


def naming_line(g: UnionGraph, span_iri: Node) -> str | None:
    """The line of the report a person is named on ("To: Patrick Leeson, Chair of Kent YOS
    Management Board", "Ofsted – Social Care  Adesua Osime"): the quote selector's exact text
    with its prefix back to the line start and its suffix up to the line end (… where the stored
    context stops short of it), the light markup of the text rendering (<i>, <b>) left out and
    tabs and runs of spaces made one space. ``None`` without a quote selector."""
    for sel in sorted(g.objects(span_iri, OA.hasSelector), key=str):
        exact = _first(g, sel, OA.exact)
        if exact is None:
            continue
        prefix, suffix = _first(g, sel, OA.prefix) or "", _first(g, sel, OA.suffix) or ""
        before = prefix.rsplit("\n", 1)
        after = suffix.split("\n", 1)
        line = (
            ("" if len(before) > 1 or not prefix else "… ")
            + before[-1]
            + exact
            + after[0]
            + ("" if len(after) > 1 or not suffix else " …")
        )
        return " ".join(_LIGHT_MARKUP.sub("", line).split())
    return None


def _is_holding(g: UnionGraph, m: Node, person: Node) -> bool:
    return ORG.Membership in set(g.objects(m, RDF.type)) and _first_node(g, m, ORG.member) == person


def _listed(name: str, values: list[str], what: str) -> list[tuple[str, str]]:
    """``(name, value)`` for each value, at most ``MAX_LISTED``, then how many were left out."""
    facts = [(name, v) for v in values[:MAX_LISTED]]
    if len(values) > MAX_LISTED:
        facts.append((name, f"… and {len(values) - MAX_LISTED:,} more {what}"))
    return facts


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
        rel = f"{'report' if data['kind'] == 'report' else 'organisation'}: {data['label']}"
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                shared[(a, b)].add(rel)
    P = nx.Graph()
    for n, data in sorted(G.nodes(data=True)):
        if data["kind"] == "person":
            P.add_node(n, **data)
    for a, b in sorted(shared):
        P.add_edge(a, b, rels=tuple(sorted(shared[(a, b)])))
    return P


def findings_graph(dataset: Source, details: bool = True, reader: _Reader | None = None) -> nx.Graph:
    """A tree: areas → themes (and key strengths, areas for improvement) → findings.

    With ``details=False`` a finding's label is its IRI's tail and it has no facts or spans yet
    (``add_findings_details`` fills them in for the findings a view keeps); ``reader``: as for
    ``entity_graph``."""
    g = union_graph(dataset) if reader is None else reader.g
    rd = reader or _Reader(g)
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in _subjects(g, SQS.Finding, SQS.KeyStrength, SQS.AreaForImprovement):
        kind = rd.finding_kind(f)
        report = _finding_report(g, f)
        areas = sorted(g.objects(report, SQS.area), key=str) if report is not None else []
        area = areas[0] if areas else None
        area_key = str(area) if area is not None else "urn:sqsgraph:no-area"
        if area_key not in nodes:
            area_label = rd.label(area) if area is not None else "No area recorded"
            nodes[area_key] = _Node("area", area_label, [("Area", area_label)])
        group_name = _finding_group(g, rd, f, kind)
        if kind == "finding":
            group_key = f"{area_key}#theme/{_first_node(g, f, DCTERMS.subject)}"
        else:
            group_key = f"{area_key}#{kind}"
        if group_key not in nodes:
            nodes[group_key] = _Node("theme", group_name, [("Theme", group_name), ("Area", nodes[area_key].label)])
            _add_edge(edges, URIRef(area_key), URIRef(group_key), "theme in area")
        nodes[str(f)] = _Node(kind, _local_name(str(f)))
        _add_edge(edges, URIRef(group_key), f, KIND_NAMES[kind].lower())
    F = _to_nx(nodes, edges)
    if details:
        add_findings_details(F, dataset, rd)
    return F


def _finding_report(g: UnionGraph, f: Node) -> Node | None:
    report = _first_node(g, f, DCTERMS.isPartOf)
    return report if report is not None else next(iter(sorted(g.subjects(SQS.hasFinding, f), key=str)), None)


def _finding_group(g: UnionGraph, rd: _Reader, f: Node, kind: str) -> str:
    if kind == "finding":
        subject = _first_node(g, f, DCTERMS.subject)
        return rd.label(subject) if subject is not None else "No theme recorded"
    return "Key strengths" if kind == "strength" else "Areas for improvement"


def add_findings_details(F: nx.Graph, dataset: Source, reader: _Reader | None = None) -> None:
    """Label (paragraph and the start of the text), facts and spans of the findings in ``F``
    (a ``findings_graph`` built with ``details=False``, or a part of one)."""
    g = union_graph(dataset) if reader is None else reader.g
    rd = reader or _Reader(g)
    for n, data in F.nodes(data=True):
        if data["kind"] == "area":
            if not n.startswith("urn:"):
                facts, spans = _area_facts(g, rd, URIRef(n))
                data["facts"], data["spans"] = tuple(facts), tuple(spans)
            continue
        if data["kind"] == "theme":
            children = [URIRef(c) for c in F.neighbors(n) if F.nodes[c]["kind"] not in ("area", "theme")]
            reports = _newest_first(g, (r for r in map(lambda c: _finding_report(g, c), children) if r is not None))
            facts = list(data["facts"]) + _listed("Report", [rd.label(r) for r in reports], "reports")
            data["facts"], data["spans"] = tuple(facts), tuple(rd.report_source(r) for r in reports[:MAX_SPANS])
            continue
        f = URIRef(n)
        kind, report = data["kind"], _finding_report(g, f)
        group_name = _finding_group(g, rd, f, kind)
        text = " ".join((_first(g, f, SDO.text) or "").split())
        paragraph = _first(g, f, SQS.paragraphNumber)
        short = shorten(text) if text else _local_name(n)
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
        polarities: list[str] = []
        for obs in sorted(g.objects(f, SQS.hasObservation), key=str):
            phrase = _first(g, obs, SQS.phrase)
            num, den = _first(g, obs, SQS.numerator), _first(g, obs, SQS.denominator)
            polarity = _concept(_first(g, obs, SQS.polarity), "unstated")
            earlier = _concept(_first(g, obs, SQS.refersTo), "this-inspection") == "earlier-inspection"
            if not earlier:
                polarities.append(polarity)
            if num is not None and den is not None:
                count: str | None = f"{num} of {den}" + (f" (“{phrase}”)" if phrase else "")
            else:
                count = f"“{phrase}”" if phrase else None
            if count is not None:
                facts.append(
                    (
                        "Count",
                        f"{count}: {POLARITY_WORDS.get(polarity, polarity)}" + ("; of an earlier inspection" if earlier else ""),
                    )
                )
        data["polarity"] = counts_polarity(polarities)
        facts.append(("Counts (colour)", POLARITY_NAMES[data["polarity"]]))
        data["label"] = f"{paragraph} {short}" if paragraph else short
        data["facts"], data["spans"] = tuple(facts), tuple(rd.spans_of(f, paragraph, report))


#: What a finding's counts of this inspection say, as the findings view colours it, in legend order.
POLARITIES = ("favourable", "unfavourable", "mixed", "unstated", "none")
POLARITY_NAMES = {
    "favourable": "Favourable: its counts are of work done (well, sufficiently)",
    "unfavourable": "Unfavourable: its counts are of work not done or falling short",
    "mixed": "Mixed: favourable and unfavourable counts",
    "unstated": "Unstated: its counts judge neither way",
    "none": "No count of this inspection",
}
#: How the details panel names a count's polarity (sqs:polarity).
POLARITY_WORDS = {"favourable": "favourable", "unfavourable": "unfavourable", "unstated": "polarity unstated"}


def counts_polarity(polarities: Iterable[str]) -> str:
    """One of ``POLARITIES`` for the polarities of a finding's counts of this inspection:
    ``favourable`` or ``unfavourable`` when its counts that judge (favourable or unfavourable)
    all agree, ``mixed`` when they do not, ``unstated`` when it has counts but none judges,
    ``none`` when it has no count (counts of an earlier inspection are left out)."""
    found = set(polarities)
    judging = found & {"favourable", "unfavourable"}
    if len(judging) == 2:
        return "mixed"
    if judging:
        return judging.pop()
    return "unstated" if found else "none"


def _concept(iri: str | None, default: str) -> str:
    """The local name of a concept of ontology/counts.ttl (``count:favourable`` → "favourable")."""
    if iri is None or not iri.startswith(str(COUNT)):
        return default
    return iri[len(str(COUNT)) :]


def kind_counts(G: nx.Graph, kinds: Iterable[str] = KINDS) -> dict[str, int]:
    """Number of nodes of each kind (every kind listed, zero included)."""
    counts = dict.fromkeys(kinds, 0)
    for _n, k in G.nodes(data="kind"):
        counts[k] = counts.get(k, 0) + 1
    return counts


__all__ = [
    "KINDS",
    "KIND_NAMES",
    "Source",
    "add_entity_details",
    "POLARITIES",
    "POLARITY_NAMES",
    "add_findings_details",
    "areas_by_person",
    "counts_polarity",
    "entity_graph",
    "findings_graph",
    "kind_counts",
    "label_of",
    "page_words",
    "people_graph",
    "shorten",
    "union_graph",
]
