"""Interactive network views: networkx graphs (``netgraph``) drawn as one self-contained HTML
file each, with the vis-network library that ships inside the pyvis package.

Four kinds of view: ``overview``, ``people``, ``focus`` and ``findings`` (see docs/views.md).

What every page guarantees:

* **Offline.** The vis-network script and style are read from the installed pyvis package
  (``pyvis/lib/vis-9.1.2``) and inlined; no ``src`` or ``href`` of the page points anywhere, and a
  Content-Security-Policy with ``default-src 'none'`` forbids any fetch. pyvis's own HTML
  template is not used: it links Bootstrap from a CDN even in ``in_line`` mode, its "local" mode
  writes a ``lib/`` folder into the current directory, and titles containing ``href`` switch it to
  a popup filled through ``innerHTML``.
* **One kind of link: to the PDF a fact was read from.** A span read from a PDF report carries
  its page(s); the details panel shows "page N" and a link that opens the PDF at that page
  (``…/kent.pdf#page=N``, which Chromium's and Firefox's viewers follow), opened only when
  clicked. The link is relative to the folder the page is written to: to the PDF where the build
  read it (``write_views(..., sources=)``), or else to the PDF's file name, the PDF expected
  beside the views (the link's tooltip says which). It is percent-encoded, so a file name can
  never become a ``javascript:`` or other scheme, and the page script sets it only when it is a
  relative path.
* **Report text stays text.** Labels, tooltips and the details panel receive report text as data:
  one JSON document in a ``<script type="application/json">`` element (with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped), read with ``JSON.parse`` and put on the page with ``textContent``;
  vis-network draws labels on a canvas and sets string tooltips with ``innerText``. The
  Content-Security-Policy allows only the page's two scripts, by hash, as a second line of defence.
* **Deterministic.** The layout is computed here with networkx (Kamada-Kawai per component,
  seeded spring layout for large components, a tidy tree for findings) and rounded to whole
  pixels; the same graph always gives byte-identical HTML.
* **Large graphs.** Above ``PHYSICS_MAX_NODES`` nodes the page draws the precomputed layout with
  physics off; above ``MAX_NODES`` nodes or ``MAX_LINKS`` links it shows the most connected part
  and says so on the page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from importlib import resources
from pathlib import Path
from typing import TypedDict
from urllib.parse import quote

import networkx as nx

from ..errors import UsageError
from ..files import write_atomic
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
    union_graph,
)

VIEW_KINDS = ("overview", "people", "focus", "findings")


#: the views ``write_views`` writes (focus needs a subject, so it is written on request only)
DEFAULT_VIEWS = ("overview", "people", "findings")


#: Above this many nodes the page turns physics off and draws the networkx layout as it is
#: (measured in headless Chromium: see docs/views.md).
PHYSICS_MAX_NODES = 400


#: Above this many nodes a view keeps only the most connected part.
MAX_NODES = 5000


#: ... and above this many links between the nodes it keeps (a browser's time to open the page
#: grows with the links: the 10,000-report overview opened in headless Chromium in 2.1 s with
#: 10,000 links, 3.1 s with 20,000, 4.9 s with 40,000 on a loaded machine; see docs/views.md).
MAX_LINKS = 20_000


#: The least size of a label on screen, in pixels, at any zoom (see ``View.label_px``).
LABEL_PX = 10


class Style(TypedDict):
    """How a kind of node is drawn: its colour, vis-network shape and size."""

    color: str
    shape: str
    size: int


STYLES: dict[str, Style] = {
    "area": {"color": "#2e7d32", "shape": "hexagon", "size": 18},
    "report": {"color": "#455a64", "shape": "square", "size": 13},
    "body": {"color": "#ef6c00", "shape": "diamond", "size": 15},
    "organisation": {"color": "#8e24aa", "shape": "triangle", "size": 12},
    "person": {"color": "#1e88e5", "shape": "dot", "size": 9},
    "theme": {"color": "#00897b", "shape": "star", "size": 15},
    "finding": {"color": "#90a4ae", "shape": "dot", "size": 7},
    "strength": {"color": "#43a047", "shape": "triangle", "size": 9},
    "improvement": {"color": "#e53935", "shape": "triangleDown", "size": 9},
}


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


@dataclass
class View:
    """A view ready to render: a laid-out graph and what the page says about it."""

    kind: str
    title: str
    graph: nx.Graph
    positions: dict[str, tuple[int, int]]
    legend: list[dict[str, object]]
    legend_note: str = ""
    notice: str = ""
    sizes: dict[str, float] = field(default_factory=dict)
    colours: dict[str, str] = field(default_factory=dict)
    extra_facts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    highlight: str | None = None
    file_name: str = ""
    fixed_layout: bool = False  # a designed layout (the findings tree) is never moved by physics
    #: the least size, in screen pixels, the labels of each kind keep however far the view is
    #: zoomed out (a kind not named: its labels shrink with the drawing)
    label_px: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STYLES, LABEL_PX))
    #: the width, in drawing units, the labels of each kind are wrapped to (a kind not named: one line)
    label_wrap: dict[str, int] = field(default_factory=dict)
    #: the least radius, in screen pixels, the nodes of each kind keep when zoomed out, up to
    #: ``node_max`` drawing units (so that their colour shows)
    node_px: dict[str, int] = field(default_factory=dict)
    node_max: int = 0
    #: the kinds whose labels are placed first, in this order (the others after them, larger
    #: nodes first): the places, reports and themes that give the drawing its bearings
    label_first: tuple[str, ...] = ("area", "report", "body", "theme")

    @property
    def physics(self) -> bool:
        return not self.fixed_layout and self.graph.number_of_nodes() <= PHYSICS_MAX_NODES


def build_view(dataset: Source, kind: str, focus: str | None = None, hops: int = 1, max_nodes: int = MAX_NODES) -> View:
    """The view of one kind over ``dataset`` (an rdflib ``Dataset`` or ``Graph``, or a pyoxigraph
    ``Store`` such as the on-disk query store); ``focus`` (a label or IRI) and ``hops`` for the
    focus view. Raises ``UsageError`` for an unknown kind, a missing or unmatched focus.

    The network is read first; the facts and source text are read only for the nodes the view
    keeps (at most ``max_nodes``)."""
    if kind not in VIEW_KINDS:
        raise UsageError(f"unknown view {kind!r}; choose one of {', '.join(VIEW_KINDS)}")
    g = union_graph(dataset)
    if kind == "findings":
        return _findings_view(findings_graph(g, details=False), max_nodes, lambda F: add_findings_details(F, g))
    G = entity_graph(g, details=False)
    fill: Callable[[nx.Graph], None] = lambda H: add_entity_details(H, g)  # noqa: E731
    if kind == "overview":
        return _overview_view(G, max_nodes, fill)
    if kind == "people":
        return _people_view(G, max_nodes, fill)
    if focus is None or not focus.strip():
        raise UsageError("the focus view needs --focus NAME_OR_IRI (a person, area, body or organisation)")
    if hops < 1:
        raise UsageError(f"--hops must be 1 or more, not {hops}")
    return _focus_view(G, find_node(G, focus), hops, max_nodes, fill)


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
    keep: list[str] = []
    kept: set[str] = set()
    links = 0
    for comp in sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c))):
        room = cap - len(keep)
        if room <= 0 or links >= max_links:
            break
        inside = sum(d for _v, d in G.degree(comp)) // 2  # every link of a node of the component is in it
        if len(comp) <= room and links + inside <= max_links:
            keep.extend(comp)
            kept.update(comp)
            links += inside
            continue
        for v in sorted(comp, key=lambda v: (-G.degree(v), v)):  # the most connected nodes, while they fit
            new = sum(1 for u in G[v] if u in kept)
            if len(keep) >= cap or links + new > max_links:
                break
            keep.append(v)
            kept.add(v)
            links += new
        break
    H = induced(G, keep)
    left = n - H.number_of_nodes()
    if len(keep) < cap:  # not the nodes: the links were the limit
        notice = (
            f"Showing the most connected part: {H.number_of_nodes():,} of {n:,} nodes and "
            f"{H.number_of_edges():,} of {m:,} links (at most {max_links:,} links are drawn, so that the "
            f"page opens in a few seconds; {left:,} nodes left out: the smaller components and the least "
            f"connected nodes). Use `sqsgraph view focus --focus NAME` to see any part in full."
        )
    else:
        notice = (
            f"Showing the most connected part: {H.number_of_nodes():,} of {n:,} nodes "
            f"({left:,} left out: the smaller components and the least connected nodes). "
            f"Use `sqsgraph view focus --focus NAME` to see any part in full."
        )
    return H, notice


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


def _overview_view(G: nx.Graph, max_nodes: int, fill: Callable[[nx.Graph], None]) -> View:
    H, notice = most_connected(G, max_nodes)
    fill(H)
    return View(
        "overview",
        "Overview: reports, areas, bodies, organisations and people",
        H,
        layout(H),
        _kind_legend(H),
        "Size: number of links.",
        notice,
        _degree_sizes(H),
        file_name="overview.html",
    )


def _people_view(G: nx.Graph, max_nodes: int, fill: Callable[[nx.Graph], None]) -> View:
    between = analytics.betweenness(G)
    P = people_graph(G)
    P, notice = most_connected(P, max_nodes)
    fill(P)
    # each person's organisation: the one they hold most posts in (ties by name)
    org_of: dict[str, str] = {}
    for p in P:
        orgs = sorted(G.nodes[o]["label"] for o in G.neighbors(p) if G.nodes[o]["kind"] in ("organisation", "body"))
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
        notice,
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


def _findings_view(F: nx.Graph, max_nodes: int, fill: Callable[[nx.Graph], None]) -> View:
    notice = ""
    if F.number_of_nodes() > max_nodes:
        keep, areas_kept, areas = whole_area_trees(F, max_nodes)
        notice = (
            f"Showing {len(keep):,} of {F.number_of_nodes():,} nodes: {areas_kept:,} of {areas:,} areas "
            f"(in order of name), each with all its themes and findings (at most {max_nodes:,} nodes "
            f"are drawn; the query findings-by-theme lists every finding)."
        )
        F = induced(F, keep)
    fill(F)
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
        notice,
        sizes,
        colours,
        file_name="findings.html",
        fixed_layout=True,
        label_px=dict(FINDINGS_LABEL_PX),
        label_wrap={"theme": round(TREE_COLUMN * 0.9)},
        node_px=dict.fromkeys(("finding", "strength", "improvement"), 4),
        node_max=round(TREE_ROW * 0.4),
    )


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


def _asset(package: str, path: str) -> str:
    return resources.files(package).joinpath(path).read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are
    escaped (so neither ``</script>`` nor ``<!--`` can appear), and so are U+2028 and U+2029."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _tooltip(kind_name: str, label: str, facts: list[tuple[str, str]]) -> str:
    lines = [f"{kind_name}: {label}"]
    for name, value in facts[:4]:
        if value != label:
            lines.append(f"{name}: {value if len(value) <= 160 else value[:159] + '…'}")
    lines.append("Click for details")
    return "\n".join(lines)


@dataclass(frozen=True)
class PdfLinks:
    """Where the page of a view links a PDF's pages to. ``out_dir``: the folder the page is
    written to (None: not known, links are to the file name, i.e. beside the page);
    ``sources``: the path each source file was read from, by its sha256 (as the build knows
    them). A PDF not in ``sources`` is linked by its file name, expected beside the views."""

    out_dir: Path | None = None
    sources: Mapping[str, str | os.PathLike[str]] = field(default_factory=dict)

    def link(self, sha256: str | None, name: str, page: str) -> tuple[str, str]:
        """The href (relative, percent-encoded, ``#page=N``) and the tooltip that says where it
        leads."""
        found = self.sources.get(sha256) if sha256 else None
        if found is not None:
            target = os.path.abspath(found)
            try:
                relative = os.path.relpath(target, os.path.abspath(self.out_dir if self.out_dir is not None else "."))
            except ValueError:  # another drive (Windows): no relative path
                relative = None
            if relative is not None:
                relative = relative.replace(os.sep, "/")
                return (
                    _href(relative, page),
                    f"Opens {relative} at page {page}: the PDF where the build read it, from this page's folder",
                )
        return (
            _href(Path(name).name, page),
            f"Opens {name} at page {page}: the PDF is expected in the same folder as this page "
            "(the build that wrote this view did not say where it was read from)",
        )


def _href(path: str, page: str) -> str:
    """``path`` percent-encoded (no ``:``, ``?`` or ``#`` survives, so it stays a relative path)
    with the PDF open parameter ``#page=N``."""
    quoted = quote(path, safe="/")
    if quoted.startswith("//"):  # would name a host
        quoted = "./" + quoted.lstrip("/")
    return f"{quoted}#page={int(page)}"


def _span_data(span: dict[str, str], links: PdfLinks) -> dict[str, str]:
    """A span as the page shows it: the PDF's name and hash turned into a link to its page."""
    out = {k: v for k, v in span.items() if k != "pdfSha256"}
    if span.get("page") and span.get("pdf"):
        out["href"], out["hrefTitle"] = links.link(span.get("pdfSha256"), span["pdf"], span["page"])
    return out


def view_data(view: View, links: PdfLinks | None = None) -> dict[str, object]:
    """The JSON document the page draws: nodes, edges, styles, legend and flags. ``links``: where
    the spans read from a PDF link to (default: the PDF's file name, beside the page)."""
    links = links or PdfLinks()
    G = view.graph
    index = {n: i for i, n in enumerate(sorted(G))}
    hints = same_name_hints(G)
    nodes = []
    for n in sorted(G):
        d = G.nodes[n]
        kind = d["kind"]
        facts = [list(f) for f in d["facts"]] + [list(f) for f in view.extra_facts.get(n, [])]
        node: dict[str, object] = {
            "id": index[n],
            "kind": kind,
            "kindName": KIND_NAMES[kind],
            "label": d["label"],
            "tooltip": _tooltip(KIND_NAMES[kind], d["label"], [tuple(f) for f in facts if f[0] != "Name"]),
            "x": view.positions[n][0],
            "y": view.positions[n][1],
            "size": round(view.sizes.get(n, float(STYLES[kind]["size"])), 1),
            "color": view.colours.get(n, STYLES[kind]["color"]),
            "facts": facts,
            "spans": [_span_data(dict(s), links) for s in d["spans"]],
            "iri": d["iri"] if d["iri"].startswith(("http://", "https://")) and "#" not in d["iri"] else "",
        }
        if kind in view.label_wrap:
            node["wrap"] = view.label_wrap[kind]
        if n in hints:
            node["hint"] = hints[n]
        if n == view.highlight:
            node["border"] = "#000000"
            node["font"] = 18
        nodes.append(node)
    edges = [
        {"from": index[a], "to": index[b], "title": "; ".join(G.edges[a, b]["rels"])}
        for a, b in sorted((min(a, b), max(a, b)) for a, b in G.edges())
    ]
    large = G.number_of_nodes() > PHYSICS_MAX_NODES
    return {
        "view": view.kind,
        "nodes": nodes,
        "edges": edges,
        "physics": view.physics,
        "large": large,
        "font": 12 if large or view.fixed_layout else 14,
        "styles": {k: {"color": v["color"], "shape": v["shape"]} for k, v in STYLES.items()},
        "legend": view.legend,
        "legendNote": view.legend_note,
        "labelPx": view.label_px,
        "nodePx": view.node_px,
        "nodeMax": view.node_max,
        "labelFirst": list(view.label_first),
    }


def same_name_hints(G: nx.Graph) -> dict[str, str]:
    """For the nodes of ``G`` whose label another node of the same kind has (two people of one
    name), what tells them apart in the search: their organisations (the ones linked to them, else
    those of their posts), else their IRI's last part."""
    by_label: dict[tuple[str, str], list[str]] = {}
    for n, d in G.nodes(data=True):
        by_label.setdefault((d["kind"], d["label"].casefold()), []).append(n)
    hints: dict[str, str] = {}
    for same in by_label.values():
        if len(same) < 2:
            continue
        for n in same:
            orgs = sorted({G.nodes[m]["label"] for m in G[n] if G.nodes[m]["kind"] in ("organisation", "body")})
            if not orgs:
                orgs = sorted({value.rsplit(", ", 1)[-1] for key, value in G.nodes[n].get("facts", ()) if key == "Post"})
            hints[n] = ", ".join(orgs[:3]) + (" …" if len(orgs) > 3 else "") if orgs else n.rsplit("/", 1)[-1]
    return hints


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(view: View, links: PdfLinks | None = None) -> str:
    """The whole page as one string (no external resource); ``links``: see ``view_data``."""
    vis_js = _asset("pyvis", "lib/vis-9.1.2/vis-network.min.js")
    vis_css = _asset("pyvis", "lib/vis-9.1.2/vis-network.css")
    view_js = _asset("sqsgraph", "static/views/view.js")
    view_css = _asset("sqsgraph", "static/views/view.css")
    template = _asset("sqsgraph", "static/views/view.html")
    for name, text, closer in (
        ("vis-network.min.js", vis_js, "</script"),
        ("view.js", view_js, "</script"),
        ("vis-network.css", vis_css, "</style"),
        ("view.css", view_css, "</style"),
    ):
        if closer in text.lower():  # would end the inline element early
            raise RuntimeError(f"{name} contains {closer!r} and cannot be inlined")
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {_csp_hash(vis_js)} {_csp_hash(view_js)}; base-uri 'none'; form-action 'none'"
    )
    G = view.graph
    summary = f"{G.number_of_nodes():,} nodes · {G.number_of_edges():,} links"
    summary += " · physics on" if view.physics else " · fixed layout (physics off)"
    notice = f'<p id="notice" role="status">{html.escape(view.notice)}</p>' if view.notice else ""
    parts = {
        "CSP": csp,
        "TITLE": html.escape(view.title),
        "SUMMARY": html.escape(summary),
        "NOTICE": notice,
        "DATA": script_json(view_data(view, links)),
        "VIS_JS": vis_js,
        "VIS_CSS": vis_css,
        "VIEW_JS": view_js,
        "VIEW_CSS": view_css,
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], template)


def write_view(view: View, out_dir: str | Path, sources: Mapping[str, str | os.PathLike[str]] | None = None) -> Path:
    """Render ``view`` and write it as ``out_dir/<name>.html``; returns the path. ``sources``:
    the path each source file was read from, by sha256, so that a PDF's page links lead to it
    from ``out_dir`` (see ``PdfLinks``)."""
    links = PdfLinks(Path(out_dir), dict(sources or {}))
    return write_atomic(Path(out_dir) / view.file_name, render_html(view, links).encode("utf-8"))


def write_views(source: Source, out_dir: str | Path, sources: Mapping[str, str | os.PathLike[str]] | None = None) -> list[Path]:
    """Write the overview, people and findings views of ``source`` into ``out_dir``: an rdflib
    ``Dataset`` or ``Graph`` (small graphs, tests), or a pyoxigraph ``Store`` such as the on-disk
    query store (``querystore.open_query_store``), read with SPARQL. ``sources``: see
    ``write_view``."""
    return [write_view(view, out_dir, sources) for view in default_views(source)]


def default_views(source: Source) -> Iterator[View]:
    """The views of ``DEFAULT_VIEWS``, one at a time (each written before the next is made), as
    ``build_view`` makes them, from one reading of ``source``: the network, and the labels and
    other facts its reader caches, are read once for the three (the overview and people views
    share one entity graph)."""
    reader = GraphReader(union_graph(source))
    G = entity_graph(reader.g, details=False, reader=reader)
    fill: Callable[[nx.Graph], None] = lambda H: add_entity_details(H, reader.g, reader)  # noqa: E731
    yield _overview_view(G, MAX_NODES, fill)
    yield _people_view(G, MAX_NODES, fill)
    del G
    F = findings_graph(reader.g, details=False, reader=reader)
    yield _findings_view(F, MAX_NODES, lambda H: add_findings_details(H, reader.g, reader))


__all__ = [
    "DEFAULT_VIEWS",
    "MAX_LINKS",
    "MAX_NODES",
    "PHYSICS_MAX_NODES",
    "PdfLinks",
    "STYLES",
    "VIEW_KINDS",
    "View",
    "build_view",
    "find_node",
    "most_connected",
    "render_html",
    "script_json",
    "view_data",
    "write_view",
    "write_views",
]
