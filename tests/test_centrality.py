"""Betweenness over arrays (network/centrality.py) gives networkx's numbers to the last bit:
exact and sampled, on graphs with ties (many shortest paths of one length), several components
and isolated nodes; and the parts a view cuts keep the graph's order (netgraph.induced)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from sqsgraph.network.centrality import betweenness_centrality
from sqsgraph.network.netgraph import induced


def _graphs() -> list[tuple[str, nx.Graph]]:
    rng = random.Random(7)
    graphs = []
    for i in range(8):
        n = rng.randint(2, 120)
        G = nx.gnm_random_graph(n, rng.randint(0, 3 * n), seed=i)
        # string nodes in no sorted order, as the views' IRIs come, and two isolated nodes
        G = nx.relabel_nodes(G, {v: f"node-{rng.random():.12f}" for v in G})
        G.add_nodes_from(["isolated-a", "isolated-b"])
        graphs.append((f"random-{i}", G))
    graphs.append(("grid (ties: many shortest paths of one length)", nx.grid_2d_graph(12, 9)))
    graphs.append(("hypercube (ties)", nx.hypercube_graph(6)))
    graphs.append(("two components", nx.disjoint_union(nx.cycle_graph(9), nx.star_graph(6))))
    graphs.append(("one node", nx.empty_graph(1)))
    graphs.append(("two nodes", nx.path_graph(2)))
    graphs.append(("no links", nx.empty_graph(5)))
    return graphs


@pytest.mark.parametrize(("name", "G"), _graphs(), ids=[name for name, _G in _graphs()])
def test_exact_betweenness_is_networkx_s_to_the_bit(name: str, G: nx.Graph) -> None:
    assert betweenness_centrality(G) == nx.betweenness_centrality(G, normalized=True)


@pytest.mark.parametrize(("name", "G"), _graphs()[:-3], ids=[name for name, _G in _graphs()[:-3]])
@pytest.mark.parametrize("k", [1, 2, 7])
def test_sampled_betweenness_is_networkx_s_to_the_bit(name: str, G: nx.Graph, k: int) -> None:
    k = min(k, len(G))
    ours, theirs = betweenness_centrality(G, k, 42), nx.betweenness_centrality(G, k=k, normalized=True, seed=42)
    assert list(ours) == list(theirs)
    # k = 1 leaves a sampled source's value undefined (NaN) in networkx: NaN there too
    assert all(ours[v] == theirs[v] or (ours[v] != ours[v] and theirs[v] != theirs[v]) for v in G)


def test_the_sample_follows_the_seed() -> None:
    G = nx.barabasi_albert_graph(300, 2, seed=3)
    assert betweenness_centrality(G, 20, 42) == nx.betweenness_centrality(G, k=20, normalized=True, seed=42)
    assert betweenness_centrality(G, 20, 42) != betweenness_centrality(G, 20, 43)


def test_a_cut_part_keeps_the_graph_s_order_and_data() -> None:
    G = nx.Graph()
    G.add_nodes_from((f"n{i:03d}", {"label": str(i)}) for i in range(100))
    G.add_edges_from((f"n{i:03d}", f"n{(i * 7) % 100:03d}", {"rels": (str(i),)}) for i in range(100) if i != (i * 7) % 100)
    keep = {f"n{i:03d}" for i in range(0, 100, 3)}  # under half of the nodes
    H = induced(G, keep)
    assert list(H) == [n for n in G if n in keep]
    assert all(list(H[n]) == [m for m in G[n] if m in keep] for n in H)
    assert nx.utils.graphs_equal(H, G.subgraph(keep))
    assert all(H.nodes[n] == G.nodes[n] and H.nodes[n] is not G.nodes[n] for n in H)
    assert all(H.edges[e] == G.edges[e] for e in H.edges)
