"""The graph of the samples answers the questions a reader of the reports would ask."""

from __future__ import annotations

import re

import pytest
from graph_samples import (
    B,
    ask,
    sample_dataset,
    sample_mapped,
    sample_on_oxigraph,
    sample_reports,
)
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import FOAF, RDF

from sqsgraph.rdf.mapper import map_reports, report_id
from sqsgraph.rdf.vocab import SQS
from sqsgraph.read.model import (
    CopyListEntry,
    DateRange,
    Finding,
    Holder,
    InspectedBody,
    LeadInspector,
    PersonMention,
    Proportion,
    Quote,
    Report,
    Section,
    SourceDocument,
    Span,
)


def test_no_blank_nodes_anywhere():
    for quad in sample_dataset().quads((None, None, None, None)):
        assert not any(isinstance(term, BNode) for term in quad[:3]), quad


def test_each_report_has_its_own_named_graph():
    ds = sample_dataset()
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    rids = sorted(sample_mapped().report_ids.values())
    assert rids == ["barnet-2014-07-16", "bedfordshire-2014-12-10", "cumbria-2016-08-10", "kent-2014-06-18", "thurrock-2015-05-20"]
    assert graphs == {f"{B}graph/{r}" for r in rids} | {f"{B}graph/shared", f"{B}graph/ontology"}
    rows = ask(ds, "SELECT ?g WHERE { GRAPH ?g { ?r a schema:Report ; sqs:area ?a . ?a skos:prefLabel 'Kent' } }")
    # the area's label lives in the shared graph, the report in its own: no single graph has both
    assert rows == []
    rows = ask(ds, "SELECT ?g WHERE { GRAPH ?g { ?r a schema:Report ; sqs:area ?area } }", area=URIRef(f"{B}area/kent"))
    assert rows == [(f"{B}graph/kent-2014-06-18",)]


def test_who_received_the_kent_report_as_chair_of_youth_court_bench():
    rows = ask(sample_dataset(), """
        SELECT ?name ?division ?bench WHERE {
          ?report sqs:area/skos:prefLabel "Kent" ; schema:ccRecipient ?p .
          ?m org:member ?p ; sqs:attestedBy ?report ; org:role role:chair-of-youth-court-bench ;
             org:organization/skos:prefLabel ?bench .
          OPTIONAL { ?m sqs:qualifier ?division }
          ?p foaf:name ?name .
        }""")
    assert rows == [
        ("Bob Dean", "East", "Kent Youth Court Bench"),
        ("David Brake", "North", "Kent Youth Court Bench"),
        ("Jackie Hamilton", "West", "Kent Youth Court Bench"),
    ]


def test_people_in_more_than_one_report_and_their_posts():
    rows = ask(sample_dataset(), """
        SELECT ?name (COUNT(DISTINCT ?report) AS ?n) (GROUP_CONCAT(DISTINCT ?post; separator=" | ") AS ?posts) WHERE {
          { ?m org:member ?p ; sqs:attestedBy ?report ; sqs:post/skos:prefLabel ?post . }
          UNION
          { ?report sqs:inspection/prov:qualifiedAssociation ?a . ?a prov:agent ?p ; prov:hadRole/skos:prefLabel ?post . }
          ?p foaf:name ?name .
        } GROUP BY ?p ?name HAVING (COUNT(DISTINCT ?report) > 1)""")
    by_name = {name: (int(n), set(posts.split(" | "))) for name, n, posts in rows}
    assert by_name["Helen Mercer"] == (2, {"HM Assistant Chief Inspector", "Lead inspector"})
    assert by_name["Lisa Harvey Messina"] == (2, {"YJB Business Area Manager", "YJB link staff"})
    assert by_name["Julie Fox"] == (3, {"HM Assistant Chief Inspector"})
    assert by_name["Carolyn Adcock"][0] == 4
    assert by_name["Gill Rigg"] == (2, {"Chair of Local Safeguarding Children Board"})
    assert "Kevin Crompton" not in by_name  # two posts, one report


def test_spans_of_a_finding_slice_back_to_its_text():
    ds = sample_on_oxigraph()  # rdflib's own SPARQL engine takes minutes over this join
    texts = {r.source.sha256: r.source.text for r in sample_reports()}
    rows = ask(ds, """
        SELECT ?f ?text ?start ?end ?exact ?sha WHERE {
          ?f a sqs:Finding ; schema:text ?text ; sqs:textSpan ?span .
          ?span oa:hasSource/sqs:sha256 ?sha ; oa:hasSelector ?pos, ?quote .
          ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
          ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
        }""")
    assert len(rows) == sum(len(r.findings) + len(r.key_strengths) + len(r.areas_for_improvement) for r in sample_reports())

    def letters(s: str) -> str:
        return re.sub(r"[^a-z0-9]", "", s.lower())

    for f, text, start, end, exact, sha in rows:
        source = texts[sha]
        assert source[int(start) : int(end)] == exact, f
        assert letters(exact).startswith(letters(text)[:40]), f
        assert letters(exact).endswith(letters(text)[-20:]), f


def test_kent_finding_with_theme_quote_and_count():
    f = URIRef(f"{B}report/kent-2014-06-18/finding/1.1")
    rows = ask(sample_dataset(), """
        SELECT ?theme ?number ?n ?d ?phrase ?area WHERE {
          ?f dcterms:subject ?theme ; sqs:paragraphNumber ?number ; sqs:hasObservation ?c .
          ?c a qb:Observation ; sqs:numerator ?n ; sqs:denominator ?d ; sqs:phrase ?phrase ;
             sdmx-dimension:refArea ?area ; qb:dataSet ?ds .
        }""", f=f)
    assert (f"{'https://w3id.org/sqsgraph/theme/'}reducing-reoffending", "1.1", "17", "29", "17 of 29", f"{B}area/kent") in rows
    quotes = ask(sample_dataset(), """
        SELECT ?text WHERE { ?f sqs:hasQuote ?q . ?q a sqs:Quote ; schema:text ?text ; sqs:textSpan ?s }""",
                 f=URIRef(f"{B}report/kent-2014-06-18/finding/1.2"))
    assert quotes == [("excellent",)]


def test_strengths_and_improvements_are_typed_findings():
    rows = ask(sample_dataset(), """
        SELECT ?kind (COUNT(?f) AS ?n) WHERE {
          ?r sqs:hasFinding ?f . ?f a ?kind .
          FILTER (?kind IN (sqs:KeyStrength, sqs:AreaForImprovement))
        } GROUP BY ?kind""", r=URIRef(f"{B}report/kent-2014-06-18"))
    assert rows == [(str(SQS.AreaForImprovement), "2"), (str(SQS.KeyStrength), "3")]


def test_reoffending_rates_for_the_area_and_england_and_wales():
    rows = ask(sample_dataset(), """
        SELECT ?area ?rate ?start ?end ?source WHERE {
          ?o qb:dataSet ?dataset ; sdmx-dimension:refArea/skos:prefLabel ?area ;
             sqs:reoffendingRate ?rate ; sqs:cohortStart ?start ; sqs:cohortEnd ?end ; dcterms:source ?source ;
             prov:wasDerivedFrom ?r .
        }""", dataset=URIRef(f"{B}dataset/reoffending"), r=URIRef(f"{B}report/bedfordshire-2014-12-10"))
    assert rows == [
        ("Bedfordshire", "34.2", "2011-10", "2012-09", "Youth Justice Board"),
        ("England and Wales", "35.4", "2011-10", "2012-09", "Youth Justice Board"),
    ]


def test_report_core_statements():
    rows = ask(sample_dataset(), """
        SELECT ?issued ?creator ?recipient ?body ?bodyArea ?la ?start ?end ?cases ?lead WHERE {
          ?r dcterms:issued ?issued ; dcterms:creator/foaf:name ?creator ; schema:recipient/foaf:name ?recipient ;
             schema:about ?b ; sqs:inspection ?i ; dcterms:publisher ?publisher .
          ?b skos:prefLabel ?body ; schema:areaServed/skos:prefLabel ?bodyArea ; org:subOrganizationOf ?la ;
             org:classification <https://w3id.org/sqsgraph/orgtype/youth-offending-service> .
          ?i sqs:startDate ?start ; sqs:endDate ?end ; sqs:casesExamined ?cases ; prov:wasAssociatedWith/foaf:name ?lead ;
             prov:qualifiedAssociation [ prov:hadRole role:lead-inspector ] .
        }""", r=URIRef(f"{B}report/kent-2014-06-18"), publisher=URIRef(f"{B}org/hmi-probation"))
    assert rows == [("2014-06-18", "Julie Fox", "Patrick Leeson", "Kent Youth Offending Service", "Kent",
                     f"{B}org/kent-local-authority", "2014-05-19", "2014-05-21", "47", "Helen Rinaldi")]


def test_copy_list_posts_resolve_to_organisations():
    rows = dict(ask(sample_dataset(), """
        SELECT ?wording ?org WHERE {
          ?m sqs:attestedBy ?r ; sqs:post/skos:prefLabel ?wording ; org:organization ?org .
        }""", r=URIRef(f"{B}report/thurrock-2015-05-20")))
    assert rows["Police and Crime Commissioner for Essex"] == f"{B}org/police-and-crime-commissioner-for-essex"
    assert rows["YJB link staff"] == f"{B}org/youth-justice-board"
    assert rows["Ofsted – Social Care"] == f"{B}org/ofsted/social-care"
    assert rows["Chair of Youth Court Bench"] == f"{B}org/thurrock-youth-court-bench"
    assert rows["Director of Children's Services"] == f"{B}org/thurrock-local-authority"
    assert rows["YOS Manager"] == f"{B}org/thurrock-youth-offending-service"
    units = ask(sample_dataset(), "SELECT ?u WHERE { ?u org:unitOf ?ofsted ; a org:OrganizationalUnit }",
                ofsted=URIRef(f"{B}org/ofsted"))
    assert (f"{B}org/ofsted/social-care",) in units


def test_national_bodies_are_one_node_each():
    rows = ask(sample_dataset(), """
        SELECT ?org (COUNT(DISTINCT ?r) AS ?n) WHERE {
          ?m org:organization ?o ; sqs:attestedBy ?r . ?o org:unitOf? ?org .
          FILTER (?org IN (?ofsted, ?yjb, ?cqc))
        } GROUP BY ?org""", ofsted=URIRef(f"{B}org/ofsted"), yjb=URIRef(f"{B}org/youth-justice-board"),
               cqc=URIRef(f"{B}org/care-quality-commission"))
    assert rows == [(f"{B}org/care-quality-commission", "5"), (f"{B}org/ofsted", "5"), (f"{B}org/youth-justice-board", "5")]


def test_holdings_are_dated_by_their_report():
    rows = ask(sample_dataset(), """
        SELECT DISTINCT ?issued ?date WHERE {
          ?m a org:Membership ; sqs:attestedBy ?r ; org:memberDuring/time:inXSDDate ?date . ?r dcterms:issued ?issued .
        }""")
    assert len(rows) == 5 and all(a == b for a, b in rows)


def test_case_pseudonyms_are_never_persons():
    ds = sample_dataset()
    kent = next(r for r in sample_reports() if r.area == "Kent")
    assert kent.case_pseudonyms
    names = {str(n) for n in ds.objects(None, FOAF.name)}
    for pseudonym in kent.case_pseudonyms:
        assert pseudonym not in names
        assert not any(n.split()[0] == pseudonym for n in names if n.split()[0] == pseudonym and len(n.split()) == 1)
        assert (URIRef(f"{B}report/kent-2014-06-18"), SQS.casePseudonym, Literal(pseudonym)) in ds


def test_every_person_mention_points_to_its_span():
    rows = ask(sample_dataset(), """
        SELECT ?m WHERE { ?m a org:Membership . FILTER NOT EXISTS { ?m sqs:textSpan/oa:hasSource/sqs:sha256 ?h } }""")
    assert rows == []
    rows = ask(sample_dataset(), """
        SELECT ?a WHERE { ?a a prov:Association . FILTER NOT EXISTS { ?a sqs:textSpan/oa:hasSelector/oa:exact ?e } }""")
    assert rows == []


# --- a report built by hand: the rules are general, not the samples' -----------------------------

TEXT = (
    "To: Ann Example, Chair of Northshire YOT Management Board\n"
    "From: Dr Sam Writer, HM Assistant Chief Inspector\n"
    "1.1. Work was good in 3 of 4 cases.\n"
    "Copy to:\nPolice and Crime Commissioner for Westshire\tPat Ruler\n"
    "Ofsted – Early Years\tLee Inspect\nChair of Youth Court Bench\tCllr Jo Bench\n"
    "Head of Widgets\tMo Unknown\n"
)


def hand_report() -> Report:
    def span(text: str) -> Span:
        start = TEXT.index(text)
        return Span(start, start + len(text))

    return Report(
        source=SourceDocument("northshire.txt", TEXT, "a" * 64, "utf-8"),
        title="Report of Short Quality Screening (SQS) of youth offending work in Northshire",
        area="Northshire",
        body=InspectedBody("Northshire Youth Offending Team", "Youth Offending Team", "YOT"),
        addressee=PersonMention("Ann Example", "Chair of Northshire YOT Management Board", None, span("Ann Example")),
        author=PersonMention("Sam Writer", "HM Assistant Chief Inspector", "Dr", span("Sam Writer")),
        publication_date="2017-03-01",
        inspection=DateRange("2017-02-01", "2017-02-03"),
        cases_examined=4,
        lead_inspector=LeadInspector("Sam Writer", None, None, span("Sam Writer")),
        sections=[Section(1, "Reducing reoffending", "reducing-reoffending", (
            Finding("1.1", "Work was good in 3 of 4 cases.", span("Work was good in 3 of 4 cases."),
                    (Quote("good", span("good")),), (Proportion("3 of 4", 3, 4, 0.75, span("3 of 4")),)),
        ))],
        copy_list=[
            CopyListEntry("Police and Crime Commissioner for Westshire", (Holder("Pat Ruler", None, None, span("Pat Ruler")),)),
            CopyListEntry("Ofsted – Early Years", (Holder("Lee Inspect", None, None, span("Lee Inspect")),)),
            CopyListEntry("Chair of Youth Court Bench", (Holder("Jo Bench", "Cllr", None, span("Jo Bench")),)),
            CopyListEntry("Head of Widgets", (Holder("Mo Unknown", None, None, span("Mo Unknown")),)),
        ],
        case_pseudonyms=["Kim"],
    )


def test_a_report_built_by_hand_maps_by_the_general_rules():
    r = hand_report()
    assert report_id(r) == "northshire-2017-03-01"
    ds = map_reports([r], base="https://example.org/kg/")
    rows = dict(ask(ds, "SELECT ?name ?org WHERE { ?m org:member/foaf:name ?name ; org:organization ?org }"))
    assert rows == {
        "Ann Example": "https://example.org/kg/org/northshire-youth-offending-team-management-board",
        "Sam Writer": "https://example.org/kg/org/hmi-probation",
        "Pat Ruler": "https://example.org/kg/org/police-and-crime-commissioner-for-westshire",
        "Lee Inspect": "https://example.org/kg/org/ofsted/early-years",
        "Jo Bench": "https://example.org/kg/org/northshire-youth-court-bench",
        "Mo Unknown": "https://example.org/kg/org/northshire-local-authority",
    }
    # the author who was also lead inspector is one person, with the honorific kept apart
    assert ask(ds, "SELECT ?p ?h WHERE { ?p foaf:name 'Sam Writer' ; schema:honorificPrefix ?h }") == [
        ("https://example.org/kg/person/sam-writer", "Dr")
    ]
    assert ask(ds, "SELECT ?h WHERE { ?p foaf:name 'Jo Bench' ; schema:honorificPrefix ?h }") == [("Cllr",)]
    assert (None, FOAF.name, Literal("Kim")) not in ds
    assert all(str(s).startswith(("https://example.org/kg/", "https://w3id.org/sqsgraph/", "http", "urn"))
               for s in ds.subjects(RDF.type, None))
    assert not [s for s in ds.subjects(RDF.type, None) if str(s).startswith("https://w3id.org/sqsgraph/id/")]


def test_unknown_post_wording_is_a_warning_not_a_guess_in_silence():
    from sqsgraph.rdf.mapper import map_reports_with_notes

    mapped = map_reports_with_notes([hand_report()])
    assert mapped.warnings[0] == (
        "northshire.txt: copy-list post 'Head of Widgets' names no organisation sqsgraph knows; "
        "taken as a post in Northshire's local authority"
    )
    assert [w.split(":")[0] for w in mapped.warnings[1:]] == [  # made-up areas: no GSS code (test_areacodes.py)
        "area 'Northshire' has no GSS code", "area 'Westshire' has no GSS code"]


@pytest.mark.parametrize("name", ["barnet-2014-07-16", "bedfordshire-2014-12-10", "cumbria-2016-08-10", "kent-2014-06-18", "thurrock-2015-05-20"])
def test_every_sample_has_report_inspection_findings_and_people(name):
    rows = ask(sample_dataset(), """
        SELECT (COUNT(DISTINCT ?f) AS ?findings) (COUNT(DISTINCT ?cc) AS ?copies) WHERE {
          ?r sqs:inspection ?i ; sqs:hasFinding ?f ; schema:ccRecipient ?cc ; dcterms:creator ?c ; schema:recipient ?to .
        }""", r=URIRef(f"{B}report/{name}"))
    findings, copies = map(int, rows[0])
    assert findings >= 15 and copies >= 13


def test_pdf_style_renderings_give_the_same_people_posts_and_organisations():
    """The same reports as text extracted from PDFs (wrapped, curly quotes, no tabs) mint the same IRIs."""
    from pathlib import Path

    from sqsgraph.read.parser import parse_file

    pdf = sorted((Path(__file__).parent / "fixtures" / "pdf").glob("*.txt"))
    assert len(pdf) == 5
    ds = map_reports([parse_file(p) for p in pdf])

    def nodes(d, cls):
        return sorted(str(s) for s in set(d.subjects(RDF.type, cls)))

    from rdflib.namespace import ORG

    for cls in (FOAF.Person, ORG.Organization, ORG.Post, ORG.Membership, SQS.Finding, SQS.CandidateMatch):
        assert nodes(ds, cls) == nodes(sample_dataset(), cls), cls


def test_what_a_report_adds_to_the_shared_graph_describes_every_shared_node_it_refers_to():
    # the build makes the shared graph from report_facts alone, before and apart from map_report
    from sqsgraph.rdf.identity import resolve_identities
    from sqsgraph.rdf.mapper import (
        collect_people,
        map_report,
        report_facts,
        shared_triples,
    )

    shared_kinds = tuple(f"{B}{kind}/" for kind in ("org", "post", "area", "person"))
    for report in sample_reports():
        rid = report_id(report)
        people = collect_people(report, rid)
        ids = resolve_identities(list(people.mentions))
        graph = map_report(report, rid, people, [ids.person_of[i] for i in range(len(people.mentions))])
        typed = {s for s, p, _ in shared_triples(report_facts(report, people), ids, {}) if p == RDF.type}
        referred = {o for _, _, o in graph.all_triples if isinstance(o, URIRef) and str(o).startswith(shared_kinds)}
        referred |= {s for s, _, _ in graph.about_shared}
        assert len(referred) > 20 and referred <= typed, (rid, sorted(referred - typed)[:5])
