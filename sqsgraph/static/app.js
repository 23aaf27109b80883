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
  if (page === null) return cell("td", text, annotation);
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

function updateDownloads() {
  const query = $("query").value;
  const links = { "download-csv": "csv", "download-tsv": "tsv", "download-json": "json", "download-ttl": "turtle" };
  for (const [id, format] of Object.entries(links)) {
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
  const started = performance.now();
  let response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query: $("query").value }),
    });
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
    if (select.value === "") return;
    $("query").value = examples[Number(select.value)].query;
    updateDownloads();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("query-form").addEventListener("submit", run);
  $("query").addEventListener("input", updateDownloads);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
  });
  updateDownloads();
  loadExamples();
});
