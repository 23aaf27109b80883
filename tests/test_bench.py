"""The benchmarks run from a clean clone: a small smoke run of each, as the README gives them
(the 10,000-report runs are benchmarks, not tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_build_benchmark_measures_every_stage_against_plain_rdflib(tmp_path):
    out = tmp_path / "rows.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "30",
            "--rdflib-max",
            "30",
            "--validate-sample",
            "6",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    rows = json.loads(out.read_text())
    stages = {r["stage"]: r for r in rows}
    for stage in (
        "read+parse (parallel)",
        "identities",
        "map + serialize bodies (parallel), written into the files as they come",
        "write the head, put the files in place",
        "full build to Turtle + N-Quads (cold cache)",
        "rebuild after one changed report",
        "rebuild after one changed report, right after the last",
        "rebuild, nothing changed",
        "rebuild after a name changed in one report",
        "build with SHACL validation only (batches of reports, cold)",
        "plain rdflib: full build to Turtle + N-Quads",
        "term-creation floor (rdflib terms of every quad)",
        "graph",
        "query store: load sqsgraph.nq into on-disk Oxigraph (+ its indexes)",
        "views: overview, people, findings from the query store",
        "PDF: pypdfium2 plain text of every page (one process)",
        "PDF: sqsgraph parse (all cores)",
        "PDF: build of the reports as PDFs (cold cache)",
        "PDF: build of the same reports as text (cold cache)",
    ):
        assert stage in stages, stage
    headline = rows[0]  # the default path leads: build with its defaults, then the first named query
    assert headline["stage"].startswith("default path: `sqsgraph build` (defaults)")
    assert headline["seconds"] > 0 and headline["peak_mb"] > 0
    assert "first query" in headline["note"] and "x rdflib serializing the graph to Turtle" in headline["note"]
    build = stages["full build to Turtle + N-Quads (cold cache)"]
    assert build["seconds"] > 0 and build["peak_mb"] > 0 and build["triples_per_s"] > 0
    assert stages["plain rdflib: full build to Turtle + N-Quads"]["peak_mb"] > 0
    assert "measured on 6 reports, scaled to 30" in stages["build with SHACL validation only (batches of reports, cold)"]["note"]
    assert "triples; sqsgraph.nq" in stages["graph"]["note"]
    assert "pages/s" in stages["PDF: sqsgraph parse (all cores)"]["note"]
    assert "x the same reports as text" in stages["PDF: build of the reports as PDFs (cold cache)"]["note"]
    assert "| 30 | full build to Turtle + N-Quads (cold cache) |" in run.stdout  # the markdown table


def test_the_comparison_view_benchmark_opens_the_page_in_chromium(tmp_path):
    out = tmp_path / "rows.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "compare.py"), "20", "--work", str(tmp_path / "work"), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    rows = {r["stage"]: r for r in json.loads(out.read_text())}
    opened = rows["Chromium: open from file:// until the first page of rows is drawn"]
    assert opened["seconds"] > 0 and opened["note"].startswith("20 rows, pages of 50; 0 requests left the file")
    assert rows["compare.html: read, aggregate and carry the text (from the store)"]["note"].startswith("20 areas, 20 reports")
    for stage in ("Chromium: click a cell until its findings show", "Chromium: sort by a column", "Chromium: filter by a year"):
        assert rows[stage]["seconds"] > 0
    assert "| 20 | Chromium: open from file:// until the first page of rows is drawn |" in run.stdout
