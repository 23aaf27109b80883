"""Benchmark of the comparison view (``compare.html``) at scale: how long it takes to make from the
query store, how large it is, and how long Chromium takes to open it and to answer.

    python bench/compare.py                   # 10,000 synthetic reports
    python bench/compare.py 1000 --work DIR   # keep the corpus, build and store in DIR (reused)

Steps: ``sqsgraph synth N`` writes the corpus (each report its own invented area, so the grid has
N rows: the worst case for its size) and ``sqsgraph build --no-views --no-docs --no-validate``
builds it (neither is timed here: ``bench/run.py`` times them); the query store is loaded as the
build loads it, with its precomputed answers (timed); then, timed, the comparison is built from
the store (named queries answered from the precomputed answers, aggregation, the text of the
findings carried) and written; and the page is opened from ``file://`` in headless Chromium
(Debian's ``/usr/bin/chromium``, 1400x900) with every request that would leave the file refused
and counted, until it has drawn its first page of rows, then a click on a cell (until the
findings list shows), a sort by a column and the year filter are timed. Prints a markdown table;
``--json FILE`` also writes the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def built(work: Path, reports: int) -> Path:
    """The build of ``reports`` synthetic reports in ``work`` (made once)."""
    nq = work / f"build{reports}" / "sqsgraph.nq"
    if not nq.is_file():
        corpus = work / f"synth{reports}"
        subprocess.run(
            [sys.executable, "-m", "sqsgraph.cli", "synth", str(reports), str(corpus)], check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sqsgraph.cli",
                "build",
                str(corpus),
                "-o",
                str(nq.parent),
                "--no-views",
                "--no-docs",
                "--no-validate",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return nq


def open_in_chromium(page_path: Path) -> dict[str, object]:
    """Open the page and time what a reader does first."""
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    refused: list[str] = []
    out: dict[str, object] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        context = browser.new_context(viewport={"width": 1400, "height": 900})

        def route(r):  # type: ignore[no-untyped-def]
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                refused.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        started = time.monotonic()
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("() => window.sqsCompare && window.sqsCompare.ready === true", timeout=120_000)
        out["open_s"] = time.monotonic() - started
        out["rows"] = page.evaluate("() => sqsCompare.total()")
        area, label = page.evaluate("""() => { const s = sqsCompare, cols = s.columns();
            for (const a of s.rows()) { for (const c of cols) { if (s.cellText(a, c)) { return [a, c]; } } }
            return [null, null]; }""")
        position = page.evaluate("([a, c]) => sqsCompare.cellPosition(a, c)", [area, label])
        started = time.monotonic()
        page.mouse.click(*position)
        page.wait_for_selector("#details .finding")
        out["click_s"] = time.monotonic() - started
        column = page.evaluate("() => document.querySelector('#sort').options[2].value")
        started = time.monotonic()
        page.select_option("#sort", column)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        out["sort_s"] = time.monotonic() - started
        year = page.evaluate("() => document.querySelector('#year').options[1].value")
        started = time.monotonic()
        page.select_option("#year", year)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        out["year_s"] = time.monotonic() - started
        out["year_rows"] = page.evaluate("() => sqsCompare.total()")
        out["refused"] = len(refused)
        context.close()
        browser.close()
    return out


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reports", nargs="?", type=int, default=10_000)
    ap.add_argument("--work", type=Path, help="working folder (kept and reused; default: a temporary one)")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    ap.add_argument("--no-browser", action="store_true")
    opts = ap.parse_args(argv)
    work = opts.work or Path(tempfile.mkdtemp(prefix="sqsgraph-compare-"))
    work.mkdir(parents=True, exist_ok=True)

    from sqsgraph.network.compare import build_comparison, write_comparison
    from sqsgraph.query.querystore import build_query_store, default_store_dir, freshness, open_precomputed, open_query_store

    nq = built(work, opts.reports)
    rows: list[dict[str, object]] = []

    def row(stage: str, seconds: float | None, note: str = "") -> None:
        rows.append(
            {"reports": opts.reports, "stage": stage, "seconds": None if seconds is None else round(seconds, 2), "note": note}
        )

    if freshness(nq) != "fresh":
        started = time.perf_counter()
        build_query_store(nq)
        row("query store with its precomputed answers (as the build loads it)", time.perf_counter() - started)
    store = open_query_store(nq, rebuild=False)
    started = time.perf_counter()
    comparison = build_comparison(store, open_precomputed(default_store_dir(nq)))
    made = time.perf_counter() - started
    path = write_comparison(comparison, work / "views")
    written = time.perf_counter() - started
    row(
        "compare.html: read, aggregate and carry the text (from the store)",
        made,
        f"{comparison.areas:,} areas, {comparison.reports:,} reports, {comparison.counts:,} counts, "
        f"{len(comparison.columns)} columns; {comparison.notice[:120]}",
    )
    row("compare.html: render and write", written - made, f"{path.stat().st_size / 1e6:,.1f} MB, peak {peak_mb():,} MB")
    if not opts.no_browser:
        opened = open_in_chromium(path)
        row(
            "Chromium: open from file:// until the first page of rows is drawn",
            float(opened["open_s"]),  # type: ignore[arg-type]
            f"{opened['rows']:,} rows, pages of 50; {opened['refused']} requests left the file",
        )
        row("Chromium: click a cell until its findings show", float(opened["click_s"]))  # type: ignore[arg-type]
        row("Chromium: sort by a column", float(opened["sort_s"]))  # type: ignore[arg-type]
        row("Chromium: filter by a year", float(opened["year_s"]), f"{opened['year_rows']:,} rows")  # type: ignore[arg-type]

    load = os.getloadavg()[0]
    print("| reports | stage | seconds | note |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['reports']:,} | {r['stage']} | {'' if r['seconds'] is None else r['seconds']} | {r['note']} |")
    print(f"\nload average at the end: {load:.1f} on {os.cpu_count()} cores")
    if opts.json:
        opts.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
