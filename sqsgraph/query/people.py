"""Who is in the graph: persons with their posts and reports, and the candidate identity matches.

Read from the graph (never from the text), so it works on any graph file a build wrote.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.query import ResultRow

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
SELECT ?person ?postLabel ?org ?orgLabel ?role ?report ?issued WHERE {
  ?m a org:Membership ; org:member ?person ; sqs:post ?post ; org:organization ?org ; sqs:attestedBy ?report .
  OPTIONAL { ?m org:role ?role }
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
SELECT ?person ?role ?roleLabel ?report ?issued WHERE {
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
    key: str = ""  # the selector an identities file names this person by: "Name @ context"

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
        assert isinstance(answer, ox.QuerySolutions)  # a SELECT's answer
        names = [v.value for v in answer.variables]
        return [{n: t.value for n, t in zip(names, row, strict=True) if t is not None} for row in answer]
    rows = source.query(query)
    return [{k: str(v) for k, v in row.asdict().items()} for row in rows if isinstance(row, ResultRow)]  # every row of a SELECT


def _report_id(iri: str) -> str:
    return iri.rsplit("/report/", 1)[-1]


def _local(iri: str, marker: str) -> str:
    """The part of ``iri`` after its last ``marker`` ("/org/", "/role/"), or "" without one."""
    return iri.rsplit(marker, 1)[1] if marker in iri else ""


@dataclass
class _Contexts:
    """What the identity rules compare about a person's mentions, as read back from the graph:
    the organisations (a unit counts as its body), the post titles (roles) and the reports."""

    organisations: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    reports: set[str] = field(default_factory=set)

    def all(self) -> set[str]:
        return self.organisations | self.roles | self.reports


def identity_key(name: str, context: str) -> str:
    """A person's selector in an identities file (``identity.py``): the name, " @ ", a context."""
    return f"{name} @ {context}"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, quotes included: what an identities file wants."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _keys(names: dict[str, str], contexts: dict[str, _Contexts]) -> dict[str, str]:
    """person IRI -> the selector that picks that person's mentions and no one else's: the name
    with an organisation key (the IRI after ``org/``, a unit counting as its body), else a post
    title id (after ``role/``), else a report id, that no other person of the same normalised
    name has; a report id (the first) when every context is shared."""
    from ..rdf.identity import normalise_name

    same_name: dict[str, list[str]] = defaultdict(list)
    for iri, name in names.items():
        same_name[normalise_name(name)].append(iri)
    out = {}
    for iri, name in names.items():
        mine = contexts.get(iri, _Contexts())
        theirs: set[str] = set()
        for other in same_name[normalise_name(name)]:
            if other != iri:
                theirs |= contexts.get(other, _Contexts()).all()
        choices = [*sorted(mine.organisations), *sorted(mine.roles), *sorted(mine.reports)]
        context = next((c for c in choices if c not in theirs), None) or (sorted(mine.reports) or [""])[0]
        out[iri] = identity_key(name, context) if context else name
    return out


def people(ds: Source) -> list[PersonEntry]:
    """Every person, sorted by name then IRI, with what they held in which report and the key an
    identities file names them by."""
    from ..rdf.organisations import CONTACT_ROLE, publisher

    found: dict[str, list[Holding]] = defaultdict(list)
    contexts: dict[str, _Contexts] = defaultdict(_Contexts)
    for row in _rows(ds, HOLDINGS):
        post, organisation = row["postLabel"], row["orgLabel"]
        what = post if organisation.casefold() in post.casefold() else f"{post}, {organisation}"
        found[row["person"]].append(Holding(what, _report_id(row["report"]), row.get("issued", "")))
        seen = contexts[row["person"]]
        seen.reports.add(_report_id(row["report"]))
        org_key = _local(row["org"], "/org/").split("/", 1)[0]  # a unit ("body/unit") counts as its body
        if org_key:
            seen.organisations.add(org_key)
        role = _local(row.get("role", ""), "/role/")
        if role and role != CONTACT_ROLE:
            seen.roles.add(role)
    for row in _rows(ds, INSPECTIONS):
        found[row["person"]].append(Holding(f"{row.get('roleLabel') or 'Inspection role'} of the inspection",
                                            _report_id(row["report"]), row.get("issued", "")))
        seen = contexts[row["person"]]
        seen.reports.add(_report_id(row["report"]))
        seen.organisations.add(publisher().key)  # the lead inspector is at the publisher
        role = _local(row.get("role", ""), "/role/")
        if role:
            seen.roles.add(role)
    out = {}
    for row in _rows(ds, PERSONS):
        iri = row["person"]
        holdings = tuple(sorted(set(found.get(iri, [])), key=lambda h: (h.issued, h.report, h.what)))
        out[(iri, row["name"])] = PersonEntry(iri, row["name"], holdings)  # once, if stated in two graphs
    keys = _keys({e.iri: e.name for e in out.values()}, contexts)
    entries = [PersonEntry(e.iri, e.name, e.holdings, keys[e.iri]) for e in out.values()]
    return sorted(entries, key=lambda p: (p.name.casefold(), p.iri))


def candidates(ds: Source) -> list[Candidate]:
    rows = {Candidate(r["a"], r["b"], r["nameA"], r["nameB"], r["evidence"]) for r in _rows(ds, CANDIDATES)}
    return sorted(rows, key=lambda c: (c.a, c.b))


def listing_lines(ds: Source) -> list[str]:
    """The text ``sqsgraph people`` prints: each person with the key an identities file names
    them by (``key: "Name @ context"``, a TOML string to copy as it stands), their posts and
    reports; then the candidate matches, each with the ``[[same-as]]`` that would merge them."""
    entries = people(ds)
    key_of = {p.iri: p.key for p in entries}
    lines = []
    for p in entries:
        lines.append(f"{p.name} <{p.iri}>")
        lines.append(f"    key: {toml_string(p.key)}")
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
            if c.a in key_of and c.b in key_of:
                lines.append(f"      the same person? add to the --identities file: [[same-as]] "
                             f"a = {toml_string(key_of[c.a])}  b = {toml_string(key_of[c.b])}")
    return lines


__all__ = ["Candidate", "Holding", "PersonEntry", "Source", "candidates", "identity_key", "listing_lines", "people",
           "toml_string"]
