"""Where the views' nodes stand: a force layout (Kamada-Kawai for small graphs, a blocked
spring layout above), folded leaves, and the findings view's area trees side by side. Seeded:
the same graph is drawn the same way every time.
"""

from __future__ import annotations

import math
import re
from typing import Any

import networkx as nx

from .netgraph import induced

SEED = 42


def _areas_by_name(F: nx.Graph) -> list[str]:
    """The area nodes of a findings tree in the order the view cuts and lays them out."""
    return sorted((n for n in F if F.nodes[n]["kind"] == "area"), key=lambda n: (F.nodes[n]["label"], n))


#: Components up to this size get Kamada-Kawai; larger ones a seeded spring layout.
KK_MAX_NODES = 300


def layout(G: nx.Graph, spacing: float = 70.0) -> dict[str, tuple[int, int]]:
    """Whole-pixel positions: each connected component laid out on its own (Kamada-Kawai up to
    ``KK_MAX_NODES`` nodes, a seeded spring layout of the folded component above), scaled to
    its size, then the components packed in rows, largest first."""
    blocks: list[tuple[dict[str, tuple[float, float]], float]] = []
    for comp in sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c))):
        H = induced(G, comp)
        n = len(comp)
        if n == 1:
            blocks.append(({next(iter(comp)): (0.0, 0.0)}, spacing))
            continue
        members = _fold(H) if n > KK_MAX_NODES else {v: [v] for v in H}
        core = induced(H, members)
        if core.number_of_nodes() <= KK_MAX_NODES:
            raw = {k: (float(v[0]), float(v[1])) for k, v in nx.kamada_kawai_layout(core).items()}
        else:
            m = core.number_of_nodes()
            # the force method costs O(m^2) per iteration: fewer iterations as m grows
            iterations = max(12, min(50, int(50 * (800 / m) ** 2)))
            raw = force_layout(core, iterations, 1.5 / math.sqrt(m))
        radius = spacing * math.sqrt(n) * 0.9
        xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        extent = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
        scaled: dict[str, tuple[float, float]] = {}
        for rep, (x, y) in raw.items():
            px, py = (x - cx) / extent * radius, (y - cy) / extent * radius
            group = members[rep]
            if len(group) == 1:
                scaled[rep] = (px, py)
                continue
            ring = 18.0 + 5.0 * len(group)  # the folded nodes sit on a ring around their place
            for i, v in enumerate(group):
                angle = 2 * math.pi * i / len(group)
                scaled[v] = (px + ring * math.cos(angle), py + ring * math.sin(angle))
        blocks.append((scaled, radius + spacing))
    positions: dict[str, tuple[int, int]] = {}
    total = sum((2 * r) ** 2 for _b, r in blocks)
    row_width = max(math.sqrt(total) * 1.3, max((2 * r for _b, r in blocks), default=0))
    x = y = row_height = 0.0
    for block, r in blocks:
        if x > 0 and x + 2 * r > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for k, (px, py) in block.items():
            positions[k] = (round(x + r + px), round(y + r + py))
        x += 2 * r
        row_height = max(row_height, 2 * r)
    return positions


#: Rows of the distance matrix the force layout computes at a time (memory: rows x nodes x 24 B).
FORCE_BLOCK = 256


def force_layout(G: nx.Graph, iterations: int, k: float) -> dict[str, tuple[float, float]]:
    """networkx's Fruchterman-Reingold force layout (the same forces, cooling and seeded start
    as ``nx.spring_layout(method="force")``), vectorised over blocks of rows: networkx computes
    the forces of a graph over 500 nodes one node at a time in Python, about ten times slower,
    and its all-at-once version needs nodes² x 16 bytes (400 MB for 5,000 nodes). Each sum of
    forces adds node after node in single precision, as ``numpy.einsum`` over the rows did here
    before: the same positions to the last bit, from arrays without a short last axis."""
    import numpy as np

    nodes = list(G)
    n = len(nodes)
    adjacency = nx.to_scipy_sparse_array(G, nodelist=nodes, dtype="f", format="csr")
    pos = np.random.RandomState(SEED).rand(n, 2).astype("f")
    t = float(max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]))) * 0.1
    dt = t / (iterations + 1)
    # the links of each block of rows, as (column, row in the block)
    blocks = _blocks(n)
    links = [_block_links(adjacency, lo, hi) for lo, hi in blocks]
    for _ in range(iterations):
        displacement = np.empty((n, 2), dtype="f")
        xs, ys = pos[:, 0].copy(), pos[:, 1].copy()
        for (lo, hi), (columns, rows, weights) in zip(blocks, links, strict=True):
            # a block of rows, transposed (one column per node of the block): the sums over all
            # nodes below run down the columns, adding node after node as networkx's sum does
            dx, dy = xs[lo:hi] - xs[:, np.newaxis], ys[lo:hi] - ys[:, np.newaxis]
            distance = np.sqrt(dx * dx + dy * dy)
            np.clip(distance, 0.01, None, out=distance)
            force = k * k / distance**2
            force[columns, rows] -= weights * distance[columns, rows] / k  # the pull of the links
            displacement[lo:hi, 0] = np.add.reduce(dx * force, axis=0)
            displacement[lo:hi, 1] = np.add.reduce(dy * force, axis=0)
        length = np.clip(np.linalg.norm(displacement, axis=-1), 0.01, None)
        step = displacement * (t / length)[:, np.newaxis]
        pos += step
        t -= dt
        if np.linalg.norm(step) / n < 1e-4:
            break
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, pos, strict=True)}


def _blocks(n: int) -> list[tuple[int, int]]:
    return [(lo, min(n, lo + FORCE_BLOCK)) for lo in range(0, n, FORCE_BLOCK)]


def _block_links(adjacency: Any, lo: int, hi: int) -> tuple[Any, Any, Any]:
    """The links of rows ``lo`` to ``hi`` of a CSR adjacency matrix: their columns, their rows
    counted from ``lo``, and their weights."""
    block = adjacency[lo:hi].tocoo()
    return block.col, block.row, block.data


def _fold(H: nx.Graph) -> dict[str, list[str]]:
    """Structurally equivalent nodes of low degree (same neighbours, e.g. the people named in
    one report who hold posts in one organisation) folded onto one representative, so the
    force layout runs on far fewer nodes. Maps each representative to the nodes it stands for."""
    classes: dict[frozenset[str], list[str]] = {}
    members: dict[str, list[str]] = {}
    for v in sorted(H):
        if H.degree(v) <= 3:
            classes.setdefault(frozenset(H[v]), []).append(v)
        else:
            members[v] = [v]
    for group in classes.values():
        members[group[0]] = group
    return members


#: The findings tree, in drawing units: a theme's column (a finding's label, at most 48
#: characters at 12 units, fits it), a finding's row, where a tree's themes and first findings
#: stand below its area (room for the themes' labels, wrapped to their column and kept readable
#: when zoomed out), and the space between trees.
TREE_COLUMN = 330


TREE_ROW = 48


TREE_THEMES = 150


TREE_FINDINGS = 480


TREE_GAP = 200


#: The drawing's part of a 1400x900 window (the header and the side panel taken off), in pixels:
#: the findings trees are arranged to fill it.
DRAWING_AREA = (1020, 848)


def tree_layout(F: nx.Graph, column: int = TREE_COLUMN, row: int = TREE_ROW) -> dict[str, tuple[int, int]]:
    """Findings as a tidy tree per area: the area on top, its themes in a row beneath, and the
    findings of each theme in a column under it. The trees stand side by side in rows, in order
    of area name, as many to a row as make the whole largest in the window (``DRAWING_AREA``)."""
    trees: list[tuple[dict[str, tuple[float, float]], float, float]] = []
    for area in _areas_by_name(F):
        groups = sorted(
            (g for g in F.neighbors(area) if F.nodes[g]["kind"] == "theme"),
            key=lambda g: (_group_order(F.nodes[g]["label"]), F.nodes[g]["label"], g),
        )
        width = max(len(groups), 1) * column
        local: dict[str, tuple[float, float]] = {area: (width / 2 - column / 2, 0)}
        deepest = 0
        for i, group in enumerate(groups):
            local[group] = (i * column, TREE_THEMES)
            items = sorted((f for f in F.neighbors(group) if f != area), key=lambda f: (_paragraph_key(F, f), f))
            for j, item in enumerate(items):
                local[item] = (i * column, TREE_FINDINGS + j * row)
            deepest = max(deepest, len(items))
        trees.append((local, width, TREE_FINDINGS + max(deepest - 1, 0) * row if deepest else TREE_THEMES))

    def rows_of(per_row: int) -> list[list[int]]:
        return [list(range(i, min(i + per_row, len(trees)))) for i in range(0, len(trees), per_row)]

    def extent(rows: list[list[int]]) -> tuple[float, float]:
        width = max(sum(trees[t][1] for t in r) + column * (len(r) - 1) for r in rows)
        height = sum(max(trees[t][2] for t in r) for r in rows) + TREE_GAP * (len(rows) - 1)
        return width, height

    positions: dict[str, tuple[int, int]] = {}
    y = 0.0
    if trees:

        def scale(per_row: int) -> float:
            width, height = extent(rows_of(per_row))
            return min(DRAWING_AREA[0] / width, DRAWING_AREA[1] / height)

        best = max(range(1, len(trees) + 1), key=lambda k: (scale(k), -k))
        for r in rows_of(best):
            x = 0.0
            for t in r:
                local, tree_width, _height = trees[t]
                for n, (px, py) in local.items():
                    positions[n] = (round(x + px), round(y + py))
                x += tree_width + column
            y += max(trees[t][2] for t in r) + TREE_GAP
    for n in sorted(F):  # anything not under an area (should not happen) goes at the bottom
        if n not in positions:
            positions[n] = (0, round(y))
            y += row
    return positions


def _group_order(label: str) -> int:
    return {"Key strengths": 90, "Areas for improvement": 91}.get(label, 0)


def _paragraph_key(F: nx.Graph, f: str) -> tuple[tuple[int, ...], str]:
    para = dict(F.nodes[f]["facts"]).get("Paragraph", "")
    numbers = tuple(int(x) for x in re.findall(r"\d+", para))
    return numbers or (10**6,), F.nodes[f]["label"]
