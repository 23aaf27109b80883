"""Benchmark of the query side at scale: the on-disk query store, the named queries (Oxigraph
against rdflib's own engine), the SPARQL endpoint and the views.

    python bench/queries.py                       # 10,000 reports, rdflib compared at 1,000
    python bench/queries.py --reports 2000 --rdflib-reports 500
    python bench/queries.py --nq big.nq --rdflib-nq small.nq

Without ``--nq`` it builds ``--base`` synthetic reports (``sqsgraph synth`` and ``sqsgraph build``)
and makes the large graphs by replicating the per-report named graphs with their report ids
rewritten (``report/{rid}``, ``graph/{rid}``, ``membership/{rid}``, ``source/{hash}`` get a
suffix ``-k`` in copy ``k``); the shared and ontology graphs are kept once, so the copies share
the people, organisations and areas of the base corpus. Each stage runs in a child process, so
its peak memory (``ru_maxrss``) is its own. Prints markdown tables.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

PER_REPORT = re.compile(r"(/id/(?:report|graph|membership|source)/)([^/>#]+)")
RDFLIB_QUERY_LIMIT_S = 120


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


# --- making the graphs ---------------------------------------------------------------------------

def replicate(src: Path, dst: Path, copies: int) -> Path:
    """``src`` with its per-report named graphs repeated ``copies`` times (ids suffixed ``-k``)."""
    shared, per_report = [], []
    for line in src.read_text(encoding="utf-8").splitlines(keepends=True):
        (shared if line.rstrip().endswith(("/graph/shared> .", "/graph/ontology> .")) else per_report).append(line)
    block = "".join(per_report)
    with dst.open("w", encoding="utf-8") as out:
        out.writelines(shared)
        for k in range(copies):
            out.write(block if k == 0 else PER_REPORT.sub(lambda m, k=k: f"{m.group(1)}{m.group(2)}-{k}", block))
    return dst


def base_build(work: Path, reports: int) -> Path:
    nq = work / f"build{reports}" / "sqsgraph.nq"
    if not nq.is_file():
        corpus = work / f"synth{reports}"
        subprocess.run([sys.executable, "-m", "sqsgraph.cli", "synth", str(reports), str(corpus)], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "sqsgraph.cli", "build", str(corpus), "-o", str(nq.parent),
                        "--no-views", "--no-docs"], check=True, stdout=subprocess.DEVNULL)
    return nq


# --- the stages (each in its own process) --------------------------------------------------------

def stage_load(nq: str, store_dir: str) -> dict:
    from sqsgraph.query.querystore import build_query_store, read_live_database

    started = time.perf_counter()
    build_query_store(Path(nq), Path(store_dir))
    seconds = time.perf_counter() - started
    manifest = read_live_database(store_dir)
    size = sum(f.stat().st_size for f in (Path(store_dir) / manifest.database).iterdir())
    return {"seconds": seconds, "peak_mb": peak_mb(), "statements": manifest.statements,
            "nq_mb": Path(nq).stat().st_size // 2**20, "store_mb": size // 2**20}


def example_params(query) -> dict[str, str]:  # type: ignore[no-untyped-def]
    words = shlex.split(query.examples[0])
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--param")


def data_params(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Parameter values the data has, for the queries whose example finds nothing in it."""
    prefixes = ("PREFIX sqs: <https://w3id.org/sqsgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX org: <http://www.w3.org/ns/org#> ")
    area = next(iter(store.query(prefixes + "SELECT ?l { ?a a <https://schema.org/AdministrativeArea> ; "
                                 "skos:prefLabel ?l } ORDER BY ?l LIMIT 1", use_default_graph_as_union=True)))[0].value
    name = next(iter(store.query(prefixes + "SELECT ?n { ?p a foaf:Person ; foaf:name ?n } ORDER BY ?n LIMIT 1",
                                 use_default_graph_as_union=True)))[0].value
    return {"area": area, "name_part": name.split()[-1].lower(), "number": "2.1"}


def stage_precompute(store_dir: str) -> dict:
    """Add the precomputed answers to a store that has none (``querystore.ensure_precomputed``):
    what the build spends on them, the file's size, and what each answer's SPARQL cost."""
    import sqlite3

    from sqsgraph.query.querystore import ensure_precomputed

    started, cpu = time.perf_counter(), time.process_time()
    path = ensure_precomputed(store_dir)
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    db = sqlite3.connect(path)
    runs = [{"query": q, "params": p, "rows": n, "sparql_ms": s * 1000} for q, p, n, s in db.execute(
        "SELECT a.query, a.params, r.nrows, a.seconds FROM answers a JOIN rowsets r ON r.id = a.rowset WHERE a.seconds > 0")]
    return {"seconds": seconds, "cpu_s": cpu_s, "mb": path.stat().st_size / 2**20, "runs": runs,
            "answers": db.execute("SELECT COUNT(*) FROM answers").fetchone()[0], "peak_mb": peak_mb()}


def stage_queries(store_dir: str, repeat: int, limit: int = 0, use_precomputed: int = 1) -> dict:
    """Every named query ``repeat`` times; ``limit`` > 0 asks for the first page of that many rows;
    ``use_precomputed`` 0 runs SPARQL even where the store has precomputed answers."""
    limit = limit or None
    import pyoxigraph as ox

    from sqsgraph.query.library import bind_params, load_queries
    from sqsgraph.query.querystore import (
        database_path,
        open_precomputed,
        open_text_index,
    )
    from sqsgraph.query.run import run_query

    started = time.perf_counter()
    store = ox.Store.read_only(str(database_path(store_dir)))
    index = open_text_index(store_dir)  # the full-text index, when the store has one
    answers = open_precomputed(store_dir) if use_precomputed else None
    opened = time.perf_counter() - started
    fallback = data_params(store)
    out = []
    for q in load_queries().values():
        for label, params in (("example", example_params(q)), ("data", None)):
            if params is None:
                if out[-1]["rows"] or not q.params:
                    break
                params = {p.name: fallback[p.name] for p in q.params if p.name in fallback}
            bindings = bind_params(q, params)
            walls, cpus, rows, served = [], [], 0, False
            for _ in range(repeat):
                w, c = time.perf_counter(), time.process_time()
                result = run_query(store, q.text, bindings, text_index=index, limit=limit, precomputed=answers)
                rows, served = len(result.rows), result.precomputed
                walls.append((time.perf_counter() - w) * 1000)
                cpus.append((time.process_time() - c) * 1000)
            out.append({"query": q.name, "params": label, "values": params, "rows": rows, "precomputed": served,
                        "ms": statistics.median(walls), "cpu_ms": statistics.median(cpus)})
    return {"open_s": opened, "queries": out, "peak_mb": peak_mb()}


class _TimeLimit(Exception):
    pass


def _alarm(signum, frame):  # type: ignore[no-untyped-def]
    raise _TimeLimit


def stage_rdflib(nq: str, params_json: str) -> dict:
    from rdflib import Dataset

    from sqsgraph.query.library import bind_params, load_queries
    from sqsgraph.query.rewrite import with_values
    from sqsgraph.rdf.datasets import load_dataset

    started = time.perf_counter()
    ds: Dataset = load_dataset(nq)
    loaded = time.perf_counter() - started
    chosen = json.loads(params_json)
    signal.signal(signal.SIGALRM, _alarm)
    out = []
    for q in load_queries().values():
        text = with_values(q.text, bind_params(q, chosen[q.name]))
        signal.alarm(RDFLIB_QUERY_LIMIT_S)
        w = time.perf_counter()
        try:
            rows: int | None = len(list(ds.query(text)))
            ms: float | None = (time.perf_counter() - w) * 1000
        except _TimeLimit:
            rows, ms = None, None
        except Exception as exc:  # rdflib's engine fails on some valid SPARQL; say which
            rows, ms = None, None
            print(f"rdflib failed on {q.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            signal.alarm(0)
        out.append({"query": q.name, "rows": rows, "ms": ms})
    return {"load_s": loaded, "peak_mb": peak_mb(), "queries": out}


def stage_endpoint(store_dir: str, params_json: str, clients: int, rounds: int, route: str = "sparql",
                   page: int = 200) -> dict:
    """``clients`` threads each asking every named query ``rounds`` times: as SPARQL text POSTed
    to /sparql (``route`` "sparql"), or as ``GET /query/<name>?...&limit=page`` ("named")."""
    from sqsgraph.query.library import bind_params, load_queries
    from sqsgraph.query.rewrite import with_values
    from sqsgraph.serve.server import Limits, create_server

    chosen = json.loads(params_json)
    texts = {q.name: with_values(q.text, bind_params(q, chosen[q.name])) for q in load_queries().values()}
    paths = {name: f"query/{urllib.parse.quote(name)}?" + urllib.parse.urlencode({**chosen[name], "limit": page})
             for name in texts}
    srv = create_server(Path(store_dir), port=0, limits=Limits(workers=2, timeout=120, max_results=100_000))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    latencies: dict[str, list[float]] = {name: [] for name in texts}
    failures: list[str] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        names = list(texts)
        for r in range(rounds):
            for i in range(len(names)):
                name = names[(i + offset + r) % len(names)]
                if route == "named":
                    request = urllib.request.Request(srv.url + paths[name], headers={
                        "Accept": "application/sparql-results+json"})
                else:
                    body = urllib.parse.urlencode({"query": texts[name]}).encode()
                    request = urllib.request.Request(srv.url + "sparql", data=body, headers={
                        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=300) as response:
                        response.read()
                    with lock:
                        latencies[name].append((time.perf_counter() - started) * 1000)
                except OSError as exc:
                    with lock:
                        failures.append(f"{name}: {exc}")

    try:
        started = time.perf_counter()
        workers = [threading.Thread(target=client, args=(k * 4,)) for k in range(clients)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        seconds = time.perf_counter() - started
    finally:
        srv.shutdown()
        srv.server_close()
    every = sorted(x for v in latencies.values() for x in v)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")

    return {"clients": clients, "rounds": rounds, "route": route, "seconds": seconds, "requests": len(every),
            "p50": pct(every, 0.5), "p95": pct(every, 0.95), "failures": failures,
            "per_query": {k: {"p50": pct(sorted(v), 0.5), "p95": pct(sorted(v), 0.95)} for k, v in latencies.items()}}


def stage_views(store_dir: str, out_dir: str) -> dict:
    import pyoxigraph as ox

    from sqsgraph.network import views
    from sqsgraph.network.netgraph import union_graph
    from sqsgraph.query.querystore import database_path

    store = ox.Store.read_only(str(database_path(store_dir)))
    g = union_graph(store)
    out = []
    started = time.perf_counter()
    for kind in views.DEFAULT_VIEWS:
        w = time.perf_counter()
        view = views.build_view(g, kind)
        path = views.write_view(view, Path(out_dir))
        out.append({"view": kind, "seconds": time.perf_counter() - w, "nodes": view.graph.number_of_nodes(),
                    "links": view.graph.number_of_edges(), "kb": path.stat().st_size // 1024, "path": str(path),
                    "notice": view.notice})
    return {"views": out, "seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def stage_browser(paths_json: str) -> dict:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for path in json.loads(paths_json):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            started = time.monotonic()
            page.goto(Path(path).resolve().as_uri())
            page.wait_for_function("window.sqsView && window.sqsView.ready === true", timeout=120_000)
            out[Path(path).stem] = time.monotonic() - started
            context.close()
        browser.close()
    return out


STAGES = {"load": stage_load, "precompute": stage_precompute, "queries": stage_queries, "rdflib": stage_rdflib, "endpoint": stage_endpoint,
          "views": stage_views, "browser": stage_browser}


def child(stage: str, *args: object) -> dict:
    """Run one stage in a fresh Python process; its JSON answer."""
    done = subprocess.run([sys.executable, __file__, "--stage", stage, *map(str, args)], check=True,
                          capture_output=True, text=True)
    if done.stderr.strip():
        print(done.stderr.strip(), file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the report ----------------------------------------------------------------------------------

def fmt(ms: float | None) -> str:
    return "—" if ms is None else f"{ms:,.0f}"


def main(argv: list[str]) -> None:
    if argv[:1] == ["--stage"]:
        stage = STAGES[argv[1]]
        args = [int(a) if a.isdigit() else a for a in argv[2:]]
        print(json.dumps(stage(*args)))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--rdflib-reports", type=int, default=1_000)
    ap.add_argument("--base", type=int, default=100, help="synthetic reports built and replicated")
    ap.add_argument("--nq", type=Path, help="take this large N-Quads file instead of replicating")
    ap.add_argument("--rdflib-nq", type=Path, help="take this N-Quads file for the rdflib comparison")
    ap.add_argument("--work", type=Path, help="working folder (kept; default: a temporary one)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query (the median is given)")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=2, help="times each endpoint client asks every query")
    ap.add_argument("--no-browser", action="store_true")
    opts = ap.parse_args(argv)
    work = opts.work or Path(tempfile.mkdtemp(prefix="sqsgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    big, small = opts.nq, opts.rdflib_nq
    if big is None or small is None:
        base = base_build(work, opts.base)
        big = big or replicate(base, work / f"r{opts.reports}.nq", max(1, opts.reports // opts.base))
        small = small or replicate(base, work / f"r{opts.rdflib_reports}.nq", max(1, opts.rdflib_reports // opts.base))

    load_big = child("load", big, work / "store-big")
    load_small = child("load", small, work / "store-small")
    ox_big = child("queries", work / "store-big", opts.repeat)
    ox_small = child("queries", work / "store-small", opts.repeat)
    chosen_small = {}
    for row in ox_small["queries"]:
        chosen_small[row["query"]] = row["values"]  # the data params win when the example found nothing
    rdf = child("rdflib", small, json.dumps(chosen_small))
    chosen_big = {row["query"]: row["values"] for row in ox_big["queries"]}
    alone = child("endpoint", work / "store-big", json.dumps(chosen_big), 1, opts.rounds)
    endpoint = child("endpoint", work / "store-big", json.dumps(chosen_big), opts.clients, opts.rounds)
    view = child("views", work / "store-big", work / "views")
    browser = {} if opts.no_browser else child("browser", json.dumps([v["path"] for v in view["views"]]))

    print(f"## Query store and named queries ({big.name}: {load_big['statements']:,} statements; "
          f"rdflib compared on {small.name}: {load_small['statements']:,})\n")
    print("| stage | seconds | peak MB | notes |\n|---|---|---|---|")
    for label, load in (("query store load (big)", load_big), ("query store load (small)", load_small)):
        print(f"| {label} | {load['seconds']:.1f} | {load['peak_mb']:,} | {load['nq_mb']:,} MB N-Quads → "
              f"{load['store_mb']:,} MB store |")
    print(f"| rdflib Dataset load (small) | {rdf['load_s']:.1f} | {rdf['peak_mb']:,} | in memory |")
    print(f"| open store read-only (big) | {ox_big['open_s']:.2f} | | |\n")

    print("| query | params | rows (big) | Oxigraph ms (big) | CPU ms (big) | rows (small) | Oxigraph ms (small) "
          "| rdflib ms (small) | rdflib / Oxigraph |\n|---|---|---|---|---|---|---|---|---|")
    small_by = {(r["query"], r["params"]): r for r in ox_small["queries"]}
    rdf_by = {r["query"]: r for r in rdf["queries"]}
    last = {}
    for r in ox_big["queries"]:
        last[r["query"]] = r
    for r in ox_big["queries"]:
        s = small_by.get((r["query"], r["params"]))
        use_rdf = r is last[r["query"]]
        rd = rdf_by[r["query"]] if use_rdf else None
        ratio = f"{rd['ms'] / s['ms']:,.0f}×" if rd and rd["ms"] and s and s["ms"] else ("over limit" if use_rdf else "")
        print(f"| {r['query']} | {r['params']}: {', '.join(f'{k}={v}' for k, v in r['values'].items()) or '—'} | "
              f"{r['rows']:,} | {fmt(r['ms'])} | {fmt(r['cpu_ms'])} | {s['rows'] if s else ''} | "
              f"{fmt(s['ms']) if s else ''} | {fmt(rd['ms']) if rd else ''} | {ratio} |")
    final_big = [last[q]["ms"] for q in last]
    final_small = {r["query"]: r["ms"] for r in ox_small["queries"]}
    print(f"\nMedian of the named queries (the parameters of the last row per query): big "
          f"{statistics.median(final_big):,.0f} ms, small {statistics.median(final_small.values()):,.0f} ms; "
          f"rdflib small {statistics.median([r['ms'] for r in rdf['queries'] if r['ms'] is not None]):,.0f} ms "
          f"({sum(1 for r in rdf['queries'] if r['ms'] is None)} over {RDFLIB_QUERY_LIMIT_S} s or failed).\n")

    print(f"## Endpoint (the big store; 2 workers, loopback, JSON results, each client asks every named "
          f"query {endpoint['rounds']} times)\n")
    for run in (alone, endpoint):
        print(f"- {run['clients']} client(s): {run['requests']} answers in {run['seconds']:.1f} s, p50 "
              f"{run['p50']:,.0f} ms, p95 {run['p95']:,.0f} ms, failures {len(run['failures'])}")
    print(f"\n| query | p50 ms, 1 client | p95 ms, 1 client | p50 ms, {endpoint['clients']} clients | "
          f"p95 ms, {endpoint['clients']} clients |\n|---|---|---|---|---|")
    for name, v in endpoint["per_query"].items():
        a = alone["per_query"][name]
        print(f"| {name} | {fmt(a['p50'])} | {fmt(a['p95'])} | {fmt(v['p50'])} | {fmt(v['p95'])} |")

    print(f"\n## Views from the store (write_views: {view['seconds']:.1f} s, peak {view['peak_mb']:,} MB)\n")
    print("| view | build + write s | nodes | links | KB | Chromium ready s | notice |\n|---|---|---|---|---|---|---|")
    for v in view["views"]:
        opened = browser.get(Path(v["path"]).stem)
        print(f"| {v['view']} | {v['seconds']:.1f} | {v['nodes']:,} | {v['links']:,} | {v['kb']:,} | "
              f"{'' if opened is None else f'{opened:.1f}'} | {v['notice'][:90]} |")


if __name__ == "__main__":
    main(sys.argv[1:])
