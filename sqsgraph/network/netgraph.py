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

The graph is read through ``graphreader`` and the details panel filled in by ``details``.
Every node carries ``kind``, ``label``, ``iri``, ``facts`` (pairs of name and value, for the
details panel) and ``spans`` (where in which report the thing is stated). Every edge carries
``rels``: the relations it stands for, as short phrases. Nodes and edges are added in sorted
order so the same dataset always gives the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
from rdflib import URIRef
from rdflib.term import Node

from .details import (
    KIND_NAMES,
    KINDS,
    POLARITIES,
    POLARITY_NAMES,
    add_entity_details,
    add_findings_details,
    counts_polarity,
    finding_group,
    finding_report,
    shorten,
)
from .graphreader import (
    DCTERMS,
    FOAF,
    NAMED_IN,
    ORG,
    PROV,
    SDO,
    SQS,
    GraphReader,
    Source,
    UnionGraph,
    first_node,
    held_posts,
    inspected_bodies,
    instances,
    label_of,
    local_name,
    page_words,
    parents,
    union_graph,
)


@dataclass
class _Node:
    kind: str
    label: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    spans: list[dict[str, str]] = field(default_factory=list)


def _add_edge(edges: dict[tuple[str, str], set[str]], a: Node, b: Node, rel: str) -> None:
    if a == b:
        return
    key = (str(a), str(b)) if str(a) < str(b) else (str(b), str(a))
    edges[key].add(rel)


def _to_nx(nodes: dict[str, _Node], edges: dict[tuple[str, str], set[str]]) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(
        (iri, {"kind": n.kind, "label": n.label, "iri": iri, "facts": tuple(n.facts), "spans": tuple(n.spans)})
        for iri, n in sorted(nodes.items())
    )
    G.add_edges_from((a, b, {"rels": tuple(sorted(rels))}) for (a, b), rels in sorted(edges.items()) if a in nodes and b in nodes)
    return G


def induced(G: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A copy of the part of ``G`` on ``nodes`` with the links between them, in ``G``'s order
    (``G.subgraph(nodes).copy()``, except that networkx takes the nodes in the order of a set
    when they are fewer than half of ``G``'s, an order that changes from one run to the next)."""
    keep = set(nodes)
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, data.copy()) for n, data in G.nodes.items() if n in keep)
    adjacency = G.adj
    H.add_edges_from((u, v, data.copy()) for u in H for v, data in adjacency[u].items() if v in keep)
    return H


def entity_graph(dataset: Source, details: bool = True, reader: GraphReader | None = None) -> nx.Graph:
    """Reports, areas, inspected bodies, organisations and people, with their links.

    With ``details=False`` the nodes carry no ``facts`` or ``spans`` yet (a view fills them in
    with ``add_entity_details`` for the nodes it keeps): the network itself is far cheaper to
    read than the facts and source text of every node. ``reader``: a ``GraphReader`` of ``dataset``
    to share its caches with other graphs of it."""
    g = union_graph(dataset) if reader is None else reader.g
    rd = reader or GraphReader(g)
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)

    bodies = _bodies(g, rd)
    for a in instances(g, SDO.AdministrativeArea):
        nodes[str(a)] = _Node("area", rd.label(a))
    for o in instances(g, ORG.Organization, ORG.OrganizationalUnit, SDO.GovernmentOrganization) + sorted(bodies, key=str):
        if str(o) in nodes:
            continue
        for parent in parents(g, o):
            _add_edge(edges, o, parent, "part of")
        for area in sorted(g.objects(o, SDO.areaServed), key=str):
            _add_edge(edges, o, area, "serves")
        nodes[str(o)] = _Node("body" if o in bodies else "organisation", rd.label(o))

    people = instances(g, FOAF.Person, SDO.Person)
    for r in rd.reports:
        for area in sorted(g.objects(r, SQS.area), key=str):
            _add_edge(edges, r, area, "report on area")
        for insp in sorted(g.objects(r, SQS.inspection), key=str):
            for lead in sorted(g.objects(insp, PROV.wasAssociatedWith), key=str):
                _add_edge(edges, r, lead, "lead inspector")
        for body in inspected_bodies(g, r):
            _add_edge(edges, r, body, "inspects")
        for pub in sorted(g.objects(r, DCTERMS.publisher), key=str):
            _add_edge(edges, r, pub, "published by")
        for pred, rel in NAMED_IN:
            for person in sorted(g.objects(r, pred), key=str):
                _add_edge(edges, r, person, rel)
        nodes[str(r)] = _Node("report", rd.label(r))

    for person, holdings in rd.holdings().items():
        for organisation, post_label in holdings:
            _add_edge(edges, person, organisation, post_label)
    for person in people:
        for post, organisation in held_posts(g, person):
            _add_edge(edges, person, organisation, rd.label(post))
        nodes[str(person)] = _Node("person", rd.label(person))
    G = _to_nx(nodes, edges)
    if details:
        add_entity_details(G, dataset, rd)
    return G


def _bodies(g: UnionGraph, rd: GraphReader) -> set[URIRef]:
    bodies: set[URIRef] = set()
    for r in rd.reports:
        bodies.update(o for o in g.objects(r, SDO.about) if isinstance(o, URIRef))
        for insp in g.objects(r, SQS.inspection):
            bodies.update(o for o in g.objects(insp, SQS.inspectedBody) if isinstance(o, URIRef))
    return bodies


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


def people_hubs(G: nx.Graph) -> list[tuple[str, list[str]]]:
    """What joins people in ``people_graph``: each report, organisation and body of the entity
    graph ``G`` (sorted), as the relation its links name ("report: …", "organisation: …") and
    the people linked to it, sorted."""
    kinds = dict(G.nodes(data="kind"))
    hubs = []
    for hub in sorted(G):
        kind = kinds[hub]
        if kind not in ("report", "organisation", "body"):
            continue
        members = sorted(p for p in G[hub] if kinds[p] == "person")
        hubs.append((f"{'report' if kind == 'report' else 'organisation'}: {G.nodes[hub]['label']}", members))
    return hubs


def shared_hubs(hubs: Iterable[tuple[str, list[str]]], among: Collection[str] | None = None) -> dict[tuple[str, str], set[str]]:
    """What each pair of people shares (the relations of ``people_hubs`` that join them), for
    the people ``among`` (default: all); each pair in order (a < b)."""
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rel, members in hubs:
        for pair in combinations(members if among is None else [p for p in members if p in among], 2):
            shared[pair].add(rel)
    return shared


def people_graph(G: nx.Graph) -> nx.Graph:
    """People of an entity graph, joined when they share a report or an organisation.

    Each edge's ``rels`` names what they share ("report: …", "organisation: …").
    """
    shared = shared_hubs(people_hubs(G))
    P = nx.Graph()
    P.add_nodes_from((n, data) for n, data in sorted(G.nodes(data=True)) if data["kind"] == "person")  # a copy of data
    P.add_edges_from((a, b, {"rels": tuple(sorted(rels))}) for (a, b), rels in sorted(shared.items()))
    return P


def findings_graph(dataset: Source, details: bool = True, reader: GraphReader | None = None) -> nx.Graph:
    """A tree: areas → themes (and key strengths, areas for improvement) → findings.

    With ``details=False`` a finding's label is its IRI's tail and it has no facts or spans yet
    (``add_findings_details`` fills them in for the findings a view keeps); ``reader``: as for
    ``entity_graph``."""
    g = union_graph(dataset) if reader is None else reader.g
    rd = reader or GraphReader(g)
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in instances(g, SQS.Finding, SQS.KeyStrength, SQS.AreaForImprovement):
        kind = rd.finding_kind(f)
        report = finding_report(g, f)
        area = first_node(g, report, SQS.area) if report is not None else None
        area_key = str(area) if area is not None else "urn:sqsgraph:no-area"
        if area_key not in nodes:
            area_label = rd.label(area) if area is not None else "No area recorded"
            nodes[area_key] = _Node("area", area_label, [("Area", area_label)])
        group_name = finding_group(g, rd, f, kind)
        if kind == "finding":
            group_key = f"{area_key}#theme/{first_node(g, f, DCTERMS.subject)}"
        else:
            group_key = f"{area_key}#{kind}"
        if group_key not in nodes:
            nodes[group_key] = _Node("theme", group_name, [("Theme", group_name), ("Area", nodes[area_key].label)])
            _add_edge(edges, URIRef(area_key), URIRef(group_key), "theme in area")
        nodes[str(f)] = _Node(kind, local_name(str(f)))
        _add_edge(edges, URIRef(group_key), f, KIND_NAMES[kind].lower())
    F = _to_nx(nodes, edges)
    if details:
        add_findings_details(F, dataset, rd)
    return F


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
    "induced",
    "kind_counts",
    "label_of",
    "page_words",
    "people_graph",
    "people_hubs",
    "shared_hubs",
    "shorten",
    "union_graph",
]
