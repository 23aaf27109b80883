// sqsgraph network view: draws the embedded JSON with vis-network, fills the legend, the
// search box and the details panel. Every text from the graph goes in through textContent
// (or vis-network's canvas labels and plain-text tooltips), never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("view-data").textContent);

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  var byId = {};
  var FACE = "arial";  // vis-network's own; the labels are measured in it below
  // a label's font at `size` canvas units; the white outline grows with it, so that a label
  // enlarged to stay readable when zoomed out keeps an outline of the same on-screen width
  function labelFont(size, base) {
    return { face: FACE, size: size, color: "#1f2933", strokeWidth: 3 * Math.max(1, size / base),
             strokeColor: "#ffffff" };
  }
  var visNodes = data.nodes.map(function (n) {
    byId[n.id] = n;
    var style = data.styles[n.kind] || {};
    return {
      id: n.id,
      label: "",  // placeLabels() gives each node its label when there is room for it
      title: n.tooltip,
      x: n.x,
      y: n.y,
      shape: style.shape || "dot",
      size: n.size,
      color: { background: n.color, border: n.border || "#2f3b48",
               highlight: { background: n.color, border: "#000000" },
               hover: { background: n.color, border: "#000000" } },
      borderWidth: n.border ? 3 : 1,
      font: labelFont(n.font || data.font, n.font || data.font)
    };
  });
  var visEdges = data.edges.map(function (e, i) {
    return { id: i, from: e.from, to: e.to, title: e.title, width: e.width || 1 };
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var options = {
    autoResize: true,
    physics: data.physics ? {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -40, springLength: 90, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 150, fit: true }
    } : { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    edges: { color: { color: "#b0bcc8", highlight: "#1f2933", hover: "#52606d" },
             smooth: data.physics ? { type: "continuous" } : false,
             font: { size: 10, strokeWidth: 3 } },
    nodes: { scaling: { label: { drawThreshold: 6 } }, labelHighlightBold: false },
    interaction: { hover: !data.large, tooltipDelay: 150, hideEdgesOnDrag: data.large,
                   hideEdgesOnZoom: data.large, navigationButtons: false, keyboard: false,
                   multiselect: false }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.sqsView = { network: network, nodes: nodes, edges: edges, data: data, ready: false, placements: 0 };
  // leave a margin around the drawing so the outermost labels are not cut off
  function breathe() { network.fit({ animation: false }); network.moveTo({ scale: network.getScale() * 0.88 }); }
  function ready() {
    window.sqsView.ready = true;
    document.documentElement.setAttribute("data-ready", "true");
  }

  // ---- labels: readable, and never printed over one another.
  // vis-network draws each label under its node, in canvas units, so zooming out shrinks it.
  // After every zoom or move this decides each label's size and whether it is drawn: a kind
  // given a readable size (data.labelPx, in screen pixels) keeps at least that size however far
  // out the view is zoomed. The labels are placed the kinds of data.labelFirst first, then
  // larger nodes before smaller (the selected node before all); each under its node, else
  // above it, on one line, else wrapped; one that would overlap a label already placed, or a
  // node's shape as large as its own, is left out until a zoom makes room (the node's tooltip
  // still names it). A label under LABEL_MIN pixels is not drawn.
  var LABEL_MIN = 6;   // screen pixels: smaller text is not drawn at all
  var LABEL_GAP = 2;   // screen pixels kept clear around each label (its white outline)
  var SHAPE_MIN = 3;   // screen pixels: a node shape of at least this radius no label covers
  var WRAP_PX = 110;   // screen pixels: the width a label is wrapped to when it fits no other way
  var labelPx = data.labelPx || {}, nodePx = data.nodePx || {};
  var measurer = document.createElement("canvas").getContext("2d");
  var firstKinds = data.labelFirst || [];
  function rank(id) { var r = firstKinds.indexOf(byId[id].kind); return r < 0 ? firstKinds.length : r; }
  var labelOrder = data.nodes.map(function (n) { return n.id; }).sort(function (a, b) {
    return (rank(a) - rank(b)) || (byId[b].size - byId[a].size) || (a - b);
  });
  var labelState = {};  // id -> "text|size" as vis-network has it now
  data.nodes.forEach(function (n) { labelState[n.id] = "|" + (n.font || data.font) + "|" + n.size; });
  var simulating = false;
  network.on("startStabilizing", function () { simulating = true; });
  network.on("stabilized", function () { simulating = false; });
  function hold() { network.stopSimulation(); simulating = false; }

  // the words of `text` in lines no wider than `width` canvas units at `size`
  function wrapped(text, size, width) {
    var words = text.split(" "), lines = [], line = "";
    measurer.font = size + "px " + FACE;
    words.forEach(function (w) {
      var longer = line ? line + " " + w : w;
      if (line && measurer.measureText(longer).width > width) { lines.push(line); line = w; } else { line = longer; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  function placeLabels() {
    var scale = network.getScale();
    var positions = network.getPositions();
    var box = container.getBoundingClientRect();
    var from = network.DOMtoCanvas({ x: 0, y: 0 }), to = network.DOMtoCanvas({ x: box.width, y: box.height });
    var cell = 150 / scale, grid = {}, gap = LABEL_GAP / scale;
    var selected = network.getSelectedNodes();
    var order = !selected.length ? labelOrder
      : selected.concat(labelOrder.filter(function (id) { return id !== selected[0]; }));
    // what is placed: [left, top, right, bottom, weight], in canvas units; a label weighs
    // Infinity, a node's shape its radius
    function cells(b, each) {
      for (var i = Math.floor(b[0] / cell); i <= Math.floor(b[2] / cell); i++) {
        for (var j = Math.floor(b[1] / cell); j <= Math.floor(b[3] / cell); j++) { each(i + "," + j); }
      }
    }
    function put(b) { cells(b, function (key) { (grid[key] = grid[key] || []).push(b); }); }
    // no label there, nor a shape weighing `least` or more
    function free(b, least) {
      var ok = true;
      cells(b, function (key) {
        var here = grid[key] || [];
        for (var k = 0; ok && k < here.length; k++) {
          var o = here[k];
          if (o[4] >= least && b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) { ok = false; }
        }
      });
      return ok;
    }
    // each node's size (a kind given a least size on screen, data.nodePx, grows as the view
    // is zoomed out, up to data.nodeMax units), and its shape once drawn large enough to be
    // made out
    var radius = {};
    labelOrder.forEach(function (id) {
      var n = byId[id], p = positions[id], r = n.size;
      if (nodePx[n.kind]) { r = Math.max(r, Math.min(nodePx[n.kind] / scale, data.nodeMax || r)); }
      radius[id] = r;
      if (r * scale >= SHAPE_MIN) { put([p.x - r, p.y - r, p.x + r, p.y + r, r]); }
    });
    var updates = [];
    order.forEach(function (id) {
      var n = byId[id], p = positions[id], base = n.font || data.font, r = radius[id];
      var px = Math.max(base * scale, labelPx[n.kind] || 0);
      var size = px / scale, text = "", shift = 0;
      if (px >= LABEL_MIN && p.x >= from.x && p.x <= to.x && p.y >= from.y && p.y <= to.y && n.label) {
        // the label on one line (wrapped to its kind's width, if it has one), else in lines of
        // WRAP_PX pixels; under its node, else above it; clear of every label and shape, else
        // of every label and every shape as large as its node's or larger
        var forms = [n.wrap ? wrapped(n.label, size, n.wrap) : [n.label]];
        var narrow = wrapped(n.label, size, WRAP_PX / scale);
        if (narrow.length > forms[0].length) { forms.push(narrow); }
        var found = null;
        [0, r].forEach(function (least) {
          forms.forEach(function (lines) {
            if (found) { return; }
            measurer.font = size + "px " + FACE;
            var width = 0;
            lines.forEach(function (l) { width = Math.max(width, measurer.measureText(l).width); });
            var height = lines.length * size;
            // where vis-network draws it: centred under the node, its top half a line and 4 units
            // below the shape; or, shifted up (font.vadjust), as far above the shape
            var below = p.y + r + size / 2 + 4;
            [below, p.y - r - 4 - height].forEach(function (top) {
              var b = [p.x - width / 2 - gap, top - gap, p.x + width / 2 + gap, top + height + gap, Infinity];
              if (!found && b[0] >= from.x && b[2] <= to.x && b[1] >= from.y && b[3] <= to.y && free(b, least)) {
                found = { box: b, text: lines.join("\n"), shift: top - below };
              }
            });
          });
        });
        if (found) {
          put(found.box);
          text = found.text;
          shift = found.shift;
        }
      }
      var state = text + "|" + (text ? size + "|" + shift : base) + "|" + r;
      if (labelState[id] !== state) {
        labelState[id] = state;
        var font = labelFont(text ? size : base, base);
        font.vadjust = shift;
        updates.push({ id: id, label: text, font: font, size: r });
      }
    });
    window.sqsView.placements += 1;
    if (updates.length) {
      var wasSimulating = simulating;
      nodes.update(updates);
      // a changed label is no reason to move: vis-network restarts the simulation on any update
      if (data.physics && !wasSimulating) { hold(); }
    }
    return updates.length;
  }
  var placing = null;
  function placeSoon() {
    if (placing !== null) { clearTimeout(placing); }
    placing = setTimeout(function () { placing = null; placeLabels(); }, 120);
  }
  network.on("zoom", placeSoon);
  network.on("dragEnd", placeSoon);
  network.on("stabilized", placeSoon);
  network.on("resize", placeSoon);
  window.sqsView.placeLabels = placeLabels;

  if (data.physics) {
    // settle once, then hold still (dragging a node wakes the simulation up again)
    network.once("stabilizationIterationsDone", function () {
      hold(); breathe(); placeLabels(); network.once("afterDrawing", ready); network.redraw();
    });
  } else {
    breathe();
    placeLabels();
    network.once("afterDrawing", ready);
  }

  // ---- adjacency, for the details panel
  var adjacent = {};
  data.edges.forEach(function (e) {
    (adjacent[e.from] = adjacent[e.from] || []).push({ other: e.to, rel: e.title });
    (adjacent[e.to] = adjacent[e.to] || []).push({ other: e.from, rel: e.title });
  });

  // ---- legend
  var legend = document.getElementById("legend");
  var SVG = "http://www.w3.org/2000/svg";
  function shapeIcon(shape, color) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "18"); svg.setAttribute("height", "18"); svg.setAttribute("viewBox", "0 0 18 18");
    var s;
    var polys = {
      triangle: "9,2 16.5,15.5 1.5,15.5", triangleDown: "1.5,2.5 16.5,2.5 9,16",
      diamond: "9,1 17,9 9,17 1,9", hexagon: "4.5,1.5 13.5,1.5 17.5,9 13.5,16.5 4.5,16.5 0.5,9",
      star: "9,1 11,6.5 17,6.8 12.3,10.4 14,16.5 9,13 4,16.5 5.7,10.4 1,6.8 7,6.5"
    };
    if (shape === "square" || shape === "box") {
      s = document.createElementNS(SVG, "rect");
      s.setAttribute("x", "2"); s.setAttribute("y", "2"); s.setAttribute("width", "14"); s.setAttribute("height", "14");
    } else if (polys[shape]) {
      s = document.createElementNS(SVG, "polygon");
      s.setAttribute("points", polys[shape]);
    } else {
      s = document.createElementNS(SVG, "circle");
      s.setAttribute("cx", "9"); s.setAttribute("cy", "9"); s.setAttribute("r", "7");
    }
    s.setAttribute("fill", color); s.setAttribute("stroke", "#2f3b48"); s.setAttribute("stroke-width", "1");
    svg.appendChild(s);
    return svg;
  }
  data.legend.forEach(function (item) {
    if (item.heading) { legend.appendChild(el("li", item.heading, "heading")); return; }
    var li = el("li");
    li.appendChild(shapeIcon(item.shape, item.color));
    li.appendChild(el("span", item.label));
    if (item.count !== undefined) { li.appendChild(el("span", item.count, "count")); }
    legend.appendChild(li);
  });
  document.getElementById("legend-note").textContent = data.legendNote || "";

  // ---- details panel
  var details = document.getElementById("details");
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function factList(pairs) {
    var dl = el("dl", null, "facts");
    pairs.forEach(function (p) { dl.appendChild(el("dt", p[0])); dl.appendChild(el("dd", p[1])); });
    return dl;
  }
  function spanBox(sp) {
    var box = el("div", null, "span");
    var where = [];
    if (sp.report) { where.push(sp.report); }
    // the report's date (its label carries it already, as a rule)
    if (sp.published && (!sp.report || sp.report.indexOf(sp.published) < 0)) {
      where.push("published " + sp.published);
    }
    if (sp.paragraph) { where.push("paragraph " + sp.paragraph); }
    if (sp.file) { where.push(sp.file); }
    if (sp.position) { where.push(sp.position); }
    if (sp.pages) { where.push(sp.pages); }
    box.appendChild(el("div", where.join(" · "), "where"));
    if (sp.quote) { box.appendChild(el("blockquote", sp.quote)); }
    var link = pdfLink(sp);
    if (link) { box.appendChild(link); }
    return box;
  }
  // a link that opens the PDF a span was read from at its page; only a relative path (the data
  // is percent-encoded by sqsgraph; a scheme or a host here would not be its own), new tab
  function pdfLink(sp) {
    if (!sp.href || !sp.pdf || /^[a-z][a-z0-9+.-]*:/i.test(sp.href) || sp.href.indexOf("//") === 0) { return null; }
    var p = el("p", null, "pdf");
    // a source that is the report as a whole opens at its start
    var a = el("a", sp.scope === "report" ? "Open " + sp.pdf : "Open " + sp.pdf + " at page " + sp.page);
    a.setAttribute("href", sp.href);
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer");
    if (sp.hrefTitle) { a.setAttribute("title", sp.hrefTitle); }
    p.appendChild(a);
    return p;
  }
  function nodeLink(id) {
    var b = el("button", byId[id].label, "link");
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id); });
    return b;
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) { return; }
    clear(details);
    var chip = el("span", n.kindName, "chip");
    chip.style.background = (data.styles[n.kind] || {}).color || n.color;
    details.appendChild(chip);
    details.appendChild(el("h3", n.label));
    details.appendChild(factList(n.facts));
    if (n.iri) { details.appendChild(el("p", n.iri, "iri")); }
    if (n.spans && n.spans.length) {
      var quoted = n.spans.some(function (sp) { return sp.quote; });
      details.appendChild(el("h2", quoted ? "Source text" : "Source"));
      n.spans.forEach(function (sp) { details.appendChild(spanBox(sp)); });
    }
    var links = adjacent[id] || [];
    if (links.length) {
      details.appendChild(el("h2", "Linked to (" + links.length + ")"));
      var ul = el("ul", null, "links");
      links.slice(0, 200).forEach(function (l) {
        var li = el("li");
        li.appendChild(nodeLink(l.other));
        li.appendChild(el("span", " " + l.rel, "rel"));
        ul.appendChild(li);
      });
      if (links.length > 200) { ul.appendChild(el("li", "… and " + (links.length - 200) + " more")); }
      details.appendChild(ul);
    }
  }
  function showEdge(edgeId) {
    var e = data.edges[edgeId];
    if (!e) { return; }
    clear(details);
    details.appendChild(el("span", "Link", "chip")).style.background = "#627d98";
    details.appendChild(el("h3", byId[e.from].label + " — " + byId[e.to].label));
    details.appendChild(factList([["Relation", e.title], ["From", byId[e.from].label], ["To", byId[e.to].label]]));
    var ul = el("ul", null, "links");
    [e.from, e.to].forEach(function (id) { var li = el("li"); li.appendChild(nodeLink(id)); ul.appendChild(li); });
    details.appendChild(ul);
  }
  function selectNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    placeLabels();
    showNode(id);
  }
  window.sqsView.selectNode = selectNode;
  network.on("click", function (params) {
    if (params.nodes.length) { placeLabels(); showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  // ---- search
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  // a name two people share is told apart by its hint (their organisation), shown and searched
  var index = data.nodes.map(function (n) { return { id: n.id, key: (n.label + (n.hint ? " " + n.hint : "")).toLowerCase() }; });
  var active = -1;
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var starts = [], contains = [];
    for (var i = 0; i < index.length; i++) {
      var pos = index[i].key.indexOf(q);
      if (pos === 0) { starts.push(index[i].id); } else if (pos > 0) { contains.push(index[i].id); }
      if (starts.length >= 20) { break; }
    }
    return starts.concat(contains).slice(0, 20);
  }
  function renderResults() {
    clear(results);
    var found = matches(input.value);
    active = found.length ? 0 : -1;
    if (!input.value.trim()) { results.hidden = true; return; }
    if (!found.length) { results.appendChild(el("li", "No node matches", "none")); }
    found.forEach(function (id, i) {
      var li = el("li", byId[id].label);
      if (byId[id].hint) { li.appendChild(el("span", byId[id].hint, "hint")); }
      li.appendChild(el("span", byId[id].kindName, "kind"));
      li.setAttribute("data-node", String(id));
      if (i === 0) { li.className = "active"; }
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(id); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function pick(id) {
    results.hidden = true;
    input.value = byId[id].label;
    selectNode(id);
  }
  input.addEventListener("input", renderResults);
  input.addEventListener("keydown", function (ev) {
    var items = results.querySelectorAll("li[data-node]");
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!items.length) { return; }
      ev.preventDefault();
      if (active >= 0) { items[active].className = ""; }
      active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items[active].className = "active";
    } else if (ev.key === "Enter") {
      if (active >= 0 && items[active]) { pick(Number(items[active].getAttribute("data-node"))); }
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  input.addEventListener("blur", function () { results.hidden = true; });
})();
