"""Who is in the graph: persons with their posts and reports, and the candidate identity matches.

Read from the graph (never from the text), so it works on any graph file a build wrote.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Dataset, Graph

#: What the listing reads: an rdflib ``Dataset``/``Graph``, or a pyoxigraph ``Store`` (the query store).
Source = Dataset | Graph | ox.Store

PERSONS = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?person ?name WHERE { ?person a foaf:Person ; foaf:name ?name . }
"""

HOLDINGS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?person ?postLabel ?orgLabel ?report ?issued WHERE {
  ?m a org:Membership ; org:member ?person ; sqs:post ?post ; org:organization ?org ; sqs:attestedBy ?report .
  ?post skos:prefLabel ?postLabel .
  ?org skos:prefLabel ?orgLabel .
  OPTIONAL { ?report dcterms:issued ?issued }
}
"""

INSPECTIONS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?person ?roleLabel ?report ?issued WHERE {
  ?report sqs:inspection ?i .
  ?i prov:qualifiedAssociation ?a .
  ?a prov:agent ?person ; prov:hadRole ?role .
  OPTIONAL { ?role skos:prefLabel ?roleLabel }
  OPTIONAL { ?report dcterms:issued ?issued }
}
"""

CANDIDATES = """
PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?match ?a ?b ?nameA ?nameB ?evidence WHERE {
  ?match a sqs:CandidateMatch ; sqs:candidate ?a, ?b ; sqs:evidence ?evidence .
  ?a foaf:name ?nameA . ?b foaf:name ?nameB .
  FILTER (STR(?a) < STR(?b))
}
"""


@dataclass(frozen=True)
class Holding:
    what: str  # "<post label>, <organisation label>"
    report: str  # report id
    issued: str


@dataclass(frozen=True)
class PersonEntry:
    iri: str
    name: str
    holdings: tuple[Holding, ...]

    @property
    def reports(self) -> tuple[str, ...]:
        return tuple(sorted({h.report for h in self.holdings}))


@dataclass(frozen=True)
class Candidate:
    a: str
    b: str
    name_a: str
    name_b: str
    evidence: str


def _rows(source: Source, query: str) -> list[dict[str, str]]:
    """The solutions of ``query`` as {variable: lexical value} (unbound variables left out)."""
    if isinstance(source, ox.Store):
        answer = source.query(query, use_default_graph_as_union=True)
        names = [v.value for v in answer.variables]
        return [{n: t.value for n, t in zip(names, row) if t is not None} for row in answer]
    return [{k: str(v) for k, v in row.asdict().items()} for row in source.query(query)]


def _report_id(iri: str) -> str:
    return iri.rsplit("/report/", 1)[-1]


def people(ds: Source) -> list[PersonEntry]:
    """Every person, sorted by name then IRI, with what they held in which report."""
    found: dict[str, list[Holding]] = defaultdict(list)
    for row in _rows(ds, HOLDINGS):
        post, organisation = row["postLabel"], row["orgLabel"]
        what = post if organisation.casefold() in post.casefold() else f"{post}, {organisation}"
        found[row["person"]].append(Holding(what, _report_id(row["report"]), row.get("issued", "")))
    for row in _rows(ds, INSPECTIONS):
        found[row["person"]].append(Holding(f"{row.get('roleLabel') or 'Inspection role'} of the inspection",
                                            _report_id(row["report"]), row.get("issued", "")))
    out = {}
    for row in _rows(ds, PERSONS):
        iri = row["person"]
        holdings = tuple(sorted(set(found.get(iri, [])), key=lambda h: (h.issued, h.report, h.what)))
        out[(iri, row["name"])] = PersonEntry(iri, row["name"], holdings)  # once, if stated in two graphs
    return sorted(out.values(), key=lambda p: (p.name.casefold(), p.iri))


def candidates(ds: Source) -> list[Candidate]:
    rows = {Candidate(r["a"], r["b"], r["nameA"], r["nameB"], r["evidence"]) for r in _rows(ds, CANDIDATES)}
    return sorted(rows, key=lambda c: (c.a, c.b))


def listing_lines(ds: Source) -> list[str]:
    """The text ``sqsgraph people`` prints."""
    entries = people(ds)
    lines = []
    for p in entries:
        lines.append(f"{p.name} <{p.iri}>")
        by_what: dict[str, list[str]] = defaultdict(list)
        for h in p.holdings:
            by_what[h.what].append(h.report)
        for what, reports in by_what.items():
            lines.append(f"    {what}: {', '.join(reports)}")
    several = sum(1 for p in entries if len(p.reports) > 1)
    lines.append(f"{len(entries)} people, {several} of them in more than one report.")
    found = candidates(ds)
    if found:
        lines.append("")
        lines.append("Candidate matches (same name, kept apart by the identity rules; a person decides):")
        for c in found:
            lines.append(f"    {c.name_a} <{c.a}> ~ {c.name_b} <{c.b}>: {c.evidence}")
    return lines


__all__ = ["Candidate", "Holding", "PersonEntry", "Source", "candidates", "listing_lines", "people"]
