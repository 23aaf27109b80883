"""Network metrics over the entity graph (networkx), the numbers behind ``sqsgraph stats`` and
the views: counts by kind, degree and betweenness of people and organisations, connected
components, people who appear in more than one area, and communities.

``compute_stats`` returns a ``Stats`` value; ``format_table``, ``format_csv`` and
``format_json`` turn it into text. Nothing here prints.

Every number is deterministic: betweenness is exact on small graphs (``betweenness_samples``) and
sampled with a fixed seed above it; communities are networkx's Louvain method with a fixed seed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field

import networkx as nx

from .centrality import betweenness_centrality
from .netgraph import KIND_NAMES, KINDS, Source, areas_by_person, entity_graph

#: Above this many nodes, betweenness is estimated from this many sampled sources (seeded).
EXACT_BETWEENNESS_MAX = 3000
BETWEENNESS_SAMPLES = 500
#: Betweenness costs one breadth-first search per source, each through every link: sources times
#: links is kept under this (exact when nodes times links is under it; else fewer samples, at
#: least ``MIN_BETWEENNESS_SAMPLES``), so a large graph takes seconds, not minutes.
BETWEENNESS_WORK = 5_000_000
MIN_BETWEENNESS_SAMPLES = 20
SEED = 42
TOP = 10

ORG_KINDS = ("body", "organisation")


@dataclass(frozen=True)
class Ranked:
    """One node in a ranking: its label, IRI and value."""

    label: str
    iri: str
    value: float


@dataclass(frozen=True)
class Community:
    number: int
    size: int
    members: list[str]  # labels of its most connected members, at most TOP


@dataclass
class Stats:
    nodes: int
    edges: int
    counts: dict[str, int]
    components: int
    largest_component: int
    top_people_by_degree: list[Ranked] = field(default_factory=list)
    top_people_by_betweenness: list[Ranked] = field(default_factory=list)
    top_organisations_by_degree: list[Ranked] = field(default_factory=list)
    top_organisations_by_betweenness: list[Ranked] = field(default_factory=list)
    people_in_several_areas: list[tuple[str, str, list[str]]] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    betweenness_exact: bool = True


def betweenness_samples(G: nx.Graph) -> int | None:
    """How many sources betweenness is estimated from on ``G``; ``None`` for exact."""
    n: int = G.number_of_nodes()
    m: int = max(G.number_of_edges(), 1)
    if n <= EXACT_BETWEENNESS_MAX and n * m <= BETWEENNESS_WORK:
        return None
    return min(n, max(MIN_BETWEENNESS_SAMPLES, min(BETWEENNESS_SAMPLES, BETWEENNESS_WORK // m)))


def betweenness(G: nx.Graph) -> dict[str, float]:
    """Normalised betweenness centrality of every node: exact on small graphs, estimated from
    seeded samples above (see ``betweenness_samples``); networkx's numbers, computed over arrays
    (``centrality``)."""
    k = betweenness_samples(G)
    if k is None or k >= G.number_of_nodes():
        return betweenness_centrality(G)
    return betweenness_centrality(G, k, SEED)


def communities(G: nx.Graph) -> list[set[str]]:
    """Louvain communities (fixed seed), largest first, ties by their smallest node."""
    if G.number_of_edges() == 0:
        return [{n} for n in sorted(G)]
    found = nx.community.louvain_communities(G, seed=SEED)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def _ranked(G: nx.Graph, values: dict[str, float], kinds: tuple[str, ...], top: int) -> list[Ranked]:
    chosen = [n for n, k in G.nodes(data="kind") if k in kinds]
    chosen.sort(key=lambda n: (-values[n], G.nodes[n]["label"], n))
    return [Ranked(G.nodes[n]["label"], n, round(float(values[n]), 6)) for n in chosen[:top]]


def compute_stats(G: nx.Graph, top: int = TOP, centrality: dict[str, float] | None = None) -> Stats:
    """The metrics of an entity graph (``netgraph.entity_graph``)."""
    between = centrality if centrality is not None else betweenness(G)
    degree = dict(G.degree())
    components = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    several = []
    for person, areas in sorted(areas_by_person(G).items(), key=lambda kv: (G.nodes[kv[0]]["label"], kv[0])):
        if len(areas) > 1:
            several.append((G.nodes[person]["label"], person, sorted(areas)))
    comms = []
    for i, members in enumerate(communities(G), start=1):
        best = sorted(members, key=lambda n: (-degree[n], G.nodes[n]["label"], n))[:top]
        comms.append(Community(i, len(members), [G.nodes[n]["label"] for n in best]))
    return Stats(
        nodes=G.number_of_nodes(),
        edges=G.number_of_edges(),
        counts={k: v for k, v in _counts(G).items()},
        components=len(components),
        largest_component=components[0] if components else 0,
        top_people_by_degree=_ranked(G, degree, ("person",), top),
        top_people_by_betweenness=_ranked(G, between, ("person",), top),
        top_organisations_by_degree=_ranked(G, degree, ORG_KINDS, top),
        top_organisations_by_betweenness=_ranked(G, between, ORG_KINDS, top),
        people_in_several_areas=several,
        communities=comms,
        betweenness_exact=betweenness_samples(G) is None,
    )


def stats_of(dataset: Source, top: int = TOP) -> Stats:
    """The metrics of the entity graph of ``dataset`` (an rdflib ``Dataset`` or ``Graph``, or a
    pyoxigraph ``Store`` such as the on-disk query store)."""
    return compute_stats(entity_graph(dataset, details=False), top=top)


def _counts(G: nx.Graph) -> dict[str, int]:
    present = {k for _n, k in G.nodes(data="kind")}
    counts = {k: 0 for k in KINDS if k in present or k in ("report", "area", "body", "organisation", "person")}
    for _n, k in G.nodes(data="kind"):
        counts[k] = counts.get(k, 0) + 1
    return counts


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"


def format_table(stats: Stats) -> str:
    """A plain-text report for a terminal."""
    lines = [
        f"Nodes: {stats.nodes}  Edges: {stats.edges}  "
        f"Connected components: {stats.components} (largest: {stats.largest_component} nodes)",
        "",
        "Counts by kind",
    ]
    width = max(len(KIND_NAMES.get(k, k)) for k in stats.counts) if stats.counts else 0
    lines += [f"  {KIND_NAMES.get(k, k):<{width}}  {v:>6}" for k, v in stats.counts.items()]
    sections = (
        ("Top people by degree", stats.top_people_by_degree),
        ("Top people by betweenness" + ("" if stats.betweenness_exact else " (estimated)"), stats.top_people_by_betweenness),
        ("Top organisations by degree", stats.top_organisations_by_degree),
        (
            "Top organisations by betweenness" + ("" if stats.betweenness_exact else " (estimated)"),
            stats.top_organisations_by_betweenness,
        ),
    )
    for title, ranked in sections:
        lines += ["", title]
        if not ranked:
            lines.append("  (none)")
        w = max((len(r.label) for r in ranked), default=0)
        lines += [f"  {i:>2}. {r.label:<{w}}  {_num(r.value):>8}" for i, r in enumerate(ranked, start=1)]
    lines += ["", f"People in more than one area: {len(stats.people_in_several_areas)}"]
    lines += [f"  {label}: {', '.join(areas)}" for label, _iri, areas in stats.people_in_several_areas]
    lines += ["", f"Communities (Louvain, seed {SEED}): {len(stats.communities)}"]
    lines += [
        f"  {c.number:>2}. {c.size} node{'' if c.size == 1 else 's'}: {', '.join(c.members)}" for c in stats.communities[:TOP]
    ]
    if len(stats.communities) > TOP:
        lines.append(f"  … and {len(stats.communities) - TOP} more")
    return "\n".join(lines)


def format_csv(stats: Stats) -> str:
    """One row per number: section, rank, label, iri, value."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "rank", "label", "iri", "value"])
    w.writerow(["total", "", "nodes", "", stats.nodes])
    w.writerow(["total", "", "edges", "", stats.edges])
    w.writerow(["total", "", "connected components", "", stats.components])
    w.writerow(["total", "", "largest component", "", stats.largest_component])
    for k, v in stats.counts.items():
        w.writerow(["count", "", k, "", v])
    for section, ranked in (
        ("people by degree", stats.top_people_by_degree),
        ("people by betweenness", stats.top_people_by_betweenness),
        ("organisations by degree", stats.top_organisations_by_degree),
        ("organisations by betweenness", stats.top_organisations_by_betweenness),
    ):
        for i, r in enumerate(ranked, start=1):
            w.writerow([section, i, r.label, r.iri, _num(r.value)])
    for label, iri, areas in stats.people_in_several_areas:
        w.writerow(["person in several areas", "", label, iri, "; ".join(areas)])
    for c in stats.communities:
        w.writerow(["community", c.number, "; ".join(c.members), "", c.size])
    return out.getvalue()


def format_json(stats: Stats) -> str:
    """The whole ``Stats`` as JSON (sorted keys, two-space indent)."""
    data = asdict(stats)
    data["people_in_several_areas"] = [
        {"label": label, "iri": iri, "areas": areas} for label, iri, areas in stats.people_in_several_areas
    ]
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


#: ``sqsgraph stats --format``: one formatter per name of ``formats.STATS_FORMATS``
STATS_FORMATTERS = {"table": format_table, "csv": format_csv, "json": format_json}

__all__ = [
    "STATS_FORMATTERS",
    "Stats",
    "betweenness",
    "communities",
    "compute_stats",
    "format_csv",
    "format_json",
    "format_table",
    "stats_of",
]
