"""Interactive network views: networkx graphs (``netgraph``) drawn as one self-contained HTML
file each, with the vis-network library that ships inside the pyvis package.

Four kinds of view: ``overview``, ``people``, ``focus`` and ``findings`` (see docs/views.md).

How a view becomes a page, and what every page guarantees (offline, report text kept as text,
links only to a PDF's pages, deterministic): ``page``. Large graphs: above ``MAX_NODES`` nodes
or ``MAX_LINKS`` links a view shows the most connected part and says so on the page; the page
turns physics off above ``page.PHYSICS_MAX_NODES`` nodes.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from itertools import combinations
from pathlib import Path

import networkx as nx

from ..errors import UsageError
from . import analytics
from .graphreader import GraphReader
from .layout import TREE_COLUMN, TREE_ROW, _areas_by_name, layout, tree_layout
from .netgraph import (
    KIND_NAMES,
    POLARITIES,
    Source,
    add_entity_details,
    add_findings_details,
    entity_graph,
    findings_graph,
    induced,
    people_graph,
    people_hubs,
    shared_hubs,
    union_graph,
)
from .page import (
    LABEL_PX,
    PHYSICS_MAX_NODES,
    STYLES,
    PdfLinks,
    View,
    render_html,
    same_name_hints,
    script_json,
    view_data,
    write_view,
)

VIEW_KINDS = ("overview", "people", "focus", "findings")


#: the views ``write_views`` writes (focus needs a subject, so it is written on request only)
DEFAULT_VIEWS = ("overview", "people", "findings")


#: Above this many nodes a view keeps only the most connected part.
MAX_NODES = 5000


#: ... and above this many links between the nodes it keeps (a browser's time to open the page
#: grows with the links: the 10,000-report overview opened in headless Chromium in 2.1 s with
#: 10,000 links, 3.1 s with 20,000, 4.9 s with 40,000 on a loaded machine; see docs/views.md).
MAX_LINKS = 20_000


#: The colours of the findings view: what a finding's counts of this inspection count (colour-blind
#: safe, from the Okabe-Ito palette; white for none).
POLARITY_COLOURS = {
    "favourable": "#009e73",
    "unfavourable": "#d55e00",
    "mixed": "#f0e442",
    "unstated": "#999999",
    "none": "#ffffff",
}


POLARITY_LEGEND = {
    "favourable": "Favourable",
    "unfavourable": "Unfavourable",
    "mixed": "Mixed: favourable and unfavourable",
    "unstated": "Counts that judge neither way",
    "none": "No count",
}


#: The legend's fill for a kind shown by its shape only (its colour says something else).
SHAPE_ONLY = "#ffffff"


#: The findings view keeps its areas' and themes' labels readable at any zoom; the findings'
#: labels show as the view is zoomed in.
FINDINGS_LABEL_PX = {"area": 14, "theme": 10}


#: Colours for the organisations of the people view (the most common ones; the rest are grey).
PALETTE = (
    "#1e88e5",
    "#e53935",
    "#43a047",
    "#fb8c00",
    "#8e24aa",
    "#00acc1",
    "#6d4c41",
    "#c0ca33",
    "#d81b60",
    "#3949ab",
    "#00897b",
    "#f4511e",
)


OTHER_COLOUR = "#b0bec5"


NONE_COLOUR = "#eceff1"


def build_view(
    dataset: Source,
    kind: str,
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int = MAX_NODES,
    cuts: Mapping[str, Cut] | None = None,
) -> View:
    """The view of one kind over ``dataset`` (an rdflib ``Dataset`` or ``Graph``, or a pyoxigraph
    ``Store`` such as the on-disk query store); ``focus`` (a label or IRI) and ``hops`` for the
    focus view. Raises ``UsageError`` for an unknown kind, a missing or unmatched focus.

    The network is read first and cut (``cut_network``), unless ``cuts`` holds this kind's cut of
    ``dataset`` at ``MAX_NODES`` already (``netindex``: kept beside the query store); the facts
    and source text are read only for the nodes the view keeps (at most ``max_nodes``)."""
    if kind not in VIEW_KINDS:
        raise UsageError(f"unknown view {kind!r}; choose one of {', '.join(VIEW_KINDS)}")
    if kind != "focus":
        cut = cuts.get(kind) if cuts is not None and max_nodes == MAX_NODES else None
        if cut is not None and cut.filled:
            return draw_view(kind, cut, None)  # nothing left to read
        reader = GraphReader(union_graph(dataset, few=cut is not None))
        return draw_view(kind, cut or cut_network(kind, reader, max_nodes), reader)
    reader = GraphReader(union_graph(dataset))
    if focus is None or not focus.strip():
        raise UsageError("the focus view needs --focus NAME_OR_IRI (a person, area, body or organisation)")
    if hops < 1:
        raise UsageError(f"--hops must be 1 or more, not {hops}")
    G = entity_graph(reader.g, details=False, reader=reader)
    return _focus_view(G, find_node(G, focus), hops, max_nodes, lambda H: add_entity_details(H, reader.g, reader))


def find_node(G: nx.Graph, query: str) -> str:
    """The node whose IRI is ``query`` or whose label matches it case-insensitively.

    Raises ``UsageError`` listing close matches when none does, or the candidates when several do.
    """
    q = query.strip()
    if q in G:
        return q
    expanded = _expand_short_iri(G, q)  # "id:person/julie-fox-2", as `sqsgraph query` prints IRIs
    if expanded is not None:
        return expanded
    wanted = q.casefold()
    hits: list[str] = sorted(n for n, label in G.nodes(data="label") if label.casefold() == wanted)
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        listed = "; ".join(f"{G.nodes[n]['label']} <{n}>" for n in hits[:10])
        raise UsageError(f"--focus {query!r} matches {len(hits)} nodes; give the IRI of one: {listed}")
    labels = sorted({label for _n, label in G.nodes(data="label")})
    folded = {label.casefold(): label for label in labels}
    close = [folded[c] for c in get_close_matches(wanted, list(folded), n=5, cutoff=0.6)]
    close += [label for label in labels if wanted and wanted in label.casefold() and label not in close]
    if close:
        suggestion = "; did you mean: " + ", ".join(close[:5]) + "?"
    else:
        suggestion = "; no label is close (try `sqsgraph stats` for the names in the graph)"
    raise UsageError(f"--focus {query!r} matches no person, area, body or organisation{suggestion}")


def _expand_short_iri(G: nx.Graph, q: str) -> str | None:
    """The node a ``prefix:local`` form names (``results.shorten``'s display form: ``id:`` is the
    default base); for ``id:`` also the one node whose IRI ends in ``/id/local`` (another --base)."""
    from ..query.results import _DISPLAY_PREFIXES

    prefix, sep, local = q.partition(":")
    if not sep or not local or local.startswith("//") or prefix not in _DISPLAY_PREFIXES:
        return None
    iri = _DISPLAY_PREFIXES[prefix] + local
    if iri in G:
        return iri
    if prefix == "id":
        ends: list[str] = [n for n in G if n.endswith("/id/" + local)]
        if len(ends) == 1:
            return ends[0]
    return None


def most_connected(G: nx.Graph, cap: int, max_links: int = MAX_LINKS) -> tuple[nx.Graph, str]:
    """``G`` itself if it has at most ``cap`` nodes and ``max_links`` links; otherwise its most
    connected part — whole components, largest first, then the highest-degree nodes of the next
    one, until ``cap`` nodes or ``max_links`` links — and a sentence saying what was left out."""
    n, m = G.number_of_nodes(), G.number_of_edges()
    if n <= cap and m <= max_links:
        return G, ""
    keep = _most_connected_nodes(nx.connected_components(G), G.adj, cap, max_links)
    H = induced(G, keep)
    return H, _cut_notice(H, n, m, len(keep) < cap, max_links)


def _most_connected_nodes(
    components: Iterable[set[str]], adjacency: Mapping[str, Collection[str]], cap: int, max_links: int
) -> list[str]:
    """The nodes ``most_connected`` keeps, from the components of a graph and its adjacency."""
    keep: list[str] = []
    kept: set[str] = set()
    links = 0
    for comp in sorted(components, key=lambda c: (-len(c), min(c))):
        room = cap - len(keep)
        if room <= 0 or links >= max_links:
            break
        inside = sum(len(adjacency[v]) for v in comp) // 2  # every link of a node of the component is in it
        if len(comp) <= room and links + inside <= max_links:
            keep.extend(comp)
            kept.update(comp)
            links += inside
            continue
        for v in sorted(comp, key=lambda v: (-len(adjacency[v]), v)):  # the most connected nodes, while they fit
            new = sum(1 for u in adjacency[v] if u in kept)
            if len(keep) >= cap or links + new > max_links:
                break
            keep.append(v)
            kept.add(v)
            links += new
        break
    return keep


def _cut_notice(H: nx.Graph, n: int, m: int, by_links: bool, max_links: int) -> str:
    """What the page says of a cut to ``H`` from ``n`` nodes and ``m`` links (``by_links``: the
    links were the limit, not the nodes)."""
    left = n - H.number_of_nodes()
    if by_links:
        return (
            f"Showing the most connected part: {H.number_of_nodes():,} of {n:,} nodes and "
            f"{H.number_of_edges():,} of {m:,} links (at most {max_links:,} links are drawn, so that the "
            f"page opens in a few seconds; {left:,} nodes left out: the smaller components and the least "
            f"connected nodes). Use `sqsgraph view focus --focus NAME` to see any part in full."
        )
    return (
        f"Showing the most connected part: {H.number_of_nodes():,} of {n:,} nodes "
        f"({left:,} left out: the smaller components and the least connected nodes). "
        f"Use `sqsgraph view focus --focus NAME` to see any part in full."
    )


def people_part(G: nx.Graph, cap: int, max_links: int = MAX_LINKS) -> tuple[nx.Graph, str]:
    """``most_connected(people_graph(G), cap, max_links)``, without making the whole people graph
    when it is cut: who shares a report or organisation with whom is counted first (a report
    naming hundreds of people joins every pair of them: at 10,000 reports the people graph has
    about two million links, of which a view draws at most ``max_links``), and the links, with
    what each pair shares, are made for the people kept only."""
    hubs = people_hubs(G)
    people = sorted(n for n, kind in G.nodes(data="kind") if kind == "person")
    adjacency: dict[str, set[str]] = {p: set() for p in people}
    for _rel, members in hubs:
        for a, b in combinations(members, 2):
            adjacency[a].add(b)
            adjacency[b].add(a)
    m = sum(len(neighbours) for neighbours in adjacency.values()) // 2
    if len(people) <= cap and m <= max_links:
        return people_graph(G), ""
    keep = _most_connected_nodes(_components(adjacency), adjacency, cap, max_links)
    kept = set(keep)
    shared = shared_hubs(hubs, kept)
    H = nx.Graph()
    H.add_nodes_from((p, G.nodes[p]) for p in people if p in kept)  # a copy of the data, as people_graph's
    # the links in the people graph's order: each node's neighbours sorted (its pairs are sorted)
    H.add_edges_from(
        (u, v, {"rels": tuple(sorted(shared[(u, v) if u < v else (v, u)]))}) for u in H for v in sorted(adjacency[u] & kept)
    )
    return H, _cut_notice(H, len(people), m, len(keep) < cap, max_links)


def _components(adjacency: Mapping[str, set[str]]) -> Iterator[set[str]]:
    seen: set[str] = set()
    for v in adjacency:
        if v in seen:
            continue
        comp, frontier = {v}, [v]
        while frontier:
            reached = [w for u in frontier for w in adjacency[u] if w not in comp]
            comp.update(reached)
            frontier = list(dict.fromkeys(reached))
        seen |= comp
        yield comp


def _kind_legend(G: nx.Graph) -> list[dict[str, object]]:
    present: dict[str, int] = {}
    for _n, k in G.nodes(data="kind"):
        present[k] = present.get(k, 0) + 1
    return [
        {"label": KIND_NAMES[k], "color": STYLES[k]["color"], "shape": STYLES[k]["shape"], "count": present[k]}
        for k in STYLES
        if k in present
    ]


def _degree_sizes(G: nx.Graph) -> dict[str, float]:
    return {n: min(40.0, float(STYLES[G.nodes[n]["kind"]]["size"]) + 2.5 * math.sqrt(G.degree(n))) for n in G}


@dataclass
class Cut:
    """What a view shows of a whole network, chosen from all of it: the part kept, without its
    details yet (``graph``), the sentence saying what was left out (``notice``), and what the
    people view draws from the whole entity network for each person kept: their betweenness in
    it and the labels of the organisations and bodies they are linked to (one per link)."""

    graph: nx.Graph
    notice: str = ""
    betweenness: dict[str, float] = field(default_factory=dict)
    organisations: dict[str, list[str]] = field(default_factory=dict)
    filled: bool = False  # its nodes' details are read already (``fill_cut``)


def overview_cut(G: nx.Graph, max_nodes: int) -> Cut:
    """The overview's part of the entity graph ``G``: its most connected part (``most_connected``)."""
    return Cut(*most_connected(G, max_nodes))


def people_cut(G: nx.Graph, max_nodes: int) -> Cut:
    """The people view's part of the entity graph ``G`` (``people_part``), with each person's
    betweenness in ``G`` and the organisations they are linked to in it."""
    between = analytics.betweenness(G)
    P, notice = people_part(G, max_nodes)
    kinds = G.nodes(data="kind")
    organisations = {p: sorted(G.nodes[o]["label"] for o in G.neighbors(p) if kinds[o] in ("organisation", "body")) for p in P}
    return Cut(P, notice, {p: between[p] for p in P}, organisations)


def findings_cut(F: nx.Graph, max_nodes: int) -> Cut:
    """The findings view's part of the findings tree ``F``: whole area trees (``whole_area_trees``)."""
    if F.number_of_nodes() <= max_nodes:
        return Cut(F)
    keep, areas_kept, areas = whole_area_trees(F, max_nodes)
    notice = (
        f"Showing {len(keep):,} of {F.number_of_nodes():,} nodes: {areas_kept:,} of {areas:,} areas "
        f"(in order of name), each with all its themes and findings (at most {max_nodes:,} nodes "
        f"are drawn; the query findings-by-theme lists every finding)."
    )
    return Cut(induced(F, keep), notice)


def cut_network(kind: str, reader: GraphReader, max_nodes: int = MAX_NODES) -> Cut:
    """The cut of view ``kind`` (overview, people or findings) of the graph ``reader`` reads."""
    kind_of = _DEFAULT_KINDS[kind]
    return kind_of.cut(kind_of.network(reader.g, details=False, reader=reader), max_nodes)


def default_cuts(source: Source, reader: GraphReader | None = None) -> dict[str, Cut]:
    """The cuts of the views of ``DEFAULT_VIEWS``, from one reading of each network of
    ``source``: the overview and people views share one entity graph, freed before the findings
    tree is read."""
    reader = reader or GraphReader(union_graph(source))
    cuts: dict[str, Cut] = {}
    read: dict[object, nx.Graph] = {}  # the network last read, by the function that reads it
    for kind in DEFAULT_VIEWS:
        kind_of = _DEFAULT_KINDS[kind]
        if kind_of.network not in read:
            read.clear()  # the last network freed before the next is read
            read[kind_of.network] = kind_of.network(reader.g, details=False, reader=reader)
        cuts[kind] = kind_of.cut(read[kind_of.network], MAX_NODES)
    return cuts


def fill_cut(kind: str, cut: Cut, reader: GraphReader) -> None:
    """Read the details of the nodes of ``cut`` (of view ``kind``) with ``reader``, once."""
    if not cut.filled:
        _DEFAULT_KINDS[kind].details(cut.graph, reader.g, reader)
        cut.filled = True


def draw_view(kind: str, cut: Cut, reader: GraphReader | None) -> View:
    """The view of ``kind`` (overview, people or findings) of ``cut``, its nodes' details read
    with ``reader`` unless they are read already (``reader`` may then be ``None``)."""
    if not cut.filled:
        if reader is None:
            raise ValueError(f"the {kind} view's cut has no details, and no graph to read them from was given")
        fill_cut(kind, cut, reader)
    return _DEFAULT_KINDS[kind].draw(cut)


def _overview_view(cut: Cut) -> View:
    H = cut.graph
    return View(
        "overview",
        "Overview: reports, areas, bodies, organisations and people",
        H,
        layout(H),
        _kind_legend(H),
        "Size: number of links.",
        cut.notice,
        _degree_sizes(H),
        file_name="overview.html",
    )


def _people_view(cut: Cut) -> View:
    P, between = cut.graph, cut.betweenness
    # each person's organisation: the one they hold most posts in (ties by name)
    org_of: dict[str, str] = {}
    for p in P:
        orgs = cut.organisations[p]
        if orgs:
            org_of[p] = max(sorted(set(orgs)), key=orgs.count)
    counts: dict[str, int] = {}
    for org in org_of.values():
        counts[org] = counts.get(org, 0) + 1
    ranked = sorted(counts, key=lambda o: (-counts[o], o))
    colour_of = {org: PALETTE[i] for i, org in enumerate(ranked[: len(PALETTE)])}
    colours = {p: colour_of.get(org_of.get(p, ""), OTHER_COLOUR if p in org_of else NONE_COLOUR) for p in P}
    legend: list[dict[str, object]] = [
        {"label": org, "color": colour_of[org], "shape": "dot", "count": counts[org]} for org in colour_of
    ]
    others = sum(counts[o] for o in ranked[len(PALETTE) :])
    if others:
        legend.append({"label": "Other organisations", "color": OTHER_COLOUR, "shape": "dot", "count": others})
    unknown = sum(1 for p in P if p not in org_of)
    if unknown:
        legend.append({"label": "No organisation recorded", "color": NONE_COLOUR, "shape": "dot", "count": unknown})
    top = max((between[p] for p in P), default=0.0) or 1.0
    sizes = {p: 8.0 + 32.0 * math.sqrt(between[p] / top) for p in P}
    extra = {p: [("Organisation (colour)", org_of.get(p, "none recorded")), ("Betweenness", f"{between[p]:.4f}")] for p in P}
    note = (
        "Colour: the organisation a person holds most posts in. Size: betweenness centrality in the "
        "overview graph (the same number as `sqsgraph stats`). A link joins people named in the same "
        "report or holding posts in the same organisation."
    )
    return View(
        "people",
        "People linked by shared reports and organisations",
        P,
        layout(P),
        legend,
        note,
        cut.notice,
        sizes,
        colours,
        extra,
        file_name="people.html",
    )


def _focus_view(G: nx.Graph, centre: str, hops: int, max_nodes: int, fill: Callable[[nx.Graph], None]) -> View:
    H = nx.ego_graph(G, centre, radius=hops)
    H = induced(G, H)
    notice = ""
    if H.number_of_nodes() > max_nodes:
        by_distance = nx.single_source_shortest_path_length(H, centre)
        keep = sorted(H, key=lambda v: (by_distance[v], -H.degree(v), v))[:max_nodes]
        notice = (
            f"Showing the {max_nodes:,} nodes nearest to {G.nodes[centre]['label']} "
            f"of {H.number_of_nodes():,} within {hops} hop(s)."
        )
        H = induced(H, keep)
    fill(H)
    label = G.nodes[centre]["label"]
    slug = _file_slug(label)
    if any(_file_slug(other) == slug for n, other in G.nodes(data="label") if n != centre):
        # two people of one name: the file is named by the IRI, which tells them apart
        tail = centre.split("/id/", 1)[1] if "/id/" in centre else "-".join(centre.rstrip("/").rsplit("/", 2)[-2:])
        slug = re.sub(r"[^a-z0-9]+", "-", tail.lower()).strip("-")[-60:].strip("-") or "node"
    sizes = _degree_sizes(H)
    sizes[centre] = 34.0
    return View(
        "focus",
        f"Around {label} ({hops} hop{'s' if hops != 1 else ''})",
        H,
        layout(H),
        _kind_legend(H),
        "The outlined node is the focus. Size: number of links.",
        notice,
        sizes,
        highlight=centre,
        file_name=f"focus-{slug}.html",
    )


def _file_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "node"


def _findings_view(cut: Cut) -> View:
    F = cut.graph
    sizes = {n: float(STYLES[F.nodes[n]["kind"]]["size"]) for n in F}
    for n in F:
        if F.nodes[n]["kind"] == "area":
            sizes[n] = 24.0
    # a finding (strength, improvement) is coloured by what its counts of this inspection count
    colours = {n: POLARITY_COLOURS[F.nodes[n].get("polarity", "none")] for n in F if F.nodes[n]["kind"] not in ("area", "theme")}
    legend = [item if item["label"] in ("Area", "Theme") else item | {"color": SHAPE_ONLY} for item in _kind_legend(F)]
    legend.insert(0, {"heading": "Shape: what it is"})
    tally = {p: 0 for p in POLARITIES}
    for n in colours:
        tally[F.nodes[n].get("polarity", "none")] += 1
    legend.append({"heading": "Colour: its counts of this inspection"})
    legend += [{"label": POLARITY_LEGEND[p], "color": POLARITY_COLOURS[p], "shape": "dot", "count": tally[p]} for p in POLARITIES]
    note = (
        "Each area branches into its themes, key strengths and areas for improvement. A finding's colour "
        "says what the counts it states for this inspection count (“sufficient in 12 of the 16” is "
        "favourable, “not undertaken in 3 of the 16” unfavourable); counts of an earlier inspection are "
        "left out. Click a finding for its text, counts and source."
    )
    return View(
        "findings",
        "Findings by area and theme",
        F,
        tree_layout(F),
        legend,
        note,
        cut.notice,
        sizes,
        colours,
        file_name="findings.html",
        fixed_layout=True,
        label_px=dict(FINDINGS_LABEL_PX),
        label_wrap={"theme": round(TREE_COLUMN * 0.9)},
        node_px=dict.fromkeys(("finding", "strength", "improvement"), 4),
        node_max=round(TREE_ROW * 0.4),
    )


@dataclass(frozen=True)
class _CutKind:
    """How a view of a whole network is made: the network it is cut from (``entity_graph`` or
    ``findings_graph``), its cut, how its nodes' details are read, and how it is drawn."""

    network: Callable[..., nx.Graph]
    cut: Callable[[nx.Graph, int], Cut]
    details: Callable[..., None]
    draw: Callable[[Cut], View]


#: The views cut from a whole network (every kind but focus, which is cut around its node).
_DEFAULT_KINDS: dict[str, _CutKind] = {
    "overview": _CutKind(entity_graph, overview_cut, add_entity_details, _overview_view),
    "people": _CutKind(entity_graph, people_cut, add_entity_details, _people_view),
    "findings": _CutKind(findings_graph, findings_cut, add_findings_details, _findings_view),
}


def whole_area_trees(F: nx.Graph, max_nodes: int) -> tuple[list[str], int, int]:
    """The nodes of as many whole area trees (an area, its themes, their findings) as fit in
    ``max_nodes``, areas in order of name: a cut that keeps findings with their area and theme
    rather than every area with nothing under it. An area too large to fit whole on its own
    keeps its themes first, then findings in order. Returns the nodes, the areas kept, the areas."""
    areas = _areas_by_name(F)
    keep: list[str] = []
    kept = 0
    for area in areas:
        tree = [area, *nx.descendants_at_distance(F, area, 1), *nx.descendants_at_distance(F, area, 2)]
        if len(keep) + len(tree) > max_nodes:
            if not keep:  # one area larger than the view: its themes, then findings in order
                keep, kept = sorted(tree, key=lambda v: (_depth(F, v), v))[:max_nodes], 1
            break
        keep.extend(tree)
        kept += 1
    return keep, kept, len(areas)


def _depth(F: nx.Graph, v: str) -> int:
    return {"area": 0, "theme": 1}.get(F.nodes[v]["kind"], 2)


def write_views(
    source: Source,
    out_dir: str | Path,
    sources: Mapping[str, str | os.PathLike[str]] | None = None,
    cuts: Mapping[str, Cut] | None = None,
) -> list[Path]:
    """Write the overview, people and findings views of ``source`` into ``out_dir``: an rdflib
    ``Dataset`` or ``Graph`` (small graphs, tests), or a pyoxigraph ``Store`` such as the on-disk
    query store (``querystore.open_query_store``), read with SPARQL. ``sources``: see
    ``write_view``; ``cuts``: see ``default_views``."""
    return [write_view(view, out_dir, sources) for view in default_views(source, cuts)]


def default_views(source: Source, cuts: Mapping[str, Cut] | None = None) -> Iterator[View]:
    """The views of ``DEFAULT_VIEWS``, one at a time (each written before the next is made), as
    ``build_view`` makes them: from ``cuts`` (``netindex``: kept beside the query store), else
    from one reading of the networks of ``source`` (``default_cuts``); the details of the nodes
    kept are read from ``source``."""
    reader = None
    if cuts is None:
        reader = GraphReader(union_graph(source))
        cuts = default_cuts(source, reader)
    elif not all(cut.filled for cut in cuts.values()):
        reader = GraphReader(union_graph(source, few=True))
    for kind in DEFAULT_VIEWS:
        yield draw_view(kind, cuts[kind], reader)


__all__ = [
    "Cut",
    "DEFAULT_VIEWS",
    "LABEL_PX",
    "MAX_LINKS",
    "MAX_NODES",
    "PHYSICS_MAX_NODES",
    "PdfLinks",
    "STYLES",
    "VIEW_KINDS",
    "View",
    "build_view",
    "cut_network",
    "default_cuts",
    "draw_view",
    "fill_cut",
    "find_node",
    "most_connected",
    "render_html",
    "same_name_hints",
    "script_json",
    "view_data",
    "write_view",
    "write_views",
]
