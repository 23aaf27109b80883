"""Issue 7: the endpoint under load, on loopback. `sqsgraph serve` runs as its own process on the
samples' graph; eight clients run every named query (with the example parameters of its header)
for a bounded number of rounds and time, while one more client sends a query that never finishes
and another trickles a request body a byte at a time.

Checked: every answer is 200 and equal to `run_query` on the same graph; the slow query is
stopped at the time limit (503) and the others are served while it runs; the trickling client is
answered at the end, having blocked nobody; p95 latency stays low; the server's memory stays
bounded. p50/p95 latencies are printed and written to ``load.json`` in the test's temporary folder.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from graph_samples import example_params, sample_dataset
from serving import ServeProcess, json_term

from sqsgraph.query.library import bind_params, load_queries
from sqsgraph.query.rewrite import with_values
from sqsgraph.query.run import open_store, run_query
from sqsgraph.rdf.export import write

pytestmark = pytest.mark.server

CLIENTS = 8
ROUNDS = 2  # each client runs every named query this many times, in its own random order
DURATION = 60.0  # seconds the whole load may take at most
WORKERS = 3
TIMEOUT = 5.0  # the server's time limit per query
P95_BOUND = 2.0  # seconds; measured 0.3-0.7 s on the shared 2-core machine
RSS_GROWTH_MB = 40  # the HTTP process may grow by this much over the load
WORKER_RSS_MB = 400  # and no query worker may be larger than this
# a cross product of the whole graph with itself five times: never finishes
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"


def canonical(bindings: list[dict]) -> list[str]:
    """Rows in a fixed order, and each "a; b; c" list of a GROUP_CONCAT sorted: SPARQL leaves the
    order of both to the store, and the endpoint's on-disk store orders them otherwise than an
    in-memory one."""
    def term(t: dict) -> dict:
        if t["type"] == "literal" and "; " in t["value"]:
            return t | {"value": "; ".join(sorted(t["value"].split("; ")))}
        return t

    return sorted(json.dumps({v: term(t) for v, t in b.items()}, sort_keys=True, ensure_ascii=False) for b in bindings)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class Server(ServeProcess):
    """`python -m sqsgraph.cli serve` on a free loopback port."""

    def __init__(self, graph: Path, log: Path) -> None:
        super().__init__(graph, log, "--workers", str(WORKERS), "--timeout", str(TIMEOUT))

    def workers(self) -> list[int]:
        """The query worker processes (not multiprocessing's resource tracker)."""
        out = []
        for pid in children(self.proc.pid):
            try:
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    out.append(pid)
            except OSError:  # exited meanwhile
                continue
        return out

    def wait_for_workers(self, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while len(self.workers()) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)

    def memory(self) -> tuple[float, list[float]]:
        """RSS in MB of the HTTP process and of each query worker."""
        return rss_mb(self.proc.pid), [rss_mb(pid) for pid in self.workers()]

    def query(self, text: str, timeout: float = 30.0) -> tuple[int, bytes, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": text}),
                         headers={"Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            body = response.read()
            return response.status, body, time.monotonic() - started
        finally:
            conn.close()


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    return write(sample_dataset(), tmp_path_factory.mktemp("load") / "samples.nq")


@pytest.fixture(scope="module")
def expected(graph: Path) -> dict[str, tuple[str, list[str]]]:
    """Each named query as sent (parameters bound) and its answer from run_query on the graph."""
    store = open_store(graph)
    out = {}
    for name, query in load_queries().items():
        bindings = bind_params(query, example_params(query))
        result = run_query(store, query.text, bindings)
        rows = [{v: json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows]
        assert rows, f"{name} answers nothing for its example: a poor load test query"
        out[name] = (with_values(query.text, bindings), canonical(rows))
    return out


@pytest.fixture(scope="module")
def server(graph: Path, tmp_path_factory) -> Server:
    srv = Server(graph, tmp_path_factory.mktemp("load-log") / "serve.log")
    try:
        srv.wait_for_workers()
        yield srv
    finally:
        srv.stop()


def trickle(port: int, outcome: dict, stop: threading.Event) -> None:
    """POST ``ASK {}`` padded to 2,000 bytes, one byte every 0.2 s (well inside the server's
    silence limit) until ``stop``, then the rest at once; then read the answer."""
    body = b"ASK {}" + b" " * 1994
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Accept: application/sparql-results+json\r\nConnection: close\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode())
        outcome["started"] = time.monotonic()
        sent = 0
        while sent < len(body) and not stop.is_set():
            sock.sendall(body[sent : sent + 1])
            sent += 1
            time.sleep(0.2)
        outcome["trickled"] = sent
        sock.sendall(body[sent:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    outcome["finished"] = time.monotonic()
    outcome["answer"] = answer


def test_many_clients_running_every_named_query_get_correct_answers_fast(server: Server, expected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = sorted(expected)
    for name in names:  # warm up: every query once, and the memory it settles at
        status, body, _ = server.query(expected[name][0])
        assert status == 200, (name, body[:300])
    rss_before, workers_before = server.memory()

    results: list[tuple[str, int, float, float, bool]] = []  # name, status, start, end, correct
    lock = threading.Lock()
    deadline = time.monotonic() + DURATION
    stop = threading.Event()

    def client(seed: int) -> None:
        order = [n for _ in range(ROUNDS) for n in random.Random(seed).sample(names, len(names))]
        for name in order:
            if time.monotonic() > deadline:
                return
            begun = time.monotonic()
            status, body, seconds = server.query(expected[name][0])
            ok = status == 200 and canonical(json.loads(body)["results"]["bindings"]) == expected[name][1]
            with lock:
                results.append((name, status, begun, begun + seconds, ok))

    slow: dict = {}

    def slow_client() -> None:
        slow["start"] = time.monotonic()
        slow["status"], _, seconds = server.query(SLOW)
        slow["end"] = slow["start"] + seconds

    trickled: dict = {}
    extra = [threading.Thread(target=slow_client), threading.Thread(target=trickle, args=(server.port, trickled, stop))]
    for t in extra:
        t.start()
    time.sleep(0.3)  # the slow query holds a worker, the trickle a connection
    started = time.monotonic()
    clients = [threading.Thread(target=client, args=(seed,)) for seed in range(CLIENTS)]
    for t in clients:
        t.start()
    for t in clients:
        t.join(DURATION + 30)
    elapsed = time.monotonic() - started
    load_done = time.monotonic()
    stop.set()
    for t in extra:
        t.join(DURATION + 30)
    rss_after, workers_after = server.memory()

    latencies = sorted(end - begun for _, _, begun, end, _ in results)
    meanwhile = [r for r in results if slow["start"] <= r[2] and r[3] <= slow["end"]]
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    figures = {
        "clients": CLIENTS, "requests": len(results), "seconds": round(elapsed, 2),
        "requests_per_second": round(len(results) / elapsed, 1), "p50_ms": round(p50 * 1000, 1),
        "p95_ms": round(p95 * 1000, 1), "max_ms": round(latencies[-1] * 1000, 1),
        "slow_query": [slow["status"], round(slow["end"] - slow["start"], 2)], "served_meanwhile": len(meanwhile),
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_after": round(rss_after, 1), "worker_rss_mb_before": [round(x, 1) for x in workers_before],
        "worker_rss_mb_after": [round(x, 1) for x in workers_after],
    }
    (tmp_path / "load.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nload: {json.dumps(figures)}\n(written to {tmp_path / 'load.json'})")

    assert len(results) == CLIENTS * ROUNDS * len(names), "the load did not finish within its time bound"
    assert [r for r in results if not (r[1] == 200 and r[4])] == []  # every answer 200 and correct
    # the never-ending query was stopped at the time limit, and the others were served meanwhile
    # (a server that queued them behind it would have answered none in that time)
    assert slow["status"] == 503 and TIMEOUT - 0.5 < slow["end"] - slow["start"] < TIMEOUT + 10
    assert len(meanwhile) >= 2 * CLIENTS, figures
    assert p95 < P95_BOUND, figures
    # the trickling client was answered at the end, after the others had all been served
    assert trickled["answer"].startswith(b"HTTP/1.1 200")
    assert json.loads(trickled["answer"].split(b"\r\n\r\n", 1)[1]) == {"head": {}, "boolean": True}
    assert trickled["started"] < started and trickled["finished"] > load_done
    assert trickled["trickled"] >= elapsed / 0.2 * 0.5  # it really was sending all the while
    # memory: the HTTP process barely grows; workers (one replaced after the stopped query) stay small
    assert rss_after - rss_before < RSS_GROWTH_MB, figures
    assert max(workers_after) < WORKER_RSS_MB, figures
    assert server.proc.poll() is None  # and the server is still up
