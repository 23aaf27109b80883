"""The views' cuts kept beside the query store (network.netindex): chosen once from the whole
network when the store is made, then each view is drawn from its cut alone, byte for byte the
view that cutting the network again gives; a file made by another version or with other limits
is not used; the store keeps the file with its database."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from fixtures.views import synthetic
from graph_samples import sample_dataset

from sqsgraph.cli import main
from sqsgraph.network import views
from sqsgraph.network.netindex import INDEX_FORMAT, read_network_index, write_network_index
from sqsgraph.query import querystore
from sqsgraph.query.querystore import build_query_store, ensure_network_index, network_index_path, open_query_store
from sqsgraph.rdf.export import sorted_quads


def on_disk(ds, folder: Path) -> tuple[ox.Store, Path]:  # type: ignore[no-untyped-def]
    """``ds`` written as N-Quads, built into a query store and opened read-only; and the file."""
    nq = folder / "sqsgraph.nq"
    ox.serialize(sorted_quads(ds), output=str(nq), format=ox.RdfFormat.N_QUADS)
    build_query_store(nq)
    return open_query_store(nq, rebuild=False), nq


@pytest.fixture(scope="module")
def cut_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Path]:
    return on_disk(synthetic.corpus(24, 160), tmp_path_factory.mktemp("corpus"))


def test_views_drawn_from_kept_cuts_are_the_views_cut_now(cut_corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    store, _nq = cut_corpus
    monkeypatch.setattr(views, "MAX_NODES", 100)  # so that every view of this corpus is cut
    write_network_index(store, tmp_path / "cuts.json")
    cuts = read_network_index(tmp_path / "cuts.json")
    assert cuts is not None and all(cut.filled for cut in cuts.values())
    for kind in views.DEFAULT_VIEWS:
        now = views.build_view(store, kind, max_nodes=100)
        kept = views.build_view(store, kind, max_nodes=100, cuts=cuts)
        assert kept.notice == now.notice and now.notice.startswith("Showing"), kind
        assert list(kept.graph.nodes(data=True)) == list(now.graph.nodes(data=True)), kind
        assert {n: list(kept.graph.adj[n].items()) for n in kept.graph} == {n: list(now.graph.adj[n].items()) for n in now.graph}
        assert views.render_html(kept) == views.render_html(now), kind


def test_written_views_are_the_same_from_kept_cuts_and_read_nothing_more(tmp_path: Path) -> None:
    store, _nq = on_disk(sample_dataset(), tmp_path)
    views.write_views(store, tmp_path / "now")
    write_network_index(store, tmp_path / "cuts.json")
    cuts = read_network_index(tmp_path / "cuts.json")
    assert cuts is not None
    empty = ox.Store()  # the cuts hold every detail drawn: an empty graph draws the same pages
    views.write_views(empty, tmp_path / "kept", cuts=cuts)
    for name in ("overview.html", "people.html", "findings.html"):
        assert (tmp_path / "kept" / name).read_bytes() == (tmp_path / "now" / name).read_bytes(), name


def test_a_file_of_another_format_or_limits_or_none_at_all_is_not_used(tmp_path: Path) -> None:
    store, _nq = on_disk(sample_dataset(), tmp_path)
    path = write_network_index(store, tmp_path / "cuts.json")
    data = json.loads(path.read_text())
    assert read_network_index(path) is not None and data["format"] == INDEX_FORMAT
    for key, value in (("format", INDEX_FORMAT + 1), ("max_nodes", views.MAX_NODES + 1), ("max_links", 1)):
        (tmp_path / "other.json").write_text(json.dumps(data | {key: value}))
        assert read_network_index(tmp_path / "other.json") is None, key
    (tmp_path / "broken.json").write_text(path.read_text()[:1000])
    assert read_network_index(tmp_path / "broken.json") is None
    assert read_network_index(tmp_path / "missing.json") is None
    assert read_network_index(None) is None


def test_the_store_keeps_the_cuts_with_its_database_and_drops_them_with_it(tmp_path: Path) -> None:
    _store, nq = on_disk(sample_dataset(), tmp_path)
    folder = querystore.default_store_dir(nq)
    assert network_index_path(folder) is None
    made: list[Path] = []

    def make(store: ox.Store, path: Path) -> None:
        made.append(path)
        write_network_index(store, path)

    first = ensure_network_index(folder, make)
    assert network_index_path(folder) == first and first.name.startswith("net-db-") and made == [first]
    assert ensure_network_index(folder, make) == first and len(made) == 1  # kept: not made again
    assert ensure_network_index(folder, make, usable=lambda path: False) == first and len(made) == 2  # made again
    nq.write_text(nq.read_text() + '<https://example.org/a> <https://example.org/b> "c" .\n')
    build_query_store(nq)  # a new database: the cuts of the old one are not its
    assert network_index_path(folder) is None
    build_query_store(nq)  # the next load removes the superseded database, and its cuts
    assert not first.exists()


def test_the_cuts_are_made_while_another_process_holds_the_builders_lock(tmp_path: Path) -> None:
    """The build cuts the networks while its other process makes the text index and the answers
    under the builder's lock: the cutting does not wait for the lock; only naming the file in the
    manifest does."""
    _store, nq = on_disk(sample_dataset(), tmp_path)
    folder = querystore.default_store_dir(nq)
    locked, cutting, release = threading.Event(), threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with querystore._locked(folder):
            locked.set()
            release.wait(30)

    def make(store: ox.Store, path: Path) -> None:
        cutting.set()
        write_network_index(store, path)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert locked.wait(30)
    found: list[Path] = []
    asking = threading.Thread(target=lambda: found.append(ensure_network_index(folder, make)))
    try:
        asking.start()
        assert cutting.wait(30), "the cuts were not made while the lock was held"
        asking.join(0.5)
        assert asking.is_alive() and network_index_path(folder) is None  # named only once the lock is free
    finally:
        release.set()
        holder.join()
    asking.join(30)
    assert found and network_index_path(folder) == found[0] and read_network_index(found[0]) is not None


def test_cuts_of_a_database_replaced_while_they_were_made_are_not_named(tmp_path: Path) -> None:
    _store, nq = on_disk(sample_dataset(), tmp_path)
    folder = querystore.default_store_dir(nq)

    def make_while_rebuilt(store: ox.Store, path: Path) -> None:
        write_network_index(store, path)
        nq.write_text(nq.read_text() + '<https://example.org/a> <https://example.org/b> "c" .\n')
        build_query_store(nq)  # another build makes a new database live meanwhile

    found: list[Path] = []
    # in a thread: were the cuts made under the builder's lock, the rebuild would wait for it for ever
    asking = threading.Thread(target=lambda: found.append(ensure_network_index(folder, make_while_rebuilt)), daemon=True)
    asking.start()
    asking.join(60)
    assert not asking.is_alive(), "the cuts were made under the builder's lock"
    assert found[0].is_file() and network_index_path(folder) is None  # not the cuts of the live database


def test_build_keeps_the_cuts_and_view_draws_from_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    built = runner.invoke(main, ["build", "-o", str(out), "--no-docs"])
    assert built.exit_code == 0, built.output
    folder = querystore.default_store_dir(out / "sqsgraph.nq")
    path = network_index_path(folder)
    assert path is not None
    data = json.loads(path.read_text())
    data["cuts"]["overview"]["notice"] = "Drawn from the kept cut."  # what only the kept file says
    path.write_text(json.dumps(data))
    shown = runner.invoke(main, ["view", "overview", "--graph", str(out / "sqsgraph.nq"), "-o", str(tmp_path / "v")])
    assert shown.exit_code == 0, shown.output
    assert "Drawn from the kept cut." in (tmp_path / "v" / "overview.html").read_text()
    people = runner.invoke(main, ["view", "people", "--graph", str(out / "sqsgraph.nq"), "-o", str(tmp_path / "v")])
    assert (tmp_path / "v" / "people.html").read_bytes() == (out / "views" / "people.html").read_bytes(), people.output


def test_view_adds_the_cuts_to_a_store_without_them_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["build", "-o", str(out), "--no-docs", "--no-views"]).exit_code == 0
    nq = out / "sqsgraph.nq"
    build_query_store(nq)  # as a query builds it: without the views' cuts
    assert network_index_path(querystore.default_store_dir(nq)) is None
    first = runner.invoke(main, ["view", "findings", "--graph", str(nq), "-o", str(tmp_path / "v")])
    assert first.exit_code == 0, first.output
    assert "adding the views' cuts" in first.stderr
    assert network_index_path(querystore.default_store_dir(nq)) is not None
    again = runner.invoke(main, ["view", "findings", "--graph", str(nq), "-o", str(tmp_path / "v")])
    assert "adding" not in again.stderr


def test_a_build_over_a_fresh_store_makes_again_cuts_this_version_cannot_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["build", "-o", str(out), "--no-docs"]).exit_code == 0
    folder = querystore.default_store_dir(out / "sqsgraph.nq")
    path = network_index_path(folder)
    assert path is not None
    path.write_text(json.dumps(json.loads(path.read_text()) | {"format": INDEX_FORMAT - 1}))  # as an older version made it
    again = runner.invoke(main, ["build", "-o", str(out), "--no-docs"])  # nothing changed: the store is left as it is
    assert again.exit_code == 0, again.output
    assert network_index_path(folder) == path and read_network_index(path) is not None  # made again, readable
