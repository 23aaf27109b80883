"""The mapper's fast term makers make exactly the terms rdflib's constructors make."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from sqsgraph.rdf.terms import Terms, integer, iri, text


def same_literal(fast: Literal, slow: Literal) -> None:
    assert type(fast) is type(slow) is Literal
    assert str(fast) == str(slow)
    assert (fast.language, fast.datatype, fast.value, fast.ill_typed) == (
        slow.language,
        slow.datatype,
        slow.value,
        slow.ill_typed,
    )
    assert fast == slow and hash(fast) == hash(slow) and fast.eq(slow)
    assert fast.n3() == slow.n3()


@pytest.mark.parametrize(
    "value", ["", "Good practice", 'a "quote" and \\', "line\nbreak\r", "Ünïcödé — ‘quotes’", "x" * 5000, " padded "]
)
def test_text_is_rdflibs_plain_literal(value: str) -> None:
    same_literal(text(value), Literal(value))


@pytest.mark.parametrize("value", [0, 1, 12, 10**12])
def test_integer_is_rdflibs_integer_literal(value: int) -> None:
    same_literal(integer(value), Literal(value))
    same_literal(integer(value, XSD.nonNegativeInteger), Literal(value, datatype=XSD.nonNegativeInteger))


def test_integer_refuses_what_is_not_an_int() -> None:
    for bad in (True, 1.5, "3"):
        with pytest.raises(TypeError):
            integer(bad)  # type: ignore[arg-type]


def test_iri_is_rdflibs_uriref() -> None:
    value = "https://w3id.org/sqsgraph/id/report/ashcombe-2019-03/finding/2.1/span"
    fast = iri(value)
    assert type(fast) is URIRef and fast == URIRef(value) and hash(fast) == hash(URIRef(value))
    assert fast.n3() == URIRef(value).n3()


def test_fast_terms_make_the_same_graph() -> None:
    s = iri("https://example.org/a")
    fast = Graph()
    fast.add((s, RDF.type, iri("https://example.org/T")))
    fast.add((s, iri("https://example.org/p"), text("x")))
    fast.add((s, iri("https://example.org/n"), integer(3, XSD.nonNegativeInteger)))
    slow = Graph()
    slow.parse(
        data='<https://example.org/a> a <https://example.org/T> ; <https://example.org/p> "x" ;'
        ' <https://example.org/n> "3"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .',
        format="turtle",
    )
    assert set(fast) == set(slow)


def test_terms_keep_a_closed_namespace_closed() -> None:
    rdf = Terms(RDF)
    assert rdf.type == RDF.type and rdf.type is rdf.type  # looked up once
    with pytest.raises(AttributeError):
        rdf.tpye  # noqa: B018
