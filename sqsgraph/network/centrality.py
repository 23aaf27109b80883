"""Betweenness centrality by Brandes' algorithm over arrays: the numbers networkx's
``betweenness_centrality(G, k, normalized=True, seed=...)`` gives, to the last bit, in a fraction
of its time (one breadth-first search per source, level by level with numpy, instead of one
Python step per link).

The same numbers, not only close ones: the sources are the ones networkx samples
(``random.Random(seed).sample(list(G), k)``), visited in its order; each search finds the nodes
of a level in networkx's order (by the node they are reached from, then in adjacency order); every
sum is added up in the order networkx adds it (``numpy.bincount`` adds its weights one by one, in
the order given), and the scale is networkx 3.6's (a sampled source scaled apart from the rest).
``tests/test_centrality.py`` checks equality with networkx on graphs with ties, several
components and isolated nodes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def betweenness_centrality(G: nx.Graph, k: int | None = None, seed: int | None = None) -> dict[Any, float]:
    """Normalised betweenness of every node of the undirected, unweighted ``G`` (path ends
    excluded): exact, or estimated from ``k`` sources sampled with ``seed`` as networkx does."""
    nodes = list(G)
    n = len(nodes)
    if k == n:  # networkx: the same result as exact, so computed as exact
        k = None
    index = {v: i for i, v in enumerate(nodes)}
    indptr, indices = _adjacency(G, nodes, index)
    sampled = None if k is None else random.Random(seed).sample(nodes, k)
    sources = range(n) if sampled is None else [index[v] for v in sampled]
    total = np.zeros(n)
    for s in sources:
        delta = _dependencies(indptr, indices, s, n)
        delta[s] = 0.0  # a source's own dependency is not its betweenness
        total += delta
    return dict(zip(nodes, _rescale(total, nodes, sampled).tolist(), strict=True))


def _adjacency(G: nx.Graph, nodes: list[Hashable], index: dict[Hashable, int]) -> tuple[Ints, Ints]:
    """The neighbours of each node as CSR arrays, each node's in ``G``'s adjacency order."""
    adjacency = G.adj
    degrees = [len(adjacency[v]) for v in nodes]
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum(degrees, out=indptr[1:])
    indices = np.fromiter((index[w] for v in nodes for w in adjacency[v]), dtype=np.int64, count=int(indptr[-1]))
    return indptr, indices


def _dependencies(indptr: Ints, indices: Ints, s: int, n: int) -> Floats:
    """Brandes' dependency of ``s`` on every node: a breadth-first search counting shortest paths
    (``sigma``), then the dependencies summed back from the farthest level."""
    seen = np.zeros(n, dtype=bool)
    seen[s] = True
    sigma = np.zeros(n)
    sigma[s] = 1.0
    frontier = np.array([s], dtype=np.int64)
    levels: list[tuple[Ints, Ints, Ints]] = []  # per level below the source: its nodes, and its links (from, to)
    while True:
        starts = indptr[frontier]
        counts = indptr[frontier + 1] - starts
        total = int(counts.sum())
        if total == 0:
            break
        # every link out of the level, by the node it leaves, then in adjacency order
        firsts = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        heads = indices[firsts + np.arange(total)]
        tails = np.repeat(frontier, counts)
        new = ~seen[heads]  # a link to a node not reached before lies on a shortest path
        heads, tails = heads[new], tails[new]
        if heads.size == 0:
            break
        found, first, at = np.unique(heads, return_index=True, return_inverse=True)
        order = np.argsort(first)  # the next level, in the order networkx reaches it
        nxt = found[order]
        seen[nxt] = True
        sigma[found] = np.bincount(at, weights=sigma[tails])  # summed in the order the links come
        levels.append((nxt, tails, heads))
        frontier = nxt
    delta = np.zeros(n)
    position = np.empty(n, dtype=np.int64)
    for nodes, tails, heads in reversed(levels):
        position[nodes] = np.arange(nodes.size)
        coeff = (1.0 + delta[heads]) / sigma[heads]
        # networkx takes the level's nodes last reached first: each predecessor's sum follows
        order = np.argsort(-position[heads], kind="stable")
        tails = tails[order]
        terms = sigma[tails] * coeff[order]
        parents, at = np.unique(tails, return_inverse=True)
        delta[parents] = np.bincount(at, weights=terms)
    return delta


def _rescale(total: Floats, nodes: list[Hashable], sampled: list[Hashable] | None) -> Floats:
    """networkx 3.6's normalisation (path ends excluded): over the ``(n - 1)(n - 2)`` ordered
    pairs, or, sampled, over ``k (n - 2)`` pairs for a node that was not a source and
    ``(k - 1)(n - 2)`` for one that was."""
    pairs = len(nodes) - 1
    if pairs < 2:
        return total
    if sampled is None:
        return total * (1 / (pairs * (pairs - 1)))
    k = len(sampled)
    scale_source = 1 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
    scale_other = 1 / (k * (pairs - 1))
    chosen = set(sampled)
    scales: Floats = np.array([scale_source if v in chosen else scale_other for v in nodes])
    return total * scales


__all__ = ["betweenness_centrality"]
