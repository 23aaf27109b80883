"""Benchmark: time and peak memory of each build stage on synthetic corpora.

    python bench/run.py                 # 100 and 1,000 reports
    python bench/run.py 100 1000 10000  # sizes to run

Each size runs in its own child process (so peak memory is that size's alone) and prints one
markdown row per stage: wall seconds, triples per second where it applies, and the process's peak
resident memory after the stage. In the same run it measures the floor of any Python mapper
(creating the rdflib term objects of the same number of triples), rdflib's own Turtle serializer
on the same dataset, and every named query on Oxigraph against rdflib's SPARQL engine.
"""

from __future__ import annotations

import json
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


RDFLIB_QUERY_LIMIT_S = 20  # rdflib's engine is pure Python, so an alarm can stop a slow join


class _TimeLimit(Exception):
    pass


def _raise_time_limit(signum, frame):  # type: ignore[no-untyped-def]
    raise _TimeLimit


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(n: int) -> list[dict[str, object]]:
    """All stages for one corpus size, in this process."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef
    from rdflib.plugins.sparql.sparql import NotBoundError

    from sqsgraph.export import serialize, sorted_quads
    from sqsgraph.mapper import map_reports_with_notes
    from sqsgraph.parser import parse_files
    from sqsgraph.queries import bind_params, load_queries, run_query, with_values
    from sqsgraph.synth import write_corpus
    from sqsgraph.validator import validate
    from sqsgraph.views import write_views
    from sqsgraph.vocab import DEFAULT_BASE

    rows: list[dict[str, object]] = []

    def stage(name: str, fn, triples: int | None = None):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - start
        rows.append({"reports": n, "stage": name, "seconds": round(seconds, 2),
                     "triples_per_s": round(triples / seconds) if triples and seconds else None,
                     "peak_mb": round(_peak_mb())})
        return value

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(n, Path(tmp) / "corpus", seed=1)
        reports = stage("read+parse", lambda: parse_files(paths).reports)
        mapped = stage("map+identities", lambda: map_reports_with_notes(reports, DEFAULT_BASE, None))
        ds = mapped.dataset
        triples = len(ds)
        stage("validate (SHACL)", lambda: validate(ds, DEFAULT_BASE), triples)
        stage("serialize Turtle (Oxigraph)", lambda: serialize(ds, "turtle"), triples)
        stage("serialize N-Quads (Oxigraph)", lambda: serialize(ds, "nquads"), triples)
        stage("serialize Turtle (plain rdflib)", lambda: ds.serialize(format="turtle"), triples)
        stage("views", lambda: write_views(ds, Path(tmp) / "views"))

        def floor() -> None:
            for s, p, o in ds.triples((None, None, None)):
                URIRef(str(s)), URIRef(str(p)), (Literal(str(o)) if isinstance(o, Literal) else URIRef(str(o)))

        stage("term-creation floor", floor, triples)
        store = ox.Store()
        stage("load into Oxigraph", lambda: store.extend(sorted_quads(ds)), triples)

        ox_ms: list[float] = []
        rdflib_ms: list[float] = []
        timeouts = failures = 0
        signal.signal(signal.SIGALRM, _raise_time_limit)
        for q in load_queries().values():
            example = q.examples[0].split()
            params = {example[i + 1].split("=", 1)[0]: example[i + 1].split("=", 1)[1].strip('"')
                      for i, w in enumerate(example) if w == "--param"}
            bindings = bind_params(q, params)
            start = time.perf_counter()
            run_query(store, q.text, bindings)
            ox_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            signal.alarm(RDFLIB_QUERY_LIMIT_S)
            try:
                list(ds.query(with_values(q.text, bindings)))
                rdflib_ms.append((time.perf_counter() - start) * 1000)
            except _TimeLimit:
                rdflib_ms.append(float("inf"))
                timeouts += 1
            except NotBoundError:  # rdflib cannot GROUP_CONCAT over an unbound variable
                failures += 1
            finally:
                signal.alarm(0)
        rows.append({"reports": n, "stage": "named queries, median ms (Oxigraph / rdflib)",
                     "seconds": f"{statistics.median(ox_ms):.0f} / {statistics.median(rdflib_ms):.0f}"
                                + (f"; rdflib: {timeouts} over {RDFLIB_QUERY_LIMIT_S} s" if timeouts else "")
                                + (f"; rdflib: {failures} failed" if failures else ""),
                     "triples_per_s": None, "peak_mb": round(_peak_mb())})
        rows.append({"reports": n, "stage": "triples", "seconds": triples, "triples_per_s": None, "peak_mb": None})
    return rows


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_size(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or [100, 1000]
    print("| reports | stage | seconds | triples/s | peak MB |")
    print("|---|---|---|---|---|")
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True)
        for row in json.loads(out.stdout.strip().splitlines()[-1]):
            print(f"| {row['reports']} | {row['stage']} | {row['seconds']} | {row['triples_per_s'] or ''} | {row['peak_mb'] or ''} |")


if __name__ == "__main__":
    main(sys.argv[1:])
