"""The views' cuts of the networks, kept beside the query store: which part of the whole network
each default view shows (``views.Cut``), chosen once, when the store is made, so that a view is
drawn from the part it keeps, reading from the store only the details of those nodes, in
seconds whatever the size of the graph.

Choosing a cut needs the whole network: its components, degrees and betweenness (the overview,
people view), every area's tree (the findings view). Reading it from the store costs about
6 µs per statement decoded, whatever reads it (at 10,000 reports: ~20 s for the entity network,
~12 s for the findings tree): too slow to repeat for every view. The cuts are small (at most
``views.MAX_NODES`` nodes and ``views.MAX_LINKS`` links each), so they are kept whole, as JSON,
and drawn exactly as if just cut (the same nodes, links, order and bytes).

``write_network_index`` makes the file; ``read_network_index`` reads it back, or gives ``None``
for a file made by another version or with other limits (the views then cut the network again).
The query store keeps the file with its database (``querystore.ensure_network_index``,
``network_index_path``): live, stale and removed with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from ..files import write_atomic
from . import views
from .graphreader import GraphReader, Source, union_graph
from .views import DEFAULT_VIEWS, Cut, default_cuts, fill_cut

#: What the file's ``format`` says; another one is not read (the cuts are made again). Raise it
#: when what a cut holds changes, or how the views cut the networks or word a node's details: a
#: store made before would otherwise show the old cut or wording until it is built again.
INDEX_FORMAT = 1


def write_network_index(source: Source, path: str | Path) -> Path:
    """Cut the networks of ``source`` for the default views, read the details of the nodes each
    cut keeps (with the tables the cutting read whole: cheaper here than one lookup at a time
    later), and keep the cuts in ``path``."""
    reader = GraphReader(union_graph(source))
    cuts = default_cuts(source, reader)
    for kind, cut in cuts.items():
        fill_cut(kind, cut, reader)
    data = {
        "format": INDEX_FORMAT,
        "max_nodes": views.MAX_NODES,
        "max_links": views.MAX_LINKS,
        "cuts": {kind: _cut_data(cut) for kind, cut in cuts.items()},
    }
    return write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def read_network_index(path: str | Path | None) -> dict[str, Cut] | None:
    """The cuts kept in ``path``, or ``None`` when there is no such file, or it was made by
    another version of this format or with other limits than the views' now."""
    if path is None or not Path(path).is_file():
        return None
    try:
        data = json.loads(Path(path).read_bytes())
    except (OSError, ValueError):
        return None  # unreadable: the views cut the network again
    if not isinstance(data, dict) or (data.get("format"), data.get("max_nodes"), data.get("max_links")) != (
        INDEX_FORMAT,
        views.MAX_NODES,
        views.MAX_LINKS,
    ):
        return None
    cuts = data.get("cuts")
    if not isinstance(cuts, dict) or set(cuts) != set(DEFAULT_VIEWS):
        return None
    return {kind: _cut_of(cuts[kind]) for kind in DEFAULT_VIEWS}


def usable_network_index(path: str | Path) -> bool:
    """Whether ``read_network_index`` reads the cuts in ``path`` (a function, not a lambda, so
    that it can be handed to another process)."""
    return read_network_index(path) is not None


def _cut_data(cut: Cut) -> dict[str, Any]:
    """A cut as JSON: its nodes in order with their data, and each node's links in its adjacency
    order (both ways, so that the graph read back is the same, order included), each link's
    relations once (where it is met first), as numbers into one list of the relations (a pair of
    national officials shares hundreds of reports: written out each time, they were 46 MB of
    the 10,000-report people view's 47)."""
    G = cut.graph
    index = {n: i for i, n in enumerate(G)}
    rels: dict[str, int] = {}
    links = []
    for i, u in enumerate(G):
        around = []
        for v, data in G.adj[u].items():
            j = index[v]
            around.append([j, [rels.setdefault(r, len(rels)) for r in data["rels"]]] if j >= i else [j])
        links.append(around)
    return {
        "notice": cut.notice,
        "nodes": [[n, data] for n, data in G.nodes(data=True)],
        "rels": list(rels),
        "links": links,
        "betweenness": cut.betweenness,
        "organisations": cut.organisations,
        "filled": cut.filled,
    }


def _cut_of(data: Mapping[str, Any]) -> Cut:
    G = nx.Graph()
    nodes = [n for n, _attrs in data["nodes"]]
    G.add_nodes_from((n, _node_data(attrs)) for n, attrs in data["nodes"])
    rels = data["rels"]
    links = zip(nodes, data["links"], strict=True)
    # a link's relations come with it where it is met first; met again (the other way), it adds no data
    G.add_edges_from(
        (u, nodes[link[0]], {"rels": tuple(rels[r] for r in link[1])} if len(link) > 1 else {})
        for u, around in links
        for link in around
    )
    organisations = {p: list(orgs) for p, orgs in data["organisations"].items()}
    return Cut(G, data["notice"], dict(data["betweenness"]), organisations, bool(data["filled"]))


def _node_data(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A node's data as the networks and details make it: facts as (name, value) pairs, spans
    (each a dictionary) as a tuple."""
    found = dict(attrs)
    found["facts"] = tuple((name, value) for name, value in attrs.get("facts", ()))
    found["spans"] = tuple(attrs.get("spans", ()))
    return found


__all__ = ["INDEX_FORMAT", "read_network_index", "usable_network_index", "write_network_index"]
