"""Network figures on graphs whose answers are known: the hand-written fixture (two reports,
Kent and Barnet, with Malcolm Potter of the YJB on both copy lists) and tiny networkx graphs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest

from sqsgraph.network import analytics
from sqsgraph.network.netgraph import entity_graph, findings_graph, kind_counts
from sqsgraph.rdf.datasets import load_dataset

FIXTURE = Path(__file__).parent / "fixtures" / "views" / "small.trig"
ID = "https://w3id.org/sqsgraph/id/"


@pytest.fixture(scope="module")
def graph() -> nx.Graph:
    return entity_graph(load_dataset(FIXTURE))


@pytest.fixture(scope="module")
def stats(graph: nx.Graph) -> analytics.Stats:
    return analytics.compute_stats(graph)


def test_counts_by_kind(stats: analytics.Stats) -> None:
    assert stats.counts == {"area": 2, "report": 2, "body": 2, "organisation": 6, "person": 8}
    assert (stats.nodes, stats.edges, stats.components, stats.largest_component) == (20, 30, 1, 20)


def test_the_person_on_both_copy_lists_bridges_the_areas(stats: analytics.Stats) -> None:
    top = stats.top_people_by_betweenness[0]
    assert (top.label, top.iri) == ("Malcolm Potter", ID + "person/malcolm-potter")
    assert top.value > stats.top_people_by_betweenness[1].value


def test_people_in_several_areas(stats: analytics.Stats) -> None:
    # Julie Fox wrote both reports; Malcolm Potter is on both copy lists; nobody else crosses.
    assert stats.people_in_several_areas == [
        ("Julie Fox", ID + "person/julie-fox", ["Barnet", "Kent"]),
        ("Malcolm Potter", ID + "person/malcolm-potter", ["Barnet", "Kent"]),
    ]


def test_degree_rankings(stats: analytics.Stats) -> None:
    assert [(r.label, r.value) for r in stats.top_people_by_degree[:2]] == [("Julie Fox", 3), ("Malcolm Potter", 3)]
    assert stats.top_organisations_by_degree[0].label in {"Barnet Youth Offending Team", "Kent Youth Offending Service"}
    assert stats.top_organisations_by_degree[0].value == 4
    assert stats.top_organisations_by_betweenness[0].label == "HMI Probation"


def test_communities_split_the_two_areas(stats: analytics.Stats) -> None:
    first, second = stats.communities[0], stats.communities[1]
    assert first.members[0] == "Report Kent 2014-06-18" and first.size == 7
    assert second.members[0] == "Report Barnet 2014-07-16" and second.size == 6
    assert sum(c.size for c in stats.communities) == stats.nodes


def test_same_graph_same_numbers(graph: nx.Graph) -> None:
    assert analytics.format_json(analytics.compute_stats(graph)) == analytics.format_json(analytics.compute_stats(graph.copy()))


def test_bridge_between_two_cliques_has_the_highest_betweenness() -> None:
    G = nx.Graph()
    for area, people in (("a", "pqr"), ("b", "xyz")):
        G.add_node(f"report-{area}", kind="report", label=f"Report {area}")
        G.add_node(f"area-{area}", kind="area", label=f"Area {area}")
        G.add_edge(f"report-{area}", f"area-{area}")
        for p in people:
            G.add_node(p, kind="person", label=p.upper())
            G.add_edge(p, f"report-{area}")
    G.add_node("bridge", kind="person", label="Bridge")
    G.add_edge("bridge", "report-a")
    G.add_edge("bridge", "report-b")
    s = analytics.compute_stats(G)
    assert s.top_people_by_betweenness[0].label == "Bridge"
    assert s.top_people_by_betweenness[0].value == pytest.approx(25 / 45)  # every one of the 5 x 5 cross pairs, of 10*9/2
    assert s.people_in_several_areas == [("Bridge", "bridge", ["Area a", "Area b"])]
    assert s.components == 1


def test_betweenness_is_sampled_with_a_seed_above_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    G = nx.barabasi_albert_graph(200, 2, seed=1)
    nx.set_node_attributes(G, "person", "kind")
    nx.set_node_attributes(G, {n: f"P{n}" for n in G}, "label")
    monkeypatch.setattr(analytics, "EXACT_BETWEENNESS_MAX", 100)
    monkeypatch.setattr(analytics, "BETWEENNESS_SAMPLES", 50)
    first, second = analytics.compute_stats(G), analytics.compute_stats(G)
    assert not first.betweenness_exact
    assert first.top_people_by_betweenness == second.top_people_by_betweenness
    assert "Top people by betweenness (estimated)" in analytics.format_table(first)


def test_table_format(stats: analytics.Stats) -> None:
    lines = analytics.format_table(stats).splitlines()
    assert lines[0] == "Nodes: 20  Edges: 30  Connected components: 1 (largest: 20 nodes)"
    assert "   1. Malcolm Potter    0.2222" in lines
    assert "People in more than one area: 2" in lines
    assert "  Malcolm Potter: Barnet, Kent" in lines


def test_csv_format(stats: analytics.Stats) -> None:
    rows = list(csv.reader(io.StringIO(analytics.format_csv(stats))))
    assert rows[0] == ["section", "rank", "label", "iri", "value"]
    assert ["count", "", "person", "", "8"] in rows
    assert ["people by betweenness", "1", "Malcolm Potter", ID + "person/malcolm-potter", "0.2222"] in rows


def test_json_format(stats: analytics.Stats) -> None:
    data = json.loads(analytics.format_json(stats))
    assert data["counts"]["person"] == 8
    assert data["people_in_several_areas"][1] == {
        "label": "Malcolm Potter",
        "iri": ID + "person/malcolm-potter",
        "areas": ["Barnet", "Kent"],
    }


def test_findings_graph_is_a_tree_of_areas_themes_and_findings() -> None:
    F = findings_graph(load_dataset(FIXTURE))
    assert kind_counts(F) == {
        "area": 2,
        "report": 0,
        "body": 0,
        "organisation": 0,
        "person": 0,
        "theme": 6,
        "finding": 3,
        "strength": 1,
        "improvement": 2,
    }
    assert nx.is_forest(F)
    finding = F.nodes[ID + "report/kent-2014-06-18/finding/1.1"]
    assert finding["label"] == "1.1 The initial assessment of the child or young…"
    assert dict(finding["facts"])["Inspector quoted"] == "excellent"
    assert finding["spans"][0]["position"] == "characters 3512–3640"
    assert finding["spans"][0]["file"] == "kent-2014.txt"
