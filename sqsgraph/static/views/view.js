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
  var visNodes = data.nodes.map(function (n) {
    byId[n.id] = n;
    var style = data.styles[n.kind] || {};
    return {
      id: n.id,
      label: n.label,
      title: n.tooltip,
      x: n.x,
      y: n.y,
      shape: style.shape || "dot",
      size: n.size,
      color: { background: n.color, border: n.border || "#2f3b48",
               highlight: { background: n.color, border: "#000000" },
               hover: { background: n.color, border: "#000000" } },
      borderWidth: n.border ? 3 : 1,
      font: { size: n.font || data.font, color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff" }
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
    nodes: { scaling: { label: { drawThreshold: 6 } } },
    interaction: { hover: !data.large, tooltipDelay: 150, hideEdgesOnDrag: data.large,
                   hideEdgesOnZoom: data.large, navigationButtons: false, keyboard: false,
                   multiselect: false }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.sqsView = { network: network, nodes: nodes, edges: edges, data: data, ready: false };
  // leave a margin around the drawing so the outermost labels are not cut off
  function breathe() { network.fit({ animation: false }); network.moveTo({ scale: network.getScale() * 0.88 }); }
  function ready() {
    window.sqsView.ready = true;
    document.documentElement.setAttribute("data-ready", "true");
  }
  if (data.physics) {
    // settle once, then hold still (dragging a node wakes the simulation up again)
    network.once("stabilizationIterationsDone", function () { network.stopSimulation(); breathe(); ready(); });
  } else {
    breathe();
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
    var a = el("a", "Open " + sp.pdf + " at page " + sp.page);
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
      details.appendChild(el("h2", "Source text"));
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
    showNode(id);
  }
  window.sqsView.selectNode = selectNode;
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
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
