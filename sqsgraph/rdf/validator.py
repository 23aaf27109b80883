"""Check a graph against ``ontology/shapes.ttl`` with pyshacl, and say what is wrong in words.

Two engines, with one API (pySHACL's): ``pyshacl``, the reference, in Python; and ``turbo``
(the ``pyshacl-turbo`` package, a Rust engine, installed with sqsgraph on Python 3.11 and later),
which also reads N-Quads text itself (``validate_text``: no rdflib graph is made). ``auto``, the
default, takes turbo when it is installed. The tests break graphs in many ways and check both
engines report the same problems (tests/test_validate.py, tests/test_validate_whole.py).

Not Oxigraph's store: it keeps literals of derived integer types (``xsd:nonNegativeInteger``,
``xsd:positiveInteger``) as ``xsd:integer``, in their canonical form, so the datatypes the shapes
ask for could not be checked against what the graph file says.

The shapes are checked against the union of all named graphs (a report's statements refer to
persons and organisations described in the shared graph, and to the ontology's classes), without
inference and without fetching anything (no ``owl:imports``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pyshacl
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..errors import UsageError
from .datasets import load_dataset
from .vocab import PREFIXES, SH, SHAPES_FILE, ontology_path


@dataclass(frozen=True)
class Problem:
    focus: str  # the node, shortened for reading
    path: str | None
    message: str
    value: str | None
    severity: str  # "Violation" | "Warning" | "Info"

    def line(self) -> str:
        where = f" ({self.path}" + (f" = {self.value}" if self.value else "") + ")" if self.path else ""
        return f"{self.severity}: {self.focus}: {self.message}{where}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    problems: tuple[Problem, ...]
    triples: int

    @property
    def violations(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "Violation")

    def lines(self) -> list[str]:
        """The report in plain words, one line per problem, then a verdict."""
        out = [p.line() for p in self.problems]
        if self.conforms:
            out.append(f"The graph conforms to the shapes ({self.triples} triples checked).")
        else:
            out.append(f"The graph does not conform: {len(self.violations)} violation(s) in {self.triples} triples.")
        return out


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes, parsed once per process (pyshacl only reads them)."""
    return Graph().parse(data=ontology_path(SHAPES_FILE).read_text(encoding="utf-8"), format="turtle")


def union_graph(ds: Dataset | Graph) -> Graph:
    """All statements of ``ds`` in one graph (named graphs merged)."""
    g = Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    if isinstance(ds, Dataset):
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
    else:
        for t in ds:
            g.add(t)
    return g


ENGINES = ("auto", "pyshacl", "turbo")


def engine_name(engine: str = "auto") -> str:
    """The engine ``engine`` stands for here: ``auto`` is turbo where installed, else pyshacl."""
    if engine not in ENGINES:
        raise UsageError(f"unknown SHACL engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "auto":
        return "turbo" if importlib.util.find_spec("pyshacl_turbo") is not None else "pyshacl"
    if engine == "turbo" and importlib.util.find_spec("pyshacl_turbo") is None:
        raise UsageError("the turbo SHACL engine is not installed: pip install 'sqsgraph[fast]' (or pyshacl-turbo)")
    return engine


def validate(
    ds: Dataset | Graph, base: str | None = None, skip_focus: Collection[Node] = (), engine: str = "auto"
) -> ValidationReport:
    """Validate ``ds`` against the shapes; the report lists every result in plain words.

    ``skip_focus``: nodes whose results are not wanted, because ``ds`` holds only some of their
    statements (a build validating one report at a time checks shared nodes on their own).
    ``engine``: see the module docstring."""
    data = union_graph(ds)
    shacl: ModuleType  # the two engines share one API
    if engine_name(engine) == "turbo":
        import pyshacl_turbo as shacl
    else:
        shacl = pyshacl
    conforms, results, _text = shacl.validate(data, **_OPTIONS, shacl_graph=shapes_graph())
    return _report(bool(conforms), results, base, skip_focus, len(data))


#: How both engines are run: the shapes alone, no inference, nothing fetched (``owl:imports``).
_OPTIONS = {"inference": "none", "advanced": True, "allow_warnings": True, "do_owl_imports": False}


def validate_text(
    data: bytes, base: str | None = None, skip_focus: Collection[Node] = (), engine: str = "auto"
) -> ValidationReport:
    """``validate`` of the N-Quads or N-Triples ``data`` (the union of its graphs). The turbo
    engine parses the text itself (no rdflib graph: about a third of the memory, five times
    faster); pySHACL is given an rdflib graph of it, as ``validate`` is."""
    if engine_name(engine) != "turbo":
        import pyoxigraph as ox

        from .datasets import from_ox_quads

        g = Graph()
        for s, p, o, _ in from_ox_quads(ox.parse(data, format=ox.RdfFormat.N_QUADS)):
            g.add((s, p, o))
        return validate(g, base, skip_focus, engine)
    import pyshacl_turbo
    from pyshacl_turbo.rdf import (
        Input,  # the engine's own input: text its Rust parser reads
    )

    triples, focus = _read_text(data, skip_focus)
    text = data.decode("utf-8")
    options = _OPTIONS if focus is None else {**_OPTIONS, "focus_nodes": focus}
    conforms, results, _text = pyshacl_turbo.validate(Input(text, "nquads", None, {}, {}), **options, shacl_graph=shapes_graph())
    report = _report(bool(conforms), results, base, skip_focus, triples)
    return replace(report, problems=tuple(dict.fromkeys(report.problems)))  # a problem found twice is listed once


#: The share of a text's IRIs left out of its check above which the engine is given the nodes to
#: check. Measured: a batch of 50 reports leaving out 48 of 14,450 IRIs checked in 0.6 s without
#: the list and 0.85 s with it; a part of the shared graph leaving out 960 of 23,000 in 1.8 s
#: without and 1.1 s with it (13,000 of 60,000 at 10,000 reports: 5.5 s and 1.9 s).
FOCUS_LIST_SHARE = 0.02


def _read_text(data: bytes, skip_focus: Collection[Node]) -> tuple[int, list[str] | None]:
    """The distinct statements of N-Quads text, graph names aside (as ``union_graph`` counts
    them); and, when ``skip_focus`` holds more than ``FOCUS_LIST_SHARE`` of the text's IRIs, the
    nodes to validate: every IRI of the text but those (a node is validated only if a shape
    targets it, as without the list). The engine then spends nothing on nodes whose results are
    not wanted (in a part of the shared graph with the classes of the nodes it refers to,
    thousands of nodes with their classes alone), but the list costs time of its own. None:
    every node, also when the text has a blank node, which a list of IRIs cannot name."""
    import pyoxigraph as ox

    triples = set()
    iris: set[str] = set()
    blank = False
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        triple = quad.triple
        triples.add(triple)
        if skip_focus:
            for term in (triple.subject, triple.predicate, triple.object):
                if isinstance(term, ox.NamedNode):
                    iris.add(term.value)
                elif isinstance(term, ox.BlankNode):
                    blank = True
    if blank or len(skip_focus) <= FOCUS_LIST_SHARE * len(iris):
        return len(triples), None
    return len(triples), sorted(iris - {str(node) for node in skip_focus})


def validate_quads(path: str | Path, base: str | None = None, engine: str = "auto") -> ValidationReport:
    """``validate`` of the whole graph of the N-Quads file ``path`` (the union of its named
    graphs) in one run, read by ``validate_text``."""
    return validate_text(Path(path).read_bytes(), base, engine=engine)


def _report(conforms: bool, results: Graph, base: str | None, skip_focus: Collection[Node], triples: int) -> ValidationReport:
    """An engine's results graph in plain words."""
    problems = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(r, SH.resultSeverity)
        focus, value = results.value(r, SH.focusNode), results.value(r, SH.value)
        if results.value(r, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent and value is not None:
            # graph-wide checks (shapes.ttl): the focus is the class or property checked and
            # sh:value the node at fault, which is what a reader needs first
            focus, value = value, None
        if focus in skip_focus:
            continue
        path = results.value(r, SH.resultPath)
        problems.append(
            Problem(
                focus=_short(focus, base),
                path=_short(path, base) if path is not None else None,
                message=str(results.value(r, SH.resultMessage) or "does not conform to its shape"),
                value=_short(value, base) if value is not None else None,
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            )
        )
    # An engine reports one result per way a constraint fails (a start after each of two ends):
    # the same problem in the same words, said and counted once.
    unique = sorted(set(problems), key=lambda p: (p.severity != "Violation", p.focus, p.path or "", p.message, p.value or ""))
    return ValidationReport(bool(conforms), tuple(unique), triples)


def validate_file(path: str | Path, engine: str = "auto") -> ValidationReport:
    """Load a graph file (format by suffix) and validate it. Raises ``GraphError`` if unloadable."""
    return validate(load_dataset(path), engine=engine)


def _short(node: Node | None, base: str | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        if base and text.startswith(base):
            return text[len(base) :]
        for prefix, iri in PREFIXES.items():
            if text.startswith(iri) and len(text) > len(iri):
                return f"{prefix}:{text[len(iri) :]}"
        return f"<{text}>"
    return repr(str(node)) if len(str(node)) < 60 else repr(str(node)[:57] + "...")


__all__ = [
    "ENGINES",
    "Problem",
    "engine_name",
    "ValidationReport",
    "shapes_graph",
    "union_graph",
    "validate",
    "validate_file",
    "validate_quads",
    "validate_text",
]
