"""The details panel of a node of the views: its facts (pairs of name and value) and its
spans (the passages of the reports that state it, with the PDF pages they are on), read for the
nodes a view keeps (``add_entity_details``, ``add_findings_details``), and the colour a finding's
counts give it (``counts_polarity``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

import networkx as nx
from rdflib import URIRef
from rdflib.term import Node

from ..rdf import vocab
from .graphreader import (
    DCTERMS,
    OA,
    ORG,
    PROV,
    RDF,
    SDO,
    SKOS,
    SQS,
    GraphReader,
    Source,
    UnionGraph,
    all_values,
    first_node,
    first_value,
    held_posts,
    inspected_bodies,
    label_of,
    local_name,
    parents,
    union_graph,
)

COUNT = vocab.COUNT

SDMX_REF_AREA = vocab.SDMX_DIMENSION.refArea


#: The kinds of node, in legend order.
KINDS = ("area", "report", "body", "organisation", "person", "theme", "finding", "strength", "improvement")


KIND_NAMES = {
    "area": "Area",
    "report": "Report",
    "body": "Inspected body",
    "organisation": "Organisation",
    "person": "Person",
    "theme": "Theme",
    "finding": "Finding",
    "strength": "Key strength",
    "improvement": "Area for improvement",
}


#: A node's details list at most this many posts and reports, and the source passages of at most
#: ``MAX_SPANS`` of a person's mentions (the first by IRI, among the first ``MAX_LISTED`` the graph
#: gives: a national official can be named in thousands of reports), and say so.
MAX_LISTED = 50


MAX_SPANS = 5


#: How long a finding's label may be before it is cut (the full text is in the details).
SHORT_LABEL = 48


def shorten(text: str, limit: int = SHORT_LABEL) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (with …)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] if " " in flat[: limit - 1] else flat[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def add_entity_details(G: nx.Graph, dataset: Source, reader: GraphReader | None = None) -> None:
    """Fill in the ``facts`` and ``spans`` of the nodes of ``G`` (an ``entity_graph`` built with
    ``details=False``, or a part of one), read from ``dataset``."""
    g = union_graph(dataset) if reader is None else reader.g
    rd = reader or GraphReader(g)
    for n, data in G.nodes(data=True):
        node = URIRef(n)
        kind = data["kind"]
        spans: list[dict[str, str]] = []
        if kind == "area":
            facts, spans = _area_facts(g, rd, node)
        elif kind in ("body", "organisation"):
            facts, spans = _organisation_facts(g, rd, node)
        elif kind == "report":
            facts, spans = _report_facts(g, rd, node), [rd.report_source(node)]
        else:
            facts, spans = _person_facts(g, rd, node)
        data["facts"], data["spans"] = tuple(facts), tuple(spans)


def _area_facts(g: UnionGraph, rd: GraphReader, a: Node) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    """An area's name and the reports on it (newest first), each a source as a whole (the graph
    keeps no passage for a report's area); for an area no report is on, the passages that name
    it: a reoffending rate given for it (a comparator such as England and Wales), else posts in
    the organisations that serve it."""
    reports = _newest_first(g, (r for r in g.subjects(SQS.area, a) if rd.is_report(r)))
    facts = [("Area", rd.label(a))] + _listed("Report", [rd.label(r) for r in reports], "reports")
    if reports:
        return facts, [rd.report_source(r) for r in reports[:MAX_SPANS]]
    spans: list[dict[str, str]] = []
    rates = [o for o in islice(g.subjects(SDMX_REF_AREA, a), MAX_LISTED) if first_value(g, o, SQS.reoffendingRate)]
    for obs in sorted(rates, key=str)[:MAX_SPANS]:
        spans += rd.spans_of(obs, report=first_node(g, obs, PROV.wasDerivedFrom))
    if not spans:
        serving = sorted(g.subjects(SDO.areaServed, a), key=str)
        spans = _holding_spans(g, rd, _holdings_in(g, serving)[:MAX_SPANS])
    return facts, _unique(spans)


def _holdings_in(g: UnionGraph, organisations: list[Node]) -> list[Node]:
    """The first holdings (org:Membership) by IRI of posts in ``organisations``, among the
    first ``MAX_LISTED`` found."""
    found = (m for o in organisations for m in g.subjects(ORG.organization, o) if _is_membership(g, m))
    return sorted(islice(found, MAX_LISTED + 1), key=str)


def _newest_first(g: UnionGraph, reports: Iterable[Node]) -> list[Node]:
    dated = sorted(set(reports), key=str)
    return sorted(dated, key=lambda r: first_value(g, r, DCTERMS.issued) or "", reverse=True)


def _organisation_facts(g: UnionGraph, rd: GraphReader, o: Node) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    """An organisation's names, kind, parents and areas; the reports that inspect it; and as
    its sources the lines that name a post in it (as for a person), else the reports that
    inspect it, as a whole."""
    facts = [("Name", rd.label(o))]
    facts += [("Also called", alt) for alt in all_values(g, o, SKOS.altLabel)]
    facts += [("Kind", local_name(c)) for c in all_values(g, o, ORG.classification)]
    facts += [("Part of", rd.label(parent)) for parent in parents(g, o)]
    facts += [("Serves", rd.label(area)) for area in sorted(g.objects(o, SDO.areaServed), key=str)]
    inspecting = set(g.subjects(SDO.about, o))
    for insp in g.subjects(SQS.inspectedBody, o):
        inspecting.update(g.subjects(SQS.inspection, insp))
    inspected = _newest_first(g, (r for r in inspecting if rd.is_report(r)))
    facts += _listed("Inspected in", [rd.label(r) for r in inspected], "reports")
    found = _holdings_in(g, [o])
    if not found:  # a body named only through its units (Ofsted through "Ofsted – Social Care")
        found = _holdings_in(g, sorted(set(g.subjects(ORG.subOrganizationOf, o)) | set(g.subjects(ORG.unitOf, o)), key=str))
    spans = _holding_spans(g, rd, found[:MAX_SPANS])
    if len(found) > MAX_SPANS:
        of = f"more than {MAX_LISTED}" if len(found) > MAX_LISTED else str(len(found))
        facts.append(("Source passages", f"shown for {MAX_SPANS} of {of} mentions of its posts"))
    spans = _unique(spans)
    if not spans:
        spans = [rd.report_source(r) for r in inspected[:MAX_SPANS]]
    return facts, spans


def _report_facts(g: UnionGraph, rd: GraphReader, r: Node) -> list[tuple[str, str]]:
    facts = [("Title", label_of(g, r))]
    issued = first_value(g, r, DCTERMS.issued)
    if issued:
        facts.append(("Published", issued))
    facts += [("Area", rd.label(area)) for area in sorted(g.objects(r, SQS.area), key=str)]
    for insp in sorted(g.objects(r, SQS.inspection), key=str):
        start, end = first_value(g, insp, SQS.startDate), first_value(g, insp, SQS.endDate)
        if start:
            facts.append(("Inspection", f"{start} to {end}" if end else start))
        cases = first_value(g, insp, SQS.casesExamined)
        if cases:
            facts.append(("Cases examined", cases))
    facts += [("Inspected body", rd.label(body)) for body in inspected_bodies(g, r)]
    facts += [("Publisher", rd.label(pub)) for pub in sorted(g.objects(r, DCTERMS.publisher), key=str)]
    for src in sorted(g.objects(r, PROV.wasDerivedFrom), key=str):
        name = first_value(g, src, DCTERMS.identifier)
        if name:
            facts.append(("Source file", name))
    return facts


def _person_facts(g: UnionGraph, rd: GraphReader, person: Node) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    posts = [(post, rd.label(organisation)) for organisation, post in rd.holdings_of(person)]
    posts += [(rd.label(post), rd.label(organisation)) for post, organisation in held_posts(g, person)]
    # the passages of the first MAX_SPANS holdings by IRI, among the first MAX_LISTED found
    found = sorted(islice((m for m in g.subjects(ORG.member, person) if _is_holding(g, m, person)), MAX_LISTED + 1), key=str)
    spans = _holding_spans(g, rd, found[:MAX_SPANS])
    if not found:  # named as lead inspector only: the line that names them so
        for assoc in sorted(islice(g.subjects(PROV.agent, person), MAX_SPANS), key=str):
            inspections = sorted(g.subjects(PROV.qualifiedAssociation, assoc), key=str)
            report = next((r for i in inspections for r in sorted(g.subjects(SQS.inspection, i), key=str)), None)
            spans += rd.spans_of(assoc, report=report)
    reports = rd.reports_naming(person)
    facts = [("Name", rd.label(person))]
    facts += [("Title", h) for h in all_values(g, person, SDO.honorificPrefix)]
    facts += _listed("Post", [f"{post}, {org}" for post, org in sorted(set(posts))], "posts")
    facts += _listed("Named in", [rd.label(r) for r in reports], "reports")
    areas = sorted({rd.label(a) for r in reports for a in g.objects(r, SQS.area)})
    if areas:
        facts.append(("Areas", ", ".join(areas)))
    if len(found) > MAX_SPANS:
        of = f"more than {MAX_LISTED}" if len(found) > MAX_LISTED else str(len(found))
        facts.append(("Source passages", f"shown for {MAX_SPANS} of {of} mentions"))
    return facts, _unique(spans)


def _unique(spans: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each span once, in a stable order."""
    unique = {tuple(sorted(s.items())): s for s in spans}
    return [unique[k] for k in sorted(unique)]


def _holding_spans(g: UnionGraph, rd: GraphReader, holdings: list[Node]) -> list[dict[str, str]]:
    """The source passages of ``holdings`` (org:Membership), each quoting the line that names
    the person with the post (``naming_line``) rather than the bare name."""
    spans: list[dict[str, str]] = []
    for m in holdings:
        found_spans = rd.spans_of(m, report=first_node(g, m, SQS.attestedBy))
        post = first_node(g, m, SQS.post)
        for span, span_iri in zip(found_spans, sorted(g.objects(m, SQS.textSpan), key=str), strict=True):
            line = naming_line(g, span_iri)
            if line and line.startswith("… ") and post is not None:
                # the stored context stops short of the line's start, where the post is written
                line = f"{rd.label(post)}: {line}"
            if line:
                span["quote"] = line  # the name with the post it is named in, not the bare name
        spans += found_spans
    return spans


def _is_membership(g: UnionGraph, m: Node) -> bool:
    return ORG.Membership in set(g.objects(m, RDF.type))


_LIGHT_MARKUP = re.compile(r"</?[ib]>")


def naming_line(g: UnionGraph, span_iri: Node) -> str | None:
    """The line of the report a person is named on ("To: Patrick Leeson, Chair of Kent YOS
    Management Board", "Ofsted – Social Care  Adesua Osime"): the quote selector's exact text
    with its prefix back to the line start and its suffix up to the line end (… where the stored
    context stops short of it), the light markup of the text rendering (<i>, <b>) left out and
    tabs and runs of spaces made one space. ``None`` without a quote selector."""
    for sel in sorted(g.objects(span_iri, OA.hasSelector), key=str):
        exact = first_value(g, sel, OA.exact)
        if exact is None:
            continue
        prefix, suffix = first_value(g, sel, OA.prefix) or "", first_value(g, sel, OA.suffix) or ""
        before = prefix.rsplit("\n", 1)
        after = suffix.split("\n", 1)
        line = (
            ("" if len(before) > 1 or not prefix else "… ")
            + before[-1]
            + exact
            + after[0]
            + ("" if len(after) > 1 or not suffix else " …")
        )
        return " ".join(_LIGHT_MARKUP.sub("", line).split())
    return None


def _is_holding(g: UnionGraph, m: Node, person: Node) -> bool:
    return ORG.Membership in set(g.objects(m, RDF.type)) and first_node(g, m, ORG.member) == person


def _listed(name: str, values: list[str], what: str) -> list[tuple[str, str]]:
    """``(name, value)`` for each value, at most ``MAX_LISTED``, then how many were left out."""
    facts = [(name, v) for v in values[:MAX_LISTED]]
    if len(values) > MAX_LISTED:
        facts.append((name, f"… and {len(values) - MAX_LISTED:,} more {what}"))
    return facts


def finding_report(g: UnionGraph, f: Node) -> Node | None:
    report = first_node(g, f, DCTERMS.isPartOf)
    return report if report is not None else next(iter(sorted(g.subjects(SQS.hasFinding, f), key=str)), None)


def finding_group(g: UnionGraph, rd: GraphReader, f: Node, kind: str) -> str:
    if kind == "finding":
        subject = first_node(g, f, DCTERMS.subject)
        return rd.label(subject) if subject is not None else "No theme recorded"
    return "Key strengths" if kind == "strength" else "Areas for improvement"


def add_findings_details(F: nx.Graph, dataset: Source, reader: GraphReader | None = None) -> None:
    """Label (paragraph and the start of the text), facts and spans of the findings in ``F``
    (a ``findings_graph`` built with ``details=False``, or a part of one)."""
    g = union_graph(dataset) if reader is None else reader.g
    rd = reader or GraphReader(g)
    for n, data in F.nodes(data=True):
        if data["kind"] == "area":
            if not n.startswith("urn:"):
                facts, spans = _area_facts(g, rd, URIRef(n))
                data["facts"], data["spans"] = tuple(facts), tuple(spans)
        elif data["kind"] == "theme":
            children = [URIRef(c) for c in F.neighbors(n) if F.nodes[c]["kind"] not in ("area", "theme")]
            reports = _newest_first(g, (r for r in map(lambda c: finding_report(g, c), children) if r is not None))
            facts = list(data["facts"]) + _listed("Report", [rd.label(r) for r in reports], "reports")
            data["facts"], data["spans"] = tuple(facts), tuple(rd.report_source(r) for r in reports[:MAX_SPANS])
        else:
            _finding_details(g, rd, n, data)


def _finding_details(g: UnionGraph, rd: GraphReader, n: str, data: dict[str, object]) -> None:
    """A finding's label, facts (kind, report, theme, paragraph, text, quotes, counts), the colour
    its counts give it (``polarity``) and its spans, set in ``data``."""
    f = URIRef(n)
    kind = str(data["kind"])
    report = finding_report(g, f)
    group_name = finding_group(g, rd, f, kind)
    text = " ".join((first_value(g, f, SDO.text) or "").split())
    paragraph = first_value(g, f, SQS.paragraphNumber)
    short = shorten(text) if text else local_name(n)
    facts = [("Kind", KIND_NAMES[kind])]
    if report is not None:
        facts.append(("Report", rd.label(report)))
    facts.append(("Theme" if kind == "finding" else "Section", group_name))
    if paragraph:
        facts.append(("Paragraph", paragraph))
    if text:
        facts.append(("Text", text))
    for q in sorted(g.objects(f, SQS.hasQuote), key=str):
        quote = first_value(g, q, SDO.text, OA.exact, RDF.value)
        if quote:
            facts.append(("Inspector quoted", quote))
    counts, polarities = _count_facts(g, f)
    polarity = counts_polarity(polarities)
    data["polarity"] = polarity
    facts += counts
    facts.append(("Counts (colour)", POLARITY_NAMES[polarity]))
    data["label"] = f"{paragraph} {short}" if paragraph else short
    data["facts"], data["spans"] = tuple(facts), tuple(rd.spans_of(f, paragraph, report))


def _count_facts(g: UnionGraph, f: Node) -> tuple[list[tuple[str, str]], list[str]]:
    """The counts a finding states, as facts ("Count": "12 of 16 (“…”): favourable"), and the
    polarities of those of this inspection."""
    facts: list[tuple[str, str]] = []
    polarities: list[str] = []
    for obs in sorted(g.objects(f, SQS.hasObservation), key=str):
        phrase = first_value(g, obs, SQS.phrase)
        num, den = first_value(g, obs, SQS.numerator), first_value(g, obs, SQS.denominator)
        polarity = _concept(first_value(g, obs, SQS.polarity), "unstated")
        earlier = _concept(first_value(g, obs, SQS.refersTo), "this-inspection") == "earlier-inspection"
        if not earlier:
            polarities.append(polarity)
        if num is not None and den is not None:
            count: str | None = f"{num} of {den}" + (f" (“{phrase}”)" if phrase else "")
        else:
            count = f"“{phrase}”" if phrase else None
        if count is not None:
            words = f"{count}: {POLARITY_WORDS.get(polarity, polarity)}"
            facts.append(("Count", words + ("; of an earlier inspection" if earlier else "")))
    return facts, polarities


#: What a finding's counts of this inspection say, as the findings view colours it, in legend order.
POLARITIES = ("favourable", "unfavourable", "mixed", "unstated", "none")


POLARITY_NAMES = {
    "favourable": "Favourable: its counts are of work done (well, sufficiently)",
    "unfavourable": "Unfavourable: its counts are of work not done or falling short",
    "mixed": "Mixed: favourable and unfavourable counts",
    "unstated": "Unstated: its counts judge neither way",
    "none": "No count of this inspection",
}


#: How the details panel names a count's polarity (sqs:polarity).
POLARITY_WORDS = {"favourable": "favourable", "unfavourable": "unfavourable", "unstated": "polarity unstated"}


def counts_polarity(polarities: Iterable[str]) -> str:
    """One of ``POLARITIES`` for the polarities of a finding's counts of this inspection:
    ``favourable`` or ``unfavourable`` when its counts that judge (favourable or unfavourable)
    all agree, ``mixed`` when they do not, ``unstated`` when it has counts but none judges,
    ``none`` when it has no count (counts of an earlier inspection are left out)."""
    found = set(polarities)
    judging = found & {"favourable", "unfavourable"}
    if len(judging) == 2:
        return "mixed"
    if judging:
        return judging.pop()
    return "unstated" if found else "none"


def _concept(iri: str | None, default: str) -> str:
    """The local name of a concept of ontology/counts.ttl (``count:favourable`` → "favourable")."""
    if iri is None or not iri.startswith(str(COUNT)):
        return default
    return iri[len(str(COUNT)) :]


__all__ = [
    "KINDS",
    "KIND_NAMES",
    "POLARITIES",
    "POLARITY_NAMES",
    "add_entity_details",
    "add_findings_details",
    "counts_polarity",
    "naming_line",
    "shorten",
]
