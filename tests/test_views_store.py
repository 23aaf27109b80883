"""Views and stats read from a pyoxigraph Store (the on-disk query store) are the views read from
the rdflib Dataset of the same graph: same nodes, links, facts, source text and bytes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from fixtures.views import synthetic
from graph_samples import sample_dataset

from sqsgraph.network import analytics, views
from sqsgraph.network.netgraph import entity_graph, findings_graph
from sqsgraph.query.querystore import build_query_store, open_query_store
from sqsgraph.rdf.export import sorted_quads


def on_disk(ds, folder: Path) -> ox.Store:  # type: ignore[no-untyped-def]
    """``ds`` written as N-Quads, built into a query store and opened read-only."""
    nq = folder / "sqsgraph.nq"
    ox.serialize(sorted_quads(ds), output=str(nq), format=ox.RdfFormat.N_QUADS)
    build_query_store(nq)
    return open_query_store(nq, rebuild=False)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    ds = sample_dataset()
    return ds, on_disk(ds, tmp_path_factory.mktemp("samples"))


def graph_data(G):  # type: ignore[no-untyped-def]
    return sorted(G.nodes(data=True)), sorted((min(a, b), max(a, b), d["rels"]) for a, b, d in G.edges(data=True))


def test_the_networks_read_from_the_store_are_those_read_from_the_dataset(samples) -> None:  # type: ignore[no-untyped-def]
    ds, store = samples
    assert graph_data(entity_graph(store)) == graph_data(entity_graph(ds))
    assert graph_data(findings_graph(store)) == graph_data(findings_graph(ds))
    assert entity_graph(store).number_of_nodes() > 50


def test_the_focus_view_from_the_store_is_byte_for_byte_the_one_from_the_dataset(samples) -> None:  # type: ignore[no-untyped-def]
    ds, store = samples
    expected = views.build_view(ds, "focus", focus="Malcolm Potter", hops=2)
    got = views.build_view(store, "focus", focus="Malcolm Potter", hops=2)
    assert graph_data(got.graph) == graph_data(expected.graph)
    assert views.render_html(got) == views.render_html(expected)


def test_a_cut_view_from_the_store_keeps_the_same_nodes(tmp_path: Path) -> None:
    ds = synthetic.corpus(24, 160)
    store = on_disk(ds, tmp_path)
    for kind in ("overview", "findings"):
        expected, got = views.build_view(ds, kind, max_nodes=100), views.build_view(store, kind, max_nodes=100)
        assert got.notice == expected.notice and got.notice.startswith("Showing")
        assert graph_data(got.graph) == graph_data(expected.graph), kind


def test_write_views_takes_a_store(samples, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ds, store = samples
    from_store = views.write_views(store, tmp_path / "a")
    from_dataset = views.write_views(ds, tmp_path / "b")
    assert [p.name for p in from_store] == ["overview.html", "people.html", "findings.html"]
    assert [p.read_bytes() for p in from_store] == [p.read_bytes() for p in from_dataset]


def test_stats_from_the_store(samples) -> None:  # type: ignore[no-untyped-def]
    ds, store = samples
    assert analytics.stats_of(store) == analytics.stats_of(ds)


def test_a_cut_view_is_the_same_in_processes_with_other_hash_seeds(tmp_path: Path) -> None:
    """Python orders sets by string hashes, which differ per process: the part a view keeps (and
    so its layout) must not follow them. Once, networkx's subgraph of a part under half the
    graph took a set's order, and large builds drew their overview and people views differently
    each run."""
    import os
    import subprocess
    import sys

    nq = tmp_path / "sqsgraph.nq"
    on_disk(sample_dataset(), tmp_path)  # the store is built once, read by both processes
    script = (
        "import sys, hashlib\n"
        "from sqsgraph.network import views\n"
        "from sqsgraph.query.querystore import open_query_store\n"
        "store = open_query_store(sys.argv[1], rebuild=False)\n"
        "for kind in ('overview', 'people'):\n"
        "    view = views.build_view(store, kind, max_nodes=40)\n"
        "    assert view.notice, kind  # cut\n"
        "    print(kind, hashlib.sha256(views.render_html(view).encode()).hexdigest())\n"
    )
    seen = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", script, str(nq)],
            env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        seen.add(done.stdout)
    assert len(seen) == 1, seen
