// sqsgraph comparison view: areas against themes (or numbered criteria), drawn with ECharts from
// the embedded JSON (cells aggregated by sqsgraph; see sqsgraph/network/compare.py). Every text from the
// graph goes in as data: drawn on the canvas, or put on the page with textContent (tooltips are
// elements built here, never markup).
//
// data.columns[i]: {level, label, theme, themeIndex}
// data.areas[i]:   {name, reports: [report index], counts: [first, end) into data.counts,
//                   cells: {year | "all": [[column, kind, share %, favourable, stated, counted, listed]]}}
//                   ("all" only when the area has reports of several years)
// data.reports[i]: {area, date, year, rate?: {rate, comparatorRate, comparator, difference, cohortStart, cohortEnd, source}}
// data.counts[i]:  [report, theme column, criterion column (-1: none), paragraph, phrase, numerator,
//                   denominator, proportion, polarity (+ - ?), this inspection (1/0), hedge, finding (-1: no text)]
// data.findings[i]: {text, pages?, page?, pdf?, href?, hrefTitle?}
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var KIND_WORDS = { c: "counted", p: "proportions only", n: "no number", u: "unstated", e: "earlier inspection only" };
  var COLOURS = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"];
  var ROW_HEIGHT = 30, TOP = 86, LEFT = 160, GAP = 36, RATE_WIDTH = 120, RATE_LABELS = 280;
  var COLUMN_WIDTH = { theme: 106, criterion: 50 };

  var state = { level: "theme", year: "all", sort: "area", descending: false, page: 0, pageSize: data.pageSize || 50 };
  var shown = { rows: [], columns: [] };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function pct(x) { return Math.round(x) + "%"; }

  // ---- rows: the areas with a report in the year chosen, their cells, latest report and rate
  function columnsOf(level) {
    var out = [];
    data.columns.forEach(function (c, i) { if (c.level === level) { out.push(i); } });
    return out;
  }
  function cellsOf(area, year) {
    var cells = area.cells[year];
    if (!cells && year === "all") { cells = area.cells[Object.keys(area.cells)[0]]; }
    var byColumn = {};
    (cells || []).forEach(function (c) { byColumn[c[0]] = c; });
    return byColumn;
  }
  function rowsFor(year) {
    var rows = [];
    data.areas.forEach(function (area, index) {
      var reports = area.reports.filter(function (r) { return year === "all" || data.reports[r].year === year; });
      if (!reports.length) { return; }
      var latest = reports[reports.length - 1], rated = null;
      reports.forEach(function (r) { if (data.reports[r].rate) { rated = r; } });
      rows.push({ index: index, name: area.name, cells: cellsOf(area, year), latest: latest, rated: rated });
    });
    return rows;
  }
  function sortRows(rows) {
    var key = state.sort, sign = state.descending ? -1 : 1;
    var byName = function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index; };
    if (key === "area") {
      rows.sort(function (a, b) { return sign * byName(a, b); });
    } else if (key === "date") {
      rows.sort(function (a, b) {
        var x = data.reports[a.latest].date, y = data.reports[b.latest].date;
        return x === y ? byName(a, b) : sign * (x < y ? -1 : 1);
      });
    } else {  // a column's share; cells without one go last whatever the direction
      var col = Number(key);
      var share = function (row) { var c = row.cells[col]; return c && c[2] !== null ? c[2] : null; };
      rows.sort(function (a, b) {
        var x = share(a), y = share(b);
        if (x === null || y === null) { return x === y ? byName(a, b) : x === null ? 1 : -1; }
        return x === y ? byName(a, b) : sign * (x - y);
      });
    }
    return rows;
  }

  // ---- controls
  var level = document.getElementById("level"), year = document.getElementById("year");
  var sort = document.getElementById("sort"), direction = document.getElementById("direction");
  var pageSize = document.getElementById("page-size");
  data.years.forEach(function (y) { year.appendChild(el("option", y === "undated" ? "no date" : y)).value = y; });
  pageSize.value = String(state.pageSize);
  function fillSort() {
    sort.textContent = "";
    sort.appendChild(el("option", "Area (name)")).value = "area";
    sort.appendChild(el("option", "Date of the latest report")).value = "date";
    columnsOf(state.level).forEach(function (i) {
      var c = data.columns[i];
      sort.appendChild(el("option", "Share: " + (c.level === "theme" ? c.label : c.label + " (" + c.theme + ")"))).value = String(i);
    });
    if (!Array.prototype.some.call(sort.options, function (o) { return o.value === state.sort; })) { state.sort = "area"; }
    sort.value = state.sort;
  }
  function showDirection() { direction.textContent = state.descending ? "descending" : "ascending"; }
  level.addEventListener("change", function () { state.level = level.value; state.page = 0; fillSort(); render(); });
  year.addEventListener("change", function () { state.year = year.value; state.page = 0; render(); });
  sort.addEventListener("change", function () { state.sort = sort.value; state.page = 0; render(); });
  direction.addEventListener("click", function () { state.descending = !state.descending; showDirection(); state.page = 0; render(); });
  pageSize.addEventListener("change", function () { state.pageSize = Number(pageSize.value); state.page = 0; render(); });
  document.getElementById("prev").addEventListener("click", function () { state.page -= 1; render(); });
  document.getElementById("next").addEventListener("click", function () { state.page += 1; render(); });

  // ---- the chart
  var box = document.getElementById("chart");
  var chart = echarts.init(box, null, { renderer: "canvas" });

  function cellText(cell, narrow) {
    var kind = cell[1];
    if (kind === "c") { return narrow ? pct(cell[2]) : pct(cell[2]) + " · " + cell[3] + "/" + cell[4]; }
    if (kind === "p") { return "≈" + pct(cell[2]); }
    if (kind === "n") { return narrow ? "no n/d" : "no number"; }
    if (kind === "u") { return "unstated"; }
    return narrow ? "earlier" : "earlier only";
  }
  // the rate against the comparator, and the cohort and source: two lines
  function rateLines(row) {
    if (row.rated === null) { return ["no reoffending rate stated", ""]; }
    var r = data.reports[row.rated].rate, first = r.rate.toFixed(1) + "%", second = [];
    if (r.comparatorRate !== null) { first += " vs " + r.comparatorRate.toFixed(1) + "% " + (r.comparator || "comparator"); }
    if (r.cohortStart || r.cohortEnd) { second.push("cohort " + (r.cohortStart || "?") + " – " + (r.cohortEnd || "?")); }
    if (r.source) { second.push(r.source); }
    return [first, second.join(" · ")];
  }
  function rateText(row) { return rateLines(row).filter(Boolean).join("; "); }
  function tooltipBox(lines) {
    var div = el("div");
    lines.forEach(function (line, i) { var p = el(i === 0 ? "b" : "div", line); div.appendChild(p); });
    return div;
  }
  function tooltip(params) {
    var d = params.data || {};
    if (d.cell) {
      var col = data.columns[d.column], cell = d.cell;
      var lines = [d.area, col.level === "theme" ? col.label : col.label + " · " + col.theme];
      if (cell[1] === "c") {
        lines.push(pct(cell[2]) + " favourable: " + cell[3] + " of " + cell[4] + " cases, from " + cell[5] + " count(s)");
      } else if (cell[1] === "p") {
        lines.push("≈" + pct(cell[2]) + ": the mean of " + cell[5] + " proportion(s), no n/d stated");
      } else {
        lines.push(KIND_WORDS[cell[1]] + ": nothing counted");
      }
      if (cell[6] > cell[5]) { lines.push((cell[6] - cell[5]) + " more listed, not counted"); }
      lines.push("Click for the findings");
      return tooltipBox(lines);
    }
    if (d.rate) {
      return tooltipBox([d.area, rateText(d.row), "report of " + data.reports[d.row.rated].date]);
    }
    return tooltipBox([String(params.name || "")]);
  }

  function render() {
    var columns = columnsOf(state.level), rows = sortRows(rowsFor(state.year));
    var pages = Math.max(1, Math.ceil(rows.length / state.pageSize));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    var first = state.page * state.pageSize, page = rows.slice(first, first + state.pageSize);
    shown = { rows: page, columns: columns, total: rows.length };
    document.getElementById("page-info").textContent = rows.length
      ? "Areas " + (first + 1).toLocaleString("en-GB") + "–" + (first + page.length).toLocaleString("en-GB") + " of " +
        rows.length.toLocaleString("en-GB") + " · page " + (state.page + 1) + " of " + pages
      : "No area has a report in " + state.year;
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;

    var narrow = state.level === "criterion", width = COLUMN_WIDTH[state.level];
    var heatWidth = Math.max(1, columns.length) * width, height = Math.max(1, page.length) * ROW_HEIGHT;
    var rateLeft = LEFT + heatWidth + GAP;
    var room = document.getElementById("chart-scroll").clientWidth - (rateLeft + RATE_WIDTH) - 8;
    var labelWidth = Math.max(RATE_LABELS, room);
    box.style.width = (rateLeft + RATE_WIDTH + labelWidth) + "px";
    box.style.height = (TOP + height + 30) + "px";
    chart.resize();

    var shares = [], others = [], areaRates = [], comparators = [], rateValues = [];
    page.forEach(function (row, y) {
      columns.forEach(function (col, x) {
        var cell = row.cells[col];
        if (!cell) { return; }
        var item = { value: [x, y, cell[2] === null ? 0 : cell[2]], cell: cell, column: col, area: row.name, row: row };
        (cell[2] === null ? others : shares).push(item);
      });
      if (row.rated !== null) {
        var r = data.reports[row.rated].rate;
        var worse = r.comparatorRate !== null && r.rate > r.comparatorRate;
        areaRates.push({ value: [r.rate, y], rate: true, area: row.name, row: row,
                         itemStyle: { color: worse ? "#e66101" : "#5e3c99" } });
        rateValues.push(r.rate);
        if (r.comparatorRate !== null) {
          comparators.push({ value: [r.comparatorRate, y], rate: true, area: row.name, row: row });
          rateValues.push(r.comparatorRate);
        }
      }
    });
    // the rate axis: whole fives around the rates drawn
    var low = rateValues.length ? 5 * Math.floor((Math.min.apply(null, rateValues) - 1) / 5) : 0;
    var high = rateValues.length ? 5 * Math.ceil((Math.max.apply(null, rateValues) + 1) / 5) : 100;
    var names = page.map(function (row) { return row.name; });
    var labels = columns.map(function (i) { return data.columns[i].label; });
    var option = {
      animation: false,
      textStyle: { fontFamily: "DejaVu Sans, Segoe UI, Arial, sans-serif" },
      tooltip: { trigger: "item", formatter: tooltip, confine: true, extraCssText: "max-width: 360px; white-space: normal;" },
      grid: [
        { left: LEFT, top: TOP, width: heatWidth, height: height },
        { left: rateLeft, top: TOP, width: RATE_WIDTH, height: height }
      ],
      xAxis: [
        { type: "category", gridIndex: 0, data: labels, position: "top", triggerEvent: true,
          axisTick: { show: false }, splitArea: { show: false },
          axisLabel: { interval: 0, width: width - 6, overflow: "break", fontSize: narrow ? 11 : 11, lineHeight: 13 } },
        { type: "value", gridIndex: 1, position: "top", min: low, max: high, name: "reoffending rate, %",
          nameLocation: "middle", nameGap: 24, splitLine: { lineStyle: { color: "#eef1f4" } } }
      ],
      yAxis: [
        { type: "category", gridIndex: 0, data: names, inverse: true, triggerEvent: true, axisTick: { show: false },
          axisLabel: { interval: 0, width: LEFT - 14, overflow: "truncate", fontSize: 12 } },
        { type: "category", gridIndex: 1, data: page.map(function (row) { return rateLines(row).join("\n"); }),
          inverse: true, position: "right", axisTick: { show: false }, axisLine: { show: false },
          axisLabel: { interval: 0, width: labelWidth - 14, overflow: "truncate", fontSize: 10, lineHeight: 12, color: "#52606d" } }
      ],
      visualMap: {
        type: "continuous", seriesIndex: 0, dimension: 2, min: 0, max: 100, calculable: false, orient: "horizontal",
        left: LEFT, top: 0, itemWidth: 12, itemHeight: 160, text: ["100% favourable", "0%"],
        inRange: { color: COLOURS }
      },
      series: [
        { type: "heatmap", name: "share", xAxisIndex: 0, yAxisIndex: 0, data: shares,
          itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
          label: { show: true, fontSize: narrow ? 10 : 11, color: "#1f2933", textBorderColor: "#ffffff", textBorderWidth: 2,
                   formatter: function (p) { return cellText(p.data.cell, narrow); } },
          emphasis: { itemStyle: { borderColor: "#1f2933", borderWidth: 2 } } },
        { type: "heatmap", name: "not counted", xAxisIndex: 0, yAxisIndex: 0, data: others,
          itemStyle: { color: "#eceff1", borderColor: "#ffffff", borderWidth: 1 },
          label: { show: true, fontSize: narrow ? 9 : 11, color: "#52606d",
                   formatter: function (p) { return cellText(p.data.cell, narrow); } },
          emphasis: { itemStyle: { borderColor: "#1f2933", borderWidth: 2 } } },
        { type: "scatter", name: "area rate", xAxisIndex: 1, yAxisIndex: 1, data: areaRates, symbol: "circle", symbolSize: 11 },
        { type: "scatter", name: "comparator rate", xAxisIndex: 1, yAxisIndex: 1, data: comparators, symbol: "diamond",
          symbolSize: 11, itemStyle: { color: "#8a949e" } }
      ]
    };
    chart.setOption(option, { notMerge: true });
  }

  // ---- the details panel
  var details = document.getElementById("details");
  function clear() { details.textContent = ""; }

  // how one count entered its cell (``kind``: the cell's, "c" when counts with n/d made its share)
  function describe(count, kind) {
    var n = count[5], d = count[6], p = count[7], polarity = count[8], mine = count[9] === 1, hedge = count[10];
    var phrase = "“" + count[4] + "”";
    var what = polarity === "+" ? "favourable" : polarity === "-" ? "unfavourable" : "unstated";
    if (!mine) { return { text: phrase + ": of an earlier inspection; not counted", counted: false }; }
    if (polarity === "?") { return { text: phrase + ": unstated (what it counts is not said or not clear); not counted", counted: false }; }
    if (n !== null && d !== null && d > 0 && n <= d) {
      var k = polarity === "+" ? n : d - n;
      return { text: phrase + ": " + what + ", " + n + " of " + d + (polarity === "-" ? "; counted as " + k + " of " + d + " favourable" : "; counted"), counted: true };
    }
    if (p !== null) {
      var share = polarity === "+" ? p : 1 - p;
      var stated = phrase + ": " + what + ", a proportion (" + (hedge ? hedge + " " : "") + Math.round(100 * p) + "%" +
        (polarity === "-" ? ", so ≈" + Math.round(100 * share) + "% favourable" : "") + ")";
      return kind === "c" ? { text: stated + "; not counted, as counts here give n/d", counted: false }
                          : { text: stated + "; in the mean", counted: true };
    }
    return { text: phrase + ": " + what + ", no number stated; not counted", counted: false };
  }

  function pdfLink(finding) {
    if (!finding || !finding.href) { return null; }
    // only a relative path (never a scheme such as javascript:) becomes a link
    if (/^[a-z][a-z0-9+.-]*:/i.test(finding.href) || finding.href.indexOf("//") === 0) { return null; }
    var p = el("p", null, "pdf"), a = el("a", "Open " + finding.pdf + " at page " + finding.page);
    a.href = finding.href;
    a.title = finding.hrefTitle || "";
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    p.appendChild(a);
    return p;
  }

  function showCell(row, column) {
    var area = data.areas[row.index], col = data.columns[column], cell = row.cells[column];
    clear();
    details.appendChild(el("h3", area.name + " — " + (col.level === "theme" ? col.label : col.label + " (" + col.theme + ")")));
    var year = state.year === "all" ? "all years" : state.year;
    if (cell && cell[1] === "c") {
      details.appendChild(el("p", pct(cell[2]) + " favourable (" + year + "): " + cell[3] + " of " + cell[4] +
        " cases counted, from " + cell[5] + " count(s)" + (cell[6] > cell[5] ? "; " + (cell[6] - cell[5]) + " more listed, not counted" : "") + ".", "share"));
    } else if (cell && cell[1] === "p") {
      details.appendChild(el("p", "≈" + pct(cell[2]) + " favourable (" + year + "): the mean of " + cell[5] +
        " proportion(s); no count gives both numbers" + (cell[6] > cell[5] ? "; " + (cell[6] - cell[5]) + " more listed, not counted" : "") + ".", "share"));
    } else if (cell) {
      details.appendChild(el("p", KIND_WORDS[cell[1]] + " (" + year + "): the counts here give no share.", "share"));
    }
    var first = area.counts[0], end = area.counts[1], groups = [], byFinding = {};
    for (var i = first; i < end; i += 1) {
      var c = data.counts[i], report = data.reports[c[0]];
      if (state.year !== "all" && report.year !== state.year) { continue; }
      if (col.level === "theme" ? c[1] !== col.themeIndex : c[2] !== column) { continue; }
      var key = c[0] + "#" + c[3];
      if (!byFinding[key]) { byFinding[key] = { report: report, number: c[3], finding: c[11], counts: [] }; groups.push(byFinding[key]); }
      byFinding[key].counts.push(c);
    }
    groups.forEach(function (g) {
      var box = el("div", null, "finding"), f = g.finding >= 0 ? data.findings[g.finding] : null;
      var where = "Report " + g.report.date + " · paragraph " + g.number + (f && f.pages ? " · " + f.pages : "");
      box.appendChild(el("p", where, "where"));
      var list = el("ul", null, "counts");
      g.counts.forEach(function (c) {
        var said = describe(c, cell ? cell[1] : null);
        list.appendChild(el("li", said.text, said.counted ? "counted" : "left-out"));
      });
      box.appendChild(list);
      if (f) {
        box.appendChild(el("blockquote", f.text));
        var link = pdfLink(f);
        if (link) { box.appendChild(link); }
      } else {
        var hint = el("p", "The text is not included in this page (see the note at the top); ", "hint");
        hint.appendChild(el("code", "sqsgraph query finding-source --param area=\"" + area.name + "\" --param number=" + g.number));
        hint.appendChild(document.createTextNode(" shows it."));
        box.appendChild(hint);
      }
      details.appendChild(box);
    });
    if (!groups.length) { details.appendChild(el("p", "No count is stated here.", "hint")); }
  }

  function showArea(row) {
    var area = data.areas[row.index];
    clear();
    details.appendChild(el("h3", area.name));
    area.reports.forEach(function (r) {
      var report = data.reports[r], p = el("p", null, "rate");
      p.appendChild(el("b", "Report " + report.date));
      var rate = report.rate;
      p.appendChild(document.createTextNode(rate ? ": reoffending " + rateText({ rated: r }) +
        (rate.difference !== null ? " (" + (rate.difference > 0 ? "+" : "") + rate.difference.toFixed(1) + " points)" : "")
        : ": no reoffending rate stated"));
      details.appendChild(p);
    });
  }

  chart.on("click", function (params) {
    if (params.componentType === "series" && params.data && params.data.cell) {
      showCell(params.data.row, params.data.column);
    } else if (params.componentType === "series" && params.data && params.data.rate) {
      showArea(params.data.row);
    } else if (params.componentType === "xAxis" && params.xAxisIndex === 0) {
      var x = typeof params.dataIndex === "number" ? params.dataIndex
        : typeof params.tickIndex === "number" ? params.tickIndex : labelsIndex(params.value);
      if (x < 0 || x >= shown.columns.length) { return; }
      var col = String(shown.columns[x]);
      if (state.sort === col) { state.descending = !state.descending; } else { state.sort = col; state.descending = true; }
      sort.value = state.sort;
      showDirection();
      state.page = 0;
      render();
    } else if (params.componentType === "yAxis" && params.yAxisIndex === 0) {
      var row = shown.rows.filter(function (r) { return r.name === params.value; })[0];
      if (row) { showArea(row); }
    }
  });
  function labelsIndex(label) {
    for (var i = 0; i < shown.columns.length; i += 1) { if (data.columns[shown.columns[i]].label === label) { return i; } }
    return -1;
  }

  // ---- for tests and scripts: what is drawn, and where
  window.sqsCompare = {
    chart: chart, data: data, state: state, ready: false,
    rows: function () { return shown.rows.map(function (r) { return r.name; }); },
    total: function () { return shown.total; },
    columns: function () { return shown.columns.map(function (i) { return data.columns[i].label; }); },
    cellText: function (area, label) {
      var row = shown.rows.filter(function (r) { return r.name === area; })[0], x = labelsIndex(label);
      var cell = row && x >= 0 ? row.cells[shown.columns[x]] : null;
      return cell ? cellText(cell, state.level === "criterion") : null;
    },
    cellPosition: function (area, label) {  // page coordinates of a cell's centre
      var y = shown.rows.map(function (r) { return r.name; }).indexOf(area), x = labelsIndex(label);
      if (x < 0 || y < 0) { return null; }
      var p = chart.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [x, y]), rect = box.getBoundingClientRect();
      return [rect.left + p[0], rect.top + p[1]];
    },
    render: render
  };

  fillSort();
  showDirection();
  chart.on("finished", function () {
    if (!window.sqsCompare.ready) {
      window.sqsCompare.ready = true;
      document.documentElement.setAttribute("data-ready", "true");
    }
  });
  render();
}());
