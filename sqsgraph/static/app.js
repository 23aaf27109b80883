// The query page: everything that comes from the data is put in the page with textContent,
// never parsed as HTML, so markup in a report is shown as text and never runs.
"use strict";

const endpoint = "sparql";
const $ = (id) => document.getElementById(id);

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function cell(tag, text, annotation) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (annotation) {
    const small = document.createElement("span");
    small.className = "annot";
    small.textContent = " " + annotation;
    el.appendChild(small);
  }
  return el;
}

// A term as the page shows it: its plain value (39.6, not "39.6"^^xsd:decimal), and what the
// value alone does not say (its datatype or language), kept for the cell's tooltip.
function termText(term) {
  if (!term) return ["", ""];
  if (term.type === "uri") return [term.value, ""];
  if (term.type === "bnode") return ["_:" + term.value, ""];
  if (term["xml:lang"]) return [term.value, "@" + term["xml:lang"]];
  if (term.datatype) return [term.value, "^^" + term.datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:")];
  if (term.type === "triple") return [JSON.stringify(term.value), ""];
  return [term.value, ""];
}

// A page of a PDF a fact was read from: a column named page (or ending in "page", such as
// finding-source's ?page and ?lastPage) holding a whole number, or an RFC 3778 fragment
// "page=N&viewrect=..." (the selectors of sqs:pageSpan). The number, or null.
function pageOf(name, term) {
  if (!term || (term.type !== "literal" && term.type !== "typed-literal")) return null;
  if (/page$/i.test(name) && /^[1-9][0-9]*$/.test(term.value)) return term.value;
  const fragment = /^page=([1-9][0-9]*)(&|$)/.exec(term.value);
  return fragment ? fragment[1] : null;
}

function resultCell(name, term) {
  const [text, annotation] = termText(term);
  const page = pageOf(name, term);
  if (page === null) {
    const td = cell("td", text);
    if (annotation) td.title = text + " " + annotation;  // the datatype or language, on hover
    return td;
  }
  // a page number reads "page N"; a fragment keeps its text, with "page N" beside it
  const td = /page$/i.test(name) && text === page ? cell("td", "page " + page) : cell("td", text, "page " + page);
  td.title = text + (annotation ? " " + annotation : "");
  td.className = "page";
  return td;
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
}

function showTable(data) {
  const table = $("results");
  const head = table.tHead;
  const body = table.tBodies[0];
  clear(head);
  clear(body);
  if (typeof data.boolean === "boolean") {
    const row = head.insertRow();
    row.appendChild(cell("th", "ASK"));
    body.insertRow().appendChild(cell("td", String(data.boolean)));
    table.hidden = false;
    return 1;
  }
  const vars = data.head.vars || [];
  const headRow = head.insertRow();
  for (const v of vars) headRow.appendChild(cell("th", "?" + v));
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const v of vars) row.appendChild(resultCell(v, binding[v]));
  }
  table.hidden = false;
  return data.results.bindings.length;
}

// The named query chosen from the list, while the text is still its text: it then runs through
// query/NAME with the values of its parameter fields (bound as RDF terms by the server).
let chosen = null;

function namedMode() {
  return chosen !== null && $("query").value === chosen.query;
}

// The parameter fields' values, or a message naming the first required one left empty.
function paramValues() {
  const values = new URLSearchParams();
  for (const param of chosen.params || []) {
    const value = $("param-" + param.name).value.trim();
    if (value !== "") values.set(param.name, value);
    else if (!param.optional) return { missing: param };
  }
  return { values: values };
}

function namedUrl(values, format) {
  const params = new URLSearchParams(values);
  if (format) params.set("format", format);
  const query = params.toString();
  return "query/" + encodeURIComponent(chosen.name) + (query ? "?" + query : "");
}

function showParams() {
  const box = $("params");
  const fields = $("param-fields");
  clear(fields);
  const params = chosen ? chosen.params || [] : [];
  box.hidden = params.length === 0;
  if (!params.length) return;
  $("params-of").textContent = chosen.name;
  for (const param of params) {
    const label = document.createElement("label");
    label.htmlFor = "param-" + param.name;
    label.textContent = param.name + (param.optional ? " (optional)" : "");
    const input = document.createElement("input");
    input.id = "param-" + param.name;
    input.name = param.name;
    input.required = !param.optional;
    input.placeholder = param.description || param.type || "";
    input.title = param.description || "";
    input.addEventListener("input", updateDownloads);
    fields.appendChild(label);
    fields.appendChild(input);
  }
  updateParamsNote();
}

function updateParamsNote() {
  if (!chosen || !(chosen.params || []).length) return;
  const edited = !namedMode();
  for (const input of $("param-fields").querySelectorAll("input")) input.disabled = edited;
  $("params-note").textContent = edited
    ? "The query text was edited: it runs as written, without these parameters."
    : "Run binds these values as RDF terms (never pasted into the text); a field left empty is unbound.";
}

function updateDownloads() {
  const query = $("query").value;
  const links = { "download-csv": "csv", "download-tsv": "tsv", "download-json": "json", "download-ttl": "turtle" };
  const named = namedMode() ? paramValues() : null;
  for (const [id, format] of Object.entries(links)) {
    if (named && named.values && format !== "turtle") {
      $(id).href = namedUrl(named.values, format);
      continue;
    }
    const params = new URLSearchParams({ query: query, format: format });
    $(id).href = endpoint + "?" + params.toString();
  }
}

async function run(event) {
  if (event) event.preventDefault();
  $("error").hidden = true;
  $("results").hidden = true;
  $("graph-results").hidden = true;
  $("status").textContent = "running…";
  let url = endpoint;
  let request = {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "Accept": "application/sparql-results+json, text/turtle;q=0.9",
    },
    body: new URLSearchParams({ query: $("query").value }),
  };
  if (namedMode()) {
    const named = paramValues();
    if (named.missing) {
      $("status").textContent = "";
      const what = named.missing.description ? " (" + named.missing.description + ")" : "";
      showError(chosen.name + " needs a value for " + named.missing.name + what + ": fill in its field above.");
      $("param-" + named.missing.name).focus();
      return;
    }
    url = namedUrl(named.values, null);
    request = { method: "GET", headers: { "Accept": "application/sparql-results+json" } };
  }
  const started = performance.now();
  let response;
  try {
    response = await fetch(url, request);
  } catch (err) {
    $("status").textContent = "";
    showError("The endpoint did not answer: " + err);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const text = await response.text();
  if (!response.ok) {
    $("status").textContent = "error " + response.status + " after " + seconds + " s";
    showError(text);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (type.startsWith("application/sparql-results+json")) {
    const count = showTable(JSON.parse(text));
    $("status").textContent = count + " result(s) in " + seconds + " s";
  } else {
    const pre = $("graph-results");
    pre.textContent = text;
    pre.hidden = false;
    $("status").textContent = "graph in " + seconds + " s";
  }
}

async function loadExamples() {
  const select = $("examples");
  let examples = [];
  try {
    const response = await fetch("examples.json");
    if (response.ok) examples = await response.json();
  } catch (err) {
    examples = [];
  }
  clear(select);
  const first = document.createElement("option");
  first.value = "";
  first.textContent = examples.length ? "Choose a named query…" : "(no named queries installed)";
  select.appendChild(first);
  examples.forEach((example, index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = example.title + " (" + example.name + ")";
    select.appendChild(option);
  });
  select.addEventListener("change", () => {
    chosen = select.value === "" ? null : examples[Number(select.value)];
    if (chosen) $("query").value = chosen.query;
    showParams();
    updateDownloads();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("query-form").addEventListener("submit", run);
  $("query").addEventListener("input", () => { updateParamsNote(); updateDownloads(); });
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
  });
  updateDownloads();
  loadExamples();
});
