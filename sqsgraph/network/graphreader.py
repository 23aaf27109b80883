"""Reading the facts the networks and their details panels need from every statement of a
dataset, whatever graph it is in (its union graph): an rdflib ``Graph`` or ``Dataset``, or a
pyoxigraph ``Store`` read through ``storeview.StoreGraph``.

``union_graph`` makes the graph the networks ask; ``GraphReader`` resolves from it what they
show, with small caches: reports, labels, holdings, the kind of a finding, the reports naming a
person, the source passages and PDF pages of a statement; the functions beside it read one fact
of a node (its first label, parents, posts, bodies inspected).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Protocol

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib import namespace as ns
from rdflib.term import Node

from ..rdf import vocab
from ..rdf.terms import Terms

# each term made once (see ``rdf.terms.Terms``): the loops here run over every report and finding
DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SDO, SKOS = (
    Terms(n) for n in (ns.DCTERMS, ns.FOAF, ns.ORG, ns.PROV, ns.RDF, ns.RDFS, ns.SDO, ns.SKOS)
)
OA, SQS = Terms(vocab.OA), Terms(vocab.SQS)


class UnionGraph(Protocol):
    """The two questions the networks ask of every statement of a dataset, whatever graph it is
    in: an rdflib ``Graph`` answers them, and ``storeview.StoreGraph`` for a pyoxigraph ``Store``."""

    def objects(self, subject: Node, predicate: Node, /) -> Iterator[Node]: ...

    def subjects(self, predicate: Node, obj: Node, /) -> Iterator[Node]: ...


#: What the networks are read from: an rdflib ``Dataset`` or ``Graph``, or a pyoxigraph ``Store``
#: (the on-disk query store; see ``storeview``), or a ``union_graph`` of one of them.
Source = Dataset | Graph | ox.Store | UnionGraph


def union_graph(dataset: Source, few: bool = False) -> UnionGraph:
    """A graph that sees every statement of ``dataset``, whatever graph it is in (for a
    pyoxigraph ``Store``, a ``storeview.StoreGraph`` that answers the same questions: ``few``,
    for the details of a few nodes, statement by statement; else reading the tables a network of
    every node needs whole)."""
    if isinstance(dataset, ox.Store):
        from .storeview import StoreGraph

        return StoreGraph(dataset, tables=()) if few else StoreGraph(dataset)
    if isinstance(dataset, Dataset) and not dataset.default_union:
        union = Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return dataset


def first_value(g: UnionGraph, s: Node, *preds: URIRef) -> str | None:
    """The least value (as text) of the first of ``preds`` that ``s`` has."""
    for p in preds:
        values = [str(o) for o in g.objects(s, p)]
        if values:
            return values[0] if len(values) == 1 else min(values)
    return None


def all_values(g: UnionGraph, s: Node, p: URIRef) -> list[str]:
    return sorted({str(o) for o in g.objects(s, p)})


def local_name(iri: str) -> str:
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail.replace("-", " ").strip().capitalize() or iri


def label_of(g: UnionGraph, s: Node) -> str:
    """The readable name of ``s``: prefLabel, foaf:name, rdfs:label, title, or its IRI's tail."""
    found = first_value(g, s, SKOS.prefLabel, FOAF.name, RDFS.label, DCTERMS.title)
    return " ".join(found.split()) if found else local_name(str(s))


def instances(g: UnionGraph, *classes: URIRef) -> list[URIRef]:
    found: set[URIRef] = set()
    for c in classes:
        found.update(s for s in g.subjects(RDF.type, c) if isinstance(s, URIRef))
    return sorted(found, key=str)


def first_node(g: UnionGraph, s: Node, p: URIRef) -> Node | None:
    """The object of ``p`` of ``s`` that sorts first by its text (the first found of equals)."""
    found = list(g.objects(s, p))
    if len(found) < 2:
        return found[0] if found else None
    return min(found, key=str)


NAMED_IN = ((DCTERMS.creator, "author (From)"), (SDO.recipient, "addressee (To)"), (SDO.ccRecipient, "copy list"))


def parents(g: UnionGraph, o: Node) -> list[Node]:
    return sorted(set(g.objects(o, ORG.subOrganizationOf)) | set(g.objects(o, ORG.unitOf)), key=str)


def inspected_bodies(g: UnionGraph, r: Node) -> list[Node]:
    """The bodies a report is about: ``schema:about``, then its inspections' bodies."""
    about = sorted(set(g.objects(r, SDO.about)), key=str)
    for insp in sorted(g.objects(r, SQS.inspection), key=str):
        about += [b for b in sorted(g.objects(insp, SQS.inspectedBody), key=str) if b not in about]
    return about


def held_posts(g: UnionGraph, person: Node) -> list[tuple[Node, Node]]:
    return [
        (post, organisation)
        for post in sorted(g.objects(person, ORG.holds), key=str)
        for organisation in sorted(g.objects(post, ORG.postIn), key=str)
    ]


class GraphReader:
    """Resolves the facts the views need from one union graph, with small caches."""

    def __init__(self, g: UnionGraph) -> None:
        self.g = g
        self.reports = instances(g, SDO.Report)
        self._report_set = set(self.reports)
        self._labels: dict[Node, str] = {}
        self._report_of_source: dict[str, Node] | None = None
        self._holdings: dict[Node, list[tuple[Node, str]]] | None = None
        self._strengths: set[Node] | None = None
        self._improvements: set[Node] = set()

    def is_report(self, node: Node) -> bool:
        return node in self._report_set

    @property
    def report_of_source(self) -> dict[str, Node]:
        """The report each source file was read into (computed when a span first needs it), and
        the report of the text derived from a PDF (``prov:wasDerivedFrom`` the PDF the report
        was read from): a PDF report's spans point into that text."""
        if self._report_of_source is None:
            found: dict[str, Node] = {}
            for r in self.reports:
                for src in self.g.objects(r, PROV.wasDerivedFrom):
                    found[str(src)] = r
                    for derived in self.g.subjects(PROV.wasDerivedFrom, src):
                        if derived not in self._report_set:
                            found.setdefault(str(derived), r)
            self._report_of_source = found
        return self._report_of_source

    def holdings(self) -> dict[Node, list[tuple[Node, str]]]:
        """Each person's holdings (org:Membership): (organisation, "post (qualifier)"), each once.

        A source that can answer this in bulk (``storeview.StoreGraph.holdings``: one SPARQL
        query, as there is one holding per mention of a person) does; otherwise every holding is
        read here."""
        if self._holdings is None:
            g = self.g
            self._holdings = self._labelled(g.holdings() if hasattr(g, "holdings") else self._read_holdings())
        return self._holdings

    def holdings_of(self, person: Node) -> list[tuple[Node, str]]:
        """``holdings()`` of one person: read for that person alone when the source can
        (``storeview.StoreGraph.holdings_of``) and every holding has not been read already."""
        if self._holdings is not None or not hasattr(self.g, "holdings_of"):
            return self.holdings().get(person, [])
        return self._labelled(self.g.holdings_of(person)).get(person, [])

    def _labelled(self, rows: Iterable[tuple[Node, Node, Node | None, str | None]]) -> dict[Node, list[tuple[Node, str]]]:
        found: dict[Node, set[tuple[Node, str]]] = defaultdict(set)
        for person, organisation, post, qualifier in rows:
            label = self.label(post) if post is not None else "member"
            found[person].add((organisation, f"{label} ({qualifier})" if qualifier else label))
        return {p: sorted(h, key=lambda h: (str(h[0]), h[1])) for p, h in found.items()}

    def _read_holdings(self) -> Iterable[tuple[Node, Node, Node | None, str | None]]:
        g = self.g
        for m in instances(g, ORG.Membership):
            person, organisation = first_node(g, m, ORG.member), first_node(g, m, ORG.organization)
            if person is not None and organisation is not None:
                yield person, organisation, first_node(g, m, SQS.post), first_value(g, m, SQS.qualifier)

    def finding_kind(self, f: Node) -> str:
        """``strength``, ``improvement`` or ``finding``, by the classes of ``f``."""
        if self._strengths is None:
            self._strengths = set(instances(self.g, SQS.KeyStrength))
            self._improvements = set(instances(self.g, SQS.AreaForImprovement))
        return "strength" if f in self._strengths else "improvement" if f in self._improvements else "finding"

    def reports_naming(self, person: Node) -> list[Node]:
        """The reports naming ``person`` as author, addressee, copy-list holder or lead inspector."""
        g = self.g
        found = {r for pred, _rel in NAMED_IN for r in g.subjects(pred, person) if r in self._report_set}
        for insp in g.subjects(PROV.wasAssociatedWith, person):
            found.update(r for r in g.subjects(SQS.inspection, insp) if r in self._report_set)
        return sorted(found, key=str)

    def label(self, s: Node) -> str:
        if s not in self._labels:
            self._labels[s] = self.report_label(s) if s in self._report_set else label_of(self.g, s)
        return self._labels[s]

    def report_label(self, r: Node) -> str:
        areas = [label_of(self.g, a) for a in sorted(self.g.objects(r, SQS.area), key=str)]
        issued = first_value(self.g, r, DCTERMS.issued)
        parts = [", ".join(areas) if areas else None, issued]
        text = " ".join(p for p in parts if p)
        return f"Report {text}" if text else label_of(self.g, r)

    def span(self, span_iri: Node, paragraph: str | None = None, report: Node | None = None) -> dict[str, str]:
        """Report, paragraph, position and quoted text of one oa:SpecificResource."""
        g = self.g
        info: dict[str, str] = {}
        source = next(iter(sorted(g.objects(span_iri, OA.hasSource), key=str)), None)
        if report is None and source is not None:
            report = self.report_of_source.get(str(source))
        if report is not None:
            info["report"] = self.label(report)
            issued = first_value(g, report, DCTERMS.issued)
            if issued:
                info["published"] = issued
        if source is not None:
            file_name = first_value(g, source, DCTERMS.identifier)
            if file_name:
                info["file"] = file_name
        if paragraph:
            info["paragraph"] = paragraph
        for sel in sorted(g.objects(span_iri, OA.hasSelector), key=str):
            start, end = first_value(g, sel, OA.start), first_value(g, sel, OA.end)
            if start is not None and end is not None:
                info["position"] = f"characters {start}–{end}"
            exact = first_value(g, sel, OA.exact)
            if exact is not None:
                info["quote"] = exact
        return info

    def pages(self, s: Node) -> dict[str, str]:
        """Where ``s`` stands in a PDF (its ``sqs:pageSpan``), for the details panel: ``pages``
        ("page 3", "pages 2–3"), ``page`` (the first, a number), ``pdf`` (the file name) and
        ``pdfSha256`` (its hash, by which a build finds the file it read); {} when none."""
        g = self.g
        numbers: set[int] = set()
        pdf: Node | None = None
        for node in sorted(g.objects(s, SQS.pageSpan), key=str):
            pdf = pdf or first_node(g, node, OA.hasSource)
            for sel in g.objects(node, OA.hasSelector):
                number = first_value(g, sel, SQS.pageNumber)
                if number is not None and number.isdigit():
                    numbers.add(int(number))
        if not numbers:
            return {}
        info = {"pages": page_words(sorted(numbers)), "page": str(min(numbers))}
        if pdf is not None:
            name, sha256 = first_value(g, pdf, DCTERMS.identifier), first_value(g, pdf, SQS.sha256)
            if name:
                info["pdf"] = name
            if sha256:
                info["pdfSha256"] = sha256
        return info

    def report_source(self, r: Node) -> dict[str, str]:
        """A report as a whole, as a source of the details panel (for a node stated by the
        report but with no passage of its own in the graph: a report, an area, a theme): ``report``,
        ``published``, ``file`` and ``scope`` "report"; for a report read from a PDF also ``pdf``,
        ``pdfSha256`` and ``page`` 1, so that its link opens the PDF at its start."""
        g = self.g
        info = {"report": self.label(r), "scope": "report"}
        issued = first_value(g, r, DCTERMS.issued)
        if issued:
            info["published"] = issued
        for src in sorted(g.objects(r, PROV.wasDerivedFrom), key=str):
            name = first_value(g, src, DCTERMS.identifier)
            if not name:
                continue
            info["file"] = name
            if first_value(g, src, DCTERMS.format) == "application/pdf":
                info["pdf"], info["page"] = name, "1"
                sha256 = first_value(g, src, SQS.sha256)
                if sha256:
                    info["pdfSha256"] = sha256
        return info

    def spans_of(self, s: Node, paragraph: str | None = None, report: Node | None = None) -> list[dict[str, str]]:
        spans = [self.span(sp, paragraph, report) for sp in sorted(self.g.objects(s, SQS.textSpan), key=str)]
        pages = self.pages(s) if spans else {}
        return [span | pages for span in spans]


def page_words(numbers: list[int]) -> str:
    """ "page 3", "pages 2–3" (a run of pages) or "pages 2, 5" for sorted page numbers."""
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pages {numbers[0]}–{numbers[-1]}"
    return "pages " + ", ".join(str(n) for n in numbers)


__all__ = ["GraphReader", "Source", "UnionGraph", "label_of", "page_words", "union_graph"]
