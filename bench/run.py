"""Benchmark: the build of synthetic corpora, stage by stage, beside a plain rdflib pipeline.

    python bench/run.py                       # 100 and 1,000 reports
    python bench/run.py 100 1000 10000        # sizes to run
    python bench/run.py 10000 --rdflib-max 1000 --validate-sample 200

For each size, in a child process of its own (so that peak memory is that size's alone):

* ``sqsgraph synth`` writes the corpus (not timed);
* the headline, the default path: ``sqsgraph build CORPUS -o OUT`` with its defaults (every
  report validated against the shapes, the query store loaded, the views drawn from it, the
  ontology docs), then the first named query ``sqsgraph query inspection-timeline``; wall seconds
  and the peak memory of the whole process tree, and how many times rdflib's Turtle serializer
  on the same graph (measured below) that is;
* the footnotes: ``build`` to Turtle + N-Quads, no validation, views or docs, cold cache: wall seconds of each
  stage (read+parse, identities, map with the bodies written as they come, the head) and in all, triples/s, and the peak
  memory of the
  whole process tree (the build and its workers, sampled from /proc every 50 ms);
* the same build again after one report changed (warm cache; the disk flushed first with
  ``os.sync``, as it is by the time someone edits a report), again right after that (the disk
  still writing back), once more with nothing changed, and after a name changed in one report
  (the identity decisions and the shared head made again);
* SHACL validation (batches of reports), cold, on all reports or on ``--validate-sample`` of them (then
  the figure for all is extrapolated and marked so);
* the plain rdflib pipeline on the same corpus (parse, ``map_reports`` into rdflib's memory
  store, rdflib's own Turtle and N-Quads serializers), when the size is at most ``--rdflib-max``;
* the query store the query commands, the endpoint and ``sqsgraph view`` read (``sqsgraph.nq``
  loaded into on-disk Oxigraph with its indexes), and the three views written from it
  (``--no-store`` skips both; ``bench/queries.py`` times the queries, the endpoint and opening
  the views in a browser);
* the term-creation floor: making the rdflib terms of the same number of triples, nothing else;
* PDF reading, when the size is at most ``--pdf-max``: the same number of reports written as PDFs
  (``sqsgraph synth --pdf``, reportlab), pypdfium2 merely pulling the plain text out of every
  page in one process, ``sqsgraph parse`` on the folder (pages per second, and how many times
  pypdfium2's plain text), and ``build`` of the PDFs against ``build`` of the same reports as text
  (cold cache, as the first build above).

Prints one markdown table; ``--json FILE`` also writes the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


class TreeMemory:
    """Peak resident memory of this process and all its descendants, sampled from /proc."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def reset(self) -> None:
        self.peak_kb = self.sample()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, self.sample())
            self._stop.wait(self.interval)

    @staticmethod
    def sample() -> int:
        me = os.getpid()
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/status") as fh:
                    fields = dict(line.split(":", 1) for line in fh if ":" in line)
            except OSError:
                continue
            pid = int(entry)
            parents[pid] = int(fields.get("PPid", "0").strip())
            rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
        total = 0
        for pid, kb in rss.items():
            p = pid
            while p and p != me:
                p = parents.get(p, 0)
            if p == me:
                total += kb
        return total


DEFAULT_PATH = "default path: `sqsgraph build` (defaults) + first `sqsgraph query inspection-timeline`"


def _mb(kb: int) -> int:
    return round(kb / 1024)


def run_size(
    n: int, rdflib_max: int, validate_sample: int | None, with_store: bool = True, pdf_max: int = 1000
) -> list[dict[str, object]]:
    """All measurements for one corpus size, in this process."""
    from sqsgraph.build.manifest import RACY_SECONDS
    from sqsgraph.build.pipeline import build
    from sqsgraph.rdf.mapper import collect_people, report_id
    from sqsgraph.read.parser import parse_file
    from sqsgraph.synth.corpus import write_corpus

    rows: list[dict[str, object]] = []

    def row(stage: str, seconds: float | str, triples: int | None = None, peak_kb: int | None = None, note: str = "") -> None:
        rate = round(triples / seconds) if triples and isinstance(seconds, float) and seconds > 0 else None
        rows.append(
            {
                "reports": n,
                "stage": stage,
                "seconds": round(seconds, 2) if isinstance(seconds, float) else seconds,
                "triples_per_s": rate,
                "peak_mb": _mb(peak_kb) if peak_kb else None,
                "note": note,
            }
        )

    with tempfile.TemporaryDirectory() as tmp, TreeMemory() as memory:
        corpus = Path(tmp) / "corpus"
        paths = write_corpus(n, corpus, seed=1)
        time.sleep(RACY_SECONDS + 0.1)  # files older than the build, as a real corpus's are (see manifest.py)
        out = Path(tmp) / "out"

        # The headline: what a user runs, as they run it (defaults: every report validated, the
        # query store loaded and the views drawn from it), then the first named query.
        memory.reset()
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sqsgraph", "build", str(corpus), "-o", str(Path(tmp) / "default")],
            check=True,
            capture_output=True,
        )
        built = time.perf_counter() - start
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sqsgraph",
                "query",
                "inspection-timeline",
                "--graph",
                str(Path(tmp) / "default" / "sqsgraph.nq"),
                "--limit",
                "5",
            ],
            check=True,
            capture_output=True,
        )
        default_path = time.perf_counter() - start
        row(
            DEFAULT_PATH,
            default_path,
            None,
            memory.peak_kb,
            f"build {built:.1f} s (validated, query store, views), first query {default_path - built:.1f} s",
        )
        shutil.rmtree(Path(tmp) / "default")

        marks: dict[str, list[float]] = {}

        def progress(stage: str, done: int, total: int) -> None:
            now = time.perf_counter()
            marks.setdefault(stage, [now, now])[1] = now

        memory.reset()
        start = time.perf_counter()
        result = build(paths, out, formats=("turtle",), progress=progress, docs=False, views=False, validate=False)
        total = time.perf_counter() - start
        triples = result.summary()["triples"]
        peak = memory.peak_kb
        read_end = marks["reading"][1]
        map_start, map_end = marks["mapping"]
        row("read+parse (parallel)", read_end - start, peak_kb=None)
        row("identities", map_start - read_end)
        row("map + serialize bodies (parallel), written into the files as they come", map_end - map_start, triples)
        row("write the head, put the files in place", start + total - map_end)
        row("full build to Turtle + N-Quads (cold cache)", total, triples, peak)
        sizes = {p.suffix: p.stat().st_size for p in result.files}

        changed = paths[len(paths) // 2]
        changed.write_text(changed.read_text(encoding="utf-8").replace("cases", "cases ", 1), encoding="utf-8")
        # Someone edits a report a while after a build, not while the disk still writes back the
        # gigabytes it wrote: flushed first (the rebuild's own writes are not waited for, as for
        # any program). The figure without the flush is the next row.
        os.sync()
        memory.reset()
        start = time.perf_counter()
        build(paths, out, formats=("turtle",), docs=False, views=False, validate=False)
        row("rebuild after one changed report", time.perf_counter() - start, None, memory.peak_kb)
        changed.write_text(changed.read_text(encoding="utf-8").replace("cases ", "cases", 1), encoding="utf-8")
        memory.reset()
        start = time.perf_counter()
        build(paths, out, formats=("turtle",), docs=False, views=False, validate=False)
        row(
            "rebuild after one changed report, right after the last",
            time.perf_counter() - start,
            None,
            memory.peak_kb,
            "the disk still writing back the last build",
        )
        memory.reset()
        start = time.perf_counter()
        build(paths, out, formats=("turtle",), docs=False, views=False, validate=False)
        row("rebuild, nothing changed", time.perf_counter() - start, None, memory.peak_kb)
        renamed = paths[len(paths) // 3]
        report = parse_file(renamed)
        name = collect_people(report, report_id(report)).mentions[-1].name
        renamed.write_text(report.source.text.replace(name, f"{name}e"), encoding="utf-8")
        os.sync()
        memory.reset()
        start = time.perf_counter()
        build(paths, out, formats=("turtle",), docs=False, views=False, validate=False)
        row(
            "rebuild after a name changed in one report",
            time.perf_counter() - start,
            None,
            memory.peak_kb,
            "identities and the shared head made again",
        )

        if with_store:
            from sqsgraph.network.views import write_views
            from sqsgraph.query.querystore import build_query_store, open_query_store

            memory.reset()
            start = time.perf_counter()
            build_query_store(out / "sqsgraph.nq")
            row(
                "query store: load sqsgraph.nq into on-disk Oxigraph (+ its indexes)",
                time.perf_counter() - start,
                triples,
                memory.peak_kb,
            )
            memory.reset()
            start = time.perf_counter()
            views = write_views(open_query_store(out / "sqsgraph.nq", rebuild=False), out / "views")
            row(
                "views: overview, people, findings from the query store",
                time.perf_counter() - start,
                None,
                memory.peak_kb,
                f"{sum(v.stat().st_size for v in views) / 1e6:,.1f} MB of HTML",
            )

        sample = (
            paths if not validate_sample or validate_sample >= n else paths[:: max(1, n // validate_sample)][:validate_sample]
        )
        memory.reset()
        start = time.perf_counter()
        checked = build(sample, Path(tmp) / "validated", formats=(), docs=False, views=False, validate=True)
        seconds = time.perf_counter() - start
        note = "" if len(sample) == n else f"measured on {len(sample)} reports, scaled to {n}"
        assert checked.validation is not None
        row(
            "build with SHACL validation only (batches of reports, cold)",
            seconds * n / len(sample),
            None,
            memory.peak_kb,
            "; ".join(x for x in (note, "conforms" if checked.validation.conforms else "DOES NOT CONFORM") if x),
        )

        if n <= pdf_max:
            _pdf_rows(n, Path(tmp), memory, row)
        else:
            row("PDF reading", "not run", note=f"over --pdf-max {pdf_max}")

        if n <= rdflib_max:
            _plain_rdflib(paths, memory, row)
            turtle = next(r for r in rows if r["stage"] == "plain rdflib: Turtle serializer")
            headline = next(r for r in rows if r["stage"] == DEFAULT_PATH)
            headline["note"] += f"; {headline['seconds'] / turtle['seconds']:.2f}x rdflib serializing the graph to Turtle"
        else:
            row("plain rdflib pipeline", "not run", note=f"over --rdflib-max {rdflib_max}: ~1.5 KB per triple in memory")

        start = time.perf_counter()
        _term_floor(out / "sqsgraph.nq")
        row("term-creation floor (rdflib terms of every quad)", time.perf_counter() - start, triples)
        rows.append(
            {
                "reports": n,
                "stage": "graph",
                "seconds": "",
                "triples_per_s": None,
                "peak_mb": None,
                "note": f"{triples:,} triples; sqsgraph.nq {sizes['.nq'] / 1e6:,.0f} MB, "
                f"sqsgraph.ttl {sizes['.ttl'] / 1e6:,.0f} MB",
            }
        )
    return rows


def _pdf_rows(n: int, tmp: Path, memory: TreeMemory, row) -> None:  # type: ignore[no-untyped-def]
    """The same reports as PDFs: plain text out of them, sqsgraph's parse, and the build of the PDFs
    against the build of their text."""
    import pypdfium2 as pdfium

    from sqsgraph.build.pipeline import build
    from sqsgraph.synth.corpus import CorpusGenerator, write_pdf_corpus

    pdfs = write_pdf_corpus(n, tmp / "pdf", seed=2)
    texts = tmp / "pdf-text"
    texts.mkdir()
    for report in CorpusGenerator(2).reports(n, renderings=("markup",)):
        (texts / report.file_name).write_text(report.text, encoding="utf-8")

    start = time.perf_counter()
    pages = 0
    for path in pdfs:
        document = pdfium.PdfDocument(str(path))
        for page in document:
            page.get_textpage().get_text_range()
            pages += 1
        document.close()
    plain = time.perf_counter() - start
    row(
        "PDF: pypdfium2 plain text of every page (one process)",
        plain,
        None,
        None,
        f"{pages:,} pages, {pages / plain:,.0f} pages/s",
    )

    memory.reset()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sqsgraph", "parse", str(tmp / "pdf")], check=True, capture_output=True)
    parsed = time.perf_counter() - start
    row(
        "PDF: sqsgraph parse (all cores)",
        parsed,
        None,
        memory.peak_kb,
        f"{pages / parsed:,.0f} pages/s, {parsed / plain:.1f}x pypdfium2's plain text",
    )

    memory.reset()
    start = time.perf_counter()
    build(pdfs, tmp / "pdf-out", formats=("turtle",), docs=False, views=False, validate=False)
    from_pdf = time.perf_counter() - start
    pdf_peak = memory.peak_kb
    memory.reset()
    start = time.perf_counter()
    build(sorted(texts.iterdir()), tmp / "pdf-text-out", formats=("turtle",), docs=False, views=False, validate=False)
    from_text = time.perf_counter() - start
    row(
        "PDF: build of the reports as PDFs (cold cache)",
        from_pdf,
        None,
        pdf_peak,
        f"{from_pdf / from_text:.2f}x the same reports as text",
    )
    row("PDF: build of the same reports as text (cold cache)", from_text, None, memory.peak_kb)


def _plain_rdflib(paths: list[Path], memory: TreeMemory, row) -> None:  # type: ignore[no-untyped-def]
    """The same corpus the way a plain rdflib program would do it, in this one process."""
    from sqsgraph.rdf.mapper import map_reports
    from sqsgraph.read.parser import parse_files

    memory.reset()
    start = time.perf_counter()
    ds = map_reports(parse_files(paths).reports)
    mapped = time.perf_counter()
    triples = len(ds)
    ds.serialize(format="turtle")
    turtle = time.perf_counter()
    ds.serialize(format="nquads")
    done = time.perf_counter()
    row("plain rdflib: parse + map into memory store", mapped - start, triples)
    row("plain rdflib: Turtle serializer", turtle - mapped, triples)
    row("plain rdflib: N-Quads serializer", done - turtle, triples)
    row("plain rdflib: full build to Turtle + N-Quads", done - start, triples, memory.peak_kb)


def _term_floor(nquads: Path) -> None:
    """Make an rdflib term for every subject, predicate and object: what any mapper written in
    Python pays at least (the N-Quads are split by Oxigraph, not timed apart)."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        o = q.object
        URIRef(q.subject.value), URIRef(q.predicate.value), (Literal(o.value) if isinstance(o, ox.Literal) else URIRef(o.value))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--rdflib-max", type=int, default=1000, help="largest size to run the plain rdflib pipeline on")
    parser.add_argument("--validate-sample", type=int, default=None, help="validate this many reports and scale up")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("--no-store", action="store_true", help="skip the query store and the views made from it")
    parser.add_argument("--pdf-max", type=int, default=1000, help="largest size to run the PDF reading rows on")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_size(args.one, args.rdflib_max, args.validate_sample, not args.no_store, args.pdf_max)))
        return
    print(f"cores: {os.cpu_count()}; python {sys.version.split()[0]}")
    print("| reports | stage | seconds | triples/s | peak MB | note |")
    print("|---|---|---|---|---|---|")
    every: list[dict[str, object]] = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(n), "--rdflib-max", str(args.rdflib_max), "--pdf-max", str(args.pdf_max)]
        if args.validate_sample:
            cmd += ["--validate-sample", str(args.validate_sample)]
        if args.no_store:
            cmd.append("--no-store")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        rows = json.loads(out.stdout.strip().splitlines()[-1])
        every.extend(rows)
        for r in rows:
            rate = f"{r['triples_per_s']:,}" if r["triples_per_s"] else ""
            print(
                f"| {r['reports']:,} | {r['stage']} | {r['seconds']} | {rate} | {r['peak_mb'] or ''} | {r['note']} |", flush=True
            )
    if args.json:
        args.json.write_text(json.dumps(every, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
