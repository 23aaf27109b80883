"""A view as a page: what a ``View`` holds, the JSON document its page draws (``view_data``) and
the page itself, one self-contained HTML file (``render_html``, ``write_view``), with the
vis-network library that ships inside the pyvis package.

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
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TypedDict
from urllib.parse import quote

import networkx as nx

from ..files import write_atomic
from .netgraph import KIND_NAMES

#: Above this many nodes the page turns physics off and draws the networkx layout as it is
#: (measured in headless Chromium: see docs/views.md).
PHYSICS_MAX_NODES = 400


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


__all__ = [
    "LABEL_PX",
    "PHYSICS_MAX_NODES",
    "STYLES",
    "PdfLinks",
    "Style",
    "View",
    "render_html",
    "same_name_hints",
    "script_json",
    "view_data",
    "write_view",
]
