"""A read-only stand-in for the rdflib ``Graph`` that ``netgraph`` reads, over a pyoxigraph
``Store`` (the union of its graphs), so the views and ``stats`` are built from the on-disk query
store with SPARQL instead of an in-memory rdflib ``Dataset`` of the whole graph.

``netgraph`` asks two questions: ``objects(subject, predicate)`` and
``subjects(predicate, object)``. How each is answered depends on the predicate:

* the predicates that link the nodes of a network (``TABLE_PREDICATES``: areas, bodies, people,
  posts, labels, ...) are read once each, whole, with one SPARQL ``SELECT`` (a scan, far cheaper
  per statement than a lookup each), and answered from dictionaries;
* ``rdf:type`` is read per class asked for (``subjects(rdf:type, C)``);
* anything else (the facts and source spans shown for the nodes a view keeps, and the holdings,
  one per mention of a person: the largest table) is looked up statement by statement, with a
  cache.

``StoreGraph(store, tables=())`` reads no table whole: for the details of a few nodes (a view
drawn from a kept cut), where reading whole tables would cost more than looking up what those
nodes need; a person's holdings are then read for that person alone (``holdings_of``).

Answers are rdflib terms, each distinct statement once, as rdflib's union graph gives them
(Oxigraph's union default graph gives a statement made in two graphs twice).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ..rdf.terms import OxTerm, from_ox_term
from ..rdf.vocab import SQS

SDO = "https://schema.org/"

#: Predicates read as whole tables: the links of the networks and the labels of their nodes.
TABLE_PREDICATES: frozenset[str] = frozenset(
    str(p)
    for p in (
        SKOS.prefLabel,
        FOAF.name,
        RDFS.label,
        DCTERMS.title,
        DCTERMS.issued,
        SQS.area,
        SQS.inspection,
        SQS.inspectedBody,
        PROV.wasAssociatedWith,
        PROV.wasDerivedFrom,
        DCTERMS.publisher,
        DCTERMS.creator,
        URIRef(SDO + "about"),
        URIRef(SDO + "recipient"),
        URIRef(SDO + "ccRecipient"),
        URIRef(SDO + "areaServed"),
        ORG.subOrganizationOf,
        ORG.unitOf,
        ORG.holds,
        ORG.postIn,
        SQS.qualifier,
        DCTERMS.isPartOf,
        SQS.hasFinding,
        DCTERMS.subject,
    )
)
_RDF_TYPE = str(RDF.type)


class StoreGraph:
    """``objects`` and ``subjects`` of a pyoxigraph ``Store``'s union graph, as rdflib terms."""

    def __init__(self, store: ox.Store, tables: Iterable[str] = TABLE_PREDICATES) -> None:
        self.store = store
        self._tables = frozenset(tables)
        self._forward: dict[str, dict[Node, list[Node]]] = {}
        self._by_predicate: dict[Node, dict[Node, list[Node]]] = {}  # the same tables, by the predicate as asked
        self._backward: dict[str, dict[Node, list[Node]]] = {}
        self._instances: dict[Node, list[Node]] = {}
        self._lookups: dict[tuple[Node, str], list[Node]] = {}
        self._terms: dict[object, Node] = {}

    # the two questions netgraph asks

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        table = self._by_predicate.get(predicate)  # asked millions of times: one dictionary lookup
        if table is None:
            p = str(predicate)
            if p not in self._tables:
                return iter(self._lookup(subject, p))
            table = self._by_predicate[predicate] = self._table(p)
        return iter(table.get(subject, ()))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        p = str(predicate)
        if p == _RDF_TYPE:
            return iter(self._of_class(obj))
        if p not in self._tables:
            return self._reverse_lookup(p, obj)
        if p not in self._backward:
            backward: dict[Node, list[Node]] = defaultdict(list)
            for s, objects in self._table(p).items():
                for o in objects:
                    backward[o].append(s)
            self._backward[p] = dict(backward)
        return iter(self._backward[p].get(obj, ()))

    def holdings(self) -> Iterator[tuple[Node, Node, Node | None, str | None]]:
        """(person, organisation, post, first qualifier) of every holding (``org:Membership``),
        each combination once: one SPARQL query that reads each property as a whole table and
        joins them by hash (there is one holding per mention of a person: the largest table)."""
        query = """
            PREFIX org: <http://www.w3.org/ns/org#>
            PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
            SELECT DISTINCT ?person ?organisation ?post ?qualifier {
              { SELECT ?m ?person { ?m org:member ?person } }
              { SELECT ?m { ?m a org:Membership } }
              { SELECT ?m ?organisation { ?m org:organization ?organisation } }
              OPTIONAL { SELECT ?m ?post { ?m sqs:post ?post } }
              OPTIONAL { SELECT ?m (MIN(STR(?q)) AS ?qualifier) { ?m sqs:qualifier ?q } GROUP BY ?m }
            }"""
        solutions = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT's answer
        for person, organisation, post, qualifier in solutions:
            yield (
                self._term(person),
                self._term(organisation),
                None if post is None else self._term(post),
                None if qualifier is None else qualifier.value,
            )

    def holdings_of(self, person: Node) -> Iterator[tuple[Node, Node, Node | None, str | None]]:
        """``holdings`` of one person, from that person's holdings alone."""
        if not isinstance(person, URIRef):
            return
        query = f"""
            PREFIX org: <http://www.w3.org/ns/org#>
            PREFIX sqs: <https://w3id.org/sqsgraph/ontology#>
            SELECT DISTINCT ?organisation ?post ?qualifier {{
              {{ SELECT ?m ?organisation ?post (MIN(STR(?q)) AS ?qualifier) {{
                  ?m org:member {ox.NamedNode(str(person))} ; a org:Membership ; org:organization ?organisation .
                  OPTIONAL {{ ?m sqs:post ?post }}
                  OPTIONAL {{ ?m sqs:qualifier ?q }}
              }} GROUP BY ?m ?organisation ?post }}
            }}"""
        solutions = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        for organisation, post, qualifier in solutions:
            yield (
                person,
                self._term(organisation),
                None if post is None else self._term(post),
                None if qualifier is None else qualifier.value,
            )

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        p = str(predicate)
        if p not in self._tables:
            raise ValueError(f"subject_objects() of {p} is not answered from the store (not a table predicate)")
        return ((s, o) for s, objects in self._table(p).items() for o in objects)

    # how they are answered

    def _term(self, term: OxTerm) -> Node:
        found = self._terms.get(term)
        if found is None:
            found = self._terms[term] = from_ox_term(term)
        return found

    def _table(self, predicate: str) -> dict[Node, list[Node]]:
        table = self._forward.get(predicate)
        if table is None:
            rows: dict[Node, dict[Node, None]] = defaultdict(dict)
            query = f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"
            solutions = self.store.query(query, use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)
            terms = self._terms  # the conversion of _term, written out: it runs for every row of every table
            for s, o in solutions:
                subject, obj = terms.get(s), terms.get(o)
                if subject is None:
                    subject = terms[s] = from_ox_term(s)
                if obj is None:
                    obj = terms[o] = from_ox_term(o)
                rows[subject][obj] = None  # a statement made in two graphs comes twice
            table = self._forward[predicate] = {s: list(objects) for s, objects in rows.items()}
        return table

    def _of_class(self, cls: Node) -> list[Node]:
        found = self._instances.get(cls)
        if found is None:
            solutions = self.store.query(f"SELECT ?s WHERE {{ ?s a <{cls}> }}", use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)
            terms = self._terms  # _term written out, as in _table
            instances: dict[Node, None] = {}
            for (s,) in solutions:
                subject = terms.get(s)
                if subject is None:
                    subject = terms[s] = from_ox_term(s)
                instances[subject] = None
            found = self._instances[cls] = list(instances)
        return found

    def _reverse_lookup(self, predicate: str, obj: Node) -> Iterator[Node]:
        """The subjects of ``predicate`` with object ``obj``, as the store finds them (lazily: a
        national official is the object of thousands of holdings)."""
        if not isinstance(obj, URIRef):
            return
        seen: set[Node] = set()
        for q in self.store.quads_for_pattern(None, ox.NamedNode(predicate), ox.NamedNode(str(obj)), None):
            s = self._term(q.subject)
            if s not in seen:
                seen.add(s)
                yield s

    def _lookup(self, subject: Node, predicate: str) -> list[Node]:
        key = (subject, predicate)
        found = self._lookups.get(key)
        if found is None:
            if not isinstance(subject, URIRef):
                return []
            objects = self.store.quads_for_pattern(ox.NamedNode(str(subject)), ox.NamedNode(predicate), None, None)
            found = self._lookups[key] = list(dict.fromkeys(self._term(q.object) for q in objects))
        return found


__all__ = ["StoreGraph", "TABLE_PREDICATES"]
