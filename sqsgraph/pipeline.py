"""``build``: report files in, knowledge graph files out. The CLI and Python users call this.

    read → parse → map → validate → write → (after-build steps: views, ...)

A report that cannot be read or parsed is recorded in ``BuildResult.failures`` (``path: problem``)
and the others are still built. Duplicate files (same content) are built once, with a note; a
different file with the same report identity (area and publication date) as one earlier in sorted
order is a conflicting version: not built, and a failure (see ``drop_duplicates``). Temporary files
left by a killed build are removed (see ``export.remove_stale_temp_files``). Files written into ``out_dir``:

* ``sqsgraph.<suffix>`` in each requested format (Turtle, ``sqsgraph.ttl``, by default);
* ``sqsgraph.nq`` always: N-Quads keep each report's named graph, and it is what
  ``sqsgraph validate``, the query commands and the endpoint load by default;
* ``ontology.html``: the ontology documentation, when pyLODE is available (else a note says why not).

The HTML views (overview, people, findings) are written beside the graph into ``views/``
unless ``views=False``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import FOAF, ORG, RDF

from .errors import ReportError
from .export import FORMATS, get_format, remove_stale_temp_files, write
from .identity import Identities, Overrides, load_overrides
from .mapper import map_reports_with_notes, report_id
from .model import Report
from .reader import expand_paths, sample_paths
from .validator import ValidationReport, validate
from .vocab import DEFAULT_BASE, SQS, normalise_base, ontology_path

GRAPH_STEM = "sqsgraph"
QUADS_FILE = f"{GRAPH_STEM}.nq"
DEFAULT_OUT = Path("output")
ONTOLOGY_DOCS = "ontology.html"

Progress = Callable[[int, int, str], None]  # (done, total, path just finished)


@dataclass(frozen=True)
class Failure:
    path: str
    problem: str

    def line(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass
class BuildResult:
    out_dir: Path
    dataset: Dataset
    report_ids: dict[str, str]
    failures: list[Failure]
    warnings: list[str]
    validation: ValidationReport
    identities: Identities
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and self.validation.conforms

    def summary(self) -> dict[str, int]:
        """The figures ``sqsgraph build`` prints."""
        return summarise(self.dataset) | {"reports": len(self.report_ids), "failed": len(self.failures), "warnings": len(self.warnings)}


def summarise(ds: Dataset) -> dict[str, int]:
    """Counts of the things a reader cares about, from the graph itself."""

    def count(cls: URIRef) -> int:
        return len(set(ds.subjects(RDF.type, cls)))

    return {
        "triples": len({(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}),
        "people": count(FOAF.Person),
        "organisations": count(ORG.Organization),
        "posts": count(ORG.Post),
        "findings": count(SQS.Finding),
        "candidate_matches": count(SQS.CandidateMatch),
    }


def read_and_parse(paths: Sequence[Path], progress: Progress | None = None) -> tuple[list[Report], list[Failure]]:
    """Parse every file; unreadable or unparseable ones become failures, the rest reports."""
    from .parser import parse_file

    reports: list[Report] = []
    failures: list[Failure] = []
    for n, p in enumerate(paths, start=1):
        try:
            reports.append(parse_file(p))
        except ReportError as exc:
            failures.append(Failure(exc.path, exc.problem))
        if progress is not None:
            progress(n, len(paths), str(p))
    return reports, failures


def drop_duplicates(reports: Sequence[Report]) -> tuple[list[Report], list[str], list[Failure]]:
    """The reports to build, notes on duplicates and failures for conflicting versions.

    Files are taken in sorted path order. A file with the same content (sha256) as an earlier one
    is a duplicate: built once, with a note. A file with different content but the same report
    identity (area and publication date) as an earlier one is a conflicting version: it is not
    built, and is a failure, so nobody's report is silently merged with another."""
    by_hash: dict[str, Report] = {}
    by_id: dict[str, Report] = {}
    keep: set[int] = set()
    notes: list[str] = []
    failures: list[Failure] = []
    for r in sorted(reports, key=lambda r: r.source.path):
        first = by_hash.get(r.source.sha256)
        if first is not None:
            notes.append(f"duplicate: {r.source.path} has the same content as {first.source.path}; built once")
            continue
        rid = report_id(r)
        other = by_id.get(rid)
        if other is not None:
            failures.append(Failure(r.source.path, f"conflicts with {other.source.path} (same area and publication date, different content); not built"))
            continue
        by_hash[r.source.sha256] = r
        by_id[rid] = r
        keep.add(id(r))
    return [r for r in reports if id(r) in keep], notes, failures


def build(
    paths: Iterable[str | Path] | None = None,
    out_dir: str | Path = DEFAULT_OUT,
    base: str = DEFAULT_BASE,
    formats: Sequence[str] = ("turtle",),
    progress: Progress | None = None,
    identities: str | Path | Overrides | None = None,
    docs: bool = True,
    views: bool = True,
) -> BuildResult:
    """Build the knowledge graph of the report files (default: the bundled samples) into
    ``out_dir``. Never raises for a bad report: see ``BuildResult.failures``."""
    base = normalise_base(base)
    for name in formats:
        get_format(name)
    overrides = identities if isinstance(identities, Overrides) else load_overrides(identities)
    files = expand_paths(paths) if paths else sample_paths()
    reports, failures = read_and_parse(files, progress)
    reports, duplicate_notes, conflicts = drop_duplicates(reports)
    mapped = map_reports_with_notes(reports, base, overrides)
    ds = mapped.dataset
    report = validate(ds, base)
    out = Path(out_dir)
    result = BuildResult(out, ds, mapped.report_ids, failures + conflicts, mapped.warnings, report, mapped.identities,
                         notes=duplicate_notes)

    for folder in (out, out / "views"):  # what a killed build left behind
        remove_stale_temp_files(folder)

    wanted = list(dict.fromkeys([*formats, "nquads"]))
    for name in wanted:
        result.files.append(write(ds, out / f"{GRAPH_STEM}{FORMATS[name].suffix}", name, base))
    if docs:
        page, note = write_ontology_docs(out / ONTOLOGY_DOCS)
        if page is not None:
            result.files.append(page)
        if note:
            result.notes.append(note)
    if views:
        from .views import write_views

        result.files.extend(write_views(ds, out / "views"))
    return result


def write_ontology_docs(target: Path) -> tuple[Path | None, str | None]:
    """``ontology.html`` by pyLODE from ``ontology/sqs.ttl``; (None, why) when pyLODE cannot run."""
    try:
        from pylode import OntPub
    except (ImportError, OSError) as exc:  # pyLODE 3.4 fails on import when installed from a wheel
        return None, f"ontology docs skipped: pyLODE cannot be loaded ({type(exc).__name__}: {exc}); install a working pyLODE with pip install 'pylode<3.4'"
    from .export import write_atomic

    try:
        html = OntPub(ontology=str(ontology_path("sqs.ttl"))).make_html()
    except (ValueError, KeyError, TypeError, OSError) as exc:
        return None, f"ontology docs skipped: pyLODE failed on ontology/sqs.ttl ({type(exc).__name__}: {exc})"
    return write_atomic(target, html.encode("utf-8")), None


__all__ = ["BuildResult", "Failure", "GRAPH_STEM", "QUADS_FILE", "build", "drop_duplicates", "read_and_parse", "summarise", "write_ontology_docs"]
